"""The start page, the privacy notice, blank forms, and the pages of a job (progress,
results, downloads, removal); the profile and date fields every journey shares."""
from __future__ import annotations

import datetime as dt

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from permanence.web.app import check_csrf, owner, page
from permanence.web.uploads import read_form, safe_filename

JOB_PAGES = {  # kind -> (form template, result template, title of the job)
    "check": ("check.html", "check_result.html", "Check a draft"),
    "audit": ("audit.html", "audit_result.html", "Audit a CPR"),
    "tracker": ("tracker.html", "tracker_result.html", "Build the tracker"),
}


def profile_choices() -> list[tuple[str, str]]:
    from permanence.forms.profiles import available_profiles, load_profile

    return [(p, load_profile(p).name) for p in available_profiles()]


def default_values() -> dict:
    from permanence.config import load_config

    today = dt.date.today()
    try:
        profile = load_config().profile
    except Exception:  # noqa: BLE001 - a broken configuration file still lets the page open
        profile = "england"
    return {"profile": profile, "day": str(today.day), "month": str(today.month), "year": str(today.year)}


def read_options(fields: dict, errors: list[dict]) -> tuple[dict, str | None, dt.date | None]:
    """The profile and the date from the form, adding GOV.UK error messages to `errors`."""
    values = {"profile": fields.get("profile", ""), "day": fields.get("as_of_day", "").strip(),
              "month": fields.get("as_of_month", "").strip(), "year": fields.get("as_of_year", "").strip()}
    profile = values["profile"] if values["profile"] in dict(profile_choices()) else None
    if profile is None:
        errors.append({"text": "Select the local authority profile", "href": "profile", "field": "profile"})
    as_of = None
    parts = [values["day"], values["month"], values["year"]]
    if not any(parts):
        errors.append({"text": "Enter the date to treat as today", "href": "as-of-day", "field": "as-of"})
    elif not all(parts):
        missing = [name for name, v in zip(("day", "month", "year"), parts) if not v]
        errors.append({"text": f"The date to treat as today must include a {' and '.join(missing)}",
                       "href": f"as-of-{missing[0]}", "field": "as-of"})
    else:
        try:
            as_of = dt.date(int(values["year"]), int(values["month"]), int(values["day"]))
        except ValueError:
            errors.append({"text": "The date to treat as today must be a real date", "href": "as-of-day", "field": "as-of"})
        else:
            if not 1900 <= as_of.year <= 2199:  # as the command line's --as-of
                errors.append({"text": "The date to treat as today must be between 1900 and 2199", "href": "as-of-year", "field": "as-of"})
                as_of = None
    return values, profile, as_of


def form_page(request: Request, template: str, values: dict | None = None, errors: list[dict] | None = None,
              status: int = 200, **extra):
    errors = errors or []
    return page(request, template, status=status, title=extra.pop("title", None) or "Permanence paperwork",
                values=values or default_values(), profiles=profile_choices(), errors=errors,
                errors_by={e["field"]: e["text"] for e in reversed(errors)}, **extra)


async def start(request: Request):
    removed = request.query_params.get("removed") == "1"
    return page(request, "start.html", title="Permanence paperwork", removed=removed)


async def privacy(request: Request):
    return page(request, "privacy.html", title="What happens to your files")


async def forms(request: Request):
    from permanence.forms.registry import FORMS
    from permanence.templates.blank import known_forms

    return page(request, "forms.html", title="Blank forms", forms=[(f, FORMS[f].title) for f in known_forms()])


async def blank_form(request: Request):
    from starlette.concurrency import run_in_threadpool

    from permanence.templates.blank import known_forms

    form = request.path_params["form"]
    if form not in known_forms():
        raise HTTPException(404)
    data = await run_in_threadpool(_blank_bytes, form)
    return download_response(f"{form}-blank.docx", DOCX, data)


def _blank_bytes(form: str) -> bytes:
    from permanence.templates.blank import write_blank
    from permanence.web.uploads import private_folder

    with private_folder() as folder:
        out = write_blank(form, folder / f"{form}-blank.docx", profile=default_values()["profile"])
        return out.read_bytes()


DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download_response(filename: str, media_type: str, data: bytes) -> Response:
    name = safe_filename(filename)
    return Response(data, media_type=media_type, headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _job(request: Request):
    job = request.app.state.jobs.get(request.path_params["job"], owner(request))
    if job is None:
        raise HTTPException(404)
    return job


async def job_page(request: Request):
    job = _job(request)
    form_template, result_template, title = JOB_PAGES[job.kind]
    if job.state == "running":
        return page(request, "progress.html", title=f"{title}: working", job=job, heading=title)
    if job.state == "refused":
        errors = [{"text": job.error, "href": job.error_field or "main-content", "field": job.error_field or ""}]
        return form_page(request, form_template, values=job.result.get("values"), errors=errors, status=400, title=title)
    if job.state == "failed":
        return page(request, "problem.html", status=500, title="Sorry, there is a problem", heading="Sorry, there is a problem",
                    lines=["Something went wrong inside the program while it worked on your files; nothing was kept.",
                           "Try again. If it happens again, tell whoever looks after this service what you were doing (not the child's details)."])
    return page(request, result_template, title=title, job=job, **job.result)


async def job_status(request: Request):
    job = _job(request)
    return JSONResponse({"state": job.state, "stage": job.stage, "done": job.done, "total": job.total})


async def job_file(request: Request):
    job = _job(request)
    item = job.downloads.get(request.path_params["key"])
    if item is None:
        raise HTTPException(404)
    from starlette.concurrency import run_in_threadpool

    return download_response(item.filename, item.media_type, await run_in_threadpool(item.content))


async def job_remove(request: Request):
    fields, _ = await read_form(request, 64 * 1024, max_files=0)
    check_csrf(request, fields)
    request.app.state.jobs.remove(request.path_params["job"], owner(request))
    return RedirectResponse("/?removed=1", status_code=303)


async def start_job(request: Request, kind: str, work, values: dict):
    """Start `work` as a job of this browser's session, wait a moment (a single record is
    done by then), and send the browser to its page."""
    jobs = request.app.state.jobs
    job = jobs.start(owner(request), kind, work, values)
    await jobs.wait(job, request.app.state.settings.wait_seconds)
    return RedirectResponse(f"/jobs/{job.id}", status_code=303)


routes = [
    Route("/", start, methods=["GET"]),
    Route("/privacy", privacy, methods=["GET"]),
    Route("/forms", forms, methods=["GET"]),
    Route("/forms/{form}.docx", blank_form, methods=["GET"]),
    Route("/jobs/{job}", job_page, methods=["GET"]),
    Route("/jobs/{job}/status", job_status, methods=["GET"]),
    Route("/jobs/{job}/files/{key}", job_file, methods=["GET"]),
    Route("/jobs/{job}/remove", job_remove, methods=["POST"]),
]
