"""The front page: the structured abstract, every number from this build."""

from __future__ import annotations

from blina_analysis.analyses import Analysis
from blina_analysis.definitions import TWO_YEARS_DAYS
from blina_analysis.report import fmt
from blina_analysis.report.text import _survival, edition, methods, mrd_results, rr_results, safety
from blina_analysis.report.text import transplant
from blina_analysis.report.text.rr_results import subgroup_rate

__all__ = ["values"]


def values(an: Analysis) -> dict[str, str]:
    e = edition.values(an)
    n = an.n("all")
    ages = an.adsl["age"]
    two_years = TWO_YEARS_DAYS
    return {
        "ae_grade3plus": safety.grade3plus(an),
        "age_range": f"{int(ages.min())} to {int(ages.max())}" if n else fmt.NOT_AVAILABLE,
        "bc_interrupted": safety.interrupted(an),
        "bc_stopped_early": safety.stopped_early(an),
        "blasts_cutoff": rr_results.blasts_cutoff(),
        "data_fingerprint": e["data_fingerprint"],
        "dataset_cutoff": e["dataset_cutoff"],
        "dataset_kind": e["dataset_kind"],
        "dataset_name": e["dataset_name"],
        "dataset_version": e["dataset_version"],
        "median_followup": methods.median_followup(an),
        "mrd_dfs_2y_short": _survival.at_short(an, "mrd", "DFS", two_years),
        "mrd_os_2y_short": _survival.at_short(an, "mrd", "OS", two_years),
        "mrd_response": mrd_results.response(an),
        "n_mrd": fmt.n_pct(an.n("mrd"), n),
        "n_prior_hsct": fmt.n_pct(int(an.adsl["prior_allo_hsct"].sum()), n),
        "n_rr": fmt.n_pct(an.n("rr"), n),
        "n_total": str(n),
        "relapse_hsct_after_pct": transplant.relapse_after_hsct_pct(an),
        "relapse_no_hsct_after_pct": transplant.relapse_without_hsct_pct(an),
        "responders_dfs_2y": _survival.at(an, "responders", "DFS", two_years),
        "responders_os_2y": _survival.at(an, "responders", "OS", two_years),
        "rr_mrdneg": rr_results.mrd_negativity(an),
        "rr_rate_blasts_high": subgroup_rate(an, "blasts", "high"),
        "rr_rate_blasts_low": subgroup_rate(an, "blasts", "low"),
        "rr_rate_cyto_high": subgroup_rate(an, "cytogenetic", "high"),
        "rr_rate_cyto_standard": subgroup_rate(an, "cytogenetic", "standard"),
        "rr_rate_prior_hsct_no": subgroup_rate(an, "prior_hsct", "no"),
        "rr_rate_prior_hsct_yes": subgroup_rate(an, "prior_hsct", "yes"),
        "rr_responders_dfs_2y_short": _survival.at_short(an, "rr_responders", "DFS", two_years),
        "rr_responders_os_2y_short": _survival.at_short(an, "rr_responders", "OS", two_years),
        "rr_response": rr_results.response(an),
        "rr_response_short": rr_results.response_short(an),
    }
