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
from blina_analysis.definitions import ONE_YEAR_DAYS, TWO_YEARS_DAYS
from blina_analysis.errors import NoInformation
from blina_analysis.i18n import N_, _, current_language, pgettext
from blina_analysis.report import fmt, vocabulary

__all__ = ["table1", "subgroup_table", "response_table", "ae_table", "ae_term_table",
           "survival_table", "survival_numbers", "landmark_sensitivity_table",
           "transplant_cox_table", "pivotal_table", "concordance_table", "concordance_headers",
           "concordance_display", "ABSTRACT_LANGUAGE", "published_text",
           "to_html", "AE_GRADE_COLUMNS", "deaths_table", "ae_cohort_table", "ae_cycle_table",
           "cycles_table"]

_GROUP_TITLES = {"MRD": N_("MRD+"), "RR": N_("R/R"), "all": N_("All")}


def _tr(text) -> str:
    """A label declared in English (marked with ``N_``) in the current language; an empty or
    missing label stays as it is."""
    return _(str(text)) if isinstance(text, str) and text else text


def _cohort_header(title: str, N) -> str:
    """``"MRD+ (N = 31)"``: the header of a cohort's column."""
    return _("{cohort} (N = {N})").format(cohort=_(title), N=N)


def table1(t: pd.DataFrame) -> pd.DataFrame:
    """Patient characteristics: median (range) or n (%), per cohort and overall."""
    rows = []
    for r in t.to_dict("records"):
        row = {_("Characteristic"): _tr(r["characteristic"]), "": _tr(r["level"])}
        for g, title in _GROUP_TITLES.items():
            header = _cohort_header(title, r[f'{g}_N'])
            if r["kind"] == "continuous":
                if r[f"{g}_n"] == 0:
                    cell = "—"
                else:
                    cell = fmt.median_range(r[f"{g}_median"], r[f"{g}_min"], r[f"{g}_max"])
                    if r[f"{g}_n"] < r[f"{g}_N"]:
                        cell += " " + _("[n = {n}]").format(n=r[f'{g}_n'])
            else:
                cell = fmt.n_pct(r[f"{g}_n"], r[f"{g}_N"])
            row[header] = cell
        rows.append(row)
    out = pd.DataFrame(rows)
    # show a characteristic's name once, on its first row
    characteristic = _("Characteristic")
    out.loc[out[characteristic].duplicated(), characteristic] = ""
    return out


def subgroup_table(t: pd.DataFrame) -> pd.DataFrame:
    """Response by subgroup: n/N, rate with exact CI, the difference between the levels
    (percentage points, Newcombe interval), the Holm-adjusted p-value ("no test" where a group
    is too small), and the patients whose value is unknown."""
    first = ~t["code"].duplicated()

    def heading(name, exploratory):
        return _("{subgroup} (exploratory)").format(subgroup=_tr(name)) if exploratory else _tr(name)

    def difference(r):
        if pd.isna(r["difference"]):
            return ""
        return _("{difference} ({low} to {high})").format(
            difference=fmt.signed(100 * r['difference']), low=fmt.signed(100 * r['diff_ci_low']),
            high=fmt.signed(100 * r['diff_ci_high']))

    def p_holm(r, head):
        if not head:
            return ""
        return _("no test") if r["not_tested"] is not None else fmt.p_cell(r["p_holm"])

    records = t.to_dict("records")
    return pd.DataFrame({
        _("Subgroup"): [heading(r["subgroup"], r["exploratory"]) if h else ""
                        for r, h in zip(records, first)],
        _("Level"): [_tr(level) for level in t["level"]],
        _("CR/CRh, n/N"): [fmt.n_of(n, N) for n, N in zip(t["n"], t["N"])],
        _("Rate (95% CI)"): [f"{fmt.pct(r)} ({fmt.ci(lo, hi)})"
                             for r, lo, hi in zip(t["rate"], t["ci_low"], t["ci_high"])],
        _("Difference, points (95% CI)"): [difference(r) for r in records],
        _("p (Holm)"): [p_holm(r, h) for r, h in zip(records, first)],
        _("Unknown"): [str(int(r["n_missing"])) if h else "" for r, h in zip(records, first)],
    })


