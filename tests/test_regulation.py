"""Collectibility presets named by their source (#21) and SHU pools by the rules a KDMP is held
to (#13): band edges day by day, the village's imbal jasa, honest labels, rounding."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import Cli, reload, snapshot, transactions
from conftest import ok as _ok
from conftest import refused as _refused
from conftest import run as _run

from kkmp_cli.core.ledger import Paths, load

D = Decimal
FIRST_DUE = dt.date(2025, 2, 3)  # the loan of 03-01-2025 falls due monthly from 03-02-2025


def _preset(root: Path, name: str) -> None:
    cfg = root / "koperasi.yaml"
    text = cfg.read_text()
    start = text.index("  kolektibilitas: ")
    end = text.index("\n", start)
    text = text[:start] + f"  kolektibilitas: {name}" + text[end:]
    # The allowances of the preset itself (the template wrote the koperasi ones).
    start = text.index("  penyisihan_persen:")
    end = text.index("  restrukturisasi_pulih_setelah")
    cfg.write_text(text[:start] + text[end:])


@pytest.fixture
def late(cli: Cli) -> Cli:
    """A0001's loan of 03-01-2025, 1.200.000 over 12 months flat 1 %, nothing ever paid."""
    _run(
        cli,
        "anggota|tambah|Ani|--tanggal|02-01-2025",
        "simpanan|setor|A0001|pokok|100.000|--tanggal|02-01-2025",
        "simpanan|setor|A0001|sukarela|2jt|--tanggal|02-01-2025",
        "pinjaman|cair|A0001|1.200.000|--tenor|12|--jasa|1|--tanggal|03-01-2025",
    )
    return cli


def _class(cli: Cli, days: int) -> tuple[str, int, int]:
    per = FIRST_DUE + dt.timedelta(days=days)
    out = json.loads(_ok(cli, "pinjaman", "daftar", "--per", f"{per:%d-%m-%Y}", "-f", "json"))
    loan = out["pinjaman"][0]
    assert loan["hari_tunggakan"] == days
    return loan["kolektibilitas"], loan["penyisihan"], out["total_penyisihan"]


BANDS = {
    # POJK 40/POJK.03/2019: DPK 1-90, KL 91-120, D 121-180, M > 180; PPKA 1/5/15/50/100 %.
    "bank-umum": [
        (0, "lancar", 1),
        (1, "dalam_perhatian_khusus", 5),
        (90, "dalam_perhatian_khusus", 5),
        (91, "kurang_lancar", 15),
        (120, "kurang_lancar", 15),
        (121, "diragukan", 50),
        (180, "diragukan", 50),
        (181, "macet", 100),
    ],
    # POJK 1/2024 (BPR): lancar to 30 days, DPK 31-90, KL 91-180, D 181-360, M > 360;
    # PPKA at least 0,5/3/10/50/100 %.
    "bpr": [
        (30, "lancar", D("0.5")),
        (31, "dalam_perhatian_khusus", 3),
        (90, "dalam_perhatian_khusus", 3),
        (91, "kurang_lancar", 10),
        (180, "kurang_lancar", 10),
        (181, "diragukan", 50),
        (360, "diragukan", 50),
        (361, "macet", 100),
    ],
}


@pytest.mark.parametrize("preset", sorted(BANDS))
def test_day_presets_at_every_band_edge(late: Cli, preset: str) -> None:
    _preset(late.root, preset)
    for days, klass, pct in BANDS[preset]:
        got, allowance, _ = _class(late, days)
        assert got == klass, (preset, days, got)
        assert allowance == D(1_200_000) * D(pct) / 100, (preset, days)
    # cadangkan books what the preset requires: the day before macet, then macet.
    for days, expected in ((BANDS[preset][-2][0], 600_000), (BANDS[preset][-1][0], 1_200_000)):
        per = FIRST_DUE + dt.timedelta(days=days)
        _ok(late, "pinjaman", "cadangkan", "--per", f"{per:%d-%m-%Y}")
        book = load(Paths(late.root), fresh=True)
        assert book.balance_on("Aset:Penyisihan-Piutang-Pinjaman", per) == -D(expected)


