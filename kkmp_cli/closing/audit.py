"""`periksa`: beancount's own errors plus kkmp's invariants, as `file:line: message` findings."""

from __future__ import annotations

from collections import Counter

from beancount.core import data

from kkmp_cli import chart
from kkmp_cli.accounts import accounts
from kkmp_cli.assets import register as fixed_assets
from kkmp_cli.closing import closing
from kkmp_cli.closing import invariants as timeline
from kkmp_cli.core import ledger, printer
from kkmp_cli.core.ledger import Book, Paths
from kkmp_cli.counter import safedates
from kkmp_cli.errors import Finding
from kkmp_cli.financing import facility as financing
from kkmp_cli.financing import operations as financing_operations
from kkmp_cli.journal import journal
from kkmp_cli.loans import checks as loan_checks
from kkmp_cli.members import exits, interest, term_deposits
from kkmp_cli.members import register as members
from kkmp_cli.outlet import checks as outlet_checks
from kkmp_cli.shu import shu
from kkmp_cli.tax import checks as tax_checks
from kkmp_cli.units import registry


def check(paths: Paths) -> list[Finding]:
    """Reload the ledger from its text (no cache) and report every finding."""
    return inspect(paths)[1]


def inspect(paths: Paths) -> tuple[Book, list[Finding]]:
    """Reload the ledger from its text (no cache): the Book parsed, and every finding."""
    # The files' format first (as an interrupted commit leaves them once finished): its
    # copies of the text are freed before the parse, whose entries the other checks hold
    # (#16: periksa's peak memory is the parse's).
    ledger.recover_pending(paths)
    layout = formatting(paths)
    book = ledger.load(paths, fresh=True)
    findings = book.findings()
    findings += ledger.cache_findings(paths, book)
    findings += layout
    findings += ledger.unincluded_files(paths, book)
    findings += invariants(book)
    findings += timeline.findings(book)
    findings += loan_checks.findings(book)
    findings += shu.findings(book)
    findings += outlet_checks.findings(book)
    findings += reversed_for_good(book)
    findings += closing.seal_findings(book)
    findings += accounts.findings(book)
    findings += fixed_assets.findings(book) + registry.findings(book)
    findings += financing.findings(book) + financing_operations.findings(book)
    findings += tax_checks.findings(book)
    findings += term_deposits.findings(book) + interest.findings(book)
    findings += exits.findings(book)
    findings += safedates.findings(book)
    return book, sorted(set(findings), key=lambda f: (f.filename, f.lineno, f.message))


def formatting(paths: Paths) -> list[Finding]:
    """Files must stay exactly as kkmp writes them, so a git diff shows only real changes."""
    found = []
    files = [
        paths.main,
        paths.chart,
        *sorted((paths.root / ledger.JOURNAL_DIR).glob("*.beancount")),
    ]
    for path in files:
        if not path.exists():
            continue
        text = path.read_text(encoding="utf-8")
        canon = printer.canonical(text)
        if canon != text:
            a, b = text.split("\n"), canon.split("\n")
            line = next((i + 1 for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), 1)
            found.append(
                Finding(
                    str(path.resolve()),
                    line,
                    f"format tidak baku (jalankan bean-format -c {ledger.CURRENCY_COLUMN})",
                )
            )
    return found


def _where(entry: data.Directive) -> tuple[str, int]:
    return str(entry.meta.get("filename", "?")), int(entry.meta.get("lineno", 0) or 0)


def invariants(book: Book) -> list[Finding]:
    found: list[Finding] = []
    register = members.register(book)
    ids = Counter(
        e.meta.get("id") for e in book.transactions() if isinstance(e.meta.get("id"), str)
    )
    for entry in book.transactions():
        doc = entry.meta.get("id")
        if not isinstance(doc, str):
            found.append(Finding(*_where(entry), "transaksi tanpa nomor bukti (id)"))
        elif ids[doc] > 1:
            found.append(Finding(*_where(entry), f"nomor bukti {doc} dipakai lebih dari sekali"))
        for posting in entry.postings:
            account = posting.account
            if account in chart.MEMBER_SUBLEDGERS:
                found.append(
                    Finding(*_where(entry), f"{account} harus dicatat per anggota (sub-akun NAK)")
                )
                continue
            parts = chart.split_member_account(account)
            if not parts or posting.units is None or posting.units.number is None:
                continue
            parent, nak = parts
            member = register.get(nak)
            if member is None:
                found.append(Finding(*_where(entry), f"{account}: anggota {nak} tidak terdaftar"))
                continue
            amount = posting.units.number
            # Pokok and wajib leave only when the member leaves; a koreksi reverses a deposit
            # (and cannot take the balance below zero: invariants checks every day).
            allowed = entry.meta.get("jenis") in ("keluar-anggota", "koreksi")
            if parent in (chart.POKOK, chart.WAJIB) and amount > 0 and not allowed:
                found.append(
                    Finding(
                        *_where(entry),
                        f"{account}: simpanan pokok/wajib ditarik dari anggota aktif {nak}",
                    )
                )
    return found


def reversed_for_good(book: Book) -> list[Finding]:
    """Entries that no koreksi may reverse (closing, SHU distribution, write-off,
    restructuring), reversed all the same (by an older kkmp or by hand)."""
    jenis = {t.meta["id"]: t.meta.get("jenis") for t in book.transactions() if "id" in t.meta}
    found = []
    for entry in book.transactions():
        original = entry.meta.get("koreksi")
        if isinstance(original, str) and jenis.get(original) in journal.NOT_CORRECTABLE:
            found.append(
                Finding(
                    *_where(entry),
                    f"{original} ({jenis[original]}) tidak boleh dikoreksi, tetapi dibalik oleh "
                    f"{entry.meta.get('id')}",
                )
            )
    return found
