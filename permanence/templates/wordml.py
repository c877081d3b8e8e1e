"""The pieces of WordprocessingML the form templates are written from (build.py): the
layout's constants (text width, column widths of the audit checklist, what an empty field
or list shows), content controls for fields and lists, paragraphs, cells, tables and
headings, and Scope, which says which loop variable stands for which list."""
from __future__ import annotations

import datetime as dt
from xml.sax.saxutils import escape as _xml_escape

from permanence.templates.layout import Leaf, is_block, pattern_pointer


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
AUDIT_WIDTHS = [2750, 1300, AUDIT_TEXT_WIDTH - 4050]  # the checklist: Section / Issue, Completed, Comments / actions required
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
