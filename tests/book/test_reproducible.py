"""Two clean builds of the same commit and the same data give identical files, byte for byte.

The session's ``built_site`` is compared with exactly one more build of the shipped data into a
fresh temporary folder (so with a fresh execution cache: every chapter runs again), with the same
``SOURCE_DATE_EPOCH`` and the same source-commit label as the first build.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import os
import re
from pathlib import Path

import pytest

from blina_analysis.publish.build import build_book
from blina_analysis.publish.provenance import COMMIT_ENV, DATE_ENV

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "data" / "synthetic"

#: Files that may differ between two clean builds, each with the reason. Keep it empty unless a
#: difference is understood and cannot be removed from the build.
ALLOWED_TO_DIFFER: dict[str, str] = {}


def _files(folder: Path) -> dict[str, Path]:
    return {p.relative_to(folder).as_posix(): p for p in folder.rglob("*") if p.is_file()}


def _explain(rel: str, a: bytes, b: bytes) -> str:
    """A short account of how two versions of a file differ (a text diff, or sizes and hashes)."""
    try:
        ta, tb = a.decode("utf-8").splitlines(), b.decode("utf-8").splitlines()
    except UnicodeDecodeError:
        return (f"{rel}: binary, {len(a)} vs {len(b)} bytes, sha256 "
                f"{hashlib.sha256(a).hexdigest()[:12]} vs {hashlib.sha256(b).hexdigest()[:12]}")
    diff = [line[:240] for line in difflib.unified_diff(ta, tb, "first", "second", n=0, lineterm="")]
    return f"{rel}:\n    " + "\n    ".join(diff[2:14] + (["..."] if len(diff) > 14 else []))


_KEY = re.compile(r"blina_build_key:\s*([0-9a-f]{64})")


def _key_hint(first: Path, second: Path, results: dict) -> str:
    """Why the chapters' build keys differ, if they do: the key hashes the package source and the
    installed distributions, so an edit or an install between the two builds changes it."""
    keys = []
    for site in (first, second):
        found = _KEY.search((site / "_sources" / "index.md").read_text(encoding="utf-8")) \
            if (site / "_sources" / "index.md").exists() else None
        keys.append(found.group(1) if found else None)
    if keys[0] == keys[1]:
        return "(the chapters' build keys agree)"
    try:
        from blina_analysis.publish.cache_key import build_key

        now = build_key(results["meta"]["dataset"]["fingerprint"], results["meta"]["source_commit"])
    except Exception as exc:  # noqa: BLE001 - only a hint
        now = f"not computable ({exc})"
    return (f"(build keys differ: first {str(keys[0])[:12]}, second {str(keys[1])[:12]}, now "
            f"{now[:12]}; the key hashes the package source and the installed distributions, so "
            "if 'now' equals 'second', blina_analysis/ was edited or a package installed while "
            "this session ran: rerun on a quiet checkout)")


@pytest.mark.slow
def test_two_clean_builds_are_byte_identical(built_site, tmp_path, monkeypatch):
    first, results = built_site
    # the same build time as the fixture's build (conftest sets it if the caller did not)
    epoch = os.environ.get(DATE_ENV)
    assert epoch, "the built_site fixture should have set SOURCE_DATE_EPOCH"
    built = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    assert results["meta"]["build_date"] == built, "the first build used another build time"
    # the same commit label: files edited in the checkout between the two builds of this session
    # must not turn `abc+dirty` into `abc` (in CI the checkout is clean and this changes nothing)
    monkeypatch.setenv(COMMIT_ENV, results["meta"]["source_commit"])

    second = tmp_path / "again" / "html"
    info = build_book(SHIPPED, second, echo=lambda *_: None)
    if getattr(info, "cached", ()):
        pytest.fail(f"the second build was not clean: chapters taken from a cache {info.cached}")

    a, b = _files(first), _files(second)
    only_first, only_second = sorted(a.keys() - b.keys()), sorted(b.keys() - a.keys())
    assert not only_first and not only_second, (
        f"the builds hold different files: only in the first {only_first}, "
        f"only in the second {only_second}")
    differ = []
    for rel in sorted(a):
        da, db = a[rel].read_bytes(), b[rel].read_bytes()
        if da != db and rel not in ALLOWED_TO_DIFFER:
            differ.append(_explain(rel, da, db))
    compared = [rel for rel in a if rel.endswith((".html", ".png", ".svg", ".json", ".js"))]
    assert len(compared) > 20, f"too few files compared: {sorted(a)}"
    if differ:
        differ.append(_key_hint(first, second, results))
    assert not differ, (f"{len(differ)} files differ between two clean builds of the same commit "
                        "and data:\n" + "\n".join(differ))
