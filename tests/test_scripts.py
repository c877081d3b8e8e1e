"""The scripts a new user runs first: `scripts/example --help` prints help and runs
nothing (it used to set up, empty out/ and run the whole job)."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_example_help_prints_help_and_touches_nothing(tmp_path, flag):
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "example", tmp_path / "scripts" / "example")
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "keep.txt").write_text("earlier output", encoding="utf-8")
    result = subprocess.run(["bash", str(tmp_path / "scripts" / "example"), flag], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Usage: scripts/example") and "out/tracker.xlsx" in result.stdout
    assert (tmp_path / "out" / "keep.txt").read_text(encoding="utf-8") == "earlier output"
    assert not (tmp_path / ".venv").exists()  # set-up did not run


def test_example_refuses_an_unknown_argument_without_running(tmp_path):
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "example", tmp_path / "scripts" / "example")
    (tmp_path / "out").mkdir()
    result = subprocess.run(["bash", str(tmp_path / "scripts" / "example"), "--fast"], capture_output=True, text=True, timeout=30)
    assert result.returncode == 2 and "unknown argument '--fast'" in result.stderr
    assert (tmp_path / "out").is_dir()
