"""The `kkmp` command: global options, the command groups, and the one place errors are shown."""

from __future__ import annotations

import errno
from pathlib import Path
from typing import Annotated, Any

import typer
from typer.core import TyperGroup

from kkmp_cli import __version__, dates
from kkmp_cli.app import build_demo, found_cooperative
from kkmp_cli.cli import (
    akun,
    anggota,
    bahasa,
    gerai,
    jasa,
    kas,
    laporan,
    latihan,
    pinjaman,
    riwayat,
    sampel,
    selisih,
    simpanan,
)
from kkmp_cli.cli import aset as aset_cli
from kkmp_cli.cli import cetak as cetak_cli
from kkmp_cli.cli import ekspor as ekspor_cli
from kkmp_cli.cli import gabung as gabung_cli
from kkmp_cli.cli import gaji as gaji_cli
from kkmp_cli.cli import git as git_cli
from kkmp_cli.cli import kasharian as kas_harian
from kkmp_cli.cli import pajak as pajak_cli
from kkmp_cli.cli import pembiayaan as pembiayaan_cli
from kkmp_cli.cli import pribadi as pribadi_cli
from kkmp_cli.cli import rat as rat_cli
from kkmp_cli.cli import shu as shu_cli
from kkmp_cli.cli.common import (
    Format,
    FormatOpt,
    console,
    emit_json,
    err_console,
    explain_mode,
    state,
)
from kkmp_cli.closing import audit, closing
from kkmp_cli.core import officer
from kkmp_cli.errors import KkmpError

bahasa.install()


class KkmpGroup(TyperGroup):
    """Turns every KkmpError into `Galat: …` on stderr and exit code 1; no traceback."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except KkmpError as exc:
            err_console.print(f"Galat: {exc}", style="bold red", soft_wrap=True)
            raise typer.Exit(exc.exit_code) from exc
        except OSError as exc:
            # An unwritable folder, a full disk: the user's to fix, so a sentence, no traceback.
            err_console.print(f"Galat: {file_error(exc)}", style="bold red", soft_wrap=True)
            raise typer.Exit(1) from exc
        except Exception as exc:
            _raise_translated(exc)
            raise

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, latihan.jelaskan_first(args))
        except Exception as exc:
            _raise_translated(exc)
            raise


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
            err_console.print(line, soft_wrap=True)
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
app.add_typer(anggota.app, name="anggota")
app.add_typer(simpanan.app, name="simpanan")
app.add_typer(pinjaman.app, name="pinjaman")
app.add_typer(gerai.app, name="gerai")
app.add_typer(jasa.app, name="jasa")
app.add_typer(kas.app, name="kas")
app.add_typer(akun.app, name="akun")
app.add_typer(laporan.app, name="laporan")
app.add_typer(shu_cli.app, name="shu")
app.add_typer(latihan.app, name="latihan")
app.add_typer(git_cli.app, name="git")
app.add_typer(pembiayaan_cli.app, name="pembiayaan")
app.add_typer(aset_cli.app, name="aset")
app.add_typer(pajak_cli.app, name="pajak")
app.add_typer(gaji_cli.app, name="gaji")
app.add_typer(pribadi_cli.app, name="pribadi")
app.add_typer(ekspor_cli.app, name="ekspor")
app.command("gabung")(gabung_cli.gabung_cmd)
app.command("tutup-buku")(shu_cli.tutup_buku_cmd)
app.command("rat")(rat_cli.rat_cmd)
app.command("jurnal")(kas.jurnal_cmd)
app.command("koreksi")(kas.koreksi_cmd)
app.command("impor")(kas.impor_cmd)
app.command("saldo-awal")(kas.saldo_awal_cmd)
app.command("selisih")(selisih.selisih_cmd)
app.command("sampel")(sampel.sampel_cmd)
app.command("riwayat")(riwayat.riwayat_cmd)
app.command("cetak")(cetak_cli.cetak_cmd)
pinjaman.app.command("kartu")(cetak_cli.kartu_cmd)
kas.app.command("harian")(kas_harian.harian_cmd)
kas.app.command("opname")(kas_harian.opname_cmd)


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
    state(ctx).koperasi = koperasi
    state(ctx).jelaskan = jelaskan
    explain_mode(state(ctx))
    officer.choose(petugas)


@app.command("init")
def init_cmd(
    folder: Annotated[
        Path,
        typer.Argument(metavar="FOLDER", help="Folder baru untuk koperasi, mis. ledgers/desa-x."),
    ],
    nama: Annotated[str, typer.Option("--nama", help="Nama resmi koperasi.")],
    tahun_buku: Annotated[
        int | None, typer.Option("--tahun-buku", help="Tahun buku pertama (bawaan: tahun ini).")
    ] = None,
) -> None:
    """Buat folder koperasi baru: koperasi.yaml, bagan akun dan jurnal tahun buku."""
    tahun = tahun_buku or dates.parse(None).year
    paths = found_cooperative(folder, nama, tahun)
    console.print(f"Koperasi dibuat di {paths.root}:")
    for name in ("koperasi.yaml", "buku.beancount", "akun.beancount", f"jurnal/{tahun}.beancount"):
        console.print(f"  {paths.root / name}")
    console.print('Langkah berikut: kkmp -k FOLDER anggota tambah "NAMA"')


@app.command("periksa")
def periksa_cmd(ctx: typer.Context, format: FormatOpt = Format.teks) -> None:
    """Pemeriksaan lengkap: galat beancount dan aturan kkmp, sebagai berkas:baris: pesan."""
    findings = audit.check(state(ctx).paths())
    if format is Format.json:
        emit_json({"temuan": findings, "jumlah": len(findings)})
    else:
        for f in findings:
            console.print(str(f), soft_wrap=True)
        for c in closing.reopenings(state(ctx).book()):
            console.print(
                f"Catatan: tahun buku {c.values[0].value} dibuka kembali {dates.fmt(c.date)} "
                f"(alasan: {c.meta.get('alasan', '')}; disetujui {c.meta.get('disetujui', '')}).",
                soft_wrap=True,
            )
        if findings:
            err_console.print(f"{len(findings)} temuan. Buku belum bersih.")
        else:
            console.print("Buku bersih: tidak ada temuan.")
        kas_harian.show_last_counts(state(ctx).book())
    if findings:
        raise typer.Exit(1)


@app.command("demo")
def demo_cmd(
    folder: Annotated[
        Path, typer.Argument(metavar="FOLDER", help="Folder tujuan koperasi contoh.")
    ] = Path("ledgers/contoh"),
    ganti: Annotated[
        bool, typer.Option("--ganti", help="Hapus dan buat ulang bila folder sudah ada.")
    ] = False,
) -> None:
    """Bangun koperasi contoh (±100 anggota, setahun simpanan) lalu tampilkan ringkasannya."""
    from kkmp_cli import demo

    summary = build_demo(folder, replace=ganti)
    console.print(f"{summary.nama} dibuat di {summary.root}")
    for label, value in summary.lines:
        console.print(f"  {label}: {value}")
    console.print(
        "\n"
        + demo.fava_hint(summary.root)
        + "\nCoba:         kkmp -k "
        + str(summary.root)
        + " anggota daftar"
    )


def main() -> None:
    app()
