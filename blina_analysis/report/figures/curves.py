"""Survival and cumulative incidence curves, with the number at risk under each."""

from __future__ import annotations

import matplotlib.transforms as mtransforms
import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FixedLocator
from mpl_toolkits.axes_grid1 import make_axes_locatable

from blina_analysis.definitions import months_to_days
from blina_analysis.errors import BlinaError
from blina_analysis.report.figures._common import (
    _CIF_COLUMNS,
    _INK,
    _KM_COLUMNS,
    AT_RISK_LABEL,
    DEFAULT_XLABEL,
    _and_join,
    _label,
    _listify,
    _month_axis,
    _month_ticks,
    _new_or_given,
    _percent_axis,
    _require_columns,
    _store_alt,
    _styled,
    _text_width_pt,
    _to_months,
)
from blina_analysis.report.figures.style import (
    PALETTE,
)
from blina_analysis.report.fmt import number


def _at_risk_counts(obj, times_days: np.ndarray) -> np.ndarray:
    """Number with time >= t: the object's own method when it has one, else a table look-up."""
    method = getattr(obj, "number_at_risk", None)
    if callable(method):
        return np.asarray(method(times_days), dtype=int)
    table = obj.table
    t = table["time"].to_numpy(dtype=float)
    n_risk = table["n_risk"].to_numpy(dtype=int)
    idx = np.searchsorted(t, times_days, side="left")  # first row with time >= t
    out = np.zeros(len(times_days), dtype=int)
    inside = idx < len(t)
    out[inside] = n_risk[idx[inside]]
    return out


def _draw_at_risk(ax, objs, ticks, colours) -> None:
    """A 'number at risk' table in its own axes under ``ax``, one row per curve, at the x ticks."""
    nrows = len(objs)
    divider = make_axes_locatable(ax)
    tab = divider.append_axes("bottom", size=0.2 * (nrows + 1), pad=0.5, sharex=ax)
    tab.set_label(AT_RISK_LABEL)
    tab.set_ylim(nrows - 0.5, -1.5)
    tab.axis("off")
    days = months_to_days(ticks)  # the tables' definition of "at risk at m months"
    counts = [[number(v) for v in _at_risk_counts(obj, days)] for obj in objs]
    # row labels end a little left of the widest count centred on the first tick
    shift = -(_text_width_pt([row[0] for row in counts if row], 9) / 2 + 8) / 72
    label_x = mtransforms.blended_transform_factory(ax.transAxes, tab.transData) + \
        mtransforms.ScaledTranslation(shift, 0, ax.figure.dpi_scale_trans)
    tab.text(0, -1, AT_RISK_LABEL, transform=label_x, ha="right", va="center",
             fontsize=9, fontweight="bold", clip_on=False)
    for row, (obj, colour) in enumerate(zip(objs, colours)):
        tab.text(0, row, _label(obj, row, nrows), transform=label_x, ha="right", va="center",
                 fontsize=9, color=colour, clip_on=False)
        for tick, count in zip(ticks, counts[row]):
            tab.text(tick, row, count, ha="center", va="center", fontsize=9,
                     color=colour, clip_on=False, gid=f"at-risk-{row}")


