"""A mistaken `anggota keluar` taken back with `koreksi` of its document: the reversal linked
to the exit, the member active again, the loans the exit paid off running again, a refund
paid later undone first (#17, #23)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from beancount.core import data

from tests.conftest import Cli, ok, periksa_finds, refused, reload, run, transactions

NAK = "A0001"
EXIT = ("anggota", "keluar", NAK, "--tanggal", "15-04-2025", "--alasan", "Pindah")


@pytest.fixture
def member(cli: Cli) -> Cli:
    """Siti (A0001) with pokok 100.000, wajib 10.000 and sukarela 5jt; PJ-2025-0001 3jt flat,
    10 months at 2 % from 01-02-2025, its first instalment paid; Budi (A0002) beside her."""
    run(
        cli,
        "kas|masuk|hibah|30jt|--keterangan|Hibah|--tanggal|02-01-2025",
        "anggota|tambah|Siti|--tanggal|02-01-2025",
        "anggota|tambah|Budi|--tanggal|02-01-2025",
        "simpanan|setor|A0001|pokok|100.000|--tanggal|02-01-2025",
        "simpanan|setor|A0001|wajib|10.000|--tanggal|05-01-2025",
        "simpanan|setor|A0001|sukarela|5jt|--tanggal|06-01-2025",
        "pinjaman|cair|A0001|3jt|--tenor|10|--jasa|2|--metode|flat|--tanggal|01-02-2025",
        "pinjaman|angsur|PJ-2025-0001|360.000|--tanggal|01-03-2025",
    )
    return cli


def _json(cli: Cli, *args: str) -> dict:
    return json.loads(ok(cli, *args, "--format", "json"))


def _views(cli: Cli) -> dict[str, object]:
    """What a treasurer reads of the member: the card (without its movement lines), the
    register, the loan list and the neraca."""
    card = _json(cli, "anggota", "lihat", NAK)
    card.pop("mutasi")
    return {
        "kartu": card,
        "daftar": _json(cli, "anggota", "daftar", "--per", "31-12-2025"),
        "pinjaman": _json(cli, "pinjaman", "daftar", "--semua", "--per", "30-04-2025"),
        "neraca": _json(cli, "laporan", "neraca", "--tahun", "2025"),
    }


def _exit_doc(root: Path) -> str:
    (entry,) = [t for t in transactions(root) if t.meta.get("jenis") == "keluar-anggota"]
    return str(entry.meta["id"])


def _doc(root: Path, jenis: str) -> str:
    (entry,) = [t for t in transactions(root) if t.meta.get("jenis") == jenis]
    return str(entry.meta["id"])


def _clean(cli: Cli) -> None:
    assert "Buku bersih: tidak ada temuan." in ok(cli, "periksa")


def test_koreksi_of_an_exit_with_a_loan_and_a_refund_paid_later_undoes_it(member: Cli) -> None:
    before = _views(member)
    ok(member, *EXIT, "--via", "utang", "--kompensasi")
    ok(member, "anggota", "bayar-pengembalian", NAK, "--tanggal", "20-04-2025")
    exit_doc, paid = _exit_doc(member.root), _doc(member.root, "pengembalian-bayar")

    # `anggota batal` (a registration made by mistake) is not the way; it names the one that is.
    said = refused(member, "anggota", "batal", NAK, "--tanggal", "21-04-2025")
    assert f"kkmp anggota batal-keluar {NAK}" in said
    # The refund paid comes first: the koreksi of the exit says which document to take back.
    said = refused(
        member, "koreksi", exit_doc, "--alasan", "salah anggota", "--tanggal", "21-04-2025"
    )
    assert said.count("Galat:") == 1 and paid in said and f"kkmp koreksi {paid}" in said
    ok(member, "koreksi", paid, "--alasan", "salah anggota", "--tanggal", "21-04-2025")
    # Not dated before the refund's own koreksi: the payable would be in debit on the days between.
    said = refused(member, "koreksi", exit_doc, "--alasan", "salah", "--tanggal", "20-04-2025")
    assert "21-04-2025" in said
    out = ok(member, "koreksi", exit_doc, "--alasan", "salah anggota", "--tanggal", "21-04-2025")
    assert f"Koreksi {exit_doc}" in out and "aktif kembali" in out

    assert _views(member) == before
    assert _json(member, "anggota", "lihat", NAK)["status"] == "aktif"
    _clean(member)

    entries, errors = reload(member.root)
    assert errors == []
    (undo,) = [
        e for e in entries if isinstance(e, data.Transaction) and e.meta.get("koreksi") == exit_doc
    ]
    assert undo.meta["jenis"] == "koreksi" and undo.meta["jenis_asal"] == "keluar-anggota"
    assert undo.meta["anggota"] == NAK and "PJ-2025-0001" in undo.links
    # The exit itself stays as it was written; no account of the member is closed any more.
    assert _exit_doc(member.root) == exit_doc
    assert not [e for e in entries if isinstance(e, data.Close) and e.account.endswith(NAK)]
    events = [
        (e.values[0].value, e.values[1].value)
        for e in entries
        if isinstance(e, data.Custom) and e.type == "anggota" and e.values[1].value == NAK
    ]
    assert events == [("masuk", NAK), ("keluar", NAK), ("batal-keluar", NAK)]

    # She is a member again: her loan is paid and she saves as before.
    ok(member, "pinjaman", "angsur", "PJ-2025-0001", "360.000", "--tanggal", "25-04-2025")
    ok(member, "simpanan", "setor", NAK, "wajib", "10.000", "--tanggal", "25-04-2025")
    _clean(member)
    refused(member, "koreksi", exit_doc, "--alasan", "lagi", "--tanggal", "26-04-2025")


def test_koreksi_of_an_exit_paid_in_cash_on_its_own_day(member: Cli) -> None:
    """The simplest mistake: the wrong member's exit, paid from cash, taken back the same day."""
    ok(member, "pinjaman", "lunasi", "PJ-2025-0001", "--tanggal", "10-04-2025")
    before = _views(member)
    ok(member, *EXIT)
    exit_doc = _exit_doc(member.root)
    assert exit_doc.startswith("BKK-")
    # --coba shows the plan and writes nothing.
    said = ok(
        member,
        "koreksi",
        exit_doc,
        "--alasan",
        "salah anggota",
        "--tanggal",
        "15-04-2025",
        "--coba",
    )
    assert "akan aktif kembali" in said
    assert _json(member, "anggota", "lihat", NAK)["status"] == "keluar"
    ok(member, "koreksi", exit_doc, "--alasan", "salah anggota", "--tanggal", "15-04-2025")
    assert _views(member) == before
    _clean(member)
    ok(member, "simpanan", "setor", NAK, "wajib", "10.000", "--tanggal", "16-04-2025")
    # She may leave again for real later; that exit pays out what she holds then.
    ok(member, "anggota", "keluar", NAK, "--tanggal", "30-06-2025", "--alasan", "Pindah")
    card = _json(member, "anggota", "lihat", NAK)
    assert card["status"] == "keluar" and card["keluar"] == "2025-06-30"
    assert card["total_simpanan"] == 0
    _clean(member)


