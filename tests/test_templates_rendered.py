"""A rendered record reads as a record, not as a blank form: an empty field shows a short
"Not recorded" (the field's description is guidance, for blank forms only), and the audit
form's evidence reads as a sentence, without JSON pointers or character offsets, which
are kept as hidden text only so that `extract` gives the record back. (New-user report,
item 6.)"""
from __future__ import annotations

import copy
import json

from permanence.forms.load import Record, load_record
from permanence.templates.blank import write_blank
from permanence.templates.build import ACTION_PLACEHOLDER, NOT_RECORDED
from permanence.templates.extract import extract_record
from permanence.templates.layout import index
from permanence.templates.render import render_record
from templates_support import CASES, EXAMPLES, W, read_document, type_into, write_document

HARPER_PPM = EXAMPLES / "caseload" / "C1010-harper-quinn" / "ppm-2026-10-09.json"


def visible_text(path) -> str:
    """The words on the page: every run's text except hidden text (w:vanish)."""
    root = read_document(path)
    out = []
    for p in root.iter(W + "p"):
        out.append("".join(t.text or "" for run in p.iter(W + "r") if run.find(f"{W}rPr/{W}vanish") is None
                           for t in run.iter(W + "t")))
    return " ".join(" ".join(out).split())


def hidden_text(path) -> str:
    root = read_document(path)
    return "".join(t.text or "" for run in root.iter(W + "r") if run.find(f"{W}rPr/{W}vanish") is not None
                   for t in run.iter(W + "t"))


def test_rendered_ppm_shows_not_recorded_instead_of_guidance(tmp_path):
    record = load_record(HARPER_PPM)
    assert "age_stated" not in record.data["child"] and "date_became_looked_after" not in record.data["child"]
    out = render_record(record, tmp_path / "p.docx")
    text = visible_text(out)
    nodes = index("ppm-record")
    for key in ("age_stated", "date_became_looked_after", "date_long_term_matched", "statutory_visit_frequency"):
        assert nodes[("child", key)].description not in text, key
    assert "Choose:" not in text
    assert NOT_RECORDED in text
    assert extract_record(out).data == record.data  # still controls that read back as absent

    blank = write_blank("ppm-record", tmp_path / "b.docx")
    blank_text = visible_text(blank)
    assert nodes[("child", "age_stated")].description in blank_text  # a blank form keeps its guidance
    assert NOT_RECORDED not in blank_text


def test_typed_not_recorded_is_a_value(tmp_path):
    """The words "Not recorded" typed by a user are kept; only the grey placeholder reads as empty."""
    record = load_record(HARPER_PPM)
    out = render_record(record, tmp_path / "p.docx")
    root = read_document(out)
    for sdt in root.iter(W + "sdt"):
        tag = sdt.find(f"{W}sdtPr/{W}tag")
        if tag is not None and tag.get(W + "val") == "/child/statutory_visit_frequency":
            type_into(sdt, NOT_RECORDED)
    edited = tmp_path / "e.docx"
    write_document(out, edited, root)
    assert extract_record(edited).data["child"]["statutory_visit_frequency"] == NOT_RECORDED


def _audit(tmp_path, data):
    out = render_record(Record("cpr-audit", data, str(tmp_path / "a.json")), tmp_path / "a.docx", force=True)
    return out, visible_text(out)


def _first_audit() -> dict:
    return json.loads((CASES / "full-cpr-audit.json").read_text("utf-8"))


def test_audit_evidence_reads_as_a_sentence(tmp_path):
    data = _first_audit()
    data.pop("previous_audit_date", None)
    for entry in data["items"]:
        entry.pop("since_previous", None)
    entry = data["items"][0]
    entry["evidence"] = [
        {"section": "The child", "field": "The child: Personality and social development", "pointer": "/child/personality",
         "excerpt": "Jaden", "start": 122, "end": 127},
        {"section": "Siblings", "field": "Siblings, item 2", "pointer": "/siblings/1"},
        {"section": "Chronologies", "field": "Date", "pointer": "/chronologies/child/3/date", "excerpt": "2025-08-14"},
    ]
    entry.pop("actions")
    out, text = _audit(tmp_path, data)
    assert "Evidence: The child: Personality and social development: \u201cJaden\u201d" in text
    assert "Evidence: Siblings, item 2 " in text + " " and "Siblings, item 2 (" not in text
    assert "Evidence: Date (Chronologies): \u201c2025-08-14\u201d" in text  # the section, when the label does not name it
    for hidden in ("/child/personality", "/siblings/1", "characters", "122", "127", "Character offset", "The words found"):
        assert hidden not in text, hidden
    assert "/child/personality" in hidden_text(out)  # kept, hidden, for extract
    assert "Since previous audit" not in text and "Choose" not in text  # not a re-audit
    assert ACTION_PLACEHOLDER not in text
    checklist = text[text.index("Comments / actions required"):text.index("Proofreading")]
    assert NOT_RECORDED not in checklist  # the checklist leaves out what an item does not have
    assert extract_record(out).data == data


