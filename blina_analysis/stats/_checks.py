"""Argument checks shared by every statistics function.

Each public function of :mod:`blina_analysis.stats` validates its arguments first, with the helpers
below, and raises :class:`StatsInputError` naming the argument and echoing the bad value.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from blina_analysis.errors import BlinaError

__all__ = ["StatsInputError", "check_tte"]

_CONF_TYPES = ("log-log", "log", "plain")


class StatsInputError(BlinaError, ValueError):
    """A statistics function was called with an invalid argument."""


def _show(value: Any, limit: int = 8) -> str:
    """Short ``repr`` of a bad value, for error messages."""
    if isinstance(value, np.ndarray):
        flat = value.ravel()
        head = ", ".join(repr(v.item() if hasattr(v, "item") else v) for v in flat[:limit])
        return f"[{head}{', ...' if flat.size > limit else ''}]"
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def _as_1d(values: Any, name: str) -> np.ndarray:
    """Any array-like (list, Series, ndarray) as a 1-d numpy array."""
    if isinstance(values, (str, bytes)) or np.isscalar(values) or values is None:
        raise StatsInputError(f"{name} must be a 1-d array-like, got {_show(values)}")
    if isinstance(values, (pd.Series, pd.Index)):
        values = values.to_numpy()
    arr = np.asarray(values)
    if arr.ndim != 1:
        raise StatsInputError(f"{name} must be 1-d, got an array of shape {arr.shape}")
    return arr


def _as_float(values: Any, name: str, *, allow_nan: bool = False) -> np.ndarray:
    """A 1-d float array with finite (or NaN, if allowed), non-negative values."""
    if isinstance(values, pd.Series) and pd.api.types.is_numeric_dtype(values.dtype):
        if values.dtype != bool:  # nullable dtypes (Float64, Int64) carry pd.NA
            values = values.to_numpy(dtype=float, na_value=np.nan)
    arr = _as_1d(values, name)
    if arr.dtype == bool or not (
        np.issubdtype(arr.dtype, np.number) or arr.dtype == object
    ):
        raise StatsInputError(f"{name} must be numeric, got dtype {arr.dtype}: {_show(arr)}")
    try:
        out = arr.astype(float)
    except (TypeError, ValueError):
        raise StatsInputError(f"{name} must be numeric, got {_show(arr)}") from None
    bad = ~np.isfinite(out)
    if allow_nan:
        bad &= ~np.isnan(out)
    if bad.any():
        what = "finite or NaN" if allow_nan else "finite"
        raise StatsInputError(f"{name} must be {what}, got {_show(arr[bad])}")
    if (out < 0).any():
        raise StatsInputError(f"{name} must be non-negative, got {_show(arr[out < 0])}")
    return out


def _as_codes(values: Any, name: str, allowed_max: int | None) -> np.ndarray:
    """A 1-d int array of non-negative integer codes (at most ``allowed_max`` if given)."""
    arr = _as_1d(values, name)
    if arr.dtype == bool:
        return arr.astype(np.int64)
    if arr.dtype == object:
        try:
            arr = arr.astype(float)
        except (TypeError, ValueError):
            raise StatsInputError(f"{name} must hold integer codes, got {_show(arr)}") from None
    if not np.issubdtype(arr.dtype, np.number):
        raise StatsInputError(
            f"{name} must hold integer codes, got dtype {arr.dtype}: {_show(arr)}"
        )
    if np.issubdtype(arr.dtype, np.floating):
        bad = ~np.isfinite(arr) | (arr != np.round(arr))
        if bad.any():
            raise StatsInputError(f"{name} must hold integer codes, got {_show(arr[bad])}")
    out = arr.astype(np.int64)
    if allowed_max is None:
        bad = out < 0
        rule = "non-negative integer codes (0 = censored, k >= 1 = cause k)"
    else:
        bad = (out < 0) | (out > allowed_max)
        rule = "0 (censored) or 1 (event)"
    if bad.any():
        hint = ""
        if allowed_max == 1 and (out > 1).any():
            hint = "; competing events need cumulative_incidence, never 1 - Kaplan-Meier"
        raise StatsInputError(f"{name} must be {rule}, got {_show(arr[bad])}{hint}")
    return out


def check_tte(time: Any, event: Any, *, competing: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Check time-to-event data and return it as numpy arrays.

    Parameters
    ----------
    time : array-like of float, shape = (n_samples,)
        Time from the origin to the event or censoring, in days. Finite and non-negative.
    event : array-like of int, shape = (n_samples,)
        Event code: 0 = censored, 1 = event. With ``competing=True``, 0 = censored and
        k >= 1 = failure from cause k. Booleans and integral floats (1.0) are accepted.
    competing : bool, optional, default: False
        Whether codes above 1 (competing causes) are allowed.

    Returns
    -------
    time : numpy.ndarray of float, shape = (n_samples,)
    event : numpy.ndarray of int64, shape = (n_samples,)

    Raises
    ------
    StatsInputError
        If either array is empty, not 1-d, of different lengths, if a time is negative, NaN or
        infinite, or if an event code is not allowed.

    Notes
    -----
    With ``competing=True`` the check does not require every cause to appear: a subgroup may
    have no failure of some cause, and its cumulative incidence is then 0 throughout.
    """
    t = _as_float(time, "time")
    e = _as_codes(event, "event", allowed_max=None if competing else 1)
    if t.size != e.size:
        raise StatsInputError(
            f"time and event must have the same length, got {t.size} and {e.size}"
        )
    if t.size == 0:
        raise StatsInputError("time and event must not be empty, got 0 observations")
    return t, e


