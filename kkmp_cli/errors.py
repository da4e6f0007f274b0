"""Failures a user can cause, each carrying one Indonesian sentence, and ledger findings."""

from __future__ import annotations

from dataclasses import dataclass


class KkmpError(Exception):
    """A failure the user can cause and fix; the CLI prints it as `Galat: …` and exits 1."""

    exit_code = 1


class Pemberitahuan(UserWarning):
    """Something the treasurer must be told that stops nothing (an interrupted write dropped):
    warned below the CLI, which prints it once on stderr as `Perhatian: …`."""


class TahunBukuBaru(Pemberitahuan):
    """A book year started by this command: its journal file is new (#22, never silently)."""


class JumlahTidakValid(KkmpError):
    """A malformed, zero, negative or ambiguous amount."""


class TanggalTidakValid(KkmpError):
    """A malformed or impossible date."""


class TeksTidakValid(KkmpError):
    """A name or description that cannot be stored safely."""


class PilihanKasTidakDikenal(TeksTidakValid):
    """A kas/bank choice (`--via`) that names neither."""


class KoperasiTidakDitemukan(KkmpError):
    """No cooperative folder could be found or chosen."""


class KonfigurasiSalah(KkmpError):
    """koperasi.yaml cannot be read or holds a wrong value."""


class AnggotaTidakDikenal(KkmpError):
    """An unknown member number."""


class AnggotaSudahAda(KkmpError):
    """A member number that is already taken."""


class AnggotaTidakAktif(KkmpError):
    """The member has left the cooperative or had not joined yet on that date."""


class SaldoTidakCukup(KkmpError):
    """A withdrawal larger than the balance."""


class SimpananTidakBolehDitarik(KkmpError):
    """Simpanan pokok and wajib are not withdrawable while a member."""


class SimpananPokokSudahLunas(KkmpError):
    """A second (or excessive) simpanan pokok."""


class MasihBerutang(KkmpError):
    """A member who still owes the cooperative cannot leave without netting."""


class PeriodeDitutup(KkmpError):
    """A write dated in a closed book year."""


class BukuBermasalah(KkmpError):
    """The ledger already has errors; nothing is written to it."""


class PenulisanDitolak(KkmpError):
    """The planned entries failed validation against the ledger; nothing was written.
    `conflict`: the document number of the recorded entry a refused twin repeats (an import
    names the row it came from when that entry is one of its own, not yet written)."""

    def __init__(self, message: str, *, conflict: str | None = None) -> None:
        super().__init__(message)
        self.conflict = conflict


class FolderSudahAda(KkmpError):
    """`init` refuses to overwrite an existing cooperative."""


@dataclass(frozen=True)
class Finding:
    """One problem found in a ledger, printable as `file:line: message`."""

    filename: str
    lineno: int
    message: str

    def __str__(self) -> str:
        return f"{self.filename}:{self.lineno}: {self.message}"


class RevisiTidakAda(KkmpError):
    """A git revision (commit, tag, HEAD~1 …) that the repository does not have."""


class BukanRepoGit(KkmpError):
    """The cooperative's folder is not inside a git repository: a usage error (exit 2)."""

    exit_code = 2


class SampelTerlaluBesar(KkmpError):
    """A sample asked larger than the transactions it is drawn from."""


class PetugasTidakDiketahui(KkmpError):
    """`petugas_wajib: true` and no officer named by --petugas, KKMP_PETUGAS or git."""
