"""A versioned site of three editions from three data cuts, read as readers and citers would.

One module-scoped fixture publishes, from a clone of this repository's HEAD, the shipped data as
edition 1 and two later data cuts (dataset versions 1.1 and 1.2) as editions 2 and 3 into one site
folder served on 127.0.0.1 (three builds and three PDFs); before edition 2 is published, a
``blina publish`` of it is interrupted by Ctrl-C while it prints; editions 2 and 3 are published
while another process, with its own Chromium, prints an edition's PDF each time the publishing
starts one. The archives are rebuilt by ``blina verify`` (three more builds), and one archive
altered in four ways is verified against the first edition's rebuild (the same sources and data).
Everything else reuses these. Checked: the site's layout and versions.json, edition 1 untouched
by the later ones, every page of two editions in Chromium with no error and no request to another
host, the edition switcher keeping the page, the banner of an earlier edition, the downloads, the
phone width, the citation box and link previews, the changes table naming editions, the PDF with
every chapter (pdftotext), the language switch keeping the chapter and the edition both ways (also
from ``latest/``; a round trip on the middle edition), the edition switcher of a Russian page
staying Russian (down, up, to and from the middle), the Russian banner of an earlier edition
leading to the latest's Russian page, each edition's Russian PDF (``<edition>/ru/``, Cyrillic
read by pdftotext), verify passing on every archive (their PDFs too, printed beside another print) and failing, with
the list of altered files, on the altered one. The living record: each edition's "How the
results changed" page (three columns in the third, one in the first), the Atom feed, and the
second edition withdrawn (its banner in Chromium, latest/ and the third untouched, the
switcher's mark, its archive still rebuilt by verify), then reinstated.
"""

from __future__ import annotations

import csv
import functools
import hashlib
import http.server
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import tempfile
import threading
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from blina_analysis._version import __version__
from blina_analysis.cli import main
from blina_analysis.data import synthetic
from blina_analysis.errors import BlinaError
from blina_analysis.publish.editions import pdf_name
from blina_analysis.publish.site import publish_site
from blina_analysis.publish.verify import verify_archive
from english_words import english_in

from .conftest import TOC_PAGES, browser_unavailable, ctrl_c_when

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
FIRST = f"{__version__}+blina-synthetic-1.0"
SECOND = f"{__version__}+blina-synthetic-1.1"
THIRD = f"{__version__}+blina-synthetic-1.2"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 900}


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True,
                          text=True).stdout.strip()


def _hashes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def _data_cut(folder: Path, *, version: str, cutoff: str, seed: int, n_patients: int) -> Path:
    """A later data cut of the shipped dataset: another synthetic cohort, same dataset name."""
    synthetic.write_dataset(folder, seed=seed, n_patients=n_patients)
    meta = yaml.safe_load((folder / "dataset.yaml").read_text(encoding="utf-8"))
    text = (folder / "dataset.yaml").read_text(encoding="utf-8")
    text = text.replace(f"name: {meta['name']}", "name: blina-synthetic")
    text = text.replace('version: "1.0"', f'version: "{version}"')
    (folder / "dataset.yaml").write_text(text.replace("cutoff_date: 2018-06-30",
                                                      f"cutoff_date: {cutoff}"), encoding="utf-8")
    return folder


_PRINT_BESIDE = """
import sys
import time
from pathlib import Path
from blina_analysis.publish.pdf import make_pdf
site, root, stop, count, asked = (Path(a) for a in sys.argv[1:])
n = seen = 0
while not stop.exists():
    now = int(asked.read_text() or 0) if asked.exists() else 0
    if now <= seen:  # no print of the publishing has started since the last one here
        time.sleep(0.05)
        continue
    seen = now
    make_pdf(site, root, echo=lambda *_: None)
    n += 1
    count.write_text(str(n))
"""


