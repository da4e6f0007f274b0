"""The units usaha of koperasi.yaml and their accounts: which unit (and which side, member or
non-member) an income or expense account belongs to, and the per-unit expense sub-accounts that
`--unit` opens, so the PHU can give each unit its own result (#10)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from beancount.core import data

from kkmp_cli import chart
from kkmp_cli.core import coop
from kkmp_cli.core.config import Unit
from kkmp_cli.core.ledger import CURRENCY, Book
from kkmp_cli.errors import Finding, KkmpError, TeksTidakValid

INCOME, EXPENSES = chart.ROOTS["name_income"], chart.ROOTS["name_expenses"]
ANGGOTA, NON_ANGGOTA = "anggota", "non-anggota"
JENIS_LABEL = {
    "barang": "barang (gerai)",
    "jasa": "jasa",
    "simpan-pinjam": "simpan pinjam",
    "kantor": "kantor",
}
# The loan revenue, the penalty kept from a time deposit cashed early (whose interest is the
# unit's cost, #12) and the allowance expense make the simpan-pinjam unit's result.
USP_INCOME = (
    chart.JASA_PINJAMAN,
    chart.ADMIN_PINJAMAN,
    chart.DENDA_PINJAMAN,
    chart.PEMULIHAN_PINJAMAN,
    chart.PENALTI_BERJANGKA,
)


class UnitTidakDikenal(KkmpError):
    """A unit not in koperasi.yaml, or not of the kind the command needs."""


@dataclass(frozen=True)
class Role:
    """What an income or expense account is to a unit: its revenue (from members or not),
    its cost of goods (hpp), or one of its direct costs (beban)."""

    unit: str
    peran: str  # pendapatan, hpp or beban
    pihak: str | None = None  # anggota / non-anggota, for revenue and HPP


def _known(book: Book) -> str:
    return ", ".join(u.kode for u in book.config.units)


def require(book: Book, kode: str, jenis: str | None = None) -> Unit:
    """The unit named `kode`, refused when koperasi.yaml has none (or one of another kind)."""
    key = kode.strip().lower()
    unit = book.config.unit(key)
    if unit is None:
        raise UnitTidakDikenal(f"Unit '{kode}' tidak ada di koperasi.yaml (unit: {_known(book)}).")
    if jenis is not None and unit.jenis != jenis:
        raise UnitTidakDikenal(
            f"Unit {unit.kode} berjenis {JENIS_LABEL[unit.jenis]}, bukan {JENIS_LABEL[jenis]}; "
            f"unit berjenis {JENIS_LABEL[jenis]}: "
            f"{', '.join(u.kode for u in book.config.units_of(jenis)) or 'tidak ada'}."
        )
    return unit


def jasa_revenue(unit: str) -> dict[str, str]:
    """A jasa unit's revenue accounts by side: Pendapatan:Klinik:Anggota / :Non-Anggota."""
    c = chart.component(unit)
    return {ANGGOTA: f"{INCOME}:{c}:Anggota", NON_ANGGOTA: f"{INCOME}:{c}:Non-Anggota"}


def jasa_index(book: Book, unit: str) -> int:
    """The unit's place among the jasa units (1-based): gives its account codes."""
    return next(i for i, u in enumerate(book.config.units_of("jasa"), 1) if u.kode == unit)


def _builtin(book: Book) -> dict[str, Role]:
    roles: dict[str, Role] = {}
    for i, u in enumerate(book.config.barang_units, start=1):
        ua = chart.unit_accounts(u.kode, i)
        roles[ua.penjualan_anggota] = Role(u.kode, "pendapatan", ANGGOTA)
        roles[ua.penjualan_non_anggota] = Role(u.kode, "pendapatan", NON_ANGGOTA)
        roles[ua.hpp_anggota] = Role(u.kode, "hpp", ANGGOTA)
        roles[ua.hpp_non_anggota] = Role(u.kode, "hpp", NON_ANGGOTA)
        roles[ua.selisih] = Role(u.kode, "hpp")
    for u in book.config.units_of("jasa"):
        for pihak, account in jasa_revenue(u.kode).items():
            roles[account] = Role(u.kode, "pendapatan", pihak)
    usp = book.config.units_of("simpan-pinjam")
    if usp:
        for account in USP_INCOME:
            roles[account] = Role(usp[0].kode, "pendapatan", ANGGOTA)
        roles[chart.BEBAN_PENYISIHAN] = Role(usp[0].kode, "beban")
        roles[chart.BEBAN_JASA_SIMPANAN] = Role(usp[0].kode, "beban")
    return roles


def roles(book: Book) -> dict[str, Role]:
    """Every income and expense account that belongs to a unit of koperasi.yaml: the gerai
    and jasa accounts by their names, the loan accounts to the simpan-pinjam unit, and any
    account opened with `unit:` metadata (by `--unit`, or added to the chart for a unit).
    Accounts of no unit (or of a kantor unit) are the general ones."""

    def build() -> dict[str, Role]:
        found = _builtin(book)
        for account, opened in book.opens().items():
            kode = opened.meta.get("unit")
            if account in found or not isinstance(kode, str) or book.config.unit(kode) is None:
                continue
            if account.startswith(INCOME + ":"):
                pihak = opened.meta.get("pihak")
                found[account] = Role(kode, "pendapatan", pihak if isinstance(pihak, str) else None)
            elif account.startswith(EXPENSES + ":"):
                found[account] = Role(kode, "beban")
        return found

    return book.memo(("unit-roles",), build)  # type: ignore[no-any-return]


