"""Words chosen from values: comparison words at a > b, a < b and a = b, counts said truly at 0
and 1, degenerate intervals, and the sentences built from typed values (issue 15 §2, issue 20 §2,
issue 16 §3).

Expected words come from hand counts of the ten hand-made patients of ``test_response`` (their
table is in that module's docstring), from the raw CSV of the shipped data, or from the published
figures (the paper's abstract and the pivotal trials), never from the code under test.
"""

from __future__ import annotations

import ast
import csv
import math
import re
from pathlib import Path

import pytest

from blina_analysis.analyses import Analysis
from blina_analysis.analyses.summaries import crude_relapse, response_landmark_summary
from blina_analysis.data.published import abstract_values, pivotal_trials
from blina_analysis.report import fmt
from blina_analysis.report.text import compare, page_values
from blina_analysis.stats import Estimate
from test_response import EVENTS, PATIENTS, write_dataset

ROOT = Path(__file__).resolve().parent.parent
SHIPPED = ROOT / "data" / "synthetic"


def _patients(**changes) -> list[tuple]:
    """The ten patients of ``test_response`` with some rows replaced: ``R1=(...)``."""
    return [changes.get(row[0], row) for row in PATIENTS]


def _analysis(tmp_path, patients=PATIENTS, events=EVENTS) -> Analysis:
    return Analysis.from_dir(write_dataset(tmp_path / "ten", patients, events))


@pytest.fixture(scope="module")
def shipped() -> Analysis:
    return Analysis.from_dir(SHIPPED)


# --- the comparison words, in one place ----------------------------------------------------------

@pytest.mark.parametrize("a, b, expected", [
    (0.73, 0.59, compare.HIGHER), (0.21, 0.55, compare.LOWER), (0.5, 0.5, compare.EQUAL),
    ((1, 3), (2, 6), compare.EQUAL), ((2, 3), (1, 2), compare.HIGHER), ((0, 4), (0, 9),
                                                                          compare.EQUAL),
    (3, 7, compare.LOWER),
])
def test_direction(a, b, expected):
    assert compare.direction(a, b) == expected


@pytest.mark.parametrize("kind, words", [
    ("rate", ("higher", "lower", "the same")),
    ("count", ("more", "fewer", "as many")),
    ("share", ("more than half of the", "fewer than half of the", "half of the")),
    ("majority", ("most", "fewer than half of the", "half of the")),
    ("effect", ("more effective", "less effective", "as effective")),
    ("agreement", ("agrees in direction with", "runs against", "does not bear out")),
    ("claim", ("supports", "runs against", "does not establish")),
])
def test_each_kind_of_word_at_a_above_below_and_equal_to_b(kind, words):
    assert (compare.word(kind, 5, 2), compare.word(kind, 2, 5), compare.word(kind, 3, 3)) == words


@pytest.mark.parametrize("a, b, p, expected", [
    ((11, 13), (17, 28), 0.01, compare.HIGHER), ((17, 28), (11, 13), 0.01, compare.LOWER),
    ((3, 6), (1, 2), 0.01, compare.EQUAL),  # a = b: nothing to claim, whatever the p-value
    ((11, 13), (17, 28), 0.48, compare.EQUAL), ((11, 13), (17, 28), 0.05, compare.EQUAL),
    ((11, 13), (17, 28), float("nan"), compare.EQUAL),  # no test: not established
])
def test_claim_of_a_difference_needs_the_direction_and_the_test(a, b, p, expected):
    assert compare.claim_of_difference(a, b, p, 0.05) == expected


@pytest.mark.parametrize("low, high, expected", [
    (0.52, 0.96, compare.HIGHER), (0.05, 0.45, compare.LOWER),
    (0.29, 0.76, compare.EQUAL),  # 10/19 after a prior allo-HSCT: "most" is not established
    (0.5, 0.9, compare.EQUAL), (0.1, 0.5, compare.EQUAL),  # a limit at one half: not beyond it
])
def test_claim_of_a_majority_needs_the_whole_interval_beyond_one_half(low, high, expected):
    assert compare.claim_of_majority(low, high) == expected


@pytest.mark.parametrize("share, expected", [
    (0.43, "fewer than half of the"), ((1, 2), "half of the"), ((5, 9), "more than half of the"),
    ((4, 9), "fewer than half of the"),
])
def test_share_against_one_half(share, expected):
    assert compare.share_word(share) == expected


