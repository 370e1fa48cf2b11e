"""``blina verify ARCHIVE``: rebuild a cited edition from its archive and compare every file.

The archive of an edition (:mod:`.snapshot`) carries its source tree, its dataset (unless the data
are real), the earlier edition's results it was compared with, and ``edition.json`` (commit, source
date, how it was published). :func:`verify_archive` unpacks it into a temporary folder, rebuilds the
edition there with the archived source's own code, exactly as the snapshot did, and compares the
rebuilt site with the archived ``site/`` file by file.

Before anything is built, :func:`check_archive` compares the archive with the ``.sha256`` and the
manifest beside it (when they are there), and the archive is read whole (a truncated or corrupt
archive, or one whose ``edition.json`` is not the manifest's, stops there): these refusals take
seconds, the rebuild takes minutes.

Byte-identical rebuilds need the same versions of the dependencies: the installed versions are
compared with the archive's ``constraints.txt`` and every difference is reported beside the result.
"""

from __future__ import annotations

import gzip
import json
import re
import shutil
import tarfile
import tempfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from blina_analysis.errors import BlinaError

__all__ = ["Verification", "verify_archive", "check_archive", "compare_trees",
           "environment_differences", "pdf_differences"]


@dataclass
class Verification:
    """What :func:`verify_archive` found."""

    archive: Path
    edition: str
    files: int
    differing: list[str] = field(default_factory=list)
    only_archived: list[str] = field(default_factory=list)
    only_rebuilt: list[str] = field(default_factory=list)
    environment: list[str] = field(default_factory=list)
    pdf_notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.differing or self.only_archived or self.only_rebuilt)

    def report(self) -> str:
        """The text ``blina verify`` prints."""
        lines = []
        if self.ok:
            lines.append(f"{self.archive.name}: edition {self.edition} rebuilt; all {self.files} "
                         f"files equal the archived ones")
        else:
            n = len(self.differing) + len(self.only_archived) + len(self.only_rebuilt)
            lines.append(f"{self.archive.name}: edition {self.edition} rebuilt; {n} of "
                         f"{self.files} files differ from the archived ones:")
            lines += [f"  differs: {p}" for p in self.differing]
            lines += [f"  only in the archive: {p}" for p in self.only_archived]
            lines += [f"  only in the rebuild: {p}" for p in self.only_rebuilt]
            lines += [f"  {note}" for note in self.pdf_notes]
        if self.environment:
            lines.append("installed versions that differ from the archive's constraints.txt "
                         "(a cause of differing bytes):")
            lines += [f"  {d}" for d in self.environment]
        return "\n".join(lines)


def compare_trees(archived: Path, rebuilt: Path) -> tuple[list[str], list[str], list[str], int]:
    """``(differing, only_archived, only_rebuilt, files)``: relative POSIX paths, sorted."""

    def files(root: Path) -> dict[str, Path]:
        return {p.relative_to(root).as_posix(): p for p in root.rglob("*") if p.is_file()}

    a, b = files(Path(archived)), files(Path(rebuilt))
    differing = sorted(k for k in set(a) & set(b) if a[k].read_bytes() != b[k].read_bytes())
    return differing, sorted(set(a) - set(b)), sorted(set(b) - set(a)), len(set(a) | set(b))


_PDF_FACTS = {
    "printed by": rb"/Creator \(((?:[^()\\]|\\.)*)\)",
    "PDF producer": rb"/Producer \(((?:[^()\\]|\\.)*)\)",
}


def pdf_differences(archived: Path, rebuilt: Path) -> list[str]:
    """How two prints of one edition's PDF differ, in what can be read without a PDF library.

    The printer's and producer's versions, the page count and the embedded fonts: the causes of
    differing bytes that lie outside the edition (another Chromium, other system fonts).
    """

    def facts(path: Path) -> dict[str, str]:
        data = Path(path).read_bytes()
        found = {label: ", ".join(sorted({re.sub(r"\\(.)", r"\1", m.decode("latin-1"))
                                          for m in re.findall(rx, data)}))
                 for label, rx in _PDF_FACTS.items()}
        found["pages"] = str(len(re.findall(rb"/Type /Page\b", data)))
        found["fonts"] = ", ".join(sorted({m.decode("latin-1") for m in re.findall(
            rb"/BaseFont /(?:[A-Z]{6}\+)?([^\s/>\]]+)", data)}))
        return found

    a, b = facts(archived), facts(rebuilt)
    notes = [f"{Path(archived).name}: {label}: archived {a[label]!r}, rebuilt {b[label]!r}"
             for label in a if a[label] != b[label]]
    return notes or [f"{Path(archived).name}: same printer, page count and fonts; the pages "
                     f"themselves differ"]


