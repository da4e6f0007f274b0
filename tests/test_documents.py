"""Every YAML document a user edits (koperasi.yaml, rat.yaml, saldo awal, latihan) is read into
typed objects: unknown keys refused by name, missing keys defaulted, errors naming file, line
and key, and never a traceback, whatever the text."""

from __future__ import annotations

import copy
import datetime as dt
import json
import time
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from conftest import Cli, ok, transactions
from conftest import refused as _refused
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kkmp_cli.core import config, coop, ledger
from kkmp_cli.core.ledger import Paths
from kkmp_cli.errors import KkmpError
from kkmp_cli.journal import opening
from kkmp_cli.workshop import exercises

D = Decimal


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line(path: Path, fragment: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), 1) if fragment in line)


# --- koperasi.yaml ---


@pytest.mark.parametrize(
    ("old", "new", "key", "section"),
    [
        ("  pembagian:", "  pembagiaan:", "pembagiaan", "shu"),
        ("pinjaman:\n", "pinjamann:\n", "pinjamann", None),
        ("  unit_bawaan: sembako", "  unit_bawan: sembako", "unit_bawan", "gerai"),
        ("  pokok_boleh_dicicil:", "  pokok_boleh_dicicl:", "pokok_boleh_dicicl", "simpanan"),
        ("    diragukan: 75", "    ragu: 75", "ragu", "pinjaman.penyisihan_persen"),
    ],
)
def test_config_typo_is_refused_by_name_and_line(
    cli: Cli, old: str, new: str, key: str, section: str | None
) -> None:
    cfg = cli.root / "koperasi.yaml"
    _edit(cfg, old, new)
    out = _refused(cli, "anggota", "tambah", "Siti", "--tanggal", "02-01-2025")
    where = f" di '{section}'" if section else ""
    assert f"koperasi.yaml baris {_line(cfg, new.strip())}: kunci '{key}' tidak dikenal{where}" in (
        out.replace("\n", "")
    )
    assert "yang dikenal:" in out


def test_missing_config_keys_get_their_documented_default(cli: Cli) -> None:
    cfg = cli.root / "koperasi.yaml"
    _edit(cfg, "  wajib_per_bulan: 10000", "")
    _edit(cfg, "  tenor_maks: 36", "  tenor_maks:")
    rules = config.load(cli.root)
    assert rules.simpanan.wajib_per_bulan == config.DEFAULT_WAJIB
    assert rules.pinjaman.tenor_maks == 36
    assert cli("anggota", "tambah", "Siti", "--tanggal", "02-01-2025").exit_code == 0
    r = cli("simpanan", "tunggakan", "--per", "28-02-2025")
    assert r.exit_code == 0, r.output
    assert "Rp20.000" in r.output  # two months of the default 10.000


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("  tenor_maks: 36", "  tenor_maks: dua", "'pinjaman.tenor_maks' harus bilangan bulat"),
        ("tahun_buku: 2025", "tahun_buku: [2025]", "'tahun_buku' harus bilangan bulat"),
        ("  wajib_per_bulan: 10000", "  wajib_per_bulan: {a: 1}", "'simpanan.wajib_per_bulan'"),
        ("  pokok_boleh_dicicil: false", "  pokok_boleh_dicicil: kadang", "true atau false"),
        ("jenis: jasa}", "jenis: toko}", "'unit ke-4.jenis' pilih barang atau jasa"),
        ("kas:\n  boleh_minus: []", "kas: 5", "'kas' harus berupa bagian"),
        ('alamat: ""', "alamat: [Jl, Desa]", "'alamat' harus berupa teks"),
        ("  pengurus: []", "  pengurus: [Siti]", "'organisasi.pengurus ke-1' harus berupa bagian"),
        (
            "  kolektibilitas: koperasi",
            "  kolektibilitas: .inf",
            "pilih koperasi atau bank-umum atau bpr",
        ),
        ("  denda_persen_per_hari: 0", "  denda_persen_per_hari: .nan", "harus berupa angka"),
    ],
)
def test_wrong_config_value_names_file_line_and_key(
    cli: Cli, old: str, new: str, message: str
) -> None:
    cfg = cli.root / "koperasi.yaml"
    _edit(cfg, old, new)
    out = _refused(cli, "anggota", "daftar").replace("\n", "")
    assert f"koperasi.yaml baris {_line(cfg, new.strip().splitlines()[0])}: " in out
    assert message in out


