"""Render -> extract gives back the same record, for every record with a Word form
(the examples, read at run time, and tests/cases/templates), and user text stays text."""
from __future__ import annotations

import copy
import json
import zipfile

import pytest

from permanence.forms.load import Record, load_record
from permanence.templates.extract import extract_record
from permanence.templates.render import render_record
from templates_support import CASES, record_files, render_example

RECORDS = record_files()


def test_every_form_has_own_cases():
    forms = {json.loads(p.read_text("utf-8"))["form"] for p in CASES.glob("*.json")}
    assert forms == {"ppm-record", "panel-referral", "gateway-referral", "cpr", "cpr-audit"}


@pytest.mark.parametrize("path", RECORDS, ids=lambda p: str(p.relative_to(p.parents[2])))
def test_round_trip(path, tmp_path):
    record = load_record(path)
    before = path.read_bytes()
    out, _ = render_example(record, tmp_path / "out.docx")
    assert path.read_bytes() == before  # the input is never modified
    back = extract_record(out)
    assert back.form == record.form
    assert back.data == record.data


def test_origin_points_at_the_control(tmp_path):
    record = load_record(CASES / "full-ppm-record.json")
    back = extract_record(render_record(record, tmp_path / "o.docx"))
    assert back.origin["/child/name"] == "/child/name"
    assert back.origin["/attendees/1/role"] == "/attendees/1/role"
    assert back.path == str(tmp_path / "o.docx")


def _document_text(path) -> str:
    with zipfile.ZipFile(path) as z:
        return z.read("word/document.xml").decode("utf-8")


def test_user_text_is_never_template_code(tmp_path):
    data = copy.deepcopy(json.loads((CASES / "full-panel-referral.json").read_text("utf-8")))
    hostile = "{{ 7*7 }} {% for x in range(3) %}loop{% endfor %} {{ doc }} {_{ raw }_} </w:t><w:p> A & B <c> 'q' \"d\""
    data["summary"] = hostile
    data["child"]["name"] = "Ava {{ child }} & <Thompson>"
    out = render_record(Record("panel-referral", data, "x.json"), tmp_path / "h.docx")
    back = extract_record(out).data
    assert back["summary"] == hostile
    assert back["child"]["name"] == "Ava {{ child }} & <Thompson>"
    xml = _document_text(out)
    assert "49" not in xml.split("{{ 7*7 }}")[0][-5:]  # not evaluated
    assert "looploop" not in xml


def test_forbidden_characters_are_dropped_and_line_breaks_kept(tmp_path):
    data = json.loads((CASES / "full-panel-referral.json").read_text("utf-8"))
    data["summary"] = "First\x01 paragraph\x0b\x0c\x07.\r\nSecond\rThird\n\nFifth\tafter tab"
    data["best_interests"] = "\ufffe"  # nothing left once cleaned: the field is empty
    out = render_record(Record("panel-referral", data, "x.json"), tmp_path / "c.docx")
    back = extract_record(out).data
    assert back["summary"] == "First paragraph.\nSecond\nThird\n\nFifth\tafter tab"
    assert "best_interests" not in back
    xml = _document_text(out)
    assert "\x01" not in xml and "\x0b" not in xml


def test_enumerations_and_booleans_read_as_labels(tmp_path):
    record = load_record(CASES / "full-ppm-record.json")
    out = render_record(record, tmp_path / "l.docx")
    xml = _document_text(out)
    assert "Allocated social worker" in xml or "Chair" in xml
    assert ">Yes<" in xml and ">No<" in xml
    assert "interim_care_order" not in xml.replace('w:value="interim_care_order"', "")


def test_refuses_to_overwrite_without_force(tmp_path):
    from permanence.findings import UserError

    record = load_record(CASES / "full-ppm-record.json")
    target = tmp_path / "x.docx"
    target.write_bytes(b"keep me")
    with pytest.raises(UserError, match="already exists"):
        render_record(record, target)
    assert target.read_bytes() == b"keep me"
    render_record(record, target, force=True)
    assert extract_record(target).data == record.data
    assert [p.name for p in tmp_path.iterdir()] == ["x.docx"]  # no temporary file left


def test_empty_lists_read_back_as_empty(tmp_path):
    """A list the record says is empty shows "None." and reads back as []; a list left
    out shows one empty entry to fill in and reads back as left out."""
    cpr = json.loads((CASES / "full-cpr.json").read_text("utf-8"))
    cpr["siblings"] = []  # shown as sections
    cpr["chronologies"]["agency_actions"] = []  # a table
    cpr["genogram"]["people"] = []  # a bulleted list
    cpr["report"]["not_applicable"] = []
    del cpr["other_relatives"]
    out = render_record(Record("cpr", cpr, "x.json"), tmp_path / "e.docx")
    back = extract_record(out).data
    assert back == cpr
    assert "None." in _document_text(out)
    panel = json.loads((CASES / "full-panel-referral.json").read_text("utf-8"))
    panel["previous_panel_dates"] = []
    back = extract_record(render_record(Record("panel-referral", panel, "x.json"), tmp_path / "p.docx")).data
    assert back["previous_panel_dates"] == []