def test_issue_cases_bank_umum_and_alias_notice(late: Cli) -> None:
    # The auditor's cases of #21: 121 days diragukan, 180 diragukan, 181 macet, 271 macet.
    _preset(late.root, "bank")
    assert [_class(late, d)[0] for d in (121, 180, 181, 271)] == [
        "diragukan",
        "diragukan",
        "macet",
        "macet",
    ]
    out = _ok(late, "pinjaman", "daftar", "--per", "03-06-2025")
    assert "'bank' di koperasi.yaml dibaca sebagai 'bank-umum'" in " ".join(out.split())
    assert "POJK 40/POJK.03/2019" in " ".join(out.split())


def test_koperasi_preset_months_and_provision(late: Cli) -> None:
    # More than 3 instalments of pokok in arrears: kurang lancar (the 4th falls due 03-05-2025).
    assert _class(late, (dt.date(2025, 5, 2) - FIRST_DUE).days)[0] == "lancar"
    klass, allowance, _ = _class(late, (dt.date(2025, 5, 3) - FIRST_DUE).days)
    assert (klass, allowance) == ("kurang_lancar", 600_000)  # 50 % (Permen KUKM 14/2009)
    assert _class(late, (dt.date(2025, 8, 3) - FIRST_DUE).days)[0] == "diragukan"  # 7 months
    _ok(late, "pinjaman", "cadangkan", "--per", "03-08-2025")
    bal = load(Paths(late.root), fresh=True).balances()
    assert bal["Aset:Penyisihan-Piutang-Pinjaman"] == -D(900_000)  # 75 % of 1.200.000
    assert _ok(late, "periksa")


def test_koperasi_preset_months_run_on_past_the_last_instalment(cli: Cli) -> None:
    """Months of arrears are counted from the first principal not paid, not by the instalments
    left unpaid: a 3-month loan unpaid all year was lancar for ever (found by an adversarial
    review, #16)."""
    _run(
        cli,
        "anggota|tambah|Ani|--tanggal|02-01-2025",
        "simpanan|setor|A0001|pokok|100.000|--tanggal|02-01-2025",
        "simpanan|setor|A0001|sukarela|2jt|--tanggal|02-01-2025",
        "pinjaman|cair|A0001|1.200.000|--tenor|3|--jasa|1|--tanggal|03-01-2025",
    )
    seen = {}
    for per in ("02-05-2025", "03-05-2025", "02-08-2025", "03-08-2025", "31-12-2025"):
        out = json.loads(_ok(cli, "pinjaman", "daftar", "--per", per, "-f", "json"))
        seen[per] = (out["pinjaman"][0]["bulan_tunggakan"], out["pinjaman"][0]["kolektibilitas"])
    assert seen == {
        "02-05-2025": (3, "lancar"),
        "03-05-2025": (4, "kurang_lancar"),
        "02-08-2025": (6, "kurang_lancar"),
        "03-08-2025": (7, "diragukan"),
        "31-12-2025": (11, "diragukan"),
    }


def test_cadangkan_follows_the_preset(late: Cli) -> None:
    _preset(late.root, "bpr")
    _ok(late, "pinjaman", "cadangkan", "--per", "31-07-2025")  # 178 days: kurang lancar
    bal = load(Paths(late.root), fresh=True).balances()
    assert bal["Aset:Penyisihan-Piutang-Pinjaman"] == -D(120_000)  # 10 % of 1.200.000


def test_rat_book_names_the_preset(late: Cli) -> None:
    from kkmp_cli.rat import notes

    book = load(Paths(late.root), fresh=True)
    assert any(
        "Permen KUKM 14/Per/M.KUKM/XII/2009" in k for k in notes.policies(book, 2025, False)["teks"]
    )


# --- SHU pools (#13) ---

KDMP_SHU = """\
shu:
  kdmp: true
  pembagian:
    imbal_jasa_desa: {persen: 20, nama: "Imbal jasa Pemerintah Desa", dasar: shu_total}
    cadangan: 40
    jasa_modal: 20
    jasa_usaha:
      penjualan: 20
    pendidikan: 10
    sosial: 10
"""


