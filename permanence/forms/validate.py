"""Validate a record: its schema, then the business rules, as Findings."""
from __future__ import annotations

import datetime as dt
import logging
import re
from functools import lru_cache

from permanence.findings import Finding, Severity
from permanence.forms import schema as schemas
from permanence.forms.compiled import _fast_parts, fast_check  # noqa: F401 - fast_check kept importable from here
from permanence.forms.load import Record
from permanence.forms.rules import Rule, RuleContext, load_all_rules

log = logging.getLogger(__name__)


@lru_cache(maxsize=4096)
def _label(form: str, parts: tuple) -> str:
    return schemas.label_for(form, list(parts))


def label_of(form: str, path) -> str:
    """The form's own words for a field (cached: the schema never changes in a run)."""
    return _label(form, tuple(path))


@lru_cache(maxsize=4096)
def _subschema(form: str, parts: tuple) -> dict:
    return schemas.subschema_at(form, list(parts)) or {}


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


def _found(value) -> str:
    """What was written instead, in words."""
    if value is None:
        return "empty (null)"
    if isinstance(value, bool):
        return f"yes/no ({'true' if value else 'false'})"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, str):
        return repr(value) if len(value) <= 60 else "a long piece of text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a group of fields"
    return type(value).__name__


_MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                "October", "November", "December"]
_MONTH_NUMBERS = {name.lower(): i for i, name in enumerate(_MONTH_NAMES, 1)}
_MONTH_NUMBERS.update({name[:3]: i for name, i in list(_MONTH_NUMBERS.items())})
_MONTH_NUMBERS["sept"] = 9
_DAY_FIRST = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4}|\d{2})")  # 14/03/2026, 14.03.26, 14-3-2026
_YEAR_FIRST = re.compile(r"(\d{4})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{1,2})")  # 2026-03-14, 2026/03/14
_NAMED_MONTH = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})")  # 14 March 2026, 14th Mar 2026


def _impossible(year: int, month: int, day: int) -> str | None:
    """Why a day, month and year are not a date (None if they are one)."""
    if not 1 <= month <= 12:
        swapped = f" (dates are written day first: did you mean {month:02d}/{day:02d}/{year}?)" if 1 <= day <= 12 else ""
        return f"there is no month {month}{swapped}"
    try:
        dt.date(year, month, day)
    except ValueError:
        import calendar

        if day < 1:
            return "there is no day 0"
        return f"{_MONTH_NAMES[month - 1]} {year} has {calendar.monthrange(year, month)[1]} days"
    return None


