"""Display tables: the analysis' numeric tables formatted for readers (strings via :mod:`fmt`).

Each function takes numbers (from :class:`~blina_analysis.analyses.core.Analysis`) and returns a
DataFrame of strings with reader-facing column names; :func:`to_html` renders one without the
index. Nothing is computed here.
"""

from __future__ import annotations

import html as _html
import re

import pandas as pd

from blina_analysis.data.schema import PENDING
from blina_analysis.report import fmt

__all__ = ["table1", "subgroup_table", "response_table", "ae_table", "ae_term_table",
           "survival_table", "pivotal_table", "to_html", "AE_GRADE_COLUMNS"]

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


def response_table(t: pd.DataFrame, conf_level: float = 0.95) -> pd.DataFrame:
    """Patients by response category: n/N and rate with exact CI among the patients assessed.

    ``t`` is :meth:`Analysis.response_table <blina_analysis.analyses.core.Analysis.response_table>`.
    Patients not yet assessed get a row of their own, outside the denominator, when there are any.
    """
    rate_header = f"Rate ({fmt.pct(conf_level)} CI)"
    rows = []
    for r in t.to_dict("records"):
        if r["code"] == PENDING:
            if r["n"]:
                rows.append({"Response": r["label"], "n/N": str(int(r["n"])),
                             rate_header: "not in the denominator"})
            continue
        rows.append({"Response": r["label"], "n/N": fmt.n_of(r["n"], r["N"]),
                     rate_header: (f"{fmt.pct(r['rate'])} ({fmt.ci(r['ci_low'], r['ci_high'])})"
                                   if r["N"] else "—")})
    return pd.DataFrame(rows, columns=["Response", "n/N", rate_header])


#: The grade columns of the adverse-event tables: (column of the numeric table, header). The
#: prose uses the same words (:mod:`blina_analysis.report.text.safety`).
AE_GRADE_COLUMNS = (("any_n", "Any grade"), ("grade_1_2", "Grade 1–2"), ("grade_3", "Grade 3"),
                    ("grade_4", "Grade 4"), ("grade_5", "Grade 5"), ("grade3plus_n", "Grade ≥3"))


def _grade_cells(r: dict) -> dict:
    return {header: fmt.n_pct(int(r[col]), int(r["N"])) for col, header in AE_GRADE_COLUMNS}


def ae_table(t: pd.DataFrame) -> pd.DataFrame:
    """Patients by worst CTCAE grade per category, n (%) of all treated patients."""
    return pd.DataFrame([{"Category": r["category"], **_grade_cells(r)}
                         for r in t.to_dict("records")],
                        columns=["Category", *(h for _, h in AE_GRADE_COLUMNS)])


def ae_term_table(categories: pd.DataFrame, terms: pd.DataFrame) -> pd.DataFrame:
    """Patients by worst grade per term, nested under its category: each category's row (its
    own counts, a patient once per category, term "all terms") followed by its terms (category
    cell empty). Two columns rather than indentation: HTML tables drop leading spaces.

    ``categories`` and ``terms`` are :meth:`Analysis.ae_table
    <blina_analysis.analyses.core.Analysis.ae_table>` by ``"category"`` and by ``"term"``.
    """
    rows = []
    for c in categories.to_dict("records"):
        rows.append({"Category": c["category"], "Term": "all terms", **_grade_cells(c)})
        for r in terms[terms["category"] == c["category"]].to_dict("records"):
            rows.append({"Category": "", "Term": r["term"], **_grade_cells(r)})
    return pd.DataFrame(rows, columns=["Category", "Term", *(h for _, h in AE_GRADE_COLUMNS)])


def survival_table(curves: dict, times_days: tuple[int, ...] = (365, 730)) -> pd.DataFrame:
    """Estimates with 95% CI at fixed times and the median, one row per curve."""
    rows = []
    for name, c in curves.items():
        row = {"Population": name, "N": str(c.n), "Events": str(c.n_events)}
        for t in times_days:
            e = c.at(t)
            row[f"{fmt.months(t, 0)} months (95% CI)"] = (
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
