"""Adverse events: patients by worst grade (CTCAE) of all treated patients (the safety set)."""

from __future__ import annotations

from functools import cached_property

import pandas as pd

from blina_analysis import stats
from blina_analysis.errors import NoInformation

__all__ = ["SafetyAnalyses"]


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

    def patients_with(self, category: str, min_grade: int = 1) -> stats.Proportion:
        """Patients with an adverse event of ``category`` of at least ``min_grade``."""
        ae = self.dataset.adverse_events
        hit = ae[(ae["category"] == category) & (ae["grade"] >= min_grade)]
        return stats.exact_ci(int(hit["patient_id"].nunique()), self.n("all"), self.conf_level)
