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

        chained, seen = exc, set()
        while chained is not None and id(chained) not in seen:  # the failed writers are held by the frames,
            seen.add(id(chained))                                # of this exception and of the one it replaced
            traceback.clear_frames(chained.__traceback__)
            chained = chained.__context__ or chained.__cause__
        # What is still held elsewhere is collected later, at the latest as the process ends:
        # from now on, a failing clean-up of a writer (an OSError, ValueError, or lxml's errors)
        # is not printed; anything else still is.
        previous = sys.unraisablehook
        if not getattr(previous, "_permanence_quiet", False):
            def quiet(unraisable, previous=previous):
                error = unraisable.exc_value
                if isinstance(error, (OSError, ValueError)) or type(error).__module__.startswith("lxml"):
                    return
                previous(unraisable)
            quiet._permanence_quiet = True
            sys.unraisablehook = quiet
        gc.collect()
        raise
