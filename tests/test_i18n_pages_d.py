"""The Russian sentences of the R/R and MRD+ pages, of the reasons a result is missing and of the
comparison words: whole sentences for the shipped data and for small datasets of
``tests/dataset_family.py``, the Russian plural forms at the counts the issue names, and no English
word left.

Every expected count is read from the raw ``patients.csv`` of the dataset (or is a hand count),
never from the package's own output.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pandas as pd
import pytest

from blina_analysis.analyses import Analysis
from blina_analysis.definitions import POPULATIONS
from blina_analysis.errors import NoInformation
from blina_analysis.i18n import ngettext, use_language
from blina_analysis.publish.provenance import shipped_data_dir
from blina_analysis.report.text import BuildFacts, compare, discussion, mrd_results, rr_results
from blina_analysis.report.text._no_test import EVENT_KINDS, why_no_test
from blina_analysis.report.text.reasons import REASONS, explain

sys.path.insert(0, str(Path(__file__).parent))
import dataset_family as family  # noqa: E402

COUNTS = (0, 1, 2, 5, 11, 21, 22, 101)
#: Russian noun forms by count, by hand: nominative (1, 21, 101 пациент; 2, 22 пациента;
#: 0, 5, 11 пациентов) and genitive (1, 21, 101 пациента; the others пациентов).
NOMINATIVE = {0: "пациентов", 1: "пациент", 2: "пациента", 5: "пациентов", 11: "пациентов",
              21: "пациент", 22: "пациента", 101: "пациент"}
GENITIVE = {0: "пациентов", 1: "пациента", 2: "пациентов", 5: "пациентов", 11: "пациентов",
            21: "пациента", 22: "пациентов", 101: "пациента"}
#: Latin words a Russian sentence may keep: CTCAE (the glossary keeps the name of the grading).
#: Shorter Latin tokens are not words here: p (p = 0,032), Ph (Ph-хромосома).
ALLOWED_LATIN = frozenset({"CTCAE"})

EMPTY_RR = "В этом наборе данных нет ни одного пациента из группы Р/Р ОЛЛ."
EMPTY_MRD = "В этом наборе данных нет ни одного пациента из группы МОБ+."


def latin_words(text: str) -> list[str]:
    return [w for w in re.findall(r"[A-Za-z]{3,}", text) if w not in ALLOWED_LATIN]


def russian_pages(an: Analysis) -> dict[str, str]:
    with use_language("ru"):
        values = dict(rr_results.values(an, BuildFacts()))
        values.update(mrd_results.values(an, BuildFacts()))
    values.pop("course_text")  # report/text/course.py: another page's sentence
    return values


def patients(folder: Path) -> pd.DataFrame:
    return pd.read_csv(Path(folder) / "patients.csv",
                       parse_dates=["bc_start_date", "response_date", "last_followup_date"])


def _write(name: str, root: Path) -> Path:
    """A dataset of the family: a case of ``family.CASES`` or ``first_<n>_<GROUP>``."""
    folder = root / name
    if name.startswith("first_"):
        _, n, group = name.split("_")
        frames = family.apply((family.first(int(n), group),), *family.base_cohort())
        return family.write_frames(folder, *frames, name=name.replace("_", "-"))
    return family.write_case(name, folder)


@pytest.fixture(scope="module")
def case(tmp_path_factory):
    """``case(name)`` -> (the raw patients, the Russian page sentences), built once per name."""
    root = tmp_path_factory.mktemp("family")
    built: dict[str, tuple[pd.DataFrame, dict[str, str]]] = {}

    def get(name: str):
        if name not in built:
            folder = shipped_data_dir() if name == "shipped" else _write(name, root)
            built[name] = patients(folder), russian_pages(Analysis.from_dir(folder))
        return built[name]
    return get


# --- the shipped data --------------------------------------------------------------------------

def test_shipped_overviews_and_pending(case):
    p, ru = case("shipped")
    n_rr, n_mrd = (p["group"] == "RR").sum(), (p["group"] == "MRD").sum()
    assert (n_rr, n_mrd) == (43, 23)  # the raw file, counted by hand as well
    assert ru["rr_overview"] == (f"Ответ, МОБ-негативность, ответ в подгруппах и выживаемость "
                                 f"{n_rr} пациентов с рецидивом или рефрактерным течением ОЛЛ.")
    assert ru["mrd_overview"] == (f"Ответ и выживаемость {n_mrd} пациентов, находившихся в "
                                  "гематологической ремиссии с минимальной остаточной болезнью.")
    assert not p["hematologic_response"].eq("pending").any()
    assert ru["rr_response_text"].endswith(
        " Пациентов с Р/Р ОЛЛ, у которых ответ ещё не оценён, нет. МОБ-негативность достигнута у "
        "24/29 (83%; 95% ДИ 64–94%) ответивших на терапию пациентов (МОБ-позитивность у 5, МОБ не "
        "оценена у 0; неоценённая МОБ — отдельная категория, которая не считается "
        "МОБ-негативностью), т. е. у 24/43 (56%; 95% ДИ 40–71%) всех пациентов с Р/Р ОЛЛ, "
        "получивших терапию. Ответивших на терапию пациентов с Р/Р ОЛЛ, у которых статус МОБ ещё "
        "не оценён, нет.")
    assert ru["mrd_response_text"].endswith(
        " Пациентов группы МОБ+, у которых ответ ещё не оценён, нет.")


def test_shipped_rr_response_counts(case):
    p, ru = case("shipped")
    rr = p[p["group"] == "RR"]
    codes = rr["hematologic_response"].value_counts()
    cr, crh, nr, ne = (int(codes.get(c, 0)) for c in ("CR", "CRh", "NR", "NE"))
    n = len(rr)
    text = ru["rr_response_text"]
    assert text.startswith(f"Полная ремиссия (ПР или ПРч) достигнута у {cr + crh}/{n} (")
    assert f" пациентов: ПР — у {cr}/{n} (" in text and f"), ПРч — у {crh}/{n} (" in text
    assert f" Ответа не было у {nr}/{n} (" in text
    assert f"), ответ не поддавался оценке (НО) у {ne}/{n} (" in text
    responders = rr[rr["hematologic_response"].isin(["CR", "CRh"])]
    mrd = responders["mrd_response"].value_counts()
    assert (f"(МОБ-позитивность у {int(mrd.get('positive', 0))}, МОБ не оценена у "
            f"{int(mrd.get('not assessed', 0))};") in text
    # duration of response: relapses or deaths among the responders
    events = int((responders["relapse"] | responders["death"]).sum())
    assert (events, len(responders)) == (20, 29)
    assert ru["rr_response_timing_text"].endswith(
        f"; {events} рецидивов или смертей среди {len(responders)} ответивших на терапию "
        "пациентов.")
    transplanted = int(responders["hsct_after_bc"].sum())
    assert ru["rr_hsct_censored_text"].startswith(
        "В анализе чувствительности, с цензурированием на дату аллоТГСК после блинатумомаба "
        f"(аллоТГСК выполнена {transplanted} ответившим на терапию пациентам с Р/Р ОЛЛ), 2-летняя "
        "ВБР от даты ответа — ")
    assert ru["rr_survival_text"].startswith(
        "В группе Р/Р ОЛЛ при отсчёте от 1-го дня терапии блинатумомабом 2-летняя ОВ — ")
    assert (f" 2-летняя выживаемость без рецидива (ВБР) от даты ответа у {len(responders)} "
            "ответивших на терапию пациентов с Р/Р ОЛЛ составила ") in ru["rr_survival_text"]


def test_shipped_rr_subgroups_and_landmark(case):
    p, ru = case("shipped")
    rr = p[p["group"] == "RR"]
    responded = rr["hematologic_response"].isin(["CR", "CRh"])

    def rate(rows) -> str:
        n, total = int(responded[rows].sum()), int(rows.sum())
        return f"{n}/{total}, {round(100 * n / total)}%"
    standard, high = (rr["cytogenetic_risk"] == level for level in ("standard", "high"))
    assert ru["rr_subgroups_text"].startswith(
        f"Частота ПР/ПРч составила {rate(standard)} при стандартном и {rate(high)} при высоком "
        "цитогенетическом риске (разность ")
    assert (f"; {rate(rr['prior_allo_hsct'])} после предшествующей аллоТГСК и "
            f"{rate(~rr['prior_allo_hsct'])} без неё (разность ") in ru["rr_subgroups_text"]
    assert " Возраст и пол — поисковые признаки: в статье они не анализировались." in \
        ru["rr_subgroups_text"]
    prior = int(rr["prior_allo_hsct"].sum())
    assert f") у {prior} пациентов с аллоТГСК в анамнезе и " in ru["rr_prior_hsct_os_text"]
    assert f") у {len(rr) - prior} пациентов без неё (p = " in ru["rr_prior_hsct_os_text"]
    # the landmark at day 84: alive and followed beyond it, responders by then
    days = (rr["last_followup_date"] - rr["bc_start_date"]).dt.days
    by_then = responded & ((rr["response_date"] - rr["bc_start_date"]).dt.days <= 84)
    alive, of_them = int((days > 84).sum()), int((by_then & (days > 84)).sum())
    assert (f" К ландмарк-точке на 84-й день (день оценки ответа) {alive} пациентов с Р/Р ОЛЛ "
            f"были живы и оставались под наблюдением, из них {of_them} ответили на терапию; при "
            "отсчёте от ландмарк-точки медиана ОВ у ответивших на терапию — ") in \
        ru["rr_by_response_text"]


def test_shipped_mrd_sentences(case):
    p, ru = case("shipped")
    mrd = p[p["group"] == "MRD"]
    negative = int((mrd["mrd_response"] == "negative").sum())
    assert ru["mrd_by_response_text"].startswith(
        f"МОБ-ответ ({negative} ответивших, {len(mrd) - negative} не ответивших) наступает после "
        "начала отсчёта, поэтому ответивших на терапию пациентов не сравнивают с не ответившими "
        "от начала терапии блинатумомабом (иначе ответившим было бы засчитано время до их "
        "ответа). При анализе МОБ-ответа как зависящего от времени состояния")
    assert ru["mrd_response_text"].startswith(
        f"МОБ-негативность после блинатумомаба достигнута у {negative}/{len(mrd)} (")
    assert (f"(МОБ-позитивность у {int((mrd['mrd_response'] == 'positive').sum())}, МОБ не оценена "
            "у 0; неоценённая МОБ — отдельная категория, которая считается отсутствием ответа).") \
        in ru["mrd_response_text"]
    transplanted = int(mrd["hsct_after_bc"].sum())
    assert ru["mrd_hsct_censored_text"].startswith(
        "В анализе чувствительности, с цензурированием на дату аллоТГСК после блинатумомаба "
        f"(аллоТГСК выполнена {transplanted} пациентам), 2-летняя БРВ в группе МОБ+ — ")
    responders = int(p["hematologic_response"].isin(["CR", "CRh"]).sum()) + negative
    assert ru["responders_text"].startswith(
        f"В обеих когортах 2-летняя ВБР от даты ответа у {responders} ответивших на терапию "
        "пациентов составила ")
    assert ru["responders_text"].endswith(
        " Их ОВ и БРВ от 1-го дня — показатели, которые приводит статья, — представлены в главе "
        "«Соответствие опубликованной статье».")


# --- small datasets ------------------------------------------------------------------------

def test_empty_rr_group(case):
    p, ru = case("only_mrd")
    assert not (p["group"] == "RR").any()
    assert ru["rr_overview"] == ("В этом наборе данных нет ни одного пациента из группы Р/Р ОЛЛ, "
                                 "поэтому в этой главе нет результатов.")
    for key in ("rr_response_text", "rr_response_timing_text", "rr_subgroups_text",
                "rr_survival_text", "rr_prior_hsct_os_text", "rr_by_response_text"):
        assert ru[key] == EMPTY_RR, key
    assert ru["rr_hsct_censored_text"] == ("В этом наборе данных нет ни одного пациента из "
                                           "ответивших на терапию в группе Р/Р ОЛЛ.")
    assert ru["responders_text"].startswith("В этом наборе данных 2-летняя ВБР от даты ответа у ")


def test_one_rr_patient(case):
    p, ru = case("one_patient_rr")
    assert len(p) == 1 and p["group"].iloc[0] == "RR"
    assert ru["rr_overview"] == ("Ответ, МОБ-негативность, ответ в подгруппах и выживаемость 1 "
                                 "пациента с рецидивом или рефрактерным течением ОЛЛ.")
    assert ru["mrd_overview"] == ("В этом наборе данных нет ни одного пациента из группы МОБ+, "
                                  "поэтому в этой главе нет результатов.")
    for key in ("mrd_response_text", "mrd_survival_text", "mrd_hsct_censored_text",
                "mrd_by_response_text"):
        assert ru[key] == EMPTY_MRD, key
    row = p.iloc[0]
    assert row["hematologic_response"] in ("CR", "CRh") and (row["relapse"] or row["death"])
    assert ru["rr_response_timing_text"].endswith(
        "; 1 рецидив или смерть среди 1 ответившего на терапию пациента.")
    assert " 1 пациент с Р/Р ОЛЛ был жив и оставался под наблюдением, из них 1 ответил на " \
           "терапию; " in ru["rr_by_response_text"]
    assert not row["hsct_after_bc"]
    assert ru["rr_hsct_censored_text"] == (
        "Ни одному ответившему на терапию пациенту с Р/Р ОЛЛ не выполнялась аллоТГСК после "
        "блинатумомаба, поэтому цензурирование на дату аллоТГСК ничего не меняет.")
    assert ru["rr_prior_hsct_os_text"] == (
        "Все пациенты с Р/Р ОЛЛ получили блинатумомаб после предшествующей аллоТГСК, поэтому "
        "сравнить общую выживаемость по предшествующей аллоТГСК нельзя.")
    assert bool(row["prior_allo_hsct"])


def test_one_mrd_patient(case):
    p, ru = case("one_patient_mrd")
    row = p.iloc[0]
    assert len(p) == 1 and row["group"] == "MRD" and row["mrd_response"] == "negative"
    assert ru["mrd_overview"] == ("Ответ и выживаемость 1 пациента, находившегося в "
                                  "гематологической ремиссии с минимальной остаточной болезнью.")
    assert ru["mrd_by_response_text"].startswith(
        "МОБ-ответ (1 ответивший, ни одного не ответившего) наступает после начала отсчёта")
    assert not row["death"]
    assert " Ни один пациент из группы МОБ+ не умер, поэтому сравнить выживаемость по ответу " \
           "нельзя. " in ru["mrd_by_response_text"]
    assert bool(row["hsct_after_bc"])
    assert "(аллоТГСК выполнена 1 пациенту), 2-летняя БРВ в группе МОБ+ — " in \
        ru["mrd_hsct_censored_text"]
    assert ("2-летняя выживаемость без рецидива (ВБР) от даты ответа у 1 ответившего на терапию "
            "пациента группы МОБ+ составила ") in ru["mrd_survival_text"]


@pytest.mark.parametrize("n", (2, 5, 11, 21))
def test_overview_counts(case, n):
    p, ru = case(f"first_{n}_RR")
    assert len(p) == n
    assert ru["rr_overview"] == (f"Ответ, МОБ-негативность, ответ в подгруппах и выживаемость {n} "
                                 f"{GENITIVE[n]} с рецидивом или рефрактерным течением ОЛЛ.")


@pytest.mark.parametrize("n", (2, 5, 21))
def test_mrd_overview_counts(case, n):
    p, ru = case(f"first_{n}_MRD")
    assert len(p) == n
    who = "находившегося" if n % 10 == 1 and n % 100 != 11 else "находившихся"
    assert ru["mrd_overview"] == (f"Ответ и выживаемость {n} {GENITIVE[n]}, {who} в "
                                  "гематологической ремиссии с минимальной остаточной болезнью.")


def test_no_responders(case):
    _, ru = case("no_rr_responders")
    assert ru["rr_response_timing_text"] == ("Ни один пациент из группы Р/Р ОЛЛ не ответил на "
                                             "терапию, поэтому нет ни времени до ответа, ни "
                                             "длительности ответа.")
    assert ru["rr_survival_text"].endswith(" В этом наборе данных нет ни одного пациента из "
                                           "ответивших на терапию в группе Р/Р ОЛЛ.")
    assert ", ни один из них не ответил на терапию; при отсчёте от ландмарк-точки медиана их ОВ " \
           "— " in ru["rr_by_response_text"]
    p, ru = case("no_mrd_responders")
    n_mrd = int((p["group"] == "MRD").sum())
    assert ru["mrd_by_response_text"].startswith(
        f"МОБ-ответ (ни одного ответившего, {n_mrd} не ответивших) наступает после начала отсчёта")
    assert ru["mrd_survival_text"].endswith(" В этом наборе данных нет ни одного пациента из "
                                            "ответивших на терапию в группе МОБ+.")
    _, ru = case("no_responders")
    assert ru["responders_text"] == ("В этом наборе данных нет ни одного пациента из ответивших "
                                     "на терапию.")


@pytest.mark.parametrize("name", ["shipped", "only_mrd", "one_patient_rr", "one_patient_mrd",
                                  "no_rr_responders", "no_mrd_responders", "no_responders",
                                  "no_events", "nobody_followed_two_years", "subgroups_unknown",
                                  "subgroups_one_level", "three_rr_patients", "zero_followup"])
def test_no_english_word_and_no_placeholder(case, name):
    _, ru = case(name)
    bad = {k: latin_words(v) for k, v in ru.items() if latin_words(v)}
    assert not bad, f"{name}: English left in {bad}"
    assert not [k for k, v in ru.items() if "{" in v or "}" in v]
    # an estimate is never the object of «составила»: it may read «не поддаётся оценке»
    assert not [k for k, v in ru.items() if re.search(r"составил[аио]? не ", v)]


# --- plural forms ------------------------------------------------------------------------------

@pytest.mark.parametrize("n", COUNTS)
def test_plural_forms(n):
    with use_language("ru"):
        pending = ngettext(
            "{n} R/R patient whose response is not yet assessed (still on treatment) is left "
            "out of the denominators and kept in the survival analyses.",
            "{n} R/R patients whose response is not yet assessed (still on treatment) are left "
            "out of the denominators and kept in the survival analyses.", n).format(n=n)
        overview = ngettext(
            "Response and survival of the {n} patient who was in haematological remission with "
            "measurable residual disease.",
            "Response and survival of the {n} patients who were in haematological remission "
            "with measurable residual disease.", n).format(n=n)
        transplanted = ngettext(
            "As a sensitivity analysis, with an allo-HSCT after blinatumomab censoring the time "
            "({n} patient transplanted), 2-year DFS of the MRD+ group was {dfs_hsct}, against "
            "{dfs} without censoring.",
            "As a sensitivity analysis, with an allo-HSCT after blinatumomab censoring the time "
            "({n} patients transplanted), 2-year DFS of the MRD+ group was {dfs_hsct}, against "
            "{dfs} without censoring.", n).format(n=n, dfs_hsct="A", dfs="B")
    one = n % 10 == 1 and n % 100 != 11
    assert pending.startswith(
        f"{n} {NOMINATIVE[n]} с Р/Р ОЛЛ, у {'которого' if one else 'которых'} ответ ещё не "
        f"оценён (терапия продолжается), {'исключён' if one else 'исключены'} из знаменателей")
    assert overview.startswith(f"Ответ и выживаемость {n} {GENITIVE[n]}, "
                               f"{'находившегося' if one else 'находившихся'} в ")
    assert f"(аллоТГСК выполнена {n} {'пациенту' if one else 'пациентам'}), " in transplanted


# --- the reasons -------------------------------------------------------------------------------

def test_every_reason_in_russian():
    params = dict(endpoint="OS", subgroup="cytogenetic", level="high", n_exposed=3, n_other=4,
                  n_events=2, days=730.0)
    seen = []
    with use_language("ru"):
        for code in REASONS:
            for pop in POPULATIONS:
                for endpoint in ("OS", "DFS", "EFS", "RFS", "CIR", "relapse", "NRM"):
                    seen.append(explain(NoInformation(code, **{**params, "pop": pop,
                                                               "endpoint": endpoint})))
    bad = [s for s in set(seen) if latin_words(s) or "{" in s]
    assert not bad, bad


@pytest.mark.parametrize("code, params, expected", [
    ("empty_population", {"pop": "all"},
     "В этом наборе данных нет ни одного пациента из получивших терапию."),
    ("empty_population", {"pop": "mrd_responders"},
     "В этом наборе данных нет ни одного пациента из ответивших на терапию в группе МОБ+."),
    ("empty_population", {"pop": "rr_assessed"},
     "В этом наборе данных нет ни одного пациента из популяции «пациенты с Р/Р ОЛЛ с оценённым "
     "ответом»."),
    ("none_assessed", {"pop": "rr_responders"},
     "Ни у одного пациента из ответивших на терапию в группе Р/Р ОЛЛ оценка ещё не проведена."),
    ("none_assessed_for_response", {"pop": "mrd"},
     "Ни у одного пациента из группы МОБ+ ответ ещё не оценён."),
    ("not_followed_long_enough", {"pop": "responders", "days": 730.0},
     "Ни один пациент из ответивших на терапию не наблюдался достаточно долго для этой оценки."),
    ("no_event_to_compare_by_response", {"pop": "rr", "endpoint": "EFS"},
     "Ни один пациент из группы Р/Р ОЛЛ не столкнулся с неэффективностью терапии или рецидивом и "
     "не умер, поэтому сравнить выживаемость по ответу нельзя."),
    ("no_event_among_responders", {"endpoint": "RFS"},
     "Ни один ответивший на терапию пациент не перенёс рецидива и не умер, поэтому анализы "
     "трансплантации неинформативны."),
    ("subgroup_unknown", {"subgroup": "blasts", "pop": "rr_assessed"},
     "Бластные клетки в костном мозге: значение неизвестно у каждого пациента с Р/Р ОЛЛ в этом "
     "наборе данных."),
    ("subgroup_level_empty", {"subgroup": "cytogenetic", "level": "high"},
     "Нет ни одного пациента, у которого цитогенетический риск — «высокий»."),
    ("median_not_reached", {"pop": "rr_responders"},
     "Медиана не достигнута: кривая остаётся выше 50% (популяция: ответившие на терапию "
     "пациенты с Р/Р ОЛЛ)."),
    ("no_event_while_both_response_states_at_risk", {"endpoint": "DFS"},
     "Пока под риском находились и ответившие, и не ответившие на терапию пациенты, не произошло "
     "ни одного события (рецидив или смерть), поэтому критерий Мантеля–Байара неинформативен."),
])
def test_reason_sentences(code, params, expected):
    with use_language("ru"):
        assert explain(NoInformation(code, **params)) == expected


def test_no_test_reasons_in_russian():
    from blina_analysis.analyses.testable import NoTestReason, NotTested
    with use_language("ru"):
        few = why_no_test(NotTested(NoTestReason.TOO_FEW_PATIENTS, smallest_group=1, events=0,
                                    min_patients=5, min_events=5), "event")
        texts = [why_no_test(NotTested(NoTestReason.TOO_FEW_EVENTS, smallest_group=9, events=n,
                                       min_patients=5, min_events=5), kind)
                 for kind in EVENT_KINDS for n in (0, 1, 2, 4)]
    assert few == ("в наименьшей группе 1 пациент, меньше 5, необходимых для критерия в каждой "
                   "группе")
    assert "произошло 2 события, меньше 5, необходимых для критерия" in texts
    assert not [t for t in texts if latin_words(t) or "{" in t]


# --- the comparison words ----------------------------------------------------------------------

@pytest.mark.parametrize("kind, words", [
    ("rate", ("выше", "ниже", "такой же")),
    ("count", ("больше", "меньше", "столько же")),
    ("share", ("более половины", "менее половины", "половина")),
    ("majority", ("большинства", "менее чем половины", "половины")),
    ("effect", ("эффективнее", "менее эффективен", "так же эффективен")),
    ("claim", ("подтверждает", "ставит под сомнение", "не подтверждает")),
])
def test_comparison_words(kind, words):
    """a > b, a < b and a = b (1/3 against 2/6: equal shares are equal) in Russian."""
    higher, lower, equal = words
    assert compare.word(kind, 0.7, 0.5, language="ru") == higher
    assert compare.word(kind, (1, 4), (1, 2), language="ru") == lower
    assert compare.word(kind, (1, 3), (2, 6), language="ru") == equal


def test_crude_relapse_reading_in_its_sentence():
    with use_language("ru"):
        for a, b, reading in (((2, 10), (5, 10), "это грубое сравнение, по построению "
                                                  "смещённое в пользу трансплантации"),
                              ((1, 2), (5, 10), "различия нет, причём в грубом сравнении, по "
                                                "построению смещённом в пользу трансплантации"),
                              ((6, 10), (5, 10), "после аллоТГСК рецидивов больше даже в грубом "
                                                 "сравнении, по построению смещённом в пользу "
                                                 "трансплантации")):
            assert compare.word("crude_relapse", a, b) == reading


def test_pivotal_shares_in_russian():
    """The pivotal trials' published remission rates (Topp 2015 43%, TOWER 44%: fewer than half;
    BLAST complete MRD response 78%: most), in the words of the discussion's Russian sentence
    («ремиссии достигли менее половины пациентов», «получен у большинства … пациентов»)."""
    with use_language("ru"):
        assert discussion.pivotal_share("rr", "share") == "менее половины"
        assert discussion.pivotal_share("mrd", "majority") == "большинства"
