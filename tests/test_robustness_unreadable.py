"""A file that cannot be read (no permission) is reported for that file, and the other
files are still checked. Running as root ignores permissions, so opening is made to fail
as the operating system would."""
from __future__ import annotations

import builtins
import errno
import io
import shutil

import pytest


def make_unreadable(monkeypatch):
    """From now on, paths whose name contains 'locked' cannot be opened."""
    real_open = builtins.open
    real_io_open = io.open

    def guarded(opener):
        def open_(file, *args, **kwargs):
            if "locked" in str(file):
                raise PermissionError(errno.EACCES, "Permission denied", str(file))
            return opener(file, *args, **kwargs)
        return open_

    monkeypatch.setattr(builtins, "open", guarded(real_open))
    monkeypatch.setattr(io, "open", guarded(real_io_open))


@pytest.mark.parametrize("suffix", [".json", ".docx"])
def test_an_unreadable_record_is_named_and_the_others_are_checked(cli, examples_dir, tmp_path, monkeypatch, suffix):
    folder = tmp_path / "drafts"
    folder.mkdir()
    good = folder / "ppm.json"
    shutil.copy(examples_dir / "caseload" / "C1002-leo-campbell" / "ppm-2026-11-19.json", good)
    locked = folder / f"locked{suffix}"
    locked.write_bytes(b"PK\x03\x04 not read")
    make_unreadable(monkeypatch)
    result = cli(["validate", folder, "--as-of", "2026-11-23"])
    assert result.exit_code == 2, result.output
    assert f"{locked}: could not be checked: cannot read the file (Permission denied)." in result.output
    assert f"{good} (Permanence Planning Meeting record): OK" in result.output
    assert "internal error" not in result.output
