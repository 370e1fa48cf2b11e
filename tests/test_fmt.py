"""The one formatter: table-driven, rounding edges included."""

import math

import numpy as np
import pytest

from blina_analysis.report import fmt


@pytest.mark.parametrize("x, decimals, expected", [
    (2.5, 0, "3"), (3.5, 0, "4"), (0.125, 2, "0.13"), (-0.4, 0, "0"), (1e-9, 3, "0.000"),
    (float("inf"), 0, "NE"), (None, 0, "NA"), (float("nan"), 1, "NA"), (np.float64(66.5), 0, "67"),
])
def test_number(x, decimals, expected):
    assert fmt.number(x, decimals) == expected


@pytest.mark.parametrize("rate, expected", [
    (29 / 43, "67%"), (24 / 29, "83%"), (25 / 66, "38%"), (11 / 66, "17%"), (0.545454, "55%"),
    (12 / 22, "55%"), (0.005, "1%"), (0.0, "0%"), (1.0, "100%"), (None, "NA"),
])
def test_pct_rounds_half_up(rate, expected):
    assert fmt.pct(rate) == expected


def test_counts_and_intervals():
    assert fmt.n_of(29, 43) == "29/43"
    assert fmt.n_pct(25, 66) == "25 (38%)"
    assert fmt.n_pct(0, 0) == "0"  # no percentage of nobody
    assert fmt.ci(0.5145602, 0.8092372) == "51\u201381%"
    assert fmt.ci(2.14, 7.96, decimals=1, percent=False) == "2.1\u20138.0"
    assert fmt.pct_ci(29 / 43, 0.5145602, 0.8092372) == "67% (95% CI 51\u201381%)"


@pytest.mark.parametrize("p, expected", [
    (0.0653393, "p = 0.065"), (0.00149, "p = 0.001"), (0.0005, "p < 0.001"), (0.0004652, "p < 0.001"),
    (1.0, "p = 1.000"), (float("nan"), "p = NA"),
])
def test_p_value(p, expected):
    assert fmt.p_value(p) == expected


def test_months_and_median_range():
    assert fmt.months(365.25) == "12.0"
    assert fmt.months(730) == "24.0"
    assert fmt.months(math.inf) == "NE"
    assert fmt.median_range(35, 18, 72) == "35 (18\u201372)"


def test_every_function_returns_str():
    for value in (fmt.pct(np.float64(0.5)), fmt.number(np.int64(3)), fmt.p_value(np.float64(0.2))):
        assert type(value) is str


def test_display_tables_render_code_spans_and_escape_html():
    import pandas as pd

    from blina_analysis.report.tables import to_html

    html = to_html(pd.DataFrame({"column": ["`patient_id` <b>"]}), caption="A & B")
    assert "<code>patient_id</code>" in html and "&lt;b&gt;" in html
    assert "<caption>A &amp; B</caption>" in html


@pytest.mark.parametrize("x, decimals, expected", [
    (2, 0, "+2"), (-2, 0, "\u22122"), (0, 0, "0"), (3.04, 1, "+3.0"), (-2.46, 1, "\u22122.5"),
    (-0.04, 1, "0.0"), (0.04, 1, "0.0"), (None, 0, "NA"),
])
def test_signed_uses_a_true_minus_and_a_consistent_plus(x, decimals, expected):
    assert fmt.signed(x, decimals) == expected


def test_limits_that_cannot_be_computed_are_NE_and_NR_is_for_medians_only():
    from blina_analysis.stats import Estimate, Median

    nan, inf = float("nan"), math.inf
    assert fmt.ci(0.2, nan) == "20%\u2013NE" and fmt.ci(nan, 0.3) == "NE\u201330%"
    assert fmt.ci(nan, nan) == "NE" and fmt.ci(1.5, inf, 1, percent=False) == "1.5\u2013NE"
    assert fmt.median_ci(Median(390.0, 290.0, inf)) == "12.8 months (95% CI 9.5\u2013NE)"
    assert fmt.median_ci(Median(inf, 290.0, inf)) == "not reached (95% CI 9.5\u2013NE months)"
    assert fmt.median_ci(Median(inf, inf, inf)) == "not reached (95% CI NE)"
    assert fmt.median(Median(inf, 290.0, inf)) == "NR" and fmt.median(Median(390.0, 1, 2)) == "12.8"
    assert fmt.estimate_ci(Estimate(800.0, 0.0, nan, nan)) == "0% (95% CI NE)"
    assert fmt.estimate_ci(Estimate(800.0, nan, nan, nan)) == "not estimable"
    assert fmt.estimate(Estimate(800.0, nan, nan, nan)) == "not estimable"
    assert fmt.hazard_ratio(nan, nan, nan, nan) == "not estimable"
    assert fmt.hazard_ratio(1.08, 0.49, inf, 0.85) == "HR 1.08 (95% CI 0.49\u2013NE), p = 0.850"


def test_followup_with_the_observed_range():
    from blina_analysis.stats import FollowUp, Median

    fu = FollowUp(Median(907.0, 680.0, 1166.0), 30, 365.25, 1826.25)
    assert fmt.followup(fu) == ("29.8 months (range 12.0\u201360.0 months in patients alive at "
                                "last contact)")
    assert fmt.followup(FollowUp(Median(math.inf, math.inf, math.inf), 0, math.nan, math.nan)) \
        == "not estimable (no patient was alive at last contact)"
