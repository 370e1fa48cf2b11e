"""The values the prose of each page shows, as text: one module per page.

Each module has a ``values(an, build)`` function returning a dict with **literal** keys (so
``grep rr_prior_hsct_response`` finds where a glued value comes from) and exactly the keys its
page glues; a test checks every page's glue keys against its module. Phrases that several pages
show are functions of the module of the page that owns them (the abstract reuses
:func:`.rr_results.response`, for example). Numbers become text only through
:mod:`blina_analysis.report.fmt`.
"""

from __future__ import annotations

from importlib import import_module

from blina_analysis.analyses import Analysis
from blina_analysis.i18n import current_language
from blina_analysis.report.text.edition import BuildFacts

__all__ = ["PAGES", "page_values", "BuildFacts"]

#: Book page (path without suffix) -> module of this package holding its values.
PAGES = {
    "index": "index",
    "chapters/methods": "methods",
    "chapters/rr_results": "rr_results",
    "chapters/mrd_results": "mrd_results",
    "chapters/transplant": "transplant",
    "chapters/safety": "safety",
    "chapters/discussion": "discussion",
    "chapters/concordance": "concordance",
    "chapters/how_to_cite": "how_to_cite",
}


def page_values(page: str, an: Analysis, build: BuildFacts = BuildFacts()) -> dict[str, str]:
    """The text values of ``page`` (a key of :data:`PAGES`, e.g. ``"chapters/rr_results"``).

    ``build`` is what the publishing layer knows of this build (edition, source commit); the
    chapters' face passes it, and without it those two read "unknown".
    """
    if page not in PAGES:
        raise KeyError(f"no text module for page {page!r}; pages: {', '.join(PAGES)}")
    module = import_module(f"{__name__}.{PAGES[page]}")
    # the sentences are words: one set per language (a warm kernel renders the chapters of
    # every language from the same cached analysis)
    return dict(an._cached(("text", page, build, current_language()),
                           lambda: module.values(an, build)))
