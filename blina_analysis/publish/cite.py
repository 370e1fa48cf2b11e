"""Citing an edition: a formatted reference, BibTeX, RIS, and ``.zenodo.json`` from CITATION.cff.

Each takes the edition's description (:func:`blina_analysis.publish.editions.edition_info`): the
title and authors of ``CITATION.cff``, the edition identifier, its source date (the commit's date,
which is also the year cited), the data cut-off, and the edition's address when the site's address
is known. ``CITATION.cff`` is the one home of the citation's metadata; ``.zenodo.json`` is
generated from it (:func:`zenodo_metadata`) and checked against it by the tests.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

__all__ = ["reference_text", "bibtex", "ris", "bibtex_key", "zenodo_metadata", "write_zenodo",
           "ZENODO_FILE"]

#: The file Zenodo reads when a GitHub release is archived.
ZENODO_FILE = ".zenodo.json"

#: Authors listed before "et al.": Vancouver style lists six; the Russian journal's own
#: reference ("Для цитирования") lists three before «и др.».
_LISTED = {"en": 6, "ru": 3}


def _initials(given: str) -> str:
    """``S. N.`` → ``SN``; ``O. Yu.`` → ``OYu`` (Vancouver initials)."""
    return "".join(part.rstrip(".") for part in given.replace("-", " ").split())


def _author_names(cite: dict, lang: str) -> list[str]:
    """The authors as ``lang``'s reference writes them: ``Bondarenko SN`` (Vancouver), or the
    name CITATION.cff gives as the author's ``alias`` (``Бондаренко С.Н.``)."""
    if lang == "en":
        return [f"{a['family']} {_initials(a['given'])}".strip() for a in cite["authors"]]
    return [a.get("alias") or f"{a['family']} {a['given']}".strip() for a in cite["authors"]]


def reference_text(info: dict, lang: str = "en") -> str:
    """The formatted reference of the edition, as plain text, in ``lang``: Vancouver style in
    English; in Russian, the style of the article's journal (authors as written in Russian, three
    before «и др.», dates as 30.06.2019), every word from the site's catalog."""
    from blina_analysis.publish.site_words import local_date, words

    say = words(lang)
    cite = info["citation"]
    authors = _author_names(cite, lang)
    listed = _LISTED.get(lang, _LISTED["en"])
    if len(authors) > listed:
        shown = say("{authors}, et al.").format(authors=", ".join(authors[:listed]))
    else:
        shown = ", ".join(authors) + ("" if lang != "en" and authors else ".")
    text = say("{authors} {title} [Internet]. Edition {edition} (data cut-off {cutoff}; source "
               "commit {commit}). {year} [source dated {date}].").format(
        authors=shown, title=say(cite["title"]) if cite["title"] else "",
        edition=info["edition"], cutoff=local_date(info["cutoff"], lang), commit=info["commit"],
        year=info["source_date"][:4], date=local_date(info["source_date"], lang))
    if info.get("url"):  # no full stop: the address is copied whole
        text += " " + say("Available from: {url}").format(url=info["url"])
    return text


def bibtex_key(info: dict) -> str:
    """``bondarenko2026_0_1_0_blina_synthetic_1_0``: first author, year, edition."""
    cite = info["citation"]
    first = cite["authors"][0]["family"] if cite["authors"] else "blina"
    first = re.sub(r"[^a-z]", "", first.lower()) or "blina"
    return f"{first}{info['source_date'][:4]}_" + re.sub(r"[^0-9A-Za-z]+", "_", info["edition"])


def _bib_escape(text: str) -> str:
    return re.sub(r"([&%$#_])", r"\\\1", text)