@pytest.mark.parametrize("a, b", [(float("nan"), 0.5), ((1, 0), (1, 2))])
def test_no_direction_without_values(a, b):
    with pytest.raises(ValueError):
        compare.direction(a, b)


def test_prose_compares_only_through_the_comparison_module():
    """The English comparison words live in compare.py: no other text module's strings hold
    them (docstrings aside)."""
    words = re.compile(r"\b(higher|lower|fewer than half|more than half|more effective|less "
                       r"effective|favours|supports?)\b")
    for path in (ROOT / "blina_analysis" / "report" / "text").glob("*.py"):
        if path.name == "compare.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                      if isinstance(node, (ast.Module, ast.FunctionDef, ast.ClassDef))
                      and node.body and isinstance(node.body[0], ast.Expr)}
        for node in ast.walk(tree):
            if (isinstance(node, ast.Constant) and isinstance(node.value, str)
                    and id(node) not in docstrings):
                assert not words.search(node.value), (path.name, node.value)


# --- the pivotal trials and the published conclusion ---------------------------------------------

def test_pivotal_shares_come_from_the_published_rates(shipped):
    v = page_values("chapters/discussion", shipped)
    trials = pivotal_trials().set_index("bibkey")
    # Topp 2015: CR/CRh 43%; TOWER: CR/CRh/CRi 44% -> under one half; BLAST 78% -> most
    assert trials.loc["topp2015", "value"].iloc[0] < 0.5
    assert v["pivotal_rr_share"] == "fewer than half of the"
    assert v["pivotal_mrd_share"] == "most"
    source = (ROOT / "chapters" / "discussion.md").read_text(encoding="utf-8")
    assert "{glue:text}`pivotal_rr_share` R/R\npatients reached remission" in source
    assert "than half" not in source and "in most" not in source


def test_the_published_conclusion_is_quoted_in_its_direction():
    """The abstract: CR 85% with < 50% blasts against 61% with more, so "more effective"."""
    published = abstract_values()
    low = published["rr_response_rate_blasts_lt50"].value
    high = published["rr_response_rate_blasts_ge50"].value
    assert (low, high) == (0.85, 0.61)
    front = re.sub(r"\s+", " ", (ROOT / "index.md").read_text(encoding="utf-8"))
    assert (f"The published conclusion was that blinatumomab is more effective in the MRD+ group"
            in front)
    assert compare.word("effect", low, high) == "more effective"


def test_this_builds_tumour_burden_sentence_at_each_direction(tmp_path, shipped):
    conclusion = page_values("index", shipped)["abstract_conclusion"]
    # shipped: < 50% blasts 11/13, >= 50% 17/28, Fisher p = 0.164: higher, not established
    assert ("The CR/CRh rate was higher with fewer than 50% marrow blasts (85%) than with more "
            "(61%; p = 0.164, Fisher's exact test, unadjusted), which does not establish the "
            "published conclusion on tumour "
            "burden.") in conclusion
    assert "compares" not in conclusion and "different endpoints" in conclusion
    # ten patients: < 50% blasts R1 (CR), R4 (NE) -> 1/2; >= 50% R2 (CRh), R3 (NR), R6 (CR) -> 2/3
    lower = page_values("index", _analysis(tmp_path / "a"))["abstract_conclusion"]
    # (groups of 2 and 3, below the 5 a test needs: no p-value)
    assert ("The CR/CRh rate was lower with fewer than 50% marrow blasts (50%) than with more "
            "(67%), which does not establish the published conclusion on tumour "
            "burden.") in lower
    # R6's blasts unknown: 1/2 against R2, R3 -> 1/2
    r6 = list(PATIENTS[5])
    r6[4] = ""
    equal = page_values("index", _analysis(tmp_path / "b", _patients(R6=tuple(r6))))
    assert ("The CR/CRh rate was the same with fewer than 50% marrow blasts (50%) as with more "
            "(50%), which does not establish the published conclusion on tumour "
            "burden.") in equal["abstract_conclusion"]


def test_the_claim_of_remissions_in_most_after_allo_hsct_reads_its_interval(shipped):
    """Shipped: 12/15 after a prior allo-HSCT, exact 95% CI 51.9-95.7% (R binom.test):
    the whole interval lies above one half."""
    conclusion = page_values("index", shipped)["abstract_conclusion"]
    assert ("After a prior allo-HSCT the CR/CRh rate was 12/15 (80%; 95% CI 52\u201396%), which "
            "supports the published claim of remissions in most patients after allo-HSCT."
            ) in conclusion


