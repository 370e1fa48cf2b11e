"""Transplant (exposure after time zero) analyses against R on the Stanford heart data.

R fixtures (tests/fixtures/r, from survival::jasa): jasa_split.csv (``tmerge``), jasa_cox.csv
(``coxph(Surv(tstart, tstop, death) ~ exposed)``, ties efron/breslow/exact),
jasa_simon_makuch.csv (``survfit(Surv(tstart, tstop, death) ~ exposed)``), jasa_landmark.csv
(``survdiff`` after landmarks), jasa_naive_logrank.csv, tdc_cox.csv (stratified and
cause-specific time-dependent Cox models), jasa_landmark_sensitivity.csv.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from blina_analysis.stats import (
    StatsInputError,
    kaplan_meier,
    landmark,
    landmark_sensitivity,
    logrank_test,
    mantel_byar,
    simon_makuch,
    split_at_exposure,
    time_varying_cox,
)
from stats_fixtures import aml, jasa, read_r  # noqa: F401 (pytest fixtures)


def _args(jasa):
    return jasa["time"], jasa["event"], jasa["exposure_time"]


def test_split_against_R_tmerge(jasa, read_r):
    """R: ``tmerge(base, ex, id = id, exposed = tdc(exposure_time))`` (jasa_split.csv): same
    169 rows, including the transplant on the day of death (no exposure) and at day 0."""
    got = split_at_exposure(*_args(jasa))
    ref = read_r("jasa_split.csv")
    assert list(got.columns) == ["id", "start", "stop", "event", "exposed"]
    assert_allclose(got.to_numpy(float), ref.to_numpy(float), rtol=0, atol=0)


def test_split_hand_worked():
    """Four patients: never, exposed mid-follow-up, exposed at 0, exposed on the event day."""
    got = split_at_exposure([10, 10, 10, 10], [1, 1, 0, 1], [np.nan, 4, 0, 10])
    expected = pd.DataFrame({
        "id": [0, 1, 1, 2, 3],
        "start": [0.0, 0.0, 4.0, 0.0, 0.0],
        "stop": [10.0, 4.0, 10.0, 10.0, 10.0],
        "event": [1, 0, 1, 0, 1],
        "exposed": [0, 0, 1, 1, 0],
    })
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)


def test_mantel_byar_against_R_exact_score_test(jasa, read_r):
    """R: ``coxph(Surv(tstart, tstop, death) ~ exposed, ties = "exact")`` score test
    (jasa_cox.csv) = the Mantel-Byar statistic, to 1e-10 (with ties, Efron's score differs)."""
    ref = read_r("jasa_cox.csv").set_index("ties")
    res = mantel_byar(*_args(jasa))
    assert res.test_name == "Mantel-Byar" and res.df == 1 and res.n == 103
    assert res.statistic == pytest.approx(ref.loc["exact", "score_stat"], rel=1e-10)
    assert res.p_value == pytest.approx(ref.loc["exact", "score_p"], rel=1e-10)


def test_mantel_byar_without_time_dependence_is_logrank(aml):
    """Exposure at time 0 is a fixed group: Mantel-Byar = log-rank (survdiff)."""
    exposure = np.where(aml["x"] == 1, 0.0, np.nan)
    mb = mantel_byar(aml["time"], aml["status"], exposure)
    lr = logrank_test(aml["time"], aml["status"], aml["x"])
    assert mb.statistic == pytest.approx(lr.statistic, rel=1e-12)


def test_mantel_byar_no_exposure_is_nan():
    res = mantel_byar([1, 2, 3], [1, 0, 1], [np.nan, 5, 3])
    assert math.isnan(res.statistic) and res.df == 0


def test_immortal_time_bias_demonstrated(jasa, read_r):
    """The naive comparison (ever vs never transplanted from acceptance) is R
    ``survdiff(Surv(time, event) ~ ever)``, chisq 33.24; the Mantel-Byar test finds nothing
    (0.0146). The gap is the immortal time the functions in transplant.py remove."""
    ref = read_r("jasa_naive_logrank.csv")
    ever = (~jasa["exposure_time"].isna()).astype(int)
    naive = logrank_test(jasa["time"], jasa["event"], ever)
    assert naive.statistic == pytest.approx(ref.loc[0, "chisq"], rel=1e-10)
    assert mantel_byar(*_args(jasa)).statistic < 0.1 < 30 < naive.statistic


def test_time_varying_cox_against_R(jasa, read_r):
    """R: ``coxph(Surv(tstart, tstop, death) ~ exposed, data = tmerge(...))`` (Efron):
    coef 0.036932, se 0.298297, LR 0.015366 (jasa_cox.csv), to 1e-6."""
    ref = read_r("jasa_cox.csv").set_index("ties").loc["efron"]
    res = time_varying_cox(*_args(jasa))
    row = res.table.loc["exposed"]
    assert row["coef"] == pytest.approx(ref["coef"], abs=1e-6)
    assert row["se"] == pytest.approx(ref["se"], abs=1e-6)
    assert row["p_value"] == pytest.approx(ref["p"], abs=1e-6)
    assert (row["hr_ci_low"], row["hr_ci_high"]) == pytest.approx(
        (ref["hr_ci_low"], ref["hr_ci_high"]), abs=1e-6)
    assert res.lr_test.statistic == pytest.approx(ref["lr_stat"], abs=1e-6)
    assert res.log_likelihood == pytest.approx(ref["loglik"], abs=1e-6)
    assert res.n == 103 and math.isnan(res.concordance)


@pytest.mark.parametrize("conf_type", ["log-log", "log"])
def test_simon_makuch_against_R(jasa, read_r, conf_type):
    """R: ``summary(survfit(Surv(tstart, tstop, death) ~ exposed, conf.type = ct),
    censored = TRUE)`` (jasa_simon_makuch.csv) at every R time, every column, to 1e-10."""
    ref = read_r("jasa_simon_makuch.csv").query("conf_type == @conf_type")
    curves = simon_makuch(*_args(jasa), conf_type=conf_type)
    assert list(curves) == ["not transplanted", "transplanted"]
    for code, name in [(0, "not transplanted"), (1, "transplanted")]:
        r = ref[ref["exposed"] == code]
        tab = curves[name].table.set_index("time").loc[r["time"].to_numpy()]
        for col in ["n_risk", "n_event", "n_censor", "survival", "std_err", "ci_low", "ci_high"]:
            assert_allclose(tab[col].to_numpy(float), r[col].to_numpy(float), rtol=0,
                            atol=1e-10, equal_nan=True, err_msg=f"{name} {col}")
    assert curves["transplanted"].n == 69 - 1  # patient 38 was transplanted on the day of death
    assert curves["not transplanted"].n == 103 - 2  # two were transplanted at day 0


def test_simon_makuch_number_at_risk_uses_time_dependent_sets():
    """Patient 1 moves from the unexposed to the exposed risk set after day 4."""
    curves = simon_makuch([10, 10, 6], [1, 0, 1], [np.nan, 4, np.nan])
    assert list(curves["not transplanted"].number_at_risk([0, 4, 4.5, 6, 7])) == [3, 3, 2, 2, 1]
    assert list(curves["transplanted"].number_at_risk([0, 4, 4.5, 10, 11])) == [0, 0, 1, 1, 0]


def test_simon_makuch_without_exposure_is_kaplan_meier(aml):
    curves = simon_makuch(aml["time"], aml["status"], np.full(23, np.nan))
    assert list(curves) == ["not transplanted"]
    km = kaplan_meier(aml["time"], aml["status"])
    pd.testing.assert_frame_equal(curves["not transplanted"].table.drop(columns="n_enter"),
                                  km.table)


@pytest.mark.parametrize("lm", [30, 60, 90])
def test_landmark_against_R(jasa, read_r, lm):
    """R: ``d <- subset(jasa_d, time > lm); survdiff(Surv(time - lm, event) ~ (exposure_time
    <= lm))`` and log-log KM medians (jasa_landmark.csv)."""
    ref = read_r("jasa_landmark.csv").set_index("landmark").loc[lm]
    res = landmark(*_args(jasa), landmark=lm)
    assert (res.n_at_risk, res.n_excluded, res.n_exposed) == (
        ref["n_at_risk"], ref["n_excluded"], ref["n_exposed"])
    assert res.test.statistic == pytest.approx(ref["chisq"], rel=1e-10)
    assert res.test.p_value == pytest.approx(ref["p"], rel=1e-9)
    un, ex = res.curves["not transplanted"], res.curves["transplanted"]
    assert (un.n, ex.n) == (ref["n_unexposed"], ref["n_exposed"])
    assert (un.n_events, ex.n_events) == (ref["events_unexposed"], ref["events_exposed"])
    assert (un.median.time, ex.median.time) == (ref["median_unexposed"], ref["median_exposed"])
    assert list(res.summary["group"]) == ["not transplanted", "transplanted"]


def test_landmark_rebases_time_and_handles_empty_group():
    res = landmark([100, 150, 50], [1, 0, 1], [np.nan, 120, np.nan], landmark=90)
    assert (res.n_at_risk, res.n_excluded, res.n_exposed) == (2, 1, 0)
    assert list(res.curves) == ["not transplanted"]
    assert list(res.curves["not transplanted"].table["time"]) == [10.0, 60.0]
    assert math.isnan(res.test.statistic) and res.test.df == 0


def test_landmark_beyond_all_follow_up_raises():
    with pytest.raises(StatsInputError, match="landmark leaves no patient"):
        landmark([10, 20], [1, 0], [np.nan, 5], landmark=20)


TDC_COLUMNS = ["coef", "se", "p", "hr_ci_low", "hr_ci_high", "lr_stat", "loglik", "n_events"]


def _compare_cox(res, ref):
    row = res.table.loc["exposed"]
    got = [row["coef"], row["se"], row["p_value"], row["hr_ci_low"], row["hr_ci_high"],
           res.lr_test.statistic, res.log_likelihood, res.n_events]
    assert_allclose(got, ref[TDC_COLUMNS].to_numpy(float), rtol=1e-9, atol=1e-10)


@pytest.mark.parametrize("strata", ["none", "surgery"])
def test_time_varying_cox_stratified_against_R(read_r, strata):
    """R: ``coxph(Surv(tstart, tstop, death) ~ exposed [+ strata(surgery)])`` on the jasa
    counting-process rows (tdc_cox.csv): pooled coef 0.036932, stratified by prior bypass
    surgery 0.058193, every statistic to 1e-9."""
    data = read_r("data_jasa_surgery.csv")
    ref = read_r("tdc_cox.csv").query("dataset == 'jasa' and strata == @strata").iloc[0]
    res = time_varying_cox(data["time"], data["event"], data["exposure_time"],
                           strata=None if strata == "none" else data["surgery"])
    _compare_cox(res, ref)
    assert res.strata == (None if strata == "none" else "stratum")


@pytest.mark.parametrize("cause", ["relapse", "nrm", "any"])
@pytest.mark.parametrize("strata", ["none", "cohort"])
def test_cause_specific_time_varying_cox_against_R(read_r, cause, strata):
    """Cause-specific hazards with a time-dependent exposure (data_cr_tdc.csv: 120 patients,
    two cohorts, tied integer times, exposures at 0 and after the end of follow-up). R:
    ``coxph(Surv(tstart, tstop, status == k) ~ exposed [+ strata(cohort)])`` on ``tmerge``
    rows: the competing cause censors."""
    data = read_r("data_cr_tdc.csv")
    ref = read_r("tdc_cox.csv").query(
        "dataset == 'cr_tdc' and event == @cause and strata == @strata").iloc[0]
    status = data["status"].to_numpy()
    event = {"relapse": status == 1, "nrm": status == 2, "any": status > 0}[cause]
    res = time_varying_cox(data["time"], event.astype(int), data["exposure_time"],
                           strata=None if strata == "none" else data["cohort"])
    _compare_cox(res, ref)


def test_time_varying_cox_not_estimable_when_the_exposed_have_no_event():
    """No exposed patient has an event: the hazard ratio runs off to 0 (R warns that the
    coefficient may be infinite); the result is NaN, not a number to print."""
    res = time_varying_cox([5, 6, 7, 8, 9, 10], [1, 1, 1, 0, 0, 0], [np.nan] * 3 + [2, 3, 4])
    assert not res.estimable
    assert math.isnan(res.table.loc["exposed", "hr"]) and math.isnan(res.lr_test.p_value)
    assert res.n_events == 3


def test_landmark_sensitivity_against_R(jasa, read_r):
    """R (jasa_landmark_sensitivity.csv), landmarks 30-180 days: counts, survdiff chi-square
    and p, and ``coxph(Surv(time - lm, event) ~ exposed)`` hazard ratio, interval and p."""
    ref = read_r("jasa_landmark_sensitivity.csv")
    got = landmark_sensitivity(*_args(jasa), landmarks=ref["landmark"].tolist())
    for col in ["landmark", "n_at_risk", "n_excluded", "n_exposed", "events_unexposed",
                "events_exposed"]:
        assert list(got[col]) == list(ref[col]), col
    assert list(got["n_unexposed"]) == list(ref["n_at_risk"] - ref["n_exposed"])
    for ours, theirs in [("chisq", "chisq"), ("p_value", "p"), ("hr", "hr"),
                         ("hr_ci_low", "hr_ci_low"), ("hr_ci_high", "hr_ci_high"),
                         ("hr_p_value", "cox_p")]:
        assert_allclose(got[ours], ref[theirs], rtol=1e-9, err_msg=ours)


def test_landmark_sensitivity_degenerate_landmarks_are_not_estimable():
    """A landmark after all follow-up, or with one group empty: counts, NaN statistics."""
    got = landmark_sensitivity([10, 20, 30], [1, 0, 1], [np.nan, 5, np.nan],
                               landmarks=[1, 25, 40])
    assert list(got["n_at_risk"]) == [3, 1, 0]
    assert list(got["n_exposed"]) == [0, 0, 0]
    assert got[["chisq", "p_value", "hr", "hr_ci_low", "hr_ci_high"]].isna().all().all()


def test_landmark_group_labels():
    res = landmark([100, 150, 50, 120], [1, 0, 1, 1], [np.nan, 20, np.nan, 30], landmark=40,
                   labels={0: "no response yet", 1: "responders"})
    assert list(res.curves) == ["no response yet", "responders"]
