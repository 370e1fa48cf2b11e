"""Edition identifiers and the readers' labels of results (issue: editions are named, rows read)."""

from __future__ import annotations

import pytest

from blina_analysis.report.tables import concordance_table
from blina_analysis.analyses.registry import entries, result_label
from blina_analysis.data.published import abstract_values
from blina_analysis.publish.editions import EDITION_PATTERN, dataset_slug, edition_id, edition_of


@pytest.mark.parametrize("name, version, book, expected", [
    ("blina-synthetic", "1.0", "0.2.0", "0.2.0+blina-synthetic-1.0"),
    ("blina-synthetic", "1.1", "0.2.0", "0.2.0+blina-synthetic-1.1"),
    ("Trial file", "2024/06", "1.0.0", "1.0.0+Trial-file-2024-06"),
    ("cut_é", "v2", "0.1.0", "0.1.0+cut-v2"),
])
def test_edition_id_is_semver_with_the_dataset_as_build_metadata(name, version, book, expected):
    assert edition_id(name, version, book) == expected
    assert EDITION_PATTERN.match(expected)


def test_two_data_cuts_are_two_editions():
    assert edition_id("blina-synthetic", "1.0") != edition_id("blina-synthetic", "1.1")


def test_slug_never_empty_and_never_starts_with_a_separator():
    assert dataset_slug("", "") == "dataset"
    assert dataset_slug("--x", "..") == "x"


def test_edition_of_a_results_document():
    doc = {"meta": {"book_version": "0.1.0",
                    "dataset": {"name": "blina-synthetic", "version": "1.0"}}}
    assert edition_of(doc) == "0.1.0+blina-synthetic-1.0"
    assert edition_of({"meta": {**doc["meta"], "edition": "given"}}) == "given"


def test_every_result_has_a_readable_label():
    labels = [e.label for e in entries()]
    assert all(labels)
    assert len(set(labels)) == len(labels), "labels must be unique"
    assert result_label("rr_responders_dfs_2y") == ("R/R responders: 2-year DFS from the start "
                                                    "of blinatumomab")
    assert result_label("not_a_key") == "not_a_key"


def test_concordance_rows_carry_the_same_labels():
    results = {k: None for k in abstract_values()} | {"n_total": 66}
    table = concordance_table(results)
    assert table["quantity"].tolist() == [result_label(k) for k in abstract_values()]
    assert "_" not in "".join(table["quantity"]), "internal keys leaked into the labels"
