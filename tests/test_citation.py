"""CITATION.cff is valid CFF 1.2.0 and carries the package's version; CHANGELOG.md documents it.

Validation uses the official CFF 1.2.0 JSON schema (``tests/fixtures/cff/schema-1.2.0.json``, an
unmodified copy of https://citation-file-format.github.io/1.2.0/schema.json as shipped in
cffconvert 2.0.0) with ``jsonschema``, the checks ``cffconvert --validate`` runs. cffconvert
itself is not a test dependency: it requires ``jsonschema<4``, which conflicts with the
``jsonschema`` 4 that Jupyter Book's stack pins.
"""

from __future__ import annotations

import copy
import hashlib
import json
import re
from pathlib import Path

import jsonschema
import pytest
import yaml

from blina_analysis._version import __version__

ROOT = Path(__file__).resolve().parent.parent
CFF = ROOT / "CITATION.cff"
CHANGELOG = ROOT / "CHANGELOG.md"
SCHEMA = Path(__file__).resolve().parent / "fixtures" / "cff" / "schema-1.2.0.json"
#: SHA-256 of the official schema file: the fixture must not drift from it.
SCHEMA_SHA256 = "0b8d22140da702d766df318dcff3a91af2f39521298dcf36d76315fd99cc169b"


@pytest.fixture(scope="module")
def cff() -> dict:
    # CFF is YAML 1.2; safe_load reads it as cffconvert does for the keys we use (dates are quoted).
    return yaml.safe_load(CFF.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def validator():
    assert hashlib.sha256(SCHEMA.read_bytes()).hexdigest() == SCHEMA_SHA256, \
        f"{SCHEMA} differs from the official CFF 1.2.0 schema"
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def test_citation_cff_is_valid_cff_1_2_0(cff, validator):
    errors = [f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}"
              for e in validator.iter_errors(cff)]
    assert not errors, "CITATION.cff is not valid CFF 1.2.0:\n" + "\n".join(errors)


@pytest.mark.parametrize("breakage", ["no authors", "bad date", "bad doi"])
def test_the_validator_catches_a_broken_citation(cff, validator, breakage):
    broken = copy.deepcopy(cff)
    if breakage == "no authors":
        del broken["authors"]
    elif breakage == "bad date":
        broken["date-released"] = "28 November 2026"
    else:
        broken["references"][0]["doi"] = "not-a-doi"
    assert not validator.is_valid(broken)


def test_citation_version_is_the_package_version(cff):
    assert str(cff["version"]) == __version__


def test_citation_describes_this_edition_and_the_original_article(cff):
    assert cff["title"] == "Blinatumomab in adult B-ALL: a living publication"
    assert cff["type"] in {"software", "dataset"}
    assert cff["license"] == "MIT"
    assert cff["authors"][0]["family-names"] == "Bondarenko"
    article = cff["references"][0]
    assert article["doi"] == "10.21320/2500-2139-2019-12-2-145-153"
    assert (article["journal"], article["year"], article["volume"]) == \
        ("Clinical Oncohematology", 2019, 12)
    assert (article["start"], article["end"]) == (145, 153)


def _changelog_sections() -> dict[str, str | None]:
    """``{version: date}`` from the Keep a Changelog headings ``## [x.y.z] - YYYY-MM-DD``."""
    text = CHANGELOG.read_text(encoding="utf-8")
    return {m["version"]: m["date"] for m in re.finditer(
        r"^## \[(?P<version>[^\]]+)\](?: - (?P<date>\d{4}-\d{2}-\d{2}))?\s*$", text, flags=re.M)}


def test_changelog_has_a_section_for_the_current_version():
    sections = _changelog_sections()
    assert __version__ in sections, f"CHANGELOG.md has no '## [{__version__}] - date' section"
    assert sections[__version__], f"the {__version__} section of CHANGELOG.md has no date"


def test_changelog_follows_keep_a_changelog_order():
    versions = [v for v in _changelog_sections() if v != "Unreleased"]
    keys = [tuple(int(x) for x in re.findall(r"\d+", v)) for v in versions]
    assert keys == sorted(keys, reverse=True), "newest version first"
    assert next(iter(_changelog_sections())) == "Unreleased"


def test_release_date_agrees_with_the_changelog(cff):
    assert str(cff["date-released"]) == _changelog_sections()[__version__]
