"""The registry of results: every result the book reports, declared once.

One :class:`Result` per result of ``results.json``: its key, what it means, its unit, the
population it is about, the function that computes it from an
:class:`~blina_analysis.analyses.core.Analysis`, the result that is its denominator, and the
label readers see. Everything that lists results reads this registry — ``results.json`` and its
JSON Schema (:mod:`blina_analysis.analyses.results`), the concordance with the paper
(:mod:`blina_analysis.analyses.concordance`), ``blina diff`` and the changes since an earlier
edition (:mod:`blina_analysis.publish.diff`). Adding a result is one entry here and, if no
function below computes it yet, that function.

The registry is built anew at each call of :func:`entries`, as the subgroups of
:func:`blina_analysis.definitions.subgroups` are: a changed cut-off changes the subgroup results'
keys and labels everywhere at once.

A compute function returns a plain ``int`` or ``float`` (``None`` for a NaN or infinite value),
or raises :class:`~blina_analysis.errors.NoInformation` with the reason when the data cannot give
the result. Rates are unrounded fractions 0–1.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Callable

from blina_analysis.definitions import (
    ENDPOINTS,
    LOST_TO_FOLLOWUP_MONTHS,
    TWO_YEARS_DAYS,
    subgroups,
)
from blina_analysis.errors import NoInformation

if TYPE_CHECKING:  # pragma: no cover - annotations only
    from blina_analysis.analyses.core import Analysis
    from blina_analysis.stats import Proportion

__all__ = ["Result", "UNITS", "entries", "result", "result_label", "subgroup_result_key"]

#: The units a result may have: a number of patients, a proportion 0–1 (a rate, a survival
#: estimate, a confidence limit), a duration in days, an age in years.
UNITS = ("patients", "proportion", "days", "years")


@dataclass(frozen=True)
class Result:
    """One reported result, declared once.

    Attributes
    ----------
    key : str
        Its key in ``results.json`` (snake_case, unit in the name where it is not patients).
    label : str
        What readers see wherever the result is listed (the concordance chapter, the changes
        since an earlier edition, ``blina diff``); unique, in plain words.
    meaning : str
        What the number is, in one sentence (the description in the JSON Schema).
    unit : str
        One of :data:`UNITS`.
    population : str
        The population it is about: a key of :data:`blina_analysis.definitions.POPULATIONS`.
    compute : Callable[[Analysis], int | float | None]
        Computes it from an analysis; raises :class:`~blina_analysis.errors.NoInformation`
        when the data cannot give it.
    denominator : str or None
        The key of the result that counts this result's denominator (a count's percent or a
        rate's N), or None when it has none in the registry.
    """

    key: str
    label: str
    meaning: str
    unit: str
    population: str
    compute: Callable[["Analysis"], object]
    denominator: str | None = None


# --- how results are computed ------------------------------------------------------------------

_HEMATOLOGIC = "hematologic_response"
_MRD = "mrd_response"


def _num(x) -> float | None:
    """A plain float, or None for NaN/inf (JSON has neither)."""
    if x is None:
        return None
    x = float(x)
    return None if math.isnan(x) or math.isinf(x) else x


def _patients(an: "Analysis", pop: str) -> int:
    """Patients in population ``pop``."""
    return an.n(pop)


def _all_patients(an: "Analysis") -> int:
    """Every treated patient (empty dataset: 0, not NoInformation)."""
    return len(an.adsl)


def _prior_hsct(an: "Analysis") -> int:
    """Patients given blinatumomab after an earlier allo-HSCT."""
    return int(an.adsl["prior_allo_hsct"].sum())


def _age(an: "Analysis", extreme: str) -> int:
    """The youngest (``extreme="min"``) or oldest (``"max"``) patient's age, in years."""
    an.require("all")
    return int(getattr(an.adsl["age"], extreme)())


def _share(an: "Analysis", pop: str, proportion: Callable[["Analysis"], "Proportion"]) -> float:
    """The rate of ``proportion(an)``; NoInformation if population ``pop`` is empty or nobody in
    it has been assessed yet (the denominator of a response rate)."""
    an.require(pop)
    p = proportion(an)
    if not p.N:
        raise NoInformation("none_assessed", pop=pop)
    return _num(p.rate)


