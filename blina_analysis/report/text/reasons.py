"""Why a result is missing, in the reader's words.

The analyses raise :class:`~blina_analysis.errors.NoInformation` with a code and the facts it
needs (a population, an endpoint, a subgroup); this module is the one place those codes become
sentences. Each sentence is a whole template keyed by its code, with named fields only, so that a
translation can order its words freely: nothing here is sliced or told apart by its punctuation.
"""

from __future__ import annotations

from blina_analysis.definitions import POPULATIONS, subgroup
from blina_analysis.errors import NoInformation

__all__ = ["explain", "empty_population", "chapter_without_results", "REASONS"]

#: Membership of a population, as a sentence says it: "No patient of this dataset was <...>."
_MEMBERSHIP = {"all": "treated", "rr": "in the R/R group", "mrd": "in the MRD+ group",
               "consolidation_hsct": "transplanted in remission after blinatumomab"}
#: Who of a population, after "No patient": "No patient <...> has been assessed yet."
_OF = {"all": "of this dataset", "rr": "of the R/R group",
       "rr_responders": "among the R/R responders", "mrd": "of the MRD+ group"}
#: What counts as an event of each endpoint, as a verb ("No responder <...>") and as a noun.
_EVENT_VERB = {"OS": "died", "DFS": "relapsed or died", "CIR": "relapsed or died",
               "EFS": "failed treatment, relapsed or died", "RFS": "relapsed or died",
               "relapse": "relapsed", "NRM": "died without relapse"}
_EVENT_NOUN = {"OS": "death", "DFS": "relapse or death", "CIR": "relapse or death",
               "EFS": "treatment failure, relapse or death", "RFS": "relapse or death",
               "relapse": "relapse", "NRM": "death without relapse"}

#: The sentence of every code, with its named fields (filled by :func:`explain`).
REASONS = {
    "empty_population": "No patient of this dataset was {membership}.",
    "chapter_without_results": "No patient of this dataset was {membership}, so this chapter "
                               "has no results.",
    "none_assessed": "No patient {of} has been assessed yet.",
    "none_assessed_for_response": "No patient {of} has been assessed for response yet.",
    "no_comparable_subgroup": "No subgroup variable has two known values in the {population} of "
                              "this dataset, so response cannot be compared by subgroup.",
    "subgroup_unknown": "{heading} is unknown for every {member} of this dataset.",
    "subgroup_single_value": "{heading} takes a single value among the {member}s of this "
                             "dataset, so response cannot be compared by it.",
    "subgroup_level_empty": "No patient had {heading_lower} {level}.",
    "not_followed_long_enough": "No patient {membership} was followed long enough for "
                                "this estimate.",
    "followup_everyone_died": "Median follow-up cannot be estimated by the reverse Kaplan–Meier "
                              "method: every patient died.",
    "followup_too_few_alive": "Median follow-up cannot be estimated by the reverse Kaplan–Meier "
                              "method: too few patients were alive at last contact.",
    "nobody_at_response_landmark": "No patient {membership_or_of} was still in follow-up at the "
                                   "response landmark, so the landmark analysis has no "
                                   "information.",
    "no_event_to_compare_by_response": "No patient {membership_or_of} {event_verb}, so survival "
                                       "cannot be compared by response.",
    "no_responder_to_compare": "No patient {membership_or_of} responded, so survival cannot be "
                               "compared by response.",
    "median_not_reached": "The median is not reached: the curve of the {population} stays "
                          "above 50%.",
    "comparison_not_tested": "The comparison has too few patients or events in the "
                             "{population} of this dataset for a test.",
    "hazard_ratio_by_response_not_estimable": "Every event of the {population} fell in one "
                                              "response state, so the hazard ratio by response "
                                              "cannot be estimated.",
    "no_responder_to_time": "No patient {membership_or_of} responded, so there is no time to "
                            "response and no duration of response.",
    "no_event_while_both_response_states_at_risk":
        "No {event_noun} happened while both responders and patients without response were at "
        "risk, so the Mantel–Byar test has no information.",
    "no_transplant": "No responder was transplanted after blinatumomab, so the transplant "
                     "analyses have no information.",
    "no_consolidation_transplant": "No responder was transplanted in continuous remission after "
                                   "blinatumomab (every transplant followed a relapse), so the "
                                   "transplant analyses have no information.",
    "too_few_for_transplant_test":
        "Transplant is not tested for {event_noun}: a test needs at least {min_patients} "
        "responders transplanted in remission and {min_patients} never transplanted, and "
        "{min_events} events (here {n_exposed}, {n_other} and {n_events}).",
    "primary_not_estimable": "The primary model cannot be estimated from these data.",
    "ph_test_not_estimable": "The proportional-hazards test of the primary model cannot be "
                             "computed from these data.",
    "interaction_not_estimable": "The transplant × cohort interaction cannot be estimated from "
                                 "these data.",
    "interval_not_estimable": "The confidence interval of this estimate cannot be computed.",
    "all_transplanted": "Every responder was transplanted after blinatumomab, so there is no "
                        "untransplanted group to compare with.",
    "nobody_at_transplant_landmark": "No responder was still in follow-up at the landmark, so the "
                                     "landmark analysis has no information.",
    "no_event_while_both_transplant_states_at_risk":
        "No {event_noun} of a responder happened while both transplanted and untransplanted "
        "responders were at risk, so the Mantel–Byar test has no information.",
    "no_event_among_responders": "No responder {event_verb}, so the transplant analyses have no "
                                 "information.",
    "hazard_ratio_no_information":
        "No {event_noun} of a responder happened while both transplanted and untransplanted "
        "responders were at risk, so the hazard ratio of transplant cannot be estimated.",
    "hazard_ratio_infinite":
        "Every {event_noun} of a responder happened after transplant or while no transplanted "
        "responder was at risk, so the hazard ratio of transplant is infinite and cannot be "
        "estimated.",
    "hazard_ratio_zero":
        "Every {event_noun} of a responder happened before transplant or while no "
        "untransplanted responder was at risk, so the hazard ratio of transplant is zero and "
        "cannot be estimated.",
    "interval_at_the_edge": "The estimate is 0% or 100%, where the log-log confidence interval "
                            "is not defined (no event, or no survivor, to estimate it from).",
    "no_adverse_events": "No adverse event was recorded in this dataset.",
    "ae_cycle_not_recorded": "The cycle in which each adverse event began is not recorded in "
                             "this dataset, so adverse events cannot be shown by cycle.",
    "ae_attribution_not_recorded": "The attribution of adverse events to blinatumomab is not "
                                   "recorded in this dataset.",
    "no_potential_followup": "Every patient started blinatumomab on the day of the data "
                             "cut-off, so the completeness of follow-up cannot be computed.",
}


