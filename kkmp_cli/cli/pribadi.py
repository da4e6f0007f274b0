"""`kkmp pribadi`: the encrypted backup of the private member data (NIK, contacts) (#22)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kkmp_cli.app.backup import back_up_private, restore_private
from kkmp_cli.cli.common import console, state

app = typer.Typer(
    help="Data pribadi anggota: cadangan terenkripsi dan pemulihannya.", no_args_is_help=True
)


@app.command("cadangkan")
def cadangkan(
    ctx: typer.Context,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Berkas cadangan, mis. pribadi-2025-03.kkmp.")
    ],
    sandi: Annotated[
        str,
        typer.Option(
            "--sandi",
            envvar="KKMP_SANDI",
            prompt="Kata sandi cadangan",
            hide_input=True,
            confirmation_prompt=True,
            help="Kata sandi (minimal 10 karakter; bawaan: ditanyakan).",
        ),
    ],
) -> None:
    """Simpan folder pribadi/ ke satu berkas terenkripsi dengan kata sandi."""
    names = back_up_private(state(ctx).paths(), output, sandi)
    console.print(f"Cadangan data pribadi ({', '.join(names)}) ditulis ke {output}.")
    console.print(
        "Simpan berkas ini di luar laptop (flashdisk di brankas) dan kata sandinya terpisah; "
        "tanpa kata sandi cadangan tidak dapat dibuka."
    )


@app.command("pulihkan")
def pulihkan(
    ctx: typer.Context,
    berkas: Annotated[Path, typer.Argument(metavar="BERKAS", help="Berkas cadangan.")],
    sandi: Annotated[
        str,
        typer.Option(
            "--sandi",
            envvar="KKMP_SANDI",
            prompt="Kata sandi cadangan",
            hide_input=True,
            help="Kata sandi cadangan (bawaan: ditanyakan).",
        ),
    ],
    ganti: Annotated[
        bool, typer.Option("--ganti", help="Timpa data pribadi yang ada bila berbeda.")
    ] = False,
) -> None:
    """Pulihkan folder pribadi/ dari berkas cadangan terenkripsi."""
    names = restore_private(state(ctx).paths(), berkas, sandi, replace=ganti)
    console.print(f"Data pribadi dipulihkan: {', '.join(names)}.")
