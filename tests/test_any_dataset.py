"""Every dataset that ``blina validate`` accepts builds a book whose sentences are true for it.

The family of edge datasets (``tests/dataset_family.py``: one patient, one cohort only, no
responders, no events, nobody followed to 2 years, no transplant, no adverse event...) goes through
every page's text values, ``results.json`` and — executed here without Sphinx — every code cell of
every chapter. A few of the most different ones are built as whole books (slow; in
tests/test_any_dataset_books.py), and hypothesis drives the analysis layer with random valid
datasets.

Where the data have no information, the book says so in a sentence; no value may be empty or show
``nan``, ``None``, ``inf``, ``NA`` or ``NA–NA``.
"""

from __future__ import annotations

import ast
import html
import json
import re
import shutil
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import dataset_family as family
from blina_analysis.analyses import Analysis
from blina_analysis.analyses.results import compute_results, missing_reasons, results_document
from blina_analysis.data import synthetic
from blina_analysis.data.io import load
from blina_analysis.publish.build import DATA_ENV
from blina_analysis.report.text import PAGES, page_values
from blina_analysis.report.text.reasons import explain

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "data" / "synthetic"

#: What no reader should see: a Python missing value, an unformatted float, an empty interval.
BAD = re.compile(r"\bnan\b|\bNaN\b|\bNone\b|\binf\b|\bNA\b|NA\u2013NA")
#: Prose that is untrue or ungrammatical at small counts (issue 16 §3): a plural after one, a
#: zero said as a number with a percentage, an interval that is its own estimate, a share "of
#: the 0" or a plural "of the 1", and later transplants that none had said to mix the landmark
#: groups.
UNTRUE = re.compile(r"\b1 \(\d+%\) patients\b|\b1 (?:R/R |MRD\+ )?patients\b|\b0 \(0%\)|"
                    r"\b(\d+)\u2013\1%|\bof them responder\b|\b[Oo]f the 0\b|"
                    r"\b[Oo]f the 1 \w+s\b|\b0 were transplanted later\b")
#: Tables that document the package, the same for every dataset (they may say "NA" or "inf").
STATIC_TABLES = ("Defaults that differ from R, and why",)
GLUE_ROLE = re.compile(r"\{glue(?::text|:any|:md)?\}`([^`]+)`")
GLUE_DIRECTIVE = re.compile(r"^```\{glue(?::figure|:any|:md|:math)?\}\s+(\S+)", re.M)


def bad_text(value: str) -> str | None:
    """Why ``value`` must not be shown, or None."""
    if not isinstance(value, str) or not value.strip():
        return "empty"
    found = BAD.search(value)
    return f"shows {found.group(0)!r}" if found else None


