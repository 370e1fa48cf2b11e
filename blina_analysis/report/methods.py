"""Tables of the methods chapter, generated from the definitions (so text and code agree)."""

from __future__ import annotations

import pandas as pd

import math

from blina_analysis.definitions import (
    ENDPOINTS,
    POPULATIONS,
    POST_HSCT_ENDPOINTS,
    RESPONSE_LANDMARK_DAYS,
)
from blina_analysis.i18n import N_, _
from blina_analysis.report import fmt

__all__ = ["endpoint_table", "population_table", "r_differences", "R_DIFFERENCES",
           "definitions_table", "NOT_RECORDED", "NOT_STATED", "ENDPOINT_ROLES"]

#: What the definitions table says where dataset.yaml, or the abstract, gives no answer.
NOT_RECORDED = N_("not recorded")
NOT_STATED = N_("not stated")

#: Where the package's defaults differ from R's, and why (rendered in the methods chapter).
R_DIFFERENCES: tuple[tuple[str, str, str, str], ...] = (
    (N_("Kaplan–Meier confidence interval"),
     N_("complementary log–log (\"log-log\")"),
     N_("survfit: conf.type = \"log\""),
     N_("log-log limits stay inside 0–1 and behave better in small samples; it is the "
        "default of SAS and Stata and of lifelines. R's \"log\" is available "
        "(conf_type=\"log\").")),
    (N_("Median at an exact 0.5 plateau"),
     N_("midpoint of the plateau (as R's print.survfit), with R's tolerance sqrt(machine "
        "eps)"),
     N_("print.survfit: midpoint"),
     N_("same rule as R; the tolerance avoids floating-point misses (lifelines returns "
        "inf). A median not reached is written out and a confidence limit that cannot be "
        "computed is \"n.e.\", where R prints NA for both.")),
    (N_("Reading a curve after the last observation"),
     N_("the last value if the curve ended with an event leaving nobody at risk (a curve "
        "at 0 stays 0); not estimable if the last observation is censored"),
     N_("summary(fit, times, extend = TRUE): the last value in both cases; without extend "
        "the time is left out"),
     N_("same as R where the curve has dropped to 0; after a censored last observation "
        "the curve is unknown, so the book does not carry the last value forward.")),
    (N_("Median follow-up"),
     N_("smallest time where the reverse KM curve is at or below 0.5, with the range of "
        "follow-up of the patients alive at last contact"),
     N_("not a single function"),
     N_("the rule of results.json (median_followup_days); deaths tied with censorings "
        "stay at risk, as in survfit(Surv(time, 1 - status) ~ 1). The range is given "
        "rather than a confidence interval, whose upper limit is often not estimable.")),
    (N_("Cumulative incidence"),
     N_("own deterministic Aalen–Johansen (events before censorings at ties)"),
     N_("cmprsk::cuminc"),
     N_("equal to cmprsk, including its (Aalen-type) variance; survfit's multi-state "
        "variance (infinitesimal jackknife) differs slightly. lifelines' "
        "AalenJohansenFitter jitters tied times at random and drops events at time 0, so "
        "it is not used.")),
    (N_("Mantel–Byar test"),
     N_("score test with exact (discrete) handling of tied event times"),
     N_("coxph score test: Efron ties"),
     N_("the Mantel–Byar statistic as published; with tied event times it differs "
        "slightly from the score test R prints by default.")),
    (N_("Cox model"),
     N_("Efron ties; Newton–Raphson on sorted risk sets (also for time-dependent "
        "covariates and strata)"),
     N_("coxph: Efron (default)"),
     N_("same estimates as coxph to about 1e-9; R's ties = \"breslow\" is not offered. "
        "lifelines is not used for the fit: for time-dependent covariates its cost grows "
        "with rows times event times (minutes at 100,000 patients).")),
)

#: What each endpoint's role means to a reader (the "Use" column of the endpoint table).
ENDPOINT_ROLES = {
    "primary": N_("cohort endpoint"),
    "responders": N_("responders' endpoint"),
    "sensitivity": N_("sensitivity analysis"),
    "transplant": N_("after a consolidation allo-HSCT (EBMT style)"),
    "paper": N_("as the paper: the MRD+ group (in remission from day 1, where DFS is EFS); the "
                "responders' figures from day 1 only in the concordance"),
}


