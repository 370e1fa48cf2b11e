"""The Russian pages of the built book: no English sentence, and the numbers of the English pages.

Both read the shared build of the shipped data (``built_site``: English at the site's root,
Russian at ``ru/``); no book is built here.

* **No English** (issue 16, Tests): every text of every Russian page (paragraphs, list items,
  table cells, captions, headings, the edition bar, the theme's buttons and menus) and every
  reader-facing attribute (``alt`` of the figures, ``title``, ``aria-label``, ``placeholder``)
  passes :func:`english_words.english_in`: no English function word, no run of three Latin words.
  Left out, as the issue says: code (cells' inputs, inline code, the cite box's BibTeX and RIS),
  the references (the bibliography and the in-text citations, whose tooltips are references),
  math, the API page (the package's code documentation, in English by decision: the page is not
  declared translated, and the build marks its content ``lang="en"``), an element marked ``lang``
  of another language (the language switch's "English"), and the adverse-event terms as recorded in
  ``data/synthetic/adverse_events.csv`` and the description of ``dataset.yaml`` (data values stay as
  recorded).
* **Same numbers** (issue 16, Tests): each page's article shows the same numbers in both
  languages once the decimal comma is read as a point, the no-break space between thousands
  dropped and a date read as a date (``30.06.2018`` = ``2018-06-30``); every table shows the same
  numbers cell by cell. Left out: code (the same source in both) and the API page (docstrings).
"""

from __future__ import annotations

import csv
import functools
import re
from collections import Counter
from pathlib import Path

import pytest

from blina_analysis.data import schema
from english_words import english_in

from .conftest import SHIPPED, TOC_PAGES

#: The Russian pages checked: the book's and the theme's search page. Not the pages of the
#: code's documentation, which the edition does not translate: the API page (its content marked
#: ``lang="en"``, :func:`test_the_untranslated_api_page_says_it_is_english`; its page menu lists
#: the docstrings' headings) and the indexes of the code's names (genindex, py-modindex).
RUSSIAN_PAGES = [*(p for p in TOC_PAGES if p != "chapters/api.html"), "search.html"]
#: Not read as prose (see the module's docstring).
NOT_PROSE = ", ".join([
    "script", "style", "pre", "code", "kbd", ".highlight", ".cell_input",  # code
    ".math", "math",                                                     # math
    "div.citation", ".bibliography", "span.bibtex-citation",             # references
])
#: The elements a text is reported by (the innermost one around it).
BLOCKS = {"p", "li", "td", "th", "caption", "figcaption", "h1", "h2", "h3", "h4", "h5", "h6",
          "dt", "dd", "summary", "label", "button", "option", "title", "a"}
#: Attributes a reader sees or hears.
SHOWN_ATTRIBUTES = ("alt", "title", "aria-label", "placeholder", "data-bs-title",
                    "data-bs-original-title")


@functools.lru_cache(maxsize=None)
def recorded_terms(data_dir: Path = SHIPPED) -> list[str]:
    """The words the dataset records and the pages show as recorded (longest first, to be cut
    whole): the adverse-event terms and the description ``dataset.yaml`` gives of itself."""
    import yaml

    with open(data_dir / "adverse_events.csv", encoding="utf-8", newline="") as handle:
        terms = {row["term"].strip() for row in csv.DictReader(handle) if row["term"].strip()}
    meta = yaml.safe_load((data_dir / "dataset.yaml").read_text(encoding="utf-8"))
    if str(meta.get("description") or "").strip():
        terms.add(" ".join(str(meta["description"]).split()))
    return sorted(terms, key=len, reverse=True)


def _soup(path: Path):
    from bs4 import BeautifulSoup

    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _where(element) -> str:
    """``td`` in ``section#deaths``: the element and the section it is in."""
    name = element.name + (f"#{element['id']}" if element.get("id") else "") + "".join(
        f".{c}" for c in (element.get("class") or [])[:2])
    section = element.find_parent("section")
    return name + (f" in section#{section['id']}" if section and section.get("id") else "")


