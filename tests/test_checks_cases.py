"""Every check against its cases in tests/cases/checks/<ID>.json: CPR excerpts (changes to
a good base CPR, _base.json: a test-only report with its own fictional family, not one of the caseload children) that must pass and must be flagged, and tables of sentences
that must and must not be flagged (as proselint's example tables)."""
from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path

import pytest

from permanence.checks import FLAGGED, load_all_checks
from permanence.checks.audit import proofread, run_checks
from permanence.checks.proofreading import HunspellEngine
from permanence.checks.text import AuditContext
from permanence.checks.wordlists import load_wordlists

CASES = Path(__file__).parent / "cases" / "checks"
BASE = json.loads((CASES / "_base.json").read_text("utf-8"))


def _parts(pointer: str) -> list:
    return [int(p) if p.isdigit() else p for p in pointer.strip("/").split("/")]


def apply(data: dict, change: dict) -> dict:
    data = copy.deepcopy(data)
    for pointer, value in change.get("set", {}).items():
        node, parts = data, _parts(pointer)
        for i, part in enumerate(parts[:-1]):
            if isinstance(node, list):
                node = node[part]
            else:
                node = node.setdefault(part, [] if isinstance(parts[i + 1], int) else {})
        if isinstance(node, list) and parts[-1] == len(node):
            node.append(value)
        else:
            node[parts[-1]] = value
    for pointer in change.get("delete", []):
        node, parts = data, _parts(pointer)
        for part in parts[:-1]:
            node = node[part]
        del node[parts[-1]]
    return data


@pytest.fixture(scope="module")
def tools():
    engine = HunspellEngine()
    yield load_wordlists([]), engine
    engine.close()


def answer(data: dict, cid: str, as_of: str, tools) -> tuple[str, str]:
    wordlists, engine = tools
    ctx = AuditContext(data=data, as_of=dt.date.fromisoformat(as_of), wordlists=wordlists)
    ctx.proofreading_note = ""
    proofread(ctx, engine)
    results = run_checks(ctx)
    return results[cid].answer, results[cid].comments


def load_cases():
    out = []
    for path in sorted(CASES.glob("[A-Z]*.json")):
        spec = json.loads(path.read_text("utf-8"))
        cid = spec["check"]
        for kind in ("pass", "fail"):
            for change in spec[kind]:
                out.append(pytest.param(cid, kind, apply(BASE, change), spec["as_of"], id=f"{cid}-{kind}-{change['note']}"))
        table = spec.get("sentences")
        if table:
            for kind, key in (("fail", "flag"), ("pass", "ok")):
                for sentence in table[key]:
                    data = apply(BASE, {"set": {table["pointer"]: sentence}})
                    out.append(pytest.param(cid, kind, data, spec["as_of"], id=f"{cid}-{kind}-{sentence[:40]}"))
    return out


@pytest.mark.parametrize("cid,kind,data,as_of", load_cases())
def test_check_case(cid, kind, data, as_of, tools):
    got, comments = answer(data, cid, as_of, tools)
    if kind == "fail":
        assert got in FLAGGED, f"{cid} should flag this excerpt but answered {got}: {comments}"
    else:
        assert got not in FLAGGED, f"{cid} should pass this excerpt but answered {got}: {comments}"


def test_every_check_has_passing_and_failing_cases():
    checks = load_all_checks()
    for cid in checks:
        path = CASES / f"{cid}.json"
        assert path.is_file(), f"no cases for {cid} in {path}"
        spec = json.loads(path.read_text("utf-8"))
        assert spec["check"] == cid
        assert spec["pass"] or spec.get("sentences", {}).get("ok"), f"{cid} has no passing case"
        assert spec["fail"] or spec.get("sentences", {}).get("flag"), f"{cid} has no failing case"


def test_base_cpr_is_clean_for_every_check(tools):
    """The base the cases change is itself a good report: nothing in it is flagged."""
    flagged = {cid: answer(BASE, cid, "2026-05-26", tools) for cid in load_all_checks()}
    assert {cid: a for cid, (a, _) in flagged.items() if a in FLAGGED} == {}
