"""Every number the built book shows, checked against R (``tests/fixtures/oracle``).

``tests/fixtures/oracle/make_oracle.R`` computes, from the raw CSV files of two cohorts (the
shipped data and the 99-patient cohort ``blina generate --seed 11 --patients 99``), every result
the pages show; its CSV output is committed. These tests build the book from each cohort and read
every glued value by its glue key (the ``pasted-text`` spans of a page are its ``{glue:text}``
roles, in source order), every cell of the survival, response, subgroup, adverse-event and
transplant tables, and ``results.json``. The expected text is made here from R's numbers with the
book's conventions, restated by hand (never with ``blina_analysis``): whole percent rounded half
up, whole percent from 10% up and one decimal below 10% (estimates and each confidence limit
alike), months = days / 30.4375 to one decimal, "n.e." for a limit R cannot give, "not reached"
for a median the curve never reaches, p-values to three
decimals with a floor of ``p < 0.001``, hazard ratios to two decimals.

A glued value must show exactly the expected numbers, in the expected order, and no other number.
"""

from __future__ import annotations

import csv
import hashlib
import importlib
import math
import re
import subprocess
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

from .conftest import ROOT, SHIPPED

pytestmark = pytest.mark.slow

ORACLE = ROOT / "tests" / "fixtures" / "oracle"
#: cohort folder of the oracle -> (fixture of the built site, folder of the input data)
COHORTS = {"shipped": "built_site", "seed11_n99": "other_site"}
DASH = "\u2013"
GLUE = re.compile(r"\{glue:text\}`([a-z_0-9]+)`")
PAGES = ("index", "chapters/methods", "chapters/rr_results", "chapters/mrd_results",
         "chapters/transplant", "chapters/safety", "chapters/discussion",
         "chapters/concordance", "chapters/how_to_cite")


# --- the book's conventions, restated ---------------------------------------------------------

def _missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def num(x: float, decimals: int = 0) -> str:
    """Half-up rounding (the paper's and the book's rule, not Python's round-half-even)."""
    q = Decimal(1).scaleb(-decimals)
    value = Decimal(repr(float(x))).quantize(q, rounding=ROUND_HALF_UP)
    return f"{abs(value) if value == 0 else value:f}"


NE = "n.e."  # a limit that cannot be computed (not "NE", the response code "not evaluable")


def pct_places(percent: float) -> int:
    """One decimal below 10% (judged once rounded to one decimal), whole otherwise; 0 exactly
    is whole."""
    size = abs(percent)
    return 1 if 0 < size and Decimal(repr(float(size))).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP) < 10 else 0


def pct(x: float) -> str:
    return f"{num(100 * x, pct_places(100 * x))}%"


def limit(x, scale: float = 100.0, decimals: int | None = None) -> str:
    """A limit; in percent (``scale`` 100, no ``decimals``) with the decimals of :func:`pct`."""
    if _missing(x) or math.isinf(x):
        return NE
    places = pct_places(scale * x) if decimals is None else decimals
    return num(scale * x, places)


def ci(lo, hi) -> str:
    """``51–81%``, ``0.3–16%``; ``20%–n.e.`` when only the upper limit is missing."""
    a, b = limit(lo), limit(hi)
    if a == b == NE:
        return NE
    return f"{a}%{DASH}{b}" if b == NE else f"{a}{DASH}{b}%"


def est_ci(e: dict) -> str:
    """A survival or incidence estimate: ``52% (95% CI 36–65%)``."""
    return "not estimable" if _missing(e["estimate"]) else \
        f"{pct(e['estimate'])} (95% CI {ci(e['ci_low'], e['ci_high'])})"


def est_cell(e: dict) -> str:
    return "not estimable" if _missing(e["estimate"]) else \
        f"{pct(e['estimate'])} ({ci(e['ci_low'], e['ci_high'])})"


def months(days) -> str:
    return "NA" if _missing(days) else num(days / 30.4375, 1)


def month_limit(days) -> str:
    return NE if _missing(days) else num(days / 30.4375, 1)


