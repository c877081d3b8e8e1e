"""The tracker workbook: built in openpyxl's write-only mode (streaming, so 10,000 children
fit in memory), with frozen panes, filters, real date cells, drop-downs, RAG colours by
conditional formatting and A4 landscape print settings.

What people type into the workbook (the meeting's RAG, the IRO view, actions, notes, and
any column they add) is read back from the previous tracker and written again, matched
by child ID; rows are never deleted, only marked.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.styles import Protection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.protection import SheetProtection

from permanence.tracker.xlsx_rows import FastRows
# What the rows say (values.py), re-exported: other modules read them as workbook.NAME.
from permanence.tracker.values import (MAIN, SUMMARY, DUE_DATES, LISTS, MARKER, PRINT_MARKING, IN_CASELOAD, GONE,
                                       NOT_UPDATED, OFF_THIS_TRACKER, RAG_LABELS, _labels, LEGAL_STATUS, PLACEMENT,
                                       PLAN, EVENT, _plan_label, _ts_due, STATUS_WORDS, status_word, normalise_rag,
                                       counted_from, CHECK_HEADER, CHECK_WIDTH, NO_MARK, fingerprint, _fingerprint,
                                       _timescale_line, _source_line, _why, child_values, ADOPTION_PLANS,
                                       ADOPTION_DUE_EVENTS, sheet_members)  # noqa: F401

MAX_CELL_TEXT = 32_767
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")  # and what XML cannot hold
_FORMULA_START = ("=", "+", "-", "@", "\t")

RAG_FILLS = {
    "Red": PatternFill("solid", fgColor="F4B6B6"),
    "Amber": PatternFill("solid", fgColor="FFD98C"),
    "Green": PatternFill("solid", fgColor="B9E2B0"),
}
GREY = PatternFill("solid", fgColor="D9D9D9")
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
DATE_FORMAT = "dd/mm/yyyy"
UNLOCKED = Protection(locked=False)
HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="center")
BOLD = Font(bold=True)


def clean_text(value: str) -> str:
    """Control characters stripped and the text kept within Excel's cell limit."""
    value = _CONTROL.sub("", value)
    if len(value) > MAX_CELL_TEXT:
        suffix = " … (cut: longer than an Excel cell holds)"
        value = value[: MAX_CELL_TEXT - len(suffix)] + suffix
    return value


MAX_ROW_LINES = 12  # a row grows to at most this many lines; the rest shows in the cell


