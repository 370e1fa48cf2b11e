"""Write the corpus of small broken (and a few tricky but valid) datasets.

Run from the repository root: ``python tests/data_corpus/make_corpus.py``. Every case is a folder
with the three dataset files derived from :data:`BASE` (four patients of the synthetic cohort) and an
``expected.txt``: ``valid`` for a dataset the loader must accept, otherwise one line per issue the
loader reports, written exactly as ``str(Issue)`` prints it (file:line, column, value: rule); the
list is complete (the test compares it with every issue found).
Lines starting with ``#`` are comments. The files are committed; this script documents how they
were made and regenerates them.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
import sys
from pathlib import Path

from openpyxl import Workbook

from blina_analysis.data.template import workbook_bytes

HERE = Path(__file__).resolve().parent
if str(HERE.parent) not in sys.path:  # run as a script: the shared helpers are in tests/
    sys.path.insert(0, str(HERE.parent))

from typed_cells import csv_text, day_first, map_column, table_rows, typed_rows  # noqa: E402

META = """\
name: blina-corpus
version: "1.0"
cutoff_date: 2018-06-30
synthetic: true
description: >-
  Four patients of the synthetic cohort, a base for the corpus of broken datasets.
"""

PATIENTS = """\
patient_id,age,sex,group,prior_allo_hsct,cytogenetic_risk,marrow_blasts_pct,bc_start_date,cycles,\
hematologic_response,mrd_response,response_date,hsct_after_bc,hsct_after_bc_date,relapse,\
relapse_date,death,death_date,last_followup_date,bc_interrupted,bc_stopped_early
SYN-001,45,M,RR,true,standard,65,2017-04-15,3,CR,negative,2017-06-24,false,,true,2017-09-20,true,\
2017-11-04,2017-11-04,false,false
SYN-002,48,M,RR,false,standard,60,2017-09-22,4,CR,negative,2017-11-23,true,2018-01-10,false,,\
false,,2018-06-11,false,false
SYN-003,58,M,MRD,false,standard,,2015-04-04,4,,negative,2015-05-11,true,2015-07-28,false,,false,,\
2018-06-21,false,false
SYN-004,53,F,RR,false,high,91,2017-09-19,2,NR,,,false,,false,,true,2017-10-29,2017-10-29,false,false
"""

EVENTS = """\
patient_id,term,category,grade,onset_date
SYN-001,catheter-related infection,infection,2,2017-04-26
SYN-001,ALT increased,hepatic,2,2017-05-02
SYN-002,ALT increased,hepatic,1,2017-09-29
SYN-002,headache,other,1,2017-10-03
SYN-003,cytokine release syndrome,CRS,1,2015-04-07
SYN-003,tremor,neurologic,2,2015-04-10
SYN-004,pyrexia,other,2,2017-10-06
SYN-004,cytokine release syndrome,CRS,2,2017-10-09
"""

BASE = {"dataset.yaml": META, "patients.csv": PATIENTS, "adverse_events.csv": EVENTS}


def _sub(text: str, old: str, new: str, count: int = 1) -> str:
    assert text.count(old) >= count, old
    return text.replace(old, new, count)


def _garbage() -> bytes:
    rng = random.Random(20190612)
    data = bytearray(range(256)) * 2
    rng.shuffle(data)
    return bytes(data)


def _dup_age(text: str) -> str:
    lines = text.splitlines()
    out = [lines[0] + ",age"] + [line + "," + line.split(",")[1] for line in lines[1:]]
    return "\n".join(out) + "\n"


def _drop(text: str, column: str) -> str:
    lines = [line.split(",") for line in text.splitlines()]
    j = lines[0].index(column)
    return "\n".join(",".join(f for k, f in enumerate(line) if k != j) for line in lines) + "\n"


def _cell(rows: list[list[str]], patient: str, column: str, value: str) -> list[list[str]]:
    """Set one cell (by patient ID and column) of a table; the first matching row."""
    j = rows[0].index(column)
    i = next(i for i, r in enumerate(rows) if r[0] == patient)
    rows = [list(r) for r in rows]
    rows[i][j] = value
    return rows


def _excel_semicolon(text: str) -> str:
    """A table as Excel in a Russian locale saves CSV: ``;``, DD.MM.YYYY, CRLF, trailing ``;;;``."""
    rows = day_first(table_rows(text))
    blank = [[""] * len(rows[0])]
    return csv_text(rows + blank * 3, delimiter=";", newline="\r\n")


def _xlsx(text: str, sheet: str = "Лист1", blank_after: int | None = None,
          cells: dict[tuple[int, int], object] | None = None) -> bytes:
    """A table as an Excel workbook with typed cells (dates, TRUE/FALSE, numbers); a second,
    ignored sheet; optionally an empty sheet row after row ``blank_after`` and raw cell values
    ``cells`` ((row, column) of the table, 0-based) written as given."""
    book = Workbook()
    ws = book.active
    ws.title = sheet
    for i, values in enumerate(typed_rows(table_rows(text))):
        for (r, k), value in (cells or {}).items():
            if r == i:
                values[k] = value
        ws.append(values)
        if blank_after is not None and i == blank_after:
            ws.append([])
    book.create_sheet("notes").append(["the loader reads the first sheet only"])
    return workbook_bytes(book)


def _meta(**extra: str) -> str:
    return META + "".join(f"{key}: {value}\n" for key, value in extra.items())


P_ROWS, E_ROWS = table_rows(PATIENTS), table_rows(EVENTS)
RU_PATIENTS = csv_text(map_column(P_ROWS, "sex", {"M": "муж", "F": "жен"}), delimiter=";")
RU_EVENTS = csv_text(map_column(E_ROWS, "term", {"headache": "головная боль",
                                          "pyrexia": "лихорадка"}), delimiter=";")
UTF16_TAB = {name: b"\xff\xfe" + csv_text(table_rows(text), delimiter="\t", newline="\r\n").encode(
    "utf-16-le") for name, text in (("patients.csv", PATIENTS), ("adverse_events.csv", EVENTS))}

#: case -> (changes to the base files: name -> new content, None = delete; expected lines)
CASES: dict[str, tuple[dict[str, str | bytes | None], list[str]]] = {
    # --- accepted -------------------------------------------------------------------------------
    "valid_small": ({}, ["valid"]),
    "bom_crlf": ({name: b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode()
                  for name, text in BASE.items()}, ["valid"]),
    "quoted_commas": ({
        "patients.csv": _sub(_sub(_sub(PATIENTS, "bc_stopped_early\n", "bc_stopped_early,note\n"),
                                  "2017-11-04,false,false\n",
                                  '2017-11-04,false,false,"relapse, then death"\n'),
                             "2018-06-11,false,false\n",
                             '2018-06-11,false,false,"said ""fine"", went home"\n').replace(
            "false,false\n", "false,false,\n"),
        "adverse_events.csv": _sub(EVENTS, "SYN-004,pyrexia,other",
                                   'SYN-004,"rash, maculopapular",other'),
    }, ["valid"]),
    "blank_lines": ({"patients.csv": _sub(PATIENTS, "\nSYN-003", "\n\nSYN-003") + "\n\n",
                     "adverse_events.csv": EVENTS + "\n"}, ["valid"]),
    # --- whole files ----------------------------------------------------------------------------
    "missing_files": ({"patients.csv": None, "adverse_events.csv": None}, [
        "patients.csv: required file is missing (or patients.xlsx)",
        "adverse_events.csv: required file is missing (or adverse_events.xlsx)"]),
    "empty_patients": ({"patients.csv": ""}, ["patients.csv: file is empty"]),
    "whitespace_only_events": ({"adverse_events.csv": " \n\n \r\n"},
                               ["adverse_events.csv: file is empty"]),
    "binary_patients": ({"patients.csv": _garbage()},
                        ["patients.csv: binary file, not UTF-8 text"]),
    "not_utf8_events": ({"adverse_events.csv": _sub(EVENTS, "headache", "c\xe9phal\xe9e").encode(
        "latin-1")}, [
        "adverse_events.csv:5: not UTF-8 text (it looks like cp1252, Windows Western European): "
        "declare `encoding: cp1252` in dataset.yaml, or save the file as UTF-8"]),
    "headers_only": ({"patients.csv": PATIENTS.splitlines()[0] + "\n",
                      "adverse_events.csv": EVENTS.splitlines()[0] + "\n"},
                     ["patients.csv: no patients: the file has a header but no data rows"]),
    # --- dataset.yaml ---------------------------------------------------------------------------
    "yaml_list": ({"dataset.yaml": "- name: blina\n- version: 1\n"}, [
        "dataset.yaml, value \"[{'name': 'blina'}, {'version': 1}]\": must be a mapping of field: "
        "value"]),
    "yaml_invalid": ({"dataset.yaml": _sub(META, 'version: "1.0"', 'version: "1.0')},
                     ["dataset.yaml:7: not valid YAML (found unexpected end of stream)"]),
    "yaml_bad_fields": ({"dataset.yaml": _sub(_sub(_sub(META, "2018-06-30", "2018-02-30"),
                                                   "synthetic: true", "synthetic: maybe"),
                                              'version: "1.0"\n', "")}, [
        "dataset.yaml, column 'cutoff_date', value '2018-02-30': must be a date YYYY-MM-DD",
        "dataset.yaml, column 'synthetic', value 'maybe': must be true or false",
        "dataset.yaml, column 'version': required field is missing"]),
    # --- structure of the tables ----------------------------------------------------------------
    "missing_columns": ({"patients.csv": _drop(PATIENTS, "sex"),
                         "adverse_events.csv": _drop(EVENTS, "grade")}, [
        "patients.csv:1, column 'sex': required column is missing from the header",
        "adverse_events.csv:1, column 'grade': required column is missing from the header"]),
    "duplicate_header": ({"patients.csv": _dup_age(PATIENTS)}, [
        "patients.csv:1, column 'age': column appears more than once in the header"]),
    "ragged_rows": ({"patients.csv": _sub(_sub(PATIENTS, "SYN-002,48,M", "SYN-002,48,M,extra"),
                                          ",false,false\nSYN-004", ",false\nSYN-004")}, [
        "patients.csv:3: row has 22 fields but the header has 21",
        "patients.csv:4: row has 20 fields but the header has 21"]),
    "unclosed_quote": ({"adverse_events.csv": _sub(EVENTS, "SYN-002,headache", 'SYN-002,"headache')},
                       ["adverse_events.csv:5: row has 2 fields but the header has 5"]),
    # --- cells ----------------------------------------------------------------------------------
    "wrong_types": ({"patients.csv": _sub(_sub(_sub(
        PATIENTS, "SYN-002,48,", "SYN-002,forty-eight,"), "2015-04-04,4,", "4 April 2015,4,"),
        "SYN-004,53,F,RR,false,", "SYN-004,53,F,RR,no,"),
        "adverse_events.csv": _sub(EVENTS, "tremor,neurologic,2", "tremor,neurologic,II")}, [
        "patients.csv:3, column 'age', value 'forty-eight': must be a whole number",
        "patients.csv:4, column 'bc_start_date', value '4 April 2015': must be a date YYYY-MM-DD "
        "or DD.MM.YYYY",
        "patients.csv:5, column 'prior_allo_hsct', value 'no': must be true or false",
        "adverse_events.csv:7, column 'grade', value 'II': must be a whole number"]),
    "huge_numbers": ({"patients.csv": _sub(_sub(_sub(
        PATIENTS, "SYN-001,45,", "SYN-001,99999999999999999999999999,"),
        "standard,60,", "standard,1e400,"), "2017-09-19,2,", "2017-09-19," + "9" * 400 + ","),
        "adverse_events.csv": _sub(EVENTS, "pyrexia,other,2", "pyrexia,other,1e999")}, [
        "patients.csv:2, column 'age', value '99999999999999999999999999': must be at most 120",
        "patients.csv:3, column 'marrow_blasts_pct', value '1e400': must be a number",
        "patients.csv:5, column 'cycles', value '" + "9" * 57 + "...': must be a whole number",
        "adverse_events.csv:8, column 'grade', value '1e999': must be a whole number"]),
    "unknown_categories": ({"patients.csv": _sub(_sub(_sub(
        PATIENTS, "SYN-001,45,M,", "SYN-001,45,X,"), "SYN-003,58,M,MRD", "SYN-003,58,M,MRD+"),
        ",NR,", ",PR,"),
        "adverse_events.csv": _sub(EVENTS, "headache,other", "headache,Other")}, [
        "patients.csv:2, column 'sex', value 'X': must be one of: M, F",
        "patients.csv:4, column 'group', value 'MRD+': must be one of: MRD, RR",
        "# the rules that read `group` (e.g. a response date only for responders) are not",
        "# reported on top of it",
        "patients.csv:5, column 'hematologic_response', value 'PR': must be one of: CR, CRh, NR, NE, "
        "pending",
        "adverse_events.csv:5, column 'category', value 'Other': must be one of: CRS, neurologic, "
        "hematologic, infection, hepatic, other"]),
    "impossible_dates": ({"patients.csv": _sub(_sub(PATIENTS, "2017-09-22", "2017-02-30"),
                                               "2018-01-10", "2018-00-10"),
                          "adverse_events.csv": _sub(EVENTS, "2015-04-10", "2015-04-31")}, [
        "patients.csv:3, column 'bc_start_date', value '2017-02-30': must be a date YYYY-MM-DD or "
        "DD.MM.YYYY",
        "patients.csv:3, column 'hsct_after_bc_date', value '2018-00-10': must be a date "
        "YYYY-MM-DD or DD.MM.YYYY",
        "adverse_events.csv:7, column 'onset_date', value '2015-04-31': must be a date YYYY-MM-DD "
        "or DD.MM.YYYY"]),
    "dates_out_of_order": ({"patients.csv": _sub(_sub(_sub(
        PATIENTS, "2017-06-24", "2017-04-14"), "2018-06-21", "2018-07-01"),
        "2017-11-23,true,2018-01-10", "2017-11-23,true,2018-06-12"),
        "adverse_events.csv": _sub(EVENTS, "2017-09-29", "2017-09-21")}, [
        "patients.csv:2, column 'response_date', value '2017-04-14': must not be before "
        "`bc_start_date`",
        "patients.csv:3, column 'hsct_after_bc_date', value '2018-06-12': must not be after "
        "`last_followup_date`",
        "patients.csv:4, column 'last_followup_date', value '2018-07-01': must not be after the "
        "data cut-off (`cutoff_date`)",
        "adverse_events.csv:4, column 'onset_date', value '2017-09-21': must not be before the "
        "patient's `bc_start_date`"]),
    "conditional_dates": ({"patients.csv": _sub(_sub(
        PATIENTS, "true,2017-09-20,true,2017-11-04,2017-11-04", "true,,true,2017-11-04,2017-11-04"),
        "SYN-003,58,M,MRD,false,standard,,2015-04-04,4,,negative,2015-05-11,true,2015-07-28,false,,",
        "SYN-003,58,M,MRD,false,standard,,2015-04-04,4,,negative,2015-05-11,true,2015-07-28,false,"
        "2016-01-01,")}, [
        "patients.csv:2, column 'relapse_date': required when `relapse` is true",
        "patients.csv:4, column 'relapse_date', value '2016-01-01': must be empty when `relapse` is "
        "false"]),
    "duplicate_ids": ({"patients.csv": _sub(PATIENTS, "SYN-004,", "SYN-002,")}, [
        "patients.csv:3, column 'patient_id', value 'SYN-002': must be unique (appears more than "
        "once)",
        "patients.csv:5, column 'patient_id', value 'SYN-002': must be unique (appears more than "
        "once)",
        "# the events of SYN-004 now belong to nobody",
        "adverse_events.csv:8, column 'patient_id', value 'SYN-004': no such patient in patients.csv",
        "adverse_events.csv:9, column 'patient_id', value 'SYN-004': no such patient in patients.csv",
    ]),
    "unknown_ae_patient": ({"adverse_events.csv": _sub(EVENTS, "SYN-003,tremor", "SYN-030,tremor")},
                           ["adverse_events.csv:7, column 'patient_id', value 'SYN-030': no such "
                            "patient in patients.csv"]),
    # --- the files hospitals export: read -------------------------------------------------------
    "excel_semicolon": ({  # ";", DD.MM.YYYY, decimal comma, CRLF, trailing ";;;" rows, odd header
        "patients.csv": _sub(_sub(_excel_semicolon(PATIENTS), "patient_id;age;", " Patient_ID ;AGE;"),
                             ";65;", ";65,5;"),
        "adverse_events.csv": _excel_semicolon(EVENTS)}, ["valid"]),
    "excel_comma_trailing": ({  # Excel's own CSV: trailing rows of bare commas, a row of spaces
        "patients.csv": PATIENTS + ",,,,,,,,,,,,,,,,,,,,\n" * 3 + "  , ,\n",
        "adverse_events.csv": _sub(EVENTS, "\nSYN-002", "\n,,,,\nSYN-002") + ",,,,\n"}, ["valid"]),
    "tab_delimited": ({name: csv_text(table_rows(text), delimiter="\t") for name, text in
                       (("patients.csv", PATIENTS), ("adverse_events.csv", EVENTS))}, ["valid"]),
    "utf16_unicode_text": (dict(UTF16_TAB), ["valid"]),  # Excel's "Unicode text": UTF-16, tab
    "cp1251_declared": ({"dataset.yaml": _meta(encoding="cp1251", values="{sex: {муж: M, жен: F}}"),
                         "patients.csv": RU_PATIENTS.encode("cp1251"),
                         "adverse_events.csv": RU_EVENTS.encode("cp1251")}, ["valid"]),
    "values_mapped": ({"dataset.yaml": _meta(values="{sex: {Муж: M, жен: F}, group: {MRD+: MRD, "
                                             "R/R: RR}, death: {да: true, нет: false}}"),
                       "patients.csv": csv_text(map_column(map_column(map_column(
                           P_ROWS, "sex", {"M": "муж", "F": "ЖЕН"}), "group",
                           {"MRD": "MRD+", "RR": "R/R"}), "death", {"true": "да", "false": "нет"}))},
                      ["valid"]),
    "xlsx_typed": ({"patients.csv": None, "adverse_events.csv": None,
                    "patients.xlsx": _xlsx(PATIENTS), "adverse_events.xlsx": _xlsx(EVENTS)},
                   ["valid"]),
    "xlsx_text_cells": ({"patients.csv": None, "patients.xlsx": _xlsx(
        csv_text(day_first(table_rows(PATIENTS))), cells={(1, 1): " 45 ", (2, 4): "FALSE", (3, 6): None,
                                                  (3, 13): dt.datetime(2015, 7, 28, 0, 0)})},
                        ["valid"]),
    # --- the files hospitals export: refused, one message per problem ---------------------------
    "cp1251_undeclared": ({"patients.csv": RU_PATIENTS.encode("cp1251"),
                           "adverse_events.csv": RU_EVENTS.encode("cp1251")}, [
        "patients.csv:2: not UTF-8 text (it looks like cp1251, Windows Cyrillic): declare "
        "`encoding: cp1251` in dataset.yaml, or save the file as UTF-8",
        "adverse_events.csv:5: not UTF-8 text (it looks like cp1251, Windows Cyrillic): declare "
        "`encoding: cp1251` in dataset.yaml, or save the file as UTF-8"]),
    "koi8_undeclared": ({"adverse_events.csv": RU_EVENTS.encode("koi8-r")}, [
        "adverse_events.csv:5: not UTF-8 text (it looks like koi8-r, KOI8-R Cyrillic): declare "
        "`encoding: koi8-r` in dataset.yaml, or save the file as UTF-8"]),
    "encoding_unknown": ({"dataset.yaml": _meta(encoding="windows-cyrillic")}, [
        "dataset.yaml, column 'encoding', value 'windows-cyrillic': not a known text encoding (a "
        "Python codec name such as cp1251, koi8-r, cp1252 or utf-8); the tables are read as UTF-8"]),
    "encoding_declared_utf8_file": ({"dataset.yaml": _meta(encoding="cp1251"),
                                     "adverse_events.csv": RU_EVENTS}, [
        "adverse_events.csv: the file is UTF-8 text, but dataset.yaml declares `encoding: cp1251`: "
        "remove that line (or save the file as cp1251)"]),
    "sex_words": ({"patients.csv": csv_text(map_column(P_ROWS, "sex", {"M": "муж", "F": "жен"}))}, [
        "patients.csv, column 'sex': must be one of: M, F — 4 rows (lines 2, 3, 4, 5); values "
        "'муж' ×3, 'жен' ×1; if they stand for M, F, map them in dataset.yaml, e.g. "
        "`values: {sex: {муж: ...}}`"]),
    "group_spellings": ({"patients.csv": csv_text(_cell(P_ROWS, "SYN-003", "group", "MRD+"))
                         .replace(",RR,", ",R/R,")}, [
        "# one problem per row, and none of the rules that read `group` on top of it",
        "patients.csv, column 'group': must be one of: MRD, RR — 4 rows (lines 2, 3, 4, 5); values "
        "'R/R' ×3, 'MRD+' ×1; if they stand for MRD, RR, map them in dataset.yaml, e.g. "
        "`values: {group: {R/R: ...}}`"]),
    "values_unknown_column": ({"dataset.yaml": _meta(values="{sx: {муж: M}, death: [да, нет]}")}, [
        "dataset.yaml, column 'values', value 'sx': no such column (did you mean 'sex'?)",
        "dataset.yaml, column 'values', value \"['да', 'нет']\": the values of 'death' must be a "
        "mapping of written: meant, e.g. {sex: {муж: M, жен: F}, death: {да: true, нет: false}}"]),
    "slash_dates": ({"patients.csv": csv_text(_cell(map_column(
        P_ROWS, "bc_start_date", {"2017-04-15": "04/15/2017", "2017-09-22": "09/22/2017",
                                  "2015-04-04": "04/04/2015", "2017-09-19": "2017/09/19"}),
        "SYN-003", "response_date", "11/05/2015"))}, [
        "patients.csv, column 'bc_start_date': dates written with '/' are ambiguous (day/month or "
        "month/day?): write them as YYYY-MM-DD or DD.MM.YYYY — 4 rows (lines 2, 3, 4, 5); values "
        "'04/15/2017', '09/22/2017', '04/04/2015', '2017/09/19'",
        "patients.csv:4, column 'response_date', value '11/05/2015': dates written with '/' are "
        "ambiguous (day/month or month/day?): write them as YYYY-MM-DD or DD.MM.YYYY"]),
    "header_near_miss": ({"patients.csv": _sub(_sub(PATIENTS, "patient_id,age,", "Patient_ID, Age ,"),
                                                ",bc_start_date,", ",bc_start,").replace(
        "mrd_response", "mrd_respons"), "adverse_events.csv": _sub(EVENTS, "grade", "grad")}, [
        "patients.csv:1, column 'bc_start_date': required column is missing from the header (did "
        "you mean 'bc_start'?)",
        "patients.csv:1, column 'mrd_respons': not a column of the format: did you mean "
        "'mrd_response'? (without it that optional column is read as empty)",
        "adverse_events.csv:1, column 'grade': required column is missing from the header (did you "
        "mean 'grad'?)"]),
    "both_forms": ({"patients.xlsx": _xlsx(PATIENTS)}, [
        "patients.csv: patients.csv and patients.xlsx are both in the folder: keep one of them (one "
        "table, one file)"]),
    "xls_old": ({"adverse_events.csv": None, "adverse_events.xls": b"\xd0\xcf\x11\xe0" + bytes(60)},
                ["adverse_events.xls: Excel 97-2003 workbooks (.xls) are not read: save it as an "
                 "Excel workbook (adverse_events.xlsx) or as CSV (adverse_events.csv)"]),
    "xlsx_errors": ({"patients.csv": None, "adverse_events.csv": None,
                     "patients.xlsx": _xlsx(PATIENTS, blank_after=1, cells={(2, 1): "сорок",
                                                                           (4, 7): "31.04.2017"}),
                     "adverse_events.xlsx": _xlsx(EVENTS, cells={(3, 3): True})}, [
        "# line numbers are sheet rows: the empty row 3 moves the second patient to row 4",
        "patients.xlsx:4, column 'age', value 'сорок': must be a whole number",
        "patients.xlsx:6, column 'bc_start_date', value '31.04.2017': must be a date YYYY-MM-DD or "
        "DD.MM.YYYY",
        "adverse_events.xlsx:4, column 'grade', value 'TRUE': must be a whole number"]),
    "xlsx_broken": ({"patients.csv": None, "patients.xlsx": b"PK\x03\x04 not really a zip"}, [
        "patients.xlsx: not a readable Excel workbook (BadZipFile: File is not a zip file)"]),
}


def write(root: Path = HERE) -> None:
    for case, (changes, expected) in CASES.items():
        folder = root / case
        if folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True)
        files = {**BASE, **changes}
        for name, content in files.items():
            if content is None:
                continue
            data = content.encode("utf-8") if isinstance(content, str) else content
            (folder / name).write_bytes(data)
        (folder / "expected.txt").write_text("\n".join(expected) + "\n", encoding="utf-8")


if __name__ == "__main__":
    write()
