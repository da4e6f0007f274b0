"""The desk's everyday rough edges through the real `kkmp` command (issues #17 and #23)."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from beancount.core import data
from conftest import Cli, reload, snapshot, transactions
from conftest import refused as _refused
from hypothesis import given
from hypothesis import strategies as st

from kkmp_cli.core.ledger import Paths


@pytest.fixture
def member(cli: Cli) -> Cli:
    assert cli("anggota", "tambah", "Siti Aminah", "--tanggal", "02-01-2025").exit_code == 0
    return cli


# --- amounts (#17 item 6) ---


@pytest.mark.parametrize(
    "amount", ["10000000000000000000000000000", "1.000.000.000.000.001", "2000000000jt"]
)
def test_amount_above_the_ceiling_is_refused(member: Cli, amount: str) -> None:
    _refused(
        member,
        *("simpanan", "setor", "A0001", "pokok", amount, "--tanggal", "02-01-2025"),
        says="melebihi batas Rp1.000.000.000.000.000",
    )


def test_amount_at_the_ceiling_is_recorded(member: Cli) -> None:
    r = member("kas", "masuk", "hibah", "1.000.000.000.000.000", "--tanggal", "03-01-2025")
    assert r.exit_code == 0, r.output
    (txn,) = transactions(member.root)
    assert txn.postings[0].units.number == Decimal(10**15)


def test_import_amount_above_the_ceiling_names_the_row(member: Cli, tmp_path: Path) -> None:
    src = tmp_path / "s.csv"
    src.write_text(
        "tanggal,nak,jenis,jumlah\n02-01-2025,A0001,wajib,10000000000000000000000000000\n"
    )
    _refused(member, "impor", str(src), "--jenis", "simpanan", says="baris 2: Jumlah")


# --- CSV encodings (#17 item 6) ---


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8-sig", "utf-8"])
def test_csv_in_common_encodings_is_read(member: Cli, tmp_path: Path, encoding: str) -> None:
    src = tmp_path / "s.csv"
    src.write_bytes(
        "tanggal;nak;jenis;jumlah;keterangan\n02-01-2025;A0001;wajib;10.000;Iuran café\n".encode(
            encoding
        )
    )
    r = member("impor", str(src), "--jenis", "simpanan")
    assert r.exit_code == 0, r.output
    (txn,) = transactions(member.root)
    assert "Iuran café" in txn.narration


@pytest.mark.parametrize(
    "content",
    [
        bytes(range(256)) * 4,
        "tanggal,nak\n".encode("utf-16"),
        b"\x81\x8d\x8f\x90\x9d not cp1252 either",
    ],
)
def test_binary_csv_is_one_sentence(member: Cli, tmp_path: Path, content: bytes) -> None:
    src = tmp_path / "rusak.csv"
    src.write_bytes(content)
    _refused(member, "impor", str(src), "--jenis", "simpanan", says="bukan teks CSV")


# --- import rough edges (#17 item 10) ---


def test_identical_rows_are_named_as_duplicates(member: Cli, tmp_path: Path) -> None:
    src = tmp_path / "s.csv"
    src.write_text(
        "tanggal,nak,jenis,jumlah,bukti\n"
        "02-01-2025,A0001,pokok,100.000,K0\n"
        "03-01-2025,A0001,wajib,10.000,K1\n"
        "04-01-2025,A0001,wajib,10.000,K2\n"
        "03-01-2025,A0001,wajib,10.000,K1\n"
    )
    before = snapshot(member.root)
    r = member("impor", str(src), "--jenis", "simpanan")
    assert r.exit_code == 1, r.output
    assert "baris 5: baris 3 dan 5 sama persis (baris ganda)" in r.output, r.output
    assert "sudah tercatat" not in r.output
    assert snapshot(member.root) == before


def _import_csv(member: Cli, folder: Path, jenis: str, *lines: str):
    """Write `lines` as a CSV sheet and import it as `jenis`."""
    src = folder / f"{jenis}-{len(list(folder.glob('*.csv')))}.csv"
    src.write_text("".join(line + "\n" for line in lines))
    return member("impor", str(src), "--jenis", jenis)


def test_two_receipts_of_the_same_amount_on_one_day_are_two_deposits(
    member: Cli, tmp_path: Path
) -> None:
    """Two months of wajib paid on one day, each with its own receipt (bukti): two deposits,
    not a duplicate; the receipt number is in the narration, where beancount's noduplicates
    looks (found while timing an import, #16)."""
    r = _import_csv(
        member,
        tmp_path,
        "simpanan",
        "tanggal,nak,jenis,jumlah,bukti",
        "03-01-2025,A0001,wajib,10.000,K1",
        "03-01-2025,A0001,wajib,10.000,K2",
    )
    assert r.exit_code == 0, r.output
    setor = ("simpanan", "setor", "A0001", "wajib", "10rb", "--tanggal", "03-01-2025")
    r = member(*setor, "--bukti", "K3")
    assert r.exit_code == 0, r.output
    wajib = [t for t in transactions(member.root) if t.meta.get("jenis") == "setor-wajib"]
    assert sorted(t.meta["bukti"] for t in wajib) == ["K1", "K2", "K3"]
    assert all(f"(bukti {t.meta['bukti']})" in t.narration for t in wajib)
    # The same receipt twice is still the same deposit twice: refused.
    before = snapshot(member.root)
    r = member(*setor, "--bukti", "K3")
    assert r.exit_code != 0 and "sudah tercatat" in r.output, r.output
    assert snapshot(member.root) == before


def test_a_receipt_recorded_before_it_was_in_the_narration_is_not_taken_twice(
    member: Cli,
) -> None:
    """A deposit an older kkmp recorded with its receipt in the metadata only: the same receipt
    entered again is refused all the same (the review of #16's receipt change)."""
    r = member(
        "simpanan", "setor", "A0001", "wajib", "10rb", "--tanggal", "03-01-2025", "--bukti", "K1"
    )
    assert r.exit_code == 0, r.output
    year = Paths(member.root).year_file(2025)
    text = year.read_text()
    assert '"Setoran simpanan wajib (bukti K1)"' in text
    year.write_text(text.replace(" (bukti K1)", ""))  # as the older kkmp wrote it
    assert member("periksa").exit_code == 0
    before = snapshot(member.root)
    r = member(
        "simpanan", "setor", "A0001", "wajib", "10rb", "--tanggal", "03-01-2025", "--bukti", "K1"
    )
    assert r.exit_code != 0, r.output
    assert "bukti K1" in r.output and "sudah tercatat" in r.output, r.output
    assert snapshot(member.root) == before


def test_two_notes_of_the_same_expense_on_one_day_are_two_payments(
    member: Cli, tmp_path: Path
) -> None:
    """Two identical expense rows with their own note numbers (nota) import as two payments,
    each note number in its narration; without note numbers they are refused as a twin."""
    r = member("simpanan", "setor", "A0001", "sukarela", "5jt", "--tanggal", "02-01-2025")
    assert r.exit_code == 0, r.output
    header = "tanggal,akun,jumlah,keterangan,nota"
    r = _import_csv(
        member,
        tmp_path,
        "biaya",
        header,
        "31-01-2025,listrik,250.000,Token listrik,K-017",
        "31-01-2025,listrik,250.000,Token listrik,K-018",
    )
    assert r.exit_code == 0, r.output
    paid = [t for t in transactions(member.root) if t.meta.get("nota") in ("K-017", "K-018")]
    assert sorted(t.narration for t in paid) == [
        "Token listrik (nota K-017)",
        "Token listrik (nota K-018)",
    ]
    twin = "28-02-2025,listrik,250.000,Token listrik,"
    r = _import_csv(member, tmp_path, "biaya", header, twin, twin)
    assert r.exit_code == 1 and "baris ganda" in r.output, r.output


@pytest.mark.parametrize(
    "rows",
    [
        # the same receipt twice, told apart only by the description
        (
            "05-01-2025,A0001,sukarela,50.000,kas,K7,pagi",
            "05-01-2025,A0001,sukarela,50.000,kas,K7,sore",
        ),
        # the same deposit, the second row leaving `via` to its default
        ("05-01-2025,A0001,sukarela,50.000,kas,,", "05-01-2025,A0001,sukarela,50.000,,,"),
    ],
)
def test_rows_that_make_the_same_transaction_name_each_other(
    member: Cli, tmp_path: Path, rows: tuple[str, str]
) -> None:
    """Two rows of one sheet that become the same deposit without being the same text: the
    refusal names both rows, not a document number that was never written (found by an
    adversarial review, #16)."""
    before = snapshot(member.root)
    r = _import_csv(
        member, tmp_path, "simpanan", "tanggal,nak,jenis,jumlah,via,bukti,keterangan", *rows
    )
    assert r.exit_code == 1, r.output
    assert "baris 2 dan 3" in r.output and "baris ganda" in r.output, r.output
    assert "BKM-" not in r.output and "--" not in r.output, r.output
    assert snapshot(member.root) == before


def test_a_nota_with_two_buyers_is_refused(member: Cli, tmp_path: Path) -> None:
    """Rows of one nota with different members, credit or payment: refused, naming the rows
    (they were all booked to the first row's buyer, found by an adversarial review, #16)."""
    for args in (
        ("kas", "masuk", "hibah", "10jt", "-t", "02-01-2025"),
        ("anggota", "tambah", "Budi", "-t", "02-01-2025"),
        ("gerai", "barang", "tambah", "GULA", "--nama", "Gula", "--satuan", "kg",
         "--harga-jual", "15.000", "-t", "02-01-2025"),
        ("gerai", "beli", "GULA", "100", "--harga", "12.000", "--pemasok", "Toko A",
         "-t", "03-01-2025"),
    ):  # fmt: skip
        r = member(*args)
        assert r.exit_code == 0, r.output
    before = snapshot(member.root)
    sheet = ("penjualan", "tanggal,barang,jumlah,harga,nota,anggota,kredit,via")
    first = "06-01-2025,GULA,2,15.000,N-1,A0001,ya,"
    others = ("06-01-2025,GULA,3,15.000,N-1,A0002,,bank", "06-01-2025,GULA,1,15.000,N-1,,,")
    r = _import_csv(member, tmp_path, *sheet, first, *others)
    assert r.exit_code == 1 and "nota N-1 (baris 2, 3, 4)" in r.output, r.output
    assert snapshot(member.root) == before
    # A via on a credit row is refused for itself (#23): the rows agree without one.
    r = _import_csv(member, tmp_path, *sheet, first, "06-01-2025,GULA,3,15.000,N-1,a0001,ya,kas")
    assert r.exit_code == 1 and "baris 3: Kredit berarti belum dibayar" in r.output, r.output
    assert snapshot(member.root) == before
    r = _import_csv(member, tmp_path, *sheet, first, "06-01-2025,GULA,3,15.000,N-1,a0001,ya,")
    assert r.exit_code == 0, r.output


def test_one_nik_is_one_active_member(cli: Cli, tmp_path: Path) -> None:
    """A NIK already an active member's is refused, on the command line and in a member sheet
    imported again after a phone number was corrected (found by an adversarial review, #16)."""
    nik = "3201010101010001"
    header = "tanggal,nama,nak,jk,nik,telepon,alamat"
    r = _import_csv(cli, tmp_path, "anggota", header, f"02-01-2025,Siti Aminah,,P,{nik},0811,A")
    assert r.exit_code == 0, r.output
    before = snapshot(cli.root)
    r = _import_csv(cli, tmp_path, "anggota", header, f"02-01-2025,Siti Aminah,,P,{nik},0822,A")
    assert r.exit_code == 1 and "sudah dipakai anggota aktif A0001" in r.output, r.output
    assert nik not in r.output  # private data is not printed whole
    r = cli("anggota", "tambah", "Siti A.", "-t", "03-01-2025", "--nik", nik)
    assert r.exit_code == 1 and "satu orang satu nomor anggota" in r.output, r.output
    assert snapshot(cli.root) == before
    r = cli("anggota", "tambah", "Rina", "-t", "03-01-2025", "--nik", "3201010101010002")
    assert r.exit_code == 0, r.output


def _journal_files(root: Path) -> dict[Path, bytes]:
    return {p: p.read_bytes() for p in root.rglob("*.beancount")}


@pytest.mark.parametrize("how", ["tambah", "impor"])
def test_a_registration_taken_back_leaves_no_private_data_to_the_next_member(
    cli: Cli, tmp_path: Path, how: str
) -> None:
    """The private file is kept out of git: a registration discarded from the journal (`git
    checkout -- .`) left its NIK under the number, and the next member given that number
    without a NIK carried it, while the real owner was refused as a duplicate (found by an
    adversarial review, #23). periksa notes such a record; the next registration clears it."""
    r = cli("anggota", "tambah", "Siti", "-t", "02-01-2025", "--nik", "3201000000000001")
    assert r.exit_code == 0, r.output
    kept = _journal_files(cli.root)
    r = cli("anggota", "tambah", "Rudi", "-t", "03-01-2025", "--nik", "3201000000000002")
    assert r.exit_code == 0, r.output
    for path in set(_journal_files(cli.root)) - set(kept):
        path.unlink()
    for path, blob in kept.items():  # what `git checkout -- .` does to the journal
        path.write_bytes(blob)
    r = cli("periksa")
    assert r.exit_code == 0, r.output
    assert "data pribadi A0002, nomor yang tidak terdaftar" in r.output, r.output
    if how == "tambah":
        r = cli("anggota", "tambah", "Ani", "-t", "03-01-2025")
    else:
        r = _import_csv(cli, tmp_path, "anggota", "tanggal,nama,telepon", "03-01-2025,Ani,")
    assert r.exit_code == 0, r.output
    private = (cli.root / "pribadi" / "anggota.yaml").read_text()
    assert "3201000000000002" not in private and "A0002" not in private, private
    r = cli("anggota", "tambah", "Rudi", "-t", "04-01-2025", "--nik", "3201000000000002")
    assert r.exit_code == 0, r.output
    r = cli("periksa")
    assert r.exit_code == 0 and "tidak terdaftar" not in r.output, r.output


def test_kas_keluar_and_masuk_take_the_paper_note_number(member: Cli, tmp_path: Path) -> None:
    """`kas keluar` / `kas masuk --nota`: the note number is in the metadata and the narration,
    so a second identical payment with its own note is recorded; a twin without one is refused
    (saying how to tell them apart) and changes nothing; the printed receipt gives it once."""
    r = member("simpanan", "setor", "A0001", "sukarela", "5jt", "--tanggal", "02-01-2025")
    assert r.exit_code == 0, r.output
    pay = ("kas", "keluar", "listrik", "250.000", "--keterangan", "Token", "-t", "31-01-2025")
    for nota in ("K-017", "K-018"):
        r = member(*pay, "--nota", nota)
        assert r.exit_code == 0, r.output
    r = member("kas", "masuk", "lain", "40.000", "--nota", "T-1", "-t", "31-01-2025")
    assert r.exit_code == 0, r.output
    noted = {t.meta["nota"]: t for t in transactions(member.root) if "nota" in t.meta}
    assert {n: t.narration for n, t in noted.items()} == {
        "K-017": "Token (nota K-017)",
        "K-018": "Token (nota K-018)",
        "T-1": "Penerimaan Lain-Lain (nota T-1)",
    }
    before = snapshot(member.root)
    r = member(*pay, "--nota", "K-018")
    assert r.exit_code == 1 and "nomor nota" in r.output and "sudah tercatat" in r.output, r.output
    assert snapshot(member.root) == before
    out = tmp_path / "k.html"
    r = member("cetak", noted["K-017"].meta["id"], "-o", str(out))
    assert r.exit_code == 0, r.output
    page = re.sub(r"<[^>]+>", " ", out.read_text())
    assert page.count("K-017") == 1 and "Token" in page


def test_untouched_template_books_nothing(member: Cli, tmp_path: Path) -> None:
    target = tmp_path / "templat-simpanan.xlsx"
    r = member("impor", "templat", "simpanan", "-o", str(target), koperasi=False)
    assert r.exit_code == 0, r.output
    assert "lembar 'contoh'" in r.output
    workbook = openpyxl.load_workbook(target)
    assert [c.value for c in workbook.worksheets[0][1]][:4] == ["tanggal", "nak", "jenis", "jumlah"]
    assert workbook.worksheets[0].max_row == 1
    assert workbook["contoh"]["B2"].value == "A0001"
    r = member("impor", str(target), "--jenis", "simpanan")
    assert r.exit_code == 0, r.output
    assert "0 baris dibaca: 0 transaksi dicatat" in r.output
    assert transactions(member.root) == []


# --- a normal month's mistakes (#17 item 11) ---


def _journal(root: Path) -> str:
    return "".join(p.read_text() for p in sorted(root.rglob("*.beancount")))


def test_anggota_ubah_corrects_and_keeps_history(cli: Cli) -> None:
    assert (
        cli("anggota", "tambah", "Siti Aminh", "--tanggal", "02-01-2025", "--jk", "L").exit_code
        == 0
    )
    assert (
        cli("anggota", "tambah", "Budi", "--tanggal", "02-01-2025", "--telepon", "0811").exit_code
        == 0
    )
    r = cli(
        *("anggota", "ubah", "A0001", "--nama", "Siti Aminah", "--jk", "P"),
        *("--hp", "081234", "--alamat", "Jl. Mawar 1", "--tanggal", "03-01-2025"),
    )
    assert r.exit_code == 0, r.output
    assert (
        "Data anggota A0001 Siti Aminah diubah per 03-01-2025: nama, jenis kelamin, telepon, alamat."
        in r.output
    )
    r = cli("anggota", "daftar", "--format", "json")
    (siti, _) = json.loads(r.output)["anggota"]
    assert siti["nama"] == "Siti Aminah"
    entries, errors = reload(cli.root)
    assert errors == []
    events = [e for e in entries if isinstance(e, data.Custom) and e.type == "anggota"]
    assert [(e.values[0].value, e.values[1].value) for e in events] == [
        ("masuk", "A0001"),
        ("masuk", "A0002"),
        ("ubah", "A0001"),
    ]
    assert events[0].values[2].value == "Siti Aminh"  # the old name stays in the history
    assert events[2].meta["nama"] == "Siti Aminah" and events[2].meta["jenis_kelamin"] == "P"
    assert events[2].meta["pribadi"] == "telepon, alamat"
    # Contact data stays private: only the field names are journalled.
    assert "081234" not in _journal(cli.root) and "Mawar" not in _journal(cli.root)
    private = (cli.root / "pribadi" / "anggota.yaml").read_text()
    assert "081234" in private and "Jl. Mawar 1" in private and "0811" in private
    r = cli("anggota", "lihat", "A0001", "--format", "json")
    assert json.loads(r.output)["riwayat"] == [
        {
            "tanggal": "2025-01-03",
            "diubah": {
                "nama": {"dulu": "Siti Aminh", "menjadi": "Siti Aminah"},
                "jenis_kelamin": {"dulu": "L", "menjadi": "P"},
            },
            "pribadi": ["telepon", "alamat"],
        }
    ]
    r = cli("anggota", "lihat", "A0001")
    assert "Diubah 03-01-2025: nama Siti Aminh → Siti Aminah, jenis kelamin L → P" in r.output
    # The sex counted in the RAT is the corrected one.
    from kkmp_cli.core import ledger
    from kkmp_cli.core.ledger import Paths
    from kkmp_cli.members import register as members

    assert members.get(ledger.load(Paths(cli.root), fresh=True), "A0001").jenis_kelamin == "P"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["A0001", "--nama", "Siti Aminah"], "Tidak ada yang berubah"),
        (["A0001"], "Tidak ada yang berubah"),
        (["A0001", "--jk", "X"], "L (laki-laki) atau P"),
        (["A0001", "--nik", "12"], "16 angka"),
        (["A0001", "--nama", "  "], "tidak boleh kosong"),
        (["A0009", "--nama", "Orang"], "tidak terdaftar"),
        (["A0001", "--nama", "Siti", "--tanggal", "01-01-2025"], "baru menjadi anggota"),
    ],
)
def test_anggota_ubah_refusals_change_nothing(member: Cli, args: list[str], message: str) -> None:
    _refused(member, "anggota", "ubah", *args, says=message)


