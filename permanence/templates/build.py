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
import io
import re
import sys
import zipfile
from pathlib import Path

from permanence.forms.registry import FORMS
from permanence.templates.columns import CELL_MARGIN, column_label, column_widths
from permanence.templates.layout import Arr, Leaf, Obj, form_layout, is_block, template_forms
from permanence.templates.wordml import (W_NS, W15_NS, TEXT_WIDTH, AUDIT_SIDE_MARGIN_MM, AUDIT_TEXT_WIDTH, LABEL_WIDTH,
                                        MARKING, NONE_MARK, ACTION_PLACEHOLDER, AUDIT_WIDTHS, NOT_RECORDED,
                                        NOT_RECORDED_SHORT, EVIDENCE_SHOWN, EVIDENCE_HIDDEN, EVIDENCE_OPENERS,
                                        EVIDENCE_HIDDEN_OPENER, FIXED_DATE, FORM_LINE, esc, Scope, para, jpara, jrow,
                                        type_xml, COMPACT_PLACEHOLDERS, placeholder_text, field_sdt, field_para,
                                        container, item, cell, table, header_row, heading,
                                        guidance)  # noqa: F401 (re-exported)
from permanence.templates.build_audit import AuditParts
from permanence.templates.styles import _styles, footer_xml, header_xml

HERE = Path(__file__).resolve().parent


# ---------------------------------------------------------------- the form

class Builder(AuditParts):
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
