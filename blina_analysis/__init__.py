"""Analysis package of the living publication of the Russian multicentre blinatumomab trial."""

from blina_analysis._version import __version__

__all__ = ["__version__"]
