"""Catatan atas Laporan Keuangan (CaLK) per SAK EP for the RAT book: each note only when it
applies, every figure from the ledger (so it equals the neraca and `aset daftar` /
`pembiayaan daftar`) (#18)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from kkmp_cli import chart, dates, money
from kkmp_cli.core import config, ledger
from kkmp_cli.core.ledger import Book
from kkmp_cli.financing import facility
from kkmp_cli.loans import portfolio as pf
from kkmp_cli.members import deposits
from kkmp_cli.members import register as members
from kkmp_cli.outlet import trade as outlet
from kkmp_cli.rat.tables import rp, table
from kkmp_cli.reports import statements
from kkmp_cli.shu import distributions

ZERO = Decimal(0)
TAX_PREFIX = chart.UTANG_PAJAK  # the tax payables, one sub-account per kind (#12)


def _under(account: str, prefix: str) -> bool:
    return account == prefix or account.startswith(prefix + ":")


def balance(sums: dict[str, Decimal], prefix: str) -> Decimal:
    return sum((v for a, v in sums.items() if _under(a, prefix)), ZERO)


def flows(book: Book, prefix: str, year: int) -> tuple[Decimal, Decimal]:
    """(debits, credits as a positive number) posted in `year` to accounts under `prefix`,
    the year-end closing excluded."""
    start, end = statements.year_bounds(year)
    debit = credit = ZERO
    for e in book.transactions(start, end):
        if e.meta.get("jenis") == statements.CLOSING:
            continue
        for p in e.postings:
            if _under(p.account, prefix) and p.units is not None:
                w = ledger.weight(p)
                if w > 0:
                    debit += w
                else:
                    credit -= w
    return debit, credit


def note(key: str, judul: str, teks: list[str], tabel: list[dict[str, Any]]) -> dict[str, Any]:
    return {"id": f"calk-{key}", "judul": judul, "teks": teks, "tabel": tabel}


def general(book: Book, year: int, members_at_end: int) -> dict[str, Any]:
    cfg = book.config
    units = ", ".join(u.nama for u in cfg.units)
    kind = "Koperasi Desa/Kelurahan Merah Putih (KDMP/KKMP)" if cfg.shu.kdmp else "koperasi"
    teks = [
        f"{cfg.nama} adalah {kind} berbadan hukum"
        + (f" nomor {cfg.nomor_badan_hukum}" if cfg.nomor_badan_hukum else "")
        + (f", berkedudukan di {cfg.alamat}" if cfg.alamat else "")
        + (f", {cfg.kelurahan_desa}" if cfg.kelurahan_desa else "")
        + ".",
        f"Unit usaha: {units}.",
        f"Jumlah anggota pada 31 Desember {year}: {members_at_end} orang.",
        f"Tahun buku {year} adalah 1 Januari sampai 31 Desember {year}; laporan keuangan "
        "disajikan dalam Rupiah penuh.",
    ]
    return note("umum", "Informasi umum", teks, [])


def policies(book: Book, year: int, has_assets: bool) -> dict[str, Any]:
    rules = book.config
    pen = ", ".join(
        f"{pf.CLASS_LABELS[k].lower()} {money.fmt_pct(v)}"
        for k, v in rules.pinjaman.penyisihan_persen.items()
    )
    accrual = (
        "jasa pinjaman yang jatuh tempo dan belum dibayar diakui sebagai piutang jasa (akrual)"
        if rules.pinjaman.pengakuan_jasa == "akrual"
        else "jasa pinjaman diakui sebagai pendapatan saat diterima (basis kas)"
    )
    stock_units = [u for u in rules.units if u.jenis == "barang"]
    fefo = [u.nama for u in stock_units if u.keluar == "fefo"]
    fifo = [u.nama for u in stock_units if u.keluar != "fefo"]
    teks = [
        "Laporan keuangan disusun menurut SAK EP (Permenkop 2/2024) dengan basis akrual dari "
        f"buku besar koperasi; {accrual}.",
    ]
    if stock_units:
        parts = []
        if fifo:
            parts.append(f"FIFO (masuk pertama keluar pertama) untuk {', '.join(fifo)}")
        if fefo:
            parts.append(
                f"FEFO (kedaluwarsa pertama keluar pertama) per batch untuk {', '.join(fefo)}"
            )
        teks.append(
            "Persediaan dinilai pada harga perolehan; harga pokok penjualan dihitung per "
            "penjualan menurut " + "; ".join(parts) + "."
        )
    teks.append(
        f"Kolektibilitas pinjaman anggota memakai preset '{rules.pinjaman.kolektibilitas}' "
        f"({rules.pinjaman.preset.sumber}); penyisihan piutang per golongan: {pen}."
    )
    if has_assets:
        teks.append(
            "Aset tetap dicatat pada harga perolehan dan disusutkan dengan metode garis lurus "
            "per bulan sejak bulan perolehan (UU PPh Pasal 11); tanah tidak disusutkan."
        )
    teks += [
        "Simpanan pokok dan wajib dicatat sebagai ekuitas, simpanan sukarela sebagai kewajiban.",
        "SHU dari non-anggota tidak dibagikan kepada anggota dan dimasukkan ke cadangan "
        f"(aturan '{distributions.rules(book, year).bagian_non_anggota}').",
    ]
    return note("kebijakan", "Kebijakan akuntansi", teks, [])


def cash(book: Book, year: int, prior: bool) -> dict[str, Any] | None:
    end = dt.date(year, 12, 31)
    rows = statements.cash_balances(book, end)
    if not rows:
        return None
    prev = {r.akun: r.saldo for r in statements.cash_balances(book, dt.date(year - 1, 12, 31))}
    body = [
        [r.uraian, r.akun, rp(r.saldo), rp(prev.get(r.akun, ZERO) if prior else None)] for r in rows
    ]
    total = [
        "Jumlah kas dan bank",
        "",
        rp(sum((r.saldo for r in rows), ZERO)),
        rp(sum(prev.values(), ZERO) if prior else None),
    ]
    return note(
        "kas",
        "Kas dan bank",
        ["Saldo per rekening kas dan bank pada akhir tahun."],
        [table(["Rekening", "Akun", str(year), str(year - 1)], body, angka=(2, 3), total=total)],
    )


def receivables(
    book: Book, year: int, port: pf.Portfolio, sums: dict[str, Decimal]
) -> dict[str, Any] | None:
    cfg = book.config
    tables = []
    teks: list[str] = []
    golongan = port.per_golongan()
    if port.berjalan:
        body = [
            [
                pf.CLASS_LABELS[k],
                str(golongan[k]["jumlah"]),
                rp(Decimal(golongan[k]["sisa_pokok"])),
                money.fmt_pct(cfg.pinjaman.penyisihan_persen.get(k, ZERO)),
                rp(Decimal(golongan[k]["penyisihan"])),
            ]
            for k in pf.CLASS_ORDER
            if k in golongan
        ]
        alias = (
            f" (ditulis '{cfg.pinjaman.kolektibilitas_alias}' di koperasi.yaml)"
            if cfg.pinjaman.kolektibilitas_alias
            else ""
        )
        tables.append(
            table(
                ["Golongan", "Pinjaman", "Sisa pokok", "Tarif", "Penyisihan"],
                body,
                angka=(1, 2, 3, 4),
                total=[
                    f"Jumlah (NPL {money.fmt_pct(port.npl)})",
                    str(len(port.berjalan)),
                    rp(port.total_sisa_pokok),
                    "",
                    rp(port.total_penyisihan),
                ],
                judul="Pinjaman anggota menurut kolektibilitas",
                catatan=(
                    f"Kolektibilitas menurut preset '{cfg.pinjaman.kolektibilitas}'{alias}: "
                    f"{cfg.pinjaman.preset.sumber}."
                ),
            )
        )
    trade = [
        (label, balance(sums, account))
        for label, account in (
            ("Piutang dagang anggota", chart.PIUTANG_DAGANG),
            ("Piutang pelanggan non-anggota", chart.PIUTANG_PELANGGAN),
            ("Piutang jasa pinjaman", chart.PIUTANG_JASA),
        )
    ]
    trade = [(label, v) for label, v in trade if v]
    if trade:
        tables.append(
            table(
                ["Piutang lain", "Saldo"],
                [[label, rp(v)] for label, v in trade],
                angka=(1,),
            )
        )
    start = dt.date(year - 1, 12, 31)
    before = -balance(statements.sums(book, None, start), chart.PENYISIHAN_PINJAMAN)
    after = -balance(sums, chart.PENYISIHAN_PINJAMAN)
    used, added = flows(book, chart.PENYISIHAN_PINJAMAN, year)
    if before or after or used or added:
        tables.append(
            table(
                ["Mutasi penyisihan piutang pinjaman", "Jumlah"],
                [
                    [f"Saldo 1 Januari {year}", rp(before)],
                    ["Ditambah (beban penyisihan)", rp(added)],
                    ["Dipakai untuk hapus buku / dibalik", rp(-used)],
                ],
                angka=(1,),
                total=[f"Saldo 31 Desember {year}", rp(after)],
            )
        )
    if not tables:
        return None
    return note("piutang", "Piutang", teks, tables)


def inventory(book: Book, year: int) -> dict[str, Any] | None:
    stock = [r for r in outlet.stock(book, dt.date(year, 12, 31)) if r.jumlah or r.nilai]
    if not stock:
        return None
    names = {u.kode: u.nama for u in book.config.units}
    per_unit: dict[str, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    for r in stock:
        per_unit[r.item.unit][0] += 1
        per_unit[r.item.unit][1] += r.nilai
    body = [[names.get(u, u), str(int(c)), rp(v)] for u, (c, v) in sorted(per_unit.items())]
    total = ["Jumlah persediaan", str(len(stock)), rp(sum((r.nilai for r in stock), ZERO))]
    return note(
        "persediaan",
        "Persediaan",
        ["Persediaan per unit pada harga perolehan; rincian per barang di lampiran."],
        [table(["Unit", "Jenis barang", "Nilai"], body, angka=(1, 2), total=total)],
    )


def fixed_assets(book: Book, year: int) -> dict[str, Any] | None:
    end = dt.date(year, 12, 31)
    start = dt.date(year - 1, 12, 31)
    now, before = statements.sums(book, None, end), statements.sums(book, None, start)
    if not balance(now, chart.ASET_TETAP) and not balance(before, chart.ASET_TETAP):
        return None
    groups = sorted(
        {
            a.split(":")[2]
            for a in (*now, *before)
            if a.startswith(chart.ASET_TETAP + ":") and a.count(":") >= 2
        }
    )
    cost_rows, acc_rows = [], []
    cost_tot, acc_tot = [ZERO] * 4, [ZERO] * 4
    for g in groups:
        cost, acc = f"{chart.ASET_TETAP}:{g}", f"{chart.AKUMULASI_PENYUSUTAN}:{g}"
        label = chart.ASSET_GROUPS.get(g, g.replace("-", " ")).capitalize()
        c0, c1 = balance(before, cost), balance(now, cost)
        add, out = flows(book, cost, year)
        a0, a1 = -balance(before, acc), -balance(now, acc)
        acc_out, dep = flows(book, acc, year)
        c_values = [c0, add, out, c1]
        a_values = [a0, dep - acc_out, a1, c1 - a1]
        cost_tot = [t + v for t, v in zip(cost_tot, c_values, strict=True)]
        acc_tot = [t + v for t, v in zip(acc_tot, a_values, strict=True)]
        cost_rows.append([label, *(rp(v) for v in c_values)])
        acc_rows.append([label, *(rp(v) for v in a_values)])
    return note(
        "aset-tetap",
        "Aset tetap",
        [
            "Harga perolehan dan akumulasi penyusutan per kelompok dengan mutasi tahun berjalan; "
            "daftar per aset di lampiran (sama dengan 'kkmp aset daftar')."
        ],
        [
            table(
                ["Harga perolehan", "1 Januari", "Penambahan", "Pelepasan", "31 Desember"],
                cost_rows,
                angka=(1, 2, 3, 4),
                total=["Jumlah", *(rp(v) for v in cost_tot)],
            ),
            table(
                [
                    "Akumulasi penyusutan",
                    "1 Januari",
                    "Penyusutan bersih",
                    "31 Desember",
                    "Nilai buku",
                ],
                acc_rows,
                angka=(1, 2, 3, 4),
                total=["Jumlah", *(rp(v) for v in acc_tot)],
            ),
        ],
    )


def borrowings(book: Book, year: int) -> dict[str, Any] | None:
    end = dt.date(year, 12, 31)
    found = facility.states(book, end)
    if not found:
        return None
    body = []
    tot = [ZERO] * 3
    for s in found:
        f = s.facility
        current = facility.current_portion(book, end, f.kode)
        values = [s.sisa_pokok, current, s.sisa_pokok - current]
        tot = [t + v for t, v in zip(tot, values, strict=True)]
        body.append(
            [
                f"{f.kode} {f.kreditur}",
                rp(f.plafon),
                f"{money.fmt_pct(f.bunga_persen)}/th, {f.tenor} bln",
                rp(s.dicairkan),
                *(rp(v) for v in values),
            ]
        )
    teks = [
        "Pinjaman dari bank (pembiayaan PMK 49/2025 dan lainnya) menurut jadwal angsurannya: "
        "pokok yang jatuh tempo dalam 12 bulan sesudah tanggal neraca adalah kewajiban jangka "
        "pendek, sisanya jangka panjang (sama dengan 'kkmp pembiayaan daftar')."
    ]
    bailout = -balance(statements.sums(book, None, end), chart.UTANG_TALANGAN)
    if bailout:
        teks.append(f"Utang talangan kepada Pemerintah Desa (Dana Desa): {rp(bailout)}.")
    return note(
        "pinjaman-diterima",
        "Pinjaman yang diterima",
        teks,
        [
            table(
                [
                    "Fasilitas",
                    "Plafon",
                    "Syarat",
                    "Dicairkan",
                    "Sisa pokok",
                    "Jangka pendek",
                    "Jangka panjang",
                ],
                body,
                angka=(1, 3, 4, 5, 6),
                total=["Jumlah", "", "", "", *(rp(v) for v in tot)],
            )
        ],
    )


def savings(book: Book, year: int, prior: bool) -> dict[str, Any] | None:
    now = deposits.recap(book, dt.date(year, 12, 31))
    before = deposits.recap(book, dt.date(year - 1, 12, 31))
    if not now.total and not before.total:
        return None
    body = [
        [
            chart.SIMPANAN_LABELS[k].capitalize(),
            rp(now.saldo_buku[k]),
            rp(before.saldo_buku.get(k, ZERO) if prior else None),
        ]
        for k in now.saldo_buku
    ]
    equity = [k for k in now.saldo_buku if chart.SIMPANAN[k].startswith(statements.EQUITY + ":")]
    owed = [k for k in now.saldo_buku if k not in equity]
    return note(
        "simpanan",
        "Simpanan anggota",
        [
            f"Simpanan per jenis ({now.anggota_aktif} anggota aktif); {' dan '.join(equity)} "
            f"dalam ekuitas, {' dan '.join(owed)} dalam kewajiban. Rincian per anggota di "
            "lampiran."
        ],
        [
            table(
                ["Jenis", str(year), str(year - 1)],
                body,
                angka=(1, 2),
                total=[
                    "Jumlah",
                    rp(sum(now.saldo_buku.values(), ZERO)),
                    rp(sum(before.saldo_buku.values(), ZERO) if prior else None),
                ],
            )
        ],
    )


def grants(book: Book, year: int) -> dict[str, Any] | None:
    by_source: dict[str, Decimal] = defaultdict(Decimal)
    for given_in, given in book.index(statements.GrantIndex).years.items():
        if given_in <= year:
            for source, amount in given.items():
                by_source[source] += amount
    rows = [(k, v) for k, v in by_source.items() if v]
    if not rows:
        return None
    return note(
        "hibah",
        "Hibah",
        ["Hibah yang diterima menurut pemberinya (dalam ekuitas)."],
        [
            table(
                ["Pemberi / uraian", "Jumlah"],
                [[k, rp(v)] for k, v in sorted(rows)],
                angka=(1,),
                total=["Jumlah", rp(sum((v for _, v in rows), ZERO))],
            )
        ],
    )


def tax(book: Book, year: int, sums: dict[str, Decimal]) -> dict[str, Any] | None:
    payables = [(a, -v) for a, v in sorted(sums.items()) if _under(a, TAX_PREFIX) and v]
    start, end = statements.year_bounds(year)
    expense = statements.sums(book, start, end, skip_closing=True)
    cost = balance(expense, chart.BEBAN_PAJAK)
    if not payables and not cost:
        return None
    tables = []
    if payables:
        tables.append(
            table(
                ["Utang pajak", "Saldo"],
                [[_tax_label(a), rp(v)] for a, v in payables],
                angka=(1,),
                total=["Jumlah", rp(sum((v for _, v in payables), ZERO))],
            )
        )
    teks = [f"Beban pajak tahun {year}: {rp(cost)}."] if cost else []
    return note("pajak", "Perpajakan", teks, tables)


def _tax_label(account: str) -> str:
    rest = account[len(TAX_PREFIX) + 1 :]
    return rest.replace(":", " ").replace("-", " ") if rest else "Utang pajak"


def related_parties(book: Book, year: int, port: pf.Portfolio) -> dict[str, Any] | None:
    rows = related_loans(book, port)
    if not rows:
        return None
    end = dt.date(year, 12, 31)
    limit_pct = book.config.pinjaman.batas_pihak_terkait_persen
    equity = statements.modal_sendiri(book, end)
    total = sum((s.sisa_pokok for _, s in rows), ZERO)
    return note(
        "pihak-berelasi",
        "Pihak berelasi",
        [
            "Pinjaman kepada pengurus dan pengawas (pihak berelasi) pada akhir tahun: "
            f"{rp(total)} dari batas {money.fmt_pct(limit_pct)} modal sendiri "
            f"({rp(equity * limit_pct / 100)}; Permenkop 8/2023). Rincian di lampiran."
        ],
        [],
    )


def related_loans(book: Book, port: pf.Portfolio) -> list[tuple[str, pf.LoanState]]:
    """(jabatan, loan) of every running loan to a pengurus or pengawas."""
    org = book.config.organisasi
    roles = {o.nak: f"{kind} ({o.jabatan})" for kind, group in (("Pengurus", org.pengurus), ("Pengawas", org.pengawas)) for o in group if o.nak}  # fmt: skip
    return [(roles[s.loan.nak], s) for s in port.berjalan if s.loan.nak in roles]


def after_date(year: int, inputs: config.RatInputs) -> list[dict[str, Any]]:
    found = []
    if inputs.komitmen:
        found.append(note("komitmen", "Komitmen", list(inputs.komitmen), []))
    if inputs.peristiwa_setelah:
        found.append(
            note(
                "peristiwa",
                f"Peristiwa setelah tanggal pelaporan (31 Desember {year})",
                list(inputs.peristiwa_setelah),
                [],
            )
        )
    return found


def build(
    book: Book,
    year: int,
    inputs: config.RatInputs,
    port: pf.Portfolio,
    members_at_end: int,
    prior: bool,
) -> list[dict[str, Any]]:
    """The notes that apply, numbered in order."""
    end = dt.date(year, 12, 31)
    sums = statements.sums(book, None, end)
    assets = fixed_assets(book, year)
    found = [
        general(book, year, members_at_end),
        policies(book, year, assets is not None),
        cash(book, year, prior),
        receivables(book, year, port, sums),
        inventory(book, year),
        assets,
        borrowings(book, year),
        savings(book, year, prior),
        grants(book, year),
        tax(book, year, sums),
        related_parties(book, year, port),
        *after_date(year, inputs),
    ]
    result = [n for n in found if n is not None]
    for i, n in enumerate(result, 1):
        n["nomor"] = i
    return result


def member_balances(book: Book, year: int, port: pf.Portfolio) -> dict[str, Any] | None:
    """Annex 1: each member active at the year end with a balance of each kind of simpanan
    (`members.kinds`) and the loans outstanding, with the totals; None without members."""
    end = dt.date(year, 12, 31)
    loans: dict[str, Decimal] = defaultdict(Decimal)
    for s in port.berjalan:
        loans[s.loan.nak] += s.sisa_pokok
    held = list(members.kinds(book, end))
    active = [r for r in members.listing(book, end) if r.member.active_on(end)]
    if not active:
        return None
    owed = [loans.get(r.member.nak, ZERO) for r in active]
    return table(
        ["NAK", "Nama", "Masuk", *(k.capitalize() for k in held), "Sisa pinjaman"],
        [
            [
                r.member.nak,
                r.member.nama,
                dates.fmt(r.member.masuk),
                *(rp(r.saldo[k]) for k in held),
                rp(loan) if loan else "",
            ]
            for r, loan in zip(active, owed, strict=True)
        ],
        angka=tuple(range(3, 4 + len(held))),
        total=[
            "",
            "Jumlah",
            "",
            *(rp(sum((r.saldo[k] for r in active), ZERO)) for k in held),
            rp(sum(owed, ZERO)),
        ],
    )
