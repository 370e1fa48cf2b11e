"""Response categories, patients not yet assessed, the flow counts, subgroups and adverse events,
on a ten-patient dataset written here, with every expected value worked out by hand.

The cohort (all start on 2020-01-01; cut-off 2021-12-31):

=====  =====  ========  ========  ======  ==================================================
id     group  response  MRD       blasts  course
=====  =====  ========  ========  ======  ==================================================
R1     RR     CR        negative  30      HSCT after response, alive in remission
R2     RR     CRh       positive  60      relapse, then death
R3     RR     NR                  80      death
R4     RR     NE                  45      death
R5     RR     pending             20      alive, still on treatment
R6     RR     CR        (empty)   55      alive in remission, MRD not assessed
M1     MRD              negative          HSCT after response, alive in remission
M2     MRD              positive          relapse, alive
M3     MRD              pending           alive, still on treatment
M4     MRD              (empty)           death without relapse, MRD not assessed
=====  =====  ========  ========  ======  ==================================================
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from scipy.stats import beta

from blina_analysis import definitions
from blina_analysis.analyses import Analysis
from blina_analysis.analyses.results import compute_results
from blina_analysis.data import schema
from blina_analysis.report import tables
from blina_analysis.report.text import page_values

ROOT = Path(__file__).resolve().parent.parent

# id, group, response, mrd, blasts, age, sex, prior HSCT, cytogenetics, response date, HSCT date,
# relapse date, death date, last follow-up
PATIENTS = [
    ("R1", "RR", "CR", "negative", "30", "30", "F", "false", "standard", "2020-02-01",
     "2020-04-01", "", "", "2021-06-01"),
    ("R2", "RR", "CRh", "positive", "60", "50", "M", "true", "high", "2020-02-15", "",
     "2020-06-01", "2020-09-01", "2020-09-01"),
    ("R3", "RR", "NR", "", "80", "45", "M", "false", "high", "", "", "", "2020-03-01",
     "2020-03-01"),
    ("R4", "RR", "NE", "", "45", "35", "F", "false", "standard", "", "", "", "2020-01-20",
     "2020-01-20"),
    ("R5", "RR", "pending", "", "20", "60", "F", "true", "standard", "", "", "", "",
     "2020-02-20"),
    ("R6", "RR", "CR", "", "55", "25", "M", "false", "high", "2020-03-01", "", "", "",
     "2021-01-01"),
    ("M1", "MRD", "", "negative", "", "40", "F", "false", "standard", "2020-02-10", "2020-05-01",
     "", "", "2021-06-01"),
    ("M2", "MRD", "", "positive", "", "55", "M", "false", "high", "", "", "2020-08-01", "",
     "2021-01-01"),
    ("M3", "MRD", "", "pending", "", "33", "M", "false", "standard", "", "", "", "",
     "2020-02-15"),
    ("M4", "MRD", "", "", "", "62", "F", "false", "high", "", "", "", "2020-02-01",
     "2020-02-01"),
]

# id, term, category, grade
EVENTS = [
    ("R1", "cytokine release syndrome", "CRS", 1),
    ("R1", "cytokine release syndrome", "CRS", 3),
    ("R1", "pyrexia", "other", 2),
    ("R2", "neutropenia", "hematologic", 4),
    ("R2", "anaemia", "hematologic", 3),
    ("R3", "sepsis", "infection", 5),
    ("M1", "cytokine release syndrome", "CRS", 2),
    ("M2", "headache", "other", 1),
]


def write_dataset(folder: Path, patients=PATIENTS, events=EVENTS) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / schema.DATASET_FILE).write_text(
        'name: response-test\nversion: "1"\ncutoff_date: 2021-12-31\nsynthetic: true\n'
        "description: ten hand-made patients\n", encoding="utf-8")
    with open(folder / schema.PATIENTS_FILE, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow([c.name for c in schema.PATIENT_COLUMNS if c.in_header or c.name in (
            "cytogenetic_risk", "marrow_blasts_pct", "mrd_response")])
        for (pid, group, hem, mrd, blasts, age, sex, prior, cyto, resp, hsct, relapse, death,
             last) in patients:
            row = {"patient_id": pid, "age": age, "sex": sex, "group": group,
                   "prior_allo_hsct": prior, "cytogenetic_risk": cyto,
                   "marrow_blasts_pct": blasts, "bc_start_date": "2020-01-01", "cycles": "1",
                   "hematologic_response": hem, "mrd_response": mrd, "response_date": resp,
                   "hsct_after_bc": str(bool(hsct)).lower(), "hsct_after_bc_date": hsct,
                   "relapse": str(bool(relapse)).lower(), "relapse_date": relapse,
                   "death": str(bool(death)).lower(), "death_date": death,
                   "last_followup_date": last, "bc_interrupted": "false",
                   "bc_stopped_early": "false"}
            w.writerow([row[c.name] for c in schema.PATIENT_COLUMNS if c.name in row])
    with open(folder / schema.AE_FILE, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["patient_id", "term", "category", "grade"])
        w.writerows(events)
    return folder


@pytest.fixture
def an(tmp_path) -> Analysis:
    return Analysis.from_dir(write_dataset(tmp_path / "ten"))


def exact(n: int, N: int) -> tuple[float, float]:
    """Clopper–Pearson 95% limits, computed here from the beta distribution."""
    low = 0.0 if n == 0 else beta.ppf(0.025, n, N - n + 1)
    high = 1.0 if n == N else beta.ppf(0.975, n + 1, N - n)
    return low, high


# --- populations and response categories ---------------------------------------------------------

@pytest.mark.parametrize("pop, ids", [
    ("rr", ["R1", "R2", "R3", "R4", "R5", "R6"]),
    ("rr_assessed", ["R1", "R2", "R3", "R4", "R6"]),
    ("rr_responders", ["R1", "R2", "R6"]),
    ("rr_non_responders", ["R3", "R4"]),  # the patient not yet assessed is neither
    ("mrd_assessed", ["M1", "M2", "M4"]),
    ("mrd_responders", ["M1"]),
    ("mrd_non_responders", ["M2", "M4"]),  # MRD not assessed: no response
    ("responders", ["R1", "R2", "R6", "M1"]),
])
def test_populations_leave_pending_out_of_response(an, pop, ids):
    assert an.patients(pop)["patient_id"].tolist() == ids


def test_haematological_response_categories(an):
    t = an.response_table("rr", "hematologic_response").set_index("code")
    assert t["n"].to_dict() == {"CR": 2, "CRh": 1, "CR/CRh": 3, "NR": 1, "NE": 1, "pending": 1}
    assert t.loc[["CR", "CRh", "CR/CRh", "NR", "NE"], "N"].tolist() == [5] * 5
    assert t.loc["CR/CRh", "rate"] == pytest.approx(3 / 5)
    assert (t.loc["CR", "ci_low"], t.loc["CR", "ci_high"]) == pytest.approx(exact(2, 5))
    assert t.loc["pending", ["N", "rate"]].isna().all()


def test_mrd_categories_keep_not_assessed_apart_from_positive(an):
    rr = an.response_table("rr_responders", "mrd_response").set_index("code")["n"].to_dict()
    assert rr == {"negative": 1, "positive": 1, "not assessed": 1, "pending": 0}
    mrd = an.response_table("mrd", "mrd_response").set_index("code")
    assert mrd["n"].to_dict() == {"negative": 1, "positive": 1, "not assessed": 1, "pending": 1}
    assert set(mrd.loc[["negative", "positive", "not assessed"], "N"]) == {3}


def test_rates_have_the_assessed_patients_as_denominator(an):
    assert (an.rr_response.n, an.rr_response.N) == (3, 5)
    assert (an.rr_mrd_negativity.n, an.rr_mrd_negativity.N) == (1, 3)
    assert (an.mrd_response.n, an.mrd_response.N) == (1, 3)
    assert (an.rr_response.ci_low, an.rr_response.ci_high) == pytest.approx(exact(3, 5))


def test_pending_patients_stay_in_survival(an):
    assert an.km("rr", "OS").n == 6 and an.km("mrd", "OS").n == 4
    assert an.km("rr_non_responders", "OS").n == 2


def test_results_count_every_category(an):
    r = compute_results(an)
    assert {k: r[k] for k in ("n_rr", "n_rr_assessed", "n_rr_pending", "rr_response_n",
                              "rr_cr_n", "rr_crh_n", "rr_nr_n", "rr_ne_n", "rr_mrdneg_n",
                              "rr_mrdpos_n", "rr_mrd_not_assessed_n", "rr_mrd_pending_n",
                              "n_rr_responders_mrd_assessed", "n_mrd", "n_mrd_assessed",
                              "n_mrd_pending", "mrd_response_n", "mrd_mrdpos_n",
                              "mrd_mrd_not_assessed_n")} == {
        "n_rr": 6, "n_rr_assessed": 5, "n_rr_pending": 1, "rr_response_n": 3, "rr_cr_n": 2,
        "rr_crh_n": 1, "rr_nr_n": 1, "rr_ne_n": 1, "rr_mrdneg_n": 1, "rr_mrdpos_n": 1,
        "rr_mrd_not_assessed_n": 1, "rr_mrd_pending_n": 0, "n_rr_responders_mrd_assessed": 3,
        "n_mrd": 4, "n_mrd_assessed": 3, "n_mrd_pending": 1, "mrd_response_n": 1,
        "mrd_mrdpos_n": 1, "mrd_mrd_not_assessed_n": 1}
    assert r["rr_response_rate"] == pytest.approx(0.6)
    assert r["rr_cr_rate"] == pytest.approx(0.4) and r["rr_crh_rate"] == pytest.approx(0.2)
    assert r["mrd_response_rate"] == pytest.approx(1 / 3)


def test_registry_denominators_leave_pending_out(an):
    """Every rate with a count beside it is count / the registry's denominator, and the
    concordance's percents use the same denominators: the patients assessed (5 R/R, 3 MRD+)."""
    from blina_analysis.analyses.concordance import concordance
    from blina_analysis.analyses.registry import entries

    r = compute_results(an)
    pairs = {e.key: e.denominator for e in entries()
             if e.unit == "proportion" and e.denominator and e.key.endswith("_rate")
             and e.key.removesuffix("_rate") + "_n" in r and r[e.key] is not None}
    assert {"rr_response_rate", "rr_cr_rate", "mrd_response_rate"} <= set(pairs)
    for rate, denominator in pairs.items():
        assert r[rate] == pytest.approx(r[rate.removesuffix("_rate") + "_n"] / r[denominator])
    assert r[pairs["rr_response_rate"]] == 5 and r[pairs["mrd_response_rate"]] == 3
    rows = {row.key: row.denominator for row in concordance(r)}
    assert rows["rr_response_n"] == 5 and rows["n_rr"] == 10


