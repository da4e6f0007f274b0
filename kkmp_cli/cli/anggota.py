"""`kkmp anggota`: the member register (tambah, daftar, lihat, keluar, bayar-pengembalian)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from kkmp_cli import dates, money, text
from kkmp_cli.app.members import cancel_member, correct_member, register_member
from kkmp_cli.cli import cetak, fit, listing
from kkmp_cli.cli.common import (
    DateOpt,
    DryRunOpt,
    Format,
    FormatOpt,
    PerOpt,
    RevisiOpt,
    ViaOpt,
    console,
    emit_json,
    record,
    show_entries,
    state,
)
from kkmp_cli.cli.fit import Col
from kkmp_cli.errors import TeksTidakValid
from kkmp_cli.loans import portfolio as pf
from kkmp_cli.members import exits, term_deposits
from kkmp_cli.members import register as members
from kkmp_cli.shu import shu

if TYPE_CHECKING:
    from beancount.core import data

    from kkmp_cli.core.ledger import Book

app = typer.Typer(
    help="Buku Daftar Anggota: tambah, daftar, cari, lihat, buku, keluar, batal-keluar.",
    no_args_is_help=True,
)


@app.command("tambah")
def tambah(
    ctx: typer.Context,
    nama: Annotated[str, typer.Argument(metavar="NAMA", help="Nama lengkap anggota.")],
    nomor: Annotated[
        str | None, typer.Option("--nomor", help="Nomor anggota (NAK); bawaan: nomor berikutnya.")
    ] = None,
    tanggal: DateOpt = None,
    jk: Annotated[str | None, typer.Option("--jk", help="Jenis kelamin: L atau P.")] = None,
    nik: Annotated[
        str | None, typer.Option("--nik", help="NIK (disimpan di berkas pribadi).")
    ] = None,
    telepon: Annotated[
        str | None, typer.Option("--telepon", help="Nomor telepon (pribadi).")
    ] = None,
    alamat: Annotated[str | None, typer.Option("--alamat", help="Alamat (pribadi).")] = None,
    coba: DryRunOpt = False,
) -> None:
    """Daftarkan anggota baru dan buka sub-akun simpanannya."""
    date = dates.parse(tanggal)
    private = {k: v for k, v in _private_fields(nik, telepon, alamat).items() if v}

    book, entries = register_member(
        state(ctx).paths(), nama, date, nak=nomor, jenis_kelamin=jk, private=private, dry_run=coba
    )
    show_entries(entries, dry_run=coba)
    nak = members.nak_of(entries)
    verb = "akan didaftarkan" if coba else "terdaftar"
    console.print(f"Anggota {nak} {members.get(book, nak).nama} {verb} per {dates.fmt(date)}.")
    if private and not coba:
        console.print("Data pribadi disimpan di pribadi/anggota.yaml (tidak masuk git).")


@app.command("daftar")
def daftar(
    ctx: typer.Context,
    per: PerOpt = None,
    format: listing.ListFormatOpt = listing.ListFormat.teks,
    output: listing.ListOutputOpt = None,
    lebar: fit.LebarOpt = None,
) -> None:
    """Buku Daftar Anggota dengan status dan saldo simpanan."""
    book = state(ctx).book()
    as_of = dates.parse(per)
    rows = members.listing(book, as_of)
    kinds = list(members.kinds(book, as_of))
    if format in (listing.ListFormat.csv, listing.ListFormat.xlsx, listing.ListFormat.html):
        listing.write(
            fmt=format,
            output=output,
            koperasi=book.config.nama,
            judul=f"Buku Daftar Anggota per {dates.fmt(as_of)}",
            header=["NAK", "Nama", "Masuk", "Status", *(k.capitalize() for k in kinds), "Jumlah"],
            rows=[
                [
                    r.member.nak,
                    r.member.nama,
                    dates.fmt(r.member.masuk),
                    r.member.status_text,
                    *(r.saldo[k] for k in kinds),
                    sum((r.saldo[k] for k in kinds), Decimal(0)),
                ]
                for r in rows
            ],
            total=[
                "Jumlah",
                f"{len(rows)} anggota",
                "",
                f"{sum(1 for r in rows if r.member.keluar is None)} aktif",
                *(sum((r.saldo[k] for r in rows), Decimal(0)) for k in kinds),
                sum((r.saldo[k] for r in rows for k in kinds), Decimal(0)),
            ],
            coop_root=book.paths.root,
        )
        return
    if format is listing.ListFormat.json:
        emit_json(
            {
                "per": as_of,
                "anggota": [
                    {
                        "nak": r.member.nak,
                        "nama": r.member.nama,
                        "masuk": r.member.masuk,
                        "keluar": r.member.keluar,
                        "alasan_keluar": r.member.alasan_keluar,
                        "status": r.member.status,
                        "simpanan": r.saldo,
                    }
                    for r in rows
                ],
            }
        )
        return
    out = fit.console_of(lebar)
    when = dates.fmt(as_of) + (" (hari ini)" if per is None else "")
    out.print(f"Buku Daftar Anggota {book.config.nama} per {when}")
    cols = [
        Col("NAK"),
        Col("Nama", fold=True),
        Col("Masuk", drop=2),
        Col("Status", drop=1, fold=True),
    ]
    cols += [Col(k.capitalize(), "right") for k in kinds]
    cells = [
        [r.member.nak, r.member.nama, dates.fmt(r.member.masuk), r.member.status_text]
        + [money.fmt(r.saldo[k]) for k in kinds]
        for r in rows
    ]
    fit.show(out, None, cols, cells)
    active = sum(1 for r in rows if r.member.keluar is None)
    out.print(f"{len(rows)} anggota tercatat, {active} aktif.")


@app.command("cari")
def cari(
    ctx: typer.Context,
    teks: Annotated[
        str,
        typer.Argument(metavar="TEKS", help="Sebagian nama atau nomor anggota, mis. siti, 271."),
    ],
    format: FormatOpt = Format.teks,
    lebar: fit.LebarOpt = None,
) -> None:
    """Cari anggota menurut nama atau nomor: NAK, nama, status, simpanan dan sisa pinjaman."""
    book = state(ctx).book()
    today = dates.parse(None)
    rows = members.search(book, teks)
    owed = {
        r.member.nak: sum(
            (ls.sisa_pokok for ls in pf.member_loans(book, r.member.nak, today) if ls.berjalan),
            start=Decimal(0),
        )
        for r in rows
    }
    if format is Format.json:
        emit_json(
            [
                {
                    "nak": r.member.nak,
                    "nama": r.member.nama,
                    "status": r.member.status,
                    "simpanan": r.saldo,
                    "sisa_pinjaman": owed[r.member.nak],
                }
                for r in rows
            ]
        )
        return
    if not rows:
        console.print(f"Tidak ada anggota yang cocok dengan '{teks}'.")
        raise typer.Exit(1)
    out = fit.console_of(lebar)
    kinds = list(members.kinds(book))
    cols = [Col("NAK"), Col("Nama", fold=True), Col("Status", drop=2, fold=True)]
    cols += [Col(k.capitalize(), "right") for k in kinds]
    cols.append(Col("Sisa pinjaman", "right", drop=1))
    cells = [
        [r.member.nak, r.member.nama, r.member.status]
        + [money.fmt(r.saldo[k]) for k in kinds]
        + [money.fmt(owed[r.member.nak])]
        for r in rows
    ]
    fit.show(out, None, cols, cells)
    out.print(f"{len(rows)} anggota cocok dengan '{teks}'.")


@app.command("lihat")
def lihat(
    ctx: typer.Context,
    nak: Annotated[
        str, typer.Argument(metavar="NAK", help="Nomor anggota (A0001, a1 atau 1) atau namanya.")
    ],
    format: FormatOpt = Format.teks,
    revisi: RevisiOpt = None,
) -> None:
    """Kartu simpanan anggota: setiap mutasi dengan saldo berjalan."""
    book = state(ctx).book(revisi)
    st = members.statement(book, nak)
    nak = st.member.nak
    m = st.member
    loans = pf.member_loans(book, m.nak, dates.parse(None))
    term = term_deposits.listing(book, dates.parse(None), nak=m.nak)
    owed = shu.unpaid(book, m.nak)  # of each year's SHU payable
    if format is Format.json:
        emit_json(
            {
                "nak": m.nak,
                "nama": m.nama,
                "masuk": m.masuk,
                "keluar": m.keluar,
                "status": m.status,
                "saldo": st.saldo,
                "total_simpanan": st.total_simpanan,
                "utang": st.utang,
                "pengembalian_belum_dibayar": st.pengembalian,
                "mutasi": st.lines,
                "riwayat": [
                    {
                        "tanggal": ch.tanggal,
                        "diubah": {
                            k: {"dulu": old, "menjadi": new} for k, (old, new) in ch.kolom.items()
                        },
                        "pribadi": list(ch.pribadi),
                    }
                    for ch in members.history(book, m.nak)
                ],
                "shu": [
                    {"tahun": year, "jumlah": amount, "ke": where}
                    | ({"belum_dibayar": owed[year]} if year in owed else {})
                    for year, amount, where in shu.member_history(book, m.nak)
                ],
                "berjangka": [
                    {
                        "id": r.deposit.id,
                        "pokok": r.deposit.pokok,
                        "tenor": r.deposit.tenor,
                        "bunga_persen": r.deposit.bunga,
                        "tanggal": r.deposit.tanggal,
                        "jatuh_tempo": r.deposit.jatuh_tempo,
                        "status": r.status,
                    }
                    for r in term
                ],
                "pinjaman": [
                    {
                        "id": ls.loan.id,
                        "tanggal": ls.loan.tanggal,
                        "pokok": ls.loan.pokok,
                        "sisa_pokok": ls.sisa_pokok,
                        "status": ls.status,
                        "kolektibilitas": ls.kolektibilitas,
                    }
                    for ls in loans
                ],
            }
        )
        return
    console.print(f"{m.nak} {m.nama}  masuk {dates.fmt(m.masuk)}  status {m.status}")
    for ch in members.history(book, m.nak):
        parts = [
            f"{k.replace('_', ' ')} {old or '-'} → {new}" for k, (old, new) in ch.kolom.items()
        ] + [f"{k} (data pribadi)" for k in ch.pribadi]
        console.print(f"  Diubah {dates.fmt(ch.tanggal)}: {', '.join(parts)}")
    table = Table(title="Mutasi simpanan", title_justify="left")
    for col in ("Tanggal", "Bukti", "Keterangan", "Jenis"):
        table.add_column(col)
    table.add_column("Jumlah", justify="right")
    table.add_column("Saldo", justify="right")
    for line in st.lines:
        table.add_row(
            dates.fmt(line.tanggal),
            line.bukti,
            line.keterangan,
            line.jenis,
            money.fmt(line.jumlah),
            money.fmt(line.saldo),
        )
    console.print(table)
    for kind, amount in st.saldo.items():
        console.print(f"  Saldo simpanan {kind}: {money.fmt(amount)}")
    console.print(f"  Total simpanan: {money.fmt(st.total_simpanan)}")
    if st.pengembalian:
        console.print(
            f"  Pengembalian simpanan belum dibayar: {money.fmt(st.pengembalian)} "
            f"(kkmp anggota bayar-pengembalian {m.nak})"
        )
    for account, amount in st.utang.items():
        console.print(f"  Utang ({account}): {money.fmt(amount)}")
    for year, amount, where in shu.member_history(book, m.nak):
        said = {"utang": _payable_said(owed.get(year, Decimal(0)), amount), "kas": "dibayar tunai"}
        console.print(f"  SHU {year}: {money.fmt(amount)} ({said.get(where, f'ke {where}')})")
    for r in term:
        d = r.deposit
        console.print(
            f"  Simpanan berjangka {d.id} ({dates.fmt(d.tanggal)}): {money.fmt(d.pokok)}, "
            f"{d.tenor} bulan, {money.fmt_pct(d.bunga)} setahun, jatuh tempo "
            f"{dates.fmt(d.jatuh_tempo)}, "
            + (f"dicairkan {dates.fmt(d.cair)}" if d.cair else "belum dicairkan")
        )
    for ls in loans:
        console.print(
            f"  Pinjaman {ls.loan.id} ({dates.fmt(ls.loan.tanggal)}): pokok {money.fmt(ls.loan.pokok)}, "
            f"sisa {money.fmt(ls.sisa_pokok)}, {ls.status}"
            + (f", {pf.CLASS_LABELS[ls.kolektibilitas]}" if ls.berjalan else "")
        )


def _payable_said(owed: Decimal, amount: Decimal) -> str:
    """A year's SHU held as a payable: paid, unpaid or partly paid."""
    if owed <= 0:
        return "utang SHU, sudah dibayar"
    if owed >= amount:
        return "utang SHU, belum dibayar"
    return f"utang SHU, {money.fmt(owed)} belum dibayar"


