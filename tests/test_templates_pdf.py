"""Every record with a Word form renders, opens in LibreOffice (headless) and converts to
PDF without errors, and its key values are in the PDF's text. One soffice call for all."""
from __future__ import annotations

import re
import shutil
import subprocess
import zipfile

import pytest

from permanence.forms.load import load_record
from permanence.templates.layout import index
from permanence.templates.render import display, render_record
from templates_support import CASES, png_bytes, record_files, render_example

pytestmark = pytest.mark.skipif(not (shutil.which("soffice") and shutil.which("pdftotext")),
                                reason="LibreOffice and poppler-utils are needed")


def expected_values(record) -> list[str]:
    """Child's name, dates, plans and table rows, as the page shows them."""
    data, form = record.data, record.form
    nodes = index(form)
    values = []

    def shown(path, value):
        return display(nodes[path], value)

    if form in ("ppm-record", "panel-referral"):
        values.append(data["child"]["name"])
        values.append(shown(("child", "date_of_birth"), data["child"]["date_of_birth"]))
        plan = data["primary_plan"] if form == "ppm-record" else data["current_plan"]["primary_plan"]
        root = ("primary_plan",) if form == "ppm-record" else ("current_plan", "primary_plan")
        values.append(shown(root + ("option",), plan["option"]))
    if form == "ppm-record":
        values.append(shown(("meeting", "date"), data["meeting"]["date"]))
        values += [a["name"] for a in data.get("attendees", [])]
        values += [shown(("decisions", "*", "target_date"), d["target_date"]) for d in data.get("decisions", []) if "target_date" in d]
    if form == "panel-referral":
        values.append(shown(("panel_date",), data["panel_date"]))
        values += [shown(("reasons", "*"), r) for r in data["reasons"]]
    if form == "gateway-referral":
        values += [c["name"] for c in data["children"]]
        values += [p["name"] for p in data["family"]["parents"]]
        values.append(shown(("initial_plan", "option"), data["initial_plan"]["option"]))
        values.append(shown(("panel_date",), data["panel_date"]))
    if form == "cpr":
        values += [data["child"]["first_names"], data["child"]["surname"]]
        values.append(shown(("child", "date_of_birth"), data["child"]["date_of_birth"]))
        values += [p["name"] for p in data["birth_parents"]]
        values += [s["name"] for s in data["siblings"]]
        values += [shown(("chronologies", "child", "*", "date"), e["date"]) for e in data["chronologies"]["child"][:5]]
        values += [shown(("options_analysis", "*", "option"), o["option"]) for o in data["options_analysis"]]
    if form == "cpr-audit":
        values.append(data["header"]["child_name"])
        values.append(shown(("header", "audit_date"), data["header"]["audit_date"]))
        values += [i["id"] for i in data["items"]]
        values += ["Section / Issue", "Completed", "Comments / actions required"]
        values.append(shown(("outcome",), data["outcome"]))
    return values


def normalise(text: str) -> str:
    text = text.replace("\u00ad", "").replace("\u2010", "-")
    return re.sub(r"\s+", " ", text)


