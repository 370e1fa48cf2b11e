"""Single source of the book's and the package's version."""

__version__ = "0.1.0"
