"""Editions: one build of the book from one commit and one dataset version, and its identifier.

An edition is named ``<book version>+<dataset name>-<dataset version>``, e.g.
``0.2.0+blina-synthetic-1.0``: a Semantic Versioning version whose build metadata is the dataset.
The same code on a new data cut is a new edition; the same data under a new book version too.
Snapshots (:mod:`.snapshot`), the versioned site (:mod:`.site`), ``blina diff`` and the changes
table of the concordance chapter name editions by this identifier.
"""

from __future__ import annotations

import re

from blina_analysis._version import __version__

__all__ = ["edition_id", "edition_of", "dataset_slug", "EDITION_PATTERN"]

#: What an edition identifier looks like: a SemVer version with the dataset as build metadata.
EDITION_PATTERN = re.compile(r"^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?\+[0-9A-Za-z][0-9A-Za-z.-]*$")

_NOT_ALLOWED = re.compile(r"[^0-9A-Za-z.-]+")


def dataset_slug(name: str, version: str) -> str:
    """``<name>-<version>`` with every character SemVer build metadata forbids replaced by ``-``.

    >>> dataset_slug("blina-synthetic", "1.0")
    'blina-synthetic-1.0'
    >>> dataset_slug("Trial file (final)", "2024_06")
    'Trial-file-final-2024-06'
    """
    slug = _NOT_ALLOWED.sub("-", f"{str(name).strip()}-{str(version).strip()}").strip("-.")
    return re.sub(r"-{2,}", "-", slug) or "dataset"


def edition_id(dataset_name: str, dataset_version: str, book_version: str = __version__) -> str:
    """The edition identifier of ``book_version`` built from one dataset version.

    >>> edition_id("blina-synthetic", "1.0", "0.2.0")
    '0.2.0+blina-synthetic-1.0'
    """
    return f"{book_version}+{dataset_slug(dataset_name, dataset_version)}"


def edition_of(results: dict) -> str:
    """The edition a ``results.json`` document was built as (``?`` for what it does not say).

    >>> edition_of({"meta": {"book_version": "0.1.0",
    ...                      "dataset": {"name": "blina-synthetic", "version": "1.1"}}})
    '0.1.0+blina-synthetic-1.1'
    """
    meta = (results or {}).get("meta") or {}
    dataset = meta.get("dataset") or {}
    if meta.get("edition"):
        return str(meta["edition"])
    return edition_id(dataset.get("name", "?"), dataset.get("version", "?"),
                      str(meta.get("book_version", "?")))