def median_cell(k: dict) -> str:
    m = "not reached" if _missing(k["median_days"]) else months(k["median_days"])
    lo, hi = month_limit(k["median_ci_low_days"]), month_limit(k["median_ci_high_days"])
    return f"{m} ({NE if lo == hi == NE else f'{lo}{DASH}{hi}'})"


def median_ci(k: dict) -> str:
    lo, hi = month_limit(k["median_ci_low_days"]), month_limit(k["median_ci_high_days"])
    interval = NE if lo == hi == NE else f"{lo}{DASH}{hi}"
    if _missing(k["median_days"]):
        return f"not reached (95% CI {interval}{'' if interval == NE else ' months'})"
    return f"{months(k['median_days'])} months (95% CI {interval})"


def p_value(p) -> str:
    return "p < 0.001" if p < 0.001 else f"p = {num(p, 3)}"


def p_cell(p) -> str:
    return "<0.001" if p < 0.001 else num(p, 3)


def rate_ci(r: dict) -> str:
    """A proportion with its exact interval: ``29/43 (67%; 95% CI 51–81%)``."""
    return f"{r['n']}/{r['N']} ({pct(r['rate'])}; 95% CI {ci(r['ci_low'], r['ci_high'])})"


def n_pct(r: dict) -> str:
    return f"{r['n']} ({pct(r['n'] / r['N'])})" if r["N"] else f"{r['n']}"


def hr(row: dict) -> str:
    return (f"HR {num(row['hr'], 2)} (95% CI {limit(row['hr_ci_low'], 1, 2)}{DASH}"
            f"{limit(row['hr_ci_high'], 1, 2)}), {p_value(row['p_value'])}")


def hr_cell(row: dict) -> str:
    return (f"{num(row['hr'], 2)} ({limit(row['hr_ci_low'], 1, 2)}{DASH}"
            f"{limit(row['hr_ci_high'], 1, 2)})")


# --- the oracle ----------------------------------------------------------------------------------

def _value(text: str):
    if text in ("NA", ""):
        return float("nan")
    if text in ("TRUE", "FALSE"):
        return text == "TRUE"
    try:
        return int(text)
    except ValueError:
        try:
            return float(text)
        except ValueError:
            return text


class Oracle:
    """R's output for one cohort (``tests/fixtures/oracle/<cohort>/*.csv``)."""

    def __init__(self, cohort: str):
        self.dir = ORACLE / cohort

    def rows(self, name: str) -> list[dict]:
        with open(self.dir / f"{name}.csv", newline="", encoding="utf-8") as f:
            return [{k: _value(v) for k, v in row.items()} for row in csv.DictReader(f)]

    def one(self, name: str, **match) -> dict:
        hits = [r for r in self.rows(name) if all(r[k] == v for k, v in match.items())]
        assert len(hits) == 1, (name, match, len(hits))
        return hits[0]

    def km(self, pop, endpoint, days=730):
        """A Kaplan–Meier row of ``km.csv``, or of a topic's ``<topic>_km.csv``."""
        for name in ("km", *sorted(p.stem for p in self.dir.glob("*_km.csv"))):
            hits = [r for r in self.rows(name) if r["population"] == pop
                    and r["endpoint"] == endpoint and r["time_days"] == days]
            if hits:
                return hits[0]
        raise AssertionError(("km", pop, endpoint, days))

    def prop(self, key):
        return self.one("proportions", key=key)

    def count(self, key):
        return self.one("counts", key=key)["value"]

    def results(self) -> dict:
        """Every ``results.json`` key R computed: ``results.csv`` and the topics'
        ``<topic>_results.csv`` (written by ``make_oracle_<topic>.R``)."""
        found = {r["key"]: r["value"] for r in self.rows("results")}
        for path in sorted(self.dir.glob("*_results.csv")):
            topic = {r["key"]: r["value"] for r in self.rows(path.stem)}
            assert not set(topic) & set(found), (path.name, sorted(set(topic) & set(found)))
            found |= topic
        return found


def input_folder(cohort: str, request) -> Path:
    return SHIPPED if cohort == "shipped" else request.getfixturevalue("other_dataset")


@pytest.fixture(params=sorted(COHORTS))
def cohort(request):
    """``(oracle, html_dir, results_json, data_dir)`` of each cohort."""
    name = request.param
    html, results = request.getfixturevalue(COHORTS[name])
    return Oracle(name), html, results, input_folder(name, request)


