"""`benchmarks/run.py` still runs, in each of its modes, on a tiny cohort.

The script is not a test (it prints figures), so nothing else would notice when a change in the
package breaks it. Each mode runs once (``--repeat 1``) on 20 generated patients (the fewest for
which every population the chapters show is non-empty), with the large sizes and the
10,000-patient build left out and everything written under ``tmp_path``.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from blina_analysis.data import schema, synthetic

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "benchmarks" / "run.py"
PATIENTS = 20


def _run(*args: str) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, str(SCRIPT), *args], text=True, capture_output=True,
                          cwd=ROOT, timeout=1800)
    assert proc.returncode == 0, f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc


def _csv_rows(path: Path) -> int:
    with open(path, newline="", encoding="utf-8") as f:
        return sum(1 for _ in csv.reader(f)) - 1  # minus the header


def test_analysis_mode(tmp_path):
    proc = _run("--only", "analysis", "--sizes", str(PATIENTS), "--repeat", "1",
                "--out", str(tmp_path))
    cohort = tmp_path / "data" / f"n{PATIENTS}-seed{synthetic.SEED}"
    ae_rows = _csv_rows(cohort / schema.AE_FILE)  # counted from the file, not by the package
    assert _csv_rows(cohort / schema.PATIENTS_FILE) == PATIENTS
    assert f"| | {PATIENTS} | {ae_rows} |" in proc.stdout
    assert f"generation (synthetic.write_dataset, not part of the analysis): {PATIENTS} patients" \
        in proc.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]  # nothing else left behind


def test_profile_mode(tmp_path):
    proc = _run("--profile", str(PATIENTS), "--out", str(tmp_path))
    result = json.loads(proc.stdout.split("RESULT ", 1)[1])
    assert (result["patients"], result["ae_rows"]) == (
        PATIENTS, _csv_rows(tmp_path / "data" / f"n{PATIENTS}-seed{synthetic.SEED}"
                            / schema.AE_FILE))
    assert "Ordered by: cumulative time" in proc.stderr  # the profile itself


@pytest.mark.slow
def test_build_mode(tmp_path):
    # one language: the script renders and builds every language the same way, side by side
    proc = _run("--only", "build", "--repeat", "1", "--no-10k-build", "--lang", "en",
                "--out", str(tmp_path))
    assert "languages built: en\n" in proc.stdout
    for row in ("render floor (Sphinx, execution off)", "clean build, shipped data (66)",
                "rebuild, nothing changed", "rebuild after a data change"):
        assert f"| {row} |" in proc.stdout, row
    assert "- unchanged rebuild byte-identical to a clean build: True" in proc.stdout
    assert "- data change 1: every chapter re-executed: True;" in proc.stdout
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]  # the scratch folder removed
