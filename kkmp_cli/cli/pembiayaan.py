"""`kkmp pembiayaan`: the cooperative's own bank financing (PMK 49/2025)."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from kkmp_cli import dates, money
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
from kkmp_cli.financing import facility as fac
from kkmp_cli.financing import operations as ops

app = typer.Typer(
    help="Pembiayaan bank koperasi (PMK 49/2025): fasilitas, pencairan, jadwal, angsuran, akrual.",
    no_args_is_help=True,
)

KodeArg = Annotated[str, typer.Argument(metavar="KODE", help="Kode pembiayaan, mis. BRI-1.")]
JumlahArg = Annotated[str, typer.Argument(metavar="JUMLAH", help="Jumlah rupiah, mis. 250jt.")]
BankViaOpt = Annotated[str, typer.Option("--via", help="Lewat kas atau bank (bawaan: bank).")]
UnitOpt = Annotated[
    str | None, typer.Option("--unit", help="Unit usaha yang memakai dana (koperasi.yaml).")
]


@app.command("tambah")
def tambah(
    ctx: typer.Context,
    kode: KodeArg,
    kreditur: Annotated[str, typer.Option("--kreditur", help="Nama bank pemberi pinjaman.")],
    plafon: Annotated[str, typer.Option("--plafon", help="Plafon fasilitas, mis. 3M atau 500jt.")],
    bunga: Annotated[str, typer.Option("--bunga", help="Bunga per tahun dalam persen, mis. 6.")],
    tenor: Annotated[int, typer.Option("--tenor", help="Jangka waktu dalam bulan.")],
    masa_tenggang: Annotated[
        int, typer.Option("--masa-tenggang", help="Bulan pertama yang hanya membayar bunga.")
    ] = 0,
    jatuh_tempo: Annotated[
        int | None,
        typer.Option("--jatuh-tempo", help="Tanggal jatuh tempo tiap bulan (1-31)."),
    ] = None,
    metode: Annotated[
        str, typer.Option("--metode", help="anuitas (angsuran tetap) atau pokok-tetap.")
    ] = "anuitas",
    tanggal: DateOpt = None,
    coba: DryRunOpt = False,
) -> None:
    """Catat fasilitas pembiayaan bank (akad; belum ada uang yang berpindah)."""
    date = dates.parse(tanggal)
    amount = money.parse(plafon)
    rate = ops.parse_rate(bunga)
    record(
        ctx,
        lambda b: ops.add(
            b,
            kode,
            date,
            kreditur=kreditur,
            plafon=amount,
            bunga_persen=rate,
            tenor=tenor,
            masa_tenggang=masa_tenggang,
            jatuh_tempo=jatuh_tempo,
            metode=metode,
        ),
        dry_run=coba,
    )
    console.print(
        f"Pembiayaan {kode.strip().upper()} dicatat: plafon {money.fmt(amount)}, bunga "
        f"{money.fmt_pct(rate)} per tahun, {tenor} bulan, masa tenggang {masa_tenggang} bulan."
    )


@app.command("cair")
def cair(
    ctx: typer.Context,
    kode: KodeArg,
    jumlah: JumlahArg,
    tanggal: DateOpt = None,
    via: BankViaOpt = "bank",
    untuk: Annotated[str | None, typer.Option("--untuk", help="Penggunaan dana.")] = None,
    unit: UnitOpt = None,
    operasional: Annotated[
        bool,
        typer.Option("--operasional", help="Untuk belanja operasional (batas PMK 49/2025)."),
    ] = False,
    coba: DryRunOpt = False,
) -> None:
    """Catat pencairan (boleh beberapa kali, tidak melebihi plafon)."""
    date = dates.parse(tanggal)
    amount = money.parse(jumlah)
    book, _ = record(
        ctx,
        lambda b: ops.draw(
            b, kode, amount, date, via=via, untuk=untuk, unit=unit, operasional=operasional
        ),
        dry_run=coba,
    )
    f = fac.require(book, kode)
    s = fac.state(book, f, date)
    console.print(
        f"Sudah dicairkan {money.fmt(s.dicairkan)} dari plafon {money.fmt(f.plafon)}; "
        f"sisa pokok {money.fmt(s.sisa_pokok)}."
    )


def _rows(rows: tuple[fac.Row, ...]) -> list[dict[str, Any]]:
    return [
        {
            "ke": r.ke,
            "jatuh_tempo": r.jatuh_tempo,
            "pokok": r.pokok,
            "bunga": r.bunga,
            "angsuran": r.angsuran,
            "sisa_pokok": r.sisa_pokok,
            "dipercepat": r.dipercepat,
        }
        for r in rows
    ]


@app.command("jadwal")
def jadwal(ctx: typer.Context, kode: KodeArg, format: FormatOpt = Format.teks) -> None:
    """Jadwal angsuran: masa tenggang bunga saja, lalu angsuran menurut metode."""
    book = state(ctx).book()
    f = fac.require(book, kode)
    projected = not fac.draws(book, f)
    rows = fac.schedule(f, [(f.tanggal, f.plafon)]) if projected else fac.plan_of(book, f)
    if format is Format.json:
        emit_json({"kode": f.kode, "proyeksi_plafon": projected, "angsuran": _rows(rows)})
        return
    table = Table(
        title=f"Jadwal {f.kode} ({f.kreditur}), {money.fmt_pct(f.bunga_persen)} per tahun, "
        f"{f.metode}",
        title_justify="left",
    )
    for col in ("Ke", "Jatuh tempo", "Pokok", "Bunga", "Angsuran", "Sisa pokok"):
        table.add_column(col, justify="left" if col == "Jatuh tempo" else "right")
    for r in rows:
        table.add_row(
            str(r.ke) if r.ke else "dipercepat",
            dates.fmt(r.jatuh_tempo),
            money.fmt(r.pokok),
            money.fmt(r.bunga),
            money.fmt(r.angsuran),
            money.fmt(r.sisa_pokok),
        )
    total_pokok = sum((r.pokok for r in rows), fac.ZERO)
    total_bunga = sum((r.bunga for r in rows), fac.ZERO)
    table.add_row(
        "", "Total", money.fmt(total_pokok), money.fmt(total_bunga),
        money.fmt(total_pokok + total_bunga), "",
    )  # fmt: skip
    console.print(table)
    if projected:
        console.print("Belum ada pencairan: jadwal ini proyeksi bila seluruh plafon dicairkan.")
    console.print(
        "Bunga per bulan = sisa pokok x bunga/12, dibulatkan ke rupiah; angsuran terakhir "
        "menampung sisa pokok."
    )
    if any(r.dipercepat for r in rows):
        console.print(
            "Baris 'dipercepat': pokok yang dilunasi lebih cepat; mulai bulan berikutnya jadwal "
            "dihitung ulang atas sisa pokok (tenor tetap atau angsuran tetap, menurut "
            "pembayarannya)."
        )


@app.command("bayar")
def bayar(
    ctx: typer.Context,
    kode: KodeArg,
    jumlah: JumlahArg,
    tanggal: DateOpt = None,
    via: BankViaOpt = "bank",
    kurangi: Annotated[
        str,
        typer.Option(
            "--kurangi",
            help="Bila membayar pokok lebih dari jadwal (pelunasan dipercepat): angsuran "
            "(bawaan: tenor tetap, angsuran turun) atau tenor (angsuran tetap, lunas lebih cepat).",
        ),
    ] = fac.REDUCE[0],
    biaya: Annotated[
        str | None,
        typer.Option(
            "--biaya", help="Biaya/penalti bank atas pembayaran ini, di luar JUMLAH (beban)."
        ),
    ] = None,
    coba: DryRunOpt = False,
) -> None:
    """Bayar angsuran ke bank: bunga lebih dulu, sisanya pokok; pokok di atas jadwal adalah pelunasan dipercepat."""
    date = dates.parse(tanggal)
    amount = money.parse(jumlah)
    fee = money.parse(biaya) if biaya is not None else fac.ZERO
    book, entries = record(
        ctx,
        lambda b: ops.pay(b, kode, amount, date, via=via, kurangi=kurangi, biaya=fee),
        dry_run=coba,
    )
    paid = next((e for e in entries if e.meta.get("jenis") == fac.PAY), None)
    if paid is not None and "dipercepat" in paid.meta:
        _say_prepaid(book, kode, paid)


def _say_prepaid(book: Any, kode: str, paid: Any) -> None:
    """What a prepayment did to the schedule, in one sentence."""
    f = fac.require(book, kode)
    ahead = money.fmt(paid.meta["dipercepat"])
    if paid.meta.get("lunas") == "ya":
        console.print(f"Pembiayaan {f.kode} lunas ({ahead} pokok di luar jadwal).")
        return
    plan = fac.plan_of(book, f)
    reckoned = max(i for i, r in enumerate(plan) if r.dipercepat)
    rows = plan[reckoned + 1 :]  # the instalments reckoned again after it
    after = f"sisa pokok {money.fmt(fac.state(book, f, paid.date).sisa_pokok)}"
    if not rows:
        console.print(f"Pelunasan dipercepat {ahead}: {after}.")
        return
    console.print(
        f"Pelunasan dipercepat {ahead}: {after}; angsuran berikut {money.fmt(rows[0].angsuran)} "
        f"pada {dates.fmt(rows[0].jatuh_tempo)}, angsuran terakhir {dates.fmt(rows[-1].jatuh_tempo)} "
        f"({'tenor tetap' if paid.meta.get('kurangi') == 'angsuran' else 'angsuran tetap'})."
    )


@app.command("talangan")
def talangan(
    ctx: typer.Context,
    kode: KodeArg,
    jumlah: JumlahArg,
    dari: Annotated[
        str, typer.Option("--dari", help='Pihak yang membayar, mis. "Pemerintah Desa".')
    ],
    tanggal: DateOpt = None,
    coba: DryRunOpt = False,
) -> None:
    """Angsuran dibayar pihak lain (Dana Desa, Permendesa 10/2025): utang bank turun, utang kepada penalang dicatat."""
    date = dates.parse(tanggal)
    amount = money.parse(jumlah)
    record(ctx, lambda b: ops.bailout(b, kode, amount, date, dari=dari), dry_run=coba)


@app.command("akrual")
def akrual(
    ctx: typer.Context,
    bulan: Annotated[str, typer.Option("--bulan", help="Bulan, mis. 2025-12.")],
    coba: DryRunOpt = False,
) -> None:
    """Bunga yang jatuh tempo dan belum dibayar menjadi utang bunga (aman diulang)."""
    _, entries = record(ctx, lambda b: ops.accrue(b, bulan), dry_run=coba)
    if not any(e.meta.get("jenis") == fac.ACCRUE for e in entries):
        console.print(f"Tidak ada bunga yang perlu diakrualkan sampai akhir {bulan}.")


@app.command("daftar")
def daftar(ctx: typer.Context, per: PerOpt = None, format: FormatOpt = Format.teks) -> None:
    """Daftar pembiayaan: sisa pokok, angsuran berikut, tunggakan, bagian jangka pendek."""
    book = state(ctx).book()
    date = dates.parse(per)
    rows: list[dict[str, Any]] = [
        {
            "kode": s.facility.kode,
            "kreditur": s.facility.kreditur,
            "plafon": s.facility.plafon,
            "dicairkan": s.dicairkan,
            "sisa_pokok": s.sisa_pokok,
            "bunga_terutang": s.bunga_terutang,
            "jatuh_tempo_berikut": s.jatuh_tempo_berikut,
            "angsuran_berikut": s.angsuran_berikut,
            "tunggakan_pokok": s.tunggakan_pokok,
            "tunggakan_bunga": s.tunggakan_bunga,
            "jangka_pendek": fac.current_portion(book, date, s.facility.kode),
        }
        for s in fac.states(book, date)
    ]
    if format is Format.json:
        emit_json({"per": date, "pembiayaan": rows})
        return
    if not rows:
        console.print("Belum ada pembiayaan ('kkmp pembiayaan tambah').")
        return
    table = Table(title=f"Pembiayaan per {dates.fmt(date)}", title_justify="left")
    heads = ("Kode", "Kreditur", "Plafon", "Dicairkan", "Sisa pokok", "Jatuh tempo berikut",
             "Angsuran berikut", "Tunggakan", "Jangka pendek")  # fmt: skip
    for col in heads:
        table.add_column(col, justify="left" if col in heads[:2] else "right")
    for r in rows:
        due = r["jatuh_tempo_berikut"]
        table.add_row(
            r["kode"], r["kreditur"], money.fmt(r["plafon"]), money.fmt(r["dicairkan"]),
            money.fmt(r["sisa_pokok"]), dates.fmt(due) if due else "-",
            money.fmt(r["angsuran_berikut"]),
            money.fmt(r["tunggakan_pokok"] + r["tunggakan_bunga"]), money.fmt(r["jangka_pendek"]),
        )  # fmt: skip
    console.print(table)