def glued(html: Path, page: str) -> list[tuple[str, str]]:
    """``(glue key, text)`` of every ``{glue:text}`` role of ``page``, in source order."""
    keys = GLUE.findall((ROOT / f"{page}.md").read_text(encoding="utf-8"))
    soup = BeautifulSoup((html / f"{page}.html").read_text(encoding="utf-8"), "html.parser")
    spans = [re.sub(r"\s+", " ", s.get_text()).strip()
             for s in soup.find_all("span", class_="pasted-text")]
    assert len(spans) == len(keys), (page, keys, spans)
    return list(zip(keys, spans))


def table(html: Path, page: str, caption_start: str) -> list[list[str]]:
    """The body rows (cell texts) of the table of ``page`` whose caption starts so."""
    soup = BeautifulSoup((html / f"{page}.html").read_text(encoding="utf-8"), "html.parser")
    found = [t for t in soup.find_all("table")
             if t.find("caption") and t.find("caption").get_text(" ", strip=True)
             .startswith(caption_start)]
    assert len(found) == 1, (page, caption_start, len(found))
    return [[c.get_text(" ", strip=True) for c in tr.find_all(["td", "th"])]
            for tr in found[0].find_all("tr")[1:]]


def says(text: str, pieces: list[str], where: str) -> None:
    """``text`` shows each of ``pieces`` in this order, and no number besides them."""
    pos, rest = 0, []
    for piece in pieces:
        m = re.compile(r"(?<![\d.])" + re.escape(piece) + r"(?!\d|\.\d)").search(text, pos)
        assert m, f"{where}: expected {piece!r} after {text[:pos][-60:]!r} in:\n{text}"
        rest.append(text[pos:m.start()])
        pos = m.end()
    rest.append(text[pos:])
    stray = re.findall(r"\d[\d.,]*", " ".join(rest))
    assert not stray, f"{where}: numbers not expected {stray} in:\n{text}"


# --- what each glued value must say --------------------------------------------------------------

