"""Every analysis of the book, computed once from one validated dataset.

:class:`Analysis` is the one object a chapter talks to. It turns the patient table into the arrays
the statistics layer (:mod:`blina_analysis.stats`) expects, using the definitions of
:mod:`blina_analysis.definitions`, and returns result objects and tidy tables (numbers, not
strings; :mod:`blina_analysis.report.tables` formats them). Results are cached per object, so a chapter
may ask for the same curve twice at no cost.
"""

from __future__ import annotations

import math
import warnings
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from blina_analysis import stats
from blina_analysis.data.schema import PENDING
from blina_analysis.definitions import (
    CONF_LEVEL,
    ENDPOINTS,
    LANDMARK_DAYS,
    LANDMARK_SENSITIVITY_DAYS,
    PENDING_LABEL,
    POPULATIONS,
    RESPONSE_CATEGORIES,
    RESPONSE_LANDMARK_DAYS,
    population,
    subgroup,
    subgroups,
)
from blina_analysis.derive import derive_adsl, derive_tte
from blina_analysis.data.io import Dataset, load
from blina_analysis.errors import NoInformation

__all__ = ["Analysis", "pivotal_comparison", "subgroup_forest_table"]

#: Groups of the landmark at the response assessment: no response (yet) and responders.
RESPONSE_LANDMARK_LABELS = {0: "no response by the landmark", 1: "responders by the landmark"}
#: Endpoints of the transplant Cox models (``Analysis.from_response`` codes) and their names.
TRANSPLANT_COX_ENDPOINTS = (("DFS", "disease-free survival"), ("OS", "overall survival"),
                            ("relapse", "relapse (cause-specific)"),
                            ("NRM", "non-relapse mortality (cause-specific)"))



