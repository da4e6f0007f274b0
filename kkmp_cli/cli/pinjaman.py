"""`kkmp pinjaman`: the savings-and-loan unit (simulasi, cair, jadwal, angsur, lunasi, daftar …)."""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any

import typer
from rich.console import Console

from kkmp_cli import dates, money
from kkmp_cli.cli import fit, listing
from kkmp_cli.cli.common import (
    DateOpt,
    DryRunOpt,
    Format,
    FormatOpt,
    PerOpt,
    ViaOpt,
    console,
    emit_json,
    planned,
    record,
    state,
)
from kkmp_cli.cli.fit import Col
from kkmp_cli.core import xlsx
from kkmp_cli.errors import KkmpError
from kkmp_cli.loans import accrual
from kkmp_cli.loans import operations as ops
from kkmp_cli.loans import portfolio as pf
from kkmp_cli.loans import schedule as sched

app = typer.Typer(
    help="Unit simpan pinjam: simulasi, pencairan, angsuran, pelunasan, portofolio.",
    no_args_is_help=True,
)


class TableFormat(StrEnum):
    teks = "teks"
    json = "json"
    csv = "csv"


TenorOpt = Annotated[int, typer.Option("--tenor", help="Jumlah angsuran bulanan.")]
PengecualianOpt = Annotated[
    str | None, typer.Option("--pengecualian", help="Alasan pengecualian batas SOP.")
]
DisetujuiOpt = Annotated[
    str | None, typer.Option("--disetujui", help="Nama pengurus yang menyetujui pengecualian.")
]
JasaOpt = Annotated[str, typer.Option("--jasa", help="Jasa per bulan dalam persen, mis. 2,2.")]
MetodeOpt = Annotated[str, typer.Option("--metode", help="flat, menurun (efektif) atau anuitas.")]
DendaOpt = Annotated[
    str | None,
    typer.Option("--denda", help="Ganti denda yang dihitung menurut SOP (mis. 0 bila dibebaskan)."),
]


def _schedule_rows(s: sched.Schedule) -> list[dict[str, Any]]:
    return [
        {
            "ke": i.ke,
            "jatuh_tempo": i.jatuh_tempo,
            "pokok": i.pokok,
            "jasa": i.jasa,
            "angsuran": i.angsuran,
            "sisa_pokok": i.sisa_pokok,
        }
        for i in s.angsuran
    ]


def _schedule_payload(s: sched.Schedule) -> dict[str, Any]:
    return {
        "pokok": s.pokok,
        "tenor": s.tenor,
        "jasa_persen": str(s.jasa_persen),
        "metode": s.metode,
        "total_jasa": s.total_jasa,
        "total_angsuran": s.total_angsuran,
        "angsuran": _schedule_rows(s),
    }


def _print_schedule(
    s: sched.Schedule,
    title: str,
    paid: list[pf.InstalmentStatus] | None = None,
    out: Console | None = None,
) -> None:
    out = out or console
    cols = [
        Col("Ke", "right"),
        Col("Jatuh tempo"),
        Col("Pokok", "right", drop=3),
        Col("Jasa", "right", drop=4),
        Col("Angsuran", "right"),
        Col("Sisa pokok", "right", drop=2),
    ]
    if paid is not None:
        cols.append(Col("Status", drop=1, fold=True))
    rows = []
    for n, i in enumerate(s.angsuran):
        row = [
            str(i.ke),
            dates.fmt(i.jatuh_tempo),
            money.fmt(i.pokok),
            money.fmt(i.jasa),
            money.fmt(i.angsuran),
            money.fmt(i.sisa_pokok),
        ]
        if paid is not None:
            st = paid[n]
            row.append(
                "lunas"
                if st.lunas
                else ("sebagian" if st.pokok_dibayar or st.jasa_dibayar else "belum")
            )
        rows.append(row)
    total = [
        "",
        "Total",
        money.fmt(s.pokok),
        money.fmt(s.total_jasa),
        money.fmt(s.total_angsuran),
        "",
    ]
    rows.append(total + ([""] if paid is not None else []))
    fit.show(out, title, cols, rows)
    out.print(
        f"Metode {sched.METHOD_LABELS[s.metode]}. Pembulatan: jasa tiap angsuran dibulatkan ke rupiah, "
        "pokok dibulatkan ke bawah, angsuran terakhir menampung sisanya."
    )


