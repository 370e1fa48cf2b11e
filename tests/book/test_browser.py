"""The built site in a real browser (headless Chromium driven by Playwright).

The site built from the shipped data is served over HTTP on 127.0.0.1. For every page of
``_toc.yml``: it loads with no console error, no uncaught exception and no failed request for a
resource of the site; every image has loaded and has alt text; the footer shows the book version
and the data fingerprint. From the front page, the sidebar reaches every page; the abstract shows
the numbers of ``results.json``.

Requests for anything outside the site are blocked (the tests are hermetic and a reader's browser
should not need a third party); their URLs are reported, not failed on.

A full-page screenshot of every page is written to ``$BLINA_ARTIFACTS`` (default: a folder in
pytest's temporary directory), which is printed at the end of the session.

Without Chromium or Playwright the tests are skipped, unless ``CI`` is set: there they fail.
"""

from __future__ import annotations

import functools
import http.server
import os
import re
import threading
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

import blina_analysis

from .conftest import TOC_PAGES, browser_unavailable

VIEWPORT = {"width": 1366, "height": 900}  # wide enough for the theme to show the sidebar


# --- server, artefacts (the browser fixture is in conftest.py) --------------------------------


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep pytest's output clean
        pass


@pytest.fixture(scope="session")
def site_url(built_site):
    """The built site served at ``http://127.0.0.1:<free port>/``."""
    html_dir, _ = built_site
    handler = functools.partial(_QuietHandler, directory=str(html_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="session")
def artifacts(tmp_path_factory, request) -> Path:
    folder = os.environ.get("BLINA_ARTIFACTS")
    path = Path(folder).resolve() if folder else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    yield path
    shots = sorted(p.name for p in path.glob("*.png"))
    message = f"browser screenshots ({len(shots)}): {path}"
    reporter = request.config.pluginmanager.get_plugin("terminalreporter")
    capture = request.config.pluginmanager.get_plugin("capturemanager")
    if reporter is None or capture is None:  # pragma: no cover - plugins disabled
        print(message)
        return
    with capture.global_and_fixture_disabled():  # shown even when the last test passed
        reporter.write_line("")
        reporter.write_line(message)


class Visit:
    """One page opened in a fresh browser context, with everything that went wrong on the way."""

    def __init__(self, page, base: str):
        self.page = page
        self.base = base
        self.errors: list[str] = []
        self.external: list[str] = []

    def is_local(self, url: str) -> bool:
        return url.startswith(self.base)


@pytest.fixture
def visit(browser, site_url):
    """``visit(path)`` opens a page of the site and returns a :class:`Visit` after it loaded."""
    contexts = []

    def _open(path: str) -> Visit:
        context = browser.new_context(viewport=VIEWPORT, service_workers="block")
        # a page is a correctness check, not a timing one: a machine busy with the other
        # worker's builds may take longer than Playwright's default 30 s to go idle
        context.set_default_timeout(120_000)
        contexts.append(context)
        page = context.new_page()
        v = Visit(page, site_url)

        def route(r):
            if v.is_local(r.request.url) or r.request.url.startswith(("data:", "blob:")):
                r.continue_()
            else:
                v.external.append(r.request.url)
                r.abort("blockedbyclient")

        context.route("**/*", route)

        def on_console(msg):
            if msg.type != "error":
                return
            where = (msg.location or {}).get("url") or ""
            text = msg.text
            if ("net::ERR_BLOCKED_BY_CLIENT" in text or
                    (text.startswith("Failed to load resource") and where and not v.is_local(where))):
                return  # an external request that this test blocked: reported, not failed
            v.errors.append(f"console error: {text} ({where})")

        page.on("console", on_console)
        page.on("pageerror", lambda exc: v.errors.append(f"uncaught exception: {exc}"))
        page.on("requestfailed", lambda req: v.is_local(req.url) and v.errors.append(
            f"request failed: {req.url} ({req.failure})"))
        page.on("response", lambda resp: v.is_local(resp.url) and resp.status >= 400 and
                v.errors.append(f"HTTP {resp.status}: {resp.url}"))
        response = page.goto(urljoin(site_url, path), wait_until="load")
        assert response is not None and response.ok, f"{path}: {response and response.status}"
        page.wait_for_load_state("networkidle")
        return v

    yield _open
    for context in contexts:
        context.close()


def _slug(page: str) -> str:
    return page.removesuffix(".html").replace("/", "__")


_WAIT_FOR_IMAGES = """async () => {
  const imgs = Array.from(document.images);
  for (const img of imgs) { img.loading = 'eager'; }
  await Promise.all(imgs.map(img => img.complete ? null :
      new Promise(done => { img.addEventListener('load', done); img.addEventListener('error', done);
                            setTimeout(done, 10000); })));
  return imgs.map(img => ({src: img.currentSrc || img.src, alt: img.getAttribute('alt'),
                           complete: img.complete, width: img.naturalWidth,
                           cls: img.className, hidden: img.closest('[hidden]') !== null}));
}"""


# --- every page -----------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("path", TOC_PAGES)
def test_page_loads_cleanly_and_every_image_is_shown_with_alt_text(visit, artifacts, path):
    v = visit(path)
    images = v.page.evaluate(_WAIT_FOR_IMAGES)
    v.page.wait_for_load_state("networkidle")
    v.page.screenshot(path=str(artifacts / f"{_slug(path)}.png"), full_page=True)

    problems = list(v.errors)
    for img in images:
        name = img["src"][:60] + ("..." if len(img["src"]) > 60 else "")
        if not img["complete"] or img["width"] <= 0:
            problems.append(f"image did not load: {name}")
        if not (img["alt"] or "").strip():
            problems.append(f"image without alt text: {name} (class {img['cls']!r})")
    if v.external:
        print(f"{path}: blocked external requests: {sorted(set(v.external))}")
    assert not problems, f"{path}:\n" + "\n".join(problems)


@pytest.mark.slow
def test_every_figure_is_an_embedded_png_with_alt_text(visit):
    """The figures (``img.blina-figure``) exist and carry their computed alt text."""
    figures = 0
    for path in TOC_PAGES:
        v = visit(path)
        for img in v.page.locator("img.blina-figure").all():
            figures += 1
            assert (img.get_attribute("src") or "").startswith("data:image/png;base64,"), path
            assert len((img.get_attribute("alt") or "").strip()) > 20, (path, img.get_attribute("alt"))
        v.page.context.close()
    assert figures >= 5, f"only {figures} figures in the whole book"


@pytest.mark.slow
@pytest.mark.parametrize("path", TOC_PAGES)
def test_footer_shows_version_and_data_fingerprint(visit, built_site, path):
    _, results = built_site
    version = blina_analysis.__version__
    fingerprint = results["meta"]["dataset"]["fingerprint"][:16]
    v = visit(path)
    footers = v.page.locator("footer")
    texts = [f.inner_text() for f in footers.all() if f.is_visible()]
    shown = " ".join(texts)
    assert texts, f"{path}: no visible <footer>"
    assert version in shown and fingerprint in shown, (
        f"{path}: the footer should show version {version} and data fingerprint {fingerprint}; "
        f"it shows: {shown!r}")


# --- the whole book -------------------------------------------------------------------------


def _sidebar_links(v: Visit) -> list[tuple[str, bool]]:
    """The sidebar's links on the current page: (site-relative path, visible)."""
    links = v.page.locator(".bd-sidebar-primary nav a[href], #bd-docs-nav a[href]")
    out = []
    for a in links.all():
        url = a.evaluate("a => a.href")
        if v.is_local(url):
            out.append((urlsplit(url[len(v.base):]).path or "index.html", a.is_visible()))
    return out


@pytest.mark.slow
def test_sidebar_reaches_every_page_of_the_table_of_contents(visit):
    """From the front page, following the (visible) sidebar links reaches every page of the toc."""
    reached, queue, hidden = {"index.html"}, ["index.html"], set()
    while queue:
        v = visit(queue.pop(0))
        for target, visible in _sidebar_links(v):
            if not visible:
                hidden.add(target)
                continue
            if target not in reached:
                reached.add(target)
                queue.append(target)
        v.page.context.close()
    missing = [p for p in TOC_PAGES if p not in reached]
    assert not missing, (f"not reachable through the sidebar from the front page: {missing}"
                         f" (links present but hidden: {sorted(hidden & set(missing))})")


@pytest.mark.slow
def test_sidebar_link_click_opens_the_chapter(visit):
    """A real click on the first chapter's sidebar link opens it (not only a correct href)."""
    v = visit("index.html")
    first = TOC_PAGES[1]
    link = v.page.locator(f".bd-sidebar-primary nav a[href$='{first}']").first
    assert link.is_visible(), f"no visible sidebar link to {first} on the front page"
    link.click()
    v.page.wait_for_load_state("load")
    assert v.page.url.split("#")[0].endswith(first), v.page.url


def _pct(rate) -> str:
    """Percent, half-up, whole from 10% and with one decimal below (the book's rule, computed
    here independently)."""
    value = Decimal(repr(100 * float(rate)))
    places = Decimal(1) if value.quantize(Decimal(1), rounding=ROUND_HALF_UP) >= 10 else Decimal("0.1")
    return str(value.quantize(places, rounding=ROUND_HALF_UP))


@pytest.mark.slow
def test_abstract_shows_the_numbers_of_results_json(visit, built_site):
    _, results_doc = built_site
    r = results_doc["results"]
    v = visit("index.html")
    abstract = v.page.locator("section#abstract")
    assert abstract.count() == 1, "no section with id 'abstract' on the front page"
    assert abstract.is_visible()
    text = re.sub(r"\s+", " ", abstract.inner_text())

    rr = (f"{r['rr_response_n']}/{r['n_rr_assessed']} ({_pct(r['rr_response_rate'])}%; 95% CI "
          f"{_pct(r['rr_response_ci_low'])}\u2013{_pct(r['rr_response_ci_high'])}%)")
    expected = {
        "n_total": f"included {r['n_total']} adults",
        "rr_response (n/N, rate, CI)": rr,
        "ae_grade3plus_n": f"grade ≥3 occurred in {r['ae_grade3plus_n']} "
                           f"({_pct(r['ae_grade3plus_rate'])}%) patients",
        "n_rr": f"and {r['n_rr']} (",
        "n_mrd": f"{r['n_mrd']} ({_pct(r['n_mrd'] / r['n_total'])}%)",
        "mrd_response": f"{r['mrd_response_n']}/{r['n_mrd_assessed']} "
                        f"({_pct(r['mrd_response_rate'])}%",
        "bc_interrupted_n": f"interrupted in {r['bc_interrupted_n']} ("
                            f"{_pct(r['bc_interrupted_rate'])}%)",
        "bc_stopped_early_n": f"stopped early in {r['bc_stopped_early_n']} ("
                              f"{_pct(r['bc_stopped_early_rate'])}%)",
        "os/efs_2y (all treated)": f"2-year overall survival (OS) was {_pct(r['os_2y'])}% (95% CI "
                                   f"{_pct(r['os_2y_ci_low'])}\u2013{_pct(r['os_2y_ci_high'])}%)",
        "efs_2y": f"{_pct(r['efs_2y'])}% (95% CI {_pct(r['efs_2y_ci_low'])}\u2013"
                  f"{_pct(r['efs_2y_ci_high'])}%)",
        "rr_os/efs_2y": f"2-year OS and EFS were {_pct(r['rr_os_2y'])}% and "
                        f"{_pct(r['rr_efs_2y'])}% in the R/R group",
        "mrd_os/dfs_2y": f"and {_pct(r['mrd_os_2y'])}% and {_pct(r['mrd_dfs_2y'])}% in the MRD+ group",
        "responders_rfs_2y": f"2-year relapse-free survival (RFS) was {_pct(r['responders_rfs_2y'])}%",
        "age range": f"aged {r['age_min']} to {r['age_max']} years",
    }
    missing = {k: s for k, s in expected.items() if s not in text}
    assert not missing, ("the abstract does not show these results.json values:\n"
                         + "\n".join(f"  {k}: expected {s!r}" for k, s in missing.items())
                         + f"\nabstract text: {text}")


def test_missing_browser_skips_locally_and_fails_in_ci(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="set CI=1"):
        browser_unavailable("no chromium")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="in CI the browser tests must run"):
        browser_unavailable("no chromium")


def test_toc_pages_are_every_page_of_the_toc():
    assert TOC_PAGES[0] == "index.html"
    assert "chapters/rr_results.html" in TOC_PAGES and "chapters/how_to_cite.html" in TOC_PAGES
    assert len(TOC_PAGES) == len(set(TOC_PAGES)) >= 10
