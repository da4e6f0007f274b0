"""The RAT book (Laporan Pertanggungjawaban Pengurus): everything the annual members' meeting
needs, computed from the ledger plus rat.yaml, with every gap marked and never invented."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from kkmp_cli import chart, dates, money
from kkmp_cli.closing import closing
from kkmp_cli.core import config
from kkmp_cli.core.ledger import Book
from kkmp_cli.errors import KkmpError
from kkmp_cli.loans import checks as loan_checks
from kkmp_cli.loans import portfolio as pf
from kkmp_cli.loans import schedule as sched
from kkmp_cli.members import deposits
from kkmp_cli.members import register as members
from kkmp_cli.rat import accountability, meeting, notes, tables
from kkmp_cli.reports import periods, statements, totals, views
from kkmp_cli.shu import shu

GAP = "[BELUM DIISI]"
ZERO = Decimal(0)


@dataclass(frozen=True)
class Gap:
    bagian: str
    isi: str

    def __str__(self) -> str:
        return f"{self.bagian}: {self.isi}"


def _text(value: Any) -> str | None:
    if value is None:
        return None
    s = str(value).strip()
    return s or None


def membership(book: Book, year: int) -> dict[str, Any]:
    start, end = statements.year_bounds(year)
    reg = members.register(book).values()
    at_start = [m for m in reg if m.masuk < start and (m.keluar is None or m.keluar >= start)]
    joined = [m for m in reg if start <= m.masuk <= end]
    left = [m for m in reg if m.keluar is not None and start <= m.keluar <= end]
    at_end = [m for m in reg if m.masuk <= end and (m.keluar is None or m.keluar > end)]
    gender = {"L": 0, "P": 0, "?": 0}
    for m in at_end:
        gender[m.jenis_kelamin if m.jenis_kelamin in ("L", "P") else "?"] += 1
    return {
        "awal": len(at_start),
        "masuk": len(joined),
        "keluar": len(left),
        "akhir": len(at_end),
        "laki_laki": gender["L"],
        "perempuan": gender["P"],
        "tidak_diketahui": gender["?"],
        "keluar_rinci": [
            {
                "nak": m.nak,
                "nama": m.nama,
                "tanggal": dates.fmt(m.keluar),
                "alasan": m.alasan_keluar or "",
            }
            for m in left
            if m.keluar
        ],
    }


def unit_results(
    book: Book, year: int, budget: dict[str, Decimal | None], gaps: list[Gap]
) -> list[dict[str, str]]:
    """Each unit usaha's result for the year against its RAPB."""
    phu = statements.phu(book, year)
    rows = []
    for row in phu.baris:
        if row.level == 2 and row.label.startswith("Hasil unit "):
            unit = row.label[len("Hasil unit ") :]
            key = unit.replace(" ", "-")
            actual = row.nilai[0] or ZERO
            plan = budget.get(key, budget.get(unit))
            if plan is None:
                gaps.append(Gap("RAPB", f"anggaran hasil unit {unit} tahun {year} (rapb.{key})"))
                rows.append(
                    {
                        "unit": unit,
                        "realisasi": tables.rp(actual),
                        "anggaran": GAP,
                        "selisih": "",
                        "persen": "",
                    }
                )
                continue
            planned = plan
            pct = (
                f"{(actual * 100 / planned).quantize(Decimal('0.1'))}%".replace(".", ",")
                if planned
                else ""
            )
            rows.append(
                {
                    "unit": unit,
                    "realisasi": tables.rp(actual),
                    "anggaran": tables.rp(planned),
                    "selisih": tables.rp(actual - planned),
                    "persen": pct,
                }
            )
    return rows


