"""Expectations of the endpoints, time origins and follow-up (issue 19), from R.

R side: ``tests/fixtures/oracle/make_oracle_endpoints.R`` (``endpoints_*.csv``). Restated by
hand: EFS counts no CR/CRh in the R/R group as an event on day 1; RFS is counted from response;
Clark's C is observed over potential person-time to the cut-off; the accrual period is given as
months; lost to follow-up is alive with last contact more than 6 months before the cut-off.
"""

from __future__ import annotations

from pathlib import Path

import yaml

from .test_oracle import Oracle, est_ci, p_value, pct

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
#: definitions.MIN_PATIENTS_FOR_TEST, MIN_EVENTS_FOR_TEST, LOST_TO_FOLLOWUP_MONTHS, restated
MIN_PATIENTS, MIN_EVENTS, LOST_MONTHS = 5, 5, 6


def _accrual(fu: dict) -> list[str]:
    first = f"{MONTHS[fu['first_month'] - 1]} {fu['first_year']}"
    last = f"{MONTHS[fu['last_month'] - 1]} {fu['last_year']}"
    return [first] if first == last else [first, last]


def expected_glue(o: Oracle, data_dir: Path) -> dict[tuple[str, str], list[str]]:
    meta = yaml.safe_load((data_dir / "dataset.yaml").read_text(encoding="utf-8"))
    k = o.km
    fu = o.rows("endpoints_followup")[0]
    prior = o.rows("endpoints_prior_hsct")[0]
    counts = o.rows("endpoints_counts")[0]
    n_all = o.count("n_total")
    if fu["n_alive"] == 0 or fu["n_lost"] == 0:
        lost = [str(LOST_MONTHS)] if fu["n_alive"] else []
    elif fu["n_alive"] == 1:
        lost = ["1", str(LOST_MONTHS)]
    else:
        lost = [str(fu["n_lost"]), str(fu["n_alive"]), str(LOST_MONTHS)]
    if prior["tested"]:
        test = [p_value(prior["logrank_p"])]
    elif min(prior["n_prior"], prior["n_no_prior"]) < MIN_PATIENTS:
        test = [str(MIN_PATIENTS)]
    else:
        test = [str(MIN_EVENTS)]
    return {
        ("index", "abstract_cohort_survival"): [
            str(n_all), "1", "2-year", est_ci(k("all", "OS")), "1", est_ci(k("all", "EFS"))],
        ("chapters/methods", "lost_to_followup_months"): [str(LOST_MONTHS)],
        ("chapters/methods", "followup_completeness"): [
            str(n_all), *_accrual(fu), str(meta["cutoff_date"]), pct(fu["clark_c"]), *lost],
        ("chapters/rr_results", "rr_prior_hsct_os_text"): [
            "2-year", "1", est_ci(k("rr_prior_hsct", "OS")), str(prior["n_prior"]),
            est_ci(k("rr_no_prior_hsct", "OS")), str(prior["n_no_prior"]), *test],
        ("chapters/rr_results", "rr_hsct_censored_text"): [
            str(counts["rr_responders_hsct"]), "2-year", est_ci(k("rr_responders", "RFS_HSCT")),
            est_ci(k("rr_responders", "RFS"))],
        ("chapters/mrd_results", "mrd_hsct_censored_text"): [
            str(counts["mrd_hsct"]), "2-year", est_ci(k("mrd", "DFS_HSCT")),
            est_ci(k("mrd", "DFS"))],
    }
