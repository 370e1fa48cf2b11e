"""Building one edition: the book and, when the edition is published with one, its PDF.

The top of the publishing layer: it calls the build (:mod:`.build`) and the printer (:mod:`.pdf`),
which both know editions only by their identifiers (:mod:`.editions`). Snapshots run it in the
exported source (``python -m blina_analysis.publish.edition_build``), and ``blina verify`` runs it
again from an archive.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import yaml

from blina_analysis.errors import BlinaError
from blina_analysis.publish.build import build_book
from blina_analysis.publish.editions import edition_of, edition_options, pdf_name
from blina_analysis.publish.languages import book_languages, site_prefix
from blina_analysis.publish.pdf import ARCHIVED_SITE_ENV, make_pdf

__all__ = ["build_edition", "main"]


def build_edition(data_dir: Path, out_dir: Path, *, root: Path, previous: Path | None = None,
                  history: Path | None = None, echo=print):
    """Build one edition: the book (:func:`~.build.build_book`) and, if asked, its PDF.

    What the edition links to comes from ``$BLINA_EDITION`` (:func:`edition_options`); a
    snapshot sets it, and ``blina verify`` sets it again from the archive. Each language built
    gets its own PDF, in its own site (``OUT/<pdf>``, ``OUT/ru/<pdf>``).
    """
    info = build_book(data_dir, out_dir, root=root, previous=previous, history=history,
                      echo=echo)
    options = edition_options()
    if options.pdf:
        edition = edition_of(json.loads((Path(out_dir) / "results.json").read_text(
            encoding="utf-8")))
        listed = book_languages(yaml.safe_load((Path(root) / "_config.yml").read_text(
            encoding="utf-8")) or {})
        archived_site = os.environ.get(ARCHIVED_SITE_ENV)  # blina verify: the archived PDFs
        for lang in info.languages:  # one PDF per language, each in its language's site
            prefix = site_prefix(lang, listed)
            url = options.edition_url(edition)
            archived = Path(archived_site) / prefix / pdf_name(edition) if archived_site else None
            make_pdf(Path(out_dir) / prefix, root, url=url + prefix if url else "", echo=echo,
                     lang=lang, archived=archived.read_bytes() if archived and archived.is_file()
                     else None)
    return info


def main(argv: list[str] | None = None) -> int:
    """``python -m blina_analysis.publish.edition_build --data D --out O --root R [--previous P]
    [--history H]``.

    How snapshots build an edition with the exported source's own code, and how ``blina verify``
    rebuilds one from its archive.
    """
    import argparse

    parser = argparse.ArgumentParser(prog="python -m blina_analysis.publish.edition_build")
    parser.add_argument("--data", required=True, type=Path)
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--root", required=True, type=Path)
    parser.add_argument("--previous", type=Path, default=None)
    parser.add_argument("--history", type=Path, default=None)
    args = parser.parse_args(argv)
    try:
        build_edition(args.data, args.out, root=args.root, previous=args.previous,
                      history=args.history, echo=lambda line: print(line, flush=True))
    except BlinaError as exc:
        print(str(exc), flush=True)
        return 1
    except KeyboardInterrupt:  # Ctrl-C reaches this process too; the caller says so (no traceback)
        return 130
    return 0


if __name__ == "__main__":  # pragma: no cover - run by snapshots and verify
    raise SystemExit(main())
