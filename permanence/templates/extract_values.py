"""What the form readers of extract.py and extract_labels.py share: the text of Word XML
(deleted text, field codes and hidden parts of controls' properties left out), and a
value as the page shows it turned back into the schema's code, number, date or flag."""
from __future__ import annotations

import datetime as dt
import re

from permanence.templates.layout import Leaf
from permanence.templates.safe_docx import W_NS

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
