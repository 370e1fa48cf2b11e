"""Reading a dataset folder: parse, validate against :mod:`blina_analysis.data.schema`, return typed frames.

:func:`load` never returns half-checked data: it either returns a :class:`Dataset` that satisfies
every rule of the data contract, or raises one :class:`~blina_analysis.errors.DataValidationError`
listing every problem found (file, line, column, value, rule), including unreadable, empty or
binary files and a missing folder.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io as _io
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa
import yaml

from blina_analysis.data import schema
from blina_analysis.errors import DataValidationError, Issue

__all__ = ["Dataset", "DatasetMeta", "load", "validate", "file_fingerprints"]

_INTEGER = re.compile(r"^[+-]?\d+$", re.ASCII)
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$", re.ASCII)
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)
_BOOL = {"true": True, "false": False}
_MAX_ISSUES_PER_RULE = 50  # a wholly wrong column should not print thousands of lines


@dataclass(frozen=True)
class DatasetMeta:
    """The contents of ``dataset.yaml``."""

    name: str
    version: str
    cutoff_date: pd.Timestamp
    synthetic: bool
    description: str


@dataclass(frozen=True)
class Dataset:
    """A validated dataset: its description, the patient table and the adverse-event table.

    Column types: booleans are ``bool``, dates ``datetime64[ns]`` (NaT when missing), integers
    ``int64`` (``Int64`` where they may be missing), numbers ``float64``, categories and text
    ``object`` with ``None`` for missing.
    """

    path: Path
    meta: DatasetMeta
    patients: pd.DataFrame
    adverse_events: pd.DataFrame

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
    """SHA-256 of the three dataset files in ``path``."""
    path = Path(path)
    return {
        name: hashlib.sha256((path / name).read_bytes()).hexdigest()
        for name in (schema.DATASET_FILE, schema.PATIENTS_FILE, schema.AE_FILE)
    }


def validate(path: str | Path) -> Dataset:
    """Same as :func:`load`; the name says why a caller uses it."""
    return load(path)


def load(path: str | Path) -> Dataset:
    """Read and validate the dataset in folder ``path``.

    Raises
    ------
    DataValidationError
        With every problem found, if the folder or any file breaks the data contract.
    """
    path = Path(path)
    if not path.is_dir():
        raise DataValidationError(
            [Issue(str(path), None, None, None, "no such folder (a dataset is a folder with "
                   f"{schema.DATASET_FILE}, {schema.PATIENTS_FILE} and {schema.AE_FILE})")],
            source=str(path))
    issues: list[Issue] = []
    meta = _read_meta(path / schema.DATASET_FILE, issues)
    patients, patients_text = _read_table(path / schema.PATIENTS_FILE, schema.PATIENT_COLUMNS,
                                          issues)
    events, events_text = _read_table(path / schema.AE_FILE, schema.AE_COLUMNS, issues)
    if patients is not None and patients.empty:
        issues.append(Issue(schema.PATIENTS_FILE, None, None, None,
                            "no patients: the file has a header but no data rows"))
        patients = None

    if patients is not None:
        ctx = {"cutoff_date": meta.cutoff_date if meta else pd.NaT}
        issues += _check(patients, patients_text, schema.PATIENT_COLUMNS, schema.PATIENT_RULES, ctx,
                         schema.PATIENTS_FILE)
    if events is not None and patients is not None:
        ids = patients.drop_duplicates("patient_id").set_index("patient_id")
        ctx = {"patient_ids": set(ids.index.dropna()),
               "start_by_id": ids["bc_start_date"], "last_by_id": ids["last_followup_date"]}
        issues += _check(events, events_text, schema.AE_COLUMNS, schema.AE_RULES, ctx, schema.AE_FILE)
    elif events is not None:
        issues += _check(events, events_text, schema.AE_COLUMNS, (), {}, schema.AE_FILE)

    if issues:
        order = {schema.DATASET_FILE: 0, schema.PATIENTS_FILE: 1, schema.AE_FILE: 2}
        issues.sort(key=lambda i: (order.get(i.file, 3), i.line or 0, i.column or ""))
        raise DataValidationError(issues, source=str(path))
    return Dataset(path=path.resolve(), meta=meta, patients=_finalise(patients, schema.PATIENT_COLUMNS),
                   adverse_events=_finalise(events, schema.AE_COLUMNS))


# --- dataset.yaml -----------------------------------------------------------------------------

def _read_meta(file: Path, issues: list[Issue]) -> DatasetMeta | None:
    name = file.name
    text = _read_text(file, issues)
    if text is None:
        return None
    try:
        raw = yaml.load(text, Loader=_YamlLoader)
    except yaml.YAMLError as exc:
        line = exc.problem_mark.line + 1 if getattr(exc, "problem_mark", None) else None
        problem = getattr(exc, "problem", None) or exc  # a ReaderError (control character) has none
        issues.append(Issue(name, line, None, None, f"not valid YAML ({problem})"))
        return None
    except (ValueError, TypeError, RecursionError) as exc:  # e.g. an impossible !!timestamp
        issues.append(Issue(name, None, None, None, f"not valid YAML ({exc})"))
        return None
    if not isinstance(raw, dict):
        issues.append(Issue(name, None, None, _short(raw), "must be a mapping of field: value"))
        return None
    values, ok = {}, True
    for spec in schema.DATASET_FIELDS:
        value = raw.get(spec.name)
        if value is None or value == "":
            issues.append(Issue(name, None, spec.name, None, "required field is missing"))
            ok = False
        elif spec.kind == "date":
            parsed = _parse_date_value(value)
            if parsed is None:
                issues.append(Issue(name, None, spec.name, _short(value),
                                    "must be a date YYYY-MM-DD"))
                ok = False
            values[spec.name] = parsed
        elif spec.kind == "bool":
            if not isinstance(value, bool):
                issues.append(Issue(name, None, spec.name, _short(value), "must be true or false"))
                ok = False
            values[spec.name] = value
        elif isinstance(value, (list, dict)):
            issues.append(Issue(name, None, spec.name, _short(value),
                                "must be text, not a list or mapping"))
            ok = False
        else:
            values[spec.name] = str(value)
    return DatasetMeta(**values) if ok else None


class _YamlLoader(yaml.SafeLoader):
    """Safe YAML that leaves dates as text: an impossible date is then reported against its field
    (instead of PyYAML raising), and ``version: 2019-06-01`` stays the text it was written as."""


_YamlLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _parse_date_value(value) -> pd.Timestamp | None:
    if isinstance(value, dt.datetime):
        return None
    if isinstance(value, dt.date):
        return pd.Timestamp(value)
    if isinstance(value, str) and _DATE.match(value.strip()):
        ts = pd.to_datetime(value.strip(), format="%Y-%m-%d", errors="coerce")
        return None if pd.isna(ts) else ts
    return None


# --- CSV files --------------------------------------------------------------------------------

def _read_text(file: Path, issues: list[Issue]) -> str | None:
    if not file.exists():
        issues.append(Issue(file.name, None, None, None, "required file is missing"))
        return None
    if not file.is_file():
        issues.append(Issue(file.name, None, None, None, "must be a file, not a folder"))
        return None
    data = file.read_bytes()
    if not data.strip():
        issues.append(Issue(file.name, None, None, None, "file is empty"))
        return None
    if b"\x00" in data:
        issues.append(Issue(file.name, None, None, None, "binary file, not UTF-8 text"))
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        issues.append(Issue(file.name, line, None, None, "not UTF-8 text"))
        return None
    if not text.strip():  # e.g. only a byte-order mark
        issues.append(Issue(file.name, None, None, None, "file is empty"))
        return None
    return text


def _read_table(file: Path, columns: tuple[schema.ColumnSpec, ...],
                issues: list[Issue]) -> tuple[pd.DataFrame, pd.DataFrame] | tuple[None, None]:
    """Parse a CSV into typed columns; unparsable cells become issues (and missing values).

    Returns the typed frame and the cells as written (for error messages), or ``(None, None)``
    when the file cannot be read as a table with the required columns.
    """
    text = _read_text(file, issues)
    if text is None:
        return None, None
    name = file.name
    # The csv module (not pandas) so that each row keeps the line it starts on (blank lines and
    # quoted line breaks do not shift the numbers), duplicated header names stay visible and a
    # row with too few or too many fields is reported rather than padded.
    reader = csv.reader(_io.StringIO(text, newline=""), skipinitialspace=True)
    header, header_line, records, lines, end = None, 1, [], [], 0
    try:
        for record in reader:
            start, end = end + 1, reader.line_num
            if len(record) <= 1 and not "".join(record).strip():
                continue  # a blank line
            if header is None:
                header, header_line = [c.strip() for c in record], start
            else:
                records.append(record)
                lines.append(start)
    except csv.Error as exc:
        issues.append(Issue(name, reader.line_num, None, None,
                            f"not a readable CSV table ({exc})"))
        return None, None
    if header is None:  # e.g. a lone quote: nothing but one empty field
        issues.append(Issue(name, None, None, None, "no header row"))
        return None, None
    duplicated = sorted({c for c in header if c and header.count(c) > 1})
    for col in duplicated:
        issues.append(Issue(name, header_line, col, None,
                            "column appears more than once in the header"))
    missing = [c.name for c in columns if c.in_header and c.name not in header]
    for col in missing:
        issues.append(Issue(name, header_line, col, None,
                            "required column is missing from the header"))
    ragged = [(line, len(r)) for line, r in zip(lines, records) if len(r) != len(header)]
    for line, n in ragged[:_MAX_ISSUES_PER_RULE]:
        fields = f"{n} field{'s' if n != 1 else ''}"
        issues.append(Issue(name, line, None, None,
                            f"row has {fields} but the header has {len(header)}"))
    if len(ragged) > _MAX_ISSUES_PER_RULE:
        issues.append(Issue(name, None, None, None, f"... and {len(ragged) - _MAX_ISSUES_PER_RULE}"
                            " more rows with the wrong number of fields"))
    if missing or duplicated or ragged:
        return None, None
    # index = line - 2, so that ``index + 2`` is the line of the row in the file
    raw = pd.DataFrame({c: [r[j] for r in records] for j, c in enumerate(header) if c},
                       index=pd.Index([line - 2 for line in lines], dtype="int64"), dtype=object)

    out = pd.DataFrame(index=raw.index)
    text = pd.DataFrame(index=raw.index)
    for spec in columns:
        if spec.name not in raw.columns:  # an optional column: all missing, with its usual dtype
            out[spec.name] = _parse_column(pd.Series("", index=raw.index, dtype=object),
                                           spec.kind)[0]
            text[spec.name] = ""
            continue
        cells = raw[spec.name].str.strip()
        text[spec.name] = cells
        out[spec.name], bad = _parse_column(cells, spec.kind)
        for idx in bad.index[bad][:_MAX_ISSUES_PER_RULE]:
            issues.append(Issue(name, int(idx) + 2, spec.name, _short(cells[idx]),
                                _KIND_RULE[spec.kind]))
        if bad.sum() > _MAX_ISSUES_PER_RULE:
            issues.append(Issue(name, None, spec.name, None,
                                f"... and {int(bad.sum()) - _MAX_ISSUES_PER_RULE} more rows with "
                                f"the same problem ({_KIND_RULE[spec.kind]})"))
    return out, text


_KIND_RULE = {
    "integer": "must be a whole number",
    "number": "must be a number",
    "bool": "must be true or false",
    "date": "must be a date YYYY-MM-DD",
}


def _parse_column(cells: pd.Series, kind: str) -> tuple[pd.Series, pd.Series]:
    """Parsed values and a mask of cells that are filled but cannot be parsed."""
    empty = cells == ""
    if kind in ("text", "category"):
        return cells.where(~empty, None).astype(object), pd.Series(False, index=cells.index)
    if kind == "integer" or kind == "number":
        pattern = _INTEGER if kind == "integer" else _NUMBER
        ok = cells.str.match(pattern) | empty
        values = pd.to_numeric(cells.where(ok & ~empty), errors="coerce").astype(float)
        return values, ~ok | (~empty & ~np.isfinite(values))  # 1e400 is no number to analyse
    if kind == "bool":
        lowered = cells.str.lower()
        ok = lowered.isin(list(_BOOL)) | empty
        values = lowered.map(_BOOL).astype("boolean")
        return values, ~ok
    if kind == "date":
        shaped = cells.str.match(_DATE)
        values = pd.to_datetime(cells.where(shaped), format="%Y-%m-%d", errors="coerce")
        return values, ~empty & values.isna()
    raise AssertionError(kind)


# --- validation with pandera ------------------------------------------------------------------

def _pandera_schema(columns, rules, ctx) -> pa.DataFrameSchema:
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


def _check(frame: pd.DataFrame, text: pd.DataFrame, columns, rules, ctx,
           file: str) -> list[Issue]:
    """Every column and row rule, run lazily so that all failures are collected.

    Cells that could not be parsed are already reported and are missing here; they are not
    reported again as empty.
    """
    try:
        _pandera_schema(columns, rules, ctx).validate(frame, lazy=True)
        return []
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    by_key = {_rule_key(rule): rule for rule in rules}
    issues: list[Issue] = []
    cases = cases.assign(column=cases["column"].fillna(""))
    wide = (cases["schema_context"] == "DataFrameSchema") & cases["check"].isin(list(by_key))
    found: list[tuple[str, str, list[int]]] = []  # (column, rule text, rows)
    for check, group in cases[wide].groupby("check", sort=False):
        rule = by_key[check]
        rows = sorted({int(i) for i in group["index"].dropna()})
        # an unparsable cell is missing here: "required when ..." would report it a second time
        rows = [i for i in rows
                if text.at[i, rule.column] == "" or pd.notna(frame.at[i, rule.column])]
        found.append((rule.column, rule.text, rows))
    for (context, check, column), group in cases[~wide].groupby(
            ["schema_context", "check", "column"], sort=False):
        if context != "Column":  # a problem with a whole column or table
            issues.append(Issue(file, None, column or None, None, _PANDERA_RULE.get(check, check)))
            continue
        rows = sorted({int(i) for i in group["index"].dropna()})
        if check == "not_nullable":  # unparsable cells were reported already
            rows = [i for i in rows if text.at[i, column] == ""]
        found.append((column, _PANDERA_RULE.get(check, check), rows))
    for column, rule_text, rows in found:
        for i in rows[:_MAX_ISSUES_PER_RULE]:
            value = text.at[i, column]
            issues.append(Issue(file, i + 2, column, _short(value) if value != "" else None,
                                rule_text))
        if len(rows) > _MAX_ISSUES_PER_RULE:
            issues.append(Issue(file, None, column, None,
                                f"... and {len(rows) - _MAX_ISSUES_PER_RULE} more rows: {rule_text}"))
    return issues


_PANDERA_RULE = {
    "not_nullable": "required: must not be empty",
    "field_uniqueness": "must be unique (appears more than once)",
}


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