def expected_glue(o: Oracle, data_dir: Path) -> dict[tuple[str, str], list[str]]:
    """``(page, glue key) -> the numbers (with their few words) the value must show, in order``.

    Every glue key of every page is here; ``test_every_glue_key_has_an_expectation`` checks it.
    """
    meta = yaml.safe_load((data_dir / "dataset.yaml").read_text(encoding="utf-8"))
    shipped = data_dir == SHIPPED
    version = re.search(r'__version__ = "([^"]+)"',
                        (ROOT / "blina_analysis" / "_version.py").read_text()).group(1)
    shas = {name: hashlib.sha256((data_dir / name).read_bytes()).hexdigest()
            for name in ("dataset.yaml", "patients.csv", "adverse_events.csv")}
    digest = hashlib.sha256()
    for name, sha in sorted(shas.items()):
        digest.update(f"{name}:{sha}\n".encode())
    fingerprint = digest.hexdigest()[:16]
    commit = subprocess.run(["git", "rev-parse", "--short=12", "HEAD"], cwd=ROOT, text=True,
                            capture_output=True, check=True).stdout.strip()
    cutoff = str(meta["cutoff_date"])

    k = o.km
    prop, count = o.prop, o.count
    n_all = count("n_total")
    rr, mrd = prop("rr_response"), prop("mrd_response")
    sub = {r["key"]: r for r in o.rows("subgroups")}
    fu = o.rows("followup")[0]
    followup = [months(fu["median_days"]), str(fu["n_censored"]),
                months(fu["min_censored_days"]), months(fu["max_censored_days"])]
    crude_after, crude_without = prop("relapse_hsct_after"), prop("relapse_no_hsct_after")
    tests = o.rows("tests")[0]
    by_resp = {(r["population"], r["endpoint"], r["group"]): r for r in o.rows("by_response")}
    tx = {(r["endpoint"], r["stratified"]): r for r in o.rows("transplant")}
    lm90 = o.one("transplant_landmarks", landmark=90)
    cif = {r["cause"]: r for r in o.rows("cif") if r["time_days"] == 730}

    def sg_clauses(with_n: bool):
        def r(key):
            s = sub[key]
            return [f"{s['n']}/{s['N']}", pct(s["rate"])] if with_n else [pct(s["rate"])]
        return (r("cytogenetic_standard") + r("cytogenetic_high") + r("blasts_lt50")
                + ["50%"] + r("blasts_ge50") + r("prior_hsct") + r("no_prior_hsct"))

    rr_lm0, rr_lm1 = by_resp[("rr", "OS", 0)], by_resp[("rr", "OS", 1)]
    mrd_lm0, mrd_lm1 = by_resp[("mrd", "DFS", 0)], by_resp[("mrd", "DFS", 1)]
    response = importlib.import_module(f"{__package__}.oracle_response")
    g3 = prop("ae_grade3plus")

    return {
        # front page
        ("index", "dataset_kind"): [],
        ("index", "dataset_name"): [meta["name"]],
        ("index", "dataset_version"): [str(meta["version"])],
        ("index", "dataset_cutoff"): [cutoff],
        ("index", "data_fingerprint"): [fingerprint],
        ("index", "data_provenance"): [],
        ("index", "n_adults"): [str(n_all)],
        ("index", "age_range"): [str(count("age_min")), str(count("age_max"))],
        ("index", "n_mrd"): [n_pct(prop("n_mrd"))],
        ("index", "n_rr"): [n_pct(prop("n_rr"))],
        ("index", "prior_hsct_sentence"): [n_pct(prop("n_prior_hsct"))],
        ("index", "followup_sentence"): followup,
        ("index", "abstract_responders"): [
            str(count("n_responders")), "2-year", est_ci(k("responders", "RFS")),
            pct(cif["relapse"]["estimate"]), pct(cif["non-relapse mortality"]["estimate"])],
        ("index", "abstract_rr"): [rate_ci(rr), rate_ci(prop("rr_mrdneg"))] + sg_clauses(False),
        ("index", "abstract_group_survival"): [
            "2-year", pct(k("rr", "OS")["estimate"]), pct(k("rr", "EFS")["estimate"]),
            pct(k("mrd", "OS")["estimate"]), pct(k("mrd", "EFS")["estimate"]), "1"],
        # abstract_transplant (the primary transplant model): oracle_transplant
        ("index", "safety_sentence"): ["≥3", n_pct(g3), n_pct(prop("bc_interrupted")),
                                       n_pct(prop("bc_stopped_early"))],
        ("index", "abstract_conclusion"): (
            [rate_ci(mrd), f"{rr['n']}/{rr['N']} ({pct(rr['rate'])})"]
            + (["50%", pct(sub["blasts_lt50"]["rate"]), pct(sub["blasts_ge50"]["rate"])]
               + ([] if _missing(sub["blasts_lt50"]["p_value"])
                  else [p_value(sub["blasts_lt50"]["p_value"])])
               if sub.get("blasts_lt50") and sub.get("blasts_ge50") else [])
            + ([rate_ci(sub["prior_hsct"])]
               if sub.get("prior_hsct") and sub.get("no_prior_hsct") else [])),
        # methods: the protocol's definitions (days per month, 2 years, landmarks)
        ("chapters/methods", "days_per_month"): ["30.4375"],
        ("chapters/methods", "time_points"): ["30.4375", "1-year", "12", "365.25", "2-year",
                                              "24", "730.5", "24", "730", "12", "366"],
        ("chapters/methods", "rounding"): ["21/40", "52.5%", "53%", "52%", "10%", "10%", "1/33",
                                           "3.0%", "0.001"],
        ("chapters/methods", "conf_level"): ["95%"],
        ("chapters/methods", "conf_z"): ["1.96"],
        ("chapters/methods", "response_landmark_days"): ["84"],
        ("chapters/methods", "default_landmark_days"): ["90"],
        ("chapters/methods", "landmark_sensitivity_days"): ["60", "90", "120", "180"],
        ("chapters/methods", "data_description"): (
            ["2-year", "3"] if shipped else [meta["name"], str(meta["version"]), cutoff]),
        ("chapters/methods", "followup_sentence"): followup,
        # R/R results
        ("chapters/rr_results", "rr_overview"): [str(prop("n_rr")["n"])],
        ("chapters/rr_results", "rr_response_text"): [
            rate_ci(rr), rate_ci(prop("rr_cr")), rate_ci(prop("rr_crh")), rate_ci(prop("rr_nr")),
            rate_ci(prop("rr_ne")), rate_ci(prop("rr_mrdneg")), str(prop("rr_mrdpos")["n"]),
            str(prop("rr_mrd_not_assessed")["n"]), response.mrdneg_all_treated(o)],
        ("chapters/rr_results", "rr_subgroups_text"): (
            sg_clauses(True)[:4] + response.difference(o, "cytogenetic")
            + sg_clauses(True)[4:9] + response.difference(o, "blasts")
            + [str(tests["blasts_unknown"])]
            + sg_clauses(True)[9:] + response.difference(o, "prior_hsct")
            + response.subgroup_method(o)),
        ("chapters/rr_results", "rr_survival_text"): [
            "1", "2-year", est_ci(k("rr", "OS")), "2-year", est_ci(k("rr", "EFS")), "1",
            "2-year", str(rr["n"]), est_ci(k("rr_responders", "RFS"))],
        ("chapters/rr_results", "rr_by_response_text"): [
            *response.hazard_ratio(o, "rr", "OS"), "84", str(rr_lm0["n_at_risk"]),
            str(rr_lm0["n_exposed"]), median_ci(rr_lm1), median_ci(rr_lm0),
            p_value(rr_lm0["p_value"])],
        # MRD+ results
        ("chapters/mrd_results", "mrd_overview"): [str(prop("n_mrd")["n"])],
        ("chapters/mrd_results", "mrd_response_text"): [
            rate_ci(mrd), str(prop("mrd_mrdpos")["n"]), str(prop("mrd_mrd_not_assessed")["n"])],
        ("chapters/mrd_results", "mrd_survival_text"): [
            "1", "2-year", est_ci(k("mrd", "OS")), "2-year", est_ci(k("mrd", "DFS")), "1",
            "2-year", str(mrd["n"]), est_ci(k("mrd_responders", "RFS"))],
        ("chapters/mrd_results", "mrd_by_response_text"): [
            str(mrd["n"]), str(mrd["N"] - mrd["n"]),
            *response.hazard_ratio(o, "mrd", "DFS"), *response.hazard_ratio(o, "mrd", "OS"),
            "84", str(mrd_lm0["n_at_risk"]), str(mrd_lm0["n_exposed"]), "2 years",
            est_ci(mrd_lm1), est_ci(mrd_lm0), p_value(mrd_lm0["p_value"])],
        ("chapters/mrd_results", "responders_text"): [
            "2-year", str(count("n_responders")), est_ci(k("responders", "RFS")),
            est_ci(cif["relapse"]), est_ci(cif["non-relapse mortality"]), "1", "1"],
        # transplant
        ("chapters/transplant", "prior_hsct_text"): [
            str(sub["prior_hsct"]["N"]), rate_ci(sub["prior_hsct"]),
            f"{sub['no_prior_hsct']['n']}/{sub['no_prior_hsct']['N']}",
            pct(sub["no_prior_hsct"]["rate"]), *response.difference(o, "prior_hsct")],
        # crude_text and naive_text (consolidation transplant, counts only): oracle_transplant
        ("chapters/transplant", "landmark_text"): [
            "90", str(lm90["n_at_risk"]), str(lm90["n_excluded"]), str(lm90["n_exposed"])]
        + ([p_value(lm90["p_value"])] if min(lm90["n_exposed"], lm90["n_at_risk"]
                                             - lm90["n_exposed"]) >= 5
           and lm90["events_exposed"] + lm90["events_unexposed"] >= 5 else ["5", "5"]),
        ("chapters/transplant", "landmark_sensitivity_days"): ["60", "90", "120", "180"],
        ("chapters/transplant", "mantel_byar_text"): [
            f"χ² = {num(tx[('DFS', False)]['mantel_byar_statistic'], 2)}",
            p_value(tx[("DFS", False)]["mantel_byar_p"]),
            f"χ² = {num(tx[('OS', False)]['mantel_byar_statistic'], 2)}",
            p_value(tx[("OS", False)]["mantel_byar_p"])],
        ("chapters/transplant", "tv_cox_text"): [
            hr(tx[("DFS", False)]), hr(tx[("OS", False)]), hr(tx[("DFS", True)]),
            hr(tx[("OS", True)])],
        ("chapters/transplant", "cif_text"): [
            "2 years", est_ci(cif["relapse"]), est_ci(cif["non-relapse mortality"]),
            hr(tx[("relapse", False)]), hr(tx[("relapse", True)]), hr(tx[("NRM", False)]),
            hr(tx[("NRM", True)])],
        # safety
        ("chapters/safety", "n_total"): [str(n_all)],
        ("chapters/safety", "n_ae_rows"): [str(count("n_ae_rows"))],
        ("chapters/safety", "ae_grade3plus_ci"): [rate_ci(g3)],
        ("chapters/safety", "ae_grade5"): (
            ["5"] if prop("ae_grade5")["n"] == 0 else ["5", n_pct(prop("ae_grade5"))]),
        ("chapters/safety", "bc_interrupted"): [n_pct(prop("bc_interrupted"))],
        ("chapters/safety", "bc_stopped_early"): [n_pct(prop("bc_stopped_early"))],
        ("chapters/safety", "ae_crs_any"): [n_pct(prop("ae_crs_any"))],
        ("chapters/safety", "ae_crs_g3"): [n_pct(prop("ae_crs_g3"))],
        ("chapters/safety", "ae_neurologic_any"): [n_pct(prop("ae_neurologic_any"))],
        ("chapters/safety", "ae_neurologic_g3"): [n_pct(prop("ae_neurologic_g3"))],
        # discussion
        ("chapters/discussion", "response_text"): [rate_ci(rr), rate_ci(mrd)],
        ("chapters/discussion", "crude_text"): [pct(crude_after["rate"]),
                                                pct(crude_without["rate"])],
        # discussion tv_cox_text (the primary model): oracle_transplant
        ("chapters/discussion", "data_limitation"): [],
        # the pivotal trials' published rates against one half: words, no number
        ("chapters/discussion", "pivotal_rr_share"): [],
        ("chapters/discussion", "pivotal_mrd_share"): [],
        # concordance (agreement_summary compares with the published abstract: NOT_FROM_R)
        ("chapters/concordance", "dataset_kind"): [],
        ("chapters/concordance", "dataset_name"): [meta["name"]],
        ("chapters/concordance", "dataset_version"): [str(meta["version"])],
        ("chapters/concordance", "concordance_purpose"): [],
        # how to cite
        ("chapters/how_to_cite", "edition"): [f"{version}+{meta['name']}-{meta['version']}"],
        ("chapters/how_to_cite", "book_version"): [version],
        ("chapters/how_to_cite", "source_commit"): [commit],
        ("chapters/how_to_cite", "dataset_name"): [meta["name"]],
        ("chapters/how_to_cite", "dataset_version"): [str(meta["version"])],
        ("chapters/how_to_cite", "dataset_cutoff"): [cutoff],
        ("chapters/how_to_cite", "data_fingerprint"): [fingerprint],
        **topic_expectations(o, data_dir),
    }


