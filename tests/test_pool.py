"""The process pool behind --jobs: results in the items' order, a worker's failure on one
file is that file's line, small runs stay in this process, the progress bar only on a
terminal, and the commands print the same with --jobs 1 and --jobs 2."""
from __future__ import annotations

import io
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from permanence import pool
from permanence.findings import UserError

ROOT = Path(__file__).resolve().parent.parent
AS_OF = "2026-11-23"


def _slow_then_pid(_state, item):
    time.sleep(0.02 if item % 3 == 0 else 0)  # finishing out of order
    return item * 10, os.getpid()


def _boom_on_seven(_state, item):
    if item == 7:
        raise RuntimeError("case text must not be shown")
    return item


def _refuse(_state, item):
    raise UserError("the whole run stops")


def _state_value(state, item):
    return state["n"] + item


def _make_state(n):
    return {"n": n}


def test_results_come_back_in_order_from_several_processes():
    results = pool.run_all(_slow_then_pid, list(range(40)), jobs=2)
    assert [r[0] for r in results] == [i * 10 for i in range(40)]
    assert os.getpid() not in {pid for _, pid in results}  # the work was done in the workers


def test_a_small_run_stays_in_this_process():
    [(value, pid)] = pool.run_all(_slow_then_pid, [4], jobs=8)
    assert (value, pid) == (40, os.getpid())
    results = pool.run_all(_slow_then_pid, list(range(5)), jobs=2, min_items=50)
    assert {pid for _, pid in results} == {os.getpid()}


def test_each_process_makes_its_state_once():
    assert pool.run_all(_state_value, [1, 2, 3] * 10, jobs=2, setup=_make_state, setup_args=(100,)) == [101, 102, 103] * 10


@pytest.mark.parametrize("jobs", [1, 2])
def test_an_unexpected_failure_is_that_items_result_without_its_text(jobs, monkeypatch):
    monkeypatch.delenv("PERMANENCE_DEBUG", raising=False)
    results = pool.run_all(_boom_on_seven, list(range(20)), jobs=jobs)
    assert results[:7] == list(range(7)) and results[8:] == list(range(8, 20))
    assert isinstance(results[7], pool.Failed)
    assert "RuntimeError" in results[7].message() and "case text" not in results[7].message()


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_user_error_stops_the_run_as_with_one_job(jobs):
    with pytest.raises(UserError, match="the whole run stops"):
        pool.run_all(_refuse, list(range(20)), jobs=jobs)


def test_jobs_zero_or_none_means_every_core():
    assert pool.resolve_jobs(0) == pool.resolve_jobs(None) == pool.default_jobs() >= 1
    assert pool.resolve_jobs(3) == 3


def test_the_progress_bar_shows_only_on_a_terminal_and_only_for_a_long_run(monkeypatch):
    err = io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    monkeypatch.setattr(pool, "PROGRESS_AFTER", 0.0)
    monkeypatch.setattr(pool, "_stderr_is_terminal", lambda: False)
    pool.run_all(_slow_then_pid, list(range(6)), jobs=1, label="Checking")
    assert err.getvalue() == ""  # not a terminal: nothing
    monkeypatch.setattr(pool, "_stderr_is_terminal", lambda: True)
    pool.run_all(_slow_then_pid, list(range(6)), jobs=1, label="Checking")
    assert "Checking" in err.getvalue()  # the bar started (click draws it in full on a real terminal)
    err.truncate(0)
    monkeypatch.setattr(pool, "PROGRESS_AFTER", 60.0)
    pool.run_all(_slow_then_pid, list(range(6)), jobs=1, label="Checking")
    assert err.getvalue() == ""  # a quick run: no bar


def test_validate_names_the_file_a_worker_failed_on_and_checks_the_rest(tmp_path, monkeypatch):
    """A fault in the rules on one file (forked workers inherit the fault) is that file's one line."""
    from permanence import validate_command

    monkeypatch.delenv("PERMANENCE_DEBUG", raising=False)
    source = ROOT / "examples" / "caseload" / "C1001-ava-thompson" / "ppm-2026-11-11.json"
    for i in range(60):
        shutil.copy(source, tmp_path / f"ppm-{i:02d}.json")
    real = validate_command.validate_record

    def faulty(record, ctx):
        if record.path.endswith("ppm-13.json"):
            raise KeyError("x")
        return real(record, ctx)

    monkeypatch.setattr(validate_command, "validate_record", faulty)
    reports = validate_command.check_paths([str(tmp_path)], "warrington", __import__("datetime").date(2026, 11, 23), jobs=2)
    assert [Path(r.path).name for r in reports] == [f"ppm-{i:02d}.json" for i in range(60)]
    bad = [r for r in reports if r.error]
    assert [Path(r.path).name for r in bad] == ["ppm-13.json"]
    assert "internal error KeyError" in bad[0].error
    assert sum(1 for r in reports if r.form == "ppm-record") == 59


def _run(args, **kw):
    exe = Path(sys.executable).with_name("permanence")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "permanence.cli"]
    return subprocess.run(cmd + [str(a) for a in args], capture_output=True, text=True, cwd=ROOT, **kw)


