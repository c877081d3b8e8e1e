"""Jobs: the work of a page, run in a thread pool off the event loop, so a long tracker
does not hold up another user's page; progress is read by the page while it runs.

A job keeps its results (the page's figures and the files to download) in memory only,
for its owner (the browser session that started it), until the owner removes them or
KEEP_SECONDS pass. Nothing is written to disk but the job's private temporary folder,
which the job removes before it ends.
"""
from __future__ import annotations

import asyncio
import logging
import secrets
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from permanence.findings import UserError

log = logging.getLogger("permanence.web")
KEEP_SECONDS = 30 * 60
MAX_JOBS = 200


@dataclass
class Download:
    filename: str
    media_type: str
    data: object  # bytes, or a function that makes them when first asked for (then kept)
    label: str

    def content(self) -> bytes:
        if callable(self.data):
            self.data = self.data()
        return self.data


@dataclass
class Job:
    id: str
    owner: str
    kind: str
    state: str = "running"  # running, done, refused (a problem the user can fix), failed
    stage: str = "Starting"
    done: int = 0
    total: int = 0
    result: dict = field(default_factory=dict)
    downloads: dict[str, Download] = field(default_factory=dict)
    error: str | None = None
    error_field: str | None = None
    created: float = field(default_factory=time.monotonic)
    future: object = None

    def progress(self, stage: str, done: int = 0, total: int = 0) -> None:
        self.stage, self.done, self.total = stage, done, total

    def bars(self, items, label, length=None):
        """A progress factory with the shape the tracker's click bars have."""
        return _Bar(self, items, label.strip(), length)


class _Bar:
    def __init__(self, job: Job, items, label: str, length):
        self.job, self.items, self.label = job, items, label
        self.length = length if length is not None else (len(items) if items is not None else 0)
        self.pos = 0

    def __enter__(self):
        self.job.progress(self.label, 0, self.length)
        return self._iter()

    def _iter(self):
        for item in self.items:
            yield item
            self.update(1)

    def __exit__(self, *exc):
        return False

    def update(self, n: int) -> None:
        self.pos += n
        self.job.progress(self.label, self.pos, self.length)

    def render_finish(self) -> None:
        pass


class Refused(UserError):
    """A problem with what the user gave, tied to a field of the form."""

    def __init__(self, message: str, field_id: str | None = None):
        super().__init__(message)
        self.field_id = field_id


class JobStore:
    def __init__(self, workers: int = 4):
        self.jobs: dict[str, Job] = {}
        self.lock = threading.Lock()
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="permanence-job")

    def purge(self) -> None:
        now = time.monotonic()
        with self.lock:
            for jid in [j.id for j in self.jobs.values() if j.state != "running" and now - j.created > KEEP_SECONDS]:
                del self.jobs[jid]
            finished = sorted((j for j in self.jobs.values() if j.state != "running"), key=lambda j: j.created)
            while len(self.jobs) > MAX_JOBS and finished:
                del self.jobs[finished.pop(0).id]

    def start(self, owner: str, kind: str, work, values: dict | None = None) -> Job:
        """work(job) fills job.result and job.downloads; a UserError refuses the input
        (the form is shown again with `values`)."""
        self.purge()
        job = Job(id=secrets.token_urlsafe(18), owner=owner, kind=kind, result={"values": values or {}})
        with self.lock:
            self.jobs[job.id] = job
        job.future = self.pool.submit(self._run, job, work)
        return job

    @staticmethod
    def _run(job: Job, work) -> None:
        started = time.perf_counter()
        try:
            work(job)
            job.state = "done"
        except UserError as exc:
            job.error, job.error_field = str(exc), getattr(exc, "field_id", None)
            job.state = "refused"
        except Exception as exc:  # noqa: BLE001 - shown as a plain page, logged without case content
            frame = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
            where = f" at {frame.filename.rsplit('/', 1)[-1]}:{frame.lineno}" if frame else ""
            log.error("job %s (%s) failed: %s%s", job.id[:6], job.kind, type(exc).__name__, where)
            job.state = "failed"
        log.info("job %s (%s) %s in %.2f s", job.id[:6], job.kind, job.state, time.perf_counter() - started)

    def get(self, job_id: str, owner: str) -> Job | None:
        self.purge()
        with self.lock:
            job = self.jobs.get(job_id)
        return job if job is not None and secrets.compare_digest(job.owner, owner) else None

    def remove(self, job_id: str, owner: str) -> None:
        with self.lock:
            job = self.jobs.get(job_id)
            if job is not None and secrets.compare_digest(job.owner, owner) and job.state != "running":
                del self.jobs[job_id]

    async def wait(self, job: Job, seconds: float) -> None:
        """Wait up to `seconds` for a job, without holding up the event loop."""
        try:
            await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(job.future)), timeout=seconds)
        except asyncio.TimeoutError:
            pass
