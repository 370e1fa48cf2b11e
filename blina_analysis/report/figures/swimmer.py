"""Swimmer plot: one lane per patient, or an aggregate view for large cohorts."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FixedLocator

from blina_analysis.definitions import DAYS_PER_MONTH
from blina_analysis.errors import BlinaError
from blina_analysis.report.figures._common import (
    _INK,
    DEFAULT_XLABEL,
    _and_join,
    _month_axis,
    _month_ticks,
    _new_or_given,
    _percent_axis,
    _require_columns,
    _store_alt,
    _styled,
    _tint,
    _to_months,
)
from blina_analysis.report.figures.style import (
    HOUSE_RC,
    OKABE_ITO,
    PALETTE,
)
from blina_analysis.report.fmt import number

_SWIM_EVENTS = (
    # column, legend label, marker, face, size
    ("response_days", "response", "o", "white", 6.5),
    ("mrd_negative_days", "MRD negativity", "D", OKABE_ITO["bluish green"], 3.6),
    ("hsct_days", "HSCT", "P", OKABE_ITO["reddish purple"], 7.0),
    ("relapse_days", "relapse", "X", OKABE_ITO["vermillion"], 7.0),
    ("death_days", "death", "s", OKABE_ITO["black"], 5.0),
)
_SWIM_COLUMNS = ("lane", "group", "followup_days", "response_days", "mrd_negative_days",
                 "hsct_days", "relapse_days", "death_days", "ongoing")
_STATES = (
    # name, colour (bottom of the stack first)
    ("dead", "#3B3B3B"),
    ("relapsed", OKABE_ITO["vermillion"]),
    ("transplanted", OKABE_ITO["reddish purple"]),
    ("responded", OKABE_ITO["bluish green"]),
    ("in follow-up, no response yet", OKABE_ITO["sky blue"]),
    ("follow-up ended", "#E3E3E3"),
)


def _group_order(groups: pd.Series) -> list:
    if isinstance(groups.dtype, pd.CategoricalDtype):
        return [g for g in groups.cat.categories if (groups == g).any()]
    return list(pd.unique(groups))


@_styled
def swimmer_plot(lanes, *, ax=None, max_lanes: int = 80, xlabel: str = DEFAULT_XLABEL,
                 n_grid: int = 401) -> Figure:
    """One bar per patient with the events along it, or, for many patients, the states over time.

    Parameters
    ----------
    lanes : pandas.DataFrame
        One row per lane. Columns ``lane`` (an anonymous index, never a patient id; it breaks ties
        in the order), ``group``, ``followup_days``, ``response_days``, ``mrd_negative_days``,
        ``hsct_days``, ``relapse_days``, ``death_days`` (NaN when the event did not happen) and
        ``ongoing`` (bool: alive and still followed).
    ax : matplotlib.axes.Axes, optional, default: None
        Axes to draw in; ``None`` makes a new figure (in the aggregate view, one panel per group).
    max_lanes : int, optional, default: 80
        Above this number of lanes the aggregate view is drawn instead of one bar per lane.
    xlabel : str, optional, default: "months since start of blinatumomab"
    n_grid : int, optional, default: 401
        Number of time points of the aggregate view.

    Returns
    -------
    fig : matplotlib.figure.Figure

    Notes
    -----
    **Lane view** (``len(lanes) <= max_lanes``). Groups are drawn top to bottom in the order of
    their categories (categorical ``group``) or of first appearance, with lanes sorted by follow-up,
    longest first (ties by ``lane``). Bars are tinted with the group's colour and labelled on the y
    axis; markers show response (open circle), MRD negativity (diamond), HSCT (plus), relapse
    (cross) and death (square); an arrow marks follow-up that is ongoing.

    **Aggregate view** (``len(lanes) > max_lanes``). One bar per lane stops being readable at a
    few hundred lanes, so the figure becomes a stacked state-occupancy chart: at each of ``n_grid``
    times from 0 to the longest follow-up, the percentage of lanes that are dead, relapsed,
    transplanted, responded (response or MRD negativity; not transplanted, not relapsed), in
    follow-up without response, or no longer followed (alive at last contact before that time).
    States take precedence in this order (death over relapse over HSCT over response), so they do
    not overlap and always add to 100%. With ``ax=None`` each group gets a panel; with ``ax`` given
    all lanes are pooled in it. The view draws a fixed number of artists (one fill per state and
    panel), so it stays fast for any number of lanes.
    """
    _require_columns(lanes, _SWIM_COLUMNS, "swimmer_plot")
    if len(lanes) == 0:
        raise BlinaError("swimmer_plot: lanes is empty")
    fu = lanes["followup_days"].to_numpy(dtype=float)
    if np.any(~np.isfinite(fu)) or np.any(fu < 0):
        raise BlinaError("swimmer_plot: followup_days must be finite and non-negative")
    if len(lanes) > max_lanes:
        return _swimmer_aggregate(lanes, ax=ax, xlabel=xlabel, n_grid=n_grid)
    return _swimmer_lanes(lanes, ax=ax, xlabel=xlabel)


def _swimmer_lanes(lanes, *, ax, xlabel):
    groups = _group_order(lanes["group"])
    blocks = []
    for g in groups:
        sub = lanes[lanes["group"] == g]
        sub = sub.sort_values("lane", kind="mergesort").sort_values(
            "followup_days", ascending=False, kind="mergesort")
        blocks.append((g, sub))
    n_total = len(lanes) + (len(blocks) - 1)  # one empty lane between groups
    fig, ax = _new_or_given(ax, (6.4, max(3.0, 1.1 + 0.1 * n_total)))

    max_days = float(lanes["followup_days"].max())
    xmax, ticks = _month_ticks(max_days, None, None)
    y0 = 0
    centres, names = [], []
    events = {col: ([], []) for col, *_ in _SWIM_EVENTS}
    ongoing_xy = ([], [])
    for i, (g, sub) in enumerate(blocks):
        colour = PALETTE[i % len(PALETTE)]
        y = y0 + np.arange(len(sub))
        ax.barh(y, _to_months(sub["followup_days"]), height=0.72, left=0,
                color=_tint(colour, 0.45), edgecolor="none", label=str(g))
        for col, *_ in _SWIM_EVENTS:
            v = sub[col].to_numpy(dtype=float)
            ok = np.isfinite(v)
            events[col][0].extend(_to_months(v[ok]))
            events[col][1].extend(y[ok])
        on = sub["ongoing"].eq(True).to_numpy(dtype=bool)  # missing counts as not ongoing
        ongoing_xy[0].extend(_to_months(sub["followup_days"].to_numpy(dtype=float)[on]))
        ongoing_xy[1].extend(y[on])
        centres.append(y0 + (len(sub) - 1) / 2)
        names.append(f"{g}\n(n = {number(len(sub))})")
        y0 += len(sub) + 1

    handles = []
    for col, label, marker, face, size in _SWIM_EVENTS:
        xs, ys = events[col]
        style = dict(linestyle="none", marker=marker, markersize=size, markerfacecolor=face,
                     markeredgecolor=_INK, markeredgewidth=0.6)
        if xs:
            ax.plot(xs, ys, zorder=3, **style)
            handles.append(Line2D([], [], label=label, **style))
    arrow = dict(linestyle="none", marker=">", markersize=4.5, color=_INK)
    if ongoing_xy[0]:
        offset = 0.012 * xmax
        ax.plot(np.asarray(ongoing_xy[0]) + offset, ongoing_xy[1], zorder=3, **arrow)
        handles.append(Line2D([], [], label="follow-up ongoing", **arrow))

    ax.set_ylim(y0 - 0.5, -0.8)
    ax.set_xlim(0, xmax * 1.03)
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    _month_axis(ax.xaxis)
    ax.set_yticks(centres, names)
    ax.tick_params(axis="y", left=False)
    ax.spines["left"].set_visible(False)
    ax.grid(axis="x", zorder=0)
    ax.set_axisbelow(True)
    ax.set_xlabel(xlabel)
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.0, 1.0), ncols=3,
              borderaxespad=0.3, columnspacing=1.2, handletextpad=0.3)

    per_group = _and_join(f"{g} (n = {number(len(s))})" for g, s in blocks)
    _store_alt(fig, f"Swimmer plot of {number(len(lanes))} patients, {per_group}, one bar per "
                    f"patient showing follow-up over up to {number(xmax)} months, with markers for "
                    f"response, MRD negativity, HSCT, relapse and death.")
    return fig


def _state_counts(sub: pd.DataFrame, grid: np.ndarray) -> np.ndarray:
    """Shape (len(_STATES), len(grid)): lanes in each state at each time; NaN compares as False."""
    t = grid[None, :]

    def col(name):
        return sub[name].to_numpy(dtype=float)[:, None]

    fu = col("followup_days")
    dead = col("death_days") <= t
    ended = ~dead & (fu < t)
    seen = ~dead & ~ended
    relapsed = seen & (col("relapse_days") <= t)
    hsct = seen & ~relapsed & (col("hsct_days") <= t)
    responded = seen & ~relapsed & ~hsct & (
        (col("response_days") <= t) | (col("mrd_negative_days") <= t))
    waiting = seen & ~relapsed & ~hsct & ~responded
    return np.stack([m.sum(axis=0) for m in (dead, relapsed, hsct, responded, waiting, ended)])


def _swimmer_aggregate(lanes, *, ax, xlabel, n_grid):
    groups = _group_order(lanes["group"])
    max_days = float(lanes["followup_days"].max())
    xmax, ticks = _month_ticks(max_days, None, None)
    grid = np.linspace(0.0, xmax * DAYS_PER_MONTH, int(n_grid))
    if ax is None:
        panels = [(g, lanes[lanes["group"] == g]) for g in groups]
        fig, axes = plt.subplots(1, len(panels), figsize=(1.2 + 3.4 * len(panels), 3.6),
                                 sharey=True, squeeze=False)
        axes = list(axes[0])
        fig.subplots_adjust(wspace=0.08)
    else:
        fig = ax.figure
        panels = [(None, lanes)]
        axes = [ax]
    x = _to_months(grid)
    for a, (g, sub) in zip(axes, panels):
        share = _state_counts(sub, grid) / len(sub)
        bottom = np.zeros_like(x)
        for (name, colour), s in zip(_STATES, share):
            a.fill_between(x, bottom, bottom + s, step="post", color=colour, linewidth=0,
                           label=name)
            bottom = bottom + s
        a.set_xlim(0, xmax)
        a.set_ylim(0, 1)
        a.xaxis.set_major_locator(FixedLocator(ticks))
        _month_axis(a.xaxis)
        _percent_axis(a.yaxis)
        if len(axes) == 1:
            a.set_xlabel(xlabel)
        if g is not None:
            a.text(0.0, 1.02, f"{g} (n = {number(len(sub))})", transform=a.transAxes,
                   ha="left", va="bottom", fontsize=10, fontweight="bold")
    axes[0].set_ylabel("patients")
    if len(axes) > 1:
        fig.subplots_adjust(bottom=0.2)
        centre = (axes[0].get_position().x0 + axes[-1].get_position().x1) / 2
        fig.supxlabel(xlabel, x=centre, y=0.02, va="bottom", fontsize=HOUSE_RC["axes.labelsize"])
    handles = [Patch(facecolor=c, label=n) for n, c in reversed(_STATES)]
    axes[-1].legend(handles=handles, loc="upper left", bbox_to_anchor=(1.02, 1.0),
                    borderaxespad=0)

    per_group = _and_join(f"{g} (n = {number((lanes['group'] == g).sum())})" for g in groups)
    _store_alt(fig, f"Stacked area chart of the percentage of {number(len(lanes))} patients "
                    f"({per_group}) who are dead, relapsed, transplanted, responding, in follow-up "
                    f"without response or no longer followed, over {number(xmax)} months.")
    return fig


