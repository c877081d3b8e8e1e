"""Read a caseload folder: every `case` record (one child each) and the PPM records whose
child.id matches a case, counted as PPM events. Bad case records are skipped with one
plain line naming the file and the field; nothing else in the run stops."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

from permanence.findings import UserError
from permanence.tracker.engine import Event, events_from_ppm

log = logging.getLogger(__name__)

TRACKER_SUFFIXES = {".json", ".yaml", ".yml"}


@dataclass
class CaseFile:
    path: str
    data: dict


@dataclass
class Caseload:
    cases: list[CaseFile] = field(default_factory=list)
    ppm_events: dict[str, list[Event]] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)  # one plain line each
    skipped_ids: set[str] = field(default_factory=set)  # children whose case record was refused
    notes: list[str] = field(default_factory=list)  # said on stderr, not problems with a record (the return's data quality)
    return_findings: int = 0  # data-quality findings in an SSDA903 extract read with the caseload


def read_caseload(folder: str | Path, progress=None, earlier_ids: set | None = None) -> Caseload:
    """`earlier_ids`: children with a row in the earlier tracker (a skipped record keeps that row)."""
    from permanence.forms.load import load_record
    from permanence.forms.validate import schema_findings

    root = Path(folder)
    if not root.exists():
        raise UserError(f"{root}: no such folder. Give the caseload folder, for example examples/caseload/.")
    files = [root] if root.is_file() else sorted(
        p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in TRACKER_SUFFIXES and not p.name.startswith((".", "~$")))
    out = Caseload()
    seen: dict[str, str] = {}
    bar = progress(files, "Reading the caseload") if progress and len(files) >= 500 else None
    for path in (bar.__enter__() if bar else files):
        try:
            record = load_record(path)
        except UserError as exc:
            if path.name.startswith("case"):
                out.problems.append(f"{exc} (skipped: the child is not in this tracker run)")
            else:
                log.info("not read: a file in the caseload")
            continue
        if record.form == "ppm-record":
            child = record.data.get("child")
            child_id = str((child.get("id") if isinstance(child, dict) else None) or "")  # a draft may be any shape
            if child_id:
                out.ppm_events.setdefault(child_id, []).extend(events_from_ppm(record.data, path.name))
            continue
        if record.form != "case":
            continue
        errors = schema_findings(record)
        child_id = (record.data.get("child") or {}).get("id") if isinstance(record.data.get("child"), dict) else None
        if errors:
            first = errors[0]
            more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
            kept = isinstance(child_id, str) and child_id in (earlier_ids or set())
            skipped = ("Skipped: the tracker keeps this child's last row unchanged." if kept else
                       "Skipped: the child is not in the tracker until the record is put right.")
            out.problems.append(f"{path}: {first.label} ({first.pointer or '/'}): {first.message}{more} "
                                f"{skipped} Run 'permanence validate {path}' for every problem.")
            if isinstance(child_id, str):
                out.skipped_ids.add(child_id)
            continue
        if child_id in seen:
            out.problems.append(f"{path}: Child ID '{child_id}' is already used by {seen[child_id]}. "
                                f"Skipped: give each child one case record.")
            continue
        seen[child_id] = str(path)
        out.cases.append(CaseFile(path=str(path), data=record.data))
    if bar:
        bar.__exit__(None, None, None)
    return out
