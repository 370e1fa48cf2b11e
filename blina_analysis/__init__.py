"""Analysis package of the living publication of the Russian multicentre blinatumomab trial.

The folders are the layers, bottom to top; each imports only from those listed before it
(``tests/test_layers.py`` reads every import to keep it so):

========================  ===============================================================
``errors``                the project's exceptions and warning
``data/``                 the data format (``schema``), loader (``io``), synthetic cohort,
                          the paper's published figures
``stats/``                pure statistics over arrays, returning frozen result objects
``rounding``,             how numbers are rounded (half up); time origin, endpoints,
``definitions``,          populations, cut-offs; the derivations that apply them
``derive``
``analyses/``             the ``Analysis`` of one dataset (one part per topic),
                          ``results.json``'s map, concordance numbers
``report/``               ``fmt`` (numbers as text), tables, figures, the pages' text
``publish/``              build, editions, snapshot, site, PDF, verify, diff, Sphinx extension
``book``, ``cli``         the chapters' face and the ``blina`` command
========================  ===============================================================

What the chapters use is re-exported here, so a chapter says
``from blina_analysis import book, captions, figures, tables``.
"""

from importlib import import_module

from blina_analysis._version import __version__

__all__ = ["__version__", "analyses", "book", "captions", "figures", "fmt", "load", "tables"]

# Imported on first use (PEP 562), so that `blina` commands which need neither pandas nor
# matplotlib (an up-to-date build, --version) start quickly.
_LAZY = {"analyses": "blina_analysis.analyses", "book": "blina_analysis.book",
         "captions": "blina_analysis.report.captions",
         "figures": "blina_analysis.report.figures", "fmt": "blina_analysis.report.fmt",
         "tables": "blina_analysis.report.tables"}


def __getattr__(name: str):
    if name == "load":
        from blina_analysis.data.io import load

        return load
    if name in _LAZY:
        return import_module(_LAZY[name])
    raise AttributeError(f"module 'blina_analysis' has no attribute {name!r}")