def test_text_names_the_patients_not_yet_assessed(an):
    from blina_analysis.report.text import mrd_results, rr_results

    hem = "hematologic_response"
    pending = ("1 R/R patient whose response is not yet assessed (still on treatment) is left out "
               "of the denominators and kept in the survival analyses.")
    assert rr_results.pending_sentence(an, "rr", hem, "rr") == pending
    assert rr_results.response(an) == "3/5 (60%; 95% CI 15–95%; 1 not yet assessed)"
    assert rr_results.category(an, "rr", hem, "CR") == "2/5 (40%; 95% CI 5.3–85%)"
    assert rr_results.category(an, "rr", hem, "CRh") == "1/5 (20%; 95% CI 0.5–72%)"
    assert rr_results.category(an, "rr", hem, "NE") == "1/5 (20%; 95% CI 0.5–72%)"
    assert rr_results.mrd_negativity(an) == "1/3 (33%; 95% CI 0.8–91%)"
    assert rr_results.mrd_breakdown(an, "rr_responders") == "MRD positive in 1, not assessed in 1"
    text = page_values("chapters/rr_results", an)["rr_response_text"]
    assert text == (
        "Complete remission (CR or CRh) was achieved in 3/5 (60%; 95% CI 15–95%; 1 not yet "
        "assessed) patients: CR in 2/5 (40%; 95% CI 5.3–85%) and CRh in 1/5 (20%; 95% CI 0.5–72%). "
        "There was no response (NR) in 1/5 (20%; 95% CI 0.5–72%), and the response was not "
        f"evaluable (NE) in 1/5 (20%; 95% CI 0.5–72%); NE counts as no response. {pending} "
        "MRD negativity was reached by 1/3 (33%; 95% CI 0.8–91%) of the responders (MRD positive "
        "in 1, not assessed in 1; MRD not assessed is its own category and counts as not "
        "negative), that is by 1/6 (17%; 95% CI 0.4–64%) of all R/R patients treated. No R/R "
        "responder's MRD status is still pending.")
    assert mrd_results.response(an) == "1/3 (33%; 95% CI 0.8–91%; 1 not yet assessed)"
    mrd = page_values("chapters/mrd_results", an)["mrd_response_text"]
    assert "reached by 1/3 (33%; 95% CI 0.8–91%; 1 not yet assessed) patients" in mrd
    assert "1 MRD+ patient whose response is not yet assessed" in mrd
    # the abstract quotes the rates with their exclusions
    index = page_values("index", an)
    assert rr_results.response_short(an) == "3/5 (60%; 1 not yet assessed)"
    assert "3/5 (60%; 1 not yet assessed)" in index["abstract_conclusion"]
    assert "1/3 (33%; 95% CI 0.8–91%; 1 not yet assessed)" in index["abstract_conclusion"]


