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
from test_any_dataset import BAD, ROOT, STATIC_TABLES


@pytest.fixture(scope="module")
def case_dirs(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("family-books")
    return {case: family.write_case(case, root / case) for case in family.WHOLE_BOOK_CASES}


#: The edge case also built in every language (the others in English, the language these checks
#: read), its other languages' pages checked as the English ones.
EVERY_LANGUAGE_CASE = "one_patient_rr"


@pytest.mark.slow
@pytest.mark.parametrize("case", family.WHOLE_BOOK_CASES)
def test_whole_book_builds(case, case_dirs, tmp_path):
    import os

    import yaml

    from blina_analysis.publish.build import build_book
    from blina_analysis.publish.languages import book_languages

    os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    out = tmp_path / "html"
    every = case == EVERY_LANGUAGE_CASE
    build_book(case_dirs[case], out, echo=lambda *_: None, languages=None if every else ("en",))
    doc = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert {k for k, v in doc["results"].items() if v is None} == set(doc["meta"]["not_available"])
    prefixes = [""]
    if every:
        config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
        prefixes += [f"{lang}/" for lang in book_languages(config)[1:]]
        assert len(prefixes) > 1 and all((out / p / "index.html").exists() for p in prefixes)
    for page in [f"{prefix}{name}" for prefix in prefixes for name in [
            "index.html", *(f"chapters/{p.stem}.html"
                            for p in sorted((ROOT / "chapters").glob("*.md")))]]:
        raw = (out / page).read_text(encoding="utf-8")
        raw = re.sub(r"<(script|style)\b.*?</\1>", " ", raw, flags=re.S)
        for caption in STATIC_TABLES:
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