def _shu_config(root: Path, text: str) -> None:
    cfg = root / "koperasi.yaml"
    old = cfg.read_text()
    start = old.index("shu:\n")
    end = old.index("# --- Kas dan bank")
    cfg.write_text(old[:start] + text + "\n" + old[end:])


@pytest.fixture
def outlet(cli: Cli) -> Cli:
    """SHU 100.000.000 of 2025: gross profit 60.000.000 from the member, 40.000.000 from
    non-members (no costs)."""
    _run(
        cli,
        "anggota|tambah|Ani|--tanggal|02-01-2025",
        "simpanan|setor|A0001|pokok|100.000|--tanggal|02-01-2025",
        "gerai|barang|tambah|PAKET|--nama|Paket|--harga-jual|150.000|--tanggal|02-01-2025",
        "gerai|beli|PAKET|1000|--harga|50.000|--pemasok|Grosir|--kredit|--tanggal|03-01-2025",
        "gerai|jual|PAKET|600|--anggota|A0001|--tanggal|04-01-2025",
        "gerai|jual|PAKET|400|--tanggal|05-01-2025",
    )
    _shu_config(cli.root, KDMP_SHU)
    return cli


def _pos(sheet: dict) -> dict[str, dict]:
    return {p["kode"]: p for p in sheet["pos"]}


def test_village_share_off_the_whole_shu(outlet: Cli) -> None:
    sheet = json.loads(_ok(outlet, "shu", "hitung", "2025", "-f", "json"))
    assert sheet["shu"] == 100_000_000
    pos = _pos(sheet)
    assert pos["imbal_jasa_desa"]["jumlah"] == 20_000_000
    assert pos["imbal_jasa_desa"]["dasar"] == "shu_total"
    # The remaining 80.000.000 split 60:40 between members and non-members.
    assert sheet["shu_anggota"] == 48_000_000 and sheet["shu_non_anggota"] == 32_000_000
    assert pos["cadangan"]["jumlah"] == 19_200_000 and pos["cadangan"]["persen"] == "40"
    assert pos["cadangan"]["porsi_shu"] == "19.20"
    assert pos["cadangan_non_anggota"]["jumlah"] == 32_000_000
    assert pos["jasa_modal"]["jumlah"] == 9_600_000
    assert pos["jasa_usaha.penjualan"]["jumlah"] == 9_600_000
    assert pos["pendidikan"]["jumlah"] == pos["sosial"]["jumlah"] == 4_800_000
    assert sum(p["jumlah"] for p in sheet["pos"]) == 100_000_000
    assert sheet["anggota"][0]["total"] == 19_200_000
    text = " ".join(_ok(outlet, "shu", "hitung", "2025").split())
    assert "Imbal jasa Pemerintah Desa" in text and "20% dari seluruh SHU" in text
    _ok(outlet, "tutup-buku", "2025")
    _ok(outlet, "shu", "bagikan", "2025", "--tanggal", "15-03-2026")
    bal = load(Paths(outlet.root), fresh=True).balances()
    assert bal["Kewajiban:Imbal-Jasa-Desa"] == -D(20_000_000)
    assert bal["Ekuitas:Cadangan"] == -D(19_200_000 + 32_000_000)
    assert reload(outlet.root)[1] == []
    _ok(outlet, "periksa")
    # A hand edit that shorts the village is caught.
    year = Paths(outlet.root).year_file(2026)
    text = year.read_text()
    assert "Kewajiban:Imbal-Jasa-Desa" in text
    text = text.replace("-20000000 IDR", "-10000000 IDR", 1).replace(
        "Ekuitas:Cadangan  ", "Ekuitas:Cadangan  ", 1
    )
    year.write_text(_shift_to_cadangan(text, 10_000_000))
    r = outlet("periksa")
    assert r.exit_code != 0 and "kurang dari 20 % SHU" in " ".join(r.output.split()), r.output


def _shift_to_cadangan(text: str, amount: int) -> str:
    """Move `amount` more onto the cadangan line of the distribution (keeps it balanced)."""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        if line.strip().startswith("Ekuitas:Cadangan") and "IDR" in line:
            parts = line.split()
            value = int(parts[1]) - amount
            lines[i] = f"  Ekuitas:Cadangan  {value} IDR"
            break
    return "\n".join(lines) + "\n"


