"""Helpers for the tests of permanence/templates: the records to render, and a user who
fills a blank form in Word (typing into controls, adding rows and items)."""
from __future__ import annotations

import copy
import datetime as dt
import json
import struct
import zipfile
import zlib
from pathlib import Path

from lxml import etree

from permanence.forms.registry import FORMS
from permanence.templates.layout import Arr, Leaf, index

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "cases" / "templates"
EXAMPLES = ROOT / "examples"
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = "{%s}" % W_NS


def record_files() -> list[Path]:
    """Every record with a Word form: the examples (read now, as other work adds to them)
    and this area's own cases."""
    found = []
    for path in sorted(EXAMPLES.rglob("*.json")) + sorted(CASES.glob("*.json")):
        if "invalid" in path.parts or "tracker-expected" in path.parts:
            continue
        try:
            form = json.loads(path.read_text("utf-8")).get("form")
        except (ValueError, AttributeError):
            continue
        if form in FORMS and FORMS[form].template_file:
            found.append(path)
    return found


def png_bytes(width: int = 40, height: int = 30, rgb=(200, 120, 60)) -> bytes:
    """A small solid-colour PNG (no imaging library needed)."""
    raw = b"".join(b"\x00" + bytes(rgb) * width for _ in range(height))

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


def read_document(path: Path):
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read("word/document.xml"))


def write_document(src: Path, dst: Path, root) -> None:
    """Save a changed word/document.xml, as Word saves the file."""
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info, data if info.filename == "word/document.xml" else zin.read(info.filename))


# ---------------------------------------------------------------- a user in Word

def user_text(leaf: Leaf, value) -> str:
    """What a social worker types or picks for a value."""
    if leaf.kind == "bool":
        return "Yes" if value else "No"
    if leaf.kind == "enum":
        labels = leaf.schema.get("x-enum-labels") or leaf.schema["enum"]
        return labels[leaf.schema["enum"].index(value)]
    if leaf.kind == "date":
        return dt.date.fromisoformat(value).strftime("%d/%m/%Y")  # typed the British way
    return str(value)


def _run(text: str):
    run = etree.Element(W + "r")
    pieces = text.split("\t")
    for i, piece in enumerate(pieces):
        if i:
            etree.SubElement(run, W + "tab")
        t = etree.SubElement(run, W + "t")
        t.text = piece
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return run


def type_into(sdt, text: str) -> None:
    """Click into a control and type: the placeholder goes, the text replaces it; Enter
    makes a new paragraph in a control that holds paragraphs, a line break otherwise."""
    props = sdt.find(W + "sdtPr")
    flag = props.find(W + "showingPlcHdr")
    if flag is not None:
        props.remove(flag)
    content = sdt.find(W + "sdtContent")
    paragraphs = content.findall(W + "p")
    if paragraphs:
        ppr = paragraphs[0].find(W + "pPr")
        for p in paragraphs:
            content.remove(p)
        for line in text.split("\n"):
            p = etree.SubElement(content, W + "p")
            if ppr is not None:
                p.append(copy.deepcopy(ppr))
            p.append(_run(line))
    else:
        for child in list(content):
            content.remove(child)
        lines = text.split("\n")
        for i, line in enumerate(lines):
            if i:
                br_run = etree.SubElement(content, W + "r")
                etree.SubElement(br_run, W + "br")
            content.append(_run(line))


def _get(data, parts):
    for part in parts:
        if isinstance(data, dict) and part in data:
            data = data[part]
        elif isinstance(data, list) and isinstance(part, int) and part < len(data):
            data = data[part]
        else:
            return None
    return data


class WordUser:
    """Fills a blank form with a record's values, the way a person would in Word: types
    into each control, adds table rows with Insert Row (plain cells, no controls),
    copies a repeating item with its + button, and types "None." for an empty list."""

    def __init__(self, form: str, data: dict):
        self.form = form
        self.data = data
        self.nodes = index(form)

    def tag_of(self, sdt):
        props = sdt.find(W + "sdtPr")
        tag = props.find(W + "tag") if props is not None else None
        return tag.get(W + "val") if tag is not None else None

    def locate(self, tag, frames):
        parts = tag.split("/")[1:]
        pattern = tuple("*" if p.isdigit() else p for p in parts)
        for item_pattern, concrete in reversed(frames):
            if pattern[: len(item_pattern)] == item_pattern:
                return pattern, concrete + tuple(parts[len(item_pattern):])
        return pattern, tuple(int(p) if p.isdigit() else p for p in parts)

    def fill(self, el, frames=()):
        for child in list(el):
            if child.tag == W + "sdt":
                tag = self.tag_of(child)
                if tag and tag.startswith("/"):
                    pattern, concrete = self.locate(tag, list(frames))
                    node = self.nodes.get(pattern)
                    if isinstance(node, Leaf):
                        value = _get(self.data, concrete)
                        if value is not None:
                            type_into(child, user_text(node, value))
                        continue
                    if isinstance(node, Arr):
                        self.fill_list(child, node, concrete, frames)
                        continue
                self.fill(child.find(W + "sdtContent"), frames)
            elif isinstance(child.tag, str):
                self.fill(child, frames)

    def fill_list(self, container, arr: Arr, concrete, frames):
        values = _get(self.data, concrete)
        content = container.find(W + "sdtContent")
        items = [c for c in content if c.tag == W + "sdt"]
        first = items[0]
        pristine = copy.deepcopy(first)
        item_pattern = arr.path + ("*",)
        in_table = container.getparent().tag == W + "tbl"
        if not values:
            for it in items:
                content.remove(it)
            if values == []:
                if in_table:
                    tr = etree.SubElement(content, W + "tr")
                    tc = etree.SubElement(tr, W + "tc")
                    p = etree.SubElement(tc, W + "p")
                    p.append(_run("None."))
                else:
                    p = etree.SubElement(content, W + "p")
                    p.append(_run("None."))
            return
        self.fill(first, list(frames) + [(item_pattern, concrete + (0,))])
        if in_table and arr.style == "table":
            table = container.getparent()
            for value in values[1:]:
                table.append(self.plain_row(arr, value, first))
            return
        anchor = first
        for i in range(1, len(values)):
            clone = copy.deepcopy(pristine)  # the + button copies the item, emptied
            anchor.addnext(clone)
            anchor = clone
            self.fill(clone, list(frames) + [(item_pattern, concrete + (i,))])

    def plain_row(self, arr: Arr, value: dict, like):
        """Insert Row: a row of plain cells; the user types into each cell."""
        tr = etree.Element(W + "tr")
        template_cells = list(like.iter(W + "tc"))
        for leaf, template_cell in zip(arr.item.children, template_cells):
            tc = etree.SubElement(tr, W + "tc")
            tcpr = template_cell.find(W + "tcPr")
            if tcpr is not None:
                tc.append(copy.deepcopy(tcpr))
            text = user_text(leaf, value[leaf.key]) if leaf.key in value else ""
            for line in text.split("\n"):
                p = etree.SubElement(tc, W + "p")
                if line:
                    p.append(_run(line))
        return tr


def render_example(record, out):
    """Render a record; one whose photographs are not on disk (the examples name image
    files that are not in the repository) is rendered as a draft, with a placeholder
    where each missing picture would go. Returns (path, rendered as draft)."""
    import warnings

    from permanence.findings import UserError
    from permanence.templates.render import render_record

    try:
        return render_record(record, out), False
    except UserError as exc:
        if "image file" not in str(exc):
            raise
        warnings.warn(f"{exc} (rendered as a draft with placeholders)")
        return render_record(record, out, draft=True), True
