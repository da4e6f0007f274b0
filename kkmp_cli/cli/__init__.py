"""The `kkmp` command: global options, the command groups, and the one place errors and
notices are shown."""

from __future__ import annotations

import errno
import importlib
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated, Any

import typer
from typer._click.utils import make_default_short_help
from typer.core import TyperGroup

from kkmp_cli import __version__
from kkmp_cli.cli import bahasa, quickparams
from kkmp_cli.errors import KkmpError, Pemberitahuan

# Every command, in the order `kkmp --help` lists them: the module under kkmp_cli/cli and the
# Typer group (`app`) or function it is, and the first sentence of its help, which is all
# `kkmp --help` shows. A command's module is imported only when that command runs (#16), so
# start-up does not pay for beancount, jinja2 or openpyxl. Adding a command is one line here
# (tests/test_startup.py checks each line against the command's own help).
COMMANDS: dict[str, tuple[str, str]] = {
    "tutup-buku": (
        "shu:tutup_buku_cmd",
        "Tutup buku: SHU tahun berjalan ke SHU belum dibagi, saldo dibawa ke tahun berikut, tahun disegel.",
    ),
    "rat": (
        "rat:rat_cmd",
        "Buku RAT siap cetak dari buku besar dan rat.yaml; 'kkmp rat periksa TAHUN' memeriksa kelengkapannya; 'undangan', 'hadir' dan 'berita-acara' TAHUN membuat surat undangan, daftar hadir dan rancangan berita acara RAT (kuorum menurut koperasi.yaml rapat_anggota).",
    ),
    "jurnal": ("kas:jurnal_cmd", "Jurnal umum untuk akuntan: posting harus seimbang."),
    "koreksi": (
        "kas:koreksi_cmd",
        "Koreksi dengan jurnal balik yang tertaut; transaksi asli tidak diubah.",
    ),
    "impor": (
        "kas:impor_cmd",
        "Impor baris dari CSV/XLSX: semua atau tidak sama sekali; baris yang sama tidak dobel.",
    ),
    "saldo-awal": (
        "kas:saldo_awal_cmd",
        "Catat saldo awal dari pembukuan lama; neraca awal harus seimbang.",
    ),
    "selisih": (
        "selisih:selisih_cmd",
        "Selisih buku antara dua revisi git: transaksi per nomor dokumen, saldo, anggota, pinjaman, koperasi.yaml dan segel tahun buku.",
    ),
    "sampel": (
        "sampel:sampel_cmd",
        "Sampel acak transaksi setahun (berlapis per jenis) untuk pemeriksaan bukti, sebagai kertas kerja XLSX, CSV atau MD (-o BERKAS).",
    ),
    "riwayat": (
        "riwayat:riwayat_cmd",
        "Riwayat satu dokumen: kapan dan oleh siapa dicatat, commit git yang membawanya, serta koreksi dan dokumen yang tertaut.",
    ),
    "cetak": (
        "cetak:cetak_cmd",
        "Cetak kuitansi / bukti kas masuk-keluar sebuah transaksi, dengan jumlah terbilang.",
    ),
    "init": (
        "root:init_cmd",
        "Buat folder koperasi baru: koperasi.yaml, bagan akun dan jurnal tahun buku.",
    ),
    "periksa": (
        "root:periksa_cmd",
        "Pemeriksaan lengkap: galat beancount dan aturan kkmp, sebagai berkas:baris: pesan.",
    ),
    "demo": (
        "root:demo_cmd",
        "Bangun koperasi contoh (±100 anggota, setahun simpanan) lalu tampilkan ringkasannya.",
    ),
    "anggota": (
        "anggota:app",
        "Buku Daftar Anggota: tambah, daftar, cari, lihat, buku, keluar, batal-keluar.",
    ),
    "simpanan": (
        "simpanan:app",
        "Simpanan pokok, wajib, sukarela dan berjangka; jasa simpanan.",
    ),
    "pinjaman": (
        "pinjaman:app",
        "Unit simpan pinjam: simulasi, pencairan, angsuran, pelunasan, portofolio.",
    ),
    "gerai": (
        "gerai:app",
        "Gerai (unit usaha): barang, pembelian, penjualan, retur, stok, kedaluwarsa.",
    ),
    "jasa": (
        "jasa:app",
        "Unit jasa (klinik, cold storage, logistik …): pendapatan jasa dan piutangnya.",
    ),
    "kas": (
        "kas:app",
        "Kas: pengeluaran, penerimaan, rekening, pemindahan, rekonsiliasi bank, saldo.",
    ),
    "akun": ("akun:app", "Bagan akun koperasi: daftar, tambah dan tutup akun sendiri."),
    "laporan": ("laporan:app", "Laporan keuangan, masing-masing dengan tahun lalu di sampingnya."),
    "shu": ("shu:app", "Sisa hasil usaha: hitung, bagikan, bayar."),
    "latihan": (
        "latihan:app",
        "Latihan pelatihan bendahara: cerita, kunci jawaban, dan pemeriksaan buku latihan.",
    ),
    "git": (
        "git:app",
        "Buku koperasi di git: pasang pemeriksaan sebelum commit, simpan perubahan.",
    ),
    "pembiayaan": (
        "pembiayaan:app",
        "Pembiayaan bank koperasi (PMK 49/2025): fasilitas, pencairan, jadwal, angsuran, akrual.",
    ),
    "aset": ("aset:app", "Aset tetap (buku inventaris): perolehan, penyusutan, pelepasan, daftar."),
    "pribadi": ("pribadi:app", "Data pribadi anggota: cadangan terenkripsi dan pemulihannya."),
    "pajak": (
        "pajak:app",
        "Pajak: PPh final 0,5 % per bulan (PP 55/2022) dan setoran utang pajak.",
    ),
    "gaji": (
        "gaji:app",
        "Gaji, upah dan honor: PPh 21 (TER bulanan, TER harian, Desember tarif Pasal 17), BPJS, "
        "daftar setahun.",
    ),
    "ekspor": ("ekspor:app", "Ekspor data koperasi untuk SIMKOPDES dan untuk Dinas (Parquet)."),
    "gabung": (
        "gabung:gabung_cmd",
        "Angka utama beberapa koperasi berdampingan beserta jumlahnya (tampilan kecamatan).",
    ),
}
# Commands added to a group from another module: "group command" -> module:function.
SUBCOMMANDS: dict[str, str] = {
    "pinjaman kartu": "cetak:kartu_cmd",
    "kas harian": "kasharian:harian_cmd",
    "kas opname": "kasharian:opname_cmd",
}