def test_custom_pool_posts_to_its_own_account(outlet: Cli) -> None:
    _shu_config(
        outlet.root,
        KDMP_SHU.replace(
            "    sosial: 10\n",
            '    sosial: 5\n    dana_pembangunan_daerah_kerja: {persen: 5, nama: "Dana '
            'pembangunan daerah kerja"}\n',
        ),
    )
    sheet = json.loads(_ok(outlet, "shu", "hitung", "2025", "-f", "json"))
    assert _pos(sheet)["dana_pembangunan_daerah_kerja"]["jumlah"] == 2_400_000
    _ok(outlet, "tutup-buku", "2025")
    _ok(outlet, "shu", "bagikan", "2025", "--tanggal", "15-03-2026")
    bal = load(Paths(outlet.root), fresh=True).balances()
    assert bal["Kewajiban:Dana-Pembangunan-Daerah-Kerja"] == -D(2_400_000)
    _ok(outlet, "periksa")


@pytest.mark.parametrize(
    ("pools", "says"),
    [
        (
            "    imbal_jasa_desa: {nama: Desa, dasar: shu_total}\n",
            "'shu.pembagian.imbal_jasa_desa.persen' wajib diisi",
        ),
        ("    imbal_jasa_desa: {persen: 20, dasar: semua}\n", "pilih shu_total atau shu_anggota"),
        ("    imbal_jasa_desa: {persen: 15, dasar: shu_total}\n", "paling sedikit 20 persen"),
        ("    imbal_jasa_desa: {persen: 20}\n", "paling sedikit 20 persen"),
    ],
)
def test_bad_pools_are_refused(outlet: Cli, pools: str, says: str) -> None:
    text = KDMP_SHU.replace(
        '    imbal_jasa_desa: {persen: 20, nama: "Imbal jasa Pemerintah Desa", dasar: shu_total}\n',
        pools,
    )
    if "dasar: shu_total" not in pools and "semua" not in pools:
        text = text.replace("    cadangan: 40\n", "    cadangan: 20\n")  # 100 % of members' SHU
    _shu_config(outlet.root, text)
    _refused(outlet, "shu", "hitung", "2025", says=says)


def test_sums_per_base_are_shown(outlet: Cli) -> None:
    _shu_config(outlet.root, KDMP_SHU.replace("    cadangan: 40\n", "    cadangan: 45\n"))
    _refused(
        outlet,
        "shu",
        "hitung",
        "2025",
        says="sekarang dasar shu_anggota 105, dasar shu_total 20",
    )


def test_old_config_keeps_its_meaning_and_announces_the_rule(outlet: Cli) -> None:
    _shu_config(
        outlet.root,
        "shu:\n  pembagian:\n    cadangan: 40\n    jasa_modal: 20\n    jasa_usaha: 20\n"
        "    pendidikan: 10\n    sosial: 10\n",
    )
    before = snapshot(outlet.root)
    sheet = json.loads(_ok(outlet, "shu", "hitung", "2025", "-f", "json"))
    assert snapshot(outlet.root) == before
    assert sheet["shu_anggota"] == 60_000_000 and sheet["shu_non_anggota"] == 40_000_000
    pos = _pos(sheet)
    assert pos["cadangan"]["jumlah"] == 24_000_000 and pos["cadangan"]["porsi_shu"] == "24.00"
    assert "imbal_jasa_desa" not in pos
    assert any("Permendesa 10/2025" in c for c in sheet["catatan"])


# --- Restructuring that keeps the truth (#13) ---


@pytest.fixture
def arrears(late: Cli) -> Cli:
    """Three instalments paid on time (sisa 900.000), then nothing: 274 days late on 01-02-2026."""
    for due in ("03-02-2025", "03-03-2025", "03-04-2025"):
        _ok(late, "pinjaman", "angsur", "PJ-2025-0001", "112.000", "--tanggal", due)
    return late


