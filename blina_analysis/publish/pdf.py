"""The PDF of a whole edition, printed from its built HTML by Debian's Chromium (Playwright).

The pages of the table of contents are put, in order, into one print document at the site's root
(their articles only: no sidebars), after a title page naming the edition, its data cut-off and
fingerprint, and its source commit. Chromium prints it with page numbers in the footer and PDF
bookmarks for the headings; chapters keep their numbers, figures and tables as on the web. The
print document is removed afterwards; only the PDF stays (:func:`~.editions.pdf_name`).

The same edition prints to the same bytes, whatever else runs beside the print
(:func:`canonical_pdf`): Chromium stamps the time of printing into the PDF's information dictionary
(those dates become the edition's source date), and it names the structure elements of the tagged
PDF after Blink's DOM node ids, which the renderer hands out on demand to whatever asks first (a
paint of the page on screen, a scroll, a DevTools client), so their numbers depend on the timing
of what happened to the page before it was printed. They are renumbered in the order the elements
appear in the PDF.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
import shutil
import tempfile
from pathlib import Path

import yaml

from blina_analysis.errors import BuildError

__all__ = ["make_pdf", "print_to_pdf", "canonical_pdf", "chromium_executable",
           "print_document", "PRINT_FILE", "ARCHIVED_SITE_ENV"]

#: The temporary print document, at the site's root while Chromium prints it.
PRINT_FILE = "_print.html"
#: Environment variable naming the archived site that ``blina verify`` rebuilds: a print equal
#: to the archived PDF is taken at once (see :func:`make_pdf`).
ARCHIVED_SITE_ENV = "BLINA_ARCHIVED_SITE"

_LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--font-render-hinting=none"]

_PRINT_CSS = """
@page { size: A4; margin: 16mm 15mm 18mm 15mm; }
html, body { background: #fff !important; }
body { font-size: 10.5pt; }
.blina-print-chapter { break-before: page; }
.blina-title-page { break-after: page; padding-top: 30mm; }
.blina-title-page h1 { font-size: 24pt; margin-bottom: 12mm; }
.blina-title-page dl { display: grid; grid-template-columns: max-content 1fr; gap: 2mm 6mm; }
.blina-title-page dt { font-weight: 600; }
.blina-title-page dd { margin: 0; overflow-wrap: anywhere; }
.blina-print-contents { break-after: page; }
.headerlink, .blina-edition-bar, .blina-edition-banner, .blina-cite, .blina-downloads,
.toggle-button, .cell_input, details.hide, .tag_hide-input > .cell_input { display: none !important; }
img, figure, table { break-inside: avoid; max-width: 100% !important; }
h1, h2, h3 { break-after: avoid; }
pre { white-space: pre-wrap; }
"""

_FOOTER = ('<div style="font-size:8px; width:100%; text-align:center; color:#555;">'
           '<span class="pageNumber"></span> / <span class="totalPages"></span></div>')


def chromium_executable() -> str:
    """Debian's Chromium (``$BLINA_CHROMIUM``, ``chromium`` or ``/usr/bin/chromium``)."""
    for candidate in (os.environ.get("BLINA_CHROMIUM"), "chromium", "chromium-browser",
                      "/usr/bin/chromium"):
        if candidate and (path := shutil.which(candidate)):
            return path
    raise BuildError("the edition's PDF is printed by Chromium, which is not installed "
                     "(Debian: apt-get install chromium)")


def _toc_pages(root: Path) -> list[str]:
    from blina_analysis.publish.sources import _toc_files

    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8")) or {}
    return [re.sub(r"\.(md|ipynb|rst)$", "", name) for name in dict.fromkeys(_toc_files(toc))]


_ARTICLE = re.compile(r'<article class="bd-article">(?P<body>.*?)</article>', re.S)
_STYLESHEET = re.compile(r'<link rel="stylesheet"[^>]*>')


def _article(site: Path, page: str) -> str:
    text = (site / f"{page}.html").read_text(encoding="utf-8")
    m = _ARTICLE.search(text)
    if m is None:
        raise BuildError(f"{page}.html has no <article class=\"bd-article\">: cannot print it")
    body = m["body"]
    depth = page.count("/")
    if depth:  # sources relative to the page become relative to the site's root (links: below)
        body = re.sub(r'(src=")((?:\.\./){%d})' % depth, r"\1", body)
    # ids must stay unique once every page is in one document
    slug = re.sub(r"[^A-Za-z0-9]+", "-", page)
    body = re.sub(r'(?<![\w-])id="([^"]+)"', lambda m: f'id="{slug}--{m[1]}"', body)
    return body


_HREF = re.compile(r'<a (?P<before>[^>]*?)href="(?P<href>[^"]*)"')


def _links_for_print(body: str, page: str, url: str) -> str:
    """Links inside the site point to the edition's public address, or are dropped: a PDF must
    not carry the path of the folder it was printed from (nor would such a link work)."""
    from posixpath import dirname, join, normpath

    def replace(m: re.Match) -> str:
        href = html.unescape(m["href"])
        if re.match(r"^(https?|mailto):", href):
            return m[0]
        if not url or href.startswith("#") or not href:
            return f'<a {m["before"]}'
        target = normpath(join(dirname(page), href))
        return f'<a {m["before"]}href="{html.escape(url + target, quote=True)}"'

    return _HREF.sub(replace, body)


def print_document(site: Path, root: Path, meta: dict, url: str = "", lang: str = "en") -> str:
    """The HTML document that is printed: title page, contents, every page's article.

    ``site`` is one language's site (``OUT`` or ``OUT/ru``); the title page's words are in
    ``lang`` (the site's words, :mod:`.site_words`) and the document says its language
    (``<html lang>``: Chromium tags the PDF with it, and hyphenates by it)."""
    from blina_analysis.publish.editions import edition_of
    from blina_analysis.publish.site_words import local_date, words

    say = words(lang)
    site, root = Path(site), Path(root)
    index = (site / "index.html").read_text(encoding="utf-8")
    styles = "\n".join(_STYLESHEET.findall(index))
    pages = _toc_pages(root)
    edition = edition_of({"meta": meta})
    ds = meta.get("dataset") or {}
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8")) or {}
    title = say(str(config.get("title") or "The book"))
    e = html.escape
    rows = [(say("Edition"), edition), (say("Dataset"), f"{ds.get('name')} {ds.get('version')}"
                                      + (f" ({say('synthetic')})" if ds.get("synthetic") else "")),
            (say("Data cut-off"), local_date(str(ds.get("cutoff_date")), lang)),
            (say("Data fingerprint (SHA-256)"), str(ds.get("fingerprint"))),
            (say("Source commit"), str(meta.get("source_commit"))),
            (say("Source dated"), local_date(str(meta.get("build_date", ""))[:10], lang))]
    if url:
        rows.append((say("Online"), url))
    title_page = (f'<section class="blina-title-page"><h1>{e(title)}</h1>'
                  f"<p>{e(say('A living publication, printed from the web edition.'))}</p><dl>"
                  + "".join(f"<dt>{e(k)}</dt><dd>{e(v)}</dd>" for k, v in rows)
                  + "</dl></section>")
    chapters = []
    for page in pages:
        chapters.append(f'<section class="blina-print-chapter" data-page="{e(page)}">'
                        f"{_links_for_print(_article(site, page), page, url)}</section>")
    return (f"<!DOCTYPE html>\n<html lang=\"{e(lang)}\"><head><meta charset=\"utf-8\">"
            f"<title>{e(title)} — {e(say('edition'))} {e(edition)}</title>\n{styles}\n"
            f"<style>{_PRINT_CSS}</style></head>\n<body class=\"blina-print\">"
            f"{title_page}\n" + "\n".join(chapters) + "\n</body></html>\n")


def _pdf_date(epoch: int) -> bytes:
    return dt.datetime.fromtimestamp(epoch, dt.timezone.utc).strftime("D:%Y%m%d%H%M%S").encode()


def _fix_dates(data: bytes, epoch: int) -> bytes:
    """Chromium's creation and modification dates become the source date (same length, so the
    cross-reference offsets stay valid)."""
    stamp = _pdf_date(epoch)

    def replace(m: re.Match) -> bytes:
        value = m[2]
        new = stamp + value[len(stamp):] if len(value) >= len(stamp) else value
        return m[1] + new

    return re.sub(rb"(/(?:CreationDate|ModDate) ?\()([^)]*)", replace, data)


_NODE_ID = re.compile(rb"\(node(\d{8})\)")
_ID_LEAF = re.compile(rb"/Limits \[\(node\d{8}\) \(node\d{8}\)\]\n/Names \[(?P<pairs>(?:\(node\d{8}\) "
                      rb"\d+ 0 R ?)+)\]")
_ID_PAIR = re.compile(rb"\(node\d{8}\) \d+ 0 R")


def _canonical_node_ids(data: bytes) -> bytes:
    """Renumber the tagged PDF's structure element ids (``(node00000297)``: Blink's DOM node ids)
    1, 2, ... in the order the elements carrying them appear, and re-sort the id tree's leaves.

    Same-length rewrites: the cross-reference offsets stay valid.
    """
    order = dict.fromkeys(m[1] for m in re.finditer(rb"/ID \(node(\d{8})\)", data))
    for m in _NODE_ID.finditer(data):  # ids named only elsewhere (table headers), in file order
        order.setdefault(m[1])
    if len(order) > 99_999_999:  # pragma: no cover - the width is fixed by Chromium
        return data
    new = {old: b"%08d" % k for k, old in enumerate(order, start=1)}
    data = _NODE_ID.sub(lambda m: b"(node" + new[m[1]] + b")", data)

    def leaf(m: re.Match) -> bytes:
        pairs = sorted(_ID_PAIR.findall(m["pairs"]))
        first, last = pairs[0].split(b" ", 1)[0], pairs[-1].split(b" ", 1)[0]
        text = (b"/Limits [" + first + b" " + last + b"]\n/Names [" + b" ".join(pairs)
                + (b" " if m["pairs"].endswith(b" ") else b"") + b"]")
        return text if len(text) == len(m[0]) else m[0]

    return _ID_LEAF.sub(leaf, data)


def canonical_pdf(data: bytes, epoch: int) -> bytes:
    """Chromium's PDF with what depends on the moment and the circumstances of printing fixed:
    the information dictionary's dates (the source date ``epoch``) and the structure ids."""
    return _canonical_node_ids(_fix_dates(data, epoch))


#: Run in the page before printing: web fonts loaded, images decoded, two frames laid out.
_SETTLE = """async () => {
    await document.fonts.ready;
    await Promise.all(Array.from(document.images, img => img.decode().catch(() => null)));
    await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)));
}"""
_VIEWPORT = {"width": 1280, "height": 900}
#: Chromium puts a socket at ``$TMPDIR/org.chromium.Chromium.XXXXXX/SingletonSocket`` and will not
#: start if that path is longer than a Unix socket's (107 bytes).
_LONGEST_TMPDIR = 107 - len("/org.chromium.Chromium.XXXXXX/SingletonSocket")


def print_to_pdf(document: Path, *, epoch: int, prepare=None) -> bytes:
    """Print the HTML file ``document`` with Chromium to PDF bytes (:func:`canonical_pdf`).

    Parameters
    ----------
    document : Path
        The print document; it may load only ``file:`` and ``data:`` resources.
    epoch : int
        The source date (Unix seconds) written as the PDF's creation and modification dates.
    prepare : callable, optional
        Called with the Playwright page once it has settled, before printing (tests use it to
        do to the page what a busy machine might, and check that the bytes do not change).

    Raises
    ------
    BuildError
        Chromium or Playwright is missing, or printing failed.
    """
    executable = chromium_executable()
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - a dependency of the package
        raise BuildError("the edition's PDF needs playwright (pip install playwright)") from None
    try:
        # Chromium's own temporary files in a folder removed here, whatever happens: killed by
        # Ctrl-C (SIGINT reaches the whole process group), it would leave them in the temporary
        # folder; unless that path would make its socket's too long for Chromium to start
        scratch = tempfile.TemporaryDirectory(prefix="blina-", ignore_cleanup_errors=True)
        with scratch as tmp, sync_playwright() as pw:
            env = {**os.environ, "TMPDIR": tmp} if len(tmp) <= _LONGEST_TMPDIR else None
            # a browser of its own: a fresh profile in a new temporary folder, DevTools over a
            # pipe (no port), one page at a fixed size
            browser = pw.chromium.launch(executable_path=executable, headless=True,
                                         args=_LAUNCH_ARGS, env=env)
            try:
                page = browser.new_page(viewport=_VIEWPORT, device_scale_factor=1)
                page.route("**/*", lambda r: r.continue_() if r.request.url.startswith(
                    ("file:", "data:")) else r.abort())
                page.emulate_media(media="print")  # laid out for print from the start
                page.goto(Path(document).as_uri(), wait_until="load")
                page.evaluate(_SETTLE)
                if prepare is not None:
                    prepare(page)
                data = page.pdf(format="A4", print_background=True, display_header_footer=True,
                                header_template="<span></span>", footer_template=_FOOTER,
                                margin={"top": "16mm", "bottom": "18mm", "left": "15mm",
                                        "right": "15mm"}, outline=True, tagged=True)
            finally:
                browser.close()
    except PlaywrightError as exc:
        raise BuildError(f"printing the edition's PDF failed: {exc}") from None
    return canonical_pdf(data, epoch)


def make_pdf(site: Path, root: Path, *, url: str = "", echo=print, lang: str = "en",
             archived: bytes | None = None) -> Path:
    """Print the edition built in ``site`` (from the sources in ``root``) to its PDF.

    ``site`` is the site of one language ``lang`` (``OUT/ru`` for Russian, whose PDF is then
    ``OUT/ru/<pdf_name>``, the address its pages' edition bar links to); ``url`` that language's
    public address. ``archived`` is the edition's PDF as archived, when ``blina verify``
    rebuilds it: a print equal to it is taken at once (usually the first); otherwise prints are
    made until two agree, as for a new edition (:func:`_agreed_print`).

    Returns the PDF's path, ``site / pdf_name(edition)``.

    Raises
    ------
    BuildError
        Chromium or Playwright is missing, or printing failed.
    """
    from blina_analysis.publish.editions import edition_of, pdf_name

    site = Path(site)
    meta = json.loads((site / "results.json").read_text(encoding="utf-8"))["meta"]
    epoch = int(dt.datetime.strptime(meta["build_date"], "%Y-%m-%dT%H:%M:%SZ")
                .replace(tzinfo=dt.timezone.utc).timestamp())
    target = site / pdf_name(edition_of({"meta": meta}))
    document = site / PRINT_FILE
    document.write_text(print_document(site, root, meta, url, lang), encoding="utf-8")
    echo(f"printing {target.name} with {chromium_executable()}")
    try:
        data = _agreed_print(document, epoch, archived)
    finally:
        document.unlink(missing_ok=True)
    if archived is not None:
        same = "equal to" if data == archived else "differs from"
        echo(f"{target.name}: {same} the archived one")
    target.write_bytes(data)
    return target


#: Prints of one document made until two agree byte for byte.
_MOST_PRINTS = 4


def _agreed_print(document: Path, epoch: int, archived: bytes | None = None) -> bytes:
    """The bytes that two prints of ``document`` agree on, or the first print equal to
    ``archived``.

    Rarely, on a heavily loaded machine, Chromium lays out a few lines of one print with words
    shifted by fractions of a point (same printer, fonts and pages); a lone print would then make
    an edition that its own rebuild cannot reproduce. The layout most prints give is the one an
    edition keeps: print until two prints are equal (at most :data:`_MOST_PRINTS`). A rebuild
    that prints the archived PDF has reproduced it: it needs no further print.
    """
    prints: list[bytes] = []
    while len(prints) < _MOST_PRINTS:
        data = print_to_pdf(document, epoch=epoch)
        if data in prints or (archived is not None and data == archived):
            return data
        prints.append(data)
    raise BuildError(f"printing the edition's PDF gave {_MOST_PRINTS} different files; the "
                     "machine may be too loaded to lay the pages out the same way twice")
