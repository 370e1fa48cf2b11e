"""Allogeneic transplant after blinatumomab: responders timed from response, with transplant as a
time-dependent exposure (landmark, Mantel–Byar, time-varying Cox, Simon–Makuch), and the paper's
crude comparison with its bias stated."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd

from blina_analysis import stats
from blina_analysis.definitions import ENDPOINTS, LANDMARK_SENSITIVITY_DAYS, TIME_ORIGIN
from blina_analysis.errors import NoInformation

__all__ = ["TransplantAnalyses", "TRANSPLANT_COX_ENDPOINTS"]

#: Endpoints of the transplant Cox models (``from_response`` codes) and their names.
TRANSPLANT_COX_ENDPOINTS = (("DFS", "disease-free survival"), ("OS", "overall survival"),
                            ("relapse", "relapse (cause-specific)"),
                            ("NRM", "non-relapse mortality (cause-specific)"))


class TransplantAnalyses:
    """Transplant after blinatumomab among responders, from response."""

    def crude_relapse_by_transplant(self) -> dict[str, stats.Proportion]:
        """The paper's crude figure: share of responders with a relapse, by HSCT after blinatumomab."""
        resp = self.patients("responders")
        out = {}
        for label, flag in (("transplanted", True), ("not transplanted", False)):
            sub = resp[resp["hsct_after_bc"] == flag]
            out[label] = stats.exact_ci(int(sub["relapse"].sum()), len(sub), self.conf_level)
        return out

    def require_transplant_groups(self) -> None:
        """Responders exist, and some were and some were not transplanted after blinatumomab."""
        self.require("responders")
        after = self.patients("responders")["hsct_after_bc"]
        if not after.any():
            raise NoInformation("no_transplant")
        if after.all():
            raise NoInformation("all_transplanted")

    def crude_relapse_test(self) -> stats.FisherResult:
        """Fisher's exact test of the crude 2 × 2 table (ignores when transplant happened)."""
        self.require_transplant_groups()

        def compute():
            c = self.crude_relapse_by_transplant()
            t, u = c["transplanted"], c["not transplanted"]
            # only the p-value is reported; the odds-ratio interval is slow for large cohorts
            return stats.fisher_2x2([[t.n, t.N - t.n], [u.n, u.N - u.n]],
                                    conf_level=self.conf_level, odds_ratio=False)
        return self._cached(("crude_test",), compute)

    def from_response(self, endpoint: str = "DFS"):
        """Responders' ``endpoint`` timed from response, with transplant time from response.

        Returns ``(time, event, exposure_time)`` arrays for :mod:`blina_analysis.stats.transplant`
        (exposure NaN for responders never transplanted after blinatumomab). ``endpoint`` is
        ``"OS"``, ``"DFS"``, ``"CIR"`` (event 1 = relapse, 2 = death without relapse), or a
        cause of CIR on its own (cause-specific: the other cause censors): ``"relapse"`` or
        ``"NRM"``. Raises :class:`~blina_analysis.errors.NoInformation` without responders.
        """
        self.require("responders")
        resp = self.patients("responders")
        cause = {"relapse": 1, "NRM": 2}.get(endpoint)
        code = "CIR" if cause else endpoint
        t = self.tte("responders", code)
        time = t["time_days"].to_numpy()
        if ENDPOINTS[code].origin == TIME_ORIGIN:  # CIR is already timed from response
            time = time - resp["days_to_response"].to_numpy()
        exposure = resp["days_to_hsct_after"].to_numpy() - resp["days_to_response"].to_numpy()
        event = t["event"].to_numpy()
        if cause:
            event = (event == cause).astype(np.int64)
        return time, event, exposure

    def _transplant_data(self, endpoint: str = "DFS"):
        """:meth:`from_response`, or :class:`~blina_analysis.errors.NoInformation` when no
        responder was transplanted after blinatumomab (the transplant analyses compare them)."""
        data = self.from_response(endpoint)
        if np.isnan(data[2]).all():
            raise NoInformation("no_transplant")
        return data

    def relapse_nrm_from_response(self) -> dict[str, object]:
        """Cumulative incidence of relapse and of non-relapse mortality among responders, from
        response (the time origin of the transplant analyses)."""
        def compute():
            time, event, _ = self.from_response("CIR")
            return {label: stats.cumulative_incidence(time, event, cause=cause, label=label,
                                                      conf_level=self.conf_level)
                    for cause, label in ((1, "relapse"), (2, "non-relapse mortality"))}
        return self._cached(("cif_from_response",), compute)

    def naive_transplant_comparison(self, endpoint: str = "DFS"):
        """Curves by 'ever transplanted' from response, and log-rank: biased by immortal time."""
        time, event, exposure = self._transplant_data(endpoint)
        ever = ~np.isnan(exposure)
        if ever.all():
            raise NoInformation("all_transplanted")
        curves = [stats.kaplan_meier(time[~ever], event[~ever], label="never transplanted",
                                     conf_level=self.conf_level),
                  stats.kaplan_meier(time[ever], event[ever], label="transplanted (ever)",
                                     conf_level=self.conf_level)]
        return curves, stats.logrank_test(time, event, ever.astype(int))

    def landmark(self, endpoint: str = "DFS", landmark_days: float | None = None):
        """Landmark analysis from ``landmark_days`` after response."""
        days = self.landmark_days if landmark_days is None else landmark_days

        def compute():
            time, event, exposure = self._transplant_data(endpoint)
            if not (time > days).any():
                raise NoInformation("nobody_at_transplant_landmark", days=float(days))
            return stats.landmark(time, event, exposure, landmark=days,
                                  conf_level=self.conf_level)
        return self._cached(("landmark", endpoint, days), compute)

    def mantel_byar(self, endpoint: str = "DFS") -> stats.TestResult:
        """Mantel–Byar test: transplant as a time-dependent state, from response."""
        def compute():
            data = self._transplant_data(endpoint)
            _require_events(endpoint, data[1])
            test = stats.mantel_byar(*data)
            if math.isnan(test.p_value):
                raise NoInformation("no_event_while_both_transplant_states_at_risk",
                                    endpoint=endpoint)
            return test
        return self._cached(("mantel_byar", endpoint), compute)

    def time_varying_cox(self, endpoint: str = "DFS", stratified: bool = False
                         ) -> stats.CoxResult:
        """Cox model with transplant as a time-varying covariate, from response.

        ``endpoint`` as :meth:`from_response` (``"relapse"``, ``"NRM"``: cause-specific
        hazards). The two cohorts are pooled (one baseline hazard), or with ``stratified`` each
        cohort (MRD+, R/R) has its own baseline hazard and the hazard ratio is common.
        Raises :class:`~blina_analysis.errors.NoInformation` when the hazard ratio has no
        finite estimate (no responder, no transplant, no event, or separation).
        """
        def compute():
            from lifelines.exceptions import ConvergenceWarning

            strata = self.patients("responders")["group"].to_numpy() if stratified else None
            time, event, exposure = self._transplant_data(endpoint)
            _require_finite_hazard_ratio(endpoint, time, event, exposure)
            with warnings.catch_warnings():
                # lifelines' screen for separation looks at the split rows, where every row
                # before a transplant is event-free by construction; whether the model has a
                # finite estimate was checked exactly just above
                warnings.filterwarnings("ignore", message="Column exposed have very low variance",
                                        category=ConvergenceWarning)
                try:
                    return stats.time_varying_cox(time, event, exposure, strata=strata,
                                                  conf_level=self.conf_level)
                except stats.StatsInputError:
                    return stats.CoxResult.not_estimable(
                        ["exposed"], len(time), int(np.sum(event)), self.conf_level,
                        "stratum" if stratified else None)
        return self._cached(("tv_cox", endpoint, stratified), compute)

    def transplant_cox_table(self) -> pd.DataFrame:
        """Hazard ratios of transplant (time-dependent, from response), pooled and stratified.

        One row per endpoint and model: columns ``endpoint, model, n, n_events, hr, ci_low,
        ci_high, p_value`` (NaN where not estimable). Endpoints: DFS, OS, and the
        cause-specific hazards of relapse and of non-relapse mortality.
        Raises :class:`~blina_analysis.errors.NoInformation` without responders.
        """
        self.require("responders")
        rows = []
        for endpoint, name in TRANSPLANT_COX_ENDPOINTS:
            for stratified in (False, True):
                model = "stratified by cohort" if stratified else "pooled"
                try:
                    res = self.time_varying_cox(endpoint, stratified)
                except NoInformation:  # the row says "not estimable"
                    _, event, _ = self.from_response(endpoint)
                    rows.append({"endpoint": name, "model": model, "n": len(event),
                                 "n_events": int(np.sum(event)), "hr": np.nan,
                                 "ci_low": np.nan, "ci_high": np.nan, "p_value": np.nan})
                    continue
                row = res.table.iloc[0]
                rows.append({"endpoint": name, "model": model,
                             "n": res.n, "n_events": res.n_events, "hr": float(row["hr"]),
                             "ci_low": float(row["hr_ci_low"]),
                             "ci_high": float(row["hr_ci_high"]),
                             "p_value": float(row["p_value"])})
        return pd.DataFrame(rows)

    def landmark_sensitivity(self, endpoint: str = "DFS",
                             landmarks: tuple[float, ...] = LANDMARK_SENSITIVITY_DAYS
                             ) -> pd.DataFrame:
        """The transplant landmark analysis from response at several landmarks (days).

        Raises :class:`~blina_analysis.errors.NoInformation` without responders or without a
        responder transplanted after blinatumomab.
        """
        def compute():
            time, event, exposure = self._transplant_data(endpoint)
            return stats.landmark_sensitivity(time, event, exposure, landmarks=landmarks,
                                              conf_level=self.conf_level)
        return self._cached(("landmark_sensitivity", endpoint, tuple(landmarks)), compute)

    def simon_makuch(self, endpoint: str = "DFS") -> dict:
        """Simon–Makuch curves by time-dependent transplant status, from response."""
        return self._cached(("simon_makuch", endpoint), lambda: stats.simon_makuch(
            *self._transplant_data(endpoint), conf_level=self.conf_level))


