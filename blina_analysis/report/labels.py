"""The results' labels in the reader's language.

The registry (:mod:`blina_analysis.analyses.registry`) declares each result's label once, in
English: a catalog message, or a :class:`~blina_analysis.analyses.registry.Label` composed of
messages (``"{who}: 2-year {endpoint} {origin}"`` with its parts). ``results.json`` keeps the
English text; every page that lists results shows it through :func:`result_label`, which looks
the message and each of its parts up in the catalog of the current language and composes them in
the translation's word order. In English the result is the registry's text, byte for byte.
"""

from __future__ import annotations

from blina_analysis.analyses import registry
from blina_analysis.analyses.registry import Label
from blina_analysis.i18n import _
from blina_analysis.report import fmt

__all__ = ["label_text", "result_label"]


def _part(part) -> str:
    """One field of a :class:`Label` in the current language."""
    if isinstance(part, Label):
        return _composed(part)
    if isinstance(part, str):
        return _(part)
    return fmt.number(part)


def label_text(label: str) -> str:
    """A label of the registry (a catalog message or a :class:`Label`) in the current language.

    A composed label begins with a capital letter, as every English label does: a translated
    part that opens it may be written in lower case for use inside a sentence.

    >>> label_text(Label("{who}: 2-year {endpoint}", who="R/R", endpoint="OS"))
    'R/R: 2-year OS'
    """
    if not isinstance(label, Label):
        return _(label)
    text = _composed(label)
    return text[:1].upper() + text[1:]


def _composed(label: Label) -> str:
    return _(label.message).format(**{name: _part(part) for name, part in label.parts.items()})


def result_label(key: str) -> str:
    """The reader's label of result ``key`` in the current language; a key not in the registry
    (e.g. one of an earlier edition's ``results.json``) as itself."""
    try:
        entry = registry.result(key)
    except KeyError:
        return key
    return label_text(entry.label)
