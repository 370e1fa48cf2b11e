"""The languages of the package: the current language, plural forms, the catalogs' completeness
check (and the build's refusal when a catalog lags), numbers by language, fixed vocabularies."""

from __future__ import annotations

import math
import re
import shutil
from pathlib import Path
from types import SimpleNamespace as NS

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from blina_analysis import i18n
from blina_analysis.data import schema
from blina_analysis.errors import BuildError
from blina_analysis.i18n import (_, check_catalogs, current_language, language_from_environment,
                                 ngettext, pgettext, use_language)
from blina_analysis.report import fmt, vocabulary

COUNTS = (0, 1, 2, 5, 11, 21, 22, 101)


# --- the current language ---------------------------------------------------------------------

def test_english_unless_asked(monkeypatch):
    monkeypatch.delenv(i18n.LANG_ENV, raising=False)
    monkeypatch.setenv("LANG", "ru_RU.UTF-8")  # the locale alone does not make a Russian book
    assert current_language() == "en"
    with use_language("ru"):
        assert current_language() == "ru"
        with use_language("en"):
            assert current_language() == "en"
        assert current_language() == "ru"
    assert current_language() == "en"


def test_the_kernels_read_blina_lang(monkeypatch):
    monkeypatch.setenv(i18n.LANG_ENV, "ru")
    assert current_language() == "ru"
    with use_language("en"):
        assert current_language() == "en"


@pytest.mark.parametrize("environ, expected", [
    ({}, "en"), ({"LANG": "ru_RU.UTF-8"}, "ru"), ({"LANG": "C.UTF-8"}, "en"),
    ({"LC_ALL": "en_GB.UTF-8", "LANG": "ru_RU.UTF-8"}, "en"),
    ({"LC_MESSAGES": "ru_RU", "LANG": "en_US.UTF-8"}, "ru"),
    ({"BLINA_LANG": "en", "LANG": "ru_RU.UTF-8"}, "en"), ({"LANG": "de_DE.UTF-8"}, "en"),
])
def test_the_command_line_follows_the_locale(environ, expected):
    assert language_from_environment(environ) == expected


def test_an_unknown_language_is_refused():
    with pytest.raises(ValueError, match="unknown language 'de'"):
        with use_language("de"):
            pass


# --- plural forms -----------------------------------------------------------------------------

RUSSIAN_PROBLEMS = {0: "найдено 0 ошибок", 1: "найдена 1 ошибка", 2: "найдено 2 ошибки",
                    5: "найдено 5 ошибок", 11: "найдено 11 ошибок", 21: "найдена 21 ошибка",
                    22: "найдено 22 ошибки", 101: "найдена 101 ошибка"}


@pytest.mark.parametrize("n", COUNTS)
def test_plural_forms_in_both_languages(n):
    singular, plural = "{source}: {n} problem found", "{source}: {n} problems found"
    with use_language("en"):
        english = ngettext(singular, plural, n).format(source="d", n=n)
    with use_language("ru"):
        russian = ngettext(singular, plural, n).format(source="d", n=n)
    assert english == f"d: {n} problem{'' if n == 1 else 's'} found"
    assert russian == f"d: {RUSSIAN_PROBLEMS[n]}"


@pytest.mark.parametrize("n, form", [(0, "пациентов"), (1, "пациент"), (2, "пациента"),
                                     (5, "пациентов"), (11, "пациентов"), (21, "пациент"),
                                     (22, "пациента"), (101, "пациент"), (111, "пациентов"),
                                     (1004, "пациента")])
def test_russian_patients_take_the_glossarys_three_forms(n, form):
    with use_language("ru"):
        text = ngettext("{n} patient ({mrd} MRD, {rr} R/R)", "{n} patients ({mrd} MRD, {rr} R/R)",
                        n).format(n=n, mrd=0, rr=n)
    assert text.startswith(f"{n} {form} (")


def test_the_russian_plural_rule_is_the_glossarys():
    with open(i18n.LOCALE_DIR / "ru" / "LC_MESSAGES" / "blina.po", "rb") as fh:
        catalog = read_po(fh)
    assert catalog.plural_forms == ("nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && "
                                    "n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);")