def _emit_csv(rows: list[dict[str, Any]]) -> None:
    table = [list(rows[0])]
    table += [[v.isoformat() if hasattr(v, "isoformat") else v for v in r.values()] for r in rows]
    typer.echo(xlsx.csv_text(table), nl=False)


@app.command("simulasi")
def simulasi(
    pokok: Annotated[str, typer.Argument(metavar="POKOK", help="Pokok pinjaman, mis. 30jt.")],
    tenor: TenorOpt,
    jasa: JasaOpt,
    metode: MetodeOpt = "flat",
    tanggal: DateOpt = None,
    format: Annotated[
        TableFormat, typer.Option("--format", "-f", help="teks, json atau csv.")
    ] = TableFormat.teks,
) -> None:
    """Simulasi jadwal angsuran (tanpa anggota, tanpa menulis apa pun)."""
    terms = ops.check_terms(money.parse(pokok), tenor, ops.parse_rate(jasa), metode)
    s = ops.simulate(terms, dates.parse(tanggal))
    if format is TableFormat.json:
        emit_json(_schedule_payload(s))
    elif format is TableFormat.csv:
        _emit_csv(_schedule_rows(s))
    else:
        _print_schedule(
            s,
            f"Simulasi pinjaman {money.fmt(s.pokok)}, {s.tenor} bulan, jasa {s.jasa_persen}%/bulan",
        )


@app.command("cair")
def cair(
    ctx: typer.Context,
    nak: Annotated[str, typer.Argument(metavar="NAK", help="Nomor anggota peminjam.")],
    pokok: Annotated[str, typer.Argument(metavar="POKOK", help="Pokok pinjaman, mis. 5.000.000.")],
    tenor: TenorOpt,
    jasa: JasaOpt,
    metode: MetodeOpt = "flat",
    tanggal: DateOpt = None,
    via: ViaOpt = "kas",
    biaya_admin: Annotated[
        str | None,
        typer.Option("--biaya-admin", help="Biaya administrasi (bawaan: persen di SOP)."),
    ] = None,
    pengecualian: PengecualianOpt = None,
    disetujui: DisetujuiOpt = None,
    coba: DryRunOpt = False,
) -> None:
    """Cairkan pinjaman anggota (hanya anggota: USP close loop)."""
    terms = ops.check_terms(money.parse(pokok), tenor, ops.parse_rate(jasa), metode)
    date = dates.parse(tanggal)
    fee = None
    if biaya_admin is not None:
        fee = Decimal(0) if biaya_admin.strip() in ("0", "Rp0") else money.parse(biaya_admin)
    book, entries = record(
        ctx,
        lambda b: ops.disburse(
            b,
            nak,
            terms,
            date,
            via=via,
            biaya_admin=fee,
            pengecualian=pengecualian,
            disetujui=disetujui,
        ),
        dry_run=coba,
    )
    meta = planned(entries, "pinjaman-cair").meta
    loan_id = str(meta["pinjaman"])
    s = ops.simulate(terms, date)
    console.print(
        f"Pinjaman {loan_id}: angsuran pertama {money.fmt(s.angsuran[0].angsuran)} jatuh tempo "
        f"{dates.fmt(s.angsuran[0].jatuh_tempo)}; total jasa {money.fmt(s.total_jasa)}."
    )
    if "pengecualian" in meta:
        console.print(f"Pengecualian dicatat: {meta['pengecualian']}")


