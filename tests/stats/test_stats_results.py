"""Result objects: frozen, plain Python numbers, summary DataFrames, HTML; docstring examples."""

from __future__ import annotations

import dataclasses
import doctest
import math

import numpy as np
import pandas as pd
import pytest

import blina_analysis.stats as st
from blina_analysis.stats import (
    competing,
    cox,
    product_limit,
    proportions,
    results,
    steps,
    survival,
    transplant,
)
from stats_fixtures import aml  # noqa: F401 (pytest fixtures)


def _numeric_fields(obj):
    for f in dataclasses.fields(obj):
        if f.type in ("float", "int"):
            yield f.name, getattr(obj, f.name), f.type


def _results(aml):
    t, e, x = aml["time"], aml["status"], aml["x"]
    exposure = np.where(x == 1, t / 2, np.nan)
    km = st.kaplan_meier(t, e)
    ci = st.cumulative_incidence(t, e * (1 + x))
    lm = st.landmark(t, e, exposure, landmark=5)
    cox = st.cox_ph(t, e, pd.DataFrame({"x": x}))
    return [
        km, km.at(np.int64(20)), km.median, ci, ci.at(20), st.reverse_km_followup(t, e),
        st.logrank_test(t, e, x), st.gray_test(t, e * (1 + x), x),
        st.exact_ci(np.int64(3), np.int64(7)), st.fisher_2x2(np.array([[3, 1], [1, 3]])),
        cox, cox.lr_test, lm, lm.test, st.mantel_byar(t, e, exposure),
        st.time_varying_cox(t, e, exposure), st.time_varying_cox(t, e, exposure, strata=x),
        st.followup_summary(t, e),
    ]


def test_numeric_fields_are_plain_python(aml):
    """Downstream formatting and glue need float/int, never numpy scalars."""
    for res in _results(aml):
        for name, value, kind in _numeric_fields(res):
            assert type(value) is (float if kind == "float" else int), (type(res).__name__, name)


def test_results_are_frozen_with_summary_and_html(aml):
    for res in _results(aml):
        assert dataclasses.is_dataclass(res)
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(res, dataclasses.fields(res)[0].name, None)
        assert isinstance(res.summary, pd.DataFrame) and len(res.summary) >= 1
        assert "<table" in res._repr_html_()


def test_test_result_p_value_from_chi2_sf():
    from scipy.stats import chi2

    r = st.TestResult("x", np.float64(40.0), np.int64(1), chi2.sf(40.0, 1), 10)
    assert r.p_value == chi2.sf(40.0, 1) and r.p_value > 0  # sf, not 1 - cdf (which is 0)
    assert type(r.df) is int


def test_median_inf_when_not_reached():
    m = st.Median(math.inf, 12.0, math.inf)
    assert not m.reached and m.summary.loc[0, "time"] == math.inf


@pytest.mark.parametrize("module", [results, proportions, survival, competing, transplant, cox])
def test_docstring_examples(module):
    """The numpydoc Examples sections run and are correct."""
    failures, _ = doctest.testmod(module, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert failures == 0


def test_public_api_is_exported():
    for name in st.__all__:
        assert hasattr(st, name), name
    for module in (results, proportions, survival, competing, transplant, cox, steps,
                   product_limit):
        assert set(module.__all__) <= set(dir(module))