def test_text_without_pending_patients_says_so_truly():
    an = Analysis.from_dir(ROOT / "data" / "synthetic")
    rr = page_values("chapters/rr_results", an)["rr_response_text"]
    assert "No R/R patient's response is still pending." in rr
    assert rr.startswith("Complete remission (CR or CRh) was achieved in 29/43 (67%; 95% CI "
                         "51–81%) patients")
    assert "No MRD+ patient's response is still pending." in (
        page_values("chapters/mrd_results", an)["mrd_response_text"])


def test_response_display_table(an):
    t = tables.response_table(an.response_table("rr", "hematologic_response"))
    assert t["Response"].tolist() == [
        "complete remission (CR)", "CR with partial haematological recovery (CRh)", "CR or CRh",
        "no response (NR)", "not evaluable (NE)", "not yet assessed (still on treatment)"]
    assert t["n/N"].tolist() == ["2/5", "1/5", "3/5", "1/5", "1/5", "1"]
    assert t["Rate (95% CI)"].tolist()[2:] == ["60% (15–95%)", "20% (0.5–72%)", "20% (0.5–72%)",
                                               "not in the denominator"]
    mrd = tables.response_table(an.response_table("rr_responders", "mrd_response"))
    assert mrd["Response"].tolist() == ["MRD negative", "MRD positive", "MRD not assessed"]