def test_shu_split_must_total_100(cli: Cli) -> None:
    cfg = cli.root / "koperasi.yaml"
    _edit(cfg, "    cadangan: 40", "    cadangan: 45")
    out = _refused(cli, "anggota", "daftar").replace("\n", "")
    assert f"koperasi.yaml baris {_line(cfg, '  pembagian:')}: 'shu.pembagian' jumlah" in out
    assert "harus tepat 100, sekarang 105" in out


def test_fractions_in_config_are_exact_decimals(cli: Cli) -> None:
    _edit(cli.root / "koperasi.yaml", "denda_persen_per_hari: 0", "denda_persen_per_hari: 0.1")
    assert config.load(cli.root).pinjaman.denda_persen_per_hari == D("0.1")


def test_duplicate_key_is_refused(cli: Cli) -> None:
    cfg = cli.root / "koperasi.yaml"
    _edit(cfg, "  tenor_maks: 36", "  tenor_maks: 36\n  tenor_maks: 12")
    out = _refused(cli, "anggota", "daftar")
    assert "kunci 'tenor_maks' ditulis dua kali" in out and "koperasi.yaml baris" in out


def test_kas_boleh_minus(cli: Cli) -> None:
    assert config.load(cli.root).kas_boleh_minus == ()
    cfg = cli.root / "koperasi.yaml"
    assert "boleh_minus" in cfg.read_text()  # documented for the treasurer
    _edit(cfg, "  boleh_minus: []", "  boleh_minus: [Aset:Bank, Aset:Bank-BRI]")
    assert config.load(cli.root).kas_boleh_minus == ("Aset:Bank", "Aset:Bank-BRI")
    _edit(cfg, "[Aset:Bank, Aset:Bank-BRI]", "[Kewajiban:Utang]")
    out = _refused(cli, "anggota", "daftar")
    assert "'kas.boleh_minus'" in out and "Kewajiban:Utang" in out


def test_example_cooperative_config_is_valid() -> None:
    example = Path(__file__).resolve().parent.parent / "examples" / "kdmp-sukamaju"
    cfg = config.load(example)
    assert cfg.nama == "KDMP Sukamaju" and cfg.pinjaman.denda_persen_per_hari == D("0.1")
    rat = config.load_rat(example)
    assert rat.ke == "1" and rat.rapb["sembako"] == 12_000_000 and len(rat.rapat) == 3


# --- rat.yaml ---


@pytest.fixture
def rat_cli(cli: Cli) -> Cli:
    """A cooperative with one transaction in 2025, so `kkmp rat` reads rat.yaml."""
    for args in (
        ["anggota", "tambah", "Siti", "--tanggal", "02-01-2025"],
        ["simpanan", "setor", "A0001", "pokok", "100rb", "--tanggal", "02-01-2025"],
    ):
        assert cli(*args).exit_code == 0
    return cli


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("", 'rat: "x"\n', "'rat' harus berupa bagian berisi kunci: nilai (ke, tanggal, tempat)"),
        ("", "rapb_tahun_depan: [a]\n", "'rapb_tahun_depan' harus berupa bagian"),
        ("rapb_tahun_depan: {}", "rapb_tahun_depan: [a]", "'rapb_tahun_depan' harus berupa bagian"),
        ("rencana_kerja: []", "rencana_kerja: 5", "'rencana_kerja' harus berupa daftar"),
        ("rapat: []", "rapat: 5", "'rapat' harus berupa daftar"),
        ("karyawan: []", 'karyawan: "x"', "'karyawan' harus berupa daftar"),
        ("karyawan: []", "karyawan: [x]", "'karyawan ke-1' harus berupa bagian"),
        ("  tanggal: null", "  tanggal: 31-02-2026", "'rat.tanggal'"),
        ("  tanggal: null", "  tanggal: 2026-02-30", "tanggal '2026-02-30' tidak ada"),
        ("audit_kap: false", "audit_kap: belum", "'audit_kap' harus true atau false"),
        ("audit_kap: false", "audit_kap: false\nauditor: KAP", "kunci 'auditor' tidak dikenal"),
    ],
)
def test_malformed_rat_yaml_is_one_sentence(
    rat_cli: Cli, old: str, new: str, message: str | None
) -> None:
    path = rat_cli.root / "rat.yaml"
    if old:
        _edit(path, old, new)
    else:
        path.write_text(new)
    for args in (["rat", "periksa", "2025"], ["rat", "2025", "-o", str(rat_cli.root / "r.html")]):
        out = _refused(rat_cli, *args).replace("\n", "")
        assert "rat.yaml baris " in out
        if message:
            assert message in out
    assert not (rat_cli.root / "r.html").exists()


