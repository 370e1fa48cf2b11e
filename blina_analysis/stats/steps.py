"""Right-continuous step functions read off a life table: the base of every curve.

:class:`~blina_analysis.stats.SurvivalCurve` (Kaplan-Meier, Simon-Makuch) and
:class:`~blina_analysis.stats.CumulativeIncidence` are both a table with one row per distinct
time and a value just after that time; reading them at given times, counting the patients at
risk and drawing them as steps is written once, here.
"""

from __future__ import annotations

from typing import Any, ClassVar

import numpy as np
import pandas as pd

from blina_analysis.stats._checks import _check_time_point
from blina_analysis.stats.results import Estimate, _ResultMixin

__all__ = ["StepCurve"]


class StepCurve(_ResultMixin):
    """A curve stored as a life table ``table`` (columns ``time, n_risk``, the value column,
    ``std_err, ci_low, ci_high``), right-continuous, starting at a known value at time 0.

    Subclasses are frozen dataclasses with a ``table`` field; they name the value column and
    its value before the first time, and say whether the curve holds after its last time.
    """

    #: Column of ``table`` holding the curve's value.
    value_column: ClassVar[str]
    #: Value (and confidence limits) before the first observed time.
    start_value: ClassVar[float]

    table: pd.DataFrame

    @property
    def holds_after_last_time(self) -> bool:
        """Whether the curve is known to keep its last value after the last observed time.

        True when every patient still at risk at the last time had an event there (a
        Kaplan-Meier curve that drops to 0), so nobody is left whose future could change it.
        """
        raise NotImplementedError

    def at_times(self, ts: Any) -> pd.DataFrame:
        """The curve read at several times (right-continuous).

        Parameters
        ----------
        ts : float or array-like of float
            Times in days (finite, non-negative).

        Returns
        -------
        pandas.DataFrame
            Columns ``time, n_risk, estimate, std_err, ci_low, ci_high``, one row per time in
            the order given. Before the first observed time the estimate is the start value
            (1 for survival, 0 for incidence) with interval (start, start). Beyond the last
            observed time (the largest event or censoring time): the last row's values when
            :attr:`holds_after_last_time` (a curve that dropped to 0 with an event stays at 0,
            as R ``summary(fit, times, extend = TRUE)``); otherwise NaN, because the last
            observation is censored and the curve after it is unknown (R without ``extend``
            leaves such a time out; R with ``extend`` would carry the last value forward).
            ``n_risk`` is 0 there.
        """
        t = _check_time_point(ts, "ts")
        tab = self.table
        times = tab["time"].to_numpy()
        idx = np.searchsorted(times, t, side="right") - 1
        before = idx < 0
        beyond = t > times[-1]
        idx = np.clip(idx, 0, times.size - 1)
        cols = {}
        for name, start in ((self.value_column, self.start_value), ("std_err", 0.0),
                            ("ci_low", self.start_value), ("ci_high", self.start_value)):
            v = tab[name].to_numpy(dtype=float)[idx]
            v[before] = start
            if not self.holds_after_last_time:
                v[beyond] = np.nan
            cols["estimate" if name == self.value_column else name] = v
        return pd.DataFrame({"time": t, "n_risk": self.number_at_risk(t), **cols})

    def at(self, t: float) -> Estimate:
        """The curve read at one time, see :meth:`at_times`."""
        row = self.at_times([t]).iloc[0]
        return Estimate(row["time"], row["estimate"], row["ci_low"], row["ci_high"])

    def number_at_risk(self, ts: Any) -> np.ndarray:
        """Number of patients at risk at each time in ``ts`` (the at-risk row under a plot).

        For right-censored data this is the number with follow-up ``>= t``; for
        counting-process curves, the number whose interval contains ``t``.
        """
        t = _check_time_point(ts, "ts")
        times = self.table["time"].to_numpy()
        n_risk = self.table["n_risk"].to_numpy()
        pos = np.searchsorted(times, t, side="left")  # first row with time >= t
        out = np.zeros(t.size, dtype=np.int64)
        inside = pos < times.size
        out[inside] = n_risk[pos[inside]]
        return out

    def step(self) -> tuple[np.ndarray, np.ndarray]:
        """``(x, y)`` for ``ax.step(x, y, where="post")``, starting at (0, start value)."""
        tab = self.table
        return (np.r_[0.0, tab["time"].to_numpy(dtype=float)],
                np.r_[self.start_value, tab[self.value_column].to_numpy(dtype=float)])

    def step_ci(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """``(x, lower, upper)`` of the confidence band, in the layout of :meth:`step`."""
        tab = self.table
        return (np.r_[0.0, tab["time"].to_numpy(dtype=float)],
                np.r_[self.start_value, tab["ci_low"].to_numpy(dtype=float)],
                np.r_[self.start_value, tab["ci_high"].to_numpy(dtype=float)])
