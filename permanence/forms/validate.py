"""Validate a record: its schema, then the business rules, as Findings."""
from __future__ import annotations

import datetime as dt
import logging
import re
from functools import lru_cache

from permanence.findings import Finding, Severity
from permanence.forms import schema as schemas
from permanence.forms.load import Record
from permanence.forms.rules import Rule, RuleContext, load_all_rules

log = logging.getLogger(__name__)

SCHEMA_SOURCE = "the form's schema (permanence/schemas)"


@lru_cache(maxsize=4096)
def _label(form: str, parts: tuple) -> str:
    return schemas.label_for(form, list(parts))


def label_of(form: str, path) -> str:
    """The form's own words for a field (cached: the schema never changes in a run)."""
    return _label(form, tuple(path))


@lru_cache(maxsize=4096)
def _subschema(form: str, parts: tuple) -> dict:
    return schemas.subschema_at(form, list(parts)) or {}


# -- a compiled yes/no check of the schema ---------------------------------------------
# jsonschema walks the schema for every record (about a millisecond for a PPM record).
# Most records are valid, so each form's schema is compiled once into plain Python
# closures that answer only "valid or not"; a record they pass has no schema findings,
# and a record they fail goes to jsonschema for the full, plain-English findings. The
# compiler knows the keywords our schemas use and refuses any other (the form then goes
# straight to jsonschema), and tests/test_forms_load.py checks it agrees with jsonschema.

class _Unsupported(Exception):
    pass


_ANNOTATIONS = {"title", "description", "$schema", "$id", "$comment", "$defs", "examples", "default", "deprecated"}
_TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "integer": lambda v: (isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, float) and v.is_integer()),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
    "null": lambda v: v is None,
}


def _is_number(v) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _compile(node, base: str, depth: int = 0):
    """A function value -> bool equivalent to validating against `node`."""
    if depth > 40:
        raise _Unsupported("depth")
    if node is True or node == {}:
        return lambda v: True
    if not isinstance(node, dict):
        raise _Unsupported(repr(node))
    checks = []
    for key in node:
        if key not in _ANNOTATIONS and not key.startswith("x-") and key not in _KEYWORDS:
            raise _Unsupported(key)
    if "$ref" in node:
        target, target_base = schemas.resolve({"$ref": node["$ref"]}, base)
        checks.append(_compile(target, target_base, depth + 1))
    kind = node.get("type")
    if kind is not None:
        if not isinstance(kind, str) or kind not in _TYPES:
            raise _Unsupported(f"type {kind!r}")
        checks.append(_TYPES[kind])
    if "enum" in node or "const" in node:
        values = node["enum"] if "enum" in node else [node["const"]]
        if not all(type(x) is str for x in values):
            raise _Unsupported("non-text enum")
        allowed = frozenset(values)
        checks.append(lambda v, allowed=allowed: type(v) is str and v in allowed)
    text_checks = []
    if "pattern" in node:
        search = re.compile(node["pattern"]).search
        text_checks.append(lambda v, search=search: search(v) is not None)
    if "format" in node:
        if node["format"] != "date":
            raise _Unsupported(f"format {node['format']}")
        conforms = schemas.Draft202012Validator.FORMAT_CHECKER.conforms
        text_checks.append(lambda v, conforms=conforms: conforms(v, "date"))
    if "minLength" in node:
        text_checks.append(lambda v, n=node["minLength"]: len(v) >= n)
    if "maxLength" in node:
        text_checks.append(lambda v, n=node["maxLength"]: len(v) <= n)
    if text_checks:
        checks.append(lambda v, cs=tuple(text_checks): not isinstance(v, str) or all(c(v) for c in cs))
    if "minimum" in node or "maximum" in node:
        lo, hi = node.get("minimum"), node.get("maximum")
        checks.append(lambda v, lo=lo, hi=hi: not _is_number(v) or ((lo is None or v >= lo) and (hi is None or v <= hi)))
    if any(k in node for k in ("items", "minItems", "maxItems", "uniqueItems")):
        item = _compile(node["items"], base, depth + 1) if "items" in node else None
        lo, hi, unique = node.get("minItems", 0), node.get("maxItems"), node.get("uniqueItems") is True
        from jsonschema._utils import uniq

        def array(v, item=item, lo=lo, hi=hi, unique=unique):
            if not isinstance(v, list):
                return True
            if len(v) < lo or (hi is not None and len(v) > hi):
                return False
            if unique and not uniq(v):
                return False
            return item is None or all(item(x) for x in v)

        checks.append(array)
    if any(k in node for k in ("properties", "required", "additionalProperties")):
        props = {name: _compile(sub, base, depth + 1) for name, sub in node.get("properties", {}).items()}
        required = tuple(node.get("required", ()))
        extra = node.get("additionalProperties", True)
        if extra is not False and extra is not True:
            raise _Unsupported("additionalProperties schema")
        closed = frozenset(props) if extra is False else None

        def obj(v, props=props, required=required, closed=closed):
            if not isinstance(v, dict):
                return True
            for name in required:
                if name not in v:
                    return False
            if closed is not None and not closed.issuperset(v):
                return False
            for name, value in v.items():
                check = props.get(name)
                if check is not None and not check(value):
                    return False
            return True

        checks.append(obj)
    if not checks:
        return lambda v: True
    if len(checks) == 1:
        return checks[0]
    return lambda v, cs=tuple(checks): all(c(v) for c in cs)


