"""The chapters' catalogs: ``blina translations update`` (Sphinx gettext, then sphinx-intl).

One catalog per page, ``locale/<lang>/LC_MESSAGES/<page>.po`` (``index.po``,
``chapters/methods.po``, ...), holding every paragraph, heading, caption and list item of the
page's prose as written in English (``msgid``, with its MyST markup and glue roles) and its
translation (``msgstr``). The workflow:

1. ``blina translations update [--lang ru]`` extracts the messages of the current sources
   (``jupyter-book build --builder custom --custom-builder gettext``, chapters not executed)
   into ``.pot`` templates and merges them into the catalogs (``sphinx-intl update``): new
   messages arrive empty, changed ones fuzzy, removed ones obsolete (``#~``);
2. a translator fills in the ``msgstr`` (keeping every ``{glue:text}`key``` and ``{ref}``
   as it is: the glued values come from the Russian kernels) and clears ``#, fuzzy``;
3. the page goes into :data:`TRANSLATED_PAGES`; from then on a message of it left untranslated
   fails the build of that language, naming the page, its line and the message
   (:class:`blina_analysis.publish.sphinx_ext._RequireTranslations`).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

from blina_analysis.errors import BuildError
from blina_analysis.publish.languages import LOCALE_DIR, TRANSLATED_PAGES

__all__ = ["TRANSLATED_PAGES", "update_catalogs"]



def _tool(name: str) -> str:
    candidate = Path(sys.executable).parent / name
    return str(candidate) if candidate.exists() else (shutil.which(name) or name)


#: A ``{glue:figure}`` directive, whose caption myst-nb drops when the chapter is not executed.
_GLUE_FIGURE = re.compile(r"^(?P<fence>`{3,}|~{3,})\{glue:figure\}[ \t]+\S+[ \t]*$", re.M)


def _captions_without_outputs(src: Path) -> None:
    """Make the glued figures' captions extractable without executing the chapters: in the
    extraction's copy, each ``{glue:figure} key`` becomes a plain ``{figure}`` of a placeholder
    image, so that its caption (the same paragraph, hence the same message) reaches the
    catalog; the build translates the caption of the real glued figure."""
    for page in src.rglob("*.md"):
        text = page.read_text(encoding="utf-8")
        plain = _GLUE_FIGURE.sub(lambda m: f"{m['fence']}{{figure}} _blina_figure.png", text)
        if plain != text:
            page.write_text(plain, encoding="utf-8")


def update_catalogs(root: Path, langs: tuple[str, ...], echo=print) -> list[Path]:
    """Extract the messages of the book in ``root`` and merge them into its catalogs of
    ``langs``; return the catalogs written."""
    from blina_analysis.publish.sources import copy_sources

    root = Path(root).resolve()
    with tempfile.TemporaryDirectory(prefix="blina-gettext-") as tmp:
        src = Path(tmp) / "src"
        config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8")) or {}
        config.pop("languages", None)
        config.setdefault("execute", {})["execute_notebooks"] = "off"  # the words only
        sphinx = config.setdefault("sphinx", {}).setdefault("config", {})
        sphinx["gettext_compact"] = False
        sphinx["gettext_additional_targets"] = []
        copy_sources(root, src, config)
        _captions_without_outputs(src)
        (src / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False),
                                         encoding="utf-8")
        run = subprocess.run([_tool("jupyter-book"), "build", str(src), "--path-output", tmp,
                              "--builder", "custom", "--custom-builder", "gettext"],
                             capture_output=True, text=True, cwd=tmp)
        pot = Path(tmp) / "_build" / "gettext"
        if run.returncode != 0 or not pot.is_dir():
            raise BuildError("extracting the messages failed:\n" + run.stdout[-3000:]
                             + run.stderr[-3000:])
        echo(f"extracted {len(list(pot.rglob('*.pot')))} templates")
        cmd = [_tool("sphinx-intl"), "update", "-p", str(pot), "-d", str(root / LOCALE_DIR),
               "-w", "99"]
        for lang in langs:
            cmd += ["-l", lang]
        merged = subprocess.run(cmd, capture_output=True, text=True)
        if merged.returncode != 0:
            raise BuildError("sphinx-intl update failed:\n" + merged.stdout + merged.stderr)
        for line in merged.stdout.splitlines():
            echo(line)
    return sorted((root / LOCALE_DIR).rglob("*.po"))
