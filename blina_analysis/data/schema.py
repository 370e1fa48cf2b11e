"""The data contract: one declaration of the dataset format, its meaning and its rules.

A dataset is a folder with three files:

* ``dataset.yaml`` — what the data is (:data:`DATASET_FIELDS`) and, optionally, how to read the
  tables (:data:`READING_FIELDS`);
* ``patients.csv`` or ``patients.xlsx`` — one row per patient (:data:`PATIENT_COLUMNS`);
* ``adverse_events.csv`` or ``adverse_events.xlsx`` — one row per adverse event
  (:data:`AE_COLUMNS`).

Everything else in the package reads the format from here: the loader (:mod:`blina_analysis.data.io`)
parses and checks files against these declarations, the README and the methods chapter render the
data dictionary from them (:func:`data_dictionary`), and the synthetic generator writes columns in
this order. Column-level rules (types, ranges, allowed values, uniqueness, required cells) run as a
`pandera <https://pandera.readthedocs.io>`_ schema built from the declarations; rules that relate
several columns are :class:`RowRule` objects, checked by the same pandera schema as wide checks, so
that one lazy validation collects every problem at once.

The forms in which a table is accepted (delimiters, encodings, date forms, Excel workbooks) are
declared here too (:data:`DELIMITERS`, :data:`DATE_FORMS`, ...) and described in one text,
:func:`accepted_forms_markdown`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Literal

import pandas as pd

from blina_analysis.i18n import N_, _

__all__ = [
    "ColumnSpec",
    "RowRule",
    "FieldSpec",
    "DATASET_FILE",
    "PATIENTS_FILE",
    "AE_FILE",
    "TABLE_FORMS",
    "DELIMITERS",
    "DECIMAL_COMMA_DELIMITER",
    "DATE_FORMS",
    "DATASET_FIELDS",
    "READING_FIELDS",
    "RECORDED_FIELDS",
    "EARLY_STOP_REASONS",
    "DEATH_CAUSES",
    "AE_ATTRIBUTIONS",
    "RELATED_ATTRIBUTIONS",
    "PATIENT_COLUMNS",
    "AE_COLUMNS",
    "PATIENT_RULES",
    "AE_RULES",
    "PENDING",
    "HEMATOLOGIC_RESPONSES",
    "REMISSION_RESPONSES",
    "MRD_RESPONSES",
    "MRD_NEGATIVE",
    "RESPONSE_COLUMNS",
    "RESPONDER",
    "NON_RESPONDER",
    "response_status",
    "AE_CATEGORIES",
    "DATE_COLUMNS",
    "data_dictionary",
    "data_dictionary_markdown",
    "dataset_fields",
    "accepted_forms_markdown",
]

DATASET_FILE = "dataset.yaml"
PATIENTS_FILE = "patients.csv"
AE_FILE = "adverse_events.csv"
#: Each table is one file of its stem, in one of these forms (never both in one folder); an Excel
#: workbook is read from its first sheet.
TABLE_FORMS = (".csv", ".xlsx")
#: CSV delimiters recognised (from the header row).
DELIMITERS = (",", ";", "\t")
#: With this delimiter (Excel in a Russian or other European locale) ``40,5`` means 40.5.
DECIMAL_COMMA_DELIMITER = ";"
#: Written forms of a date; a date with ``/`` is refused (day/month or month/day?).
DATE_FORMS = ("YYYY-MM-DD", "DD.MM.YYYY")

Kind = Literal["text", "integer", "number", "bool", "date", "category", "mapping", "counts"]

#: Code of a response not yet assessed (patient still on treatment), in either response column.
PENDING = "pending"
HEMATOLOGIC_RESPONSES = ("CR", "CRh", "NR", "NE", PENDING)
#: Best responses that mean haematological remission (a responder in the R/R group).
REMISSION_RESPONSES = ("CR", "CRh")
MRD_NEGATIVE = "negative"
MRD_RESPONSES = (MRD_NEGATIVE, "positive", PENDING)
#: Each cohort's response: the column that holds it and the values that make a responder.
RESPONSE_COLUMNS = {"RR": ("hematologic_response", REMISSION_RESPONSES),
                    "MRD": ("mrd_response", (MRD_NEGATIVE,))}
#: Values of :func:`response_status` (with :data:`PENDING`).
RESPONDER = "responder"
NON_RESPONDER = "non-responder"


def response_status(df: pd.DataFrame) -> pd.Series:
    """Each patient's response: :data:`RESPONDER`, :data:`NON_RESPONDER` or :data:`PENDING`.

    The responder rule, stated once (the analysis' populations and the rules on `response_date`
    both use it): in each cohort the column of :data:`RESPONSE_COLUMNS` decides; R/R: CR or CRh;
    MRD group: MRD negativity. `pending` (not yet assessed) is neither; any other value, or none
    (e.g. MRD not assessed), is no response (intention to treat).

    Parameters
    ----------
    df : DataFrame
        Patient rows with ``group``, ``hematologic_response`` and ``mrd_response``.

    Returns
    -------
    Series
        One value per row, on the index of ``df``.
    """
    status = pd.Series(NON_RESPONDER, index=df.index, dtype=object)
    for group, (column, responses) in RESPONSE_COLUMNS.items():
        in_group = (df["group"] == group).fillna(False).astype(bool)
        value = df[column]
        status[in_group & value.isin(responses).fillna(False).astype(bool)] = RESPONDER
        status[in_group & (value == PENDING).fillna(False).astype(bool)] = PENDING
    return status


AE_CATEGORIES = ("CRS", "neurologic", "hematologic", "infection", "hepatic", "other")
#: Why blinatumomab was stopped before schedule (``early_stop_reason``).
EARLY_STOP_REASONS = ("adverse_event", "no_response", "relapse", "hsct", "death",
                      "patient_decision", "other")
#: Causes of death (``death_cause``).
DEATH_CAUSES = ("relapse", "infection", "treatment_toxicity", "transplant_related", "other")
#: Attribution of an adverse event to blinatumomab (NCI scale, ``attribution``).
AE_ATTRIBUTIONS = ("unrelated", "unlikely", "possible", "probable", "definite")
#: Attributions that count an adverse event as related to blinatumomab.
RELATED_ATTRIBUTIONS = ("possible", "probable", "definite")


@dataclass(frozen=True)
class ColumnSpec:
    """One column of a CSV file.

    ``in_header`` says whether the column must appear in the header; an optional column that is
    absent is read as all-empty. ``required`` says whether every cell must be filled;
    ``required_text`` describes a conditional requirement for the data dictionary (the rule itself
    is a :class:`RowRule`).
    """

    name: str
    kind: Kind
    meaning: str
    required: bool = False
    required_text: str | None = None
    in_header: bool = True
    allowed: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    unique: bool = False

    @property
    def type_text(self) -> str:
        """How the data dictionary describes the column's type."""
        if self.kind == "category":
            return " / ".join(f"`{a}`" for a in self.allowed)
        bounds = ""
        if self.minimum is not None and self.maximum is not None:
            bounds = f" {self.minimum:g}–{self.maximum:g}"
        elif self.minimum is not None:
            bounds = f" ≥ {self.minimum:g}"
        return {
            "text": _("text"),
            "integer": _("integer"),
            "number": _("number"),
            "bool": "`true` / `false`",
            "date": _("date"),
        }[self.kind] + bounds


