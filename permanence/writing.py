"""Writing outputs when the disk fails under us: shared by render and the tracker."""
from __future__ import annotations

import contextlib


@contextlib.contextmanager
def quiet_cleanup():
    """After a write fails (a full disk), the writers' own clean-up fails too as they are
    collected (ZipFile.__del__, openpyxl's sheet streams) and Python prints those as
    "Exception ignored ..." tracebacks before our one-line message. Collect them here,
    inside the failure, and say nothing of what fails in that clean-up."""
    try:
        yield
    except BaseException as exc:
        import gc
        import sys
        import traceback

        traceback.clear_frames(exc.__traceback__)  # the failed writers are held by the frames

        previous = sys.unraisablehook
        sys.unraisablehook = lambda unraisable: None
        try:
            gc.collect()
        finally:
            sys.unraisablehook = previous
        raise
