"""What the chapters call: the build's analysis, every number of the prose as text, and glue.

A chapter does three things with this module::

    an = book.analysis()          # the dataset of this build, analysed
    book.glue_text(an)            # every prose value, glued as plain strings
    book.glue_figure("fig-os", figures.km_plot(...))   # a figure with its alt text, then closed

The strings come from :func:`text_values`, which formats results of
:class:`~blina_analysis.analyses.core.Analysis` and of :func:`~blina_analysis.analyses.results.compute_results`
with :mod:`blina_analysis.report.fmt` only — so the prose, the tables and ``results.json`` agree.
"""

from __future__ import annotations

import base64
import os
from functools import lru_cache
from pathlib import Path

from blina_analysis.report import fmt
from blina_analysis.analyses.core import Analysis
from blina_analysis.publish.build import COMMIT_ENV, DATA_ENV, source_commit
from blina_analysis.definitions import (
    BLASTS_CUTOFF_PCT,
    DAYS_PER_MONTH,
    LANDMARK_DAYS,
    ONE_YEAR_DAYS,
    POPULATIONS,
    TWO_YEARS_DAYS,
)
from blina_analysis.analyses.results import compute_results

__all__ = ["data_dir", "analysis", "text_values", "glue_text", "glue_figure", "show_table", "table_csv",
           "GluedFigure", "show_list", "glue_concordance", "citation_text", "show_citation",
           "show_changes"]


def data_dir() -> Path:
    """The dataset of this build: ``$BLINA_DATA_DIR``, else the shipped synthetic data."""
    from blina_analysis.cli import default_data_dir

    return Path(os.environ.get(DATA_ENV) or default_data_dir())


@lru_cache(maxsize=4)
def _analysis(path: str) -> Analysis:
    return Analysis.from_dir(path)


def analysis() -> Analysis:
    """The analysed dataset of this build (loaded and validated once per kernel)."""
    return _analysis(str(data_dir().resolve()))


def _pct_ci(p) -> str:
    """Rate and interval for use inside parentheses: ``67%; 95% CI 51–81%``."""
    return f"{fmt.pct(p.rate)}; 95% CI {fmt.ci(p.ci_low, p.ci_high)}"


def _est_ci(e) -> str:
    return f"{fmt.pct(e.estimate)} (95% CI {fmt.ci(e.ci_low, e.ci_high)})"


def _median(m) -> str:
    return f"{fmt.months(m.time)} months (95% CI {fmt.months(m.ci_low)}–{fmt.months(m.ci_high)})"


def text_values(an: Analysis) -> dict[str, str]:
    """Every value that the prose of the book shows, formatted, keyed by glue name.

    Computed once per analysis object (the chapters ask several times).
    """
    return dict(an._cached(("text_values",), lambda: _text_values(an)))


