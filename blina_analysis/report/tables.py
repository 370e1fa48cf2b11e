"""Display tables: the analysis' numeric tables formatted for readers (strings via :mod:`fmt`).

Each function takes numbers (from :class:`~blina_analysis.analyses.core.Analysis`) and returns a
DataFrame of strings with reader-facing column names; :func:`to_html` renders one without the
index. Nothing is computed here.
"""

from __future__ import annotations

import html as _html
import re

import pandas as pd

from blina_analysis.report import fmt

__all__ = ["table1", "subgroup_table", "ae_table", "survival_table", "landmark_sensitivity_table",
           "transplant_cox_table", "pivotal_table", "to_html"]

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
    """Estimates with 95% CI and the number still at risk at fixed times, and the median.

    One row per curve. An estimate after a last censored observation is "not estimable"; a
    confidence limit that cannot be computed is NE; a median not reached is NR.
    """
    rows = []
    for name, c in curves.items():
        row = {"Population": name, "N": str(c.n), "Events": str(c.n_events)}
        at_risk = c.number_at_risk(list(times_days))
        for t, n_risk in zip(times_days, at_risk):
            e = c.at(t)
            label = f"{fmt.months(t, 0)} months"
            row[f"{label}, % (95% CI)"] = (
                fmt.estimate(e) if fmt.estimate(e) == fmt.NOT_ESTIMABLE
                else f"{fmt.estimate(e)} ({fmt.ci(e.ci_low, e.ci_high)})")
            row[f"At risk at {label}"] = fmt.number(n_risk)
        row["Median, months (95% CI)"] = fmt.median_cell(c.median)
        rows.append(row)
    return pd.DataFrame(rows)


def landmark_sensitivity_table(t: pd.DataFrame) -> pd.DataFrame:
    """The transplant landmark analysis at several landmarks (rows of
    :meth:`~blina_analysis.analyses.Analysis.landmark_sensitivity`)."""
    return pd.DataFrame({
        "Landmark, days after response": [fmt.number(v) for v in t["landmark"]],
        "Analysed (excluded)": [f"{a} ({x})" for a, x in zip(t["n_at_risk"], t["n_excluded"])],
        "Transplanted by then: n (events)": [
            f"{n} ({e})" for n, e in zip(t["n_exposed"], t["events_exposed"])],
        "Not transplanted: n (events)": [
            f"{n} ({e})" for n, e in zip(t["n_unexposed"], t["events_unexposed"])],
        "HR (95% CI)": [fmt.ratio_cell(h, lo, hi)
                        for h, lo, hi in zip(t["hr"], t["hr_ci_low"], t["hr_ci_high"])],
        "p (log-rank)": [fmt.p_cell(p) for p in t["p_value"]],
    })


def transplant_cox_table(t: pd.DataFrame) -> pd.DataFrame:
    """Hazard ratios of transplant as a time-dependent covariate, both cohorts pooled and
    stratified by cohort (rows of :meth:`~blina_analysis.analyses.Analysis.transplant_cox_table`)."""
    rows = []
    for endpoint, part in t.groupby("endpoint", sort=False):
        row = {"Endpoint": endpoint, "Events": str(int(part["n_events"].iloc[0]))}
        for model, r in zip(part["model"], part.to_dict("records")):
            title = "Pooled" if model == "pooled" else "Stratified by cohort"
            row[f"{title}: HR (95% CI)"] = fmt.ratio_cell(r["hr"], r["ci_low"], r["ci_high"])
            row[f"{title}: p"] = fmt.p_cell(r["p_value"])
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