@app.command("buku")
def buku(
    ctx: typer.Context,
    nak: Annotated[
        str, typer.Argument(metavar="NAK", help="Nomor anggota (A0001, a1 atau 1) atau namanya.")
    ],
    dari: Annotated[
        str | None, typer.Option("--dari", help="Mulai tanggal, mis. 01-01-2025.")
    ] = None,
    sampai: Annotated[str | None, typer.Option("--sampai", help="Sampai tanggal.")] = None,
    output: cetak.PaperOutOpt = None,
    format: cetak.PaperFormatOpt = cetak.PaperFormat.html,
    ukuran: cetak.SizeOpt = cetak.Size.a5,
) -> None:
    """Buku simpanan anggota untuk dicetak: tiap jenis simpanan dengan saldo berjalan."""
    pb, target = cetak.buku(state(ctx).book(), nak, dari, sampai, output, format, ukuran)
    console.print(f"Buku simpanan {pb.nak} {pb.nama} ditulis ke {target}")
    console.print(f"  Jumlah simpanan: {money.fmt(pb.total)}")


@app.command("keluar")
def keluar(
    ctx: typer.Context,
    nak: Annotated[str, typer.Argument(metavar="NAK", help="Nomor anggota yang keluar.")],
    tanggal: DateOpt = None,
    alasan: Annotated[str, typer.Option("--alasan", help="Alasan keluar.")] = "",
    via: Annotated[
        str, typer.Option("--via", help="Pengembalian lewat kas, bank, atau utang (dibayar nanti).")
    ] = "kas",
    kompensasi: Annotated[
        bool,
        typer.Option("--kompensasi", help="Perhitungkan utang anggota dengan simpanannya."),
    ] = False,
    coba: DryRunOpt = False,
) -> None:
    """Anggota keluar: kembalikan pokok, wajib dan sukarela, lalu tutup akunnya."""
    date = dates.parse(tanggal)
    book, _ = record(
        ctx,
        lambda b: exits.leave(b, nak, date, alasan=alasan, via=via, kompensasi=kompensasi),
        dry_run=coba,
    )
    m = members.get(book, nak)
    verb = "akan dicatat keluar" if coba else "tercatat keluar"
    console.print(f"Anggota {m.nak} {m.nama} {verb} per {dates.fmt(date)}.")


