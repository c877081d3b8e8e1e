"""permanence/checks/family_tree.py (G5): the reason for a missing photograph, in the person's own entry."""
from __future__ import annotations

import datetime as dt

from permanence.checks.audit import build_audit

BASE = {"form": "cpr", "child": {"first_names": "Rosie", "surname": "Tarrant"},
        "photographs": [{"subject": "Rosie Tarrant", "description": "Rosie at the park", "date": "2026-05-02"}]}


def g5(entry: str) -> dict:
    cpr = {**BASE, "siblings": [{"name": "Alfie Tarrant", "relationship_with_child": entry}]}
    return next(i for i in build_audit(cpr, as_of=dt.date(2026, 6, 1))["items"] if i["id"] == "G5")


def test_a_reason_for_no_photograph_in_the_siblings_own_entry_counts():
    assert g5("Alfie lives with his mother. She did not wish to share a photograph yet; I will ask again in the summer.")["answer"] == "yes"


def test_a_sibling_with_no_photograph_and_no_reason_is_still_found():
    item = g5("Alfie lives with his mother and likes football.")
    assert item["answer"] == "partial" and "Alfie Tarrant" in item["comments"]


def test_g6_a_sibling_left_off_the_genogram_points_at_the_genogram_first():
    cpr = {**BASE, "genogram": {"included": True, "description": "The family tree is at the back of the report. It shows:",
                                "people": ["Rosie Tarrant", "Dean Tarrant"]},
           "siblings": [{"name": "Alfie Tarrant", "relationship": "full"}]}
    g6 = next(i for i in build_audit(cpr, as_of=dt.date(2026, 6, 1))["items"] if i["id"] == "G6")
    assert g6["answer"] == "partial"
    assert g6["evidence"][0]["excerpt"] == "The family tree is at the back of the report." and g6["evidence"][1]["excerpt"] == "Alfie Tarrant"


def test_a_missing_photograph_points_first_at_where_the_siblings_photographs_are_listed():
    cpr = {**BASE, "photographs": BASE["photographs"] + [{"subject": "Mia (half-sister)", "date": "2026-05-02", "description": "Mia at school"}],
           "siblings": [{"name": "Alfie Tarrant", "relationship_with_child": "Alfie likes football."},
                        {"name": "Mia Tarrant", "relationship_with_child": "Mia lives with her father."}]}
    item = next(i for i in build_audit(cpr, as_of=dt.date(2026, 6, 1))["items"] if i["id"] == "G5")
    assert item["answer"] == "partial" and "Alfie Tarrant" in item["comments"]
    assert item["evidence"][0]["excerpt"].startswith("Mia (half-sister)")


def test_a_caption_saying_who_was_photographed_and_when_counts():
    cpr = {**BASE, "photographs": [], "child": {**BASE["child"], "physical_description": "Rosie, photographed by her foster carer on 20 January 2026"},
           "birth_parents": [{"relationship": "mother", "name": "Sunita Tarrant",
                              "physical_description": "Mum (Sunita), photographed at the family time centre on 4 February 2026, with her agreement"}]}
    item = next(i for i in build_audit(cpr, as_of=dt.date(2026, 6, 1))["items"] if i["id"] == "G5")
    assert item["answer"] == "yes", item["comments"]
