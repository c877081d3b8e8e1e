"""The audit reads like an adviser wrote it (issue 8 §5): names keep their capitals, the
outcome is given in sentences, plurals are written out, and neither the text report nor
the Word audit shows our shorthand for a procedure ("seed 003") or a JSON pointer; the
sources are in the Word audit's appendix and under -v. A Word audit's rows may break
across pages, and a typical audit is at most 6 pages (LibreOffice's PDF of it)."""
from __future__ import annotations

import datetime as dt
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from permanence.checks.audit import build_audit
from permanence.checks.outcome import decide
from permanence.checks import Result


def _pointers(audit) -> set[str]:
    """Every JSON pointer the audit's evidence holds (those nested at least two deep, which
    cannot be mistaken for ordinary words)."""
    return {ev["pointer"] for i in audit["items"] for ev in i.get("evidence", []) if ev.get("pointer", "").count("/") >= 2}
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TYPICAL = ["C1001-ava-thompson", "C1011-isla-morgan", "C1013-freya-collins"]


def _audit(examples_dir, folder, as_of="2026-11-23"):
    cpr = json.loads((examples_dir / "caseload" / folder / "cpr.json").read_text("utf-8"))
    return cpr, build_audit(cpr, as_of=dt.date.fromisoformat(as_of))


def test_names_keep_their_capitals(examples_dir):
    cpr, audit = _audit(examples_dir, "C1012-oscar-bennett")
    cpr["birth_parents"][0]["wishes"] = {}
    cpr["birth_parents"][0]["support_offered"] = ""
    audit = build_audit(cpr, as_of=dt.date(2026, 11, 23))
    name = cpr["birth_parents"][0]["name"]
    texts = [i.get("comments", "") for i in audit["items"] if i["id"] in ("W3", "W6")]
    assert any(name in t for t in texts), texts
    assert not any(name.lower() in t for t in texts)


def test_outcome_reason_is_sentences_not_a_list_of_codes():
    results = {cid: Result("yes") for cid in ("G2", "G7", "G8", "G9", "G10")}
    results.update(G2=Result("no"), G7=Result("no"), G9=Result("partial"), G10=Result("review"))
    outcome, reason = decide(results)
    assert outcome == "requires_significant_improvement"
    assert reason.startswith("The author's qualification (G2) is answered No, and a report cannot support an adoption decision without it.")
    assert "Also answered No: the spelling of names (G7)." in reason and "Partly met: generalisations (G9)." in reason
    assert "No:" not in reason.split("Also")[0]  # not "No: G2, G7; Partial: G9"


def test_text_report_without_shorthand_pointers_or_plural_brackets(cli, examples_dir):
    pointers = _pointers(_audit(examples_dir, "C1012-oscar-bennett")[1])
    assert len(pointers) > 20
    for args in ([], ["-v"]):
        out = cli(args + ["audit", examples_dir / "caseload" / "C1012-oscar-bennett" / "cpr.json", "--as-of", "2026-11-23"]).stdout
        assert "seed 0" not in out and "(s)" not in out and "time(s)" not in out
        assert not [p for p in pointers if p in out]
    assert "Source: Warrington, Securing Permanence (2019, reviewed 2023) App. 8 audit form" in out  # -v, by the document's title


def _visible_text(docx_path) -> str:
    """The text Word shows and prints: hidden runs (w:vanish) left out."""
    from lxml import etree

    root = etree.fromstring(zipfile.ZipFile(docx_path).read("word/document.xml"))
    out = []
    for run in root.iter(W + "r"):
        rpr = run.find(W + "rPr")
        if rpr is not None and rpr.find(W + "vanish") is not None:
            continue
        out.append("".join(t.text or "" for t in run.iter(W + "t")))
    return " ".join(out)


