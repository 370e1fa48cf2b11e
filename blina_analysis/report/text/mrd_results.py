"""The MRD+ chapter: response and survival of the MRD group, by response."""

from __future__ import annotations

from blina_analysis.analyses import Analysis
from blina_analysis.definitions import TWO_YEARS_DAYS
from blina_analysis.errors import NoInformation
from blina_analysis.i18n import _, ngettext
from blina_analysis.report import fmt
from blina_analysis.report.text import _survival
from blina_analysis.report.text.reasons import chapter_without_results, empty_population, explain
from blina_analysis.report.text._say import and_join, or_reason, sentences
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
    return ngettext("Response and survival of the {n} patient who was in haematological "
                    "remission with measurable residual disease.",
                    "Response and survival of the {n} patients who were in haematological "
                    "remission with measurable residual disease.", n).format(n=fmt.number(n))


def survival_text(an: Analysis) -> str:
    """2-year OS and DFS of the MRD+ group from day 1, and RFS of its responders from response."""
    an.require("mrd")
    cohort = _survival.endpoints_at(
        an, "mrd", ("OS", "DFS"), _TWO,
        _("In the MRD+ group, counted from day 1 of blinatumomab, 2-year OS was {os} and 2-year "
          "DFS {dfs} (in remission from day 1, DFS is the group's EFS)."),
        _("In the MRD+ group, 2-year OS and DFS, counted from day 1 of blinatumomab, were "
          "{na}."))
    n = an.n("mrd_responders")
    if n == 0:
        return sentences(cohort, empty_population("mrd_responders"))
    return sentences(cohort, _survival.endpoints_at(
        an, "mrd_responders", ("RFS",), _TWO,
        ngettext("Counted from the response, the 2-year relapse-free survival (RFS) of the {n} "
                 "MRD responder was {rfs}.",
                 "Counted from the response, the 2-year relapse-free survival (RFS) of the {n} "
                 "MRD responders was {rfs}.", n).format(n=n, rfs="{rfs}"),
        ngettext("Counted from the response, the 2-year relapse-free survival (RFS) of the {n} "
                 "MRD responder was {na}.",
                 "Counted from the response, the 2-year relapse-free survival (RFS) of the {n} "
                 "MRD responders was {na}.", n).format(n=n, na="{na}")))


def hsct_censored_text(an: Analysis) -> str:
    """Sensitivity: DFS of the MRD+ group, an allo-HSCT after blinatumomab censoring."""
    an.require("mrd")
    n = int(an.patients("mrd")["hsct_after_bc"].sum())
    if n == 0:
        return _("No MRD+ patient was transplanted after blinatumomab, so censoring at "
                 "transplant changes nothing.")
    return _survival.endpoints_at(
        an, "mrd", ("DFS_HSCT", "DFS"), _TWO,
        ngettext("As a sensitivity analysis, with an allo-HSCT after blinatumomab censoring the "
                 "time ({n} patient transplanted), 2-year DFS of the MRD+ group was {dfs_hsct}, "
                 "against {dfs} without censoring.",
                 "As a sensitivity analysis, with an allo-HSCT after blinatumomab censoring the "
                 "time ({n} patients transplanted), 2-year DFS of the MRD+ group was {dfs_hsct}, "
                 "against {dfs} without censoring.", n).format(
            n=n, dfs_hsct="{dfs_hsct}", dfs="{dfs}"),
        _("As a sensitivity analysis, with an allo-HSCT after blinatumomab censoring the time, "
          "2-year DFS of the MRD+ group was {na}."))


def response_text(an: Analysis) -> str:
    """MRD negativity in the MRD+ group, the other MRD results, and those pending."""
    an.require("mrd")
    rate = or_reason(lambda: _(
        "MRD negativity after blinatumomab was reached by {response} patients ({breakdown}; MRD "
        "not assessed is its own category and counts as no response).").format(
        response=response(an), breakdown=mrd_breakdown(an, 'mrd')))
    return sentences(rate, pending_sentence(an, "mrd", "mrd_response", "mrd"))


def by_response_text(an: Analysis) -> str:
    """Survival by MRD response without guarantee-time bias: Mantel–Byar and landmark."""
    an.require("mrd")
    n_resp, n_non = an.n("mrd_responders"), an.n("mrd_non_responders")
    # TRANSLATORS: whole clauses, "3 responders" / "no responder"
    responders = (_("no responder") if n_resp == 0 else
                  ngettext("{n} responder", "{n} responders", n_resp).format(n=n_resp))
    non_responders = (_("no non-responder") if n_non == 0 else
                      ngettext("{n} non-responder", "{n} non-responders", n_non).format(n=n_non))
    counts = _("MRD response ({responders}, {non_responders}) is observed after time zero, so "
               "responders are not compared with non-responders from the start of blinatumomab "
               "(that would credit responders with the time before their response).").format(
        responders=responders, non_responders=non_responders)

    def hazard_ratios():
        clauses = []
        for endpoint, events in (("DFS", "relapse_or_death"), ("OS", "death")):
            try:
                clause = hazard_ratio_clause(an, 'mrd', endpoint, events)
                clauses.append(_("{hazard_ratio} for DFS").format(hazard_ratio=clause)
                               if endpoint == "DFS" else
                               _("{hazard_ratio} for OS").format(hazard_ratio=clause))
            except NoInformation as exc:
                reason = explain(exc)
        if not clauses:
            return reason
        return _("With MRD response as a time-dependent state (each patient counted as "
                 "MRD-positive until the day of MRD negativity), the hazard ratio of the "
                 "MRD-negative state against the MRD-positive one (time-dependent Cox model) was "
                 "{hazard_ratios}.").format(hazard_ratios=and_join(clauses))

    return sentences(counts, hazard_ratios(), or_reason(lambda: _landmark_sentence(an)))


