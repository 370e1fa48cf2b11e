"""Cumulative incidence and Gray's test against cmprsk, R survival and scikit-survival.

Reference values: published cmprsk/scikit-survival outputs on the Scrucca et al. (2007) BMT data,
quoted with their source in each test, and the R fixtures cuminc.csv, gray_test.csv
(``cmprsk::cuminc``, ``timepoints``) and cif_extend.csv (``survfit`` multi-state,
``summary(times, extend = TRUE)``) of tests/fixtures/r.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from blina_analysis.stats import (
    StatsInputError,
    cumulative_incidence,
    gray_test,
    kaplan_meier,
)
from stats_fixtures import bmt, read_r  # noqa: F401 (pytest fixtures)

TESTCI_TIME = [1, 2, 2, 3, 3, 3, 5, 6]
TESTCI_CAUSE = [0, 1, 0, 2, 0, 2, 0, 2]

# All 35 BMT patients, CIF at each event time (scikit-survival data_bmt_full).
BMT_ALL = [  # t, n.risk, CIF1, CIF2
    (0, 35, 0.02857143, 0.02857143), (1, 33, 0.05714286, 0.05714286),
    (2, 31, 0.05714286, 0.08571429), (3, 29, 0.14581281, 0.11527094),
    (4, 25, 0.20492611, 0.14482759), (5, 21, 0.20492611, 0.17579170),
    (7, 20, 0.20492611, 0.23771992), (8, 17, 0.23771164, 0.27050544),
    (9, 14, 0.23771164, 0.30563279), (10, 13, 0.23771164, 0.34076015),
    (12, 12, 0.27283899, 0.34076015), (13, 11, 0.27283899, 0.37588750),
    (14, 10, 0.27283899, 0.41101485), (22, 9, 0.27283899, 0.44614220),
    (26, 8, 0.27283899, 0.48126955), (72, 1, 0.27283899, 0.48126955),
]


def test_cif_against_R_testci_trivial():
    """R survival tests/testci.R "first trivial test": exact state probabilities
    cause 1 = 1/7 from t = 2; cause 2 = 12/35 at t = 3, 5 and 6/7 at t = 6; n.risk 8, 7, 5, 2, 1;
    events precede censorings at the tied times 2 and 3."""
    c1 = cumulative_incidence(TESTCI_TIME, TESTCI_CAUSE, cause=1)
    c2 = cumulative_incidence(TESTCI_TIME, TESTCI_CAUSE, cause=2)
    assert list(c1.table["n_risk"]) == [8, 7, 5, 2, 1]
    assert_allclose(c1.table["cif"], [0, 1 / 7, 1 / 7, 1 / 7, 1 / 7], rtol=0, atol=1e-15)
    assert_allclose(c2.table["cif"], [0, 0, 12 / 35, 12 / 35, 6 / 7], rtol=0, atol=1e-15)
    # entry state 18/35 at t = 3: 1 - CIF1 - CIF2
    assert 1 - c1.at(3).estimate - c2.at(3).estimate == pytest.approx(18 / 35, abs=1e-15)


def test_cif_variance_is_cmprsk_not_survfit_testci(read_r):
    """``cmprsk::cuminc`` var on the testci data (cuminc.csv): cause 1 at t = 2 is 1/49
    (sd 1/7 = 0.142857), larger than R survfit's infinitesimal-jackknife sd 0.132260;
    Cause 2 at t = 6 is 0.284898 (sd 0.533758, survfit 0.132260)."""
    ref = read_r("cuminc.csv").query("dataset == 'testci'")
    for cause in (1, 2):
        r = ref[ref["cause"] == cause]
        tab = cumulative_incidence(TESTCI_TIME, TESTCI_CAUSE, cause=cause).table
        assert_allclose(tab["cif"], r["cif"], rtol=0, atol=1e-12)
        assert_allclose(tab["std_err"] ** 2, r["var"], rtol=0, atol=1e-12)
    c1 = cumulative_incidence(TESTCI_TIME, TESTCI_CAUSE, cause=1)
    assert c1.at(2).estimate == pytest.approx(1 / 7)
    assert c1.table.loc[1, "std_err"] == pytest.approx(1 / 7, abs=1e-12)


@pytest.mark.parametrize("cause", [1, 2])
def test_cif_against_sksurv_bmt_all(bmt, cause):
    """scikit-survival ``data_bmt_full`` expected values = textbook Aalen-Johansen
    to 1e-8."""
    ci = cumulative_incidence(bmt["ftime"], bmt["status"], cause=cause)
    ref = np.array(BMT_ALL)
    got = ci.at_times(ref[:, 0])
    assert_allclose(got["estimate"], ref[:, 1 + cause], rtol=0, atol=1e-8)
    assert_allclose(got["n_risk"], ref[:, 1])


@pytest.mark.parametrize(
    ("dis", "cause", "times", "values"),
    [
        (0, 1, [0, 1, 12, 72], [0.05882353, 0.11764706, 0.17647059, 0.17647059]),
        (0, 2, [0, 1, 3, 9, 13, 26, 72],
         [0.05882353, 0.11764706, 0.17647059, 0.47058824, 0.52941176, 0.70588235, 0.70588235]),
        (1, 1, [3, 4, 8, 70], [0.17708333, 0.29513889, 0.36818576, 0.36818576]),
        (1, 2, [2, 7, 10, 70], [0.05555556, 0.12048611, 0.20570747, 0.20570747]),
    ],
)
def test_cif_against_sksurv_bmt_subgroups(bmt, dis, cause, times, values):
    """Subgroups (scikit-survival = textbook AJ), including the t = 0 events that
    lifelines' AalenJohansenFitter can drop."""
    d = bmt[bmt["dis"] == dis]
    got = cumulative_incidence(d["ftime"], d["status"], cause=cause).at_times(times)
    assert_allclose(got["estimate"], values, rtol=0, atol=1e-8)


