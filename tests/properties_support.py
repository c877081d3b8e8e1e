"""Hypothesis strategies for records of every form, shared by tests/test_properties.py (a
small, fixed budget) and bench/fuzz.py (a longer run).

A record is drawn as one of the example records of its form (what a real one looks like:
every rule and check has something to work on) with some of its leaves replaced by values
drawn from that field's own schema (hypothesis-jsonschema: a valid record), and then,
for the mutated kind, with hostile changes: a field deleted, a value of the wrong type,
text with control characters, very long or odd numbers, deep lists."""
from __future__ import annotations

import copy
import json
from functools import lru_cache
from pathlib import Path

from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


@lru_cache(maxsize=None)
def seeds() -> dict[str, list[dict]]:
    """form -> the example records of that form (case journeys included)."""
    found: dict[str, list[dict]] = {}
    for path in sorted(EXAMPLES.rglob("*.json")) + sorted((ROOT / "tests/cases/templates").glob("*.json")):
        if "invalid" in path.parts or "tracker-expected" in path.parts or path.name.endswith("expected-audit.json"):
            continue
        try:
            data = json.loads(path.read_text("utf-8"))
        except ValueError:
            continue
        if isinstance(data, dict) and isinstance(data.get("form"), str):
            found.setdefault(data["form"], []).append(data)
    return found


def leaves(data, path=()):
    """(path, value) of every leaf, in a stable order."""
    if isinstance(data, dict):
        for key in sorted(data):
            yield from leaves(data[key], path + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from leaves(value, path + (i,))
    else:
        yield path, data


def _put(data, path, value):
    node = data
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value


def _delete(data, path):
    node = data
    for part in path[:-1]:
        node = node[part]
    del node[path[-1]]


@lru_cache(maxsize=None)
def _leaf_strategy(form: str, path: tuple):
    """Values valid for one field, from its schema; None when it has no plain schema."""
    from hypothesis_jsonschema import from_schema

    from permanence.forms.schema import subschema_at

    schema = subschema_at(form, [str(p) if isinstance(p, int) else p for p in path])
    if not isinstance(schema, dict) or any(k in schema for k in ("$ref", "properties", "items", "allOf", "anyOf", "oneOf", "if")):
        return None
    schema = {k: v for k, v in schema.items() if k not in ("title", "description", "$comment", "examples", "x-labels", "x-source")}
    if schema.get("type") == "string" and "format" not in schema and "enum" not in schema and "pattern" not in schema:
        # Text as people write it (letters, digits, punctuation, accents, curly quotes), kept
        # short so the suite stays quick; the longer run in bench/fuzz.py draws the same way.
        return st.text(alphabet=st.characters(codec="utf-8", categories=("L", "N", "P", "Zs"),
                                              exclude_characters="\u2028\u2029\u00a0"),
                       min_size=1, max_size=min(int(schema.get("maxLength", 60)), 60)).map(lambda s: " ".join(s.split()) or "x")
    try:
        return from_schema(schema)
    except Exception:  # noqa: BLE001 - a schema keyword hypothesis-jsonschema cannot draw: leave the leaf
        return None


@st.composite
def valid_records(draw, forms=None):
    """An example record of a form with some fields redrawn from their own schema."""
    form = draw(st.sampled_from(sorted(forms or seeds())))
    data = copy.deepcopy(draw(st.sampled_from(seeds()[form])))
    candidates = [(p, v) for p, v in leaves(data) if p and p[0] not in ("form", "version")]
    for index in draw(st.lists(st.integers(0, len(candidates) - 1), max_size=4, unique=True)):
        path, _ = candidates[index]
        strategy = _leaf_strategy(form, path)
        if strategy is not None:
            _put(data, path, draw(strategy))
    return data


HOSTILE_TEXT = st.sampled_from([
    "", " ", "\x00\x07\x1b", "line\r\nbreak", "\u202eevil", "=cmd|' /C calc'!A0", "{{ config }}", "{% raw %}",
    "<w:t>", "&lt;&amp;", "\ufffe\uffff", "half \ud800 a character", "Zoë’s “quote”", "9" * 400, "x" * 5000, "2026-13-45", "31/02/2026",
])
ODD_VALUES = st.one_of(
    HOSTILE_TEXT, st.none(), st.booleans(), st.integers(-2**70, 2**70), st.floats(allow_nan=True, allow_infinity=True),
    st.lists(HOSTILE_TEXT, max_size=3), st.dictionaries(st.sampled_from(["a", "date", "event", "id"]), HOSTILE_TEXT, max_size=3),
    st.recursive(st.just([]), lambda inner: st.lists(inner, min_size=1, max_size=1), max_leaves=20),
)


def _json_safe(value):
    """What a JSON file can hold: NaN and infinities are written as huge numbers' text."""
    return json.loads(json.dumps(value, allow_nan=True).replace("NaN", '"NaN"').replace("Infinity", '"Infinity"'))


@st.composite
def mutated_records(draw, forms=None):
    """A valid record, then up to four hostile changes anywhere in it."""
    data = draw(valid_records(forms))
    for _ in range(draw(st.integers(1, 4))):
        candidates = [p for p, _ in leaves(data) if p]
        if not candidates:
            break
        path = candidates[draw(st.integers(0, len(candidates) - 1))]
        kind = draw(st.sampled_from(["delete", "replace", "replace_parent"]))
        if kind == "delete" and path[0] != "form":
            _delete(data, path)
        elif kind == "replace_parent" and len(path) > 1:
            _put(data, path[:-1], _json_safe(draw(ODD_VALUES)))
        else:
            _put(data, path, _json_safe(draw(ODD_VALUES)))
    return data
