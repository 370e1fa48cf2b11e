"""The transplant chapter: transplant before and after blinatumomab, relapse and NRM."""

from __future__ import annotations

from blina_analysis.analyses import Analysis
from blina_analysis.definitions import LANDMARK_SENSITIVITY_DAYS, TWO_YEARS_DAYS
from blina_analysis.report import fmt
from blina_analysis.report.text.rr_results import subgroup_p, subgroup_rate_n

__all__ = ["values", "relapse_after_hsct_pct", "relapse_without_hsct_pct", "time_varying_cox"]


def _crude(an: Analysis):
    crude = an.crude_relapse_by_transplant()
    return crude["transplanted"], crude["not transplanted"]


def relapse_after_hsct_pct(an: Analysis) -> str:
    """Crude share of responders transplanted after blinatumomab who relapsed."""
    return fmt.pct(_crude(an)[0].rate)


def relapse_without_hsct_pct(an: Analysis) -> str:
    return fmt.pct(_crude(an)[1].rate)


def time_varying_cox(an: Analysis, endpoint: str, stratified: bool = False) -> str:
    """``"HR 0.45 (95% CI 0.20–1.01), p = 0.053"``: transplant as a time-dependent covariate,
    both cohorts pooled or (``stratified``) with a baseline hazard per cohort."""
    row = an.time_varying_cox(endpoint, stratified).table.iloc[0]
    return fmt.hazard_ratio(row["hr"], row["hr_ci_low"], row["hr_ci_high"], row["p_value"],
                            an.conf_level)


def _mantel_byar(an: Analysis, endpoint: str) -> str:
    test = an.mantel_byar(endpoint)
    return f"χ² = {fmt.number(test.statistic, 2)}, {fmt.p_value(test.p_value)}"


def _days_list(days) -> str:
    """``"60, 90, 120 and 180"``."""
    items = [fmt.number(d) for d in days]
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _prior_hsct_response(an: Analysis) -> str:
    p = an.subgroup_rate("prior_hsct", "yes")
    return f"{fmt.n_of(p.n, p.N)} ({fmt.rate_ci(p, an.conf_level)})"


def values(an: Analysis) -> dict[str, str]:
    transplanted, not_transplanted = _crude(an)
    landmark = an.landmark("DFS")
    cif = an.relapse_nrm_from_response()
    _, naive_test = an.naive_transplant_comparison("DFS")
    return {
        "cs_cox_nrm": time_varying_cox(an, "NRM"),
        "cs_cox_nrm_strat": time_varying_cox(an, "NRM", stratified=True),
        "cs_cox_relapse": time_varying_cox(an, "relapse"),
        "cs_cox_relapse_strat": time_varying_cox(an, "relapse", stratified=True),
        "cir_nrm_2y": fmt.estimate_ci(cif["non-relapse mortality"].at(TWO_YEARS_DAYS),
                                      an.conf_level),
        "cir_relapse_2y": fmt.estimate_ci(cif["relapse"].at(TWO_YEARS_DAYS), an.conf_level),
        "crude_fisher_p": fmt.p_value(an.crude_relapse_test().p_value),
        "landmark_days": fmt.number(an.landmark_days),
        "landmark_excluded": str(landmark.n_excluded),
        "landmark_exposed": str(landmark.n_exposed),
        "landmark_n": str(landmark.n_at_risk),
        "landmark_p": fmt.p_value(landmark.test.p_value),
        "landmark_sensitivity_days": _days_list(LANDMARK_SENSITIVITY_DAYS),
        "mantel_byar_dfs": _mantel_byar(an, "DFS"),
        "mantel_byar_os": _mantel_byar(an, "OS"),
        "n_hsct_after": str(transplanted.N),
        "naive_logrank_dfs": fmt.p_value(naive_test.p_value),
        "relapse_hsct_after": f"{fmt.n_of(transplanted.n, transplanted.N)} "
                              f"({fmt.pct(transplanted.rate)})",
        "relapse_no_hsct_after": f"{fmt.n_of(not_transplanted.n, not_transplanted.N)} "
                                 f"({fmt.pct(not_transplanted.rate)})",
        "rr_p_prior_hsct": subgroup_p(an, "prior_hsct"),
        "rr_prior_hsct_n": str(an.proportion("rr", "prior_allo_hsct").n),
        "rr_prior_hsct_response": _prior_hsct_response(an),
        "rr_rate_prior_hsct_no_n": subgroup_rate_n(an, "prior_hsct", "no"),
        "tv_cox_dfs": time_varying_cox(an, "DFS"),
        "tv_cox_dfs_strat": time_varying_cox(an, "DFS", stratified=True),
        "tv_cox_os": time_varying_cox(an, "OS"),
        "tv_cox_os_strat": time_varying_cox(an, "OS", stratified=True),
    }