def shown_texts(path: Path, lang: str = "ru") -> list[tuple[str, str]]:
    """``(where, text)`` of every text of a page outside :data:`NOT_PROSE` and outside elements
    marked with another language, each text joined within its innermost :data:`BLOCKS` element,
    then every :data:`SHOWN_ATTRIBUTES` value."""
    from bs4 import Comment

    soup = _soup(path)
    for element in soup.select(NOT_PROSE):
        element.decompose()
    for element in soup.select("[lang]"):
        if element.name != "html" and element["lang"].split("-")[0] != lang:
            element.decompose()
    blocks: dict[int, tuple[object, list[str]]] = {}
    for string in soup.find_all(string=True):
        if isinstance(string, Comment) or not string.strip():
            continue
        block = string.parent
        while block.name not in BLOCKS and block.parent is not None and block.parent.name != \
                "[document]":
            block = block.parent
        blocks.setdefault(id(block), (block, []))[1].append(str(string))
    found = [(_where(block), " ".join(" ".join(parts).split()))
             for block, parts in blocks.values()]
    for element in soup.find_all(True):
        for name in SHOWN_ATTRIBUTES:
            value = element.get(name)
            if isinstance(value, str) and value.strip():
                found.append((f"{_where(element)} [{name}]", " ".join(value.split())))
    return found


def english_on_page(path: Path, terms: list[str]) -> list[str]:
    """``where: "text" (the English found)`` for every text of a Russian page holding English."""
    problems = []
    for where, text in shown_texts(path):
        checked = text
        for term in terms:  # recorded data values stay as recorded
            checked = re.sub(rf"(?<!\w){re.escape(term)}(?!\w)", " ", checked, flags=re.I)
        found = english_in(checked)
        if found:
            problems.append(f"{where}: {text!r} ({', '.join(found)})")
    return problems


@pytest.mark.slow
def test_russian_pages_have_no_english_sentence(built_site):
    html_dir, _ = built_site
    terms = recorded_terms()
    problems = {}
    for page in RUSSIAN_PAGES:
        found = english_on_page(html_dir / "ru" / page, terms)
        if found:
            problems[page] = found
    assert not problems, f"English on {len(problems)} Russian pages:\n" + "\n".join(
        f"ru/{page} {line}" for page, lines in problems.items() for line in lines)


#: The codes of the data format's fixed vocabularies that are words (``RR``, ``CRh``, ``negative``,
#: ``CRS``, ``neurologic``, ``other``...), as the format defines them: English on a Russian figure.
DATA_CODES = frozenset(
    code for spec in (*schema.PATIENT_COLUMNS, *schema.AE_COLUMNS) for code in spec.allowed or ()
    if re.fullmatch(r"[A-Za-z][A-Za-z_]+", str(code)))


def _codes_in(text: str) -> list[str]:
    return sorted({w for w in re.findall(r"[A-Za-z_]+", text) if w in DATA_CODES})


@pytest.mark.slow
def test_russian_figures_name_no_code_of_the_data(built_site):
    """Each figure of the Russian pages, as its alt text and as the text of its PDF download,
    names the data's categories in Russian, never by their codes. :func:`english_in` does not
    see a code standing alone between numbers ("other 29 (44%); hematologic 23 (35%)"), which
    the adverse-event figure showed."""
    import shutil
    import subprocess

    from bs4 import BeautifulSoup

    from .conftest import browser_unavailable

    if shutil.which("pdftotext") is None:
        browser_unavailable("no pdftotext (apt-get install poppler-utils)")
    html_dir, _ = built_site
    problems, alts = [], 0
    for page in RUSSIAN_PAGES:
        soup = BeautifulSoup((html_dir / "ru" / page).read_text(encoding="utf-8"), "html.parser")
        for img in soup.select("img.blina-figure"):
            alts += 1
            if found := _codes_in(img.get("alt", "")):
                problems.append(f"ru/{page} alt: {found}: {img['alt'][:200]!r}")
    pdfs = sorted((html_dir / "ru" / "downloads").rglob("*.pdf"))
    for pdf in pdfs:
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                              text=True, check=True).stdout
        if found := _codes_in(text):
            problems.append(f"{pdf.relative_to(html_dir)}: {found}")
    assert alts >= 10 and len(pdfs) >= 10, (alts, len(pdfs))
    assert {"CRS", "neurologic", "other", "RR", "CRh", "negative"} <= DATA_CODES
    assert not problems, "\n".join(problems)


