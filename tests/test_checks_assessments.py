"""Checks of permanence/checks/assessments.py (R1, A1), on text written for these tests."""
from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

from permanence.checks import load_all_checks
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


# ---- A1: an expert assessment told of in the narrative, its conclusions not summarised
PARENT_HEALTH = ("Kerry-Ann had a psychiatric assessment by Dr Tomas Reilly, Consultant Psychiatrist, dated 2 February 2026, "
                 "ordered by the court. The report was shared with all parties before the hearing.")


def _with_mother_health(text: str, experts=None) -> AuditContext:
    ctx = _ctx(assessments__expert=experts or [])
    ctx.data["birth_parents"][0]["health"] = text
    return ctx


def test_a1_an_expert_assessment_named_only_in_the_narrative_with_no_conclusions_is_no():
    ctx = _with_mother_health(PARENT_HEALTH)
    result = _run("A1", ctx)
    assert result.answer == "no" and "psychiatric assessment (Dr Tomas Reilly)" in result.comments
    ev = result.evidence[0]
    quoted = get(ctx.data, *ev.path)[ev.start:ev.end]
    assert quoted.startswith("Kerry-Ann had a psychiatric assessment") and "shared with all parties" in quoted


def test_a1_a_narrative_mention_that_gives_the_findings_is_summarised():
    ctx = _with_mother_health(PARENT_HEALTH.replace("The report was shared", "Dr Reilly found no sign of psychotic illness; the report was shared"))
    assert _run("A1", ctx).answer == "not_applicable"


def test_a1_an_expert_already_in_the_list_is_judged_there():
    listed = [{"kind": "Psychiatric assessment of Kerry-Ann", "author": "Dr Tomas Reilly, Consultant Psychiatrist",
               "conclusions": "Dr Reilly found that Kerry-Ann has recurrent depression, well treated, and recommended that she "
                              "continue with her community mental health team."}]
    assert _run("A1", _with_mother_health(PARENT_HEALTH, listed)).answer == "yes"


def test_a1_an_assessment_by_the_social_worker_is_not_an_expert_one():
    ctx = _with_mother_health("A parenting assessment was completed by the social worker in March 2026.")
    assert _run("A1", ctx).answer == "not_applicable"


def test_r1_a_reason_in_the_same_sentence_as_the_request_counts():
    """A sentence that tells of the request and then gives the reason ('asked to be assessed ...
    but her flat has one bedroom') gives a reason: it is judged clause by clause."""
    told = ("Gwen Parry is the children's step-grandmother; she asked to be assessed for both boys but her flat has "
            "one bedroom and she looks after her own disabled son.")
    ctx = _ctx(assessments__viability=[{"name": "Gwen Parry", "relationship": "step-grandmother", "outcome": "negative", "reasons": told}])
    assert _run("R1", ctx).answer == "yes"


def test_a1_findings_after_an_assessments_title_are_its_summary():
    from permanence.checks.assessments import _summarised

    assert _summarised("Hair-strand alcohol tests of Kieran (June and December 2025): excessive then moderate drinking.")
    assert _summarised("Psychological assessment of April (clinical psychologist, 14 August 2025): April has a mild learning "
                       "disability and anxiety; change within Poppy's timescale was unlikely.")
    assert not _summarised("Psychological assessment of April (Dr Shah, 14 August 2025): see the report on file.")
    assert not _summarised("Parenting assessment of Kieran: completed in August 2025.")


def test_a1_findings_in_the_reports_own_sections_and_the_guardians_view_count():
    from permanence.checks.audit import build_audit

    def a1(expert, health):
        cpr = {"form": "cpr", "child": {"first_names": "Ruby", "surname": "Kowalski"}, "assessments": {"expert": expert},
               "birth_parents": [{"relationship": "mother", "name": "Danielle Whitfield", "health": health}]}
        return next(i for i in build_audit(cpr, as_of=dt.date(2026, 6, 1))["items"] if i["id"] == "A1")

    expert = [{"kind": "Hair strand tests for both parents, April and October 2024", "conclusions": "see the parents' health sections."},
              {"kind": "Children's Guardian", "conclusions": "The Children's Guardian, appointed by Cafcass, supported adoption for both children "
                                                            "together in her final analysis of 22 April 2025."}]
    assert a1(expert, "Her hair strand test in April and October 2024 showed excessive alcohol use.")["answer"] == "yes"
    assert a1(expert, "She has depression.")["answer"] == "partial"  # pointed to, but not there
    expert[0]["conclusions"] = "see the attached report."
    assert a1(expert, "Her hair strand test in April and October 2024 showed excessive alcohol use.")["answer"] == "partial"


def test_r1_a_negative_viability_told_only_by_its_process_has_no_reason():
    from permanence.checks.audit import build_audit

    text = ("Rekha Thapa, maternal aunt. Rekha came forward at the Family Network Meeting. The viability assessment of Rekha was negative "
            "and she was not taken forward to a full assessment. She was told of the outcome in writing on 11 November 2024 and how she "
            "could challenge it; she did not do so.")
    cpr = {"form": "cpr", "child": {"first_names": "Kiran", "surname": "Thapa"},
           "assessments": {"viability": [{"name": "Rekha Thapa", "relationship": "maternal aunt", "outcome": "negative", "reasons": text}]}}
    r1 = next(i for i in build_audit(cpr, as_of=dt.date(2026, 6, 1))["items"] if i["id"] == "R1")
    assert r1["answer"] == "no" and "Rekha Thapa" in r1["comments"]


def test_a1_an_expert_assessment_entry_saying_not_applicable_is_none():
    from permanence.checks.audit import build_audit

    cpr = {"form": "cpr", "child": {"first_names": "Zayan", "surname": "Aslam"},
           "assessments": {"expert": [{"kind": "Not applicable. There have been no care proceedings.", "conclusions": "Not applicable. There have been no care proceedings."}]}}
    a1 = next(i for i in build_audit(cpr, as_of=dt.date(2026, 6, 1))["items"] if i["id"] == "A1")
    assert a1["answer"] == "not_applicable"