@dataclass(frozen=True)
class RowRule:
    """A rule relating several columns of one row (or a row to the dataset).

    ``column`` is the column an error is reported against; ``ok(frame, context)`` returns a boolean
    Series, True where the row satisfies the rule. ``uses`` names the other columns ``ok`` reads:
    a row where any of these cells (or ``column``'s own) is invalid — unreadable, not an allowed
    value, out of range, or a required cell left empty — is not reported by the rule, since the
    column check has reported the cause already.
    """

    column: str
    text: str
    ok: Callable[[pd.DataFrame, dict], pd.Series] = field(repr=False)
    uses: tuple[str, ...] = ()

    @property
    def columns(self) -> tuple[str, ...]:
        """Every column the rule reads, its own first."""
        return (self.column, *(c for c in self.uses if c != self.column))


@dataclass(frozen=True)
class FieldSpec:
    """One field of ``dataset.yaml``; ``example`` is what the template shows for an optional one."""

    name: str
    kind: Kind
    meaning: str
    required: bool = True
    example: str | None = None


DATASET_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("name", "text", "short name of the dataset, used in file names"),
    FieldSpec("version", "text", "version of the dataset (e.g. a data-cut label)"),
    FieldSpec("cutoff_date", "date", "data cut-off: no date in the data may be later"),
    FieldSpec("synthetic", "bool", "`true` for a synthetic reconstruction, `false` for real data"),
    FieldSpec("description", "text", "what the dataset is, where it comes from"),
)