def test_rat_yaml_with_block_style_values(rat_cli: Cli) -> None:
    path = rat_cli.root / "rat.yaml"
    _edit(path, "  ke: null", "  ke: 2")
    _edit(path, "  tanggal: null", "  tanggal: 2026-03-15")
    _edit(path, "rapat: []", "rapat:\n  - {tanggal: 10-02-2025, jenis: Rapat pengurus, acara: x}")
    _edit(path, "rapb_tahun_depan: {}", 'rapb_tahun_depan: {Beban: 100000, Catatan: "naik"}')
    inputs = config.load_rat(rat_cli.root)
    assert inputs.ke == "2" and str(inputs.tanggal) == "2026-03-15"
    assert inputs.rapb_tahun_depan == (("Beban", D(100_000)), ("Catatan", "naik"))
    r = rat_cli("rat", "periksa", "2025")
    assert "rat.tanggal" not in r.output and "rapat-rapat" not in r.output


def test_alias_bomb_in_rat_yaml_is_refused_quickly(rat_cli: Cli) -> None:
    lines = ['a0: &a0 ["lol"]']
    for i in range(1, 12):
        lines.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    lines.append("rencana_kerja: *a11")
    (rat_cli.root / "rat.yaml").write_text("\n".join(lines) + "\n")
    start = time.perf_counter()
    out = _refused(rat_cli, "rat", "periksa", "2025")
    assert time.perf_counter() - start < 1
    assert "alias YAML" in out


def test_recursive_alias_is_refused(rat_cli: Cli) -> None:
    (rat_cli.root / "rat.yaml").write_text("rencana_kerja: &a [*a]\n")
    assert "alias YAML" in _refused(rat_cli, "rat", "periksa", "2025")


def test_small_aliases_are_still_fine(cli: Cli) -> None:
    (cli.root / "rat.yaml").write_text("rat: {tempat: &t Balai Desa}\npengantar: *t\n")
    assert config.load_rat(cli.root).pengantar == "Balai Desa"


# --- saldo awal ---


def _member_and_item(cli: Cli, *names: str) -> None:
    for name in names:
        assert cli("anggota", "tambah", name, "--tanggal", "01-12-2024").exit_code == 0
    r = cli(
        "gerai",
        "barang",
        "tambah",
        "BERAS-5KG",
        "--nama",
        "Beras",
        "--harga-jual",
        "65rb",
        "--tanggal",
        "01-01-2025",
    )
    assert r.exit_code == 0, r.output


