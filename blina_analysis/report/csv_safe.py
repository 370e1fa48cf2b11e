"""CSV downloads that are safe to open in a spreadsheet (no formula injection).

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (and, in some, after a
tab or a carriage return) as a formula, so a recorded adverse-event term such as
``=HYPERLINK("http://x","click")`` copied into a download would run when a reader opens it.
As OWASP recommends (https://owasp.org/www-community/attacks/CSV_Injection), such text cells
get a leading single quote, which spreadsheets show as text. Numbers, negative ones included, are
left as numbers.
"""

from __future__ import annotations

import pandas as pd

__all__ = ["FORMULA_STARTS", "neutralise_cell", "spreadsheet_safe"]

#: The first characters that make a spreadsheet read a text cell as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _is_formula(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def _holds_text(dtype) -> bool:
    return dtype == object or isinstance(dtype, (pd.StringDtype, pd.CategoricalDtype))


def neutralise_cell(value):
    """``value`` with a ``'`` in front if it is text starting like a formula; else unchanged."""
    return "'" + value if _is_formula(value) else value


def spreadsheet_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its text cells and column names neutralised (:func:`neutralise_cell`).

    Only columns holding such a cell are replaced (by object columns), so every other column
    keeps its dtype and writes the same CSV text; ``frame`` itself is not changed.
    """
    out = frame.copy()
    for j in range(out.shape[1]):
        column = out.iloc[:, j]
        if _holds_text(column.dtype) and any(_is_formula(v) for v in column):
            out.isetitem(j, pd.Series([neutralise_cell(v) for v in column], index=column.index,
                                      dtype=object))
    if not isinstance(out.columns, pd.MultiIndex):
        out.columns = [neutralise_cell(name) for name in out.columns]
    return out
