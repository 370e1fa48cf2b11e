"""Sentences whose content depends on what the data allow.

Where a population is empty or an analysis has no information, the analysis layer raises
:class:`~blina_analysis.errors.NoInformation` with a sentence that says why; the page modules put
that sentence where the result would have been, so every glued value is a whole, true sentence.
"""

from __future__ import annotations

from typing import Callable

from blina_analysis.errors import NoInformation
from blina_analysis.i18n import _
from blina_analysis.report.text.reasons import explain

__all__ = ["or_reason", "sentences", "and_join"]


def or_reason(make: Callable[[], str]) -> str:
    """``make()``, or the reason it has no information in this dataset."""
    try:
        return make()
    except NoInformation as exc:
        return explain(exc)


def sentences(*parts: str | None) -> str:
    """Sentences joined by a space, leaving out empty ones and repeated ones."""
    out: list[str] = []
    for p in parts:
        if p and p not in out:
            out.append(p)
    return " ".join(out)


def and_join(items: list[str], sep: str = ", ") -> str:
    """``"a"``, ``"a and b"``, ``"a, b and c"``."""
    if len(items) <= 1:
        return "".join(items)
    # TRANSLATORS: the end of a list: "a, b and c" ({items} is "a, b", {last} is "c")
    return _("{items} and {last}").format(items=sep.join(items[:-1]), last=items[-1])
