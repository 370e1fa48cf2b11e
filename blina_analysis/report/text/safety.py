"""The safety chapter: events of grade ≥3, CRS, neurological events, deaths, adverse events by
cohort and by cycle, exposure (cycles, interruptions, early stops and their reasons).

Grades are worded as in the tables (:func:`blina_analysis.report.tables.ae_table`): "grade
1–2", "grade 3", "grade 4", "grade 5", "grade ≥3". A count that a sentence follows with its
noun is glued with it ("1 (33%) patient", "25 (38%) patients"); no patient is "no patient".
"""

from __future__ import annotations

from blina_analysis.analyses import Analysis
from blina_analysis.analyses.safety import Reasons
from blina_analysis.definitions import CYCLE_DAYS, EARLY_DEATH_DAYS, INFUSION_DAYS
from blina_analysis.errors import NoInformation
from blina_analysis.report import fmt
from blina_analysis.report.text._say import and_join, or_reason, plural, sentences
from blina_analysis.report.text.edition import BuildFacts
from blina_analysis.report.text.reasons import explain

__all__ = ["values", "grade3plus", "interrupted", "stopped_early", "patients_n_pct",
           "EARLY_STOP_WORDS", "DEATH_CAUSE_WORDS", "reason_counts", "deaths_text",
           "stop_reasons_text"]

#: The reader's words for the codes of ``early_stop_reason`` and ``death_cause``.
EARLY_STOP_WORDS = {"adverse_event": "adverse event", "no_response": "no response",
                    "relapse": "relapse", "hsct": "to proceed to allo-HSCT", "death": "death",
                    "patient_decision": "patient's decision", "other": "other reason"}
DEATH_CAUSE_WORDS = {"relapse": "relapse or progression", "infection": "infection",
                     "treatment_toxicity": "toxicity of blinatumomab",
                     "transplant_related": "transplant-related", "other": "other cause"}


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
    """Fatal adverse events, set apart from deaths (most deaths are not adverse events)."""
    g = an.worst_grade_share(5, 5)
    died = an.deaths().died
    if g.n == 0:
        lead = "No adverse event was recorded as fatal (grade 5)"
    else:
        lead = f"An adverse event was recorded as fatal (grade 5) in {patients_n_pct(g.n, g.N)}"
    if died == 0:
        return f"{lead}, and no patient died."
    return (f"{lead}; a death from another cause, such as relapse, is not an adverse event, and "
            f"every death is counted under deaths below.")


def reason_counts(reasons: Reasons, words: dict[str, str]) -> str:
    """``"adverse event 2, relapse 1, not recorded 1"``: the recorded reasons with their counts."""
    parts = [f"{words.get(r, r)} {fmt.number(n)}" for r, n in reasons.recorded]
    if reasons.unrecorded:
        parts.append(f"not recorded {fmt.number(reasons.unrecorded)}")
    return ", ".join(parts)


def _recorded(reasons: Reasons) -> bool:
    return bool(reasons.recorded)


def deaths_text(an: Analysis) -> str:
    """Deaths at any time, on treatment and within 30 and 60 days of the start, with the causes
    where recorded."""
    d = an.deaths()
    if d.N == 0:
        return "No patient was treated."
    if d.died == 0:
        return "No patient died before the data cut-off."
    windows = "; ".join(
        f"within {days} days of the start: "
        f"{patients_n_pct(n, d.N, noun=False) if n else 'none'}" for days, n in d.within)
    on = patients_n_pct(d.on_treatment, d.N, noun=False) if d.on_treatment else "none"
    lead = (f"Of the {d.N} treated {plural(d.N, 'patient', 'patients')}, "
            f"{patients_n_pct(d.died, d.N, noun=False)} died before the data cut-off. On "
            f"treatment: {on}; {windows}.")
    if _recorded(d.causes):
        causes = (f"Causes of death: {reason_counts(d.causes, DEATH_CAUSE_WORDS)}.")
    else:
        causes = "The causes of death are not recorded in this dataset."
    return sentences(lead, causes)


def on_treatment_definition() -> str:
    """What "on treatment" means when the data record cycles but no end date."""
    return (f"A death is counted on treatment when it falls within the infusion of the last "
            f"cycle given, by day (cycles \u2212 1) \u00d7 {CYCLE_DAYS} + {INFUSION_DAYS} from the start "
            f"(a cycle is {INFUSION_DAYS} days of infusion and "
            f"{CYCLE_DAYS - INFUSION_DAYS} of pause; the data record the number of cycles, not the "
            f"last day of infusion); the early windows count days from the first day of "
            f"blinatumomab ({and_join([str(d) for d in EARLY_DEATH_DAYS])} days).")


