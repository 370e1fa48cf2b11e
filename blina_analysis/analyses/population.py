"""The dataset analysed, its populations and their sizes: the base of :class:`~.core.Analysis`.

Holds the derived patient table (``adsl``), selects populations
(:data:`~blina_analysis.definitions.POPULATIONS`), raises
:class:`~blina_analysis.errors.NoInformation` for an empty one, and caches every result of the
object (:meth:`Populations._cached`), so a chapter may ask for the same curve twice at no cost.
"""

from __future__ import annotations

from pathlib import Path
from typing import Self

import numpy as np
import pandas as pd

from blina_analysis import stats
from blina_analysis.data.io import Dataset, load
from blina_analysis.definitions import CONF_LEVEL, LANDMARK_DAYS, POPULATIONS, population
from blina_analysis.derive import derive_adsl
from blina_analysis.errors import NoInformation

__all__ = ["Populations"]


class Populations:
    """The dataset, its derived patient rows and its populations (the constructor's parameters
    are documented on :class:`~blina_analysis.analyses.core.Analysis`)."""

    def __init__(self, dataset: Dataset, *, conf_level: float = CONF_LEVEL,
                 landmark_days: float = LANDMARK_DAYS):
        self.dataset = dataset
        self.conf_level = conf_level
        self.landmark_days = landmark_days
        self.adsl = derive_adsl(dataset.patients)
        self._cache: dict = {}

    @classmethod
    def from_dir(cls, path: str | Path, **kwargs) -> Self:
        """Load and validate the dataset in ``path`` and analyse it."""
        return cls(load(path), **kwargs)

    def patients(self, pop: str = "all") -> pd.DataFrame:
        """The derived patient rows of population ``pop`` (see ``definitions.POPULATIONS``)."""
        if pop not in POPULATIONS:
            return population(self.adsl, pop)  # raises KeyError naming the known populations
        return self.adsl[self._selection(pop)]

    def n(self, pop: str = "all") -> int:
        """Number of patients in population ``pop``."""
        return int(self._selection(POPULATIONS[pop].code).sum())

    def require(self, *pops: str) -> None:
        """Raise :class:`~blina_analysis.errors.NoInformation` if any of ``pops`` is empty."""
        for pop in pops:
            if self.n(pop) == 0:
                raise NoInformation("empty_population", pop=pop)

    def _selection(self, pop: str) -> np.ndarray:
        """Boolean mask of population ``pop`` over ``self.adsl``, computed once per population
        (the rows are selected anew on each call, so callers get their own frame)."""
        return self._cached(("selection", pop),
                            lambda: POPULATIONS[pop].select(self.adsl).to_numpy())

    def _cached(self, key, compute):
        if key not in self._cache:
            self._cache[key] = compute()
        return self._cache[key]

    def proportion(self, pop: str, column: str, value=True) -> stats.Proportion:
        """Share of population ``pop`` whose ``column`` equals ``value`` (exact CI)."""
        sub = self.patients(pop)
        return stats.exact_ci(int((sub[column] == value).sum()), len(sub), self.conf_level)
