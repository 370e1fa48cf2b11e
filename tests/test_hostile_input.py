"""Hostile input: a corpus of broken datasets, and random tables fed to the loader.

The loader must never crash: any input either loads as a :class:`~blina_analysis.data.io.Dataset` or is
rejected with the project's own :class:`~blina_analysis.errors.DataValidationError`, whose issues
name file, line and column; ``blina validate`` then exits 1 without a traceback.

The corpus lives in ``tests/data_corpus/<case>/`` (made by ``tests/data_corpus/make_corpus.py``);
each case has an ``expected.txt``: ``valid``, or every issue the loader reports, one per line.
"""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from blina_analysis.data import schema
from blina_analysis.cli import main
from blina_analysis.errors import DataValidationError, Issue
from blina_analysis.data.io import Dataset, load
from blina_analysis.data.synthetic import _csv_text

SYNTHETIC = Path(__file__).resolve().parent.parent / "data" / "synthetic"

CORPUS = Path(__file__).resolve().parent / "data_corpus"
CASES = sorted(p.name for p in CORPUS.iterdir() if (p / "expected.txt").is_file())
FILES = (schema.DATASET_FILE, schema.PATIENTS_FILE, schema.AE_FILE)
#: Every file name an issue may carry: the CSV files, their Excel forms, and the old .xls refused.
NAMES = FILES + tuple(name.replace(".csv", suffix) for name in FILES[1:]
                      for suffix in (".xlsx", ".xls"))


def expected_lines(case: str) -> list[str]:
    text = (CORPUS / case / "expected.txt").read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.strip() and not line.startswith("#")]


def outcome(folder: Path) -> list[str]:
    """``["valid"]`` or the issues, as ``str(Issue)``; anything else the loader raises propagates."""
    try:
        load(folder)
    except DataValidationError as exc:
        return [str(i) for i in exc.issues]
    return ["valid"]


# --- the corpus ---------------------------------------------------------------------------------

def test_corpus_is_there_and_small():
    assert len(CASES) >= 20
    for case in CASES:
        for file in (CORPUS / case).iterdir():
            assert file.stat().st_size < 8_000, file


