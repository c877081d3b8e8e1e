"""Audit a CPR: the report (.docx, JSON or YAML) and, optionally, this child's previous
audit; the checklist with each answer, comment and evidence, and the outcome; the Word
audit form and the JSON audit to download."""
from __future__ import annotations

import json

from starlette.requests import Request
from starlette.routing import Route

from permanence.findings import UserError
from permanence.web.app import check_csrf
from permanence.web.jobs import Download, Refused
from permanence.web.pages import DOCX, form_page, read_options, start_job
from permanence.web.uploads import MiB, plain_message, private_folder, read_form, write_uploads

LIMIT = 2 * 100 * MiB + MiB  # the report and the previous audit, each up to a 100 MiB .docx


async def audit_form(request: Request):
    return form_page(request, "audit.html", title="Audit a CPR")


async def audit_submit(request: Request):
    fields, files = await read_form(request, LIMIT, max_files=2)
    check_csrf(request, fields)
    errors: list[dict] = []
    report = files.get("report", [])
    previous = files.get("previous", [])
    if not report:
        errors.append({"text": "Select the Child's Permanence Report to audit", "href": "report", "field": "report"})
    values, profile, as_of = read_options(fields, errors)
    values["auditor"] = fields.get("auditor", "").strip()[:200]
    values["auditor_title"] = fields.get("auditor_title", "").strip()[:200]
    if errors:
        return form_page(request, "audit.html", values=values, errors=errors, status=400, title="Audit a CPR")
    return await start_job(request, "audit", lambda job: run_audit(job, report[0], previous[0] if previous else None,
                                                                   profile, as_of, values), values)


def run_audit(job, report, previous, profile: str, as_of, values: dict) -> None:
    from permanence.audit_command import audit_paths, render_docx
    from permanence.web.present import audit_view

    job.progress("Auditing the report")
    with private_folder() as folder:
        (report_path, report_name), = write_uploads(folder, [report], "report")
        names = {report_path: report_name}
        prev_path = None
        if previous is not None:
            (prev_path, prev_name), = write_uploads(folder, [previous], "previous")
            names[prev_path] = prev_name
        try:
            results = audit_paths([str(report_path)], as_of=as_of, previous=str(prev_path) if prev_path else None,
                                  auditor=values.get("auditor") or None, auditor_title=values.get("auditor_title") or None)
        except UserError as exc:
            text = str(exc)
            field = "previous" if prev_path is not None and text.startswith(str(prev_path)) else "report"
            raise Refused(plain_message(text, folder, names).replace("--previous", "the previous audit"), field) from None
        if not results:
            raise Refused(f"{report_name}: no Child's Permanence Report found in this file. Choose the CPR itself.", "report")
        _, audit, error = results[0]
        if error:
            raise Refused(plain_message(error, folder, names), "report")
        job.progress("Writing the Word audit form")
        out = folder / "out" / "cpr-audit.docx"
        out.parent.mkdir()
        try:
            render_docx(audit, out, profile, force=True)  # the function `permanence audit --output x.docx` calls
        except UserError as exc:
            raise Refused(plain_message(str(exc), folder, names), "report") from None
        docx = out.read_bytes()
        annotated = None
        if report_path.suffix.lower() == ".docx":
            job.progress("Adding the findings to the report as comments")
            annotated = _annotated_copy(report_path, audit, values, folder, names)
    child = (audit.get("header") or {}).get("child_id") or "cpr"
    if annotated is not None:
        job.downloads["annotated.docx"] = Download(f"cpr-reviewed-{child}-{as_of.isoformat()}.docx", DOCX, annotated,
                                                   "The report with the findings as comments (Word)")
    job.downloads["audit.docx"] = Download(f"cpr-audit-{child}-{as_of.isoformat()}.docx", DOCX, docx, "The audit form (Word)")
    job.downloads["audit.json"] = Download(f"cpr-audit-{child}-{as_of.isoformat()}.json", "application/json",
                                           (json.dumps(audit, indent=2, ensure_ascii=False) + "\n").encode("utf-8"),
                                           "The audit record (JSON, for a re-audit later)")
    job.result.update(report_name=report_name, previous_name=names.get(prev_path) if prev_path else None,
                      audit=audit_view(audit), as_of=as_of)


def _annotated_copy(report_path, audit: dict, values: dict, folder, names) -> bytes | None:
    """The report with each No or Partial finding as a Word comment: what
    `permanence audit report.docx --annotate reviewed.docx` writes."""
    from permanence.forms.load import load_record
    from permanence.templates.annotate import annotate

    out = folder / "out" / "reviewed.docx"
    try:
        annotate(report_path, audit, load_record(report_path), out, auditor=values.get("auditor") or None, force=True)
    except UserError as exc:
        raise Refused(plain_message(str(exc), folder, names), "report") from None
    return out.read_bytes()


routes = [Route("/audit", audit_form, methods=["GET"]), Route("/audit", audit_submit, methods=["POST"])]