@pytest.fixture(scope="module")
def case_dirs(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("family")
    return {case: family.write_case(case, root / case) for case in family.CASES}


# --- the family is what it says ----------------------------------------------------------------

def test_every_case_is_valid_and_is_the_edge_it_names(case_dirs):
    an = {case: Analysis(load(path)) for case, path in case_dirs.items()}
    assert an["one_patient_rr"].n("all") == 1 and an["one_patient_mrd"].n("mrd") == 1
    assert an["only_mrd"].n("rr") == 0 and an["only_rr"].n("mrd") == 0
    assert an["no_rr_responders"].n("rr_responders") == 0
    assert an["no_responders"].n("responders") == 0
    assert an["all_responders"].n("responders") == an["all_responders"].n("all")
    p = an["no_events"].adsl
    assert not p["relapse"].any() and not p["death"].any()
    p = an["all_dead_before_one_year"].adsl
    assert p["death"].all() and (p["followup_days"] < 365).all()
    assert (an["nobody_followed_two_years"].adsl["followup_days"] < 730).all()
    p = an["no_transplant"].adsl
    assert not p["hsct_after_bc"].any() and not p["prior_allo_hsct"].any()
    assert an["no_adverse_events"].dataset.adverse_events.empty
    assert len(an["one_adverse_event"].dataset.adverse_events) == 1
    assert an["subgroups_unknown"].subgroup_response()["subgroup"].isin(
        ["Cytogenetic risk", "Marrow blasts"]).sum() == 0
    assert an["same_start_day"].adsl["bc_start_date"].nunique() == 1
    assert (an["zero_followup"].adsl["followup_days"] == 0).all()
    assert an["real_data"].dataset.meta.synthetic is False


# --- text values and results.json: every case --------------------------------------------------

@pytest.mark.parametrize("case", sorted(family.CASES))
def test_every_text_value_and_result_computes(case, case_dirs):
    an = Analysis(load(case_dirs[case]))
    check_analysis(an)


def check_analysis(an: Analysis) -> None:
    """Every page's values are non-empty sentences without missing values; every null of the
    results has its reason and every reason its null."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a chapter that writes to stderr fails the build
        for page in PAGES:
            for key, value in page_values(page, an).items():
                assert bad_text(value) is None, (page, key, value, bad_text(value))
                assert not UNTRUE.search(value), (page, key, value)
        results, reasons = compute_results(an), missing_reasons(an)
    assert {k for k, v in results.items() if v is None} == set(reasons)
    for key, reason in reasons.items():
        reason = explain(reason)
        assert bad_text(reason) is None and reason.endswith("."), (key, reason)
    json.dumps(results, allow_nan=False)


def test_results_json_says_why_a_result_is_null(case_dirs):
    doc = results_document(load(case_dirs["only_mrd"]), commit="x", epoch=0, explain=explain)
    assert doc["results"]["rr_response_rate"] is None
    assert doc["meta"]["not_available"]["rr_response_rate"] == (
        "No patient of this dataset was in the R/R group.")
    assert doc["results"]["mrd_response_rate"] is not None
    # one cohort: the transplant x cohort interaction has no information, the model has
    assert doc["results"]["transplant_primary_dfs_hr"] is not None
    assert doc["meta"]["not_available"]["transplant_cohort_interaction_p"] == (
        "The transplant × cohort interaction cannot be estimated from these data.")
    doc = results_document(load(case_dirs["no_transplant"]), commit="x", epoch=0, explain=explain)
    assert doc["meta"]["not_available"]["responders_relapse_rate_hsct_after"].startswith(
        "No responder was transplanted after blinatumomab")
    for key in ("transplant_primary_dfs_hr", "transplant_ph_p", "transplant_days_to_hsct_median",
                "transplant_hsct_by_day90_n"):
        assert doc["results"][key] is None
        assert doc["meta"]["not_available"][key].startswith(
            "No responder was transplanted after blinatumomab"), key
    assert doc["meta"]["not_available"]["transplant_after_hsct_os_1y"] == (
        "No patient of this dataset was transplanted in remission after blinatumomab.")
    assert doc["results"]["transplant_consolidation_n"] == 0
    doc = results_document(load(case_dirs["every_responder_transplanted"]), commit="x", epoch=0,
                           explain=explain)
    assert doc["meta"]["not_available"]["transplant_primary_dfs_p"].startswith(
        "Transplant is not tested for relapse or death: a test needs at least 5 responders")
    assert doc["results"]["transplant_after_hsct_os_1y"] is not None
    doc = results_document(load(case_dirs["nobody_followed_two_years"]), commit="x", epoch=0, explain=explain)
    assert doc["results"]["responders_os_2y"] is None
    assert "followed long enough" in doc["meta"]["not_available"]["responders_os_2y"]


def test_shipped_results_have_no_null():
    doc = results_document(load(SHIPPED), commit="x", epoch=0, explain=explain)
    # Ph status is not recorded in the reconstruction (main's subgroup keys include it)
    ph_keys = [f"rr_response_rate_ph_{lv}" for lv in ("negative", "positive")] + [
        f"rr_response_{what}_ph" for what in ("difference", "p_holm")] + [
        f"rr_response_difference_ph_ci_{end}" for end in ("low", "high")]
    assert doc["meta"]["not_available"] == {
        key: "Ph status is unknown for every R/R patient of this dataset." for key in ph_keys}
    assert sorted(k for k, v in doc["results"].items() if v is None) == sorted(doc["meta"]["not_available"])


def test_empty_populations_are_said_in_sentences(case_dirs):
    v = page_values("chapters/mrd_results", Analysis(load(case_dirs["only_rr"])))
    assert v["mrd_response_text"] == "No patient of this dataset was in the MRD+ group."
    assert v["mrd_overview"] == ("No patient of this dataset was in the MRD+ group, so this "
                                 "chapter has no results.")
    v = page_values("chapters/transplant", Analysis(load(case_dirs["no_transplant"])))
    assert v["tv_cox_text"] == ("No responder was transplanted after blinatumomab, so the "
                                "transplant analyses have no information.")
    assert v["prior_hsct_text"] == ("No R/R patient of this dataset had relapsed after a prior "
                                    "allo-HSCT.")
    v = page_values("chapters/rr_results", Analysis(load(case_dirs["no_rr_responders"])))
    assert v["rr_response_text"].startswith("Complete remission (CR or CRh) was achieved in 0/43")
    assert "MRD negativity" not in v["rr_response_text"]
    v = page_values("chapters/rr_results", Analysis(load(case_dirs["subgroups_unknown"])))
    assert ("Cytogenetic risk and marrow blasts are unknown for every R/R patient of this "
            "dataset.") in v["rr_subgroups_text"]
    assert "after a prior allo-HSCT" in v["rr_subgroups_text"]  # the one subgroup still known
    v = page_values("chapters/rr_results", Analysis(load(case_dirs["nobody_followed_two_years"])))
    assert ("2-year OS and EFS, counted from day 1 of blinatumomab, were not estimable (no "
            "patient followed to 24 months)") in v["rr_survival_text"]
    v = page_values("index", Analysis(load(case_dirs["one_patient_rr"])))
    assert v["n_adults"] == "1 adult"


# --- the chapters' code, executed without Sphinx ------------------------------------------------

def _code_cells(page: str) -> list[str]:
    import jupytext

    nb = jupytext.read(ROOT / f"{page}.md")
    return [c.source for c in nb.cells if c.cell_type == "code"]


def _referenced_glue(page: str) -> set[str]:
    source = (ROOT / f"{page}.md").read_text(encoding="utf-8")
    return set(GLUE_ROLE.findall(source)) | set(GLUE_DIRECTIVE.findall(source))


def _shown_text(obj, lang: str | None = None) -> str:
    """The text a reader sees of a displayed or glued object; with ``lang``, only what is in that
    language: not code (``<pre>``, the cite box's BibTeX and RIS) nor an element marked with
    another language (the English abstract's quotes)."""
    if hasattr(obj, "alt"):  # a GluedFigure: its alt text
        return obj.alt
    raw = obj._repr_html_() if hasattr(obj, "_repr_html_") else getattr(obj, "data", str(obj))
    raw = re.sub(r'src="data:[^"]+"', "", raw or "")
    if lang:
        raw = re.sub(r"<pre\b.*?</pre>", " ", raw, flags=re.S)
        raw = re.sub(r'<(\w+)[^>]*\blang="(?!' + lang + r')[^"]*"[^>]*>.*?</\1>', " ", raw,
                     flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", raw))


def run_chapters(data_dir: Path, monkeypatch) -> dict[str, dict]:
    """Execute every chapter's code cells against ``data_dir`` (as ``blina build`` would, in one
    namespace per chapter); return per page the glued values and the displayed outputs."""
    import matplotlib.pyplot as plt
    import myst_nb

    from blina_analysis import book

    monkeypatch.setenv(DATA_ENV, str(data_dir))
    book._analysis.cache_clear()
    out = {}
    for page in ["index", *sorted(p.relative_to(ROOT).with_suffix("").as_posix()
                                  for p in (ROOT / "chapters").glob("*.md"))]:
        glued, shown = {}, []
        monkeypatch.setattr(myst_nb, "glue", lambda name, value, display=True:
                            glued.__setitem__(name, value))
        namespace = {"__name__": "__main__"}
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            warnings.filterwarnings("ignore", category=DeprecationWarning)
            warnings.filterwarnings("ignore", category=PendingDeprecationWarning)
            for source in _code_cells(page):
                tree = ast.parse(source)
                last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
                exec(compile(tree, f"{page}.md", "exec"), namespace)
                if last is not None:
                    value = eval(compile(ast.Expression(last.value), f"{page}.md", "eval"),
                                 namespace)
                    if value is not None:
                        shown.append(value)
            for value in [*glued.values(), *shown]:  # (warnings are errors here too)
                if getattr(value, "figure", None) is not None:
                    _draws(value.figure)
        assert not plt.get_fignums(), f"{page} left figures open"
        out[page] = {"glued": glued, "shown": shown}
    book._analysis.cache_clear()
    return out


def _draws(figure) -> None:
    """Draw ``figure`` once with Agg, as its page image is drawn (an error of a figure shows when
    it is drawn; its PNG, SVG and PDF files are written in the whole-book builds of
    ``test_any_dataset_books.py`` and ``tests/book``)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(figure).draw()


def check_chapters(data_dir: Path, monkeypatch) -> None:
    for page, got in run_chapters(data_dir, monkeypatch).items():
        missing = _referenced_glue(page) - set(got["glued"])
        assert not missing, (page, missing)
        for key, value in got["glued"].items():
            text = value if isinstance(value, str) else _shown_text(value)
            assert bad_text(text) is None, (page, key, text[:300], bad_text(text))
        for value in got["shown"]:
            text = _shown_text(value)
            if text.strip() and not text.strip().startswith(STATIC_TABLES):
                # (an empty output is allowed: no assumptions are listed for other data)
                assert bad_text(text) is None, (page, text[:300], bad_text(text))


@pytest.mark.slow
@pytest.mark.parametrize("case", sorted(family.CASES))
def test_every_chapter_runs_for_every_case(case, case_dirs, monkeypatch):
    check_chapters(case_dirs[case], monkeypatch)


@pytest.mark.parametrize("case", ["one_patient_mrd", "no_events"])
def test_chapters_run_for_two_edge_cases(case, case_dirs, monkeypatch):
    """A fast sample of the slow test above."""
    check_chapters(case_dirs[case], monkeypatch)


# --- the same in Russian (issue 16): every case's text values, one case's chapters ------------

#: What no Russian reader should see besides :data:`BAD`: the Russian "NA", a percentage
#: interval that is its own estimate (``100–100%``; a range of one value, ``3 (3–3)``, is true),
#: and «не поддаётся оценке», a clause, where the sentence wants a value: after «против» or
#: «составила», or as the verb of a plural subject («ОВ и БСВ — не поддаётся»).
BAD_RU = re.compile(r"н/д|\b(\d+(?:,\d+)?)\u2013\1%|против не\b|составил[аио]? не\b|"
                    r"(?:ОВ и БСВ|ОВ и БРВ|\(БСВ\)),? — не поддаётся")


def russian_problem(value: str, terms: tuple[str, ...] = ()) -> str | None:
    """Why ``value`` must not be shown on a Russian page, or None: a missing value, a degenerate
    interval, or English (the rule of ``tests/english_words.py``) once the recorded data values
    ``terms`` (adverse-event terms and the dataset's description, shown as recorded) are taken
    out."""
    from english_words import english_in

    if (why := bad_text(value)) is not None:
        return why
    if found := BAD_RU.search(value):
        return f"shows {found.group(0)!r}"
    for term in sorted(terms, key=len, reverse=True):
        value = re.sub(rf"(?<!\w){re.escape(term)}(?!\w)", " ", value, flags=re.I)
    english = english_in(value)
    return f"English: {english}" if english else None


def _terms(an: Analysis) -> tuple[str, ...]:
    """What the dataset records and the pages show as recorded: adverse-event terms and the
    dataset's description of itself."""
    terms = tuple(an.dataset.adverse_events["term"].dropna().astype(str).unique())
    description = " ".join(str(an.dataset.meta.description or "").split())
    return terms + ((description,) if description else ())


@pytest.mark.parametrize("case", sorted(family.CASES))
def test_every_text_value_computes_in_russian(case, case_dirs):
    """Every page's values of every case, in Russian: no exception, no missing value, no
    degenerate interval, no English word."""
    from blina_analysis.i18n import use_language

    an = Analysis(load(case_dirs[case]))
    terms = _terms(an)
    problems = []
    with warnings.catch_warnings(), use_language("ru"):
        warnings.simplefilter("error")
        for page in PAGES:
            for key, value in page_values(page, an).items():
                if (why := russian_problem(value, terms)) is not None:
                    problems.append(f"{page} {key}: {why}: {value!r}")
    assert not problems, f"{case}: {len(problems)} Russian values:\n" + "\n".join(problems)


def test_every_chapter_runs_in_russian_for_one_patient(case_dirs, monkeypatch):
    """The chapters' code in Russian, once, for the emptiest case (one R/R patient): every
    glued value and shown table or figure text is Russian, with no missing value."""
    from blina_analysis.i18n import use_language

    from blina_analysis.report.captions import table_caption

    data_dir = case_dirs["one_patient_rr"]
    terms = _terms(Analysis(load(data_dir)))
    with use_language("ru"):
        chapters = run_chapters(data_dir, monkeypatch)
        # the package's documentation, and the data format's column names and codes, which stay
        # as they are in every language
        static = tuple(table_caption(name) for name in ("r-differences", "patients-dictionary",
                                                        "adverse-events-dictionary"))
    problems = []
    for page, got in chapters.items():
        missing = _referenced_glue(page) - set(got["glued"])
        assert not missing, (page, missing)
        if page == "chapters/api":  # the API's docstrings stay English
            continue
        shown = [(key, value if isinstance(value, str) else _shown_text(value, "ru"))
                 for key, value in got["glued"].items()]
        shown += [("shown", _shown_text(value, "ru")) for value in got["shown"]]
        for key, text in shown:
            text = " ".join(text.split())
            if text and not text.startswith(static):
                if (why := russian_problem(text, terms)) is not None:
                    problems.append(f"{page} {key}: {why}: {text[:300]!r}")
    assert not problems, f"{len(problems)} Russian outputs:\n" + "\n".join(problems)


# --- whole books: tests/test_any_dataset_books.py (a module of its own, so that pytest-xdist can
# run the five builds on one worker while another runs these) ------------------------------------

# --- random valid datasets (hypothesis) ---------------------------------------------------------

_BASE = family.base_cohort()


@st.composite
def datasets(draw):
    """A valid dataset: a random subset of the synthetic cohort, then random transformations."""
    patients, events = _BASE
    rows = draw(st.lists(st.integers(0, len(patients) - 1), min_size=1, max_size=30,
                         unique=True))
    patients = patients.iloc[sorted(rows)].reset_index(drop=True)
    chosen = draw(st.lists(st.sampled_from(family.TRANSFORMS), max_size=4, unique=True))
    transforms = [t for t in family.TRANSFORMS if t in chosen]  # a fixed order
    patients, events = family.apply([family.keep_events_of_patients, *transforms],
                                    patients, events)
    return patients, events, draw(st.booleans())


@settings(max_examples=50, deadline=None, derandomize=True,
          phases=[Phase.explicit, Phase.generate],  # shrinking whole datasets takes minutes
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(datasets())
def test_random_valid_datasets_give_true_sentences(tmp_path_factory, data):
    patients, events, synthetic_flag = data
    folder = family.write_frames(tmp_path_factory.mktemp("random"), patients, events,
                                 name="random", synthetic_flag=synthetic_flag)
    check_analysis(Analysis(load(folder)))


# --- §4: sentences true for the kind of data ----------------------------------------------------

SHIPPED_ONLY = ("counts equal", "within 3 percentage points", "reconstruction")


def test_the_shipped_reconstruction_is_recognised_byte_for_byte(tmp_path):
    assert synthetic.is_shipped_reconstruction(load(SHIPPED))
    regenerated = synthetic.write_dataset(tmp_path / "again")
    assert synthetic.is_shipped_reconstruction(load(regenerated))
    edited = Path(shutil.copytree(SHIPPED, tmp_path / "edited"))
    text = (edited / "adverse_events.csv").read_text(encoding="utf-8").splitlines()
    (edited / "adverse_events.csv").write_text("\n".join(text[:-1]) + "\n", encoding="utf-8")
    assert not synthetic.is_shipped_reconstruction(load(edited))
    real = Path(shutil.copytree(SHIPPED, tmp_path / "real"))
    yaml = (real / "dataset.yaml").read_text(encoding="utf-8")
    (real / "dataset.yaml").write_text(yaml.replace("synthetic: true", "synthetic: false"),
                                       encoding="utf-8")
    assert not synthetic.is_shipped_reconstruction(load(real))


def _all_text(an: Analysis) -> str:
    return " ".join(v for page in PAGES for v in page_values(page, an).values())


def test_shipped_text_only_with_the_shipped_data(case_dirs):
    shipped = Analysis(load(SHIPPED))
    front = page_values("index", shipped)
    assert "counts equal those of the published abstract" in front["data_provenance"]
    assert "within 3 percentage points" in page_values("chapters/methods", shipped)[
        "data_description"]
    from blina_analysis.report.text.methods import assumptions
    assert assumptions(shipped) and "Counts reproduced exactly" in assumptions(shipped)[0]

    other = Analysis(load(case_dirs["only_rr"]))  # synthetic, but not the reconstruction
    text = _all_text(other)
    for phrase in SHIPPED_ONLY:
        assert phrase not in text, phrase
    assert assumptions(other) == []
    assert page_values("index", other)["dataset_kind"] == "synthetic data"
    assert "not made to match" in page_values("index", other)["data_provenance"]


def test_real_data_get_no_word_of_synthesis(case_dirs):
    an = Analysis(load(case_dirs["real_data"]))  # the shipped cohort, marked real
    text = _all_text(an).lower()
    for word in ("synthetic", "simulated", "reconstruction"):
        assert word not in text, word
    front = page_values("index", an)
    assert front["dataset_kind"] == "real patient data"
    meta = an.dataset.meta
    assert (front["dataset_name"], front["dataset_version"], front["dataset_cutoff"]) == (
        meta.name, meta.version, f"{meta.cutoff_date:%Y-%m-%d}")
    prose = re.sub(r"`[^`]*`", "", (ROOT / "index.md").read_text(encoding="utf-8")).lower()
    assert "synthetic" not in prose and "reconstruction" not in prose  # labels aside


def test_concordance_states_the_agreement_it_finds(case_dirs):
    shipped = page_values("chapters/concordance", Analysis(load(SHIPPED)))["agreement_summary"]
    assert shipped == ("22 of 25 published numbers agree: all 11 counts are equal, and the 14 "
                       "rates computed here differ from the published ones by at most 1.5 "
                       "percentage points.")
    other = page_values("chapters/concordance", Analysis(load(case_dirs["only_mrd"])))
    assert other["agreement_summary"].startswith("2 of 25 published numbers agree: 1 of 11 "
                                                 "counts are equal")
    assert "cannot be computed from these data" in other["agreement_summary"]
    assert "how far they are from it" in other["concordance_purpose"]


# --- when the time-varying Cox model has a finite hazard ratio ----------------------------------

def _breslow_loglik(rows, beta: float) -> float:
    """Breslow log partial likelihood of one binary time-dependent covariate (reference)."""
    import numpy as np

    total = 0.0
    for _, r in rows[rows["event"] == 1].iterrows():
        t = r["stop"]
        risk = rows[(rows["start"] < t) & (rows["stop"] >= t)]
        total += beta * r["exposed"] - np.log(np.exp(beta * risk["exposed"]).sum())
    return total


def test_the_finite_hazard_ratio_rule_is_the_shape_of_the_partial_likelihood():
    """The rule of ``_require_finite_hazard_ratio`` says "finite" exactly when the partial
    likelihood falls on both sides of 0 (so a maximum exists), over 300 random small data sets."""
    import numpy as np

    from blina_analysis import stats
    from blina_analysis.errors import NoInformation

    rng = np.random.default_rng(20240611)
    from blina_analysis.analyses.transplant import _require_finite_hazard_ratio as check
    seen = {True: 0, False: 0}
    for _ in range(300):
        n = int(rng.integers(3, 9))
        time = rng.integers(1, 30, n).astype(float)
        event = rng.integers(0, 2, n)
        exposure = np.where(rng.random(n) < 0.5, rng.integers(0, 30, n).astype(float), np.nan)
        try:
            check("DFS", time, event, exposure)
            finite = True
        except NoInformation:
            finite = False
        rows = stats.split_at_exposure(time, event, exposure)
        rows = rows[rows["stop"] > rows["start"]]
        at_zero = _breslow_loglik(rows, 0.0)
        falls_both_ways = (_breslow_loglik(rows, 30.0) < at_zero - 1
                           and _breslow_loglik(rows, -30.0) < at_zero - 1)
        assert finite == falls_both_ways, (time, event, exposure)
        seen[finite] += 1
    assert min(seen.values()) > 30  # both outcomes were exercised
