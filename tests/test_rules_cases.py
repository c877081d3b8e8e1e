"""Rule test cases as data: tests/cases/rules/<rule-id>/{pass,fail}/*.json.

A case is either a whole record:
    {"profile": "warrington", "as_of": "2026-11-23", "record": {...}}
or a small change to the minimal valid record of a form (tests/cases/rules/_minimal/<form>.json):
    {"profile": "south-east", "as_of": "2026-11-23", "minimal": "ppm-record",
     "set": {"/child/age_stated": 9}, "remove": ["/contingency_plans/0"], "note": "why"}
A "fail" case must give at least one finding of its rule (and, if given, one whose
message contains "message_contains"); a "pass" case must give none."""
from __future__ import annotations

import copy
import datetime as dt
import json
from functools import lru_cache
from pathlib import Path

CASES = Path(__file__).resolve().parent / "cases" / "rules"
MINIMAL = CASES / "_minimal"
DEFAULT_AS_OF = "2026-11-23"


@lru_cache(maxsize=None)
def _minimal(form: str) -> dict:
    return json.loads((MINIMAL / f"{form}.json").read_text("utf-8"))


def minimal(form: str) -> dict:
    """A fresh copy of the minimal valid record of a form."""
    return copy.deepcopy(_minimal(form))


def minimal_forms() -> list[str]:
    return sorted(p.stem for p in MINIMAL.glob("*.json"))


def _parts(pointer: str) -> list:
    return [p.replace("~1", "/").replace("~0", "~") for p in pointer.split("/")[1:]]


def _walk(doc, parts):
    node = doc
    for part in parts:
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


def set_at(doc, pointer: str, value) -> None:
    *head, last = _parts(pointer)
    parent = _walk(doc, head)
    if isinstance(parent, list):
        if last == "-":
            parent.append(value)
        else:
            parent[int(last)] = value
    else:
        parent[last] = value


def remove_at(doc, pointer: str) -> None:
    *head, last = _parts(pointer)
    parent = _walk(doc, head)
    del parent[int(last) if isinstance(parent, list) else last]


def build(case: dict) -> dict:
    if "record" in case:
        return copy.deepcopy(case["record"])
    doc = minimal(case["minimal"])
    for pointer in case.get("remove", []):
        remove_at(doc, pointer)
    for pointer, value in case.get("set", {}).items():
        set_at(doc, pointer, value)
    return doc


def all_cases() -> list[tuple[str, str, Path]]:
    found = []
    for rule_dir in sorted(p for p in CASES.iterdir() if p.is_dir() and not p.name.startswith("_")):
        for kind in ("pass", "fail"):
            for path in sorted((rule_dir / kind).glob("*.json")):
                found.append((rule_dir.name, kind, path))
    return found


def run_case(path: Path, rule_id: str):
    """(findings of this rule, all findings) for a case file."""
    from permanence.forms.load import record_from_data
    from permanence.forms.validate import make_context, validate_record

    case = json.loads(path.read_text("utf-8"))
    record = record_from_data(build(case), str(path))
    ctx = make_context(case.get("profile", "england"), dt.date.fromisoformat(case.get("as_of", DEFAULT_AS_OF)))
    findings = validate_record(record, ctx)
    return case, [f for f in findings if f.rule_id == rule_id], findings


# -- the tests ---------------------------------------------------------------------------

import re  # noqa: E402

import pytest  # noqa: E402

from permanence.forms.registry import FORMS  # noqa: E402
from permanence.forms.rules import RULES, RuleContext, load_all_rules  # noqa: E402

load_all_rules()
CASE_LIST = all_cases()
ROOT = Path(__file__).resolve().parent.parent


def nested_brackets(text: str) -> bool:
    """A bracket inside a bracket: '(Warrington, Securing Permanence (2019) s.8.1)'."""
    depth = 0
    for ch in text:
        if ch == "(":
            depth += 1
            if depth > 1:
                return True
        elif ch == ")":
            depth = max(0, depth - 1)
    return False


