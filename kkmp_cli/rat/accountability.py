"""The pengurus' accountability (last year's programme and decisions, the financing and its use,
the village's imbal jasa, USP health indicators), the pengawas' report and the annexes of the
RAT book (#18)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from kkmp_cli import chart, dates, money
from kkmp_cli.assets import register as fixed
from kkmp_cli.core import config, ledger
from kkmp_cli.core.ledger import Book
from kkmp_cli.financing import facility
from kkmp_cli.loans import portfolio as pf
from kkmp_cli.outlet import trade as outlet
from kkmp_cli.rat import notes
from kkmp_cli.rat.tables import rp, table
from kkmp_cli.reports import statements
from kkmp_cli.shu import distributions, shu

ZERO = Decimal(0)
GAP = "[BELUM DIISI]"


def _ratio(a: Decimal, b: Decimal) -> Decimal | None:
    return (a * 100 / b).quantize(Decimal("0.01")) if b else None


def _pct(value: Decimal | None) -> str:
    return "—" if value is None else money.fmt_pct(value)


def health(book: Book, year: int, port: pf.Portfolio) -> dict[str, Any] | None:
    """USP health indicators with their thresholds (None without a savings-and-loan book)."""
    if not port.pinjaman:
        return None
    end = dt.date(year, 12, 31)
    sums = statements.sums(book, None, end)
    savings = -sum(
        (notes.balance(sums, a) for a in (chart.POKOK, chart.WAJIB, chart.SUKARELA)), ZERO
    )
    assets = notes.balance(sums, statements.ASSETS)
    equity = statements.modal_sendiri(book, end)
    rules = book.config.kepatuhan
    npl_ok = port.npl <= rules.batas_npl_persen
    ldr = _ratio(port.total_sisa_pokok, savings)
    capital = _ratio(equity, assets)
    body = [
        [
            "Pinjaman bermasalah (NPL): kurang lancar, diragukan dan macet / sisa pokok",
            money.fmt_pct(port.npl),
            f"<= {money.fmt_pct(rules.batas_npl_persen)} (koperasi.yaml kepatuhan)",
            "Sesuai" if npl_ok else "Tidak sesuai",
        ],
        [
            "Pinjaman terhadap simpanan (LDR): sisa pokok / simpanan pokok, wajib dan sukarela",
            _pct(ldr),
            "tidak ditetapkan",
            "Dilaporkan",
        ],
        [
            "Rasio modal: modal sendiri / jumlah aset",
            _pct(capital),
            "tidak ditetapkan",
            "Dilaporkan",
        ],
    ]
    return table(
        ["Indikator", "Angka", "Batas", "Hasil"],
        body,
        angka=(1,),
        catatan=(
            "Rumus mengikuti pedoman penilaian kesehatan KSP/USP (Permen KUKM 14/Per/M.KUKM/XII/"
            "2009); batas LDR dan rasio modal belum ditetapkan di koperasi.yaml, jadi hanya "
            "dilaporkan."
        ),
    )


def financing(book: Book, year: int) -> list[dict[str, Any]]:
    """Each facility's status at the year end and where the drawn money went (by unit)."""
    end = dt.date(year, 12, 31)
    states = facility.states(book, end)
    if not states:
        return []
    names = {u.kode: u.nama for u in book.config.units}
    status = [
        [
            f"{s.facility.kode} {s.facility.kreditur}",
            rp(s.dicairkan),
            rp(s.pokok_dibayar),
            rp(s.sisa_pokok),
            rp(s.tunggakan_pokok + s.tunggakan_bunga)
            if s.tunggakan_pokok + s.tunggakan_bunga
            else "",
            dates.fmt(s.jatuh_tempo_berikut) if s.jatuh_tempo_berikut else "",
        ]
        for s in states
    ]
    use: dict[str, Decimal] = {}
    for s in states:
        for e in facility.entries_of(book, s.facility.kode, facility.DRAW, end):
            unit = str(e.meta.get("unit") or "")
            amount = -sum(
                (ledger.weight(p) for p in e.postings if p.account == s.facility.account), ZERO
            )
            label = names.get(unit, "Koperasi (umum)") if unit else "Koperasi (umum)"
            use[label] = use.get(label, ZERO) + amount
    return [
        table(
            ["Fasilitas", "Dicairkan", "Pokok dibayar", "Sisa pokok", "Tunggakan", "Jatuh tempo"],
            status,
            angka=(1, 2, 3, 4),
            judul=f"Status pembiayaan per 31 Desember {year}",
        ),
        table(
            ["Penggunaan dana (unit)", "Jumlah dicairkan"],
            [[k, rp(v)] for k, v in sorted(use.items())],
            angka=(1,),
            total=["Jumlah", rp(sum(use.values(), ZERO))],
            judul="Penggunaan dana pembiayaan",
        ),
    ]


def village_share(book: Book, year: int, sheet: Any) -> str | None:
    """The village's imbal jasa (Permendesa 10/2025 Pasal 7) where the SHU rules have it."""
    pools = {} if sheet is None else {**sheet.dana, **sheet.lain}
    amount = pools.get("imbal_jasa_desa")
    if amount is None:
        return None
    account = shu.village_account(distributions.rules(book, year))
    owed = -book.balance_on(account, dt.date(year, 12, 31))
    text = (
        f"Imbal jasa untuk Pemerintah Desa dari SHU {year}: {rp(amount)} (Permendesa 10/2025 "
        "Pasal 7: paling sedikit 20 % keuntungan bersih), dicatat sebagai pendapatan desa."
    )
    if owed:
        text += f" Masih terutang kepada desa per 31 Desember {year}: {rp(owed)}."
    return text


