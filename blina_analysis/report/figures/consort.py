"""The CONSORT flow diagram."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch

from blina_analysis.errors import BlinaError
from blina_analysis.i18n import N_, _
from blina_analysis.report.figures._common import (
    _INK,
    _new_or_given,
    _store_alt,
    _styled,
)
from blina_analysis.report.fmt import n_pct, number
from blina_analysis.report.text.safety import EARLY_STOP_WORDS

_COHORTS = ("mrd", "rr")
#: Categories of response and of no response shown in each cohort's boxes: (key suffix, label).
_RESPONDED = {"rr": (("cr", N_("CR")), ("crh", N_("CRh"))), "mrd": ()}
_NOT_RESPONDED = {"rr": (("nr", N_("NR")), ("ne", N_("NE (not evaluable)"))),
                  "mrd": (("positive", N_("MRD positive")),
                          ("not_assessed", N_("MRD not assessed")))}
_RESPONSE_NAME = {"rr": N_("CR or CRh"), "mrd": N_("MRD negative")}
_BRANCHES = (("hsct_after", N_("HSCT after response")),
             ("no_hsct_after", N_("no HSCT after response")))
_BRANCH_BOX = {"hsct_after": N_("HSCT after response\nn = {n}"),
               "no_hsct_after": N_("No HSCT after response\nn = {n}")}
_STATUS = (("alive_in_remission", N_("alive in remission")), ("relapsed", N_("relapsed")),
           ("died_without_relapse", N_("died without relapse")))


def _keys(p: str) -> list[str]:
    keys = [p, f"{p}_pending", f"{p}_responders", f"{p}_non_responders",
            f"{p}_non_responders_alive", f"{p}_non_responders_died"]
    keys += [f"{p}_{k}" for k, _name in _RESPONDED[p] + _NOT_RESPONDED[p]]
    for b, _name in _BRANCHES:
        keys += [f"{p}_{b}"] + [f"{p}_{b}_{s}" for s, _name in _STATUS]
    return keys


_CONSORT_KEYS = ("enrolled", *(k for p in _COHORTS for k in _keys(p)))


def _partitions(c: dict) -> list[tuple[str, list[str]]]:
    """Every (parent, children) pair of the diagram: the children must add up to the parent."""
    out = [("enrolled", list(_COHORTS))]
    for p in _COHORTS:
        out.append((p, [f"{p}_pending", f"{p}_responders", f"{p}_non_responders"]))
        if _RESPONDED[p]:
            out.append((f"{p}_responders", [f"{p}_{k}" for k, _name in _RESPONDED[p]]))
        out.append((f"{p}_non_responders", [f"{p}_{k}" for k, _name in _NOT_RESPONDED[p]]))
        out.append((f"{p}_responders", [f"{p}_{b}" for b, _name in _BRANCHES]))
        for b, _name in _BRANCHES:
            out.append((f"{p}_{b}", [f"{p}_{b}_{s}" for s, _name in _STATUS]))
        out.append((f"{p}_non_responders", [f"{p}_non_responders_alive",
                                            f"{p}_non_responders_died"]))
    return out


def _reason_lines(pairs) -> str:
    return "\n".join(f"{_(reason)} {number(n)}" for reason, n in pairs)


def _top_chain(treated: int, screening, stops) -> list[tuple[str, str | None]]:
    """The boxes above the cohorts, top to bottom: ``(main box text, side box text or None)``;
    the last is always the treated patients."""
    chain = []
    not_treated = tuple(screening.not_treated) if screening is not None else ()
    enrolled = treated + sum(n for _reason, n in not_treated)
    if screening is not None and screening.screened is not None:
        excluded = sum(n for _reason, n in screening.excluded)
        side = None
        if excluded:
            side = (_("Excluded n = {n}").format(n=number(excluded)) + "\n"
                    + _reason_lines(screening.excluded))
        chain.append((_("Screened\nn = {n}").format(n=number(screening.screened)), side))
    if not_treated:
        chain.append((_("Enrolled\nn = {n}").format(n=number(enrolled)),
                      _("Not treated n = {n}").format(n=number(enrolled - treated)) + "\n"
                      + _reason_lines(not_treated)))
    side = None
    if stops is not None and stops.n:
        lines = [(EARLY_STOP_WORDS.get(r, r), n) for r, n in stops.recorded]
        if stops.unrecorded:
            lines.append((N_("reason not recorded"), stops.unrecorded))
        side = _("Stopped early n = {n}").format(n=number(stops.n)) + "\n" + _reason_lines(lines)
    # without a record of patients enrolled but not treated, the two counts are one
    label = _("Treated\nn = {n}") if chain else _("Enrolled and treated\nn = {n}")
    chain.append((label.format(n=number(treated)), side))
    return chain


@_styled
def consort_diagram(counts: dict, *, labels: tuple[str, str] = (N_("MRD+ cohort"), N_("R/R cohort")),
                    screening=None, stops=None, ax=None) -> Figure:
    """A CONSORT-style flow of patients in which the boxes of each level add up to their parent.

    Parameters
    ----------
    counts : dict of str to int
        :meth:`Analysis.disposition <blina_analysis.analyses.core.Analysis.disposition>`:
        ``enrolled`` and, for each cohort prefix ``p`` (``mrd`` for the MRD-positive cohort,
        ``rr`` for the relapsed/refractory one), ``p``, ``p_pending``, ``p_responders``,
        ``p_non_responders``, their categories (``rr_cr, rr_crh, rr_nr, rr_ne``;
        ``mrd_positive, mrd_not_assessed``), ``p_hsct_after`` and ``p_no_hsct_after`` with
        their status at last follow-up (``…_alive_in_remission``, ``…_relapsed``,
        ``…_died_without_relapse``), and ``p_non_responders_alive``, ``p_non_responders_died``.
        Extra keys are ignored.
    labels : tuple of str, optional, default: ("MRD+ cohort", "R/R cohort")
        Names of the two cohorts, top and bottom.
    screening : Screening, optional, default: None
        :meth:`Analysis.screening <blina_analysis.analyses.core.Analysis.screening>`: patients
        screened and excluded (with reasons) and enrolled but not treated, drawn above the
        treated patients where recorded.
    stops : Reasons, optional, default: None
        :meth:`Analysis.early_stop_reasons <blina_analysis.analyses.core.Analysis.
        early_stop_reasons>`: the patients whose blinatumomab was stopped early, with the
        reasons where recorded, in a box beside the treated patients.
    ax : matplotlib.axes.Axes, optional, default: None

    Returns
    -------
    fig : matplotlib.figure.Figure

    Raises
    ------
    BlinaError
        If a key is missing, a count is not a non-negative whole number, or the counts of a
        level do not add up to their parent.

    Notes
    -----
    Enrolled patients branch into the cohorts. In each cohort: the patients whose response is not
    yet assessed leave to the side (only when there are any); the others split into responders
    (with the categories of response) and non-responders (with theirs). Responders split into those
    with and without allo-HSCT after response, each with their status at last follow-up (alive in
    remission, relapsed, died without relapse); non-responders into alive and died. Percentages of
    response are of the patients assessed. Drawn with matplotlib patches and arrows only.
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
    wrong = [f"{parent} = {c[parent]} but {' + '.join(children)} = "
             f"{sum(c[k] for k in children)}"
             for parent, children in _partitions(c) if sum(c[k] for k in children) != c[parent]]
    if wrong:
        raise BlinaError("consort_diagram: the boxes of a level must add up to their parent: "
                         + "; ".join(wrong))

    fontsize = 8.5
    unit_in = 0.64  # one axis unit in inches (the 6.4-inch width is 10 units; y alike)
    line = 0.25  # height of one line of text, in axis units
    gap = 0.42

    def height(text: str) -> float:
        return line * (text.count("\n") + 1) + 0.22

    own = ax is None
    fig, ax = _new_or_given(ax, (10 * unit_in, 1.0))
    if own:
        ax.set_position([0, 0, 1, 1])
    ax.set_xlim(0, 10)
    ax.axis("off")

    def box(x, y_top, text, width):
        h = height(text)
        ax.add_patch(FancyBboxPatch((x - width / 2, y_top - h), width, h,
                                    boxstyle="round,pad=0,rounding_size=0.08",
                                    facecolor="white", edgecolor=_INK, linewidth=0.9))
        ax.text(x, y_top - h / 2, text, ha="center", va="center", fontsize=fontsize,
                linespacing=1.35)
        return y_top - h

    def line_(xs, ys):
        ax.plot(xs, ys, color=_INK, linewidth=0.9, solid_capstyle="butt")

    def arrow(x_from, y_from, x_to, y_to):
        ax.annotate("", xy=(x_to, y_to), xytext=(x_from, y_from),
                    arrowprops=dict(arrowstyle="-|>", color=_INK, linewidth=0.9,
                                    shrinkA=0, shrinkB=0, mutation_scale=9))

    def fork(x_parent, y_parent, xs_children, y_children):
        """Lines from a parent's bottom to the tops of its children."""
        mid = y_children + gap / 2
        line_([x_parent, x_parent], [y_parent, mid])
        if len(xs_children) > 1:
            line_([min(xs_children), max(xs_children)], [mid, mid])
        for x in xs_children:
            arrow(x, mid, x, y_children)

    # the cohorts hang one below the other from a trunk on the left (side by side the boxes
    # would be too narrow for their text)
    trunk_x = 0.5
    y = -0.1
    chain = _top_chain(c["enrolled"], screening, stops)
    for i, (main, side) in enumerate(chain):
        main_bottom = box(1.3, y, main, 2.0)
        bottom = main_bottom
        if side is not None:  # beside the main box, an arrow from its middle
            arrow(2.3, y - height(main) / 2, 3.0, y - height(main) / 2)
            bottom = min(bottom, box(4.9, y, side, 3.8))
        if i == len(chain) - 1:  # the treated patients: the trunk to the cohorts starts here
            trunk_top, y = main_bottom, bottom
            break
        arrow(1.3, main_bottom, 1.3, bottom - gap)
        y = bottom - gap
    x_branches = (2.1, 4.95)
    x_resp, x_non = sum(x_branches) / 2, 8.3
    x_cohort = (x_resp + x_non) / 2
    ends = []
    for p, label in zip(_COHORTS, labels):
        top = y - gap
        cohort_text = f"{_(label)}\nn = {number(c[p])}"
        y = box(x_cohort, top, cohort_text, 2.6)
        ends.append(top - height(cohort_text) / 2)
        line_([trunk_x, trunk_x], [trunk_top, ends[-1]])
        arrow(trunk_x, ends[-1], x_cohort - 1.3, ends[-1])
        assessed = c[p] - c[f"{p}_pending"]
        y_cohort = y
        if c[f"{p}_pending"]:
            side_text = _("Not yet assessed\n(still on treatment)\nn = {n}").format(
                n=number(c[f'{p}_pending']))
            side_top = y - 0.25
            side_mid = side_top - height(side_text) / 2
            arrow(x_cohort, side_mid, 8.7 - 1.15, side_mid)
            box(8.7, side_top, side_text, 2.3)
            y = side_top - height(side_text)
        responded = _("Responded: {response}\nn = {n}").format(
            response=_(_RESPONSE_NAME[p]), n=n_pct(c[f'{p}_responders'], assessed))
        if _RESPONDED[p]:
            responded += "\n" + " · ".join(f"{_(name)} {number(c[f'{p}_{k}'])}"
                                           for k, name in _RESPONDED[p])
        not_responded = (_("No response\nn = {n}").format(
            n=n_pct(c[f'{p}_non_responders'], assessed)) + "\n"
                         + "\n".join(f"{_(name)} {number(c[f'{p}_{k}'])}"
                                     for k, name in _NOT_RESPONDED[p]))
        level2 = y - gap
        fork(x_cohort, y_cohort, (x_resp, x_non), level2)
        y_resp = box(x_resp, level2, responded, 3.1)
        y_non = box(x_non, level2, not_responded, 2.9)

        level3 = min(y_resp, y_non) - gap
        fork(x_resp, y_resp, x_branches, level3)
        arrow(x_non, y_non, x_non, level3)
        bottoms = []
        for (b, name), x in zip(_BRANCHES, x_branches):
            y_b = box(x, level3, _(_BRANCH_BOX[b]).format(n=number(c[f'{p}_{b}'])), 2.7)
            status = _("At last follow-up") + "\n" + "\n".join(
                f"{_(s_name)} {number(c[f'{p}_{b}_{s}'])}" for s, s_name in _STATUS)
            arrow(x, y_b, x, y_b - gap)
            bottoms.append(box(x, y_b - gap, status, 2.7))
        non_status = _("At last follow-up\nalive {alive}\ndied {died}").format(
            alive=number(c[f'{p}_non_responders_alive']),
            died=number(c[f'{p}_non_responders_died']))
        bottoms.append(box(x_non, level3, non_status, 2.9))
        y = min(bottoms) - 0.15
    bottom = y - 0.05
    ax.set_ylim(bottom, 0)
    if own:
        fig.set_figheight(-bottom * unit_in)

    cohorts = []
    for p, label in zip(_COHORTS, labels):
        assessed = c[p] - c[f"{p}_pending"]
        parts = [f"{_(label)} {number(c[p])}"]
        if c[f"{p}_pending"]:
            parts.append(_("{n} not yet assessed").format(n=number(c[f'{p}_pending'])))
        responded = _("{n} of {assessed} assessed responded").format(
            n=number(c[f'{p}_responders']), assessed=number(assessed))
        if _RESPONDED[p]:
            responded += " (" + ", ".join(f"{_(name)} {number(c[f'{p}_{k}'])}"
                                          for k, name in _RESPONDED[p]) + ")"
        parts.append(responded)
        parts.append(_("{n} did not ({which})").format(
            n=number(c[f'{p}_non_responders']),
            which=", ".join(f"{_(name)} {number(c[f'{p}_{k}'])}"
                            for k, name in _NOT_RESPONDED[p])))
        for b, name in _BRANCHES:
            parts.append(f"{_(name)} {number(c[f'{p}_{b}'])} ("
                         + ", ".join(f"{_(s_name)} {number(c[f'{p}_{b}_{s}'])}"
                                     for s, s_name in _STATUS) + ")")
        parts.append(_("non-responders alive {alive}, died {died}").format(
            alive=number(c[f'{p}_non_responders_alive']),
            died=number(c[f'{p}_non_responders_died'])))
        cohorts.append(", ".join(parts))
    top = " ".join(main.replace("\n", " ") + ("" if side is None else
                   " (" + side.replace("\n", ", ") + ")") + "."
                   for main, side in _top_chain(c["enrolled"], screening, stops))
    _store_alt(fig, _("Flow diagram. {top} {cohorts}.").format(top=top, cohorts="; ".join(cohorts)))
    return fig
