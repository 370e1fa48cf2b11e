"""An empty dataset to fill in (``blina template DIR``), written from :mod:`.schema`.

The folder gets ``dataset.yaml`` with every field explained in a comment, the two tables as Excel
workbooks — a header row matching the format, a drop-down list in every categorical and boolean
column, range checks on numbers and dates, and a second sheet holding the data dictionary — and
the same two tables as header-only CSV files in ``csv/``, for whoever prefers CSV. The workbooks
are the dataset's form as written; a folder may hold only one form of each table, so to use CSV
one moves the files of ``csv/`` up and deletes the workbooks.

Nothing is ever overwritten: the folder must be new or empty, and every file is created
exclusively. The same code writes byte-identical files (fixed workbook timestamps).
"""

from __future__ import annotations

import io
import re
import textwrap
import zipfile
from pathlib import Path


from blina_analysis.data import schema
from blina_analysis.errors import BlinaError
from blina_analysis.i18n import N_, _

__all__ = ["write_template", "dataset_yaml_template", "table_workbook", "workbook_bytes",
           "CSV_FOLDER"]

#: Where the header-only CSV files go (beside the workbooks, which are the dataset's form).
CSV_FOLDER = "csv"
_LAST_ROW = 1_048_576  # Excel's last row: the checks cover the whole column
_FIXED_TIME = "2000-01-01T00:00:00Z"  # workbook metadata, so the same code writes the same bytes


def dataset_yaml_template() -> str:
    """``dataset.yaml`` to fill in: each field with its meaning as a comment (in the current
    language; the field names stay)."""
    type_text = {"text": N_("text"), "date": N_("date YYYY-MM-DD"), "bool": N_("true or false"),
                 "mapping": N_("mapping"), "integer": N_("whole number"), "number": N_("number"),
                 "counts": N_("mapping of reason: count")}
    stems = [name.rsplit(".", 1)[0] for name in (schema.PATIENTS_FILE, schema.AE_FILE)]
    lines = textwrap.wrap(
        _("{dataset}: what the data is. Fill in every field below; `blina validate` then checks "
          "the dataset and lists every problem. The tables are {patients} and {events} (the "
          "second sheet of each is its data dictionary). To enter them as CSV instead, move the "
          "files of {csv}/ into this folder and delete the workbooks: a folder holds one file per "
          "table.").format(dataset=schema.DATASET_FILE, patients=f"{stems[0]}.xlsx",
                           events=f"{stems[1]}.xlsx", csv=CSV_FOLDER),
        width=98, initial_indent="# ", subsequent_indent="# ") + [""]
    def comment(text: str) -> list[str]:
        return textwrap.wrap(_plain(text), width=98, initial_indent="# ", subsequent_indent="#   ")

    for spec in schema.DATASET_FIELDS:
        lines += comment(_("{field} ({type}, required): {meaning}").format(
            field=spec.name, type=_(type_text[spec.kind]), meaning=_(spec.meaning)))
        lines.append(f"{spec.name}:" + (" false" if spec.name == "synthetic" else ""))
        lines.append("")
    lines.append(_("# Optional: how to read the tables (remove the '# ' to use a line)."))
    for spec in schema.READING_FIELDS:
        lines += comment(_("{field} ({type}): {meaning}").format(
            field=spec.name, type=_(type_text[spec.kind]), meaning=_(spec.meaning)))
        lines.append(f"# {spec.name}: {spec.example}")
        lines.append("")
    lines += comment(_("Optional: what the trial recorded (remove the '# ' to use a line). The "
                       "book shows each field where it is given and says it is not recorded "
                       "where it is not."))
    for spec in schema.RECORDED_FIELDS:
        lines += comment(_("{field} ({type}): {meaning}").format(
            field=spec.name, type=_(type_text[spec.kind]), meaning=_(spec.meaning)))
        lines.append(f"# {spec.name}: {spec.example}")
        lines.append("")
    return "\n".join(lines)


def _plain(text: str) -> str:
    return re.sub(r"`([^`]*)`", r"\1", str(text))


