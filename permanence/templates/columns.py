"""The columns of a table on a Word form: how wide, and what the heading says.

A column is never narrower than the longest word of its heading (so LibreOffice and Word
never break "Organisation" or "Attended" inside the word), nor than what its values
need (a Yes/No, a date, a name); the space left goes to the columns of text, in
proportion to how much they hold. A narrow column gets a short heading (data below);
the field's full title stays the control's title, and `extract` reads either.
"""
from __future__ import annotations

# Short headings for narrow columns, by field name: what a person reads in a table whose
# column is only as wide as a Yes/No.
SHORT_LABELS = {
    "sent_apologies": "Apologies",
    "report_expected": "Report due",
}

HEADING_POINTS = 9  # the size of a column heading (the Column Heading style)
CELL_MARGIN = 72  # twips each side of a table cell (1.3 mm; Word's default is 108)

# Arial Bold advance widths, in 1/1000 em (the font's metrics, rounded): enough to know
# how wide a heading's longest word is without a font library.
_BOLD = {
    **dict.fromkeys("ijl'", 278), **dict.fromkeys("ft", 333), "r": 389, "z": 500,
    **dict.fromkeys("acekosvxy", 556), **dict.fromkeys("bdghnopqu", 611), "w": 778, "m": 889,
    **dict.fromkeys("I", 278), **dict.fromkeys("J", 556), **dict.fromkeys("ABCDEHKNRUVXY", 722),
    **dict.fromkeys("FTZ", 611), **dict.fromkeys("GOQ", 778), "L": 611, "M": 833, "P": 667, "S": 667, "W": 944,
    **dict.fromkeys("0123456789", 556), "(": 333, ")": 333, "-": 333, "/": 278,
}

# The least width (twips, text only) a column's values need, by kind of field.
VALUE_MIN = {"bool": 420, "int": 420, "number": 600, "date": 1150, "enum": 1100, "short": 1050, "text": 1300, "const": 900}
# How much of the space left over each kind takes (a Yes/No takes none).
SHARE = {"text": 3.0, "short": 2.2, "enum": 2.0, "date": 0.4, "const": 1.0}


def column_label(leaf) -> str:
    """What the column heading says: the field's title, or its short label."""
    return SHORT_LABELS.get(leaf.key, leaf.title)


def word_width(word: str, points: float = HEADING_POINTS) -> int:
    """The width of a word in Arial Bold, in twips."""
    return round(sum(_BOLD.get(ch, 611) for ch in word) * points * 20 / 1000)


def heading_min(label: str) -> int:
    """The least width of a column whose heading is label: its longest word fits."""
    return max((word_width(w) for w in label.split()), default=0) + 2 * CELL_MARGIN + 20


def column_widths(leaves: list, total: int) -> list[int]:
    """The width of each column (twips), summing to total."""
    least = [max(heading_min(column_label(leaf)), VALUE_MIN.get(leaf.kind, 1000) + 2 * CELL_MARGIN) for leaf in leaves]
    spare = total - sum(least)
    shares = [SHARE.get(leaf.kind, 0.0) for leaf in leaves]
    if spare < 0 or not any(shares):  # too many columns for the page: every column in proportion to its least width
        widths = [int(total * w / sum(least)) for w in least]
    else:
        widths = [w + int(spare * s / sum(shares)) for w, s in zip(least, shares)]
    widths[-1 if shares[-1] or spare < 0 else max(range(len(widths)), key=lambda i: shares[i])] += total - sum(widths)
    return widths
