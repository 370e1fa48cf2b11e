"""Oracle expectations of the topic "response" (issue 19 §3–4): time to response, CR/CRh within
two cycles, duration of response; and the pieces of the response comparisons shared with
test_oracle.py's entries (differences of rates, hazard ratios by response).

R side: ``tests/fixtures/oracle/make_oracle_response.R`` (``response_*.csv``).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from .test_oracle import DASH, Oracle, limit, median_ci, months, num, p_value, rate_ci

MINUS = "\u2212"


def signed_points(x: float) -> str:
    """A difference of two fractions in percentage points with its sign: ``+14``, ``−13``."""
    text = num(abs(100 * x))
    if Decimal(text) == 0:
        return text
    return ("+" if x > 0 else MINUS) + text


def difference(o: Oracle, code: str) -> list[str]:
    """``difference +14 percentage points, 95% CI −13 to +41`` and the Holm p (or nothing)."""
    r = o.one("response_subgroups", subgroup=code)
    pieces = [f"{signed_points(r['difference'])} percentage points",
              f"95% CI {signed_points(r['diff_ci_low'])} to {signed_points(r['diff_ci_high'])}"]
    return pieces + ([p_value(r["p_holm"])] if r["tested"] else ["5"])


def hazard_ratio(o: Oracle, pop: str, endpoint: str) -> list[str]:
    """``HR 0.43 (95% CI 0.19–0.95 …; Mantel–Byar test p = 0.032``, or the counts of no test."""
    r = o.one("response_state", population=pop, endpoint=endpoint)
    assert r["tested"], "the oracle cohorts are large enough for every test"
    return [f"HR {num(r['hr'], 2)}",
            f"95% CI {limit(r['hr_ci_low'], 1, 2)}{DASH}{limit(r['hr_ci_high'], 1, 2)}",
            p_value(r["mantel_byar_p"])]


def subgroup_method(o: Oracle) -> list[str]:
    rs = o.rows("response_subgroups")
    tested = sum(1 for r in rs if r["tested"])
    untested = len(rs) - tested
    pieces = [str(tested)] if tested else []
    if untested:
        pieces += [str(untested), "5"]
    room = o.rows("response_model_room")[0]
    if room["candidates"] >= 2:
        if room["terms_allowed"] < room["candidates"]:
            pieces += [str(room["events"]), "10", str(room["terms_allowed"]),
                       str(room["candidates"])]
        else:
            pieces += [str(room["candidates"]), "10", str(room["events"])]
    return pieces


def mrdneg_all_treated(o: Oracle) -> str:
    t = o.rows("response_timing")[0]
    return rate_ci({"n": t["mrdneg_all_n"], "N": t["mrdneg_all_N"], "rate": t["mrdneg_all_rate"],
                    "ci_low": t["mrdneg_all_ci_low"], "ci_high": t["mrdneg_all_ci_high"]})


def expected_glue(o: Oracle, data_dir: Path) -> dict[tuple[str, str], list[str]]:
    t = o.rows("response_timing")[0]
    by84 = {"n": t["by84_n"], "N": t["by84_N"], "rate": t["by84_rate"],
            "ci_low": t["by84_ci_low"], "ci_high": t["by84_ci_high"]}
    dor = {"median_days": t["dor_median_days"], "median_ci_low_days": t["dor_median_ci_low_days"],
           "median_ci_high_days": t["dor_median_ci_high_days"]}
    return {
        # the rule of a test (definitions: MIN_PATIENTS_FOR_TEST, MIN_EVENTS_FOR_TEST,
        # EVENTS_PER_VARIABLE), restated by hand
        ("chapters/methods", "test_rule"): ["5", "5", "10"],
        ("chapters/rr_results", "rr_response_timing_text"): [
            months(t["ttr_median_days"]), months(t["ttr_min_days"]), months(t["ttr_max_days"]),
            "84", rate_ci(by84), median_ci(dor), str(t["dor_events"]), str(t["dor_n"])],
    }