@pytest.mark.parametrize("rule_id,kind,path", CASE_LIST, ids=[f"{r}/{k}/{p.stem}" for r, k, p in CASE_LIST])
def test_rule_case(rule_id, kind, path):
    assert rule_id in RULES, f"{path}: no rule called {rule_id}"
    case, mine, _ = run_case(path, rule_id)
    if kind == "fail":
        assert mine, f"{rule_id} found nothing in {path.name}: {case.get('note')}"
        if case.get("message_contains"):
            assert any(case["message_contains"] in f.message for f in mine), [f.message for f in mine]
        for f in mine:  # every message says what to do, with dates written the UK way
            assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", f.message), f.message
            assert f.label and f.source, f
            # what a person reads: no internal words, no citation inside the sentence
            assert "seed " not in f.message and "seed " not in f.source, f
            assert not re.search(r"(?<![\w'.])/[a-z_]+/", f.message), f.message  # no JSON pointer
            assert not nested_brackets(f.message), f.message

    else:
        assert mine == [], [f.message for f in mine]


def test_every_rule_has_a_passing_and_a_failing_case():
    kinds = {}
    for rule_id, kind, _ in CASE_LIST:
        kinds.setdefault(rule_id, set()).add(kind)
    missing = [r for r in RULES if kinds.get(r) != {"pass", "fail"}]
    assert missing == []


def test_case_folders_name_real_rules():
    assert sorted({r for r, _, _ in CASE_LIST} - set(RULES)) == []


# The rules issue 2 asks for by name (agreed before the rules and the invalid examples
# were written); more rules are welcome, none of these may go missing.
AGREED_RULE_IDS = (
    "dates-not-in-future",
    "dates-in-order",
    "age-matches-date-of-birth",
    "plan-contingency-required",
    "plan-contingency-differs",
    "decision-owner-and-date",
    "views-recorded",
    "attendance-required-roles",
    "carers-views-in-writing",
    "iro-consulted-date",
    "ppm-timescale-first",
    "ppm-next-booked",
    "permanence-plan-by-second-review",
    "panel-referral-notice",
    "gateway-documents",
    "gateway-papers-deadline",
    "gateway-early-permanence",
    "supervision-order-limits",
    "proceedings-26-weeks",
    "early-family-finding-considered",
    "matched-date",
    "case-legal-status-consistent",
)


def test_every_agreed_rule_id_is_implemented():
    assert sorted(set(AGREED_RULE_IDS) - set(RULES)) == []


def test_rule_ids_are_unique_and_the_registry_refuses_a_duplicate():
    from permanence.forms.rules import rule

    assert len({r.id for r in RULES.values()}) == len(RULES)
    with pytest.raises(ValueError):
        rule(next(iter(RULES)), severity="error", forms=["ppm-record"], source="x", summary="x")(lambda d, c: [])


SOURCE = re.compile(r"seed 00[0-4]|Regulations \d{4}|Act 19\d\d|Act 20\d\d|Public Law Outline|Practice Direction")


@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_rule_metadata(rule_id):
    r = RULES[rule_id]
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", r.id)
    assert r.severity.value in ("error", "warning")
    assert r.forms and set(r.forms) <= set(FORMS)
    assert r.summary.strip() and r.source.strip()
    assert SOURCE.search(r.source), f"{rule_id}: the source must name a seed or a regulation: {r.source}"


def _wrong_types(node):
    """The same shape with every leaf replaced by a value of the wrong type."""
    if isinstance(node, dict):
        return {k: _wrong_types(v) for k, v in node.items() if k != "form"} | ({"form": node["form"]} if "form" in node else {})
    if isinstance(node, list):
        return [_wrong_types(v) for v in node] + [None, 7, "x"]
    if isinstance(node, bool):
        return "yes"
    if isinstance(node, (int, float)):
        return "ten"
    if isinstance(node, str):
        return 12
    return {"unexpected": [1, 2]}


def _objects_for_leaves(node):
    """Every value that is not an object or list replaced by an (unhashable) object."""
    if isinstance(node, dict):
        return {k: (v if k == "form" else _objects_for_leaves(v)) for k, v in node.items()}
    if isinstance(node, list):
        return [_objects_for_leaves(v) for v in node] + [{"odd": True}, []]
    return {"odd": [node]}


