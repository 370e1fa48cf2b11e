"""Tests of the figures module on tiny fake inputs (the stats layer is not imported).

The fakes are duck-typed stand-ins for the stats layer's curve objects: ``FakeKM`` has the columns
and methods of a survival curve, ``FakeCIF`` those of a cumulative incidence curve. Their numbers
are computed here by hand-simple formulas; the figures module must only draw them.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402

from blina_analysis import figures  # noqa: E402
from blina_analysis.report.figures import swimmer  # noqa: E402
from blina_analysis.definitions import DAYS_PER_MONTH  # noqa: E402
from blina_analysis.errors import BlinaError  # noqa: E402

M = DAYS_PER_MONTH


# --------------------------------------------------------------------------------------------------
# fakes


def _km_table(time, event) -> pd.DataFrame:
    time = np.asarray(time, dtype=float)
    event = np.asarray(event, dtype=bool)
    rows, s, var = [], 1.0, 0.0
    for t in np.unique(time):
        n_risk = int((time >= t).sum())
        d = int(((time == t) & event).sum())
        c = int(((time == t) & ~event).sum())
        s *= 1 - d / n_risk
        if n_risk > d:
            var += d / (n_risk * (n_risk - d))
        se = s * np.sqrt(var)
        rows.append((t, n_risk, d, c, s, se, max(0.0, s - 1.96 * se), min(1.0, s + 1.96 * se)))
    return pd.DataFrame(rows, columns=["time", "n_risk", "n_event", "n_censor", "survival",
                                       "std_err", "ci_low", "ci_high"])


@dataclass
class FakeKM:
    label: str
    time: list
    event: list
    table: pd.DataFrame = field(init=False)

    def __post_init__(self):
        self.table = _km_table(self.time, self.event)

    @property
    def n(self) -> int:
        return len(self.time)

    def number_at_risk(self, times):
        t = np.asarray(self.time, dtype=float)
        return np.array([(t >= x).sum() for x in np.atleast_1d(times)], dtype=int)


@dataclass
class FakeCIF:
    label: str
    cause: int
    time: list
    status: list  # 0 censored, 1, 2 causes
    table: pd.DataFrame = field(init=False)

    def __post_init__(self):
        time = np.asarray(self.time, dtype=float)
        status = np.asarray(self.status)
        rows, s, cif = [], 1.0, 0.0
        for t in np.unique(time):
            n_risk = int((time >= t).sum())
            d_k = int(((time == t) & (status == self.cause)).sum())
            d_o = int(((time == t) & (status > 0) & (status != self.cause)).sum())
            c = int(((time == t) & (status == 0)).sum())
            cif += s * d_k / n_risk
            s *= 1 - (d_k + d_o) / n_risk
            rows.append((t, n_risk, d_k, d_o, c, cif, 0.05, max(0.0, cif - 0.1),
                         min(1.0, cif + 0.1)))
        self.table = pd.DataFrame(rows, columns=["time", "n_risk", "n_event_cause",
                                                 "n_event_other", "n_censor", "cif", "std_err",
                                                 "ci_low", "ci_high"])

    @property
    def n(self) -> int:
        return len(self.time)


def two_curves():
    a = FakeKM("responders", [2 * M, 5 * M, 7 * M, 7 * M, 13 * M, 20 * M, 25 * M],
               [1, 0, 1, 1, 0, 1, 0])
    b = FakeKM("non-responders", [1 * M, 2.5 * M, 3 * M, 8 * M, 9 * M], [1, 1, 0, 1, 1])
    return a, b


def swim_lanes(n: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    fu = rng.uniform(30, 1200, n)
    resp = np.where(rng.random(n) < 0.7, rng.uniform(20, 60, n), np.nan)
    mrd = np.where(~np.isnan(resp) & (rng.random(n) < 0.8), resp, np.nan)
    hsct = np.where(~np.isnan(resp) & (rng.random(n) < 0.4), resp + rng.uniform(30, 120, n), np.nan)
    rel = np.where(~np.isnan(resp) & (rng.random(n) < 0.3), resp + rng.uniform(60, 400, n), np.nan)
    hsct = np.where(hsct > fu, np.nan, hsct)
    rel = np.where(rel > fu, np.nan, rel)
    dead = rng.random(n) < 0.4
    return pd.DataFrame({
        "lane": np.arange(n),
        "group": np.where(rng.random(n) < 0.35, "MRD+", "R/R"),
        "followup_days": fu,
        "response_days": resp,
        "mrd_negative_days": mrd,
        "hsct_days": hsct,
        "relapse_days": rel,
        "death_days": np.where(dead, fu, np.nan),
        "ongoing": ~dead,
    })


def forest_table() -> pd.DataFrame:
    return pd.DataFrame({
        "group": ["cohort", "cohort", "age", "age"],
        "label": ["MRD+", "R/R", "< 18 years", "\u2265 18 years"],
        "n": [15, 29, 20, 24],
        "N": [23, 43, 30, 36],
        "rate": [15 / 23, 29 / 43, 20 / 30, 24 / 36],
        "ci_low": [0.43, 0.51, 0.47, 0.49],
        "ci_high": [0.84, 0.81, 0.83, 0.81],
        "p_value": [np.nan, 0.84, np.nan, 1.0],
    })


# Every level adds up to its parent: 66 = 23 + 43; 23 = 0 + 20 + 3; 20 = 9 + 11; 9 = 5 + 2 + 2 ...
COUNTS = dict(
    enrolled=66,
    mrd=23, mrd_pending=0, mrd_responders=20, mrd_non_responders=3, mrd_positive=2,
    mrd_not_assessed=1, mrd_hsct_after=9, mrd_hsct_after_alive_in_remission=5,
    mrd_hsct_after_relapsed=2, mrd_hsct_after_died_without_relapse=2, mrd_no_hsct_after=11,
    mrd_no_hsct_after_alive_in_remission=6, mrd_no_hsct_after_relapsed=3,
    mrd_no_hsct_after_died_without_relapse=2, mrd_non_responders_alive=1,
    mrd_non_responders_died=2,
    rr=43, rr_pending=0, rr_responders=29, rr_non_responders=14, rr_cr=25, rr_crh=4, rr_nr=11,
    rr_ne=3, rr_hsct_after=17, rr_hsct_after_alive_in_remission=8, rr_hsct_after_relapsed=5,
    rr_hsct_after_died_without_relapse=4, rr_no_hsct_after=12,
    rr_no_hsct_after_alive_in_remission=3, rr_no_hsct_after_relapsed=6,
    rr_no_hsct_after_died_without_relapse=3, rr_non_responders_alive=2, rr_non_responders_died=12)


def ae_table() -> pd.DataFrame:
    return pd.DataFrame({
        "category": ["cytokine release syndrome", "neurological events", "infections",
                     "neutropenia"],
        "grade_1_2": [20, 9, 10, 2],
        "grade_3": [3, 2, 8, 10],
        "grade_4": [1, 1, 2, 14],
        "grade_5": [0, 0, 1, 0],
        "N": [66, 66, 66, 66],
    })


@pytest.fixture(autouse=True)
def no_figure_leak():
    """Every test closes its figures (checked after the test, then cleaned up anyway)."""
    assert plt.get_fignums() == []
    yield
    leaked = plt.get_fignums()
    plt.close("all")
    assert leaked == [], f"figures left open: {leaked}"


def _texts(ax):
    return [t.get_text() for t in ax.texts]


def _at_risk_axes(fig):
    (tab,) = [a for a in fig.axes if a.get_label() == figures.AT_RISK_LABEL]
    return tab


# --------------------------------------------------------------------------------------------------
# 1. survival curves


def _solid(ax):
    return [ln for ln in ax.lines
            if ln.get_drawstyle() == "steps-post" and ln.get_gid() != "fewer-at-risk"]


def _faded(ax):
    return [ln for ln in ax.lines if ln.get_gid() == "fewer-at-risk"]


def test_km_plot_draws_curves_censor_marks_and_at_risk_table():
    a, b = two_curves()
    fig = figures.km_plot([a, b], times=[0, 6, 12, 18, 24])
    ax = fig.axes[0]
    step_lines = _solid(ax)
    assert len(step_lines) == 2
    x, y = step_lines[0].get_data()
    assert (x[0], y[0]) == (0.0, 1.0)
    # responders: at risk 7, 6, 5 at 2, 5, 7 months, then 3, 2, 1: solid to 7 months, then faded
    np.testing.assert_allclose(x[1:], [2, 5, 7])
    (fx, fy), = [ln.get_data() for ln in _faded(ax) if ln.get_color() == step_lines[0].get_color()]
    np.testing.assert_allclose(fx, [7, 13, 20, 25])
    assert fy[0] == y[-1]  # the faded part goes on from where the solid one stops
    censor_lines = [ln for ln in ax.lines if ln.get_marker() == "+"]
    assert len(censor_lines) == 1  # the censoring at 3 months of non-responders is in the faded part
    assert len(ax.collections) == 2  # one CI band per curve, over its solid part only
    assert ax.get_xlabel() == "months since start of blinatumomab"
    assert ax.get_ylabel() == "survival"
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "responders", "non-responders", "censored", "fewer than 5 at risk"]
    assert ax.get_title() == "" and fig.get_suptitle() == ""

    tab = _at_risk_axes(fig)
    for row, curve in enumerate((a, b)):
        counts = [t.get_text() for t in tab.texts if t.get_gid() == f"at-risk-{row}"]
        expected = curve.number_at_risk(np.array([0, 6, 12, 18, 24]) * M)
        assert counts == [str(v) for v in expected]
    assert counts == ["5", "2", "0", "0", "0"]  # non-responders: times 1, 2.5, 3, 8, 9 months
    # counts sit at the ticks, in the curve colour
    xs = [t.get_position()[0] for t in tab.texts if t.get_gid() == "at-risk-0"]
    np.testing.assert_allclose(xs, ax.get_xticks())
    assert {t.get_color() for t in tab.texts if t.get_gid() == "at-risk-1"} == {
        step_lines[1].get_color()}
    assert "responders" in _texts(tab) and "number at risk" in _texts(tab)
    plt.close(fig)


def test_km_plot_default_ticks_and_alt_text():
    """The axis ends at the longest follow-up (25 months), numbers at risk every 6 months; the
    y axis names the endpoint."""
    a, b = two_curves()
    fig = figures.km_plot([a, b], endpoint="overall survival", show_ci=False)
    ax = fig.axes[0]
    assert list(ax.get_xticks()) == [0, 6, 12, 18, 24]
    assert ax.get_xlim() == (0.0, 25.0)
    assert ax.get_ylabel() == "overall survival"
    assert len(ax.collections) == 0
    assert [t.get_text() for t in ax.get_yticklabels()][-1] == "100%"
    text = figures.alt_text(fig)
    assert text == ("Kaplan\u2013Meier curves of overall survival for responders (n = 7) and "
                    "non-responders (n = 5) over 25 months, with numbers at risk below.")
    plt.close(fig)


def test_km_plot_at_risk_every_six_months_up_to_long_follow_up():
    long = FakeKM("all", [m * M for m in range(3, 100, 4)], [1] * 25)  # to 99 months
    fig = figures.km_plot(long)
    ticks = list(fig.axes[0].get_xticks())
    assert ticks[:3] == [0, 12, 24] and ticks[-1] == 96  # 6 months would give 17 columns
    assert fig.axes[0].get_xlim()[1] == 99.0
    plt.close(fig)
    short = FakeKM("all", [0.5 * M, 2 * M, 4 * M], [1, 0, 1])
    fig = figures.km_plot(short)
    assert list(fig.axes[0].get_xticks()) == [0, 1, 2, 3, 4]
    plt.close(fig)


def test_a_curve_whose_patients_enter_late_starts_where_someone_is_at_risk():
    """Simon–Makuch: nobody is transplanted at month 0, so no curve is drawn there."""
    table = pd.DataFrame({
        "time": [1 * M, 2 * M, 3 * M, 4 * M, 5 * M, 6 * M, 8 * M],
        "n_risk": [0, 1, 2, 5, 6, 5, 2], "n_event": [0, 0, 0, 1, 0, 0, 1],
        "n_censor": [0, 0, 0, 0, 0, 0, 1],
        "survival": [1.0, 1.0, 1.0, 0.8, 0.8, 0.8, 0.4], "std_err": 0.1,
        "ci_low": [1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.1], "ci_high": 1.0})

    @dataclass
    class Entering:
        label: str
        n: int
        table: pd.DataFrame

    fig = figures.km_plot(Entering("transplanted", 7, table))
    ax = fig.axes[0]
    (solid,) = _solid(ax)
    x, y = solid.get_data()
    np.testing.assert_allclose(x, [3, 4, 5, 6])  # from the stretch with 5 at risk
    faded = [ln.get_data()[0] for ln in _faded(ax)]
    np.testing.assert_allclose(faded[0], [1, 2, 3])  # 1 and 2 at risk; nothing before month 1
    np.testing.assert_allclose(faded[1], [6, 8])
    assert min(float(f.min()) for f in faded) == 1.0
    plt.close(fig)


def test_the_note_is_the_legend_title_above_the_axes():
    """A p-value label inside the axes can land on a curve; above them it cannot."""
    a, b = two_curves()
    fig = figures.km_plot([a, b], note="p = 0.012 (log-rank)")
    ax = fig.axes[0]
    legend = ax.get_legend()
    assert legend.get_title().get_text() == "p = 0.012 (log-rank)"
    fig.canvas.draw()
    box = legend.get_window_extent()
    assert box.y0 >= ax.get_window_extent().y1
    assert "p = 0.012" not in _texts(ax)
    plt.close(fig)


def test_km_plot_single_curve_into_given_axes_and_without_method():
    """A curve without number_at_risk falls back to the table; the given axes is used."""

    @dataclass
    class Bare:
        label: str
        n: int
        table: pd.DataFrame

    a, _ = two_curves()
    bare = Bare("all patients", a.n, a.table)
    fig, ax = plt.subplots()
    out = figures.km_plot(bare, ax=ax, times=[0, 3, 6, 12])
    assert out is fig
    counts = [t.get_text() for t in _at_risk_axes(fig).texts if t.get_gid() == "at-risk-0"]
    assert counts == [str(v) for v in a.number_at_risk(np.array([0, 3, 6, 12]) * M)]
    assert "(n = 7)" in figures.alt_text(fig)
    plt.close(fig)


@pytest.mark.parametrize("bad, match", [
    ([], "at least one curve"),
    ("table", "missing column"),
])
def test_km_plot_rejects_bad_curves(bad, match):
    if bad == "table":
        @dataclass
        class NoCols:
            label: str = "x"
            n: int = 1
            table: pd.DataFrame = field(default_factory=lambda: pd.DataFrame({"time": [1.0]}))
        bad = [NoCols()]
    with pytest.raises(BlinaError, match=match):
        figures.km_plot(bad)
    plt.close("all")


def test_cif_plot_two_causes():
    t = [1 * M, 2 * M, 3 * M, 4 * M, 6 * M, 8 * M, 9 * M, 12 * M]
    st = [1, 2, 0, 1, 1, 0, 2, 0]
    rel = FakeCIF("relapse", 1, t, st)
    nrm = FakeCIF("non-relapse mortality", 2, t, st)
    fig = figures.cif_plot([rel, nrm], times=[0, 3, 6, 9, 12])
    ax = fig.axes[0]
    lines = _solid(ax)
    assert len(lines) == 2
    assert lines[0].get_ydata()[0] == 0.0
    # at risk 8, 7, 6, 5 up to 4 months, then fewer: solid to 4 months
    np.testing.assert_allclose(lines[0].get_xdata(), [0, 1, 2, 3, 4])
    np.testing.assert_allclose(lines[0].get_ydata()[-1], rel.table["cif"].iloc[3])
    assert ax.get_ylabel().replace("\n", " ") == (
        "cumulative incidence of relapse and non-relapse mortality")
    # one fit, one risk set: one row of numbers at risk, not the same row twice
    tab = _at_risk_axes(fig)
    counts = [t.get_text() for t in tab.texts if t.get_gid() == "at-risk-0"]
    assert counts == ["8", "6", "4", "2", "1"]  # time >= 0, 3, 6, 9, 12 months (table look-up)
    assert not [t for t in tab.texts if t.get_gid() == "at-risk-1"]
    assert "relapse" not in _texts(tab)
    text = figures.alt_text(fig)
    assert "relapse (n = 8)" in text and "non-relapse mortality (n = 8)" in text
    plt.close(fig)


def test_cif_plot_of_two_groups_keeps_a_row_each():
    rel_a = FakeCIF("group A", 1, [1 * M, 2 * M, 3 * M], [1, 0, 1])
    rel_b = FakeCIF("group B", 1, [1 * M, 2 * M, 4 * M], [1, 0, 1])
    fig = figures.cif_plot([rel_a, rel_b], ylabel="cumulative incidence of relapse")
    tab = _at_risk_axes(fig)
    assert [t for t in tab.texts if t.get_gid() == "at-risk-1"]
    assert fig.axes[0].get_ylabel() == "cumulative incidence of relapse"
    plt.close(fig)


# --------------------------------------------------------------------------------------------------
# 2. forest plot


def test_forest_plot_text_columns_and_reference():
    fig = figures.forest_plot(forest_table(), reference=44 / 66, reference_label="overall",
                              label_header="subgroup")
    main = fig.axes[0]
    labels = next(a for a in fig.axes if a.get_label() == "labels")
    columns = next(a for a in fig.axes if a.get_label() == "columns")
    assert _texts(labels) == ["subgroup", "cohort", "MRD+", "R/R", "age", "< 18 years",
                              "\u2265 18 years"]
    col = _texts(columns)
    assert "29/43" in col and "15/23" in col
    assert "67% (51\u201381%)" in col
    assert "rate (95% CI)" in col
    assert "p = 0.840" in col and "p = 1.000" in col
    assert "p = NA" not in col
    (points,) = [ln for ln in main.lines if ln.get_marker() == "s"]
    np.testing.assert_allclose(points.get_xdata(), forest_table()["rate"])
    np.testing.assert_array_equal(points.get_ydata(), [1, 2, 4, 5])  # headings take rows 0 and 3
    assert len(main.collections) == 2  # reference line + CI whiskers
    assert "overall" in _texts(main)
    text = figures.alt_text(fig)
    assert "R/R 67% (29/43)" in text and "dashed line at 67%" in text
    plt.close(fig)


def test_forest_plot_without_groups_or_p_values():
    table = forest_table().drop(columns=["group", "p_value"])
    fig = figures.forest_plot(table)
    columns = next(a for a in fig.axes if a.get_label() == "columns")
    assert _texts(columns)[:2] == ["n/N", "rate (95% CI)"]
    assert not any(t.startswith("p ") for t in _texts(columns))
    plt.close(fig)


def test_forest_plot_rejects_missing_columns():
    with pytest.raises(BlinaError, match="missing column"):
        figures.forest_plot(pd.DataFrame({"label": ["a"], "rate": [0.5]}))


# --------------------------------------------------------------------------------------------------
# 3. swimmer plot


def test_swimmer_lane_view():
    lanes = swim_lanes(30)
    fig = figures.swimmer_plot(lanes)
    ax = fig.axes[0]
    assert len(ax.patches) == 30  # one bar per lane
    labels = [t.get_text() for t in ax.get_yticklabels()]
    n_rr = int((lanes["group"] == "R/R").sum())
    assert f"R/R\n(n = {n_rr})" in labels
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert {"response", "MRD negativity", "relapse", "death", "follow-up ongoing"} <= set(legend)
    # sorted by follow-up within group, longest at the top
    first_group = lanes["group"].iloc[0]
    widths = [p.get_width() for p in ax.patches][: int((lanes["group"] == first_group).sum())]
    assert widths == sorted(widths, reverse=True)
    assert "30 patients" in figures.alt_text(fig)
    plt.close(fig)


def _occupation(lanes):
    """State occupation of fake lanes by group (response, death; censored at follow-up)."""
    from blina_analysis.stats import state_occupation

    out = {}
    for group, sub in lanes.groupby("group"):
        rows = []
        for lane in sub.itertuples():
            t0, state = 0.0, "not_yet"
            if np.isfinite(lane.response_days) and lane.response_days < lane.followup_days:
                rows.append((lane.lane, 0.0, lane.response_days, state, "response"))
                t0, state = lane.response_days, "response"
            end = "death" if np.isfinite(lane.death_days) else state
            rows.append((lane.lane, t0, lane.followup_days, state, end))
        r = pd.DataFrame(rows, columns=["id", "t0", "t1", "a", "b"])
        out[group] = state_occupation(r["id"], r["t0"], r["t1"], r["a"], r["b"],
                                      tuple(code for code, *_ in reversed(swimmer._STATES)))
    return out


def test_swimmer_switches_to_state_occupation_above_max_lanes():
    lanes = swim_lanes(30)
    fig = figures.swimmer_plot(lanes, occupation=_occupation(lanes), max_lanes=20)
    assert len(fig.axes) == 2  # one panel per group
    for ax in fig.axes:
        assert len(ax.patches) == 0
        solid = [c for c in ax.collections if c.get_gid() == "solid"]
        assert len(solid) == len(swimmer._STATES)
    assert "Aalen\u2013Johansen" in figures.alt_text(fig)
    plt.close(fig)


def test_swimmer_state_occupation_needs_the_estimate():
    with pytest.raises(BlinaError, match="occupation"):
        figures.swimmer_plot(swim_lanes(30), max_lanes=20)
    plt.close("all")


def test_swimmer_state_occupation_is_fast_for_ten_thousand_lanes():
    lanes = swim_lanes(10_000)
    occupation = _occupation(lanes)
    start = time.perf_counter()
    fig = figures.swimmer_plot(lanes, occupation=occupation)
    fig.canvas.draw()
    elapsed = time.perf_counter() - start
    n_artists = sum(len(a.get_children()) for a in fig.axes)
    assert n_artists < 100  # no per-lane artists
    assert elapsed < 5
    assert f"R/R (n = {(lanes['group'] == 'R/R').sum()})" in figures.alt_text(fig)
    plt.close(fig)


def test_swimmer_lanes_mark_the_assessment_without_response():
    lanes = swim_lanes(12).assign(no_response=lambda d: d["response_days"].isna())
    fig = figures.swimmer_plot(lanes)
    ax = fig.axes[0]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "no response at assessment" in legend
    (marks,) = [ln for ln in ax.lines if ln.get_marker() == "^"]
    expected = (lanes["no_response"] & (lanes["followup_days"] >= 84)).sum()
    assert len(marks.get_xdata()) == expected
    np.testing.assert_allclose(marks.get_xdata(), 84 / M)
    plt.close(fig)


def test_swimmer_rejects_missing_columns():
    with pytest.raises(BlinaError, match="missing column"):
        figures.swimmer_plot(swim_lanes(5).drop(columns=["ongoing"]))


# --------------------------------------------------------------------------------------------------
# 4. CONSORT diagram and adverse events


def test_consort_diagram_boxes_and_text():
    fig = figures.consort_diagram(COUNTS)
    ax = fig.axes[0]
    texts = _texts(ax)
    assert "Enrolled and treated\nn = 66" in texts  # no record of screening or not treated
    assert "MRD+ cohort\nn = 23" in texts and "R/R cohort\nn = 43" in texts
    assert "Responded: CR or CRh\nn = 29 (67%)\nCR 25 · CRh 4" in texts
    assert "No response\nn = 14 (33%)\nNR 11\nNE (not evaluable) 3" in texts
    assert "No response\nn = 3 (13%)\nMRD positive 2\nMRD not assessed 1" in texts
    assert "At last follow-up\nalive in remission 8\nrelapsed 5\ndied without relapse 4" in texts
    assert "At last follow-up\nalive 2\ndied 12" in texts
    assert not any("not yet assessed" in t for t in texts)  # no such box without such patients
    # enrolled + per cohort: cohort, responded, no response, 2 HSCT branches, 3 follow-up boxes
    assert len(ax.patches) == 1 + 2 * 8
    alt = figures.alt_text(fig)
    assert "Enrolled and treated n = 66." in alt
    assert "29 of 43 assessed responded (CR 25, CRh 4)" in alt
    assert "14 did not (NR 11, NE (not evaluable) 3)" in alt
    plt.close(fig)


def test_consort_diagram_shows_screening_and_early_stops_where_recorded():
    from blina_analysis.analyses.description import Screening
    from blina_analysis.analyses.safety import Reasons

    fig = figures.consort_diagram(
        COUNTS, screening=Screening(80, (("not eligible", 9), ("declined", 3)),
                                    (("died before start", 2),), 66),
        stops=Reasons(5, (("adverse_event", 2), ("hsct", 2)), 1))
    texts = _texts(fig.axes[0])
    assert "Screened\nn = 80" in texts and "Excluded n = 12\nnot eligible 9\ndeclined 3" in texts
    assert "Enrolled\nn = 68" in texts and "Not treated n = 2\ndied before start 2" in texts
    assert "Treated\nn = 66" in texts
    assert ("Stopped early n = 5\nadverse event 2\nto proceed to allo-HSCT 2\n"
            "reason not recorded 1") in texts
    assert len(fig.axes[0].patches) == 6 + 2 * 8
    assert "Screened n = 80 (Excluded n = 12, not eligible 9, declined 3)." in figures.alt_text(fig)
    plt.close(fig)


def test_consort_diagram_sets_patients_not_yet_assessed_apart():
    counts = dict(COUNTS, enrolled=70, rr=47, rr_pending=4)
    fig = figures.consort_diagram(counts)
    texts = _texts(fig.axes[0])
    assert "Not yet assessed\n(still on treatment)\nn = 4" in texts
    # percentages of response are of the 43 assessed, not of the 47 in the cohort
    assert "Responded: CR or CRh\nn = 29 (67%)\nCR 25 · CRh 4" in texts
    assert len(fig.axes[0].patches) == 1 + 2 * 8 + 1
    assert "R/R cohort 47, 4 not yet assessed, 29 of 43 assessed responded" in figures.alt_text(fig)
    plt.close(fig)


@pytest.mark.parametrize("change, match", [
    ({"enrolled": None}, "missing"),
    ({"mrd": -1}, "non-negative integers"),
    ({"rr": 4.5}, "non-negative integers"),
    ({"rr_nr": 12}, r"rr_non_responders = 14 but rr_nr \+ rr_ne = 15"),
    ({"mrd_hsct_after_relapsed": 3}, r"mrd_hsct_after = 9 but .* = 10"),
    ({"enrolled": 67}, r"enrolled = 67 but mrd \+ rr = 66"),
])
def test_consort_diagram_rejects_bad_counts(change, match):
    counts = dict(COUNTS)
    for k, v in change.items():
        if v is None:
            del counts[k]
        else:
            counts[k] = v
    with pytest.raises(BlinaError, match=match):
        figures.consort_diagram(counts)


def test_ae_bar_plot_stacks_by_grade():
    table = ae_table()
    fig = figures.ae_bar_plot(table)
    ax = fig.axes[0]
    assert len(ax.patches) == 4 * 4
    first = ax.containers[0]  # grade 1-2
    np.testing.assert_allclose([p.get_width() for p in first], table["grade_1_2"] / 66)
    assert "24 (36%)" in _texts(ax)  # cytokine release syndrome, any grade
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["1\u20132", "3", "4", "5"]
    text = figures.alt_text(fig)
    assert "of 66 patients" in text and "neutropenia 26 (39%)" in text
    plt.close(fig)


@pytest.mark.parametrize("lang, words", [
    ("en", ["CRS", "neurologic", "hematologic", "infection", "hepatic", "other"]),
    ("ru", ["СВЦ", "неврологические", "гематологические", "инфекции", "печёночные", "другие"]),
])
def test_ae_bar_plot_names_the_data_categories_in_the_pages_language(lang, words):
    """The format's category codes are drawn and described as the page's tables name them: the
    code in English, the Russian glossary's word on a Russian page (never an English code)."""
    from blina_analysis.data.schema import AE_CATEGORIES
    from blina_analysis.i18n import use_language

    table = pd.DataFrame({"category": list(AE_CATEGORIES), "grade_1_2": [1] * 6,
                          "grade_3": [0] * 6, "grade_4": [0] * 6, "grade_5": [0] * 6,
                          "N": [10] * 6})
    with use_language(lang):
        fig = figures.ae_bar_plot(table)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == words
    alt = figures.alt_text(fig)
    assert [f"{word} 1 (10%)" in alt for word in words] == [True] * 6, alt
    if lang == "ru":
        assert not [code for code in AE_CATEGORIES if code in alt], alt
    plt.close(fig)


