"""What changed between two editions: compare two ``results.json`` documents.

Two editions of the book (two versions of the code, or two data cuts) each write a
``results.json`` (``{"meta": {...}, "results": {...}}``, see :mod:`blina_analysis.analyses.results`).
:func:`diff_results` lines them up key by key and keeps what differs; :func:`format_diff` renders
that as the text table of ``blina diff``; :func:`changes_table` gives the display DataFrame a
chapter can show ("changes since edition X"). Both name the editions
(:func:`~blina_analysis.publish.editions.edition_of`) and list results in the order, with the
labels and units, of their entries in :mod:`blina_analysis.analyses.registry` (as the
concordance chapter does).

Numbers are compared unrounded and become text only through :mod:`blina_analysis.report.fmt`: rates
(fractions 0–1) as percentages with one decimal and their change in percentage points, counts as
integers, durations in days.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd

from blina_analysis.analyses import registry
from blina_analysis.errors import BlinaError
from blina_analysis.i18n import _, pgettext
from blina_analysis.publish.editions import edition_of
from blina_analysis.report import fmt
from blina_analysis.report.labels import result_label

__all__ = ["load_results", "diff_results", "format_diff", "changes_table", "value_kind"]

#: Columns of the frame :func:`diff_results` returns.
DIFF_COLUMNS = ["section", "key", "kind", "status", "old", "new", "change"]

#: The ``meta`` fields compared (dotted paths into ``meta``), in display order.
_META_FIELDS = (
    "book_version",
    "source_commit",
    "build_date",
    "dataset.name",
    "dataset.version",
    "dataset.cutoff_date",
    "dataset.synthetic",
    "dataset.fingerprint",
)

_ONLY_OLD = "only in old"
_ONLY_NEW = "only in new"
_CHANGED = "changed"
_UNCHANGED = "unchanged"


# --------------------------------------------------------------------------------------------
# reading


def load_results(path: str | Path) -> dict:
    """Read a ``results.json`` written by a build, checking that it is one.

    Raises
    ------
    BlinaError
        The file does not exist, is not JSON, or lacks the ``meta`` and ``results`` objects.
    """
    path = Path(path)
    if not path.is_file():
        raise BlinaError(f"{path}: no such file (expected a results.json written by `blina build`)")
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise BlinaError(f"{path}: not a results.json (not UTF-8 text)") from None
    except json.JSONDecodeError as exc:
        raise BlinaError(f"{path}: not a results.json (invalid JSON: {exc.msg}, line {exc.lineno})"
                         ) from None
    try:
        _check_document(doc)
    except BlinaError as exc:
        raise BlinaError(f"{path}: {exc}") from None
    return doc


def _check_document(doc) -> None:
    if not isinstance(doc, dict) or not isinstance(doc.get("results"), dict) \
            or not isinstance(doc.get("meta"), dict):
        raise BlinaError('not a results.json (expected an object with "meta" and "results" '
                         'objects)')


# --------------------------------------------------------------------------------------------
# comparing


def value_kind(key: str, value=None) -> str:
    """How a result is read and shown: ``rate``, ``count``, ``days``, ``p``, ``number`` or
    ``text``.

    A result of the registry (:mod:`blina_analysis.analyses.registry`) is read by its unit
    (proportion: rate, patients: count, days: days, p_value: p, years and ratio: number, terms:
    text). A key the registry does not
    know (an earlier edition's) is read by the naming convention of result keys: rates
    (fractions 0–1) end in ``_rate``, ``_2y``, ``_ci_low``/``_ci_high`` or contain ``_rate_``;
    counts start with ``n_`` or end in ``_n``; durations end in ``_days``.

    >>> value_kind("rr_response_rate"), value_kind("n_total"), value_kind("median_followup_days")
    ('rate', 'count', 'days')
    """
    unit = _units().get(key)
    if unit is not None:
        return _KIND_OF_UNIT[unit]
    if key.endswith(("_rate", "_2y", "_ci_low", "_ci_high")) or "_rate_" in key:
        return "rate"
    if key.endswith("_days"):
        return "days"
    if key.startswith("n_") or key.endswith("_n"):
        return "count"
    if isinstance(value, bool) or isinstance(value, str):
        return "text"
    if isinstance(value, (int, float)):
        return "number"
    return "text"


#: How a result of each registry unit is read and shown.
_KIND_OF_UNIT = {"proportion": "rate", "patients": "count", "days": "days", "years": "number",
                 "difference": "number", "ratio": "number", "p-value": "p", "terms": "text"}


def _units() -> dict[str, str]:
    return {e.key: e.unit for e in registry.entries()}


def _is_number(x) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def _same(a, b) -> bool:
    if _is_number(a) and _is_number(b):
        if math.isnan(a) and math.isnan(b):
            return True
        return math.isclose(a, b, rel_tol=0.0, abs_tol=1e-12)
    return a == b


def _change(kind: str, old, new):
    """``new - old`` in display units (percentage points for rates); ``None`` if not numeric."""
    if not (_is_number(old) and _is_number(new)):
        return None
    delta = float(new) - float(old)
    return 100.0 * delta if kind == "rate" else delta


def _meta_value(meta: dict, dotted: str):
    value = meta
    for part in dotted.split("."):
        if not isinstance(value, dict) or part not in value:
            return _MISSING
        value = value[part]
    return value


class _Missing:
    def __repr__(self) -> str:  # pragma: no cover - debugging aid
        return "<missing>"


_MISSING = _Missing()


def _result_order(keys) -> list[str]:
    """The registry's order first, then any other key alphabetically."""
    rank = {e.key: i for i, e in enumerate(registry.entries())}
    return sorted(keys, key=lambda k: (rank.get(k, len(rank)), k))


def _row(section: str, key: str, old, new, kind: str | None = None) -> dict:
    if old is _MISSING:
        status = _ONLY_NEW
    elif new is _MISSING:
        status = _ONLY_OLD
    else:
        status = _UNCHANGED if _same(old, new) else _CHANGED
    probe = new if old is _MISSING else old
    kind = kind or value_kind(key, probe)
    return {
        "section": section,
        "key": key,
        "kind": kind,
        "status": status,
        "old": None if old is _MISSING else old,
        "new": None if new is _MISSING else new,
        "change": _change(kind, old, new) if status == _CHANGED else None,
    }


def diff_results(old: dict, new: dict, *, include_unchanged: bool = False,
                 include_meta: bool = True) -> pd.DataFrame:
    """Line up two ``results.json`` documents and keep what differs.

    Parameters
    ----------
    old, new : dict
        Parsed ``results.json`` documents (``{"meta": {...}, "results": {...}}``), e.g. from
        :func:`load_results`.
    include_unchanged : bool, optional, default: False
        Keep the rows whose value is the same on both sides (status ``unchanged``).
    include_meta : bool, optional, default: True
        Compare the build's ``meta`` too: book version, source commit, build date and dataset
        (name, version, cut-off, synthetic, fingerprint) and the versions of the packages.

    Returns
    -------
    pandas.DataFrame
        One row per key, columns ``section`` (``meta`` or ``results``), ``key``, ``kind``
        (``rate``, ``count``, ``days``, ``p``, ``number`` or ``text``), ``status`` (``changed``,
        ``only in old``, ``only in new``, ``unchanged``), ``old``, ``new`` (the raw values;
        ``None`` where the key is absent or the value is null) and ``change`` (``new - old``
        unrounded: percentage points for rates, days for durations; ``None`` when not numeric).
        Meta rows come first, then results in the order of the registry
        (:func:`~blina_analysis.analyses.registry.entries`), then any other key alphabetically.

    Raises
    ------
    BlinaError
        Either argument is not a results document.

    Examples
    --------
    >>> old = {"meta": {}, "results": {"n_total": 66, "rr_response_rate": 0.5}}
    >>> new = {"meta": {}, "results": {"n_total": 66, "rr_response_rate": 0.55}}
    >>> diff_results(old, new)[["key", "change"]].round(6).to_dict("records")
    [{'key': 'rr_response_rate', 'change': 5.0}]
    """
    _check_document(old)
    _check_document(new)
    rows = []
    if include_meta:
        for field in _META_FIELDS:
            a, b = _meta_value(old["meta"], field), _meta_value(new["meta"], field)
            if a is _MISSING and b is _MISSING:
                continue
            rows.append(_row("meta", field, a, b, kind="text"))
        pa = old["meta"].get("packages") or {}
        pb = new["meta"].get("packages") or {}
        for name in sorted(set(pa) | set(pb)):
            rows.append(_row("meta", f"packages.{name}", pa.get(name, _MISSING),
                             pb.get(name, _MISSING), kind="text"))
    ra, rb = old["results"], new["results"]
    for key in _result_order(set(ra) | set(rb)):
        rows.append(_row("results", key, ra.get(key, _MISSING), rb.get(key, _MISSING)))
    frame = pd.DataFrame(rows, columns=DIFF_COLUMNS)
    if not include_unchanged:
        frame = frame[frame["status"] != _UNCHANGED]
    return frame.reset_index(drop=True)


# --------------------------------------------------------------------------------------------
# formatting


def _value_text(kind: str, value) -> str:
    if value is None:
        return fmt.NOT_AVAILABLE
    if kind == "rate":
        return fmt.pct(value, 1)
    if kind == "count":
        return fmt.number(value)
    if kind == "days":
        # TRANSLATORS: a duration in days in the changes table ("906 days")
        return _("{value} days").format(value=fmt.number(value))
    if kind == "p" and _is_number(value):
        return fmt.p_value(value)
    if kind == "number" and _is_number(value):
        return fmt.number(value, 0 if float(value).is_integer() else 3)
    if isinstance(value, bool):
        return (pgettext("a result that is true or false", "yes") if value
                else pgettext("a result that is true or false", "no"))
    return str(value)


def _change_text(kind: str, status: str, change) -> str:
    if status == _ONLY_OLD:
        # TRANSLATORS: a result of the earlier edition that this edition no longer has
        return _("removed")
    if status == _ONLY_NEW:
        # TRANSLATORS: a result new in this edition
        return _("added")
    if status == _UNCHANGED:
        return ""
    if change is None or (isinstance(change, float) and math.isnan(change)):
        return _("changed")  # not numeric (pandas keeps a None of a number column as NaN)
    if kind == "rate":
        # TRANSLATORS: a change of a rate in percentage points ("+2.5 pp")
        return _("{change} pp").format(change=fmt.signed(change, 1))
    if kind == "days":
        return _("{value} days").format(value=fmt.signed(change))
    if kind == "count":
        return fmt.signed(change)
    decimals = 0 if float(change).is_integer() else 3
    return fmt.signed(change, decimals)


def _display_rows(diff: pd.DataFrame) -> list[dict]:
    rows = []
    for r in diff.to_dict("records"):
        missing = {_ONLY_NEW: "old", _ONLY_OLD: "new"}.get(r["status"])
        rows.append({
            "section": r["section"],
            "key": r["key"],
            "status": r["status"],
            "old": "—" if missing == "old" else _value_text(r["kind"], r["old"]),
            "new": "—" if missing == "new" else _value_text(r["kind"], r["new"]),
            "change": _change_text(r["kind"], r["status"], r["change"]),
        })
    return rows


def _text_table(headers: list[str], rows: list[list[str]], right: set[int]) -> str:
    widths = [max([len(h), *(len(row[i]) for row in rows)]) for i, h in enumerate(headers)]

    def line(cells):
        return "  ".join(c.rjust(w) if i in right else c.ljust(w)
                         for i, (c, w) in enumerate(zip(cells, widths))).rstrip()

    return "\n".join([line(headers), line(["-" * w for w in widths]), *map(line, rows)])


def _describe(doc: dict) -> str:
    meta = doc["meta"]
    ds = meta.get("dataset") or {}
    parts = [f"book {meta.get('book_version', '?')}", f"commit {meta.get('source_commit', '?')}"]
    if ds:
        parts.append(f"dataset {ds.get('name', '?')} {ds.get('version', '?')}")
        if ds.get("cutoff_date"):
            parts.append(f"cut-off {ds['cutoff_date']}")
    return f"edition {edition_of(doc)} ({', '.join(parts)})"


def format_diff(old: dict, new: dict, *, old_label: str = "old", new_label: str = "new") -> str:
    """The text report of ``blina diff``: meta differences, changed results, keys on one side.

    Examples
    --------
    >>> data = {"name": "cut", "version": "1"}
    >>> old = {"meta": {"book_version": "0.1.0", "dataset": data},
    ...        "results": {"n_total": 66, "x_rate": 0.5}}
    >>> new = {"meta": {"book_version": "0.2.0", "dataset": data},
    ...        "results": {"n_total": 70, "x_rate": 0.55}}
    >>> print(format_diff(old, new))
    old: edition 0.1.0+cut-1 (book 0.1.0, commit ?, dataset cut 1)
    new: edition 0.2.0+cut-1 (book 0.2.0, commit ?, dataset cut 1)
    <BLANKLINE>
    Build (meta): 1 difference
    key           old    new
    ------------  -----  -----
    book_version  0.1.0  0.2.0
    <BLANKLINE>
    Results: 2 of 2 changed
    result           old    new   change
    -------------  -----  -----  -------
    Patients, all     66     70       +4
    x_rate         50.0%  55.0%  +5.0 pp

    Results are listed by their readers' labels
    (:func:`~blina_analysis.analyses.registry.result_label`, as in the concordance chapter).
    """
    diff = diff_results(old, new, include_unchanged=False)
    rows = _display_rows(diff)
    out = [f"{old_label}: {_describe(old)}", f"{new_label}: {_describe(new)}", ""]

    meta = [r for r in rows if r["section"] == "meta"]
    if meta:
        n = len(meta)
        out.append(f"Build (meta): {n} difference{'s' if n != 1 else ''}")
        out.append(_text_table(["key", old_label, new_label],
                               [[r["key"], r["old"], r["new"]] for r in meta], right=set()))
    else:
        out.append("Build (meta): no difference")
    out.append("")

    res = [r for r in rows if r["section"] == "results"]
    changed = [r for r in res if r["status"] == _CHANGED]
    common = len(set(old["results"]) & set(new["results"]))
    if changed:
        out.append(f"Results: {len(changed)} of {common} changed")
        out.append(_text_table(["result", old_label, new_label, "change"],
                               [[registry.result_label(r["key"]), r["old"], r["new"], r["change"]]
                                for r in changed],
                               right={1, 2, 3}))
    else:
        out.append(f"Results: none of {common} changed")
    for status, label, side in ((_ONLY_OLD, f"Only in {old_label}", "old"),
                                (_ONLY_NEW, f"Only in {new_label}", "new")):
        only = [r for r in res if r["status"] == status]
        if only:
            out.append("")
            out.append(f"{label} ({len(only)}):")
            out.extend(f"  {registry.result_label(r['key'])} ({r['key']}) = {r[side]}"
                       for r in only)
    return "\n".join(out)


def changes_table(old: dict, new: dict, *, old_label: str | None = None,
                  new_label: str | None = None, include_meta: bool = False) -> pd.DataFrame:
    """Reader-facing table of the results that changed since an earlier edition.

    Parameters
    ----------
    old, new : dict
        The earlier and the current ``results.json`` documents.
    old_label, new_label : str, optional
        Column headers; default ``"Edition <edition>"`` of each side (see
        :func:`~blina_analysis.publish.editions.edition_of`), with ``(earlier)`` / ``(this
        edition)`` appended when both sides are the same edition.
    include_meta : bool, optional, default: False
        Also list differences in the build's meta (version, commit, dataset, packages).

    Returns
    -------
    pandas.DataFrame
        Columns ``Result`` (the reader's label of each result in the current language, as in the
        concordance chapter),
        ``<old_label>``, ``<new_label>``, ``Change`` (all strings, formatted by
        :mod:`blina_analysis.report.fmt`); keys present on one side only show ``—`` on the other
        and ``added``/``removed`` as change. Empty (with these columns) when nothing changed.
    """
    e_old, e_new = edition_of(old), edition_of(new)
    if old_label is None or new_label is None:
        same = e_old == e_new
        old_label = old_label or (_("Edition {edition} (earlier)") if same
                                  else _("Edition {edition}")).format(edition=e_old)
        new_label = new_label or (_("Edition {edition} (this edition)") if same
                                  else _("Edition {edition}")).format(edition=e_new)
    diff = diff_results(old, new, include_meta=include_meta)
    result, change = _("Result"), _("Change")
    rows = [{result: result_label(r["key"]) if r["section"] == "results" else r["key"],
             old_label: r["old"], new_label: r["new"], change: r["change"]}
            for r in _display_rows(diff)]
    return pd.DataFrame(rows, columns=[result, old_label, new_label, change])