def _loan(cli: Cli, loan_id: str, per: str) -> dict:
    out = json.loads(_ok(cli, "pinjaman", "daftar", "--per", per, "--semua", "-f", "json"))
    return next(p for p in out["pinjaman"] if p["id"] == loan_id)


RESTRUCTURE = [
    "pinjaman",
    "restrukturisasi",
    "PJ-2025-0001",
    "--tenor",
    "12",
    "--jasa",
    "1",
    "--alasan",
    "Gagal panen",
    "--tanggal",
    "01-02-2026",
]


def test_restructured_loan_keeps_its_class_until_three_on_time(arrears: Cli) -> None:
    old = _loan(arrears, "PJ-2025-0001", "01-02-2026")
    assert (old["hari_tunggakan"], old["kolektibilitas"]) == (274, "diragukan")
    assert old["penyisihan"] == 675_000 and old["tunggakan_jasa"] == 108_000
    _refused(arrears, *RESTRUCTURE, "--jasa-tertunggak", "lupa", says="pilih pokok")
    out = _ok(arrears, *RESTRUCTURE)  # the unpaid jasa stays owed: into the new principal
    assert "golongan diragukan dipertahankan" in " ".join(out.split())
    new = _loan(arrears, "PJ-2026-0001", "01-02-2026")
    assert new["pokok"] == 1_008_000 and new["jasa_dikapitalisasi"] == 108_000
    assert (new["kolektibilitas"], new["penyisihan"]) == ("diragukan", 756_000)
    _ok(arrears, "pinjaman", "angsur", "PJ-2026-0001", "94.080", "--tanggal", "01-03-2026")
    one = _loan(arrears, "PJ-2026-0001", "01-03-2026")
    assert one["kolektibilitas"] == "diragukan" and one["angsuran_tepat_waktu"] == 1
    for due in ("01-04-2026", "01-05-2026"):
        _ok(arrears, "pinjaman", "angsur", "PJ-2026-0001", "94.080", "--tanggal", due)
    three = _loan(arrears, "PJ-2026-0001", "01-05-2026")
    assert three["kolektibilitas"] == "lancar" and not three["golongan_dipertahankan"]
    assert three["jasa_dibayar"] == 3 * 10_080 and three["tunggakan_jasa"] == 0
    bal = load(Paths(arrears.root), fresh=True).balances()
    # 3 x 84.000 of 1.008.000 repaid: a quarter of the capitalised jasa earned.
    assert bal["Kewajiban:Jasa-Pinjaman-Ditangguhkan"] == -D(81_000)
    assert bal["Aset:Piutang-Pinjaman:A0001"] == D(1_008_000 - 252_000)
    daftar = " ".join(_ok(arrears, "pinjaman", "jadwal", "PJ-2026-0001").split())
    assert "jasa tertunggak Rp108.000 ditambahkan ke pokok" in daftar
    _ok(arrears, "periksa")


def test_forgiven_jasa_is_recorded_not_dropped(arrears: Cli) -> None:
    _ok(arrears, *RESTRUCTURE, "--jasa-tertunggak", "hapus")
    new = _loan(arrears, "PJ-2026-0001", "01-02-2026")
    assert new["pokok"] == 900_000 and new["jasa_dibebaskan"] == 108_000
    assert new["kolektibilitas"] == "diragukan"
    text = " ".join(_ok(arrears, "pinjaman", "daftar", "--per", "01-02-2026").split())
    assert "restrukturisasi, 0/3 tepat waktu" in text


# --- Accrual of loan jasa under SAK EP (#13) ---


def _bal(cli: Cli, account: str) -> Decimal:
    return load(Paths(cli.root), fresh=True).balance(account)


