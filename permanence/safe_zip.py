"""Unpack an untrusted .zip (a caseload uploaded to `permanence serve`) without trusting it.

The same ideas as templates/safe_docx.py: the zip's own directory is checked before
anything is written (how many members, their declared sizes, compression ratios, names
that climb out of the folder or are absolute, links, encryption), then each member is
copied with a hard cap, so a member that expands beyond what it declared is refused
too. Only the record files a job reads are written; the rest (photographs, notes) are
left in the archive. Every refusal is a UserError: one sentence naming the file and
what to do.
"""
from __future__ import annotations

import io
import re
import stat
import zipfile
import zlib
from pathlib import Path, PurePosixPath

from permanence.findings import UserError
from permanence.forms.load import MAX_FILE_BYTES as MAX_RECORD_BYTES

MAX_ZIP_BYTES = 100 * 1024 * 1024  # the archive itself
MAX_MEMBERS = 20_000  # a caseload of a thousand children holds a few thousand files
MAX_TOTAL_BYTES = 1024 * 1024 * 1024  # the record files written out, as declared and as read
MAX_RATIO = 100  # uncompressed / compressed, for members over RATIO_FLOOR
RATIO_FLOOR = 1024 * 1024
CHUNK = 64 * 1024
DRIVE = re.compile(r"^[A-Za-z]:")


def _member_path(raw: str) -> PurePosixPath | None:
    """The member's name as a relative path inside the folder, or None if it would leave it."""
    name = raw.replace("\\", "/")
    if name.startswith("/") or DRIVE.match(name) or "\x00" in name:
        return None
    parts = [p for p in name.split("/") if p not in ("", ".")]
    if not parts or any(p == ".." for p in parts):
        return None
    return PurePosixPath(*parts)


def extract_records(data: bytes, dest: Path, *, name: str, suffixes: set[str]) -> list[Path]:
    """Write the members of the zip `data` whose names end in one of `suffixes` under `dest`
    (which must exist); returns the paths written. `name` is the file name the user knows."""
    def fail(what: str) -> UserError:
        return UserError(f"{name}: {what}")

    if not data:
        raise fail("the file is empty. Make the .zip of the caseload folder again and try again.")
    if len(data) > MAX_ZIP_BYTES:
        raise fail(f"the file is {len(data) // (1024 * 1024)} MiB, more than a caseload .zip may be ({MAX_ZIP_BYTES // (1024 * 1024)} MiB). "
                   "Leave the photographs out of the .zip, or split the caseload.")
    if not data.startswith(b"PK"):
        raise fail("this is not a .zip file. Make a .zip of the caseload folder (in Windows: right-click, Send to, Compressed folder).")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
        raise fail("the .zip is damaged or incomplete (perhaps cut short while copying). Make it again and try again.") from None
    if len(infos) > MAX_MEMBERS:
        raise fail(f"the .zip holds {len(infos):,} files, more than a caseload could ({MAX_MEMBERS:,} at most). Is it the right file?")
    chosen: list[tuple[zipfile.ZipInfo, PurePosixPath]] = []
    seen: set[str] = set()
    total = 0
    for info in infos:
        rel = _member_path(info.filename)
        if rel is None:
            raise fail("the .zip names a file outside its own folder (an absolute path or '..'), which is refused. "
                       "Make the .zip from the caseload folder itself.")
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            raise fail(f"the .zip holds a link ({rel.name}), which is refused. Make the .zip from the files themselves.")
        if info.is_dir() or rel.suffix.lower() not in suffixes:
            continue
        if any(part.startswith(".") or part == "__MACOSX" for part in rel.parts) or rel.name.startswith("~$"):
            continue  # hidden files, Mac resource forks and Word's lock files are not records
        if info.flag_bits & 0x1:
            raise fail(f"{rel.name} in the .zip is password-protected. Make the .zip without a password.")
        key = str(rel).lower()
        if key in seen:
            raise fail(f"the .zip holds {rel} twice. Make the .zip again from the folder.")
        seen.add(key)
        if info.file_size > MAX_RECORD_BYTES:
            raise fail(f"{rel.name} in the .zip is {info.file_size // (1024 * 1024)} MiB, larger than any record "
                       f"({MAX_RECORD_BYTES // (1024 * 1024)} MiB at most). Is it the right file?")
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise fail(f"{rel.name} in the .zip expands {info.file_size // max(info.compress_size, 1)} times, as a zip bomb does; it is refused.")
        total += info.file_size
        if total > MAX_TOTAL_BYTES:
            raise fail(f"the records in the .zip add up to more than {MAX_TOTAL_BYTES // (1024 * 1024)} MiB. Split the caseload.")
        chosen.append((info, rel))
    written: list[Path] = []
    for info, rel in chosen:
        target = dest.joinpath(*rel.parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        size = 0
        try:
            with archive.open(info) as src, open(target, "wb") as out:
                while True:
                    chunk = src.read(CHUNK)
                    if not chunk:
                        break
                    size += len(chunk)
                    if size > info.file_size or size > MAX_RECORD_BYTES:  # it lied about its size
                        raise fail(f"{rel.name} in the .zip expands beyond the size it declares, as a zip bomb does; it is refused.")
                    out.write(chunk)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError):
            raise fail(f"{rel.name} in the .zip is damaged or uses a kind of compression that cannot be read. Make the .zip again.") from None
        written.append(target)
    return written
