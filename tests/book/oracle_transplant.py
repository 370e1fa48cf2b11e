"""Oracle expectations of the transplant topic (issue 19): the consolidation exposure, the time
from response to HSCT, the primary model, outcomes from the HSCT date, and the crude comparison
in counts. R side: tests/fixtures/oracle/make_oracle_transplant.R."""

from __future__ import annotations

from pathlib import Path

from .test_oracle import Oracle, _missing, est_ci, hr, num, p_value, pct

#: definitions.MIN_PATIENTS_FOR_TEST, MIN_EVENTS_FOR_TEST, EVENTS_PER_TERM (stated by hand)
MIN_PATIENTS, MIN_EVENTS, EVENTS_PER_TERM = 5, 5, 10


def _read(e: dict, months: int) -> str:
    if _missing(e["estimate"]):
        return f"not estimable (no patient followed to {months} months)"
    return est_ci(e)


def expected_glue(o: Oracle, data_dir: Path) -> dict[tuple[str, str], list[str]]:
    ex = o.rows("transplant_exposure")[0]
    pr = o.rows("transplant_primary")[0]
    page = "chapters/transplant"

    def n_of(n, total):
        return f"{n}/{total} ({pct(n / total)})"

    crude = [n_of(ex["crude_after_n"], ex["crude_after_N"]),
             n_of(ex["crude_without_n"], ex["crude_without_N"])]
    timing = [str(ex["n_consolidation"]), num(ex["median"]), num(ex["q1"]), num(ex["q3"]),
              num(ex["min"]), num(ex["max"]), "60", "90", "120", "180", str(ex["by60"]),
              str(ex["by90"]), str(ex["by120"]), str(ex["by180"]), str(ex["unexposed90"]),
              "90", str(ex["later"]), str(ex["later_by120"]), "120"]
    terms = str(pr["terms"]).split() if isinstance(pr["terms"], str) else []
    primary_hr = hr({"hr": pr["hr"], "hr_ci_low": pr["hr_ci_low"],
                     "hr_ci_high": pr["hr_ci_high"], "p_value": pr["p_value"]})
    primary = [str(pr["events"]), str(pr["n"]), str(pr["n_terms"]), str(EVENTS_PER_TERM)]
    primary += ["10"] if "age_decades" in terms else []  # "age (per 10 years)"
    primary += [primary_hr, p_value(pr["zph_exposed_p"]), p_value(pr["zph_global_p"])]
    primary += [] if _missing(pr["int_hr"]) else [hr({
        "hr": pr["int_hr"], "hr_ci_low": pr["int_ci_low"], "hr_ci_high": pr["int_ci_high"],
        "p_value": pr["int_p"]})]
    km = {(r["endpoint"], r["time_days"]): r for r in o.rows("transplant_after_hsct_km")}
    cif = {(r["cause"], r["time_days"]): r for r in o.rows("transplant_after_hsct_cif")}
    after = [str(ex["n_consolidation"]), "1", "2"]
    for curve in (km[("OS", 365)], km[("OS", 730)], km[("LFS", 365)], km[("LFS", 730)],
                  cif[("relapse", 365)], cif[("relapse", 730)],
                  cif[("non-relapse mortality", 365)], cif[("non-relapse mortality", 730)]):
        after.append(_read(curve, 12 if curve["time_days"] == 365 else 24))
    after += ["1", "2", str(km[("LFS", 365)]["n_risk"]), str(km[("LFS", 730)]["n_risk"])]
    assert pr["testable"] and ex["n_salvage"] == 0 and ex["n_consolidation"] == ex["n_after"], \
        "the oracle cohorts: extend the pieces"
    return {
        # every transplant in remission (asserted above): "none had one after a relapse"
        (page, "exposure_text"): [str(ex["n_responders"]), str(ex["n_after"])],
        (page, "time_to_hsct_text"): timing,
        (page, "primary_text"): primary,
        (page, "after_hsct_text"): after,
        (page, "test_minimum_text"): [str(MIN_PATIENTS), str(MIN_EVENTS)],
        (page, "crude_text"): crude,
        (page, "naive_text"): [str(ex["crude_after_N"]), str(ex["crude_without_N"])],
        ("chapters/methods", "transplant_exposure"): [],
        ("chapters/methods", "events_per_term"): [str(EVENTS_PER_TERM)],
        ("chapters/discussion", "tv_cox_text"): [primary_hr],
        ("index", "abstract_transplant"): [primary_hr],
    }
