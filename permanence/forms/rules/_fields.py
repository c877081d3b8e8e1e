"""Reading a record's fields for the rules: safely (a field may be missing or of the
wrong type: the schema reports that, a rule just sees nothing), and in the domain's words.
Registers no rules."""
from __future__ import annotations

import datetime as dt

from permanence.calendar import parse_date
from permanence.forms.registry import FORMS
from permanence.timescales import Situation, age_on, applies

ADOPTION_OPTIONS = frozenset({"adoption", "foster_for_adoption", "concurrent_planning"})
FINAL_ORDER_STATUSES = frozenset({
    "care_order", "placement_order", "special_guardianship_order", "child_arrangements_order",
    "adoption_order", "not_looked_after",
})


# -- facts about the record being checked, worked out once per record -------------------
# The runner (permanence.forms.validate.rule_findings) marks the record it is checking;
# while it does, the facts below are computed once and shared by every rule. A rule
# called on its own (as in the tests) simply computes them afresh.

_current: list = [None, {}]


def begin_record(data) -> None:
    _current[0], _current[1] = data, {}


def end_record() -> None:
    _current[0], _current[1] = None, {}


def remembered(data, key, compute):
    if _current[0] is not data:
        return compute()
    facts = _current[1]
    if key not in facts:
        facts[key] = compute()
    return facts[key]


def at(data, *path):
    """The value at a path of keys and indexes, or None."""
    node = data
    for part in path:
        if isinstance(part, int):
            if not isinstance(node, list) or not -len(node) <= part < len(node):
                return None
        elif not isinstance(node, dict):
            return None
        node = node[part] if isinstance(part, int) else node.get(part)
        if node is None:
            return None
    return node


def text(value) -> str | None:
    """A value that is text, else None (so a wrong type can never break a lookup)."""
    return value if isinstance(value, str) else None


def date_at(data, *path) -> dt.date | None:
    """The date at a path, or None if it is missing OR not a date a rule can read (such as
    14/03/2026): a rule that asks for a date to be added must test missing_at, not this."""
    return parse_date(at(data, *path))


def missing(value) -> bool:
    """Nothing written: absent, null or blank. A value that is written but invalid (a date
    written 14/03/2026, a number where text belongs) is present: the schema reports what
    is wrong with it, and a rule asking for it to be added would contradict that."""
    return value is None or (isinstance(value, str) and not value.strip())


def missing_at(data, *path) -> bool:
    return missing(at(data, *path))


_REQUIRED: dict[tuple, bool] = {}


def schema_requires(form: str, path) -> bool:
    """Whether the form's schema requires the field at path (so that its absence is already
    the schema's finding, which a rule should not repeat)."""
    key = (form, tuple(path))
    found = _REQUIRED.get(key)
    if found is None:
        from permanence.forms import schema as schemas

        *parent, name = path
        node = schemas.subschema_at(form, list(parent)) if form in FORMS else None
        found = _REQUIRED[key] = isinstance(node, dict) and name in node.get("required", ())
    return found


def items(data, *path) -> list:
    """A list field's entries (an empty list if missing or not a list)."""
    value = at(data, *path)
    return value if isinstance(value, list) else []


def given(value) -> bool:
    """Text actually written (not missing, not blank)."""
    return isinstance(value, str) and bool(value.strip())


def uk(day: dt.date) -> str:
    """A date as social workers write it: 14/01/2027."""
    return day.strftime("%d/%m/%Y")


def plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def profile_name(ctx) -> str:
    """The authority's name for a sentence: 'South East', without the bracket that says
    whose partnership it is (a bracket inside a message's own bracket reads badly)."""
    name = str(ctx.profile.data.get("name", ctx.profile.id))
    return name.split(" (", 1)[0] if name.endswith(")") and " (" in name else name


def ppm_name(ctx) -> str:
    """What the authority calls a PPM, for messages."""
    return "PPM" if not ctx.profile.data.get("ppm_name") else f"PPM ({ctx.profile.data['ppm_name']})"


# -- the child and the plan, whichever form holds them ---------------------------------

CHILD_PATH = {
    "ppm-record": ("child",),
    "panel-referral": ("child",),
    "case": ("child",),
    "cpr": ("child",),
}


def child(form: str, data) -> dict:
    path = CHILD_PATH.get(form)
    node = at(data, *path) if path else None
    return node if isinstance(node, dict) else {}


def plan_paths(form: str) -> tuple[tuple, tuple, tuple | None]:
    """(primary plan path, contingency plans path, permanence achieved path)."""
    if form == "panel-referral":
        return ("current_plan", "primary_plan"), ("current_plan", "contingency_plans"), ("current_plan", "permanence_achieved")
    if form == "gateway-referral":
        return ("initial_plan",), ("contingency_plans",), None
    return ("primary_plan",), ("contingency_plans",), ("permanence_achieved",)


def option_of(plan) -> str | None:
    """A plan's option: the plan object's `option`, or the option itself (case form)."""
    if isinstance(plan, dict):
        plan = plan.get("option")
    return plan if isinstance(plan, str) and plan else None


def plans(form: str, data) -> tuple[str | None, list[str], bool]:
    """(primary option, contingency options, permanence achieved)."""
    return remembered(data, ("plans", form), lambda: _plans(form, data))


