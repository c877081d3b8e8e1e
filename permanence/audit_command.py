"""`permanence audit`: audit Child's Permanence Reports against the quality-assurance
checklist (seed 003 App. 8) and report by area, as JSON, or as the filled Word audit form."""
from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
import textwrap
from pathlib import Path

import click

from permanence.findings import EXIT_CLEAN, EXIT_COULD_NOT_RUN, EXIT_FINDINGS, UserError

ANSWER_LABEL = {"yes": "Yes", "no": "No", "partial": "Partial", "review": "Review", "not_applicable": "N/A"}


def _load_previous(path: str) -> dict:
    from permanence.forms.load import load_record
    from permanence.forms.validate import schema_findings

    record = load_record(path)
    if record.form != "cpr-audit":
        raise UserError(f"{path}: --previous needs an earlier audit (a 'cpr-audit' record), but this is a '{record.form}' record.")
    errors = schema_findings(record)
    if errors:
        first = errors[0]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise UserError(f"{path}: --previous is not a complete audit: {first.label} ({first.pointer or '/'}): {first.message}{more} "
                        f"Give the audit as 'permanence audit --format json' wrote it, or run 'permanence validate {path}'.")
    return record.data


def _uk_date(value) -> str:
    try:
        return dt.date.fromisoformat(value).strftime("%d/%m/%Y")
    except (TypeError, ValueError):
        return str(value)


def _same_child_or_refuse(previous_path: str, previous: dict, cpr_path, cpr: dict) -> None:
    """A re-audit compares a child's report with that same child's earlier audit: refuse another child's.

    The child IDs decide where both are given; otherwise the name and the date of birth (each where both give it)."""
    from permanence.checks.text import as_dict

    header = as_dict(previous.get("header"))
    child = as_dict(cpr.get("child"))
    name = " ".join(x for x in (child.get("first_names"), child.get("surname")) if isinstance(x, str) and x.strip())
    now = {"id": child.get("id"), "name": name, "dob": child.get("date_of_birth")}
    was = {"id": header.get("child_id"), "name": header.get("child_name"), "dob": header.get("child_date_of_birth")}
    norm = lambda v: " ".join(v.lower().split()) if isinstance(v, str) and v.strip() != "Not stated" else ""  # noqa: E731
    if norm(now["id"]) and norm(was["id"]):
        differ = norm(now["id"]) != norm(was["id"])
    else:
        differ = any(norm(now[k]) and norm(was[k]) and norm(now[k]) != norm(was[k]) for k in ("name", "dob"))
    if not differ:
        return

    def who(d):
        bits = [f"child ID {d['id']}" if norm(d["id"]) else "", f"born {_uk_date(d['dob'])}" if norm(d["dob"]) else ""]
        extra = ", ".join(b for b in bits if b)
        return (d["name"] or "a child not named") + (f" ({extra})" if extra else "")

    raise UserError(f"{previous_path}: --previous is the audit of {who(was)}, but {cpr_path} is the report of {who(now)}; "
                    "a re-audit compares a child's report with that same child's earlier audit. "
                    "Give this child's earlier audit as --previous, or leave --previous out.")


def audit_data(record) -> dict:
    """The data the checks read: the record's, and for a CPR read from any Word template the
    text that could not be placed in a section (as "unplaced", so it is language-checked too)."""
    if not getattr(record, "unplaced", None):
        return record.data
    return {**record.data, "unplaced": [u["text"] for u in record.unplaced]}


def reading_note(record) -> dict | None:
    """How a Word CPR in another template was read: sections found and what could not be placed."""
    if getattr(record, "reader", "") != "cpr_docx":
        return None
    from permanence.forms.readers.cpr_docx import unplaced_summary

    found, known = getattr(record, "sections_found", None), getattr(record, "sections_known", None)
    lines = unplaced_summary(record.unplaced)
    note = f"Read from the report's own headings: {found} of the {known} parts of a CPR found."
    if lines:
        note += " " + "; ".join(lines[:10]) + (f"; and {len(lines) - 10} more" if len(lines) > 10 else "") + \
            ". Those paragraphs were still checked for language and spelling."
    out = {"note": note[:100000]}
    return out


POOL_FROM = 2  # reports: an audit takes long enough that two already share the cores


def _audit_setup(engine_choice: str):
    from permanence.checks.proofreading import make_engine
    from permanence.checks.wordlists import load_wordlists

    engine, note = make_engine(prefer=None if engine_choice == "auto" else engine_choice)
    return _AuditState(engine, note, load_wordlists())


