"""Hostile Word and Excel files beyond those in test_templates_hostile and
test_tracker_workbook: macro-enabled workbooks renamed .xlsx, zip members named to
escape their folder, lying size headers, pipes in place of a tracker. Each is refused
in one line, quickly, and the file is left as it was. The files are made here."""
from __future__ import annotations

import json
import os
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

AS_OF = "2026-11-23"


EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture(scope="module")
def tracker(tmp_path_factory):
    from click.testing import CliRunner

    from permanence.cli import main

    folder = tmp_path_factory.mktemp("tracker")
    out = folder / "tracker.xlsx"
    result = CliRunner().invoke(main, ["tracker", str(EXAMPLES / "caseload"), "--as-of", AS_OF, "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def _copy(source, target, edit=None, extra=None):
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            zout.writestr(item.filename, edit(item.filename, data) if edit else data)
        for name, data in (extra or {}).items():
            zout.writestr(name, data)
    return target


def _refused(cli, examples_dir, out, says):
    before = out.read_bytes()
    result = cli(["tracker", examples_dir / "caseload", "--as-of", AS_OF, "-o", out])
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"permanence: {out}: ") and says in lines[0], lines
    assert out.read_bytes() == before
    assert not out.with_name(out.stem + ".previous.xlsx").exists()


def test_a_macro_enabled_workbook_renamed_xlsx_is_not_replaced(cli, examples_dir, tracker, tmp_path):
    out = _copy(tracker, tmp_path / "tracker.xlsx", extra={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"\0" * 512})
    _refused(cli, examples_dir, out, "contains macros")


def test_a_macro_enabled_content_type_is_not_replaced(cli, examples_dir, tracker, tmp_path):
    def edit(name, data):
        if name == "[Content_Types].xml":
            return data.replace(b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml")
        return data

    out = _copy(tracker, tmp_path / "tracker.xlsx", edit=edit)
    _refused(cli, examples_dir, out, "macro-enabled")


@pytest.mark.parametrize("member", ["../../evil.txt", "/etc/evil", "xl\\..\\..\\evil.txt"], ids=["dotdot", "absolute", "backslash"])
def test_a_workbook_with_a_part_named_to_escape_is_refused(cli, examples_dir, tracker, tmp_path, member):
    out = _copy(tracker, tmp_path / "tracker.xlsx", extra={member: b"x"})
    _refused(cli, examples_dir, out, "named to escape its folder")


def test_a_workbook_lying_about_its_part_sizes_is_refused(cli, examples_dir, tracker, tmp_path):
    def pad(name, data):
        if name == "xl/worksheets/sheet1.xml":
            return data.replace(b"</worksheet>", b" " * (8 * 1024 * 1024) + b"</worksheet>")
        return data

    out = _copy(tracker, tmp_path / "tracker.xlsx", edit=pad)
    with zipfile.ZipFile(out) as z:
        real = z.getinfo("xl/worksheets/sheet1.xml").file_size
    raw = out.read_bytes()
    assert raw.count(struct.pack("<I", real)) == 2
    out.write_bytes(raw.replace(struct.pack("<I", real), struct.pack("<I", 5000)))
    _refused(cli, examples_dir, out, "damaged or unsafe")


def test_a_pipe_named_like_a_tracker_is_not_waited_on(examples_dir, tmp_path):
    pipe = tmp_path / "tracker.xlsx"
    os.mkfifo(pipe)
    proc = subprocess.run([sys.executable, "-m", "permanence.cli", "tracker", str(examples_dir / "caseload"),
                           "--as-of", AS_OF, "-o", str(pipe)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2
    assert f"{pipe}: is not an ordinary file" in proc.stderr


@pytest.mark.parametrize("member", ["../../evil.xml", "/abs/evil.xml"], ids=["dotdot", "absolute"])
def test_a_docx_with_a_part_named_to_escape_is_refused(cli, tmp_path, member):
    blank = tmp_path / "blank.docx"
    assert cli(["blank", "ppm-record", "-o", blank]).exit_code == 0
    hostile = _copy(blank, tmp_path / "hostile.docx", extra={member: b"<x/>"})
    for args in (["extract", hostile], ["validate", hostile], ["audit", "--engine", "none", hostile]):
        result = cli(args)
        assert result.exit_code == 2, (args, result.output)
        assert "named to escape its folder" in result.output
        assert "internal error" not in result.output


def test_a_renamed_macro_workbook_is_refused_when_audited_as_a_docx(cli, tmp_path):
    """An .xlsm renamed .docx is neither macro-free nor a Word document."""
    path = tmp_path / "cpr.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", b'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   b'<Override PartName="/xl/workbook.xml" ContentType="application/vnd.ms-excel.sheet.macroEnabled.main+xml"/></Types>')
        z.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0")
    result = cli(["audit", "--engine", "none", path])
    assert result.exit_code == 2 and "macro" in result.stderr
    assert json.dumps(result.stderr).count("\\n") <= 1