def response_table(t: pd.DataFrame, conf_level: float = 0.95) -> pd.DataFrame:
    """Patients by response category: n/N and rate with exact CI among the patients assessed.

    ``t`` is :meth:`Analysis.response_table <blina_analysis.analyses.core.Analysis.response_table>`.
    Patients not yet assessed get a row of their own, outside the denominator, when there are any.
    """
    rate_header = _("Rate ({level} CI)").format(level=fmt.pct(conf_level))
    response = _("Response")
    rows = []
    for r in t.to_dict("records"):
        if r["code"] == PENDING:
            if r["n"]:
                rows.append({response: _tr(r["label"]), "n/N": str(int(r["n"])),
                             rate_header: _("not in the denominator")})
            continue
        rows.append({response: _tr(r["label"]), "n/N": fmt.n_of(r["n"], r["N"]),
                     rate_header: (f"{fmt.pct(r['rate'])} ({fmt.ci(r['ci_low'], r['ci_high'])})"
                                   if r["N"] else "—")})
    return pd.DataFrame(rows, columns=[response, "n/N", rate_header])


#: The grade columns of the adverse-event tables: (column of the numeric table, header). The
#: prose uses the same words (:mod:`blina_analysis.report.text.safety`).
AE_GRADE_COLUMNS = (("any_n", N_("Any grade")), ("grade_1_2", N_("Grade 1–2")),
                    ("grade_3", N_("Grade 3")), ("grade_4", N_("Grade 4")),
                    ("grade_5", N_("Grade 5")), ("grade3plus_n", N_("Grade ≥3")))


def _grade_cells(r: dict) -> dict:
    return {_(header): fmt.n_pct(int(r[col]), int(r["N"])) for col, header in AE_GRADE_COLUMNS}


def ae_table(t: pd.DataFrame) -> pd.DataFrame:
    """Patients by worst CTCAE grade per category, n (%) of all treated patients."""
    return pd.DataFrame([{_("Category"): vocabulary.category(r["category"]), **_grade_cells(r)}
                         for r in t.to_dict("records")],
                        columns=[_("Category"), *(_(h) for _col, h in AE_GRADE_COLUMNS)])


def ae_term_table(categories: pd.DataFrame, terms: pd.DataFrame) -> pd.DataFrame:
    """Patients by worst grade per term, nested under its category: each category's row (its
    own counts, a patient once per category, term "all terms") followed by its terms (category
    cell empty). Two columns rather than indentation: HTML tables drop leading spaces.

    ``categories`` and ``terms`` are :meth:`Analysis.ae_table
    <blina_analysis.analyses.core.Analysis.ae_table>` by ``"category"`` and by ``"term"``.
    """
    rows = []
    for c in categories.to_dict("records"):
        rows.append({_("Category"): vocabulary.category(c["category"]), _("Term"): _("all terms"),
                     **_grade_cells(c)})
        for r in terms[terms["category"] == c["category"]].to_dict("records"):
            rows.append({_("Category"): "", _("Term"): r["term"], **_grade_cells(r)})
    return pd.DataFrame(rows, columns=[_("Category"), _("Term"),
                                       *(_(h) for _col, h in AE_GRADE_COLUMNS)])


def survival_table(curves: dict, times_days: tuple[float, ...] = (ONE_YEAR_DAYS, TWO_YEARS_DAYS)
                   ) -> pd.DataFrame:
    """Estimates with 95% CI and the number still at risk at fixed times, and the median.

    One row per curve. The times are in days, labelled in months; by default 12 and 24 months
    (:func:`~blina_analysis.definitions.months_to_days`), the time points of the text and of the
    figures' at-risk rows, so a number at risk here equals the one under the figure. An estimate after a last censored observation is "not estimable"; a
    confidence limit that cannot be computed is "n.e."; a median not reached is "not reached". A value of
    ``curves`` may be the :class:`~blina_analysis.errors.NoInformation` of an empty population
    (:meth:`Analysis.km_curves <blina_analysis.analyses.core.Analysis.km_curves>`): its row
    shows N = 0 and no estimate.
    """
    rows = []
    for name, c in curves.items():
        if isinstance(c, NoInformation):  # an empty population: a row of its own, no estimates
            row = {_("Population"): _tr(name), "N": "0", _("Events"): "0"}
            for t in times_days:
                row[_("{months} months, % (95% CI)").format(months=fmt.months(t, 0))] = "—"
                row[_("At risk at {months} months").format(months=fmt.months(t, 0))] = "0"
            row[_("Median, months (95% CI)")] = "—"
            rows.append(row)
            continue
        row = {_("Population"): _tr(name), "N": str(c.n), _("Events"): str(c.n_events)}
        at_risk = c.number_at_risk(list(times_days))
        for t, n_risk in zip(times_days, at_risk):
            e = c.at(t)
            months = fmt.months(t, 0)
            row[_("{months} months, % (95% CI)").format(months=months)] = fmt.estimate_cell(e)
            row[_("At risk at {months} months").format(months=months)] = fmt.number(n_risk)
        row[_("Median, months (95% CI)")] = fmt.median_cell(c.median)
        rows.append(row)
    return pd.DataFrame(rows)


