"""Numbers become text here, and only here.

Every string a reader sees (prose glued into the book, table cells, figure labels, the command line)
is made by one of these functions, so the whole book follows one convention: percentages whole from
10% up and to one decimal below 10% (:func:`pct_decimals`, for an estimate and for each of its
confidence limits alike, so that "3.0% (0.3–16%)" does not hide a lower limit of 0.3% as
"3% (0–16%)"), counts as ``n/N``, 95% confidence intervals with an en dash, p-values to three
decimals with a floor. Rounding is half-up (as in the paper and as readers expect: 0.5 → 1), not
Python's banker's rounding.

Missing values (``None`` or NaN) print as ``"NA"``. Each concept the data cannot give has one form
of its own, never shared with a response category (NR = no response and NE = not evaluable are the
data's response codes): a survival or incidence estimate, or a hazard ratio, that cannot be
computed is ``"not estimable"``; a confidence limit that cannot be computed (infinite or undefined)
is ``"n.e."`` (:data:`LIMIT_NOT_ESTIMABLE`); a median that the curve never reaches is written out,
``"not reached"``. Signed differences carry a true minus sign (U+2212) and a ``+`` for increases.

Every function writes in the current language (:func:`blina_analysis.i18n.current_language`;
:func:`blina_analysis.i18n.use_language` sets it): English as above; Russian as Russian medical
journals write (``glossary_ru.md``): a decimal comma (``40,5``), a non-breaking space between the
thousands from five digits on (``10 000``), ``95% ДИ``, ``ОР``, ``мес.``, dates ``30.06.2026``,
and the words of the catalogs (``н/д``, ``НО``, ``не дост.``). The numbers are the same in both:
only their form differs.
"""

from __future__ import annotations

import math
from decimal import Decimal

from blina_analysis.definitions import DAYS_PER_MONTH
from blina_analysis.i18n import N_, _, current_language
from blina_analysis.rounding import half_up

__all__ = [
    "NOT_AVAILABLE",
    "NOT_REACHED",
    "NOT_ESTIMABLE",
    "LIMIT_NOT_ESTIMABLE",
    "MINUS",
    "THOUSANDS_SEPARATOR",
    "term",
    "number",
    "integer",
    "date",
    "signed",
    "pct",
    "pct_decimals",
    "ONE_DECIMAL_BELOW_PERCENT",
    "n_of",
    "n_pct",
    "ci",
    "pct_ci",
    "rate_ci",
    "interval",
    "estimate",
    "estimate_ci",
    "estimate_cell",
    "no_variance",
    "median",
    "median_ci",
    "median_cell",
    "followup",
    "hazard_ratio",
    "ratio_cell",
    "p_cell",
    "p_value",
    "months",
    "median_range",
]

# The English words; :func:`term` gives them in the current language.
NOT_AVAILABLE = N_("NA")
NOT_REACHED = N_("not reached")
NOT_ESTIMABLE = N_("not estimable")
LIMIT_NOT_ESTIMABLE = N_("n.e.")
MINUS = "\u2212"  # the minus sign, not the hyphen
_DASH = "\u2013"  # en dash, the typographic range sign
#: Between groups of three digits, in Russian, from five digits on (a no-break space: ``10 000``).
THOUSANDS_SEPARATOR = "\u00a0"


def term(word: str) -> str:
    """One of the words above (:data:`NOT_ESTIMABLE`, ...) in the current language:
    ``term(NOT_ESTIMABLE)`` is ``"not estimable"`` or ``"не поддаётся оценке"``."""
    return _(word)


def _in_language(text: str) -> str:
    """A number as Python writes it (``"-12345.6"``) in the current language's form."""
    if current_language() != "ru":
        return text
    sign, digits = ("-", text[1:]) if text.startswith("-") else ("", text)
    whole, point, fraction = digits.partition(".")
    if len(whole) > 4:  # Russian typography leaves four-digit numbers whole (1000, 10 000)
        head = len(whole) % 3 or 3
        whole = THOUSANDS_SEPARATOR.join(
            [whole[:head]] + [whole[i:i + 3] for i in range(head, len(whole), 3)])
    return sign + whole + ("," + fraction if point else "")


def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x)) or (
        hasattr(x, "dtype") and bool(x != x)
    )