class _AuditState:
    """What each process makes once: the proofreading engine (closed when the run ends) and the word lists."""

    def __init__(self, engine, note, wordlists):
        self.engine, self.note, self.wordlists = engine, note, wordlists

    def close(self):
        self.engine.close()


def _audit_job(state, job):
    """One CPR: (path, audit or None, error or None), or None when the file is not a CPR
    and was not named on the command line (in a worker with --jobs)."""
    from permanence.checks.audit import build_audit
    from permanence.forms.load import load_record

    path, explicit, options = job
    try:
        record = load_record(path)
    except UserError as exc:
        return (str(path), None, str(exc)) if explicit else None
    if record.form != "cpr":
        return (str(path), None, f"{path}: this is a '{record.form}' record; the audit reads Child's Permanence Reports ('cpr').") if explicit else None
    if options["previous"] is not None:
        _same_child_or_refuse(options["previous_path"], options["previous"], path, record.data)
    asked = set(record.origin) if getattr(record, "reader", "") == "cpr_docx" else None
    audit = build_audit(audit_data(record), as_of=options["as_of"], engine=state.engine, engine_note=state.note,
                        wordlists=state.wordlists, previous=options["previous"], source_file=path.name,
                        auditor=options["auditor"], asked=asked)
    reading = reading_note(record)
    if reading:
        audit["reading"] = reading
    if options["auditor_title"]:
        audit["header"]["auditor_title"] = options["auditor_title"][:500]
    return (str(path), audit, None)


def _uses_local_languagetool(engine_choice: str) -> bool:
    """LanguageTool started from a local folder is a Java server of its own: one, not one a process."""
    if engine_choice != "auto":
        return False
    from permanence.config import load_config

    return bool(load_config().lt_jar_dir)


def audit_paths(paths: list[str], *, as_of: dt.date, engine_choice: str = "auto", previous: str | None = None,
                auditor: str | None = None, auditor_title: str | None = None, jobs: int | None = 1) -> list[tuple[str, dict | None, str | None]]:
    """(path, audit or None, error) for every CPR found under the paths."""
    from permanence.forms.load import iter_record_paths
    from permanence.pool import Failed, run_all

    files = iter_record_paths(paths)
    explicit = {Path(p).resolve() for p in paths if Path(p).exists() and not Path(p).is_dir()}  # a pipe is named too
    prev = _load_previous(previous) if previous else None
    options = {"as_of": as_of, "previous": prev, "previous_path": previous, "auditor": auditor, "auditor_title": auditor_title}
    if prev is not None or _uses_local_languagetool(engine_choice):
        jobs = 1  # a re-audit is of one report
    jobs_list = [(path, path.resolve() in explicit, options) for path in files]
    results = run_all(_audit_job, jobs_list, jobs=jobs, setup=_audit_setup, setup_args=(engine_choice,),
                      label="Auditing", min_items=POOL_FROM)
    out = []
    for path, result in zip(files, results):
        if isinstance(result, Failed):
            out.append((str(path), None, f"{path}: {result.message()}"))
        elif result is not None:
            out.append(result)
    if prev is not None and len([a for _, a, _ in out if a]) > 1:
        raise UserError("--previous compares one report with its earlier audit: name a single CPR file.")
    return out