def _numerator(an: "Analysis", proportion: Callable[["Analysis"], "Proportion"]) -> int:
    """The patients counted by ``proportion(an)`` (its n)."""
    return proportion(an).n


def _rr_response(an: "Analysis") -> "Proportion":
    return an.rr_response


def _rr_mrd_negativity(an: "Analysis") -> "Proportion":
    return an.rr_mrd_negativity


def _mrd_response(an: "Analysis") -> "Proportion":
    return an.mrd_response


def _grade34(an: "Analysis") -> "Proportion":
    return an.grade34()


def _grade3plus(an: "Analysis") -> "Proportion":
    return an.grade3plus()


def _grade5(an: "Analysis") -> "Proportion":
    return an.worst_grade_share(5, 5)


def _flag(an: "Analysis", column: str) -> "Proportion":
    """Patients of the whole dataset whose yes/no ``column`` is yes."""
    return an.proportion("all", column)


def _category(an: "Analysis", pop: str, column: str, code: str) -> "Proportion":
    """One response category among the patients of ``pop`` assessed for ``column``."""
    return an.response_rate(pop, column, code)


def _in_category(an: "Analysis", pop: str, column: str, code: str) -> int:
    """Patients of ``pop`` in response category ``code`` of ``column`` (``pending`` too)."""
    return int(an.response_table(pop, column).set_index("code").at[code, "n"])


def _rr_response_limit(an: "Analysis", limit: str) -> float:
    """A limit (``ci_low``/``ci_high``) of the exact CI of the R/R response rate."""
    _share(an, "rr", _rr_response)  # NoInformation when nobody was assessed
    return _num(getattr(an.rr_response, limit))


def _rr_responders_mrd_assessed(an: "Analysis") -> int:
    """R/R responders assessed for MRD: the denominator of MRD negativity."""
    return an.rr_mrd_negativity.N


def _two_year(an: "Analysis", pop: str, endpoint: str) -> float:
    """Kaplan–Meier estimate of ``endpoint`` at 2 years in ``pop``."""
    return _num(an.km_at(pop, endpoint, TWO_YEARS_DAYS).estimate)


def _crude_relapse(an: "Analysis", group: str) -> float:
    """Share of responders who relapsed, ``group`` "transplanted" after blinatumomab or not."""
    an.require_transplant_groups()
    return _num(an.crude_relapse_by_transplant()[group].rate)


def _median_followup_days(an: "Analysis") -> int:
    """Median follow-up by reverse Kaplan–Meier, whole days."""
    return int(an.followup().time)


def _subgroup_rate(an: "Analysis", subgroup_code: str, level_code: str) -> float:
    """CR/CRh in one level of a subgroup of the R/R patients assessed."""
    return _num(an.subgroup_rate(subgroup_code, level_code).rate)


# --- the registry ---------------------------------------------------------------------------------

def subgroup_result_key(level) -> str:
    """The ``results.json`` key of the R/R response rate in one subgroup level (a
    :class:`~blina_analysis.definitions.SubgroupLevel`): ``rr_response_rate_<level.key>``."""
    return f"rr_response_rate_{level.key}"


def _of_all_treated(key: str, label: str, what: str,
                    proportion: Callable[["Analysis"], "Proportion"]) -> tuple[Result, Result]:
    """``<key>_n`` and ``<key>_rate`` of a proportion of all treated patients, labelled
    ``<label>, patients`` and ``<label>, rate``; ``what`` says who is counted ("with ...")."""
    return (
        Result(f"{key}_n", f"{label}, patients", f"Treated patients {what}.", "patients", "all",
               partial(_numerator, proportion=proportion), "n_total"),
        Result(f"{key}_rate", f"{label}, rate", f"Share of all treated patients {what}.",
               "proportion", "all", partial(_share, pop="all", proportion=proportion), "n_total"),
    )


