"""The main estimates of every edition against its data cut-off date."""

from __future__ import annotations

import matplotlib.pyplot as plt
from matplotlib.figure import Figure

from blina_analysis.i18n import N_, _
from blina_analysis.report.figures._common import _percent_axis, _store_alt, _styled
from blina_analysis.report.figures.style import PALETTE
from blina_analysis.report.fmt import ci, date, pct

__all__ = ["history_plot"]


@_styled
def history_plot(series: list[dict], *, xlabel: str = N_("data cut-off"),
                 ylabel: str = N_("estimate")) -> Figure:
    """One small panel per estimate: a point per edition at its data cut-off, with its 95% CI.

    Parameters
    ----------
    series : list of dict
        Per estimate (:func:`blina_analysis.report.text.history.figure_series`): ``label`` (in the
        reader's language) and ``points``, a list of ``(cut-off date, value, ci_low or None,
        ci_high or None)`` with values as fractions 0–1.
    xlabel, ylabel : str, optional
        Axis labels.

    Returns
    -------
    fig : matplotlib.figure.Figure
        Panels laid out two per row, sharing the 0–100% axis.
    """
    columns = 2
    rows = max(1, -(-len(series) // columns))
    fig, axes = plt.subplots(rows, columns, figsize=(8.0, 2.3 * rows), sharey=True,
                             squeeze=False, constrained_layout=True)
    dates = sorted({p[0] for s in series for p in s["points"]})
    sentences = []
    for i, (ax, s) in enumerate(zip(axes.flat, series)):
        colour = PALETTE[i % len(PALETTE)]
        for when, value, low, high in s["points"]:
            if low is not None and high is not None:
                ax.plot([when, when], [low, high], color=colour, linewidth=1.5)
            ax.plot([when], [value], marker="o", color=colour, linestyle="none")
        if len(s["points"]) > 1:
            ax.plot([p[0] for p in s["points"]], [p[1] for p in s["points"]], color=colour,
                    linewidth=0.8, alpha=0.6)
        ax.set_title(s["label"], fontsize=9, loc="left")
        ax.set_ylim(0, 1)
        _percent_axis(ax.yaxis)
        if dates:
            ax.set_xticks(dates, [date(d) for d in dates], fontsize=7)
            pad = max((dates[-1] - dates[0]).days * 0.1, 60)
            from datetime import timedelta

            ax.set_xlim(dates[0] - timedelta(days=pad), dates[-1] + timedelta(days=pad))
        if i % columns == 0:
            ax.set_ylabel(_(ylabel))
        if i >= len(series) - columns:
            ax.set_xlabel(_(xlabel))
        shown = "; ".join(
            f"{date(when)}: {pct(value)}" + (f" ({ci(low, high)})" if low is not None
                                             and high is not None else "")
            for when, value, low, high in s["points"]) or _("no edition has it")
        sentences.append(f"{s['label']}: {shown}.")
    for ax in list(axes.flat)[len(series):]:
        ax.set_visible(False)
    _store_alt(fig, _("Main estimates of each edition with their 95% CIs against the data cut-off "
                      "date.") + " " + " ".join(sentences))
    return fig
