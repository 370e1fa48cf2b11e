"""Reading a dataset folder: parse, validate against :mod:`blina_analysis.data.schema`, return typed frames.

:func:`load` never returns half-checked data: it either returns a :class:`Dataset` that satisfies
every rule of the data contract, or raises one :class:`~blina_analysis.errors.DataValidationError`
listing every problem found (file, line, column, value, rule), including unreadable, empty or
binary files and a missing folder.

Each table is read once, whatever its form — a CSV file with any accepted delimiter and encoding,
or an Excel workbook — into the same cells as text and from them into the same typed columns, so
the analysis never knows which form the data came in. What was detected is kept as one
:class:`TableForm` per file (``blina validate`` prints it).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import difflib
import hashlib
import io as _io
import re
import warnings
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd
import yaml

from blina_analysis.data import schema
from blina_analysis.errors import DataValidationError, Issue
from blina_analysis.i18n import N_, _, ngettext

if TYPE_CHECKING:  # pragma: no cover - annotations only; pandera is imported where it validates
    import pandera.pandas as pa

__all__ = ["Dataset", "DatasetMeta", "TableForm", "load", "validate", "file_fingerprints"]

_INTEGER = re.compile(r"^[+-]?\d+$", re.ASCII)
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$", re.ASCII)
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$", re.ASCII)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)
_DAY_FIRST_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$", re.ASCII)
_SLASH_DATE = re.compile(r"^\d{1,4}/\d{1,2}/\d{1,4}$", re.ASCII)
_BOOL = {"true": True, "false": False}
_STEMS = tuple(name.rsplit(".", 1)[0] for name in (schema.PATIENTS_FILE, schema.AE_FILE))
#: From this many rows with the same problem in one column, one summary line replaces a line per row.
_SUMMARY_FROM = 4
_SHOWN_LINES, _SHOWN_VALUES = 10, 8
#: The rule a cell unreadable as its column's kind breaks (translated where reported).
_KIND_RULE = {
    "integer": N_("must be a whole number"),
    "number": N_("must be a number"),
    "bool": N_("must be true or false"),
    "date": N_("must be a date {forms}"),
}
#: Encodings a non-UTF-8 file is checked against, to name the likely one in the message.
_LIKELY_ENCODINGS = {"cp1251": N_("Windows Cyrillic"), "koi8-r": N_("KOI8-R Cyrillic"),
                     "cp866": N_("DOS Cyrillic"), "cp1252": N_("Windows Western European")}
#: The written forms of a date (:data:`~blina_analysis.data.schema.DATE_FORMS`) in messages.
_DATE_FORM_WORDS = {"YYYY-MM-DD": N_("YYYY-MM-DD"), "DD.MM.YYYY": N_("DD.MM.YYYY")}
#: The kinds of typed Excel cells, as :class:`TableForm` records them.
_TYPED_CELLS = {"dates": N_("dates"), "numbers": N_("numbers"), "TRUE/FALSE": "TRUE/FALSE"}


def _either(items) -> str:
    """``"a, b or c"`` in the current language."""
    items = list(items)
    if len(items) == 1:
        return items[0]
    return _("{items} or {last}").format(items=", ".join(items[:-1]), last=items[-1])


def _both(items) -> str:
    """``"a and b"`` in the current language."""
    items = list(items)
    if len(items) == 1:
        return items[0]
    return _("{items} and {last}").format(items=", ".join(items[:-1]), last=items[-1])


def _date_forms(forms, join=None) -> str:
    """Date forms as a reader writes them (``ДД.ММ.ГГГГ`` in Russian), ``a or b``."""
    return (join or _either)(_(_DATE_FORM_WORDS.get(f, f)) for f in forms)


def _kind_rule(kind: str) -> str:
    rule = _KIND_RULE.get(kind)
    return "" if rule is None else _(rule).format(forms=_date_forms(schema.DATE_FORMS))


def _slash_rule() -> str:
    return _("dates written with '/' are ambiguous (day/month or month/day?): write them as "
             "{forms}").format(forms=_date_forms(schema.DATE_FORMS))


def _did_you_mean(name) -> str:
    return _(" (did you mean {name}?)").format(name=repr(name))


@dataclass(frozen=True)
class DatasetMeta:
    """The contents of ``dataset.yaml`` that describe the data.

    The fields after ``description`` are the optional :data:`~blina_analysis.data.schema.
    RECORDED_FIELDS`: None when not recorded; ``excluded`` and ``not_treated`` are
    ``(reason, count)`` pairs in the order written (empty when not recorded).
    """

    name: str
    version: str
    cutoff_date: pd.Timestamp
    synthetic: bool
    description: str
    ctcae_version: str | None = None
    crs_grading: str | None = None
    icans_grading: str | None = None
    mrd_method: str | None = None
    mrd_threshold: float | None = None
    mrd_timepoint: str | None = None
    screened: int | None = None
    excluded: tuple[tuple[str, int], ...] = ()
    not_treated: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class TableForm:
    """How one table file was read: the form detected, for ``blina validate`` to print.

    ``decimal_comma`` says a decimal comma was read; ``date_forms`` the written date forms found
    in text cells; ``typed_cells`` the kinds of typed Excel cells found; ``mapped`` the columns
    (and number of cells) read through the ``values`` of ``dataset.yaml``.
    """

    file: str
    kind: Literal["csv", "xlsx"]
    delimiter: str | None = None
    encoding: str | None = None
    encoding_source: str = ""
    decimal_comma: bool = False
    date_forms: tuple[str, ...] = ()
    sheet: str | None = None
    typed_cells: tuple[str, ...] = ()
    mapped: tuple[tuple[str, int], ...] = ()

    def describe(self) -> str:
        """One line, e.g. ``patients.csv: CSV, delimiter ';', encoding cp1251 (declared ...)``."""
        if self.kind == "csv":
            delimiter = _("tab") if self.delimiter == "\t" else repr(self.delimiter)
            source = f" ({_(self.encoding_source)})" if self.encoding_source else ""
            parts = [_("CSV, delimiter {delimiter}").format(delimiter=delimiter),
                     _("encoding {encoding}").format(encoding=self.encoding) + source]
            if self.decimal_comma:
                parts.append(_("decimal comma"))
            if self.date_forms:
                parts.append(_("dates {forms}").format(forms=_date_forms(self.date_forms,
                                                                         _both)))
        else:
            parts = [_("Excel workbook, first sheet {sheet} (line numbers are its rows)")
                     .format(sheet=repr(self.sheet))]
            if self.typed_cells:
                parts.append(_("typed cells: {kinds}").format(
                    kinds=", ".join(_(_TYPED_CELLS.get(k, k)) for k in self.typed_cells)))
            text_dates = [f for f in self.date_forms if f != schema.DATE_FORMS[0]]
            if text_dates:
                parts.append(_("text dates {forms}").format(forms=_date_forms(text_dates, _both)))
        if self.mapped:
            parts.append(_("values mapped by dataset.yaml: {columns}").format(columns=", ".join(
                ngettext("{column} ({n} cell)", "{column} ({n} cells)", n).format(column=column,
                                                                                 n=n)
                for column, n in self.mapped)))
        return f"{self.file}: " + "; ".join(parts)


@dataclass(frozen=True)
class Dataset:
    """A validated dataset: its description, the patient table and the adverse-event table.

    Column types: booleans are ``bool``, dates ``datetime64[ns]`` (NaT when missing), integers
    ``int64`` (``Int64`` where they may be missing), numbers ``float64``, categories and text
    ``object`` with ``None`` for missing. ``forms`` says how each table file was read.
    """

    path: Path
    meta: DatasetMeta
    patients: pd.DataFrame
    adverse_events: pd.DataFrame
    forms: tuple[TableForm, ...] = ()

    @property
    def fingerprints(self) -> dict[str, str]:
        """SHA-256 of each of the three files."""
        return file_fingerprints(self.path)

    @property
    def fingerprint(self) -> str:
        """One SHA-256 over the three files (their names and hashes, in a fixed order)."""
        digest = hashlib.sha256()
        for name, sha in sorted(self.fingerprints.items()):
            digest.update(f"{name}:{sha}\n".encode())
        return digest.hexdigest()


def file_fingerprints(path: str | Path) -> dict[str, str]:
    """SHA-256 of ``dataset.yaml`` and of the table files in ``path``, in whichever form they are."""
    path = Path(path)
    names = [schema.DATASET_FILE] + [f"{stem}{suffix}" for stem in _STEMS
                                     for suffix in schema.TABLE_FORMS
                                     if (path / f"{stem}{suffix}").is_file()]
    return {name: hashlib.sha256((path / name).read_bytes()).hexdigest() for name in names}


def validate(path: str | Path) -> Dataset:
    """Same as :func:`load`; the name says why a caller uses it."""
    return load(path)


@dataclass
class _Table:
    """One table as read: typed frame, cells as written (for messages), invalid cells, form."""

    file: str
    frame: pd.DataFrame
    text: pd.DataFrame
    invalid: pd.DataFrame
    form: TableForm


@dataclass(frozen=True)
class _Reading:
    """The optional fields of dataset.yaml that say how to read the tables."""

    encoding: str | None = None
    values: dict[str, dict[str, str]] = field(default_factory=dict)


def load(path: str | Path) -> Dataset:
    """Read and validate the dataset in folder ``path``.

    Raises
    ------
    DataValidationError
        With every problem found, if the folder or any file breaks the data contract; its
        ``notes`` say how each table file was read.
    """
    path = Path(path)
    if not path.is_dir():
        raise DataValidationError(
            [Issue(str(path), None, None, None,
                   _("no such folder (a dataset is a folder with {files})").format(
                       files=_both([schema.DATASET_FILE, schema.PATIENTS_FILE, schema.AE_FILE])))],
            source=str(path))
    issues: list[Issue] = []
    meta, reading = _read_meta(path / schema.DATASET_FILE, issues)
    forms: list[TableForm] = []
    patients = _read_table(path, _STEMS[0], schema.PATIENT_COLUMNS, reading, issues, forms)
    events = _read_table(path, _STEMS[1], schema.AE_COLUMNS, reading, issues, forms)
    if patients is not None and patients.frame.empty:
        issues.append(Issue(patients.file, None, None, None,
                            _("no patients: the file has a header but no data rows")))
        patients = None

    if patients is not None:
        ctx = {"cutoff_date": meta.cutoff_date if meta else pd.NaT}
        issues += _check(patients, schema.PATIENT_COLUMNS, schema.PATIENT_RULES, ctx)
    if patients is not None and meta is not None:
        issues += _check_screening(meta, len(patients.frame))
    if events is not None and patients is not None:
        ids = patients.frame.drop_duplicates("patient_id").set_index("patient_id")
        ctx = {"patient_ids": set(ids.index.dropna()),
               "start_by_id": ids["bc_start_date"], "last_by_id": ids["last_followup_date"],
               "cycles_by_id": ids["cycles"]}
        issues += _check(events, schema.AE_COLUMNS, schema.AE_RULES, ctx)
    elif events is not None:
        issues += _check(events, schema.AE_COLUMNS, (), {})

    if issues:
        order = {schema.DATASET_FILE: 0, **{stem: i + 1 for i, stem in enumerate(_STEMS)}}
        issues.sort(key=lambda i: (order.get(i.file, order.get(i.file.rsplit(".", 1)[0], 3)),
                                   i.line or 0, i.column or ""))
        raise DataValidationError(issues, source=str(path),
                                  notes=[form.describe() for form in forms])
    return Dataset(path=path.resolve(), meta=meta,
                   patients=_finalise(patients.frame, schema.PATIENT_COLUMNS),
                   adverse_events=_finalise(events.frame, schema.AE_COLUMNS), forms=tuple(forms))


# --- dataset.yaml -----------------------------------------------------------------------------

def _read_meta(file: Path, issues: list[Issue]) -> tuple[DatasetMeta | None, _Reading]:
    name = file.name
    data = _read_bytes(file, issues)
    text = None if data is None else _decode(name, data, None, issues)
    if text is None:
        return None, _Reading()
    try:
        raw = yaml.load(text[0], Loader=_YamlLoader)
    except yaml.YAMLError as exc:
        line = exc.problem_mark.line + 1 if getattr(exc, "problem_mark", None) else None
        problem = getattr(exc, "problem", None) or exc  # a ReaderError (control character) has none
        issues.append(Issue(name, line, None, None,
                            _("not valid YAML ({problem})").format(problem=problem)))
        return None, _Reading()
    except (ValueError, TypeError, RecursionError) as exc:  # e.g. an impossible !!timestamp
        issues.append(Issue(name, None, None, None,
                            _("not valid YAML ({problem})").format(problem=exc)))
        return None, _Reading()
    if not isinstance(raw, dict):
        issues.append(Issue(name, None, None, _short(raw), _("must be a mapping of field: value")))
        return None, _Reading()
    values, ok = {}, True
    for spec in schema.DATASET_FIELDS:
        value = raw.get(spec.name)
        if value is None or value == "":
            issues.append(Issue(name, None, spec.name, None, _("required field is missing")))
            ok = False
        elif spec.kind == "date":
            parsed = _parse_date_value(value)
            if parsed is None:
                issues.append(Issue(name, None, spec.name, _short(value),
                                    _("must be a date {forms}").format(
                                        forms=_date_forms(schema.DATE_FORMS[:1]))))
                ok = False
            values[spec.name] = parsed
        elif spec.kind == "bool":
            if not isinstance(value, bool):
                issues.append(Issue(name, None, spec.name, _short(value),
                                    _("must be true or false")))
                ok = False
            values[spec.name] = value
        elif isinstance(value, (list, dict)):
            issues.append(Issue(name, None, spec.name, _short(value),
                                _("must be text, not a list or mapping")))
            ok = False
        else:
            values[spec.name] = str(value)
    values.update(_read_recorded(name, raw, issues))
    meta = DatasetMeta(**values) if ok else None
    return meta, _Reading(encoding=_read_encoding(name, raw.get("encoding"), issues),
                          values=_read_value_maps(name, raw.get("values"), issues))


def _read_recorded(file: str, raw: dict, issues: list[Issue]) -> dict:
    """The optional :data:`~blina_analysis.data.schema.RECORDED_FIELDS` that are present and
    valid (an invalid one is reported and left out)."""
    values: dict = {}
    for spec in schema.RECORDED_FIELDS:
        value = raw.get(spec.name)
        if value is None or value == "":
            continue
        if spec.kind == "text":
            if isinstance(value, (list, dict, bool)):
                issues.append(Issue(file, None, spec.name, _short(value), _("must be text")))
            else:
                values[spec.name] = str(value).strip()
        elif spec.kind == "integer":
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                issues.append(Issue(file, None, spec.name, _short(value),
                                    _("must be a whole number ≥ 0")))
            else:
                values[spec.name] = int(value)
        elif spec.kind == "number":
            if isinstance(value, str) and _NUMBER.match(value.strip()):
                value = float(value)  # PyYAML reads 1e-4 (no dot) as text
            if (isinstance(value, bool) or not isinstance(value, (int, float))
                    or not 0 < value < 1):
                issues.append(Issue(file, None, spec.name, _short(value),
                                    _("must be a number greater than 0 and less than 1 "
                                      "(e.g. {example})").format(example=spec.example)))
            else:
                values[spec.name] = float(value)
        else:  # counts: reason -> whole number
            pairs = _read_counts(file, spec, value, issues)
            if pairs is not None:
                values[spec.name] = pairs
    if values.get("excluded") and "screened" not in values and raw.get("screened") in (None, ""):
        issues.append(Issue(file, None, "excluded", None,
                            _("needs `screened` (the patients screened)")))
    return values


def _read_counts(file: str, spec: schema.FieldSpec, value,
                 issues: list[Issue]) -> tuple[tuple[str, int], ...] | None:
    if not isinstance(value, dict):
        issues.append(Issue(file, None, spec.name, _short(value),
                            _("must map reasons to counts, e.g. {example}").format(
                                example=spec.example)))
        return None
    pairs = []
    for reason, count in value.items():
        text = _yaml_text(reason).strip()
        if not text or isinstance(reason, (list, dict)):
            issues.append(Issue(file, None, spec.name, _short(reason), _("a reason must be text")))
            return None
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            issues.append(Issue(file, None, spec.name, f"{text}: {_short(count)}",
                                _("each count must be a whole number ≥ 1")))
            return None
        pairs.append((text, int(count)))
    return tuple(pairs)


def _check_screening(meta: DatasetMeta, n_patients: int) -> list[Issue]:
    """``screened`` = patients + excluded + not treated, when ``screened`` is recorded."""
    if meta.screened is None:
        return []
    excluded = sum(n for _reason, n in meta.excluded)
    not_treated = sum(n for _reason, n in meta.not_treated)
    if meta.screened == n_patients + excluded + not_treated:
        return []
    return [Issue(schema.DATASET_FILE, None, "screened", str(meta.screened),
                  _("must equal the patients of the patient table ({patients}) plus `excluded` "
                    "({excluded}) plus `not_treated` ({not_treated}) = {total}").format(
                      patients=n_patients, excluded=excluded, not_treated=not_treated,
                      total=n_patients + excluded + not_treated))]


def _read_encoding(file: str, value, issues: list[Issue]) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            codec = codecs.lookup(value.strip()).name
            "a".encode(codec)  # raises for a codec such as base64 or rot13: no text encoding
            return codec
        except LookupError:
            pass
    issues.append(Issue(file, None, "encoding", _short(value),
                        _("not a known text encoding (a Python codec name such as cp1251, koi8-r, "
                          "cp1252 or utf-8); the tables are read as UTF-8")))
    return None


def _read_value_maps(file: str, value, issues: list[Issue]) -> dict[str, dict[str, str]]:
    """``values: {column: {written: meant}}`` with the written values in lower case (casefold)."""
    if value is None or value == "":
        return {}
    example = next(f.example for f in schema.READING_FIELDS if f.name == "values")
    if not isinstance(value, dict):
        issues.append(Issue(file, None, "values", _short(value),
                            _("must map columns to value mappings, e.g. {example}").format(
                                example=example)))
        return {}
    columns = list(dict.fromkeys(c.name for c in schema.PATIENT_COLUMNS + schema.AE_COLUMNS))
    maps: dict[str, dict[str, str]] = {}
    for column, mapping in value.items():
        column = _yaml_text(column).strip().lower()
        if column not in columns:
            close = difflib.get_close_matches(column, columns, n=1)
            hint = _did_you_mean(close[0]) if close else ""
            issues.append(Issue(file, None, "values", _short(column),
                                _("no such column{hint}").format(hint=hint)))
            continue
        if not isinstance(mapping, dict) or any(isinstance(v, (list, dict))
                                                for kv in mapping.items() for v in kv):
            issues.append(Issue(file, None, "values", _short(mapping),
                                _("the values of {column} must be a mapping of written: meant, "
                                  "e.g. {example}").format(column=repr(column), example=example)))
            continue
        folded: dict[str, str] = {}
        for written, meant in mapping.items():
            key = _yaml_text(written).strip().casefold()
            if key == "":
                issues.append(Issue(file, None, "values", _short(column),
                                    _("an empty cell cannot be mapped (it means missing)")))
            elif key in folded and folded[key] != _yaml_text(meant).strip():
                issues.append(Issue(file, None, "values", _short(written),
                                    _("mapped twice for {column} (letter case is ignored)")
                                    .format(column=repr(column))))
            else:
                folded[key] = _yaml_text(meant).strip()
        maps[column] = folded
    return maps


def _yaml_text(value) -> str:
    """A YAML scalar as the text a cell would hold (``true``, ``12``, empty for null)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class _YamlLoader(yaml.SafeLoader):
    """Safe YAML that leaves dates as text: an impossible date is then reported against its field
    (instead of PyYAML raising), and ``version: 2019-06-01`` stays the text it was written as.
    Only ``true``/``false`` are booleans (as in YAML 1.2): ``values: {death: {yes: true}}`` maps
    the word ``yes``."""


_YamlLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers
            if tag not in ("tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:bool")]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
for _first in "tTfF":
    _YamlLoader.yaml_implicit_resolvers.setdefault(_first, []).append(
        ("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")))


def _parse_date_value(value) -> pd.Timestamp | None:
    if isinstance(value, dt.datetime):
        return None
    if isinstance(value, dt.date):
        return pd.Timestamp(value)
    if isinstance(value, str) and _DATE.match(value.strip()):
        ts = pd.to_datetime(value.strip(), format="%Y-%m-%d", errors="coerce")
        return None if pd.isna(ts) else ts
    return None


# --- files and text -----------------------------------------------------------------------------

def _read_bytes(file: Path, issues: list[Issue]) -> bytes | None:
    if not file.exists():
        issues.append(Issue(file.name, None, None, None, _("required file is missing")))
        return None
    if not file.is_file():
        issues.append(Issue(file.name, None, None, None, _("must be a file, not a folder")))
        return None
    data = file.read_bytes()
    if not data.strip():
        issues.append(Issue(file.name, None, None, None, _("file is empty")))
        return None
    return data


def _decode(name: str, data: bytes, declared: str | None,
            issues: list[Issue]) -> tuple[str, str, str] | None:
    """The text of a file, the encoding read and where it came from; or None (an issue says why).

    UTF-8 unless ``declared`` (the ``encoding`` of dataset.yaml); a UTF-16 byte-order mark (Excel's
    "Unicode text") is honoured. A file that is not UTF-8 gets a message naming its likely encoding.
    """
    is_yaml = name == schema.DATASET_FILE
    if declared and not is_yaml:
        codec = "utf-8-sig" if declared == "utf-8" else declared
        try:
            text = data.decode(codec)
        except UnicodeDecodeError as exc:
            issues.append(Issue(name, data[: exc.start].count(b"\n") + 1, None, None,
                                _("not {encoding} text, as dataset.yaml declares (`encoding`)")
                                .format(encoding=declared)))
            return None
        if not declared.startswith("utf") and _is_utf8_beyond_ascii(data):
            issues.append(Issue(name, None, None, None,
                                _("the file is UTF-8 text, but dataset.yaml declares `encoding: "
                                  "{encoding}`: remove that line (or save the file as {encoding})")
                                .format(encoding=declared)))
            return None
        source = N_("declared in dataset.yaml")
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and not is_yaml:
        try:
            text, declared, source = data.decode("utf-16"), "UTF-16", N_("byte-order mark")
        except UnicodeDecodeError:
            issues.append(Issue(name, None, None, None,
                                _("not UTF-16 text, though it starts with a UTF-16 byte-order "
                                  "mark")))
            return None
    else:
        if b"\x00" in data:
            issues.append(Issue(name, None, None, None,
                                _("binary file, not {encoding} text").format(encoding="UTF-8")))
            return None
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data[: exc.start].count(b"\n") + 1
            issues.append(Issue(name, line, None, None, _not_utf8_rule(data, is_yaml)))
            return None
        declared = "UTF-8"
        source = N_("byte-order mark") if data.startswith(codecs.BOM_UTF8) else ""
    if "\x00" in text:
        issues.append(Issue(name, None, None, None,
                            _("binary file, not {encoding} text").format(encoding=declared)))
        return None
    if not text.strip():  # e.g. only a byte-order mark
        issues.append(Issue(name, None, None, None, _("file is empty")))
        return None
    return text, declared, source


