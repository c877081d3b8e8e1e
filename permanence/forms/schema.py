"""Schemas: loaded once from the package, resolved through a local registry (no network),
and asked for the label of any field."""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from permanence.forms.registry import FORMS, get_form

BASE = "https://schemas.permanence.invalid/"


@lru_cache(maxsize=None)
def _raw(filename: str) -> dict:
    return json.loads(resources.files("permanence.schemas").joinpath(filename).read_text("utf-8"))


@lru_cache(maxsize=1)
def registry() -> Registry:
    """Every schema of the package, by its $id. Passing a registry also turns off
    jsonschema's deprecated habit of fetching unknown $refs from the network."""
    files = ["common.schema.json"] + [f.schema_file for f in FORMS.values()]
    resources_ = [DRAFT202012.create_resource(_raw(name)) for name in files]
    return Registry().with_resources((r.contents["$id"], r) for r in resources_)


def schema_for(form: str) -> dict:
    return _raw(get_form(form).schema_file)


@lru_cache(maxsize=None)
def validator_for(form: str):
    """A jsonschema Draft202012Validator for the form (jsonschema is imported only here:
    it takes about a second to import, and a valid record never needs it)."""
    from jsonschema import Draft202012Validator

    schema = schema_for(form)
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, registry=registry(), format_checker=Draft202012Validator.FORMAT_CHECKER)


def resolve(node: dict, base_id: str) -> tuple[dict, str]:
    """Follow a $ref (keeping the title and description written beside it)."""
    seen = 0
    while isinstance(node, dict) and "$ref" in node and seen < 20:
        ref = node["$ref"]
        target_uri = ref if ref.startswith("http") else (
            BASE + ref if not ref.startswith("#") else base_id + ref
        )
        doc_uri, _, fragment = target_uri.partition("#")
        target = registry().contents(doc_uri)
        for part in filter(None, fragment.split("/")):
            target = target[part]
        merged = dict(target)
        for key in ("title", "description"):
            if key in node:
                merged[key] = node[key]
        node, base_id = merged, doc_uri
        seen += 1
    return node, base_id


def subschema_at(form: str, pointer_parts: list) -> dict | None:
    """The (resolved) schema of the field at a path, or None if the schema has none."""
    schema = schema_for(form)
    base = schema["$id"]
    node, base = resolve(schema, base)
    for part in pointer_parts:
        if not isinstance(node, dict):
            return None
        if isinstance(part, int) or (isinstance(part, str) and part.isdigit() and "items" in node):
            nxt = node.get("items")
        else:
            nxt = node.get("properties", {}).get(part)
        if nxt is None:
            return None
        node, base = resolve(nxt, base)
    return node


def _is_row(form: str, pointer_parts: list) -> bool:
    """Whether the list entry at a path is a row of a table on the Word form: an object
    whose fields are all single values (the Word layout's rule, without its column limit)."""
    schema = schema_for(form)
    node, base = resolve(schema, schema["$id"])
    for part in pointer_parts:
        if not isinstance(node, dict):
            return False
        if isinstance(part, int) and node.get("x-layout") == "sections":
            return False  # a list shown one entry after another (photographs), not as a table
        nxt = node.get("items") if isinstance(part, int) else node.get("properties", {}).get(part)
        if nxt is None:
            return False
        node, base = resolve(nxt, base)
    props = node.get("properties") if isinstance(node, dict) else None
    if not props:
        return False
    for sub in props.values():
        sub, _ = resolve(sub, base)
        if sub.get("type") in ("object", "array") or "properties" in sub or "items" in sub:
            return False
    return True


def label_for(form: str, pointer_parts: list) -> str:
    """The form's own words for a field, e.g. 'Contingency plans, item 2: Plan', or
    'People involved in developing this plan, row 3: Report received' for a table's row."""
    labels: list[str] = []
    for depth in range(1, len(pointer_parts) + 1):
        part = pointer_parts[depth - 1]
        if isinstance(part, int):
            if labels:
                word = "row" if _is_row(form, list(pointer_parts[:depth])) else "item"
                labels[-1] = f"{labels[-1]}, {word} {part + 1}"
            continue
        node = subschema_at(form, pointer_parts[:depth])
        labels.append(node.get("title", str(part)) if node else str(part).replace("_", " "))
    if not labels:
        return get_form(form).title
    return ": ".join(labels)


def enum_label(schema: dict, value) -> str:
    """The human label of an enumerated value."""
    labels = schema.get("x-enum-labels")
    values = schema.get("enum", [])
    if labels and value in values:
        return labels[values.index(value)]
    return str(value)
