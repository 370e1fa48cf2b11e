"""The files hospitals export (issue 9, section 2): each form is read into the same typed tables, or
refused with one message per problem saying what was found and how to fix it.

The shipped synthetic dataset is converted into each form a hospital's systems produce (Excel's
``;``-CSV with decimal commas and DD.MM.YYYY dates, tab-delimited text, Windows-1251 with the
encoding declared, UTF-16 "Unicode text", Excel workbooks with typed or text cells) and must load
into frames equal to the original's, with byte-identical results. The small hand-made cases of
each form live in the corpus (``tests/data_corpus``, see ``make_corpus.py``).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from blina_analysis.analyses.core import Analysis
from blina_analysis.analyses.results import compute_results
from blina_analysis.cli import main
from blina_analysis.data import schema
from blina_analysis.data.io import _short, load
from blina_analysis.data.template import workbook_bytes
from blina_analysis.errors import DataValidationError, Issue

from typed_cells import csv_text, day_first, map_column, typed_rows, workbook

SYNTHETIC = Path(__file__).resolve().parent.parent / "data" / "synthetic"
P, AE, META = schema.PATIENTS_FILE, schema.AE_FILE, schema.DATASET_FILE
P_XLSX, AE_XLSX = "patients.xlsx", "adverse_events.xlsx"
NUMBER_COLUMNS = {c.name for c in schema.PATIENT_COLUMNS + schema.AE_COLUMNS if c.kind == "number"}


# --- writing the shipped data in other forms ----------------------------------------------------

def rows_of(file: str) -> list[list[str]]:
    with open(SYNTHETIC / file, newline="", encoding="utf-8") as fh:
        return list(csv.reader(fh))


def decimal_comma(rows: list[list[str]]) -> list[list[str]]:
    """Every filled cell of a number column written with a decimal comma (``65`` -> ``65,0``)."""
    cols = [j for j, name in enumerate(rows[0]) if name in NUMBER_COLUMNS]
    out = [rows[0]]
    for r in rows[1:]:
        r = list(r)
        for j in cols:
            if r[j]:
                r[j] = r[j].replace(".", ",") if "." in r[j] else r[j] + ",0"
        out.append(r)
    return out


def semicolon(rows):
    """Excel's CSV in a Russian locale: ``;``, decimal comma, DD.MM.YYYY, CRLF, trailing ``;;;``,
    header in other letter case and padded."""
    rows = decimal_comma(day_first(rows))
    rows = [[f" {h.upper()} " for h in rows[0]]] + rows[1:] + [[""] * len(rows[0])] * 3
    return csv_text(rows, ";", "\r\n").encode("utf-8-sig")


FORMS = {
    "semicolon-decimal-comma-day-first": lambda: {
        P: semicolon(rows_of(P)), AE: semicolon(rows_of(AE))},
    "tab": lambda: {name: csv_text(rows_of(name), "\t").encode() for name in (P, AE)},
    "utf16-unicode-text": lambda: {
        name: b"\xff\xfe" + csv_text(rows_of(name), "\t", "\r\n").encode("utf-16-le")
        for name in (P, AE)},
    "cp1251-declared-values-mapped": lambda: {
        META: ((SYNTHETIC / META).read_text(encoding="utf-8")
               + "encoding: cp1251\nvalues: {sex: {муж: M, жен: F}, death: {да: true, нет: false}}\n"
               ).encode(),
        P: csv_text(map_column(map_column(day_first(rows_of(P)), "sex", {"M": "муж", "F": "жен"}),
                               "death", {"true": "да", "false": "Нет"}), ";").encode("cp1251"),
        AE: csv_text(rows_of(AE), ";").encode("cp1251")},
    "xlsx-typed": lambda: {
        P_XLSX: workbook(typed_rows(rows_of(P))),
        AE_XLSX: workbook(typed_rows(rows_of(AE)))},
    "xlsx-text-cells-from-row-3": lambda: {
        P_XLSX: workbook(day_first(rows_of(P)), first_row=3),
        AE_XLSX: workbook(rows_of(AE), title="AE")},
    "xlsx-patients-csv-events": lambda: {
        P_XLSX: workbook(typed_rows(rows_of(P))),
        AE: semicolon(rows_of(AE))},
}


def write_form(folder: Path, files: dict[str, bytes]) -> Path:
    folder.mkdir()
    shutil.copy(SYNTHETIC / META, folder / META)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


@pytest.fixture(scope="module")
def original():
    ds = load(SYNTHETIC)
    return ds, json.dumps(compute_results(Analysis(ds)), sort_keys=True)


@pytest.mark.parametrize("form", FORMS)
def test_every_form_gives_the_same_tables_and_results(tmp_path, original, form):
    reference, reference_results = original
    ds = load(write_form(tmp_path / "ds", FORMS[form]()))
    assert ds.meta == reference.meta
    pd.testing.assert_frame_equal(ds.patients, reference.patients, check_exact=True)
    pd.testing.assert_frame_equal(ds.adverse_events, reference.adverse_events, check_exact=True)
    assert json.dumps(compute_results(Analysis(ds)), sort_keys=True) == reference_results
    # the fingerprint covers the files actually read
    assert set(ds.fingerprints) == {META} | {f.file for f in ds.forms}


DETECTED = {
    "semicolon-decimal-comma-day-first": [
        "read patients.csv: CSV, delimiter ';'; encoding UTF-8 (byte-order mark); decimal comma; "
        "dates DD.MM.YYYY",
        "read adverse_events.csv: CSV, delimiter ';'; encoding UTF-8 (byte-order mark); dates "
        "DD.MM.YYYY"],
    "tab": ["read patients.csv: CSV, delimiter tab; encoding UTF-8; dates YYYY-MM-DD"],
    "utf16-unicode-text": ["read patients.csv: CSV, delimiter tab; encoding UTF-16 (byte-order "
                           "mark); dates YYYY-MM-DD"],
    "cp1251-declared-values-mapped": [
        "read patients.csv: CSV, delimiter ';'; encoding cp1251 (declared in dataset.yaml); dates "
        "DD.MM.YYYY; values mapped by dataset.yaml: sex (66 cells), death (66 cells)"],
    "xlsx-typed": ["read patients.xlsx: Excel workbook, first sheet 'Лист1' (line numbers are its "
                   "rows); typed cells: dates, numbers, TRUE/FALSE"],
    "xlsx-text-cells-from-row-3": [
        "read patients.xlsx: Excel workbook, first sheet 'Лист1' (line numbers are its rows); "
        "text dates DD.MM.YYYY",
        "read adverse_events.xlsx: Excel workbook, first sheet 'AE' (line numbers are its rows)"],
}


@pytest.mark.parametrize("form", DETECTED)
def test_validate_prints_what_it_detected(tmp_path, form):
    folder = write_form(tmp_path / "ds", FORMS[form]())
    result = CliRunner().invoke(main, ["validate", str(folder)])
    assert result.exit_code == 0, result.output
    for line in DETECTED[form]:
        assert line in result.output.splitlines(), result.output
    assert "valid (blina-synthetic 1.0" in result.output


def test_validate_prints_what_it_detected_also_when_refusing(tmp_path):
    rows = map_column(rows_of(P), "age", {rows_of(P)[1][1]: "сорок"})
    folder = write_form(tmp_path / "ds", {P: csv_text(rows, "\t").encode(),
                                          AE: (SYNTHETIC / AE).read_bytes()})
    result = CliRunner().invoke(main, ["validate", str(folder)])
    assert result.exit_code == 1
    assert "read patients.csv: CSV, delimiter tab; encoding UTF-8" in result.output
    assert "patients.csv:2, column 'age', value 'сорок': must be a whole number" in result.output
    # also when the header cannot be read: the delimiter found explains "missing" columns
    (folder / P).write_text(csv_text(rows_of(P), "|"), encoding="utf-8")
    result = CliRunner().invoke(main, ["validate", str(folder)])
    assert "read patients.csv: CSV, delimiter ','; encoding UTF-8" in result.output
    assert problems(folder) == [Issue(
        P, 1, None, _short("|".join(rows_of(P)[0])), "the header names none of the format's "
        "columns: the first non-empty row must be the header, with the columns delimited by ',', "
        "';' or tab")]


# --- one message per problem --------------------------------------------------------------------

def problems(folder: Path) -> list[Issue]:
    with pytest.raises(DataValidationError) as info:
        load(folder)
    return info.value.issues


def test_a_column_wrong_on_every_row_is_one_line(dataset_dir):
    rows = map_column(rows_of(P), "sex", {"M": "муж", "F": "жен"})
    (dataset_dir / P).write_text(csv_text(rows), encoding="utf-8")
    n_m = sum(r[2] == "M" for r in rows_of(P)[1:])
    [issue] = problems(dataset_dir)
    assert issue == Issue(
        P, None, "sex", None,
        f"must be one of: M, F — 66 rows (lines 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, ...); values "
        f"'муж' ×{n_m}, 'жен' ×{66 - n_m}; if they stand for M, F, map them in dataset.yaml, e.g. "
        "`values: {sex: {муж: ...}}`")


def test_the_mapping_the_message_suggests_reads_the_column(dataset_dir, original):
    rows = map_column(rows_of(P), "sex", {"M": "Муж", "F": "ЖЕН"})
    (dataset_dir / P).write_text(csv_text(rows), encoding="utf-8")
    with open(dataset_dir / META, "a", encoding="utf-8") as fh:
        fh.write("values:\n  sex: {муж: M, жен: F}\n")
    pd.testing.assert_frame_equal(load(dataset_dir).patients, original[0].patients)


def test_a_number_column_wrong_on_many_rows_is_one_line(dataset_dir):
    rows = rows_of(P)
    j = rows[0].index("age")
    for r in rows[1:11]:
        r[j] = r[j] + " years"
    (dataset_dir / P).write_text(csv_text(rows), encoding="utf-8")
    [issue] = problems(dataset_dir)
    assert issue.column == "age" and issue.line is None
    assert issue.rule.startswith("must be a whole number — 10 rows (lines 2, 3, 4, 5, 6, 7, 8, 9, "
                                 "10, 11); values ")


@pytest.mark.parametrize("spellings", [{"MRD": "MRD+", "RR": "R/R"}, {"RR": "R/R"},
                                       {"MRD": "MRD+"}])
def test_group_written_otherwise_is_one_error_without_cascades(dataset_dir, spellings):
    rows = map_column(rows_of(P), "group", spellings)
    (dataset_dir / P).write_text(csv_text(rows), encoding="utf-8")
    issues = problems(dataset_dir)
    assert [i.column for i in issues] == ["group"], issues
    for old, new in spellings.items():
        assert repr(new) in issues[0].rule


@pytest.mark.parametrize("value", ["MRD+", "R/R", "mrd", ""])
def test_one_invalid_group_cell_is_one_error(dataset_dir, value):
    """Rules that read ``group`` (response required / forbidden, response date, relapse after
    remission) are not reported on top of the invalid cell, for a responder of either group."""
    rows = rows_of(P)
    g, d = rows[0].index("group"), rows[0].index("response_date")
    mrd_responder = next(i for i, r in enumerate(rows) if r[g] == "MRD" and r[d])
    rr_responder = next(i for i, r in enumerate(rows) if r[g] == "RR" and r[d])
    for i in (mrd_responder, rr_responder):
        rows[i][g] = value
    (dataset_dir / P).write_text(csv_text(rows), encoding="utf-8")
    rule = "required: must not be empty" if value == "" else "must be one of: MRD, RR"
    assert problems(dataset_dir) == [Issue(P, i + 1, "group", value or None, rule)
                                     for i in sorted((mrd_responder, rr_responder))]


class _Recorder:
    """A frame that notes which columns are read."""

    def __init__(self, frame: pd.DataFrame):
        self.frame, self.read = frame, set()

    @property
    def index(self):
        return self.frame.index

    def __getitem__(self, column):
        self.read.add(column)
        return self.frame[column]


@pytest.mark.parametrize("rule", schema.PATIENT_RULES + schema.AE_RULES,
                         ids=lambda r: f"{r.column}: {r.text}")
def test_every_rule_declares_the_columns_it_reads(rule, original):
    """``uses`` is what keeps an invalid cell from cascading, so it must be complete."""
    ds = original[0]
    patients = ds.patients.set_index("patient_id", drop=False)
    ctx = {"cutoff_date": ds.meta.cutoff_date, "patient_ids": set(ds.patients["patient_id"]),
           "start_by_id": patients["bc_start_date"], "last_by_id": patients["last_followup_date"],
           "cycles_by_id": patients["cycles"]}
    frame = ds.patients if rule in schema.PATIENT_RULES else ds.adverse_events
    recorder = _Recorder(frame)
    rule.ok(recorder, ctx)
    assert recorder.read <= set(rule.columns)


def test_slash_dates_are_one_message_per_column(dataset_dir):
    rows = rows_of(P)
    for column in ("bc_start_date", "death_date"):
        j = rows[0].index(column)
        for r in rows[1:]:
            r[j] = re.sub(r"^(\d{4})-(\d{2})-(\d{2})$", r"\2/\3/\1", r[j])
    (dataset_dir / P).write_text(csv_text(rows), encoding="utf-8")
    issues = problems(dataset_dir)
    assert [i.column for i in issues] == ["bc_start_date", "death_date"], issues
    for issue in issues:
        assert "dates written with '/' are ambiguous (day/month or month/day?): write them as " \
               "YYYY-MM-DD or DD.MM.YYYY — " in issue.rule


def test_one_slash_date_is_one_message_with_its_line(dataset_dir):
    rows = rows_of(P)
    j = rows[0].index("bc_start_date")
    value = re.sub(r"^(\d{4})-(\d{2})-(\d{2})$", r"\3/\2/\1", rows[5][j])
    rows[5][j] = value
    (dataset_dir / P).write_text(csv_text(rows), encoding="utf-8")
    assert problems(dataset_dir) == [Issue(P, 6, "bc_start_date", value, (
        "dates written with '/' are ambiguous (day/month or month/day?): write them as YYYY-MM-DD "
        "or DD.MM.YYYY"))]


def test_day_first_dates_are_read_and_impossible_ones_refused(dataset_dir):
    rows = day_first(rows_of(P))
    j = rows[0].index("bc_start_date")
    rows[1][j] = "5.4.2017"  # one-digit day and month
    rows[2][j] = "31.04.2017"
    (dataset_dir / P).write_text(csv_text(rows), encoding="utf-8")
    issues = problems(dataset_dir)
    assert Issue(P, 3, "bc_start_date", "31.04.2017",
                 "must be a date YYYY-MM-DD or DD.MM.YYYY") in issues
    assert not [i for i in issues if i.line == 2 and i.column == "bc_start_date"]


@pytest.mark.parametrize("delimiter", [",", "\t"])
def test_decimal_comma_only_with_semicolon(dataset_dir, delimiter):
    """With ``,`` or tab, ``1,5`` may be a thousands separator: refused, not guessed."""
    rows = rows_of(P)
    j = rows[0].index("marrow_blasts_pct")
    i = next(i for i, r in enumerate(rows) if i and r[j])
    rows[i][j] = "40,5"
    (dataset_dir / P).write_text(csv_text(rows, delimiter), encoding="utf-8")
    assert Issue(P, i + 1, "marrow_blasts_pct", "40,5", "must be a number") in problems(dataset_dir)


def test_decimal_comma_with_semicolon(dataset_dir):
    rows = rows_of(P)
    j = rows[0].index("marrow_blasts_pct")
    i = next(i for i, r in enumerate(rows) if i and r[j])
    rows[i][j] = "40,5"
    (dataset_dir / P).write_text(csv_text(rows, ";"), encoding="utf-8")
    assert load(dataset_dir).patients.loc[i - 1, "marrow_blasts_pct"] == 40.5


# --- header -------------------------------------------------------------------------------------

def test_header_ignores_letter_case_and_spaces(dataset_dir, original):
    rows = rows_of(P)
    rows[0] = [f"  {h.title()} " for h in rows[0]]
    (dataset_dir / P).write_text(csv_text(rows), encoding="utf-8")
    pd.testing.assert_frame_equal(load(dataset_dir).patients, original[0].patients)


@pytest.mark.parametrize(("written", "column"), [("patientid", "patient_id"),
                                                 ("Patient ID", "patient_id"),
                                                 ("bc_start", "bc_start_date"),
                                                 ("last_follow_up_date", "last_followup_date")])
def test_near_miss_in_header_gets_did_you_mean(dataset_dir, written, column):
    rows = rows_of(P)
    rows[0][rows[0].index(column)] = written
    (dataset_dir / P).write_text(csv_text(rows), encoding="utf-8")
    assert problems(dataset_dir) == [Issue(
        P, 1, column, None, f"required column is missing from the header (did you mean {written!r}?)")]


def test_header_in_the_same_letters_twice_is_a_duplicate(dataset_dir):
    rows = [r + [r[1]] for r in rows_of(P)]
    rows[0][-1] = " AGE"
    (dataset_dir / P).write_text(csv_text(rows), encoding="utf-8")
    assert problems(dataset_dir) == [Issue(P, 1, "age", None,
                                           "column appears more than once in the header")]


# --- encodings ----------------------------------------------------------------------------------

def _cyrillic_events(dataset_dir: Path, encoding: str) -> None:
    rows = map_column(rows_of(AE), "term", {"headache": "головная боль", "pyrexia": "лихорадка"})
    (dataset_dir / AE).write_bytes(csv_text(rows).encode(encoding))


@pytest.mark.parametrize(("encoding", "named"), [("cp1251", "cp1251, Windows Cyrillic"),
                                                 ("koi8-r", "koi8-r, KOI8-R Cyrillic"),
                                                 ("cp866", "cp866, DOS Cyrillic")])
def test_undeclared_encoding_is_named_with_the_fix(dataset_dir, encoding, named):
    _cyrillic_events(dataset_dir, encoding)
    [issue] = problems(dataset_dir)
    assert (issue.file, issue.column) == (AE, None) and issue.line > 1
    codec = named.split(",")[0]
    assert issue.rule == (f"not UTF-8 text (it looks like {named}): declare `encoding: {codec}` "
                          "in dataset.yaml, or save the file as UTF-8")


@pytest.mark.parametrize("declared", ["cp1251", "windows-1251", "CP1251"])
def test_declared_encoding_is_read(dataset_dir, declared):
    _cyrillic_events(dataset_dir, "cp1251")
    with open(dataset_dir / META, "a", encoding="utf-8") as fh:
        fh.write(f"encoding: {declared}\n")
    events = load(dataset_dir).adverse_events
    assert "головная боль" in set(events["term"]) and "лихорадка" in set(events["term"])


@pytest.mark.parametrize("declared", ["cp-9999", "base64", "[cp1251]"])
def test_unknown_encoding_is_refused(dataset_dir, declared):
    with open(dataset_dir / META, "a", encoding="utf-8") as fh:
        fh.write(f"encoding: {declared}\n")
    [issue] = problems(dataset_dir)
    assert (issue.file, issue.column) == (META, "encoding")
    assert issue.rule.startswith("not a known text encoding")


def test_dataset_yaml_not_utf8_says_save_as_utf8(dataset_dir):
    text = (dataset_dir / META).read_text(encoding="utf-8").replace("Synthetic", "Синтетическая")
    (dataset_dir / META).write_bytes(text.encode("cp1251"))
    [issue] = problems(dataset_dir)
    assert issue.file == META
    assert issue.rule == "not UTF-8 text (it looks like cp1251, Windows Cyrillic): save it as UTF-8"


# --- Excel --------------------------------------------------------------------------------------

def test_xlsx_line_numbers_are_sheet_rows(dataset_dir):
    rows = typed_rows(rows_of(P))
    rows[4][1] = "forty"  # the 4th patient, on sheet row 5 + 2 (the header is on row 3)
    (dataset_dir / P).unlink()
    (dataset_dir / P_XLSX).write_bytes(workbook(rows, first_row=3))
    assert problems(dataset_dir) == [Issue(P_XLSX, 7, "age", "forty", "must be a whole number")]


def test_xlsx_typed_cells_of_the_wrong_kind(dataset_dir):
    rows = typed_rows(rows_of(P))
    header = rows[0]
    rows[1][header.index("bc_start_date")] = dt.datetime(2017, 4, 15, 13, 30)
    rows[2][header.index("death")] = 1
    rows[3][header.index("age")] = 45.5
    (dataset_dir / P).unlink()
    (dataset_dir / P_XLSX).write_bytes(workbook(rows))
    issues = problems(dataset_dir)
    assert Issue(P_XLSX, 2, "bc_start_date", "2017-04-15 13:30:00",
                 "must be a date YYYY-MM-DD or DD.MM.YYYY") in issues
    assert Issue(P_XLSX, 3, "death", "1", "must be true or false") in issues
    assert Issue(P_XLSX, 4, "age", "45.5", "must be a whole number") in issues


def test_both_forms_of_a_table_are_refused(dataset_dir):
    (dataset_dir / AE_XLSX).write_bytes(workbook(rows_of(AE)))
    before = {p.name: p.read_bytes() for p in dataset_dir.iterdir()}
    assert problems(dataset_dir) == [Issue(
        AE, None, None, None, "adverse_events.csv and adverse_events.xlsx are both in the folder: "
        "keep one of them (one table, one file)")]
    assert {p.name: p.read_bytes() for p in dataset_dir.iterdir()} == before


@pytest.mark.parametrize("data", [b"", b"not a zip at all", b"PK\x03\x04" + bytes(100)])
def test_broken_workbook_is_refused_against_its_file(dataset_dir, data):
    (dataset_dir / P).unlink()
    (dataset_dir / P_XLSX).write_bytes(data)
    issues = problems(dataset_dir)
    assert [i.file for i in issues] == [P_XLSX]
    result = CliRunner().invoke(main, ["validate", str(dataset_dir)])
    assert result.exit_code == 1 and "Traceback" not in result.output


def test_empty_first_sheet(dataset_dir):
    (dataset_dir / P).unlink()
    book = Workbook()
    book.create_sheet("data").append(["patient_id"])
    (dataset_dir / P_XLSX).write_bytes(workbook_bytes(book))
    assert problems(dataset_dir) == [Issue(P_XLSX, None, None, None, "the first sheet is empty")]


def test_a_value_mapped_to_empty_is_missing(dataset_dir):
    """``values: {col: {н/д: ""}}`` makes a cell missing; a required one is then reported."""
    rows = rows_of(P)
    j = rows[0].index("age")
    rows[3][j] = "н/д"
    (dataset_dir / P).write_text(csv_text(rows), encoding="utf-8")
    with open(dataset_dir / META, "a", encoding="utf-8") as fh:
        fh.write('values: {age: {Н/Д: ""}, marrow_blasts_pct: {н/д: ""}}\n')
    assert problems(dataset_dir) == [Issue(P, 4, "age", "н/д", "required: must not be empty")]


def test_a_file_name_in_capitals_is_pointed_at(dataset_dir):
    (dataset_dir / AE).rename(dataset_dir / "Adverse_Events.CSV")
    assert problems(dataset_dir) == [Issue(
        AE, None, None, None, "required file is missing (or adverse_events.xlsx); found "
        "'Adverse_Events.CSV': name it in lower case")]


def test_a_patient_id_typed_true_in_excel_stays_text(tmp_path):
    """Excel stores a cell typed TRUE as a boolean. In a text column (a patient ID) it is the text
    Excel shows, "TRUE", never turned into the boolean spelling "true" (issue 20); the boolean
    columns of the same workbook still read as booleans."""
    p, ae = (typed_rows(rows_of(name)) for name in (P, AE))
    old = p[1][0]
    p[1][0] = True
    for row in ae[1:]:
        if row[0] == old:
            row[0] = True
    ds = load(write_form(tmp_path / "ds", {P_XLSX: workbook(p), AE_XLSX: workbook(ae)}))
    assert ds.patients["patient_id"].iloc[0] == "TRUE"
    n_events = sum(1 for row in rows_of(AE)[1:] if row[0] == old)
    assert n_events and (ds.adverse_events["patient_id"] == "TRUE").sum() == n_events
    assert ds.patients["prior_allo_hsct"].iloc[0] == (rows_of(P)[1][4] == "true")
