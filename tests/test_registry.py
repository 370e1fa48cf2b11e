"""A result is declared once: the registry's entries are complete, and everything reads them.

``results.json`` and its JSON Schema, ``blina diff``, the changes since an earlier edition and the
concordance all follow :func:`blina_analysis.analyses.registry.entries`: one more entry is one more
result everywhere, with nothing else to edit. Expected values are counted from the raw CSV.
"""

from __future__ import annotations

import re
from pathlib import Path

import jsonschema
import pandas as pd
import pytest

from blina_analysis import definitions
from blina_analysis.analyses import Analysis, registry
from blina_analysis.analyses.concordance import concordance
from blina_analysis.analyses.registry import UNITS, Result, entries, result, result_label
from blina_analysis.analyses.results import compute_results, results_document, results_schema
from blina_analysis.data.io import load
from blina_analysis.publish.diff import changes_table, diff_results, format_diff
from blina_analysis.report.text.reasons import explain

SHIPPED = Path(__file__).resolve().parent.parent / "data" / "synthetic"


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    """The shipped patients as written, read without the package."""
    return pd.read_csv(SHIPPED / "patients.csv")


@pytest.fixture(scope="module")
def shipped_doc() -> dict:
    return results_document(load(SHIPPED), commit="x", epoch=0, explain=explain)


def _validator():
    schema = results_schema()
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


# --- every entry is complete --------------------------------------------------------------------

def test_every_entry_is_complete():
    found = entries()
    keys = [e.key for e in found]
    assert len(set(keys)) == len(keys), "a key is declared twice"
    for e in found:
        assert re.fullmatch(r"[a-z][a-z0-9_]*", e.key), e.key
        assert e.label and "_" not in e.label, e.key
        assert e.meaning.endswith("."), e.key
        assert e.unit in UNITS, e.key
        assert e.population in definitions.POPULATIONS, e.key
        assert callable(e.compute), e.key
        if e.denominator is not None:
            assert e.denominator in keys, f"{e.key}: denominator {e.denominator} is no result"
            assert result(e.denominator).unit == "patients", e.key
    labels = [e.label for e in found]
    assert len(set(labels)) == len(labels), "two results read the same to a reader"
    with pytest.raises(KeyError, match="no result 'nothing'"):
        result("nothing")
    assert result_label("nothing") == "nothing"


def test_subgroup_results_follow_the_cutoff_in_force(monkeypatch):
    assert result_label("rr_response_rate_blasts_lt50") == "R/R: CR/CRh rate, Marrow blasts: <50%"
    monkeypatch.setattr(definitions, "BLASTS_CUTOFF_PCT", 40)
    keys = [e.key for e in entries()]
    assert "rr_response_rate_blasts_ge40" in keys and "rr_response_rate_blasts_ge50" not in keys
    assert result_label("rr_response_rate_blasts_ge40") == "R/R: CR/CRh rate, Marrow blasts: ≥40%"


# --- the entries' values ------------------------------------------------------------------------

def test_shipped_values_and_denominators_are_the_raw_counts(raw, shipped_doc):
    r = shipped_doc["results"]
    rr = raw[raw["group"] == "RR"]
    responders = rr[rr["hematologic_response"].isin(["CR", "CRh"])]
    assert r["n_total"] == len(raw) == 66
    assert r["n_rr"] == len(rr) == 43
    assert r["n_rr_assessed"] == rr["hematologic_response"].notna().sum() == 43
    assert r["rr_response_n"] == len(responders) == 29
    assert r["n_rr_responders_mrd_assessed"] == len(responders) == 29
    assert r["rr_mrdneg_n"] == (responders["mrd_response"] == "negative").sum() == 24
    assert r["ae_grade34_n"] is not None and result("ae_grade34_n").denominator == "n_total"
    # every rate with a count beside it is that count over the registry's denominator
    checked = 0
    for e in entries():
        count = e.key.removesuffix("_rate") + "_n"
        if e.unit == "proportion" and e.denominator and count in r and r[e.key] is not None:
            assert r[e.key] == pytest.approx(r[count] / r[e.denominator]), e.key
            checked += 1
    assert checked >= 8


def test_concordance_percents_use_the_registry_denominators(shipped_doc):
    rows = {row.key: row for row in concordance(shipped_doc["results"])}
    assert rows["n_mrd"].denominator == 66
    assert rows["rr_response_n"].denominator == 43
    assert rows["rr_mrdneg_n"].denominator == 29
    assert rows["n_total"].denominator is None


# --- results.json and its schema ----------------------------------------------------------------

def test_results_json_has_exactly_the_registry_and_validates(shipped_doc):
    assert list(shipped_doc["results"]) == [e.key for e in entries()]
    _validator().validate(shipped_doc)


def test_a_dataset_with_nulls_validates_too(tmp_path):
    import dataset_family as family

    doc = results_document(load(family.write_case("only_mrd", tmp_path / "only_mrd")),
                           commit="x", epoch=0, explain=explain)
    assert doc["results"]["n_rr"] == 0 and doc["results"]["rr_response_rate"] is None
    _validator().validate(doc)


