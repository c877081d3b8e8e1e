"""Checks of permanence/checks/siblings.py, on text written for these tests: S1 (siblings to be
placed together), S2 (siblings living elsewhere: their carers contacted)."""
from __future__ import annotations

import datetime as dt

from permanence.checks.audit import build_audit


def item(cpr: dict, cid: str) -> dict:
    cpr = {"form": "cpr", **cpr}
    return next(i for i in build_audit(cpr, as_of=dt.date(2026, 6, 1))["items"] if i["id"] == cid)


YOUNG = {"report": {"report_date": "2026-06-01"}, "child": {"first_names": "Rosie", "surname": "Tarrant", "date_of_birth": "2024-09-01"}}


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


def test_s2_where_a_sibling_lives_said_in_their_entry_counts():
    entry = ("Alfie is four and lives with his mother in Cornwall. I spoke to his mother on the phone in May; "
             "she agreed to letters twice a year.")
    cpr = {"siblings": [{"name": "Alfie Tarrant", "relationship_with_child": entry}]}
    assert item(cpr, "S2")["answer"] == "yes", item(cpr, "S2")["comments"]
    cpr["siblings"][0]["relationship_with_child"] = "Alfie is four. I spoke to his mother on the phone in May; she agreed to letters twice a year."
    assert "where they live" in item(cpr, "S2")["comments"]


def test_s2_a_brother_named_in_a_parents_chronology_but_not_in_the_sibling_section_is_asked_for():
    cpr = {**YOUNG, "birth_parents": [{"relationship": "father", "name": "Liam Probert"}],
           "chronologies": {"parents": [{"parent": "Liam Probert", "entries": [{"date": "2019-03-01", "event": "Birth of his son Kayden from an earlier relationship."}]}]},
           "siblings_summary": "Rosie has no brothers or sisters."}
    result = item(cpr, "S2")
    assert result["answer"] == "no"
    assert "Kayden is named as the child's brother or sister but has no entry in the sibling section" in result["comments"]
    assert any(e["pointer"] == "/chronologies/parents/0/entries/0/event" and e["excerpt"] == "Kayden" for e in result["evidence"])
    # told in the sibling section's own text: no question
    told = {**cpr, "siblings_summary": "Rosie has a half-brother, Kayden, who lives with his grandmother."}
    assert item(told, "S2")["answer"] != "no"


def test_s2_a_parents_own_brother_or_sister_is_not_the_childs():
    cpr = {**YOUNG, "birth_parents": [{"relationship": "father", "name": "Kieran Walsh",
                                       "wishes": {"wishes_and_feelings": "Kieran wanted Rosie to be cared for by his sister Siobhan."}}]}
    assert item(cpr, "S2")["answer"] == "not_applicable"
