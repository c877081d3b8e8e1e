"""The data-quality workbook: one row per finding, per child, with the table, file and
row it came from (as the SSDA903 validator's error report lists them). Written whole or
not at all; A4 landscape, OFFICIAL-SENSITIVE in the header and footer."""
from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

from permanence.findings import UserError
from permanence.ssda903.read import TABLE_WORDS

COLUMNS = (("Child ID", 12), ("Table", 18), ("File", 22), ("Row", 16), ("Field", 16), ("Value in the return", 18),
           ("Finding", 80))


def write_report(path: Path, findings, as_of: dt.date) -> None:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from permanence.tracker.workbook import PRINT_MARKING, clean_text

    wb = Workbook(write_only=True)
    wb.properties.title = "SSDA903 data quality"
    wb.properties.subject = PRINT_MARKING
    ws = wb.create_sheet("Data quality")
    for i, (_, width) in enumerate(COLUMNS, 1):
        ws.column_dimensions[get_column_letter(i)].width = width
    ws.freeze_panes = "B2"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    ws.oddHeader.center.text = PRINT_MARKING
    ws.oddHeader.right.text = f"SSDA903 data quality as of {as_of.strftime('%d/%m/%Y')}"
    ws.oddFooter.center.text = PRINT_MARKING
    ws.oddFooter.right.text = "Page &P of &N"
    head = []
    for name, _ in COLUMNS:
        c = WriteOnlyCell(ws, value=name)
        c.font, c.fill = Font(bold=True, color="FFFFFF"), PatternFill("solid", fgColor="1F4E79")
        head.append(c)
    ws.append(head)
    wrap = Alignment(wrap_text=True, vertical="top")
    for f in findings:
        cells = []
        message = f.message[:1].upper() + f.message[1:]  # a sentence in its own cell
        for value in (f.child, TABLE_WORDS.get(f.table, f.table), f.file, f.row, f.field, f.value, message):
            c = WriteOnlyCell(ws, value=clean_text(str(value)))
            c.data_type = "s"  # text as the return wrote it, never a formula
            c.alignment = wrap
            cells.append(c)
        ws.append(cells)
    ws.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{max(len(findings) + 1, 2)}"
    if not findings:
        ws.append(["No data-quality findings."])
    try:
        fd, tmp = tempfile.mkstemp(prefix=".dq-", suffix=".xlsx", dir=str(path.resolve().parent))
    except OSError as exc:
        raise UserError(f"{path}: cannot be written ({exc.strerror}). Choose a folder you can write to.") from None
    os.close(fd)
    try:
        wb.save(tmp)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        os.replace(tmp, path)
    except OSError as exc:
        raise UserError(f"{path}: cannot be written ({exc.strerror}); nothing was written.") from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
