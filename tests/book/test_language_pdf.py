"""The Russian edition's PDF, printed from the Russian site of the shared build (``built_site``).

In a module of its own: Playwright's sync API runs one browser per thread at a time, and the
printer starts its own (the other language tests hold the module's ``browser``).
"""

from __future__ import annotations

import re

import pytest

from .conftest import ROOT


@pytest.mark.slow
def test_the_russian_site_prints_a_russian_pdf_whose_text_pdftotext_reads(built_site, tmp_path):
    """The Russian site's PDF (``OUT/ru/<pdf>``): title page in Russian, the Cyrillic text of the
    pages searchable (pdftotext reads it), dates as DD.MM.YYYY, the document tagged Russian."""
    import shutil
    import subprocess

    from blina_analysis.publish.pdf import make_pdf

    from .conftest import browser_unavailable, page_text

    if shutil.which("pdftotext") is None:
        browser_unavailable("no pdftotext (apt-get install poppler-utils)")
    html_dir, results = built_site
    site = tmp_path / "ru"
    shutil.copytree(html_dir / "ru", site)  # the print is written into the site it prints
    pdf = make_pdf(site, ROOT, echo=lambda *_: None, lang="ru")
    assert pdf.parent == site and not (site / "_print.html").exists()
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout
    flat = " ".join(text.split())
    ds = results["meta"]["dataset"]
    day, month, year = ds["cutoff_date"][8:10], ds["cutoff_date"][5:7], ds["cutoff_date"][:4]
    for expected in ("Блинатумомаб при В-ОЛЛ у взрослых", "«Живая» публикация, напечатанная",
                     "Издание", "Дата среза данных", f"{day}.{month}.{year}",
                     "Отпечаток данных (SHA-256)", ds["fingerprint"]):
        assert expected in flat, expected
    # the front page's Russian prose and its glued sentences, as the page shows them
    assert "Резюме" in flat and "Актуальность." in flat
    web = page_text(html_dir / "ru", "index.html")
    sentence = re.search(r"Актуальность\. (\S+ \S+ \S+ \S+)", web)[1]
    assert sentence in flat
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    assert int(re.search(r"Pages:\s+(\d+)", info.stdout)[1]) > 20
