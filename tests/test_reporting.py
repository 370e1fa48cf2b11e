"""Statistics as a journal presents them: not-estimable values, NR vs NE, numbers at risk beside
survival estimates, transplant analyses from response, comparisons by response, signed
differences (issue 10, section 3)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from blina_analysis import stats
from blina_analysis.analyses import Analysis
from blina_analysis.report.tables import concordance_table
from blina_analysis.analyses.results import compute_results
from blina_analysis.report import tables
from blina_analysis.report.text import page_values

ROOT = Path(__file__).resolve().parent.parent
MINUS = "\u2212"


@pytest.fixture(scope="module")
def shipped() -> Analysis:
    return Analysis.from_dir(ROOT / "data" / "synthetic")


def test_survival_table_shows_numbers_at_risk_and_not_estimable_readings():
    """A curve that dropped to 0 reads 0% (n.e.) after its end; one that ends censored reads
    "not estimable"; the number still at risk stands beside each estimate."""
    dropped = stats.kaplan_meier([100, 200, 300, 400], [1, 0, 1, 1])  # ends at 0 on day 400
    censored = stats.kaplan_meier([100, 500, 600, 700], [1, 1, 0, 0])  # ends censored, day 700
    t = tables.survival_table({"dropped": dropped, "censored": censored}).set_index("Population")
    assert list(t.columns) == ["N", "Events", "12 months, % (95% CI)", "At risk at 12 months",
                               "24 months, % (95% CI)", "At risk at 24 months",
                               "Median, months (95% CI)"]
    assert t.loc["dropped", "24 months, % (95% CI)"] == "0% (n.e.)"
    assert t.loc["censored", "24 months, % (95% CI)"] == "not estimable"
    assert t.loc["censored", "12 months, % (95% CI)"].startswith("75% (")
    assert (t.loc["dropped", "At risk at 12 months"], t.loc["censored", "At risk at 12 months"]
            ) == ("1", "3")
    assert t.loc["censored", "Median, months (95% CI)"].endswith("n.e.)")
    assert "not reached" not in t.loc["censored", "Median, months (95% CI)"]
    assert "NA" not in t.to_string()


def test_shipped_survival_table_numbers_at_risk_equal_the_curves(shipped):
    curve = shipped.km("rr_responders", "OS")
    t = tables.survival_table({"x": curve})
    # 12 months = 12 x 30.4375 = 365.25 days: patients followed for at least 366 whole days
    assert t.loc[0, "At risk at 12 months"] == str(int((shipped.tte("rr_responders", "OS")[
        "time_days"] >= 366).sum()))
    assert t.loc[0, "24 months, % (95% CI)"] == "40% (22–58%)"  # unchanged from before


def _figure_at_risk(fig, row: int = 0) -> list[str]:
    """The numbers at risk printed under a figure, one per x tick, for curve ``row``."""
    from blina_analysis.report.figures import AT_RISK_LABEL

    (tab,) = [a for a in fig.axes if a.get_label() == AT_RISK_LABEL]
    return [t.get_text() for t in tab.texts if t.get_gid() == f"at-risk-{row}"]


def test_table_and_figure_count_the_same_patients_at_risk_at_12_and_24_months():
    """One definition of "at risk at m months" (m x 30.4375 days, time >= that) in the table and
    under the figure. Patients with exactly 365 and 730 days are the test: 12 months are 365.25
    days and 24 months 730.5, so neither is still at risk then (counted by hand below)."""
    import matplotlib.pyplot as plt

    from blina_analysis import figures

    time = [30, 200, 365, 365, 366, 400, 700, 730, 731, 900]
    event = [1, 0, 1, 0, 1, 0, 1, 0, 1, 0]
    by_hand = {12: 6, 24: 2}  # times >= 365.25: 366 400 700 730 731 900; >= 730.5: 731 900
    curve = stats.kaplan_meier(time, event, label="all")
    table = tables.survival_table({"all": curve}).iloc[0]
    numbers = tables.survival_numbers({"all": curve}).iloc[0]
    fig = figures.km_plot(curve, times=[0, 12, 24])
    try:
        under_figure = _figure_at_risk(fig)
    finally:
        plt.close(fig)
    assert under_figure == ["10", str(by_hand[12]), str(by_hand[24])]
    for months, n in by_hand.items():
        assert table[f"At risk at {months} months"] == str(n)
    assert (numbers["at_risk_365.25d"], numbers["at_risk_730.5d"]) == (by_hand[12], by_hand[24])


def test_shipped_table_and_figure_agree_on_the_numbers_at_risk(shipped):
    """Every survival table of the results chapters against the figure of the same curve, and
    both against a hand count of the patients with time >= m x 30.4375 days."""
    import matplotlib.pyplot as plt

    from blina_analysis import figures

    for pop, endpoint in (("rr", "OS"), ("mrd", "DFS"), ("responders", "OS"),
                          ("rr_responders", "DFS"), ("mrd_non_responders", "DFS")):
        curve = shipped.km(pop, endpoint)
        time = shipped.tte(pop, endpoint)["time_days"].to_numpy()
        by_hand = [str(int((time >= months * 30.4375).sum())) for months in (12, 24)]
        row = tables.survival_table({pop: curve}).iloc[0]
        fig = figures.km_plot(curve, times=[0, 12, 24])
        try:
            assert _figure_at_risk(fig)[1:] == by_hand, (pop, endpoint)
        finally:
            plt.close(fig)
        assert [row["At risk at 12 months"], row["At risk at 24 months"]] == by_hand


def test_median_follow_up_comes_with_its_observed_range(shipped):
    """Reverse KM median with the range of follow-up of the patients alive at last contact,
    never an interval ending in NR."""
    from blina_analysis.report.text.methods import median_followup

    value = median_followup(shipped)
    os_ = shipped.tte("all", "OS")
    alive = os_.loc[os_["event"] == 0, "time_days"] / 30.4375
    assert value == (f"29.8 months (range {alive.min():.1f}–{alive.max():.1f} months in "
                     "patients alive at last contact)")
    assert page_values("chapters/methods", shipped)["followup_sentence"] == (
        f"Median follow-up, by the reverse Kaplan–Meier method, was 29.8 months; it rests on the "
        f"{len(alive)} patients alive at last contact, followed for {alive.min():.1f} to "
        f"{alive.max():.1f} months.")
    assert page_values("index", shipped)["followup_sentence"].startswith(
        "Median follow-up (reverse Kaplan–Meier) was 29.8 months; it rests on the ")
    assert compute_results(shipped)["median_followup_days"] == 907


def test_transplant_analyses_share_the_response_origin(shipped):
    """The relapse/NRM incidence is timed from response, as the transplant analyses: the
    cause-specific Cox model of relapse uses exactly the relapses the incidence counts."""
    cif = shipped.relapse_nrm_from_response()
    time, event, _ = shipped.from_response("CIR")
    assert cif["relapse"].n_events == int((event == 1).sum())
    assert cif["relapse"].table["time"].min() == time.min()
    relapse = shipped.time_varying_cox("relapse")
    nrm = shipped.time_varying_cox("NRM")
    assert (relapse.n_events, nrm.n_events) == (cif["relapse"].n_events,
                                                cif["non-relapse mortality"].n_events)
    ref = stats.time_varying_cox(time, (event == 1).astype(int), shipped.from_response("DFS")[2])
    assert relapse.table.loc["exposed", "hr"] == ref.table.loc["exposed", "hr"]


def test_cox_models_pooled_and_stratified_by_cohort(shipped):
    t = shipped.transplant_cox_table()
    assert list(t["model"]) == ["pooled", "stratified by cohort"] * 4
    pooled = t[t["model"] == "pooled"].set_index("endpoint")
    assert pooled.loc["relapse-free survival from response", "hr"] == pytest.approx(1.0785, abs=1e-4)
    groups = shipped.patients("responders")["group"].to_numpy()
    ref = stats.time_varying_cox(*shipped.from_response("DFS"), strata=groups)
    strat = t[t["model"] == "stratified by cohort"].set_index("endpoint")
    assert strat.loc["relapse-free survival from response", "hr"] == ref.table.loc["exposed", "hr"]
    shown = tables.transplant_cox_table(t)
    assert list(shown.columns) == ["Endpoint", "Events", "Pooled: HR (95% CI)", "Pooled: p",
                                   "Stratified by cohort: HR (95% CI)",
                                   "Stratified by cohort: p"]
    from blina_analysis.report.text.transplant import time_varying_cox

    dfs = time_varying_cox(shipped, "DFS")
    assert dfs == "HR 1.08 (95% CI 0.49–2.36), p = 0.850"  # as before
    strat = time_varying_cox(shipped, "DFS", stratified=True)
    v = page_values("chapters/transplant", shipped)
    assert f"was {dfs} for RFS" in v["tv_cox_text"] and f": {strat} for RFS" in v["tv_cox_text"]
    assert f"for relapse {time_varying_cox(shipped, 'relapse')} (stratified by cohort: HR " in (
        v["cif_text"])


def test_landmark_sensitivity_contains_the_main_landmark(shipped):
    t = shipped.landmark_sensitivity("DFS")
    assert list(t["landmark"]) == [60, 90, 120, 180]
    main = shipped.landmark("DFS")
    row = t.set_index("landmark").loc[90]
    assert (row["n_at_risk"], row["n_excluded"], row["n_exposed"]) == (
        main.n_at_risk, main.n_excluded, main.n_exposed)
    assert row["p_value"] == main.test.p_value
    shown = tables.landmark_sensitivity_table(t)
    assert len(shown) == 4 and shown.iloc[1]["p (log-rank)"] == "0.309"


def test_survival_by_response_uses_the_response_landmark_and_mantel_byar(shipped):
    """Responders vs non-responders: a landmark at the response assessment (patients in
    follow-up then, by response by then) and the Mantel-Byar test, never from time zero."""
    from blina_analysis.definitions import RESPONSE_LANDMARK_DAYS

    lm = shipped.response_landmark("rr", "OS")
    os_ = shipped.tte("rr", "OS")
    sub = shipped.patients("rr")
    alive = (os_["time_days"] > RESPONSE_LANDMARK_DAYS).to_numpy()
    responded = (sub["responder"] & (sub["days_to_response"] <= RESPONSE_LANDMARK_DAYS)).to_numpy()
    assert lm.n_at_risk == int(alive.sum()) and lm.n_exposed == int((alive & responded).sum())
    mb = shipped.response_mantel_byar("rr", "OS")
    assert mb.test_name == "Mantel-Byar" and mb.df == 1
    v = page_values("chapters/rr_results", shipped)["rr_by_response_text"]
    assert f", {lm.n_at_risk} R/R patients were alive and in follow-up, {lm.n_exposed} of" in v
    assert "times the hazard before or without it (time-dependent Cox model; Mantel–Byar test p = " in v
    m = page_values("chapters/mrd_results", shipped)["mrd_by_response_text"]
    assert f", {shipped.response_landmark('mrd', 'DFS').n_exposed} of them MRD-negative" in m


def test_concordance_differences_are_signed_with_a_true_minus(shipped):
    results = dict(compute_results(shipped))
    results["rr_response_n"] = results["rr_response_n"] - 2
    results["mrd_os_2y"] = results["mrd_os_2y"] - 0.031
    results["rr_mrdneg_n"] = results["rr_mrdneg_n"] + 1
    t = concordance_table(results).set_index("key")
    assert t.loc["rr_response_n", "difference"] == f"{MINUS}2"
    assert t.loc["rr_mrdneg_n", "difference"] == "+1"
    assert t.loc["n_total", "difference"] == "0"
    assert t.loc["mrd_os_2y", "difference"].startswith(MINUS)
    assert not t["difference"].str.contains("-", regex=False).any()


def test_new_analyses_are_not_estimable_rather_than_crashing_without_transplants(shipped):
    """Nobody transplanted after blinatumomab: the models have no information, and say why."""
    from blina_analysis.errors import NoInformation
    from blina_analysis.report.text.reasons import explain
    from blina_analysis.report.text.transplant import time_varying_cox

    ds = shipped.dataset
    patients = ds.patients.assign(hsct_after_bc=False, hsct_after_bc_date=pd.NaT)
    an = Analysis(type(ds)(**{**ds.__dict__, "patients": patients}))
    why = "No responder was transplanted after blinatumomab, so the transplant analyses have no"
    for make in (lambda: an.time_varying_cox("relapse", stratified=True),
                 lambda: an.landmark_sensitivity("DFS"),
                 lambda: time_varying_cox(an, "relapse"),
                 lambda: time_varying_cox(an, "DFS", stratified=True)):
        with pytest.raises(NoInformation) as caught:
            make()
        assert explain(caught.value).startswith(why)
    t = an.transplant_cox_table()  # every row "not estimable"
    assert np.isnan(t["hr"]).all()
    assert tables.transplant_cox_table(t)["Pooled: HR (95% CI)"].eq("not estimable").all()
    v = page_values("chapters/transplant", an)
    assert v["tv_cox_text"].startswith(why) and v["cif_text"].endswith("no information.")