def test_koreksi_of_an_exit_with_an_accruing_loan_brings_its_jasa_back(member: Cli) -> None:
    cfg = member.root / "koperasi.yaml"
    cfg.write_text(cfg.read_text().replace("pengakuan_jasa: kas ", "pengakuan_jasa: akrual "))
    ok(member, "pinjaman", "akrual", "--bulan", "2025-04")
    before = _views(member)
    # Dated before April's accrual: the exit sets that accrual right (#13), its koreksi too.
    out = ok(member, *EXIT, "--kompensasi")
    assert "Piutang-Jasa" in out
    exit_doc = _exit_doc(member.root)
    ok(member, "koreksi", exit_doc, "--alasan", "salah anggota", "--tanggal", "16-04-2025")
    kinds = [t.meta["jenis"] for t in transactions(member.root)]
    assert kinds.count("pinjaman-akrual-sesuai") == 2
    _clean(member)
    after = _views(member)
    assert after["kartu"] == before["kartu"] and after["daftar"] == before["daftar"]
    assert after["pinjaman"] == before["pinjaman"]
    from kkmp_cli.core import ledger
    from kkmp_cli.core.ledger import Paths
    from kkmp_cli.loans import accrual

    book = ledger.load(Paths(member.root), fresh=True)
    assert accrual.departures(book) == []


