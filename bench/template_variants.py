"""Rewrite a Word CPR in the shape of another template, keeping its content.

Used by bench/reader_invariance.py and tests/test_readers_variants.py to ask whether the
reader carries over to templates it has never seen. Each transformation takes a .docx
whose headings carry Word heading styles (the shared corpus's D01-D08) and writes the same
words in a shape authorities really use:

| id          | what changes                                                                 |
|-------------|------------------------------------------------------------------------------|
| bold        | heading styles replaced by direct bold on Normal paragraphs                  |
| qa_table    | the whole report as one long two-column question / answer table             |
| questions   | each heading rewritten as a bold question, the answer below                  |
| prompts     | the template's questions kept as italic lines above each answer              |
| reordered   | sections (and the sub-sections within them) in another order                 |
| synonyms    | headings reworded with words an author might use (not the vocabulary's)      |
| synonyms_b  | the same with a second list, kept apart: never used to choose a fix          |
| messy       | empty paragraphs, typed numbering ("3.2 "), stray tabs and no-break spaces,   |
|             | a heading split across runs, a table nested in a table's cell                 |

The transformation knows the source's headings by its heading styles (the corpus was made
that way), never through the reader, so what the reader finds is measured, not assumed.
"""
from __future__ import annotations

import copy
import random
import re
from pathlib import Path

import docx
from docx.oxml.ns import qn

W_P, W_TBL, W_R, W_T = qn("w:p"), qn("w:tbl"), qn("w:r"), qn("w:t")
HEADING = re.compile(r"^(?:heading\s*([1-9])|title)$", re.IGNORECASE)

# Words an author might use instead of a heading's words (written for this bench; none is a
# wording of the heading vocabulary). Applied to whole words, case kept at the first letter.
SYNONYMS = [
    (r"\bbirth mother\b", "natural mother"), (r"\bbirth father\b", "natural father"),
    (r"\bchronology\b", "timeline"), (r"\beducation\b", "schooling"), (r"\bnursery\b", "early years setting"),
    (r"\bpersonality\b", "character"), (r"\binterests\b", "hobbies"), (r"\bphysical description\b", "appearance"),
    (r"\bwishes and feelings\b", "views"), (r"\bfamily time\b", "contact arrangements"),
    (r"\bsignatures\b", "sign-off and signatures"), (r"\bversion history\b", "document history"),
    (r"\bexpert assessments\b", "specialist assessments"), (r"\boptions considered\b", "alternatives considered"),
    (r"\bcurrent carers\b", "present carers"), (r"\bidentity\b", "heritage"), (r"\bhealth\b", "health and wellbeing needs"),
    (r"\brecommendation\b", "conclusion"), (r"\bsiblings\b", "brothers and sisters"), (r"\bsupport\b", "help"),
    (r"\bessential information\b", "key facts"), (r"\bdevelopment\b", "developmental progress"),
]
# A second list, written before any fix and never used to choose one: a held-out measure of
# rewording (the "synonyms_b" transformation).
SYNONYMS_HELD_OUT = [
    (r"\bbirth mother\b", "biological mother"), (r"\bbirth father\b", "biological father"),
    (r"\bchronology\b", "history of events"), (r"\bhealth\b", "medical history"), (r"\beducation\b", "learning"),
    (r"\bdevelopment\b", "milestones"), (r"\bidentity\b", "background"), (r"\bpersonality\b", "temperament"),
    (r"\brecommendation\b", "proposed plan"), (r"\bsignatures\b", "authorisation"), (r"\bfamily time\b", "contact"),
    (r"\bsupport\b", "services"), (r"\boptions considered\b", "options appraisal"), (r"\bwishes and feelings\b", "voice of the child"),
    (r"\bexpert assessments\b", "professional assessments"), (r"\bcurrent carers\b", "foster carers"),
    (r"\bessential information\b", "summary of details"), (r"\bphysical description\b", "how the child looks"),
    (r"\bversion history\b", "revisions"), (r"\bwork with\b", "direct work with"),
]
QUESTION_FORMS = ["What can you tell us about {h}?", "Please describe {h}.", "{H}: please give details."]
PROMPTS = ["Write this section so that the child can understand it when older; say where each piece of information came from.",
           "Include dates, sources and what the birth parents have said, where known.",
           "What does this mean for the child now and in the future?"]