def _require_events(endpoint: str, event: np.ndarray) -> None:
    """Raise :class:`~blina_analysis.errors.NoInformation` when no responder had an event."""
    if not event.any():
        raise NoInformation("no_event_among_responders", endpoint=endpoint)


def _require_finite_hazard_ratio(endpoint, time, event, exposure) -> None:
    """Raise :class:`~blina_analysis.errors.NoInformation` unless the Cox model of
    transplant as a time-dependent covariate has a finite hazard ratio.

    With one binary covariate the partial likelihood has a finite maximum only if some event
    happens while not transplanted with transplanted patients at risk (else the hazard ratio
    is infinite), and some event happens while transplanted with untransplanted patients at
    risk (else it is zero).
    """
    _require_events(endpoint, event)
    rows = stats.split_at_exposure(time, event, exposure)
    rows = rows[rows["stop"] > rows["start"]]  # as time_varying_cox fits them
    if not rows["exposed"].any():
        raise NoInformation("no_transplant")

    def at_risk(sub, times):  # rows with start < t <= stop
        start = np.sort(sub["start"].to_numpy())
        stop = np.sort(sub["stop"].to_numpy())
        return (np.searchsorted(start, times, side="left")
                - np.searchsorted(stop, times, side="left"))

    exposed = rows[rows["exposed"] == 1]
    unexposed = rows[rows["exposed"] == 0]
    events = rows[rows["event"] == 1]
    t_unexp = events.loc[events["exposed"] == 0, "stop"].to_numpy()
    t_exp = events.loc[events["exposed"] == 1, "stop"].to_numpy()
    below = bool((at_risk(exposed, t_unexp) > 0).any())  # keeps the ratio from infinity
    above = bool((at_risk(unexposed, t_exp) > 0).any())  # keeps it from zero
    if not below and not above:
        raise NoInformation("hazard_ratio_no_information", endpoint=endpoint)
    if not below:
        raise NoInformation("hazard_ratio_infinite", endpoint=endpoint)
    if not above:
        raise NoInformation("hazard_ratio_zero", endpoint=endpoint)
