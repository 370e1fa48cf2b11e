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


def test_methods_state_the_rounding_with_a_worked_example(shipped):
    """21/40 = 52.5%: half up gives 53%; R's formatC(52.5, format = "f", digits = 0) and
    round(52.5) give 52 (R 4.x, half to even)."""
    rounding = page_values("chapters/methods", shipped)["rounding"]
    assert "21/40 = 52.5% is shown as 53%" in rounding
    assert "would give 52%" in rounding
    assert "p < 0.001" in rounding


def test_methods_define_the_time_points_and_the_number_at_risk(shipped):
    """12 months = 12 x 30.4375 = 365.25 days, 24 months = 730.5 days; with whole days, at risk
    at 12 months means time >= 366 days, and the estimate at 24 months is the curve after day
    730."""
    values = page_values("chapters/methods", shipped)
    sentence = values["time_points"]
    for part in ("months of 30.4375 days", "at 12 months (365.25 days)",
                 "at 24 months (730.5 days)", "at least that time", "end of day 730",
                 "at least 366 days"):
        assert part in sentence, part
    assert values["conf_z"] == "1.96"  # qnorm(0.975)


def test_concordance_lists_every_reading_of_the_abstract():
    """Each published value with a reading is named, with its published value, in one item;
    the marrow-blasts item gives 85% to <50% blasts, against the literal "respectively"."""
    from blina_analysis.data.published import abstract_values
    from blina_analysis.report.text.concordance import readings

    items = readings()
    with_reading = [pv for pv in abstract_values().values() if pv.reading]
    assert {"rr_response_n", "rr_mrdneg_n", "rr_response_rate_blasts_lt50",
            "rr_response_rate_blasts_ge50", "mrd_os_2y", "mrd_dfs_2y", "responders_os_2y",
            "responders_relapse_rate_hsct_after", "bc_interrupted_n"} <= {
                pv.key for pv in with_reading}
    for pv in with_reading:
        assert sum(pv.reading in item for item in items) == 1, pv.key
    (blasts,) = [i for i in items if "Marrow blasts" in i]
    assert blasts.startswith("R/R: CR/CRh rate, Marrow blasts: <50%, 85% and "
                             "R/R: CR/CRh rate, Marrow blasts: ≥50%, 61% — Against the literal")