def text_report(path: str, audit: dict, verbose: int = 0) -> str:
    from permanence.checks.outcome import OUTCOME_LABEL
    from permanence.citations import cite

    from permanence.forms.schema import enum_label, subschema_at

    stage = enum_label(subschema_at("cpr-audit", ["header", "stage"]) or {}, audit["header"].get("stage", "other"))
    lines = [f"{path}: CPR audit of {audit['header'].get('child_name')} ({stage if stage != 'Other' else 'stage not given'}), "
             f"proofreading: {audit.get('proofreading', {}).get('engine')}"]
    area = None
    wrap = lambda s, ind: textwrap.fill(s, width=100, initial_indent=ind, subsequent_indent=ind)  # noqa: E731
    if audit.get("reading", {}).get("note"):
        lines.append(wrap(audit["reading"]["note"], ""))
    news = audit.get("proofreading", {}).get("note", "")
    from permanence.checks.proofreading import standard_notes

    for standard in standard_notes():
        news = news.replace(standard, "")
    if news.strip():  # e.g. LanguageTool configured but unreachable: said here, in a sentence
        lines.append(wrap("Proofreading: " + " ".join(news.split()), ""))
    for item in audit["items"]:
        if item["area"] != area:
            area = item["area"]
            lines.append("")
            lines.append(area.upper())
        since = f" [{item['since_previous'].replace('_', ' ')}]" if item.get("since_previous") else ""
        lines.append(f"  {item['id']:<4}{ANSWER_LABEL[item['answer']]:<8}{item['question']}{since}")
        if item["answer"] in ("no", "partial", "review") or verbose:
            if item.get("comments"):
                lines.append(wrap(item["comments"], "              "))
            for action in item.get("actions", []):
                lines.append(wrap("Action: " + action, "              "))
            limit = None if verbose else 3
            evidence = item.get("evidence", [])
            # Findings new since the previous audit first, so a re-audit shows what has appeared.
            shown = sorted(evidence, key=lambda ev: ev.get("since_previous") != "new")
            for ev in shown[:limit]:
                where = f"{ev.get('field')}"
                span = f" (characters {ev['start']}-{ev['end']})" if "start" in ev else ""
                excerpt = ev.get("excerpt", "")
                excerpt = (excerpt[:80] + "...") if len(excerpt) > 80 else excerpt
                mark = "New evidence" if ev.get("since_previous") == "new" else "Evidence"
                lines.append(wrap(f"{mark}: {where}{span}: \"{excerpt}\"" if excerpt else f"{mark}: {where}", "              "))
            if limit and len(evidence) > limit:
                lines.append(f"              ... and {len(evidence) - limit} more {'place' if len(evidence) - limit == 1 else 'places'} (-v shows all, --format json lists them)")
        if item.get("resolved_since_previous") and (item["answer"] in ("no", "partial", "review") or verbose):
            fixed = item["resolved_since_previous"]
            lines.append(wrap("Resolved since the previous audit: " + "; ".join(fixed[:5]) + (f"; and {len(fixed) - 5} more" if len(fixed) > 5 else ""),
                              "              "))
        if verbose:
            lines.append(wrap(f"Source: {cite(item.get('source'))}", "              "))
    if audit.get("privacy"):
        lines.append("")
        lines.append(f"PRIVACY: {len(audit['privacy'])} identifying {'detail' if len(audit['privacy']) == 1 else 'details'} of third parties: remove before the report is shared.")
    since = [i.get("since_previous") for i in audit["items"] if i.get("since_previous") and i["id"] != "X1"]
    if since:
        flagged = [i for i in audit["items"] if i["answer"] in ("no", "partial") and i["id"] != "X1"]
        evidence = [ev for i in flagged for ev in i.get("evidence", [])]
        fixed = sum(len(i.get("resolved_since_previous", [])) for i in audit["items"] if i["id"] != "X1")
        when = f"the audit of {_uk_date(audit['previous_audit_date'])}" if audit.get("previous_audit_date") else "the previous audit"
        lines.append("")
        lines.append(f"Since {when}: items: {since.count('resolved')} resolved, {since.count('partly_resolved')} partly resolved, "
                     f"{since.count('still_open')} still open, {since.count('new')} new; findings: {fixed} resolved, "
                     f"{sum(ev.get('since_previous') == 'still_open' for ev in evidence)} still there, "
                     f"{sum(ev.get('since_previous') == 'new' for ev in evidence)} new.")
    counts = {a: sum(i["answer"] == a for i in audit["items"] if i["id"] != "X1") for a in ANSWER_LABEL}
    lines.append("")
    lines.append(f"Outcome: {OUTCOME_LABEL[audit['outcome']]} — {counts['yes']} Yes, {counts['no']} No, {counts['partial']} Partial, "
                 f"{counts['review']} Review, {counts['not_applicable']} N/A.")
    if verbose:
        from permanence.checks.outcome import RULE

        lines.append(wrap("How the outcome is decided: " + RULE, "  "))
    return "\n".join(lines)


def _write_atomic(out_path: Path, text: str) -> None:
    try:
        out_path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=out_path.parent, prefix=".audit-", suffix=out_path.suffix)
    except OSError as exc:
        raise UserError(_cannot_write(out_path, exc)) from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.replace(tmp, out_path)
    except OSError as exc:  # disk full, or the folder made read-only meanwhile
        Path(tmp).unlink(missing_ok=True)
        raise UserError(_cannot_write(out_path, exc)) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _cannot_write(out_path: Path, exc: OSError) -> str:
    return (f"{out_path}: cannot be written ({exc.strerror or type(exc).__name__}); nothing was written. "
            "Choose a folder you can write to, or free some space, and try again.")


