"""The transplant chapter's words chosen from values: the reading of the proportional-hazards
test, and the landmark figure's p-value given only where the text gives one.

Expected values come from R (tests/fixtures/oracle) or from the edge datasets' definitions,
never from the package."""

from __future__ import annotations

import csv
from pathlib import Path

import jupytext
import pytest

import dataset_family as family
from blina_analysis.analyses import Analysis
from blina_analysis.data.io import load
from blina_analysis.errors import NoInformation
from blina_analysis.report.text import transplant

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "data" / "synthetic"
ORACLE = ROOT / "tests" / "fixtures" / "oracle" / "shipped"

NOT_CONSTANT = "the hazard ratio of transplant may not be constant over time"
NO_DEPARTURE = "no departure from proportional hazards was detected"


def _oracle_row(name: str) -> dict:
    with open(ORACLE / f"{name}.csv", newline="", encoding="utf-8") as f:
        return next(csv.DictReader(f))


@pytest.mark.parametrize("p_transplant, p_global, says, not_says", [
    (0.04, 0.12, [NOT_CONSTANT, "landmark analyses"], [NO_DEPARTURE]),
    (0.049, 0.049, [NOT_CONSTANT], [NO_DEPARTURE]),
    (0.05, 0.30, [NO_DEPARTURE + "."], [NOT_CONSTANT, "covariate"]),
    (0.60, 0.01, [NO_DEPARTURE + " for transplant",
                  "the hazard ratio of an adjustment covariate may not be constant"],
     [NOT_CONSTANT]),
])
def test_the_ph_test_is_read_from_its_value(p_transplant, p_global, says, not_says):
    (text,) = transplant.ph_reading(p_transplant, p_global)
    for words in says:
        assert words in text, (words, text)
    for words in not_says:
        assert words not in text, (words, text)


def test_a_ph_test_without_p_says_nothing():
    assert transplant.ph_reading(float("nan"), 0.3) == []


def test_shipped_ph_test_is_read_as_not_constant():
    # R's cox.zph gives p = 0.040 for transplant on the shipped data
    assert float(_oracle_row("transplant_primary")["zph_exposed_p"]) < 0.05
    text = transplant.primary_text(Analysis(load(SHIPPED)))
    assert "gave p = 0.040 for transplant" in text and NOT_CONSTANT in text
    assert NO_DEPARTURE not in text


def _landmark_figure_note(data_dir: Path, monkeypatch) -> list:
    """The ``note`` the transplant chapter passes to the landmark figure, by executing its
    code cells with the drawing and the glue replaced."""
    from blina_analysis import book
    from blina_analysis.publish.build import DATA_ENV
    from blina_analysis.report import figures

    notes = {}
    monkeypatch.setenv(DATA_ENV, str(data_dir))
    book._analysis.cache_clear()
    drawn = []
    monkeypatch.setattr(figures, "km_plot", lambda *a, **k: drawn.append(k.get("note")))
    monkeypatch.setattr(figures, "cif_plot", lambda *a, **k: None)
    monkeypatch.setattr(book, "glue_text", lambda *a, **k: None)
    monkeypatch.setattr(book, "show_table", lambda *a, **k: None)

    def glue_figure(name, make):  # as book.glue_figure: no information, no figure
        drawn.clear()
        try:
            make()
        except NoInformation:
            pass
        notes[name] = drawn[0] if drawn else None
    monkeypatch.setattr(book, "glue_figure", glue_figure)
    namespace = {"__name__": "__main__"}
    for cell in jupytext.read(ROOT / "chapters" / "transplant.md").cells:
        if cell.cell_type == "code":
            exec(compile(cell.source, "transplant.md", "exec"), namespace)
    book._analysis.cache_clear()
    return notes["fig-landmark"]


def test_landmark_figure_has_a_p_value_only_when_the_text_has_one(tmp_path, monkeypatch):
    # shipped: 18 and 23 patients, 22 events after the 90-day landmark (R): tested
    r_p = next(r for r in csv.DictReader(open(ORACLE / "transplant_landmarks.csv"))
               if r["landmark"] == "90")["p_value"]
    note = _landmark_figure_note(SHIPPED, monkeypatch)
    assert note == f"p = {float(r_p):.3f} (log-rank)" == "p = 0.309 (log-rank)"
    assert "p = 0.309, log-rank" in transplant.landmark_text(Analysis(load(SHIPPED)))
    # every responder transplanted: 3 of 41 not transplanted by the landmark (fewer than 5),
    # where a log-rank p exists but the text gives none: neither does the figure
    folder = family.write_case("every_responder_transplanted", tmp_path / "all_transplanted")
    assert _landmark_figure_note(folder, monkeypatch) is None
    text = transplant.landmark_text(Analysis(load(folder)))
    assert "there is no log-rank test" in text and "p =" not in text