@pytest.mark.parametrize("dataset", ["bmt", "cr_ties"])
def test_cif_against_cmprsk(read_r, dataset):
    """R: ``timepoints(cuminc(time, status, cencode = 0), sort(unique(time)))`` per subset and
    cause (cuminc.csv): estimate and cmprsk's variance at every distinct time, to 1e-12."""
    ref = read_r("cuminc.csv").query("dataset == @dataset")
    data = read_r(f"data_{dataset}.csv")
    group_col, time_col = ("dis", "ftime") if dataset == "bmt" else ("group", "time")
    n_checked = 0
    for (subset, cause), r in ref.groupby(["subset", "cause"]):
        d = data if subset == "all" else data[data[group_col].astype(str) == str(subset)]
        ci = cumulative_incidence(d[time_col], d["status"], cause=int(cause))
        got = ci.at_times(r["time"].to_numpy())
        assert_allclose(got["estimate"], r["cif"], rtol=0, atol=1e-12)
        assert_allclose(got["std_err"] ** 2, r["var"], rtol=0, atol=1e-12)
        n_checked += 1
    assert n_checked == (6 if dataset == "bmt" else 8)


@pytest.mark.parametrize("dataset", ["bmt", "cr_ties", "cr_ties_ab"])
def test_gray_against_cmprsk(read_r, dataset):
    """R: ``cuminc(time, status, group, cencode = 0)$Tests`` (rho = 0; gray_test.csv): BMT by
    dis (2 groups), the tied data with 3 groups and with groups a, b; statistic to 1e-9."""
    ref = read_r("gray_test.csv").query("dataset == @dataset")
    if dataset == "bmt":
        d = read_r("data_bmt.csv").rename(columns={"ftime": "time", "dis": "group"})
    else:
        d = read_r("data_cr_ties.csv")
        if dataset == "cr_ties_ab":
            d = d[d["group"] != "c"]
    for _, r in ref.iterrows():
        res = gray_test(d["time"], d["status"], d["group"], cause=int(r["cause"]))
        assert res.df == r["df"]
        assert res.statistic == pytest.approx(r["stat"], rel=1e-9)
        assert res.p_value == pytest.approx(r["p_value"], rel=1e-8)
        assert res.n == len(d)


def test_cif_single_cause_is_one_minus_km():
    """Without competing events the Aalen-Johansen CIF is exactly 1 - Kaplan-Meier."""
    rng = np.random.default_rng(3)
    t = rng.integers(0, 30, 200).astype(float)
    e = rng.integers(0, 2, 200)
    ci = cumulative_incidence(t, e).table
    km = kaplan_meier(t, e).table
    assert_allclose(ci["cif"], 1 - km["survival"], rtol=0, atol=1e-12)


def test_cif_event_at_time_zero_is_counted():
    """lifelines forces the first row to 0 and loses a cause-1 event at t = 0;
    exact CIF1 = 0.25 from time 0."""
    ci = cumulative_incidence([0, 2, 3, 4], [1, 0, 2, 0])
    assert ci.at(0).estimate == 0.25
    assert ci.at(4).estimate == 0.25


