"""`permanence validate` end to end: exit codes 0/1/2, the text and JSON reports, and bad
input of every kind answered with one plain line, never a traceback."""
from __future__ import annotations

import csv
import json

import pytest

from test_rules_cases import minimal

AS_OF = ["--as-of", "2026-11-23"]


def _write(tmp_path, name, content):
    path = tmp_path / name
    if isinstance(content, (dict, list)):
        content = json.dumps(content)
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def _no_traceback(result):
    assert "Traceback" not in result.output + result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_valid_record_passes_with_exit_0(cli, tmp_path):
    path = _write(tmp_path, "ppm.json", minimal("ppm-record"))
    result = cli(["validate", "--profile", "warrington", *AS_OF, path])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == f"{path} (Permanence Planning Meeting record): OK"
    assert "1 file checked: 1 passed, 0 with errors" in result.output


def test_findings_give_rule_label_pointer_and_what_to_do_with_exit_1(cli, tmp_path):
    doc = minimal("ppm-record")
    del doc["iro_consulted_date"]
    doc["contingency_plans"] = []
    path = _write(tmp_path, "ppm.json", doc)
    result = cli(["validate", "--profile", "warrington", *AS_OF, path])
    assert result.exit_code == 1
    out = result.output
    assert "  error   Date the IRO was consulted\n          Add the date the IRO was consulted." in out
    assert "  error   Contingency plans\n" in out
    assert "2 errors, 1 warning" in out  # and crisis-preparation: no plan left that has it
    # what a person reads: the field as the form labels it, no JSON pointer, no rule id, no "seed"
    assert "/iro_consulted_date" not in out and "iro-consulted-date" not in out and "seed " not in out
    # in the order of the form: the IRO's date (near the top) before the contingency plans
    assert out.index("Date the IRO was consulted") < out.index("Contingency plans")
    for verbose in (cli(["-v", "validate", "--profile", "warrington", *AS_OF, path]).output,
                    cli(["validate", "-v", "--profile", "warrington", *AS_OF, path]).output):  # -v after the command too
        flat = " ".join(verbose.split())
        assert "rule iro-consulted-date; source: Warrington, Securing Permanence (2019, reviewed 2023) App. 4 'Has the IRO been consulted?'" in flat
        assert "seed " not in verbose and "/iro_consulted_date" not in verbose


def test_schema_findings_speak_plain_english(cli, tmp_path):
    doc = minimal("ppm-record")
    del doc["meeting"]["chair"]
    doc["child"]["legal_status"] = "care-ordr"
    doc["child"]["age_stated"] = "ten"
    doc["child"]["date_of_birth"] = "2016-02-30"
    doc["colour"] = "blue"
    result = cli(["validate", *AS_OF, _write(tmp_path, "ppm.json", doc)])
    out = result.output
    assert result.exit_code == 1
    assert "  error   Meeting details: Chair\n" in out and "Add the chair: who chaired the meeting." in out
    assert "'care-ordr' is not one of the choices for Legal status. Did you mean 'care_order' (Care order)?" in " ".join(out.split())
    assert "Age should be a whole number, not 'ten'." in out
    assert "'2016-02-30' is not a real date: February 2016 has 29 days. Check the date, then write it as YYYY-MM-DD." in " ".join(out.split())
    assert "'colour' is not a field of this part of the form" in out
    assert "is a required property" not in out and "does not match" not in out


@pytest.mark.parametrize("name,content,says", [
    ("malformed.json", '{"form": "ppm-record",\n "version": }', "not valid JSON at line 2, column 13"),
    ("malformed.yaml", "form: ppm-record\nchild: [a, b\n", "not valid YAML at line 3, column 1"),
    ("empty.json", "", "the file is empty"),
    ("binary.json", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "this is a binary file"),
    ("deep.json", "[" * 100_000 + "]" * 100_000, "nested more than 64 levels deep"),
    ("unknown-form.json", '{"form": "care-plan", "version": "1.0"}', "unknown form 'care-plan'"),
    ("no-form.yaml", "version: '1.0'\nchild: {}\n", "does not say which form it is"),
    ("scalar.json", "42", "a record must be an object with named fields, not a int"),
], ids=lambda value: value if isinstance(value, str) and len(value) < 40 else "...")
def test_unreadable_files_get_one_line_and_exit_2(cli, tmp_path, name, content, says):
    path = _write(tmp_path, name, content)
    result = cli(["validate", *AS_OF, path])
    _no_traceback(result)
    assert result.exit_code == 2
    first, summary = result.output.splitlines()
    assert first.startswith(f"{path}: could not be checked: ") and says in first, first
    assert "1 could not be read" in summary


