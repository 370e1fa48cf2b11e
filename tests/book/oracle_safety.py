"""Expectations of the safety topic (issue 19 §4): deaths, adverse events by cohort and by cycle,
exposure, and the methods chapter's dataset, definitions and flow notes.

R side: ``tests/fixtures/oracle/make_oracle_safety.R`` (``safety_by_cohort.csv``,
``safety_recorded.csv``); the dataset's identity from its raw ``dataset.yaml`` and files.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import yaml

from .test_oracle import Oracle, num, pct

#: The protocol's cycle (days of infusion + pause) and early-death windows, restated by hand.
CYCLE, INFUSION, WINDOWS = 42, 28, (30, 60)
#: The order in which the book lists reasons and causes (the format's order of values).
ORDER = ("adverse_event", "no_response", "relapse", "hsct", "death", "patient_decision",
         "infection", "treatment_toxicity", "transplant_related", "other")


def _n_pct(n: int, N: int) -> list[str]:
    """``"3 (5%)"`` as one piece, or nothing for "none"."""
    return [f"{n} ({pct(n / N)})"] if n else []


def _recorded(o: Oracle, what: str) -> dict[str, int]:
    found = {r["code"]: r["n"] for r in o.rows("safety_recorded")
             if r["what"] == what and isinstance(r["code"], str)}
    return {code: found[code] for code in ORDER if code in found}


def expected_glue(o: Oracle, data_dir: Path) -> dict[tuple[str, str], list[str]]:
    by = {r["cohort"]: r for r in o.rows("safety_by_cohort")}
    a = by["all"]
    N = a["N"]
    meta = yaml.safe_load((data_dir / "dataset.yaml").read_text(encoding="utf-8"))
    digest = hashlib.sha256()
    for name in sorted(("dataset.yaml", "patients.csv", "adverse_events.csv")):
        digest.update(f"{name}:{hashlib.sha256((data_dir / name).read_bytes()).hexdigest()}\n"
                      .encode())
    n_ae = sum(1 for _ in (data_dir / "adverse_events.csv").open(encoding="utf-8")) - 1

    # deaths
    if a["died"] == 0:
        deaths = []
    else:
        deaths = [str(N), f"{a['died']} ({pct(a['died'] / N)})", *_n_pct(a["on_treatment"], N)]
        for days, key in zip(WINDOWS, ("within_30d", "within_60d")):
            deaths += [str(days), *_n_pct(a[key], N)]
        causes = _recorded(o, "death_cause")
        deaths += [str(n) for n in causes.values()]  # (the count of causes not recorded aside)
    stops = _recorded(o, "early_stop_reason")
    cohort_g3 = ["3"]  # "grade ≥3"
    for g in ("MRD", "RR"):
        if by[g]["N"]:
            cohort_g3 += [*_n_pct(by[g]["grade3plus"], by[g]["N"]), str(by[g]["N"])]
    cycles = [num(a["cycles_median"], 1 if a["cycles_median"] % 1 else 0), str(a["cycles_min"]),
              str(a["cycles_max"])]
    for g in ("MRD", "RR"):
        if by[g]["N"]:
            m = by[g]["cycles_median"]
            cycles += [num(m, 1 if m % 1 else 0), str(by[g]["cycles_min"]), str(by[g]["cycles_max"])]
    # the oracle's cohorts record none of the optional columns: the sentences say so, no number
    assert not _recorded(o, "ae_cycle") and not _recorded(o, "attribution")
    description = " ".join(str(meta["description"]).split())
    return {
        ("chapters/safety", "deaths_text"): deaths,
        ("chapters/safety", "deaths_definition"): ["1", str(CYCLE), str(INFUSION), str(INFUSION),
                                                   str(CYCLE - INFUSION),
                                                   *(str(w) for w in WINDOWS)],
        ("chapters/safety", "ae_cohort_text"): cohort_g3,
        ("chapters/safety", "ae_cycle_text"): [],
        ("chapters/safety", "ae_attribution_text"): [],
        ("chapters/safety", "cycles_text"): cycles,
        ("chapters/safety", "stop_reasons_text"): [str(n) for n in stops.values()],
        ("chapters/methods", "dataset_identity"): [
            meta["name"], str(meta["version"]), str(meta["cutoff_date"]), str(N),
            str(by["MRD"]["N"]), str(by["RR"]["N"]), str(n_ae), "256", digest.hexdigest()[:16]],
        ("chapters/methods", "dataset_description"): re.findall(r"\d+(?:\.\d+)?", description),
        ("chapters/methods", "ph_status_note"): ["1", "1"],  # BCR::ABL1 and Table 1
        ("chapters/methods", "flow_note"): [],
    }
