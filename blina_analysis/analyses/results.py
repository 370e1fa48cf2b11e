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
from blina_analysis.definitions import TWO_YEARS_DAYS, subgroups

__all__ = ["RESULT_KEYS", "RESULT_LABELS", "result_label", "subgroup_result_key",
           "compute_results", "results_document", "write_results"]


def subgroup_result_key(level) -> str:
    """The ``results.json`` key of the R/R response rate in one subgroup level (a
    :class:`~blina_analysis.definitions.SubgroupLevel`): ``rr_response_rate_<level.key>``."""
    return f"rr_response_rate_{level.key}"


#: The published order of the results (``blina diff`` lists them so). The subgroup keys follow
#: the subgroups and cut-offs of :mod:`blina_analysis.definitions`.
RESULT_KEYS = (
    "n_total n_mrd n_rr n_prior_hsct rr_response_n rr_response_rate rr_response_ci_low "
    "rr_response_ci_high rr_mrdneg_n rr_mrdneg_rate mrd_response_n mrd_response_rate".split()
    + [subgroup_result_key(lv) for sg in subgroups() for lv in sg.levels]
    + "responders_os_2y responders_dfs_2y rr_responders_os_2y "
    "rr_responders_dfs_2y mrd_os_2y mrd_dfs_2y responders_relapse_rate_hsct_after "
    "responders_relapse_rate_no_hsct_after ae_grade34_n ae_grade34_rate bc_interrupted_n "
    "bc_interrupted_rate bc_stopped_early_n bc_stopped_early_rate median_followup_days "
    "n_rr_assessed n_rr_pending rr_cr_n rr_cr_rate rr_crh_n rr_crh_rate rr_nr_n rr_ne_n "
    "n_rr_responders_mrd_assessed rr_mrdpos_n rr_mrd_not_assessed_n rr_mrd_pending_n "
    "n_mrd_assessed n_mrd_pending mrd_mrdpos_n mrd_mrd_not_assessed_n ae_grade3plus_n "
    "ae_grade3plus_rate ae_grade5_n".split()
)

#: What each result is, in words: the row label wherever a result is listed for readers (the
#: concordance chapter, the changes since an earlier edition, ``blina diff``). The subgroup rates
#: are labelled from the subgroups of :mod:`blina_analysis.definitions` (heading and level).
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
    **{subgroup_result_key(lv): f"R/R: CR/CRh rate, {sg.heading}: {lv.label}"
       for sg in subgroups() for lv in sg.levels},
    "responders_os_2y": "Responders: 2-year OS",
    "responders_dfs_2y": "Responders: 2-year DFS",
    "rr_responders_os_2y": "R/R responders: 2-year OS",
    "rr_responders_dfs_2y": "R/R responders: 2-year DFS",
    "mrd_os_2y": "MRD+: 2-year OS",
    "mrd_dfs_2y": "MRD+: 2-year DFS",
    "responders_relapse_rate_hsct_after": "Responders: relapse with allo-HSCT after blinatumomab",
    "responders_relapse_rate_no_hsct_after":
        "Responders: relapse without allo-HSCT after blinatumomab",
    "ae_grade34_n": "Grade 3–4 adverse events, patients",
    "ae_grade34_rate": "Grade 3–4 adverse events, rate",
    "bc_interrupted_n": "Blinatumomab interrupted, patients",
    "bc_interrupted_rate": "Blinatumomab interrupted, rate",
    "bc_stopped_early_n": "Blinatumomab stopped early, patients",
    "bc_stopped_early_rate": "Blinatumomab stopped early, rate",
    "median_followup_days": "Median follow-up (reverse Kaplan–Meier), days",
    "n_rr_assessed": "R/R: response assessed, patients",
    "n_rr_pending": "R/R: response not yet assessed, patients",
    "rr_cr_n": "R/R: CR, patients",
    "rr_cr_rate": "R/R: CR rate",
    "rr_crh_n": "R/R: CRh, patients",
    "rr_crh_rate": "R/R: CRh rate",
    "rr_nr_n": "R/R: no response, patients",
    "rr_ne_n": "R/R: response not evaluable, patients",
    "n_rr_responders_mrd_assessed": "R/R responders: MRD assessed, patients",
    "rr_mrdpos_n": "R/R responders: MRD-positive, patients",
    "rr_mrd_not_assessed_n": "R/R responders: MRD not assessed, patients",
    "rr_mrd_pending_n": "R/R responders: MRD not yet assessed, patients",
    "n_mrd_assessed": "MRD+: MRD response assessed, patients",
    "n_mrd_pending": "MRD+: MRD response not yet assessed, patients",
    "mrd_mrdpos_n": "MRD+: MRD-positive after blinatumomab, patients",
    "mrd_mrd_not_assessed_n": "MRD+: MRD not assessed, patients",
    "ae_grade3plus_n": "Grade ≥3 adverse events, patients",
    "ae_grade3plus_rate": "Grade ≥3 adverse events, rate",
    "ae_grade5_n": "Grade 5 adverse events, patients",
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
    g3plus = a.grade3plus()
    hem = a.response_table("rr", "hematologic_response").set_index("code")["n"]
    rr_mrd = a.response_table("rr_responders", "mrd_response").set_index("code")["n"]
    mrd_cats = a.response_table("mrd", "mrd_response").set_index("code")["n"]
    cr, crh = a.response_rate("rr", "hematologic_response", "CR"), a.response_rate(
        "rr", "hematologic_response", "CRh")

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
        # response categories; responses not yet assessed are in no denominator
        "n_rr_assessed": a.n("rr_assessed"),
        "n_rr_pending": int(hem["pending"]),
        "rr_cr_n": cr.n,
        "rr_cr_rate": _rate(cr),
        "rr_crh_n": crh.n,
        "rr_crh_rate": _rate(crh),
        "rr_nr_n": int(hem["NR"]),
        "rr_ne_n": int(hem["NE"]),
        "n_rr_responders_mrd_assessed": mrdneg.N,
        "rr_mrdpos_n": int(rr_mrd["positive"]),
        "rr_mrd_not_assessed_n": int(rr_mrd["not assessed"]),
        "rr_mrd_pending_n": int(rr_mrd["pending"]),
        "n_mrd_assessed": a.n("mrd_assessed"),
        "n_mrd_pending": int(mrd_cats["pending"]),
        "mrd_mrdpos_n": int(mrd_cats["positive"]),
        "mrd_mrd_not_assessed_n": int(mrd_cats["not assessed"]),
        "ae_grade3plus_n": g3plus.n,
        "ae_grade3plus_rate": _rate(g3plus),
        "ae_grade5_n": a.worst_grade_share(5, 5).n,
    }
    for sg in subgroups():
        for lv in sg.levels:
            out[subgroup_result_key(lv)] = _rate(a.subgroup_rate(sg.code, lv.code))
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