def test_anggota_ubah_twice_on_one_day(member: Cli) -> None:
    """Two corrections of a member's contact data on one day are two register lines: only
    the field names are journalled, so they read alike, and the second carries its number
    (beancount's noduplicates compares directives without their metadata)."""
    for hp in ("0811", "0812"):
        r = member("anggota", "ubah", "A0001", "--hp", hp, "--tanggal", "03-01-2025")
        assert r.exit_code == 0, r.output
        assert "diubah per 03-01-2025: telepon" in r.output
    entries, errors = reload(member.root)
    assert errors == []
    changes = [e for e in entries if isinstance(e, data.Custom) and e.values[0].value == "ubah"]
    assert [len(c.values) for c in changes] == [2, 3] and changes[1].values[2].value == 2
    assert "0812" in (member.root / "pribadi" / "anggota.yaml").read_text()
    assert "Buku bersih" in member("periksa").output


def test_anggota_batal_undoes_a_mistaken_registration(member: Cli) -> None:
    assert (
        member(
            "anggota", "tambah", "Siti Aminah", "--tanggal", "02-01-2025", "--telepon", "0812"
        ).exit_code
        == 0
    )
    r = member(
        "anggota", "batal", "A0002", "--alasan", "didaftarkan dua kali", "--tanggal", "03-01-2025"
    )
    assert r.exit_code == 0, r.output
    assert "Pendaftaran anggota A0002 Siti Aminah dibatalkan per 03-01-2025." in r.output
    entries, errors = reload(member.root)
    assert errors == []
    # Append-only: the registration line is still there, followed by the cancellation.
    assert _journal(member.root).count('custom "anggota" "masuk" "A0002"') == 1
    assert 'custom "anggota" "batal" "A0002" "didaftarkan dua kali"' in _journal(member.root)
    closed = {e.account for e in entries if isinstance(e, data.Close)}
    assert closed == {
        "Ekuitas:Simpanan-Pokok:A0002",
        "Ekuitas:Simpanan-Wajib:A0002",
        "Kewajiban:Simpanan-Sukarela:A0002",
    }
    assert "A0002" not in (member.root / "pribadi" / "anggota.yaml").read_text()
    listed = json.loads(member("anggota", "daftar", "--format", "json").output)["anggota"]
    assert [m["nak"] for m in listed] == ["A0001"]
    # The number is never given again.
    r = member("anggota", "tambah", "Budi", "--tanggal", "04-01-2025")
    assert r.exit_code == 0 and "A0003" in r.output, r.output
    _refused(member, "anggota", "tambah", "Budi", "--nomor", "A0002", says="tidak dipakai ulang")
    _refused(
        member, "simpanan", "setor", "A0002", "wajib", "10000", says="dibatalkan pada 03-01-2025"
    )
    assert member("periksa").exit_code == 0


