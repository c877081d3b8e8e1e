"""permanence/checks/chronologies.py: C2, each parent's chronology and social history."""
from __future__ import annotations

import datetime as dt

from permanence.checks.audit import build_audit


def c2(history: dict) -> dict:
    cpr = {"form": "cpr", "report": {"report_date": "2025-04-22"}, "child": {"first_names": "Zayan", "surname": "Miah"},
           "birth_parents": [{"relationship": "mother", "name": "Shahnaz Begum", "history": history}]}
    return next(i for i in build_audit(cpr, as_of=dt.date(2025, 4, 22))["items"] if i["id"] == "C2")


def test_a_social_history_told_with_its_dates_is_the_parents_chronology():
    told = {"childhood": "Ms Begum grew up in Calderbrook with strict but loving parents who brought her up.",
            "school": "She left school at 16 in 2010 with good exam results.",
            "work": "She worked in a pharmacy from 2012 to 2014.",
            "relationships": "She married Mr Miah in 2013; Rafiq was born in 2015; they separated in 2024."}
    assert c2(told)["answer"] == "yes", c2(told)["comments"]
    undated = {k: v.replace(" in 2010", "").replace(" from 2012 to 2014", "").replace(" in 2013", "").replace(" in 2015", "").replace(" in 2024", "")
               for k, v in told.items()}
    assert "no chronology" in c2(undated)["comments"]


def test_c3_neither_parent_was_in_care_says_no_parent_was():
    def c3(text):
        cpr = {"form": "cpr", "child": {"first_names": "Osian", "surname": "Lloyd"},
               "birth_parents": [{"relationship": "mother", "name": "Nia Lloyd", "history": {"childhood": text}}]}
        return next(i for i in build_audit(cpr, as_of=dt.date(2025, 4, 22))["items"] if i["id"] == "C3")["answer"]

    assert c3("Neither parent was in care as a child. Nia confirmed this, and a check of the council's records found no history.") == "not_applicable"
    assert c3("Nia was in care as a child from the age of nine, with foster carers in Wrexham.") == "no"
