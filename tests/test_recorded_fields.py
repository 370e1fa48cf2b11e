"""The optional fields of the format (issue 19 §4): what the trial recorded.

``dataset.yaml`` may record the CTCAE version, the grading of CRS and neurotoxicity, the MRD
method, threshold and time point, and screening (screened, excluded and not treated, with
reasons); the patient table the cycle of response, the reason for an early stop and the cause of
death; the adverse-event table the cycle and the attribution. Each is optional: the shipped data
have none and load unchanged; the family member ``optional_fields_recorded``
(``tests/dataset_family.py``) has all, and the book shows them. A value present but invalid is
reported with its file, line, column, value and rule.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

import dataset_family as family
from blina_analysis.analyses import Analysis
from blina_analysis.data import schema
from blina_analysis.data.io import load
from blina_analysis.data.template import dataset_yaml_template
from blina_analysis.errors import DataValidationError, Issue
from blina_analysis.report.methods import definitions_table
from blina_analysis.report.text import page_values
from test_validation import edit, find_row, read_table, set_meta

ROOT = Path(__file__).resolve().parent.parent
P, AE, META = schema.PATIENTS_FILE, schema.AE_FILE, schema.DATASET_FILE


@pytest.fixture
def recorded(tmp_path) -> Path:
    return family.write_case("optional_fields_recorded", tmp_path / "recorded")


def problems(folder: Path) -> list[Issue]:
    with pytest.raises(DataValidationError) as info:
        load(folder)
    return info.value.issues


def the_issue(folder: Path, file: str, column: str) -> Issue:
    found = [i for i in problems(folder) if (i.file, i.column) == (file, column)]
    assert len(found) == 1, problems(folder)
    return found[0]


# --- absent: nothing changes ------------------------------------------------------------------

def test_the_shipped_data_record_none_and_load():
    ds = load(ROOT / "data" / "synthetic")
    meta = ds.meta
    assert (meta.ctcae_version, meta.mrd_threshold, meta.screened) == (None, None, None)
    assert meta.excluded == () and meta.not_treated == ()
    for column in ("response_cycle", "early_stop_reason", "death_cause"):
        assert ds.patients[column].isna().all()
    for column in ("cycle", "attribution"):
        assert ds.adverse_events[column].isna().all()


def test_absent_fields_are_said_not_recorded():
    an = Analysis(load(ROOT / "data" / "synthetic"))
    table = definitions_table(an).set_index("Definition")["This dataset"]
    assert table["MRD method"] == table["Adverse event grading"] == "not recorded"
    safety = page_values("chapters/safety", an)
    assert "causes of death are not recorded" in safety["deaths_text"]
    assert safety["stop_reasons_text"].endswith("are not recorded in this dataset.")
    assert "not recorded" in safety["ae_cycle_text"] and "not" in safety["ae_attribution_text"]
    methods = page_values("chapters/methods", an)
    assert methods["flow_note"].startswith("Screening and exclusions before enrolment are not "
                                           "recorded")
    assert methods["ph_status_note"].startswith("Ph status (BCR::ABL1) is not recorded")


# --- present: read, and shown ---------------------------------------------------------------

def test_every_optional_field_is_read(recorded):
    ds = load(recorded)
    m = ds.meta
    assert (m.ctcae_version, m.crs_grading, m.icans_grading) == ("4.03", "Lee 2014", "CTCAE")
    assert (m.mrd_method, m.mrd_threshold, m.mrd_timepoint) == ("flow cytometry", 0.0001,
                                                                 "after cycle 1")
    assert m.screened == len(ds.patients) + 14
    assert m.excluded == (("not eligible", 9), ("declined", 3))
    assert m.not_treated == (("died before start", 2),)
    p = ds.patients
    assert p["response_cycle"].notna().sum() == p["response_date"].notna().sum()
    assert p["death_cause"].notna().any() and p["early_stop_reason"].notna().any()
    assert p["ph_status"].notna().all()
    assert ds.adverse_events["cycle"].notna().all()
    assert ds.adverse_events["attribution"].notna().all()


def test_recorded_fields_are_shown(recorded):
    an = Analysis(load(recorded))
    table = definitions_table(an).set_index("Definition")["This dataset"]
    assert table["Adverse event grading"] == "CTCAE version 4.03"
    assert table["MRD threshold of negativity"] == "0.01% of nucleated cells"
    assert table["Cytokine release syndrome (CRS) grading"] == "Lee 2014"
    assert table["Ph status (BCR::ABL1)"] == f"recorded for {an.n('all')}/{an.n('all')} patients"
    safety = page_values("chapters/safety", an)
    # causes counted from the raw table, by hand
    _, rows = read_table(recorded, P)
    causes = [r["death_cause"] for r in rows if r["death"] == "true"]
    assert f"infection {causes.count('infection')}" in safety["deaths_text"]
    assert f"not recorded {causes.count('')}" in safety["deaths_text"]
    stopped = [r["early_stop_reason"] for r in rows if r["bc_stopped_early"] == "true"]
    assert f"adverse event {stopped.count('adverse_event')}" in safety["stop_reasons_text"]
    _, events = read_table(recorded, AE)
    assert f"{len(events)}/{len(events)} events" in safety["ae_cycle_text"]
    related = {e["patient_id"] for e in events
               if e["attribution"] in ("possible", "probable", "definite")}
    assert safety["ae_attribution_text"].startswith(
        f"Adverse events attributed to blinatumomab (possibly, probably or definitely related) "
        f"occurred in {len(related)} (")
    methods = page_values("chapters/methods", an)
    assert methods["flow_note"] == (f"Of {an.n('all') + 14} patients screened, 12 were excluded "
                                    f"before enrolment. Of {an.n('all') + 2} enrolled, 2 never "
                                    "started blinatumomab.")


@pytest.mark.parametrize("lang, listed", [
    ("en", "Age, Ph status and sex are exploratory"),
    ("ru", "Возраст, Ph-статус и пол — поисковые признаки"),
])
def test_a_recorded_ph_status_is_named_as_a_symbol_inside_a_sentence(recorded, lang, listed):
    """Ph status, once recorded, is an exploratory subgroup; inside a sentence its heading keeps
    the symbol's capital (not "ph status" / «ph-статус») while the others are in lower case."""
    from blina_analysis.i18n import use_language

    with use_language(lang):
        text = page_values("chapters/rr_results", Analysis(load(recorded)))["rr_subgroups_text"]
    assert listed in text, text


