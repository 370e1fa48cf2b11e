"""The package's languages: gettext catalogs, the current language, and the check that they are
complete.

Every word a reader or a data manager sees is written in English in the code, marked for
translation, and looked up at run time in the catalog of the current language
(``blina_analysis/locale/<lang>/LC_MESSAGES/blina.po``, domain ``blina``, Babel's tools):

* ``_("text")`` — a sentence or label;
* ``ngettext("{n} patient", "{n} patients", n)`` — a count-dependent noun: the catalog's
  ``Plural-Forms`` chooses the form (Russian has three: 1 пациент, 2 пациента, 5 пациентов);
* ``pgettext("sex", "M")`` — a word whose translation depends on where it stands;
* ``N_("text")`` — marks a constant declared at import time (a column's meaning); it is translated
  where it is shown, with ``_(constant)``.

Placeholders are named and filled with :meth:`str.format` after the look-up
(``_("{file}: {n} problems found").format(...)``), so that a translation may reorder them.

The current language is ``"en"`` unless :func:`use_language` says otherwise, or the environment
variable ``BLINA_LANG`` (read by the chapters' kernels) names another. The command line takes
``--lang``, by default the language of the locale (:func:`language_from_environment`:
``LANG=ru_RU.UTF-8`` gives ``"ru"``). English is the source language: its catalog only has to list
every message (an empty translation is the English text itself), so English output is the code's
own text, byte for byte.

The ``.po`` files are the only catalogs committed: they are compiled in memory on first use
(no ``.mo`` to rebuild or go stale). :func:`check_catalogs` lists every message of the code that a
catalog lacks, leaves untranslated or fuzzy, and every message a catalog keeps that the code no
longer has; the build refuses to start while it lists anything.

This is a foundation module: it imports nothing from the package's other layers.
"""

from __future__ import annotations

import contextvars
import io
import os
import re
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Iterator

__all__ = [
    "DOMAIN",
    "LANGUAGES",
    "DEFAULT_LANGUAGE",
    "LANG_ENV",
    "LOCALE_DIR",
    "PACKAGE_DIR",
    "KEYWORDS",
    "METHOD_MAP",
    "CatalogProblem",
    "current_language",
    "use_language",
    "set_language",
    "normalize_language",
    "language_from_environment",
    "translations",
    "_",
    "N_",
    "gettext",
    "ngettext",
    "pgettext",
    "npgettext",
    "extract_messages",
    "check_catalogs",
    "catalog_report",
    "main",
]

#: The gettext domain: ``locale/<lang>/LC_MESSAGES/blina.po``.
DOMAIN = "blina"
#: The languages of the book, the source language first.
LANGUAGES = ("en", "ru")
DEFAULT_LANGUAGE = "en"
#: The environment variable that sets the language of a process (the chapters' kernels).
LANG_ENV = "BLINA_LANG"
PACKAGE_DIR = Path(__file__).resolve().parent
LOCALE_DIR = PACKAGE_DIR / "locale"
#: Which files are read for messages (the same as ``babel.cfg``).
METHOD_MAP = [("**.py", "python")]


#: The marking functions Babel's extractor reads: its defaults (which ``pybabel extract`` reads
#: too; ``tests/test_i18n.py`` checks they are all here) and the data contract's declarations,
#: whose meanings and rules data managers read: the argument of these constructors at this
#: position (``pybabel extract -k ColumnSpec:3 -k FieldSpec:3 -k RowRule:2``), translated where
#: shown with ``_(spec.meaning)``.
KEYWORDS = {
    "_": None, "gettext": None, "ngettext": (1, 2), "ugettext": None, "ungettext": (1, 2),
    "dgettext": (2,), "dngettext": (2, 3), "N_": None, "pgettext": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3), "dpgettext": ((2, "c"), 3), "dnpgettext": ((2, "c"), 3, 4),
    "ColumnSpec": (3,), "FieldSpec": (3,), "RowRule": (2,),
}

_current: contextvars.ContextVar[str | None] = contextvars.ContextVar("blina_language",
                                                                     default=None)


