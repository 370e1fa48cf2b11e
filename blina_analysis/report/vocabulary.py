"""The reader's words for the codes of the data's fixed vocabularies, in the current language.

The data keep their codes as recorded (``M``, ``RR``, ``CRh``, ``negative``, ``CRS``, grade
``3``); a page shows them through :func:`label` (short, for table cells and legends) or
:func:`description` (the full name). Only the format's fixed vocabularies are translated — sex,
cohort, responses, cytogenetic risk, Ph status, adverse-event categories and grades; free text
(adverse-event terms, identifiers) is shown as recorded.
"""

from __future__ import annotations

from functools import lru_cache

from blina_analysis.data import schema
from blina_analysis.i18n import current_language, pgettext
from blina_analysis.report import fmt

__all__ = ["VOCABULARIES", "label", "description", "grade", "category"]

#: The columns whose values are a fixed vocabulary of the data format.
VOCABULARIES = ("sex", "group", "hematologic_response", "mrd_response", "cytogenetic_risk",
                "ph_status", "category", "grade")


@lru_cache(maxsize=None)
def _words(lang: str) -> dict[str, dict[str, tuple[str, str]]]:
    """``{column: {code: (label, description)}}`` in ``lang`` (the current language when
    called)."""
    return {
        "sex": {
            "M": (pgettext("sex", "male"), pgettext("sex", "male")),
            "F": (pgettext("sex", "female"), pgettext("sex", "female")),
        },
        "group": {
            "MRD": (pgettext("cohort", "MRD+"),
                    pgettext("cohort", "MRD-positive in haematological remission")),
            "RR": (pgettext("cohort", "R/R"),
                   pgettext("cohort", "relapsed or refractory ALL")),
        },
        "hematologic_response": {
            "CR": (pgettext("haematological response", "CR"),
                   pgettext("haematological response", "complete remission (CR)")),
            "CRh": (pgettext("haematological response", "CRh"),
                    pgettext("haematological response",
                             "CR with partial haematological recovery (CRh)")),
            "NR": (pgettext("haematological response", "no response"),
                   pgettext("haematological response", "no response (NR)")),
            "NE": (pgettext("haematological response", "NE"),
                   pgettext("haematological response", "not evaluable (NE)")),
            schema.PENDING: (pgettext("response", "pending"),
                             pgettext("response", "not yet assessed (still on treatment)")),
        },
        "mrd_response": {
            schema.MRD_NEGATIVE: (pgettext("MRD response", "MRD\u2212"),
                                  pgettext("MRD response", "MRD negative")),
            "positive": (pgettext("MRD response", "MRD+"),
                         pgettext("MRD response", "MRD positive")),
            schema.PENDING: (pgettext("response", "pending"),
                             pgettext("response", "not yet assessed (still on treatment)")),
        },
        "cytogenetic_risk": {
            "standard": (pgettext("cytogenetic risk", "standard"),
                         pgettext("cytogenetic risk", "standard cytogenetic risk")),
            "high": (pgettext("cytogenetic risk", "high"),
                     pgettext("cytogenetic risk", "high cytogenetic risk")),
        },
        "ph_status": {
            "positive": (pgettext("Ph status", "Ph+"),
                         pgettext("Ph status", "Philadelphia chromosome positive")),
            "negative": (pgettext("Ph status", "Ph\u2212"),
                         pgettext("Ph status", "Philadelphia chromosome negative")),
        },
        "category": {
            "CRS": (pgettext("adverse-event category", "CRS"),
                    pgettext("adverse-event category", "cytokine release syndrome")),
            "neurologic": (pgettext("adverse-event category", "neurological"),
                           pgettext("adverse-event category", "neurological events")),
            "hematologic": (pgettext("adverse-event category", "haematological"),
                            pgettext("adverse-event category", "haematological events")),
            "infection": (pgettext("adverse-event category", "infection"),
                          pgettext("adverse-event category", "infections")),
            "hepatic": (pgettext("adverse-event category", "hepatic"),
                        pgettext("adverse-event category", "hepatic events")),
            "other": (pgettext("adverse-event category", "other"),
                      pgettext("adverse-event category", "other events")),
        },
    }


def grade(value) -> str:
    """A CTCAE grade: ``"grade 3"`` / ``"степень 3"``; ``grade(">=3")`` is ``"grade ≥3"``."""
    text = str(value).replace(">=", "\u2265")
    return pgettext("CTCAE", "grade {grade}").format(grade=text)


def _missing(code) -> bool:
    return code is None or code != code  # None, NaN: nothing recorded


def _entry(column: str, code):
    return _words(current_language()).get(column, {}).get(str(code))


def label(column: str, code) -> str:
    """The short word for ``code`` of ``column`` in the current language, for a table cell or a
    legend: ``label("hematologic_response", "CR")`` is ``"CR"`` / ``"ПР"``;
    ``label("category", "CRS")`` is ``"CRS"`` / ``"СВЦ"``. A grade reads ``"grade 3"``. A value
    outside the fixed vocabularies (an adverse-event term) is returned as recorded; nothing
    recorded reads ``"NA"`` / ``"н/д"``."""
    if _missing(code):
        return fmt.term(fmt.NOT_AVAILABLE)
    if column == "grade":
        return grade(code)
    entry = _entry(column, code)
    return str(code) if entry is None else entry[0]


def category(code) -> str:
    """An adverse-event category as tables and figures show it: its code as recorded in English
    (``"neurologic"``), the reader's word in another language (``"неврологические"``)."""
    return str(code) if current_language() == "en" else label("category", code)


def description(column: str, code) -> str:
    """The full name of ``code`` of ``column`` in the current language:
    ``description("hematologic_response", "CRh")`` is ``"CR with partial haematological recovery
    (CRh)"`` / ``"ПР с частичным восстановлением показателей крови (ПРч)"``. A value outside the
    fixed vocabularies is returned as recorded."""
    if _missing(code):
        return fmt.term(fmt.NOT_AVAILABLE)
    if column == "grade":
        return grade(code)
    entry = _entry(column, code)
    return str(code) if entry is None else entry[1]
