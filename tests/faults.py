"""Re-introduce the deliberate faults of issue 20, one at a time, and run the tests that must
catch each.

Usage (from the repository root)::

    .venv/bin/python tests/faults.py --list
    .venv/bin/python tests/faults.py [NAME ...]      # default: every fault

Each fault is a text patch (file, old text, new text) applied to a copy of the tracked files in a
temporary folder; the catching tests then run in that copy (``PYTHONPATH`` points at it, so the
book's kernels import the faulty package too). A fault is caught when pytest exits 1 (a test
failed); it is reported as MISSED when the tests pass. The faults that need a built book take a
few minutes each.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Fault:
    file: str
    old: str
    new: str
    tests: tuple[str, ...]  # pytest arguments: the catching tests (and a -k selection)
    what: str


FAULTS = {
    "survival-one-event-off": Fault(
        "blina_analysis/analyses/survival.py",
        '            return stats.kaplan_meier(t["time_days"].to_numpy(), t["event"].to_numpy(),',
        '            event = t["event"].to_numpy().copy()\n'
        '            if (pop, endpoint) == ("responders", "DFS"):\n'
        '                event[np.flatnonzero(event == 1)[0]] = 0\n'
        '            return stats.kaplan_meier(t["time_days"].to_numpy(), event,',
        ("tests/book/test_oracle.py::test_results_json_equals_R", "-k", "shipped"),
        "responders' 2-year DFS from the start (the paper's figure) one event off in "
        "results.json and the concordance table"),
    "relapse-after-and-without-hsct-swapped": Fault(
        "blina_analysis/analyses/summaries.py",
        '    return CrudeRelapse(transplanted=groups["transplanted"],\n'
        '                        not_transplanted=groups["not transplanted"],',
        '    return CrudeRelapse(transplanted=groups["not transplanted"],\n'
        '                        not_transplanted=groups["transplanted"],',
        ("tests/test_words.py::test_crude_relapse_keeps_its_groups_apart",),
        "the abstract says 55% relapsed after a transplant against 21% without"),
    "more-effective-becomes-less-effective": Fault(
        "index.md",
        "The published conclusion was that blinatumomab is more effective in the MRD+",
        "The published conclusion was that blinatumomab is less effective in the MRD+",
        ("tests/test_words.py::test_the_published_conclusion_is_quoted_in_its_direction",),
        '"more effective" becomes "less effective" in the quoted conclusion'),
    "fewer-than-half-becomes-more-than-half": Fault(
        "blina_analysis/report/text/compare.py",
        '    "share": {HIGHER: "more than half of the", LOWER: "fewer than half of the",',
        '    "share": {HIGHER: "fewer than half of the", LOWER: "more than half of the",',
        ("tests/test_words.py",),
        '"fewer than half" becomes "more than half" (the pivotal trials\' share, discussion)'),
    "switcher-always-opens-the-latest": Fault(
        "blina_analysis/publish/static/blina-editions.js",
        "    const entry = entries.find((e) => e.version === select.value);",
        "    const entry = entries.find((e) => e.preferred);",
        ("tests/book/test_publish.py::test_switcher_goes_both_ways_and_to_the_middle_edition",),
        "the edition switcher opens the latest edition whatever is chosen"),
    "loader-rounds-numbers": Fault(
        "blina_analysis/data/io.py",
        '        values = pd.to_numeric(cells.where(ok & ~empty), errors="coerce").astype(float)',
        '        values = pd.to_numeric(cells.where(ok & ~empty), errors="coerce").astype(float)'
        '.round(2)',
        ("tests/test_hostile_input.py::test_accepted_data_round_trips_through_csv_text",),
        "every number rounded to 2 decimals by the loader"),
    "patient-id-true-becomes-true": Fault(
        "blina_analysis/data/io.py",
        '        return "TRUE" if value else "FALSE"',
        '        return "true" if value else "false"',
        ("tests/test_data_forms.py::test_a_patient_id_typed_true_in_excel_stays_text",),
        'a patient ID typed TRUE in Excel becomes "true"'),
    "workflow-skips-slow-tests": Fault(
        ".github/workflows/pages.yml",
        "        run: .venv/bin/python -m pytest -q",
        '        run: .venv/bin/python -m pytest -m "not slow" -q',
        ("tests/test_workflow.py::test_workflow_publishes_tested_editions_to_pages",),
        "the publishing workflow runs only the fast tests"),
    "curves-solid-with-fewer-than-five-at-risk": Fault(
        "blina_analysis/report/figures/curves.py",
        '    kinds = np.where(n_risk >= MIN_AT_RISK_SHOWN, "solid",',
        '    kinds = np.where(n_risk >= 1, "solid",',
        ("tests/test_figures.py::test_km_plot_draws_curves_censor_marks_and_at_risk_table",),
        "curves stay solid to the last patient at risk"),
    "most-read-off-the-estimate-not-the-interval": Fault(
        "blina_analysis/report/text/compare.py",
        "    if direction(ci_low, (1, 2)) == HIGHER:",
        "    if direction(ci_high, (1, 2)) == HIGHER:",
        ("tests/test_words.py", "-k", "claim_of_a_majority"),
        '"most" claimed when the interval contains one half'),
    "one-decimal-rule-dropped": Fault(
        "blina_analysis/report/fmt.py",
        "    return 1 if half_up(magnitude, 1) < ONE_DECIMAL_BELOW_PERCENT else 0",
        "    return 0",
        ("tests/test_fmt.py",),
        "percentages below 10% lose their decimal"),
}


def _copy_tree(dest: Path) -> None:
    """The tracked files of the working tree (with uncommitted edits), nothing else."""
    files = subprocess.run(["git", "ls-files", "-z"], cwd=ROOT, capture_output=True,
                           check=True).stdout.decode().split("\0")
    for name in filter(None, files):
        src = ROOT / name
        if src.is_file():
            (dest / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, dest / name)
    subprocess.run(["git", "init", "-q"], cwd=dest, check=True)  # provenance needs a repository
    subprocess.run(["git", "add", "-A"], cwd=dest, check=True)
    subprocess.run(["git", "-c", "user.name=faults", "-c", "user.email=faults@invalid", "commit",
                    "-qm", "fault"], cwd=dest, check=True)


def run(name: str) -> bool:
    """Apply fault ``name`` to a copy and run its tests; True when a test failed (caught)."""
    fault = FAULTS[name]
    with tempfile.TemporaryDirectory(prefix=f"fault-{name}-") as tmp:
        copy = Path(tmp)
        target = copy / fault.file
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / fault.file, target)
        text = target.read_text(encoding="utf-8")
        if text.count(fault.old) != 1:
            raise SystemExit(f"{name}: the text to patch is not found once in {fault.file}; "
                             "update tests/faults.py")
        _copy_tree(copy)
        target.write_text(text.replace(fault.old, fault.new), encoding="utf-8")
        env = dict(os.environ, PYTHONPATH=str(copy))
        result = subprocess.run([sys.executable, "-m", "pytest", "-n", "0", "-x", "-q", "-p",
                                 "no:cacheprovider", *fault.tests], cwd=copy, env=env,
                                capture_output=True, text=True)
        caught = result.returncode == 1
        print(f"{'caught' if caught else 'MISSED'}  {name}: {fault.what}\n"
              f"        by {' '.join(fault.tests)} (pytest exit {result.returncode})")
        why = [line for line in result.stdout.splitlines() if line.startswith("E ")][:2]
        print("\n".join(f"        {line[:200]}" for line in why))  # what the test said
        if result.returncode not in (0, 1):
            print(result.stdout[-2000:], result.stderr[-2000:])
        return caught


def main(argv: list[str]) -> int:
    if argv[:1] == ["--list"]:
        for name, fault in FAULTS.items():
            print(f"{name}: {fault.what}\n    {', '.join(fault.tests)}")
        return 0
    names = argv or list(FAULTS)
    unknown = [n for n in names if n not in FAULTS]
    if unknown:
        print(f"unknown fault(s): {', '.join(unknown)}; see --list")
        return 2
    missed = [n for n in names if not run(n)]
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
