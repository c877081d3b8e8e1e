"""Court orders: supervision order limits, and a child's journey (case) whose legal
status and placement agree with its latest events."""
from __future__ import annotations

from permanence.calendar import add_months, parse_date
from permanence.forms.rules import Issue, rule
from permanence.forms.rules._fields import at, child, choice_label, date_at, items, matching, ppm_situation, profile_name, text, timescale_words, uk
from permanence.timescales import age_on, due_date


def _limits(ctx) -> tuple[int, int, int, str] | None:
    """The profile's supervision order limits (the england baseline states them), or None."""
    setting = ctx.profile.get("supervision_order", default={}) or {}
    limits = (setting.get("max_months"), setting.get("max_total_months"), setting.get("max_age_at_order"))
    if not all(isinstance(x, int) and not isinstance(x, bool) for x in limits):
        return None
    return (*limits, setting.get("source", ""))


def _order_issues(made, expiry, extended, dob, ctx, made_path, expiry_path, extended_hint: bool):
    if _limits(ctx) is None:
        return
    months, total, max_age, source = _limits(ctx)
    if made is not None and expiry is not None and expiry > made:
        if expiry > add_months(made, total):
            yield Issue(expiry_path, f"The supervision order runs from {uk(made)} to {uk(expiry)}, more than {total // 12} years in all: "
                                     f"it cannot be extended beyond {total // 12} years from the day it was made. Correct the expiry date.", source=source)
        elif expiry > add_months(made, months) and not extended:
            hint = " Tick Extended if the court extended it, or correct the expiry date." if extended_hint else \
                " Record the court's extension as a further supervision order event, or correct the expiry date."
            yield Issue(expiry_path, f"The supervision order runs from {uk(made)} to {uk(expiry)}, longer than {months} months: "
                                     f"a supervision order lasts at most {months} months unless the court extends it.{hint}", source=source)
    if made is not None and dob is not None and made >= dob and age_on(dob, made) >= max_age:
        yield Issue(made_path, f"The child was {age_on(dob, made)} when the supervision order was made ({uk(made)}): no supervision "
                               f"order can be made for a child aged {max_age} or over. Check the dates and the order.", source=source)


@rule("supervision-order-limits", severity="error", forms=["ppm-record", "case"],
      source="Children Act 1989 s.31(3) and Sch. 3 para. 6; seed 003 App. 10 'Supervision Orders' (12 months, extendable to 3 years in all, never for a child aged 17 or over)",
      summary="A supervision order lasts 12 months unless extended, 3 years in all, and is never made for a child aged 17 or over")
def supervision_order_limits(data, ctx):
    form = data.get("form")
    dob = parse_date(child(form, data).get("date_of_birth"))
    if form == "ppm-record":
        order = data.get("supervision_order")
        if not isinstance(order, dict):
            if at(data, "child", "legal_status") == "supervision_order":
                yield Issue(["supervision_order"], "The child is on a supervision order: add the date it was made and when it expires, "
                                                   "so its limits can be checked.", severity="warning")
            return
        yield from _order_issues(parse_date(order.get("made_date")), parse_date(order.get("expiry_date")), order.get("extended") is True,
                                 dob, ctx, ["supervision_order", "made_date"], ["supervision_order", "expiry_date"], True)
        return
    orders = []
    for i, event in enumerate(items(data, "events")):
        if isinstance(event, dict) and event.get("type") == "supervision_order" and event.get("planned") is not True:
            day = parse_date(event.get("date"))
            if day is not None:
                orders.append((day, i, parse_date(event.get("expiry_date"))))
    if not orders:
        return
    orders.sort()
    made, first, first_expiry = orders[0]
    yield from _order_issues(made, first_expiry, False, dob, ctx, ["events", first, "date"], ["events", first, "expiry_date"], False)
    for day, i, expiry in orders[1:] if _limits(ctx) else []:  # extensions: 3 years in all from the first order
        _, total, _, source = _limits(ctx)
        if expiry is not None and expiry > add_months(made, total):
            yield Issue(["events", i, "expiry_date"], f"This extension runs the supervision order to {uk(expiry)}, more than {total // 12} "
                                                      f"years after it was first made on {uk(made)}. Correct the expiry date.", source=source)