def _check_conf_level(conf_level: Any) -> float:
    """``conf_level`` as a float strictly between 0 and 1."""
    ok = isinstance(conf_level, (int, float, np.floating)) and not isinstance(conf_level, bool)
    if not ok or not (0.0 < float(conf_level) < 1.0):
        raise StatsInputError(f"conf_level must be a number in (0, 1), got {conf_level!r}")
    return float(conf_level)


def _check_conf_type(conf_type: Any) -> str:
    if conf_type not in _CONF_TYPES:
        raise StatsInputError(
            f"conf_type must be one of {', '.join(map(repr, _CONF_TYPES))}, got {conf_type!r}"
        )
    return conf_type


def _check_group(group: Any, n: int, name: str = "group") -> np.ndarray:
    """A group label array of length ``n`` without missing values."""
    g = _as_1d(group, name)
    if g.size != n:
        raise StatsInputError(f"{name} must have the same length as time ({n}), got {g.size}")
    missing = pd.isna(g)
    if missing.any():
        raise StatsInputError(
            f"{name} must not contain missing values, got {int(missing.sum())} missing"
        )
    return g


def _check_exposure(exposure_time: Any, n: int) -> np.ndarray:
    """Exposure times (NaN = never exposed) of length ``n``."""
    x = _as_float(exposure_time, "exposure_time", allow_nan=True)
    if x.size != n:
        raise StatsInputError(
            f"exposure_time must have the same length as time ({n}), got {x.size}"
        )
    return x


def _check_time_point(t: Any, name: str = "t") -> np.ndarray:
    """Query time(s): finite, non-negative floats (scalar or 1-d)."""
    arr = np.atleast_1d(np.asarray(t))
    if arr.ndim != 1 or not np.issubdtype(arr.dtype, np.number) or arr.dtype == bool:
        raise StatsInputError(f"{name} must be a number or 1-d array of numbers, got {_show(t)}")
    arr = arr.astype(float)
    bad = ~np.isfinite(arr) | (arr < 0)
    if bad.any():
        raise StatsInputError(f"{name} must be finite and non-negative, got {_show(arr[bad])}")
    return arr
