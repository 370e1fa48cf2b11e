"""The concordance chapter's prose (its counts of agreement are glued with the table)."""

from __future__ import annotations

from blina_analysis.analyses import Analysis
from blina_analysis.report.text import edition

__all__ = ["values"]


def values(an: Analysis) -> dict[str, str]:
    e = edition.values(an)
    return {
        "dataset_kind": e["dataset_kind"],
        "dataset_name": e["dataset_name"],
        "dataset_version": e["dataset_version"],
    }
