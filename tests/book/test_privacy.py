"""The published site carries aggregates only: no patient ID and no individual-level date.

The tokens are every ``patient_id`` and every value of every date column of the shipped dataset
(``patients.csv`` and ``adverse_events.csv``). The data cut-off date (``cutoff_date`` of
``dataset.yaml``) is an aggregate and may be shown, so a date is left out only if it equals it.

Every file of the built site is read once and searched with one compiled regular expression:
the HTML, JSON, JS and text files, the ``_sources`` copies of the chapters, any notebook offered
for download, the zlib-compressed body of ``objects.inv``, and the text metadata of every PNG
(``tEXt``, ``zTXt``, ``iTXt``, ``eXIf`` chunks) — both the PNG files and the PNGs embedded as
``data:`` URIs in the pages. Dates are matched in any of the usual spellings
(``2017-04-26``, ``2017/04/26``, ``2017.04.26``, ``26.04.2017``, with a non-breaking hyphen).
"""

from __future__ import annotations

import base64
import binascii
import csv
import json
import re
import struct
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "data" / "synthetic"
_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_TEXT_CHUNKS = {b"tEXt", b"zTXt", b"iTXt", b"eXIf"}
_DATA_URI = re.compile(rb"data:(image/[a-z0-9.+-]+|application/[a-z0-9.+-]+|text/[a-z0-9.+-]+)"
                       rb";base64,([A-Za-z0-9+/=\s]+)")
_SEP = "(?:-|/|\\.|\u2010|\u2011|\u2012|\u2013)".encode()  # hyphens as ASCII or UTF-8 bytes


# --- what must not be published ------------------------------------------------------------


@dataclass
class Secrets:
    ids: set[str]
    dates: set[str]          # ISO yyyy-mm-dd
    cutoff: str
    csv_lines: dict[str, list[str]] = field(default_factory=dict)  # file -> header and rows


def _date_columns(file_name: str, header: list[str], rows: list[dict]) -> list[str]:
    """Date columns by the schema, plus any column whose filled cells are all ISO dates."""
    from blina_analysis.data import schema

    specs = {schema.PATIENTS_FILE: schema.PATIENT_COLUMNS, schema.AE_FILE: schema.AE_COLUMNS}
    declared = {c.name for c in specs.get(file_name, ()) if c.kind == "date"}
    detected = set()
    for col in header:
        values = [r[col].strip() for r in rows if r.get(col) and r[col].strip()]
        if values and all(_ISO.match(v) for v in values):
            detected.add(col)
    return sorted((declared | detected) & set(header))


def read_secrets(data_dir: Path) -> Secrets:
    meta = yaml.safe_load((data_dir / "dataset.yaml").read_text(encoding="utf-8"))
    cutoff = str(meta["cutoff_date"])  # PyYAML gives a date; str() is ISO
    ids: set[str] = set()
    dates: set[str] = set()
    lines: dict[str, list[str]] = {}
    for name in ("patients.csv", "adverse_events.csv"):
        text = (data_dir / name).read_text(encoding="utf-8-sig")
        lines[name] = [ln.strip() for ln in text.splitlines() if ln.strip()]
        reader = csv.DictReader(text.splitlines())
        rows = list(reader)
        ids |= {r["patient_id"].strip() for r in rows if r.get("patient_id", "").strip()}
        for col in _date_columns(name, reader.fieldnames or [], rows):
            dates |= {r[col].strip() for r in rows if r.get(col) and r[col].strip()}
    dates.discard(cutoff)
    return Secrets(ids, dates, cutoff, lines)


def compile_scanner(secrets: Secrets) -> re.Pattern:
    """One bytes regex: any patient ID (whole token, any case), or anything shaped like a date.

    Date-shaped matches are then kept only if they are one of the dataset's dates."""
    ids = b"|".join(re.escape(i.encode()) for i in sorted(secrets.ids, key=len, reverse=True))
    return re.compile(
        rb"(?<![0-9A-Za-z])(?P<id>" + ids + rb")(?![0-9A-Za-z])"
        rb"|(?<![0-9])(?P<y>\d{4})" + _SEP + rb"(?P<m>\d{2})" + _SEP + rb"(?P<d>\d{2})(?![0-9])"
        rb"|(?<![0-9])(?P<d2>\d{2})\.(?P<m2>\d{2})\.(?P<y2>\d{4})(?![0-9])",
        re.IGNORECASE)


