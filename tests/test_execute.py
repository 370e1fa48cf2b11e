"""Chapters executed in warm kernels side by side and cached as myst-nb would; the analysis
computed once; Ctrl-C stops the kernels."""

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
                         before_first=lambda: calls.append("before"), label=lambda p: p.name,
                         kernels=1)
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


def test_a_failing_notebook_is_left_to_jupyter_book_and_the_ones_after_it_still_run(tmp_path):
    """Jupyter Book re-executes the failing one (and reports its cell); the others are cached
    here, each in a warm kernel, the one after the failure in a fresh kernel."""
    from jupyter_cache import get_cache
    from myst_nb.core.read import read_myst_markdown_notebook

    ok = _notebook(tmp_path, "ok", "import os; os.environ['BLINA_TEST_MARK'] = 'set'")
    bad = _notebook(tmp_path, "bad", "raise RuntimeError('deliberate')")
    after = _notebook(tmp_path, "after", "import os; print(os.environ.get('BLINA_TEST_MARK'))")
    report = prime_cache([ok, bad, after], tmp_path / "cache", {"PATH": "/usr/bin:/bin"},
                         echo=lambda *_: None, label=lambda p: p.name, kernels=1)
    assert report.executed == ["ok.md", "after.md"] and report.failed == ["bad.md"]
    cache = get_cache(str(tmp_path / "cache"))
    with pytest.raises(KeyError):
        cache.match_cache_notebook(read_myst_markdown_notebook(bad.read_text(), path=bad))
    _, cached = cache.merge_match_into_notebook(
        read_myst_markdown_notebook(after.read_text(), add_source_map=True, path=after))
    assert cached.cells[-1].outputs[0]["text"].strip() == "None", "not a fresh kernel"


def test_the_kernel_prints_nothing_to_the_terminal(tmp_path, capfd):
    """The kernel's own log (e.g. ipykernel's warning about plain-text TCP) is not shown."""
    nb = _notebook(tmp_path, "quiet", "x = 1")
    report = prime_cache([nb], tmp_path / "cache", {"PATH": "/usr/bin:/bin"},
                         echo=lambda *_: None, label=lambda p: p.name)
    assert report.executed == ["quiet.md"]
    out, err = capfd.readouterr()
    assert out == "" and err == "", (out, err)


def test_two_kernels_share_the_notebooks_and_report_them_in_book_order(tmp_path):
    from jupyter_cache import get_cache
    from myst_nb.core.read import read_myst_markdown_notebook

    code = "import os, time\ntime.sleep({})\nprint(os.getpid())"
    books = [_notebook(tmp_path / name, name, code.format(pause))
             for name, pause in [("a", 0.5), ("b", 3), ("c", 0.5), ("d", 0.5)]]
    lines: list[str] = []
    report = prime_cache(books, tmp_path / "cache", {"PATH": "/usr/bin:/bin"}, echo=lines.append,
                         label=lambda p: p.name, kernels=2)
    assert report.executed == ["a.md", "b.md", "c.md", "d.md"] and not report.failed
    assert sum(line.split()[-1] == "executing" or "executing" in line for line in lines) == 4
    cache = get_cache(str(tmp_path / "cache"))
    pids = set()
    for nb in books:
        _, merged = cache.merge_match_into_notebook(
            read_myst_markdown_notebook(nb.read_text(), add_source_map=True, path=nb))
        pids.add(merged.cells[1].outputs[0]["text"].strip())
    assert len(pids) == 2, "two kernels, each executed some of the notebooks"


def test_the_longest_notebook_starts_first(tmp_path):
    """Longest as it took when last executed into this cache."""
    books = [_notebook(tmp_path / n, n, f"import time\ntime.sleep({pause})")
             for n, pause in [("a", 1), ("b", 0.1), ("long", 3)]]
    cache = tmp_path / "cache"
    prime_cache(books, cache, {"PATH": "/usr/bin:/bin"}, echo=lambda *_: None,
                label=lambda p: p.name, kernels=1)
    for nb in books:  # new code: every one is executed again
        nb.write_text(nb.read_text().replace("import time", "import time  # edited"))
    lines: list[str] = []
    report = prime_cache(books, cache, {"PATH": "/usr/bin:/bin"}, echo=lines.append,
                         label=lambda p: p.name, kernels=2)
    assert report.executed == ["a.md", "b.md", "long.md"]
    starts = [line.split()[-1] for line in lines if "executing" in line]
    # long and a start at once (in either order); b waits for a kernel to be free
    assert set(starts[:2]) == {"long.md", "a.md"} and starts[2] == "b.md", starts


def test_ctrl_c_kills_the_kernels_and_is_raised(tmp_path):
    """Ctrl-C arrives in the main thread (here: while the analysis is computed)."""
    import psutil

    def interrupted():
        raise KeyboardInterrupt

    books = [_notebook(tmp_path / n, n, "x = 1") for n in ("a", "b")]
    with pytest.raises(KeyboardInterrupt):
        prime_cache(books, tmp_path / "cache", {"PATH": "/usr/bin:/bin"}, echo=lambda *_: None,
                    label=lambda p: p.name, kernels=2, before_first=interrupted)
    alive = []
    for child in psutil.Process().children(recursive=True):
        try:
            if child.status() != psutil.STATUS_ZOMBIE and "ipykernel" in " ".join(child.cmdline()):
                alive.append(child)
        except psutil.Error:  # ended meanwhile
            pass
    assert not alive, alive