def test_anggota_batal_refused_once_the_member_has_transactions(member: Cli) -> None:
    r = member("simpanan", "setor", "A0001", "pokok", "100000", "--tanggal", "02-01-2025")
    assert r.exit_code == 0, r.output
    _refused(member, "anggota", "batal", "A0001", says="sudah bertransaksi (BKM-2025-000001")
    _refused(member, "anggota", "batal", "A0009", says="tidak terdaftar")


def test_kas_saldo_lists_cash_and_bank_on_a_date(member: Cli) -> None:
    for args in (
        ("simpanan", "setor", "A0001", "pokok", "100.000", "--tanggal", "02-01-2025"),
        ("kas", "masuk", "hibah", "5jt", "--tanggal", "05-01-2025"),
        ("kas", "pindah", "kas", "bank", "2jt", "--tanggal", "06-01-2025"),
        ("kas", "keluar", "listrik", "250.000", "--via", "bank", "--tanggal", "31-12-2025"),
    ):
        assert member(*args).exit_code == 0
    r = member("kas", "saldo", "--per", "05-01-2025")
    assert r.exit_code == 0, r.output
    assert "Saldo kas dan bank KKMP Uji Coba per 05-01-2025" in r.output
    assert "(hari ini)" not in r.output
    lines = [line.split("│")[1:4] for line in r.output.splitlines() if line.startswith("│")]
    assert [[c.strip() for c in cells] for cells in lines] == [
        ["Aset:Kas", "Kas", "Rp5.100.000"],
        ["Aset:Bank", "Bank", "Rp0"],
        ["Jumlah", "", "Rp5.100.000"],
    ]
    r = member("kas", "saldo", "--per", "31-12-2025", "--format", "json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.output) == {
        "per": "2025-12-31",
        "akun": [
            {"akun": "Aset:Kas", "uraian": "Kas", "saldo": 3_100_000},
            {"akun": "Aset:Bank", "uraian": "Bank", "saldo": 1_750_000},
        ],
        "total": 4_850_000,
    }
    r = member("kas", "saldo")
    assert r.exit_code == 0, r.output
    assert "(hari ini)" in r.output and "Rp4.850.000" in r.output
    _refused(member, "kas", "saldo", "--per", "32-12-2025", says="Tanggal")


