"""What each row of the tracker says: the sheets' names and a child's status words, the
schema's labels for codes, and each child's values (dates due, RAG, timescale lines,
sources, the fingerprint that tells a typed-over value), read from the engine's ChildRow.
workbook.py writes them; it re-exports these names."""
from __future__ import annotations

import datetime as dt
import json
import zlib
from functools import lru_cache
from importlib import resources

from permanence.citations import cite
from permanence.tracker.engine import ChildRow
from permanence.tracker.return_columns import return_sources, return_values

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

RAG_LABELS = ("Red", "Amber", "Green")


def _labels(defname: str) -> dict[str, str]:
    text = resources.files("permanence.schemas").joinpath("common.schema.json").read_text("utf-8")
    node = json.loads(text)["$defs"][defname]
    return dict(zip(node["enum"], node.get("x-enum-labels", node["enum"])))


LEGAL_STATUS = _labels("legal_status")
PLACEMENT = _labels("placement_type")
PLAN = _labels("permanence_option")
EVENT = _labels("event_type")


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
