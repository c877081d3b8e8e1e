"""Build the tracker: read the previous tracker defensively, compute every child's row,
merge the meeting's typed work back in, write the new file atomically, keep the old one."""
from __future__ import annotations

import datetime as dt
import io
import logging
import os
import re
import shutil
import stat
import tempfile
import threading
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from permanence.findings import UserError
from permanence.tracker import workbook as W
from permanence.tracker.engine import ChildRow

log = logging.getLogger(__name__)

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


def _summary(wb, rows: list[ChildRow], kept: list[dict], meeting_rag: dict, engine, profile, problems: list[str]) -> None:
    from permanence.tracker.summary import write_summary

    write_summary(wb, rows, kept, meeting_rag, engine, profile, problems)


def build_tracker(rows: list[ChildRow], engine, profile, out: Path, *, backup: bool = True,
                  problems: list[str] | None = None, skipped_ids: set[str] | None = None,
                  progress=None, expected=None) -> dict:
    """Write the tracker to `out`; returns counts for the caller's message. expected (a
    safety.Identity) is the tracker as first read: if it has changed since, `out` is left
    as it is and the new tracker goes beside it (UserError)."""
    problems = problems or []
    skipped_ids = skipped_ids or set()
    previous: dict[str, PreviousSheet] = {}
    if out.exists():
        previous = read_previous(out)
    # Everything written on the way holds case data: openpyxl's sheet parts (it streams
    # each sheet to a temporary file), the new workbook, the backup being copied. All of it
    # goes into one private folder beside the tracker (same disk, so the last step is a
    # rename), made before the workbook so an unwritable folder is refused before any sheet
    # is streamed; it is removed on every way out, and a run that was killed leaves it for
    # the next run to sweep (safety.sweep_temporaries).
    try:
        work = tempfile.mkdtemp(prefix=WORK_PREFIX, dir=str(out.resolve().parent))
    except OSError as exc:
        raise UserError(_cannot_write(out, exc)) from None
    tmp = os.path.join(work, "tracker.xlsx")
    # openpyxl writes its sheet parts wherever tempfile points; that is process-wide, so two
    # workbooks written at once in one process (the web page) take turns.
    with _TEMPDIR_SWAP:
        return _build_in(work, rows, engine, profile, out, tmp, previous, backup, problems, skipped_ids, progress, expected)


_TEMPDIR_SWAP = threading.Lock()


def _build_in(work, rows, engine, profile, out, tmp, previous, backup, problems, skipped_ids, progress, expected):
    from lxml.etree import SerialisationError

    from permanence.tracker.safety import quiet_cleanup

    saved_tempdir = tempfile.tempdir
    tempfile.tempdir = work
    try:
        with quiet_cleanup():
            counts = _build(rows, engine, profile, out, tmp, previous, backup=backup, problems=problems,
                            skipped_ids=skipped_ids, progress=progress, expected=expected)
    except SerialisationError as exc:  # a sheet part could not be streamed: the disk is full
        reason = "No space left on device" if "ENOSPC" in str(exc) else str(exc)
        raise UserError(_cannot_write(out, OSError(0, reason))) from None
    except OSError as exc:  # the same, from a sheet part streamed by our own writer
        raise UserError(_cannot_write(out, exc)) from None
    finally:
        tempfile.tempdir = saved_tempdir
        shutil.rmtree(work, ignore_errors=True)
    return counts


WORK_PREFIX = ".tracker-work-"


def check_writable(out: Path) -> None:
    """Refuse, before any work, an output folder the tracker cannot be written to."""
    os.unlink(_temporary_beside(out))


def _temporary_beside(out: Path) -> str:
    try:
        fd, tmp = tempfile.mkstemp(prefix=".tracker-", suffix=".xlsx", dir=str(out.resolve().parent))
    except OSError as exc:
        raise UserError(_cannot_write(out, exc)) from None
    os.close(fd)
    return tmp


def _cannot_write(out: Path, exc: OSError) -> str:
    return (f"{out}: cannot be written ({exc.strerror or type(exc).__name__}); nothing was written and the old tracker, "
            "if any, is unchanged. Choose a folder you can write to, or free some space, and try again.")


