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
from blina_analysis.report.text._say import and_join, or_reason, sentences
from blina_analysis.report.text.edition import BuildFacts
from blina_analysis.report.text.reasons import explain
from blina_analysis.i18n import N_, _, ngettext

__all__ = ["values", "grade3plus", "interrupted", "stopped_early", "patients_n_pct",
           "EARLY_STOP_WORDS", "DEATH_CAUSE_WORDS", "reason_counts", "deaths_text",
           "stop_reasons_text"]

#: The reader's words for the codes of ``early_stop_reason`` and ``death_cause``.
EARLY_STOP_WORDS = {"adverse_event": N_("adverse event"), "no_response": N_("no response"),
                    "relapse": N_("relapse"), "hsct": N_("to proceed to allo-HSCT"),
                    "death": N_("death"), "patient_decision": N_("patient's decision"),
                    "other": N_("other reason")}
DEATH_CAUSE_WORDS = {"relapse": N_("relapse or progression"), "infection": N_("infection"),
                     "treatment_toxicity": N_("toxicity of blinatumomab"),
                     "transplant_related": N_("transplant-related"), "other": N_("other cause")}


def _patients(n: int, count: str) -> str:
    """``count`` followed by "patient(s)", the noun agreeing with ``n``."""
    return ngettext("{count} patient", "{count} patients", int(n)).format(count=count)


def patients_n_pct(n: int, total: int, noun: bool = True) -> str:
    """``"25 (38%) patients"``, ``"1 (33%) patient"``, or ``"no patient"``; without ``noun``
    the count alone (``"25 (38%)"``), for a sentence that has named the patients already."""
    if int(n) == 0:
        return _("no patient")
    text = fmt.n_pct(n, total)
    return _patients(n, text) if noun else text


def grade3plus(an: Analysis) -> str:
    """``"25 (38%) patients"``: patients with an adverse event of grade ≥3."""
    g = an.grade3plus()
    return patients_n_pct(g.n, g.N)


def _grade3plus_ci(an: Analysis) -> str:
    """``"25/66 (38%; 95% CI 27–51%) patients"``; ``"no patient (0/3; 95% CI 0–71%)"``."""
    g = an.grade3plus()
    if g.n == 0:
        return _("no patient ({n_of}; {interval})").format(n_of=fmt.n_of(g.n, g.N),
                                                          interval=fmt.interval(g, an.conf_level))
    return _patients(g.n, f"{fmt.n_of(g.n, g.N)} ({fmt.rate_ci(g, an.conf_level)})")


def _grade5_sentence(an: Analysis) -> str:
    """Fatal adverse events, set apart from deaths (most deaths are not adverse events)."""
    g = an.worst_grade_share(5, 5)
    died = an.deaths().died
    if g.n == 0:
        if died == 0:
            return _("No adverse event was recorded as fatal (grade 5), and no patient died.")
        return _("No adverse event was recorded as fatal (grade 5); a death from another cause, "
                 "such as relapse, is not an adverse event, and every death is counted under "
                 "deaths below.")
    fatal = patients_n_pct(g.n, g.N)
    if died == 0:
        return _("An adverse event was recorded as fatal (grade 5) in {patients}, and no patient "
                 "died.").format(patients=fatal)
    return _("An adverse event was recorded as fatal (grade 5) in {patients}; a death from "
             "another cause, such as relapse, is not an adverse event, and every death is "
             "counted under deaths below.").format(patients=fatal)


def reason_counts(reasons: Reasons, words: dict[str, str]) -> str:
    """``"adverse event 2, relapse 1, not recorded 1"``: the recorded reasons with their counts."""
    parts = [f"{_(words[r]) if r in words else r} {fmt.number(n)}" for r, n in reasons.recorded]
    if reasons.unrecorded:
        parts.append(_("not recorded {n}").format(n=fmt.number(reasons.unrecorded)))
    return ", ".join(parts)


def _recorded(reasons: Reasons) -> bool:
    return bool(reasons.recorded)


def deaths_text(an: Analysis) -> str:
    """Deaths at any time, on treatment and within 30 and 60 days of the start, with the causes
    where recorded."""
    d = an.deaths()
    if d.N == 0:
        return _("No patient was treated.")
    if d.died == 0:
        return _("No patient died before the data cut-off.")
    windows = "; ".join(
        _("within {days} days of the start: {deaths}").format(
            days=days, deaths=patients_n_pct(n, d.N, noun=False) if n else _("none"))
        for days, n in d.within)
    on = patients_n_pct(d.on_treatment, d.N, noun=False) if d.on_treatment else _("none")
    lead = ngettext("Of the {N} treated patient, {died} died before the data cut-off. On "
                    "treatment: {on}; {windows}.",
                    "Of the {N} treated patients, {died} died before the data cut-off. On "
                    "treatment: {on}; {windows}.", d.N).format(
        N=d.N, died=patients_n_pct(d.died, d.N, noun=False), on=on, windows=windows)
    if _recorded(d.causes):
        causes = _("Causes of death: {causes}.").format(
            causes=reason_counts(d.causes, DEATH_CAUSE_WORDS))
    else:
        causes = _("The causes of death are not recorded in this dataset.")
    return sentences(lead, causes)


def on_treatment_definition() -> str:
    """What "on treatment" means when the data record cycles but no end date."""
    return _("A death is counted on treatment when it falls within the infusion of the last "
             "cycle given, by day (cycles \u2212 1) \u00d7 {cycle} + {infusion} from the start "
             "(a cycle is {infusion} days of infusion and {pause} of pause; the data record the "
             "number of cycles, not the last day of infusion); the early windows count days from "
             "the first day of blinatumomab ({windows} days).").format(
        cycle=CYCLE_DAYS, infusion=INFUSION_DAYS, pause=CYCLE_DAYS - INFUSION_DAYS,
        windows=and_join([str(d) for d in EARLY_DEATH_DAYS]))