def _text_values(an: Analysis) -> dict[str, str]:
    r = compute_results(an)
    ds = an.dataset
    v: dict[str, str] = {}

    # what this build is
    v["book_version"] = __import__("blina_analysis").__version__
    v["dataset_name"] = ds.meta.name
    v["dataset_version"] = ds.meta.version
    v["dataset_cutoff"] = f"{ds.meta.cutoff_date:%Y-%m-%d}"
    v["dataset_kind"] = "a synthetic reconstruction" if ds.meta.synthetic else "the trial's data"
    v["data_fingerprint"] = ds.fingerprint[:16]
    from blina_analysis.publish.editions import edition_id

    v["edition"] = edition_id(ds.meta.name, ds.meta.version)
    v["source_commit"] = os.environ.get(COMMIT_ENV) or source_commit()

    # cohort
    n = r["n_total"]
    v["n_total"] = str(n)
    v["n_mrd"] = fmt.n_pct(r["n_mrd"], n)
    v["n_rr"] = fmt.n_pct(r["n_rr"], n)
    v["n_prior_hsct"] = fmt.n_pct(r["n_prior_hsct"], n)
    v["n_mrd_count"] = str(r["n_mrd"])
    v["n_rr_count"] = str(r["n_rr"])
    v["age_range"] = f"{r['age_min']} to {r['age_max']}"
    v["n_responders"] = str(r["n_responders"])
    follow = an.followup()
    v["median_followup"] = _median(follow)

    # R/R response
    rr = an.rr_response
    v["rr_response"] = f"{fmt.n_of(rr.n, rr.N)} ({_pct_ci(rr)})"
    v["rr_response_short"] = f"{fmt.n_of(rr.n, rr.N)} ({fmt.pct(rr.rate)})"
    mneg = an.rr_mrd_negativity
    v["rr_mrdneg"] = f"{fmt.n_of(mneg.n, mneg.N)} ({_pct_ci(mneg)})"
    v["rr_mrdneg_short"] = fmt.n_pct(mneg.n, mneg.N)
    for key, (heading, level) in {
        "cyto_standard": ("Cytogenetic risk", "standard"), "cyto_high": ("Cytogenetic risk", "high"),
        "blasts_lt50": ("Marrow blasts", f"<{BLASTS_CUTOFF_PCT}%"),
        "blasts_ge50": ("Marrow blasts", f"≥{BLASTS_CUTOFF_PCT}%"),
        "prior_hsct_yes": ("Prior allo-HSCT", "yes"), "prior_hsct_no": ("Prior allo-HSCT", "no"),
    }.items():
        p = an.subgroup_rate(heading, level)
        v[f"rr_rate_{key}"] = fmt.pct(p.rate)
        v[f"rr_rate_{key}_n"] = f"{fmt.n_of(p.n, p.N)}, {fmt.pct(p.rate)}"
    sub = an.subgroup_response()
    for heading, key in (("Cytogenetic risk", "cyto"), ("Marrow blasts", "blasts"),
                         ("Prior allo-HSCT", "prior_hsct")):
        rows = sub[sub["subgroup"] == heading]
        v[f"rr_p_{key}"] = fmt.p_value(rows["p_value"].iloc[0]) if len(rows) else "p = NA"
    blasts_missing = sub.loc[sub["subgroup"] == "Marrow blasts", "n_missing"]
    v["rr_blasts_unknown"] = str(int(blasts_missing.iloc[0])) if len(blasts_missing) else "0"

    # MRD response
    mrd = an.mrd_response
    v["mrd_response"] = f"{fmt.n_of(mrd.n, mrd.N)} ({_pct_ci(mrd)})"

    # survival at 1 and 2 years
    for pop in ("responders", "rr_responders", "mrd", "mrd_responders", "mrd_non_responders",
                "rr", "all", "rr_non_responders"):
        if an.n(pop) == 0:
            for ep in ("os", "dfs"):
                v[f"{pop}_{ep}_2y"] = v[f"{pop}_{ep}_1y"] = v[f"{pop}_{ep}_median"] = "NA"
            continue
        for ep in ("OS", "DFS"):
            c = an.km(pop, ep)
            v[f"{pop}_{ep.lower()}_2y"] = _est_ci(c.at(TWO_YEARS_DAYS))
            v[f"{pop}_{ep.lower()}_2y_short"] = fmt.pct(c.at(TWO_YEARS_DAYS).estimate)
            v[f"{pop}_{ep.lower()}_1y"] = _est_ci(c.at(ONE_YEAR_DAYS))
            v[f"{pop}_{ep.lower()}_median"] = _median(c.median)
    _, resp_test = an.km_compare(("rr_responders", "rr_non_responders"), "OS")
    v["rr_os_resp_logrank"] = fmt.p_value(resp_test.p_value)
    if an.n("mrd_non_responders") and an.n("mrd_responders"):
        _, mrd_test = an.km_compare(("mrd_responders", "mrd_non_responders"), "DFS")
        v["mrd_dfs_resp_logrank"] = fmt.p_value(mrd_test.p_value)
        _, mrd_os_test = an.km_compare(("mrd_responders", "mrd_non_responders"), "OS")
        v["mrd_os_resp_logrank"] = fmt.p_value(mrd_os_test.p_value)
    else:
        v["mrd_dfs_resp_logrank"] = v["mrd_os_resp_logrank"] = "p = NA"
    v["n_mrd_responders"] = str(an.n("mrd_responders"))
    v["n_mrd_non_responders"] = str(an.n("mrd_non_responders"))

    # prior allo-HSCT (blinatumomab after a transplant)
    prior = an.proportion("rr", "prior_allo_hsct")
    v["rr_prior_hsct_n"] = str(prior.n)
    p = an.subgroup_rate("Prior allo-HSCT", "yes")
    v["rr_prior_hsct_response"] = f"{fmt.n_of(p.n, p.N)} ({_pct_ci(p)})"

    # transplant after blinatumomab
    crude = an.crude_relapse_by_transplant()
    t, u = crude["transplanted"], crude["not transplanted"]
    v["relapse_hsct_after"] = f"{fmt.n_of(t.n, t.N)} ({fmt.pct(t.rate)})"
    v["relapse_no_hsct_after"] = f"{fmt.n_of(u.n, u.N)} ({fmt.pct(u.rate)})"
    v["relapse_hsct_after_pct"] = fmt.pct(t.rate)
    v["relapse_no_hsct_after_pct"] = fmt.pct(u.rate)
    v["n_hsct_after"] = str(t.N)
    v["crude_fisher_p"] = fmt.p_value(an.crude_relapse_test().p_value)
    v["landmark_days"] = fmt.number(an.landmark_days)
    v["landmark_months"] = fmt.months(an.landmark_days)
    lm = an.landmark("DFS")
    v["landmark_n"] = str(lm.n_at_risk)
    v["landmark_excluded"] = str(lm.n_excluded)
    v["landmark_exposed"] = str(lm.n_exposed)
    v["landmark_p"] = fmt.p_value(lm.test.p_value)
    v["mantel_byar_dfs"] = (f"χ² = {fmt.number(an.mantel_byar('DFS').statistic, 2)}, "
                            f"{fmt.p_value(an.mantel_byar('DFS').p_value)}")
    v["mantel_byar_os"] = (f"χ² = {fmt.number(an.mantel_byar('OS').statistic, 2)}, "
                           f"{fmt.p_value(an.mantel_byar('OS').p_value)}")
    for ep in ("DFS", "OS"):
        cox = an.time_varying_cox(ep).table.iloc[0]
        v[f"tv_cox_{ep.lower()}"] = (
            f"HR {fmt.number(cox['hr'], 2)} (95% CI {fmt.number(cox['hr_ci_low'], 2)}–"
            f"{fmt.number(cox['hr_ci_high'], 2)}), {fmt.p_value(cox['p_value'])}")
    naive_curves, naive_test = an.naive_transplant_comparison("DFS")
    v["naive_logrank_dfs"] = fmt.p_value(naive_test.p_value)
    cif = an.cumulative_incidence("responders")
    v["cir_relapse_2y"] = _est_ci(cif["relapse"].at(TWO_YEARS_DAYS))
    v["cir_nrm_2y"] = _est_ci(cif["non-relapse mortality"].at(TWO_YEARS_DAYS))
    gray = an.gray_test("responders", "hsct_after_bc")
    v["gray_relapse_hsct"] = f"{fmt.p_value(gray.p_value)}"

    # safety
    g34 = an.grade34()
    v["ae_grade34"] = f"{fmt.n_pct(g34.n, g34.N)}"
    v["ae_grade34_ci"] = f"{fmt.n_of(g34.n, g34.N)} ({_pct_ci(g34)})"
    for key, (column) in (("bc_interrupted", "bc_interrupted"),
                          ("bc_stopped_early", "bc_stopped_early")):
        p = an.proportion("all", column)
        v[key] = fmt.n_pct(p.n, p.N)
    for cat in ("CRS", "neurologic"):
        anyg = an.patients_with(cat, 1)
        severe = an.patients_with(cat, 3)
        v[f"ae_{cat.lower()}_any"] = fmt.n_pct(anyg.n, anyg.N)
        v[f"ae_{cat.lower()}_g3"] = fmt.n_pct(severe.n, severe.N)
    v["n_ae_rows"] = str(len(ds.adverse_events))

    # definitions, so that the methods text cannot drift from the code
    v["days_per_month"] = fmt.number(DAYS_PER_MONTH, 4)
    v["two_years_days"] = str(TWO_YEARS_DAYS)
    v["one_year_days"] = str(ONE_YEAR_DAYS)
    v["default_landmark_days"] = str(LANDMARK_DAYS)
    v["blasts_cutoff"] = f"{BLASTS_CUTOFF_PCT}%"
    v["conf_level"] = fmt.pct(an.conf_level)
    v["n_populations"] = str(len(POPULATIONS))
    return v