def environment_differences(constraints: Path) -> list[str]:
    """``name: installed X, archive pins Y`` for every pinned distribution that differs."""
    from importlib.metadata import PackageNotFoundError, version

    out = []
    if not Path(constraints).is_file():
        return ["the archive has no constraints.txt"]
    for line in Path(constraints).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" not in line:
            continue
        name, pinned = (part.strip() for part in line.split("==", 1))
        try:
            installed = version(name)
        except PackageNotFoundError:
            installed = "not installed"
        if installed != pinned:
            out.append(f"{name}: installed {installed}, archive pins {pinned}")
    return out


def check_archive(archive: Path) -> tuple[list[str], list[str]]:
    """Check ``archive`` against the ``.sha256`` and manifest written beside it.

    Reads the checksum file ``<archive>.sha256`` and the manifest ``<name>.manifest.json`` (see
    :mod:`.snapshot`) where they exist; a missing one is not a problem (an archive may travel
    alone). Fast: hashes the archive once and builds nothing.

    Returns
    -------
    checked : list of str
        The names of the files beside the archive that it was checked against.
    problems : list of str
        One plain sentence per disagreement; empty if the archive is the one they describe.
    """
    from blina_analysis.publish.snapshot import sha256_file

    archive = Path(archive)
    digest = sha256_file(archive)
    problems, checked = [], []
    checksum = archive.with_name(archive.name + ".sha256")
    listed = None
    if checksum.is_file():
        checked.append(checksum.name)
        fields = checksum.read_text(encoding="utf-8", errors="replace").split()
        if not fields or not re.fullmatch(r"[0-9a-f]{64}", fields[0]):
            problems.append(f"{checksum.name}: not a SHA-256 checksum file (expected "
                            f"'<64 hex digits>  {archive.name}')")
        else:
            listed = fields[0]
            if digest != listed:
                problems.append(f"{archive.name}: its SHA-256 differs from {checksum.name} "
                                f"(archive {digest[:16]}..., {checksum.name} {listed[:16]}...); "
                                f"the archive is not the one that was published")
            if len(fields) > 1 and fields[1].lstrip("*") != archive.name:
                problems.append(f"{checksum.name}: names {fields[1]!r}, not {archive.name}")
    stem = archive.name[:-len(".tar.gz")] if archive.name.endswith(".tar.gz") else archive.stem
    manifest_file = archive.with_name(f"{stem}.manifest.json")
    if manifest_file.is_file():
        checked.append(manifest_file.name)
        try:
            recorded = json.loads(manifest_file.read_text(encoding="utf-8"))["archive"]
            recorded_sha, recorded_bytes = recorded["sha256"], recorded["bytes"]
        except (ValueError, KeyError, TypeError):
            problems.append(f"{manifest_file.name}: not an edition manifest (no archive.sha256 "
                            f"and archive.bytes)")
        else:
            if recorded_sha != digest:
                problems.append(f"{archive.name}: its SHA-256 differs from the one in "
                                f"{manifest_file.name} (archive {digest[:16]}..., manifest "
                                f"{str(recorded_sha)[:16]}...)")
            if recorded_bytes != archive.stat().st_size:
                problems.append(f"{archive.name}: {archive.stat().st_size} bytes, "
                                f"{manifest_file.name} says {recorded_bytes}")
            if listed is not None and recorded_sha != listed:
                problems.append(f"{checksum.name} and {manifest_file.name} disagree on the "
                                f"archive's SHA-256")
    return checked, problems


def _unpack(archive: Path, dest: Path) -> Path:
    """Extract ``archive`` into ``dest``; return its top folder.

    Every byte is read before anything is trusted: the gzip stream to its end (its CRC and length
    catch a truncated or altered file), then the tar, which must run to its end-of-archive zeros
    (:mod:`tarfile` would stop silently at a damaged header and extract only what came before).
    """
    raw = dest.with_name(dest.name + ".tar")
    try:
        with gzip.open(archive) as gz, open(raw, "wb") as out:
            shutil.copyfileobj(gz, out, 1 << 20)
        with tarfile.open(raw) as tar:
            members = tar.getmembers()
            end = tar.offset
            tar.extractall(dest, members=members, filter="data")
    except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:
        raise BlinaError(f"{archive}: not a readable edition archive, truncated or corrupt "
                         f"({exc})") from None
    with open(raw, "rb") as f:
        f.seek(end)
        while block := f.read(1 << 20):
            if block.strip(b"\0"):
                raise BlinaError(f"{archive}: not a readable edition archive, truncated or "
                                 f"corrupt (an unreadable tar entry at byte {end})")
    raw.unlink()
    tops = [p for p in dest.iterdir() if p.is_dir()] if dest.is_dir() else []
    if len(tops) != 1 or not (tops[0] / "edition.json").is_file():
        raise BlinaError(f"{archive}: not an edition archive (no <name>/edition.json inside; "
                         f"archives written before editions carried their sources cannot be "
                         f"rebuilt)")
    return tops[0]


