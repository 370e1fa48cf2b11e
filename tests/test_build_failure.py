"""A failed build says why first: the chapter, the cell, the exception and its message.

The log excerpts are Jupyter Book's output as it is written for a failing cell (myst-nb with
``nb_execution_show_tb``, an IPython traceback inside nbclient's CellExecutionError); the slow
test in ``tests/book/test_rebuild_safety.py`` checks the same on a real build.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from blina_analysis.publish.failure import cell_failures, failure_message

CHAPTER = """\
---
kernelspec:
  name: python3
---

# Safety

```{code-cell} ipython3
:tags: [remove-cell]
import blina_analysis as ba
from blina_analysis import book, figures

an = book.analysis()
book.glue_text(an)
figures.ae_bar_plot(an)
```

Text {glue:text}`n_ae`.
"""

NBCLIENT = """\
{root}/chapters/safety.md: WARNING: Executing notebook failed: CellExecutionError
Traceback (most recent call last):
  File "/venv/lib/python3.11/site-packages/nbclient/client.py", line 918, in _check_raise_for_error
    raise CellExecutionError.from_cell_and_msg(cell, exec_reply_content)
nbclient.exceptions.CellExecutionError: An error occurred while executing the following cell:
------------------
import blina_analysis as ba
from blina_analysis import book, figures

an = book.analysis()
book.glue_text(an)
figures.ae_bar_plot(an)
------------------


---------------------------------------------------------------------------
StatsInputError                           Traceback (most recent call last)
Cell In[1], line 6
      3 an = book.analysis()
      4 book.glue_text(an)
----> 6 figures.ae_bar_plot(an)

File {root}/blina_analysis/report/figures.py:120, in ae_bar_plot(an)
    118 def ae_bar_plot(an):
--> 120     raise StatsInputError("ae_bar_plot: table is empty\\nno adverse event recorded")

StatsInputError: ae_bar_plot: table is empty
no adverse event recorded

 [mystnb.exec]
"""

CONSEQUENCES = """\
{root}/chapters/safety.md:18: WARNING: No key 'n_ae' found in glue data for this document. [mystnb.glue]
{root}/chapters/safety.md:20: WARNING: No key 'fig-ae' found in glue data for this document. [mystnb.glue]
{root}/chapters/safety.md: WARNING: Notebook exception traceback saved in: {root}.blina-state/staging-x/_build/html/reports/chapters/safety.err.log [mystnb.exec]
{root}/chapters/discussion.md:12: WARNING: undefined label: 'fig-ae'
"""


def _setup(tmp_path: Path, extra: str = "") -> tuple[Path, list[str]]:
    root = tmp_path / "book"
    (root / "chapters").mkdir(parents=True)
    (root / "chapters" / "safety.md").write_text(CHAPTER, encoding="utf-8")
    log = ("reading sources... [ 82%] chapters/safety\n"
           + NBCLIENT + CONSEQUENCES + extra
           + "build finished with problems, 5 warnings.\n").format(root=root)
    return root, log.splitlines()


def test_the_cause_comes_first(tmp_path):
    root, lines = _setup(tmp_path)
    out, log = tmp_path / "site", tmp_path / "site.blina-state" / "build.log"
    message = failure_message(lines, out, log, root).splitlines()
    # the chapter and the line of the failing statement in the chapter file (line 15)
    assert message[0] == "chapters/safety.md, line 15: a cell failed with StatsInputError"
    # the cell: the failing line marked, with the lines before it
    assert message[1:5] == ["       12 |",
                            "       13 | an = book.analysis()",
                            "       14 | book.glue_text(an)",
                            "  ->   15 | figures.ae_bar_plot(an)"]
    # the exception and its whole message
    assert message[5:7] == ["  StatsInputError: ae_bar_plot: table is empty",
                            "    no adverse event recorded"]
    # the warnings that follow from it: one line, naming what is missing
    follow = [m for m in message if "follow" in m]
    assert follow == ["3 warnings that follow from the failure (values or labels not made: "
                      "fig-ae, n_ae) are in the full log"]
    assert not any("No key" in m or "undefined label" in m for m in message)
    # never a pointer into the deleted staging folder; the full log in the state folder
    assert not any("err.log" in m or "staging" in m for m in message)
    assert message[-1] == f"the book did not build; {out} is unchanged. Full log: {log}"
    assert len(message) <= 10


def test_other_problems_are_still_listed(tmp_path):
    extra = "{root}/chapters/methods.md:40: WARNING: image file not readable: x.png\n"
    root, lines = _setup(tmp_path, extra)
    message = failure_message(lines, tmp_path / "o", tmp_path / "l", root)
    assert message.index("a cell failed") < message.index("other problems:")
    assert "image file not readable: x.png" in message


def test_without_a_failed_cell_the_warnings_are_the_cause(tmp_path):
    root = tmp_path / "book"
    lines = [f"{root}/chapters/safety.md:30: WARNING: No key 'no_such_key' found in glue data "
             "for this document. [mystnb.glue]", "build finished with problems, 1 warning."]
    message = failure_message(lines, tmp_path / "o", tmp_path / "l", root)
    assert "no_such_key" in message.splitlines()[0]
    assert cell_failures(lines) == ([], set())


def test_a_timeout_names_the_chapter_the_cell_and_the_limit(tmp_path):
    root = tmp_path / "book"
    lines = f"""\
{root}/chapters/rr_results.md: WARNING: Executing notebook failed: CellTimeoutError
Traceback (most recent call last):
  File "/venv/lib/python3.11/site-packages/nbclient/client.py", line 801, in _async_poll_for_reply
nbclient.exceptions.CellTimeoutError: A cell timed out while it was being executed, after 600 seconds.
The message was: Cell execution timed out.
Here is a preview of the cell contents:
-------------------
an = book.analysis()
slow()
-------------------
 [mystnb.exec]
""".splitlines()
    message = failure_message(lines, tmp_path / "o", tmp_path / "l", root).splitlines()
    assert message[0] == "chapters/rr_results.md: a cell failed with CellTimeoutError"
    assert any(m.endswith("| slow()") for m in message[1:4])
    assert ("  CellTimeoutError: A cell timed out while it was being executed, after 600 "
            "seconds.") in message


def test_two_failed_chapters_are_both_named(tmp_path):
    root, lines = _setup(tmp_path)
    second = NBCLIENT.replace("safety.md", "transplant.md").format(root=root).splitlines()
    failures, _ = cell_failures(lines + second)
    assert [f.chapter.name for f in failures] == ["safety.md", "transplant.md"]
    assert [f.exception for f in failures] == ["StatsInputError", "StatsInputError"]
    assert failures[0].cell_line == 6 and failures[0].cell[5] == "figures.ae_bar_plot(an)"


def test_an_error_raised_while_ctrl_c_was_handled_is_an_interruption():
    """Ctrl-C in the middle of a cache write surfaces as the database's error, with the
    KeyboardInterrupt as its context: the build says it was interrupted, not a traceback."""
    from blina_analysis.publish.build import _interrupted

    def database_error():
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt:
            raise RuntimeError("This transaction is closed")  # noqa: B904 - as sqlalchemy does

    with pytest.raises(RuntimeError) as caught:
        database_error()
    assert _interrupted(caught.value) and _interrupted(KeyboardInterrupt())
    assert not _interrupted(RuntimeError("a real failure"))
