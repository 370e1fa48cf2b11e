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

import random
import shutil
from pathlib import Path

HERE = Path(__file__).resolve().parent

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
        "patients.csv: required file is missing",
        "adverse_events.csv: required file is missing"]),
    "empty_patients": ({"patients.csv": ""}, ["patients.csv: file is empty"]),
    "whitespace_only_events": ({"adverse_events.csv": " \n\n \r\n"},
                               ["adverse_events.csv: file is empty"]),
    "binary_patients": ({"patients.csv": _garbage()},
                        ["patients.csv: binary file, not UTF-8 text"]),
    "not_utf8_events": ({"adverse_events.csv": _sub(EVENTS, "headache", "c\xe9phal\xe9e").encode(
        "latin-1")}, ["adverse_events.csv:5: not UTF-8 text"]),
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
        PATIENTS, "SYN-002,48,", "SYN-002,forty-eight,"), "2015-04-04,4,", "04.04.2015,4,"),
        "SYN-004,53,F,RR,false,", "SYN-004,53,F,RR,no,"),
        "adverse_events.csv": _sub(EVENTS, "tremor,neurologic,2", "tremor,neurologic,II")}, [
        "patients.csv:3, column 'age', value 'forty-eight': must be a whole number",
        "patients.csv:4, column 'bc_start_date', value '04.04.2015': must be a date YYYY-MM-DD",
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
        "# not in a known group, so not a responder, so no response date",
        "patients.csv:4, column 'response_date', value '2015-05-11': must be empty unless the "
        "patient responded (R/R: CR/CRh; MRD group: `mrd_response` = `negative`)",
        "patients.csv:5, column 'hematologic_response', value 'PR': must be one of: CR, CRh, NR, NE, "
        "pending",
        "adverse_events.csv:5, column 'category', value 'Other': must be one of: CRS, neurologic, "
        "hematologic, infection, hepatic, other"]),
    "impossible_dates": ({"patients.csv": _sub(_sub(PATIENTS, "2017-09-22", "2017-02-30"),
                                               "2018-01-10", "2018-00-10"),
                          "adverse_events.csv": _sub(EVENTS, "2015-04-10", "2015-04-31")}, [
        "patients.csv:3, column 'bc_start_date', value '2017-02-30': must be a date YYYY-MM-DD",
        "patients.csv:3, column 'hsct_after_bc_date', value '2018-00-10': must be a date YYYY-MM-DD",
        "adverse_events.csv:7, column 'onset_date', value '2015-04-31': must be a date YYYY-MM-DD"]),
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