def find_tokens(scanner: re.Pattern, secrets: Secrets, data: bytes) -> list[str]:
    found = []
    for m in scanner.finditer(data):
        if m.group("id"):
            found.append(m.group("id").decode("ascii", "replace"))
            continue
        if m.group("y"):
            iso = f"{m['y'].decode()}-{m['m'].decode()}-{m['d'].decode()}"
        else:
            iso = f"{m['y2'].decode()}-{m['m2'].decode()}-{m['d2'].decode()}"
        if iso in secrets.dates:
            found.append(m.group(0).decode("utf-8", "replace"))
    return found


# --- where published text hides ------------------------------------------------------------


def png_text(png: bytes) -> list[bytes]:
    """The payloads of a PNG's text and EXIF chunks (compressed ones inflated)."""
    if not png.startswith(_PNG_SIGNATURE):
        return []
    out, pos = [], len(_PNG_SIGNATURE)
    while pos + 8 <= len(png):
        length, kind = struct.unpack(">I4s", png[pos:pos + 8])
        body = png[pos + 8:pos + 8 + length]
        pos += 12 + length
        if kind in _TEXT_CHUNKS:
            out.append(_inflate_text_chunk(kind, body))
        if kind == b"IEND":
            break
    return out


def _inflate_text_chunk(kind: bytes, body: bytes) -> bytes:
    try:
        if kind == b"zTXt":
            key, _, rest = body.partition(b"\0")
            return key + b"\0" + zlib.decompress(rest[1:])
        if kind == b"iTXt":
            key, _, rest = body.partition(b"\0")
            compressed, _method, rest = rest[0], rest[1], rest[2:]
            lang, _, rest = rest.partition(b"\0")
            translated, _, text = rest.partition(b"\0")
            if compressed:
                text = zlib.decompress(text)
            return b"\0".join([key, lang, translated, text])
    except (zlib.error, IndexError):
        pass
    return body


def embedded_payloads(data: bytes) -> list[tuple[str, bytes]]:
    """Decoded ``data:...;base64,`` URIs of a page: PNGs give their text chunks, others all."""
    out = []
    for m in _DATA_URI.finditer(data):
        mime = m.group(1).decode()
        try:
            raw = base64.b64decode(re.sub(rb"\s+", b"", m.group(2)), validate=False)
        except (binascii.Error, ValueError):
            continue
        if raw.startswith(_PNG_SIGNATURE):
            out.extend((f"{mime} data URI, PNG text chunk", t) for t in png_text(raw))
        elif mime.startswith(("image/svg", "text/", "application/json")):
            out.append((f"{mime} data URI", raw))
    return out


def readable_parts(path: Path, data: bytes) -> list[tuple[str, bytes]]:
    """What a reader or a tool can get out of one published file, besides its raw bytes."""
    parts: list[tuple[str, bytes]] = []
    if data.startswith(_PNG_SIGNATURE):
        parts += [("PNG text chunk", t) for t in png_text(data)]
    if path.name == "objects.inv":
        header_end = 0
        for _ in range(4):
            header_end = data.index(b"\n", header_end) + 1
        parts.append(("objects.inv inventory", zlib.decompress(data[header_end:])))
    if path.suffix.lower() in {".gz", ".svgz"}:
        import gzip

        parts.append(("gzip content", gzip.decompress(data)))
    if b"base64," in data:
        parts += embedded_payloads(data)
    return parts


def scan_site(html_dir: Path, secrets: Secrets) -> tuple[list[str], dict[str, int]]:
    scanner = compile_scanner(secrets)
    leaks: list[str] = []
    counts = {"files": 0, "embedded PNG text chunks": 0, "PNG files": 0}
    for path in sorted(p for p in html_dir.rglob("*") if p.is_file()):
        rel = path.relative_to(html_dir).as_posix()
        data = path.read_bytes()
        counts["files"] += 1
        counts["PNG files"] += data.startswith(_PNG_SIGNATURE)
        for where, chunk in [("", data), *readable_parts(path, data)]:
            counts["embedded PNG text chunks"] += "data URI, PNG" in where
            tokens = find_tokens(scanner, secrets, chunk)
            if tokens:
                shown = sorted(set(tokens))
                leaks.append(f"{rel}{' (' + where + ')' if where else ''}: {len(tokens)} "
                             f"matches, e.g. {shown[:8]}")
    return leaks, counts


# --- the published site --------------------------------------------------------------------


@pytest.fixture(scope="module")
def secrets() -> Secrets:
    s = read_secrets(SHIPPED)
    assert len(s.ids) >= 10 and len(s.dates) >= 50, "the shipped dataset should have IDs and dates"
    return s