# --- escaping in Markdown and HTML (#17 item 10, #23) ---

HOSTILE = "Kios | Ani <script>alert(1)</script> *tebal* [tautan](x) #1"


def _cells(line: str) -> int:
    """Table cells a Markdown reader sees on a row: pipes not escaped with a backslash."""
    return len(re.findall(r"(?<!\\)\|", line))


def test_markdown_report_escapes_names(member: Cli) -> None:
    modal = ["kas", "masuk", "hibah", "1jt", "--keterangan", "Modal", "--tanggal", "02-01-2025"]
    assert member(*modal).exit_code == 0  # cash never goes below zero
    r = member(
        "kas", "keluar", "listrik", "250.000", "--keterangan", HOSTILE, "--tanggal", "31-01-2025"
    )
    assert r.exit_code == 0, r.output
    r = member("laporan", "buku-besar", "Aset:Kas", "--tahun", "2025", "-f", "md")
    assert r.exit_code == 0, r.output
    assert "<script>" not in r.output and "&lt;script&gt;" in r.output
    assert r"Kios \| Ani" in r.output and r"\*tebal\*" in r.output and r"\[tautan\]" in r.output
    rows = [line for line in r.output.splitlines() if line.startswith("|")]
    assert len(rows) >= 3 and {_cells(line) for line in rows} == {_cells(rows[0])}