#: Optional fields of ``dataset.yaml`` that say how to read the tables (not what the data is).
READING_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("encoding", "text",
              "text encoding of the CSV files when not UTF-8: any Python codec name, e.g. "
              "`cp1251` (Windows Cyrillic), `koi8-r`, `cp1252`", required=False,
              example="cp1251"),
    FieldSpec("values", "mapping",
              "values to read as others, per column (any letter case), e.g. "
              "`{sex: {муж: M, жен: F}, death: {да: true, нет: false}}`; an empty value means "
              "missing", required=False,
              example="{sex: {муж: M, жен: F}, death: {да: true, нет: false}}"),
)

#: Optional fields of ``dataset.yaml`` that record how the trial was run and who was screened;
#: the book shows each where it is recorded and says "not recorded" where it is not.
RECORDED_FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("ctcae_version", "text", "version of the CTCAE used to grade adverse events, "
              "e.g. `4.03` or `5.0`", required=False, example='"4.03"'),
    FieldSpec("crs_grading", "text", "grading system of cytokine release syndrome (CRS), e.g. "
              "`Lee 2014` or `ASTCT 2019`", required=False, example="Lee 2014"),
    FieldSpec("icans_grading", "text", "grading system of neurotoxicity (ICANS), e.g. `CTCAE` "
              "or `ASTCT 2019`", required=False, example="CTCAE"),
    FieldSpec("mrd_method", "text", "method of MRD measurement, e.g. `flow cytometry` or "
              "`RQ-PCR (IG/TR)`", required=False, example="flow cytometry"),
    FieldSpec("mrd_threshold", "number", "MRD threshold of negativity as a fraction of "
              "nucleated cells, greater than 0 and less than 1, e.g. `0.0001` (10⁻⁴, 0.01%)",
              required=False, example="0.0001"),
    FieldSpec("mrd_timepoint", "text", "time point of the MRD assessment after "
              "blinatumomab, e.g. `after cycle 1`", required=False, example="after cycle 1"),
    FieldSpec("screened", "integer", "patients screened for the trial: equals the patients "
              "of `patients.csv` plus those of `excluded` and `not_treated`", required=False,
              example="80"),
    FieldSpec("excluded", "counts", "patients screened but not enrolled, by reason "
              "(`reason: count`); needs `screened`", required=False,
              example="{not eligible: 9, declined: 3}"),
    FieldSpec("not_treated", "counts", "patients enrolled who never started blinatumomab, by "
              "reason (`reason: count`)", required=False, example="{died before start: 2}"),
)

