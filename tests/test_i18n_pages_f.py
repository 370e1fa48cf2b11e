"""The Russian words of the discussion's pivotal-trials table and forest plot, of the response
tables' categories and of the primary transplant model's covariates; the English ones unchanged.

Every Russian string here is typed by hand (never read from the package's catalogs or data);
the counts of this build's rows come from the raw ``patients.csv``.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import matplotlib
import pandas as pd
import pytest

from blina_analysis import figures
from blina_analysis.analyses import Analysis, pivotal_comparison
from blina_analysis.data.published import check_pivotal_words, pivotal_trials
from blina_analysis.i18n import use_language
from blina_analysis.publish.provenance import shipped_data_dir
from blina_analysis.report import tables
from blina_analysis.report.figures import alt_text
from blina_analysis.report.text import transplant

sys.path.insert(0, str(Path(__file__).parent))
from english_words import english_in  # noqa: E402

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def an() -> Analysis:
    return Analysis.from_dir(shipped_data_dir())


def _cell(table: pd.DataFrame, row: int, header: str) -> str:
    return table[header].iloc[row]


# --- the pivotal trials' table ----------------------------------------------------------------

def _row(trials: pd.DataFrame, bibkey: str, endpoint: str) -> int:
    (index,) = trials.index[(trials["bibkey"] == bibkey) & (trials["endpoint"] == endpoint)]
    return int(index)


def test_pivotal_table_in_russian():
    trials = pivotal_trials()
    with use_language("ru"):
        shown = tables.pivotal_table(trials)
    topp_os = _row(trials, "topp2015", "median OS (months)")
    assert _cell(shown, topp_os, "Конечная точка") == "медиана ОВ (мес.)"
    assert _cell(shown, topp_os, "Опубликовано") == "6,1 мес. (примерно 4–8)"
    assert _cell(shown, topp_os, "Источник") == "там же"
    tower = _row(trials, "kantarjian2017", "CR within 12 weeks")
    assert _cell(shown, tower, "Дизайн") == "рандомизированное 2:1, против химиотерапии"
    assert _cell(shown, tower, "Популяция") == "взрослые, Ph− Р/Р В-ОЛЛ, группа блинатумомаба"
    tower_ae = _row(trials, "kantarjian2017", "grade ≥3 adverse event")
    assert _cell(shown, tower_ae, "Опубликовано") == "231 (86,5%)"
    assert _cell(shown, tower_ae, "Источник") == "там же, табл. 3"
    blast_os = _row(trials, "gokbuget2018", "median OS (months)")
    assert _cell(shown, blast_os, "Опубликовано") == "36,5 мес. (22,0 – не достигнута)"
    # the names of the trials and the journals stay as published
    assert _cell(shown, _row(trials, "topp2015", "CR/CRh within 2 cycles"), "Исследование") == (
        "Topp 2015 (MT103-211)")
    for column in shown.columns:
        for text in shown[column]:
            assert not english_in(text), (column, text)


def test_pivotal_table_in_english_is_the_cited_text():
    trials = pivotal_trials()
    shown = tables.pivotal_table(trials)
    topp_os = _row(trials, "topp2015", "median OS (months)")
    assert _cell(shown, topp_os, "Reported") == "6.1 months (about 4–8)"
    assert _cell(shown, topp_os, "Source") == "same"
    assert _cell(shown, topp_os, "Design") == ""  # the design once per trial
    assert list(shown.columns) == ["Trial", "Design", "Population", "N", "Endpoint", "Reported",
                                   "Source"]
    # the cited data (the table's CSV download) keep their English columns only
    assert "design_ru" not in trials.columns


def _stored() -> pd.DataFrame:
    return pd.DataFrame({"bibkey": ["a", "a"], "endpoint": ["CR", "median OS (months)"],
                         "design": ["single-arm", "single-arm"], "population": ["adults"] * 2,
                         "reported_as": ["43% (36–50)", "6.1 months"], "source": ["x", "same"],
                         "design_ru": ["однорукавное"] * 2, "population_ru": ["взрослые"] * 2,
                         "endpoint_ru": ["ПР", "медиана ОВ (мес.)"],
                         "reported_as_ru": ["43% (36–50)", "6,1 мес."],
                         "source_ru": ["x", "там же"]})


def test_pivotal_words_are_checked():
    check_pivotal_words(_stored())
    missing = _stored()
    missing.loc[1, "source_ru"] = float("nan")
    with pytest.raises(ValueError, match=r"pivotal_trials.csv:3: source_ru is empty"):
        check_pivotal_words(missing)
    wrong_number = _stored()
    wrong_number.loc[1, "reported_as_ru"] = "6,2 мес."
    with pytest.raises(ValueError, match="does not hold the numbers"):
        check_pivotal_words(wrong_number)
    with pytest.raises(ValueError, match="no column endpoint_ru"):
        check_pivotal_words(_stored().drop(columns="endpoint_ru"))


# --- the forest plot of the discussion --------------------------------------------------------

def _raw_counts() -> dict[str, tuple[int, int]]:
    """This build's rates by hand from the raw file: R/R CR or CRh of those assessed; MRD+
    MRD negativity of those assessed."""
    p = pd.read_csv(shipped_data_dir() / "patients.csv")
    rr = p[(p["group"] == "RR") & (p["hematologic_response"] != "pending")]
    mrd = p[(p["group"] == "MRD") & (p["mrd_response"] != "pending")]
    return {"rr": (int(rr["hematologic_response"].isin(["CR", "CRh"]).sum()), len(rr)),
            "mrd": (int((mrd["mrd_response"] == "negative").sum()), len(mrd))}


def test_pivotal_comparison_holds_codes(an):
    table = pivotal_comparison(an)
    assert set(table["group"]) == {"rr", "mrd"}
    ours = table[table["label"] == "this_trial"]
    assert list(ours["group"]) == ["rr", "mrd"]
    assert set(table["ci_source"]) <= {"exact", "published", "exact_from_published_n"}


def _texts(fig) -> list[str]:
    (labels,) = [a for a in fig.axes if a.get_label() == "labels"]
    return [t.get_text() for t in labels.texts]


def test_forest_plot_in_russian(an):
    counts = _raw_counts()
    with use_language("ru"):
        fig = figures.pivotal_forest_plot(pivotal_comparison(an))
    texts = _texts(fig)
    assert texts[0] == "исследование"
    assert "Р/Р ОЛЛ: ПР/ПРч" in texts
    assert "МОБ+: МОБ-негативность" in texts
    assert texts.count("это исследование") == 2
    alt = alt_text(fig)
    n, N = counts["rr"]
    assert f"это исследование {round(100 * n / N)}% ({n}/{N})" in alt
    assert not english_in(alt)
    matplotlib.pyplot.close(fig)


def test_forest_plot_in_english(an):
    fig = figures.pivotal_forest_plot(pivotal_comparison(an))
    texts = _texts(fig)
    assert texts[0] == "trial"
    assert {"R/R: CR/CRh", "MRD+: MRD negativity", "this trial"} <= set(texts)
    n, N = _raw_counts()["mrd"]
    assert f"this trial {round(100 * n / N)}% ({n}/{N})" in alt_text(fig)
    matplotlib.pyplot.close(fig)


# --- the response tables ------------------------------------------------------------------------

def test_response_categories_in_russian(an):
    with use_language("ru"):
        shown = tables.response_table(an.response_table("rr", "hematologic_response"))
    assert list(shown["Ответ"]) == ["полная ремиссия (ПР)",
                                    "ПР с частичным восстановлением показателей крови (ПРч)",
                                    "ПР или ПРч", "нет ответа", "не поддаётся оценке (НО)"]
    assert list(tables.response_table(an.response_table("rr", "hematologic_response"))[
        "Response"]) == ["complete remission (CR)", "CR with partial haematological recovery (CRh)",
                         "CR or CRh", "no response (NR)", "not evaluable (NE)"]


def test_pending_row_in_russian():
    pending = pd.DataFrame([{"code": "pending", "label": "not yet assessed (still on treatment)",
                             "n": 2, "N": float("nan"), "rate": float("nan"),
                             "ci_low": float("nan"), "ci_high": float("nan")}])
    with use_language("ru"):
        shown = tables.response_table(pending)
    assert shown["Ответ"].iloc[0] == "ответ ещё не оценён (терапия продолжается)"


# --- the transplant page's primary model ------------------------------------------------------

def test_primary_model_covariates_in_russian(an):
    with use_language("ru"):
        text = transplant.primary_text(an)
    assert "с поправкой на возраст (на 10 лет)" in text
    assert not english_in(text)


# --- the rule of the page test ----------------------------------------------------------------

def test_file_names_are_not_english():
    assert english_in("patients.csv: CSV, разделитель ','") == []
    assert english_in("файлы adverse_events.csv и dataset.yaml") == []
    assert english_in("the patients") == ["the", "patients"]


# --- the R/R subgroups: table and forest plot ----------------------------------------------------

#: Latin letters a Russian subgroup table or forest plot may show: the column "n/N", "p" and
#: the Ph chromosome's name.
_LATIN_ALLOWED = re.compile(r"\bn/N\b|\bp\b|\bPh\b")


def _latin_words(texts) -> list[str]:
    return [t for t in texts if re.search(r"[A-Za-z]", _LATIN_ALLOWED.sub("", str(t)))]


def test_rr_subgroups_in_russian(an):
    """Every heading, level and interval of the subgroup table and of its forest plot in Russian
    (the subgroups are declared in English in ``definitions.subgroups``)."""
    from blina_analysis.analyses import subgroup_forest_table

    p = pd.read_csv(shipped_data_dir() / "patients.csv")
    rr = p[(p["group"] == "RR") & (p["hematologic_response"] != "pending")]
    blasts_unknown = int(rr["marrow_blasts_pct"].isna().sum())  # from the raw file
    with use_language("ru"):
        table = tables.subgroup_table(an.compared_subgroups())
        fig = figures.forest_plot(subgroup_forest_table(an), reference=an.rr_response.rate,
                                  reference_label="overall", label_header="subgroup",
                                  p_header="p (Holm)")
    cells = [c for c in table.to_numpy().ravel() if c] + list(table.columns)
    texts = [t.get_text() for ax in fig.axes for t in ax.texts]
    texts += [ax.get_xlabel() for ax in fig.axes]
    assert not _latin_words(cells), _latin_words(cells)
    assert not _latin_words(texts), _latin_words(texts)
    for shown in (cells, texts):
        assert {"Цитогенетический риск", "Бластные клетки в костном мозге", "стандартный",
                "высокий"} <= set(shown)
        assert any(str(t).startswith("Возраст") for t in shown)
        intervals = [t for t in shown if re.fullmatch(r"[+−]?\d+ \(.*\)", str(t))]
        assert intervals and all(re.fullmatch(r"[+−]?\d+ \(от [+−]?\d+ до [+−]?\d+\)", t)
                                 for t in intervals), intervals
    assert blasts_unknown > 0 and "нет данных" in texts  # the forest's row of unknown blasts
    matplotlib.pyplot.close(fig)
