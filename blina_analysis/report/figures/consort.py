"""The CONSORT flow diagram."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch

from blina_analysis.errors import BlinaError
from blina_analysis.report.figures._common import (
    _INK,
    _new_or_given,
    _store_alt,
    _styled,
)
from blina_analysis.report.fmt import n_pct, number

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