PATIENT_COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec("patient_id", "text", "patient identifier", required=True, unique=True),
    ColumnSpec("age", "integer", "age in years at the start of blinatumomab", required=True,
               minimum=0, maximum=120),
    ColumnSpec("sex", "category", "sex", required=True, allowed=("M", "F")),
    ColumnSpec("group", "category",
               "cohort: `MRD` = MRD-positive in haematological remission, "
               "`RR` = relapsed/refractory", required=True, allowed=("MRD", "RR")),
    ColumnSpec("prior_allo_hsct", "bool", "allogeneic HSCT before blinatumomab", required=True),
    ColumnSpec("cytogenetic_risk", "category", "cytogenetic risk group", in_header=False,
               allowed=("standard", "high")),
    ColumnSpec("ph_status", "category", "Philadelphia chromosome (BCR::ABL1) status",
               in_header=False, allowed=("positive", "negative")),
    ColumnSpec("marrow_blasts_pct", "number", "bone-marrow blasts (%) at the start (R/R group)",
               in_header=False, minimum=0, maximum=100),
    ColumnSpec("bc_start_date", "date", "first day of blinatumomab: the time origin", required=True),
    ColumnSpec("cycles", "integer", "blinatumomab cycles given", required=True, minimum=1),
    ColumnSpec("hematologic_response", "category",
               "best haematological response (R/R group; empty in the MRD group): `NE` = not "
               "evaluable, counted as no response; `pending` = not yet assessed (still on "
               "treatment): left out of the response denominators, kept in survival analyses",
               required_text=N_("R/R group"), allowed=HEMATOLOGIC_RESPONSES),
    ColumnSpec("mrd_response", "category",
               "MRD after blinatumomab (the response of the MRD group; in the R/R group only "
               "among CR/CRh): empty = not assessed, its own category, counted as not "
               "MRD-negative (an absent column means nobody was assessed); `pending` = not yet "
               "assessed (still on treatment): left out of the denominators, kept in survival "
               "analyses",
               in_header=False, allowed=MRD_RESPONSES),
    ColumnSpec("response_date", "date",
               "date of CR/CRh (R/R) or of MRD negativity (MRD group)",
               required_text=N_("responders")),
    ColumnSpec("hsct_after_bc", "bool", "allogeneic HSCT after blinatumomab", required=True),
    ColumnSpec("hsct_after_bc_date", "date", "date of that HSCT",
               required_text=N_("`hsct_after_bc` is true")),
    ColumnSpec("relapse", "bool", "haematological relapse after remission", required=True),
    ColumnSpec("relapse_date", "date", "date of relapse", required_text=N_("`relapse` is true")),
    ColumnSpec("death", "bool", "died (any cause)", required=True),
    ColumnSpec("death_date", "date", "date of death", required_text=N_("`death` is true")),
    ColumnSpec("last_followup_date", "date", "last contact (equals `death_date` if dead)",
               required=True),
    ColumnSpec("bc_interrupted", "bool", "blinatumomab interrupted for toxicity", required=True),
    ColumnSpec("bc_stopped_early", "bool", "blinatumomab ended before schedule", required=True),
    ColumnSpec("response_cycle", "integer",
               "cycle of blinatumomab in which the response (CR/CRh, or MRD negativity in the "
               "MRD group) was first found; at most `cycles`", in_header=False, minimum=1),
    ColumnSpec("early_stop_reason", "category",
               "why blinatumomab was stopped before schedule (only when `bc_stopped_early` is "
               "true): `hsct` = to proceed to allo-HSCT", in_header=False,
               allowed=EARLY_STOP_REASONS),
    ColumnSpec("death_cause", "category",
               "cause of death (only when `death` is true): `relapse` = relapse or progression "
               "of the leukaemia", in_header=False, allowed=DEATH_CAUSES),
)

AE_COLUMNS: tuple[ColumnSpec, ...] = (
    ColumnSpec("patient_id", "text", "patient with the event (must be in `patients.csv`)",
               required=True),
    ColumnSpec("term", "text", "adverse event term (CTCAE)", required=True),
    ColumnSpec("category", "category", "category of the event", required=True,
               allowed=AE_CATEGORIES),
    ColumnSpec("grade", "integer", "CTCAE grade", required=True, minimum=1, maximum=5),
    ColumnSpec("onset_date", "date", "onset date", in_header=False),
    ColumnSpec("cycle", "integer", "cycle of blinatumomab in which the event began; at most "
               "the patient's `cycles`", in_header=False, minimum=1),
    ColumnSpec("attribution", "category", "attribution of the event to blinatumomab (NCI "
               "scale): `possible`, `probable` and `definite` count as related",
               in_header=False, allowed=AE_ATTRIBUTIONS),
)

DATE_COLUMNS = tuple(c.name for c in PATIENT_COLUMNS if c.kind == "date")


