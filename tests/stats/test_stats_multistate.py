"""Aalen-Johansen state occupation against R's multi-state ``survfit``."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from blina_analysis.stats import StatsInputError
from blina_analysis.stats.multistate import state_occupation

R = Path(__file__).resolve().parents[1] / "fixtures" / "r"
STATES = ("wait", "resp", "nonresp", "hsct", "relapse", "dead")


def test_state_occupation_against_R_survfit_multistate():
    """R (tests/fixtures/r/make_state_occupation.R)::

        fit <- survfit(Surv(tstart, tstop, event) ~ 1, data = d, id = patient, istate = istate)
        fit$pstate; rowSums(fit$n.risk)
    """
    d = pd.read_csv(R / "data_multistate.csv")
    ref = pd.read_csv(R / "state_occupation.csv")
    fit = state_occupation(d["patient"], d["tstart"], d["tstop"], d["from"], d["to"], STATES)
    tab = fit.table.set_index("time")
    assert fit.n == 40
    np.testing.assert_allclose(tab.index, ref["time"])
    np.testing.assert_array_equal(tab["n_risk"], ref["n_risk"])
    for s in STATES:
        np.testing.assert_allclose(tab[s], ref[s], atol=1e-10)
    np.testing.assert_allclose(tab[list(STATES)].sum(axis=1), 1.0)


def test_hand_worked_two_patients():
    """Two patients: one responds on day 10 and is censored on day 30; one dies on day 20.
    Day 10: 1 of 2 waiting responds -> (1/2, 1/2, 0); day 20: the one waiting dies -> (0, 1/2,
    1/2); day 30: censored, no change."""
    fit = state_occupation([1, 1, 2], [0, 10, 0], [10, 30, 20], ["w", "r", "w"], ["r", "r", "d"],
                           ("w", "r", "d"))
    assert fit.table[["w", "r", "d"]].to_numpy().tolist() == [
        [0.5, 0.5, 0.0], [0.0, 0.5, 0.5], [0.0, 0.5, 0.5]]
    assert fit.table["n_risk"].tolist() == [2, 2, 1]


@pytest.mark.parametrize("rows, match", [
    (([1], [5], [10], ["w"], ["r"]), "starts at time 0"),
    (([1], [0], [0], ["w"], ["r"]), "tstop > tstart"),
    (([1], [0], [10], ["w"], ["x"]), "unknown state"),
    (([1, 1], [0, 12], [10, 20], ["w", "r"], ["r", "r"]), "without gaps"),
    (([1], [0, 1], [10], ["w"], ["r"]), "same length"),
])
def test_state_occupation_rejects_bad_rows(rows, match):
    with pytest.raises(StatsInputError, match=match):
        state_occupation(*rows, ("w", "r", "d"))
