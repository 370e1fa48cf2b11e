"""Why a comparison is described without a test, in the reader's words (the rule is
:func:`blina_analysis.analyses.testable.why_not_tested`)."""

from __future__ import annotations

from blina_analysis.analyses.testable import NoTestReason, NotTested
from blina_analysis.report import fmt
from blina_analysis.report.text._say import counted

__all__ = ["why_no_test", "no_test"]


def why_no_test(nt: NotTested, events: tuple[str, str, str]) -> str:
    """``"the smallest group has 3 patients, fewer than the 5 a test needs"``.

    ``events`` names the events of the comparison: one, several, none (``("death", "deaths",
    "no death")``).
    """
    if nt.reason is NoTestReason.TOO_FEW_PATIENTS:
        return (f"the smallest group has {counted(nt.smallest_group, 'patient', 'patients')}, "
                f"fewer than the {fmt.number(nt.min_patients)} a test needs in each group")
    one, many, none = events
    verb = "is" if nt.events == 1 else "are"
    return (f"there {verb} {counted(nt.events, one, many, none)}, fewer than the "
            f"{fmt.number(nt.min_events)} a test needs")


def no_test(nt: NotTested, events: tuple[str, str, str]) -> str:
    """``"no test: the smallest group has 3 patients, …"`` for a parenthesis."""
    return f"no test: {why_no_test(nt, events)}"
