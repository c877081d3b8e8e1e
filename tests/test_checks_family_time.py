"""permanence/checks/family_time.py (F3): which way family time goes, however the report puts it."""
from __future__ import annotations

import datetime as dt

from permanence.checks.audit import build_audit


def f3(summary: str) -> dict:
    cpr = {"form": "cpr", "family_time": {"proposed_summary": summary}}
    return next(i for i in build_audit(cpr, as_of=dt.date(2026, 6, 1))["items"] if i["id"] == "F3")


def test_a_letter_from_the_childs_adopters_with_a_reply_says_which_way_it_goes():
    item = f3("Dean would like a letter and photographs from Rosie's adopters once a year through the letterbox service. He may write back.")
    assert item["answer"] == "yes", item["comments"]


def test_a_letter_with_no_word_on_which_way_it_goes_is_still_found():
    item = f3("Dean will have a letter and photographs once a year through the letterbox service.")
    assert item["answer"] == "partial" and "one way or both ways" in item["comments"]
