"""Where the statistics layer keeps its own code instead of lifelines, and why (issue 15 §4).

Each test shows lifelines' problem on the book's kind of data (tied integer days, transplant
days equal to other patients' event days), against R or by construction. A lifelines release
that fixes one makes its test fail: then move that estimator to lifelines as well.

- Cumulative incidence (:mod:`blina_analysis.stats.competing`): ``AalenJohansenFitter`` breaks
  tied event times by random jitter.
- Simon-Makuch curves (:func:`blina_analysis.stats.simon_makuch`, left truncation):
  ``KaplanMeierFitter(entry=...)`` puts a patient entering at ``t`` in the risk set of an event
  at ``t``; R's ``(start, stop]`` rows (and the book) do not.
- Mantel-Byar (:func:`blina_analysis.stats.mantel_byar`): lifelines has no log-rank test with
  time-dependent groups (no entry times).
- Time-dependent Cox (:func:`blina_analysis.stats.time_varying_cox`): ``CoxTimeVaryingFitter``
  loops over the event times in Python each iteration (O(rows x event times)); measured 70-119 s
  a model on the 100,000-patient benchmark cohort (benchmarks/README.md, 2026-11-30) against
  0.3 s for :func:`blina_analysis.stats.cox.fit_cox_rows`. Not timed here (no timed tests): the
  test pins the loop.
"""

from __future__ import annotations

import inspect
import warnings

import numpy as np
import pytest
from lifelines import AalenJohansenFitter, CoxTimeVaryingFitter, KaplanMeierFitter, statistics

from blina_analysis.stats import cumulative_incidence, simon_makuch, split_at_exposure
from stats_fixtures import jasa, read_r  # noqa: F401 (pytest fixtures)


def test_aalen_johansen_jitters_tied_times(read_r):
    """On the tied competing-risks data (data_cr_ties.csv, integer days, causes 1 and 2 on the
    same days) lifelines warns and moves event times by a seeded random jitter, so its curve has
    times that are not in the data and depends on the seed; ours has the data's times and
    equals R ``cmprsk::cuminc`` (tests/stats/test_stats_competing.py)."""
    d = read_r("data_cr_ties.csv")
    with pytest.warns(Warning, match="[Tt]ied"):
        ajf = AalenJohansenFitter(seed=1).fit(d["time"], d["status"], event_of_interest=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        other = AalenJohansenFitter(seed=2).fit(d["time"], d["status"], event_of_interest=1)
    data_times = set(d["time"].astype(float))
    assert not set(ajf.cumulative_density_.index[1:]) <= data_times
    assert not np.array_equal(ajf.cumulative_density_.index, other.cumulative_density_.index)
    ours = cumulative_incidence(d["time"], d["status"], cause=1)
    assert set(ours.table["time"]) <= data_times


def test_kaplan_meier_entry_counts_entrants_at_their_entry_time(jasa, read_r):
    """Stanford heart data split at transplant: R ``survfit(Surv(tstart, tstop, death) ~ 1)``
    for the transplanted rows (jasa_simon_makuch.csv) has fewer at risk than lifelines'
    ``KaplanMeierFitter(entry=tstart)`` at days where a patient was transplanted and another
    one died; :func:`simon_makuch` equals R."""
    rows = split_at_exposure(jasa["time"], jasa["event"], jasa["exposure_time"])
    exposed = rows[rows["exposed"] == 1]
    kmf = KaplanMeierFitter().fit(exposed["stop"], exposed["event"], entry=exposed["start"])
    ref = read_r("jasa_simon_makuch.csv").query("exposed == 1 and conf_type == 'log-log'")
    ref = ref.set_index("time")
    lifelines_risk = kmf.event_table["at_risk"].reindex(ref.index)
    assert (lifelines_risk > ref["n_risk"]).any()
    ours = simon_makuch(jasa["time"], jasa["event"], jasa["exposure_time"])["transplanted"]
    assert list(ours.table.set_index("time")["n_risk"].reindex(ref.index)) == list(ref["n_risk"])


def test_lifelines_has_no_mantel_byar():
    """No Mantel-Byar test, and its log-rank tests take no entry times (time-dependent
    groups)."""
    assert not [name for name in dir(statistics) if "byar" in name.lower()]
    for test in (statistics.logrank_test, statistics.multivariate_logrank_test):
        assert "entry" not in inspect.signature(test).parameters


def test_cox_time_varying_loops_over_event_times():
    """``CoxTimeVaryingFitter``'s gradient is a Python loop over the distinct event times
    (O(rows x event times) per Newton step: 70-119 s a model at 100,000 patients, see the
    module docstring)."""
    source = inspect.getsource(CoxTimeVaryingFitter._get_gradients)
    assert "for t in unique_death_times" in source
