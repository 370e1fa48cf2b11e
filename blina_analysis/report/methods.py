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
from blina_analysis.report import fmt

__all__ = ["endpoint_table", "population_table", "r_differences", "R_DIFFERENCES",
           "definitions_table", "NOT_RECORDED", "NOT_STATED", "ENDPOINT_ROLES"]

#: What the definitions table says where dataset.yaml, or the abstract, gives no answer.
NOT_RECORDED = "not recorded"
NOT_STATED = "not stated"

#: Where the package's defaults differ from R's, and why (rendered in the methods chapter).
R_DIFFERENCES: tuple[tuple[str, str, str, str], ...] = (
    ("Kaplan–Meier confidence interval",
     "complementary log–log (\"log-log\")",
     "survfit: conf.type = \"log\"",
     "log-log limits stay inside 0–1 and behave better in small samples; it is the default of "
     "SAS and Stata and of lifelines. R's \"log\" is available (conf_type=\"log\")."),
    ("Median at an exact 0.5 plateau",
     "midpoint of the plateau (as R's print.survfit), with R's tolerance sqrt(machine eps)",
     "print.survfit: midpoint",
     "same rule as R; the tolerance avoids floating-point misses (lifelines returns inf). A "
     "median not reached is written out and a confidence limit that cannot be computed is "
     "\"n.e.\", where R prints NA for both."),
    ("Reading a curve after the last observation",
     "the last value if the curve ended with an event leaving nobody at risk (a curve at 0 "
     "stays 0); not estimable if the last observation is censored",
     "summary(fit, times, extend = TRUE): the last value in both cases; without extend the "
     "time is left out",
     "same as R where the curve has dropped to 0; after a censored last observation the curve "
     "is unknown, so the book does not carry the last value forward."),
    ("Median follow-up",
     "smallest time where the reverse KM curve is at or below 0.5, with the range of follow-up "
     "of the patients alive at last contact",
     "not a single function",
     "the rule of results.json (median_followup_days); deaths tied with censorings stay at "
     "risk, as in survfit(Surv(time, 1 - status) ~ 1). The range is given rather than a "
     "confidence interval, whose upper limit is often not estimable."),
    ("Cumulative incidence",
     "own deterministic Aalen–Johansen (events before censorings at ties)",
     "cmprsk::cuminc",
     "equal to cmprsk, including its (Aalen-type) variance; survfit's multi-state variance "
     "(infinitesimal jackknife) differs slightly. lifelines' AalenJohansenFitter jitters tied "
     "times at random and drops events at time 0, so it is not used."),
    ("Mantel–Byar test",
     "score test with exact (discrete) handling of tied event times",
     "coxph score test: Efron ties",
     "the Mantel–Byar statistic as published; with tied event times it differs slightly from the "
     "score test R prints by default."),
    ("Cox model",
     "Efron ties; Newton–Raphson on sorted risk sets (also for time-dependent covariates and "
     "strata)",
     "coxph: Efron (default)",
     "same estimates as coxph to about 1e-9; R's ties = \"breslow\" is not offered. lifelines "
     "is not used for the fit: for time-dependent covariates its cost grows with rows times "
     "event times (minutes at 100,000 patients)."),
)


#: What each endpoint's role means to a reader (the "Use" column of the endpoint table).
ENDPOINT_ROLES = {
    "primary": "cohort endpoint",
    "responders": "responders' endpoint",
    "sensitivity": "sensitivity analysis",
    "transplant": "after a consolidation allo-HSCT (EBMT style)",
    "paper": "as the paper: the MRD+ group (in remission from day 1, where DFS is EFS); the "
             "responders' figures from day 1 only in the concordance",
}


