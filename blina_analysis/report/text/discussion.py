"""The discussion: this build's headline results beside the pivotal trials."""

from __future__ import annotations

from blina_analysis.analyses import Analysis
from blina_analysis.report.text import edition, mrd_results, rr_results, transplant
from blina_analysis.report.text._say import or_reason, sentences
from blina_analysis.report.text.reasons import empty_population
from blina_analysis.report.text.edition import BuildFacts

__all__ = ["values", "response_text"]


def response_text(an: Analysis, lead: str = "In this build, the") -> str:
    """The R/R CR/CRh rate and the MRD+ group's MRD response rate, or why one is missing."""
    if an.n("rr") and an.n("mrd"):
        return (f"{lead} R/R CR/CRh rate was {rr_results.response(an)} and the MRD response rate "
                f"in the MRD+ group {mrd_results.response(an)}.")
    if an.n("rr"):
        return sentences(f"{lead} R/R CR/CRh rate was {rr_results.response(an)}.",
                         empty_population("mrd"))
    return sentences(empty_population("rr"), f"{lead} MRD response rate in the MRD+ group was "
                                            f"{mrd_results.response(an)}.")


def values(an: Analysis, build: BuildFacts) -> dict[str, str]:
    crude = or_reason(lambda: transplant.crude_rates(
        an, "In this build, relapse occurred in {after} of transplanted vs {without} of "
            "non-transplanted responders."))
    cox = or_reason(lambda: "The time-dependent Cox model for DFS gave "
                            f"{transplant.time_varying_cox(an, 'DFS')} with both cohorts pooled "
                            "and "
                            f"{transplant.time_varying_cox(an, 'DFS', stratified=True)} "
                            "stratified by cohort.")
    return {
        "crude_text": crude,
        "data_limitation": edition.data_limitation(an),
        "response_text": response_text(an),
        # the same reason twice in one paragraph would read as a stutter
        "tv_cox_text": "In this build they have no information either." if cox == crude else cox,
    }
