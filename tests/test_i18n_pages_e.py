"""The concordance and history pages in Russian: the results' labels, the abstract's readings and
the concordance table's quotations of the English abstract.

The expected Russian strings are typed here by hand (glossary terms: ПР/ПРч, МОБ, ОВ, БРВ, ВБР,
аллоТГСК), never produced by the package.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from blina_analysis.analyses.registry import Label, entries, result_label as english_label
from blina_analysis.data.published import PublishedValue, _check_readings, abstract_values
from blina_analysis.i18n import translations, use_language
from blina_analysis.report.labels import label_text, result_label
from blina_analysis.report.tables import concordance_display, concordance_table, to_html
from blina_analysis.report.text.concordance import readings

CYRILLIC = re.compile(r"[А-Яа-яЁё]")
#: Latin words a Russian label may keep: the name of an index, a level as the data write it.
LATIN_KEPT = {"C", "p", "Ph", "Ph−", "Ph+"}


@pytest.mark.parametrize("key, russian", [
    ("n_total", "Пациенты, все"),
    ("age_min", "Возраст, минимальный (лет)"),
    ("responders_os_2y", "Ответившие на терапию: 2-летняя ОВ от начала терапии блинатумомабом"),
    ("rr_responders_dfs_2y", "Р/Р ОЛЛ с ответом: 2-летняя БРВ от начала терапии блинатумомабом"),
    ("responders_rfs_2y", "Ответившие на терапию: 2-летняя ВБР от даты ответа"),
    ("rr_response_rate_cytogenetic_standard",
     "Р/Р: частота ПР/ПРч, Цитогенетический риск: стандартный"),
    ("rr_response_rate_blasts_lt50", "Р/Р: частота ПР/ПРч, Бластные клетки в костном мозге: <50%"),
    ("rr_response_p_holm_sex", "Р/Р: ПР/ПРч по признаку «Пол», p с поправкой Холма"),
    ("ae_grade34_rate", "НЯ степени 3–4, частота"),
    ("median_followup_days", "Медиана наблюдения (обратный метод Каплана–Мейера), дни"),
    ("mrd_responders_rfs_2y", "Группа МОБ+ с ответом: 2-летняя ВБР от даты ответа"),
    ("transplant_after_hsct_at_risk_2y_n",
     "После аллоТГСК в ремиссии: под риском к 2-летнему сроку, пациенты"),
])
def test_russian_labels(key, russian):
    with use_language("ru"):
        assert result_label(key) == russian


def test_english_labels_are_the_registry_text():
    """In English the reader's label is the registry's (results.json's) text, byte for byte."""
    with use_language("en"):
        for entry in entries():
            assert result_label(entry.key) == english_label(entry.key) == str(entry.label)
    assert result_label("not_a_key") == "not_a_key"


def test_every_label_has_a_russian_translation():
    """Every registry label reads in Russian: each message and part is in the catalog (the
    composed label holds Cyrillic and no English word beyond a kept name)."""
    ru = translations("ru")

    def messages(label):
        if isinstance(label, Label):
            yield label.message
            for part in label.parts.values():
                if isinstance(part, tuple):
                    continue  # a subgroup's heading or level: the reasons' messages
                if isinstance(part, str):
                    yield from messages(part)
        else:
            yield label

    with use_language("ru"):
        for entry in entries():
            for message in messages(entry.label):
                assert ru.gettext(message) != message or not re.search("[A-Za-z]{4}", message), \
                    (entry.key, message)
            text = result_label(entry.key)
            assert CYRILLIC.search(text), (entry.key, text)
            latin = set(re.findall(r"[A-Za-z][A-Za-z−+]*", text)) - LATIN_KEPT
            assert not latin, (entry.key, text, latin)


def test_labels_pickle_and_compose():
    label = Label("{who}: 2-year {endpoint} {origin}", who="Responders", endpoint="OS",
                  origin="from response")
    assert label == "Responders: 2-year OS from response"
    import pickle

    again = pickle.loads(pickle.dumps(label))
    assert again == label and again.parts == label.parts and isinstance(again, Label)
    with use_language("ru"):
        assert label_text(label) == "Ответившие на терапию: 2-летняя ОВ от даты ответа"


def test_every_reading_has_its_russian():
    values = abstract_values()
    with_reading = [pv for pv in values.values() if pv.reading]
    assert len(with_reading) == 19
    for pv in with_reading:
        assert pv.reading_ru and CYRILLIC.search(pv.reading_ru), pv.key
        assert not re.search(r"\b(the|of|and|is|are|with)\b", pv.reading_ru), pv.key
        # the same numbers in both languages ("2-year" and «2-летняя»)
        assert re.findall(r"\d+", pv.reading) == re.findall(r"\d+", pv.reading_ru), pv.key
    # values that share a reading through a YAML anchor share its Russian
    assert values["mrd_os_2y"].reading_ru == values["mrd_dfs_2y"].reading_ru
    assert values["responders_os_2y"].reading_ru is values["responders_dfs_2y"].reading_ru


def test_russian_readings_of_the_concordance_page():
    with use_language("ru"):
        items = readings()
    assert len(items) == 12
    assert items[7] == (
        "Р/Р ОЛЛ с ответом: 2-летняя ОВ от начала терапии блинатумомабом, 40% и "
        "Р/Р ОЛЛ с ответом: 2-летняя БРВ от начала терапии блинатумомабом, 26% — "
        "Пациенты группы Р/Р с ПР/ПРч; отсчёт от начала терапии блинатумомабом (а не от даты "
        "ответа).")
    assert items[0].startswith("Пациенты с предшествующей аллоТГСК, 18 (27%) — Пациенты обеих "
                               "групп, которым аллоТГСК была выполнена до блинатумомаба")
    with use_language("en"):
        english = readings()
    assert english[7].endswith("— R/R patients in CR/CRh, counted from the start of blinatumomab "
                               "(not from the response).")


@pytest.mark.parametrize("values, named", [
    ({"a": PublishedValue("a", "count", 1, "s", reading="read")}, "a: has no reading_ru"),
    ({"b": PublishedValue("b", "count", 1, "s", reading_ru="прочтение")}, "b: has no reading"),
    ({"a": PublishedValue("a", "count", 1, "s", reading="read", reading_ru="один"),
      "c": PublishedValue("c", "count", 1, "s", reading="read", reading_ru="другой")},
     "c: shares its reading"),
])
def test_a_missing_or_unshared_russian_reading_is_an_error_naming_it(values, named):
    with pytest.raises(ValueError, match=re.escape(named)):
        _check_readings(values)


def _table():
    results = {k: pv.value for k, pv in abstract_values().items()}
    return concordance_table(results)


def test_the_concordance_table_quotes_the_english_abstract_marked_english_in_russian():
    with use_language("ru"):
        shown = concordance_display(_table())
        html = to_html(shown, "caption", languages={"Текст англоязычного резюме": "en"})
    assert list(shown.columns) == ["Показатель", "Опубликовано", "Рассчитано", "Разница",
                                   "Совпадает", "Текст англоязычного резюме"]
    assert shown.iloc[0, 0] == "Пациенты, все"
    assert ('<td><span lang="en">The trial included 66 B-ALL patients with CD19+ aged 18 to 72 '
            'years</span></td>') in html
    assert html.count('<span lang="en">') == len(shown)


def test_the_english_concordance_table_is_unmarked():
    with use_language("en"):
        shown = concordance_display(_table())
        html = to_html(shown, None, languages={"Sentence": "en"})
    assert list(shown.columns) == ["Quantity", "Published", "Computed", "Difference", "Agrees",
                                   "Sentence"]
    assert "lang=" not in html
    assert isinstance(shown, pd.DataFrame)
