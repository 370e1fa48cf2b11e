"""Every definition of the analysis, stated once: time origin and unit, endpoints, populations.

Endpoints are declared as data, after the shape of pharmaverse admiral's ``event_source`` /
``censor_source``: an :class:`Endpoint` lists its events (in order of precedence) and its censoring.
:func:`blina_analysis.derive.derive_tte` applies them; the methods chapter renders its endpoint table
from :data:`ENDPOINTS` and its population table from :data:`POPULATIONS`, so the text and the
computation cannot disagree.

Precedence rules (``derive_tte``): a patient's time is the date of the earliest event among the
endpoint's events; if two events fall on the same day the one listed first wins (so relapse beats
death on the same day in DFS and in the relapse/NRM split). A patient with no event is censored at
the censoring date. An event coded 0 censors: the patient's time ends there without the event
(an allo-HSCT in the sensitivity analyses). Times are whole days from the endpoint's time origin:
the start of blinatumomab for the cohort endpoints (OS, EFS, and the paper's DFS), the date of
response for the responders' endpoints (RFS, CIR and NRM), so that 1 − RFS = CIR + NRM.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Callable

import numpy as np
import pandas as pd

from blina_analysis.i18n import N_
from blina_analysis.data.schema import (
    MRD_NEGATIVE,
    NON_RESPONDER,
    PENDING,
    REMISSION_RESPONSES,
    RESPONDER,
    response_status,
)

__all__ = [
    "TIME_ORIGIN",
    "DAYS_PER_MONTH",
    "months_to_days",
    "TWO_YEARS_DAYS",
    "ONE_YEAR_DAYS",
    "LANDMARK_DAYS",
    "LANDMARK_SENSITIVITY_DAYS",
    "RESPONSE_LANDMARK_DAYS",
    "CYCLE_DAYS",
    "INFUSION_DAYS",
    "EARLY_DEATH_DAYS",
    "BLASTS_CUTOFF_PCT",
    "AGE_CUTOFF_YEARS",
    "CONF_LEVEL",
    "MIN_PATIENTS_FOR_TEST",
    "MIN_EVENTS_FOR_TEST",
    "EVENTS_PER_VARIABLE",
    "MIN_AT_RISK_SHOWN",
    "AT_RISK_EVERY_MONTHS",
    "TRANSPLANT_EXPOSURE",
    "SALVAGE_HSCT_HANDLING",
    "is_consolidation_hsct",
    "is_salvage_hsct",
    "EVENTS_PER_TERM",
    "PH_TEST_ALPHA",
    "PRIMARY_COVARIATES",
    "primary_terms",
    "HSCT_ORIGIN",
    "POST_HSCT_ENDPOINTS",
    "LOST_TO_FOLLOWUP_MONTHS",
    "LOST_TO_FOLLOWUP_DAYS",
    "EventSource",
    "CensorSource",
    "TimeOrigin",
    "START",
    "RESPONSE",
    "Endpoint",
    "ENDPOINTS",
    "Population",
    "POPULATIONS",
    "is_responder",
    "is_non_responder",
    "is_pending",
    "population",
    "ResponseCategory",
    "RESPONSE_CATEGORIES",
    "PENDING_LABEL",
    "SubgroupLevel",
    "Subgroup",
    "subgroups",
    "subgroup",
]

#: Time origin of the cohort endpoints: the first day of blinatumomab (the responders' endpoints
#: start at the response, :data:`RESPONSE`).
TIME_ORIGIN = "bc_start_date"
#: Days per month (365.25 / 12); times are kept in days and shown in months.
DAYS_PER_MONTH = 30.4375


def months_to_days(months):
    """The time point "``months`` months" in days: ``months`` × :data:`DAYS_PER_MONTH`.

    The one definition of a time named in months, wherever it is read: the estimates of the
    text and the tables, the numbers at risk of the tables, and the at-risk rows under the
    figures (whose ticks are in months). 12 months are 365.25 days, so with times in whole days
    the number at risk at 12 months counts the patients followed for at least 366 days, and an
    estimate at 12 months is the curve after day 365.

    Parameters
    ----------
    months : float or array-like of float
        Time points in months.

    Returns
    -------
    float or numpy.ndarray
        The same time points in days (a float for a scalar).
    """
    if np.ndim(months) == 0:
        return float(months) * DAYS_PER_MONTH
    return np.asarray(months, dtype=float) * DAYS_PER_MONTH


#: "2-year" estimates are read off the curves at 24 months (730.5 days), "1-year" at 12 months
#: (365.25 days): the same time points as the tables' columns and the figures' ticks.
TWO_YEARS_DAYS = months_to_days(24)
ONE_YEAR_DAYS = months_to_days(12)
#: Default landmark for the transplant analyses, in days from response.
LANDMARK_DAYS = 90
#: Landmarks of the transplant sensitivity analysis, in days from response.
LANDMARK_SENSITIVITY_DAYS = (60, 90, 120, 180)
#: Landmark of the comparisons by response, in days from the start of blinatumomab: the response
#: assessment after two 6-week cycles (4 weeks of infusion, 2 weeks of pause). A patient is a
#: responder at the landmark if the response was recorded by then.
RESPONSE_LANDMARK_DAYS = 84
#: One blinatumomab cycle: 4 weeks of continuous infusion, then 2 weeks of pause. The data record
#: the number of cycles, not the last day of infusion, so a death is "on treatment" when it falls
#: within the infusion of the last cycle given: day (cycles − 1) × CYCLE_DAYS + INFUSION_DAYS.
CYCLE_DAYS = 42
INFUSION_DAYS = 28
#: Early deaths are counted within these many days of the first day of blinatumomab.
EARLY_DEATH_DAYS = (30, 60)
#: Subgroup cut-offs: marrow blasts < 50% vs ≥ 50% (as in the paper); age < 40 vs ≥ 40 years.
#: :func:`subgroups` reads them when called, so a changed cut-off changes every level and key.
BLASTS_CUTOFF_PCT = 50
AGE_CUTOFF_YEARS = 40
#: Confidence level of every interval.
CONF_LEVEL = 0.95
#: No test below these: a group of fewer patients, or a comparison with fewer events, is
#: described without a p-value (and the text says why).
MIN_PATIENTS_FOR_TEST = 5
MIN_EVENTS_FOR_TEST = 5
#: A multivariable model gets one term per this many events of its less frequent outcome
#: (Peduzzi et al. 1996; Harrell, Regression Modeling Strategies).
EVENTS_PER_VARIABLE = 10
#: Curves stop (are drawn faded) once fewer than this many patients remain at risk.
MIN_AT_RISK_SHOWN = 5
#: Numbers at risk under every curve, every so many months.
AT_RISK_EVERY_MONTHS = 6
#: A patient alive whose last contact is more than this many days before the data cut-off is
#: lost to follow-up (6 months: twice the usual 3-monthly visits after treatment).
LOST_TO_FOLLOWUP_MONTHS = 6
LOST_TO_FOLLOWUP_DAYS = months_to_days(LOST_TO_FOLLOWUP_MONTHS)


# --- the transplant exposure -------------------------------------------------------------------

#: The exposure of every transplant analysis (the methods chapter prints this text): an
#: allo-HSCT after blinatumomab given to a responder in continuous remission, i.e. with no
#: relapse on or before the day of the transplant (consolidation). A transplant on or after the
#: day of a relapse is a salvage transplant, not the exposure.
TRANSPLANT_EXPOSURE = N_("an allo-HSCT after blinatumomab in a responder in continuous remission "
                          "(consolidation): no relapse on or before the day of the transplant; a "
                          "transplant on or after the day of a relapse is a salvage transplant "
                          "and not the exposure")
#: How a salvage transplant enters the transplant analyses: ``"unexposed"`` (the exposure never
#: starts; the patient stays in the not-transplanted group). A salvage transplant follows a
#: relapse, so DFS and the relapse/NRM split have already ended at the relapse; only OS goes on,
#: and censoring at a salvage transplant would drop the survival of relapsed patients selected
#: for fitness (informative censoring).
SALVAGE_HSCT_HANDLING = "unexposed"


def _hsct_in_remission(patients: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """(transplanted after blinatumomab, relapsed on or before that transplant) as bool Series."""
    after = patients["hsct_after_bc"].fillna(False).astype(bool)
    relapsed_first = (patients["relapse"].fillna(False).astype(bool)
                      & (patients["relapse_date"] <= patients["hsct_after_bc_date"]).fillna(False)
                      .astype(bool))
    return after, relapsed_first & after


def is_consolidation_hsct(patients: pd.DataFrame) -> pd.Series:
    """The transplant exposure (:data:`TRANSPLANT_EXPOSURE`): a responder transplanted after
    blinatumomab with no relapse on or before the day of the transplant."""
    after, salvage = _hsct_in_remission(patients)
    return (is_responder(patients) & after & ~salvage).astype(bool)


def is_salvage_hsct(patients: pd.DataFrame) -> pd.Series:
    """A responder transplanted after blinatumomab on or after the day of a relapse."""
    _, salvage = _hsct_in_remission(patients)
    return (is_responder(patients) & salvage).astype(bool)


#: The primary transplant model is adjusted for at most one term per this many events (the
#: transplant term included): 10 events per term, the lower end of the usual 10-15.
EVENTS_PER_TERM = 10
#: Below this p-value the proportional-hazards test of the primary transplant model is read as
#: a sign that the hazard ratio may not be constant over time (the text says so).
PH_TEST_ALPHA = 0.05
#: Adjustment covariates of the primary model in order of priority (a column of the derived
#: patient table, its readers' name): each is added while the events allow another term.
PRIMARY_COVARIATES = (("age_decades", N_("age (per 10 years)")),
                      ("prior_allo_hsct", N_("prior allo-HSCT")),
                      ("mrd_negative", N_("MRD negativity after blinatumomab")))


def primary_terms(n_events: int) -> tuple[str, ...]:
    """The adjustment covariates the primary transplant model can afford with ``n_events``.

    The model has ``n_events // EVENTS_PER_TERM`` terms at most (at least the transplant term):
    the transplant term first, then :data:`PRIMARY_COVARIATES` in order.
    """
    terms = max(int(n_events) // EVENTS_PER_TERM, 1)
    return tuple(code for code, _ in PRIMARY_COVARIATES[:terms - 1])



@dataclass(frozen=True)
class EventSource:
    """An event: the patient has it where ``flag`` is true, on the date in ``date``.

    ``code`` 1 is the event of interest, 2 a competing event, 0 an event that censors (the
    patient's time ends there, without the event: e.g. an allo-HSCT in a sensitivity analysis).
    """

    flag: str
    date: str
    description: str
    code: int = 1  # 1 = the event of interest; 2 = a competing event; 0 = censors


@dataclass(frozen=True)
class CensorSource:
    """Censoring: patients without an event are censored on the date in ``date``."""

    date: str
    description: str


@dataclass(frozen=True)
class TimeOrigin:
    """A time origin: the day 0 of an endpoint's times, the date in column ``date``."""

    date: str
    description: str


#: Day 1 of blinatumomab: the origin of the cohort endpoints (the first day of treatment is day 0
#: of the times, which are whole days).
START = TimeOrigin(TIME_ORIGIN, N_("start of blinatumomab (day 1)"))
#: The date of response (CR/CRh, or MRD negativity): the origin of the responders' endpoints.
RESPONSE = TimeOrigin("response_date", N_("date of response"))


@dataclass(frozen=True)
class Endpoint:
    """A time-to-event endpoint: events in order of precedence, the censoring rule, the time
    origin and the populations it is analysed in (keys of :data:`POPULATIONS`); ``role`` says
    what the endpoint is for (``"primary"``, ``"responders"``, ``"sensitivity"``, ``"paper"``:
    the published figures, kept for the concordance)."""

    code: str
    name: str
    events: tuple[EventSource, ...]
    censor: CensorSource
    origin_of: TimeOrigin = START
    populations: tuple[str, ...] = ("all",)
    role: str = "primary"

    @property
    def origin(self) -> str:
        """The column holding each patient's day 0."""
        return self.origin_of.date

    @property
    def competing(self) -> bool:
        """True when the endpoint has a competing event (analyse with cumulative incidence)."""
        return any(e.code == 2 for e in self.events)


death_event = EventSource("death", "death_date", N_("death from any cause"))
relapse_event = EventSource("relapse", "relapse_date", N_("haematological relapse"))
nrm_event = EventSource("death", "death_date", N_("death without prior relapse (competing)"), code=2)
#: Treatment failure as an event on day 1: an R/R patient assessed without CR/CRh (NR or NE), as
#: in the event-free survival of the pivotal trials (TOWER, ALCANTARA). A derived column
#: (:func:`blina_analysis.derive.derive_adsl`).
failure_event = EventSource("treatment_failure", TIME_ORIGIN,
                            N_("no CR/CRh (R/R; NR or NE), counted on day 1"))
#: An allo-HSCT after blinatumomab ends the patient's time, censored (sensitivity analyses).
hsct_censors = EventSource("hsct_after_bc", "hsct_after_bc_date",
                           N_("allo-HSCT after blinatumomab (censors)"), code=0)
last_contact = CensorSource("last_followup_date", N_("alive at last contact"))

ENDPOINTS: dict[str, Endpoint] = {ep.code: ep for ep in (
    Endpoint("OS", N_("overall survival"), (death_event,), last_contact,
             populations=("all", "rr", "mrd", "rr_prior_hsct", "rr_no_prior_hsct")),
    Endpoint("EFS", N_("event-free survival"), (failure_event, relapse_event, death_event),
             last_contact, populations=("all", "rr", "mrd")),
    Endpoint("RFS", N_("relapse-free survival from response"),
             (relapse_event, death_event), last_contact, RESPONSE,
             (N_("responders"), "rr_responders", "mrd_responders"), N_("responders")),
    Endpoint("CIR", N_("cumulative incidence of relapse (CIR) and of non-relapse mortality (NRM)"),
             (relapse_event, nrm_event), last_contact, RESPONSE, (N_("responders"),), N_("responders")),
    Endpoint("DFS", N_("disease-free survival"), (relapse_event, death_event), last_contact,
             populations=("mrd", N_("responders"), "rr_responders"), role="paper"),
    Endpoint("RFS_HSCT", N_("relapse-free survival censored at allo-HSCT"),
             (relapse_event, death_event, hsct_censors), last_contact, RESPONSE,
             ("rr_responders",), "sensitivity"),
    Endpoint("DFS_HSCT", N_("disease-free survival censored at allo-HSCT"),
             (relapse_event, death_event, hsct_censors), last_contact,
             populations=("mrd",), role="sensitivity"),
)}


#: Time origin of the outcomes after a transplant (EBMT style): the day of the allo-HSCT.
HSCT = TimeOrigin("hsct_after_bc_date", N_("date of the consolidation allo-HSCT"))
HSCT_ORIGIN = HSCT.date
#: Outcomes after a consolidation allo-HSCT, from its day: OS, leukaemia-free survival (LFS:
#: relapse or death), and relapse with non-relapse mortality competing (CIR/NRM).
POST_HSCT_ENDPOINTS: dict[str, Endpoint] = {ep.code: ep for ep in (
    Endpoint("OS", N_("overall survival after allo-HSCT"), (death_event,), last_contact, HSCT,
             ("consolidation_hsct",), "transplant"),
    Endpoint("LFS", N_("leukaemia-free survival after allo-HSCT"), (relapse_event, death_event),
             last_contact, HSCT, ("consolidation_hsct",), "transplant"),
    Endpoint("CIR", N_("cumulative incidence of relapse (CIR) and of non-relapse mortality (NRM) "
                       "after allo-HSCT"), (relapse_event, nrm_event), last_contact, HSCT,
             ("consolidation_hsct",), "transplant"),
)}


def is_responder(patients: pd.DataFrame) -> pd.Series:
    """Responder: R/R group with CR or CRh; MRD group with MRD negativity after blinatumomab.

    The rule is the data contract's :func:`~blina_analysis.data.schema.response_status` (one home,
    also used to check `response_date`). A missing or not evaluable response counts as no
    response (intention to treat); a response not yet assessed (`pending`) is neither.
    """
    return (response_status(patients) == RESPONDER).astype(bool)


def is_non_responder(patients: pd.DataFrame) -> pd.Series:
    """Assessed without response (R/R: NR or NE; MRD group: MRD positive or not assessed)."""
    return (response_status(patients) == NON_RESPONDER).astype(bool)


def is_pending(patients: pd.DataFrame) -> pd.Series:
    """Response not yet assessed (``pending``): out of response denominators, in survival."""
    return (response_status(patients) == PENDING).astype(bool)


@dataclass(frozen=True)
class Population:
    """A named analysis population: the patients for whom ``select`` is true."""

    code: str
    name: str
    definition: str
    select: Callable[[pd.DataFrame], pd.Series]


POPULATIONS: dict[str, Population] = {p.code: p for p in (
    Population("all", N_("all patients"), N_("every treated patient (safety set)"),
               lambda d: pd.Series(True, index=d.index)),
    Population("rr", N_("R/R group"), N_("relapsed/refractory B-ALL"),
               lambda d: d["group"] == "RR"),
    Population("mrd", N_("MRD+ group"), N_("MRD-positive B-ALL in haematological remission"),
               lambda d: d["group"] == "MRD"),
    Population(N_("responders"), N_("responders"), N_("R/R with CR/CRh, or MRD group with MRD negativity"),
               is_responder),
    Population("rr_responders", N_("R/R responders"), N_("R/R group with CR/CRh"),
               lambda d: (d["group"] == "RR") & is_responder(d)),
    Population("mrd_responders", N_("MRD responders"), N_("MRD group with MRD negativity"),
               lambda d: (d["group"] == "MRD") & is_responder(d)),
    Population("rr_non_responders", N_("R/R non-responders"),
               N_("R/R group assessed without CR/CRh (NR or NE)"),
               lambda d: (d["group"] == "RR") & is_non_responder(d)),
    Population("mrd_non_responders", N_("MRD non-responders"),
               N_("MRD group assessed without MRD negativity (MRD positive or not assessed)"),
               lambda d: (d["group"] == "MRD") & is_non_responder(d)),
    Population("rr_assessed", N_("R/R, response assessed"),
               N_("R/R group except responses not yet assessed: the denominator of response"),
               lambda d: (d["group"] == "RR") & ~is_pending(d)),
    Population("mrd_assessed", N_("MRD+, response assessed"),
               N_("MRD group except responses not yet assessed: the denominator of response"),
               lambda d: (d["group"] == "MRD") & ~is_pending(d)),
    Population("consolidation_hsct", N_("transplanted in remission"),
               N_("responders with an allo-HSCT after blinatumomab in continuous remission "
                  "(consolidation; the transplant exposure)"),
               lambda d: is_consolidation_hsct(d)),
    Population("rr_prior_hsct", N_("R/R after a prior allo-HSCT"),
               N_("R/R group given blinatumomab after an earlier allo-HSCT"),
               lambda d: (d["group"] == "RR") & d["prior_allo_hsct"].astype(bool)),
    Population("rr_no_prior_hsct", N_("R/R without a prior allo-HSCT"),
               N_("R/R group without an earlier allo-HSCT"),
               lambda d: (d["group"] == "RR") & ~d["prior_allo_hsct"].astype(bool)),
)}


def population(patients: pd.DataFrame, code: str) -> pd.DataFrame:
    """The rows of ``patients`` in population ``code`` (a key of :data:`POPULATIONS`)."""
    if code not in POPULATIONS:
        raise KeyError(f"unknown population {code!r}; known: {', '.join(POPULATIONS)}")
    return patients[POPULATIONS[code].select(patients).to_numpy()]


# --- response categories -----------------------------------------------------------------------

@dataclass(frozen=True)
class ResponseCategory:
    """A category of a response column as reported: the column values it covers (none = empty)."""

    code: str
    label: str
    values: tuple[str, ...]

    @property
    def combined(self) -> bool:
        """True for a category that adds up others (CR or CRh)."""
        return len(self.values) > 1


#: The categories reported for each response column, in table order. `pending` is not among them:
#: those patients are counted apart (:data:`PENDING_LABEL`), outside the denominator.
RESPONSE_CATEGORIES: dict[str, tuple[ResponseCategory, ...]] = {
    "hematologic_response": (
        ResponseCategory("CR", N_("complete remission (CR)"), ("CR",)),
        ResponseCategory("CRh", N_("CR with partial haematological recovery (CRh)"), ("CRh",)),
        ResponseCategory("CR/CRh", N_("CR or CRh"), REMISSION_RESPONSES),
        ResponseCategory("NR", N_("no response (NR)"), ("NR",)),
        ResponseCategory("NE", N_("not evaluable (NE)"), ("NE",)),
    ),
    "mrd_response": (
        ResponseCategory("negative", N_("MRD negative"), (MRD_NEGATIVE,)),
        ResponseCategory("positive", N_("MRD positive"), ("positive",)),
        ResponseCategory("not assessed", N_("MRD not assessed"), ()),
    ),
}
#: How a response not yet assessed is named.
PENDING_LABEL = N_("not yet assessed (still on treatment)")


# --- subgroups ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class SubgroupLevel:
    """One level of a subgroup: ``code`` names it in the code (stable when a cut-off changes),
    ``label`` is what readers see, ``key`` ends its ``results.json`` key
    (``rr_response_rate_<key>``)."""

    code: str
    label: str
    key: str


@dataclass(frozen=True)
class Subgroup:
    """A baseline variable by which response is compared.

    ``classify`` maps the values of the patient column ``source`` to level labels (``None`` where
    unknown); :func:`blina_analysis.derive.derive_adsl` stores them in the column ``column``.
    ``exploratory`` marks a variable the paper did not analyse (age, Ph status, sex).
    """

    code: str
    heading: str
    source: str
    levels: tuple[SubgroupLevel, ...]
    classify: Callable[[pd.Series], pd.Series]
    cutoff: float | None = None
    exploratory: bool = False

    @property
    def column(self) -> str:
        """The derived column holding each patient's level label."""
        return f"{self.code}_group"

    def level(self, code: str) -> SubgroupLevel:
        """The level named ``code`` (e.g. ``"low"``)."""
        for lv in self.levels:
            if lv.code == code:
                return lv
        raise KeyError(f"subgroup {self.code!r} has no level {code!r}; levels: "
                       f"{', '.join(lv.code for lv in self.levels)}")


def _threshold(code: str, heading: str, source: str, cutoff: float, unit: str) -> Subgroup:
    low = SubgroupLevel("low", f"<{cutoff:g}{unit}", f"{code}_lt{cutoff:g}")
    high = SubgroupLevel("high", f"≥{cutoff:g}{unit}", f"{code}_ge{cutoff:g}")

    def classify(values: pd.Series) -> pd.Series:
        x = values.astype(float).to_numpy()
        labels = np.full(len(x), None, dtype=object)  # unknown stays None
        labels[x < cutoff] = low.label
        labels[x >= cutoff] = high.label
        return pd.Series(labels, index=values.index, dtype=object)

    return Subgroup(code, heading, source, (low, high), classify, cutoff)


def _categorical(code: str, heading: str, source: str,
                 levels: tuple[tuple[object, str, str, str], ...]) -> Subgroup:
    """``levels``: (value in ``source``, level code, label, results key) in display order."""
    by_value = {value: label for value, _, label, _ in levels}

    def classify(values: pd.Series) -> pd.Series:
        labels = values.astype(object).map(by_value)
        return labels.where(labels.notna(), None).astype(object)

    return Subgroup(code, heading, source,
                    tuple(SubgroupLevel(c, label, key) for _, c, label, key in levels), classify)


def subgroups() -> tuple[Subgroup, ...]:
    """The subgroups of the response analysis, in display order, with the cut-offs in force.

    Built anew at each call from :data:`BLASTS_CUTOFF_PCT` and :data:`AGE_CUTOFF_YEARS`, so the
    derived level columns, the tables, the text and the ``results.json`` keys all follow a
    changed cut-off.

    Returns
    -------
    tuple of Subgroup
        Cytogenetic risk, marrow blasts, prior allo-HSCT (analysed in the paper), then age,
        Ph status and sex (exploratory).
    """
    # headings and labels are marked for the catalogs: tables and figures show them translated
    return (
        _categorical("cytogenetic", N_("Cytogenetic risk"), "cytogenetic_risk", (
            ("standard", "standard", N_("standard"), "cytogenetic_standard"),
            ("high", "high", N_("high"), "cytogenetic_high"))),
        _threshold("blasts", N_("Marrow blasts"), "marrow_blasts_pct", BLASTS_CUTOFF_PCT, "%"),
        _categorical("prior_hsct", N_("Prior allo-HSCT"), "prior_allo_hsct", (
            (True, "yes", N_("yes"), "prior_hsct"), (False, "no", N_("no"), "no_prior_hsct"))),
        replace(_threshold("age", N_("Age"), "age", AGE_CUTOFF_YEARS, ""), exploratory=True),
        replace(_categorical("ph", N_("Ph status"), "ph_status", (
            ("negative", "negative", "Ph−", "ph_negative"),
            ("positive", "positive", "Ph+", "ph_positive"))), exploratory=True),
        replace(_categorical("sex", N_("Sex"), "sex", (
            ("F", "female", N_("female"), "sex_female"), ("M", "male", N_("male"), "sex_male"))),
            exploratory=True),
    )


def subgroup(code: str) -> Subgroup:
    """The subgroup named ``code`` (e.g. ``"blasts"``).

    Raises
    ------
    KeyError
        If no subgroup has that code (the message lists the known ones).
    """
    for sg in subgroups():
        if sg.code == code:
            return sg
    raise KeyError(f"unknown subgroup {code!r}; known: {', '.join(s.code for s in subgroups())}")