def test_context_and_plain_lookups():
    with use_language("ru"):
        assert pgettext("sex", "male") == "мужской"
        assert pgettext("haematological response", "NE") == "НО"
        assert _("NA") == "н/д"
    with use_language("en"):
        assert pgettext("sex", "male") == "male" and _("NA") == "NA"


# --- the catalogs against the code ------------------------------------------------------------

def test_the_keywords_are_pybabels():
    """``pybabel extract`` reads Babel's default keywords: the check reads the same."""
    from babel.messages.extract import DEFAULT_KEYWORDS

    assert {k: i18n.KEYWORDS[k] for k in DEFAULT_KEYWORDS} == dict(DEFAULT_KEYWORDS)


def test_the_shipped_catalogs_are_complete():
    """The check the build runs: every message of the code in both catalogs, translated."""
    problems = check_catalogs()
    assert not problems, i18n.catalog_report(problems)


SOURCE = '''from blina_analysis.i18n import _, ngettext, pgettext

GREETING = _("hello")
COUNT = ngettext("{n} patient", "{n} patients", 3)
SEX = pgettext("sex", "male")
'''
RU = {"hello": "привет", "{n} patient": ("{n} пациент", "{n} пациента", "{n} пациентов"),
      "male": "мужской"}


@pytest.fixture
def small_book(tmp_path):
    """A package of one module with complete catalogs: (source folder, locale folder)."""
    source = tmp_path / "pkg"
    source.mkdir()
    (source / "words.py").write_text(SOURCE, encoding="utf-8")
    locale = source / "locale"
    template = i18n.extract_messages(source)
    _write(template, locale / "blina.pot")
    for lang in i18n.LANGUAGES:
        catalog = Catalog(locale=lang, domain="blina")
        for m in template:
            if m.id:
                key = m.id[0] if isinstance(m.id, tuple) else m.id
                catalog.add(m.id, RU[key] if lang == "ru" else ("", "") if m.pluralizable else "",
                            locations=m.locations, context=m.context)
        _write(catalog, locale / lang / "LC_MESSAGES" / "blina.po")
    assert check_catalogs(locale, source) == []
    return source, locale


