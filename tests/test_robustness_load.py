"""Robustness of record loading: odd input gets one plain line naming the file, never
an internal error. The files are made here."""
from __future__ import annotations

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