def _hand_edit(root: Path, drop: str) -> None:
    """Take the block that starts with `drop` out of the 2025 journal (a koreksi cut short)."""
    path = root / "jurnal" / "2025.beancount"
    blocks = path.read_text(encoding="utf-8").split("\n\n")
    kept = [b for b in blocks if not b.lstrip("\n").startswith(drop)]
    assert len(kept) == len(blocks) - 1, drop
    path.write_text("\n\n".join(kept), encoding="utf-8")


def test_periksa_names_an_exit_taken_back_halfway(member: Cli, tmp_path: Path) -> None:
    import shutil

    ok(member, *EXIT, "--kompensasi")
    exit_doc = _exit_doc(member.root)
    # By hand, without kkmp: the register line written and the closes deleted, the exit left.
    by_hand = tmp_path / "tangan"
    shutil.copytree(member.root, by_hand)
    path = by_hand / "jurnal" / "2025.beancount"
    kept = [b for b in path.read_text(encoding="utf-8").split("\n\n") if " close " not in b]
    kept.append('2025-04-16 custom "anggota" "batal-keluar" "A0001" "salah"\n')
    path.write_text("\n\n".join(kept), encoding="utf-8")
    said = periksa_finds(Cli(by_hand))
    assert (
        f"anggota {NAK} dicatat aktif kembali (batal-keluar), tetapi keluarnya {exit_doc}" in said
    )
    ok(member, "koreksi", exit_doc, "--alasan", "salah anggota", "--tanggal", "16-04-2025")

    # The register line gone: the member still left, her exit reversed.
    copy = tmp_path / "tanpa-daftar"
    shutil.copytree(member.root, copy)
    _hand_edit(copy, '2025-04-16 custom "anggota" "batal-keluar"')
    said = periksa_finds(Cli(copy))
    assert f"mengoreksi keluarnya anggota {NAK} ({exit_doc})" in said
    # The reversal gone: the register says active, the exit still paid out.
    copy = tmp_path / "tanpa-koreksi"
    shutil.copytree(member.root, copy)
    _hand_edit(copy, '2025-04-16 * "Siti" "Koreksi')
    said = periksa_finds(Cli(copy))
    assert (
        f"anggota {NAK} dicatat aktif kembali (batal-keluar), tetapi keluarnya {exit_doc}" in said
    )
    # A close left behind: the member is active with an account closed.
    copy = tmp_path / "akun-tertutup"
    shutil.copytree(member.root, copy)
    path = copy / "jurnal" / "2025.beancount"
    path.write_text(
        path.read_text(encoding="utf-8") + "\n2025-12-31 close Ekuitas:Simpanan-Wajib:A0001\n",
        encoding="utf-8",
    )
    said = periksa_finds(Cli(copy))
    assert "akun Ekuitas:Simpanan-Wajib:A0001 masih ditutup" in said


def test_koreksi_of_an_exit_refuses_bad_input_and_writes_nothing(member: Cli) -> None:
    ok(member, *EXIT, "--kompensasi")
    exit_doc = _exit_doc(member.root)
    said = refused(member, "koreksi", exit_doc, "--alasan", "salah", "--tanggal", "14-04-2025")
    assert said.count("Galat:") == 1 and "sebelum" in said
    # Nothing may be recorded for her until the exit is taken back.
    refused(
        member, "simpanan", "setor", NAK, "wajib", "10rb", "--tanggal", "20-04-2025", says="keluar"
    )
    ok(member, "koreksi", exit_doc, "--alasan", "salah", "--tanggal", "15-04-2025")
    said = refused(member, "koreksi", exit_doc, "--alasan", "lagi", "--tanggal", "16-04-2025")
    assert "sudah dikoreksi" in said
    undo = _doc(member.root, "koreksi")
    said = refused(member, "koreksi", undo, "--alasan", "lagi", "--tanggal", "16-04-2025")
    assert "sendiri adalah koreksi" in said


