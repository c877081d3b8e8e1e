"""The compiled yes/no check of a form's schema (used by permanence.forms.validate).

jsonschema walks the schema for every record (about a millisecond for a PPM record).
Most records are valid, so each form's schema is compiled once into plain Python that
answers only "valid or not"; a record it fails goes to jsonschema for the findings."""
from __future__ import annotations

import datetime as dt
import json
import logging
import re
from functools import lru_cache

from permanence.forms import schema as schemas

log = logging.getLogger(__name__)


# -- a compiled yes/no check of the schema ---------------------------------------------
# jsonschema walks the schema for every record (about a millisecond for a PPM record).
# Most records are valid, so each form's schema is compiled once into plain Python (the
# source of one small function per schema node) that answers only "valid or not"; a
# record it passes has no schema findings, and a record it fails goes to jsonschema for
# the full, plain-English findings. The compiler knows the keywords our schemas use and
# refuses any other (the form then goes straight to jsonschema), and
# tests/test_forms_load.py checks it agrees with jsonschema on thousands of records.

class _Unsupported(Exception):
    pass


_ANNOTATIONS = {"title", "description", "$schema", "$id", "$comment", "$defs", "examples", "default", "deprecated"}
_KEYWORDS = {"$ref", "type", "enum", "const", "pattern", "format", "minLength", "maxLength", "minimum", "maximum",
             "items", "minItems", "maxItems", "uniqueItems", "properties", "required", "additionalProperties"}
_TYPE_TEST = {
    "object": "isinstance(v, dict)",
    "array": "isinstance(v, list)",
    "string": "isinstance(v, str)",
    "boolean": "(v is True or v is False)",
    "integer": "((isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, float) and v.is_integer()))",
    "number": "(isinstance(v, (int, float)) and not isinstance(v, bool))",
    "null": "v is None",
}


_RE_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)


def _is_date(value: str) -> bool:
    """jsonschema's "date" format check (jsonschema._format.is_date, ValueError meaning no)."""
    try:
        return bool(_RE_DATE.fullmatch(value) and dt.date.fromisoformat(value))
    except ValueError:
        return False


def _unique(values: list) -> bool:
    """uniqueItems: exact for lists of text (all our schemas hold); anything else is left
    to jsonschema's own test."""
    if all(type(v) is str for v in values):
        return len(set(values)) == len(values)
    from jsonschema._utils import uniq

    return uniq(values)


