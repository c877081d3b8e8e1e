"""Build the tracker: read the previous tracker defensively (previous.py), compute every
child's row, merge the meeting's typed work back in (merge.py), write the new file
atomically, keep the old one."""
from __future__ import annotations

import io
import logging
import os
import shutil
import stat
import tempfile
import threading
from collections import Counter
from dataclasses import replace
from pathlib import Path

from permanence.findings import UserError
from permanence.tracker import workbook as W
from permanence.tracker.engine import ChildRow
from permanence.tracker.merge import (_by_header, _carry_own_sheets, _follow_moved_rows, _keep_typed_over,
                                      _keep_what_cannot_be_placed, _normalise_meeting_rag, _note_changed, _typed_over_test)
from permanence.tracker.previous import PreviousSheet, check_zip, read_previous  # noqa: F401 (re-exported: tracker.command)

log = logging.getLogger(__name__)


def _summary(wb, rows: list[ChildRow], kept: list[dict], meeting_rag: dict, engine, profile, problems: list[str]) -> None:
    from permanence.tracker.summary import write_summary

    write_summary(wb, rows, kept, meeting_rag, engine, profile, problems)


def build_tracker(rows: list[ChildRow], engine, profile, out: Path, *, backup: bool = True,
                  problems: list[str] | None = None, skipped_ids: set[str] | None = None,
                  progress=None, expected=None) -> dict:
    """Write the tracker to `out`; returns counts for the caller's message. expected (a
    safety.Identity) is the tracker as first read: if it has changed since, `out` is left
    as it is and the new tracker goes beside it (UserError)."""
    problems = problems or []
    skipped_ids = skipped_ids or set()
    previous: dict[str, PreviousSheet] = {}
    if out.exists():
        previous = read_previous(out)
    # Everything written on the way holds case data: openpyxl's sheet parts (it streams
    # each sheet to a temporary file), the new workbook, the backup being copied. All of it
    # goes into one private folder beside the tracker (same disk, so the last step is a
    # rename), made before the workbook so an unwritable folder is refused before any sheet
    # is streamed; it is removed on every way out, and a run that was killed leaves it for
    # the next run to sweep (safety.sweep_temporaries).
    try:
        work = tempfile.mkdtemp(prefix=WORK_PREFIX, dir=str(out.resolve().parent))
    except OSError as exc:
        raise UserError(_cannot_write(out, exc)) from None
    tmp = os.path.join(work, "tracker.xlsx")
    # openpyxl writes its sheet parts wherever tempfile points; that is process-wide, so two
    # workbooks written at once in one process (the web page) take turns.
    with _TEMPDIR_SWAP:
        return _build_in(work, rows, engine, profile, out, tmp, previous, backup, problems, skipped_ids, progress, expected)


_TEMPDIR_SWAP = threading.Lock()


def _build_in(work, rows, engine, profile, out, tmp, previous, backup, problems, skipped_ids, progress, expected):
    from lxml.etree import SerialisationError

    from permanence.tracker.safety import quiet_cleanup

    saved_tempdir = tempfile.tempdir
    tempfile.tempdir = work
    try:
        with quiet_cleanup():
            counts = _build(rows, engine, profile, out, tmp, previous, backup=backup, problems=problems,
                            skipped_ids=skipped_ids, progress=progress, expected=expected)
    except SerialisationError as exc:  # a sheet part could not be streamed: the disk is full
        reason = "No space left on device" if "ENOSPC" in str(exc) else str(exc)
        raise UserError(_cannot_write(out, OSError(0, reason))) from None
    except OSError as exc:  # the same, from a sheet part streamed by our own writer
        raise UserError(_cannot_write(out, exc)) from None
    finally:
        tempfile.tempdir = saved_tempdir
        shutil.rmtree(work, ignore_errors=True)
    return counts


WORK_PREFIX = ".tracker-work-"


def check_writable(out: Path) -> None:
    """Refuse, before any work, an output folder the tracker cannot be written to."""
    os.unlink(_temporary_beside(out))