def _read_date(value: str) -> tuple[int, int, int, bool] | None:
    """(year, month, day, whether the year was guessed from two digits) of a date written
    another way (the UK way, day first; year first with other separators; with the month's
    name), or None if it is not written as a date at all."""
    text = value.strip()
    match = _DAY_FIRST.fullmatch(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        guessed = len(match.group(3)) == 2
        if guessed:  # 17.12.25: this century, unless that is well in the future (a parent's 03/04/85)
            year += 2000 if 2000 + year <= dt.date.today().year + 20 else 1900
        return year, month, day, guessed
    match = _YEAR_FIRST.fullmatch(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        return year, month, day, False
    match = _NAMED_MONTH.fullmatch(text)
    if match and match.group(2).lower() in _MONTH_NUMBERS:
        return int(match.group(3)), _MONTH_NUMBERS[match.group(2).lower()], int(match.group(1)), False
    return None


def date_advice(value, word: bool = False) -> str:
    """What to do about a value given for a date that is not written YYYY-MM-DD: the ISO
    form of what was typed (read day first, the UK way), or why it is not a real date.
    word: the value came from a filled Word form, where dates are typed as 14/03/2026."""
    if isinstance(value, str) and not value.strip():
        return "The date is empty. Fill it in, for example 14/03/2026." if word else \
            "The date is empty. Fill it in (YYYY-MM-DD, for example 2026-03-14) or remove the field."
    shown = f"'{value}'" if isinstance(value, str) and len(value) <= 60 else _found(value)
    read = _read_date(value) if isinstance(value, str) else None
    if read is None:
        if word:
            return f"{shown} is not a date. Type the date as day/month/year, for example 14/03/2026."
        return f"{shown} is not a real date. Write it as YYYY-MM-DD, for example 2026-03-14."
    year, month, day, guessed = read
    why = _impossible(year, month, day)
    if why:
        again = "type it again as day/month/year, for example 14/03/2026" if word else "write it as YYYY-MM-DD"
        return f"{shown} is not a real date: {why}. Check the date, then {again}."
    when = dt.date(year, month, day)
    meant = f"{when.day} {_MONTH_NAMES[month - 1]} {year}"
    if word:  # the form reads 14/03/2026 and 14 March 2026, not a two-digit year or the year first
        if guessed:
            return f"{shown} has a two-digit year: type the year in full, {when.strftime('%d/%m/%Y')} (if you mean {meant})."
        return f"Type {shown} as day/month/year: {when.strftime('%d/%m/%Y')}."
    if guessed:
        return f"Write {value.strip()} as {when.isoformat()} (year-month-day), if you mean {meant}."
    return f"Write {value.strip()} as {when.isoformat()}: a record's dates are written year-month-day."


from permanence.forms.choices import _choices_by_words, _norm, suggest_choice  # noqa: E402,F401 - kept importable from here

# First words of a field's title that make it no noun: "Add the with whom" is not a sentence.
_NOT_A_NOUN = {"with", "by", "for", "from", "to", "in", "on", "at", "if", "whether", "lives", "supervised", "facilitated"}

_QUESTION_WORDS = {"why", "what", "how", "who", "when", "where", "which", "can", "is", "has", "does", "did", "was"}


def _field_hint(name: str, known: dict) -> str:
    """"Did you mean 'event'?" for a field name written another way or misspelt."""
    import difflib

    if not isinstance(name, str):
        return "Check the spelling or remove it."
    by_words = {}
    for key, sub in known.items():
        by_words.setdefault(_norm(key), key)
        if isinstance(sub, dict) and isinstance(sub.get("title"), str):
            by_words.setdefault(_norm(sub["title"]), key)
    found = by_words.get(_norm(name))
    if found is None:
        close = difflib.get_close_matches(name.casefold(), list(known), n=1, cutoff=0.6)
        found = close[0] if close else None
    return f"Did you mean '{found}'?" if found else "Check the spelling or remove it."


def _schema_message(form: str, error, word: bool = False) -> tuple[list, str, str]:
    """(path, rule id, plain-English message) for one jsonschema error (word: the record
    was read from a filled Word form)."""
    path = list(error.absolute_path)
    kind = error.validator
    sub = _subschema(form, tuple(path))
    label = sub.get("title") or label_of(form, path)
    value = error.instance
    if kind == "required":
        missing = error.message.split("'")[1] if "'" in error.message else str(error.validator_value)
        child = _subschema(form, tuple(path + [missing]))
        title = child.get("title", missing.replace("_", " "))
        about = child.get("description", "")
        if child.get("type") == "boolean":  # a yes/no question: "Add the invited" would not do
            return path + [missing], "schema-required", f"Answer '{title}' (yes or no): {about}".strip()
        about = f": {_lc_first(about)}" if about else "."
        words = _lc_first(title)
        if words.split(" ", 1)[0] in _QUESTION_WORDS:  # "Why this is in the child's best interests"
            return path + [missing], "schema-required", f"Answer '{title}'{about}"
        if words.startswith("about ") or words.split(" ", 1)[0] in _NOT_A_NOUN:  # "About this report", "With whom"
            return path + [missing], "schema-required", f"Fill in '{title}'{about}"
        the = "" if words.startswith("the ") else "the "
        if "enum" in child:
            return path + [missing], "schema-required", f"Choose {the}{words}{about}"
        return path + [missing], "schema-required", f"Add {the}{words}{about}"
    if kind == "additionalProperties":
        known = error.schema.get("properties", {})
        extras = sorted(set(value) - set(known)) if isinstance(value, dict) else []
        hints = [f"'{e}' is not a field of this part of the form ({label}). " + _field_hint(e, known) for e in extras[:10]]
        more = f" And {len(extras) - 10} more." if len(extras) > 10 else ""
        return path, "schema-unknown-field", (" ".join(hints) + more) or f"A field is not part of this part of the form ({label})."
    if kind in ("format", "pattern") and sub.get("format") == "date":
        return path, "schema-date", date_advice(value, word)
    if kind == "pattern":
        return path, "schema-pattern", f"'{value}' is not in the right form for {label}. {sub.get('description', '')}".strip()
    if kind == "type":
        return path, "schema-type", f"{label} should be {_expected(sub)}, not {_found(value)}."
    if kind == "enum":
        options = [str(v) for v in error.validator_value]
        labels = error.schema.get("x-enum-labels") if isinstance(error.schema, dict) else None
        labels = labels if isinstance(labels, list) and len(labels) == len(options) else options
        close = suggest_choice(value, error.schema if isinstance(error.schema, dict) else {"enum": options})
        if close is not None:
            shown = labels[options.index(close)]
            hint = f" Did you mean '{shown}'? Choose it from the list." if word else \
                f" Did you mean '{close}'" + (f" ({shown})?" if shown != close else "?")
        else:
            hint = f" Choose one of: {', '.join(labels if word else options)}."
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
        bound = "at least" if kind == "minimum" else "at most"
        return path, "schema-range", f"{label} is {value}; it must be {bound} {error.validator_value}. Correct it."
    return path, f"schema-{kind}", f"{label}: {error.message}"


@lru_cache(maxsize=256)
def _validator_for_fields(form: str, failing: frozenset):
    """A jsonschema validator for the form that looks only at the top-level fields the
    compiled check failed (and at the top level itself): the fields that passed are
    known to be valid, and jsonschema need not walk them again to report the rest."""
    from jsonschema import Draft202012Validator

    schema = schemas.schema_for(form)
    properties = {name: (sub if name in failing else True) for name, sub in schema.get("properties", {}).items()}
    return Draft202012Validator({**schema, "properties": properties}, registry=schemas.registry(),
                                format_checker=Draft202012Validator.FORMAT_CHECKER)


def _schema_errors(record: Record) -> list:
    """jsonschema's errors for the record ([] at once when the compiled check passes it)."""
    parts = _fast_parts(record.form)
    data = record.data
    if parts is not None:
        whole, fields = parts
        if whole(data):
            return []
        failing = frozenset(name for name, value in data.items() if name in fields and not fields[name](value)) \
            if isinstance(data, dict) else frozenset(fields)
        validator = _validator_for_fields(record.form, failing)
    else:
        validator = schemas.validator_for(record.form)
    return list(validator.iter_errors(data))


def schema_findings(record: Record) -> list[Finding]:
    """The schema's findings. A choice written as its label or an everyday abbreviation is
    read as the code first (permanence.forms.choices), and said once, as a warning."""
    from permanence.forms.choices import READ_AS_CODE_RULE, read_choices, read_note

    errors = _schema_errors(record)
    word = record.path.lower().endswith(".docx")  # a Word form's choices come from its lists
    read = read_choices(record, errors) if errors and not word else []
    if read:
        errors = _schema_errors(record)  # the record now holds the codes
    findings = []
    seen = set()
    for error in errors:
        path, rule_id, message = _schema_message(record.form, error, word)
        if (rule_id, tuple(path), message) in seen:
            continue  # "23/11/2026" breaks both the pattern and the format of a date: say it once
        seen.add((rule_id, tuple(path), message))
        findings.append(
            Finding(
                rule_id=rule_id,
                severity=Severity.ERROR,
                pointer=pointer(path),
                label=label_of(record.form, path),
                message=message,
                source=_form_source(record.form),
            )
        )
    if read:
        findings.append(Finding(READ_AS_CODE_RULE, Severity.WARNING, pointer(read[0][0]), label_of(record.form, read[0][0]),
                                read_note(record.form, read, label_of), _form_source(record.form)))
    findings.sort(key=lambda f: f.pointer)
    return findings


def _form_source(form: str) -> str:
    """The source of a schema finding, as a person reads it."""
    from permanence.forms.registry import FORMS

    title = FORMS[form].title if form in FORMS else form
    return f"The {title} form: its fields, choices and formats"


@lru_cache(maxsize=1024)
def _cited(source: str) -> str:
    """A source as a person reads it: the procedure by its own title, not 'seed 003'."""
    from permanence.citations import cite

    return cite(source)


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
    from permanence.forms.rules._fields import begin_record, end_record

    findings = []
    ctx = _for_record(record, ctx)
    begin_record(record.data)  # facts the rules share are worked out once for this record
    try:
        _run_rules(record, ctx, findings)
    finally:
        end_record()
    return findings


def _for_record(record: Record, ctx: RuleContext) -> RuleContext:
    """The context with the record's own folder (where its photographs are kept)."""
    import dataclasses
    from pathlib import Path

    if not record.path or record.path.lower().endswith(".docx"):
        return ctx  # a Word form holds its pictures
    folder = Path(record.path).parent
    return dataclasses.replace(ctx, record_dir=folder) if folder != ctx.record_dir else ctx


def _run_rules(record: Record, ctx: RuleContext, findings: list) -> None:
    for rule in rules_for(record.form, ctx.profile):
        try:
            issues = list(rule.function(record.data, ctx) or [])
        except Exception as exc:  # a crash in one rule is that rule's error; the run goes on
            log.warning("rule %s failed: %s", rule.id, type(exc).__name__)
            findings.append(Finding(rule.id, Severity.ERROR, "", label_of(record.form, []),
                                    f"This rule could not be checked ({type(exc).__name__}). Please report it; the other checks ran.", _cited(rule.source)))
            continue
        for issue in issues:
            findings.append(
                Finding(
                    rule_id=rule.id,
                    severity=Severity.WARNING if issue.severity == "warning" else rule.severity,
                    pointer=pointer(issue.path),
                    label=label_of(record.form, issue.path),
                    message=issue.message,
                    source=_cited(issue.source or rule.source),
                    excerpt=issue.excerpt,
                )
            )


def validate_record(record: Record, ctx: RuleContext) -> list[Finding]:
    """The schema's findings and the rules', in the order of the form. One problem, one finding: where the schema has
    already said what is wrong with a field (missing, not a date, not one of the choices), a
    rule's finding about that same field is left out (the rules treat a value written wrongly
    as present, so this only catches a rule that repeats the schema)."""
    from permanence.forms.choices import READ_AS_CODE_RULE, in_form_order

    schema = schema_findings(record)
    rules = rule_findings(record, ctx)
    if schema and rules:
        said = {f.pointer for f in schema if f.rule_id not in ("schema-unknown-field", READ_AS_CODE_RULE)}  # those are about other fields
        rules = [f for f in rules if f.pointer not in said]
    return in_form_order(record.form, schema + rules)


def make_context(profile_name: str = "england", as_of: dt.date | None = None) -> RuleContext:
    from permanence.forms.profiles import load_profile

    return RuleContext(profile=load_profile(profile_name), as_of=as_of or dt.date.today())
