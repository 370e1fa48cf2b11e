"""``blina verify ARCHIVE``: rebuild a cited edition from its archive and compare every file.

The archive of an edition (:mod:`.snapshot`) carries its source tree, its dataset (unless the data
are real), the earlier edition's results it was compared with, and ``edition.json`` (commit, source
date, how it was published). :func:`verify_archive` unpacks it into a temporary folder, rebuilds the
edition there with the archived source's own code, exactly as the snapshot did, and compares the
rebuilt site with the archived ``site/`` file by file.

Byte-identical rebuilds need the same versions of the dependencies: the installed versions are
compared with the archive's ``constraints.txt`` and every difference is reported beside the result.
"""

from __future__ import annotations

import json
import shutil
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from blina_analysis.errors import BlinaError

__all__ = ["Verification", "verify_archive", "compare_trees", "environment_differences"]


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


def _unpack(archive: Path, dest: Path) -> Path:
    try:
        with tarfile.open(archive) as tar:
            tar.extractall(dest, filter="data")
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BlinaError(f"{archive}: not a readable edition archive ({exc})") from None
    tops = [p for p in dest.iterdir() if p.is_dir()]
    if len(tops) != 1 or not (tops[0] / "edition.json").is_file():
        raise BlinaError(f"{archive}: not an edition archive (no <name>/edition.json inside; "
                         f"archives written before editions carried their sources cannot be "
                         f"rebuilt)")
    return tops[0]


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
    from blina_analysis.publish.snapshot import _run_edition_build, sha256_file

    archive = Path(archive).resolve()
    if not archive.is_file():
        raise BlinaError(f"{archive}: no such file")
    checksum = archive.with_name(archive.name + ".sha256")
    if checksum.is_file():
        expected = checksum.read_text(encoding="utf-8").split()[0]
        if sha256_file(archive) != expected:
            raise BlinaError(f"{archive}: its SHA-256 differs from {checksum.name}; the archive "
                             f"is not the one that was published")
    work = Path(tempfile.mkdtemp(prefix="blina-verify-"))
    try:
        top = _unpack(archive, work / "archive")
        desc = json.loads((top / "edition.json").read_text(encoding="utf-8"))
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
        options = EditionOptions(**desc.get("options", {}))
        echo(f"rebuilding edition {edition} (commit {desc['source_commit_label']}) in {work}")
        _run_edition_build(source, data, work / "build" / "out" / "site", previous,
                           commit=desc["source_commit_label"], epoch=desc["source_date_epoch"],
                           options=options, echo=echo)
        differing, only_a, only_b, files = compare_trees(top / "site",
                                                         work / "build" / "out" / "site")
        return Verification(archive, edition, files, differing, only_a, only_b,
                            environment_differences(top / "source" / "constraints.txt"))
    finally:
        shutil.rmtree(work, ignore_errors=True)
