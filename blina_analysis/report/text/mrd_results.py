"""The MRD+ chapter: response and survival of the MRD group, by response."""

from __future__ import annotations

from blina_analysis.analyses import Analysis
from blina_analysis.definitions import TWO_YEARS_DAYS
from blina_analysis.errors import NoInformation
from blina_analysis.report import fmt
from blina_analysis.report.text import _survival
from blina_analysis.report.text.reasons import chapter_without_results, empty_population, explain
from blina_analysis.report.text._say import counted, of_them, or_reason, sentences
from blina_analysis.report.text.rr_results import (
    hazard_ratio_clause,
    mrd_breakdown,
    not_yet_assessed,
    pending_sentence,
)
from blina_analysis.report.text.edition import BuildFacts

__all__ = ["values", "response", "responders_text", "survival_text", "hsct_censored_text"]

_TWO = TWO_YEARS_DAYS


def response(an: Analysis) -> str:
    """``"17/23 (74%; 95% CI 52–90%)"``: response in the MRD group."""
    an.require("mrd")
    if an.n_pending("mrd", "mrd_response") == an.n("mrd"):
        raise NoInformation("none_assessed_for_response", pop="mrd")
    mrd = an.mrd_response
    return (f"{fmt.n_of(mrd.n, mrd.N)} ({fmt.rate_ci(mrd, an.conf_level)}"
            f"{not_yet_assessed(an, 'mrd', 'mrd_response')})")


def overview(an: Analysis) -> str:
    n = an.n("mrd")
    if n == 0:
        return chapter_without_results("mrd")
    who = "patient who was" if n == 1 else "patients who were"
    return (f"Response and survival of the {fmt.number(n)} {who} in haematological remission "
            "with measurable residual disease.")


def survival_text(an: Analysis) -> str:
    """2-year OS and DFS of the MRD+ group from day 1, and RFS of its responders from response."""
    an.require("mrd")
    cohort = _survival.endpoints_at(
        an, "mrd", ("OS", "DFS"), _TWO,
        "In the MRD+ group, counted from day 1 of blinatumomab, 2-year OS was {0} and 2-year "
        "DFS {1} (in remission from day 1, DFS is the group's EFS).",
        "In the MRD+ group, 2-year OS and DFS, counted from day 1 of blinatumomab, were {na}.")
    n = an.n("mrd_responders")
    if n == 0:
        return sentences(cohort, empty_population("mrd_responders"))
    who = counted(n, "MRD responder", "MRD responders")
    return sentences(cohort, _survival.endpoints_at(
        an, "mrd_responders", ("RFS",), _TWO,
        f"Counted from the response, the 2-year relapse-free survival (RFS) of the {who} was "
        "{0}.",
        f"Counted from the response, the 2-year relapse-free survival (RFS) of the {who} was "
        "{na}."))


def hsct_censored_text(an: Analysis) -> str:
    """Sensitivity: DFS of the MRD+ group, an allo-HSCT after blinatumomab censoring."""
    an.require("mrd")
    n = int(an.patients("mrd")["hsct_after_bc"].sum())
    if n == 0:
        return ("No MRD+ patient was transplanted after blinatumomab, so censoring at "
                "transplant changes nothing.")
    return _survival.endpoints_at(
        an, "mrd", ("DFS_HSCT", "DFS"), _TWO,
        "As a sensitivity analysis, with an allo-HSCT after blinatumomab censoring the time ("
        f"{counted(n, 'patient', 'patients')} transplanted), 2-year DFS of the MRD+ group was "
        "{0}, against {1} without censoring.",
        "As a sensitivity analysis, with an allo-HSCT after blinatumomab censoring the time, "
        "2-year DFS of the MRD+ group was {na}.")


