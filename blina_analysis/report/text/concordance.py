"""The concordance chapter: what the comparison means for these data, and what it finds."""

from __future__ import annotations

from blina_analysis.analyses import Analysis
from blina_analysis.analyses.results import compute_results
from blina_analysis.data.published import abstract_values
from blina_analysis.i18n import _, current_language, ngettext, pgettext
from blina_analysis.report import fmt
from blina_analysis.report.labels import result_label
from blina_analysis.report.tables import concordance_table, published_text
from blina_analysis.report.text import edition
from blina_analysis.report.text._say import and_join
from blina_analysis.report.text.edition import BuildFacts

__all__ = ["values", "agreement_summary", "readings"]


def readings() -> list[str]:
    """How the book reads the abstract's ambiguous sentences, one item per reading.

    Each item names the results the reading concerns with their published values
    (``"Responders: 2-year OS, 53% and Responders: 2-year DFS, 38% — …"``), then the reading
    and its reason, as stored in the ``reading`` field of the published values (``reading_ru`` in
    Russian; :func:`~blina_analysis.data.published.abstract_values`); values that share a reading
    share an item. Nothing is typed here: the labels are the registry's
    (:func:`~blina_analysis.report.labels.result_label`), the values the abstract's.
    """
    grouped: dict[str, list] = {}
    lang = current_language()
    for pv in abstract_values().values():
        if pv.reading_in(lang):
            grouped.setdefault(pv.reading_in(lang), []).append(pv)
    return [_("{results} \u2014 {reading}").format(
        results=and_join([_("{result}, {value}").format(result=result_label(pv.key),
                                                         value=published_text(pv))
                          for pv in values]), reading=reading)
        for reading, values in grouped.items()]


def agreement_summary(an: Analysis) -> str:
    """What the comparison with the abstract finds: how many numbers agree, the largest gaps."""
    results = compute_results(an)
    table = concordance_table(results)
    published = abstract_values()
    total, agree = len(table), int((table["agrees"] == pgettext("agrees", "yes")).sum())
    counts = [k for k, v in published.items() if v.kind == "count"]
    rates = [k for k, v in published.items() if v.kind == "rate"]
    counts_equal = sum(results.get(k) is not None and int(results[k]) == int(published[k].value)
                       for k in counts)
    gaps = [abs(results[k] - published[k].value) for k in rates if results.get(k) is not None]
    missing = sum(results.get(k) is None for k in published)
    parts = [ngettext("{agree} of {total} published number agree",
                      "{agree} of {total} published numbers agree", total).format(
        agree=fmt.number(agree), total=fmt.number(total))]
    if counts_equal == len(counts):
        parts.append(ngettext("all {n} counts are equal", "all {n} counts are equal",
                              len(counts)).format(n=fmt.number(len(counts))))
    else:
        parts.append(ngettext("{equal} of {n} counts are equal", "{equal} of {n} counts are equal",
                              len(counts)).format(equal=fmt.number(counts_equal),
                                                  n=fmt.number(len(counts))))
    if gaps:
        parts.append(ngettext(
            "the {n} rates computed here differ from the published ones by at most {gap} "
            "percentage points",
            "the {n} rates computed here differ from the published ones by at most {gap} "
            "percentage points", len(gaps)).format(n=fmt.number(len(gaps)),
                                                   gap=fmt.number(100 * max(gaps), 1)))
    text = _("{first}: {rest}.").format(first=parts[0], rest=_(", and ").join(parts[1:]))
    if missing:
        text += " " + ngettext(
            "{n} of the published numbers cannot be computed from these data (results.json gives "
            "the reason for each).",
            "{n} of the published numbers cannot be computed from these data (results.json gives "
            "the reason for each).", missing).format(n=fmt.number(missing))
    return text


def values(an: Analysis, build: BuildFacts) -> dict[str, str]:
    e = edition.values(an, build)
    return {
        "agreement_summary": agreement_summary(an),
        "concordance_purpose": edition.concordance_purpose(an),
        "dataset_kind": e["dataset_kind"],
        "dataset_name": e["dataset_name"],
        "dataset_version": e["dataset_version"],
    }
