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
    # a translation keeps every glued value and reference of its English
    for m in catalog:
        if m.id:
            roles = sorted(re.findall(r"\{(?:glue:text|ref)\}`[^`]+`", m.id))
            assert sorted(re.findall(r"\{(?:glue:text|ref)\}`[^`]+`", m.string)) == roles, m.id


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