# --------------------------------------------------------------------------------------------------
# 5. alt text, style, determinism


def test_alt_text_of_a_foreign_figure_raises():
    fig = plt.figure()
    with pytest.raises(BlinaError, match="no alt text"):
        figures.alt_text(fig)
    plt.close(fig)


def test_import_leaves_global_style_alone():
    """Plotting functions use the house style inside a context; global rcParams stay unchanged."""
    before = dict(matplotlib.rcParams)
    fig = figures.km_plot(two_curves())
    assert fig.axes[0].spines["top"].get_visible() is False
    plt.close(fig)
    after = dict(matplotlib.rcParams)
    assert {k for k in before if before[k] != after[k]} == set()


def _draw_all():
    return [
        figures.km_plot(two_curves(), endpoint="overall survival"),
        figures.forest_plot(forest_table(), reference=0.6),
        figures.swimmer_plot(swim_lanes(25)),
        figures.swimmer_plot(swim_lanes(120), occupation=_occupation(swim_lanes(120))),
        figures.consort_diagram(COUNTS),
        figures.ae_bar_plot(ae_table()),
    ]


@pytest.mark.parametrize("suffix", ["png", "svg", "pdf"])
def test_saved_files_are_byte_identical(tmp_path, suffix):
    outputs = []
    for run in range(2):
        # PDF font embedding is slow: one figure is enough there
        figs = _draw_all() if suffix != "pdf" else [figures.km_plot(two_curves())]
        paths = [figures.save_figure(f, tmp_path / f"{run}-{i}.{suffix}")
                 for i, f in enumerate(figs)]
        for f in figs:
            plt.close(f)
        outputs.append([p.read_bytes() for p in paths])
    assert outputs[0] == outputs[1]
    assert all(len(b) > 1000 for b in outputs[0])
    if suffix == "svg":
        svg = outputs[0][0].decode()
        assert "<dc:date>" not in svg and "Matplotlib v" not in svg
        assert "<text" in svg  # svg.fonttype = "none": text stays text
        assert "overall survival" in svg  # alt text is the file's description


