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
    that sentence where it can be read in more than one way, and why (``None`` where it cannot),
    and ``reading_ru`` says it in Russian (present exactly where ``reading`` is).
    """

    key: str
    kind: str
    value: float
    sentence: str
    percent: int | None = None
    reading: str | None = None
    reading_ru: str | None = None

    def reading_in(self, lang: str) -> str | None:
        """The reading in language ``lang`` (``"en"`` or ``"ru"``), or None where there is none.

        Raises
        ------
        KeyError
            For a language the readings are not given in.
        """
        return {"en": self.reading, "ru": self.reading_ru}[lang]


def _check_readings(values: dict[str, PublishedValue]) -> None:
    """Every reading has its Russian, and the values that share a reading share its Russian.

    Raises
    ------
    ValueError
        Naming the first value of ``abstract.yaml`` that breaks either rule.
    """
    russian_of: dict[str, str | None] = {}
    for key, pv in values.items():
        if bool(pv.reading) != bool(pv.reading_ru):
            missing = "reading_ru" if pv.reading else "reading"
            raise ValueError(f"abstract.yaml: {key}: has no {missing} (a reading and its "
                             "Russian, reading_ru, go together)")
        if pv.reading and russian_of.setdefault(pv.reading, pv.reading_ru) != pv.reading_ru:
            raise ValueError(f"abstract.yaml: {key}: shares its reading with another value but "
                             "not its reading_ru (share both through their anchors)")


@lru_cache(maxsize=1)
def abstract_values() -> dict[str, PublishedValue]:
    """Every number the abstract of Bondarenko et al. (2019) reports, keyed like results.json."""
    raw = yaml.safe_load(files(__package__).joinpath("abstract.yaml").read_text(encoding="utf-8"))
    values = {item["key"]: PublishedValue(**item) for item in raw}
    _check_readings(values)
    return values


def pivotal_trials():
    """The pivotal blinatumomab trials' published figures, one row per trial and endpoint.

    Columns ``trial, bibkey, design, population, endpoint, n, N, value, ci_low, ci_high,
    reported_as, source, forest`` (``forest`` = ``rr``/``mrd`` for the response-rate comparison).
    Rates are fractions; medians in months. Empty cells are ``NaN``.
    """
    import pandas as pd

    with files(__package__).joinpath("pivotal_trials.csv").open(encoding="utf-8") as handle:
        return pd.read_csv(handle, keep_default_na=False, na_values=[""])
