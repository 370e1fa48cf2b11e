"""Analyses of one dataset: the :class:`~blina_analysis.analyses.core.Analysis` façade, the
registry declaring every reported result once (:mod:`.registry`), the map of results written to
``results.json`` (:mod:`.results`), the comparison with the paper (:mod:`.concordance`) and small
typed summaries that the prose quotes (:mod:`.summaries`). Built on
:mod:`blina_analysis.definitions`, :mod:`blina_analysis.derive` and :mod:`blina_analysis.stats`;
nothing here formats text.
"""

from blina_analysis.analyses.core import Analysis, pivotal_comparison, subgroup_forest_table

__all__ = ["Analysis", "pivotal_comparison", "subgroup_forest_table"]
