"""Forest plot of rates or effects by subgroup."""

from __future__ import annotations

import matplotlib.pyplot as plt
import matplotlib.transforms as mtransforms
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from mpl_toolkits.axes_grid1 import make_axes_locatable

from blina_analysis.analyses.description import THIS_TRIAL
from blina_analysis.errors import BlinaError
from blina_analysis.i18n import N_, _
from blina_analysis.report.figures._common import (
    _GREY,
    _percent_axis,
    _require_columns,
    _store_alt,
    _styled,
    _text_width_pt,
)
from blina_analysis.report.figures.style import (
    PALETTE,
)
from blina_analysis.report.fmt import ci, n_of, number, p_value, pct, signed


def _tr(text):
    """``text`` in the current language (an empty or missing text stays as it is)."""
    return _(str(text)) if text else text


#: Labels the chapters pass to the forest plots, translated at draw time.
CHAPTER_LABELS = (N_("trial"), N_("overall"), N_("subgroup"), N_("p (Holm)"),
                  N_("response rate"))
#: The words of the codes of :func:`~blina_analysis.analyses.pivotal_comparison`: its groups, and
#: the label of this build's rows (the other labels are the trials' names, shown as published).
PIVOTAL_GROUPS = {"rr": N_("R/R: CR/CRh"), "mrd": N_("MRD+: MRD negativity")}
THIS_TRIAL_LABEL = N_("this trial")


@_styled
def forest_plot(table, *, ax=None, reference: float | None = None,
                reference_label: str | None = None, xlabel: str = "response rate",
                label_header: str = "", conf_level: float = 0.95,
                p_header: str = "") -> Figure:
    """Rates with confidence intervals, one row each, with n/N and "rate (CI)" columns on the right.

    Parameters
    ----------
    table : pandas.DataFrame
        One row per line, drawn top to bottom in table order. Columns ``label`` (str), ``n`` and
        ``N`` (int), ``rate``, ``ci_low``, ``ci_high`` (fractions 0–1); optional ``group`` (a bold
        heading is drawn each time the value changes; rows under it are indented; missing values
        mean no heading) and ``p_value`` (shown where not missing); optional ``difference``,
        ``diff_ci_low``, ``diff_ci_high`` (fractions, shown in percentage points where not
        missing), ``exploratory`` (the heading says "(exploratory)") and ``unknown`` (the row of
        patients whose value is unknown: drawn in grey, in no comparison).
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
    p_header : str, optional, default: ""
        Header of the p-value column (e.g. "p (Holm)").

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
    xlabel, label_header = _tr(xlabel), _tr(label_header)
    reference_label, p_header = _tr(reference_label), _tr(p_header)
    if reference is not None and not 0 <= reference <= 1:
        raise BlinaError(f"forest_plot: reference must be a fraction in [0, 1], got {reference!r}")
    has_group = "group" in table.columns
    has_p = "p_value" in table.columns
    has_diff = "difference" in table.columns
    exploratory = table["exploratory"] if "exploratory" in table.columns else None
    unknown_rows = (table["unknown"].astype(bool).tolist() if "unknown" in table.columns
                    else [False] * len(table))

    # layout of rows: ("heading", text) or ("item", row)
    rows: list[tuple[str, object]] = []
    last_group = object()
    for i, rec in enumerate(table.itertuples(index=False)):
        if has_group:
            g = rec.group
            if not pd.isna(g) and g != last_group:
                explore = exploratory is not None and bool(exploratory.iloc[i])
                rows.append(("heading", _("{group} (exploratory)").format(group=_tr(g))
                             if explore else _tr(g)))
            last_group = g
        rows.append(("item", rec))
    grey_item = dict(zip((id(r) for kind, r in rows if kind == "item"), unknown_rows))

    def diff_cell(r) -> str:
        if not has_diff or pd.isna(r.difference):
            return ""
        return _("{difference} ({low} to {high})").format(  # as the subgroup table has it
            difference=signed(100 * r.difference), low=signed(100 * r.diff_ci_low),
            high=signed(100 * r.diff_ci_high))
    nrows = len(rows)
    indent_pt = 10.0 if has_group else 0.0

    labels = [_tr(r.label) for kind, r in rows if kind == "item"]
    headings = [r for kind, r in rows if kind == "heading"]
    level = number(100 * conf_level)
    col_headers = (["n/N", _("rate ({level}% CI)").format(level=level)]
                   + ([_("difference, points ({level}% CI)").format(level=level)] if has_diff
                      else [])
                   + ([p_header] if has_p else []))  # entries read "p = …"
    columns = [
        [n_of(r.n, r.N) for kind, r in rows if kind == "item"],
        [f"{pct(r.rate)} ({ci(r.ci_low, r.ci_high)})" for kind, r in rows if kind == "item"],
    ]
    if has_diff:
        columns.append([diff_cell(r) for kind, r in rows if kind == "item"] or [""])
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
        lab_ax.text(0, y, _tr(r.label), transform=at(lab_ax, indent_pt), ha="left", va="center",
                    fontsize=fontsize)
        cells = [n_of(r.n, r.N), f"{pct(r.rate)} ({ci(r.ci_low, r.ci_high)})"]
        if has_diff:
            cells.append(diff_cell(r))
        if has_p:
            cells.append("" if pd.isna(r.p_value) else p_value(r.p_value))
        for x_pt, cell in zip(col_x, cells):
            if cell:
                col_ax.text(0, y, cell, transform=at(col_ax, x_pt), ha="left", va="center",
                            fontsize=fontsize)
        if grey_item[id(r)]:  # patients whose value is unknown: shown, compared with nobody
            ax.hlines(y, float(r.ci_low), float(r.ci_high), colors=_GREY, linewidth=1.4,
                      zorder=2)
            ax.plot([float(r.rate)], [y], linestyle="none", marker="s", markersize=6,
                    markerfacecolor="white", color=_GREY, zorder=3)
            continue
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

    items = "; ".join(f"{_tr(r.label)} {pct(r.rate)} ({n_of(r.n, r.N)})"
                      for kind, r in rows if kind == "item")
    if reference is not None:
        alt = _("Forest plot of {what} with {level}% confidence intervals: {items}, with a dashed "
                "line at {reference}.").format(what=xlabel, level=level, items=items,
                                               reference=pct(reference))
    else:
        alt = _("Forest plot of {what} with {level}% confidence intervals: {items}.").format(
            what=xlabel, level=level, items=items)
    _store_alt(fig, alt)
    return fig




def pivotal_forest_plot(comparison, **kwargs) -> Figure:
    """The response rates of this trial beside the pivotal trials' (:func:`forest_plot`, label
    column headed "trial"), in the reader's language.

    ``comparison`` is :func:`~blina_analysis.analyses.pivotal_comparison`: its codes become the
    words of :data:`PIVOTAL_GROUPS` and :data:`THIS_TRIAL_LABEL`; other keyword arguments go to
    :func:`forest_plot`.
    """
    _require_columns(comparison, ("group", "label"), "pivotal_forest_plot")
    worded = comparison.assign(
        group=[PIVOTAL_GROUPS[g] for g in comparison["group"]],
        label=[THIS_TRIAL_LABEL if label == THIS_TRIAL else label
               for label in comparison["label"]])
    return forest_plot(worded, **{"label_header": "trial", **kwargs})
