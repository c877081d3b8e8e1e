"""The render, blank and extract commands: exit codes, refusals, atomic writes, the input
never modified."""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import shutil
import zipfile

import pytest

from permanence.forms.load import Record, load_record
from permanence.forms.validate import make_context, validate_record
from templates_support import CASES, png_bytes, record_files

AS_OF = "2026-11-23"


def _digest(folder):
    return {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def _profile():
    from permanence.forms.profiles import available_profiles

    return "warrington" if "warrington" in available_profiles() else "england"


def valid_record(form="ppm-record"):
    """An example record that passes validation today (the examples are read at run time)."""
    ctx = make_context(_profile(), dt.date.fromisoformat(AS_OF))
    for path in record_files():
        data = json.loads(path.read_text("utf-8"))
        if data.get("form") == form and "cases" not in path.parts:
            if not [f for f in validate_record(Record(form, data, str(path)), ctx) if f.severity.value == "error"]:
                return path
    pytest.skip(f"no valid {form} example yet")


@pytest.fixture
def invalid_record(tmp_path):
    data = json.loads((CASES / "full-ppm-record.json").read_text("utf-8"))
    del data["child"]["name"]
    path = tmp_path / "invalid-ppm.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_render_one_valid_record(cli, tmp_path):
    source = valid_record()
    copy = tmp_path / "in" / source.name
    copy.parent.mkdir()
    shutil.copy(source, copy)
    before = _digest(copy.parent)
    out = tmp_path / "ppm.docx"
    result = cli(["render", copy, "-o", out, "--as-of", AS_OF, "--profile", _profile()])
    assert result.exit_code == 0, result.output
    assert out.is_file() and str(out) in result.stdout
    assert _digest(copy.parent) == before  # input unchanged, nothing written beside it
    from permanence.templates.extract import extract_record

    assert extract_record(out).data == load_record(copy).data
    again = cli(["render", copy, "-o", out, "--as-of", AS_OF, "--profile", _profile()])
    assert again.exit_code == 2 and "already exists" in again.output and "--force" in again.output
    forced = cli(["render", copy, "-o", out, "--force", "--as-of", AS_OF, "--profile", _profile()])
    assert forced.exit_code == 0


def test_render_default_output_is_next_to_the_record(cli, tmp_path):
    source = valid_record()
    copy = tmp_path / source.name
    shutil.copy(source, copy)
    result = cli(["render", copy, "--as-of", AS_OF, "--profile", _profile()])
    assert result.exit_code == 0, result.output
    assert copy.with_suffix(".docx").is_file()


def test_invalid_record_is_refused_listing_errors(cli, tmp_path, invalid_record):
    out = tmp_path / "x.docx"
    result = cli(["render", invalid_record, "-o", out, "--as-of", AS_OF])
    assert result.exit_code == 1
    assert "not rendered" in result.output and "Child or young person's details: Child's name" in result.output and "--draft" in result.output
    assert "/child/name" not in result.output  # the field as the form labels it, not a JSON pointer
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [invalid_record]  # no temporary file left behind


def test_draft_renders_an_invalid_record_marked_draft(cli, tmp_path, invalid_record):
    out = tmp_path / "x.docx"
    result = cli(["render", invalid_record, "-o", out, "--draft", "--as-of", AS_OF])
    assert result.exit_code == 0, result.output
    assert "DRAFT" in result.output
    with zipfile.ZipFile(out) as z:
        assert ">DRAFT<" in z.read("word/header1.xml").decode()


@pytest.mark.parametrize("name", ["ppm-late-initial-meeting.json", "ppm-review-meeting-late.json"])
def test_a_meeting_held_late_renders_without_draft(cli, tmp_path, examples_dir, name):
    """A meeting held late is a fact, not an error: its record renders as it is, with no
    DRAFT marking, and the warning asks for (then acknowledges) the reason for the delay."""
    source = examples_dir / "invalid" / name
    out = tmp_path / "late.docx"
    result = cli(["render", source, "-o", out, "--as-of", AS_OF, "--profile", "warrington"])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as z:
        text = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("word/") and n.endswith(".xml"))
    assert "DRAFT" not in text.replace("{%", "")
    checked = cli(["validate", "--as-of", AS_OF, "--profile", "warrington", "--format", "json", source])
    late = [f for f in json.loads(checked.stdout)["files"][0]["findings"] if f["rule_id"] == "ppm-timescale-first"]
    assert checked.exit_code == 0 and late and late[0]["severity"] == "warning"
    assert "Reason for the delay" in late[0]["message"]
    data = json.loads(source.read_text("utf-8"))
    data["reason_for_delay"] = "The IRO was on leave; the earliest date all could attend."
    given = tmp_path / name
    given.write_text(json.dumps(data), encoding="utf-8")
    checked = cli(["validate", "--as-of", AS_OF, "--profile", "warrington", "--format", "json", given])
    [late] = [f for f in json.loads(checked.stdout)["files"][0]["findings"] if f["rule_id"] == "ppm-timescale-first"]
    assert "The reason for the delay is recorded ('The IRO was on leave" in late["message"]


