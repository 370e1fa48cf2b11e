"""The flat map of results that every build writes to ``results.json`` and glues into the text.

One function computes it (:func:`compute_results`), so the page and the file can never disagree:
the chapters' prose is formatted from these same values. Rates are unrounded fractions 0–1, counts
integers, days integers; a value that cannot be computed is ``None`` (``null`` in JSON), and
``meta.not_available`` says why, in a sentence per key.
"""

from __future__ import annotations

import json
import math
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from blina_analysis._version import __version__
from blina_analysis.definitions import TWO_YEARS_DAYS
from blina_analysis.errors import NoInformation

__all__ = ["RESULT_KEYS", "compute_results", "missing_reasons", "results_document",
           "write_results"]

RESULT_KEYS = (
    "n_total n_mrd n_rr n_prior_hsct rr_response_n rr_response_rate rr_response_ci_low "
    "rr_response_ci_high rr_mrdneg_n rr_mrdneg_rate mrd_response_n mrd_response_rate "
    "rr_response_rate_cytogenetic_standard rr_response_rate_cytogenetic_high "
    "rr_response_rate_blasts_lt50 rr_response_rate_blasts_ge50 rr_response_rate_prior_hsct "
    "rr_response_rate_no_prior_hsct responders_os_2y responders_dfs_2y rr_responders_os_2y "
    "rr_responders_dfs_2y mrd_os_2y mrd_dfs_2y responders_relapse_rate_hsct_after "
    "responders_relapse_rate_no_hsct_after ae_grade34_n ae_grade34_rate bc_interrupted_n "
    "bc_interrupted_rate bc_stopped_early_n bc_stopped_early_rate median_followup_days"
).split()

_PACKAGES = ("jupyter-book", "myst-nb", "sphinx", "lifelines", "pandas", "numpy", "scipy",
             "matplotlib", "pandera")


def _num(x):
    """A plain float, or None for NaN/inf (JSON has neither)."""
    if x is None:
        return None
    x = float(x)
    return None if math.isnan(x) or math.isinf(x) else x


def compute_results(analysis) -> dict:
    """Every headline result of the book, keyed as in :data:`RESULT_KEYS` (plus a few more).

    A result the data cannot give is ``None``; :func:`missing_reasons` says why.
    """
    return dict(analysis._cached(("results",), lambda: _compute(analysis))[0])


def missing_reasons(analysis) -> dict[str, str]:
    """For each ``None`` of :func:`compute_results`, the sentence that says why."""
    return dict(analysis._cached(("results",), lambda: _compute(analysis))[1])