# --- the current language ---------------------------------------------------------------------

def normalize_language(value: str | None) -> str | None:
    """The book's language a locale name or language code stands for, or None.

    ``"ru"``, ``"RU"``, ``"ru_RU.UTF-8"``, ``"ru-RU"`` give ``"ru"``; ``"C"``, ``"POSIX"``,
    ``"de_DE"`` and empty give None (no language of the book).
    """
    if not value:
        return None
    code = re.split(r"[_.@-]", value.strip(), maxsplit=1)[0].lower()
    return code if code in LANGUAGES else None


def _checked(lang: str) -> str:
    code = normalize_language(lang)
    if code is None:
        raise ValueError(f"unknown language {lang!r}; the book's languages: "
                         f"{', '.join(LANGUAGES)}")
    return code


def current_language() -> str:
    """The language messages and numbers are given in now.

    The innermost :func:`use_language` (or :func:`set_language`), else ``BLINA_LANG`` from the
    environment, else ``"en"``. The locale (``LANG``) does not count here: a book built on a
    Russian desktop is still the English edition unless asked; the command line reads it
    (:func:`language_from_environment`).
    """
    lang = _current.get()
    if lang is not None:
        return lang
    return normalize_language(os.environ.get(LANG_ENV)) or DEFAULT_LANGUAGE


def set_language(lang: str | None) -> contextvars.Token:
    """Set the current language of this context (None: back to the default); returns the token
    :meth:`contextvars.ContextVar.reset` takes. Prefer :func:`use_language`."""
    return _current.set(None if lang is None else _checked(lang))


@contextmanager
def use_language(lang: str) -> Iterator[str]:
    """Within the ``with`` block, messages and numbers are in ``lang`` (``"en"`` or ``"ru"``;
    locale names such as ``"ru_RU.UTF-8"`` are accepted).

    >>> with use_language("ru"):
    ...     current_language()
    'ru'
    """
    token = set_language(lang)
    try:
        yield _current.get()
    finally:
        _current.reset(token)


def language_from_environment(environ=None) -> str:
    """The language of a command-line user: ``BLINA_LANG``, else the locale's messages language
    (the first of ``LC_ALL``, ``LC_MESSAGES``, ``LANG`` that is set), when it is one of the book's
    languages; else ``"en"``.

    >>> language_from_environment({"LANG": "ru_RU.UTF-8"})
    'ru'
    """
    environ = os.environ if environ is None else environ
    explicit = normalize_language(environ.get(LANG_ENV))
    if explicit:
        return explicit
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name)
        if value:
            return normalize_language(value) or DEFAULT_LANGUAGE
    return DEFAULT_LANGUAGE


# --- looking up -------------------------------------------------------------------------------

def _po_path(lang: str, locale_dir: Path = LOCALE_DIR) -> Path:
    return Path(locale_dir) / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=None)
def translations(lang: str):
    """The compiled catalog of ``lang`` (a :class:`gettext.GNUTranslations`), read from its
    ``.po`` once per process.

    Messages without a translation, and fuzzy ones, are left out, so that they read as their
    English source; the build refuses a catalog that has any (:func:`check_catalogs`).
    """
    import gettext as _gettext

    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    path = _po_path(_checked(lang))
    if not path.is_file():
        return _gettext.NullTranslations()
    with open(path, "rb") as fh:
        catalog = read_po(fh, locale=lang, domain=DOMAIN)
    for message in list(catalog):
        if message.id and not _translated(message, catalog.num_plurals):
            catalog.delete(message.id, context=message.context)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return _gettext.GNUTranslations(buffer)


def _translated(message, num_plurals: int) -> bool:
    if message.fuzzy:
        return False
    if message.pluralizable:
        strings = message.string if isinstance(message.string, (list, tuple)) else ()
        return len(strings) == num_plurals and all(strings)
    return bool(message.string)


def gettext(message: str) -> str:
    """``message`` in the current language."""
    return translations(current_language()).gettext(message)