def _build(rows, engine, profile, out: Path, tmp: str, previous: dict, *, backup, problems, skipped_ids, progress,
           expected=None) -> dict:
    from openpyxl import Workbook

    settings = engine.settings
    today = engine.as_of.strftime("%d/%m/%Y")
    current_ids = {r.id for r in rows}

    wb = Workbook(write_only=True)
    wb.properties.title = "Permanence tracker"
    wb.properties.keywords = W.MARKER
    wb.properties.subject = W.PRINT_MARKING
    wb.properties.creator = "permanence tracker"

    members = {r.id: W.sheet_members(r, settings) for r in rows}
    values = {}
    for r in rows:
        values[r.id] = W.child_values(r, settings)
    meeting_rag = {}
    notes: list[str] = []  # what the meeting typed that was kept somewhere else, or kept as it is: said on stderr
    main_prev = previous.get(W.MAIN)
    if main_prev:
        for cid, old in main_prev.rows.items():
            rag = W.normalise_rag(old.get("RAG (meeting)"))
            if rag in W.RAG_LABELS:
                meeting_rag[cid] = rag
    kept_main: list[dict] = []
    prev_marks: dict[str, list[set]] = {}  # sheet -> per column, every mark the last build wrote there
    counts = Counter()
    for title, columns in W.SHEETS.items():
        prev = previous.get(title)
        if prev is not None and prev.raw is not None:
            prev = None  # a sheet of the meeting's own with one of our names: not a tracker sheet
        columns = [replace(c, header=c.header.format(target=settings.get("pre_proceedings_target_weeks", 16),
                                                     maximum=settings.get("pre_proceedings_max_weeks", 26),
                                                     proceedings=settings.get("proceedings_weeks", 26)))
                   for c in columns]
        notes_header = "Notes" if title == W.MAIN else "Notes (this tracker)"
        # Computed columns a value typed over would be lost from (legal status and plan have
        # their own note in _note_changed).
        computed = [c for c in columns if not c.typed and c.kind != "rag_shown" and c.key not in ("id", "status")
                    and not (title == W.MAIN and c.key in ("legal_status", "primary_plan"))]
        ours = {c.header for c in columns}
        if prev is not None:
            prev_marks[title] = _follow_moved_rows(prev)
        extras = [h for h in (prev.headers if prev else []) if h and h not in ours and h != W.CHECK_HEADER]
        typed_headers = [c.header for c in columns if c.typed] + extras
        def row_values(r, prev=prev, title=title, typed_headers=typed_headers, computed=computed, notes_header=notes_header):
            v = dict(values[r.id])
            v["rag_shown_value"] = meeting_rag.get(r.id) or v["rag_computed"]
            old = prev.rows.get(r.id) if prev else None
            if old:
                for h in typed_headers:
                    if old.get(h) not in (None, ""):
                        v[h] = old[h]
                typed_over = _typed_over_test(prev.headers, old, prev_marks.get(title))
                if title == W.MAIN:
                    _note_changed(v, old, today, typed_over)
                    _normalise_meeting_rag(v, r.id, notes)
                _keep_typed_over(title, r.id, v, old, computed, notes_header, today, notes, typed_over)
            return v

        pending: list = []  # a child's row (its values made as it is written: one child's at a time) or a kept row
        for r in rows:
            if title not in members[r.id]:
                continue
            pending.append(r)
            counts[title] += 1
        # Rows from the previous tracker that this run does not write: kept, marked.
        if prev:
            for cid in prev.order:
                if cid in current_ids and title in members.get(cid, []):
                    continue
                old = dict(prev.rows[cid])
                if cid in skipped_ids:
                    old["Status"] = W.NOT_UPDATED
                elif cid not in current_ids:
                    old["Status"] = W.GONE
                else:
                    if not any(old.get(h) not in (None, "") for h in typed_headers):
                        continue  # nothing typed: the child simply left this tracker
                    old["Status"] = W.OFF_THIS_TRACKER
                if title == W.MAIN:
                    kept_main.append(old)
                pending.append(old)
                counts[f"{title}:kept"] += 1
        sheet = W.SheetWriter(wb, title, columns, extras, data_rows=len(pending), check=True)
        for item in pending:
            sheet.append(_by_header(sheet, row_values(item) if isinstance(item, ChildRow) else item))
            if progress and title == W.MAIN:
                progress(1)
        sheet.finish()

    values.clear()  # the sheets of children are written
    del pending

    # What is still to do: the timescales met already are in `--format json`.
    open_ = [(r, t) for r in rows for t in r.timescales if t.status in ("overdue", "due soon", "upcoming")]
    due = W.SheetWriter(wb, W.DUE_DATES, W.DUE_COLUMNS, [], data_rows=len(open_))
    for r, t in open_:
        due.append({"id": r.id, "name": r.name, "description": t.description,
                    "from": W.counted_from(t), "due": t.due, "status": W.status_word(t.status),
                    "met_on": t.met_on, "booked": t.booked, "source": t.source})
    due.finish()
    _summary(wb, rows, kept_main, meeting_rag, engine, profile, problems)
    _keep_what_cannot_be_placed(wb, previous, out, today, notes)
    _carry_own_sheets(wb, previous, out, notes)
    W.write_lists(wb)

    _save_atomically(wb, out, tmp, backup=backup and out.exists(), expected=expected)
    counts["children"] = len(rows)
    counts["gone"] = sum(1 for k in kept_main if k.get("Status") == W.GONE)
    return {**counts, "notes": notes}


