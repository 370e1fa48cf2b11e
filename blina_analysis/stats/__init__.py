"""Statistics layer: pure functions over numpy arrays returning frozen result objects.

Times are in days (floats); event codes are 0 = censored, 1 = event, and for competing risks
k >= 1 = cause k. Nothing here knows the data format or prints. Modules:

- :mod:`~blina_analysis.stats.proportions`: exact binomial CIs, Fisher's exact test, the
  difference of two rates (Newcombe), Holm's adjustment;
- :mod:`~blina_analysis.stats.survival`: Kaplan-Meier, medians, reverse-KM follow-up,
  log-rank;
- :mod:`~blina_analysis.stats.cox`: the Cox model (right-censored or counting-process rows,
  optionally stratified);
- :mod:`~blina_analysis.stats.competing`: cumulative incidence (Aalen-Johansen), Gray's test;
- :mod:`~blina_analysis.stats.transplant`: exposures after time zero (landmark, Mantel-Byar,
  time-dependent Cox, Simon-Makuch);
- :mod:`~blina_analysis.stats.multistate`: state occupation probabilities (Aalen-Johansen).

Shared machinery: :mod:`~blina_analysis.stats.product_limit` (risk sets, life tables,
Greenwood bands, the log-rank statistic) and :mod:`~blina_analysis.stats.steps` (reading a curve
at given times, the base of survival and incidence curves).

lifelines computes the Kaplan-Meier curves (``KaplanMeierFitter``), the log-rank test
(``multivariate_logrank_test``) and the Cox model with fixed covariates (``CoxPHFitter``). Own
code remains where lifelines is wrong or too slow for the book, each with a test that notices a
lifelines release fixing it (tests/stats/test_stats_lifelines_gaps.py): cumulative incidence
(lifelines jitters tied times), Simon-Makuch curves (its left truncation counts an entrant at an
event on the entry day), the Mantel-Byar test (absent) and the time-dependent Cox model
(``CoxTimeVaryingFitter``: minutes a model at 100,000 patients).

scipy and lifelines are imported inside the functions that compute with them: a process that
imports the package without computing (the book's API page, which Sphinx documents in each
language; a command that reads results) does not load them, about 0.6 s each.
"""

from blina_analysis.stats._checks import StatsInputError, check_tte
from blina_analysis.stats.competing import CumulativeIncidence, cumulative_incidence, gray_test
from blina_analysis.stats.cox import CoxResult, cox_ph
from blina_analysis.stats.multistate import StateOccupation, state_occupation
from blina_analysis.stats.proportions import (
    FisherResult,
    RateDifference,
    compare_proportions,
    exact_ci,
    fisher_2x2,
    holm,
    rate_difference,
    wilson_ci,
)
from blina_analysis.stats.results import Estimate, FollowUp, Median, Proportion, TestResult
from blina_analysis.stats.steps import StepCurve
from blina_analysis.stats.survival import (
    SurvivalCurve,
    followup_completeness,
    followup_summary,
    kaplan_meier,
    logrank_test,
    reverse_km_followup,
)
from blina_analysis.stats.transplant import (
    GROUP_LABELS,
    LANDMARK_SENSITIVITY_COLUMNS,
    LandmarkResult,
    landmark,
    landmark_sensitivity,
    mantel_byar,
    simon_makuch,
    split_at_exposure,
    time_varying_cox,
    time_varying_ph_test,
)

__all__ = [
    "StatsInputError",
    "check_tte",
    "TestResult",
    "Proportion",
    "Estimate",
    "Median",
    "FollowUp",
    "FisherResult",
    "exact_ci",
    "fisher_2x2",
    "compare_proportions",
    "RateDifference",
    "wilson_ci",
    "rate_difference",
    "holm",
    "StepCurve",
    "SurvivalCurve",
    "CoxResult",
    "kaplan_meier",
    "reverse_km_followup",
    "followup_completeness",
    "followup_summary",
    "logrank_test",
    "cox_ph",
    "CumulativeIncidence",
    "cumulative_incidence",
    "gray_test",
    "StateOccupation",
    "state_occupation",
    "GROUP_LABELS",
    "LandmarkResult",
    "split_at_exposure",
    "landmark",
    "landmark_sensitivity",
    "LANDMARK_SENSITIVITY_COLUMNS",
    "mantel_byar",
    "time_varying_cox",
    "time_varying_ph_test",
    "simon_makuch",
]