def _write(catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        write_po(fh, catalog)


def _edit(path: Path, change) -> None:
    with open(path, "rb") as fh:
        catalog = read_po(fh, locale=path.parent.parent.name)
    change(catalog)
    _write(catalog, path)


def _ru(locale: Path) -> Path:
    return locale / "ru" / "LC_MESSAGES" / "blina.po"


def test_a_new_message_in_the_code_is_missing_everywhere(small_book):
    source, locale = small_book
    with open(source / "words.py", "a", encoding="utf-8") as fh:
        fh.write('\n\nNEW = _("a new sentence")\n')
    problems = check_catalogs(locale, source)
    assert {(p.lang, p.kind) for p in problems} == {("pot", "missing"), ("en", "missing"),
                                                    ("ru", "missing")}
    assert all(p.msgid == "a new sentence" and p.where == "pkg/words.py:8" for p in problems)
    assert "ru: missing message 'a new sentence' at pkg/words.py:8" in map(str, problems)


def test_a_fuzzy_message_is_named(small_book):
    source, locale = small_book
    _edit(_ru(locale), lambda c: c.get("hello").flags.add("fuzzy"))
    problems = check_catalogs(locale, source)
    assert [(p.lang, p.kind, p.msgid, p.where) for p in problems] == [
        ("ru", "fuzzy", "hello", "pkg/words.py:3")]


def test_an_untranslated_plural_form_is_named(small_book):
    source, locale = small_book
    _edit(_ru(locale), lambda c: setattr(c.get("{n} patient"), "string",
                                         ("{n} пациент", "{n} пациента", "")))
    problems = check_catalogs(locale, source)
    assert [(p.lang, p.kind, p.msgid) for p in problems] == [("ru", "untranslated", "{n} patient")]


def test_a_message_the_code_dropped_is_stale(small_book):
    source, locale = small_book
    _edit(_ru(locale), lambda c: c.add("goodbye", "пока", locations=[("pkg/words.py", 9)]))
    problems = check_catalogs(locale, source)
    assert [(p.lang, p.kind, p.msgid) for p in problems] == [("ru", "stale", "goodbye")]
    assert re.fullmatch(r"pkg/locale/ru/LC_MESSAGES/blina\.po:\d+", problems[0].where)


def test_an_obsolete_entry_is_stale(small_book):
    source, locale = small_book
    path = _ru(locale)
    path.write_text(path.read_text(encoding="utf-8") + '\n#~ msgid "old"\n#~ msgstr "старое"\n',
                    encoding="utf-8")
    problems = check_catalogs(locale, source)
    assert [(p.lang, p.kind, p.msgid) for p in problems] == [("ru", "stale", "old")]


def test_a_translation_with_other_placeholders_is_named(small_book):
    source, locale = small_book
    _edit(_ru(locale), lambda c: setattr(c.get("{n} patient"), "string",
                                         ("{count} пациент", "{count} пациента", "{count} пациентов")))
    assert [(p.kind, p.msgid) for p in check_catalogs(locale, source)] == [
        ("placeholders", "{n} patient")]


def test_a_marked_f_string_is_named(small_book):
    source, locale = small_book
    with open(source / "words.py", "a", encoding="utf-8") as fh:
        fh.write('\n\nn = 3\nBAD = _(f"{n} patients")\n')
    problems = check_catalogs(locale, source)
    assert [(p.lang, p.kind, p.where) for p in problems] == [("code", "f-string",
                                                              "pkg/words.py:9")]


def test_the_build_refuses_a_lagging_catalog(monkeypatch, tmp_path):
    """The build calls the check before it executes anything, and names the message."""
    from blina_analysis.publish import build

    lagging = [i18n.CatalogProblem("ru", "missing", "a new sentence", "blina_analysis/x.py:3")]
    monkeypatch.setattr(build, "check_catalogs", lambda: lagging)
    monkeypatch.setattr(build, "_CATALOGS_COMPLETE", set())  # (found complete by a build before)
    data = Path(__file__).resolve().parent.parent / "data" / "synthetic"
    with pytest.raises(BuildError, match=r"ru: missing message 'a new sentence' at "
                                         r"blina_analysis/x\.py:3"):
        build.build_book(data, tmp_path / "site", echo=lambda *a: None)
    assert not (tmp_path / "site" / "index.html").exists()


def test_the_build_checks_the_catalogs_again_once_a_file_of_the_package_changed(monkeypatch,
                                                                                 tmp_path):
    from blina_analysis.publish import build

    package = tmp_path / "pkg"
    (package / "locale").mkdir(parents=True)
    (package / "words.py").write_text("x = 1\n")
    (package / "locale" / "blina.po").write_text("")
    calls = []
    monkeypatch.setattr(build, "PACKAGE_DIR", package)
    monkeypatch.setattr(build, "_CATALOGS_COMPLETE", set())
    monkeypatch.setattr(build, "check_catalogs", lambda: calls.append(1) or [])
    build.check_translations()
    build.check_translations()
    assert len(calls) == 1, "unchanged files: checked once in a process"
    (package / "words.py").write_text("x = 2  # another message\n")
    build.check_translations()
    (package / "locale" / "blina.po").write_text("# a translator's edit\n")
    build.check_translations()
    assert len(calls) == 3


def test_the_catalogs_load_from_po_alone(tmp_path):
    """No compiled .mo is needed (nor committed): the .po is the catalog."""
    assert not list(i18n.LOCALE_DIR.rglob("*.mo"))
    with use_language("ru"):
        assert _("file is empty") == "файл пуст"


# --- numbers by language ----------------------------------------------------------------------

EST = NS(estimate=0.532, ci_low=0.361, ci_high=0.684)
MEDIAN = NS(time=432.0, ci_low=246.0, ci_high=float("inf"))
NOT_REACHED = NS(time=float("inf"), ci_low=246.0, ci_high=float("inf"))
FOLLOW = NS(n_censored=12, min_censored=365.0, max_censored=1830.0, median=MEDIAN)
CASES = [  # (call, English, Russian)
    (lambda: fmt.number(40.5, 1), "40.5", "40,5"),
    (lambda: fmt.number(1234.5, 1), "1234.5", "1234,5"),
    (lambda: fmt.number(10000), "10000", "10\u00a0000"),
    (lambda: fmt.number(-1234567.891, 2), "-1234567.89", "-1\u00a0234\u00a0567,89"),
    (lambda: fmt.integer(100000), "100000", "100\u00a0000"),
    (lambda: fmt.signed(-2.46, 1), "\u22122.5", "\u22122,5"),
    (lambda: fmt.signed(0.04, 1), "0.0", "0,0"),
    (lambda: fmt.pct(29 / 43), "67%", "67%"),
    (lambda: fmt.pct(0.4051, 1), "40.5%", "40,5%"),
    (lambda: fmt.n_pct(25, 66), "25 (38%)", "25 (38%)"),
    (lambda: fmt.n_of(12000, 20000), "12000/20000", "12\u00a0000/20\u00a0000"),
    (lambda: fmt.pct_ci(29 / 43, 0.5145602, 0.8092372), "67% (95% CI 51\u201381%)",
     "67% (95% ДИ 51\u201381%)"),
    (lambda: fmt.ci(2.14, 7.96, 1, percent=False), "2.1\u20138.0", "2,1\u20138,0"),
    (lambda: fmt.estimate_ci(EST), "53% (95% CI 36\u201368%)", "53% (95% ДИ 36\u201368%)"),
    (lambda: fmt.estimate_ci(NS(estimate=1.0, ci_low=1.0, ci_high=1.0)),
     "100% (no event; CI not estimable)", "100% (событий нет; ДИ не поддаётся оценке)"),
    (lambda: fmt.estimate_cell(NS(estimate=float("nan"), ci_low=0, ci_high=0)),
     "not estimable", "не поддаётся оценке"),
    (lambda: fmt.p_value(0.0004), "p < 0.001", "p < 0,001"),
    (lambda: fmt.p_value(0.0653), "p = 0.065", "p = 0,065"),
    (lambda: fmt.p_cell(0.0004), "<0.001", "<0,001"),
    (lambda: fmt.p_value(float("nan")), "p = NA", "p = н/д"),
    (lambda: fmt.months(432.0), "14.2", "14,2"),
    (lambda: fmt.median_ci(MEDIAN), "14.2 months (95% CI 8.1\u2013n.e.)",
     "14,2 мес. (95% ДИ 8,1\u2013не оцен.)"),
    (lambda: fmt.median_ci(NOT_REACHED), "not reached (95% CI 8.1\u2013n.e. months)",
     "не достигнута (95% ДИ 8,1\u2013не оцен. мес.)"),
    (lambda: fmt.median_cell(NOT_REACHED), "not reached (8.1\u2013n.e.)",
     "не достигнута (8,1\u2013не оцен.)"),
    (lambda: fmt.followup(FOLLOW),
     "14.2 months (range 12.0\u201360.1 months in patients alive at last contact)",
     "14,2 мес. (диапазон 12,0\u201360,1 мес. у пациентов, живых на момент последнего контакта)"),
    (lambda: fmt.hazard_ratio(0.45, 0.2, 1.01, 0.053),
     "HR 0.45 (95% CI 0.20\u20131.01), p = 0.053", "ОР 0,45 (95% ДИ 0,20\u20131,01), p = 0,053"),
    (lambda: fmt.median_range(41, 18, 72), "41 (18\u201372)", "41 (18\u201372)"),
    (lambda: fmt.date(__import__("datetime").date(2026, 6, 30)), "2026-06-30", "30.06.2026"),
    (lambda: fmt.date(None), "NA", "н/д"),
    (lambda: fmt.term(fmt.NOT_ESTIMABLE), "not estimable", "не поддаётся оценке"),
]


@pytest.mark.parametrize("call, english, russian", CASES)
def test_numbers_in_both_languages(call, english, russian):
    with use_language("en"):
        assert call() == english
    with use_language("ru"):
        assert call() == russian


_NUMBER = {"en": re.compile(r"\d+(?:\.\d+)?"), "ru": re.compile(r"\d{1,3}(?:\u00a0\d{3})+(?:,\d+)?|\d+(?:,\d+)?")}


def _numbers(text: str, lang: str) -> list[float]:
    if lang == "ru":
        return [float(n.replace("\u00a0", "").replace(",", ".")) for n in _NUMBER["ru"].findall(text)]
    return [float(n) for n in _NUMBER["en"].findall(text)]


VALUES = [0.0, 0.004, 0.0449, 0.5, 29 / 43, 1.0, 2.5, 40.45, 999.5, 1234.567, 12345.678, 1e6]


@pytest.mark.parametrize("x", VALUES)
@pytest.mark.parametrize("render", [
    lambda x: fmt.number(x, 1), lambda x: fmt.number(x, 3), lambda x: fmt.months(x * 30),
    lambda x: fmt.pct(x / 1e6, 1), lambda x: fmt.pct_ci(x / 1e6, x / 2e6, x / 1e6 + 0.1),
    lambda x: fmt.hazard_ratio(x, x / 2, x * 2, x / 1e6),
    lambda x: fmt.median_cell(NS(time=x * 30, ci_low=x * 10, ci_high=x * 60)),
    lambda x: fmt.signed(x - 500, 1), lambda x: fmt.integer(x),
])
def test_the_two_languages_differ_only_in_form(render, x):
    """Read back with the decimal comma as a point (and no thousands space), the Russian text
    holds the English text's numbers."""
    with use_language("en"):
        english = render(x)
    with use_language("ru"):
        russian = render(x)
    assert _numbers(russian, "ru") == _numbers(english, "en"), (english, russian)
    assert "." not in re.sub(r"мес\.|дост\.", "", russian)


def test_english_is_unchanged_by_an_environment_asking_for_russian(monkeypatch):
    monkeypatch.setenv(i18n.LANG_ENV, "ru")
    with use_language("en"):
        assert fmt.pct_ci(29 / 43, 0.5145602, 0.8092372) == "67% (95% CI 51\u201381%)"
    assert fmt.number(40.5, 1) == "40,5"  # the kernels' language, from BLINA_LANG


# --- fixed vocabularies -----------------------------------------------------------------------

def _codes():
    out = [("sex", c) for c in ("M", "F")] + [("group", c) for c in ("MRD", "RR")]
    for spec in schema.PATIENT_COLUMNS + schema.AE_COLUMNS:
        if spec.allowed and spec.name in vocabulary.VOCABULARIES:
            out += [(spec.name, code) for code in spec.allowed]
    return sorted(set(out))


@pytest.mark.parametrize("column, code", _codes())
def test_every_code_of_a_fixed_vocabulary_has_words_in_both_languages(column, code):
    with use_language("en"):
        english = (vocabulary.label(column, code), vocabulary.description(column, code))
    with use_language("ru"):
        russian = (vocabulary.label(column, code), vocabulary.description(column, code))
    assert all(english) and all(russian)
    assert not re.search(r"[A-Za-z]{3,}", russian[1].replace("Ph", "")), russian  # Russian words


def test_vocabulary_examples():
    with use_language("ru"):
        assert vocabulary.label("hematologic_response", "CR") == "ПР"
        assert vocabulary.description("hematologic_response", "CRh") == (
            "ПР с частичным восстановлением показателей крови (ПРч)")
        assert vocabulary.label("category", "CRS") == "СВЦ"
        assert vocabulary.label("mrd_response", "negative") == "МОБ\u2212"
        assert vocabulary.label("grade", 3) == "степень 3"
        assert vocabulary.label("grade", ">=3") == "степень \u22653"
        assert vocabulary.label("sex", "F") == "женский"
        # recorded free text stays as recorded; nothing recorded stays nothing
        assert vocabulary.label("term", "Cytokine release syndrome") == "Cytokine release syndrome"
        assert vocabulary.label("sex", None) == "н/д"
    with use_language("en"):
        assert vocabulary.label("category", "CRS") == "CRS"
        assert vocabulary.description("category", "neurologic") == "neurological events"
        assert vocabulary.label("grade", 3) == "grade 3"
