"""The book in two languages (issue 16, the build's side): layout, language switch, catalogs.

The shared build of the shipped data (``built_site``) builds every language of ``_config.yml``:
English at the site's root, Russian at ``ru/``. The fast tests read the catalogs only.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urljoin

import pytest
import yaml
from babel.messages.pofile import read_po

from blina_analysis.publish.languages import book_languages, select_languages
from blina_analysis.publish.translations import TRANSLATED_PAGES

from .conftest import ROOT, TOC_PAGES


def _catalog(lang: str, page: str):
    with open(ROOT / "locale" / lang / "LC_MESSAGES" / f"{page}.po", "rb") as handle:
        return read_po(handle, locale=lang)


def test_the_book_lists_english_first_then_russian():
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert book_languages(config) == ("en", "ru")
    assert select_languages(config, ("en",)) == ("en",)
    with pytest.raises(ValueError, match="--lang de"):
        select_languages(config, ("de",))


@pytest.mark.parametrize("lang,page", [(lang, page) for lang, pages in TRANSLATED_PAGES.items()
                                       for page in pages])
def test_a_page_declared_translated_has_every_message_translated(lang, page):
    catalog = _catalog(lang, page)
    lacking = [m.id for m in catalog if m.id and (not m.string or m.fuzzy)]
    assert not lacking, f"{page}.po ({lang}): untranslated or fuzzy: {lacking}"
    # a translation keeps every glued value, reference, figure number and citation of its
    # English, with the same label (a reference's title, `title <label>`, is translated)
    for m in catalog:
        if m.id:
            assert _roles(m.string) == _roles(m.id), m.id


def _roles(text: str) -> list[tuple[str, str]]:
    found = re.findall(r"\{(glue:text|ref|numref|cite:p|cite:t)\}`([^`]+)`", text)
    return sorted((role, re.sub(r"^.*<([^<>]+)>$", r"\1", body)) for role, body in found)


def test_every_page_has_a_russian_catalog():
    for page in TOC_PAGES:
        assert (ROOT / "locale" / "ru" / "LC_MESSAGES" / page.replace(".html", ".po")).is_file()


@pytest.mark.slow
def test_russian_pages_sit_below_english_ones_and_link_to_each_other(built_site):
    html_dir, _ = built_site
    for page in TOC_PAGES:
        en, ru = html_dir / page, html_dir / "ru" / page
        en_text, ru_text = en.read_text(encoding="utf-8"), ru.read_text(encoding="utf-8")
        assert '<html lang="en"' in en_text and '<html lang="ru"' in ru_text
        for path, text in ((en, en_text), (ru, ru_text)):
            alternates = dict(re.findall(
                r'<link rel="alternate" hreflang="(\w+)" href="([^"]+)" />', text))
            assert set(alternates) == {"en", "ru"}, page
            base = path.relative_to(html_dir).as_posix()
            assert urljoin(base, alternates["en"]) == page
            assert urljoin(base, alternates["ru"]) == "ru/" + page
            switch = re.search(r'class="blina-language-link" href="([^"]+)"', text)[1]
            assert urljoin(base, switch) == (page if path == ru else "ru/" + page)
    assert (html_dir / "ru" / "results.json").read_bytes() == \
        (html_dir / "results.json").read_bytes()


@pytest.mark.slow
def test_the_russian_front_page_is_in_russian(built_site):
    from .conftest import page_text

    html_dir, _ = built_site
    text = page_text(html_dir / "ru", "index.html")
    assert "Резюме" in text and "Актуальность." in text and "Издание" in text
    assert "Background." not in text and "Cite this edition" not in text
    # the citation box: the journal's Russian style, authors as the article writes them
    assert "Бондаренко С.Н., Паровичникова Е.Н., Масчан А.А. и др. Блинатумомаб при В-ОЛЛ у " \
        "взрослых: «живая» публикация [Интернет]. Издание" in text


# --- the theme's words ----------------------------------------------------------------------

_SITE_PACKAGES = Path(__import__("sphinx").__file__).resolve().parents[1]
#: The themes' catalogs of Russian (their own translations come first).
_THEME_CATALOGS = {
    "pydata-sphinx-theme": "pydata_sphinx_theme/locale/{lang}/LC_MESSAGES/sphinx.po",
    "sphinx-book-theme": ("sphinx_book_theme/theme/sphinx_book_theme/static/locales/{lang}/"
                          "LC_MESSAGES/booktheme.po"),
    "sphinx-togglebutton": "sphinx_togglebutton/translations/locales/{lang}/LC_MESSAGES/"
                           "togglebutton.po",
}
#: What myst-nb writes in English whatever the language (the prompts are set per language).
_NB_WORDS = ("Show code cell source", "Hide code cell source", "Toggle hidden content")


def _theme_words(lang: str) -> dict[str, set[str]]:
    """Per theme, its English words and those of them its ``lang`` catalog translates."""
    out = {}
    for name, rel in _THEME_CATALOGS.items():
        with open(_SITE_PACKAGES / rel.format(lang=lang), "rb") as handle:
            catalog = read_po(handle, locale=lang)
        out[name] = {m.id for m in catalog if m.id and isinstance(m.id, str)}
        out[name + " (translated)"] = {m.id for m in catalog if m.id and isinstance(m.id, str)
                                       and m.string and not m.fuzzy}
    return out


def _sphinx_words() -> set[str]:
    """The English words of Sphinx's own catalog."""
    import sphinx

    with open(Path(sphinx.__file__).parent / "locale" / "ru" / "LC_MESSAGES" / "sphinx.po",
              "rb") as handle:
        return {m.id for m in read_po(handle, locale="ru") if m.id and isinstance(m.id, str)}


