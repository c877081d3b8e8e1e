"""Outputs that cannot be written (a read-only folder, a full disk, a folder where a file
is wanted) get one plain line naming the output, exit 2, and leave nothing behind.
Running as root ignores file permissions, so a read-only folder is simulated by making
the temporary file beside the output fail as the operating system would."""
from __future__ import annotations

import errno
import json
import shutil
import tempfile

import pytest

PPM = "caseload/C1001-ava-thompson/ppm-2026-11-11.json"
CPR = "caseload/C1001-ava-thompson/cpr.json"


@pytest.fixture
def read_only(monkeypatch, tmp_path):
    """Every temporary file made inside tmp_path/ro fails with EROFS."""
    folder = tmp_path / "ro"
    folder.mkdir()
    real = tempfile.mkstemp

    def mkstemp(*args, **kwargs):
        where = str(kwargs.get("dir") or (args[2] if len(args) > 2 else ""))
        if where.startswith(str(folder)):
            raise OSError(errno.EROFS, "Read-only file system")
        return real(*args, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    return folder


def _one_line_refusal(result, output):
    assert result.exit_code == 2, result.output
    assert "internal error" not in result.output and "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if "cannot be written" in line]
    assert len(lines) == 1 and f"{output}: cannot be written (Read-only file system); nothing was written" in lines[0], result.stderr


def test_render_blank_extract_and_audit_refuse_a_read_only_folder(cli, examples_dir, tmp_path, read_only):
    ppm = examples_dir / PPM
    before = ppm.read_bytes()
    _one_line_refusal(cli(["render", ppm, "-o", read_only / "ppm.docx"]), read_only / "ppm.docx")
    _one_line_refusal(cli(["blank", "cpr", "-o", read_only / "cpr.docx"]), read_only / "cpr.docx")
    docx = tmp_path / "ppm.docx"
    assert cli(["render", ppm, "-o", docx]).exit_code == 0
    _one_line_refusal(cli(["extract", docx, "-o", read_only / "ppm.json"]), read_only / "ppm.json")
    cpr = examples_dir / CPR
    for name in ("audit.json", "audit.docx"):
        _one_line_refusal(cli(["audit", "--engine", "none", cpr, "--output", read_only / name]), read_only / name)
    assert list(read_only.iterdir()) == []
    assert ppm.read_bytes() == before


def test_render_into_a_folder_that_cannot_be_made(cli, examples_dir, tmp_path):
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where a folder would go", encoding="utf-8")
    records = [examples_dir / PPM, examples_dir / "caseload/C1002-leo-campbell/ppm-2026-11-19.json"]
    result = cli(["render", *records, "-o", blocker / "out"])
    assert result.exit_code == 2, result.output
    assert f"{blocker / 'out'}: cannot be written" in result.stderr
    assert "internal error" not in result.output


def test_tracker_refuses_a_read_only_folder_before_any_work_and_keeps_the_old_tracker(cli, examples_dir, tmp_path, monkeypatch):
    caseload = examples_dir / "caseload"
    out = tmp_path / "ro" / "tracker.xlsx"
    out.parent.mkdir()
    assert cli(["tracker", caseload, "--as-of", "2026-11-23", "-o", out]).exit_code == 0
    before = out.read_bytes()
    real = tempfile.mkstemp

    def mkstemp(*args, **kwargs):
        if str(kwargs.get("dir", "")).startswith(str(out.parent)):
            raise OSError(errno.EROFS, "Read-only file system")
        return real(*args, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    result = cli(["tracker", caseload, "--as-of", "2026-11-23", "-o", out])
    _one_line_refusal(result, out)
    assert out.read_bytes() == before
    assert sorted(p.name for p in out.parent.iterdir()) == ["tracker.xlsx"]


def test_a_folder_given_as_the_output_file_is_named(cli, examples_dir, tmp_path):
    folder = tmp_path / "folder.docx"
    folder.mkdir()
    for args in (["blank", "cpr", "-o", folder], ["blank", "cpr", "-o", folder, "--force"]):
        result = cli(args)
        assert result.exit_code == 2
        assert f"{folder}: is a folder; give the name of a file to write instead." in result.stderr
    docx = tmp_path / "ppm.docx"
    assert cli(["render", examples_dir / PPM, "-o", docx]).exit_code == 0
    json_folder = tmp_path / "out.json"
    json_folder.mkdir()
    result = cli(["extract", docx, "-o", json_folder, "--force"])
    assert result.exit_code == 2 and f"{json_folder}: is a folder" in result.stderr