# ---------------------------------------------------------------- reading the source
def heading_level(p) -> int | None:
    """The heading level the source's style gives a paragraph (0 for Title), else None."""
    style = p.find(qn("w:pPr") + "/" + qn("w:pStyle"))
    if style is None:
        return None
    sid = style.get(qn("w:val")) or ""
    name = _STYLE_NAMES.get(sid, sid)
    m = HEADING.match(name.strip()) or HEADING.match(sid.strip())
    if not m:
        return None
    return int(m.group(1)) if m.group(1) else 0


_STYLE_NAMES: dict[str, str] = {}


def p_text(p) -> str:
    return "".join(t.text or "" for t in p.iter(W_T))


def body_blocks(document) -> list:
    return [el for el in document.element.body if el.tag in (W_P, W_TBL)]


def sections(document) -> tuple[list, list]:
    """(preamble blocks, [(heading element, level, [blocks under it up to the next heading])])."""
    pre, out = [], []
    for el in body_blocks(document):
        level = heading_level(el) if el.tag == W_P else None
        if level is not None and p_text(el).strip():
            out.append([el, level, []])
        elif out:
            out[-1][2].append(el)
        else:
            pre.append(el)
    return pre, out


# ---------------------------------------------------------------- writing
def run(text: str, bold=False, italic=False):
    r = docx.oxml.OxmlElement("w:r")
    if bold or italic:
        rpr = docx.oxml.OxmlElement("w:rPr")
        if bold:
            rpr.append(docx.oxml.OxmlElement("w:b"))
        if italic:
            rpr.append(docx.oxml.OxmlElement("w:i"))
        r.append(rpr)
    parts = text.split("\t")
    for i, part in enumerate(parts):
        if i:
            r.append(docx.oxml.OxmlElement("w:tab"))
        if part:
            t = docx.oxml.OxmlElement("w:t")
            t.text = part
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
            r.append(t)
    return r


def para(*runs):
    p = docx.oxml.OxmlElement("w:p")
    for r in runs:
        p.append(r)
    return p


def plain(p):
    """A paragraph with its style taken away (Word's Normal), list numbering kept."""
    ppr = p.find(qn("w:pPr"))
    if ppr is not None:
        for tag in ("w:pStyle", "w:outlineLvl"):
            el = ppr.find(qn(tag))
            if el is not None:
                ppr.remove(el)
    return p


def bold_para(text: str, split: bool = False):
    if split and len(text) > 6:
        cut = len(text) // 2
        return para(run(text[:cut], bold=True), run(text[cut:], bold=True))
    return para(run(text, bold=True))


def cell(width_twips: int, *children, span: int = 1):
    tc = docx.oxml.OxmlElement("w:tc")
    tcpr = docx.oxml.OxmlElement("w:tcPr")
    tcw = docx.oxml.OxmlElement("w:tcW")
    tcw.set(qn("w:w"), str(width_twips))
    tcw.set(qn("w:type"), "dxa")
    tcpr.append(tcw)
    if span > 1:
        gs = docx.oxml.OxmlElement("w:gridSpan")
        gs.set(qn("w:val"), str(span))
        tcpr.append(gs)
    tc.append(tcpr)
    for child in children:
        tc.append(child)
    if not len(children) or children[-1].tag != W_P:
        tc.append(para())  # a cell ends with a paragraph
    return tc


def table(rows: list[list], widths: list[int]):
    tbl = docx.oxml.OxmlElement("w:tbl")
    tblpr = docx.oxml.OxmlElement("w:tblPr")
    borders = docx.oxml.OxmlElement("w:tblStyle")
    borders.set(qn("w:val"), "TableGrid")
    tblpr.append(borders)
    tbl.append(tblpr)
    grid = docx.oxml.OxmlElement("w:tblGrid")
    for w in widths:
        gc = docx.oxml.OxmlElement("w:gridCol")
        gc.set(qn("w:w"), str(w))
        grid.append(gc)
    tbl.append(grid)
    for cells in rows:
        tr = docx.oxml.OxmlElement("w:tr")
        for tc in cells:
            tr.append(tc)
        tbl.append(tr)
    return tbl


