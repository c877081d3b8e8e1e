"""Dates: nothing that has happened is dated after today, dates come in a possible
order, and a stated age agrees with the date of birth."""
from __future__ import annotations

from functools import lru_cache

from permanence.calendar import parse_date
from permanence.forms.rules import Issue, rule
from permanence.forms.rules._fields import at, child, date_at, items, remembered, uk
from permanence.timescales import age_on

ALL_FORMS = ["ppm-record", "panel-referral", "gateway-referral", "cpr", "cpr-audit", "case"]

# Fields that may rightly hold a date still to come: bookings, deadlines, expiries.
FUTURE_ALLOWED = frozenset({
    "next_ppm_date", "next_review_date", "target_date", "due_date", "panel_date",
    "expiry_date", "matching_panel_date",
})


@lru_cache(maxsize=None)
def date_paths(form: str) -> tuple[tuple, ...]:
    """Every path of the form's schema that holds a date, "*" standing for any list entry."""
    from permanence.forms import schema as schemas

    found: list[tuple] = []

    def walk(node, base, path, depth):
        node, base = schemas.resolve(node, base)
        if not isinstance(node, dict) or depth > 12:
            return
        if node.get("format") == "date":
            found.append(tuple(path))
            return
        for name, sub in node.get("properties", {}).items():
            walk(sub, base, path + [name], depth + 1)
        if isinstance(node.get("items"), dict):
            walk(node["items"], base, path + ["*"], depth + 1)

    schema = schemas.schema_for(form)
    walk(schema, schema["$id"], [], 0)
    return tuple(found)


@lru_cache(maxsize=None)
def date_tree(form: str) -> dict:
    """The date paths of a form as a tree to walk once: {"meeting": {"date": None}, ...}."""
    tree: dict = {}
    for path in date_paths(form):
        node = tree
        for part in path[:-1]:
            node = node.setdefault(part, {})
        node[path[-1]] = None
    return tree


def dated_fields(form: str, data) -> dict[tuple, list[tuple[list, object]]]:
    """Every real date in the record, by schema path ("*" for list entries):
    {("decisions", "*", "target_date"): [(["decisions", 0, "target_date"], date), ...]}."""
    return remembered(data, ("dates", form), lambda: _dated_fields(form, data))


def _dated_fields(form, data):
    found: dict[tuple, list] = {}
    _date_reader(form)(data, found)
    return found


@lru_cache(maxsize=None)
def _date_reader(form: str):
    """A function, written once per form from its date tree, that collects the record's
    dates into a dict: plain nested ifs and loops instead of a recursive walk."""
    lines = ["def read(v0, found):"]
    counter = [0]

    def emit(tree, var, wild, concrete, depth):
        pad = "    " * depth
        for key, sub in tree.items():
            counter[0] += 1
            n = counter[0]
            if key == "*":
                lines.append(f"{pad}if type({var}) is list:")
                lines.append(f"{pad}    for i{n}, v{n} in enumerate({var}):")
                inner_concrete = concrete + [f"i{n}"]
                child_pad_depth = depth + 2
            else:
                lines.append(f"{pad}if type({var}) is dict and {key!r} in {var}:")
                lines.append(f"{pad}    v{n} = {var}[{key!r}]")
                inner_concrete = concrete + [repr(key)]
                child_pad_depth = depth + 1
            inner_wild = wild + (key,)
            if sub is None:
                p = "    " * child_pad_depth
                lines.append(f"{p}d = parse(v{n})")
                lines.append(f"{p}if d is not None:")
                lines.append(f"{p}    found.setdefault({inner_wild!r}, []).append(([{', '.join(inner_concrete)}], d))")
            else:
                emit(sub, f"v{n}", inner_wild, inner_concrete, child_pad_depth)

    emit(date_tree(form), "v0", (), [], 1)
    lines.append("    return found")
    namespace = {"parse": parse_date}
    exec(compile("\n".join(lines), f"<dates of {form}>", "exec"), namespace)  # noqa: S102 - written from our own schema
    return namespace["read"]


def label(form: str, path) -> str:
    """The field's own title (the last part of its full label), for use inside a message."""
    from permanence.forms.validate import label_of

    return label_of(form, path).split(": ")[-1]


@rule("dates-not-in-future", severity="error", forms=ALL_FORMS,
      source="Accuracy of records: seed 003 App. 8 'General guidance' (accurate dates; checklist G8); a record states what has happened",
      summary="Dates of things that have happened (meetings, signatures, chronology entries, events not marked planned, submissions) are not after today")