def _compute(analysis) -> tuple[dict, dict]:
    a = analysis
    p = a.adsl
    out: dict = {}
    reasons: dict[str, str] = {}

    def put(key, compute):
        """``out[key] = compute()``; a :class:`NoInformation` gives None and its reason."""
        try:
            out[key] = compute()
        except NoInformation as exc:
            out[key], reasons[key] = None, exc.reason

    def rate(pop, proportion):
        """A proportion's rate, or NoInformation if its population ``pop`` is empty."""
        a.require(pop)
        return _num(proportion().rate)

    def rr_limit(name):
        a.require("rr")
        return _num(getattr(a.rr_response, name))

    def subgroup(heading, level):
        return _num(a.subgroup_rate(heading, level).rate)

    def two_year(pop, endpoint):
        return _num(a.km_at(pop, endpoint, TWO_YEARS_DAYS).estimate)

    def crude(which):
        a.require_transplant_groups()
        return _num(a.crude_relapse_by_transplant()[which].rate)

    def followup_days():
        return int(a.followup().time)

    put("n_total", lambda: len(p))
    put("n_mrd", lambda: a.n("mrd"))
    put("n_rr", lambda: a.n("rr"))
    put("n_prior_hsct", lambda: int(p["prior_allo_hsct"].sum()))
    put("rr_response_n", lambda: a.rr_response.n)
    put("rr_response_rate", lambda: rate("rr", lambda: a.rr_response))
    put("rr_response_ci_low", lambda: rr_limit("ci_low"))
    put("rr_response_ci_high", lambda: rr_limit("ci_high"))
    put("rr_mrdneg_n", lambda: a.rr_mrd_negativity.n)
    put("rr_mrdneg_rate", lambda: rate("rr_responders", lambda: a.rr_mrd_negativity))
    put("mrd_response_n", lambda: a.mrd_response.n)
    put("mrd_response_rate", lambda: rate("mrd", lambda: a.mrd_response))
    put("rr_response_rate_cytogenetic_standard", lambda: subgroup("Cytogenetic risk", "standard"))
    put("rr_response_rate_cytogenetic_high", lambda: subgroup("Cytogenetic risk", "high"))
    put("rr_response_rate_blasts_lt50", lambda: subgroup("Marrow blasts", "<50%"))
    put("rr_response_rate_blasts_ge50", lambda: subgroup("Marrow blasts", "≥50%"))
    put("rr_response_rate_prior_hsct", lambda: subgroup("Prior allo-HSCT", "yes"))
    put("rr_response_rate_no_prior_hsct", lambda: subgroup("Prior allo-HSCT", "no"))
    put("responders_os_2y", lambda: two_year("responders", "OS"))
    put("responders_dfs_2y", lambda: two_year("responders", "DFS"))
    put("rr_responders_os_2y", lambda: two_year("rr_responders", "OS"))
    put("rr_responders_dfs_2y", lambda: two_year("rr_responders", "DFS"))
    put("mrd_os_2y", lambda: two_year("mrd", "OS"))
    put("mrd_dfs_2y", lambda: two_year("mrd", "DFS"))
    put("responders_relapse_rate_hsct_after", lambda: crude("transplanted"))
    put("responders_relapse_rate_no_hsct_after", lambda: crude("not transplanted"))
    put("ae_grade34_n", lambda: a.grade34().n)
    put("ae_grade34_rate", lambda: _num(a.grade34().rate))
    put("bc_interrupted_n", lambda: a.proportion("all", "bc_interrupted").n)
    put("bc_interrupted_rate", lambda: _num(a.proportion("all", "bc_interrupted").rate))
    put("bc_stopped_early_n", lambda: a.proportion("all", "bc_stopped_early").n)
    put("bc_stopped_early_rate", lambda: _num(a.proportion("all", "bc_stopped_early").rate))
    put("median_followup_days", followup_days)
    # beyond the required keys
    put("age_min", lambda: int(p["age"].min()))
    put("age_max", lambda: int(p["age"].max()))
    put("n_responders", lambda: a.n("responders"))
    return out, reasons


def results_document(dataset, *, commit: str, epoch: int) -> dict:
    """``results.json``: ``meta`` (what was built from what) and ``results``."""
    import datetime as dt

    from blina_analysis.analyses.core import Analysis

    packages = {}
    for name in _PACKAGES:
        try:
            packages[name] = version(name)
        except PackageNotFoundError:
            packages[name] = None
    meta = {
        "book_version": __version__,
        "source_commit": commit,
        "build_date": dt.datetime.fromtimestamp(epoch, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "dataset": {
            "name": dataset.meta.name,
            "version": dataset.meta.version,
            "cutoff_date": f"{dataset.meta.cutoff_date:%Y-%m-%d}",
            "synthetic": dataset.meta.synthetic,
            "sha256": dataset.fingerprints,
            "fingerprint": dataset.fingerprint,
        },
        "packages": packages,
    }
    analysis = Analysis(dataset)
    results = compute_results(analysis)
    # why each null of ``results`` is null (empty when every result could be computed)
    meta["not_available"] = missing_reasons(analysis)
    return {"meta": meta, "results": results}


def write_results(dataset, path: str | Path, *, commit: str, epoch: int) -> Path:
    """Write ``results.json`` (sorted keys, stable formatting: same inputs, same bytes)."""
    path = Path(path)
    doc = results_document(dataset, commit=commit, epoch=epoch)
    path.write_text(json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    return path