@pytest.mark.parametrize("args", [
    ["validate", "--profile", "warrington", "--as-of", AS_OF, "examples"],
    ["validate", "--format", "json", "--profile", "warrington", "--as-of", AS_OF, "examples"],
    ["audit", "--as-of", AS_OF, "examples/caseload"],
    ["audit", "--format", "json", "--as-of", AS_OF, "examples/caseload"],
    ["tracker", "examples/caseload", "--profile", "warrington", "--as-of", AS_OF, "--format", "json"],
], ids=["validate", "validate-json", "audit", "audit-json", "tracker-json"])
def test_the_example_caseload_gives_the_same_output_with_one_job_or_two(args):
    one, two = _run(args + ["--jobs", "1"]), _run(args + ["--jobs", "2"])
    assert one.stdout and one.returncode in (0, 1), one.stderr
    assert (one.returncode, one.stdout, one.stderr) == (two.returncode, two.stdout, two.stderr)


def test_render_and_tracker_write_the_same_with_one_job_or_two(tmp_path):
    import zipfile

    outputs = {}
    for jobs in (1, 2):
        out = tmp_path / f"docs{jobs}"
        result = _run(["render", "--profile", "warrington", "--as-of", AS_OF, "--jobs", jobs, "examples/caseload", "-o", out])
        assert result.returncode == 0, result.stderr
        tracker = tmp_path / f"tracker{jobs}.xlsx"
        made = _run(["tracker", "examples/caseload", "--profile", "warrington", "--as-of", AS_OF, "--jobs", jobs, "-o", tracker])
        assert made.returncode == 0, made.stderr
        with zipfile.ZipFile(tracker) as z:
            sheets = {n: z.read(n) for n in z.namelist() if n.startswith("xl/worksheets/")}
        outputs[jobs] = (result.stdout.replace(str(out), "OUT"), result.stderr, made.stdout.replace(str(tracker), "OUT"),
                         sorted(p.relative_to(out).as_posix() for p in out.rglob("*.docx")), sheets)
    assert outputs[1] == outputs[2]
    assert len(outputs[1][3]) == 61


def test_ctrl_c_during_a_parallel_render_leaves_no_temporaries(tmp_path):
    records = tmp_path / "records"
    records.mkdir()
    source = ROOT / "examples" / "caseload" / "C1001-ava-thompson" / "ppm-2026-11-11.json"
    for i in range(1000):  # enough that the render cannot finish before the signal, even on a busy machine
        shutil.copy(source, records / f"ppm-{i:04d}.json")
    out = tmp_path / "out"
    exe = Path(sys.executable).with_name("permanence")
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "permanence.cli"]
    proc = subprocess.Popen(cmd + ["render", "--jobs", "2", "--as-of", AS_OF, str(records), "-o", str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
                            # Ctrl-C as a terminal delivers it: a child inherits an ignored SIGINT from its parent
                            # (a test runner or CI shell may ignore it), and would then never see the signal
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and len(list(out.glob("*.docx"))) < 5:
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGINT)  # as a terminal does: the whole process group
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 2, stderr
    assert "stopped" in stderr and "Traceback" not in stderr
    left = [p.name for p in out.iterdir() if not re.fullmatch(r"ppm-\d{4}\.docx", p.name)]
    assert left == []  # no temporary, no half-written document
    written = list(out.glob("*.docx"))
    assert 5 <= len(written) < 1000
    import zipfile

    for path in written:
        assert zipfile.ZipFile(path).testzip() is None  # each one whole
    time.sleep(0.2)
    assert subprocess.run(["pgrep", "-g", str(proc.pid)], capture_output=True).stdout.strip() == b""  # no worker left


def test_the_tracker_rows_and_problems_are_the_same_from_the_pool(tmp_path, monkeypatch):
    """The example caseload (and a broken and a duplicate case record) read and computed in
    this process and in two workers (the pool's threshold lowered so it is used)."""
    import datetime as dt

    from permanence.tracker import caseload as caseload_module
    from permanence.tracker.command import compute_rows

    folder = tmp_path / "caseload"
    shutil.copytree(ROOT / "examples" / "caseload", folder)
    (folder / "C9999-broken").mkdir()
    (folder / "C9999-broken" / "case.json").write_text('{"form": "case", "child": {"id": "C9999"}}', encoding="utf-8")
    first = sorted(folder.glob("*/case.json"))[0]
    (folder / "ZZ-duplicate").mkdir()
    shutil.copy(first, folder / "ZZ-duplicate" / "case.json")
    monkeypatch.setattr(caseload_module, "POOL_FROM", 2)
    results = {}
    for jobs in (1, 2):
        rows, engine, _, caseload = compute_rows(folder, "warrington", dt.date(2026, 11, 23), jobs=jobs, earlier_ids={"C9999"})
        results[jobs] = ([r.as_dict() for r in rows], caseload.problems, sorted(caseload.skipped_ids))
    assert results[1] == results[2]
    rows, problems, skipped = results[2]
    assert len(rows) == 14 and skipped == ["C9999"]
    assert any("already used by" in p for p in problems) and any("keeps this child's last row" in p for p in problems)


@pytest.mark.parametrize("value", ["two", "-1", "1000"])
def test_a_bad_jobs_value_is_one_line(cli, value):
    result = cli(["validate", "--jobs", value, str(ROOT / "examples" / "caseload")])
    assert result.exit_code == 2
    assert "processes" in result.output and "--jobs" in result.output and "Traceback" not in result.output