def _cohort_grade3plus(an: Analysis) -> str:
    """Grade ≥3 adverse events by cohort, in one sentence."""
    parts = []
    for group, name in (("MRD", N_("MRD+")), ("RR", N_("R/R"))):
        g = an.grade3plus_in(group)
        if not g.N:
            continue
        parts.append(ngettext("{n} of the {N} {cohort} patient", "{n} of the {N} {cohort} patients",
                              g.N).format(
            n=patients_n_pct(g.n, g.N, noun=False) if g.n else _("none"), N=g.N, cohort=_(name)))
    if not parts:
        return _("No patient was treated.")
    return _("Adverse events of grade \u22653 occurred in {cohorts}.").format(
        cohorts=and_join(parts))


def _cycle_text(an: Analysis) -> str:
    def make():
        t = an.ae_by_cycle()
        known = t[t["cycle"].notna()]
        first = known.iloc[0]
        n, N = int(first["any_n"]), int(first["N"])
        g3 = int(first["grade3plus_n"])
        total = int(t['events'].sum())
        recorded = ngettext("The cycle in which each adverse event began is recorded for {n_of} "
                            "events.",
                            "The cycle in which each adverse event began is recorded for {n_of} "
                            "events.", total).format(
            n_of=fmt.n_of(int(known['events'].sum()), total))
        first_cycle = ngettext(
            "In cycle {cycle}, {n} of the {N} patient given it ({pct}) had an adverse event, "
            "{g3} of grade \u22653; the table gives every cycle, with the patients given it as "
            "the denominator.",
            "In cycle {cycle}, {n} of the {N} patients given it ({pct}) had an adverse event, "
            "{g3} of grade \u22653; the table gives every cycle, with the patients given it as "
            "the denominator.", N).format(
            cycle=int(first['cycle']), n=fmt.number(n) if n else _("none"), N=N,
            pct=fmt.pct(n / N), g3=fmt.n_pct(g3, N) if g3 else _("none"))
        return f"{recorded} {first_cycle}"
    return or_reason(make)


def _attribution_text(an: Analysis) -> str:
    def make():
        anyg, g3 = an.related_ae(1), an.related_ae(3)
        unrecorded = an.ae_attribution_unrecorded()
        text = _("Adverse events attributed to blinatumomab (possibly, probably or definitely "
                 "related) occurred in {patients}, of grade \u22653 in {g3}.").format(
            patients=patients_n_pct(anyg.n, anyg.N),
            g3=patients_n_pct(g3.n, g3.N, noun=False) if g3.n else _("none"))
        if unrecorded:
            text += " " + ngettext("{n} event has no attribution recorded.",
                                   "{n} events have no attribution recorded.",
                                   int(unrecorded)).format(n=fmt.number(unrecorded))
        return text
    return or_reason(make)


def _median_range(median: float, low: int, high: int) -> str:
    """``"2 (1–6)"``; a median between two whole numbers keeps its half: ``"2.5 (1–6)"``."""
    return (f"{fmt.number(median, 1 if median % 1 else 0)} "
            f"({fmt.number(low)}\u2013{fmt.number(high)})")


def _cycles_text(an: Analysis) -> str:
    """The median (range) of cycles given, overall and by cohort."""
    try:
        n, median, low, high = an.cycles_given("all")
    except NoInformation as exc:
        return explain(exc)
    if n == 1:  # a median and a range of one count say nothing more than the count
        return ngettext("The only patient was given {cycles} cycle of blinatumomab.",
                        "The only patient was given {cycles} cycles of blinatumomab.",
                        int(median)).format(cycles=fmt.number(median))
    values = dict(median=fmt.number(median, 1 if median % 1 else 0), low=fmt.number(low),
                  high=fmt.number(high))
    if median % 1:  # a fractional median: "2.5 cycles", "2,5 цикла"
        lead = _("Patients were given a median of {median} cycles of blinatumomab (range "
                 "{low}\u2013{high})").format(**values)
    else:
        lead = ngettext("Patients were given a median of {median} cycle of blinatumomab (range "
                        "{low}\u2013{high})",
                        "Patients were given a median of {median} cycles of blinatumomab (range "
                        "{low}\u2013{high})", int(median)).format(**values)
    by = []
    for group, name in (("MRD", N_("MRD+")), ("RR", N_("R/R"))):
        try:
            k, m, lo, hi = an.cycles_given(group)
        except NoInformation:
            continue
        by.append(_("the only {cohort} patient {cycles}").format(
            cohort=_(name), cycles=fmt.number(m)) if k == 1 else
            _("{cohort} patients {median_range}").format(
                cohort=_(name), median_range=_median_range(m, lo, hi)))
    return _("{lead}; {by}.").format(lead=lead, by=", ".join(by)) if by else lead + "."


def stop_reasons_text(an: Analysis) -> str:
    """Why blinatumomab was stopped early, where recorded."""
    r = an.early_stop_reasons()
    if r.n == 0:
        return _("No patient's blinatumomab was stopped before schedule.")
    if not _recorded(r):
        return _("The reasons for stopping blinatumomab early are not recorded in this dataset.")
    return _("Reasons for stopping early: {reasons}.").format(
        reasons=reason_counts(r, EARLY_STOP_WORDS))


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
