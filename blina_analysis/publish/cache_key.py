"""The build key: when an executed chapter in the execution cache is still valid.

Chapters are executed through jupyter-cache (``execute_notebooks: cache``). jupyter-cache matches
a notebook by the source and metadata of its code cells (and its kernelspec) only, so every copied
notebook gets a *build key* in the metadata of its first code cell: a SHA-256 of the data
fingerprint, the source of the package the kernel imports, the book version, the source commit
(which the chapters print), the Python version and every installed distribution's version. New
data, new code or a new environment therefore re-execute every chapter; an unchanged rebuild
executes nothing.
"""

from __future__ import annotations

import hashlib
import json
import os
import platform
import re
import subprocess
import sys
from pathlib import Path

from blina_analysis._version import __version__
from blina_analysis.publish.provenance import PACKAGE_DIR

__all__ = ["BUILD_KEY_METADATA", "build_key", "package_digest", "kernel_package", "inject_key",
           "limit_cache"]

#: Cell-metadata key of the build key injected into each notebook's first code cell.
BUILD_KEY_METADATA = "blina_build_key"
#: Cached notebooks kept per notebook of the book (older ones are dropped, least recently used).
_CACHE_GENERATIONS = 4


def _digest_tree(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        rel = path.relative_to(folder)
        if "__pycache__" in rel.parts or path.suffix in (".pyc", ".pyo"):
            continue
        h.update(rel.as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()


def kernel_package(env: dict) -> Path:
    """The folder of the ``blina_analysis`` that a kernel with ``env`` imports (not importing it)."""
    probe = ("import importlib.util as u; s = u.find_spec('blina_analysis'); "
             "print(s.origin if s else '')")
    try:
        out = subprocess.run([sys.executable, "-c", probe], env=env, text=True,
                             capture_output=True, check=True, timeout=60).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        out = ""
    return Path(out).parent if out else PACKAGE_DIR


def package_digest(package_dir: Path | None = None) -> str:
    """SHA-256 of every file of the package (Python source, published data, style)."""
    return _digest_tree(Path(package_dir or PACKAGE_DIR))


def _environment_digest() -> str:
    from importlib.metadata import distributions

    dists = sorted({(d.metadata["Name"] or "").lower(): d.version
                    for d in distributions()}.items())
    return hashlib.sha256(json.dumps([sys.version, platform.machine(), dists]).encode()).hexdigest()


def build_key(fingerprint: str, commit: str, package_dir: Path | None = None) -> str:
    """The key that an executed chapter is valid for (see the module docstring)."""
    parts = {"data": fingerprint, "package": package_digest(package_dir),
             "book_version": __version__, "commit": commit, "environment": _environment_digest()}
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def site_key(root: Path, data_dir: Path, commit: str, epoch: int,
             previous_text: str | None, languages: tuple[str, ...] = ("en",)) -> str:
    """Everything a finished site depends on, cheaply: every file of the data folder, the book's
    sources and configuration, the package the kernels import and the environment (through
    :func:`build_key`), the build date, the earlier edition compared with and how the edition
    is published (:func:`~blina_analysis.publish.editions.edition_options`), the languages built.

    A build whose key equals the one recorded with the site (see
    :func:`blina_analysis.publish.output.up_to_date`) has nothing to do. Computed without
    reading the data as tables, so an unchanged rebuild costs almost nothing.
    """
    from blina_analysis.publish.sources import book_sources

    data = hashlib.sha256()
    for path in sorted(p for p in Path(data_dir).rglob("*") if p.is_file()):
        data.update(path.relative_to(data_dir).as_posix().encode() + b"\0" + path.read_bytes())
    sources = hashlib.sha256((Path(root) / "_config.yml").read_bytes())
    for rel in book_sources(root):
        path = Path(root) / rel
        sources.update(rel.as_posix().encode() + b"\0" + (
            _digest_tree(path).encode() if path.is_dir() else path.read_bytes()))
    from blina_analysis.publish.editions import edition_options

    previous = hashlib.sha256(previous_text.encode()).hexdigest() if previous_text else ""
    published = edition_options().to_env()  # how the edition is published changes its pages
    parts = {"build": build_key(data.hexdigest() + previous + published, commit,
                                kernel_package(dict(os.environ))),
             "sources": sources.hexdigest(), "epoch": epoch, "languages": list(languages)}
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


_FENCE = re.compile(r"^(?P<fence>`{3,}|~{3,})\{code-cell\}[^\n]*\n", re.M)


def inject_key(notebook: Path, key: str) -> bool:
    """Put ``key`` in the metadata of the first code cell of ``notebook`` (``.md`` or ``.ipynb``)."""
    if notebook.suffix == ".ipynb":
        nb = json.loads(notebook.read_text(encoding="utf-8"))
        for cell in nb.get("cells", []):
            if cell.get("cell_type") == "code":
                cell.setdefault("metadata", {})[BUILD_KEY_METADATA] = key
                notebook.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n",
                                    encoding="utf-8")
                return True
        return False
    text = notebook.read_text(encoding="utf-8")
    m = _FENCE.search(text)
    if m is None:
        return False
    at = m.end()
    if text.startswith("---\n", at):  # options as a YAML block: add a key inside it
        at += 4
        line = f"{BUILD_KEY_METADATA}: {key}\n"
    else:
        line = f":{BUILD_KEY_METADATA}: {key}\n"
    notebook.write_text(text[:at] + line + text[at:], encoding="utf-8")
    return True


def limit_cache(cache_dir: Path, notebooks: int) -> None:
    """Keep the execution cache from growing without bound (least recently used are dropped)."""
    try:
        from jupyter_cache import get_cache

        cache = get_cache(str(cache_dir))
        cache.change_cache_limit(max(10, _CACHE_GENERATIONS * notebooks))
        cache.truncate_caches()
    except Exception:  # noqa: BLE001 - pruning is housekeeping, never a reason to fail a build
        pass