def test_cif_is_deterministic_with_cross_cause_ties():
    """Events of different causes at the same time share it (no jitter, no RNG)."""
    t, e = [1, 1, 1, 2, 2, 3], [1, 2, 0, 1, 2, 0]
    a = cumulative_incidence(t, e).table
    b = cumulative_incidence(t, e).table
    pd.testing.assert_frame_equal(a, b)
    assert a.loc[0, "cif"] == pytest.approx(1 / 6)


def test_cif_reading_and_ci():
    """0 with interval (0, 0) before the first time, NaN beyond follow-up when the last
    observation is censored; limits bracket the estimate (log(-log) transform)."""
    ci = cumulative_incidence(TESTCI_TIME, TESTCI_CAUSE, cause=2)
    assert (ci.at(0.5).estimate, ci.at(0.5).ci_low, ci.at(0.5).ci_high) == (0.0, 0.0, 0.0)
    censored_last = cumulative_incidence([*TESTCI_TIME, 7], [*TESTCI_CAUSE, 0], cause=2)
    assert not censored_last.holds_after_last_time
    assert math.isnan(censored_last.at(7.5).estimate)
    assert math.isnan(censored_last.at(7.5).ci_low)
    tab = ci.table[ci.table["cif"] > 0]
    assert np.all((tab["ci_low"] < tab["cif"]) & (tab["cif"] < tab["ci_high"]))
    x, y = ci.step()
    assert (x[0], y[0]) == (0.0, 0.0) and len(x) == len(ci.table) + 1
    assert ci.n_events == 3 and ci.cause == 2 and ci.n == 8


def test_kaplan_meier_refuses_competing_events():
    """House rule 3: an endpoint with a competing event cannot go through 1 - KM."""
    with pytest.raises(StatsInputError, match="cumulative_incidence"):
        kaplan_meier(TESTCI_TIME, TESTCI_CAUSE)


def test_gray_test_without_cause_events_is_nan():
    res = gray_test([1, 2, 3, 4], [2, 0, 2, 0], ["a", "a", "b", "b"], cause=1)
    assert math.isnan(res.statistic) and math.isnan(res.p_value)


def test_cif_after_the_last_failure_against_R_extend(read_r):
    """testci ends with a failure of the one patient at risk (time 6): nobody is left, so both
    incidences hold after it. R: ``summary(survfit(Surv(time, factor(status)) ~ 1), times,
    extend = TRUE)$pstate`` (cif_extend.csv), n.risk 0 after 6."""
    ref = read_r("cif_extend.csv")
    times = ref["time"].to_numpy()
    for cause in (1, 2):
        ci = cumulative_incidence(TESTCI_TIME, TESTCI_CAUSE, cause=cause)
        assert ci.holds_after_last_time
        got = ci.at_times(times)
        assert_allclose(got["estimate"], ref[f"cif_cause{cause}"], rtol=0, atol=1e-14)
        assert list(got["n_risk"]) == list(ref["n_risk"])
        last = ci.table.iloc[-1]
        assert (got["ci_low"].iloc[-1], got["ci_high"].iloc[-1]) == (last["ci_low"],
                                                                      last["ci_high"])


def test_cif_interval_is_the_log_minus_log_transform_of_cmprsk_variance(read_r):
    """The interval the methods chapter states: from R's ``cuminc`` estimate F and variance
    (cuminc.csv, BMT data), limits exp(-exp(log(-log F) +/- z sqrt(var) / (F |log F|))) with
    z = qnorm(0.975) = 1.959963984540054; the + gives the lower limit."""
    z = 1.959963984540054
    ref = read_r("cuminc.csv").query("dataset == 'bmt' and subset == 'all'")
    data = read_r("data_bmt.csv")
    for cause, r in ref.groupby("cause"):
        r = r[(r["cif"] > 0) & (r["cif"] < 1)]
        f, se = r["cif"].to_numpy(), np.sqrt(r["var"].to_numpy())
        half_width = z * se / (f * np.abs(np.log(f)))
        low = np.exp(-np.exp(np.log(-np.log(f)) + half_width))
        high = np.exp(-np.exp(np.log(-np.log(f)) - half_width))
        got = cumulative_incidence(data["ftime"], data["status"], cause=int(cause)).at_times(
            r["time"].to_numpy())
        assert_allclose(got["ci_low"], low, rtol=1e-9, atol=0)
        assert_allclose(got["ci_high"], high, rtol=1e-9, atol=0)
        assert np.all((low < f) & (f < high))
