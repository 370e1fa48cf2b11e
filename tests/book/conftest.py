"""Fixtures that build the whole book (slow: each build executes every chapter), and the browser.

A test run builds the shipped dataset once (``built_site``, every language) and, for the tests
that check that new data give new numbers, a second, different dataset once (``other_site``; in
English only, the language those tests and the oracle read). Under pytest-xdist each
worker is a session of its own, so these builds go to a folder shared by the workers of the run
and are made by the first worker that needs them (:func:`once_per_run`); the others wait for it
and read the same site. The tests only read these sites (a test that rebuilds over one copies it
first: ``copy_site``).
``browser`` is headless Chromium driven by Playwright; without either the browser tests are
skipped, unless ``CI`` is set: there they fail.
"""

import fcntl
import json
import os
import re
import shutil
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from blina_analysis.data import synthetic
from blina_analysis.publish.build import build_book

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "data" / "synthetic"


def _build(data_dir: Path, out: Path, previous: Path | None = None,
           languages: tuple[str, ...] | None = None):
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")
    info = build_book(data_dir, out, echo=lambda *_: None, previous=previous, languages=languages)
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    return info, results


def once_per_run(tmp_path_factory, name: str, make: Callable[[Path], None]) -> Path:
    """A folder ``name`` that ``make(folder)`` filled once in this test run, for every worker.

    Without xdist this is a session's temporary folder. With xdist the workers' temporary folders
    share a parent made for this run: the first worker to get there makes the folder under a file
    lock while the others wait; a worker whose ``make`` failed leaves no mark, so the next one
    tries again (and reports the same failure).
    """
    if os.environ.get("PYTEST_XDIST_WORKER") is None:
        folder = tmp_path_factory.mktemp(name)
        make(folder)
        return folder
    shared = tmp_path_factory.getbasetemp().parent  # this run's folder, above every worker's
    folder, done = shared / name, shared / f"{name}.done"
    with open(shared / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file is closed
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            make(folder)
            done.touch()
    return folder


def _read_results(out: Path) -> dict:
    return json.loads((out / "results.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """The book built from the shipped data: ``(html_dir, results_json)``."""
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1700000000")  # also where it is not built
    out = once_per_run(tmp_path_factory, "site", lambda folder: _build(SHIPPED, folder / "html"))
    return out / "html", _read_results(out / "html")


@pytest.fixture(scope="session")
def other_dataset(tmp_path_factory) -> Path:
    """A second valid dataset with different counts (99 synthetic patients, another seed)."""
    return once_per_run(tmp_path_factory, "other-data",
                        lambda folder: synthetic.write_dataset(folder, seed=11, n_patients=99))


@pytest.fixture(scope="session")
def other_site(tmp_path_factory, other_dataset, built_site):
    """The book built from :func:`other_dataset`, given the shipped build's results.json as the
    earlier edition (``--previous``), in English (what its tests read): ``(html_dir,
    results_json)``."""
    out = once_per_run(tmp_path_factory, "other-site", lambda folder: _build(
        other_dataset, folder / "html", previous=built_site[0] / "results.json",
        languages=("en",)))
    return out / "html", _read_results(out / "html")


def page_text(html_dir: Path, page: str) -> str:
    """The visible text of a built page (tags stripped, entities decoded, spaces folded)."""
    import html
    import re

    raw = (html_dir / page).read_text(encoding="utf-8")
    raw = re.sub(r"<(script|style)\b.*?</\1>", " ", raw, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", " ", raw))
    return re.sub(r"\s+", " ", text)


@pytest.fixture
def copy_site(tmp_path):
    """Copy a built site to a private folder (for tests that rebuild over it)."""
    def _copy(src: Path) -> Path:
        dst = tmp_path / "html"
        shutil.copytree(src, dst)
        return dst
    return _copy


# --- Ctrl-C as a terminal gives it ---------------------------------------------------------


@dataclass
class Interrupted:
    """What a command did when :func:`ctrl_c_when` interrupted it."""

    sent: bool           # the signal was sent (the line came before the command ended)
    seconds: float       # from the signal to the command's end
    returncode: int
    stderr: str


def _as_a_terminal_starts_it() -> None:
    """Ctrl-C's default action, as a shell gives it to a foreground command: a test run started
    in the background (``cmd &`` in a script) inherits SIGINT ignored, and so would the command."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def ctrl_c_when(cmd: list[str], seen: Callable[[str], bool], *, count: int = 1,
                env: dict | None = None, cwd: Path | None = None) -> Interrupted:
    """Run ``cmd`` in a session of its own and, a second after the ``count``-th line of its output
    for which ``seen`` is true, send SIGINT to its whole process group, as a terminal does on
    Ctrl-C (the signal reaches the command and whatever it started, and not pytest)."""
    proc = subprocess.Popen(cmd, cwd=cwd, env=dict(env or os.environ, PYTHONUNBUFFERED="1"),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, preexec_fn=_as_a_terminal_starts_it)
    errors: list[str] = []
    reader = threading.Thread(target=lambda: errors.extend(proc.stderr), daemon=True)
    reader.start()
    matched, sent = 0, None
    try:
        for line in proc.stdout:
            matched += bool(seen(line))
            if sent is None and matched >= count:
                time.sleep(1)  # well inside what the line announced
                try:
                    os.killpg(proc.pid, signal.SIGINT)
                except ProcessLookupError:  # it ended meanwhile: not interrupted
                    break
                sent = time.monotonic()
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    reader.join(timeout=10)
    return Interrupted(sent is not None, time.monotonic() - sent if sent else 0.0,
                       proc.returncode, "".join(errors))


# --- the browser ----------------------------------------------------------------------------

LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--disable-dev-shm-usage"]


def toc_pages() -> list[str]:
    """Every page of ``_toc.yml`` as the path of its HTML file (the root first)."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                files.append(entry["file"])
            walk(entry.get("sections"))
            walk(entry.get("chapters"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    walk(toc.get("sections"))
    return [re.sub(r"\.(md|ipynb|rst)$", "", f) + ".html" for f in files]


TOC_PAGES = toc_pages()


def chromium_executable() -> str | None:
    for candidate in (os.environ.get("BLINA_CHROMIUM"), "chromium", "chromium-browser",
                      "google-chrome", "/usr/bin/chromium"):
        if candidate and (path := shutil.which(candidate)):
            return path
    return None


def browser_unavailable(why: str):
    """Skip the test, or fail it in CI (where the browser tests must run)."""
    if os.environ.get("CI"):
        pytest.fail(f"{why}; in CI the browser tests must run (.ci/run installs both)")
    pytest.skip(f"{why} (the browser tests run in CI; set CI=1 to make this a failure)")


@pytest.fixture(scope="module")  # closed with each module: one sync Playwright per thread at a time
def browser():
    """Headless Chromium (Playwright's sync API), one per test module."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        browser_unavailable("playwright is not installed (pip install -e '.[test]')")
    executable = chromium_executable()
    if executable is None:
        browser_unavailable("no chromium executable (apt-get install chromium)")
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=executable, headless=True, args=LAUNCH_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
