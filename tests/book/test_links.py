"""No broken internal link or anchor in the built site.

Every HTML file of the site built from the shipped data is parsed with the standard library's
``html.parser``. Each relative ``href``/``src`` (also ``srcset``, ``poster``, ``data``, ``action``)
must name a file inside the site, and each ``#fragment`` must be an ``id`` (or the ``name`` of an
anchor) in the page it points to. External ``http(s)://``, protocol-relative ``//host``,
``mailto:``, ``tel:``, ``javascript:`` and ``data:`` URIs are not checked.
"""

from __future__ import annotations

import posixpath
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

#: attributes holding one URL
_URL_ATTRS = {"href", "src", "poster", "data", "action", "cite", "formaction"}
#: URI schemes that point outside the site (or are not links at all)
_EXTERNAL_SCHEMES = {"http", "https", "mailto", "tel", "javascript", "data", "ftp", "about"}


class _Page(HTMLParser):
    """The ids/names and the outgoing URLs (with their line) of one HTML page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.anchors: set[str] = set()
        self.urls: list[tuple[int, str, str, str]] = []  # (line, tag, attribute, url)

    def handle_starttag(self, tag, attrs):
        line = self.getpos()[0]
        for name, value in attrs:
            if value is None:
                continue
            if name == "id" or (name == "name" and tag in {"a", "map"}):
                self.anchors.add(value)
            elif name in _URL_ATTRS:
                if tag == "meta" or (tag == "link" and name == "href" and _is_hint(attrs)):
                    continue
                self.urls.append((line, tag, name, value.strip()))
            elif name in {"srcset", "imagesrcset"}:
                for candidate in value.split(","):
                    url = candidate.strip().split(" ")[0]
                    if url:
                        self.urls.append((line, tag, name, url))

    handle_startendtag = handle_starttag


def _is_hint(attrs) -> bool:
    """``<link rel="dns-prefetch|preconnect" href=...>`` names a host, not a resource."""
    rel = dict(attrs).get("rel") or ""
    return bool({"dns-prefetch", "preconnect"} & set(rel.split()))


def _is_external(url: str) -> bool:
    if url.startswith("//"):
        return True
    scheme = urlsplit(url).scheme.lower()
    return scheme in _EXTERNAL_SCHEMES or (bool(scheme) and len(scheme) > 1)


def _parse_site(html_dir: Path) -> dict[str, _Page]:
    pages = {}
    for file in sorted(html_dir.rglob("*.html")):
        text = file.read_text(encoding="utf-8")
        if _is_template(file, html_dir, text):
            continue
        parser = _Page()
        parser.feed(text)
        parser.close()
        pages[file.relative_to(html_dir).as_posix()] = parser
    return pages


def _is_template(file: Path, html_dir: Path, text: str) -> bool:
    """The themes copy Jinja macro files into ``_static`` (``webpack-macros.html``,
    ``sbt-webpack-macros.html``): templates of the theme, not pages of the site, never linked;
    their ``{{ pathto(...) }}`` are not URLs."""
    in_static = "_static" in file.relative_to(html_dir).parts[:-1]  # also ru/_static
    return in_static and "{% macro" in text and "{{ pathto(" in text


def _target(html_dir: Path, page: str, path: str) -> str | None:
    """The site-relative file a link's path names (``None`` if it leaves the site)."""
    if path.startswith("/"):
        joined = posixpath.normpath(path.lstrip("/"))  # as when the site is served at the root
    else:
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(page), path))
    if joined == ".":
        joined = ""
    if joined.startswith("../") or joined == "..":
        return None
    if joined == "" or (html_dir / joined).is_dir():
        joined = posixpath.join(joined, "index.html") if joined else "index.html"
    return joined


def _broken_links(html_dir: Path) -> list[str]:
    pages = _parse_site(html_dir)
    problems = []
    for page, parsed in pages.items():
        for line, tag, attr, url in parsed.urls:
            if not url or _is_external(url):
                continue
            parts = urlsplit(url)
            path, fragment = unquote(parts.path), unquote(parts.fragment)
            where = f"{page}:{line} <{tag} {attr}={url!r}>"
            target = _target(html_dir, page, path) if path else page
            if target is None:
                problems.append(f"{where}: points outside the site")
                continue
            if not (html_dir / target).is_file():
                problems.append(f"{where}: no file {target}")
                continue
            if fragment and target.endswith(".html"):
                if target not in pages:  # pragma: no cover - every .html file was parsed
                    continue
                if fragment not in pages[target].anchors:
                    problems.append(f"{where}: no id or name {fragment!r} in {target}")
    return problems


@pytest.mark.slow
def test_site_has_pages(built_site):
    html_dir, _ = built_site
    pages = sorted(p.relative_to(html_dir).as_posix() for p in html_dir.rglob("*.html"))
    assert "index.html" in pages and len(pages) >= 10, pages


@pytest.mark.slow
def test_no_broken_internal_link_or_anchor(built_site):
    html_dir, _ = built_site
    problems = _broken_links(html_dir)
    assert not problems, f"{len(problems)} broken internal links:\n" + "\n".join(problems)


@pytest.mark.slow
def test_internal_links_do_not_depend_on_the_site_root(built_site):
    """A link written as ``/results.json`` works only if the site is served at a domain's root:
    it breaks under a sub-path (``https://host/book/``) and when the pages are opened from disk.
    Internal links must be relative."""
    html_dir, _ = built_site
    rooted = []
    for page, parsed in _parse_site(html_dir).items():
        for line, tag, attr, url in parsed.urls:
            if url.startswith("/") and not url.startswith("//"):
                rooted.append(f"{page}:{line} <{tag} {attr}={url!r}>")
    assert not rooted, (f"{len(rooted)} site-root-absolute internal links (first 20):\n"
                        + "\n".join(rooted[:20]))


# --- the checker itself --------------------------------------------------------------------


def test_checker_finds_broken_links_and_anchors(tmp_path):
    site = tmp_path / "site"
    (site / "chapters").mkdir(parents=True)
    (site / "_static").mkdir()
    (site / "_static" / "a.css").write_text("")
    (site / "index.html").write_text(
        '<a id="top"></a><a href="chapters/one.html#sec">ok</a>'
        '<a href="chapters/one.html#nope">bad anchor</a><a href="missing.html">bad file</a>'
        '<a href="#top">ok</a><a href="#gone">bad self anchor</a>'
        '<link rel="stylesheet" href="_static/a.css?digest=1">'
        '<img src="data:image/png;base64,AAAA"><a href="https://example.org/x#y">external</a>'
        '<a href="mailto:a@b.c">mail</a><a href="chapters/">dir</a>', encoding="utf-8")
    (site / "chapters" / "one.html").write_text(
        '<section id="sec"><a href="../index.html#top">up</a><a name="old"></a>'
        '<a href="#old">ok</a><img src="../_static/b.png"><a href="../../x.html">out</a></section>',
        encoding="utf-8")
    problems = _broken_links(site)
    text = "\n".join(problems)
    assert "'nope'" in text and "missing.html" in text and "'gone'" in text
    assert "_static/b.png" in text and "outside the site" in text
    assert "chapters/ " not in text and "chapters/index.html" in text  # a folder means its index
    assert len(problems) == 6, text
