"""Fava reads kkmp's books right (#14 part 6): a closed year's income statement in Fava is
`laporan phu`, its balance sheet at 31 December is `laporan neraca`, the main file sets Fava's
options, and the `kkmp_cli.fava` extension shows kkmp's own pages, through Fava's own test
client. The closing moves the SHU from Ekuitas:SHU-Tahun-Berjalan (beancount's earnings
account) into SHU belum dibagi and leaves income and expenses alone."""

from __future__ import annotations

import datetime as dt
import html
import json
from decimal import Decimal
from pathlib import Path

import pytest
from beancount.core import data
from conftest import Cli, ok, refused, reload, run, today_is

from kkmp_cli import chart, money
from kkmp_cli.app import closing as closing_app
from kkmp_cli.core import ledger, writer
from kkmp_cli.core.ledger import Paths
from kkmp_cli.fava import extension
from kkmp_cli.members import register as members
from kkmp_cli.reports import statements
from kkmp_cli.shu import shu

fava_core = pytest.importorskip("fava.core")
ZERO = Decimal(0)


def _weight(inventory) -> Decimal:  # type: ignore[no-untyped-def]
    """IDR weight of a Fava inventory, lots at cost (as kkmp's statements count them)."""
    total = ZERO
    for (_currency, cost), number in inventory.items():
        total += number * cost.number if cost is not None else number
    return total


def _fava_balances(root: Path, time: str, *, closed: bool) -> dict[str, Decimal]:
    fava = fava_core.FavaLedger(str(root / "buku.beancount"))
    assert fava.errors == []
    filtered = fava_core.FilteredLedger(fava, time=time)
    tree = filtered.root_tree_closed if closed else filtered.root_tree
    return {name: _weight(node.balance) for name, node in tree.items() if _weight(node.balance)}


def _folded(balances: dict[str, Decimal], account: str) -> Decimal:
    return sum((v for a, v in balances.items() if chart.report_account(a) == account), ZERO)


def _assert_phu_equals_fava(root: Path, year: int) -> None:
    book = ledger.load(Paths(root))
    phu = statements.phu(book, year)
    fava = _fava_balances(root, str(year), closed=False)
    lines = [r for r in phu.baris if r.akun]
    assert lines
    for row in lines:  # the PHU shows income and costs positive, beancount's signs negated
        assert row.nilai[0] == -_folded(fava, row.akun), row.akun
    results = {
        a: v for a, v in fava.items() if a.split(":")[0] in (statements.INCOME, statements.EXPENSES)
    }
    assert {chart.report_account(a) for a in results} == {r.akun for r in lines if r.nilai[0]}
    assert -sum(results.values(), ZERO) == phu.total["shu"]


def _assert_neraca_equals_fava(root: Path, year: int) -> None:
    book = ledger.load(Paths(root))
    neraca = statements.neraca(book, year)
    sheet_roots = (statements.ASSETS, statements.LIABILITIES, statements.EQUITY)
    fava = {  # the accounts Fava's balance sheet shows
        a: v
        for a, v in _fava_balances(root, str(year), closed=True).items()
        if a.split(":")[0] in sheet_roots
    }
    lines = [r for r in neraca.baris if r.akun]
    shown_by_account: dict[str, Decimal] = {}
    for row in lines:  # a bank loan shows in two lines: due within 12 months and later
        shown_by_account[row.akun] = shown_by_account.get(row.akun, ZERO) + row.nilai[0]
    for account, shown in shown_by_account.items():
        sign = 1 if account.startswith(statements.ASSETS + ":") else -1
        assert shown == sign * _folded(fava, account), account
    # Nothing in Fava that the neraca does not show: the year's SHU sits in SHU belum dibagi,
    # beancount's earnings account is empty.
    shown = {r.akun for r in lines}
    assert {chart.report_account(a) for a in fava} <= shown
    assert fava.get(chart.SHU_TAHUN_BERJALAN, ZERO) == 0
    assert not any("belum ditutup" in r.label for r in neraca.baris)
    assert neraca.total["total_aset"] == sum(
        (v for a, v in fava.items() if a.startswith(statements.ASSETS + ":")), ZERO
    )


# --- the demo, closed 2025 and open 2026 ---


def test_fava_income_statement_2025_equals_laporan_phu(demo_root: Path) -> None:
    assert 2025 in ledger.load(Paths(demo_root)).closed_years()
    _assert_phu_equals_fava(demo_root, 2025)


def test_fava_income_statement_of_the_open_year_equals_laporan_phu(demo_root: Path) -> None:
    _assert_phu_equals_fava(demo_root, 2026)