def _curve_plot(objs, *, value, start, ax, times, show_ci, xmax_months, xlabel, ylabel, ymax,
                at_risk, note, legend_loc):
    objs = list(objs)
    nrows = len(objs)
    fig, ax = _new_or_given(ax, (6.4, 4.0 + (0.2 * (nrows + 1) + 0.5 if at_risk else 0)))
    colours = [PALETTE[i % len(PALETTE)] for i in range(nrows)]
    max_days = max(float(o.table["time"].max()) if len(o.table) else 0.0 for o in objs)
    xmax, ticks = _month_ticks(max_days, xmax_months, times)

    handles = []
    any_censored = False
    for i, (obj, colour) in enumerate(zip(objs, colours)):
        table = obj.table
        x = np.concatenate([[0.0], _to_months(table["time"])])
        y = np.concatenate([[start], table[value].to_numpy(dtype=float)])
        if show_ci:
            lo = np.concatenate([[start], table["ci_low"].to_numpy(dtype=float)])
            hi = np.concatenate([[start], table["ci_high"].to_numpy(dtype=float)])
            ax.fill_between(x, lo, hi, step="post", color=colour, alpha=0.15, linewidth=0)
        (line,) = ax.plot(x, y, drawstyle="steps-post", color=colour, label=_label(obj, i, nrows),
                          solid_joinstyle="miter")
        handles.append(line)
        censored = table["n_censor"].to_numpy(dtype=float) > 0
        if censored.any():
            any_censored = True
            ax.plot(x[1:][censored], y[1:][censored], linestyle="none", marker="+",
                    markersize=6, markeredgewidth=1.1, color=colour)

    ax.set_xlim(0, xmax)
    ax.set_ylim(0, ymax * 1.02)
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    _month_axis(ax.xaxis)
    _percent_axis(ax.yaxis, ymax)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if any_censored:
        handles.append(Line2D([], [], linestyle="none", marker="+", markersize=6,
                              markeredgewidth=1.1, color=_INK, label="censored"))
    ax.legend(handles=handles, loc=legend_loc)
    if note:
        # the empty corner: lower left under falling survival curves, lower right under rising CIFs
        x_note, ha = (0.02, "left") if start == 1.0 else (0.98, "right")
        ax.text(x_note, 0.03, note, transform=ax.transAxes, ha=ha, va="bottom", fontsize=9)
    if at_risk:
        _draw_at_risk(ax, objs, ticks, colours)
    return fig, xmax


def _store_curves_alt(fig, lead: str, curves, xmax: float, at_risk: bool) -> None:
    """One alt-text sentence for KM and CIF plots; ``lead`` holds ``{noun}`` (curve/curves)."""
    groups = _and_join(f"{_label(c, i, len(curves))} (n = {number(c.n)})"
                       for i, c in enumerate(curves))
    noun = "curves" if len(curves) > 1 else "curve"
    _store_alt(fig, f"{lead.format(noun=noun)} {groups} over {number(xmax)} months"
                    f"{', with numbers at risk below' if at_risk else ''}.")


@_styled
def km_plot(curves, *, ax=None, times=None, show_ci=True, xmax_months=None,
            xlabel: str = DEFAULT_XLABEL, ylabel: str = "probability", endpoint: str | None = None,
            estimator: str = "Kaplan\u2013Meier", at_risk: bool = True, note: str | None = None,
            legend_loc: str = "best") -> Figure:
    """Survival curves (Kaplan–Meier or Simon–Makuch) with a table of numbers at risk under them.

    Parameters
    ----------
    curves : survival curve or sequence of survival curves
        Objects with ``label``, ``n`` and ``table`` (columns ``time, n_risk, n_event, n_censor,
        survival, ci_low, ci_high``; time in days) and, optionally, ``number_at_risk(times_days)``,
        which is preferred to the table look-up for the at-risk counts (it is the only right answer
        for a Simon–Makuch curve, whose risk set gains patients over time). Colours follow the
        order.
    ax : matplotlib.axes.Axes, optional, default: None
        Axes to draw in; ``None`` makes a new figure. The at-risk table takes space from ``ax``.
    times : sequence of float, optional, default: None
        Months at which to put the x ticks and the numbers at risk; the axis then ends at the last
        of them unless ``xmax_months`` is given. ``None``: every 1, 2, 3, 6 or 12 months, whichever
        gives at most 8 intervals.
    show_ci : bool, optional, default: True
        Draw the pointwise confidence band (``ci_low``–``ci_high``) as a light fill.
    xmax_months : float, optional, default: None
        End of the x axis; ``None`` rounds the last time up to a tick.
    xlabel, ylabel : str, optional
        Axis labels, lowercase; default ``"months since start of blinatumomab"`` and
        ``"probability"`` (the tick labels are percentages).
    endpoint : str, optional, default: None
        The endpoint's name for the alt text ("overall survival").
    estimator : str, optional, default: "Kaplan–Meier"
        The estimator's name for the alt text ("Simon–Makuch").
    at_risk : bool, optional, default: True
        Draw the numbers-at-risk table (the house style wants it under every KM plot).
    note : str, optional, default: None
        Text already formatted by :mod:`blina_analysis.report.fmt` (a log-rank p-value, say) shown in the
        lower left corner (lower right in :func:`cif_plot`).
    legend_loc : str, optional, default: "best"
        Passed to :meth:`~matplotlib.axes.Axes.legend`.

    Returns
    -------
    fig : matplotlib.figure.Figure
        The figure; its alt text is :func:`alt_text(fig) <alt_text>`.

    Notes
    -----
    The curves are drawn as post-steps from (0, 1) through every row of ``table``; ``+`` marks the
    times with at least one censoring, at the height of the curve after that time's events. The
    at-risk table is an axes of its own, labelled ``"number at risk"``, whose text is at the same
    x positions as the ticks; counts are the number of patients with time >= t. Its row labels sit
    in the margin left of the axes (as in NEJM and Lancet figures): when several plots share a
    figure through ``ax=``, leave room for them (``wspace``).
    """
    curves = _listify(curves, "km_plot")
    for c in curves:
        _require_columns(getattr(c, "table", None), _KM_COLUMNS,
                         f"km_plot: table of curve {getattr(c, 'label', None)!r}")
    fig, xmax = _curve_plot(curves, value="survival", start=1.0, ax=ax, times=times,
                            show_ci=show_ci, xmax_months=xmax_months, xlabel=xlabel, ylabel=ylabel,
                            ymax=1.0, at_risk=at_risk, note=note, legend_loc=legend_loc)
    what = f" of {endpoint}" if endpoint else ""
    _store_curves_alt(fig, f"{estimator} {{noun}}{what} for", curves, xmax, at_risk)
    return fig


