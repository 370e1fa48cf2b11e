"""The Russian words of the front page, the methods and the course-of-each-patient sentences:
count-dependent nouns in the right Russian form at 0, 1, 2, 5, 11, 21, 22 and 101, zero said as
"no patient" / «ни у одного пациента» (or the zero sentence), and the English words unchanged.

The counts are given to the sentences through small stand-ins of the analysis (hand counts), or
counted from the raw CSV of the shipped data; expected words are written out by hand, never taken
from the package's output.
"""

from __future__ import annotations

import csv
from datetime import date
from types import SimpleNamespace

import pandas as pd
import pytest

from blina_analysis.analyses import Analysis
from blina_analysis.analyses.description import Screening
from blina_analysis.i18n import use_language
from blina_analysis.publish.provenance import shipped_data_dir
from blina_analysis.report.text import BuildFacts, course, index, methods, page_values

COUNTS = (0, 1, 2, 5, 11, 21, 22, 101)
#: The Russian form of a noun after each count of COUNTS (1, 21, 101: one; 2, 22: few; else many).
FORM = {0: "many", 1: "one", 2: "few", 5: "many", 11: "many", 21: "one", 22: "few", 101: "one"}
#: Words that only an English sentence has.
ENGLISH = (" the ", " was ", " were ", " patient", " with ", " of ", " and ", " months")
#: The keys of the front page and of the methods chapter whose sentences come from other
#: modules (translated with those modules' pages).
OTHER_MODULES = {"abstract_transplant", "data_provenance", "dataset_kind", "data_description", "dataset_description",
                 "abstract_rr", "abstract_conclusion", "followup_sentence"}


def english_in(text: str) -> list[str]:
    padded = f" {text} "
    return [w for w in ENGLISH if w in padded] + (["{"] if "{" in text else [])


@pytest.fixture(scope="module")
def shipped() -> Analysis:
    return Analysis.from_dir(shipped_data_dir())


