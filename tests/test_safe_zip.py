"""safe_zip: a caseload .zip is unpacked only after its directory is checked, with a hard
cap on what each member expands to."""
from __future__ import annotations

import io
import stat
import zipfile

import pytest

from permanence import safe_zip
from permanence.findings import UserError

SUFFIXES = {".json", ".yaml", ".yml"}


def make(members, compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as z:
        for name, content in members:
            if isinstance(name, zipfile.ZipInfo):
                z.writestr(name, content)
            else:
                z.writestr(name, content)
    return buffer.getvalue()


def test_records_are_written_and_the_rest_left_in_the_archive(tmp_path):
    data = make([("caseload/C1/case.json", b"{}"), ("caseload/C1/photo.png", b"\x89PNG"), ("caseload/.git/x.json", b"{}"),
                 ("__MACOSX/caseload/._case.json", b"x"), ("caseload/C1/ppm.YAML", b"a: 1")])
    written = safe_zip.extract_records(data, tmp_path, name="c.zip", suffixes=SUFFIXES)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in written) == ["caseload/C1/case.json", "caseload/C1/ppm.YAML"]
    assert (tmp_path / "caseload/C1/case.json").read_bytes() == b"{}"
    assert not (tmp_path / "caseload/C1/photo.png").exists()


def _link() -> zipfile.ZipInfo:
    info = zipfile.ZipInfo("case.json")
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    return info


@pytest.mark.parametrize("members, words", [
    ([("../../etc/case.json", b"{}")], "outside its own folder"),
    ([("/abs/case.json", b"{}")], "outside its own folder"),
    ([("C:\\\\x\\\\case.json", b"{}")], "outside its own folder"),
    ([("a\\\\..\\\\..\\\\case.json", b"{}")], "outside its own folder"),
    ([(_link(), b"/etc/passwd")], "a link"),
    ([("a/case.json", b"{}"), ("A/CASE.json", b"{}")], "twice"),
    ([("bomb.json", b"0" * (8 * 1024 * 1024))], "zip bomb"),
])
def test_hostile_members_are_refused_before_anything_is_written(tmp_path, members, words):
    with pytest.raises(UserError) as exc:
        safe_zip.extract_records(make(members), tmp_path, name="c.zip", suffixes=SUFFIXES)
    assert str(exc.value).startswith("c.zip: ") and words in str(exc.value)
    assert list(tmp_path.iterdir()) == []


def test_too_many_members(tmp_path, monkeypatch):
    monkeypatch.setattr(safe_zip, "MAX_MEMBERS", 10)
    with pytest.raises(UserError, match="holds 11 files"):
        safe_zip.extract_records(make([(f"{i}.json", b"{}") for i in range(11)]), tmp_path, name="c.zip", suffixes=SUFFIXES)


def test_a_member_that_expands_beyond_its_declared_size_is_stopped(tmp_path):
    data = bytearray(make([("case.json", b"{" + b" " * 5000 + b"}")], zipfile.ZIP_STORED))
    # Lower the declared size in both headers: the copy must stop at the declared size.
    data = bytes(data).replace((5002).to_bytes(4, "little"), (100).to_bytes(4, "little"))
    with pytest.raises(UserError, match="beyond the size it declares|damaged"):
        safe_zip.extract_records(data, tmp_path, name="c.zip", suffixes=SUFFIXES)


@pytest.mark.parametrize("data, words", [(b"", "empty"), (b"hello", "not a .zip"), (b"PK\x03\x04broken", "damaged")])
def test_not_a_zip(tmp_path, data, words):
    with pytest.raises(UserError, match=words):
        safe_zip.extract_records(data, tmp_path, name="c.zip", suffixes=SUFFIXES)


def test_an_encrypted_member_is_refused(tmp_path):
    data = bytearray(make([("case.json", b"{}")], zipfile.ZIP_STORED))
    # Set the "encrypted" flag bit in the central directory entry.
    cd = data.rfind(b"PK\x01\x02")
    data[cd + 8] |= 0x1
    with pytest.raises(UserError, match="password-protected"):
        safe_zip.extract_records(bytes(data), tmp_path, name="c.zip", suffixes=SUFFIXES)
