"""Build the Word templates from the schemas: `python -m permanence.templates.build`.

Each form's template is written from its schema's titles and descriptions (see
layout.py), so a new field reaches the form without hand editing. The built .docx
files are committed; a test checks they are up to date with this script.

Every field is a Word content control (w:sdt): w:tag is the field's JSON pointer (items
of a list carry their index, filled in when rendering), w:alias is the field's title, and
the placeholder text, shown while the field is empty, is the field's description. There
is no w:dataBinding, so what is on the page is the only copy of the data. Lists are
Word repeating sections (w15:repeatingSection), so a user can add an item with the +
button; tables also read back rows added with "Insert row".

The template variables are the record's own top-level field names (values prepared by
render.py) plus `doc` (authority, logo, draft and blank flags). Inside a list the loop
variable carries the item's fields and `at`, the item's JSON pointer.
"""
from __future__ import annotations

import argparse
import datetime as dt
import io
import re
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape as _xml_escape

from permanence.forms.registry import FORMS
from permanence.templates.columns import CELL_MARGIN, HEADING_POINTS, column_label, column_widths
from permanence.templates.layout import Arr, Leaf, Obj, form_layout, is_block, pattern_pointer, template_forms

HERE = Path(__file__).resolve().parent

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W15_NS = "http://schemas.microsoft.com/office/word/2012/wordml"

TEXT_WIDTH = 9638  # twips: A4 (11906) less two 20 mm margins
# The audit form has 15 mm side margins (twips: A4 less two 850): a checklist of 35 rows
# whose comments column is what an adviser reads, kept to about six pages.
AUDIT_SIDE_MARGIN_MM = 15
AUDIT_TEXT_WIDTH = 11906 - 2 * 850
LABEL_WIDTH = 3400
MARKING = "OFFICIAL-SENSITIVE"
NONE_MARK = "None."  # shown (and read back) for a list the record says is empty
ACTION_PLACEHOLDER = "An action, if one is needed."  # an audit item's empty action
AUDIT_WIDTHS = [2700, 1200, AUDIT_TEXT_WIDTH - 3900]  # the checklist: Section / Issue, Completed, Comments / actions required
NOT_RECORDED = "Not recorded"  # an empty field of a rendered record (a blank form shows the field's description)
NOT_RECORDED_SHORT = "\u2014"  # the same in a narrow table column (a drop-down, date or number)
# Evidence of an audit item: what the social worker reads, and what is kept only for
# reading the form back (hidden text, never shown or printed: see Builder.evidence_line)
EVIDENCE_SHOWN = ("field", "section", "excerpt")
EVIDENCE_HIDDEN = ("section", "pointer", "start", "end")
EVIDENCE_OPENERS = {"field": "Evidence: ", "section": " (", "excerpt": ": \u201c"}
EVIDENCE_HIDDEN_OPENER = " [{key}: "
FIXED_DATE = dt.datetime(2026, 1, 1, 0, 0, 0)

# The form's identity, shown as one line at the end of the document: field -> the words before it
FORM_LINE = {"form": "Form ", "version": ", version "}



def esc(text: str) -> str:
    """Escape static text for XML, and keep braces from ever reading as template code."""
    return _xml_escape(str(text), {'"': "&quot;"}).replace("{", "&#123;").replace("}", "&#125;").replace("%", "&#37;")


class Scope:
    """Which loop variable stands for which list while writing the template."""

    def __init__(self, frames=()):
        self.frames = tuple(frames)  # (array path, loop variable)

    def push(self, array_path: tuple) -> tuple["Scope", str]:
        var = f"x{len(self.frames) + 1}"
        return Scope(self.frames + ((array_path, var),)), var

    def _inner(self, path: tuple):
        for array_path, var in reversed(self.frames):
            if path[: len(array_path) + 1] == array_path + ("*",):
                return var, path[len(array_path) + 1:]
        return None, path

    def expr(self, path: tuple, scalar_item: bool = False) -> str:
        var, rest = self._inner(path)
        if var is None:
            head, rest = rest[0], rest[1:]
        else:
            head = var
            if scalar_item and not rest:
                return f"{var}['value']"
        return head + "".join(f"['{key}']" for key in rest)

    def tag(self, path: tuple) -> str:
        var, rest = self._inner(path)
        if var is None:
            return esc(pattern_pointer(path))
        return "{{ " + var + "['at'] }}" + esc(pattern_pointer(rest))


# ---------------------------------------------------------------- XML pieces

def para(text: str = "", style: str | None = None, runs: str | None = None, ppr_extra: str = "") -> str:
    ppr = ""
    if style or ppr_extra:
        ppr = "<w:pPr>" + (f'<w:pStyle w:val="{style}"/>' if style else "") + ppr_extra + "</w:pPr>"
    body = runs if runs is not None else (f'<w:r><w:t xml:space="preserve">{esc(text)}</w:t></w:r>' if text else "")
    return f"<w:p>{ppr}{body}</w:p>"


