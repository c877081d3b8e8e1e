"""Choices as people write them, and findings in the order of the form.

In JSON or YAML a choice may be written as its code ('foster_care'), its label written
any way ('Foster care', 'foster care'), or an everyday abbreviation kept as data in the
schema (x-enum-abbreviations: 'SGO', 'ICO', 'S20'). read_choices() reads such a value as
the code, in the record as loaded (never in the file), and says once which values it
read that way. A value that is only close to a choice ('intrim care order') is still the
schema's finding, with "Did you mean ...?".
"""
from __future__ import annotations

import difflib
import json
import re
from functools import lru_cache

READ_AS_CODE_RULE = "schema-choice-read"


def _norm(text: str) -> str:
    """A choice as typed, compared without case, spaces or punctuation: 'S.20' as 's20'."""
    return re.sub(r"[^0-9a-z]", "", text.casefold())


@lru_cache(maxsize=256)
def _choices_by_words(node_json: str) -> dict[str, str]:
    """{what a user might type, normalised: the enum code} for an enumeration: its codes, its
    labels, then its everyday abbreviations (x-enum-abbreviations, each citing its source)."""
    node = json.loads(node_json)
    options = [str(v) for v in node.get("enum", [])]
    table: dict[str, str] = {}
    abbreviations = node.get("x-enum-abbreviations") or {}
    for short, entry in abbreviations.items():
        code = entry.get("code") if isinstance(entry, dict) else None
        if code in options:
            table[_norm(short)] = code
    labels = node.get("x-enum-labels") or []
    for code, words in zip(options, labels if len(labels) == len(options) else options):
        table[_norm(str(words))] = code
    for code in options:
        table[_norm(code)] = code
    table.pop("", None)
    return table


def suggest_choice(value, node: dict) -> str | None:
    """The enum code a value not among the choices most likely means: the same code or label
    written another way ('Care Order', 'care-order'), an everyday abbreviation ('ICO', 'S20',
    'SGO'), else the closest spelling; None if nothing is close."""
    import difflib

    options = [str(v) for v in node.get("enum", [])]
    if isinstance(value, str):
        key = json.dumps({k: node.get(k) for k in ("enum", "x-enum-labels", "x-enum-abbreviations")}, sort_keys=True)
        found = _choices_by_words(key).get(_norm(value))
        if found is not None:
            return found
    close = difflib.get_close_matches(str(value), options, n=1, cutoff=0.6)
    return close[0] if close else None


def exact_choice(value, node: dict) -> str | None:
    """The code a value is the same as (a code or label written another way, or an
    everyday abbreviation), or None: never a guess from spelling."""
    if not isinstance(value, str):
        return None
    key = json.dumps({k: node.get(k) for k in ("enum", "x-enum-labels", "x-enum-abbreviations")}, sort_keys=True)
    return _choices_by_words(key).get(_norm(value))


def _set(data, path: list, value) -> None:
    node = data
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value


def read_choices(record, errors) -> list[tuple[list, str, str]]:
    """Rewrite, in record.data, every value that the schema refused as a choice but that is
    exactly a choice written another way. errors: the schema's errors for the record.
    Returns (path, value as written, code) for each, in the order of the record."""
    read = []
    for error in errors:
        if error.validator != "enum" or not isinstance(error.schema, dict):
            continue
        code = exact_choice(error.instance, error.schema)
        if code is None or code == error.instance:
            continue
        path = list(error.absolute_path)
        try:
            _set(record.data, path, code)
        except (KeyError, IndexError, TypeError):
            continue
        read.append((path, error.instance, code))
    return read


def read_note(form: str, read: list[tuple[list, str, str]], label_of) -> str:
    """One sentence naming every value read as a choice's code."""
    from permanence.forms import schema as schemas

    parts = []
    for path, written, code in read[:12]:
        node = schemas.subschema_at(form, list(path)) or {}
        shown = schemas.enum_label(node, code)
        parts.append(f"'{written}' in {label_of(form, path)} as {shown} ('{code}')")
    more = f", and {len(read) - 12} more" if len(read) > 12 else ""
    return ("Read " + "; ".join(parts) + more + ". Nothing needs changing; the form's own codes are "
            "listed in docs/forms.")


# -- the order of the form ---------------------------------------------------------------

@lru_cache(maxsize=4096)
def _position(form: str, parts: tuple) -> tuple:
    """Where a field comes on the form: the index of each name among its siblings in the
    schema (an unknown name after the known ones), list entries by their number."""
    from permanence.forms import schema as schemas

    key = []
    for depth, part in enumerate(parts):
        if isinstance(part, int):
            key.append((0, part))
            continue
        parent = schemas.subschema_at(form, list(parts[:depth])) or {}
        names = list(parent.get("properties", {}))
        key.append((0, names.index(part)) if part in names else (1, 0))
    return tuple(key)


def pointer_parts(pointer: str) -> tuple:
    parts = []
    for raw in pointer.split("/")[1:]:
        part = raw.replace("~1", "/").replace("~0", "~")
        parts.append(int(part) if part.isascii() and part.isdigit() else part)
    return tuple(parts)


def in_form_order(form: str, findings: list) -> list:
    """Findings as the form reads, top to bottom: a field's errors before its warnings."""
    return sorted(findings, key=lambda f: (_position(form, pointer_parts(f.pointer)), f.severity.value != "error", f.rule_id))
