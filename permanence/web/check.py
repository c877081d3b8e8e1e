"""Check a draft: the files, the profile and the date; each file's findings by the form's
sections, with a GOV.UK error summary; the JSON report and the findings workbook."""
from __future__ import annotations

from pathlib import Path

from starlette.requests import Request
from starlette.routing import Route

from permanence.web.app import check_csrf
from permanence.web.jobs import Download
from permanence.web.pages import XLSX, form_page, read_options, start_job
from permanence.web.uploads import BadForm, MiB, plain_message, private_folder, read_form, write_uploads

LIMIT = 100 * MiB + MiB  # a .docx may be 100 MiB (safe_docx.MAX_FILE_BYTES), a JSON/YAML record 20 MiB
MAX_FILES = 200


async def check_form(request: Request):
    return form_page(request, "check.html", title="Check a draft")


async def check_submit(request: Request):
    try:
        fields, files = await read_form(request, LIMIT, max_files=MAX_FILES)
    except BadForm as exc:
        if not exc.too_many_files:
            raise
        errors = [{"text": f"Choose at most {MAX_FILES} files at a time", "href": "files", "field": "files"}]
        return form_page(request, "check.html", errors=errors, status=400, title="Check a draft")
    check_csrf(request, fields)
    errors: list[dict] = []
    uploads = files.get("files", [])
    if not uploads:
        errors.append({"text": "Select one or more records to check", "href": "files", "field": "files"})
    values, profile, as_of = read_options(fields, errors)
    if errors:
        return form_page(request, "check.html", values=values, errors=errors, status=400, title="Check a draft")
    return await start_job(request, "check", lambda job: run_check(job, uploads, profile, as_of), values)


def run_check(job, uploads, profile: str, as_of) -> None:
    from permanence.report import json_report
    from permanence.report_xlsx import findings_workbook
    from permanence.validate_command import check_paths
    from permanence.web.present import file_view

    with private_folder() as folder:
        written = write_uploads(folder, uploads)
        names = {path: name for path, name in written}
        reports = []
        for i, (path, _) in enumerate(written):
            job.progress("Checking the files", i, len(written))
            reports.extend(check_paths([str(path)], profile, as_of))  # the function `permanence validate` calls
        for r in reports:
            r.path = names.get(Path(r.path), plain_message(r.path, folder, names))
            if r.error:
                r.error = plain_message(r.error, folder, names)
    files = [file_view(r, i) for i, r in enumerate(reports)]
    errors = [{"text": f"{f['name']}: {x['label']}: {x['message']}", "href": x["id"]} for f in files for s in f["sections"]
              for x in s["findings"] if x["severity"] == "error"]
    errors = [{"text": f"{f['name']} could not be checked: {f['error']}", "href": f["id"]} for f in files if f["error"]] + errors
    stamp = as_of.isoformat()
    # Made when first downloaded: the page does not wait for them.
    job.downloads["report.json"] = Download(f"permanence-report-{stamp}.json", "application/json",
                                            lambda: json_report(reports, profile, stamp).encode("utf-8"), "The report (JSON)")
    job.downloads["findings.xlsx"] = Download(f"findings-{stamp}.xlsx", XLSX, lambda: findings_workbook(reports, profile, stamp),
                                              "The findings as a spreadsheet (one row per finding, per child)")
    from permanence.forms.profiles import load_profile

    job.result.update(files=files, summary_errors=errors, profile=load_profile(profile).name, as_of=as_of,
                      counts={"files": len(reports), "errors": sum(len(r.errors) for r in reports),
                              "warnings": sum(len(r.warnings) for r in reports),
                              "unreadable": sum(1 for r in reports if r.error),
                              "passed": sum(1 for r in reports if not r.error and not r.errors)})


routes = [Route("/check", check_form, methods=["GET"]), Route("/check", check_submit, methods=["POST"])]
