"""What a PPM record must show about the meeting: who attended, whose views were heard,
who does what by when, and the IRO's part."""
from __future__ import annotations

from permanence.forms.rules import Issue, rule
from permanence.forms.rules._fields import (
    NOT_LOOKED_AFTER_STATUSES, at, choice_label, given, items, missing, option_label, plans, profile_name,
)


@rule("decision-owner-and-date", severity="error", forms=["ppm-record", "case"],
      source="seed 003 App. 4 'Decision / Reason / Person/agency responsible / Target date' and s.8.3 (who will do what and when); seed 000 'Care Planning Meetings'",
      summary="Every decision or action has a person or agency responsible and a target date")
def decision_owner_and_date(data, ctx):
    field = "actions" if data.get("form") == "case" else "decisions"
    for i, decision in enumerate(items(data, field)):
        if not isinstance(decision, dict):
            continue
        what = decision.get("decision")
        what = f" ('{what.strip()[:60]}')" if given(what) else ""
        if missing(decision.get("responsible")):
            yield Issue([field, i, "responsible"], f"Add the person or agency responsible for this decision{what}.")
        if missing(decision.get("target_date")):  # a date written another way is the schema's finding
            yield Issue([field, i, "target_date"], f"Add the target date for this decision{what}: when it must be done by.")


VIEWS = {
    "child": ("the child", "for example, too young to express a view: then say how the child presents"),
    "parents": ("the parents", "for example, not engaging: then say what was done to seek their views"),
    "carers": ("the carers", "for example, the child lives at home: then say so"),
}


@rule("views-recorded", severity="error", forms=["ppm-record"],
      source="seed 003 App. 4 'Views and Comments' and s.5.1.5 (the child's wishes and feelings ascertained and considered); Children Act 1989 s.22(4)-(5)",
      summary="The views of the child, the parents and the carers are recorded, or the reason they are not")
def views_recorded(data, ctx):
    views = data.get("views")
    if not isinstance(views, dict):
        return  # a missing section is the schema's finding
    for key, (whose, example) in VIEWS.items():
        view = views.get(key)
        if not isinstance(view, dict):
            continue
        if missing(view.get("view")) and missing(view.get("reason_not_recorded")):
            yield Issue(["views", key], f"Record the view of {whose} on the plan, or the reason it could not be obtained "
                                        f"({example}).")


_ROLES: dict[tuple, list[tuple[str, str]]] = {}


def _required_roles(ctx, data) -> list[tuple[str, str]]:
    """(role, why) the profile requires at this PPM (worked out once per profile and plan)."""
    primary, contingencies, _ = plans("ppm-record", data)
    key = (ctx.profile.id, primary, tuple(contingencies))
    found = _ROLES.get(key)
    if found is None:
        found = _ROLES[key] = _work_out_roles(ctx, data)
        if len(_ROLES) > 10_000:
            _ROLES.clear()
    return found


def _work_out_roles(ctx, data) -> list[tuple[str, str]]:
    """(role, the source that requires it)."""
    setting = ctx.profile.get("ppm", default={}) or {}
    source = setting.get("required_roles_source", "")
    roles = [(r, source) for r in setting.get("required_roles", []) if isinstance(r, str)]
    primary, contingencies, _ = plans("ppm-record", data)
    extra = setting.get("required_roles_when_plan_includes", {}) or {}
    extra_source = setting.get("required_roles_when_plan_includes_source", source)
    for option in [primary, *contingencies]:
        for role in extra.get(option, []) if option else []:
            if role not in [r for r, _ in roles]:
                roles.append((role, extra_source))
    return roles


# Whose views the record's Views section holds: a parent or carer who did not attend but
# whose views are recorded there has contributed (the foster carers' views sent in writing).
VIEWS_OF_ROLE = {"child": "child", "parent": "parents", "foster_carer": "carers"}


def _contributed(data, person: dict) -> bool:
    """A written report received, or their views recorded (sent in writing)."""
    if person.get("report_received") is True:
        return True
    section = VIEWS_OF_ROLE.get(person.get("role"))
    return section is not None and given(at(data, "views", section, "view"))


TITLED_ROLES = {"iro", "guardian"}  # labels that keep their capitals inside a sentence


def _role_words(role: str) -> str:
    words = choice_label("attendee_role", role)
    return words if role in TITLED_ROLES else words[:1].lower() + words[1:]


@rule("attendance-required-roles", severity="error", forms=["ppm-record"],
      source="The profile's ppm.required_roles and required_roles_when_plan_includes: seed 004 s.6 (key membership); seed 003 s.8.5 and App. 9; seed 000 'Care Planning Meetings'",
      summary="The roles the profile requires attended the PPM, or sent apologies and a contribution (a report or their views); "
              "missing contributions can still be obtained, so they are errors")
