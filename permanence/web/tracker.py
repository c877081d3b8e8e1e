"""Build the tracker: the caseload as a .zip of records and, optionally, the current
tracker; the rebuilt workbook, and what was kept, moved to Notes or greyed out."""
from __future__ import annotations

from starlette.requests import Request
from starlette.routing import Route

from permanence.findings import UserError
from permanence.web.app import check_csrf
from permanence.web.jobs import Download, Refused
from permanence.web.pages import XLSX, form_page, read_options, start_job
from permanence.web.uploads import MiB, plain_message, private_folder, read_form, safe_filename

LIMIT = 100 * MiB + 200 * MiB + MiB  # the caseload .zip (safe_zip.MAX_ZIP_BYTES) and a tracker (tracker/build.py MAX_XLSX_BYTES)


async def tracker_form(request: Request):
    return form_page(request, "tracker.html", title="Build the tracker")


async def tracker_submit(request: Request):
    fields, files = await read_form(request, LIMIT, max_files=2)
    check_csrf(request, fields)
    errors: list[dict] = []
    caseload = files.get("caseload", [])
    current = files.get("current", [])
    if not caseload:
        errors.append({"text": "Select the caseload (a .zip of the case records)", "href": "caseload", "field": "caseload"})
    elif not caseload[0].name.lower().endswith(".zip"):
        errors.append({"text": f"{caseload[0].name}: the caseload must be a .zip file of the case records", "href": "caseload", "field": "caseload"})
    if current and not current[0].name.lower().endswith(".xlsx"):
        errors.append({"text": f"{current[0].name}: the current tracker must be an Excel workbook (.xlsx)", "href": "current", "field": "current"})
    values, profile, as_of = read_options(fields, errors)
    if errors:
        return form_page(request, "tracker.html", values=values, errors=errors, status=400, title="Build the tracker")
    return await start_job(request, "tracker", lambda job: run_tracker(job, caseload[0], current[0] if current else None,
                                                                       profile, as_of), values)


def run_tracker(job, caseload, current, profile: str, as_of) -> None:
    from permanence.citations import cite
    from permanence.safe_zip import extract_records
    from permanence.tracker.caseload import TRACKER_SUFFIXES
    from permanence.tracker.command import make_tracker

    job.progress("Unpacking the caseload")
    with private_folder() as folder:
        records = folder / "caseload"
        records.mkdir()
        try:
            extract_records(caseload.data, records, name=caseload.name, suffixes=TRACKER_SUFFIXES)
        except UserError as exc:
            raise Refused(str(exc), "caseload") from None
        out = folder / "out" / "tracker.xlsx"
        out.parent.mkdir()
        names = {out: current.name if current else "the tracker"}
        if current is not None:
            out.write_bytes(current.data)
        try:
            job.progress("Reading the caseload and working out the due dates")
            result = make_tracker(str(records), str(out), "xlsx", profile, as_of, None, backup=False, jobs=1,
                                  progress=job.bars)  # the function `permanence tracker` calls
        except UserError as exc:
            text = plain_message(str(exc), folder, names)
            raise Refused(text, "current" if current is not None and str(out) in str(exc) else "caseload") from None
        data = out.read_bytes()
    counts = result.counts or {}
    kept = {k.split(":")[0]: v for k, v in counts.items() if k.endswith(":kept")}
    rows = [{"id": r.id, "name": r.name, "rag": r.rag, "plan": r.primary_plan, "reasons": [cite(x) for x in r.rag_reasons]}
            for r in result.rows]
    name = safe_filename(current.name if current else f"tracker-{as_of.isoformat()}.xlsx", "tracker.xlsx")
    job.downloads["tracker.xlsx"] = Download(name, XLSX, data, "The tracker workbook (Excel)")
    job.result.update(children=counts.get("children", len(rows)), gone=counts.get("gone", 0), kept=kept,
                      notes=[plain_message(n, folder, names) for n in counts.get("notes", [])],
                      problems=[plain_message(p, folder, names) for p in result.caseload.problems],
                      rows=rows, profile=result.profile.name, as_of=as_of, rebuilt=current is not None)


routes = [Route("/tracker", tracker_form, methods=["GET"]), Route("/tracker", tracker_submit, methods=["POST"])]
