"""Editions: one build of the book from one commit and one dataset version, and its identifier.

An edition is named ``<book version>+<dataset name>-<dataset version>``, e.g.
``0.2.0+blina-synthetic-1.0``: a Semantic Versioning version whose build metadata is the dataset.
The same code on a new data cut is a new edition; the same data under a new book version too.
Snapshots (:mod:`.snapshot`), the versioned site (:mod:`.site`), ``blina diff`` and the changes
table of the concordance chapter name editions by this identifier.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from blina_analysis._version import __version__

if TYPE_CHECKING:  # pragma: no cover - annotations only
    from blina_analysis.report.text.edition import BuildFacts

__all__ = ["edition_id", "build_facts", "edition_of", "dataset_slug", "EDITION_PATTERN",
           "EditionOptions", "EDITION_ENV", "edition_options", "citation_metadata", "edition_info",
           "configure_build", "pdf_name"]

#: Environment variable through which a snapshot tells the build how the edition is published
#: (JSON of :class:`EditionOptions`); unset for a working build.
EDITION_ENV = "BLINA_EDITION"

#: What an edition identifier looks like: a SemVer version with the dataset as build metadata.
EDITION_PATTERN = re.compile(r"^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?\+[0-9A-Za-z][0-9A-Za-z.-]*$")

_NOT_ALLOWED = re.compile(r"[^0-9A-Za-z.-]+")


def dataset_slug(name: str, version: str) -> str:
    """``<name>-<version>`` with every character SemVer build metadata forbids replaced by ``-``.

    >>> dataset_slug("blina-synthetic", "1.0")
    'blina-synthetic-1.0'
    >>> dataset_slug("Trial file (final)", "2024_06")
    'Trial-file-final-2024-06'
    """
    slug = _NOT_ALLOWED.sub("-", f"{str(name).strip()}-{str(version).strip()}").strip("-.")
    return re.sub(r"-{2,}", "-", slug) or "dataset"


def edition_id(dataset_name: str, dataset_version: str, book_version: str = __version__) -> str:
    """The edition identifier of ``book_version`` built from one dataset version.

    >>> edition_id("blina-synthetic", "1.0", "0.2.0")
    '0.2.0+blina-synthetic-1.0'
    """
    return f"{book_version}+{dataset_slug(dataset_name, dataset_version)}"


def build_facts(meta, source_commit: str, history: str = "") -> BuildFacts:
    """What the pages print about a build of the dataset described by ``meta``
    (:class:`~blina_analysis.report.text.edition.BuildFacts`): its edition, its source commit and
    the earlier editions of its site (the text of ``history.json``, "" without one). The chapters
    (:func:`blina_analysis.book.build_facts`) and the build, which computes the pages' values
    before the chapters run, both make them here, so that they are the same."""
    from blina_analysis.report.text.edition import BuildFacts

    return BuildFacts(edition=edition_id(meta.name, meta.version), source_commit=source_commit,
                      history=history)


def edition_of(results: dict) -> str:
    """The edition a ``results.json`` document was built as (``?`` for what it does not say).

    >>> edition_of({"meta": {"book_version": "0.1.0",
    ...                      "dataset": {"name": "blina-synthetic", "version": "1.1"}}})
    '0.1.0+blina-synthetic-1.1'
    """
    meta = (results or {}).get("meta") or {}
    dataset = meta.get("dataset") or {}
    if meta.get("edition"):
        return str(meta["edition"])
    return edition_id(dataset.get("name", "?"), dataset.get("version", "?"),
                      str(meta.get("book_version", "?")))


def pdf_name(edition: str) -> str:
    """File name of the edition's PDF, at the root of its site."""
    return f"blina-living-publication-{edition}.pdf"


@dataclass(frozen=True)
class EditionOptions:
    """How an edition is published: what its pages link to beyond themselves.

    Attributes
    ----------
    versioned : bool
        The edition lives in a versioned site (``blina publish``): ``../versions.json`` exists, so
        its pages carry the edition switcher and, when not the latest, a banner.
    site_url : str
        Public address of the versioned site (``https://.../``), or ``""`` if unknown; the
        edition's own address is ``<site_url><edition>/``.
    pdf : bool
        A PDF of the whole edition sits at the edition's root (:func:`pdf_name`).
    """

    versioned: bool = False
    site_url: str = ""
    pdf: bool = False

    def to_env(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    def edition_url(self, edition: str) -> str:
        """The public address of ``edition`` (``""`` when the site's address is unknown)."""
        if not self.site_url:
            return ""
        return self.site_url.rstrip("/") + "/" + edition + "/"


def edition_options() -> EditionOptions:
    """The :class:`EditionOptions` of the running build (from ``$BLINA_EDITION``)."""
    raw = os.environ.get(EDITION_ENV)
    if not raw:
        return EditionOptions()
    values = json.loads(raw)
    return EditionOptions(**{k: values[k] for k in ("versioned", "site_url", "pdf") if k in values})


def citation_metadata(root: Path) -> dict:
    """Title, authors (with the ``alias`` a Russian reference writes them by) and licence from
    ``CITATION.cff`` (the one home of the citation)."""
    import yaml

    path = Path(root) / "CITATION.cff"
    if not path.is_file():
        return {"title": "", "authors": [], "license": ""}
    cff = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    authors = [{"family": a.get("family-names", a.get("name", "")),
                "given": a.get("given-names", ""), "alias": a.get("alias", "")}
               for a in cff.get("authors") or []]
    return {"title": str(cff.get("title", "")), "authors": authors,
            "license": str(cff.get("license", ""))}


def edition_info(ds, commit: str, epoch: int, root: Path) -> dict:
    """What a page says about its edition: identifier, data, source, address, citation.

    ``source_date`` is the commit's date (``SOURCE_DATE_EPOCH``), the date an edition is cited by.
    """
    options = edition_options()
    meta = ds.meta
    edition = edition_id(meta.name, meta.version)
    source_date = dt.datetime.fromtimestamp(epoch, dt.timezone.utc).strftime("%Y-%m-%d")
    info = {
        "edition": edition,
        "book_version": __version__,
        "dataset": f"{meta.name} {meta.version}",
        "synthetic": bool(meta.synthetic),
        "cutoff": f"{meta.cutoff_date:%Y-%m-%d}",
        "fingerprint": ds.fingerprint,
        "commit": commit,
        "source_date": source_date,
        "url": options.edition_url(edition),
        "versioned": options.versioned,
        "pdf": pdf_name(edition) if options.pdf else "",
        "citation": citation_metadata(root),
    }
    return info


def configure_build(config: dict, ds, commit: str, epoch: int, root: Path) -> dict:
    """Put what every page needs to know about its edition into the book's generated config.

    Sets ``sphinx.config.blina_edition`` (:func:`edition_info`, read by :mod:`.sphinx_ext`:
    edition bar, switcher, citation box, Open Graph tags) and, when the site's address is known,
    ``html.baseurl`` (canonical links point to the edition's permanent address, also from
    ``latest/``). Returns the ``blina_edition`` mapping.
    """
    info = edition_info(ds, commit, epoch, root)
    sphinx = config.setdefault("sphinx", {})
    sphinx.setdefault("config", {})["blina_edition"] = info
    if info["url"]:
        config.setdefault("html", {})["baseurl"] = info["url"]
    return info
