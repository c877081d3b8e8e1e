"""`permanence import ssda903 PATH... -o CASELOAD_DIR`: the logic behind the command."""
from __future__ import annotations

import datetime as dt
import json
import itertools
import os
from pathlib import Path

import click

from permanence.findings import EXIT_CLEAN, EXIT_FINDINGS, UserError

SHOWN_FINDINGS = 200  # findings printed; the workbook (--report) holds every one


def words(kind: str, code) -> str:
    """A code of the case form or of the return in the words a person reads."""
    from permanence.tracker.workbook import EVENT, LEGAL_STATUS, PLACEMENT

    if code is None:
        return ""
    if kind == "date_of_birth":
        try:
            return dt.date.fromisoformat(code).strftime("%d/%m/%Y")
        except ValueError:
            return str(code)
    table = {"legal_status": LEGAL_STATUS, "placement_type": PLACEMENT, "event": EVENT,
             "gender": {"female": "Female", "male": "Male", "other": "Other", "not_known": "Not known"}}.get(kind, {})
    return table.get(code, str(code))


def existing_cases(folder: Path) -> tuple[dict[str, tuple[Path, dict]], list[str]]:
    """Child ID -> (path, record) for every case record under the folder."""
    from permanence.forms.load import load_record

    found: dict[str, tuple[Path, dict]] = {}
    problems: list[str] = []
    if not folder.exists():
        return found, problems
    for path in sorted(p for p in folder.rglob("case*") if p.is_file() and p.suffix.lower() in (".json", ".yaml", ".yml")
                       and not any(part.startswith(".") for part in p.relative_to(folder).parts)):
        try:
            record = load_record(path)
        except UserError as exc:
            problems.append(f"{exc} (not updated from the return: put it right first)")
            continue
        if record.form != "case":
            continue
        cid = (record.data.get("child") or {}).get("id") if isinstance(record.data.get("child"), dict) else None
        if isinstance(cid, str):
            if cid in found:
                problems.append(f"{path}: Child ID '{cid}' is already used by {found[cid][0]}; not updated from the return.")
                continue
            found[cid] = (path, record.data)
    return found, problems


def cases_from_return(paths, as_of: dt.date, existing: dict[str, tuple[Path, dict]]):
    """(children, records) where records is child ID -> (path or None, merged record, changes)."""
    from permanence.ssda903.convert import convert_all
    from permanence.ssda903.merge import merge
    from permanence.ssda903.read import read_extract

    extract = read_extract(paths)
    children = convert_all(extract, as_of)
    records = {}
    for child in children:
        if child.record is None:
            continue
        path, data = existing.get(child.id, (None, None))
        merged, changes = merge(data, child, words)
        records[child.id] = (path, merged, changes, data)
    return extract, children, records


def run_import(paths, out_dir: str, as_of: dt.date, report: str | None, quiet: bool = False) -> int:
    from permanence.forms.load import Record
    from permanence.forms.validate import schema_findings

    out = Path(out_dir)
    if out.exists() and not out.is_dir():
        raise UserError(f"{out}: is a file; -o is the caseload folder to write the case records into.")
    if report and Path(report).suffix.lower() != ".xlsx":
        raise UserError(f"{report}: the data-quality report is an Excel workbook; give a file name ending .xlsx.")
    if report and not Path(report).resolve().parent.exists():
        raise UserError(f"{Path(report).parent}: no such folder for the data-quality report. Create it first.")
    existing, problems = existing_cases(out)
    extract, children, records = cases_from_return(paths, as_of, existing)
    if not extract.tables:
        raise UserError("the files hold no rows of the return. Give the SSDA903 extract's files (CSV or XML).")
    out.mkdir(parents=True, exist_ok=True)
    written = unchanged = new = refused = 0
    lines: list[str] = []
    for cid, (path, merged, changes, before) in sorted(records.items()):
        if path is not None and path.suffix.lower() != ".json":
            problems.append(f"{path}: a YAML case record is not rewritten (its comments would be lost); "
                            f"{cid} was not updated from the return. Change it to JSON, or update it by hand.")
            refused += 1
            continue
        if before is not None and merged == before:
            unchanged += 1
            continue
        errors = schema_findings(Record(form="case", data=merged, path=str(path or cid)))
        if errors:
            first = errors[0]
            problems.append(f"{path or cid}: after the import the record would not be valid ({first.label} "
                            f"{first.pointer}: {first.message}); not written. Put the record right and import again.")
            refused += 1
            continue
        target = path or out / cid / "case.json"
        write_atomically(target, merged)
        written += 1
        new += before is None
        lines.append(f"{cid}: " + "; ".join(changes) + f" ({target})")
    findings = [f for c in children for f in c.findings]
    if report:
        from permanence.ssda903.quality import write_report
        write_report(Path(report), findings, as_of)
    if not quiet:
        for line in lines:
            click.echo(line)
        for f in findings[:SHOWN_FINDINGS]:
            click.echo(f"data quality: {f.line()}")
        if len(findings) > SHOWN_FINDINGS:
            click.echo(f"data quality: and {len(findings) - SHOWN_FINDINGS} more"
                       + (f" (every one is in {report})." if report else "; write them all with --report dq.xlsx."))
    for line in problems:
        click.echo(f"permanence: {line}", err=True)
    tables = sorted({t for _, t in extract.files})
    click.echo(f"Imported {len(children)} children from {len(extract.files)} file{'s' if len(extract.files) != 1 else ''} "
               f"({', '.join(tables)}) into {out}: {new} new, {written - new} updated, {unchanged} unchanged"
               + (f", {refused} not written" if refused else "")
               + f"; {len(findings)} data-quality finding{'s' if len(findings) != 1 else ''}"
               + (f" (in {report})" if report else "") + ".")
    return EXIT_FINDINGS if findings or problems else EXIT_CLEAN


def dump_record(data: dict) -> str:
    """The record as JSON a person can read and edit: a line a field, and in a list of
    objects (the events) a line an item."""
    lines = []
    for key, value in data.items():
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            items = ",\n".join("    " + json.dumps(v, ensure_ascii=False) for v in value)
            lines.append(f"  {json.dumps(key)}: [\n{items}\n  ]")
        else:
            lines.append(f"  {json.dumps(key)}: {json.dumps(value, ensure_ascii=False)}")
    return "{\n" + ",\n".join(lines) + "\n}\n"


def write_atomically(target: Path, data: dict) -> None:
    """Written to a temporary file beside the target, then renamed over it: a record is
    whole or unchanged. A new file gets the usual permissions (the umask's), a replaced
    one keeps its own."""
    target.parent.mkdir(parents=True, exist_ok=True)
    text = dump_record(data).encode("utf-8")
    tmp = target.with_name(f".case-{os.getpid()}-{next(_COUNTER)}.json.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(fd, "wb") as fh:
            fh.write(text)
        if target.exists():
            os.chmod(tmp, target.stat().st_mode & 0o777)
        os.replace(tmp, target)
    except OSError as exc:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise UserError(f"{target}: cannot be written ({exc.strerror or type(exc).__name__}); the record there, if any, "
                        "is unchanged. Choose a folder you can write to, or free some space.") from None
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


_COUNTER = itertools.count()