# --- the crude relapse comparison: groups by name, reading by direction --------------------------

def _raw_crude_shares(folder: Path) -> tuple[tuple[int, int], tuple[int, int]]:
    """(relapsed, responders) transplanted and not, counted from the raw CSV."""
    after, without = [0, 0], [0, 0]
    with open(folder / "patients.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            responder = (row["hematologic_response"] in ("CR", "CRh") if row["group"] == "RR"
                         else row["mrd_response"] == "negative")
            if responder:
                group = after if row["hsct_after_bc"] == "true" else without
                group[0] += row["relapse"] == "true"
                group[1] += 1
    return tuple(after), tuple(without)


def test_crude_relapse_keeps_its_groups_apart(shipped):
    (a_n, a_total), (w_n, w_total) = _raw_crude_shares(SHIPPED)
    crude = crude_relapse(shipped)
    assert (crude.transplanted.n, crude.transplanted.N) == (a_n, a_total)
    assert (crude.not_transplanted.n, crude.not_transplanted.N) == (w_n, w_total)
    # the paper: "Relapse rate was lower in the group with allo-HSCT ... 21 % vs. 55 %"
    assert page_values("chapters/discussion", shipped)["crude_text"] == (
        "In this build, relapse occurred in 21% of transplanted vs 55% of non-transplanted "
        "responders — a crude comparison that favours transplantation by design.")


def test_crude_relapse_reading_at_each_direction(tmp_path):
    # transplanted R1, M1 (no relapse) -> 0/2; not transplanted R2 (relapse), R6 -> 1/2
    lower = page_values("chapters/discussion", _analysis(tmp_path / "a"))["crude_text"]
    assert lower == ("In this build, relapse occurred in 0% of transplanted vs 50% of "
                     "non-transplanted responders — a crude comparison that favours "
                     "transplantation by design.")
    # R1 relapses after its transplant -> 1/2 and 1/2: equal shares favour neither
    r1 = ("R1", "RR", "CR", "negative", "30", "30", "F", "false", "standard", "2020-02-01",
          "2020-04-01", "2020-10-01", "", "2021-06-01")
    equal = page_values("chapters/discussion", _analysis(tmp_path / "b", _patients(R1=r1)))
    assert equal["crude_text"].endswith(
        "in 50% of transplanted vs 50% of non-transplanted responders — no "
        "difference, in a crude comparison that favours transplantation by design.")
    # and R2 dies without relapse -> 1/2 after a transplant against 0/2 without
    r2 = ("R2", "RR", "CRh", "positive", "60", "50", "M", "true", "high", "2020-02-15", "",
          "", "2020-09-01", "2020-09-01")
    higher = page_values("chapters/discussion",
                         _analysis(tmp_path / "c", _patients(R1=r1, R2=r2)))
    assert higher["crude_text"].endswith(
        "in 50% of transplanted vs 0% of non-transplanted responders — more "
        "relapse after a transplant, even in a crude comparison that favours transplantation "
        "by design.")


# --- the response landmark as values ------------------------------------------------------------

def test_response_landmark_summary_is_typed_and_counted_by_hand(tmp_path):
    """Day 84: R1, R2, R6 alive and followed (all responders by then); R3, R4 died and R5 was
    last seen before it."""
    an = _analysis(tmp_path)
    lm = response_landmark_summary(an, "rr", "OS")
    assert (lm.n_at_risk, lm.n_responders, lm.p_value, lm.others) == (3, 3, None, None)
    assert isinstance(lm.n_at_risk, int) and lm.responders.n == 3
    text = page_values("chapters/rr_results", an)["rr_by_response_text"]
    assert ("3 R/R patients were alive and in follow-up, 3 of them responders by then; counted "
            "from the landmark, their median OS was ") in text
    assert "in the others" not in text and "log-rank" not in text


def test_landmark_sentence_with_both_groups_keeps_its_shape(shipped):
    lm = response_landmark_summary(shipped, "rr", "OS")
    assert lm.p_value is not None and 0 < lm.p_value < 1
    text = page_values("chapters/rr_results", shipped)["rr_by_response_text"]
    assert (f"{lm.n_at_risk} R/R patients were alive and in follow-up, {lm.n_responders} of them "
            "responders by then; counted from the landmark, median OS was ") in text
    assert f"in the others ({fmt.p_value(lm.p_value)}, log-rank)." in text


