"""The built book shows the numbers of its data — checked against values computed here, by hand.

The expected values are computed in this file directly from the CSV files with pandas and scipy,
not with the package, so that a mistake in the package cannot confirm itself.
"""

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from scipy.stats import beta

from blina_analysis import __version__

from .conftest import SHIPPED, page_text

pytestmark = pytest.mark.slow

PAGES = ["index.html"] + [f"chapters/{c}.html" for c in (
    "methods", "rr_results", "mrd_results", "transplant", "safety", "discussion", "concordance",
    "references", "how_to_cite")]


def independent(data_dir: Path) -> dict:
    """Counts and exact CIs computed from the raw files, without blina_analysis."""
    p = pd.read_csv(data_dir / "patients.csv", dtype=str, keep_default_na=False)
    ae = pd.read_csv(data_dir / "adverse_events.csv", dtype=str, keep_default_na=False)
    rr = p[(p["group"] == "RR") & (p["hematologic_response"] != "pending")]
    n = int(rr["hematologic_response"].isin(["CR", "CRh"]).sum())
    N = len(rr)
    lo, hi = beta.ppf(0.025, n, N - n + 1), beta.ppf(0.975, n + 1, N - n)
    g34 = ae[ae["grade"].isin(["3", "4"])]["patient_id"].nunique()
    g3plus = ae[ae["grade"].isin(["3", "4", "5"])]["patient_id"].nunique()
    responders = p[((p["group"] == "RR") & p["hematologic_response"].isin(["CR", "CRh"]))
                   | ((p["group"] == "MRD") & (p["mrd_response"] == "negative"))]
    relapse = {}
    for name, flag in (("relapse_after", "true"), ("relapse_without", "false")):
        sub = responders[responders["hsct_after_bc"] == flag]
        relapse[name] = (int((sub["relapse"] == "true").sum()), len(sub))
    return {"n": n, "N": N, "lo": lo, "hi": hi, "n_total": len(p), "g34": g34, "g3plus": g3plus,
            "n_mrd": int((p["group"] == "MRD").sum()), **relapse}


def whole_pct(x: float) -> str:
    return f"{int(100 * x + 0.5)}%"


def test_every_chapter_is_built(built_site):
    html, _ = built_site
    for page in PAGES:
        assert (html / page).exists(), page


def test_front_page_shows_the_numbers_of_the_data(built_site):
    html, results = built_site
    x = independent(SHIPPED)
    text = page_text(html, "index.html")
    # the count, its percentage and its exact interval together: "29/43 (67%; 95% CI 51–81%)"
    assert (f"{x['n']}/{x['N']} ({whole_pct(x['n'] / x['N'])}; 95% CI "
            f"{whole_pct(x['lo'])[:-1]}–{whole_pct(x['hi'])})") in text
    assert f"{x['g3plus']} (" in text and f"{x['n_total']} adults" in text
    assert "synthetic reconstruction" in text


def test_results_json_agrees_with_independent_values(built_site):
    _, results = built_site
    x = independent(SHIPPED)
    r = results["results"]
    assert (r["rr_response_n"], r["n_rr_assessed"], r["n_total"]) == (x["n"], x["N"], x["n_total"])
    assert r["rr_response_ci_low"] == pytest.approx(x["lo"], abs=1e-12)
    assert r["rr_response_ci_high"] == pytest.approx(x["hi"], abs=1e-12)
    assert r["ae_grade34_n"] == x["g34"]
    assert r["ae_grade3plus_n"] == x["g3plus"]
    meta = results["meta"]
    assert meta["book_version"] == __version__
    assert set(meta["dataset"]["sha256"]) == {"dataset.yaml", "patients.csv", "adverse_events.csv"}


def test_chapters_show_their_numbers(built_site):
    html, results = built_site
    r = results["results"]
    rr = page_text(html, "chapters/rr_results.html")
    assert f"{r['rr_response_n']}/{r['n_rr_assessed']}" in rr
    assert f"{r['rr_cr_n']}/{r['n_rr_assessed']}" in rr and f"{r['rr_ne_n']}/{r['n_rr_assessed']}" in rr
    assert f"{r['rr_mrdneg_n']}/{r['n_rr_responders_mrd_assessed']}" in rr
    safety = page_text(html, "chapters/safety.html")
    assert f"{r['ae_grade3plus_n']}/{r['n_total']}" in safety
    transplant = page_text(html, "chapters/transplant.html")
    x = independent(SHIPPED)
    after, without = x["relapse_after"], x["relapse_without"]
    # (no salvage transplant in the shipped data: every transplant after response is in remission)
    assert (f"{after[0]}/{after[1]} ({whole_pct(after[0] / after[1])}) of the responders "
            f"transplanted in remission and in {without[0]}/{without[1]} "
            f"({whole_pct(without[0] / without[1])})") in transplant