def test_fava_balance_sheet_31_12_2025_equals_laporan_neraca(demo_root: Path) -> None:
    _assert_neraca_equals_fava(demo_root, 2025)


def test_demo_cli_statements_agree(demo_root: Path) -> None:
    """`laporan phu` and `laporan neraca` as the treasurer runs them show the same SHU."""
    cli = Cli(demo_root)
    phu = ok(cli, "laporan", "phu", "--tahun", "2025")
    neraca = ok(cli, "laporan", "neraca", "--tahun", "2025")
    shu = json.loads(ok(cli, "laporan", "phu", "--tahun", "2025", "-f", "json"))["shu"]
    assert money.fmt_report(Decimal(shu)) in " ".join(phu.split())
    assert "belum ditutup" not in neraca


# --- the main file: Fava's options and the extension ---


def test_init_writes_fava_options_and_the_extension(cli: Cli) -> None:
    main = (cli.root / "buku.beancount").read_text()
    assert 'custom "fava-extension" "kkmp_cli.fava"' in main
    assert 'option "account_current_earnings" "SHU-Tahun-Berjalan"' in main
    fava = fava_core.FavaLedger(str(cli.root / "buku.beancount"))
    assert fava.errors == []
    assert fava.fava_options.locale == "id_ID"
    assert fava.fava_options.default_page == "balance_sheet/"
    assert fava.options["account_previous_earnings"] == "SHU-Tahun-Berjalan"
    assert fava.options["account_current_earnings"] == "SHU-Tahun-Berjalan"
    assert [e.name for e in fava.extensions.extension_details] == ["KkmpFava"]
    assert ok(cli, "periksa")


# --- the extension's pages through Fava's Flask test client ---


@pytest.fixture(scope="module")
def fava_client(demo_build):  # type: ignore[no-untyped-def]
    from fava.application import create_app

    app = create_app([str(demo_build.root / "buku.beancount")], load=True)
    app.testing = True
    with app.test_client() as client:
        yield client


def _page(client, query: str = "") -> str:  # type: ignore[no-untyped-def]
    r = client.get(f"/kdmp-sukamaju/extension/KkmpFava/{query}")
    assert r.status_code == 200, r.status_code
    return html.unescape(r.get_data(as_text=True))


def test_extension_member_register(fava_client, demo_root: Path) -> None:  # type: ignore[no-untyped-def]
    page = _page(fava_client, "?halaman=anggota")
    book = ledger.load(Paths(demo_root))
    rows = members.listing(book, dt.date.today())
    assert "Buku Daftar Anggota" in page and f"{len(rows)} anggota" in page
    first = rows[0]
    assert first.member.nama in page and first.member.nak in page
    total = sum(first.saldo.values(), ZERO)
    from kkmp_cli import money

    assert money.fmt(total) in page
    assert "Buku Daftar Anggota" in _page(fava_client)  # the first page shown


def test_extension_member_card(fava_client, demo_root: Path) -> None:  # type: ignore[no-untyped-def]
    from kkmp_cli import money

    page = _page(fava_client, "?halaman=kartu&nak=A0001")
    st = members.statement(ledger.load(Paths(demo_root)), "A0001")
    assert st.member.nama in page and "Mutasi simpanan" in page
    assert f"Total simpanan: {money.fmt(st.total_simpanan)}" in page


def test_extension_loan_portfolio(fava_client, demo_root: Path) -> None:  # type: ignore[no-untyped-def]
    from kkmp_cli import money
    from kkmp_cli.loans import portfolio as pf

    page = _page(fava_client, "?halaman=pinjaman&per=31-12-2025")
    p = pf.portfolio(ledger.load(Paths(demo_root)), dt.date(2025, 12, 31))
    assert "Portofolio pinjaman" in page and p.pinjaman
    assert f"sisa pokok {money.fmt(p.total_sisa_pokok)}" in page
    assert all(s.loan.id in page for s in p.pinjaman)


