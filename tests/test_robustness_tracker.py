"""Robustness of `permanence tracker`: a PPM draft of any shape in the caseload folder
does not stop the run (PPM records are read for their dates only, not validated)."""
from __future__ import annotations

import json
import shutil

import pytest


@pytest.mark.parametrize("shape", ["text", 7, ["a"], None], ids=["text", "number", "list", "null"])
def test_ppm_drafts_of_any_shape_do_not_stop_the_tracker(cli, examples_dir, tmp_path, shape):
    caseload = tmp_path / "caseload"
    caseload.mkdir()
    shutil.copy(examples_dir / "caseload" / "C1001-ava-thompson" / "case.json", caseload / "case.json")
    (caseload / "ppm-child-odd.json").write_text(json.dumps({"form": "ppm-record", "child": shape, "meeting": shape}), encoding="utf-8")
    (caseload / "ppm-meeting-odd.json").write_text(json.dumps({"form": "ppm-record", "child": {"id": "C1001"}, "meeting": shape}),
                                                   encoding="utf-8")
    result = cli(["tracker", caseload, "--format", "json", "--as-of", "2026-11-23"])
    assert result.exit_code == 0, result.output
    assert [c["id"] for c in json.loads(result.stdout)["children"]] == ["C1001"]


def test_characters_xml_cannot_hold_are_dropped_not_a_crash(cli, examples_dir, tmp_path):
    """U+FFFE and U+FFFF stopped the workbook writer with an internal error; they are
    dropped like control characters. (A lone surrogate, valid in JSON as \\ud800, is not
    text at all: the record is refused naming the field, tests/test_robustness_text.py.)"""
    from openpyxl import load_workbook

    caseload = tmp_path / "caseload"
    caseload.mkdir()
    data = json.loads((examples_dir / "caseload" / "C1001-ava-thompson" / "case.json").read_text(encoding="utf-8"))
    data["child"]["name"] = "Ava\ufffe \uffffThompson =cmd|' /C calc'!A0 {{ x }}"
    (caseload / "case.json").write_text(json.dumps(data), encoding="utf-8")
    out = tmp_path / "tracker.xlsx"
    result = cli(["tracker", caseload, "--as-of", "2026-11-23", "-o", out])
    assert result.exit_code == 0, result.output
    assert "internal error" not in result.output
    wb = load_workbook(out)
    names = [row[1] for row in wb.worksheets[0].iter_rows(min_row=2, values_only=True)]
    assert names == ["Ava Thompson =cmd|' /C calc'!A0 {{ x }}"]


@pytest.mark.parametrize("args, says", [
    (["--amber-days", "99999999"], "--amber-days must be at most 260 working days"),
    (["--as-of", "9999-12-31"], "is too far from today; give a date between 1900 and 2199"),
], ids=["amber-days", "as-of"])
def test_extreme_options_are_refused_not_an_overflow(cli, examples_dir, args, says):
    result = cli(["tracker", examples_dir / "caseload", "--format", "json", *args])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and says in lines[0], lines
    assert "internal error" not in result.output