def capital(book: Book, year: int) -> list[dict[str, str]]:
    """Capital: modal sendiri (equity) and modal luar (borrowed), each with its subtotal.
    Modal sendiri is the neraca's equity (`statements.modal_sendiri`), a closed year's SHU
    belum dibagi included; the total is the neraca's liabilities and equity (#18)."""
    end = dt.date(year, 12, 31)
    sums = statements.sums(book, None, end)

    def under(prefix: str) -> Decimal:
        return -sum((v for a, v in sums.items() if a == prefix or a.startswith(prefix + ":")), ZERO)

    own = statements.modal_sendiri(book, end)
    unclosed = statements.unclosed_result(sums)
    # Each kind of simpanan on the side its account is: pokok and wajib in modal sendiri,
    # sukarela and berjangka owed to the members (modal luar).
    savings = [(chart.SIMPANAN_LABELS[k].capitalize(), p) for k, p in chart.SIMPANAN.items()]
    owed = [(k, under(p)) for k, p in savings if p.startswith(statements.LIABILITIES + ":")]
    named = [
        *((k, under(p)) for k, p in savings if p.startswith(statements.EQUITY + ":")),
        ("Cadangan", under(chart.CADANGAN)),
        ("Hibah", under(chart.HIBAH)),
    ]
    rest = own - unclosed - sum((v for _, v in named), ZERO)
    equity = [*named, ("SHU belum dibagi dan saldo lain", rest)]
    if unclosed:
        equity.append(("SHU tahun berjalan (belum ditutup)", unclosed))
    bank = under(chart.UTANG_BANK) + under(chart.UTANG_TALANGAN)
    outside = [
        *owed,
        ("Pinjaman bank dan pembiayaan", bank),
        ("Utang usaha, dana SHU dan kewajiban lain", under(statements.LIABILITIES)
         - sum((v for _, v in owed), ZERO) - bank),
    ]  # fmt: skip
    rows = [{"pos": "Modal sendiri", "jumlah": "", "kelas": "t0"}]
    rows += [{"pos": k, "jumlah": tables.rp(v), "kelas": "t1"} for k, v in equity if v]
    rows.append({"pos": "Jumlah modal sendiri", "jumlah": tables.rp(own), "kelas": "t2"})
    rows.append({"pos": "Modal luar", "jumlah": "", "kelas": "t0"})
    rows += [{"pos": k, "jumlah": tables.rp(v), "kelas": "t1"} for k, v in outside if v]
    other = sum((v for _, v in outside), ZERO)
    rows.append({"pos": "Jumlah modal luar", "jumlah": tables.rp(other), "kelas": "t2"})
    rows.append({"pos": "Jumlah modal", "jumlah": tables.rp(own + other), "kelas": "t3"})
    return rows


def _pct(a: Decimal, b: Decimal) -> Decimal:
    return (a * 100 / b).quantize(Decimal("0.01")) if b else ZERO


def waived_checks(book: Book, year: int) -> list[dict[str, str]]:
    """Year-end checklist items the year was closed without (`tutup-buku --abaikan`) and every
    reopening of the year (`tutup-buku --buka`), for the compliance chapter (#11)."""
    return [
        {
            "pemeriksaan": f"Tutup buku tanpa butir daftar periksa '{item}' (alasan: {reason})",
            "angka": "dilewati",
            "batas": "-",
            "hasil": "Dilewati",
        }
        for item, reason in closing.waivers(book, year).items()
    ] + [
        {
            "pemeriksaan": f"Tahun buku {year} dibuka kembali {dates.fmt(c.date)} "
            f"(alasan: {c.meta.get('alasan', '')}; disetujui {c.meta.get('disetujui', '')})",
            "angka": "dibuka kembali",
            "batas": "-",
            "hasil": "Dicatat",
        }
        for c in closing.reopenings(book)
        if c.values and int(c.values[0].value) == year
    ]