def test_saved_svg_is_identical_across_processes(tmp_path):
    """A fresh interpreter (another hash seed) writes the same SVG bytes."""
    script = (
        "import sys; sys.path.insert(0, {tests!r}); import matplotlib; matplotlib.use('Agg');"
        "import test_figures as t; from blina_analysis import figures;"
        "figures.save_figure(figures.km_plot(t.two_curves()), sys.argv[1])"
    ).format(tests=str(Path(__file__).parent))
    outs = []
    for seed in ("1", "2"):
        path = tmp_path / f"km-{seed}.svg"
        env = dict(os.environ, PYTHONHASHSEED=seed)
        subprocess.run([sys.executable, "-c", script, str(path)], check=True, env=env)
        outs.append(path.read_bytes())
    assert outs[0] == outs[1]


def test_save_figure_rejects_unknown_format(tmp_path):
    fig = figures.ae_bar_plot(ae_table())
    with pytest.raises(BlinaError, match="png, .svg or .pdf"):
        figures.save_figure(fig, tmp_path / "x.jpg")
    plt.close(fig)


def test_the_page_image_is_the_download_drawn_once_and_halved():
    """``figure_pngs``: the 300-dpi PNG is the one ``figure_bytes`` writes, and the 150-dpi one is
    it with every 2 x 2 block of pixels averaged (checked here with numpy), same metadata."""
    import io

    from PIL import Image

    from blina_analysis.report.figures import figure_pngs

    fig = figures.km_plot(two_curves(), endpoint="overall survival")
    large, small = figure_pngs(fig, 300, 150)
    assert large == figures.figure_bytes(fig, "png", dpi=300)
    assert figure_pngs(fig, 300, 150) == (large, small)  # deterministic
    with pytest.raises(BlinaError, match="whole multiple"):
        figure_pngs(fig, 300, 200)
    plt.close(fig)
    big = np.asarray(Image.open(io.BytesIO(large)).convert("RGBA"), dtype=float)
    height, width = big.shape[:2]
    image = Image.open(io.BytesIO(small))
    assert image.size == (-(-width // 2), -(-height // 2))
    assert round(image.info["dpi"][0]) == 150
    assert "overall survival" in image.text["Description"] and "Software" not in image.text
    h, w = height // 2, width // 2
    blocks = big[:2 * h, :2 * w].reshape(h, 2, w, 2, 4).mean(axis=(1, 3))
    got = np.asarray(image.convert("RGBA"), dtype=float)[:h, :w]
    assert np.abs(got - blocks).max() <= 1  # (rounded to whole levels)
