"""The toolkit's own limits win whatever a library does (issue 9): nesting is measured
from the text before JSON's or libyaml's own limits can speak, key and text lengths are
bounded, and a bad YAML date is named as a date."""
from __future__ import annotations

import json
import resource
import subprocess
import sys

import pytest

from permanence.findings import UserError
from permanence.forms.load import MAX_DEPTH, load_record

OURS = f"the data is nested more than {MAX_DEPTH} levels deep"


@pytest.mark.parametrize("depth", [MAX_DEPTH + 1, 100, 999, 1001, 5000, 200_000])
@pytest.mark.parametrize("suffix,opener,closer", [
    (".json", "[", "]"), (".yaml", "[", "]"), (".yaml", "{a: ", "}"), (".json", '{"a": ', "}"),
])
def test_deep_flow_nesting_gets_the_toolkits_message_at_any_depth(tmp_path, depth, suffix, opener, closer):
    """libyaml (PyYAML 6.0.4) stops at about 1,000 flow levels with its own wording, and
    json at Python's recursion limit: both come after ours."""
    head = '{"form": "ppm-record", "a": ' if suffix == ".json" else "form: ppm-record\na: "
    tail = "}" if suffix == ".json" else "\n"
    path = tmp_path / f"deep{suffix}"
    path.write_text(head + opener * depth + "1" + closer * depth + tail, encoding="utf-8")
    with pytest.raises(UserError) as err:
        load_record(path)
    assert str(err.value) == f"{path}: {OURS}; no form is shaped like that. Is it the right file?"


def test_nesting_at_the_limit_is_read(tmp_path):
    path = tmp_path / "ok.json"
    path.write_text('{"form": "ppm-record", "a": ' + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "}", encoding="utf-8")
    assert load_record(path).form == "ppm-record"


def test_brackets_in_prose_are_not_counted_as_nesting(tmp_path):
    """Square brackets in text (references, redactions, unmatched ones) are not nesting."""
    prose = "See the chronology [1] and the note [redacted " * 200
    yaml_path = tmp_path / "prose.yaml"
    yaml_path.write_text(f"form: ppm-record\nnote: {prose}\nquoted: \"{'[' * 300}\"\n", encoding="utf-8")
    assert load_record(yaml_path).data["note"].startswith("See the chronology [1]")
    json_path = tmp_path / "prose.json"
    json_path.write_text(json.dumps({"form": "ppm-record", "note": "[" * 5000 + "{" * 5000}), encoding="utf-8")
    assert load_record(json_path).data["note"].startswith("[[[")


def _run_validate(path):
    code = ("import resource, subprocess, sys\n"
            "p = subprocess.run([sys.executable, '-m', 'permanence.cli', 'validate', sys.argv[1]], capture_output=True, text=True)\n"
            "print(p.returncode); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); print(p.stdout)\n")
    proc = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=120)
    rc, maxrss_kb, out = proc.stdout.split("\n", 2)
    return int(rc), int(maxrss_kb), out


@pytest.mark.parametrize("shape", ["key", "text", "yaml-key"])
def test_a_five_megabyte_key_or_text_is_refused_within_200_mb(tmp_path, shape):
    """One 5 MB key took 10 s and 240 MB to validate (the unknown-field suggestion compared
    it with every field name). Refused now in one line; the time is in bench/limits.py."""
    big = "k" * 5_000_000
    if shape == "key":
        path = tmp_path / "big.json"
        path.write_text(json.dumps({"form": "ppm-record", big: "x"}), encoding="utf-8")
        expected = "a field name in the file is 5,000,000 characters long; no form has a name longer than 200"
    elif shape == "text":
        path = tmp_path / "big.json"
        path.write_text(json.dumps({"form": "ppm-record", "child": {"name": big}}), encoding="utf-8")
        expected = "one text in the file is 5,000,000 characters long, more than any form field holds (1,000,000 at most)"
    else:
        path = tmp_path / "big.yaml"
        path.write_text(f"form: ppm-record\n? {big}\n: x\n", encoding="utf-8")  # explicit: an implicit key stops at 1,024
        expected = "a field name in the file is 5,000,000 characters long"
    rc, maxrss_kb, out = _run_validate(path)
    assert rc == 2, out
    assert f"{path}: could not be checked: {expected}" in out
    assert maxrss_kb < 200 * 1024, f"peak memory {maxrss_kb // 1024} MB"


@pytest.mark.parametrize("value,why", [
    ("2026-13-45 25:99:99", "month must be in 1..12"),
    ("2026-02-30", "day is out of range for month"),
])
def test_a_bad_yaml_date_is_named_as_a_date(tmp_path, value, why):
    """It was reported as 'a number in the file is thousands of digits long'."""
    path = tmp_path / "date.yaml"
    path.write_text(f"form: ppm-record\nmeeting:\n  date: {value}\n", encoding="utf-8")
    with pytest.raises(UserError) as err:
        load_record(path)
    assert str(err.value) == (f'{path}: "date" at line 3: "{value}" is not a real date or time ({why}). '
                              "Write dates as YYYY-MM-DD, for example 2026-11-23, and try again.")


def test_a_quoted_bad_date_is_text_for_the_checks_to_report(tmp_path):
    path = tmp_path / "date.yaml"
    path.write_text('form: ppm-record\ndate: "2026-13-45"\n', encoding="utf-8")
    assert load_record(path).data["date"] == "2026-13-45"