def test_saldo_awal_example_records_the_rate_as_written(
    cli: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _member_and_item(cli, "Siti")
    monkeypatch.chdir(tmp_path)
    r = cli("saldo-awal", "contoh")
    assert r.exit_code == 0, r.output
    src = tmp_path / "saldo-awal.yaml"
    # The example balances as written: assets 2,5jt + 10jt + 1,5jt + 600rb = simpanan 840rb +
    # utang 500rb + cadangan 13,26jt; it is dated the day before these books start.
    assert "tanggal: 31-12-2024" in src.read_text()
    r = cli("saldo-awal", str(src))
    assert r.exit_code == 0, r.output
    loans = [t for t in transactions(cli.root) if t.meta.get("jenis") == "pinjaman-cair"]
    assert [t.meta["jasa_persen"] for t in loans] == [D("1.5")]


def _opening_text(loans: str, cadangan: str = "3.000.000") -> str:
    return f"tanggal: 01-01-2025\nkas: 1.000.000\npinjaman:\n{loans}cadangan: {cadangan}\n"


def test_saldo_awal_flow_mapping_comma_is_refused(cli: Cli, tmp_path: Path) -> None:
    _member_and_item(cli, "Siti")
    src = tmp_path / "saldo.yaml"
    src.write_text(
        _opening_text(
            "  - {nak: A0001, sisa_pokok: 1.000.000, sisa_tenor: 6, jasa: 1,5}\n", "2.000.000"
        )
    )
    out = _refused(cli, "saldo-awal", str(src)).replace("\n", "")
    assert "saldo.yaml baris 4: kunci '5' tidak dikenal di 'pinjaman ke-1'" in out
    assert 'jasa: "1,5"' in out


def test_two_opening_loans_get_distinct_ids_and_both_can_be_paid(cli: Cli, tmp_path: Path) -> None:
    _member_and_item(cli, "Siti", "Budi")
    src = tmp_path / "saldo.yaml"
    src.write_text(
        _opening_text(
            "  - {nak: A0001, sisa_pokok: 1.000.000, sisa_tenor: 10, jasa: '1'}\n"
            "  - {nak: A0002, sisa_pokok: 1.000.000, sisa_tenor: 10, jasa: '1'}\n"
        )
    )
    r = cli("saldo-awal", str(src))
    assert r.exit_code == 0, r.output
    loans = [t for t in transactions(cli.root) if t.meta.get("jenis") == "pinjaman-cair"]
    assert [t.links for t in loans] == [{"PJ-2025-0001"}, {"PJ-2025-0002"}]
    for loan_id in ("PJ-2025-0001", "PJ-2025-0002"):
        r = cli("pinjaman", "angsur", loan_id, "110.000", "--tanggal", "01-02-2025")
        assert r.exit_code == 0, r.output
    assert cli("periksa").exit_code == 0


def test_two_opening_loans_for_one_member_are_refused(cli: Cli, tmp_path: Path) -> None:
    _member_and_item(cli, "Siti")
    src = tmp_path / "saldo.yaml"
    src.write_text(
        _opening_text(
            "  - {nak: A0001, sisa_pokok: 1.000.000, sisa_tenor: 10, jasa: '1'}\n"
            "  - {nak: A0001, sisa_pokok: 1.000.000, sisa_tenor: 10, jasa: '1'}\n"
        )
    )
    out = _refused(cli, "saldo-awal", str(src)).replace("\n", "")
    assert "anggota A0001 tercatat dengan 2 pinjaman berjalan" in out
    assert "pinjaman_aktif_maks" in out
    _edit(cli.root / "koperasi.yaml", "pinjaman_aktif_maks: 1", "pinjaman_aktif_maks: 2")
    r = cli("saldo-awal", str(src))
    assert r.exit_code == 0, r.output
    loans = [t for t in transactions(cli.root) if t.meta.get("jenis") == "pinjaman-cair"]
    assert [t.links for t in loans] == [{"PJ-2025-0001"}, {"PJ-2025-0002"}]


def test_opening_before_the_books_start_is_said_in_indonesian(cli: Cli, tmp_path: Path) -> None:
    _member_and_item(cli, "Siti")
    src = tmp_path / "saldo.yaml"
    src.write_text("tanggal: 30-12-2024\nkas: 1.000.000\ncadangan: 1.000.000\n")
    out = _refused(cli, "saldo-awal", str(src)).replace("\n", "")
    assert "inactive" not in out
    assert "Tanggal saldo awal 30-12-2024 lebih awal dari dibukanya akun" in out
    assert "Pakai 31-12-2024 (sehari sebelum buku dimulai) atau tanggal 01-01-2025" in out


def test_opening_on_the_day_before_the_books_start_opens_the_first_year(
    cli: Cli, tmp_path: Path
) -> None:
    """#22 part 7: saldo awal on 31-12-2024 is the first year's opening position: the cash
    flow of 2025 starts from it and counts none of it as a receipt; nothing else may use that
    day, and no 2024 journal is created."""
    _member_and_item(cli, "Siti")
    src = tmp_path / "saldo.yaml"
    src.write_text(
        "tanggal: 31-12-2024\nkas: 1.000.000\nbank: 4.000.000\nsimpanan:\n"
        "  - {nak: A0001, pokok: 100.000, sukarela: 400.000}\npinjaman:\n"
        "  - {nak: A0001, sisa_pokok: 1.000.000, sisa_tenor: 10, jasa: '1'}\n"
        "cadangan: 5.500.000\n"
    )
    r = cli("saldo-awal", str(src))
    assert r.exit_code == 0, r.output
    assert not (cli.root / "jurnal" / "2024.beancount").exists()
    opening_txns = [t for t in transactions(cli.root) if t.date == dt.date(2024, 12, 31)]
    assert {t.meta["jenis"] for t in opening_txns} == {"saldo-awal", "pinjaman-cair"}
    assert cli("periksa").exit_code == 0
    flow = json.loads(ok(cli, "laporan", "arus-kas", "--tahun", "2025", "-f", "json"))
    assert (flow["kas_awal"], flow["kenaikan_kas"], flow["kas_akhir"]) == (5_000_000, 0, 5_000_000)
    refused = _refused(
        cli, "simpanan", "setor", "A0001", "sukarela", "10rb", "--tanggal", "31-12-2024"
    )
    assert "Buku kkmp dimulai 01-01-2025" in refused.replace("\n", "")
    r = cli("pinjaman", "angsur", "PJ-2024-0001", "110.000", "--tanggal", "31-01-2025")
    assert r.exit_code == 0, r.output
    r = cli("simpanan", "setor", "A0001", "sukarela", "10rb", "--tanggal", "02-01-2025")
    assert r.exit_code == 0, r.output
    assert cli("periksa").exit_code == 0


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("simpanan:\n  - nak: A0001", "simpanan: [A0001]\nx:\n  - nak: A0001", None),
        ("sisa_tenor: 6", "sisa_tenor: enam", "'pinjaman ke-1.sisa_tenor' harus bilangan bulat"),
        ('jasa: "1,5"', "jasa: satu", "'pinjaman ke-1.jasa': Jasa 'satu' bukan angka"),
        ("kas: 2.500.000", "kas: [1]", "'kas' harus berupa angka rupiah"),
        ("kas: 2.500.000", "kas: dua juta", "'kas': Jumlah 'dua juta'"),
        ("tanggal: 31-12-2024", "tanggal: 31-02-2025", "'tanggal': "),
        ("  - nak: A0001\n    pokok", "  - nak: A0009\n    pokok", "'simpanan ke-1.nak': Anggota"),
        ("    metode: flat", "    metode: bunga", "'pinjaman ke-1.metode'"),
        ("hibah: 0", "hibah: 0\nmodal: 5", "kunci 'modal' tidak dikenal"),
    ],
)
def test_malformed_saldo_awal_is_one_sentence(
    cli: Cli,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    old: str,
    new: str,
    message: str | None,
) -> None:
    _member_and_item(cli, "Siti")
    monkeypatch.chdir(tmp_path)
    assert cli("saldo-awal", "contoh").exit_code == 0
    src = tmp_path / "saldo-awal.yaml"
    _edit(src, old, new)
    out = _refused(cli, "saldo-awal", str(src)).replace("\n", "")
    assert "saldo-awal.yaml baris " in out
    if message:
        assert message in out


