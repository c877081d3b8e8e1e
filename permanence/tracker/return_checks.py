"""Checks the tracker makes from a child's dates, above all those the SSDA903 return
supplies (they work the same on a typed case record): placement moves in the last 12
months, section 20 for longer than the profile allows, a placement order without a
decision that the child should be placed for adoption (or the reverse), in care long
enough for the long-term matching tracker, aged 16 or over, and the two adoption
timeliness figures. Each check's thresholds and source are profile data (the profile's
"tracker" settings, england.json); amber checks add to the computed RAG's reasons.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from permanence.calendar import add_months
from permanence.citations import cite

# id -> (settings key of the source, amber?): the checks, found by id.
CHECKS = {
    "placement-moves": ("placement_moves_source", True),
    "section-20-duration": ("section_20_review_source", True),
    "placement-order-without-decision": ("placement_order_decision_source", True),
    "decision-without-placement-order": ("placement_order_decision_source", True),
    "long-term-matching": ("long_term_matching_source", False),
    "sixteen-plus": ("sixteen_plus_source", False),
}
SHORT_BREAKS = {"V3", "V4"}  # agreed series of short breaks: not section 20 accommodation for permanence


@dataclass(frozen=True)
class Flag:
    id: str
    text: str
    source: str
    amber: bool


def _uk(d: dt.date) -> str:
    return d.strftime("%d/%m/%Y")


def apply_checks(engine, row, case: dict) -> None:
    s, settings, today = row.situation, engine.settings, engine.as_of
    past = [e for e in row.events if not e.planned and e.date <= today]
    checks: dict = {}
    flags: list[Flag] = []

    def flag(check_id: str, text: str) -> None:
        key, amber = CHECKS[check_id]
        flags.append(Flag(check_id, text, cite(str(settings.get(key, ""))), amber))

    looked_after = s.legal_status in LOOKED_AFTER_CODES
    # Placement stability: moves within the window (a temporary move is not a move).
    months = int(settings.get("placement_moves_months", 12))
    since = add_months(today, -months)
    moves = [e for e in past if e.type == "placement_change" and e.move and e.date > since]
    checks["placement_moves"] = len(moves) if (looked_after or moves) else None
    limit = int(settings.get("placement_moves_flag", 2))
    if looked_after and len(moves) >= limit:
        flag("placement-moves", f"{len(moves)} placement moves in the last {months} months ({limit} or more)")
    # Section 20 for longer than the profile's review point.
    current = ((case.get("ssda903") or {}).get("current") or {}) if isinstance(case.get("ssda903"), dict) else {}
    if s.legal_status == "section_20" and current.get("LS") not in SHORT_BREAKS:
        start = _section_20_start(past) or row.became_looked_after
        if start:
            weeks = (today - start).days // 7
            checks["section_20_since"], checks["section_20_weeks"] = start, weeks
            most = settings.get("section_20_review_weeks")  # a local review point (none in the statutory baseline)
            if isinstance(most, int) and (today - start).days > most * 7:
                flag("section-20-duration", f"Section 20 since {_uk(start)}: {weeks} weeks (more than {most})")
    # A placement order and the decision that the child should be placed for adoption go together.
    orders = [e for e in past if e.type == "placement_order"]
    decisions = [e for e in past if e.type == "shobpa"]
    standing = [e for e in decisions if not (e.ceased and e.ceased <= today)]
    if looked_after and (orders or s.legal_status == "placement_order") and not standing:
        when = f" ({_uk(orders[-1].date)})" if orders else ""
        gone = " (the decision recorded has ceased)" if decisions else ""
        flag("placement-order-without-decision",
             f"Placement order{when} but no decision that the child should be placed for adoption{gone}")
    if looked_after and standing and not orders and s.legal_status != "placement_order" and not s.in_proceedings \
            and not any(e.type == "placed_for_adoption" for e in past):
        flag("decision-without-placement-order",
             f"Decision that the child should be placed for adoption ({_uk(standing[-1].date)}) but no placement order, "
             "no proceedings and no placement for adoption with consent")
    # Long-term matching and 16 plus (the sub-sheets list these children).
    need = int(settings.get("long_term_matching_months", 9))
    if row.months_in_care is not None and row.months_in_care >= need and not s.matched and not s.permanence_achieved:
        flag("long-term-matching", f"In care {row.months_in_care} months ({need} or more) and not matched")
    age = int(settings.get("sixteen_plus_age", 16))
    if s.age_years is not None and s.age_years >= age and looked_after:
        flag("sixteen-plus", f"Aged {s.age_years} ({age} or over): plan for adulthood")
    # Adoption timeliness, per child: days from entering care to placement for adoption,
    # and from the placement order to the match.
    placed = [e for e in past if e.type == "placed_for_adoption"]
    if placed:
        starts = [e.date for e in past if e.type == "became_looked_after" and e.date <= placed[0].date]
        if starts:
            checks["days_care_to_placed"] = (placed[0].date - starts[-1]).days
    matches = [e for e in past if e.type == "matching_panel"]
    if matches and orders:
        before = [o for o in orders if o.date <= matches[-1].date]
        if before:
            checks["days_order_to_match"] = (matches[-1].date - before[-1].date).days
    if current:
        checks["return_codes"] = dict(current)
    row.checks, row.flags = checks, flags


LOOKED_AFTER_CODES = {"section_20", "police_protection", "emergency_protection_order", "interim_care_order",
                      "care_order", "placement_order", "remand", "secure_accommodation"}


def _section_20_start(past) -> dt.date | None:
    """The first day of the latest unbroken run of section 20 legal status."""
    start = None
    for e in past:
        status = e.legal_status
        if e.type == "ceased_looked_after":
            status = "not_looked_after"
        if status is None:
            continue
        if status == "section_20":
            start = start or e.date
        else:
            start = None
    return start
