"""Derivations: new columns or frames from the validated patient table, never changing it.

Each function takes a frame first and returns a new one (after admiral's ``derive_*``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from blina_analysis.data.schema import NON_RESPONDER, RESPONDER, response_status
from blina_analysis.definitions import ENDPOINTS, Endpoint, subgroups

__all__ = ["derive_tte", "derive_adsl", "days_between", "treatment_failure"]


def days_between(start: pd.Series, end: pd.Series) -> pd.Series:
    """Whole days from ``start`` to ``end`` (float, NaN where either is missing)."""
    return (end - start).dt.days.astype(float)


def treatment_failure(patients: pd.DataFrame) -> pd.Series:
    """R/R patients assessed without CR/CRh (NR or NE): the treatment failures that event-free
    survival counts on day 1. A response not yet assessed is no failure (yet); the MRD+ group,
    in haematological remission from the start, has none."""
    return ((patients["group"] == "RR")
            & (response_status(patients) == NON_RESPONDER)).astype(bool)


def _flag(patients: pd.DataFrame, column: str) -> pd.Series:
    """The yes/no column ``column``, derived when it is not in ``patients``."""
    if column not in patients and column == "treatment_failure":
        return treatment_failure(patients)
    return patients[column].astype(bool)


def derive_tte(patients: pd.DataFrame, endpoint: str | Endpoint) -> pd.DataFrame:
    """One time-to-event row per patient for ``endpoint``.

    Parameters
    ----------
    patients : DataFrame
        The validated patient table (:attr:`blina_analysis.data.io.Dataset.patients`).
    endpoint : str or Endpoint
        A key of :data:`~blina_analysis.definitions.ENDPOINTS` (``"OS"``, ``"DFS"``, ``"CIR"``) or
        an :class:`~blina_analysis.definitions.Endpoint`.

    Returns
    -------
    DataFrame
        Columns ``patient_id, endpoint, time_days, event, event_desc, source_col``; ``event`` is
        0 (censored), 1 (event) or 2 (competing event). Times are days from the endpoint's
        origin (NaN where the patient has no origin date, e.g. no response).

    Notes
    -----
    The earliest event wins; on a tie, the event listed first in the endpoint wins. An event
    coded 0 censors on its date. Without an event the patient is censored on the censoring date.
    """
    ep = ENDPOINTS[endpoint] if isinstance(endpoint, str) else endpoint
    origin = patients[ep.origin]
    n = len(patients)
    best_date = pd.Series(pd.NaT, index=patients.index, dtype="datetime64[ns]")
    code = np.zeros(n, dtype=np.int64)
    desc = np.full(n, ep.censor.description, dtype=object)
    source = np.full(n, ep.censor.date, dtype=object)
    for ev in ep.events:  # few sources; each step is vectorised over patients
        date = patients[ev.date].where(_flag(patients, ev.flag))
        earlier = (date < best_date) | (best_date.isna() & date.notna())
        earlier = earlier.to_numpy()
        best_date = best_date.where(~earlier, date)
        code[earlier] = ev.code
        desc[earlier] = ev.description
        source[earlier] = ev.date
    end = best_date.where(best_date.notna(), patients[ep.censor.date])
    return pd.DataFrame({
        "patient_id": patients["patient_id"].to_numpy(),
        "endpoint": ep.code,
        "time_days": days_between(origin, end).to_numpy(),
        "event": code,
        "event_desc": desc,
        "source_col": source,
    })


def derive_adsl(patients: pd.DataFrame) -> pd.DataFrame:
    """The patient table with the analysis variables added.

    Adds ``response_status`` (``responder``, ``non-responder`` or ``pending``), ``responder``
    (bool), one level-label column per subgroup of
    :func:`~blina_analysis.definitions.subgroups` (``age_group`` = ``"<40"``/``"≥40"``,
    ``blasts_group`` = ``"<50%"``/``"≥50%"``, ...; missing where the value is unknown),
    ``days_to_response``, ``days_to_hsct_after``, ``followup_days`` (to last contact),
    ``treatment_failure`` (:func:`treatment_failure`).
    """
    out = patients.copy()
    start = out["bc_start_date"]
    out["response_status"] = response_status(out)
    out["responder"] = (out["response_status"] == RESPONDER).astype(bool)
    out["treatment_failure"] = treatment_failure(out)
    for sg in subgroups():
        out[sg.column] = sg.classify(out[sg.source])
    out["days_to_response"] = days_between(start, out["response_date"])
    out["days_to_hsct_after"] = days_between(start, out["hsct_after_bc_date"])
    out["followup_days"] = days_between(start, out["last_followup_date"])
    return out