def _head() -> tuple[Result, ...]:
    return (
        Result("n_total", "Patients, all", "Patients treated with blinatumomab.",
               "patients", "all", _all_patients),
        Result("n_mrd", "Patients, MRD+ group",
               "Patients of the MRD+ group (MRD-positive in haematological remission).",
               "patients", "mrd", partial(_patients, pop="mrd"), "n_total"),
        Result("n_rr", "Patients, R/R group",
               "Patients of the R/R group (relapsed or refractory B-ALL).",
               "patients", "rr", partial(_patients, pop="rr"), "n_total"),
        Result("n_prior_hsct", "Patients with a prior allo-HSCT",
               "Patients given blinatumomab after an earlier allo-HSCT.",
               "patients", "all", _prior_hsct, "n_total"),
        Result("rr_response_n", "R/R: CR/CRh, patients",
               "R/R patients with CR or CRh (the paper's response).",
               "patients", "rr_assessed", partial(_numerator, proportion=_rr_response),
               "n_rr_assessed"),
        Result("rr_response_rate", "R/R: CR/CRh rate",
               "Share of the R/R patients assessed for response with CR or CRh.",
               "proportion", "rr_assessed", partial(_share, pop="rr", proportion=_rr_response),
               "n_rr_assessed"),
        Result("rr_response_ci_low", "R/R: CR/CRh rate, lower 95% limit",
               "Lower limit of the exact (Clopper–Pearson) 95% CI of the R/R CR/CRh rate.",
               "proportion", "rr_assessed", partial(_rr_response_limit, limit="ci_low")),
        Result("rr_response_ci_high", "R/R: CR/CRh rate, upper 95% limit",
               "Upper limit of the exact (Clopper–Pearson) 95% CI of the R/R CR/CRh rate.",
               "proportion", "rr_assessed", partial(_rr_response_limit, limit="ci_high")),
        Result("rr_mrdneg_n", "R/R responders: MRD-negative, patients",
               "R/R responders (CR/CRh) who became MRD-negative.",
               "patients", "rr_responders", partial(_numerator, proportion=_rr_mrd_negativity),
               "n_rr_responders_mrd_assessed"),
        Result("rr_mrdneg_rate", "R/R responders: MRD-negative rate",
               "Share of the R/R responders assessed for MRD who became MRD-negative "
               "(MRD not assessed counts as not negative).",
               "proportion", "rr_responders",
               partial(_share, pop="rr_responders", proportion=_rr_mrd_negativity),
               "n_rr_responders_mrd_assessed"),
        Result("mrd_response_n", "MRD+: MRD response, patients",
               "Patients of the MRD+ group who became MRD-negative.",
               "patients", "mrd_assessed", partial(_numerator, proportion=_mrd_response),
               "n_mrd_assessed"),
        Result("mrd_response_rate", "MRD+: MRD response rate",
               "Share of the MRD+ group assessed for response who became MRD-negative.",
               "proportion", "mrd_assessed", partial(_share, pop="mrd", proportion=_mrd_response),
               "n_mrd_assessed"),
    )


def _subgroup_rates() -> tuple[Result, ...]:
    return tuple(
        Result(subgroup_result_key(lv), f"R/R: CR/CRh rate, {sg.heading}: {lv.label}",
               f"Share of the R/R patients assessed for response with CR or CRh, among those "
               f"whose {sg.heading.lower()} is {lv.label}.",
               "proportion", "rr_assessed",
               partial(_subgroup_rate, subgroup_code=sg.code, level_code=lv.code))
        for sg in subgroups() for lv in sg.levels)


#: How each endpoint is named in a result's meaning, and the origin its label states.
_ENDPOINT_WORDS = {
    "OS": ("overall survival", "OS"), "EFS": ("event-free survival", "EFS"),
    "DFS": ("disease-free survival", "DFS"), "RFS": ("relapse-free survival", "RFS"),
    "RFS_HSCT": ("relapse-free survival censored at allo-HSCT after blinatumomab",
                 "RFS censored at allo-HSCT"),
    "DFS_HSCT": ("disease-free survival censored at allo-HSCT after blinatumomab",
                 "DFS censored at allo-HSCT"),
}
_ORIGIN_WORDS = {"bc_start_date": "from the start of blinatumomab",
                 "response_date": "from response"}