@_styled
def cif_plot(cifs, *, ax=None, times=None, show_ci=True, xmax_months=None, ymax: float = 1.0,
             xlabel: str = DEFAULT_XLABEL, ylabel: str = "cumulative incidence",
             at_risk: bool = True, note: str | None = None,
             legend_loc: str = "upper left") -> Figure:
    """Cumulative incidence curves (Aalen–Johansen) with a table of numbers at risk under them.

    Parameters
    ----------
    cifs : cumulative incidence curve or sequence of them
        Objects with ``label``, ``n``, ``cause`` and ``table`` (columns ``time, n_risk,
        n_event_cause, n_event_other, n_censor, cif, ci_low, ci_high``; time in days), e.g. relapse
        and non-relapse mortality from one competing-risks fit.
    ax : matplotlib.axes.Axes, optional, default: None
        Axes to draw in; ``None`` makes a new figure.
    times, show_ci, xmax_months, xlabel, at_risk, note
        As in :func:`km_plot`.
    ymax : float, optional, default: 1.0
        Top of the y axis (a fraction; 0.5 shows 0–50%).
    ylabel : str, optional, default: "cumulative incidence"
    legend_loc : str, optional, default: "upper left"

    Returns
    -------
    fig : matplotlib.figure.Figure

    Notes
    -----
    Curves start at (0, 0). The at-risk counts use the object's ``number_at_risk`` when it has one,
    otherwise ``n_risk`` of the first table row at or after each tick (0 after the last row). Curves
    of two causes from one fit share their risk set, so their rows repeat the same numbers.
    """
    cifs = _listify(cifs, "cif_plot")
    for c in cifs:
        _require_columns(getattr(c, "table", None), _CIF_COLUMNS,
                         f"cif_plot: table of curve {getattr(c, 'label', None)!r}")
    if not 0 < ymax <= 1:
        raise BlinaError(f"cif_plot: ymax must be in (0, 1], got {ymax!r}")
    fig, xmax = _curve_plot(cifs, value="cif", start=0.0, ax=ax, times=times, show_ci=show_ci,
                            xmax_months=xmax_months, xlabel=xlabel, ylabel=ylabel, ymax=ymax,
                            at_risk=at_risk, note=note, legend_loc=legend_loc)
    _store_curves_alt(fig, "Cumulative incidence {noun} of", cifs, xmax, at_risk)
    return fig