@app.command("jadwal")
def jadwal(
    ctx: typer.Context,
    pinjaman: Annotated[
        str, typer.Argument(metavar="ID", help="Nomor pinjaman, mis. PJ-2025-0001.")
    ],
    per: PerOpt = None,
    format: FormatOpt = Format.teks,
    lebar: fit.LebarOpt = None,
) -> None:
    """Jadwal angsuran pinjaman dengan status pembayarannya."""
    book = state(ctx).book()
    loan = pf.get(book, pinjaman)
    st = pf.state(book, loan, dates.parse(per))
    s = loan.schedule()
    if format is Format.json:
        payload = _schedule_payload(s)
        payload.update(_state_payload(st))
        for row, status in zip(payload["angsuran"], st.angsuran, strict=True):
            row["pokok_dibayar"] = status.pokok_dibayar
            row["jasa_dibayar"] = status.jasa_dibayar
            row["lunas"] = status.lunas
        emit_json(payload)
        return
    out = fit.console_of(lebar)
    _print_schedule(s, f"Jadwal {loan.id} - {loan.nak} {loan.nama}", list(st.angsuran), out)
    out.print(
        f"Status {st.status}; sisa pokok {money.fmt(st.sisa_pokok)}; tunggakan pokok "
        f"{money.fmt(st.tunggakan_pokok)}, jasa {money.fmt(st.tunggakan_jasa)}; "
        f"{st.hari_tunggakan} hari; {_class_cell(book, st)}."
    )
    note = _history(loan)
    if note:
        out.print(note)


def _state_payload(st: pf.LoanState) -> dict[str, Any]:
    loan = st.loan
    return {
        "id": loan.id,
        "nak": loan.nak,
        "nama": loan.nama,
        "tanggal": loan.tanggal,
        "pokok": loan.pokok,
        "tenor": loan.tenor,
        "jasa_persen": str(loan.jasa_persen),
        "metode": loan.metode,
        "status": st.status,
        "sisa_pokok": st.sisa_pokok,
        "pokok_dibayar": st.pokok_dibayar,
        "jasa_dibayar": st.jasa_dibayar,
        "denda_dibayar": st.denda_dibayar,
        "tunggakan_pokok": st.tunggakan_pokok,
        "tunggakan_jasa": st.tunggakan_jasa,
        "angsuran_jatuh_tempo": st.angsuran_jatuh_tempo,
        "angsuran_lunas": st.angsuran_lunas,
        "bulan_tunggakan": st.bulan_tunggakan,
        "hari_tunggakan": st.hari_tunggakan,
        "kolektibilitas": st.kolektibilitas,
        "penyisihan": st.penyisihan,
        "pengecualian": loan.pengecualian,
        "disetujui": loan.disetujui,
        "restrukturisasi_dari": loan.restrukturisasi_dari,
        "kolektibilitas_asal": loan.kolektibilitas_asal,
        "golongan_dipertahankan": st.golongan_dipertahankan,
        "angsuran_tepat_waktu": st.angsuran_tepat_waktu,
        "jasa_dikapitalisasi": loan.jasa_dikapitalisasi,
        "jasa_dibebaskan": loan.jasa_dibebaskan,
    }


def _class_cell(book: Any, s: pf.LoanState) -> str:
    if not s.berjalan:
        return s.status
    label = pf.CLASS_LABELS[s.kolektibilitas]
    if s.golongan_dipertahankan:
        need = book.config.pinjaman.restrukturisasi_pulih_setelah
        label += f" (restrukturisasi, {s.angsuran_tepat_waktu}/{need} tepat waktu)"
    return label


def _history(loan: pf.Loan) -> str | None:
    if not loan.restrukturisasi_dari:
        return None
    parts = [
        f"Restrukturisasi dari {loan.restrukturisasi_dari}, golongan asal "
        f"{pf.CLASS_LABELS[loan.kolektibilitas_asal or 'lancar'].lower()}"
    ]
    if loan.jasa_dikapitalisasi:
        parts.append(f"jasa tertunggak {money.fmt(loan.jasa_dikapitalisasi)} ditambahkan ke pokok")
    if loan.jasa_dibebaskan:
        parts.append(f"jasa tertunggak {money.fmt(loan.jasa_dibebaskan)} dibebaskan")
    return "; ".join(parts) + "."


def _parse_fine(denda: str | None) -> Decimal | None:
    if denda is None:
        return None
    return Decimal(0) if denda.strip() in ("0", "Rp0") else money.parse(denda)


