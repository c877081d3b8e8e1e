"""PPM timescales from the profile: the meeting held in time after the event that
triggered it, the next one booked in time, proceedings past 26 weeks, the first review.

Every period comes from the profile's timescale entries (permanence/forms/profiles),
read through permanence.timescales, so `validate` and the tracker agree; none is
written here."""
from __future__ import annotations

from permanence.calendar import describe_period
from permanence.forms.rules import Issue, rule
from permanence.forms.rules._fields import (
    at, cite, date_at, given, in_proceedings, matching, missing_at, plans, ppm_situation, profile_name, timescale_words, uk,
)
from permanence.timescales import due_date


def _severity(entry: dict) -> str | None:
    return "warning" if entry.get("severity") == "warning" else None


def _late_by(ctx, due, held, entry) -> str:
    if "working_days" in entry.get("within", {}):
        n = ctx.calendar.working_days_between(due, held)
        return f"{n} working day{'' if n == 1 else 's'}"
    n = (held - due).days
    return f"{n} day{'' if n == 1 else 's'}"


def _earliest(entries, anchor, ctx):
    """(due date, id, entry) of the strictest applicable entry."""
    dues = []
    for tid, entry in entries:
        try:
            dues.append((due_date(entry, anchor, ctx.calendar), tid, entry))
        except (ValueError, KeyError, TypeError):
            continue  # a malformed entry is the profile tests' business
    return min(dues, key=lambda d: (d[0], d[1])) if dues else None


def _sentence(text: str) -> str:
    text = text.strip()
    return (text[:1].upper() + text[1:]).rstrip(".") + "." if text else ""


def _event_words(event_type: str) -> str:
    from permanence.forms.rules._fields import choice_label

    return choice_label("event_type", event_type).lower()


def _delay(data, what: str) -> str:
    """What to do about a meeting already held late: record the reason for the delay (a
    field of its own), or, once it is recorded, say so. The meeting happened; its record
    is not wrong for it, so these findings are warnings."""
    reason = at(data, "reason_for_delay")
    if given(reason):
        return f"The reason for the delay is recorded ({_short(reason)}). Raise the delay with the team manager if it has not been."
    return f"Record why {what} in Reason for the delay, and raise it with the team manager."


def _short(text: str) -> str:
    text = " ".join(text.split())
    return f"'{text}'" if len(text) <= 60 else f"'{text[:57].rstrip()}...'"


@rule("ppm-timescale-first", severity="warning", forms=["ppm-record"],
      source="The profile's timescales with due_event 'ppm' (e.g. seed 003 s.8.1: within 10 working days of the Gateway decision; seed 004 s.5; seed 001 b)",
      summary="The meeting was held within the profile's timescale of the event that triggered it (a meeting held late is a warning asking for the reason)")
def ppm_timescale_first(data, ctx):
    kind = at(data, "trigger_event", "type")
    anchor = date_at(data, "trigger_event", "date")
    held = date_at(data, "meeting", "date")
    if not isinstance(kind, str) or anchor is None or held is None or held < anchor:
        return
    situation = ppm_situation(data, held)
    entries = [(tid, e) for tid, e in matching(ctx.profile, "ppm", situation, from_event=kind)
               if not e.get("after_anchor_only") and e.get("direction") != "before"]
    found = _earliest(entries, anchor, ctx)
    if found is None:
        return
    due, _, entry = found
    if held > due:
        yield Issue(["meeting", "date"],
                    f"The meeting was held on {uk(held)}, {_late_by(ctx, due, held, entry)} after it was due on {uk(due)}. "
                    f"{_timescale(ctx, entry)}; the {'previous PPM' if kind == 'ppm' else _event_words(kind)} was on {uk(anchor)}. "
                    f"{_delay(data, 'it was held late')}",
                    severity="warning", source=cite(entry))


def _timescale(ctx, entry: dict) -> str:
    return timescale_words(ctx, entry)


@rule("ppm-review-interval", severity="warning", forms=["ppm-record"],
      source="The profile's recurring PPM timescales (seed 003 s.8.3: at least every 6 weeks, monthly if multi-track; seed 000 'Care Planning Meetings'; seed 004 s.5)",
      summary="A review PPM was held within the profile's interval after the previous PPM (a meeting held late is a warning asking for the reason)")
