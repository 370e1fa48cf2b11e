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
from blina_analysis.i18n import _, ngettext
from blina_analysis.report import fmt
from blina_analysis.report.text import _survival, compare
from blina_analysis.report.text._say import and_join, or_reason, sentences
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
    return _("In the primary transplant analysis (relapse-free survival from response; a "
             "transplant in continuous remission as a time-dependent covariate, stratified by "
             "cohort and adjusted as the events allow), the hazard ratio associated with an "
             "allo-HSCT was {hazard_ratio}.").format(hazard_ratio=primary_hazard_ratio(an))


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
    return _("\u03c7\u00b2 = {statistic}, {p}").format(statistic=fmt.number(test.statistic, 2),
                                                     p=fmt.p_value(test.p_value))


def _per_endpoint(an: Analysis, compute, lead: str) -> str:
    """``lead`` (a message with ``{results}``) filled with "X for RFS and Y for OS", then the
    reason of each that cannot be computed (each reason names its event)."""
    got, reasons = [], []
    for endpoint, short in (("DFS", _("RFS")), ("OS", _("OS"))):
        try:
            got.append(_("{result} for {endpoint}").format(result=compute(an, endpoint),
                                                           endpoint=short))
        except NoInformation as exc:
            reasons.append(explain(exc))
    return sentences(lead.format(results=_(" and ").join(got)) if got else None, *reasons)


def prior_hsct_text(an: Analysis) -> str:
    """Response of R/R patients after a prior allo-HSCT, against those without."""
    an.require("rr")
    prior = an.proportion("rr", "prior_allo_hsct")
    if prior.n == 0:
        return _("No R/R patient of this dataset had relapsed after a prior allo-HSCT.")
    if prior.n == prior.N:  # then their rate is the R/R group's
        if prior.N == 1:
            return _("The only R/R patient had relapsed after a prior allo-HSCT; the CR/CRh rate "
                     "was {response}.").format(response=response(an))
        return ngettext("All {n} R/R patients had relapsed after a prior allo-HSCT; the CR/CRh "
                        "rate was {response}.",
                        "All {n} R/R patients had relapsed after a prior allo-HSCT; the CR/CRh "
                        "rate was {response}.", prior.N).format(n=fmt.number(prior.N),
                                                                response=response(an))
    theirs = an.subgroup_rate("prior_hsct", "yes")
    return _("Of the R/R patients, {n} had relapsed after a prior allo-HSCT. Their CR/CRh rate "
             "was {n_of} ({rate_ci}), against {others} in R/R patients without a prior "
             "transplant ({test}).").format(
        n=fmt.number(prior.n), n_of=fmt.n_of(theirs.n, theirs.N),
        rate_ci=fmt.rate_ci(theirs, an.conf_level),
        others=subgroup_rate_n(an, 'prior_hsct', 'no'), test=subgroup_test(an, 'prior_hsct'))