def jpara(statement: str) -> str:
    """A paragraph holding only a docxtpl block tag such as {%p if x %} (removed when rendering)."""
    return f"<w:p><w:r><w:t>{{%p {statement} %}}</w:t></w:r></w:p>"


def jrow(statement: str) -> str:
    return f"<w:tr><w:tc><w:p><w:r><w:t>{{%tr {statement} %}}</w:t></w:r></w:p></w:tc></w:tr>"


def type_xml(leaf: Leaf) -> str:
    if leaf.kind == "date":
        return ('<w:date><w:dateFormat w:val="d MMMM yyyy"/><w:lid w:val="en-GB"/>'
                '<w:storeMappedDataAs w:val="dateTime"/><w:calendar w:val="gregorian"/></w:date>')
    if leaf.kind == "bool":
        return '<w:dropDownList><w:listItem w:displayText="Yes" w:value="true"/><w:listItem w:displayText="No" w:value="false"/></w:dropDownList>'
    if leaf.kind == "enum":
        labels = leaf.schema.get("x-enum-labels") or [str(v) for v in leaf.schema["enum"]]
        items = "".join(f'<w:listItem w:displayText="{esc(label)}" w:value="{esc(value)}"/>'
                        for label, value in zip(labels, leaf.schema["enum"]))
        return f"<w:dropDownList>{items}</w:dropDownList>"
    return ""


COMPACT_PLACEHOLDERS = {"bool": "Yes or no", "enum": "Choose", "date": "Date", "int": "Number", "number": "Number"}


def placeholder_text(leaf: Leaf, compact: bool = False) -> str:
    """The field's description; in a narrow table column (where the column heading names
    the field) a drop-down, date or number says only what to do, so the table stays legible."""
    if compact and leaf.kind in COMPACT_PLACEHOLDERS:
        return COMPACT_PLACEHOLDERS[leaf.kind]
    text = leaf.description or leaf.title
    if leaf.kind in ("bool", "enum"):
        return f"Choose: {text}"
    return text


def field_sdt(leaf: Leaf, scope: Scope, *, block: bool, style: str = "Answer", scalar_item: bool = False, compact: bool = False,
              placeholder: str | None = None, state: str | None = None, hidden: bool = False, tail: bool = False) -> str:
    """One field as a content control; block controls hold whole paragraphs. state is
    "filled" or "empty" when the template has already chosen, else the control itself
    switches between its value and its placeholder. An empty field shows its description
    on a blank form and only "Not recorded" in a rendered record (guidance is not content).
    A hidden field is hidden text: kept in the file for `extract`, never shown or printed.
    With tail, the control shows the context's <key>_head and hides <key>_tail (a long
    excerpt shortened on the page, whole in the file)."""
    value = scope.expr(leaf.path, scalar_item)
    lock = '<w:lock w:val="sdtContentLocked"/>' if leaf.kind == "const" else ""
    flag = {"filled": "", "empty": "<w:showingPlcHdr/>"}.get(state, f"{{% if not {value} %}}<w:showingPlcHdr/>{{% endif %}}")
    props = (f'<w:sdtPr><w:alias w:val="{esc(leaf.title)}"/><w:tag w:val="{scope.tag(leaf.path)}"/>{lock}'
             f'{flag}{type_xml(leaf)}</w:sdtPr>')
    vanish = "<w:vanish/>" if hidden else ""
    guide = esc(placeholder or placeholder_text(leaf, compact))
    neutral = NOT_RECORDED_SHORT if compact and leaf.kind in COMPACT_PLACEHOLDERS else NOT_RECORDED
    shown = (f'<w:rPr><w:rStyle w:val="PlaceholderText"/><w:color w:val="666666"/>{vanish}</w:rPr>'
             f'<w:t xml:space="preserve">{{% if doc[\'blank\'] %}}{guide}{{% else %}}{neutral}{{% endif %}}</w:t>')
    written = (f"<w:rPr>{vanish}</w:rPr>" if hidden else "") + f'<w:t xml:space="preserve">{{{{ {value} }}}}</w:t>'
    if tail:  # the value's head shown, the rest hidden text: the control still holds the whole value
        head, rest = (scope.expr(leaf.path[:-1] + (f"{leaf.key}_{part}",)) for part in ("head", "tail"))
        written = (f'<w:t xml:space="preserve">{{{{ {head} }}}}</w:t></w:r>'
                   f'<w:r><w:rPr><w:vanish/></w:rPr><w:t xml:space="preserve">{{{{ {rest} }}}}</w:t>')
    if state == "filled":
        run = f"<w:r>{written}</w:r>"
    elif state == "empty":
        run = f"<w:r>{shown}</w:r>"
    else:
        run = f"<w:r>{{% if not {value} %}}{shown}{{% else %}}{written}{{% endif %}}</w:r>"
    if block:
        return f'<w:sdt>{props}<w:sdtContent><w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{run}</w:p></w:sdtContent></w:sdt>'
    return f"<w:sdt>{props}<w:sdtContent>{run}</w:sdtContent></w:sdt>"


