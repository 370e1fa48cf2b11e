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

A compute function returns a plain ``int`` or ``float`` (a model's terms: a ``str``), or raises :class:`~blina_analysis.errors.NoInformation` with the reason when the data cannot give
the result. Rates are unrounded fractions 0–1.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING, Callable

from blina_analysis.definitions import (
    ENDPOINTS,
    LANDMARK_SENSITIVITY_DAYS,
    LOST_TO_FOLLOWUP_MONTHS,
    ONE_YEAR_DAYS,
    PRIMARY_COVARIATES,
    TWO_YEARS_DAYS,
    subgroups,
)
from blina_analysis.errors import NoInformation
from blina_analysis.i18n import N_

if TYPE_CHECKING:  # pragma: no cover - annotations only
    from blina_analysis.analyses.core import Analysis
    from blina_analysis.stats import Proportion

__all__ = ["Label", "Result", "UNITS", "entries", "result", "result_label",
           "subgroup_result_key"]

#: The units a result may have: a number of patients, a proportion 0–1 (a rate, a survival
#: estimate, a confidence limit), a duration in days, an age in years, a difference of two
#: proportions (-1 to 1), a ratio (a hazard ratio or its confidence limit), a p-value, and the
#: terms of a model (the codes of its adjustment covariates, space-separated, or ``"none"``).
UNITS = ("patients", "proportion", "days", "years", "difference", "ratio", "p-value", "terms")


def _english(part) -> str:
    """A part of a :class:`Label` in English: a message as written, a number as Python writes
    it."""
    return part if isinstance(part, str) else str(part)


def _label(message: str, parts: dict) -> "Label":
    return Label(message, **parts)


class Label(str):
    """A result's label composed from catalog messages; its value is the English text.

    The English text is what ``results.json``, its JSON Schema and ``blina diff`` show (machine-
    facing, the same in every language). The report layer composes the label in the reader's
    language from ``message`` (a catalog message with named fields, so that a translation may
    reorder them) and ``parts``: each field a
    catalog message, a number, or a nested :class:`Label`. A label that is a single message needs no
    :class:`Label`: it is a plain ``str`` marked with ``N_``.

    >>> str(Label("{who}: 2-year {endpoint}", who="R/R", endpoint="OS"))
    'R/R: 2-year OS'
    """

    message: str
    parts: dict

    def __new__(cls, message: str, **parts) -> "Label":
        self = super().__new__(cls, message.format(**{k: _english(v) for k, v in parts.items()}))
        self.message, self.parts = message, dict(parts)
        return self

    def __reduce__(self):
        return _label, (self.message, self.parts)


@dataclass(frozen=True)
class Result:
    """One reported result, declared once.

    Attributes
    ----------
    key : str
        Its key in ``results.json`` (snake_case, unit in the name where it is not patients).
    label : str
        What readers see wherever the result is listed (the concordance chapter, the changes
        since an earlier edition, ``blina diff``); unique, in plain words, in English. A catalog
        message (marked ``N_``), or a :class:`Label` composed of messages: the report layer
        gives it in the reader's language (:func:`blina_analysis.report.labels.result_label`).
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


def _mrdneg_all_treated(an: "Analysis") -> float:
    """MRD-negative R/R responders among all R/R patients treated."""
    an.require("rr")
    return _num(an.rr_mrd_negativity_all_treated.rate)


def _timing(an: "Analysis", what: str) -> float | int:
    """A figure of :meth:`Analysis.response_timing` of the R/R group."""
    t = an.response_timing("rr")
    if what == "by_landmark_n":
        return int(t.by_landmark.n)
    if what == "by_landmark_rate":
        if not t.by_landmark.N:
            raise NoInformation("none_assessed", pop="rr")
        return _num(t.by_landmark.rate)
    if what == "dor_median_days":
        median = t.duration.median.time
        if math.isinf(median):
            raise NoInformation("median_not_reached", pop="rr_responders")
        return _num(median)
    return _num(getattr(t, what))


def _state(an: "Analysis", pop: str, endpoint: str, what: str) -> float:
    """The hazard ratio (``hr``, ``hr_ci_low``, ``hr_ci_high``) or the Mantel–Byar p-value
    (``p``) of ``endpoint`` by response as a time-dependent state in ``pop``."""
    s = an.response_state(pop, endpoint)
    if s.not_tested is not None:
        raise NoInformation("comparison_not_tested", pop=pop)
    if what == "p":
        return _num(s.mantel_byar.p_value)
    if not s.cox.estimable:
        raise NoInformation("hazard_ratio_by_response_not_estimable", pop=pop)
    return _num(s.cox.table[what].iloc[0])


def _subgroup_head(an: "Analysis", code: str, column: str) -> float:
    """A figure of the first row of subgroup ``code`` (difference, its limits, Holm p)."""
    reason = an.subgroup_reason(code)
    if reason:
        raise reason
    t = an.subgroup_response()
    row = t[t["code"] == code].iloc[0]
    if column == "p_holm" and row["not_tested"] is not None:
        raise NoInformation("comparison_not_tested", pop="rr")
    return _num(row[column])
def _finite(x, reason: str, **params) -> float:
    """``x`` as a plain float, or :class:`NoInformation` ``reason`` when it is NaN or infinite."""
    value = _num(x)
    if value is None:
        raise NoInformation(reason, **params)
    return value


def _exposure(an: "Analysis", field: str) -> int:
    """A count of :meth:`~blina_analysis.analyses.core.Analysis.transplant_exposure`."""
    return getattr(an.transplant_exposure(), field)


def _primary(an: "Analysis", column: str) -> float:
    """A column (``hr``, ``hr_ci_low``, ``hr_ci_high``, ``p_value``) of transplant in the
    primary transplant model."""
    row = an.primary_transplant_model().fit.table.loc["exposed"]
    return _finite(row[column], "primary_not_estimable")


def _primary_events(an: "Analysis") -> int:
    return an.primary_transplant_model().n_events


def _primary_terms(an: "Analysis") -> str:
    """The adjustment covariates of the primary model, codes of ``PRIMARY_COVARIATES``."""
    return " ".join(an.primary_transplant_model().terms) or "none"


def _ph_p(an: "Analysis", row: str) -> float:
    """The proportional-hazards test p of ``row`` (``exposed`` or ``GLOBAL``) of the primary
    model."""
    ph = an.primary_transplant_model().ph
    if ph is None:
        raise NoInformation("ph_test_not_estimable")
    return _finite(ph.loc[row, "p_value"], "ph_test_not_estimable")


def _interaction_p(an: "Analysis") -> float:
    interaction = an.primary_transplant_model().interaction
    if interaction is None:
        raise NoInformation("interaction_not_estimable")
    return _finite(interaction["p_value"], "interaction_not_estimable")


def _days_to_hsct(an: "Analysis", field: str) -> float:
    """A quantile (``q1``, ``median``, ``q3``) of the days from response to a consolidation
    transplant."""
    return _num(getattr(an.time_to_transplant(), field))


def _hsct_by_day(an: "Analysis", day: int) -> int:
    return dict(an.time_to_transplant().by_day)[day]


def _at_landmark(an: "Analysis", field: str) -> int:
    """``n_unexposed`` or ``n_later`` of the time to transplant at the landmark."""
    return getattr(an.time_to_transplant(), field)


def _after_hsct_curve(an: "Analysis", endpoint: str):
    if endpoint in ("OS", "LFS"):
        return an.km_after_transplant(endpoint)
    return an.cif_after_transplant()[{"CIR": "relapse", "NRM": "non-relapse mortality"}[endpoint]]


def _after_hsct(an: "Analysis", endpoint: str, days: float, field: str) -> float:
    """``estimate``, ``ci_low`` or ``ci_high`` of ``endpoint`` (OS, LFS, CIR, NRM) at ``days``
    from the day of a consolidation transplant."""
    reading = _after_hsct_curve(an, endpoint).at(days)
    _finite(reading.estimate, "not_followed_long_enough", pop="consolidation_hsct",
            days=float(days))
    return _finite(getattr(reading, field), "interval_not_estimable")


def _after_hsct_at_risk(an: "Analysis", days: float) -> int:
    """Patients still at risk for LFS (alive, in remission, followed) ``days`` after a
    consolidation transplant."""
    return int(an.km_after_transplant("LFS").number_at_risk([days])[0])


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
        Result(f"{key}_n", Label(N_("{result}, patients"), result=label),
               f"Treated patients {what}.", "patients", "all",
               partial(_numerator, proportion=proportion), "n_total"),
        Result(f"{key}_rate", Label(N_("{result}, rate"), result=label),
               f"Share of all treated patients {what}.",
               "proportion", "all", partial(_share, pop="all", proportion=proportion), "n_total"),
    )


def _head() -> tuple[Result, ...]:
    return (
        Result("n_total", N_("Patients, all"), "Patients treated with blinatumomab.",
               "patients", "all", _all_patients),
        Result("n_mrd", N_("Patients, MRD+ group"),
               "Patients of the MRD+ group (MRD-positive in haematological remission).",
               "patients", "mrd", partial(_patients, pop="mrd"), "n_total"),
        Result("n_rr", N_("Patients, R/R group"),
               "Patients of the R/R group (relapsed or refractory B-ALL).",
               "patients", "rr", partial(_patients, pop="rr"), "n_total"),
        Result("n_prior_hsct", N_("Patients with a prior allo-HSCT"),
               "Patients given blinatumomab after an earlier allo-HSCT.",
               "patients", "all", _prior_hsct, "n_total"),
        Result("rr_response_n", N_("R/R: CR/CRh, patients"),
               "R/R patients with CR or CRh (the paper's response).",
               "patients", "rr_assessed", partial(_numerator, proportion=_rr_response),
               "n_rr_assessed"),
        Result("rr_response_rate", N_("R/R: CR/CRh rate"),
               "Share of the R/R patients assessed for response with CR or CRh.",
               "proportion", "rr_assessed", partial(_share, pop="rr", proportion=_rr_response),
               "n_rr_assessed"),
        Result("rr_response_ci_low", N_("R/R: CR/CRh rate, lower 95% limit"),
               "Lower limit of the exact (Clopper–Pearson) 95% CI of the R/R CR/CRh rate.",
               "proportion", "rr_assessed", partial(_rr_response_limit, limit="ci_low")),
        Result("rr_response_ci_high", N_("R/R: CR/CRh rate, upper 95% limit"),
               "Upper limit of the exact (Clopper–Pearson) 95% CI of the R/R CR/CRh rate.",
               "proportion", "rr_assessed", partial(_rr_response_limit, limit="ci_high")),
        Result("rr_mrdneg_n", N_("R/R responders: MRD-negative, patients"),
               "R/R responders (CR/CRh) who became MRD-negative.",
               "patients", "rr_responders", partial(_numerator, proportion=_rr_mrd_negativity),
               "n_rr_responders_mrd_assessed"),
        Result("rr_mrdneg_rate", N_("R/R responders: MRD-negative rate"),
               "Share of the R/R responders assessed for MRD who became MRD-negative "
               "(MRD not assessed counts as not negative).",
               "proportion", "rr_responders",
               partial(_share, pop="rr_responders", proportion=_rr_mrd_negativity),
               "n_rr_responders_mrd_assessed"),
        Result("mrd_response_n", N_("MRD+: MRD response, patients"),
               "Patients of the MRD+ group who became MRD-negative.",
               "patients", "mrd_assessed", partial(_numerator, proportion=_mrd_response),
               "n_mrd_assessed"),
        Result("mrd_response_rate", N_("MRD+: MRD response rate"),
               "Share of the MRD+ group assessed for response who became MRD-negative.",
               "proportion", "mrd_assessed", partial(_share, pop="mrd", proportion=_mrd_response),
               "n_mrd_assessed"),
    )


def _subgroup_rates() -> tuple[Result, ...]:
    return tuple(
        Result(subgroup_result_key(lv),
               Label(N_("R/R: CR/CRh rate, {subgroup}: {level}"),
                     subgroup=sg.heading, level=lv.label),
               f"Share of the R/R patients assessed for response with CR or CRh, among those "
               f"whose {sg.heading.lower()} is {lv.label}.",
               "proportion", "rr_assessed",
               partial(_subgroup_rate, subgroup_code=sg.code, level_code=lv.code))
        for sg in subgroups() for lv in sg.levels)


def _subgroup_differences() -> tuple[Result, ...]:
    out = []
    for sg in subgroups():
        first, second = sg.levels[0].label, sg.levels[1].label
        what = f"{sg.heading.lower()} {first} minus {second}"
        heading = sg.heading
        for suffix, column, label, meaning in (
                ("", "difference", N_("R/R: CR/CRh difference, {subgroup}"),
                 "Difference of the CR/CRh rates"),
                ("_ci_low", "diff_ci_low",
                 N_("R/R: CR/CRh difference, lower 95% limit, {subgroup}"),
                 "Lower limit of Newcombe's 95% CI of the difference of the CR/CRh rates"),
                ("_ci_high", "diff_ci_high",
                 N_("R/R: CR/CRh difference, upper 95% limit, {subgroup}"),
                 "Upper limit of Newcombe's 95% CI of the difference of the CR/CRh rates")):
            out.append(Result(f"rr_response_difference_{sg.code}{suffix}",
                              Label(label, subgroup=heading),
                              f"{meaning} of the R/R patients assessed, {what}.",
                              "difference", "rr_assessed",
                              partial(_subgroup_head, code=sg.code, column=column)))
        out.append(Result(f"rr_response_p_holm_{sg.code}",
                          Label(N_("R/R: CR/CRh by {subgroup}, Holm-adjusted p"),
                                subgroup=heading),
                          f"Fisher's exact p-value of the CR/CRh rates by {sg.heading.lower()}, "
                          "Holm-adjusted over the subgroup variables tested.",
                          "p-value", "rr_assessed",
                          partial(_subgroup_head, code=sg.code, column="p_holm")))
    return tuple(out)


def _response_extra() -> tuple[Result, ...]:
    out = [
        Result("rr_mrdneg_all_treated_rate", N_("R/R: MRD-negative responders among all treated"),
               "Share of all R/R patients treated who reached CR/CRh and MRD negativity.",
               "proportion", "rr", _mrdneg_all_treated, "n_rr"),
        Result("rr_response_by_day84_n", N_("R/R: CR/CRh within two cycles, patients"),
               "R/R patients with CR/CRh recorded by day 84 (two cycles).",
               "patients", "rr_assessed", partial(_timing, what="by_landmark_n"),
               "n_rr_assessed"),
        Result("rr_response_by_day84_rate", N_("R/R: CR/CRh within two cycles, rate"),
               "Share of the R/R patients assessed with CR/CRh recorded by day 84 (two cycles).",
               "proportion", "rr_assessed", partial(_timing, what="by_landmark_rate"),
               "n_rr_assessed"),
        Result("rr_time_to_response_median_days", N_("R/R: time to response, median (days)"),
               "Median time from the start of blinatumomab to CR/CRh, R/R responders.",
               "days", "rr_responders", partial(_timing, what="median_days")),
        Result("rr_time_to_response_min_days", N_("R/R: time to response, shortest (days)"),
               "Shortest time from the start of blinatumomab to CR/CRh, R/R responders.",
               "days", "rr_responders", partial(_timing, what="min_days")),
        Result("rr_time_to_response_max_days", N_("R/R: time to response, longest (days)"),
               "Longest time from the start of blinatumomab to CR/CRh, R/R responders.",
               "days", "rr_responders", partial(_timing, what="max_days")),
        Result("rr_dor_median_days", N_("R/R: median duration of response (days)"),
               "Kaplan–Meier median duration of response of the R/R responders, from the date "
               "of CR/CRh to relapse or death (censored at last contact).",
               "days", "rr_responders", partial(_timing, what="dor_median_days")),
    ]
    for pop, endpoint, who in (("rr", "OS", "R/R"), ("mrd", "DFS", "MRD+"),
                               ("mrd", "OS", "MRD+")):
        stem = f"{pop}_{endpoint.lower()}_by_response"
        for suffix, what, label, message in (
                ("_hr", "hr", "hazard ratio", N_("{who}: {endpoint} by response, hazard ratio")),
                ("_hr_ci_low", "hr_ci_low", "hazard ratio, lower 95% limit",
                 N_("{who}: {endpoint} by response, hazard ratio, lower 95% limit")),
                ("_hr_ci_high", "hr_ci_high", "hazard ratio, upper 95% limit",
                 N_("{who}: {endpoint} by response, hazard ratio, upper 95% limit")),
                ("_mantel_byar_p", "p", "Mantel–Byar p",
                 N_("{who}: {endpoint} by response, Mantel–Byar p"))):
            out.append(Result(
                f"{stem}{suffix}", Label(message, who=_WHO[who],
                                         endpoint=_ENDPOINT_WORDS[endpoint][1]),
                f"{endpoint} of the {who} group with response as a time-dependent state "
                f"(responded against not yet responded): {label} (time-dependent Cox model, "
                "Wald interval; Mantel–Byar test).",
                "ratio" if what != "p" else "p-value", pop,
                partial(_state, pop=pop, endpoint=endpoint, what=what)))
    return tuple(out)


#: How each endpoint is named in a result's meaning, and the origin its label states.
_ENDPOINT_WORDS = {
    "OS": ("overall survival", N_("OS")), "EFS": ("event-free survival", N_("EFS")),
    "DFS": ("disease-free survival", N_("DFS")), "RFS": ("relapse-free survival", N_("RFS")),
    "RFS_HSCT": ("relapse-free survival censored at allo-HSCT after blinatumomab",
                 N_("RFS censored at allo-HSCT")),
    "DFS_HSCT": ("disease-free survival censored at allo-HSCT after blinatumomab",
                 N_("DFS censored at allo-HSCT")),
}
_ORIGIN_WORDS = {"bc_start_date": N_("from the start of blinatumomab"),
                 "response_date": N_("from response")}
#: Who a label is about (the group its prefix names), as catalog messages.
_WHO = {"R/R": N_("R/R"), "MRD+": N_("MRD+"), "All treated": N_("All treated"),
        "Responders": N_("Responders"), "R/R responders": N_("R/R responders"),
        "MRD responders": N_("MRD responders"),
        "R/R after a prior allo-HSCT": N_("R/R after a prior allo-HSCT"),
        "R/R without a prior allo-HSCT": N_("R/R without a prior allo-HSCT")}


def _survival(key: str, label: str, pop: str, endpoint: str, who: str) -> Result:
    name, short = _ENDPOINT_WORDS[endpoint]
    origin = _ORIGIN_WORDS[ENDPOINTS[endpoint].origin]
    return Result(key, Label(N_("{who}: 2-year {endpoint} {origin}"), who=_WHO[label],
                             endpoint=short, origin=origin),
                  f"Kaplan–Meier estimate of {name} at 2 years {origin}, {who}.",
                  "proportion", pop, partial(_two_year, pop=pop, endpoint=endpoint))


def _two_year_limit(an: "Analysis", pop: str, endpoint: str, limit: str) -> float | None:
    """A limit (``ci_low``/``ci_high``) of the 95% CI of ``endpoint`` at 2 years in ``pop``."""
    value = _num(getattr(an.km_at(pop, endpoint, TWO_YEARS_DAYS), limit))
    if value is None:  # an estimate of 0 or 1: the log-log interval is not defined there
        raise NoInformation("interval_at_the_edge")
    return value


def _survival_limits(key: str, label: str, pop: str, endpoint: str) -> tuple[Result, Result]:
    """``<key>_ci_low`` and ``<key>_ci_high``: the 95% CI of a 2-year estimate (log-log), so
    that later editions can show how the estimate and its precision changed."""
    return tuple(
        Result(f"{key}_{limit}",
               Label(message, who=_WHO[label], endpoint=_ENDPOINT_WORDS[endpoint][1]),
               f"{side.capitalize()} limit of the pointwise 95% CI (log-log) of the 2-year "
               f"Kaplan–Meier estimate of {endpoint}.",
               "proportion", pop, partial(_two_year_limit, pop=pop, endpoint=endpoint,
                                          limit=limit))
        for limit, side, message in (
            ("ci_low", "lower", N_("{who}: 2-year {endpoint}, lower 95% limit")),
            ("ci_high", "upper", N_("{who}: 2-year {endpoint}, upper 95% limit"))))


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
        Result("responders_cir_2y", N_("Responders: 2-year CIR from response"),
               "Cumulative incidence of relapse at 2 years from response among responders, "
               "non-relapse mortality competing.", "proportion", "responders",
               partial(_incidence_two_year, cause="relapse")),
        Result("responders_nrm_2y", N_("Responders: 2-year NRM from response"),
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
        Result("followup_completeness", N_("Completeness of follow-up (Clark's C)"),
               "Observed person-time over the person-time potentially observable up to the data "
               "cut-off (death ends it), all patients.", "proportion", "all",
               partial(_completeness, field="completeness")),
        Result("n_alive_at_last_contact", N_("Patients alive at last contact"),
               "Patients alive at last contact: those the median follow-up rests on.",
               "patients", "all", partial(_completeness, field="n_alive"), "n_total"),
        Result("n_lost_to_followup", N_("Patients lost to follow-up"),
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
        # the intervals of the six 2-year estimates (the history of editions shows them)
        *_survival_limits("responders_os_2y", "Responders", "responders", "OS"),
        *_survival_limits("responders_dfs_2y", "Responders", "responders", "DFS"),
        *_survival_limits("rr_responders_os_2y", "R/R responders", "rr_responders", "OS"),
        *_survival_limits("rr_responders_dfs_2y", "R/R responders", "rr_responders", "DFS"),
        *_survival_limits("mrd_os_2y", "MRD+", "mrd", "OS"),
        *_survival_limits("mrd_dfs_2y", "MRD+", "mrd", "DFS"),
        *_survival_limits("os_2y", "All treated", "all", "OS"),
        *_survival_limits("efs_2y", "All treated", "all", "EFS"),
        *_survival_limits("rr_os_2y", "R/R", "rr", "OS"),
        *_survival_limits("rr_efs_2y", "R/R", "rr", "EFS"),
        *_survival_limits("responders_rfs_2y", "Responders", "responders", "RFS"),
        Result("responders_relapse_rate_hsct_after",
               N_("Responders: relapse with allo-HSCT after blinatumomab"),
               "Crude share of the responders transplanted after blinatumomab who relapsed "
               "(the paper's figure; ignores when the transplant happened).",
               "proportion", "responders", partial(_crude_relapse, group="transplanted")),
        Result("responders_relapse_rate_no_hsct_after",
               N_("Responders: relapse without allo-HSCT after blinatumomab"),
               "Crude share of the responders not transplanted after blinatumomab who "
               "relapsed (the paper's figure).",
               "proportion", "responders", partial(_crude_relapse, group="not transplanted")),
        *_of_all_treated("ae_grade34", N_("Grade 3–4 adverse events"),
                         "with an adverse event of grade 3 or 4", _grade34),
        *_of_all_treated("bc_interrupted", N_("Blinatumomab interrupted"),
                         "whose blinatumomab infusion was interrupted",
                         partial(_flag, column="bc_interrupted")),
        *_of_all_treated("bc_stopped_early", N_("Blinatumomab stopped early"),
                         "whose blinatumomab was stopped early",
                         partial(_flag, column="bc_stopped_early")),
        Result("median_followup_days", N_("Median follow-up (reverse Kaplan–Meier), days"),
               "Median follow-up of all patients by reverse Kaplan–Meier (death censors).",
               "days", "all", _median_followup_days),
        Result("n_rr_assessed", N_("R/R: response assessed, patients"),
               "R/R patients whose response has been assessed: the denominator of response.",
               "patients", "rr_assessed", partial(_patients, pop="rr_assessed"), "n_rr"),
        Result("n_rr_pending", N_("R/R: response not yet assessed, patients"),
               "R/R patients whose response is not yet assessed (in no denominator).",
               "patients", "rr", partial(_in_category, pop="rr", column=hem, code="pending"),
               "n_rr"),
        Result("rr_cr_n", N_("R/R: CR, patients"), "R/R patients with complete remission (CR).",
               "patients", "rr_assessed",
               partial(_numerator, proportion=partial(_category, pop="rr", column=hem,
                                                      code="CR")),
               "n_rr_assessed"),
        Result("rr_cr_rate", N_("R/R: CR rate"),
               "Share of the R/R patients assessed for response with CR.",
               "proportion", "rr_assessed",
               partial(_share, pop="rr",
                       proportion=partial(_category, pop="rr", column=hem, code="CR")),
               "n_rr_assessed"),
        Result("rr_crh_n", N_("R/R: CRh, patients"),
               "R/R patients with CR with partial haematological recovery (CRh).",
               "patients", "rr_assessed",
               partial(_numerator, proportion=partial(_category, pop="rr", column=hem,
                                                      code="CRh")),
               "n_rr_assessed"),
        Result("rr_crh_rate", N_("R/R: CRh rate"),
               "Share of the R/R patients assessed for response with CRh.",
               "proportion", "rr_assessed",
               partial(_share, pop="rr",
                       proportion=partial(_category, pop="rr", column=hem, code="CRh")),
               "n_rr_assessed"),
        Result("rr_nr_n", N_("R/R: no response, patients"),
               "R/R patients assessed without response (NR).",
               "patients", "rr_assessed", partial(_in_category, pop="rr", column=hem, code="NR"),
               "n_rr_assessed"),
        Result("rr_ne_n", N_("R/R: response not evaluable, patients"),
               "R/R patients whose response could not be evaluated (NE).",
               "patients", "rr_assessed", partial(_in_category, pop="rr", column=hem, code="NE"),
               "n_rr_assessed"),
        Result("n_rr_responders_mrd_assessed", N_("R/R responders: MRD assessed, patients"),
               "R/R responders whose MRD assessment is not pending (MRD not assessed counts "
               "as not negative): the denominator of MRD negativity.",
               "patients", "rr_responders", _rr_responders_mrd_assessed, "rr_response_n"),
        Result("rr_mrdpos_n", N_("R/R responders: MRD-positive, patients"),
               "R/R responders who stayed MRD-positive.",
               "patients", "rr_responders",
               partial(_in_category, pop="rr_responders", column=mrd, code="positive"),
               "n_rr_responders_mrd_assessed"),
        Result("rr_mrd_not_assessed_n", N_("R/R responders: MRD not assessed, patients"),
               "R/R responders whose MRD was not assessed (counted as not negative).",
               "patients", "rr_responders",
               partial(_in_category, pop="rr_responders", column=mrd, code="not assessed"),
               "n_rr_responders_mrd_assessed"),
        Result("rr_mrd_pending_n", N_("R/R responders: MRD not yet assessed, patients"),
               "R/R responders whose MRD is not yet assessed (in no denominator).",
               "patients", "rr_responders",
               partial(_in_category, pop="rr_responders", column=mrd, code="pending"),
               "rr_response_n"),
        Result("n_mrd_assessed", N_("MRD+: MRD response assessed, patients"),
               "MRD+ patients whose MRD response has been assessed: the denominator of "
               "MRD response.",
               "patients", "mrd_assessed", partial(_patients, pop="mrd_assessed"), "n_mrd"),
        Result("n_mrd_pending", N_("MRD+: MRD response not yet assessed, patients"),
               "MRD+ patients whose MRD response is not yet assessed (in no denominator).",
               "patients", "mrd", partial(_in_category, pop="mrd", column=mrd, code="pending"),
               "n_mrd"),
        Result("mrd_mrdpos_n", N_("MRD+: MRD-positive after blinatumomab, patients"),
               "MRD+ patients still MRD-positive after blinatumomab.",
               "patients", "mrd_assessed",
               partial(_in_category, pop="mrd", column=mrd, code="positive"), "n_mrd_assessed"),
        Result("mrd_mrd_not_assessed_n", N_("MRD+: MRD not assessed, patients"),
               "MRD+ patients whose MRD was not assessed after blinatumomab (counted as not "
               "negative).",
               "patients", "mrd_assessed",
               partial(_in_category, pop="mrd", column=mrd, code="not assessed"),
               "n_mrd_assessed"),
        *_of_all_treated("ae_grade3plus", N_("Grade ≥3 adverse events"),
                         "with an adverse event of grade 3 or higher", _grade3plus),
        Result("ae_grade5_n", N_("Grade 5 adverse events, patients"),
               "Patients with a fatal (grade 5) adverse event.",
               "patients", "all", partial(_numerator, proportion=_grade5), "n_total"),
        # not in the paper's headline list; listed last, alphabetically
        Result("age_max", N_("Age, oldest (years)"), "Age of the oldest patient at treatment.",
               "years", "all", partial(_age, extreme="max")),
        Result("age_min", N_("Age, youngest (years)"), "Age of the youngest patient at treatment.",
               "years", "all", partial(_age, extreme="min")),
        Result("n_responders", N_("Responders, all"),
               "Responders of both groups: R/R with CR/CRh, MRD+ with MRD negativity.",
               "patients", "responders", partial(_patients, pop="responders")),
    )


_POST_HSCT = (("OS", N_("OS"), "overall survival"),
              ("LFS", N_("LFS"), "leukaemia-free survival (relapse or death)"),
              ("CIR", N_("CIR"),
               "cumulative incidence of relapse (death without relapse competing)"),
              ("NRM", N_("NRM"),
               "cumulative incidence of non-relapse mortality (relapse competing)"))


def _transplant() -> tuple[Result, ...]:
    """The transplant chapter's results (issue 19): the exposure, the primary model, the time
    from response to transplant, and the outcomes from the day of the transplant."""
    pm = "The primary transplant model (relapse-free survival, RFS, from response, consolidation allo-HSCT as a " \
         "time-dependent covariate, stratified by cohort, adjusted as the events allow)"
    covariates = ", ".join(f"{code} ({name})" for code, name in PRIMARY_COVARIATES)
    out = [
        Result("transplant_consolidation_n", N_("Responders: allo-HSCT in remission, patients"),
               "Responders transplanted after blinatumomab in continuous remission "
               "(consolidation: the exposure of the transplant analyses).",
               "patients", "responders", partial(_exposure, field="n_consolidation"),
               "n_responders"),
        Result("transplant_salvage_excluded_n",
               N_("Responders: salvage allo-HSCT after relapse (not the exposure), patients"),
               "Responders transplanted after blinatumomab only after a relapse (salvage), "
               "counted as not transplanted throughout.",
               "patients", "responders", partial(_exposure, field="n_salvage"), "n_responders"),
        Result("transplant_primary_dfs_events", N_("Primary transplant model: RFS events"),
               f"{pm}: its RFS events (relapse or death), which set how many terms it has.",
               "patients", "responders", _primary_events, "n_responders"),
        Result("transplant_primary_dfs_terms", N_("Primary transplant model: adjusted for"),
               f"{pm}: its adjustment covariates besides transplant, space-separated codes of "
               f"{covariates}, or none.",
               "terms", "responders", _primary_terms),
        Result("transplant_primary_dfs_hr", N_("Primary transplant model: hazard ratio"),
               f"{pm}: hazard ratio of RFS, transplanted vs not yet transplanted.",
               "ratio", "responders", partial(_primary, column="hr")),
        Result("transplant_primary_dfs_hr_ci_low",
               N_("Primary transplant model: hazard ratio, lower 95% limit"),
               f"{pm}: lower limit of the 95% CI of the hazard ratio.",
               "ratio", "responders", partial(_primary, column="hr_ci_low")),
        Result("transplant_primary_dfs_hr_ci_high",
               N_("Primary transplant model: hazard ratio, upper 95% limit"),
               f"{pm}: upper limit of the 95% CI of the hazard ratio.",
               "ratio", "responders", partial(_primary, column="hr_ci_high")),
        Result("transplant_primary_dfs_p", N_("Primary transplant model: p-value"),
               f"{pm}: Wald p-value of the hazard ratio of transplant.",
               "p-value", "responders", partial(_primary, column="p_value")),
        Result("transplant_ph_p", N_("Primary transplant model: proportional-hazards test p, "
               "transplant"),
               f"{pm}: p-value of the proportional-hazards test of the transplant term (scaled "
               "Schoenfeld residuals, Kaplan–Meier time transform, as R cox.zph).",
               "p-value", "responders", partial(_ph_p, row="exposed")),
        Result("transplant_ph_global_p", N_("Primary transplant model: proportional-hazards "
               "test p, global"),
               f"{pm}: p-value of the global proportional-hazards test (as R cox.zph).",
               "p-value", "responders", partial(_ph_p, row="GLOBAL")),
        Result("transplant_cohort_interaction_p", N_("Primary transplant model: transplant × "
               "cohort interaction p"),
               f"{pm} with a transplant × R/R cohort term added: Wald p-value of that term.",
               "p-value", "responders", _interaction_p),
        Result("transplant_days_to_hsct_median", N_("Response to allo-HSCT in remission: median "
               "days"),
               "Median days from response to a consolidation allo-HSCT.",
               "days", "consolidation_hsct", partial(_days_to_hsct, field="median")),
        Result("transplant_days_to_hsct_q1", N_("Response to allo-HSCT in remission: lower "
               "quartile of days"),
               "Lower quartile of the days from response to a consolidation allo-HSCT (linear "
               "interpolation, as R's default quantile).",
               "days", "consolidation_hsct", partial(_days_to_hsct, field="q1")),
        Result("transplant_days_to_hsct_q3", N_("Response to allo-HSCT in remission: upper "
               "quartile of days"),
               "Upper quartile of the days from response to a consolidation allo-HSCT (linear "
               "interpolation, as R's default quantile).",
               "days", "consolidation_hsct", partial(_days_to_hsct, field="q3")),
    ]
    out += [Result(f"transplant_hsct_by_day{day}_n",
                   Label(N_("Allo-HSCT in remission by day {day} after response, patients"),
                         day=day),
                   f"Responders transplanted in remission on or before day {day} after response.",
                   "patients", "consolidation_hsct", partial(_hsct_by_day, day=day),
                   "transplant_consolidation_n")
            for day in LANDMARK_SENSITIVITY_DAYS]
    out += [
        Result("transplant_untransplanted_at_landmark_n",
               N_("Responders not yet transplanted at the landmark, patients"),
               "Responders in follow-up and not yet transplanted in remission at the landmark "
               "of the transplant analyses (days after response; 90 by default): the "
               "landmark's untransplanted group.",
               "patients", "responders", partial(_at_landmark, field="n_unexposed"),
               "n_responders"),
        Result("transplant_after_landmark_n",
               N_("Responders transplanted after the landmark, patients"),
               "Responders of the landmark's untransplanted group who were transplanted in "
               "remission later.",
               "patients", "responders", partial(_at_landmark, field="n_later"),
               "transplant_untransplanted_at_landmark_n"),
    ]
    for code, short, name in _POST_HSCT:
        for years, days in ((1, ONE_YEAR_DAYS), (2, TWO_YEARS_DAYS)):
            key = f"transplant_after_hsct_{code.lower()}_{years}y"
            what = f"{name} {years} year{'s' if years > 1 else ''} after a consolidation allo-HSCT"
            estimator = "Kaplan–Meier" if code in ("OS", "LFS") else "Aalen–Johansen"
            label = dict(years=years, endpoint=short)  # the fields of the three labels
            estimate_label = Label(N_("After allo-HSCT in remission: {years}-year {endpoint}"),
                                   **label)
            out += [
                Result(key, estimate_label, f"{estimator} estimate of {what}, from the day of the "
                       "transplant.",
                       "proportion", "consolidation_hsct",
                       partial(_after_hsct, endpoint=code, days=days, field="estimate")),
                Result(f"{key}_ci_low", Label(N_("After allo-HSCT in remission: {years}-year "
                                                 "{endpoint}, lower 95% limit"), **label),
                       f"Lower limit of the 95% CI (log-log) of the {what}.",
                       "proportion", "consolidation_hsct",
                       partial(_after_hsct, endpoint=code, days=days, field="ci_low")),
                Result(f"{key}_ci_high", Label(N_("After allo-HSCT in remission: {years}-year "
                                                  "{endpoint}, upper 95% limit"), **label),
                       f"Upper limit of the 95% CI (log-log) of the {what}.",
                       "proportion", "consolidation_hsct",
                       partial(_after_hsct, endpoint=code, days=days, field="ci_high")),
            ]
    out += [Result(f"transplant_after_hsct_at_risk_{years}y_n",
                   # two messages, not a count-dependent one: N_ marks one string; the
                   # translation words it for any number of years
                   Label(N_("After allo-HSCT in remission: at risk at {years} year, patients")
                         if years == 1 else
                         N_("After allo-HSCT in remission: at risk at {years} years, patients"),
                         years=years),
                   f"Patients transplanted in remission still at risk {years} "
                   f"year{'s' if years > 1 else ''} after the transplant (alive, in remission "
                   "and followed).",
                   "patients", "consolidation_hsct", partial(_after_hsct_at_risk, days=days),
                   "transplant_consolidation_n")
            for years, days in ((1, ONE_YEAR_DAYS), (2, TWO_YEARS_DAYS))]
    return tuple(out)


def _deaths(an: "Analysis", measure: str) -> int:
    """Treated patients who died (``measure`` a row of :meth:`Analysis.deaths_table`)."""
    table = an.deaths_table().set_index("measure")
    return int(table.loc[measure, "all_n"])


def _ae_grade3plus_in(an: "Analysis", group: str) -> int:
    """Patients of cohort ``group`` with an adverse event of grade ≥3 (0 without events)."""
    return an.grade3plus_in(group).n


def _safety() -> tuple[Result, ...]:
    """Deaths and adverse events by cohort (issue 19 §4), after the paper's results."""
    return (
        Result("deaths_n", N_("Deaths, any time"), "Treated patients who died before the cut-off "
               "(any cause).", "patients", "all", partial(_deaths, measure="died"), "n_total"),
        Result("deaths_on_treatment_n", N_("Deaths on treatment"),
               "Treated patients who died within the infusion of their last cycle (day ≤ "
               "(cycles − 1) × 42 + 28 from the start).", "patients", "all",
               partial(_deaths, measure="on_treatment"), "n_total"),
        Result("deaths_30d_n", N_("Deaths within 30 days of the start"),
               "Treated patients who died on or before day 30 from the start of blinatumomab.",
               "patients", "all", partial(_deaths, measure="within_30d"), "n_total"),
        Result("deaths_60d_n", N_("Deaths within 60 days of the start"),
               "Treated patients who died on or before day 60 from the start of blinatumomab.",
               "patients", "all", partial(_deaths, measure="within_60d"), "n_total"),
        Result("ae_grade3plus_mrd_n", N_("MRD+: grade ≥3 adverse events, patients"),
               "MRD+ patients with an adverse event of grade 3 or higher.", "patients", "mrd",
               partial(_ae_grade3plus_in, group="MRD"), "n_mrd"),
        Result("ae_grade3plus_rr_n", N_("R/R: grade ≥3 adverse events, patients"),
               "R/R patients with an adverse event of grade 3 or higher.", "patients", "rr",
               partial(_ae_grade3plus_in, group="RR"), "n_rr"),
    )


def entries() -> tuple[Result, ...]:
    """Every result, in published order (``blina diff`` and the changes table list them so).

    Built anew at each call, with the subgroups and cut-offs of
    :func:`blina_analysis.definitions.subgroups` in force.
    """
    return (*_head(), *_subgroup_rates(), *_tail(), *_endpoints(), *_response_extra(),
            *_subgroup_differences(), *_transplant(), *_safety())


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