def _temporary_beside(out: Path) -> str:
    try:
        fd, tmp = tempfile.mkstemp(prefix=".tracker-", suffix=".xlsx", dir=str(out.resolve().parent))
    except OSError as exc:
        raise UserError(_cannot_write(out, exc)) from None
    os.close(fd)
    return tmp


def _cannot_write(out: Path, exc: OSError) -> str:
    return (f"{out}: cannot be written ({exc.strerror or type(exc).__name__}); nothing was written and the old tracker, "
            "if any, is unchanged. Choose a folder you can write to, or free some space, and try again.")


def _build(rows, engine, profile, out: Path, tmp: str, previous: dict, *, backup, problems, skipped_ids, progress,
           expected=None) -> dict:
    from openpyxl import Workbook

    settings = engine.settings
    today = engine.as_of.strftime("%d/%m/%Y")
    current_ids = {r.id for r in rows}

    wb = Workbook(write_only=True)
    wb.properties.title = "Permanence tracker"
    wb.properties.keywords = W.MARKER
    wb.properties.subject = W.PRINT_MARKING
    wb.properties.creator = "permanence tracker"

    members = {r.id: W.sheet_members(r, settings) for r in rows}
    values = {}
    for r in rows:
        values[r.id] = W.child_values(r, settings)
    meeting_rag = {}
    notes: list[str] = []  # what the meeting typed that was kept somewhere else, or kept as it is: said on stderr
    main_prev = previous.get(W.MAIN)
    if main_prev:
        for cid, old in main_prev.rows.items():
            rag = W.normalise_rag(old.get("RAG (meeting)"))
            if rag in W.RAG_LABELS:
                meeting_rag[cid] = rag
    kept_main: list[dict] = []
    prev_marks: dict[str, list[set]] = {}  # sheet -> per column, every mark the last build wrote there
    counts = Counter()
    for title, columns in W.SHEETS.items():
        prev = previous.get(title)
        if prev is not None and prev.raw is not None:
            prev = None  # a sheet of the meeting's own with one of our names: not a tracker sheet
        columns = [replace(c, header=c.header.format(target=settings.get("pre_proceedings_target_weeks", 16),
                                                     maximum=settings.get("pre_proceedings_max_weeks", 26),
                                                     proceedings=settings.get("proceedings_weeks", 26)))
                   for c in columns]
        notes_header = "Notes" if title == W.MAIN else "Notes (this tracker)"
        # Computed columns a value typed over would be lost from (legal status and plan have
        # their own note in _note_changed).
        computed = [c for c in columns if not c.typed and c.kind != "rag_shown" and c.key not in ("id", "status")
                    and not (title == W.MAIN and c.key in ("legal_status", "primary_plan"))]
        ours = {c.header for c in columns}
        if prev is not None:
            prev_marks[title] = _follow_moved_rows(prev)
        extras = [h for h in (prev.headers if prev else []) if h and h not in ours and h != W.CHECK_HEADER]
        typed_headers = [c.header for c in columns if c.typed] + extras
        def row_values(r, prev=prev, title=title, typed_headers=typed_headers, computed=computed, notes_header=notes_header):
            v = dict(values[r.id])
            v["rag_shown_value"] = meeting_rag.get(r.id) or v["rag_computed"]
            old = prev.rows.get(r.id) if prev else None
            if old:
                for h in typed_headers:
                    if old.get(h) not in (None, ""):
                        v[h] = old[h]
                typed_over = _typed_over_test(prev.headers, old, prev_marks.get(title))
                if title == W.MAIN:
                    _note_changed(v, old, today, typed_over)
                    _normalise_meeting_rag(v, r.id, notes)
                _keep_typed_over(title, r.id, v, old, computed, notes_header, today, notes, typed_over)
            return v

        pending: list = []  # a child's row (its values made as it is written: one child's at a time) or a kept row
        for r in rows:
            if title not in members[r.id]:
                continue
            pending.append(r)
            counts[title] += 1
        # Rows from the previous tracker that this run does not write: kept, marked.
        if prev:
            for cid in prev.order:
                if cid in current_ids and title in members.get(cid, []):
                    continue
                old = dict(prev.rows[cid])
                if cid in skipped_ids:
                    old["Status"] = W.NOT_UPDATED
                elif cid not in current_ids:
                    old["Status"] = W.GONE
                else:
                    if not any(old.get(h) not in (None, "") for h in typed_headers):
                        continue  # nothing typed: the child simply left this tracker
                    old["Status"] = W.OFF_THIS_TRACKER
                if title == W.MAIN:
                    kept_main.append(old)
                pending.append(old)
                counts[f"{title}:kept"] += 1
        sheet = W.SheetWriter(wb, title, columns, extras, data_rows=len(pending), check=True)
        for item in pending:
            sheet.append(_by_header(sheet, row_values(item) if isinstance(item, ChildRow) else item))
            if progress and title == W.MAIN:
                progress(1)
        sheet.finish()

    values.clear()  # the sheets of children are written
    del pending

    # What is still to do: the timescales met already are in `--format json`.
    open_ = [(r, t) for r in rows for t in r.timescales if t.status in ("overdue", "due soon", "upcoming")]
    due = W.SheetWriter(wb, W.DUE_DATES, W.DUE_COLUMNS, [], data_rows=len(open_))
    for r, t in open_:
        due.append({"id": r.id, "name": r.name, "description": t.description,
                    "from": W.counted_from(t), "due": t.due, "status": W.status_word(t.status),
                    "met_on": t.met_on, "booked": t.booked, "source": t.source})
    due.finish()
    _summary(wb, rows, kept_main, meeting_rag, engine, profile, problems)
    _keep_what_cannot_be_placed(wb, previous, out, today, notes)
    _carry_own_sheets(wb, previous, out, notes)
    W.write_lists(wb)

    _save_atomically(wb, out, tmp, backup=backup and out.exists(), expected=expected)
    counts["children"] = len(rows)
    counts["gone"] = sum(1 for k in kept_main if k.get("Status") == W.GONE)
    return {**counts, "notes": notes}


