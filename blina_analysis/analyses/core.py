"""Every analysis of the book, computed once from one validated dataset.

:class:`Analysis` is the one object a chapter talks to. It turns the patient table into the arrays
the statistics layer (:mod:`blina_analysis.stats`) expects, using the definitions of
:mod:`blina_analysis.definitions`, and returns result objects and tidy tables (numbers, not
strings; :mod:`blina_analysis.report` says them in words). It is assembled from one part per
topic, each in its own module:

===============================  =================================================================
:class:`.Populations`            the dataset, its populations, sizes, the cache (``population``)
:class:`.Responses`              response categories, headline rates, subgroups (``response``)
:class:`.SurvivalAnalyses`       Kaplan–Meier, follow-up, by response, competing risks
                                 (``survival``)
:class:`.TransplantAnalyses`     transplant after blinatumomab, from response (``transplant``)
:class:`.SafetyAnalyses`         adverse events by worst grade (``safety``)
:class:`.Description`            Table 1, flow diagram, lanes, pivotal trials (``description``)
===============================  =================================================================

A result the data cannot give raises :class:`~blina_analysis.errors.NoInformation` with a code
and its facts, never a sentence.
"""

from __future__ import annotations

from blina_analysis.analyses.description import (
    Description,
    pivotal_comparison,
    subgroup_forest_table,
)
from blina_analysis.analyses.population import Populations
from blina_analysis.analyses.response import Responses
from blina_analysis.analyses.safety import SafetyAnalyses
from blina_analysis.analyses.survival import RESPONSE_LANDMARK_LABELS, SurvivalAnalyses
from blina_analysis.analyses.transplant import TRANSPLANT_COX_ENDPOINTS, TransplantAnalyses

__all__ = ["Analysis", "pivotal_comparison", "subgroup_forest_table", "RESPONSE_LANDMARK_LABELS",
           "TRANSPLANT_COX_ENDPOINTS"]


class Analysis(Populations, Responses, SurvivalAnalyses, TransplantAnalyses, SafetyAnalyses,
               Description):
    """The analyses of one dataset.

    Parameters
    ----------
    dataset : Dataset
        A validated dataset (:func:`blina_analysis.data.io.load`).
    conf_level : float, optional, default: 0.95
        Confidence level of every interval.
    landmark_days : float, optional, default: 90
        Landmark of the transplant analyses, in days from response.
    """