def _odd_records(form):
    base = minimal(form)
    yield "empty", {}
    yield "form only", {"form": form}
    yield "minimal", base
    yield "wrong types", _wrong_types(base)
    yield "lists for objects", {k: ([] if isinstance(v, dict) else {}) for k, v in base.items() if k != "form"} | {"form": form}
    yield "nulls", {k: None for k in base} | {"form": form}
    yield "objects for values", _objects_for_leaves(base)
    yield "bad dates", json.loads(re.sub(r'"\d{4}-\d{2}-\d{2}"', '"2026-02-30"', json.dumps(base)))


@pytest.mark.parametrize("profile", ["england", "warrington", "south-east", "walsall", "west-sussex", "medway"])
@pytest.mark.parametrize("rule_id", sorted(RULES))
def test_rule_survives_empty_minimal_and_malformed_records(rule_id, profile):
    from permanence.forms.profiles import load_profile

    r = RULES[rule_id]
    ctx = RuleContext(profile=load_profile(profile), as_of=dt.date(2026, 11, 23))
    for form in r.forms:
        for what, record in _odd_records(form):
            try:
                issues = list(r.function(record, ctx) or [])
            except Exception as exc:  # noqa: BLE001 - the point of the test
                pytest.fail(f"{rule_id} crashed on a {what} {form} record under {profile}: {type(exc).__name__}: {exc}")
            for issue in issues:
                assert isinstance(issue.path, list) and issue.message.strip()
                assert issue.severity in (None, "warning")


@pytest.mark.parametrize("form", sorted(FORMS))
def test_minimal_records_are_valid_under_every_profile(form):
    from permanence.forms.load import record_from_data
    from permanence.forms.validate import make_context, validate_record

    for profile in ["england", "warrington", "south-east", "walsall", "west-sussex", "medway"]:
        ctx = make_context(profile, dt.date(2026, 11, 23))
        findings = validate_record(record_from_data(minimal(form), form), ctx)
        assert findings == [], (profile, [(f.rule_id, f.message) for f in findings])


def test_a_crashing_rule_is_reported_as_its_own_error_and_the_run_goes_on(monkeypatch):
    from permanence.forms.load import record_from_data
    from permanence.forms.validate import make_context, validate_record

    def boom(data, ctx):
        raise ZeroDivisionError

    original = RULES["views-recorded"]
    monkeypatch.setitem(RULES, "views-recorded", original.__class__(**{**original.__dict__, "function": boom}))
    from permanence.forms import validate as validate_module

    monkeypatch.setattr(validate_module, "_RULES_FOR", {})
    record = record_from_data({**minimal("ppm-record"), "contingency_plans": []}, "x")
    findings = validate_record(record, make_context("warrington", dt.date(2026, 11, 23)))
    crashed = [f for f in findings if f.rule_id == "views-recorded"]
    assert len(crashed) == 1 and "could not be checked" in crashed[0].message
    assert any(f.rule_id == "plan-contingency-required" for f in findings)


def test_rules_read_their_periods_from_the_profile():
    """Under a profile with no timescales or settings, no timescale rule can find
    anything late: every period comes from the profile, none from the code."""
    from permanence.forms.profiles import Profile

    bare = RuleContext(profile=Profile(id="bare", data={"timescales": {}}), as_of=dt.date(2026, 11, 23))
    profile_driven = {"ppm-timescale-first", "ppm-review-interval", "ppm-next-booked", "proceedings-26-weeks", "review-timescale",
                      "panel-referral-notice", "gateway-papers-deadline", "gateway-documents", "panel-timescale",
                      "gateway-review-timescale", "pre-proceedings-duration", "supervision-order-limits",
                      "supervision-order-gateway-review", "permanence-plan-by-second-review", "attendance-required-roles",
                      "carers-views-in-writing"}
    for rule_id, kind, path in CASE_LIST:
        if rule_id in profile_driven and kind == "fail":
            record = build(json.loads(path.read_text("utf-8")))
            issues = [i for i in RULES[rule_id].function(record, bare) or [] if i.severity != "warning" or rule_id != "supervision-order-limits"]
            assert issues == [], (rule_id, path.name, [i.message for i in issues])
