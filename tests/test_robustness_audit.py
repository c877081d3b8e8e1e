"""Robustness of `permanence audit`: a CPR or an earlier audit of the wrong shape gets an
answer or one plain line, never an internal error. The files are made here."""
from __future__ import annotations

import json

import pytest


def _cpr(examples_dir):
    return json.loads((examples_dir / "caseload" / "C1001-ava-thompson" / "cpr.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("purpose", [{"a": 1}, ["shobpa"], 7, None])
def test_a_purpose_of_the_wrong_type_is_audited_not_a_crash(cli, tmp_path, examples_dir, purpose):
    data = _cpr(examples_dir)
    data["report"]["purpose"] = purpose
    path = tmp_path / "cpr.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = cli(["audit", "--engine", "none", "--format", "json", path])
    assert result.exit_code in (0, 1), result.output
    assert json.loads(result.stdout)["header"]["stage"] == "other"


@pytest.mark.parametrize("previous", [
    {"form": "cpr-audit", "items": 5},
    {"form": "cpr-audit", "items": [{"id": ["G1"], "answer": {"x": 1}}]},
])
def test_a_malformed_previous_audit_is_named_in_one_line(cli, tmp_path, examples_dir, previous):
    cpr = tmp_path / "cpr.json"
    cpr.write_text(json.dumps(_cpr(examples_dir)), encoding="utf-8")
    prev = tmp_path / "previous.json"
    prev.write_text(json.dumps(previous), encoding="utf-8")
    result = cli(["audit", "--engine", "none", "--previous", prev, cpr])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"permanence: {prev}: --previous is not a complete audit: "), lines
    assert "internal error" not in result.output


def test_an_audit_written_by_the_tool_is_a_good_previous(cli, tmp_path, examples_dir):
    cpr = tmp_path / "cpr.json"
    cpr.write_text(json.dumps(_cpr(examples_dir)), encoding="utf-8")
    first = cli(["audit", "--engine", "none", "--format", "json", cpr])
    prev = tmp_path / "previous.json"
    prev.write_text(first.stdout, encoding="utf-8")
    again = cli(["audit", "--engine", "none", "--previous", prev, cpr])
    assert again.exit_code in (0, 1), again.output
    assert "Since the audit of" in again.stdout


@pytest.mark.parametrize("date", [["2020-01-01"], {"day": 1}], ids=["list", "object"])
def test_a_chronology_date_of_the_wrong_shape_is_no_internal_error(cli, tmp_path, examples_dir, date):
    """Check C5 raised TypeError (an unhashable date in its duplicate test) and fell back
    to Review with 'internal error'."""
    data = _cpr(examples_dir)
    data["chronologies"]["child"][0]["date"] = date
    data["chronologies"]["child"].append({"date": date, "event": "Moved to foster carers."})
    path = tmp_path / "cpr.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = cli(["audit", "--engine", "none", "--format", "json", path])
    assert result.exit_code in (0, 1), result.output
    assert "internal error" not in result.output
    items = {i["id"]: i for i in json.loads(result.stdout)["items"]}
    assert "could not be checked automatically" not in json.dumps(items["C5"])


def test_a_name_of_the_wrong_type_is_no_internal_error(cli, tmp_path, examples_dir):
    """Found by tests/test_properties.py: a birth parent's name given as true made checks
    G5, G8, C2 and C5 fail with internal errors (names compared as text)."""
    data = _cpr(examples_dir)
    data["birth_parents"][0]["name"] = True
    data["photographs"][0]["subject"] = 7
    path = tmp_path / "cpr.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = cli(["audit", "--engine", "none", "--format", "json", path])
    assert result.exit_code in (0, 1), result.output
    assert "internal error" not in result.output


@pytest.mark.parametrize("field", ["first_names", "known_as"])
def test_a_childs_name_of_the_wrong_type_is_no_internal_error(cli, tmp_path, examples_dir, field):
    """Found by tests/test_properties.py: the child's first names given as true made G8
    fail with an internal error (AttributeError) while it read the chronology's birth."""
    data = _cpr(examples_dir)
    data["child"][field] = True
    path = tmp_path / "cpr.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = cli(["audit", "--engine", "none", "--format", "json", path])
    assert result.exit_code in (0, 1), result.output
    assert "internal error" not in result.output
