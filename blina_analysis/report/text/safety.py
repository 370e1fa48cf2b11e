"""The safety chapter: events of grade ≥3, CRS, neurological events, interruptions.

Grades are worded as in the tables (:func:`blina_analysis.report.tables.ae_table`): "grade
1–2", "grade 3", "grade 4", "grade 5", "grade ≥3".
"""

from __future__ import annotations

from blina_analysis.analyses import Analysis
from blina_analysis.report import fmt
from blina_analysis.report.text.edition import BuildFacts

__all__ = ["values", "grade3plus", "interrupted", "stopped_early"]


def grade3plus(an: Analysis) -> str:
    """``"25 (38%)"``: patients with an adverse event of grade ≥3."""
    g = an.grade3plus()
    return fmt.n_pct(g.n, g.N)


def _grade5_sentence(an: Analysis) -> str:
    g = an.worst_grade_share(5, 5)
    if g.n == 0:
        return "No adverse event was fatal (grade 5)."
    return (f"Adverse events were fatal (grade 5) in {fmt.n_pct(g.n, g.N)} "
            f"{'patient' if g.n == 1 else 'patients'}.")


def interrupted(an: Analysis) -> str:
    p = an.proportion("all", "bc_interrupted")
    return fmt.n_pct(p.n, p.N)


def stopped_early(an: Analysis) -> str:
    p = an.proportion("all", "bc_stopped_early")
    return fmt.n_pct(p.n, p.N)


def _patients_with(an: Analysis, category: str, min_grade: int) -> str:
    p = an.patients_with(category, min_grade)
    return fmt.n_pct(p.n, p.N)


def values(an: Analysis, build: BuildFacts) -> dict[str, str]:
    g = an.grade3plus()
    return {
        "ae_crs_any": _patients_with(an, "CRS", 1),
        "ae_crs_g3": _patients_with(an, "CRS", 3),
        "ae_grade3plus_ci": f"{fmt.n_of(g.n, g.N)} ({fmt.rate_ci(g, an.conf_level)})",
        "ae_grade5": _grade5_sentence(an),
        "ae_neurologic_any": _patients_with(an, "neurologic", 1),
        "ae_neurologic_g3": _patients_with(an, "neurologic", 3),
        "bc_interrupted": interrupted(an),
        "bc_stopped_early": stopped_early(an),
        "n_ae_rows": str(len(an.dataset.adverse_events)),
        "n_total": str(an.n("all")),
    }
