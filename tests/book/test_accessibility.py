"""Accessibility: axe-core finds no WCAG 2.1 A or AA violation on any page of either language.

Every HTML page of the site built from the shipped data (``built_site``: English at its root,
Russian at ``ru/``), chapters, the front page, the API's source pages, search and the indexes, is
opened in headless Chromium, once its scripts have run (the theme builds part of the page in
JavaScript); axe-core is injected and run with the rules tagged ``wcag2a``, ``wcag2aa``,
``wcag21a`` and ``wcag21aa``. The Russian pages say ``<html lang="ru">``, so axe judges them as
Russian (``html-lang-valid``, ``valid-lang``).

axe-core comes from npm, as ``.ci/run`` installs it (``.ci/npm/node_modules/axe-core``), or from
``$BLINA_AXE`` (the path of ``axe.min.js``); without it the test is skipped, unless ``CI`` is set:
there it fails.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from .conftest import ROOT, browser_unavailable
from .test_links import _is_template

#: The rules of WCAG 2.1 levels A and AA.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
VIEWPORT = {"width": 1366, "height": 900}


def axe_script() -> Path | None:
    """``axe.min.js``: ``$BLINA_AXE``, ``.ci/run``'s npm folder, or npm's global folder."""
    candidates = [os.environ.get("BLINA_AXE"),
                  ROOT / ".ci" / "npm" / "node_modules" / "axe-core" / "axe.min.js"]
    try:
        npm_root = subprocess.run(["npm", "root", "-g"], capture_output=True, text=True,
                                  timeout=30).stdout.strip()
        if npm_root:
            candidates.append(Path(npm_root) / "axe-core" / "axe.min.js")
    except (OSError, subprocess.SubprocessError):
        pass
    return next((Path(c) for c in candidates if c and Path(c).is_file()), None)


def site_pages(html_dir: Path, lang_prefix: str) -> list[str]:
    """Every page of one language's site (``""``: the book's own at the root; ``"ru/"``)."""
    root = html_dir / lang_prefix
    pages = []
    for file in sorted(root.rglob("*.html")):
        rel = file.relative_to(html_dir).as_posix()
        if not lang_prefix and rel.split("/", 1)[0] in {"ru"}:  # the other language's pages
            continue
        if _is_template(file, root, file.read_text(encoding="utf-8")):
            continue
        pages.append(rel)
    return pages


_RUN_AXE = """async tags => {
    const result = await axe.run(document, {runOnly: {type: 'tag', values: tags},
                                            resultTypes: ['violations']});
    return result.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help,
        nodes: v.nodes.map(n => n.target.join(' ') + ' :: ' + n.html.slice(0, 160))}));
}"""


def axe_violations(browser, html_dir: Path, pages: list[str]) -> list[str]:
    """axe's WCAG 2.1 A/AA violations on ``pages``, one line per rule and page."""
    script = axe_script()
    if script is None:
        browser_unavailable("no axe-core (.ci/run installs it with npm into .ci/npm; or set "
                            "BLINA_AXE to axe.min.js)")
    source = script.read_text(encoding="utf-8")
    context = browser.new_context(viewport=VIEWPORT, service_workers="block")
    context.route("**/*", lambda r: r.continue_() if r.request.url.startswith(
        ("file:", "data:", "blob:")) else r.abort())
    page = context.new_page()
    found = []
    try:
        for rel in pages:
            page.goto((html_dir / rel).as_uri(), wait_until="load")
            page.wait_for_timeout(150)  # the theme's deferred scripts (icons, tooltips)
            page.add_script_tag(content=source)
            for v in page.evaluate(_RUN_AXE, WCAG_TAGS):
                shown = "\n      ".join(v["nodes"][:3])
                more = f" (+{len(v['nodes']) - 3} more)" if len(v["nodes"]) > 3 else ""
                found.append(f"{rel}: {v['id']} ({v['impact']}, {len(v['nodes'])} nodes: "
                             f"{v['help']}){more}\n      {shown}")
    finally:
        context.close()
    return found


@pytest.mark.slow
@pytest.mark.parametrize("lang_prefix", ["", "ru/"], ids=["en", "ru"])
def test_no_page_has_a_wcag_violation(browser, built_site, lang_prefix):
    html_dir, _ = built_site
    pages = site_pages(html_dir, lang_prefix)
    assert len(pages) >= 15 and f"{lang_prefix}chapters/rr_results.html" in pages, pages
    found = axe_violations(browser, html_dir, pages)
    assert not found, (f"axe-core (WCAG 2.1 A/AA) on {len(pages)} pages found "
                       f"{len(found)} violations:\n" + "\n".join(found))


def test_the_theme_fixes_do_what_axe_asks():
    """The markup fixes of :mod:`blina_analysis.publish.theme`, on the theme's own markup."""
    from blina_analysis.publish.theme import fix_page

    page = (
        '<button class="btn search-button-field search-button__button pst-js-only" '
        'title="Search" aria-label="Search" data-bs-placement="bottom">'
        '<i class="theme-switch fa-solid fa-sun                fa-lg" data-mode="light" '
        'title="Light"></i>'
        '<summary aria-label="Toggle hidden content"><p>Show code cell source</p></summary>'
        '<table class="dataframe table blina-table"><caption>T</caption></table>'
        '<div role="list" class="citation-list"><div class="citation" id="a" '
        'role="doc-biblioentry"></div></div><nav aria-label="Page">')
    fixed = fix_page(page, lambda word: {"Page": "Страница"}.get(word, word))
    assert 'aria-label="Search"' not in fixed and 'title="Search"' in fixed
    assert 'data-mode="light" aria-hidden="true">' in fixed and 'title="Light"' not in fixed
    assert "<summary><p>Show code cell source</p></summary>" in fixed
    assert '<table class="dataframe table blina-table" tabindex="0">' in fixed
    assert 'role="listitem"' in fixed and "doc-biblioentry" not in fixed
    assert '<nav aria-label="Страница">' in fixed
    assert fix_page(fixed, None) == fixed  # once is enough