_KEYWORDS = {"$ref", "type", "enum", "const", "pattern", "format", "minLength", "maxLength", "minimum", "maximum",
             "items", "minItems", "maxItems", "uniqueItems", "properties", "required", "additionalProperties"}


@lru_cache(maxsize=None)
def fast_check(form: str):
    """The compiled check for a form, or None if its schema uses a keyword the compiler does not know."""
    schema = schemas.schema_for(form)
    try:
        return _compile(schema, schema["$id"])
    except _Unsupported as exc:
        log.info("schema of %s not compiled (%s); using jsonschema only", form, exc)
        return None


def pointer(parts) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def _lc_first(text: str) -> str:
    if len(text) > 1 and text[1].isupper():  # an acronym such as IRO
        return text
    return text[:1].lower() + text[1:]


def _expected(sub: dict) -> str:
    if sub.get("format") == "date":
        return "a date written as YYYY-MM-DD, for example 2026-03-14"
    kind = sub.get("type")
    return {
        "boolean": "yes or no (true or false)",
        "string": "text",
        "integer": "a whole number",
        "number": "a number",
        "array": "a list",
        "object": "a group of fields",
    }.get(kind if isinstance(kind, str) else "", f"of type {kind}")


def _schema_message(form: str, error) -> tuple[list, str, str]:
    """(path, rule id, plain-English message) for one jsonschema error."""
    path = list(error.absolute_path)
    kind = error.validator
    sub = _subschema(form, tuple(path))
    label = sub.get("title") or label_of(form, path)
    value = error.instance
    if kind == "required":
        missing = error.message.split("'")[1] if "'" in error.message else str(error.validator_value)
        child = _subschema(form, tuple(path + [missing]))
        title = child.get("title", missing.replace("_", " "))
        return path + [missing], "schema-required", f"Add the {_lc_first(title)}. {child.get('description', '')}".strip()
    if kind == "additionalProperties":
        extras = sorted(set(value) - set(error.schema.get("properties", {}))) if isinstance(value, dict) else []
        names = ", ".join(f"'{e}'" for e in extras) or "a field"
        return path, "schema-unknown-field", f"{names} is not a field of this part of the form ({label}). Check the spelling or remove it."
    if kind in ("format", "pattern") and sub.get("format") == "date":
        return path, "schema-date", f"'{value}' is not a real date. Write it as YYYY-MM-DD, for example 2026-03-14."
    if kind == "pattern":
        return path, "schema-pattern", f"'{value}' is not in the right form for {label}. {sub.get('description', '')}".strip()
    if kind == "type":
        return path, "schema-type", f"{label} should be {_expected(sub)}, not {type(value).__name__ if not isinstance(value, str) else repr(value)}."
    if kind == "enum":
        import difflib

        options = [str(v) for v in error.validator_value]
        close = difflib.get_close_matches(str(value), options, n=1, cutoff=0.6)
        hint = f" Did you mean '{close[0]}'?" if close else f" Choose one of: {', '.join(options)}."
        return path, "schema-choice", f"'{value}' is not one of the choices for {label}.{hint}"
    if kind == "const":
        return path, "schema-choice", f"{label} must be '{error.validator_value}'."
    if kind == "minItems":
        return path, "schema-too-few", f"Add at least {error.validator_value} {'entry' if error.validator_value == 1 else 'entries'} to {label}."
    if kind == "maxItems":
        return path, "schema-too-many", f"{label} has more than {error.validator_value} entries; no form needs that many."
    if kind == "minLength":
        return path, "schema-empty", f"{label} is empty. Fill it in."
    if kind == "maxLength":
        return path, "schema-too-long", f"{label} is too long ({error.validator_value} characters at most). Shorten it."
    if kind == "uniqueItems":
        return path, "schema-duplicate", f"{label} lists the same choice twice. Remove the repeat."
    if kind in ("minimum", "maximum"):
        return path, "schema-range", f"{label} is {value}, which is out of range ({kind} {error.validator_value})."
    return path, f"schema-{kind}", f"{label}: {error.message}"