def member_revenue(book: Book) -> set[str]:
    """Revenue accounts of business with members (gerai sales, jasa): the SHU's jasa usaha
    base for purchases and services."""
    return {
        a
        for a, r in roles(book).items()
        if r.peran == "pendapatan" and r.pihak == ANGGOTA and a not in USP_INCOME
    }


def open_account(
    book: Book, account: str, date: dt.date, meta: dict[str, Any]
) -> list[data.Directive]:
    """The Open of an account kkmp makes on first use (none when it is open already)."""
    if account in book.opens():
        return []
    start = coop.books_start(book)
    return [
        data.Open(data.new_metadata("<kkmp>", 0, meta), min(start, date), account, [CURRENCY], None)
    ]


def _chart_meta(book: Book, account: str) -> tuple[str, str, str]:
    """(kode, keterangan, golongan) of an open or built-in account."""
    known = chart.CHART_BY_NAME.get(account)
    if known is not None:
        return known.kode, known.description, known.golongan
    meta = book.opens()[account].meta
    return (
        str(meta.get("kode", "")),
        str(meta.get("keterangan", account)),
        str(meta.get("golongan", "beban")),
    )


def expense_account(
    book: Book, account: str, kode: str, date: dt.date
) -> tuple[str, list[data.Directive]]:
    """The unit's own sub-account of an expense account (Beban:Gaji -> Beban:Gaji:Klinik,
    opened on demand with `unit:` metadata so Fava and the PHU show the split), with its
    Open when it is new. An account that already belongs to a unit must name that unit."""
    unit = require(book, kode)
    if not account.startswith(EXPENSES + ":"):
        raise TeksTidakValid(f"--unit hanya untuk akun beban, bukan {account}.")
    owner = roles(book).get(account)
    if owner is not None:
        if owner.unit != unit.kode:
            raise TeksTidakValid(
                f"Akun {account} milik unit {owner.unit}; tidak dapat dibebankan ke unit "
                f"{unit.kode}."
            )
        return account, []
    return _unit_sub(book, account, unit.kode, unit.nama, date, "operasi")


def _unit_sub(
    book: Book, account: str, kode: str, nama: str, date: dt.date, arus_kas: str
) -> tuple[str, list[data.Directive]]:
    """The unit's sub-account of `account` with `unit:` metadata, and its Open when new."""
    sub = f"{account}:{chart.component(kode)}"
    if sub in book.closes():
        raise TeksTidakValid(f"Akun {sub} sudah ditutup.")
    parent_kode, label, golongan = _chart_meta(book, account)
    meta: dict[str, Any] = {
        "kode": f"{parent_kode}.{kode}" if parent_kode else kode,
        "keterangan": f"{label} - unit {nama}",
        "golongan": golongan,
        chart.ARUS_KAS_KEY: arus_kas,
        "unit": kode,
    }
    return sub, open_account(book, sub, date, meta)


def asset_account(
    book: Book, account: str, kode: str, date: dt.date
) -> tuple[str, list[data.Directive]]:
    """The sub-account of a unit's fixed asset for its depreciation and for the gain or loss
    on its disposal (Beban:Penyusutan:Logistik, Pendapatan:Laba-Pelepasan-Aset:Klinik), with
    its Open when new; its cash-flow class is the parent's. A unit no longer in koperasi.yaml
    keeps its asset's sub-account (the asset's entries are not stopped, nor those of every
    other asset booked with them): `periksa` names the unit (`findings`) until its line is
    back, for until then the PHU counts its accounts as general ones (#11)."""
    unit = book.config.unit(kode)
    if unit is not None:
        return _unit_sub(book, account, unit.kode, unit.nama, date, _arus_kas(book, account))
    return _unit_sub(book, account, kode, kode, date, _arus_kas(book, account))


def _arus_kas(book: Book, account: str) -> str:
    known = chart.CHART_BY_NAME.get(account)
    if known is not None:
        return known.arus_kas
    return str(book.opens()[account].meta.get(chart.ARUS_KAS_KEY, "operasi"))


def findings(book: Book) -> list[Finding]:
    """Accounts opened for a unit that koperasi.yaml no longer lists (`periksa`): the PHU
    counts them as general ones, so the unit's result is lost until its line is back."""
    gone: dict[str, list[data.Open]] = {}
    for opened in book.opens().values():
        kode = opened.meta.get("unit")
        if isinstance(kode, str) and book.config.unit(kode) is None:
            gone.setdefault(kode, []).append(opened)
    return [
        Finding(
            str(opens[0].meta.get("filename", "?")),
            int(opens[0].meta.get("lineno", 0) or 0),
            f"unit '{kode}' tidak ada di koperasi.yaml (unit: {_known(book)}), tetapi akunnya "
            f"masih di buku: {', '.join(sorted(o.account for o in opens))}; kembalikan baris "
            f"unit itu di koperasi.yaml (unit yang berhenti tetap didaftar, karena hasil "
            "usahanya ada di buku)",
        )
        for kode, opens in sorted(gone.items())
    ]