def _cohort_grade3plus(an: Analysis) -> str:
    """Grade ≥3 adverse events by cohort, in one sentence."""
    parts = []
    for group, name in (("MRD", "MRD+"), ("RR", "R/R")):
        g = an.grade3plus_in(group)
        if not g.N:
            continue
        parts.append(f"{patients_n_pct(g.n, g.N, noun=False) if g.n else 'none'} of the {g.N} "
                     f"{name} {plural(g.N, 'patient', 'patients')}")
    if not parts:
        return "No patient was treated."
    return f"Adverse events of grade \u22653 occurred in {and_join(parts)}."


def _cycle_text(an: Analysis) -> str:
    def make():
        t = an.ae_by_cycle()
        known = t[t["cycle"].notna()]
        first = known.iloc[0]
        n, N = int(first["any_n"]), int(first["N"])
        g3 = int(first["grade3plus_n"])
        text = (f"The cycle in which each adverse event began is recorded for "
                f"{fmt.n_of(int(known['events'].sum()), int(t['events'].sum()))} events. In cycle "
                f"{int(first['cycle'])}, {fmt.number(n) if n else 'none'} of the {N} "
                f"{plural(N, 'patient', 'patients')} given it ({fmt.pct(n / N)}) had an adverse "
                f"event, {fmt.n_pct(g3, N) if g3 else 'none'} of grade \u22653; the table gives "
                f"every cycle, with the patients given it as the denominator.")
        return text
    return or_reason(make)


def _attribution_text(an: Analysis) -> str:
    def make():
        anyg, g3 = an.related_ae(1), an.related_ae(3)
        unrecorded = an.ae_attribution_unrecorded()
        text = (f"Adverse events attributed to blinatumomab (possibly, probably or definitely "
                f"related) occurred in {patients_n_pct(anyg.n, anyg.N)}, of grade \u22653 in "
                f"{patients_n_pct(g3.n, g3.N, noun=False) if g3.n else 'none'}.")
        if unrecorded:
            text += (f" {fmt.number(unrecorded)} {plural(unrecorded, 'event has', 'events have')}"
                     f" no attribution recorded.")
        return text
    return or_reason(make)


def _median_range(median: float, low: int, high: int) -> str:
    """``"2 (1–6)"``; a median between two whole numbers keeps its half: ``"2.5 (1–6)"``."""
    return (f"{fmt.number(median, 1 if median % 1 else 0)} "
            f"({fmt.number(low)}\u2013{fmt.number(high)})")


def _cycles_text(an: Analysis) -> str:
    """The median (range) of cycles given, overall and by cohort."""
    try:
        _, median, low, high = an.cycles_given("all")
    except NoInformation as exc:
        return explain(exc)
    lead = (f"Patients were given a median of {fmt.number(median, 1 if median % 1 else 0)} "
            f"{plural(median, 'cycle', 'cycles')} of blinatumomab (range "
            f"{fmt.number(low)}\u2013{fmt.number(high)})")
    by = []
    for group, name in (("MRD", "MRD+"), ("RR", "R/R")):
        try:
            _, m, lo, hi = an.cycles_given(group)
        except NoInformation:
            continue
        by.append(f"{name} patients {_median_range(m, lo, hi)}")
    return lead + (f"; {', '.join(by)}." if by else ".")


def stop_reasons_text(an: Analysis) -> str:
    """Why blinatumomab was stopped early, where recorded."""
    r = an.early_stop_reasons()
    if r.n == 0:
        return "No patient's blinatumomab was stopped before schedule."
    if not _recorded(r):
        return "The reasons for stopping blinatumomab early are not recorded in this dataset."
    return f"Reasons for stopping early: {reason_counts(r, EARLY_STOP_WORDS)}."


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
        "ae_attribution_text": _attribution_text(an),
        "ae_cohort_text": _cohort_grade3plus(an),
        "ae_cycle_text": _cycle_text(an),
        "cycles_text": _cycles_text(an),
        "deaths_definition": on_treatment_definition(),
        "deaths_text": deaths_text(an),
        "stop_reasons_text": stop_reasons_text(an),
        "bc_interrupted": interrupted(an, noun=True),
        "bc_stopped_early": stopped_early(an),
        "n_ae_rows": str(len(an.dataset.adverse_events)),
        "n_total": str(an.n("all")),
    }
