"""Is this Russian text free of English? One rule for the built pages and the page values.

A text holds English when it has an English function word as a whole word (case-insensitive,
:data:`FUNCTION_WORDS`), or a run of three or more Latin words in a row (:data:`LATIN_RUN`): a
Russian sentence keeps Latin only for codes and the few abbreviations of :data:`ALLOWED_LATIN`.
A Latin "word" is two or more letters (hyphens and apostrophes inside it allowed) with no digit:
codes such as CD19, BCR::ABL1, MT103-211, a commit or an edition identifier do not count, nor do
single letters (p, n, N, t of the formulas).
"""

from __future__ import annotations

import re

__all__ = ["FUNCTION_WORDS", "ALLOWED_LATIN", "english_in"]

#: Words that only an English sentence has (none is a Russian abbreviation or a code).
FUNCTION_WORDS = (
    "the", "of", "and", "with", "in", "was", "were", "is", "are", "patient", "patients", "from",
    "for", "to", "not", "this", "that", "these", "those", "by", "at", "on", "or", "after",
    "before", "which", "who", "has", "have", "had", "than", "an", "its", "their", "be", "been",
    "each", "every", "no", "none", "only", "per", "when", "where", "while", "within", "without",
    "there", "it", "they", "them", "but", "if", "into", "between", "both", "all", "any",
    "more", "fewer", "most", "same", "months", "response", "survival", "relapse", "median",
)
#: A whole word: not part of an identifier, a path or a hyphenated code.
_FUNCTION = re.compile(r"(?<![\w\-./])(?:" + "|".join(FUNCTION_WORDS) + r")(?![\w\-/])", re.I)

#: Latin that a Russian page keeps (the glossary gives no Russian form for these).
ALLOWED_LATIN = frozenset({
    "CTCAE",            # степень ≥3 (CTCAE): the grading system's name, as in the glossary
    "vs",               # «vs» between two rates, as Russian papers write it
    "blina-synthetic",  # the shipped dataset's name, as recorded in dataset.yaml
})
#: A file name (``patients.csv``, ``dataset.yaml``): a name, not English words; left out before
#: looking for function words ("patients" of ``patients.csv`` is not the English word).
_FILE_NAME = re.compile(r"\b[\w-]+\.(?:csv|xlsx|yaml|json)\b")
#: A Latin word (letters only; inner hyphens and apostrophes kept).
_WORD = re.compile(r"[A-Za-z]+(?:['’\-][A-Za-z]+)*")
#: What may wrap a word without making it something else.
_WRAP = "«»\"“”'‘’()[],;:"


def _latin_runs(text: str) -> list[str]:
    """Runs of three or more Latin words in a row (a full stop ends a run)."""
    runs, run = [], []
    for token in text.split():
        word = token.strip(_WRAP).rstrip(".!?").strip(_WRAP)
        latin = (len(word) > 1 and _WORD.fullmatch(word) is not None
                 and word not in ALLOWED_LATIN)
        if latin:
            run.append(token)
        if not latin or token.rstrip(_WRAP).endswith((".", "!", "?")):
            if len(run) >= 3:
                runs.append(" ".join(run))
            run = []
    if len(run) >= 3:
        runs.append(" ".join(run))
    return runs


def english_in(text: str) -> list[str]:
    """The English found in ``text``: its English function words and runs of Latin words."""
    found = [m.group(0) for m in _FUNCTION.finditer(_FILE_NAME.sub(" ", text))]
    return found + [run for run in _latin_runs(text)
                    if not any(_FUNCTION.search(w) for w in run.split())]