def test_the_english_rule_finds_english_and_leaves_russian():
    """The rule of the test above, on sentences of both kinds (so that a rule that finds nothing
    cannot pass it)."""
    for english in ("Complete remission was achieved in 29/43 patients",
                    "Median follow-up (reverse Kaplan–Meier), days",
                    "Bondarenko SN, Parovichnikova EN, Maschan AA",
                    "Ответ у 5 patients", "Show code cell source", "Toggle primary sidebar"):
        assert english_in(english), english
    for russian in ("Полная ремиссия (ПР или ПРч) достигнута у 29/43 (67%; 95% ДИ 51–81%) "
                    "пациентов", "степень ≥3 (CTCAE)", "CD19-позитивный В-ОЛЛ",
                    "Издание 0.1.0+blina-synthetic-1.0", "p < 0,001", "ОР 0,52 (95% ДИ 0,3–0,9)",
                    "синтетические данные blina-synthetic 1.0, дата среза данных 30.06.2018",
                    "N Engl J Med 2017;376:836–47", "BCR::ABL1"):
        assert not english_in(russian), (russian, english_in(russian))


def test_recorded_terms_are_read_from_the_shipped_data():
    terms = recorded_terms()
    assert "cytokine release syndrome" in terms and "ALT increased" in terms
    assert len(terms) == len(set(terms)) >= 10


# --- the same numbers in both languages ----------------------------------------------------------

_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
_RU_DATE = re.compile(r"\b(\d{2})\.(\d{2})\.(\d{4})\b")
#: Written alike in both languages and not numbers of the results: addresses, DOIs, and
#: identifiers with two dots or more (the edition ``0.1.0+blina-synthetic-1.0``, a version).
_NOT_NUMBERS = re.compile(r"https?://\S+|\b(?:doi:)?10\.\d{4,9}/\S+|"
                          r"\b\d+(?:\.\d+){2,}(?:\+\S+)?")
#: A number as each language writes it: English ``10000.5``; Russian ``10 000,5`` (no-break or
#: thin space between thousands, from five digits on; a decimal comma).
_NUMBER = {"en": re.compile(r"\d+(?:\.\d+)?"),
           "ru": re.compile(r"\d{1,3}(?:[\u00a0\u202f]\d{3})+(?:,\d+)?|\d+(?:,\d+)?")}


def _dataset_label(data_dir: Path = SHIPPED) -> re.Pattern:
    """The dataset's name and version as the pages print them ("blina-synthetic 1.0", or the
    version on its own after "version"/«версия»): an identifier, written alike in both
    languages (its point is not a decimal point)."""
    import yaml

    meta = yaml.safe_load((data_dir / "dataset.yaml").read_text(encoding="utf-8"))
    version = re.escape(str(meta["version"]))
    return re.compile(re.escape(str(meta["name"])) + r"\s*" + version
                      + r"|(?:version|версия)\s+" + version + r"(?![\d.,]\d)")


def numbers(text: str, lang: str) -> Counter:
    """The numbers of ``text``: dates as ``date:YYYY-MM-DD`` (English ``2018-06-30``, Russian
    ``30.06.2018``; a Russian ISO date is read as three numbers, and so differs), the rest as
    floats read in ``lang``'s form (a sign is not a number's: "МОБ−" and "−0,5" say it in
    words or signs alike)."""
    text = _dataset_label().sub(" ", text)
    for value in recorded_terms():  # as recorded, in whatever form the data's author wrote
        text = text.replace(value, " ")
    date = _RU_DATE if lang == "ru" else _ISO_DATE
    found = Counter("date:" + "-".join(parts if lang == "en" else parts[::-1])
                    for parts in date.findall(text))
    text = _NOT_NUMBERS.sub(" ", date.sub(" ", text))
    for raw in _NUMBER[lang].findall(text):
        plain = raw.replace("\u00a0", "").replace("\u202f", "")
        found[float(plain.replace(",", ".") if lang == "ru" else plain)] += 1
    return found