# What an event says the child's legal status became.
EVENT_STATUS = {
    "care_order": "care_order",
    "placement_order": "placement_order",
    "supervision_order": "supervision_order",
    "special_guardianship_order": "special_guardianship_order",
    "child_arrangements_order": "child_arrangements_order",
    "adoption_order": "adoption_order",
}


def _latest(data, ctx, value_of):
    """(date, {values}, [indexes]) of the latest events (not planned, not after today) that carry a value."""
    best, values, where = None, set(), []
    for i, event in enumerate(items(data, "events")):
        if not isinstance(event, dict) or event.get("planned") is True:
            continue
        day = parse_date(event.get("date"))
        value = value_of(event)
        if day is None or value is None or day > ctx.as_of:
            continue
        if best is None or day > best:
            best, values, where = day, {value}, [i]
        elif day == best:
            values.add(value)
            where.append(i)
    return best, values, where


@rule("case-legal-status-consistent", severity="error", forms=["case"],
      source="Accuracy of records (seed 003 s.11.1: key milestones kept on the tracker); legal statuses from DOMAIN.md 'Legal status' and seed 004 s.5",
      summary="The child's legal status agrees with the latest legal event of the journey")
def case_legal_status_consistent(data, ctx):
    stated = at(data, "child", "legal_status")
    if not isinstance(stated, str):
        return

    def status(event):
        explicit = event.get("legal_status")
        return explicit if isinstance(explicit, str) else EVENT_STATUS.get(text(event.get("type")))

    day, statuses, where = _latest(data, ctx, status)
    if day is None or stated in statuses:
        return
    event_type = text(at(data, "events", where[0], "type"))
    became = " or ".join(sorted(choice_label("legal_status", s) for s in statuses))
    yield Issue(["child", "legal_status"],
                f"The legal status says {choice_label('legal_status', stated)}, but the latest legal event "
                f"({choice_label('event_type', event_type).lower()} on {uk(day)}) makes it {became}. "
                "Update the legal status, or add the event that changed it.")


@rule("case-placement-type-consistent", severity="warning", forms=["case"],
      source="Accuracy of records (seed 003 s.11.1: key milestones kept on the tracker); placement types from seed 003 App. 4 and seed 004 s.5",
      summary="The child's placement type agrees with the latest placement event of the journey")
def case_placement_type_consistent(data, ctx):
    stated = at(data, "child", "placement_type")
    if not isinstance(stated, str):
        return

    def placement(event):
        explicit = event.get("placement_type")
        if isinstance(explicit, str):
            return explicit
        return "adoptive_placement" if text(event.get("type")) == "placed_for_adoption" else None

    day, types, where = _latest(data, ctx, placement)
    if day is None or stated in types:
        return
    became = " or ".join(sorted(choice_label("placement_type", t) for t in types))
    yield Issue(["child", "placement_type"],
                f"The placement type says {choice_label('placement_type', stated)}, but the latest placement event on {uk(day)} "
                f"makes it {became}. Update the placement type, or add the event for the move.")



@rule("supervision-order-gateway-review", severity="warning", forms=["ppm-record"],
      source="The profile's gateway_review timescales counted back from a supervision order's expiry (seed 003 App. 10 'Extending Supervision Orders': before the Legal Gateway Panel no later than three months before it expires)",
      summary="A supervision order is placed before the Legal Gateway Panel in time before it expires, when that falls before the next PPM")
def supervision_order_gateway_review(data, ctx):
    expiry = date_at(data, "supervision_order", "expiry_date")
    held = date_at(data, "meeting", "date")
    if expiry is None or held is None or held > expiry:
        return
    horizon = date_at(data, "next_ppm_date") or held
    for _, entry in matching(ctx.profile, "gateway_review", ppm_situation(data, held), from_event="supervision_order"):
        if entry.get("from_field") != "expiry_date":
            continue
        due = due_date(entry, expiry, ctx.calendar)
        if due <= horizon:
            yield Issue(["supervision_order", "expiry_date"],
                        f"Place the supervision order before the Legal Gateway Panel by {uk(due)}: it expires on {uk(expiry)} "
                        f"({timescale_words(ctx, entry)}). Book it now: it falls before the next PPM.", source=entry.get("source", ""))
            return
