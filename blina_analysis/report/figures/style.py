"""The house style of every figure in the book, and the one way figures are written to disk.

Private module: the public names are re-exported by :mod:`blina_analysis.report.figures`.

How the style is applied
------------------------
The rcParams live in one dict, :data:`HOUSE_RC`. Every plotting function in
:mod:`blina_analysis.report.figures` runs inside :func:`house_style` (a
:func:`matplotlib.rc_context`), so importing the package does not restyle a reader's own plots.
:func:`use_house_style` applies the same dict globally, for a notebook that wants its ad hoc plots
to match.

The one global change made at import is ``svg.hashsalt``, and only when it is still unset
(``None``). The salt is read when a figure is *saved*, not when it is drawn. Jupyter renders
figures after our functions have returned, so this is the only way that SVG outputs of notebooks
(myst-nb, ``glue``) keep the same element ids from build to build.

Determinism
-----------
:func:`save_figure` writes byte-identical files for identical figures:

* SVG: fixed ``svg.hashsalt`` (ids of clip paths and markers), ``svg.fonttype = "none"`` (text stays
  text, with no embedded glyph outlines that could change with the FreeType or font version), and
  metadata without ``Date``, ``Creator`` or ``Software``;
* PNG: Agg rendering at a fixed dpi, and metadata without ``Software``;
* PDF: no ``CreationDate``, ``Creator`` or ``Producer``, and TrueType (type 42) fonts, each
  subset made once per process and without the layout tables a viewer does not read.

The font is DejaVu Sans, which matplotlib bundles, so text metrics (and therefore the layout) are
the same on every machine that has the same matplotlib version.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Iterator
from pathlib import Path

import matplotlib as mpl
from cycler import cycler

__all__ = [
    "OKABE_ITO",
    "PALETTE",
    "GRADE_COLOURS",
    "HOUSE_RC",
    "HASH_SALT",
    "house_style",
    "use_house_style",
    "save_figure",
    "figure_bytes",
    "figure_pngs",
]

#: Okabe & Ito (2008), "Color Universal Design": distinguishable with every common colour-vision
#: deficiency. Keys are the names the authors use.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
}

#: Order in which curves, groups and cohorts take colours. Yellow is left out (too light on white).
PALETTE = tuple(
    OKABE_ITO[k]
    for k in ("blue", "vermillion", "bluish green", "orange", "reddish purple", "sky blue", "black")
)

#: An ordered (sequential) scale for toxicity grades 1–2, 3, 4, 5. The lightness increases
#: monotonically, so the order also reads in grey scale and with any colour-vision deficiency.
GRADE_COLOURS = ("#C6DBEF", "#6BAED6", "#2171B5", "#08306B")

HASH_SALT = "blina-analysis"

#: Every rcParam the house style sets. Sizes suit a web book about 700 px wide (inline figures at
#: 100 dpi); files saved with :func:`save_figure` are written at 200 dpi.
HOUSE_RC: dict = {
    # page
    "figure.figsize": (6.4, 4.0),
    "figure.dpi": 100,
    "figure.facecolor": "white",
    "figure.constrained_layout.use": False,
    "savefig.dpi": 200,
    "savefig.bbox": "tight",
    "savefig.pad_inches": 0.05,
    "savefig.facecolor": "white",
    # text
    "font.family": "sans-serif",
    "font.sans-serif": ["DejaVu Sans", "Arial", "Helvetica"],
    "font.size": 10,
    "axes.labelsize": 10,
    "xtick.labelsize": 9,
    "ytick.labelsize": 9,
    "legend.fontsize": 9,
    "axes.titlesize": 10,  # titles are not used: the caption is the title
    "axes.formatter.use_mathtext": False,
    "text.color": "#222222",
    "axes.labelcolor": "#222222",
    "xtick.color": "#222222",
    "ytick.color": "#222222",
    # axes: open frame, no grid (journal style)
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.linewidth": 0.8,
    "axes.edgecolor": "#222222",
    "axes.grid": False,
    "grid.color": "#E5E5E5",
    "grid.linewidth": 0.6,
    "axes.prop_cycle": cycler(color=list(PALETTE)),
    "axes.xmargin": 0.0,
    "xtick.major.size": 3.5,
    "ytick.major.size": 3.5,
    "xtick.major.width": 0.8,
    "ytick.major.width": 0.8,
    "lines.linewidth": 1.8,
    "lines.markersize": 6,
    "legend.frameon": False,
    "legend.handlelength": 1.8,
    "legend.borderaxespad": 0.3,
    "patch.linewidth": 0.6,
    # files
    "svg.fonttype": "none",
    "svg.hashsalt": HASH_SALT,
    "pdf.fonttype": 42,
    "ps.fonttype": 42,
}

_SVG_METADATA = {"Date": None, "Creator": None}
_PNG_METADATA = {"Software": None}
_PDF_METADATA = {"CreationDate": None, "Creator": None, "Producer": None, "ModDate": None}


@contextlib.contextmanager
def house_style() -> Iterator[None]:
    """Apply :data:`HOUSE_RC` inside a ``with`` block and restore the previous rcParams after it.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> with house_style():
    ...     fig, ax = plt.subplots()
    >>> plt.close(fig)
    """
    with mpl.rc_context(HOUSE_RC):
        yield


def use_house_style() -> None:
    """Apply :data:`HOUSE_RC` globally (for a notebook's own ad hoc plots)."""
    mpl.rcParams.update(HOUSE_RC)


def save_figure(fig, path, *, alt: str | None = None, **kwargs) -> Path:
    """Write ``fig`` to ``path`` so that the same figure always gives the same bytes.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure returned by one of the plotting functions.
    path : str or pathlib.Path
        Target file; the format follows the suffix (``.png``, ``.svg`` or ``.pdf``).
    alt : str, optional, default: the figure's alt text
        Stored as the file's ``Description`` (SVG, PNG) or ``Subject`` (PDF), so that a downloaded
        figure keeps its description. ``None`` uses the alt text that the plotting function stored
        on the figure (see :func:`blina_analysis.report.figures.alt_text`), if any.
    **kwargs
        Passed to :meth:`matplotlib.figure.Figure.savefig` (``dpi`` for example).

    Returns
    -------
    path : pathlib.Path
        The path written.

    Notes
    -----
    Timestamps and software versions are left out of the file metadata, and ``svg.hashsalt`` is
    fixed, so that two saves of the same figure are byte-identical (the book's build checks this).
    Fonts are not embedded in SVG (``svg.fonttype = "none"``).
    """
    path = Path(path)
    path.write_bytes(figure_bytes(fig, path.suffix.lower().lstrip("."), alt=alt, **kwargs))
    return path


def _metadata(fig, fmt: str, alt: str | None) -> dict:
    """The file metadata of ``fig`` in format ``fmt``: fixed, with its alt text as description."""
    if alt is None:
        alt = getattr(fig, "_blina_alt_text", None)
        alt = " ".join(alt) if alt else None
    if fmt == "svg":
        metadata = dict(_SVG_METADATA)
        if alt:
            metadata["Description"] = alt
    elif fmt == "png":
        metadata = dict(_PNG_METADATA)
        if alt:
            metadata["Description"] = alt
    else:
        metadata = dict(_PDF_METADATA)
        if alt:
            metadata["Subject"] = alt
    return metadata


def figure_bytes(fig, fmt: str, *, alt: str | None = None, **kwargs) -> bytes:
    """The bytes :func:`save_figure` would write for format ``fmt`` (``png``, ``svg``, ``pdf``).

    Used to embed figures in the book (glue) with the same determinism guarantees as files.
    """
    from blina_analysis.errors import BlinaError

    if fmt not in ("png", "svg", "pdf"):
        raise BlinaError(f"figures are written as .png, .svg or .pdf, got {fmt!r}")
    metadata = _metadata(fig, fmt, alt)
    metadata.update(kwargs.pop("metadata", {}) or {})
    buffer = io.BytesIO()
    with house_style(), (_reused_font_subsets() if fmt == "pdf" else contextlib.nullcontext()):
        fig.savefig(buffer, format=fmt, metadata=metadata, **kwargs)
    return buffer.getvalue()


class _SubsetFont:
    """A font subset already written: what matplotlib's PDF backend needs of a fontTools font
    (``save`` into its font file stream, and closing)."""

    def __init__(self, data: bytes):
        self.data = data

    def save(self, file, reorderTables=False) -> None:  # noqa: N803 - fontTools' signature
        file.write(self.data)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        return None


class _Subset:
    def __init__(self, data: bytes, glyph_index_map: dict):
        self.font, self.glyph_index_map = _SubsetFont(data), glyph_index_map

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        return None


#: Font subsets written into PDFs, by (font file, face, glyphs): subsetting a TrueType font with
#: fontTools is most of the cost of a PDF, and figures of one page (and of one build's kernel)
#: often show the same characters
_SUBSETS: dict[tuple, tuple[bytes, dict]] = {}
_MAX_SUBSETS = 512


#: Tables of a TrueType font that a PDF viewer never reads: glyph substitution and positioning
#: (the PDF places every glyph itself) and the old kerning table. Left out of the embedded subset,
#: they are not subsetted either, which is most of the subsetting's work.
_LAYOUT_TABLES = ("GSUB", "GPOS", "GDEF", "kern", "BASE", "JSTF", "MATH", "morx", "mort")


def _subset_font(fontfile, glyphs: list) -> tuple[bytes, dict]:
    """The font file ``fontfile`` cut down to ``glyphs`` (indices), as matplotlib's PDF backend
    embeds it (Type 42), without the layout tables; and the map of old to new glyph indices."""
    from fontTools import subset as ft_subset
    from matplotlib.backends import _backend_pdf_ps

    options = ft_subset.Options(glyph_names=True, recommended_glyphs=True,
                                layout_closure=False)
    options.drop_tables += ["FFTM", "PfEd", "BDF", "meta", "MERG", "TSIV", "Zapf", "bdat", "bloc",
                            "cidg", "fdsc", "feat", "fmtx", "fond", "just", "kerx", "ltag",
                            "trak", "xref", *_LAYOUT_TABLES]  # matplotlib's list, and ours
    options.font_number = getattr(fontfile, "face_index", 0)
    font = ft_subset.load_font(fontfile, options)
    try:
        subsetter = ft_subset.Subsetter(options=options)
        subsetter.populate(gids=glyphs)
        subsetter.subset(font)
        return (_backend_pdf_ps.font_as_file(font).getvalue(),
                dict(subsetter.glyph_index_map))
    finally:
        font.close()


@contextlib.contextmanager
def _reused_font_subsets() -> Iterator[None]:
    """While a PDF is written, each font subset is made once per process and reused, and
    without the tables a PDF viewer does not read (:data:`_LAYOUT_TABLES`).

    The subset of a font to a set of glyphs is a function of those two, so reusing it writes
    the same bytes.
    """
    from matplotlib.backends import _backend_pdf_ps

    made = _backend_pdf_ps.get_glyphs_subset

    def reused(fontfile, glyphs):
        glyphs = list(glyphs)
        key = (str(fontfile), getattr(fontfile, "face_index", 0), frozenset(glyphs))
        if key not in _SUBSETS:
            if len(_SUBSETS) >= _MAX_SUBSETS:
                _SUBSETS.clear()
            _SUBSETS[key] = _subset_font(fontfile, glyphs)
        data, glyph_index_map = _SUBSETS[key]
        return _Subset(data, dict(glyph_index_map))

    _backend_pdf_ps.get_glyphs_subset = reused
    try:
        yield
    finally:
        _backend_pdf_ps.get_glyphs_subset = made


def tight_bbox(fig, dpi: int):
    """The area of ``fig`` that ``savefig`` with ``bbox_inches="tight"`` saves at ``dpi`` (padded
    by ``savefig.pad_inches``), from one layout of the figure; pass it as ``bbox_inches`` to save
    the figure in several formats without laying it out again for each.

    Returns ``"tight"`` for a figure with a layout engine (constrained layout), which lays the
    figure out again at every drawing anyway.
    """
    from matplotlib import cbook
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if fig.get_layout_engine() is not None:
        return "tight"
    with house_style():
        canvas = fig.canvas
        try:  # as savefig(format="png", dpi=dpi) lays it out before it draws
            with cbook._setattr_cm(fig, dpi=dpi):
                renderer = FigureCanvasAgg(fig).get_renderer()
                with renderer._draw_disabled():
                    fig.draw(renderer)
                bbox = fig.get_tightbbox(renderer)
        finally:
            fig.set_canvas(canvas)
        return bbox.padded(mpl.rcParams["savefig.pad_inches"])


def figure_pngs(fig, dpi: int, smaller_dpi: int, *, alt: str | None = None,
                **kwargs) -> tuple[bytes, bytes]:
    """PNG bytes of ``fig`` at ``dpi`` and at ``smaller_dpi``, from one drawing.

    The figure is drawn once, at ``dpi`` (the bytes :func:`figure_bytes` gives, with ``kwargs``);
    the smaller image is that picture with each square of ``dpi // smaller_dpi`` pixels averaged
    into one, written with the same metadata. ``dpi`` must be a whole multiple of
    ``smaller_dpi``.
    """
    import numpy as np
    from matplotlib.image import imsave
    from PIL import Image

    from blina_analysis.errors import BlinaError

    factor, rest = divmod(dpi, smaller_dpi)
    if rest or factor < 1:
        raise BlinaError(f"{dpi} dpi is not a whole multiple of {smaller_dpi} dpi")
    large = figure_bytes(fig, "png", alt=alt, dpi=dpi, **kwargs)
    if factor == 1:
        return large, large
    pixels = _pixels_just_written(fig, large)
    if pixels is not None:  # no need to decode the PNG just encoded
        small = Image.fromarray(pixels, mode="RGBA").reduce(factor)
    else:
        with Image.open(io.BytesIO(large)) as image:
            small = image.convert("RGBA").reduce(factor)
    buffer = io.BytesIO()
    imsave(buffer, np.asarray(small), format="png", origin="upper", dpi=smaller_dpi,
           metadata=_metadata(fig, "png", alt))  # as Agg's print_png writes a PNG
    return large, buffer.getvalue()


def _pixels_just_written(fig, png: bytes):
    """The RGBA pixels that Agg drew for ``png``, just written from ``fig``, or ``None``.

    Agg's ``print_png`` encodes its canvas' buffer; the buffer stays as drawn until the figure
    is drawn again. Used only when the figure's canvas is Agg's own and the buffer has the PNG's
    size (its ``IHDR``), else the caller decodes the PNG.
    """
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = fig.canvas
    renderer = getattr(canvas, "renderer", None)
    if not isinstance(canvas, FigureCanvasAgg) or renderer is None or png[12:16] != b"IHDR":
        return None
    pixels = np.array(renderer.buffer_rgba(), dtype=np.uint8, copy=True)
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    if pixels.ndim != 3 or pixels.shape != (height, width, 4):
        return None
    return pixels


if mpl.rcParams["svg.hashsalt"] is None:
    # See the module docstring: the only global rcParam set at import.
    mpl.rcParams["svg.hashsalt"] = HASH_SALT
