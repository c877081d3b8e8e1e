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
form is read by what its page says instead (extract_labels.LabelReader: headings, labels, questions and
column headings are the schema's titles or their short labels (columns.py); the audit checklist by its cells' styles). One
thing cannot be told apart there: a list item of two paragraphs reads as two items.
"""
from __future__ import annotations

from pathlib import Path

from permanence.findings import UserError
from permanence.forms.record import Record
from permanence.forms.registry import FORMS
from permanence.templates.build import NONE_MARK, NOT_RECORDED, NOT_RECORDED_SHORT, placeholder_text
from permanence.templates.columns import column_label
from permanence.templates.extract_values import (MAX_VALUES, SKIP, W, W15, _is_index, _placeholder_styled, _styled, convert,
                                                 element_text, grid_span, paragraphs_text, parse_pointer)
from permanence.templates.layout import Arr, Leaf, Obj, form_layout, index, pattern_pointer
from permanence.templates.safe_docx import SafeDocx

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
        from permanence.templates.extract_labels import read_by_labels  # a form whose tags were lost
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
