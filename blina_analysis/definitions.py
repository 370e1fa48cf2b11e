"""Every definition of the analysis, stated once: time origin and unit, endpoints, populations.

Endpoints are declared as data, after the shape of pharmaverse admiral's ``event_source`` /
``censor_source``: an :class:`Endpoint` lists its events (in order of precedence) and its censoring.
:func:`blina_analysis.derive.derive_tte` applies them; the methods chapter renders its endpoint table
from :data:`ENDPOINTS` and its population table from :data:`POPULATIONS`, so the text and the
computation cannot disagree.

Precedence rules (``derive_tte``): a patient's time is the date of the earliest event among the
endpoint's events; if two events fall on the same day the one listed first wins (so relapse beats
death on the same day in DFS and in the relapse/NRM split). A patient with no event is censored at
the censoring date. Times are whole days from the time origin.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import pandas as pd

from blina_analysis.data.schema import REMISSION_RESPONSES

__all__ = [
    "TIME_ORIGIN",
    "DAYS_PER_MONTH",
    "TWO_YEARS_DAYS",
    "ONE_YEAR_DAYS",
    "LANDMARK_DAYS",
    "LANDMARK_SENSITIVITY_DAYS",
    "RESPONSE_LANDMARK_DAYS",
    "BLASTS_CUTOFF_PCT",
    "AGE_CUTOFF_YEARS",
    "CONF_LEVEL",
    "EventSource",
    "CensorSource",
    "Endpoint",
    "ENDPOINTS",
    "Population",
    "POPULATIONS",
    "is_responder",
    "population",
]

#: Time origin of every endpoint: the first day of blinatumomab.
TIME_ORIGIN = "bc_start_date"
#: Days per month (365.25 / 12); times are kept in days and shown in months.
DAYS_PER_MONTH = 30.4375
#: "2-year" estimates are read off the Kaplan–Meier curve at 730 days, "1-year" at 365 days.
TWO_YEARS_DAYS = 730
ONE_YEAR_DAYS = 365
#: Default landmark for the transplant analyses, in days from response.
LANDMARK_DAYS = 90
#: Landmarks of the transplant sensitivity analysis, in days from response.
LANDMARK_SENSITIVITY_DAYS = (60, 90, 120, 180)
#: Landmark of the comparisons by response, in days from the start of blinatumomab: the response
#: assessment after two 6-week cycles (4 weeks of infusion, 2 weeks of pause). A patient is a
#: responder at the landmark if the response was recorded by then.
RESPONSE_LANDMARK_DAYS = 84
#: Subgroup cut-offs: marrow blasts < 50% vs ≥ 50% (as in the paper); age < 40 vs ≥ 40 years.
BLASTS_CUTOFF_PCT = 50
AGE_CUTOFF_YEARS = 40
#: Confidence level of every interval.
CONF_LEVEL = 0.95


@dataclass(frozen=True)
class EventSource:
    """An event: the patient has it where ``flag`` is true, on the date in ``date``."""

    flag: str
    date: str
    description: str
    code: int = 1  # 1 = the event of interest; 2 = a competing event


@dataclass(frozen=True)
class CensorSource:
    """Censoring: patients without an event are censored on the date in ``date``."""

    date: str
    description: str


@dataclass(frozen=True)
class Endpoint:
    """A time-to-event endpoint: events in order of precedence, and the censoring rule."""

    code: str
    name: str
    events: tuple[EventSource, ...]
    censor: CensorSource
    origin: str = TIME_ORIGIN

    @property
    def competing(self) -> bool:
        """True when the endpoint has a competing event (analyse with cumulative incidence)."""
        return any(e.code == 2 for e in self.events)


death_event = EventSource("death", "death_date", "death from any cause")
relapse_event = EventSource("relapse", "relapse_date", "haematological relapse")
nrm_event = EventSource("death", "death_date", "death without prior relapse (competing)", code=2)
last_contact = CensorSource("last_followup_date", "alive at last contact")

ENDPOINTS: dict[str, Endpoint] = {
    "OS": Endpoint("OS", "overall survival", (death_event,), last_contact),
    "DFS": Endpoint("DFS", "disease-free survival", (relapse_event, death_event), last_contact),
    "CIR": Endpoint("CIR", "cumulative incidence of relapse (non-relapse mortality competing)",
                    (relapse_event, nrm_event), last_contact),
}


def is_responder(patients: pd.DataFrame) -> pd.Series:
    """Responder: R/R group with CR or CRh; MRD group with MRD negativity after blinatumomab.

    A missing response counts as no response (intention to treat).
    """
    rr = (patients["group"] == "RR") & patients["hematologic_response"].isin(REMISSION_RESPONSES)
    mrd = (patients["group"] == "MRD") & (patients["mrd_response"] == "negative")
    return (rr | mrd).astype(bool)


@dataclass(frozen=True)
class Population:
    """A named analysis population: the patients for whom ``select`` is true."""

    code: str
    name: str
    definition: str
    select: Callable[[pd.DataFrame], pd.Series]


POPULATIONS: dict[str, Population] = {p.code: p for p in (
    Population("all", "all patients", "every treated patient (safety set)",
               lambda d: pd.Series(True, index=d.index)),
    Population("rr", "R/R group", "relapsed/refractory B-ALL",
               lambda d: d["group"] == "RR"),
    Population("mrd", "MRD+ group", "MRD-positive B-ALL in haematological remission",
               lambda d: d["group"] == "MRD"),
    Population("responders", "responders", "R/R with CR/CRh, or MRD group with MRD negativity",
               is_responder),
    Population("rr_responders", "R/R responders", "R/R group with CR/CRh",
               lambda d: (d["group"] == "RR") & is_responder(d)),
    Population("mrd_responders", "MRD responders", "MRD group with MRD negativity",
               lambda d: (d["group"] == "MRD") & is_responder(d)),
    Population("rr_non_responders", "R/R non-responders", "R/R group without CR/CRh",
               lambda d: (d["group"] == "RR") & ~is_responder(d)),
    Population("mrd_non_responders", "MRD non-responders", "MRD group without MRD negativity",
               lambda d: (d["group"] == "MRD") & ~is_responder(d)),
)}


def population(patients: pd.DataFrame, code: str) -> pd.DataFrame:
    """The rows of ``patients`` in population ``code`` (a key of :data:`POPULATIONS`)."""
    if code not in POPULATIONS:
        raise KeyError(f"unknown population {code!r}; known: {', '.join(POPULATIONS)}")
    return patients[POPULATIONS[code].select(patients).to_numpy()]
