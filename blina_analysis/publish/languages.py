"""The languages of the book: which are built, where each one's pages go, and its Sphinx settings.

``_config.yml`` lists them (``languages: [en, ru]``); the first is the book's own language, in
which the chapters are written. One build (:func:`~.build.build_book`) builds every listed
language, or those ``--lang`` names, from one analysis:

``OUT/``
    the first language (English): the site's root, byte-identical to a one-language build but for
    the language switch and the ``hreflang`` alternates;
``OUT/<lang>/``
    each further language (``OUT/ru/``): a site of its own, with its own ``_static/``,
    ``downloads/``, ``results.json`` (the same file) and, in an edition, its own PDF.

So an edition of a versioned site is ``<edition>/`` and ``<edition>/ru/``, ``latest/`` serves both,
and an edition's archive holds both (``site/`` and ``site/ru/``).

The chapters of a further language are the same sources, executed with ``$BLINA_LANG`` set to the
language (the package's words: sentences, tables, figures) and rendered by Sphinx with
``language`` set to it, so that the prose is read from the chapters' catalogs
``locale/<lang>/LC_MESSAGES/<page>.po`` (one per page: ``gettext_compact = False``), made and
updated by ``blina translations update`` (:mod:`.translations`).
"""

from __future__ import annotations

import os

__all__ = ["LANGUAGES_KEY", "LANG_ENV", "LOCALE_DIR", "PRIMARY", "LANGUAGE_NAMES",
           "TRANSLATED_PAGES", "book_languages", "select_languages", "site_prefix", "language_config"]

#: The top-level key of ``_config.yml`` listing the book's languages (the first is its own).
LANGUAGES_KEY = "languages"
#: Environment variable telling a chapter's kernel (and :mod:`blina_analysis.i18n`) its language.
LANG_ENV = "BLINA_LANG"
#: Folder of the chapters' catalogs, at the book's root (Sphinx ``locale_dirs``).
LOCALE_DIR = "locale"
#: The book's own language when ``_config.yml`` lists none.
PRIMARY = "en"
#: How the language switch names each language, in that language (the reader's, not the page's).
LANGUAGE_NAMES = {"en": "English", "ru": "Русский"}

#: What myst-nb says that has no Russian in its own catalogs (set per language in the Sphinx
#: configuration; the themes' words their catalogs lack are in ``locale/<lang>/sphinx.po``, see
#: :mod:`.theme`). The chapters hide only code (``hide-input``): the words say so.
_NB_WORDS = {
    "ru": {"nb_code_prompt_show": "Показать исходный код ячейки",
           "nb_code_prompt_hide": "Скрыть исходный код ячейки"},
}


#: The pages whose catalogs are complete, per language: the build of that language fails on any
#: of their messages left untranslated. ``"*"`` stands for every page; it is the setting once the
#: chapters' prose is translated (issue 16). Until then the other pages show their English prose
#: around the Russian glued sentences.
TRANSLATED_PAGES: dict[str, tuple[str, ...]] = {"ru": (
    "index", "chapters/methods", "chapters/rr_results", "chapters/mrd_results",
    "chapters/transplant", "chapters/safety", "chapters/discussion", "chapters/concordance",
    "chapters/how_to_cite", "chapters/history", "chapters/references")}


def book_languages(config: dict) -> tuple[str, ...]:
    """The languages ``_config.yml`` lists, the book's own first (``("en",)`` if none)."""
    listed = config.get(LANGUAGES_KEY) or [PRIMARY]
    if isinstance(listed, str):
        listed = [listed]
    out = tuple(dict.fromkeys(str(lang).strip() for lang in listed if str(lang).strip()))
    return out or (PRIMARY,)


def select_languages(config: dict, wanted: tuple[str, ...] | None) -> tuple[str, ...]:
    """The languages to build: ``wanted`` (``--lang``, in the book's order) or all listed.

    Raises ``ValueError`` naming a language the book does not list.
    """
    listed = book_languages(config)
    if not wanted:
        return listed
    unknown = [lang for lang in wanted if lang not in listed]
    if unknown:
        raise ValueError(f"--lang {', '.join(unknown)}: the book's languages are "
                         f"{', '.join(listed)} (_config.yml, key {LANGUAGES_KEY!r})")
    return tuple(lang for lang in listed if lang in wanted)


def site_prefix(lang: str, languages: tuple[str, ...]) -> str:
    """Where ``lang``'s pages are, relative to the site's root: ``""`` or ``"ru/"``."""
    return "" if lang == languages[0] else f"{lang}/"


def language_config(config: dict, lang: str, languages: tuple[str, ...],
                    built: tuple[str, ...] | None = None) -> dict:
    """Set in the generated ``config`` (a copy of ``_config.yml``) what building ``lang`` needs.

    ``languages`` are the book's, ``built`` those this build makes (default all). Every language
    gets ``blina_languages`` (the switch and the ``hreflang`` alternates, to the built ones); a
    further language also its title and authors line (the site's words), Sphinx's ``language``
    (the theme's own translations, ``<html lang>``), the chapters' catalogs and myst-nb's words.
    Returns ``config``.
    """
    config.pop(LANGUAGES_KEY, None)  # ours, not Jupyter Book's
    sphinx = config.setdefault("sphinx", {}).setdefault("config", {})
    sphinx["blina_languages"] = {
        "current": lang,
        "prefixes": {other: site_prefix(other, languages) for other in (built or languages)}}
    if lang != languages[0]:
        from blina_analysis.publish.site_words import words

        # the book's title and authors line (the theme's header, every page's <title>)
        for key in ("title", "author"):
            if config.get(key):
                config[key] = words(lang)(str(config[key]))
        sphinx["language"] = lang
        sphinx["locale_dirs"] = [LOCALE_DIR]
        sphinx["gettext_compact"] = False
        sphinx.update(_NB_WORDS.get(lang, {}))
        sphinx["blina_translated_pages"] = list(TRANSLATED_PAGES.get(lang, ()))
    return config


def kernel_language() -> str:
    """The language a chapter's kernel renders in (``$BLINA_LANG``, else the book's own)."""
    return os.environ.get(LANG_ENV, "").strip() or PRIMARY
