"""Allogeneic transplant after blinatumomab: responders timed from response, with transplant as a
time-dependent exposure (landmark, Mantel–Byar, time-varying Cox, Simon–Makuch), and the paper's
crude comparison with its bias stated."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd

from dataclasses import dataclass

from blina_analysis import stats
from blina_analysis.analyses.testable import why_not_tested
from blina_analysis.data.schema import MRD_NEGATIVE
from blina_analysis.definitions import (
    ENDPOINTS,
    LANDMARK_SENSITIVITY_DAYS,
    POST_HSCT_ENDPOINTS,
    is_consolidation_hsct,
    is_salvage_hsct,
    TIME_ORIGIN,
    primary_terms,
)
from blina_analysis.derive import derive_tte
from blina_analysis.errors import NoInformation
from blina_analysis.i18n import N_

__all__ = ["TransplantAnalyses", "TRANSPLANT_COX_ENDPOINTS", "TransplantExposure",
           "TimeToTransplant", "PrimaryTransplantModel"]


@dataclass(frozen=True)
class TransplantExposure:
    """Responders by allo-HSCT after blinatumomab: ``n_after`` transplanted at all, of them
    ``n_consolidation`` in continuous remission (the exposure) and ``n_salvage`` after a
    relapse (not the exposure: unexposed, see
    :data:`~blina_analysis.definitions.SALVAGE_HSCT_HANDLING`)."""

    n_responders: int
    n_after: int
    n_consolidation: int
    n_salvage: int


@dataclass(frozen=True)
class TimeToTransplant:
    """Days from response to a consolidation allo-HSCT, and who a landmark calls untransplanted.

    ``n`` transplanted; ``median``, ``q1``, ``q3`` (quartiles, linear interpolation as R's
    default ``quantile``), ``minimum``, ``maximum`` in days; ``by_day``: (day, transplanted by
    then, on or before it). At the landmark ``landmark`` days: ``n_unexposed`` responders in
    follow-up and not yet transplanted, of whom ``n_later`` were transplanted later, and
    ``later_by`` (day, transplanted by then) for the later days of ``by_day``.
    """

    n: int
    median: float
    q1: float
    q3: float
    minimum: float
    maximum: float
    by_day: tuple[tuple[int, int], ...]
    landmark: int
    n_unexposed: int
    n_later: int
    later_by: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class PrimaryTransplantModel:
    """The primary transplant analysis: a Cox model of DFS from response, stratified by cohort,
    with consolidation transplant as a time-dependent covariate, adjusted for ``terms``.

    ``n_events`` DFS events allow ``terms`` (codes of
    :data:`~blina_analysis.definitions.PRIMARY_COVARIATES`; ``constant``: those allowed but
    without variation within a cohort, left out); ``fit`` has rows ``exposed`` then the terms;
    ``ph`` the proportional-hazards test (rows the covariates and ``GLOBAL``); ``interaction``
    the hazard ratio row of transplant × R/R cohort (``None`` without both cohorts or when not
    estimable).
    """

    n: int
    n_events: int
    terms: tuple[str, ...]
    constant: tuple[str, ...]
    fit: stats.CoxResult
    ph: pd.DataFrame | None
    interaction: pd.Series | None

#: Endpoints of the transplant Cox models (``from_response`` codes) and their names.
TRANSPLANT_COX_ENDPOINTS = (("DFS", N_("relapse-free survival from response")), ("OS", N_("overall survival")),
                            ("relapse", N_("relapse (cause-specific)")),
                            ("NRM", N_("non-relapse mortality (cause-specific)")))


class TransplantAnalyses:
    """Transplant after blinatumomab among responders, from response."""

    def _transplanted(self, definition: str) -> pd.Series:
        """Responders' transplant flag: ``"paper"`` any allo-HSCT after blinatumomab (the
        paper's comparison), ``"consolidation"`` the exposure (in continuous remission)."""
        resp = self.patients("responders")
        if definition == "paper":
            return resp["hsct_after_bc"].astype(bool)
        if definition == "consolidation":
            return is_consolidation_hsct(resp)
        raise ValueError(f"unknown transplant definition {definition!r}")

    def crude_relapse_by_transplant(self, definition: str = "paper"
                                    ) -> dict[str, stats.Proportion]:
        """Crude share of responders with a relapse, by allo-HSCT after blinatumomab
        (``definition`` as :meth:`_transplanted`; ``"paper"``: the paper's figure)."""
        resp = self.patients("responders")
        flag = self._transplanted(definition).to_numpy()
        out = {}
        for label, value in ((N_("transplanted"), True), (N_("not transplanted"), False)):
            sub = resp[flag == value]
            out[label] = stats.exact_ci(int(sub["relapse"].sum()), len(sub), self.conf_level)
        return out

    def transplant_exposure(self) -> TransplantExposure:
        """How many responders were transplanted after blinatumomab, in remission or not."""
        self.require("responders")
        resp = self.patients("responders")
        return TransplantExposure(len(resp), int(resp["hsct_after_bc"].sum()),
                                  int(is_consolidation_hsct(resp).sum()),
                                  int(is_salvage_hsct(resp).sum()))

    def require_transplant_groups(self, definition: str = "consolidation") -> None:
        """Responders exist, and some were and some were not transplanted after blinatumomab
        (``definition`` as :meth:`_transplanted`)."""
        self.require("responders")
        after = self._transplanted(definition)
        if not self.patients("responders")["hsct_after_bc"].any():
            raise NoInformation("no_transplant")
        if not after.any():
            raise NoInformation("no_consolidation_transplant")
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
        # the exposure is a consolidation transplant; a salvage one never starts it
        exposure = np.where(is_consolidation_hsct(resp).to_numpy(), exposure, np.nan)
        event = t["event"].to_numpy()
        if cause:
            event = (event == cause).astype(np.int64)
        return time, event, exposure

    def _transplant_data(self, endpoint: str = "DFS"):
        """:meth:`from_response`, or :class:`~blina_analysis.errors.NoInformation` when no
        responder was transplanted after blinatumomab (the transplant analyses compare them)."""
        data = self.from_response(endpoint)
        if np.isnan(data[2]).all():
            if not self.patients("responders")["hsct_after_bc"].any():
                raise NoInformation("no_transplant")
            raise NoInformation("no_consolidation_transplant")
        return data

    def relapse_nrm_from_response(self) -> dict[str, object]:
        """Cumulative incidence of relapse and of non-relapse mortality among responders, from
        response (the time origin of the transplant analyses)."""
        def compute():
            time, event, _ = self.from_response("CIR")
            return {label: stats.cumulative_incidence(time, event, cause=cause, label=label,
                                                      conf_level=self.conf_level)
                    for cause, label in ((1, N_("relapse")), (2, N_("non-relapse mortality")))}
        return self._cached(("cif_from_response",), compute)

    def naive_transplant_comparison(self, endpoint: str = "DFS"):
        """Curves by 'ever transplanted' from response, and log-rank: biased by immortal time."""
        time, event, exposure = self._transplant_data(endpoint)
        ever = ~np.isnan(exposure)
        if ever.all():
            raise NoInformation("all_transplanted")
        curves = [stats.kaplan_meier(time[~ever], event[~ever], label=N_("never transplanted"),
                                     conf_level=self.conf_level),
                  stats.kaplan_meier(time[ever], event[ever], label=N_("transplanted (ever)"),
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

    def landmark_test(self, endpoint: str = "DFS") -> stats.TestResult | None:
        """The log-rank test of :meth:`landmark`, or None below the minimum numbers for a test
        (the rule of :meth:`landmark_sensitivity`) or without a p-value: the text and the
        figure give a p-value only when this is not None."""
        lm = self.landmark(endpoint)
        row = self.landmark_sensitivity(endpoint, landmarks=(float(self.landmark_days),)).iloc[0]
        if math.isnan(row["p_value"]) or math.isnan(lm.test.p_value):
            return None
        return lm.test

    def mantel_byar(self, endpoint: str = "DFS") -> stats.TestResult:
        """Mantel–Byar test: transplant as a time-dependent state, from response."""
        def compute():
            data = self._transplant_data(endpoint)
            _require_events(endpoint, data[1])
            _require_enough_for_test(endpoint, *data)
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
            _require_enough_for_test(endpoint, time, event, exposure)
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
            table = stats.landmark_sensitivity(time, event, exposure, landmarks=landmarks,
                                               conf_level=self.conf_level)
            # no test below the minimum numbers (definitions.MIN_*_FOR_TEST): counts only
            few = [why_not_tested((row.n_exposed, row.n_unexposed),
                                  row.events_exposed + row.events_unexposed) is not None
                   for row in table.itertuples()]
            tests = ["chisq", "p_value", "hr", "hr_ci_low", "hr_ci_high", "hr_p_value"]
            table.loc[few, tests] = np.nan
            return table
        return self._cached(("landmark_sensitivity", endpoint, tuple(landmarks)), compute)

    def simon_makuch(self, endpoint: str = "DFS") -> dict:
        """Simon–Makuch curves by time-dependent transplant status, from response."""
        return self._cached(("simon_makuch", endpoint), lambda: stats.simon_makuch(
            *self._transplant_data(endpoint), conf_level=self.conf_level))


    def time_to_transplant(self) -> TimeToTransplant:
        """Days from response to a consolidation allo-HSCT, and how many responders a landmark
        counts as not transplanted were transplanted later.

        Raises :class:`~blina_analysis.errors.NoInformation` without responders or without a
        consolidation transplant.
        """
        time, _, exposure = self._transplant_data("DFS")
        days = np.sort(exposure[~np.isnan(exposure)])
        q1, median, q3 = (float(v) for v in np.quantile(days, [0.25, 0.5, 0.75]))
        by_day = tuple((int(d), int((days <= d).sum())) for d in LANDMARK_SENSITIVITY_DAYS)
        lm = int(self.landmark_days)
        unexposed = (time > lm) & ~(exposure <= lm)  # NaN compares False: never transplanted
        later = unexposed & ~np.isnan(exposure)
        later_by = tuple((int(d), int((later & (exposure <= d)).sum()))
                         for d in LANDMARK_SENSITIVITY_DAYS if d > lm)
        return TimeToTransplant(int(days.size), median, q1, q3, float(days[0]), float(days[-1]),
                                by_day, lm, int(unexposed.sum()), int(later.sum()), later_by)

    def primary_transplant_model(self) -> PrimaryTransplantModel:
        """The primary analysis: DFS from response, consolidation transplant time-dependent,
        stratified by cohort, adjusted as the events allow
        (:func:`~blina_analysis.definitions.primary_terms`), with its proportional-hazards test
        and the transplant × cohort interaction.

        Raises :class:`~blina_analysis.errors.NoInformation` without responders, without a
        consolidation transplant, below the minimum numbers for a test, or when the hazard
        ratio of transplant has no finite estimate.
        """
        def compute():
            time, event, exposure = self._transplant_data("DFS")
            _require_enough_for_test("DFS", time, event, exposure)
            _require_finite_hazard_ratio("DFS", time, event, exposure)
            resp = self.patients("responders")
            group = resp["group"].to_numpy()
            candidates = pd.DataFrame({
                "age_decades": resp["age"].to_numpy(dtype=float) / 10,
                "prior_allo_hsct": resp["prior_allo_hsct"].to_numpy(dtype=float),
                "mrd_negative": (resp["mrd_response"] == MRD_NEGATIVE).to_numpy(dtype=float)})
            allowed = primary_terms(int(event.sum()))
            varies = [c for c in allowed
                      if any(candidates.loc[group == g, c].nunique() > 1 for g in set(group))]
            terms = tuple(varies)
            constant = tuple(c for c in allowed if c not in varies)
            covariates = candidates[list(terms)] if terms else None
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                fit = stats.time_varying_cox(time, event, exposure, covariates=covariates,
                                             strata=group, conf_level=self.conf_level)
            if not fit.estimable:
                raise NoInformation("primary_not_estimable")
            ph = stats.time_varying_ph_test(time, event, exposure, fit, covariates=covariates,
                                            strata=group)
            interaction = None
            if len(set(group)) == 2:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    inter = stats.time_varying_cox(
                        time, event, exposure, covariates=covariates,
                        interaction=(group == "RR").astype(int), strata=group,
                        conf_level=self.conf_level)
                if inter.estimable:
                    interaction = inter.table.loc["exposed_x"]
            return PrimaryTransplantModel(len(time), int(event.sum()), terms, constant, fit,
                                          ph, interaction)
        return self._cached(("primary_transplant",), compute)

    def after_transplant(self, endpoint: str) -> pd.DataFrame:
        """Time-to-event rows of ``endpoint`` of :data:`POST_HSCT_ENDPOINTS` (``"OS"``,
        ``"LFS"``, ``"CIR"``), from the day of a consolidation allo-HSCT."""
        self.require("consolidation_hsct")
        return self._cached(("after_hsct", endpoint), lambda: derive_tte(
            self.patients("consolidation_hsct"), POST_HSCT_ENDPOINTS[endpoint]))

    def km_after_transplant(self, endpoint: str) -> stats.SurvivalCurve:
        """Kaplan–Meier curve of OS or LFS from the day of a consolidation allo-HSCT."""
        def compute():
            t = self.after_transplant(endpoint)
            return stats.kaplan_meier(t["time_days"].to_numpy(), t["event"].to_numpy(),
                                      conf_level=self.conf_level, label=f"{endpoint} after HSCT")
        return self._cached(("km_after_hsct", endpoint), compute)

    def cif_after_transplant(self) -> dict[str, object]:
        """Cumulative incidence of relapse and of NRM from the day of a consolidation HSCT."""
        def compute():
            t = self.after_transplant("CIR")
            time, event = t["time_days"].to_numpy(), t["event"].to_numpy()
            return {label: stats.cumulative_incidence(time, event, cause=cause, label=label,
                                                      conf_level=self.conf_level)
                    for cause, label in ((1, N_("relapse")), (2, N_("non-relapse mortality")))}
        return self._cached(("cif_after_hsct",), compute)


def _require_enough_for_test(endpoint: str, time, event, exposure) -> None:
    """Raise :class:`~blina_analysis.errors.NoInformation` below the minimum numbers for a test
    of transplant: fewer than ``MIN_PATIENTS_FOR_TEST`` responders ever transplanted (in
    remission, during follow-up) or never transplanted, or fewer than
    ``MIN_EVENTS_FOR_TEST`` events."""
    exposed = ~np.isnan(exposure) & (exposure < time)
    n_exposed, n_other = int(exposed.sum()), int((~exposed).sum())
    if why_not_tested((n_exposed, n_other), int(event.sum())) is not None:
        raise NoInformation("too_few_for_transplant_test", endpoint=endpoint,
                            n_exposed=n_exposed, n_other=n_other, n_events=int(event.sum()))


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
