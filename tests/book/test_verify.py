"""The edition's PDF prints to the same bytes whatever happened around its printing.

Chromium names the structure elements of a tagged PDF after Blink's DOM node ids, which the
renderer hands out to whatever asks first: a paint of the page on screen, a scroll, a DevTools
client. On a busy machine the page goes through more or fewer of these before it is printed, so
the raw ids (``/ID (node00000297)``) differ from print to print, and ``blina verify`` reported the
PDF of an edition printed beside the test suite as differing. :func:`~.pdf.canonical_pdf`
renumbers them. Checked here on a small document (no book build): the bytes a page gives after
DevTools asked for node ids out of document order and the page was scrolled, and those of a print
made while another print runs, equal a plain print's.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from blina_analysis.publish import pdf
from blina_analysis.publish.pdf import canonical_pdf, print_to_pdf

from .conftest import browser_unavailable as _unavailable
from .conftest import chromium_executable as _chromium

EPOCH = 1_700_000_000


def _structure(ids: list[int]) -> bytes:
    """A tagged PDF's structure elements (two header cells, a data cell naming its header), its
    id tree and the dates Chromium writes, with the header cells' raw ids ``ids``."""
    a, b = (b"node%08d" % i for i in ids)
    keys = sorted([(a, b"3"), (b, b"5")])
    return (b"%PDF-1.7\n1 0 obj\n<</Title (x)\n/CreationDate (D:20261204184000+00'00')\n"
            b"/ModDate (D:20261204184000+00'00')>>\nendobj\n"
            b"3 0 obj\n<</Type /StructElem\n/S /TH\n/ID (" + a + b")>>\nendobj\n"
            b"4 0 obj\n<</Type /StructElem\n/S /TD\n/Headers [(" + a + b")]>>\nendobj\n"
            b"5 0 obj\n<</Type /StructElem\n/S /TH\n/ID (" + b + b")>>\nendobj\n"
            b"6 0 obj\n<</Limits [(" + keys[0][0] + b") (" + keys[1][0] + b")]\n/Names ["
            + b" ".join(b"(" + k + b") " + n + b" 0 R" for k, n in keys) + b"]>>\nendobj\n")


def test_structure_ids_are_renumbered_in_the_order_the_elements_appear():
    plain = canonical_pdf(_structure([297, 298]), EPOCH)
    busy = canonical_pdf(_structure([551, 4]), EPOCH)  # asked for out of order, before printing
    assert plain == busy
    assert len(plain) == len(_structure([297, 298]))  # cross-reference offsets stay valid
    assert b"/S /TH\n/ID (node00000001)" in plain and b"/Headers [(node00000001)]" in plain
    assert b"3 0 obj\n<</Type /StructElem\n/S /TH\n/ID (node00000001)" in plain
    assert b"5 0 obj\n<</Type /StructElem\n/S /TH\n/ID (node00000002)" in plain
    # the id tree stays a valid name tree: sorted keys, limits its first and last
    assert (b"/Limits [(node00000001) (node00000002)]\n/Names [(node00000001) 3 0 R "
            b"(node00000002) 5 0 R]") in plain
    assert b"/CreationDate (D:20231114221320+00'00')" in plain  # the source date
    assert b"2026" not in plain


# --- printing with Chromium ---------------------------------------------------------------------