@app.command("angsur")
def angsur(
    ctx: typer.Context,
    pinjaman: Annotated[str, typer.Argument(metavar="ID", help="Nomor pinjaman.")],
    jumlah: Annotated[str, typer.Argument(metavar="JUMLAH", help="Jumlah yang dibayar.")],
    tanggal: DateOpt = None,
    via: ViaOpt = "kas",
    denda: DendaOpt = None,
    kelebihan_ke_sukarela: Annotated[
        bool,
        typer.Option("--kelebihan-ke-sukarela", help="Kelebihan bayar masuk simpanan sukarela."),
    ] = False,
    coba: DryRunOpt = False,
) -> None:
    """Catat angsuran: dialokasikan ke denda, lalu jasa, lalu pokok."""
    amount = money.parse(jumlah)
    date = dates.parse(tanggal)
    fine = _parse_fine(denda)
    book, _ = record(
        ctx,
        lambda b: ops.pay(
            b,
            pinjaman,
            amount,
            date,
            via=via,
            denda=fine,
            kelebihan_ke_sukarela=kelebihan_ke_sukarela,
        ),
        dry_run=coba,
    )
    st = pf.state(book, pf.get(book, pinjaman), date, later=True)
    console.print(f"{st.loan.id}: sisa pokok {money.fmt(st.sisa_pokok)}, status {st.status}.")


@app.command("lunasi")
def lunasi(
    ctx: typer.Context,
    pinjaman: Annotated[str, typer.Argument(metavar="ID", help="Nomor pinjaman.")],
    tanggal: DateOpt = None,
    via: ViaOpt = "kas",
    denda: DendaOpt = None,
    coba: DryRunOpt = False,
) -> None:
    """Pelunasan (dipercepat): sisa pokok + jasa menurut aturan pelunasan_jasa di SOP."""
    date = dates.parse(tanggal)
    fine = _parse_fine(denda)
    book, entries = record(
        ctx, lambda b: ops.payoff(b, pinjaman, date, via=via, denda=fine), dry_run=coba
    )
    console.print(
        f"Pelunasan {pinjaman.upper()} menurut aturan '{book.config.pinjaman.pelunasan_jasa}'."
    )


