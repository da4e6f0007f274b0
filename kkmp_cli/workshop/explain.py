"""Explain mode for learners (`--jelaskan`, #20): below a recorded journal, one or two plain
Indonesian sentences per line on why it is a debit or a credit and what it does to the neraca.

Nothing here is written per command: each sentence is made from the account's golongan (the
chart's balance-sheet / income-statement group, `chart.GOLONGAN_ROOT`, read through
`accounts.info`) and the side of the posting, so every writing command gets it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from beancount.core import data

from kkmp_cli import chart, money
from kkmp_cli.reports import explain as journal_lines

# Contra accounts: under Aset, but they grow on the credit side and lower the assets' value.
CONTRA = (chart.AKUMULASI_PENYUSUTAN, chart.PENYISIHAN_PINJAMAN)

# golongan -> (what it is in plain words, grows on the debit side)
GOLONGAN_WORDS = {
    "aset-lancar": ("aset lancar (harta yang cepat menjadi uang)", True),
    "aset-tetap": ("aset tetap (harta yang dipakai bertahun-tahun)", True),
    "aset-lain": ("aset lain", True),
    "kewajiban-pendek": ("kewajiban jangka pendek (utang yang dibayar dalam setahun)", False),
    "kewajiban-panjang": ("kewajiban jangka panjang (utang lebih dari setahun)", False),
    "ekuitas": ("ekuitas (modal sendiri koperasi)", False),
    "pendapatan": ("pendapatan", False),
    "pendapatan-lain": ("pendapatan lain", False),
    "beban": ("beban (biaya)", True),
    "beban-lain": ("beban lain", True),
}
_ROOT_GOLONGAN = {"Aset": "aset-lancar", "Kewajiban": "kewajiban-pendek", "Ekuitas": "ekuitas"}
_ROOT_GOLONGAN |= {"Pendapatan": "pendapatan", "Beban": "beban"}

# Said instead of the lines when a command records no debit and credit (an account, a member,
# an item, a balance assertion, a reopening): --jelaskan is never silent.
NO_JOURNAL = (
    "Perintah ini tidak mencatat jurnal debit/kredit; yang dicatat hanya keterangan (akun, "
    "anggota, barang, saldo yang ditegaskan atau peristiwa), tanpa uang atau barang yang "
    "berpindah, jadi neraca tidak berubah."
)


def _is_contra(account: str) -> bool:
    return any(account == c or account.startswith(c + ":") for c in CONTRA)


def debit_normal(account: str, golongan: str | None = None) -> bool:
    """Whether the account grows on the debit side: aset and beban do (but not the contra
    accounts of aset: accumulated depreciation and the loan loss allowance); kewajiban,
    ekuitas and pendapatan grow on the credit side."""
    if _is_contra(account):
        return False
    if golongan not in GOLONGAN_WORDS:
        golongan = _ROOT_GOLONGAN.get(account.split(":", 1)[0], "aset-lancar")
    return GOLONGAN_WORDS[golongan][1]


@dataclass(frozen=True)
class Explanation:
    sisi: str  # "Debit" or "Kredit"
    akun: str
    jumlah: Decimal
    kalimat: str  # one or two sentences


def _neraca(golongan: str, account: str, grows: bool, amount: str) -> str:
    """What the line does to the neraca (the balance sheet)."""
    up = "naik" if grows else "turun"
    down = "turun" if grows else "naik"
    if _is_contra(account):
        return f"Akun ini mengurangi nilai aset, jadi di neraca jumlah aset {down} {amount}."
    root = chart.GOLONGAN_ROOT.get(golongan, account.split(":", 1)[0])
    if root == "Aset":
        return f"Di neraca, jumlah aset {up} {amount}."
    if root == "Kewajiban":
        return f"Di neraca, jumlah kewajiban {up} {amount}."
    if root == "Ekuitas":
        return f"Di neraca, ekuitas (modal sendiri) {up} {amount}."
    if root == "Pendapatan":
        return (
            f"Tidak tampak langsung di neraca: pendapatan menambah SHU tahun berjalan, "
            f"jadi ekuitas {up} {amount}."
        )
    return (
        f"Tidak tampak langsung di neraca: beban mengurangi SHU tahun berjalan, "
        f"jadi ekuitas {down} {amount}."
    )


def explain_line(sisi: str, info: chart.Info, amount: Decimal) -> str:
    """Why one journal line is on its side, and what it does to the neraca."""
    golongan = info.golongan if info.golongan in GOLONGAN_WORDS else "aset-lancar"
    words, _ = GOLONGAN_WORDS[golongan]
    grows_on_debit = debit_normal(info.akun, golongan)
    if _is_contra(info.akun):
        words = "pengurang aset (akumulasi atau penyisihan)"
    debit = sisi == "Debit"
    grows = debit == grows_on_debit
    normal = "debit" if grows_on_debit else "kredit"
    other = "kredit" if grows_on_debit else "debit"
    if info.akun == chart.SHU_TAHUN_BERJALAN:
        return _earnings(sisi, grows, money.fmt(amount))
    label = info.label
    if len(label) > 1 and not label[:2].isupper():
        label = label[0].lower() + label[1:]  # "kas", but "HPP", mid-sentence
    if grows:
        why = f"{sisi} karena {label} bertambah: akun ini {words}, yang bertambah di sisi {normal}."
    else:
        why = (
            f"{sisi} karena {label} berkurang: akun ini {words}, yang bertambah di sisi "
            f"{normal}, jadi berkurangnya dicatat di sisi {other}."
        )
    return f"{why} {_neraca(golongan, info.akun, grows, money.fmt(amount))}"


def _earnings(sisi: str, grows: bool, amount: str) -> str:
    """The earnings account (beancount's `account_current_earnings`): what it holds is the
    year's income less expenses, which stay on their own accounts; tutup-buku moves it into SHU belum dibagi."""
    moved = "bertambah" if grows else "berkurang (dipindahkan)"
    return (
        f"{sisi} karena SHU tahun berjalan {moved}: akun ini menampung SHU tahun buku, yaitu "
        "pendapatan dikurangi beban. Akun pendapatan dan beban sendiri tidak dinolkan: saldonya "
        "tetap tercatat, jadi PHU tahun itu dan neraca saldo per 31 Desember tetap "
        f"menampilkannya. Di neraca, SHU tahun berjalan {'naik' if grows else 'turun'} {amount}."
    )


def explain(entry: data.Transaction, describe: Callable[[str], chart.Info]) -> list[Explanation]:
    """One explanation per journal line (debits first), `describe` telling what an account
    is (`accounts.info` bound to the Book)."""
    return [
        Explanation(
            line.sisi,
            line.akun,
            line.jumlah,
            explain_line(line.sisi, describe(line.akun), line.jumlah),
        )
        for line in journal_lines.lines(entry)
    ]


def balance_sentence(items: list[Explanation]) -> str:
    """The closing sentence: debits equal credits, so the neraca stays in balance."""
    debit = sum((e.jumlah for e in items if e.sisi == "Debit"), Decimal(0))
    credit = sum((e.jumlah for e in items if e.sisi == "Kredit"), Decimal(0))
    if debit == credit:
        return (
            f"Jumlah debit {money.fmt(debit)} sama dengan jumlah kredit {money.fmt(credit)}: "
            "aset tetap sama dengan kewajiban ditambah ekuitas, neraca tetap seimbang."
        )
    return (
        f"Jumlah debit {money.fmt(debit)} dan kredit {money.fmt(credit)} berbeda karena "
        "sebagian baris dicatat dalam satuan barang pada harga pokoknya."
    )
