"""A Word document's body as blocks in reading order: paragraphs (text, heading level,
bold, italic, list item) and tables (rows of cell texts), each with its place.

The place is what a finding's evidence and `audit --annotate` point at: "p12" is the
body's block 12 (a paragraph), "t22r3c1" row 3, cell 1 of the table that is block 22.
Blocks are counted over the body's paragraphs and tables, content controls at body
level opened up, so the same walk over the same XML gives the same places (annotate
walks python-docx's copy of the body with blocks()).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from permanence.templates.safe_docx import W_NS

W = "{%s}" % W_NS
SKIP = {W + "pPr", W + "rPr", W + "del", W + "delText", W + "instrText", W + "fldChar", W + "moveFrom",
        W + "commentReference", W + "footnoteReference", W + "endnoteReference", W + "sdtPr", W + "drawing", W + "pict", W + "object"}
HEADING_STYLE = re.compile(r"^(?:heading|überschrift|titre|kop)\s*([1-9])$", re.IGNORECASE)
OFF = {"0", "false", "off", "none"}


@dataclass
class Paragraph:
    place: str
    text: str
    level: int | None = None  # 1-9 for a heading style or outline level; 0 for the Title
    bold: bool = False  # every character with text is bold
    italic: bool = False
    listed: bool = False  # a numbered or bulleted list item
    style: str = ""
    element: object = None
    lead: int = 0  # the length of a bold run-in heading opening the paragraph ("Health. Amara had ..."), or 0


@dataclass
class Table:
    place: str
    rows: list[list[str]] = field(default_factory=list)
    element: object = None
    nested: dict = field(default_factory=dict)  # (row, cell) -> the cell's blocks, where it holds a table
    headed: dict = field(default_factory=dict)  # (row, cell) -> the cell's paragraphs, where a bold line heads others
    anchor: str | None = None  # a table inside a cell: every place is that cell's

    def cell_place(self, r: int, c: int) -> str:
        return self.anchor or f"{self.place}r{r}c{c}"


@dataclass
class Styles:
    """What a paragraph or character style makes of its text: name, outline level, bold, italic."""

    names: dict = field(default_factory=dict)
    levels: dict = field(default_factory=dict)
    bold: dict = field(default_factory=dict)
    italic: dict = field(default_factory=dict)
    listed: set = field(default_factory=set)


def _on(el) -> bool:
    return el is not None and (el.get(W + "val") or "true").lower() not in OFF


def read_styles(root) -> Styles:
    """Styles from styles.xml (root may be None), following basedOn chains."""
    styles = Styles()
    if root is None:
        return styles
    raw: dict = {}
    for st in root.iter(W + "style"):
        sid = st.get(W + "styleId") or ""
        name_el = st.find(W + "name")
        based = st.find(W + "basedOn")
        ppr = st.find(W + "pPr")
        rpr = st.find(W + "rPr")
        outline = ppr.find(W + "outlineLvl") if ppr is not None else None
        raw[sid] = {
            "name": (name_el.get(W + "val") if name_el is not None else sid) or sid,
            "based": based.get(W + "val") if based is not None else None,
            "outline": outline.get(W + "val") if outline is not None else None,
            "bold": (rpr.find(W + "b") if rpr is not None else None),
            "italic": (rpr.find(W + "i") if rpr is not None else None),
            "num": ppr is not None and ppr.find(W + "numPr") is not None,
        }
    for sid in raw:
        chain, seen, cur = [], set(), sid
        while cur in raw and cur not in seen and len(chain) < 20:
            seen.add(cur)
            chain.append(raw[cur])
            cur = raw[cur]["based"]
        name = chain[0]["name"]
        styles.names[sid] = name
        match = HEADING_STYLE.match(name.strip())
        if match:
            styles.levels[sid] = int(match.group(1))
        elif name.strip().lower() in ("title",):
            styles.levels[sid] = 0
        else:
            outline = next((c["outline"] for c in chain if c["outline"] is not None), None)
            if outline is not None and outline.isdigit() and int(outline) < 9:
                styles.levels[sid] = int(outline) + 1
        bold = next((c["bold"] for c in chain if c["bold"] is not None), None)
        italic = next((c["italic"] for c in chain if c["italic"] is not None), None)
        styles.bold[sid] = _on(bold)
        styles.italic[sid] = _on(italic)
        if any(c["num"] for c in chain) or "list" in name.lower() or "bullet" in name.lower():
            styles.listed.add(sid)
    return styles


# Unicode spaces read as a plain space, one for one (so every offset into the text stays
# an offset into the runs): a no-break space typed between words ("not\u00a0been
# identified") is still a space to every check.
SPACES = str.maketrans({c: " " for c in "\u00a0\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"})


def _runs(p):
    """(text, run element) for every piece of text in a paragraph, hyperlinks and fields opened up."""
    out = []

    def walk(el, run):
        for child in el:
            tag = child.tag
            if not isinstance(tag, str) or tag in SKIP:
                continue
            if tag == W + "r":
                walk(child, child)
            elif tag == W + "t":
                out.append(((child.text or "").translate(SPACES), run))
            elif tag == W + "tab":
                out.append(("\t", run))
            elif tag in (W + "br", W + "cr"):
                out.append(("\n", run))
            elif tag == W + "noBreakHyphen":
                out.append(("-", run))
            else:
                walk(child, run)
    walk(p, None)
    return out


def paragraph(p, place: str, styles: Styles) -> Paragraph:
    pieces = _runs(p)
    text = "".join(t for t, _ in pieces)
    ppr = p.find(W + "pPr")
    sid = ""
    level = None
    listed = False
    if ppr is not None:
        ps = ppr.find(W + "pStyle")
        sid = ps.get(W + "val") if ps is not None else ""
        outline = ppr.find(W + "outlineLvl")
        if outline is not None and (outline.get(W + "val") or "").isdigit() and int(outline.get(W + "val")) < 9:
            level = int(outline.get(W + "val")) + 1
        listed = ppr.find(W + "numPr") is not None
    if level is None:
        level = styles.levels.get(sid)
        if level is None and sid:
            match = HEADING_STYLE.match(sid) or HEADING_STYLE.match(styles.names.get(sid, ""))
            level = int(match.group(1)) if match else None
    listed = listed or sid in styles.listed
    style_bold, style_italic = styles.bold.get(sid, False), styles.italic.get(sid, False)
    bold = italic = None
    lead, leading = 0, True
    for piece, run in pieces:
        if not piece.strip():
            lead += len(piece) if leading else 0
            continue
        rpr = run.find(W + "rPr") if run is not None else None
        rb = rpr.find(W + "b") if rpr is not None else None
        ri = rpr.find(W + "i") if rpr is not None else None
        cs = rpr.find(W + "rStyle") if rpr is not None else None
        cid = cs.get(W + "val") if cs is not None else None
        ru = rpr.find(W + "u") if rpr is not None else None
        underlined = ru is not None and (ru.get(W + "val") or "single") not in ("none", "0", "false")
        # a line typed underlined stands as a heading as a bold one does ("Lana – what she looks like")
        b = (_on(rb) if rb is not None else (styles.bold.get(cid, False) if cid else False) or style_bold) or underlined
        i = _on(ri) if ri is not None else (styles.italic.get(cid, False) if cid else False) or style_italic
        bold = b if bold is None else (bold and b)
        italic = i if italic is None else (italic and i)
        if leading and b:
            lead += len(piece)
        leading = leading and b
    head = text[:lead].strip()
    if bold or not head or not re.search(r"[.:?]$", head) or len(head.split()) > 12 or not text[lead:].strip():
        lead = 0  # a run-in heading is bold words ending in a stop, then the answer in plain text
    return Paragraph(place=place, text=text, level=level, bold=bool(bold), italic=bool(italic), listed=listed,
                     style=styles.names.get(sid, sid), element=p, lead=lead)


def _cell_text(tc) -> str:
    lines = []
    for p in tc.iter(W + "p"):
        lines.append("".join(t for t, _ in _runs(p)))
    return "\n".join(lines).strip()


def _cell_blocks(tc, place: str, styles: Styles, depth: int) -> list:
    """A cell's paragraphs and tables in order (content controls opened up); a table inside
    it is read as a table whose every place is the cell's (annotate anchors on the cell)."""
    out = []
    for el in body_elements(tc):
        if el.tag == W + "p":
            out.append(paragraph(el, place, styles))
        elif depth < 4:
            out.append(table(el, place, styles, depth + 1, anchor=place))
    return out