def exposure_text(an: Analysis) -> str:
    """How many responders were transplanted after blinatumomab, in remission or after relapse
    (a kind that no responder had is said in words: "none after a relapse")."""
    ex = an.transplant_exposure()
    if ex.n_after == 0:
        return explain(NoInformation("no_transplant"))
    counts = dict(n=int(ex.n_responders), after=fmt.number(ex.n_after))
    if ex.n_responders == 1:  # the one responder was the one transplanted
        return (_("The only responder had an allo-HSCT after blinatumomab, in continuous "
                  "remission (consolidation, the exposure).") if ex.n_consolidation else
                _("The only responder had an allo-HSCT after blinatumomab, after a relapse "
                  "(salvage, counted as not transplanted)."))
    if ex.n_salvage == 0:
        return ngettext(
            "Of the {n} responder, {after} had an allo-HSCT after blinatumomab, in continuous "
            "remission (consolidation, the exposure); none had one after a relapse (salvage, "
            "counted as not transplanted).",
            "Of the {n} responders, {after} had an allo-HSCT after blinatumomab, in continuous "
            "remission (consolidation, the exposure); none had one after a relapse (salvage, "
            "counted as not transplanted).", int(ex.n_responders)).format(**counts)
    if ex.n_consolidation == 0:
        return ngettext(
            "Of the {n} responder, {after} had an allo-HSCT after blinatumomab, after a relapse "
            "(salvage, counted as not transplanted); none had one in continuous remission "
            "(consolidation, the exposure).",
            "Of the {n} responders, {after} had an allo-HSCT after blinatumomab, after a relapse "
            "(salvage, counted as not transplanted); none had one in continuous remission "
            "(consolidation, the exposure).", int(ex.n_responders)).format(**counts)
    return ngettext(
        "Of the {n} responder, {after} had an allo-HSCT after blinatumomab: {consolidation} in "
        "continuous remission (consolidation, the exposure) and {salvage} after a relapse "
        "(salvage, counted as not transplanted).",
        "Of the {n} responders, {after} had an allo-HSCT after blinatumomab: {consolidation} in "
        "continuous remission (consolidation, the exposure) and {salvage} after a relapse "
        "(salvage, counted as not transplanted).", int(ex.n_responders)).format(
        consolidation=fmt.number(ex.n_consolidation), salvage=fmt.number(ex.n_salvage),
        **counts)


def crude_text(an: Analysis) -> str:
    """The crude comparison of relapse by consolidation transplant, in counts (no test: it is
    biased by design), and the paper's own figure when salvage transplants change it."""
    an.require_transplant_groups()
    groups = an.crude_relapse_by_transplant("consolidation")
    after, without = groups["transplanted"], groups["not transplanted"]
    text = _("Relapse occurred in {after} ({after_pct}) of the responders transplanted in "
             "remission and in {without} ({without_pct}) of the other responders.").format(
        after=fmt.n_of(after.n, after.N), after_pct=fmt.pct(after.rate),
        without=fmt.n_of(without.n, without.N), without_pct=fmt.pct(without.rate))
    if an.transplant_exposure().n_salvage:
        paper = crude_relapse(an)
        text += " " + _("Counting every transplant after blinatumomab, as the paper does, the "
                        "shares are {after} and {without}.").format(
            after=fmt.n_of(paper.transplanted.n, paper.transplanted.N),
            without=fmt.n_of(paper.not_transplanted.n, paper.not_transplanted.N))
    return text + " " + _("No test is given: the comparison ignores when the transplant "
                          "happened, so it is biased by design.")


def naive_text(an: Analysis) -> str:
    """The naive curves by "ever transplanted": counts, no test (biased by design)."""
    curves, _test = an.naive_transplant_comparison("DFS")
    never, ever = curves
    return _("The curves ({ever} ever transplanted in remission, {never} never) are shown for "
             "contrast only, without a test.").format(ever=fmt.number(ever.n),
                                                      never=fmt.number(never.n))


def time_to_hsct_text(an: Analysis) -> str:
    """Distribution of the time from response to a consolidation transplant, and how many of
    those the landmark calls untransplanted were transplanted later (whether the landmark groups
    mix early and late transplants is said from that count)."""
    tt = an.time_to_transplant()
    days = [d for d, _n in tt.by_day]
    counts = dict(days=_days_list(days), counts=and_join([fmt.number(n) for _d, n in tt.by_day]))
    if tt.n == 1:  # a median, quartiles and a range of one value say nothing more than the value
        text = _("The only transplant in remission took place {day} days after response; by day "
                 "{days} after response, {counts} had been transplanted.").format(
            day=fmt.number(tt.median), **counts)
    else:
        text = ngettext(
            "The {n} transplant in remission took place a median of {median} days after response "
            "(interquartile range {q1}\u2013{q3}; range {low}\u2013{high}); by day {days} after "
            "response, {counts} had been transplanted.",
            "The {n} transplants in remission took place a median of {median} days after response "
            "(interquartile range {q1}\u2013{q3}; range {low}\u2013{high}); by day {days} after "
            "response, {counts} had been transplanted.", int(tt.n)).format(
            n=int(tt.n), median=fmt.number(tt.median), q1=fmt.number(tt.q1),
            q3=fmt.number(tt.q3), low=fmt.number(tt.minimum), high=fmt.number(tt.maximum),
            **counts)
    return sentences(text, _later_transplants(tt))