def checks(book: Book, year: int, inputs: config.RatInputs) -> list[dict[str, str]]:
    rules = book.config.kepatuhan
    end = dt.date(year, 12, 31)
    result: list[dict[str, str]] = []

    def add(name: str, figure: str, limit: str, ok: bool | None) -> None:
        verdict = "Belum dapat dinilai" if ok is None else ("Sesuai" if ok else "Tidak sesuai")
        result.append({"pemeriksaan": name, "angka": figure, "batas": limit, "hasil": verdict})

    rat_date = inputs.tanggal
    deadline = sched.add_months(end, rules.bulan_batas_rat)
    add(
        f"RAT paling lambat {rules.bulan_batas_rat} bulan sesudah tahun buku (UU 25/1992)",
        dates.fmt(rat_date) if rat_date else GAP,
        dates.fmt(deadline),
        None if rat_date is None else rat_date <= deadline,
    )
    filing = inputs.batas_pelaporan
    add(
        "RAT sebelum batas pelaporan (surat edaran Kemenkop)",
        dates.fmt(rat_date) if rat_date else GAP,
        dates.fmt(filing) if filing else GAP,
        None if (rat_date is None or filing is None) else rat_date <= filing,
    )
    if not inputs.kehadiran.empty:  # after the meeting: its quorum per the AD/ART (#18)
        q, _ = meeting.count(book, year, inputs)
        add(
            f"Kuorum RAT ({q.aturan}; koperasi.yaml rapat_anggota)",
            f"{q.terhitung} hadir" + (f" (termasuk {q.kuasa} kuasa)" if q.kuasa else ""),
            f">= {q.perlu}",
            q.tercapai,
        )
    # No row for "the SHU percentages add up to 100": config refuses koperasi.yaml otherwise (#19).
    active_rows = deposits.arrears(book, end)
    late = sum(1 for r in active_rows if r.tunggakan > 0)
    rate = _pct(Decimal(late), Decimal(len(active_rows)))
    add(
        "Anggota menunggak simpanan wajib",
        f"{late} dari {len(active_rows)} ({money.fmt_pct(rate)})",
        f"<= {money.fmt_pct(rules.batas_tunggakan_wajib_persen)}",
        rate <= rules.batas_tunggakan_wajib_persen,
    )
    port = pf.portfolio(book, end)
    add(
        "Rasio pinjaman bermasalah (NPL)",
        money.fmt_pct(port.npl),
        f"<= {money.fmt_pct(rules.batas_npl_persen)}",
        port.npl <= rules.batas_npl_persen,
    )
    # Judged on what the ledger holds (loan_checks), not only on the exceptions recorded.
    over = loan_checks.breaches(book, end)
    add(
        "Pinjaman melewati batas SOP tercatat dengan alasan dan persetujuan",
        f"{len(over)} pinjaman" + (": " + ", ".join(b.loan.id for b in over) if over else ""),
        "semua disetujui",
        all(b.disetujui for b in over),
    )
    sums_now = statements.sums(book, None, end)
    sums_prev = statements.sums(book, None, dt.date(year - 1, 12, 31))
    c_now, c_prev = -sums_now.get(chart.CADANGAN, ZERO), -sums_prev.get(chart.CADANGAN, ZERO)
    add(
        "Cadangan tidak berkurang",
        f"{money.fmt(c_prev)} -> {money.fmt(c_now)}",
        "tidak turun",
        c_now >= c_prev,
    )
    equity = statements.modal_sendiri(book, end)
    must_audit = bool(port.pinjaman) and equity >= rules.batas_audit_modal
    audited = inputs.audit_kap
    add(
        "Audit akuntan publik (USP dengan modal sendiri >= batas)",
        f"modal sendiri {money.fmt(equity)}" + ("; wajib audit" if must_audit else "; tidak wajib"),
        money.fmt(rules.batas_audit_modal),
        (not must_audit) or audited,
    )
    return result


def officers(book: Book) -> dict[str, Any]:
    org = book.config.organisasi
    return {
        "pengurus": [o.__dict__ for o in org.pengurus],
        "pengawas": [o.__dict__ for o in org.pengawas],
    }


