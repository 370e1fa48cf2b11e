"""Argument validation: one parametrised case per rule, each raising StatsInputError whose
message names the argument and echoes the bad value."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from blina_analysis.errors import BlinaError
from blina_analysis.stats import (
    StatsInputError,
    check_tte,
    compare_proportions,
    cox_ph,
    cumulative_incidence,
    exact_ci,
    fisher_2x2,
    gray_test,
    kaplan_meier,
    landmark,
    logrank_test,
    mantel_byar,
    reverse_km_followup,
    simon_makuch,
    split_at_exposure,
    time_varying_cox,
)

T = [1.0, 2.0, 3.0, 4.0]
E = [1, 0, 1, 0]
G = ["a", "a", "b", "b"]
X = [np.nan, 1.0, np.nan, 2.0]


def test_stats_input_error_is_a_blina_error_and_a_value_error():
    assert issubclass(StatsInputError, BlinaError)
    assert issubclass(StatsInputError, ValueError)


def test_check_tte_returns_clean_arrays():
    t, e = check_tte(pd.Series([1, 2, 3]), [True, False, True])
    assert t.dtype == float and e.dtype == np.int64
    assert list(e) == [1, 0, 1]
    t, e = check_tte([0, 1.5], [0.0, 2.0], competing=True)
    assert list(e) == [0, 2]
    t, e = check_tte(pd.Series([1.0, 2.0], dtype="Float64"), pd.Series([1, 0], dtype="Int64"))
    assert t.dtype == float


@pytest.mark.parametrize(
    ("time", "event", "competing", "match"),
    [
        ([1, -2, 3], [1, 0, 1], False, r"time must be non-negative, got \[-2"),
        ([1, np.nan, 3], [1, 0, 1], False, r"time must be finite, got \[nan\]"),
        ([1, np.inf, 3], [1, 0, 1], False, r"time must be finite, got \[inf\]"),
        (["1", "x"], [1, 0], False, "time must be numeric"),
        ([True, False], [1, 0], False, "time must be numeric"),
        (5.0, 1, False, "time must be a 1-d array-like, got 5.0"),
        ([[1, 2]], [[1, 0]], False, r"time must be 1-d, got an array of shape \(1, 2\)"),
        ([1, 2, 3], [1, 0], False, "same length, got 3 and 2"),
        ([], [], False, "must not be empty"),
        ([1, 2], [1, 2], False, r"event must be 0 \(censored\) or 1 \(event\), got \[2\]"),
        ([1, 2], [1, 0.5], False, r"event must hold integer codes, got \[0.5\]"),
        ([1, 2], [1, np.nan], False, "event must hold integer codes"),
        ([1, 2], ["dead", "alive"], False, "event must hold integer codes"),
        ([1, 2], [1, -1], True, r"event must be non-negative integer codes .*got \[-1\]"),
    ],
)
def test_check_tte_rejects(time, event, competing, match):
    with pytest.raises(StatsInputError, match=match):
        check_tte(time, event, competing=competing)


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: kaplan_meier(T, E, conf_level=95),
            "conf_level must be a number in \\(0, 1\\), got 95"),
        (lambda: kaplan_meier(T, E, conf_level=True), "conf_level .* got True"),
        (lambda: kaplan_meier(T, E, conf_type="logit"), "conf_type must be one of .* got 'logit'"),
        (lambda: reverse_km_followup(T, E, conf_type="log_log"), "got 'log_log'"),
        (lambda: kaplan_meier(T, E).at(-1), r"ts must be finite and non-negative, got \[-1.0\]"),
        (lambda: kaplan_meier(T, E).at_times([1, np.nan]), "ts must be finite"),
        (lambda: kaplan_meier(T, E).number_at_risk("a"), "ts must be a number"),
        (lambda: logrank_test(T, E, ["a", "a", "a", "a"]), "at least two levels, got \\['a'\\]"),
        (lambda: logrank_test(T, E, ["a", None, "b", "b"]),
            "group must not contain missing values, got 1"),
        (lambda: logrank_test(T, E, ["a", "b"]),
            "group must have the same length as time \\(4\\), got 2"),
        (lambda: cox_ph(T, E, np.ones((4, 1))),
            "covariates must be a pandas DataFrame, got ndarray"),
        (lambda: cox_ph(T, E, pd.DataFrame({"x": [1, 2]})), "one row per patient \\(4\\), got 2"),
        (lambda: cox_ph(T, E, pd.DataFrame({"x": list("abcd")})),
            "must be numeric .* got \\['x'\\]"),
        (lambda: cox_ph(T, E, pd.DataFrame({"x": [1, np.nan, 0, 1]})), "NaN in \\['x'\\]"),
        (lambda: cox_ph(T, E, pd.DataFrame(index=range(4))), "at least one column"),
        (lambda: cumulative_incidence(T, E, cause=0),
            "cause must be a positive integer event code, got 0"),
        (lambda: cumulative_incidence(T, E, cause=1.0), "cause .* got 1.0"),
        (lambda: gray_test(T, [1, 2, 0, 1], G, cause="1"), "cause .* got '1'"),
        (lambda: gray_test(T, [1, 2, 0, 1], ["a"] * 4), "at least two levels"),
        (lambda: cumulative_incidence(T, E, conf_level=0), "conf_level .* got 0"),
    ],
)
def test_estimator_arguments_rejected(call, match):
    with pytest.raises(StatsInputError, match=match):
        call()


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: split_at_exposure(T, E, [np.nan, -1, 2, 3]),
            r"exposure_time must be non-negative, got \[-1"),
        (lambda: split_at_exposure(T, E, [np.inf, 1, 2, 3]),
            r"exposure_time must be finite or NaN, got \[inf\]"),
        (lambda: mantel_byar(T, E, [1, 2]),
            r"exposure_time must have the same length as time \(4\), got 2"),
        (lambda: simon_makuch(T, [1, 2, 0, 1], X), "event must be 0"),
        (lambda: time_varying_cox(T, E, [np.nan] * 4), "nobody is exposed during follow-up"),
        (lambda: landmark(T, E, X, landmark=-1),
            "landmark must be a finite non-negative number of days, got -1"),
        (lambda: landmark(T, E, X, landmark="90"), "landmark .* got '90'"),
        (lambda: landmark(T, E, X, landmark=np.nan), "landmark .* got nan"),
        (lambda: landmark(T, E, X, landmark=1, conf_type="x"), "conf_type .* got 'x'"),
    ],
)
def test_transplant_arguments_rejected(call, match):
    with pytest.raises(StatsInputError, match=match):
        call()


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: exact_ci(5, 4), "n must not exceed N, got n=5 and N=4"),
        (lambda: exact_ci(-1, 4), "n must be a non-negative integer, got -1"),
        (lambda: exact_ci(1.5, 4), "n must be a non-negative integer, got 1.5"),
        (lambda: exact_ci(1, "4"), "N must be a non-negative integer, got '4'"),
        (lambda: exact_ci(True, 4), "n must be a non-negative integer, got True"),
        (lambda: exact_ci(1, 4, conf_level=1.0), "conf_level .* got 1.0"),
        (lambda: fisher_2x2([[1, 2, 3], [4, 5, 6]]), r"2 x 2 array of counts, got shape \(2, 3\)"),
        (lambda: fisher_2x2([[1, -2], [3, 4]]), "non-negative integer counts"),
        (lambda: fisher_2x2([[1, 2.5], [3, 4]]), "non-negative integer counts"),
        (lambda: compare_proportions([1, 2, 0], ["a", "b", "a"]),
            r"success must be 0/1 or bool, got \[2\]"),
        (lambda: compare_proportions([1, 0], ["a", "b", "c"]), "same length, got 2 and 3"),
        (lambda: compare_proportions([1, 0, 1], ["a", "a", None]),
            "at least two non-missing levels"),
        (lambda: compare_proportions([1, np.nan], ["a", "b"]), "success must be 0/1"),
    ],
)
def test_proportion_arguments_rejected(call, match):
    with pytest.raises(StatsInputError, match=match):
        call()


def test_exact_ci_accepts_integral_floats_and_numpy_ints():
    assert exact_ci(np.int64(3), 4.0).n == 3
