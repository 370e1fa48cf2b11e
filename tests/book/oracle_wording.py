"""Oracle expectations of the figures-and-wording topic (issue 19, section 5).

The numbers here are the book's drawing rules (at least 5 at risk for a solid curve, numbers at
risk every 6 months, one lane per patient up to 80 patients, the response assessment on day
84), restated by hand, and the number of patients, counted in the raw CSV file.
"""

from __future__ import annotations

import csv
from pathlib import Path

__all__ = ["expected_glue"]


def _n_patients(data_dir: Path) -> int:
    with open(data_dir / "patients.csv", newline="", encoding="utf-8-sig") as f:
        return sum(1 for _ in csv.DictReader(f))


def expected_glue(o, data_dir: Path) -> dict[tuple[str, str], list[str]]:
    n = _n_patients(data_dir)
    return {
        ("chapters/methods", "curve_rule"): ["5", "6"],
        ("chapters/rr_results", "course_text"): (["84", "80"] if n <= 80
                                                 else [str(n), "80", "84"]),
    }
