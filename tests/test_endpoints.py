"""Endpoints on the data: RFS, CIR and NRM share the response as origin, so 1 − RFS = CIR + NRM;
EFS counts treatment failure on day 1; Clark's C by hand.

The identity is checked on the shipped data and on every member of the dataset family; the
numbers themselves are checked against R by the oracle (``make_oracle_endpoints.R``).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from blina_analysis.analyses import Analysis
from blina_analysis.data.io import load
from blina_analysis.stats import StatsInputError, followup_completeness

import dataset_family as family

SHIPPED = Path(__file__).resolve().parent.parent / "data" / "synthetic"


def _identity_holds(an: Analysis) -> None:
    """1 − RFS(t) = CIR(t) + NRM(t) at every event time and between them, among responders."""
    if an.n("responders") == 0:
        return
    rfs = an.km("responders", "RFS")
    cif = an.cumulative_incidence("responders")
    times = np.unique(np.concatenate([rfs.table["time"].to_numpy(), [0.0, 365.25, 730.5]]))
    last = float(an.tte("responders", "RFS")["time_days"].max())
    for t in times[times <= last]:
        left = 1 - rfs.at(float(t)).estimate
        right = (cif["relapse"].at(float(t)).estimate
                 + cif["non-relapse mortality"].at(float(t)).estimate)
        assert left == pytest.approx(right, abs=1e-12), t


def test_rfs_cir_and_nrm_add_up_on_the_shipped_data():
    an = Analysis(load(SHIPPED))
    _identity_holds(an)
    assert an.tte("responders", "RFS")["time_days"].min() >= 0


@pytest.mark.parametrize("case", sorted(family.CASES))
def test_rfs_cir_and_nrm_add_up_in_every_family_member(case, tmp_path):
    _identity_holds(Analysis(load(family.write_case(case, tmp_path / case))))


def test_efs_fails_every_rr_non_responder_on_day_1():
    an = Analysis(load(SHIPPED))
    efs = an.tte("all", "EFS").set_index("patient_id")
    failures = an.adsl.loc[an.adsl["treatment_failure"], "patient_id"]
    assert len(failures) == an.n("rr_non_responders")
    assert (efs.loc[failures, "time_days"] == 0).all() and (efs.loc[failures, "event"] == 1).all()
    # the MRD+ group has no failure event: its EFS is its DFS
    assert an.tte("mrd", "EFS")[["time_days", "event"]].equals(
        an.tte("mrd", "DFS")[["time_days", "event"]])


def test_clark_c_by_hand():
    # observed 10, 5, 8 of potential 10, 10, 8 (the third died: potential ends at death)
    assert followup_completeness([10, 5, 8], [10, 10, 8]) == pytest.approx(23 / 28)
    assert math.isnan(followup_completeness([0, 0], [0, 0]))
    with pytest.raises(StatsInputError, match="exceeds"):
        followup_completeness([11], [10])
    with pytest.raises(StatsInputError, match="same length"):
        followup_completeness([1, 2], [3])


def test_one_survivor_lost_reads_as_one(tmp_path):
    """A single patient alive and last seen long before the cut-off: singular words."""
    from blina_analysis.report.text.methods import completeness_sentence

    patients, events = family.base_cohort()
    one = patients[~patients["death"]].head(1)
    one, ae = family.censor_at(one, events, one["bc_start_date"] + pd.Timedelta(days=10))
    folder = family.write_frames(tmp_path / "one", one.reset_index(drop=True),
                                 ae.iloc[0:0], name="one")
    text = completeness_sentence(Analysis(load(folder)))
    assert "The 1 patient alive at last contact was lost to follow-up" in text
    assert "1 of the 1" not in text