def test_render_a_folder_with_progress(cli, tmp_path, invalid_record):
    folder = tmp_path / "records"
    (folder / "sub").mkdir(parents=True)
    for path in list(CASES.glob("full-*.json"))[:3]:
        shutil.copy(path, folder / "sub" / path.name)
    shutil.copy(invalid_record, folder / "bad.json")
    (folder / "case.json").write_text(json.dumps({"form": "case"}), encoding="utf-8")
    out = tmp_path / "out"
    result = cli(["render", folder, "-o", out, "--draft", "--as-of", AS_OF])
    assert result.exit_code == 0, result.output
    assert "Rendering" not in result.output  # no progress bar when stderr is not a terminal
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.docx"))
    assert len(written) == 4 and "bad.docx" in written
    assert all(name.startswith("sub/") for name in written if name != "bad.docx")
    assert "1 record without a Word form skipped" in result.output
    mixed = tmp_path / "mixed"
    mixed.mkdir()
    shutil.copy(invalid_record, mixed / "bad.json")
    shutil.copy(valid_record(), mixed / "good.json")
    refused = cli(["render", mixed, "-o", tmp_path / "out2", "--as-of", AS_OF, "--profile", _profile()])
    assert refused.exit_code == 1  # the invalid one refused, the valid one written
    assert sorted(p.name for p in (tmp_path / "out2").rglob("*.docx")) == ["good.docx"]


def test_render_into_a_folder_that_has_the_outputs_counts_them(cli, tmp_path):
    """New-user report, item 9: a second render into the same folder said only
    "0 documents written"; it now counts the files it would not replace and says --force."""
    folder = tmp_path / "records"
    folder.mkdir()
    for path in sorted(CASES.glob("full-*.json"))[:2]:
        shutil.copy(path, folder / path.name)
    (folder / "case.json").write_text(json.dumps({"form": "case"}), encoding="utf-8")
    out = tmp_path / "out"
    first = cli(["render", folder, "-o", out, "--draft", "--as-of", AS_OF])
    assert first.exit_code == 0, first.output
    before = _digest(out)
    again = cli(["render", folder, "-o", out, "--draft", "--as-of", AS_OF])
    assert again.exit_code == 2
    assert "0 documents written; 2 not written because they already exist (use --force to replace them" in again.output
    assert "1 record without a Word form skipped" in again.output
    assert _digest(out) == before  # nothing replaced
    forced = cli(["render", folder, "-o", out, "--draft", "--force", "--as-of", AS_OF])
    assert forced.exit_code == 0 and "2 documents written;" in forced.output


