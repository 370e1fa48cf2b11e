"""A small Sphinx extension for the book's build (loaded through ``_config.yml``).

* Sphinx 7.4 emits an inline script twice when an extension adds it after the builder started
  (sphinx-thebe's ``THEBE_JS_URL``, sphinx-togglebutton's selector): the second ``const``
  declaration is a JavaScript error on every page. This removes duplicate script and style entries
  from each page's context.
* Every page gets its edition (:mod:`.editions`, config value ``blina_edition``): a bar naming the
  edition with the PDF link and, in a versioned site, the edition switcher, the banner of an
  earlier or withdrawn edition and a link to the site's Atom feed of editions (``_static/blina-editions.js``, which also opens the citation box when the
  bar's "Cite" link is followed); a "cite this edition" box (BibTeX, RIS, a
  formatted reference; :mod:`.cite`); Open Graph and Twitter tags.
* Downloads that chapters embed as ``data:`` links (figures as PNG/SVG/PDF, tables as CSV; class
  ``blina-download``) become files under ``downloads/<page>/`` and the links point to them.
* Math becomes MathML at build time (latex2mathml), so no page loads MathJax from another host.
"""

from __future__ import annotations

import base64
import html
import re
from pathlib import Path

__all__ = ["setup", "DOWNLOADS_DIR"]

#: Folder of the site that holds every page's downloads (``downloads/<page>/<file>``).
DOWNLOADS_DIR = "downloads"
_STATIC = Path(__file__).resolve().parent / "static"


def _key(asset) -> tuple:
    filename = getattr(asset, "filename", asset) or ""  # inline scripts: None or ""
    attributes = getattr(asset, "attributes", {}) or {}
    return (str(filename), tuple(sorted((k, str(v)) for k, v in attributes.items())))


def _dedupe(assets: list) -> list:
    seen, out = set(), []
    for asset in assets:
        key = _key(asset)
        if key not in seen:
            seen.add(key)
            out.append(asset)
    return out


def _page_context(app, pagename, templatename, context, doctree) -> None:
    for name in ("script_files", "css_files"):
        if name in context:
            context[name] = _dedupe(list(context[name]))


# --- downloads ----------------------------------------------------------------------------------

_DATA_LINK = re.compile(
    r'<a class="blina-download" download="(?P<name>[^"/\\]+)" '
    r'href="data:(?P<mime>[^;"]+);base64,(?P<data>[A-Za-z0-9+/=]+)"')


def _root_prefix(pagename: str) -> str:
    return "../" * pagename.count("/")


def _extract_downloads(app, pagename: str, body: str) -> tuple[str, list[str]]:
    """Write the page's ``data:`` downloads as files; return the body linking to them."""
    written: list[str] = []
    folder = Path(app.outdir) / DOWNLOADS_DIR / pagename

    def replace(m: re.Match) -> str:
        target = folder / m["name"]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(base64.b64decode(m["data"]))
        rel = f"{DOWNLOADS_DIR}/{pagename}/{m['name']}"
        written.append(rel)
        return (f'<a class="blina-download" download="{m["name"]}" '
                f'href="{_root_prefix(pagename)}{rel}"')

    return _DATA_LINK.sub(replace, body), written


# --- the edition on every page -----------------------------------------------------------------


def _edition_bar(info: dict, pagename: str, suffix: str) -> str:
    root = _root_prefix(pagename)
    e = html.escape
    kind = "synthetic data" if info.get("synthetic") else "trial data"
    parts = [f'<span class="blina-edition-id">Edition <strong>{e(info["edition"])}</strong></span>',
             f'<span>{e(kind)} {e(info["dataset"])}, cut-off {e(info["cutoff"])}</span>']
    if info.get("pdf"):
        parts.append(f'<a class="blina-pdf-link" href="{root}{e(info["pdf"])}">PDF of this '
                     f'edition</a>')
    parts.append('<a class="blina-cite-link" href="#cite-this-edition">Cite</a>')
    if info.get("versioned"):
        parts.append('<label class="blina-edition-switcher-label" hidden>Read in edition '
                     '<select class="blina-edition-switcher" aria-label="Edition"></select>'
                     '</label>')
    attrs = (f'data-edition="{e(info["edition"])}" data-root="{root}" '
             f'data-page="{e(pagename + suffix)}" '
             f'data-versioned="{"true" if info.get("versioned") else "false"}"')
    return (f'<div class="blina-edition-bar" {attrs}>' + " · ".join(parts) + "</div>\n"
            '<div class="blina-edition-banner" role="note" hidden></div>\n')


def _cite_box(info: dict, pagename: str) -> str:
    from blina_analysis.publish.cite import bibtex, reference_text, ris

    root = _root_prefix(pagename)
    e = html.escape
    return (
        '<details class="blina-cite" id="cite-this-edition">'
        "<summary>Cite this edition</summary>"
        f'<p class="blina-cite-reference">{e(reference_text(info))}</p>'
        f'<p>BibTeX (<a href="{root}citation.bib" download="citation.bib">citation.bib</a>)</p>'
        f'<pre class="blina-cite-bibtex">{e(bibtex(info))}</pre>'
        f'<p>RIS (<a href="{root}citation.ris" download="citation.ris">citation.ris</a>)</p>'
        f'<pre class="blina-cite-ris">{e(ris(info))}</pre>'
        "</details>\n")


