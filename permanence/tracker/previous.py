"""Read the previous tracker defensively (a hostile .xlsx is a zip bomb, an XML bomb or a
macro workbook renamed): its sheets as headers and rows by child, for build.py to merge the
meeting's typed work back in."""
from __future__ import annotations

import datetime as dt
import re
import stat
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from permanence.findings import UserError
from permanence.tracker import workbook as W

# Limits for reading a previous tracker (a hostile .xlsx is a zip bomb or an XML bomb).
MAX_XLSX_BYTES = 200 * 1024 * 1024
MAX_UNZIPPED_BYTES = 1024 * 1024 * 1024
MAX_MEMBERS = 2_000
MAX_PART_BYTES = 512 * 1024 * 1024  # one part, expanded (no ratio limit: a tracker's own repetitive sheets compress 300:1)


@dataclass
class PreviousSheet:
    headers: list[str]
    rows: dict[str, dict] = field(default_factory=dict)  # child ID -> header -> value
    order: list[str] = field(default_factory=list)
    raw: list[tuple] | None = None  # a sheet the meeting added: its cell values, row by row
    row_ids: dict[int, str] = field(default_factory=dict)  # sheet row number -> child ID
    orphans: list[tuple[int, dict]] = field(default_factory=list)  # rows with values but no child ID
    comments: list = field(default_factory=list)  # keep.Comment, every sheet's (on the main sheet only)


MACRO_PARTS = re.compile(r"(^|/)(vbaProject\.bin|vbaData\.xml|vbaProjectSignature\.bin)$", re.IGNORECASE)
MACRO_TYPES = re.compile(rb"macroEnabled|vbaProject", re.IGNORECASE)


def check_zip(path: Path) -> None:
    name = str(path)
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):  # a pipe would block, a device never end
        raise UserError(f"{name}: is not an ordinary file (a pipe or device), so it is not a tracker. It was left unchanged; choose another output file.")
    size = info.st_size
    if size > MAX_XLSX_BYTES:
        raise UserError(f"{name}: the file is {size // (1024 * 1024)} MiB, far larger than a tracker. Is it the right file?")
    if not zipfile.is_zipfile(path):
        raise UserError(f"{name}: this is not an Excel workbook (.xlsx), so it is not a tracker. It was left unchanged; choose another output file.")
    with zipfile.ZipFile(path) as zf:
        infos = zf.infolist()
        if len(infos) > MAX_MEMBERS:
            raise UserError(f"{name}: the workbook holds {len(infos)} parts, more than a tracker ever does. It was not opened.")
        total = sum(i.file_size for i in infos)
        if total > MAX_UNZIPPED_BYTES:
            raise UserError(f"{name}: the workbook would unpack to {total // (1024 * 1024)} MiB (a zip bomb?). It was not opened.")
        for info in infos:
            if info.file_size > MAX_PART_BYTES:
                raise UserError(f"{name}: a part of the workbook would unpack to {info.file_size // (1024 * 1024)} MiB (a zip bomb?). It was not opened.")
            if MACRO_PARTS.search(info.filename):
                raise UserError(f"{name}: the workbook contains macros (a macro-enabled .xlsm renamed .xlsx), which this tool never writes. "
                                "It was left unchanged; choose another output file.")
            parts = info.filename.replace("\\", "/").split("/")
            if info.filename.startswith("/") or ".." in parts or ":" in info.filename:
                raise UserError(f"{name}: the workbook holds a part named to escape its folder ('{info.filename[:80]}'), as malicious zips do. "
                                "It was not opened; choose another output file.")
        content_types = next((i for i in infos if i.filename == "[Content_Types].xml"), None)
        if content_types is not None and content_types.file_size <= 1024 * 1024:
            try:
                types = zf.read(content_types)
            except (zipfile.BadZipFile, zlib.error, OSError, EOFError, NotImplementedError, RuntimeError):
                raise UserError(f"{name}: the workbook is damaged or encrypted. It was left unchanged; choose another output file.") from None
            if MACRO_TYPES.search(types):
                raise UserError(f"{name}: the workbook is macro-enabled (a .xlsm renamed .xlsx), which this tool never writes. "
                                "It was left unchanged; choose another output file.")


def _plain(value):
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        return value.date()
    return value


def read_previous(path: Path) -> dict[str, PreviousSheet]:
    """Every sheet of a previous tracker as header -> value per child ID. Formulas are read
    as their text and never evaluated."""
    import defusedxml  # noqa: F401 - openpyxl uses it to refuse XML bombs when installed
    from openpyxl import load_workbook

    check_zip(path)
    try:
        sheets = _read_sheets(path, load_workbook(path, read_only=True, data_only=False, keep_links=False))
        from permanence.tracker.keep import read_comments

        sheets[W.MAIN].comments = read_comments(path)
        return sheets
    except UserError:
        raise
    except Exception as exc:  # noqa: BLE001 - any unreadable workbook gets the same answer
        # defusedxml refuses entity tricks (a DTD) here too: the workbook is damaged or unsafe.
        raise UserError(f"{path}: cannot be read as a workbook ({type(exc).__name__}): it may be damaged or unsafe. "
                        "It was left unchanged; choose another output file.") from None


def _read_sheets(path: Path, wb) -> dict[str, PreviousSheet]:
    try:
        if W.MAIN not in wb.sheetnames:
            raise UserError(f"{path}: is not a permanence tracker (no '{W.MAIN}' sheet), so it was not overwritten. Choose another output file.")
        sheets: dict[str, PreviousSheet] = {}
        for title in wb.sheetnames:
            if title not in W.SHEETS:
                if title not in (W.DUE_DATES, W.SUMMARY, W.LISTS):  # a sheet the meeting added: carried over
                    sheets[title] = PreviousSheet(headers=[], raw=[tuple(r) for r in wb[title].iter_rows(values_only=True)])
                continue
            ws = wb[title]
            rows = ws.iter_rows(values_only=True)
            header_row = next(rows, None) or ()
            headers = [str(h) if h is not None else "" for h in header_row]
            if not headers or headers[0] != "ID":
                if title == W.MAIN:
                    raise UserError(f"{path}: the '{W.MAIN}' sheet does not start with an ID column, so this is not a tracker this tool wrote. It was not overwritten.")
                continue
            sheet = PreviousSheet(headers=headers)
            for number, values in enumerate(rows, 2):
                if not values or values[0] is None or str(values[0]).strip() == "":
                    # A row the meeting inserted: kept if anything was typed in it.
                    typed = {h: _plain(v) for h, v in zip(headers, values or ()) if h and h != W.CHECK_HEADER
                             and v not in (None, "") and not (isinstance(v, str) and v.startswith("=IF("))}
                    if typed:
                        sheet.orphans.append((number, typed))
                    continue
                child_id = str(values[0]).strip()
                sheet.row_ids[number] = child_id
                sheet.rows[child_id] = {h: _plain(v) for h, v in zip(headers, values) if h}
                sheet.order.append(child_id)
            sheets[title] = sheet
        return sheets
    finally:
        wb.close()
