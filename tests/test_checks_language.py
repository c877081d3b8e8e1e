"""permanence/checks/language.py (G11): jargon explained where it is used, and what is not an address."""
from __future__ import annotations

import datetime as dt

from permanence.checks.audit import build_audit
from permanence.checks.wordlists import load_wordlists


def g11(text: str, where=("birth_parents", 0, "parenting_capacity")) -> dict:
    cpr = {"form": "cpr", "birth_parents": [{"relationship": "mother", "name": "Ruth Amble"}]}
    node = cpr
    for key in where[:-1]:
        node = node[key] if isinstance(key, int) else node.setdefault(key, {})
    node[where[-1]] = text
    return next(i for i in build_audit(cpr, as_of=dt.date(2026, 5, 1), wordlists=load_wordlists([]))["items"] if i["id"] == "G11")


def test_jargon_explained_after_the_noun_it_qualifies_is_explained():
    item = g11("Ruth was in the pre-proceedings stage, which is when parents are told in writing what must change.")
    assert item["answer"] == "yes", item["comments"]
    item = g11("A core group meeting (the parents and professionals who carry out the plan) was held in May.")
    assert item["answer"] == "yes", item["comments"]


def test_jargon_left_unexplained_is_still_found():
    item = g11("Ruth attended the pre-proceedings meeting and the core group was held, the same day.")
    assert item["answer"] == "partial" and "pre-proceedings" in item["comments"] and "core group" in item["comments"]


def test_a_date_before_a_court_of_law_is_no_street_address():
    item = g11("The final hearing was on 4 March 2026, Family Court at Redbridge, before a district judge.",
               where=("child", "current_carers_account"))
    assert "street address" not in item.get("comments", "")
    item = g11("The carers live at 14 Willow Court, near the park.", where=("child", "current_carers_account"))
    assert item["answer"] == "no" and "street address" in item["comments"]


def test_a_name_typed_in_capitals_is_no_acronym():
    import datetime as dt

    from permanence.checks.audit import build_audit
    from permanence.checks.wordlists import load_wordlists

    cpr = {"form": "cpr", "child": {"first_names": "Mia", "surname": "Dhillon"},
           "wishes_and_feelings": {"child": {"wishes_and_feelings": "MIA'S WISHES: Mia wants to live with a family who will take her to the gurdwara. She sees CAMHS."}}}
    g11 = next(i for i in build_audit(cpr, as_of=dt.date(2026, 6, 1), wordlists=load_wordlists())["items"] if i["id"] == "G11")
    assert "MIA" not in g11.get("comments", "") and "CAMHS" in g11.get("comments", "")