def test_audit_item_without_actions_shows_no_actions_heading(tmp_path):
    data = _first_audit()
    for entry in data["items"]:
        entry.pop("actions", None)
    out, text = _audit(tmp_path, data)
    assert "Actions required" not in text and ACTION_PLACEHOLDER not in text
    back = extract_record(out).data
    assert back == data and all("actions" not in entry for entry in back["items"])
    data["items"][0]["actions"] = []  # an empty list the record holds stays an empty list
    out, text = _audit(tmp_path, copy.deepcopy(data))
    assert extract_record(out).data == data


def test_reaudit_shows_since_previous(tmp_path):
    data = _first_audit()
    data["items"][0]["since_previous"] = "resolved"
    data["items"][1].pop("since_previous", None)
    out, text = _audit(tmp_path, data)
    assert "Since previous audit: Resolved" in text
    assert text.count("Since previous audit:") == sum(1 for e in data["items"] if "since_previous" in e)
    assert extract_record(out).data == data


def test_blank_audit_form_keeps_every_field_with_its_guidance(tmp_path):
    text = visible_text(write_blank("cpr-audit", tmp_path / "b.docx"))
    assert "Since previous audit:" in text and "Actions required:" in text and ACTION_PLACEHOLDER in text
    assert "The words found." in text and "Evidence:" in text


# -- no internal words on the page (issue 10) -------------------------------------------

import re  # noqa: E402

import pytest  # noqa: E402

from templates_support import record_files, render_example  # noqa: E402

_EXAMPLE_RECORDS = [p for p in record_files() if "caseload" in p.parts]
_POINTER = re.compile(r"(?<![\w.'])/(?:[a-z_]+)(?:/[a-z0-9_]+)+")  # /attendees/2/report_received


@pytest.mark.parametrize("path", _EXAMPLE_RECORDS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_no_rendered_example_shows_seed_or_a_json_pointer(tmp_path, path):
    """What a person reads in a rendered example: no 'seed 003' (the procedure is named by
    its own title), no JSON pointer, no 'About this form' block (the form and version are
    one line at the end), and every empty field reads 'Not recorded'."""
    out, _ = render_example(load_record(path), tmp_path / "doc.docx")
    text = visible_text(out)
    assert "seed " not in text.lower()
    assert not _POINTER.search(text), _POINTER.search(text).group(0)
    assert "About this form" not in text
    form = json.loads(path.read_text("utf-8"))["form"]
    assert text.rstrip().endswith(f"Form {form}, version 1.0") or f"Form {form}, version" in text


def test_an_answer_written_empty_reads_not_recorded_and_comes_back_empty(tmp_path):
    """Oscar's CPR has an Identity needs written as "": the page says Not recorded (it used
    to show nothing), and extract gives back the empty answer."""
    path = EXAMPLES / "caseload" / "C1012-oscar-bennett" / "cpr.json"
    record = load_record(path)
    assert record.data["child"]["identity_analysis"] == ""
    out, _ = render_example(record, tmp_path / "cpr.docx")
    text = visible_text(out)
    assert "Identity needs Not recorded" in text
    assert extract_record(out).data["child"]["identity_analysis"] == ""


def test_attendance_table_headings_never_break_inside_a_word():
    """Each column of a table is at least as wide as the longest word of its heading
    (Arial Bold at the heading's size, within the cell's margins), and the narrow
    columns carry short headings; the widths fill the text width."""
    from permanence.templates.build import TEXT_WIDTH
    from permanence.templates.columns import CELL_MARGIN, column_label, column_widths, word_width
    from permanence.templates.layout import Arr, form_layout, template_forms, walk

    for form in template_forms():
        for node in walk(form_layout(form)):
            if isinstance(node, Arr) and node.style == "table":
                widths = column_widths(node.item.children, TEXT_WIDTH)
                assert sum(widths) == TEXT_WIDTH
                for leaf, width in zip(node.item.children, widths):
                    longest = max(word_width(w) for w in column_label(leaf).split())
                    assert longest + 2 * CELL_MARGIN <= width, (form, node.key, column_label(leaf), width)
    attendees = index("ppm-record")[("attendees",)]
    assert [column_label(c) for c in attendees.item.children][5:7] == ["Apologies", "Report due"]


def test_blank_forms_show_no_seed_either(tmp_path):
    """A blank form's guidance is the schema's descriptions: they name no 'seed 003'."""
    from permanence.templates.layout import template_forms

    for form in template_forms():
        text = visible_text(write_blank(form, tmp_path / f"{form}.docx"))
        assert "seed " not in text.lower(), form
        assert f"Form {form}, version" not in text or "About this form" not in text