def test_a_huge_file_is_refused(cli, tmp_path, monkeypatch):
    from permanence.forms import load

    monkeypatch.setattr(load, "MAX_FILE_BYTES", 10_000)
    path = _write(tmp_path, "huge.json", {"form": "case", "notes": "x" * 20_000})
    result = cli(["validate", *AS_OF, path])
    assert result.exit_code == 2 and "larger than any form" in result.output
    _no_traceback(result)


def test_wrong_types_everywhere_are_findings_not_a_crash(cli, tmp_path):
    doc = {"form": "ppm-record", "version": 1, "meeting": [], "child": "Leo", "attendees": {"a": 1}, "decisions": "none",
           "views": [1, 2], "primary_plan": "adoption", "contingency_plans": "fostering", "next_ppm_date": 20261201}
    result = cli(["validate", "--profile", "south-east", *AS_OF, _write(tmp_path, "types.json", doc)])
    _no_traceback(result)
    assert result.exit_code == 1
    assert "should be" in result.output and "could not be checked (" not in result.output


@pytest.mark.parametrize("args,says", [
    (["--profile", "nowhere"], "unknown profile 'nowhere'. Known profiles: england, medway, south-east"),
    (["--as-of", "2026-13-01"], "Invalid value for '--as-of': '2026-13-01' is not a date. Write it as YYYY-MM-DD"),
    (["--as-of", "yesterday"], "'yesterday' is not a date"),
    (["--format", "xml"], "Invalid value for '--format'"),
])
def test_bad_options_are_one_line_on_stderr_and_exit_2(cli, tmp_path, args, says):
    path = _write(tmp_path, "ppm.json", minimal("ppm-record"))
    result = cli(["validate", *args, path])
    _no_traceback(result)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("permanence: ") and says in lines[0], result.stderr
    assert result.stdout == ""


def test_a_missing_path_or_an_empty_folder_exits_2(cli, tmp_path):
    result = cli(["validate", tmp_path / "nowhere.json"])
    assert result.exit_code == 2 and "no such file or folder" in result.stderr
    (tmp_path / "empty").mkdir()
    result = cli(["validate", tmp_path / "empty"])
    assert result.exit_code == 2 and "no records found" in result.stderr


def test_exit_code_is_the_worst_of_the_files(cli, tmp_path):
    good = _write(tmp_path, "a-good.json", minimal("case"))
    doc = minimal("case")
    doc["contingency_plans"] = []
    bad = _write(tmp_path, "b-bad.json", doc)
    assert cli(["validate", *AS_OF, good]).exit_code == 0
    assert cli(["validate", *AS_OF, good, bad]).exit_code == 1
    _write(tmp_path, "c-broken.json", "{")
    result = cli(["validate", *AS_OF, tmp_path])
    assert result.exit_code == 2
    assert "3 files checked: 1 passed, 1 with errors, 1 could not be read" in result.output


def test_warnings_alone_exit_0(cli, tmp_path):
    doc = minimal("ppm-record")
    doc["iro_consulted"] = False
    del doc["iro_consulted_date"]
    result = cli(["validate", "--profile", "warrington", *AS_OF, _write(tmp_path, "w.json", doc)])
    assert result.exit_code == 0
    assert "0 errors, 1 warning" in result.output and "warning IRO consulted" in result.output