def ppm_review_interval(data, ctx):
    previous = date_at(data, "previous_ppm_date")
    held = date_at(data, "meeting", "date")
    if previous is None or held is None or held <= previous or at(data, "trigger_event", "type") == "ppm":
        return  # a meeting triggered by the previous PPM is ppm-timescale-first's
    found = _earliest(matching(ctx.profile, "ppm", ppm_situation(data, previous), from_event="ppm", recurring=True), previous, ctx)
    if found is None:
        return
    due, _, entry = found
    if held > due:
        yield Issue(["meeting", "date"],
                    f"This PPM was held on {uk(held)}, {_late_by(ctx, due, held, entry)} after it was due on {uk(due)}, "
                    f"{describe_period(entry['within'])} after the previous PPM on {uk(previous)} ({_timescale(ctx, entry)}). "
                    f"{_delay(data, 'it was held late')} Book the next PPMs in time.",
                    severity="warning", source=cite(entry))


@rule("ppm-next-booked", severity="error", forms=["ppm-record"],
      source="The profile's recurring PPM timescales (seed 003 s.8.3; seed 000 'Care Planning Meetings'; seed 004 s.5)",
      summary="The next PPM is booked within the profile's recurring PPM timescale")
def ppm_next_booked(data, ctx):
    held = date_at(data, "meeting", "date")
    if held is None:
        return
    _, _, achieved = plans("ppm-record", data)
    if achieved:
        return
    found = _earliest(matching(ctx.profile, "ppm", ppm_situation(data, held), from_event="ppm", recurring=True), held, ctx)
    if found is None:
        return
    due, _, entry = found
    booked = date_at(data, "next_ppm_date")
    why = _timescale(ctx, entry)
    if booked is None:
        if missing_at(data, "next_ppm_date"):  # written but not a readable date: the schema's finding, not "book it"
            yield Issue(["next_ppm_date"], f"Book the next PPM by {uk(due)} and add its date ({why}).",
                        severity=_severity(entry), source=cite(entry))
    elif booked > due:
        yield Issue(["next_ppm_date"], f"The next PPM is booked for {uk(booked)}, after {uk(due)} when it is due ({why}). "
                                       f"Book it by {uk(due)}.", severity=_severity(entry), source=cite(entry))


@rule("proceedings-26-weeks", severity="warning", forms=["ppm-record"],
      source="Children Act 1989 s.32(1)(a) (26 weeks); Public Law Outline; seed 004 s.5 (review PPM if proceedings extend beyond 26 weeks)",
      summary="Care proceedings running past the profile's limit (26 weeks) are flagged for a review PPM and the court's extension")
def proceedings_26_weeks(data, ctx):
    issued = date_at(data, "proceedings_issued_date")
    held = date_at(data, "meeting", "date")
    if issued is None or held is None or not in_proceedings(data, held):
        return
    situation = ppm_situation(data, held)
    found = _earliest(matching(ctx.profile, "final_hearing", situation, from_event="proceedings_issued"), issued, ctx)
    if found is None:
        return
    due, _, entry = found
    if held <= due:
        return
    weeks = (held - issued).days // 7
    review = [e for _, e in matching(ctx.profile, "ppm", situation, from_event="proceedings_issued") if e.get("after_anchor_only")]
    extra = f" {_sentence(review[0].get('description', ''))}" if review else ""
    yield Issue(["proceedings_issued_date"],
                f"Care proceedings issued on {uk(issued)} are in week {weeks + 1} at this meeting, past the limit on {uk(due)} "
                f"({_timescale(ctx, entry)}). Record the reason for the delay and the extension the court agreed.{extra}",
                source="; ".join(filter(None, [cite(entry)] + [cite(e) for e in review[:1]])))


@rule("review-timescale", severity="error", forms=["ppm-record"],
      source="Care Planning, Placement and Case Review (England) Regulations 2010, reg. 33 (first review within 20 working days), through the profile's cla_review timescales; seed 000 'Role of the IRO'",
      summary="Before any review is held, the first child looked after review is booked within the profile's timescale of becoming looked after")
def review_timescale(data, ctx):
    if data.get("statutory_review_count") != 0:
        return
    looked_after = date_at(data, "child", "date_became_looked_after")
    booked = date_at(data, "next_review_date")
    held = date_at(data, "meeting", "date")
    if looked_after is None or booked is None:
        return
    found = _earliest(matching(ctx.profile, "cla_review", ppm_situation(data, held), from_event="became_looked_after"), looked_after, ctx)
    if found is None:
        return
    due, _, entry = found
    if booked > due:
        yield Issue(["next_review_date"], f"The first review is booked for {uk(booked)}, after {uk(due)} when it is due "
                                          f"({_timescale(ctx, entry)}). Ask the IRO to bring it forward to {uk(due)} or before.",
                    severity=_severity(entry), source=cite(entry))
