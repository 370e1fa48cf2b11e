"""Why a result is missing, in the reader's words.

The analyses raise :class:`~blina_analysis.errors.NoInformation` with a code and the facts it
needs (a population, an endpoint, a subgroup); this module is the one place those codes become
sentences. Each sentence is a whole template keyed by its code, with named fields only, so that a
translation can order its words freely: nothing here is sliced or told apart by its punctuation.
Templates and the words they take are messages of the catalogs, looked up when a sentence is made
(each field's words with a context naming the slot they fill).
"""

from __future__ import annotations

import re

from blina_analysis.definitions import POPULATIONS, subgroup
from blina_analysis.errors import NoInformation
from blina_analysis.i18n import N_, _, pgettext

__all__ = ["explain", "empty_population", "chapter_without_results", "in_sentence", "REASONS"]

# The words a template takes, each a message with the slot it fills as its context (a
# translation may need a case or a leading comma there); built when looked up, in the current
# language.

def _membership() -> dict[str, str]:
    """Membership of a population, as a sentence says it: "No patient of this dataset was <...>."
    """
    return {"all": pgettext("reason: no patient of this dataset was …", "treated"),
            "rr": pgettext("reason: no patient of this dataset was …", "in the R/R group"),
            "mrd": pgettext("reason: no patient of this dataset was …", "in the MRD+ group"),
            "consolidation_hsct": pgettext("reason: no patient of this dataset was …",
                                           "transplanted in remission after blinatumomab")}


def _among() -> dict[str, str]:
    """Membership of the responders' populations, after "No patient of this dataset was": the
    English of "among the {population}", as words of their own for a language that says
    responders better than it names a population."""
    return {"responders": pgettext("reason: no patient of this dataset was …",
                                   "among the responders"),
            "rr_responders": pgettext("reason: no patient of this dataset was …",
                                      "among the R/R responders"),
            "mrd_responders": pgettext("reason: no patient of this dataset was …",
                                       "among the MRD responders")}


def _of() -> dict[str, str]:
    """Who of a population, after "No patient": "No patient <...> has been assessed yet."."""
    return {"all": pgettext("reason: no patient …", "of this dataset"),
            "rr": pgettext("reason: no patient …", "of the R/R group"),
            "rr_responders": pgettext("reason: no patient …", "among the R/R responders"),
            "mrd": pgettext("reason: no patient …", "of the MRD+ group")}


def _event_verb() -> dict[str, str]:
    """What counts as an event of each endpoint, as a verb: "No responder <...>"."""
    relapsed_or_died = pgettext("reason: no patient … (event as a verb)", "relapsed or died")
    return {"OS": pgettext("reason: no patient … (event as a verb)", "died"),
            "DFS": relapsed_or_died, "CIR": relapsed_or_died, "RFS": relapsed_or_died,
            "EFS": pgettext("reason: no patient … (event as a verb)",
                            "failed treatment, relapsed or died"),
            "relapse": pgettext("reason: no patient … (event as a verb)", "relapsed"),
            "NRM": pgettext("reason: no patient … (event as a verb)", "died without relapse")}


def _event_noun() -> dict[str, str]:
    """What counts as an event of each endpoint, as a noun: "No <...> happened"."""
    relapse_or_death = pgettext("reason: event as a noun", "relapse or death")
    return {"OS": pgettext("reason: event as a noun", "death"),
            "DFS": relapse_or_death, "CIR": relapse_or_death, "RFS": relapse_or_death,
            "EFS": pgettext("reason: event as a noun", "treatment failure, relapse or death"),
            "relapse": pgettext("reason: event as a noun", "relapse"),
            "NRM": pgettext("reason: event as a noun", "death without relapse")}


def _population_name(pop: str) -> str:
    """The name of a population (:data:`~blina_analysis.definitions.POPULATIONS`) in the current
    language."""
    names = {
        "all": pgettext("population", "all patients"),
        "rr": pgettext("population", "R/R group"),
        "mrd": pgettext("population", "MRD+ group"),
        "responders": pgettext("population", "responders"),
        "rr_responders": pgettext("population", "R/R responders"),
        "mrd_responders": pgettext("population", "MRD responders"),
        "rr_non_responders": pgettext("population", "R/R non-responders"),
        "mrd_non_responders": pgettext("population", "MRD non-responders"),
        "rr_assessed": pgettext("population", "R/R, response assessed"),
        "mrd_assessed": pgettext("population", "MRD+, response assessed"),
        "consolidation_hsct": pgettext("population", "transplanted in remission"),
        "rr_prior_hsct": pgettext("population", "R/R after a prior allo-HSCT"),
        "rr_no_prior_hsct": pgettext("population", "R/R without a prior allo-HSCT"),
    }
    return names.get(pop, POPULATIONS[pop].name)


