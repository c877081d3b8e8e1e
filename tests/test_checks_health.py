"""H1's cross-check of the health narrative against the medical adviser's own summary
(permanence/checks/health.py), on text written for these tests."""
from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

from permanence.checks import load_all_checks
from permanence.checks.health import unmatched_findings
from permanence.checks.text import AuditContext, get

BASE = json.loads((Path(__file__).parent / "cases" / "checks" / "_base.json").read_text("utf-8"))
ADVISER = ("Dr Nadia Frost, medical adviser, 6 May 2026. Ava has a moderate expressive language delay and has been "
           "referred to speech and language therapy. A repeat hearing test is outstanding after she failed her newborn screen; "
           "she may need grommets. Her mother has asthma.")


def _ctx(summary: str, adviser: str = ADVISER) -> AuditContext:
    data = copy.deepcopy(BASE)
    data["health"]["summary"] = summary
    data["health"]["medical_adviser_report"] = {"date": "2026-05-06", "summary": adviser}
    return AuditContext(data=data, as_of=dt.date(2026, 5, 26))


def _h1(ctx):
    return load_all_checks()["H1"].function(ctx)


DATED = "This summary is based on the health assessment of 28 April 2026 and the medical adviser's report of 6 May 2026. "


def test_a_narrative_denying_what_the_adviser_names_is_no_with_both_places():
    ctx = _ctx(DATED + "Ava is a healthy girl with no health concerns. Her hearing is normal.")
    denials, omissions = unmatched_findings(ctx)
    found = [f for *_, f in omissions]
    assert "expressive language delay" in found and "A repeat hearing test is outstanding" in found
    assert any("speech and language therapy" in f for f in found)
    said = [get(ctx.data, *p)[s:e] for p, s, e in denials]
    assert "no health concerns" in said and "Her hearing is normal" in said
    result = _h1(ctx)
    assert result.answer == "no"
    assert "no health concerns" in result.comments
    places = {ev.path for ev in result.evidence}
    assert ("health", "summary") in places and ("health", "medical_adviser_report", "summary") in places


def test_what_is_negated_hypothetical_or_about_a_relative_is_not_a_finding():
    ctx = _ctx(DATED + "Ava has a language delay and sees a speech and language therapist. Her hearing test is still to be repeated.")
    assert unmatched_findings(ctx) == ([], [])
    assert _h1(ctx).answer == "yes"


def test_a_shorter_narrative_that_contradicts_nothing_is_not_flagged():
    ctx = _ctx(DATED + "Ava is up to date with her immunisations and sees her health visitor.")
    denials, omissions = unmatched_findings(ctx)
    assert not denials and omissions
    result = _h1(ctx)
    assert result.answer == "yes" and "does not repeat" in result.comments


def test_an_adviser_summary_the_narrative_holds_word_for_word_is_the_narratives_own():
    ctx = _ctx(DATED + "Ava has no health concerns. " + ADVISER)
    assert unmatched_findings(ctx) == ([], [])


def test_a_month_named_may_is_not_a_maybe():
    ctx = _ctx(DATED + "Ava has no health needs.", "Ava has a mild conductive hearing loss on testing on 3 May 2026.")
    assert [f for *_, f in unmatched_findings(ctx)[1]] == ["hearing loss"]


def test_h1_a_narrative_calling_fine_what_the_adviser_quoted_in_it_finds_a_need():
    import datetime as dt

    from permanence.checks.audit import build_audit

    summary = ("Review health assessment: 3 April 2025. Adoption medical and medical adviser's report: 28 April 2025. "
               "Kezia passed her newborn hearing screen and her hearing is normal. "
               'Dr Rao summarises: "Kezia did not pass the newborn hearing screen in her left ear and was referred to audiology; '
               'a repeat test is due in July 2025."')
    cpr = {"form": "cpr", "report": {"report_date": "2025-06-10"}, "child": {"first_names": "Kezia", "surname": "Daniels", "date_of_birth": "2024-03-01"},
           "health": {"summary": summary, "last_health_assessment_date": "2025-04-03", "medical_adviser_report_date": "2025-04-28"}}
    h1 = next(i for i in build_audit(cpr, as_of=dt.date(2025, 6, 10))["items"] if i["id"] == "H1")
    assert h1["answer"] == "no" and "passed her newborn hearing screen" in h1["comments"]
