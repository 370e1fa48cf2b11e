"""The safety chapter: grade 3–4 events, CRS, neurological events, interruptions."""

from __future__ import annotations

from blina_analysis.analyses import Analysis
from blina_analysis.report import fmt

__all__ = ["values", "grade34", "interrupted", "stopped_early"]


def grade34(an: Analysis) -> str:
    """``"25 (38%)"``: patients with a grade 3–4 adverse event."""
    g = an.grade34()
    return fmt.n_pct(g.n, g.N)


def interrupted(an: Analysis) -> str:
    p = an.proportion("all", "bc_interrupted")
    return fmt.n_pct(p.n, p.N)


def stopped_early(an: Analysis) -> str:
    p = an.proportion("all", "bc_stopped_early")
    return fmt.n_pct(p.n, p.N)


def _patients_with(an: Analysis, category: str, min_grade: int) -> str:
    p = an.patients_with(category, min_grade)
    return fmt.n_pct(p.n, p.N)


def values(an: Analysis) -> dict[str, str]:
    g = an.grade34()
    return {
        "ae_crs_any": _patients_with(an, "CRS", 1),
        "ae_crs_g3": _patients_with(an, "CRS", 3),
        "ae_grade34_ci": f"{fmt.n_of(g.n, g.N)} ({fmt.rate_ci(g, an.conf_level)})",
        "ae_neurologic_any": _patients_with(an, "neurologic", 1),
        "ae_neurologic_g3": _patients_with(an, "neurologic", 3),
        "bc_interrupted": interrupted(an),
        "bc_stopped_early": stopped_early(an),
        "n_ae_rows": str(len(an.dataset.adverse_events)),
        "n_total": str(an.n("all")),
    }