def dates_not_in_future(data, ctx):
    form = data.get("form")
    if form not in ORDER and form != "case":
        return
    for path, dated in dated_fields(form, data).items():
        if path[-1] in FUTURE_ALLOWED or (path[-1] == "*" and len(path) > 1 and path[-2] in FUTURE_ALLOWED):
            continue
        for concrete, day in dated:
            if day <= ctx.as_of:
                continue
            if path[-1] == "date_of_birth" and at(data, *concrete[:-1], "unborn") is True:
                continue  # an expected date of delivery
            if path[:2] == ("events", "*"):
                if at(data, *concrete[:-1], "planned") is True:
                    continue
                yield Issue(concrete, f"This event is dated {uk(day)}, after today ({uk(ctx.as_of)}). "
                                      "Correct the date, or tick Planned if it is booked but has not happened yet.")
                continue
            what = label(form, concrete)
            if path[-1] == "date_of_birth":
                hint = ", or tick Unborn if this is the expected date of delivery" if concrete[0] in ("child", "children") else ""
                yield Issue(concrete, f"{what} is {uk(day)}, after today ({uk(ctx.as_of)}). Correct it{hint}.")
                continue
            yield Issue(concrete, f"{what} is {uk(day)}, after today ({uk(ctx.as_of)}). "
                                  "Correct the date: only something that has already happened can be recorded here.")


# (earlier path, later path, strict, what to do). A path may hold "*". "DOB" rows are
# skipped for an unborn baby (the date of birth is then the expected date of delivery).
DOB = ("child", "date_of_birth")
ORDER: dict[str, list[tuple[tuple, tuple, bool, str]]] = {
    "ppm-record": [
        (DOB, ("meeting", "date"), False, "Check the date of birth and the date of the meeting; for an unborn baby tick Unborn."),
        (DOB, ("child", "date_became_looked_after"), False, "Check the date of birth and the date the child became looked after."),
        (DOB, ("child", "date_long_term_matched"), False, "Check the date of birth and the date long-term matched."),
        (DOB, ("proceedings_issued_date",), False, "Check the date of birth and the date proceedings were issued."),
        (DOB, ("supervision_order", "made_date"), False, "Check the date of birth and the date the supervision order was made."),
        (("permanence_plan_date",), ("meeting", "date"), False, "The permanence plan cannot be dated after the meeting that records it: correct one of the dates."),
        (("previous_ppm_date",), ("meeting", "date"), True, "The previous PPM must be before this one: correct one of the dates."),
        (("child", "date_became_looked_after"), ("meeting", "date"), False, "Correct the date the child became looked after, or the date of the meeting."),
        (("child", "date_long_term_matched"), ("meeting", "date"), False, "Correct the date long-term matched: it cannot be after the meeting that records it."),
        (("trigger_event", "date"), ("meeting", "date"), False, "The event that triggered the meeting must come before it: correct one of the dates."),
        (("informing_assessment", "date"), ("meeting", "date"), False, "Correct the date of the assessment: it cannot be after the meeting it informed."),
        (("proceedings_issued_date",), ("meeting", "date"), False, "Correct the date proceedings were issued, or the date of the meeting."),
        (("supervision_order", "made_date"), ("supervision_order", "expiry_date"), True, "Correct the supervision order's dates: it must end after it is made."),
        (("meeting", "date"), ("next_ppm_date",), True, "Book the next PPM for a date after this meeting."),
        (("meeting", "date"), ("next_review_date",), False, "Correct the date of the next case review: it must be on or after this meeting."),
        (("meeting", "date"), ("decisions", "*", "target_date"), False, "Set a target date on or after the meeting for this decision."),
    ],
    "panel-referral": [
        (DOB, ("panel_date",), False, "Check the date of birth and the panel date."),
        (DOB, ("child", "date_became_looked_after"), False, "Check the date of birth and the date the child became looked after."),
        (DOB, ("child", "placement_start_date"), False, "Check the date of birth and the date the placement started."),
        (DOB, ("proceedings_issued_date",), False, "Check the date of birth and the date proceedings were issued."),
        (("submitted_date",), ("panel_date",), False, "A referral is submitted before the panel: correct the date submitted or the panel date."),
        (("previous_panel_dates", "*"), ("panel_date",), True, "Previous panel dates must be before this panel: correct the date."),
        (("child", "date_became_looked_after"), ("panel_date",), False, "Correct the date the child became looked after, or the panel date."),
        (("proceedings_issued_date",), ("panel_date",), False, "Correct the date proceedings were issued, or the panel date."),
    ],
    "gateway-referral": [
        (("submitted_date",), ("panel_date",), False, "Papers are submitted before the gateway panel: correct the date submitted or the panel date."),
        (("previous_gateway_date",), ("panel_date",), True, "The previous gateway must be before this one: correct the date."),
        (("pre_proceedings_start_date",), ("panel_date",), False, "Correct the date pre-proceedings started, or the panel date."),
        (("section_20_start_date",), ("panel_date",), False, "Correct the date section 20 accommodation began, or the panel date."),
        (("panel_date",), ("proposed_assessments", "*", "due_date"), False, "An assessment proposed to the panel is due after it: correct the due date."),
    ],
    "cpr": [
        (DOB, ("report", "report_date"), False, "Check the date of birth and the date of the report."),
        (DOB, ("child", "date_became_looked_after"), False, "Check the date of birth and the date the child became looked after."),
        (DOB, ("report", "shobpa_date"), False, "Check the date of birth and the date of the SHOBPA decision."),
        (DOB, ("report", "placement_order_date"), False, "Check the date of birth and the date of the placement order."),
        (("child", "date_became_looked_after"), ("report", "report_date"), False, "Correct the date the child became looked after, or the date of the report."),
        (("report", "shobpa_date"), ("report", "placement_order_date"), False, "The agency decision (SHOBPA) comes before the placement order: correct one of the dates."),
        (("report", "version_history", "*", "date"), ("report", "report_date"), False, "An earlier version cannot be dated after this report: correct the version date or the report date."),
    ],
    "cpr-audit": [
        (("header", "child_date_of_birth"), ("header", "audit_date"), False, "Check the child's date of birth and the date of the audit."),
        (("header", "report_date"), ("header", "audit_date"), False, "The report is audited after it is written: correct the date of the report or of the audit."),
        (("previous_audit_date",), ("header", "audit_date"), True, "The previous audit must be before this one: correct the date."),
    ],
}