def _(message: str) -> str:
    """``message`` in the current language (the usual short name of :func:`gettext`)."""
    return translations(current_language()).gettext(message)


def N_(message: str) -> str:
    """Marks ``message`` for the catalogs without translating it (a constant declared at import
    time); translate it where it is shown, with ``_(message)``."""
    return message


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form of a count-dependent message for ``n``, by the catalog's plural rule.

    >>> ngettext("{n} patient", "{n} patients", 21).format(n=21)
    '21 patients'
    """
    return translations(current_language()).ngettext(singular, plural, int(n))


def pgettext(context: str, message: str) -> str:
    """``message`` in the current language, in ``context`` (e.g. ``pgettext("sex", "M")``)."""
    return translations(current_language()).pgettext(context, message)


def npgettext(context: str, singular: str, plural: str, n: int) -> str:
    """:func:`ngettext` in ``context``."""
    return translations(current_language()).npgettext(context, singular, plural, int(n))


# --- the catalogs against the code ------------------------------------------------------------

@dataclass(frozen=True)
class CatalogProblem:
    """One way a catalog lags behind the code.

    ``kind`` is ``"missing"`` (the code has the message, the catalog not), ``"untranslated"``,
    ``"fuzzy"``, ``"stale"`` (the catalog keeps a message the code no longer has, obsolete ``#~``
    entries included), ``"placeholders"`` (the translation names other ``{placeholders}``
    than the message) or ``"f-string"`` (a marked f-string, which no catalog can hold:
    ``lang`` is ``"code"``); ``where`` is ``file:line`` in the code, or in the catalog for a
    stale message.
    """

    lang: str
    kind: str
    msgid: str
    where: str
    context: str | None = None

    def __str__(self) -> str:
        context = f" (context {self.context!r})" if self.context else ""
        return f"{self.lang}: {self.kind} message {self.msgid!r}{context} at {self.where}"


def extract_messages(source_dir: Path = PACKAGE_DIR, skipped: list[str] | None = None):
    """The messages marked in the code under ``source_dir``, as a Babel catalog (the ``.pot``
    that ``pybabel extract`` writes), with each message's ``file:line`` locations.

    A marked f-string with substitutions cannot be a message (its text is not known before it
    runs); Babel skips it with a warning, which is added to ``skipped`` as ``file:line``.
    """
    import contextlib

    from babel.messages.catalog import Catalog
    from babel.messages.extract import extract_from_dir

    source_dir = Path(source_dir)
    template = Catalog(domain=DOMAIN, project="blina-analysis", fuzzy=False)
    warnings = io.StringIO()
    with contextlib.redirect_stderr(warnings):
        found = list(extract_from_dir(str(source_dir), METHOD_MAP, keywords=KEYWORDS,
                                      comment_tags=("TRANSLATORS:",), strip_comment_tags=True))
    for line in warnings.getvalue().splitlines():
        where = re.match(r"(.*?):(\d+): warning: Skipping f-string", line)
        if where and skipped is not None:
            path = Path(where.group(1))
            if path.is_relative_to(source_dir):
                path = Path(source_dir.name) / path.relative_to(source_dir)
            skipped.append(f"{path.as_posix()}:{where.group(2)}")
    for filename, lineno, message, comments, context in found:
        path = f"{source_dir.name}/{Path(filename).as_posix()}"
        template.add(message, None, [(path, lineno)], auto_comments=comments, context=context,
                     flags=("python-brace-format",) if _placeholders(message) else ())
    return template


_PLACEHOLDER = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)(?:[!:][^{}]*)?\}")


def _placeholders(message) -> frozenset[str]:
    texts = message if isinstance(message, (list, tuple)) else (message,)
    return frozenset(name for text in texts if text for name in _PLACEHOLDER.findall(text))


def _key(message) -> tuple[str, str | None]:
    msgid = message.id[0] if isinstance(message.id, (list, tuple)) else message.id
    return msgid, message.context


def _first_location(message) -> str:
    if message.locations:
        file, line = message.locations[0]
        return f"{file}:{line}"
    return "?"


def check_catalogs(locale_dir: Path = LOCALE_DIR, source_dir: Path = PACKAGE_DIR,
                   languages: tuple[str, ...] = LANGUAGES) -> list[CatalogProblem]:
    """Every way the catalogs lag behind the code; empty when they are complete.

    For each language: every message of the code must be in its ``.po``, neither fuzzy nor
    (except in the source language, English) untranslated, with every plural form filled and the
    same placeholders; the ``.po`` may keep no message the code no longer has (obsolete ``#~``
    entries included). The template ``locale/blina.pot`` must list exactly the code's messages.
    """
    from babel.messages.pofile import read_po

    locale_dir = Path(locale_dir)
    skipped: list[str] = []
    code = extract_messages(source_dir, skipped)
    wanted = {_key(m): m for m in code if m.id}
    problems = [CatalogProblem("code", "f-string", "(an f-string with substitutions: write "
                               "_(\"... {name} ...\").format(name=...))", where)
                for where in skipped]

    def compare(lang: str, path: Path, check_strings: bool) -> None:
        if not path.is_file():
            for key, m in wanted.items():
                problems.append(CatalogProblem(lang, "missing", key[0], _first_location(m), key[1]))
            return
        with open(path, "rb") as fh:
            catalog = read_po(fh, locale=None if lang == "pot" else lang, domain=DOMAIN)
        have = {_key(m): m for m in catalog if m.id}
        rel = path.relative_to(locale_dir.parent.parent) \
            if path.is_relative_to(locale_dir.parent.parent) else path
        for key, m in wanted.items():
            entry = have.get(key)
            if entry is None:
                problems.append(CatalogProblem(lang, "missing", key[0], _first_location(m), key[1]))
                continue
            if not check_strings:
                continue
            if entry.fuzzy:
                problems.append(CatalogProblem(lang, "fuzzy", key[0], _first_location(m), key[1]))
            elif lang != DEFAULT_LANGUAGE and not _translated(entry, catalog.num_plurals):
                problems.append(CatalogProblem(lang, "untranslated", key[0], _first_location(m),
                                               key[1]))
            elif _translated(entry, catalog.num_plurals) and \
                    _placeholders(entry.string) != _placeholders(m.id):
                problems.append(CatalogProblem(lang, "placeholders", key[0], _first_location(m),
                                               key[1]))
        for key, entry in have.items():
            if key not in wanted:
                problems.append(CatalogProblem(lang, "stale", key[0],
                                               f"{rel}:{getattr(entry, 'lineno', None) or '?'}",
                                               key[1]))
        for key, entry in catalog.obsolete.items():
            key = _key(entry)
            problems.append(CatalogProblem(lang, "stale", key[0],
                                           f"{rel}:{getattr(entry, 'lineno', None) or '?'} "
                                           "(obsolete #~ entry)", key[1]))

    compare("pot", locale_dir / f"{DOMAIN}.pot", check_strings=False)
    for lang in languages:
        compare(lang, _po_path(lang, locale_dir), check_strings=True)
    return problems


def catalog_report(problems: list[CatalogProblem]) -> str:
    """The problems of :func:`check_catalogs` as the text a failed build prints, with the
    commands that bring the catalogs up to date."""
    lines = [f"the translation catalogs lag behind the code ({len(problems)} "
             f"problem{'s' if len(problems) != 1 else ''}):"]
    lines += [f"  {p}" for p in problems]
    lines.append("bring them up to date (README, 'Translating'): pybabel extract, pybabel update, "
                 "then translate each message and remove its fuzzy flag")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """``python -m blina_analysis.i18n``: print what the catalogs lack (exit 1), or that they are
    complete (exit 0) — the check the build runs."""
    problems = check_catalogs()
    if problems:
        print(catalog_report(problems))
        return 1
    print(f"catalogs complete: {', '.join(LANGUAGES)} ({DOMAIN}, {LOCALE_DIR})")
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
