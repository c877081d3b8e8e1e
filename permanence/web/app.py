"""The Starlette application of `permanence serve`: security headers, sign-in by token or
a reverse proxy's header, the session cookie behind CSRF tokens and job ownership, size
limits, error pages, and the routes of each journey (check.py, audit.py, tracker.py,
pages.py)."""
from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import time
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from permanence.web.jobs import JobStore
from permanence.web.uploads import BadForm, TooLarge

log = logging.getLogger("permanence.web")
STATIC = Path(__file__).parent / "static"
SESSION_COOKIE = "permanence_session"
TOKEN_COOKIE = "permanence_token"
SECURITY_HEADERS = [
    (b"content-security-policy", b"default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'; object-src 'none'"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"cross-origin-resource-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]


@dataclass
class Settings:
    token: str | None = None  # required of every request when set (other hosts than loopback)
    sso_header: str | None = None  # a reverse proxy's header naming the signed-in user
    workers: int = 4
    wait_seconds: float = 2.0  # how long a form's POST waits for its job before showing progress
    allowed_hosts: frozenset | None = None  # Host header names accepted (loopback: against DNS rebinding)


def templates_env() -> Environment:
    env = Environment(loader=PackageLoader("permanence.web", "templates"), autoescape=select_autoescape(default=True),
                      trim_blocks=True, lstrip_blocks=True)
    from permanence.citations import cite

    env.filters["cite"] = cite
    return env


class Guard:
    """Outermost ASGI layer: sign-in, the session cookie, headers on every response, and a
    log line per request that holds no case content (method, route, status, time)."""

    def __init__(self, app, settings: Settings):
        self.app, self.settings = app, settings

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        request = Request(scope)
        started = time.perf_counter()
        set_cookies: list[bytes] = []
        status_seen = [0]
        session = request.cookies.get(SESSION_COOKIE, "")
        if len(session) != 43 or not session.replace("-", "").replace("_", "").isalnum():
            session = secrets.token_urlsafe(32)
            set_cookies.append(f"{SESSION_COOKIE}={session}; Path=/; HttpOnly; SameSite=Strict".encode())
        scope.setdefault("state", {})["session"] = session

        async def send_wrapped(message):
            if message["type"] == "http.response.start":
                status_seen[0] = message["status"]
                headers = [h for h in message.get("headers", []) if h[0].lower() not in {k for k, _ in SECURITY_HEADERS}]
                headers += SECURITY_HEADERS
                if not scope["path"].startswith("/assets/"):
                    headers.append((b"cache-control", b"no-store"))
                headers += [(b"set-cookie", c) for c in set_cookies]
                message = {**message, "headers": headers}
            await send(message)

        refusal = self.refuse(request, set_cookies)
        try:
            if refusal is not None:
                await refusal(scope, receive, send_wrapped)
            else:
                await self.app(scope, receive, send_wrapped)
        except Exception as exc:  # noqa: BLE001 - never re-raised: the server would log a traceback with case content
            if status_seen[0]:
                log_internal(scope["path"], exc)
                return
            response = internal_page(request, exc)
            await response(scope, receive, send_wrapped)
        finally:
            log.info("%s %s %s %.0f ms", scope["method"], route_name(scope["path"]), status_seen[0],
                     (time.perf_counter() - started) * 1000)

    def refuse(self, request: Request, set_cookies: list[bytes]):
        s = self.settings
        if s.allowed_hosts is not None:
            host = request.headers.get("host", "").lower()
            name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
            if name not in s.allowed_hosts:  # a web site whose name was pointed at this computer
                return page(request, "problem.html", status=400, title="Open the page by its own address",
                            heading="Open the page by its own address",
                            lines=["This page answers only to the address it was started on, such as http://127.0.0.1:8765/."])
        if s.sso_header and not request.headers.get(s.sso_header, "").strip():
            return page(request, "signin.html", status=401, title="Sign in first", how="sso", header=s.sso_header)
        if s.token:
            given = request.query_params.get("token")
            if given is not None and hmac.compare_digest(given.encode(), s.token.encode()):
                set_cookies.append(f"{TOKEN_COOKIE}={s.token}; Path=/; HttpOnly; SameSite=Strict".encode())
                return RedirectResponse(request.url.path, status_code=303)
            held = request.cookies.get(TOKEN_COOKIE, "")
            bearer = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
            if not (hmac.compare_digest(held.encode(), s.token.encode()) or hmac.compare_digest(bearer.encode(), s.token.encode())):
                return page(request, "signin.html", status=401, title="Open the address with its token", how="token")
        return None


def route_name(path: str) -> str:
    """The route without anything that names a job or a file (kept out of logs)."""
    parts = path.split("/")
    if len(parts) > 2 and parts[1] == "jobs":
        parts[2] = "…"
    if len(parts) > 2 and parts[1] == "assets":
        return "/assets/…"
    return "/".join(parts)[:80]


def csrf_token(request: Request) -> str:
    secret = request.app.state.secret
    return hmac.new(secret, request.scope["state"]["session"].encode(), hashlib.sha256).hexdigest()


def check_csrf(request: Request, fields: dict) -> None:
    if not hmac.compare_digest(fields.get("csrf", ""), csrf_token(request)):
        raise HTTPException(403, "csrf")


def owner(request: Request) -> str:
    return request.scope["state"]["session"]


def page(request: Request, template: str, status: int = 200, **context) -> HTMLResponse:
    env = request.app.state.env if hasattr(request.app, "state") and hasattr(request.app.state, "env") else _fallback_env()
    context.setdefault("errors", [])
    context.setdefault("title", "Permanence paperwork")
    try:
        token = csrf_token(request)
    except (AttributeError, KeyError):
        token = ""
    html = env.get_template(template).render(request=request, csrf=token, path=request.url.path, **context)
    return HTMLResponse(html, status_code=status)


_ENV = None


def _fallback_env() -> Environment:
    global _ENV
    if _ENV is None:
        _ENV = templates_env()
    return _ENV


async def not_found(request: Request, exc) -> HTMLResponse:
    return page(request, "problem.html", status=404, title="Page not found",
                heading="Page not found", lines=["If you typed the web address, check it is correct.",
                                                 "Results are kept for 30 minutes; after that, start the job again."])


async def http_problem(request: Request, exc: HTTPException) -> HTMLResponse:
    if exc.status_code == 404:
        return await not_found(request, exc)
    if exc.status_code == 403:
        return page(request, "problem.html", status=403, title="Your session has expired",
                    heading="Your session has expired",
                    lines=["The form was sent without this browser's session (perhaps from an old tab, or cookies are blocked).",
                           "Go back, reload the page and try again. Nothing was kept."])
    if exc.status_code == 405:
        return page(request, "problem.html", status=405, title="Page not found", heading="Page not found",
                    lines=["This page cannot be used that way. Start again from the first page."])
    return page(request, "problem.html", status=exc.status_code, title="There is a problem", heading="There is a problem",
                lines=["The request could not be handled. Start again from the first page."])


async def too_large(request: Request, exc: TooLarge) -> HTMLResponse:
    mib = exc.limit // (1024 * 1024)
    return page(request, "problem.html", status=413, title="The files are too large",
                heading="The files are too large",
                lines=[f"This page accepts at most {mib} MiB at a time, the largest input the command line accepts.",
                       "Choose fewer or smaller files and try again. Nothing was kept."])


async def bad_form(request: Request, exc: BadForm) -> HTMLResponse:
    return page(request, "problem.html", status=400, title="The form could not be read", heading="The form could not be read",
                lines=["The browser sent a form this page cannot read. Go back and try again. Nothing was kept."])


def log_internal(path: str, exc: BaseException) -> None:
    """The kind of error and where, never its message (it may quote a record)."""
    frame = exc.__traceback__
    while frame is not None and frame.tb_next is not None:
        frame = frame.tb_next
    where = f" at {frame.tb_frame.f_code.co_filename.rsplit('/', 1)[-1]}:{frame.tb_lineno}" if frame else ""
    log.error("internal error on %s: %s%s", route_name(path), type(exc).__name__, where)


def internal_page(request: Request, exc: Exception) -> HTMLResponse:
    log_internal(request.url.path, exc)
    response = page(request, "problem.html", status=500, title="Sorry, there is a problem", heading="Sorry, there is a problem",
                    lines=["Something went wrong inside the program; nothing was kept.",
                           "Try again. If it happens again, tell whoever looks after this service what you were doing (not the child's details)."])
    for key, value in SECURITY_HEADERS:
        response.headers[key.decode()] = value.decode()
    return response


def create_app(settings: Settings | None = None) -> Starlette:
    from permanence.web import audit, check, pages, tracker

    settings = settings or Settings()
    routes = [
        *pages.routes, *check.routes, *audit.routes, *tracker.routes,
        Mount("/assets/images", StaticFiles(directory=STATIC / "govuk" / "images"), name="images"),
        Mount("/assets", StaticFiles(directory=STATIC), name="assets"),
    ]
    app = Starlette(routes=routes, exception_handlers={
        404: not_found, HTTPException: http_problem, TooLarge: too_large, BadForm: bad_form,
    })
    app.state.settings = settings
    app.state.secret = secrets.token_bytes(32)
    app.state.env = templates_env()
    app.state.jobs = JobStore(workers=settings.workers)
    app.add_middleware(Guard, settings=settings)
    return app
