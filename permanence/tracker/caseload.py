"""Read a caseload folder: every `case` record (one child each) and the PPM records whose
child.id matches a case, counted as PPM events. Bad case records are skipped with one
plain line naming the file and the field; nothing else in the run stops.

With --jobs the work is file by file in a pool of processes (permanence.pool), in two
steps: every file is read and sorted (PPM events, valid case records, problems), then each
child's row is worked out from its case record, read again, and its PPM events. The main
process holds only what it needs between the steps (the PPM events, a path per child),
never every case record at once, and the rows come back in file order, so the result is
the same with one job or many.
"""
from __future__ import annotations

import logging
import os
from sys import intern
from dataclasses import dataclass, field
from pathlib import Path

from permanence.findings import UserError
from permanence.tracker.engine import Event, events_from_ppm

log = logging.getLogger(__name__)

TRACKER_SUFFIXES = {".json", ".yaml", ".yml"}
POOL_FROM = 200  # files: fewer are quicker read here than in a pool of processes


@dataclass
class CaseFile:
    path: str
    data: dict | None  # None once the child's row is worked out (or when only the path is kept)
    child_id: str = ""


@dataclass
class Caseload:
    cases: list[CaseFile] = field(default_factory=list)
    ppm_events: dict[str, list[Event]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # one plain line each
    skipped_ids: set[str] = field(default_factory=set)  # children whose case record was refused
    notes: list[str] = field(default_factory=list)  # said on stderr, not problems with a record (the return's data quality)
    return_findings: int = 0  # data-quality findings in an SSDA903 extract read with the caseload


def caseload_files(folder: str | Path) -> list[Path]:
    root = Path(folder)
    if not root.exists():
        raise UserError(f"{root}: no such folder. Give the caseload folder, for example examples/caseload/.")
    if root.is_file():
        return [root]
    # What root.rglob("*") finds, but from the directory entries' own file types: no stat
    # call a file (at 10,000 children the listing was most of this process's share of the run).
    found, folders = [], [str(root)]
    while folders:
        try:
            with os.scandir(folders.pop()) as entries:
                listed = list(entries)
        except OSError:  # a folder that cannot be read is passed over, as rglob does
            continue
        for entry in listed:
            try:
                if entry.is_dir():
                    folders.append(entry.path)
                elif (os.path.splitext(entry.name)[1].lower() in TRACKER_SUFFIXES and not entry.name.startswith((".", "~$"))
                      and entry.is_file()):
                    found.append(Path(entry.path))
            except OSError:
                continue
    return sorted(found)


def sort_file(_state, path: Path):
    """One file of the caseload, read and sorted (in a worker with --jobs):
    ("ppm", child ID, events), ("case", child ID), ("invalid", child ID, label, pointer,
    message, how many more), ("unreadable", line), or None for a file the tracker does not use."""
    from permanence.forms.load import load_record
    from permanence.forms.validate import schema_findings

    try:
        record = load_record(path)
    except UserError as exc:
        if path.name.startswith("case"):
            return ("unreadable", f"{exc} (skipped: the child is not in this tracker run)")
        log.info("not read: a file in the caseload")
        return None
    if record.form == "ppm-record":
        child = record.data.get("child")
        child_id = str((child.get("id") if isinstance(child, dict) else None) or "")  # a draft may be any shape
        return ("ppm", child_id, events_from_ppm(record.data, path.name)) if child_id else None
    if record.form != "case":
        return None
    errors = schema_findings(record)
    child_id = (record.data.get("child") or {}).get("id") if isinstance(record.data.get("child"), dict) else None
    if errors:
        first = errors[0]
        return ("invalid", child_id, first.label, first.pointer, first.message, len(errors) - 1)
    return ("case", child_id)


def read_caseload(folder: str | Path, earlier_ids: set | None = None, jobs: int | None = 1) -> Caseload:
    """`earlier_ids`: children with a row in the earlier tracker (a skipped record keeps that row).
    Each case is kept as its path and child ID (its record is read again for its row)."""
    from permanence.pool import Failed, run_all

    files = caseload_files(folder)
    results = run_all(sort_file, files, jobs=jobs, label="Reading the caseload".ljust(22), min_items=POOL_FROM)
    out = Caseload()
    seen: dict[str, str] = {}
    for path, result in zip(files, results):
        if isinstance(result, Failed):
            if path.name.startswith("case"):
                out.problems.append(f"{path}: {result.message()} (skipped: the child is not in this tracker run)")
            continue
        if result is None:
            continue
        kind = result[0]
        if kind == "unreadable":
            out.problems.append(result[1])
        elif kind == "ppm":
            out.ppm_events.setdefault(result[1], []).extend(result[2])
        elif kind == "invalid":
            _, child_id, label, pointer, message, more = result
            more = f" (and {more} more)" if more else ""
            kept = isinstance(child_id, str) and child_id in (earlier_ids or set())
            skipped = ("Skipped: the tracker keeps this child's last row unchanged." if kept else
                       "Skipped: the child is not in the tracker until the record is put right.")
            out.problems.append(f"{path}: {label} ({pointer or '/'}): {message}{more} "
                                f"{skipped} Run 'permanence validate {path}' for every problem.")
            if isinstance(child_id, str):
                out.skipped_ids.add(child_id)
        else:
            child_id = result[1]
            if child_id in seen:
                out.problems.append(f"{path}: Child ID '{child_id}' is already used by {seen[child_id]}. "
                                    f"Skipped: give each child one case record.")
                continue
            seen[child_id] = str(path)
            out.cases.append(CaseFile(path=str(path), data=None, child_id=str(child_id)))
    return out


def _engine_setup(profile_name: str, as_of, amber_days):
    from permanence.forms.profiles import load_profile
    from permanence.tracker.engine import Engine

    return Engine(load_profile(profile_name), as_of, amber_days=amber_days)


def row_for(engine, job):
    """One child's row from its case record, read again, and its PPM events (in a worker with --jobs)."""
    from permanence.forms.load import load_record

    path, child_id, events, manual_rag, data = job
    if data is None:
        try:
            data = load_record(path).data
        except UserError as exc:
            return ("problem", f"{exc} (it changed while the tracker was reading it; skipped: run the tracker again)")
        child = data.get("child")
        if not isinstance(child, dict) or str(child.get("id")) != child_id:
            return ("problem", f"{path}: the record changed while the tracker was reading it (skipped: run the tracker again).")
    return engine.child_row(data, events, path, manual_rag=manual_rag)


def compute_rows_in_pool(caseload: Caseload, profile_name: str, as_of, amber_days, manual_rag: dict, jobs: int | None):
    """Every child's row, in the order of the case records; each case's data is let go
    as soon as its job is made (the worker reads the file again)."""
    from permanence.pool import Failed, run_all

    jobs_list = []
    for case in caseload.cases:
        cid = case.child_id or str(case.data["child"]["id"])
        jobs_list.append((case.path, cid, caseload.ppm_events.get(cid, []), (manual_rag.get(cid) or "").lower() or None, case.data))
        case.data = None  # freed: the row is all the tracker needs from here on
    results = run_all(row_for, jobs_list, jobs=jobs, setup=_engine_setup, setup_args=(profile_name, as_of, amber_days),
                      label="Working out due dates".ljust(22), min_items=POOL_FROM)
    del jobs_list
    rows = []
    shared: dict = {}  # the same descriptions and sources for every child: one copy each, not one a child
    for case, result in zip(caseload.cases, results):
        if isinstance(result, Failed) or isinstance(result, tuple):
            caseload.problems.append(f"{case.path}: {result.message()} (skipped: the child is not in this tracker run)"
                                     if isinstance(result, Failed) else result[1])
            caseload.skipped_ids.add(case.child_id)  # an earlier row of the child is kept, not greyed out
            continue
        for t in result.timescales:
            t.id, t.status, t.severity = intern(t.id), intern(t.status), intern(t.severity)
            t.due_event, t.anchor_event = intern(t.due_event), intern(t.anchor_event)
            t.description = shared.setdefault(t.description, t.description)
            t.source = shared.setdefault(t.source, t.source)
            t.rule = shared.setdefault(t.rule, t.rule)
        for e in result.events:
            e.type, e.source = intern(e.type), shared.setdefault(e.source, e.source)
        result.team = shared.setdefault(result.team, result.team)
        result.social_worker = shared.setdefault(result.social_worker, result.social_worker)
        result.iro = shared.setdefault(result.iro, result.iro)
        rows.append(result)
    return rows
