"""Meta-tests over the schemas: they are valid 2020-12, resolve offline, and every
property has a title and a description a social worker understands."""
from __future__ import annotations

import json
from importlib import resources

import pytest
from jsonschema import Draft202012Validator

from permanence.forms import schema as schemas
from permanence.forms.registry import FORMS


def _walk(node, path=""):
    if isinstance(node, dict):
        for name, prop in node.get("properties", {}).items():
            yield f"{path}/{name}", prop
            yield from _walk(prop, f"{path}/{name}")
        for key in ("items", "$defs"):
            sub = node.get(key)
            if isinstance(sub, dict) and key == "items":
                yield from _walk(sub, f"{path}/items")
            elif isinstance(sub, dict):
                for name, d in sub.items():
                    yield from _walk(d, f"{path}/$defs/{name}")


@pytest.mark.parametrize("form", sorted(FORMS))
def test_schema_is_valid_and_builds_a_validator(form):
    schema = schemas.schema_for(form)
    Draft202012Validator.check_schema(schema)
    assert schema["properties"]["form"]["const"] == form
    assert "version" in schema["required"] and "form" in schema["required"]
    assert schemas.validator_for(form) is schemas.validator_for(form)  # built once


@pytest.mark.parametrize("filename", sorted(
    [f.schema_file for f in FORMS.values()] + ["common.schema.json"]))
def test_every_property_has_title_and_description(filename):
    schema = json.loads(resources.files("permanence.schemas").joinpath(filename).read_text("utf-8"))
    missing = []
    for path, prop in _walk(schema):
        if "$ref" in prop and ("title" not in prop or "description" not in prop):
            target, _ = schemas.resolve(prop, schema["$id"])
            if target.get("title") and target.get("description"):
                continue
        if not prop.get("title") or not prop.get("description"):
            missing.append(path)
    assert missing == []


@pytest.mark.parametrize("filename", sorted(
    [f.schema_file for f in FORMS.values()] + ["common.schema.json"]))
def test_enumerations_have_a_label_for_every_value(filename):
    text = resources.files("permanence.schemas").joinpath(filename).read_text("utf-8")

    def enums(node):
        if isinstance(node, dict):
            if "enum" in node:
                yield node
            for v in node.values():
                yield from enums(v)
        elif isinstance(node, list):
            for v in node:
                yield from enums(v)

    for node in enums(json.loads(text)):
        assert len(node.get("x-enum-labels", [])) == len(node["enum"]), node["enum"]


def test_no_ref_leaves_the_package():
    """Every $ref resolves through the local registry."""
    for form in FORMS:
        schema = schemas.schema_for(form)
        text = json.dumps(schema)
        assert "http://" not in text
        for ref in [p for p in text.split('"$ref": "')[1:]]:
            target = ref.split('"')[0]
            assert target.startswith("#") or target.startswith("common.schema.json#"), target


def test_labels_come_from_the_schema():
    assert schemas.label_for("ppm-record", ["iro_consulted_date"]) == "Date the IRO was consulted"
    assert schemas.label_for("ppm-record", ["contingency_plans", 1, "option"]) == "Contingency plans, row 2: Plan"
    assert schemas.label_for("ppm-record", ["attendees", 2, "report_received"]) == \
        "People involved in developing this plan, row 3: Report received"  # a row of the attendance table
    assert schemas.label_for("cpr", ["birth_parents", 0, "name"]).startswith("Birth parents, item 1")
    assert schemas.label_for("cpr", ["birth_parents", 0, "history", "childhood"]).endswith("Childhood")


def _abbreviated_enums():
    """(definition, node) of every enumeration with everyday abbreviations, in every schema."""
    found = []
    for filename in sorted([f.schema_file for f in FORMS.values()] + ["common.schema.json"]):
        doc = json.loads(resources.files("permanence.schemas").joinpath(filename).read_text("utf-8"))
        stack = [(filename, doc)]
        while stack:
            where, node = stack.pop()
            if isinstance(node, dict):
                if "x-enum-abbreviations" in node:
                    found.append((where, node))
                stack.extend((f"{where}/{k}", v) for k, v in node.items())
            elif isinstance(node, list):
                stack.extend((where, v) for v in node)
    return found


def test_every_abbreviation_maps_to_a_real_choice_and_cites_its_source():
    from permanence.forms.validate import _norm

    found = _abbreviated_enums()
    assert {w.rsplit("/", 1)[-1] for w, _ in found} >= {"legal_status", "placement_type", "permanence_option"}
    for where, node in found:
        codes = node["enum"]
        labels = node.get("x-enum-labels", codes)
        taken = {_norm(c): c for c in codes} | {_norm(lab): c for c, lab in zip(codes, labels)}
        for short, entry in node["x-enum-abbreviations"].items():
            assert set(entry) == {"code", "source"}, (where, short)
            assert entry["code"] in codes, f"{where}: {short} maps to {entry['code']!r}, not one of its choices"
            assert "DOMAIN.md Glossary" in entry["source"], f"{where}: {short} should cite (or say it is not in) the Glossary"
            # an abbreviation must not be another choice's code or label written another way
            assert taken.get(_norm(short), entry["code"]) == entry["code"], (where, short)
        shorts = [_norm(s) for s in node["x-enum-abbreviations"]]
        assert len(shorts) == len(set(shorts)), f"{where}: two abbreviations read the same"