def topic_expectations(o: Oracle, data_dir: Path) -> dict[tuple[str, str], list[str]]:
    """The expectations kept in their own modules: ``tests/book/oracle_<topic>.py``.

    Each such module defines ``expected_glue(o, data_dir)`` (same shape as :func:`expected_glue`),
    with its R side in ``tests/fixtures/oracle/make_oracle_<topic>.R``.
    """
    found: dict[tuple[str, str], list[str]] = {}
    for path in sorted(Path(__file__).parent.glob("oracle_*.py")):
        module = importlib.import_module(f"{__package__}.{path.stem}")
        found.update(module.expected_glue(o, data_dir))
    return found


#: Glue keys whose numbers are not R's to give (the agreement with the published abstract).
NOT_FROM_R = {("chapters/concordance", "agreement_summary")}


# --- tests -----------------------------------------------------------------------------------------

def test_the_oracle_was_made_from_these_inputs(cohort):
    """R read exactly the files the book was built from (else: re-run make_oracle.R)."""
    o, _, _, data_dir = cohort
    for row in o.rows("inputs"):
        got = hashlib.md5((data_dir / row["file"]).read_bytes()).hexdigest()
        assert got == row["md5"], f"{row['file']} changed: re-run tests/fixtures/oracle/make_oracle.R"