def test_profile_from_the_environment(cli, tmp_path, monkeypatch):
    doc = minimal("ppm-record")
    del doc["attendees"][3]  # the supervising social worker: South East requires one, Warrington does not
    path = _write(tmp_path, "p.json", doc)
    monkeypatch.delenv("PERMANENCE_CONFIG", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PERMANENCE_PROFILE", "south-east")
    assert cli(["validate", *AS_OF, path]).exit_code == 1
    assert cli(["validate", "--profile", "warrington", *AS_OF, path]).exit_code == 0


def test_as_of_fixes_today(cli, tmp_path):
    path = _write(tmp_path, "p.json", minimal("ppm-record"))
    assert cli(["validate", "--profile", "warrington", "--as-of", "2026-11-01", path]).exit_code == 1  # meeting 10/11 is "future"
    assert cli(["validate", "--profile", "warrington", "--as-of", "2026-11-10", path]).exit_code == 0


REPORT_KEYS = {"report_version", "profile", "as_of", "files", "summary"}
FILE_KEYS = {"path", "form", "error", "valid", "findings"}
FINDING_KEYS = {"rule_id", "severity", "pointer", "label", "message", "source", "excerpt", "span"}
SUMMARY_KEYS = {"files", "valid", "invalid", "unreadable", "errors", "warnings"}


def test_json_report_shape_is_stable(cli, tmp_path):
    good = _write(tmp_path, "a.json", minimal("ppm-record"))
    doc = minimal("ppm-record")
    del doc["iro_consulted_date"]
    doc["iro_consulted"] = True
    doc["child"]["age_stated"] = 9
    bad = _write(tmp_path, "b.json", doc)
    broken = _write(tmp_path, "c.json", "[")
    result = cli(["validate", "--format", "json", "--profile", "warrington", *AS_OF, good, bad, broken])
    assert result.exit_code == 2
    report = json.loads(result.output)
    assert set(report) == REPORT_KEYS
    assert report["report_version"] == 1 and report["profile"] == "warrington" and report["as_of"] == "2026-11-23"
    assert [f["path"] for f in report["files"]] == [str(good), str(bad), str(broken)]
    for entry in report["files"]:
        assert set(entry) == FILE_KEYS
        for finding in entry["findings"]:
            assert set(finding) == FINDING_KEYS
            assert finding["severity"] in ("error", "warning")
            assert finding["pointer"] == "" or finding["pointer"].startswith("/")
    a, b, c = report["files"]
    assert a == {"path": str(good), "form": "ppm-record", "error": None, "valid": True, "findings": []}
    assert b["valid"] is False and b["error"] is None
    assert {f["rule_id"] for f in b["findings"]} == {"iro-consulted-date", "age-matches-date-of-birth"}
    age = next(f for f in b["findings"] if f["rule_id"] == "age-matches-date-of-birth")
    assert age["pointer"] == "/child/age_stated" and age["label"] == "Child or young person's details: Age"
    assert age["source"].startswith("Accuracy of records") and age["excerpt"] is None and age["span"] is None
    assert c["form"] is None and c["valid"] is False and c["findings"] == [] and "not valid JSON" in c["error"]
    assert report["summary"] == {"files": 3, "valid": 1, "invalid": 1, "unreadable": 1, "errors": 2, "warnings": 0}


def test_json_report_of_a_clean_run(cli, tmp_path):
    result = cli(["validate", "--format", "json", *AS_OF, _write(tmp_path, "a.json", minimal("case"))])
    assert result.exit_code == 0
    assert json.loads(result.output)["summary"] == {"files": 1, "valid": 1, "invalid": 0, "unreadable": 0, "errors": 0, "warnings": 0}


def test_the_input_file_is_never_changed(cli, tmp_path):
    path = _write(tmp_path, "p.json", {**minimal("ppm-record"), "contingency_plans": []})
    before = path.read_bytes()
    cli(["validate", *AS_OF, path])
    assert path.read_bytes() == before


# -- the bundled examples ---------------------------------------------------------------

def test_invalid_examples_fail_with_the_finding_their_name_describes(cli, examples_dir):
    expected = examples_dir / "invalid" / "expected.csv"
    if not expected.is_file():
        pytest.skip("examples/invalid/expected.csv is not written yet")
    with expected.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert len(rows) >= 12
    for row in rows:
        args = ["validate", "--format", "json", "--profile", row.get("profile") or "england",
                "--as-of", row.get("as_of") or "2026-11-23", examples_dir / "invalid" / row["file"]]
        result = cli(args)
        report = json.loads(result.output)
        found = {f["rule_id"] for f in report["files"][0]["findings"]}
        assert result.exit_code == (0 if row.get("severity") == "warning" else 1), (row, result.output[:500])
        assert row["rule_id"] in found, (row["file"], row["rule_id"], sorted(found))


def test_schema_messages_for_yes_no_questions_misspelt_fields_and_odd_types(cli, tmp_path):
    doc = minimal("ppm-record")
    del doc["attendees"][0]["invited"]
    doc["next_ppm_dte"] = doc.pop("next_ppm_date")
    doc["child"]["matched"] = None
    doc["child"]["age_stated"] = 30
    doc["meeting"]["date"] = "10/11/2026"
    result = cli(["validate", "--format", "json", *AS_OF, _write(tmp_path, "p.json", doc)])
    findings = json.loads(result.output)["files"][0]["findings"]
    by_pointer = {}
    for f in findings:
        by_pointer.setdefault(f["pointer"], []).append(f["message"])
    assert by_pointer["/attendees/0/invited"] == ["Answer 'Invited' (yes or no): Was the person invited?"]
    assert by_pointer[""] == ["'next_ppm_dte' is not a field of this part of the form (Permanence Planning Meeting record). Did you mean 'next_ppm_date'?"]
    assert by_pointer["/child/matched"] == ["Matched should be yes or no (true or false), not empty (null)."]
    assert by_pointer["/child/age_stated"] == ["Age is 30; it must be at most 25. Correct it."]
    assert by_pointer["/meeting/date"] == ["Write 10/11/2026 as 2026-11-10: a record's dates are written year-month-day."]


def test_the_example_caseload_has_no_errors(cli, examples_dir):
    """examples/CASELOAD.md: checked under the warrington profile, as of 2026-11-23."""
    caseload = examples_dir / "caseload"
    if not caseload.is_dir():
        pytest.skip("examples/caseload is not written yet")
    result = cli(["validate", "--format", "json", "--profile", "warrington", *AS_OF, caseload])
    report = json.loads(result.output)
    errors = [(f["path"], g["rule_id"], g["message"]) for f in report["files"] for g in f["findings"] if g["severity"] == "error"]
    unread = [(f["path"], f["error"]) for f in report["files"] if f["error"]]
    assert (errors, unread) == ([], [])
    assert result.exit_code == 0 and report["summary"]["files"] >= 40


@pytest.mark.parametrize("pointer,typed,code", [
    ("/child/legal_status", "ICO", "interim_care_order"),
    ("/child/legal_status", "S20", "section_20"),
    ("/child/legal_status", "s.20", "section_20"),
    ("/child/legal_status", "SGO", "special_guardianship_order"),
    ("/child/legal_status", "CAO", "child_arrangements_order"),
    ("/child/legal_status", "PO", "placement_order"),
    ("/child/legal_status", "SO", "supervision_order"),
    ("/child/legal_status", "CO", "care_order"),
    ("/child/legal_status", "EPO", "emergency_protection_order"),
    ("/child/legal_status", "Interim Care Order", "interim_care_order"),
    ("/child/placement_type", "PWP", "with_parents"),
    ("/child/placement_type", "FFA", "foster_for_adoption"),
    ("/child/placement_type", "LTF", "long_term_foster_care"),
    ("/primary_plan/option", "SGO", "special_guardianship"),
    ("/primary_plan/option", "LTF", "long_term_fostering"),
    ("/primary_plan/option", "FfA", "foster_for_adoption"),
    ("/primary_plan/option", "CAO", "child_arrangements_order"),
    ("/child/placement_type", "foster care", "foster_care"),
    ("/primary_plan/option", "Special guardianship order", "special_guardianship"),
])
def test_labels_and_everyday_abbreviations_are_read_as_the_code(cli, tmp_path, pointer, typed, code):
    """A choice written as its label or an everyday abbreviation in JSON or YAML is read as
    the code (the record passes), and validate says once which values it read that way."""
    doc = minimal("ppm-record")
    *parent, last = pointer.strip("/").split("/")
    node = doc
    for part in parent:
        node = node[part]
    node[last] = typed
    result = cli(["validate", *AS_OF, "--format", "json", _write(tmp_path, "ppm.json", doc)])
    findings = json.loads(result.output)["files"][0]["findings"]
    assert result.exit_code == 0, findings
    read = [f for f in findings if f["rule_id"] == "schema-choice-read"]
    assert len(read) == 1 and read[0]["severity"] == "warning", findings
    assert f"'{typed}'" in read[0]["message"] and f"('{code}')" in read[0]["message"]
    assert not [f for f in findings if f["rule_id"] == "schema-choice"], findings


def test_several_values_read_as_codes_are_said_once_and_a_near_miss_is_still_an_error(cli, tmp_path):
    doc = minimal("ppm-record")
    doc["child"]["legal_status"] = "ICO"
    doc["child"]["placement_type"] = "Foster care"
    doc["primary_plan"]["option"] = "adopshun"
    result = cli(["validate", *AS_OF, "--format", "json", _write(tmp_path, "ppm.json", doc)])
    findings = json.loads(result.output)["files"][0]["findings"]
    read = [f for f in findings if f["rule_id"] == "schema-choice-read"]
    assert len(read) == 1 and "'ICO'" in read[0]["message"] and "'Foster care'" in read[0]["message"]
    [wrong] = [f for f in findings if f["rule_id"] == "schema-choice"]
    assert wrong["pointer"] == "/primary_plan/option" and "Did you mean 'adoption'" in wrong["message"]
    assert result.exit_code == 1


def test_a_choice_that_is_not_close_lists_the_choices(cli, tmp_path):
    doc = minimal("ppm-record")
    doc["child"]["legal_status"] = "something else"
    result = cli(["validate", *AS_OF, "--format", "json", _write(tmp_path, "ppm.json", doc)])
    [f] = [f for f in json.loads(result.output)["files"][0]["findings"] if f["pointer"] == "/child/legal_status"]
    assert f["rule_id"] == "schema-choice" and "Choose one of: not_looked_after, section_20," in f["message"]


def test_a_word_form_is_told_the_choice_as_its_list_shows_it():
    from permanence.forms.load import Record
    from permanence.forms.validate import schema_findings

    doc = minimal("ppm-record")
    doc["child"]["legal_status"] = "ICO"
    findings = schema_findings(Record(form="ppm-record", data=doc, path="ppm.docx"))
    assert [f.message for f in findings] == [
        "'ICO' is not one of the choices for Legal status. Did you mean 'Interim care order'? Choose it from the list."]


def test_a_missing_field_is_asked_for_in_a_sentence():
    """'Add the with whom: ...' is not a sentence; a title that is not a noun is filled in."""
    from permanence.forms.load import Record
    from permanence.forms.validate import schema_findings

    doc = minimal("cpr")
    doc["family_time"]["current"] = [{}]
    messages = [f.message for f in schema_findings(Record("cpr", doc, "cpr.json"))]
    assert "Fill in 'With whom': who the child sees." in messages
    assert not [m for m in messages if m.startswith(("Add the with", "Add the by", "Add the supervised"))], messages


def test_json_sources_name_the_procedure_and_v_works_after_any_command(cli, tmp_path, examples_dir):
    """The JSON's sources are the procedures by their own titles (never 'seed 003'); -v is
    accepted after validate, render and audit as well as before them."""
    path = examples_dir / "invalid" / "ppm-iro-did-not-attend.json"
    result = cli(["validate", "--format", "json", "--profile", "warrington", *AS_OF, path])
    findings = json.loads(result.output)["files"][0]["findings"]
    assert findings and all("seed " not in f["source"] for f in findings)
    assert any("Warrington, Securing Permanence (2019, reviewed 2023) s.8.5" in f["source"] for f in findings)
    cpr = examples_dir / "caseload" / "C1001-ava-thompson" / "cpr.json"
    audited = cli(["audit", "-v", "--engine", "none", *AS_OF, cpr])
    assert audited.exit_code in (0, 1) and "no such option" not in audited.output.lower()
    rendered = cli(["render", "-v", *AS_OF, "--profile", "warrington", path, "-o", tmp_path / "x.docx"])
    assert rendered.exit_code == 1 and "no such option" not in rendered.output.lower()
