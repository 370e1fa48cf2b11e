"""Scale check: every estimator completes on 100,000 synthetic patients (no timing asserts;
the whole test takes well under two seconds because nothing loops over patients)."""

from __future__ import annotations

import numpy as np

import blina_analysis.stats as st


def test_functions_run_on_100000_patients():
    rng = np.random.default_rng(20240521)
    n = 100_000
    time = np.round(rng.exponential(400.0, n))  # days, many ties
    cause = rng.integers(0, 3, n)  # 0 censored, 1 relapse, 2 death in remission
    event = (cause > 0).astype(int)
    group = rng.integers(0, 3, n)
    exposure = np.where(rng.random(n) < 0.4, np.round(rng.exponential(100.0, n)), np.nan)

    km = st.kaplan_meier(time, event)
    assert km.n == n and np.isfinite(km.median.time)
    assert km.at_times(np.arange(0, 2000, 0.5)).shape == (4000, 6)
    assert np.isfinite(st.reverse_km_followup(time, event).time)
    assert st.logrank_test(time, event, group).df == 2
    ci = st.cumulative_incidence(time, cause, cause=1)
    assert 0 < ci.table["cif"].iloc[-1] < 1
    assert st.gray_test(time, cause, group, cause=1).df == 2
    assert st.gray_test(rng.random(n) * 1000, cause, group, cause=2).df == 2  # no ties
    rows = st.split_at_exposure(time, event, exposure)
    assert rows["id"].nunique() == n
    assert np.isfinite(st.mantel_byar(time, event, exposure).statistic)
    assert len(st.simon_makuch(time, event, exposure)) == 2
    assert st.landmark(time, event, exposure, landmark=90).n_at_risk > 0
    assert st.exact_ci(int(event.sum()), n).N == n
