"""The "How the results changed" page, the feed of editions and the words of withdrawal.

An edition's history is the list of the editions published before it in its site (each one's
``results.json`` and whether it had been withdrawn), handed to the build as one JSON document
(:func:`history_document`, written by ``blina publish``; ``blina build --history FILE``), followed
by this edition's own results. Everything here reads those plain documents, never an analysis:
an earlier edition is known only by what it published.

Every English word of the page, of the feed (:func:`feed_title`, :func:`feed_summary`) and of
``blina publish --withdraw`` lives in this module, so that a translation has one place to look.
The words of the withdrawal banner that a reader's browser writes live in the site's script
(``publish/static/blina-editions.js``, its ``WORDS``).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from datetime import date

from blina_analysis.analyses import registry
from blina_analysis.i18n import _, ngettext
from blina_analysis.report import fmt
from blina_analysis.report.labels import result_label

__all__ = ["HEADLINE", "MAIN_ESTIMATES", "EditionRecord", "history_document", "read_history",
           "records", "intro", "history_table", "history_numbers", "column_label",
           "figure_series", "feed_title", "feed_summary", "withdrawal_title",
           "reinstatement_title", "withdrawal_summary",
           "reinstatement_summary", "FEED_TITLE", "FEED_SUBTITLE"]

#: The rows of the table: the results the abstract reports, then the book's main estimates, by
#: ``results.json`` key, each with the keys of its 95% CI limits when results.json has them.
HEADLINE: tuple[tuple[str, tuple[str, str] | None], ...] = (
    ("n_total", None),
    ("n_mrd", None),
    ("n_rr", None),
    ("os_2y", ("os_2y_ci_low", "os_2y_ci_high")),
    ("efs_2y", ("efs_2y_ci_low", "efs_2y_ci_high")),
    ("rr_os_2y", ("rr_os_2y_ci_low", "rr_os_2y_ci_high")),
    ("rr_efs_2y", ("rr_efs_2y_ci_low", "rr_efs_2y_ci_high")),
    ("responders_rfs_2y", ("responders_rfs_2y_ci_low", "responders_rfs_2y_ci_high")),
    ("rr_response_rate", ("rr_response_ci_low", "rr_response_ci_high")),
    ("rr_mrdneg_rate", None),
    ("mrd_response_rate", None),
    ("responders_os_2y", ("responders_os_2y_ci_low", "responders_os_2y_ci_high")),
    ("responders_dfs_2y", ("responders_dfs_2y_ci_low", "responders_dfs_2y_ci_high")),
    ("rr_responders_os_2y", ("rr_responders_os_2y_ci_low", "rr_responders_os_2y_ci_high")),
    ("rr_responders_dfs_2y", ("rr_responders_dfs_2y_ci_low", "rr_responders_dfs_2y_ci_high")),
    ("mrd_os_2y", ("mrd_os_2y_ci_low", "mrd_os_2y_ci_high")),
    ("mrd_dfs_2y", ("mrd_dfs_2y_ci_low", "mrd_dfs_2y_ci_high")),
    ("responders_relapse_rate_hsct_after", None),
    ("responders_relapse_rate_no_hsct_after", None),
    ("ae_grade34_rate", None),
    ("median_followup_days", None),
)

#: The estimates the figure follows across editions: response rates, and 2-year OS and EFS of each
#: cohort from day 1 (in the MRD+ group, in remission from day 1, EFS is DFS).
MAIN_ESTIMATES = ("rr_response_rate", "mrd_response_rate", "rr_os_2y", "rr_efs_2y", "mrd_os_2y",
                  "mrd_dfs_2y")

#: A rate's count, when results.json holds it beside the rate (its exact CI is computed from
#: the count and the denominator, as the book computes it).
_COUNT_OF_RATE = {"rr_mrdneg_rate": "rr_mrdneg_n", "mrd_response_rate": "mrd_response_n",
                  "ae_grade34_rate": "ae_grade34_n"}

#: The size of the population a 2-year estimate is of (the registry gives rates their
#: denominators; survival estimates have their population instead).
_POPULATION_N = {"all": "n_total", "mrd": "n_mrd", "rr": "n_rr", "responders": "n_responders",
                 "rr_responders": "rr_response_n"}

FEED_TITLE = "Blinatumomab in adult B-ALL: editions of a living publication"
FEED_SUBTITLE = ("Each edition of the book: its data cut-off and its largest changes; "
                 "withdrawals too.")


@dataclass(frozen=True)
class EditionRecord:
    """One edition as its ``results.json`` describes it (plain values, no analysis).

    ``withdrawn`` is the withdrawal (``{"date": ..., "reason": ...}``) the site had recorded
    when the later edition was published, or empty.
    """

    edition: str
    cutoff: str
    results: dict = field(compare=False, hash=False)
    not_available: dict = field(compare=False, hash=False)
    withdrawn: dict = field(default_factory=dict, compare=False, hash=False)


def _edition_of(doc: dict) -> str:
    meta = doc.get("meta") or {}
    if meta.get("edition"):
        return str(meta["edition"])
    ds = meta.get("dataset") or {}
    return f"{meta.get('book_version', '?')}+{ds.get('name', '?')}-{ds.get('version', '?')}"


def _record(doc: dict, withdrawn: dict | None = None) -> EditionRecord:
    meta = doc.get("meta") or {}
    return EditionRecord(_edition_of(doc), str((meta.get("dataset") or {}).get("cutoff_date", "")),
                         dict(doc.get("results") or {}), dict(meta.get("not_available") or {}),
                         dict(withdrawn or {}))


def history_document(earlier: list[tuple[dict, dict | None]]) -> str:
    """The history handed to a build: the earlier editions, oldest first, as JSON text.

    ``earlier`` holds, per edition, its ``results.json`` document and its withdrawal (or None).
    The text is deterministic (sorted keys), so the same site gives the same bytes.
    """
    editions = [{"edition": _edition_of(doc), "withdrawn": withdrawn or None, "results": doc}
                for doc, withdrawn in earlier]
    return json.dumps({"editions": editions}, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def read_history(text: str) -> list[EditionRecord]:
    """The earlier editions of a :func:`history_document` (empty text: none)."""
    if not text:
        return []
    doc = json.loads(text)
    return [_record(e["results"], e.get("withdrawn")) for e in doc["editions"]]


def records(history_text: str, current: dict) -> list[EditionRecord]:
    """The earlier editions, then this one (``current``: this build's results document)."""
    return [*read_history(history_text), _record(current)]


# --- the page ---------------------------------------------------------------------------------


def intro(editions: list[EditionRecord]) -> str:
    """The sentence above the table: how many editions it compares, or that there is no earlier."""
    earlier = len(editions) - 1
    if earlier == 0:
        return _("There is no earlier edition of this book: this is its first edition (or a "
                 "build outside a published site), so the table shows this edition alone.")
    if earlier == 1:
        return _("The table shows each headline result in the edition published before this one "
                 "and in this edition, oldest first. An edition's history is frozen when it is "
                 "published: later editions do not change it.")
    return ngettext("The table shows each headline result in the {n} editions published before "
                    "this one and in this edition, oldest first. An edition's history is frozen "
                    "when it is published: later editions do not change it.",
                    "The table shows each headline result in the {n} editions published before "
                    "this one and in this edition, oldest first. An edition's history is frozen "
                    "when it is published: later editions do not change it.", earlier).format(
        n=fmt.number(earlier))


def _date(iso: str) -> str:
    """An ISO date of an edition's record in the page's language (``30.06.2018`` in Russian);
    anything else as it is."""
    import datetime

    try:
        return fmt.date(datetime.date.fromisoformat(str(iso)))
    except ValueError:
        return str(iso)


def column_label(record: EditionRecord) -> str:
    """A column's header: the edition, its data cut-off, and a withdrawal if there was one."""
    if record.withdrawn:
        return _("Edition {edition} (data cut-off {cutoff}), withdrawn on {date}").format(
            edition=record.edition, cutoff=_date(record.cutoff),
            date=_date(record.withdrawn.get('date', '')))
    return _("Edition {edition} (data cut-off {cutoff})").format(edition=record.edition,
                                                                 cutoff=_date(record.cutoff))


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and \
        math.isfinite(float(value))


def _limits(key: str, ci: tuple[str, str] | None, results: dict):
    """The CI of a rate: from results.json, or exact from its count and denominator."""
    if ci is not None:
        return results.get(ci[0]), results.get(ci[1])
    count, total = results.get(_COUNT_OF_RATE.get(key, "")), _denominator(key, results)
    if _number(count) and _number(total) and total > 0 and 0 <= count <= total:
        from blina_analysis.stats import exact_ci

        p = exact_ci(int(count), int(total))
        return p.ci_low, p.ci_high
    return None, None


def _denominator(key: str, results: dict):
    try:
        entry = registry.result(key)
    except KeyError:
        return None
    n_key = entry.denominator or (_POPULATION_N.get(entry.population)
                                  if entry.key.endswith("_2y") else None)
    return results.get(n_key) if n_key else None


def _cell(key: str, ci, record: EditionRecord) -> str:
    value = record.results.get(key)
    if key not in record.results:
        return _("Not reported in this edition.")
    if not _number(value):
        return record.not_available.get(key) or _("Not available in this edition.")
    unit = registry.result(key).unit
    if unit == "patients":
        return fmt.number(value)
    if unit == "days":
        return _("{n} days").format(n=fmt.number(value))
    if unit == "years":
        return fmt.number(value)
    low, high = _limits(key, ci, record.results)
    text = fmt.pct(value) if low is None and high is None else fmt.pct_ci(value, low, high)
    n = _denominator(key, record.results)
    return f"{text}; N = {fmt.number(n)}" if _number(n) else text


def history_table(editions: list[EditionRecord]):
    """The display table: one row per headline result, one column per edition (oldest first)."""
    import pandas as pd

    rows = []
    for key, ci in HEADLINE:
        row = {_("Result"): result_label(key)}
        for record in editions:
            row[column_label(record)] = _cell(key, ci, record)
        rows.append(row)
    return pd.DataFrame(rows, columns=[_("Result"), *(column_label(r) for r in editions)])


def history_numbers(editions: list[EditionRecord]):
    """The table's numbers as computed (one row per result and edition), for its CSV."""
    import pandas as pd

    rows = []
    for key, ci in HEADLINE:
        for record in editions:
            value = record.results.get(key)
            low, high = (_limits(key, ci, record.results) if registry.result(key).unit ==
                         "proportion" and _number(value) else (None, None))
            rows.append({"key": key, "result": result_label(key),
                         "edition": record.edition, "data_cutoff": record.cutoff,
                         "value": value if _number(value) else None, "ci_low": low,
                         "ci_high": high, "N": _denominator(key, record.results)
                         if registry.result(key).unit == "proportion" else None,
                         "not_available": "" if _number(value) else
                         record.not_available.get(key, "")})
    return pd.DataFrame(rows)


def figure_series(editions: list[EditionRecord]) -> list[dict]:
    """Per main estimate: its label and its points ``(cut-off date, value, low, high)``; an
    edition without the estimate gives no point."""
    out = []
    for key in MAIN_ESTIMATES:
        ci = dict(HEADLINE)[key]
        points = []
        for record in editions:
            value = record.results.get(key)
            if not _number(value) or not record.cutoff:
                continue
            low, high = _limits(key, ci, record.results)
            points.append((date.fromisoformat(record.cutoff), float(value),
                           float(low) if _number(low) else None,
                           float(high) if _number(high) else None))
        out.append({"key": key, "label": result_label(key), "points": points})
    return out


# --- the feed and withdrawal ------------------------------------------------------------------


def feed_title(edition: str, cutoff: str) -> str:
    """The title of an edition's entry in the feed."""
    return f"Edition {edition} (data cut-off {cutoff})"


def withdrawal_title(edition: str) -> str:
    return f"Edition {edition} withdrawn"


def reinstatement_title(edition: str) -> str:
    return f"Edition {edition} reinstated"


def withdrawal_summary(edition: str, date_text: str, reason: str) -> str:
    ended = reason if reason.endswith((".", "!", "?")) else reason + "."
    return f"Edition {edition} was withdrawn on {date_text}. Reason: {ended}"


def reinstatement_summary(edition: str, date_text: str) -> str:
    return f"Edition {edition} was reinstated on {date_text}; it is no longer withdrawn."


def feed_summary(old: dict | None, new: dict, *, largest: int = 3) -> str:
    """The largest changes of the headline results since the earlier edition, by reader labels.

    Rates are compared in percentage points, the others in their units; the ``largest``
    greatest changes of rates are named, with the counts that changed.
    """
    cutoff = ((new.get("meta") or {}).get("dataset") or {}).get("cutoff_date", "")
    if old is None:
        return f"The first edition (data cut-off {cutoff})."
    rates, others = [], []
    a, b = old.get("results") or {}, new.get("results") or {}
    for key, _ci in HEADLINE:
        x, y = a.get(key), b.get(key)
        if not (_number(x) and _number(y)) or math.isclose(x, y, abs_tol=1e-12):
            continue
        label = registry.result_label(key)
        if registry.result(key).unit == "proportion":
            rates.append((abs(y - x), f"{label} {fmt.pct(x)} → {fmt.pct(y)} "
                                      f"({fmt.signed(100 * (y - x))} pp)"))
        else:
            others.append(f"{label} {fmt.number(x)} → {fmt.number(y)}")
    rates.sort(key=lambda item: -item[0])
    changes = [text for _, text in rates[:largest]] + others[:largest]
    since = _edition_of(old)
    if not changes:
        return f"No headline result changed since edition {since} (data cut-off {cutoff})."
    return (f"Data cut-off {cutoff}. Largest changes since edition {since}: "
            + "; ".join(changes) + ".")