class Analysis:
    """The analyses of one dataset.

    Parameters
    ----------
    dataset : Dataset
        A validated dataset (:func:`blina_analysis.data.io.load`).
    conf_level : float, optional, default: 0.95
        Confidence level of every interval.
    landmark_days : float, optional, default: 90
        Landmark of the transplant analyses, in days from response.
    """

    def __init__(self, dataset: Dataset, *, conf_level: float = CONF_LEVEL,
                 landmark_days: float = LANDMARK_DAYS):
        self.dataset = dataset
        self.conf_level = conf_level
        self.landmark_days = landmark_days
        self.adsl = derive_adsl(dataset.patients)
        self._cache: dict = {}

    @classmethod
    def from_dir(cls, path: str | Path, **kwargs) -> "Analysis":
        """Load and validate the dataset in ``path`` and analyse it."""
        return cls(load(path), **kwargs)

    # --- populations ------------------------------------------------------------------------

    def patients(self, pop: str = "all") -> pd.DataFrame:
        """The derived patient rows of population ``pop`` (see ``definitions.POPULATIONS``)."""
        if pop not in POPULATIONS:
            return population(self.adsl, pop)  # raises KeyError naming the known populations
        return self.adsl[self._selection(pop)]

    def n(self, pop: str = "all") -> int:
        """Number of patients in population ``pop``."""
        return int(self._selection(POPULATIONS[pop].code).sum())

    def require(self, *pops: str) -> None:
        """Raise :class:`~blina_analysis.errors.NoInformation` if any of ``pops`` is empty."""
        for pop in pops:
            if self.n(pop) == 0:
                raise NoInformation("empty_population", pop=pop)

    def _selection(self, pop: str) -> np.ndarray:
        """Boolean mask of population ``pop`` over ``self.adsl``, computed once per population
        (the rows are selected anew on each call, so callers get their own frame)."""
        return self._cached(("selection", pop),
                            lambda: POPULATIONS[pop].select(self.adsl).to_numpy())

    def _cached(self, key, compute):
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    # --- proportions --------------------------------------------------------------------------

    def proportion(self, pop: str, column: str, value=True) -> stats.Proportion:
        """Share of population ``pop`` whose ``column`` equals ``value`` (exact CI)."""
        sub = self.patients(pop)
        return stats.exact_ci(int((sub[column] == value).sum()), len(sub), self.conf_level)

    def response_table(self, pop: str, column: str) -> pd.DataFrame:
        """Patients of ``pop`` by category of the response ``column``, and those not yet assessed.

        ``column`` is ``"hematologic_response"`` (R/R: CR, CRh, CR or CRh, NR, NE) or
        ``"mrd_response"`` (MRD negative, positive, not assessed); the categories are
        :data:`~blina_analysis.definitions.RESPONSE_CATEGORIES`. Columns ``code, label, n, N,
        rate, ci_low, ci_high`` (exact interval); ``N`` is the patients assessed, i.e. without
        ``pending``. A last row, code ``pending``, counts the patients not yet assessed, with
        ``N``, ``rate`` and the interval missing: they are in no denominator.
        """
        def compute():
            values = self.patients(pop)[column]
            pending = (values == PENDING).to_numpy(dtype=bool)
            assessed = values[~pending]
            rows = []
            for cat in RESPONSE_CATEGORIES[column]:
                hit = assessed.isin(cat.values) if cat.values else assessed.isna()
                p = stats.exact_ci(int(hit.sum()), len(assessed), self.conf_level)
                rows.append({"code": cat.code, "label": cat.label, "n": p.n, "N": p.N,
                             "rate": float(p.rate) if p.N else np.nan,
                             "ci_low": float(p.ci_low) if p.N else np.nan,
                             "ci_high": float(p.ci_high) if p.N else np.nan})
            rows.append({"code": PENDING, "label": PENDING_LABEL, "n": int(pending.sum()),
                         "N": np.nan, "rate": np.nan, "ci_low": np.nan, "ci_high": np.nan})
            return pd.DataFrame(rows)
        return self._cached(("response_table", pop, column), compute)

    def response_rate(self, pop: str, column: str, code: str) -> stats.Proportion:
        """One category of :meth:`response_table` among the patients assessed (exact CI)."""
        t = self.response_table(pop, column).set_index("code")
        if code == PENDING or code not in t.index:
            raise KeyError(f"no response category {code!r} of {column!r}")
        return stats.exact_ci(int(t.at[code, "n"]), int(t.at[code, "N"]), self.conf_level)

    def n_pending(self, pop: str, column: str) -> int:
        """Patients of ``pop`` whose ``column`` is not yet assessed (``pending``)."""
        return int((self.patients(pop)[column] == PENDING).sum())

    @property
    def rr_response(self) -> stats.Proportion:
        """CR/CRh among the R/R group assessed for response."""
        return self.response_rate("rr", "hematologic_response", "CR/CRh")

    @property
    def rr_mrd_negativity(self) -> stats.Proportion:
        """MRD negativity among R/R responders assessed for MRD (not assessed: not negative)."""
        return self.response_rate("rr_responders", "mrd_response", "negative")

    @property
    def mrd_response(self) -> stats.Proportion:
        """MRD negativity in the MRD+ group assessed for response."""
        return self.response_rate("mrd", "mrd_response", "negative")

    def subgroup_response(self, pop: str = "rr_assessed") -> pd.DataFrame:
        """Response by subgroup: one row per level, with Fisher's exact p per subgroup.

        Subgroups and levels are :func:`~blina_analysis.definitions.subgroups`. Columns
        ``code, level_code, subgroup, level, n, N, rate, ci_low, ci_high, p_value, test,
        n_missing``. A subgroup variable with fewer than two known levels (e.g. Ph status not
        recorded) is left out. The default population leaves out responses not yet assessed.
        """
        def compute():
            sub = self.patients(pop)
            rows = []
            for sg in subgroups():
                values = sub[sg.column]
                if values.notna().sum() == 0 or values.dropna().nunique() < 2:
                    continue
                table = stats.compare_proportions(sub["responder"].to_numpy(),
                                                  values.to_numpy(dtype=object),
                                                  conf_level=self.conf_level)
                table = table.set_index("level")
                present = [lv for lv in sg.levels if lv.label in table.index]
                for i, lv in enumerate(present):
                    r = table.loc[lv.label]
                    rows.append({
                        "code": sg.code, "level_code": lv.code,
                        "subgroup": sg.heading, "level": lv.label,
                        "n": int(r["n"]), "N": int(r["N"]), "rate": float(r["rate"]),
                        "ci_low": float(r["ci_low"]), "ci_high": float(r["ci_high"]),
                        "p_value": float(table.attrs["p_value"]) if i == 0 else np.nan,
                        "test": table.attrs["test_name"] if i == 0 else "",
                        "n_missing": int(table.attrs["n_missing"]) if i == 0 else 0,
                    })
            return pd.DataFrame(rows, columns=["code", "level_code", "subgroup", "level", "n", "N", "rate", "ci_low",
                                               "ci_high", "p_value", "test", "n_missing"])
        return self._cached(("subgroups", pop), compute)

    def compared_subgroups(self, pop: str = "rr_assessed") -> pd.DataFrame:
        """:meth:`subgroup_response`, or :class:`~blina_analysis.errors.NoInformation` when the
        population is empty or no subgroup variable has two known values in it."""
        self.require(pop)
        t = self.subgroup_response(pop)
        if t.empty:
            raise NoInformation("no_comparable_subgroup", pop=pop)
        return t

    def subgroup_state(self, code: str, pop: str = "rr_assessed") -> str:
        """Whether subgroup ``code`` (:func:`~blina_analysis.definitions.subgroups`) is compared
        in :meth:`subgroup_response`: ``"compared"``, or why not: ``"empty"`` (no patient in
        ``pop``), ``"unknown"`` (no known value) or ``"single"`` (one known value only)."""
        if self.n(pop) == 0:
            return "empty"
        t = self.subgroup_response(pop)
        if (t["code"] == code).any():
            return "compared"
        column = subgroup(code).column
        return "unknown" if self.patients(pop)[column].notna().sum() == 0 else "single"

    def subgroup_reason(self, code: str, pop: str = "rr_assessed") -> NoInformation | None:
        """Why subgroup ``code`` is not in :meth:`subgroup_response` (None if it is)."""
        state = self.subgroup_state(code, pop)
        return {
            "compared": None,
            "empty": NoInformation("empty_population", pop=pop),
            "unknown": NoInformation("subgroup_unknown", subgroup=code, pop=pop),
            "single": NoInformation("subgroup_single_value", subgroup=code, pop=pop),
        }[state]

    def subgroup_rate(self, code: str, level: str, pop: str = "rr_assessed") -> stats.Proportion:
        """Response in one level of a subgroup (codes of
        :func:`~blina_analysis.definitions.subgroups`, e.g. ``("blasts", "low")``).

        Raises :class:`~blina_analysis.errors.NoInformation` when the subgroup is not compared
        or the level has no patient.
        """
        label = subgroup(code).level(level).label
        t = self.subgroup_response(pop)
        row = t[(t["code"] == code) & (t["level"] == label)] if len(t) else t
        if row.empty:
            raise (self.subgroup_reason(code, pop)
                   or NoInformation("subgroup_level_empty", subgroup=code, level=level))
        return stats.exact_ci(int(row["n"].iloc[0]), int(row["N"].iloc[0]), self.conf_level)

    # --- survival -----------------------------------------------------------------------------

    def tte(self, pop: str, endpoint: str) -> pd.DataFrame:
        """Time-to-event rows of ``endpoint`` for population ``pop``."""
        return self._cached(("tte", pop, endpoint),
                            lambda: derive_tte(self.patients(pop), endpoint))

    def km(self, pop: str, endpoint: str, label: str | None = None) -> stats.SurvivalCurve:
        """Kaplan–Meier curve of ``endpoint`` (``OS`` or ``DFS``) in population ``pop``."""
        if ENDPOINTS[endpoint].competing:
            raise ValueError(f"{endpoint} has a competing event: use cumulative_incidence, "
                             "not 1 - Kaplan-Meier")
        label = label or POPULATIONS[pop].name
        self.require(pop)

        def compute():
            t = self.tte(pop, endpoint)
            return stats.kaplan_meier(t["time_days"].to_numpy(), t["event"].to_numpy(),
                                      conf_level=self.conf_level, label=label)
        return self._cached(("km", pop, endpoint, label), compute)

    def km_at(self, pop: str, endpoint: str, days: float) -> stats.Estimate:
        """:meth:`km` read at ``days``; :class:`~blina_analysis.errors.NoInformation` if the
        population is empty or its curve ends (censored) before ``days``."""
        estimate = self.km(pop, endpoint).at(days)
        if math.isnan(estimate.estimate):
            raise NoInformation("not_followed_long_enough", pop=pop, days=float(days))
        return estimate

    def km_curves(self, spec: dict[str, tuple[str, str]]) -> dict:
        """``{name: km(pop, endpoint)}`` for ``spec = {name: (pop, endpoint)}``; an empty
        population gives its :class:`~blina_analysis.errors.NoInformation` instead of a curve."""
        out = {}
        for name, (pop, endpoint) in spec.items():
            try:
                out[name] = self.km(pop, endpoint)
            except NoInformation as exc:
                out[name] = exc
        return out

    def followup(self, pop: str = "all") -> stats.Median:
        """Median follow-up by reverse Kaplan–Meier (censoring of overall survival reversed).

        Raises :class:`~blina_analysis.errors.NoInformation` when the population is empty or
        the median is not reached (too few patients alive at last contact).
        """
        median = self.followup_summary(pop).median
        if not median.reached:
            alive = int((self.tte(pop, "OS")["event"] == 0).sum())
            raise NoInformation("followup_everyone_died" if alive == 0
                                else "followup_too_few_alive", pop=pop)
        return median

    def followup_summary(self, pop: str = "all") -> stats.FollowUp:
        """Median follow-up (reverse Kaplan–Meier) and the range of follow-up of the patients
        alive at last contact. Raises :class:`~blina_analysis.errors.NoInformation` when the
        population is empty."""
        self.require(pop)

        def compute():
            t = self.tte(pop, "OS")
            return stats.followup_summary(t["time_days"].to_numpy(), t["event"].to_numpy(),
                                          conf_level=self.conf_level)
        return self._cached(("followup", pop), compute)

    # --- survival by response (response is observed after time zero) -------------------------

    def by_response(self, pop: str, endpoint: str):
        """``(time, event, response_time)`` of ``pop`` from the start of blinatumomab, with the
        day of response as a time-dependent exposure (NaN for non-responders)."""
        self.require(pop)
        sub = self.patients(pop)
        t = self.tte(pop, endpoint)
        response = np.where(sub["responder"].to_numpy(), sub["days_to_response"].to_numpy(),
                            np.nan)
        return t["time_days"].to_numpy(), t["event"].to_numpy(), response

    def response_landmark(self, pop: str, endpoint: str) -> stats.LandmarkResult:
        """Landmark at the response assessment (``RESPONSE_LANDMARK_DAYS`` from the start):
        patients still in follow-up then, by response by then, followed from the landmark.

        Raises :class:`~blina_analysis.errors.NoInformation` when the population is empty or
        nobody is still in follow-up at the landmark.
        """
        def compute():
            time, event, response = self.by_response(pop, endpoint)
            if not (time > RESPONSE_LANDMARK_DAYS).any():
                raise NoInformation("nobody_at_response_landmark", pop=pop,
                                    days=float(RESPONSE_LANDMARK_DAYS))
            return stats.landmark(time, event, response,
                                  landmark=RESPONSE_LANDMARK_DAYS, conf_level=self.conf_level,
                                  labels=RESPONSE_LANDMARK_LABELS)
        return self._cached(("response_landmark", pop, endpoint), compute)

    def response_mantel_byar(self, pop: str, endpoint: str) -> stats.TestResult:
        """Mantel–Byar test of ``endpoint`` with response as a time-dependent state, from the
        start of blinatumomab (non-responders until the day of response, responders after).

        Raises :class:`~blina_analysis.errors.NoInformation` when the test has no information
        (empty population, no event, or no event while both states were at risk).
        """
        def compute():
            time, event, response = self.by_response(pop, endpoint)
            if not np.asarray(event).any():
                raise NoInformation("no_event_to_compare_by_response", pop=pop,
                                    endpoint=endpoint)
            if np.isnan(response).all():
                raise NoInformation("no_responder_to_compare", pop=pop)
            test = stats.mantel_byar(time, event, response)
            if math.isnan(test.p_value):
                raise NoInformation("no_event_while_both_response_states_at_risk",
                                    endpoint=endpoint)
            return test
        return self._cached(("response_mantel_byar", pop, endpoint), compute)

    # --- competing risks ----------------------------------------------------------------------

    def cumulative_incidence(self, pop: str = "responders") -> dict[str, object]:
        """Relapse and non-relapse mortality (competing) in population ``pop``."""
        self.require(pop)

        def compute():
            t = self.tte(pop, "CIR")
            time, event = t["time_days"].to_numpy(), t["event"].to_numpy()
            return {
                "relapse": stats.cumulative_incidence(time, event, cause=1, label="relapse",
                                                      conf_level=self.conf_level),
                "non-relapse mortality": stats.cumulative_incidence(
                    time, event, cause=2, label="non-relapse mortality",
                    conf_level=self.conf_level),
            }
        return self._cached(("cif", pop), compute)

    # --- transplant after blinatumomab --------------------------------------------------------

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
        t = self.tte("responders", "CIR" if cause else endpoint)
        time = t["time_days"].to_numpy() - resp["days_to_response"].to_numpy()
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

    # --- safety -------------------------------------------------------------------------------

    @cached_property
    def _worst(self) -> pd.DataFrame:
        """Worst grade per patient and category (patients without events absent)."""
        ae = self.dataset.adverse_events
        return ae.groupby(["patient_id", "category"], as_index=False)["grade"].max()

    def grade34(self) -> stats.Proportion:
        """Patients with at least one grade 3 or 4 adverse event, of all treated patients
        (the paper's measure; the book reports grade ≥3, :meth:`grade3plus`)."""
        ae = self.dataset.adverse_events
        n = ae.loc[ae["grade"].isin([3, 4]), "patient_id"].nunique()
        return stats.exact_ci(int(n), self.n("all"), self.conf_level)

    def grade3plus(self) -> stats.Proportion:
        """Patients with at least one adverse event of grade 3 or higher, of all treated."""
        return self.worst_grade_share(3, 5)

    def worst_grade_share(self, low: int, high: int) -> stats.Proportion:
        """Patients whose worst adverse event grade (any category) is ``low``–``high``."""
        worst = self.dataset.adverse_events.groupby("patient_id")["grade"].max()
        n = int(((worst >= low) & (worst <= high)).sum())
        return stats.exact_ci(n, self.n("all"), self.conf_level)

    def ae_table(self, by: str = "category") -> pd.DataFrame:
        """Patients by worst grade, per category, or per term nested in its category.

        Columns ``category`` (and ``term`` when ``by="term"``), ``any_n``, ``grade3plus_n``,
        ``grade_1_2``, ``grade_3``, ``grade_4``, ``grade_5``, ``N`` (all treated patients — the
        denominator is the safety set, not the adverse-event rows). Each patient counts once per
        row, at the worst grade, so the grade columns add up to ``any_n``. Categories are sorted by
        ``any_n`` (most frequent first); terms follow the order of their categories, then by
        ``any_n`` within a category.
        Raises :class:`~blina_analysis.errors.NoInformation` when no adverse event was recorded.
        """
        ae = self.dataset.adverse_events
        if ae.empty:
            raise NoInformation("no_adverse_events")
        keys = ["category"] if by == "category" else ["category", "term"]
        worst = ae.groupby(["patient_id", *keys], as_index=False)["grade"].max()
        counts = (worst.assign(
            grade_1_2=worst["grade"] <= 2, grade_3=worst["grade"] == 3,
            grade_4=worst["grade"] == 4, grade_5=worst["grade"] == 5)
            .groupby(keys)[["grade_1_2", "grade_3", "grade_4", "grade_5"]].sum().astype(int))
        counts["any_n"] = counts.sum(axis=1)
        counts["grade3plus_n"] = counts[["grade_3", "grade_4", "grade_5"]].sum(axis=1)
        counts["N"] = self.n("all")
        counts = counts.reset_index()
        if by == "category":
            counts = counts.sort_values(["any_n", "category"], ascending=[False, True],
                                        kind="mergesort")
        else:
            rank = {c: i for i, c in enumerate(self.ae_table("category")["category"])}
            counts = counts.assign(_rank=counts["category"].map(rank)).sort_values(
                ["_rank", "any_n", "term"], ascending=[True, False, True], kind="mergesort")
        return counts[[*keys, "any_n", "grade3plus_n", "grade_1_2", "grade_3", "grade_4",
                       "grade_5", "N"]].reset_index(drop=True)

    def patients_with(self, category: str, min_grade: int = 1) -> stats.Proportion:
        """Patients with an adverse event of ``category`` of at least ``min_grade``."""
        ae = self.dataset.adverse_events
        hit = ae[(ae["category"] == category) & (ae["grade"] >= min_grade)]
        return stats.exact_ci(int(hit["patient_id"].nunique()), self.n("all"), self.conf_level)

    # --- description --------------------------------------------------------------------------

    def disposition(self) -> dict[str, int]:
        """Counts for the flow diagram, by cohort; the counts of each level add up to their parent.

        ``enrolled`` = ``mrd`` + ``rr`` (the cohorts). For each cohort prefix ``p`` (``mrd``,
        ``rr``): ``p`` = ``p_pending`` (response not yet assessed) + ``p_responders`` +
        ``p_non_responders``. The responders split by category (R/R: ``rr_cr`` + ``rr_crh``)
        and the non-responders too (R/R: ``rr_nr`` + ``rr_ne``; MRD group: ``mrd_positive`` +
        ``mrd_not_assessed``). Responders = ``p_hsct_after`` + ``p_no_hsct_after`` (allo-HSCT
        after blinatumomab or not), and each of these = ``…_alive_in_remission`` +
        ``…_relapsed`` + ``…_died_without_relapse`` at last follow-up (e.g.
        ``rr_hsct_after_relapsed``). Non-responders = ``p_non_responders_alive`` +
        ``p_non_responders_died``.
        """
        a = self.adsl
        out = {"enrolled": len(a)}
        breakdown = {"rr": ("hematologic_response", ("CR", "CRh"), ("NR", "NE")),
                     "mrd": ("mrd_response", (), ("positive", "not assessed"))}
        for code, group in (("mrd", "MRD"), ("rr", "RR")):
            g = a[a["group"] == group]
            status = g["response_status"]
            resp, non = g[g["responder"]], g[status == "non-responder"]
            out[code] = len(g)
            out[f"{code}_pending"] = int((status == PENDING).sum())
            out[f"{code}_responders"] = len(resp)
            out[f"{code}_non_responders"] = len(non)
            column, responder_codes, non_responder_codes = breakdown[code]
            table = self.response_table(code, column).set_index("code")["n"]
            for c in (*responder_codes, *non_responder_codes):
                out[f"{code}_{c.lower().replace(' ', '_')}"] = int(table[c])
            for branch, sub in (("hsct_after", resp[resp["hsct_after_bc"]]),
                                ("no_hsct_after", resp[~resp["hsct_after_bc"]])):
                relapse, death = sub["relapse"].to_numpy(bool), sub["death"].to_numpy(bool)
                out[f"{code}_{branch}"] = len(sub)
                out[f"{code}_{branch}_alive_in_remission"] = int((~relapse & ~death).sum())
                out[f"{code}_{branch}_relapsed"] = int(relapse.sum())
                out[f"{code}_{branch}_died_without_relapse"] = int((death & ~relapse).sum())
            out[f"{code}_non_responders_alive"] = int((~non["death"].to_numpy(bool)).sum())
            out[f"{code}_non_responders_died"] = int(non["death"].to_numpy(bool).sum())
        return out

    def swimmer_lanes(self) -> pd.DataFrame:
        """One anonymous lane per patient, days from the start (no IDs, no calendar dates)."""
        a = self.adsl
        start = a["bc_start_date"]

        def days(col):
            return (a[col] - start).dt.days.astype(float).to_numpy()

        resp = a["responder"].to_numpy()
        mrd_neg = ((a["group"] == "MRD") & a["responder"]).to_numpy()
        lanes = pd.DataFrame({
            "group": np.where(a["group"] == "MRD", "MRD+", "R/R"),
            "followup_days": a["followup_days"].to_numpy(),
            "response_days": np.where(resp & ~mrd_neg, days("response_date"), np.nan),
            "mrd_negative_days": np.where(mrd_neg, days("response_date"), np.nan),
            "hsct_days": days("hsct_after_bc_date"),
            "relapse_days": days("relapse_date"),
            "death_days": days("death_date"),
            "ongoing": ~a["death"].to_numpy(),
        })
        lanes = lanes.sort_values(["group", "followup_days"], kind="mergesort")
        return lanes.assign(lane=np.arange(len(lanes))).reset_index(drop=True)

    def table1(self) -> pd.DataFrame:
        """Patient characteristics by cohort (numbers; :func:`tables.table1` formats them).

        Columns ``characteristic, level, kind`` and, for each of ``MRD``, ``RR`` and ``all``:
        ``n`` (count) and ``N`` for categorical rows, or ``median, min, max, n`` for continuous
        rows. Missing values are shown as their own level ``missing``.
        """
        a = self.adsl
        groups = {"MRD": a[a["group"] == "MRD"], "RR": a[a["group"] == "RR"], "all": a}
        rows = []

        def continuous(name, column):
            row = {"characteristic": name, "level": "median (range)", "kind": "continuous"}
            for g, sub in groups.items():
                v = sub[column].dropna().astype(float)
                row[f"{g}_median"] = float(v.median()) if len(v) else np.nan
                row[f"{g}_min"] = float(v.min()) if len(v) else np.nan
                row[f"{g}_max"] = float(v.max()) if len(v) else np.nan
                row[f"{g}_n"] = int(len(v))
                row[f"{g}_N"] = int(len(sub))
            rows.append(row)

        def categorical(name, column, levels, labels=None):
            values = {g: sub[column] for g, sub in groups.items()}
            show = list(levels) + (["missing"] if any(v.isna().any() for v in values.values())
                                   else [])
            for lv in show:
                row = {"characteristic": name,
                       "level": (labels or {}).get(lv, lv), "kind": "categorical"}
                for g, v in values.items():
                    row[f"{g}_n"] = int(v.isna().sum() if lv == "missing" else (v == lv).sum())
                    row[f"{g}_N"] = int(len(v))
                rows.append(row)

        continuous("Age, years", "age")
        categorical("Sex", "sex", ["M", "F"], {"M": "male", "F": "female"})
        categorical("Prior allo-HSCT", "prior_allo_hsct", [True], {True: "yes"})
        categorical("Cytogenetic risk", "cytogenetic_risk", ["standard", "high"])
        if a["ph_status"].notna().any():
            categorical("Ph status", "ph_status", ["negative", "positive"],
                        {"negative": "Ph−", "positive": "Ph+"})
        continuous("Marrow blasts, %", "marrow_blasts_pct")
        continuous("Blinatumomab cycles", "cycles")
        return pd.DataFrame(rows)


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