def _publish_interrupted_while_printing(site_dir: Path, clone: Path, cut: Path,
                                        base: str) -> dict:
    """``blina publish`` of ``cut`` into ``site_dir``, given Ctrl-C as a terminal gives it (SIGINT
    to its whole process group: the build's subprocess and Chromium too) a second into its
    first print: what it said, how soon it stopped, and what it left (its temporary folders go
    to a folder of their own)."""
    before = _hashes(site_dir)
    # (a short path: in a long one, such as pytest's, Chromium's socket path would be too long
    # for it to start, and the printer leaves the temporary folder to Chromium)
    scratch = Path(tempfile.mkdtemp(prefix="blina-ctrl-c-"))
    try:
        run = ctrl_c_when([str(Path(sys.executable).parent / "blina"), "publish", "--site",
                           str(site_dir), "--repo", str(clone), "--data", str(cut),
                           "--base-url", base], lambda line: line.startswith("printing "),
                          env=dict(os.environ, TMPDIR=str(scratch)))
        left = sorted(p.name for p in scratch.iterdir())
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return {"run": run, "site_unchanged": _hashes(site_dir) == before, "left": left}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """``(site_dir, base_url, first_edition_hashes_before_the_later_ones, clone, second_cut,
    what_an_interrupted_publish_did)``."""
    work = tmp_path_factory.mktemp("publish")
    clone = work / "repo"
    subprocess.run(["git", "clone", "--quiet", "--no-hardlinks", str(ROOT), str(clone)],
                   check=True)
    _git(clone, "checkout", "--quiet", "--detach", _git(ROOT, "rev-parse", "HEAD"))
    cut = _data_cut(work / "cut-2", version="1.1", cutoff="2019-06-30", seed=11, n_patients=70)
    cut3 = _data_cut(work / "cut-3", version="1.2", cutoff="2020-06-30", seed=12, n_patients=74)

    site_dir = work / "site"
    handler = functools.partial(_Quiet, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    publish_site(site_dir, repo=clone, base_url=base, echo=lambda *_: None)
    first = _hashes(site_dir / FIRST) | {
        f"archives/{p.name}": hashlib.sha256(p.read_bytes()).hexdigest()
        for p in (site_dir / "archives").iterdir()}
    interrupted = _publish_interrupted_while_printing(site_dir, clone, cut, base)
    # editions 2 and 3 are printed while another Chromium prints edition 1's PDF: each time
    # the publishing starts a PDF (it says "printing ..."), the other process starts one too
    beside = work / "beside"
    shutil.copytree(site_dir / FIRST, beside)
    stop, count, asked = work / "stop-printing", work / "prints-beside", work / "prints-asked"
    printer = subprocess.Popen([sys.executable, "-c", _PRINT_BESIDE, str(beside), str(clone),
                                str(stop), str(count), str(asked)])
    started = []

    def when_printing(line: str) -> None:
        if line.startswith("printing "):
            started.append(line)
            asked.write_text(str(len(started)))

    try:
        publish_site(site_dir, repo=clone, data_dir=cut, base_url=base, echo=when_printing)
        publish_site(site_dir, repo=clone, data_dir=cut3, base_url=base, echo=when_printing)
    finally:
        stop.touch()
        assert printer.wait(timeout=900) == 0, "the print beside the publishing failed"
    assert len(started) == 4, started  # two editions, each in two languages
    # it printed beside each edition's PDFs at least (a start may come while it still prints)
    assert count.is_file() and int(count.read_text()) >= 2, count.read_text()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site_dir, base, first, clone, cut, interrupted
    finally:
        server.shutdown()
        server.server_close()


def _open(browser, url: str, viewport=DESKTOP):
    """Open ``url``; return ``(page, problems)`` (console errors, failed or external requests)."""
    context = browser.new_context(viewport=viewport, service_workers="block")
    page = context.new_page()
    problems: list[str] = []
    local = url.split("/", 3)[:3]
    origin = "/".join(local) + "/"

    def route(r):
        if r.request.url.startswith((origin, "data:", "blob:")):
            r.continue_()
        else:
            problems.append(f"request to another host: {r.request.url}")
            r.abort("blockedbyclient")

    context.route("**/*", route)
    page.on("console", lambda m: m.type == "error" and "favicon.ico" not in (
        (m.location or {}).get("url") or "") and problems.append(f"console: {m.text}"))
    page.on("pageerror", lambda exc: problems.append(f"exception: {exc}"))
    page.on("response", lambda r: r.status >= 400 and not r.url.endswith("/favicon.ico")
            and problems.append(f"HTTP {r.status}: {r.url}"))
    response = page.goto(url, wait_until="load")
    assert response is not None and response.ok, url
    page.wait_for_load_state("networkidle")
    return page, problems


# --- the site's layout ---------------------------------------------------------------------------


def test_site_lists_every_edition_newest_first(site):
    site_dir, base, *_ = site
    versions = json.loads((site_dir / "versions.json").read_text(encoding="utf-8"))
    assert [v["version"] for v in versions] == [THIRD, SECOND, FIRST]
    assert [v["preferred"] for v in versions] == [True, False, False]
    for v in versions:
        assert v["url"] == f"{base}{v['version']}/" and v["path"] == f"{v['version']}/"
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", v["date"])
        archive = site_dir / v["archive"]
        assert hashlib.sha256(archive.read_bytes()).hexdigest() == v["sha256"]
        assert archive.name == f"blina-living-publication-{v['version']}.tar.gz"
    assert [v["data_cutoff"] for v in versions] == ["2020-06-30", "2019-06-30", "2018-06-30"]
    assert 'url=latest/index.html' in (site_dir / "index.html").read_text(encoding="utf-8")
    assert (site_dir / ".nojekyll").is_file() and (site_dir / ".blina-site").is_file()
    assert _hashes(site_dir / "latest") == _hashes(site_dir / THIRD)


def test_publishing_later_editions_left_the_first_untouched(site):
    site_dir, _, before, *_ = site
    now = _hashes(site_dir / FIRST) | {
        f"archives/{p.name}": hashlib.sha256(p.read_bytes()).hexdigest()
        for p in (site_dir / "archives").iterdir() if FIRST in p.name}
    assert now == before


def test_ctrl_c_while_the_pdf_prints_adds_nothing_and_the_next_publish_works(site):
    """Ctrl-C during an edition's print (edition 2, before it was published): one line, status 1
    within seconds, no traceback, the site as it was, no temporary folder left; edition 2 was then
    published (the fixture), so the interrupted attempt left nothing in the way."""
    site_dir, *_, interrupted = site
    run = interrupted["run"]
    assert run.sent, "the publishing ended before it printed"
    assert run.returncode == 1, run
    assert run.stderr.strip().splitlines() == [
        f"publishing interrupted; no edition was added to {site_dir}"], run.stderr
    assert run.seconds < 15, run
    assert interrupted["site_unchanged"] and interrupted["left"] == [], interrupted
    assert (site_dir / SECOND / "index.html").is_file()


def test_an_edition_is_never_published_twice(site):
    site_dir, base, _, clone, cut, _ = site
    before = _hashes(site_dir)
    with pytest.raises(BlinaError, match="already published"):
        publish_site(site_dir, repo=clone, data_dir=cut, base_url=base, echo=lambda *_: None)
    result = CliRunner().invoke(main, ["publish", "--site", str(site_dir), "--repo", str(clone),
                                       "--data", str(cut)])
    assert result.exit_code == 1 and "already published" in result.output
    assert _hashes(site_dir) == before


def test_publish_refuses_a_folder_it_did_not_create(tmp_path, site):
    _, _, _, clone, *_ = site
    (tmp_path / "notes.txt").write_text("mine")
    result = CliRunner().invoke(main, ["publish", "--site", str(tmp_path), "--repo", str(clone)])
    assert result.exit_code == 1 and "did not write" in result.output
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


# --- both editions in the browser -----------------------------------------------------------------


@pytest.mark.parametrize("edition", [FIRST, SECOND])
def test_every_page_of_both_editions_works_offline(browser, site, edition):
    site_dir, base, *_ = site
    problems = []
    for path in TOC_PAGES:
        page, found = _open(browser, f"{base}{edition}/{path}")
        broken = page.evaluate("""() => Array.from(document.images)
            .filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src.slice(0, 80))""")
        problems += [f"{path}: {p}" for p in found] + [f"{path}: image {b}" for b in broken]
        bar = page.locator(".blina-edition-bar")
        assert bar.get_attribute("data-edition") == edition, path
        page.context.close()
    assert not problems, "\n".join(problems)


def test_switcher_opens_the_same_page_in_the_chosen_edition(browser, site):
    _, base, *_ = site
    page, problems = _open(browser, f"{base}{FIRST}/chapters/rr_results.html")
    switcher = page.locator("select.blina-edition-switcher")
    assert switcher.is_visible()
    options = switcher.locator("option").all_inner_texts()
    assert [o.split()[0] for o in options] == [THIRD, SECOND, FIRST]
    assert switcher.input_value() == FIRST
    switcher.select_option(SECOND)
    page.wait_for_url(f"{base}{SECOND}/chapters/rr_results.html")
    page.wait_for_load_state("networkidle")
    assert page.locator("select.blina-edition-switcher").input_value() == SECOND
    assert not problems


@pytest.mark.parametrize("start, choose", [
    (THIRD, FIRST),      # down, past the middle
    (FIRST, THIRD),      # up to the latest
    (THIRD, SECOND),     # down to the middle
    ("latest", FIRST),   # from latest/, which is the third edition under another name
])
def test_switcher_goes_both_ways_and_to_the_middle_edition(browser, site, start, choose):
    """Each move lands on the same chapter of the chosen edition, never simply the latest."""
    _, base, *_ = site
    page, problems = _open(browser, f"{base}{start}/chapters/transplant.html")
    switcher = page.locator("select.blina-edition-switcher")
    assert switcher.input_value() == (THIRD if start == "latest" else start)
    switcher.select_option(choose)
    page.wait_for_url(f"{base}{choose}/chapters/transplant.html")
    page.wait_for_load_state("networkidle")
    assert page.locator(".blina-edition-bar").get_attribute("data-edition") == choose
    assert page.locator("select.blina-edition-switcher").input_value() == choose
    assert not problems


@pytest.mark.parametrize("edition, start, other", [
    (SECOND, "", "ru/"),     # English to Russian in an earlier edition
    (SECOND, "ru/", ""),     # and back
    ("latest", "", "ru/"),   # latest/ serves both languages
    (FIRST, "ru/", ""),
])
def test_language_switch_keeps_the_chapter_and_the_edition(browser, site, edition, start, other):
    """The language switch of a chapter opens the same chapter of the same edition in the other
    language (``<edition>/`` and ``<edition>/ru/``), never the latest's or another page."""
    _, base, *_ = site
    chapter = "chapters/transplant.html"
    page, problems = _open(browser, f"{base}{edition}/{start}{chapter}")
    shown = page.locator(".blina-edition-bar").get_attribute("data-edition")
    page.locator("a.blina-language-link").first.click()
    page.wait_for_url(f"{base}{edition}/{other}{chapter}")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == (other.rstrip("/") or "en")
    assert page.locator(".blina-edition-bar").get_attribute("data-edition") == shown
    switcher = page.locator("select.blina-edition-switcher")
    assert switcher.input_value() == (THIRD if edition == "latest" else edition)
    assert not problems


def test_language_switch_round_trip_on_the_middle_edition(browser, site):
    """From a chapter of the middle edition in English, the switch opens the same chapter of the
    same edition in Russian, and the switch there opens the English one again."""
    _, base, *_ = site
    chapter = "chapters/rr_results.html"
    page, problems = _open(browser, f"{base}{SECOND}/{chapter}")
    for lang, prefix in (("ru", "ru/"), ("en", "")):
        page.locator("a.blina-language-link").first.click()
        page.wait_for_url(f"{base}{SECOND}/{prefix}{chapter}")
        page.wait_for_load_state("networkidle")
        assert page.locator("html").get_attribute("lang") == lang
        bar = page.locator(".blina-edition-bar")
        assert (bar.get_attribute("data-edition"), bar.get_attribute("data-page")) == (
            SECOND, chapter)
        assert page.locator("select.blina-edition-switcher").input_value() == SECOND
    assert not problems


@pytest.mark.parametrize("start, choose", [
    (THIRD, FIRST),      # down, past the middle
    (FIRST, THIRD),      # up to the latest
    (THIRD, SECOND),     # down to the middle
    (SECOND, FIRST),     # from the middle
    ("latest", SECOND),  # from latest/ to the middle
])
def test_switcher_on_a_russian_page_keeps_russian(browser, site, start, choose):
    """On a Russian page the edition switcher opens the same chapter of the chosen edition in
    Russian (``<edition>/ru/``), and its options are said in Russian."""
    _, base, *_ = site
    page, problems = _open(browser, f"{base}{start}/ru/chapters/transplant.html")
    switcher = page.locator("select.blina-edition-switcher")
    assert switcher.input_value() == (THIRD if start == "latest" else start)
    options = switcher.locator("option").all_inner_texts()
    assert [o.split()[0] for o in options] == [THIRD, SECOND, FIRST]
    assert "(дата среза данных 30.06.2020)" in options[0], options
    assert not [o for o in options if english_in(o)], options
    switcher.select_option(choose)
    page.wait_for_url(f"{base}{choose}/ru/chapters/transplant.html")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "ru"
    assert page.locator(".blina-edition-bar").get_attribute("data-edition") == choose
    assert page.locator("select.blina-edition-switcher").input_value() == choose
    assert not problems


@pytest.mark.parametrize("edition", [FIRST, SECOND])
def test_the_banner_of_an_earlier_russian_page_is_russian_and_leads_to_the_latest_russian(
        browser, site, edition):
    _, base, *_ = site
    page, problems = _open(browser, f"{base}{edition}/ru/chapters/safety.html")
    banner = page.locator(".blina-edition-banner")
    assert banner.is_visible()
    text = banner.inner_text()
    assert text.startswith(f"Вы читаете издание {edition}") and THIRD in text, text
    assert "30.06.2020" in text and not english_in(text), text
    link = banner.locator("a.blina-latest-link")
    assert link.evaluate("a => a.href") == f"{base}{THIRD}/ru/chapters/safety.html"
    link.click()
    page.wait_for_url(f"{base}{THIRD}/ru/chapters/safety.html")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "ru"
    assert not page.locator(".blina-edition-banner").is_visible()
    assert not problems


def test_the_middle_edition_has_a_banner_to_the_latest(browser, site):
    _, base, *_ = site
    page, _ = _open(browser, f"{base}{SECOND}/chapters/methods.html")
    banner = page.locator(".blina-edition-banner")
    assert banner.is_visible()
    assert SECOND in banner.inner_text() and THIRD in banner.inner_text()
    assert FIRST not in banner.inner_text()
    link = banner.locator("a.blina-latest-link")
    assert link.evaluate("a => a.href") == f"{base}{THIRD}/chapters/methods.html"


def test_earlier_edition_shows_a_banner_to_the_same_page_of_the_latest(browser, site):
    _, base, *_ = site
    page, _ = _open(browser, f"{base}{FIRST}/chapters/safety.html")
    banner = page.locator(".blina-edition-banner")
    assert banner.is_visible()
    assert FIRST in banner.inner_text() and THIRD in banner.inner_text()
    link = banner.locator("a.blina-latest-link")
    assert link.evaluate("a => a.href") == f"{base}{THIRD}/chapters/safety.html"
    link.click()
    page.wait_for_url(f"{base}{THIRD}/chapters/safety.html")
    for url in (f"{base}{THIRD}/chapters/safety.html", f"{base}latest/chapters/safety.html"):
        latest, _ = _open(browser, url)
        assert not latest.locator(".blina-edition-banner").is_visible(), url


def test_figures_and_tables_can_be_taken_away(browser, site):
    _, base, *_ = site
    page, _ = _open(browser, f"{base}{SECOND}/chapters/rr_results.html")
    links = page.locator("a.blina-download").evaluate_all(
        "els => els.map(a => [a.getAttribute('download'), a.href])")
    kinds = {name.rsplit(".", 1)[1] for name, _ in links}
    assert kinds == {"png", "svg", "pdf", "csv"}
    assert not any(href.startswith("data:") for _, href in links)
    for name, href in links:
        body = urllib.request.urlopen(href).read()
        ext = name.rsplit(".", 1)[1]
        assert body.startswith({"png": b"\x89PNG", "svg": b"<?xml", "pdf": b"%PDF",
                                "csv": b""}[ext]), name
        if name == "fig-rr-os.png":
            assert len(body) > 20_000
    subgroups = next(href for name, href in links if name == "rr-subgroups.csv")
    rows = list(csv.DictReader(io.StringIO(urllib.request.urlopen(subgroups).read().decode())))
    assert {"subgroup", "level", "n", "N", "rate", "ci_low", "ci_high"} <= set(rows[0])
    for row in rows:  # unrounded numbers, as computed
        assert float(row["rate"]) == pytest.approx(int(row["n"]) / int(row["N"]), abs=1e-12)


@pytest.mark.parametrize("path", TOC_PAGES)
def test_no_page_is_wider_than_a_phone(browser, site, path):
    _, base, *_ = site
    page, _ = _open(browser, f"{base}{SECOND}/{path}", viewport=PHONE)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{path}: {width} px wide on a {PHONE['width']}-px screen"
    page.context.close()


def test_front_page_reads_as_an_abstract(browser, site):
    _, base, *_ = site
    page, _ = _open(browser, f"{base}{SECOND}/index.html")
    assert page.locator(".cell, .cell_input, details.hide").count() == 0
    assert page.locator("section#abstract").is_visible()


def test_cite_link_opens_the_citation_box(browser, site):
    _, base, *_ = site
    page, problems = _open(browser, f"{base}{FIRST}/chapters/methods.html")
    box = page.locator("details#cite-this-edition")
    assert box.get_attribute("open") is None
    page.locator(".blina-edition-bar a.blina-cite-link").click()
    page.wait_for_function("document.getElementById('cite-this-edition').open")
    assert page.locator("pre.blina-cite-bibtex").is_visible()
    assert not problems


def test_every_page_has_a_cite_box_and_link_preview_tags(site):
    site_dir, base, *_ = site
    url = f"{base}{SECOND}/"
    for path in TOC_PAGES:
        text = (site_dir / SECOND / path).read_text(encoding="utf-8")
        assert 'id="cite-this-edition"' in text, path
        cite = text[text.index('id="cite-this-edition"'):]
        assert "Bondarenko" in cite and f"UR  - {url}" in cite, path
        assert re.search(r"\burl\s*=\s*\{" + re.escape(url) + r"\}", cite), path
        assert f"ET  - {SECOND}" in cite and "@misc{bondarenko" in cite, path
        meta = dict(re.findall(r'<meta property="(og:[a-z:]+)" content="([^"]*)"', text))
        assert meta["og:title"] and len(meta["og:description"]) > 30, path
        assert meta["og:url"] == url + path, path
        assert meta["og:image"].startswith(url), path
        assert urllib.request.urlopen(meta["og:image"]).status == 200, path
        assert "cdn.jsdelivr" not in text and "mathjax@" not in text, path
    bib = (site_dir / SECOND / "citation.bib").read_text(encoding="utf-8")
    assert re.search(r"^\s*url\s*=\s*\{" + re.escape(url) + r"\},$", bib, re.M), bib
    assert re.search(r"^\s*year\s*=\s*\{\d{4}\},$", bib, re.M), bib


def test_the_changes_table_names_both_editions_with_readable_rows(site):
    site_dir, *_ = site
    text = (site_dir / SECOND / "chapters" / "concordance.html").read_text(encoding="utf-8")
    assert f"Results changed since edition {FIRST}" in text
    assert f"<th>Edition {FIRST}</th>" in text and f"<th>Edition {SECOND}</th>" in text
    assert "<td>Patients, all</td>" in text
    table = text[text.index("Results changed since edition"):]
    assert "rr_response_rate" not in table[:table.index("</table>")]


# --- the living record: history, feed ---------------------------------------------------------


def _history_header(html_file: Path) -> list[str]:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html_file.read_text(encoding="utf-8"), "html.parser")
    tables = [t for t in soup.find_all("table") if t.find("caption") and t.find("caption")
              .get_text(" ", strip=True).startswith("Headline results in each edition")]
    assert len(tables) == 1
    return [th.get_text(" ", strip=True) for th in tables[0].find("tr").find_all(["th", "td"])]


