"""Adverse events by grade."""

from __future__ import annotations

import math

import numpy as np
from matplotlib.figure import Figure

from blina_analysis.errors import BlinaError
from blina_analysis.i18n import _
from blina_analysis.report.figures._common import (
    _EN_DASH,
    _INK,
    _new_or_given,
    _percent_axis,
    _require_columns,
    _store_alt,
    _styled,
)
from blina_analysis.report.figures.style import (
    GRADE_COLOURS,
)
from blina_analysis.report.fmt import n_pct, number
from blina_analysis.report.vocabulary import category as category_word

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
    cols = [g for g, _label in _GRADES]
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
    ax.set_yticks(y, [category_word(c) for c in table["category"]])
    ax.tick_params(axis="y", left=False)
    ax.spines["left"].set_visible(False)
    _percent_axis(ax.xaxis, xmax)
    ax.grid(axis="x")
    ax.set_axisbelow(True)
    ax.set_xlabel(_(xlabel))
    ax.legend(title=_("worst grade"), loc="lower left", bbox_to_anchor=(0, 1.0), ncols=4,
              borderaxespad=0.2, title_fontsize=9, alignment="left")

    listed = [f"{category_word(cat)} {n_pct(int(n), int(N))}" for cat, n, N in
              zip(table["category"], totals, denom)]
    shown = "; ".join(listed[:8])
    if len(listed) > 8:
        shown = _("{listed} and {n} more").format(listed=shown, n=number(len(listed) - 8))
    Ns = sorted(set(int(v) for v in denom))
    if len(Ns) == 1:
        alt = _("Stacked bar chart of the percentage of {N} patients with each adverse event "
                "category by worst grade (1\u20132, 3, 4, 5): {listed}.").format(N=number(Ns[0]),
                                                                            listed=shown)
    else:
        alt = _("Stacked bar chart of the percentage with each adverse event category by worst "
                "grade (1\u20132, 3, 4, 5): {listed}.").format(listed=shown)
    _store_alt(fig, alt)
    return fig
