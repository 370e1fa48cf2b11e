"""The front page: the structured abstract, every number from this build."""

from __future__ import annotations

from blina_analysis.analyses import Analysis
from blina_analysis.definitions import TWO_YEARS_DAYS
from blina_analysis.report import fmt
from blina_analysis.report.text import _survival, compare, edition, methods, mrd_results
from blina_analysis.report.text import rr_results
from blina_analysis.report.text import safety, transplant
from blina_analysis.report.text._say import or_reason, sentences
from blina_analysis.report.text.reasons import empty_population
from blina_analysis.report.text.edition import BuildFacts

__all__ = ["values", "tumour_burden", "after_prior_hsct"]

_TWO = TWO_YEARS_DAYS


def _rr_text(an: Analysis) -> str:
    """Response in the R/R group, MRD negativity of its responders, and response by subgroup."""
    an.require("rr")
    text = f"In the R/R group, complete remission (CR/CRh) was achieved in {rr_results.response(an)}"
    if an.n("rr_responders"):
        text += f", with MRD negativity in {rr_results.mrd_negativity(an)} of them"
    clauses, _ = rr_results.subgroup_clauses(an, rate=rr_results.subgroup_rate)
    return sentences(f"{text}.", f"The CR/CRh rate was {'; '.join(clauses)}." if clauses else None)


def _cohort_survival(an: Analysis) -> str:
    """2-year OS and EFS of all treated patients, from day 1."""
    n = an.n("all")
    who = "the 1 treated patient" if n == 1 else f"all {fmt.number(n)} treated patients"
    return _survival.endpoints_at(
        an, "all", ("OS", "EFS"), _TWO,
        f"Among {who}, counted from day 1 of blinatumomab, 2-year overall survival (OS) was "
        "{0} and event-free survival (EFS; no CR/CRh in the R/R group counts as an event on day 1) "
        "{1}.",
        f"Among {who}, 2-year overall survival (OS) and event-free survival (EFS), counted from "
        "day 1 of blinatumomab, were {na}.")


def _group_survival(an: Analysis) -> str:
    """2-year OS and EFS of each cohort from day 1: like against like."""
    def pair(pop):
        return _survival.endpoints_at(an, pop, ("OS", "EFS"), _TWO, "{0} and {1}", "{na}",
                                      short=True)
    rr, mrd = an.n("rr"), an.n("mrd")
    if rr and mrd:
        return (f"2-year OS and EFS were {pair('rr')} in the R/R group and {pair('mrd')} in the "
                "MRD+ group (in remission from day 1, where EFS is disease-free survival).")
    if rr:
        return f"In the R/R group 2-year OS and EFS were {pair('rr')}."
    return (f"In the MRD+ group 2-year OS and EFS (in remission from day 1, EFS is disease-free "
            f"survival) were {pair('mrd')}.")


def _responders(an: Analysis) -> str:
    """2-year RFS of the responders from response, with CIR and NRM on the same origin."""
    an.require("responders")
    n = an.n("responders")
    who = "the 1 responder" if n == 1 else f"the {fmt.number(n)} responders"
    rfs = _survival.estimate(an.km("responders", "RFS").at(_TWO), _TWO, an.conf_level)
    if rfs.startswith(fmt.NOT_ESTIMABLE):
        return (f"Among {who}, 2-year relapse-free survival (RFS) counted from the response was "
                f"{rfs}.")
    cir, nrm = _survival.incidences_at(an, "responders", _TWO, short=True)
    return (f"Among {who}, counted from the response, 2-year relapse-free survival (RFS) was "
            f"{rfs}; the cumulative incidence of relapse was {cir} and of death without relapse "
            f"{nrm}.")


def _conclusion(an: Analysis) -> str:
    """Each claim of the published conclusion against this build's data (:mod:`.compare`)."""
    lead = "With this build's data, the"
    if an.n("mrd") and an.n("rr"):
        return sentences(f"{lead} MRD response rate was {mrd_results.response(an)} and the R/R "
                         f"CR/CRh rate {rr_results.response_short(an)}. The claim of greater "
                         "efficacy in the MRD+ group sets these two different endpoints side by "
                         "side (conversion to MRD negativity in patients already in remission, "
                         "complete remission from active disease), so the data cannot test it.",
                         tumour_burden(an), after_prior_hsct(an))
    if an.n("mrd"):
        return sentences(f"{lead} MRD response rate was {mrd_results.response(an)}.",
                         empty_population("rr"))
    return sentences(empty_population("mrd"),
                     f"{lead} R/R CR/CRh rate was {rr_results.response_short(an)}.",
                     tumour_burden(an), after_prior_hsct(an))


