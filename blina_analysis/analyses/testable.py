"""When a comparison may be tested: the one rule of the book.

A p-value on a handful of patients says little and reads as more: a group of 3 against 40, or a
survival comparison with 4 deaths. Every comparison of the R/R and MRD+ chapters (response by
subgroup, survival by response as a time-dependent state or at the response landmark) asks
:func:`why_not_tested` before it computes a p-value; below the minimum it is described (counts,
rates, estimates) without a test, and the text says why from the typed :class:`NotTested`.
The minimum sizes are :data:`~blina_analysis.definitions.MIN_PATIENTS_FOR_TEST` and
:data:`~blina_analysis.definitions.MIN_EVENTS_FOR_TEST`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Sequence

from blina_analysis.definitions import MIN_EVENTS_FOR_TEST, MIN_PATIENTS_FOR_TEST

__all__ = ["NoTestReason", "NotTested", "why_not_tested", "outcome_events"]


class NoTestReason(enum.Enum):
    """Why a comparison is described without a test."""

    #: A group has fewer than ``MIN_PATIENTS_FOR_TEST`` patients.
    TOO_FEW_PATIENTS = "too_few_patients"
    #: The comparison has fewer than ``MIN_EVENTS_FOR_TEST`` events.
    TOO_FEW_EVENTS = "too_few_events"


@dataclass(frozen=True)
class NotTested:
    """A comparison left without a test, and the facts that say why.

    Attributes
    ----------
    reason : NoTestReason
        The first rule broken (patients are checked before events).
    smallest_group : int
        Patients in the smallest group compared.
    events : int
        Events of the comparison (see :func:`why_not_tested`).
    min_patients, min_events : int
        The minimum sizes in force.
    """

    reason: NoTestReason
    smallest_group: int
    events: int
    min_patients: int = MIN_PATIENTS_FOR_TEST
    min_events: int = MIN_EVENTS_FOR_TEST


def why_not_tested(group_sizes: Sequence[int], events: int) -> NotTested | None:
    """Whether a comparison may be tested: ``None`` if it may, else why not.

    Parameters
    ----------
    group_sizes : sequence of int
        Patients in each group compared (for a state entered during follow-up, such as
        response: the patients who entered it and those who never did).
    events : int
        The events that carry the comparison's information: deaths (or relapses or deaths) for
        survival; for a rate, the less frequent outcome (:func:`outcome_events`).

    Returns
    -------
    NotTested or None
        ``None`` when every group has at least ``MIN_PATIENTS_FOR_TEST`` patients and there are
        at least ``MIN_EVENTS_FOR_TEST`` events.

    Examples
    --------
    >>> why_not_tested([40, 3], 20).reason
    <NoTestReason.TOO_FEW_PATIENTS: 'too_few_patients'>
    >>> why_not_tested([20, 20], 4).reason
    <NoTestReason.TOO_FEW_EVENTS: 'too_few_events'>
    >>> why_not_tested([20, 20], 12) is None
    True
    """
    sizes = [int(n) for n in group_sizes]
    smallest = min(sizes) if sizes else 0
    if len(sizes) < 2 or smallest < MIN_PATIENTS_FOR_TEST:
        return NotTested(NoTestReason.TOO_FEW_PATIENTS, smallest, int(events))
    if int(events) < MIN_EVENTS_FOR_TEST:
        return NotTested(NoTestReason.TOO_FEW_EVENTS, smallest, int(events))
    return None


def outcome_events(successes: int, patients: int) -> int:
    """The events of a comparison of rates: the less frequent outcome (responses or their
    absence), whose count bounds the information of a 2 × 2 table."""
    return int(min(successes, patients - successes))