def _plans(form: str, data) -> tuple[str | None, list[str], bool]:
    primary_path, contingency_path, achieved_path = plan_paths(form)
    primary = option_of(at(data, *primary_path))
    contingencies = [o for o in (option_of(p) for p in items(data, *contingency_path)) if o]
    achieved = achieved_path is not None and at(data, *achieved_path) is True
    return primary, contingencies, achieved


def in_proceedings(data, on: dt.date | None) -> bool:
    """Care proceedings issued (on or before `on`) and no final order yet."""
    issued = date_at(data, "proceedings_issued_date")
    if issued is None or (on is not None and issued > on):
        return False
    return text(at(data, "child", "legal_status")) not in FINAL_ORDER_STATUSES


# Legal statuses under which a child is looked after (Children Act 1989 s.22(1)); the others
# (at home, on a supervision order or a private law order, adopted) are not.
LOOKED_AFTER_STATUSES = frozenset({
    "section_20", "interim_care_order", "care_order", "placement_order", "remand", "secure_accommodation",
    "emergency_protection_order", "police_protection",
})
NOT_LOOKED_AFTER_STATUSES = frozenset({
    "not_looked_after", "supervision_order", "child_arrangements_order", "special_guardianship_order", "adoption_order",
})

PRE_PROCEEDINGS_TRIGGERS = {"gateway_decision", "pre_proceedings_start", "pre_proceedings_letter_sent",
                            "pre_proceedings_meeting", "pre_proceedings_review", "gateway_review"}


def ppm_situation(data, on: dt.date | None) -> Situation:
    """What a PPM record shows about the child on a given day (usually the meeting's)."""
    return remembered(data, ("situation", on), lambda: _ppm_situation(data, on))


def _ppm_situation(data, on: dt.date | None) -> Situation:
    kid = child("ppm-record", data)
    primary, contingencies, achieved = plans("ppm-record", data)
    dob = parse_date(kid.get("date_of_birth"))
    proceedings = in_proceedings(data, on)
    trigger = text(at(data, "trigger_event", "type"))
    status = text(kid.get("legal_status"))
    return Situation(
        looked_after=True if status in LOOKED_AFTER_STATUSES else False if status in NOT_LOOKED_AFTER_STATUSES else None,
        legal_status=kid.get("legal_status") if isinstance(kid.get("legal_status"), str) else None,
        placement_type=kid.get("placement_type") if isinstance(kid.get("placement_type"), str) else None,
        primary_plan=primary,
        contingency_plans=contingencies,
        permanence_achieved=achieved,
        in_pre_proceedings=not proceedings and trigger in PRE_PROCEEDINGS_TRIGGERS,
        in_proceedings=proceedings,
        matched=kid.get("matched") is True,
        age_years=age_on(dob, on) if dob and on and on >= dob else None,
    )


# -- profile timescales, precomputed once per profile and due event ----------------------

_BY_DUE_EVENT: dict[tuple[str, str], list[tuple[str, dict]]] = {}


def timescales_for(profile, due_event: str) -> list[tuple[str, dict]]:
    """The profile's live timescales for a due event (sorted by id), computed once."""
    key = (profile.id, due_event)
    found = _BY_DUE_EVENT.get(key)
    if found is None:
        found = [(tid, entry) for tid, entry in sorted(profile.timescales.items())
                 if isinstance(entry, dict) and not entry.get("disabled") and entry.get("due_event") == due_event
                 and isinstance(entry.get("within"), dict)]
        _BY_DUE_EVENT[key] = found
    return found


def anchors_of(entry: dict) -> list[str]:
    anchors = entry.get("from_event")
    return anchors if isinstance(anchors, list) else [anchors]


def matching(profile, due_event: str, situation: Situation, from_event: str | None = None,
             recurring: bool | None = None) -> list[tuple[str, dict]]:
    """Like permanence.timescales.matching_entries, from the precomputed list; optionally
    only recurring (or only one-off) entries."""
    found = []
    for tid, entry in timescales_for(profile, due_event):
        if from_event is not None and from_event not in anchors_of(entry):
            continue
        if recurring is not None and bool(entry.get("recurring")) != recurring:
            continue
        if applies(entry, situation):
            found.append((tid, entry))
    return found


def cite(entry: dict) -> str:
    """A profile entry's source, for Issue(source=...): never written into a message."""
    return entry.get("source", "")


def timescale_words(ctx, entry: dict) -> str:
    """A profile timescale in a message: "Warrington's timescale: Permanence Planning
    Meetings at least every 6 weeks" (its source goes in the Issue's source)."""
    return f"{profile_name(ctx)}'s timescale: {str(entry.get('description', '')).strip().rstrip('.')}"


_ENUM_LABELS: dict[str, dict] = {}


def choice_label(definition: str, value) -> str:
    """The words the form shows for an enumerated value, e.g. 'Long-term (permanent) fostering'."""
    if not isinstance(value, str):
        return str(value)
    labels = _ENUM_LABELS.get(definition)
    if labels is None:
        from permanence.forms import schema as schemas

        node = schemas.registry().contents(schemas.BASE + "common.schema.json")["$defs"].get(definition, {})
        labels = dict(zip(node.get("enum", []), node.get("x-enum-labels", [])))
        _ENUM_LABELS[definition] = labels
    return labels.get(value, str(value).replace("_", " "))


def lower_first(words: str) -> str:
    """A label inside a sentence: 'long-term (permanent) fostering', but 'IRO' stays."""
    return words if words[1:2].isupper() else words[:1].lower() + words[1:]


def option_label(value) -> str:
    return choice_label("permanence_option", value)
