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
from blina_analysis.definitions import (
    CONF_LEVEL,
    ENDPOINTS,
    LANDMARK_DAYS,
    POPULATIONS,
    population,
)
from blina_analysis.derive import derive_adsl, derive_tte
from blina_analysis.data.io import Dataset, load
from blina_analysis.errors import NoInformation

__all__ = ["Analysis", "SUBGROUPS", "pivotal_comparison", "subgroup_forest_table"]

#: Subgroups of the R/R response table: (heading, column of the derived table, level order).
SUBGROUPS: tuple[tuple[str, str, tuple], ...] = (
    ("Cytogenetic risk", "cytogenetic_risk", ("standard", "high")),
    ("Marrow blasts", "blasts_group", ("<50%", "≥50%")),
    ("Prior allo-HSCT", "prior_allo_hsct", (True, False)),
    ("Age", "age_group", ("<40", "≥40")),
    ("Ph status", "ph_status", ("negative", "positive")),
    ("Sex", "sex", ("F", "M")),
)
_LEVEL_LABELS = {True: "yes", False: "no", "standard": "standard", "high": "high",
                 "negative": "Ph−", "positive": "Ph+", "F": "female", "M": "male"}

#: How a reader is told that a population is empty: "No patient of this dataset was <...>."
_MEMBERSHIP = {"all": "treated", "rr": "in the R/R group", "mrd": "in the MRD+ group"}
#: What counts as an event of each endpoint, in words ("No responder <...>").
_EVENT_WORDS = {"OS": "died", "DFS": "relapsed or died", "CIR": "relapsed or died"}
_EVENT_NOUNS = {"OS": "death", "DFS": "relapse or death", "CIR": "relapse or death"}
NO_TRANSPLANT = ("No responder was transplanted after blinatumomab, so the transplant analyses "
                 "have no information.")
