"""Merging the meeting's work from the previous tracker into the new one: sheets of its own
carried over, rows that cannot be placed kept, what was typed over a computed value kept
with a note, moved rows followed, changed values noted."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from permanence.tracker import workbook as W
from permanence.tracker.previous import PreviousSheet, _plain


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
