"""What the theme writes that is not in the reader's language or not accessible, fixed per page.

The themes (pydata-sphinx-theme, sphinx-book-theme) and myst-nb translate most of their words
through gettext; where their own Russian catalogs lack a word, the book's catalog
``locale/<lang>/LC_MESSAGES/sphinx.po`` supplies it (Sphinx reads a ``sphinx.po`` in
``locale_dirs`` before the themes' catalogs; it holds only what theirs lack). A few words the
templates write as plain English, outside gettext; :func:`fix_page` translates them with the same
catalog, and makes the theme's markup pass WCAG 2.1 A/AA (axe-core,
``tests/book/test_accessibility.py``):

* ``label-content-name-mismatch``: a control's accessible name must contain its visible text.
  The search button says "Search Ctrl+K" but is named "Search" (its ``aria-label`` goes: the
  name is the text); the colour-mode button is named "Colour mode" but shows the current mode's
  icon, whose ``title`` Font Awesome turns into visible text (the icons become decorative); the
  code cells' ``<summary>`` says "Show code cell source" but is named "Toggle hidden content"
  (myst-nb; the ``aria-label`` goes).
* ``scrollable-region-focusable``: a wide table scrolls in its own box (``blina.css``), which a
  keyboard must reach: the book's tables get ``tabindex="0"`` (named by their caption).
* ``aria-deprecated-role`` / ``aria-required-children``: docutils marks citations
  ``role="doc-biblioentry"`` (deprecated in DPUB-ARIA 1.1) inside a ``role="list"``: they become
  ``role="listitem"`` (so the list's items are list items, and their links inside them).
"""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["TEMPLATE_WORDS", "fix_page"]

#: Words the themes' templates write in English outside gettext: ``(markup, word)``, the word
#: translated inside that exact markup.
TEMPLATE_WORDS: tuple[tuple[str, str], ...] = (
    ('<button class="sidebar-toggle primary-toggle btn btn-sm" title="{}"',
     "Toggle primary sidebar"),
    ('<button class="sidebar-toggle secondary-toggle btn btn-sm pst-navbar-icon" title="{}"',
     "Toggle secondary sidebar"),
    ('<nav class="bd-links bd-docs-nav" aria-label="{}">', "Main"),
    ('<nav aria-label="{}">', "Page"),
)

_SEARCH_BUTTON = re.compile(
    r'(<button class="btn search-button-field search-button__button pst-js-only" '
    r'title="[^"]*") aria-label="[^"]*"')
_THEME_ICON = re.compile(r'(<i class="theme-switch [^"]*" data-mode="\w+") *title="[^"]*">')
_SUMMARY = '<summary aria-label="Toggle hidden content">'
_TABLE = re.compile(r'<table class="(?P<cls>[^"]*\bblina-table\b[^"]*)"(?![^>]*tabindex)')
_CITATION = 'role="doc-biblioentry"'


def fix_page(page: str, translate: Callable[[str], str] | None = None) -> str:
    """The rendered HTML ``page`` with the theme's English words translated by ``translate``
    (``None``: English, left as written) and its markup made accessible (module docstring)."""
    if translate is not None:
        for markup, word in TEMPLATE_WORDS:
            english = markup.format(word)
            if english in page:
                page = page.replace(english, markup.format(_attribute(translate(word))))
    page = _SEARCH_BUTTON.sub(r"\1", page)
    page = _THEME_ICON.sub(r'\1 aria-hidden="true">', page)
    page = page.replace(_SUMMARY, "<summary>")
    page = _TABLE.sub(lambda m: f'<table class="{m["cls"]}" tabindex="0"', page)
    return page.replace(_CITATION, 'role="listitem"')


def _attribute(text: str) -> str:
    import html

    return html.escape(text, quote=True)

