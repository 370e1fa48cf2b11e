"""The transplant chapter: transplant before and after blinatumomab, relapse and NRM."""

from __future__ import annotations

import math

from blina_analysis.analyses import Analysis
from blina_analysis.analyses.summaries import crude_relapse
from blina_analysis.definitions import (
    EVENTS_PER_TERM,
    LANDMARK_SENSITIVITY_DAYS,
    MIN_EVENTS_FOR_TEST,
    MIN_PATIENTS_FOR_TEST,
    ONE_YEAR_DAYS,
    PH_TEST_ALPHA,
    PRIMARY_COVARIATES,
    TWO_YEARS_DAYS,
)
from blina_analysis.errors import NoInformation
from blina_analysis.report import fmt
from blina_analysis.report.text import _survival, compare
from blina_analysis.report.text._say import and_join, counted, or_reason, plural, sentences
from blina_analysis.report.text.reasons import explain
from blina_analysis.report.text.rr_results import response, subgroup_rate_n, subgroup_test
from blina_analysis.report.text.edition import BuildFacts

__all__ = ["values", "primary_text", "ph_reading", "exposure_text", "relapse_after_hsct_pct", "relapse_without_hsct_pct", "time_varying_cox",
           "crude_rates", "primary_abstract", "tv_cox_text"]


def relapse_after_hsct_pct(an: Analysis) -> str:
    """Crude share of responders transplanted after blinatumomab who relapsed."""
    return fmt.pct(crude_relapse(an).transplanted.rate)


def relapse_without_hsct_pct(an: Analysis) -> str:
    """Crude share of responders not transplanted after blinatumomab who relapsed."""
    return fmt.pct(crude_relapse(an).not_transplanted.rate)


def crude_rates(an: Analysis, template: str) -> str:
    """``template`` filled with the crude relapse shares (``{after}``, ``{without}``) and the
    reading of the comparison (``{reading}``), chosen from the values."""
    crude = crude_relapse(an)
    after, without = crude.transplanted, crude.not_transplanted
    return template.format(after=fmt.pct(after.rate), without=fmt.pct(without.rate),
                           reading=compare.word("crude_relapse", (after.n, after.N),
                                                (without.n, without.N)))


def primary_abstract(an: Analysis) -> str:
    """The abstract's sentence on transplant: the primary analysis, an association (the paper's
    crude comparison, biased by design, stays in the concordance and the transplant chapter)."""
    return ("In the primary transplant analysis (relapse-free survival from response; a "
            "transplant in continuous remission as a time-dependent covariate, stratified by "
            "cohort and adjusted as the events allow), the hazard ratio associated with an "
            f"allo-HSCT was {primary_hazard_ratio(an)}.")


def time_varying_cox(an: Analysis, endpoint: str, stratified: bool = False) -> str:
    """``"HR 0.45 (95% CI 0.20–1.01), p = 0.053"``: transplant as a time-dependent covariate,
    both cohorts pooled or (``stratified``) with a baseline hazard per cohort.

    Raises :class:`~blina_analysis.errors.NoInformation` when the hazard ratio has no finite
    estimate.
    """
    row = an.time_varying_cox(endpoint, stratified).table.iloc[0]
    return fmt.hazard_ratio(row["hr"], row["hr_ci_low"], row["hr_ci_high"], row["p_value"],
                            an.conf_level)


def primary_hazard_ratio(an: Analysis) -> str:
    """``"HR 0.45 (95% CI 0.20–1.01), p = 0.053"``: transplant in the primary model."""
    row = an.primary_transplant_model().fit.table.loc["exposed"]
    return fmt.hazard_ratio(row["hr"], row["hr_ci_low"], row["hr_ci_high"], row["p_value"],
                            an.conf_level)


def _mantel_byar(an: Analysis, endpoint: str) -> str:
    test = an.mantel_byar(endpoint)
    return f"χ² = {fmt.number(test.statistic, 2)}, {fmt.p_value(test.p_value)}"