# --- latihan ---


def test_malformed_latihan_is_one_sentence(cli: Cli) -> None:
    own = cli.root / "templates" / "latihan.yaml"
    own.parent.mkdir()
    own.write_text("tahun: 2025\nlatihan:\n  - judul: x\n    cerita: y\n    kunci: z\n")
    out = _refused(cli, "latihan", "daftar").replace("\n", "")
    assert "latihan.yaml baris 3: 'latihan 1.per' wajib diisi" in out
    own.write_text("tahun: dua ribu\nlatihan: []\n")
    assert "'tahun' harus bilangan bulat" in _refused(cli, "latihan", "daftar")
    own.write_text("tahun: 2025\nlatihan:\n  - judul: x\n    judull: y\n")
    assert "kunci 'judull' tidak dikenal di 'latihan 1'" in _refused(cli, "latihan", "daftar")


def test_builtin_exercises_still_load() -> None:
    found = exercises.load(None)
    assert found.tahun == 2025 and len(found.daftar) >= 5


# --- Any text: a document or a Galat, never a traceback ---

_KEYS = [
    *config.CONFIG_KEYS,
    *config.RAT_KEYS,
    *opening.KEYS,
    *opening.PINJAMAN_KEYS,
    "pembagian",
    "unit",
    "latihan",
    "harapan",
    "per",
    "judul",
    "cerita",
    "kunci",
    "tahun",
    "stok",
    "Aset:Kas",
    "ke",
]
_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**12), 10**12),
    st.floats(width=32),
    st.text(max_size=12),
    st.sampled_from(["01-01-2025", "2025-02-30", "1,5", "100.000", "sembako", "Aset:Bank"]),
)
_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(_KEYS) | st.text(max_size=6), inner, max_size=5),
    ),
    max_leaves=20,
)
_yaml_text = st.text(alphabet=" \n-:[]{},&*!|>'\"#.01259abkPJ%@`?\t", max_size=120)
_BASE = {
    "latihan.yaml": (Path(exercises.__file__).parents[2] / "templates" / "latihan.yaml").read_text(
        encoding="utf-8"
    ),
    "koperasi.yaml": config.render_new("Uji", 2025),
    "rat.yaml": config.RAT_TEMPLATE,
    "saldo-awal.yaml": opening.example(),
}


