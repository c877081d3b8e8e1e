"""The automated audit against the hand-written expectations beside each example CPR
(examples/caseload/*/cpr.expected-audit.json), item by item, with precision and recall
for No/Partial. 'Review' from the tool counts as not flagged (the adviser decides)."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from permanence.checks import FLAGGED
from permanence.checks.audit import build_audit
from permanence.checks.proofreading import HunspellEngine
from permanence.checks.wordlists import load_wordlists
from permanence.forms.validate import make_context, validate_record
from permanence.forms.load import load_record

MIN_PRECISION = 0.85
MIN_RECALL = 0.85
SIX = ["C1001-ava-thompson", "C1009-alfie-walsh", "C1011-isla-morgan", "C1012-oscar-bennett", "C1013-freya-collins", "C1014-archie-doyle"]


EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@pytest.fixture(scope="module")
def compared():
    examples_dir = EXAMPLES
    engine, wordlists = HunspellEngine(), load_wordlists([])
    rows = []
    for folder in SIX:
        base = examples_dir / "caseload" / folder
        expected = json.loads((base / "cpr.expected-audit.json").read_text("utf-8"))
        cpr = json.loads((base / "cpr.json").read_text("utf-8"))
        audit = build_audit(cpr, as_of=dt.date.fromisoformat(expected["header"]["audit_date"]), engine=engine, wordlists=wordlists)
        rows.append((folder, expected, audit))
    return rows


def test_six_examples_with_expectations_that_validate(examples_dir):
    ctx = make_context("warrington", dt.date(2026, 11, 23))
    for folder in SIX:
        for name in ("cpr.json", "cpr.expected-audit.json"):
            record = load_record(examples_dir / "caseload" / folder / name)
            errors = [f for f in validate_record(record, ctx) if f.severity.value == "error"]
            assert not errors, f"{folder}/{name}: {errors[0].message}"
        expected = json.loads((examples_dir / "caseload" / folder / "cpr.expected-audit.json").read_text("utf-8"))
        assert [i["id"] for i in expected["items"]] == [i["id"] for i in build_audit({}, as_of=dt.date(2026, 1, 1))["items"]]


def test_item_by_item_precision_and_recall(compared):
    tp = fp = fn = agree = total = 0
    lines = []
    for folder, expected, audit in compared:
        got = {i["id"]: i["answer"] for i in audit["items"]}
        for item in expected["items"]:
            want, have = item["answer"], got[item["id"]]
            total += 1
            agree += want == have or (have == "review" and want == "yes")
            e, g = want in FLAGGED, have in FLAGGED
            tp += e and g
            fp += g and not e
            fn += e and not g
            if e != g:
                lines.append(f"  {folder} {item['id']}: expected {want}, audit {have}")
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    print(f"\nNo/Partial over {len(compared)} CPRs, {total} items: precision {precision:.2f} ({tp}/{tp + fp}), recall {recall:.2f} ({tp}/{tp + fn}); "
          f"agreement {agree}/{total} (Review counted as agreeing with Yes)")
    print("\n".join(lines) or "  no disagreements on No/Partial")
    assert precision >= MIN_PRECISION and recall >= MIN_RECALL


def test_outcomes_match(compared):
    assert {f: a["outcome"] for f, _, a in compared} == {f: e["outcome"] for f, e, _ in compared}


def test_exemplary_report_has_nothing_flagged(compared):
    folder, expected, audit = compared[0]
    assert folder.startswith("C1001")
    assert [i["id"] for i in audit["items"] if i["answer"] in FLAGGED] == []
    assert audit["outcome"] == "adequate" and audit["privacy"] == []