@app.command("daftar")
def daftar(
    ctx: typer.Context,
    per: PerOpt = None,
    semua: Annotated[
        bool, typer.Option("--semua", help="Tampilkan juga pinjaman yang selesai.")
    ] = False,
    format: listing.ListFormatOpt = listing.ListFormat.teks,
    output: listing.ListOutputOpt = None,
    lebar: fit.LebarOpt = None,
) -> None:
    """Portofolio pinjaman: sisa pokok, tunggakan, kolektibilitas, penyisihan, NPL."""
    book = state(ctx).book()
    as_of = dates.parse(per)
    p = pf.portfolio(book, as_of)
    shown = p.pinjaman if semua else p.berjalan
    if format in (listing.ListFormat.csv, listing.ListFormat.xlsx, listing.ListFormat.html):
        listing.write(
            fmt=format,
            output=output,
            koperasi=book.config.nama,
            judul=f"Portofolio pinjaman per {dates.fmt(as_of)} (NPL "
            f"{str(p.npl).replace('.', ',')}%, preset {book.config.pinjaman.kolektibilitas}: "
            f"{book.config.pinjaman.preset.sumber})",
            header=[
                "ID",
                "NAK",
                "Nama",
                "Cair",
                "Pokok",
                "Sisa pokok",
                "Tunggakan",
                "Hari",
                "Kolektibilitas",
                "Penyisihan",
            ],
            rows=[
                [
                    s.loan.id,
                    s.loan.nak,
                    s.loan.nama,
                    dates.fmt(s.loan.tanggal),
                    s.loan.pokok,
                    s.sisa_pokok,
                    s.tunggakan_pokok + s.tunggakan_jasa,
                    s.hari_tunggakan,
                    s.kolektibilitas,
                    s.penyisihan,
                ]
                for s in shown
            ],
            total=[
                "Jumlah",
                f"{len(shown)} pinjaman",
                "",
                "",
                sum((s.loan.pokok for s in shown), Decimal(0)),
                sum((s.sisa_pokok for s in shown), Decimal(0)),
                sum((s.tunggakan_pokok + s.tunggakan_jasa for s in shown), Decimal(0)),
                "",
                "",
                sum((s.penyisihan for s in shown), Decimal(0)),
            ],
            coop_root=book.paths.root,
        )
        return
    if format is listing.ListFormat.json:
        emit_json(
            {
                "per": as_of,
                "kolektibilitas_model": book.config.pinjaman.kolektibilitas,
                "kolektibilitas_sumber": book.config.pinjaman.preset.sumber,
                "catatan": _preset_notice(book),
                "pinjaman": [_state_payload(s) for s in shown],
                "total_sisa_pokok": p.total_sisa_pokok,
                "total_penyisihan": p.total_penyisihan,
                "npl_persen": str(p.npl),
                "per_golongan": p.per_golongan(),
            }
        )
        return
    out = fit.console_of(lebar)
    cols = [
        Col("ID"),
        Col("NAK", drop=1),
        Col("Nama", fold=True),
        Col("Cair", drop=7),
        Col("Pokok", "right", drop=6),
        Col("Sisa pokok", "right"),
        Col("Tunggakan", "right", drop=2),
        Col("Hari", "right", drop=5),
        Col("Kolektibilitas", drop=3, fold=True),
        Col("Penyisihan", "right", drop=4),
    ]
    rows = [
        [
            s.loan.id,
            s.loan.nak,
            s.loan.nama,
            dates.fmt(s.loan.tanggal),
            money.fmt(s.loan.pokok),
            money.fmt(s.sisa_pokok),
            money.fmt(s.tunggakan_pokok + s.tunggakan_jasa),
            str(s.hari_tunggakan),
            _class_cell(book, s),
            money.fmt(s.penyisihan),
        ]
        for s in shown
    ]
    fit.show(out, f"Portofolio pinjaman per {dates.fmt(as_of)}", cols, rows)
    out.print(
        f"Total sisa pokok {money.fmt(p.total_sisa_pokok)}; penyisihan wajib "
        f"{money.fmt(p.total_penyisihan)}; NPL {str(p.npl).replace('.', ',')}% "
        f"(preset {book.config.pinjaman.kolektibilitas}: {book.config.pinjaman.preset.sumber})."
    )
    for note in _preset_notice(book):
        out.print(f"Catatan: {note}")


def _preset_notice(book: Any) -> list[str]:
    alias = book.config.pinjaman.kolektibilitas_alias
    if not alias:
        return []
    return [
        f"kolektibilitas '{alias}' di koperasi.yaml dibaca sebagai "
        f"'{book.config.pinjaman.kolektibilitas}'; tulis nama preset itu agar jelas sumbernya."
    ]


@app.command("cadangkan")
def cadangkan(ctx: typer.Context, per: PerOpt = None, coba: DryRunOpt = False) -> None:
    """Sesuaikan penyisihan piutang dengan kebutuhan portofolio per tanggal."""
    as_of = dates.parse(per)
    book, _ = record(ctx, lambda b: ops.provision(b, as_of), dry_run=coba)
    for note in _preset_notice(book):
        console.print(f"Catatan: {note}")


@app.command("akrual")
def akrual(
    ctx: typer.Context,
    bulan: Annotated[
        str | None,
        typer.Option("--bulan", help="Bulan yang diakrualkan, YYYY-MM (mis. 2025-12)."),
    ] = None,
    sesuaikan: Annotated[
        bool,
        typer.Option(
            "--sesuaikan",
            help="Catat penyesuaian akrual jasa yang diminta 'kkmp periksa' (buku kkmp versi "
            "lama), bukan akrual satu bulan.",
        ),
    ] = False,
    coba: DryRunOpt = False,
) -> None:
    """Akui jasa angsuran yang jatuh tempo dalam bulan itu dan belum dibayar sebagai piutang
    jasa (SAK EP); pinjaman kurang lancar atau lebih buruk dibalik (non-akrual). Dengan
    --sesuaikan: samakan piutang jasa tiap pinjaman dengan akrual dan pembayaran menurut
    urutan tanggal (temuan 'kkmp periksa')."""
    if sesuaikan:
        if bulan is not None:
            raise KkmpError("Pilih salah satu: --bulan (akrual satu bulan) atau --sesuaikan.")
        _, entries = record(ctx, accrual.realign, dry_run=coba)
        count = sum(1 for e in entries if e.meta.get("jenis") == accrual.ADJUSTMENT)
        done = "akan dicatat (tidak ditulis, --coba)" if coba else "dicatat"
        console.print(f"Penyesuaian akrual jasa {done}: {count} transaksi.")
        return
    if bulan is None:
        raise KkmpError("Sebutkan --bulan YYYY-MM, atau --sesuaikan untuk temuan 'kkmp periksa'.")
    year, month = accrual.parse_month(bulan)
    book, entries = record(ctx, lambda b: accrual.accrue(b, year, month), dry_run=coba)
    console.print(f"Akrual jasa bulan {year:04d}-{month:02d}: {money.fmt(accrual.total(entries))}.")