#: The transplant analyses' relapse-or-death endpoint runs from response: the reader knows it as
#: relapse-free survival (RFS, the endpoint table of the methods), whatever its code here.
_READER_CODE = {"DFS": "RFS", "OS": "OS"}


def _per_endpoint(an: Analysis, compute, lead: str) -> str:
    """``lead`` + "X for RFS and Y for OS.", then the reason of each that cannot be computed
    (each reason names its event)."""
    got, reasons = [], []
    for endpoint in ("DFS", "OS"):
        try:
            got.append(f"{compute(an, endpoint)} for {_READER_CODE[endpoint]}")
        except NoInformation as exc:
            reasons.append(explain(exc))
    return sentences(f"{lead} {' and '.join(got)}." if got else None, *reasons)


def prior_hsct_text(an: Analysis) -> str:
    """Response of R/R patients after a prior allo-HSCT, against those without."""
    an.require("rr")
    prior = an.proportion("rr", "prior_allo_hsct")
    if prior.n == 0:
        return "No R/R patient of this dataset had relapsed after a prior allo-HSCT."
    if prior.n == prior.N:  # then their rate is the R/R group's
        who = ("The only R/R patient" if prior.N == 1 else
               f"All {fmt.number(prior.N)} R/R patients")
        return f"{who} had relapsed after a prior allo-HSCT; the CR/CRh rate was {response(an)}."
    theirs = an.subgroup_rate("prior_hsct", "yes")
    return (f"Of the R/R patients, {fmt.number(prior.n)} had relapsed after a prior allo-HSCT. "
            f"Their CR/CRh rate was {fmt.n_of(theirs.n, theirs.N)} "
            f"({fmt.rate_ci(theirs, an.conf_level)}), against "
            f"{subgroup_rate_n(an, 'prior_hsct', 'no')} in R/R patients without a prior "
            f"transplant ({subgroup_test(an, 'prior_hsct')}).")


def exposure_text(an: Analysis) -> str:
    """How many responders were transplanted after blinatumomab, in remission or after relapse."""
    ex = an.transplant_exposure()
    if ex.n_after == 0:
        return explain(NoInformation("no_transplant"))
    return (f"Of the {counted(ex.n_responders, 'responder', 'responders')}, "
            f"{fmt.number(ex.n_after)} had an allo-HSCT after blinatumomab: "
            f"{fmt.number(ex.n_consolidation)} in continuous remission (consolidation, the "
            f"exposure) and {fmt.number(ex.n_salvage)} after a relapse (salvage, counted as not "
            "transplanted).")


def crude_text(an: Analysis) -> str:
    """The crude comparison of relapse by consolidation transplant, in counts (no test: it is
    biased by design), and the paper's own figure when salvage transplants change it."""
    an.require_transplant_groups()
    groups = an.crude_relapse_by_transplant("consolidation")
    after, without = groups["transplanted"], groups["not transplanted"]
    text = (f"Relapse occurred in {fmt.n_of(after.n, after.N)} ({fmt.pct(after.rate)}) of the "
            f"responders transplanted in remission and in {fmt.n_of(without.n, without.N)} "
            f"({fmt.pct(without.rate)}) of the other responders.")
    if an.transplant_exposure().n_salvage:
        paper = crude_relapse(an)
        text += (" Counting every transplant after blinatumomab, as the paper does, the shares "
                 f"are {fmt.n_of(paper.transplanted.n, paper.transplanted.N)} and "
                 f"{fmt.n_of(paper.not_transplanted.n, paper.not_transplanted.N)}.")
    return text + (" No test is given: the comparison ignores when the transplant happened, "
                   "so it is biased by design.")


def naive_text(an: Analysis) -> str:
    """The naive curves by "ever transplanted": counts, no test (biased by design)."""
    curves, _ = an.naive_transplant_comparison("DFS")
    never, ever = curves
    return (f"The curves ({fmt.number(ever.n)} ever transplanted in remission, "
            f"{fmt.number(never.n)} never) are shown for contrast only, without a test.")


