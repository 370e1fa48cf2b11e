"""What a failed build tells the user first: the chapter, the cell, the exception and its message.

A failing cell makes Jupyter Book log a traceback and then, for every value or figure that the
chapter did not get to glue, a "No key ... found in glue data" or "undefined label" warning. Those
warnings only follow from the failure, so they are counted in one line; the cause comes first.
The full log is in the build's state folder (the ``err.log`` files Jupyter Book mentions are in a
staging folder that is deleted when the build ends, so they are never pointed at).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["CellFailure", "cell_failures", "failure_message"]

_FAILED = re.compile(r"^(?P<path>\S+\.(?:md|ipynb)): WARNING: Executing notebook failed: "
                     r"(?P<error>\w+)")
_END = re.compile(r"\[mystnb\.exec\]\s*$")
_SEPARATOR = "------------------"
_IPYTHON_HEADER = re.compile(r"^(?P<name>[A-Za-z_][\w.]*)\s+Traceback \(most recent call last\)")
_CELL_FRAME = re.compile(r"^Cell In\s*\[\d*\], line (?P<line>\d+)")
_PY_EXCEPTION = re.compile(r"^(?:[A-Za-z_]\w*\.)*(?P<name>[A-Za-z_]\w*(?:Error|Exception|Exit|"
                           r"Interrupt))(?::\s*(?P<message>.*))?$")
#: Warnings that follow from a failed cell: values it did not glue, labels it did not define.
_CONSEQUENCE = re.compile(r"No key '(?P<key>[^']+)' found in glue data"
                          r"|undefined label: '?(?P<label>[^'\s]+)"
                          r"|reference target not found: '?(?P<target>[^'\s]+)")
#: Jupyter Book's pointer to a report in the staging folder, which is deleted with it.
_STAGING_REPORT = re.compile(r"Notebook exception traceback saved in")
_PROBLEM = re.compile(r"(WARNING|ERROR|Error|Exception|Traceback)")
_NOISE = re.compile(r"Kernel is running over TCP without encryption")
_MESSAGE_LINES = 8
_CONTEXT_LINES = 3


@dataclass(frozen=True)
class CellFailure:
    """One chapter whose execution failed, as read from Jupyter Book's log."""

    chapter: Path           # as logged (a path in the book's sources)
    cell: tuple[str, ...]   # the source of the failing cell
    cell_line: int | None   # 1-based line of the failing statement in the cell
    exception: str          # class name
    message: tuple[str, ...]


def _block_end(lines: list[str], start: int) -> int:
    """Index just past the warning that starts at ``start`` (it ends with ``[mystnb.exec]``)."""
    for i in range(start, len(lines)):
        if _END.search(lines[i]):
            return i + 1
    return len(lines)


def _parse_block(path: str, error: str, block: list[str]) -> CellFailure:
    cell: list[str] = []
    rest = block
    for i, line in enumerate(block):
        if line.endswith(("An error occurred while executing the following cell:",
                          "Here is a preview of the cell contents:")):
            start = i + 2  # the line after the separator
            for j in range(start, len(block)):
                if block[j].startswith(_SEPARATOR):
                    cell, rest = block[start:j], block[j + 1:]
                    break
            break
    rest = [_END.sub("", line).rstrip() for line in rest]
    headers = [i for i, line in enumerate(rest) if _IPYTHON_HEADER.match(line)]
    exception, message, cell_line = error, [], None
    if headers:  # the kernel's (IPython's) traceback: the exception raised in the cell
        tail = rest[headers[-1]:]
        exception = _IPYTHON_HEADER.match(tail[0]).group("name")
        frames = [m for line in tail if (m := _CELL_FRAME.match(line))]
        if frames:
            cell_line = int(frames[0].group("line"))
        at = [i for i, line in enumerate(tail)
              if line == exception or line.startswith(exception + ":")]
        if at:
            message = tail[at[-1]:]
            message[0] = message[0][len(exception):].lstrip(":").strip()
    else:  # failed outside the cell's code: a timeout, a dead kernel
        found = [(i, m) for i, line in enumerate(block) if (m := _PY_EXCEPTION.match(line))]
        if found:
            i, m = found[-1]
            exception = m.group("name")
            message = [m.group("message") or ""]
            for line in block[i + 1:]:
                if line.startswith(("The message was:", _SEPARATOR)):
                    break
                message.append(_END.sub("", line).rstrip())
    while message and not message[-1].strip():
        message.pop()
    return CellFailure(Path(path), tuple(cell), cell_line, exception, tuple(message))