def field_para(form: str, leaf: Leaf, scope: Scope, style: str = "Answer", scalar_item: bool = False, compact: bool = False,
               placeholder: str | None = None) -> str:
    """A field standing as paragraph(s). Free text is a control of whole paragraphs when
    written; while empty it is a control inside one line, so that every program shows
    its placeholder as a placeholder (LibreOffice ignores run formatting in a control of
    whole paragraphs). Other fields are a control inside a line."""
    if is_block(form, leaf):
        value = scope.expr(leaf.path, scalar_item)
        return (jpara(f"if {value}")
                + field_sdt(leaf, scope, block=True, style=style, scalar_item=scalar_item, state="filled")
                + jpara("else")
                + para(style=style, runs=field_sdt(leaf, scope, block=False, scalar_item=scalar_item, placeholder=placeholder, state="empty"))
                + jpara("endif"))
    return para(style=style, runs=field_sdt(leaf, scope, block=False, scalar_item=scalar_item, compact=compact, placeholder=placeholder))


def container(tag: str, title: str, inner: str, row_level: bool = False) -> str:
    """A repeating section: the list as a whole."""
    return (f'<w:sdt><w:sdtPr><w:alias w:val="{esc(title)}"/><w:tag w:val="{tag}"/><w15:repeatingSection/></w:sdtPr>'
            f"<w:sdtContent>{inner}</w:sdtContent></w:sdt>")


def item(tag: str | None, inner: str) -> str:
    """One repeating-section item (a repeating section holds nothing else, so the
    "None." of an empty list is an item too, without a tag)."""
    tag_xml = f'<w:tag w:val="{tag}"/>' if tag else ""
    return (f'<w:sdt><w:sdtPr>{tag_xml}<w15:repeatingSectionItem/></w:sdtPr>'
            f"<w:sdtContent>{inner}</w:sdtContent></w:sdt>")


def cell(width: int, inner: str, header: bool = False, span: int = 1) -> str:
    props = f'<w:tcW w:w="{width}" w:type="dxa"/>'
    if span > 1:
        props += f'<w:gridSpan w:val="{span}"/>'
    if header:
        props += '<w:shd w:val="clear" w:color="auto" w:fill="D9E2F3"/>'
    if inner.endswith("</w:sdt>") or inner.endswith(jpara("endif")):
        inner += para(style="CellEnd")  # Word wants a cell to end with a paragraph
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{inner or para(style='TableText')}</w:tc>"