def test_the_third_editions_history_has_a_column_per_edition(site):
    site_dir, *_ = site
    page = site_dir / THIRD / "chapters" / "history.html"
    header = _history_header(page)
    assert len(header) == 4 and header[0] == "Result"
    for column, edition, cutoff in zip(header[1:], (FIRST, SECOND, THIRD),
                                       ("2018-06-30", "2019-06-30", "2020-06-30")):
        assert column == f"Edition {edition} (data cut-off {cutoff})"
    text = page.read_text(encoding="utf-8")
    assert "no earlier edition" not in text and "fig-history.png" in text
    with tarfile.open(site_dir / "archives" / f"blina-living-publication-{THIRD}.tar.gz") as tar:
        stem = f"blina-living-publication-{THIRD}"
        kept = json.load(tar.extractfile(f"{stem}/history.json"))
        desc = json.load(tar.extractfile(f"{stem}/edition.json"))
    assert [e["edition"] for e in kept["editions"]] == [FIRST, SECOND]
    assert desc["history"] == "history.json"


def test_the_first_editions_history_shows_itself_and_says_there_is_no_earlier_one(site):
    """Its pages are byte for byte what they were before editions 2 and 3 were published
    (``test_publishing_later_editions_left_the_first_untouched``)."""
    site_dir, *_ = site
    page = site_dir / FIRST / "chapters" / "history.html"
    assert _history_header(page) == ["Result", f"Edition {FIRST} (data cut-off 2018-06-30)"]
    assert "There is no earlier edition of this book" in page.read_text(encoding="utf-8")


