"""The one formatter: table-driven, rounding edges included."""

import math

import numpy as np
import pytest

from blina_analysis.report import fmt


@pytest.mark.parametrize("x, decimals, expected", [
    (2.5, 0, "3"), (3.5, 0, "4"), (0.125, 2, "0.13"), (-0.4, 0, "0"), (1e-9, 3, "0.000"),
    (float("inf"), 0, "n.e."), (None, 0, "NA"), (float("nan"), 1, "NA"), (np.float64(66.5), 0, "67"),
])
def test_number(x, decimals, expected):
    assert fmt.number(x, decimals) == expected


@pytest.mark.parametrize("rate, expected", [
    (29 / 43, "67%"), (24 / 29, "83%"), (25 / 66, "38%"), (11 / 66, "17%"), (0.545454, "55%"),
    (12 / 22, "55%"), (0.1, "10%"), (0.0995, "10%"), (0.0994, "9.9%"), (0.005, "0.5%"),
    (0.00049, "0.0%"), (1 / 33, "3.0%"), (0.0, "0%"), (1.0, "100%"), (None, "NA"),
])
def test_pct_rounds_half_up_with_one_decimal_below_ten_percent(rate, expected):
    assert fmt.pct(rate) == expected


def test_pct_forced_decimals_for_axes_and_worked_examples():
    assert fmt.pct(0.05, 0) == "5%" and fmt.pct(0.525, 1) == "52.5%"


def test_limits_below_ten_percent_keep_their_decimal():
    # CRh 1/33 with its exact interval 0.077%-15.8%: "3% (0-16%)" would hide the lower limit
    assert fmt.pct_ci(1 / 33, 0.000767, 0.1576) == "3.0% (95% CI 0.1–16%)"
    assert fmt.ci(0.0, 0.0974) == "0–9.7%" and fmt.ci(0.003, 0.09) == "0.3–9.0%"
    assert fmt.n_pct(2, 66) == "2 (3.0%)" and fmt.n_pct(7, 66) == "7 (11%)"


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
    assert fmt.months(math.inf) == "n.e."
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


def test_not_estimable_and_not_reached_have_forms_of_their_own():
    from blina_analysis.stats import Estimate, Median

    # NR and NE are the data's response codes (no response, not evaluable): never used here

    nan, inf = float("nan"), math.inf
    assert fmt.ci(0.2, nan) == "20%\u2013n.e." and fmt.ci(nan, 0.3) == "n.e.\u201330%"
    assert fmt.ci(nan, nan) == "n.e." and fmt.ci(1.5, inf, 1, percent=False) == "1.5\u2013n.e."
    assert fmt.median_ci(Median(390.0, 290.0, inf)) == "12.8 months (95% CI 9.5\u2013n.e.)"
    assert fmt.median_ci(Median(inf, 290.0, inf)) == "not reached (95% CI 9.5\u2013n.e. months)"
    assert fmt.median_ci(Median(inf, inf, inf)) == "not reached (95% CI n.e.)"
    assert fmt.median(Median(inf, 290.0, inf)) == "not reached" and fmt.median(Median(390.0, 1, 2)) == "12.8"
    assert fmt.estimate_ci(Estimate(800.0, 0.0, nan, nan)) == "0% (95% CI n.e.)"
    assert fmt.estimate_ci(Estimate(800.0, nan, nan, nan)) == "not estimable"
    assert fmt.estimate(Estimate(800.0, nan, nan, nan)) == "not estimable"
    assert fmt.hazard_ratio(nan, nan, nan, nan) == "not estimable"
    assert fmt.hazard_ratio(1.08, 0.49, inf, 0.85) == "HR 1.08 (95% CI 0.49\u2013n.e.), p = 0.850"


def test_followup_with_the_observed_range():
    from blina_analysis.stats import FollowUp, Median

    fu = FollowUp(Median(907.0, 680.0, 1166.0), 30, 365.25, 1826.25)
    assert fmt.followup(fu) == ("29.8 months (range 12.0\u201360.0 months in patients alive at "
                                "last contact)")
    assert fmt.followup(FollowUp(Median(math.inf, math.inf, math.inf), 0, math.nan, math.nan)) \
        == "not estimable (no patient was alive at last contact)"
