"""Fixed assets (buku inventaris): acquisition (tambah), monthly straight-line depreciation
(susut), disposal (lepas) and the register (daftar), read back from the ledger.

Depreciation follows the tax rule (UU PPh Pasal 11; PMK 72/2023): straight line over the useful
life in months, from the month of acquisition; each month takes (cost - residual) / life rounded
down to the rupiah, and the last month of the life takes the remainder, so the book value ends
exactly at the residual value. Tanah is not depreciated.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from beancount.core import data

from kkmp_cli import chart, dates, money, text
from kkmp_cli.accounts import cash as cash_accounts
from kkmp_cli.core import coop, ledger
from kkmp_cli.core.config.koperasi import ASSET_KELOMPOK
from kkmp_cli.core.ledger import Book
from kkmp_cli.errors import Finding, JumlahTidakValid, KkmpError, TeksTidakValid
from kkmp_cli.financing import operations as financing
from kkmp_cli.financing.facility import SubLedgers, live
from kkmp_cli.outlet import trade as outlet
from kkmp_cli.units import registry

ZERO = Decimal(0)
OPENING = "saldo-awal"  # `--via` of an asset brought over from older books
ACQUIRE = "aset-tambah"
DEPRECIATE = "aset-susut"
DISPOSE = "aset-lepas"
ASSET_ID_RE = re.compile(r"^AT-(\d{4})-(\d{4,})$")
# kelompok -> account component (chart.ASSET_GROUPS)
COMPONENT = {k: c for k, c in zip(ASSET_KELOMPOK, chart.ASSET_GROUPS, strict=True)}


class AsetTidakDikenal(KkmpError):
    """An unknown asset code."""


class AsetDitolak(KkmpError):
    """An asset entry that breaks the register's rules (price, residual, life, disposal)."""


@dataclass(frozen=True)
class Asset:
    kode: str
    nama: str
    kelompok: str
    tanggal: dt.date
    harga: Decimal
    umur: int  # months; 0 for tanah
    residu: Decimal
    unit: str | None
    sumber: str
    pemberi: str | None
    doc: str
    # An asset brought over from older books (`--via saldo-awal`): the depreciation booked
    # there, and its life (`umur`: the months left) runs from the day after the opening.
    akumulasi_awal: Decimal = ZERO

    @property
    def mulai(self) -> dt.date:
        """The first day of its life in these books (the month of acquisition is month 1)."""
        if self.sumber == OPENING:
            return self.tanggal + dt.timedelta(days=1)
        return self.tanggal

    @property
    def cost_account(self) -> str:
        return f"{chart.ASET_TETAP}:{COMPONENT[self.kelompok]}"

    @property
    def accumulated_account(self) -> str:
        return f"{chart.AKUMULASI_PENYUSUTAN}:{COMPONENT[self.kelompok]}"

    @property
    def depreciable(self) -> Decimal:
        """What is still to be depreciated in these books over `umur` months."""
        return self.harga - self.residu - self.akumulasi_awal if self.umur else ZERO

    def monthly(self, i: int) -> Decimal:
        """Depreciation of the asset's i-th month of life (1-based)."""
        if not self.umur or not 1 <= i <= self.umur:
            return ZERO
        base = money.floor(self.depreciable / self.umur)
        return self.depreciable - base * (self.umur - 1) if i == self.umur else base


def month_index(asset: Asset, date: dt.date) -> int:
    """The asset's month of life that `date` falls in (1 = the month of acquisition)."""
    return (date.year - asset.mulai.year) * 12 + date.month - asset.mulai.month + 1


def assets(book: Book, end: dt.date | None = None) -> dict[str, Asset]:
    """Every asset by code, in order of acquisition (as the ledger stood at the end of `end`,
    when given: a purchase a later koreksi took back was still there)."""

    def build() -> dict[str, Asset]:
        found = {}
        for e in live(book, end):
            m = e.meta
            if m.get("jenis") != ACQUIRE:
                continue
            found[str(m["aset"])] = Asset(
                kode=str(m["aset"]),
                nama=str(m.get("nama", e.narration)),
                kelompok=str(m["kelompok"]),
                tanggal=e.date,
                harga=Decimal(m["harga"]),
                umur=int(Decimal(m.get("umur", 0))),
                residu=Decimal(m.get("residu", 0)),
                unit=m.get("unit"),
                sumber=str(m.get("sumber", "")),
                pemberi=m.get("pemberi"),
                doc=str(m.get("id", "")),
                akumulasi_awal=Decimal(m.get("akumulasi_awal", 0)),
            )
        return found

    return book.memo(("fixed_assets", end), build)  # type: ignore[no-any-return]


