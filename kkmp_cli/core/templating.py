"""Jinja2 templates (the only importer of jinja2): a cooperative's own folder first, then ours."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

REPO_TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


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


# Characters Markdown (CommonMark and GFM tables) reads as syntax anywhere in a line.
_MD_SYNTAX = re.compile(r"([\\`*_\[\]{}#|!~$])")
_MD_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
_MD_BREAK = re.compile(r"\s*[\r\n]+\s*")
_MD_RULE = re.compile(r"^(\s*)([-=+])", re.M)


def md(value: Any, block: bool = False) -> str:
    """A value as literal Markdown text: `|` cannot split a table cell, `<script>` stays text,
    `#`/`*`/`[` are not syntax. Inline (the default) a newline becomes a space, so a name cannot
    start a heading; `block=True` keeps the lines of a paragraph (a preface, a report)."""
    text = "" if value is None else str(value)
    text = _MD_ENTITY.sub("&amp;", text).replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SYNTAX.sub(r"\\\1", text)
    if not block:
        return _MD_BREAK.sub(" ", text).strip()
    # A line starting with -, = or + would be a list item or turn the line above into a heading.
    return _MD_RULE.sub(r"\1\\\2", text.replace("\r\n", "\n").replace("\r", "\n"))


def css_string(value: Any) -> Markup:
    """A value inside a CSS string (`content: "…"` in the page footer): HTML entities mean
    nothing there, so escape for CSS instead — quotes, backslashes, newlines and `<` (which
    could close the <style> element) become CSS escapes."""
    out = []
    for ch in "" if value is None else str(value):
        if ch in "\"\\<>&'" or ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\{ord(ch):X} ")
        else:
            out.append(ch)
    return Markup("".join(out))


def render(name: str, context: dict[str, Any], coop_root: Path | None = None) -> str:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(d) for d in template_dirs(coop_root)]),
        autoescape=_autoescape,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["md"] = md
    env.filters["css_string"] = css_string
    return env.get_template(name).render(**context)
