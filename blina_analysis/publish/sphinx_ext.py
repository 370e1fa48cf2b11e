"""A small Sphinx extension for the book's build (loaded through ``_config.yml``).

Sphinx 7.4 emits an inline script twice when an extension adds it after the builder started
(sphinx-thebe's ``THEBE_JS_URL``, sphinx-togglebutton's selector): the second ``const``
declaration is a JavaScript error on every page. This removes duplicate script and style entries
from each page's context.
"""

from __future__ import annotations

__all__ = ["setup"]


def _key(asset) -> tuple:
    filename = getattr(asset, "filename", asset) or ""  # inline scripts: None or ""
    attributes = getattr(asset, "attributes", {}) or {}
    return (str(filename), tuple(sorted((k, str(v)) for k, v in attributes.items())))


def _dedupe(assets: list) -> list:
    seen, out = set(), []
    for asset in assets:
        key = _key(asset)
        if key not in seen:
            seen.add(key)
            out.append(asset)
    return out


def _page_context(app, pagename, templatename, context, doctree) -> None:
    for name in ("script_files", "css_files"):
        if name in context:
            context[name] = _dedupe(list(context[name]))


def setup(app):
    app.connect("html-page-context", _page_context, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1"}