# --- rules across columns ---------------------------------------------------------------------
# Each ``ok`` function sees the parsed frame (booleans as pandas "boolean", dates as datetime64,
# missing as NA) and returns True where the row is acceptable.

def _filled(df: pd.DataFrame, col: str) -> pd.Series:
    return df[col].notna()


def _flag(df: pd.DataFrame, col: str) -> pd.Series:
    """True where a boolean column is true (missing counts as not true)."""
    return df[col].fillna(False).astype(bool)


def _is_responder(df: pd.DataFrame) -> pd.Series:
    return response_status(df) == RESPONDER


def _date_flag_rule(flag: str, date: str, present_text: str,
                    absent_text: str) -> tuple[RowRule, RowRule]:
    present = RowRule(date, present_text,
                      lambda df, ctx: ~_flag(df, flag) | _filled(df, date) | df[flag].isna(),
                      uses=(flag,))
    absent = RowRule(date, absent_text,
                     lambda df, ctx: _flag(df, flag) | ~_filled(df, date) | df[flag].isna(),
                     uses=(flag,))
    return present, absent


def _not_before(date: str, earlier: str, text: str) -> RowRule:
    return RowRule(date, text, lambda df, ctx: ~(df[date] < df[earlier]).fillna(False),
                   uses=(earlier,))


def _not_after(date: str, later: str, text: str) -> RowRule:
    return RowRule(date, text, lambda df, ctx: ~(df[date] > df[later]).fillna(False), uses=(later,))


def _remission_for_relapse(df: pd.DataFrame, ctx: dict) -> pd.Series:
    # MRD-group patients start in haematological remission; R/R patients need CR/CRh first.
    in_remission = (df["group"] == "MRD") | df["hematologic_response"].isin(REMISSION_RESPONSES)
    return ~_flag(df, "relapse") | in_remission.fillna(False).astype(bool)


_RESPONDER = ("group", "hematologic_response", "mrd_response")  # what _is_responder reads

