"""The transplant exposure: a salvage allo-HSCT (on or after a relapse) is not the exposure.

Expected counts come from the edited rows themselves, never from the package."""

from __future__ import annotations

import numpy as np
import pandas as pd

from blina_analysis.analyses import Analysis
from blina_analysis.data.io import load
from blina_analysis.report.text import transplant
from dataset_family import base_cohort, write_frames


def _with_salvage(tmp_path, k: int = 2) -> tuple[Analysis, pd.DataFrame]:
    """The synthetic cohort with ``k`` transplanted responders who relapsed first: the relapse
    moved to 10 days before the transplant (and after the response)."""
    p, ae = base_cohort()
    hsct = p.index[p["hsct_after_bc"] & p["response_date"].notna()
                   & ((p["hsct_after_bc_date"] - p["response_date"]).dt.days > 20)][:k]
    p.loc[hsct, "relapse"] = True
    p.loc[hsct, "relapse_date"] = p.loc[hsct, "hsct_after_bc_date"] - pd.Timedelta(days=10)
    folder = write_frames(tmp_path / "salvage", p, ae, name="salvage")
    return Analysis(load(folder)), p.loc[hsct]


def test_a_salvage_transplant_is_not_the_exposure(tmp_path):
    an, salvage = _with_salvage(tmp_path)
    resp = an.patients("responders")
    ex = an.transplant_exposure()
    assert ex.n_salvage == len(salvage) == 2
    assert ex.n_consolidation == int(resp["hsct_after_bc"].sum()) - 2 == ex.n_after - 2
    _, _, exposure = an.from_response("OS")
    is_salvage = resp["patient_id"].isin(salvage["patient_id"]).to_numpy()
    assert np.isnan(exposure[is_salvage]).all()  # unexposed: the exposure never starts
    assert (~np.isnan(exposure)).sum() == ex.n_consolidation
    # the crude table moves them to the untransplanted group; the paper's keeps them
    ours = an.crude_relapse_by_transplant("consolidation")
    paper = an.crude_relapse_by_transplant("paper")
    assert ours["transplanted"].N == paper["transplanted"].N - 2
    assert ours["not transplanted"].n == paper["not transplanted"].n + 2
    text = transplant.values(an, None)
    assert "and 2 after a relapse (salvage" in text["exposure_text"]
    assert "as the paper does" in text["crude_text"] and "p =" not in text["crude_text"]
    from blina_analysis.analyses.results import compute_results

    results = compute_results(an)
    assert results["transplant_salvage_excluded_n"] == 2
    assert results["transplant_consolidation_n"] == int(resp["hsct_after_bc"].sum()) - 2
