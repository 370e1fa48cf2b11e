"""The project's own exceptions and warnings.

Every problem a user can cause (bad data, a bad argument to a public function) is raised as a
:class:`BlinaError`, so the command line can print it without a traceback.
"""

from __future__ import annotations

from dataclasses import dataclass

from blina_analysis.i18n import _, ngettext

__all__ = ["BlinaError", "DataValidationError", "Issue", "BlinaWarning", "BuildError",
           "NoInformation"]


class BlinaError(Exception):
    """Base class of every error the project raises on purpose."""


class BlinaWarning(RuntimeWarning):
    """A result was computed, but something about it deserves the reader's attention."""


@dataclass(frozen=True)
class Issue:
    """One problem found in a dataset.

    ``line`` is the line number in the file as a text editor shows it (the header is line 1, so the
    first data row is line 2); ``None`` when the problem concerns the whole file. ``rule`` is
    already in the language of the reading (:func:`blina_analysis.i18n.use_language`); the words
    around it are in the current language when the issue is printed.
    """

    file: str
    line: int | None
    column: str | None
    value: str | None
    rule: str

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        parts = [where]
        if self.column is not None:
            parts.append(_("column {name}").format(name=repr(self.column)))
        if self.value is not None:
            parts.append(_("value {value}").format(value=repr(self.value)))
        return ": ".join([", ".join(parts), self.rule])


class DataValidationError(BlinaError, ValueError):
    """A dataset breaks the data contract; ``issues`` lists every problem found, ``notes`` how
    the files were read (delimiter, encoding, ...), which helps to understand the problems."""

    def __init__(self, issues: list[Issue], source: str = "dataset", notes: list[str] = ()):
        self.issues = list(issues)
        self.source = source
        self.notes = list(notes)
        n = len(self.issues)
        head = ngettext("{source}: {n} problem found", "{source}: {n} problems found",
                        n).format(source=source, n=n)
        super().__init__("\n".join([head, *(f"  {i}" for i in self.issues)]))


class BuildError(BlinaError):
    """The book could not be built; the previous site was left untouched."""


class NoInformation(BlinaError):
    """An analysis has no information in this dataset: an empty population, no event, nobody
    exposed...

    The analyses say *what* is missing, as a ``code`` with the facts its explanation needs
    (``params``: the population, the endpoint...); the report layer says it in the reader's words
    and language (:func:`blina_analysis.report.text.reasons.explain`), in place of the number,
    table or figure. ``str(exc)`` is the code and its facts, for developers.
    """

    def __init__(self, code: str, **params):
        self.code = code
        self.params = dict(params)
        facts = ", ".join(f"{k}={v!r}" for k, v in sorted(self.params.items()))
        super().__init__(f"{code}({facts})")

    def __reduce__(self):  # pickled with the build's analysis, which caches results
        return _no_information, (self.code, self.params)


def _no_information(code: str, params: dict) -> NoInformation:
    return NoInformation(code, **params)
