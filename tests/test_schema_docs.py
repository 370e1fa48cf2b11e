"""The documented data format is the enforced one."""

from pathlib import Path

from blina_analysis.data.schema import PATIENT_COLUMNS, data_dictionary_markdown

ROOT = Path(__file__).resolve().parent.parent
MARKER = "<!-- generated: data dictionary -->\n"


def test_data_readme_is_generated_from_the_schema():
    text = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    assert MARKER in text
    assert text.split(MARKER, 1)[1] == data_dictionary_markdown(), (
        "data/README.md is stale: regenerate its tables with "
        "blina_analysis.data.schema.data_dictionary_markdown()")


def test_every_column_is_documented():
    text = data_dictionary_markdown()
    for column in PATIENT_COLUMNS:
        assert f"`{column.name}`" in text
