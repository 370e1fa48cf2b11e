"""The book's sources: what the book is built from, copied into the staging folder and back.

The sources (``_toc.yml``, the pages it lists, their folders, the bibliography) are copied into
the staging folder and built from there, so nothing else in the checkout (caches, test output,
data) can end up in the site.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

__all__ = ["book_sources", "copy_sources", "restore_sources"]

# Never copied into the staging source tree.
_JUNK = shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo", ".ipynb_checkpoints", ".pytest_cache",
                               ".hypothesis", ".jupyter_cache", "_build", ".DS_Store", "*.swp",
                               "*~")


def _toc_files(node) -> list[str]:
    """Every ``file:`` (and ``root:``) entry of a ``_toc.yml`` tree, in order."""
    found: list[str] = []
    if isinstance(node, dict):
        for key in ("root", "file"):
            if isinstance(node.get(key), str):
                found.append(node[key])
        for value in node.values():
            if isinstance(value, (list, dict)):
                found.extend(_toc_files(value))
    elif isinstance(node, list):
        for item in node:
            found.extend(_toc_files(item))
    return found


def _resolve_page(root: Path, name: str) -> Path | None:
    for suffix in ("", ".md", ".ipynb", ".rst"):
        candidate = root / f"{name}{suffix}"
        if candidate.is_file():
            return candidate
    return None


def book_sources(root: Path, config: dict | None = None) -> list[Path]:
    """What the book is built from, relative to ``root`` (``_config.yml`` excluded: generated).

    ``_toc.yml``; each page of the table of contents at the top level; each folder holding a page
    (whole, for its images and includes); the bibliography files; ``logo``/``favicon``; and the
    ``_static``/``_templates`` folders and the catalogs (``locale/``) if present.
    """
    root = Path(root)
    if config is None:
        config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8")) or {}
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8")) or {}
    wanted: list[str] = ["_toc.yml"]
    for name in _toc_files(toc):
        page = _resolve_page(root, name)
        if page is None:
            continue  # jupyter-book reports the missing page itself
        rel = page.relative_to(root)
        wanted.append(rel.parts[0] if len(rel.parts) > 1 else str(rel))
    wanted += [str(b) for b in (config.get("bibtex_bibfiles") or [])]
    for value in (config.get("logo"), (config.get("html") or {}).get("favicon")):
        if value:
            wanted.append(str(value))
    wanted += ["_static", "_templates", "locale"]  # locale: the chapters' catalogs
    out: list[Path] = []
    for rel in dict.fromkeys(wanted):
        if (root / rel).exists() and Path(rel) not in out:
            out.append(Path(rel))
    return out


def copy_sources(root: Path, dest: Path, config: dict) -> list[Path]:
    """Copy the book's sources into ``dest``; return the copied notebooks (pages with code)."""
    dest.mkdir(parents=True, exist_ok=True)
    for rel in book_sources(root, config):
        src, dst = root / rel, dest / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_dir():
            shutil.copytree(src, dst, ignore=_JUNK)
        else:
            shutil.copy2(src, dst)
    toc = yaml.safe_load((dest / "_toc.yml").read_text(encoding="utf-8")) or {}
    pages = [_resolve_page(dest, name) for name in _toc_files(toc)]
    return [p for p in dict.fromkeys(pages) if p is not None and p.suffix in (".md", ".ipynb")]


def restore_sources(html_dir: Path, src: Path, root: Path, notebooks: list[Path]) -> None:
    """Publish the pages' sources as written (``_sources/``), without the injected build key."""
    for nb in notebooks:
        rel = nb.relative_to(src)
        for published in (html_dir / "_sources" / rel,
                          html_dir / "_sources" / rel.with_name(rel.name + ".txt")):
            if published.is_file() and (root / rel).is_file():
                shutil.copyfile(root / rel, published)