# Events that only happen to a child already born (a gateway or a PPM may be held pre-birth).
BORN_EVENTS = frozenset({
    "became_looked_after", "placement_start", "placement_change", "proceedings_issued", "initial_hearing",
    "care_order", "placement_order", "supervision_order", "special_guardianship_order",
    "child_arrangements_order", "adoption_order", "placed_for_adoption", "matching_panel", "long_term_match",
    "cla_review", "ceased_looked_after", "shobpa",
})




@rule("dates-in-order", severity="error", forms=ALL_FORMS,
      source="Accuracy of records: seed 003 App. 8 'General guidance' (accurate dates; checklist G8) and the order of events in seed 003 s.8 and App. 6",
      summary="Date of birth before everything else; plan date, previous PPM and becoming looked after on or before the meeting; next PPM and target dates after it; submitted on or before the panel")
def dates_in_order(data, ctx):
    form = data.get("form")
    unborn = at(data, "child", "unborn") is True
    dated = dated_fields(form, data) if form in ORDER or form == "case" else {}
    for earlier, later, strict, todo in ORDER.get(form, ()):
        if earlier == DOB and unborn:
            continue
        firsts = dated.get(earlier)
        if not firsts:
            continue
        for later_path, later_day in dated.get(later, ()):
            for first_path, first_day in firsts:
                if later_day < first_day or (strict and later_day == first_day):
                    word = "the same day as" if later_day == first_day else "before"
                    yield Issue(later_path, f"{label(form, later_path)} ({uk(later_day)}) is {word} "
                                            f"{_lc(label(form, first_path))} ({uk(first_day)}). {todo}")
    if form == "case" and not unborn:
        dob = date_at(data, "child", "date_of_birth")
        if dob is not None:
            for i, event in enumerate(items(data, "events")):
                if not isinstance(event, dict):
                    continue
                day = parse_date(event.get("date"))
                if day is None:
                    continue
                kind = event.get("type") if isinstance(event.get("type"), str) else None
                if kind == "birth" and day != dob:
                    yield Issue(["events", i, "date"], f"The birth is recorded on {uk(day)}, but the date of birth is {uk(dob)}. Make them agree.")
                elif kind in BORN_EVENTS and day < dob:
                    yield Issue(["events", i, "date"], f"This event ({kind.replace('_', ' ')}) is dated {uk(day)}, "
                                                       f"before the child's date of birth ({uk(dob)}). Check both dates.")


def _lc(text: str) -> str:
    return text if len(text) > 1 and text[1].isupper() else text[:1].lower() + text[1:]


AGE_AT = {"ppm-record": (("meeting", "date"), "on the date of the meeting"),
          "cpr": (("report", "report_date"), "on the date of the report")}


@rule("age-matches-date-of-birth", severity="error", forms=["ppm-record", "cpr"],
      source="Accuracy of records: seed 003 App. 8 'General guidance' (accurate dates; checklist G8); seed 003 App. 4 (date of birth)",
      summary="A stated age matches the date of birth at the date of the meeting or report")
def age_matches_date_of_birth(data, ctx):
    form = data.get("form")
    kid = child(form, data)
    stated = kid.get("age_stated")
    if not isinstance(stated, int) or isinstance(stated, bool) or kid.get("unborn") is True:
        return
    dob = parse_date(kid.get("date_of_birth"))
    on_path, on_words = AGE_AT[form]
    on = date_at(data, *on_path)
    if dob is None or on is None or on < dob:
        return
    actual = age_on(dob, on)
    if actual != stated:
        yield Issue(["child", "age_stated"], f"The age is given as {stated}, but a child born on {uk(dob)} was {actual} "
                                             f"{on_words} ({uk(on)}). Correct the age or the date of birth.")