@pytest.mark.slow
def test_site_has_no_patient_id_or_individual_date(built_site, secrets):
    html_dir, _ = built_site
    leaks, counts = scan_site(html_dir, secrets)
    # the scan did look inside the figures: every figure is a PNG data URI with text chunks
    assert counts["embedded PNG text chunks"] > 0, counts
    assert not leaks, ("patient-level data in the published site (cut-off "
                       f"{secrets.cutoff} allowed):\n" + "\n".join(leaks))


def _download_sources(html_dir: Path) -> list[Path]:
    """The chapter sources a reader can download: ``_sources/**`` and every ``.ipynb``."""
    files = {p for p in (html_dir / "_sources").rglob("*") if p.is_file()}
    files |= set(html_dir.rglob("*.ipynb"))
    return sorted(files)


@pytest.mark.slow
def test_downloadable_notebook_sources_embed_no_data(built_site, secrets):
    html_dir, _ = built_site
    sources = _download_sources(html_dir)
    assert sources, "the site offers no chapter sources: did the layout change?"
    scanner = compile_scanner(secrets)
    header_lines = {name: lines[0] for name, lines in secrets.csv_lines.items()}
    data_rows = {row for lines in secrets.csv_lines.values() for row in lines[1:]}
    problems = []
    for path in sources:
        rel = path.relative_to(html_dir).as_posix()
        data = path.read_bytes()
        text = data.decode("utf-8", "replace")
        tokens = find_tokens(scanner, secrets, data)
        if tokens:
            problems.append(f"{rel}: patient IDs or dates {sorted(set(tokens))[:8]}")
        for name, header in header_lines.items():
            if header in text:
                problems.append(f"{rel}: contains the header of {name}")
        rows = [r for r in data_rows if r in text]
        if rows:
            problems.append(f"{rel}: contains {len(rows)} CSV data rows, e.g. {rows[0]!r}")
        if path.suffix == ".ipynb":
            nb = json.loads(text)
            for cell in nb.get("cells", []):
                for output in cell.get("outputs", []):
                    mimes = set(output.get("data", {}))
                    if mimes & {"text/csv", "application/vnd.dataresource+json"}:
                        problems.append(f"{rel}: an output carries a data table ({mimes})")
    assert not problems, "notebook sources offered for download embed data:\n" + "\n".join(problems)


# --- the scanner itself --------------------------------------------------------------------


def _png_with_text(text: str, kind: str = "tEXt") -> bytes:
    import io

    from PIL import Image, PngImagePlugin

    info = PngImagePlugin.PngInfo()
    if kind == "iTXt":
        info.add_itxt("Comment", text, zip=True)
    elif kind == "zTXt":
        info.add_text("Comment", text, zip=True)
    else:
        info.add_text("Comment", text)
    buf = io.BytesIO()
    Image.new("RGB", (2, 2)).save(buf, "PNG", pnginfo=info)
    return buf.getvalue()


def test_secrets_come_from_every_date_column():
    s = read_secrets(SHIPPED)
    assert "SYN-001" in s.ids
    assert "2017-04-15" in s.dates      # patients.csv bc_start_date of SYN-001
    assert "2017-04-26" in s.dates      # adverse_events.csv onset_date
    assert s.cutoff == "2018-06-30" and s.cutoff not in s.dates


def test_scanner_finds_tokens_in_text_pngs_and_data_uris(tmp_path):
    s = Secrets(ids={"SYN-001", "SYN-010"}, dates={"2017-04-15"}, cutoff="2018-06-30")
    site = tmp_path / "site"
    (site / "_static").mkdir(parents=True)
    uri = base64.b64encode(_png_with_text("patient SYN-010", "iTXt")).decode()
    (site / "index.html").write_text(
        f'<p>cut-off 2018-06-30, n = 66, SYN-0010 is no ID</p><img src="data:image/png;base64,{uri}">',
        encoding="utf-8")
    (site / "a.txt").write_text("started 15.04.2017", encoding="utf-8")
    (site / "b.json").write_text('{"d": "2017\u201104\u201115"}', encoding="utf-8")
    (site / "c.js").write_text("var x = 'syn-001';", encoding="utf-8")
    (site / "_static" / "f.png").write_bytes(_png_with_text("2017-04-15", "zTXt"))
    (site / "clean.html").write_text("2017-04-16 SYN-0011 XSYN-001 66/2017-04-150",
                                     encoding="utf-8")
    leaks, counts = scan_site(site, s)
    text = "\n".join(leaks)
    assert counts["embedded PNG text chunks"] == 1
    assert "index.html (image/png data URI, PNG text chunk)" in text and "SYN-010" in text
    assert "a.txt" in text and "b.json" in text and "c.js" in text
    assert "_static/f.png (PNG text chunk)" in text
    assert "clean.html" not in text and "2018-06-30" not in text
    assert len(leaks) == 5, text