@app.command("batal-keluar")
def batal_keluar(
    ctx: typer.Context,
    nak: Annotated[str, typer.Argument(metavar="NAK", help="Nomor anggota yang keliru keluar.")],
    alasan: Annotated[str, typer.Option("--alasan", help="Mengapa keluarnya dibatalkan.")],
    tanggal: DateOpt = None,
    coba: DryRunOpt = False,
) -> None:
    """Batalkan keluar yang keliru: koreksi dokumen keluarnya; anggota aktif kembali."""
    from kkmp_cli import app as usecases

    date = dates.parse(tanggal)
    book, booked = usecases.undo(
        state(ctx).paths(),
        lambda b: exits.undo_exit(b, nak, date, alasan=alasan),
        dry_run=coba,
    )
    show_entries(booked, dry_run=coba, book=book)
    show_returned(book, booked, date, dry_run=coba)


def show_returned(
    book: Book, booked: list[data.Directive], date: dt.date, *, dry_run: bool
) -> None:
    """Say which member a koreksi of an exit made active again (`koreksi`, `batal-keluar`)."""
    for nak in exits.returning(booked):
        m = members.get(book, nak)
        verb = "akan aktif kembali" if dry_run else "aktif kembali"
        console.print(
            f"Anggota {m.nak} {m.nama} {verb}; keluarnya dibatalkan per {dates.fmt(date)}."
        )