def glue_text(an: Analysis, keys: list[str] | None = None) -> None:
    """Glue every prose value (or only ``keys``) as plain strings, without displaying them."""
    from myst_nb import glue

    values = text_values(an)
    for key in keys or values:
        glue(key, str(values[key]), display=False)


def _download_link(name: str, mime: str, data: bytes, label: str) -> str:
    """A download link carrying its file as ``data:`` (made a file of the site at build time)."""
    import html

    encoded = base64.b64encode(data).decode("ascii")
    return (f'<a class="blina-download" download="{html.escape(name, quote=True)}" '
            f'href="data:{mime};base64,{encoded}">{html.escape(label)}</a>')


def _file_name(text: str) -> str:
    """A file name from a glue name or a caption: lower case, ``-`` between words."""
    import re

    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "table"


class GluedFigure:
    """A rendered figure (PNG with fixed metadata) shown as an ``<img>`` carrying its alt text.

    myst-nb takes an image's alt text only from static directive options, but the book's alt
    texts hold computed numbers; an HTML output with an embedded PNG carries both. With a
    ``name``, the figure is also offered as PNG (300 dpi), SVG and PDF files, linked under it
    (the Sphinx extension writes them to ``downloads/<page>/<name>.<ext>``).
    """

    def __init__(self, fig, alt: str, dpi: int = 150, name: str | None = None):
        from blina_analysis.report.figures import figure_bytes

        self.png = figure_bytes(fig, "png", dpi=dpi)
        self.alt = alt
        self.width_px = round(fig.get_figwidth() * 96)  # CSS pixels at the figure's size
        self.name = name
        self.files: dict[str, bytes] = {}
        if name:
            self.files = {"png": figure_bytes(fig, "png", dpi=300),
                          "svg": figure_bytes(fig, "svg"),
                          "pdf": figure_bytes(fig, "pdf")}

    def _repr_html_(self) -> str:
        import html

        data = base64.b64encode(self.png).decode("ascii")
        img = (f'<img class="blina-figure" src="data:image/png;base64,{data}" '
               f'alt="{html.escape(self.alt, quote=True)}" width="{self.width_px}" '
               'style="max-width: 100%; height: auto;">')
        if not self.files:
            return img
        mimes = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}
        links = " · ".join(_download_link(f"{self.name}.{ext}", mimes[ext], data, ext.upper())
                           for ext, data in self.files.items())
        return img + f'<span class="blina-downloads">Download this figure: {links}</span>'

    def __repr__(self) -> str:
        return self.alt


