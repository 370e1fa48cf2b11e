"""What the chapters call: the build's analysis, every number of the prose as text, and glue.

A chapter does three things with this module::

    an = book.analysis()                         # the dataset of this build, analysed
    book.glue_text(an, "chapters/rr_results")    # the page's prose values, as plain strings
    book.glue_figure("fig-os", figures.km_plot(...))   # a figure with its alt text, then closed

The strings come from the page's module in :mod:`blina_analysis.report.text`, which formats
results of :class:`~blina_analysis.analyses.Analysis` with :mod:`blina_analysis.report.fmt` only —
so the prose, the tables and ``results.json`` agree.
"""

from __future__ import annotations

import base64
import os
from functools import lru_cache
from pathlib import Path

from blina_analysis.analyses import Analysis
from blina_analysis.publish.provenance import DATA_ENV
from blina_analysis.report.text import edition, page_values

__all__ = ["data_dir", "analysis", "glue_text", "glue_figure", "show_table",
           "GluedFigure", "show_list", "glue_concordance", "citation_text", "show_citation",
           "show_changes"]


def data_dir() -> Path:
    """The dataset of this build: ``$BLINA_DATA_DIR``, else the shipped synthetic data."""
    from blina_analysis.cli import default_data_dir

    return Path(os.environ.get(DATA_ENV) or default_data_dir())


@lru_cache(maxsize=4)
def _analysis(path: str) -> Analysis:
    from blina_analysis.publish.execute import ANALYSIS_ENV, load_analysis

    computed = os.environ.get(ANALYSIS_ENV)
    return (computed and load_analysis(computed, Path(path))) or Analysis.from_dir(path)


def analysis() -> Analysis:
    """The analysed dataset of this build: the build's own analysis (computed once per build, see
    :mod:`blina_analysis.publish.execute`), else loaded, validated and analysed once per kernel."""
    return _analysis(str(data_dir().resolve()))


def glue_text(an: Analysis, page: str) -> None:
    """Glue the prose values of ``page`` (e.g. ``"chapters/rr_results"``) as plain strings.

    The values come from the page's module in :mod:`blina_analysis.report.text`; they are glued
    without being displayed.
    """
    from myst_nb import glue

    for key, value in page_values(page, an).items():
        glue(key, str(value), display=False)


class GluedFigure:
    """A rendered figure (PNG with fixed metadata) shown as an ``<img>`` carrying its alt text.

    myst-nb takes an image's alt text only from static directive options, but the book's alt
    texts hold computed numbers; an HTML output with an embedded PNG carries both.
    """

    def __init__(self, fig, alt: str, dpi: int = 150):
        from blina_analysis.report.figures import figure_bytes

        self.png = figure_bytes(fig, "png", dpi=dpi)
        self.alt = alt
        self.width_px = round(fig.get_figwidth() * 96)  # CSS pixels at the figure's size

    def _repr_html_(self) -> str:
        import html

        data = base64.b64encode(self.png).decode("ascii")
        return (f'<img class="blina-figure" src="data:image/png;base64,{data}" '
                f'alt="{html.escape(self.alt, quote=True)}" width="{self.width_px}" '
                'style="max-width: 100%; height: auto;">')

    def __repr__(self) -> str:
        return self.alt


def glue_figure(name: str, fig) -> None:
    """Glue ``fig`` under ``name`` with the alt text its plotting function stored, then close it."""
    import matplotlib.pyplot as plt
    from myst_nb import glue

    from blina_analysis.report.figures import alt_text

    glue(name, GluedFigure(fig, alt_text(fig)), display=False)
    plt.close(fig)


def show_table(table, caption: str | None = None):
    """Display a formatted table (from :mod:`blina_analysis.report.tables`) as HTML without its index."""
    from IPython.display import HTML

    from blina_analysis.report.tables import to_html

    return HTML(to_html(table, caption))


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


def citation_text(an: Analysis) -> str:
    """A citation of this exact edition (version, commit, data fingerprint), as plain text."""
    v = edition.values(an)
    return (f"Blinatumomab in adult B-ALL: a living publication of Bondarenko et al. (2019), "
            f"version {v['book_version']} (source commit {v['source_commit']}; dataset "
            f"{v['dataset_name']} {v['dataset_version']}, cut-off {v['dataset_cutoff']}, "
            f"SHA-256 {v['data_fingerprint']}).")


def show_citation(an: Analysis):
    """Display :func:`citation_text` and its BibTeX entry."""
    import html

    from IPython.display import HTML

    v = edition.values(an)
    bibtex = (
        "@misc{blina_living_" + v["book_version"].replace(".", "_") + ",\n"
        "  title  = {Blinatumomab in adult B-ALL: a living publication of Bondarenko et al. (2019)},\n"
        f"  note   = {{Version {v['book_version']}, source commit {v['source_commit']}, dataset "
        f"{v['dataset_name']} {v['dataset_version']} (SHA-256 {v['data_fingerprint']})}},\n"
        f"  version = {{{v['book_version']}}}\n}}"
    )
    return HTML(f"<p>{html.escape(citation_text(an))}</p><pre>{html.escape(bibtex)}</pre>")


def show_changes(an: Analysis):
    """The results that changed since the earlier edition this build was given, or a note."""
    import html
    import json

    from IPython.display import HTML

    from blina_analysis.publish.provenance import DATE_ENV, PREVIOUS_ENV, build_timestamp
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
    new = results_document(an.dataset, commit=edition.source(), epoch=epoch)
    table = changes_table(old, new)
    if table.empty:
        return HTML("<p>No result changed since the earlier edition.</p>")
    version = html.escape(str(old.get("meta", {}).get("book_version", "?")))
    return HTML(to_html(table, f"Results changed since version {version}"))