@app.command("bayar-pengembalian")
def bayar_pengembalian(
    ctx: typer.Context,
    nak: Annotated[str, typer.Argument(metavar="NAK", help="Nomor anggota yang sudah keluar.")],
    jumlah: Annotated[
        str | None,
        typer.Argument(metavar="JUMLAH", help="Jumlah yang dibayar; bawaan: seluruh sisanya."),
    ] = None,
    tanggal: DateOpt = None,
    via: ViaOpt = "kas",
    coba: DryRunOpt = False,
) -> None:
    """Bayar simpanan anggota keluar yang dicatat sebagai utang (keluar --via utang)."""
    amount = None if jumlah is None else money.parse(jumlah)
    date = dates.parse(tanggal)
    book, _ = record(ctx, lambda b: exits.pay_refund(b, nak, date, amount, via=via), dry_run=coba)
    m = members.get(book, nak)
    left = members.statement(book, m.nak).pengembalian
    console.print(
        f"Sisa pengembalian simpanan {m.nak} {m.nama} yang belum dibayar: {money.fmt(left)}."
    )


def _private_fields(nik: str | None, telepon: str | None, alamat: str | None) -> dict[str, str]:
    """The private fields given on the command line, checked the same way for tambah and ubah."""
    private = {
        key: text.clean(value, field=key, max_len=200)
        for key, value in (("nik", nik), ("telepon", telepon), ("alamat", alamat))
        if value is not None
    }
    if "nik" in private and not (private["nik"].isdigit() and len(private["nik"]) == 16):
        raise TeksTidakValid("NIK harus 16 angka.")
    return private


