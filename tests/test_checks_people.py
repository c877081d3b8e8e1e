"""Checks of permanence/checks/people.py, on text written for these tests: R1 (reasons for a
negative viability), W2 (the social worker's view for a young child), S1 (siblings to be
placed together), S2 (siblings living elsewhere: their carers contacted)."""
from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

from permanence.checks import load_all_checks
from permanence.checks.audit import build_audit
from permanence.checks.text import AuditContext, get

BASE = json.loads((Path(__file__).parent / "cases" / "checks" / "_base.json").read_text("utf-8"))


def _ctx(**top) -> AuditContext:
    data = copy.deepcopy(BASE)
    for key, value in top.items():
        node = data
        *parents, last = key.split("__")
        for p in parents:
            node = node.setdefault(p, {})
        node[last] = value
    return AuditContext(data=data, as_of=dt.date(2026, 5, 26))


def _run(cid, ctx):
    return load_all_checks()[cid].function(ctx)


# ---- R1: a negative viability assessment with no reason given
def test_r1_an_account_of_the_process_alone_is_no_reason():
    told = ("Denise Morley (paternal aunt), aged 41. Denise asked to be considered after the first hearing. A viability "
            "assessment was completed by the family finding social worker on 3 March 2026. The outcome was negative and Denise "
            "was told by letter on 10 March 2026. She did not appeal.")
    ctx = _ctx(assessments__viability=[{"name": "Denise Morley", "relationship": "paternal aunt", "outcome": "negative", "reasons": told}])
    result = _run("R1", ctx)
    assert result.answer == "no"
    ev = result.evidence[0]
    assert get(ctx.data, *ev.path)[ev.start:ev.end].startswith("The outcome was negative")


def test_r1_a_reason_in_a_sentence_about_the_assessment_counts():
    told = ("Denise Morley (paternal aunt), aged 41. Before the viability assessment was finished she withdrew, saying she could "
            "not manage a baby alongside caring for her husband after his stroke.")
    ctx = _ctx(assessments__viability=[{"name": "Denise Morley", "relationship": "paternal aunt", "outcome": "withdrew", "reasons": told}])
    assert _run("R1", ctx).answer == "yes"


def test_r1_negative_because_of_something_is_a_reason():
    told = ("Denise Morley (paternal aunt), aged 41. The viability assessment of 3 March 2026 was negative because Denise "
            "has no room for a child and works away from home four nights a week.")
    ctx = _ctx(assessments__viability=[{"name": "Denise Morley", "relationship": "paternal aunt", "outcome": "negative", "reasons": told}])
    assert _run("R1", ctx).answer == "yes"

def item(cpr: dict, cid: str) -> dict:
    cpr = {"form": "cpr", **cpr}
    return next(i for i in build_audit(cpr, as_of=dt.date(2026, 6, 1))["items"] if i["id"] == cid)


YOUNG = {"report": {"report_date": "2026-06-01"}, "child": {"first_names": "Rosie", "surname": "Tarrant", "date_of_birth": "2024-09-01"}}


def test_w2_the_social_workers_view_in_the_third_person_is_a_view_on_the_childs_behalf():
    text = ("Rosie is too young to say what she wants. Dana has visited her every month at her carers' home. "
            "In Dana's view, Rosie would want to stay with people who know her routines and comfort her quickly.")
    assert item({**YOUNG, "wishes_and_feelings": {"child": {"wishes_and_feelings": text}}}, "W2")["answer"] == "yes"
    text = "Rosie is too young to say what she wants. Dana has visited her every month at her carers' home and she is settled there now."
    assert item({**YOUNG, "wishes_and_feelings": {"child": {"wishes_and_feelings": text}}}, "W2")["answer"] == "partial"


def test_s1_no_plan_to_live_together_is_no_plan_to_place_together():
    cpr = {"siblings": [{"name": "Alfie Tarrant", "lives_with": "his father"}],
           "assessments": {"sibling": {"conclusions": "N/A - Alfie is settled with his father and there is no plan for them to live together."}}}
    assert item(cpr, "S1")["answer"] == "not_applicable"
    cpr["siblings_summary"] = "Rosie and Alfie should be placed together."
    assert item(cpr, "S1")["answer"] in ("partial", "no")


def test_s2_a_carer_named_where_the_sibling_lives_and_met_counts_as_contacted():
    entry = "I visited Alfie at home in May. Brenda supports the plan and wants the children to keep in touch by letter twice a year."
    cpr = {"siblings": [{"name": "Alfie Tarrant", "lives_with": "his maternal aunt, Brenda, under a Special Guardianship Order",
                         "relationship_with_child": entry, "family_time_proposed": "Letters twice a year."}]}
    assert item(cpr, "S2")["answer"] == "yes", item(cpr, "S2")["comments"]
    cpr["siblings"][0]["relationship_with_child"] = "Alfie is in Year 2 and likes football. Letters twice a year are proposed."
    assert item(cpr, "S2")["answer"] == "partial"


def test_s1_with_no_assessment_points_at_the_sentence_that_makes_the_plan():
    cpr = {"report": {"purpose_description": "This report is about Rosie and Alfie and why they are to be adopted together."},
           "siblings": [{"name": "Alfie Tarrant", "part_of_this_plan": True}],
           "siblings_summary": "Rosie and Alfie have always shared a room. It is felt they should stay together, and they love each other."}
    s1 = item(cpr, "S1")
    assert s1["answer"] == "no" and s1["evidence"][0]["excerpt"] == "It is felt they should stay together, and they love each other."


def test_r1_a_reason_in_the_same_sentence_as_the_request_counts():
    """A sentence that tells of the request and then gives the reason ('asked to be assessed ...
    but her flat has one bedroom') gives a reason: it is judged clause by clause."""
    told = ("Gwen Parry is the children's step-grandmother; she asked to be assessed for both boys but her flat has "
            "one bedroom and she looks after her own disabled son.")
    ctx = _ctx(assessments__viability=[{"name": "Gwen Parry", "relationship": "step-grandmother", "outcome": "negative", "reasons": told}])
    assert _run("R1", ctx).answer == "yes"
