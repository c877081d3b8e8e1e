"""`permanence tracker --ssda903`: a tracker built from the shared fake SSDA903 return
(with the example caseload) opens in LibreOffice; its main sheet prints the reason for
each computed RAG, and the Summary prints legibly on A4 (its words as tall as the main
sheet's, not shrunk to fit a long source column)."""
from __future__ import annotations

import re
import shutil
import statistics
import subprocess
from pathlib import Path

import pytest

SAMPLE = Path("/work/shared/ssda903-sample")
XML = SAMPLE / "fake_903.xml"

pytestmark = [pytest.mark.skipif(not XML.exists(), reason="the shared SSDA903 sample is not on this machine"),
              pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")), reason="LibreOffice or poppler missing")]


def _word_heights(pdf: Path, page: int) -> list[float]:
    html = subprocess.run(["pdftotext", "-bbox", "-f", str(page), "-l", str(page), str(pdf), "-"],
                          capture_output=True, text=True, timeout=60).stdout
    return [float(b) - float(a) for a, b in re.findall(r'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)"', html)]


def test_tracker_from_the_return_opens_in_libreoffice_and_prints_its_reasons(tmp_path, cli, examples_dir):
    out = tmp_path / "tracker.xlsx"
    result = cli(["tracker", str(examples_dir / "caseload"), "--ssda903", str(XML), "--profile", "warrington",
                  "--as-of", "2026-11-23", "-o", str(out)])
    assert result.exit_code == 1 and "data-quality findings in the SSDA903 return" in result.output  # the sample has some
    assert "267 children" in result.output  # 14 in the caseload, 253 in the return
    lo = tmp_path / "lo"
    run = subprocess.run(["soffice", f"-env:UserInstallation={lo.as_uri()}", "--headless", "--norestore", "--convert-to", "pdf",
                          "--outdir", str(tmp_path), str(out)], capture_output=True, text=True, timeout=300)
    pdf = tmp_path / "tracker.pdf"
    assert run.returncode == 0 and pdf.exists(), run.stderr
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, timeout=60).stdout
    pages = text.split("\f")
    first = pages[0]
    assert "Why (computed RAG)" in first and "overdue since" in first and "Actions" in first
    assert "Err:" not in text and "#NAME?" not in text
    summary = [i for i, p in enumerate(pages, 1) if "Everything overdue, oldest first" in p or "Children by RAG" in p]
    assert summary
    main_height = statistics.median(_word_heights(pdf, 1))
    summary_height = statistics.median(_word_heights(pdf, summary[0]))
    assert summary_height >= 0.9 * main_height and summary_height > 6, (summary_height, main_height)
    overdue_page = next(i for i, p in enumerate(pages, 1) if "What is due" in p and "Days" in p)
    assert statistics.median(_word_heights(pdf, overdue_page)) > 6
    assert "seed 003" not in pages[overdue_page - 1]  # sources cited by their own title