def test_extension_shu_sheet(fava_client, demo_root: Path) -> None:  # type: ignore[no-untyped-def]
    from kkmp_cli import money

    page = _page(fava_client, "?halaman=shu&tahun=2025")
    sheet = shu.compute(ledger.load(Paths(demo_root)), 2025)
    assert "Lembar SHU 2025" in page and money.fmt(sheet.shu) in page
    assert money.fmt(sheet.total_anggota) in page
    assert "Lembar SHU 2025" in _page(fava_client, "?halaman=shu")  # the last closed year


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("?halaman=neraca", "Halaman 'neraca' tidak ada"),
        ("?halaman=kartu", "Pilih anggota"),
        ("?halaman=kartu&nak=A9999", "Galat:"),
        ("?halaman=shu&tahun=dua", "Tahun 'dua' tidak dikenal"),
        ("?halaman=shu&tahun=%C2%B2", "tidak dikenal"),  # "²": a digit to str.isdigit (#16)
        ("?halaman=pinjaman&per=31-13-2025", "Galat:"),
    ],
)
def test_extension_bad_input_says_galat(fava_client, query: str, says: str) -> None:  # type: ignore[no-untyped-def]
    page = _page(fava_client, query)
    assert "Galat:" in page and says in page and "Traceback" not in page


def test_the_extension_is_listed_in_fava(fava_client) -> None:  # type: ignore[no-untyped-def]
    r = fava_client.get("/kdmp-sukamaju/extension/Nope/")
    assert r.status_code == 404


# --- the closing: sealed, distributed, carried (a small cooperative) ---


def _small_year(cli: Cli) -> None:
    run(
        cli,
        "anggota|tambah|Ani|--tanggal|02-01-2025",
        "anggota|tambah|Budi|--tanggal|02-01-2025",
        "simpanan|setor|A0001|pokok|100.000|--tanggal|02-01-2025",
        "simpanan|setor|A0002|pokok|100.000|--tanggal|02-01-2025",
        "kas|masuk|hibah|50jt|--tanggal|03-01-2025|--keterangan|Modal awal",
        "kas|masuk|lain|20jt|--tanggal|05-01-2025|--keterangan|Sewa",
        "kas|keluar|listrik|2jt|--tanggal|06-01-2025|--keterangan|Listrik",
    )


def test_closing_keeps_income_and_moves_the_shu_within_equity(cli: Cli) -> None:
    _small_year(cli)
    run(cli, "tutup-buku|2025|--abaikan|penyisihan|--alasan|uji")
    entries, errors = reload(cli.root)
    assert errors == []
    [closing] = [
        e
        for e in entries
        if isinstance(e, data.Transaction) and e.meta.get("jenis") == statements.CLOSING
    ]
    assert closing.date == dt.date(2025, 12, 31)
    assert {p.account: p.units.number for p in closing.postings} == {
        chart.SHU_TAHUN_BERJALAN: Decimal(18_000_000),
        "Ekuitas:SHU-Belum-Dibagi:2025": Decimal(-18_000_000),
    }
    # Income and expenses keep the year: Fava and `laporan phu` read it from them.
    income = sum(
        (
            p.units.number
            for e in entries
            if isinstance(e, data.Transaction)
            for p in e.postings
            if p.account.startswith("Pendapatan:")
        ),
        ZERO,
    )
    assert income == Decimal(-20_000_000)
    _assert_phu_equals_fava(cli.root, 2025)
    _assert_neraca_equals_fava(cli.root, 2025)
    assert "Buku bersih" in ok(cli, "periksa")
    # Sealed: the closed year refuses new entries, and a changed closing is found.
    refused(cli, "kas", "masuk", "lain", "1jt", "--tanggal", "07-01-2025", says="sudah ditutup")
    path = cli.root / "jurnal" / "2025.beancount"
    text = path.read_text()
    path.write_text(text.replace("18000000 IDR", "17000000 IDR").replace(
        "-18000000 IDR", "-17000000 IDR"))  # fmt: skip
    shown = cli("periksa")
    assert shown.exit_code != 0 and "isinya berubah" in " ".join(shown.output.split())
    path.write_text(text)
    assert "Buku bersih" in ok(cli, "periksa")


