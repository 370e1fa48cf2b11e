"""Tables of the methods chapter, generated from the definitions (so text and code agree)."""

from __future__ import annotations

import pandas as pd

from blina_analysis.definitions import ENDPOINTS, POPULATIONS

__all__ = ["endpoint_table", "population_table", "r_differences", "R_DIFFERENCES"]

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


def endpoint_table() -> pd.DataFrame:
    """One row per endpoint: events (in precedence order), competing event, censoring."""
    rows = []
    for ep in ENDPOINTS.values():
        events = [e.description for e in ep.events if e.code == 1]
        competing = [e.description for e in ep.events if e.code == 2]
        rows.append({"Endpoint": f"{ep.name} ({ep.code})",
                     "Event": " or ".join(events) + (", whichever first" if len(events) > 1 else ""),
                     "Competing event": "; ".join(competing) or "—",
                     "Censored at": ep.censor.description + f" (`{ep.censor.date}`)"})
    return pd.DataFrame(rows)


def population_table(an) -> pd.DataFrame:
    """One row per analysis population with its definition and size in this dataset."""
    return pd.DataFrame([{"Population": p.name, "Definition": p.definition, "N": str(an.n(code))}
                         for code, p in POPULATIONS.items()])


def r_differences() -> pd.DataFrame:
    """The table of :data:`R_DIFFERENCES`."""
    return pd.DataFrame(list(R_DIFFERENCES), columns=["What", "This book", "R", "Why"])
