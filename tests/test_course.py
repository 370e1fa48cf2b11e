"""The course of each patient as states over time (the data of the state-occupation figure).

Expected values are counted in the raw CSV of the shipped data: nobody of either cohort leaves
follow-up alive before day 84, so on day 84 the Aalen-Johansen occupation probabilities are
plain shares of the cohort, and the share assessed without response is the non-responders
alive, still followed and not transplanted on day 84.
"""

import csv
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from blina_analysis.analyses import Analysis

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "data" / "synthetic"


def _days(row, column):
    if not row[column]:
        return None
    return (date.fromisoformat(row[column]) - date.fromisoformat(row["bc_start_date"])).days


def _raw_day_84(group: str) -> tuple[int, int, int, int]:
    """(patients, dead by day 84, non-responders in follow-up untransplanted at day 84,
    censored alive before day 84), counted from patients.csv."""
    n = dead = waiting_none = censored = 0
    with open(SHIPPED / "patients.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if r["group"] != group:
                continue
            n += 1
            responder = (r["hematologic_response"] in ("CR", "CRh") if group == "RR"
                         else r["mrd_response"] == "negative")
            death = _days(r, "death_date")
            hsct = _days(r, "hsct_after_bc_date")
            dead += death is not None and death <= 84
            censored += death is None and _days(r, "last_followup_date") < 84
            waiting_none += (not responder and (death is None or death > 84)
                             and (hsct is None or hsct > 84))
    return n, dead, waiting_none, censored


@pytest.fixture(scope="module")
def occupation():
    return Analysis.from_dir(SHIPPED).state_occupation()


@pytest.mark.parametrize("group, code", [("MRD+", "MRD"), ("R/R", "RR")])
def test_day_84_shares_are_the_raw_counts(occupation, group, code):
    n, dead, no_response, censored = _raw_day_84(code)
    assert censored == 0  # the premise: the shares are plain proportions on day 84
    table = occupation[group].table
    row = table[table["time"] <= 84].iloc[-1]
    assert occupation[group].n == n
    assert row["death"] == pytest.approx(dead / n)
    assert row["no_response"] == pytest.approx(no_response / n)
    assert row["not_yet"] == pytest.approx(0.0, abs=1e-12)  # the assessment ends "not yet"


def test_states_add_to_one_at_every_time(occupation):
    for fit in occupation.values():
        np.testing.assert_allclose(fit.table[list(fit.states)].sum(axis=1), 1.0)
