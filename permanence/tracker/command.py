"""`permanence tracker CASELOAD/ -o tracker.xlsx`: the logic behind the command."""
from __future__ import annotations

import datetime as dt
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import click

from permanence.findings import EXIT_CLEAN, EXIT_FINDINGS, UserError

MAX_AMBER_DAYS = 260  # a working year; far beyond it the date arithmetic overflows
PROGRESS_FROM = 500  # children: show a progress bar from this many


def compute_rows(caseload_dir, profile_name: str, as_of: dt.date, amber_days: int | None = None,
                 manual_rag: dict | None = None, progress: bool = False, earlier_ids: set | None = None,
                 ssda903: list | None = None, jobs: int | None = 1):
    """Read the caseload (and the SSDA903 return, if given) and work out every child's row,
    file by file on `jobs` processes (the pool shows a progress bar on a terminal;
    `progress` is kept for callers)."""
    from permanence.forms.profiles import load_profile
    from permanence.tracker.caseload import Caseload, compute_rows_in_pool, read_caseload
    from permanence.tracker.engine import Engine

    profile = load_profile(profile_name)
    engine = Engine(profile, as_of, amber_days=amber_days)
    caseload = read_caseload(caseload_dir, earlier_ids=earlier_ids, jobs=jobs) if caseload_dir else Caseload()
    if ssda903:
        add_return(caseload, ssda903, as_of)
    rows = compute_rows_in_pool(caseload, profile_name, as_of, amber_days, manual_rag or {}, jobs)
    rows.sort(key=lambda r: r.id)
    return rows, engine, profile, caseload


def add_return(caseload, paths, as_of: dt.date) -> None:
    """The SSDA903 extract's children into the caseload, as `permanence import ssda903`
    would write them (a case record in the folder gives the name, plans and notes)."""
    from permanence.forms.load import load_record
    from permanence.ssda903.command import cases_from_return, words
    from permanence.ssda903.merge import merge
    from permanence.tracker.caseload import CaseFile

    _, children, records = cases_from_return(paths, as_of, {})
    by_id = {c.child_id: i for i, c in enumerate(caseload.cases)}
    found = {c.id: c for c in children}
    for cid in set(records) & set(by_id):  # a case record in the folder too: merged as an import would
        case = caseload.cases[by_id[cid]]
        try:
            data = case.data if case.data is not None else load_record(case.path).data
        except UserError as exc:
            caseload.problems.append(f"{exc} (the return's data for {cid} was not used)")
            records.pop(cid)
            continue
        merged, changes = merge(data, found[cid], words)
        records[cid] = (Path(case.path), merged, changes, data)
    where = ", ".join(str(p) for p in paths)[:200]
    for cid, (path, merged, _changes, _before) in records.items():
        if cid in caseload.skipped_ids:
            continue  # the case record has errors: the tracker keeps its last row
        case = CaseFile(path=str(path) if path else f"{where} (SSDA903 return, child {cid})", data=merged, child_id=cid)
        if cid in by_id:
            caseload.cases[by_id[cid]] = case
        else:
            caseload.cases.append(case)
    findings = sum(len(c.findings) for c in children)
    caseload.return_findings = findings
    if findings:
        caseload.notes.append(f"{where}: {findings} data-quality finding{'s' if findings != 1 else ''} in the SSDA903 return; "
                              "list them with 'permanence import ssda903 ... --report dq.xlsx'.")


@dataclass
class TrackerResult:
    """What a tracker run made: the rows, the profile and engine, the caseload read (with its
    problems), and, when a workbook was written, the counts of what was kept (build_tracker)."""

    rows: list
    engine: object
    profile: object
    caseload: object
    counts: dict | None = None


def make_tracker(caseload_dir: str | None, out: str | None, fmt: str, profile: str, as_of: dt.date,
                 amber_days: int | None, backup: bool, jobs: int | None = None, progress=None,
                 ssda903: list | None = None) -> TrackerResult:
    """Check the options, read the caseload, compute the rows and write the workbook (when out
    is given); print nothing. progress: True for click's bar on stderr while the workbook is
    written, or a callable like _bar. `permanence tracker` and the web page both call this."""
    from permanence.tracker.build import check_writable

    if amber_days is not None and amber_days < 0:
        raise UserError("--amber-days must be 0 or more working days.")
    if amber_days is not None and amber_days > MAX_AMBER_DAYS:
        raise UserError(f"--amber-days must be at most {MAX_AMBER_DAYS} working days (about a year).")
    if not caseload_dir and not ssda903:
        raise UserError("give the caseload folder, or the SSDA903 extract with --ssda903 (or both).")
    if caseload_dir and not Path(caseload_dir).exists():
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

        said: list[str] = []  # a stale lock taken over, temporaries swept: said with the notes
        with tracker_lock(out_path.resolve(), said) as since:
            return _make_locked(caseload_dir, out_path, profile, as_of, amber_days, backup, jobs, progress, since, said, ssda903)
    return _make_locked(caseload_dir, out_path, profile, as_of, amber_days, backup, jobs, progress, None, [], ssda903)


