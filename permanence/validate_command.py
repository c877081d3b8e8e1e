"""`permanence validate`: load each file, validate it, report, compute the exit code."""
from __future__ import annotations

import datetime as dt

import click

from permanence.findings import FileReport, UserError, exit_code
from permanence.forms.load import iter_record_paths, load_record
from permanence.forms.validate import make_context, validate_record
from permanence.report import child_of, json_report, text_report


POOL_FROM = 50  # files: fewer are quicker checked here than in a pool of processes


def check_file(ctx, path) -> FileReport:
    """One file's report (run in a worker with --jobs)."""
    try:
        record = load_record(path)
    except UserError as exc:
        message = str(exc)
        prefix = f"{path}: "
        return FileReport(path=str(path), error=message[len(prefix):] if message.startswith(prefix) else message)
    return FileReport(path=str(path), form=record.form, findings=validate_record(record, ctx), child=child_of(record.data))


def check_paths(paths: list[str], profile: str, as_of: dt.date, jobs: int | None = 1) -> list[FileReport]:
    from permanence.pool import Failed, run_all

    make_context(profile, as_of)  # an unknown profile is refused here, before any worker starts
    files = iter_record_paths(paths)
    results = run_all(check_file, files, jobs=jobs, setup=make_context, setup_args=(profile, as_of),
                      label="Checking", min_items=POOL_FROM)
    return [FileReport(path=str(path), error=r.message()) if isinstance(r, Failed) else r for path, r in zip(files, results)]


def run_validate(paths: list[str], fmt: str, profile: str, as_of: dt.date, verbose: int = 0, jobs: int | None = None) -> int:
    reports = check_paths(paths, profile, as_of, jobs=jobs)
    if not reports:
        raise UserError("no records found (looked for .json, .yaml, .yml and .docx files).")
    if fmt == "json":
        click.echo(json_report(reports, profile, as_of.isoformat()))
    else:
        click.echo(text_report(reports, verbose=bool(verbose)))
    return exit_code(reports)
