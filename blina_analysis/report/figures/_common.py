"""Shared by every figure: constants, the alt-text store, axes in months and percent."""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence

import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import text_to_path
from matplotlib.ticker import FixedLocator, FuncFormatter

from blina_analysis.definitions import AT_RISK_EVERY_MONTHS, DAYS_PER_MONTH
from blina_analysis.errors import BlinaError
from blina_analysis.i18n import N_, _
from blina_analysis.report.figures.style import (
    HOUSE_RC,
    house_style,
)
from blina_analysis.report.fmt import number, pct

DEFAULT_XLABEL = N_("months since start of blinatumomab")
AT_RISK_LABEL = N_("number at risk")  # label of the at-risk table's axes (tests and readers find it)
#: Labels the chapters pass to the figures (axes, endpoints, estimators): translated at draw time.
CHAPTER_LABELS = (
    N_("months since response"), N_("months since the landmark"),
    N_("overall survival"), N_("disease-free survival"), N_("relapse-free survival"),
    N_("event-free survival"), N_("overall and disease-free survival"),
    N_("overall and event-free survival"), N_("survival"),
    N_("Kaplan\u2013Meier"), N_("Simon\u2013Makuch"), N_("patients"), N_("log-rank"),
)
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
        return _(str(obj.label))
    if getattr(obj, "cause", None) is not None:
        return _("cause {cause}").format(cause=obj.cause)
    return _("all patients") if n_objs == 1 else _("curve {number}").format(number=i + 1)


def _and_join(items: Sequence[str]) -> str:
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    if len(items) == 2:
        return _("{first} and {last}").format(first=items[0], last=items[1])
    return _("{first} and {last}").format(first=", ".join(items[:-1]), last=items[-1])


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


def _at_risk_ticks(xmax: float) -> np.ndarray:
    """Every :data:`AT_RISK_EVERY_MONTHS` months up to ``xmax`` (every multiple of it that keeps
    at most 16 intervals); for follow-up shorter than two such steps, every 1, 2 or 3 months."""
    step = float(AT_RISK_EVERY_MONTHS)
    if xmax < 2 * step:
        step = float(next(s for s in (1, 2, 3, AT_RISK_EVERY_MONTHS) if xmax / s <= 6))
    else:
        step *= np.ceil(xmax / (16 * step))
    return np.arange(0.0, xmax + 1e-9, step)


def _month_axis(axis) -> None:
    axis.set_major_formatter(FuncFormatter(lambda v, _pos: number(v)))


def _percent_axis(axis, top: float = 1.0) -> None:
    step = 0.2 if top > 0.6 else (0.1 if top > 0.2 else 0.05)
    axis.set_major_locator(FixedLocator(np.arange(0.0, top + 1e-9, step)))
    axis.set_major_formatter(FuncFormatter(lambda v, _pos: pct(v, 0)))  # ticks: whole


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


