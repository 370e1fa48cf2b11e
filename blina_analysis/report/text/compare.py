"""Comparison words, chosen from the values in one place.

Every word of the prose that compares two values — higher/lower, more/fewer, more or fewer than
half, favours, supports — is chosen here from the values themselves, never typed into a sentence
by hand and never read back from text. :func:`direction` says how ``a`` stands to ``b``
(:data:`HIGHER`, :data:`LOWER` or :data:`EQUAL`); :func:`word` turns a direction into the words
of one kind of comparison, read from :data:`ENGLISH`, the one table of these words. Every word of
the table is a message of the catalogs (``pgettext`` with the kind as its context), so an edition
in another language reads the same table in its language (:func:`words_for`) and the same values
give the same choice of words in every language.

Equality is exact: two proportions with the same n/N ratio are equal (``1/3`` and ``2/6``),
and two values that merely print alike are not (compare the printed values if that is meant).
"""

from __future__ import annotations

import math
from fractions import Fraction
from functools import lru_cache
from typing import Mapping

from blina_analysis.i18n import LANGUAGES, current_language, pgettext, use_language

__all__ = ["HIGHER", "LOWER", "EQUAL", "ENGLISH", "direction", "direction_of_share", "word",
           "share_word", "words_for", "claim_of_difference", "claim_of_majority"]

HIGHER = "higher"
LOWER = "lower"
EQUAL = "equal"

#: The comparison words of the English edition: kind of comparison -> direction -> words.
#: ``rate``: a rate or share against another; ``count``: a number of patients against another;
#: ``share``: a share against one half, before a plural noun ("fewer than half of the R/R
#: patients"); ``majority``: the same, with "most" for a majority ("in most patients");
#: ``effect``: a treatment's effect in one group against another; ``agreement``: whether
#: this build's values agree with a published direction (HIGHER = they agree);
#: ``crude_relapse``: what the crude comparison of relapse after a transplant against relapse
#: without one shows (it is biased towards transplantation by design whatever it shows);
#: ``claim``: what this build's data say of a published claim (:func:`claim_of_difference`,
#: :func:`claim_of_majority`): HIGHER = they support it, LOWER = they run against it,
#: EQUAL = they do not establish it either way.
ENGLISH: Mapping[str, Mapping[str, str]] = {
    "rate": {HIGHER: "higher", LOWER: "lower", EQUAL: "the same"},
    "count": {HIGHER: "more", LOWER: "fewer", EQUAL: "as many"},
    "share": {HIGHER: "more than half of the", LOWER: "fewer than half of the",
             EQUAL: "half of the"},
    "majority": {HIGHER: "most", LOWER: "fewer than half of the", EQUAL: "half of the"},
    "effect": {HIGHER: "more effective", LOWER: "less effective", EQUAL: "as effective"},
    # direction only: a subgroup difference of a small trial is descriptive, not a proof
    "agreement": {HIGHER: "agrees in direction with", LOWER: "runs against",
                  EQUAL: "does not bear out"},
    "claim": {HIGHER: "supports", LOWER: "runs against", EQUAL: "does not establish"},
    "crude_relapse": {
        LOWER: "a crude comparison that favours transplantation by design",
        EQUAL: "no difference, in a crude comparison that favours transplantation by design",
        HIGHER: ("more relapse after a transplant, even in a crude comparison that favours "
                 "transplantation by design"),
    },
}


@lru_cache(maxsize=None)
def _translated(language: str) -> Mapping[str, Mapping[str, str]]:
    """:data:`ENGLISH` looked up in the catalog of ``language``, each word with its kind as the
    context (the same English word may need different words in different kinds)."""
    with use_language(language):
        # looked up by a name the extractor does not read: the messages are marked below
        lookup = pgettext
        return {kind: {way: lookup("comparison: " + kind, text) for way, text in words.items()}
                for kind, words in ENGLISH.items()}


