"""The MRD+ chapter: response and survival of the MRD group, by response."""

from __future__ import annotations

import math

from blina_analysis.analyses import Analysis
from blina_analysis.definitions import TWO_YEARS_DAYS
from blina_analysis.report import fmt
from blina_analysis.report.text import _survival
from blina_analysis.report.text._say import or_reason

__all__ = ["values", "response", "responders_text"]

_TWO = TWO_YEARS_DAYS


def response(an: Analysis) -> str:
    """``"17/23 (74%; 95% CI 52–90%)"``: response in the MRD group."""
    an.require("mrd")
    mrd = an.mrd_response
    return f"{fmt.n_of(mrd.n, mrd.N)} ({fmt.rate_ci(mrd, an.conf_level)})"


def overview(an: Analysis) -> str:
    n = an.n("mrd")
    if n == 0:
        return f"{an.empty_reason('mrd')[:-1]}, so this chapter has no results."
    who = "patient who was" if n == 1 else "patients who were"
    return (f"Response and survival of the {fmt.number(n)} {who} in haematological remission "
            "with measurable residual disease.")


def survival_text(an: Analysis) -> str:
    return _survival.os_and_dfs(an, "mrd", _TWO, "In the MRD+ group, 2-year OS was {os} and "
                                "2-year DFS {dfs}.", "In the MRD+ group, 2-year OS and DFS were "
                                "{na}.")


def by_response_text(an: Analysis) -> str:
    """2-year DFS and OS by MRD response, with their log-rank tests."""
    an.require("mrd")
    n_resp, n_non = an.n("mrd_responders"), an.n("mrd_non_responders")
    if n_resp == 0:
        return ("No patient of the MRD+ group reached MRD negativity, so survival cannot be "
                "compared by MRD response.")
    if n_non == 0:
        return ("Every patient of the MRD+ group reached MRD negativity, so survival cannot be "
                "compared by MRD response.")
    pops = ("mrd_responders", "mrd_non_responders")

    def test(endpoint, lead=""):
        p = _survival.logrank(an, pops, endpoint)
        return f"{p}{lead}" if p else "no event in either group, so no log-rank test"

    lead = (f"By MRD response ({fmt.number(n_resp)} responder{'s' if n_resp != 1 else ''}, "
            f"{fmt.number(n_non)} non-responder{'s' if n_non != 1 else ''})")
    readings = [an.km(pop, endpoint).at(_TWO) for pop in pops for endpoint in ("DFS", "OS")]
    if all(math.isnan(r.estimate) for r in readings):
        tests = [f"{p} for {endpoint}" for endpoint in ("DFS", "OS")
                 if (p := _survival.logrank(an, pops, endpoint))]
        return (f"{lead}, 2-year DFS and OS were {_survival.not_estimable(_TWO)}"
                + (f" (log-rank: {' and '.join(tests)})." if tests else "."))
    return (f"{lead}, 2-year DFS was "
            f"{_survival.at(an, pops[0], 'DFS', _TWO)} in responders and "
            f"{_survival.at(an, pops[1], 'DFS', _TWO)} in non-responders "
            f"({test('DFS', ', log-rank')}), and 2-year OS {_survival.at(an, pops[0], 'OS', _TWO)} "
            f"and {_survival.at(an, pops[1], 'OS', _TWO)} ({test('OS')}).")


def responders_text(an: Analysis) -> str:
    """2-year OS and DFS of all responders of both cohorts."""
    an.require("responders")
    n = an.n("responders")
    where = "Across both cohorts" if an.n("rr") and an.n("mrd") else "In this dataset"
    who = "responder had" if n == 1 else "responders had"
    return _survival.os_and_dfs(
        an, "responders", _TWO, f"{where}, the {fmt.number(n)} {who} a 2-year OS of {{os}} and a "
        "2-year DFS of {dfs}.", f"{where}, the 2-year OS and DFS of the {fmt.number(n)} "
        f"responder{'s' if n != 1 else ''} were {{na}}.")


def values(an: Analysis) -> dict[str, str]:
    return {
        "mrd_by_response_text": or_reason(lambda: by_response_text(an)),
        "mrd_overview": overview(an),
        "mrd_response_text": or_reason(
            lambda: f"MRD negativity after blinatumomab was reached by {response(an)} patients."),
        "mrd_survival_text": or_reason(lambda: survival_text(an)),
        "responders_text": or_reason(lambda: responders_text(an)),
    }
