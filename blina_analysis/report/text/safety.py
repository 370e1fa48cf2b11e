"""The safety chapter: events of grade ≥3, CRS, neurological events, interruptions.

Grades are worded as in the tables (:func:`blina_analysis.report.tables.ae_table`): "grade
1–2", "grade 3", "grade 4", "grade 5", "grade ≥3". A count that a sentence follows with its
noun is glued with it ("1 (33%) patient", "25 (38%) patients"); no patient is "no patient".
"""

from __future__ import annotations

from blina_analysis.analyses import Analysis
from blina_analysis.report import fmt
from blina_analysis.report.text._say import plural
from blina_analysis.report.text.edition import BuildFacts

__all__ = ["values", "grade3plus", "interrupted", "stopped_early", "patients_n_pct"]


def patients_n_pct(n: int, total: int, noun: bool = True) -> str:
    """``"25 (38%) patients"``, ``"1 (33%) patient"``, or ``"no patient"``; without ``noun``
    the count alone (``"25 (38%)"``), for a sentence that has named the patients already."""
    if int(n) == 0:
        return "no patient"
    text = fmt.n_pct(n, total)
    return f"{text} {plural(n, 'patient', 'patients')}" if noun else text


def grade3plus(an: Analysis) -> str:
    """``"25 (38%) patients"``: patients with an adverse event of grade ≥3."""
    g = an.grade3plus()
    return patients_n_pct(g.n, g.N)


def _grade3plus_ci(an: Analysis) -> str:
    """``"25/66 (38%; 95% CI 27–51%) patients"``; ``"no patient (0/3; 95% CI 0–71%)"``."""
    g = an.grade3plus()
    if g.n == 0:
        return f"no patient ({fmt.n_of(g.n, g.N)}; {fmt.interval(g, an.conf_level)})"
    return (f"{fmt.n_of(g.n, g.N)} ({fmt.rate_ci(g, an.conf_level)}) "
            f"{plural(g.n, 'patient', 'patients')}")


def _grade5_sentence(an: Analysis) -> str:
    g = an.worst_grade_share(5, 5)
    if g.n == 0:
        return "No adverse event was fatal (grade 5)."
    return f"Adverse events were fatal (grade 5) in {patients_n_pct(g.n, g.N)}."


def interrupted(an: Analysis, noun: bool = False) -> str:
    """Patients whose blinatumomab was interrupted: ``"11 (17%)"`` (with ``noun``, ``"11 (17%)
    patients"``), or ``"no patient"``."""
    p = an.proportion("all", "bc_interrupted")
    return patients_n_pct(p.n, p.N, noun)


def stopped_early(an: Analysis) -> str:
    """Patients whose blinatumomab was stopped before schedule: ``"5 (8%)"`` or ``"no patient"``."""
    p = an.proportion("all", "bc_stopped_early")
    return patients_n_pct(p.n, p.N, noun=False)


def _patients_with(an: Analysis, category: str, min_grade: int, noun: bool = False) -> str:
    p = an.patients_with(category, min_grade)
    return patients_n_pct(p.n, p.N, noun)


def values(an: Analysis, build: BuildFacts) -> dict[str, str]:
    return {
        "ae_crs_any": _patients_with(an, "CRS", 1, noun=True),
        "ae_crs_g3": _patients_with(an, "CRS", 3),
        "ae_grade3plus_ci": _grade3plus_ci(an),
        "ae_grade5": _grade5_sentence(an),
        "ae_neurologic_any": _patients_with(an, "neurologic", 1),
        "ae_neurologic_g3": _patients_with(an, "neurologic", 3),
        "bc_interrupted": interrupted(an, noun=True),
        "bc_stopped_early": stopped_early(an),
        "n_ae_rows": str(len(an.dataset.adverse_events)),
        "n_total": str(an.n("all")),
    }