def _later_transplants(tt) -> str:
    """Whether the responders the landmark calls untransplanted stayed so: how many were
    transplanted later, and so whether the landmark groups mix early and late transplants."""
    later_n = dict(n=int(tt.n_unexposed), landmark=fmt.number(tt.landmark),
                   later=fmt.number(tt.n_later))
    if tt.n_unexposed == 0:
        return _("No responder was in follow-up and not yet transplanted at the {landmark}-day "
                 "landmark.").format(**later_n)
    if tt.n_later == 0 and tt.n_unexposed == 1:
        return _("The only responder in follow-up and not yet transplanted at the {landmark}-day "
                 "landmark was not transplanted later: the landmark groups do not mix early and "
                 "late transplants.").format(**later_n)
    if tt.n_later == 0:
        return ngettext(
            "Of the {n} responder in follow-up and not yet transplanted at the {landmark}-day "
            "landmark, none was transplanted later: the landmark groups do not mix early and late "
            "transplants.",
            "Of the {n} responders in follow-up and not yet transplanted at the {landmark}-day "
            "landmark, none was transplanted later: the landmark groups do not mix early and late "
            "transplants.", int(tt.n_unexposed)).format(**later_n)
    if tt.later_by:
        day, n = tt.later_by[0]
        return ngettext(
            "Of the {n} responder in follow-up and not yet transplanted at the {landmark}-day "
            "landmark, {later} {verb} transplanted later ({by} by day {day}): the landmark "
            "groups mix early and late transplants.",
            "Of the {n} responders in follow-up and not yet transplanted at the {landmark}-day "
            "landmark, {later} {verb} transplanted later ({by} by day {day}): the landmark "
            "groups mix early and late transplants.", int(tt.n_unexposed)).format(
            verb=ngettext("was", "were", int(tt.n_later)), by=fmt.number(n),
            day=fmt.number(day), **later_n)
    return ngettext(
        "Of the {n} responder in follow-up and not yet transplanted at the {landmark}-day "
        "landmark, {later} {verb} transplanted later: the landmark groups mix early and late "
        "transplants.",
        "Of the {n} responders in follow-up and not yet transplanted at the {landmark}-day "
        "landmark, {later} {verb} transplanted later: the landmark groups mix early and late "
        "transplants.", int(tt.n_unexposed)).format(
        verb=ngettext("was", "were", int(tt.n_later)), **later_n)


def _term_names(codes) -> list[str]:
    names = dict(PRIMARY_COVARIATES)
    return [names[c] for c in codes]