def table_shape(tbl) -> tuple[int, int]:
    rows = tbl.findall(qn("w:tr"))
    return len(rows), max((len(r.findall(qn("w:tc"))) for r in rows), default=0)


def replace_body(document, blocks: list) -> None:
    body = document.element.body
    sect = body.find(qn("w:sectPr"))
    for el in list(body):
        if el is not sect:
            body.remove(el)
    for el in blocks:
        if sect is not None:
            sect.addprevious(el)
        else:
            body.append(el)


def _lower_first(h: str) -> str:
    return h[0].lower() + h[1:] if h and not re.match(r"^[A-Z]{2}|^[A-Z][a-z]+ [A-Z]", h) and not h.startswith("I ") else h


# ---------------------------------------------------------------- the transformations
def t_bold(document) -> None:
    pre, secs = sections(document)
    out = [plain(el) if el.tag == W_P else el for el in pre]
    for head, _, body in secs:
        out.append(bold_para(p_text(head).strip()))
        out += [plain(el) if el.tag == W_P else el for el in body]
    replace_body(document, out)


def t_qa_table(document) -> None:
    pre, secs = sections(document)
    out = list(pre)
    if secs and secs[0][1] <= 1 and not secs[0][2]:
        out.append(bold_para(p_text(secs[0][0]).strip()))  # the title stays above the form
        secs = secs[1:]
    rows = []
    for head, _, body in secs:
        label = p_text(head).strip()
        answer = []
        for el in body:
            if el.tag == W_TBL and table_shape(el)[1] == 2 and not answer:
                # a table of facts: its rows become rows of the form (the heading row first)
                rows.append([cell(9000, bold_para(label), span=2)])
                for tr in el.findall(qn("w:tr")):
                    tcs = tr.findall(qn("w:tc"))
                    rows.append([cell(3000, *[plain(copy.deepcopy(p)) for p in tcs[0].findall(W_P)]),
                                 cell(6000, *[plain(copy.deepcopy(p)) for p in tcs[1].findall(W_P)])])
                label = None
                continue
            answer.append(plain(copy.deepcopy(el)) if el.tag == W_P else copy.deepcopy(el))
        if label is None:
            if answer:
                rows.append([cell(3000, para()), cell(6000, *answer)])
            continue
        if any(p_text(a).strip() or a.tag == W_TBL for a in answer):
            rows.append([cell(3000, bold_para(label)), cell(6000, *answer)])
        else:
            rows.append([cell(9000, bold_para(label), span=2)])  # a heading over others: a row across the form
    out.append(table(rows, [3000, 6000]))
    out.append(para())
    replace_body(document, out)


def t_questions(document) -> None:
    pre, secs = sections(document)
    out = [plain(el) if el.tag == W_P else el for el in pre]
    for n, (head, level, body) in enumerate(secs):
        h = p_text(head).strip()
        if level <= 1 and n == 0:
            out.append(bold_para(h))  # the document's title
        else:
            number = re.match(r"^(?:section\s+[a-z](?:\s+part\s+\d)?[:.]?\s+|\d{1,2}(?:\.\d{1,2})*\.?\s+)", h, re.IGNORECASE)
            lead, rest = (h[:number.end()], h[number.end():]) if number else ("", h)
            form = QUESTION_FORMS[n % len(QUESTION_FORMS)]
            out.append(bold_para(lead + form.format(h=_lower_first(rest), H=rest)))  # numbering stays in front
        out += [plain(el) if el.tag == W_P else el for el in body]
    replace_body(document, out)


def t_prompts(document) -> None:
    pre, secs = sections(document)
    out = list(pre)
    for n, (head, _, body) in enumerate(secs):
        out.append(head)
        if body:
            out.append(para(run(PROMPTS[n % len(PROMPTS)], italic=True)))
        out += body
    replace_body(document, out)


def _spans(secs: list, start: int, end: int, level: int) -> list[tuple[int, int]]:
    """Index ranges [a, b) of sections at `level` within secs[start:end] (each with what it holds)."""
    starts = [i for i in range(start, end) if secs[i][1] == level]
    return [(a, next((b for b in starts if b > a), end)) for a in starts]


