"""The one rule of a test (issue 19 §3): below the minimum sizes a comparison is described
without a p-value, and the text says why; the R/R and MRD+ chapters' comparisons all ask it."""

from __future__ import annotations

import math

import pytest

import dataset_family as family
from blina_analysis.analyses import Analysis
from blina_analysis.analyses.testable import NoTestReason, outcome_events, why_not_tested
from blina_analysis.data.io import load
from blina_analysis.definitions import MIN_EVENTS_FOR_TEST, MIN_PATIENTS_FOR_TEST
from blina_analysis.report import tables
from blina_analysis.report.text import page_values


def test_the_rule_at_its_edges():
    m, e = MIN_PATIENTS_FOR_TEST, MIN_EVENTS_FOR_TEST
    assert why_not_tested([m, m], e) is None
    assert why_not_tested([m - 1, 40], 20).reason is NoTestReason.TOO_FEW_PATIENTS
    assert why_not_tested([m - 1, 40], 20).smallest_group == m - 1
    assert why_not_tested([40, 40], e - 1).reason is NoTestReason.TOO_FEW_EVENTS
    assert why_not_tested([40], 20).reason is NoTestReason.TOO_FEW_PATIENTS  # one group
    assert outcome_events(29, 43) == 14 and outcome_events(2, 43) == 2


@pytest.fixture(scope="module")
def three_rr(tmp_path_factory):
    path = family.write_case("three_rr_patients", tmp_path_factory.mktemp("three") / "d")
    return Analysis(load(path))


def test_no_p_value_on_a_handful(three_rr):
    """Three R/R patients: no subgroup p, no Mantel–Byar, no landmark p; the text says why."""
    t = three_rr.subgroup_response()
    assert len(t) == 0 or t["p_value"].isna().all() and t["p_holm"].isna().all()
    if len(t):
        assert set(tables.subgroup_table(t)["p (Holm)"]) <= {"no test", ""}
    v = page_values("chapters/rr_results", three_rr)
    assert "p = " not in v["rr_by_response_text"] and "p = " not in v["rr_subgroups_text"]
    assert "a test needs" in v["rr_subgroups_text"]


def test_the_shipped_comparisons_are_tested_and_consistent():
    an = Analysis.from_dir(family.ROOT / "data" / "synthetic" if hasattr(family, "ROOT")
                           else "data/synthetic")
    t = an.subgroup_response()
    heads = t.drop_duplicates("code")
    assert heads["not_tested"].isna().all() or all(x is None for x in heads["not_tested"])
    # Holm never lowers a p-value, and the figure shows the same adjusted p as the table
    assert (heads["p_holm"] >= heads["p_value"] - 1e-15).all()
    from blina_analysis.analyses import subgroup_forest_table
    f = subgroup_forest_table(an)
    shown = f.loc[f["p_value"].notna(), "p_value"].tolist()
    assert shown == heads["p_holm"].tolist()
    assert f.loc[f["unknown"], "label"].eq("unknown").all() and f["unknown"].sum() == 1
    s = an.response_state("rr", "OS")
    assert s.not_tested is None and 0 < s.cox.table["hr"].iloc[0] < math.inf
    assert s.n_responded + s.n_never == s.n == an.n("rr")