def _survival(key: str, label: str, pop: str, endpoint: str, who: str) -> Result:
    name, short = _ENDPOINT_WORDS[endpoint]
    origin = _ORIGIN_WORDS[ENDPOINTS[endpoint].origin]
    return Result(key, f"{label}: 2-year {short} {origin}",
                  f"Kaplan–Meier estimate of {name} at 2 years {origin}, {who}.",
                  "proportion", pop, partial(_two_year, pop=pop, endpoint=endpoint))


def _incidence_two_year(an: "Analysis", cause: str) -> float:
    """Cumulative incidence of ``cause`` (``"relapse"``, ``"non-relapse mortality"``) among
    responders at 2 years from response; NoInformation when not followed that long."""
    an.require("responders")
    estimate = an.cumulative_incidence("responders")[cause].at(TWO_YEARS_DAYS)
    if math.isnan(estimate.estimate):
        raise NoInformation("not_followed_long_enough", pop="responders",
                            days=float(TWO_YEARS_DAYS))
    return _num(estimate.estimate)


def _completeness(an: "Analysis", field: str):
    """A field of the follow-up completeness of all patients (Clark's C, counts)."""
    value = getattr(an.followup_completeness("all"), field)
    if field == "completeness":
        if math.isnan(value):
            raise NoInformation("no_potential_followup")
        return _num(value)
    return int(value)


def _endpoints() -> tuple[Result, ...]:
    """The cohort endpoints from day 1, the responders' from response, the follow-up."""
    return (
        _survival("os_2y", "All treated", "all", "OS", "all treated patients"),
        _survival("efs_2y", "All treated", "all", "EFS",
                  "all treated patients (no CR/CRh in the R/R group is an event on day 1)"),
        _survival("rr_os_2y", "R/R", "rr", "OS", "R/R group"),
        _survival("rr_efs_2y", "R/R", "rr", "EFS",
                  "R/R group (no CR/CRh is an event on day 1)"),
        _survival("responders_rfs_2y", "Responders", "responders", "RFS", "responders"),
        _survival("rr_responders_rfs_2y", "R/R responders", "rr_responders", "RFS",
                  "R/R responders"),
        _survival("mrd_responders_rfs_2y", "MRD responders", "mrd_responders", "RFS",
                  "MRD responders"),
        Result("responders_cir_2y", "Responders: 2-year CIR from response",
               "Cumulative incidence of relapse at 2 years from response among responders, "
               "non-relapse mortality competing.", "proportion", "responders",
               partial(_incidence_two_year, cause="relapse")),
        Result("responders_nrm_2y", "Responders: 2-year NRM from response",
               "Cumulative incidence of non-relapse mortality at 2 years from response among "
               "responders, relapse competing.", "proportion", "responders",
               partial(_incidence_two_year, cause="non-relapse mortality")),
        _survival("rr_prior_hsct_os_2y", "R/R after a prior allo-HSCT", "rr_prior_hsct", "OS",
                  "R/R patients given blinatumomab after an earlier allo-HSCT"),
        _survival("rr_no_prior_hsct_os_2y", "R/R without a prior allo-HSCT", "rr_no_prior_hsct",
                  "OS", "R/R patients without an earlier allo-HSCT"),
        _survival("rr_responders_rfs_censor_hsct_2y", "R/R responders", "rr_responders",
                  "RFS_HSCT", "R/R responders (sensitivity analysis)"),
        _survival("mrd_dfs_censor_hsct_2y", "MRD+", "mrd", "DFS_HSCT",
                  "MRD+ group (sensitivity analysis)"),
        Result("followup_completeness", "Completeness of follow-up (Clark's C)",
               "Observed person-time over the person-time potentially observable up to the data "
               "cut-off (death ends it), all patients.", "proportion", "all",
               partial(_completeness, field="completeness")),
        Result("n_alive_at_last_contact", "Patients alive at last contact",
               "Patients alive at last contact: those the median follow-up rests on.",
               "patients", "all", partial(_completeness, field="n_alive"), "n_total"),
        Result("n_lost_to_followup", "Patients lost to follow-up",
               f"Patients alive whose last contact is more than {LOST_TO_FOLLOWUP_MONTHS} months "
               "before the data cut-off.",
               "patients", "all", partial(_completeness, field="n_lost"), "n_total"),
    )


