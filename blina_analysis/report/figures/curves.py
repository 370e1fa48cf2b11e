"""Survival and cumulative incidence curves, with the number at risk under each."""

from __future__ import annotations

import matplotlib.transforms as mtransforms
import numpy as np
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FixedLocator
from mpl_toolkits.axes_grid1 import make_axes_locatable

from blina_analysis.definitions import (
    DAYS_PER_MONTH,
    MIN_AT_RISK_SHOWN,
    months_to_days,
)
from blina_analysis.errors import BlinaError
from blina_analysis.i18n import N_, _, ngettext
from blina_analysis.report.figures._common import (
    _CIF_COLUMNS,
    _GREY,
    _INK,
    _KM_COLUMNS,
    AT_RISK_LABEL,
    DEFAULT_XLABEL,
    _and_join,
    _at_risk_ticks,
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


def _same_risk_set(objs) -> bool:
    """Whether the curves share one risk set (the causes of one competing-risks fit): the same
    times and the same numbers at risk row for row. Their at-risk rows would repeat each other."""
    if len(objs) < 2:
        return False
    first = objs[0].table
    return all(len(o.table) == len(first)
               and np.array_equal(o.table["time"].to_numpy(dtype=float),
                                  first["time"].to_numpy(dtype=float))
               and np.array_equal(o.table["n_risk"].to_numpy(dtype=int),
                                  first["n_risk"].to_numpy(dtype=int))
               for o in objs[1:])


def _draw_at_risk(ax, objs, ticks, colours) -> None:
    """A 'number at risk' table in its own axes under ``ax``, one row per curve, at the x ticks;
    one unlabelled row in ink when the curves share their risk set (:func:`_same_risk_set`)."""
    shared = _same_risk_set(objs)
    rows = [(objs[0], "", _INK)] if shared else [
        (obj, _label(obj, i, len(objs)), colour)
        for i, (obj, colour) in enumerate(zip(objs, colours))]
    nrows = len(rows)
    divider = make_axes_locatable(ax)
    tab = divider.append_axes("bottom", size=0.2 * (nrows + 1), pad=0.5, sharex=ax)
    tab.set_label(AT_RISK_LABEL)
    tab.set_ylim(nrows - 0.5, -1.5)
    tab.axis("off")
    days = months_to_days(ticks)  # the tables' definition of "at risk at m months"
    counts = [[number(v) for v in _at_risk_counts(obj, days)] for obj, _, _ in rows]
    # row labels end a little left of the widest count centred on the first tick
    shift = -(_text_width_pt([row[0] for row in counts if row], 9) / 2 + 8) / 72
    label_x = mtransforms.blended_transform_factory(ax.transAxes, tab.transData) + \
        mtransforms.ScaledTranslation(shift, 0, ax.figure.dpi_scale_trans)
    tab.text(0, -1, _(AT_RISK_LABEL), transform=label_x, ha="right", va="center",
             fontsize=9, fontweight="bold", clip_on=False)
    for row, (obj, label, colour) in enumerate(rows):
        if label:
            tab.text(0, row, label, transform=label_x, ha="right", va="center",
                     fontsize=9, color=colour, clip_on=False)
        for tick, count in zip(ticks, counts[row]):
            tab.text(tick, row, count, ha="center", va="center", fontsize=9,
                     color=colour, clip_on=False, gid=f"at-risk-{row}")


def _two_lines(label: str, longest: int = 36) -> str:
    """``label`` broken at the space nearest its middle when longer than the axis holds."""
    if len(label) <= longest or " " not in label:
        return label
    spaces = [i for i, c in enumerate(label) if c == " "]
    cut = min(spaces, key=lambda i: abs(i - len(label) / 2))
    return f"{label[:cut]}\n{label[cut + 1:]}"


def _shown_runs(table, value: str, start: float):
    """The curve cut into runs drawn alike: ``[(kind, x_days, y, rows)]``, ``kind`` ``"solid"``
    (at least :data:`MIN_AT_RISK_SHOWN` at risk), ``"faded"`` (fewer) or ``"hidden"`` (nobody).

    Row ``k`` of ``table`` owns the stretch from the previous row's time (0 for the first) up
    to its own time, and its drop there: the patients at risk over that stretch are its
    ``n_risk``. For right-censored data the count only falls, so a curve is solid, then faded;
    a curve whose patients enter late (Simon–Makuch) is hidden until someone is at risk.
    """
    t = table["time"].to_numpy(dtype=float)
    v = table[value].to_numpy(dtype=float)
    n_risk = table["n_risk"].to_numpy(dtype=int)
    kinds = np.where(n_risk >= MIN_AT_RISK_SHOWN, "solid", np.where(n_risk > 0, "faded", "hidden"))
    runs = []
    k = 0
    while k < len(t):
        end = k
        while end + 1 < len(t) and kinds[end + 1] == kinds[k]:
            end += 1
        x0, y0 = (0.0, start) if k == 0 else (t[k - 1], v[k - 1])
        rows = np.arange(k, end + 1)
        runs.append((str(kinds[k]), np.r_[x0, t[rows]], np.r_[y0, v[rows]], rows))
        k = end + 1
    return runs


def _curve_plot(objs, *, value, start, ax, times, show_ci, xmax_months, xlabel, ylabel, ymax,
                at_risk, note):
    objs = list(objs)
    nrows = 1 if at_risk and _same_risk_set(objs) else len(objs)
    fig, ax = _new_or_given(ax, (6.4, 4.0 + (0.2 * (nrows + 1) + 0.5 if at_risk else 0)))
    colours = [PALETTE[i % len(PALETTE)] for i in range(len(objs))]
    max_days = max(float(o.table["time"].max()) if len(o.table) else 0.0 for o in objs)
    if times is None and xmax_months is None:
        # the axis ends at the longest follow-up, ticks and numbers at risk every 6 months
        xmax = max(max_days / DAYS_PER_MONTH, 1.0 / DAYS_PER_MONTH)
        ticks = _at_risk_ticks(xmax)
    else:
        xmax, ticks = _month_ticks(max_days, xmax_months, times)

    handles = []
    any_censored = any_faded = False
    for i, (obj, colour) in enumerate(zip(objs, colours)):
        table = obj.table
        label = _label(obj, i, len(objs))
        censored = table["n_censor"].to_numpy(dtype=float) > 0
        drawn = None
        for kind, x_days, y, rows in _shown_runs(table, value, start):
            if kind == "hidden":
                continue
            x = _to_months(x_days)
            if kind == "faded":
                any_faded = True
                ax.plot(x, y, drawstyle="steps-post", color=colour, alpha=0.55, linewidth=1.0,
                        linestyle=(0, (1.2, 1.6)), gid="fewer-at-risk")
                continue
            if show_ci:
                lo = np.r_[start if rows[0] == 0 else table["ci_low"].iloc[rows[0] - 1],
                           table["ci_low"].to_numpy(dtype=float)[rows]]
                hi = np.r_[start if rows[0] == 0 else table["ci_high"].iloc[rows[0] - 1],
                           table["ci_high"].to_numpy(dtype=float)[rows]]
                ax.fill_between(x, lo, hi, step="post", color=colour, alpha=0.15, linewidth=0)
            (line,) = ax.plot(x, y, drawstyle="steps-post", color=colour, label=label,
                              solid_joinstyle="miter")
            drawn = drawn or line
            marks = censored[rows]
            if marks.any():
                any_censored = True
                ax.plot(x[1:][marks], y[1:][marks], linestyle="none", marker="+",
                        markersize=6, markeredgewidth=1.1, color=colour)
        handles.append(drawn if drawn is not None else Line2D([], [], color=colour, label=label))

    ax.set_xlim(0, xmax)
    ax.set_ylim(0, ymax * 1.02)
    ax.xaxis.set_major_locator(FixedLocator(ticks))
    _month_axis(ax.xaxis)
    _percent_axis(ax.yaxis, ymax)
    ax.set_xlabel(_(xlabel))
    ax.set_ylabel(_two_lines(_(ylabel)))
    if any_censored:
        handles.append(Line2D([], [], linestyle="none", marker="+", markersize=6,
                              markeredgewidth=1.1, color=_INK, label=_("censored")))
    if any_faded:
        handles.append(Line2D([], [], color=_GREY, linewidth=1.0, linestyle=(0, (1.2, 1.6)),
                              label=_("fewer than {n} at risk").format(
                                  n=number(MIN_AT_RISK_SHOWN))))
    # legend and note above the axes, where no curve can be: a label inside the axes can
    # always land on a curve of some dataset
    legend = ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.0, 1.01),
                       ncols=min(len(handles), 2 if len(handles) > 3 else 3),
                       borderaxespad=0.0, columnspacing=1.2, title=note or None,
                       alignment="left", title_fontsize=9)
    legend.set_gid("legend")
    if at_risk:
        _draw_at_risk(ax, objs, ticks, colours)
    return fig, xmax