def _lines(text: str, width: float) -> int:
    """Lines a wrapped cell needs at its column width (about one character a width unit)."""
    per_line = max(int(width * 1.15), 4)
    return sum(max(1, -(-len(part) // per_line)) for part in str(text).split("\n"))


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: float
    kind: str = "text"  # text, wrap, date, int, rag, rag_shown
    typed: bool = False  # people type into it: kept from the previous tracker
    lists: str | None = None  # drop-down: "rag", "plan", "legal_status"
    fallback: bool = False  # worked out from the case record when it says; else what the meeting typed is kept


def _c(key, header, width, kind="text", typed=False, lists=None, fallback=False):
    return Column(key, header, width, kind, typed, lists, fallback)


IDENTITY = [_c("id", "ID", 10), _c("name", "Child", 20)]
TAIL = [_c("status", "Status", 16)]

# The core columns come first and are the printed page (A4 landscape): the rest stay on
# screen to the right. Sources (the seed or regulation behind each date) are at the far right.
MAIN_COLUMNS = IDENTITY + [
    _c("legal_status", "Legal status", 16, "wrap", lists="legal_status"), _c("placement", "Placement", 16, "wrap"),
    _c("primary_plan", "Primary plan", 18, "wrap", lists="plan"), _c("contingency", "Contingency plans", 20, "wrap"),
    _c("next_ppm", "Next PPM due", 11, "date"), _c("next_review", "Next review due", 11, "date"),
    _c("next_panel", "Next panel due", 11, "date"), _c("rag_shown", "RAG", 8, "rag_shown"),
    _c("rag_print", "Why (computed RAG)", 30, "wrap"),
    _c("actions", "Actions", 36, "wrap", typed=True),
    # ---- end of the printed columns (PRINT_LAST) ----
    _c("rag_meeting", "RAG (meeting)", 10, "rag", typed=True, lists="rag"), _c("rag_computed", "RAG (computed)", 10, "rag"),
    _c("rag_reasons", "Why this RAG (computed)", 40, "wrap"),
    _c("overdue", "Overdue", 36, "wrap"), _c("due_soon", "Due soon", 36, "wrap"),
    _c("iro_view", "IRO view", 30, "wrap", typed=True), _c("notes", "Notes", 30, "wrap", typed=True),
    _c("next_gateway", "Next gateway due", 12, "date"),
    _c("dob", "Date of birth", 12, "date"), _c("age", "Age", 6, "int"), _c("team", "Team", 16),
    _c("social_worker", "Social worker", 16), _c("iro", "IRO", 16),
    _c("looked_after", "Looked after since", 12, "date"),
    _c("return_status", "Legal status and placement (SSDA903)", 30, "wrap"),
    _c("moves_12m", "Placement moves (last 12 months)", 11, "int"), _c("s20_weeks", "Weeks in section 20", 10, "int"),
    _c("checks", "Checks from the dates", 40, "wrap"),
    _c("days_care_placed", "Days from care to placed for adoption", 12, "int"),
    _c("days_order_match", "Days from placement order to match", 12, "int"),
    _c("pre_weeks", "Weeks in pre-proceedings", 13, "int"), _c("proc_weeks", "Weeks in proceedings", 13, "int"),
    _c("proc_26", "Proceedings week {proceedings}", 12, "date"), _c("so_expiry", "Supervision order expires", 12, "date"),
    _c("case_actions", "Open actions (case record)", 36, "wrap"),
] + TAIL + [_c("cited", "Where the due dates come from", 60, "wrap")]
PRINT_LAST = "actions"  # the printed page runs from ID to this column
PRINT_WIDTH = 220  # column width units that still print legibly across one A4 landscape page

SUB_TAIL = [_c("rag_shown_value", "RAG", 8, "rag"), _c("sheet_notes", "Notes (this tracker)", 36, "wrap", typed=True)] + TAIL

SHEETS: dict[str, list[Column]] = {
    MAIN: MAIN_COLUMNS,
    "Pre-proceedings": IDENTITY + [
        _c("team", "Team", 16), _c("social_worker", "Social worker", 16), _c("legal_status", "Legal status", 18, "wrap"),
        _c("pre_start", "Pre-proceedings started", 12, "date"), _c("pre_weeks", "Weeks in pre-proceedings", 13, "int"),
        _c("pre_target", "Week {target} (target)", 12, "date"), _c("pre_max", "Week {maximum} (maximum)", 12, "date"),
        _c("next_gateway", "Next gateway due", 12, "date"),
        _c("gateway_booked", "Gateway review booked", 12, "date", fallback=True),
        _c("next_ppm", "Next PPM due", 12, "date"), _c("overdue", "Overdue", 36, "wrap"),
    ] + SUB_TAIL + [_c("pre_cited", "Where the dates come from", 50, "wrap")],
    "Adoption": IDENTITY + [
        _c("age", "Age", 6, "int"), _c("social_worker", "Social worker", 16), _c("primary_plan", "Primary plan", 20, "wrap"),
        _c("gateway", "Gateway decision", 12, "date"), _c("family_finder", "Family finder allocated", 12, "date"),
        _c("family_finder_due", "Family finder due", 12, "date"),
        _c("review_before_shobpa", "Review before SHOBPA", 12, "date"), _c("review_before_shobpa_due", "Review before SHOBPA due", 12, "date"),
        _c("shobpa", "SHOBPA", 12, "date"), _c("profiling", "Profiled", 12, "date"), _c("profiling_due", "Profiling due", 12, "date"),
        _c("placement_order", "Placement order", 12, "date"), _c("match_proceeding", "Match proceeding", 12, "date"),
        _c("matching_panel", "Matching panel", 12, "date"), _c("matching_panel_due", "Matching panel due", 12, "date"),
        _c("placed", "Placed for adoption", 12, "date"),
        _c("days_care_placed", "Days from care to placed for adoption", 12, "int"),
        _c("days_order_match", "Days from placement order to match", 12, "int"), _c("overdue", "Overdue", 36, "wrap"),
    ] + SUB_TAIL + [_c("adoption_cited", "Where the due dates come from", 50, "wrap")],
    "Care orders": IDENTITY + [
        _c("age", "Age", 6, "int"), _c("social_worker", "Social worker", 16), _c("placement", "Placement", 18, "wrap"),
        _c("primary_plan", "Primary plan", 20, "wrap"), _c("care_order", "Care order made", 12, "date"),
        _c("matched_on", "Long-term match", 12, "date"), _c("next_review", "Next review due", 12, "date"),
        _c("next_ppm", "Next PPM due", 12, "date"), _c("order_needed", "Is the order still needed?", 30, "wrap", typed=True),
    ] + SUB_TAIL,
    "Long-term matching": IDENTITY + [
        _c("age", "Age", 6, "int"), _c("social_worker", "Social worker", 16), _c("legal_status", "Legal status", 18, "wrap"),
        _c("placement", "Placement", 18, "wrap"), _c("primary_plan", "Primary plan", 20, "wrap"),
        _c("looked_after", "Looked after since", 12, "date"), _c("months_in_care", "Months in care", 8, "int"),
        _c("next_ppm", "Next PPM due", 12, "date"), _c("next_review", "Next review due", 12, "date"),
    ] + SUB_TAIL,
    "16 plus": IDENTITY + [
        _c("age", "Age", 6, "int"), _c("social_worker", "Social worker", 16), _c("legal_status", "Legal status", 18, "wrap"),
        _c("placement", "Placement", 18, "wrap"), _c("primary_plan", "Primary plan", 20, "wrap"),
        _c("next_review", "Next review due", 12, "date"), _c("next_ppm", "Next PPM due", 12, "date"),
        _c("adulthood_plan", "Plan into adulthood", 36, "wrap", typed=True),
    ] + SUB_TAIL,
}

# One line a timescale (a list to filter and sort): long text shows in full in the cell.
DUE_COLUMNS = [_c("id", "ID", 10), _c("name", "Child", 20), _c("description", "What is due", 60),
               _c("from", "Counted from", 34), _c("due", "Due", 12, "date"), _c("status", "Status", 11),
               _c("met_on", "Met on", 12, "date"), _c("booked", "Booked", 12, "date"), _c("source", "Source", 80)]


# ---- writing ---------------------------------------------------------------------------

def cell_styles(ws) -> dict:
    """The few styles every cell of a sheet shares, by name (registered once in the workbook)."""
    styles = {}
    for name, alignment, number_format, unlocked in (
            ("wrap", WRAP, None, False), ("top", TOP, None, False), ("date", TOP, DATE_FORMAT, False),
            ("typed", WRAP, None, True), ("typed_date", TOP, DATE_FORMAT, True), ("plain_date", None, DATE_FORMAT, False),
            ("header", HEADER_ALIGNMENT, None, False), ("bold", None, None, False)):
        cell = WriteOnlyCell(ws, value=None)
        if alignment is not None:
            cell.alignment = alignment
        if number_format:
            cell.number_format = number_format
        if unlocked:
            cell.protection = UNLOCKED
        if name == "header":
            cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        elif name == "bold":
            cell.font = BOLD
        styles[name] = cell
    return styles


class SheetWriter:
    """One write-only sheet with the meeting's settings."""

    def __init__(self, wb: Workbook, title: str, columns: list[Column], extra_headers: list[str], data_rows: int | None = None,
                 check: bool = False):
        self.ws = wb.create_sheet(title)
        self.columns = columns + [Column(f"extra:{h}", h, 20, "wrap", typed=True) for h in extra_headers]
        if check:
            # The check starts with a mark for the column headings in order: a column moved,
            # added or deleted in between makes the marks unusable, never misread.
            self._layout = fingerprint("\t".join(clean_text(c.header) for c in self.columns))
            self.columns.append(Column("check", CHECK_HEADER, 4))
        self.rows = 0
        ws = self.ws
        if data_rows is not None:
            # A <dimension> element: readers (openpyxl's read-only mode among them) then need
            # not scan the whole sheet to learn its size.
            ref = f"A1:{get_column_letter(len(self.columns))}{data_rows + 1}"
            ws.calculate_dimension = lambda: ref
        for i, col in enumerate(self.columns, 1):
            dim = ws.column_dimensions[get_column_letter(i)]
            dim.width = col.width
            if col.typed or col.kind == "wrap":
                # The column's own style: what the meeting types into an empty cell wraps.
                dim.alignment = WRAP
            if col.typed or col.fallback:
                dim.protection = UNLOCKED
            if col.key == "check":
                dim.hidden = True
        ws.freeze_panes = "C2" if title != SUMMARY else None
        ws.page_setup.orientation = "landscape"
        ws.page_setup.paperSize = "9"  # A4
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.print_options.gridLines = True
        ws.oddHeader.center.text = PRINT_MARKING
        ws.oddHeader.center.font = "Arial,Bold"
        ws.oddHeader.right.text = "&A"
        ws.oddFooter.center.text = PRINT_MARKING
        ws.oddFooter.right.text = "Page &P of &N"
        ws.print_title_rows = "1:1"
        if any(c.typed for c in self.columns):
            # Computed columns are locked (no password: Review > Unprotect Sheet lifts it), so
            # nobody types where the next build would overwrite; the meeting's columns are
            # unlocked. Filtering, sorting and formatting stay allowed.
            ws.protection = SheetProtection(sheet=True, autoFilter=False, sort=False, formatCells=False,
                                            formatColumns=False, formatRows=False, selectLockedCells=False,
                                            selectUnlockedCells=False)
        # Every row streams out through FastRows, each cell naming one of these shared
        # styles (a style copied and hashed per cell was most of the writing time).
        self.fast = FastRows(ws, cell_styles(ws))
        keys = {c.key for c in self.columns}
        self._rag_letters = (self.letter("rag_meeting"), self.letter("rag_computed")) if "rag_shown" in keys else None
        header_height = 15 * max(3, max(_lines(c.header, c.width * 0.6) for c in self.columns))
        self.fast.row([("header", clean_text(col.header), False) for col in self.columns], height=header_height)

    def append(self, values: dict) -> None:
        """One row, written straight into the sheet (FastRows): no cell object per value."""
        self.rows += 1
        r = self.rows + 1
        items = []  # (template name or None for a raw value, value, stored-as-text)
        lines = 1
        marks = [getattr(self, "_layout", "")]
        for col in self.columns:
            if col.kind == "rag_shown":
                meeting, computed = self._rag_letters
                items.append(("top", f'=IF({meeting}{r}<>"",{meeting}{r},{computed}{r})', False))  # our own formula
                marks.append(NO_MARK)
                continue
            if col.key == "check":
                items.append((None, "".join(marks), False))
                continue
            value = values.get(col.key, values.get(col.header))
            if isinstance(value, dt.datetime):
                value = value.date() if value.time() == dt.time() else value
            if isinstance(value, str):
                value = clean_text(value)
            marks.append(NO_MARK if col.typed or col.fallback or value is None else fingerprint(value))
            if isinstance(value, str):
                if (col.kind == "wrap" or "\n" in value) and not col.key.endswith("cited"):
                    # (the sources at the far right do not set the row's height: the cell holds them all)
                    lines = max(lines, _lines(value, col.width))
                items.append(("wrap" if col.kind == "wrap" else "top", value, value.startswith(_FORMULA_START)))
            elif isinstance(value, (dt.date, dt.datetime)):
                items.append(("date", value, False))
            elif value is None:
                items.append((None, None, False))  # empty: the column's style applies when typed into
                continue
            else:
                items.append(("top", value, False))
            if col.typed or col.fallback:  # the meeting's own cell: unlocked
                name, v, as_text = items[-1]
                items[-1] = ("typed_date" if name == "date" else "typed", v, as_text)
        if lines > 1:
            self.fast.row(items, height=15 * min(lines, MAX_ROW_LINES))
        else:
            # A one-line row: top alignment changes nothing, so plain values need no style.
            self.fast.row([(None, v, as_text) if name == "top" else (name, v, as_text) for name, v, as_text in items])

    def letter(self, key: str) -> str:
        for i, col in enumerate(self.columns, 1):
            if col.key == key:
                return get_column_letter(i)
        raise KeyError(key)

    def finish(self) -> None:
        ws = self.ws
        last_col = get_column_letter(len(self.columns))
        last_row = max(self.rows + 1, 2)
        ws.auto_filter.ref = f"A1:{last_col}{last_row}"
        if any(c.key == PRINT_LAST for c in self.columns):
            # The printed page: the core columns only (ID to Actions), legible on A4 landscape.
            ws.print_area = f"A1:{self.letter(PRINT_LAST)}{last_row}"
        else:
            cited = next((i for i, c in enumerate(self.columns) if c.key.endswith("cited")), None)
            if cited:  # a sub-sheet prints up to its sources, which stay on screen
                ws.print_area = f"A1:{get_column_letter(cited)}{last_row}"
                if sum(c.width for c in self.columns[:cited]) > PRINT_WIDTH:
                    # Too wide for one legible page: two pages across, ID and child on both.
                    ws.page_setup.fitToWidth = 2
                    ws.print_title_cols = "A:B"
        for i, col in enumerate(self.columns, 1):
            letter = get_column_letter(i)
            rng = f"{letter}2:{letter}{last_row}"
            if col.kind in ("rag", "rag_shown"):
                for label, fill in RAG_FILLS.items():
                    ws.conditional_formatting.add(rng, CellIsRule(operator="equal", formula=[f'"{label}"'], fill=fill))
            if col.lists:
                if col.lists == "rag":
                    dv = DataValidation(type="list", formula1='"' + ",".join(RAG_LABELS) + '"', allow_blank=True)
                else:
                    n = len(PLAN) if col.lists == "plan" else len(LEGAL_STATUS)
                    list_col = "B" if col.lists == "plan" else "C"
                    dv = DataValidation(type="list", formula1=f"{LISTS}!${list_col}$2:${list_col}${n + 1}", allow_blank=True)
                dv.errorTitle, dv.error = "Not on the list", "Choose a value from the list."
                dv.promptTitle, dv.prompt = col.header, "Choose from the list."
                dv.add(rng)
                ws.data_validations.append(dv)
        status = self.letter("status") if any(c.key == "status" for c in self.columns) else None
        if status:
            ws.conditional_formatting.add(f"A2:{last_col}{last_row}", FormulaRule(formula=[f'${status}2<>"{IN_CASELOAD}"'], fill=GREY, stopIfTrue=False))


def write_lists(wb: Workbook) -> None:
    ws = wb.create_sheet(LISTS)
    ws.sheet_state = "hidden"
    out = FastRows(ws, {})  # every sheet streams through FastRows (a failed save then leaves nothing open)
    rows = max(len(RAG_LABELS), len(PLAN), len(LEGAL_STATUS))
    out.row([(None, h, False) for h in ("RAG", "Plan", "Legal status")])
    rag, plan, legal = list(RAG_LABELS), list(PLAN.values()), list(LEGAL_STATUS.values())
    for i in range(rows):
        out.row([(None, column[i], True) if i < len(column) else None for column in (rag, plan, legal)])
