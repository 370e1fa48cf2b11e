"""The adjusted time-dependent Cox model, its interaction term and its proportional-hazards test.

R fixtures (tests/fixtures/r, make_fixtures.R, survival::jasa with age and prior surgery):
tdc_adjusted.csv (``coxph(Surv(tstart, tstop, death) ~ exposed + age10 [+ surgery |
+ strata(surgery)] [+ exposed:(age >= 50)], ties = "efron")``) and tdc_zph.csv (``cox.zph`` of the
first two, default ``transform = "km"``).
"""

from __future__ import annotations

import pandas as pd
import pytest
from numpy.testing import assert_allclose

from blina_analysis.stats import time_varying_cox, time_varying_ph_test
from stats_fixtures import read_r  # noqa: F401 (pytest fixture)

MODELS = {"adjusted": (["age10", "surgery"], None, False),
          "stratified": (["age10"], "surgery", False),
          "interaction": (["age10"], "surgery", True)}


def _fit(data: pd.DataFrame, model: str):
    covs, strata, interaction = MODELS[model]
    kwargs = {"covariates": data[covs],
              "strata": data[strata] if strata else None,
              "interaction": (data["age10"] >= 5).astype(int) if interaction else None}
    return time_varying_cox(data["time"], data["event"], data["exposure_time"], **kwargs), kwargs


@pytest.mark.parametrize("model", sorted(MODELS))
def test_adjusted_time_varying_cox_is_R(read_r, model):
    data = read_r("data_jasa_adjusted.csv")
    ref = read_r("tdc_adjusted.csv")
    ref = ref[ref["model"] == model].set_index("covariate")
    fit, _ = _fit(data, model)
    assert list(fit.table.index) == list(ref.index)
    assert_allclose(fit.table["coef"], ref["coef"], rtol=1e-7, atol=1e-9)
    assert_allclose(fit.table["se"], ref["se"], rtol=1e-7)
    assert_allclose(fit.table["p_value"], ref["p"], rtol=1e-6)


@pytest.mark.parametrize("model", ["adjusted", "stratified"])
def test_ph_test_is_cox_zph(read_r, model):
    data = read_r("data_jasa_adjusted.csv")
    ref = read_r("tdc_zph.csv")
    ref = ref[ref["model"] == model].set_index("term")
    fit, kwargs = _fit(data, model)
    got = time_varying_ph_test(data["time"], data["event"], data["exposure_time"], fit,
                               covariates=kwargs["covariates"], strata=kwargs["strata"])
    assert list(got.index) == list(ref.index)
    assert_allclose(got["chisq"], ref["chisq"], rtol=1e-6)
    assert_allclose(got["df"], ref["df"])
    assert_allclose(got["p_value"], ref["p"], rtol=1e-6)