def test_results_json_equals_R(cohort):
    o, _, results, _ = cohort
    r = results["results"]
    expected = o.results()
    assert set(expected) == set(r)
    for key, value in expected.items():
        if _missing(value):
            assert r[key] is None, key
        elif isinstance(value, str):  # a model's terms
            assert r[key] == value, key
        else:
            assert r[key] == pytest.approx(value, rel=1e-9, abs=1e-12), key


def test_every_glue_key_has_an_expectation():
    pages = {(page, key) for page in PAGES
             for key in GLUE.findall((ROOT / f"{page}.md").read_text(encoding="utf-8"))}
    known = set(expected_glue(Oracle("shipped"), SHIPPED)) | NOT_FROM_R
    assert pages <= known, sorted(pages - known)


@pytest.mark.parametrize("page", PAGES)
def test_each_glued_value_says_what_R_says(cohort, page):
    o, html, _, data_dir = cohort
    expected = expected_glue(o, data_dir)
    for key, text in glued(html, page):
        if (page, key) in NOT_FROM_R:
            continue
        says(text, expected[(page, key)], f"{o.dir.name} {page} {key}")


SURVIVAL_ROWS = {
    "chapters/rr_results": {
        "all R/R, OS from day 1": ("rr", "OS"),
        "all R/R, EFS from day 1": ("rr", "EFS"),
        "after a prior allo-HSCT, OS from day 1": ("rr_prior_hsct", "OS"),
        "without a prior allo-HSCT, OS from day 1": ("rr_no_prior_hsct", "OS"),
        "R/R non-responders, OS from day 1": ("rr_non_responders", "OS"),
        "R/R responders, RFS from response": ("rr_responders", "RFS"),
        "R/R responders, RFS from response, censored at allo-HSCT": ("rr_responders",
                                                                     "RFS_HSCT")},
    "chapters/mrd_results": {
        "MRD+ group, OS from day 1": ("mrd", "OS"),
        "MRD+ group, DFS from day 1": ("mrd", "DFS"),
        "MRD+ group, DFS from day 1, censored at allo-HSCT": ("mrd", "DFS_HSCT"),
        "MRD non-responders, DFS from day 1": ("mrd_non_responders", "DFS"),
        "MRD responders, RFS from response": ("mrd_responders", "RFS"),
        "all responders, RFS from response": ("responders", "RFS")},
}


