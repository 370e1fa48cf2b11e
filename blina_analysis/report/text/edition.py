"""What this build is: edition, book version, dataset, cut-off, fingerprint and source commit."""

from __future__ import annotations

import os

from blina_analysis._version import __version__
from blina_analysis.analyses import Analysis
from blina_analysis.publish.provenance import COMMIT_ENV, source_commit

__all__ = ["values", "source"]


def source() -> str:
    """The source commit of this build (set by ``blina build``; else asked of git)."""
    return os.environ.get(COMMIT_ENV) or source_commit()


def values(an: Analysis) -> dict[str, str]:
    from blina_analysis.publish.editions import edition_id

    meta = an.dataset.meta
    return {
        "edition": edition_id(meta.name, meta.version),
        "book_version": __version__,
        "dataset_name": meta.name,
        "dataset_version": meta.version,
        "dataset_cutoff": f"{meta.cutoff_date:%Y-%m-%d}",
        "dataset_kind": "a synthetic reconstruction" if meta.synthetic else "the trial's data",
        "data_fingerprint": an.dataset.fingerprint[:16],
        "source_commit": source(),
    }
