"""Definitions and derivations on tiny hand-made cohorts with hand-worked answers."""

import numpy as np
import pandas as pd
import pytest

from blina_analysis.definitions import ENDPOINTS, POPULATIONS, is_responder, population
from blina_analysis.derive import derive_adsl, derive_tte

D = pd.Timestamp


def cohort() -> pd.DataFrame:
    """Five patients; times in days from 2020-01-01 are written next to each row."""
    nat = pd.NaT
    rows = [
        # id, group, heme, mrd, resp_date, relapse, relapse_date, death, death_date, last, blasts, age
        ("A", "RR", "CR", "negative", D("2020-02-01"), True, D("2020-06-01"), True,
         D("2020-09-01"), D("2020-09-01"), 30.0, 25),   # relapse day 152, death day 244
        ("B", "RR", "NR", None, nat, False, nat, True, D("2020-03-01"), D("2020-03-01"),
         80.0, 40),                                     # death day 60, never in remission
        ("C", "MRD", None, "negative", D("2020-02-10"), False, nat, False, nat,
         D("2022-01-01"), np.nan, 55),                  # censored day 731
        ("D", "MRD", None, "positive", nat, True, D("2020-05-01"), False, nat,
         D("2021-01-01"), np.nan, 39),                  # relapse day 121, censored day 366
        ("E", "RR", "CRh", None, D("2020-02-15"), False, nat, True, D("2020-08-01"),
         D("2020-08-01"), 50.0, 72),                    # death without relapse day 213
    ]
    cols = ["patient_id", "group", "hematologic_response", "mrd_response", "response_date",
            "relapse", "relapse_date", "death", "death_date", "last_followup_date",
            "marrow_blasts_pct", "age"]
    df = pd.DataFrame(rows, columns=cols)
    df["bc_start_date"] = D("2020-01-01")
    df["hsct_after_bc"] = [False, False, True, False, False]
    df["hsct_after_bc_date"] = [nat, nat, D("2020-04-01"), nat, nat]
    df["sex"] = ["F", "M", "M", "F", "M"]
    df["prior_allo_hsct"] = [True, False, False, False, True]
    df["cytogenetic_risk"] = ["high", "standard", None, "standard", "high"]
    df["ph_status"] = None
    return df


def test_responder_definition():
    """R/R: CR or CRh; MRD group: MRD-negative; missing = non-response."""
    assert is_responder(cohort()).tolist() == [True, False, True, False, True]


@pytest.mark.parametrize("code, expected", [
    ("all", list("ABCDE")), ("rr", list("ABE")), ("mrd", list("CD")),
    ("responders", list("ACE")), ("rr_responders", list("AE")), ("mrd_responders", ["C"]),
    ("rr_non_responders", ["B"]), ("mrd_non_responders", ["D"]),
])
def test_populations(code, expected):
    assert population(cohort(), code)["patient_id"].tolist() == expected


def test_unknown_population_is_named():
    with pytest.raises(KeyError, match="'nope'"):
        population(cohort(), "nope")


def test_os_times_and_events():
    tte = derive_tte(cohort(), "OS")
    assert tte["time_days"].tolist() == [244, 60, 731, 366, 213]
    assert tte["event"].tolist() == [1, 1, 0, 0, 1]
    assert tte["source_col"].tolist()[:3] == ["death_date", "death_date", "last_followup_date"]


def test_dfs_takes_the_earliest_of_relapse_and_death():
    tte = derive_tte(cohort(), "DFS")
    assert tte["time_days"].tolist() == [152, 60, 731, 121, 213]
    assert tte["event"].tolist() == [1, 1, 0, 1, 1]
    assert tte["event_desc"].iloc[0] == "haematological relapse"


def test_cir_codes_relapse_1_and_death_without_relapse_2_from_response():
    """CIR is timed from response (A: 2020-02-01, C: 2020-02-10, E: 2020-02-15); B and D never
    responded and have no time."""
    tte = derive_tte(cohort(), "CIR")
    assert tte["event"].tolist() == [1, 2, 0, 1, 2]
    assert tte["time_days"].fillna(-1).tolist() == [121, -1, 691, -1, 168]
    assert ENDPOINTS["CIR"].competing and not ENDPOINTS["OS"].competing


def test_rfs_is_dfs_from_response():
    tte = derive_tte(population(cohort(), "responders"), "RFS")
    assert tte["time_days"].tolist() == [121, 691, 168]
    assert tte["event"].tolist() == [1, 0, 1]


def test_efs_counts_no_cr_crh_in_rr_on_day_1():
    """B (R/R, NR) fails on day 1 (time 0); D (MRD+, MRD positive) is no failure: relapse on
    day 121; the others as in DFS."""
    tte = derive_tte(cohort(), "EFS")
    assert tte["time_days"].tolist() == [152, 0, 731, 121, 213]
    assert tte["event"].tolist() == [1, 1, 0, 1, 1]
    assert tte["source_col"].iloc[1] == "bc_start_date"
    adsl = derive_adsl(cohort())
    assert adsl["treatment_failure"].tolist() == [False, True, False, False, False]
    pd.testing.assert_frame_equal(derive_tte(adsl, "EFS"), tte)


def test_allo_hsct_after_blinatumomab_censors_in_the_sensitivity_endpoints():
    """C, transplanted on 2020-04-01 (day 91) in remission, is censored there."""
    tte = derive_tte(cohort(), "DFS_HSCT")
    assert tte["time_days"].tolist() == [152, 60, 91, 121, 213]
    assert tte["event"].tolist() == [1, 1, 0, 1, 1]
    df = cohort()
    df.loc[2, ["relapse", "relapse_date"]] = [True, D("2020-04-01")]  # relapse on that day wins
    assert derive_tte(df, "DFS_HSCT")["event"].iloc[2] == 1
    rfs = derive_tte(population(cohort(), "responders"), "RFS_HSCT")
    assert rfs["time_days"].tolist() == [121, 51, 168]


def test_every_endpoint_names_known_populations_and_an_origin():
    for e in ENDPOINTS.values():
        assert set(e.populations) <= set(POPULATIONS), e.code
        assert e.origin in ("bc_start_date", "response_date"), e.code
    assert ENDPOINTS["RFS"].origin == ENDPOINTS["CIR"].origin == "response_date"


def test_relapse_beats_death_on_the_same_day():
    df = cohort()
    df.loc[0, "relapse_date"] = df.loc[0, "death_date"]
    tte = derive_tte(df, "DFS")
    assert (tte["time_days"].iloc[0], tte["source_col"].iloc[0]) == (244, "relapse_date")
    assert derive_tte(df, "CIR")["event"].iloc[0] == 1


def test_derive_adsl_adds_groups_without_changing_input():
    df = cohort()
    before = df.copy()
    adsl = derive_adsl(df)
    pd.testing.assert_frame_equal(df, before)
    assert adsl["blasts_group"].tolist() == ["<50%", "≥50%", None, None, "≥50%"]
    assert adsl["age_group"].tolist() == ["<40", "≥40", "≥40", "<40", "≥40"]
    assert adsl["days_to_response"].fillna(-1).tolist() == [31, -1, 40, -1, 45]
    assert adsl["days_to_hsct_after"].fillna(-1).tolist() == [-1, -1, 91, -1, -1]


def test_every_population_and_endpoint_is_described():
    for p in POPULATIONS.values():
        assert p.name and p.definition
    for e in ENDPOINTS.values():
        assert e.name and e.events and e.censor.description
