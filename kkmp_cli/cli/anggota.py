"""`kkmp anggota`: the member register (tambah, daftar, lihat, keluar)."""

from __future__ import annotations

from typing import Annotated

import typer
from beancount.core import data
from rich.table import Table

from kkmp_cli import config, dates, exits, members, money, shu, text, writer
from kkmp_cli.cli.common import (
    DateOpt,
    DryRunOpt,
    Format,
    FormatOpt,
    PerOpt,
    console,
    emit_json,
    record,
    state,
)
from kkmp_cli.errors import TeksTidakValid
from kkmp_cli.loans import portfolio as pf

app = typer.Typer(help="Buku Daftar Anggota: tambah, daftar, lihat, keluar.", no_args_is_help=True)


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
    private = {
        key: text.clean(value, field=key, max_len=200)
        for key, value in (("nik", nik), ("telepon", telepon), ("alamat", alamat))
        if value
    }
    if "nik" in private and not (private["nik"].isdigit() and len(private["nik"]) == 16):
        raise TeksTidakValid("NIK harus 16 angka.")

    def save_private(session: writer.Session, entries: list[data.Directive]) -> None:
        # Read and written under the journal's lock, committed with the journal.
        records = config.load_private(session.paths.root)
        records[members.nak_of(entries)] = private
        config.save_private(session.paths.root, records, write=session.stage_file)

    book, entries = record(
        ctx,
        lambda b: members.add(b, nama, date, nak=nomor, jenis_kelamin=jk),
        dry_run=coba,
        also=save_private if private else None,
    )
    nak = members.nak_of(entries)
    verb = "akan didaftarkan" if coba else "terdaftar"
    console.print(f"Anggota {nak} {members.get(book, nak).nama} {verb} per {dates.fmt(date)}.")
    if private and not coba:
        console.print("Data pribadi disimpan di pribadi/anggota.yaml (tidak masuk git).")


@app.command("daftar")
def daftar(ctx: typer.Context, per: PerOpt = None, format: FormatOpt = Format.teks) -> None:
    """Buku Daftar Anggota dengan status dan saldo simpanan."""
    book = state(ctx).book()
    as_of = dates.parse(per) if per else None
    rows = members.listing(book, as_of)
    if format is Format.json:
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
    table = Table(title=f"Buku Daftar Anggota {book.config.nama}", title_justify="left")
    for col in ("NAK", "Nama", "Masuk", "Status"):
        table.add_column(col)
    for col in ("Pokok", "Wajib", "Sukarela"):
        table.add_column(col, justify="right")
    for r in rows:
        status = (
            r.member.status if r.member.keluar is None else f"keluar {dates.fmt(r.member.keluar)}"
        )
        table.add_row(
            r.member.nak,
            r.member.nama,
            dates.fmt(r.member.masuk),
            status,
            *(money.fmt(r.saldo[k]) for k in ("pokok", "wajib", "sukarela")),
        )
    console.print(table)
    active = sum(1 for r in rows if r.member.keluar is None)
    console.print(f"{len(rows)} anggota tercatat, {active} aktif.")


@app.command("lihat")
def lihat(
    ctx: typer.Context,
    nak: Annotated[str, typer.Argument(metavar="NAK", help="Nomor anggota, mis. A0001.")],
    format: FormatOpt = Format.teks,
) -> None:
    """Kartu simpanan anggota: setiap mutasi dengan saldo berjalan."""
    book = state(ctx).book()
    st = members.statement(book, nak)
    m = st.member
    loans = pf.member_loans(book, m.nak, dates.parse(None))
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
                "mutasi": [line.__dict__ for line in st.lines],
                "shu": [
                    {"tahun": year, "jumlah": amount, "ke": where}
                    for year, amount, where in shu.member_history(book, m.nak)
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
    for account, amount in st.utang.items():
        console.print(f"  Utang ({account}): {money.fmt(amount)}")
    for year, amount, where in shu.member_history(book, m.nak):
        console.print(f"  SHU {year}: {money.fmt(amount)} (ke {where})")
    for ls in loans:
        console.print(
            f"  Pinjaman {ls.loan.id} ({dates.fmt(ls.loan.tanggal)}): pokok {money.fmt(ls.loan.pokok)}, "
            f"sisa {money.fmt(ls.sisa_pokok)}, {ls.status}"
            + (f", {pf.CLASS_LABELS[ls.kolektibilitas]}" if ls.berjalan else "")
        )


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
    if via not in exits.PAYMENT_ACCOUNTS:
        raise TeksTidakValid("--via harus kas, bank atau utang.")
    book, _ = record(
        ctx,
        lambda b: exits.leave(b, nak, date, alasan=alasan, via=via, kompensasi=kompensasi),
        dry_run=coba,
    )
    m = members.get(book, nak)
    verb = "akan dicatat keluar" if coba else "tercatat keluar"
    console.print(f"Anggota {m.nak} {m.nama} {verb} per {dates.fmt(date)}.")
