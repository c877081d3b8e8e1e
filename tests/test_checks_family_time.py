"""permanence/checks/family_time.py (F3): which way family time goes, however the report puts it.
Checks of permanence/checks/family_time.py, on text written for these tests."""
from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pytest

from permanence.checks import load_all_checks
from permanence.checks.audit import build_audit
from permanence.checks.text import AuditContext


def f3(summary: str) -> dict:
    cpr = {"form": "cpr", "family_time": {"proposed_summary": summary}}
    return next(i for i in build_audit(cpr, as_of=dt.date(2026, 6, 1))["items"] if i["id"] == "F3")


def test_a_letter_from_the_childs_adopters_with_a_reply_says_which_way_it_goes():
    item = f3("Dean would like a letter and photographs from Rosie's adopters once a year through the letterbox service. He may write back.")
    assert item["answer"] == "yes", item["comments"]


def test_a_letter_with_no_word_on_which_way_it_goes_is_still_found():
    item = f3("Dean will have a letter and photographs once a year through the letterbox service.")
    assert item["answer"] == "partial" and "one way or both ways" in item["comments"]


BASE = json.loads((Path(__file__).parent / "cases" / "checks" / "_base.json").read_text("utf-8"))


def _f2(plan: str) -> str:
    data = copy.deepcopy(BASE)
    data.setdefault("family_time", {})["reduction_plan"] = plan
    return load_all_checks()["F2"].function(AuditContext(data=data, as_of=dt.date(2026, 5, 26))).answer


@pytest.mark.parametrize("plan", [
    "Contact will be reduced once a match has been agreed.",
    "Family time will be reduced gradually once an adoptive family is identified.",
    "Sessions will reduce in line with the care plan once a placement order is made.",
])
def test_f2_once_as_when_is_not_a_step(plan):
    assert _f2(plan) == "partial"


@pytest.mark.parametrize("plan", [
    "From the placement order, family time with Shona will go to once a month, then a goodbye meeting before introductions.",
    "Family time will reduce to once every three weeks from June 2026 and end with a farewell visit at the contact centre.",
])
def test_f2_frequencies_and_a_goodbye_are_a_plan(plan):
    assert _f2(plan) == "yes"


def test_f2_a_goodbye_meeting_alone_is_no_plan_for_reducing_family_time():
    import datetime as dt

    from permanence.checks.audit import build_audit

    def f2(plan):
        cpr = {"form": "cpr", "child": {"first_names": "Kiran", "surname": "Thapa"}, "family_time": {"reduction_plan": plan}}
        return next(i for i in build_audit(cpr, as_of=dt.date(2026, 6, 1))["items"] if i["id"] == "F2")["answer"]

    assert f2("Family time will be reduced after the court's decision. Goodbye family time will be arranged before Kiran moves.") == "partial"
    assert f2("Mum and Dad will each have a goodbye session about two weeks before introductions begin.") == "yes"
    assert f2("Family time will reduce to once a fortnight after the decision, then once a month, with a goodbye session.") == "yes"
    assert f2("No reduction plan is needed because Chloe chose to end family time after the goodbye session.") == "yes"


def test_f3_adopters_who_will_be_considered_is_not_a_plan_left_open():
    import datetime as dt

    from permanence.checks.audit import build_audit

    def f3(summary):
        cpr = {"form": "cpr", "child": {"first_names": "Kiran", "surname": "Thapa"}, "family_time": {"proposed_summary": summary}}
        return next(i for i in build_audit(cpr, as_of=dt.date(2026, 6, 1))["items"] if i["id"] == "F3")

    plan = ("Mum and Dad: two-way letterbox contact twice a year through the agency's letterbox service, with photographs. "
            "Only adopters who can commit to this plan will be considered.")
    assert f3(plan)["answer"] == "yes", f3(plan)["comments"]
    assert "left open" in f3(plan.replace("Only adopters who can commit to this plan will be considered.", "Meetings with Jayden will be considered."))["comments"]
