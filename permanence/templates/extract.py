"""Read a filled Word form back into a record: what is on the page, as the user left it.

Every field is a content control tagged with its JSON pointer. The structure of lists
is read from the page, not from the pointers: each item of a repeating section, and each
row of a table (including rows added with "Insert row", which carry no controls: their
cells are read by the column heading), becomes an entry, in the order shown. Entries
left empty are dropped; a list shown as "None." is an empty list. Values are read as
the page shows them and mapped back to the schema's codes: labels of drop-downs to their
codes, Yes/No to true/false, "14 March 2026" or 14/03/2026 to 2026-03-14. Text that does
not map is kept as typed, so `validate` can say what is wrong with it.

Some programs drop the controls' tags when they save (LibreOffice 7.4 does); such a
form is read by what its page says instead (LabelReader: headings, labels, questions and
column headings are the schema's titles or their short labels (columns.py); the audit checklist by its cells' styles). One
thing cannot be told apart there: a list item of two paragraphs reads as two items.
"""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from permanence.findings import UserError
from permanence.forms.record import Record
from permanence.forms.registry import FORMS
from permanence.templates.build import (ACTION_PLACEHOLDER, EVIDENCE_HIDDEN, EVIDENCE_HIDDEN_OPENER, EVIDENCE_OPENERS,
                                        NONE_MARK, NOT_RECORDED, NOT_RECORDED_SHORT, placeholder_text)
from permanence.templates.columns import column_label
from permanence.templates.layout import Arr, Leaf, Obj, form_layout, index, pattern_pointer
from permanence.templates.safe_docx import W_NS, SafeDocx

W = "{%s}" % W_NS
W15 = "{http://schemas.microsoft.com/office/word/2012/wordml}"
SKIP = {W + "sdtPr", W + "rPr", W + "pPr", W + "del", W + "delText", W + "instrText", W + "drawing",
        W + "pict", W + "object", W + "tblPr", W + "trPr", W + "tcPr", W + "sectPr", W + "fldChar",
        W + "moveFrom", W + "commentReference", W + "footnoteReference", W + "endnoteReference"}
MONTHS = {m.lower(): i for i, m in enumerate(
    ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"], 1)}
MONTHS.update({name[:3]: i for name, i in list(MONTHS.items())})
MONTHS["sept"] = 9
TRUE_WORDS = {"yes", "y", "true", "\u2612", "\u2611", "\u2713", "x"}
FALSE_WORDS = {"no", "n", "false", "\u2610"}
MAX_VALUES = 200_000


def _text(el, out: list) -> None:
    for child in el:
        tag = child.tag
        if not isinstance(tag, str) or tag in SKIP:
            continue
        if tag == W + "t":
            out.append(child.text or "")
        elif tag == W + "tab":
            out.append("\t")
        elif tag in (W + "br", W + "cr"):
            out.append("\n")
        elif tag == W + "noBreakHyphen":
            out.append("-")
        elif tag == W + "sym":
            continue
        else:
            _text(child, out)


def element_text(el) -> str:
    out: list[str] = []
    _text(el, out)
    return "".join(out)


def paragraphs_text(el) -> str:
    """Text of an element made of paragraphs: one line per paragraph."""
    paras = [p for p in el.iter(W + "p")]
    if not paras:
        return element_text(el)
    return "\n".join(element_text(p) for p in paras)


def parse_date(text: str):
    value = text.strip()
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return value
    match = re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})", value)
    if match and match.group(2).lower() in MONTHS:
        parts = (int(match.group(3)), MONTHS[match.group(2).lower()], int(match.group(1)))
    else:
        match = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", value)  # British order: day first
        parts = (int(match.group(3)), int(match.group(2)), int(match.group(1))) if match else None
    if parts:
        try:
            return dt.date(*parts).isoformat()
        except ValueError:
            return text
    return text


