"""A rebuild never loses someone else's work: the tracker is locked for the rebuild (a lock
file beside it, created exclusively), the file read is checked to be still the same file
before it is replaced, and temporary copies of the caseload left by a run that was stopped
are swept on the next run.

The lock file holds the process id, the machine's name and the start time; never case
content. Its name, like the temporaries', starts with a dot beside the tracker."""
from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import os
import signal
import socket
import stat
import time
from dataclasses import dataclass
from pathlib import Path

from permanence.findings import UserError
from permanence.writing import quiet_cleanup  # noqa: F401 - build.py imports it from here

TEMP_PREFIXES = (".tracker-", ".tracker-prev-")  # build.py's temporaries (prev: the backup being copied)
TEMP_SUFFIX = ".xlsx"
WORK_PREFIX = ".tracker-work-"  # build.py's private folder for one rebuild


def lock_path(out: Path) -> Path:
    return out.with_name(f".{out.name}.permanence-lock")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _holder(path: Path) -> dict:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")[:500]
    except OSError:
        return {}
    fields = dict(line.split("=", 1) for line in text.splitlines() if "=" in line)
    return fields


def _stale(info: dict) -> bool:
    """A lock left by a process on this machine that has ended."""
    try:
        pid = int(info.get("pid", ""))
    except ValueError:
        return False
    return info.get("host") == socket.gethostname() and not _alive(pid)


@contextlib.contextmanager
def tracker_lock(out: Path, notes: list[str]):
    """Hold the tracker's lock for the rebuild; refuse (exit 2) while another holds it.

    A lock whose process has ended (killed, power cut) is taken over, and said. SIGTERM
    while the lock is held ends the run through the ordinary clean-up (temporaries
    removed, lock released), as Ctrl+C does."""
    path = lock_path(out)
    body = (f"pid={os.getpid()}\nhost={socket.gethostname()}\n"
            f"started={dt.datetime.now().isoformat(timespec='seconds')}\n").encode()
    for attempt in (1, 2):
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
            break
        except FileExistsError:
            info = _holder(path)
            if attempt == 1 and _stale(info):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(path)
                notes.append(f"{out}: an earlier rebuild (process {info.get('pid')}, started {info.get('started', '?')}) "
                             "had stopped without finishing; its lock was removed.")
                continue
            started = info.get("started", "at an unknown time")
            who = f"process {info.get('pid', '?')} on {info.get('host', '?')}, started {started}"
            raise UserError(f"{out}: another rebuild of this tracker is running ({who}); nothing was written. "
                            f"Wait for it to finish and try again (if none is running, delete {path.name} beside the tracker).") from None
        except OSError as exc:
            raise UserError(f"{out}: cannot be written ({exc.strerror or type(exc).__name__}); nothing was written and the old "
                            "tracker, if any, is unchanged. Choose a folder you can write to, or free some space, and try again.") from None
    try:
        os.write(fd, body)
    except OSError as exc:  # the disk is full: no lock is left behind to block the next run
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(path)
        raise UserError(f"{out}: cannot be written ({exc.strerror or type(exc).__name__}); nothing was written and the old "
                        "tracker, if any, is unchanged. Choose a folder you can write to, or free some space, and try again.") from None
    os.close(fd)
    since = path.stat().st_mtime
    previous = _on_sigterm()
    try:
        yield since
    finally:
        _restore_sigterm(previous)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)


class _Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the run is, so every finally clause runs."""


def _raise_terminated(signum, frame):
    raise _Terminated()


def _on_sigterm():
    try:
        return signal.signal(signal.SIGTERM, _raise_terminated)
    except ValueError:  # not the main thread (a web worker): leave signals alone
        return None


def _restore_sigterm(previous) -> None:
    if previous is not None:
        with contextlib.suppress(ValueError):
            signal.signal(signal.SIGTERM, previous)


def sweep_temporaries(out: Path, since: float) -> list[str]:
    """Remove our own temporaries beside the tracker that are older than the lock just
    taken (so no live run can own them): the work folders of build.py (.tracker-work-*)
    and the single files earlier versions left (.tracker-*.xlsx, .tracker-prev-*.xlsx).
    Returns their names, to be said."""
    import shutil

    folder = out.resolve().parent
    own_lock = lock_path(out).name
    others_running = any(p.name != own_lock for p in folder.glob(".*.permanence-lock"))
    removed = []
    for entry in folder.iterdir():
        name = entry.name
        is_work = name.startswith(WORK_PREFIX)
        if not (is_work or (name.startswith(TEMP_PREFIXES) and name.endswith(TEMP_SUFFIX))):
            continue
        try:
            info = entry.lstat()
        except OSError:
            continue
        if entry.is_symlink() or not (entry.is_dir() if is_work else entry.is_file()):
            continue
        # Another tracker in the same folder being rebuilt now may own a fresh one.
        if info.st_mtime >= since or (others_running and time.time() - info.st_mtime < 24 * 3600):
            continue
        try:
            if is_work:
                shutil.rmtree(entry)
            else:
                entry.unlink()
        except OSError:
            continue
        removed.append(name)
    return sorted(removed)


@dataclass(frozen=True)
class Identity:
    """What the tracker was when it was read: size, modification time and a hash."""
    exists: bool
    size: int = 0
    mtime_ns: int = 0
    sha256: str = ""


def identity(path: Path) -> Identity:
    try:
        info = path.stat()
    except FileNotFoundError:
        return Identity(False)
    if not stat.S_ISREG(info.st_mode):  # a pipe would block: the read refuses it anyway
        return Identity(True, info.st_size, info.st_mtime_ns, "not an ordinary file")
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(block)
    return Identity(True, info.st_size, info.st_mtime_ns, digest.hexdigest())


def changed_meanwhile(out: Path, before: Identity) -> bool:
    try:
        info = out.stat()
    except FileNotFoundError:
        return before.exists
    if not before.exists:
        return True
    if info.st_size != before.size or info.st_mtime_ns != before.mtime_ns:
        return True
    return identity(out).sha256 != before.sha256


def rebuilt_name(out: Path) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    candidate = out.with_name(f"{out.stem}.rebuilt-{stamp}{out.suffix}")
    n = 1
    while candidate.exists():
        n += 1
        candidate = out.with_name(f"{out.stem}.rebuilt-{stamp}-{n}{out.suffix}")
    return candidate
