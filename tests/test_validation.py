"""One test per rule of the data contract (:mod:`blina_analysis.data.schema`).

Each test copies the shipped synthetic dataset, breaks exactly one thing in it and asserts the exact
:class:`~blina_analysis.errors.Issue` the loader reports: file, line (the header is line 1, so the
row with index ``i`` is line ``i + 2``), column, value as written, and the rule text. Rows are chosen
by reading the data (e.g. "a patient who died"), never by hard-coded patient IDs, so the tests keep
working when the synthetic cohort is regenerated.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path
from typing import Callable

import pandas as pd
import pytest
import yaml
from click.testing import CliRunner

from blina_analysis.data import schema
from blina_analysis.cli import main
from blina_analysis.errors import DataValidationError, Issue
from blina_analysis.data.io import Dataset, load

SYNTHETIC = Path(__file__).resolve().parent.parent / "data" / "synthetic"

P, AE, META = schema.PATIENTS_FILE, schema.AE_FILE, schema.DATASET_FILE
COLUMNS = {P: schema.PATIENT_COLUMNS, AE: schema.AE_COLUMNS}


# --- helpers ----------------------------------------------------------------------------------

def read_table(folder: Path, file: str) -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows (as dicts) of one CSV file of the dataset."""
    with open(folder / file, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
        return list(reader.fieldnames), rows


def write_table(folder: Path, file: str, header: list[str], rows: list[dict[str, str]]) -> None:
    """Write a CSV file the way the generator does (``\\n`` line ends, minimal quoting)."""
    with open(folder / file, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def find_row(folder: Path, file: str, where: Callable[[dict[str, str]], bool]) -> tuple[int, dict]:
    """Index and contents of the first row satisfying ``where``."""
    for i, row in enumerate(read_table(folder, file)[1]):
        if where(row):
            return i, row
    raise AssertionError(f"no row of {file} fits this test; has the synthetic cohort changed?")


def edit(folder: Path, file: str, row: int | str, **cells: str) -> int:
    """Set cells of one row (by index, or by ``patient_id``: its first row); return its line."""
    header, rows = read_table(folder, file)
    if isinstance(row, str):
        row = next(i for i, r in enumerate(rows) if r["patient_id"] == row)
    for column, value in cells.items():
        assert column in header, column
        rows[row][column] = value
    write_table(folder, file, header, rows)
    return row + 2


def drop_columns(folder: Path, file: str, *columns: str) -> None:
    header, rows = read_table(folder, file)
    for column in columns:
        header.remove(column)
        for r in rows:
            del r[column]
    write_table(folder, file, header, rows)


def add_column(folder: Path, file: str, column: str, value: str = "") -> None:
    header, rows = read_table(folder, file)
    for r in rows:
        r[column] = value
    write_table(folder, file, header + [column], rows)


def set_meta(folder: Path, field: str, raw: str | None) -> None:
    """Replace the top-level entry ``field`` of dataset.yaml by ``field: raw`` (None: remove it)."""
    blocks: list[list[str]] = []
    for line in (folder / META).read_text(encoding="utf-8").splitlines(keepends=True):
        if line[:1].strip() or not blocks:
            blocks.append([line])
        else:
            blocks[-1].append(line)
    out, found = [], False
    for block in blocks:
        if block[0].startswith(f"{field}:"):
            found = True
            if raw is not None:
                out.append(f"{field}: {raw}\n")
        else:
            out.extend(block)
    assert found, field
    (folder / META).write_text("".join(out), encoding="utf-8")


def cutoff(folder: Path) -> str:
    return str(yaml.safe_load((folder / META).read_text(encoding="utf-8"))["cutoff_date"])


def shift(date: str, days: int) -> str:
    return (dt.date.fromisoformat(date) + dt.timedelta(days=days)).isoformat()


def problems(folder: Path) -> list[Issue]:
    with pytest.raises(DataValidationError) as info:
        load(folder)
    assert info.value.issues, "a DataValidationError must list at least one issue"
    return info.value.issues


def assert_reported(issues: list[Issue], expected: Issue) -> None:
    listing = "\n".join(f"  {i!r}" for i in issues)
    assert expected in issues, f"expected\n  {expected!r}\namong\n{listing}"


# --- the shipped data and the helpers ---------------------------------------------------------

def test_shipped_dataset_is_valid():
    ds = load(SYNTHETIC)
    assert isinstance(ds, Dataset)
    assert len(ds.patients) > 0 and len(ds.adverse_events) > 0
    assert ds.patients["patient_id"].is_unique
    assert set(ds.adverse_events["patient_id"]) <= set(ds.patients["patient_id"])
    assert ds.patients["age"].dtype == "int64"
    assert ds.patients["death"].dtype == bool
    assert pd.api.types.is_datetime64_any_dtype(ds.patients["bc_start_date"])


def test_editing_helpers_preserve_the_file_format(dataset_dir):
    for file in (P, AE):
        before = (dataset_dir / file).read_bytes()
        write_table(dataset_dir, file, *read_table(dataset_dir, file))
        assert (dataset_dir / file).read_bytes() == before
    meta = (dataset_dir / META).read_text()
    set_meta(dataset_dir, "name", yaml.safe_load(meta)["name"])
    assert (dataset_dir / META).read_text() == meta
    load(dataset_dir)


# --- column rules: required cells ---------------------------------------------------------------

REQUIRED = [(file, c.name) for file in (P, AE) for c in COLUMNS[file] if c.required]


@pytest.mark.parametrize(("file", "column"), REQUIRED, ids=[f"{f}-{c}" for f, c in REQUIRED])
def test_required_cell_empty(dataset_dir, file, column):
    line = edit(dataset_dir, file, 0, **{column: ""})
    assert_reported(problems(dataset_dir),
                    Issue(file, line, column, None, "required: must not be empty"))


def test_whitespace_only_cell_counts_as_empty(dataset_dir):
    line = edit(dataset_dir, P, 0, sex="   ")
    assert_reported(problems(dataset_dir), Issue(P, line, "sex", None, "required: must not be empty"))


# --- column rules: types --------------------------------------------------------------------------

TYPE_RULE = {"integer": "must be a whole number", "number": "must be a number",
             "bool": "must be true or false", "date": "must be a date YYYY-MM-DD or DD.MM.YYYY"}
BAD_VALUE = {"integer": "2.5", "number": "sixty", "bool": "yes", "date": "2017-02-30"}
# the columns of the shipped data (the optional columns it lacks: tests/test_recorded_fields.py)
_SHIPPED_HEADER = {f: (Path(__file__).resolve().parent.parent / "data" / "synthetic" / f)
                   .read_text(encoding="utf-8").splitlines()[0].split(",") for f in (P, AE)}
TYPED = [(file, c.name, c.kind, BAD_VALUE[c.kind]) for file in (P, AE) for c in COLUMNS[file]
         if c.kind in TYPE_RULE and c.name in _SHIPPED_HEADER[file]]
TYPED += [  # a few more shapes of wrong value
    (P, "age", "integer", "forty"), (P, "age", "integer", "45.0"), (P, "cycles", "integer", "1e2"),
    (AE, "grade", "integer", "III"), (P, "marrow_blasts_pct", "number", "65%"),
    (P, "marrow_blasts_pct", "number", "1,5"), (P, "death", "bool", "1"), (P, "death", "bool", "T"),
    (P, "bc_start_date", "date", "31.04.2017"), (P, "bc_start_date", "date", "2017-4-15"),
    (P, "bc_start_date", "date", "15.04.17"), (P, "bc_start_date", "date", "15-04-2017"),
    (P, "bc_start_date", "date", "2017-04-15T00:00"), (P, "bc_start_date", "date", "15.4.2017."),
    (P, "last_followup_date", "date", "2017-13-01"), (AE, "onset_date", "date", "yesterday"),
]


@pytest.mark.parametrize(("file", "column", "kind", "value"), TYPED,
                         ids=[f"{f}-{c}-{v}" for f, c, _, v in TYPED])
def test_wrong_type(dataset_dir, file, column, kind, value):
    row, _ = find_row(dataset_dir, file, lambda r: r[column] != "")  # a row where it is filled
    line = edit(dataset_dir, file, row, **{column: value})
    issues = problems(dataset_dir)
    assert_reported(issues, Issue(file, line, column, value, TYPE_RULE[kind]))
    # the unreadable cell is reported once, not again as "empty" by a required/conditional rule
    assert [i for i in issues if (i.line, i.column) == (line, column)] == [
        Issue(file, line, column, value, TYPE_RULE[kind])]


def test_bool_and_padding_are_lenient(dataset_dir):
    """``TRUE``/``False`` (any case) and spaces around a cell are accepted."""
    row, r = find_row(dataset_dir, P, lambda r: r["death"] == "true")
    edit(dataset_dir, P, row, death="TRUE", relapse=r["relapse"].title(), age=f"  {r['age']} ")
    ds = load(dataset_dir)
    assert ds.patients.loc[row, "death"]
    assert ds.patients.loc[row, "age"] == int(r["age"])


# --- column rules: ranges -------------------------------------------------------------------------

RANGES = [(P, "age", "-1", "must be at least 0"), (P, "age", "121", "must be at most 120"),
          (P, "cycles", "0", "must be at least 1"), (P, "cycles", "-3", "must be at least 1"),
          (P, "marrow_blasts_pct", "-0.5", "must be at least 0"),
          (P, "marrow_blasts_pct", "100.5", "must be at most 100"),
          (AE, "grade", "0", "must be at least 1"), (AE, "grade", "6", "must be at most 5"),
          (P, "age", "99999999999999999999", "must be at most 120")]


@pytest.mark.parametrize(("file", "column", "value", "rule"), RANGES,
                         ids=[f"{f}-{c}-{v}" for f, c, v, _ in RANGES])
def test_out_of_range(dataset_dir, file, column, value, rule):
    row, _ = find_row(dataset_dir, file, lambda r: r[column] != "")
    line = edit(dataset_dir, file, row, **{column: value})
    assert_reported(problems(dataset_dir), Issue(file, line, column, value, rule))


def test_every_bound_is_tested():
    bounds = {(f, c.name, side) for f in (P, AE) for c in COLUMNS[f]
              if c.name in _SHIPPED_HEADER[f]  # the others: tests/test_recorded_fields.py
              for side, b in (("least", c.minimum), ("most", c.maximum)) if b is not None}
    tested = {(f, c, rule.split()[3]) for f, c, _, rule in RANGES}
    assert bounds <= tested


def test_bounds_are_inclusive(dataset_dir):
    row, _ = find_row(dataset_dir, P, lambda r: r["marrow_blasts_pct"] != "")
    edit(dataset_dir, P, row, age="0", cycles="1", marrow_blasts_pct="100")
    edit(dataset_dir, P, row + 1, age="120", marrow_blasts_pct="0")
    edit(dataset_dir, AE, 0, grade="1")
    edit(dataset_dir, AE, 1, grade="5")
    load(dataset_dir)


# --- column rules: allowed values -----------------------------------------------------------------

CATEGORIES = [(f, c) for f in (P, AE) for c in COLUMNS[f] if c.kind == "category"]


@pytest.mark.parametrize(("file", "spec"), CATEGORIES, ids=[f"{f}-{c.name}" for f, c in CATEGORIES])
def test_not_an_allowed_value(dataset_dir, file, spec):
    value = spec.allowed[0].swapcase()  # e.g. "m", "mrd", "cr": categories are case-sensitive
    assert value not in spec.allowed
    header, _ = read_table(dataset_dir, file)
    if spec.name not in header:  # an optional column the shipped data does not have
        add_column(dataset_dir, file, spec.name)
        row = 0
    else:
        row, _ = find_row(dataset_dir, file, lambda r: r[spec.name] != "")
    line = edit(dataset_dir, file, row, **{spec.name: value})
    assert_reported(problems(dataset_dir),
                    Issue(file, line, spec.name, value, f"must be one of: {', '.join(spec.allowed)}"))


# --- column rules: unique IDs ---------------------------------------------------------------------

def test_duplicate_patient_id(dataset_dir):
    _, first = find_row(dataset_dir, P, lambda r: True)
    line = edit(dataset_dir, P, 1, patient_id=first["patient_id"])
    issues = problems(dataset_dir)
    rule = "must be unique (appears more than once)"
    assert_reported(issues, Issue(P, line, "patient_id", first["patient_id"], rule))
    assert_reported(issues, Issue(P, 2, "patient_id", first["patient_id"], rule))


def test_only_patient_id_is_unique():
    assert [c.name for f in (P, AE) for c in COLUMNS[f] if c.unique] == ["patient_id"]


# --- rules across columns (every RowRule) ---------------------------------------------------------
# Each scenario breaks one rule in one row and returns (line, value as written) of the issue.

def _rr_nonresponder(r):
    return (r["group"] == "RR" and r["hematologic_response"] in ("NR", "NE")
            and r["relapse"] == "false" and r["mrd_response"] == "" and r["response_date"] == "")


def _flag_date_required(flag, date):
    def scenario(folder):
        row, _ = find_row(folder, P, lambda r: r[flag] == "true")
        return edit(folder, P, row, **{date: ""}), None
    return scenario


def _flag_date_forbidden(flag, date):
    def scenario(folder):
        row, r = find_row(folder, P, lambda r: r[flag] == "false" and r["death"] == "false")
        return edit(folder, P, row, **{date: r["last_followup_date"]}), r["last_followup_date"]
    return scenario


def _before_start(date):
    def scenario(folder):
        row, r = find_row(folder, P, lambda r: r[date] != "")
        value = shift(r["bc_start_date"], -1)
        return edit(folder, P, row, **{date: value}), value
    return scenario


def _after_last_followup(date):
    def scenario(folder):
        row, r = find_row(folder, P, lambda r: r[date] != "")
        value = shift(r["last_followup_date"], 1)
        return edit(folder, P, row, **{date: value}), value
    return scenario


def _hr_missing_rr(folder):
    row, _ = find_row(folder, P, _rr_nonresponder)
    return edit(folder, P, row, hematologic_response=""), None


def _hr_in_mrd(folder):
    row, _ = find_row(folder, P, lambda r: r["group"] == "MRD")
    return edit(folder, P, row, hematologic_response="CR"), "CR"


def _mrd_for_rr_nonresponder(folder):
    row, _ = find_row(folder, P, _rr_nonresponder)
    return edit(folder, P, row, mrd_response="negative"), "negative"


def _response_date_missing(folder):
    row, _ = find_row(folder, P, lambda r: r["response_date"] != "")
    return edit(folder, P, row, response_date=""), None


def _response_date_for_nonresponder(folder):
    row, r = find_row(folder, P, _rr_nonresponder)
    return edit(folder, P, row, response_date=r["bc_start_date"]), r["bc_start_date"]


def _pending_rr_dead(folder):
    row, _ = find_row(folder, P, lambda r: _rr_nonresponder(r) and r["death"] == "true")
    return edit(folder, P, row, hematologic_response="pending"), "pending"


def _pending_mrd_relapsed(folder):
    row, _ = find_row(folder, P, lambda r: r["group"] == "MRD" and r["response_date"] == ""
                      and r["relapse"] == "true" and r["death"] == "false")
    return edit(folder, P, row, mrd_response="pending"), "pending"


def _relapse_without_remission(folder):
    row, r = find_row(folder, P, _rr_nonresponder)
    return edit(folder, P, row, relapse="true", relapse_date=r["last_followup_date"]), "true"


def _followup_not_death(folder):
    row, r = find_row(folder, P, lambda r: r["death"] == "true"
                      and r["death_date"] > shift(r["bc_start_date"], 1)
                      and max(r["relapse_date"], r["hsct_after_bc_date"], r["response_date"])
                      < r["death_date"])
    edit(folder, P, row, death_date=shift(r["death_date"], -1))
    return row + 2, r["last_followup_date"]


def _relapse_not_after_response(folder):
    row, r = find_row(folder, P, lambda r: r["relapse"] == "true" and r["response_date"] != "")
    return edit(folder, P, row, relapse_date=r["response_date"]), r["response_date"]


def _after_cutoff(folder):
    row, _ = find_row(folder, P, lambda r: r["death"] == "false")
    value = shift(cutoff(folder), 1)
    return edit(folder, P, row, last_followup_date=value), value


def _ae_unknown_patient(folder):
    return edit(folder, AE, 0, patient_id="NOBODY-1"), "NOBODY-1"


def _ae_patient_dates(folder, column, days):
    _, event = find_row(folder, AE, lambda r: r["onset_date"] != "")
    _, patient = find_row(folder, P, lambda r: r["patient_id"] == event["patient_id"])
    return shift(patient[column], days)


def _ae_before_start(folder):
    value = _ae_patient_dates(folder, "bc_start_date", -1)
    row, _ = find_row(folder, AE, lambda r: r["onset_date"] != "")
    return edit(folder, AE, row, onset_date=value), value


def _ae_after_followup(folder):
    value = _ae_patient_dates(folder, "last_followup_date", 1)
    row, _ = find_row(folder, AE, lambda r: r["onset_date"] != "")
    return edit(folder, AE, row, onset_date=value), value


SCENARIOS: dict[tuple[str, str, str], Callable[[Path], tuple[int, str | None]]] = {
    (P, "hematologic_response", "required in the R/R group"): _hr_missing_rr,
    (P, "hematologic_response", "must be empty in the MRD group"): _hr_in_mrd,
    (P, "mrd_response", "in the R/R group only for patients in CR/CRh"): _mrd_for_rr_nonresponder,
    (P, "response_date", "required for responders (R/R: CR/CRh; MRD group: MRD-negative)"):
        _response_date_missing,
    (P, "response_date", "must be empty unless the patient responded (R/R: CR/CRh; MRD group: "
        "`mrd_response` = `negative`)"): _response_date_for_nonresponder,
    (P, "hematologic_response", "`pending` only for patients alive at last follow-up (a patient "
        "who died unassessed is `NE`)"): _pending_rr_dead,
    (P, "mrd_response", "`pending` only for patients alive and without relapse at last "
        "follow-up (leave it empty if MRD was never assessed)"): _pending_mrd_relapsed,
    (P, "relapse", "relapse only after remission (R/R group: CR/CRh first)"):
        _relapse_without_remission,
    (P, "last_followup_date", "must equal `death_date` for patients who died"): _followup_not_death,
    (P, "relapse_date", "must be after `response_date`"): _relapse_not_after_response,
    (P, "last_followup_date", "must not be after the data cut-off (`cutoff_date`)"): _after_cutoff,
    (AE, "patient_id", "no such patient in patients.csv"): _ae_unknown_patient,
    (AE, "onset_date", "must not be before the patient's `bc_start_date`"): _ae_before_start,
    (AE, "onset_date", "must not be after the patient's `last_followup_date`"): _ae_after_followup,
}
for _flag, _date in (("hsct_after_bc", "hsct_after_bc_date"), ("relapse", "relapse_date"),
                     ("death", "death_date")):
    SCENARIOS[(P, _date, f"required when `{_flag}` is true")] = _flag_date_required(_flag, _date)
    SCENARIOS[(P, _date, f"must be empty when `{_flag}` is false")] = _flag_date_forbidden(_flag,
                                                                                         _date)
for _date in schema.DATE_COLUMNS:
    if _date != "bc_start_date":
        SCENARIOS[(P, _date, "must not be before `bc_start_date`")] = _before_start(_date)
    if _date not in ("bc_start_date", "last_followup_date"):
        SCENARIOS[(P, _date, "must not be after `last_followup_date`")] = _after_last_followup(_date)

# the rules of the optional columns the shipped data lack: tests/test_recorded_fields.py
RULES = [(f, r) for f, rules in ((P, schema.PATIENT_RULES), (AE, schema.AE_RULES))
         for r in rules if r.column in _SHIPPED_HEADER[f]]


@pytest.mark.parametrize(("file", "rule"), RULES, ids=[f"{f}-{r.column}: {r.text}" for f, r in RULES])
def test_row_rule(dataset_dir, file, rule):
    scenario = SCENARIOS.get((file, rule.column, rule.text))
    assert scenario is not None, f"no test scenario for the rule {rule.column!r}: {rule.text!r}"
    line, value = scenario(dataset_dir)
    assert_reported(problems(dataset_dir), Issue(file, line, rule.column, value, rule.text))


def test_every_scenario_matches_a_rule():
    rules = {(f, r.column, r.text) for f, r in RULES}
    assert set(SCENARIOS) == rules


def test_relapse_is_allowed_in_the_mrd_group(dataset_dir):
    """MRD-group patients start in haematological remission: relapse needs no CR/CRh."""
    row, r = find_row(dataset_dir, P, lambda r: r["group"] == "MRD" and r["relapse"] == "false"
                      and r["death"] == "false" and r["response_date"] < r["last_followup_date"])
    edit(dataset_dir, P, row, relapse="true", relapse_date=r["last_followup_date"])
    load(dataset_dir)


# --- dataset.yaml -------------------------------------------------------------------------------

FIELDS = [f.name for f in schema.DATASET_FIELDS]


@pytest.mark.parametrize("how", ["absent", "empty", "null"])
@pytest.mark.parametrize("field", FIELDS)
def test_meta_field_missing(dataset_dir, field, how):
    set_meta(dataset_dir, field, {"absent": None, "empty": '""', "null": "null"}[how])
    assert_reported(problems(dataset_dir), Issue(META, None, field, None, "required field is missing"))


META_TYPES = [
    ("name", "[a, b]", "['a', 'b']", "must be text, not a list or mapping"),
    ("version", "{major: 1}", "{'major': 1}", "must be text, not a list or mapping"),
    ("description", "[1, 2]", "[1, 2]", "must be text, not a list or mapping"),
    ("cutoff_date", "2018-02-30", "2018-02-30", "must be a date YYYY-MM-DD"),
    ("cutoff_date", "30.06.2018", "30.06.2018", "must be a date YYYY-MM-DD"),
    ("cutoff_date", "2018-06-30 12:00:00", "2018-06-30 12:00:00", "must be a date YYYY-MM-DD"),
    ("cutoff_date", "20180630", "20180630", "must be a date YYYY-MM-DD"),
    ("cutoff_date", "[2018-06-30]", "['2018-06-30']", "must be a date YYYY-MM-DD"),
    ("synthetic", "yes please", "yes please", "must be true or false"),
    ("synthetic", "1", "1", "must be true or false"),
    ("synthetic", '"true"', "true", "must be true or false"),
]


@pytest.mark.parametrize(("field", "raw", "value", "rule"), META_TYPES,
                         ids=[f"{f}={r}" for f, r, _, _ in META_TYPES])
def test_meta_field_wrong_type(dataset_dir, field, raw, value, rule):
    set_meta(dataset_dir, field, raw)
    assert_reported(problems(dataset_dir), Issue(META, None, field, value, rule))


def test_meta_quoted_date_is_accepted(dataset_dir):
    set_meta(dataset_dir, "cutoff_date", f'"{cutoff(dataset_dir)}"')
    assert load(dataset_dir).meta.cutoff_date == pd.Timestamp(cutoff(dataset_dir))


def test_meta_version_that_looks_like_a_date_stays_text(dataset_dir):
    set_meta(dataset_dir, "version", "2019-06-01")
    assert load(dataset_dir).meta.version == "2019-06-01"


def test_meta_unknown_fields_are_ignored(dataset_dir):
    with open(dataset_dir / META, "a", encoding="utf-8") as fh:
        fh.write("contact: someone@example.org\n")
    load(dataset_dir)


# --- files and columns --------------------------------------------------------------------------

@pytest.mark.parametrize("file", [META, P, AE])
def test_missing_file(dataset_dir, file):
    (dataset_dir / file).unlink()
    issues = problems(dataset_dir)
    rule = "required file is missing"
    if file != META:  # a table may also come as an Excel workbook
        rule += f" (or {file.replace('.csv', '.xlsx')})"
    assert_reported(issues, Issue(file, None, None, None, rule))


@pytest.mark.parametrize("file", [META, P, AE])
def test_file_is_a_folder(dataset_dir, file):
    (dataset_dir / file).unlink()
    (dataset_dir / file).mkdir()
    assert_reported(problems(dataset_dir),
                    Issue(file, None, None, None, "must be a file, not a folder"))


HEADER_COLUMNS = [(f, c.name) for f in (P, AE) for c in COLUMNS[f] if c.in_header]


@pytest.mark.parametrize(("file", "column"), HEADER_COLUMNS,
                         ids=[f"{f}-{c}" for f, c in HEADER_COLUMNS])
def test_missing_required_column(dataset_dir, file, column):
    drop_columns(dataset_dir, file, column)
    assert_reported(problems(dataset_dir),
                    Issue(file, 1, column, None, "required column is missing from the header"))


def test_duplicated_header_column(dataset_dir):
    header, rows = read_table(dataset_dir, P)
    text = (dataset_dir / P).read_text(encoding="utf-8").splitlines()
    # append a second "age" column (same values): the header names it twice
    text = [line + "," + (row["age"] if i else "age")
            for i, (line, row) in enumerate(zip(text, [{}] + rows))]
    (dataset_dir / P).write_text("\n".join(text) + "\n", encoding="utf-8")
    assert_reported(problems(dataset_dir),
                    Issue(P, 1, "age", None, "column appears more than once in the header"))


def test_header_names_are_trimmed(dataset_dir):
    text = (dataset_dir / P).read_text(encoding="utf-8")
    (dataset_dir / P).write_text(text.replace("patient_id,age,", " patient_id , age,", 1),
                                 encoding="utf-8")
    load(dataset_dir)


def test_optional_columns_may_be_absent(dataset_dir):
    # Without `mrd_response` no MRD-group patient is a responder, so their `response_date`
    # (the date of MRD negativity) must go too; see the test after the next one
    header, rows = read_table(dataset_dir, P)
    for r in rows:
        if r["group"] == "MRD":
            r["response_date"] = ""
    write_table(dataset_dir, P, header, rows)
    optional = [c.name for c in schema.PATIENT_COLUMNS if not c.in_header]
    drop_columns(dataset_dir, P, *[c for c in optional if c in header])
    drop_columns(dataset_dir, AE, "onset_date")
    ds = load(dataset_dir)
    # still in the frame, all missing, with the column's usual type
    assert ds.patients["cytogenetic_risk"].isna().all()
    assert ds.patients["mrd_response"].isna().all()
    assert ds.patients["marrow_blasts_pct"].dtype == "float64"
    assert ds.patients["marrow_blasts_pct"].isna().all()
    assert pd.api.types.is_datetime64_any_dtype(ds.adverse_events["onset_date"])
    assert ds.adverse_events["onset_date"].isna().all()


def test_cytogenetic_risk_and_blasts_may_be_absent(dataset_dir):
    drop_columns(dataset_dir, P, "cytogenetic_risk", "marrow_blasts_pct")
    assert load(dataset_dir).patients["cytogenetic_risk"].isna().all()


def test_mrd_response_absent_makes_mrd_response_dates_unexplained(dataset_dir):
    """The contract: an MRD-group `response_date` is the date of MRD negativity, so it needs
    `mrd_response` = negative. Without the column nobody's MRD was assessed, so a date of MRD
    negativity contradicts the data: rejected, with a message naming the column it needs (the
    book would otherwise report an MRD response of 0 for a cohort whose dates say otherwise)."""
    row, r = find_row(dataset_dir, P, lambda r: r["group"] == "MRD" and r["response_date"] != "")
    drop_columns(dataset_dir, P, "mrd_response")
    # every such row breaks the rule: one line for the column, naming the lines and values
    [issue] = [i for i in problems(dataset_dir) if i.column == "response_date"]
    assert (issue.file, issue.line, issue.value) == (P, None, None)
    assert issue.rule.startswith("must be empty unless the patient responded (R/R: CR/CRh; MRD group: `mrd_response` = `negative`) — ")
    assert f"lines {row + 2}, " in issue.rule and repr(r["response_date"]) in issue.rule


def test_pending_is_accepted_in_both_response_columns(dataset_dir):
    """A patient still on treatment: `pending` in the cohort's response column, no response date."""
    row, _ = find_row(dataset_dir, P, lambda r: _rr_nonresponder(r) and r["death"] == "false")
    edit(dataset_dir, P, row, hematologic_response="pending")
    row, _ = find_row(dataset_dir, P, lambda r: r["group"] == "MRD" and r["response_date"] == ""
                      and r["relapse"] == "false" and r["death"] == "false")
    edit(dataset_dir, P, row, mrd_response="pending")
    row, r = find_row(dataset_dir, P, lambda r: r["group"] == "RR" and r["mrd_response"] != ""
                      and r["death"] == "false" and r["relapse"] == "false")
    edit(dataset_dir, P, row, mrd_response="pending")  # an R/R responder's MRD result
    patients = load(dataset_dir).patients
    assert (patients["hematologic_response"] == "pending").sum() == 1
    assert (patients["mrd_response"] == "pending").sum() == 2


def test_pending_patient_has_no_response_date(dataset_dir):
    row, r = find_row(dataset_dir, P, lambda r: r["group"] == "MRD" and r["response_date"] != ""
                      and r["relapse"] == "false" and r["death"] == "false")
    line = edit(dataset_dir, P, row, mrd_response="pending")
    assert_reported(problems(dataset_dir), Issue(
        P, line, "response_date", r["response_date"],
        "must be empty unless the patient responded (R/R: CR/CRh; MRD group: `mrd_response` = "
        "`negative`)"))


def test_extra_columns_are_accepted_and_ignored(dataset_dir):
    add_column(dataset_dir, P, "comment", "free text, with a comma and \"quotes\"")
    add_column(dataset_dir, AE, "site", "Moscow")
    ds = load(dataset_dir)
    assert "comment" not in ds.patients.columns
    assert "site" not in ds.adverse_events.columns


def test_column_order_does_not_matter(dataset_dir):
    header, rows = read_table(dataset_dir, P)
    write_table(dataset_dir, P, header[::-1], rows)
    reference = load(SYNTHETIC)
    pd.testing.assert_frame_equal(load(dataset_dir).patients, reference.patients)


def test_line_numbers_count_blank_lines_and_quoted_line_breaks(dataset_dir):
    add_column(dataset_dir, P, "note")
    edit(dataset_dir, P, 0, note="two\nlines")
    text = (dataset_dir / P).read_text(encoding="utf-8").split("\n")
    text.insert(3, "")  # a blank line after the first patient, who now spans lines 2-3
    (dataset_dir / P).write_text("\n".join(text), encoding="utf-8")
    # row index 3 was on line 5; the quoted line break and the blank line move it to line 7
    lines = (dataset_dir / P).read_text(encoding="utf-8").split("\n")
    assert lines[6].startswith(read_table(dataset_dir, P)[1][3]["patient_id"] + ",")
    lines[6] = re.sub(r"^([^,]*),\d+,", r"\1,forty,", lines[6])
    (dataset_dir / P).write_text("\n".join(lines), encoding="utf-8")
    assert_reported(problems(dataset_dir), Issue(P, 7, "age", "forty", "must be a whole number"))


# --- all problems at once, and the command line -------------------------------------------------

def _five_faults(folder: Path) -> list[Issue]:
    set_meta(folder, "synthetic", "maybe")
    _, first = find_row(folder, P, lambda r: True)
    expected = [
        Issue(META, None, "synthetic", "maybe", "must be true or false"),
        Issue(P, edit(folder, P, 0, age="forty"), "age", "forty", "must be a whole number"),
        Issue(P, edit(folder, P, 1, sex="X"), "sex", "X", "must be one of: M, F"),
        Issue(P, edit(folder, P, 2, patient_id=first["patient_id"]), "patient_id",
              first["patient_id"], "must be unique (appears more than once)"),
        Issue(AE, edit(folder, AE, 0, grade="7"), "grade", "7", "must be at most 5"),
        Issue(AE, edit(folder, AE, 1, category="cardiac"), "category", "cardiac",
              "must be one of: " + ", ".join(schema.AE_CATEGORIES)),
    ]
    return expected


def test_every_problem_is_reported_at_once(dataset_dir):
    expected = _five_faults(dataset_dir)
    issues = problems(dataset_dir)
    assert len(issues) >= len(expected) >= 5
    for issue in expected:
        assert_reported(issues, issue)


def test_error_message_lists_every_issue(dataset_dir):
    expected = _five_faults(dataset_dir)
    with pytest.raises(DataValidationError) as info:
        load(dataset_dir)
    message = str(info.value)
    assert f"{len(info.value.issues)} problems found" in message
    for issue in expected:
        assert str(issue) in message


def test_cli_reports_problems_and_exits_1(dataset_dir):
    expected = _five_faults(dataset_dir)
    result = CliRunner().invoke(main, ["validate", str(dataset_dir)])
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, DataValidationError)  # handled, not propagated
    for issue in expected:
        assert str(issue) in result.output
    # the CSV issues name file, line and column, e.g. "patients.csv:2, column 'age'"
    assert f"{P}:2, column 'age', value 'forty'" in result.output


def test_cli_accepts_valid_data(dataset_dir):
    result = CliRunner().invoke(main, ["validate", str(dataset_dir)])
    assert result.exit_code == 0, result.output
    assert "valid" in result.output


def test_cli_missing_folder(tmp_path):
    result = CliRunner().invoke(main, ["validate", str(tmp_path / "nowhere")])
    assert result.exit_code == 1
    assert "no such folder" in result.output
    assert "Traceback" not in result.output
