"""Every figure of the book, drawn in one house style.

Figures compute nothing: each function draws an object that the stats layer has already computed (a
survival curve, a cumulative incidence curve, a table of rates) and turns numbers into text only
through :mod:`blina_analysis.report.fmt`. Each function takes ``ax=None`` (``None`` makes a new figure of
a suitable size), returns the :class:`~matplotlib.figure.Figure` and never shows or saves it. Save
with :func:`save_figure`, which writes byte-identical files for identical figures.

Style
-----
The rcParams are the single dict :data:`HOUSE_RC` (Okabe–Ito colours, lowercase axis labels, no
titles: the caption is the title). Every plotting function runs inside :func:`house_style`, so
importing this module leaves a reader's own plots alone (the one exception, ``svg.hashsalt``, is
explained in :mod:`blina_analysis.report.style`). :func:`use_house_style` applies the style globally on
request.

Alt text
--------
Each plotting function stores a one-sentence description with the key numbers on the figure it
returns; :func:`alt_text` reads it, for the ``image: alt`` metadata of the chapter's cell and for
:func:`save_figure`, which writes it into the file's ``Description``. When several functions draw on
one figure (with ``ax=``), their sentences are joined in drawing order.

Duck-typed inputs
-----------------
The stats layer's objects are used only through these attributes:

* survival curve (Kaplan–Meier, Simon–Makuch): ``label``, ``n``, ``table`` with columns ``time,
  n_risk, n_event, n_censor, survival, std_err, ci_low, ci_high`` (one row per distinct time, in
  days) and, when present, ``number_at_risk(times_days)``;
* cumulative incidence curve: ``label``, ``n``, ``cause``, ``table`` with columns ``time, n_risk,
  n_event_cause, n_event_other, n_censor, cif, std_err, ci_low, ci_high``.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence

import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import matplotlib.transforms as mtransforms
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import FancyBboxPatch, Patch
from matplotlib.textpath import text_to_path
from matplotlib.ticker import FixedLocator, FuncFormatter
from mpl_toolkits.axes_grid1 import make_axes_locatable

from blina_analysis.report.style import (
    GRADE_COLOURS,
    HOUSE_RC,
    OKABE_ITO,
    PALETTE,
    figure_bytes,
    house_style,
    save_figure,
    use_house_style,
)
from blina_analysis.definitions import DAYS_PER_MONTH
from blina_analysis.errors import BlinaError
from blina_analysis.report.fmt import ci, n_of, n_pct, number, p_value, pct

__all__ = [
    "HOUSE_RC",
    "PALETTE",
    "house_style",
    "use_house_style",
    "save_figure",
    "figure_bytes",
    "alt_text",
    "km_plot",
    "cif_plot",
    "forest_plot",
    "swimmer_plot",
    "consort_diagram",
    "ae_bar_plot",
]

DEFAULT_XLABEL = "months since start of blinatumomab"
AT_RISK_LABEL = "number at risk"  # label of the at-risk table's axes (tests and readers find it)
_ALT_ATTR = "_blina_alt_text"
_INK = "#222222"
_GREY = "#767676"
_EN_DASH = "\u2013"

_KM_COLUMNS = ("time", "n_risk", "n_event", "n_censor", "survival", "ci_low", "ci_high")
_CIF_COLUMNS = ("time", "n_risk", "n_censor", "cif", "ci_low", "ci_high")


# --------------------------------------------------------------------------------------------------
# helpers


def _styled(func):
    """Run a plotting function inside :func:`house_style`."""

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        with house_style():
            return func(*args, **kwargs)

    return wrapper


def alt_text(fig) -> str:
    """The alt text that the plotting functions stored on ``fig``.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        A figure returned by :func:`km_plot`, :func:`cif_plot`, :func:`forest_plot`,
        :func:`swimmer_plot`, :func:`consort_diagram` or :func:`ae_bar_plot`.

    Returns
    -------
    text : str
        One sentence per plotting call made on the figure, joined by spaces.

    Raises
    ------
    BlinaError
        If no plotting function of this module drew on ``fig``.
    """
    sentences = getattr(fig, _ALT_ATTR, None)
    if not sentences:
        raise BlinaError("this figure has no alt text: it was not drawn by blina_analysis.report.figures")
    return " ".join(sentences)


def _store_alt(fig, sentence: str) -> None:
    sentences = list(getattr(fig, _ALT_ATTR, []) or [])
    sentences.append(sentence)
    setattr(fig, _ALT_ATTR, sentences)


def _new_or_given(ax, figsize):
    if ax is None:
        fig, ax = plt.subplots(figsize=figsize)
        return fig, ax
    return ax.figure, ax


def _listify(objs, what: str) -> list:
    if hasattr(objs, "table"):
        return [objs]
    objs = list(objs)
    if not objs:
        raise BlinaError(f"{what}: expected at least one curve, got none")
    return objs


def _require_columns(df, columns, what: str) -> None:
    if not isinstance(df, pd.DataFrame):
        raise BlinaError(f"{what}: expected a pandas DataFrame, got {type(df).__name__}")
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise BlinaError(f"{what}: missing column(s) {missing}; got {list(df.columns)}")


def _label(obj, i: int, n_objs: int) -> str:
    """The curve's label; the stats layer allows ``None`` (then a neutral name)."""
    if getattr(obj, "label", None) is not None:
        return str(obj.label)
    if getattr(obj, "cause", None) is not None:
        return f"cause {obj.cause}"
    return "all patients" if n_objs == 1 else f"curve {i + 1}"