def build(
    book: Book, year: int, inputs: config.RatInputs, jejak: dict[str, str]
) -> tuple[dict[str, Any], list[Gap]]:
    """The book's whole content, formatted, and the list of gaps (missing inputs); `jejak` is
    the provenance printed in every page footer (ledger digest, git commit)."""
    gaps: list[Gap] = []
    cfg = book.config
    periods.require_within_books(book, periods.Period.year(year))
    if not totals.booked_in(book, year):
        raise KkmpError(f"Tidak ada transaksi pada tahun buku {year}.")

    def need(value: Any, section: str, what: str) -> str:
        text = _text(value)
        if text is None:
            gaps.append(Gap(section, what))
            return GAP
        return text

    rat_date = inputs.tanggal
    identity = {
        "nama": cfg.nama,
        "nomor_badan_hukum": need(
            cfg.nomor_badan_hukum, "Identitas", "nomor badan hukum (koperasi.yaml)"
        ),
        "alamat": need(cfg.alamat, "Identitas", "alamat (koperasi.yaml)"),
        "kelurahan_desa": _text(cfg.kelurahan_desa) or "",
        "tahun": year,
        "rat_ke": need(inputs.ke, "RAT", "RAT ke berapa (rat.ke)"),
        "rat_tanggal": dates.fmt_long(rat_date)
        if rat_date
        else need(None, "RAT", "tanggal RAT (rat.tanggal)"),
        "rat_tempat": need(inputs.tempat, "RAT", "tempat RAT (rat.tempat)"),
    }
    org = officers(book)
    if not org["pengurus"]:
        gaps.append(Gap("Organisasi", "daftar pengurus (koperasi.yaml organisasi.pengurus)"))
    if not org["pengawas"]:
        gaps.append(Gap("Organisasi", "daftar pengawas (koperasi.yaml organisasi.pengawas)"))
    staff = [{"nama": s.nama, "jabatan": s.jabatan} for s in inputs.karyawan]
    meetings = [
        {
            "tanggal": dates.fmt(m.tanggal) if m.tanggal else "",
            "jenis": m.jenis,
            "acara": m.acara,
        }
        for m in inputs.rapat
    ]
    if not meetings:
        gaps.append(Gap("Organisasi", "rapat-rapat yang diadakan selama tahun buku (rapat)"))

    neraca = statements.neraca(book, year)
    phu = statements.phu(book, year)
    ekuitas = statements.ekuitas(book, year)
    arus = statements.arus_kas(book, year)
    end = dt.date(year, 12, 31)
    port = pf.portfolio(book, end)
    prior = tables.has_books(book, year - 1)
    sheet: shu.Sheet | None = None
    try:
        sheet = shu.compute(book, year)
        shu_view: dict[str, Any] | None = {**views.shu_view(sheet), "koperasi": cfg.nama}
        if shu_view is not None and sum((x.jumlah for x in sheet.pos), ZERO) == sheet.shu:
            # The pool table closes with its total, the SHU it divides (#18).
            total = {"nama": "Jumlah (SHU dibagi)", "persen": "", "porsi": "100% SHU"}
            shu_view["pool"] = [*shu_view["pool"], {**total, "jumlah": tables.rp(sheet.shu)}]
        shu_note = ""
    except shu.TidakAdaSHU as exc:
        shu_view, shu_note = None, str(exc)
        if phu.total["shu"] < 0:
            shu_note += " " + shu.loss_note(book, year)
    if inputs.laporan_pengawas.empty:
        gaps.append(Gap("Pengawas", "laporan pengawas (laporan_pengawas)"))
    accountable, missing = accountability.build(book, year, inputs, port, sheet)
    gaps += [Gap("Pertanggungjawaban", m) for m in missing]
    people = membership(book, year)
    members_now = int(people["akhir"])

    context: dict[str, Any] = {
        "identitas": identity,
        "pengantar": need(
            inputs.pengantar, "Kata pengantar", "kata pengantar pengurus (pengantar)"
        ),
        "organisasi": {**org, "karyawan": staff, "rapat": meetings},
        "keanggotaan": people,
        "unit": unit_results(book, year, inputs.rapb, gaps),
        "modal": capital(book, year),
        "laporan": {
            "neraca": tables.statement(neraca, year, prior),
            "phu": tables.statement(phu, year, prior),
            "ekuitas": tables.statement(ekuitas, year, prior),
            "arus_kas": tables.statement(arus, year, prior),
        },
        "calk": notes.build(book, year, inputs, port, members_now, prior),
        "shu": shu_view,
        "shu_catatan": shu_note,
        "laporan_pengawas": accountability.pengawas(book, inputs.laporan_pengawas),
        "pertanggungjawaban": accountable,
        "lampiran": accountability.annexes(book, year, port),
        "rencana_kerja": list(inputs.rencana_kerja),
        "rapb_tahun_depan": [
            {"pos": k, "jumlah": money.fmt(v) if isinstance(v, Decimal) else v}
            for k, v in inputs.rapb_tahun_depan
        ],
        "rancangan_keputusan": list(inputs.rancangan_keputusan),
        "kepatuhan": checks(book, year, inputs) + waived_checks(book, year),
        "tanda_tangan": _signatures(org),
        "jejak": jejak,
        "gap": GAP,
    }
    if not context["rencana_kerja"]:
        gaps.append(Gap("Rencana kerja", f"rencana kerja tahun {year + 1} (rencana_kerja)"))
    if not context["rapb_tahun_depan"]:
        gaps.append(Gap("RAPB", f"RAPB tahun {year + 1} (rapb_tahun_depan)"))
    if not context["rancangan_keputusan"]:
        gaps.append(Gap("Rancangan keputusan", "rancangan keputusan RAT (rancangan_keputusan)"))
    context["bab"] = chapters(year, bool(context["lampiran"]))
    context["kekurangan"] = [str(g) for g in _unique(gaps)]
    return context, _unique(gaps)


