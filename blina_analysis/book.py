"""The chapters' face: what the chapters call, at the top of the package's layers.

The build's analysis, every number of the prose as text, glue, and what the publishing layer
knows of this edition (its identifier, commit, citation, changes since an earlier edition).

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
from blina_analysis.i18n import _, current_language
from blina_analysis.publish.provenance import COMMIT_ENV, DATA_ENV, shipped_data_dir, source_commit
from blina_analysis.report.csv_safe import spreadsheet_safe
from blina_analysis.report.text import BuildFacts, page_values
from blina_analysis.report.text.reasons import explain

__all__ = ["data_dir", "analysis", "build_facts", "glue_text", "glue_figure", "show_table", "table_csv",
           "show_concordance",
           "GluedFigure", "GluedNote", "test_note", "landmark_note", "show_list", "show_assumptions",
           "citation_text", "show_citation", "show_changes", "show_history",
           "show_history_figure"]


def data_dir() -> Path:
    """The dataset of this build: ``$BLINA_DATA_DIR``, else the shipped synthetic data."""
    return Path(os.environ.get(DATA_ENV) or shipped_data_dir())


@lru_cache(maxsize=4)
def _analysis(path: str) -> Analysis:
    from blina_analysis.publish.execute import ANALYSIS_ENV, load_analysis

    computed = os.environ.get(ANALYSIS_ENV)
    return (computed and load_analysis(computed, Path(path))) or Analysis.from_dir(path)


def analysis() -> Analysis:
    """The analysed dataset of this build: the build's own analysis (computed once per build, see
    :mod:`blina_analysis.publish.execute`), else loaded, validated and analysed once per kernel."""
    return _analysis(str(data_dir().resolve()))


def _source() -> str:
    """The source commit of this build (set by ``blina build``; else asked of git)."""
    return os.environ.get(COMMIT_ENV) or source_commit()


def build_facts(an: Analysis) -> BuildFacts:
    """What the pages print about this build: its edition, source commit and the earlier
    editions of its site (``$BLINA_HISTORY``, set by ``blina build --history``)."""
    from blina_analysis.publish import editions
    from blina_analysis.publish.provenance import HISTORY_ENV

    path = os.environ.get(HISTORY_ENV)
    history = Path(path).read_text(encoding="utf-8") if path else ""
    return editions.build_facts(an.dataset.meta, _source(), history)


def glue_text(an: Analysis, page: str) -> None:
    """Glue the prose values of ``page`` (e.g. ``"chapters/rr_results"``) as plain strings.

    The values come from the page's module in :mod:`blina_analysis.report.text`; they are glued
    without being displayed.
    """
    from myst_nb import glue

    for key, value in page_values(page, an, build_facts(an)).items():
        glue(key, str(value), display=False)


def _download_link(name: str, mime: str, data: bytes, label: str) -> str:
    """A download link carrying its file as ``data:`` (made a file of the site at build time)."""
    import html

    encoded = base64.b64encode(data).decode("ascii")
    return (f'<a class="blina-download" download="{html.escape(name, quote=True)}" '
            f'href="data:{mime};base64,{encoded}">{html.escape(label)}</a>')


def _file_name(text: str) -> str:
    """A file name from a glue name: lower case, ``-`` between words."""
    import re

    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "table"


class GluedFigure:
    """A rendered figure (PNG with fixed metadata) shown as an ``<img>`` carrying its alt text.

    myst-nb takes an image's alt text only from static directive options, but the book's alt
    texts hold computed numbers; an HTML output with an embedded PNG carries both. With a
    ``name``, the figure is also offered as PNG (300 dpi), SVG and PDF files, linked under it
    (the Sphinx extension writes them to ``downloads/<page>/<name>.<ext>``).

    The figure is rendered when it is first shown (``glue`` formats it at once) or its ``png``
    or ``files`` are read, and only then; ``figure`` is the figure until then.
    """

    #: Resolution of the PNG download; the page's image is drawn with it when its ``dpi`` divides it.
    DOWNLOAD_DPI = 300

    def __init__(self, fig, alt: str, dpi: int = 150, name: str | None = None):
        self.alt = alt
        self.width_px = round(fig.get_figwidth() * 96)  # CSS pixels at the figure's size
        self.name = name
        self.figure, self._dpi = fig, dpi
        self._png: bytes = b""
        self._files: dict[str, bytes] = {}

    def _render(self) -> None:
        from blina_analysis.report.figures import figure_bytes, figure_pngs, tight_bbox

        fig, dpi = self.figure, self._dpi
        if fig is None:  # rendered already
            return
        if not self.name:
            self._png = figure_bytes(fig, "png", dpi=dpi)
        elif self.DOWNLOAD_DPI % dpi == 0:
            # one layout of the figure (where its tight box lies) for every format, and one
            # raster drawing for the download and the page
            area = tight_bbox(fig, self.DOWNLOAD_DPI)
            download, self._png = figure_pngs(fig, self.DOWNLOAD_DPI, dpi, bbox_inches=area)
            self._files = {"png": download, "svg": figure_bytes(fig, "svg", bbox_inches=area),
                           "pdf": figure_bytes(fig, "pdf", bbox_inches=area)}
        else:
            self._png = figure_bytes(fig, "png", dpi=dpi)
            self._files = {"png": figure_bytes(fig, "png", dpi=self.DOWNLOAD_DPI),
                           "svg": figure_bytes(fig, "svg"), "pdf": figure_bytes(fig, "pdf")}
        self.figure = None  # the bytes are all that is shown from now on

    @property
    def png(self) -> bytes:
        """The page's image (PNG at the page's ``dpi``)."""
        self._render()
        return self._png

    @property
    def files(self) -> dict[str, bytes]:
        """The downloads by extension (``png``, ``svg``, ``pdf``); none without a ``name``."""
        self._render()
        return self._files

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
        return img + ('<span class="blina-downloads">'
                      + html.escape(_("Download this figure: {links}"), quote=False).format(
                          links=links) + "</span>")

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

    The figure is also offered as ``<name>.png``, ``.svg`` and ``.pdf`` downloads.
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
        glue(name, GluedNote(explain(exc)), display=False)
        return
    glue(name, GluedFigure(fig, alt_text(fig), name=_file_name(name)), display=False)
    plt.close(fig)


def table_csv(data) -> bytes:
    """CSV bytes of a table's numbers (no index, ``\n`` line ends, floats unrounded); text cells
    that a spreadsheet would run as a formula are quoted (:mod:`blina_analysis.report.csv_safe`)."""
    return spreadsheet_safe(data).to_csv(index=False, lineterminator="\n").encode("utf-8")


def show_table(table, name: str, *, data=None, reason_shown_above: bool = False):
    """Display a formatted table (from :mod:`blina_analysis.report.tables`) as HTML without its
    index, under its caption in the reader's language, with its CSV download.

    ``table`` (and ``data``) may be a function that makes the table: if the data have no
    information for it (:class:`~blina_analysis.errors.NoInformation`), the reason is shown
    instead, after the caption — or nothing, when ``reason_shown_above`` (the page's text
    already says why).

    Parameters
    ----------
    table : pandas.DataFrame or callable
        The display table (strings).
    name : str
        The table's name in :data:`~blina_analysis.report.captions.TABLE_CAPTIONS`: its caption,
        and the file name of its CSV download (the same in every language).
    data : pandas.DataFrame or callable, optional
        The numbers as computed, under their machine names, offered as the CSV download;
        default: ``table`` itself (for tables of text).
    """
    from blina_analysis.report.captions import table_caption

    return _table(table, table_caption(name), name, data=data,
                  reason_shown_above=reason_shown_above)


def _table(table, caption: str, name: str, *, data=None, reason_shown_above: bool = False,
           languages: dict[str, str] | None = None):
    """:func:`show_table` with its caption given as text (a caption computed from values);
    ``languages``: the columns whose cells are in another language (see
    :func:`~blina_analysis.report.tables.to_html`)."""
    import html

    from IPython.display import HTML

    from blina_analysis.report.tables import to_html

    try:
        table = _make(table)
        data = _make(data)
    except NoInformation as exc:
        return None if reason_shown_above else HTML(GluedNote(explain(exc), caption)._repr_html_())
    csv = table_csv(table if data is None else data)
    link = _download_link(f"{name}.csv", "text/csv", csv, "CSV")
    label = (_("Download this table: {link} (the numbers as computed)") if data is not None
             else _("Download this table: {link}"))
    return HTML(to_html(table, caption, languages=languages) + '<p class="blina-downloads">'
                + html.escape(label, quote=False).format(link=link) + "</p>")


def show_concordance(table):
    """Display the concordance table (:func:`~blina_analysis.report.tables.concordance_table`)
    under the reader's headers; the abstract's sentences, quoted in English, are marked as
    English text on the pages of another language."""
    from blina_analysis.report.captions import table_caption
    from blina_analysis.report.tables import (ABSTRACT_LANGUAGE, concordance_display,
                                              concordance_headers)

    return _table(concordance_display(table), table_caption("concordance"), "concordance",
                  languages={concordance_headers()["sentence"]: ABSTRACT_LANGUAGE})


def test_note(test, name: str) -> str | None:
    """``"p = 0.012 (log-rank)"`` for a figure, or ``None`` when the test has no p-value
    (no event in any group)."""
    import math

    from blina_analysis.report import fmt

    if test is None or math.isnan(test.p_value):
        return None
    return f"{fmt.p_value(test.p_value)} ({_(name)})"


def landmark_note(an: Analysis, pop: str, endpoint: str) -> str | None:
    """The note of a figure of the landmark comparison by response: ``"p = 0.199 (log-rank)"``,
    the reason it has no test, or None when one group is empty."""
    from blina_analysis.report.text._survival import landmark_note as note

    return note(an, pop, endpoint)


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


def _edition_info(an: Analysis) -> dict:
    """This build's edition, as every page's citation box describes it."""
    from blina_analysis.publish.editions import edition_info
    from blina_analysis.publish.provenance import DATE_ENV, build_timestamp, repo_root

    epoch = int(os.environ.get(DATE_ENV) or build_timestamp())
    return edition_info(an.dataset, _source(), epoch, repo_root())


def citation_text(an: Analysis) -> str:
    """The formatted reference of this edition (authors, title, edition, year, date, address)."""
    from blina_analysis.publish.cite import reference_text

    return reference_text(_edition_info(an), current_language())


def show_citation(an: Analysis):
    """Display the reference of this edition, its BibTeX entry and its RIS record."""
    import html

    from IPython.display import HTML

    from blina_analysis.publish.cite import bibtex, reference_text, ris

    info = _edition_info(an)
    return HTML(f"<p>{html.escape(reference_text(info, current_language()))}</p>"
                f"<p>BibTeX</p><pre>{html.escape(bibtex(info))}</pre>"
                f"<p>RIS</p><pre>{html.escape(ris(info))}</pre>")


def show_changes(an: Analysis):
    """The results that changed since the earlier edition this build was given, or a note.

    The table labels results as the concordance chapter does; its CSV download holds the
    unrounded values and changes (:func:`~blina_analysis.publish.diff.diff_results`).
    """
    import html
    import json

    from IPython.display import HTML

    from blina_analysis.analyses.results import results_document
    from blina_analysis.publish.diff import changes_table, diff_results
    from blina_analysis.publish.editions import edition_of
    from blina_analysis.publish.provenance import DATE_ENV, PREVIOUS_ENV, build_timestamp
    from blina_analysis.report.labels import result_label

    path = os.environ.get(PREVIOUS_ENV)
    if not path:
        return HTML("<p>" + html.escape(_(
            "This build was not given an earlier edition's {results} ({option}), so there is "
            "nothing to compare."), quote=False).format(
                results="<code>results.json</code>",
                option="<code>blina build --previous OLD/results.json</code>") + "</p>")
    old = json.loads(Path(path).read_text(encoding="utf-8"))
    epoch = int(os.environ.get(DATE_ENV) or build_timestamp())
    new = results_document(an.dataset, commit=_source(), epoch=epoch, explain=explain)
    table = changes_table(old, new)
    if table.empty:
        return HTML("<p>" + html.escape(_("No result changed since edition {edition}.").format(
            edition=edition_of(old))) + "</p>")
    numbers = diff_results(old, new, include_meta=False).drop(columns="section")
    numbers.insert(1, "result", [result_label(k) for k in numbers["key"]])
    return _table(table, _("Results changed since edition {edition}").format(
        edition=edition_of(old)), "results-changed-since-the-earlier-edition", data=numbers)


def _history(an: Analysis):
    """This edition's history: the earlier editions of its site, then itself."""
    from blina_analysis.analyses.results import results_document
    from blina_analysis.publish.provenance import DATE_ENV, build_timestamp
    from blina_analysis.report.text import history

    epoch = int(os.environ.get(DATE_ENV) or build_timestamp())
    current = results_document(an.dataset, commit=_source(), epoch=epoch, explain=explain,
                               analysis=an)
    return history.records(build_facts(an).history, current)


def show_history(an: Analysis):
    """The "How the results changed" table: one row per headline result, one column per
    edition of the site up to this one (:mod:`blina_analysis.report.text.history`), after the
    sentence saying how many editions it compares (or that there is no earlier one)."""
    import html

    from IPython.display import HTML

    from blina_analysis.report.text import history

    editions = _history(an)
    table = _table(history.history_table(editions), _("Headline results in each edition"),
                   "results-in-each-edition", data=history.history_numbers(editions))
    return HTML(f"<p>{html.escape(history.intro(editions))}</p>" + table.data)


def show_history_figure(an: Analysis):
    """The main estimates of each edition with their 95% CIs against the data cut-off date
    (PNG, SVG and PDF downloads under it)."""
    import matplotlib.pyplot as plt

    from blina_analysis.report.figures import alt_text, history_plot
    from blina_analysis.report.text import history

    fig = history_plot(history.figure_series(_history(an)))
    try:
        return GluedFigure(fig, alt_text(fig), name="fig-history")
    finally:
        plt.close(fig)