def table_workbook(columns: tuple[schema.ColumnSpec, ...], title: str,
                   rules: tuple[schema.RowRule, ...] = ()):
    """An empty workbook for one table.

    Parameters
    ----------
    columns : tuple of ColumnSpec
        The table's columns (:data:`~blina_analysis.data.schema.PATIENT_COLUMNS` or
        :data:`~blina_analysis.data.schema.AE_COLUMNS`).
    title : str
        Name of the data sheet.
    rules : tuple of RowRule, optional
        The table's rules across columns, listed on the dictionary sheet.

    Returns
    -------
    openpyxl.Workbook
        A data sheet (bold header with each column's meaning as a comment, drop-down lists and
        range checks) and a ``dictionary`` sheet (the data dictionary and the rules).
    """
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append([spec.name for spec in columns])
    sheet.freeze_panes = "A2"
    for j, spec in enumerate(columns, start=1):
        letter = get_column_letter(j)
        cell = sheet.cell(row=1, column=j)
        cell.font = Font(bold=True)
        cell.comment = Comment(_plain(_(spec.meaning)), "blina")
        sheet.column_dimensions[letter].width = max(12, len(spec.name) + 3)
        check = _cell_check(spec)
        if check is not None:
            check.add(f"{letter}2:{letter}{_LAST_ROW}")
            sheet.add_data_validation(check)

    dictionary = book.create_sheet(_("dictionary"))
    table = schema.data_dictionary(columns)
    dictionary.append(list(table.columns))
    for row in table.itertuples(index=False):
        dictionary.append([_plain(v) for v in row])
    if rules:
        dictionary.append([])
        dictionary.append([_("rules across columns")])
        for rule in rules:
            dictionary.append([rule.column, _plain(_(rule.text))])
    for cell in dictionary[1]:
        cell.font = Font(bold=True)
    for letter, width in zip("ABCD", (24, 28, 22, 90)):
        dictionary.column_dimensions[letter].width = width
    return book


def _cell_check(spec: schema.ColumnSpec):
    """Excel's data validation for one column: a drop-down list, or a range of numbers or dates."""
    from openpyxl.worksheet.datavalidation import DataValidation

    def check(kind, text, **kw):
        return DataValidation(type=kind, allow_blank=True, showErrorMessage=True,
                              errorTitle=spec.name, error=f"{spec.name}: {text}", **kw)

    if spec.kind == "category":
        return check("list", _("one of {values}").format(values=", ".join(spec.allowed)),
                     formula1='"' + ",".join(spec.allowed) + '"')
    if spec.kind == "bool":
        return check("list", _("true or false"), formula1='"true,false"')
    if spec.kind in ("integer", "number") and (spec.minimum is not None
                                                or spec.maximum is not None):
        low = spec.minimum if spec.minimum is not None else -1e15
        high = spec.maximum if spec.maximum is not None else 1e15
        words = (_("a whole number from {low} to {high}") if spec.kind == "integer"
                 else _("a number from {low} to {high}"))
        return check("whole" if spec.kind == "integer" else "decimal",
                     words.format(low=f"{low:g}", high=f"{high:g}"), operator="between",
                     formula1=f"{low:g}", formula2=f"{high:g}")
    if spec.kind == "date":  # Excel dates are day numbers: 1 = 1900-01-01, 73051 = 2099-12-31
        return check("date", _("a date"), operator="between", formula1="1", formula2="73051")
    return None


def workbook_bytes(book) -> bytes:
    """The workbook as ``.xlsx`` bytes, the same for the same content.

    Parameters
    ----------
    book : openpyxl.Workbook
        The workbook to save.

    Returns
    -------
    bytes
        The file, with fixed timestamps in its metadata and its zip entries (openpyxl writes the
        time of saving into both).
    """
    buffer = io.BytesIO()
    book.save(buffer)
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*",
                              rb"\g<1>" + _FIXED_TIME.encode(), data)
            dst.writestr(zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0)), data,
                         compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def write_template(folder: str | Path) -> list[Path]:
    """Write an empty dataset to fill in.

    Parameters
    ----------
    folder : str or Path
        A new or empty folder (created if absent).

    Returns
    -------
    list of Path
        The files written.

    Raises
    ------
    BlinaError
        Before writing anything, if ``folder`` is a file or holds anything.
    """
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise BlinaError(_("{folder}: is a file; give a new or empty folder for the template")
                         .format(folder=folder))
    if folder.is_dir() and any(folder.iterdir()):
        raise BlinaError(_("{folder}: the folder is not empty; the template is written only into "
                           "a new or empty folder, so that no file is ever overwritten")
                         .format(folder=folder))
    stems = [name.rsplit(".", 1)[0] for name in (schema.PATIENTS_FILE, schema.AE_FILE)]
    tables = ((stems[0], schema.PATIENT_COLUMNS, schema.PATIENT_RULES),
              (stems[1], schema.AE_COLUMNS, schema.AE_RULES))
    files: dict[Path, bytes] = {folder / schema.DATASET_FILE: dataset_yaml_template().encode()}
    for stem, columns, rules in tables:
        files[folder / f"{stem}.xlsx"] = workbook_bytes(table_workbook(columns, stem, rules))
    for stem, columns, _rules in tables:
        header = ",".join(spec.name for spec in columns) + "\n"
        files[folder / CSV_FOLDER / f"{stem}.csv"] = header.encode()
    for path, data in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "xb") as fh:  # exclusive: never replaces a file that appeared meanwhile
            fh.write(data)
    return list(files)
