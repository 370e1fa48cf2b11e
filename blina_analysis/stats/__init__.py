"""Statistics layer: pure functions over numpy arrays returning frozen result objects.

Times are in days (floats); event codes are 0 = censored, 1 = event, and for competing risks
k >= 1 = cause k. Nothing here knows the data format or prints. Modules:

- :mod:`~blina_analysis.stats.proportions`: exact binomial CIs, Fisher's exact test;
- :mod:`~blina_analysis.stats.survival`: Kaplan-Meier, medians, reverse-KM follow-up,
  log-rank, Cox;
- :mod:`~blina_analysis.stats.competing`: cumulative incidence (Aalen-Johansen), Gray's test;
- :mod:`~blina_analysis.stats.transplant`: exposures after time zero (landmark, Mantel-Byar,
  time-dependent Cox, Simon-Makuch).
"""

from blina_analysis.stats._checks import StatsInputError, check_tte
from blina_analysis.stats.competing import CumulativeIncidence, cumulative_incidence, gray_test
from blina_analysis.stats.proportions import FisherResult, compare_proportions, exact_ci, fisher_2x2
from blina_analysis.stats.results import Estimate, Median, Proportion, TestResult
from blina_analysis.stats.survival import (
    CoxResult,
    SurvivalCurve,
    cox_ph,
    kaplan_meier,
    logrank_test,
    reverse_km_followup,
)
from blina_analysis.stats.transplant import (
    GROUP_LABELS,
    LandmarkResult,
    landmark,
    mantel_byar,
    simon_makuch,
    split_at_exposure,
    time_varying_cox,
)

__all__ = [
    "StatsInputError",
    "check_tte",
    "TestResult",
    "Proportion",
    "Estimate",
    "Median",
    "FisherResult",
    "exact_ci",
    "fisher_2x2",
    "compare_proportions",
    "SurvivalCurve",
    "CoxResult",
    "kaplan_meier",
    "reverse_km_followup",
    "logrank_test",
    "cox_ph",
    "CumulativeIncidence",
    "cumulative_incidence",
    "gray_test",
    "GROUP_LABELS",
    "LandmarkResult",
    "split_at_exposure",
    "landmark",
    "mantel_byar",
    "time_varying_cox",
    "simon_makuch",
]
