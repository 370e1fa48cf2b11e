"""The site's own words in the page's language: edition bar, switchers, banner, citation box, PDF.

The words are written in English in the code and looked up in the catalog
``publish/locale/<lang>/LC_MESSAGES/site.po`` (read with Babel; no compiled ``.mo`` is needed).
A word the catalog lacks, or has empty or fuzzy, is an error naming it
(:class:`~blina_analysis.errors.BuildError`): the Russian edition never shows an English word
of ours. When :mod:`blina_analysis.i18n` holds the package's catalogs, these words can move there
(one more domain); the calls stay ``words(lang)("...")``. Until then the callers bind the
function to ``say``, never ``_``: ``_`` marks the package's own messages (domain ``blina``,
:func:`blina_analysis.i18n.check_catalogs`), which would otherwise claim these words too.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path

from blina_analysis.errors import BuildError

__all__ = ["CATALOG_DIR", "words", "catalog_problems", "local_date"]

#: Where the site's catalogs are: ``<lang>/LC_MESSAGES/site.po``.
CATALOG_DIR = Path(__file__).resolve().parent / "locale"
_DOMAIN = "site"


@functools.lru_cache(maxsize=None)
def _catalog(lang: str) -> dict[str, str]:
    from babel.messages.pofile import read_po

    path = CATALOG_DIR / lang / "LC_MESSAGES" / f"{_DOMAIN}.po"
    if not path.is_file():
        raise BuildError(f"{path}: no catalog of the site's words for language {lang!r}")
    with open(path, "rb") as handle:
        catalog = read_po(handle, locale=lang)
    return {m.id: m.string for m in catalog if m.id and m.string and not m.fuzzy}


def words(lang: str) -> Callable[[str], str]:
    """The translation function of ``lang`` (English: the words as written).

    The function raises BuildError for a word its catalog does not translate.
    """
    if lang == "en":
        return lambda text: text
    catalog = _catalog(lang)

    def translate(text: str) -> str:
        try:
            return catalog[text]
        except KeyError:
            raise BuildError(
                f"{CATALOG_DIR / lang / 'LC_MESSAGES' / (_DOMAIN + '.po')}: no translation of "
                f"{text!r} (missing, empty or fuzzy)") from None

    return translate


def catalog_problems(lang: str, wanted: list[str]) -> list[str]:
    """The words of ``wanted`` that ``lang``'s catalog does not translate (missing/empty/fuzzy)."""
    catalog = _catalog(lang)
    return [w for w in wanted if w not in catalog]


def local_date(iso: str, lang: str) -> str:
    """An ISO date (``2018-06-30``) as ``lang`` writes it: Russian ``30.06.2018``; anything else
    (English, or not an ISO date) as it is."""
    import re

    if lang == "en" or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", iso):
        return iso
    year, month, day = iso.split("-")
    return f"{day}.{month}.{year}"
