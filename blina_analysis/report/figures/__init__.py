"""Every figure of the book, drawn in one house style.

Figures compute nothing: each function draws an object that the stats layer has already computed (a
survival curve, a cumulative incidence curve, a table of rates) and turns numbers into text only
through :mod:`blina_analysis.report.fmt`. Each function takes ``ax=None`` (``None`` makes a new figure of
a suitable size), returns the :class:`~matplotlib.figure.Figure` and never shows or saves it. Save
with :func:`save_figure`, which writes byte-identical files for identical figures.

Style
-----
The rcParams are the single dict :data:`HOUSE_RC` (Okabe–Ito colours, lowercase axis labels, no
titles: the caption is the title). Every plotting function runs inside :func:`house_style`, so
importing this module leaves a reader's own plots alone (the one exception, ``svg.hashsalt``, is
explained in :mod:`blina_analysis.report.figures.style`). :func:`use_house_style` applies the style globally on
request.

Alt text
--------
Each plotting function stores a one-sentence description with the key numbers on the figure it
returns; :func:`alt_text` reads it, for the ``image: alt`` metadata of the chapter's cell and for
:func:`save_figure`, which writes it into the file's ``Description``. When several functions draw on
one figure (with ``ax=``), their sentences are joined in drawing order.

Duck-typed inputs
-----------------
The stats layer's objects are used only through these attributes:

* survival curve (Kaplan–Meier, Simon–Makuch): ``label``, ``n``, ``table`` with columns ``time,
  n_risk, n_event, n_censor, survival, std_err, ci_low, ci_high`` (one row per distinct time, in
  days) and, when present, ``number_at_risk(times_days)``;
* cumulative incidence curve: ``label``, ``n``, ``cause``, ``table`` with columns ``time, n_risk,
  n_event_cause, n_event_other, n_censor, cif, std_err, ci_low, ci_high``.

One module per figure family: :mod:`.curves` (Kaplan–Meier and cumulative incidence),
:mod:`.forest`, :mod:`.history` (estimates across editions), :mod:`.swimmer`, :mod:`.consort`, :mod:`.adverse_events`; the shared helpers in
:mod:`._common` and the style in :mod:`.style`.
"""

from blina_analysis.report.figures._common import (
    AT_RISK_LABEL,
    DEFAULT_XLABEL,
    alt_text,
)
from blina_analysis.report.figures.adverse_events import ae_bar_plot
from blina_analysis.report.figures.consort import consort_diagram
from blina_analysis.report.figures.curves import cif_plot, km_plot
from blina_analysis.report.figures.forest import forest_plot, pivotal_forest_plot
from blina_analysis.report.figures.history import history_plot
from blina_analysis.report.figures.style import (
    HOUSE_RC,
    PALETTE,
    figure_bytes,
    figure_pngs,
    house_style,
    save_figure,
    tight_bbox,
    use_house_style,
)
from blina_analysis.report.figures.swimmer import swimmer_plot

__all__ = [
    "HOUSE_RC",
    "PALETTE",
    "house_style",
    "use_house_style",
    "save_figure",
    "figure_bytes",
    "figure_pngs",
    "tight_bbox",
    "alt_text",
    "AT_RISK_LABEL",
    "DEFAULT_XLABEL",
    "km_plot",
    "cif_plot",
    "forest_plot",
    "pivotal_forest_plot",
    "swimmer_plot",
    "consort_diagram",
    "ae_bar_plot",
    "history_plot",
]
