"""Whatever render writes, read accepts (issue 9, failure 4), and render says which
characters it had to leave out (failure 9)."""
from __future__ import annotations

import json
import zipfile
from pathlib import Path

from permanence.templates import safe_docx

PPM = Path(__file__).resolve().parent.parent / "examples/caseload/C1001-ava-thompson/ppm-2025-09-02.json"


def test_a_very_repetitive_record_renders_and_reads_back(tmp_path, cli):
    """Its document.xml compressed about 319:1 and extract/validate refused it as a zip bomb."""
    data = json.loads(PPM.read_text("utf-8"))
    repetitive = "No change. " * 8_000  # 88,000 characters, within the form's 100,000

    def fill(node):  # every longer text of the record
        for key, value in (node.items() if isinstance(node, dict) else enumerate(node)):
            if isinstance(value, str) and len(value) > 60:
                node[key] = repetitive
            elif isinstance(value, (dict, list)):
                fill(value)
    fill(data)
    record = tmp_path / "ppm.json"
    record.write_text(json.dumps(data), "utf-8")
    out = tmp_path / "ppm.docx"
    result = cli(["render", "--draft", record, "-o", out])  # some fields are over their own maxLength
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as zf:
        part = zf.getinfo("word/document.xml")
    assert part.file_size > 1024 * 1024 and part.file_size > 100 * part.compress_size  # what the ratio check refused
    assert cli(["validate", out, "--as-of", "2026-11-23"]).exit_code in (0, 1)
    extracted = cli(["extract", out])
    assert extracted.exit_code == 0, extracted.output
    assert json.loads(extracted.stdout)["considerations"]["return_home"].strip() == repetitive.strip()
    assert json.loads(extracted.stdout)["significant_events"].strip() == repetitive.strip()


def test_render_refuses_to_write_what_read_would_refuse(tmp_path, monkeypatch):
    """The same limits on both sides: a document over them is not written at all."""
    import pytest

    from permanence.findings import UserError
    from permanence.forms.load import load_record
    from permanence.templates.render import render_record

    monkeypatch.setattr(safe_docx, "MAX_XML_BYTES", 64 * 1024)
    out = tmp_path / "ppm.docx"
    with pytest.raises(UserError) as err:
        render_record(load_record(PPM), out)
    assert str(err.value).startswith(f"{out}: the document would be larger than a Word form this toolkit can read back")
    assert list(tmp_path.iterdir()) == []


def test_render_says_which_control_characters_it_left_out_once_per_file(tmp_path, cli):
    data = json.loads(PPM.read_text("utf-8"))
    data["reason_for_update"] = "Update\x07 after the review\x1b\x1b"
    data["significant_events"] = "Moved\x0b placement"
    record = tmp_path / "ppm.json"
    record.write_text(json.dumps(data), "utf-8")
    result = cli(["render", record, "-o", tmp_path / "ppm.docx"])
    assert result.exit_code == 0, result.output
    lines = [line for line in result.stderr.splitlines() if "cannot hold" in line]
    assert lines == [f"{record}: 4 characters that a Word document cannot hold (U+0007 (bell) \u00d71, "
                     "U+000B (vertical tab) \u00d71, U+001B (escape) \u00d72) were left out of the document; "
                     "the rest of the text is as written."]
    clean = cli(["render", PPM, "-o", tmp_path / "clean.docx"])
    assert "cannot hold" not in clean.stderr