def _article(path: Path):
    soup = _soup(path)
    article = soup.select_one("article.bd-article")
    # code is the same source in both; section, figure and table numbers ("2.1.") are written
    # alike, with a point in Russian too
    for element in article.select("script, style, pre, code, .highlight, .cell_input, dl.py, "
                                  "span.section-number, span.caption-number, span.std-numref"):
        element.decompose()
    return article


def _cells(article) -> list[list[list[str]]]:
    """Every table of the article as rows of cell texts."""
    return [[[" ".join(c.get_text(" ").split()) for c in row.find_all(["th", "td"])]
             for row in table.find_all("tr")] for table in article.find_all("table")]


def number_differences(html_dir: Path, page: str) -> list[str]:
    """How the numbers of ``page`` differ between English and Russian: per table cell, then for
    the whole article."""
    en, ru = _article(html_dir / page), _article(html_dir / "ru" / page)
    problems = []
    en_tables, ru_tables = _cells(en), _cells(ru)
    if len(en_tables) != len(ru_tables):
        problems.append(f"{len(en_tables)} tables in English, {len(ru_tables)} in Russian")
    for t, (en_rows, ru_rows) in enumerate(zip(en_tables, ru_tables), 1):
        if [len(r) for r in en_rows] != [len(r) for r in ru_rows]:
            problems.append(f"table {t}: the rows differ in shape")
            continue
        for r, (en_row, ru_row) in enumerate(zip(en_rows, ru_rows), 1):
            for c, (en_cell, ru_cell) in enumerate(zip(en_row, ru_row), 1):
                if numbers(en_cell, "en") != numbers(ru_cell, "ru"):
                    problems.append(f"table {t}, row {r}, cell {c}: {en_cell!r} / {ru_cell!r}")
    en_all = numbers(" ".join(en.get_text(" ").split()), "en")
    ru_all = numbers(" ".join(ru.get_text(" ").split()), "ru")
    if en_all != ru_all:
        only_en, only_ru = en_all - ru_all, ru_all - en_all
        problems.append(f"the article: only in English {dict(only_en)}, only in Russian "
                        f"{dict(only_ru)}")
    return problems


@pytest.mark.slow
def test_each_page_shows_the_same_numbers_in_both_languages(built_site):
    html_dir, _ = built_site
    problems = {page: found for page in TOC_PAGES if page != "chapters/api.html"
                if (found := number_differences(html_dir, page))}
    assert not problems, "\n".join(f"{page}: {line}" for page, lines in problems.items()
                                   for line in lines)


def test_numbers_are_read_in_each_languages_form():
    assert numbers("40.5% (95% CI 1.5–19%), 12345 patients, cut-off 2018-06-30", "en") == \
        numbers("40,5% (95% ДИ 1,5–19%), 12\u00a0345 пациентов, срез 30.06.2018", "ru")
    assert numbers("p < 0.001", "en") == Counter({0.001: 1})
    assert numbers("0,5", "ru") != numbers("5", "en")


@pytest.mark.slow
def test_the_untranslated_api_page_says_it_is_english(built_site):
    """The API page (docstrings) is not translated: its content is marked ``lang="en"`` on the
    Russian site, and a translated page's content is not."""
    html_dir, _ = built_site
    api = _soup(html_dir / "ru" / "chapters" / "api.html")
    marked = api.select('article div[lang="en"]')
    assert marked and marked[0].find("h1"), "the API page's content is not marked English"
    assert api.html["lang"] == "ru"  # the page itself, theme and edition bar, stays Russian
    methods = _soup(html_dir / "ru" / "chapters" / "methods.html")
    assert not methods.select('article div[lang="en"]')
