"""`permanence tracker CASELOAD/ -o tracker.xlsx`: the logic behind the command."""
from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

import click

from permanence.findings import EXIT_CLEAN, EXIT_FINDINGS, UserError

MAX_AMBER_DAYS = 260  # a working year; far beyond it the date arithmetic overflows
PROGRESS_FROM = 500  # children: show a progress bar from this many


def _bar(items, label, length=None):
    return click.progressbar(items, length=length, label=label.ljust(22), file=sys.stderr)


def compute_rows(caseload_dir, profile_name: str, as_of: dt.date, amber_days: int | None = None,
                 manual_rag: dict | None = None, progress: bool = False, earlier_ids: set | None = None):
    from permanence.forms.profiles import load_profile
    from permanence.tracker.caseload import read_caseload
    from permanence.tracker.engine import Engine

    profile = load_profile(profile_name)
    engine = Engine(profile, as_of, amber_days=amber_days)
    caseload = read_caseload(caseload_dir, progress=_bar if progress else None, earlier_ids=earlier_ids)
    rows = []
    manual_rag = manual_rag or {}
    cases = caseload.cases
    bar = _bar(cases, "Working out due dates") if progress and len(cases) >= PROGRESS_FROM else None
    iterable = bar.__enter__() if bar else cases
    try:
        for case in iterable:
            cid = str(case.data["child"]["id"])
            rows.append(engine.child_row(case.data, caseload.ppm_events.get(cid, []), case.path,
                                         manual_rag=(manual_rag.get(cid) or "").lower() or None))
    finally:
        if bar:
            bar.__exit__(None, None, None)
    rows.sort(key=lambda r: r.id)
    return rows, engine, profile, caseload


def run_tracker(caseload_dir: str, out: str | None, fmt: str, profile: str, as_of: dt.date,
                amber_days: int | None, backup: bool) -> int:
    from permanence.tracker.build import check_writable

    if amber_days is not None and amber_days < 0:
        raise UserError("--amber-days must be 0 or more working days.")
    if amber_days is not None and amber_days > MAX_AMBER_DAYS:
        raise UserError(f"--amber-days must be at most {MAX_AMBER_DAYS} working days (about a year).")
    if not Path(caseload_dir).exists():
        raise UserError(f"{caseload_dir}: no such folder. Give the caseload folder, for example examples/caseload/.")
    if fmt == "xlsx" and not out:
        raise UserError("say where to write the tracker with -o, for example -o tracker.xlsx (or use --format json).")
    out_path = Path(out) if out else None
    if out_path is not None:
        if out_path.suffix.lower() != ".xlsx":
            raise UserError(f"{out_path}: the tracker is an Excel workbook; give a file name ending .xlsx.")
        if out_path.is_dir():
            raise UserError(f"{out_path}: is a folder; give a file name ending .xlsx.")
        if not out_path.parent.exists():
            raise UserError(f"{out_path.parent}: no such folder for the tracker. Create it first.")
        check_writable(out_path)  # a read-only folder is refused before any work
        from permanence.tracker.safety import tracker_lock

        lock_notes: list[str] = []
        with tracker_lock(out_path.resolve(), lock_notes) as since:
            for line in lock_notes:
                click.echo(f"permanence: {line}", err=True)
            return _run_locked(caseload_dir, out_path, fmt, profile, as_of, amber_days, backup, since)
    return _run_locked(caseload_dir, out_path, fmt, profile, as_of, amber_days, backup, None)


def _run_locked(caseload_dir, out_path, fmt, profile, as_of, amber_days, backup, since) -> int:
    from permanence.tracker.build import build_tracker, read_previous
    from permanence.tracker.safety import identity, sweep_temporaries
    from permanence.tracker.workbook import MAIN, normalise_rag

    expected = None
    if out_path is not None:
        swept = sweep_temporaries(out_path, since)
        if swept:
            click.echo(f"permanence: removed {len(swept)} temporary file{'s' if len(swept) != 1 else ''} left beside the tracker "
                       f"by an earlier run that was stopped ({', '.join(swept[:5])}{', ...' if len(swept) > 5 else ''}).", err=True)
        expected = identity(out_path)  # what is read now must be what is replaced at the end
    manual = {}
    earlier_ids: set[str] = set()  # children with a row in the earlier tracker (a skipped record keeps it)
    if out_path is not None and out_path.exists():
        previous = read_previous(out_path)  # refuses a file that is not a tracker, before any work
        earlier_ids = set(previous[MAIN].rows)
        for cid, old in previous[MAIN].rows.items():
            rag = normalise_rag(old.get("RAG (meeting)"))
            if isinstance(rag, str):
                manual[cid] = rag.strip()
    interactive = sys.stderr.isatty()
    rows, engine, profile_obj, caseload = compute_rows(caseload_dir, profile, as_of, amber_days, manual, progress=interactive,
                                                       earlier_ids=earlier_ids)
    from permanence.findings import one_line, printable_json

    for line in caseload.problems:
        click.echo(one_line(f"permanence: {line}"), err=True)
    if not rows and not caseload.problems:
        raise UserError(f"{caseload_dir}: no case records found (files with \"form\": \"case\"). Is it the caseload folder?")
    if out_path is not None:
        bar = _bar(None, "Writing the workbook", length=len(rows)) if interactive and len(rows) >= PROGRESS_FROM else None
        try:
            counts = build_tracker(rows, engine, profile_obj, out_path, backup=backup, problems=caseload.problems,
                                   skipped_ids=caseload.skipped_ids, progress=bar.update if bar else None,
                                   expected=expected)
        finally:
            if bar:
                bar.render_finish()
        for line in counts.get("notes", []):
            click.echo(one_line(f"permanence: {line}"), err=True)
        if fmt != "json":
            gone = counts.get("gone", 0)
            click.echo(f"Wrote {out_path}: {counts['children']} children under the {profile_obj.id} profile as of "
                       f"{as_of.strftime('%d/%m/%Y')}" + (f"; {gone} no longer in the caseload, kept and greyed" if gone else "") + ".")
    if fmt == "json":
        click.echo(printable_json(json.dumps({"profile": profile_obj.id, "as_of": as_of.isoformat(), "rag_rule": engine.rag_rule,
                               "amber_working_days": engine.amber_days, "skipped": caseload.problems,
                               "children": [r.as_dict() for r in rows]}, indent=2, ensure_ascii=False)))
    return EXIT_FINDINGS if caseload.problems else EXIT_CLEAN