def landmark_sensitivity_table(t: pd.DataFrame) -> pd.DataFrame:
    """The transplant landmark analysis at several landmarks (rows of
    :meth:`~blina_analysis.analyses.Analysis.landmark_sensitivity`)."""
    return pd.DataFrame({
        _("Landmark, days after response"): [fmt.number(v) for v in t["landmark"]],
        _("Analysed (excluded)"): [f"{a} ({x})" for a, x in zip(t["n_at_risk"], t["n_excluded"])],
        _("Transplanted by then: n (events)"): [
            f"{n} ({e})" for n, e in zip(t["n_exposed"], t["events_exposed"])],
        _("Not transplanted: n (events)"): [
            f"{n} ({e})" for n, e in zip(t["n_unexposed"], t["events_unexposed"])],
        _("HR (95% CI)"): [fmt.ratio_cell(h, lo, hi)
                           for h, lo, hi in zip(t["hr"], t["hr_ci_low"], t["hr_ci_high"])],
        _("p (log-rank)"): [fmt.p_cell(p) for p in t["p_value"]],
    })


def transplant_cox_table(t: pd.DataFrame) -> pd.DataFrame:
    """Hazard ratios of transplant as a time-dependent covariate, both cohorts pooled and
    stratified by cohort (rows of :meth:`~blina_analysis.analyses.Analysis.transplant_cox_table`)."""
    rows = []
    for endpoint, part in t.groupby("endpoint", sort=False):
        row = {_("Endpoint"): _tr(endpoint), _("Events"): str(int(part["n_events"].iloc[0]))}
        for model, r in zip(part["model"], part.to_dict("records")):
            pooled = model == "pooled"
            row[_("Pooled: HR (95% CI)") if pooled else _("Stratified by cohort: HR (95% CI)")] = (
                fmt.ratio_cell(r["hr"], r["ci_low"], r["ci_high"]))
            row[_("Pooled: p") if pooled else _("Stratified by cohort: p")] = fmt.p_cell(
                r["p_value"])
        rows.append(row)
    return pd.DataFrame(rows)


def survival_numbers(curves: dict,
                     times_days: tuple[float, ...] = (ONE_YEAR_DAYS, TWO_YEARS_DAYS)
                     ) -> pd.DataFrame:
    """The numbers behind :func:`survival_table`, unrounded (for the table's CSV download).

    One row per curve: ``population, n, events``, then ``estimate_<t>d, ci_low_<t>d,
    ci_high_<t>d, at_risk_<t>d`` for each time ``t`` in days (``365.25d``), and ``median_days, median_ci_low_days,
    median_ci_high_days`` (empty where not reached). A curve given as the
    :class:`~blina_analysis.errors.NoInformation` of an empty population has n = 0 and no
    estimates.
    """
    rows = []
    for name, c in curves.items():
        if isinstance(c, NoInformation):  # an empty population: zeros, estimates empty
            row = {"population": name, "n": 0, "events": 0}
            for t in times_days:
                row.update({f"estimate_{t:g}d": float("nan"), f"ci_low_{t:g}d": float("nan"),
                            f"ci_high_{t:g}d": float("nan"), f"at_risk_{t:g}d": 0})
            row.update(median_days=float("nan"), median_ci_low_days=float("nan"),
                       median_ci_high_days=float("nan"))
            rows.append(row)
            continue
        row = {"population": name, "n": int(c.n), "events": int(c.n_events)}
        at_risk = c.number_at_risk(list(times_days))
        for t, n_risk in zip(times_days, at_risk):
            e = c.at(t)
            row[f"estimate_{t:g}d"], row[f"ci_low_{t:g}d"], row[f"ci_high_{t:g}d"] = (
                e.estimate, e.ci_low, e.ci_high)
            row[f"at_risk_{t:g}d"] = int(n_risk)
        m = c.median
        row["median_days"], row["median_ci_low_days"], row["median_ci_high_days"] = (
            m.time, m.ci_low, m.ci_high)
        rows.append(row)
    out = pd.DataFrame(rows)
    return out.replace([float("inf"), float("-inf")], float("nan"))


#: Shown for a published number these data cannot give (results.json says why).
_NOT_AVAILABLE = N_("not available")