def response_text(an: Analysis) -> str:
    """MRD negativity in the MRD+ group, the other MRD results, and those pending."""
    an.require("mrd")
    rate = or_reason(lambda: (
        f"MRD negativity after blinatumomab was reached by {response(an)} patients "
        f"({mrd_breakdown(an, 'mrd')}; MRD not assessed is its own category and counts as no "
        "response)."))
    return sentences(rate, pending_sentence(an, "mrd", "mrd_response",
                                            ("MRD+ patient", "MRD+ patients")))


def by_response_text(an: Analysis) -> str:
    """Survival by MRD response without guarantee-time bias: Mantel–Byar and landmark."""
    an.require("mrd")
    n_resp, n_non = an.n("mrd_responders"), an.n("mrd_non_responders")
    counts = (f"MRD response ({counted(n_resp, 'responder', 'responders', 'no responder')}, "
              f"{counted(n_non, 'non-responder', 'non-responders', 'no non-responder')}) is "
              "observed after "
              "time zero, so responders are not compared with non-responders from the start of "
              "blinatumomab (that would credit responders with the time before their response).")

    def hazard_ratios():
        clauses = []
        for endpoint, events in (("DFS", ("relapse or death", "relapses or deaths",
                                          "no relapse or death")),
                                 ("OS", ("death", "deaths", "no death"))):
            try:
                clauses.append(f"{hazard_ratio_clause(an, 'mrd', endpoint, events)} for "
                               f"{endpoint}")
            except NoInformation as exc:
                reason = explain(exc)
        if not clauses:
            return reason
        return ("With MRD response as a time-dependent state (each patient counted as "
                "MRD-positive until the day of MRD negativity), the hazard ratio of the "
                "MRD-negative state against the MRD-positive one (time-dependent Cox model) was "
                f"{' and '.join(clauses)}.")

    return sentences(counts, hazard_ratios(), or_reason(lambda: _landmark_sentence(an)))


def _landmark_sentence(an: Analysis) -> str:
    lm = _survival.response_landmark(an, "mrd", "DFS", days=_TWO)  # NoInformation: nobody
    head = (f"At a landmark on day {_survival.response_landmark_days()}, the response "
            f"assessment, {counted(lm.n_at_risk, 'patient was', 'patients were')} alive, in "
            "remission and in follow-up, "
            f"{of_them(lm.n_responders, 'MRD-negative', 'MRD-negative')} by then")
    return f"{head}; 2 years after the landmark {_survival.by_group(lm, 'DFS', an.conf_level)}."


def responders_text(an: Analysis) -> str:
    """2-year RFS of all responders of both cohorts from response, with CIR and NRM on the
    same origin (1 − RFS = CIR + NRM)."""
    an.require("responders")
    n = an.n("responders")
    where = "Across both cohorts" if an.n("rr") and an.n("mrd") else "In this dataset"
    who = counted(n, "responder", "responders")
    rfs = _survival.estimate(an.km("responders", "RFS").at(_TWO), _TWO, an.conf_level)
    if rfs.startswith(fmt.NOT_ESTIMABLE):
        return f"{where}, the 2-year RFS of the {who}, counted from the response, was {rfs}."
    cir, nrm = _survival.incidences_at(an, "responders", _TWO)
    return (f"{where}, counted from the response, the 2-year RFS of the {who} was {rfs}; the "
            f"cumulative incidence of relapse was {cir} and of non-relapse mortality {nrm} "
            "(relapse and death without relapse, on the same origin, add up to 1 − RFS). Their "
            "OS and DFS counted from day 1, the paper's figures, are in the concordance chapter.")


def values(an: Analysis, build: BuildFacts) -> dict[str, str]:
    return {
        "mrd_by_response_text": or_reason(lambda: by_response_text(an)),
        "mrd_overview": overview(an),
        "mrd_response_text": or_reason(lambda: response_text(an)),
        "mrd_survival_text": or_reason(lambda: survival_text(an)),
        "mrd_hsct_censored_text": or_reason(lambda: hsct_censored_text(an)),
        "responders_text": or_reason(lambda: responders_text(an)),
    }
