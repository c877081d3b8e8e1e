"""Timescales as data: when does a profile's timescale apply, and when is it due.

A profile's timescale entry (permanence/forms/profiles/<id>.json, key "timescales"):

    "first_ppm": {
      "description": "Initial PPM within 10 working days of the gateway decision",
      "from_event": "gateway_decision",        # event type, or a list of them
      "from_occurrence": "first",              # "first" (default), "latest", or 1, 2, ... (1-based)
      "from_field": "date",                    # or "expiry_date" (e.g. a supervision order)
      "due_event": "ppm",                      # the event that meets the timescale
      "within": {"working_days": 10},          # working_days, days, weeks or months
      "direction": "after",                    # "before": due `within` BEFORE the anchor
      "recurring": false,                      # true: every `within` after the latest due_event
      "applies_when": {"legal_status": ["care_order"], "in_proceedings": true},
      "severity": "error",
      "source": "seed 003 s.8.1"
    }

Less common keys:
- "nth_due_event": N -- the Nth due_event on or after the anchor is the one due (e.g. the
  second review counted from the first; Walsall's second panel at 14 weeks).
- "min_occurrences": N -- applies only once the from_event has happened N times (later
  reviews every 6 months once two reviews are held).
- "not_before": period -- the due_event should not happen earlier than this (Medway's
  panel 4 to 6 weeks into care).
- "after_anchor_only": true -- a one-off check that falls due once (review PPM if
  proceedings pass 26 weeks).
- "period_of_care": "latest" -- anchors and due events count only from the start of the
  child's current period of care (the latest became_looked_after): a child who comes
  back into care starts the statutory reviews afresh.
- "when_gateway_outcome" / "when_panel_decision": the anchor counts only if the gateway
  event's outcome / the panel's decision names this code.
- applies_when keys: legal_status, placement_type, not_placement_type, primary_plan,
  plan_includes, in_proceedings, in_pre_proceedings, has_contingency, matched,
  permanence_achieved, under_age, min_age, rag, looked_after (tested only when the
  caller knows it: the tracker does; statutory reviews apply while a child is looked after).

The rules (permanence/forms/rules) and the tracker (permanence/tracker) both use this
module, so a timescale means the same thing to `validate` and to the tracker.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from permanence.calendar import WorkingDayCalendar, add_period, describe_period

ADOPTION_OPTIONS = {"adoption", "foster_for_adoption", "concurrent_planning"}


@dataclass
class Situation:
    """What a timescale's `applies_when` is tested against."""

    legal_status: str | None = None
    placement_type: str | None = None
    primary_plan: str | None = None
    contingency_plans: list[str] = field(default_factory=list)
    permanence_achieved: bool = False
    in_pre_proceedings: bool = False
    in_proceedings: bool = False
    matched: bool = False
    age_years: int | None = None
    rag: str | None = None
    looked_after: bool | None = None  # None: not known (the condition is then not tested)

    @property
    def plans(self) -> set[str]:
        return {p for p in [self.primary_plan, *self.contingency_plans] if p}


def applies(entry: dict, situation: Situation) -> bool:
    """True when every condition of the entry's `applies_when` holds."""
    cond = entry.get("applies_when") or {}
    for key, wanted in cond.items():
        if key == "legal_status" and situation.legal_status not in wanted:
            return False
        if key == "placement_type" and situation.placement_type not in wanted:
            return False
        if key == "not_placement_type" and situation.placement_type in wanted:
            return False
        if key == "primary_plan" and situation.primary_plan not in wanted:
            return False
        if key == "plan_includes" and not (situation.plans & set(wanted)):
            return False
        if key == "in_proceedings" and situation.in_proceedings != wanted:
            return False
        if key == "in_pre_proceedings" and situation.in_pre_proceedings != wanted:
            return False
        if key == "has_contingency" and bool(situation.contingency_plans) != wanted:
            return False
        if key == "matched" and situation.matched != wanted:
            return False
        if key == "permanence_achieved" and situation.permanence_achieved != wanted:
            return False
        if key == "under_age" and (situation.age_years is None or situation.age_years >= wanted):
            return False
        if key == "min_age" and (situation.age_years is None or situation.age_years < wanted):
            return False
        if key == "rag" and situation.rag not in wanted:
            return False
        if key == "looked_after" and situation.looked_after is not None and situation.looked_after != wanted:
            return False
    return True


def due_date(entry: dict, anchor: dt.date, calendar: WorkingDayCalendar) -> dt.date:
    """The date the timescale falls due, counted from its anchor date."""
    period = dict(entry["within"])
    if entry.get("direction") == "before":
        (unit, amount), = period.items()
        return add_period(calendar, anchor, {unit: -amount})
    return add_period(calendar, anchor, period)


def describe(entry: dict) -> str:
    """'10 working days after gateway_decision' and the like, for messages."""
    when = "before" if entry.get("direction") == "before" else "after"
    anchor = entry.get("from_event")
    anchor = " or ".join(anchor) if isinstance(anchor, list) else anchor
    return f"{describe_period(entry['within'])} {when} {anchor}"


def matching_entries(profile, due_event: str, situation: Situation, from_event: str | None = None) -> list[tuple[str, dict]]:
    """The profile's timescales for `due_event` that apply to this situation (and, if
    given, that run from `from_event`), as (id, entry) pairs in a stable order."""
    found = []
    for tid, entry in sorted(profile.timescales.items()):
        if entry.get("disabled") or entry.get("due_event") != due_event or "within" not in entry:
            continue
        anchors = entry.get("from_event")
        anchors = anchors if isinstance(anchors, list) else [anchors]
        if from_event is not None and from_event not in anchors:
            continue
        if applies(entry, situation):
            found.append((tid, entry))
    return found


def age_on(date_of_birth: dt.date, on: dt.date) -> int:
    years = on.year - date_of_birth.year
    if (on.month, on.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years