def test_the_cycle_table_denominator_is_the_patients_given_the_cycle(recorded):
    an = Analysis(load(recorded))
    _, rows = read_table(recorded, P)
    for r in an.ae_by_cycle().to_dict("records"):
        assert r["N"] == sum(int(p["cycles"]) >= r["cycle"] for p in rows)


# --- present but invalid: file, line, column, value, rule --------------------------------------

def test_response_cycle_after_the_cycles_given(recorded):
    row, r = find_row(recorded, P, lambda r: r["response_cycle"] != "")
    line = edit(recorded, P, row, response_cycle=str(int(r["cycles"]) + 1))
    issue = the_issue(recorded, P, "response_cycle")
    assert (issue.line, issue.value, issue.rule) == (line, str(int(r["cycles"]) + 1),
                                                     "must not be more than `cycles`")


@pytest.mark.parametrize(("file", "column"), [(P, "response_cycle"), (AE, "cycle")])
def test_a_cycle_is_at_least_1(recorded, file, column):
    row, _ = find_row(recorded, file, lambda r: r[column] != "")
    line = edit(recorded, file, row, **{column: "0"})
    issue = the_issue(recorded, file, column)
    assert (issue.line, issue.value, issue.rule) == (line, "0", "must be at least 1")


def test_response_cycle_of_a_non_responder(recorded):
    row, _ = find_row(recorded, P, lambda r: r["response_date"] == "")
    line = edit(recorded, P, row, response_cycle="1")
    issue = the_issue(recorded, P, "response_cycle")
    assert issue.line == line and issue.rule.startswith("only for responders")


def test_early_stop_reason_without_an_early_stop(recorded):
    row, _ = find_row(recorded, P, lambda r: r["bc_stopped_early"] == "false")
    line = edit(recorded, P, row, early_stop_reason="relapse")
    issue = the_issue(recorded, P, "early_stop_reason")
    assert (issue.line, issue.value) == (line, "relapse")
    assert issue.rule == "only when `bc_stopped_early` is true"


def test_a_cause_of_death_of_a_living_patient(recorded):
    row, _ = find_row(recorded, P, lambda r: r["death"] == "false")
    line = edit(recorded, P, row, death_cause="infection")
    issue = the_issue(recorded, P, "death_cause")
    assert (issue.line, issue.value, issue.rule) == (line, "infection",
                                                     "only when `death` is true")


