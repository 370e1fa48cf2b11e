"""Small typed summaries of results that the prose quotes together.

An analysis returns values, never text: these frozen dataclasses gather, for one sentence of the
book, the numbers it needs (counts as ``int``, estimates as :mod:`blina_analysis.stats` results,
a test's p-value as ``float`` or ``None`` when there is no test), so that the text layer chooses
its words from them and :mod:`blina_analysis.report.fmt` formats them last.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from blina_analysis import stats
from blina_analysis.analyses.core import RESPONSE_LANDMARK_LABELS, Analysis
from blina_analysis.analyses.testable import NoTestReason, NotTested, why_not_tested

__all__ = ["GroupReading", "ResponseLandmarkSummary", "response_landmark_summary",
           "CrudeRelapse", "crude_relapse", "CurveReading", "CurveComparison",
           "curve_comparison", "NO_TEST_FEW_PATIENTS", "NO_TEST_FEW_EVENTS"]


@dataclass(frozen=True)
class GroupReading:
    """One group of a landmark comparison, read from its curve from the landmark.

    ``n`` patients; ``median`` (median time from the landmark) or, when a time was asked for,
    ``estimate`` (the curve read that long after the landmark); ``None`` for the one not asked.
    """

    n: int
    median: stats.Median | None = None
    estimate: stats.Estimate | None = None


@dataclass(frozen=True)
class ResponseLandmarkSummary:
    """The landmark comparison by response at the response assessment, as values.

    Attributes
    ----------
    n_at_risk : int
        Patients alive and in follow-up at the landmark (analysed).
    n_responders : int
        Of them, responders by the landmark.
    p_value : float or None
        Log-rank p-value between responders and the others; ``None`` when one group is empty
        (there is nothing to compare) or the comparison is too small for a test.
    responders, others : GroupReading or None
        Each group's reading; ``None`` when the group is empty.
    not_tested : NotTested or None
        Why there is no test although both groups have patients
        (:func:`~blina_analysis.analyses.testable.why_not_tested`).
    """

    n_at_risk: int
    n_responders: int
    p_value: float | None
    responders: GroupReading | None
    others: GroupReading | None
    not_tested: NotTested | None = None


def response_landmark_summary(an: Analysis, pop: str, endpoint: str,
                              days: float | None = None) -> ResponseLandmarkSummary:
    """:meth:`Analysis.response_landmark` of ``pop`` as values: the medians from the landmark,
    or with ``days`` each group's estimate ``days`` after it.

    Raises :class:`~blina_analysis.errors.NoInformation` when ``pop`` is empty or nobody is in
    follow-up at the landmark.
    """
    lm = an.response_landmark(pop, endpoint)

    def reading(code: int) -> GroupReading | None:
        curve = lm.curves.get(RESPONSE_LANDMARK_LABELS[code])
        if curve is None:
            return None
        if days is None:
            return GroupReading(curve.n, median=curve.median)
        return GroupReading(curve.n, estimate=curve.at(days))

    n_responders, n_at_risk = int(lm.n_exposed), int(lm.n_at_risk)
    not_tested = None
    if 0 < n_responders < n_at_risk:
        events = sum(int(c.n_events) for c in lm.curves.values())
        not_tested = why_not_tested([n_responders, n_at_risk - n_responders], events)
    tested = (not not_tested and lm.test.df > 0 and not math.isnan(lm.test.p_value))
    return ResponseLandmarkSummary(
        n_at_risk=n_at_risk, n_responders=n_responders,
        p_value=float(lm.test.p_value) if tested else None,
        responders=reading(1), others=reading(0), not_tested=not_tested)


@dataclass(frozen=True)
class CrudeRelapse:
    """The paper's crude comparison: relapse among responders by allo-HSCT after blinatumomab.

    ``transplanted`` and ``not_transplanted`` are the relapse proportions (n relapsed of N) of
    each group; ``p_value`` is Fisher's exact test of the 2 × 2 table.
    """

    transplanted: stats.Proportion
    not_transplanted: stats.Proportion
    p_value: float


def crude_relapse(an: Analysis) -> CrudeRelapse:
    """The crude relapse comparison of ``an``, with its groups named so they cannot be swapped.

    Raises :class:`~blina_analysis.errors.NoInformation` when there is no responder or not
    both groups (nobody, or everybody, transplanted after blinatumomab).
    """
    an.require_transplant_groups()
    groups = an.crude_relapse_by_transplant()
    return CrudeRelapse(transplanted=groups["transplanted"],
                        not_transplanted=groups["not transplanted"],
                        p_value=float(an.crude_relapse_test().p_value))


#: Why a comparison of curves has no test: a group below :data:`MIN_PATIENTS_FOR_TEST`
#: patients, or fewer than :data:`MIN_EVENTS_FOR_TEST` events in all.
NO_TEST_FEW_PATIENTS = "few_patients"
NO_TEST_FEW_EVENTS = "few_events"


@dataclass(frozen=True)
class CurveReading:
    """One population's Kaplan–Meier curve read at a time: ``n`` patients, ``events``, and the
    ``estimate`` (NaN estimate when the curve ends, censored, before the time)."""

    pop: str
    n: int
    events: int
    estimate: stats.Estimate


@dataclass(frozen=True)
class CurveComparison:
    """Populations compared on one endpoint: each read at a time, with a log-rank test or the
    reason there is none (``no_test``: :data:`NO_TEST_FEW_PATIENTS`, :data:`NO_TEST_FEW_EVENTS`;
    ``None`` when tested). Empty populations are left out of ``groups``."""

    endpoint: str
    groups: tuple[CurveReading, ...]
    p_value: float | None
    no_test: str | None


def curve_comparison(an: Analysis, pops: tuple[str, ...], endpoint: str,
                     days: float) -> CurveComparison:
    """``endpoint`` in each of ``pops`` read at ``days``, compared by the log-rank test when
    every group has at least :data:`MIN_PATIENTS_FOR_TEST` patients and the groups together
    at least :data:`MIN_EVENTS_FOR_TEST` events (else described without a test).

    Raises :class:`~blina_analysis.errors.NoInformation` when every population is empty.
    """
    present = [pop for pop in pops if an.n(pop)]
    if not present:
        an.require(pops[0])
    groups, times, events, codes = [], [], [], []
    for i, pop in enumerate(present):
        t = an.tte(pop, endpoint)
        time, event = t["time_days"].to_numpy(), t["event"].to_numpy()
        groups.append(CurveReading(pop, len(time), int(event.sum()),
                                   an.km(pop, endpoint).at(days)))
        times.append(time), events.append(event), codes.append(np.full(len(time), i))
    not_tested = why_not_tested([g.n for g in groups], sum(g.events for g in groups))
    if not_tested is not None:
        few = (NO_TEST_FEW_PATIENTS if not_tested.reason is NoTestReason.TOO_FEW_PATIENTS
               else NO_TEST_FEW_EVENTS)
        return CurveComparison(endpoint, tuple(groups), None, few)
    test = stats.logrank_test(np.concatenate(times), np.concatenate(events),
                              np.concatenate(codes))
    p = None if math.isnan(test.p_value) else float(test.p_value)
    return CurveComparison(endpoint, tuple(groups), p, None if p is not None
                           else NO_TEST_FEW_EVENTS)
