"""Jinja2 templates (the only importer of jinja2): a cooperative's own folder first, then ours."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

import jinja2

REPO_TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def template_dirs(coop_root: Path | None = None) -> list[Path]:
    """Where templates are looked up, first match wins: the cooperative's `templates/` folder,
    the cooperative's folder itself, then kkmp's own templates."""
    dirs = []
    if coop_root is not None:
        dirs += [coop_root / "templates", coop_root]
    if REPO_TEMPLATES.is_dir():
        dirs.append(REPO_TEMPLATES)
    else:  # installed: the templates ship as the package kkmp_templates
        dirs.append(Path(str(resources.files("kkmp_templates"))).resolve())
    return dirs


def _autoescape(name: str | None) -> bool:
    return bool(name) and str(name).endswith((".html.j2", ".html"))


def render(name: str, context: dict[str, Any], coop_root: Path | None = None) -> str:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs(coop_root)]),
        autoescape=_autoescape,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template(name).render(**context)
