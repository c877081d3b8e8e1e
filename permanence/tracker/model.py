"""What the tracker engine works on and gives: a child's events (from the case record and its
PPM records, merged), each timescale's result (met, met late, overdue, due soon, upcoming)
and the child's row of the tracker, with the RAG rule they follow."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from permanence.calendar import parse_date
from permanence.timescales import Situation


# Status of one timescale for one child.
MET = "met"
MET_LATE = "met late"
OVERDUE = "overdue"
DUE_SOON = "due soon"
UPCOMING = "upcoming"

# Which due events feed which "next ... due" column.
NEXT_KINDS = {
    "ppm": ("ppm", "tracking_meeting"),
    "review": ("cla_review",),
    "panel": ("permanence_panel", "matching_panel", "entry_to_care_panel"),
    "gateway": ("gateway_review", "gateway_decision"),
}

# Legal statuses that mean the child is looked after (for "in care 9 months or more").
LOOKED_AFTER = {"section_20", "police_protection", "emergency_protection_order", "interim_care_order",
                "care_order", "placement_order", "remand", "secure_accommodation"}

RAG_RULE = ("red: a statutory or profile deadline has passed and is not met; amber: a deadline "
            "falls within {days} working days, or the plan has no contingency; green otherwise")


@dataclass(slots=True)  # one per event, timescale and child: no __dict__ each (the tracker holds every row)
class Event:
    type: str
    date: dt.date
    planned: bool = False
    legal_status: str | None = None
    placement_type: str | None = None
    outcome: str = ""
    expiry_date: dt.date | None = None
    source: str = "case"  # "case" or the PPM record's file name
    move: bool = True  # a placement change the SSDA903 return says was not a move (temporary) is False
    ceased: dt.date | None = None  # a decision (SHOBPA) the return says has ceased

    def field(self, name: str):
        return self.date if name == "date" else getattr(self, name, None)


@dataclass(slots=True)
class TimescaleResult:
    id: str
    description: str
    source: str
    severity: str
    due_event: str
    anchor_event: str
    anchor_date: dt.date
    due: dt.date
    status: str
    met_on: dt.date | None = None
    booked: dt.date | None = None
    rule: str = ""
    note: str = ""
    anchor_field: str = "date"  # the anchor event's field counted from (an order's expiry_date, say)

    def as_dict(self) -> dict:
        return {
            "id": self.id, "description": self.description, "due": self.due.isoformat(),
            "status": self.status, "met_on": self.met_on.isoformat() if self.met_on else None,
            "booked": self.booked.isoformat() if self.booked else None,
            "anchor_event": self.anchor_event, "anchor_date": self.anchor_date.isoformat(),
            "due_event": self.due_event, "severity": self.severity, "rule": self.rule,
            "source": self.source, "note": self.note,
        }


@dataclass(slots=True)
class ChildRow:
    id: str
    name: str
    date_of_birth: dt.date | None
    unborn: bool
    team: str
    social_worker: str
    iro: str
    situation: Situation
    primary_plan: str | None
    contingency_plans: list[str]
    path: str
    as_of: dt.date | None = None
    became_looked_after: dt.date | None = None
    events: list[Event] = field(default_factory=list)
    timescales: list[TimescaleResult] = field(default_factory=list)
    next_due: dict = field(default_factory=dict)  # kind -> TimescaleResult | None
    milestones: dict = field(default_factory=dict)  # name -> date or None
    pre_proceedings_start: dt.date | None = None
    pre_proceedings_weeks: int | None = None
    proceedings_issued: dt.date | None = None
    proceedings_weeks: int | None = None
    supervision_order_expiry: dt.date | None = None
    supervision_order_source: str = ""
    months_in_care: int | None = None
    rag: str = "green"
    rag_reasons: list[str] = field(default_factory=list)
    actions: list[str] = field(default_factory=list)
    checks: dict = field(default_factory=dict)  # the checks from the return's dates (tracker/return_checks.py)
    flags: list = field(default_factory=list)  # return_checks.Flag: what those checks found

    @property
    def overdue(self) -> list[TimescaleResult]:
        return sorted((t for t in self.timescales if t.status == OVERDUE), key=lambda t: t.due)

    @property
    def due_soon(self) -> list[TimescaleResult]:
        return sorted((t for t in self.timescales if t.status == DUE_SOON), key=lambda t: t.due)

    def as_dict(self) -> dict:
        def iso(d):
            return d.isoformat() if d else None
        s = self.situation
        return {
            "id": self.id, "name": self.name, "date_of_birth": iso(self.date_of_birth), "unborn": self.unborn,
            "age_years": s.age_years, "team": self.team, "social_worker": self.social_worker, "iro": self.iro,
            "legal_status": s.legal_status, "placement_type": s.placement_type,
            "primary_plan": self.primary_plan, "contingency_plans": self.contingency_plans,
            "permanence_achieved": s.permanence_achieved, "in_pre_proceedings": s.in_pre_proceedings,
            "in_proceedings": s.in_proceedings, "matched": s.matched,
            "became_looked_after": iso(self.became_looked_after), "months_in_care": self.months_in_care,
            "pre_proceedings_start": iso(self.pre_proceedings_start), "pre_proceedings_weeks": self.pre_proceedings_weeks,
            "proceedings_issued": iso(self.proceedings_issued), "proceedings_weeks": self.proceedings_weeks,
            "supervision_order_expiry": iso(self.supervision_order_expiry),
            "next_due": {k: (v.as_dict() if v else None) for k, v in self.next_due.items()},
            "milestones": {k: iso(v) for k, v in self.milestones.items()},
            "timescales": [t.as_dict() for t in self.timescales],
            "rag_computed": self.rag, "rag_reasons": self.rag_reasons, "actions": self.actions,
            "checks": {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in self.checks.items()},
            "flags": [{"id": f.id, "text": f.text, "source": f.source, "amber": f.amber} for f in self.flags],
            "source_file": self.path,
        }


def _weeks(start: dt.date, end: dt.date) -> int:
    return (end - start).days // 7


def _months_between(start: dt.date, end: dt.date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    if end.day < start.day:
        months -= 1
    return months


def events_from_case(data: dict) -> list[Event]:
    events = []
    for raw in data.get("events") or []:
        when = parse_date(raw.get("date"))
        if when is None or not raw.get("type"):
            continue
        ret = raw.get("ssda903") if isinstance(raw.get("ssda903"), dict) else {}
        events.append(Event(type=raw["type"], date=when, planned=bool(raw.get("planned")),
                            legal_status=raw.get("legal_status"), placement_type=raw.get("placement_type"),
                            outcome=str(raw.get("outcome") or ""), expiry_date=parse_date(raw.get("expiry_date")),
                            move=ret.get("move", True) is not False, ceased=parse_date(ret.get("ceased"))))
    return events


def events_from_ppm(data: dict, name: str) -> list[Event]:
    """A PPM record is a `ppm` event on its meeting date, and its next PPM date a booked one
    (the engine shows a booking only when it falls after the timescale's anchor)."""
    out = []
    meeting = data.get("meeting")
    when = parse_date(meeting.get("date") if isinstance(meeting, dict) else None)  # a draft may be any shape
    if when:
        out.append(Event(type="ppm", date=when, source=name))
    booked = parse_date(data.get("next_ppm_date"))
    if booked:
        out.append(Event(type="ppm", date=booked, planned=True, source=name))
    return out


def merge_events(case_events: list[Event], ppm_events: list[Event]) -> list[Event]:
    """Case events plus PPM-record events; one event a type and date (a PPM in both is counted once)."""
    seen = {(e.type, e.date, e.planned) for e in case_events}
    happened = {(e.type, e.date) for e in case_events if not e.planned}
    merged = list(case_events)
    for e in ppm_events:
        if (e.type, e.date, e.planned) in seen or (e.planned and (e.type, e.date) in happened):
            continue
        seen.add((e.type, e.date, e.planned))
        merged.append(e)
    return sorted(merged, key=lambda e: (e.date, e.type))
