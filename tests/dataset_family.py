"""Valid datasets at the edges of what the book must handle, made from the synthetic cohort.

Each case of :data:`CASES` transforms the seeded synthetic cohort (:mod:`blina_analysis.data.synthetic`)
into a small dataset that ``blina validate`` accepts but that stresses one availability rule of the
book: an empty cohort, a group without responders, no events, follow-up shorter than 2 years, no
transplant, no adverse event... :func:`write_case` writes one as a dataset folder; :func:`random_dataset`
(for hypothesis) combines a random subset of patients with random transformations.

The transformations keep every rule of the data contract (dates in order, dates only with their
flags, last follow-up equal to the date of death, nothing after the cut-off), so every dataset made
here loads; the tests check that too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import numpy as np
import pandas as pd

from blina_analysis.data import schema, synthetic

__all__ = ["CASES", "WHOLE_BOOK_CASES", "TRANSFORMS", "base_cohort", "apply", "censor_at",
           "keep_events_of_patients", "write_case", "write_frames"]

_DATES = ("response_date", "hsct_after_bc_date", "relapse_date", "death_date")
_FLAGS = {"hsct_after_bc_date": "hsct_after_bc", "relapse_date": "relapse", "death_date": "death"}


def base_cohort(seed: int = synthetic.SEED, n: int = 66) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The synthetic cohort's patient and adverse-event tables (fresh copies)."""
    patients, events = synthetic.generate(seed, n)
    return patients.copy(), events.copy()


# --- building blocks ---------------------------------------------------------------------------

def _make_non_responder(p: pd.DataFrame, rows) -> None:
    """Turn ``rows`` into non-responders (and so without relapse) in place."""
    rows = p.index[np.asarray(rows, dtype=bool)] if not isinstance(rows, pd.Index) else rows
    rr = rows[p.loc[rows, "group"] == "RR"]
    mrd = rows[p.loc[rows, "group"] == "MRD"]
    p.loc[rr, "hematologic_response"] = "NR"
    p.loc[rr, "mrd_response"] = None
    p.loc[mrd, "mrd_response"] = "positive"
    p.loc[rows, "response_date"] = pd.NaT
    # an R/R patient never in remission cannot relapse; nor can a transplant follow "response"
    p.loc[rr, "relapse"] = False
    p.loc[rr, "relapse_date"] = pd.NaT


def _make_responder(p: pd.DataFrame, rows) -> None:
    """Turn ``rows`` into responders, responding 30 days after the start (or at last contact)."""
    rows = p.index[np.asarray(rows, dtype=bool)]
    rr = rows[p.loc[rows, "group"] == "RR"]
    mrd = rows[p.loc[rows, "group"] == "MRD"]
    had = p.loc[rows, "response_date"].notna()
    need = rows[~had.to_numpy()]
    p.loc[rr[~p.loc[rr, "hematologic_response"].isin(["CR", "CRh"]).to_numpy()],
          "hematologic_response"] = "CR"
    p.loc[rr, "mrd_response"] = p.loc[rr, "mrd_response"].where(
        p.loc[rr, "mrd_response"].notna(), "negative")
    p.loc[mrd, "mrd_response"] = "negative"
    day30 = p.loc[need, "bc_start_date"] + pd.Timedelta(days=30)
    p.loc[need, "response_date"] = day30.where(day30 < p.loc[need, "last_followup_date"],
                                              p.loc[need, "bc_start_date"])
    # relapse must come after response
    bad = rows[(p.loc[rows, "relapse_date"] <= p.loc[rows, "response_date"]).to_numpy()]
    p.loc[bad, "relapse"] = False
    p.loc[bad, "relapse_date"] = pd.NaT


