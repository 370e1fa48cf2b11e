"""The discussion: this build's headline results beside the pivotal trials."""

from __future__ import annotations

from blina_analysis.analyses import Analysis
from blina_analysis.data.published import pivotal_trials
from blina_analysis.i18n import _
from blina_analysis.report.text import compare, edition, mrd_results, rr_results, transplant
from blina_analysis.report.text._say import or_reason, sentences
from blina_analysis.report.text.reasons import empty_population
from blina_analysis.report.text.edition import BuildFacts

__all__ = ["values", "response_text", "pivotal_share", "PIVOTAL_REMISSION"]

#: The published rates the discussion's sentence on the pivotal trials speaks of, as
#: (bibkey, endpoint) rows of :func:`~blina_analysis.data.published.pivotal_trials`.
PIVOTAL_REMISSION = {
    "rr": (("topp2015", "CR/CRh within 2 cycles"),
           ("kantarjian2017", "CR/CRh/CRi within 12 weeks")),
    "mrd": (("gokbuget2018", "complete MRD response after cycle 1"),),
}


def pivotal_share(which: str, kind: str) -> str:
    """How many patients of the pivotal trials reached remission (``which`` ``"rr"``) or a
    complete MRD response (``"mrd"``), against one half: ``"fewer than half of the"``,
    ``"most"``... (``kind`` ``"share"`` or ``"majority"`` of :data:`.compare.ENGLISH`), chosen
    from the published rates.

    The trials of one sentence must lie on the same side of one half (they are the package's
    published data, not the build's); ``ValueError`` otherwise, for the sentence to be rewritten.
    """
    trials = pivotal_trials().set_index(["bibkey", "endpoint"])
    shares = {compare.share_word(float(trials.loc[row, "value"]), kind)
              for row in PIVOTAL_REMISSION[which]}
    if len(shares) != 1:
        raise ValueError(f"the pivotal trials {PIVOTAL_REMISSION[which]} lie on different sides "
                         "of one half; the discussion's sentence on them needs rewriting")
    return shares.pop()


def response_text(an: Analysis) -> str:
    """The R/R CR/CRh rate and the MRD+ group's MRD response rate, or why one is missing."""
    if an.n("rr") and an.n("mrd"):
        return _("In this build, the R/R CR/CRh rate was {rr} and the MRD response rate in the "
                 "MRD+ group {mrd}.").format(rr=rr_results.response(an),
                                             mrd=mrd_results.response(an))
    if an.n("rr"):
        return sentences(_("In this build, the R/R CR/CRh rate was {rr}.").format(
            rr=rr_results.response(an)), empty_population("mrd"))
    return sentences(empty_population("rr"), _(
        "In this build, the MRD response rate in the MRD+ group was {mrd}.").format(
            mrd=mrd_results.response(an)))


def values(an: Analysis, build: BuildFacts) -> dict[str, str]:
    crude = or_reason(lambda: transplant.crude_rates(
        an, _("In this build, relapse occurred in {after} of transplanted vs {without} of "
              "non-transplanted responders \u2014 {reading}.")))
    cox = or_reason(lambda: _(
        "In the primary analysis (RFS from response, time-dependent, stratified by cohort and "
        "adjusted), the hazard ratio associated with a transplant in remission was "
        "{hazard_ratio}.").format(hazard_ratio=transplant.primary_hazard_ratio(an)))
    return {
        "crude_text": crude,
        "data_limitation": edition.data_limitation(an),
        "pivotal_mrd_share": pivotal_share("mrd", "majority"),
        "pivotal_rr_share": pivotal_share("rr", "share"),
        "response_text": response_text(an),
        # the same reason twice in one paragraph would read as a stutter
        "tv_cox_text": (_("In this build they have no information either.") if cox == crude
                        else cox),
    }
