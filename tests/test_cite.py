"""Citing an edition: the formatted reference, BibTeX and RIS carry authors, year, title, edition,
URL and date; ``.zenodo.json`` says what ``CITATION.cff`` says."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from blina_analysis.publish.cite import (ZENODO_FILE, bibtex, bibtex_key, reference_text, ris,
                                         zenodo_metadata)

ROOT = Path(__file__).resolve().parent.parent
CFF = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))


@pytest.fixture
def info() -> dict:
    return {
        "edition": "0.2.0+blina-synthetic-1.1", "book_version": "0.2.0",
        "dataset": "blina-synthetic 1.1", "synthetic": True, "cutoff": "2019-06-30",
        "fingerprint": "ab" * 32, "commit": "0123456789ab", "source_date": "2026-11-28",
        "url": "https://example.org/blina/0.2.0+blina-synthetic-1.1/",
        "citation": {"title": CFF["title"], "license": "MIT",
                     "authors": [{"family": a["family-names"], "given": a["given-names"]}
                                 for a in CFF["authors"]]},
    }


def test_reference_names_authors_title_edition_year_date_and_url(info):
    text = reference_text(info)
    assert text.startswith("Bondarenko SN, Parovichnikova EN, Maschan AA, Baranova OYu, "
                           "Shelekhova TV, Doronin VA, et al. Blinatumomab in adult B-ALL: a "
                           "living publication [Internet]. Edition 0.2.0+blina-synthetic-1.1 "
                           "(data cut-off 2019-06-30; source commit 0123456789ab). 2026 "
                           "[source dated 2026-11-28].")
    assert text.endswith("Available from: https://example.org/blina/0.2.0+blina-synthetic-1.1/")


def test_reference_without_a_known_address_has_no_url(info):
    info["url"] = ""
    assert "Available from" not in reference_text(info)
    assert "url" not in bibtex(info) and "UR  -" not in ris(info)


def test_bibtex_entry(info):
    entry = bibtex(info)
    assert entry.startswith("@misc{bondarenko2026_0_2_0_blina_synthetic_1_1,\n")
    fields = dict(line.strip().rstrip(",").split(" = ", 1) for line in entry.splitlines()[1:-1])
    fields = {k.strip(): v[1:-1] for k, v in fields.items()}
    assert fields["author"].startswith("Bondarenko, S. N. and Parovichnikova, E. N. and ")
    assert fields["author"].endswith("Sokolov, A. N. and others")
    assert fields["title"] == "{Blinatumomab in adult B-ALL: a living publication}"
    assert (fields["year"], fields["date"]) == ("2026", "2026-11-28")
    assert fields["edition"] == fields["version"] == "0.2.0+blina-synthetic-1.1"
    assert fields["url"] == info["url"]
    assert "data cut-off 2019-06-30" in fields["note"]
    assert entry.count("{") == entry.count("}")
    assert bibtex_key(info) == "bondarenko2026_0_2_0_blina_synthetic_1_1"


def test_ris_record(info):
    lines = ris(info).splitlines()
    assert lines[0] == "TY  - ELEC" and lines[-1] == "ER  - "
    tags = [line[:2] for line in lines]
    assert tags.count("AU") == len(CFF["authors"])
    assert "TI  - Blinatumomab in adult B-ALL: a living publication" in lines
    assert {"PY  - 2026", "DA  - 2026/11/28", "ET  - 0.2.0+blina-synthetic-1.1",
            f"UR  - {info['url']}"} <= set(lines)
    assert all(len(line) >= 5 and line[2:6] == "  - " for line in lines)


def test_zenodo_json_is_generated_from_citation_cff():
    """``.zenodo.json`` is exactly what ``python -m blina_analysis.publish.cite`` writes."""
    written = json.loads((ROOT / ZENODO_FILE).read_text(encoding="utf-8"))
    assert written == zenodo_metadata(CFF), ("regenerate .zenodo.json: "
                                             "python -m blina_analysis.publish.cite")


def test_zenodo_json_agrees_with_citation_cff_field_by_field():
    z = json.loads((ROOT / ZENODO_FILE).read_text(encoding="utf-8"))
    assert z["title"] == CFF["title"]
    assert z["version"] == str(CFF["version"])
    assert z["publication_date"] == str(CFF["date-released"])
    assert z["license"] == {"id": CFF["license"].lower()}
    assert z["keywords"] == CFF["keywords"]
    assert [c["name"] for c in z["creators"]] == [
        f"{a['family-names']}, {a['given-names']}" for a in CFF["authors"]]
    assert z["description"] == " ".join(CFF["abstract"].split())
    assert z["related_identifiers"] == [{
        "identifier": CFF["references"][0]["doi"], "relation": "isSupplementTo",
        "scheme": "doi", "resource_type": "publication-article"}]
    assert z["upload_type"] == "publication"


def test_the_russian_reference_follows_the_journals_style(info):
    """Authors as the article writes them in Russian (CITATION.cff's ``alias``), three before
    «и др.», dates as 30.06.2019, the book's Russian title, every word Russian."""
    for cff_author, author in zip(CFF["authors"], info["citation"]["authors"]):
        author["alias"] = cff_author["alias"]
    assert reference_text(info, "ru") == (
        "Бондаренко С.Н., Паровичникова Е.Н., Масчан А.А. и др. Блинатумомаб при В-ОЛЛ у "
        "взрослых: «живая» публикация [Интернет]. Издание 0.2.0+blina-synthetic-1.1 (дата среза "
        "данных 30.06.2019; исходный коммит 0123456789ab). 2026 [исходный код от 28.11.2026]. "
        "Доступно по: https://example.org/blina/0.2.0+blina-synthetic-1.1/")
    info["url"] = ""
    assert "Доступно" not in reference_text(info, "ru")


def test_both_titles_are_in_the_citation_metadata():
    """CITATION.cff and .zenodo.json name the book's and the article's titles in both languages;
    the book's Russian title is the one its Russian pages show (the site's catalog)."""
    from blina_analysis.publish.site_words import words

    russian_title = words("ru")(CFF["title"])
    assert russian_title == "Блинатумомаб при В-ОЛЛ у взрослых: «живая» публикация"
    article_ru = ("Блинатумомаб в терапии острого лимфобластного лейкоза: Российское "
                  "многоцентровое исследование")
    zenodo = json.loads((ROOT / ZENODO_FILE).read_text(encoding="utf-8"))
    for text in (" ".join(CFF["abstract"].split()), zenodo["description"]):
        assert CFF["title"] in zenodo["title"] and russian_title in text and article_ru in text
    article = CFF["references"][0]
    assert article["languages"] == ["ru"] and article_ru in " ".join(article["notes"].split())
    assert [a["alias"] for a in CFF["authors"][:3]] == ["Бондаренко С.Н.", "Паровичникова Е.Н.",
                                                        "Масчан А.А."]
