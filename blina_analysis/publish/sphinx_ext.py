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


def _languages(app) -> tuple[str, dict[str, str]]:
    """This build's language and where every built language's pages are (``{"ru": "ru/"}``)."""
    langs = app.config.blina_languages or {}
    current = langs.get("current") or app.config.language or "en"
    return current, dict(langs.get("prefixes") or {current: ""})


def _other_language(app, pagename: str, suffix: str, other: str) -> str:
    """The address of ``pagename`` in language ``other``, relative to the page."""
    current, prefixes = _languages(app)
    # up to this language's root, up to the site's root, down to the other language's root
    up = _root_prefix(pagename) + ("../" * prefixes[current].count("/"))
    return f"{up}{prefixes[other]}{pagename}{suffix}"


def _language_switch(app, pagename: str, suffix: str) -> str:
    from blina_analysis.publish.languages import LANGUAGE_NAMES

    current, prefixes = _languages(app)
    e = html.escape
    links = [f'<a class="blina-language-link" href="{e(_other_language(app, pagename, suffix, o))}"'
             f' hreflang="{e(o)}" lang="{e(o)}">{e(LANGUAGE_NAMES.get(o, o))}</a>'
             for o in prefixes if o != current]
    return (f'<span class="blina-language-switch">{" ".join(links)}</span>' if links else "")


def _hreflang_links(app, info: dict, pagename: str, suffix: str) -> str:
    current, prefixes = _languages(app)
    if len(prefixes) < 2:
        return ""
    base = info.get("url") or ""  # the edition's address: absolute alternates when known
    out = []
    for lang, prefix in prefixes.items():
        href = (base + prefix + pagename + suffix if base
                else _other_language(app, pagename, suffix, lang))
        out.append(f'<link rel="alternate" hreflang="{html.escape(lang)}" '
                   f'href="{html.escape(href, quote=True)}" />')
    return "\n".join(out) + "\n"


def _edition_bar(info: dict, pagename: str, suffix: str, say=str, switch: str = "",
                 lang_path: str = "", lang: str = "en") -> str:
    from blina_analysis.publish.site_words import local_date

    root = _root_prefix(pagename)
    e = html.escape
    kind = say("synthetic data") if info.get("synthetic") else say("trial data")
    parts = [f'<span class="blina-edition-id">{e(say("Edition"))} '
             f'<strong>{e(info["edition"])}</strong></span>',
             f'<span>{e(kind)} {e(info["dataset"])}, {e(say("cut-off"))} '
             f'{e(local_date(str(info["cutoff"]), lang))}</span>']
    if info.get("pdf"):
        parts.append(f'<a class="blina-pdf-link" href="{root}{e(info["pdf"])}">'
                     f'{e(say("PDF of this edition"))}</a>')
    parts.append(f'<a class="blina-cite-link" href="#cite-this-edition">{e(say("Cite"))}</a>')
    if info.get("versioned"):
        parts.append(f'<label class="blina-edition-switcher-label" hidden>'
                     f'{e(say("Read in edition"))} '
                     f'<select class="blina-edition-switcher" aria-label="{e(say("Edition"))}">'
                     f'</select></label>')
    if switch:
        parts.append(switch)
    words = {"latest": say("read this page in the latest edition"),
             "earlier": say("You are reading edition {current}, an earlier edition. The latest is "
                          "{latest}"),
             "cutoff": say("data cut-off {cutoff}"),
             "withdrawnMark": say("withdrawn"),
             "withdrawn": say("This edition ({current}) was withdrawn on {date}. Reason: {reason} "
                            "It stays readable so that citations keep working; ")}
    import json

    attrs = (f'data-edition="{e(info["edition"])}" data-root="{root}" '
             f'data-page="{e(pagename + suffix)}" data-lang-path="{e(lang_path)}" '
             f'data-words="{e(json.dumps(words, ensure_ascii=False), quote=True)}" '
             f'data-versioned="{"true" if info.get("versioned") else "false"}"')
    return (f'<div class="blina-edition-bar" {attrs}>' + " · ".join(parts) + "</div>\n"
            '<div class="blina-edition-banner" role="note" hidden></div>\n')


