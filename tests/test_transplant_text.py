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


# --- few transplants: a count of 0 or 1 said in words, and no claim the counts do not hold -----

#: Edge datasets of tests/dataset_family.py with one or two transplants, each in remission.
FEW_TRANSPLANTS = ("one_patient_mrd", "three_rr_patients", "real_small_no_events")


@pytest.fixture(scope="module")
def few_transplants(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("few-transplants")
    return {case: family.write_case(case, root / case) for case in FEW_TRANSPLANTS}


def _patients(folder: Path) -> dict[str, dict]:
    """The rows of ``patients.csv`` as written, by patient ID (read here, not by the package)."""
    with open(folder / "patients.csv", newline="", encoding="utf-8") as f:
        return {row["patient_id"]: row for row in csv.DictReader(f)}


def _days(start: str, end: str) -> int:
    import datetime as dt

    return (dt.date.fromisoformat(end) - dt.date.fromisoformat(start)).days


def _texts(folder: Path, lang: str) -> dict[str, str]:
    from blina_analysis.i18n import use_language

    an = Analysis(load(folder))
    with use_language(lang):
        return {"exposure": transplant.exposure_text(an),
                "timing": transplant.time_to_hsct_text(an),
                "landmark": transplant.landmark_text(an)}


def test_one_transplant_in_remission_and_none_left_untransplanted_at_the_landmark(
        few_transplants):
    """One MRD+ responder (SYN-003), transplanted in remission before the 90-day landmark."""
    folder = few_transplants["one_patient_mrd"]
    (row,) = _patients(folder).values()
    day = _days(row["response_date"], row["hsct_after_bc_date"])
    assert (row["relapse"], day) == ("false", 78)  # transplanted in remission, by day 90
    assert _texts(folder, "en") == {
        "exposure": "The only responder had an allo-HSCT after blinatumomab, in continuous "
                    "remission (consolidation, the exposure).",
        "timing": "The only transplant in remission took place 78 days after response; by day "
                  "60, 90, 120 and 180 after response, 0, 1, 1 and 1 had been transplanted. No "
                  "responder was in follow-up and not yet transplanted at the 90-day landmark.",
        "landmark": "The only responder still in follow-up 90 days after response (0 excluded) "
                    "had been transplanted by then, so there is no landmark comparison."}
    assert _texts(folder, "ru") == {
        "exposure": "Единственному ответившему пациенту аллоТГСК после блинатумомаба выполнена "
                    "в непрерывной ремиссии (консолидация, изучаемое воздействие).",
        "timing": "Единственная аллоТГСК в ремиссии выполнена через 78 дн. после ответа; к 60, "
                  "90, 120 и 180-му дню после ответа аллоТГСК выполнена соответственно у 0, 1, 1 "
                  "и 1. К ландмарку на 90-й день под наблюдением без аллоТГСК не осталось ни "
                  "одного ответившего пациента.",
        "landmark": "Единственный ответивший пациент, остававшийся под наблюдением через 90 дн. "
                    "после ответа (исключено 0), к этому сроку получил аллоТГСК, поэтому "
                    "ландмарк-сравнение невозможно."}


def test_a_responder_who_relapsed_before_the_landmark_is_excluded_from_it(few_transplants):
    """Three R/R patients: SYN-001 responded and relapsed before day 90, SYN-002 responded and
    was transplanted in remission, SYN-004 did not respond."""
    folder = few_transplants["three_rr_patients"]
    rows = _patients(folder)
    assert _days(rows["SYN-001"]["response_date"], rows["SYN-001"]["relapse_date"]) == 88
    assert rows["SYN-002"]["relapse"] == "false"
    assert _days(rows["SYN-002"]["response_date"], rows["SYN-002"]["hsct_after_bc_date"]) == 48
    assert rows["SYN-004"]["hematologic_response"] == "NR"
    en, ru = _texts(folder, "en"), _texts(folder, "ru")
    assert en["exposure"] == (
        "Of the 2 responders, 1 had an allo-HSCT after blinatumomab, in continuous remission "
        "(consolidation, the exposure); none had one after a relapse (salvage, counted as not "
        "transplanted).")
    assert en["timing"].startswith("The only transplant in remission took place 48 days after "
                                   "response; by day 60, 90, 120 and 180 after response, 1, 1, 1 "
                                   "and 1 had been transplanted.")
    assert en["landmark"] == ("The only responder still in follow-up 90 days after response (1 "
                              "excluded) had been transplanted by then, so there is no landmark "
                              "comparison.")
    assert ru["exposure"].startswith("Из 2 ответивших пациентов аллоТГСК после блинатумомаба "
                                     "выполнена у 1, в непрерывной ремиссии")
    assert ru["landmark"] == ("Единственный ответивший пациент, остававшийся под наблюдением "
                              "через 90 дн. после ответа (исключено 1), к этому сроку получил "
                              "аллоТГСК, поэтому ландмарк-сравнение невозможно.")


def test_no_later_transplant_means_the_landmark_groups_do_not_mix(few_transplants):
    """Five patients without events: responders SYN-001 and SYN-005 never transplanted and
    followed past day 90, SYN-002 and SYN-003 transplanted in remission by then."""
    folder = few_transplants["real_small_no_events"]
    rows = _patients(folder)
    untransplanted = [pid for pid in ("SYN-001", "SYN-005")
                      if rows[pid]["hsct_after_bc"] == "false"
                      and _days(rows[pid]["response_date"], rows[pid]["last_followup_date"]) > 90]
    assert untransplanted == ["SYN-001", "SYN-005"]
    assert [_days(rows[p]["response_date"], rows[p]["hsct_after_bc_date"])
            for p in ("SYN-002", "SYN-003")] == [48, 78]
    en, ru = _texts(folder, "en"), _texts(folder, "ru")
    assert en["timing"].endswith(
        "Of the 2 responders in follow-up and not yet transplanted at the 90-day landmark, none "
        "was transplanted later: the landmark groups do not mix early and late transplants.")
    assert "mix early and late transplants." not in en["timing"].replace("do not mix", "")
    assert ru["timing"].endswith(
        "Ни одному из 2 ответивших пациентов, остававшихся под наблюдением без аллоТГСК к "
        "ландмарку на 90-й день, аллоТГСК позднее не выполнена: группы ландмарк-анализа не "
        "смешивают ранние и поздние трансплантации.")
    assert en["exposure"] == (
        "Of the 4 responders, 2 had an allo-HSCT after blinatumomab, in continuous remission "
        "(consolidation, the exposure); none had one after a relapse (salvage, counted as not "
        "transplanted).")


def test_the_prose_after_the_landmark_sentence_holds_when_there_is_no_comparison(
        few_transplants):
    """The landmark sentence may say that there is no comparison (one group only, as for
    ``three_rr_patients``); the chapter's own words after it then name what the figure shows,
    never "the landmark comparison" (it said "The landmark comparison is shown in Fig. 4.2")."""
    folder = few_transplants["three_rr_patients"]
    assert _texts(folder, "en")["landmark"].endswith("so there is no landmark comparison.")
    for chapter, glue, shown in (
            ("transplant", "{glue:text}`landmark_text`",
             "Relapse-free survival from the landmark is shown in"),
            ("rr_results", "{glue:text}`rr_by_response_text`",
             "Overall survival from the landmark is shown in")):
        source = " ".join((ROOT / "chapters" / f"{chapter}.md").read_text(
            encoding="utf-8").split())
        after = source.split(glue, 1)[1][:120]
        assert after.lstrip().startswith(shown), (chapter, after)
        assert "comparison is shown" not in source, chapter
