"""Why a comparison is described without a test, in the reader's words (the rule is
:func:`blina_analysis.analyses.testable.why_not_tested`)."""

from __future__ import annotations

from blina_analysis.analyses.testable import NoTestReason, NotTested
from blina_analysis.i18n import _, ngettext
from blina_analysis.report import fmt

__all__ = ["EVENT_KINDS", "why_no_test", "no_test"]

#: What the events of a comparison are: ``"event"`` (any event of a survival comparison),
#: ``"death"``, ``"relapse_or_death"``, ``"outcome"`` (patients in the rarer outcome of a
#: comparison of response rates).
EVENT_KINDS = ("event", "death", "relapse_or_death", "outcome")


def _too_few_events(kind: str, n: int, minimum: str) -> str:
    """The clause for ``n`` events of ``kind``, each kind a whole message (its plural forms and
    its zero included)."""
    if kind == "event":
        if n == 0:
            return _("there is no event, fewer than the {min} a test needs").format(min=minimum)
        return ngettext("there is {n} event, fewer than the {min} a test needs",
                        "there are {n} events, fewer than the {min} a test needs",
                        n).format(n=fmt.number(n), min=minimum)
    if kind == "death":
        if n == 0:
            return _("there is no death, fewer than the {min} a test needs").format(min=minimum)
        return ngettext("there is {n} death, fewer than the {min} a test needs",
                        "there are {n} deaths, fewer than the {min} a test needs",
                        n).format(n=fmt.number(n), min=minimum)
    if kind == "relapse_or_death":
        if n == 0:
            return _("there is no relapse or death, fewer than the {min} a test "
                     "needs").format(min=minimum)
        return ngettext("there is {n} relapse or death, fewer than the {min} a test needs",
                        "there are {n} relapses or deaths, fewer than the {min} a test needs",
                        n).format(n=fmt.number(n), min=minimum)
    if kind == "outcome":
        if n == 0:
            return _("there is no patient in the rarer outcome, fewer than the {min} a test "
                     "needs").format(min=minimum)
        return ngettext("there is {n} patient in the rarer outcome, fewer than the {min} a test "
                        "needs",
                        "there are {n} patients in the rarer outcome (response or none), fewer "
                        "than the {min} a test needs",
                        n).format(n=fmt.number(n), min=minimum)
    raise KeyError(f"unknown kind of event {kind!r}; kinds: {', '.join(EVENT_KINDS)}")


def why_no_test(nt: NotTested, events: str) -> str:
    """``"the smallest group has 3 patients, fewer than the 5 a test needs"``.

    ``events`` names the events of the comparison, one of :data:`EVENT_KINDS`.
    """
    if nt.reason is NoTestReason.TOO_FEW_PATIENTS:
        n = int(nt.smallest_group)
        return ngettext(
            "the smallest group has {n} patient, fewer than the {min} a test needs in each group",
            "the smallest group has {n} patients, fewer than the {min} a test needs in each "
            "group", n).format(n=fmt.number(n), min=fmt.number(nt.min_patients))
    return _too_few_events(events, int(nt.events), fmt.number(nt.min_events))


def no_test(nt: NotTested, events: str) -> str:
    """``"no test: the smallest group has 3 patients, …"`` for a parenthesis."""
    return _("no test: {reason}").format(reason=why_no_test(nt, events))