def endpoint_table() -> pd.DataFrame:
    """One row per endpoint: time origin, populations, events (in precedence order), competing
    event, censoring (with any event that censors) and its use."""
    rows = []
    for ep in (*ENDPOINTS.values(), *POST_HSCT_ENDPOINTS.values()):
        events = [_(e.description) for e in ep.events if e.code == 1]
        competing = [_(e.description) for e in ep.events if e.code == 2]
        censoring = [_(e.description) for e in ep.events if e.code == 0]
        short = f"({ep.code.split('_')[0]})"
        name = _(ep.name)
        if len(events) > 1:
            event = _("{events} or {last}, whichever first").format(events=_(" or ").join(
                events[:-1]), last=events[-1])
        else:
            event = "".join(events)
        rows.append({_("Endpoint"): name if short in ep.name else f"{name} {short}",
                     _("Time origin"): _(ep.origin_of.description),
                     _("Population"): "; ".join(_(POPULATIONS[p].name) for p in ep.populations),
                     _("Event"): event,
                     _("Competing event"): "; ".join(competing) or "—",
                     _("Censored at"): "; ".join([*censoring, _(ep.censor.description)
                                                  + f" (`{ep.censor.date}`)"]),
                     _("Use"): _(ENDPOINT_ROLES[ep.role])})
    return pd.DataFrame(rows)


def population_table(an) -> pd.DataFrame:
    """One row per analysis population with its definition and size in this dataset."""
    return pd.DataFrame([{_("Population"): _(p.name), _("Definition"): _(p.definition),
                          "N": str(an.n(code))}
                         for code, p in POPULATIONS.items()])


def r_differences() -> pd.DataFrame:
    """The table of :data:`R_DIFFERENCES`."""
    return pd.DataFrame([[_(text) for text in row] for row in R_DIFFERENCES],
                        columns=[_("What"), _("This book"), "R", _("Why")])


def _threshold(x: float | None) -> str:
    """An MRD threshold as a percentage of nucleated cells: ``0.0001`` → ``"0.01%"``."""
    if x is None:
        return _(NOT_RECORDED)
    percent = 100 * x
    decimals = max(0, -math.floor(math.log10(percent)))
    return _("{percent}% of nucleated cells").format(percent=fmt.number(percent, decimals))


def _recorded_share(n: int, total: int, responders: bool) -> str:
    """``"recorded for 20/29 responders"`` (else patients) or :data:`NOT_RECORDED`."""
    if n == 0:
        return _(NOT_RECORDED)
    text = (_("recorded for {n_of} responders") if responders
            else _("recorded for {n_of} patients"))
    return text.format(n_of=fmt.n_of(n, total))


def definitions_table(an) -> pd.DataFrame:
    """The definitions a reader needs: the rule this book applies, what the published abstract
    states, and what ``dataset.yaml`` (or the patient table) records for this dataset."""
    meta = an.dataset.meta
    a = an.adsl
    responders = a[a["responder"]]
    cycle_known = int(responders["response_cycle"].notna().sum())
    ph_known = int(a["ph_status"].notna().sum())
    risk_known = int(a["cytogenetic_risk"].notna().sum())

    def text(value):
        return _(NOT_RECORDED) if value is None else str(value)

    not_stated = _(NOT_STATED)
    as_recorded = _("as recorded")
    rows = [
        (_("Response window and criteria (R/R)"),
         _("CR or CRh: the best response during all cycles given; NE and no response count as no "
           "response. Landmark comparisons by response use day {day} (after two cycles).").format(
             day=RESPONSE_LANDMARK_DAYS),
         _("CR (CRh not named); the window and the criteria: {not_stated}").format(
             not_stated=not_stated),
         _("cycle of response {recorded}").format(
             recorded=_recorded_share(cycle_known, len(responders), True))),
        (_("Response (MRD+ group)"), _("conversion to MRD negativity after blinatumomab"),
         _("MRD negativity; its time point: {not_stated}").format(not_stated=not_stated),
         _("see the MRD rows")),
        (_("Relapse"),
         _("haematological relapse after CR/CRh (R/R group) or from haematological remission "
           "(MRD+ group); MRD positivity alone is not relapse"),
         not_stated, _("date of each relapse")),
        (_("MRD method"), as_recorded, not_stated, text(meta.mrd_method)),
        (_("MRD threshold of negativity"), as_recorded, not_stated, _threshold(meta.mrd_threshold)),
        (_("MRD time point"), _("after blinatumomab, as recorded"), not_stated,
         text(meta.mrd_timepoint)),
        (_("Cytogenetic risk groups"), _("standard or high, as the centres assigned them"),
         _("standard and high risk; the criteria: {not_stated}").format(not_stated=not_stated),
         _recorded_share(risk_known, len(a), False)),
        (_("Ph status (BCR::ABL1)"), _("positive or negative, as recorded"), not_stated,
         _recorded_share(ph_known, len(a), False)),
        (_("Adverse event grading"), _("CTCAE, worst grade per patient"),
         _("grades 3–4; the CTCAE version: {not_stated}").format(not_stated=not_stated),
         _(NOT_RECORDED) if meta.ctcae_version is None
         else _("CTCAE version {version}").format(version=meta.ctcae_version)),
        (_("Cytokine release syndrome (CRS) grading"), as_recorded, not_stated,
         text(meta.crs_grading)),
        (_("Neurotoxicity (ICANS) grading"), as_recorded, not_stated, text(meta.icans_grading)),
    ]
    return pd.DataFrame(rows, columns=[_("Definition"), _("This book"), _("The published abstract"),
                                       _("This dataset")])
