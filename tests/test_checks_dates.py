"""permanence/checks/dates.py (G8): a birth in the child's chronology that is someone else's."""
from __future__ import annotations

import datetime as dt

from permanence.checks.audit import build_audit


def g8(events) -> dict:
    cpr = {"form": "cpr", "report": {"report_date": "2026-06-01"},
           "child": {"first_names": "Rosie May", "surname": "Tarrant", "date_of_birth": "2021-03-04"},
           "chronologies": {"child": [{"date": d, "event": e} for d, e in events]}}
    return next(i for i in build_audit(cpr, as_of=dt.date(2026, 6, 1))["items"] if i["id"] == "G8")


def test_a_brothers_birth_written_to_him_is_not_the_childs_birth():
    item = g8([("2021-03-04", "Rosie, you were born at the county hospital."),
               ("2023-10-12", "Alfie, you were born early and spent a week in special care.")])
    assert item["answer"] == "yes", item["comments"]


def test_the_childs_own_birth_on_another_date_is_still_found():
    item = g8([("2021-03-14", "Rosie, you were born at the county hospital.")])
    assert item["answer"] == "no" and "gives the birth as 14/03/2021" in item["comments"]
