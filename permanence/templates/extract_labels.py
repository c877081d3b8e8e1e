"""Reading a filled Word form whose controls lost their tags (LibreOffice 7.4 drops them
when it saves): by what its page says. Headings, labels, questions and column headings
are the schema's titles or their short labels (columns.py); the audit checklist is read
by its cells' styles. One thing cannot be told apart here: a list item of two paragraphs
reads as two items. The reading by tags, and the value conversions both share, are in
extract.py."""
from __future__ import annotations

import re

from permanence.templates.build import (ACTION_PLACEHOLDER, EVIDENCE_HIDDEN, EVIDENCE_HIDDEN_OPENER, EVIDENCE_OPENERS,
                                        NONE_MARK, NOT_RECORDED, NOT_RECORDED_SHORT, placeholder_text)
from permanence.templates.columns import column_label
from permanence.templates.extract import W, Reader, convert, element_text
from permanence.templates.layout import Arr, Leaf, Obj, form_layout

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
