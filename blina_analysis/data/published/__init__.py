"""Published figures, stored as cited data: the paper's abstract and the pivotal trials."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

import yaml

__all__ = ["PublishedValue", "abstract_values", "pivotal_trials"]


@dataclass(frozen=True)
class PublishedValue:
    """One number of the abstract: ``value`` is a count or a rate (fraction 0–1).

    ``sentence`` is the abstract's sentence it comes from; ``reading`` says how the book reads
    that sentence where it can be read in more than one way, and why (``None`` where it cannot).
    """

    key: str
    kind: str
    value: float
    sentence: str
    percent: int | None = None
    reading: str | None = None


@lru_cache(maxsize=1)
def abstract_values() -> dict[str, PublishedValue]:
    """Every number the abstract of Bondarenko et al. (2019) reports, keyed like results.json."""
    raw = yaml.safe_load(files(__package__).joinpath("abstract.yaml").read_text(encoding="utf-8"))
    return {item["key"]: PublishedValue(**item) for item in raw}


def pivotal_trials():
    """The pivotal blinatumomab trials' published figures, one row per trial and endpoint.

    Columns ``trial, bibkey, design, population, endpoint, n, N, value, ci_low, ci_high,
    reported_as, source, forest`` (``forest`` = ``rr``/``mrd`` for the response-rate comparison).
    Rates are fractions; medians in months. Empty cells are ``NaN``.
    """
    import pandas as pd

    with files(__package__).joinpath("pivotal_trials.csv").open(encoding="utf-8") as handle:
        return pd.read_csv(handle, keep_default_na=False, na_values=[""])