# --- counts at 0 and 1 (issue 16 §3) -------------------------------------------------------------

def test_safety_counts_are_grammatical_at_one_and_zero(tmp_path):
    # only R1's grade-3 CRS is of grade >= 3: 1 of 10 patients
    one = [e for e in EVENTS if e[0] == "R1"]
    an = _analysis(tmp_path / "one", events=one)
    index, safety = page_values("index", an), page_values("chapters/safety", an)
    assert index["safety_sentence"] == (
        "Adverse events of grade ≥3 occurred in 1 (10%) patient; blinatumomab was interrupted in "
        "no patient and stopped early in none.")  # nobody's infusion was interrupted or stopped
    assert safety["ae_grade3plus_ci"].startswith("1/10 (10%; 95% CI ") and (
        safety["ae_grade3plus_ci"].endswith("%) patient"))
    assert safety["ae_crs_any"] == "1 (10%) patient"
    assert safety["ae_neurologic_any"] == "no patient"
    # no event of grade >= 3
    mild = [e for e in EVENTS if e[3] < 3]
    safety = page_values("chapters/safety", _analysis(tmp_path / "none", events=mild))
    assert safety["ae_grade3plus_ci"] == "no patient (0/10; 95% CI 0–31%)"
    # prior allo-HSCT: R2 and R5 -> 2 of 10
    assert page_values("index", an)["prior_hsct_sentence"] == (
        "In 2 (20%) patients blinatumomab was given after a prior allo-HSCT.")


def test_shipped_sentences_read_as_before(shipped):
    index, safety = page_values("index", shipped), page_values("chapters/safety", shipped)
    assert index["safety_sentence"] == (
        "Adverse events of grade ≥3 occurred in 25 (38%) patients; blinatumomab was interrupted "
        "in 11 (17%) and stopped early in 5 (7.6%).")
    assert index["prior_hsct_sentence"] == (
        "In 18 (27%) patients blinatumomab was given after a prior allo-HSCT.")
    assert safety["bc_interrupted"] == "11 (17%) patients"
    front = (ROOT / "index.md").read_text(encoding="utf-8")
    assert "{glue:text}`safety_sentence`" in front
    assert "{glue:text}`prior_hsct_sentence`" in front


# --- intervals without variance -------------------------------------------------------------------

def test_an_estimate_before_any_event_has_no_interval():
    survival = Estimate(730.0, 1.0, 1.0, 1.0)
    incidence = Estimate(730.0, 0.0, 0.0, 0.0)
    assert fmt.estimate_ci(survival) == "100% (no event; CI not estimable)"
    assert fmt.estimate_ci(incidence) == "0% (no event; CI not estimable)"
    assert fmt.estimate_cell(survival) == "100% (n.e.)"
    dropped = Estimate(730.0, 0.0, math.nan, math.nan)  # a curve at 0: limits undefined
    assert fmt.estimate_ci(dropped) == "0% (95% CI n.e.)"
    assert fmt.estimate_ci(Estimate(730.0, 0.53, 0.36, 0.68)) == "53% (95% CI 36–68%)"


def test_no_event_survival_reads_no_event(tmp_path):
    """Nobody relapses or dies and the responders are followed to a cut-off past 24 months
    (730.5 days, ``definitions.months_to_days(24)``): 2-year OS and DFS are 100% with no
    variance."""
    quiet = [(*row[:11], "", "", row[13] if row[2] == "pending" or row[3] == "pending"
              else "2022-06-30") for row in PATIENTS]
    folder = write_dataset(tmp_path / "ten", quiet, [])
    meta = folder / "dataset.yaml"
    meta.write_text(meta.read_text(encoding="utf-8").replace("2021-12-31", "2022-06-30"),
                    encoding="utf-8")
    an = Analysis.from_dir(folder)
    assert page_values("chapters/rr_results", an)["rr_survival_text"] == (
        "In the R/R group, counted from day 1 of blinatumomab, 2-year OS was 100% (no event; CI "
        "not estimable) and 2-year EFS 67% (95% CI 19–90%) (no CR/CRh counts as an event on day "
        "1). Counted from the response, the 2-year relapse-free survival (RFS) of the 3 R/R "
        "responders was 100% (no event; CI not estimable).")
    assert "100–100%" not in page_values("index", an)["abstract_responders"]
    assert "0–0%" not in page_values("chapters/transplant", an)["cif_text"]