def bibtex(info: dict) -> str:
    """A BibTeX ``@misc`` entry with author, title, year, edition, date and URL."""
    cite = info["citation"]
    authors = " and ".join(f"{a['family']}, {a['given']}".strip(", ") for a in cite["authors"])
    fields = [
        ("author", authors + " and others" if authors else "others"),
        ("title", "{" + _bib_escape(cite["title"]) + "}"),
        ("year", info["source_date"][:4]),
        ("date", info["source_date"]),
        ("edition", _bib_escape(info["edition"])),
        ("version", _bib_escape(info["edition"])),
    ]
    if info.get("url"):
        fields.append(("url", info["url"]))
        fields.append(("howpublished", "\\url{" + info["url"] + "}"))
    fields.append(("note", _bib_escape(
        f"Living publication, edition {info['edition']}: dataset {info['dataset']}, data cut-off "
        f"{info['cutoff']}, data SHA-256 {info['fingerprint'][:16]}, source commit "
        f"{info['commit']}")))
    width = max(len(name) for name, _ in fields)
    body = ",\n".join(f"  {name.ljust(width)} = {{{value}}}" for name, value in fields)
    return f"@misc{{{bibtex_key(info)},\n{body}\n}}\n"


def ris(info: dict) -> str:
    """An RIS record (``TY - ELEC``) with authors, title, year, date, edition and URL."""
    cite = info["citation"]
    lines = ["TY  - ELEC"]
    lines += [f"AU  - {a['family']}, {a['given']}".rstrip(", ") for a in cite["authors"]]
    lines += [f"TI  - {cite['title']}", f"PY  - {info['source_date'][:4]}",
              f"DA  - {info['source_date'].replace('-', '/')}", f"ET  - {info['edition']}"]
    if info.get("url"):
        lines.append(f"UR  - {info['url']}")
    lines.append(f"N1  - Dataset {info['dataset']}, data cut-off {info['cutoff']}, data SHA-256 "
                 f"{info['fingerprint'][:16]}, source commit {info['commit']}")
    lines.append("ER  - ")
    return "\n".join(lines) + "\n"


# --- Zenodo -------------------------------------------------------------------------------------


def _cff_person(person: dict) -> dict:
    if "family-names" in person:
        name = person["family-names"] + (f", {person['given-names']}"
                                         if person.get("given-names") else "")
    else:
        name = person.get("name", "")
    out = {"name": name}
    if person.get("affiliation"):
        out["affiliation"] = person["affiliation"]
    if person.get("orcid"):
        out["orcid"] = str(person["orcid"]).rsplit("/", 1)[-1]
    return out


def zenodo_metadata(cff: dict) -> dict:
    """The ``.zenodo.json`` deposit metadata that says what ``CITATION.cff`` says.

    Title, creators (in order), version, publication date, licence, keywords and description
    come from the CFF fields of the same meaning; the original article becomes a related
    identifier (``isSupplementTo`` its DOI).
    """
    out = {
        "title": cff["title"],
        "upload_type": "publication",
        "publication_type": "other",
        "creators": [_cff_person(a) for a in cff.get("authors") or []],
        "version": str(cff["version"]),
        "publication_date": str(cff["date-released"]),
        "license": {"id": str(cff.get("license", "")).lower()},
        "keywords": list(cff.get("keywords") or []),
        "description": " ".join(str(cff.get("abstract", "")).split()),
        "notes": " ".join(str(cff.get("message", "")).split()),
        "access_right": "open",
    }
    related = [{"identifier": ref["doi"], "relation": "isSupplementTo", "scheme": "doi",
                "resource_type": "publication-article"}
               for ref in cff.get("references") or [] if ref.get("doi")]
    if related:
        out["related_identifiers"] = related
    return out


def write_zenodo(root: Path) -> Path:
    """(Re)write ``<root>/.zenodo.json`` from ``<root>/CITATION.cff``."""
    import yaml

    root = Path(root)
    cff = yaml.safe_load((root / "CITATION.cff").read_text(encoding="utf-8"))
    path = root / ZENODO_FILE
    path.write_text(json.dumps(zenodo_metadata(cff), indent=2, ensure_ascii=False) + "\n",
                    encoding="utf-8")
    return path


if __name__ == "__main__":  # pragma: no cover - `python -m blina_analysis.publish.cite`
    print(write_zenodo(Path(__file__).resolve().parents[2]))