def test_word_audit_rows_break_and_sources_are_in_an_appendix(cli, examples_dir, tmp_path):
    out = tmp_path / "audit.docx"
    cli(["audit", examples_dir / "caseload" / "C1012-oscar-bennett" / "cpr.json", "--as-of", "2026-11-23", "--output", out])
    xml = zipfile.ZipFile(out).read("word/document.xml").decode("utf-8")
    start = xml.index("Comments / actions required")
    checklist = xml[start:xml.index("</w:tbl>", start)]
    assert checklist.count("</w:tr>") > 30
    assert "<w:cantSplit/>" not in checklist.split("</w:tr>", 1)[1]  # only the repeated header row keeps together
    text = _visible_text(out)
    assert "seed 0" not in text and not [p for p in _pointers(_audit(examples_dir, "C1012-oscar-bennett")[1]) if p in text]
    assert "Guidance: " not in text  # each row's guidance is hidden text; the appendix lists the sources
    appendix = text[text.index("Appendix: sources of the checklist"):]
    assert "Warrington, Securing Permanence (2019, reviewed 2023)" in appendix and "Restriction on the Preparation of Adoption Reports" in appendix
    # The hidden guidance is still read back, so a Word audit can be given as --previous.
    data = json.loads(cli(["extract", out]).stdout)
    assert data["items"][1]["source"].startswith("Restriction on the Preparation of Adoption Reports Regulations 2005")


@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdfinfo")), reason="LibreOffice and poppler-utils are needed")
def test_a_typical_word_audit_is_at_most_six_pages(cli, examples_dir, tmp_path):
    for folder in TYPICAL:
        cli(["audit", examples_dir / "caseload" / folder / "cpr.json", "--as-of", "2026-11-23", "--output", tmp_path / f"{folder}.docx"])
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path)]
                   + [str(tmp_path / f"{f}.docx") for f in TYPICAL], capture_output=True, timeout=300, check=True)
    for folder in TYPICAL:
        info = subprocess.run(["pdfinfo", str(tmp_path / f"{folder}.pdf")], capture_output=True, text=True, check=True).stdout
        pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
        assert 1 <= pages <= 6, f"{folder}: {pages} pages"


def test_a_long_excerpt_is_shortened_on_the_page_and_kept_whole(cli, examples_dir, tmp_path):
    """An excerpt of a paragraph is cut at a word with an ellipsis in the Word audit; the
    rest is hidden text in the same control, so extract (and --previous) read it whole."""
    audit = json.loads(cli(["audit", examples_dir / "caseload" / "C1012-oscar-bennett" / "cpr.json",
                            "--as-of", "2026-11-23", "--format", "json"]).stdout)
    long = ("During the summer holidays the family moved twice, first to a flat above the shop on the "
            "high street and then to a caravan at the edge of town, and the school was not told of either move.")
    item = next(i for i in audit["items"] if i.get("evidence"))
    item["evidence"][0]["excerpt"] = long
    src = tmp_path / "audit.json"
    src.write_text(json.dumps(audit), "utf-8")
    out = tmp_path / "audit.docx"
    cli(["render", src, "-o", out, "--draft"])
    text = _visible_text(out)
    assert "first to a flat above the shop" in text
    assert "school was not told of either move" not in text
    shown = text[text.index("During the summer holidays"):]
    assert re.match(r"During the summer holidays[^\u201d]{20,100}\u2026\s*\u201d", shown), shown[:140]
    back = json.loads(cli(["extract", out]).stdout)
    assert back["items"][audit["items"].index(item)]["evidence"][0]["excerpt"] == long


CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "cpr"
if not CORPUS.is_dir():
    CORPUS = Path("/work/shared/corpus/cpr")


@pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdfinfo") and (CORPUS / "D02.docx").is_file()),
                    reason="LibreOffice, poppler-utils and the shared corpus are needed")
def test_the_word_audit_of_a_long_word_report_is_at_most_six_pages(cli, tmp_path):
    """D02 (development half) gives the longest Word audit of the corpus: many findings
    with evidence, a long outcome reason, the full appendix of sources."""
    out = tmp_path / "D02-audit.docx"
    cli(["audit", CORPUS / "D02.docx", "--as-of", "2026-11-23", "--output", out])
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path / 'lo'}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(out)], capture_output=True, timeout=300, check=True)
    info = subprocess.run(["pdfinfo", str(out.with_suffix(".pdf"))], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))
    assert 4 <= pages <= 6, f"{pages} pages"
