"""G13's weak answers (permanence/checks/answers.py): 'Not known' with no effort described,
on text written for these tests."""
from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

from permanence.checks import load_all_checks
from permanence.checks.answers import weak_answers
from permanence.checks.text import AuditContext

BASE = json.loads((Path(__file__).parent / "cases" / "checks" / "_base.json").read_text("utf-8"))


def _with_father(**fields) -> AuditContext:
    data = copy.deepcopy(BASE)
    father = {"relationship": "father", "physical_description": "Not known.", "health": "Not known.",
              "history": {"childhood": "Not known.", "school": "Not known."}}
    father.update(fields)
    data["birth_parents"] = [p for p in data.get("birth_parents", []) if p.get("relationship") != "father"] + [father]
    return AuditContext(data=data, as_of=dt.date(2026, 5, 26))


def _fathers(paths):
    return [p for p in paths if p[0] == "birth_parents" and p[-1] in ("physical_description", "health", "childhood", "school")]


def test_not_known_throughout_is_weak_when_the_only_reason_words_are_about_something_else():
    ctx = _with_father(report_sharing={"how": "I went through the report with Kerry-Ann, who asked for a spelling to be corrected."},
                       support_offered="Kerry-Ann was sent a letter about the local support group.")
    assert len(_fathers(weak_answers(ctx))) == 4
    result = load_all_checks()["G13"].function(ctx)
    assert result.answer in ("partial", "no") and "no reason or effort" in result.comments


def test_not_known_with_the_effort_to_find_out_described_is_not_weak():
    ctx = _with_father(notes_on_identity="Kerry-Ann was asked three times who the father is and would not name him.")
    assert _fathers(weak_answers(ctx)) == []


def test_an_efforts_field_gives_the_reason_whatever_its_words():
    ctx = _with_father(efforts_to_identify="Enquiries were made with the housing office in March 2026, without result.")
    assert _fathers(weak_answers(ctx)) == []