@app.command("hapus-buku")
def hapus_buku(
    ctx: typer.Context,
    pinjaman: Annotated[str, typer.Argument(metavar="ID", help="Nomor pinjaman.")],
    alasan: Annotated[
        str, typer.Option("--alasan", help="Alasan hapus buku (keputusan pengurus).")
    ],
    tanggal: DateOpt = None,
    coba: DryRunOpt = False,
) -> None:
    """Hapus buku sisa pokok terhadap penyisihan; pembayaran kemudian menjadi pendapatan pemulihan."""
    date = dates.parse(tanggal)
    record(ctx, lambda b: ops.write_off(b, pinjaman, date, alasan=alasan), dry_run=coba)


@app.command("restrukturisasi")
def restrukturisasi(
    ctx: typer.Context,
    pinjaman: Annotated[str, typer.Argument(metavar="ID", help="Nomor pinjaman lama.")],
    tenor: TenorOpt,
    jasa: JasaOpt,
    alasan: Annotated[str, typer.Option("--alasan", help="Alasan restrukturisasi.")],
    metode: MetodeOpt = "flat",
    tanggal: DateOpt = None,
    jasa_tertunggak: Annotated[
        str | None,
        typer.Option(
            "--jasa-tertunggak",
            help="Jasa yang menunggak: pokok (bawaan; ditambahkan ke pokok baru) atau hapus "
            "(dibebaskan).",
        ),
    ] = None,
    pengecualian: PengecualianOpt = None,
    disetujui: DisetujuiOpt = None,
    coba: DryRunOpt = False,
) -> None:
    """Jadwal baru untuk sisa pokok; riwayat pinjaman lama tetap utuh, golongannya tetap
    sampai beberapa angsuran dibayar tepat waktu."""
    date = dates.parse(tanggal)
    rate = ops.parse_rate(jasa)
    book, entries = record(
        ctx,
        lambda b: ops.restructure(
            b,
            pinjaman,
            lambda sisa: ops.check_terms(sisa, tenor, rate, metode),
            date,
            alasan=alasan,
            jasa_tertunggak=jasa_tertunggak,
            pengecualian=pengecualian,
            disetujui=disetujui,
        ),
        dry_run=coba,
    )
    meta = planned(entries, "pinjaman-restruktur").meta
    console.print(
        f"Pinjaman baru: {meta['pinjaman']}; golongan "
        f"{pf.CLASS_LABELS[meta['kolektibilitas_asal']].lower()} dipertahankan sampai "
        f"{book.config.pinjaman.restrukturisasi_pulih_setelah} angsuran dibayar tepat waktu."
    )
    if meta.get("jasa_dikapitalisasi"):
        console.print(
            f"Jasa tertunggak {money.fmt(meta['jasa_dikapitalisasi'])} ditambahkan ke pokok baru "
            "(--jasa-tertunggak hapus untuk membebaskannya)."
        )
    if meta.get("jasa_dibebaskan"):
        console.print(f"Jasa tertunggak {money.fmt(meta['jasa_dibebaskan'])} dibebaskan.")
    if "pengecualian" in meta:
        console.print(f"Pengecualian dicatat: {meta['pengecualian']}")
