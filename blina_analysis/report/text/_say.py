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

__all__ = ["or_reason", "sentences", "and_join", "plural", "counted", "of_them"]


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


def plural(n: int, one: str, many: str) -> str:
    """``one`` when ``n`` is 1, else ``many``: English only. A sentence with a count takes its
    forms from ``ngettext`` in the catalogs, so that each language chooses among its own (Russian
    has three); this stays for the pages not yet translated."""
    return one if int(n) == 1 else many


def counted(n: int, one: str, many: str, none: str | None = None) -> str:
    """``"1 patient"``, ``"3 patients"``; ``none`` (e.g. ``"no patient"``) for 0 when given.

    English only, like :func:`plural`: a translated sentence uses ``ngettext``."""
    if int(n) == 0 and none is not None:
        return none
    return f"{int(n)} {plural(n, one, many)}"


def of_them(n: int, one: str, many: str) -> str:
    """``"24 of them responders"``, ``"1 of them a responder"``, ``"none of them a
    responder"``: how many of a group just counted are ``one``/``many`` (English only, like
    :func:`plural`)."""
    if int(n) == 0:
        return f"none of them {_article(one)}"
    if int(n) == 1:
        return f"1 of them {_article(one)}"
    return f"{int(n)} of them {many}"


def _article(noun: str) -> str:
    """``"a responder"``; an adjective (``"MRD-negative"``) goes without an article."""
    if noun[:1].isupper() or "-" in noun:
        return noun
    return f"{'an' if noun[:1] in 'aeiou' else 'a'} {noun}"