ATOM = "{http://www.w3.org/2005/Atom}"


def test_the_feed_is_atom_with_an_entry_per_edition(site):
    site_dir, base, *_ = site
    feed = ET.parse(site_dir / "feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    assert feed.find(f"{ATOM}id").text and feed.find(f"{ATOM}updated").text
    entries = feed.findall(f"{ATOM}entry")
    assert [e.find(f"{ATOM}link").get("href") for e in entries] == [
        f"{base}{THIRD}/", f"{base}{SECOND}/", f"{base}{FIRST}/"]
    assert entries[0].find(f"{ATOM}title").text == f"Edition {THIRD} (data cut-off 2020-06-30)"
    assert f"Largest changes since edition {SECOND}" in entries[0].find(f"{ATOM}summary").text
    for path in TOC_PAGES:  # every page links to it
        text = (site_dir / SECOND / path).read_text(encoding="utf-8")
        link = re.search(r'<link rel="alternate" type="application/atom\+xml"[^>]*href="([^"]+)"',
                         text)
        assert link, path
        url = urllib.parse.urljoin(f"{base}{SECOND}/{path}", link[1])
        assert url == f"{base}feed.xml", path


# --- the PDF ---------------------------------------------------------------------------------------


def _chapter_titles(html_dir: Path) -> list[str]:
    titles = []
    for path in TOC_PAGES:
        text = (html_dir / path).read_text(encoding="utf-8")
        article = text[text.index('<article class="bd-article">'):]
        m = re.search(r"<h1>(.*?)<a class=\"headerlink\"", article, re.S)
        titles.append(re.sub(r"<[^>]+>", "", m[1]).replace("\u00ad", "").strip())
    return titles


@pytest.mark.parametrize("edition", [FIRST, SECOND, THIRD])
def test_the_pdf_opens_and_has_every_chapter(site, edition):
    if shutil.which("pdftotext") is None:
        browser_unavailable("no pdftotext (apt-get install poppler-utils)")
    site_dir, base, *_ = site
    pdf = site_dir / edition / pdf_name(edition)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    pages = int(re.search(r"Pages:\s+(\d+)", info.stdout)[1])
    assert pages > 20
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    flat = re.sub(r"\s+", " ", text)
    results = json.loads((site_dir / edition / "results.json").read_text(encoding="utf-8"))
    ds = results["meta"]["dataset"]
    title_page = flat[:flat.index(f"1 / {pages}")]
    for expected in (f"Edition {edition}", ds["cutoff_date"], ds["fingerprint"],
                     results["meta"]["source_commit"], f"{base}{edition}/"):
        assert expected in title_page, expected
    missing = [t for t in _chapter_titles(site_dir / edition) if re.sub(r"\s+", " ", t) not in flat]
    assert not missing, f"chapters missing from the PDF: {missing}"
    assert f"{pages} / {pages}" in flat  # page numbers
    assert "2.1. Overview" in flat or "2.1 Overview" in flat  # numbered sections
    first_page = subprocess.run(["pdftoppm", "-png", "-r", "20", "-f", "1", "-l", "1", str(pdf)],
                                capture_output=True, check=True).stdout
    assert first_page.startswith(b"\x89PNG")
    html = (site_dir / edition / "chapters" / "methods.html").read_text(encoding="utf-8")
    assert f'href="../{pdf_name(edition)}"' in html


@pytest.mark.parametrize("edition", [FIRST, THIRD])
def test_each_edition_has_a_russian_pdf_with_searchable_cyrillic(site, edition):
    if shutil.which("pdftotext") is None:
        browser_unavailable("no pdftotext (apt-get install poppler-utils)")
    site_dir, base, *_ = site
    pdf = site_dir / edition / "ru" / pdf_name(edition)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    flat = re.sub(r"\s+", " ", text)
    for expected in (f"Издание {edition}", "Дата среза данных", "Резюме", f"{base}{edition}/ru/"):
        assert expected in flat, expected
    html = (site_dir / edition / "ru" / "chapters" / "methods.html").read_text(encoding="utf-8")
    assert f'href="../{pdf_name(edition)}"' in html  # the Russian pages link the Russian PDF


# --- withdrawing the second edition ------------------------------------------------------------

REASON = "Two patients' relapse dates were entered a year late"
WITHDRAWN_ON = "2026-01-15"


@pytest.fixture(scope="module")
def withdrawn(site):
    """The second edition withdrawn with ``blina publish --withdraw`` (its date pinned); the
    site's files before and after. ``test_reinstating_removes_the_banner`` undoes it, last."""
    site_dir, *_ = site
    before = _hashes(site_dir)
    epoch = "1768435200"  # 2026-01-15
    result = CliRunner().invoke(main, ["publish", "--site", str(site_dir), "--withdraw", SECOND,
                                       "--reason", REASON], env={"SOURCE_DATE_EPOCH": epoch})
    assert result.exit_code == 0, result.output
    return before, _hashes(site_dir)


def test_withdrawal_changes_only_versions_and_feed(site, withdrawn):
    site_dir, *_ = site
    before, after = withdrawn
    assert {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)} == {
        "versions.json", "feed.xml"}  # latest/, the third edition and every archive unchanged
    versions = json.loads((site_dir / "versions.json").read_text(encoding="utf-8"))
    second = next(v for v in versions if v["version"] == SECOND)
    assert second["withdrawn"] == {"date": WITHDRAWN_ON, "reason": REASON}
    assert [v["preferred"] for v in versions] == [True, False, False]
    titles = [e.find(f"{ATOM}title").text
              for e in ET.parse(site_dir / "feed.xml").getroot().findall(f"{ATOM}entry")]
    assert titles[0] == f"Edition {SECOND} withdrawn" and len(titles) == 4