PATIENT_RULES: tuple[RowRule, ...] = (
    RowRule("hematologic_response", "required in the R/R group",
            lambda df, ctx: (df["group"] != "RR") | _filled(df, "hematologic_response"),
            uses=("group",)),
    RowRule("hematologic_response", "must be empty in the MRD group",
            lambda df, ctx: (df["group"] != "MRD") | ~_filled(df, "hematologic_response"),
            uses=("group",)),
    RowRule("mrd_response", "in the R/R group only for patients in CR/CRh",
            lambda df, ctx: (df["group"] != "RR") | ~_filled(df, "mrd_response")
            | df["hematologic_response"].isin(REMISSION_RESPONSES),
            uses=("group", "hematologic_response")),
    RowRule("response_date", "required for responders (R/R: CR/CRh; MRD group: MRD-negative)",
            lambda df, ctx: ~_is_responder(df) | _filled(df, "response_date"), uses=_RESPONDER),
    RowRule("response_date", "must be empty unless the patient responded (R/R: CR/CRh; MRD "
            "group: `mrd_response` = `negative`)",
            lambda df, ctx: _is_responder(df) | ~_filled(df, "response_date"), uses=_RESPONDER),
    RowRule("hematologic_response", "`pending` only for patients alive at last follow-up "
            "(a patient who died unassessed is `NE`)",
            lambda df, ctx: ~((df["hematologic_response"] == PENDING) & _flag(df, "death"))
            .fillna(False), uses=("death",)),
    RowRule("mrd_response", "`pending` only for patients alive and without relapse at last "
            "follow-up (leave it empty if MRD was never assessed)",
            lambda df, ctx: ~((df["mrd_response"] == PENDING)
                              & (_flag(df, "death") | _flag(df, "relapse"))).fillna(False),
            uses=("death", "relapse")),
    *_date_flag_rule("hsct_after_bc", "hsct_after_bc_date",
                     N_("required when `hsct_after_bc` is true"),
                     N_("must be empty when `hsct_after_bc` is false")),
    *_date_flag_rule("relapse", "relapse_date", N_("required when `relapse` is true"),
                     N_("must be empty when `relapse` is false")),
    *_date_flag_rule("death", "death_date", N_("required when `death` is true"),
                     N_("must be empty when `death` is false")),
    RowRule("relapse", "relapse only after remission (R/R group: CR/CRh first)",
            _remission_for_relapse, uses=("group", "hematologic_response")),
    RowRule("last_followup_date", "must equal `death_date` for patients who died",
            lambda df, ctx: ~_filled(df, "death_date")
            | (df["last_followup_date"] == df["death_date"]).fillna(True), uses=("death_date",)),
    RowRule("relapse_date", "must be after `response_date`",
            lambda df, ctx: ~(df["relapse_date"] <= df["response_date"]).fillna(False),
            uses=("response_date",)),
    *(_not_before(c, "bc_start_date", N_("must not be before `bc_start_date`"))
      for c in DATE_COLUMNS if c != "bc_start_date"),
    *(_not_after(c, "last_followup_date", N_("must not be after `last_followup_date`"))
      for c in DATE_COLUMNS if c not in ("bc_start_date", "last_followup_date")),
    RowRule("last_followup_date", "must not be after the data cut-off (`cutoff_date`)",
            lambda df, ctx: ~(df["last_followup_date"] > ctx["cutoff_date"]).fillna(False)),
    RowRule("response_cycle", "only for responders (R/R: CR/CRh; MRD group: MRD-negative)",
            lambda df, ctx: _is_responder(df) | ~_filled(df, "response_cycle"),
            uses=_RESPONDER),
    RowRule("response_cycle", "must not be more than `cycles`",
            lambda df, ctx: ~(df["response_cycle"] > df["cycles"]).fillna(False),
            uses=("cycles",)),
    RowRule("early_stop_reason", "only when `bc_stopped_early` is true",
            lambda df, ctx: _flag(df, "bc_stopped_early") | ~_filled(df, "early_stop_reason")
            | df["bc_stopped_early"].isna(), uses=("bc_stopped_early",)),
    RowRule("death_cause", "only when `death` is true",
            lambda df, ctx: _flag(df, "death") | ~_filled(df, "death_cause") | df["death"].isna(),
            uses=("death",)),
)

AE_RULES: tuple[RowRule, ...] = (
    RowRule("patient_id", "no such patient in patients.csv",
            lambda df, ctx: df["patient_id"].isin(ctx["patient_ids"]) | df["patient_id"].isna()),
    RowRule("onset_date", "must not be before the patient's `bc_start_date`",
            lambda df, ctx: ~(df["onset_date"] < df["patient_id"].map(ctx["start_by_id"]))
            .fillna(False), uses=("patient_id",)),
    RowRule("onset_date", "must not be after the patient's `last_followup_date`",
            lambda df, ctx: ~(df["onset_date"] > df["patient_id"].map(ctx["last_by_id"]))
            .fillna(False), uses=("patient_id",)),
    RowRule("cycle", "must not be more than the patient's `cycles`",
            lambda df, ctx: ~(df["cycle"] > df["patient_id"].map(ctx["cycles_by_id"]))
            .fillna(False), uses=("patient_id",)),
)


def data_dictionary(columns: tuple[ColumnSpec, ...] = PATIENT_COLUMNS) -> pd.DataFrame:
    """The data dictionary of one file as a table (column, type, required, meaning).

    Rendered in the README and in the methods chapter, so the documentation cannot drift from the
    rules the loader enforces.
    """
    rows = []
    for c in columns:
        if c.required:
            required = _("yes")
        elif c.required_text:
            required = _("if {condition}").format(condition=_(c.required_text))
        else:
            required = _("no") if c.in_header else _("no (column optional)")
        unique = _(" (unique)") if c.unique else ""
        rows.append({_("column"): f"`{c.name}`", _("type"): c.type_text + unique,
                     _("required"): required, _("meaning"): _(c.meaning)})
    return pd.DataFrame(rows)


