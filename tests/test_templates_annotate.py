"""`permanence audit report.docx --annotate reviewed.docx` (permanence/templates/annotate.py):
the copy carries each No/Partial finding as a Word comment on its evidence, the original
is untouched, and LibreOffice opens the copy."""
from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import pytest

from permanence.templates.annotate import anchor_runs, initials_of

CORPUS = Path("/work/shared/corpus/cpr")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def run(*args):
    return subprocess.run([sys.executable, "-m", "permanence.cli", *map(str, args)], capture_output=True, text=True, timeout=300)


def anchored_texts(path: Path) -> dict[str, str]:
    """comment id -> the text between its range start and end."""
    body = docx.Document(str(path)).element.body
    active: set = set()
    texts: dict[str, str] = {}
    for el in body.iter():
        if el.tag == W + "commentRangeStart":
            active.add(el.get(W + "id"))
        elif el.tag == W + "commentRangeEnd":
            active.discard(el.get(W + "id"))
        elif el.tag == W + "t":
            for a in active:
                texts[a] = texts.get(a, "") + (el.text or "")
    return texts


def make_report(path: Path) -> Path:
    document = docx.Document()
    document.add_heading("Child's Permanence Report", 0)
    for heading, text in [
        ("Physical description", "Sam is a tall boy with curly red hair."),
        ("Health", "Sam's mother has poor mental health and there are historical concerns about drug use."),
        ("Education", "Sam attends Hilltop Primary School."),
        ("Personality and interests", "Sam enjoys football."),
        ("Identity and cultural needs", "Sam is White British."),
        ("Child's chronology", "14/02/2019: Sam born at the General Hospital (birth certificate)"),
        ("Agency chronology", "05/06/2021: child protection plan for neglect (conference minutes)"),
        ("Birth mother: Kelly Marsh", "Kelly is a liar and a druggie, according to her neighbours."),
        ("Recommendation", "I recommend adoption."),
    ]:
        document.add_heading(heading, 2)
        para = document.add_paragraph()
        half = len(text) // 2  # two runs, so the excerpt crosses a run boundary somewhere
        para.add_run(text[:half])
        para.add_run(text[half:]).italic = True
    document.save(path)
    return path


def test_comments_sit_on_the_evidence_and_the_original_is_unchanged(tmp_path):
    report = make_report(tmp_path / "report.docx")
    before = hashlib.sha256(report.read_bytes()).hexdigest()
    out = tmp_path / "reviewed.docx"
    proc = run("audit", report, "--annotate", out, "--auditor", "Sam Adviser", "--format", "json", "--as-of", "2026-12-01")
    assert proc.returncode in (0, 1), proc.stderr
    assert hashlib.sha256(report.read_bytes()).hexdigest() == before
    audit = json.loads(proc.stdout)
    flagged = [i for i in audit["items"] if i["answer"] in ("no", "partial") and i["id"] != "X1"]
    assert flagged
    comments = list(docx.Document(str(out)).comments)
    assert comments and all(c.author == "Sam Adviser" and c.initials == "SA" for c in comments)
    anchored = anchored_texts(out)
    # the words the checks found are what the comments cover
    excerpts = {ev["excerpt"] for i in flagged for ev in i.get("evidence", []) if ev.get("excerpt")}
    on_words = set(anchored.values()) & excerpts
    assert {"poor mental health", "historical concerns"} <= on_words, anchored
    # items with no place in the text are in one comment at the top
    top = [c for c in comments if c.text.startswith("Findings without one place")]
    assert len(top) == 1 and anchored[str(top[0].comment_id)].startswith("Child's Permanence Report")
    # OFFICIAL-SENSITIVE in the header, and no temporary file left behind
    assert "OFFICIAL-SENSITIVE" in docx.Document(str(out)).sections[0].header.paragraphs[0].text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.docx", "reviewed.docx"]


def test_annotate_refuses_to_overwrite_and_names_the_file(tmp_path):
    report = make_report(tmp_path / "report.docx")
    proc = run("audit", report, "--annotate", report)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and "--annotate" in proc.stderr
    (tmp_path / "exists.docx").write_bytes(b"x")
    proc = run("audit", report, "--annotate", tmp_path / "exists.docx")
    assert proc.returncode == 2 and "already exists" in proc.stderr
    proc = run("audit", report, "--annotate", tmp_path / "out.pdf")
    assert proc.returncode == 2 and "ending .docx" in proc.stderr


def test_anchor_splits_runs_at_the_excerpt():
    document = docx.Document()
    para = document.add_paragraph()
    para.add_run("There are historical ")
    para.add_run("concerns about drugs.")
    first, last = anchor_runs(para._p, 10, 29)
    texts = [r.text for r in para.runs]
    assert texts == ["There are ", "historical ", "concerns", " about drugs."]
    assert first is para.runs[1]._r and last is para.runs[2]._r
    assert initials_of("Sam Adviser") == "SA" and initials_of(None) == "PA"


@pytest.mark.skipif(not (CORPUS / "D10.docx").exists() or not shutil.which("soffice"), reason="needs the corpus and LibreOffice")
def test_annotated_corpus_report_opens_in_libreoffice(tmp_path):
    out = tmp_path / "D10-reviewed.docx"
    proc = run("audit", CORPUS / "D10.docx", "--annotate", out, "--auditor", "Sam Adviser", "--as-of", "2025-09-30")
    assert proc.returncode in (0, 1), proc.stderr
    comments = list(docx.Document(str(out)).comments)
    assert len(comments) >= 3
    anchored = anchored_texts(out)
    assert all(text.strip() for text in anchored.values())
    conv = subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(out)],
                          capture_output=True, text=True, timeout=240)
    pdf = tmp_path / "D10-reviewed.pdf"
    assert pdf.exists() and pdf.stat().st_size > 10_000, conv.stderr