def test_corpus_is_what_make_corpus_writes(tmp_path):
    """The committed files are exactly what the generator script writes (no hand edits lost)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_corpus", CORPUS / "make_corpus.py")
    make_corpus = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_corpus)
    make_corpus.write(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == CASES
    for case in CASES:
        made = {p.name: p.read_bytes() for p in (tmp_path / case).iterdir()}
        committed = {p.name: p.read_bytes() for p in (CORPUS / case).iterdir()}
        assert made == committed, case


@pytest.mark.parametrize("case", CASES)
def test_corpus_case(case):
    expected = expected_lines(case)
    got = outcome(CORPUS / case)
    if expected == ["valid"]:
        assert got == ["valid"], "\n".join(got)
        return
    assert expected != [] and got != ["valid"], f"{case} was accepted"
    listing = "\n".join(got)
    assert sorted(got) == sorted(expected), f"reported:\n{listing}"
    for line in got:  # every issue names its file; a problem in a CSV row names line and column
        assert line.split(":")[0].split(",")[0] in NAMES, line


@pytest.mark.parametrize("case", CASES)
def test_corpus_case_cli(case):
    result = CliRunner().invoke(main, ["validate", str(CORPUS / case)])
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    expected = expected_lines(case)
    if expected == ["valid"]:
        assert result.exit_code == 0, result.output
        assert "valid" in result.output
    else:
        assert result.exit_code == 1, result.output
        for line in expected:
            assert line in result.output


def test_rejected_rows_name_file_line_and_column():
    """Where a problem is in a cell, the issue carries file, line and column (not just a text)."""
    with pytest.raises(DataValidationError) as info:
        load(CORPUS / "wrong_types")
    for issue in info.value.issues:
        assert issue.file in FILES and issue.line is not None and issue.column is not None
        assert issue.value is not None


def test_bom_crlf_loads_like_the_plain_files():
    plain, bom = load(CORPUS / "valid_small"), load(CORPUS / "bom_crlf")
    pd.testing.assert_frame_equal(plain.patients, bom.patients)
    pd.testing.assert_frame_equal(plain.adverse_events, bom.adverse_events)
    assert plain.meta == bom.meta
    assert list(bom.patients.columns)[0] == "patient_id"  # not "\ufeffpatient_id"


def test_quoted_fields_keep_their_commas():
    ds = load(CORPUS / "quoted_commas")
    assert "rash, maculopapular" in set(ds.adverse_events["term"])
    assert len(ds.patients) == 4


def test_missing_folder(tmp_path):
    missing = tmp_path / "no" / "such" / "folder"
    with pytest.raises(DataValidationError) as info:
        load(missing)
    [issue] = info.value.issues
    assert issue.file == str(missing) and "no such folder" in issue.rule
    result = CliRunner().invoke(main, ["validate", str(missing)])
    assert result.exit_code == 1
    assert "no such folder" in result.output and "Traceback" not in result.output


def test_a_file_instead_of_a_folder():
    with pytest.raises(DataValidationError, match="no such folder"):
        load(CORPUS / "valid_small" / schema.PATIENTS_FILE)


@pytest.mark.parametrize("file", FILES)
@pytest.mark.parametrize("content", [b"", b"\x00\x01\x02garbage\xff", b"\xff\xfe\xfd", b"\n\n\n",
                                     b"\xef\xbb\xbf", b"\"", b",,,\n,,,\n", b"::\n- [\n"],
                         ids=["empty", "nul", "not-utf8", "newlines", "bom-only", "quote",
                              "commas", "yamlish"])
def test_any_single_broken_file_is_reported_against_that_file(tmp_path, file, content):
    folder = Path(shutil.copytree(CORPUS / "valid_small", tmp_path / "ds"))
    (folder / "expected.txt").unlink()
    (folder / file).write_bytes(content)
    with pytest.raises(DataValidationError) as info:
        load(folder)
    assert any(i.file == file for i in info.value.issues), info.value.issues
    result = CliRunner().invoke(main, ["validate", str(folder)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert file in result.output


# --- property-based: random tables --------------------------------------------------------------

def _column_values(file: str) -> dict[str, list[str]]:
    with open(SYNTHETIC / file, newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return {c: sorted({r[c] for r in rows}) for c in rows[0]}


VALID_CELLS = {schema.PATIENTS_FILE: _column_values(schema.PATIENTS_FILE),
               schema.AE_FILE: _column_values(schema.AE_FILE)}
JUNK = ["", " ", "NA", "null", "None", "nan", "NaN", "inf", "-inf", "1e400", "-1e400", "9" * 40,
        "-" + "9" * 40, "0x1F", "1_000", "١٢", "１２", "2019-02-30", "0000-00-00", "9999-12-31",
        "1677-09-21", "2262-04-12", "TRUE", "False", "yes", "1", "0", "-0", "+5", ".5", "5.",
        '"', "a,b", "a\nb", "a\r\nb", "\ufeff", "\u2028", "é", "𝔘𝔫𝔦", "=cmd|' /C calc'!A0",
        "M", "F", "RR", "MRD", "CR", "NR", "negative", "standard", "CRS", "x" * 200]
TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)
META_TEXT = (SYNTHETIC / schema.DATASET_FILE).read_text(encoding="utf-8")
BROKEN_META = [
    META_TEXT, META_TEXT, META_TEXT, "", "- a\n- b\n", "name: [\n", "just text\n", "{}\n",
    META_TEXT.replace("2018-06-30", "2018-02-30"), META_TEXT.replace("true", "[1, 2]"),
    META_TEXT.replace("cutoff_date: 2018-06-30", "cutoff_date: !!timestamp 2018-02-30"),
    META_TEXT.replace("name:", "name: !!binary notbase64"), "a: &a [*a]\n", "[" * 5000,
]


def _cell(file: str, column: str) -> st.SearchStrategy[str]:
    valid = VALID_CELLS[file].get(column, [""])
    return st.one_of(st.sampled_from(valid), st.sampled_from(valid), st.sampled_from(JUNK), TEXT)


@st.composite
def tables(draw, file: str, ids: list[str] | None = None) -> str:
    """CSV text: a random subset and order of the real columns (maybe more, maybe twice), random
    rows of cells mixing valid values, junk, unicode and empty; sometimes ragged, BOM or CRLF."""
    real = list(VALID_CELLS[file])
    columns = draw(st.lists(st.sampled_from(real), unique=True, min_size=len(real) - 2))
    columns = draw(st.permutations(columns))
    columns += draw(st.lists(st.sampled_from(["", "extra", "age", "patient_id", "Patient_ID"]),
                             max_size=1))
    n_rows = draw(st.integers(0, 5))
    rows = []
    for _ in range(n_rows):
        row = []
        for c in columns:
            if c == "patient_id" and ids and draw(st.booleans()):
                row.append(draw(st.sampled_from(ids)))
            else:
                row.append(draw(_cell(file, c)))
        if draw(st.integers(0, 19)) == 0:  # now and then a ragged row
            row = row[:-1] if draw(st.booleans()) else row + ["surplus"]
        rows.append(row)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=draw(st.sampled_from(["\n", "\r\n"])))
    writer.writerow(columns)
    writer.writerows(rows)
    return draw(st.sampled_from(["", "", "\ufeff"])) + out.getvalue()


@st.composite
def datasets(draw) -> dict[str, str]:
    patients = draw(tables(schema.PATIENTS_FILE))
    ids = [line.split(",")[0] for line in patients.splitlines()[1:]] or None
    return {schema.DATASET_FILE: draw(st.sampled_from(BROKEN_META) | TEXT),
            schema.PATIENTS_FILE: patients,
            schema.AE_FILE: draw(tables(schema.AE_FILE, ids))}


def _check_outcome(folder: Path) -> None:
    try:
        ds = load(folder)
    except DataValidationError as exc:
        assert exc.issues and all(isinstance(i, Issue) for i in exc.issues)
        assert str(exc)  # printable
        for issue in exc.issues:
            assert issue.file in FILES or issue.file == str(folder)
            assert issue.line is None or issue.line >= 1
        return
    assert isinstance(ds, Dataset)
    assert len(ds.patients) > 0
    assert ds.patients["patient_id"].is_unique
    for spec in schema.PATIENT_COLUMNS:
        if spec.kind == "date":
            assert pd.api.types.is_datetime64_any_dtype(ds.patients[spec.name])
        elif spec.kind == "bool":
            assert ds.patients[spec.name].dtype == bool
        elif spec.kind == "integer":
            assert ds.patients[spec.name].dtype == "int64"


# derandomize: the same examples on every run (in CI too); a failure names its example
PROPERTY = settings(max_examples=100, deadline=None, database=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@PROPERTY
@given(datasets())
def test_random_tables_are_accepted_or_rejected_cleanly(files):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name, text in files.items():
            (folder / name).write_text(text, encoding="utf-8", newline="")
        _check_outcome(folder)


@settings(max_examples=60, deadline=None, database=None, derandomize=True)
@given(st.sampled_from(FILES), st.binary(max_size=300))
def test_random_bytes_are_accepted_or_rejected_cleanly(file, data):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(shutil.copytree(CORPUS / "valid_small", Path(tmp) / "ds"))
        (folder / file).write_bytes(data)
        _check_outcome(folder)


# --- property-based: accepted data survives a round trip ----------------------------------------

def _read(file: Path) -> tuple[list[str], list[dict[str, str]]]:
    with open(file, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
        return list(reader.fieldnames), rows


SAFE_TEXT = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1,
                    max_size=15).filter(lambda s: s.strip() != "")


BOOL_COLUMNS = {c.name for c in schema.PATIENT_COLUMNS if c.kind == "bool"}


@st.composite
def valid_variants(draw) -> dict[str, bytes]:
    """The shipped data, a random subset of patients, written in the many ways the contract allows:
    any column order, optional and extra columns, booleans in any case, padded cells, odd IDs and
    terms (unicode, commas, quotes), decimals in the blast counts, BOM and CRLF."""
    p_header, patients = _read(SYNTHETIC / schema.PATIENTS_FILE)
    a_header, events = _read(SYNTHETIC / schema.AE_FILE)
    keep = draw(st.lists(st.sampled_from(range(len(patients))), unique=True, min_size=1,
                         max_size=6))
    patients = [dict(patients[i]) for i in sorted(keep)]
    new_ids = draw(st.lists(SAFE_TEXT, unique_by=str.strip, min_size=len(patients),
                            max_size=len(patients)))
    rename = {p["patient_id"]: new.strip() for p, new in zip(patients, new_ids)}
    events = [dict(e, patient_id=rename[e["patient_id"]]) for e in events
              if e["patient_id"] in rename]
    for p in patients:
        p["patient_id"] = rename[p["patient_id"]]
        for col, value in p.items():
            if col in BOOL_COLUMNS and value in ("true", "false"):
                p[col] = draw(st.sampled_from([value, value.upper(), value.title()]))
        if p["marrow_blasts_pct"]:
            p["marrow_blasts_pct"] = str(draw(st.decimals(0, 100, places=9)))
        if draw(st.booleans()):
            p["age"] = f" {p['age']}  "
    for e in events:
        if draw(st.booleans()):
            e["term"] = draw(SAFE_TEXT)
    for optional in ("cytogenetic_risk", "marrow_blasts_pct"):
        if draw(st.booleans()):
            p_header.remove(optional)
            for p in patients:
                del p[optional]
    if draw(st.booleans()):
        p_header.append("comment")
        for p in patients:
            p["comment"] = draw(SAFE_TEXT)
    p_header = draw(st.permutations(p_header))
    a_header = draw(st.permutations(a_header))
    newline = draw(st.sampled_from(["\n", "\r\n"]))
    bom = draw(st.sampled_from([b"", b"\xef\xbb\xbf"]))

    def text(header, rows) -> bytes:
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=header, lineterminator=newline)
        writer.writeheader()
        writer.writerows(rows)
        return bom + out.getvalue().encode("utf-8")

    return {schema.DATASET_FILE: (SYNTHETIC / schema.DATASET_FILE).read_bytes(),
            schema.PATIENTS_FILE: text(p_header, patients), schema.AE_FILE: text(a_header, events),
            SOURCE: (patients, events)}


#: The key of :func:`valid_variants` holding the rows the files were written from.
SOURCE = "source rows"


def _expected(value: str, kind: str):
    """What the loader must give for a written cell, from the contract (not from the loader)."""
    value = value.strip()
    if value == "":
        return None
    return {"bool": lambda v: v.lower() == "true", "integer": int, "number": float,
            "date": pd.Timestamp}.get(kind, str)(value)


def _assert_loaded_as_written(ds: Dataset, patients: list[dict], events: list[dict]) -> None:
    """Every cell the corpus was written from is in the loaded tables, value for value."""
    for loaded, rows, specs in ((ds.patients, patients, schema.PATIENT_COLUMNS),
                                (ds.adverse_events, events, schema.AE_COLUMNS)):
        assert len(loaded) == len(rows)
        for i, row in enumerate(rows):
            for spec in specs:
                if spec.name not in row:
                    continue
                want, got = _expected(row[spec.name], spec.kind), loaded[spec.name].iloc[i]
                if want is None:
                    assert pd.isna(got), (i, spec.name, got)
                else:
                    assert got == want, (i, spec.name, row[spec.name], got)
                    assert spec.kind == "bool" or not isinstance(got, (bool, np.bool_)), \
                        (i, spec.name, row[spec.name], got)


def _round_trip(files: dict[str, bytes]) -> tuple[Dataset, Dataset]:
    with tempfile.TemporaryDirectory() as tmp:
        first_dir, second_dir = Path(tmp) / "first", Path(tmp) / "second"
        first_dir.mkdir()
        second_dir.mkdir()
        for name, data in files.items():
            (first_dir / name).write_bytes(data)
        first = load(first_dir)
        (second_dir / schema.DATASET_FILE).write_bytes(files[schema.DATASET_FILE])
        (second_dir / schema.PATIENTS_FILE).write_text(_csv_text(first.patients), encoding="utf-8")
        (second_dir / schema.AE_FILE).write_text(_csv_text(first.adverse_events),
                                                 encoding="utf-8")
        return first, load(second_dir)


def _assert_same(first: Dataset, second: Dataset) -> None:
    assert first.meta == second.meta
    pd.testing.assert_frame_equal(first.patients, second.patients, check_exact=True)
    pd.testing.assert_frame_equal(first.adverse_events, second.adverse_events, check_exact=True)


@PROPERTY
@given(valid_variants())
def test_accepted_data_round_trips_through_csv_text(files):
    patients, events = files.pop(SOURCE)
    first, second = _round_trip(files)  # the variant is valid, so both loads succeed
    _assert_loaded_as_written(first, patients, events)
    _assert_loaded_as_written(second, patients, events)
    _assert_same(first, second)


def test_round_trip_of_the_shipped_data():
    _assert_same(*_round_trip({name: (SYNTHETIC / name).read_bytes() for name in FILES}))


def _variant_of_corpus(edit) -> dict[str, bytes]:
    files = {name: (CORPUS / "valid_small" / name).read_bytes() for name in FILES}
    files[schema.PATIENTS_FILE] = edit(files[schema.PATIENTS_FILE])
    return files


def test_round_trip_keeps_every_digit_of_a_number():
    _assert_same(*_round_trip(_variant_of_corpus(lambda b: b.replace(b",65,", b",12.3456789,"))))


def test_round_trip_of_a_carriage_return_inside_a_quoted_cell():
    def edit(data: bytes) -> bytes:
        lines = data.split(b"\n")
        lines[0] += b",note"
        lines[1:5] = [line + b',"a\rb"' for line in lines[1:5]]
        return b"\n".join(lines)

    files = _variant_of_corpus(edit)
    files[schema.AE_FILE] = files[schema.AE_FILE].replace(b"pyrexia", b'"pyre\rxia"')
    _assert_same(*_round_trip(files))


def test_a_patient_id_spelled_like_a_boolean_stays_text():
    """A patient ID is text: "TRUE" and "false" are read, and round-trip, as written (issue 20)."""
    def rename(data: bytes) -> bytes:
        return data.replace(b"SYN-001", b"TRUE").replace(b"SYN-002", b"false")

    files = {name: (CORPUS / "valid_small" / name).read_bytes() for name in FILES}
    files = {name: rename(data) if name != schema.DATASET_FILE else data
             for name, data in files.items()}
    for ds in _round_trip(files):
        assert list(ds.patients["patient_id"].iloc[:2]) == ["TRUE", "false"]
        assert {"TRUE", "false"} <= set(ds.adverse_events["patient_id"])
