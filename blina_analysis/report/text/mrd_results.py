"""The MRD+ chapter: response and survival of the MRD group, by response."""

from __future__ import annotations

from blina_analysis.analyses import Analysis
from blina_analysis.definitions import TWO_YEARS_DAYS
from blina_analysis.report import fmt
from blina_analysis.report.text import _survival

__all__ = ["values", "response"]


def response(an: Analysis) -> str:
    """``"17/23 (74%; 95% CI 52–90%)"``: response in the MRD group."""
    mrd = an.mrd_response
    return f"{fmt.n_of(mrd.n, mrd.N)} ({fmt.rate_ci(mrd, an.conf_level)})"


def values(an: Analysis) -> dict[str, str]:
    by_response = ("mrd_responders", "mrd_non_responders")
    return {
        "mrd_dfs_2y": _survival.at(an, "mrd", "DFS", TWO_YEARS_DAYS),
        "mrd_dfs_resp_logrank": _survival.logrank(an, by_response, "DFS"),
        "mrd_non_responders_dfs_2y": _survival.at(an, "mrd_non_responders", "DFS", TWO_YEARS_DAYS),
        "mrd_non_responders_os_2y": _survival.at(an, "mrd_non_responders", "OS", TWO_YEARS_DAYS),
        "mrd_os_2y": _survival.at(an, "mrd", "OS", TWO_YEARS_DAYS),
        "mrd_os_resp_logrank": _survival.logrank(an, by_response, "OS"),
        "mrd_responders_dfs_2y": _survival.at(an, "mrd_responders", "DFS", TWO_YEARS_DAYS),
        "mrd_responders_os_2y": _survival.at(an, "mrd_responders", "OS", TWO_YEARS_DAYS),
        "mrd_response": response(an),
        "n_mrd_count": str(an.n("mrd")),
        "n_mrd_non_responders": str(an.n("mrd_non_responders")),
        "n_mrd_responders": str(an.n("mrd_responders")),
        "n_responders": str(an.n("responders")),
        "responders_dfs_2y": _survival.at(an, "responders", "DFS", TWO_YEARS_DAYS),
        "responders_os_2y": _survival.at(an, "responders", "OS", TWO_YEARS_DAYS),
    }
