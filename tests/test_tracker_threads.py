"""Two trackers written at once in one process (the web page runs jobs in threads):
openpyxl's sheet parts follow tempfile's folder, which the build points at its own work
folder, so the builds take turns and an upload's private folder never lands there."""
import datetime as dt
import tempfile
import threading
from pathlib import Path

from openpyxl import load_workbook

from permanence.tracker.command import make_tracker

CASELOAD = Path(__file__).resolve().parent.parent / "examples" / "caseload"


def test_two_trackers_built_at_once_in_one_process_are_both_whole(tmp_path):
    before = tempfile.tempdir
    outs = [tmp_path / "a" / "tracker.xlsx", tmp_path / "b" / "tracker.xlsx"]
    errors: list[BaseException] = []

    def build(out):
        out.parent.mkdir()
        try:
            make_tracker(str(CASELOAD), str(out), "xlsx", "warrington", dt.date(2026, 11, 23), None, backup=False, jobs=1)
        except BaseException as exc:  # noqa: BLE001 - reported by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=build, args=(o,)) for o in outs]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert not errors
    for out in outs:
        ws = load_workbook(out, read_only=True)["Permanence tracker"]
        assert sum(1 for _ in ws.iter_rows(min_row=2, values_only=True)) >= 14
        assert sorted(p.name for p in out.parent.iterdir()) == ["tracker.xlsx"]  # no work folder left
    assert tempfile.tempdir == before  # not left pointing at a work folder that is gone


def test_an_upload_folder_is_made_in_the_system_temporary_folder_whatever_tempfile_points_at(tmp_path):
    from permanence.web.uploads import SYSTEM_TEMP, private_folder

    saved = tempfile.tempdir
    tempfile.tempdir = str(tmp_path)  # as while a tracker is being written
    try:
        with private_folder() as folder:
            assert folder.parent == Path(SYSTEM_TEMP)
    finally:
        tempfile.tempdir = saved