def number(x, decimals: int = 0) -> str:
    """``x`` rounded half-up to ``decimals`` places; ``"NA"`` if missing, ``"n.e."`` if infinite.

    >>> number(2.5), number(0.125, 2), number(float("inf"))
    ('3', '0.13', 'n.e.')
    """
    return _in_language(_plain_number(x, decimals))


def _plain_number(x, decimals: int = 0) -> str:
    """:func:`number` as Python writes it, for comparisons (words in the current language)."""
    if _missing(x):
        return term(NOT_AVAILABLE)
    x = float(x)
    if math.isinf(x):
        return term(LIMIT_NOT_ESTIMABLE)
    return f"{half_up(x, decimals):f}"


def integer(n) -> str:
    """A whole count: ``"66"``; ``"10 000"`` (no-break space) in Russian."""
    return _in_language(str(int(n)))


def date(value) -> str:
    """A date: ``"2026-06-30"`` in English, ``"30.06.2026"`` in Russian; ``"NA"`` if missing.

    ``value`` is anything with ``year``, ``month`` and ``day`` (a date, a Timestamp).
    """
    if _missing(value) or value != value:  # None, NaN or NaT
        return term(NOT_AVAILABLE)
    if current_language() == "ru":
        return f"{value.day:02d}.{value.month:02d}.{value.year:04d}"
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"


def signed(x, decimals: int = 0) -> str:
    """A difference with its sign: ``"+3"``, ``"\u22122.5"`` (true minus), ``"0"`` when it rounds to 0.

    >>> signed(2), signed(-2.46, 1), signed(0.04, 1)
    ('+2', '\u22122.5', '0.0')
    """
    if _missing(x):
        return term(NOT_AVAILABLE)
    text = _plain_number(abs(float(x)), decimals)
    if Decimal(text) == 0:
        return _in_language(text)
    return ("+" if float(x) > 0 else MINUS) + _in_language(text)


#: Percentages below this are shown to one decimal (:func:`pct_decimals`).
ONE_DECIMAL_BELOW_PERCENT = 10


def pct_decimals(percent) -> int:
    """The decimals of a percentage: 1 below 10% (once rounded to one decimal), else 0.

    An exact 0 stays whole ("0%": nothing is hidden). The rule is on the magnitude, so a
    difference of −3.4 percentage points keeps its decimal.

    >>> pct_decimals(0.3), pct_decimals(9.94), pct_decimals(9.96), pct_decimals(0.0)
    (1, 1, 0, 0)
    """
    magnitude = abs(float(percent))
    if magnitude == 0 or math.isinf(magnitude):
        return 0
    return 1 if half_up(magnitude, 1) < ONE_DECIMAL_BELOW_PERCENT else 0


def pct(rate, decimals: int | None = None) -> str:
    """A fraction 0–1 as a percentage: ``pct(29/43) == "67%"``, ``pct(1/33) == "3.0%"``.

    ``decimals`` ``None`` follows :func:`pct_decimals` (one decimal below 10%); a number forces
    it (axis ticks, the worked example of the rounding rule).
    """
    if _missing(rate):
        return term(NOT_AVAILABLE)
    percent = 100 * float(rate)
    return f"{number(percent, pct_decimals(percent) if decimals is None else decimals)}%"


def n_of(n: int, total: int) -> str:
    """A count out of its denominator: ``"29/43"``."""
    return f"{integer(n)}/{integer(total)}"


def n_pct(n: int, total: int, decimals: int | None = None) -> str:
    """A count with its percentage: ``"25 (38%)"``; the count alone when ``total`` is 0 (there is
    no percentage of nobody)."""
    if not total:
        return integer(n)
    return f"{integer(n)} ({pct(n / total, decimals)})"


def _limit(x, decimals: int | None, scale: float = 1.0) -> str:
    """A confidence limit: ``"n.e."`` when it cannot be computed (missing or infinite);
    ``decimals`` ``None``: a percentage's own (:func:`pct_decimals`)."""
    if _missing(x) or math.isinf(float(x)):
        return term(LIMIT_NOT_ESTIMABLE)
    value = scale * float(x)
    return number(value, pct_decimals(value) if decimals is None else decimals)