def _carry_own_sheets(wb, previous: dict, out: Path, notes: list[str]) -> None:
    """Sheets the meeting added are written again, cell values (and formulas) as they were."""
    from permanence.tracker.keep import KEPT_SHEET

    for title, sheet in previous.items():
        if sheet.raw is None or title == KEPT_SHEET:
            continue
        ws = wb.create_sheet(title)
        rows = W.FastRows(ws, W.cell_styles(ws))  # straight into the sheet, as every sheet is written
        for values in sheet.raw:
            rows.row([("plain_date", _plain(v), False) if isinstance(v, (dt.date, dt.datetime)) else (None, v, False)
                      for v in values])
        notes.append(f"{out}: the sheet '{title}' you added was carried over with its values; "
                     "its formatting (column widths, colours, merged cells) could not be kept.")


def _keep_what_cannot_be_placed(wb, previous: dict, out: Path, today: str, notes: list[str]) -> None:
    """Cell comments and rows inserted without a child ID go to the 'Kept from the last
    tracker' sheet (what it held before stays at its top), and are said."""
    from permanence.tracker.keep import KEPT_HEADERS, KEPT_SHEET, column_of, row_of

    main = previous.get(W.MAIN)
    if main is None:
        return
    earlier = previous.get(KEPT_SHEET)
    kept_rows: list[list] = [list(r) for r in (earlier.raw or [])[1:]] if earlier is not None and earlier.raw else []
    new = []
    for comment in main.comments:
        sheet = previous.get(comment.sheet)
        row, col = row_of(comment.ref), column_of(comment.ref)
        cid = sheet.row_ids.get(row, "") if sheet is not None and row else ""
        header = sheet.headers[col - 1] if sheet is not None and sheet.headers and col and col <= len(sheet.headers) else ""
        what = f"Comment by {comment.author}" if comment.author else "Comment"
        new.append([today, comment.sheet, comment.ref, cid, header, what, comment.text])
    orphans = 0
    for title, sheet in previous.items():
        for number, typed in sheet.orphans:
            orphans += 1
            text = "\n".join(f"{h}: {_shown(v)}" for h, v in typed.items())
            new.append([today, title, f"row {number}", "", ", ".join(typed), "Row without a child ID", text])
    if not new and not kept_rows:
        return
    ws = wb.create_sheet(KEPT_SHEET)
    for letter, width in zip("ABCDEFG", (12, 22, 10, 12, 24, 26, 80)):
        ws.column_dimensions[letter].width = width
    ws.oddHeader.center.text = W.PRINT_MARKING
    ws.oddFooter.center.text = W.PRINT_MARKING
    sheet_rows = W.FastRows(ws, W.cell_styles(ws))
    sheet_rows.row([("bold", h, False) for h in KEPT_HEADERS])

    def item(value):
        if isinstance(value, str):
            value = W.clean_text(value)
            return ("wrap", value, value.startswith(W._FORMULA_START))  # stored as text, never a formula
        return (None, value, False)
    for values in kept_rows + new:
        sheet_rows.row([item(v) for v in values])
    comments = len(main.comments)
    if new:
        parts = []
        if comments:
            parts.append(f"{comments} cell comment{'s' if comments != 1 else ''}")
        if orphans:
            parts.append(f"{orphans} row{'s' if orphans != 1 else ''} without a child ID")
        notes.append(f"{out}: {' and '.join(parts)} from the last tracker could not be kept in place; "
                     f"{'they are' if len(new) != 1 else 'it is'} on the '{KEPT_SHEET}' sheet, with where "
                     f"{'they were' if len(new) != 1 else 'it was'}.")


