"""The discussion: this build's headline results beside the pivotal trials."""

from __future__ import annotations

from blina_analysis.analyses import Analysis
from blina_analysis.report.text import mrd_results, rr_results, transplant

__all__ = ["values"]


def values(an: Analysis) -> dict[str, str]:
    return {
        "mrd_response": mrd_results.response(an),
        "relapse_hsct_after_pct": transplant.relapse_after_hsct_pct(an),
        "relapse_no_hsct_after_pct": transplant.relapse_without_hsct_pct(an),
        "rr_response": rr_results.response(an),
        "tv_cox_dfs": transplant.time_varying_cox(an, "DFS"),
        "tv_cox_dfs_strat": transplant.time_varying_cox(an, "DFS", stratified=True),
    }