def time_to_hsct_text(an: Analysis) -> str:
    """Distribution of the time from response to a consolidation transplant, and how many of
    those the landmark calls untransplanted were transplanted later."""
    tt = an.time_to_transplant()
    days = [d for d, _ in tt.by_day]
    counts = [fmt.number(n) for _, n in tt.by_day]
    text = (f"The {counted(tt.n, 'transplant in remission', 'transplants in remission')} took "
            f"place a median of {fmt.number(tt.median)} days after response (interquartile "
            f"range {fmt.number(tt.q1)}–{fmt.number(tt.q3)}; range {fmt.number(tt.minimum)}–"
            f"{fmt.number(tt.maximum)}); by day {_days_list(days)} after response, "
            f"{and_join(counts)} had been transplanted.")
    later = (f"Of the {counted(tt.n_unexposed, 'responder', 'responders')} in follow-up and "
             f"not yet transplanted at the {fmt.number(tt.landmark)}-day landmark, "
             f"{fmt.number(tt.n_later)} {plural(tt.n_later, 'was', 'were')} transplanted later")
    if tt.later_by:
        day, n = tt.later_by[0]
        later += f" ({fmt.number(n)} by day {fmt.number(day)})"
    return sentences(text, later + ": the landmark groups mix early and late transplants.")


def _term_names(codes) -> list[str]:
    names = dict(PRIMARY_COVARIATES)
    return [names[c] for c in codes]