def _shown(value) -> str:
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        value = value.date()
    return value.strftime("%d/%m/%Y") if isinstance(value, dt.date) else str(value)


def _fits(col, value) -> bool:
    """Whether a value could be what this computed column holds (else someone typed it)."""
    if col.kind == "date":
        return isinstance(value, (dt.date, dt.datetime))
    if col.kind == "int":
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if col.kind == "rag":
        return value in W.RAG_LABELS
    return True


def _follow_moved_rows(prev: PreviousSheet) -> list[set]:
    """Rows reordered by pasting values (not Excel's sort) leave each row's hidden check
    behind, under another child. Give each row back the check whose ID mark is its own
    (when exactly one is), and return, per column, every mark the last build wrote there:
    a value found among them was moved from another row, not typed."""
    if W.CHECK_HEADER not in prev.headers:
        return []
    width = W.CHECK_WIDTH
    checks = [old.get(W.CHECK_HEADER) for old in prev.rows.values()]
    checks = [c for c in checks if isinstance(c, str) and len(c) >= 2 * width]
    by_id: dict[str, str | None] = {}
    for check in checks:
        mark = check[width:2 * width]
        by_id[mark] = None if mark in by_id else check  # two rows with one ID mark: cannot tell
    for cid, old in prev.rows.items():
        check = old.get(W.CHECK_HEADER)
        own = W.fingerprint(cid)
        if isinstance(check, str) and check[width:2 * width] == own:
            continue
        found = by_id.get(own)
        old[W.CHECK_HEADER] = found  # None: this row's marks are lost, only the kind can tell
    columns = prev.headers.index(W.CHECK_HEADER)
    marks: list[set] = [set() for _ in range(columns)]
    for check in checks:
        for i in range(columns):
            marks[i].add(check[width * (i + 1): width * (i + 2)])
    return marks


def _typed_over_test(headers: list[str], old: dict, marks: list[set] | None = None):
    """A test (header, value) -> True if the value was typed over what the tracker wrote
    there, False if it is what the tracker wrote (in this row, or in another row it was
    moved from: marks), None if the row cannot tell (no hidden check column: a tracker
    written before it, or a cell the tracker left empty)."""
    check = old.get(W.CHECK_HEADER)
    if W.CHECK_HEADER not in headers or not isinstance(check, str):
        return lambda header, value: None
    before = headers[:headers.index(W.CHECK_HEADER)]
    if len(check) != W.CHECK_WIDTH * (len(before) + 1) or check[:W.CHECK_WIDTH] != W.fingerprint("\t".join(before)):
        return lambda header, value: None  # columns moved, added or deleted since: the marks cannot be matched
    check = check[W.CHECK_WIDTH:]
    position = {h: i for i, h in enumerate(before)}

    def test(header, value):
        i = position.get(header)
        mark = check[W.CHECK_WIDTH * i: W.CHECK_WIDTH * (i + 1)] if i is not None else W.NO_MARK
        if mark == W.NO_MARK:
            return None
        found = W.fingerprint(value)
        if found == mark:
            return False
        return not (marks and i < len(marks) and found in marks[i])  # moved from another row: not typed
    return test


def _keep_typed_over(title, cid, v: dict, old: dict, computed, notes_header: str, today: str, notes: list[str],
                     typed_over=None) -> None:
    """A value typed over a computed cell is not lost: a column the case record leaves empty
    keeps it (fallback columns), otherwise it goes into the sheet's notes with the date."""
    lines = []
    for col in computed:
        was = old.get(col.header)
        if was in (None, ""):
            continue
        if col.fallback and v.get(col.key) in (None, ""):
            v[col.header] = was  # the case record says nothing: the meeting's value stays
            continue
        typed = typed_over(col.header, was) if typed_over else None
        if not (typed if typed is not None else not _fits(col, was)):  # without a mark, only the kind can tell
            continue
        lines.append(f"[{today}] '{_shown(was)}' was typed in {col.header}; " + (
            f"the RAG here follows the '{W.MAIN}' sheet." if col.kind == "rag" else "the tracker works that column out from the case record."))
        where = (f"the meeting's RAG goes in 'RAG (meeting)' on the '{W.MAIN}' sheet" if col.kind == "rag"
                 else "the column is worked out from the case record: put the fact there")
        notes.append(f"{title}, {cid}: '{_shown(was)}' typed in '{col.header}' was moved to '{notes_header}' ({where}).")
    if lines:
        before = v.get(notes_header)
        v[notes_header] = (str(before) + "\n" if before not in (None, "") else "") + "\n".join(lines)