# --- the flow diagram's counts -------------------------------------------------------------------

def test_disposition_levels_add_up(an):
    d = an.disposition()
    assert {k: v for k, v in d.items() if k.startswith("rr")} == {
        "rr": 6, "rr_pending": 1, "rr_responders": 3, "rr_non_responders": 2,
        "rr_cr": 2, "rr_crh": 1, "rr_nr": 1, "rr_ne": 1,
        "rr_hsct_after": 1, "rr_hsct_after_alive_in_remission": 1, "rr_hsct_after_relapsed": 0,
        "rr_hsct_after_died_without_relapse": 0,
        "rr_no_hsct_after": 2, "rr_no_hsct_after_alive_in_remission": 1,
        "rr_no_hsct_after_relapsed": 1, "rr_no_hsct_after_died_without_relapse": 0,
        "rr_non_responders_alive": 0, "rr_non_responders_died": 2}
    assert {k: v for k, v in d.items() if k.startswith("mrd")} == {
        "mrd": 4, "mrd_pending": 1, "mrd_responders": 1, "mrd_non_responders": 2,
        "mrd_positive": 1, "mrd_not_assessed": 1,
        "mrd_hsct_after": 1, "mrd_hsct_after_alive_in_remission": 1,
        "mrd_hsct_after_relapsed": 0, "mrd_hsct_after_died_without_relapse": 0,
        "mrd_no_hsct_after": 0, "mrd_no_hsct_after_alive_in_remission": 0,
        "mrd_no_hsct_after_relapsed": 0, "mrd_no_hsct_after_died_without_relapse": 0,
        "mrd_non_responders_alive": 1, "mrd_non_responders_died": 1}
    assert d["enrolled"] == 10


def test_flow_diagram_draws_the_dataset(an):
    import matplotlib.pyplot as plt

    from blina_analysis import figures

    fig = figures.consort_diagram(an.disposition())
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "No response\nn = 2 (40%)\nNR 1\nNE (not evaluable) 1" in texts
    assert sum("Not yet assessed" in t for t in texts) == 2
    plt.close(fig)


# --- subgroups: one definition, any cut-off ------------------------------------------------------

def test_subgroups_leave_pending_out(an):
    t = an.subgroup_response().set_index(["code", "level_code"])
    assert (t.loc[("blasts", "low"), "level"], t.loc[("blasts", "low"), "n"],
            t.loc[("blasts", "low"), "N"]) == ("<50%", 1, 2)  # R1 responded, R4 did not
    assert (t.loc[("blasts", "high"), "n"], t.loc[("blasts", "high"), "N"]) == (2, 3)
    assert (t.loc[("cytogenetic", "standard"), "n"], t.loc[("cytogenetic", "standard"), "N"]) \
        == (1, 2)


