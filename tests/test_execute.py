"""Chapters executed in one warm kernel and cached as myst-nb would; the analysis computed once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from blina_analysis.analyses import Analysis
from blina_analysis.data.io import load
from blina_analysis.publish.execute import load_analysis, prime_cache, save_analysis

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "data" / "synthetic"

HEADER = """---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---

# {title}

```{{code-cell}} ipython3
{code}
```
"""


def _notebook(folder: Path, name: str, code: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.md"
    path.write_text(HEADER.format(title=name, code=code), encoding="utf-8")
    return path


def test_the_pickled_analysis_is_used_only_for_the_same_files(tmp_path):
    data = tmp_path / "data"
    shutil.copytree(SHIPPED, data)
    an = Analysis(load(data))
    an.followup()
    pickled = save_analysis(an, tmp_path / "analysis.pickle")
    again = load_analysis(pickled, data)
    assert again is not None and again.followup() == an.followup()
    assert load_analysis(pickled, SHIPPED) is None, "another folder"
    (data / "patients.csv").write_text((data / "patients.csv").read_text() + "\n")
    assert load_analysis(pickled, data) is None, "the data changed since"
    assert load_analysis(tmp_path / "missing.pickle", data) is None


def test_notebooks_run_in_one_kernel_in_their_own_folders_and_are_cached(tmp_path):
    from jupyter_cache import get_cache
    from myst_nb.core.read import read_myst_markdown_notebook

    first = _notebook(tmp_path / "a", "first", "import os\nshared = 41\nprint(os.getcwd())")
    second = _notebook(tmp_path / "b", "second", "import os\nprint(shared + 1, os.getcwd())")
    no_code = tmp_path / "plain.md"
    no_code.write_text("# no code\n", encoding="utf-8")
    cache_dir = tmp_path / "cache"
    calls = []
    report = prime_cache([first, second], cache_dir, {"PATH": "/usr/bin:/bin"}, echo=calls.append,
                         before_first=lambda: calls.append("before"), label=lambda p: p.name)
    assert report.executed == ["first.md", "second.md"] and not report.failed
    assert calls[0] == "before"
    cache = get_cache(str(cache_dir))
    _, merged = cache.merge_match_into_notebook(
        read_myst_markdown_notebook(second.read_text(), add_source_map=True, path=second))
    out = merged.cells[1].outputs[0]["text"]
    assert out.split()[0] == "42", "the second notebook sees the first one's kernel"
    assert out.split()[1] == str(tmp_path / "b"), "each notebook runs in its own folder"
    assert merged.cells[1].execution_count == 1
    again = prime_cache([first, second], cache_dir, {"PATH": "/usr/bin:/bin"}, echo=calls.append,
                        label=lambda p: p.name)
    assert again.cached == ["first.md", "second.md"] and not again.executed


def test_a_failing_notebook_and_the_ones_after_it_are_left_to_jupyter_book(tmp_path):
    from jupyter_cache import get_cache
    from myst_nb.core.read import read_myst_markdown_notebook

    ok = _notebook(tmp_path, "ok", "x = 1")
    bad = _notebook(tmp_path, "bad", "raise RuntimeError('deliberate')")
    after = _notebook(tmp_path, "after", "y = 2")
    report = prime_cache([ok, bad, after], tmp_path / "cache", {"PATH": "/usr/bin:/bin"},
                         echo=lambda *_: None, label=lambda p: p.name)
    assert report.executed == ["ok.md"] and report.failed == ["bad.md", "after.md"]
    cache = get_cache(str(tmp_path / "cache"))
    with pytest.raises(KeyError):
        cache.match_cache_notebook(read_myst_markdown_notebook(bad.read_text(), path=bad))


def test_the_kernel_prints_nothing_to_the_terminal(tmp_path, capfd):
    """The kernel's own log (e.g. ipykernel's warning about plain-text TCP) is not shown."""
    nb = _notebook(tmp_path, "quiet", "x = 1")
    report = prime_cache([nb], tmp_path / "cache", {"PATH": "/usr/bin:/bin"},
                         echo=lambda *_: None, label=lambda p: p.name)
    assert report.executed == ["quiet.md"]
    out, err = capfd.readouterr()
    assert out == "" and err == "", (out, err)
