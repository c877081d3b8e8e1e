"""A disputed allegation written as fact (G11, checks/disputed.py): the report says a parent
denies something and states it elsewhere as fact, with no source."""
from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pytest

from permanence.checks import load_all_checks
from permanence.checks.disputed import disputed_as_fact
from permanence.checks.text import AuditContext

BASE = json.loads((Path(__file__).parent / "cases" / "checks" / "_base.json").read_text("utf-8"))
DENIAL = "Ryan denies ever being violent towards Gemma and says that both of them shouted during arguments. No charges were brought."


def _ctx(mother_relationships: str, father_relationships: str = DENIAL) -> AuditContext:
    data = copy.deepcopy(BASE)
    data["birth_parents"][0]["history"]["relationships"] = mother_relationships
    data["birth_parents"][1]["history"]["relationships"] = father_relationships
    return AuditContext(data=data, as_of=dt.date(2026, 5, 26))


def _sentences(ctx) -> list[str]:
    return [f.text[s:e] for f, s, e, _ in disputed_as_fact(ctx)]


def test_an_allegation_the_parent_denies_written_as_fact_is_found_and_g11_is_partial():
    ctx = _ctx("Gemma met Ryan in 2020. Ryan was violent towards Gemma throughout their relationship.")
    assert _sentences(ctx) == ["Ryan was violent towards Gemma throughout their relationship."]
    result = load_all_checks()["G11"].function(ctx)
    assert result.answer == "partial"
    assert "1 allegation written as fact although the report says Ryan denies it." in result.comments
    assert any("parent's own account" in a for a in result.actions)
    assert any(e.path[-1] == "relationships" and e.path[1] == 0 for e in result.evidence)


@pytest.mark.parametrize("balanced", [
    "Gemma says Ryan was violent towards her throughout their relationship.",
    "The court found that Ryan was violent towards Gemma.",
    "Police records show that Ryan was violent towards Gemma on three occasions.",
    "Gemma's account is that Ryan was violent; Ryan denies this.",
    "Ryan was a warm and loving partner at first.",  # about Ryan, but not what he denies
    "Gemma was violent towards a neighbour in 2019.",  # what is denied, but not about Ryan
])
def test_a_sentence_that_gives_its_source_or_is_about_something_else_is_not_flagged(balanced):
    assert _sentences(_ctx(balanced)) == []


def test_the_denial_itself_and_a_report_with_no_denial_are_not_flagged():
    assert _sentences(_ctx("Gemma met Ryan in 2020.")) == []
    plain = "Ryan was violent towards Gemma throughout their relationship."
    assert _sentences(_ctx(plain, father_relationships="Ryan and Gemma separated in 2024.")) == []


def test_a_crime_of_a_named_person_written_as_fact_with_no_source_is_found():
    from permanence.checks.disputed import unsourced_crimes

    def crimes(text):
        return [f.text[s:e] for f, s, e, _ in unsourced_crimes(_ctx(text, father_relationships="Ryan and Gemma separated in 2024."))]

    assert crimes("Gemma met Ryan in 2020. Ryan assaulted Gemma while she was holding Ava in March 2023.") == \
        ["Ryan assaulted Gemma while she was holding Ava in March 2023."]
    for sourced in ("Ryan was convicted of assaulting Gemma in March 2023.", "Gemma told the police that Ryan assaulted her in March 2023.",
                    "The police recorded that Ryan assaulted Gemma in March 2023.", "Gemma says Ryan was dealing cannabis from the flat."):
        assert crimes(sourced) == [], sourced
    result = load_all_checks()["G11"].function(_ctx("Ryan was dealing cannabis from the flat.", father_relationships="Ryan works nights."))
    assert result.answer == "partial" and "1 allegation of a crime written as fact" in result.comments
