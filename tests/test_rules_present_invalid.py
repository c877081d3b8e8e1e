"""A field written but invalid is present, not missing: for every rule and every date of
the bundled records, a date written the UK way (14/03/2026) gets the schema's one finding,
"write 14/03/2026 as 2026-03-14", and no rule answers it with a contradictory "add the
date" (NEW-USER-REPORT item 7: a PPM's plan date typed 17.12.25 also drew "Add the date of
the permanence plan" from permanence-plan-by-second-review)."""
from __future__ import annotations

import copy
import datetime as dt
import json
import re
from pathlib import Path

import pytest

from permanence.forms.load import Record, record_from_data
from permanence.forms.validate import make_context, pointer, rule_findings, schema_findings, validate_record

ROOT = Path(__file__).resolve().parent.parent
ISO = re.compile(r"^\d{4}-\d{2}-\d{2}$")
AS_OF = dt.date(2026, 11, 23)


def _records() -> list[Path]:
    found = sorted((ROOT / "tests" / "cases" / "rules" / "_minimal").glob("*.json"))
    found += sorted((ROOT / "examples" / "caseload").rglob("*.json"))
    return found


def _dates(node, path=()):
    """(path, value) of every ISO date in a record."""
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _dates(value, path + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _dates(value, path + (i,))
    elif isinstance(node, str) and ISO.match(node):
        yield path, node


def _set(doc, path, value):
    node = doc
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value


RECORDS = _records()


@pytest.mark.parametrize("path", RECORDS, ids=[p.relative_to(ROOT).as_posix() for p in RECORDS])
def test_a_date_written_the_uk_way_is_one_schema_finding_and_no_rule_says_add_it(path):
    data = json.loads(path.read_text("utf-8"))
    ctx = make_context("warrington", AS_OF)
    dates = list(_dates(data))
    assert dates, f"{path.name} holds no dates to try"
    for where, iso in dates:
        day = dt.date.fromisoformat(iso)
        typed = day.strftime("%d/%m/%Y")
        doc = copy.deepcopy(data)
        _set(doc, where, typed)
        record = record_from_data(doc, str(path))
        at = pointer(where)
        schema = [f for f in schema_findings(record) if f.pointer == at]
        if not schema:
            continue  # a free-text field that happens to hold a date
        assert [f.rule_id for f in schema] == ["schema-date"], [f.message for f in schema]
        assert f"write {typed} as {iso}" in schema[0].message.lower(), schema[0].message
        rules = [f for f in rule_findings(record, ctx) if f.pointer == at]
        assert rules == [], f"{path.name} {at} = {typed!r}: {[(f.rule_id, f.message) for f in rules]}"


@pytest.mark.parametrize("typed,says", [
    ("14/03/2026", "Write 14/03/2026 as 2026-03-14"),
    ("14.03.2026", "Write 14.03.2026 as 2026-03-14"),
    ("14-03-2026", "Write 14-03-2026 as 2026-03-14"),
    ("17.12.25", "Write 17.12.25 as 2025-12-17 (year-month-day), if you mean 17 December 2025"),
    ("31/02/2026", "'31/02/2026' is not a real date: February 2026 has 28 days"),
    ("03/14/2026", "there is no month 14 (dates are written day first: did you mean 14/03/2026?)"),
    ("next week", "'next week' is not a real date. Write it as YYYY-MM-DD, for example 2026-03-14."),
])
def test_the_plan_date_typed_another_way_gets_one_finding_that_says_what_to_write(typed, says):
    doc = json.loads((ROOT / "tests" / "cases" / "rules" / "_minimal" / "ppm-record.json").read_text("utf-8"))
    doc["permanence_plan_date"] = typed
    doc["statutory_review_count"] = 3  # permanence-plan-by-second-review looks at the plan date
    findings = validate_record(record_from_data(doc, "ppm.json"), make_context("warrington", AS_OF))
    about = [f for f in findings if f.pointer == "/permanence_plan_date"]
    assert [f.rule_id for f in about] == ["schema-date"], [(f.rule_id, f.message) for f in about]
    assert says in about[0].message
    assert not [f for f in findings if f.rule_id == "permanence-plan-by-second-review"]


def test_a_word_form_gets_advice_for_word():
    doc = json.loads((ROOT / "tests" / "cases" / "rules" / "_minimal" / "ppm-record.json").read_text("utf-8"))
    doc["permanence_plan_date"] = "17.12.25"
    findings = schema_findings(Record(form="ppm-record", data=doc, path="ppm.docx"))
    assert [f.message for f in findings] == [
        "'17.12.25' has a two-digit year: type the year in full, 17/12/2025 (if you mean 17 December 2025)."]


def test_a_missing_required_field_is_one_finding_not_the_schemas_and_a_rules():
    base = json.loads((ROOT / "tests" / "cases" / "rules" / "_minimal" / "ppm-record.json").read_text("utf-8"))
    ctx = make_context("warrington", AS_OF)
    for field in ("contingency_plans", "permanence_plan_date"):
        doc = copy.deepcopy(base)
        doc["statutory_review_count"] = 3
        del doc[field]
        findings = validate_record(record_from_data(doc, "ppm.json"), ctx)
        about = [(f.rule_id, f.message) for f in findings if f.pointer == f"/{field}"]
        assert [r for r, _ in about] == ["schema-required"], about
    # where the schema does not require the field, the rule still asks for it
    doc = json.loads((ROOT / "tests" / "cases" / "rules" / "_minimal" / "gateway-referral.json").read_text("utf-8"))
    doc.pop("contingency_plans", None)
    findings = validate_record(record_from_data(doc, "gateway.json"), ctx)
    assert [f.rule_id for f in findings if f.pointer == "/contingency_plans"] == ["plan-contingency-required"]


def test_a_value_of_the_wrong_kind_or_blank_is_one_finding():
    doc = json.loads((ROOT / "tests" / "cases" / "rules" / "_minimal" / "ppm-record.json").read_text("utf-8"))
    assert doc["decisions"], "the minimal PPM record has a decision"
    doc["decisions"][0]["responsible"] = 5  # written, but not text: the schema's finding, not "Add the person responsible"
    doc["decisions"][0]["target_date"] = ""  # blank: the schema and the rule would both say so
    findings = validate_record(record_from_data(doc, "ppm.json"), make_context("warrington", AS_OF))
    by_pointer = {}
    for f in findings:
        by_pointer.setdefault(f.pointer, []).append((f.rule_id, f.message))
    assert [r for r, _ in by_pointer["/decisions/0/responsible"]] == ["schema-type"]
    assert by_pointer["/decisions/0/target_date"] == [
        ("schema-date", "The date is empty. Fill it in (YYYY-MM-DD, for example 2026-03-14) or remove the field.")]
