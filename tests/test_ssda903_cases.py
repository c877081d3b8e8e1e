"""Hand-made SSDA903 extracts (tests/cases/ssda903/<case>/: the return's CSV tables and
expected.json, each value worked out by hand in its "note") built into tracker rows
under each profile the case names: review cadence, placement stability, section 20,
placement order and adoption decision, long-term matching, 16 plus, adoption timeliness."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from permanence.tracker.command import compute_rows
from permanence.tracker.return_columns import printed_reason
from permanence.tracker.workbook import sheet_members

CASES = Path(__file__).resolve().parent / "cases" / "ssda903"


def _cases():
    for folder in sorted(p for p in CASES.iterdir() if p.is_dir()):
        expected = json.loads((folder / "expected.json").read_text("utf-8"))
        profiles = sorted({p for child in expected["children"].values() for p in child})
        for profile in profiles:
            yield pytest.param(folder, profile, expected, id=f"{folder.name}-{profile}")


def test_every_case_is_worked_under_two_profiles_at_least():
    for folder in (p for p in CASES.iterdir() if p.is_dir()):
        expected = json.loads((folder / "expected.json").read_text("utf-8"))
        assert expected["note"] and len({p for c in expected["children"].values() for p in c}) >= 2, folder.name


@pytest.mark.parametrize("folder,profile,expected", list(_cases()))
def test_hand_worked_values(folder, profile, expected):
    rows, engine, *_ = compute_rows(None, profile, dt.date.fromisoformat(expected["as_of"]), ssda903=[str(folder)])
    by_id = {r.id: r for r in rows}
    for cid, per_profile in expected["children"].items():
        want = per_profile.get(profile)
        if want is None:
            continue
        row = by_id[cid]
        where = f"{folder.name} {cid} ({profile})"
        if "rag" in want:
            assert row.rag == want["rag"], (where, row.rag_reasons)
        if "next_review" in want:
            assert row.next_due["review"] and row.next_due["review"].due.isoformat() == want["next_review"], where
        got = {t.id: t for t in row.timescales}
        for tid, (status, due) in want.get("timescales", {}).items():
            assert tid in got, (where, tid, sorted(got))
            assert (got[tid].status, got[tid].due.isoformat()) == (status, due), (where, tid)
        for tid in want.get("absent", []):
            assert tid not in got, (where, tid)
        for key, value in want.get("checks", {}).items():
            assert row.checks.get(key) == value, (where, key, row.checks)
        if "flags" in want:
            assert sorted(f.id for f in row.flags) == sorted(want["flags"]), (where, [f.text for f in row.flags])
            assert all(f.source for f in row.flags), where
        for text in want.get("printed_contains", []):
            assert text in printed_reason(row), (where, printed_reason(row))
        if "looked_after_since" in want:
            assert row.became_looked_after.isoformat() == want["looked_after_since"], where
        if "months_in_care" in want:
            assert row.months_in_care == want["months_in_care"], where
        if "legal_status" in want:
            assert row.situation.legal_status == want["legal_status"], where
        for sheet in want.get("sheets", []):
            assert sheet in sheet_members(row, engine.settings), (where, sheet)
        for kind in want.get("events", []):
            assert any(e.type == kind for e in row.events), (where, kind)
