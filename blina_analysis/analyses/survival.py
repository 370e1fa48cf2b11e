"""Survival: Kaplan–Meier of the cohort endpoints from the start of blinatumomab and of the
responders' endpoints from response, follow-up and its completeness, survival by response (a
time-dependent state, never a baseline group) and cumulative incidence with competing risks."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from blina_analysis import stats
from blina_analysis.definitions import (
    ENDPOINTS,
    LOST_TO_FOLLOWUP_DAYS,
    POPULATIONS,
    RESPONSE_LANDMARK_DAYS,
)
from blina_analysis.derive import derive_tte
from blina_analysis.errors import NoInformation
from blina_analysis.i18n import N_

__all__ = ["SurvivalAnalyses", "RESPONSE_LANDMARK_LABELS", "FollowUpCompleteness"]

#: Groups of the landmark at the response assessment: no response (yet) and responders.
RESPONSE_LANDMARK_LABELS = {0: N_("no response by the landmark"),
                            1: N_("responders by the landmark")}


@dataclass(frozen=True)
class FollowUpCompleteness:
    """How complete the follow-up is, up to the data cut-off.

    Attributes
    ----------
    n : int
        Patients.
    n_alive : int
        Patients alive at last contact (the median follow-up rests on them).
    n_lost : int
        Of them, lost to follow-up: last contact more than
        :data:`~blina_analysis.definitions.LOST_TO_FOLLOWUP_DAYS` before the cut-off.
    completeness : float
        Clark's C (:func:`~blina_analysis.stats.followup_completeness`); NaN when the potential
        follow-up is 0.
    first_start, last_start : tuple of int
        (year, month) of the first and the last start of blinatumomab: the accrual period, to
        the month only (a day would be an individual date).
    """

    n: int
    n_alive: int
    n_lost: int
    completeness: float
    first_start: tuple[int, int]
    last_start: tuple[int, int]


class SurvivalAnalyses:
    """Time-to-event analyses: the cohort endpoints from the start of blinatumomab (day 1), the
    responders' endpoints from response (the origin of each is its endpoint's)."""

    def tte(self, pop: str, endpoint: str) -> pd.DataFrame:
        """Time-to-event rows of ``endpoint`` for population ``pop``."""
        return self._cached(("tte", pop, endpoint),
                            lambda: derive_tte(self.patients(pop), endpoint))

    def km(self, pop: str, endpoint: str, label: str | None = None) -> stats.SurvivalCurve:
        """Kaplan–Meier curve of ``endpoint`` (``OS`` or ``DFS``) in population ``pop``."""
        if ENDPOINTS[endpoint].competing:
            raise ValueError(f"{endpoint} has a competing event: use cumulative_incidence, "
                             "not 1 - Kaplan-Meier")
        label = label or POPULATIONS[pop].name
        self.require(pop)

        def compute():
            t = self.tte(pop, endpoint)
            return stats.kaplan_meier(t["time_days"].to_numpy(), t["event"].to_numpy(),
                                      conf_level=self.conf_level, label=label)
        return self._cached(("km", pop, endpoint, label), compute)

    def km_at(self, pop: str, endpoint: str, days: float) -> stats.Estimate:
        """:meth:`km` read at ``days``; :class:`~blina_analysis.errors.NoInformation` if the
        population is empty or its curve ends (censored) before ``days``."""
        estimate = self.km(pop, endpoint).at(days)
        if math.isnan(estimate.estimate):
            raise NoInformation("not_followed_long_enough", pop=pop, days=float(days))
        return estimate

    def km_curves(self, spec: dict[str, tuple[str, str]]) -> dict:
        """``{name: km(pop, endpoint)}`` for ``spec = {name: (pop, endpoint)}``; an empty
        population gives its :class:`~blina_analysis.errors.NoInformation` instead of a curve."""
        out = {}
        for name, (pop, endpoint) in spec.items():
            try:
                out[name] = self.km(pop, endpoint)
            except NoInformation as exc:
                out[name] = exc
        return out

    def followup(self, pop: str = "all") -> stats.Median:
        """Median follow-up by reverse Kaplan–Meier (censoring of overall survival reversed).

        Raises :class:`~blina_analysis.errors.NoInformation` when the population is empty or
        the median is not reached (too few patients alive at last contact).
        """
        median = self.followup_summary(pop).median
        if not median.reached:
            alive = int((self.tte(pop, "OS")["event"] == 0).sum())
            raise NoInformation("followup_everyone_died" if alive == 0
                                else "followup_too_few_alive", pop=pop)
        return median

    def followup_summary(self, pop: str = "all") -> stats.FollowUp:
        """Median follow-up (reverse Kaplan–Meier) and the range of follow-up of the patients
        alive at last contact. Raises :class:`~blina_analysis.errors.NoInformation` when the
        population is empty."""
        self.require(pop)

        def compute():
            t = self.tte(pop, "OS")
            return stats.followup_summary(t["time_days"].to_numpy(), t["event"].to_numpy(),
                                          conf_level=self.conf_level)
        return self._cached(("followup", pop), compute)

    def followup_completeness(self, pop: str = "all") -> FollowUpCompleteness:
        """Completeness of follow-up up to the data cut-off (Clark's C), the patients lost to
        follow-up and the accrual period. Raises :class:`~blina_analysis.errors.NoInformation`
        when the population is empty."""
        self.require(pop)

        def compute():
            sub = self.patients(pop)
            cutoff = self.dataset.meta.cutoff_date
            start = sub["bc_start_date"]
            observed = self.tte(pop, "OS")["time_days"].to_numpy()
            dead = sub["death"].astype(bool).to_numpy()
            to_cutoff = (cutoff - start).dt.days.to_numpy(dtype=float)
            potential = np.where(dead, observed, to_cutoff)
            alive = ~dead
            since_contact = (cutoff - sub["last_followup_date"]).dt.days.to_numpy(dtype=float)
            first, last = start.min(), start.max()
            return FollowUpCompleteness(
                n=len(sub), n_alive=int(alive.sum()),
                n_lost=int((alive & (since_contact > LOST_TO_FOLLOWUP_DAYS)).sum()),
                completeness=stats.followup_completeness(observed, potential),
                first_start=(int(first.year), int(first.month)),
                last_start=(int(last.year), int(last.month)))
        return self._cached(("followup_completeness", pop), compute)

    def by_response(self, pop: str, endpoint: str):
        """``(time, event, response_time)`` of ``pop`` from the start of blinatumomab, with the
        day of response as a time-dependent exposure (NaN for non-responders)."""
        self.require(pop)
        sub = self.patients(pop)
        t = self.tte(pop, endpoint)
        response = np.where(sub["responder"].to_numpy(), sub["days_to_response"].to_numpy(),
                            np.nan)
        return t["time_days"].to_numpy(), t["event"].to_numpy(), response

    def response_landmark(self, pop: str, endpoint: str) -> stats.LandmarkResult:
        """Landmark at the response assessment (``RESPONSE_LANDMARK_DAYS`` from the start):
        patients still in follow-up then, by response by then, followed from the landmark.

        Raises :class:`~blina_analysis.errors.NoInformation` when the population is empty or
        nobody is still in follow-up at the landmark.
        """
        def compute():
            time, event, response = self.by_response(pop, endpoint)
            if not (time > RESPONSE_LANDMARK_DAYS).any():
                raise NoInformation("nobody_at_response_landmark", pop=pop,
                                    days=float(RESPONSE_LANDMARK_DAYS))
            return stats.landmark(time, event, response,
                                  landmark=RESPONSE_LANDMARK_DAYS, conf_level=self.conf_level,
                                  labels=RESPONSE_LANDMARK_LABELS)
        return self._cached(("response_landmark", pop, endpoint), compute)

    def response_mantel_byar(self, pop: str, endpoint: str) -> stats.TestResult:
        """Mantel–Byar test of ``endpoint`` with response as a time-dependent state, from the
        start of blinatumomab (non-responders until the day of response, responders after).

        Raises :class:`~blina_analysis.errors.NoInformation` when the test has no information
        (empty population, no event, or no event while both states were at risk).
        """
        def compute():
            time, event, response = self.by_response(pop, endpoint)
            if not np.asarray(event).any():
                raise NoInformation("no_event_to_compare_by_response", pop=pop,
                                    endpoint=endpoint)
            if np.isnan(response).all():
                raise NoInformation("no_responder_to_compare", pop=pop)
            test = stats.mantel_byar(time, event, response)
            if math.isnan(test.p_value):
                raise NoInformation("no_event_while_both_response_states_at_risk",
                                    endpoint=endpoint)
            return test
        return self._cached(("response_mantel_byar", pop, endpoint), compute)

    def cumulative_incidence(self, pop: str = "responders") -> dict[str, object]:
        """Relapse and non-relapse mortality (competing) in population ``pop`` of responders,
        from response (the origin of CIR): 1 − RFS = CIR + NRM at every time."""
        self.require(pop)

        def compute():
            t = self.tte(pop, "CIR")
            time, event = t["time_days"].to_numpy(), t["event"].to_numpy()
            return {
                "relapse": stats.cumulative_incidence(time, event, cause=1, label=N_("relapse"),
                                                      conf_level=self.conf_level),
                "non-relapse mortality": stats.cumulative_incidence(
                    time, event, cause=2, label=N_("non-relapse mortality"),
                    conf_level=self.conf_level),
            }
        return self._cached(("cif", pop), compute)