def glue_figure(name: str, fig) -> None:
    """Glue ``fig`` under ``name`` with the alt text its plotting function stored, then close it.

    The figure is also offered as ``<name>.png``, ``.svg`` and ``.pdf`` downloads.
    """
    import matplotlib.pyplot as plt
    from myst_nb import glue

    from blina_analysis.report.figures import alt_text

    glue(name, GluedFigure(fig, alt_text(fig), name=_file_name(name)), display=False)
    plt.close(fig)


def table_csv(data) -> bytes:
    """CSV bytes of a table's numbers (no index, ``\\n`` line ends, floats unrounded)."""
    return data.to_csv(index=False, lineterminator="\n").encode("utf-8")


def show_table(table, caption: str | None = None, *, data=None, name: str | None = None):
    """Display a formatted table (from :mod:`blina_analysis.report.tables`) as HTML without its index.

    Parameters
    ----------
    table : pandas.DataFrame
        The display table (strings).
    caption : str, optional
        Shown above the table.
    data : pandas.DataFrame, optional
        The numbers as computed, offered as a CSV download under the table; default: ``table``
        itself (for tables of text).
    name : str, optional
        The CSV's file name without ``.csv``; default: from the caption.
    """
    from IPython.display import HTML

    from blina_analysis.report.tables import to_html

    name = _file_name(name or caption or "table")
    csv = table_csv(table if data is None else data)
    link = _download_link(f"{name}.csv", "text/csv", csv, "CSV")
    return HTML(to_html(table, caption) + f'<p class="blina-downloads">Download this table: {link}'
                f"{' (the numbers as computed)' if data is not None else ''}</p>")


