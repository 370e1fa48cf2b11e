"""Published figures, stored as cited data: the paper's abstract and the pivotal trials."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files

import yaml

__all__ = ["PublishedValue", "abstract_values", "pivotal_trials", "pivotal_trial_words",
           "check_pivotal_words", "PIVOTAL_TEXT_COLUMNS"]


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


#: The columns of ``pivotal_trials.csv`` that hold words. The file gives each of them in English
#: (as cited) and, as ``<column>_<lang>`` (``design_ru``), in every other language of the book.
PIVOTAL_TEXT_COLUMNS = ("design", "population", "endpoint", "reported_as", "source")
#: A number inside a text cell, with a decimal point or a decimal comma.
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


def _numbers(text: str) -> list[str]:
    return [m.replace(",", ".") for m in _NUMBER.findall(text)]


def _translation_language(column: str) -> str | None:
    """``"ru"`` for ``"design_ru"``: the language of a translated text column, else ``None``."""
    for text_column in PIVOTAL_TEXT_COLUMNS:
        if column.startswith(text_column + "_"):
            return column[len(text_column) + 1:]
    return None


def check_pivotal_words(table) -> None:
    """Check the words of the pivotal trials' table as stored: one row per ``(bibkey,
    endpoint)``, and for each language given (a column ``<column>_<lang>``) every text column of
    :data:`PIVOTAL_TEXT_COLUMNS` translated, no cell left empty where English has words, and
    each translated cell holding the numbers of its English cell (a decimal comma read as a
    point). ``ValueError`` naming the file's line otherwise."""
    import pandas as pd

    if table.duplicated(["bibkey", "endpoint"]).any():
        raise ValueError("pivotal_trials.csv: a (bibkey, endpoint) pair appears twice")
    languages = {_translation_language(c) for c in table.columns} - {None}
    for lang in sorted(languages):
        for column in PIVOTAL_TEXT_COLUMNS:
            translated = f"{column}_{lang}"
            if translated not in table.columns:
                raise ValueError(f"pivotal_trials.csv: no column {translated}")
            for line, (english, words) in enumerate(zip(table[column], table[translated]), 2):
                if pd.isna(english):
                    continue
                if pd.isna(words):
                    raise ValueError(f"pivotal_trials.csv:{line}: {translated} is empty")
                # a translation changes the words and the decimal mark, never a number
                if _numbers(english) != _numbers(words):
                    raise ValueError(f"pivotal_trials.csv:{line}: {translated} {words!r} does not "
                                     f"hold the numbers of {column} {english!r}")


@lru_cache(maxsize=1)
def _pivotal_file():
    """``pivotal_trials.csv`` as stored (every language), checked (:func:`check_pivotal_words`)."""
    import pandas as pd

    with files(__package__).joinpath("pivotal_trials.csv").open(encoding="utf-8") as handle:
        table = pd.read_csv(handle, keep_default_na=False, na_values=[""])
    check_pivotal_words(table)
    return table


def pivotal_trials():
    """The pivotal blinatumomab trials' published figures, one row per trial and endpoint.

    Columns ``trial, bibkey, design, population, endpoint, n, N, value, ci_low, ci_high,
    reported_as, source, forest`` (``forest`` = ``rr``/``mrd`` for the response-rate comparison),
    the text in English as cited; ``(bibkey, endpoint)`` names a row. Rates are fractions;
    medians in months. Empty cells are ``NaN``. The words in another language:
    :func:`pivotal_trial_words`.
    """
    table = _pivotal_file()
    return table[[c for c in table.columns if _translation_language(c) is None]].copy()


def pivotal_trial_words(lang: str):
    """The text columns of :func:`pivotal_trials` (:data:`PIVOTAL_TEXT_COLUMNS`) in ``lang``,
    indexed by the row's ``(bibkey, endpoint)`` as cited (English).

    English gives the cited words; another language its columns ``<column>_<lang>`` of
    ``pivotal_trials.csv`` (numbers as in English, with the language's decimal mark).
    """
    table = _pivotal_file().set_index(["bibkey", "endpoint"], drop=False)
    if lang == "en":
        return table[list(PIVOTAL_TEXT_COLUMNS)].copy()
    columns = {f"{c}_{lang}": c for c in PIVOTAL_TEXT_COLUMNS}
    missing = [c for c in columns if c not in table.columns]
    if missing:
        raise ValueError(f"pivotal_trials.csv has no words in {lang!r} ({', '.join(missing)})")
    return table[list(columns)].rename(columns=columns)