def _is_utf8_beyond_ascii(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not data.isascii()


def _not_utf8_rule(data: bytes, is_yaml: bool) -> str:
    likely = _likely_encoding(data)
    if is_yaml:
        fix = _("save it as UTF-8")
    elif likely:
        fix = _("declare `encoding: {encoding}` in dataset.yaml, or save the file as UTF-8").format(
            encoding=likely)
    else:
        fix = _("save the file as UTF-8, or declare its encoding in dataset.yaml (`encoding:` and "
                "a Python codec name)")
    seems = _(" (it looks like {encoding}, {name})").format(
        encoding=likely, name=_(_LIKELY_ENCODINGS[likely])) if likely else ""
    return _("not UTF-8 text{seems}: {fix}").format(seems=seems, fix=fix)


def _likely_encoding(data: bytes) -> str | None:
    """The encoding of :data:`_LIKELY_ENCODINGS` under which the text reads most like words.

    Decoded in the right Cyrillic encoding, Russian text is mostly lower-case Cyrillic letters
    apart from Latin ones; in the right Western encoding, accented letters sit inside Latin words.
    The wrong encodings give capitals, symbols or letters of one alphabet inside words of the other.
    """
    data = data[:100_000]
    best, best_score = None, 0.5
    for codec in _LIKELY_ENCODINGS:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        beyond = [i for i, c in enumerate(text) if ord(c) > 127]
        if not beyond:
            continue
        good = 0
        for i in beyond:
            c = text[i]
            beside_latin = any(0 <= j < len(text) and text[j].isascii() and text[j].isalpha()
                               for j in (i - 1, i + 1))
            if codec == "cp1252":
                good += c.isalpha() and beside_latin
            else:
                good += ("а" <= c <= "я" or c == "ё") and not beside_latin
        score = good / len(beyond)
        if score > best_score:
            best, best_score = codec, score
    return best


# --- tables: CSV or Excel, into cells as text -------------------------------------------------

_Rows = list[tuple[int, list[str]]]  # (line of the file or row of the sheet, cells as text)


def _read_table(folder: Path, stem: str, columns: tuple[schema.ColumnSpec, ...],
                reading: _Reading, issues: list[Issue], forms: list[TableForm]) -> _Table | None:
    """Find the table's file in either form, read it and parse its cells into typed columns;
    add to ``forms`` how it was read (as soon as it could be read as rows of cells).

    None when the file cannot be read as a table with the required columns (issues say why).
    """
    present = [folder / f"{stem}{suffix}" for suffix in schema.TABLE_FORMS
               if (folder / f"{stem}{suffix}").exists()]
    if len(present) > 1:
        issues.append(Issue(present[0].name, None, None, None,
                            _("{files} are both in the folder: keep one of them (one table, one "
                              "file)").format(files=_both(p.name for p in present))))
        return None
    if not present:
        csv_name, *others = (f"{stem}{suffix}" for suffix in schema.TABLE_FORMS)
        if (folder / f"{stem}.xls").exists():
            issues.append(Issue(f"{stem}.xls", None, None, None,
                                _("Excel 97-2003 workbooks (.xls) are not read: save it as an "
                                  "Excel workbook ({xlsx}) or as CSV ({csv})").format(
                                    xlsx=f"{stem}.xlsx", csv=csv_name)))
        else:
            names = {f"{stem}{suffix}" for suffix in schema.TABLE_FORMS}
            found = sorted(p.name for p in folder.iterdir() if p.name.lower() in names)
            hint = _("; found {name}: name it in lower case").format(
                name=repr(found[0])) if found else ""
            issues.append(Issue(csv_name, None, None, None,
                                _("required file is missing (or {others}){hint}").format(
                                    others=", ".join(others), hint=hint)))
        return None
    file = present[0]
    data = _read_bytes(file, issues)
    if data is None:
        return None
    if file.suffix == ".xlsx":
        read = _xlsx_rows(file, issues)
    else:
        read = _csv_rows(file.name, data, columns, reading, issues)
    if read is None:
        return None
    table = _table(*read, columns, reading, issues)
    forms.append(read[1] if table is None else table.form)
    return table


def _csv_rows(name: str, data: bytes, columns, reading: _Reading,
              issues: list[Issue]) -> tuple[_Rows, TableForm] | None:
    decoded = _decode(name, data, reading.encoding, issues)
    if decoded is None:
        return None
    text, encoding, source = decoded
    delimiter = _detect_delimiter(text, columns)
    # The csv module (not pandas) so that each row keeps the line it starts on (blank lines and
    # quoted line breaks do not shift the numbers), duplicated header names stay visible and a
    # row with too few or too many fields is reported rather than padded.
    reader = csv.reader(_io.StringIO(text, newline=""), delimiter=delimiter, skipinitialspace=True)
    rows: _Rows = []
    end = 0
    try:
        for record in reader:
            start, end = end + 1, reader.line_num
            rows.append((start, record))
    except csv.Error as exc:
        issues.append(Issue(name, reader.line_num, None, None,
                            _("not a readable CSV table ({error})").format(error=exc)))
        return None
    return rows, TableForm(name, "csv", delimiter=delimiter, encoding=encoding,
                           encoding_source=source)


def _delimiters_text() -> str:
    return _either(_("tab") if d == "\t" else repr(d) for d in schema.DELIMITERS)


def _detect_delimiter(text: str, columns) -> str:
    """The delimiter under which the header row names the most columns of the format (then: has
    the most fields); ``,`` when nothing tells."""
    names = {c.name for c in columns}
    first = next((line for line in text.splitlines() if line.strip()), "")
    best, best_score = schema.DELIMITERS[0], (-1, -1)
    for delimiter in schema.DELIMITERS:
        header = next(csv.reader([first], delimiter=delimiter, skipinitialspace=True), [])
        score = (len({h.strip().lower() for h in header} & names), len(header))
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _xlsx_rows(file: Path, issues: list[Issue]) -> tuple[_Rows, TableForm] | None:
    import openpyxl  # only Excel datasets need it

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns of Excel features it does not keep
            book = openpyxl.load_workbook(file, data_only=True)
    except Exception as exc:  # a broken workbook raises zip, XML, key or value errors alike
        issues.append(Issue(file.name, None, None, None,
                            _("not a readable Excel workbook ({error})").format(
                                error=f"{type(exc).__name__}: {_short(exc)}")))
        return None
    try:
        if not book.worksheets:
            issues.append(Issue(file.name, None, None, None, _("the workbook has no sheet")))
            return None
        sheet = book.worksheets[0]
        typed: set[str] = set()
        rows = [(line, [_cell_text(value, typed) for value in values])
                for line, values in enumerate(sheet.iter_rows(values_only=True), start=1)]
        return rows, TableForm(file.name, "xlsx", sheet=sheet.title, typed_cells=tuple(
            kind for kind in ("dates", "numbers", "TRUE/FALSE") if kind in typed))
    finally:
        book.close()


def _cell_text(value, typed: set[str]) -> str:
    """An Excel cell as the text a CSV file would hold: ISO dates, shortest numbers, and a
    boolean as Excel shows it, ``TRUE``/``FALSE`` (boolean columns read any case; a text column,
    such as a patient ID typed TRUE, keeps the text the user sees)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        typed.add("TRUE/FALSE")
        return "TRUE" if value else "FALSE"
    if isinstance(value, dt.datetime):
        typed.add("dates")
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        typed.add("dates")
        return value.isoformat()
    if isinstance(value, (int, float)):
        typed.add("numbers")
        if isinstance(value, float):
            return str(int(value)) if value.is_integer() else repr(value)
        return str(value)
    return str(value)


def _table(rows: _Rows, form: TableForm, columns: tuple[schema.ColumnSpec, ...],
           reading: _Reading, issues: list[Issue]) -> _Table | None:
    """Header checks, then each column parsed from its cells as text into its type."""
    name = form.file
    # blank lines and rows of bare delimiters (Excel leaves such trailing rows) hold no data
    rows = [(line, record) for line, record in rows if "".join(record).strip()]
    if not rows:
        issues.append(Issue(name, None, None, None,
                            _("the first sheet is empty") if form.kind == "xlsx"
                            else _("no header row")))
        return None
    (header_line, written), rows = rows[0], rows[1:]
    header = _check_header(name, header_line, written, rows, columns, form, issues)
    if header is None:
        return None
    known = {c.name for c in columns}
    # index = line - 2, so that ``index + 2`` is the line of the row in the file
    index = pd.Index([line - 2 for line, _ in rows], dtype="int64")
    raw = {c: [r[j] for _, r in rows] for j, c in enumerate(header) if c in known}

    out, text, invalid = {}, {}, {}
    date_forms: set[str] = set()
    decimal_comma = form.delimiter == schema.DECIMAL_COMMA_DELIMITER
    used_comma, mapped, slashes = False, [], {}
    for spec in columns:
        cells = pd.Series(raw.get(spec.name, ""), index=index, dtype=object).str.strip()
        text[spec.name] = cells
        mapping = reading.values.get(spec.name)
        if mapping and spec.name in raw:
            folded = cells.str.casefold()
            hit = folded.isin(list(mapping))
            cells = cells.where(~hit, folded.map(mapping))
            if hit.any():
                mapped.append((spec.name, int(hit.sum())))
        parsed = _parse_column(cells, spec.kind, decimal_comma)
        out[spec.name] = parsed.values
        invalid[spec.name] = parsed.bad | parsed.slash
        slashes[spec.name] = parsed.slash
        date_forms |= parsed.forms
        used_comma |= parsed.decimal_comma
    out, text, invalid = (pd.DataFrame(d, index=index) for d in (out, text, invalid))
    for spec in columns:
        bad, slash = invalid[spec.name] & ~slashes[spec.name], slashes[spec.name]
        _report(issues, name, spec.name, _slash_rule(), list(slash.index[slash]), text,
                summary_from=2)
        _report(issues, name, spec.name, _kind_rule(spec.kind), list(bad.index[bad]),
                text, hint=_mapping_hint(spec, bad, text))
    form = replace(form, decimal_comma=used_comma, mapped=tuple(mapped),
                   date_forms=tuple(f for f in schema.DATE_FORMS if f in date_forms))
    return _Table(name, out, text, invalid, form)


def _check_header(name: str, header_line: int, written: list[str], rows: _Rows, columns,
                  form: TableForm, issues: list[Issue]) -> list[str] | None:
    """The header's column names (letter case and surrounding spaces removed), or None when the
    table cannot be read: no known column, a column twice, a required one missing, or rows with
    another number of fields (issues say which)."""
    header = [h.strip().lower() for h in written]  # letter case and spaces do not matter
    known = {c.name for c in columns}
    if not known & set(header):  # not a header, or an unknown delimiter: one message, not 20
        how = "" if form.delimiter is None else (
            _(", with the columns delimited by {delimiters}").format(
                delimiters=_delimiters_text()))
        issues.append(Issue(name, header_line, None, _short(written[0] if len(written) == 1
                                                            else ", ".join(written)),
                            _("the header names none of the format's columns: the first "
                              "non-empty row must be the header{how}").format(how=how)))
        return None
    duplicated = sorted({c for c in header if c and header.count(c) > 1})
    for col in duplicated:
        issues.append(Issue(name, header_line, col, None,
                            _("column appears more than once in the header")))
    unknown = {h: w.strip() for h, w in zip(header, written) if h and h not in known}
    absent_optional = [c.name for c in columns if not c.in_header and c.name not in header]
    for h, w in unknown.items():  # e.g. `mrd_respons`: the optional column would silently be empty
        close = difflib.get_close_matches(h, absent_optional, n=1, cutoff=0.85)
        if close:
            issues.append(Issue(name, header_line, w, None,
                                _("not a column of the format: did you mean {name}? (without "
                                  "it that optional column is read as empty)").format(
                                    name=repr(close[0]))))
    missing = [c.name for c in columns if c.in_header and c.name not in header]
    for col in missing:
        close = difflib.get_close_matches(col, list(unknown), n=1)
        hint = _did_you_mean(unknown[close[0]]) if close else ""
        issues.append(Issue(name, header_line, col, None,
                            _("required column is missing from the header{hint}").format(
                                hint=hint)))
    ragged = [(line, len(r)) for line, r in rows if len(r) != len(header)]
    if len(ragged) < _SUMMARY_FROM:
        for line, n in ragged:
            issues.append(Issue(name, line, None, None,
                                ngettext("row has {n} field but the header has {header}",
                                         "row has {n} fields but the header has {header}",
                                         n).format(n=n, header=len(header))))
    else:
        issues.append(Issue(name, None, None, None,
                            ngettext("{n} row has a number of fields other than the header's "
                                     "{header} (lines {lines})",
                                     "{n} rows have a number of fields other than the header's "
                                     "{header} (lines {lines})", len(ragged)).format(
                                n=len(ragged), header=len(header),
                                lines=_lines([line for line, _fields in ragged]))))
    return None if missing or duplicated or ragged else header


@dataclass
class _Parsed:
    values: pd.Series
    bad: pd.Series  # filled but unreadable as the column's type
    slash: pd.Series | None = None  # dates written with "/"
    forms: set[str] = field(default_factory=set)
    decimal_comma: bool = False

    def __post_init__(self):
        if self.slash is None:
            self.slash = pd.Series(False, index=self.bad.index)


def _parse_column(cells: pd.Series, kind: str, decimal_comma: bool = False) -> _Parsed:
    """Parsed values, the cells that are filled but cannot be parsed, and what was found."""
    empty = cells == ""
    if kind in ("text", "category"):
        return _Parsed(cells.where(~empty, None).astype(object), pd.Series(False, index=cells.index))
    if kind == "integer" or kind == "number":
        comma = pd.Series(False, index=cells.index)
        if kind == "number" and decimal_comma:
            comma = cells.str.match(_DECIMAL_COMMA)
            cells = cells.where(~comma, cells.str.replace(",", ".", regex=False))
        pattern = _INTEGER if kind == "integer" else _NUMBER
        ok = cells.str.match(pattern) | empty
        values = pd.to_numeric(cells.where(ok & ~empty), errors="coerce").astype(float)
        # 1e400 is no number to analyse
        return _Parsed(values, ~ok | (~empty & ~np.isfinite(values)),
                       decimal_comma=bool(comma.any()))
    if kind == "bool":
        lowered = cells.str.lower()
        ok = lowered.isin(list(_BOOL)) | empty
        return _Parsed(lowered.map(_BOOL).astype("boolean"), ~ok)
    if kind == "date":
        iso = cells.str.match(_DATE)
        as_iso = cells.where(iso)
        other = ~iso & ~empty
        dmy = slash = pd.Series(False, index=cells.index)
        if other.any():  # the rarer forms are looked for only where a date is not ISO
            day_first = cells[other].str.extract(_DAY_FIRST_DATE)
            dmy = day_first[0].notna().reindex(cells.index, fill_value=False)
            day_first = day_first[day_first[0].notna()]
            as_iso[dmy] = (day_first[2] + "-" + day_first[1].str.zfill(2) + "-"
                           + day_first[0].str.zfill(2))
            slash = cells.str.match(_SLASH_DATE) & other
        values = pd.to_datetime(as_iso, format="%Y-%m-%d", errors="coerce")
        forms = {form for form, found in zip(schema.DATE_FORMS, (iso, dmy)) if found.any()}
        return _Parsed(values, ~empty & values.isna() & ~slash, slash, forms)
    raise AssertionError(kind)


def _mapping_hint(spec: schema.ColumnSpec, bad: pd.Series, text: pd.DataFrame) -> str:
    """For a category or boolean column wrong on many rows: how dataset.yaml can map the values."""
    if spec.kind not in ("bool", "category") or bad.sum() < _SUMMARY_FROM:
        return ""
    allowed = ", ".join(spec.allowed) if spec.allowed else "true, false"
    first = text.loc[bad[bad].index[0], spec.name]
    example = f"`values: {{{spec.name}: {{{first}: ...}}}}`"
    return _("; if they stand for {allowed}, map them in dataset.yaml, e.g. {example}").format(
        allowed=allowed, example=example)


def _lines(lines: list[int]) -> str:
    shown = ", ".join(str(line) for line in lines[:_SHOWN_LINES])
    return shown + (", ..." if len(lines) > _SHOWN_LINES else "")


def _report(issues: list[Issue], file: str, column: str, rule: str, rows: list[int],
            text: pd.DataFrame, summary_from: int = _SUMMARY_FROM, hint: str = "") -> None:
    """One issue per row, or — from ``summary_from`` rows — one for the column, naming its
    lines and its distinct values."""
    if len(rows) < summary_from:
        for i in rows:
            value = text.at[i, column]
            issues.append(Issue(file, i + 2, column, _short(value) if value != "" else None, rule))
        return
    counts = pd.Series([text.at[i, column] for i in rows], dtype=object).value_counts(sort=False)
    counts = counts[counts.index != ""]
    values = ", ".join(f"{_short(v)!r}" + (f" ×{n}" if counts.max() > 1 else "")
                       for v, n in counts.iloc[:_SHOWN_VALUES].items())
    if len(counts) > _SHOWN_VALUES:
        values += _(", ... ({n} distinct)").format(n=len(counts))
    where = ngettext("{n} row (lines {lines})", "{n} rows (lines {lines})", len(rows)).format(
        n=len(rows), lines=_lines([i + 2 for i in rows]))
    shown = _("; values {values}").format(values=values) if values else ""
    issues.append(Issue(file, None, column, None, f"{rule} — {where}" + shown + hint))


# --- validation with pandera ------------------------------------------------------------------

def _pandera_schema(columns, rules, ctx) -> pa.DataFrameSchema:
    import pandera.pandas as pa

    cols = {}
    for spec in columns:
        checks = []
        if spec.allowed is not None:
            checks.append(pa.Check.isin(list(spec.allowed),
                                        error=f"must be one of: {', '.join(spec.allowed)}"))
        if spec.minimum is not None:
            checks.append(pa.Check.ge(spec.minimum, error=f"must be at least {spec.minimum:g}"))
        if spec.maximum is not None:
            checks.append(pa.Check.le(spec.maximum, error=f"must be at most {spec.maximum:g}"))
        cols[spec.name] = pa.Column(nullable=not spec.required, unique=spec.unique, checks=checks,
                                    title=spec.name, description=spec.meaning)
    wide = [pa.Check(lambda df, r=rule: r.ok(df, ctx), name=f"rule{i}", error=_rule_key(rule))
            for i, rule in enumerate(rules)]
    return pa.DataFrameSchema(cols, checks=wide, strict=False)


def _rule_key(rule: schema.RowRule) -> str:
    return f"{rule.column}: {rule.text}"


def _check(table: _Table, columns, rules, ctx) -> list[Issue]:
    """Every column and row rule, run lazily so that all failures are collected.

    Cells that could not be parsed are already reported and are missing here; they are not
    reported again as empty. A row rule is not reported on a row where a cell it reads is invalid
    (the column check reports the cause): an unknown ``group`` is one problem, not five.
    """
    import pandera.pandas as pa

    frame, text, invalid, file = table.frame, table.text, table.invalid.copy(), table.file
    try:
        _pandera_schema(columns, rules, ctx).validate(frame, lazy=True)
        return []
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    by_key = {_rule_key(rule): rule for rule in rules}
    words = {key: text for spec in columns for key, text in _value_rules(spec)}
    issues: list[Issue] = []
    cases = cases.assign(column=cases["column"].fillna(""))
    wide = (cases["schema_context"] == "DataFrameSchema") & cases["check"].isin(list(by_key))
    found: list[tuple[str, str, list[int], str]] = []  # (column, rule text, rows, hint)
    specs = {spec.name: spec for spec in columns}
    for (context, check, column), group in cases[~wide].groupby(
            ["schema_context", "check", "column"], sort=False):
        if context != "Column":  # a problem with a whole column or table
            issues.append(Issue(file, None, column or None, None, _pandera_rule(check, words)))
            continue
        rows = sorted({int(i) for i in group["index"].dropna()})
        if check == "not_nullable":  # unparsable cells were reported already
            rows = [i for i in rows if not table.invalid.at[i, column]]
        if check != "field_uniqueness":  # a duplicated ID is a valid cell for the row rules
            invalid.loc[rows, column] = True
        hint = ""
        if check.startswith("must be one of") and len(rows) >= _SUMMARY_FROM:
            hint = _mapping_hint(specs[column], invalid[column] & (text[column] != ""), text)
        found.append((column, _pandera_rule(check, words), rows, hint))
    for check, group in cases[wide].groupby("check", sort=False):
        rule = by_key[check]
        rows = sorted({int(i) for i in group["index"].dropna()})
        needs_invalid = invalid[list(rule.columns)].any(axis=1)
        found.append((rule.column, _(rule.text), [i for i in rows if not needs_invalid.at[i]],
                      ""))
    for column, rule_text, rows, hint in found:
        _report(issues, file, column, rule_text, rows, text, hint=hint)
    return issues


_PANDERA_RULE = {
    "not_nullable": N_("required: must not be empty"),
    "field_uniqueness": N_("must be unique (appears more than once)"),
}


def _value_rules(spec: schema.ColumnSpec) -> list[tuple[str, str]]:
    """A column's value checks: the key pandera reports (English, as :func:`_pandera_schema`
    names them) and the rule in the reader's language."""
    out = []
    if spec.allowed is not None:
        values = ", ".join(spec.allowed)
        out.append((f"must be one of: {values}", _("must be one of: {values}").format(values=values)))
    if spec.minimum is not None:
        out.append((f"must be at least {spec.minimum:g}",
                    _("must be at least {minimum}").format(minimum=f"{spec.minimum:g}")))
    if spec.maximum is not None:
        out.append((f"must be at most {spec.maximum:g}",
                    _("must be at most {maximum}").format(maximum=f"{spec.maximum:g}")))
    return out


def _pandera_rule(check: str, words: dict[str, str]) -> str:
    if check in words:
        return words[check]
    return _(_PANDERA_RULE[check]) if check in _PANDERA_RULE else check


def _short(value) -> str:
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _finalise(frame: pd.DataFrame, columns) -> pd.DataFrame:
    """Final dtypes of a frame that passed validation."""
    out = frame.copy()
    for spec in columns:
        if spec.kind == "bool":
            out[spec.name] = out[spec.name].astype(bool) if spec.required else out[spec.name]
        elif spec.kind == "integer":
            out[spec.name] = out[spec.name].astype("int64" if spec.required else "Int64")
    return out.reset_index(drop=True)
