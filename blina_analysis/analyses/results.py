"""The flat map of results that every build writes to ``results.json`` and glues into the text.

One function computes it (:func:`compute_results`), so the page and the file can never disagree:
the chapters' prose is formatted from these same values. Rates are unrounded fractions 0–1, counts
integers, days integers; a value that cannot be computed is ``None`` (``null`` in JSON), and
``meta.not_available`` says why, in a sentence per key (the analyses give the reason as a
:class:`~blina_analysis.errors.NoInformation`; the caller says how it reads, ``explain``).
"""

from __future__ import annotations

import json
import math
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from blina_analysis._version import __version__
from blina_analysis.definitions import TWO_YEARS_DAYS, subgroups
from blina_analysis.errors import NoInformation

__all__ = ["RESULT_KEYS", "RESULT_LABELS", "result_label", "subgroup_result_key",
           "compute_results", "missing_reasons", "results_document", "write_results"]


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


def compute_results(analysis) -> dict:
    """Every headline result of the book, keyed as in :data:`RESULT_KEYS` (plus a few more).

    A result the data cannot give is ``None``; :func:`missing_reasons` says why.
    """
    return dict(analysis._cached(("results",), lambda: _compute(analysis))[0])


def missing_reasons(analysis) -> dict[str, NoInformation]:
    """For each ``None`` of :func:`compute_results`, why: its :class:`NoInformation`."""
    return dict(analysis._cached(("results",), lambda: _compute(analysis))[1])


def _compute(analysis) -> tuple[dict, dict]:
    a = analysis
    p = a.adsl
    out: dict = {}
    reasons: dict[str, NoInformation] = {}

    def put(key, compute):
        """``out[key] = compute()``; a :class:`NoInformation` gives None and its reason."""
        try:
            out[key] = compute()
        except NoInformation as exc:
            out[key], reasons[key] = None, exc

    def rate(pop, proportion):
        """A proportion's rate, or NoInformation if its population ``pop`` is empty or nobody
        in it has been assessed yet (the denominator of a response rate)."""
        a.require(pop)
        p = proportion()
        if not p.N:
            raise NoInformation("none_assessed", pop=pop)
        return _num(p.rate)

    def rr_limit(name):
        rate("rr", lambda: a.rr_response)  # NoInformation when nobody was assessed
        return _num(getattr(a.rr_response, name))

    def category(pop, column, code):
        return rate(pop, lambda: a.response_rate(pop, column, code))

    def count(pop, column, code):
        return int(a.response_table(pop, column).set_index("code").at[code, "n"])

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
    put("responders_os_2y", lambda: two_year("responders", "OS"))
    put("responders_dfs_2y", lambda: two_year("responders", "DFS"))
    put("rr_responders_os_2y", lambda: two_year("rr_responders", "OS"))
    put("rr_responders_dfs_2y", lambda: two_year("rr_responders", "DFS"))
    put("mrd_os_2y", lambda: two_year("mrd", "OS"))
    put("mrd_dfs_2y", lambda: two_year("mrd", "DFS"))
    put("responders_relapse_rate_hsct_after", lambda: crude("transplanted"))
    put("responders_relapse_rate_no_hsct_after", lambda: crude("not transplanted"))
    put("ae_grade34_n", lambda: a.grade34().n)
    put("ae_grade34_rate", lambda: rate("all", a.grade34))
    put("bc_interrupted_n", lambda: a.proportion("all", "bc_interrupted").n)
    put("bc_interrupted_rate",
        lambda: rate("all", lambda: a.proportion("all", "bc_interrupted")))
    put("bc_stopped_early_n", lambda: a.proportion("all", "bc_stopped_early").n)
    put("bc_stopped_early_rate",
        lambda: rate("all", lambda: a.proportion("all", "bc_stopped_early")))
    put("median_followup_days", followup_days)
    # beyond the required keys
    put("age_min", lambda: (a.require("all"), int(p["age"].min()))[1])
    put("age_max", lambda: (a.require("all"), int(p["age"].max()))[1])
    put("n_responders", lambda: a.n("responders"))
    # response categories; responses not yet assessed are in no denominator
    hem, mrd_col = "hematologic_response", "mrd_response"
    put("n_rr_assessed", lambda: a.n("rr_assessed"))
    put("n_rr_pending", lambda: count("rr", hem, "pending"))
    put("rr_cr_n", lambda: a.response_rate("rr", hem, "CR").n)
    put("rr_cr_rate", lambda: category("rr", hem, "CR"))
    put("rr_crh_n", lambda: a.response_rate("rr", hem, "CRh").n)
    put("rr_crh_rate", lambda: category("rr", hem, "CRh"))
    put("rr_nr_n", lambda: count("rr", hem, "NR"))
    put("rr_ne_n", lambda: count("rr", hem, "NE"))
    put("n_rr_responders_mrd_assessed", lambda: a.rr_mrd_negativity.N)
    put("rr_mrdpos_n", lambda: count("rr_responders", mrd_col, "positive"))
    put("rr_mrd_not_assessed_n", lambda: count("rr_responders", mrd_col, "not assessed"))
    put("rr_mrd_pending_n", lambda: count("rr_responders", mrd_col, "pending"))
    put("n_mrd_assessed", lambda: a.n("mrd_assessed"))
    put("n_mrd_pending", lambda: count("mrd", mrd_col, "pending"))
    put("mrd_mrdpos_n", lambda: count("mrd", mrd_col, "positive"))
    put("mrd_mrd_not_assessed_n", lambda: count("mrd", mrd_col, "not assessed"))
    put("ae_grade3plus_n", lambda: a.grade3plus().n)
    put("ae_grade3plus_rate", lambda: rate("all", a.grade3plus))
    put("ae_grade5_n", lambda: a.worst_grade_share(5, 5).n)
    for sg in subgroups():
        for lv in sg.levels:
            put(subgroup_result_key(lv),
                lambda sg=sg, lv=lv: _num(a.subgroup_rate(sg.code, lv.code).rate))
    return out, reasons


def results_document(dataset, *, commit: str, epoch: int, explain, analysis=None) -> dict:
    """``results.json``: ``meta`` (what was built from what) and ``results``.

    ``explain`` turns the :class:`NoInformation` of a result that cannot be computed into the
    sentence ``meta.not_available`` gives for it
    (:func:`blina_analysis.report.text.reasons.explain`). ``analysis`` is the
    :class:`~blina_analysis.analyses.Analysis` of ``dataset`` when the caller has one (its
    results are reused); otherwise one is made.
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
    analysis = analysis or Analysis(dataset)
    results = compute_results(analysis)
    # why each null of ``results`` is null (empty when every result could be computed)
    meta["not_available"] = {key: explain(exc) for key, exc in missing_reasons(analysis).items()}
    return {"meta": meta, "results": results}


def write_results(dataset, path: str | Path, *, commit: str, epoch: int, explain,
                  analysis=None) -> Path:
    """Write ``results.json`` (sorted keys, stable formatting: same inputs, same bytes)."""
    path = Path(path)
    doc = results_document(dataset, commit=commit, epoch=epoch, explain=explain, analysis=analysis)
    path.write_text(json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    return path
