"""Text that is not valid Unicode, and file names that would split a message (issue 9,
failures 5 and 9): one line naming the file and the field, never printed raw, never an
internal error."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples/caseload/C1001-ava-thompson"
HALF = "\\ud800"  # as JSON writes it: a lone surrogate, half of a character


def _with_lone_surrogate(source: Path, target: Path, replace: str) -> Path:
    text = source.read_text("utf-8")
    assert json.dumps(replace)[1:-1] in text
    target.write_text(text.replace(json.dumps(replace)[1:-1], f"Ann {HALF} Lee", 1), "utf-8")
    return target


def _run(*args):
    """A real process with a strict UTF-8 stdout: printing a lone surrogate raw fails there."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8:strict"}
    return subprocess.run([sys.executable, "-m", "permanence.cli", *map(str, args)], capture_output=True, text=True,
                          timeout=120, env=env, errors="backslashreplace")


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_a_lone_surrogate_in_a_record_is_named_in_one_line(tmp_path, fmt):
    ppm = json.loads((EXAMPLES / "ppm-2025-09-02.json").read_text("utf-8"))
    record = _with_lone_surrogate(EXAMPLES / "ppm-2025-09-02.json", tmp_path / "ppm.json", ppm["meeting"]["chair"])
    proc = _run("validate", "--format", fmt, record)
    assert proc.returncode == 2, proc.stderr
    assert "internal error" not in proc.stdout + proc.stderr
    expected = (f"the text at /meeting/chair holds \\ud800, which is half of a character, not text (a program wrote it "
                "by mistake, often when text was cut short). Retype that text and try again.")
    if fmt == "text":
        assert f"{record}: could not be checked: {expected}" in proc.stdout.splitlines()
    else:
        assert json.loads(proc.stdout)["files"][0]["error"] == expected


def test_a_lone_surrogate_in_a_case_record_in_tracker_json(tmp_path):
    case = json.loads((EXAMPLES / "case.json").read_text("utf-8"))
    folder = tmp_path / "caseload" / "C1"
    folder.mkdir(parents=True)
    _with_lone_surrogate(EXAMPLES / "case.json", folder / "case.json", case["child"]["name"])
    other = tmp_path / "caseload" / "C2"
    other.mkdir()
    (other / "case.json").write_text((EXAMPLES / "case.json").read_text("utf-8").replace(case["child"]["id"], "C2-OK"), "utf-8")
    proc = _run("tracker", "--format", "json", "--as-of", "2026-11-23", tmp_path / "caseload")
    assert proc.returncode == 1, proc.stderr
    assert "internal error" not in proc.stderr
    payload = json.loads(proc.stdout)
    assert [c["id"] for c in payload["children"]] == ["C2-OK"]
    assert payload["skipped"] and "the text at /child/name holds \\ud800" in payload["skipped"][0]


def test_render_and_tracker_refuse_it_the_same_way(tmp_path):
    ppm = json.loads((EXAMPLES / "ppm-2025-09-02.json").read_text("utf-8"))
    record = _with_lone_surrogate(EXAMPLES / "ppm-2025-09-02.json", tmp_path / "ppm.json", ppm["meeting"]["chair"])
    proc = _run("render", record, "-o", tmp_path / "ppm.docx")
    assert proc.returncode == 2
    assert "the text at /meeting/chair holds \\ud800" in proc.stderr
    assert not (tmp_path / "ppm.docx").exists()


def test_a_file_name_with_a_newline_keeps_the_message_on_one_line(tmp_path):
    bad = tmp_path / "ppm\nsecond line.json"
    bad.write_text('{"form": "ppm-record",', "utf-8")
    proc = _run("validate", bad)
    assert proc.returncode == 2
    first = proc.stdout.splitlines()[0]
    assert first.startswith(f"{tmp_path}/ppm\\nsecond line.json: could not be checked: not valid JSON at line 1")
    missing = _run("validate", tmp_path / "no\nsuch.json")
    assert missing.stderr.splitlines() == [f"permanence: {tmp_path}/no\\nsuch.json: no such file or folder. Check the path and try again."]


def test_a_file_name_that_is_not_utf8_is_printed_escaped(tmp_path):
    name = os.fsdecode(b"ppm-\xff.json")  # a name from another encoding: a lone surrogate in Python
    path = tmp_path / name
    path.write_text('{"form": "ppm-record",', "utf-8")
    proc = _run("validate", "--format", "json", tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert json.loads(proc.stdout)["files"][0]["path"] == str(path)  # the escape reads back as the same name
    text = _run("validate", tmp_path)
    assert f"{tmp_path}/ppm-\\udcff.json: could not be checked" in text.stdout