@pytest.mark.parametrize("page", sorted(SURVIVAL_ROWS))
def test_survival_tables_estimates_and_numbers_at_risk_are_R(cohort, page):
    """Each cell: N, events, estimate (95% CI) and number at risk at 12 and 24 months, median."""
    o, html, _, _ = cohort
    rows = table(html, page, "Survival estimates")
    assert [r[0] for r in rows] == list(SURVIVAL_ROWS[page])
    for row in rows:
        pop, endpoint = SURVIVAL_ROWS[page][row[0]]
        one, two = o.km(pop, endpoint, 365), o.km(pop, endpoint, 730)
        if one["n"] == 0:
            assert row[1:3] == ["0", "0"], row
            continue
        assert row[1:] == [str(one["n"]), str(one["events"]), est_cell(one), str(one["n_risk"]),
                           est_cell(two), str(two["n_risk"]), median_cell(one)], row


def test_response_tables_are_R(cohort):
    o, html, _, _ = cohort

    def cells(key):
        r = o.prop(key)
        return [f"{r['n']}/{r['N']}", est_cell({"estimate": r["rate"], "ci_low": r["ci_low"],
                                                "ci_high": r["ci_high"]})]
    best = table(html, "chapters/rr_results", "Best response, R/R group")
    assert [r[1:] for r in best[:5]] == [cells(k) for k in ("rr_cr", "rr_crh", "rr_response",
                                                             "rr_nr", "rr_ne")]
    rr_mrd = table(html, "chapters/rr_results", "MRD after blinatumomab, R/R responders")
    assert [r[1:] for r in rr_mrd[:3]] == [cells(k) for k in ("rr_mrdneg", "rr_mrdpos",
                                                               "rr_mrd_not_assessed")]
    mrd = table(html, "chapters/mrd_results", "MRD after blinatumomab, MRD+ group")
    assert [r[1:] for r in mrd[:3]] == [cells(k) for k in ("mrd_response", "mrd_mrdpos",
                                                            "mrd_mrd_not_assessed")]