@app.command("ubah")
def ubah(
    ctx: typer.Context,
    nak: Annotated[
        str, typer.Argument(metavar="NAK", help="Nomor anggota yang datanya dibetulkan.")
    ],
    nama: Annotated[str | None, typer.Option("--nama", help="Nama lengkap yang benar.")] = None,
    jk: Annotated[
        str | None, typer.Option("--jk", help="Jenis kelamin yang benar: L atau P.")
    ] = None,
    nik: Annotated[str | None, typer.Option("--nik", help="NIK baru (pribadi).")] = None,
    telepon: Annotated[
        str | None, typer.Option("--telepon", "--hp", help="Nomor telepon/HP baru (pribadi).")
    ] = None,
    alamat: Annotated[str | None, typer.Option("--alamat", help="Alamat baru (pribadi).")] = None,
    tanggal: DateOpt = None,
    coba: DryRunOpt = False,
) -> None:
    """Betulkan nama, jenis kelamin atau data kontak anggota; riwayatnya tetap di jurnal."""
    date = dates.parse(tanggal)
    private = _private_fields(nik, telepon, alamat)
    book, entries, changed = correct_member(
        state(ctx).paths(), nak, date, nama=nama, jenis_kelamin=jk, private=private, dry_run=coba
    )
    show_entries(entries, dry_run=coba)
    m = members.get(book, nak)
    fields = ", ".join(
        k.replace("_", " ")
        for k in (*members.PUBLIC_FIELDS, *members.PRIVATE_FIELDS)
        if k in entries[0].meta or k in changed
    )
    verb = "akan diubah" if coba else "diubah"
    console.print(f"Data anggota {m.nak} {m.nama} {verb} per {dates.fmt(date)}: {fields}.")
    if changed and not coba:
        console.print("Data pribadi disimpan di pribadi/anggota.yaml (tidak masuk git).")


@app.command("batal")
def batal(
    ctx: typer.Context,
    nak: Annotated[
        str, typer.Argument(metavar="NAK", help="Nomor anggota yang salah didaftarkan.")
    ],
    alasan: Annotated[
        str, typer.Option("--alasan", help="Mengapa pendaftaran dibatalkan.")
    ] = "salah daftar",
    tanggal: DateOpt = None,
    coba: DryRunOpt = False,
) -> None:
    """Batalkan pendaftaran yang keliru (hanya bila belum ada transaksi); nomornya tidak dipakai lagi."""
    date = dates.parse(tanggal)
    _, entries, member, removed = cancel_member(
        state(ctx).paths(), nak, date, alasan=alasan, dry_run=coba
    )
    show_entries(entries, dry_run=coba)
    verb = "akan dibatalkan" if coba else "dibatalkan"
    console.print(f"Pendaftaran anggota {member.nak} {member.nama} {verb} per {dates.fmt(date)}.")
    if removed:
        console.print("Data pribadinya dihapus dari pribadi/anggota.yaml.")