_DOCUMENT = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>t</title></head>
<body><h1>Print</h1>{tables}</body></html>"""
_TABLE = ("<h2>Table {i}</h2><table><thead><tr><th>Group</th><th>n</th><th>%</th></tr></thead>"
          "<tbody>{rows}</tbody></table><p>{text}</p>")


@pytest.fixture(scope="module")
def document(tmp_path_factory) -> Path:
    if _chromium() is None:
        _unavailable("no chromium executable (apt-get install chromium)")
    try:
        import playwright  # noqa: F401
    except ImportError:
        _unavailable("playwright is not installed (pip install -e '.[test]')")
    rows = "".join(f"<tr><td>row {r}</td><td>{r}</td><td>{r * 1.5:.1f}</td></tr>"
                   for r in range(12))
    tables = "".join(_TABLE.format(i=i, rows=rows, text="Text. " * 200) for i in range(8))
    path = tmp_path_factory.mktemp("print") / "_print.html"
    path.write_text(_DOCUMENT.format(tables=tables), encoding="utf-8")
    return path


def _busy(page) -> None:
    """What may happen to a page on a busy machine before it is printed, made certain: node ids
    handed out out of document order (DevTools asks for the last header cells first) and a
    scroll that paints the middle of the page."""
    cdp = page.context.new_cdp_session(page)
    for index in (-1, -4):
        found = cdp.send("Runtime.evaluate",
                         {"expression": f"[...document.querySelectorAll('th')].at({index})"})
        cdp.send("DOM.describeNode", {"objectId": found["result"]["objectId"]})
    cdp.send("DOM.getDocument", {"depth": -1})
    page.evaluate("window.scrollTo(0, document.body.scrollHeight / 2)")


def _raw_ids(data: bytes) -> list[int]:
    return [int(i) for i in re.findall(rb"/ID \(node(\d{8})\)", data)]


def _raw_print(document: Path, prepare=None) -> bytes:
    """Chromium's own bytes (:func:`~.pdf.canonical_pdf` left out)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(pdf, "canonical_pdf", lambda data, epoch: data)
        return print_to_pdf(document, epoch=EPOCH, prepare=prepare)


@pytest.fixture(scope="module")
def alone(document) -> bytes:
    """A plain print's raw bytes."""
    return _raw_print(document)


def test_a_busy_page_prints_to_the_same_bytes(document, alone):
    busy = _raw_print(document, prepare=_busy)
    assert busy != alone  # Chromium's bytes differ: the ids were handed out otherwise
    assert _raw_ids(busy) != sorted(_raw_ids(busy)) and _raw_ids(alone) == sorted(_raw_ids(alone))
    assert canonical_pdf(busy, EPOCH) == canonical_pdf(alone, EPOCH)
    ids = _raw_ids(canonical_pdf(alone, EPOCH))
    assert ids == list(range(1, len(ids) + 1)) and len(ids) >= 8 * 3


def test_a_print_made_while_another_print_runs_gives_the_same_bytes(document, alone, tmp_path):
    script = ("import sys; from pathlib import Path; from blina_analysis.publish.pdf import "
              f"print_to_pdf\nPath(sys.argv[2]).write_bytes(print_to_pdf(Path(sys.argv[1]), "
              f"epoch={EPOCH}))\n")
    other = subprocess.Popen([sys.executable, "-c", script, str(document), str(tmp_path / "o")])
    try:
        beside = print_to_pdf(document, epoch=EPOCH)
    finally:
        assert other.wait(timeout=600) == 0
    assert beside == canonical_pdf(alone, EPOCH)
    assert (tmp_path / "o").read_bytes() == beside


def _printer(monkeypatch, prints: list[bytes]) -> list[bytes]:
    """Let ``pdf.print_to_pdf`` return ``prints`` one after another; returns what it printed."""
    made: list[bytes] = []

    def fake(document, *, epoch, prepare=None):
        made.append(prints[len(made)])
        return made[-1]

    monkeypatch.setattr(pdf, "print_to_pdf", fake)
    return made


def test_an_edition_keeps_the_print_that_two_prints_agree_on(monkeypatch, tmp_path):
    made = _printer(monkeypatch, [b"shifted", b"usual", b"usual"])
    assert pdf._agreed_print(tmp_path / "doc.html", EPOCH) == b"usual" and len(made) == 3
    _printer(monkeypatch, [b"a", b"b", b"c", b"d"])
    with pytest.raises(pdf.BuildError, match="4 different files"):
        pdf._agreed_print(tmp_path / "doc.html", EPOCH)


def test_a_rebuild_stops_printing_at_the_archived_pdf(monkeypatch, tmp_path):
    made = _printer(monkeypatch, [b"archived", b"archived"])
    assert pdf._agreed_print(tmp_path / "doc.html", EPOCH, b"archived") == b"archived"
    assert len(made) == 1
    made = _printer(monkeypatch, [b"shifted", b"archived"])
    assert pdf._agreed_print(tmp_path / "doc.html", EPOCH, b"archived") == b"archived"
    assert len(made) == 2
    # prints that never give the archived PDF: the one two of them agree on, which verify then
    # reports as differing
    made = _printer(monkeypatch, [b"shifted", b"other", b"other"])
    assert pdf._agreed_print(tmp_path / "doc.html", EPOCH, b"archived") == b"other"
    assert len(made) == 3