def schema_findings(record: Record) -> list[Finding]:
    fast = fast_check(record.form)
    if fast is not None and fast(record.data):
        return []
    validator = schemas.validator_for(record.form)
    findings = []
    for error in validator.iter_errors(record.data):
        path, rule_id, message = _schema_message(record.form, error)
        findings.append(
            Finding(
                rule_id=rule_id,
                severity=Severity.ERROR,
                pointer=pointer(path),
                label=label_of(record.form, path),
                message=message,
                source=SCHEMA_SOURCE,
            )
        )
    findings.sort(key=lambda f: f.pointer)
    return findings


_RULES_FOR: dict[tuple[str, str], list[Rule]] = {}


def rules_for(form: str, profile) -> list[Rule]:
    """The rules that run on a form under a profile (worked out once per pair)."""
    key = (form, profile.id)
    found = _RULES_FOR.get(key)
    if found is None:
        chain = [profile.id] + list(profile.get("extends_chain", default=[]))
        found = [r for r in load_all_rules().values() if r.applies(form, chain)]
        _RULES_FOR[key] = found
    return found


def rule_findings(record: Record, ctx: RuleContext) -> list[Finding]:
    findings = []
    for rule in rules_for(record.form, ctx.profile):
        try:
            issues = list(rule.function(record.data, ctx) or [])
        except Exception as exc:  # a crash in one rule is that rule's error; the run goes on
            log.warning("rule %s failed: %s", rule.id, type(exc).__name__)
            findings.append(Finding(rule.id, Severity.ERROR, "", label_of(record.form, []),
                                    f"This rule could not be checked ({type(exc).__name__}). Please report it; the other checks ran.", rule.source))
            continue
        for issue in issues:
            findings.append(
                Finding(
                    rule_id=rule.id,
                    severity=Severity.WARNING if issue.severity == "warning" else rule.severity,
                    pointer=pointer(issue.path),
                    label=label_of(record.form, issue.path),
                    message=issue.message,
                    source=rule.source,
                    excerpt=issue.excerpt,
                )
            )
    return findings


def validate_record(record: Record, ctx: RuleContext) -> list[Finding]:
    return schema_findings(record) + rule_findings(record, ctx)


def make_context(profile_name: str = "england", as_of: dt.date | None = None) -> RuleContext:
    from permanence.forms.profiles import load_profile

    return RuleContext(profile=load_profile(profile_name), as_of=as_of or dt.date.today())