def _subgroup_words(code: str, level: str | None) -> tuple[str, str | None]:
    """A subgroup's heading and one level's label in the current language, the catalog messages
    :func:`~blina_analysis.definitions.subgroups` declares (the words of its table and plot)."""
    sg = subgroup(code)
    if level is None:
        return _(sg.heading), None
    return _(sg.heading), _(sg.level(level).label)


def in_sentence(heading: str) -> str:
    """A subgroup's heading as it reads inside a sentence: its first letter in lower case
    ("marrow blasts", "prior allo-HSCT", «аллоТГСК в анамнезе»), but a symbol of one or two
    letters that opens it kept as it is ("Ph status", «Ph-статус»)."""
    first = re.match(r"\w+", heading)
    if first is not None and len(first.group()) <= 2:
        return heading
    return heading[:1].lower() + heading[1:]


#: The sentence of every code, with its named fields (filled by :func:`explain`); each is a
#: message of the catalogs, translated when explained.
REASONS = {
    "empty_population": N_("No patient of this dataset was {membership}."),
    "chapter_without_results": N_("No patient of this dataset was {membership}, so this chapter "
                               "has no results."),
    "none_assessed": N_("No patient {of} has been assessed yet."),
    "none_assessed_for_response": N_("No patient {of} has been assessed for response yet."),
    "no_comparable_subgroup": N_("No subgroup variable has two known values in the {population} of "
                              "this dataset, so response cannot be compared by subgroup."),
    "subgroup_unknown": N_("{heading} is unknown for every {member} of this dataset."),
    "subgroup_single_value": N_("{heading} takes a single value among the {member}s of this "
                             "dataset, so response cannot be compared by it."),
    "subgroup_level_empty": N_("No patient had {heading_lower} {level}."),
    "not_followed_long_enough": N_("No patient {membership} was followed long enough for "
                                "this estimate."),
    "followup_everyone_died": N_("Median follow-up cannot be estimated by the reverse Kaplan–Meier "
                              "method: every patient died."),
    "followup_too_few_alive": N_("Median follow-up cannot be estimated by the reverse Kaplan–Meier "
                              "method: too few patients were alive at last contact."),
    "nobody_at_response_landmark": N_("No patient {membership_or_of} was still in follow-up at the "
                                   "response landmark, so the landmark analysis has no "
                                   "information."),
    "no_event_to_compare_by_response": N_("No patient {membership_or_of} {event_verb}, so survival "
                                       "cannot be compared by response."),
    "no_responder_to_compare": N_("No patient {membership_or_of} responded, so survival cannot be "
                               "compared by response."),
    "median_not_reached": N_("The median is not reached: the curve of the {population} stays "
                          "above 50%."),
    "comparison_not_tested": N_("The comparison has too few patients or events in the "
                             "{population} of this dataset for a test."),
    "hazard_ratio_by_response_not_estimable": N_("Every event of the {population} fell in one "
                                              "response state, so the hazard ratio by response "
                                              "cannot be estimated."),
    "no_responder_to_time": N_("No patient {membership_or_of} responded, so there is no time to "
                            "response and no duration of response."),
    "no_event_while_both_response_states_at_risk":
        N_("No {event_noun} happened while both responders and patients without response were at "
        "risk, so the Mantel–Byar test has no information."),
    "no_transplant": N_("No responder was transplanted after blinatumomab, so the transplant "
                     "analyses have no information."),
    "no_consolidation_transplant": N_("No responder was transplanted in continuous remission after "
                                   "blinatumomab (every transplant followed a relapse), so the "
                                   "transplant analyses have no information."),
    "too_few_for_transplant_test":
        N_("Transplant is not tested for {event_noun}: a test needs at least {min_patients} "
        "responders transplanted in remission and {min_patients} never transplanted, and "
        "{min_events} events (here {n_exposed}, {n_other} and {n_events})."),
    "primary_not_estimable": N_("The primary model cannot be estimated from these data."),
    "ph_test_not_estimable": N_("The proportional-hazards test of the primary model cannot be "
                             "computed from these data."),
    "interaction_not_estimable": N_("The transplant × cohort interaction cannot be estimated from "
                                 "these data."),
    "interval_not_estimable": N_("The confidence interval of this estimate cannot be computed."),
    "all_transplanted": N_("Every responder was transplanted after blinatumomab, so there is no "
                        "untransplanted group to compare with."),
    "nobody_at_transplant_landmark": N_("No responder was still in follow-up at the landmark, so the "
                                     "landmark analysis has no information."),
    "no_event_while_both_transplant_states_at_risk":
        N_("No {event_noun} of a responder happened while both transplanted and untransplanted "
        "responders were at risk, so the Mantel–Byar test has no information."),
    "no_event_among_responders": N_("No responder {event_verb}, so the transplant analyses have no "
                                 "information."),
    "hazard_ratio_no_information":
        N_("No {event_noun} of a responder happened while both transplanted and untransplanted "
        "responders were at risk, so the hazard ratio of transplant cannot be estimated."),
    "hazard_ratio_infinite":
        N_("Every {event_noun} of a responder happened after transplant or while no transplanted "
        "responder was at risk, so the hazard ratio of transplant is infinite and cannot be "
        "estimated."),
    "hazard_ratio_zero":
        N_("Every {event_noun} of a responder happened before transplant or while no "
        "untransplanted responder was at risk, so the hazard ratio of transplant is zero and "
        "cannot be estimated."),
    "interval_at_the_edge": N_("The estimate is 0% or 100%, where the log-log confidence interval "
                            "is not defined (no event, or no survivor, to estimate it from)."),
    "no_adverse_events": N_("No adverse event was recorded in this dataset."),
    "ae_cycle_not_recorded": N_("The cycle in which each adverse event began is not recorded in "
                             "this dataset, so adverse events cannot be shown by cycle."),
    "ae_attribution_not_recorded": N_("The attribution of adverse events to blinatumomab is not "
                                   "recorded in this dataset."),
    "no_potential_followup": N_("Every patient started blinatumomab on the day of the data "
                             "cut-off, so the completeness of follow-up cannot be computed."),
}