def tumour_burden(an: Analysis) -> str | None:
    """What this build's CR/CRh rates by marrow blasts say of the published conclusion (more
    effective with a smaller tumour burden), the words chosen by :mod:`.compare` from the rates
    and the test; nothing when the subgroup cannot be compared."""
    if an.n("rr") == 0 or an.subgroup_state("blasts") != "compared":
        return None
    low, high = (an.subgroup_rate("blasts", level) for level in ("low", "high"))
    way = compare.direction((low.n, low.N), (high.n, high.N))
    p = an.subgroup_response().set_index(["code", "level_code"]).loc[("blasts", "low"),
                                                                     "p_value"]
    claim = compare.claim_of_difference((low.n, low.N), (high.n, high.N), p,
                                        1 - an.conf_level)
    words = compare.words_for()
    test = "" if p != p else f"; {fmt.p_value(p)}"
    return (f"The CR/CRh rate was {words['rate'][way]} with fewer than "
            f"{rr_results.blasts_cutoff()} marrow blasts ({fmt.pct(low.rate)}) "
            f"{'as' if way == compare.EQUAL else 'than'} with more ({fmt.pct(high.rate)}{test}), "
            f"which {words['claim'][claim]} the published conclusion on tumour burden.")


def after_prior_hsct(an: Analysis) -> str | None:
    """What the CR/CRh rate after a prior allo-HSCT, with its interval, says of the published
    claim of remissions in most such patients; nothing when the subgroup is not compared."""
    if an.n("rr") == 0 or an.subgroup_state("prior_hsct") != "compared":
        return None
    theirs = an.subgroup_rate("prior_hsct", "yes")
    claim = compare.claim_of_majority(theirs.ci_low, theirs.ci_high)
    return (f"After a prior allo-HSCT the CR/CRh rate was {fmt.n_of(theirs.n, theirs.N)} "
            f"({fmt.rate_ci(theirs, an.conf_level)}), which "
            f"{compare.words_for()['claim'][claim]} the published claim of remissions in most "
            "patients after allo-HSCT.")


def _patients(n: int) -> str:
    return f"{fmt.number(n)} adult{'s' if n != 1 else ''}"


def _of_all(n: int, total: int) -> str:
    """``"23 (35%)"`` of the patients just counted, or ``"none"``."""
    return "none" if n == 0 else fmt.n_pct(n, total)


def _ages(an: Analysis) -> str:
    low, high = int(an.adsl["age"].min()), int(an.adsl["age"].max())
    return fmt.number(low) if low == high else f"{fmt.number(low)} to {fmt.number(high)}"


def values(an: Analysis, build: BuildFacts) -> dict[str, str]:
    e = edition.values(an, build)
    n = an.n("all")
    return {
        "abstract_conclusion": _conclusion(an),
        "abstract_cohort_survival": _cohort_survival(an),
        "abstract_group_survival": _group_survival(an),
        "abstract_responders": or_reason(lambda: _responders(an)),
        "abstract_rr": or_reason(lambda: _rr_text(an)),
        "abstract_transplant": or_reason(lambda: transplant.primary_abstract(an)),
        "ae_grade3plus": safety.grade3plus(an),
        "age_range": _ages(an),
        "bc_interrupted": safety.interrupted(an),
        "bc_stopped_early": safety.stopped_early(an),
        "data_fingerprint": e["data_fingerprint"],
        "data_provenance": edition.provenance(an),
        "dataset_cutoff": e["dataset_cutoff"],
        "dataset_kind": e["dataset_kind"],
        "dataset_name": e["dataset_name"],
        "dataset_version": e["dataset_version"],
        "followup_sentence": methods.followup_sentence(
            an, "Median follow-up (reverse Kaplan–Meier)"),
        "n_adults": _patients(n),
        "n_mrd": _of_all(an.n("mrd"), n),
        "n_prior_hsct": safety.patients_n_pct(int(an.adsl["prior_allo_hsct"].sum()), n),
        "n_rr": _of_all(an.n("rr"), n),
    }
