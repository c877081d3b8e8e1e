"""FastRows: rows written straight into a write-only sheet read back as the values, types
and shared styles openpyxl itself would have written."""
from __future__ import annotations

import datetime as dt
import zipfile
from decimal import Decimal

from openpyxl import Workbook, load_workbook

from permanence.tracker import workbook as W
from permanence.tracker.xlsx_rows import FastRows


def _write(tmp_path, rows, heights=None):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Sheet")
    ws.column_dimensions["A"].width = 30
    ws.freeze_panes = "B2"
    fast = FastRows(ws, W.cell_styles(ws))
    for i, items in enumerate(rows):
        fast.row(items, height=(heights or {}).get(i))
    ws.protection.sheet = True
    out = tmp_path / "fast.xlsx"
    wb.save(out)
    return out


def test_values_come_back_with_their_types(tmp_path):
    values = [" leading and trailing ", "=1+1 typed by a person", "A & B <c> d\r\ne", True, 3, 2.5, Decimal("1.25"),
              dt.date(2026, 11, 23), dt.datetime(2026, 11, 23, 14, 30), dt.date(2026, 11, 23), ""]
    styles = ["top"] * 7 + ["date", "date", "top", "top"]
    out = _write(tmp_path, [[(s, v, isinstance(v, str) and v.startswith("=")) for s, v in zip(styles, values)],
                            [(None, "=SUM(1,2)", False), None, (None, None, False), ("wrap", None, False)]])
    ws = load_workbook(out)["Sheet"]
    got = [c.value for c in ws[1]]
    assert got[:3] == [" leading and trailing ", "=1+1 typed by a person", "A & B <c> d\r\ne"]
    assert ws["B1"].data_type == "s"  # text that starts with = stays text
    assert got[3:7] == [True, 3, 2.5, 1.25]
    assert got[7] == dt.datetime(2026, 11, 23) and got[8] == dt.datetime(2026, 11, 23, 14, 30)
    assert got[9] == 46349  # a date without the date style is its serial number, as Excel counts
    assert ws["K1"].value is None  # an empty string is an empty cell
    assert ws["A2"].data_type == "f" and ws["A2"].value == "=SUM(1,2)"  # our own formula
    assert ws["B2"].value is None and ws["C2"].value is None
    assert ws["D2"].alignment.wrap_text  # an empty cell styled for the meeting to type into
    assert ws.freeze_panes == "B2" and ws.protection.sheet


def test_each_cell_names_one_shared_style(tmp_path):
    out = _write(tmp_path, [[("header", "ID", False), ("header", "Child", False)],
                            [("date", dt.date(2026, 1, 2), False), ("typed", "notes", False), ("bold", "Total", False)]],
                 heights={0: 45})
    wb = load_workbook(out)
    ws = wb["Sheet"]
    assert ws["A1"].font.b and ws["A1"].fill.fgColor.rgb.endswith("1F4E79") and ws["A1"].alignment.wrap_text
    assert ws.row_dimensions[1].height == 45
    assert ws["A2"].number_format == W.DATE_FORMAT and ws["A2"].alignment.vertical == "top"
    assert ws["B2"].protection.locked is False and ws["B2"].alignment.wrap_text
    assert ws["C2"].font.b
    with zipfile.ZipFile(out) as z:
        sheet = z.read("xl/worksheets/sheet1.xml").decode()
        styles = z.read("xl/styles.xml").decode()
    assert sheet.count("<sheetData>") == 1 and sheet.count("</sheetData>") == 1
    assert sheet.index("<cols>") < sheet.index("<sheetData>") < sheet.index("<sheetProtection")
    assert styles.count("<xf ") < 20  # a handful of styles, not one a cell


def test_a_sheet_with_no_rows_is_still_a_sheet(tmp_path):
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Empty")
    FastRows(ws, W.cell_styles(ws))
    out = tmp_path / "empty.xlsx"
    wb.save(out)
    assert load_workbook(out)["Empty"].max_row == 1