def _fields(params: dict) -> dict[str, str]:
    """The words a template may use, from the facts of a :class:`NoInformation`, in the current
    language."""
    out: dict[str, str] = {}
    pop = params.get("pop")
    if pop is not None:
        name = _population_name(pop)
        # TRANSLATORS: fills "No patient of this dataset was {membership}." for a population
        # without words of its own ({population} is its name)
        among = pgettext("reason: no patient of this dataset was …",
                         "among the {population}").format(population=name)
        of_population = pgettext("reason: no patient …", "of the population")
        out.update(membership=_membership().get(pop) or _among().get(pop, among),
                   membership_or_of=_membership().get(pop, of_population),
                   of=_of().get(pop, of_population), population=name,
                   member=(pgettext("reason: every … of this dataset", "R/R patient")
                           if pop.startswith("rr") else
                           pgettext("reason: every … of this dataset", "patient")),
                   # the plural, for a translation that cannot add an "s"
                   members=(pgettext("reason: among the … of this dataset", "R/R patients")
                            if pop.startswith("rr") else
                            pgettext("reason: among the … of this dataset", "patients")))
    endpoint = params.get("endpoint")
    if endpoint is not None:
        out.update(event_verb=_event_verb()[endpoint], event_noun=_event_noun()[endpoint])
    if "n_exposed" in params:
        from blina_analysis.definitions import MIN_EVENTS_FOR_TEST, MIN_PATIENTS_FOR_TEST
        out.update(min_patients=str(MIN_PATIENTS_FOR_TEST), min_events=str(MIN_EVENTS_FOR_TEST),
                   n_exposed=str(params["n_exposed"]), n_other=str(params["n_other"]),
                   n_events=str(params["n_events"]))
    code = params.get("subgroup")
    if code is not None:
        heading, level = _subgroup_words(code, params.get("level"))
        out.update(heading=heading, heading_lower=in_sentence(heading))
        if level is not None:
            out["level"] = level
    return out


def explain(exc: NoInformation) -> str:
    """The sentence that says why ``exc``'s result is missing."""
    try:
        template = REASONS[exc.code]
    except KeyError:
        raise KeyError(f"no explanation for the reason code {exc.code!r}; add it to "
                       "blina_analysis.report.text.reasons.REASONS") from None
    return _(template).format(**_fields(exc.params))


def empty_population(pop: str) -> str:
    """``"No patient of this dataset was in the MRD+ group."``"""
    return explain(NoInformation("empty_population", pop=pop))


def chapter_without_results(pop: str) -> str:
    """``"No patient of this dataset was in the MRD+ group, so this chapter has no results."``"""
    return explain(NoInformation("chapter_without_results", pop=pop))
