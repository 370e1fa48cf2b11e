"""The living record without building a book: the history table, the feed, withdrawal.

The editions here are ``results.json`` documents of the shipped data and of the committed
99-patient cohort, put into a site folder as ``blina publish`` lays it out; the built editions
(their pages, a browser) are tested in ``tests/book/test_publish.py``.
"""

from __future__ import annotations

import copy
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from blina_analysis.analyses import Analysis
from blina_analysis.analyses.results import results_document
from blina_analysis.cli import main
from blina_analysis.errors import BlinaError
from blina_analysis.publish.site import (
    MARKER, feed_xml, read_versions, reinstate_edition, withdraw_edition)
from blina_analysis.report.text import history
from blina_analysis.report.text.reasons import explain

ROOT = Path(__file__).resolve().parents[1]
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def docs():
    """Three editions' results: the shipped data, the 99-patient cohort, the shipped data again
    at a later cut-off with one result it could not compute."""
    first = results_document(Analysis.from_dir(ROOT / "data" / "synthetic").dataset,
                             commit="a", epoch=0, explain=explain)
    second = results_document(
        Analysis.from_dir(ROOT / "tests" / "fixtures" / "oracle" / "seed11_n99").dataset,
        commit="b", epoch=0, explain=explain)
    third = copy.deepcopy(first)
    for doc, version, cutoff in ((first, "1.0", "2018-06-30"), (second, "1.1", "2019-06-30"),
                                 (third, "1.2", "2020-06-30")):
        doc["meta"]["dataset"].update(name="blina-synthetic", version=version,
                                      cutoff_date=cutoff)
        doc["meta"].pop("edition", None)
    third["results"]["mrd_os_2y"] = None
    third["meta"]["not_available"]["mrd_os_2y"] = "Nobody was followed for 2 years."
    return first, second, third


def _edition(doc) -> str:
    return history._edition_of(doc)


def test_the_table_has_a_column_per_edition_and_gives_reasons(docs):
    first, second, third = docs
    editions = history.records(history.history_document([(first, None), (second, None)]), third)
    table = history.history_table(editions)
    assert list(table.columns) == ["Result"] + [
        f"Edition {_edition(d)} (data cut-off {d['meta']['dataset']['cutoff_date']})"
        for d in docs]
    row = dict(zip(table.columns, table[table["Result"] == "R/R: CR/CRh rate"].iloc[0]))
    r = first["results"]
    assert row[table.columns[1]] == (
        f"{round(100 * r['rr_response_rate'])}% (95% CI {round(100 * r['rr_response_ci_low'])}–"
        f"{round(100 * r['rr_response_ci_high'])}%); N = {r['n_rr_assessed']}")
    mrd_os = table[table["Result"] == "MRD+: 2-year OS from the start of blinatumomab"].iloc[0]
    assert mrd_os.iloc[3] == "Nobody was followed for 2 years."
    assert "N = 23" in mrd_os.iloc[1]  # the MRD+ group of the shipped data
    assert "2 earlier" not in history.intro(editions) and "the 2 editions" in \
        history.intro(editions)


def test_the_first_edition_says_there_is_no_earlier_one(docs):
    editions = history.records("", docs[0])
    assert len(history.history_table(editions).columns) == 2
    assert "no earlier edition" in history.intro(editions)


def test_the_figure_has_a_point_per_edition_that_has_the_estimate(docs):
    first, second, third = docs
    series = history.figure_series(history.records(
        history.history_document([(first, None), (second, None)]), third))
    by_key = {s["key"]: s["points"] for s in series}
    assert len(by_key["rr_response_rate"]) == 3 and len(by_key["mrd_os_2y"]) == 2
    assert all(low <= value <= high for pts in by_key.values() for _, value, low, high in pts)


def _site(tmp_path, docs, base="https://example.org/book/") -> Path:
    site = tmp_path / "site"
    site.mkdir()
    (site / MARKER).write_text("test site\n")
    versions = []
    for i, doc in enumerate(docs):
        edition = _edition(doc)
        (site / edition).mkdir()
        (site / edition / "results.json").write_text(json.dumps(doc), encoding="utf-8")
        (site / edition / "index.html").write_text(f"<p>{edition}</p>", encoding="utf-8")
        cutoff = doc["meta"]["dataset"]["cutoff_date"]
        versions.insert(0, {"version": edition, "name": f"{edition} (data cut-off {cutoff})",
                            "path": f"{edition}/", "url": f"{base}{edition}/",
                            "date": f"202{i}-01-01", "data_cutoff": cutoff,
                            "preferred": i == len(docs) - 1})
    import shutil

    shutil.copytree(site / versions[0]["path"], site / "latest")
    (site / "versions.json").write_text(json.dumps(versions, indent=2) + "\n", encoding="utf-8")
    return site