def require(book: Book, kode: str) -> Asset:
    found = assets(book).get(kode.strip().upper())
    if found is None:
        raise AsetTidakDikenal(f"Aset '{kode}' tidak ada di buku inventaris ('kkmp aset daftar').")
    return found


def disposals(book: Book, end: dt.date | None = None) -> dict[str, data.Transaction]:
    """Each disposed asset's disposal (as the ledger stood at the end of `end`, when given)."""
    return book.memo(  # type: ignore[no-any-return]
        ("fixed_asset_disposals", end),
        lambda: {str(e.meta["aset"]): e for e in live(book, end) if e.meta.get("jenis") == DISPOSE},
    )


def posted(book: Book, end: dt.date | None = None) -> dict[str, dict[str, Decimal]]:
    """Depreciation booked per asset code and month (`YYYY-MM`), up to `end`."""
    found: dict[str, dict[str, Decimal]] = {}
    for e in live(book, end):
        if e.meta.get("jenis") == DEPRECIATE:
            amount = sum(
                (ledger.number(p) for p in e.postings if _is_depreciation(p.account)), ZERO
            )
            months = found.setdefault(str(e.meta["aset"]), {})
            months[str(e.meta["bulan"])] = months.get(str(e.meta["bulan"]), ZERO) + amount
    return found


def trade_payables(book: Book) -> list[str]:
    """Assets bought on credit that an older kkmp booked to the supplier's trade payable
    (Kewajiban:Utang-Usaha) instead of Kewajiban:Utang-Aset: their payments are classed there
    as operating (the cash flow's notes name them)."""
    return [
        str(e.meta["aset"])
        for e in live(book)
        if e.meta.get("jenis") == ACQUIRE
        and any(p.account.startswith(chart.UTANG_USAHA + ":") for p in e.postings)
    ]


def _check_amounts(kelompok: str, harga: Decimal, umur: int, residu: Decimal) -> None:
    if harga <= 0:
        raise JumlahTidakValid("Harga perolehan aset harus lebih dari nol.")
    if residu < 0:
        raise JumlahTidakValid("Nilai residu tidak boleh negatif.")
    if residu >= harga and kelompok != "tanah":
        raise AsetDitolak(
            f"Nilai residu {money.fmt(residu)} harus lebih kecil dari harga perolehan "
            f"{money.fmt(harga)}."
        )
    if kelompok != "tanah" and umur <= 0:
        raise AsetDitolak(f"Umur manfaat {kelompok} harus paling sedikit 1 bulan.")
    if umur > 1200:
        raise AsetDitolak("Umur manfaat lebih dari 100 tahun tidak masuk akal.")


def next_code(book: Book, year: int) -> str:
    """The next asset code of the year; a code whose purchase a koreksi took back is not
    given again (its entries stay in the journal)."""
    codes = {str(e.meta["aset"]) for e in book.index(SubLedgers).entries if "aset" in e.meta}
    seqs = [int(m[2]) for k in codes if (m := ASSET_ID_RE.match(k)) and int(m[1]) == year]
    return f"AT-{year}-{max(seqs, default=0) + 1:04d}"