NO_ADVERSE_EVENTS = "No adverse event was recorded in this dataset."
ALL_TRANSPLANTED = ("Every responder was transplanted after blinatumomab, so there is no "
                    "untransplanted group to compare with.")


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

    def empty_reason(self, pop: str) -> str:
        """The sentence that says population ``pop`` is empty in this dataset."""
        where = _MEMBERSHIP.get(pop, f"among the {POPULATIONS[pop].name}")
        return f"No patient of this dataset was {where}."

    def require(self, *pops: str) -> None:
        """Raise :class:`~blina_analysis.errors.NoInformation` if any of ``pops`` is empty."""
        for pop in pops:
            if self.n(pop) == 0:
                raise NoInformation(self.empty_reason(pop))

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

    @property
    def rr_response(self) -> stats.Proportion:
        """CR/CRh among the R/R group."""
        return self.proportion("rr", "responder")

    @property
    def rr_mrd_negativity(self) -> stats.Proportion:
        """MRD negativity among R/R responders (missing MRD counts as not negative)."""
        return self.proportion("rr_responders", "mrd_response", "negative")

    @property
    def mrd_response(self) -> stats.Proportion:
        """MRD negativity in the MRD+ group."""
        return self.proportion("mrd", "responder")

    def subgroup_response(self, pop: str = "rr") -> pd.DataFrame:
        """Response by subgroup: one row per level, with Fisher's exact p per subgroup.

        Columns ``subgroup, level, n, N, rate, ci_low, ci_high, p_value, test, n_missing``.
        A subgroup variable without any known value (e.g. Ph status not recorded) is left out.
        """
        def compute():
            sub = self.patients(pop)
            rows = []
            for heading, column, order in SUBGROUPS:
                values = sub[column]
                if values.notna().sum() == 0 or values.dropna().nunique() < 2:
                    continue
                table = stats.compare_proportions(sub["responder"].to_numpy(),
                                                  values.to_numpy(dtype=object),
                                                  conf_level=self.conf_level)
                table = table.set_index("level").reindex(
                    [lv for lv in order if lv in set(table["level"])]).reset_index()
                for i, r in table.iterrows():
                    rows.append({
                        "subgroup": heading, "level": _LEVEL_LABELS.get(r["level"], r["level"]),
                        "n": int(r["n"]), "N": int(r["N"]), "rate": float(r["rate"]),
                        "ci_low": float(r["ci_low"]), "ci_high": float(r["ci_high"]),
                        "p_value": float(table.attrs["p_value"]) if i == 0 else np.nan,
                        "test": table.attrs["test_name"] if i == 0 else "",
                        "n_missing": int(table.attrs["n_missing"]) if i == 0 else 0,
                    })
            return pd.DataFrame(rows, columns=["subgroup", "level", "n", "N", "rate", "ci_low",
                                               "ci_high", "p_value", "test", "n_missing"])
        return self._cached(("subgroups", pop), compute)

    def compared_subgroups(self, pop: str = "rr") -> pd.DataFrame:
        """:meth:`subgroup_response`, or :class:`~blina_analysis.errors.NoInformation` when the
        population is empty or no subgroup variable has two known values in it."""
        self.require(pop)
        t = self.subgroup_response(pop)
        if t.empty:
            raise NoInformation("No subgroup variable has two known values in the "
                                f"{POPULATIONS[pop].name} of this dataset, so response cannot be "
                                "compared by subgroup.")
        return t

    def subgroup_state(self, heading: str, pop: str = "rr") -> str:
        """Whether subgroup variable ``heading`` is compared in :meth:`subgroup_response`:
        ``"compared"``, or why not: ``"empty"`` (no patient in ``pop``), ``"unknown"`` (no
        known value) or ``"single"`` (one known value only)."""
        if self.n(pop) == 0:
            return "empty"
        if (self.subgroup_response(pop)["subgroup"] == heading).any():
            return "compared"
        column = next(c for h, c, _ in SUBGROUPS if h == heading)
        return "unknown" if self.patients(pop)[column].notna().sum() == 0 else "single"

    def subgroup_reason(self, heading: str, pop: str = "rr") -> str | None:
        """Why subgroup variable ``heading`` is not in :meth:`subgroup_response` (None if it is)."""
        state = self.subgroup_state(heading, pop)
        group = "R/R patient" if pop == "rr" else "patient"
        return {
            "compared": None,
            "empty": self.empty_reason(pop),
            "unknown": f"{heading} is unknown for every {group} of this dataset.",
            "single": (f"{heading} takes a single value among the {group}s of this dataset, so "
                       "response cannot be compared by it."),
        }[state]

    def subgroup_rate(self, heading: str, level: str, pop: str = "rr") -> stats.Proportion:
        """One row of :meth:`subgroup_response` as a :class:`~blina_analysis.stats.Proportion`.

        Raises :class:`~blina_analysis.errors.NoInformation` when the variable is not compared.
        """
        t = self.subgroup_response(pop)
        row = t[(t["subgroup"] == heading) & (t["level"] == level)]
        if row.empty:
            raise NoInformation(self.subgroup_reason(heading, pop)
                                or f"No patient had {heading.lower()} {level}.")
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
            who = _MEMBERSHIP.get(pop, f"among the {POPULATIONS[pop].name}")
            raise NoInformation(f"No patient {who} was followed long enough for this estimate.")
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

    def km_compare(self, pops: tuple[str, ...], endpoint: str):
        """Curves of ``endpoint`` for several disjoint populations, and their log-rank test."""
        self.require(*pops)
        curves = [self.km(p, endpoint) for p in pops]
        frames = [self.tte(p, endpoint).assign(_g=i) for i, p in enumerate(pops)]
        both = pd.concat(frames, ignore_index=True)
        test = stats.logrank_test(both["time_days"].to_numpy(), both["event"].to_numpy(),
                                  both["_g"].to_numpy())
        return curves, test

    def followup(self, pop: str = "all") -> stats.Median:
        """Median follow-up by reverse Kaplan–Meier (censoring of overall survival reversed).

        Raises :class:`~blina_analysis.errors.NoInformation` when the median is not reached
        (too few patients alive at last contact).
        """
        self.require(pop)
        t = self.tte(pop, "OS")
        median = stats.reverse_km_followup(t["time_days"].to_numpy(), t["event"].to_numpy(),
                                           conf_level=self.conf_level)
        if not median.reached:
            alive = int((t["event"] == 0).sum())
            raise NoInformation(
                "Median follow-up cannot be estimated by the reverse Kaplan–Meier method: "
                + ("every patient died." if alive == 0 else
                   "too few patients were alive at last contact."))
        return median

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

    def gray_test(self, pop: str, by: str, cause: int = 1) -> stats.TestResult:
        """Gray's test of the cumulative incidence of ``cause`` between levels of ``by``."""
        self.require(pop)
        t = self.tte(pop, "CIR")
        group = self.patients(pop)[by].to_numpy()
        if by == "hsct_after_bc":
            self.require_transplant_groups()
        elif pd.Series(group).nunique() < 2:
            raise NoInformation(f"Every patient {_MEMBERSHIP.get(pop, 'of the population')} "
                                "falls in one group, so there is nothing to compare.")
        return stats.gray_test(t["time_days"].to_numpy(), t["event"].to_numpy(), group,
                               cause=cause)

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
            raise NoInformation(NO_TRANSPLANT)
        if after.all():
            raise NoInformation(ALL_TRANSPLANTED)

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
        (exposure NaN for responders never transplanted after blinatumomab).
        Raises :class:`~blina_analysis.errors.NoInformation` without responders or without a
        responder transplanted after blinatumomab.
        """
        self.require("responders")
        resp = self.patients("responders")
        if not resp["hsct_after_bc"].any():
            raise NoInformation(NO_TRANSPLANT)
        t = self.tte("responders", endpoint)
        time = t["time_days"].to_numpy() - resp["days_to_response"].to_numpy()
        exposure = resp["days_to_hsct_after"].to_numpy() - resp["days_to_response"].to_numpy()
        return time, t["event"].to_numpy(), exposure

    def naive_transplant_comparison(self, endpoint: str = "DFS"):
        """Curves by 'ever transplanted' from response, and log-rank: biased by immortal time."""
        time, event, exposure = self.from_response(endpoint)
        ever = ~np.isnan(exposure)
        if ever.all():
            raise NoInformation(ALL_TRANSPLANTED)
        curves = [stats.kaplan_meier(time[~ever], event[~ever], label="never transplanted",
                                     conf_level=self.conf_level),
                  stats.kaplan_meier(time[ever], event[ever], label="transplanted (ever)",
                                     conf_level=self.conf_level)]
        return curves, stats.logrank_test(time, event, ever.astype(int))

    def landmark(self, endpoint: str = "DFS", landmark_days: float | None = None):
        """Landmark analysis from ``landmark_days`` after response."""
        days = self.landmark_days if landmark_days is None else landmark_days

        def compute():
            time, event, exposure = self.from_response(endpoint)
            if not (time > days).any():
                raise NoInformation("No responder was still in follow-up at the landmark, so "
                                    "the landmark analysis has no information.")
            return stats.landmark(time, event, exposure, landmark=days,
                                  conf_level=self.conf_level)
        return self._cached(("landmark", endpoint, days), compute)

    def mantel_byar(self, endpoint: str = "DFS") -> stats.TestResult:
        """Mantel–Byar test: transplant as a time-dependent state, from response."""
        def compute():
            data = self.from_response(endpoint)
            _require_events(endpoint, data[1])
            test = stats.mantel_byar(*data)
            if math.isnan(test.p_value):
                raise NoInformation(
                    f"No {_EVENT_NOUNS[endpoint]} of a responder happened while both transplanted "
                    "and untransplanted responders were at risk, so the Mantel–Byar test has no "
                    "information.")
            return test
        return self._cached(("mantel_byar", endpoint), compute)

    def time_varying_cox(self, endpoint: str = "DFS") -> stats.CoxResult:
        """Cox model with transplant as a time-varying covariate, from response."""
        def compute():
            from lifelines.exceptions import ConvergenceWarning

            data = self.from_response(endpoint)
            _require_finite_hazard_ratio(endpoint, *data)
            with warnings.catch_warnings():
                # lifelines' screen for separation looks at the split rows, where every row
                # before a transplant is event-free by construction; whether the model has a
                # finite estimate was checked exactly just above
                warnings.filterwarnings("ignore", message="Column exposed have very low variance",
                                        category=ConvergenceWarning)
                return stats.time_varying_cox(*data, conf_level=self.conf_level)
        return self._cached(("tv_cox", endpoint), compute)

    def simon_makuch(self, endpoint: str = "DFS") -> dict:
        """Simon–Makuch curves by time-dependent transplant status, from response."""
        return self._cached(("simon_makuch", endpoint), lambda: stats.simon_makuch(
            *self.from_response(endpoint), conf_level=self.conf_level))

    # --- safety -------------------------------------------------------------------------------

    @cached_property
    def _worst(self) -> pd.DataFrame:
        """Worst grade per patient and category (patients without events absent)."""
        ae = self.dataset.adverse_events
        return ae.groupby(["patient_id", "category"], as_index=False)["grade"].max()

    def grade34(self) -> stats.Proportion:
        """Patients with at least one grade 3 or 4 adverse event, of all treated patients."""
        ae = self.dataset.adverse_events
        n = ae.loc[ae["grade"].isin([3, 4]), "patient_id"].nunique()
        return stats.exact_ci(int(n), self.n("all"), self.conf_level)

    def ae_table(self, by: str = "category") -> pd.DataFrame:
        """Patients by worst grade, per category (or term): any grade and grade ≥ 3.

        Columns ``category`` (or ``term``, with its ``category``), ``any_n``, ``grade3plus_n``,
        ``grade_1_2``, ``grade_3``, ``grade_4``, ``grade_5``, ``N`` (all treated patients — the
        denominator is the safety set, not the adverse-event rows), sorted by ``any_n``.
        Raises :class:`~blina_analysis.errors.NoInformation` when no adverse event was recorded.
        """
        ae = self.dataset.adverse_events
        if ae.empty:
            raise NoInformation(NO_ADVERSE_EVENTS)
        keys = ["category"] if by == "category" else ["category", "term"]
        worst = ae.groupby(["patient_id", *keys], as_index=False)["grade"].max()
        counts = (worst.assign(
            grade_1_2=worst["grade"] <= 2, grade_3=worst["grade"] == 3,
            grade_4=worst["grade"] == 4, grade_5=worst["grade"] == 5)
            .groupby(keys)[["grade_1_2", "grade_3", "grade_4", "grade_5"]].sum().astype(int))
        counts["any_n"] = counts.sum(axis=1)
        counts["grade3plus_n"] = counts[["grade_3", "grade_4", "grade_5"]].sum(axis=1)
        counts["N"] = self.n("all")
        counts = counts.reset_index().sort_values(["any_n", *keys], ascending=[False] +
                                                  [True] * len(keys), kind="mergesort")
        return counts[[*keys, "any_n", "grade3plus_n", "grade_1_2", "grade_3", "grade_4",
                       "grade_5", "N"]].reset_index(drop=True)

    def patients_with(self, category: str, min_grade: int = 1) -> stats.Proportion:
        """Patients with an adverse event of ``category`` of at least ``min_grade``."""
        ae = self.dataset.adverse_events
        hit = ae[(ae["category"] == category) & (ae["grade"] >= min_grade)]
        return stats.exact_ci(int(hit["patient_id"].nunique()), self.n("all"), self.conf_level)

    # --- description --------------------------------------------------------------------------

    def disposition(self) -> dict[str, int]:
        """Counts for the CONSORT-style flow, by cohort."""
        a = self.adsl
        out = {"enrolled": len(a)}
        for code, group in (("mrd", "MRD"), ("rr", "RR")):
            g = a[a["group"] == group]
            resp = g[g["responder"]]
            out[code] = len(g)
            out[f"{code}_responders"] = len(resp)
            out[f"{code}_hsct_after"] = int(resp["hsct_after_bc"].sum())
            out[f"{code}_relapsed"] = int(resp["relapse"].sum())
            out[f"{code}_died"] = int(resp["death"].sum())
            out[f"{code}_alive_in_remission"] = int((~resp["relapse"] & ~resp["death"]).sum())
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
        raise NoInformation(f"No responder {_EVENT_WORDS[endpoint]}, so the transplant "
                            "analyses have no information.")


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
        raise NoInformation(NO_TRANSPLANT)

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
    what = _EVENT_NOUNS[endpoint]
    if not below and not above:
        raise NoInformation(f"No {what} of a responder happened while both transplanted and "
                            "untransplanted responders were at risk, so the hazard ratio of "
                            "transplant cannot be estimated.")
    if not below:
        raise NoInformation(f"Every {what} of a responder happened after transplant or while "
                            "no transplanted responder was at risk, so the hazard ratio of "
                            "transplant is infinite and cannot be estimated.")
    if not above:
        raise NoInformation(f"Every {what} of a responder happened before transplant or "
                            "while no untransplanted responder was at risk, so the hazard "
                            "ratio of transplant is zero and cannot be estimated.")


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