def _description(archive: Path, top: Path) -> dict:
    """The archive's ``edition.json``, checked against the manifest beside the archive."""
    try:
        desc = json.loads((top / "edition.json").read_text(encoding="utf-8"))
    except ValueError:
        desc = None
    if not (isinstance(desc, dict) and isinstance(desc.get("dataset"), dict)
            and all(desc.get(k) for k in ("edition", "source_commit_label", "source_date_epoch"))
            and desc["dataset"].get("fingerprint")):
        raise BlinaError(f"{archive}: its edition.json is not an edition's description")
    for part in ("site", "source"):
        if not (top / part).is_dir():
            raise BlinaError(f"{archive}: not an edition archive (no {top.name}/{part}/)")
    stem = archive.name[:-len(".tar.gz")] if archive.name.endswith(".tar.gz") else archive.stem
    manifest_file = archive.with_name(f"{stem}.manifest.json")
    if manifest_file.is_file():
        manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
        described = {k: v for k, v in manifest.items() if k != "archive"}
        if described != desc:
            keys = sorted(k for k in set(described) | set(desc)
                          if described.get(k) != desc.get(k))
            raise BlinaError(f"{archive.name}: its edition.json and {manifest_file.name} "
                             f"disagree ({', '.join(keys)}); the archive is not the one that "
                             f"was published")
    return desc


def verify_archive(archive: Path, *, data_dir: Path | None = None, echo=print) -> Verification:
    """Rebuild the edition in ``archive`` and compare every built file with the archived one.

    Parameters
    ----------
    archive : Path
        A ``.tar.gz`` written by ``blina snapshot`` or ``blina publish``.
    data_dir : Path, optional
        The dataset, for an edition of real data (whose archive does not carry them); its
        fingerprint must be the edition's.
    echo : callable, optional, default: print
        Receives progress lines of the rebuild.

    Raises
    ------
    BlinaError
        The archive is not an edition archive, its checksum file disagrees, the data are missing
        or are not the edition's, or the rebuild failed.
    """
    from blina_analysis.data.io import load
    from blina_analysis.publish.editions import EditionOptions
    from blina_analysis.publish.snapshot import _run_edition_build

    archive = Path(archive).resolve()
    if not archive.is_file():
        raise BlinaError(f"{archive}: no such file")
    checked, problems = check_archive(archive)
    if problems:
        raise BlinaError("\n".join(problems))
    echo(f"{archive.name}: " + (f"matches {' and '.join(checked)}" if checked else
                                "no .sha256 or manifest beside it: its checksum is not checked"))
    work = Path(tempfile.mkdtemp(prefix="blina-verify-"))
    try:
        top = _unpack(archive, work / "archive")
        desc = _description(archive, top)
        edition = desc["edition"]
        if desc.get("data_included"):
            data = top / "data"
        elif data_dir is None:
            raise BlinaError(f"edition {edition} was built from real data, which its archive "
                             f"does not carry: pass the dataset with --data")
        else:
            data = Path(data_dir).resolve()
        fingerprint = load(data).fingerprint
        if fingerprint != desc["dataset"]["fingerprint"]:
            raise BlinaError(f"{data}: these data (SHA-256 {fingerprint[:16]}) are not the "
                             f"edition's ({desc['dataset']['fingerprint'][:16]})")
        source = work / "build" / "source"
        shutil.copytree(top / "source", source)
        previous = top / desc["previous_results"] if desc.get("previous_results") else None
        history = top / desc["history"] if desc.get("history") else None
        options = EditionOptions(**desc.get("options", {}))
        echo(f"rebuilding edition {edition} (commit {desc['source_commit_label']}) in {work}")
        _run_edition_build(source, data, work / "build" / "out" / "site", previous,
                           commit=desc["source_commit_label"], epoch=desc["source_date_epoch"],
                           options=options, echo=echo, history=history,
                           archived_site=top / "site")
        rebuilt = work / "build" / "out" / "site"
        differing, only_a, only_b, files = compare_trees(top / "site", rebuilt)
        pdf_notes = [note for rel in differing if rel.endswith(".pdf")
                     for note in pdf_differences(top / "site" / rel, rebuilt / rel)]
        return Verification(archive, edition, files, differing, only_a, only_b,
                            environment_differences(top / "source" / "constraints.txt"),
                            pdf_notes)
    finally:
        shutil.rmtree(work, ignore_errors=True)