def _source(
    book: Book, via: str, pemberi: str | None, date: dt.date
) -> tuple[str, str, list[data.Directive]]:
    """(credit account, document prefix, opens) of how the asset was paid or received."""
    key = via.strip().lower()
    if key == OPENING:
        if date != coop.books_start(book) - dt.timedelta(days=1):
            raise AsetDitolak(
                f"Aset dari pembukuan lama (--via {OPENING}) dicatat pada tanggal saldo awal, "
                f"sehari sebelum buku dimulai: "
                f"{dates.fmt(coop.books_start(book) - dt.timedelta(days=1))}."
            )
        return chart.SALDO_AWAL, "BM", []
    if key not in ("utang", "hibah"):
        # kas, bank, qris or any rekening code; anything else in the resolver's one sentence
        cash = cash_accounts.via(book, via)
        return cash.akun, cash.doc_out, []
    if not pemberi:
        who = "pemasok" if key == "utang" else "pemberi hibah"
        raise TeksTidakValid(f"Aset dengan --via {key} perlu --pemberi NAMA ({who}).")
    if key == "hibah":
        return chart.HIBAH, "BM", []
    # The supplier's payable for a fixed asset, opened as `gerai beli` opens a payable for
    # goods: 'kkmp gerai bayar-pemasok' pays it, an investing outflow by its account's class.
    account = outlet.supplier_account(pemberi, chart.UTANG_ASET)
    opens: list[data.Directive] = []
    if account not in book.opens():
        meta = data.new_metadata("<kkmp>", 0, {"pemasok": pemberi})
        opens.append(data.Open(meta, coop.books_start(book), account, [ledger.CURRENCY], None))
    return account, "BM", opens


def acquire(
    book: Book,
    nama: str,
    kelompok: str,
    harga: Decimal,
    date: dt.date,
    *,
    umur: int | None = None,
    residu: Decimal = ZERO,
    unit: str | None = None,
    via: str = "kas",
    pemberi: str | None = None,
    akumulasi: Decimal = ZERO,
) -> list[data.Directive]:
    """Plan an acquisition: the asset at cost, paid in cash, owed to a supplier or received as
    a grant in kind (Ekuitas:Hibah, at its value) — or an asset the cooperative owned before
    its books in kkmp began (`saldo-awal`): its cost and the depreciation booked so far
    (`akumulasi`) against Ekuitas:Saldo-Awal, dated on the opening day, `umur` the months of
    life left."""
    name = text.clean(nama, field="nama aset", max_len=100)
    group = kelompok.strip().lower()
    if group not in ASSET_KELOMPOK:
        raise TeksTidakValid(
            f"Kelompok '{kelompok}' tidak dikenal; pilih {', '.join(ASSET_KELOMPOK)}."
        )
    life = (
        0
        if group == "tanah"
        else (umur if umur is not None else book.config.aset.umur_bulan[group])
    )
    _check_amounts(group, harga, life, residu)
    opening = via.strip().lower() == OPENING
    if akumulasi and not opening:
        raise AsetDitolak(
            f"--akumulasi hanya untuk aset dari pembukuan lama (--via {OPENING}); aset baru "
            "disusutkan oleh 'kkmp aset susut'."
        )
    if opening and group != "tanah" and umur is None:
        raise AsetDitolak(
            "Aset dari pembukuan lama perlu --umur: sisa umur manfaatnya dalam bulan."
        )
    if akumulasi < 0 or akumulasi > harga - residu:
        raise AsetDitolak(
            f"Akumulasi penyusutan {money.fmt(akumulasi)} harus antara Rp0 dan harga perolehan "
            f"dikurangi residu ({money.fmt(harga - residu)})."
        )
    giver = text.clean(pemberi, field="pemberi", max_len=100) if pemberi else None
    credit, prefix, opens = _source(book, via, giver, date)
    code = next_code(book, date.year)
    meta: dict[str, Any] = {
        "id": book.next_id(prefix, date.year),
        "jenis": ACQUIRE,
        "aset": code,
        "nama": name,
        "kelompok": group,
        "harga": harga,
        "umur": Decimal(life),
        "residu": residu,
        "sumber": via.strip().lower(),
    }
    if giver:
        meta["pemberi"] = giver
    chosen = financing.check_unit(book, unit)
    if chosen:
        meta["unit"] = chosen
    postings = [ledger.posting(f"{chart.ASET_TETAP}:{COMPONENT[group]}", harga)]
    if akumulasi:
        meta["akumulasi_awal"] = akumulasi
        postings.append(
            ledger.posting(f"{chart.AKUMULASI_PENYUSUTAN}:{COMPONENT[group]}", -akumulasi)
        )
    postings.append(ledger.posting(credit, -(harga - akumulasi)))
    narration = f"Perolehan aset {code}: {name}" + (
        " (hibah)" if meta["sumber"] == "hibah" else " (saldo awal)" if opening else ""
    )
    return [
        *coop.missing_chart_opens(book),
        *opens,
        ledger.transaction(date, narration, postings, payee=giver, meta=meta),
    ]


