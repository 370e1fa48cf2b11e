"""How the book rounds: half up, as the paper does and readers expect (0.5 → 1).

Python's :func:`round` rounds half to even (52.5 → 52), and R's ``formatC`` rounds the binary
value (52.5% → 52%); the book rounds the decimal value half up (52.5% → 53%). This is the one
home of that rule: :mod:`blina_analysis.report.fmt` prints with it, and the comparison with the
paper's rounded percents counts with it.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

__all__ = ["half_up"]


def half_up(x: float, decimals: int = 0) -> Decimal:
    """``x`` rounded half up to ``decimals`` places, as an exact :class:`~decimal.Decimal`.

    The shortest decimal that reads back as ``x`` (``repr``) is rounded, so 0.125 → 0.13 and
    52.5 → 53, never a binary artefact below the half.

    >>> half_up(2.5), half_up(0.125, 2), half_up(-0.4)
    (Decimal('3'), Decimal('0.13'), Decimal('0'))
    """
    value = Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return abs(value) if value == 0 else value  # never "-0"
