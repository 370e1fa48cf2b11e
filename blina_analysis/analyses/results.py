"""The flat map of results that every build writes to ``results.json`` and glues into the text.

One function computes it (:func:`compute_results`), so the page and the file can never disagree:
the chapters' prose is formatted from these same values. Rates are unrounded fractions 0–1, counts
integers, days integers; a value that cannot be computed is ``None`` (``null`` in JSON).
"""

from __future__ import annotations

import json
import math
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from blina_analysis._version import __version__
from blina_analysis.definitions import TWO_YEARS_DAYS

__all__ = ["RESULT_KEYS", "RESULT_LABELS", "result_label", "compute_results", "results_document",
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

#: What each result is, in words: the row label wherever a result is listed for readers (the
#: concordance chapter, the changes since an earlier edition, ``blina diff``).
RESULT_LABELS = {
    "n_total": "Patients, all",
    "n_mrd": "Patients, MRD+ group",
    "n_rr": "Patients, R/R group",
    "n_prior_hsct": "Patients with a prior allo-HSCT",
    "rr_response_n": "R/R: CR/CRh, patients",
    "rr_response_rate": "R/R: CR/CRh rate",
    "rr_response_ci_low": "R/R: CR/CRh rate, lower 95% limit",
    "rr_response_ci_high": "R/R: CR/CRh rate, upper 95% limit",
    "rr_mrdneg_n": "R/R responders: MRD-negative, patients",
    "rr_mrdneg_rate": "R/R responders: MRD-negative rate",
    "mrd_response_n": "MRD+: MRD response, patients",
    "mrd_response_rate": "MRD+: MRD response rate",
    "rr_response_rate_cytogenetic_standard": "R/R: CR/CRh rate, standard cytogenetic risk",
    "rr_response_rate_cytogenetic_high": "R/R: CR/CRh rate, high cytogenetic risk",
    "rr_response_rate_blasts_lt50": "R/R: CR/CRh rate, marrow blasts <50%",
    "rr_response_rate_blasts_ge50": "R/R: CR/CRh rate, marrow blasts ≥50%",
    "rr_response_rate_prior_hsct": "R/R: CR/CRh rate, prior allo-HSCT",
    "rr_response_rate_no_prior_hsct": "R/R: CR/CRh rate, no prior allo-HSCT",
    "responders_os_2y": "Responders: 2-year OS",
    "responders_dfs_2y": "Responders: 2-year DFS",
    "rr_responders_os_2y": "R/R responders: 2-year OS",
    "rr_responders_dfs_2y": "R/R responders: 2-year DFS",
    "mrd_os_2y": "MRD+: 2-year OS",
    "mrd_dfs_2y": "MRD+: 2-year DFS",
    "responders_relapse_rate_hsct_after": "Responders: relapse with allo-HSCT after blinatumomab",
    "responders_relapse_rate_no_hsct_after": "Responders: relapse without allo-HSCT after blinatumomab",
    "ae_grade34_n": "Grade 3–4 adverse events, patients",
    "ae_grade34_rate": "Grade 3–4 adverse events, rate",
    "bc_interrupted_n": "Blinatumomab interrupted, patients",
    "bc_interrupted_rate": "Blinatumomab interrupted, rate",
    "bc_stopped_early_n": "Blinatumomab stopped early, patients",
    "bc_stopped_early_rate": "Blinatumomab stopped early, rate",
    "median_followup_days": "Median follow-up (reverse Kaplan–Meier), days",
    "age_min": "Age, youngest (years)",
    "age_max": "Age, oldest (years)",
    "n_responders": "Responders, all",
}


def result_label(key: str) -> str:
    """The reader's label of a result key (:data:`RESULT_LABELS`); an unknown key as itself."""
    return RESULT_LABELS.get(key, key)


_PACKAGES = ("jupyter-book", "myst-nb", "sphinx", "lifelines", "pandas", "numpy", "scipy",
             "matplotlib", "pandera")


def _num(x):
    """A plain float, or None for NaN/inf (JSON has neither)."""
    if x is None:
        return None
    x = float(x)
    return None if math.isnan(x) or math.isinf(x) else x


def _rate(p) -> float | None:
    return _num(p.rate) if p.N else None


def compute_results(analysis) -> dict:
    """Every headline result of the book, keyed as in :data:`RESULT_KEYS` (plus a few more)."""
    return dict(analysis._cached(("results",), lambda: _compute(analysis)))


def _compute(analysis) -> dict:
    a = analysis
    p = a.adsl
    crude = a.crude_relapse_by_transplant()
    rr, mrdneg, mrd = a.rr_response, a.rr_mrd_negativity, a.mrd_response
    g34 = a.grade34()
    interrupted = a.proportion("all", "bc_interrupted")
    stopped = a.proportion("all", "bc_stopped_early")
    follow = a.followup()

    def two_year(pop, endpoint):
        return _num(a.km(pop, endpoint).at(TWO_YEARS_DAYS).estimate) if a.n(pop) else None

    followup_days = None if math.isinf(follow.time) or math.isnan(follow.time) else int(follow.time)
    out = {
        "n_total": len(p),
        "n_mrd": a.n("mrd"),
        "n_rr": a.n("rr"),
        "n_prior_hsct": int(p["prior_allo_hsct"].sum()),
        "rr_response_n": rr.n,
        "rr_response_rate": _rate(rr),
        "rr_response_ci_low": _num(rr.ci_low) if rr.N else None,
        "rr_response_ci_high": _num(rr.ci_high) if rr.N else None,
        "rr_mrdneg_n": mrdneg.n,
        "rr_mrdneg_rate": _rate(mrdneg),
        "mrd_response_n": mrd.n,
        "mrd_response_rate": _rate(mrd),
        "rr_response_rate_cytogenetic_standard": _rate(a.subgroup_rate("Cytogenetic risk", "standard")),
        "rr_response_rate_cytogenetic_high": _rate(a.subgroup_rate("Cytogenetic risk", "high")),
        "rr_response_rate_blasts_lt50": _rate(a.subgroup_rate("Marrow blasts", "<50%")),
        "rr_response_rate_blasts_ge50": _rate(a.subgroup_rate("Marrow blasts", "≥50%")),
        "rr_response_rate_prior_hsct": _rate(a.subgroup_rate("Prior allo-HSCT", "yes")),
        "rr_response_rate_no_prior_hsct": _rate(a.subgroup_rate("Prior allo-HSCT", "no")),
        "responders_os_2y": two_year("responders", "OS"),
        "responders_dfs_2y": two_year("responders", "DFS"),
        "rr_responders_os_2y": two_year("rr_responders", "OS"),
        "rr_responders_dfs_2y": two_year("rr_responders", "DFS"),
        "mrd_os_2y": two_year("mrd", "OS"),
        "mrd_dfs_2y": two_year("mrd", "DFS"),
        "responders_relapse_rate_hsct_after": _rate(crude["transplanted"]),
        "responders_relapse_rate_no_hsct_after": _rate(crude["not transplanted"]),
        "ae_grade34_n": g34.n,
        "ae_grade34_rate": _rate(g34),
        "bc_interrupted_n": interrupted.n,
        "bc_interrupted_rate": _rate(interrupted),
        "bc_stopped_early_n": stopped.n,
        "bc_stopped_early_rate": _rate(stopped),
        "median_followup_days": followup_days,
        # beyond the required keys
        "age_min": int(p["age"].min()) if len(p) else None,
        "age_max": int(p["age"].max()) if len(p) else None,
        "n_responders": a.n("responders"),
    }
    return out


def results_document(dataset, *, commit: str, epoch: int, analysis=None) -> dict:
    """``results.json``: ``meta`` (what was built from what) and ``results``.

    ``analysis`` is the :class:`~blina_analysis.analyses.Analysis` of ``dataset`` when the caller
    has one (its results are reused); otherwise one is made.
    """
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
    return {"meta": meta, "results": compute_results(analysis or Analysis(dataset))}


def write_results(dataset, path: str | Path, *, commit: str, epoch: int,
                  analysis=None) -> Path:
    """Write ``results.json`` (sorted keys, stable formatting: same inputs, same bytes)."""
    path = Path(path)
    doc = results_document(dataset, commit=commit, epoch=epoch, analysis=analysis)
    path.write_text(json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    return path
