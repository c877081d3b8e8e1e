"""Every local authority profile loads, extends england, and states each timescale as
data the rules and the tracker can read: a description, a period, a source, and events
the schemas know."""
from __future__ import annotations

import json
from importlib import resources

import pytest

from permanence.calendar import describe_period
from permanence.forms import schema as schemas
from permanence.forms.profiles import available_profiles, load_profile
from permanence.findings import UserError

EXPECTED = {"england", "walsall", "west-sussex", "medway", "warrington", "south-east"}
EVENTS = set(schemas.registry().contents(schemas.BASE + "common.schema.json")["$defs"]["event_type"]["enum"])
ROLES = set(schemas.registry().contents(schemas.BASE + "common.schema.json")["$defs"]["attendee_role"]["enum"])
OPTIONS = set(schemas.registry().contents(schemas.BASE + "common.schema.json")["$defs"]["permanence_option"]["enum"])
DOCUMENTS = set(schemas.registry().contents(schemas.BASE + "common.schema.json")["$defs"]["gateway_document"]["enum"])
UNITS = {"working_days", "days", "weeks", "months"}
APPLIES_WHEN = {"legal_status", "placement_type", "not_placement_type", "primary_plan", "plan_includes", "in_proceedings",
                "in_pre_proceedings", "has_contingency", "matched", "permanence_achieved", "under_age", "min_age", "rag",
                "looked_after"}
from permanence.citations import procedure_title, procedures  # noqa: E402

# a source names a procedure (as "seed 00N" in the data, or by its own title), a statute or DOMAIN.md
SOURCE_WORDS = ("seed 00", "Regulations", "Act 19", "Act 20", "Public Law Outline", "DOMAIN.md") + \
    tuple(procedure_title(number) for number in procedures())


def _raw(name):
    return json.loads(resources.files("permanence.forms").joinpath("profiles", f"{name}.json").read_text("utf-8"))


def test_the_six_profiles_exist():
    assert EXPECTED <= set(available_profiles())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_profile_loads_and_extends_england(name):
    profile = load_profile(name)
    assert profile.id == name and profile.name and profile.authority
    if name == "england":
        assert "extends" not in _raw(name)
    else:
        assert _raw(name)["extends"] == "england"
        assert profile.data["extends_chain"][-1] == "england"
        # the baseline's timescales are inherited unless restated
        assert set(load_profile("england").timescales) <= set(profile.timescales)
    assert any(word in profile.data["source"] for word in SOURCE_WORDS)


def _period_ok(period):
    return isinstance(period, dict) and len(period) == 1 and next(iter(period)) in UNITS and \
        isinstance(next(iter(period.values())), int) and next(iter(period.values())) > 0


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_timescale_entry_is_complete(name):
    for tid, entry in load_profile(name).timescales.items():
        where = f"{name}: {tid}"
        assert entry.get("description", "").strip(), where
        assert _period_ok(entry.get("within")), where
        assert describe_period(entry["within"])
        assert any(word in entry.get("source", "") for word in SOURCE_WORDS), where
        assert entry.get("severity", "error") in ("error", "warning"), where
        if entry.get("kind") == "limit":  # a length limit, read by a rule: no events by design
            assert "from_event" not in entry and "due_event" not in entry and entry.get("limit_of"), where
            continue
        anchors = entry["from_event"] if isinstance(entry["from_event"], list) else [entry["from_event"]]
        assert anchors and set(anchors) <= EVENTS, where
        assert entry["due_event"] in EVENTS, where
        assert set(entry.get("applies_when", {})) <= APPLIES_WHEN, where
        for key in ("not_before", "max_total"):
            if key in entry:
                assert _period_ok(entry[key]), where
        assert entry.get("direction", "after") in ("after", "before"), where
        occurrence = entry.get("from_occurrence", "first")
        assert occurrence in ("first", "latest") or (isinstance(occurrence, int) and occurrence >= 1), where


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_settings_the_rules_read_are_well_formed(name):
    profile = load_profile(name)
    ppm = profile.get("ppm")
    assert set(ppm["required_roles"]) <= ROLES and ppm.get("required_roles_source")
    for option, roles in ppm.get("required_roles_when_plan_includes", {}).items():
        assert option in OPTIONS and set(roles) <= ROLES
    notice = profile.get("panel_referral")
    assert isinstance(notice.get("min_working_days_before_panel"), int) or isinstance(notice.get("min_days_before_panel"), int)
    assert set(profile.get("gateway_referral", "required_documents")) <= DOCUMENTS
    weekday = profile.get("gateway_referral", "papers_due_weekday")
    assert weekday is None or weekday in ("monday", "tuesday", "wednesday", "thursday", "friday")
    order = profile.get("supervision_order")
    assert order["max_months"] == 12 and order["max_total_months"] == 36 and order["max_age_at_order"] == 17
    assert profile.get("permanence_plan_by_review") == 2


