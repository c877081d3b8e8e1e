"""What the meeting left in the last tracker that a rebuild cannot put back in place: cell
comments (Review > New Comment or Note), and rows it inserted with notes but no child ID.
They are copied to a 'Kept from the last tracker' sheet, with where they were, and said.

Comments are read from the workbook's own parts (openpyxl's read-only mode does not read
them), through the same checked zip and a parser that resolves no entities."""
from __future__ import annotations

import posixpath
import zipfile
from dataclasses import dataclass

KEPT_SHEET = "Kept from the last tracker"
KEPT_HEADERS = ("Kept on", "Sheet", "Where", "Child ID", "Column", "What", "Text")
MAX_COMMENT_BYTES = 16 * 1024 * 1024  # all comment parts together

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_COMMENTS = _DOC_REL + "/comments"


@dataclass
class Comment:
    sheet: str
    ref: str  # "D5"
    author: str
    text: str


def _parse(data: bytes):
    from lxml import etree

    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        return None
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        return etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError:
        return None


def _rels(zf: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    folder, name = posixpath.split(part)
    rels_name = posixpath.join(folder, "_rels", name + ".rels")
    try:
        root = _parse(zf.read(rels_name))
    except KeyError:
        return {}
    if root is None:
        return {}
    out = {}
    for rel in root.iter(f"{{{_REL}}}Relationship"):
        target = rel.get("Target") or ""
        target = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        out[rel.get("Id") or ""] = (rel.get("Type") or "", target)
    return out


def read_comments(path) -> list[Comment]:
    """Every cell comment in the workbook, by sheet name; [] when there are none or the parts
    cannot be read (the workbook itself was checked before this: check_zip)."""
    found: list[Comment] = []
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            if not any(posixpath.basename(n).startswith("comments") for n in names):
                return []
            book = _parse(zf.read("xl/workbook.xml"))
            if book is None:
                return []
            rels = _rels(zf, "xl/workbook.xml")
            budget = MAX_COMMENT_BYTES
            for sheet in book.iter(f"{{{_MAIN}}}sheet"):
                title = sheet.get("name") or ""
                target = rels.get(sheet.get(f"{{{_DOC_REL}}}id") or "", ("", ""))[1]
                for kind, part in _rels(zf, target).values():
                    if kind != _COMMENTS or part not in names:
                        continue
                    info = zf.getinfo(part)
                    budget -= info.file_size
                    if budget < 0:
                        return found
                    root = _parse(zf.read(part))
                    if root is None:
                        continue
                    authors = [a.text or "" for a in root.iter(f"{{{_MAIN}}}author")]
                    for comment in root.iter(f"{{{_MAIN}}}comment"):
                        text = "".join(t.text or "" for t in comment.iter(f"{{{_MAIN}}}t")).strip()
                        try:
                            author = authors[int(comment.get("authorId") or 0)]
                        except (ValueError, IndexError):
                            author = ""
                        if text:
                            found.append(Comment(title, comment.get("ref") or "", author, text))
    except (zipfile.BadZipFile, KeyError, OSError, ValueError):
        return found
    return found


def row_of(ref: str) -> int | None:
    digits = "".join(ch for ch in ref if ch.isdigit())
    return int(digits) if digits else None


def column_of(ref: str) -> int | None:
    from openpyxl.utils import column_index_from_string

    letters = "".join(ch for ch in ref if ch.isalpha())
    try:
        return column_index_from_string(letters) if letters else None
    except ValueError:
        return None