def _fields(params: dict) -> dict[str, str]:
    """The words a template may use, from the facts of a :class:`NoInformation`."""
    out: dict[str, str] = {}
    pop = params.get("pop")
    if pop is not None:
        name = POPULATIONS[pop].name
        out.update(membership=_MEMBERSHIP.get(pop, f"among the {name}"),
                   membership_or_of=_MEMBERSHIP.get(pop, "of the population"),
                   of=_OF.get(pop, "of the population"), population=name,
                   member="R/R patient" if pop.startswith("rr") else "patient")
    endpoint = params.get("endpoint")
    if endpoint is not None:
        out.update(event_verb=_EVENT_VERB[endpoint], event_noun=_EVENT_NOUN[endpoint])
    if "n_exposed" in params:
        from blina_analysis.definitions import MIN_EVENTS_FOR_TEST, MIN_PATIENTS_FOR_TEST
        out.update(min_patients=str(MIN_PATIENTS_FOR_TEST), min_events=str(MIN_EVENTS_FOR_TEST),
                   n_exposed=str(params["n_exposed"]), n_other=str(params["n_other"]),
                   n_events=str(params["n_events"]))
    code = params.get("subgroup")
    if code is not None:
        sg = subgroup(code)
        out.update(heading=sg.heading, heading_lower=sg.heading.lower())
        if params.get("level") is not None:
            out["level"] = sg.level(params["level"]).label
    return out


def explain(exc: NoInformation) -> str:
    """The sentence that says why ``exc``'s result is missing."""
    try:
        template = REASONS[exc.code]
    except KeyError:
        raise KeyError(f"no explanation for the reason code {exc.code!r}; add it to "
                       "blina_analysis.report.text.reasons.REASONS") from None
    return template.format(**_fields(exc.params))


def empty_population(pop: str) -> str:
    """``"No patient of this dataset was in the MRD+ group."``"""
    return explain(NoInformation("empty_population", pop=pop))


def chapter_without_results(pop: str) -> str:
    """``"No patient of this dataset was in the MRD+ group, so this chapter has no results."``"""
    return explain(NoInformation("chapter_without_results", pop=pop))