@pytest.mark.parametrize("spoil, where", [
    (lambda d: d["results"].update(rr_response_rate=1.5), "rr_response_rate"),
    (lambda d: d["results"].update(n_total=66.5), "n_total"),
    (lambda d: d["results"].pop("mrd_os_2y"), "mrd_os_2y"),
    (lambda d: d["results"].update(not_a_result=1), "not_a_result"),
    (lambda d: d["meta"]["not_available"].update(not_a_result="why"), "not_a_result"),
])
def test_the_schema_refuses_what_the_registry_does_not_declare(shipped_doc, spoil, where):
    import copy

    doc = copy.deepcopy(shipped_doc)
    spoil(doc)
    errors = list(_validator().iter_errors(doc))
    assert errors and any(where in str(err.message) or where in list(err.path)
                          for err in errors)


# --- one more entry is one more result everywhere ------------------------------------------------

def _women(an) -> float:
    return float((an.adsl["sex"] == "F").mean())


def test_adding_an_entry_is_enough(monkeypatch, raw, shipped_doc):
    # a key that follows none of the naming conventions: only the entry says it is a rate
    extra = Result("women", "Women, share", "Share of all treated patients who are women.",
                   "proportion", "all", _women, "n_total")
    shipped_entries = registry.entries
    monkeypatch.setattr(registry, "entries", lambda: (*shipped_entries(), extra))

    an = Analysis(load(SHIPPED))
    new = results_document(an.dataset, commit="x", epoch=0, explain=explain, analysis=an)
    assert new["results"]["women"] == (raw["sex"] == "F").sum() / len(raw) == 0.5
    assert compute_results(an)["women"] == 0.5
    schema = results_schema()
    assert schema["properties"]["results"]["properties"]["women"]["title"] == "Women, share"
    _validator().validate(new)

    # added since the shipped edition: blina diff and the changes table name it by its label
    assert "Only in new (1):\n  Women, share (women) = 50.0%" in format_diff(shipped_doc, new)
    table = changes_table(shipped_doc, new)
    assert table.iloc[-1].tolist() == ["Women, share", "—", "50.0%", "added"]
    # changed between two editions: read as a rate, the change in percentage points
    fewer = {**new, "results": {**new["results"], "women": 0.25}}
    diff = diff_results(fewer, new, include_meta=False)
    assert diff[["key", "kind", "change"]].values.tolist() == [["women", "rate", 25.0]]
    assert re.search(r"Women, share\s+25\.0%\s+50\.0%\s+\+25\.0 pp", format_diff(fewer, new))


# --- the transplant results (issue 19) ----------------------------------------------------------

def _days_to_hsct(raw: pd.DataFrame) -> pd.Series:
    """Days from response to an allo-HSCT in continuous remission (no relapse on or before
    it), for the responders of the raw CSV."""
    responded = ((raw["group"] == "RR") & raw["hematologic_response"].isin(["CR", "CRh"])) | (
        (raw["group"] == "MRD") & (raw["mrd_response"] == "negative"))
    hsct = pd.to_datetime(raw["hsct_after_bc_date"])
    relapse = pd.to_datetime(raw["relapse_date"])
    consolidation = responded & raw["hsct_after_bc"] & ~(raw["relapse"] & (relapse <= hsct))
    return (hsct - pd.to_datetime(raw["response_date"])).dt.days[consolidation]


def test_transplant_results_are_the_raw_counts(raw, shipped_doc):
    r = shipped_doc["results"]
    days = _days_to_hsct(raw)
    assert r["transplant_consolidation_n"] == len(days) == 24
    assert r["transplant_salvage_excluded_n"] == 0
    for day in definitions.LANDMARK_SENSITIVITY_DAYS:
        key = f"transplant_hsct_by_day{day}_n"
        assert r[key] == (days <= day).sum(), key
        assert result(key).denominator == "transplant_consolidation_n"
    assert r["transplant_days_to_hsct_median"] == days.median() == 70
    assert r["transplant_days_to_hsct_q1"] == days.quantile(0.25) == 47.75
    assert r["transplant_primary_dfs_terms"] == "age_decades"


def test_transplant_results_have_their_units(shipped_doc):
    props = results_schema()["properties"]["results"]["properties"]
    assert props["transplant_ph_p"]["type"] == ["number", "null"]
    assert (props["transplant_ph_p"]["minimum"], props["transplant_ph_p"]["maximum"]) == (0, 1)
    assert props["transplant_primary_dfs_hr"]["type"] == ["number", "null"]
    assert "maximum" not in props["transplant_primary_dfs_hr"]
    assert props["transplant_primary_dfs_terms"]["type"] == ["string", "null"]
    assert props["transplant_days_to_hsct_q1"]["type"] == ["number", "null"]
    import copy

    doc = copy.deepcopy(shipped_doc)
    doc["results"]["transplant_ph_p"] = 1.5
    assert list(_validator().iter_errors(doc))
    # blina diff reads a p-value as one, the terms as text
    new = copy.deepcopy(shipped_doc)
    new["results"] |= {"transplant_ph_p": 0.2, "transplant_primary_dfs_terms": "none"}
    text = format_diff(shipped_doc, new)
    assert re.search(r"proportional-hazards test p, transplant\s+p = 0\.040\s+p = 0\.200\s+"
                     r"\+0\.160", text), text
    assert re.search(r"Primary transplant model: adjusted for\s+age_decades\s+none\s+changed",
                     text), text