class _Compiler:
    """Writes one function per schema node; identical nodes share a function."""

    def __init__(self):
        self.lines: list[str] = []
        self.names: dict[str, object] = {}
        self.done: dict[str, str] = {}

    def const(self, value) -> str:
        name = f"K{len(self.names)}"
        self.names[name] = value
        return name

    def node(self, node, base: str, depth: int = 0) -> str | None:
        """The name of the function checking `node`, or None if it accepts everything."""
        if depth > 40:
            raise _Unsupported("depth")
        if node is True or node == {}:
            return None
        if not isinstance(node, dict):
            raise _Unsupported(repr(node))
        key = json.dumps([node, base], sort_keys=True, default=str)
        if key in self.done:
            return self.done[key]
        for keyword in node:
            if keyword not in _ANNOTATIONS and keyword not in _KEYWORDS and not keyword.startswith("x-"):
                raise _Unsupported(keyword)
        body: list[str] = []
        if "$ref" in node:
            target, target_base = schemas.resolve({"$ref": node["$ref"]}, base)
            ref = self.node(target, target_base, depth + 1)
            if ref:
                body.append(f"if not {ref}(v): return False")
        kind = node.get("type")
        if kind is not None:
            if not isinstance(kind, str) or kind not in _TYPE_TEST:
                raise _Unsupported(f"type {kind!r}")
            body.append(f"if not {_TYPE_TEST[kind]}: return False")
        if "enum" in node or "const" in node:
            values = node["enum"] if "enum" in node else [node["const"]]
            if not all(type(x) is str for x in values):
                raise _Unsupported("an enum of values other than text")
            body.append(f"if type(v) is not str or v not in {self.const(frozenset(values))}: return False")
        text: list[str] = []
        if "pattern" in node:
            text.append(f"if {self.const(re.compile(node['pattern']).search)}(v) is None: return False")
        if "format" in node:
            if node["format"] != "date":
                raise _Unsupported(f"format {node['format']}")
            text.append(f"if not {self.const(_is_date)}(v): return False")
        if "minLength" in node:
            text.append(f"if len(v) < {int(node['minLength'])}: return False")
        if "maxLength" in node:
            text.append(f"if len(v) > {int(node['maxLength'])}: return False")
        if text:
            body.append("if isinstance(v, str):")
            body.extend("    " + line for line in text)
        if "minimum" in node or "maximum" in node:
            body.append("if isinstance(v, (int, float)) and not isinstance(v, bool):")
            if "minimum" in node:
                body.append(f"    if v < {self.const(node['minimum'])}: return False")
            if "maximum" in node:
                body.append(f"    if v > {self.const(node['maximum'])}: return False")
        if any(k in node for k in ("items", "minItems", "maxItems", "uniqueItems")):
            item = self.node(node["items"], base, depth + 1) if "items" in node else None
            array = []
            if node.get("minItems"):
                array.append(f"if len(v) < {int(node['minItems'])}: return False")
            if "maxItems" in node:
                array.append(f"if len(v) > {int(node['maxItems'])}: return False")
            if node.get("uniqueItems") is True:
                array.append(f"if not {self.const(_unique)}(v): return False")
            if item:
                array.append("for x in v:")
                array.append(f"    if not {item}(x): return False")
            if array:
                body.append("if isinstance(v, list):")
                body.extend("    " + line for line in array)
        if any(k in node for k in ("properties", "required", "additionalProperties")):
            extra = node.get("additionalProperties", True)
            if extra is not False and extra is not True:
                raise _Unsupported("additionalProperties with a schema")
            props = {name: self.node(sub, base, depth + 1) for name, sub in node.get("properties", {}).items()}
            obj = []
            for name in node.get("required", ()):
                obj.append(f"if {name!r} not in v: return False")
            if extra is False:
                obj.append(f"if not {self.const(frozenset(props))}.issuperset(v): return False")
            for name, check in props.items():
                if check:
                    obj.append(f"x = v.get({name!r}, MISSING)")
                    obj.append(f"if x is not MISSING and not {check}(x): return False")
            if obj:
                body.append("if isinstance(v, dict):")
                body.extend("    " + line for line in obj)
        if not body:
            self.done[key] = None
            return None
        name = f"f{len(self.done)}"
        self.done[key] = name
        self.lines.append(f"def {name}(v):")
        self.lines.extend("    " + line for line in body)
        self.lines.append("    return True")
        self.lines.append("")
        return name

    def build(self, schema: dict):
        """(check of the whole record, {top-level field: check of that field})."""
        top = self.node(schema, schema["$id"])
        fields = {name: self.node(sub, schema["$id"], 1) for name, sub in schema.get("properties", {}).items()}
        namespace = dict(self.names, MISSING=object())
        exec(compile("\n".join(self.lines), f"<compiled schema {schema['$id']}>", "exec"), namespace)  # noqa: S102 - our own schema's code
        everything = lambda v: True  # noqa: E731
        return namespace[top] if top else everything, {n: namespace[f] if f else everything for n, f in fields.items()}


def fast_check(form: str):
    """The compiled check for a form, or None if its schema uses a keyword the compiler does not know."""
    parts = _fast_parts(form)
    return parts[0] if parts else None


@lru_cache(maxsize=None)
def _fast_parts(form: str):
    schema = schemas.schema_for(form)
    try:
        return _Compiler().build(schema)
    except _Unsupported as exc:
        log.info("schema of %s not compiled (%s); using jsonschema only", form, exc)
        return None
