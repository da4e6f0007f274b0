"""The RAT meeting's papers (#18 part 6): invitation, attendance list, quorum and berita acara."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from kkmp_cli.core import config
from kkmp_cli.rat import meeting
from tests.conftest import Cli, ok, refused, run

RAT_YAML = """\
rat:
  ke: 1
  tanggal: 15-03-2026
  tempat: Balai Desa Uji
  pukul: "09.00 WIB"
"""


@pytest.fixture
def coop(cli: Cli) -> Cli:
    """Five members joined in 2025; Euis left before the RAT (15-03-2026), Fajar joins after it:
    four members have a vote on the day (A0001-A0004)."""
    for name in ("Ani", "Budi", "Citra", "Dedi", "Euis"):
        run(cli, f"anggota|tambah|{name}|--tanggal|02-01-2025")
    run(
        cli,
        "anggota|keluar|A0005|--tanggal|10-02-2026|--alasan|Pindah",
        "anggota|tambah|Fajar|--tanggal|01-04-2026",
    )
    return cli


def _rat(cli: Cli, extra: str = "") -> None:
    (cli.root / "rat.yaml").write_text(RAT_YAML + extra, encoding="utf-8")


def _config(cli: Cli, old: str, new: str) -> None:
    path = cli.root / "koperasi.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def _attending(*naks: str, more: str = "") -> str:
    return "kehadiran:\n  hadir: [" + ", ".join(naks) + "]\n" + more


# --- quorum arithmetic -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("members", "fraction", "strict", "least"),
    [
        (10, Fraction(1, 2), True, 6),  # more than half: exactly half (5) is not enough
        (10, Fraction(1, 2), False, 5),  # at least half: exactly half is enough
        (9, Fraction(1, 2), True, 5),
        (9, Fraction(1, 2), False, 5),
        (99, Fraction(1, 2), True, 50),
        (10, Fraction(1, 5), False, 2),
        (10, Fraction(1, 5), True, 3),
        (3, Fraction(2, 3), False, 2),
        (3, Fraction(2, 3), True, 3),
        (1, Fraction(1, 2), True, 1),
    ],
)
def test_quorum_needs(members: int, fraction: Fraction, strict: bool, least: int) -> None:
    assert meeting.needed(members, fraction, strict) == least
    rule = config.RapatAnggota(kuorum=fraction, kuorum_lebih_dari=strict)
    assert meeting.quorum(members, least, 0, rule).tercapai
    assert not meeting.quorum(members, least - 1, 0, rule).tercapai


def test_quorum_exactly_half_is_not_more_than_half(coop: Cli, tmp_path: Path) -> None:
    _rat(coop, _attending("A0001", "A0002"))
    out = ok(coop, "rat", "berita-acara", "2025", "-f", "md", "-o", str(tmp_path / "ba.md"))
    assert "Kuorum TIDAK tercapai: 2 dari 4 anggota (perlu 3, lebih dari 1/2 dari 4" in out
    text = (tmp_path / "ba.md").read_text(encoding="utf-8")
    assert "Kuorum tidak tercapai" in text and "## Keputusan" not in text


def test_quorum_half_plus_one_is_met(coop: Cli, tmp_path: Path) -> None:
    _rat(coop, _attending("A0001", "A0002", "A0003") + "keputusan:\n  - Mengesahkan laporan.\n")
    out = ok(coop, "rat", "berita-acara", "2025", "-f", "md", "-o", str(tmp_path / "ba.md"))
    assert "Kuorum tercapai: 3 dari 4 anggota (perlu 3" in out
    text = (tmp_path / "ba.md").read_text(encoding="utf-8")
    assert "Kuorum tercapai: rapat sah" in text
    assert "| Anggota aktif pada tanggal rapat | 4 |" in text
    assert "| Anggota hadir | 3 |" in text
    assert "1. Mengesahkan laporan." in text


def test_quorum_at_least_half_from_config(coop: Cli, tmp_path: Path) -> None:
    _config(coop, "kuorum_lebih_dari: true", "kuorum_lebih_dari: false")
    _rat(coop, _attending("A0001", "A0002"))
    out = ok(coop, "rat", "berita-acara", "2025", "-o", str(tmp_path / "ba.html"))
    assert "Kuorum tercapai: 2 dari 4 anggota (perlu 2, sekurang-kurangnya 1/2" in out


def test_proxies_count_when_the_adart_allows_them(coop: Cli, tmp_path: Path) -> None:
    _config(coop, "kuasa_per_anggota: 0", "kuasa_per_anggota: 1")
    _rat(
        coop,
        _attending("A0001", "A0002", more="  kuasa:\n    - {pemberi: A0003, penerima: A0001}\n"),
    )
    out = ok(coop, "rat", "berita-acara", "2025", "-o", str(tmp_path / "ba.html"))
    assert "Kuorum tercapai: 3 dari 4 anggota" in out
    assert "A0003 kepada A0001" in (tmp_path / "ba.html").read_text(encoding="utf-8")


def test_count_only_and_decisions_missing_shows_the_drafts(coop: Cli, tmp_path: Path) -> None:
    _rat(coop, "kehadiran:\n  jumlah_hadir: 3\nrancangan_keputusan:\n  - Usul A\n")
    ok(coop, "rat", "berita-acara", "2025", "-f", "md", "-o", str(tmp_path / "ba.md"))
    text = (tmp_path / "ba.md").read_text(encoding="utf-8")
    assert "[BELUM DIISI]" in text and "1. Usul A" in text


# --- the attendance list ------------------------------------------------------------------


def test_attendance_list_one_line_per_active_member(coop: Cli, tmp_path: Path) -> None:
    _rat(coop)
    target = tmp_path / "hadir.md"
    out = ok(coop, "rat", "hadir", "2025", "-f", "md", "-o", str(target))
    assert f"Daftar hadir RAT 2025 ditulis ke {target}." in out
    rows = [
        line
        for line in target.read_text(encoding="utf-8").splitlines()
        if line.startswith("| ") and "A0" in line
    ]
    assert [r.split("|")[2].strip() for r in rows] == ["A0001", "A0002", "A0003", "A0004"]
    assert [r.split("|")[3].strip() for r in rows] == ["Ani", "Budi", "Citra", "Dedi"]
    text = target.read_text(encoding="utf-8")
    assert "4 anggota aktif pada tanggal rapat" in text and "paling sedikit 3 anggota" in text
    html = tmp_path / "hadir.html"
    ok(coop, "rat", "hadir", "2025", "-o", str(html))
    page = html.read_text(encoding="utf-8")
    assert page.count('<td class="nak">') == 4 and "Tanda tangan" in page
    assert "Euis" not in page and "Fajar" not in page


def test_invitation_has_date_place_and_agenda(coop: Cli, tmp_path: Path) -> None:
    _rat(coop)
    target = tmp_path / "undangan.html"
    ok(coop, "rat", "undangan", "2025", "-o", str(target))
    page = target.read_text(encoding="utf-8")
    for text in ("Minggu, 15 Maret 2026", "09.00 WIB", "Balai Desa Uji", "Rapat Anggota Tahunan"):
        assert text in page
    assert (
        "Laporan pengawas tahun buku 2025" in page and "Rencana kerja dan RAPB tahun 2026" in page
    )
    assert "lebih dari 1/2 jumlah anggota (4 anggota aktif" in page
    (coop.root / "rat.yaml").write_text(
        RAT_YAML + "  acara: [Pembukaan, Pemilihan pengurus]\n", encoding="utf-8"
    )
    ok(coop, "rat", "undangan", "2025", "-f", "md", "-o", str(tmp_path / "u.md"))
    md = (tmp_path / "u.md").read_text(encoding="utf-8")
    assert "1. Pembukaan\n2. Pemilihan pengurus\n" in md and "Laporan pengawas" not in md


def test_papers_are_byte_identical_on_rerun(coop: Cli, tmp_path: Path) -> None:
    _rat(coop, _attending("A0001", "A0002", "A0003"))
    for paper in ("undangan", "hadir", "berita-acara"):
        for fmt in ("html", "md"):
            a, b = tmp_path / f"{paper}-a.{fmt}", tmp_path / f"{paper}-b.{fmt}"
            ok(coop, "rat", paper, "2025", "-f", fmt, "-o", str(a))
            ok(coop, "rat", paper, "2025", "-f", fmt, "-o", str(b))
            assert a.read_bytes() == b.read_bytes(), (paper, fmt)


# --- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("extra", "says"),
    [
        ("kehadiran:\n  hadirr: [A0001]\n", "hadirr"),
        ("kehadiran:\n  hadir: A0001\n", "harus berupa daftar"),
        ("kehadiran:\n  hadir: [ani]\n", "tulis NAK"),
        (_attending("A0001", "A0099"), "A0099 bukan anggota yang terdaftar"),
        (_attending("A0001", "A0005"), "A0005 bukan anggota aktif pada 15-03-2026"),
        (_attending("A0001", "A0006"), "A0006 bukan anggota aktif"),
        (_attending("A0001", "A0001"), "A0001 tertulis lebih dari sekali"),
        (_attending("A0001", more="  jumlah_hadir: 3\n"), "tidak sama dengan banyaknya NAK"),
        ("kehadiran:\n  jumlah_hadir: 5\n", "lebih dari anggota aktif"),
        ("kehadiran:\n  jumlah_hadir: -1\n", "harus bilangan bulat"),
        (
            _attending("A0001", more="  kuasa:\n    - {pemberi: A0002, penerima: A0001}\n"),
            "AD/ART tidak membolehkan kuasa",
        ),
        ("kehadiran:\n  tamu: [1]\n", "harus bilangan bulat"),
        ("kehadiran: [A0001]\n", "harus berupa bagian"),
        ("kehadiran: {}\n", "Isi dulu kehadiran RAT"),
    ],
)
def test_bad_kehadiran_refused(coop: Cli, tmp_path: Path, extra: str, says: str) -> None:
    _rat(coop, extra)
    target = tmp_path / "ba.html"
    refused(coop, "rat", "berita-acara", "2025", "-o", str(target), says=says)
    assert not target.exists()


@pytest.mark.parametrize(
    ("proxies", "says"),
    [
        ("    - {pemberi: A0002, penerima: A0001}\n", "A0002 hadir sendiri"),
        ("    - {pemberi: A0003, penerima: A0004}\n", "penerima kuasa A0004 tidak tercatat hadir"),
        (
            "    - {pemberi: A0003, penerima: A0001}\n    - {pemberi: A0004, penerima: A0001}\n",
            "membawa lebih dari 1 kuasa",
        ),
        ("    - {pemberi: A0005, penerima: A0001}\n", "A0005 bukan anggota aktif"),
        ("    - {pemberi: A0003}\n", "'kehadiran.kuasa ke-1.penerima' wajib diisi"),
    ],
)
def test_bad_proxies_refused(coop: Cli, tmp_path: Path, proxies: str, says: str) -> None:
    _config(coop, "kuasa_per_anggota: 0", "kuasa_per_anggota: 1")
    _rat(coop, _attending("A0001", "A0002", more="  kuasa:\n" + proxies))
    refused(coop, "rat", "berita-acara", "2025", "-o", str(tmp_path / "ba.html"), says=says)


def test_meeting_papers_need_the_date_and_place(coop: Cli, tmp_path: Path) -> None:
    (coop.root / "rat.yaml").write_text("rat:\n  tempat: Balai\n", encoding="utf-8")
    for paper in ("undangan", "hadir", "berita-acara"):
        refused(coop, "rat", paper, "2025", "-o", str(tmp_path / "x.html"), says="rat.tanggal")
    (coop.root / "rat.yaml").write_text("rat:\n  tanggal: 15-03-2026\n", encoding="utf-8")
    refused(coop, "rat", "undangan", "2025", "-o", str(tmp_path / "x.html"), says="rat.tempat")
    (coop.root / "rat.yaml").write_text(
        "rat:\n  tanggal: 15-12-2025\n  tempat: Balai\n", encoding="utf-8"
    )
    refused(
        coop,
        "rat",
        "hadir",
        "2025",
        "-o",
        str(tmp_path / "x.html"),
        says="harus sesudah tahun buku 2025",
    )
    refused(coop, "rat", "hadir", says="Sebutkan tahunnya")


@pytest.mark.parametrize(
    ("old", "new", "says"),
    [
        ("kuorum: 1/2 ", "kuorum: 3/2 ", "harus pecahan antara 0 dan 1"),
        ("kuorum: 1/2 ", "kuorum: separuh ", "harus pecahan"),
        ("kuasa_per_anggota: 0", "kuasa_per_anggota: -1", "harus bilangan bulat"),
        ("kuasa_per_anggota: 0", "kuasa_per_anggota: 0\n  kuorom: 1/3", "kuorom"),
    ],
)
def test_bad_quorum_config_refused(coop: Cli, old: str, new: str, says: str) -> None:
    _config(coop, old, new)
    _rat(coop)
    refused(coop, "rat", "hadir", "2025", says=says)


def test_rat_book_shows_the_quorum_once_attendance_is_filled_in(coop: Cli, tmp_path: Path) -> None:
    run(coop, "simpanan|setor|A0001|pokok|100.000|--tanggal|02-01-2025")
    _rat(coop)
    ok(coop, "rat", "2025", "-f", "md", "-o", str(tmp_path / "a.md"))
    assert "Kuorum RAT" not in (tmp_path / "a.md").read_text(encoding="utf-8")
    _rat(coop, _attending("A0001", "A0002", "A0003"))
    ok(coop, "rat", "2025", "-f", "md", "-o", str(tmp_path / "b.md"))
    book = (tmp_path / "b.md").read_text(encoding="utf-8")
    assert "Kuorum RAT (lebih dari 1/2 dari 4 anggota" in book and "| 3 hadir |" in book
    _rat(coop, _attending("A0001", "A0099"))
    refused(coop, "rat", "2025", "-o", str(tmp_path / "c.html"), says="A0099 bukan anggota")
