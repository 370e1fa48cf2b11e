"""Whole books built from the most different datasets of the family (``tests/dataset_family.py``):
every page free of missing values, ``results.json``'s nulls explained, no word of the shipped
reconstruction where it is not the shipped data. Part of tests/test_any_dataset.py, in a module of
its own so that pytest-xdist (``--dist loadfile``) can run these builds beside the family's
chapter runs.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pytest

import dataset_family as family
from blina_analysis.data.io import load
from test_any_dataset import BAD, ROOT


def static_captions(lang: str) -> tuple[str, ...]:
    """The captions, in ``lang``, of the tables that document the package (the same for every
    dataset; they may say "NA" or "inf")."""
    from blina_analysis.i18n import use_language
    from blina_analysis.report.captions import table_caption

    with use_language(lang):
        return (table_caption("r-differences"),)


@pytest.fixture(scope="module")
def case_dirs(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("family-books")
    return {case: family.write_case(case, root / case) for case in family.WHOLE_BOOK_CASES}


@pytest.mark.slow
@pytest.mark.parametrize("case", family.WHOLE_BOOK_CASES)
def test_whole_book_builds(case, case_dirs, tmp_path):
    import os

    import yaml

    from blina_analysis.publish.build import build_book
    from blina_analysis.publish.languages import book_languages

    os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    out = tmp_path / "html"
    build_book(case_dirs[case], out, echo=lambda *_: None)  # every language (issue 16)
    doc = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert {k for k, v in doc["results"].items() if v is None} == set(doc["meta"]["not_available"])
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    languages = book_languages(config)
    prefixes = {lang: "" if lang == languages[0] else f"{lang}/" for lang in languages}
    assert len(prefixes) > 1 and all((out / p / "index.html").exists() for p in prefixes.values())
    for lang, page in [(lang, f"{prefix}{name}") for lang, prefix in prefixes.items() for name in [
            "index.html", *(f"chapters/{p.stem}.html"
                            for p in sorted((ROOT / "chapters").glob("*.md")))]]:
        raw = (out / page).read_text(encoding="utf-8")
        raw = re.sub(r"<(script|style)\b.*?</\1>", " ", raw, flags=re.S)
        for caption in static_captions(lang):
            raw = re.sub(r"<table\b[^>]*>\s*<caption>" + re.escape(html.escape(caption))
                         + r".*?</table>", " ", raw, flags=re.S)
        text = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", raw)))
        if not page.endswith("chapters/api.html"):  # the API page documents None defaults
            found = BAD.search(text)
            assert found is None, (page, text[max(0, found.start() - 150):found.end() + 150])
    front = re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", (
        out / "index.html").read_text(encoding="utf-8"))))
    assert "within 3 percentage points" not in front and "Counts reproduced exactly" not in front
    if not load(case_dirs[case]).meta.synthetic:
        for word in ("synthetic", "simulated", "reconstruction"):
            assert word not in front.lower(), word
    shutil.rmtree(out)