def render_docx(audit: dict, out_path: Path, profile: str | None, force: bool) -> None:
    try:
        from permanence.templates.render import render_record
    except ImportError:
        raise UserError("--output to a Word file needs the Word templates (permanence.templates.render), which this installation does not have yet. "
                        "Use --format json --output audit.json instead.") from None
    from permanence.forms.load import Record

    render_record(Record(form="cpr-audit", data=audit), out_path, profile=profile, draft=False, force=force)


def _check_annotate(paths: list[str], annotate: str, output: str | None, force: bool) -> None:
    target = Path(annotate)
    if len(paths) != 1 or Path(paths[0]).suffix.lower() != ".docx" or Path(paths[0]).is_dir():
        raise UserError(f"{annotate}: --annotate comments on one Word report: name a single .docx CPR.")
    if target.suffix.lower() != ".docx":
        raise UserError(f"{annotate}: --annotate writes a Word document; give it a name ending .docx.")
    if target.resolve() == Path(paths[0]).resolve() or (output and target.resolve() == Path(output).resolve()):
        raise UserError(f"{annotate}: --annotate would overwrite the report or the audit. Choose another name.")
    if target.exists() and not force:
        raise UserError(f"{annotate}: the file already exists. Choose another name, or add --force to replace it.")


def run_audit(paths: list[str], *, fmt: str = "text", output: str | None = None, previous: str | None = None,
              as_of: dt.date, profile: str | None = None, engine: str = "auto", force: bool = False, verbose: int = 0,
              auditor: str | None = None, auditor_title: str | None = None, jobs: int | None = None,
              annotate: str | None = None) -> int:
    if annotate:
        _check_annotate(paths, annotate, output, force)
    if output:
        out_path = Path(output)
        if out_path.suffix.lower() not in (".docx", ".json"):
            raise UserError(f"{output}: --output writes a Word form (.docx) or a JSON record (.json); give one of those names.")
        if out_path.exists() and not force:
            raise UserError(f"{output}: the file already exists. Choose another name, or add --force to replace it.")
        if any(Path(p).resolve() == out_path.resolve() for p in paths):
            raise UserError(f"{output}: the output would overwrite the report being audited. Choose another name.")
    results = audit_paths(paths, as_of=as_of, engine_choice=engine, previous=previous, auditor=auditor, auditor_title=auditor_title,
                          jobs=jobs)
    if not results:
        raise UserError("no Child's Permanence Reports found (looked for records with \"form\": \"cpr\" in .json, .yaml and .docx files).")
    audits = [(p, a) for p, a, e in results if a is not None]
    errors = [e for _, a, e in results if e]
    for err in errors:
        click.echo(f"permanence: {err}", err=True)
    if output:
        if len(audits) != 1:
            raise UserError("--output writes one audit: name a single CPR file.")
        out_path = Path(output)
        if out_path.suffix.lower() == ".json":
            _write_atomic(out_path, json.dumps(audits[0][1], indent=2, ensure_ascii=False) + "\n")
        else:
            render_docx(audits[0][1], out_path, profile, force)
        click.echo(f"Wrote {out_path}", err=True)
    if annotate and audits:
        from permanence.forms.load import load_record
        from permanence.templates.annotate import annotate as write_annotated

        source = Path(audits[0][0])
        count = write_annotated(source, audits[0][1], load_record(source), Path(annotate), auditor=auditor, force=force)
        click.echo(f"Wrote {annotate} ({count} comment{'s' if count != 1 else ''})", err=True)
    if fmt == "json":
        payload = audits[0][1] if len(audits) == 1 and len(results) == 1 else [a for _, a in audits]
        from permanence.findings import printable_json

        click.echo(printable_json(json.dumps(payload, indent=2, ensure_ascii=False)))
    elif not output or verbose:
        click.echo("\n\n".join(text_report(p, a, verbose) for p, a in audits))
    elif output:
        from permanence.checks.outcome import OUTCOME_LABEL

        click.echo(f"{audits[0][0]}: {OUTCOME_LABEL[audits[0][1]['outcome']]}")
    if errors:
        return EXIT_COULD_NOT_RUN
    return EXIT_CLEAN if all(a["outcome"] == "adequate" for _, a in audits) else EXIT_FINDINGS
