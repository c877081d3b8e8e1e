"""The tracker workbook: built in openpyxl's write-only mode (streaming, so 10,000 children
fit in memory), with frozen panes, filters, real date cells, drop-downs, RAG colours by
conditional formatting and A4 landscape print settings.

What people type into the workbook (the meeting's RAG, the IRO view, actions, notes, and
any column they add) is read back from the previous tracker and written again, matched
by child ID; rows are never deleted, only marked.
"""
from __future__ import annotations

import datetime as dt
import json
import re
import zlib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.styles import Protection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.protection import SheetProtection

from permanence.citations import cite
from permanence.tracker.engine import ChildRow
from permanence.tracker.return_columns import return_sources, return_values
from permanence.tracker.xlsx_rows import FastRows

MAIN = "Permanence tracker"
SUMMARY = "Summary"
DUE_DATES = "Due dates"
LISTS = "Lists"
MARKER = "permanence-tracker"
PRINT_MARKING = "OFFICIAL-SENSITIVE"

IN_CASELOAD = "In caseload"
GONE = "No longer in caseload"
NOT_UPDATED = "Not updated: case record has errors"
OFF_THIS_TRACKER = "No longer on this tracker"

MAX_CELL_TEXT = 32_767
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")  # and what XML cannot hold
_FORMULA_START = ("=", "+", "-", "@", "\t")

RAG_LABELS = ("Red", "Amber", "Green")
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


def _labels(defname: str) -> dict[str, str]:
    text = resources.files("permanence.schemas").joinpath("common.schema.json").read_text("utf-8")
    node = json.loads(text)["$defs"][defname]
    return dict(zip(node["enum"], node.get("x-enum-labels", node["enum"])))


LEGAL_STATUS = _labels("legal_status")
PLACEMENT = _labels("placement_type")
PLAN = _labels("permanence_option")
EVENT = _labels("event_type")


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


# ---- rows ------------------------------------------------------------------------------

def _plan_label(code):
    return PLAN.get(code, code or "")


def _ts_due(row: ChildRow, due_event: str):
    found = [t for t in row.timescales if t.due_event == due_event]
    open_ = [t for t in found if t.status not in ("met", "met late")]
    pick = open_ or found
    return min(pick, key=lambda t: t.due).due if pick else None


# Status words the meeting reads (the codes stay in `--format json`).
STATUS_WORDS = {"met": "Met", "met late": "Met late", "overdue": "Overdue", "due soon": "Due soon", "upcoming": "Upcoming"}


def status_word(code: str) -> str:
    return STATUS_WORDS.get(code, code.capitalize())


def normalise_rag(value):
    """The meeting's RAG as 'Red', 'Amber' or 'Green' where the meaning is plain ('red',
    ' GREEN ', 'R'); anything else is returned unchanged (and reported by the caller)."""
    if not isinstance(value, str):
        return value
    text = value.strip()
    for label in RAG_LABELS:
        if text.lower() in (label.lower(), label[0].lower()):
            return label
    return value


def counted_from(t) -> str:
    """'6 weeks after Permanence Planning Meeting (01/10/2026)': the rule in the meeting's words."""
    for word in (" after ", " before "):
        if word in t.rule:
            period = t.rule.split(word, 1)[0]
            event = EVENT.get(t.anchor_event, t.anchor_event.replace("_", " "))
            when = t.anchor_date.strftime("%d/%m/%Y")
            if getattr(t, "anchor_field", "date") != "date":  # counted from a date the event records
                return f"{period}{word}the {t.anchor_field.replace('_', ' ')} ({event}: {when})"
            return f"{period}{word}{event} ({when})"
    return f"{t.rule} ({t.anchor_date.strftime('%d/%m/%Y')})"


# A hidden last column holds, for each row, a mark for the column headings, then four hex
# characters a column standing for the value the tracker wrote there ('....' for the
# meeting's own columns): the next build can then tell a value typed over a worked-out cell
# from one the tracker wrote.
CHECK_HEADER = "Check (do not edit)"
CHECK_WIDTH = 4
NO_MARK = "...."


def fingerprint(value) -> str:
    try:
        return _fingerprint(value)
    except TypeError:  # a value that cannot be a dictionary key
        return _fingerprint.__wrapped__(value)


@lru_cache(maxsize=65536, typed=True)  # teams, workers, dates and statuses repeat child after child
def _fingerprint(value) -> str:
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        value = value.date()
    if isinstance(value, dt.date):
        text = value.isoformat()
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    else:
        text = " ".join(str(value).split())  # line-ending and spacing differences are not typing
    return format(zlib.crc32(text.encode("utf-8")) & 0xFFFF, "04x")


def _timescale_line(t) -> str:
    return f"{t.due.strftime('%d/%m/%Y')} {t.description}"


def _source_line(label: str, t) -> str:
    return f"{label}: {t.description} — {t.source}" if label else f"{t.description} — {t.source}"


def _why(row: ChildRow) -> str:
    """The computed RAG in a line: the detail is in the Overdue and Due soon columns."""
    parts = []
    if row.overdue:
        parts.append(f"{len(row.overdue)} deadline{'s' if len(row.overdue) > 1 else ''} passed")
    if row.due_soon:
        parts.append(f"{len(row.due_soon)} due soon")
    if any("no contingency" in r for r in row.rag_reasons):
        parts.append("no contingency plan")
    return f"{row.rag.capitalize()}: " + "; ".join(parts) if parts else "Green: nothing overdue or due soon"