def test_accrual_then_payment_settles_the_receivable(accruing: Cli) -> None:
    _ok(accruing, "pinjaman", "akrual", "--bulan", "2025-02")
    assert _bal(accruing, "Aset:Piutang-Jasa-Pinjaman") == D(120_000)
    assert _bal(accruing, "Pendapatan:Simpan-Pinjam:Jasa") == -D(120_000)
    _refused(accruing, "pinjaman", "akrual", "--bulan", "2025-02", says="sudah diakrualkan")
    _ok(accruing, "pinjaman", "angsur", "PJ-2025-0001", "620.000", "--tanggal", "02-03-2025")
    assert _bal(accruing, "Aset:Piutang-Jasa-Pinjaman") == 0
    assert _bal(accruing, "Pendapatan:Simpan-Pinjam:Jasa") == -D(120_000)  # not twice
    loan = json.loads(_ok(accruing, "pinjaman", "jadwal", "PJ-2025-0001", "-f", "json"))
    assert loan["jasa_dibayar"] == 120_000 and loan["angsuran_lunas"] == 1
    _ok(accruing, "periksa")


def test_non_accrual_reverses_what_was_accrued(accruing: Cli) -> None:
    for month in ("2025-02", "2025-03", "2025-04"):
        _ok(accruing, "pinjaman", "akrual", "--bulan", month)
    assert _bal(accruing, "Aset:Piutang-Jasa-Pinjaman") == D(360_000)
    # 31-05-2025: four instalments of pokok in arrears, kurang lancar: nothing more accrues.
    out = _ok(accruing, "pinjaman", "akrual", "--bulan", "2025-05")
    assert "pembalikan non-akrual Rp360.000" in " ".join(out.split())
    assert _bal(accruing, "Aset:Piutang-Jasa-Pinjaman") == 0
    assert _bal(accruing, "Pendapatan:Simpan-Pinjam:Jasa") == 0
    _ok(accruing, "periksa")


def test_accrual_refusals(accruing: Cli) -> None:
    _refused(accruing, "pinjaman", "akrual", "--bulan", "2025-13", says="tulis YYYY-MM")
    _ok(accruing, "tutup-buku", "2025", "--abaikan", "penyisihan", "--alasan", "uji akrual")
    _refused(accruing, "pinjaman", "akrual", "--bulan", "2025-12", says="sudah ditutup")
    cfg = accruing.root / "koperasi.yaml"
    cfg.write_text(cfg.read_text().replace("pengakuan_jasa: akrual ", "pengakuan_jasa: kas "))
    _refused(accruing, "pinjaman", "akrual", "--bulan", "2025-02", says="pengakuan_jasa: kas")


@pytest.mark.hand_made
def test_periksa_catches_a_hand_made_receivable(accruing: Cli) -> None:
    _ok(accruing, "pinjaman", "akrual", "--bulan", "2025-02")
    paths = Paths(accruing.root)
    year = paths.year_file(2025)
    year.write_text(
        year.read_text() + '\n2025-03-10 * "Salah catat"\n  Aset:Piutang-Jasa-Pinjaman  50000 IDR\n'
        "  Pendapatan:Simpan-Pinjam:Jasa  -50000 IDR\n"
    )
    r = accruing("periksa")
    assert r.exit_code != 0 and "Aset:Piutang-Jasa-Pinjaman" in r.output


def test_demo_rat_book_labels_every_pool_honestly(demo_root: Path, tmp_path: Path) -> None:
    # #13: the example printed "Cadangan 40 %" for 69,7 % of its SHU, and lost rupiah of
    # rounding into cadangan; now every line says its base and its share of the whole SHU.
    cli = Cli(demo_root)
    sheet = json.loads(_ok(cli, "shu", "hitung", "2025", "-f", "json"))
    pos = _pos(sheet)
    assert (pos["cadangan"]["persen"], pos["cadangan"]["dasar"]) == ("40", "shu_anggota")
    assert D(pos["cadangan"]["porsi_shu"]) < 40
    assert pos["cadangan_non_anggota"]["dasar"] == "shu_non_anggota"
    assert pos["imbal_jasa_desa"]["jumlah"] * 5 >= sheet["shu"]
    assert sum(p["jumlah"] for p in sheet["pos"]) == sheet["shu"]
    assert pos["sisa_pembulatan"]["jumlah"] == sheet["sisa_pembulatan"]
    md = tmp_path / "rat.md"
    _ok(cli, "rat", "2025", "-f", "md", "-o", str(md))
    text = md.read_text()
    assert "| Cadangan | 40% dari SHU anggota |" in text
    assert "Imbal jasa Pemerintah Desa | 20% dari seluruh SHU | 20% SHU |" in text
    assert "Kolektibilitas menurut preset 'bank-umum': POJK 40/POJK.03/2019" in text
    bal = load(Paths(demo_root)).balances()
    assert bal["Kewajiban:Imbal-Jasa-Desa"] == -D(pos["imbal_jasa_desa"]["jumlah"])
    assert bal["Aset:Piutang-Jasa-Pinjaman"] > 0  # December's accrual


