"""The timescale engine's reading of the profile format (permanence/timescales.py), one
entry key at a time, on small made-up journeys."""
from __future__ import annotations

import datetime as dt

from permanence.forms.profiles import Profile, load_profile
from permanence.tracker.engine import Engine, Event, merge_events
from permanence.tracker.workbook import MAX_CELL_TEXT, clean_text

AS_OF = dt.date(2026, 11, 23)


def _profile(**timescales) -> Profile:
    data = dict(load_profile("england").data)
    data["timescales"] = timescales
    return Profile(id="test", data=data)


def _case(events, **extra):
    case = {"form": "case", "version": "1.0",
            "child": {"id": "T1", "name": "Test Child", "date_of_birth": "2019-01-01", "legal_status": "care_order", "placement_type": "foster_care"},
            "team": "T", "social_worker": "S", "primary_plan": "adoption", "contingency_plans": ["long_term_fostering"], "events": events}
    case.update(extra)
    return case


def _run(profile, events, as_of=AS_OF, **extra):
    return {t.id: t for t in Engine(profile, as_of).child_row(_case(events, **extra), [], "x").timescales}


def test_nth_due_event_counts_from_the_anchor():
    p = _profile(second={"from_event": "cla_review", "from_occurrence": 1, "due_event": "cla_review", "nth_due_event": 2,
                         "within": {"months": 3}, "source": "s"})
    got = _run(p, [{"type": "cla_review", "date": "2026-06-01"}, {"type": "cla_review", "date": "2026-08-20"}])
    assert got["second"].due == dt.date(2026, 9, 1) and got["second"].status == "met" and got["second"].met_on == dt.date(2026, 8, 20)


def test_before_direction_from_a_field_and_a_booked_anchor():
    p = _profile(so={"from_event": "supervision_order", "from_field": "expiry_date", "direction": "before", "due_event": "gateway_review",
                     "within": {"months": 3}, "source": "s"},
                 shobpa={"from_event": "shobpa", "direction": "before", "due_event": "adoption_review_before_shobpa", "within": {"weeks": 3}, "source": "s"})
    got = _run(p, [{"type": "supervision_order", "date": "2026-05-11", "expiry_date": "2027-05-10"},
                   {"type": "shobpa", "date": "2027-01-20", "planned": True}])
    assert got["so"].due == dt.date(2027, 2, 10) and got["so"].status == "upcoming"
    assert got["shobpa"].due == dt.date(2026, 12, 30) and got["shobpa"].status == "upcoming"


def test_recurring_runs_from_the_latest_and_booked_dates_show():
    p = _profile(ppm={"from_event": "ppm", "from_occurrence": "latest", "due_event": "ppm", "within": {"weeks": 6}, "recurring": True, "source": "s"})
    got = _run(p, [{"type": "ppm", "date": "2026-09-01"}, {"type": "ppm", "date": "2026-10-20"}, {"type": "ppm", "date": "2026-11-30", "planned": True}])
    assert got["ppm"].due == dt.date(2026, 12, 1) and got["ppm"].status == "due soon" and got["ppm"].booked == dt.date(2026, 11, 30)


def test_min_occurrences_gateway_outcome_and_panel_decision():
    p = _profile(later={"from_event": "cla_review", "from_occurrence": "latest", "min_occurrences": 2, "due_event": "cla_review", "within": {"months": 6}, "source": "s"},
                 issue={"from_event": "gateway_decision", "when_gateway_outcome": "issue_proceedings", "due_event": "proceedings_issued", "within": {"working_days": 10}, "source": "s"},
                 review={"from_event": "permanence_panel", "from_occurrence": "latest", "when_panel_decision": "care_planning_review_meeting",
                         "due_event": "ppm", "within": {"working_days": 10}, "source": "s"})
    got = _run(p, [{"type": "cla_review", "date": "2026-06-01"},
                   {"type": "gateway_decision", "date": "2026-10-01", "outcome": "enter pre-proceedings"},
                   {"type": "permanence_panel", "date": "2026-11-02", "outcome": "no change"}])
    assert got == {}
    got = _run(p, [{"type": "cla_review", "date": "2026-06-01"}, {"type": "cla_review", "date": "2026-08-01"},
                   {"type": "gateway_decision", "date": "2026-10-01", "outcome": "threshold met: issue_proceedings"},
                   {"type": "permanence_panel", "date": "2026-11-02", "outcome": "care_planning_review_meeting"}])
    assert got["later"].due == dt.date(2027, 2, 1)
    assert got["issue"].due == dt.date(2026, 10, 15) and got["issue"].status == "overdue"
    assert got["review"].due == dt.date(2026, 11, 16) and got["review"].status == "overdue"


def test_not_before_notes_an_early_meeting_and_applies_when_filters():
    p = _profile(panel={"from_event": "became_looked_after", "due_event": "permanence_panel", "within": {"weeks": 6}, "not_before": {"weeks": 4}, "source": "s"},
                 s20={"from_event": "became_looked_after", "due_event": "entry_to_care_panel", "within": {"weeks": 12},
                      "applies_when": {"legal_status": ["section_20"]}, "source": "s"})
    got = _run(p, [{"type": "became_looked_after", "date": "2026-09-01"}, {"type": "permanence_panel", "date": "2026-09-15"}])
    assert got["panel"].status == "met" and "earliest" in got["panel"].note and "s20" not in got


def test_rag_rule_and_manual_rag_feeds_applies_when():
    p = _profile(red={"from_event": "permanence_panel", "from_occurrence": "latest", "due_event": "permanence_panel", "within": {"weeks": 4},
                      "recurring": True, "applies_when": {"rag": ["red"]}, "source": "s"})
    engine = Engine(p, AS_OF)
    events = [{"type": "permanence_panel", "date": "2026-10-01"}]
    assert engine.child_row(_case(events), [], "x").rag == "green"
    row = engine.child_row(_case(events), [], "x", manual_rag="red")
    assert row.rag == "red" and row.timescales[0].id == "red"
    no_contingency = engine.child_row(_case(events, contingency_plans=[]), [], "x")
    assert no_contingency.rag == "amber" and "no contingency" in no_contingency.rag_reasons[0]


def test_ppm_records_count_once():
    case_events = [Event("ppm", dt.date(2026, 10, 1))]
    merged = merge_events(case_events, [Event("ppm", dt.date(2026, 10, 1), source="ppm.json"), Event("ppm", dt.date(2026, 11, 5), source="ppm.json")])
    assert [e.date for e in merged] == [dt.date(2026, 10, 1), dt.date(2026, 11, 5)]


def test_cell_text_limit_and_control_characters():
    assert clean_text("a\x00b\x1bc\nd\te") == "abc\nd\te"
    long = clean_text("x" * 40_000)
    assert len(long) <= MAX_CELL_TEXT and long.endswith("longer than an Excel cell holds)")


def test_a_profile_slip_is_named_not_a_crash():
    import pytest

    from permanence.findings import UserError

    p = _profile(broken={"from_event": "ppm", "due_event": "ppm", "within": {"fortnights": 2}, "source": "s"})
    with pytest.raises(UserError, match="timescale 'broken'"):
        Engine(p, AS_OF)
