"""The example caseload against the hand-worked expectations in examples/tracker-expected/
(one CSV per profile, worked from the seeds and the bank-holiday calendar), and the
bank-holiday cases in tests/cases/tracker/ (Christmas 2026, Easter 2027)."""
from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest

from permanence.tracker.command import compute_rows

ROOT = Path(__file__).resolve().parent.parent
EXPECTED = ROOT / "examples" / "tracker-expected"
CASES = ROOT / "tests" / "cases" / "tracker"
AS_OF = dt.date(2026, 11, 23)
PROFILES = ["england", "walsall", "west-sussex", "medway", "warrington", "south-east"]
FLAGGED = {"overdue", "due soon"}


def _compare(rows, expected_rows):
    by_id = {r.id: r for r in rows}
    problems = []
    wanted_flags: dict[str, set] = {}
    for exp in expected_rows:
        cid, item = exp["child_id"], exp["item"]
        row = by_id.get(cid)
        if row is None:
            problems.append(f"{cid}: not in the tracker")
            continue
        if item == "rag":
            if row.rag != exp["status"]:
                problems.append(f"{cid}: RAG {row.rag}, expected {exp['status']} ({row.rag_reasons})")
            continue
        found = {t.id: t for t in row.timescales}
        if item not in found:
            problems.append(f"{cid} {item}: not computed (expected due {exp['due']}, {exp['status']})")
            continue
        t = found[item]
        if t.due.isoformat() != exp["due"] or t.status != exp["status"]:
            problems.append(f"{cid} {item}: due {t.due} {t.status}, expected {exp['due']} {exp['status']}")
        if exp["status"] in FLAGGED:
            wanted_flags.setdefault(cid, set()).add(item)
    # Everything the engine flags (overdue / due soon) must be in the hand-worked file.
    for row in rows:
        flagged = {t.id for t in row.timescales if t.status in FLAGGED}
        if row.id in {e["child_id"] for e in expected_rows} and flagged != wanted_flags.get(row.id, set()):
            problems.append(f"{row.id}: flagged {sorted(flagged)}, hand-worked {sorted(wanted_flags.get(row.id, set()))}")
    return problems


def _read(path):
    with open(path, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


@pytest.mark.parametrize("profile", PROFILES)
def test_example_caseload_matches_hand_worked(profile, examples_dir):
    rows, *_ = compute_rows(examples_dir / "caseload", profile, AS_OF)
    expected = _read(EXPECTED / f"{profile}.csv")
    assert {e["child_id"] for e in expected if e["item"] == "rag"} == {r.id for r in rows}, "a RAG is worked for every child"
    assert _compare(rows, expected) == []


@pytest.mark.parametrize("scenario", ["christmas-2026", "easter-2027"])
def test_bank_holiday_cases(scenario):
    folder = CASES / scenario
    expected = _read(folder / "expected.csv")
    as_of = dt.date.fromisoformat((folder / "as-of.txt").read_text().strip())
    problems = []
    for profile in sorted({e["profile"] for e in expected}):
        rows, *_ = compute_rows(folder / "caseload", profile, as_of)
        problems += [f"{profile}: {p}" for p in _compare(rows, [e for e in expected if e["profile"] == profile])]
    assert problems == []