def ci(low, high, decimals: int | None = None, percent: bool = True) -> str:
    """A confidence interval ``"51–81%"`` (fractions scaled to percent) or ``"2.1–7.9"``.

    Percent limits follow :func:`pct_decimals` each (``"0.3–16%"``) unless ``decimals`` is
    given; other intervals have ``decimals`` (default 0). A limit that cannot be computed is
    ``"n.e."``; when neither can, the interval is ``"n.e."``: ``ci(0.2, float("nan")) ==
    "20%–n.e."``.
    """
    if not percent and decimals is None:
        decimals = 0
    lo = _limit(low, decimals, 100.0 if percent else 1.0)
    hi = _limit(high, decimals, 100.0 if percent else 1.0)
    not_estimable = term(LIMIT_NOT_ESTIMABLE)
    if lo == hi == not_estimable:
        return not_estimable
    if percent and hi == not_estimable:
        return f"{lo}%{_DASH}{hi}"
    return f"{lo}{_DASH}{hi}{'%' if percent else ''}"


def pct_ci(rate, low, high, decimals: int | None = None, conf_level: float = 0.95) -> str:
    """A rate with its interval: ``"67% (95% CI 51–81%)"``; ``"not estimable"`` without a rate."""
    if _missing(rate):
        return term(NOT_ESTIMABLE)
    return f"{pct(rate, decimals)} ({_level(conf_level)} {ci(low, high, decimals)})"


def _level(conf_level: float) -> str:
    return _("{level}% CI").format(level=number(100 * conf_level))


def rate_ci(p, conf_level: float = 0.95) -> str:
    """A proportion with its interval, for use inside parentheses: ``"67%; 95% CI 51–81%"``.

    ``p`` is a :class:`~blina_analysis.stats.Proportion` (``rate``, ``ci_low``, ``ci_high``).
    """
    return f"{pct(p.rate)}; {interval(p, conf_level)}"


def interval(p, conf_level: float = 0.95) -> str:
    """The confidence interval of a proportion, named: ``"95% CI 51–81%"``."""
    return f"{_level(conf_level)} {ci(p.ci_low, p.ci_high)}"


def estimate(e) -> str:
    """A survival or incidence estimate alone: ``"53%"``, or ``"not estimable"``.

    ``e`` is a :class:`~blina_analysis.stats.Estimate`; its estimate is NaN after a last
    censored observation (the curve is unknown there).
    """
    return term(NOT_ESTIMABLE) if _missing(e.estimate) else pct(e.estimate)


def estimate_ci(e, conf_level: float = 0.95) -> str:
    """A survival or incidence estimate with its interval: ``"53% (95% CI 36–68%)"``.

    ``e`` is a :class:`~blina_analysis.stats.Estimate` (``estimate``, ``ci_low``, ``ci_high``).
    ``"not estimable"`` when the estimate is NaN; a curve that has dropped to 0 reads
    ``"0% (95% CI n.e.)"``; an estimate before any event (:func:`no_variance`) reads
    ``"100% (no event; CI not estimable)"``.
    """
    if no_variance(e):
        return _("{estimate} (no event; CI not estimable)").format(estimate=pct(e.estimate))
    return pct_ci(e.estimate, e.ci_low, e.ci_high, conf_level=conf_level)


def no_variance(e) -> bool:
    """Whether an estimate's interval is the estimate itself (``100% (100–100%)``): a survival
    of 100% or an incidence of 0% read before any event, whose variance is 0.

    (A survival curve that dropped to 0 has undefined limits on the complementary log–log
    scale, not a degenerate interval, so 0% here is an incidence with no event.)
    """
    if _missing(e.estimate) or _missing(e.ci_low) or _missing(e.ci_high):
        return False
    return float(e.ci_low) == float(e.ci_high) == float(e.estimate) in (0.0, 1.0)


def estimate_cell(e) -> str:
    """A survival or incidence estimate with its interval for a table cell: ``"53% (36–68%)"``,
    ``"0% (n.e.)"``, ``"100% (n.e.)"`` when the interval is degenerate (:func:`no_variance`), or
    ``"not estimable"``."""
    if _missing(e.estimate):
        return term(NOT_ESTIMABLE)
    if no_variance(e):
        return f"{pct(e.estimate)} ({term(LIMIT_NOT_ESTIMABLE)})"
    return f"{pct(e.estimate)} ({ci(e.ci_low, e.ci_high)})"


def median(m) -> str:
    """A median time in months, or ``"not reached"`` when the curve never reaches 0.5 (table
    cells)."""
    if _missing(m.time):
        return term(NOT_AVAILABLE)
    return term(NOT_REACHED) if math.isinf(float(m.time)) else months(m.time)