def primary_text(an: Analysis) -> str:
    """The primary analysis: the adjusted, cohort-stratified time-dependent Cox model for DFS,
    its covariate rule, proportional-hazards test and transplant × cohort interaction."""
    m = an.primary_transplant_model()
    allowed = max(m.n_events // EVENTS_PER_TERM, 1)
    terms = _term_names(m.terms)
    adjusted = (_("adjusted for {terms}").format(terms=and_join([_(t) for t in terms])) if terms
                else _("without adjustment"))
    events = ngettext("The {n} RFS event of the {N} responders", "The {n} RFS events of the {N} "
                      "responders", int(m.n_events)).format(n=int(m.n_events), N=fmt.number(m.n))
    rule = ngettext("{events} allow {allowed} term (one per {per} events): transplant, then "
                    "covariates in the order fixed in advance, so the model is {adjusted}.",
                    "{events} allow {allowed} terms (one per {per} events): transplant, then "
                    "covariates in the order fixed in advance, so the model is {adjusted}.",
                    int(allowed)).format(events=events, allowed=int(allowed),
                                         per=fmt.number(EVENTS_PER_TERM), adjusted=adjusted)
    if m.constant:
        constant = and_join([_(t) for t in _term_names(m.constant)])
        # only the first letter: str.capitalize() would lower "allo-HSCT", "МОБ"
        rule += " " + _("{terms} did not vary within a cohort and was left out.").format(
            terms=constant[:1].upper() + constant[1:])
    row = m.fit.table.loc["exposed"]
    hr = fmt.hazard_ratio(row["hr"], row["hr_ci_low"], row["hr_ci_high"], row["p_value"],
                          an.conf_level)
    result = _("The hazard ratio of RFS associated with a transplant in remission (transplanted "
               "vs not yet transplanted) was {hazard_ratio}.").format(hazard_ratio=hr)
    parts = [rule, result]
    if m.ph is not None:
        parts += ph_reading(m.ph.loc["exposed", "p_value"], m.ph.loc["GLOBAL", "p_value"])
    if m.interaction is None:
        parts.append(explain(NoInformation("interaction_not_estimable")))
    else:
        i = m.interaction
        parts.append(_("The transplant \u00d7 cohort interaction (ratio of the hazard ratios, R/R "
                       "vs MRD+) was {hazard_ratio}.").format(hazard_ratio=fmt.hazard_ratio(
                           i['hr'], i['hr_ci_low'], i['hr_ci_high'], i['p_value'],
                           an.conf_level)))
    return sentences(*parts)


def ph_reading(p_transplant: float, p_global: float) -> list[str]:
    """The proportional-hazards test of the primary model and what it says, chosen from its
    p-values: below :data:`~blina_analysis.definitions.PH_TEST_ALPHA` for transplant, the
    hazard ratio may not be constant over time (the landmark analyses show how it depends on
    when the groups are compared); below it globally only, a covariate's may not be; else no
    departure was detected. Nothing when the test has no p-value."""
    if math.isnan(p_transplant) or math.isnan(p_global):
        return []
    ps = dict(p_transplant=fmt.p_value(p_transplant), p_global=fmt.p_value(p_global))
    if p_transplant < PH_TEST_ALPHA:
        return [_("The proportional-hazards test (scaled Schoenfeld residuals) gave "
                  "{p_transplant} for transplant and {p_global} globally: the hazard ratio of "
                  "transplant may not be constant over time, so the single hazard ratio averages "
                  "an association that may change with the time since response. The landmark "
                  "analyses below show how the comparison depends on when the groups are "
                  "formed.").format(**ps)]
    if p_global < PH_TEST_ALPHA:
        return [_("The proportional-hazards test (scaled Schoenfeld residuals) gave "
                  "{p_transplant} for transplant and {p_global} globally: no departure from "
                  "proportional hazards was detected for transplant, but the hazard ratio of an "
                  "adjustment covariate may not be constant over time.").format(**ps)]
    return [_("The proportional-hazards test (scaled Schoenfeld residuals) gave {p_transplant} "
              "for transplant and {p_global} globally: no departure from proportional hazards "
              "was detected.").format(**ps)]


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
        return _("{one_year} and {two_years}").format(one_year=read(curve, ONE_YEAR_DAYS),
                                                      two_years=read(curve, TWO_YEARS_DAYS))

    return ngettext(
        "From the day of a transplant in remission ({n} patient), OS at 1 and 2 years was {os}, "
        "leukaemia-free survival (LFS) {lfs}, the cumulative incidence of relapse {relapse} and "
        "of non-relapse mortality {nrm}. The numbers still at risk (alive, in remission and "
        "followed) at 1 and 2 years were {one_year} and {two_years}.",
        "From the day of a transplant in remission ({n} patients), OS at 1 and 2 years was {os}, "
        "leukaemia-free survival (LFS) {lfs}, the cumulative incidence of relapse {relapse} and "
        "of non-relapse mortality {nrm}. The numbers still at risk (alive, in remission and "
        "followed) at 1 and 2 years were {one_year} and {two_years}.", int(os_curve.n)).format(
        n=int(os_curve.n), os=both(os_curve), lfs=both(lfs), relapse=both(cif['relapse']),
        nrm=both(cif['non-relapse mortality']), one_year=fmt.number(at_risk[0]),
        two_years=fmt.number(at_risk[1]))


def landmark_text(an: Analysis) -> str:
    """The landmark analysis: who is analysed, who excluded, who exposed, and the test."""
    lm = an.landmark("DFS")
    days = fmt.number(an.landmark_days)
    counts = dict(days=days, n=fmt.number(lm.n_at_risk), excluded=fmt.number(lm.n_excluded),
                  exposed=fmt.number(lm.n_exposed))
    if lm.n_at_risk == 0:
        return _("No responder was still in follow-up {days} days after response ({excluded} "
                 "excluded), so there is no landmark comparison.").format(**counts)
    if lm.n_exposed in (0, lm.n_at_risk):  # one group only: no comparison
        transplanted, one = lm.n_exposed > 0, lm.n_at_risk == 1
        text = {
            (False, True): _("The only responder still in follow-up {days} days after response "
                             "({excluded} excluded) had not been transplanted by then, so there "
                             "is no landmark comparison."),
            (True, True): _("The only responder still in follow-up {days} days after response "
                            "({excluded} excluded) had been transplanted by then, so there is no "
                            "landmark comparison."),
            (False, False): _("Of the {n} responders still in follow-up {days} days after "
                              "response ({excluded} excluded), none had been transplanted by "
                              "then, so there is no landmark comparison."),
            (True, False): _("Of the {n} responders still in follow-up {days} days after "
                             "response ({excluded} excluded), all had been transplanted by then, "
                             "so there is no landmark comparison."),
        }[transplanted, one]
        return text.format(**counts)
    test = an.landmark_test("DFS")
    if test is None:
        return _("Responders still in follow-up {days} days after response ({n}; {excluded} "
                 "excluded) are grouped by whether they had been transplanted by then "
                 "({exposed} had); with fewer than {min_patients} patients in a group or "
                 "{min_events} events after the landmark, there is no log-rank test.").format(
            min_patients=fmt.number(MIN_PATIENTS_FOR_TEST),
            min_events=fmt.number(MIN_EVENTS_FOR_TEST), **counts)
    return _("Responders still in follow-up {days} days after response ({n}; {excluded} "
             "excluded) are grouped by whether they had been transplanted by then ({exposed} "
             "had) and followed from the landmark (sensitivity analysis: {p}, log-rank).").format(
        p=fmt.p_value(test.p_value), **counts)


def _days_list(days) -> str:
    """``"60, 90, 120 and 180"``."""
    return and_join([fmt.number(d) for d in days])


def tv_cox_text(an: Analysis) -> str:
    """Hazard ratios of transplant (time-dependent), cohorts pooled and stratified by cohort."""
    pooled = _per_endpoint(an, time_varying_cox, _(
        "Sensitivity analyses without adjustment: with transplant in remission as a "
        "time-dependent covariate, the hazard ratio of transplanted vs not-yet-transplanted "
        "responders, with the two cohorts pooled (one baseline hazard for MRD+ and R/R "
        "responders), was {results}."))
    try:
        an.require_transplant_groups()
    except NoInformation as exc:
        return explain(exc)
    strat = _per_endpoint(an, lambda a, e: time_varying_cox(a, e, stratified=True), _(
        "The cohorts differ in their prognosis, so each model is also stratified by cohort (a "
        "baseline hazard per cohort, one hazard ratio): {results}."))
    return sentences(pooled, strat, _("The table gives both, with the cause-specific models of "
                                      "the next section."))


def cif_text(an: Analysis) -> str:
    """2-year cumulative incidence of relapse and NRM from response, and the cause-specific
    hazard ratios of transplant."""
    an.require("responders")
    cif = an.relapse_nrm_from_response()

    def two_years(curve):
        return _survival.estimate(curve.at(TWO_YEARS_DAYS), TWO_YEARS_DAYS, an.conf_level)

    readings = [c.at(TWO_YEARS_DAYS) for c in (cif["relapse"], cif["non-relapse mortality"])]
    if all(math.isnan(r.estimate) for r in readings):
        incidence = _("Among all responders, the cumulative incidences of relapse and of "
                      "non-relapse mortality 2 years after response were {value}.").format(
            value=_survival.not_estimable(TWO_YEARS_DAYS))
    else:
        incidence = _("Among all responders, 2 years after response the cumulative incidence of "
                      "relapse was {relapse} and of non-relapse mortality {nrm}.").format(
            relapse=two_years(cif['relapse']), nrm=two_years(cif['non-relapse mortality']))

    def cause_specific():
        an.require_transplant_groups()
        parts, reasons = [], []

        def hazard_ratio(endpoint, stratified=False):
            try:
                return time_varying_cox(an, endpoint, stratified=stratified)
            except NoInformation as exc:
                reasons.append(explain(exc))
                return None

        for endpoint in ("relapse", "NRM"):
            pooled, strat = hazard_ratio(endpoint), hazard_ratio(endpoint, stratified=True)
            relapse = endpoint == "relapse"
            if pooled is None:
                parts.append(_("for relapse not estimable") if relapse
                             else _("for non-relapse mortality not estimable"))
            else:
                text = (_("for relapse {pooled} (stratified by cohort: {stratified})") if relapse
                        else _("for non-relapse mortality {pooled} (stratified by cohort: "
                               "{stratified})"))
                parts.append(text.format(pooled=pooled,
                                         stratified=strat or fmt.term(fmt.NOT_ESTIMABLE)))
        return sentences(_(
            "The association of a transplant in remission with each is a cause-specific hazard "
            "ratio (sensitivity analysis), with transplant as a time-dependent covariate and the "
            "competing event censoring: {parts}.").format(parts="; ".join(parts)), *reasons)
    return sentences(incidence, or_reason(cause_specific))


def values(an: Analysis, build: BuildFacts) -> dict[str, str]:
    return {
        "cif_text": or_reason(lambda: cif_text(an)),
        "crude_text": or_reason(lambda: crude_text(an)),
        "landmark_sensitivity_days": _days_list(LANDMARK_SENSITIVITY_DAYS),
        "landmark_text": or_reason(lambda: landmark_text(an)),
        "mantel_byar_text": _per_endpoint(an, _mantel_byar,
                                          _("The test (sensitivity analysis) gave {results}.")),
        "exposure_text": or_reason(lambda: exposure_text(an)),
        "test_minimum_text": _("No test is run when a group has fewer than {min_patients} "
                               "patients or the comparison fewer than {min_events} events: it "
                               "would say nothing.").format(
            min_patients=fmt.number(MIN_PATIENTS_FOR_TEST),
            min_events=fmt.number(MIN_EVENTS_FOR_TEST)),
        "time_to_hsct_text": or_reason(lambda: time_to_hsct_text(an)),
        "primary_text": or_reason(lambda: primary_text(an)),
        "after_hsct_text": or_reason(lambda: after_hsct_text(an)),
        "naive_text": or_reason(lambda: naive_text(an)),
        "prior_hsct_text": or_reason(lambda: prior_hsct_text(an)),
        "tv_cox_text": or_reason(lambda: tv_cox_text(an)),
    }