def published_text(pv) -> str:
    """A published value as the abstract prints it: ``"29 (67%)"``, ``"85%"``.

    ``pv`` is a :class:`~blina_analysis.data.published.PublishedValue`.
    """
    if pv.kind == "count":
        return str(int(pv.value)) + (f" ({pv.percent}%)" if pv.percent is not None else "")
    return fmt.pct(pv.value)


def concordance_table(results: dict) -> pd.DataFrame:
    """The abstract's numbers beside this build's (:func:`~blina_analysis.analyses.concordance.
    concordance` of ``results``), for readers.

    Columns ``key, quantity, published, computed, difference, agrees, sentence``
    (``difference`` in percentage points for rates, in patients for counts, signed: ``+`` above
    the paper, a true minus sign below). A number the data cannot give is "not available", with
    no difference.
    """
    from blina_analysis.analyses.concordance import concordance
    from blina_analysis.data.published import abstract_values
    from blina_analysis.report.labels import result_label

    rows = []
    for r in concordance(results):
        value = r.computed
        if r.kind == "count":
            computed = _(_NOT_AVAILABLE) if value is None else str(int(value))
            if r.denominator:
                computed += f" ({fmt.pct(value / r.denominator, 1)})"
            difference = "—" if value is None else fmt.signed(r.difference)
        else:
            computed = _(_NOT_AVAILABLE) if value is None else fmt.pct(value, 1)
            difference = "—" if value is None else _("{difference} pp").format(
                difference=fmt.signed(100 * r.difference, 1))
        rows.append({"key": r.key, "quantity": result_label(r.key),
                     "published": published_text(abstract_values()[r.key]),
                     "computed": computed, "difference": difference,
                     "agrees": pgettext("agrees", "yes") if r.agrees else pgettext("agrees", "no"),
                     "sentence": r.sentence})
    return pd.DataFrame(rows)


#: The language the abstract's sentences are quoted in (the English abstract: the Russian
#: article's own sentences are not stored).
ABSTRACT_LANGUAGE = "en"


def concordance_headers() -> dict[str, str]:
    """The columns of :func:`concordance_table` shown to readers -> their headers in the
    reader's language (``key`` is not shown)."""
    return {"quantity": pgettext("concordance column", "Quantity"),
            "published": pgettext("concordance column", "Published"),
            "computed": pgettext("concordance column", "Computed"),
            "difference": pgettext("concordance column", "Difference"),
            "agrees": pgettext("concordance column", "Agrees"),
            # TRANSLATORS: the column quotes the sentences of the English abstract
            "sentence": pgettext("concordance column", "Sentence")}


def concordance_display(table: pd.DataFrame) -> pd.DataFrame:
    """:func:`concordance_table` as shown: without its key, under :func:`concordance_headers`."""
    headers = concordance_headers()
    return table[list(headers)].rename(columns=headers)


#: Marks a cell's text as written in another language inside :func:`to_html` (private-use
#: characters, which no cell holds and escaping leaves alone).
_LANG_OPEN, _LANG_SEP, _LANG_CLOSE = "\ue000", "\ue001", "\ue002"


def to_html(table: pd.DataFrame, caption: str | None = None, *,
            languages: dict[str, str] | None = None) -> str:
    """HTML of a display table: no index, escaped cells, an optional caption.

    ``languages`` maps a column's header to the language its cells are written in (e.g. the
    English abstract's sentences quoted on a Russian page): where that is not the current
    language, each cell's text is wrapped in ``<span lang="...">``, so that browsers, screen
    readers and checks read it in its own language.
    """
    marked = {column: lang for column, lang in (languages or {}).items()
              if lang != current_language() and column in table.columns}
    if marked:
        table = table.copy()
        for column, lang in marked.items():
            table[column] = [f"{_LANG_OPEN}{lang}{_LANG_SEP}{text}{_LANG_CLOSE}" if text else text
                             for text in table[column]]
    body = table.to_html(index=False, escape=True, border=0, classes="table blina-table")
    body = re.sub(f"{_LANG_OPEN}([a-z-]+){_LANG_SEP}(.*?){_LANG_CLOSE}",
                  r'<span lang="\1">\2</span>', body, flags=re.S)
    body = re.sub(r"`([^`<>]+)`", r"<code>\1</code>", body)  # Markdown code spans in cells
    if caption:
        body = body.replace(">\n", f">\n<caption>{_html.escape(caption)}</caption>\n", 1)
    return body