def test_withdrawing_refuses_what_it_cannot_do(site, withdrawn):
    site_dir, *_ = site
    before = _hashes(site_dir)
    runner = CliRunner()
    for args, message in ((["--withdraw", SECOND, "--reason", "again"], "already withdrawn"),
                          (["--withdraw", "0.0.1+none-1", "--reason", "x"], "not published"),
                          (["--withdraw", THIRD], "needs its reason")):
        result = runner.invoke(main, ["publish", "--site", str(site_dir), *args])
        assert result.exit_code == 1 and message in result.output, result.output
    assert _hashes(site_dir) == before


def test_a_withdrawn_edition_shows_its_banner_and_the_switcher_marks_it(browser, site, withdrawn):
    _, base, *_ = site
    page, problems = _open(browser, f"{base}{SECOND}/chapters/methods.html")
    banner = page.locator(".blina-edition-banner")
    assert banner.is_visible()
    text = banner.inner_text()
    assert f"withdrawn on {WITHDRAWN_ON}" in text and REASON in text, text
    link = banner.locator("a.blina-latest-link")
    assert link.evaluate("a => a.href") == f"{base}{THIRD}/chapters/methods.html"
    options = page.locator("select.blina-edition-switcher option").all_inner_texts()
    assert [("withdrawn" in o) for o in options] == [False, True, False], options
    assert not problems
    for url in (f"{base}{THIRD}/chapters/methods.html", f"{base}latest/chapters/methods.html"):
        other, _ = _open(browser, url)
        assert not other.locator(".blina-edition-banner").is_visible(), url
    first, _ = _open(browser, f"{base}{FIRST}/chapters/methods.html")
    assert "withdrawn" not in first.locator(".blina-edition-banner").inner_text()