@pytest.mark.parametrize(("rule", "share"), [("ikut", True), ("tidak", False)])
def test_member_who_left_shares_by_the_rule(outlet: Cli, rule: str, share: bool) -> None:
    _run(
        outlet,
        "anggota|tambah|Budi|--tanggal|02-01-2025",
        "simpanan|setor|A0002|pokok|100.000|--tanggal|02-01-2025",
        "gerai|beli|PAKET|10|--harga|50.000|--pemasok|Grosir|--kredit|--tanggal|03-01-2025",
        "gerai|jual|PAKET|10|--anggota|A0002|--tanggal|06-01-2025",
        "anggota|keluar|A0002|--tanggal|01-06-2025",
    )
    _shu_config(outlet.root, KDMP_SHU + f"  anggota_keluar: {rule}\n")
    sheet = json.loads(_ok(outlet, "shu", "hitung", "2025", "-f", "json"))
    budi = [m for m in sheet["anggota"] if m["nak"] == "A0002"]
    assert bool(budi and budi[0]["jasa_usaha"]["penjualan"] > 0) is share
    assert any(f"anggota_keluar: {rule}" in c for c in sheet["catatan"])
    assert sum(p["jumlah"] for p in sheet["pos"]) == sheet["shu"]


def test_write_off_reverses_accrued_jasa(accruing: Cli) -> None:
    _ok(accruing, "pinjaman", "akrual", "--bulan", "2025-02")
    _ok(
        accruing,
        "pinjaman",
        "hapus-buku",
        "PJ-2025-0001",
        "--alasan",
        "Peminjam meninggal",
        "--tanggal",
        "10-03-2025",
    )
    assert _bal(accruing, "Aset:Piutang-Jasa-Pinjaman") == 0
    assert _bal(accruing, "Pendapatan:Simpan-Pinjam:Jasa") == 0
    _ok(accruing, "periksa")


def test_accrued_jasa_forgiven_in_a_restructuring_is_not_jasa_paid(accruing: Cli) -> None:
    """Neither the member's SHU base nor the loan's payments count accrued jasa a
    restructuring forgives as paid (found by an adversarial review, #16)."""
    from kkmp_cli.loans import portfolio as pf
    from kkmp_cli.shu import shu

    cfg = accruing.root / "koperasi.yaml"
    cfg.write_text(
        cfg.read_text().replace("dasar_jasa_pinjaman: pinjaman", "dasar_jasa_pinjaman: jasa")
    )
    _ok(accruing, "pinjaman", "akrual", "--bulan", "2025-02")
    _ok(accruing, "pinjaman", "restrukturisasi", "PJ-2025-0001", "--tenor", "10", "--jasa",
        "1,5", "--alasan", "x", "--tanggal", "01-03-2025", "--jasa-tertunggak", "hapus")  # fmt: skip
    book = load(Paths(accruing.root), fresh=True)
    paid = pf.payments(book, pf.get(book, "PJ-2025-0001"))
    assert [p.jasa for p in paid] == [D(0)], paid
    assert shu._bases(book, 2025, book.config.shu)["pinjaman"].get("A0001", D(0)) == 0


