"""The front page: the structured abstract, every number from this build."""

from __future__ import annotations

import math

from blina_analysis.analyses import Analysis
from blina_analysis.definitions import TWO_YEARS_DAYS
from blina_analysis.i18n import _, ngettext, pgettext
from blina_analysis.report import fmt
from blina_analysis.report.text import _survival, compare, edition, methods, mrd_results
from blina_analysis.report.text import rr_results
from blina_analysis.report.text import transplant
from blina_analysis.report.text._say import or_reason, sentences
from blina_analysis.report.text.reasons import empty_population
from blina_analysis.report.text.edition import BuildFacts

__all__ = ["values", "tumour_burden", "after_prior_hsct"]

_TWO = TWO_YEARS_DAYS


def _rr_text(an: Analysis) -> str:
    """Response in the R/R group, MRD negativity of its responders, and response by subgroup."""
    an.require("rr")
    if an.n("rr_responders"):
        text = _("In the R/R group, complete remission (CR/CRh) was achieved in {response}, with "
                 "MRD negativity in {mrd} of them.").format(
            response=rr_results.response(an), mrd=rr_results.mrd_negativity(an))
    else:
        text = _("In the R/R group, complete remission (CR/CRh) was achieved in "
                 "{response}.").format(response=rr_results.response(an))
    clauses, _unknown = rr_results.subgroup_clauses(an, rate=rr_results.subgroup_rate)
    # TRANSLATORS: {clauses} is "73% with standard and 59% with high cytogenetic risk; 85% ..."
    by_subgroup = (_("The CR/CRh rate was {clauses}.").format(clauses="; ".join(clauses))
                   if clauses else None)
    return sentences(text, by_subgroup)


def _two_year(an: Analysis, pop: str, endpoints: tuple[str, ...]) -> dict[str, str] | None:
    """The 2-year Kaplan–Meier estimates of ``endpoints`` in ``pop`` as text, by the endpoint's
    code in lower case (``{"os": ..., "efs": ...}``), or None when no curve reaches 2 years.

    Raises :class:`~blina_analysis.errors.NoInformation` when ``pop`` is empty.
    """
    estimates = [an.km(pop, endpoint).at(_TWO) for endpoint in endpoints]
    if all(math.isnan(e.estimate) for e in estimates):
        return None
    return {endpoint.lower(): _survival.estimate(e, _TWO, an.conf_level)
            for endpoint, e in zip(endpoints, estimates)}


def _cohort_survival(an: Analysis) -> str:
    """2-year OS and EFS of all treated patients, from day 1."""
    n = an.n("all")
    found = _two_year(an, "all", ("OS", "EFS"))
    if found is None:
        na = _survival.not_estimable(_TWO)
        if n == 1:
            return _("For the only treated patient, 2-year overall survival (OS) and event-free "
                     "survival (EFS), counted from day 1 of blinatumomab, were {na}.").format(na=na)
        return ngettext("Among all {n} treated patient, 2-year overall survival (OS) and "
                        "event-free survival (EFS), counted from day 1 of blinatumomab, were {na}.",
                        "Among all {n} treated patients, 2-year overall survival (OS) and "
                        "event-free survival (EFS), counted from day 1 of blinatumomab, were {na}.",
                        n).format(n=fmt.number(n), na=na)
    if n == 1:
        return _("For the only treated patient, counted from day 1 of blinatumomab, 2-year "
                 "overall survival (OS) was {os} and event-free survival (EFS; no CR/CRh in the "
                 "R/R group counts as an event on day 1) {efs}.").format(**found)
    return ngettext("Among all {n} treated patient, counted from day 1 of blinatumomab, 2-year "
                    "overall survival (OS) was {os} and event-free survival (EFS; no CR/CRh in "
                    "the R/R group counts as an event on day 1) {efs}.",
                    "Among all {n} treated patients, counted from day 1 of blinatumomab, 2-year "
                    "overall survival (OS) was {os} and event-free survival (EFS; no CR/CRh in "
                    "the R/R group counts as an event on day 1) {efs}.", n).format(
        n=fmt.number(n), **found)


