"""The transplant chapter: transplant before and after blinatumomab, relapse and NRM."""

from __future__ import annotations

import math

from blina_analysis.analyses import Analysis
from blina_analysis.analyses.summaries import crude_relapse
from blina_analysis.definitions import LANDMARK_SENSITIVITY_DAYS, TWO_YEARS_DAYS
from blina_analysis.errors import NoInformation
from blina_analysis.report import fmt
from blina_analysis.report.text import _survival, compare
from blina_analysis.report.text._say import and_join, or_reason, sentences
from blina_analysis.report.text.reasons import explain
from blina_analysis.report.text.rr_results import response, subgroup_rate_n, subgroup_test
from blina_analysis.report.text.edition import BuildFacts

__all__ = ["values", "relapse_after_hsct_pct", "relapse_without_hsct_pct", "time_varying_cox",
           "crude_rates", "crude_abstract", "tv_cox_text"]


def relapse_after_hsct_pct(an: Analysis) -> str:
    """Crude share of responders transplanted after blinatumomab who relapsed."""
    return fmt.pct(crude_relapse(an).transplanted.rate)


def relapse_without_hsct_pct(an: Analysis) -> str:
    """Crude share of responders not transplanted after blinatumomab who relapsed."""
    return fmt.pct(crude_relapse(an).not_transplanted.rate)


def crude_rates(an: Analysis, template: str) -> str:
    """``template`` filled with the crude relapse shares (``{after}``, ``{without}``)."""
    crude = crude_relapse(an)
    return template.format(after=fmt.pct(crude.transplanted.rate),
                           without=fmt.pct(crude.not_transplanted.rate))


def crude_abstract(an: Analysis) -> str:
    """The abstract's sentence on the crude comparison, its reading chosen from the values."""
    crude = crude_relapse(an)
    after, without = crude.transplanted, crude.not_transplanted
    reading = compare.word("crude_relapse", (after.n, after.N), (without.n, without.N))
    return (f"Among responders, relapse occurred in {fmt.pct(after.rate)} of those who went on "
            f"to allo-HSCT and in {fmt.pct(without.rate)} of those who did not — {reading}.")


def time_varying_cox(an: Analysis, endpoint: str, stratified: bool = False) -> str:
    """``"HR 0.45 (95% CI 0.20–1.01), p = 0.053"``: transplant as a time-dependent covariate,
    both cohorts pooled or (``stratified``) with a baseline hazard per cohort.

    Raises :class:`~blina_analysis.errors.NoInformation` when the hazard ratio has no finite
    estimate.
    """
    row = an.time_varying_cox(endpoint, stratified).table.iloc[0]
    return fmt.hazard_ratio(row["hr"], row["hr_ci_low"], row["hr_ci_high"], row["p_value"],
                            an.conf_level)


def _mantel_byar(an: Analysis, endpoint: str) -> str:
    test = an.mantel_byar(endpoint)
    return f"χ² = {fmt.number(test.statistic, 2)}, {fmt.p_value(test.p_value)}"


def _per_endpoint(an: Analysis, compute, lead: str) -> str:
    """``lead`` + "X for DFS and Y for OS.", then the reason of each that cannot be computed
    (each reason names its event)."""
    got, reasons = [], []
    for endpoint in ("DFS", "OS"):
        try:
            got.append(f"{compute(an, endpoint)} for {endpoint}")
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


def crude_text(an: Analysis) -> str:
    """The paper's crude comparison: relapse by allo-HSCT after blinatumomab among responders."""
    an.require("responders")
    crude = crude_relapse(an)
    after, without = crude.transplanted, crude.not_transplanted
    return (f"Of the responders, {fmt.number(after.N)} went on to allo-HSCT. Relapse occurred in "
            f"{fmt.n_of(after.n, after.N)} ({fmt.pct(after.rate)}) of the transplanted and in "
            f"{fmt.n_of(without.n, without.N)} ({fmt.pct(without.rate)}) of the other responders "
            f"({fmt.p_value(crude.p_value)}, Fisher's exact test). This is the paper's "
            "comparison.")


def naive_text(an: Analysis) -> str:
    _, test = an.naive_transplant_comparison("DFS")
    if math.isnan(test.p_value):
        return "No responder relapsed or died, so the curves cannot be compared."
    return f"The log-rank test of that comparison gives {fmt.p_value(test.p_value)}."


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
    if math.isnan(lm.test.p_value):
        return f"{who}; no relapse or death followed the landmark, so there is no log-rank test."
    return f"{who} and followed from the landmark ({fmt.p_value(lm.test.p_value)}, log-rank)."


def _days_list(days) -> str:
    """``"60, 90, 120 and 180"``."""
    return and_join([fmt.number(d) for d in days])


def tv_cox_text(an: Analysis) -> str:
    """Hazard ratios of transplant (time-dependent), cohorts pooled and stratified by cohort."""
    pooled = _per_endpoint(an, time_varying_cox, "With transplant as a time-dependent covariate, "
                           "the hazard ratio of transplanted vs not-yet-transplanted responders, "
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
            "The effect of a transplant on each is a cause-specific hazard ratio, with "
            "transplant as a time-dependent covariate and the competing event censoring: "
            f"{'; '.join(parts)}.", *reasons)
    return sentences(incidence, or_reason(cause_specific))


def values(an: Analysis, build: BuildFacts) -> dict[str, str]:
    return {
        "cif_text": or_reason(lambda: cif_text(an)),
        "crude_text": or_reason(lambda: crude_text(an)),
        "landmark_sensitivity_days": _days_list(LANDMARK_SENSITIVITY_DAYS),
        "landmark_text": or_reason(lambda: landmark_text(an)),
        "mantel_byar_text": _per_endpoint(an, _mantel_byar, "The test gave"),
        "naive_text": or_reason(lambda: naive_text(an)),
        "prior_hsct_text": or_reason(lambda: prior_hsct_text(an)),
        "tv_cox_text": or_reason(lambda: tv_cox_text(an)),
    }
