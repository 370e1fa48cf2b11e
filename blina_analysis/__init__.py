"""Analysis package of the living publication of the Russian multicentre blinatumomab trial.

The folders are the layers; each imports only from those listed before it:

========================  ===============================================================
``errors``                the project's exceptions and warning
``data/``                 the data format (``schema``), loader (``io``), synthetic cohort,
                          the paper's published figures
``definitions``,          time origin, endpoints, populations, cut-offs; the derivations
``derive``                that apply them
``stats/``                pure statistics over arrays, returning frozen result objects
``analyses/``             the ``Analysis`` of one dataset, ``results.json``'s map, concordance
``report/``               ``fmt`` (numbers as text), tables, figures, the chapters' glue
``publish/``              build, snapshot, diff, the Sphinx extension
``cli``                   the ``blina`` command
========================  ===============================================================

What the chapters use is re-exported here, so a chapter says
``from blina_analysis import book, figures, tables``.
"""

from blina_analysis._version import __version__
from blina_analysis.data.io import load
from blina_analysis import analyses
from blina_analysis.report import book, figures, fmt, tables

__all__ = ["__version__", "analyses", "book", "figures", "fmt", "load", "tables"]
