"""Blank forms: every field a content control; filled in as a user would in Word
(typing into controls, inserting table rows, copying repeating items), they read back
into a record that validates."""
from __future__ import annotations

import datetime as dt
import json

import pytest

from permanence.forms.validate import make_context, schema_findings, validate_record
from permanence.forms.load import Record
from permanence.templates.blank import blank_record, write_blank
from permanence.templates.extract import extract_record
from permanence.templates.layout import Leaf, form_layout, template_forms, walk
from templates_support import CASES, W, WordUser, read_document, record_files, write_document

FORMS = template_forms()


@pytest.mark.parametrize("form", FORMS)
def test_blank_form_has_a_control_for_every_field(form, tmp_path):
    path = write_blank(form, tmp_path / f"{form}.docx")
    root = read_document(path)
    controls = {}
    for sdt in root.iter(W + "sdt"):
        props = sdt.find(W + "sdtPr")
        tag = props.find(W + "tag")
        if tag is not None:
            controls[tag.get(W + "val")] = props
    assert not list(root.iter(W + "dataBinding"))
    for leaf in (n for n in walk(form_layout(form)) if isinstance(n, Leaf)):
        pointer = "".join("/" + ("0" if p == "*" else p) for p in leaf.path)
        assert pointer in controls, f"no control for {pointer}"
        props = controls[pointer]
        assert props.find(W + "alias").get(W + "val") == leaf.title
        if leaf.kind != "const" and pointer != "/version":
            assert props.find(W + "showingPlcHdr") is not None  # empty, showing its description
    text = "".join(t.text or "" for t in root.iter(W + "t"))
    some = next(n for n in walk(form_layout(form)) if isinstance(n, Leaf) and n.kind == "text")
    assert some.description in text


@pytest.mark.parametrize("form", FORMS)
def test_blank_form_reads_back_empty(form, tmp_path):
    back = extract_record(write_blank(form, tmp_path / "b.docx"))
    assert back.data["form"] == form and back.data["version"] == "1.0"
    rest = {k: v for k, v in back.data.items() if k not in ("form", "version")}
    assert not _has_value(rest)  # only the empty groups and lists a form requires


def _has_value(node) -> bool:
    if isinstance(node, dict):
        return any(_has_value(v) for v in node.values())
    if isinstance(node, list):
        return any(_has_value(v) for v in node) or False
    return True


@pytest.mark.parametrize("form", FORMS)
def test_blank_filled_in_word_reads_back(form, tmp_path):
    """Every field of the full test record, typed into the blank form."""
    record = json.loads((CASES / f"full-{form}.json").read_text("utf-8"))
    blank = write_blank(form, tmp_path / "blank.docx")
    root = read_document(blank)
    WordUser(form, record).fill(root)
    filled = tmp_path / "filled.docx"
    write_document(blank, filled, root)
    back = extract_record(filled)
    assert back.data == record
    assert schema_findings(back) == []


def _valid_example(form):
    ctx = make_context("warrington" if _has_profile("warrington") else "england", dt.date(2026, 11, 23))
    for path in record_files():
        data = json.loads(path.read_text("utf-8"))
        if data.get("form") == form and "cases" not in path.parts:
            record = Record(form, data, str(path))
            if not [f for f in validate_record(record, ctx) if f.severity.value == "error"]:
                return record, ctx
    return None, ctx


def _has_profile(name):
    from permanence.forms.profiles import available_profiles

    return name in available_profiles()


@pytest.mark.parametrize("form", ["ppm-record", "panel-referral", "gateway-referral", "cpr"])
def test_blank_filled_from_an_example_validates(form, tmp_path):
    record, ctx = _valid_example(form)
    if record is None:
        pytest.skip(f"no valid {form} example yet")
    blank = write_blank(form, tmp_path / "blank.docx")
    root = read_document(blank)
    WordUser(form, record.data).fill(root)
    filled = tmp_path / "filled.docx"
    write_document(blank, filled, root)
    back = extract_record(filled)
    assert back.data == record.data
    assert [f for f in validate_record(back, ctx) if f.severity.value == "error"] == []


def test_user_edits_in_word_are_what_extract_returns(tmp_path):
    """Change a value, delete a row and add one: extraction reads the page."""
    from permanence.templates.render import render_record

    record = json.loads((CASES / "full-ppm-record.json").read_text("utf-8"))
    out = render_record(Record("ppm-record", record, "x.json"), tmp_path / "r.docx")
    root = read_document(out)
    from templates_support import type_into

    rows_removed = 0
    for sdt in root.iter(W + "sdt"):
        tag = sdt.find(W + "sdtPr").find(W + "tag")
        if tag is None:
            continue
        if tag.get(W + "val") == "/child/name":
            type_into(sdt, "Ava Rose Thompson")
        if tag.get(W + "val") == "/decisions/0" and not rows_removed:
            victim = sdt
            rows_removed = 1
    victim.getparent().remove(victim)
    edited = tmp_path / "e.docx"
    write_document(out, edited, root)
    back = extract_record(edited).data
    assert back["child"]["name"] == "Ava Rose Thompson"
    assert back["decisions"] == record["decisions"][1:]


def test_blank_refuses_unknown_form():
    from permanence.findings import UserError

    with pytest.raises(UserError, match="has no Word template"):
        blank_record("case")