def convert(leaf: Leaf, text: str):
    """The record's value for what the page shows in a field."""
    kind = leaf.kind
    word = text.strip()
    if kind == "bool":
        if word.lower() in TRUE_WORDS:
            return True
        if word.lower() in FALSE_WORDS:
            return False
        return text
    if kind == "enum":
        labels = leaf.schema.get("x-enum-labels") or []
        options = leaf.schema.get("enum", [])
        for label, code in zip(labels, options):
            if word.casefold() == label.casefold():
                return code
        for code in options:
            if word.casefold() == str(code).casefold():
                return code
        return text
    if kind == "date":
        return parse_date(text)
    if kind == "int":
        return int(word) if re.fullmatch(r"-?\d{1,15}", word) else text
    if kind == "number":
        try:
            number = float(word)
            return int(number) if number.is_integer() and "." not in word else number
        except ValueError:
            return text
    if kind == "const":
        return word
    return text


def _styled(content, style: str) -> bool:
    """Every run with text in the control is in the given character style."""
    runs = [r for r in content.iter(W + "r") if element_text(r).strip()]
    return bool(runs) and all((r.find(f"{W}rPr/{W}rStyle") is not None
                               and r.find(f"{W}rPr/{W}rStyle").get(W + "val") == style) for r in runs)


def _placeholder_styled(content) -> bool:
    """Every run with text in the control is in the Placeholder Text style."""
    return _styled(content, "PlaceholderText")


MAX_SPAN = 63  # Word tables have at most 63 columns


def grid_span(tc) -> int:
    """The columns a cell spans (w:gridSpan); a value Word would never write counts as 1."""
    span = tc.find(f"{W}tcPr/{W}gridSpan")
    value = span.get(W + "val") if span is not None else None
    if not value or not (value.isascii() and value.isdigit()) or len(value) > 3:
        return 1
    return max(1, min(int(value), MAX_SPAN))


def _is_index(part: str) -> bool:
    """An item number in a tag: ASCII digits of a sensible length (int('\u00b2') fails)."""
    return part.isascii() and part.isdigit() and len(part) <= 9


def parse_pointer(tag: str) -> tuple:
    parts = tag.split("/")[1:]
    return tuple(p.replace("~1", "/").replace("~0", "~") for p in parts)