_FIELD_TYPE = {"text": N_("text"), "date": N_("date `YYYY-MM-DD`"), "bool": "`true` / `false`",
               "mapping": N_("mapping"), "integer": N_("integer ≥ 0"), "number": N_("number"),
               "counts": N_("mapping of reason: count")}


def dataset_fields() -> pd.DataFrame:
    """The fields of ``dataset.yaml`` as a table (field, type, required, meaning)."""
    return pd.DataFrame([{_("field"): f"`{f.name}`", _("type"): _(_FIELD_TYPE[f.kind]),
                          _("required"): _("yes") if f.required else _("no"),
                          _("meaning"): _(f.meaning)}
                         for f in DATASET_FIELDS + READING_FIELDS + RECORDED_FIELDS])


def _code(text: str) -> str:
    return "tab" if text == "\t" else f"`{text}`"


def accepted_forms_markdown() -> str:
    """The forms in which the tables are read, as a Markdown list (for data/README.md)."""
    stems = [name.rsplit(".", 1)[0] for name in (PATIENTS_FILE, AE_FILE)]
    forms = " or ".join(f"`{stems[0]}{suffix}`" for suffix in TABLE_FORMS)
    delimiters = ", ".join(_code(d) for d in DELIMITERS[:-1]) + f" or {_code(DELIMITERS[-1])}"
    dates = " or ".join(f"`{d}`" for d in DATE_FORMS)
    return "\n".join([
        f"- **Files.** Each table is one file: {forms} (likewise `{stems[1]}`), a CSV file or an "
        "Excel workbook; a folder holding both forms of one table is refused. Excel 97–2003 "
        "`.xls` files are not read (save as `.xlsx`).",
        f"- **CSV.** Delimiter {delimiters}, detected from the header row. UTF-8 (a byte-order "
        "mark is accepted, and UTF-16 with one, as Excel's *Unicode text* writes it) unless "
        "`dataset.yaml` declares `encoding`. With the delimiter "
        f"{_code(DECIMAL_COMMA_DELIMITER)} a decimal comma is read: `40,5` is 40.5.",
        "- **Excel.** The first sheet; the header is its first non-empty row. Typed cells are "
        "honoured (date cells, `TRUE`/`FALSE`, numbers); text cells are read as in a CSV file. "
        "Problems are reported with sheet row numbers as line numbers.",
        "- **Header.** Column names match whatever their letter case and surrounding spaces; a "
        "near miss is reported with the name it resembles. Extra columns are ignored; a column "
        "marked *optional* may be left out.",
        f"- **Cells.** Dates {dates} (day and month may have one digit); a date written with `/` "
        "is refused, since day/month and month/day cannot be told apart. Booleans `true` / "
        "`false` in any letter case. Spaces around a cell are ignored; an empty cell means "
        "missing; rows with nothing but empty cells (Excel's trailing `;;;;`) are skipped.",
        "- **Other spellings.** Values written otherwise (e.g. `муж`/`жен` for `M`/`F`) are "
        "read as the format's values when `dataset.yaml` maps them (`values`).",
    ]) + "\n"


def data_dictionary_markdown() -> str:
    """The whole data format as Markdown (accepted forms, dataset.yaml fields and both tables),
    for data/README.md."""
    def table(frame: pd.DataFrame) -> str:
        head = "| " + " | ".join(frame.columns) + " |"
        rule = "|" + "|".join("---" for _ in frame.columns) + "|"
        body = ["| " + " | ".join(str(v) for v in row) + " |" for row in frame.itertuples(index=False)]
        return "\n".join([head, rule, *body])

    rules = "\n".join(f"- `{r.column}`: {r.text}" for r in PATIENT_RULES + AE_RULES)
    return "\n\n".join([
        "### Accepted forms", accepted_forms_markdown().rstrip("\n"),
        f"### `{DATASET_FILE}`", table(dataset_fields()),
        f"### `{PATIENTS_FILE}` (one row per patient)", table(data_dictionary(PATIENT_COLUMNS)),
        f"### `{AE_FILE}` (one row per adverse event)", table(data_dictionary(AE_COLUMNS)),
        "### Rules across columns", rules,
    ]) + "\n"
