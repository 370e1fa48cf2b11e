"""Shared reference data (pytest fixtures) for the statistics tests.

Imported by name into each test module rather than kept in a ``conftest.py``: the test tree has
no ``__init__.py`` files, and a second module called ``conftest`` would shadow ``tests/conftest.py``
for ``from conftest import ...``.

Values quoted from public references name their source in each test: the R ``survival`` package's
own regression outputs (``tests/doaml.Rout.save``, ``survival-Ex.Rout.save``, data ``aml`` and
``lung``), scikit-survival's tests and BMT data (Scrucca et al. 2007) and R help-page examples;
other R outputs are CSV fixtures made by ``tests/fixtures/r/make_fixtures.R`` (R survival 3.5.3,
cmprsk 2.2.11).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

R_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "r"

# survival::aml (Miller 1997), R survival package data; time in weeks.
AML_MAINTAINED = (
    [9, 13, 13, 18, 23, 28, 31, 34, 45, 48, 161],
    [1, 1, 0, 1, 1, 0, 1, 1, 0, 1, 0],
)
AML_NONMAINTAINED = (
    [5, 5, 8, 8, 12, 16, 23, 27, 30, 33, 43, 45],
    [1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1],
)


def _read_r(name: str) -> pd.DataFrame:
    return pd.read_csv(R_FIXTURES / name)


@pytest.fixture(scope="session")
def read_r():
    """Reader of one CSV written by make_fixtures.R (``NA`` read as NaN)."""
    return _read_r


@pytest.fixture(scope="session")
def aml() -> dict[str, np.ndarray]:
    """aml pooled: time, status, x (0 = Maintained, 1 = Nonmaintained), and each arm."""
    t = np.array(AML_MAINTAINED[0] + AML_NONMAINTAINED[0], dtype=float)
    s = np.array(AML_MAINTAINED[1] + AML_NONMAINTAINED[1])
    x = np.r_[np.zeros(11, dtype=int), np.ones(12, dtype=int)]
    return {"time": t, "status": s, "x": x,
            "Maintained": AML_MAINTAINED, "Nonmaintained": AML_NONMAINTAINED}


@pytest.fixture(scope="session")
def lung() -> pd.DataFrame:
    """NCCTG lung (lifelines copy of survival::lung, status recoded 0/1)."""
    from lifelines.datasets import load_lung

    return load_lung()


@pytest.fixture(scope="session")
def bmt() -> pd.DataFrame:
    """Scrucca et al. 2007 BMT data (35 patients; scikit-survival bmt.arff): dis, ftime, status."""
    return _read_r("data_bmt.csv")


@pytest.fixture(scope="session")
def jasa() -> pd.DataFrame:
    """Stanford heart transplant (survival::jasa): time, event, exposure_time (NaN = none)."""
    return _read_r("data_jasa.csv")
