"""Loading records: bad input gets one plain sentence naming the file (never a traceback),
and the compiled schema check agrees with jsonschema on every record it is shown."""
from __future__ import annotations

import copy
import json
import random
import re

import pytest
from jsonschema import Draft202012Validator

from permanence.findings import UserError
from permanence.forms import schema as schemas
from permanence.forms.load import MAX_DEPTH, Record, iter_record_paths, load_record, record_from_data
from permanence.forms.registry import FORMS
from permanence.forms.validate import fast_check, schema_findings

from test_rules_cases import CASE_LIST, build, minimal, minimal_forms


def _write(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


@pytest.mark.parametrize("name,content,pattern", [
    ("bad.json", '{"form": "ppm-record",\n  "version": 1', r"bad\.json: not valid JSON at line 2, column 15"),
    ("bad.yaml", "form: ppm-record\n  child: [\n", r"bad\.yaml: not valid YAML at line 2, column 8"),
    ("empty.json", "", r"empty\.json: the file is empty"),
    ("blank.yaml", "  \n\n", r"blank\.yaml: the file is empty"),
    ("nul.json", b'{"form": "ppm-record"\x00\x00}', r"nul\.json: this is a binary file"),
    ("latin1.json", '{"name": "Zo\xeb"}'.encode("latin-1"), r"latin1\.json: the file is not UTF-8 text"),
    ("list.json", "[1, 2, 3]", r"list\.json: a record must be an object with named fields, not a list"),
    ("text.yaml", "just some words", r"text\.yaml: a record must be an object with named fields, not a str"),
    ("noform.json", '{"version": "1.0"}', r"noform\.json: the record does not say which form it is"),
    ("unknown.json", '{"form": "care-plan"}', r"unknown\.json: unknown form 'care-plan'\. Known forms: case, cpr"),
    ("deep.json", "[" * 200_000 + "]" * 200_000, r"deep\.json: the data is nested more than 64 levels deep"),
    ("nested.json", '{"form": "ppm-record", "x": ' + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "}", r"nested\.json: .*nested more than 64 levels"),
    ("deep.yaml", "a:\n" + "".join("  " * i + "- \n" for i in range(1, 3)) + "[" * 5000 + "]" * 5000, r"deep\.yaml: the data is nested more than 64 levels deep"),
    ("form.docm", "x", r"form\.docm: macro-enabled files are not accepted"),
    ("notes.txt", "x", r"notes\.txt: cannot read a '\.txt' file"),
    ("twice.json", '{\n "form": "ppm-record",\n "child": {"form": "x"},\n "form": "panel-referral"\n}',
     r'twice\.json: "form" is given twice in the same part of the record \(the second is at line 4\); only one can count'),
    ("inner.json", '{"form": "ppm-record", "child": {"name": "A",\n\n "name": "B"}}', r'inner\.json: "name" is given twice .*at line 3\)'),
    ("twice.yaml", "form: ppm-record\nchild:\n  name: A\n  items: [{name: x}, {name: y}]\n  name: B\n",
     r'twice\.yaml: "name" is given twice in the same part of the record \(the second is at line 5\)'),
    ("colon.yaml", "form: ppm-record\nreason_for_update: Update: new assessment\n",
     r"colon\.yaml: not valid YAML at line 2, column 26: mapping values are not allowed in this context\. "
     r"Put text that contains a colon in quotes"),
], ids=lambda value: value if isinstance(value, str) and len(value) < 40 else "...")
def test_bad_input_is_one_plain_sentence(tmp_path, name, content, pattern):
    path = _write(tmp_path, name, content)
    with pytest.raises(UserError) as caught:
        load_record(path)
    message = str(caught.value)
    assert re.search(pattern, message), message
    assert "\n" not in message and "Traceback" not in message


def test_a_huge_file_is_refused_before_it_is_read(tmp_path, monkeypatch):
    from permanence.forms import load as load_module

    monkeypatch.setattr(load_module, "MAX_FILE_BYTES", 1024)
    path = _write(tmp_path, "huge.json", '{"form": "ppm-record", "notes": "' + "x" * 5000 + '"}')
    with pytest.raises(UserError, match=r"huge\.json: the file is 0 MiB, larger than any form|huge\.json: .*larger than any form"):
        load_record(path)


def test_too_many_values_are_refused(tmp_path, monkeypatch):
    from permanence.forms import load as load_module

    monkeypatch.setattr(load_module, "MAX_NODES", 1000)
    path = _write(tmp_path, "wide.json", json.dumps({"form": "case", "events": list(range(5000))}))
    with pytest.raises(UserError, match="too many values"):
        load_record(path)


def test_yaml_dates_become_iso_text_and_a_bom_is_accepted(tmp_path):
    path = _write(tmp_path, "r.yaml", "form: case\nchild:\n  date_of_birth: 2016-04-02\n")
    assert load_record(path).data["child"]["date_of_birth"] == "2016-04-02"
    bom = _write(tmp_path, "bom.json", b"\xef\xbb\xbf" + json.dumps(minimal("case")).encode())
    assert load_record(bom).form == "case"


def test_the_expected_form_is_enforced():
    with pytest.raises(UserError, match="this is a 'case' record, but a 'ppm-record' record is needed"):
        record_from_data(minimal("case"), "x.json", form="ppm-record")


def test_folders_are_searched_in_a_stable_order_and_missing_paths_named(tmp_path):
    (tmp_path / "b").mkdir()
    _write(tmp_path, "b/z.json", "{}")
    _write(tmp_path, "a.yaml", "{}")
    _write(tmp_path, ".hidden.json", "{}")
    _write(tmp_path, "readme.md", "x")
    assert [p.name for p in iter_record_paths([tmp_path])] == ["a.yaml", "z.json"]
    with pytest.raises(UserError, match="nowhere.json: no such file or folder"):
        iter_record_paths([tmp_path / "nowhere.json"])


def test_hidden_folders_are_not_searched(tmp_path):
    for name in (".git/objects/x.json", ".venv/lib/y.yaml", "c/.cache/z.json", "c/record.json"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        _write(tmp_path, name, "{}")
    assert [p.relative_to(tmp_path).as_posix() for p in iter_record_paths([tmp_path])] == ["c/record.json"]
    # a hidden folder named on purpose is searched
    assert [p.name for p in iter_record_paths([tmp_path / "c" / ".cache"])] == ["z.json"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_a_file_saved_as_utf16_is_read(tmp_path, encoding):
    text = '{"form": "ppm-record", "version": "1.0", "note": "Zo\u00eb"}'
    path = _write(tmp_path, "notepad.json", text.encode(encoding))
    record = load_record(path)
    assert record.form == "ppm-record" and record.data["note"] == "Zo\u00eb"


def test_broken_utf16_is_told_to_save_as_utf8_not_called_binary(tmp_path):
    path = _write(tmp_path, "broken.json", b"\xff\xfe{\x00\x00\xd8")  # a lone surrogate
    with pytest.raises(UserError, match=r"broken\.json: the file looks like UTF-16 .*Save it as UTF-8"):
        load_record(path)


# -- the compiled schema check agrees with jsonschema -----------------------------------

def _validator(form):
    return Draft202012Validator(schemas.schema_for(form), registry=schemas.registry(),
                                format_checker=Draft202012Validator.FORMAT_CHECKER)


def test_every_form_schema_compiles():
    assert all(fast_check(form) is not None for form in FORMS)


ODD_VALUES = [None, True, False, 0, -1, 1.5, 2.0, 101, "", " ", "x" * 600, "2026-02-30", "2026-13-01", "2026-11-23\n",
              "23/11/2026", "2026-11-23", "ppm-record", "adoption", "care_order", "1.0", "2.0", "C1001", "bad id!", [], {}, ["x"],
              ["adoption", "adoption"], {"option": "adoption"}, {"unknown": 1}]


def _mutations(doc, rng, n):
    """n random single changes: a value replaced, a key removed, an unknown key added."""
    paths = []

    def walk(node, path):
        if isinstance(node, dict):
            for k, v in node.items():
                paths.append(path + [k])
                walk(v, path + [k])
        elif isinstance(node, list):
            for i, v in enumerate(node):
                paths.append(path + [i])
                walk(v, path + [i])

    walk(doc, [])
    for _ in range(n):
        changed = copy.deepcopy(doc)
        path = rng.choice(paths)
        parent = changed
        for part in path[:-1]:
            parent = parent[part]
        action = rng.random()
        if action < 0.6:
            parent[path[-1]] = copy.deepcopy(rng.choice(ODD_VALUES))
        elif action < 0.8:
            del parent[path[-1]]
        elif isinstance(parent, dict):
            parent["not_a_field"] = 1
        else:
            parent.append(copy.deepcopy(rng.choice(ODD_VALUES)))
        yield changed


def _documents():
    for form in minimal_forms():
        yield minimal(form)
    for _, _, path in CASE_LIST:
        yield build(json.loads(path.read_text("utf-8")))


def test_compiled_check_agrees_with_jsonschema_on_cases_and_random_mutations():
    rng = random.Random(20261123)
    checked = disagreements = 0
    for doc in _documents():
        form = doc["form"]
        check, validator = fast_check(form), _validator(form)
        for candidate in [doc, *_mutations(doc, rng, 25)]:
            checked += 1
            if check(candidate) != validator.is_valid(candidate):
                disagreements += 1
                pytest.fail(f"compiled check and jsonschema disagree on a {form} record: {json.dumps(candidate)[:400]}")
    assert checked > 3000 and disagreements == 0


def test_invalid_records_still_get_jsonschema_findings():
    doc = minimal("ppm-record")
    doc["meeting"]["date"] = "2026-02-30"
    del doc["views"]
    record = record_from_data(doc, "x.json")
    findings = {(f.rule_id, f.pointer): f for f in schema_findings(record)}
    assert ("schema-date", "/meeting/date") in findings
    assert findings[("schema-required", "/views")].message.startswith("Add the views and comments: the views of the child")


def test_findings_of_the_pruned_validation_equal_those_of_full_jsonschema():
    """Invalid records are re-checked by jsonschema only in the top-level fields the
    compiled check failed; the findings must be exactly those of a full validation."""
    from permanence.forms.validate import _schema_message, pointer

    rng = random.Random(7)
    compared = 0
    for doc in _documents():
        form = doc["form"]
        for candidate in _mutations(doc, rng, 8):
            record = Record(form=form, data=candidate, path="x.json")  # even if the mutation hit "form"
            mine = sorted((f.rule_id, f.pointer, f.message) for f in schema_findings(record))
            full = sorted({(rule, pointer(path), message) for path, rule, message in
                           (_schema_message(form, e) for e in _validator(form).iter_errors(candidate))})
            assert mine == full, json.dumps(candidate)[:400]
            compared += bool(full)
    assert compared > 500


def test_a_valid_record_is_checked_without_importing_jsonschema(tmp_path):
    """jsonschema takes about a second to import; it is needed only to explain a record
    that fails the compiled check."""
    import subprocess
    import sys

    path = tmp_path / "ppm.json"
    path.write_text(json.dumps(minimal("ppm-record")), "utf-8")
    code = ("import sys, datetime as dt\n"
            "from permanence.validate_command import check_paths\n"
            f"reports = check_paths([{str(path)!r}], 'warrington', dt.date(2026, 11, 23))\n"
            "assert reports[0].findings == [], reports\n"
            "print('jsonschema' in sys.modules)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


@pytest.mark.parametrize("form", sorted(FORMS))
def test_required_field_messages_read_as_plain_english(form):
    findings = schema_findings(Record(form=form, data={"form": form}, path="x.json"))
    assert findings and all(f.rule_id == "schema-required" for f in findings)
    for f in findings:
        message = f.message
        assert message.split(" ", 1)[0] in ("Add", "Choose", "Answer", "Fill"), message
        assert " the the " not in message and not re.match(r"Add the (why|what|how|who|about) ", message), message
        assert "required property" not in message and message.endswith((".", "?", ")")), message