def test_every_record_converts_to_pdf_with_its_values(tmp_path):
    records, docs = [], []
    for i, path in enumerate(record_files()):
        record = load_record(path)
        out, _ = render_example(record, tmp_path / f"{i:03d}-{path.stem}.docx")
        records.append(record)
        docs.append(out)
    # a CPR with photographs next to it, one of them missing (rendered as a draft)
    photo_dir = tmp_path / "photo-case"
    photo_dir.mkdir()
    (photo_dir / "ava.png").write_bytes(png_bytes())
    cpr = load_record(CASES / "full-cpr.json")
    cpr.data["photographs"][0]["file"] = "ava.png"
    cpr.data["photographs"][1]["file"] = "missing.png"
    cpr.path = str(photo_dir / "cpr.json")
    photo_doc = render_record(cpr, tmp_path / "999-photos.docx", draft=True)
    docs.append(photo_doc)
    records.append(None)

    pdf_dir = tmp_path / "pdf"
    profile = (tmp_path / "lo-profile").as_uri()
    run = subprocess.run(["soffice", f"-env:UserInstallation={profile}", "--headless", "--norestore",
                          "--convert-to", "pdf", "--outdir", str(pdf_dir)] + [str(d) for d in docs],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    assert "Error" not in run.stderr and "error" not in run.stdout.lower()
    for doc, record in zip(docs, records):
        pdf = pdf_dir / (doc.stem + ".pdf")
        assert pdf.is_file() and pdf.stat().st_size > 1000, f"{doc.name} did not convert"
        text = normalise(subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True, check=True).stdout)
        assert "OFFICIAL-SENSITIVE" in text
        assert re.search(r"Page 1 of \d+", text)
        if record is None:
            assert "DRAFT" in text and "Picture missing" in text
            continue
        for value in expected_values(record):
            assert normalise(value) in text, f"{doc.name}: '{value}' not in the PDF"
        # a rendered record prints no guidance as content, and no JSON pointers (hidden text)
        assert "Choose:" not in text and "An action, if one is needed" not in text, doc.name
        if record.form == "cpr-audit":
            assert "Character offset" not in text and "The words found" not in text, doc.name
            for entry in record.data["items"]:
                for evidence in entry.get("evidence", []):
                    if "pointer" in evidence:
                        assert f"({evidence['pointer']}," not in text and f"[pointer: {evidence['pointer']}" not in text, doc.name

    # the photograph is in the document, with its alternative text
    with zipfile.ZipFile(photo_doc) as z:
        names = z.namelist()
        xml = z.read("word/document.xml").decode("utf-8")
    assert any(n.startswith("word/media/") for n in names)
    assert 'descr="' in xml


def one_paragraph_list_items(form: str, data):
    """Items of lists of free text written as one paragraph each: a form that lost its
    tags is read by its paragraphs, and there a list item of two paragraphs reads as two
    items (the one thing that reading cannot tell apart)."""
    from permanence.templates.layout import Arr, form_layout, walk

    lists = {n.path for n in walk(form_layout(form)) if isinstance(n, Arr) and n.style == "list"}

    def fix(node, path):
        if isinstance(node, dict):
            return {k: fix(v, path + (k,)) for k, v in node.items()}
        if isinstance(node, list):
            if path in lists:
                return [v.replace("\n", " ") if isinstance(v, str) else v for v in node]
            return [fix(v, path + ("*",)) for v in node]
        return node

    return fix(data, ())


def test_forms_saved_by_libreoffice_read_back(tmp_path):
    """Opened and saved again by the LibreOffice installed here (one soffice call): each
    form, rendered or filled in, reads back as the same record. Where LibreOffice drops
    the controls' tags (7.4 does), the page is read by its headings and labels."""
    from permanence.templates.extract import extract_record

    sources, records = [], []
    (tmp_path / "in").mkdir()
    picked = {}
    for path in sorted(CASES.glob("full-*.json")) + record_files():
        record = load_record(path)
        key = (record.form, "cases" in path.parts)
        if key in picked:
            continue
        picked[key] = path
        record.data = one_paragraph_list_items(record.form, record.data)
        out, _ = render_example(record, tmp_path / "in" / f"{len(sources):02d}-{path.stem}.docx")
        sources.append(out)
        records.append(record)
    # and blank forms filled in (typed into, rows inserted, items copied) before saving
    from permanence.templates.blank import write_blank
    from templates_support import WordUser, read_document, write_document

    for form in ("ppm-record", "cpr", "cpr-audit"):
        record = load_record(CASES / f"full-{form}.json")
        record.data = one_paragraph_list_items(form, record.data)
        blank = write_blank(form, tmp_path / f"blank-{form}.docx")
        root = read_document(blank)
        WordUser(form, record.data).fill(root)
        filled = tmp_path / "in" / f"{len(sources):02d}-filled-{form}.docx"
        write_document(blank, filled, root)
        sources.append(filled)
        records.append(record)
    out_dir = tmp_path / "saved"
    run = subprocess.run(["soffice", f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}", "--headless", "--norestore",
                          "--convert-to", "docx:MS Word 2007 XML", "--outdir", str(out_dir)] + [str(p) for p in sources],
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    for source, record in zip(sources, records):
        back = extract_record(out_dir / source.name)
        assert back.data == record.data, source.name