class Reader:
    def __init__(self, form: str, name: str):
        self.form = form
        self.name = name
        self.nodes = index(form)
        self.values: list[tuple[tuple, object, str | None]] = []
        self.arrays: dict[tuple, bool] = {}  # concrete array path -> shown as "None."
        self.next_index: dict[tuple, int] = {}

    # where a tag points, given the items we are inside ---------------------
    def locate(self, tag: str, frames: list) -> tuple[tuple, tuple]:
        parts = parse_pointer(tag)
        pattern = tuple("*" if _is_index(p) else p for p in parts)
        for item_pattern, concrete in reversed(frames):
            if pattern[: len(item_pattern)] == item_pattern:
                rest = tuple(int(p) if _is_index(p) else p for p in parts[len(item_pattern):])
                return pattern, concrete + rest
        return pattern, tuple(int(p) if _is_index(p) else p for p in parts)

    def add(self, concrete: tuple, value, tag: str | None) -> None:
        if len(self.values) >= MAX_VALUES:
            raise UserError(f"{self.name}: the document holds more fields than any form; is it the right file?")
        self.values.append((concrete, value, tag))

    def new_item(self, array_path: tuple) -> int:
        i = self.next_index.get(array_path, 0)
        self.next_index[array_path] = i + 1
        return i

    # walking the page -------------------------------------------------------
    def walk(self, el, frames: list) -> None:
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag in SKIP:
                continue
            if tag == W + "sdt":
                self.sdt(child, frames)
            elif tag == W + "tbl":
                container = self.table_container(child)
                if container is not None:
                    self.table(child, container, frames)
                else:
                    self.walk(child, frames)
            elif tag in (W + "t", W + "tab", W + "br"):
                continue
            else:
                self.walk(child, frames)

    def sdt_parts(self, sdt):
        props = sdt.find(W + "sdtPr")
        content = sdt.find(W + "sdtContent")
        tag_el = props.find(W + "tag") if props is not None else None
        tag = tag_el.get(W + "val") if tag_el is not None else None
        return props, content, tag

    def sdt(self, sdt, frames: list) -> None:
        props, content, tag = self.sdt_parts(sdt)
        if content is None:
            return
        if not tag or not tag.startswith("/"):
            self.walk(content, frames)
            return
        pattern, concrete = self.locate(tag, frames)
        node = self.nodes.get(pattern)
        if isinstance(node, Arr):
            self.items(node, content, concrete, frames)
        elif props.find(W15 + "repeatingSectionItem") is not None or next(content.iter(W + "sdt"), None) is not None:
            self.walk(content, frames)  # an item of a list (its fields are inside)
        elif isinstance(node, Leaf):
            self.field(node, props, content, concrete, tag)
        else:
            self.walk(content, frames)

    def field(self, leaf: Leaf, props, content, concrete: tuple, tag: str | None) -> None:
        if props is not None and props.find(W + "showingPlcHdr") is not None:
            return
        text = paragraphs_text(content)
        if text.strip() and text.strip() in (placeholder_text(leaf), placeholder_text(leaf, compact=True)):
            return  # a placeholder whose flag was lost (some editors drop it)
        if text.strip() == NOT_RECORDED and _styled(content, "EmptyAnswer"):
            self.add(concrete, convert(leaf, ""), tag)  # an answer written as empty ("")
            return
        if text.strip() in (NOT_RECORDED, NOT_RECORDED_SHORT) and _placeholder_styled(content):
            return  # a rendered record's empty field whose flag was lost (typed words have no placeholder style)
        # an empty control not showing its placeholder was written empty: ""
        self.add(concrete, convert(leaf, text), tag)

    def items(self, arr: Arr, content, concrete: tuple, frames: list) -> None:
        self.arrays.setdefault(concrete, False)
        item_pattern = arr.path + ("*",)
        for child in content:
            if not isinstance(child.tag, str) or child.tag in SKIP:
                continue
            inner = child.find(W + "sdtContent") if child.tag == W + "sdt" else None
            if inner is not None and next(inner.iter(W + "sdt"), None) is None and element_text(inner).strip() == NONE_MARK:
                self.arrays[concrete] = True  # the "None." item of an empty list
                continue
            has_control = next(child.iter(W + "sdt"), None) is not None
            if child.tag == W + "p" and not has_control:
                text = element_text(child)
                if text.strip() == NONE_MARK:
                    self.arrays[concrete] = True
                elif text.strip() and isinstance(arr.item, Leaf):
                    # a line typed into the list without a control of its own
                    self.add(concrete + (self.new_item(concrete),), convert(arr.item, text), None)
                continue
            i = self.new_item(concrete)
            self.walk([child], frames + [(item_pattern, concrete + (i,))])

    # tables -----------------------------------------------------------------
    def table_container(self, tbl):
        for child in tbl:
            if child.tag == W + "sdt":
                _, _, tag = self.sdt_parts(child)
                if tag and tag.startswith("/"):
                    pattern = tuple("*" if _is_index(p) else p for p in parse_pointer(tag))
                    if isinstance(self.nodes.get(pattern), Arr):
                        return child
        return None

    def rows(self, el):
        for child in el:
            if child.tag == W + "tr":
                yield child
            elif child.tag == W + "sdt":
                content = child.find(W + "sdtContent")
                if content is not None:
                    yield from self.rows(content)

    def table(self, tbl, container, frames: list) -> None:
        _, _, tag = self.sdt_parts(container)
        pattern, concrete = self.locate(tag, frames)
        arr = self.nodes[pattern]
        self.arrays.setdefault(concrete, False)
        item_pattern = arr.path + ("*",)
        columns: list[Leaf | None] = []
        by_title = {}
        if isinstance(arr.item, Obj):
            by_title = {c.title.casefold(): c for c in arr.item.children if isinstance(c, Leaf)}
            by_title.update({column_label(c).casefold(): c for c in arr.item.children if isinstance(c, Leaf)})  # a short heading
        for row in self.rows(tbl):
            tr_pr = row.find(W + "trPr")
            if tr_pr is not None and tr_pr.find(W + "tblHeader") is not None:
                columns = []
                for tc in row.iter(W + "tc"):
                    leaf = by_title.get(element_text(tc).strip().casefold())
                    columns.extend([leaf] * grid_span(tc))  # a hostile span of 10^9 columns was a memory bomb
                continue
            has_control = next(row.iter(W + "sdt"), None) is not None
            if not has_control and element_text(row).strip() == NONE_MARK:
                self.arrays[concrete] = True
                continue
            i = self.new_item(concrete)
            item_frames = frames + [(item_pattern, concrete + (i,))]
            column = 0
            for tc in row.iter(W + "tc"):
                width = grid_span(tc)
                if next(tc.iter(W + "sdt"), None) is not None:
                    self.walk(tc, item_frames)
                elif column < len(columns) and columns[column] is not None:
                    text = paragraphs_text(tc)
                    if text.strip():
                        leaf = columns[column]
                        self.add(concrete + (i, leaf.key), convert(leaf, text), None)
                column += width

    # the record ---------------------------------------------------------------
    def assemble(self) -> tuple[dict, dict]:
        kept: dict[tuple, set] = {}
        for parts, _, _ in self.values:
            for pos, part in enumerate(parts):
                if isinstance(part, int):
                    kept.setdefault(parts[:pos], set()).add(part)
        renumber = {path: {old: new for new, old in enumerate(sorted(indexes))} for path, indexes in kept.items()}

        def remap(parts: tuple) -> tuple | None:
            out = []
            for pos, part in enumerate(parts):
                if isinstance(part, int):
                    mapping = renumber.get(parts[:pos])
                    if mapping is None or part not in mapping:
                        return None
                    out.append(mapping[part])
                else:
                    out.append(part)
            return tuple(out)

        data: dict = {}
        origin: dict[str, str] = {}
        for parts, value, tag in self.values:
            new = remap(parts)
            if not new:
                continue
            _put(data, new, value)
            if tag:
                origin[pattern_pointer(new)] = tag
        for path, shown_none in self.arrays.items():
            new = remap(path)
            if new is None:
                continue
            if shown_none or self._required(path):
                _put_default(data, new, [])
        data = _lists(data)
        _required_defaults(form_layout(self.form), data)
        return data, origin

    def _required(self, path: tuple) -> bool:
        pattern = tuple("*" if isinstance(p, int) else p for p in path)
        parent = self.nodes.get(pattern[:-1])
        return isinstance(parent, Obj) and pattern[-1] in parent.required


