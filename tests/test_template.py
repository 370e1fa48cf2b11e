"""``blina template DIR`` (issue 9, section 4): an empty dataset to fill in, written from the schema;
a dataset filled in from it validates; it never overwrites anything."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from openpyxl import load_workbook
from openpyxl.utils import column_index_from_string

from blina_analysis.cli import main
from blina_analysis.data import schema
from blina_analysis.data.io import load
from blina_analysis.errors import DataValidationError, Issue

TABLES = {"patients": schema.PATIENT_COLUMNS, "adverse_events": schema.AE_COLUMNS}
FILES = ["dataset.yaml", "patients.xlsx", "adverse_events.xlsx", "csv/patients.csv",
         "csv/adverse_events.csv"]


def run_template(folder: Path):
    return CliRunner().invoke(main, ["template", str(folder)])


@pytest.fixture
def template(tmp_path) -> Path:
    folder = tmp_path / "new-dataset"
    result = run_template(folder)
    assert result.exit_code == 0, result.output
    return folder


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_template_writes_the_files(template):
    assert sorted(files_of(template)) == sorted(FILES)


@pytest.mark.parametrize("stem", TABLES)
def test_workbook_header_and_csv_header_match_the_schema(template, stem):
    names = [c.name for c in TABLES[stem]]
    sheet = load_workbook(template / f"{stem}.xlsx").worksheets[0]
    assert [c.value for c in sheet[1]] == names
    assert sheet.max_row == 1  # empty
    assert (template / "csv" / f"{stem}.csv").read_text(encoding="utf-8") == ",".join(names) + "\n"


@pytest.mark.parametrize("stem", TABLES)
def test_every_categorical_column_has_a_drop_down(template, stem):
    sheet = load_workbook(template / f"{stem}.xlsx").worksheets[0]
    lists = {}
    for check in sheet.data_validations.dataValidation:
        if check.type == "list":
            for ref in str(check.sqref).split():
                first, last = ref.split(":")
                column = column_index_from_string(re.match(r"[A-Z]+", first).group())
                assert first[len(re.match(r"[A-Z]+", first).group()):] == "2"
                assert last.endswith("1048576")
                lists[TABLES[stem][column - 1].name] = check.formula1
    expected = {c.name: '"' + ",".join(c.allowed or ("true", "false")) + '"'
                for c in TABLES[stem] if c.kind in ("category", "bool")}
    assert expected and lists == expected


@pytest.mark.parametrize("stem", TABLES)
def test_second_sheet_is_the_data_dictionary(template, stem):
    book = load_workbook(template / f"{stem}.xlsx")
    assert book.sheetnames[1] == "dictionary"
    rows = [[c for c in row] for row in book["dictionary"].iter_rows(values_only=True)]
    table = schema.data_dictionary(TABLES[stem])
    assert list(rows[0][:4]) == list(table.columns)
    for row, expected in zip(rows[1:], table.itertuples(index=False)):
        assert list(row[:4]) == [v.replace("`", "") for v in expected]
    rules = schema.PATIENT_RULES if stem == "patients" else schema.AE_RULES
    assert [list(r[:2]) for r in rows[len(table) + 3:]] == [
        [r.column, r.text.replace("`", "")] for r in rules]


def test_dataset_yaml_comments_every_field(template):
    text = (template / "dataset.yaml").read_text(encoding="utf-8")
    comments = " ".join(line[1:].strip() for line in text.splitlines() if line.startswith("#"))
    for spec in schema.DATASET_FIELDS + schema.READING_FIELDS:
        assert f"{spec.name} (" in comments
        assert spec.meaning.replace("`", "") in comments
    for spec in schema.DATASET_FIELDS:
        assert re.search(rf"^{spec.name}:", text, re.M)
    # the optional fields are examples, commented out; uncommented they are valid
    uncommented = yaml.safe_load(re.sub(r"^# (encoding|values):", r"\1:", text, flags=re.M))
    assert uncommented["encoding"] == "cp1251" and uncommented["values"]["sex"] == {"муж": "M",
                                                                                      "жен": "F"}


def test_the_untouched_template_says_what_to_fill_in(template):
    with pytest.raises(DataValidationError) as info:
        load(template)
    assert info.value.issues == [
        *(Issue("dataset.yaml", None, f, None, "required field is missing")
          for f in ("cutoff_date", "description", "name", "version")),
        Issue("patients.xlsx", None, None, None,
              "no patients: the file has a header but no data rows")]


def fill_yaml(folder: Path) -> None:
    text = (folder / "dataset.yaml").read_text(encoding="utf-8")
    for field, value in {"name": "city-hospital", "version": '"2024-06"',
                         "cutoff_date": "2018-06-30", "description": "Our patients."}.items():
        text = re.sub(rf"^{field}:$", f"{field}: {value}", text, flags=re.M)
    (folder / "dataset.yaml").write_text(text, encoding="utf-8")


PATIENTS = [  # as a coordinator would fill the workbook: typed dates, drop-down values, numbers
    {"patient_id": "H-01", "age": 45, "sex": "M", "group": "RR", "prior_allo_hsct": "false",
     "cytogenetic_risk": "high", "marrow_blasts_pct": 40.5,
     "bc_start_date": dt.datetime(2017, 4, 15), "cycles": 2, "hematologic_response": "CR",
     "mrd_response": "negative", "response_date": dt.datetime(2017, 6, 1),
     "hsct_after_bc": "true", "hsct_after_bc_date": dt.datetime(2017, 8, 1), "relapse": "false",
     "death": "false", "last_followup_date": dt.datetime(2018, 6, 1), "bc_interrupted": "false",
     "bc_stopped_early": "false"},
    {"patient_id": "H-02", "age": 61, "sex": "F", "group": "MRD", "prior_allo_hsct": True,
     "bc_start_date": "03.02.2016", "cycles": 4, "mrd_response": "positive", "hsct_after_bc": False,
     "relapse": True, "relapse_date": dt.datetime(2016, 9, 9), "death": True,
     "death_date": dt.datetime(2017, 1, 2), "last_followup_date": dt.datetime(2017, 1, 2),
     "bc_interrupted": True, "bc_stopped_early": False},
    {"patient_id": "H-03", "age": 23, "sex": "F", "group": "RR", "prior_allo_hsct": "false",
     "ph_status": "positive", "marrow_blasts_pct": 90, "bc_start_date": dt.date(2018, 1, 10),
     "cycles": 1, "hematologic_response": "NR", "hsct_after_bc": "false", "relapse": "false",
     "death": "false", "last_followup_date": dt.datetime(2018, 3, 1), "bc_interrupted": "false",
     "bc_stopped_early": "true"},
]
EVENTS = [
    {"patient_id": "H-01", "term": "cytokine release syndrome", "category": "CRS", "grade": 2,
     "onset_date": dt.datetime(2017, 4, 16)},
    {"patient_id": "H-02", "term": "тремор", "category": "neurologic", "grade": 3},
]


def fill_workbook(path: Path, records: list[dict]) -> None:
    book = load_workbook(path)
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    for record in records:
        sheet.append([record.get(name) for name in header])
    book.save(path)


def test_a_filled_template_validates(template):
    fill_yaml(template)
    fill_workbook(template / "patients.xlsx", PATIENTS)
    fill_workbook(template / "adverse_events.xlsx", EVENTS)
    ds = load(template)
    p = ds.patients.set_index("patient_id")
    assert list(p.index) == ["H-01", "H-02", "H-03"]
    assert p.loc["H-01", "marrow_blasts_pct"] == 40.5 and p.loc["H-02", "prior_allo_hsct"]
    assert p.loc["H-02", "bc_start_date"] == dt.datetime(2016, 2, 3)
    assert p.loc["H-03", "bc_start_date"] == dt.datetime(2018, 1, 10)
    assert list(ds.adverse_events["grade"]) == [2, 3]
    assert ds.meta.synthetic is False and ds.meta.name == "city-hospital"
    result = CliRunner().invoke(main, ["validate", str(template)])
    assert result.exit_code == 0, result.output
    assert "3 patients (1 MRD, 2 R/R), 2 adverse events" in result.output
    assert "read patients.xlsx: Excel workbook, first sheet 'patients'" in result.output


def test_a_filled_template_reports_problems_with_sheet_rows(template):
    fill_yaml(template)
    fill_workbook(template / "patients.xlsx", PATIENTS[:1] + [dict(PATIENTS[1], group="MRD+")])
    fill_workbook(template / "adverse_events.xlsx", EVENTS[:1])
    with pytest.raises(DataValidationError) as info:
        load(template)
    assert info.value.issues == [Issue("patients.xlsx", 3, "group", "MRD+",
                                       "must be one of: MRD, RR")]


def test_the_csv_form_of_the_template(template):
    """Moving the CSV headers up and deleting the workbooks gives the same empty dataset."""
    fill_yaml(template)
    for stem in TABLES:
        (template / f"{stem}.xlsx").unlink()
        shutil.move(template / "csv" / f"{stem}.csv", template / f"{stem}.csv")
    with pytest.raises(DataValidationError) as info:
        load(template)
    assert info.value.issues == [Issue("patients.csv", None, None, None,
                                       "no patients: the file has a header but no data rows")]


def test_template_is_the_same_every_time(tmp_path):
    for name in ("a", "b"):
        assert run_template(tmp_path / name).exit_code == 0
    assert files_of(tmp_path / "a") == files_of(tmp_path / "b")


def test_template_refuses_a_folder_holding_anything(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    (folder / "patients.csv").write_bytes(b"real data\n")
    (folder / ".hidden").write_bytes(b"x")
    before = files_of(folder)
    result = run_template(folder)
    assert result.exit_code == 1
    assert "not empty" in result.output and "Traceback" not in result.output
    assert files_of(folder) == before


def test_template_refuses_a_file(tmp_path):
    file = tmp_path / "notes.txt"
    file.write_bytes(b"keep me")
    result = run_template(file)
    assert result.exit_code == 1 and "is a file" in result.output
    assert file.read_bytes() == b"keep me"


def test_template_into_an_empty_folder(tmp_path):
    (tmp_path / "empty").mkdir()
    assert run_template(tmp_path / "empty").exit_code == 0
    assert sorted(files_of(tmp_path / "empty")) == sorted(FILES)