def test_every_rule_of_an_optional_column_is_tested():
    tested = {"must not be more than `cycles`", "only when `bc_stopped_early` is true",
              "only when `death` is true", "must not be more than the patient's `cycles`",
              "only for responders (R/R: CR/CRh; MRD group: MRD-negative)"}
    optional = {c.name for c in schema.PATIENT_COLUMNS + schema.AE_COLUMNS
                if c.name in ("response_cycle", "early_stop_reason", "death_cause", "cycle",
                              "attribution")}
    rules = {r.text for r in schema.PATIENT_RULES + schema.AE_RULES if r.column in optional}
    assert rules == tested


def test_an_unknown_cause_of_death(recorded):
    row, _ = find_row(recorded, P, lambda r: r["death"] == "true")
    line = edit(recorded, P, row, death_cause="heart")
    issue = the_issue(recorded, P, "death_cause")
    assert (issue.line, issue.value) == (line, "heart")
    assert all(code in issue.rule for code in schema.DEATH_CAUSES)


def test_adverse_event_cycle_and_attribution(recorded):
    _, patients = read_table(recorded, P)
    cycles = {r["patient_id"]: int(r["cycles"]) for r in patients}
    row, r = find_row(recorded, AE, lambda r: True)
    line = edit(recorded, AE, row, cycle=str(cycles[r["patient_id"]] + 1), attribution="maybe")
    issues = {i.column: i for i in problems(recorded) if i.file == AE}
    assert issues["cycle"].line == line
    assert issues["cycle"].rule == "must not be more than the patient's `cycles`"
    assert (issues["attribution"].line, issues["attribution"].value) == (line, "maybe")


@pytest.mark.parametrize(("field", "raw", "rule"), [
    ("mrd_threshold", "5", "must be a number greater than 0 and less than 1"),
    ("mrd_threshold", "one in ten thousand", "must be a number greater than 0 and less than 1"),
    ("ctcae_version", "[4, 5]", "must be text"),
    ("screened", "many", "must be a whole number ≥ 0"),
    ("excluded", "12", "must map reasons to counts"),
    ("excluded", "{declined: two}", "each count must be a whole number ≥ 1"),
    ("not_treated", "{died: 0}", "each count must be a whole number ≥ 1"),
])
def test_invalid_recorded_fields_are_named(recorded, field, raw, rule):
    set_meta(recorded, field, raw)
    issue = the_issue(recorded, META, field)
    assert issue.rule.startswith(rule), issue


def test_screening_counts_must_add_up(recorded):
    n = len(read_table(recorded, P)[1])
    set_meta(recorded, "screened", str(n + 15))
    issue = the_issue(recorded, META, "screened")
    assert (issue.value, issue.rule) == (str(n + 15), (
        f"must equal the patients of the patient table ({n}) plus `excluded` (12) plus "
        f"`not_treated` (2) = {n + 14}"))


def test_excluded_needs_screened(recorded):
    set_meta(recorded, "screened", None)
    issue = the_issue(recorded, META, "excluded")
    assert issue.rule == "needs `screened` (the patients screened)"


def test_a_threshold_written_without_a_dot_is_a_number(recorded):
    set_meta(recorded, "mrd_threshold", "1e-4")
    assert load(recorded).meta.mrd_threshold == 0.0001


# --- the template ---------------------------------------------------------------------------

def test_template_explains_the_recorded_fields_and_they_are_valid_uncommented(dataset_dir):
    text = dataset_yaml_template()
    comments = " ".join(line[1:].strip() for line in text.splitlines() if line.startswith("#"))
    for spec in schema.RECORDED_FIELDS:
        assert f"{spec.name} (" in comments
        assert spec.meaning.replace("`", "") in comments
    names = "|".join(spec.name for spec in schema.RECORDED_FIELDS)
    examples = "".join(line[2:] + "\n" for line in text.splitlines()
                       if re.match(rf"^# ({names}):", line))
    assert yaml.safe_load(examples)["screened"] == 80
    # the shipped data (66 patients) with the template's examples: 66 + 12 + 2 = 80
    with open(dataset_dir / META, "a", encoding="utf-8") as f:
        f.write(examples)
    meta = load(dataset_dir).meta
    assert meta.screened == 80 and meta.ctcae_version == "4.03"