def attendance_required_roles(data, ctx):
    attendees = [(i, a) for i, a in enumerate(items(data, "attendees")) if isinstance(a, dict)]
    attended = {a.get("role") for _, a in attendees if a.get("attended") is True and isinstance(a.get("role"), str)}
    if given(at(data, "meeting", "chair")):
        attended.add("chair")  # the chair named in the meeting details was there
    status = at(data, "child", "legal_status")
    not_looked_after = at(data, "child", "unborn") is True or (isinstance(status, str) and status in NOT_LOOKED_AFTER_STATUSES)
    only_when_looked_after = set(ctx.profile.get("ppm", "roles_only_when_looked_after", default=[]) or [])
    for role, why in _required_roles(ctx, data):
        if role in attended or (not_looked_after and role in only_when_looked_after):
            continue
        name = _role_words(role)
        invited = [(i, a) for i, a in attendees if a.get("role") == role]
        if any(_contributed(data, a) for _, a in invited):
            continue  # apologies and a report or views: the meeting had their contribution
        expects = f"{profile_name(ctx)} expects the {name} at the PPM"
        if not invited:
            yield Issue(["attendees"], f"Add the {name} to the people involved, with their attendance: {expects}.", source=why)
            continue
        i, person = invited[0]
        who = person.get("name").strip() if given(person.get("name")) else "This person"
        if person.get("sent_apologies") is True:
            yield Issue(["attendees", i, "report_received"],
                        f"{who}, the {name}, sent apologies, but no report or views are recorded. {expects}: get their "
                        "contribution in writing and tick Report received when it arrives.", source=why)
        else:
            yield Issue(["attendees", i, "attended"],
                        f"{who}, the {name}, did not attend, and no apologies, report or views are recorded. {expects}: "
                        "get their contribution in writing, or record who attended in their place.", source=why)


@rule("carers-views-in-writing", severity="warning", forms=["ppm-record"],
      source="seed 004 s.6 'Foster carers' (if they cannot attend, their feedback is essential through a brief written report to the chair); applies where the profile sets ppm.carers_views_in_writing_if_absent (south-east)",
      summary="Foster carers who did not attend gave their views in writing (where the profile asks for it)")
def carers_views_in_writing(data, ctx):
    if ctx.profile.get("ppm", "carers_views_in_writing_if_absent") is not True:
        return
    for i, person in enumerate(items(data, "attendees")):
        if not isinstance(person, dict) or person.get("role") != "foster_carer" or person.get("attended") is not False:
            continue
        if _contributed(data, person):
            continue  # a report received, or the carers' views recorded under Views
        name = person.get("name") if given(person.get("name")) else "the foster carer"
        yield Issue(["attendees", i, "report_received"],
                    f"{name} did not attend: ask for their views in a brief written report to the chair, and tick Report received when it arrives.")


@rule("iro-consulted-date", severity="error", forms=["ppm-record"],
      source="seed 003 App. 4 'Has the IRO been consulted?' and s.8.8 (changes communicated to the IRO); seed 000 'Role of the Independent Reviewing Officer (IRO)'",
      summary="IRO consulted: the date is given; not consulted (or not answered): a warning")
def iro_consulted_date(data, ctx):
    consulted = data.get("iro_consulted")
    if consulted is True:
        if missing(data.get("iro_consulted_date")):
            yield Issue(["iro_consulted_date"], "Add the date the IRO was consulted.")
    elif consulted is False:
        yield Issue(["iro_consulted"], "The IRO has not been consulted on the plan. Consult the Independent Reviewing Officer "
                                       "and record the date.", severity="warning")
    elif consulted is None:
        yield Issue(["iro_consulted"], "Say whether the IRO has been consulted on the plan, and if so when.", severity="warning")


@rule("reports-received", severity="warning", forms=["ppm-record"],
      source="seed 003 App. 4 'People involved in developing this plan' (report expected, report received)",
      summary="Every report the meeting expected has been received")
def reports_received(data, ctx):
    for i, person in enumerate(items(data, "attendees")):
        if isinstance(person, dict) and person.get("report_expected") is True and person.get("report_received") is not True:
            name = person.get("name") if given(person.get("name")) else "this person"
            yield Issue(["attendees", i, "report_received"], f"A report was expected from {name} but is not recorded as received. "
                                                              "Chase it, and tick Report received when it arrives.")


QUESTIONS = ("current_and_future_needs", "return_home", "alternatives", "connected_carers", "placement_type",
             "legal_outcome", "contingencies", "who_does_what", "parents_informed")


@rule("ppm-questions-considered", severity="warning", forms=["ppm-record"],
      source="seed 003 s.8.3 (the questions a Permanence Planning Meeting should consider); seed 000 'Care Planning Meetings'",
      summary="The record answers the questions a PPM must consider (where the record has that section)")
def ppm_questions_considered(data, ctx):
    considered = data.get("considerations")
    if not isinstance(considered, dict):
        return  # the section is optional on the form; when it is used it should be complete
    unanswered = [q for q in QUESTIONS if missing(considered.get(q))]
    if unanswered:
        from permanence.forms.rules.dates import label

        names = "; ".join(label("ppm-record", ["considerations", q]).lower() for q in unanswered)
        yield Issue(["considerations"], f"Answer every question the meeting must consider (write N/A with a reason where one does not apply). Not answered: {names}.")
