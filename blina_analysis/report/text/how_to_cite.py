"""The "How to cite" page: the edition's identity."""

from __future__ import annotations

from blina_analysis.analyses import Analysis
from blina_analysis.report.text import edition
from blina_analysis.report.text.edition import BuildFacts

__all__ = ["values"]


def values(an: Analysis, build: BuildFacts) -> dict[str, str]:
    e = edition.values(an, build)
    return {
        "edition": e["edition"],
        "book_version": e["book_version"],
        "data_fingerprint": e["data_fingerprint"],
        "dataset_cutoff": e["dataset_cutoff"],
        "dataset_name": e["dataset_name"],
        "dataset_version": e["dataset_version"],
        "source_commit": e["source_commit"],
    }