def test_rat_markdown_escapes_and_html_footer_is_css(cli: Cli, tmp_path: Path) -> None:
    cfg = cli.root / "koperasi.yaml"
    cfg.write_text(
        cfg.read_text()
        .replace(
            "  pengurus: []",
            '  pengurus:\n  - {jabatan: Ketua, nama: "Ani | Budi\\n# Judul sisipan <script>x</script>"}',
            1,
        )
        .replace('nama: "KKMP Uji Coba"', 'nama: "KKMP Maju & Jaya \\"Sejahtera\\" </style>"', 1)
    )
    (cli.root / "rat.yaml").write_text(
        "pengantar: |\n  Paragraf pertama.\n  # Bukan judul\n  ---\n  <img src=x onerror=alert(1)>\n"
        'rencana_kerja:\n- "Beli | jual\\n## sisipan"\n'
    )
    assert cli("anggota", "tambah", "Siti", "--tanggal", "02-01-2025").exit_code == 0
    r = cli("simpanan", "setor", "A0001", "pokok", "100rb", "--tanggal", "02-01-2025")
    assert r.exit_code == 0, r.output
    out = tmp_path / "rat.md"
    r = cli("rat", "2025", "-f", "md", "-o", str(out))
    assert r.exit_code == 0, r.output
    text = out.read_text()
    assert "<script>" not in text and "<img" not in text
    headings = [line for line in text.splitlines() if line.startswith("#")]
    assert not any("sisipan" in h or "Bukan judul" in h for h in headings), headings
    assert r"| Ketua | Ani \| Budi \# Judul sisipan &lt;script&gt;x&lt;/script&gt; |" in text
    assert "Paragraf pertama.\n\\# Bukan judul\n\\---\n&lt;img" in text
    assert r"1. Beli \| jual \#\# sisipan" in text
    assert "KKMP Maju & Jaya" in text  # a plain ampersand stays readable
    html_out = tmp_path / "rat.html"
    r = cli("rat", "2025", "-o", str(html_out))
    assert r.exit_code == 0, r.output
    html = html_out.read_text()
    style = html.split("<style>", 1)[1].split("</style>", 1)[0]
    footer = re.search(r'@bottom-left \{ content: "(.*?)";', style)
    assert footer is not None, style
    assert r"KKMP Maju \26  Jaya \22 Sejahtera\22  \3C /style\3E " in footer[1]
    assert "&amp;" not in style and "&#34;" not in style


