"""The timescale engine: from a child's `case` record (and the PPM records in the
caseload) to the tracker row: the situation, every applicable timescale with its due
date and status, the next dates due, week counts and a computed RAG.

Everything a timescale means comes from the profile (see permanence/timescales.py for
the entry format); this module only reads entries, so a profile edit changes the
tracker without a code change. Working days come from permanence.calendar only.
"""
from __future__ import annotations

import datetime as dt

from permanence.calendar import WorkingDayCalendar, add_months, parse_date
from permanence.citations import cite
from permanence.findings import UserError
from permanence.timescales import Situation, age_on, applies, due_date, describe
from permanence.tracker.model import (MET, MET_LATE, OVERDUE, DUE_SOON, UPCOMING, NEXT_KINDS, LOOKED_AFTER, RAG_RULE,
                                      Event, TimescaleResult, ChildRow, _weeks, _months_between, events_from_case,
                                      events_from_ppm, merge_events)  # noqa: F401 (re-exported)



class Engine:
    def __init__(self, profile, as_of: dt.date, calendar: WorkingDayCalendar | None = None, amber_days: int | None = None):
        self.profile = profile
        self.as_of = as_of
        self.cal = calendar or WorkingDayCalendar()
        settings = profile.get("tracker", default={}) or {}
        self.settings = settings
        self.amber_days = amber_days if amber_days is not None else int(settings.get("amber_working_days", 10))
        self.rag_rule = RAG_RULE.format(days=self.amber_days)
        # A due date is "soon" when at most amber_days working days lie after today up to
        # it, that is, when it falls before the (amber_days + 1)th working day after today.
        self.amber_limit = self.cal.add_working_days(as_of, self.amber_days + 1)
        self.entries = [(tid, entry) for tid, entry in sorted(profile.timescales.items()) if isinstance(entry, dict)]
        for tid, entry in self.entries:  # a profile edit with a slip is named, not a crash mid-run
            try:
                if "within" in entry:
                    due_date(entry, as_of, self.cal)
                for key in ("not_before",):
                    if key in entry:
                        due_date({"within": entry[key]}, as_of, self.cal)
            except (ValueError, TypeError, AttributeError) as exc:
                raise UserError(f"profile '{profile.id}', timescale '{tid}': the period is not readable ({exc}). "
                                "Write it as {\"working_days\": 10}, {\"days\": 28}, {\"weeks\": 4} or {\"months\": 3}.") from None

    # -- situation ---------------------------------------------------------------------------
    def happened(self, events: list[Event]) -> list[Event]:
        return [e for e in events if not e.planned and e.date <= self.as_of]

    def booked(self, events: list[Event]) -> list[Event]:
        return [e for e in events if e.planned or e.date > self.as_of]

    def situation(self, case: dict, events: list[Event], manual_rag: str | None) -> Situation:
        child = case.get("child") or {}
        past = self.happened(events)

        def last(*types):
            found = [e for e in past if e.type in types]
            return found[-1] if found else None

        issued = last("proceedings_issued")
        concluded = last("final_hearing")
        in_proceedings = bool(issued and not (concluded and concluded.date >= issued.date))
        pre = last("pre_proceedings_start")
        in_pre = bool(pre and not (issued and issued.date >= pre.date) and not last_ended_pre(past, pre.date))
        matched = any(e.type in ("long_term_match", "matching_panel", "placed_for_adoption", "adoption_order") for e in past)
        dob = parse_date(child.get("date_of_birth"))
        age = max(age_on(dob, self.as_of), 0) if dob else None
        return Situation(
            legal_status=child.get("legal_status"), placement_type=child.get("placement_type"),
            primary_plan=case.get("primary_plan"), contingency_plans=list(case.get("contingency_plans") or []),
            permanence_achieved=bool(case.get("permanence_achieved")), in_pre_proceedings=in_pre,
            in_proceedings=in_proceedings, matched=matched, age_years=age, rag=manual_rag,
            looked_after=child.get("legal_status") in LOOKED_AFTER)

    # -- one timescale -----------------------------------------------------------------------
    def evaluate(self, tid: str, entry: dict, events: list[Event], situation: Situation,
                 past: list[Event] | None = None) -> TimescaleResult | None:
        if entry.get("disabled") or "within" not in entry or not entry.get("from_event") or not entry.get("due_event"):
            return None
        if not applies(entry, situation):
            return None
        types = entry["from_event"] if isinstance(entry["from_event"], list) else [entry["from_event"]]
        before = entry.get("direction") == "before"
        past = self.happened(events) if past is None else past
        if entry.get("period_of_care") == "latest":  # counted within the child's current period of care only
            starts = [e.date for e in past if e.type == "became_looked_after"]
            if starts:
                events = [e for e in events if e.date >= starts[-1]]
                past = [e for e in past if e.date >= starts[-1]]
        # A "before" timescale may run from a booked event (a SHOBPA booked next month).
        pool = events if before else past
        anchors = [e for e in pool if e.type in types]
        if entry.get("when_gateway_outcome"):
            anchors = [e for e in anchors if entry["when_gateway_outcome"] in e.outcome]
        if entry.get("when_panel_decision"):
            anchors = [e for e in anchors if entry["when_panel_decision"] in e.outcome]
        if len(anchors) < int(entry.get("min_occurrences", 1)) or not anchors:
            return None
        occurrence = entry.get("from_occurrence", "first")
        if occurrence == "latest":
            anchor = anchors[-1]
        elif isinstance(occurrence, int):
            if len(anchors) < occurrence:
                return None
            anchor = anchors[occurrence - 1]
        else:
            anchor = anchors[0]
        field_name = entry.get("from_field", "date")
        anchor_date = anchor.field(field_name)
        if anchor_date is None:
            return None
        due = due_date(entry, anchor_date, self.cal)
        due_type = entry["due_event"]
        done = [e for e in past if e.type == due_type]
        met_on = None
        note = ""
        if before:
            floor = anchor.date if field_name != "date" else dt.date.min
            hits = [e for e in done if floor <= e.date <= anchor_date]
            met_on = hits[-1].date if hits else None
        elif entry.get("recurring"):
            met_on = None  # runs from the latest meeting: the next one is always the one due
        else:
            if entry.get("nth_due_event"):
                hits = [e for e in done if e.date >= anchor_date]
                n = int(entry["nth_due_event"])
                met_on = hits[n - 1].date if len(hits) >= n else None
            elif entry.get("after_anchor_only"):
                hits = [e for e in done if e.date >= due]
                met_on = hits[0].date if hits else None
            else:
                same = due_type in types
                hits = [e for e in done if (e.date > anchor_date if same else e.date >= anchor_date)]
                met_on = hits[0].date if hits else None
            if met_on and entry.get("not_before"):
                earliest = due_date({"within": entry["not_before"]}, anchor_date, self.cal)
                if met_on < earliest:
                    note = f"held before the earliest date ({earliest.strftime('%d/%m/%Y')})"
        booked_events = [e for e in self.booked(events) if e.type == due_type and e.date >= (anchor_date if not before else dt.date.min)]
        booked = booked_events[0].date if booked_events and not met_on else None
        if met_on:
            # after_anchor_only: the meeting is due once the anchor period has passed, so any
            # meeting from the due date on meets it.
            status = MET if (met_on <= due or entry.get("after_anchor_only")) else MET_LATE
        elif entry.get("after_anchor_only") and self.as_of < due:
            status = UPCOMING
        elif self.as_of > due:
            status = OVERDUE
        elif due < self.amber_limit:  # within amber_days working days of today
            status = DUE_SOON
        else:
            status = UPCOMING
        return TimescaleResult(
            id=tid, description=entry.get("description", tid), source=cite(entry.get("source", "")),
            severity=entry.get("severity", "error"), due_event=due_type, anchor_event=anchor.type,
            anchor_date=anchor_date, due=due, status=status, met_on=met_on, booked=booked,
            rule=describe(entry), note=note, anchor_field=field_name)

    # -- one child ---------------------------------------------------------------------------
    def child_row(self, case: dict, ppm_events: list[Event], path: str, manual_rag: str | None = None) -> ChildRow:
        child = case.get("child") or {}
        events = merge_events(events_from_case(case), ppm_events)
        situation = self.situation(case, events, manual_rag)
        past = self.happened(events)
        row = ChildRow(
            id=str(child.get("id")), name=str(child.get("name") or ""), date_of_birth=parse_date(child.get("date_of_birth")),
            unborn=bool(child.get("unborn")), team=str(case.get("team") or ""), social_worker=str(case.get("social_worker") or ""),
            iro=str(case.get("iro") or ""), situation=situation, primary_plan=case.get("primary_plan"),
            contingency_plans=list(case.get("contingency_plans") or []), path=path, as_of=self.as_of, events=events)

        for tid, entry in self.entries:
            result = self.evaluate(tid, entry, events, situation, past)
            if result is not None:
                row.timescales.append(result)

        def first(*types):
            found = [e for e in past if e.type in types]
            return found[0].date if found else None

        def latest(*types):
            found = [e for e in past if e.type in types]
            return found[-1].date if found else None

        row.became_looked_after = latest("became_looked_after")  # the current period of care
        if row.became_looked_after and situation.legal_status in LOOKED_AFTER:
            row.months_in_care = _months_between(row.became_looked_after, self.as_of)
        if situation.in_pre_proceedings:
            row.pre_proceedings_start = latest("pre_proceedings_start")
            row.pre_proceedings_weeks = _weeks(row.pre_proceedings_start, self.as_of)
        if situation.in_proceedings:
            row.proceedings_issued = latest("proceedings_issued")
            row.proceedings_weeks = _weeks(row.proceedings_issued, self.as_of)
        if situation.legal_status == "supervision_order":
            orders = [e for e in past if e.type == "supervision_order"]
            if orders:
                order = orders[-1]
                if order.expiry_date:
                    row.supervision_order_expiry = order.expiry_date
                    row.supervision_order_source = "the order's expiry date in the case record"
                else:
                    months = int(self.profile.get("supervision_order", "max_months", default=12))
                    row.supervision_order_expiry = add_months(order.date, months) - dt.timedelta(days=1)
                    row.supervision_order_source = cite(self.profile.get("supervision_order", "source", default=""))
        row.milestones = {
            "gateway_decision": latest("gateway_decision"),
            "family_finder_allocated": first("family_finder_allocated"),
            "adoption_review_before_shobpa": latest("adoption_review_before_shobpa"),
            "shobpa": latest("shobpa"),
            "profiling": first("profiling"),
            "placement_order": latest("placement_order"),
            "match_proceeding": latest("match_proceeding"),
            "matching_panel": latest("matching_panel"),
            "placed_for_adoption": latest("placed_for_adoption"),
            "long_term_match": latest("long_term_match"),
            "care_order": latest("care_order"),
            "last_ppm": latest("ppm"),
            "last_review": latest("cla_review"),
            "last_panel": latest("permanence_panel"),
        }
        for kind, types in NEXT_KINDS.items():
            open_ = [t for t in row.timescales if t.due_event in types and t.status in (OVERDUE, DUE_SOON, UPCOMING)]
            row.next_due[kind] = min(open_, key=lambda t: (t.due, t.id)) if open_ else None
        row.actions = [str(a.get("decision", "")) + (f" (by {_uk(a['target_date'])})" if a.get("target_date") else "")
                       for a in case.get("actions") or [] if isinstance(a, dict)]
        from permanence.tracker.return_checks import apply_checks
        apply_checks(self, row, case)
        self.rate(row)
        return row

    def rate(self, row: ChildRow) -> None:
        reasons = [f"overdue since {t.due.strftime('%d/%m/%Y')}: {t.description} — {t.source}" for t in row.overdue]
        if reasons:
            row.rag, row.rag_reasons = "red", reasons
            return
        soon = [f"due {t.due.strftime('%d/%m/%Y')}: {t.description} — {t.source}" for t in row.due_soon]
        if not row.contingency_plans and not row.situation.permanence_achieved and row.primary_plan:
            soon.append(f"the plan has no contingency — parallel planning: {cite('seed 003 s.4 and s.8.3')}")
        soon.extend(f"{flag.text} — {flag.source}" for flag in row.flags if flag.amber)
        if soon:
            row.rag, row.rag_reasons = "amber", soon
            return
        row.rag, row.rag_reasons = "green", []


def _uk(value) -> str:
    """A date in text as the meeting writes it (dd/mm/yyyy); anything else as it is."""
    when = parse_date(value) if isinstance(value, str) else None
    return when.strftime("%d/%m/%Y") if when else str(value)


def last_ended_pre(past: list[Event], since: dt.date) -> bool:
    """Pre-proceedings end at a gateway decision or review whose outcome ends them."""
    for e in past:
        if e.type in ("gateway_decision", "gateway_review", "pre_proceedings_review") and e.date > since:
            if "end_pre_proceedings" in e.outcome or "step down" in e.outcome.lower():
                return True
    return False
