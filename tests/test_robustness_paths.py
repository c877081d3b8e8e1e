"""A path the file system refuses (a name longer than it allows) is named in one line
with the reason, exit 2, never an internal error."""
from __future__ import annotations

import pytest

LONG = "z" * 300  # longer than the 255 bytes a file name may have


@pytest.mark.parametrize("args", [
    ["blank", "cpr", "-o", f"{LONG}.docx"],
    ["render", "{ppm}", "-o", f"{LONG}.docx"],
    ["tracker", "{caseload}", "-o", f"{LONG}.xlsx"],
    ["audit", "--engine", "none", "{cpr}", "--output", f"{LONG}.json"],
    ["validate", f"{LONG}.json"],
], ids=["blank", "render", "tracker", "audit", "validate"])
def test_a_file_name_too_long_is_one_line(cli, examples_dir, tmp_path, monkeypatch, args):
    monkeypatch.chdir(tmp_path)
    caseload = examples_dir / "caseload"
    values = {"ppm": caseload / "C1001-ava-thompson" / "ppm-2026-11-11.json", "cpr": caseload / "C1001-ava-thompson" / "cpr.json",
              "caseload": caseload}
    result = cli([a.format(**values) for a in args])
    assert result.exit_code == 2, result.output
    assert "internal error" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and LONG in lines[0] and "File name too long" in lines[0], lines
    assert list(tmp_path.iterdir()) == []