def _save_atomically(wb, out: Path, tmp: str, backup: bool, expected=None) -> None:
    from permanence.tracker.safety import changed_meanwhile, rebuilt_name

    shown = out
    out = out.resolve()
    tmp2 = None
    try:
        # Saved into memory first, then written with one plain write: a disk that fills
        # half-way through a zip leaves openpyxl's ZipFile unclosed, and its clean-up later
        # printed a traceback ("Exception ignored in ZipFile.__del__") before our message.
        buffer = io.BytesIO()
        wb.save(buffer)
        with open(tmp, "wb") as handle:
            handle.write(buffer.getbuffer())
        del buffer
        # mkstemp makes the file private (0600): give it the old tracker's permissions, or
        # the usual ones for a new file, so a shared tracker stays shared.
        if out.exists():
            os.chmod(tmp, stat.S_IMODE(out.stat().st_mode))
        else:
            umask = os.umask(0)
            os.umask(umask)
            os.chmod(tmp, 0o666 & ~umask)
        if expected is not None and changed_meanwhile(out, expected):
            # Saved by someone else (or written by another run) since it was read: replacing
            # it would lose their work. Both are kept.
            beside = rebuilt_name(shown)
            os.replace(tmp, beside)
            raise UserError(f"{shown}: was changed by someone else while the rebuild ran (saved in Excel, or another rebuild), "
                            f"so it was left as it is; the new tracker was written to {beside} instead. Run the rebuild again "
                            "to take in what they saved, then delete the one you do not need.")
        if backup:
            previous = out.with_name(out.stem + ".previous" + out.suffix)
            fd2, tmp2 = tempfile.mkstemp(prefix=".tracker-prev-", suffix=".xlsx", dir=os.path.dirname(tmp) or ".")
            os.close(fd2)
            shutil.copy2(out, tmp2)
            os.replace(tmp2, previous)
            tmp2 = None
        os.replace(tmp, out)
    except OSError as exc:  # disk full, or the folder made read-only meanwhile
        _remove(tmp, tmp2)
        raise UserError(_cannot_write(shown, exc)) from None
    except BaseException:
        _remove(tmp, tmp2)
        raise


def _remove(*paths) -> None:
    for path in paths:
        if path and os.path.exists(path):
            try:
                os.unlink(path)
            except OSError:
                pass
