"""Rows written straight into a write-only sheet's XML, a few named styles shared by every cell.

openpyxl's write-only mode makes a cell object for every value, works out its style by
hashing, and writes it through lxml element by element: at 10,000 children (about a
million cells) that was most of the tracker's time. `FastRows` writes each row as one
piece of SpreadsheetML text into the same stream openpyxl writes the rest of the sheet
into (sheet properties, columns, then the tail: filters, protection, print settings),
with each style registered once in the workbook and named by its number in every cell.

The cells are those openpyxl itself would write: inline strings (`t="inlineStr"`,
`xml:space="preserve"` where the text starts or ends with a space), numbers, booleans,
dates as serial numbers in the workbook's epoch (the style carries the date format), and
formulas; a value is stored as text whenever the caller says so (text that starts with
`=` typed by a person is never a formula).
"""
from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from functools import lru_cache

from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import to_excel
from openpyxl.worksheet._writer import WorksheetWriter
from openpyxl.xml.constants import SHEET_MAIN_NS

_TIME_TYPES = (dt.datetime, dt.date, dt.time, dt.timedelta)
_NUMBERS = (int, float, Decimal)


def _escape(text: str) -> str:
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    if "\r" in text:
        text = text.replace("\r", "&#13;")
    return text


def _number(value) -> str:
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return ""
    return "%.16g" % value


class _RawWorksheetWriter(WorksheetWriter):
    """openpyxl's sheet writer, its stream opened on a file this module can also write to."""

    closing = False
    rows_started = False

    def get_stream(self):
        from lxml.etree import SerialisationError, xmlfile

        try:
            with open(self.out, "wb") as handle:
                self.handle = handle
                with xmlfile(handle) as xf:
                    self.xml = xf
                    with xf.element("worksheet", xmlns=SHEET_MAIN_NS):
                        try:
                            while True:
                                el = (yield)
                                if el is True:
                                    yield xf
                                elif el is None:
                                    continue
                                else:
                                    xf.write(el)
                        except GeneratorExit:
                            pass
        except (OSError, SerialisationError):
            if self.closing:
                raise  # the save closing this sheet: its caller reports it (a full disk)
            # Closed by the garbage collector after the save failed on another sheet: the
            # workbook is not written, and that failure is the one reported.

    def close(self):
        self.closing = True
        super().close()

    def raw(self, text: str) -> None:
        self.xml.flush()  # what lxml holds goes first
        self.handle.write(text.encode("utf-8"))

    def write_rows(self):
        """Called as the sheet closes: the rows went out as they came, so only the end."""
        self.raw("</sheetData>" if self.rows_started else "<sheetData/>")


class FastRows:
    """Write rows of (style name or None, value, stored as text) into a write-only sheet.

    Create it before anything is appended to the sheet, after its column widths, views and
    print settings are set (they are written first); then every row of the sheet goes
    through `row()`, never `ws.append`."""

    def __init__(self, ws, styles: dict):
        """styles: name -> a cell whose style (font, fill, alignment, number format,
        protection) every cell written with that name shares."""
        self.ws = ws
        wb = ws.parent
        self.epoch = wb.epoch
        self.ids = {name: f' s="{wb._cell_styles.add(cell._style)}"' for name, cell in styles.items()}
        writer = _RawWorksheetWriter(ws)
        writer.write_top()
        ws._writer = writer
        self.writer = writer
        self.rows = 0
        self.letters: list[str] = []

    def add_style(self, name: str, cell) -> None:
        """One more shared style, named (registered once in the workbook)."""
        self.ids[name] = f' s="{self.ws.parent._cell_styles.add(cell._style)}"'

    def _letter(self, i: int) -> str:
        while len(self.letters) <= i:
            self.letters.append(get_column_letter(len(self.letters) + 1))
        return self.letters[i]

    def row(self, items, height: float | None = None) -> None:
        """One row; None (or an item whose value is None and style is None) leaves a cell empty."""
        self.rows += 1
        r = str(self.rows)
        parts = [f'<row r="{r}" ht="{height:g}" customHeight="1">' if height else f'<row r="{r}">']
        ids = self.ids
        for i, item in enumerate(items):
            if item is None:
                continue
            name, value, as_text = item
            if value is None and name is None:
                continue
            ref = self._letter(i) + r
            s = ids[name] if name else ""
            if value is None or value == "":
                parts.append(f'<c r="{ref}"{s}/>' if value is None else f'<c r="{ref}"{s} t="inlineStr"/>')
            elif isinstance(value, str):
                if not as_text and value.startswith("=") and len(value) > 1:
                    parts.append(f'<c r="{ref}"{s}><f>{_escape(value[1:])}</f><v></v></c>')
                elif value != value.strip():
                    parts.append(f'<c r="{ref}"{s} t="inlineStr"><is><t xml:space="preserve">{_escape(value)}</t></is></c>')
                else:
                    parts.append(f'<c r="{ref}"{s} t="inlineStr"><is><t>{_escape(value)}</t></is></c>')
            elif isinstance(value, bool):
                parts.append(f'<c r="{ref}"{s} t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, _NUMBERS):
                parts.append(f'<c r="{ref}"{s} t="n"><v>{_number(value)}</v></c>')
            elif isinstance(value, _TIME_TYPES):
                if getattr(value, "tzinfo", None) is not None:
                    value = value.replace(tzinfo=None)
                parts.append(f'<c r="{ref}"{s} t="n"><v>{_serial(value, self.epoch)}</v></c>')
            else:
                text = _escape(str(value))
                parts.append(f'<c r="{ref}"{s} t="inlineStr"><is><t>{text}</t></is></c>')
        parts.append("</row>")
        writer = self.writer
        if not writer.rows_started:
            writer.rows_started = True
            parts.insert(0, "<sheetData>")
        writer.raw("".join(parts))


@lru_cache(maxsize=8192)
def _serial(value, epoch) -> str:
    """A date's serial number (the same days come back child after child)."""
    return _number(to_excel(value, epoch))