CHAPTERS = (
    ("pengantar", "Kata Pengantar"),
    ("organisasi", "Organisasi"),
    ("keanggotaan", "Keanggotaan"),
    ("usaha", "Hasil Unit Usaha terhadap RAPB"),
    ("modal", "Permodalan"),
    ("laporan", "Laporan Keuangan"),
    ("calk", "Catatan atas Laporan Keuangan"),
    ("shu", "Sisa Hasil Usaha dan Usulan Pembagiannya"),
    ("kepatuhan", "Kepatuhan terhadap SOP"),
    ("pertanggungjawaban", "Pertanggungjawaban Pengurus"),
    ("pengawas", "Laporan Pengawas"),
    ("rencana", "Rencana Kerja dan RAPB {next}"),
    ("keputusan", "Rancangan Keputusan"),
    ("ttd", "Pengesahan"),
    ("lampiran", "Lampiran"),
)


def chapters(year: int, annexes: bool) -> list[dict[str, Any]]:
    """The contents: each chapter's anchor, number and title (page numbers are the
    renderer's, through CSS target-counter)."""
    wanted = [c for c in CHAPTERS if annexes or c[0] != "lampiran"]
    return [
        {"id": key, "nomor": i, "judul": title.format(next=year + 1)}
        for i, (key, title) in enumerate(wanted, 1)
    ]


def _unique(gaps: list[Gap]) -> list[Gap]:
    seen: list[Gap] = []
    for g in gaps:
        if g not in seen:
            seen.append(g)
    return seen


def _signatures(org: dict[str, Any]) -> list[dict[str, str]]:
    wanted = ("ketua", "sekretaris", "bendahara")
    result = []
    for role in wanted:
        person = next((o for o in org["pengurus"] if str(o["jabatan"]).lower() == role), None)
        result.append({"jabatan": role.capitalize(), "nama": person["nama"] if person else GAP})
    for o in org["pengawas"]:
        result.append({"jabatan": str(o["jabatan"]) or "Pengawas", "nama": str(o["nama"])})
    if not org["pengawas"]:
        result.append({"jabatan": "Pengawas", "nama": GAP})
    return result
