"""Confidential by default: the public LanguageTool API is used only when switched on
with a real true; a quoted "false" (truthy text) must not send case text anywhere."""
from __future__ import annotations

import pytest

from permanence.config import load_config
from permanence.findings import UserError


@pytest.mark.parametrize("value", ['"false"', '"no"', '"0"', "0", '"true"'])
def test_public_api_must_be_a_real_boolean(tmp_path, monkeypatch, value):
    config = tmp_path / "permanence.toml"
    config.write_text(f"[languagetool]\npublic_api = {value}\n", encoding="utf-8")
    monkeypatch.setenv("PERMANENCE_CONFIG", str(config))
    monkeypatch.delenv("PERMANENCE_LT_PUBLIC_API", raising=False)
    with pytest.raises(UserError, match=r"public_api must be true or false, without quotes"):
        load_config()


@pytest.mark.parametrize("value, expected", [("false", False), ("true", True)])
def test_public_api_booleans(tmp_path, monkeypatch, value, expected):
    config = tmp_path / "permanence.toml"
    config.write_text(f"[languagetool]\npublic_api = {value}\n", encoding="utf-8")
    monkeypatch.setenv("PERMANENCE_CONFIG", str(config))
    monkeypatch.delenv("PERMANENCE_LT_PUBLIC_API", raising=False)
    assert load_config().lt_public_api is expected


def test_a_quoted_false_stops_the_audit_with_one_line(cli, tmp_path, monkeypatch, examples_dir):
    config = tmp_path / "permanence.toml"
    config.write_text('[languagetool]\npublic_api = "false"\n', encoding="utf-8")
    monkeypatch.setenv("PERMANENCE_CONFIG", str(config))
    monkeypatch.delenv("PERMANENCE_LT_PUBLIC_API", raising=False)
    result = cli(["audit", examples_dir / "caseload" / "C1001-ava-thompson" / "cpr.json"])
    assert result.exit_code == 2
    assert result.stderr.strip().startswith(f"permanence: {config}: [languagetool] public_api must be true or false")
    assert "languagetool.org" not in result.stdout


@pytest.mark.parametrize("content, says", [
    (b"\xff\xfe\x00binary", "the configuration file is not UTF-8 text"),
    (b"[audit]\nwordlists = 5\n", "[audit] wordlists must be a list of folders"),
], ids=["binary", "wordlists-number"])
def test_a_bad_configuration_is_one_line(cli, tmp_path, monkeypatch, examples_dir, content, says):
    config = tmp_path / "permanence.toml"
    config.write_bytes(content)
    monkeypatch.setenv("PERMANENCE_CONFIG", str(config))
    result = cli(["audit", "--engine", "none", examples_dir / "caseload" / "C1001-ava-thompson" / "cpr.json"])
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"permanence: {config}: {says}"), lines