def _cite_box(info: dict, pagename: str, say=str, lang: str = "en") -> str:
    from blina_analysis.publish.cite import bibtex, reference_text, ris

    root = _root_prefix(pagename)
    e = html.escape
    return (
        '<details class="blina-cite" id="cite-this-edition">'
        f"<summary>{e(say('Cite this edition'))}</summary>"
        f'<p class="blina-cite-reference">{e(reference_text(info, lang))}</p>'
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


def _meta_tags(app, info: dict, pagename: str, context: dict, doctree, image: str,
               say=str) -> str:
    e = html.escape
    title = re.sub(r"<[^>]+>", "", context.get("title") or "")
    title = html.unescape(title).strip()
    book = app.config.html_title or app.config.project or ""
    full = f"{title} — {book}" if title and book and title != book else (title or book)
    description = _description(doctree) or book
    base = info.get("url") or ""
    prefix = _languages(app)[1].get(_languages(app)[0], "")
    url = base + prefix + pagename + ".html" if base else ""
    image_url = (base + image) if base else _root_prefix(pagename) + image
    tags = [("og:type", "article"), ("og:title", full), ("og:description", description),
            ("og:image", image_url), ("og:image:alt", say("{title}: a figure of this page").format(
                title=title)
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
    from blina_analysis.publish.site_words import words

    body, written = _extract_downloads(app, pagename, context["body"])
    suffix = app.builder.out_suffix if hasattr(app.builder, "out_suffix") else ".html"
    current, prefixes = _languages(app)
    from blina_analysis.publish.languages import PRIMARY

    translated = app.config.blina_translated_pages or []
    if (current != PRIMARY and pagename in app.env.found_docs and "*" not in translated
            and pagename not in translated):
        # a page the edition does not translate (the API's docstrings) is English: say so, for
        # screen readers and for the reader's browser
        body = f'<div lang="{PRIMARY}">{body}</div>'
    say = words(current)
    bar = _edition_bar(info, pagename, suffix, say, _language_switch(app, pagename, suffix),
                       prefixes.get(current, ""), current)
    context["body"] = bar + body + _cite_box(info, pagename, say, current)
    image = next((w for w in written if w.endswith(".png")), _CARD)
    context["metatags"] = (context.get("metatags", "")
                           + _meta_tags(app, info, pagename, context, doctree, image, say)
                           + _hreflang_links(app, info, pagename, suffix))


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


# --- the chapters' prose in another language ----------------------------------------------------


def _glue_in_translations(app) -> None:
    """Let a translated paragraph paste its page's glued values.

    Sphinx parses each translated message (``msgstr``) as a document of its own, with the plain
    MyST parser; myst-nb's glue roles look their values up in that document, which has none, and
    warn. Here they look them up, failing that, in the page being translated (the same page, so
    the same values: those its kernel computed in this build's language).
    """
    import myst_nb.sphinx_ as nb_sphinx
    from myst_nb.ext.glue import directives, roles, utils

    original = utils.retrieve_glue_data
    if getattr(original, "blina", False):
        return
    load_renderer, parse = nb_sphinx.load_renderer, nb_sphinx.Parser.parse
    made: list = []

    def keeping_renderer(name):
        make = load_renderer(name)

        def making(*args, **kwargs):
            made.append(make(*args, **kwargs))
            return made[-1]

        return making

    def parse_keeping(self, inputstring, document):
        # myst-nb drops the page's renderer (and with it the glued values) from the page once
        # parsed, before Sphinx translates it: keep it for the page's translated messages
        made.clear()
        parse(self, inputstring, document)
        env = getattr(document.settings, "env", None)
        if made and env is not None and not document.current_source.endswith("<translated>"):
            env.temp_data["blina_nb_renderer"] = made[-1]
        made.clear()

    nb_sphinx.load_renderer = keeping_renderer
    nb_sphinx.Parser.parse = parse_keeping

    def retrieve(document, key):
        if "nb_renderer" in document:
            return original(document, key)
        env = getattr(document.settings, "env", None)
        page = getattr(env, "temp_data", {}).get("blina_nb_renderer") if env else None
        if page is None:
            return original(document, key)
        document["nb_renderer"] = page
        try:
            return original(document, key)
        finally:  # the translated document is pickled with the page: no renderer in it
            del document["nb_renderer"]

    retrieve.blina = True
    for module in (utils, roles, directives):
        if hasattr(module, "retrieve_glue_data"):
            module.retrieve_glue_data = retrieve


from sphinx.transforms import SphinxTransform  # noqa: E402 - with the transforms that need it


def _ancestors(node):
    while node.parent is not None:
        node = node.parent
        yield node


class _RequireTranslations(SphinxTransform):
    """Fail on any message of a page that must be translated and is not.

    ``blina_translated_pages`` lists the pages (``index``, ``chapters/methods``; ``"*"``: all)
    whose catalog is declared complete: a message of such a page left untranslated (missing,
    empty, fuzzy, or stale: its English changed since it was translated) is a warning naming the
    page, its line and the message, and warnings fail the build. Sphinx's ``Locale`` transform
    (priority 20) marks each message it translated; this one runs after it.
    """

    default_priority = 21

    def apply(self, **kwargs) -> None:
        from sphinx.util import logging
        from sphinx.util.nodes import NodeMatcher

        wanted = self.config.blina_translated_pages or []
        lang = self.config.language
        if not wanted or not lang or lang == "en":
            return
        if "*" not in wanted and self.env.docname not in wanted:
            return
        from docutils import nodes

        logger = logging.getLogger("blina_analysis.translations")
        untranslated = [n for n in NodeMatcher(nodes.Element, translated=False)
                        .findall(self.document)
                        if not any(isinstance(a, (nodes.docinfo, nodes.field_list))
                                   for a in _ancestors(n))]  # front matter
        marked = any(True for _ in NodeMatcher(nodes.Element, translated=True)
                     .findall(self.document))
        if not untranslated and not marked:
            logger.warning(f"{self.env.docname}: no {lang} catalog (locale/{lang}/LC_MESSAGES/"
                           f"{self.env.docname}.po), but its translation is required",
                           location=self.document, type="blina", subtype="translation")
        for node in untranslated:
            text = " ".join(node.rawsource.split()) if node.rawsource else node.astext()
            logger.warning(f"untranslated message in {self.env.docname} ({lang}; missing, "
                           f"empty, fuzzy or stale): {text[:200]!r}", location=node,
                           type="blina", subtype="translation")


# --- the theme's words in the page's language, and its markup made accessible ----------------


def _theme_translator(app):
    """The theme's words in this build's language: ``None`` for English (left as written), else
    the Sphinx catalog chain (the book's ``locale/<lang>/sphinx.po``, then Sphinx's and the
    themes'); a word it leaves in English is a warning naming it (warnings fail the build)."""
    lang = app.config.language
    if not lang or lang == "en":
        return None
    from sphinx.locale import get_translation
    from sphinx.util import logging

    translate, logger, warned = get_translation("sphinx"), logging.getLogger(__name__), set()

    def checked(word: str) -> str:
        out = str(translate(word))
        if out == word and word not in warned:
            warned.add(word)
            logger.warning(f"the theme's word {word!r} has no {lang} translation (add it to "
                           f"locale/{lang}/LC_MESSAGES/sphinx.po)", type="blina",
                           subtype="translation")
        return out

    return checked


def _theme_config(app, config) -> None:
    """The search box's placeholder (a theme option Jupyter Book sets in English) in the build's
    language."""
    translate = _theme_translator(app)
    options = config.html_theme_options
    if translate is not None and isinstance(options, dict) and options.get("search_bar_text"):
        config.html_theme_options = {**options,
                                     "search_bar_text": translate(options["search_bar_text"])}


def _fix_rendered_pages(app) -> None:
    """Every page the HTML builder renders passes through :func:`.theme.fix_page`."""
    from blina_analysis.publish.theme import TEMPLATE_WORDS, fix_page

    templates = getattr(app.builder, "templates", None)
    if templates is None or getattr(templates.render, "blina", False):
        return
    translate = _theme_translator(app)
    if translate is not None:
        for _markup, word in TEMPLATE_WORDS:  # checked once, whether a page shows it or not
            translate(word)
    render = templates.render

    def rendering(template, context):
        return fix_page(render(template, context), translate)

    rendering.blina = True
    templates.render = rendering


class _TranslateTocCaptions(SphinxTransform):
    """Translate the captions of the table of contents (``_toc.yml``'s ``caption:``) from the
    root page's catalog.

    sphinx-external-toc inserts the toctrees (priority 100) after Sphinx translated the page
    (priority 20), so their captions stay in English; ``blina translations update`` extracts them
    into the root page's catalog (``index.po``). A caption without a translation is left as it is
    (the root page's strict check, ``_RequireTranslations``, covers its catalog).
    """

    default_priority = 101

    def apply(self, **kwargs) -> None:
        from sphinx import addnodes
        from sphinx.locale import init as init_locale
        from sphinx.util.i18n import docname_to_domain

        lang = self.config.language
        if not lang or lang == "en" or self.env.docname != self.config.root_doc:
            return
        toctrees = list(self.document.findall(addnodes.toctree))
        if not toctrees:
            return
        domain = docname_to_domain(self.env.docname, self.config.gettext_compact)
        dirs = [str(Path(self.env.srcdir) / d) for d in self.config.locale_dirs]
        catalog, found = init_locale(dirs, lang, domain)
        if not found:
            return
        for toctree in toctrees:
            caption = toctree.get("rawcaption") or toctree.get("caption")
            if caption and (translated := catalog.gettext(caption)) != caption:
                toctree["caption"] = translated


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
    app.add_config_value("blina_languages", {}, "html", types=[dict])
    app.add_config_value("blina_translated_pages", [], "env", types=[list])
    app.add_transform(_RequireTranslations)
    app.add_transform(_TranslateTocCaptions)
    app.connect("config-inited", _theme_config)
    app.connect("builder-inited", _fix_rendered_pages)
    app.connect("builder-inited", _glue_in_translations)
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