def pivotal_comparison(an: Analysis) -> pd.DataFrame:
    """Response rates of this trial beside the pivotal trials' (rows flagged for the forest plot).

    Columns ``group, label, n, N, rate, ci_low, ci_high, ci_source``. Published intervals are used
    where the trial reported one; otherwise the exact (Clopper–Pearson) interval is computed here
    from the reported n/N.
    """
    from blina_analysis.data.published import pivotal_trials

    rows = []
    ours = {"rr": ("R/R: CR/CRh", an.rr_response), "mrd": ("MRD+: MRD negativity",
                                                             an.mrd_response)}
    trials = pivotal_trials()
    for group, (heading, p) in ours.items():
        if p.N:  # an empty cohort has no rate to show beside the trials'
            rows.append({"group": heading, "label": "this trial", "n": p.n, "N": p.N,
                         "rate": p.rate, "ci_low": p.ci_low, "ci_high": p.ci_high,
                         "ci_source": "exact, this build"})
        for t in trials[trials["forest"] == group].to_dict("records"):
            if pd.notna(t["ci_low"]):
                lo, hi, src = t["ci_low"], t["ci_high"], "published"
            else:
                exact = stats.exact_ci(int(t["n"]), int(t["N"]))
                lo, hi, src = exact.ci_low, exact.ci_high, "exact, from published n/N"
            rows.append({"group": heading, "label": t["trial"], "n": int(t["n"]),
                         "N": int(t["N"]), "rate": int(t["n"]) / int(t["N"]), "ci_low": lo,
                         "ci_high": hi, "ci_source": src})
    return pd.DataFrame(rows)


def subgroup_forest_table(an: Analysis, pop: str = "rr") -> pd.DataFrame:
    """:meth:`Analysis.subgroup_response` in the columns :func:`figures.forest_plot` expects.

    Raises :class:`~blina_analysis.errors.NoInformation` when no subgroup can be compared.
    """
    t = an.compared_subgroups(pop)
    return pd.DataFrame({"group": t["subgroup"], "label": t["level"], "n": t["n"], "N": t["N"],
                         "rate": t["rate"], "ci_low": t["ci_low"], "ci_high": t["ci_high"],
                         "p_value": t["p_value"]})
