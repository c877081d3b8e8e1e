"""permanence/checks/dates.py (G8): a birth in the child's chronology that is someone else's.
G8's dates of birth (permanence/checks/dates.py), on text written for these tests."""
from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

from permanence.checks import load_all_checks
from permanence.checks.audit import build_audit
from permanence.checks.dates import stated_births
from permanence.checks.text import AuditContext, get


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


BASE = json.loads((Path(__file__).parent / "cases" / "checks" / "_base.json").read_text("utf-8"))


def _ctx(summary: str, entries: list) -> AuditContext:
    data = copy.deepcopy(BASE)
    data["child"]["summary"] = summary
    data["chronologies"]["agency_actions"] = entries
    return AuditContext(data=data, as_of=dt.date(2026, 5, 26))


BROTHER = "Ava Grace and her brother, Reuben Tobias Lindqvist, born 3 February 2024, are to be placed together."


def test_a_second_childs_birth_given_differently_in_a_chronology_is_flagged_at_both_places():
    ctx = _ctx(BROTHER, [{"date": "2024-02-06", "event": "Reuben born at the county hospital.", "source": "Hospital records"}])
    births = stated_births(ctx)
    assert sorted(births["reuben"]) == [dt.date(2024, 2, 3), dt.date(2024, 2, 6)]
    result = load_all_checks()["G8"].function(ctx)
    assert result.answer == "no" and "Reuben's birth is given as 03/02/2024 and as 06/02/2024" in result.comments
    quoted = [get(ctx.data, *ev.path)[ev.start:ev.end] if ev.start is not None else get(ctx.data, *ev.path) for ev in result.evidence]
    assert "3 February 2024" in quoted and "2024-02-06" in quoted


def test_the_same_birth_everywhere_is_not_flagged():
    ctx = _ctx(BROTHER, [{"date": "2024-02-03", "event": "Birth of Reuben.", "source": "Hospital records"}])
    assert len(stated_births(ctx)["reuben"]) == 1
    assert load_all_checks()["G8"].function(ctx).answer == "yes"


def test_a_pronoun_or_a_lone_capitalised_word_is_not_a_person_born():
    ctx = _ctx("She was born 3 February 2024 in the spring. Monday born 4 May 2024 is a phrase, not a person.",
               [{"date": "2024-02-06", "event": "Baby born.", "source": "Hospital records"}])
    assert not {"she", "monday", "baby"} & set(stated_births(ctx))


def test_an_order_made_once_but_dated_twice_is_found_and_renewals_are_not():
    item = g8([("2024-09-20", "Rosie accommodated under section 20"), ("2024-10-04", "Interim Care Order made at the Family Court"),
               ("2024-11-01", "ICO renewed at the case management hearing")])
    assert item["answer"] == "yes", item["comments"]
    cpr = {"form": "cpr", "report": {"report_date": "2026-06-01"},
           "child": {"first_names": "Rosie May", "surname": "Tarrant", "date_of_birth": "2021-03-04",
                     "legal_order": {"summary": "An Interim Care Order (ICO) was made at the Family Court on 2 October 2024."}},
           "chronologies": {"child": [{"date": "2024-10-04", "event": "Interim Care Order made at the Family Court"}]}}
    item = next(i for i in build_audit(cpr, as_of=dt.date(2026, 6, 1))["items"] if i["id"] == "G8")
    assert "interim care order is dated 02/10/2024 in one place and 04/10/2024" in item["comments"]
    # the evidence gives each date as the report writes it, not as the record keeps it
    assert [e["excerpt"] for e in item["evidence"]] == ["2 October 2024", "4 October 2024"]


def test_a_name_owning_a_relation_is_not_the_person_born():
    """'Chinedu is Emeka's older brother, born on 20 January 1981' gives Chinedu's birth, not Emeka's."""
    cpr = {"form": "cpr", "report": {"report_date": "2026-06-01"},
           "child": {"first_names": "Amara", "surname": "Okafor", "date_of_birth": "2016-02-14"},
           "birth_parents": [{"relationship": "father", "name": "Emeka Okafor", "date_of_birth": "1984-09-05"}],
           "assessments": {"viability": [{"name": "Chinedu Okafor", "reasons": "Chinedu is Emeka's older brother, born on 20 January 1981."}]}}
    item = next(i for i in build_audit(cpr, as_of=dt.date(2026, 6, 1))["items"] if i["id"] == "G8")
    assert item["answer"] == "yes", item["comments"]


def test_a_move_to_carers_and_an_order_dated_differently_in_two_places_are_found():
    cpr = {"form": "cpr", "report": {"report_date": "2025-03-14"},
           "child": {"first_names": "Kiran", "surname": "Thapa", "date_of_birth": "2020-11-14",
                     "current_carers_account": "Kiran has lived with Jo and Martin since he moved to live with them on 21 August 2024.",
                     "legal_order": {"summary": "Osian is subject to a Care Order made by the Family Court on 14.09.2023 under section 31."}},
           "chronologies": {"child": [{"date": "2023-08-14", "event": "Final hearing; full Care Order made; care plan of long-term fostering approved"},
                                      {"date": "2024-08-12", "event": "Kiran accommodated under section 20 and placed with Jo and Martin."}]}}
    item = next(i for i in build_audit(cpr, as_of=dt.date(2025, 3, 14))["items"] if i["id"] == "G8")
    assert "move to Jo and Martin is dated 12/08/2024 in one place and 21/08/2024" in item["comments"]
    assert "care order is dated 14/08/2023 in one place and 14/09/2023" in item["comments"]