def table(widths: list[int], rows: str, caption: str, header_rows: str = "", margin: int | None = None) -> str:
    grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
    margins = (f'<w:tblCellMar><w:left w:w="{margin}" w:type="dxa"/><w:right w:w="{margin}" w:type="dxa"/></w:tblCellMar>'
               if margin is not None else "")
    return (f'<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
            f'<w:tblLayout w:type="fixed"/>{margins}'
            f'<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/>'
            f'<w:tblCaption w:val="{esc(caption)}"/>'  # after tblLook: Word checks the order
            f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>{header_rows}{rows}</w:tbl>")


def header_row(titles: list[str], widths: list[int], style: str = "TableHeading") -> str:
    cells = "".join(cell(w, para(t, style), header=True) for t, w in zip(titles, widths))
    return f"<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>{cells}</w:tr>"


def heading(text: str, level: int) -> str:
    return para(text, f"Heading{min(level, 4)}")


def guidance(text: str) -> str:
    """Help shown on blank forms only."""
    if not text:
        return ""
    return jpara("if doc['blank']") + para(text, "Guidance") + jpara("endif")


# ---------------------------------------------------------------- the form

class Builder:
    def __init__(self, form: str):
        self.form = form
        self.root = form_layout(form)
        self.text_width = AUDIT_TEXT_WIDTH if form == "cpr-audit" else TEXT_WIDTH

    def document_body(self) -> str:
        parts = [para(FORMS[self.form].title, "Title"),
                 jpara("if doc['draft']"),
                 para("DRAFT: this record has not passed validation. Do not submit it.", "DraftNotice"),
                 jpara("endif"),
                 guidance("Fill in every field that applies. Grey text in a field says what it needs; "
                          "click it and type. Use the + button beside a list, or insert a table row, to add an entry.")]
        parts.append(self.object_children(self.root, Scope(), 1, top=True))
        if self.form == "cpr-audit":
            parts.append(self.audit_sources())
        parts.append(self.form_line(Scope()))
        return "".join(parts)

    def form_line(self, scope: Scope) -> str:
        """Which form and version this is, as a small line at the end of the document
        ("Form ppm-record, version 1.0"), not a block of its own at the top."""
        leaves = {c.key: c for c in self.root.children if isinstance(c, Leaf) and c.key in FORM_LINE}
        runs = ""
        for key, opener in FORM_LINE.items():
            if key in leaves:
                runs += (f'<w:r><w:t xml:space="preserve">{esc(opener)}</w:t></w:r>'
                         + field_sdt(leaves[key], scope, block=False, compact=True))
        return para(style="FormLine", runs=runs) if runs else ""

    # objects -----------------------------------------------------------
    def object_children(self, obj: Obj, scope: Scope, level: int, top: bool = False) -> str:
        out: list[str] = []
        run: list[Leaf] = []
        last_kind = None  # what came before a run of short fields at the top level

        def flush():
            if not run:
                return
            if top and last_kind not in ("text", "array"):
                out.append(heading("Details" if last_kind is None else "Further details", level))
            out.append(self.field_table(run, scope))
            run.clear()

        for child in obj.children:
            if top and isinstance(child, Leaf) and child.key in FORM_LINE:
                continue  # the form's name and version: the line at the end (form_line)
            if isinstance(child, Leaf) and not is_block(self.form, child):
                run.append(child)
                continue
            flush()
            if isinstance(child, Leaf):
                out.append(self.text_field(child, scope, level if top else None))
                last_kind = "text"
            elif isinstance(child, Obj):
                out.append(heading(child.title, level))
                out.append(guidance(child.description))
                out.append(self.object_children(child, scope, level + 1))
                if self.form == "cpr" and child.path == ("genogram",):
                    out.append(self.picture(scope.expr(("genogram", "picture"))))
                last_kind = "object"
            else:
                out.append(self.array(child, scope, level))
                last_kind = "array"
        flush()
        return "".join(out)

    def text_field(self, leaf: Leaf, scope: Scope, level: int | None) -> str:
        label = heading(leaf.title, level) if level else para(leaf.title, "Question")
        return label + field_para(self.form, leaf, scope)

    def field_table(self, leaves: list[Leaf], scope: Scope) -> str:
        value_width = self.text_width - LABEL_WIDTH
        rows = "".join(
            f'<w:tr><w:trPr><w:cantSplit/></w:trPr>{cell(LABEL_WIDTH, para(leaf.title, "TableLabel"), header=True)}'
            f'{cell(value_width, field_para(self.form, leaf, scope, "TableText"))}</w:tr>'
            for leaf in leaves)
        return table([LABEL_WIDTH, value_width], rows, "Details") + para(style="Spacer")

    # arrays ------------------------------------------------------------
    def array(self, arr: Arr, scope: Scope, level: int) -> str:
        out = [heading(arr.title, level), guidance(arr.description)]
        if arr.style == "table":
            out.append(self.array_table(arr, scope))
        elif arr.style == "audit":
            out.append(self.audit_table(arr, scope))
        elif arr.style == "list":
            out.append(self.array_list(arr, scope))
        else:
            out.append(self.array_sections(arr, scope, level))
        return "".join(out)

    def widths(self, leaves: list[Leaf]) -> list[int]:
        return column_widths(leaves, self.text_width)

    def array_table(self, arr: Arr, scope: Scope) -> str:
        leaves = arr.item.children
        widths = self.widths(leaves)
        inner_scope, var = scope.push(arr.path)
        cells = "".join(cell(w, field_para(self.form, leaf, inner_scope, "TableText", compact=True)) for leaf, w in zip(leaves, widths))
        value = scope.expr(arr.path)
        rows = (jrow(f"for {var} in {value}")
                + item("{{ " + var + "['at'] }}", f"<w:tr><w:trPr><w:cantSplit/></w:trPr>{cells}</w:tr>")
                + jrow("endfor")
                + jrow(f"if not {value}")
                + item(None, f"<w:tr>{cell(self.text_width, para(NONE_MARK, 'TableText'), span=len(leaves))}</w:tr>")
                + jrow("endif"))
        body = container(scope.tag(arr.path), arr.title, rows, row_level=True)
        return table(widths, body, arr.title, header_row([column_label(leaf) for leaf in leaves], widths, "ColumnHeading"),
                     margin=CELL_MARGIN) + para(style="Spacer")

    def array_list(self, arr: Arr, scope: Scope, style: str = "ListBullet", placeholder: str | None = None) -> str:
        inner_scope, var = scope.push(arr.path)
        value = scope.expr(arr.path)
        body = (jpara(f"for {var} in {value}")
                + item("{{ " + var + "['at'] }}", field_para(self.form, arr.item, inner_scope, style, scalar_item=True, placeholder=placeholder))
                + jpara("endfor")
                + jpara(f"if not {value}") + item(None, para(NONE_MARK, style)) + jpara("endif"))
        return container(scope.tag(arr.path), arr.title, body)

    def array_sections(self, arr: Arr, scope: Scope, level: int) -> str:
        inner_scope, var = scope.push(arr.path)
        value = scope.expr(arr.path)
        content = para(runs=f'<w:r><w:t xml:space="preserve">{esc(arr.item_title)} {{{{ loop.index }}}}</w:t></w:r>',
                       style=f"Heading{min(level + 1, 4)}")
        if self.form == "cpr" and arr.path == ("photographs",):
            content += self.picture(f"{var}['picture']")
        content += self.object_children(arr.item, inner_scope, level + 2)
        body = (jpara(f"for {var} in {value}")
                + item("{{ " + var + "['at'] }}", content)
                + jpara("endfor")
                + jpara(f"if not {value}") + item(None, para(NONE_MARK)) + jpara("endif"))
        return container(scope.tag(arr.path), arr.title, body)

    def picture(self, value: str) -> str:
        return (jpara(f"if {value}")
                + para(runs=f'<w:r><w:t xml:space="preserve">{{{{ {value} }}}}</w:t></w:r>', style="Picture")
                + jpara("endif"))

    def audit_table(self, arr: Arr, scope: Scope) -> str:
        """The audit form's checklist: Section / Issue, Completed, Comments / actions required.
        A rendered audit shows only what it holds: no "Since previous audit" unless the
        item has one (a re-audit), no actions heading for an item without actions, no
        guidance text in place of a missing comment. A blank form shows every field."""
        fields = {leaf.key: leaf for leaf in arr.item.children if isinstance(leaf, Leaf)}
        lists = {a.key: a for a in arr.item.children if isinstance(a, Arr)}
        widths = AUDIT_WIDTHS
        inner, var = scope.push(arr.path)

        def shown_if(key: str, body: str) -> str:
            """body on a blank form, or when the item has this field."""
            return jpara(f"if doc['blank'] or {inner.expr(arr.path + ('*', key))}") + body + jpara("endif")

        def text(t):
            return f'<w:r><w:t xml:space="preserve">{esc(t)}</w:t></w:r>'

        # The area (General, Chronologies...) is plain from the item's letter: shown on a blank
        # form, hidden text in a filled audit (kept for `extract`), so each row is a line shorter.
        hidden_para = "<w:rPr><w:vanish/></w:rPr>"
        first = (field_para(self.form, fields["id"], inner, "TableHeading")
                 + jpara("if doc['blank']") + field_para(self.form, fields["area"], inner, "TableText") + jpara("else")
                 + para(style="TableText", ppr_extra=hidden_para, runs=field_sdt(fields["area"], inner, block=False, hidden=True))
                 + jpara("endif")
                 + field_para(self.form, fields["question"], inner, "TableText"))
        second = (field_para(self.form, fields["answer"], inner, "TableHeading", compact=True)
                  + shown_if("since_previous", para("Since previous audit:", "TableLabel")
                             + field_para(self.form, fields["since_previous"], inner, "TableText", compact=True)))
        evidence = lists["evidence"]
        ev_scope, ev_var = inner.push(evidence.path)
        ev_value = inner.expr(evidence.path)
        ev_body = (jpara(f"for {ev_var} in {ev_value}")
                   + item("{{ " + ev_var + "['at'] }}", self.evidence_line(evidence, ev_scope, ev_var))
                   + jpara("endfor"))
        actions = lists["actions"]
        third = (shown_if("comments", field_para(self.form, fields["comments"], inner, "TableText"))
                 + jpara(f"if doc['blank'] or 'actions' in {var}['present']")
                 + para("Actions required:", "TableLabel")
                 + self.array_list(actions, inner, "TableBullet", placeholder=ACTION_PLACEHOLDER)
                 + jpara("endif"))
        for extra in arr.item.children:  # fields added to the schema later: labelled, shown when present
            if extra.key in ("id", "area", "question", "answer", "since_previous", "comments", "actions", "evidence", "source"):
                continue
            if isinstance(extra, Arr) and isinstance(extra.item, Leaf):
                third += (jpara(f"if doc['blank'] or '{extra.key}' in {var}['present']") + para(f"{extra.title}:", "TableLabel")
                          + self.array_list(extra, inner, "TableBullet") + jpara("endif"))
            elif isinstance(extra, Leaf):
                third += shown_if(extra.key, para(f"{extra.title}:", "TableLabel")
                                  + field_para(self.form, extra, inner, "TableText", compact=True))
        # The guidance an item applies is shown on a blank form; in a filled audit it is hidden
        # text (kept for `extract`), and the sources are listed once, in the appendix.
        third += (container(inner.tag(evidence.path), evidence.title, ev_body)
                  + jpara("if doc['blank']")
                  + para(style="TableText", runs=text("Guidance: ") + field_sdt(fields["source"], inner, block=False))
                  + jpara(f"elif {inner.expr(arr.path + ('*', 'source'))}")
                  + para(style="TableText", ppr_extra=hidden_para,
                         runs='<w:r><w:rPr><w:vanish/></w:rPr><w:t xml:space="preserve">Guidance: </w:t></w:r>'
                         + field_sdt(fields["source"], inner, block=False, hidden=True))
                  + jpara("endif"))
        cells = cell(widths[0], first) + cell(widths[1], second) + cell(widths[2], third)
        value = scope.expr(arr.path)
        # A checklist row may break across pages (a long row otherwise leaves most of a page empty).
        rows = (jrow(f"for {var} in {value}")
                + item("{{ " + var + "['at'] }}", f"<w:tr>{cells}</w:tr>")
                + jrow("endfor")
                + jrow(f"if not {value}")
                + item(None, f"<w:tr>{cell(self.text_width, para(NONE_MARK, 'TableText'), span=3)}</w:tr>")
                + jrow("endif"))
        body = container(scope.tag(arr.path), arr.title, rows, row_level=True)
        titles = ["Section / Issue", "Completed", "Comments / actions required"]
        return table(widths, body, arr.title, header_row(titles, widths), margin=CELL_MARGIN) + para(style="Spacer")

    def audit_sources(self) -> str:
        """The audit's appendix: how the outcome is decided, and the guidance and regulations
        each checklist item applies, by the documents' own titles, once for the items that
        share them (render.py's audit_extras groups them). Not on a blank form, where each
        row shows its guidance."""
        from permanence.checks.outcome import RULE as OUTCOME_RULE  # the audit's own rule, stated once

        def run(t, bold=False):
            return f'<w:r>{"<w:rPr><w:b/></w:rPr>" if bold else ""}<w:t xml:space="preserve">{t}</w:t></w:r>'

        # At the body text size of tables (10 point), each area's sources one paragraph:
        # "G1: ... · G2: ...", the items in bold.
        group = para(style="TableText", runs=run("{% for s in g['entries'] %}") + run("{{ s['items'] }}: ", bold=True)
                     + run("{{ s['source'] }}{% if not loop.last %} \u00b7 {% endif %}{% endfor %}"))
        return (jpara("if not doc['blank'] and sources_appendix")
                + heading("Appendix: sources of the checklist", 1)
                + para(style="TableText", runs=run(esc("How the outcome is decided: " + OUTCOME_RULE)))
                + jpara("if sources_common") + para(style="TableText", runs=run("{{ sources_common }}"))
                + jpara("endif")
                + jpara("for g in sources_appendix") + group + jpara("endfor")
                + jpara("endif"))

    def evidence_line(self, evidence: Arr, scope: Scope, var: str) -> str:
        """One piece of evidence as a sentence a social worker reads:
        Evidence: The child: Personality and social development: \u201cJaden\u201d
        The report section is shown in brackets only when the field's label does not
        already name it. The JSON pointer and character offsets (and a section the label
        already names) are hidden text: kept for `extract`, never shown or printed. Each
        control follows a fixed opening text, by which a copy whose tags were lost
        (LibreOffice) is still read (extract.LabelReader.evidence)."""
        leaves = {leaf.key: leaf for leaf in evidence.item.children}

        def text(t, hidden=False):
            rpr = "<w:rPr><w:vanish/></w:rPr>" if hidden else ""
            return f'<w:r>{rpr}<w:t xml:space="preserve">{esc(t)}</w:t></w:r>'

        def value(key):
            return scope.expr(evidence.path + ("*", key))

        def when(condition, body):
            return f"{{% if {condition} %}}{body}{{% endif %}}"

        runs = (text(EVIDENCE_OPENERS["field"])
                + when(f"doc['blank'] or {value('field')}", field_sdt(leaves["field"], scope, block=False))
                + when(f"doc['blank'] or {var}['section_shown']",
                       text(EVIDENCE_OPENERS["section"]) + field_sdt(leaves["section"], scope, block=False) + text(")"))
                + when(f"doc['blank'] or {value('excerpt')}",
                       text(EVIDENCE_OPENERS["excerpt"]) + field_sdt(leaves["excerpt"], scope, block=False, tail=True)
                       + when(value("excerpt_tail"), text("\u2026")) + text("\u201d")))
        for key, leaf in leaves.items():
            if key in ("field", "excerpt"):
                continue
            if key == "section":
                condition = f"not doc['blank'] and {value(key)} and not {var}['section_shown']"
            elif key in EVIDENCE_HIDDEN:
                condition = f"doc['blank'] or {value(key)}"
            else:  # a field added to the schema later: shown, labelled, when present
                runs += when(f"doc['blank'] or {value(key)}", text(f" ({leaf.title}: ")
                             + field_sdt(leaf, scope, block=False, compact=True) + text(")"))
                continue
            runs += when(condition, text(EVIDENCE_HIDDEN_OPENER.format(key=key), hidden=True)
                         + field_sdt(leaf, scope, block=False, hidden=True) + text("]", hidden=True))
        return para(style="TableText", runs=runs)


# ---------------------------------------------------------------- package

def header_xml() -> str:
    return (para(MARKING, "Marking")
            + para(runs="<w:r><w:t>{{ doc['authority'] }}</w:t></w:r>", style="HeaderAuthority")
            + jpara("if doc['logo']")
            + para(runs="<w:r><w:t>{{ doc['logo'] }}</w:t></w:r>", style="HeaderAuthority")
            + jpara("endif")
            + jpara("if doc['draft']")
            + para("DRAFT", "DraftNotice", ppr_extra='<w:jc w:val="center"/>')
            + jpara("endif"))


def footer_xml(form: str) -> str:
    def field(instr):
        return (f'<w:fldSimple w:instr=" {instr} \\* MERGEFORMAT "><w:r><w:t>1</w:t></w:r></w:fldSimple>')

    runs = (f'<w:r><w:t xml:space="preserve">{esc(FORMS[form].title)} \u00b7 Page </w:t></w:r>{field("PAGE")}'
            f'<w:r><w:t xml:space="preserve"> of </w:t></w:r>{field("NUMPAGES")}')
    return para(MARKING, "Marking") + para(runs=runs, style="FooterText")


def _styles(document) -> None:
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from docx.shared import Pt, RGBColor

    styles = document.styles
    normal = styles["Normal"]
    normal.font.name = "Arial"
    normal.font.size = Pt(11)
    normal.paragraph_format.space_after = Pt(6)
    # British English for spelling and grammar checks
    rpr_default = styles.element.find(".//{%s}rPrDefault/{%s}rPr" % (W_NS, W_NS))
    for old in rpr_default.findall("{%s}lang" % W_NS):
        rpr_default.remove(old)
    rpr_default.append(parse_xml(f'<w:lang {nsdecls("w")} w:val="en-GB" w:eastAsia="en-GB" w:bidi="ar-SA"/>'))
    for old in rpr_default.findall("{%s}rFonts" % W_NS):
        rpr_default.remove(old)
    rpr_default.insert(0, parse_xml(f'<w:rFonts {nsdecls("w")} w:ascii="Arial" w:hAnsi="Arial" w:eastAsia="Arial" w:cs="Arial"/>'))

    dark = RGBColor(0x1F, 0x38, 0x64)
    title = styles["Title"]
    title.font.name, title.font.size, title.font.bold, title.font.color.rgb = "Arial", Pt(20), True, dark
    for level, size in ((1, 15), (2, 13), (3, 12), (4, 11)):
        style = styles[f"Heading {level}"]
        style.font.name, style.font.size, style.font.bold, style.font.italic = "Arial", Pt(size), True, False
        style.font.color.rgb = dark
        style.paragraph_format.space_before = Pt(14 if level == 1 else 10)
        style.paragraph_format.space_after = Pt(4)
        style.paragraph_format.keep_with_next = True

    def paragraph_style(name, size=11, bold=False, italic=False, color=None, after=6, keep=False, align=None, base="Normal",
                        single=False):
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles[base]
        style.font.size, style.font.bold, style.font.italic = Pt(size), bold, italic
        if single:  # single line spacing, as tables in Word usually are (the document default is 1.15)
            style.paragraph_format.line_spacing = 1.0
        if color:
            style.font.color.rgb = color
        style.paragraph_format.space_after = Pt(after)
        style.paragraph_format.keep_with_next = keep
        if align is not None:
            style.paragraph_format.alignment = align
        return style

    grey = RGBColor(0x59, 0x59, 0x59)
    paragraph_style("Question", bold=True, keep=True, after=2)
    paragraph_style("Answer")
    paragraph_style("Table Text", size=10, after=2, single=True)
    paragraph_style("Table Heading", size=10, bold=True, after=2, single=True)  # no keep-with-next inside tables: LibreOffice then keeps the whole table with what follows
    paragraph_style("Table Label", size=10, bold=True, after=2, single=True)
    paragraph_style("Column Heading", size=HEADING_POINTS, bold=True, after=0, single=True)
    paragraph_style("Guidance", size=10, italic=True, color=grey)
    paragraph_style("Draft Notice", size=12, bold=True, color=RGBColor(0xC0, 0x00, 0x00))
    paragraph_style("Marking", size=10, bold=True, after=0, align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph_style("Header Authority", size=9, after=0, align=WD_ALIGN_PARAGRAPH.RIGHT)
    paragraph_style("Footer Text", size=9, after=0, align=WD_ALIGN_PARAGRAPH.CENTER)
    paragraph_style("Form Line", size=8, color=grey, after=0, align=WD_ALIGN_PARAGRAPH.RIGHT)
    paragraph_style("Picture", after=4, keep=True)
    paragraph_style("Spacer", size=6, after=0)
    paragraph_style("Cell End", size=1, after=0)
    bullet = paragraph_style("Table Bullet", size=10, after=2, base="List Bullet", single=True)
    bullet.font.size = Pt(10)
    placeholder = styles.add_style("Placeholder Text", WD_STYLE_TYPE.CHARACTER)
    placeholder.font.color.rgb = RGBColor(0x66, 0x66, 0x66)  # 5.7:1 on white (WCAG AA)
    empty = styles.add_style("Empty Answer", WD_STYLE_TYPE.CHARACTER)  # "Not recorded" for an answer written empty
    empty.font.color.rgb = RGBColor(0x66, 0x66, 0x66)


def build_docx(form: str) -> bytes:
    """The template of one form, as the bytes of a .docx file (deterministic)."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from docx.shared import Mm

    document = docx.Document()
    _styles(document)
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(AUDIT_SIDE_MARGIN_MM if form == "cpr-audit" else 20)
    section.top_margin = section.bottom_margin = Mm(20)
    section.header_distance = section.footer_distance = Mm(10)
    for part, xml in ((section.header, header_xml()), (section.footer, footer_xml(form))):
        part.is_linked_to_previous = False
        element = part._element
        for child in list(element):
            element.remove(child)
        for p in parse_xml(f"<w:hdr {nsdecls('w')}>{xml}</w:hdr>"):
            element.append(p)
    props = document.core_properties
    props.title = FORMS[form].title
    props.subject = FORMS[form].title
    props.category = form
    props.author = props.last_modified_by = "permanence"
    props.comments = "Template built from the form's schema by permanence.templates.build"
    props.keywords = MARKING
    props.created = props.modified = FIXED_DATE
    props.revision = 1
    props.language = "en-GB"

    raw = io.BytesIO()
    document.save(raw)
    body = Builder(form).document_body()
    return _finish_package(raw.getvalue(), body)


def _finish_package(package: bytes, body: str) -> bytes:
    """Put the body into word/document.xml (declaring w15 for repeating sections) and
    write the zip with fixed timestamps so a rebuild gives the same bytes."""
    from lxml import etree

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "word/document.xml":
                data = _document_xml(data.decode("utf-8"), body).encode("utf-8")
                etree.fromstring(data)  # the template must be well-formed XML
            elif info.filename == "word/settings.xml":
                # Word 2013 mode: repeating sections need it (14 opens in Compatibility Mode)
                data = re.sub(rb'(w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val=")14(")',
                              rb"\g<1>15\g<2>", data)
            target = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            target.compress_type = zipfile.ZIP_DEFLATED
            target.external_attr = 0o644 << 16
            dst.writestr(target, data)
    return out.getvalue()


def _document_xml(xml: str, body: str) -> str:
    start = xml.index("<w:document")
    end = xml.index(">", start)
    root = xml[start:end]
    if "xmlns:w15=" not in root:
        root += f' xmlns:w15="{W15_NS}"'
    match = re.search(r'mc:Ignorable="([^"]*)"', root)
    if match:
        names = match.group(1).split()
        for prefix in ("w14", "w15"):
            if prefix not in names:
                names.append(prefix)
        root = root[: match.start()] + f'mc:Ignorable="{" ".join(names)}"' + root[match.end():]
    else:
        root += ' mc:Ignorable="w14 w15"'
    xml = xml[:start] + root + xml[end:]
    sect = re.search(r"<w:sectPr[ >].*?</w:sectPr>", xml, flags=re.DOTALL).group(0)
    body_start = xml.index("<w:body>") + len("<w:body>")
    body_end = xml.index("</w:body>")
    return xml[:body_start] + body + sect + xml[body_end:]


def template_path(form: str) -> Path:
    return HERE / FORMS[form].template_file


def build_all(folder: Path = HERE) -> list[Path]:
    written = []
    for form in template_forms():
        path = folder / FORMS[form].template_file
        path.write_bytes(build_docx(form))
        written.append(path)
    return written


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Build the Word templates from the schemas.")
    parser.add_argument("--out", default=str(HERE), help="folder to write the templates to (default: the package)")
    args = parser.parse_args(argv)
    for path in build_all(Path(args.out)):
        print(path)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
