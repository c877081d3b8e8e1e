"""Work file by file on every core: a process pool behind `--jobs`.

`run_all(work, items, jobs=..., setup=..., setup_args=...)` calls `work(state, item)` for
every item and returns the results in the items' order, whatever order the workers finish
in, so the output of a run is the same with `--jobs 1` and `--jobs 8`. `state` is what
`setup(*setup_args)` returns, made once per process (a validation context, a proofreading
engine), never per file.

- A small run (fewer items than `min_items`, or one job) runs here, in this process: a
  single file never pays for starting processes.
- A failure a worker did not expect on one file is returned as a `Failed` for that item
  (the caller turns it into that file's one line), not a traceback, and the other files
  are still done. With PERMANENCE_DEBUG=1 the exception is raised instead.
- Ctrl-C: the workers ignore it; this process stops handing out work, waits for the few
  files in hand to finish (each output is written whole through a temporary file and
  renamed, so nothing half-written or temporary is left) and raises KeyboardInterrupt.
- A progress bar (click's) on stderr once a run has taken more than PROGRESS_AFTER seconds,
  and only when stderr is a terminal.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import time
from dataclasses import dataclass

PROGRESS_AFTER = 2.0  # seconds: a quicker run shows no bar
MAX_CHUNK = 64

_STATE: dict = {}


@dataclass(frozen=True)
class Failed:
    """What a worker returns for an item its work raised an unexpected exception on."""

    kind: str  # the exception's class name, never its text (which may hold case content)

    def message(self) -> str:
        return (f"could not be processed (internal error {self.kind}); the other files were. "
                "Run again with PERMANENCE_DEBUG=1 on this file alone and report it.")


def default_jobs() -> int:
    """The cores this process may use (a container's limit where it sets one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def resolve_jobs(jobs: int | None) -> int:
    return default_jobs() if jobs is None or jobs <= 0 else jobs


def _init(setup, setup_args) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the main process's to handle
    _STATE["state"] = setup(*setup_args) if setup else None
    closer = getattr(_STATE["state"], "close", None)
    if callable(closer):  # a proofreading engine: stopped when the worker ends
        from multiprocessing import util

        util.Finalize(None, closer, exitpriority=10)


def _guarded(work, state, item):
    from permanence.findings import UserError

    try:
        return work(state, item)
    except UserError:
        raise  # a problem that stops the whole run, as it would with one job
    except Exception as exc:  # noqa: BLE001 - one file's failure is that file's line
        if os.environ.get("PERMANENCE_DEBUG"):
            raise
        import logging

        logging.getLogger("permanence").debug("internal error on one file", exc_info=exc)
        return Failed(type(exc).__name__)


def _call_chunk(work, chunk):
    state = _STATE.get("state")
    return [_guarded(work, state, item) for item in chunk]


class Progress:
    """A click progress bar that appears only once the run has gone on a while."""

    def __init__(self, total: int, label: str | None):
        self.total, self.label = total, label
        self.done = 0
        self.start = time.monotonic()
        self.bar = None
        self.enabled = bool(label) and total > 1 and _stderr_is_terminal()

    def advance(self, n: int = 1) -> None:
        self.done += n
        if not self.enabled:
            return
        if self.bar is None:
            if time.monotonic() - self.start < PROGRESS_AFTER:
                return
            import click

            self.bar = click.progressbar(length=self.total, label=self.label, file=sys.stderr, show_pos=True)
            self.bar.__enter__()
            self.bar.update(self.done - n)
        self.bar.update(n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


def _stderr_is_terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False


def _context():
    methods = multiprocessing.get_all_start_methods()
    # fork: a worker starts with everything already imported and compiled (schemas,
    # templates), in milliseconds; elsewhere (macOS, Windows) spawn.
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def run_all(work, items: list, *, jobs: int | None = None, setup=None, setup_args: tuple = (),
            label: str | None = None, min_items: int = 2) -> list:
    """[work(state, item) or Failed(...) for item in items], in order. `work` and `setup`
    must be module-level functions and the items and results picklable."""
    items = list(items)
    jobs = min(resolve_jobs(jobs), max(1, len(items)))
    progress = Progress(len(items), label)
    try:
        if jobs <= 1 or len(items) < max(2, min_items):
            state = setup(*setup_args) if setup else None
            try:
                out = []
                for item in items:
                    out.append(_guarded(work, state, item))
                    progress.advance()
                return out
            finally:
                closer = getattr(state, "close", None)
                if callable(closer):
                    closer()
        return _in_pool(work, items, jobs, setup, setup_args, progress)
    finally:
        progress.close()


def _in_pool(work, items, jobs, setup, setup_args, progress) -> list:
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    from permanence.findings import UserError

    # Chunks: few enough messages that passing them costs little, small enough that the
    # cores finish together (about eight chunks a worker).
    size = max(1, min(MAX_CHUNK, len(items) // (jobs * 8)))
    chunks = [items[i:i + size] for i in range(0, len(items), size)]
    sys.stdout.flush()
    sys.stderr.flush()
    executor = ProcessPoolExecutor(max_workers=jobs, mp_context=_context(), initializer=_init, initargs=(setup, setup_args))
    out: list = []
    try:
        futures = [executor.submit(_call_chunk, work, chunk) for chunk in chunks]
        for future in futures:
            results = future.result()
            out.extend(results)
            progress.advance(len(results))
    except KeyboardInterrupt:
        # Stop handing out work; the files in hand finish (and tidy their temporaries).
        executor.shutdown(wait=True, cancel_futures=True)
        raise
    except BrokenProcessPool:
        executor.shutdown(wait=True, cancel_futures=True)
        raise UserError("a worker process stopped unexpectedly (out of memory, or killed); nothing more was done. "
                        "Run again with --jobs 1 to find the file it stopped on.") from None
    except BaseException:  # a problem that stops the run (a UserError from a worker): no more work is handed out
        executor.shutdown(wait=True, cancel_futures=True)
        raise
    executor.shutdown(wait=True)
    return out