def _and_join(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    if len(items) == 2:
        return f"{items[0]} and {items[1]}"
    return f"{', '.join(items[:-1])} and {items[-1]}"


def _to_months(days) -> np.ndarray:
    return np.asarray(days, dtype=float) / DAYS_PER_MONTH


def _tick_step(xmax: float) -> float:
    """The first of 1, 2, 3, 6, 12 ... months that gives at most 8 intervals up to ``xmax``."""
    for step in (1, 2, 3, 6, 12, 24, 60, 120):
        if xmax / step <= 8:
            return float(step)
    return float(10 ** math.ceil(math.log10(xmax / 8)))


def _month_ticks(max_days: float, xmax_months, times) -> tuple[float, np.ndarray]:
    if times is not None:
        ticks = np.asarray(times, dtype=float)
        if ticks.ndim != 1 or ticks.size == 0 or np.any(~np.isfinite(ticks)) or np.any(ticks < 0):
            raise BlinaError(f"times must be non-negative months, got {times!r}")
        xmax = float(xmax_months) if xmax_months is not None else float(ticks.max())
        return xmax, ticks[ticks <= xmax + 1e-9]
    if xmax_months is not None:
        if not xmax_months > 0:
            raise BlinaError(f"xmax_months must be positive, got {xmax_months!r}")
        xmax = float(xmax_months)
        step = _tick_step(xmax)
    else:
        data_max = max(float(max_days) / DAYS_PER_MONTH, 1.0)
        step = _tick_step(data_max)
        xmax = step * math.ceil(data_max / step - 1e-9)
    ticks = np.arange(0.0, xmax + 1e-9, step)
    return xmax, ticks


def _month_axis(axis) -> None:
    axis.set_major_formatter(FuncFormatter(lambda v, _pos: number(v)))


def _percent_axis(axis, top: float = 1.0) -> None:
    step = 0.2 if top > 0.6 else (0.1 if top > 0.2 else 0.05)
    axis.set_major_locator(FixedLocator(np.arange(0.0, top + 1e-9, step)))
    axis.set_major_formatter(FuncFormatter(lambda v, _pos: pct(v)))


def _tint(colour, amount: float) -> tuple:
    """``colour`` mixed with white: ``amount`` 1 is the colour, 0 is white."""
    rgb = np.array(mcolors.to_rgb(colour))
    return tuple(1 - amount * (1 - rgb))


def _text_width_pt(strings, size: float, weight: str = "normal") -> float:
    """Width in points of the widest string, measured with the house font (no renderer needed)."""
    prop = FontProperties(family=HOUSE_RC["font.family"], size=size, weight=weight)
    widths = [text_to_path.get_text_width_height_descent(s, prop, ismath=False)[0]
              for s in strings if s]
    return max(widths, default=0.0)


# --------------------------------------------------------------------------------------------------
# survival and cumulative incidence curves


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
    days = np.asarray(ticks, dtype=float) * DAYS_PER_MONTH
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
    groups = _and_join(f"{_label(c, i, len(curves))} (n = {number(c.n)})"
                       for i, c in enumerate(curves))
    noun = "curves" if len(curves) > 1 else "curve"
    _store_alt(fig, f"{estimator} {noun}{what} for {groups} over {number(xmax)} months"
                    f"{', with numbers at risk below' if at_risk else ''}.")
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
    groups = _and_join(f"{_label(c, i, len(cifs))} (n = {number(c.n)})"
                       for i, c in enumerate(cifs))
    noun = "curves" if len(cifs) > 1 else "curve"
    _store_alt(fig, f"Cumulative incidence {noun} of {groups} over {number(xmax)} months"
                    f"{', with numbers at risk below' if at_risk else ''}.")
    return fig


# --------------------------------------------------------------------------------------------------
# forest plot


@_styled
def forest_plot(table, *, ax=None, reference: float | None = None,
                reference_label: str | None = None, xlabel: str = "response rate",
                label_header: str = "", conf_level: float = 0.95) -> Figure:
    """Rates with confidence intervals, one row each, with n/N and "rate (CI)" columns on the right.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per line, drawn top to bottom in table order. Columns ``label`` (str), ``n`` and
        ``N`` (int), ``rate``, ``ci_low``, ``ci_high`` (fractions 0–1); optional ``group`` (a bold
        heading is drawn each time the value changes; rows under it are indented; missing values
        mean no heading) and ``p_value`` (shown where not missing).
    ax : matplotlib.axes.Axes, optional, default: None
        Axes for the points; the label column and the text columns are added to its left and right.
    reference : float, optional, default: None
        A fraction (the overall rate, say) drawn as a dashed vertical line.
    reference_label : str, optional, default: None
        Text above the reference line ("overall").
    xlabel : str, optional, default: "response rate"
    label_header : str, optional, default: ""
        Header of the label column ("subgroup", "trial").
    conf_level : float, optional, default: 0.95
        Only for the column header "rate (95% CI)"; the intervals come from ``table``.

    Returns
    -------
    fig : matplotlib.figure.Figure
        The figure. Its axes are the points (x 0–100%), the labels (``label="labels"``) and the text
        columns (``label="columns"``).

    Notes
    -----
    The same function draws subgroup response rates and the comparison with the pivotal trials.
    Nothing is computed: ``n/N`` is formatted by :func:`~blina_analysis.report.fmt.n_of`, the rate and its
    interval by :func:`~blina_analysis.report.fmt.pct` and :func:`~blina_analysis.report.fmt.ci`.
    """
    _require_columns(table, ("label", "n", "N", "rate", "ci_low", "ci_high"), "forest_plot")
    if reference is not None and not 0 <= reference <= 1:
        raise BlinaError(f"forest_plot: reference must be a fraction in [0, 1], got {reference!r}")
    has_group = "group" in table.columns
    has_p = "p_value" in table.columns

    # layout of rows: ("heading", text) or ("item", row)
    rows: list[tuple[str, object]] = []
    last_group = object()
    for rec in table.itertuples(index=False):
        if has_group:
            g = rec.group
            if not pd.isna(g) and g != last_group:
                rows.append(("heading", str(g)))
            last_group = g
        rows.append(("item", rec))
    nrows = len(rows)
    indent_pt = 10.0 if has_group else 0.0

    labels = [str(r.label) for kind, r in rows if kind == "item"]
    headings = [r for kind, r in rows if kind == "heading"]
    level = number(100 * conf_level)
    col_headers = ["n/N", f"rate ({level}% CI)"] + ([""] if has_p else [])  # entries read "p = …"
    columns = [
        [n_of(r.n, r.N) for kind, r in rows if kind == "item"],
        [f"{pct(r.rate)} ({ci(r.ci_low, r.ci_high)})" for kind, r in rows if kind == "item"],
    ]
    if has_p:
        columns.append([p_value(r.p_value) for kind, r in rows
                        if kind == "item" and not pd.isna(r.p_value)])
    fontsize = 9.0
    label_w = max(_text_width_pt(labels, fontsize) + indent_pt,
                  _text_width_pt(headings + [label_header], fontsize, "bold")) + 6
    gap = 20.0
    col_w = [max(_text_width_pt(col, fontsize), _text_width_pt([h], fontsize, "bold"))
             for col, h in zip(columns, col_headers)]
    col_x = np.concatenate([[gap], gap + np.cumsum([w + gap for w in col_w])[:-1]])
    text_w = float(col_x[-1] + col_w[-1] + 2)

    plot_w = 2.8
    row_h = 0.25
    if ax is None:
        width = (label_w + text_w) / 72 + plot_w + 0.2
        height = row_h * (nrows + 1.5) + 0.6
        fig, ax = plt.subplots(figsize=(width, height))
        fig.subplots_adjust(left=0.1 / width, right=1 - 0.1 / width, bottom=0.55 / height,
                            top=1 - 0.05 / height)
    else:
        fig = ax.figure
    divider = make_axes_locatable(ax)
    lab_ax = divider.append_axes("left", size=label_w / 72, pad=0.0, sharey=ax)
    col_ax = divider.append_axes("right", size=text_w / 72, pad=0.0, sharey=ax)
    lab_ax.set_label("labels")
    col_ax.set_label("columns")
    for a in (lab_ax, col_ax):
        a.axis("off")

    ax.set_ylim(nrows - 0.5, -1.5)
    ax.set_xlim(0, 1)
    _percent_axis(ax.xaxis)
    ax.set_xlabel(xlabel)
    ax.spines["left"].set_visible(False)
    ax.tick_params(axis="y", left=False, labelleft=False)

    def at(a, x_pt):
        base = mtransforms.blended_transform_factory(a.transAxes, a.transData)
        return base + mtransforms.ScaledTranslation(x_pt / 72, 0, fig.dpi_scale_trans)

    if label_header:
        lab_ax.text(0, -1, label_header, transform=at(lab_ax, 0), ha="left", va="center",
                    fontsize=fontsize, fontweight="bold")
    for x_pt, h in zip(col_x, col_headers):
        if h:
            col_ax.text(0, -1, h, transform=at(col_ax, x_pt), ha="left", va="center",
                        fontsize=fontsize, fontweight="bold")

    colour = PALETTE[0]
    ys, rates, los, his = [], [], [], []
    for y, (kind, r) in enumerate(rows):
        if kind == "heading":
            lab_ax.text(0, y, r, transform=at(lab_ax, 0), ha="left", va="center",
                        fontsize=fontsize, fontweight="bold")
            continue
        lab_ax.text(0, y, str(r.label), transform=at(lab_ax, indent_pt), ha="left", va="center",
                    fontsize=fontsize)
        cells = [n_of(r.n, r.N), f"{pct(r.rate)} ({ci(r.ci_low, r.ci_high)})"]
        if has_p:
            cells.append("" if pd.isna(r.p_value) else p_value(r.p_value))
        for x_pt, cell in zip(col_x, cells):
            if cell:
                col_ax.text(0, y, cell, transform=at(col_ax, x_pt), ha="left", va="center",
                            fontsize=fontsize)
        ys.append(y)
        rates.append(float(r.rate))
        los.append(float(r.ci_low))
        his.append(float(r.ci_high))

    if reference is not None:
        ax.vlines(reference, -0.5, nrows - 0.5, colors=_GREY, linestyles=(0, (4, 3)),
                  linewidth=0.9, zorder=1)
        if reference_label:
            ax.text(reference, -1, reference_label, ha="center", va="center", fontsize=fontsize,
                    color=_GREY)
    ax.hlines(ys, los, his, colors=colour, linewidth=1.4, zorder=2)
    ax.plot(rates, ys, linestyle="none", marker="s", markersize=6, color=colour, zorder=3)

    items = [f"{r.label} {pct(r.rate)} ({n_of(r.n, r.N)})" for kind, r in rows if kind == "item"]
    ref = f", with a dashed line at {pct(reference)}" if reference is not None else ""
    _store_alt(fig, f"Forest plot of {xlabel} with {level}% confidence intervals: "
                    f"{'; '.join(items)}{ref}.")
    return fig


# --------------------------------------------------------------------------------------------------
# swimmer plot

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


# --------------------------------------------------------------------------------------------------
# CONSORT diagram

_CONSORT_KEYS = ("enrolled", "mrd", "rr", "mrd_responders", "rr_responders", "mrd_hsct_after",
                 "rr_hsct_after", "mrd_relapsed", "rr_relapsed", "mrd_died", "rr_died",
                 "mrd_alive_in_remission", "rr_alive_in_remission")


@_styled
def consort_diagram(counts: dict, *, labels: tuple[str, str] = ("MRD+ cohort", "R/R cohort"),
                    ax=None) -> Figure:
    """A CONSORT-style flow of patients: enrolled, then one column per cohort.

    Parameters
    ----------
    counts : dict of str to int
        Keys ``enrolled, mrd, rr, mrd_responders, rr_responders, mrd_hsct_after, rr_hsct_after,
        mrd_relapsed, rr_relapsed, mrd_died, rr_died, mrd_alive_in_remission,
        rr_alive_in_remission`` (``mrd_`` for the MRD-positive cohort, ``rr_`` for the
        relapsed/refractory cohort). Extra keys are ignored.
    labels : tuple of str, optional, default: ("MRD+ cohort", "R/R cohort")
        Names of the two cohorts, left and right.
    ax : matplotlib.axes.Axes, optional, default: None

    Returns
    -------
    fig : matplotlib.figure.Figure

    Raises
    ------
    BlinaError
        If a key is missing or a count is not a non-negative whole number.

    Notes
    -----
    Boxes, top to bottom in each column: the cohort; those who responded (with the percentage of
    the cohort); those who had HSCT after response; and the status at last follow-up (alive in
    remission, relapsed, died), as counted by the caller. Drawn with matplotlib patches and arrows
    only.
    """
    missing = [k for k in _CONSORT_KEYS if k not in counts]
    if missing:
        raise BlinaError(f"consort_diagram: missing count(s) {missing}")
    bad = {k: counts[k] for k in _CONSORT_KEYS
           if not (isinstance(counts[k], (int, np.integer)) and not isinstance(counts[k], bool)
                   and counts[k] >= 0)}
    if bad:
        raise BlinaError(f"consort_diagram: counts must be non-negative integers, got {bad!r}")
    c = {k: int(counts[k]) for k in _CONSORT_KEYS}

    fig, ax = _new_or_given(ax, (6.4, 5.6))
    ax.set_xlim(0, 10)
    ax.axis("off")
    box_w = 3.9
    fontsize = 9.5

    def box(x, y_top, text, height, *, bold_first=False):
        ax.add_patch(FancyBboxPatch((x - box_w / 2, y_top - height), box_w, height,
                                    boxstyle="round,pad=0,rounding_size=0.12",
                                    facecolor="white", edgecolor=_INK, linewidth=0.9))
        ax.text(x, y_top - height / 2, text, ha="center", va="center", fontsize=fontsize,
                linespacing=1.4)
        return y_top - height

    def arrow(x, y_from, y_to):
        ax.annotate("", xy=(x, y_to), xytext=(x, y_from),
                    arrowprops=dict(arrowstyle="-|>", color=_INK, linewidth=0.9,
                                    shrinkA=0, shrinkB=0, mutation_scale=10))

    xs = (2.5, 7.5)
    bottom = box(5.0, 9.9, f"Enrolled\nn = {number(c['enrolled'])}", 0.9)
    split = bottom - 0.45
    ax.plot([5.0, 5.0], [bottom, split], color=_INK, linewidth=0.9)
    ax.plot([xs[0], xs[1]], [split, split], color=_INK, linewidth=0.9)
    h2, h4 = 0.9, 1.75
    step = 0.55
    for x, prefix, label in zip(xs, ("mrd", "rr"), labels):
        n = c[prefix]
        top = split - 0.45
        arrow(x, split, top)
        y = box(x, top, f"{label}\nn = {number(n)}", h2)
        arrow(x, y, y - step)
        y = box(x, y - step, f"Responded\nn = {n_pct(c[prefix + '_responders'], n)}", h2)
        arrow(x, y, y - step)
        y = box(x, y - step, f"HSCT after response\nn = {number(c[prefix + '_hsct_after'])}", h2)
        arrow(x, y, y - step)
        last = box(x, y - step,
                   "At last follow-up\n"
                   f"alive in remission: {number(c[prefix + '_alive_in_remission'])}\n"
                   f"relapsed: {number(c[prefix + '_relapsed'])}\n"
                   f"died: {number(c[prefix + '_died'])}", h4)
    ax.set_ylim(last - 0.1, 10)

    cohorts = []
    for prefix, label in zip(("mrd", "rr"), labels):
        cohorts.append(
            f"{label} {number(c[prefix])}, of whom {number(c[prefix + '_responders'])} responded, "
            f"{number(c[prefix + '_hsct_after'])} had HSCT after response, "
            f"{number(c[prefix + '_relapsed'])} relapsed, {number(c[prefix + '_died'])} died and "
            f"{number(c[prefix + '_alive_in_remission'])} were alive in remission")
    _store_alt(fig, f"Flow diagram of {number(c['enrolled'])} enrolled patients: "
                    f"{'; '.join(cohorts)}.")
    return fig


# --------------------------------------------------------------------------------------------------
# adverse events

_GRADES = (("grade_1_2", f"1{_EN_DASH}2"), ("grade_3", "3"), ("grade_4", "4"), ("grade_5", "5"))


@_styled
def ae_bar_plot(table, *, ax=None, xlabel: str = "patients",
                show_totals: bool = True) -> Figure:
    """Percentage of patients with each kind of adverse event, stacked by worst grade.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per category, drawn top to bottom in table order. Columns ``category``,
        ``grade_1_2``, ``grade_3``, ``grade_4``, ``grade_5`` (numbers of patients whose worst grade
        of that category is this grade) and ``N`` (the denominator, e.g. the safety set).
    ax : matplotlib.axes.Axes, optional, default: None
    xlabel : str, optional, default: "patients"
    show_totals : bool, optional, default: True
        Print "n (%)" of any grade at the end of each bar.

    Returns
    -------
    fig : matplotlib.figure.Figure

    Notes
    -----
    Each patient counts once per category, at the worst grade, so the segments of a bar add up to
    the patients with any grade. The grade colours are a sequential scale (light = mild), readable
    in grey scale.
    """
    cols = [g for g, _ in _GRADES]
    _require_columns(table, ("category", *cols, "N"), "ae_bar_plot")
    if len(table) == 0:
        raise BlinaError("ae_bar_plot: table is empty")
    counts = table[cols].to_numpy(dtype=float)
    denom = table["N"].to_numpy(dtype=float)
    if np.any(denom <= 0) or np.any(counts < 0):
        raise BlinaError("ae_bar_plot: N must be positive and counts non-negative")
    shares = counts / denom[:, None]
    totals = counts.sum(axis=1)

    ncat = len(table)
    fig, ax = _new_or_given(ax, (6.4, 1.1 + 0.3 * ncat))
    y = np.arange(ncat)
    left = np.zeros(ncat)
    for (col, label), colour, share in zip(_GRADES, GRADE_COLOURS, shares.T):
        ax.barh(y, share, left=left, height=0.66, color=colour, edgecolor="white",
                linewidth=0.5, label=label)
        left = left + share
    top = float(left.max())
    xmax = min(1.0, math.ceil((top + (0.09 if show_totals else 0.02)) * 10) / 10)
    if show_totals:
        for yi, share, n, N in zip(y, left, totals, denom):
            ax.text(share + 0.008, yi, n_pct(int(n), int(N)), va="center", ha="left",
                    fontsize=8.5, color=_INK)
    ax.set_xlim(0, xmax)
    ax.set_ylim(ncat - 0.5, -0.5)
    ax.set_yticks(y, [str(c) for c in table["category"]])
    ax.tick_params(axis="y", left=False)
    ax.spines["left"].set_visible(False)
    _percent_axis(ax.xaxis, xmax)
    ax.grid(axis="x")
    ax.set_axisbelow(True)
    ax.set_xlabel(xlabel)
    ax.legend(title="worst grade", loc="lower left", bbox_to_anchor=(0, 1.0), ncols=4,
              borderaxespad=0.2, title_fontsize=9, alignment="left")

    listed = [f"{cat} {n_pct(int(n), int(N))}" for cat, n, N in
              zip(table["category"], totals, denom)]
    more = f" and {number(len(listed) - 8)} more" if len(listed) > 8 else ""
    Ns = sorted(set(int(v) for v in denom))
    of = f" of {number(Ns[0])} patients" if len(Ns) == 1 else ""
    _store_alt(fig, f"Stacked bar chart of the percentage{of} with each adverse event category by "
                    f"worst grade (1{_EN_DASH}2, 3, 4, 5): {'; '.join(listed[:8])}{more}.")
    return fig