def _tail() -> tuple[Result, ...]:
    hem, mrd = _HEMATOLOGIC, _MRD
    return (
        _survival("responders_os_2y", "Responders", "responders", "OS", "responders"),
        _survival("responders_dfs_2y", "Responders", "responders", "DFS", "responders"),
        _survival("rr_responders_os_2y", "R/R responders", "rr_responders", "OS",
                  "R/R responders"),
        _survival("rr_responders_dfs_2y", "R/R responders", "rr_responders", "DFS",
                  "R/R responders"),
        _survival("mrd_os_2y", "MRD+", "mrd", "OS", "MRD+ group"),
        _survival("mrd_dfs_2y", "MRD+", "mrd", "DFS", "MRD+ group"),
        Result("responders_relapse_rate_hsct_after",
               "Responders: relapse with allo-HSCT after blinatumomab",
               "Crude share of the responders transplanted after blinatumomab who relapsed "
               "(the paper's figure; ignores when the transplant happened).",
               "proportion", "responders", partial(_crude_relapse, group="transplanted")),
        Result("responders_relapse_rate_no_hsct_after",
               "Responders: relapse without allo-HSCT after blinatumomab",
               "Crude share of the responders not transplanted after blinatumomab who "
               "relapsed (the paper's figure).",
               "proportion", "responders", partial(_crude_relapse, group="not transplanted")),
        *_of_all_treated("ae_grade34", "Grade 3–4 adverse events",
                         "with an adverse event of grade 3 or 4", _grade34),
        *_of_all_treated("bc_interrupted", "Blinatumomab interrupted",
                         "whose blinatumomab infusion was interrupted",
                         partial(_flag, column="bc_interrupted")),
        *_of_all_treated("bc_stopped_early", "Blinatumomab stopped early",
                         "whose blinatumomab was stopped early",
                         partial(_flag, column="bc_stopped_early")),
        Result("median_followup_days", "Median follow-up (reverse Kaplan–Meier), days",
               "Median follow-up of all patients by reverse Kaplan–Meier (death censors).",
               "days", "all", _median_followup_days),
        Result("n_rr_assessed", "R/R: response assessed, patients",
               "R/R patients whose response has been assessed: the denominator of response.",
               "patients", "rr_assessed", partial(_patients, pop="rr_assessed"), "n_rr"),
        Result("n_rr_pending", "R/R: response not yet assessed, patients",
               "R/R patients whose response is not yet assessed (in no denominator).",
               "patients", "rr", partial(_in_category, pop="rr", column=hem, code="pending"),
               "n_rr"),
        Result("rr_cr_n", "R/R: CR, patients", "R/R patients with complete remission (CR).",
               "patients", "rr_assessed",
               partial(_numerator, proportion=partial(_category, pop="rr", column=hem,
                                                      code="CR")),
               "n_rr_assessed"),
        Result("rr_cr_rate", "R/R: CR rate",
               "Share of the R/R patients assessed for response with CR.",
               "proportion", "rr_assessed",
               partial(_share, pop="rr",
                       proportion=partial(_category, pop="rr", column=hem, code="CR")),
               "n_rr_assessed"),
        Result("rr_crh_n", "R/R: CRh, patients",
               "R/R patients with CR with partial haematological recovery (CRh).",
               "patients", "rr_assessed",
               partial(_numerator, proportion=partial(_category, pop="rr", column=hem,
                                                      code="CRh")),
               "n_rr_assessed"),
        Result("rr_crh_rate", "R/R: CRh rate",
               "Share of the R/R patients assessed for response with CRh.",
               "proportion", "rr_assessed",
               partial(_share, pop="rr",
                       proportion=partial(_category, pop="rr", column=hem, code="CRh")),
               "n_rr_assessed"),
        Result("rr_nr_n", "R/R: no response, patients",
               "R/R patients assessed without response (NR).",
               "patients", "rr_assessed", partial(_in_category, pop="rr", column=hem, code="NR"),
               "n_rr_assessed"),
        Result("rr_ne_n", "R/R: response not evaluable, patients",
               "R/R patients whose response could not be evaluated (NE).",
               "patients", "rr_assessed", partial(_in_category, pop="rr", column=hem, code="NE"),
               "n_rr_assessed"),
        Result("n_rr_responders_mrd_assessed", "R/R responders: MRD assessed, patients",
               "R/R responders whose MRD assessment is not pending (MRD not assessed counts "
               "as not negative): the denominator of MRD negativity.",
               "patients", "rr_responders", _rr_responders_mrd_assessed, "rr_response_n"),
        Result("rr_mrdpos_n", "R/R responders: MRD-positive, patients",
               "R/R responders who stayed MRD-positive.",
               "patients", "rr_responders",
               partial(_in_category, pop="rr_responders", column=mrd, code="positive"),
               "n_rr_responders_mrd_assessed"),
        Result("rr_mrd_not_assessed_n", "R/R responders: MRD not assessed, patients",
               "R/R responders whose MRD was not assessed (counted as not negative).",
               "patients", "rr_responders",
               partial(_in_category, pop="rr_responders", column=mrd, code="not assessed"),
               "n_rr_responders_mrd_assessed"),
        Result("rr_mrd_pending_n", "R/R responders: MRD not yet assessed, patients",
               "R/R responders whose MRD is not yet assessed (in no denominator).",
               "patients", "rr_responders",
               partial(_in_category, pop="rr_responders", column=mrd, code="pending"),
               "rr_response_n"),
        Result("n_mrd_assessed", "MRD+: MRD response assessed, patients",
               "MRD+ patients whose MRD response has been assessed: the denominator of "
               "MRD response.",
               "patients", "mrd_assessed", partial(_patients, pop="mrd_assessed"), "n_mrd"),
        Result("n_mrd_pending", "MRD+: MRD response not yet assessed, patients",
               "MRD+ patients whose MRD response is not yet assessed (in no denominator).",
               "patients", "mrd", partial(_in_category, pop="mrd", column=mrd, code="pending"),
               "n_mrd"),
        Result("mrd_mrdpos_n", "MRD+: MRD-positive after blinatumomab, patients",
               "MRD+ patients still MRD-positive after blinatumomab.",
               "patients", "mrd_assessed",
               partial(_in_category, pop="mrd", column=mrd, code="positive"), "n_mrd_assessed"),
        Result("mrd_mrd_not_assessed_n", "MRD+: MRD not assessed, patients",
               "MRD+ patients whose MRD was not assessed after blinatumomab (counted as not "
               "negative).",
               "patients", "mrd_assessed",
               partial(_in_category, pop="mrd", column=mrd, code="not assessed"),
               "n_mrd_assessed"),
        *_of_all_treated("ae_grade3plus", "Grade ≥3 adverse events",
                         "with an adverse event of grade 3 or higher", _grade3plus),
        Result("ae_grade5_n", "Grade 5 adverse events, patients",
               "Patients with a fatal (grade 5) adverse event.",
               "patients", "all", partial(_numerator, proportion=_grade5), "n_total"),
        # not in the paper's headline list; listed last, alphabetically
        Result("age_max", "Age, oldest (years)", "Age of the oldest patient at treatment.",
               "years", "all", partial(_age, extreme="max")),
        Result("age_min", "Age, youngest (years)", "Age of the youngest patient at treatment.",
               "years", "all", partial(_age, extreme="min")),
        Result("n_responders", "Responders, all",
               "Responders of both groups: R/R with CR/CRh, MRD+ with MRD negativity.",
               "patients", "responders", partial(_patients, pop="responders")),
    )


def entries() -> tuple[Result, ...]:
    """Every result, in published order (``blina diff`` and the changes table list them so).

    Built anew at each call, with the subgroups and cut-offs of
    :func:`blina_analysis.definitions.subgroups` in force.
    """
    return (*_head(), *_subgroup_rates(), *_tail(), *_endpoints())


def result(key: str) -> Result:
    """The registry entry of ``key``.

    Raises
    ------
    KeyError
        If no result has that key.
    """
    for entry in entries():
        if entry.key == key:
            return entry
    raise KeyError(f"no result {key!r} in the registry")


def result_label(key: str) -> str:
    """The reader's label of a result key; a key not in the registry (e.g. one of an earlier
    edition's ``results.json``) as itself."""
    try:
        return result(key).label
    except KeyError:
        return key

