"""Kaplan-Meier, medians, reverse-KM follow-up, log-rank and Cox against R and lifelines.

Reference values: the R survival package's own regression outputs on ``aml`` and ``lung``
(``tests/doaml.Rout.save``, ``survival-Ex.Rout.save``), quoted with their R call in each test, and
the R fixtures of tests/fixtures/r (km_aml.csv, km_medians.csv, km_extend.csv, followup.csv).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from blina_analysis.stats import (
    Estimate,
    Median,
    SurvivalCurve,
    cox_ph,
    followup_summary,
    kaplan_meier,
    logrank_test,
    reverse_km_followup,
)
from blina_analysis.stats.survival import _median_r
from stats_fixtures import aml, lung, read_r  # noqa: F401 (pytest fixtures)

# summary(survfit(Surv(time, status) ~ x, aml)) at event times, as printed:
# time, n.risk, n.event, survival, std.err, R log lower, R log upper,
# log-log lower, log-log upper [C]
AML_1A = {
    "Maintained": [
        (9, 11, 1, 0.909, 0.0867, 0.7541, 1.000, 0.50808, 0.98667),
        (13, 10, 1, 0.818, 0.1163, 0.6192, 1.000, 0.44743, 0.95116),
        (18, 8, 1, 0.716, 0.1397, 0.4884, 1.000, 0.35019, 0.89902),
        (23, 7, 1, 0.614, 0.1526, 0.3769, 0.999, 0.26575, 0.83530),
        (31, 5, 1, 0.491, 0.1642, 0.2549, 0.946, 0.16733, 0.75340),
        (34, 4, 1, 0.368, 0.1627, 0.1549, 0.875, 0.09283, 0.65704),
        (48, 2, 1, 0.184, 0.1535, 0.0359, 0.944, 0.01174, 0.52501),
    ],
    "Nonmaintained": [
        (5, 12, 2, 0.8333, 0.1076, 0.6470, 1.000, 0.48171, 0.95551),
        (8, 10, 2, 0.6667, 0.1361, 0.4468, 0.995, 0.33702, 0.85971),
        (12, 8, 1, 0.5833, 0.1423, 0.3616, 0.941, 0.27014, 0.80094),
        (23, 6, 1, 0.4861, 0.1481, 0.2675, 0.883, 0.19188, 0.72967),
        (27, 5, 1, 0.3889, 0.1470, 0.1854, 0.816, 0.12627, 0.64982),
        (30, 4, 1, 0.2917, 0.1387, 0.1148, 0.741, 0.07240, 0.56089),
        (33, 3, 1, 0.1944, 0.1219, 0.0569, 0.664, 0.03120, 0.46143),
        (43, 2, 1, 0.0972, 0.0919, 0.0153, 0.620, 0.00575, 0.34890),
    ],
}
# Printed to 3-4 significant digits: half a unit of the 4th decimal, plus rounding slack.
R_PRINTED = 5e-4
# log-log limits [C] printed with 5 decimals.
C_PRINTED = 6e-6


def _event_rows(curve: SurvivalCurve) -> pd.DataFrame:
    tab = curve.table
    return tab[tab["n_event"] > 0].reset_index(drop=True)


@pytest.mark.parametrize("arm", ["Maintained", "Nonmaintained"])
def test_km_against_R_aml(aml, arm):
    """R: ``summary(survfit(Surv(time, status) ~ x, data = aml))`` (conf.type = "log"),
    survival doaml.Rout.save; log-log limits [C] equal lifelines."""
    time, status = aml[arm]
    expected = np.array(AML_1A[arm], dtype=float)
    n = len(expected)  # the last Nonmaintained row (t = 45, S = 0) is tested separately
    log = _event_rows(kaplan_meier(time, status, conf_type="log")).iloc[:n]
    loglog = _event_rows(kaplan_meier(time, status, conf_type="log-log")).iloc[:n]
    assert_allclose(log["time"], expected[:, 0])
    assert_allclose(log["n_risk"], expected[:, 1])
    assert_allclose(log["n_event"], expected[:, 2])
    assert_allclose(log["survival"], expected[:, 3], atol=R_PRINTED)
    assert_allclose(log["std_err"], expected[:, 4], atol=R_PRINTED / 10)
    assert_allclose(log["ci_low"], expected[:, 5], atol=R_PRINTED / 10)
    assert_allclose(log["ci_high"], expected[:, 6], atol=R_PRINTED)
    assert_allclose(loglog["ci_low"], expected[:, 7], atol=C_PRINTED)
    assert_allclose(loglog["ci_high"], expected[:, 8], atol=C_PRINTED)


def test_km_exact_values_aml(aml):
    """Exact KM values [C]: Maintained 10/11, 9/11, ...; Nonmaintained ends at 0,
    where R prints std.err NaN and NA limits."""
    m = _event_rows(kaplan_meier(*aml["Maintained"]))
    assert_allclose(m["survival"][:2], [10 / 11, 9 / 11], rtol=0, atol=1e-15)
    assert_allclose(m["survival"][2:], [0.715909, 0.613636, 0.490909, 0.368182, 0.184091],
                    atol=1e-6)
    nm = kaplan_meier(*aml["Nonmaintained"], conf_type="log").table.iloc[-1]
    assert nm["time"] == 45 and nm["survival"] == 0.0
    assert math.isnan(nm["std_err"]) and math.isnan(nm["ci_low"]) and math.isnan(nm["ci_high"])


@pytest.mark.parametrize("conf_type", ["log", "log-log", "plain"])
def test_km_against_R_fixture_aml(aml, read_r, conf_type):
    """R: ``summary(survfit(Surv(time, status) ~ x, aml, conf.type = ct), censored = TRUE)``
    (km_aml.csv): every row including censoring times, every column, to 1e-10."""
    ref = read_r("km_aml.csv")
    for arm in ("Maintained", "Nonmaintained"):
        r = ref[(ref["group"] == arm) & (ref["conf_type"] == conf_type)].reset_index(drop=True)
        tab = kaplan_meier(*aml[arm], conf_type=conf_type).table
        assert len(tab) == len(r)
        for col in ["time", "n_risk", "n_event", "n_censor", "survival", "std_err",
                    "ci_low", "ci_high"]:
            assert_allclose(tab[col].to_numpy(float), r[col].to_numpy(float),
                            rtol=0, atol=1e-10, equal_nan=True, err_msg=f"{arm} {col}")


def test_km_equals_lifelines_lung(lung):
    """lifelines ``KaplanMeierFitter().fit(T, E)``: point estimates to 1e-12 and its
    (log-log) ``confidence_interval_`` to 1e-10."""
    from lifelines import KaplanMeierFitter

    km = kaplan_meier(lung["time"], lung["status"])
    ref = KaplanMeierFitter().fit(lung["time"], lung["status"])
    times = km.table["time"].to_numpy()
    assert_allclose(km.table["survival"], ref.survival_function_.loc[times].iloc[:, 0],
                    rtol=0, atol=1e-12)
    ci = ref.confidence_interval_.loc[times]
    assert_allclose(km.table["ci_low"], ci.iloc[:, 0], rtol=0, atol=1e-10)
    assert_allclose(km.table["ci_high"], ci.iloc[:, 1], rtol=0, atol=1e-10)


@pytest.mark.parametrize(
    ("arm", "conf_type", "expected"),
    [
        ("Maintained", "log", (31, 18, math.inf)),
        ("Nonmaintained", "log", (23, 8, math.inf)),
        ("Maintained", "log-log", (31, 13, math.inf)),
        ("Nonmaintained", "log-log", (23, 5, 33)),
    ],
)
def test_median_against_R_aml(aml, arm, conf_type, expected):
    """R: ``survfit(Surv(time, status) ~ x, aml)`` prints median 31 (18, NA) and 23 (8, NA)
    [doaml.Rout.save]; log-log [C] 31 (13, inf), 23 (5, 33). NA is inf here."""
    med = kaplan_meier(*aml[arm], conf_type=conf_type).median
    assert (med.time, med.ci_low, med.ci_high) == expected


@pytest.mark.parametrize(("conf_type", "expected"),
                         [("log", (310, 285, 363)), ("log-log", (310, 284, 361))])
def test_median_against_R_lung(lung, conf_type, expected):
    """R: ``survfit(Surv(time, status) ~ 1, lung)`` prints n 228, events 165, median 310
    (285, 363); with conf.type = "log-log" (284, 361) ."""
    km = kaplan_meier(lung["time"], lung["status"], conf_type=conf_type)
    assert (km.n, km.n_events) == (228, 165)
    assert (km.median.time, km.median.ci_low, km.median.ci_high) == expected


def test_median_plateau_against_R_se496175(read_r):
    """R (stats.stackexchange 496175, ): deaths at 1..22, 10 censored 25..34,
    ``survfit`` prints median 22, LCL 12, UCL NA (lifelines gives inf by float error)."""
    d = read_r("data_se496175.csv")
    med = kaplan_meier(d["time"], d["status"], conf_type="log").median
    assert (med.time, med.ci_low, med.ci_high) == (22, 12, math.inf)


@pytest.mark.parametrize("n", [2, 4, 6, 8, 10, 12, 20])
def test_median_plateau_midpoint_rule(n):
    """R ``print.survfit``/``quantile.survfit`` docs: n uncensored deaths at 1..n,
    the curve sits exactly at 0.5 on [n/2, n/2 + 1): the median is the midpoint n/2 + 0.5."""
    med = kaplan_meier(np.arange(1, n + 1), np.ones(n)).median
    assert med.time == n / 2 + 0.5


def test_median_against_R_fixture(read_r):
    """R: ``summary(survfit(Surv(time, status) ~ 1, conf.type = ct))$table`` medians and
    limits for the plateau cases, lung and aml (km_medians.csv), every conf.type."""
    ref = read_r("km_medians.csv")
    checked = 0
    for _, row in ref.iterrows():
        if row["case"].startswith("aml_"):
            continue  # covered by test_median_against_R_aml and km_aml.csv
        if row["case"] == "lung":
            from lifelines.datasets import load_lung

            d = load_lung()
        else:
            d = read_r(f"data_{row['case']}.csv")
        med = kaplan_meier(d["time"], d["status"], conf_type=row["conf_type"]).median
        got = [med.time, med.ci_low, med.ci_high]
        want = [row["median"], row["ci_low"], row["ci_high"]]
        want = [math.inf if pd.isna(w) else w for w in want]
        assert got == want, (row["case"], row["conf_type"])
        checked += 1
    assert checked == 18


@pytest.mark.parametrize("noise", [2.220446049250313e-16, -5.551115123125783e-17, 0.0])
def test_median_robust_to_float_noise(noise):
    """S stored as 0.5000000000000002 (lifelines, ) or 0.49999999999999994 (R, cumprod)
    is a 0.5 plateau: the median is the midpoint, never inf."""
    times = np.array([1.0, 2.0, 3.0, 4.0])
    surv = np.array([0.75, 0.5 + noise, 0.5 + noise, 0.25])
    assert _median_r(times, surv) == 3.0


def test_median_not_reached():
    """S never reaches 0.5: median and upper limit are inf (R prints NA)."""
    med = kaplan_meier([1, 2, 3, 4], [1, 0, 0, 0]).median
    assert isinstance(med, Median) and not med.reached
    assert math.isinf(med.time) and math.isinf(med.ci_high)


def test_reverse_km_followup_aml(aml):
    """Reverse KM on aml [C]: ``survfit(Surv(time, 1 - status) ~ 1)``, curve 0.5929
    after t = 45, 0 at 161: median follow-up 161 weeks; deaths tied with censorings stay at
    risk (R and lifelines agree)."""
    fu = reverse_km_followup(aml["time"], aml["status"])
    assert fu.time == 161
    rev = kaplan_meier(aml["time"], 1 - aml["status"])
    assert rev.at(45).estimate == pytest.approx(0.5929, abs=5e-5)
    assert rev.at(161).estimate == 0.0


def test_reverse_km_followup_lung(lung):
    """Reverse KM on lung [C]: 588 days, log-log CI 511-821."""
    fu = reverse_km_followup(lung["time"], lung["status"])
    assert (fu.time, fu.ci_low, fu.ci_high) == (588, 511, 821)


def test_reverse_km_followup_first_time_at_or_below_half():
    """``median_followup_days`` is the smallest time with the reverse curve <= 0.5 (no
    midpoint): 4 censorings at 1..4 give 0.5 on [2, 3), follow-up 2 (R's median rule: 2.5)."""
    assert reverse_km_followup([1, 2, 3, 4], [0, 0, 0, 0]).time == 2.0
    assert kaplan_meier([1, 2, 3, 4], [1, 1, 1, 1]).median.time == 2.5


def test_logrank_against_R_aml(aml):
    """R: ``survdiff(Surv(time, status) ~ x, aml)``: Chisq = 3.4 on 1 df, p = 0.0653
    [doaml]; lifelines [C] 3.3963887, p 0.0653393."""
    r = logrank_test(aml["time"], aml["status"], aml["x"])
    assert r.df == 1 and r.n == 23
    assert r.statistic == pytest.approx(3.3963887, abs=1e-7)
    assert r.p_value == pytest.approx(0.0653393, abs=1e-7)


def test_logrank_against_R_lung(lung):
    """R: ``survdiff(Surv(time, status) ~ sex, lung)``: Chisq 10.3267, p 0.00131116
    lifelines [C] 10.3267420, p 0.0013111645."""
    r = logrank_test(lung["time"], lung["status"], lung["sex"])
    assert r.statistic == pytest.approx(10.3267420, abs=1e-7)
    assert r.p_value == pytest.approx(0.0013111645, abs=1e-10)


def test_logrank_k_groups_equals_lifelines(lung):
    """Three groups (lung ph.ecog 0, 1, >=2): equals lifelines ``multivariate_logrank_test``."""
    from lifelines.statistics import multivariate_logrank_test

    d = lung.dropna(subset=["ph.ecog"])
    g = np.minimum(d["ph.ecog"].to_numpy(), 2)
    ours = logrank_test(d["time"], d["status"], g)
    ref = multivariate_logrank_test(d["time"], g, d["status"])
    assert ours.df == 2
    assert ours.statistic == pytest.approx(ref.test_statistic, rel=1e-10)
    assert ours.p_value == pytest.approx(ref.p_value, rel=1e-8)


def test_cox_against_R_aml(aml):
    """R: ``coxph(Surv(time, status) ~ x, aml)`` (Efron): coef 0.9155, HR 2.4981, se 0.5119,
    z 1.788, p 0.0737, LR 3.38 on 1 df p 0.06581; to 1e-6 R's unrounded values
    (coef 0.9155325750, HR 2.4981053262, se 0.5119342752, LR 3.3844473326)."""
    res = cox_ph(aml["time"], aml["status"], pd.DataFrame({"x": aml["x"]}))
    row = res.table.loc["x"]
    assert row["coef"] == pytest.approx(0.915532, abs=1e-6)
    assert row["hr"] == pytest.approx(2.498105, abs=1e-6)
    assert row["se"] == pytest.approx(0.511934, abs=1e-6)
    assert row["z"] == pytest.approx(1.788379, abs=1e-6)
    assert row["p_value"] == pytest.approx(0.073715, abs=1e-6)
    assert res.lr_test.statistic == pytest.approx(3.384447, abs=1e-6)
    assert res.lr_test.p_value == pytest.approx(0.065814, abs=1e-6)
    assert (res.lr_test.df, res.n, res.n_events) == (1, 23, 18)


def test_cox_against_R_lung(lung):
    """R: ``summary(coxph(Surv(time, status) ~ age + sex, lung))`` [survival-Ex]:
    age 0.017045 (se 0.009223, HR CI 0.9990-1.0357), sex -0.513219 (se 0.167458, HR CI
    0.4311-0.8311, p 0.00218), concordance 0.603, LR 14.12 on 2 df. lifelines stops at
    -0.513217 for sex (6th-decimal convergence difference), hence 5e-6 there."""
    res = cox_ph(lung["time"], lung["status"], lung[["age", "sex"]])
    age, sex = res.table.loc["age"], res.table.loc["sex"]
    assert age["coef"] == pytest.approx(0.017045, abs=1e-6)
    assert age["se"] == pytest.approx(0.009223, abs=1e-6)
    assert (age["hr_ci_low"], age["hr_ci_high"]) == pytest.approx((0.9990, 1.0357), abs=5e-5)
    assert sex["coef"] == pytest.approx(-0.513219, abs=5e-6)
    assert sex["se"] == pytest.approx(0.167458, abs=1e-6)
    assert sex["p_value"] == pytest.approx(0.00218, abs=5e-6)
    assert (sex["hr_ci_low"], sex["hr_ci_high"]) == pytest.approx((0.4311, 0.8311), abs=5e-5)
    assert res.concordance == pytest.approx(0.603, abs=5e-4)
    assert res.lr_test.statistic == pytest.approx(14.12, abs=5e-3)
    assert res.lr_test.df == 2
    assert list(res.summary["covariate"]) == ["age", "sex"]


# ---- reading the curve ----------------------------------------------------------------------


def test_at_is_right_continuous_and_nan_beyond_follow_up(aml):
    """``at``: 1 before the first time, the value just after a jump at the jump time, the last
    value at the last observed time, NaN after it when that last observation is censored
    (R ``summary(fit, times=)`` without extend leaves the time out)."""
    km = kaplan_meier(*aml["Maintained"])
    assert km.at(0) == Estimate(0.0, 1.0, 1.0, 1.0)
    assert km.at(8.99).estimate == 1.0
    assert km.at(9).estimate == pytest.approx(10 / 11)
    assert km.at(12).estimate == pytest.approx(10 / 11)
    assert km.at(161).estimate == pytest.approx(0.184091, abs=1e-6)
    assert math.isnan(km.at(161.5).estimate) and math.isnan(km.at(161.5).ci_low)
    df = km.at_times([0, 9, 13, 200])
    assert list(df.columns) == ["time", "n_risk", "estimate", "std_err", "ci_low", "ci_high"]
    assert list(df["n_risk"]) == [11, 11, 10, 0]


def test_number_at_risk_counts_follow_up_at_or_after_t(aml):
    """The at-risk row under a KM plot: number with time >= t."""
    km = kaplan_meier(aml["time"], aml["status"])
    ts = np.array([0, 5, 5.5, 13, 45, 46, 161, 162])
    expected = [(aml["time"] >= t).sum() for t in ts]
    assert list(km.number_at_risk(ts)) == expected


def test_step_starts_at_one(aml):
    km = kaplan_meier(*aml["Nonmaintained"])
    x, y = km.step()
    assert (x[0], y[0]) == (0.0, 1.0)
    assert len(x) == len(y) == len(km.table) + 1
    xc, lo, hi = km.step_ci()
    assert_allclose(xc, x)
    assert (lo[0], hi[0]) == (1.0, 1.0)
    assert np.all((lo[1:-1] <= y[1:-1]) & (y[1:-1] <= hi[1:-1]))


def test_ci_at_survival_one_is_one():
    """Censorings before the first event: S = 1 with interval (1, 1) for every transform
    (R gives NA for log-log there, lifelines 1)."""
    for ct in ("log-log", "log", "plain"):
        tab = kaplan_meier([1, 2, 3, 4], [0, 1, 1, 0], conf_type=ct).table
        assert (tab.loc[0, "ci_low"], tab.loc[0, "ci_high"]) == (1.0, 1.0)


def test_event_at_time_zero_counts():
    km = kaplan_meier([0, 1, 2, 3], [1, 0, 1, 0])
    assert km.at(0).estimate == 0.75
    assert km.number_at_risk([0])[0] == 4


def test_summary_and_html(aml):
    km = kaplan_meier(*aml["Maintained"], label="Maintained")
    s = km.summary
    assert s.loc[0, "label"] == "Maintained" and s.loc[0, "median"] == 31
    assert "<table" in km._repr_html_()


@pytest.mark.parametrize("conf_type", ["log-log", "log"])
def test_reading_after_the_last_observation_against_R_extend(aml, read_r, conf_type):
    """R: ``summary(survfit(...), times, extend = TRUE)`` (km_extend.csv). Nonmaintained ends
    with a death at 45 (S = 0): every later reading is 0 with no interval (R: surv 0,
    std.err NaN, limits NA), at risk 0. Maintained ends censored at 161: R carries 0.184
    forward, the book reads NaN (not estimable); up to 161 both agree to 1e-12."""
    ref = read_r("km_extend.csv").query("conf_type == @conf_type")
    for arm, case in [("Nonmaintained", "aml_nonmaintained"), ("Maintained", "aml_maintained")]:
        r = ref[ref["case"] == case]
        km = kaplan_meier(*aml[arm], conf_type=conf_type)
        got = km.at_times(r["time"].to_numpy())
        assert list(got["n_risk"]) == list(r["n_risk"])
        observed = r["time"].to_numpy() <= km.table["time"].max()
        for ours, theirs in [("estimate", "survival"), ("std_err", "std_err"),
                             ("ci_low", "ci_low"), ("ci_high", "ci_high")]:
            expected = r[theirs].to_numpy(float)
            if arm == "Maintained":
                expected = np.where(observed, expected, np.nan)
            assert_allclose(got[ours].to_numpy(float), expected, rtol=0, atol=1e-12,
                            equal_nan=True, err_msg=f"{arm} {ours}")
    assert kaplan_meier(*aml["Nonmaintained"]).holds_after_last_time
    assert not kaplan_meier(*aml["Maintained"]).holds_after_last_time
    zero = kaplan_meier(*aml["Nonmaintained"]).at(1000)
    assert zero.estimate == 0.0 and math.isnan(zero.ci_low) and math.isnan(zero.ci_high)


@pytest.mark.parametrize("case", ["aml", "lung"])
def test_followup_summary_against_R(aml, lung, read_r, case):
    """R (followup.csv): the first time the reverse KM ``survfit(Surv(time, 1 - status) ~ 1,
    conf.type = "log-log")`` or its bands are at or below 0.5, and the range of the censored
    times: aml 161 (28-Inf), censored 13-161; lung 588 (511-821), censored 92-1022."""
    ref = read_r("followup.csv").set_index("case").loc[case]
    t, e = (aml["time"], aml["status"]) if case == "aml" else (lung["time"], lung["status"])
    fu = followup_summary(t, e)
    assert (fu.median.time, fu.median.ci_low, fu.median.ci_high) == (
        ref["median"], ref["ci_low"], ref["ci_high"])
    assert (fu.n_censored, fu.min_censored, fu.max_censored) == (
        ref["n_censored"], ref["min_censored"], ref["max_censored"])


def test_followup_summary_without_censoring_has_no_range():
    fu = followup_summary([1, 2, 3], [1, 1, 1])
    assert fu.n_censored == 0 and math.isnan(fu.min_censored) and math.isnan(fu.max_censored)
    assert math.isinf(fu.median.time)