def show_list(items: list[str]):
    """Display a bulleted list of sentences (escaped HTML)."""
    import html

    from IPython.display import HTML

    return HTML("<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>")


def glue_concordance(table) -> None:
    """Glue how many published numbers this build reproduces (keys ``concordance_*``)."""
    from myst_nb import glue

    glue("concordance_agree", str(int((table["agrees"] == "yes").sum())), display=False)
    glue("concordance_total", str(len(table)), display=False)


def _edition_info(an: Analysis) -> dict:
    """This build's edition, as every page's citation box describes it."""
    from blina_analysis.publish.build import DATE_ENV, build_timestamp, repo_root
    from blina_analysis.publish.editions import edition_info

    epoch = int(os.environ.get(DATE_ENV) or build_timestamp())
    return edition_info(an.dataset, text_values(an)["source_commit"], epoch, repo_root())


def citation_text(an: Analysis) -> str:
    """The formatted reference of this edition (authors, title, edition, year, date, address)."""
    from blina_analysis.publish.cite import reference_text

    return reference_text(_edition_info(an))


def show_citation(an: Analysis):
    """Display the reference of this edition, its BibTeX entry and its RIS record."""
    import html

    from IPython.display import HTML

    from blina_analysis.publish.cite import bibtex, reference_text, ris

    info = _edition_info(an)
    return HTML(f"<p>{html.escape(reference_text(info))}</p>"
                f"<p>BibTeX</p><pre>{html.escape(bibtex(info))}</pre>"
                f"<p>RIS</p><pre>{html.escape(ris(info))}</pre>")


def show_changes(an: Analysis):
    """The results that changed since the earlier edition this build was given, or a note."""
    import html
    import json

    from IPython.display import HTML

    from blina_analysis.publish.build import DATE_ENV, PREVIOUS_ENV, build_timestamp
    from blina_analysis.publish.diff import changes_table
    from blina_analysis.analyses.results import results_document
    from blina_analysis.report.tables import to_html

    path = os.environ.get(PREVIOUS_ENV)
    if not path:
        return HTML("<p>This build was not given an earlier edition's <code>results.json</code> "
                    "(<code>blina build --previous OLD/results.json</code>), so there is nothing "
                    "to compare.</p>")
    old = json.loads(Path(path).read_text(encoding="utf-8"))
    epoch = int(os.environ.get(DATE_ENV) or build_timestamp())
    new = results_document(an.dataset, commit=text_values(an)["source_commit"], epoch=epoch)
    table = changes_table(old, new)
    if table.empty:
        from blina_analysis.publish.editions import edition_of

        return HTML(f"<p>No result changed since edition {html.escape(edition_of(old))}.</p>")
    from blina_analysis.publish.editions import edition_of

    return HTML(to_html(table, f"Results changed since edition {edition_of(old)}"))
