"""The Russian words of the safety, discussion, concordance and edition sentences, the display
tables, the methods tables and the figures: no English sentence left, no placeholder left, and
count-dependent nouns in the right Russian form."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from blina_analysis.analyses import Analysis  # noqa: E402
from blina_analysis.publish.provenance import shipped_data_dir  # noqa: E402
from blina_analysis.i18n import use_language  # noqa: E402
from blina_analysis.report import figures, methods, tables  # noqa: E402
from blina_analysis.report.figures import alt_text  # noqa: E402
from blina_analysis.report.text import BuildFacts, concordance, edition, safety  # noqa: E402

COUNTS = (0, 1, 2, 5, 11, 21, 22, 101)
#: Words that only an English sentence has.
ENGLISH = (" the ", " was ", " patients", " with ", " of ")


@pytest.fixture(scope="module")
def an() -> Analysis:
    return Analysis.from_dir(shipped_data_dir())


def english_in(text: str) -> list[str]:
    padded = f" {text} "
    return [w for w in ENGLISH if w in padded] + (["{"] if "{" in text else [])


def assert_russian(texts, where: str) -> None:
    bad = {t: english_in(t) for t in texts if english_in(t)}
    assert not bad, f"{where}: English or placeholders left in {bad}"


def test_safety_and_edition_sentences_in_russian(an):
    with use_language("ru"):
        values = dict(safety.values(an, BuildFacts()))
        values.update(edition=edition.provenance(an), data=edition.data_description(an),
                      limitation=edition.data_limitation(an),
                      purpose=edition.concordance_purpose(an),
                      summary=concordance.agreement_summary(an))
    # a missing record is said by report/text/reasons.py (translated with the other pages)
    from blina_analysis.report.text.reasons import explain
    from blina_analysis.errors import NoInformation
    with use_language("ru"):
        reasons = {explain(NoInformation(code)) for code in ("ae_attribution_not_recorded",
                                                             "ae_cycle_not_recorded")}
    assert_russian([v for v in values.values() if v not in reasons], "safety/edition")
    assert "пациент" in values["deaths_text"]


def test_table_headers_and_labels_in_russian(an):
    with use_language("ru"):
        shown = [tables.table1(an.table1()), tables.ae_table(an.ae_table("category")),
                 tables.deaths_table(an.deaths_table()), tables.cycles_table(an.cycles_table()),
                 tables.ae_cohort_table(an.ae_by_cohort()),
                 methods.endpoint_table(), methods.population_table(an), methods.r_differences(),
                 methods.definitions_table(an)]
    for t in shown:
        assert_russian([str(c) for c in t.columns], "headers")
    first_columns = [str(v) for t in shown[:4] for v in t.iloc[:, 0]]
    assert_russian(first_columns, "row labels")
    assert "Показатель" in shown[0].columns


def test_english_headers_unchanged(an):
    assert list(tables.ae_table(an.ae_table("category")).columns)[:2] == ["Category", "Any grade"]
    assert methods.endpoint_table().columns[0] == "Endpoint"


def _texts(fig) -> list[str]:
    return [t.get_text() for t in fig.findobj(matplotlib.text.Text) if t.get_text().strip()]


def test_figure_labels_in_russian(an):
    with use_language("ru"):
        made = [figures.km_plot([an.km("mrd", "OS", "overall survival")],
                                endpoint="overall survival"),
                figures.cif_plot(list(an.relapse_nrm_from_response().values())),
                figures.ae_bar_plot(an.ae_table("category")),
                figures.consort_diagram(an.disposition()),
                figures.swimmer_plot(an.swimmer_lanes())]
    try:
        for fig in made:
            assert_russian(_texts(fig) + [alt_text(fig)], "figure")
        assert "число пациентов под риском" in _texts(made[0])
        assert "месяцы от начала терапии блинатумомабом" in _texts(made[0])
    finally:
        for fig in made:
            plt.close(fig)


@pytest.mark.parametrize("n, word", [(0, None), (1, "пациент"), (2, "пациента"),
                                     (5, "пациентов"), (11, "пациентов"), (21, "пациент"),
                                     (22, "пациента"), (101, "пациент")])
def test_patients_take_the_russian_form(n, word):
    with use_language("ru"):
        text = safety.patients_n_pct(n, 200)
    if word is None:
        assert text == "ни у одного пациента"
    else:
        assert text.split()[-1] == word, text


@pytest.mark.parametrize("n", COUNTS)
def test_patients_in_english(n):
    text = safety.patients_n_pct(n, 200)
    assert text == ("no patient" if n == 0 else
                    f"{n} ({text.split('(')[1].split(')')[0]}) {'patient' if n == 1 else 'patients'}")
