"""Concordance with the published paper: every number of the abstract beside this build's value."""

from __future__ import annotations

import math

import pandas as pd

from blina_analysis.analyses.results import result_label
from blina_analysis.data.published import abstract_values
from blina_analysis.report import fmt

__all__ = ["concordance_table", "agrees", "published_text"]

#: Shown for a published number these data cannot give (results.json says why).
_NOT_AVAILABLE = "not available"


def _percent_candidates(rate: float) -> set[int]:
    """Whole percents a paper may print for ``rate``: rounded half-up, or truncated."""
    x = 100 * rate
    return {int(fmt.number(x, 0)), int(math.floor(x + 1e-9))}


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


def published_text(pv) -> str:
    """A published value as the abstract prints it: ``"29 (67%)"``, ``"85%"``.

    ``pv`` is a :class:`~blina_analysis.data.published.PublishedValue`.
    """
    if pv.kind == "count":
        return str(int(pv.value)) + (f" ({pv.percent}%)" if pv.percent is not None else "")
    return fmt.pct(pv.value)


def concordance_table(results: dict) -> pd.DataFrame:
    """One row per number of the abstract: published, computed, difference, agreement.

    ``results`` is :func:`blina_analysis.analyses.results.compute_results` of this build. Columns
    ``key, quantity, published, computed, difference, agrees, sentence`` (``difference`` in
    percentage points for rates, in patients for counts, signed: ``+`` above the paper, a true
    minus sign below). A number the data cannot give is "not available", with no difference.
    """
    rows = []
    for key, pv in abstract_values().items():
        value = results.get(key)
        if pv.kind == "count":
            computed = _NOT_AVAILABLE if value is None else str(int(value))
            if value is not None and pv.percent is not None:
                denominator = results["n_total"] if key in ("n_mrd", "n_rr", "n_prior_hsct",
                                                            "ae_grade34_n", "bc_interrupted_n",
                                                            "bc_stopped_early_n") else None
                if key == "rr_response_n":  # responses not yet assessed are in no denominator
                    denominator = results["n_rr_assessed"]
                if key == "rr_mrdneg_n":
                    denominator = results["n_rr_responders_mrd_assessed"]
                if denominator:
                    computed += f" ({fmt.pct(value / denominator, 1)})"
            difference = "—" if value is None else fmt.signed(int(value) - int(pv.value))
        else:
            computed = _NOT_AVAILABLE if value is None else fmt.pct(value, 1)
            difference = ("—" if value is None else
                          f"{fmt.signed(100 * (value - pv.value), 1)} pp")
        published = published_text(pv)
        ok = agrees(pv.kind, pv.value, value)
        rows.append({"key": key, "quantity": result_label(key), "published": published, "computed": computed,
                     "difference": difference, "agrees": "yes" if ok else "no",
                     "sentence": pv.sentence})
    return pd.DataFrame(rows)
