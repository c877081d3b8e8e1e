"""Validate a record: its schema, then the business rules, as Findings."""
from __future__ import annotations

import datetime as dt
import logging

from permanence.findings import Finding, Severity
from permanence.forms import schema as schemas
from permanence.forms.load import Record
from permanence.forms.rules import RuleContext, load_all_rules

log = logging.getLogger(__name__)

SCHEMA_SOURCE = "the form's schema (permanence/schemas)"


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
    sub = schemas.subschema_at(form, path) or {}
    label = sub.get("title") or schemas.label_for(form, path)
    value = error.instance
    if kind == "required":
        missing = error.message.split("'")[1] if "'" in error.message else str(error.validator_value)
        child = schemas.subschema_at(form, path + [missing]) or {}
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
    validator = schemas.validator_for(record.form)
    findings = []
    for error in validator.iter_errors(record.data):
        path, rule_id, message = _schema_message(record.form, error)
        findings.append(
            Finding(
                rule_id=rule_id,
                severity=Severity.ERROR,
                pointer=pointer(path),
                label=schemas.label_for(record.form, path),
                message=message,
                source=SCHEMA_SOURCE,
            )
        )
    findings.sort(key=lambda f: f.pointer)
    return findings


def rule_findings(record: Record, ctx: RuleContext) -> list[Finding]:
    chain = [ctx.profile.id] + list(ctx.profile.get("extends_chain", default=[]))
    findings = []
    for rule in load_all_rules().values():
        if not rule.applies(record.form, chain):
            continue
        try:
            issues = list(rule.function(record.data, ctx) or [])
        except Exception as exc:  # a crash in one rule is that rule's error; the run goes on
            log.warning("rule %s failed: %s", rule.id, type(exc).__name__)
            findings.append(Finding(rule.id, Severity.ERROR, "", schemas.label_for(record.form, []),
                                    f"This rule could not be checked ({type(exc).__name__}). Please report it; the other checks ran.", rule.source))
            continue
        for issue in issues:
            findings.append(
                Finding(
                    rule_id=rule.id,
                    severity=rule.severity,
                    pointer=pointer(issue.path),
                    label=schemas.label_for(record.form, issue.path),
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