# --- reproducing every edition ------------------------------------------------------------------


@pytest.fixture(scope="module")
def first_rebuild(tmp_path_factory) -> Path:
    """Where the verify of the first edition's archive keeps a copy of the site it rebuilt, for
    :func:`test_verify_lists_every_file_altered_in_an_archive` (an altered copy of that archive:
    the same sources and data, so the same rebuild)."""
    return tmp_path_factory.mktemp("first-rebuild") / "site"


@pytest.mark.parametrize("edition", [FIRST, SECOND, THIRD])
def test_verify_rebuilds_each_archive_byte_for_byte(site, withdrawn, edition, first_rebuild,
                                                     monkeypatch):
    """The second edition is rebuilt while it is withdrawn: its archive is what it was."""
    import blina_analysis.publish.snapshot as snapshot

    site_dir, *_ = site
    archive = site_dir / "archives" / f"blina-living-publication-{edition}.tar.gz"
    if edition == FIRST:
        rebuild = snapshot._run_edition_build

        def rebuild_and_keep(source, data, rebuilt, *args, **kwargs):
            rebuild(source, data, rebuilt, *args, **kwargs)
            shutil.copytree(rebuilt, first_rebuild)

        monkeypatch.setattr(snapshot, "_run_edition_build", rebuild_and_keep)
    lines: list[str] = []
    result = verify_archive(archive, echo=lines.append)
    assert result.ok, result.report()
    assert result.files > 200 and result.edition == edition
    # each language's PDF printed until it equalled the archived one (not until two agreed)
    assert [line for line in lines if "the archived one" in line] == [
        f"{pdf_name(edition)}: equal to the archived one"] * 2, lines[-20:]


