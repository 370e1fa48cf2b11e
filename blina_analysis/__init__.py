"""Analysis package of the living publication of the Russian multicentre blinatumomab trial.

Layers, each importing only from those above it: the data contract (:mod:`errors`, :mod:`schema`,
:mod:`io`), the definitions (:mod:`definitions`, :mod:`derive`), the statistics (:mod:`stats`),
the analyses of one dataset (:mod:`analysis`, :mod:`results`), presentation (:mod:`fmt`,
:mod:`tables`, :mod:`figures`, :mod:`book`), and entry points (:mod:`synthetic`, :mod:`build`,
:mod:`cli`).
"""

from blina_analysis import analysis, fmt
from blina_analysis._version import __version__
from blina_analysis.io import load

__all__ = ["__version__", "analysis", "fmt", "load"]
