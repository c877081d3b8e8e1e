"""The form templates' styles (Arial, British English, headings, table text at 10 point
single-spaced, the marking, header and footer text), and the header and footer every
form carries: OFFICIAL-SENSITIVE, the authority's name, page x of y."""
from __future__ import annotations

from permanence.forms.registry import FORMS
from permanence.templates.columns import HEADING_POINTS
from permanence.templates.wordml import MARKING, W_NS, esc, jpara, para


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
    paragraph_style("Table Question", size=9, after=1, single=True)  # the audit's checklist question, under its id
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
