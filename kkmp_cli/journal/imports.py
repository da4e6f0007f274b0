"""Importing CSV/XLSX rows (simpanan, penjualan, pembelian, biaya, angsuran): all or nothing,
every bad row reported with its number, and re-importing the same rows adds nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

from beancount.core import data

from kkmp_cli import dates, money, text
from kkmp_cli.accounts import cash as cash_accounts
from kkmp_cli.core import xlsx
from kkmp_cli.core.ledger import Book
from kkmp_cli.errors import JumlahTidakValid, KkmpError, PenulisanDitolak, TeksTidakValid
from kkmp_cli.journal import journal, marks
from kkmp_cli.loans import operations as loan_ops
from kkmp_cli.members import deposits
from kkmp_cli.members import register as members
from kkmp_cli.outlet import trade as outlet

# jenis -> (required columns, optional columns, example row)
COLUMNS: dict[str, tuple[list[str], list[str], list[Any]]] = {
    "simpanan": (
        ["tanggal", "nak", "jenis", "jumlah"],
        ["via", "bukti", "keterangan"],
        ["02-01-2025", "A0001", "wajib", "10.000", "kas", "", ""],
    ),
    "penjualan": (
        ["tanggal", "barang", "jumlah", "harga"],
        ["nota", "anggota", "kredit", "via"],
        ["05-01-2025", "BERAS-5KG", 2, "65.000", "N-001", "A0001", "", "kas"],
    ),
    "pembelian": (
        ["tanggal", "barang", "jumlah", "harga", "pemasok"],
        ["kredit", "via", "nota"],
        ["03-01-2025", "BERAS-5KG", 10, "60.000", "Toko Grosir Makmur", "", "kas", "F-0912"],
    ),
    "biaya": (
        ["tanggal", "akun", "jumlah", "keterangan"],
        ["via", "unit", "nota"],
        ["31-01-2025", "listrik", "250.000", "Token listrik Januari", "kas", "", "K-017"],
    ),
    "angsuran": (
        ["tanggal", "pinjaman", "jumlah"],
        ["via", "nota"],
        ["01-03-2025", "PJ-2025-0001", "610.000", "kas", "K-018"],
    ),
    # Members in bulk (#22): NIK, telepon and alamat go to the private file, never the journal.
    "anggota": (
        ["tanggal", "nama"],
        ["nak", "jk", "nik", "telepon", "alamat"],
        ["02-01-2025", "Siti Aminah", "", "P", "3201010101010001", "081234567890", "Sukamaju"],
    ),
}
PRIVATE_COLUMNS = ("nik", "telepon", "alamat")
META_KEY = marks.META_KEY


class ImporGagal(KkmpError):
    """One or more rows are wrong; nothing was written."""

    def __init__(self, errors: list[tuple[int, str]]) -> None:
        self.errors = errors
        shown = "\n".join(f"  baris {n or '-'}: {msg}" for n, msg in errors[:50])
        more = f"\n  … dan {len(errors) - 50} baris lagi" if len(errors) > 50 else ""
        super().__init__(f"{len(errors)} baris bermasalah; tidak ada yang dicatat:\n{shown}{more}")


@dataclass
class ImportResult:
    jenis: str
    baris: int
    dicatat: int = 0
    dilewati: int = 0
    transaksi: list[data.Directive] = field(default_factory=list)
    pribadi: dict[str, dict[str, str]] = field(default_factory=dict)  # NAK -> private fields


EXAMPLE_SHEET = "contoh"


def template_sheet(jenis: str) -> tuple[list[str], tuple[str, list[list[Any]]]]:
    """The columns of an import sheet, and the example row for a second sheet (so an untouched
    template imports nothing rather than booking the example)."""
    required, optional, example = _columns(jenis)
    return required + optional, (EXAMPLE_SHEET, [example])


def _columns(jenis: str) -> tuple[list[str], list[str], list[Any]]:
    if jenis not in COLUMNS:
        raise KkmpError(f"Jenis impor '{jenis}' tidak dikenal; pilih {', '.join(COLUMNS)}.")
    return COLUMNS[jenis]


# --- cell conversion (Indonesian formats, spreadsheet types) ---


def _text(value: Any) -> str:
    if value is None:
        return ""
    return str(value).strip()


def _date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dates.parse(_text(value) or "kosong")


def _amount(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise JumlahTidakValid("jumlah bukan angka")
    if isinstance(value, int):
        return money.parse(str(value))
    if isinstance(value, Decimal):  # a fractional number cell (xlsx.read gives no floats)
        raise JumlahTidakValid(f"Jumlah {value} bukan rupiah utuh.")
    return money.parse(_text(value))


def _qty(value: Any) -> Decimal:
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return outlet.check_quantity(Decimal(value))
    return outlet.parse_quantity(_text(value))


_YES = ("ya", "iya", "y", "1", "true", "benar", "kredit")
_NO = ("", "tidak", "t", "n", "0", "false", "salah", "tunai", "bukan")


def _flag(value: Any) -> bool:
    """A yes/no column (kredit): only words read either way; anything else is the row's error,
    not a silent "no" (an `x` in the kredit column booked a credit purchase as paid in cash,
    found by an adversarial review, #23)."""
    word = _text(value).lower()
    if word in _YES:
        return True
    if word in _NO:
        return False
    raise KkmpError(
        f"nilai '{_text(value)}' di kolom kredit tidak dikenal; tulis ya atau tidak "
        "(kosong berarti tidak)"
    )


def _fingerprint(jenis: str, row: dict[str, Any], seen: Counter[str]) -> str:
    """Same values → same fingerprint; the k-th identical row in a file gets its own."""
    canonical = json.dumps(
        [jenis, sorted((k, _text(v)) for k, v in row.items())], ensure_ascii=False
    )
    digest = hashlib.sha256(canonical.encode()).hexdigest()[:16]
    seen[digest] += 1
    return f"{digest}-{seen[digest]}"


Progress = Callable[[int, int], None]


class Stager(Protocol):
    """What an import needs of the writer's session: the books so far, and staging."""

    @property
    def book(self) -> Book: ...

    def stage(self, entries: Sequence[data.Directive]) -> list[data.Directive]: ...


def read(source: Path, jenis: str) -> list[tuple[int, dict[str, Any], str]]:
    """The sheet's rows, numbered and fingerprinted; refuses missing or unknown columns."""
    required, optional, _ = _columns(jenis)
    header, rows = xlsx.read(source)
    missing = [c for c in required if c not in header]
    unknown = [c for c in header if c and c not in required + optional]
    if missing or unknown:
        problems = []
        if missing:
            problems.append(f"kolom wajib tidak ada: {', '.join(missing)}")
        if unknown:
            problems.append(f"kolom tidak dikenal: {', '.join(unknown)}")
        raise ImporGagal(
            [(1, "; ".join(problems) + f" (kolom yang benar: {', '.join(required + optional)})")]
        )
    seen: Counter[str] = Counter()
    return [(n, row, _fingerprint(jenis, row, seen)) for n, row in rows]


def stage_rows(
    stager: Stager,
    jenis: str,
    keyed: list[tuple[int, dict[str, Any], str]],
    progress: Progress | None = None,
) -> ImportResult:
    """Stage every row not imported before, or raise ImporGagal naming every bad row.

    The rows are taken over: `keyed` is emptied, and a sale sheet's rows are dropped once
    planned, so they are not held while the entries are staged (#16)."""
    result = ImportResult(jenis, len(keyed))
    done = stager.book.index(marks.ImportMarks).done
    fresh = [(n, row, fp) for n, row, fp in keyed if fp not in done]
    result.dilewati = len(keyed) - len(fresh)
    keyed.clear()
    if jenis == "penjualan":
        staged = _sales(stager, fresh, progress)
    else:
        staged = _one_by_one(stager, jenis, fresh, progress, result.pribadi)
    result.transaksi = staged
    result.dicatat = sum(
        isinstance(e, data.Transaction)
        or (isinstance(e, data.Custom) and e.type == members.CUSTOM_TYPE)
        for e in staged
    )
    return result


def private_fields(row: dict[str, Any]) -> dict[str, str]:
    """The private columns of a member row, checked (NIK: 16 digits)."""
    fields = {
        key: text.clean(_text(row.get(key)), field=key, max_len=200)
        for key in PRIVATE_COLUMNS
        if _text(row.get(key))
    }
    if "nik" in fields and not (fields["nik"].isdigit() and len(fields["nik"]) == 16):
        raise TeksTidakValid("NIK harus 16 angka.")
    return fields


def _plan_row(book: Book, jenis: str, row: dict[str, Any]) -> list[data.Directive]:
    date = _date(row.get("tanggal"))
    if jenis == "anggota":
        private_fields(row)
        return members.add(
            book,
            _text(row.get("nama")),
            date,
            nak=_text(row.get("nak")) or None,
            jenis_kelamin=_text(row.get("jk")) or None,
        )
    via = _via(row)
    if jenis == "simpanan":
        return deposits.deposit(
            book,
            _text(row.get("nak")),
            _text(row.get("jenis")),
            _amount(row.get("jumlah")),
            date,
            via=via,
            bukti=_text(row.get("bukti")) or None,
            keterangan=_text(row.get("keterangan")) or None,
        )
    if jenis == "pembelian":
        return outlet.purchase(
            book,
            _text(row.get("barang")),
            _qty(row.get("jumlah")),
            _amount(row.get("harga")),
            date,
            pemasok=_text(row.get("pemasok")),
            kredit=_flag(row.get("kredit")),
            via=_paid_via(row),
        )
    if jenis == "biaya":
        return journal.cash_out(
            book,
            _text(row.get("akun")),
            _amount(row.get("jumlah")),
            date,
            keterangan=_text(row.get("keterangan")) or None,
            via=via,
            unit=_text(row.get("unit")) or None,
        )
    return loan_ops.pay(book, _text(row.get("pinjaman")), _amount(row.get("jumlah")), date, via=via)


def _mark(
    entries: list[data.Directive], fingerprint: str, row: dict[str, Any]
) -> list[data.Directive]:
    """Each entry of a row keeps the row's fingerprint and the cashier's note number (#22).
    The note number is also said in the narration: two payments alike on one day with notes
    of their own are two transactions for beancount's noduplicates (#16)."""
    nota = _nota(row)
    marked: list[data.Directive] = []
    for entry in entries:
        if isinstance(entry, data.Transaction):
            entry.meta[META_KEY] = fingerprint
            if nota:
                entry = journal.with_nota(entry, nota)
        elif isinstance(entry, data.Custom) and entry.type == members.CUSTOM_TYPE:
            entry.meta[META_KEY] = fingerprint
        marked.append(entry)
    return marked


def _nota(row: dict[str, Any]) -> str | None:
    nota = _text(row.get("nota"))
    return text.clean(nota, field="nota", max_len=40) if nota else None


def _one_by_one(
    session: Stager,
    jenis: str,
    rows: list[tuple[int, dict[str, Any], str]],
    progress: Progress | None,
    private: dict[str, dict[str, str]] | None = None,
) -> list[data.Directive]:
    """Rows that depend on each other (balances, loans) are checked in order."""
    errors: list[tuple[int, str]] = []
    staged: list[data.Directive] = []
    first_staged: dict[str, int] = {}  # row digest -> first row with those values that staged
    row_of: dict[str, int] = {}  # document number planned -> its row
    ordered = sorted(rows, key=lambda r: _sort_date(r[1]))
    for i, (number, row, fp) in enumerate(ordered, start=1):
        digest = fp.rsplit("-", 1)[0]
        try:
            planned = _mark(_plan_row(session.book, jenis, row), fp, row)
            staged += session.stage(planned)
            first_staged.setdefault(digest, number)
            for entry in planned:
                if isinstance(doc := entry.meta.get("id"), str):
                    row_of.setdefault(doc, number)
            if jenis == "anggota" and private is not None and private_fields(row):
                private[members.nak_of(planned)] = private_fields(row)
        except KkmpError as exc:
            twin = first_staged.get(digest)
            if twin is None and isinstance(exc, PenulisanDitolak) and exc.conflict is not None:
                twin = row_of.get(exc.conflict)
            if twin is not None:
                # Refused only because a row earlier in this file was just planned as the same
                # transaction: say so, rather than "already recorded" about a transaction not
                # yet written (its number then goes to another).
                errors.append((number, _twin(twin, number, same=twin == first_staged.get(digest))))
            else:
                errors.append((number, str(exc)))
        if progress:
            progress(i, len(ordered))
    if errors:
        raise ImporGagal(sorted(errors))
    return staged


def _twin(first: int, number: int, *, same: bool = True) -> str:
    a, b = sorted((first, number))
    if same:
        return (
            f"baris {a} dan {b} sama persis (baris ganda); hapus salah satu, atau bila memang "
            "dua transaksi, bedakan isinya (mis. kolom bukti atau keterangan)."
        )
    return (
        f"baris {a} dan {b} menjadi transaksi yang sama (baris ganda); hapus salah satu, atau "
        "bila memang dua transaksi, beri masing-masing nomor bukti/nota sendiri."
    )


def _via(row: dict[str, Any]) -> str:
    return _paid_via(row) or "kas"


def _paid_via(row: dict[str, Any]) -> str | None:
    """The row's `via` as written (none on credit: `accounts.cash.paid_through`)."""
    return _text(row.get("via")).lower() or None


def _sort_date(row: dict[str, Any]) -> dt.date:
    try:
        return _date(row.get("tanggal"))
    except KkmpError:
        return dt.date.min


def _sales(
    session: Stager, rows: list[tuple[int, dict[str, Any], str]], progress: Progress | None
) -> list[data.Directive]:
    """Sales are planned as one batch: FIFO across the whole file in one booking pass. The
    rows are taken over (`rows` is emptied once they are read into requests)."""
    total = len(rows)
    requests = _sale_requests(session.book, rows)
    try:
        # Planned and handed to the writer in one expression: the writer holds the only
        # reference to the planned entries and lets each go once its text is proven (#16).
        staged = session.stage(_planned_sales(session.book, requests, progress, total))
    except KkmpError as exc:
        raise ImporGagal([(0, str(exc))]) from exc
    if progress:
        progress(total, total)
    return staged


def _planned_sales(
    book: Book, requests: list[outlet.SaleRequest], progress: Progress | None, total: int
) -> list[data.Directive]:
    """The sales planned from `requests`, which are dropped (emptied) once planned."""
    planned = outlet.sell(book, requests)
    requests.clear()
    if progress:
        progress(total // 2, total)
    return planned


def _sale_requests(
    book: Book, rows: list[tuple[int, dict[str, Any], str]]
) -> list[outlet.SaleRequest]:
    """One sale request per nota, in date order; `rows` is emptied. Raises ImporGagal naming
    every bad row."""
    errors: list[tuple[int, str]] = []
    notas: dict[str, list[tuple[int, dict[str, Any], str, outlet.SaleLine, dt.date]]] = {}
    known = outlet.items(book)
    for number, row, fp in rows:
        try:
            date = _date(row.get("tanggal"))
            code = outlet.check_code(_text(row.get("barang")))
            if code not in known:
                raise outlet.BarangTidakDikenal(f"Barang '{code}' belum terdaftar.")
            outlet.require_after_count(book, code, date)
            harga = row.get("harga")
            line = outlet.SaleLine(
                code, _qty(row.get("jumlah")), _amount(harga) if _text(harga) else None
            )
            nak = _text(row.get("anggota")).upper()
            if nak:
                members.require_active(book, nak, date)
            # Said for its row (a nota's payment is only reckoned for the whole file).
            cash_accounts.paid_through(book, _paid_via(row), kredit=_flag(row.get("kredit")))
        except KkmpError as exc:
            errors.append((number, str(exc)))
            continue
        key = _text(row.get("nota")) or f"baris-{number}"
        notas.setdefault(key, []).append((number, row, fp, line, date))
    rows.clear()
    if errors:
        raise ImporGagal(errors)
    requests = []
    for key, group in notas.items():
        first = group[0][1]
        dates_in = {g[4] for g in group}
        if len(dates_in) > 1:
            errors.append((group[0][0], f"nota {key} memuat lebih dari satu tanggal"))
            continue
        buyers = {
            (_text(g[1].get("anggota")).upper(), _flag(g[1].get("kredit")), _via(g[1]))
            for g in group
        }
        if len(buyers) > 1:
            # One nota is one sale to one buyer (found by trying, #16: the other rows' member,
            # credit and payment were dropped without a word).
            rows_in = ", ".join(str(g[0]) for g in group)
            errors.append(
                (
                    group[0][0],
                    f"nota {key} (baris {rows_in}) memuat pembeli, kredit atau cara bayar yang "
                    "berbeda; satu nota untuk satu pembeli: samakan kolom anggota, kredit dan "
                    "via di setiap barisnya, atau beri nomor nota sendiri",
                )
            )
            continue
        fingerprint = "+".join(g[2] for g in group)
        requests.append(
            outlet.SaleRequest(
                group[0][4],
                tuple(g[3] for g in group),
                _text(first.get("anggota")).upper() or None,
                _flag(first.get("kredit")),
                _paid_via(first),
                extra_meta=((META_KEY, fingerprint),)
                + ((("nota", nota),) if (nota := _nota(first)) else ()),
            )
        )
    del notas
    if errors:
        raise ImporGagal(errors)
    requests.sort(key=lambda r: r.tanggal)
    return requests
