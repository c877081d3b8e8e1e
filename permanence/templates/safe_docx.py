"""Open an untrusted .docx without trusting it.

Before anything is read, the zip's own directory is checked: how many parts, their
declared sizes and compression ratios (a zip bomb declares, or expands to, far more
than a form could hold), and whether it carries macros (a .docm renamed .docx). Parts
are then read with a hard cap, and XML is parsed with entities unresolved, no DTD, no
network, after refusing any DOCTYPE (entity-expansion attacks need one).
Every refusal is a UserError: one sentence naming the file and what to do.
"""
from __future__ import annotations

import re
import stat
import zipfile
import zlib
from pathlib import Path

from lxml import etree

from permanence.findings import UserError

MAX_FILE_BYTES = 100 * 1024 * 1024  # the .docx itself (photographs included)
MAX_ENTRIES = 2000
MAX_PART_BYTES = 40 * 1024 * 1024  # any one part, uncompressed, as declared
MAX_TOTAL_BYTES = 300 * 1024 * 1024  # all parts, uncompressed, as declared
MAX_XML_BYTES = 16 * 1024 * 1024  # an XML part we actually read (a 13-page CPR is about 0.2 MiB)
# No compression-ratio limit: repetitive text (a record's own) compresses 300:1 and more,
# and the expanded sizes above (as declared, and as read: read() never takes more) are
# what bound a zip bomb.

MACRO_PARTS = re.compile(r"(^|/)(vbaProject\.bin|vbaData\.xml|vbaProjectSignature\.bin)$", re.IGNORECASE)
MACRO_TYPES = re.compile(rb"macroEnabled|vbaProject|ms-word\.vbaData", re.IGNORECASE)
DTD = re.compile(rb"<!DOCTYPE|<!ENTITY", re.IGNORECASE)

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                           huge_tree=False, remove_comments=True, remove_pis=True, encoding="utf-8")


