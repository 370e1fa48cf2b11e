"""The versioned site's folder rules, versions.json, verify's comparison, the PDF's dates, the
download links and the edition bar — without building the book."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from blina_analysis.errors import BlinaError
from blina_analysis.publish import sphinx_ext
from blina_analysis.publish.pdf import _fix_dates
from blina_analysis.publish.site import MARKER, prepare_site_folder, read_versions
from blina_analysis.publish.verify import compare_trees, environment_differences
from blina_analysis.book import GluedFigure, _download_link, show_table


def test_site_folder_is_created_with_its_marker(tmp_path):
    site = prepare_site_folder(tmp_path / "site")
    assert (site / MARKER).is_file()
    assert prepare_site_folder(site) == site  # ours: accepted again


def test_an_empty_folder_or_a_bare_git_checkout_becomes_a_site(tmp_path):
    (tmp_path / "empty").mkdir()
    assert (prepare_site_folder(tmp_path / "empty") / MARKER).is_file()
    (tmp_path / "checkout" / ".git").mkdir(parents=True)
    assert (prepare_site_folder(tmp_path / "checkout") / MARKER).is_file()


def test_a_folder_holding_other_files_is_refused_and_left_alone(tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "thesis.docx").write_bytes(b"precious")
    with pytest.raises(BlinaError, match="did not write"):
        prepare_site_folder(folder)
    assert sorted(p.name for p in folder.iterdir()) == ["thesis.docx"]
    (tmp_path / "file").write_text("x")
    with pytest.raises(BlinaError, match="not a folder"):
        prepare_site_folder(tmp_path / "file")


def test_versions_json_is_read_and_checked(tmp_path):
    assert read_versions(tmp_path) == []
    (tmp_path / "versions.json").write_text('[{"version": "0.1.0+d-1", "url": "x"}]')
    assert read_versions(tmp_path)[0]["version"] == "0.1.0+d-1"
    (tmp_path / "versions.json").write_text('{"version": 1}')
    with pytest.raises(BlinaError, match="not a list of editions"):
        read_versions(tmp_path)


def test_compare_trees_lists_every_difference(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for root in (a, b):
        (root / "sub").mkdir(parents=True)
        (root / "same.html").write_text("same")
    (a / "sub" / "x.css").write_text("1")
    (b / "sub" / "x.css").write_text("2")
    (a / "gone.png").write_bytes(b"\x89")
    (b / "new.js").write_text("")
    assert compare_trees(a, b) == (["sub/x.css"], ["gone.png"], ["new.js"], 4)


def test_environment_differences_name_each_package(tmp_path):
    pins = tmp_path / "constraints.txt"
    pins.write_text("# comment\npytest==0.0.1\nno-such-dist-blina==1.0\n")
    found = environment_differences(pins)
    assert found[0].startswith("pytest: installed ") and found[0].endswith("archive pins 0.0.1")
    assert found[1] == "no-such-dist-blina: installed not installed, archive pins 1.0"


def test_pdf_dates_become_the_source_date_at_the_same_length():
    raw = (b"<< /Producer (Skia/PDF m120) /CreationDate (D:20991231235959+00'00') "
           b"/ModDate (D:20991231235959+00'00') >>")
    fixed = _fix_dates(raw, 1_700_000_000)  # 2023-11-14T22:13:20Z
    assert len(fixed) == len(raw)
    assert fixed.count(b"D:20231114221320+00'00'") == 2


def test_figure_downloads_are_embedded_as_data_links_named_after_the_figure():
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1])
    glued = GluedFigure(fig, "a line", name="fig-line")
    plt.close(fig)
    html = glued._repr_html_()
    names = [m["name"] for m in sphinx_ext._DATA_LINK.finditer(html)]
    assert names == ["fig-line.png", "fig-line.svg", "fig-line.pdf"]
    assert glued.files["pdf"].startswith(b"%PDF") and b"<svg" in glued.files["svg"]


def test_table_csv_carries_the_numbers_not_the_text():
    import pandas as pd

    shown = pd.DataFrame({"Rate": ["67%"]})
    numbers = pd.DataFrame({"rate": [29 / 43], "n": [29]})
    html = show_table(shown, "rr-subgroups", data=numbers).data
    m = next(sphinx_ext._DATA_LINK.finditer(html))
    import base64

    assert m["name"] == "rr-subgroups.csv"  # the table's name, the same in every language
    assert "<caption>CR/CRh by subgroup (R/R group)</caption>" in html
    assert base64.b64decode(m["data"]).decode() == f"rate,n\n{29 / 43!r},29\n"


def test_downloads_become_files_and_links_point_to_them(tmp_path):
    class App:
        outdir = str(tmp_path)

    body = "<p>x</p>" + _download_link("t.csv", "text/csv", b"a,b\n1,2\n", "CSV")
    new, written = sphinx_ext._extract_downloads(App, "chapters/safety", body)
    assert written == ["downloads/chapters/safety/t.csv"]
    assert (tmp_path / "downloads/chapters/safety/t.csv").read_bytes() == b"a,b\n1,2\n"
    assert 'href="../downloads/chapters/safety/t.csv"' in new and "data:" not in new


def test_edition_bar_links_the_pdf_and_switcher_only_when_published():
    info = {"edition": "0.1.0+d-1", "dataset": "d 1", "synthetic": True, "cutoff": "2018-06-30",
            "pdf": "blina-living-publication-0.1.0+d-1.pdf", "versioned": True}
    bar = sphinx_ext._edition_bar(info, "chapters/rr_results", ".html")
    assert 'href="../blina-living-publication-0.1.0+d-1.pdf"' in bar
    assert 'data-page="chapters/rr_results.html"' in bar and 'data-root="../"' in bar
    assert "blina-edition-switcher" in bar
    plain = sphinx_ext._edition_bar(dict(info, pdf="", versioned=False), "index", ".html")
    assert ".pdf" not in plain and "blina-edition-switcher" not in plain
    assert 'data-versioned="false"' in plain


def _fake_archive(tmp_path, description: dict) -> Path:
    from blina_analysis.publish.snapshot import write_archive

    tree = tmp_path / "tree"
    (tree / "site").mkdir(parents=True)
    (tree / "source").mkdir()
    (tree / "site" / "index.html").write_text("<p>x</p>")
    description = {"source_commit_label": "abc123", "source_date_epoch": 1700000000,
                   **description}
    (tree / "edition.json").write_text(json.dumps(description))
    archive = tmp_path / "blina-living-publication-0.1.0+trial-1.tar.gz"
    write_archive(tree, archive, prefix=archive.name.removesuffix(".tar.gz"), mtime=0)
    return archive


def test_verify_needs_the_data_of_a_real_data_edition(tmp_path):
    from blina_analysis.publish.verify import verify_archive

    archive = _fake_archive(tmp_path, {"edition": "0.1.0+trial-1", "data_included": False,
                                       "dataset": {"fingerprint": "ab" * 32}})
    with pytest.raises(BlinaError, match="pass the dataset with --data"):
        verify_archive(archive, echo=lambda *_: None)


def test_verify_refuses_data_that_are_not_the_editions(tmp_path):
    from blina_analysis.publish.verify import verify_archive

    archive = _fake_archive(tmp_path, {"edition": "0.1.0+trial-1", "data_included": False,
                                       "dataset": {"fingerprint": "ab" * 32}})
    shipped = Path(__file__).resolve().parent.parent / "data" / "synthetic"
    with pytest.raises(BlinaError, match="are not the edition's"):
        verify_archive(archive, data_dir=shipped, echo=lambda *_: None)


def test_verify_cli_on_something_that_is_not_an_archive(tmp_path):
    from click.testing import CliRunner

    from blina_analysis.cli import main

    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not a tar")
    result = CliRunner().invoke(main, ["verify", str(junk)])
    assert result.exit_code == 1 and "not a readable edition archive" in result.output
    result = CliRunner().invoke(main, ["verify", str(tmp_path / "missing.tar.gz")])
    assert result.exit_code == 1 and "no such file" in result.output


def test_how_an_edition_is_published_is_part_of_the_site_key(monkeypatch):
    """A site built as a standalone edition is not 'up to date' for a versioned-site build."""
    from blina_analysis.publish.cache_key import site_key
    from blina_analysis.publish.editions import EDITION_ENV, EditionOptions

    root = Path(__file__).resolve().parent.parent
    data = root / "data" / "synthetic"
    monkeypatch.delenv(EDITION_ENV, raising=False)
    plain = site_key(root, data, "abc", 0, None)
    monkeypatch.setenv(EDITION_ENV, EditionOptions(versioned=True, site_url="https://x/",
                                                   pdf=True).to_env())
    assert site_key(root, data, "abc", 0, None) != plain


def test_the_three_downloads_of_a_figure_show_the_same_area():
    """One layout of the figure for every format: the SVG and PDF pages are the 300-dpi PNG's
    frame (to the pixel), as ``savefig(bbox_inches="tight")`` would cut the PNG."""
    import io
    import re

    import matplotlib.pyplot as plt
    from PIL import Image

    from blina_analysis.report.figures import figure_bytes, house_style

    with house_style():
        fig, ax = plt.subplots(figsize=(5, 3))
    ax.plot([0, 24], [1, 0.4], label="a long legend label that widens the tight box")
    ax.set_xlabel("Months since the first infusion")
    ax.legend(loc="upper left", bbox_to_anchor=(0.6, 1.2))
    glued = GluedFigure(fig, "a line", name="fig-line")
    plt.close(fig)
    png = Image.open(io.BytesIO(glued.files["png"]))
    width_pt, height_pt = (float(v) for v in re.search(
        rb'<svg[^>]*width="([\d.]+)pt" height="([\d.]+)pt"', glued.files["svg"]).groups())
    media = [float(v) for v in re.search(rb"/MediaBox \[([^\]]+)\]",
                                         glued.files["pdf"]).group(1).split()]
    pixel = 72 / GluedFigure.DOWNLOAD_DPI  # one pixel of the PNG download, in points
    assert abs(png.width * pixel - width_pt) <= pixel
    assert abs(png.height * pixel - height_pt) <= pixel
    assert media[2:] == pytest.approx([width_pt, height_pt], abs=0.01)
    # and the PNG is the one savefig(bbox_inches="tight") writes on its own
    assert glued.files["png"] == figure_bytes(fig, "png", dpi=GluedFigure.DOWNLOAD_DPI)