def test_accrued_jasa_reversed_or_given_back_is_not_jasa_paid(accruing: Cli) -> None:
    """The SHU base of jasa paid moves only with jasa the member paid (#13): a write-off's
    reversal of accrued jasa took it below zero, and a koreksi of a payment that settled the
    receivable left that part counted as paid."""
    from kkmp_cli.shu import shu

    cfg = accruing.root / "koperasi.yaml"
    cfg.write_text(
        cfg.read_text().replace("dasar_jasa_pinjaman: pinjaman", "dasar_jasa_pinjaman: jasa")
    )

    def base() -> Decimal:
        book = load(Paths(accruing.root), fresh=True)
        return shu._bases(book, 2025, book.config.shu)["pinjaman"].get("A0001", D(0))

    _ok(accruing, "pinjaman", "akrual", "--bulan", "2025-02")
    _ok(accruing, "pinjaman", "angsur", "PJ-2025-0001", "620.000", "--tanggal", "02-03-2025")
    assert base() == 120_000
    paid = next(
        t.meta["id"]
        for t in transactions(accruing.root)
        if t.meta.get("jenis") == "pinjaman-angsur"
    )
    _ok(accruing, "koreksi", paid, "--alasan", "salah catat", "--tanggal", "03-03-2025")
    assert base() == 0
    _run(accruing, "pinjaman|hapus-buku|PJ-2025-0001|--alasan|x|--tanggal|10-03-2025")
    assert base() == 0
    assert _bal(accruing, "Aset:Piutang-Jasa-Pinjaman") == 0
    _ok(accruing, "periksa")


def test_village_share_posted_to_its_own_account_is_counted(outlet: Cli) -> None:
    """An imbal jasa pool with its own `akun` is the village's share wherever it is posted:
    periksa counted only Kewajiban:Imbal-Jasa-Desa, found the village had Rp0 and refused every
    later tutup-buku (found by an adversarial review, #13)."""
    akun = "Kewajiban:Utang-Imbal-Jasa:Desa-Sukamaju"
    _shu_config(
        outlet.root,
        KDMP_SHU.replace("dasar: shu_total}", f'dasar: shu_total, akun: "{akun}"}}'),
    )
    _ok(outlet, "tutup-buku", "2025")
    _ok(outlet, "shu", "bagikan", "2025", "--tanggal", "15-03-2026")
    bal = load(Paths(outlet.root), fresh=True).balances()
    assert bal[akun] == -D(20_000_000)
    assert bal.get("Kewajiban:Imbal-Jasa-Desa", D(0)) == 0
    assert _ok(outlet, "periksa").strip().endswith("tidak ada temuan.")
    # Shorting the village on its own account is still caught.
    year = Paths(outlet.root).year_file(2026)
    year.write_text(
        _shift_to_cadangan(
            year.read_text().replace("-20000000 IDR", "-10000000 IDR", 1), 10_000_000
        )
    )
    says = " ".join(outlet("periksa").output.split())
    assert "imbal jasa Pemerintah Desa Rp10.000.000, kurang dari 20 % SHU" in says, says


@pytest.mark.parametrize(
    ("akun", "says"),
    [
        ("Ekuitas:SHU-Belum-Dibagi:2025", "kkmp tutup-buku / shu bagikan"),
        ("Ekuitas:SHU-Belum-Dibagi", "kkmp tutup-buku / shu bagikan"),
        ("Kewajiban:Utang-SHU:A0001", "kkmp shu"),
        ("Kewajiban:Simpanan-Sukarela:A0001", "kkmp simpanan"),
        ("Ekuitas:Simpanan-Pokok", "kkmp simpanan"),
        ("Kewajiban:Utang-Pengembalian-Simpanan", "buku pembantu anggota"),
    ],
)
def test_a_pool_account_kkmp_keeps_itself_is_refused(outlet: Cli, akun: str, says: str) -> None:
    """A pool may not post to an account a kkmp command keeps (its sub-ledger must stay equal
    to the ledger) or to a member's sub-ledger: SHU-Belum-Dibagi:2025 gave a self-cancelling
    line and a finding nothing could clear (found by an adversarial review, #13)."""
    _shu_config(
        outlet.root,
        KDMP_SHU.replace(
            "    sosial: 10\n",
            f'    sosial: 5\n    dana_pembangunan: {{persen: 5, akun: "{akun}"}}\n',
        ),
    )
    folded = _refused(outlet, "shu", "hitung", "2025", says="'shu.pembagian.dana_pembangunan.akun'")
    assert says in folded and akun in folded, folded
    _refused(outlet, "tutup-buku", "2025", says="'shu.pembagian.dana_pembangunan.akun'")