def _rows(name: str) -> list[dict]:
    with (shipped_data_dir() / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


# --- stand-ins of the analysis: the counts a sentence reads, by hand -----------------------------

def _identity(n_patients: int, n_events: int, n_mrd: int | None = None):
    n_mrd = n_patients // 2 if n_mrd is None else n_mrd
    groups = ["MRD"] * n_mrd + ["RR"] * (n_patients - n_mrd)
    return SimpleNamespace(
        adsl=pd.DataFrame({"group": groups}), n=lambda pop: n_patients,
        dataset=SimpleNamespace(meta=SimpleNamespace(name="demo", version="2",
                                                     cutoff_date=date(2026, 6, 30)),
                                adverse_events=[None] * n_events, fingerprint="0123456789abcdef" * 4))


def _screening(screened: int, excluded: int, never_treated: int | None = None):
    screening = Screening(screened, (("ineligible", excluded),) if excluded else (),
                          (("withdrew", never_treated),) if never_treated is not None else (),
                          screened - excluded - (never_treated or 0))
    return SimpleNamespace(screening=lambda: screening)


def _followup(alive: int, low_days: float = 30.4375, high_days: float = 608.75):
    summary = SimpleNamespace(n_censored=alive, min_censored=low_days, max_censored=high_days)
    return SimpleNamespace(followup_summary=lambda: summary,
                           followup=lambda: SimpleNamespace(time=304.375))


def _completeness(n: int, alive: int, lost: int, first=(2014, 10), last=(2017, 12)):
    fc = SimpleNamespace(n=n, first_start=first, last_start=last, completeness=0.98,
                         n_alive=alive, n_lost=lost)
    return SimpleNamespace(followup_completeness=lambda: fc,
                           dataset=SimpleNamespace(meta=SimpleNamespace(
                               cutoff_date=date(2018, 6, 30))))


# --- the front page ------------------------------------------------------------------------------

@pytest.mark.parametrize("n", [c for c in COUNTS if c])
def test_adults_take_the_russian_form(n):
    with use_language("ru"):
        text = index._patients(n)
    words = {"one": "взрослый пациент", "few": "взрослых пациента", "many": "взрослых пациентов"}
    assert text == f"{n} {words[FORM[n]]}"
    assert index._patients(n) == (f"{n} adult" if n == 1 else f"{n} adults")


@pytest.mark.parametrize("n", COUNTS)
def test_prior_hsct_sentence_in_both_languages(tmp_path, n):
    """The whole sentence is glued, so that a zero takes its verb's negation in Russian."""
    shown = {0: None, 1: "0.1%", 2: "0.2%", 5: "0.5%", 11: "1.1%", 21: "2.1%", 22: "2.2%",
             101: "10%"}[n]

    import pandas as pd

    prior = pd.Series([True] * n + [False] * (1000 - n))

    class Stub:  # the two counts the sentence reads
        adsl = {"prior_allo_hsct": prior}

        @staticmethod
        def n(pop):
            return 1000

    with use_language("ru"):
        russian = index._prior_hsct_sentence(Stub())
    english = index._prior_hsct_sentence(Stub())
    if n == 0:
        assert russian == ("Ни у одного пациента блинатумомаб не применялся после ранее "
                           "выполненной аллоТГСК.")
        assert english == "No patient was given blinatumomab after a prior allo-HSCT."
        return
    noun = {"one": "пациента", "few": "пациентов", "many": "пациентов"}[FORM[n]]
    assert russian == (f"У {n} ({shown.replace('.', ',')}) {noun} блинатумомаб применён после "
                       "ранее выполненной аллоТГСК.")
    assert english == (f"In {n} ({shown}) {'patient' if n == 1 else 'patients'} blinatumomab "
                       "was given after a prior allo-HSCT.")


def test_front_page_of_the_shipped_data(shipped):
    patients = _rows("patients.csv")
    n = len(patients)
    responders = sum(1 for p in patients if p["response_date"])
    english = page_values("index", shipped)
    assert english["n_adults"] == f"{n} adults"
    assert english["abstract_responders"].startswith(f"Among the {responders} responders, counted "
                                                     "from the response, 2-year relapse-free")
    assert english["abstract_cohort_survival"].startswith(f"Among all {n} treated patients, "
                                                          "counted from day 1 of blinatumomab")
    with use_language("ru"):
        russian = page_values("index", shipped)
    assert russian["n_adults"] == f"{n} взрослых пациентов"  # 66
    assert russian["abstract_responders"].startswith(
        f"У {responders} ответивших на терапию пациентов 2-летняя выживаемость без рецидива (ВБР)")
    assert russian["abstract_cohort_survival"].startswith(f"У всех {n} пролеченных пациентов")
    mine = {k: v for k, v in russian.items() if k not in OTHER_MODULES}
    assert not {k: english_in(v) for k, v in mine.items() if english_in(v)}
    # the counts of the shipped data after «у»: 18 with a prior allo-HSCT
    prior = sum(1 for p in patients if p["prior_allo_hsct"].lower() in ("true", "1", "yes"))
    assert russian["prior_hsct_sentence"].startswith(f"У {prior} (")
    assert " пациентов блинатумомаб применён" in russian["prior_hsct_sentence"]


@pytest.mark.parametrize("n, expected", [
    (1, "For the only treated patient, counted from day 1 of blinatumomab"),
])
def test_one_patient_cohort(tmp_path, n, expected):
    import dataset_family
    an = Analysis.from_dir(dataset_family.write_case("one_patient_rr", tmp_path / "one"))
    assert page_values("index", an)["abstract_cohort_survival"].startswith(expected)
    assert page_values("index", an)["n_adults"] == "1 adult"
    with use_language("ru"):
        russian = page_values("index", an)
    assert russian["abstract_cohort_survival"].startswith("У единственного пролеченного пациента")
    assert russian["n_adults"] == "1 взрослый пациент"
    assert russian["n_mrd"] == "ни одного"  # no MRD+ patient in this dataset
    assert page_values("index", an)["n_mrd"] == "none"


# --- the methods chapter -------------------------------------------------------------------------

@pytest.mark.parametrize("n", [c for c in COUNTS if c])
def test_dataset_identity_counts(n):
    an = _identity(n, n)
    with use_language("ru"):
        text = methods.dataset_identity(an)
    patients = {"one": "пролеченный пациент", "few": "пролеченных пациента",
                "many": "пролеченных пациентов"}[FORM[n]]
    events = {"one": "нежелательное явление", "few": "нежелательных явления",
              "many": "нежелательных явлений"}[FORM[n]]
    assert f"В нём {n} {patients} (" in text and f") и {n} {events}." in text
    assert "дата среза данных 30.06.2026" in text and "«demo»" in text
    english = methods.dataset_identity(an)
    s = "" if n == 1 else "s"
    assert (f"with data cut-off 2026-06-30. It holds {n} treated patient{s} ({n // 2} MRD+, "
            f"{n - n // 2} R/R) and {n} adverse event{s}.") in english


def test_dataset_identity_without_adverse_events():
    an = _identity(5, 0, n_mrd=2)
    assert "It holds 5 treated patients (2 MRD+, 3 R/R) and no adverse event." in (
        methods.dataset_identity(an))
    with use_language("ru"):
        assert "В нём 5 пролеченных пациентов (2 МОБ+, 3 Р/Р ОЛЛ) и ни одного нежелательного " \
               "явления." in methods.dataset_identity(an)


@pytest.mark.parametrize("excluded", COUNTS)
def test_flow_note_counts(excluded):
    screened = 21
    an = _screening(screened + excluded, excluded)
    total = screened + excluded
    english = methods.flow_note(an)
    with use_language("ru"):
        russian = methods.flow_note(an)
    noun = {"one": "пациента, прошедшего скрининг", "few": "пациентов, прошедших скрининг",
            "many": "пациентов, прошедших скрининг"}[FORM.get(total, _form(total))]
    if excluded == 0:
        assert english.startswith("Of 21 patients screened, none were excluded before enrolment.")
        assert russian.startswith(f"Из 21 {noun}, ни один не был исключён до включения")
    else:
        verb = "was" if excluded == 1 else "were"
        assert english.startswith(f"Of {total} patients screened, {excluded} {verb} excluded "
                                  "before enrolment.")
        ru_verb = "исключён" if FORM[excluded] == "one" else "исключены"
        assert russian.startswith(f"Из {total} {noun}, {excluded} {ru_verb} до включения")


def _form(n: int) -> str:
    """The CLDR plural category of ``n`` in Russian, by the rule of the glossary."""
    if n % 10 == 1 and n % 100 != 11:
        return "one"
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return "few"
    return "many"


def test_flow_note_when_every_enrolled_patient_was_treated():
    an = _screening(30, 4, never_treated=0)
    assert methods.flow_note(an).endswith("All 26 enrolled started blinatumomab.")
    with use_language("ru"):
        assert methods.flow_note(an).endswith(
            "Все включённые пациенты (26) начали терапию блинатумомабом.")


@pytest.mark.parametrize("alive", [c for c in COUNTS if c])
def test_followup_sentence_counts(alive):
    an = _followup(alive)
    english = methods.followup_sentence(an, "Median follow-up")
    if alive == 1:
        assert english == ("Median follow-up was 10.0 months; it rests on the 1 patient alive at "
                           "last contact, followed for 1.0 months.")
    else:
        assert english == (f"Median follow-up was 10.0 months; it rests on the {alive} patients "
                           "alive at last contact, followed for 1.0 to 20.0 months.")
    with use_language("ru"):
        russian = methods.followup_sentence(an, "Медиана наблюдения")
    assert russian.startswith("Медиана наблюдения составила 10,0 мес.; она основана на данных ")
    if alive == 1:
        assert "единственного пациента, живого на момент последнего контакта" in russian
    else:
        who = ("пациента, живого" if FORM[alive] == "one" else "пациентов, живых")
        assert f"данных {alive} {who} на момент последнего контакта, со сроками наблюдения от " \
               "1,0 до 20,0 мес." in russian


@pytest.mark.parametrize("n", [c for c in COUNTS if c])
def test_accrual_and_lost_to_followup_counts(n):
    lost = n
    an = _completeness(n + 100, n + 100, lost)
    english = methods.completeness_sentence(an)
    with use_language("ru"):
        russian = methods.completeness_sentence(an)
    total = n + 100
    assert english.startswith(f"The {total} patients started blinatumomab from October 2014 to "
                              "December 2017. Follow-up to the data cut-off (2018-06-30) was 98% "
                              "complete")
    started = {"one": "пациент начал", "few": "пациента начали",
               "many": "пациентов начали"}[_form(total)]
    assert russian.startswith(f"{total} {started} терапию блинатумомабом с октября 2014 г. по "
                              "декабрь 2017 г. Полнота наблюдения до даты среза данных "
                              "(30.06.2018) составила 98%")
    verb = "was" if lost == 1 else "were"
    assert english.endswith(f"{lost} of the {total} patients alive at last contact {verb} lost "
                            "to follow-up: last seen more than 6 months before the cut-off.")
    alive_ru = ("пациента, живого" if _form(total) == "one" else "пациентов, живых")
    verb_ru = "выбыл" if FORM[lost] == "one" else "выбыли"
    assert russian.endswith(f"{lost} из {total} {alive_ru} на момент последнего контакта, "
                            f"{verb_ru} из-под наблюдения: последний контакт более чем за 6 мес. "
                            "до даты среза данных.")


@pytest.mark.parametrize("alive, lost, english, russian", [
    (0, 0, "No patient was alive at last contact, so none was lost to follow-up.",
     "На момент последнего контакта ни один пациент не был жив, поэтому ни один не выбыл из-под "
     "наблюдения."),
    (5, 0, "No patient alive at last contact was lost to follow-up (last seen more than 6 months "
           "before the cut-off).",
     "Ни один пациент, живой на момент последнего контакта, не выбыл из-под наблюдения "
     "(последний контакт более чем за 6 мес. до даты среза данных)."),
    (1, 1, "The 1 patient alive at last contact was lost to follow-up: last seen more than 6 "
           "months before the cut-off.",
     "Единственный пациент, живой на момент последнего контакта, выбыл из-под наблюдения: "
     "последний контакт более чем за 6 мес. до даты среза данных."),
])
def test_nobody_lost_and_one_patient(alive, lost, english, russian):
    an = _completeness(1, alive, lost, first=(2017, 4), last=(2017, 4))
    assert methods.completeness_sentence(an) == (
        "The patient started blinatumomab in April 2017. Follow-up to the data cut-off "
        "(2018-06-30) was 98% complete (Clark's C: the person-time observed over the person-time "
        f"that could have been observed up to the cut-off, a death ending both). {english}")
    with use_language("ru"):
        text = methods.completeness_sentence(an)
    assert text.startswith("Пациент начал терапию блинатумомабом в апреле 2017 г. Полнота")
    assert text.endswith(russian)


def test_methods_page_of_the_shipped_data_in_russian(shipped):
    with use_language("ru"):
        values = page_values("chapters/methods", shipped)
        assumptions = methods.assumptions(shipped)
    mine = {k: v for k, v in values.items() if k not in OTHER_MODULES}
    assert not {k: english_in(v) for k, v in mine.items() if english_in(v)}
    assert len(assumptions) == 8 and not [a for a in assumptions if english_in(a)]
    n_events = len(_rows("adverse_events.csv"))
    assert f"и {n_events} нежелательных явления." in values["dataset_identity"]  # 152: few
    assert "с октября 2014 г. по декабрь 2017 г." in values["followup_completeness"]
    assert values["time_points"].startswith("Срок, выраженный в месяцах, — это столько месяцев "
                                            "по 30,4375 дня")


# --- the course of each patient --------------------------------------------------------------------

@pytest.mark.parametrize("n", COUNTS + (81, 82, 85))
def test_course_text(n):
    an = SimpleNamespace(n=lambda pop: n)
    english = course.course_text(an)
    with use_language("ru"):
        russian = course.course_text(an)
    if n <= 80:
        assert english.startswith("Each patient has a lane, sorted by follow-up")
        assert russian.startswith("У каждого пациента своя дорожка")
        assert "более 80 пациентов" in russian
    else:
        assert english.startswith(f"With {n} patients, more than 80, one lane per patient")
        noun = "пациенте" if _form(n) == "one" else "пациентах"
        assert russian.startswith(f"При {n} {noun} (больше 80) рисунок")
    assert not english_in(russian)


def test_curve_rule_in_both_languages():
    assert course.curve_rule().endswith("the numbers at risk are given every 6 months.")
    with use_language("ru"):
        text = course.curve_rule()
    assert "не менее 5 пациентов" in text and text.endswith("каждые 6 мес.")


def test_month_names_in_russian_cases():
    assert methods.month_year((2016, 3)) == "March 2016"
    with use_language("ru"):
        assert methods.month_year((2016, 3)) == "март 2016 г."
        assert methods._month_from(5) == "мая" and methods._month_in(2) == "феврале"


def test_how_to_cite_has_no_words(shipped):
    # the page's values are the edition's identity: names, numbers and dates only
    values = page_values("chapters/how_to_cite", shipped, BuildFacts())
    with use_language("ru"):
        russian = page_values("chapters/how_to_cite", shipped, BuildFacts())
    assert set(values) == set(russian)
    assert not {k: english_in(v) for k, v in russian.items() if english_in(v)}