def _paths(node: object, prefix: tuple = ()) -> list[tuple]:
    """Every key path (keys and list indexes) of a parsed document."""
    found = [prefix] if prefix else []
    if isinstance(node, dict):
        for key, child in node.items():
            found += _paths(child, (*prefix, key))
    elif isinstance(node, list):
        for i, child in enumerate(node[:2]):
            found += _paths(child, (*prefix, i))
    return found


_TEXT_ONLY = ("latihan.yaml", "saldo-awal.yaml")  # read with every value as text
_DOCS = {
    name: yaml.load(text, Loader=yaml.BaseLoader if name in _TEXT_ONLY else yaml.SafeLoader)  # noqa: S506
    for name, text in _BASE.items()
}
_targets = st.sampled_from(
    [(name, path) for name, doc in sorted(_DOCS.items()) for path in _paths(doc)]
)


def _override(name: str, path: tuple, value: object) -> str:
    """A real document with the value at one of its key paths replaced."""
    data = copy.deepcopy(_DOCS[name])
    node = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return yaml.safe_dump(data, allow_unicode=True, default_flow_style=None)


@pytest.fixture(scope="module")
def empty_book(tmp_path_factory: pytest.TempPathFactory) -> ledger.Book:
    root = tmp_path_factory.mktemp("dok") / "uji"
    coop.init(root, "Uji", 2025)
    _member_and_item(Cli(root), "Siti")
    return ledger.load(Paths(root))


def _read_each(book: ledger.Book, scratch: Path, text: str) -> None:
    """Hand the text to every reader as its document; only KkmpError may come out."""
    readers = {
        "koperasi.yaml": config.load,
        "rat.yaml": config.load_rat,
        "saldo-awal.yaml": lambda folder: opening.plan(book, folder / "saldo-awal.yaml"),
        "templates/latihan.yaml": exercises.load,
    }
    for name, read in readers.items():
        target = scratch / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        try:
            read(scratch)
        except KkmpError:
            pass


_settings = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@_settings
@given(text=_yaml_text)
def test_any_yaml_text_loads_or_gives_a_galat(
    empty_book: ledger.Book, tmp_path_factory: pytest.TempPathFactory, text: str
) -> None:
    _read_each(empty_book, tmp_path_factory.mktemp("teks"), text)


@_settings
@given(target=_targets, value=_values)
def test_any_structure_in_any_document_loads_or_gives_a_galat(
    empty_book: ledger.Book,
    tmp_path_factory: pytest.TempPathFactory,
    target: tuple[str, tuple],
    value: object,
) -> None:
    text = _override(*target, value)
    _read_each(empty_book, tmp_path_factory.mktemp("struktur"), text)