def load_command(name: str) -> Any:
    """The click command `name` from COMMANDS, built as `app.add_typer`/`app.command` would."""
    module_name, attr = COMMANDS[name][0].split(":")
    target = getattr(importlib.import_module(f"kkmp_cli.cli.{module_name}"), attr)
    holder = typer.Typer(rich_markup_mode=None, add_completion=False)
    if isinstance(target, typer.Typer):
        for path, where in SUBCOMMANDS.items():
            group, sub = path.split(" ", 1)
            if group == name and not any(c.name == sub for c in target.registered_commands):
                module_name, attr = where.split(":")
                module = importlib.import_module(f"kkmp_cli.cli.{module_name}")
                target.command(sub)(getattr(module, attr))
        holder.add_typer(target, name=name)
    else:
        holder.command(name)(target)
    return typer.main.get_group(holder).commands[name]


class _Commands(dict[str, Any]):
    """The root group's commands: each built on first lookup; listing the names builds none."""

    def _load(self, name: object) -> None:
        if isinstance(name, str) and name in COMMANDS and not dict.__contains__(self, name):
            dict.__setitem__(self, name, load_command(name))

    def __getitem__(self, name: str) -> Any:
        self._load(name)
        return dict.__getitem__(self, name)

    def get(self, name: str, default: Any = None) -> Any:  # type: ignore[override]
        self._load(name)
        return dict.get(self, name, default)

    def __contains__(self, name: object) -> bool:
        return name in COMMANDS or dict.__contains__(self, name)

    def names(self) -> list[str]:
        return [*COMMANDS, *(n for n in dict.keys(self) if n not in COMMANDS)]

    def _all(self) -> None:
        for name in COMMANDS:
            self._load(name)

    def __iter__(self) -> Any:
        return iter(self.names())

    def __len__(self) -> int:
        return len(self.names())

    def keys(self) -> Any:  # type: ignore[override]
        self._all()
        return {n: None for n in self.names()}.keys()

    def items(self) -> Any:  # type: ignore[override]
        self._all()
        return [(n, dict.__getitem__(self, n)) for n in self.names()]

    def values(self) -> Any:  # type: ignore[override]
        return [c for _, c in self.items()]


bahasa.install()
quickparams.install()


