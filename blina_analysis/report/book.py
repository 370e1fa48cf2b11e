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
from blina_analysis.errors import NoInformation
from blina_analysis.publish.build import DATA_ENV
from blina_analysis.report.text import edition, page_values

__all__ = ["data_dir", "analysis", "glue_text", "glue_figure", "show_table",
           "GluedFigure", "GluedNote", "test_note", "show_list", "show_assumptions",
           "citation_text", "show_citation", "show_changes"]


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


class GluedNote:
    """A sentence shown in place of a figure or table that the data of this build cannot give
    (the reason of a :class:`~blina_analysis.errors.NoInformation`)."""

    def __init__(self, text: str, caption: str | None = None):
        self.text = text
        self.caption = caption

    def _repr_html_(self) -> str:
        import html

        lead = f"<em>{html.escape(self.caption)}:</em> " if self.caption else ""
        return f'<p class="blina-note">{lead}{html.escape(self.text)}</p>'

    def __repr__(self) -> str:
        return f"{self.caption}: {self.text}" if self.caption else self.text


def _make(make):
    """``make()`` when ``make`` is a function without arguments, else ``make`` itself."""
    return make() if callable(make) and not hasattr(make, "savefig") else make


def glue_figure(name: str, fig) -> None:
    """Glue ``fig`` under ``name`` with the alt text its plotting function stored, then close it.

    ``fig`` may be a function that draws the figure (``lambda: figures.km_plot(...)``): if the
    data have no information for it (:class:`~blina_analysis.errors.NoInformation`), the reason
    is glued in its place, as a sentence.
    """
    import matplotlib.pyplot as plt
    from myst_nb import glue

    from blina_analysis.report.figures import alt_text

    try:
        fig = _make(fig)
    except NoInformation as exc:
        glue(name, GluedNote(exc.reason), display=False)
        return
    glue(name, GluedFigure(fig, alt_text(fig)), display=False)
    plt.close(fig)


def show_table(table, caption: str | None = None):
    """Display a formatted table (from :mod:`blina_analysis.report.tables`) as HTML without its index.

    ``table`` may be a function that makes the table: if the data have no information for it
    (:class:`~blina_analysis.errors.NoInformation`), the reason is shown instead, after the
    caption.
    """
    from IPython.display import HTML

    from blina_analysis.report.tables import to_html

    try:
        table = _make(table)
    except NoInformation as exc:
        return HTML(GluedNote(exc.reason, caption)._repr_html_())
    return HTML(to_html(table, caption))


def test_note(test, name: str) -> str | None:
    """``"p = 0.012 (log-rank)"`` for a figure, or ``None`` when the test has no p-value
    (no event in any group)."""
    import math

    from blina_analysis.report import fmt

    if test is None or math.isnan(test.p_value):
        return None
    return f"{fmt.p_value(test.p_value)} ({name})"


def show_list(items: list[str]):
    """Display a bulleted list of sentences (escaped HTML)."""
    import html

    from IPython.display import HTML

    return HTML("<ul>" + "".join(f"<li>{html.escape(i)}</li>" for i in items) + "</ul>")


def show_assumptions(an: Analysis):
    """The reconstruction's assumptions as a list when the data are the shipped reconstruction
    (:func:`blina_analysis.data.synthetic.is_shipped_reconstruction`); nothing otherwise."""
    from IPython.display import HTML

    from blina_analysis.report.text.methods import assumptions

    items = assumptions(an)
    return show_list(items) if items else HTML("")


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
    new = results_document(an.dataset, commit=edition.source(), epoch=epoch)
    table = changes_table(old, new)
    if table.empty:
        return HTML("<p>No result changed since the earlier edition.</p>")
    version = html.escape(str(old.get("meta", {}).get("book_version", "?")))
    return HTML(to_html(table, f"Results changed since version {version}"))
