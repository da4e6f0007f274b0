"""The general journal: cash out (expenses), cash in (other income, grants), transfers, an
accountant's balanced entry, and corrections as linked reversals (never an edit in place)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from beancount.core import data

from kkmp_cli import accounts, chart, dates, money, text
from kkmp_cli.accounts import cash as cash_accounts
from kkmp_cli.core import coop, ledger
from kkmp_cli.core.ledger import Book
from kkmp_cli.errors import JumlahTidakValid, KkmpError, TeksTidakValid
from kkmp_cli.reports import statements
from kkmp_cli.shu import distributions
from kkmp_cli.units import registry

if TYPE_CHECKING:
    from kkmp_cli.loans import portfolio as pf

EXPENSE_ALIASES = {
    "listrik": "Beban:Listrik-Air",
    "air": "Beban:Listrik-Air",
    "telepon": "Beban:Listrik-Air",
    "gaji": "Beban:Gaji",
    "honor": "Beban:Gaji",
    "upah": "Beban:Gaji",
    "atk": "Beban:ATK",
    "sewa": "Beban:Sewa",
    "transportasi": "Beban:Transportasi",
    "transport": "Beban:Transportasi",
    "rapat": "Beban:Rapat",
    "rat": "Beban:Rapat",
    "bank": "Beban:Administrasi-Bank",
    "administrasi-bank": "Beban:Administrasi-Bank",
    "pajak": chart.BEBAN_PAJAK,
    "lain": "Beban:Lain-Lain",
    "lain-lain": "Beban:Lain-Lain",
}
INCOME_ALIASES = {
    "hibah": chart.HIBAH,
    "lain": chart.PENDAPATAN_LAIN,
    "lain-lain": chart.PENDAPATAN_LAIN,
    "pendapatan": chart.PENDAPATAN_LAIN,
}


# Accounts whose sub-ledger a kkmp module keeps (loan portfolio, member cards, stock, SHU):
# `jurnal` may not post to them, or the sub-ledger and the ledger would disagree; a name ending
# in ':' keeps only the sub-accounts.
KEPT_BY_COMMANDS = chart.KEPT_BY_COMMANDS


class KoreksiDitolak(KkmpError):
    """A correction of an unknown or already corrected entry."""


class GajiLewatKas(KkmpError):
    """A wage or honorarium paid with `kas keluar`, which withholds no PPh 21."""


class AkunDikelolaPerintah(TeksTidakValid):
    """An account a kkmp command keeps (`chart.KEPT_BY_COMMANDS`) named in a journal entry."""


def refuse_kept(account: str, where: str) -> None:
    """Refuse `account` in `where` (the general journal, `kas keluar` …) when a command keeps
    it: booked by hand, its sub-ledger would disagree with the ledger, or the command would
    book the same interest again (#11)."""
    command = chart.kept_by(account)
    if command is not None:
        raise AkunDikelolaPerintah(
            f"Akun {account} dikelola oleh perintahnya sendiri ({command}), supaya buku "
            f"pembantunya tetap sama dengan buku besar; {where} tidak boleh memakainya."
        )


def resolve_account(book: Book, name: str, aliases: dict[str, str], roots: tuple[str, ...]) -> str:
    """An alias (listrik, hibah …) or a full open account name under one of `roots`."""
    key = name.strip()
    account = aliases.get(key.lower(), key)
    if not account.startswith(roots):
        choices = ", ".join(sorted(aliases))
        raise TeksTidakValid(
            f"Akun '{name}' tidak dapat dipakai di sini. Pakai salah satu nama ({choices}) "
            f"atau akun lengkap di bawah {' / '.join(r.rstrip(':') for r in roots)}."
        )
    known = account in book.opens() or account in chart.CHART_BY_NAME
    if not known or account in book.closes():
        raise TeksTidakValid(f"Akun {account} tidak ada (atau sudah ditutup) di bagan akun.")
    return account


def _cash(
    book: Book,
    account: str,
    amount: Decimal,
    date: dt.date,
    *,
    into_cash: bool,
    narration: str,
    via: str,
    unit: str | None = None,
    nota: str | None = None,
) -> list[data.Directive]:
    """Cash or bank against one account; `into_cash` is money coming in; `nota`, the number
    of the paper note or receipt it was paid or received with."""
    cash = accounts.via(book, via)
    sign = 1 if into_cash else -1
    doc = cash.doc_in if into_cash else cash.doc_out
    meta: dict[str, Any] = {
        "id": book.next_id(doc, date.year),
        "jenis": "kas-masuk" if into_cash else "kas-keluar",
    }
    opens: list[data.Directive] = []
    if unit is not None:
        account, opens = registry.expense_account(book, account, unit, date)
        meta["unit"] = registry.require(book, unit).kode
    # The debit comes first: cash for money in, the expense for money out.
    postings = [ledger.posting(cash.akun, sign * amount), ledger.posting(account, -sign * amount)]
    if not into_cash:
        postings.reverse()
    # A chart account added by a newer kkmp (e.g. Beban:Pajak) is opened on first use.
    entry = ledger.transaction(date, narration, postings, meta=meta)
    if nota:
        entry = with_nota(entry, text.clean(nota, field="nota", max_len=40))
    return [*coop.missing_chart_opens(book), *opens, entry]


def with_nota(entry: data.Transaction, nota: str) -> data.Transaction:
    """The transaction with the paper note's number in its metadata and in its narration:
    two payments alike on one day with notes of their own are two transactions, also for
    beancount's noduplicates (#16). A deposit's receipt (bukti) already says it."""
    if "bukti" in entry.meta:
        return entry
    entry.meta["nota"] = nota
    if not entry.narration:
        return entry._replace(narration=f"Nota {nota}")
    if nota not in entry.narration:
        return entry._replace(narration=f"{entry.narration} (nota {nota})")
    return entry


def cash_out(
    book: Book,
    akun: str,
    amount: Decimal,
    date: dt.date,
    *,
    keterangan: str | None,
    via: str = "kas",
    unit: str | None = None,
    nota: str | None = None,
) -> list[data.Directive]:
    """An expense paid from kas or bank; with `unit`, booked to that unit's sub-account. Not a
    wage or honorarium: `gaji bayar` withholds its PPh 21 and lists it for the bukti potong
    (adversarial review aset #8)."""
    wages = EXPENSE_ALIASES["gaji"]
    named = EXPENSE_ALIASES.get(akun.strip().lower(), akun.strip())
    if named == wages or named.startswith(wages + ":"):
        raise GajiLewatKas(
            "Gaji, honor dan upah dibayar dengan 'kkmp gaji bayar', yang memotong PPh 21 dan "
            "mencatatnya untuk 'gaji daftar' dan 'laporan pajak'; 'kas keluar' tidak memotong "
            "pajak."
        )
    account = resolve_account(book, akun, EXPENSE_ALIASES, ("Beban:",))
    refuse_kept(account, "'kas keluar'")
    narration = text.clean(keterangan or f"Pembayaran {account.split(':')[-1]}", field="keterangan")
    return _cash(
        book,
        account,
        amount,
        date,
        into_cash=False,
        narration=narration,
        via=via,
        unit=unit,
        nota=nota,
    )


def cash_in(
    book: Book,
    akun: str,
    amount: Decimal,
    date: dt.date,
    *,
    keterangan: str | None,
    via: str = "kas",
    nota: str | None = None,
) -> list[data.Directive]:
    """Other income or a grant received into kas or bank."""
    account = resolve_account(book, akun, INCOME_ALIASES, ("Pendapatan:", "Ekuitas:Hibah"))
    refuse_kept(account, "'kas masuk'")
    narration = text.clean(keterangan or f"Penerimaan {account.split(':')[-1]}", field="keterangan")
    return _cash(
        book, account, amount, date, into_cash=True, narration=narration, via=via, nota=nota
    )


# Money between two cash, bank or e-wallet accounts (a fee, an MDR, as an expense); enough money
# on the day and on every later day: the writer's invariants judge that.
transfer = cash_accounts.transfer


def parse_posting(book: Book, spec: str) -> tuple[str, Decimal]:
    """`AKUN=JUMLAH`; debit positive, credit with a leading minus: Aset:Kas=-250.000."""
    account, sep, amount_text = spec.partition("=")
    if not sep:
        raise TeksTidakValid(
            f"Posting '{spec}' harus berbentuk AKUN=JUMLAH, mis. Beban:ATK=50.000."
        )
    account = account.strip()
    amount_text = amount_text.strip()
    negative = amount_text.startswith("-")
    amount = money.parse(amount_text.lstrip("-"))
    refuse_kept(account, "jurnal umum")
    if account not in book.opens() or account in book.closes():
        raise TeksTidakValid(f"Akun {account} tidak ada (atau sudah ditutup) di bagan akun.")
    return account, -amount if negative else amount


def _to_unit(
    book: Book, postings: list[tuple[str, Decimal]], unit: str, date: dt.date
) -> tuple[list[tuple[str, Decimal]], list[data.Directive]]:
    """The expense postings moved to the unit's sub-accounts, with the Opens they need."""
    moved, opens = [], []
    for account, amount in postings:
        if account.startswith(registry.EXPENSES + ":"):
            account, opened = registry.expense_account(book, account, unit, date)
            opens += [o for o in opened if o not in opens]
        moved.append((account, amount))
    if moved == postings and not any(a.startswith(registry.EXPENSES + ":") for a, _ in postings):
        raise TeksTidakValid("--unit hanya untuk jurnal yang memuat posting beban (Beban:…).")
    return moved, opens


def entry(
    book: Book,
    postings: list[tuple[str, Decimal]],
    date: dt.date,
    *,
    keterangan: str,
    unit: str | None = None,
) -> list[data.Directive]:
    """An accountant's journal entry; it must balance to the rupiah. With `unit`, every
    expense posting goes to that unit's sub-account."""
    if len(postings) < 2:
        raise JumlahTidakValid("Jurnal memerlukan paling sedikit dua posting.")
    total = sum((a for _, a in postings), Decimal(0))
    if total != 0:
        raise JumlahTidakValid(
            f"Jurnal tidak seimbang: debit dan kredit berselisih {money.fmt(abs(total))}."
        )
    opens: list[data.Directive] = []
    meta: dict[str, Any] = {"id": book.next_id("BM", date.year), "jenis": "jurnal-umum"}
    if unit is not None:
        postings, opens = _to_unit(book, postings, unit, date)
        meta["unit"] = registry.require(book, unit).kode
    narration = text.clean(keterangan, field="keterangan")
    return [
        *opens,
        ledger.transaction(date, narration, [ledger.posting(a, n) for a, n in postings], meta=meta),
    ]


# The accrual of time deposits (members.term_deposits.ACCRUAL) and a loan accrual's
# adjustment, spelled here: importing those modules would load them for every command that
# records (tests/test_architecture.py holds them equal). A bank facility's accrual may be
# corrected on its own day (#11: an instalment recorded late, dated before it;
# `facility.require_correctable`).
ACCRUE_TERM_DEPOSITS = "berjangka-akrual"
ACCRUAL_ADJUSTMENT = "pinjaman-akrual-sesuai"  # loans.portfolio.ACCRUAL_ADJUSTMENT (#13)
MEMBER_EXIT = "keluar-anggota"  # members.exits.JENIS: its koreksi takes the exit back (#17)

# Kinds of entry that `koreksi` refuses, and why (one sentence each, for the treasurer).
NOT_CORRECTABLE = {
    statements.CLOSING: (
        "jurnal tutup buku tidak dapat dikoreksi: ia memindahkan hasil tahun yang sudah "
        "ditutup dan disegel ke SHU belum dibagi, dan membuka kembali tahun buku bukan "
        "urusan koreksi"
    ),
    distributions.DISTRIBUTION: (
        "pembagian SHU tidak dapat dikoreksi: bagiannya sudah dikreditkan kepada anggota dan "
        "dana menurut keputusan RAT; perbaiki selisihnya dengan 'kkmp jurnal' atas keputusan "
        "Pengurus"
    ),
    "pinjaman-hapus": (
        "hapus buku pinjaman tidak dapat dikoreksi: pinjaman itu tetap tercatat dihapusbukukan "
        "dan pembayaran berikutnya menjadi pendapatan pemulihan; bila hapus buku keliru, catat "
        "pembayarannya dengan 'kkmp pinjaman angsur'"
    ),
    "pinjaman-akrual": (
        "akrual jasa pinjaman tidak dapat dikoreksi: jasanya dihitung dari syarat pinjaman itu "
        "dan bulan itu sudah diakrualkan; bila ada angsuran yang belum tercatat, catat dengan "
        "tanggal sebenarnya, maka akrualnya disesuaikan otomatis"
    ),
    ACCRUAL_ADJUSTMENT: (
        "penyesuaian akrual jasa pinjaman tidak dapat dikoreksi: ia dihitung dari akrual dan "
        "pembayaran pinjaman itu; bila pembayarannya keliru, koreksi pembayaran itu, maka "
        "penyesuaiannya dihitung ulang otomatis"
    ),
    ACCRUE_TERM_DEPOSITS: (
        "akrual bunga simpanan berjangka tidak dapat dikoreksi: bunganya dihitung dari bilyet "
        "itu dan dibayarkan saat pencairan"
    ),
    "pinjaman-restruktur": (
        "restrukturisasi pinjaman tidak dapat dikoreksi: pinjaman lama sudah ditutup dan "
        "pinjaman baru berjalan dengan jadwalnya sendiri; bila syaratnya keliru, restrukturisasi "
        "lagi pinjaman baru itu"
    ),
}


def find(book: Book, doc: str) -> data.Transaction:
    doc = doc.strip().upper()
    for txn in book.transactions():
        if txn.meta.get("id") == doc:
            return txn
    raise KoreksiDitolak(f"Tidak ada transaksi dengan nomor bukti {doc}.")


def _reversed(p: data.Posting) -> data.Posting:
    units = p.units
    assert units is not None and isinstance(units.number, Decimal)
    cost = None
    if isinstance(p.cost, data.Cost):
        # Name the exact lot (cost, date and label: batch and expiry) so the reversal touches
        # the same lot.
        cost = data.CostSpec(p.cost.number, None, p.cost.currency, p.cost.date, p.cost.label, False)
    # The posting's own metadata goes with it: whose it is (a deposit's accrued interest,
    # `berjangka:`; a loan's share of an exit, `pinjaman:`; the price a lot was sold at), so
    # the sub-ledgers read the reversal as they read the original (adversarial review, #12).
    return data.Posting(
        p.account,
        data.Amount(-units.number, units.currency),
        cost,
        None,
        None,
        ledger.own_meta(p.meta),
    )


def _shown(entries: list[pf.Payment]) -> str:
    return ", ".join(f"{p.doc} ({p.tanggal:%d-%m-%Y})" for p in entries)


def _check_loan(book: Book, original: data.Transaction, date: dt.date) -> None:
    """A loan entry is judged against the loan's whole timeline, whatever the dates."""
    from kkmp_cli.loans import portfolio as pf  # only `koreksi` needs it (#16)

    loan_id = original.meta.get("pinjaman")
    loan = pf.loans(book).get(str(loan_id)) if loan_id else None
    if loan is None:
        return
    pays = pf.payments(book, loan)
    undone = pf.corrected(pays)
    alive = [p for p in pays if p.doc not in undone and not p.koreksi]
    doc = str(original.meta["id"])
    if original.meta.get("jenis") == "pinjaman-cair":
        if alive:
            raise KoreksiDitolak(
                f"Pencairan {doc} ({loan.id}) tidak dapat dikoreksi selama pinjaman itu masih "
                f"punya transaksi: {_shown(alive)}. Koreksi dulu transaksi itu, mulai dari yang "
                "terakhir."
            )
        return
    enders = [
        p for p in alive if p.jenis in ("pinjaman-hapus", "pinjaman-restruktur") and p.doc != doc
    ]
    if enders:
        raise KoreksiDitolak(
            f"{doc} tidak dapat dikoreksi: pinjaman {loan.id} sudah dihapusbukukan atau "
            f"direstrukturisasi ({_shown(enders)}) dengan memperhitungkan transaksi ini."
        )
    ended = [p for p in pf.closing_events(book, loan) if p.doc != doc and p.tanggal > date]
    if ended:
        raise KoreksiDitolak(
            f"Koreksi {doc} bertanggal {date:%d-%m-%Y} jatuh sebelum pinjaman {loan.id} "
            f"selesai ({_shown(ended)}); beri tanggal {ended[-1].tanggal:%d-%m-%Y} atau sesudahnya."
        )


def _qty(value: Decimal) -> str:
    return f"{value.normalize():f}".replace(".", ",")


def _lot_users(book: Book, account: str, cost: data.Cost, code: str) -> list[str]:
    docs = []
    for txn in book.transactions():
        for p in txn.postings:
            if (
                p.account == account
                and p.units is not None
                and p.units.currency == code
                and isinstance(p.units.number, Decimal)
                and p.units.number < 0
                and isinstance(p.cost, data.Cost)
                and (p.cost.number, p.cost.date, p.cost.label)
                == (cost.number, cost.date, cost.label)
            ):
                docs.append(f"{txn.meta.get('id', '?')} ({txn.date:%d-%m-%Y})")
                break
    return docs


def _check_lots(book: Book, original: data.Transaction, date: dt.date) -> None:
    """Goods bought can only be taken back while the lot still holds them all."""
    from kkmp_cli.outlet import trade as outlet  # only `koreksi` needs it (#16)

    doc = str(original.meta["id"])
    for p in original.postings:
        if p.cost is None or p.units is None:
            continue
        code = p.units.currency
        outlet.require_after_count(book, code, date)  # goods move back: not before a count
        if not isinstance(p.cost, data.Cost) or not isinstance(p.units.number, Decimal):
            continue
        if p.units.number <= 0:
            continue
        held = sum(
            (
                pos.units.number
                for pos in book.inventory(p.account)
                if pos.units.currency == code
                and pos.cost is not None
                and (pos.cost.number, pos.cost.date, pos.cost.label)
                == (p.cost.number, p.cost.date, p.cost.label)
            ),
            Decimal(0),
        )
        if held < p.units.number:
            users = _lot_users(book, p.account, p.cost, code)
            by = f" oleh {', '.join(users[:3])}" if users else ""
            raise KoreksiDitolak(
                f"{doc} tidak dapat dikoreksi: dari {_qty(p.units.number)} {code} yang dibeli, "
                f"tinggal {_qty(held)} di persediaan (sudah terjual atau dipakai{by}). Koreksi "
                "dulu transaksi yang memakai barang itu, atau, bila hanya jumlahnya yang salah, "
                "catat selisih stoknya dengan 'kkmp gerai opname'."
            )


def correct(book: Book, doc: str, date: dt.date, *, alasan: str) -> list[data.Directive]:
    """A linked reversal of a posted transaction; the original stays as it was written.

    The reversal carries `jenis: "koreksi"`, `koreksi: <original id>`, `jenis_asal: <original
    jenis>` and the original's links, so every report can pair it with what it undoes."""
    original = find(book, doc)
    doc = str(original.meta["id"])
    for txn in book.transactions():
        if txn.meta.get("koreksi") == doc:
            raise KoreksiDitolak(f"{doc} sudah dikoreksi oleh {txn.meta.get('id')}.")
    if original.meta.get("koreksi"):
        raise KoreksiDitolak(f"{doc} sendiri adalah koreksi; koreksi transaksi aslinya bila perlu.")
    jenis = str(original.meta.get("jenis", ""))
    if jenis in NOT_CORRECTABLE:
        raise KoreksiDitolak(f"{doc}: {NOT_CORRECTABLE[jenis]}.")
    if date < original.date:
        raise KoreksiDitolak(
            "Tanggal koreksi tidak boleh sebelum transaksi yang dikoreksi "
            f"({dates.fmt(original.date)})."
        )
    if jenis == MEMBER_EXIT:
        from kkmp_cli.members import exits  # only `koreksi` of an exit needs it (#17)

        return exits.undo(book, original, date, alasan=alasan)
    closed = sorted({p.account for p in original.postings if p.account in book.closes()})
    if closed:
        raise KoreksiDitolak(
            f"{doc} tidak dapat dikoreksi: akun {', '.join(closed)} sudah ditutup (misalnya "
            "anggotanya sudah keluar), dan jurnal balik tidak boleh menyentuh akun yang ditutup."
        )
    from kkmp_cli.assets import register as fixed_assets  # only `koreksi` needs it (#16)
    from kkmp_cli.financing import facility  # only `koreksi` needs it (#11)
    from kkmp_cli.members import term_deposits  # only `koreksi` needs it (#12)
    from kkmp_cli.outlet import returns  # only `koreksi` needs it (#16)
    from kkmp_cli.tax import checks as tax_checks

    _check_loan(book, original, date)
    fixed_assets.require_correctable(book, original)
    facility.require_correctable(book, original, date)
    term_deposits.require_correctable(book, original)
    tax_checks.require_correctable(book, original)
    returns.require_no_returns(book, original)
    _check_lots(book, original, date)
    # A drawdown's koreksi takes back the interest accrued on it too (#11).
    return [
        *reversal(book, original, date, alasan=alasan),
        *facility.interest_taken_back(book, original, date),
    ]


def reversal(
    book: Book, original: data.Transaction, date: dt.date, *, alasan: str
) -> list[data.Directive]:
    """The linked reversal of `original` dated `date` (checked by the caller), and the loan
    accruals it sets right."""
    from kkmp_cli.tax import checks as tax_checks  # only `koreksi` needs it (#16)

    doc = str(original.meta["id"])
    jenis = str(original.meta.get("jenis", ""))
    alasan = text.clean(alasan, field="alasan")
    postings = tax_checks.reversal_postings(
        book, original, [_reversed(p) for p in original.postings]
    )
    meta: dict[str, Any] = {"id": book.next_id("BM", date.year), "jenis": "koreksi", "koreksi": doc}
    if jenis:
        meta["jenis_asal"] = jenis
    # What the sub-ledgers and reports pair a reversal by (the tax month of a tax entry, #16;
    # the month of a jasa simpanan, #12).
    for key in ("anggota", "pinjaman", "unit", "masa", "lebih-bayar-masa", "bulan"):
        if key in original.meta:
            meta[key] = original.meta[key]
    taxes = (chart.UTANG_PAJAK + ":", chart.LEBIH_BAYAR_PAJAK + ":")
    if "masa" not in meta and any(p.account.startswith(taxes) for p in original.postings):
        # Tax withheld (a jasa's PPh) is owed in the month of its entry: the reversal takes it
        # back there, not as a payment of the month it is dated in (#12).
        meta["masa"] = f"{original.date:%Y-%m}"
    meta["alasan"] = alasan
    narration = f"Koreksi {doc}: {alasan}"
    entry = ledger.transaction(
        date, narration, postings, payee=original.payee, meta=meta, links=original.links
    )
    return [entry, *_accruals_set_right(book, entry)]


def _accruals_set_right(book: Book, entry: data.Transaction) -> list[data.Transaction]:
    """A loan payment taken back before an accrual already booked: the jasa it paid is unpaid
    again, so accrued as that accrual would have (#13)."""
    from kkmp_cli.loans import accrual  # only `koreksi` needs it (#16)
    from kkmp_cli.loans import portfolio as pf

    loans = pf.loans(book)
    return [
        a
        for id_ in sorted(entry.links)
        if id_ in loans
        for a in accrual.adjustments(book, loans[id_], [entry])
    ]
