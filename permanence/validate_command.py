"""`permanence validate`: load each file, validate it, report, compute the exit code."""
from __future__ import annotations

import datetime as dt

import click

from permanence.findings import FileReport, UserError, exit_code
from permanence.forms.load import iter_record_paths, load_record
from permanence.forms.validate import make_context, validate_record
from permanence.report import child_of, json_report, text_report


def check_paths(paths: list[str], profile: str, as_of: dt.date) -> list[FileReport]:
    ctx = make_context(profile, as_of)
    reports = []
    for path in iter_record_paths(paths):
        try:
            record = load_record(path)
        except UserError as exc:
            message = str(exc)
            prefix = f"{path}: "
            reports.append(FileReport(path=str(path), error=message[len(prefix):] if message.startswith(prefix) else message))
            continue
        reports.append(FileReport(path=str(path), form=record.form, findings=validate_record(record, ctx), child=child_of(record.data)))
    return reports


def run_validate(paths: list[str], fmt: str, profile: str, as_of: dt.date, verbose: int = 0) -> int:
    reports = check_paths(paths, profile, as_of)
    if not reports:
        raise UserError("no records found (looked for .json, .yaml, .yml and .docx files).")
    if fmt == "json":
        click.echo(json_report(reports, profile, as_of.isoformat()))
    else:
        click.echo(text_report(reports, verbose=bool(verbose)))
    return exit_code(reports)