def _marked_words() -> None:
    """Never called: the words of :data:`ENGLISH` with their contexts, for the extractor (the
    table above is the one the code reads)."""
    pgettext("comparison: rate", "higher"), pgettext("comparison: rate", "lower")
    pgettext("comparison: rate", "the same")
    pgettext("comparison: count", "more"), pgettext("comparison: count", "fewer")
    pgettext("comparison: count", "as many")
    pgettext("comparison: share", "more than half of the")
    pgettext("comparison: share", "fewer than half of the")
    pgettext("comparison: share", "half of the")
    pgettext("comparison: majority", "most")
    pgettext("comparison: majority", "fewer than half of the")
    pgettext("comparison: majority", "half of the")
    pgettext("comparison: effect", "more effective"), pgettext("comparison: effect", "less effective")
    pgettext("comparison: effect", "as effective")
    pgettext("comparison: agreement", "agrees in direction with")
    pgettext("comparison: agreement", "runs against")
    pgettext("comparison: agreement", "does not bear out")
    pgettext("comparison: claim", "supports"), pgettext("comparison: claim", "runs against")
    pgettext("comparison: claim", "does not establish")
    pgettext("comparison: crude_relapse", "a crude comparison that favours transplantation by design")
    pgettext("comparison: crude_relapse",
             "no difference, in a crude comparison that favours transplantation by design")
    pgettext("comparison: crude_relapse",
             "more relapse after a transplant, even in a crude comparison that favours "
             "transplantation by design")


def words_for(language: str | None = None) -> Mapping[str, Mapping[str, str]]:
    """The table of comparison words of ``language`` (``"en"``, ``"ru"``; by default the current
    language)."""
    language = language or current_language()
    if language not in LANGUAGES:
        raise KeyError(f"no comparison words for language {language!r}; known: "
                       f"{', '.join(sorted(LANGUAGES))}")
    return ENGLISH if language == "en" else _translated(language)


def _exact(x) -> Fraction:
    """``x`` as an exact fraction: an ``(n, N)`` pair as n/N, a number as itself."""
    if isinstance(x, tuple):
        n, total = x
        if not total:
            raise ValueError(f"a share of nobody cannot be compared: {n}/{total}")
        return Fraction(int(n), int(total))
    x = float(x)
    if math.isnan(x):
        raise ValueError("a missing value (NaN) cannot be compared")
    return Fraction(x)


def direction(a, b) -> str:
    """How ``a`` stands to ``b``: :data:`HIGHER`, :data:`LOWER` or :data:`EQUAL`.

    ``a`` and ``b`` are numbers, or ``(n, N)`` pairs compared exactly as n/N.

    >>> direction(0.21, 0.55), direction((1, 3), (2, 6)), direction(5, 2)
    ('lower', 'equal', 'higher')

    Raises ``ValueError`` for a missing value or a share of nobody: there is no direction to say.
    """
    x, y = _exact(a), _exact(b)
    return HIGHER if x > y else LOWER if x < y else EQUAL


def direction_of_share(share) -> str:
    """How a share (a fraction 0–1, or an ``(n, N)`` pair) stands to one half."""
    return direction(share, (1, 2))


def word(kind: str, a, b, language: str | None = None) -> str:
    """The words of ``kind`` (a key of :data:`ENGLISH`) for ``a`` against ``b``.

    >>> word("rate", 0.73, 0.59), word("count", 3, 3)
    ('higher', 'as many')
    """
    return words_for(language)[kind][direction(a, b)]


def share_word(share, kind: str = "share", language: str | None = None) -> str:
    """``"fewer than half of the"``, ``"half of the"``, ``"more than half of the"`` (``kind``
    ``"share"``) or ``"most"`` (``kind`` ``"majority"``): a share against one half."""
    return words_for(language)[kind][direction_of_share(share)]


def claim_of_difference(a, b, p_value: float, alpha: float) -> str:
    """What a comparison says of the claim "``a`` is higher than ``b``": :data:`HIGHER` when
    ``a`` is higher and the test rejects equality (``p_value < alpha``), :data:`LOWER` when
    ``a`` is lower and the test rejects it, :data:`EQUAL` otherwise (no test, or a difference
    compatible with chance: the claim is not established).

    >>> claim_of_difference((11, 13), (17, 28), 0.16, 0.05), claim_of_difference(0.8, 0.2, 0.01, 0.05)
    ('equal', 'higher')
    """
    if p_value is None or math.isnan(float(p_value)) or not float(p_value) < alpha:
        return EQUAL
    return direction(a, b)


def claim_of_majority(ci_low: float, ci_high: float) -> str:
    """What a rate's confidence interval says of the claim "most patients": :data:`HIGHER` when
    the whole interval lies above one half, :data:`LOWER` when it lies below, :data:`EQUAL`
    when it contains one half (the claim is not established).

    >>> claim_of_majority(0.29, 0.76), claim_of_majority(0.52, 0.9), claim_of_majority(0.1, 0.4)
    ('equal', 'higher', 'lower')
    """
    if direction(ci_low, (1, 2)) == HIGHER:
        return HIGHER
    if direction(ci_high, (1, 2)) == LOWER:
        return LOWER
    return EQUAL