def _normalise_meeting_rag(v: dict, cid: str, notes: list[str]) -> None:
    was = v.get("RAG (meeting)")
    if was in (None, ""):
        return
    rag = W.normalise_rag(was)
    v["RAG (meeting)"] = rag
    if rag not in W.RAG_LABELS:
        notes.append(f"{W.MAIN}, {cid}: RAG (meeting) '{_shown(was)}' is not Red, Amber or Green; it was kept as typed, "
                     "but the Summary counts the computed RAG. Choose Red, Amber or Green.")


def _by_header(sheet: W.SheetWriter, v: dict) -> dict:
    """Values keyed by column key, with header-keyed (typed, kept) values winning."""
    out = {}
    for col in sheet.columns:
        if col.header in v:
            out[col.key] = v[col.header]
        elif col.key in v:
            out[col.key] = v[col.key]
    return out


def _note_changed(v: dict, old: dict, today: str, typed_over=None) -> None:
    """A value someone chose from the plan or legal status drop-down that the case record
    does not say is not lost: it goes into Notes with the date."""
    lines = []
    for key, header in (("legal_status", "Legal status"), ("primary_plan", "Primary plan")):
        was = old.get(header)
        if typed_over and typed_over(header, was) is False:
            continue  # what the tracker wrote last time: the case record has changed, nobody typed
        if isinstance(was, str) and was.strip() and was != v.get(key):
            lines.append(f"[{today}] {header} in the tracker read '{was}'; the case record says '{v.get(key)}'.")
    if lines:
        notes = v.get("Notes") or ""
        v["Notes"] = (str(notes) + "\n" if notes else "") + "\n".join(lines)


def _save_atomically(wb, out: Path, tmp: str, backup: bool, expected=None) -> None:
    from permanence.tracker.safety import changed_meanwhile, rebuilt_name

    shown = out
    out = out.resolve()
    tmp2 = None
    try:
        # Saved into memory first, then written with one plain write: a disk that fills
        # half-way through a zip leaves openpyxl's ZipFile unclosed, and its clean-up later
        # printed a traceback ("Exception ignored in ZipFile.__del__") before our message.
        buffer = io.BytesIO()
        wb.save(buffer)
        with open(tmp, "wb") as handle:
            handle.write(buffer.getbuffer())
        del buffer
        # mkstemp makes the file private (0600): give it the old tracker's permissions, or
        # the usual ones for a new file, so a shared tracker stays shared.
        if out.exists():
            os.chmod(tmp, stat.S_IMODE(out.stat().st_mode))
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        if expected is not None and changed_meanwhile(out, expected):
            # Saved by someone else (or written by another run) since it was read: replacing
            # it would lose their work. Both are kept.
            beside = rebuilt_name(shown)
            os.replace(tmp, beside)
            raise UserError(f"{shown}: was changed by someone else while the rebuild ran (saved in Excel, or another rebuild), "
                            f"so it was left as it is; the new tracker was written to {beside} instead. Run the rebuild again "
                            "to take in what they saved, then delete the one you do not need.")
        if backup:
            previous = out.with_name(out.stem + ".previous" + out.suffix)
            fd2, tmp2 = tempfile.mkstemp(prefix=".tracker-prev-", suffix=".xlsx", dir=os.path.dirname(tmp) or ".")
            os.close(fd2)
            shutil.copy2(out, tmp2)
            os.replace(tmp2, previous)
            tmp2 = None
        os.replace(tmp, out)
    except OSError as exc:  # disk full, or the folder made read-only meanwhile
        _remove(tmp, tmp2)
        raise UserError(_cannot_write(shown, exc)) from None
    except BaseException:
        _remove(tmp, tmp2)
        raise


def _remove(*paths) -> None:
    for path in paths:
        if path and os.path.exists(path):
            try:
                os.unlink(path)
            except OSError:
                pass