def test_subgroups_when_nobody_is_assessed_say_so(monkeypatch):
    """Every R/R patient still pending: the subgroup paragraph gives the reason, as a sentence."""
    from blina_analysis.definitions import POPULATIONS
    from blina_analysis.report.text import rr_results

    an = Analysis.from_dir(SHIPPED)
    monkeypatch.setattr(an, "subgroup_state", lambda code, pop="rr_assessed": "empty")
    clauses, why = rr_results.subgroup_clauses(an)
    assert clauses == []
    assert why == [f"No patient of this dataset was among the {POPULATIONS['rr_assessed'].name}."]


def test_every_rr_patient_responding_is_said_without_a_count_of_zero(tmp_path):
    """A dataset where every patient responded (tests/dataset_family.py ``all_responders``):
    response as a time-dependent state has no non-responders to compare with, and the sentence
    says that all responded rather than "0 did not"."""
    import csv

    import dataset_family as family
    from blina_analysis.data.io import load
    from blina_analysis.i18n import use_language

    folder = family.write_case("all_responders", tmp_path / "all")
    with open(folder / "patients.csv", newline="", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["group"] == "RR"]
    assert {r["hematologic_response"] for r in rows} <= {"CR", "CRh"}  # every one responded
    an = Analysis(load(folder))
    en = page_values("chapters/rr_results", an)["rr_by_response_text"]
    with use_language("ru"):
        ru = page_values("chapters/rr_results", an)["rr_by_response_text"]
    assert (f"until the day of response), every R/R patient ({len(rows)}) responded; of ") in en
    assert " did not;" not in en
    assert (f"на терапию ответили все пациенты с Р/Р ОЛЛ ({len(rows)}); из ") in ru
    assert "не ответили 0" not in ru


def test_one_responder_has_a_time_to_response_not_a_median_and_range(tmp_path):
    """One R/R patient who responded (``one_patient_rr``): the time from the start to the
    response is said as itself, in months of 30.4375 days, not as a median with a range."""
    import csv
    import datetime as dt

    import dataset_family as family
    from blina_analysis.data.io import load
    from blina_analysis.i18n import use_language

    folder = family.write_case("one_patient_rr", tmp_path / "one")
    with open(folder / "patients.csv", newline="", encoding="utf-8") as f:
        (row,) = list(csv.DictReader(f))
    days = (dt.date.fromisoformat(row["response_date"])
            - dt.date.fromisoformat(row["bc_start_date"])).days
    months = f"{days / 30.4375:.1f}"
    assert (days, months) == (70, "2.3")
    an = Analysis(load(folder))
    en = page_values("chapters/rr_results", an)["rr_response_timing_text"]
    with use_language("ru"):
        ru = page_values("chapters/rr_results", an)["rr_response_timing_text"]
    assert en.startswith(f"The only responder reached CR/CRh {months} months after the start "
                         "of blinatumomab. ")
    assert "median" not in en.split(". ")[0] and "range" not in en
    assert ru.startswith("Единственный ответивший на терапию пациент достиг ПР/ПРч через "
                         f"{months.replace('.', ',')} мес. от начала терапии блинатумомабом. ")


def test_one_patient_is_given_a_number_of_cycles_not_a_median_and_range(tmp_path):
    """One R/R patient (``one_patient_rr``): the cycles given are said as a count, in both
    languages (Russian in its plural form), not as "a median of 3 cycles (range 3–3)"."""
    import csv

    import dataset_family as family
    from blina_analysis.data.io import load
    from blina_analysis.i18n import use_language

    folder = family.write_case("one_patient_rr", tmp_path / "one")
    with open(folder / "patients.csv", newline="", encoding="utf-8") as f:
        (row,) = list(csv.DictReader(f))
    cycles = int(row["cycles"])
    assert cycles == 3
    an = Analysis(load(folder))
    assert page_values("chapters/safety", an)["cycles_text"] == (
        f"The only patient was given {cycles} cycles of blinatumomab.")
    with use_language("ru"):
        ru = page_values("chapters/safety", an)["cycles_text"]
    assert ru == f"Единственному пациенту проведено {cycles} цикла блинатумомаба."