def _entries(text: str) -> list[ET.Element]:
    root = ET.fromstring(text.encode())
    assert root.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{required}") is not None
    return root.findall(f"{ATOM}entry")


def test_the_feed_is_atom_with_an_entry_per_edition_and_is_deterministic(tmp_path, docs):
    site = _site(tmp_path, docs)
    versions = read_versions(site)
    text = feed_xml(site, versions)
    assert text == feed_xml(site, versions)
    entries = _entries(text)
    assert len(entries) == 3
    newest = entries[0]
    assert newest.find(f"{ATOM}title").text == f"Edition {_edition(docs[2])} (data cut-off " \
                                               f"2020-06-30)"
    assert newest.find(f"{ATOM}link").get("href") == f"https://example.org/book/" \
                                                     f"{_edition(docs[2])}/"
    assert newest.find(f"{ATOM}updated").text == "2022-01-01T00:00:00Z"
    summary = newest.find(f"{ATOM}summary").text
    assert summary.startswith("Data cut-off 2020-06-30. Largest changes since edition")
    assert "Patients, all 99 → 66" in summary and "pp)" in summary  # reader labels
    assert "first edition" in entries[2].find(f"{ATOM}summary").text


def test_withdrawal_is_recorded_announced_and_undone(tmp_path, docs, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01
    site = _site(tmp_path, docs)
    first, second, third = (_edition(d) for d in docs)
    latest = (site / "latest" / "index.html").read_bytes()
    withdraw_edition(site, second, "A data entry error in two patients' dates", echo=lambda _: 0)
    versions = read_versions(site)
    entry = next(e for e in versions if e["version"] == second)
    assert entry["withdrawn"] == {"date": "2026-01-01",
                                  "reason": "A data entry error in two patients' dates"}
    assert [e["preferred"] for e in versions] == [True, False, False]
    assert (site / "latest" / "index.html").read_bytes() == latest
    entries = _entries((site / "feed.xml").read_text(encoding="utf-8"))
    assert len(entries) == 4 and entries[0].find(f"{ATOM}title").text == \
        f"Edition {second} withdrawn"
    assert "data entry error" in entries[0].find(f"{ATOM}summary").text

    # withdrawing the newest moves latest/ to the newest edition still standing
    withdraw_edition(site, third, "Wrong cut-off", echo=lambda _: 0)
    assert (site / "latest" / "index.html").read_text() == f"<p>{first}</p>"
    with pytest.raises(BlinaError, match="only edition .* not withdrawn"):
        withdraw_edition(site, first, "no", echo=lambda _: 0)
    reinstate_edition(site, third, echo=lambda _: 0)
    reinstate_edition(site, second, echo=lambda _: 0)
    versions = read_versions(site)
    assert not any(e.get("withdrawn") for e in versions)
    assert versions[0]["preferred"] and (site / "latest" / "index.html").read_text() == \
        f"<p>{third}</p>"
    titles = [e.find(f"{ATOM}title").text
              for e in _entries((site / "feed.xml").read_text(encoding="utf-8"))]
    assert f"Edition {second} reinstated" in titles


def test_withdrawal_refuses_with_a_plain_message(tmp_path, docs):
    site = _site(tmp_path, docs[:1])
    runner = CliRunner()
    only = _edition(docs[0])
    for args, message in (
            (["--withdraw", only, "--reason", "x"], "only edition"),
            (["--withdraw", "9.9.9+nothing-1", "--reason", "x"], "is not published"),
            (["--withdraw", only], "needs its reason"),
            (["--reinstate", only], "is not withdrawn")):
        result = runner.invoke(main, ["publish", "--site", str(site), *args])
        assert result.exit_code == 1, (args, result.output)
        assert message in result.output and "Traceback" not in result.output, result.output
