"""Clopper-Pearson intervals and Fisher's exact test (exact beta-quantile values; R binom.test, fisher.test)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from blina_analysis.stats import FisherResult, Proportion, compare_proportions, exact_ci, fisher_2x2

# [C]: beta.ppf(0.025, x, n-x+1), beta.ppf(0.975, x+1, n-x); = R binom.test.
CLOPPER_PEARSON = [
    (29, 43, 0.5145602, 0.8092372),
    (0, 20, 0.0000000, 0.1684335),
    (24, 29, 0.6422524, 0.9415439),
    (1, 29, 0.0008726, 0.1776443),
    (25, 66, 0.2621846, 0.5066428),
    (81, 263, 0.2527367, 0.3676219),
    (5, 25, 0.0683115, 0.4070374),
    (15, 148, 0.0578440, 0.1616505),
    (682, 925, 0.7076683, 0.7654066),
    (3, 4, 0.1941204, 0.9936905),
    (1, 4, 0.0063095, 0.8058796),
]


@pytest.mark.parametrize(("n", "N", "low", "high"), CLOPPER_PEARSON)
def test_exact_ci_against_R_binom_test(n, N, low, high):
    """R: ``binom.test(n, N)$conf.int`` (682/925 is the Mendel example of
    ``?binom.test``, 5/25 the Conover table value), printed to 7 decimals."""
    p = exact_ci(n, N)
    assert isinstance(p, Proportion) and p.method == "Clopper-Pearson"
    assert p.rate == pytest.approx(n / N, abs=1e-15)
    assert p.ci_low == pytest.approx(low, abs=5e-8)
    assert p.ci_high == pytest.approx(high, abs=5e-8)


def test_exact_ci_edges():
    """0/N starts at exactly 0, N/N ends at exactly 1 (one-sided alpha/2 at the other end),
    0/0 is NaN."""
    assert exact_ci(0, 20).ci_low == 0.0
    full = exact_ci(20, 20)
    assert full.ci_high == 1.0 and full.ci_low == pytest.approx(1 - 0.1684335, abs=5e-8)
    empty = exact_ci(0, 0)
    assert empty.N == 0 and math.isnan(empty.rate) and math.isnan(empty.ci_low)


def test_exact_ci_conf_level():
    """R: ``binom.test(5, 25, conf.level = 0.9)``: wider level gives a wider interval."""
    p90, p99 = exact_ci(5, 25, conf_level=0.90), exact_ci(5, 25, conf_level=0.99)
    assert p99.ci_low < p90.ci_low < 0.2 < p90.ci_high < p99.ci_high
    assert p90.conf_level == 0.90


def test_fisher_against_R_tea_tasting():
    """R ``?fisher.test`` TeaTasting ``matrix(c(3, 1, 1, 3), 2)``: p = 0.4857 (= 17/35),
    conditional MLE odds ratio 6.408309, CI 0.2117329-621.9337505 (R's uniroot tolerance;
    the exact upper limit is 626.24, so the CI is compared at rtol 1e-2)."""
    r = fisher_2x2([[3, 1], [1, 3]])
    assert isinstance(r, FisherResult)
    assert r.p_value == pytest.approx(17 / 35, rel=1e-9)
    assert r.odds_ratio == pytest.approx(6.408309, rel=1e-5)
    assert r.ci_low == pytest.approx(0.2117329, rel=1e-4)
    assert r.ci_high == pytest.approx(621.9337505, rel=1e-2)
    assert r.table == ((3, 1), (1, 3))


def test_fisher_against_R_convictions():
    """R ``?fisher.test`` Convictions ``matrix(c(2, 10, 15, 3), nrow = 2)``: two-sided
    p = 0.0005367."""
    r = fisher_2x2(np.array([[2, 15], [10, 3]]))
    assert r.p_value == pytest.approx(0.000536724, abs=5e-10)
    assert r.odds_ratio < 1


def test_compare_proportions_two_groups_uses_fisher():
    success = [1, 1, 1, 0, 1, 0, 0, 0, 1, 0]
    group = ["b", "b", "b", "b", "a", "a", "a", "a", None, np.nan]
    df = compare_proportions(success, group)
    assert list(df.columns) == ["level", "n", "N", "rate", "ci_low", "ci_high"]
    assert list(df["level"]) == ["a", "b"]
    assert list(df["n"]) == [1, 3] and list(df["N"]) == [4, 4]
    assert df.attrs["n_missing"] == 2
    assert df.attrs["test_name"] == "Fisher exact"
    assert df.attrs["p_value"] == pytest.approx(fisher_2x2([[1, 3], [3, 1]]).p_value)
    row = df.iloc[1]
    ref = exact_ci(3, 4)
    assert (row["rate"], row["ci_low"], row["ci_high"]) == (ref.rate, ref.ci_low, ref.ci_high)


def test_compare_proportions_three_groups_uses_chi_square():
    from scipy.stats import chi2_contingency

    success = [1, 0, 1, 1, 0, 0, 1, 1, 1, 0, 0, 1]
    group = [1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3]
    df = compare_proportions(success, group)
    assert list(df["level"]) == [1, 2, 3]
    assert df.attrs["test_name"] == "Pearson chi-square"
    ref = chi2_contingency([[3, 1], [2, 2], [2, 2]], correction=False)
    assert df.attrs["statistic"] == pytest.approx(ref.statistic)
    assert df.attrs["p_value"] == pytest.approx(ref.pvalue)
    assert df.attrs["n_missing"] == 0


# --- difference of two rates (Newcombe) and Holm's adjustment, against R ----------------------

def _r_rows(name):
    import csv

    from stats_fixtures import R_FIXTURES

    with open(R_FIXTURES / name, newline="") as f:
        return [{k: float(v) if v != "NA" else float("nan") for k, v in r.items()}
                for r in csv.DictReader(f)]


@pytest.mark.parametrize("row", _r_rows("rate_difference.csv"),
                         ids=lambda r: f"{r['n1']:.0f}/{r['N1']:.0f}-{r['n2']:.0f}/{r['N2']:.0f}")
def test_rate_difference_is_newcombe_on_R_prop_test(row):
    """R: Newcombe's method 10 from ``prop.test(x, n, correct = FALSE)$conf.int``
    (tests/fixtures/r/make_fixtures.R); 56/70 vs 48/80 is Newcombe's (1998) example, 0.0524 to
    0.3339."""
    from blina_analysis.stats import rate_difference, wilson_ci

    n1, N1, n2, N2 = (int(row[k]) for k in ("n1", "N1", "n2", "N2"))
    w = wilson_ci(n1, N1)
    assert (w.ci_low, w.ci_high) == pytest.approx((row["wilson1_low"], row["wilson1_high"]),
                                                  abs=1e-12)
    d = rate_difference(n1, N1, n2, N2)
    assert (d.difference, d.ci_low, d.ci_high) == pytest.approx(
        (row["difference"], row["ci_low"], row["ci_high"]), abs=1e-12)
    assert -1 <= d.ci_low <= d.difference <= d.ci_high <= 1


def test_rate_difference_of_an_empty_group_is_not_estimable():
    from blina_analysis.stats import rate_difference

    d = rate_difference(3, 5, 0, 0)
    assert math.isnan(d.difference) and math.isnan(d.ci_low) and math.isnan(d.ci_high)
    assert isinstance(d.first.n, int) and d.method == "Newcombe hybrid score"


def test_holm_is_R_p_adjust():
    from blina_analysis.stats import holm

    rows = _r_rows("holm.csv")
    got = holm([r["p"] for r in rows])
    want = [r["holm"] for r in rows]
    assert got == pytest.approx(want, abs=1e-15, nan_ok=True)
    assert holm([]).size == 0
    with pytest.raises(Exception):
        holm([1.2])