def _description(doctree, limit: int = 200) -> str:
    """The first paragraph of the page, cut at a word before ``limit`` characters."""
    from docutils import nodes

    if doctree is None:
        return ""
    for para in doctree.findall(nodes.paragraph):
        text = " ".join(para.astext().split())
        if len(text) >= 40:
            if len(text) > limit:
                text = text[:limit].rsplit(" ", 1)[0] + "…"
            return text
    return ""


def _meta_tags(app, info: dict, pagename: str, context: dict, doctree, image: str) -> str:
    e = html.escape
    title = re.sub(r"<[^>]+>", "", context.get("title") or "")
    title = html.unescape(title).strip()
    book = app.config.html_title or app.config.project or ""
    full = f"{title} — {book}" if title and book and title != book else (title or book)
    description = _description(doctree) or book
    base = info.get("url") or ""
    url = base + pagename + ".html" if base else ""
    image_url = (base + image) if base else _root_prefix(pagename) + image
    tags = [("og:type", "article"), ("og:title", full), ("og:description", description),
            ("og:image", image_url), ("og:image:alt", f"{title}: a figure of this page"
                                      if image.startswith(DOWNLOADS_DIR) else book)]
    if url:
        tags.append(("og:url", url))
    out = [f'<meta property="{k}" content="{e(v, quote=True)}" />' for k, v in tags]
    out += [f'<meta name="{k}" content="{e(v, quote=True)}" />' for k, v in (
        ("twitter:card", "summary_large_image"), ("twitter:title", full),
        ("twitter:description", description), ("twitter:image", image_url))]
    out.append(f'<meta name="description" content="{e(description, quote=True)}" />')
    if info.get("versioned"):  # the site's feed of editions sits beside versions.json
        from blina_analysis.report.text.history import FEED_TITLE

        out.append(f'<link rel="alternate" type="application/atom+xml" '
                   f'title="{e(FEED_TITLE, quote=True)}" '
                   f'href="{_root_prefix(pagename)}../feed.xml" />')
    return "\n".join(out) + "\n"


_CARD = "_static/blina-card.png"


def _edition_context(app, pagename, templatename, context, doctree) -> None:
    info = app.config.blina_edition
    if not info or "body" not in context:
        return
    body, written = _extract_downloads(app, pagename, context["body"])
    suffix = app.builder.out_suffix if hasattr(app.builder, "out_suffix") else ".html"
    context["body"] = _edition_bar(info, pagename, suffix) + body + _cite_box(info, pagename)
    image = next((w for w in written if w.endswith(".png")), _CARD)
    context["metatags"] = context.get("metatags", "") + _meta_tags(app, info, pagename, context,
                                                                   doctree, image)


def _card_png(info: dict) -> bytes:
    """The preview image of pages without a figure: the title and the edition (deterministic)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from blina_analysis.report.figures import figure_bytes

    fig = plt.figure(figsize=(12, 6.3))
    fig.text(0.06, 0.62, info["citation"]["title"] or "A living publication", fontsize=30,
             wrap=True, weight="bold", va="center")
    fig.text(0.06, 0.36, f"Edition {info['edition']}", fontsize=20)
    fig.text(0.06, 0.26, f"{info['dataset']}, data cut-off {info['cutoff']}", fontsize=18)
    try:
        return figure_bytes(fig, "png", alt="", dpi=100)
    finally:
        plt.close(fig)


def _build_finished(app, exception) -> None:
    info = app.config.blina_edition
    if exception is not None or not info or app.builder.format != "html":
        return
    from blina_analysis.publish.cite import bibtex, ris

    out = Path(app.outdir)
    (out / "citation.bib").write_text(bibtex(info), encoding="utf-8")
    (out / "citation.ris").write_text(ris(info), encoding="utf-8")
    (out / _CARD).parent.mkdir(parents=True, exist_ok=True)
    (out / _CARD).write_bytes(_card_png(info))


# --- math as MathML -----------------------------------------------------------------------------


def _mathml(latex: str, display: bool) -> str:
    from latex2mathml.converter import convert

    return convert(latex.strip(), display="block" if display else "inline")


def _visit_math(self, node) -> None:
    from docutils import nodes

    self.body.append(f'<span class="math">{_mathml(node.astext(), False)}</span>')
    raise nodes.SkipNode


def _visit_displaymath(self, node) -> None:
    from docutils import nodes

    if node.get("number"):
        number = html.escape(str(node["number"]))
        self.body.append(f'<span class="eqno">({number})</span>')
    self.body.append(f'<div class="math">{_mathml(node.astext(), True)}</div>')
    raise nodes.SkipNode


def setup(app):
    app.connect("html-page-context", _page_context, priority=900)
    app.add_config_value("blina_edition", {}, "html", types=[dict])
    app.connect("html-page-context", _edition_context, priority=800)
    app.connect("build-finished", _build_finished)
    app.add_html_math_renderer("blina_mathml", (_visit_math, None), (_visit_displaymath, None))
    app.connect("builder-inited", _static_files)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "2"}


def _static_files(app) -> None:
    app.config.html_static_path = [*app.config.html_static_path, str(_STATIC)]
    app.add_css_file("blina.css")
    if app.config.blina_edition:
        app.add_js_file("blina-editions.js", loading_method="defer")
