"""Safety: adverse events by worst grade (CTCAE) of all treated patients (the safety set), by
cohort and by cycle; deaths on treatment and early; exposure (cycles, interruptions, early stops).

The optional columns (``death_cause``, ``early_stop_reason``, the adverse events' ``cycle`` and
``attribution``) are counted only where recorded; a result that needs a column nobody filled in
raises :class:`~blina_analysis.errors.NoInformation`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pandas as pd

from blina_analysis import stats
from blina_analysis.data.schema import DEATH_CAUSES, EARLY_STOP_REASONS, RELATED_ATTRIBUTIONS
from blina_analysis.definitions import CYCLE_DAYS, EARLY_DEATH_DAYS, INFUSION_DAYS
from blina_analysis.errors import NoInformation

__all__ = ["SafetyAnalyses", "Deaths", "Reasons", "COHORTS"]

#: The cohorts of the by-cohort tables, as the ``group`` column codes them, then all patients.
COHORTS = ("MRD", "RR", "all")


@dataclass(frozen=True)
class Reasons:
    """Patients counted by a recorded reason: ``n`` in all, ``recorded`` as ``(reason, count)``
    in the order of the format's values (reasons with a count only), ``unrecorded`` without one."""

    n: int
    recorded: tuple[tuple[str, int], ...]
    unrecorded: int


@dataclass(frozen=True)
class Deaths:
    """Deaths among ``N`` treated patients.

    ``died``: at any time before the cut-off; ``on_treatment``: within the infusion of the last
    cycle given (day ≤ (cycles − 1) × 42 + 28); ``within``: ``(days, count)`` for each of
    :data:`~blina_analysis.definitions.EARLY_DEATH_DAYS` (day ≤ days from the start);
    ``fatal_ae``: patients with a grade 5 adverse event; ``causes``: the recorded causes.
    """

    N: int
    died: int
    on_treatment: int
    within: tuple[tuple[int, int], ...]
    fatal_ae: int
    causes: Reasons