def t_reordered(document, seed: int = 7) -> None:
    pre, secs = sections(document)
    rnd = random.Random(seed)
    title = []
    if secs and secs[0][1] <= 1 and not secs[0][2] and len([s for s in secs if s[1] == secs[0][1]]) == 1:
        title, secs = [secs[0]], secs[1:]
    levels = sorted({s[1] for s in secs})

    def order(start: int, end: int, depth: int) -> list:
        if depth >= len(levels):
            return secs[start:end]
        spans = _spans(secs, start, end, levels[depth])
        if not spans:
            return order(start, end, depth + 1)
        head = secs[start:spans[0][0]]
        pieces = [[secs[a], *order(a + 1, b, depth + 1)] for a, b in spans]
        rnd.shuffle(pieces)
        return head + [s for piece in pieces for s in piece]

    out = list(pre)
    for head, _, body in title + order(0, len(secs), 0):
        out += [head, *body]
    replace_body(document, out)


def reword(heading: str, synonyms=None) -> str:
    out = heading
    for pattern, synonym in synonyms or SYNONYMS:
        def keep_case(m, synonym=synonym):
            return synonym[0].upper() + synonym[1:] if m.group(0)[0].isupper() else synonym
        out = re.sub(pattern, keep_case, out, flags=re.IGNORECASE)
    return out


def t_synonyms(document, synonyms=None) -> None:
    _, secs = sections(document)
    for head, _, _ in secs:
        text = p_text(head)
        new = reword(text, synonyms)
        if new != text:
            ppr = head.find(qn("w:pPr"))
            for child in list(head):
                if child is not ppr:
                    head.remove(child)
            head.append(run(new))


def _nbsp(text: str) -> str:
    words = text.split(" ")
    return "".join(w + ("\u00a0" if i % 5 == 4 else " ") for i, w in enumerate(words[:-1])) + words[-1] if len(words) > 1 else text


def t_messy(document) -> None:
    pre, secs = sections(document)
    out = list(pre)
    counters = [0] * 10
    nested = False
    paragraphs = 0
    for head, level, body in secs:
        h = p_text(head).strip()
        h = re.sub(r"^(?:\d{1,2}\.\s+|[A-Z]?\d{1,2}(?:\.\d{1,2})*\s+)", "", h)  # the source's own numbering replaced by typed numbering
        if level <= 1 and not out:
            out.append(bold_para(h))  # the document's title
        else:
            depth = max(1, level - 1)
            counters[depth] += 1
            for d in range(depth + 1, len(counters)):
                counters[d] = 0
            number = ".".join(str(max(1, counters[d])) for d in range(1, depth + 1))
            out.append(bold_para(f"{number} {h} ", split=True))
            out.append(para())
        for el in body:
            if el.tag == W_TBL:
                if not nested and table_shape(el)[1] == 2:
                    out.append(table([[cell(9000, el)]], [9000]))  # a table of facts nested in a one-cell table
                    nested = True
                else:
                    out.append(el)
                continue
            plain(el)
            paragraphs += 1
            for t in el.iter(W_T):
                t.text = _nbsp(t.text or "")
            first_t = next(el.iter(W_T), None)
            if first_t is not None and paragraphs % 4 == 0:
                r = first_t.getparent()
                r.insert(list(r).index(first_t), docx.oxml.OxmlElement("w:tab"))
            out.append(el)
            if paragraphs % 3 == 0:
                out.append(para())
                out.append(para(run("  ")))
    replace_body(document, out)


TRANSFORMS = {"bold": t_bold, "qa_table": t_qa_table, "questions": t_questions, "prompts": t_prompts,
              "reordered": t_reordered, "synonyms": t_synonyms,
              "synonyms_b": lambda document: t_synonyms(document, SYNONYMS_HELD_OUT), "messy": t_messy}


def write_variant(source: Path, kind: str, target: Path) -> Path:
    """Write `source` in the shape `kind` names to `target`."""
    document = docx.Document(str(source))
    _STYLE_NAMES.clear()
    for style in document.styles:
        try:
            _STYLE_NAMES[style.style_id] = style.name
        except (AttributeError, ValueError):
            continue
    TRANSFORMS[kind](document)
    document.save(str(target))
    return target
