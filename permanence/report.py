"""Reporters for `validate`: text for people, JSON (a stable, documented shape) for machines."""
from __future__ import annotations

import json
import textwrap

from permanence.findings import FileReport, one_line, printable_json

JSON_REPORT_VERSION = 1
INDENT = " " * 10


def child_of(data) -> str | None:
    """The child a record is about, as ID and name ("C1001 Ava Thompson"), or None."""
    child = data.get("child") if isinstance(data, dict) else None
    if not isinstance(child, dict):
        return None
    name = child.get("name") or " ".join(str(child[k]) for k in ("first_names", "surname") if child.get(k))
    parts = [str(x).strip() for x in (child.get("id"), name) if isinstance(x, (str, int)) and str(x).strip()]
    return " ".join(parts)[:200] or None


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _form_title(form: str | None) -> str:
    from permanence.forms.registry import FORMS

    return FORMS[form].title if form in FORMS else (form or "")


def text_report(reports: list[FileReport], verbose: bool = False) -> str:
    """For people: each finding names the field as the form labels it and says what to
    do, in the order of the form. No JSON pointers or rule ids unless verbose (-v), which
    also gives each finding's rule and its source, the procedure by its own title."""
    lines: list[str] = []
    for report in reports:
        if report.error:
            lines.append(f"{report.path}: could not be checked: {report.error}")
            continue
        form = f" ({_form_title(report.form)})" if report.form else ""
        if not report.findings:
            lines.append(f"{report.path}{form}: OK")
            continue
        lines.append(f"{report.path}{form}: {_plural(len(report.errors), 'error')}, {_plural(len(report.warnings), 'warning')}")
        for f in report.findings:  # already in the order of the form
            lines.append(f"  {f.severity.value:<7} {f.label}")
            lines.extend(textwrap.wrap(f.message, width=96, initial_indent=INDENT, subsequent_indent=INDENT))
            if f.excerpt:
                lines.append(f"{INDENT}found: \"{f.excerpt}\"")
            if verbose:
                lines.extend(textwrap.wrap(f"rule {f.rule_id}; source: {f.source or 'not given'}", width=96,
                                           initial_indent=INDENT, subsequent_indent=INDENT + "  "))
    checked = [r for r in reports if not r.error]
    n_err = sum(len(r.errors) for r in checked)
    n_warn = sum(len(r.warnings) for r in checked)
    failed = sum(1 for r in checked if r.errors)
    unread = len(reports) - len(checked)
    summary = (f"{_plural(len(reports), 'file')} checked: {len(checked) - failed} passed, {failed} with errors"
               f"{f', {unread} could not be read' if unread else ''} ({_plural(n_err, 'error')}, {_plural(n_warn, 'warning')}).")
    lines.append(summary)
    if not verbose and any(r.findings for r in checked):
        lines.append("Run 'permanence validate -v ...' to see each finding's rule and source.")
    return "\n".join(one_line(line) for line in lines)  # a newline in a file name never splits a line


def json_report(reports: list[FileReport], profile: str, as_of: str) -> str:
    """Shape (version 1):
    {"report_version": 1, "profile": str, "as_of": "YYYY-MM-DD",
     "files": [{"path", "form", "error", "valid", "findings": [{"rule_id", "severity", "pointer",
                "label", "message", "source", "excerpt", "span"}]}],
     "summary": {"files", "valid", "invalid", "unreadable", "errors", "warnings"}}"""
    files = []
    for r in reports:
        files.append({
            "path": r.path,
            "form": r.form,
            "error": r.error,
            "valid": r.error is None and not r.errors,
            "findings": [f.as_dict() for f in r.findings],
        })
    summary = {
        "files": len(reports),
        "valid": sum(1 for f in files if f["valid"]),
        "invalid": sum(1 for r in reports if not r.error and r.errors),
        "unreadable": sum(1 for r in reports if r.error),
        "errors": sum(len(r.errors) for r in reports),
        "warnings": sum(len(r.warnings) for r in reports),
    }
    return printable_json(json.dumps({"report_version": JSON_REPORT_VERSION, "profile": profile, "as_of": as_of,
                                      "files": files, "summary": summary}, indent=2, ensure_ascii=False))