def table(tbl, place: str, styles: Styles | None = None, depth: int = 0, anchor: str | None = None) -> Table:
    rows, nested, headed = [], {}, {}
    for r, tr in enumerate(tbl.findall(W + "tr")):
        cells = tr.findall(W + "tc")
        rows.append([_cell_text(tc) for tc in cells])
        for c, tc in enumerate(cells):
            if tc.find(".//" + W + "tbl") is not None:
                nested[(r, c)] = _cell_blocks(tc, anchor or f"{place}r{r}c{c}", styles or Styles(), depth)
            elif c > 0 and len(tc.findall(W + "p")) >= 3:
                # an answer box with a line in bold heading the lines below it ("Danielle's chronology")
                blocks = [b for b in _cell_blocks(tc, anchor or f"{place}r{r}c{c}", styles or Styles(), depth) if b.text.strip()]
                if len(blocks) >= 2 and any(b.bold and not b.listed for b in blocks[1:]):
                    headed[(r, c)] = blocks
    return Table(place=place, rows=rows, element=tbl, nested=nested, headed=headed, anchor=anchor)


def body_elements(body):
    """The body's paragraphs and tables in order, body-level content controls opened up."""
    for child in body:
        tag = child.tag
        if tag in (W + "p", W + "tbl"):
            yield child
        elif tag == W + "sdt":
            content = child.find(W + "sdtContent")
            if content is not None:
                yield from body_elements(content)
        elif tag in (W + "customXml", W + "ins"):
            yield from body_elements(child)


def blocks(body, styles: Styles | None = None) -> list:
    styles = styles or Styles()
    out = []
    for n, el in enumerate(body_elements(body)):
        if el.tag == W + "p":
            out.append(paragraph(el, f"p{n}", styles))
        else:
            out.append(table(el, f"t{n}", styles))
    return out


def cell_element(tbl, r: int, c: int):
    rows = tbl.findall(W + "tr")
    if r < len(rows):
        cells = rows[r].findall(W + "tc")
        if c < len(cells):
            return cells[c]
    return None


PLACE = re.compile(r"^([pt])(\d+)(?:r(\d+)c(\d+))?$")


def find_place(body, place: str):
    """The paragraph element, or table cell element, a place names (None if gone)."""
    match = PLACE.match(place or "")
    if not match:
        return None
    n = int(match.group(2))
    for i, el in enumerate(body_elements(body)):
        if i == n:
            if match.group(1) == "p":
                return el if el.tag == W + "p" else None
            if el.tag != W + "tbl" or match.group(3) is None:
                return None
            return cell_element(el, int(match.group(3)), int(match.group(4)))
    return None