def child_values(row: ChildRow, settings: dict) -> dict:
    s = row.situation
    nd = row.next_due
    cited = []
    for kind, label in (("ppm", "PPM"), ("review", "Review"), ("panel", "Panel"), ("gateway", "Gateway")):
        t = nd.get(kind)
        if t:
            cited.append(_source_line(f"Next {label.lower()}" if label != "PPM" else "Next PPM", t))
    for t in row.overdue + row.due_soon:
        if all(t is not nd.get(k) for k in nd):
            cited.append(_source_line(status_word(t.status), t))
    if row.proceedings_issued:
        cited.append(f"Proceedings week {settings.get('proceedings_weeks', 26)}: {settings.get('proceedings_weeks_source', '')}")
    if row.supervision_order_expiry:
        cited.append(f"Supervision order expires {row.supervision_order_expiry.strftime('%d/%m/%Y')} ({row.supervision_order_source})")
    target = int(settings.get("pre_proceedings_target_weeks", 16))
    maximum = int(settings.get("pre_proceedings_max_weeks", 26))
    m = row.milestones
    gateway_booked = next((e.date for e in row.events if e.type in ("gateway_review", "gateway_decision") and (e.planned or e.date > row.as_of)), None)
    return {
        "id": row.id, "name": row.name, "dob": row.date_of_birth, "age": s.age_years, "team": row.team,
        "social_worker": row.social_worker, "iro": row.iro,
        "legal_status": LEGAL_STATUS.get(s.legal_status, s.legal_status or ""),
        "placement": PLACEMENT.get(s.placement_type, s.placement_type or ""),
        "primary_plan": _plan_label(row.primary_plan),
        "contingency": "; ".join(_plan_label(p) for p in row.contingency_plans) or "None recorded",
        "looked_after": row.became_looked_after, "pre_weeks": row.pre_proceedings_weeks, "proc_weeks": row.proceedings_weeks,
        "next_ppm": nd["ppm"].due if nd.get("ppm") else None, "next_review": nd["review"].due if nd.get("review") else None,
        "next_panel": nd["panel"].due if nd.get("panel") else None, "next_gateway": nd["gateway"].due if nd.get("gateway") else None,
        "cited": "\n".join(cited + return_sources(row, settings)),
        **return_values(row, settings),
        "overdue": "\n".join(_timescale_line(t) for t in row.overdue),
        "due_soon": "\n".join(_timescale_line(t) for t in row.due_soon),
        "rag_computed": row.rag.capitalize(), "rag_reasons": _why(row),
        "status": IN_CASELOAD,
        "case_actions": "\n".join(row.actions),
        "pre_start": row.pre_proceedings_start,
        "proc_26": row.proceedings_issued + dt.timedelta(weeks=int(settings.get("proceedings_weeks", 26))) if row.proceedings_issued else None,
        "so_expiry": row.supervision_order_expiry,
        "pre_target": row.pre_proceedings_start + dt.timedelta(weeks=target) if row.pre_proceedings_start else None,
        "pre_max": row.pre_proceedings_start + dt.timedelta(weeks=maximum) if row.pre_proceedings_start else None,
        "gateway_booked": gateway_booked,
        "gateway": m.get("gateway_decision"), "family_finder": m.get("family_finder_allocated"),
        "family_finder_due": _ts_due(row, "family_finder_allocated"),
        "review_before_shobpa": m.get("adoption_review_before_shobpa"),
        "review_before_shobpa_due": _ts_due(row, "adoption_review_before_shobpa"),
        "shobpa": m.get("shobpa"), "profiling": m.get("profiling"), "profiling_due": _ts_due(row, "profiling"),
        "placement_order": m.get("placement_order"), "match_proceeding": m.get("match_proceeding"),
        "matching_panel": m.get("matching_panel"), "matching_panel_due": _ts_due(row, "matching_panel"),
        "placed": m.get("placed_for_adoption"), "care_order": m.get("care_order"), "matched_on": m.get("long_term_match"),
        "months_in_care": row.months_in_care,
        "adoption_cited": "\n".join(_source_line("", t) for t in row.timescales if t.due_event in ADOPTION_DUE_EVENTS),
        "pre_cited": "\n".join([f"Weeks {target} and {maximum}: {cite(settings.get('pre_proceedings_weeks_source', ''))}"]
                               + ([_source_line("Next gateway", nd["gateway"])] if nd.get("gateway") else [])),
    }


ADOPTION_PLANS = {"adoption", "foster_for_adoption", "concurrent_planning"}
ADOPTION_DUE_EVENTS = {"family_finder_allocated", "adoption_review_before_shobpa", "profiling", "matching_panel"}


def sheet_members(row: ChildRow, settings: dict) -> list[str]:
    s = row.situation
    sheets = [MAIN]
    if s.in_pre_proceedings:
        sheets.append("Pre-proceedings")
    if s.plans & ADOPTION_PLANS and not s.permanence_achieved:
        sheets.append("Adoption")
    if s.legal_status == "care_order" and not (s.plans & ADOPTION_PLANS):
        sheets.append("Care orders")
    months = int(settings.get("long_term_matching_months", 9))
    if row.months_in_care is not None and row.months_in_care >= months and not s.matched and not s.permanence_achieved:
        sheets.append("Long-term matching")
    if s.age_years is not None and s.age_years >= int(settings.get("sixteen_plus_age", 16)):
        sheets.append("16 plus")
    return sheets


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
