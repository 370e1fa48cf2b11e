"""``blina diff`` and :mod:`blina_analysis.publish.diff`: what changed between two results.json files."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from blina_analysis.cli import main
from blina_analysis.publish.diff import changes_table, diff_results, format_diff, load_results
from blina_analysis.errors import BlinaError

SHIPPED = Path(__file__).resolve().parent.parent / "data" / "synthetic"


def _doc(version="0.1.0", commit="a04f693858b3", dataset_version="1.0", **results):
    base = {
        "n_total": 66,
        "rr_response_n": 29,
        "rr_response_rate": 29 / 43,
        "mrd_os_2y": 0.6512,
        "median_followup_days": 540,
        "age_min": 18,
    }
    base.update(results)
    return {
        "meta": {
            "book_version": version,
            "source_commit": commit,
            "build_date": "2026-11-28T20:36:39Z",
            "dataset": {"name": "blina-synthetic", "version": dataset_version,
                        "cutoff_date": "2018-06-30", "synthetic": True,
                        "fingerprint": "ab" * 32, "sha256": {}},
            "packages": {"pandas": "2.2.3"},
        },
        "results": base,
    }


@pytest.fixture
def old():
    return _doc()


@pytest.fixture
def new():
    return _doc(version="0.2.0", commit="0123456789ab", dataset_version="2.0",
                rr_response_n=31, rr_response_rate=31 / 44, median_followup_days=600)


def _write(path: Path, doc) -> Path:
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


# --- diff_results ----------------------------------------------------------------------------


def test_changed_values_are_reported_with_change_in_display_units(old, new):
    d = diff_results(old, new).set_index("key")
    assert d.loc["rr_response_rate", "status"] == "changed"
    assert d.loc["rr_response_rate", "kind"] == "rate"
    assert d.loc["rr_response_rate", "change"] == pytest.approx(100 * (31 / 44 - 29 / 43))
    assert d.loc["rr_response_n", "kind"] == "count"
    assert d.loc["rr_response_n", "change"] == 2
    assert d.loc["median_followup_days", "kind"] == "days"
    assert d.loc["median_followup_days", "change"] == 60


def test_unchanged_values_are_not_reported(old, new):
    keys = set(diff_results(old, new)["key"])
    assert not keys & {"n_total", "mrd_os_2y", "age_min", "dataset.name", "packages.pandas"}
    assert diff_results(old, copy.deepcopy(old)).empty
    full = diff_results(old, new, include_unchanged=True)
    assert set(full.loc[full["status"] == "unchanged", "key"]) >= {"n_total", "mrd_os_2y"}


def test_meta_differences_are_reported(old, new):
    meta = diff_results(old, new).query("section == 'meta'").set_index("key")
    assert set(meta.index) == {"book_version", "source_commit", "dataset.version"}
    assert meta.loc["book_version", ["old", "new"]].tolist() == ["0.1.0", "0.2.0"]
    assert "book_version" not in set(diff_results(old, new, include_meta=False)["key"])


def test_keys_only_in_one_side_are_listed(old, new):
    del new["results"]["age_min"]
    new["results"]["rr_mrdneg_rate"] = 0.8
    d = diff_results(old, new).set_index("key")
    assert d.loc["age_min", "status"] == "only in old"
    assert d.loc["rr_mrdneg_rate", "status"] == "only in new"
    assert d.loc["rr_mrdneg_rate", "old"] is None


def test_null_to_value_is_a_change_without_a_number():
    a, b = _doc(mrd_os_2y=None), _doc(mrd_os_2y=0.5)
    row = diff_results(a, b).set_index("key").loc["mrd_os_2y"]
    assert row["status"] == "changed" and row["change"] is None
    assert "NA" in format_diff(a, b)


def test_results_keep_the_published_order(old, new):
    keys = diff_results(old, new, include_meta=False)["key"].tolist()
    assert keys == ["rr_response_n", "rr_response_rate", "median_followup_days"]


def test_not_a_results_document_is_refused():
    with pytest.raises(BlinaError, match="not a results.json"):
        diff_results({"results": {}}, _doc())


def test_real_results_against_a_copy_with_one_rate_changed():
    """The document a build writes, diffed with itself and with one rate moved by 5 points."""
    from blina_analysis.data.io import load
    from blina_analysis.analyses.results import results_document
    from blina_analysis.report.text.reasons import explain

    doc = results_document(load(SHIPPED), commit="x", epoch=0, explain=explain)
    assert diff_results(doc, copy.deepcopy(doc)).empty
    moved = copy.deepcopy(doc)
    moved["results"]["rr_response_rate"] += 0.05
    d = diff_results(doc, moved)
    assert d["key"].tolist() == ["rr_response_rate"]
    assert d["change"].iloc[0] == pytest.approx(5.0)


# --- formatting ------------------------------------------------------------------------------


def test_format_diff_shows_percentages_points_counts_and_days(old, new):
    text = format_diff(old, new)
    rate_line = next(ln for ln in text.splitlines() if ln.startswith("R/R: CR/CRh rate "))
    assert "67.4%" in rate_line and "70.5%" in rate_line and "+3.0 pp" in rate_line
    n_line = next(ln for ln in text.splitlines() if ln.startswith("R/R: CR/CRh, patients"))
    assert n_line.split()[-3:] == ["29", "31", "+2"]
    assert "540 days" in text and "600 days" in text and "+60 days" in text
    assert "Results: 3 of 6 changed" in text
    assert "n_total" not in text


def test_format_diff_names_both_editions(old, new):
    lines = format_diff(old, new).splitlines()
    assert lines[0].startswith("old: edition 0.1.0+blina-synthetic-1.0 (book 0.1.0, ")
    assert lines[1].startswith("new: edition 0.2.0+blina-synthetic-2.0 (book 0.2.0, ")
    assert "cut-off 2018-06-30" in lines[0]


def test_format_diff_decrease_and_no_change(old, new):
    assert "\u22123.0 pp" in format_diff(new, old)  # a true minus sign
    text = format_diff(old, copy.deepcopy(old))
    assert "Build (meta): no difference" in text and "Results: none of 6 changed" in text


def test_changes_table_for_a_chapter(old, new):
    t = changes_table(old, new)
    assert list(t.columns) == ["Result", "Edition 0.1.0+blina-synthetic-1.0",
                               "Edition 0.2.0+blina-synthetic-2.0", "Change"]
    row = t.set_index("Result").loc["R/R: CR/CRh rate"]
    assert row.tolist() == ["67.4%", "70.5%", "+3.0 pp"]
    assert t["Result"].tolist() == ["R/R: CR/CRh, patients", "R/R: CR/CRh rate",
                                    "Median follow-up (reverse Kaplan–Meier), days"]
    assert all(isinstance(v, str) for v in t.to_numpy().ravel())
    same = changes_table(old, _doc(rr_response_rate=0.7))
    assert list(same.columns)[1:3] == ["Edition 0.1.0+blina-synthetic-1.0 (earlier)",
                                       "Edition 0.1.0+blina-synthetic-1.0 (this edition)"]
    cut = changes_table(old, _doc(dataset_version="1.1", rr_response_rate=0.7))
    assert list(cut.columns)[1:3] == ["Edition 0.1.0+blina-synthetic-1.0",
                                      "Edition 0.1.0+blina-synthetic-1.1"]
    assert changes_table(old, copy.deepcopy(old)).empty


# --- the command -----------------------------------------------------------------------------


def test_cli_diff_prints_the_table_and_exits_0(tmp_path, old, new):
    new["results"]["only_new_n"] = 3
    a, b = _write(tmp_path / "old.json", old), _write(tmp_path / "new.json", new)
    result = CliRunner().invoke(main, ["diff", str(a), str(b)])
    assert result.exit_code == 0, result.output
    assert "R/R: CR/CRh rate" in result.output and "+3.0 pp" in result.output
    assert "edition 0.2.0+blina-synthetic-2.0" in result.output
    assert "book_version" in result.output and "0.2.0" in result.output
    assert "Only in new (1):" in result.output and "only_new_n (only_new_n) = 3" in result.output


@pytest.mark.parametrize("content, message", [
    (None, "no such file"),
    ("{not json", "invalid JSON"),
    ('{"results": {}}', "not a results.json"),
    ("[1, 2]", "not a results.json"),
    (b"\xff\xfe\x00binary", "not UTF-8"),
])
def test_cli_diff_bad_file_exits_1_without_traceback(tmp_path, old, content, message):
    good = _write(tmp_path / "good.json", old)
    bad = tmp_path / "bad.json"
    if isinstance(content, bytes):
        bad.write_bytes(content)
    elif content is not None:
        bad.write_text(content, encoding="utf-8")
    result = CliRunner().invoke(main, ["diff", str(good), str(bad)])
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)


def test_load_results_names_the_file(tmp_path):
    with pytest.raises(BlinaError, match="missing.json: no such file"):
        load_results(tmp_path / "missing.json")