def test_conventions_are_stated_where_a_reader_looks(built_site):
    """Issue 15 section 7: rounding (21/40 = 52.5% -> 53%, R's formatC gives 52%), the time
    points and the number at risk (12 months = 365.25 days), the cumulative incidence interval,
    and the reading of the abstract's blasts sentence (85% with <50% blasts)."""
    html, _ = built_site
    methods = " ".join(page_text(html, "chapters/methods.html").split())
    assert "21/40 = 52.5% is shown as 53%" in methods and "would give 52%" in methods
    assert "12 months (365.25 days)" in methods and "at least 366 days" in methods
    assert "log(−log) scale" in methods and "1.96" in methods
    concordance = " ".join(page_text(html, "chapters/concordance.html").split())
    assert "How the abstract is read" in concordance
    assert "Marrow blasts: <50%, 85% and R/R: CR/CRh rate, Marrow blasts: ≥50%, 61% — " in (
        concordance)


def test_no_unresolved_glue_or_role_is_left_in_the_pages(built_site):
    html, _ = built_site
    for page in PAGES:
        text = page_text(html, page)
        assert "{glue" not in text and "glue:text" not in text, page


def test_every_figure_is_rendered_with_alt_text(built_site):
    import re

    html, _ = built_site
    root = Path(__file__).resolve().parents[2]
    for page in PAGES:
        raw = (html / page).read_text(encoding="utf-8")
        source = (root / page.replace(".html", ".md")).read_text(encoding="utf-8")
        images = re.findall(r'<img class="blina-figure"[^>]*>', raw)
        # every {glue:figure} of the source is one image on the page, no more, no fewer
        assert len(images) == source.count("```{glue:figure}"), page
        for img in images:
            assert 'src="data:image/png;base64,' in img
            alt = re.search(r'alt="([^"]+)"', img)
            assert alt and len(alt.group(1)) > 20, (page, img[:120])


def test_footer_names_version_data_and_commit(built_site):
    html, results = built_site
    fingerprint = results["meta"]["dataset"]["fingerprint"][:16]
    for page in PAGES:
        text = page_text(html, page)
        assert f"version {__version__}" in text and fingerprint in text, page
        assert f"Edition {__version__}+blina-synthetic-1.0" in text, page
        assert re.search(r"source commit \S+, dated \d{4}-\d{2}-\d{2}", text), page
        assert "· built" not in text, page  # the date is the source's, and says so


def test_new_data_give_new_numbers(built_site, other_site, other_dataset):
    html, results = built_site
    other_html, other_results = other_site
    x = independent(other_dataset)
    assert x["N"] != results["results"]["n_rr"]
    text = page_text(other_html, "index.html")
    assert f"{x['n']}/{x['N']}" in text
    assert f"{results['results']['rr_response_n']}/{results['results']['n_rr']}" not in text
    assert other_results["results"]["n_total"] == x["n_total"] == 99
    assert other_results["meta"]["dataset"]["fingerprint"] != results["meta"]["dataset"]["fingerprint"]
    # figures change too
    import re
    ours = re.findall(r'base64,([^"]+)"', (html / "chapters/rr_results.html").read_text())
    theirs = re.findall(r'base64,([^"]+)"', (other_html / "chapters/rr_results.html").read_text())
    assert ours and theirs and ours != theirs


def test_a_build_given_an_earlier_edition_lists_the_changes(built_site, other_site):
    _, old = built_site
    other_html, new = other_site
    text = page_text(other_html, "chapters/concordance.html")
    assert f"Results changed since edition {__version__}+blina-synthetic-1.0" in text
    assert f"Patients, all {old['results']['n_total']} {new['results']['n_total']}" in text
    # without --previous the section says so
    assert "was not given an earlier edition" in page_text(built_site[0], "chapters/concordance.html")


def test_built_results_json_validates_against_the_registry_schema(built_site, other_site):
    import jsonschema

    from blina_analysis.analyses.results import results_schema

    schema = results_schema()
    for _, results in (built_site, other_site):
        jsonschema.validate(results, schema, cls=jsonschema.validators.validator_for(schema))
    # the concordance chapter lists results by the registry's labels
    assert "R/R: CR/CRh, patients 29 (67%) 29 (67.4%)" in page_text(built_site[0],
                                                                 "chapters/concordance.html")


def test_build_refuses_a_previous_file_that_is_not_results_json(tmp_path):
    from blina_analysis.publish.build import build_book
    from blina_analysis.errors import BuildError

    bad = tmp_path / "old.json"
    bad.write_text("[1, 2]")
    with pytest.raises(BuildError, match="not a results.json"):
        build_book(SHIPPED, tmp_path / "out" / "html", previous=bad, echo=lambda *_: None)
    assert not (tmp_path / "out" / "html").exists()