def _group_survival(an: Analysis) -> str:
    """2-year OS and EFS of each cohort from day 1: like against like."""
    def pair(pop):
        # TRANSLATORS: 2-year OS and EFS of one cohort: "32% and 17%"
        return _survival.endpoints_at(an, pop, ("OS", "EFS"), _TWO, _("{os} and {efs}"),
                                      "{na}", short=True)
    rr, mrd = an.n("rr"), an.n("mrd")
    # TRANSLATORS: {rr} and {mrd} are "32% and 17%" or "not estimable (no patient followed ...)"
    if rr and mrd:
        return _("2-year OS and EFS were {rr} in the R/R group and {mrd} in the MRD+ group (in "
                 "remission from day 1, where EFS is disease-free survival).").format(
            rr=pair("rr"), mrd=pair("mrd"))
    if rr:
        return _("In the R/R group 2-year OS and EFS were {rr}.").format(rr=pair("rr"))
    return _("In the MRD+ group 2-year OS and EFS (in remission from day 1, EFS is disease-free "
             "survival) were {mrd}.").format(mrd=pair("mrd"))


def _responders(an: Analysis) -> str:
    """2-year RFS of the responders from response, with CIR and NRM on the same origin."""
    an.require("responders")
    n = an.n("responders")
    curve = an.km("responders", "RFS").at(_TWO)
    rfs = _survival.estimate(curve, _TWO, an.conf_level)
    if math.isnan(curve.estimate):
        return ngettext("Among the {n} responder, 2-year relapse-free survival (RFS) counted from "
                        "the response was {rfs}.",
                        "Among the {n} responders, 2-year relapse-free survival (RFS) counted "
                        "from the response was {rfs}.", n).format(n=fmt.number(n), rfs=rfs)
    cir, nrm = _survival.incidences_at(an, "responders", _TWO, short=True)
    return ngettext("Among the {n} responder, counted from the response, 2-year relapse-free "
                    "survival (RFS) was {rfs}; the cumulative incidence of relapse was {cir} and "
                    "of death without relapse {nrm}.",
                    "Among the {n} responders, counted from the response, 2-year relapse-free "
                    "survival (RFS) was {rfs}; the cumulative incidence of relapse was {cir} and "
                    "of death without relapse {nrm}.", n).format(n=fmt.number(n), rfs=rfs,
                                                                 cir=cir, nrm=nrm)