def _months_interval(m) -> str:
    """The confidence interval of a median in months, ``"9.5–n.e."``."""
    def in_months(days):
        return days if _missing(days) else float(days) / DAYS_PER_MONTH
    return ci(in_months(m.ci_low), in_months(m.ci_high), 1, percent=False)


def median_cell(m) -> str:
    """A median and its interval in months for a table cell: ``"12.8 (9.5–n.e.)"``,
    ``"not reached (9.5–n.e.)"``."""
    return f"{median(m)} ({_months_interval(m)})"


def median_ci(m, conf_level: float = 0.95) -> str:
    """A median time in months with its interval: ``"14.2 months (95% CI 8.1–n.e.)"``.

    ``m`` is a :class:`~blina_analysis.stats.Median` (``time``, ``ci_low``, ``ci_high`` in days).
    A limit the bands never reach is ``"n.e."``; a median not reached reads
    ``"not reached (95% CI 8.1–n.e. months)"``.
    """
    interval = _months_interval(m)
    if _missing(m.time):
        return term(NOT_ESTIMABLE)
    level = _level(conf_level)
    if math.isinf(float(m.time)):
        if interval == term(LIMIT_NOT_ESTIMABLE):
            return _("not reached ({level} {interval})").format(level=level, interval=interval)
        return _("not reached ({level} {interval} months)").format(level=level, interval=interval)
    return _("{median} months ({level} {interval})").format(median=months(m.time), level=level,
                                                            interval=interval)


def followup(f) -> str:
    """Median follow-up with the range observed in patients alive at last contact.

    ``f`` is a :class:`~blina_analysis.stats.FollowUp`:
    ``"29.8 months (range 12.0–60.1 months in patients alive at last contact)"``.
    """
    if f.n_censored == 0:
        return _("not estimable (no patient was alive at last contact)")
    # "the patient" or "patients", with no count beside it: not a plural form of a number
    span = (_("range {low}\u2013{high} months in the patient alive at last contact")
            if f.n_censored == 1 else
            _("range {low}\u2013{high} months in patients alive at last contact")).format(
        low=months(f.min_censored), high=months(f.max_censored))
    if not math.isfinite(float(f.median.time)):
        return f"{term(NOT_ESTIMABLE)} ({span})"
    return _("{median} months ({span})").format(median=months(f.median.time), span=span)


def hazard_ratio(hr, low, high, p, conf_level: float = 0.95) -> str:
    """A hazard ratio with its interval and p-value: ``"HR 0.45 (95% CI 0.20–1.01), p = 0.053"``.

    ``"not estimable"`` when the model could not estimate it (NaN).
    """
    if _missing(hr) or math.isinf(float(hr)):
        return term(NOT_ESTIMABLE)
    return _("HR {hr} ({level} {interval}), {p}").format(
        hr=number(hr, 2), level=_level(conf_level), interval=ci(low, high, 2, percent=False),
        p=p_value(p))


def ratio_cell(hr, low, high) -> str:
    """A ratio and its interval for a table cell: ``"0.64 (0.27–1.53)"``, or ``"not estimable"``."""
    if _missing(hr) or math.isinf(float(hr)):
        return term(NOT_ESTIMABLE)
    return f"{number(hr, 2)} ({ci(low, high, 2, percent=False)})"


def p_cell(p, decimals: int = 3) -> str:
    """A p-value for a table cell: ``"0.032"``, ``"<0.001"``; ``"n.e."`` when not computable."""
    if _missing(p):
        return term(LIMIT_NOT_ESTIMABLE)
    return p_value(p, decimals).removeprefix("p = ").replace("p < ", "<")


def p_value(p, decimals: int = 3) -> str:
    """``"p = 0.032"``, or ``"p < 0.001"`` below the last printed decimal."""
    if _missing(p):
        return f"p = {term(NOT_AVAILABLE)}"
    floor = 10.0 ** (-decimals)
    if float(p) < floor:
        return f"p < {number(floor, decimals)}"
    return f"p = {number(p, decimals)}"


def months(days, decimals: int = 1) -> str:
    """A duration in days shown in months (days / 30.4375): ``months(365.25) == "12.0"``."""
    if _missing(days):
        return term(NOT_AVAILABLE)
    return number(float(days) / DAYS_PER_MONTH, decimals)


def median_range(median, low, high, decimals: int = 0) -> str:
    """Median with range, as in a Table 1: ``"41 (18–72)"``."""
    return f"{number(median, decimals)} ({number(low, decimals)}{_DASH}{number(high, decimals)})"
