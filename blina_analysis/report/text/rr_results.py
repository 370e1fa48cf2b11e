"""The relapsed/refractory chapter: response, MRD negativity, subgroups, survival."""

from __future__ import annotations

from blina_analysis.analyses import Analysis
from blina_analysis.definitions import BLASTS_CUTOFF_PCT, TWO_YEARS_DAYS
from blina_analysis.report import fmt
from blina_analysis.report.text import _survival

__all__ = ["values", "response", "response_short", "mrd_negativity", "subgroup_rate",
           "subgroup_rate_n", "subgroup_p", "blasts_cutoff", "BLASTS_LOW", "BLASTS_HIGH"]

BLASTS_LOW = ("Marrow blasts", f"<{BLASTS_CUTOFF_PCT}%")
BLASTS_HIGH = ("Marrow blasts", f"≥{BLASTS_CUTOFF_PCT}%")


def blasts_cutoff() -> str:
    return f"{BLASTS_CUTOFF_PCT}%"


def response(an: Analysis) -> str:
    """``"29/43 (67%; 95% CI 51–81%)"``: CR/CRh in the R/R group."""
    rr = an.rr_response
    return f"{fmt.n_of(rr.n, rr.N)} ({fmt.rate_ci(rr, an.conf_level)})"


def response_short(an: Analysis) -> str:
    rr = an.rr_response
    return f"{fmt.n_of(rr.n, rr.N)} ({fmt.pct(rr.rate)})"


def mrd_negativity(an: Analysis) -> str:
    """MRD negativity among the R/R responders, with its interval."""
    p = an.rr_mrd_negativity
    return f"{fmt.n_of(p.n, p.N)} ({fmt.rate_ci(p, an.conf_level)})"


def subgroup_rate(an: Analysis, heading: str, level: str) -> str:
    """``"74%"``: CR/CRh in one level of a subgroup variable."""
    return fmt.pct(an.subgroup_rate(heading, level).rate)


def subgroup_rate_n(an: Analysis, heading: str, level: str) -> str:
    """``"19/26, 73%"``."""
    p = an.subgroup_rate(heading, level)
    return f"{fmt.n_of(p.n, p.N)}, {fmt.pct(p.rate)}"


def subgroup_p(an: Analysis, heading: str) -> str:
    """Fisher's exact p-value of one subgroup variable."""
    sub = an.subgroup_response()
    rows = sub[sub["subgroup"] == heading]
    return fmt.p_value(rows["p_value"].iloc[0] if len(rows) else None)


def _blasts_unknown(an: Analysis) -> str:
    sub = an.subgroup_response()
    missing = sub.loc[sub["subgroup"] == "Marrow blasts", "n_missing"]
    return str(int(missing.iloc[0])) if len(missing) else "0"


def values(an: Analysis) -> dict[str, str]:
    return {
        "blasts_cutoff": blasts_cutoff(),
        "n_rr_count": str(an.n("rr")),
        "rr_blasts_unknown": _blasts_unknown(an),
        "rr_mrdneg": mrd_negativity(an),
        "rr_non_responders_os_median": _survival.median(an, "rr_non_responders", "OS"),
        "rr_os_resp_logrank": _survival.logrank(an, ("rr_responders", "rr_non_responders"), "OS"),
        "rr_p_blasts": subgroup_p(an, "Marrow blasts"),
        "rr_p_cyto": subgroup_p(an, "Cytogenetic risk"),
        "rr_p_prior_hsct": subgroup_p(an, "Prior allo-HSCT"),
        "rr_rate_blasts_ge50_n": subgroup_rate_n(an, *BLASTS_HIGH),
        "rr_rate_blasts_lt50_n": subgroup_rate_n(an, *BLASTS_LOW),
        "rr_rate_cyto_high_n": subgroup_rate_n(an, "Cytogenetic risk", "high"),
        "rr_rate_cyto_standard_n": subgroup_rate_n(an, "Cytogenetic risk", "standard"),
        "rr_rate_prior_hsct_no_n": subgroup_rate_n(an, "Prior allo-HSCT", "no"),
        "rr_rate_prior_hsct_yes_n": subgroup_rate_n(an, "Prior allo-HSCT", "yes"),
        "rr_responders_dfs_2y": _survival.at(an, "rr_responders", "DFS", TWO_YEARS_DAYS),
        "rr_responders_os_2y": _survival.at(an, "rr_responders", "OS", TWO_YEARS_DAYS),
        "rr_responders_os_median": _survival.median(an, "rr_responders", "OS"),
        "rr_response": response(an),
    }
