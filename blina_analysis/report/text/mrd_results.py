"""The MRD+ chapter: response and survival of the MRD group, by response."""

from __future__ import annotations

from blina_analysis.analyses import Analysis
from blina_analysis.definitions import TWO_YEARS_DAYS
from blina_analysis.report.text._survival import chisq_test
from blina_analysis.report import fmt
from blina_analysis.report.text import _survival
from blina_analysis.report.text.rr_results import mrd_breakdown, not_yet_assessed, pending_sentence

__all__ = ["values", "response"]


def response(an: Analysis) -> str:
    """``"17/23 (74%; 95% CI 52–90%)"``: response in the MRD group."""
    mrd = an.mrd_response
    return (f"{fmt.n_of(mrd.n, mrd.N)} ({fmt.rate_ci(mrd, an.conf_level)}"
            f"{not_yet_assessed(an, 'mrd', 'mrd_response')})")


def _mantel_byar(an: Analysis, endpoint: str) -> str:
    """Mantel–Byar test in the MRD+ group with MRD response as a time-dependent state."""
    if an.n("mrd") == 0:
        return fmt.NOT_ESTIMABLE
    return chisq_test(an.response_mantel_byar("mrd", endpoint))


def values(an: Analysis) -> dict[str, str]:
    dfs_landmark = _survival.response_landmark(an, "mrd", "DFS", days=TWO_YEARS_DAYS)
    return {
        "mrd_dfs_2y": _survival.at(an, "mrd", "DFS", TWO_YEARS_DAYS),
        "mrd_dfs_landmark_2y_nonresp": dfs_landmark["nonresp"],
        "mrd_dfs_landmark_2y_resp": dfs_landmark["resp"],
        "mrd_dfs_landmark_n": dfs_landmark["n"],
        "mrd_dfs_landmark_p": dfs_landmark["p"],
        "mrd_dfs_landmark_responders": dfs_landmark["responders"],
        "mrd_dfs_mantel_byar": _mantel_byar(an, "DFS"),
        "mrd_os_2y": _survival.at(an, "mrd", "OS", TWO_YEARS_DAYS),
        "mrd_other": mrd_breakdown(an, "mrd"),
        "mrd_pending": pending_sentence(an, "mrd", "mrd_response", ("MRD+ patient", "MRD+ patients")),
        "mrd_os_mantel_byar": _mantel_byar(an, "OS"),
        "mrd_response": response(an),
        "n_mrd_count": str(an.n("mrd")),
        "n_mrd_non_responders": str(an.n("mrd_non_responders")),
        "n_mrd_responders": str(an.n("mrd_responders")),
        "n_responders": str(an.n("responders")),
        "response_landmark_days": _survival.response_landmark_days(),
        "responders_dfs_2y": _survival.at(an, "responders", "DFS", TWO_YEARS_DAYS),
        "responders_os_2y": _survival.at(an, "responders", "OS", TWO_YEARS_DAYS),
    }
