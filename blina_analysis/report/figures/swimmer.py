"""Swimmer plot: one lane per patient, or an aggregate view for large cohorts."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FixedLocator

from blina_analysis.definitions import DAYS_PER_MONTH, MIN_AT_RISK_SHOWN, RESPONSE_LANDMARK_DAYS
from blina_analysis.errors import BlinaError
from blina_analysis.i18n import N_, _
from blina_analysis.report.figures._common import (
    _INK,
    DEFAULT_XLABEL,
    _and_join,
    _at_risk_ticks,
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
    ("response_days", N_("response"), "o", "white", 6.5),
    ("mrd_negative_days", N_("MRD negativity"), "D", OKABE_ITO["bluish green"], 3.6),
    ("no_response_days", N_("no response at assessment"), "^", "white", 5.5),
    ("hsct_days", N_("HSCT"), "P", OKABE_ITO["reddish purple"], 7.0),
    ("relapse_days", N_("relapse"), "X", OKABE_ITO["vermillion"], 7.0),
    ("death_days", N_("death"), "s", OKABE_ITO["black"], 5.0),
)
_SWIM_COLUMNS = ("lane", "group", "followup_days", "response_days", "mrd_negative_days",
                 "hsct_days", "relapse_days", "death_days", "ongoing")
#: The states of the state-occupation view, bottom of the stack first: code (as the analysis
#: names them), words, colour.
_STATES = (
    ("death", N_("dead"), "#3B3B3B"),
    ("relapse", N_("relapsed"), OKABE_ITO["vermillion"]),
    ("hsct", N_("transplanted (allo-HSCT after blinatumomab)"), OKABE_ITO["reddish purple"]),
    ("response", N_("in response"), OKABE_ITO["bluish green"]),
    ("no_response", N_("no response at assessment"), "#BDBDBD"),
    ("not_yet", N_("response not yet assessed"), OKABE_ITO["sky blue"]),
)
#: Above this many patients one lane per patient stops being readable (at about 0.1 inch a lane
#: the figure is some 9 inches tall): the figure shows the state occupation instead.
MAX_LANES = 80


def _group_order(groups: pd.Series) -> list:
    if isinstance(groups.dtype, pd.CategoricalDtype):
        return [g for g in groups.cat.categories if (groups == g).any()]
    return list(pd.unique(groups))


@_styled
def swimmer_plot(lanes, *, occupation=None, ax=None, max_lanes: int = MAX_LANES,
                 xlabel: str = DEFAULT_XLABEL) -> Figure:
    """One bar per patient with the events along it, or, for many patients, the share of
    patients in each state over time (Aalen–Johansen).

    Parameters
    ----------
    lanes : pandas.DataFrame
        One row per lane. Columns ``lane`` (an anonymous index, never a patient id; it breaks ties
        in the order), ``group``, ``followup_days``, ``response_days``, ``mrd_negative_days``,
        ``hsct_days``, ``relapse_days``, ``death_days`` (NaN when the event did not happen),
        ``ongoing`` (bool: alive and still followed) and, optionally, ``no_response`` (bool:
        assessed without response).
    occupation : dict of str to StateOccupation, optional, default: None
        By group, the state occupation probabilities
        (:func:`~blina_analysis.stats.state_occupation`, states coded as in :data:`_STATES`);
        required above ``max_lanes`` lanes (an empty dict, when no patient was followed for a
        day, keeps the lane view).
    ax : matplotlib.axes.Axes, optional, default: None
        Axes to draw the lanes in; ``None`` makes a new figure (in the state-occupation view, one
        panel per group, always).
    max_lanes : int, optional, default: :data:`MAX_LANES`
        Above this number of lanes the state-occupation view is drawn instead of one bar per lane.
    xlabel : str, optional, default: "months since start of blinatumomab"

    Returns
    -------
    fig : matplotlib.figure.Figure

    Raises
    ------
    BlinaError
        If a column is missing, ``lanes`` is empty, a follow-up is negative or not finite, or the
        state-occupation view is needed and ``occupation`` is not given.

    Notes
    -----
    **Lane view** (``len(lanes) <= max_lanes``). Groups are drawn top to bottom in the order of
    their categories (categorical ``group``) or of first appearance, with lanes sorted by follow-up,
    longest first (ties by ``lane``). Bars are tinted with the group's colour and labelled on the y
    axis; markers show response (open circle), MRD negativity (diamond), the response assessment
    without response (open triangle, at the response landmark), HSCT (plus), relapse (cross) and
    death (square); an arrow marks follow-up that is ongoing. The lanes carry relative times
    only, no identifier and no date.

    **State-occupation view** (``len(lanes) > max_lanes``). One bar per lane stops being
    readable, so each group gets a panel with the Aalen–Johansen probability of being in each
    state (response not yet assessed, in response, no response at assessment, transplanted,
    relapsed, dead), stacked to 100%. Unlike the share of the patients still followed, it
    weights every transition by its own risk set, so censoring does not distort it. The
    stack is solid while at least :data:`~blina_analysis.definitions.MIN_AT_RISK_SHOWN`
    patients are followed and faded after, and the axis ends at the longest follow-up. The view
    draws a fixed number of artists, so it stays fast for any number of lanes.
    """
    _require_columns(lanes, _SWIM_COLUMNS, "swimmer_plot")
    if len(lanes) == 0:
        raise BlinaError("swimmer_plot: lanes is empty")
    fu = lanes["followup_days"].to_numpy(dtype=float)
    if np.any(~np.isfinite(fu)) or np.any(fu < 0):
        raise BlinaError("swimmer_plot: followup_days must be finite and non-negative")
    if len(lanes) > max_lanes and occupation != {}:  # {}: nobody followed a day, nothing to estimate
        if occupation is None:
            raise BlinaError(f"swimmer_plot: above {max_lanes} lanes the figure shows the state "
                             "occupation; pass occupation= (Analysis.state_occupation())")
        return _state_occupation_plot(lanes, occupation, xlabel=xlabel)
    return _swimmer_lanes(lanes, ax=ax, xlabel=xlabel)


def _swimmer_lanes(lanes, *, ax, xlabel):
    lanes = lanes.assign(no_response_days=_assessment_days(lanes))
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
    events = {col: ([], []) for col, *_rest in _SWIM_EVENTS}
    ongoing_xy = ([], [])
    for i, (g, sub) in enumerate(blocks):
        colour = PALETTE[i % len(PALETTE)]
        y = y0 + np.arange(len(sub))
        ax.barh(y, _to_months(sub["followup_days"]), height=0.72, left=0,
                color=_tint(colour, 0.45), edgecolor="none", label=str(g))
        for col, *_rest in _SWIM_EVENTS:
            v = sub[col].to_numpy(dtype=float)
            ok = np.isfinite(v)
            events[col][0].extend(_to_months(v[ok]))
            events[col][1].extend(y[ok])
        on = sub["ongoing"].eq(True).to_numpy(dtype=bool)  # missing counts as not ongoing
        ongoing_xy[0].extend(_to_months(sub["followup_days"].to_numpy(dtype=float)[on]))
        ongoing_xy[1].extend(y[on])
        centres.append(y0 + (len(sub) - 1) / 2)
        names.append(f"{_(str(g))}\n(n = {number(len(sub))})")
        y0 += len(sub) + 1

    handles = []
    for col, label, marker, face, size in _SWIM_EVENTS:
        xs, ys = events[col]
        style = dict(linestyle="none", marker=marker, markersize=size, markerfacecolor=face,
                     markeredgecolor=_INK, markeredgewidth=0.6)
        if xs:
            ax.plot(xs, ys, zorder=3, **style)
            handles.append(Line2D([], [], label=_(label), **style))
    arrow = dict(linestyle="none", marker=">", markersize=4.5, color=_INK)
    if ongoing_xy[0]:
        offset = 0.012 * xmax
        ax.plot(np.asarray(ongoing_xy[0]) + offset, ongoing_xy[1], zorder=3, **arrow)
        handles.append(Line2D([], [], label=_("follow-up ongoing"), **arrow))

    ax.set_ylim(y0 - 0.5, -0.8)
    ax.set_xlim(0, xmax * 1.03)
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    _month_axis(ax.xaxis)
    ax.set_yticks(centres, names)
    ax.tick_params(axis="y", left=False)
    ax.spines["left"].set_visible(False)
    ax.grid(axis="x", zorder=0)
    ax.set_axisbelow(True)
    ax.set_xlabel(_(xlabel))
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.0, 1.0), ncols=3,
              borderaxespad=0.3, columnspacing=1.2, handletextpad=0.3)

    per_group = _and_join(_("{label} (n = {n})").format(label=_(str(g)), n=number(len(s)))
                          for g, s in blocks)
    # TRANSLATORS: {n} is the number of patients, which the English text does not inflect.
    _store_alt(fig, _("Swimmer plot of {n} patients, {groups}, one bar per patient showing "
                      "follow-up over up to {months} months, with markers for response, MRD "
                      "negativity, no response at assessment, HSCT, relapse and death.").format(
        n=number(len(lanes)), groups=per_group, months=number(xmax)))
    return fig


def _assessment_days(lanes) -> np.ndarray:
    """Day of the response assessment of the patients assessed without response (NaN for the
    others, and after the end of follow-up)."""
    if "no_response" not in lanes.columns:
        return np.full(len(lanes), np.nan)
    assessed = lanes["no_response"].eq(True).to_numpy(dtype=bool)
    fu = lanes["followup_days"].to_numpy(dtype=float)
    day = float(RESPONSE_LANDMARK_DAYS)
    return np.where(assessed & (fu >= day), day, np.nan)


def _state_occupation_plot(lanes, occupation, *, xlabel):
    groups = [g for g in _group_order(lanes["group"]) if g in occupation]
    max_days = max(float(occupation[g].table["time"].max()) for g in groups)
    xmax = max_days / DAYS_PER_MONTH
    fig, axes = plt.subplots(1, len(groups), figsize=(1.2 + 3.4 * len(groups), 3.6),
                             sharey=True, squeeze=False)
    axes = list(axes[0])
    fig.subplots_adjust(wspace=0.08)
    codes = [code for code, _words, _colour in _STATES]
    any_faded = False
    for a, g in zip(axes, groups):
        table = occupation[g].table
        t = np.r_[0.0, table["time"].to_numpy(dtype=float)]
        shares = np.vstack([np.r_[1.0 if code == occupation[g].states[0] else 0.0,
                                  np.clip(table[code].to_numpy(dtype=float), 0.0, 1.0)]
                            for code in codes])
        n_risk = table["n_risk"].to_numpy(dtype=int)
        # row k holds the stretch up to its time: solid while MIN_AT_RISK_SHOWN are followed
        solid = int(np.sum(n_risk >= MIN_AT_RISK_SHOWN))
        x = _to_months(t)
        for part, (lo, hi, alpha) in (("solid", (0, solid + 1, 1.0)),
                                      ("faded", (solid, len(t), 0.35))):
            if hi - lo < 2:
                continue
            any_faded |= part == "faded"
            bottom = np.zeros(hi - lo)
            for (code, words, colour), share in zip(_STATES, shares):
                a.fill_between(x[lo:hi], bottom, bottom + share[lo:hi], step="post",
                               color=colour, alpha=alpha, linewidth=0, label=_(words), gid=part)
                bottom = bottom + share[lo:hi]
        a.set_xlim(0, xmax)
        a.set_ylim(0, 1)
        a.xaxis.set_major_locator(FixedLocator(_at_risk_ticks(xmax)))
        _month_axis(a.xaxis)
        _percent_axis(a.yaxis)
        a.text(0.0, 1.02, _("{label} (n = {n})").format(label=_(str(g)), n=number(occupation[g].n)),
               transform=a.transAxes,
               ha="left", va="bottom", fontsize=10, fontweight="bold")
    axes[0].set_ylabel(_("patients (Aalen\u2013Johansen)"))
    if len(axes) == 1:
        axes[0].set_xlabel(_(xlabel))
    else:
        fig.subplots_adjust(bottom=0.2)
        centre = (axes[0].get_position().x0 + axes[-1].get_position().x1) / 2
        fig.supxlabel(_(xlabel), x=centre, y=0.02, va="bottom", fontsize=HOUSE_RC["axes.labelsize"])
    handles = [Patch(facecolor=c, label=_(w)) for _code, w, c in reversed(_STATES)]
    if any_faded:
        handles.append(Patch(facecolor="white", edgecolor=_INK, linewidth=0.6,
                             label=_("paler: fewer than {n} followed").format(
                                 n=number(MIN_AT_RISK_SHOWN))))
    axes[-1].legend(handles=handles, loc="upper left", bbox_to_anchor=(1.02, 1.0),
                    borderaxespad=0)

    per_group = _and_join(_("{label} (n = {n})").format(label=_(str(g)), n=number(occupation[g].n))
                          for g in groups)
    _store_alt(fig, _("Stacked area chart of the Aalen\u2013Johansen probability that a patient "
                      "of {groups} is waiting for the response assessment, in response, without "
                      "response at assessment, transplanted, relapsed or dead, over {months} "
                      "months.").format(groups=per_group, months=number(xmax)))
    return fig