def _make_locked(caseload_dir, out_path, profile, as_of, amber_days, backup, jobs, progress, since, said,
                 ssda903=None) -> TrackerResult:
    """make_tracker's work, with the tracker locked when one is written (safety.py)."""
    from permanence.tracker.build import build_tracker, read_previous
    from permanence.tracker.safety import identity, sweep_temporaries
    from permanence.tracker.workbook import MAIN, normalise_rag

    expected = None
    if out_path is not None:
        swept = sweep_temporaries(out_path, since)
        if swept:
            said.append(f"removed {len(swept)} temporary file{'s' if len(swept) != 1 else ''} left beside the tracker "
                        f"by an earlier run that was stopped ({', '.join(swept[:5])}{', ...' if len(swept) > 5 else ''}).")
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
    bars = progress  # a callable (the web page), True for the terminal bar, or None
    rows, engine, profile_obj, caseload = compute_rows(caseload_dir, profile, as_of, amber_days, manual, progress=bool(bars),
                                                       earlier_ids=earlier_ids, ssda903=ssda903, jobs=jobs)
    if not rows and not caseload.problems:
        if not caseload_dir:
            raise UserError("the SSDA903 extract holds no child a case record could be made for.")
        raise UserError(f"{caseload_dir}: no case records found (files with \"form\": \"case\"). Is it the caseload folder?")
    result = TrackerResult(rows, engine, profile_obj, caseload)
    if out_path is not None:
        if callable(progress):  # the web page's own progress
            bar = progress(None, "Writing the workbook", length=len(rows)) if len(rows) >= PROGRESS_FROM else None
            advance = bar.update if bar else None
        else:
            from permanence.pool import Progress

            # (the bar appears once writing has taken a couple of seconds, and only on a terminal)
            bar = Progress(len(rows), "Writing the workbook".ljust(22)) if progress and len(rows) >= PROGRESS_FROM else None
            advance = bar.advance if bar else None
        try:
            result.counts = build_tracker(rows, engine, profile_obj, out_path, backup=backup, problems=caseload.problems,
                                          skipped_ids=caseload.skipped_ids, progress=advance, expected=expected)
            result.counts["notes"] = said + list(result.counts.get("notes", []))
        finally:
            if bar and hasattr(bar, "close"):
                bar.close()
            elif bar and hasattr(bar, "render_finish"):
                bar.render_finish()
    return result


def run_tracker(caseload_dir: str | None, out: str | None, fmt: str, profile: str, as_of: dt.date,
                amber_days: int | None, backup: bool, ssda903: list | None = None, jobs: int | None = None) -> int:
    result = make_tracker(caseload_dir, out, fmt, profile, as_of, amber_days, backup, jobs=jobs,
                          progress=sys.stderr.isatty(), ssda903=ssda903)
    rows, engine, profile_obj, caseload = result.rows, result.engine, result.profile, result.caseload
    from permanence.findings import one_line, printable_json

    for line in caseload.problems + caseload.notes:
        click.echo(one_line(f"permanence: {line}"), err=True)
    if result.counts is not None:
        counts = result.counts
        for line in counts.get("notes", []):
            click.echo(one_line(f"permanence: {line}"), err=True)
        if fmt != "json":
            gone = counts.get("gone", 0)
            click.echo(f"Wrote {Path(out)}: {counts['children']} children under the {profile_obj.id} profile as of "
                       f"{as_of.strftime('%d/%m/%Y')}" + (f"; {gone} no longer in the caseload, kept and greyed" if gone else "") + ".")
    if fmt == "json":
        click.echo(printable_json(json.dumps({"profile": profile_obj.id, "as_of": as_of.isoformat(), "rag_rule": engine.rag_rule,
                               "amber_working_days": engine.amber_days, "skipped": caseload.problems,
                               "children": [r.as_dict() for r in rows]}, indent=2, ensure_ascii=False)))
    return EXIT_FINDINGS if caseload.problems or caseload.return_findings else EXIT_CLEAN