def _put(data: dict, parts: tuple, value) -> None:
    node = data
    for part in parts[:-1]:
        nxt = node.get(part)
        if not isinstance(nxt, dict):
            nxt = node[part] = {}
        node = nxt
    node[parts[-1]] = value


def _put_default(data: dict, parts: tuple, value) -> None:
    node = data
    for part in parts[:-1]:
        if not isinstance(node, dict) or part not in node:
            if isinstance(node, dict) and not any(isinstance(p, int) for p in parts):
                node = node.setdefault(part, {})
                continue
            return
        node = node[part]
    if isinstance(node, dict) and parts[-1] not in node:
        node[parts[-1]] = value


def _lists(node):
    """Dicts keyed by item numbers become lists, in order."""
    if isinstance(node, dict):
        if node and all(isinstance(k, int) for k in node):
            return [_lists(node[k]) for k in sorted(node)]
        return {k: _lists(v) for k, v in node.items()}
    return node


def _required_defaults(obj: Obj, data: dict) -> None:
    """A required group or list left empty on the page is present and empty."""
    for child in obj.children:
        if isinstance(child, Obj):
            if child.key not in data and child.key in obj.required:
                data[child.key] = {}
            if isinstance(data.get(child.key), dict):
                _required_defaults(child, data[child.key])
        elif isinstance(child, Arr):
            if child.key not in data and child.key in obj.required:
                data[child.key] = []
            if isinstance(child.item, Obj) and isinstance(data.get(child.key), list):
                for entry in data[child.key]:
                    if isinstance(entry, dict):
                        _required_defaults(child.item, entry)


def _find_form(body) -> str | None:
    for sdt in body.iter(W + "sdt"):
        props = sdt.find(W + "sdtPr")
        tag = props.find(W + "tag") if props is not None else None
        if tag is not None and tag.get(W + "val") == "/form":
            content = sdt.find(W + "sdtContent")
            return element_text(content).strip() if content is not None else None
    return None


