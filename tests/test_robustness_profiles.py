"""`profiles` and `rules` with names they do not know: one line, exit 2; a profile name
is never used as a path."""
from __future__ import annotations

import json

import pytest


@pytest.mark.parametrize("name", ["x" * 5000, "../../../../../../tmp/evil", "england/../england"], ids=["long", "traversal", "dotdot"])
def test_an_unknown_or_path_like_profile_is_one_line(cli, name, tmp_path):
    result = cli(["profiles", name])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("permanence: unknown profile '") and "Known profiles: england" in lines[0]
    assert len(lines[0]) < 400


def test_a_profile_outside_the_package_is_never_loaded(cli, tmp_path, examples_dir):
    evil = tmp_path / "evil.json"
    evil.write_text(json.dumps({"name": "Evil", "extends": "england"}), encoding="utf-8")
    relative = "../" * 12 + str(evil.with_suffix(""))[1:]
    result = cli(["validate", "--profile", relative, examples_dir / "caseload" / "C1001-ava-thompson" / "case.json"])
    assert result.exit_code == 2
    assert "unknown profile" in result.stderr


@pytest.mark.parametrize("fmt", ["text", "json"])
def test_rules_for_an_unknown_form_is_an_error_not_an_empty_list(cli, fmt):
    result = cli(["rules", "--form", "nosuch", "--format", fmt])
    assert result.exit_code == 2
    assert result.stderr.strip() == ("permanence: unknown form 'nosuch'. Known forms: case, cpr, cpr-audit, "
                                     "gateway-referral, panel-referral, ppm-record.")
    assert cli(["rules", "--form", "case"]).exit_code == 0