def test_shu_distribution_and_the_next_year_after_the_closing(cli: Cli) -> None:
    _small_year(cli)
    run(
        cli,
        "tutup-buku|2025|--abaikan|penyisihan|--alasan|uji",
        "kas|masuk|lain|5jt|--tanggal|05-01-2026|--keterangan|Sewa 2026",
        "shu|bagikan|2025|--tanggal|10-03-2026",
    )
    book = ledger.load(Paths(cli.root), fresh=True)
    assert book.balance("Ekuitas:SHU-Belum-Dibagi:2025") == 0  # all of it distributed
    # The balances carried into 2026 are asserted on 1 January, the earnings account among
    # them (it holds the closed SHU against the income beancount keeps).
    entries, errors = reload(cli.root)
    assert errors == []
    carried = {
        e.account: e.amount.number
        for e in entries
        if isinstance(e, data.Balance) and e.date == dt.date(2026, 1, 1)
    }
    assert carried["Ekuitas:SHU-Belum-Dibagi:2025"] == Decimal(-18_000_000)
    assert carried[chart.SHU_TAHUN_BERJALAN] == Decimal(18_000_000)
    # 2026 reads on its own: its income statement only the 2026 rent, in kkmp and in Fava.
    phu_2026 = statements.phu(book, 2026)
    assert phu_2026.total["shu"] == Decimal(5_000_000)
    _assert_phu_equals_fava(cli.root, 2026)
    neraca_2026 = statements.neraca(book, 2026)
    assert any("belum ditutup" in r.label and r.nilai[0] == 5_000_000 for r in neraca_2026.baris)
    ekuitas = statements.ekuitas(book, 2025)
    assert not any(r.akun == chart.SHU_TAHUN_BERJALAN for r in ekuitas.baris)
    assert "Buku bersih" in ok(cli, "periksa")
    # The modal sendiri counts the closed year once and the open year's result.
    assert statements.modal_sendiri(book, dt.date(2026, 12, 31)) == -sum(
        (
            book.balance(a)
            for a in book.opens()
            if a.startswith("Ekuitas:") and a != chart.SHU_TAHUN_BERJALAN
        ),
        ZERO,
    ) + Decimal(5_000_000)


# --- a ledger closed by an older kkmp (income and expenses zeroed on 31 December) ---


def _close_the_old_way(root: Path, year: int) -> None:
    """What kkmp wrote before #14: a closing entry that zeroes each income and expense account
    into SHU belum dibagi, the carried balances and the seal."""
    from kkmp_cli.closing import closing

    paths = Paths(root)
    with writer.session(paths) as session:
        book = session.book
        start, end = statements.year_bounds(year)
        flows = statements.sums(book, start, end)
        target = f"{chart.SHU_BELUM_DIBAGI}:{year}"
        postings, total = [], ZERO
        for account in sorted(flows):
            if account.startswith(("Pendapatan:", "Beban:")) and flows[account]:
                postings.append(ledger.posting(account, -flows[account]))
                total += flows[account]
        postings.append(ledger.posting(target, total))
        opening = data.Open(
            data.new_metadata("<kkmp>", 0, {"kode": f"3401.{year}", "tahun": str(year)}),
            end,
            target,
            [ledger.CURRENCY],
            None,
        )
        meta = {"id": book.next_id("BM", year), "jenis": statements.CLOSING, "tahun": str(year)}
        session.stage([opening, ledger.transaction(end, "Tutup buku lama", postings, meta=meta)])
        session.stage(closing.carried_balances(session.book, year))
        session.stage(closing.seals(session.book, year, {"penyisihan": "uji"}))
        session.flush()