def censor_at(p: pd.DataFrame, ae: pd.DataFrame, cap: pd.Series) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Follow-up ended at ``cap`` (a date per patient): later events are unseen, AEs after it dropped."""
    p, ae = p.copy(), ae.copy()
    cap = pd.Series(cap, index=p.index).where(lambda c: c < p["last_followup_date"],
                                              p["last_followup_date"])
    late_response = p["response_date"] > cap
    _make_non_responder(p, late_response.to_numpy())
    for date, flag in _FLAGS.items():
        late = p[date] > cap
        p.loc[late, flag] = False
        p.loc[late, date] = pd.NaT
    p["last_followup_date"] = cap
    return p, _aes_within(p, ae)


def _aes_within(p: pd.DataFrame, ae: pd.DataFrame) -> pd.DataFrame:
    ids = p.set_index("patient_id")
    ae = ae[ae["patient_id"].isin(ids.index)]
    last = ae["patient_id"].map(ids["last_followup_date"])
    start = ae["patient_id"].map(ids["bc_start_date"])
    return ae[(ae["onset_date"] <= last) & (ae["onset_date"] >= start)].reset_index(drop=True)


def _days(n) -> pd.Timedelta:
    return pd.Timedelta(days=int(n))


# --- transformations (each returns new frames) -------------------------------------------------

def keep_events_of_patients(p, ae):
    """Only the adverse events of the patients kept (after a subset was taken)."""
    return p, _aes_within(p, ae)


def no_events(p, ae):
    """Nobody relapsed or died: every time is censored."""
    p = p.copy()
    for flag, date in (("relapse", "relapse_date"), ("death", "death_date")):
        p[flag] = False
        p[date] = pd.NaT
    return p, ae


def all_dead_before_one_year(p, ae):
    """Every patient died within 300 days of the start (later milestones unseen)."""
    p, ae = censor_at(p, ae, p["bc_start_date"] + _days(300))
    p = p.copy()
    p["death"] = True
    p["death_date"] = p["last_followup_date"]
    return p, ae


def short_followup(p, ae):
    """Nobody followed to 2 years: follow-up ends 20 months after the start at the latest."""
    return censor_at(p, ae, p["bc_start_date"] + _days(600))


def no_transplant(p, ae):
    """No allo-HSCT before or after blinatumomab."""
    p = p.copy()
    p["prior_allo_hsct"] = False
    p["hsct_after_bc"] = False
    p["hsct_after_bc_date"] = pd.NaT
    return p, ae


def every_responder_transplanted(p, ae):
    """Every responder had an allo-HSCT (on the day of response at the latest possible)."""
    p = p.copy()
    resp = p["response_date"].notna() & ~p["hsct_after_bc"]
    p.loc[resp, "hsct_after_bc"] = True
    p.loc[resp, "hsct_after_bc_date"] = p.loc[resp, "response_date"]
    return p, ae


def no_adverse_events(p, ae):
    """No adverse event recorded."""
    return p, ae.iloc[0:0]


def one_adverse_event(p, ae):
    """A single adverse event, of grade 3."""
    ae = ae.iloc[0:1].copy()
    ae["grade"] = 3
    return p, ae


def subgroups_unknown(p, ae):
    """Cytogenetic risk, Ph status and marrow blasts unknown for everyone."""
    p = p.copy()
    p["cytogenetic_risk"] = None
    p["marrow_blasts_pct"] = np.nan
    return p, ae


def subgroups_one_level(p, ae):
    """Every subgroup variable takes one value: same sex, age band, risk, blasts, no prior HSCT."""
    p = p.copy()
    p["sex"] = "F"
    p["age"] = 30
    p["cytogenetic_risk"] = "high"
    p["marrow_blasts_pct"] = 70.0
    p["prior_allo_hsct"] = False
    return p, ae


def same_start_day(p, ae):
    """Every patient started blinatumomab on the same day (all dates shifted to it)."""
    p, ae = p.copy(), ae.copy()
    shift = p["bc_start_date"] - p["bc_start_date"].min()
    for col in schema.DATE_COLUMNS:
        p[col] = p[col] - shift
    ae["onset_date"] = ae["onset_date"] - ae["patient_id"].map(shift.set_axis(p["patient_id"]))
    return p, ae


def no_responders(p, ae):
    """Nobody responded."""
    p = p.copy()
    _make_non_responder(p, np.ones(len(p), dtype=bool))
    p["hsct_after_bc"] = False
    p["hsct_after_bc_date"] = pd.NaT
    return p, ae


def all_responders(p, ae):
    """Everybody responded."""
    p = p.copy()
    _make_responder(p, np.ones(len(p), dtype=bool))
    return p, ae


def zero_followup(p, ae):
    """Follow-up ended on the first day of blinatumomab for everyone."""
    p, ae = censor_at(p, ae, p["bc_start_date"])
    return p, ae


def only(group: str) -> Callable:
    def keep(p, ae):
        p = p[p["group"] == group].reset_index(drop=True)
        return p, _aes_within(p, ae)
    keep.__doc__ = f"Only the {group} cohort."
    keep.__name__ = f"only_{group.lower()}"
    return keep


def first(n: int, group: str | None = None) -> Callable:
    def keep(p, ae):
        sub = p if group is None else p[p["group"] == group]
        p = sub.iloc[:n].reset_index(drop=True)
        return p, _aes_within(p, ae)
    keep.__doc__ = f"The first {n} patients" + (f" of the {group} cohort." if group else ".")
    keep.__name__ = f"first_{n}" + (f"_{group.lower()}" if group else "")
    return keep


def group_without_responders(group: str) -> Callable:
    def none(p, ae):
        p = p.copy()
        rows = (p["group"] == group).to_numpy()
        _make_non_responder(p, rows)
        p.loc[rows, "hsct_after_bc"] = False
        p.loc[rows, "hsct_after_bc_date"] = pd.NaT
        return p, ae
    none.__doc__ = f"No responder in the {group} cohort."
    none.__name__ = f"no_{group.lower()}_responders"
    return none


def optional_fields_recorded(p, ae):
    """Every optional column filled in where its rules allow: the cycle of response of each
    responder, a reason for each early stop, a cause for each death, Ph status, the cycle and attribution of
    each adverse event (with :data:`RECORDED_YAML`, every optional field of dataset.yaml)."""
    p, ae = p.copy(), ae.copy()
    resp = p["response_date"].notna()
    p["response_cycle"] = pd.array([None] * len(p), dtype="Int64")
    p.loc[resp, "response_cycle"] = np.minimum(2, p.loc[resp, "cycles"]).astype(int)
    stopped = p["bc_stopped_early"].astype(bool)
    reasons = np.array(schema.EARLY_STOP_REASONS, dtype=object)
    p["early_stop_reason"] = None
    p.loc[stopped, "early_stop_reason"] = reasons[np.arange(int(stopped.sum())) % len(reasons)]
    died = p["death"].astype(bool)
    causes = np.array(schema.DEATH_CAUSES, dtype=object)
    p["death_cause"] = None
    p.loc[died, "death_cause"] = causes[np.arange(int(died.sum())) % len(causes)]
    p.loc[died & (np.arange(len(p)) % 7 == 0), "death_cause"] = None  # a few not recorded
    p["ph_status"] = np.where(np.arange(len(p)) % 4 == 0, "positive", "negative")
    cycles = ae["patient_id"].map(p.set_index("patient_id")["cycles"])
    ae["cycle"] = pd.array(np.minimum(1 + np.arange(len(ae)) % 3, cycles.fillna(1)).astype(int),
                           dtype="Int64")
    attributions = np.array(schema.AE_ATTRIBUTIONS, dtype=object)
    ae["attribution"] = attributions[np.arange(len(ae)) % len(attributions)]
    return p, ae


#: The optional fields of dataset.yaml, for the case that records everything; ``screened`` is
#: written from the number of patients so that the counts add up.
RECORDED_YAML = ('ctcae_version: "4.03"\ncrs_grading: Lee 2014\nicans_grading: CTCAE\n'
                 "mrd_method: flow cytometry\nmrd_threshold: 0.0001\n"
                 "mrd_timepoint: after cycle 1\nscreened: {screened}\n"
                 "excluded: {{not eligible: 9, declined: 3}}\n"
                 "not_treated: {{died before start: 2}}\n")
#: Cases whose dataset.yaml records the optional fields.
RECORDED_CASES = ("optional_fields_recorded",)


#: Transformations that hypothesis may combine (in this order).
TRANSFORMS: tuple[Callable, ...] = (
    no_events, all_dead_before_one_year, short_followup, no_transplant,
    every_responder_transplanted, no_adverse_events, one_adverse_event, subgroups_unknown,
    subgroups_one_level, same_start_day, no_responders, all_responders, zero_followup,
    group_without_responders("RR"), group_without_responders("MRD"),
)

#: name -> (transformations applied in order, ``synthetic`` flag of the dataset).
CASES: dict[str, tuple[tuple[Callable, ...], bool]] = {
    "one_patient_rr": ((first(1, "RR"),), True),
    "one_patient_mrd": ((first(1, "MRD"),), True),
    "three_rr_patients": ((first(3, "RR"),), True),
    "only_mrd": ((only("MRD"),), True),
    "only_rr": ((only("RR"),), True),
    "no_rr_responders": ((group_without_responders("RR"),), True),
    "no_mrd_responders": ((group_without_responders("MRD"),), True),
    "no_responders": ((no_responders,), True),
    "all_responders": ((all_responders,), True),
    "no_events": ((no_events,), True),
    "all_dead_before_one_year": ((all_dead_before_one_year,), True),
    "nobody_followed_two_years": ((short_followup,), True),
    "no_transplant": ((no_transplant,), True),
    "every_responder_transplanted": ((every_responder_transplanted,), True),
    "no_adverse_events": ((no_adverse_events,), True),
    "one_adverse_event": ((one_adverse_event,), True),
    "subgroups_unknown": ((subgroups_unknown,), True),
    "subgroups_one_level": ((subgroups_one_level,), True),
    "same_start_day": ((same_start_day,), True),
    "zero_followup": ((zero_followup,), True),
    "real_data": ((), False),
    "real_small_no_events": ((first(5), no_events, no_adverse_events), False),
    "optional_fields_recorded": ((optional_fields_recorded,), True),
}

#: The most different cases, built as whole books by the slow test.
WHOLE_BOOK_CASES = ("one_patient_rr", "only_mrd", "no_events", "nobody_followed_two_years",
                    "real_small_no_events")


def write_frames(folder: Path, patients: pd.DataFrame, events: pd.DataFrame, *, name: str,
                 synthetic_flag: bool = True, extra_yaml: str = "") -> Path:
    """Write a dataset folder from frames in the generator's format (with the optional columns
    the frames have), ``extra_yaml`` appended to dataset.yaml."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / schema.PATIENTS_FILE).write_text(synthetic._csv_text(patients), encoding="utf-8")
    ae_columns = [c.name for c in schema.AE_COLUMNS if c.name in events.columns]
    (folder / schema.AE_FILE).write_text(synthetic._csv_text(events[ae_columns]),
                                         encoding="utf-8")
    kind = "synthetic test data" if synthetic_flag else "a test dataset standing in for real data"
    (folder / schema.DATASET_FILE).write_text(
        f"name: {name}\nversion: \"0.1\"\ncutoff_date: {synthetic.CUTOFF:%Y-%m-%d}\n"
        f"synthetic: {'true' if synthetic_flag else 'false'}\n"
        f"description: {kind}, made by tests/dataset_family.py\n" + extra_yaml,
        encoding="utf-8")
    return folder


def apply(transforms, patients: pd.DataFrame, events: pd.DataFrame):
    for t in transforms:
        patients, events = t(patients, events)
    return patients.reset_index(drop=True), events.reset_index(drop=True)


def write_case(case: str, folder: Path) -> Path:
    """Write the dataset of ``case`` (a key of :data:`CASES`) into ``folder``."""
    transforms, synthetic_flag = CASES[case]
    patients, events = apply(transforms, *base_cohort())
    extra = (RECORDED_YAML.format(screened=len(patients) + 12 + 2) if case in RECORDED_CASES
             else "")
    return write_frames(folder, patients, events, name=f"edge-{case.replace('_', '-')}",
                        synthetic_flag=synthetic_flag, extra_yaml=extra)
