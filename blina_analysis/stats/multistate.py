"""State occupation probabilities of a multi-state model (Aalen-Johansen).

A patient moves through states (no response yet, in response, transplanted, relapsed, dead, ...)
and is followed until a censoring time. The share of patients in each state at time ``t`` is not
the share of those *still followed* who are in it: patients leave follow-up at different times,
and those who left were not a random sample of states. The Aalen-Johansen estimator weights
every transition by its own risk set, so the occupation probabilities are consistent under
independent censoring and add to 1 at every time [1]_.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from blina_analysis.stats._checks import StatsInputError
from blina_analysis.stats.results import _ResultMixin

__all__ = ["StateOccupation", "state_occupation"]


@dataclass(frozen=True)
class StateOccupation(_ResultMixin):
    """Aalen-Johansen state occupation probabilities.

    Attributes
    ----------
    states : tuple of str
        The state codes, in the order of the probability columns.
    n : int
        Number of patients.
    table : pandas.DataFrame
        One row per distinct time of a transition or a censoring (days), right-continuous:
        columns ``time``,
        ``n_risk`` (patients under observation just before ``time``, in any state) and one
        column per state code with the probability of being in that state just after ``time``.
        Before the first row every patient is in the initial state.
    """

    states: tuple
    n: int
    table: pd.DataFrame

    @property
    def summary(self) -> pd.DataFrame:
        return self.table


def state_occupation(patient: Any, tstart: Any, tstop: Any, from_state: Any, to_state: Any,
                     states: tuple) -> StateOccupation:
    """Aalen-Johansen estimate of the probability of being in each state over time.

    Parameters
    ----------
    patient : array-like, shape = (n_rows,)
        Patient of each row (any hashable codes).
    tstart, tstop : array-like of float, shape = (n_rows,)
        The interval ``(tstart, tstop]`` (days) that the row's patient spends in ``from_state``;
        a patient's rows are contiguous and start at 0.
    from_state, to_state : array-like of str, shape = (n_rows,)
        The state over the interval and the state entered at ``tstop``; ``to_state ==
        from_state`` means the patient was censored at ``tstop`` (no transition).
    states : tuple of str
        Every state code; the first is the initial state of every patient.

    Returns
    -------
    StateOccupation

    Raises
    ------
    StatsInputError
        If the arrays differ in length, a time is negative or not finite, an interval is empty
        (``tstop <= tstart``), a state is unknown, or a patient does not start at 0 in the
        initial state or has gaps between its rows.

    Notes
    -----
    At each distinct transition time :math:`t`, with :math:`Y_h(t)` the patients in state
    :math:`h` at risk (``tstart < t <= tstop``) and :math:`d_{hj}(t)` their transitions to
    :math:`j`, :math:`p(t) = p(t^-)\\,[I + dA(t)]` with :math:`dA_{hj} = d_{hj}/Y_h`,
    :math:`dA_{hh} = -\\sum_{j \\ne h} d_{hj}/Y_h`. Same as R
    ``survfit(Surv(tstart, tstop, to) ~ 1, id = patient, istate = from)`` (column
    ``pstate``), tested in tests/stats/test_stats_multistate.py.

    References
    ----------
    .. [1] Aalen, O. O. and Johansen, S. (1978). An empirical transition matrix for
       non-homogeneous Markov chains based on censored observations. Scandinavian Journal of
       Statistics 5, 141-150.
    """
    patient = np.asarray(patient)
    t0 = np.asarray(tstart, dtype=float)
    t1 = np.asarray(tstop, dtype=float)
    a = np.asarray(from_state, dtype=object)
    b = np.asarray(to_state, dtype=object)
    states = tuple(states)
    if not states:
        raise StatsInputError("states must name at least the initial state, got ()")
    if not (len(patient) == len(t0) == len(t1) == len(a) == len(b)):
        raise StatsInputError("patient, tstart, tstop, from_state and to_state must have the same "
                              f"length, got {[len(x) for x in (patient, t0, t1, a, b)]}")
    if len(t0) and (np.any(~np.isfinite(t0)) or np.any(~np.isfinite(t1)) or np.any(t0 < 0)):
        raise StatsInputError("times must be finite and non-negative")
    if np.any(t1 <= t0):
        raise StatsInputError("every interval must have tstop > tstart")
    index = {s: i for i, s in enumerate(states)}
    unknown = sorted({str(s) for s in np.r_[a, b] if s not in index})
    if unknown:
        raise StatsInputError(f"unknown state(s) {unknown}; known: {list(states)}")
    order = np.lexsort((t0, patient.astype(str)))
    ids = patient.astype(str)[order]
    first = np.r_[True, ids[1:] != ids[:-1]] if len(ids) else np.array([], dtype=bool)
    if np.any(t0[order][first] != 0) or np.any(a[order][first] != states[0]):
        raise StatsInputError(f"every patient starts at time 0 in state {states[0]!r}")
    later = np.nonzero(~first)[0]
    if np.any(t0[order][later] != t1[order][later - 1]):
        raise StatsInputError("a patient's rows must follow each other without gaps")

    k = len(states)
    fi = np.array([index[s] for s in a], dtype=int)
    ti = np.array([index[s] for s in b], dtype=int)
    moves = fi != ti
    times = np.unique(t1)  # transitions and censorings: n_risk is known at both
    p = np.zeros(k)
    p[0] = 1.0
    rows = []
    for t in times:
        at_risk = (t0 < t) & (t1 >= t)
        y = np.bincount(fi[at_risk], minlength=k).astype(float)
        step = np.eye(k)
        here = moves & (t1 == t)
        for h, j in zip(fi[here], ti[here]):
            step[h, j] += 1.0 / y[h]
            step[h, h] -= 1.0 / y[h]
        p = p @ step
        rows.append((float(t), int(at_risk.sum()), *[float(v) for v in p]))
    table = pd.DataFrame(rows, columns=["time", "n_risk", *states])
    return StateOccupation(states=states, n=int(len(np.unique(patient))), table=table)
