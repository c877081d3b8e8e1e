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