def _conclusion(an: Analysis) -> str:
    """Each claim of the published conclusion against this build's data (:mod:`.compare`)."""
    if an.n("mrd") and an.n("rr"):
        return sentences(_("With this build's data, the MRD response rate was {mrd} and the R/R "
                           "CR/CRh rate {rr}. The claim of greater efficacy in the MRD+ group "
                           "sets these two different endpoints side by side (conversion to MRD "
                           "negativity in patients already in remission, complete remission from "
                           "active disease), so the data cannot test it.").format(
                             mrd=mrd_results.response(an), rr=rr_results.response_short(an)),
                         tumour_burden(an), after_prior_hsct(an))
    if an.n("mrd"):
        return sentences(_("With this build's data, the MRD response rate was {mrd}.").format(
                             mrd=mrd_results.response(an)),
                         empty_population("rr"))
    return sentences(empty_population("mrd"),
                     _("With this build's data, the R/R CR/CRh rate was {rr}.").format(
                         rr=rr_results.response_short(an)),
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
    values = dict(rate=words["rate"][way], cutoff=rr_results.blasts_cutoff(),
                  low=fmt.pct(low.rate), high=fmt.pct(high.rate),
                  # the one published claim tested on its own: unadjusted, and said so (the
                  # subgroup table beside it gives Holm-adjusted p-values)
                  test="" if p != p else _("; {p}, Fisher's exact test, unadjusted").format(
                      p=fmt.p_value(p)), claim=words["claim"][claim])
    # TRANSLATORS: {rate} is a comparison word (context "comparison: rate"), {claim} a verb
    # (context "comparison: claim"); {test} is "; p = 0.164, Fisher's exact test, unadjusted" or
    # nothing
    if way == compare.EQUAL:
        return _("The CR/CRh rate was {rate} with fewer than {cutoff} marrow blasts ({low}) as "
                 "with more ({high}{test}), which {claim} the published conclusion on tumour "
                 "burden.").format(**values)
    return _("The CR/CRh rate was {rate} with fewer than {cutoff} marrow blasts ({low}) than with "
             "more ({high}{test}), which {claim} the published conclusion on tumour "
             "burden.").format(**values)


def after_prior_hsct(an: Analysis) -> str | None:
    """What the CR/CRh rate after a prior allo-HSCT, with its interval, says of the published
    claim of remissions in most such patients; nothing when the subgroup is not compared."""
    if an.n("rr") == 0 or an.subgroup_state("prior_hsct") != "compared":
        return None
    theirs = an.subgroup_rate("prior_hsct", "yes")
    claim = compare.claim_of_majority(theirs.ci_low, theirs.ci_high)
    # TRANSLATORS: {claim} is a verb (context "comparison: claim")
    return _("After a prior allo-HSCT the CR/CRh rate was {n_of} ({rate}), which {claim} the "
             "published claim of remissions in most patients after allo-HSCT.").format(
        n_of=fmt.n_of(theirs.n, theirs.N), rate=fmt.rate_ci(theirs, an.conf_level),
        claim=compare.words_for()["claim"][claim])


def _patients(n: int) -> str:
    """``"66 adults"``: the patients of the trial, after "The trial included"."""
    return ngettext("{n} adult", "{n} adults", n).format(n=fmt.number(n))


def _of_all(n: int, total: int) -> str:
    """``"23 (35%)"`` of the patients just counted, or ``"none"``."""
    # TRANSLATORS: none of the adults just counted ("The trial included 43 adults ...: none in
    # haematological remission with MRD")
    return pgettext("none of the patients", "none") if n == 0 else fmt.n_pct(n, total)


def _prior_hsct_sentence(an: Analysis) -> str:
    """How many patients had blinatumomab after a prior allo-HSCT, as a whole sentence (a
    language may need the zero said with its verb: «Ни одному пациенту … не применялся»)."""
    n, total = int(an.adsl["prior_allo_hsct"].sum()), an.n("all")
    if n == 0:
        return _("No patient was given blinatumomab after a prior allo-HSCT.")
    return ngettext("In {count} patient blinatumomab was given after a prior allo-HSCT.",
                    "In {count} patients blinatumomab was given after a prior allo-HSCT.",
                    n).format(count=fmt.n_pct(n, total))


def _safety_sentence(an: Analysis) -> str:
    """Grade ≥3 adverse events, interruptions and early stops, as one sentence whose every
    clause says its zero in its own words."""
    g3 = an.grade3plus()
    stopped = an.proportion("all", "bc_stopped_early")
    halted = an.proportion("all", "bc_interrupted")
    adverse = (_("No patient had an adverse event of grade ≥3") if g3.n == 0 else ngettext(
        "Adverse events of grade ≥3 occurred in {count} patient",
        "Adverse events of grade ≥3 occurred in {count} patients", int(g3.n)).format(
            count=fmt.n_pct(g3.n, g3.N)))
    interrupted = (_("blinatumomab was interrupted in no patient") if halted.n == 0 else
                   _("blinatumomab was interrupted in {count}").format(
                       count=fmt.n_pct(halted.n, halted.N)))
    early = (_("stopped early in none") if stopped.n == 0 else
             _("stopped early in {count}").format(count=fmt.n_pct(stopped.n, stopped.N)))
    # TRANSLATORS: {adverse} "Adverse events of grade ≥3 occurred in 25 (38%) patients",
    # {interrupted} "blinatumomab was interrupted in 11 (17%)", {early} "stopped early in 5 (7.6%)"
    return _("{adverse}; {interrupted} and {early}.").format(adverse=adverse,
                                                          interrupted=interrupted, early=early)


def _ages(an: Analysis) -> str:
    low, high = int(an.adsl["age"].min()), int(an.adsl["age"].max())
    # TRANSLATORS: the range of ages, after "aged" and before "years": "18 to 72"
    return (fmt.number(low) if low == high else
            _("{low} to {high}").format(low=fmt.number(low), high=fmt.number(high)))


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
        "age_range": _ages(an),
        "data_fingerprint": e["data_fingerprint"],
        "data_provenance": edition.provenance(an),
        "dataset_cutoff": e["dataset_cutoff"],
        "dataset_kind": e["dataset_kind"],
        "dataset_name": e["dataset_name"],
        "dataset_version": e["dataset_version"],
        "followup_sentence": methods.followup_sentence(
            an, _("Median follow-up (reverse Kaplan–Meier)")),
        "n_adults": _patients(n),
        "n_mrd": _of_all(an.n("mrd"), n),
        "prior_hsct_sentence": _prior_hsct_sentence(an),
        "n_rr": _of_all(an.n("rr"), n),
        "safety_sentence": _safety_sentence(an),
    }
