"""The relapsed/refractory chapter: response, MRD negativity, subgroups, survival."""

from __future__ import annotations

from blina_analysis.analyses import Analysis
from blina_analysis.definitions import TWO_YEARS_DAYS, subgroup
from blina_analysis.report import fmt
from blina_analysis.report.text import _survival

__all__ = ["values", "response", "response_short", "mrd_negativity", "subgroup_rate",
           "subgroup_rate_n", "subgroup_p", "blasts_cutoff", "category", "pending_sentence",
           "mrd_breakdown", "not_yet_assessed"]


def blasts_cutoff() -> str:
    """``"50%"``: the marrow-blast cut-off of the subgroup analysis."""
    return f"{fmt.number(subgroup('blasts').cutoff, 1).removesuffix('.0')}%"


def not_yet_assessed(an: Analysis, pop: str, column: str) -> str:
    """``"; 3 not yet assessed"`` to close a rate's parenthesis, or nothing when there are none
    (so that wherever a rate is quoted, its denominator's exclusions are too)."""
    n = an.n_pending(pop, column)
    return f"; {n} not yet assessed" if n else ""


def response(an: Analysis) -> str:
    """``"29/43 (67%; 95% CI 51–81%)"``: CR/CRh in the R/R group."""
    rr = an.rr_response
    return (f"{fmt.n_of(rr.n, rr.N)} ({fmt.rate_ci(rr, an.conf_level)}"
            f"{not_yet_assessed(an, 'rr', 'hematologic_response')})")


def response_short(an: Analysis) -> str:
    rr = an.rr_response
    return (f"{fmt.n_of(rr.n, rr.N)} ({fmt.pct(rr.rate)}"
            f"{not_yet_assessed(an, 'rr', 'hematologic_response')})")


def mrd_negativity(an: Analysis) -> str:
    """MRD negativity among the R/R responders, with its interval."""
    p = an.rr_mrd_negativity
    return f"{fmt.n_of(p.n, p.N)} ({fmt.rate_ci(p, an.conf_level)})"


def category(an: Analysis, pop: str, column: str, code: str) -> str:
    """``"26/43 (60%; 95% CI 44–75%)"``: one response category among the patients assessed."""
    p = an.response_rate(pop, column, code)
    return f"{fmt.n_of(p.n, p.N)} ({fmt.rate_ci(p, an.conf_level)})"


def mrd_breakdown(an: Analysis, pop: str) -> str:
    """``"MRD positive in 5, not assessed in 0"``: the MRD results other than negativity."""
    t = an.response_table(pop, "mrd_response").set_index("code")["n"]
    return f"MRD positive in {int(t['positive'])}, not assessed in {int(t['not assessed'])}"


def pending_sentence(an: Analysis, pop: str, column: str, noun: tuple[str, str],
                     what: str = "response") -> str:
    """How many of ``pop`` have ``column`` not yet assessed (``pending``), as a sentence that is
    also true when there are none.

    ``noun`` names one patient and several (``("R/R patient", "R/R patients")``); ``what`` is
    the result not yet known.
    """
    n = an.n_pending(pop, column)
    if n == 0:
        return f"No {noun[0]}'s {what} is still pending."
    who = f"{n} {noun[0] if n == 1 else noun[1]}"
    return (f"{who} whose {what} is not yet assessed (still on treatment) "
            f"{'is' if n == 1 else 'are'} left out of the denominators and kept in the survival "
            "analyses.")


def subgroup_rate(an: Analysis, code: str, level: str) -> str:
    """``"74%"``: CR/CRh in one level of a subgroup (codes of ``definitions.subgroups``)."""
    return fmt.pct(an.subgroup_rate(code, level).rate)


def subgroup_rate_n(an: Analysis, code: str, level: str) -> str:
    """``"19/26, 73%"``."""
    p = an.subgroup_rate(code, level)
    return f"{fmt.n_of(p.n, p.N)}, {fmt.pct(p.rate)}"


def subgroup_p(an: Analysis, code: str) -> str:
    """Fisher's exact p-value of one subgroup variable."""
    sub = an.subgroup_response()
    rows = sub[sub["code"] == code] if len(sub) else sub
    return fmt.p_value(rows["p_value"].iloc[0] if len(rows) else None)


def _blasts_unknown(an: Analysis) -> str:
    sub = an.subgroup_response()
    missing = sub.loc[sub["code"] == "blasts", "n_missing"] if len(sub) else []
    return str(int(missing.iloc[0])) if len(missing) else "0"


def values(an: Analysis) -> dict[str, str]:
    hem = "hematologic_response"
    os_landmark = _survival.response_landmark(an, "rr", "OS")
    return {
        "blasts_cutoff": blasts_cutoff(),
        "n_rr_count": str(an.n("rr")),
        "rr_blasts_unknown": _blasts_unknown(an),
        "rr_cr": category(an, "rr", hem, "CR"),
        "rr_crh": category(an, "rr", hem, "CRh"),
        "rr_mrd_other": mrd_breakdown(an, "rr_responders"),
        "rr_mrd_pending": pending_sentence(an, "rr_responders", "mrd_response",
                                           ("R/R responder", "R/R responders"), "MRD status"),
        "rr_mrdneg": mrd_negativity(an),
        "rr_ne": category(an, "rr", hem, "NE"),
        "rr_nr": category(an, "rr", hem, "NR"),
        "rr_p_blasts": subgroup_p(an, "blasts"),
        "rr_p_cyto": subgroup_p(an, "cytogenetic"),
        "rr_p_prior_hsct": subgroup_p(an, "prior_hsct"),
        "rr_pending": pending_sentence(an, "rr", hem, ("R/R patient", "R/R patients")),
        "rr_rate_blasts_high_n": subgroup_rate_n(an, "blasts", "high"),
        "rr_rate_blasts_low_n": subgroup_rate_n(an, "blasts", "low"),
        "rr_rate_cyto_high_n": subgroup_rate_n(an, "cytogenetic", "high"),
        "rr_rate_cyto_standard_n": subgroup_rate_n(an, "cytogenetic", "standard"),
        "rr_rate_prior_hsct_no_n": subgroup_rate_n(an, "prior_hsct", "no"),
        "rr_rate_prior_hsct_yes_n": subgroup_rate_n(an, "prior_hsct", "yes"),
        "response_landmark_days": _survival.response_landmark_days(),
        "rr_os_landmark_median_nonresp": os_landmark["nonresp"],
        "rr_os_landmark_median_resp": os_landmark["resp"],
        "rr_os_landmark_n": os_landmark["n"],
        "rr_os_landmark_p": os_landmark["p"],
        "rr_os_landmark_responders": os_landmark["responders"],
        "rr_os_mantel_byar": _survival.chisq_test(an.response_mantel_byar("rr", "OS"))
        if an.n("rr") else fmt.NOT_ESTIMABLE,
        "rr_responders_dfs_2y": _survival.at(an, "rr_responders", "DFS", TWO_YEARS_DAYS),
        "rr_responders_os_2y": _survival.at(an, "rr_responders", "OS", TWO_YEARS_DAYS),
        "rr_response": response(an),
    }
