"""The prose values of each page come from that page's text module, with literal keys."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from blina_analysis.analyses import Analysis
from blina_analysis.report import text
from blina_analysis.report.text import PAGES, page_values

ROOT = Path(__file__).resolve().parent.parent
GLUE_ROLE = re.compile(r"\{glue(?::text)?\}`([^`]+)`")
GLUE_CALL = re.compile(r'book\.glue_text\(an, "([^"]+)"\)')


def _glued_keys(page: str) -> set[str]:
    source = (ROOT / f"{page}.md").read_text(encoding="utf-8")
    return set(GLUE_ROLE.findall(source))


@pytest.fixture(scope="module")
def shipped() -> Analysis:
    return Analysis.from_dir(ROOT / "data" / "synthetic")


@pytest.mark.parametrize("page", sorted(PAGES))
def test_each_page_glues_its_own_module_and_every_key_of_it(page, shipped):
    source = (ROOT / f"{page}.md").read_text(encoding="utf-8")
    assert GLUE_CALL.findall(source) == [page]
    values = page_values(page, shipped)
    figure_keys = {k for k in _glued_keys(page) if k.startswith("fig-")}
    assert _glued_keys(page) - figure_keys == set(values), page
    assert all(isinstance(v, str) and v for v in values.values())


@pytest.mark.parametrize("module", sorted(set(PAGES.values())))
def test_text_modules_return_literal_keys(module):
    """``grep KEY`` must find the line that makes each value: no f-string or computed keys."""
    tree = ast.parse((ROOT / "blina_analysis" / "report" / "text" / f"{module}.py").read_text())
    values = next(f for f in tree.body if isinstance(f, ast.FunctionDef) and f.name == "values")
    dicts = [n for n in ast.walk(values) if isinstance(n, ast.Dict)]
    assert dicts, module
    for d in dicts:
        assert all(isinstance(k, ast.Constant) and isinstance(k.value, str) for k in d.keys), module


def test_every_book_page_with_glued_prose_has_a_text_module():
    pages = [p.relative_to(ROOT).with_suffix("").as_posix()
             for p in [ROOT / "index.md", *sorted((ROOT / "chapters").glob("*.md"))]]
    glued = {p for p in pages if any(not k.startswith("fig-") for k in _glued_keys(p))}
    assert glued <= set(PAGES)


def test_the_shipped_abstract_reads_as_before(shipped):
    v = page_values("index", shipped)
    assert v["abstract_rr"].startswith("In the R/R group, complete remission (CR/CRh) was "
                                       "achieved in 29/43 (67%; 95% CI 51–81%), with MRD "
                                       "negativity in 24/29")
    assert v["n_adults"] == "66 adults"
    assert "The CR/CRh rate was 73% with standard and 59% with high cytogenetic risk" in (
        v["abstract_rr"])


def test_interval_text_follows_the_confidence_level():
    an = Analysis.from_dir(ROOT / "data" / "synthetic", conf_level=0.9)
    assert "90% CI" in text.page_values("chapters/rr_results", an)["rr_response_text"]
    assert "90% CI" in text.page_values("chapters/transplant", an)["tv_cox_text"]