def test_verify_refuses_an_archive_that_is_not_the_published_one(site, tmp_path):
    site_dir, *_ = site
    name = f"blina-living-publication-{FIRST}.tar.gz"
    copy = tmp_path / name
    copy.write_bytes((site_dir / "archives" / name).read_bytes() + b"\0")
    shutil.copy(site_dir / "archives" / f"{name}.sha256", tmp_path)
    result = CliRunner().invoke(main, ["verify", str(copy)])
    assert result.exit_code == 1 and "SHA-256 differs" in result.output


def test_verify_lists_every_file_altered_in_an_archive(site, tmp_path, first_rebuild,
                                                     monkeypatch):
    """One rebuild for four alterations: a page and a figure changed, a file removed, one added.
    The altered archive travels without its .sha256 and manifest, so that the rebuild runs. The
    rebuild is the one the first edition's verify made (above) when it ran: the altered archive
    has that archive's sources and data, and differs only in the site compared with them."""
    import blina_analysis.publish.snapshot as snapshot
    from blina_analysis.publish.snapshot import write_archive

    if first_rebuild.is_dir():
        monkeypatch.setattr(snapshot, "_run_edition_build", lambda source, data, rebuilt, *_, **__:
                            shutil.copytree(first_rebuild, rebuilt))
    site_dir, *_ = site
    stem = f"blina-living-publication-{FIRST}"
    with tarfile.open(site_dir / "archives" / f"{stem}.tar.gz") as tar:
        tar.extractall(tmp_path / "unpacked", filter="data")
    tree = tmp_path / "unpacked" / stem
    page = tree / "site" / "chapters" / "rr_results.html"
    page.write_text(page.read_text(encoding="utf-8").replace("<h1>", "<h1>Edited: ", 1),
                    encoding="utf-8")
    figure = tree / "site" / "downloads" / "chapters" / "rr_results" / "fig-rr-os.png"
    figure.write_bytes(figure.read_bytes() + b"\0")
    (tree / "site" / "citation.ris").unlink()
    (tree / "site" / "chapters" / "notes.html").write_text("<p>mine</p>", encoding="utf-8")
    altered = tmp_path / "dist" / f"{stem}.tar.gz"
    altered.parent.mkdir()
    write_archive(tree, altered, prefix=stem, mtime=1_700_000_000)

    result = CliRunner().invoke(main, ["verify", str(altered)])
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit) and "Traceback" not in result.output
    assert "4 of " in result.output and "files differ from the archived ones" in result.output
    for line in ("differs: chapters/rr_results.html",
                 "differs: downloads/chapters/rr_results/fig-rr-os.png",
                 "only in the rebuild: citation.ris", "only in the archive: chapters/notes.html"):
        assert line in result.output, line
    assert "differs: blina-living-publication" not in result.output  # the PDF rebuilt the same


def test_reinstating_removes_the_banner(browser, site, withdrawn):
    site_dir, base, *_ = site
    result = CliRunner().invoke(main, ["publish", "--site", str(site_dir), "--reinstate", SECOND],
                                env={"SOURCE_DATE_EPOCH": "1768521600"})
    assert result.exit_code == 0, result.output
    versions = json.loads((site_dir / "versions.json").read_text(encoding="utf-8"))
    assert not any(v.get("withdrawn") for v in versions)
    page, problems = _open(browser, f"{base}{SECOND}/chapters/methods.html")
    banner = page.locator(".blina-edition-banner")
    assert "withdrawn" not in banner.inner_text()  # the banner of an earlier edition again
    assert THIRD in banner.inner_text()
    options = page.locator("select.blina-edition-switcher option").all_inner_texts()
    assert not any("withdrawn" in o for o in options) and not problems