def primary_text(an: Analysis) -> str:
    """The primary analysis: the adjusted, cohort-stratified time-dependent Cox model for DFS,
    its covariate rule, proportional-hazards test and transplant × cohort interaction."""
    m = an.primary_transplant_model()
    allowed = max(m.n_events // EVENTS_PER_TERM, 1)
    terms = _term_names(m.terms)
    adjusted = (f"adjusted for {and_join(terms)}" if terms else "without adjustment")
    rule = (f"The {counted(m.n_events, 'RFS event', 'RFS events')} of the "
            f"{fmt.number(m.n)} responders allow {counted(allowed, 'term', 'terms')} "
            f"(one per {fmt.number(EVENTS_PER_TERM)} events): transplant, then covariates in "
            f"the order fixed in advance, so the model is {adjusted}.")
    if m.constant:
        rule += (f" {and_join(_term_names(m.constant)).capitalize()} did not vary within a "
                 "cohort and was left out.")
    row = m.fit.table.loc["exposed"]
    hr = fmt.hazard_ratio(row["hr"], row["hr_ci_low"], row["hr_ci_high"], row["p_value"],
                          an.conf_level)
    result = (f"The hazard ratio of RFS associated with a transplant in remission "
              f"(transplanted vs not yet transplanted) was {hr}.")
    parts = [rule, result]
    if m.ph is not None:
        parts += ph_reading(m.ph.loc["exposed", "p_value"], m.ph.loc["GLOBAL", "p_value"])
    if m.interaction is None:
        parts.append(explain(NoInformation("interaction_not_estimable")))
    else:
        i = m.interaction
        parts.append("The transplant × cohort interaction (ratio of the hazard ratios, R/R vs "
                     "MRD+) was "
                     f"{fmt.hazard_ratio(i['hr'], i['hr_ci_low'], i['hr_ci_high'], i['p_value'], an.conf_level)}.")
    return sentences(*parts)


def ph_reading(p_transplant: float, p_global: float) -> list[str]:
    """The proportional-hazards test of the primary model and what it says, chosen from its
    p-values: below :data:`~blina_analysis.definitions.PH_TEST_ALPHA` for transplant, the
    hazard ratio may not be constant over time (the landmark analyses show how it depends on
    when the groups are compared); below it globally only, a covariate's may not be; else no
    departure was detected. Nothing when the test has no p-value."""
    if math.isnan(p_transplant) or math.isnan(p_global):
        return []
    test = ("The proportional-hazards test (scaled Schoenfeld residuals) gave "
            f"{fmt.p_value(p_transplant)} for transplant and {fmt.p_value(p_global)} globally")
    if p_transplant < PH_TEST_ALPHA:
        return [f"{test}: the hazard ratio of transplant may not be constant over time, so the "
                "single hazard ratio averages an association that may change with the time "
                "since response. The landmark analyses below show how the comparison depends "
                "on when the groups are formed."]
    if p_global < PH_TEST_ALPHA:
        return [f"{test}: no departure from proportional hazards was detected for transplant, "
                "but the hazard ratio of an adjustment covariate may not be constant over "
                "time."]
    return [f"{test}: no departure from proportional hazards was detected."]


def after_hsct_text(an: Analysis) -> str:
    """Outcomes from the day of a consolidation transplant at 1 and 2 years, with the numbers
    at risk (EBMT style)."""
    an.require("consolidation_hsct")
    os_curve, lfs = an.km_after_transplant("OS"), an.km_after_transplant("LFS")
    cif = an.cif_after_transplant()
    at_risk = lfs.number_at_risk([ONE_YEAR_DAYS, TWO_YEARS_DAYS])

    def read(curve, days):
        return _survival.estimate(curve.at(days), days, an.conf_level)

    def both(curve):
        return f"{read(curve, ONE_YEAR_DAYS)} and {read(curve, TWO_YEARS_DAYS)}"

    return (f"From the day of a transplant in remission ({counted(os_curve.n, 'patient', 'patients')}), "
            f"OS at 1 and 2 years was {both(os_curve)}, leukaemia-free survival (LFS) "
            f"{both(lfs)}, the cumulative incidence of relapse {both(cif['relapse'])} and of "
            f"non-relapse mortality {both(cif['non-relapse mortality'])}. The numbers still at "
            "risk (alive, in remission and followed) at 1 and 2 years were "
            f"{fmt.number(at_risk[0])} and {fmt.number(at_risk[1])}.")


def landmark_text(an: Analysis) -> str:
    """The landmark analysis: who is analysed, who excluded, who exposed, and the test."""
    lm = an.landmark("DFS")
    days = fmt.number(an.landmark_days)
    who = (f"Responders still in follow-up {days} days after response "
           f"({fmt.number(lm.n_at_risk)}; {fmt.number(lm.n_excluded)} excluded) are grouped by "
           f"whether they had been transplanted by then ({fmt.number(lm.n_exposed)} had)")
    if lm.n_exposed in (0, lm.n_at_risk):
        state = "none" if lm.n_exposed == 0 else "all"
        return (f"Of the {fmt.number(lm.n_at_risk)} responders still in follow-up {days} days "
                f"after response ({fmt.number(lm.n_excluded)} excluded), {state} had been "
                "transplanted by then, so there is no landmark comparison.")
    test = an.landmark_test("DFS")
    if test is None:
        return (f"{who}; with fewer than {fmt.number(MIN_PATIENTS_FOR_TEST)} patients in a group "
                f"or {fmt.number(MIN_EVENTS_FOR_TEST)} events after the landmark, there is no "
                "log-rank test.")
    return (f"{who} and followed from the landmark (sensitivity analysis: "
            f"{fmt.p_value(test.p_value)}, log-rank).")


def _days_list(days) -> str:
    """``"60, 90, 120 and 180"``."""
    return and_join([fmt.number(d) for d in days])


def tv_cox_text(an: Analysis) -> str:
    """Hazard ratios of transplant (time-dependent), cohorts pooled and stratified by cohort."""
    pooled = _per_endpoint(an, time_varying_cox, "Sensitivity analyses without adjustment: with "
                           "transplant in remission as a time-dependent covariate, the hazard "
                           "ratio of transplanted vs not-yet-transplanted responders, "
                           "with the two cohorts pooled (one baseline hazard for MRD+ and R/R "
                           "responders), was")
    try:
        an.require_transplant_groups()
    except NoInformation as exc:
        return explain(exc)
    strat = _per_endpoint(an, lambda a, e: time_varying_cox(a, e, stratified=True),
                          "The cohorts differ in their prognosis, so each model is also "
                          "stratified by cohort (a baseline hazard per cohort, one hazard "
                          "ratio):")
    return sentences(pooled, strat, "The table gives both, with the cause-specific models of "
                     "the next section.")


def cif_text(an: Analysis) -> str:
    """2-year cumulative incidence of relapse and NRM from response, and the cause-specific
    hazard ratios of transplant."""
    an.require("responders")
    cif = an.relapse_nrm_from_response()

    def two_years(curve):
        return _survival.estimate(curve.at(TWO_YEARS_DAYS), TWO_YEARS_DAYS, an.conf_level)

    readings = [c.at(TWO_YEARS_DAYS) for c in (cif["relapse"], cif["non-relapse mortality"])]
    if all(math.isnan(r.estimate) for r in readings):
        incidence = ("Among all responders, the cumulative incidences of relapse and of "
                     "non-relapse mortality 2 years after response were "
                     f"{_survival.not_estimable(TWO_YEARS_DAYS)}.")
    else:
        incidence = (f"Among all responders, 2 years after response the cumulative incidence of "
                     f"relapse was {two_years(cif['relapse'])} and of non-relapse mortality "
                     f"{two_years(cif['non-relapse mortality'])}.")

    def cause_specific():
        an.require_transplant_groups()
        parts, reasons = [], []

        def hazard_ratio(endpoint, stratified=False):
            try:
                return time_varying_cox(an, endpoint, stratified=stratified)
            except NoInformation as exc:
                reasons.append(explain(exc))
                return None

        for endpoint, name in (("relapse", "relapse"), ("NRM", "non-relapse mortality")):
            pooled, strat = hazard_ratio(endpoint), hazard_ratio(endpoint, stratified=True)
            if pooled is None:
                parts.append(f"for {name} not estimable")
            else:
                parts.append(f"for {name} {pooled} (stratified by cohort: "
                             f"{strat or fmt.NOT_ESTIMABLE})")
        return sentences(
            "The association of a transplant in remission with each is a cause-specific hazard "
            "ratio (sensitivity analysis), with transplant as a time-dependent covariate and "
            "the competing event censoring: "
            f"{'; '.join(parts)}.", *reasons)
    return sentences(incidence, or_reason(cause_specific))


def values(an: Analysis, build: BuildFacts) -> dict[str, str]:
    return {
        "cif_text": or_reason(lambda: cif_text(an)),
        "crude_text": or_reason(lambda: crude_text(an)),
        "landmark_sensitivity_days": _days_list(LANDMARK_SENSITIVITY_DAYS),
        "landmark_text": or_reason(lambda: landmark_text(an)),
        "mantel_byar_text": _per_endpoint(an, _mantel_byar, "The test (sensitivity analysis) gave"),
        "exposure_text": or_reason(lambda: exposure_text(an)),
        "test_minimum_text": (f"No test is run when a group has fewer than "
                              f"{fmt.number(MIN_PATIENTS_FOR_TEST)} patients or the comparison "
                              f"fewer than {fmt.number(MIN_EVENTS_FOR_TEST)} events: it would "
                              "say nothing."),
        "time_to_hsct_text": or_reason(lambda: time_to_hsct_text(an)),
        "primary_text": or_reason(lambda: primary_text(an)),
        "after_hsct_text": or_reason(lambda: after_hsct_text(an)),
        "naive_text": or_reason(lambda: naive_text(an)),
        "prior_hsct_text": or_reason(lambda: prior_hsct_text(an)),
        "tv_cox_text": or_reason(lambda: tv_cox_text(an)),
    }
