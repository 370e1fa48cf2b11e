"""Response: categories among the patients assessed, the headline rates, and response by subgroup."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from blina_analysis import stats
from blina_analysis.data.schema import PENDING
from blina_analysis.analyses.testable import NotTested, outcome_events, why_not_tested
from blina_analysis.definitions import (
    EVENTS_PER_VARIABLE,
    PENDING_LABEL,
    RESPONSE_CATEGORIES,
    RESPONSE_LANDMARK_DAYS,
    subgroup,
    subgroups,
)
from blina_analysis.errors import NoInformation

__all__ = ["Responses", "ResponseState", "ResponseTiming", "SubgroupModelRoom"]

_SUBGROUP_COLUMNS = ("code", "level_code", "subgroup", "level", "n", "N", "rate", "ci_low",
                     "ci_high", "difference", "diff_ci_low", "diff_ci_high", "p_value", "p_holm",
                     "test", "not_tested", "exploratory", "n_missing")


@dataclass(frozen=True)
class SubgroupModelRoom:
    """Room for a multivariable model of response: ``events`` of the less frequent outcome,
    ``terms_allowed`` at the events-per-variable limit, ``candidates`` the paper's subgroup
    variables that can be compared in this dataset."""

    events: int
    terms_allowed: int
    candidates: int


@dataclass(frozen=True)
class ResponseState:
    """Survival by response as a time-dependent state (not yet responded → responded).

    Attributes
    ----------
    n : int
        Patients analysed.
    n_responded : int
        Patients who responded before the end of their follow-up (entered the state).
    n_never : int
        Patients who never did (non-responders, responses not yet assessed).
    events : int
        Events of the endpoint.
    events_after_response : int
        Of them, after the response.
    cox : CoxResult or None
        Time-dependent Cox model: hazard ratio of the responded state against the state of not
        (yet) having responded, Wald 95% CI; None when not tested.
    mantel_byar : TestResult or None
        The Mantel–Byar test (the test quoted); None when not tested.
    not_tested : NotTested or None
        Why there is no test (then ``cox`` and ``mantel_byar`` are None).
    """

    n: int
    n_responded: int
    n_never: int
    events: int
    events_after_response: int
    cox: stats.CoxResult | None
    mantel_byar: stats.TestResult | None
    not_tested: NotTested | None


@dataclass(frozen=True)
class ResponseTiming:
    """When responders responded, and how long the responses lasted.

    Attributes
    ----------
    n_responders : int
        Responders (with a response date).
    median_days, min_days, max_days : float
        Time from the start of blinatumomab to response: median and range, in days.
    by_landmark : Proportion
        Responses recorded by day ``landmark_days`` (two cycles) among the patients assessed.
    landmark_days : int
        :data:`~blina_analysis.definitions.RESPONSE_LANDMARK_DAYS`.
    duration : SurvivalCurve
        Duration of response (endpoint ``DOR``): Kaplan–Meier from the response date to relapse
        or death, censored at last contact.
    """

    n_responders: int
    median_days: float
    min_days: float
    max_days: float
    by_landmark: stats.Proportion
    landmark_days: int
    duration: stats.SurvivalCurve


class Responses:
    """Response of each cohort (exact Clopper–Pearson intervals) and by subgroup."""

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
    def rr_mrd_negativity_all_treated(self) -> stats.Proportion:
        """MRD-negative R/R responders among ALL R/R patients treated (intention to treat: no
        response, not assessed and not yet assessed count as not MRD-negative)."""
        rr = self.patients("rr")
        negative = rr["responder"].to_numpy(bool) & (rr["mrd_response"] == "negative").to_numpy()
        return stats.exact_ci(int(negative.sum()), len(rr), self.conf_level)

    def response_timing(self, pop: str = "rr") -> ResponseTiming:
        """Time to response, responses by the two-cycle assessment, and duration of response in
        ``pop`` (``"rr"``: CR/CRh; ``"mrd"``: MRD negativity).

        Raises :class:`~blina_analysis.errors.NoInformation` when ``pop`` has no responder.
        """
        responders = f"{pop}_responders"
        self.require(pop)
        if self.n(responders) == 0:
            raise NoInformation("no_responder_to_time", pop=pop)

        def compute():
            days = self.patients(responders)["days_to_response"].to_numpy(dtype=float)
            assessed = self.patients(f"{pop}_assessed")
            early = (assessed["responder"].to_numpy(bool)
                     & (assessed["days_to_response"].to_numpy(dtype=float)
                        <= RESPONSE_LANDMARK_DAYS))
            return ResponseTiming(
                n_responders=int(days.size), median_days=float(np.median(days)),
                min_days=float(days.min()), max_days=float(days.max()),
                by_landmark=stats.exact_ci(int(early.sum()), len(assessed), self.conf_level),
                landmark_days=int(RESPONSE_LANDMARK_DAYS),
                duration=self.km(responders, "RFS"))
        return self._cached(("response_timing", pop), compute)

    def response_state(self, pop: str, endpoint: str) -> ResponseState:
        """``endpoint`` by response as a time-dependent state, from the start of blinatumomab:
        time-dependent Cox hazard ratio and Mantel–Byar test, when the comparison may be tested
        (:func:`~.testable.why_not_tested`: patients who responded and who never did, and the
        events).

        Raises :class:`~blina_analysis.errors.NoInformation` when there is nothing to compare
        (empty population, no event, no responder, or no event while both states were at risk).
        """
        def compute():
            time, event, response = self.by_response(pop, endpoint)
            responded = ~np.isnan(response) & (response < time)
            events = int(np.asarray(event).sum())
            after = int((np.asarray(event)[responded] > 0).sum())
            counts = dict(n=int(time.size), n_responded=int(responded.sum()),
                          n_never=int((~responded).sum()), events=events,
                          events_after_response=after)
            test = self.response_mantel_byar(pop, endpoint)  # NoInformation: nothing to compare
            not_tested = why_not_tested([counts["n_responded"], counts["n_never"]], events)
            if not_tested:
                return ResponseState(**counts, cox=None, mantel_byar=None, not_tested=not_tested)
            cox = stats.time_varying_cox(time, event, response, conf_level=self.conf_level)
            return ResponseState(**counts, cox=cox, mantel_byar=test, not_tested=None)
        return self._cached(("response_state", pop, endpoint), compute)

    @property
    def mrd_response(self) -> stats.Proportion:
        """MRD negativity in the MRD+ group assessed for response."""
        return self.response_rate("mrd", "mrd_response", "negative")

    def subgroup_response(self, pop: str = "rr_assessed") -> pd.DataFrame:
        """Response by subgroup: one row per level, and per subgroup the difference between its
        two levels with a test where :func:`~.testable.why_not_tested` allows one.

        Subgroups and levels are :func:`~blina_analysis.definitions.subgroups`. Columns
        ``code, level_code, subgroup, level, n, N, rate, ci_low, ci_high`` (exact interval) for
        every level, and on the first level of each subgroup: ``difference, diff_ci_low,
        diff_ci_high`` (first level minus second, Newcombe's hybrid score interval),
        ``p_value`` (Fisher's exact test; NaN when not tested), ``p_holm`` (Holm-adjusted over
        the subgroups tested), ``test``, ``not_tested`` (a
        :class:`~.testable.NotTested`, or None), ``exploratory`` and ``n_missing`` (patients
        whose value is unknown). A subgroup variable with fewer than two known levels (e.g. Ph
        status not recorded) is left out. The default population leaves out responses not yet
        assessed.
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
                first, second = (table.loc[lv.label] for lv in present[:2])
                diff = stats.rate_difference(int(first["n"]), int(first["N"]), int(second["n"]),
                                             int(second["N"]), self.conf_level)
                known_n, known_N = int(table["n"].sum()), int(table["N"].sum())
                not_tested = why_not_tested([int(table.at[lv.label, "N"]) for lv in present],
                                            outcome_events(known_n, known_N))
                p_value = np.nan if not_tested else float(table.attrs["p_value"])
                for i, lv in enumerate(present):
                    r = table.loc[lv.label]
                    head = i == 0
                    rows.append({
                        "code": sg.code, "level_code": lv.code,
                        "subgroup": sg.heading, "level": lv.label,
                        "n": int(r["n"]), "N": int(r["N"]), "rate": float(r["rate"]),
                        "ci_low": float(r["ci_low"]), "ci_high": float(r["ci_high"]),
                        "difference": float(diff.difference) if head else np.nan,
                        "diff_ci_low": float(diff.ci_low) if head else np.nan,
                        "diff_ci_high": float(diff.ci_high) if head else np.nan,
                        "p_value": p_value if head else np.nan,
                        "p_holm": np.nan,
                        "test": table.attrs["test_name"] if head and not not_tested else "",
                        "not_tested": not_tested if head else None,
                        "exploratory": bool(sg.exploratory),
                        "n_missing": int(table.attrs["n_missing"]) if head else 0,
                    })
            out = pd.DataFrame(rows, columns=list(_SUBGROUP_COLUMNS))
            if len(out):
                out["p_holm"] = stats.holm(out["p_value"].to_numpy(dtype=float))
            return out
        return self._cached(("subgroups", pop), compute)

    def subgroup_unknown(self, code: str, pop: str = "rr_assessed") -> stats.Proportion:
        """Response among the patients of ``pop`` whose subgroup ``code`` is unknown (exact CI;
        N = 0 when every value is known)."""
        sub = self.patients(pop)
        unknown = sub[subgroup(code).column].isna().to_numpy()
        return stats.exact_ci(int(sub["responder"].to_numpy()[unknown].sum()), int(unknown.sum()),
                              self.conf_level)

    def subgroup_model_room(self, pop: str = "rr_assessed") -> SubgroupModelRoom:
        """How many terms a multivariable model of response could hold in ``pop`` (events per
        variable: :data:`~blina_analysis.definitions.EVENTS_PER_VARIABLE`), against the
        subgroup variables the paper analysed that can be compared here."""
        self.require(pop)
        sub = self.patients(pop)
        events = outcome_events(int(sub["responder"].sum()), len(sub))
        t = self.subgroup_response(pop)
        candidates = sorted(set(t.loc[~t["exploratory"].astype(bool), "code"])) if len(t) else []
        return SubgroupModelRoom(events=events, terms_allowed=events // EVENTS_PER_VARIABLE,
                                 candidates=len(candidates))

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