def cell_failures(lines: list[str]) -> tuple[list[CellFailure], set[int]]:
    """The failed chapters in a Jupyter Book log, and the indices of the lines that told of them."""
    failures: list[CellFailure] = []
    used: set[int] = set()
    i = 0
    while i < len(lines):
        m = _FAILED.match(lines[i])
        if m is None:
            i += 1
            continue
        end = _block_end(lines, i)
        failures.append(_parse_block(m.group("path"), m.group("error"), lines[i + 1:end]))
        used.update(range(i, end))
        i = end
    return failures, used


def _chapter_name(path: Path, root: Path | None) -> str:
    if root is not None:
        try:
            return path.relative_to(root).as_posix()
        except ValueError:
            pass
    return path.name


def _first_line_in_file(path: Path, cell: tuple[str, ...]) -> int | None:
    """Line number, in the chapter file, of the cell's first line (if the cell is found there)."""
    if not cell:
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    at = text.find("\n".join(cell))
    return None if at < 0 else text.count("\n", 0, at) + 1


def _describe(failure: CellFailure, root: Path | None) -> list[str]:
    chapter = _chapter_name(failure.chapter, root)
    first = _first_line_in_file(failure.chapter, failure.cell)
    bad = failure.cell_line
    where = chapter
    if first is not None:
        where += f", line {first + (bad or 1) - 1}"
    out = [f"{where}: a cell failed with {failure.exception}"]
    if failure.cell:
        if bad is not None and 1 <= bad <= len(failure.cell):
            lo, hi = max(1, bad - _CONTEXT_LINES), bad
        else:
            lo, hi = 1, min(len(failure.cell), 2 * _CONTEXT_LINES)
        for n in range(lo, hi + 1):
            number = (first + n - 1) if first is not None else n
            mark = "->" if n == bad else "  "
            out.append(f"  {mark} {number:4d} | {failure.cell[n - 1]}".rstrip())
    message = list(failure.message[:_MESSAGE_LINES])
    if len(failure.message) > _MESSAGE_LINES:
        message.append(f"... ({len(failure.message) - _MESSAGE_LINES} more lines in the log)")
    head = f"{failure.exception}: {message[0]}" if message and message[0] else failure.exception
    out.append(f"  {head}")
    out += [f"    {line}" for line in message[1:]]
    return out


def failure_message(lines: list[str], out_dir: Path, log_path: Path,
                    root: Path | None = None) -> str:
    """The message of a failed build: each failed cell first, then anything else that went wrong.

    Parameters
    ----------
    lines : list of str
        Jupyter Book's output (colour codes removed).
    out_dir : Path
        The output folder, which the failed build left unchanged.
    log_path : Path
        Where the full log is kept.
    root : Path, optional
        The book's source folder (chapters are named relative to it).
    """
    failures, used = cell_failures(lines)
    rest = [ln for i, ln in enumerate(lines) if i not in used and _PROBLEM.search(ln)
            and not _NOISE.search(ln) and not _STAGING_REPORT.search(ln)]
    out: list[str] = []
    for failure in failures:
        out += _describe(failure, root)
    others = rest
    if failures:
        follow = [ln for ln in rest if _CONSEQUENCE.search(ln)]
        others = [ln for ln in rest if not _CONSEQUENCE.search(ln)]
        if follow:
            names = sorted({next(g for g in m.groups() if g)
                            for ln in follow if (m := _CONSEQUENCE.search(ln))})
            shown = ", ".join(names[:8]) + (", ..." if len(names) > 8 else "")
            n = len(follow)
            out.append(f"{n} warning{'s' if n != 1 else ''} that follow{'s' if n == 1 else ''} "
                       f"from the failure (values or labels not made: {shown}) "
                       f"{'is' if n == 1 else 'are'} in the full log")
        if others:
            out.append("other problems:")
    elif not others:
        others = lines[-20:]
    out += [f"  {ln}" for ln in others[-40:]]
    out.append(f"the book did not build; {out_dir} is unchanged. Full log: {log_path}")
    return "\n".join(out)