def test_a_changed_blasts_cutoff_keeps_the_subgroup(tmp_path, monkeypatch):
    from blina_analysis.report.text import rr_results

    monkeypatch.setattr(definitions, "BLASTS_CUTOFF_PCT", 40)
    an = Analysis.from_dir(write_dataset(tmp_path / "ten"))
    t = an.subgroup_response()
    blasts = t[t["code"] == "blasts"]
    assert blasts["level"].tolist() == ["<40%", "≥40%"]
    assert blasts[["n", "N"]].values.tolist() == [[1, 1], [2, 4]]  # R1 | R2, R3, R4, R6
    r = compute_results(an)
    assert r["rr_response_rate_blasts_lt40"] == 1.0
    assert r["rr_response_rate_blasts_ge40"] == pytest.approx(0.5)
    assert "rr_response_rate_blasts_lt50" not in r
    assert rr_results.blasts_cutoff() == "40%"
    assert rr_results.subgroup_rate_n(an, "blasts", "low") == "1/1, 100%"
    assert rr_results.subgroup_rate_n(an, "blasts", "high") == "2/4, 50%"
    assert ("1/1, 100% with fewer than 40% marrow blasts and 2/4, 50% with more" in
            page_values("chapters/rr_results", an)["rr_subgroups_text"])


def test_subgroup_levels_and_keys_come_from_the_definitions():
    blasts = definitions.subgroup("blasts")
    assert [(lv.code, lv.label, lv.key) for lv in blasts.levels] == [
        ("low", "<50%", "blasts_lt50"), ("high", "≥50%", "blasts_ge50")]
    assert [lv.label for lv in definitions.subgroup("ph").levels] == ["Ph−", "Ph+"]
    with pytest.raises(KeyError, match="no level 'middle'"):
        blasts.level("middle")


# --- adverse events ------------------------------------------------------------------------------

def test_ae_grades_by_category(an):
    t = an.ae_table("category").set_index("category")
    assert t.index.tolist() == ["CRS", "other", "hematologic", "infection"]
    assert t.loc["CRS", ["any_n", "grade_1_2", "grade_3", "grade_4", "grade_5",
                         "grade3plus_n"]].tolist() == [2, 1, 1, 0, 0, 1]
    assert t.loc["infection", ["grade_5", "grade3plus_n"]].tolist() == [1, 1]
    assert (an.grade3plus().n, an.grade34().n, an.worst_grade_share(5, 5).n) == (3, 2, 1)


def test_ae_term_table_is_nested_under_categories(an):
    t = tables.ae_term_table(an.ae_table("category"), an.ae_table("term"))
    assert t["Category"].tolist() == ["CRS", "", "other", "", "", "hematologic", "", "",
                                      "infection", ""]
    assert t["Term"].tolist() == [
        "all terms", "cytokine release syndrome", "all terms", "headache", "pyrexia",
        "all terms", "anaemia", "neutropenia", "all terms", "sepsis"]
    assert list(t.columns) == ["Category", "Term", "Any grade", "Grade 1–2", "Grade 3",
                               "Grade 4", "Grade 5", "Grade ≥3"]
    crs = t.iloc[0]
    assert crs[["Any grade", "Grade 1–2", "Grade 3", "Grade ≥3"]].tolist() == [
        "2 (20%)", "1 (10%)", "1 (10%)", "1 (10%)"]
    assert t.iloc[-1]["Grade 5"] == "1 (10%)"


def test_safety_text_uses_the_table_wording(an):
    v = page_values("chapters/safety", an)
    assert v["ae_grade3plus_ci"].startswith("3/10 (30%")
    assert v["ae_grade5"] == (
        "An adverse event was recorded as fatal (grade 5) in 1 (10%) patient; a death from another "
        "cause, such as relapse, is not an adverse event, and every death is counted under deaths "
        "below.")
    assert v["ae_crs_g3"] == "1 (10%)"
    shipped = page_values("chapters/safety", Analysis.from_dir(ROOT / "data" / "synthetic"))
    assert shipped["ae_grade5"] == (
        "No adverse event was recorded as fatal (grade 5); a death from another cause, such as "
        "relapse, is not an adverse event, and every death is counted under deaths below.")
    assert shipped["ae_grade3plus_ci"].startswith("25/66 (38%")
