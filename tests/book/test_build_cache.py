"""Rebuilds are fast and never stale: the execution cache and its build key.

The slow test builds the book three times (one clean build, one rebuild with nothing changed, one
rebuild with other data) from a frozen copy of the book's sources and of the package (the kernels
import the copy through ``PYTHONPATH``), so that engineers editing the checkout meanwhile cannot
change the build key between the builds. The fast tests check the pieces: what the key depends
on, that jupyter-cache sees it, and what is copied into the staging source tree.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from blina_analysis.data import synthetic
from blina_analysis.publish.build import build_book
from blina_analysis.publish.cache_key import (
    BUILD_KEY_METADATA,
    build_key,
    inject_key,
    package_digest,
)
from blina_analysis.publish.output import SITE_MARKER, STATE_MARKER, BuildFolders
from blina_analysis.publish.provenance import COMMIT_ENV, DATE_ENV
from blina_analysis.publish.sources import book_sources, copy_sources

from .conftest import page_text

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "data" / "synthetic"
PACKAGE = ROOT / "blina_analysis"


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _frozen_checkout(tmp: Path) -> Path:
    """The book's sources and the package, copied: what the three builds are made from."""
    import yaml

    root = tmp / "checkout"
    root.mkdir()
    shutil.copy2(ROOT / "_config.yml", root / "_config.yml")
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    for rel in book_sources(ROOT, config):
        if (ROOT / rel).is_dir():
            shutil.copytree(ROOT / rel, root / rel,
                            ignore=shutil.ignore_patterns("__pycache__", ".ipynb_checkpoints"))
        else:
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / rel, root / rel)
    shutil.copytree(PACKAGE, root / "blina_analysis",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return root


def _build(data: Path, out: Path, root: Path):
    lines: list[str] = []
    info = build_book(data, out, root=root, echo=lines.append)
    return info, lines


@pytest.mark.slow
def test_unchanged_rebuild_executes_nothing_and_new_data_reexecute_everything(tmp_path,
                                                                               monkeypatch):
    root = _frozen_checkout(tmp_path)
    monkeypatch.setenv("PYTHONPATH", str(root))  # the kernels import the frozen package
    monkeypatch.setenv(COMMIT_ENV, "0123456789ab")
    monkeypatch.setenv(DATE_ENV, "1700000000")
    out = tmp_path / "site" / "html"

    # 1. clean build: every chapter runs
    first, lines = _build(SHIPPED, out, root)
    chapters = set(first.executed)
    assert len(chapters) >= 9 and not first.cached, lines
    assert any(line.lstrip().startswith("[") and " executing " in line for line in lines)
    clean = _files(out)
    results_1 = json.loads((out / "results.json").read_text(encoding="utf-8"))
    state = BuildFolders.for_output(out).state
    assert state == out.with_name("html.blina-state") and first.state_dir == state
    assert (state / STATE_MARKER).is_file() and (state / "build.log").is_file()
    assert (state / "cache").is_dir(), "the execution cache lives in the build's state folder"
    assert sorted(p.name for p in out.parent.iterdir()) == ["html", "html.blina-state"], \
        "a build writes its site and its state folder, nothing else"
    assert SITE_MARKER in clean, "the site is marked as written by blina build"
    assert not any(name.startswith(("cache/", ".jupyter_cache")) or "build.log" in name
                   for name in clean), "the cache and the log must not be published"
    assert not [n for n, b in clean.items() if BUILD_KEY_METADATA.encode() in b], \
        "the build key must not leak into the published files (_sources included)"
    assert not any(name.startswith((".pytest_cache", "tests/", "data/", "blina_analysis/"))
                   for name in clean)

    # 2. nothing changed: nothing runs, and the site is the same, byte for byte
    second, lines = _build(SHIPPED, out, root)
    assert not second.executed, lines
    assert not [line for line in lines if " executing " in line], lines
    assert set(second.cached) == chapters
    assert second.build_key == first.build_key
    rebuilt = _files(out)
    assert rebuilt.keys() == clean.keys()
    assert [n for n in clean if clean[n] != rebuilt[n]] == []

    # 3. other data: every chapter runs again, and numbers and figures change
    other = tmp_path / "other-data"
    synthetic.write_dataset(other, seed=11, n_patients=99)
    third, lines = _build(other, out, root)
    assert set(third.executed) == chapters, lines
    assert not third.cached
    assert third.build_key != first.build_key
    results_3 = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert results_1["results"]["n_total"] == 66
    assert results_3["results"]["n_total"] == 99
    assert re.search(r"\b99 adults\b", page_text(out, "index.html"))
    assert not re.search(r"\b66 adults\b", page_text(out, "index.html"))
    fresh = _files(out)

    def images(page: str, files: dict[str, bytes]) -> list[bytes]:
        return re.findall(rb'src="data:image/png;base64,([^"]+)"', files[page])

    old_figures, new_figures = images("chapters/rr_results.html", clean), \
        images("chapters/rr_results.html", fresh)
    assert old_figures and len(old_figures) == len(new_figures)
    assert all(a != b for a, b in zip(old_figures, new_figures)), \
        "every figure of the R/R chapter must be redrawn from the new data"


# --- the pieces (fast) ------------------------------------------------------------------------

def _package_copy(tmp: Path) -> Path:
    dst = tmp / "pkg"
    shutil.copytree(PACKAGE, dst, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return dst


def test_build_key_depends_on_data_code_commit_and_nothing_else(tmp_path):
    pkg = _package_copy(tmp_path)
    key = build_key("a" * 64, "abc", pkg)
    assert key == build_key("a" * 64, "abc", pkg)
    assert key != build_key("b" * 64, "abc", pkg)
    assert key != build_key("a" * 64, "abd", pkg)
    (pkg / "__pycache__").mkdir(exist_ok=True)
    (pkg / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"compiled")
    assert build_key("a" * 64, "abc", pkg) == key, "byte-code caches are not code"
    before = package_digest(pkg)
    with open(pkg / "analysis.py", "a", encoding="utf-8") as f:
        f.write("\n# a change of the analysis code\n")
    assert package_digest(pkg) != before
    assert build_key("a" * 64, "abc", pkg) != key


def _hash(path: Path) -> str:
    """The hash under which jupyter-cache stores (and looks up) an executed notebook."""
    from jupyter_cache.cache.main import JupyterCacheBase
    from myst_nb.core.read import read_myst_markdown_notebook

    nb = read_myst_markdown_notebook(path.read_text(encoding="utf-8"))
    return JupyterCacheBase.create_hashed_notebook(None, nb)[1]


@pytest.mark.parametrize("options", [":tags: [hide-input]\n", "---\ntags: [hide-input]\n---\n", ""])
def test_injected_key_is_part_of_jupyter_caches_hash(tmp_path, options):
    text = ("---\nkernelspec:\n  display_name: Python 3\n  language: python\n  name: python3\n"
            "---\n\n# T\n\n```{code-cell} ipython3\n" + options + "x = 1\n```\n\ntext\n\n"
            "```{code-cell} ipython3\nx\n```\n")
    pages = {}
    for key in ("k1", "k2"):
        pages[key] = tmp_path / f"{key}.md"
        pages[key].write_text(text, encoding="utf-8")
        assert inject_key(pages[key], key)
    from myst_nb.core.read import read_myst_markdown_notebook

    nb = read_myst_markdown_notebook(pages["k1"].read_text(encoding="utf-8"))
    first = [c for c in nb.cells if c.cell_type == "code"][0]
    assert first.metadata[BUILD_KEY_METADATA] == "k1"
    assert first.source == "x = 1"
    if options:
        assert first.metadata["tags"] == ["hide-input"]
    assert _hash(pages["k1"]) != _hash(pages["k2"])


def test_staging_copy_holds_the_book_and_nothing_else(tmp_path):
    import yaml

    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    notebooks = copy_sources(ROOT, tmp_path / "src", config)
    copied = {p.relative_to(tmp_path / "src").as_posix() for p in (tmp_path / "src").rglob("*")}
    assert {"_toc.yml", "index.md", "chapters/methods.md", "references.bib"} <= copied
    assert not {c for c in copied if c.split("/")[0] in
                {"data", "tests", "blina_analysis", "benchmarks", "_build", ".pytest_cache",
                 ".hypothesis", "README.md"}}
    assert not [c for c in copied if "__pycache__" in c or ".ipynb_checkpoints" in c]
    assert {p.name for p in notebooks} >= {"index.md", "methods.md", "safety.md"}