def pivotal_table(trials: pd.DataFrame) -> pd.DataFrame:
    """The pivotal trials' published figures as a display table, in the reader's language.

    ``trials`` is (a selection of the rows of) :func:`~blina_analysis.data.published.
    pivotal_trials`; its words come from :func:`~blina_analysis.data.published.
    pivotal_trial_words` in the current language (English: as cited). The trials' names and
    the journals of the sources stay as published.
    """
    from blina_analysis.data.published import PIVOTAL_TEXT_COLUMNS, pivotal_trial_words

    words = pivotal_trial_words(current_language())
    rows = list(zip(trials["bibkey"], trials["endpoint"]))
    shown = {column: [words.at[row, column] for row in rows] for column in PIVOTAL_TEXT_COLUMNS}
    first = (~trials["trial"].duplicated()).tolist()  # a trial's name and design once
    return pd.DataFrame({
        _("Trial"): [t if f else "" for t, f in zip(trials["trial"], first)],
        _("Design"): [d if f else "" for d, f in zip(shown["design"], first)],
        _("Population"): shown["population"],
        "N": ["" if pd.isna(n) else str(int(n)) for n in trials["N"]],
        _("Endpoint"): shown["endpoint"],
        _("Reported"): shown["reported_as"],
        _("Source"): shown["source"],
    })


#: The by-cohort columns of the safety tables: (code of the numeric table, title).
_COHORT_TITLES = (("MRD", N_("MRD+")), ("RR", N_("R/R")), ("all", N_("All")))
_DEATH_MEASURES = {"died": N_("Died before the cut-off"), "on_treatment": N_("On treatment"),
                   "fatal_ae": N_("Fatal (grade 5) adverse event")}


def deaths_table(t: pd.DataFrame) -> pd.DataFrame:
    """Deaths by cohort, n (%) of the cohort's treated patients (rows of
    :meth:`Analysis.deaths_table <blina_analysis.analyses.core.Analysis.deaths_table>`)."""
    rows = []
    for r in t.to_dict("records"):
        label = (_(_DEATH_MEASURES[r["measure"]]) if r["measure"] in _DEATH_MEASURES
                 else _("Within {days} days of the start").format(days=fmt.number(r["days"])))
        rows.append({_("Deaths"): label, **{_cohort_header(title, r[f'{g}_N']):
                                          fmt.n_pct(r[f"{g}_n"], r[f"{g}_N"])
                                          for g, title in _COHORT_TITLES}})
    return pd.DataFrame(rows)


def ae_cohort_table(t: pd.DataFrame) -> pd.DataFrame:
    """Patients with an adverse event (any grade; grade ≥3) per category, by cohort (rows of
    :meth:`Analysis.ae_by_cohort <blina_analysis.analyses.core.Analysis.ae_by_cohort>`)."""
    rows = []
    for r in t.to_dict("records"):
        row = {_("Category"): (_("any category") if r["category"] == "any"
                               else vocabulary.category(r["category"]))}
        for g, title in _COHORT_TITLES:
            N = r[f"{g}_N"]
            row[_("{cohort} (N = {N}): any grade").format(cohort=_(title), N=N)] = fmt.n_pct(
                r[f"{g}_any"], N)
            row[_("{cohort} (N = {N}): grade ≥3").format(cohort=_(title), N=N)] = fmt.n_pct(
                r[f"{g}_grade3plus"], N)
        rows.append(row)
    return pd.DataFrame(rows)


def ae_cycle_table(t: pd.DataFrame) -> pd.DataFrame:
    """Adverse events by the cycle in which they began: events, and patients with one (any grade;
    grade ≥3) of the patients given that cycle (rows of :meth:`Analysis.ae_by_cycle
    <blina_analysis.analyses.core.Analysis.ae_by_cycle>`)."""
    return pd.DataFrame([{
        _("Cycle"): _("not recorded") if pd.isna(r["cycle"]) else fmt.number(r["cycle"]),
        _("Patients given it"): fmt.number(r["N"]),
        _("Events"): fmt.number(r["events"]),
        _("Patients, any grade"): fmt.n_pct(r["any_n"], r["N"]),
        _("Patients, grade ≥3"): fmt.n_pct(r["grade3plus_n"], r["N"]),
    } for r in t.to_dict("records")])


def cycles_table(t: pd.DataFrame) -> pd.DataFrame:
    """Patients by the number of cycles given, by cohort (rows of :meth:`Analysis.cycles_table
    <blina_analysis.analyses.core.Analysis.cycles_table>`)."""
    return pd.DataFrame([{_("Cycles given"): fmt.number(r["cycles"]),
                          **{_cohort_header(title, r[f'{g}_N']): fmt.n_pct(r[f"{g}_n"], r[f"{g}_N"])
                             for g, title in _COHORT_TITLES}}
                         for r in t.to_dict("records")])