def endpoint_table() -> pd.DataFrame:
    """One row per endpoint: time origin, populations, events (in precedence order), competing
    event, censoring (with any event that censors) and its use."""
    rows = []
    for ep in (*ENDPOINTS.values(), *POST_HSCT_ENDPOINTS.values()):
        events = [e.description for e in ep.events if e.code == 1]
        competing = [e.description for e in ep.events if e.code == 2]
        censoring = [e.description for e in ep.events if e.code == 0]
        short = f"({ep.code.split('_')[0]})"
        rows.append({"Endpoint": ep.name if short in ep.name else f"{ep.name} {short}",
                     "Time origin": ep.origin_of.description,
                     "Population": "; ".join(POPULATIONS[p].name for p in ep.populations),
                     "Event": " or ".join(events) + (", whichever first" if len(events) > 1 else ""),
                     "Competing event": "; ".join(competing) or "—",
                     "Censored at": "; ".join([*censoring, ep.censor.description
                                               + f" (`{ep.censor.date}`)"]),
                     "Use": ENDPOINT_ROLES[ep.role]})
    return pd.DataFrame(rows)


def population_table(an) -> pd.DataFrame:
    """One row per analysis population with its definition and size in this dataset."""
    return pd.DataFrame([{"Population": p.name, "Definition": p.definition, "N": str(an.n(code))}
                         for code, p in POPULATIONS.items()])


def r_differences() -> pd.DataFrame:
    """The table of :data:`R_DIFFERENCES`."""
    return pd.DataFrame(list(R_DIFFERENCES), columns=["What", "This book", "R", "Why"])


def _threshold(x: float | None) -> str:
    """An MRD threshold as a percentage of nucleated cells: ``0.0001`` → ``"0.01%"``."""
    if x is None:
        return NOT_RECORDED
    percent = 100 * x
    decimals = max(0, -math.floor(math.log10(percent)))
    return f"{fmt.number(percent, decimals)}% of nucleated cells"


def _recorded_share(n: int, total: int, noun: str) -> str:
    """``"recorded for 20/29 responders"`` or :data:`NOT_RECORDED`."""
    if n == 0:
        return NOT_RECORDED
    return f"recorded for {fmt.n_of(n, total)} {noun}"


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
        return NOT_RECORDED if value is None else str(value)

    rows = [
        ("Response window and criteria (R/R)",
         "CR or CRh: the best response during all cycles given; NE and no response count as no "
         f"response. Landmark comparisons by response use day {RESPONSE_LANDMARK_DAYS} (after "
         "two cycles).",
         "CR (CRh not named); the window and the criteria: " + NOT_STATED,
         "cycle of response " + _recorded_share(cycle_known, len(responders), "responders")),
        ("Response (MRD+ group)", "conversion to MRD negativity after blinatumomab",
         "MRD negativity; its time point: " + NOT_STATED, "see the MRD rows"),
        ("Relapse",
         "haematological relapse after CR/CRh (R/R group) or from haematological remission "
         "(MRD+ group); MRD positivity alone is not relapse",
         NOT_STATED, "date of each relapse"),
        ("MRD method", "as recorded", NOT_STATED, text(meta.mrd_method)),
        ("MRD threshold of negativity", "as recorded", NOT_STATED, _threshold(meta.mrd_threshold)),
        ("MRD time point", "after blinatumomab, as recorded", NOT_STATED,
         text(meta.mrd_timepoint)),
        ("Cytogenetic risk groups", "standard or high, as the centres assigned them",
         "standard and high risk; the criteria: " + NOT_STATED,
         _recorded_share(risk_known, len(a), "patients")),
        ("Ph status (BCR::ABL1)", "positive or negative, as recorded", NOT_STATED,
         _recorded_share(ph_known, len(a), "patients")),
        ("Adverse event grading", "CTCAE, worst grade per patient", "grades 3–4; the CTCAE "
         "version: " + NOT_STATED,
         NOT_RECORDED if meta.ctcae_version is None else f"CTCAE version {meta.ctcae_version}"),
        ("Cytokine release syndrome (CRS) grading", "as recorded", NOT_STATED,
         text(meta.crs_grading)),
        ("Neurotoxicity (ICANS) grading", "as recorded", NOT_STATED, text(meta.icans_grading)),
    ]
    return pd.DataFrame(rows, columns=["Definition", "This book", "The published abstract",
                                       "This dataset"])
