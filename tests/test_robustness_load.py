"""Robustness of record loading: odd input gets one plain line naming the file, never
an internal error. The files are made here."""
from __future__ import annotations

import json

import pytest


@pytest.mark.parametrize("name, content", [
    ("huge-number.json", '{"form": "ppm-record", "x": ' + "9" * 5000 + "}"),
    ("huge-number.yaml", "form: ppm-record\nx: " + "9" * 5000 + "\n"),
])
def test_a_number_of_thousands_of_digits_is_named_not_an_internal_error(cli, tmp_path, name, content):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    for args in (["validate", path], ["audit", "--engine", "none", path], ["tracker", "--format", "json", path]):
        result = cli(args)
        assert result.exit_code == 2, (args, result.output)
        assert "internal error" not in result.output
        assert "Traceback" not in result.output
    result = cli(["validate", path])
    assert f"{path}: could not be checked: a number in the file is thousands of digits long" in result.output


@pytest.mark.parametrize("name, content", [
    ("deep-flow.yaml", "form: ppm-record\na: " + "[" * 100_000 + "]" * 100_000 + "\n"),
    ("deep-block.yaml", "form: ppm-record\n" + "".join(" " * i + f"k{i}:\n" for i in range(3000))),
    ("self-reference.yaml", "form: ppm-record\na: &a [*a]\n"),
], ids=["flow", "block", "self-reference"])
def test_deeply_nested_yaml_is_refused_without_crashing_the_process(tmp_path, name, content):
    """libyaml's composer recursed in C on deep nesting and killed the process (SIGSEGV);
    run in a child process so a crash shows as a crash, not as a lost test run."""
    import subprocess
    import sys

    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "permanence.cli", "validate", str(path)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2, (proc.returncode, proc.stderr[-500:])
    assert f"{path}: could not be checked: the data is nested more than 64 levels deep" in proc.stdout
    assert "Traceback" not in proc.stderr


def test_yaml_billion_laughs_is_refused_quickly(tmp_path):
    lines = ["form: ppm-record", "a: &a [x, x, x, x, x, x, x, x, x]"]
    for i in range(9):
        prev, cur = chr(97 + i), chr(98 + i)
        lines.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 9) + "]")
    path = tmp_path / "laughs.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    from permanence.findings import UserError
    from permanence.forms.load import load_record

    with pytest.raises(UserError, match="too many values"):
        load_record(path)


def test_yaml_python_tags_are_not_run(tmp_path, cli):
    marker = tmp_path / "ran"
    path = tmp_path / "tag.yaml"
    path.write_text(f"form: ppm-record\nx: !!python/object/apply:os.system ['touch {marker}']\n", encoding="utf-8")
    result = cli(["validate", path])
    assert result.exit_code == 2
    assert "not valid YAML" in result.output and str(path) in result.output
    assert not marker.exists()


@pytest.mark.parametrize("command", [["validate"], ["audit", "--engine", "none"], ["render", "--draft"], ["extract"]])
@pytest.mark.parametrize("suffix", [".json", ".docx"])
def test_a_pipe_is_refused_not_waited_on(tmp_path, command, suffix):
    """Reading a named pipe blocked for ever (and /dev/zero through a symlink never ended)."""
    import os
    import subprocess
    import sys

    pipe = tmp_path / f"record{suffix}"
    os.mkfifo(pipe)
    proc = subprocess.run([sys.executable, "-m", "permanence.cli", *command, str(pipe)],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert f"{pipe}" in proc.stdout + proc.stderr
    assert "is not an ordinary file (a folder, pipe or device)" in proc.stdout + proc.stderr


def test_a_link_to_a_device_is_refused(tmp_path, cli):
    link = tmp_path / "record.json"
    link.symlink_to("/dev/zero")
    result = cli(["validate", link])
    assert result.exit_code == 2
    assert f"{link}: could not be checked: is not an ordinary file" in result.output


@pytest.mark.parametrize("form", [{"name": "ppm-record"}, ["ppm-record"], 7, True], ids=["object", "list", "number", "boolean"])
def test_a_form_field_that_is_not_text_is_named(cli, tmp_path, form):
    path = tmp_path / "record.json"
    path.write_text(json.dumps({"form": form}), encoding="utf-8")
    for args in (["validate", path], ["audit", "--engine", "none", path], ["render", path]):
        result = cli(args)
        assert result.exit_code == 2, (args, result.output)
        assert "internal error" not in result.output
    result = cli(["validate", path])
    assert f"{path}: could not be checked: " in result.output
    assert 'the "form" field must be' in result.output or "unknown form" in result.output


def test_a_record_with_far_more_values_than_any_form_is_refused(cli, tmp_path):
    """400,000 attendees (15 MiB) took minutes and gigabytes to validate, one finding each;
    a record holds at most 50,000 values (the largest example about 400)."""
    path = tmp_path / "ppm.json"
    path.write_text(json.dumps({"form": "ppm-record", "attendees": [{"name": "x", "role": "y"}] * 30_000}), encoding="utf-8")
    result = cli(["validate", path])
    assert result.exit_code == 2
    assert f"{path}: could not be checked: the file holds too many values to be a form" in result.output


def test_yaml_aliases_repeating_a_long_text_are_refused(cli, tmp_path):
    """40,000 aliases of a 99,000-character text: 0.4 MiB on disk, 4 GB written out."""
    path = tmp_path / "aliases.yaml"
    path.write_text('form: ppm-record\nx: &a "' + "A" * 99_000 + '"\nlist:\n' + "  - *a\n" * 40_000, encoding="utf-8")
    result = cli(["validate", path])
    assert result.exit_code == 2
    assert f"{path}: could not be checked: the file's text, with YAML aliases (*name) written out, is more than 20 million characters" in result.output