def test_profile_values_come_from_their_seeds():
    assert load_profile("west-sussex").get("panel_referral", "min_working_days_before_panel") == 3
    assert load_profile("medway").get("panel_referral", "min_days_before_panel") == 2  # "two days", not working days
    assert load_profile("warrington").timescale("first_ppm")["within"] == {"working_days": 10}
    assert load_profile("warrington").timescale("subsequent_ppm")["within"] == {"weeks": 6}
    assert load_profile("walsall").timescale("subsequent_ppm")["within"] == {"weeks": 6}
    assert load_profile("medway").timescale("tracking_meeting")["within"] == {"weeks": 8}
    assert load_profile("south-east").timescale("first_ppm_unregistered_placement")["within"] == {"working_days": 7}
    assert load_profile("south-east").get("ppm", "carers_views_in_writing_if_absent") is True
    assert load_profile("warrington").get("gateway_referral", "papers_due_weekday") == "wednesday"
    assert load_profile("england").timescale("first_review")["within"] == {"working_days": 20}


def test_unknown_profile_is_a_user_error():
    with pytest.raises(UserError, match="unknown profile 'nowhere'.*Known profiles"):
        load_profile("nowhere")


def test_profiles_command_lists_every_profile_and_its_timescales(cli):
    result = cli(["profiles"])
    assert result.exit_code == 0
    for name in EXPECTED:
        assert f"{name}:" in result.output
    assert "10 working days" in result.output and "Warrington, Securing Permanence (2019, reviewed 2023) s.8.1" in result.output
    assert "seed " not in result.output  # the procedure by its own title
    one = cli(["profiles", "warrington", "--format", "json"])
    data = json.loads(one.output)
    assert data[0]["id"] == "warrington" and "first_ppm" in data[0]["timescales"]


def test_profiles_command_refuses_an_unknown_profile(cli):
    result = cli(["profiles", "nowhere"])
    assert result.exit_code == 2
    assert "unknown profile 'nowhere'" in result.stderr and "Traceback" not in result.output + result.stderr


def test_rules_command_lists_every_rule_with_its_source(cli):
    from permanence.forms.rules import load_all_rules

    result = cli(["rules", "--format", "json"])
    listed = {r["id"]: r for r in json.loads(result.output)}
    assert set(listed) == set(load_all_rules())
    assert all(r["source"] and r["severity"] in ("error", "warning") for r in listed.values())
    text = cli(["rules", "--form", "gateway-referral"]).output
    assert "gateway-documents" in text and "views-recorded" not in text


@pytest.mark.parametrize("name", sorted(EXPECTED - {"england"}))
def test_a_local_profile_names_its_procedure_by_its_own_title(name):
    """What a person reads (profiles, -v, JSON) names the authority's procedure, not our
    'seed 00N' shorthand for its file."""
    source = _raw(name)["source"]
    assert "seed " not in source
    assert any(source.startswith(procedure_title(number)) for number in procedures()), source