def test_a_ledger_closed_by_an_older_kkmp_still_checks_and_closes_on(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    today_is(monkeypatch, dt.date(2027, 1, 5))  # the day 2026 is closed below
    _small_year(cli)
    _close_the_old_way(cli.root, 2025)
    main = cli.root / "buku.beancount"
    old_main = "".join(
        line for line in main.read_text().splitlines(keepends=True) if "earnings" not in line
        and "fava" not in line
    )  # fmt: skip
    main.write_text(old_main)  # as an older kkmp wrote it
    book = ledger.load(Paths(cli.root), fresh=True)
    assert 2025 in book.closed_years()
    assert "Buku bersih" in ok(cli, "periksa")
    assert main.read_text() == old_main  # periksa writes nothing
    # kkmp's statements read the old closing as before.
    assert statements.phu(book, 2025).total["shu"] == Decimal(18_000_000)
    _assert_neraca_equals_fava(cli.root, 2025)
    assert -book.balance("Ekuitas:SHU-Belum-Dibagi:2025") == Decimal(18_000_000)
    # The SHU is distributed from it, and the next year closes the new way on top of it.
    run(
        cli,
        "shu|bagikan|2025|--tanggal|10-03-2026",
        "kas|masuk|lain|5jt|--tanggal|05-01-2026|--keterangan|Sewa 2026",
    )
    closing_app.close_year(
        Paths(cli.root), 2026, today=dt.date(2027, 1, 5), waived={"penyisihan": "uji"}
    )
    # The first writing command brought the main file up to date: Fava's options and the
    # earnings account are there.
    assert 'option "account_current_earnings" "SHU-Tahun-Berjalan"' in main.read_text()
    assert 'custom "fava-extension" "kkmp_cli.fava"' in main.read_text()
    assert "Buku bersih" in ok(cli, "periksa")
    _assert_phu_equals_fava(cli.root, 2026)
    _assert_neraca_equals_fava(cli.root, 2026)
    book = ledger.load(Paths(cli.root), fresh=True)
    assert -book.balance("Ekuitas:SHU-Belum-Dibagi:2026") == Decimal(5_000_000)


def test_an_expense_account_closes_after_its_year_is_closed(cli: Cli) -> None:
    """Income and expense accounts keep their closed years (beancount's way): `akun tutup`
    and periksa judge them by the current year's figure only."""
    _small_year(cli)
    run(
        cli,
        "akun|tambah|Beban:Kantor:Kebersihan|--kode|5391|--golongan|beban",
        "kas|keluar|Beban:Kantor:Kebersihan|100rb|--tanggal|06-01-2025",
        "tutup-buku|2025|--abaikan|penyisihan|--alasan|uji",
    )
    book = ledger.load(Paths(cli.root), fresh=True)
    assert book.balance("Beban:Kantor:Kebersihan") == Decimal(100_000)  # kept, as in beancount
    run(cli, "akun|tutup|Beban:Kantor:Kebersihan|--tanggal|31-01-2026")
    assert "Buku bersih" in ok(cli, "periksa")
    # An account used in the open year is refused until that year's figure is nil.
    run(
        cli,
        "akun|tambah|Beban:Kantor:Sewa|--kode|5392|--golongan|beban",
        "kas|keluar|Beban:Kantor:Sewa|50rb|--tanggal|06-01-2026",
    )
    refused(
        cli,
        "akun",
        "tutup",
        "Beban:Kantor:Sewa",
        "--tanggal",
        "31-01-2026",
        says="masih bersaldo Rp50.000",
    )


# --- the member's card as of a day (an adversarial review, #14) ---


def test_the_member_card_as_of_a_day_and_the_registers_links_keep_it(cli: Cli) -> None:
    """`?halaman=anggota&per=` lists the balances of that day; each NAK links to the card of the
    same day, and the card shows the balances and the movements up to that day only."""
    run(
        cli,
        "anggota|tambah|Siti Aminah|--tanggal|02-01-2025|--jk|P",
        "simpanan|setor|A0001|pokok|100.000|--tanggal|02-01-2025",
        "simpanan|setor|A0001|wajib|20.000|--tanggal|02-01-2025",
        "simpanan|setor|A0001|wajib|20.000|--tanggal|02-07-2025",
        "simpanan|setor|A0001|sukarela|500.000|--tanggal|02-07-2025",
    )
    book = ledger.load(Paths(cli.root))
    today = dt.date(2026, 1, 15)
    card = extension.page(book, {"halaman": "kartu", "nak": "A0001", "per": "30-06-2025"}, today)
    assert card.galat is None
    assert "Saldo simpanan wajib: Rp20.000" in card.keterangan
    assert "Saldo simpanan sukarela: Rp0" in card.keterangan
    assert "Total simpanan: Rp120.000" in card.keterangan
    assert card.per == "30-06-2025"
    mutations = card.tabel[0]
    assert [row[0] for row in mutations.baris] == ["02-01-2025", "02-01-2025"]
    listed = extension.page(book, {"halaman": "anggota", "per": "30-06-2025"}, today)
    assert listed.tabel[0].baris[0][4:] == ["Rp100.000", "Rp20.000", "Rp0", "Rp120.000"]
    now = extension.page(book, {"halaman": "kartu", "nak": "A0001"}, today)
    assert "Total simpanan: Rp640.000" in now.keterangan and len(now.tabel[0].baris) == 4
    early = extension.page(book, {"halaman": "kartu", "nak": "A0001", "per": "01-01-2025"}, today)
    assert early.galat is not None and "02-01-2025" in early.galat

    from fava.application import create_app

    app = create_app([str(cli.root / "buku.beancount")], load=True)
    app.testing = True
    with app.test_client() as client:
        r = client.get("/kkmp-uji-coba/extension/KkmpFava/?halaman=anggota&per=30-06-2025")
        page = html.unescape(r.get_data(as_text=True))
        assert r.status_code == 200 and "?halaman=kartu&nak=A0001&per=30-06-2025" in page
        r = client.get("/kkmp-uji-coba/extension/KkmpFava/?halaman=kartu&nak=A0001&per=30-06-2025")
        page = html.unescape(r.get_data(as_text=True))
        assert "Total simpanan: Rp120.000" in page and "02-07-2025" not in page
        assert 'name="per" value="30-06-2025"' in page  # choosing another NAK keeps the day