def extract_record(path) -> Record:
    """The record a filled (or rendered) Word form holds. Raises UserError for anything
    that is not a safe, complete Word form."""
    path = Path(path)
    name = str(path)
    with SafeDocx(path) as package:
        body = package.document()
        form = _find_form(body) or package.core_category()
    tagged = any((tag.get(W + "val") or "").startswith("/") for tag in body.iter(W + "tag"))
    if form in FORMS and FORMS[form].template_file and not tagged:
        # the controls lost their tags: read the page by its headings and labels instead
        data, origin = read_by_labels(body, form, name)
        data["form"] = form
        return Record(form=form, data={"form": form, **{k: v for k, v in data.items() if k != "form"}}, path=name, origin=origin)
    if not form:
        raise UserError(f"{name}: this Word document is not a permanence form (it has no 'Form' field). Start from 'permanence blank FORM' or a rendered record.")
    if form not in FORMS or not FORMS[form].template_file:
        known = ", ".join(sorted(f for f, e in FORMS.items() if e.template_file))
        raise UserError(f"{name}: the 'Form' field says '{form}', which is not a form with a Word template ({known}). Do not edit the Form field.")
    reader = Reader(form, name)
    reader.walk(body, [])
    data, origin = reader.assemble()
    data["form"] = form
    ordered = {"form": form}
    ordered.update({k: v for k, v in data.items() if k != "form"})
    return Record(form=form, data=ordered, path=name, origin=origin)


# ---------------------------------------------------------------- forms whose tags were lost

