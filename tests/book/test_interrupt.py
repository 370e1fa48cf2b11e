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
import re
import sys
from pathlib import Path

import pytest

from .conftest import ctrl_c_when

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
#: How many pages of the book have code to execute, in each language (each prints an
#: "executed" line): after the last of them, the build renders.
CHAPTERS_EXECUTED = 9 * len(__import__("yaml").safe_load(
    (ROOT / "_config.yml").read_text(encoding="utf-8"))["languages"])


def _hashes(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("moment, pattern, count", [
    ("while chapters execute", r"executing ", 1),
    ("while Sphinx renders", r"executed .* in ", CHAPTERS_EXECUTED),
])
def test_one_ctrl_c_stops_the_build_and_leaves_the_site(built_site, copy_site, moment, pattern,
                                                        count):
    site = copy_site(built_site[0])
    before = _hashes(site)
    blina = Path(sys.executable).parent / "blina"
    run = ctrl_c_when([str(blina), "build", "--out", str(site)], lambda line: re.search(
        pattern, line), count=count, cwd=ROOT)
    assert run.sent, f"the build ended before it could be interrupted {moment}"
    assert run.returncode == 1, (run.returncode, run.stderr)
    assert run.seconds < 15, run
    print(f"{moment}: ended {run.seconds:.1f} s after the signal")
    text = run.stderr
    assert text.strip().splitlines() == [f"build interrupted; {site} is unchanged"], text
    assert "Traceback" not in text
    assert _hashes(site) == before, "the previous site changed"
    state = site.parent / f"{site.name}.blina-state"
    assert not list(state.glob("staging-*")), "a staging folder was left behind"
    with open(state / "lock", "a+") as lock:  # the next build can take the lock
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
