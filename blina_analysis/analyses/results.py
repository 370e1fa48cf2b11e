"""The flat map of results that every build writes to ``results.json`` and glues into the text.

One function computes it (:func:`compute_results`), so the page and the file can never disagree:
the chapters' prose is formatted from these same values. What the results are — keys, meanings,
units, populations, labels, the functions computing them — is declared once, in
:mod:`blina_analysis.analyses.registry`; :func:`results_schema` is the JSON Schema generated from
it. Rates and p-values are unrounded fractions 0–1, counts integers, days numbers (whole days,
or a quartile between two), hazard ratios numbers, a model's terms a string; a value that cannot be
computed is ``None`` (``null`` in JSON), and ``meta.not_available`` says why, in a sentence per key
(the analyses give the reason as a :class:`~blina_analysis.errors.NoInformation`; the caller says
how it reads, ``explain``).
"""

from __future__ import annotations

import json
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from blina_analysis._version import __version__
from blina_analysis.analyses import registry
from blina_analysis.analyses.registry import Result
from blina_analysis.errors import NoInformation

__all__ = ["compute_results", "missing_reasons", "results_schema", "results_document",
           "write_results"]

_PACKAGES = ("jupyter-book", "myst-nb", "sphinx", "lifelines", "pandas", "numpy", "scipy",
             "matplotlib", "pandera")


def compute_results(analysis) -> dict:
    """Every result of the registry (:func:`~blina_analysis.analyses.registry.entries`),
    keyed by its key, in registry order.

    A result the data cannot give is ``None``; :func:`missing_reasons` says why.
    """
    return dict(analysis._cached(("results",), lambda: _compute(analysis))[0])


def missing_reasons(analysis) -> dict[str, NoInformation]:
    """For each ``None`` of :func:`compute_results`, the sentence that says why."""
    return dict(analysis._cached(("results",), lambda: _compute(analysis))[1])


def _value_or_reason(entry: Result, analysis) -> tuple[object, NoInformation | None]:
    """``(value, None)``, or ``(None, why)`` when the data cannot give the result."""
    try:
        return entry.compute(analysis), None
    except NoInformation as exc:
        return None, exc


def _compute(analysis) -> tuple[dict, dict]:
    values: dict = {}
    reasons: dict[str, NoInformation] = {}
    for entry in registry.entries():
        values[entry.key], reason = _value_or_reason(entry, analysis)
        if reason is not None:
            reasons[entry.key] = reason
    return values, reasons


#: The JSON type of a result's value, by its unit (``null`` is always allowed).
_JSON_TYPES = {"patients": "integer", "proportion": "number", "days": "number",
               "years": "integer", "difference": "number", "ratio": "number",
               "p-value": "number", "terms": "string"}


def _result_schema(entry: Result) -> dict:
    schema = {"title": entry.label,
              "description": f"{entry.meaning} Unit: {entry.unit}; population: "
                             f"{entry.population}"
                             + (f"; denominator: {entry.denominator}." if entry.denominator
                                else "."),
              "type": [_JSON_TYPES[entry.unit], "null"]}
    if entry.unit in ("proportion", "p-value"):
        schema |= {"minimum": 0, "maximum": 1}
    elif entry.unit == "difference":
        schema |= {"minimum": -1, "maximum": 1}
    elif entry.unit != "terms":
        schema["minimum"] = 0
    return schema


def results_schema() -> dict:
    """The JSON Schema (draft 2020-12) of ``results.json``, generated from the registry.

    Every result of the registry is required under ``results``, with its label as title, its
    meaning, unit, population and denominator as description and its unit's JSON type (or
    ``null``); ``meta.not_available`` may name only those keys.
    """
    entries = registry.entries()
    keys = [e.key for e in entries]
    text_or_null = {"type": ["string", "null"]}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "results.json",
        "description": "Every result of one edition of the book, with what it was built from.",
        "type": "object",
        "required": ["meta", "results"],
        "additionalProperties": False,
        "properties": {
            "meta": {
                "type": "object",
                "required": ["book_version", "source_commit", "build_date", "dataset",
                             "packages", "not_available"],
                "properties": {
                    "book_version": {"type": "string"},
                    "source_commit": {"type": "string"},
                    "build_date": {"type": "string",
                                   "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$"},
                    "dataset": {
                        "type": "object",
                        "required": ["name", "version", "cutoff_date", "synthetic", "sha256",
                                     "fingerprint"],
                        "properties": {
                            "name": {"type": "string"},
                            "version": {"type": "string"},
                            "cutoff_date": {"type": "string",
                                            "pattern": r"^\d{4}-\d{2}-\d{2}$"},
                            "synthetic": {"type": "boolean"},
                            "sha256": {"type": "object",
                                       "additionalProperties": {"type": "string"}},
                            "fingerprint": {"type": "string"},
                        },
                    },
                    "packages": {"type": "object", "additionalProperties": text_or_null},
                    "not_available": {
                        "description": "Why each null result is null, in a sentence.",
                        "type": "object",
                        "propertyNames": {"enum": keys},
                        "additionalProperties": {"type": "string"},
                    },
                },
            },
            "results": {
                "type": "object",
                "required": keys,
                "additionalProperties": False,
                "properties": {e.key: _result_schema(e) for e in entries},
            },
        },
    }


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
    doc = results_document(dataset, commit=commit, epoch=epoch, explain=explain,
                           analysis=analysis)
    path.write_text(json.dumps(doc, indent=2, sort_keys=True, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    return path
