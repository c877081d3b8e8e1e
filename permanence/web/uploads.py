"""Uploads held in memory, and the private temporary folder a job works in.

Starlette's form parser spools a file over 1 MB to the system temporary folder; the
parser here keeps every part in memory (the body is read whole within the route's size
limit first, so memory is bounded by it). A job writes the uploads into a private folder
(mode 0700) that is removed when the job ends, whether it succeeded or failed.
"""
from __future__ import annotations

import contextlib
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from starlette.datastructures import UploadFile
from starlette.formparsers import MultiPartException, MultiPartParser

MiB = 1024 * 1024
SAFE = re.compile(r"[^A-Za-z0-9._-]+")


class TooLarge(Exception):
    """The request is larger than the page accepts (a 413)."""

    def __init__(self, limit: int):
        self.limit = limit


class BadForm(Exception):
    """The form could not be read (a damaged or hand-made request, or too many files)."""

    @property
    def too_many_files(self) -> bool:
        return str(self).startswith("Too many files")


class _InMemoryParser(MultiPartParser):
    spool_max_size = 1 << 40  # never roll over to disk: the body is already bounded


@dataclass
class Upload:
    name: str  # the file's own name, as the user knows it (no folders)
    data: bytes


async def read_form(request, limit: int, max_files: int = 200) -> tuple[dict[str, str], dict[str, list[Upload]]]:
    """The text fields and the uploaded files of a multipart (or urlencoded) form, in memory."""
    declared = request.headers.get("content-length")
    if declared is not None:
        try:
            if int(declared) > limit:
                raise TooLarge(limit)
        except ValueError:
            raise BadForm("bad Content-Length") from None
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise TooLarge(limit)
        chunks.append(chunk)
    body = b"".join(chunks)
    content_type = request.headers.get("content-type", "")

    async def stream():
        yield body

    fields: dict[str, str] = {}
    files: dict[str, list[Upload]] = {}
    if content_type.startswith("multipart/form-data"):
        parser = _InMemoryParser(request.headers, stream(), max_files=max_files, max_fields=50, max_part_size=64 * 1024)
        try:
            form = await parser.parse()
        except MultiPartException as exc:
            raise BadForm(str(exc)) from None
        try:
            for key, value in form.multi_items():
                if isinstance(value, UploadFile):
                    if not value.filename:
                        continue  # the file input left empty
                    await value.seek(0)
                    data = await value.read()
                    files.setdefault(key, []).append(Upload(display_name(value.filename), data))
                else:
                    fields[key] = value
        finally:
            await form.close()
    elif content_type.startswith("application/x-www-form-urlencoded"):
        from urllib.parse import parse_qsl

        fields = dict(parse_qsl(body.decode("latin-1"), keep_blank_values=True))
    return fields, files


def display_name(raw: str) -> str:
    """The last part of the name a browser sent (some send a whole Windows path)."""
    name = raw.replace("\\", "/").rsplit("/", 1)[-1].strip()
    name = "".join(ch for ch in name if ch.isprintable())[:120]
    return name or "file"


def safe_filename(name: str, default: str = "download") -> str:
    """A name safe in a Content-Disposition header and on any file system."""
    cleaned = SAFE.sub("-", name).strip(".-")[:100]
    return cleaned or default


# The system's temporary folder, read once: a tracker being written points tempfile at a
# folder of its own for a while (tracker/build.py), and an upload must never land there.
SYSTEM_TEMP = tempfile.gettempdir()


@contextlib.contextmanager
def private_folder():
    """A private temporary folder, removed however the block ends."""
    folder = Path(tempfile.mkdtemp(prefix="permanence-web-", dir=SYSTEM_TEMP))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def write_uploads(folder: Path, uploads: list[Upload], sub: str = "in") -> list[tuple[Path, str]]:
    """Write the uploads into one folder under `folder`, numbered and keeping their (cleaned)
    names so messages name them; returns (path, the name the user knows). One folder, not
    one each: removing folders is slow on some file systems."""
    target_dir = folder / sub
    target_dir.mkdir(parents=True)
    out = []
    for i, up in enumerate(uploads):
        target = target_dir / f"{i:04d}-{safe_filename(up.name, 'file')}"
        target.write_bytes(up.data)
        out.append((target, up.name))
    return out


def plain_message(message: str, folder: Path, names: dict[Path, str] | None = None) -> str:
    """A command's one-line message with the private folder's paths replaced by the names
    the user knows."""
    for path, name in sorted((names or {}).items(), key=lambda kv: -len(str(kv[0]))):
        message = message.replace(str(path), name)
    message = message.replace(str(folder) + "/", "").replace(str(folder), "")
    return message