class KkmpGroup(TyperGroup):
    """Turns every KkmpError into `Galat: …` on stderr and exit code 1; no traceback. Its
    commands are loaded when called (COMMANDS)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.commands = _Commands(self.commands)

    def list_commands(self, ctx: Any) -> list[str]:
        commands = self.commands
        return commands.names() if isinstance(commands, _Commands) else list(commands)

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        """The command list of `kkmp --help`, from COMMANDS (no command module imported)."""
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(len(n) for n in names)
        rows = []
        for name in names:
            if name in COMMANDS and not dict.__contains__(self.commands, name):
                short = make_default_short_help(COMMANDS[name][1], limit)
            else:
                cmd = self.commands[name]
                if cmd.hidden:
                    continue
                short = cmd.get_short_help_str(limit)
            rows.append((name, short))
        with formatter.section(bahasa.gettext("Commands")):
            formatter.write_dl(rows)

    def invoke(self, ctx: Any) -> Any:
        try:
            with _telling():
                return super().invoke(ctx)
        except KkmpError as exc:
            _err().print(f"Galat: {exc}", style="bold red", soft_wrap=True)
            raise typer.Exit(exc.exit_code) from exc
        except OSError as exc:
            # An unwritable folder, a full disk: the user's to fix, so a sentence, no traceback.
            _err().print(f"Galat: {file_error(exc)}", style="bold red", soft_wrap=True)
            raise typer.Exit(1) from exc
        except Exception as exc:
            _raise_translated(exc)
            raise

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, jelaskan_first(args))
        except Exception as exc:
            _raise_translated(exc)
            raise


@contextmanager
def _telling() -> Iterator[None]:
    """What the layers below must say without stopping the command (a `Pemberitahuan`
    warning: an interrupted write dropped) is printed on stderr as `Perhatian: …` when it is
    said; any other warning is shown as Python shows it."""
    with warnings.catch_warnings():
        warnings.simplefilter("always", Pemberitahuan)
        python_shows = warnings.showwarning

        def show(message: Any, category: type[Warning], *args: Any, **kwargs: Any) -> None:
            if issubclass(category, Pemberitahuan):
                _err().print(f"Perhatian: {message}", style="yellow", soft_wrap=True)
            else:
                python_shows(message, category, *args, **kwargs)

        warnings.showwarning = show  # put back by catch_warnings
        yield


def jelaskan_first(args: list[str]) -> list[str]:
    """`--jelaskan` may be written after any command (`kkmp simpanan setor … --jelaskan`): it
    is the root's option, so it is moved to the front (before a `--`, never after) (#20)."""
    end = args.index("--") if "--" in args else len(args)
    if "--jelaskan" not in args[:end]:
        return args
    head = [a for a in args[:end] if a != "--jelaskan"]
    return ["--jelaskan", *head, *args[end:]]


def _err() -> Any:
    """The error console (rich is imported only when something is to be said)."""
    from kkmp_cli.cli.common import err_console

    return err_console


def file_error(exc: OSError) -> str:
    """One Indonesian sentence for a failed file operation."""
    name = exc.filename or "sebuah berkas"
    if isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM):
        return (
            f"Tidak ada izin untuk membuka atau menulis '{name}'; tidak ada yang ditulis. "
            "Periksa hak akses berkas dan folder koperasi (mis. ls -l), atau jalankan sebagai "
            "pengguna pemiliknya."
        )
    if exc.errno == errno.ENOSPC:
        return f"Ruang disk habis saat menulis '{name}'; kosongkan disk lalu ulangi perintahnya."
    if exc.errno == errno.EROFS:
        return (
            f"'{name}' berada di disk yang hanya bisa dibaca; salin folder koperasi ke disk lain."
        )
    code = errno.errorcode.get(exc.errno or 0, "?")
    return f"Berkas '{name}' tidak dapat dibaca atau ditulis ({code}); tidak ada yang ditulis."


def _raise_translated(exc: Exception) -> None:
    """Usage errors (exit 2) are shown in Indonesian; anything else passes through."""
    if bahasa.is_usage_error(exc):
        for line in bahasa.usage_error_lines(exc):
            _err().print(line, soft_wrap=True)
        raise typer.Exit(2) from exc


app = typer.Typer(
    cls=KkmpGroup,
    name="kkmp",
    help="Pembukuan koperasi (KKMP/KDMP) di atas buku besar Beancount.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_show_locals=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kkmp {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    koperasi: Annotated[
        str | None,
        typer.Option(
            "--koperasi",
            "-k",
            envvar="KKMP_KOPERASI",
            help="Folder koperasi (bawaan: folder ini, atau satu-satunya koperasi di ledgers/).",
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Tampilkan versi.")
    ] = False,
    petugas: Annotated[
        str | None,
        typer.Option(
            "--petugas",
            help="Nama petugas yang mencatat (bawaan: KKMP_PETUGAS, lalu git config user.name).",
        ),
    ] = None,
    jelaskan: Annotated[
        bool,
        typer.Option(
            "--jelaskan",
            envvar="KKMP_JELASKAN",
            help="Untuk belajar: jelaskan debit/kredit tiap baris jurnal yang dicatat "
            "(boleh ditulis di belakang perintah mana pun).",
        ),
    ] = False,
) -> None:
    """Pembukuan koperasi (KKMP/KDMP) di atas buku besar Beancount."""
    from kkmp_cli.cli.common import explain_mode, state
    from kkmp_cli.core import officer

    state(ctx).koperasi = koperasi
    state(ctx).jelaskan = jelaskan
    explain_mode(state(ctx))
    officer.choose(petugas)


def main() -> None:
    app()