class SafeDocx:
    """The checked parts of one .docx file."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.name = str(path)
        self._zip: zipfile.ZipFile | None = None

    def fail(self, what: str) -> UserError:
        return UserError(f"{self.name}: {what}")

    def __enter__(self) -> "SafeDocx":
        try:
            info = self.path.stat()
        except OSError as exc:
            raise self.fail(f"cannot read the file ({exc.strerror}).") from None
        if not stat.S_ISREG(info.st_mode):  # a pipe or a device would block or never end
            raise self.fail("is not an ordinary file (a folder, pipe or device). Give the Word document itself.")
        size = info.st_size
        if size == 0:
            raise self.fail("the file is empty. Save the form from Word again and try again.")
        if size > MAX_FILE_BYTES:
            raise self.fail(f"the file is {size // (1024 * 1024)} MiB, larger than any form ({MAX_FILE_BYTES // (1024 * 1024)} MiB at most). Is it the right file?")
        try:
            with open(self.path, "rb") as handle:
                head = handle.read(8)
        except OSError as exc:  # no permission to read it, for one
            raise self.fail(f"cannot read the file ({exc.strerror}).") from None
        if head.startswith(b"\xd0\xcf\x11\xe0"):
            raise self.fail("this is an old Word 97-2003 document or a password-protected file, not a .docx. Open it in Word, remove any password and save it as a Word Document (.docx).")
        if not head.startswith(b"PK"):
            raise self.fail("this is not a Word document (.docx). Save the form from Word as a Word Document (.docx) and try again.")
        try:
            self._zip = zipfile.ZipFile(self.path)
        except (zipfile.BadZipFile, OSError, EOFError, ValueError):
            raise self.fail("the file is damaged or incomplete (perhaps cut short while copying). Save it from Word again and try again.") from None
        try:
            self._check_directory()
        except BaseException:
            self._zip.close()
            raise
        return self

    def __exit__(self, *exc) -> None:
        if self._zip is not None:
            self._zip.close()

    def _check_directory(self) -> None:
        infos = self._zip.infolist()
        if len(infos) > MAX_ENTRIES:
            raise self.fail(f"the file holds {len(infos)} parts, far more than a Word form; it may be a zip bomb. It was not opened.")
        total = 0
        for info in infos:
            if info.file_size > MAX_PART_BYTES:
                raise self.fail(f"a part of the file ('{info.filename}') would expand to {info.file_size // (1024 * 1024)} MiB; it may be a zip bomb. It was not opened.")
            total += info.file_size
            parts = info.filename.replace("\\", "/").split("/")
            if info.filename.startswith("/") or ".." in parts or ":" in info.filename:
                raise self.fail(f"the file holds a part named to escape its folder ('{info.filename[:80]}'), as malicious zips do. It was not opened.")
            if MACRO_PARTS.search(info.filename):
                raise self.fail("the document contains macros (a macro-enabled .docm renamed .docx). Save it in Word as a Word Document (.docx), without macros, and try again.")
        if total > MAX_TOTAL_BYTES:
            raise self.fail(f"the file would expand to {total // (1024 * 1024)} MiB; it may be a zip bomb. It was not opened.")
        names = {info.filename for info in infos}
        if "[Content_Types].xml" not in names:
            raise self.fail("this is a zip file but not a Word document (.docx). Save the form from Word as a Word Document (.docx).")
        if MACRO_TYPES.search(self.read("[Content_Types].xml")):
            raise self.fail("the document is macro-enabled (a .docm renamed .docx). Save it in Word as a Word Document (.docx), without macros, and try again.")

    def read(self, name: str, limit: int = MAX_XML_BYTES) -> bytes:
        """A part's bytes, never more than limit however the zip describes itself."""
        try:
            info = self._zip.getinfo(name)
        except KeyError:
            raise self.fail(f"the part '{name}' is missing, so this is not a complete Word document. Save it from Word again.") from None
        if info.file_size > limit:
            raise self.fail(f"the part '{name}' is too large for a form ({info.file_size // (1024 * 1024)} MiB).")
        chunks, read = [], 0
        try:
            with self._zip.open(info) as stream:
                while True:
                    chunk = stream.read(min(1024 * 1024, limit + 1 - read))
                    if not chunk:
                        break
                    chunks.append(chunk)
                    read += len(chunk)
                    if read > limit:
                        raise self.fail(f"the part '{name}' expands beyond its declared size; it may be a zip bomb. It was not opened.")
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError):
            raise self.fail("the file is damaged or incomplete (perhaps cut short while copying), or encrypted. Save it from Word again and try again.") from None
        return b"".join(chunks)

    def xml(self, name: str):
        """A part parsed safely: no DOCTYPE, no entities, no network."""
        data = self.read(name)
        if DTD.search(data):
            raise self.fail(f"the part '{name}' declares a DOCTYPE or entities, which Word never writes (an entity-expansion attack). It was not read.")
        if b"\x00" in data:
            raise self.fail(f"the part '{name}' is not UTF-8 XML as Word writes it. Save the document from Word again.")
        try:
            return etree.fromstring(data, parser=_parser())
        except etree.XMLSyntaxError:
            raise self.fail(f"the part '{name}' is damaged (not well-formed XML). Save the document from Word again.") from None

    def main_part(self) -> str:
        """The name of the main document part, from the package relationships."""
        try:
            rels = self.xml("_rels/.rels")
        except UserError:
            return "word/document.xml"
        for rel in rels.iter(f"{{{REL_NS}}}Relationship"):
            if rel.get("Type") == OFFICE_DOCUMENT:
                target = (rel.get("Target") or "").lstrip("/")
                if target and ".." not in target:
                    return target
        return "word/document.xml"

    def document(self):
        root = self.xml(self.main_part())
        body = root.find(f"{{{W_NS}}}body")
        if body is None:
            raise self.fail("the document has no body; it is not a Word form. Save it from Word again.")
        return body

    def core_category(self) -> str | None:
        try:
            core = self.xml("docProps/core.xml")
        except UserError:
            return None
        for el in core.iter():
            if isinstance(el.tag, str) and el.tag.endswith("}category"):
                return (el.text or "").strip() or None
        return None


def check_own_output(stream, out_path) -> None:
    """Refuse to write a .docx that SafeDocx would refuse to read back (too many parts, a
    part or the whole too large when expanded, a main part beyond MAX_XML_BYTES)."""
    name = str(out_path)
    with zipfile.ZipFile(stream) as zf:
        infos = zf.infolist()
        total = sum(i.file_size for i in infos)
        biggest = max(infos, key=lambda i: i.file_size)
        xml_too_big = [i for i in infos if i.filename.endswith(".xml") and i.file_size > MAX_XML_BYTES]
    if len(infos) > MAX_ENTRIES or total > MAX_TOTAL_BYTES or biggest.file_size > MAX_PART_BYTES or xml_too_big:
        raise UserError(f"{name}: the document would be larger than a Word form this toolkit can read back "
                        f"({total // (1024 * 1024)} MiB expanded, {len(infos)} parts), so it was not written. "
                        "Shorten the longest texts, or use smaller pictures, and try again.")
