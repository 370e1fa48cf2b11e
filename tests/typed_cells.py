"""Tables as hospitals export them: the helpers shared by the data-form tests and the corpus.

Used by ``tests/test_data_forms.py`` and by ``tests/data_corpus/make_corpus.py`` (which also runs
as a script, so this module imports nothing from the test tree). A table is a list of rows of
text cells, the header first, as :mod:`csv` reads it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re

from openpyxl import Workbook

from blina_analysis.data.template import workbook_bytes

__all__ = ["csv_text", "day_first", "map_column", "table_rows", "typed_cell", "typed_rows",
           "workbook"]


def table_rows(text: str) -> list[list[str]]:
    """The rows of a CSV text."""
    return list(csv.reader(io.StringIO(text)))


def csv_text(rows: list[list[str]], delimiter: str = ",", newline: str = "\n") -> str:
    """Rows written as CSV with the given delimiter and line ending."""
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator=newline).writerows(rows)
    return out.getvalue()


def day_first(rows: list[list[str]]) -> list[list[str]]:
    """Every ISO date written DD.MM.YYYY, as Excel in a Russian locale exports it."""
    return [[re.sub(r"^(\d{4})-(\d{2})-(\d{2})$", r"\3.\2.\1", c) for c in r] for r in rows]


def map_column(rows: list[list[str]], column: str, values: dict[str, str]) -> list[list[str]]:
    """Rewrite a column's values (written: new) on every row below the header."""
    j = rows[0].index(column)
    return [rows[0]] + [[values.get(c, c) if k == j else c for k, c in enumerate(r)]
                        for r in rows[1:]]


def typed_cell(cell: str):
    """A text cell as the typed value Excel would hold: a date, TRUE/FALSE, a number, or text
    (an empty cell is ``None``)."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", cell):
        return dt.datetime.fromisoformat(cell)
    if cell in ("true", "false"):
        return cell == "true"
    if re.fullmatch(r"-?\d+", cell):
        return int(cell)
    if re.fullmatch(r"-?\d+\.\d+", cell):
        return float(cell)
    return cell or None


def typed_rows(rows: list[list[str]]) -> list[list]:
    """The header as text, every other row as typed cells (:func:`typed_cell`)."""
    return [rows[0]] + [[typed_cell(c) for c in r] for r in rows[1:]]


def workbook(rows: list[list], title: str = "Лист1", first_row: int = 1) -> bytes:
    """An Excel workbook of one sheet ``title`` holding ``rows`` from sheet row ``first_row``."""
    book = Workbook()
    sheet = book.active
    sheet.title = title
    for i, row in enumerate(rows):
        for j, value in enumerate(row, start=1):
            sheet.cell(row=first_row + i, column=j, value=value)
    return workbook_bytes(book)
