"""The data managers' words in Russian: ``blina validate --lang ru`` (or a Russian locale) and
``blina template DIR --lang ru``; the places (file:line, column) and the codes stay the same."""

from __future__ import annotations

import csv
import re
import shutil
from pathlib import Path

import openpyxl
import pytest
from click.testing import CliRunner

from blina_analysis.cli import main
from blina_analysis.data import schema

SYNTHETIC = Path(__file__).resolve().parent.parent / "data" / "synthetic"
#: The environment of a user whose locale is English (CliRunner's env; None unsets).
ENGLISH_LOCALE = {"BLINA_LANG": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": "C.UTF-8"}
RUSSIAN_LOCALE = {**ENGLISH_LOCALE, "LANG": "ru_RU.UTF-8"}
_ENGLISH_WORDS = re.compile(r"\b(must|column|value|required|problems?|found|patients?|valid|"
                            r"read|delimiter|encoding|the|of|or|and)\b")


@pytest.fixture
def broken(tmp_path):
    """The shipped dataset with three problems in patients.csv: an unreadable age (line 2), an
    unknown sex (line 3), a patient missing from adverse events' patients (first AE row)."""
    folder = tmp_path / "data"
    shutil.copytree(SYNTHETIC, folder)
    with open(folder / schema.PATIENTS_FILE, newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        header, rows = reader.fieldnames, list(reader)
    rows[0]["age"], rows[1]["sex"] = "forty", "X"
    with open(folder / schema.PATIENTS_FILE, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    with open(folder / schema.AE_FILE, newline="", encoding="utf-8") as fh:
        ae = list(csv.reader(fh))
    ae[1][0] = "NOBODY"
    with open(folder / schema.AE_FILE, "w", newline="", encoding="utf-8") as fh:
        csv.writer(fh, lineterminator="\n").writerows(ae)
    return folder


def _validate(folder: Path, *args: str, env=ENGLISH_LOCALE):
    return CliRunner().invoke(main, ["validate", str(folder), *args], env=env)


def _issues(output: str) -> list[tuple[str, str | None]]:
    """(file:line, column) of each problem line, whatever the language of its words."""
    out = []
    for line in output.splitlines():
        if line.startswith("  "):
            where = line.strip().split(", ")[0].split(": ")[0]
            column = re.search(r"'([a-z_]+)'", line)
            out.append((where, column.group(1) if column else None))
    return out


@pytest.mark.parametrize("how", [("--lang", "ru"), ()])
def test_validate_in_russian_names_the_same_places(broken, how):
    english = _validate(broken, "--lang", "en")
    russian = _validate(broken, *how, env=RUSSIAN_LOCALE if not how else ENGLISH_LOCALE)
    assert english.exit_code == russian.exit_code == 1
    assert _issues(russian.output) == _issues(english.output)
    assert _issues(english.output) == [("patients.csv:2", "age"), ("patients.csv:3", "sex"),
                                       ("adverse_events.csv:2", "patient_id")]
    assert f"{broken}: найдено 3 ошибки" in russian.output
    assert "  patients.csv:2, столбец 'age', значение 'forty': должно быть целым числом" in (
        russian.output)
    assert "  patients.csv:3, столбец 'sex', значение 'X': должно быть одним из: M, F" in (
        russian.output)
    assert "прочитан patients.csv: CSV, разделитель ','; кодировка UTF-8; даты ГГГГ-ММ-ДД" in (
        russian.output)
    assert not _ENGLISH_WORDS.search(re.sub(r"'[^']*'|\S+\.(csv|yaml)\S*|\S*/\S*", "",
                                            russian.output)), russian.output


def test_validate_in_english_is_unchanged_by_the_option(broken):
    plain = CliRunner().invoke(main, ["validate", str(broken)], env=ENGLISH_LOCALE)
    assert _validate(broken, "--lang", "en").output == plain.output
    assert "problems found" in plain.output and "must be a whole number" in plain.output


def test_a_valid_dataset_in_russian():
    result = _validate(SYNTHETIC, "--lang", "ru")
    assert result.exit_code == 0, result.output
    last = result.output.splitlines()[-1]
    assert re.fullmatch(rf"{re.escape(str(SYNTHETIC))}: данные корректны \(blina-synthetic \S+, "
                        r"синтетические, дата среза данных \d\d\.\d\d\.\d{4}\): 66 пациентов "
                        r"\(МОБ\+: \d+, Р/Р ОЛЛ: \d+\), \d+ нежелательн\S+ явлени\S+; sha256 "
                        r"[0-9a-f]{12}", last), last


def _template(tmp_path: Path, lang: str) -> Path:
    folder = tmp_path / lang
    result = CliRunner().invoke(main, ["template", str(folder), "--lang", lang],
                                env=ENGLISH_LOCALE)
    assert result.exit_code == 0, result.output
    return folder


def test_template_in_russian(tmp_path):
    en, ru = _template(tmp_path, "en"), _template(tmp_path, "ru")
    # dataset.yaml: the same fields, Russian comments
    en_yaml = (en / schema.DATASET_FILE).read_text(encoding="utf-8").splitlines()
    ru_yaml = (ru / schema.DATASET_FILE).read_text(encoding="utf-8").splitlines()
    fields = [line for line in en_yaml if line and not line.startswith("#")]
    assert fields == [line for line in ru_yaml if line and not line.startswith("#")]
    comments = " ".join(line for line in ru_yaml if line.startswith("#"))
    assert "краткое имя набора данных" in comments and "дата среза данных" in comments
    assert any(line.startswith("# cutoff_date (дата ГГГГ-ММ-ДД, обязательно): дата среза данных")
               for line in ru_yaml)
    # the workbooks: the same header and codes, the dictionary and the help in Russian
    for stem, columns in (("patients", schema.PATIENT_COLUMNS), ("adverse_events",
                                                                  schema.AE_COLUMNS)):
        en_book = openpyxl.load_workbook(en / f"{stem}.xlsx")
        ru_book = openpyxl.load_workbook(ru / f"{stem}.xlsx")
        en_sheet, ru_sheet = en_book.worksheets[0], ru_book.worksheets[0]
        assert [c.value for c in ru_sheet[1]] == [c.value for c in en_sheet[1]] == [
            c.name for c in columns]
        assert ru_book.sheetnames == [stem, "словарь"]
        dictionary = [[c.value for c in row] for row in ru_book["словарь"].iter_rows()]
        assert dictionary[0] == ["столбец", "тип", "обязательно", "значение"]
        unique = " (уникальное)" if stem == "patients" else ""
        assert dictionary[1][:3] == ["patient_id", f"текст{unique}", "да"]
        lists = {str(v.sqref): v for v in ru_sheet.data_validations.dataValidation}
        en_lists = {str(v.sqref): v for v in en_sheet.data_validations.dataValidation}
        assert {k: v.formula1 for k, v in lists.items()} == {k: v.formula1
                                                             for k, v in en_lists.items()}
        for v in lists.values():
            assert not re.search(r"\b(one of|number|a date|true or false)\b", v.error)
    patients = openpyxl.load_workbook(ru / "patients.xlsx")
    help_texts = [v.error for v in patients.worksheets[0].data_validations.dataValidation]
    assert "sex: одно из значений: M, F" in help_texts
    assert "age: целое число от 0 до 120" in help_texts
    assert patients.worksheets[0]["A1"].comment.text == "идентификатор пациента"
    # the CSV headers are the format's names in any language
    for name in ("patients.csv", "adverse_events.csv"):
        assert (ru / "csv" / name).read_bytes() == (en / "csv" / name).read_bytes()


def test_template_refusal_in_russian(tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    result = CliRunner().invoke(main, ["template", str(tmp_path / "full")], env=RUSSIAN_LOCALE)
    assert result.exit_code == 1
    assert "папка не пуста" in result.output