def _curve_groups(curves) -> str:
    """``"MRD+ cohort (n = 31) and R/R cohort (n = 35)"``: the curves of an alt text."""
    return _and_join(_("{label} (n = {n})").format(label=_label(c, i, len(curves)), n=number(c.n))
                     for i, c in enumerate(curves))


def _store_curves_alt(fig, plot: str, at_risk: bool) -> None:
    """The alt text of a KM or CIF plot: ``plot`` (what it shows), then the numbers at risk."""
    _store_alt(fig, _("{plot}, with numbers at risk below.").format(plot=plot) if at_risk
               else _("{plot}.").format(plot=plot))


N_SURVIVAL = N_("survival")


@_styled
def km_plot(curves, *, ax=None, times=None, show_ci=True, xmax_months=None,
            xlabel: str = DEFAULT_XLABEL, ylabel: str | None = None, endpoint: str | None = None,
            estimator: str = "Kaplan\u2013Meier", at_risk: bool = True,
            note: str | None = None) -> Figure:
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
        of them unless ``xmax_months`` is given. ``None``: every
        :data:`~blina_analysis.definitions.AT_RISK_EVERY_MONTHS` months (a multiple of it past
        16 intervals; every 1, 2 or 3 months for follow-up shorter than two such steps), and the
        axis ends at the longest follow-up.
    show_ci : bool, optional, default: True
        Draw the pointwise confidence band (``ci_low``–``ci_high``) as a light fill.
    xmax_months : float, optional, default: None
        End of the x axis; ``None``: the longest follow-up (or the last of ``times``).
    xlabel : str, optional, default: "months since start of blinatumomab"
        The x axis label, lowercase.
    ylabel : str, optional, default: None
        The y axis label, lowercase; ``None`` names the endpoint (``endpoint``, else
        ``"survival"``): the tick labels are percentages.
    endpoint : str, optional, default: None
        The endpoint's name, for the y axis and the alt text ("overall survival").
    estimator : str, optional, default: "Kaplan–Meier"
        The estimator's name for the alt text ("Simon–Makuch").
    at_risk : bool, optional, default: True
        Draw the numbers-at-risk table (the house style wants it under every KM plot).
    note : str, optional, default: None
        Text already formatted by :mod:`blina_analysis.report.fmt` (a log-rank p-value, say),
        shown as the title of the legend, above the axes, where it cannot cover a curve.

    Returns
    -------
    fig : matplotlib.figure.Figure
        The figure; its alt text is :func:`alt_text(fig) <alt_text>`.

    Notes
    -----
    The curves are drawn as post-steps from (0, 1) through every row of ``table``: solid, with
    their confidence band and ``+`` marks at the times with at least one censoring (at the height
    of the curve after that time's events), while at least
    :data:`~blina_analysis.definitions.MIN_AT_RISK_SHOWN` patients are at risk; thin, dotted and
    faded, without band or marks, while fewer are; not at all while nobody is (a Simon–Makuch
    curve starts where its first patient enters). The legend, with ``note`` as its title, sits
    above the axes. The at-risk table is an axes of its own, labelled ``"number at risk"``, whose text is at the same
    x positions as the ticks; counts are the number of patients with time >= t. Its row labels sit
    in the margin left of the axes (as in NEJM and Lancet figures): when several plots share a
    figure through ``ax=``, leave room for them (``wspace``).
    """
    curves = _listify(curves, "km_plot")
    for c in curves:
        _require_columns(getattr(c, "table", None), _KM_COLUMNS,
                         f"km_plot: table of curve {getattr(c, 'label', None)!r}")
    fig, xmax = _curve_plot(curves, value="survival", start=1.0, ax=ax, times=times,
                            show_ci=show_ci, xmax_months=xmax_months, xlabel=xlabel,
                            ylabel=ylabel or endpoint or N_SURVIVAL,
                            ymax=1.0, at_risk=at_risk, note=note)
    n_curves, groups, months = len(curves), _curve_groups(curves), number(xmax)
    if endpoint:
        plot = ngettext("{estimator} curve of {endpoint} for {groups} over {months} months",
                        "{estimator} curves of {endpoint} for {groups} over {months} months",
                        n_curves).format(estimator=_(estimator), endpoint=_(endpoint),
                                         groups=groups, months=months)
    else:
        plot = ngettext("{estimator} curve for {groups} over {months} months",
                        "{estimator} curves for {groups} over {months} months",
                        n_curves).format(estimator=_(estimator), groups=groups, months=months)
    _store_curves_alt(fig, plot, at_risk)
    return fig


@_styled
def cif_plot(cifs, *, ax=None, times=None, show_ci=True, xmax_months=None, ymax: float = 1.0,
             xlabel: str = DEFAULT_XLABEL, ylabel: str | None = None,
             at_risk: bool = True, note: str | None = None) -> Figure:
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
    ylabel : str, optional, default: None
        ``None`` names the events: ``"cumulative incidence of relapse and non-relapse
        mortality"`` from the curves' labels.

    Returns
    -------
    fig : matplotlib.figure.Figure

    Notes
    -----
    Curves start at (0, 0) and are drawn solid, faded or not at all by the number at risk, as in
    :func:`km_plot`. Curves of one competing-risks fit share their risk set: their at-risk rows
    would repeat the same numbers, so one row is shown, without a label. The at-risk counts use
    the object's ``number_at_risk`` when it has one, otherwise ``n_risk`` of the first table row
    at or after each tick (0 after the last row).
    """
    cifs = _listify(cifs, "cif_plot")
    for c in cifs:
        _require_columns(getattr(c, "table", None), _CIF_COLUMNS,
                         f"cif_plot: table of curve {getattr(c, 'label', None)!r}")
    if not 0 < ymax <= 1:
        raise BlinaError(f"cif_plot: ymax must be in (0, 1], got {ymax!r}")
    if ylabel is None:
        ylabel = _("cumulative incidence of {events}").format(events=_and_join(
            [_label(c, i, len(cifs)) for i, c in enumerate(cifs)]))
    fig, xmax = _curve_plot(cifs, value="cif", start=0.0, ax=ax, times=times, show_ci=show_ci,
                            xmax_months=xmax_months, xlabel=xlabel, ylabel=ylabel, ymax=ymax,
                            at_risk=at_risk, note=note)
    plot = ngettext("Cumulative incidence curve of {groups} over {months} months",
                    "Cumulative incidence curves of {groups} over {months} months",
                    len(cifs)).format(groups=_curve_groups(cifs), months=number(xmax))
    _store_curves_alt(fig, plot, at_risk)
    return fig