def test_an_exit_in_a_closed_year_is_taken_back_only_after_reopening_it(cli: Cli) -> None:
    run(
        cli,
        "kas|masuk|hibah|30jt|--keterangan|Hibah|--tanggal|02-01-2025",
        "anggota|tambah|Siti|--tanggal|02-01-2025",
        "simpanan|setor|A0001|pokok|100.000|--tanggal|02-01-2025",
        "anggota|keluar|A0001|--tanggal|15-04-2025|--alasan|Pindah",
        "tutup-buku|2025",
    )
    exit_doc = _exit_doc(cli.root)
    said = refused(cli, "koreksi", exit_doc, "--alasan", "salah", "--tanggal", "05-01-2026")
    assert "tahun buku 2025 yang sudah ditutup" in said and "kkmp tutup-buku 2025 --buka" in said
    run(
        cli,
        "tutup-buku|2025|--buka|--alasan|Keluar keliru|--disetujui|Ketua",
        f"koreksi|{exit_doc}|--alasan|salah anggota|--tanggal|20-04-2025",
        "tutup-buku|2025",
    )
    _clean(cli)
    assert _json(cli, "anggota", "lihat", NAK)["saldo"]["pokok"] == 100_000
    assert _json(cli, "anggota", "daftar")["anggota"][0]["status"] == "aktif"


def test_batal_keluar_takes_back_the_exit_by_the_members_number(member: Cli) -> None:
    before = _views(member)
    said = refused(member, "anggota", "batal-keluar", NAK, "--alasan", "salah")
    assert "tidak tercatat keluar" in said
    ok(member, *EXIT, "--kompensasi")
    exit_doc = _exit_doc(member.root)
    out = ok(
        member, "anggota", "batal-keluar", "siti", "--alasan", "salah", "--tanggal", "15-04-2025"
    )
    assert f"Koreksi {exit_doc}: salah" in out and "Siti aktif kembali" in out
    assert _views(member) == before
    assert _doc(member.root, "koreksi")
    _clean(member)


def test_an_exit_that_paid_nothing_is_taken_back_by_its_register_line(cli: Cli) -> None:
    """Budi registered and left before paying his pokok: no document, nothing to reverse."""
    run(
        cli,
        "anggota|tambah|Budi|--tanggal|02-01-2025",
        "anggota|keluar|A0001|--tanggal|15-04-2025|--alasan|Pindah",
    )
    assert not [t for t in transactions(cli.root) if t.meta.get("jenis") == "keluar-anggota"]
    said = refused(
        cli, "anggota", "batal-keluar", NAK, "--alasan", "salah", "--tanggal", "14-04-2025"
    )
    assert "15-04-2025" in said
    out = ok(cli, "anggota", "batal-keluar", NAK, "--alasan", "salah", "--tanggal", "16-04-2025")
    assert "Budi aktif kembali" in out
    _clean(cli)
    ok(cli, "simpanan", "setor", NAK, "pokok", "100rb", "--tanggal", "17-04-2025")
    assert _json(cli, "anggota", "lihat", NAK)["status"] == "aktif"
    entries, errors = reload(cli.root)
    assert errors == [] and not [e for e in entries if isinstance(e, data.Close)]
    _clean(cli)


def test_an_exit_paid_the_wrong_way_is_made_again_the_same_day(member: Cli) -> None:
    """Paid from cash though the cooperative owes it (--via utang): taken back and made again
    on its day; then that one is taken back too, by the member's number."""
    ok(member, "pinjaman", "lunasi", "PJ-2025-0001", "--tanggal", "10-04-2025")
    before = _views(member)
    ok(member, *EXIT)
    first = _exit_doc(member.root)
    ok(member, "koreksi", first, "--alasan", "salah --via", "--tanggal", "15-04-2025")
    ok(member, *EXIT, "--via", "utang")
    card = _json(member, "anggota", "lihat", NAK)
    assert card["status"] == "keluar" and card["pengembalian_belum_dibayar"] == 5_110_000
    _clean(member)
    second = [
        str(t.meta["id"]) for t in transactions(member.root) if t.meta["jenis"] == "keluar-anggota"
    ][-1]
    assert second != first
    out = ok(member, "anggota", "batal-keluar", NAK, "--alasan", "salah", "--tanggal", "15-04-2025")
    assert f"Koreksi {second}" in out
    assert _views(member) == before
    _clean(member)