class SafetyAnalyses:
    """Adverse events of the safety set (every treated patient)."""

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

    def grade3plus_in(self, group: str) -> stats.Proportion:
        """Patients of cohort ``group`` (``"MRD"`` or ``"RR"``) with an adverse event of grade
        ≥3, of the cohort's treated patients."""
        ids = set(self._in_cohort(group)["patient_id"])
        ae = self.dataset.adverse_events
        n = ae.loc[(ae["grade"] >= 3) & ae["patient_id"].isin(ids), "patient_id"].nunique()
        return stats.exact_ci(int(n), len(ids), self.conf_level)

    def patients_with(self, category: str, min_grade: int = 1) -> stats.Proportion:
        """Patients with an adverse event of ``category`` of at least ``min_grade``."""
        ae = self.dataset.adverse_events
        hit = ae[(ae["category"] == category) & (ae["grade"] >= min_grade)]
        return stats.exact_ci(int(hit["patient_id"].nunique()), self.n("all"), self.conf_level)

    # --- deaths, by cohort ------------------------------------------------------------------

    def _in_cohort(self, group: str) -> pd.DataFrame:
        a = self.adsl
        return a if group == "all" else a[a["group"] == group]

    def deaths(self, group: str = "all") -> Deaths:
        """Deaths of the treated patients of ``group`` (``"MRD"``, ``"RR"`` or ``"all"``)."""
        a = self._in_cohort(group)
        died = a["death"].to_numpy(bool)
        day = (a["death_date"] - a["bc_start_date"]).dt.days.to_numpy(float)
        end_of_infusion = (a["cycles"].to_numpy(float) - 1) * CYCLE_DAYS + INFUSION_DAYS
        ae = self.dataset.adverse_events
        fatal = set(ae.loc[ae["grade"] == 5, "patient_id"])
        return Deaths(
            N=len(a), died=int(died.sum()),
            on_treatment=int((died & (day <= end_of_infusion)).sum()),
            within=tuple((d, int((died & (day <= d)).sum())) for d in EARLY_DEATH_DAYS),
            fatal_ae=int(a["patient_id"].isin(fatal).sum()),
            causes=_reasons(a.loc[died, "death_cause"], DEATH_CAUSES))

    def deaths_table(self) -> pd.DataFrame:
        """Deaths by cohort: one row per measure (``died``, ``on_treatment``, ``within_<d>d``,
        ``fatal_ae``), columns ``measure, days`` and ``<cohort>_n, <cohort>_N`` for each of
        :data:`COHORTS` (``days`` is the window of ``within_<d>d`` rows, else NaN)."""
        per = {g: self.deaths(g) for g in COHORTS}
        rows = [("died", np.nan, lambda d: d.died),
                ("on_treatment", np.nan, lambda d: d.on_treatment),
                *((f"within_{days}d", float(days),
                   (lambda i: lambda d: d.within[i][1])(i))
                  for i, days in enumerate(EARLY_DEATH_DAYS)),
                ("fatal_ae", np.nan, lambda d: d.fatal_ae)]
        return pd.DataFrame([{"measure": m, "days": days,
                              **{f"{g}_{k}": v for g in COHORTS
                                 for k, v in (("n", get(per[g])), ("N", per[g].N))}}
                             for m, days, get in rows])

    # --- adverse events by cohort and by cycle ---------------------------------------------

    def ae_by_cohort(self) -> pd.DataFrame:
        """Patients with an adverse event (any grade, grade ≥3) per category, by cohort.

        Columns ``category`` and, for each of :data:`COHORTS`, ``<cohort>_any``,
        ``<cohort>_grade3plus`` and ``<cohort>_N`` (the cohort's treated patients); categories in
        the order of :meth:`ae_table`, then a row ``category = "any"`` (any category).
        Raises :class:`~blina_analysis.errors.NoInformation` when no adverse event was recorded.
        """
        order = list(self.ae_table("category")["category"])  # raises without adverse events
        ae = self.dataset.adverse_events
        group = ae["patient_id"].map(self.adsl.set_index("patient_id")["group"])
        rows = []
        for category in [*order, "any"]:
            hit = ae if category == "any" else ae[ae["category"] == category]
            row = {"category": category}
            for g in COHORTS:
                sub = hit if g == "all" else hit[group.loc[hit.index] == g]
                row[f"{g}_any"] = int(sub["patient_id"].nunique())
                row[f"{g}_grade3plus"] = int(sub.loc[sub["grade"] >= 3, "patient_id"].nunique())
                row[f"{g}_N"] = len(self._in_cohort(g))
            rows.append(row)
        return pd.DataFrame(rows)

    def ae_by_cycle(self) -> pd.DataFrame:
        """Adverse events by the cycle in which they began, where the data record it.

        Columns ``cycle`` (NaN for events whose cycle is not recorded, last), ``events``,
        ``any_n`` and ``grade3plus_n`` (patients with an event of that cycle, of any grade and of
        grade ≥3) and ``N``: the patients given that cycle (cycles ≥ cycle), the denominator;
        for the unrecorded row, all treated patients.
        Raises :class:`~blina_analysis.errors.NoInformation` when no adverse event was recorded
        or none has its cycle.
        """
        ae = self.dataset.adverse_events
        if ae.empty:
            raise NoInformation("no_adverse_events")
        cycle = ae["cycle"]
        if cycle.isna().all():
            raise NoInformation("ae_cycle_not_recorded")
        cycles = self.adsl["cycles"]
        rows = []
        for c in sorted(int(v) for v in cycle.dropna().unique()):
            hit = ae[(cycle == c).fillna(False).to_numpy(bool)]
            rows.append({"cycle": float(c), "events": len(hit),
                         "any_n": int(hit["patient_id"].nunique()),
                         "grade3plus_n": int(hit.loc[hit["grade"] >= 3, "patient_id"].nunique()),
                         "N": int((cycles >= c).sum())})
        unknown = ae[cycle.isna().to_numpy(bool)]
        if len(unknown):
            rows.append({"cycle": np.nan, "events": len(unknown),
                         "any_n": int(unknown["patient_id"].nunique()),
                         "grade3plus_n": int(unknown.loc[unknown["grade"] >= 3,
                                                         "patient_id"].nunique()),
                         "N": len(self.adsl)})
        return pd.DataFrame(rows)

    def related_ae(self, min_grade: int = 1) -> stats.Proportion:
        """Patients with an adverse event of grade ≥ ``min_grade`` attributed to blinatumomab
        (possibly, probably or definitely related), of all treated patients.

        Raises :class:`~blina_analysis.errors.NoInformation` when no adverse event was recorded
        or none has an attribution.
        """
        ae = self.dataset.adverse_events
        if ae.empty:
            raise NoInformation("no_adverse_events")
        if ae["attribution"].isna().all():
            raise NoInformation("ae_attribution_not_recorded")
        hit = ae[ae["attribution"].isin(RELATED_ATTRIBUTIONS).to_numpy(bool)
                 & (ae["grade"] >= min_grade).to_numpy(bool)]
        return stats.exact_ci(int(hit["patient_id"].nunique()), self.n("all"), self.conf_level)

    def ae_attribution_unrecorded(self) -> int:
        """Adverse events (rows) without an attribution."""
        return int(self.dataset.adverse_events["attribution"].isna().sum())

    # --- exposure -------------------------------------------------------------------------

    def cycles_table(self) -> pd.DataFrame:
        """Patients by the number of blinatumomab cycles given, by cohort.

        Columns ``cycles`` (each number given by someone, ascending) and ``<cohort>_n``,
        ``<cohort>_N`` for each of :data:`COHORTS`.
        """
        a = self.adsl
        rows = []
        for c in sorted(int(v) for v in a["cycles"].unique()):
            row = {"cycles": c}
            for g in COHORTS:
                sub = self._in_cohort(g)
                row[f"{g}_n"] = int((sub["cycles"] == c).sum())
                row[f"{g}_N"] = len(sub)
            rows.append(row)
        return pd.DataFrame(rows, columns=["cycles", *(f"{g}_{k}" for g in COHORTS
                                                       for k in ("n", "N"))])

    def cycles_given(self, group: str = "all") -> tuple[int, float, int, int]:
        """``(patients, median, minimum, maximum)`` of the cycles given in ``group``.

        Raises :class:`~blina_analysis.errors.NoInformation` when the group is empty.
        """
        sub = self._in_cohort(group)
        if sub.empty:
            raise NoInformation("empty_population",
                                pop={"all": "all", "MRD": "mrd", "RR": "rr"}[group])
        v = sub["cycles"].astype(float)
        return len(sub), float(v.median()), int(v.min()), int(v.max())

    def early_stop_reasons(self) -> Reasons:
        """Patients whose blinatumomab was stopped before schedule, by recorded reason."""
        a = self.adsl
        return _reasons(a.loc[a["bc_stopped_early"].to_numpy(bool), "early_stop_reason"],
                        EARLY_STOP_REASONS)

    def response_cycles(self) -> Reasons:
        """Responders by the cycle of response, where recorded (reasons are cycle numbers as
        text, ascending)."""
        a = self.adsl
        cycles = a.loc[a["responder"].to_numpy(bool), "response_cycle"]
        known = sorted({int(c) for c in cycles.dropna()})
        return _reasons(cycles.astype("Int64").astype(str).where(cycles.notna(), None),
                        tuple(str(c) for c in known))


def _reasons(values: pd.Series, order: tuple[str, ...]) -> Reasons:
    """Count ``values`` (one per patient; missing = not recorded) in the order ``order``."""
    counts = values.value_counts()
    recorded = tuple((r, int(counts[r])) for r in order if r in counts.index and counts[r] > 0)
    return Reasons(n=len(values), recorded=recorded, unrecorded=int(values.isna().sum()))