# --- reports that default to today say so (#17 item 10) ---


def test_anggota_daftar_names_the_date_used(member: Cli) -> None:
    today = dt.date.today()
    r = member("anggota", "daftar", "--format", "json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.output)["per"] == today.isoformat()
    r = member("anggota", "daftar")
    assert f"Buku Daftar Anggota KKMP Uji Coba per {today:%d-%m-%Y} (hari ini)" in r.output
    r = member("anggota", "daftar", "--per", "01-01-2025", "--format", "json")
    assert json.loads(r.output) == {"per": "2025-01-01", "anggota": []}
    r = member("anggota", "daftar", "--per", "31-12-2025")
    assert "per 31-12-2025\n" in r.output and "hari ini" not in r.output


def test_reports_defaulting_to_today_say_so(member: Cli) -> None:
    today = dt.date.today()
    r = member("laporan", "neraca-saldo", "-f", "md")
    assert r.exit_code == 0, r.output
    assert f"per {today:%d-%m-%Y} (hari ini)" in r.output
    r = member("laporan", "neraca", "-f", "md")
    assert f"per 31 Desember {today.year} (tahun ini, sampai {today:%d-%m-%Y})" in r.output
    r = member("laporan", "buku-besar", "Aset:Kas", "-f", "json")
    assert "(tahun ini, sampai" in json.loads(r.output)["periode"]
    for args in (("neraca-saldo", "--per", "31-12-2025"), ("neraca", "--tahun", "2025")):
        r = member("laporan", *args, "-f", "md")
        assert r.exit_code == 0 and "hari ini" not in r.output and "tahun ini" not in r.output


def test_fava_hint_says_how_to_install_fava(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import importlib.util
    import tomllib

    from kkmp_cli import demo

    extras = tomllib.loads((Path(__file__).parent.parent / "pyproject.toml").read_text())[
        "project"
    ]["optional-dependencies"]
    assert any(dep.startswith("fava") for dep in extras["fava"])
    book = tmp_path / "buku.beancount"
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "fava" else real(name, *a)
    )
    assert demo.fava_hint(tmp_path) == (
        'Buka di Fava:  pasang dulu dengan pip install ".[fava]" (di folder kkmp) '
        f"atau pip install fava, lalu fava {book}"
    )
    monkeypatch.setattr(importlib.util, "find_spec", real)
    pytest.importorskip("fava")
    assert demo.fava_hint(tmp_path) == f"Buka di Fava:  fava {book}"


@given(st.integers(min_value=10**15 + 1, max_value=10**40))
def test_any_amount_above_the_ceiling_is_one_sentence(n: int) -> None:
    from kkmp_cli import money
    from kkmp_cli.errors import JumlahTidakValid

    for text in (str(n), money.fmt(n), f"{n}jt"):
        with pytest.raises(JumlahTidakValid, match="melebihi batas"):
            money.parse(text)
    assert money.parse(money.fmt(10**15)) == 10**15