class LabelReader:
    """Reads a form whose controls lost their tags (some versions of LibreOffice drop
    w:tag when saving) by what the page says instead: the headings, the labels of the
    detail tables, the questions above free-text answers and the column headings of
    tables, all of which are the schema's own titles."""

    SKIP_STYLES = {"Guidance", "DraftNotice", "Spacer", "CellEnd", "Picture"}

    def __init__(self, form: str, name: str):
        self.form = form
        self.reader = Reader(form, name)
        self.stack = [(0, form_layout(form), ())]  # (heading level, node, concrete path)
        self.pending = None  # (leaf, path, lines) of a free-text answer being read

    @staticmethod
    def style(p) -> str:
        el = p.find(f"{W}pPr/{W}pStyle")
        return el.get(W + "val") if el is not None else ""

    def blocks(self, el):
        for child in el:
            if child.tag == W + "sdt":
                content = child.find(W + "sdtContent")
                if content is not None:
                    yield from self.blocks(content)
            elif child.tag in (W + "p", W + "tbl"):
                yield child

    def add(self, leaf: Leaf, path: tuple, text: str) -> None:
        if not text.strip() or text.strip() in (placeholder_text(leaf), placeholder_text(leaf, compact=True), NOT_RECORDED, NOT_RECORDED_SHORT):
            return
        self.reader.add(path, convert(leaf, text), None)

    def flush(self) -> None:
        if self.pending:
            leaf, path, lines = self.pending
            self.add(leaf, path, "\n".join(lines))
            self.pending = None

    def current(self):
        return self.stack[-1][1], self.stack[-1][2]

    def child(self, node, title: str):
        if isinstance(node, Obj):
            for c in node.children:
                if c.title.casefold() == title.strip().casefold():
                    return c
        return None

    def lookup(self, title: str):
        """A field by its label, in the innermost group that has it (fields can follow
        a sub-group or a list under the same heading)."""
        for _, node, path in reversed(self.stack):
            found = self.child(node, title)
            if isinstance(found, Leaf):
                return found, path + (found.key,)
        return None, None

    @staticmethod
    def cell_text(tc) -> str:
        paras = [p for p in tc.iter(W + "p") if LabelReader.style(p) != "CellEnd"]
        return "\n".join(element_text(p) for p in paras)

    def run(self, body) -> None:
        for block in self.blocks(body):
            if block.tag == W + "tbl":
                self.flush()
                self.table(block)
                continue
            style, text = self.style(block), element_text(block)
            if style == "Title" or style in self.SKIP_STYLES:
                continue
            if style == "FormLine":  # "Form ppm-record, version 1.0" at the end of the document
                self.flush()
                match = re.search(r",\s*version\s+(\S+)\s*$", text)
                version = next((c for c in form_layout(self.form).children if isinstance(c, Leaf) and c.key == "version"), None)
                if match and version is not None:
                    self.add(version, ("version",), match.group(1))
                continue
            if style.startswith("Heading") and style[-1:].isascii() and style[-1:].isdigit():  # int("²") fails
                self.flush()
                self.heading(int(style[-1]), text)
            elif style == "Question":
                self.flush()
                leaf, where = self.lookup(text)
                if leaf is not None:
                    self.pending = (leaf, where, [])
            elif self.pending is not None:
                self.pending[2].append(text)
            else:
                node, path = self.current()
                if isinstance(node, Arr) and isinstance(node.item, Leaf) and text.strip():
                    if text.strip() == NONE_MARK:
                        self.reader.arrays[path] = True
                    else:
                        self.add(node.item, path + (self.reader.new_item(path),), text)
        self.flush()

    def heading(self, level: int, text: str) -> None:
        while len(self.stack) > 1 and self.stack[-1][0] >= level:
            self.stack.pop()
        node, path = self.current()
        if isinstance(node, Arr) and isinstance(node.item, Obj):
            match = re.fullmatch(re.escape(node.item_title) + r" (\d+)", text.strip())
            if match:
                self.stack.append((level, node.item, path + (self.reader.new_item(path),)))
                return
        found = self.child(node, text)
        if isinstance(found, (Obj, Arr)):
            if isinstance(found, Arr):
                self.reader.arrays.setdefault(path + (found.key,), False)
            self.stack.append((level, found, path + (found.key,)))
        elif isinstance(found, Leaf):
            self.stack.append((level, node, path))
            self.pending = (found, path + (found.key,), [])
        else:  # "Details", "Further details": more fields of the same group
            self.stack.append((level, node, path))

    def table(self, tbl) -> None:
        rows = [r for r in tbl.iter(W + "tr")]
        if not rows:
            return
        node, path = self.current()
        header = rows[0].find(f"{W}trPr/{W}tblHeader") is not None or self.headed_by_columns(node, rows[0])
        if header and isinstance(node, Arr) and node.style == "audit":
            self.audit_rows(node, path, rows[1:])
            return
        if header and isinstance(node, Arr) and isinstance(node.item, Obj):
            titles = [element_text(tc).strip().casefold() for tc in rows[0].iter(W + "tc")]
            by_title = {c.title.casefold(): c for c in node.item.children if isinstance(c, Leaf)}
            by_title.update({column_label(c).casefold(): c for c in node.item.children if isinstance(c, Leaf)})  # a short heading
            columns = [by_title.get(t) for t in titles]
            for row in rows[1:]:
                cells = list(row.iter(W + "tc"))
                if element_text(row).strip() == NONE_MARK:
                    self.reader.arrays[path] = True
                    continue
                i = self.reader.new_item(path)
                for leaf, tc in zip(columns, cells):
                    if leaf is not None:
                        self.add(leaf, path + (i, leaf.key), self.cell_text(tc))
            return
        if header:
            return  # a table this reader does not know
        for row in rows:
            cells = list(row.iter(W + "tc"))
            if len(cells) != 2:
                continue
            leaf, where = self.lookup(element_text(cells[0]))
            if leaf is not None:
                self.add(leaf, where, self.cell_text(cells[1]))

    @staticmethod
    def headed_by_columns(node, first_row) -> bool:
        """A list's table whose first row is its column headings, though the row lost its
        'repeat as header' mark (LibreOffice drops it from some tables when it saves)."""
        if not (isinstance(node, Arr) and isinstance(node.item, Obj)):
            return False
        known = {c.title.casefold() for c in node.item.children if isinstance(c, Leaf)}
        known |= {column_label(c).casefold() for c in node.item.children if isinstance(c, Leaf)}
        titles = [element_text(tc).strip().casefold() for tc in first_row.iter(W + "tc")]
        return bool(titles) and all(t in known for t in titles)

    def evidence(self, leaf: Arr, p) -> dict:
        """The controls of an evidence line (build.Builder.evidence_line), each known by
        the fixed text just before it, whether shown or hidden: {field key: text}."""
        openers = {text: key for key, text in EVIDENCE_OPENERS.items()}
        openers.update({EVIDENCE_HIDDEN_OPENER.format(key=key): key for key in EVIDENCE_HIDDEN})
        openers.update({f" ({c.title}: ": c.key for c in leaf.item.children if c.key not in openers.values()})
        found, before = {}, ""
        for child in p:
            if child.tag == W + "sdt":
                props, content = child.find(W + "sdtPr"), child.find(W + "sdtContent")
                if content is None:
                    continue
                key = next((openers[o] for o in sorted(openers, key=len, reverse=True) if before.endswith(o)), None)
                if key is None:  # not a field (LibreOffice wraps the opening words in a control of their own)
                    before += element_text(content)
                    continue
                before = ""
                if props is None or props.find(W + "showingPlcHdr") is None:
                    found[key] = element_text(content)
            elif child.tag == W + "r":
                before += element_text(child)
        return found

    def audit_rows(self, arr: Arr, path: tuple, rows) -> None:
        """The audit checklist (three columns, built by build.Builder.audit_table): each
        cell's paragraphs in order, told apart by their styles and labels. A paragraph
        of the actions list is one action."""
        fields = {c.key: c for c in arr.item.children}
        for row in rows:
            cells = list(row.iter(W + "tc"))
            if len(cells) != 3:
                if element_text(row).strip() == NONE_MARK:
                    self.reader.arrays[path] = True
                continue
            i = self.reader.new_item(path)
            at = path + (i,)
            paras = [[p for p in tc.iter(W + "p") if self.style(p) != "CellEnd"] for tc in cells]
            first = [element_text(p) for p in paras[0]]
            if first:
                self.add(fields["id"], at + ("id",), first[0])
            if len(first) > 1:
                self.add(fields["area"], at + ("area",), first[1])
            if len(first) > 2:
                self.add(fields["question"], at + ("question",), "\n".join(first[2:]))
            second = [element_text(p) for p in paras[1]]
            if second:
                self.add(fields["answer"], at + ("answer",), second[0])
            if len(second) > 2:
                self.add(fields["since_previous"], at + ("since_previous",), "\n".join(second[2:]))
            comments, part = [], "comments"
            lists = {f"{c.title}:": c for c in arr.item.children if isinstance(c, Arr) and isinstance(c.item, Leaf)}
            lists["Actions required:"] = fields["actions"]
            actions = fields["actions"]
            evidence = fields["evidence"]
            for p in paras[2]:
                style, text = self.style(p), element_text(p)
                if style == "TableLabel" and text.strip() in lists:
                    part, actions = "actions", lists[text.strip()]
                elif text.startswith(EVIDENCE_OPENERS["field"]):
                    part = "evidence"
                    found = self.evidence(evidence, p)
                    if found:
                        e = (self.reader.new_item(at + ("evidence",)),)
                        self.reader.arrays.setdefault(at + ("evidence",), False)
                        leaves = {c.key: c for c in evidence.item.children}
                        for key, value in found.items():
                            self.add(leaves[key], at + ("evidence",) + e + (key,), value)
                elif text.startswith("Guidance: "):
                    self.add(fields["source"], at + ("source",), text[len("Guidance: "):])
                elif part == "comments":
                    comments.append(text)
                elif part == "actions" and style == "TableBullet":
                    where = at + (actions.key,)
                    self.reader.arrays.setdefault(where, False)
                    if text.strip() == NONE_MARK:
                        self.reader.arrays[where] = True
                    elif text.strip() not in (ACTION_PLACEHOLDER, NOT_RECORDED):
                        self.add(actions.item, where + (self.reader.new_item(where),), text)
            if comments:
                self.add(fields["comments"], at + ("comments",), "\n".join(comments))


def read_by_labels(body, form: str, name: str) -> tuple[dict, dict]:
    reader = LabelReader(form, name)
    reader.run(body)
    return reader.reader.assemble()