def test_our_theme_catalog_holds_only_what_the_themes_lack():
    """``locale/ru/LC_MESSAGES/sphinx.po`` comes before the themes' catalogs: it may translate
    only what neither Sphinx nor a theme translates, and must translate every word of
    :data:`~blina_analysis.publish.theme.TEMPLATE_WORDS`."""
    import gettext

    import sphinx

    from blina_analysis.publish.theme import TEMPLATE_WORDS

    ours = _catalog("ru", "sphinx")
    sphinx_ru = gettext.translation("sphinx", Path(sphinx.__file__).parent / "locale", ["ru"])
    theirs = set().union(*(v for k, v in _theme_words("ru").items() if k.endswith("(translated)")))
    for m in ours:
        if not m.id:
            continue
        assert m.string and not m.fuzzy, m.id
        assert m.id not in theirs and sphinx_ru.gettext(m.id) == m.id, (
            f"{m.id!r}: the themes or Sphinx translate it; leave it to them")
    translated = {m.id for m in ours if m.id}
    assert {word for _markup, word in TEMPLATE_WORDS} <= translated
    assert "Search this book..." in translated  # Jupyter Book's search box


def _shown_strings(path: Path) -> list[str]:
    """The texts and the reader-facing attributes (title, labels, placeholder, alt) of a page."""
    from html.parser import HTMLParser

    class Page(HTMLParser):
        def __init__(self):
            super().__init__(convert_charrefs=True)
            self.hidden, self.found = 0, []

        def handle_starttag(self, tag, attrs):
            if tag in ("script", "style"):
                self.hidden += 1
            for name, value in attrs:
                if value and name in {"title", "aria-label", "placeholder", "alt",
                                      "data-bs-title", "data-bs-original-title"}:
                    self.found.append(" ".join(value.split()))

        def handle_endtag(self, tag):
            if tag in ("script", "style"):
                self.hidden -= 1

        def handle_data(self, data):
            if not self.hidden and data.strip():
                self.found.append(" ".join(data.split()))

    parser = Page()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser.found


@pytest.mark.slow
def test_russian_pages_show_no_english_word_of_the_theme(built_site):
    """No text or label of a Russian page is one of the themes' or myst-nb's English words
    ("Back to top", "Contents", "Search this book...", "Toggle primary sidebar", "previous",
    "Show code cell source", ...), while the English pages do show them."""
    from blina_analysis.publish.theme import TEMPLATE_WORDS

    html_dir, _ = built_site
    english = set().union(*(v for k, v in _theme_words("ru").items()
                            if not k.endswith("(translated)")))
    english |= {word for _markup, word in TEMPLATE_WORDS} | set(_NB_WORDS)
    english.add("Search this book...")  # Jupyter Book's search box
    english |= {m for m in _sphinx_words() if m.startswith("Link to this")}  # headings' links
    pages = [p for p in sorted((html_dir / "ru").rglob("*.html"))
             if p.relative_to(html_dir / "ru").parts[0] != "_static"]
    assert len(pages) >= 15
    found = {}
    for path in pages:
        shown = [s for s in _shown_strings(path) if s in english]
        if shown:
            found[path.relative_to(html_dir).as_posix()] = sorted(set(shown))
    assert not found, "English words of the theme on Russian pages:\n" + "\n".join(
        f"{page}: {words}" for page, words in found.items())
    on_english = set(_shown_strings(html_dir / "chapters" / "rr_results.html")) & english
    assert {"Back to top", "Show code cell source", "Toggle primary sidebar"} <= on_english


# --- the language switch in a browser ----------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("start, other", [("", "ru/"), ("ru/", "")], ids=["en-to-ru", "ru-to-en"])
def test_the_language_switch_keeps_the_chapter(browser, built_site, start, other):
    """Following the switch on a chapter opens the same chapter in the other language, and the
    switch there leads back."""
    html_dir, _ = built_site
    page = browser.new_page()
    try:
        chapter = "chapters/transplant.html"
        page.goto((html_dir / start / chapter).as_uri(), wait_until="load")
        assert page.locator("html").get_attribute("lang") == (start.rstrip("/") or "en")
        page.locator("a.blina-language-link").first.click()
        page.wait_for_url((html_dir / other / chapter).as_uri())
        assert page.locator("html").get_attribute("lang") == (other.rstrip("/") or "en")
        assert page.locator(".blina-edition-bar").get_attribute("data-page") == chapter
        page.locator("a.blina-language-link").first.click()
        page.wait_for_url((html_dir / start / chapter).as_uri())
    finally:
        page.close()


def test_dates_are_written_as_the_language_writes_them():
    from blina_analysis.publish.site_words import local_date

    assert local_date("2018-06-30", "ru") == "30.06.2018"
    assert local_date("2018-06-30", "en") == "2018-06-30"
    assert local_date("None", "ru") == "None"  # not a date: left as it is


def test_a_pages_sentences_are_kept_per_language():
    """One warm kernel renders the chapters of both languages from one cached analysis: the
    sentences cached for English must not be served to the Russian page (decimal comma, ДИ)."""
    from blina_analysis import book
    from blina_analysis.i18n import use_language
    from blina_analysis.report.text import page_values

    an = book.analysis()
    with use_language("en"):
        english = page_values("chapters/discussion", an)["tv_cox_text"]
    with use_language("ru"):
        russian = page_values("chapters/discussion", an)["tv_cox_text"]
    assert "95% CI" in english and "95% ДИ" in russian, (english, russian)
