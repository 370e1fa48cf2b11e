"""The book's CSV downloads are safe to open in a spreadsheet (OWASP, CSV injection).

A text cell starting with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a leading
``'``; numbers (negative ones included) and every other cell are written as before. The page
itself shows the term as recorded, HTML-escaped. The dataset is the shipped one with six adverse
event terms replaced by hostile ones; the expected rows are counted by hand from its raw file.
"""

from __future__ import annotations

import base64
import csv
import io
import re

import pandas as pd
import pytest

from blina_analysis.analyses import Analysis
from blina_analysis.data import schema
from blina_analysis.data.io import load
from blina_analysis import book
from blina_analysis.report import tables

HOSTILE = ['=HYPERLINK("http://x","click")', "+1+1", "-2+3", "@SUM(1+1)", "=cmd|' /C calc'!A0",
           "<script>alert(1)</script>"]
PATIENTS = 66  # the shipped cohort


@pytest.fixture
def hostile(dataset_dir):
    """The shipped data with the first six AE rows' terms replaced; and those rows, raw."""
    path = dataset_dir / schema.AE_FILE
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    for row, term in zip(rows[1:], HOSTILE):
        row[header.index("term")] = term
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    return dataset_dir, [dict(zip(header, r)) for r in rows[1:1 + len(HOSTILE)]]


def _download(html: str) -> bytes:
    (encoded,) = re.findall(r'href="data:text/csv;base64,([^"]+)"', html)
    return base64.b64decode(encoded)


def test_hostile_terms_are_neutralised_in_the_download_and_escaped_on_the_page(hostile):
    folder, raw = hostile
    an = Analysis(load(folder))
    shown = book.show_table(lambda: tables.ae_term_table(an.ae_table("category"),
                                                         an.ae_table("term")),
                            "ae-by-term", data=lambda: an.ae_table("term"))
    html = shown.data
    data = _download(html)
    assert data.startswith(b"category,term,any_n,grade3plus_n,grade_1_2,grade_3,grade_4,"
                           b"grade_5,N\n")
    for row in raw:  # each hostile term is on one row of the raw file: one patient, its grade
        grade = int(row["grade"])
        term = row["term"]
        if term[0] in "=+-@":
            term = "'" + term
        if '"' in term or "," in term:
            term = '"' + term.replace('"', '""') + '"'
        line = (f"{row['category']},{term},1,{int(grade >= 3)},{int(grade <= 2)},"
                f"{int(grade == 3)},{int(grade == 4)},{int(grade == 5)},{PATIENTS}\n")
        assert line.encode() in data, line
    assert b'"\'=HYPERLINK(""http://x"",""click"")"' in data
    for record in csv.reader(io.StringIO(data.decode("utf-8"))):
        for cell in record:  # nothing a spreadsheet would run; numbers stay numbers
            if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
                float(cell)
    # the page shows the terms as recorded, escaped (quotes need none in a text node)
    assert '<td>=HYPERLINK("http://x","click")</td>' in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script>alert" not in html and "'=HYPERLINK" not in html


def test_text_cells_neutralised_numbers_untouched():
    frame = pd.DataFrame({"x": [-1.5, 2.0], "n": [-3, 4], "s": ["-1.5", "ok"],
                          "t": ["\tx", "\rx"], "mixed": [-2, "=1"], "@h": ["a", None]})
    before = frame.copy()
    assert book.table_csv(frame) == (b"x,n,s,t,mixed,'@h\n"
                                     b"-1.5,-3,'-1.5,'\tx,-2,a\n"
                                     b"2.0,4,ok,'\rx,'=1,\n")
    pd.testing.assert_frame_equal(frame, before)  # the caller's table is not changed


def test_tables_without_such_text_are_written_as_before():
    frame = pd.DataFrame({"when": pd.to_datetime(["2017-04-15", None]),
                          "n": pd.array([1, None], dtype="Int64"), "p": [0.25, -0.5],
                          "name": pd.Categorical(["a", "b"]), "note": ["x", None]})
    assert book.table_csv(frame) == frame.to_csv(index=False, lineterminator="\n").encode()