def _month_key(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


def month_of(asset: Asset, i: int) -> tuple[int, int]:
    """(year, month) of the asset's i-th month of life."""
    month0 = asset.mulai.month - 1 + i - 1
    return asset.mulai.year + month0 // 12, month0 % 12 + 1


def _catch_up(closed: set[int], year: int, reversed_on: dt.date | None) -> dt.date:
    """The day a depreciation month of the closed book year `year` is booked: the end of the
    first month of the first open year (the closed year stands as the RAT approved it; the
    month missed there is recognised in the current period), and never before the koreksi
    that took the month back, when one did: at the end of that koreksi's month."""
    first = year
    while first in closed:
        first += 1
    day = dates.month_end(first, 1)
    if reversed_on is not None:
        day = max(day, dates.month_end(reversed_on.year, reversed_on.month))
    return day


def pending(book: Book, through: dt.date) -> list[tuple[Asset, int, dt.date, Decimal]]:
    """(asset, month of life, booking day, amount) of every month up to `through`'s month not
    yet depreciated (never after the asset's disposal month, never beyond its life). A month
    is booked on its last day, the disposal month's share on the disposal day; a month of a
    closed book year on its catch-up day (`_catch_up`), once that day's month is reached."""
    done = posted(book)
    gone = disposals(book)
    closed = book.closed_years()
    taken = _reversed_months(book)
    horizon = dates.month_end(through.year, through.month)
    result = []
    for a in assets(book).values():
        if not a.umur or a.mulai > through:
            continue
        last = min(through, gone[a.kode].date) if a.kode in gone else through
        for i in range(1, min(month_index(a, last), a.umur) + 1):
            year, month = month_of(a, i)
            key = _month_key(year, month)
            if key in done.get(a.kode, {}):
                continue
            end = dates.month_end(year, month)
            if year in closed:
                end = _catch_up(closed, year, taken.get((a.kode, key), (0, None))[1])
                if end > horizon:
                    continue
            if a.kode in gone:
                end = min(end, last)
            result.append((a, i, end, a.monthly(i)))
    return result


def _is_depreciation(account: str) -> bool:
    """The depreciation expense, or a unit's own sub-account of it (Beban:Penyusutan:Klinik)."""
    return account == chart.BEBAN_PENYUSUTAN or account.startswith(chart.BEBAN_PENYUSUTAN + ":")


def _unit_account(
    book: Book, a: Asset, account: str, date: dt.date, opens: dict[str, data.Open]
) -> str:
    """`account`, or for an asset of a unit that unit's own sub-account of it (its Open, when
    new, added to `opens`), so the unit's net result carries the asset's costs and results."""
    if not a.unit:
        return account
    sub, new = registry.asset_account(book, account, a.unit, date)
    for o in new:
        if isinstance(o, data.Open):
            opens.setdefault(o.account, o)
    return sub


def _with_opens(
    opens: dict[str, data.Open], entries: list[data.Transaction]
) -> list[data.Directive]:
    """The Opens, each dated no later than the first entry that uses its account."""
    first = {
        name: min(e.date for e in entries if any(p.account == name for p in e.postings))
        for name in opens
    }
    return [*(o._replace(date=min(o.date, first[name])) for name, o in opens.items()), *entries]


def _depreciation_entries(
    book: Book, rows: list[tuple[Asset, int, dt.date, Decimal]]
) -> list[data.Directive]:
    """The month entries of `rows`; an asset of a unit charges that unit's own sub-account of
    the depreciation expense, opened once when new, so the unit's net result carries it."""
    opens: dict[str, data.Open] = {}
    entries: list[data.Transaction] = []
    taken_back = _reversed_months(book)
    for a, i, end, amount in rows:
        account = _unit_account(book, a, chart.BEBAN_PENYUSUTAN, end, opens)
        again = taken_back.get((a.kode, _month_key(*month_of(a, i))), (0, None))[0]
        entries.append(_depreciation_entry(book, a, i, end, amount, account, again=again))
    return _with_opens(opens, entries)


def _depreciation_entry(
    book: Book,
    a: Asset,
    i: int,
    end: dt.date,
    amount: Decimal,
    account: str = chart.BEBAN_PENYUSUTAN,
    *,
    again: int = 0,
) -> data.Transaction:
    """One month's depreciation, booked on `end`; `again`: how many entries of that month a
    koreksi took back (the month booked again says so, or it would be their twin for
    beancount's noduplicates)."""
    year, month = month_of(a, i)
    meta: dict[str, Any] = {
        "id": book.next_id("BM", end.year),
        "jenis": DEPRECIATE,
        "aset": a.kode,
        "bulan": _month_key(year, month),
    }
    if a.unit:
        meta["unit"] = a.unit
    postings = [
        ledger.posting(account, amount),
        ledger.posting(a.accumulated_account, -amount),
    ]
    narration = f"Penyusutan {a.kode} {a.nama} bulan ke-{i} ({dates.MONTHS[month - 1]} {year})"
    if again:
        narration += text.recorded_again(again)
    elif year != end.year:
        narration += f", susulan tahun buku {year} yang sudah ditutup"
    return ledger.transaction(end, narration, postings, meta=meta)


def _reversed_months(book: Book) -> dict[tuple[str, str], tuple[int, dt.date | None]]:
    """(asset, month) → how many of its depreciation entries a koreksi took back, and the
    day of the latest such koreksi."""
    index = book.index(SubLedgers)
    found: dict[tuple[str, str], tuple[int, dt.date | None]] = {}
    for e in index.entries:
        on = index.reversed.get(str(e.meta.get("id")))
        if e.meta.get("jenis") == DEPRECIATE and on is not None:
            key = (str(e.meta["aset"]), str(e.meta["bulan"]))
            count, latest = found.get(key, (0, None))
            found[key] = (count + 1, on if latest is None else max(latest, on))
    return found


def require_correctable(book: Book, original: data.Transaction) -> None:
    """An asset's entries are taken back from the last: its disposal first, then its months of
    depreciation from the latest, then its purchase (else the register and the ledger part:
    depreciation of an asset no longer there, the sale money kept twice)."""
    jenis = original.meta.get("jenis")
    if jenis not in (ACQUIRE, DEPRECIATE):
        return
    kode = str(original.meta.get("aset"))
    doc = str(original.meta.get("id"))
    gone = disposals(book).get(kode)
    if gone is not None:
        raise AsetDitolak(
            f"{doc} tidak dapat dikoreksi: aset {kode} sudah dilepas ({gone.meta.get('id')}, "
            f"{dates.fmt(gone.date)}); koreksi dulu pelepasannya."
        )
    months = sorted(
        (str(e.meta["bulan"]), str(e.meta.get("id")))
        for e in live(book)
        if e.meta.get("jenis") == DEPRECIATE and str(e.meta.get("aset")) == kode
    )
    if jenis == DEPRECIATE:
        months = [m for m in months if m[0] > str(original.meta.get("bulan"))]
    if months:
        shown = ", ".join(f"{d} ({m})" for m, d in months[-3:])
        raise AsetDitolak(
            f"{doc} tidak dapat dikoreksi selama aset {kode} masih punya penyusutan sesudahnya: "
            f"{shown}. Koreksi dulu penyusutan itu, mulai dari yang terakhir."
        )


def depreciate(book: Book, month: str) -> list[data.Directive]:
    """Plan every month of depreciation not yet booked through `month` (YYYY-MM); a second run
    plans nothing. A month of a closed book year is booked on its catch-up day (`pending`)."""
    through = financing.month_end(month)
    closed = book.closed_years()
    if through.year in closed:
        _refuse_closed_run(book, through, closed)
        return []
    rows = [r for r in pending(book, through) if r[3] > 0]
    if not rows:
        return []
    return [*coop.missing_chart_opens(book), *_depreciation_entries(book, rows)]


def _refuse_closed_run(book: Book, through: dt.date, closed: set[int]) -> None:
    """A run through a month of a closed year books nothing there; when months are missing
    it says where they go."""
    later = dates.month_end(max(closed) + 1, 12)
    missed = [
        r for r in pending(book, later) if r[3] > 0 and month_of(r[0], r[1]) <= (through.year, 12)
    ]
    missed = [r for r in missed if month_of(r[0], r[1])[0] in closed]
    if not missed:
        return
    first = min(r[2] for r in missed)
    raise AsetDitolak(
        f"Tahun buku {through.year} sudah ditutup; penyusutan yang belum dibukukan di tahun yang "
        f"ditutup ({len(missed)} bulan) dibukukan di bulan pertama tahun buku yang terbuka: "
        f"'kkmp aset susut --sampai {first:%Y-%m}'."
    )


def accumulated(book: Book, a: Asset, end: dt.date | None = None) -> Decimal:
    """Its accumulated depreciation: what older books booked, and every month since."""
    return a.akumulasi_awal + sum(posted(book, end).get(a.kode, {}).values(), ZERO)


def _require_disposable(book: Book, a: Asset, date: dt.date, harga: Decimal) -> None:
    if a.kode in disposals(book):
        raise AsetDitolak(
            f"Aset {a.kode} sudah dilepas pada {dates.fmt(disposals(book)[a.kode].date)}."
        )
    if date < a.tanggal:
        raise AsetDitolak(
            f"Tanggal pelepasan sebelum aset {a.kode} diperoleh ({dates.fmt(a.tanggal)})."
        )
    if harga < 0:
        raise JumlahTidakValid("Harga jual aset tidak boleh negatif.")
    months = [
        e for e in live(book) if e.meta.get("jenis") == DEPRECIATE and e.meta.get("aset") == a.kode
    ]
    later = sorted((e for e in months if e.date > date), key=lambda e: (e.date, str(e.meta["id"])))
    if later:
        docs = ", ".join(str(e.meta["id"]) for e in reversed(later[-3:]))
        raise AsetDitolak(
            f"Penyusutan {a.kode} sudah dibukukan sampai {dates.fmt(later[-1].date)}, sesudah "
            f"tanggal pelepasan {dates.fmt(date)}; bila aset itu memang dilepas pada tanggal itu, "
            f"koreksi dulu penyusutannya mulai dari yang terakhir ('kkmp koreksi NOMOR': {docs}), "
            "lalu catat pelepasan pada tanggal sebenarnya."
        )
    taken = _reversed_months(book)
    undone = [on for (kode, _), (_, on) in taken.items() if kode == a.kode and on and on > date]
    if undone:
        raise AsetDitolak(
            f"Penyusutan {a.kode} dikoreksi pada {dates.fmt(max(undone))}, sesudah tanggal "
            f"pelepasan {dates.fmt(date)}; bulan itu dibukukan ulang tidak sebelum koreksinya, "
            "jadi aset dilepas pada tanggal koreksi itu atau sesudahnya."
        )


def dispose(
    book: Book, kode: str, date: dt.date, *, harga: Decimal = ZERO, via: str = "kas"
) -> list[data.Directive]:
    """Plan a disposal (sale, scrapping): the months of depreciation still due through the
    disposal month, then cost and accumulated depreciation out, the proceeds in, and the gain
    or loss against book value (on the unit's own sub-account for an asset of a unit, as its
    depreciation)."""
    a = require(book, kode)
    _require_disposable(book, a, date, harga)
    catch_up = [
        (r[0], r[1], min(r[2], date), r[3])
        for r in pending(book, date)
        if r[0].kode == a.kode and r[3] > 0
    ]
    entries: list[data.Directive] = [
        *coop.missing_chart_opens(book),
        *_depreciation_entries(book, catch_up),
    ]
    acc = accumulated(book, a) + sum((r[3] for r in catch_up), ZERO)
    book_value = a.harga - acc
    gain = harga - book_value
    cash = cash_accounts.via(book, via)
    postings = []
    if acc:
        postings.append(ledger.posting(a.accumulated_account, acc))
    if harga:
        postings.append(ledger.posting(cash.akun, harga))
    postings.append(ledger.posting(a.cost_account, -a.harga))
    opens: dict[str, data.Open] = {}
    if gain:
        result_account = chart.LABA_PELEPASAN_ASET if gain > 0 else chart.RUGI_PELEPASAN_ASET
        postings.append(ledger.posting(_unit_account(book, a, result_account, date, opens), -gain))
    prefix = cash.doc_in if harga else "BM"
    meta: dict[str, Any] = {"id": book.next_id(prefix, date.year), "jenis": DISPOSE, "aset": a.kode}
    if a.unit:
        meta["unit"] = a.unit
    result = "laba" if gain > 0 else "rugi" if gain < 0 else "tanpa laba/rugi"
    narration = f"Pelepasan aset {a.kode} {a.nama}: nilai buku {money.fmt(book_value)}, {result}"
    entries += _with_opens(opens, [ledger.transaction(date, narration, postings, meta=meta)])
    return entries


@dataclass(frozen=True)
class Line:
    """One asset in the register on a date."""

    kode: str
    nama: str
    kelompok: str
    tanggal: dt.date
    harga: Decimal
    umur: int
    residu: Decimal
    akumulasi: Decimal
    nilai_buku: Decimal
    unit: str | None
    sumber: str
    pemberi: str | None
    status: str  # aktif or dilepas


def listing(book: Book, per: dt.date) -> list[Line]:
    """The register as the ledger stood at the end of `per`: a koreksi dated after it has not
    yet taken anything back (#14)."""
    gone = disposals(book, per)
    lines = []
    for a in assets(book, per).values():
        if a.tanggal > per:
            continue
        disposed = a.kode in gone and gone[a.kode].date <= per
        acc = accumulated(book, a, per)
        lines.append(
            Line(
                a.kode, a.nama, a.kelompok, a.tanggal, a.harga, a.umur, a.residu, acc,
                ZERO if disposed else a.harga - acc, a.unit, a.sumber, a.pemberi,
                "dilepas" if disposed else "aktif",
            )
        )  # fmt: skip
    return lines


def _where(entry: data.Directive) -> tuple[str, int]:
    return str(entry.meta.get("filename", "?")), int(entry.meta.get("lineno", 0) or 0)


def findings(book: Book) -> list[Finding]:
    """The register against the ledger (`periksa`): depreciation above cost less residual,
    depreciation after disposal, accumulated depreciation above the cost of its kelompok."""
    found = []
    gone = disposals(book)
    held: dict[str, Decimal] = {}  # per group, the assets not disposed of: cost
    worn: dict[str, Decimal] = {}  # and accumulated depreciation
    for a in assets(book).values():
        acquired = next(
            e for e in live(book) if e.meta.get("aset") == a.kode and e.meta.get("jenis") == ACQUIRE
        )
        total = accumulated(book, a)
        if a.unit and book.config.unit(a.unit) is None:
            found.append(
                Finding(
                    *_where(acquired),
                    f"aset {a.kode} ({a.nama}) milik unit '{a.unit}' yang tidak ada di "
                    "koperasi.yaml; kembalikan baris unit itu",
                )
            )
        if a.kode not in gone:
            group = COMPONENT[a.kelompok]
            held[group] = held.get(group, ZERO) + a.harga
            worn[group] = worn.get(group, ZERO) + total
        if total - a.akumulasi_awal > a.depreciable:
            found.append(
                Finding(
                    *_where(acquired),
                    f"penyusutan {a.kode} {money.fmt(total)} melebihi harga perolehan dikurangi "
                    f"residu ({money.fmt(a.depreciable + a.akumulasi_awal)})",
                )
            )
        if a.kode in gone:
            late = [m for m in posted(book).get(a.kode, {}) if m > f"{gone[a.kode].date:%Y-%m}"]
            if late:
                found.append(
                    Finding(
                        *_where(gone[a.kode]), f"{a.kode} disusutkan sesudah dilepas ({max(late)})"
                    )
                )
    balances = book.balances()
    for component in chart.ASSET_GROUPS:
        cost = balances.get(f"{chart.ASET_TETAP}:{component}", ZERO)
        acc = -balances.get(f"{chart.AKUMULASI_PENYUSUTAN}:{component}", ZERO)
        for what, ledger_amount, register_amount in (
            (f"{chart.ASET_TETAP}:{component}", cost, held.get(component, ZERO)),
            (f"{chart.AKUMULASI_PENYUSUTAN}:{component}", acc, worn.get(component, ZERO)),
        ):
            if ledger_amount != register_amount:
                found.append(
                    Finding(
                        "?",
                        0,
                        f"saldo {what} {money.fmt(ledger_amount)} tidak sama dengan buku aset "
                        f"(aset yang belum dilepas: {money.fmt(register_amount)})",
                    )
                )
        if acc > cost:
            found.append(
                Finding(
                    "?",
                    0,
                    f"akumulasi penyusutan {component} {money.fmt(acc)} melebihi harga perolehan "
                    f"{money.fmt(cost)}",
                )
            )
    return found
