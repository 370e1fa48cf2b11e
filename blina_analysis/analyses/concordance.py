"""Concordance with the published paper: every number of the abstract beside this build's value.

Numbers only: :func:`concordance` says, per published number, what this build computed, the
difference and whether the two agree within the paper's rounding;
:func:`blina_analysis.report.tables.concordance_table` formats it for readers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from blina_analysis.analyses import registry
from blina_analysis.data.published import abstract_values
from blina_analysis.rounding import half_up

__all__ = ["concordance", "agrees", "ConcordanceRow"]


def _percent_candidates(rate: float) -> set[int]:
    """Whole percents a paper may print for ``rate``: rounded half-up, or truncated."""
    x = 100 * rate
    return {int(half_up(x)), int(math.floor(x + 1e-9))}


def agrees(kind: str, published: float, computed, percent: int | None = None) -> bool:
    """True when ``computed`` reproduces ``published`` within the paper's rounding.

    Counts must be equal. Rates agree when the computed rate, rounded half-up or truncated to a
    whole percent (the abstract does both: 25/66 → 38%, 11/66 → 16%), equals the published
    percent.
    """
    if computed is None:
        return False
    if kind == "count":
        return int(computed) == int(published)
    return round(100 * published) in _percent_candidates(float(computed))


@dataclass(frozen=True)
class ConcordanceRow:
    """One number of the abstract beside this build's value.

    Attributes
    ----------
    key : str
        The result's key in ``results.json``.
    kind : str
        ``"count"`` or ``"rate"``.
    published : float
        The abstract's count, or its rate 0–1.
    published_percent : int or None
        The percent the abstract prints beside a count.
    computed : float or None
        This build's value; None when these data cannot give it.
    denominator : int or None
        The denominator of a computed count's percent.
    difference : float or None
        computed − published (patients, or a rate difference 0–1); None when not computed.
    agrees : bool
        Whether the two agree within the paper's rounding (:func:`agrees`).
    sentence : str
        The abstract's sentence the number comes from.
    """

    key: str
    kind: str
    published: float
    published_percent: int | None
    computed: float | None
    denominator: int | None
    difference: float | None
    agrees: bool
    sentence: str


def concordance(results: dict) -> list[ConcordanceRow]:
    """One row per number of the abstract, in its order (``results`` is
    :func:`blina_analysis.analyses.results.compute_results` of this build)."""
    # the denominator of a count's percent is the registry's (responses not yet assessed are in
    # no denominator)
    denominators = {e.key: e.denominator for e in registry.entries() if e.denominator}
    rows = []
    for key, pv in abstract_values().items():
        value = results.get(key)
        denominator = None
        if pv.kind == "count" and value is not None and pv.percent is not None:
            denominator = results.get(denominators.get(key, ""), None) or None
        if value is None:
            difference = None
        elif pv.kind == "count":
            difference = int(value) - int(pv.value)
        else:
            difference = float(value) - float(pv.value)
        rows.append(ConcordanceRow(key, pv.kind, pv.value, pv.percent, value, denominator,
                                   difference, agrees(pv.kind, pv.value, value), pv.sentence))
    return rows