def follow_ups(
    rows: tuple[Any, ...], first_rat: bool, what: str, gaps: list[str]
) -> dict[str, Any] | str:
    if rows:
        return table(
            ["Butir", "Realisasi / tindak lanjut"],
            [[r.butir, r.hasil or GAP] for r in rows],
        )
    if first_rat:
        return f"RAT pertama: belum ada {what} dari tahun sebelumnya."
    gaps.append(what)
    return GAP


def pengawas(book: Book, report: Any) -> dict[str, Any]:
    """The pengawas' report in its parts, with a signature block for each pengawas."""
    org = book.config.organisasi
    signers = [{"jabatan": o.jabatan or "Pengawas", "nama": o.nama} for o in org.pengawas]
    head = report.kepala_desa
    if head is not None:
        signers.append({"jabatan": "Mengetahui, Kepala Desa", "nama": head.nama})
    return {
        "teks": report.teks,
        "ruang_lingkup": report.ruang_lingkup,
        "temuan": list(report.temuan),
        "rekomendasi": list(report.rekomendasi),
        "tanggapan_pengurus": report.tanggapan_pengurus,
        "tanggal": dates.fmt_long(report.tanggal) if report.tanggal else None,
        "kepala_desa": None
        if head is None
        else f"{head.nama}" + (f", {head.peran}" if head.peran else ""),
        "kdmp": book.config.shu.kdmp,
        "tanda_tangan": signers,
    }


def build(
    book: Book, year: int, inputs: config.RatInputs, port: pf.Portfolio, sheet: Any
) -> tuple[dict[str, Any], list[str]]:
    gaps: list[str] = []
    first = str(inputs.ke or "").strip() == "1"
    return {
        "program": follow_ups(
            inputs.program_lalu, first, "realisasi program kerja tahun lalu (program_lalu)", gaps
        ),
        "keputusan": follow_ups(
            inputs.keputusan_lalu, first, "tindak lanjut keputusan RAT lalu (keputusan_lalu)", gaps
        ),
        "pembiayaan": financing(book, year),
        "imbal_jasa": village_share(book, year, sheet),
        "kesehatan": health(book, year, port),
    }, gaps


def annexes(book: Book, year: int, port: pf.Portfolio) -> list[dict[str, Any]]:
    """Lampiran: members, inventory, asset register, loans to pengurus/pengawas; each only when
    it has rows (the SHU per member stays in its own chapter)."""
    end = dt.date(year, 12, 31)
    found = []
    members = notes.member_balances(book, year, port)
    if members:
        found.append(("Daftar anggota dengan saldo simpanan dan pinjaman", members))
    stock = [r for r in outlet.stock(book, end) if r.jumlah or r.nilai]
    if stock:
        found.append(
            (
                f"Daftar persediaan per 31 Desember {year}",
                table(
                    ["Kode", "Barang", "Unit", "Jumlah", "Nilai"],
                    [
                        [
                            r.item.kode,
                            r.item.nama,
                            r.item.unit,
                            f"{outlet.fmt_qty(r.jumlah)} {r.item.satuan}",
                            rp(r.nilai),
                        ]
                        for r in stock
                    ],
                    angka=(3, 4),
                    total=["", "Jumlah", "", "", rp(sum((r.nilai for r in stock), ZERO))],
                ),
            )
        )
    lines = fixed.listing(book, end)
    if lines:
        found.append(
            (
                "Buku inventaris (daftar aset tetap)",
                table(
                    ["Kode", "Aset", "Kelompok", "Perolehan", "Harga", "Akumulasi", "Nilai buku"],
                    [
                        [
                            a.kode,
                            a.nama + (" (dilepas)" if a.status == "dilepas" else ""),
                            a.kelompok,
                            dates.fmt(a.tanggal),
                            rp(a.harga),
                            rp(a.akumulasi),
                            rp(a.nilai_buku),
                        ]
                        for a in lines
                    ],
                    angka=(4, 5, 6),
                    total=[
                        "",
                        "Jumlah",
                        "",
                        "",
                        rp(sum((a.harga for a in lines if a.status == "aktif"), ZERO)),
                        rp(sum((a.akumulasi for a in lines if a.status == "aktif"), ZERO)),
                        rp(sum((a.nilai_buku for a in lines), ZERO)),
                    ],
                ),
            )
        )
    related = notes.related_loans(book, port)
    if related:
        found.append(
            (
                "Pinjaman kepada pengurus dan pengawas",
                table(
                    ["Pinjaman", "Nama", "Jabatan", "Tanggal", "Pokok", "Sisa pokok", "Golongan"],
                    [
                        [
                            s.loan.id,
                            s.loan.nama,
                            role,
                            dates.fmt(s.loan.tanggal),
                            rp(s.loan.pokok),
                            rp(s.sisa_pokok),
                            pf.CLASS_LABELS[s.kolektibilitas],
                        ]
                        for role, s in related
                    ],
                    angka=(4, 5),
                ),
            )
        )
    return [
        {"id": f"lampiran-{i}", "nomor": i, "judul": t, "tabel": tab}
        for i, (t, tab) in enumerate(found, 1)
    ]