def test_subgroup_table_is_R(cohort):
    o, html, _, _ = cohort
    rows = table(html, "chapters/rr_results", "CR/CRh by subgroup")
    expected = o.rows("subgroups")
    assert len(rows) == len(expected)
    holm = {r["subgroup"]: r for r in o.rows("response_subgroups")}
    for row, r in zip(rows, expected):
        assert row[2:4] == [f"{r['n']}/{r['N']}", est_cell(
            {"estimate": r["rate"], "ci_low": r["ci_low"], "ci_high": r["ci_high"]})], row
        if row[0]:  # the first level of a subgroup carries its difference and test
            h = holm[r["subgroup"]]
            signed = importlib.import_module(f"{__package__}.oracle_response").signed_points
            assert row[4] == (f"{signed(h['difference'])} ({signed(h['diff_ci_low'])} to "
                              f"{signed(h['diff_ci_high'])})"), row
            assert row[5] == (p_cell(h["p_holm"]) if h["tested"] else "no test"), row


def test_adverse_event_table_is_R(cohort):
    o, html, _, _ = cohort
    rows = {r[0]: r[1:] for r in table(html, "chapters/safety", "Patients by worst grade, by category")}
    expected = o.rows("ae_by_category")
    assert set(rows) == {r["category"] for r in expected}
    for r in expected:
        def c(n):
            return f"{n} ({pct(n / r['N'])})"
        assert rows[r["category"]] == [c(r["any_n"]), c(r["grade_1_2"]), c(r["grade_3"]),
                                       c(r["grade_4"]), c(r["grade_5"]), c(r["grade3plus_n"])]


def test_transplant_tables_are_R(cohort):
    o, html, _, _ = cohort
    lms = table(html, "chapters/transplant", "Landmark analysis of relapse-free survival")
    expected = o.rows("transplant_landmarks")
    assert len(lms) == len(expected)
    for row, r in zip(lms, expected):
        assert row == [str(r["landmark"]), f"{r['n_at_risk']} ({r['n_excluded']})",
                       f"{r['n_exposed']} ({r['events_exposed']})",
                       f"{r['n_at_risk'] - r['n_exposed']} ({r['events_unexposed']})",
                       hr_cell(r), p_cell(r["p_value"])], row
    cox = table(html, "chapters/transplant", "Hazard ratio of allo-HSCT after blinatumomab")
    tx = {(r["endpoint"], r["stratified"]): r for r in o.rows("transplant")}
    assert len(cox) == 4
    for row, endpoint in zip(cox, ("DFS", "OS", "relapse", "NRM")):
        pooled, strat = tx[(endpoint, False)], tx[(endpoint, True)]
        assert row[1:] == [str(pooled["events"]), hr_cell(pooled), p_cell(pooled["p_value"]), hr_cell(strat),
                           p_cell(strat["p_value"])], row


def test_a_shifted_estimate_is_refused():
    """A glued estimate one point off, or an extra number, is refused (the front page's
    relapse-free survival of the responders)."""
    o = Oracle("shipped")
    pieces = expected_glue(o, SHIPPED)[("index", "abstract_responders")]
    n, two_year, rfs, cir, nrm = pieces
    right = (f"Among the {n} responders, counted from the response, {two_year} relapse-free "
             f"survival (RFS) was {rfs}; the cumulative incidence of relapse was {cir} and of "
             f"death without relapse {nrm}.")
    says(right, pieces, "right")
    point = int(rfs.split("%")[0])
    with pytest.raises(AssertionError):
        says(right.replace(rfs, f"{point + 1}%{rfs[len(str(point)) + 1:]}"), pieces, "shifted")
    with pytest.raises(AssertionError):  # an extra number is refused too
        says(right + " Median 12.4 months.", pieces, "extra")
