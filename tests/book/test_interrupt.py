"""Ctrl-C stops a build as a terminal sends it: SIGINT to the whole foreground process group.

``blina build`` runs in a session of its own (so that the signal reaches it, Jupyter Book and
whatever they started, and not pytest) and is interrupted at two moments: while chapters execute
(in parallel kernels) and while Sphinx renders. Each time the build must end within seconds, with
status 1 and one line saying it was interrupted (no traceback), the previous site untouched and
no staging folder left; the state folder is free for the next build.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
#: How many pages of the book have code to execute, in each language (each prints an
#: "executed" line): after the last of them, the build renders.
CHAPTERS_EXECUTED = 9 * len(__import__("yaml").safe_load(
    (ROOT / "_config.yml").read_text(encoding="utf-8"))["languages"])


def _hashes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _as_a_terminal_starts_it() -> None:
    """Ctrl-C's default action, as a shell gives it to a foreground command: a test run started
    in the background (``cmd &`` in a script) inherits SIGINT ignored, and so would the build."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.parametrize("moment, pattern, count", [
    ("while chapters execute", r"executing ", 1),
    ("while Sphinx renders", r"executed .* in ", CHAPTERS_EXECUTED),
])
def test_one_ctrl_c_stops_the_build_and_leaves_the_site(built_site, copy_site, moment, pattern,
                                                        count):
    site = copy_site(built_site[0])
    before = _hashes(site)
    blina = Path(sys.executable).parent / "blina"
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([str(blina), "build", "--out", str(site)], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True, preexec_fn=_as_a_terminal_starts_it)
    errors: list[str] = []
    reader = threading.Thread(target=lambda: errors.extend(proc.stderr), daemon=True)
    reader.start()
    seen, sent = 0, None
    try:
        for line in proc.stdout:
            seen += bool(re.search(pattern, line))
            if sent is None and seen >= count:
                time.sleep(1)  # well inside the chapter / the render
                os.killpg(proc.pid, signal.SIGINT)  # what a terminal does on Ctrl-C
                sent = time.monotonic()
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    reader.join(timeout=10)
    assert sent is not None, f"the build ended before it could be interrupted {moment}"

    assert proc.returncode == 1, (proc.returncode, errors)
    text = "".join(errors)
    assert text.strip().splitlines() == [f"build interrupted; {site} is unchanged"], text
    assert "Traceback" not in text
    assert _hashes(site) == before, "the previous site changed"
    state = site.parent / f"{site.name}.blina-state"
    assert not list(state.glob("staging-*")), "a staging folder was left behind"
    with open(state / "lock", "a+") as lock:  # the next build can take the lock
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
