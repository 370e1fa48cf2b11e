"""Display tables: the analysis' numeric tables formatted for readers (strings via :mod:`fmt`).

Each function takes numbers (from :class:`~blina_analysis.analyses.core.Analysis`) and returns a
DataFrame of strings with reader-facing column names; :func:`to_html` renders one without the
index. Nothing is computed here.
"""

from __future__ import annotations

import html as _html
import re

import pandas as pd

from blina_analysis.errors import NoInformation
from blina_analysis.report import fmt

__all__ = ["table1", "subgroup_table", "ae_table", "survival_table", "pivotal_table", "to_html"]

_GROUP_TITLES = {"MRD": "MRD+", "RR": "R/R", "all": "All"}


def table1(t: pd.DataFrame) -> pd.DataFrame:
    """Patient characteristics: median (range) or n (%), per cohort and overall."""
    rows = []
    for r in t.to_dict("records"):
        row = {"Characteristic": r["characteristic"], "": r["level"]}
        for g, title in _GROUP_TITLES.items():
            header = f"{title} (N = {r[f'{g}_N']})"
            if r["kind"] == "continuous":
                if r[f"{g}_n"] == 0:
                    cell = "—"
                else:
                    cell = fmt.median_range(r[f"{g}_median"], r[f"{g}_min"], r[f"{g}_max"])
                    if r[f"{g}_n"] < r[f"{g}_N"]:
                        cell += f" [n = {r[f'{g}_n']}]"
            else:
                cell = fmt.n_pct(r[f"{g}_n"], r[f"{g}_N"])
            row[header] = cell
        rows.append(row)
    out = pd.DataFrame(rows)
    # show a characteristic's name once, on its first row
    out.loc[out["Characteristic"].duplicated(), "Characteristic"] = ""
    return out


def subgroup_table(t: pd.DataFrame) -> pd.DataFrame:
    """Response by subgroup: n/N, rate with exact CI, and the test's p-value."""
    out = pd.DataFrame({
        "Subgroup": t["subgroup"].where(~t["subgroup"].duplicated(), ""),
        "Level": t["level"],
        "CR/CRh, n/N": [fmt.n_of(n, N) for n, N in zip(t["n"], t["N"])],
        "Rate (95% CI)": [f"{fmt.pct(r)} ({fmt.ci(lo, hi)})"
                          for r, lo, hi in zip(t["rate"], t["ci_low"], t["ci_high"])],
        "p": ["" if pd.isna(p) else fmt.p_value(p).removeprefix("p = ").removeprefix("p ")
              for p in t["p_value"]],
        "Unknown": ["" if s == "" else str(m) for s, m in
                    zip(t["subgroup"].where(~t["subgroup"].duplicated(), ""), t["n_missing"])],
    })
    return out


def ae_table(t: pd.DataFrame, by: str = "category") -> pd.DataFrame:
    """Patients by worst CTCAE grade: any grade and grade ≥ 3, n (%) of all treated patients."""
    label = {"category": "Category", "term": "Term"}[by]
    out = pd.DataFrame({label: t[by]})
    if by == "term":
        out.insert(0, "Category", t["category"].where(~t["category"].duplicated(), ""))
    out["Any grade, n (%)"] = [fmt.n_pct(n, N) for n, N in zip(t["any_n"], t["N"])]
    out["Grade ≥3, n (%)"] = [fmt.n_pct(n, N) for n, N in zip(t["grade3plus_n"], t["N"])]
    out["Grade 3"] = t["grade_3"].astype(int).astype(str)
    out["Grade 4"] = t["grade_4"].astype(int).astype(str)
    out["Grade 5"] = t["grade_5"].astype(int).astype(str)
    return out


def survival_table(curves: dict, times_days: tuple[int, ...] = (365, 730)) -> pd.DataFrame:
    """Estimates with 95% CI at fixed times and the median, one row per curve.

    A value of ``curves`` may be the :class:`~blina_analysis.errors.NoInformation` of an empty
    population (:meth:`Analysis.km_curves <blina_analysis.analyses.core.Analysis.km_curves>`):
    its row shows N = 0 and no estimate. A curve that ends before a time is "not estimable" there.
    """
    rows = []
    for name, c in curves.items():
        if isinstance(c, NoInformation):  # an empty population: a row of its own, no estimates
            rows.append({"Population": name, "N": "0", "Events": "0",
                         **{f"{fmt.months(t, 0)} months (95% CI)": "—" for t in times_days},
                         "Median, months (95% CI)": "—"})
            continue
        row = {"Population": name, "N": str(c.n), "Events": str(c.n_events)}
        for t in times_days:
            e = c.at(t)
            row[f"{fmt.months(t, 0)} months (95% CI)"] = (
                fmt.NOT_ESTIMABLE if pd.isna(e.estimate) else
                f"{fmt.pct(e.estimate)} ({fmt.NOT_ESTIMABLE})" if pd.isna(e.ci_low) else
                f"{fmt.pct(e.estimate)} ({fmt.ci(e.ci_low, e.ci_high)})")
        m = c.median
        row["Median, months (95% CI)"] = (
            f"{fmt.months(m.time)} ({fmt.months(m.ci_low)}–{fmt.months(m.ci_high)})")
        rows.append(row)
    return pd.DataFrame(rows)


def to_html(table: pd.DataFrame, caption: str | None = None) -> str:
    """HTML of a display table: no index, escaped cells, an optional caption."""
    body = table.to_html(index=False, escape=True, border=0, classes="table blina-table")
    body = re.sub(r"`([^`<>]+)`", r"<code>\1</code>", body)  # Markdown code spans in cells
    if caption:
        body = body.replace(">\n", f">\n<caption>{_html.escape(caption)}</caption>\n", 1)
    return body


def pivotal_table(trials: pd.DataFrame) -> pd.DataFrame:
    """The pivotal trials' published figures as a display table."""
    return pd.DataFrame({
        "Trial": trials["trial"].where(~trials["trial"].duplicated(), ""),
        "Design": trials["design"].where(~trials["trial"].duplicated(), ""),
        "Population": trials["population"],
        "N": ["" if pd.isna(n) else str(int(n)) for n in trials["N"]],
        "Endpoint": trials["endpoint"],
        "Reported": trials["reported_as"],
        "Source": trials["source"],
    })