def _landmark_sentence(an: Analysis) -> str:
    lm = _survival.response_landmark(an, "mrd", "DFS", days=_TWO)  # NoInformation: nobody
    alive = ngettext("{n} patient was alive, in remission and in follow-up",
                     "{n} patients were alive, in remission and in follow-up",
                     lm.n_at_risk).format(n=lm.n_at_risk)
    k = lm.n_responders
    # TRANSLATORS: "none of them MRD-negative", "1 of them MRD-negative", "5 of them ..."
    negative = (_("none of them MRD-negative") if k == 0 else
                ngettext("{n} of them MRD-negative", "{n} of them MRD-negative", k).format(n=k))
    return _("At a landmark on day {day}, the response assessment, {alive}, {of_them} by then; "
             "2 years after the landmark {comparison}.").format(
        day=_survival.response_landmark_days(), alive=alive, of_them=negative,
        comparison=_survival.by_group(lm, "DFS", an.conf_level))


def responders_text(an: Analysis) -> str:
    """2-year RFS of all responders of both cohorts from response, with CIR and NRM on the
    same origin (1 − RFS = CIR + NRM)."""
    an.require("responders")
    n = an.n("responders")
    both = bool(an.n("rr") and an.n("mrd"))
    curve = an.km("responders", "RFS").at(_TWO)
    rfs = _survival.estimate(curve, _TWO, an.conf_level)
    if curve.estimate != curve.estimate:  # not estimable at 2 years
        return (ngettext("Across both cohorts, the 2-year RFS of the {n} responder, counted from "
                         "the response, was {rfs}.",
                         "Across both cohorts, the 2-year RFS of the {n} responders, counted "
                         "from the response, was {rfs}.", n) if both else
                ngettext("In this dataset, the 2-year RFS of the {n} responder, counted from the "
                         "response, was {rfs}.",
                         "In this dataset, the 2-year RFS of the {n} responders, counted from "
                         "the response, was {rfs}.", n)).format(n=n, rfs=rfs)
    cir, nrm = _survival.incidences_at(an, "responders", _TWO)
    return (ngettext(
        "Across both cohorts, counted from the response, the 2-year RFS of the {n} responder was "
        "{rfs}; the cumulative incidence of relapse was {cir} and of non-relapse mortality {nrm} "
        "(relapse and death without relapse, on the same origin, add up to 1 − RFS). Their OS "
        "and DFS counted from day 1, the paper's figures, are in the concordance chapter.",
        "Across both cohorts, counted from the response, the 2-year RFS of the {n} responders "
        "was {rfs}; the cumulative incidence of relapse was {cir} and of non-relapse mortality "
        "{nrm} (relapse and death without relapse, on the same origin, add up to 1 − RFS). Their "
        "OS and DFS counted from day 1, the paper's figures, are in the concordance chapter.",
        n) if both else ngettext(
        "In this dataset, counted from the response, the 2-year RFS of the {n} responder was "
        "{rfs}; the cumulative incidence of relapse was {cir} and of non-relapse mortality {nrm} "
        "(relapse and death without relapse, on the same origin, add up to 1 − RFS). Their OS "
        "and DFS counted from day 1, the paper's figures, are in the concordance chapter.",
        "In this dataset, counted from the response, the 2-year RFS of the {n} responders was "
        "{rfs}; the cumulative incidence of relapse was {cir} and of non-relapse mortality {nrm} "
        "(relapse and death without relapse, on the same origin, add up to 1 − RFS). Their OS "
        "and DFS counted from day 1, the paper's figures, are in the concordance chapter.",
        n)).format(n=n, rfs=rfs, cir=cir, nrm=nrm)


def values(an: Analysis, build: BuildFacts) -> dict[str, str]:
    return {
        "mrd_by_response_text": or_reason(lambda: by_response_text(an)),
        "mrd_overview": overview(an),
        "mrd_response_text": or_reason(lambda: response_text(an)),
        "mrd_survival_text": or_reason(lambda: survival_text(an)),
        "mrd_hsct_censored_text": or_reason(lambda: hsct_censored_text(an)),
        "responders_text": or_reason(lambda: responders_text(an)),
    }