@pytest.mark.parametrize("command, example", [
    ("render", "permanence render examples/caseload/C1001-ava-thompson/ppm-2026-11-11.json -o ppm.docx"),
    ("blank", "permanence blank cpr -o cpr.docx"),
    ("extract", "permanence extract ppm.docx -o ppm.json"),
])
def test_help_examples_are_not_wrapped(cli, command, example):
    """An example command stays on one line however narrow the terminal (click's \\b)."""
    result = cli([command, "--help"], terminal_width=60)
    assert result.exit_code == 0
    assert any(line.strip() == example for line in result.output.splitlines()), result.output


def test_render_a_form_without_a_template(cli, tmp_path):
    path = tmp_path / "case.json"
    path.write_text(json.dumps({"form": "case"}), encoding="utf-8")
    result = cli(["render", path, "--draft"])
    assert result.exit_code == 2 and "has no Word form" in result.output


def test_photographs_missing_and_present(cli, tmp_path):
    data = json.loads((CASES / "full-cpr.json").read_text("utf-8"))
    data["photographs"][0]["file"] = "photos/ava.png"
    record = tmp_path / "cpr.json"
    record.write_text(json.dumps(data), encoding="utf-8")
    from permanence.findings import UserError
    from permanence.templates.render import render_record

    with pytest.raises(UserError) as refused:
        render_record(load_record(record), tmp_path / "a.docx")
    message = str(refused.value)
    assert message.startswith(f"{record}: ") and "photos/ava.png" in message and "was not found" in message
    assert "--draft" in message
    assert not (tmp_path / "a.docx").exists()
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "ava.png").write_bytes(png_bytes())
    present = cli(["render", record, "-o", tmp_path / "b.docx", "--draft"])
    assert present.exit_code == 0, present.output
    with zipfile.ZipFile(tmp_path / "b.docx") as z:
        assert any(n.startswith("word/media/") for n in z.namelist())
        assert 'descr="Short answer' in z.read("word/document.xml").decode()


def test_missing_photograph_placeholder_in_draft(tmp_path):
    from permanence.templates.render import render_record

    data = json.loads((CASES / "full-cpr.json").read_text("utf-8"))
    data["photographs"][1]["file"] = "nowhere.jpg"
    out = render_record(Record("cpr", data, str(tmp_path / "cpr.json")), tmp_path / "c.docx", draft=True)
    with zipfile.ZipFile(out) as z:
        assert "Picture missing: the image file &apos;nowhere.jpg&apos;" in z.read("word/document.xml").decode().replace("'", "&apos;")


def test_blank_and_extract(cli, tmp_path):
    out = tmp_path / "ppm.docx"
    result = cli(["blank", "ppm-record", "-o", out])
    assert result.exit_code == 0 and out.is_file()
    assert cli(["blank", "ppm-record", "-o", out]).exit_code == 2
    assert cli(["blank", "ppm-record", "-o", out, "--force"]).exit_code == 0
    unknown = cli(["blank", "nonsense"])
    assert unknown.exit_code == 2 and "Known forms" in unknown.output
    printed = cli(["extract", out])
    assert printed.exit_code == 0
    assert json.loads(printed.stdout)["form"] == "ppm-record"
    target = tmp_path / "ppm.json"
    written = cli(["extract", out, "-o", target])
    assert written.exit_code == 0 and json.loads(target.read_text("utf-8"))["form"] == "ppm-record"
    assert cli(["extract", out, "-o", target]).exit_code == 2
    assert cli(["extract", tmp_path / "nothing.docx"]).exit_code == 2


def test_validate_reads_a_rendered_docx(cli, tmp_path):
    source = valid_record()
    out = tmp_path / "r.docx"
    assert cli(["render", source, "-o", out, "--as-of", AS_OF, "--profile", _profile()]).exit_code == 0
    result = cli(["validate", out, "--as-of", AS_OF, "--profile", _profile()])
    assert result.exit_code == 0, result.output
