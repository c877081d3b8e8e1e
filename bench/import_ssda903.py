"""Benchmark: `permanence import ssda903` of the shared fake return (../shared/ssda903-sample,
2,675 children, CSV tables) into an empty caseload folder and again into the same folder
(every record read back and compared), side by side with the bare time to parse the same
CSV files with the csv module (the baseline), as a ratio.

    python bench/import_ssda903.py [--sample DIR] [--repeat 3]

Each figure is the best of --repeat runs, wall time and CPU time of this process.
Target (issue 11): the import under 5 s.
"""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import io
import shutil
import sys
import tempfile
import time
from contextlib import redirect_stdout
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_SAMPLE = next((p for p in (ROOT.parent / "shared" / "ssda903-sample", ROOT.parent.parent / "shared" / "ssda903-sample",
                                   Path("/work/shared/ssda903-sample")) if p.exists()), Path("/work/shared/ssda903-sample"))


def bare_parse(files: list[Path]) -> int:
    rows = 0
    for f in files:
        with open(f, encoding="utf-8-sig", newline="") as fh:
            for _ in csv.reader(fh):
                rows += 1
    return rows


def timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sample", type=Path, default=DEFAULT_SAMPLE)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--dir", type=Path, default=None, help="where to write the caseload (default: the system's temporary folder)")
    args = ap.parse_args()
    from permanence.ssda903.command import run_import

    files = sorted(args.sample.glob("*.csv"))
    if not files:
        print(f"no CSV files in {args.sample}", file=sys.stderr)
        return 2
    as_of = dt.date(2026, 12, 4)
    base, new, again = [], [], []
    for _ in range(args.repeat):
        base.append(timed(lambda: bare_parse(files)))
        work = Path(tempfile.mkdtemp(prefix="bench-903-", dir=args.dir))
        try:
            with redirect_stdout(io.StringIO()):
                new.append(timed(lambda: run_import(files, str(work / "caseload"), as_of, None, quiet=True)))
                again.append(timed(lambda: run_import(files, str(work / "caseload"), as_of, None, quiet=True)))
        finally:
            shutil.rmtree(work)
    b_wall, b_cpu, rows = min(base)
    n_wall, n_cpu, _ = min(new)
    a_wall, a_cpu, _ = min(again)
    children = len({r.split(",", 1)[0] for r in (args.sample / "header.csv").read_text("utf-8").splitlines()[1:]})
    print(f"SSDA903 sample: {len(files)} CSV files, {rows:,} rows, {children:,} children (best of {args.repeat}); "
          f"caseload written under {args.dir or tempfile.gettempdir()}")
    print(f"{'':44} {'wall s':>8} {'cpu s':>8} {'x baseline (wall)':>18}")
    print(f"{'baseline: csv.reader over the same files':44} {b_wall:8.3f} {b_cpu:8.3f} {1:18.1f}")
    print(f"{'import into an empty caseload':44} {n_wall:8.3f} {n_cpu:8.3f} {n_wall / b_wall:18.1f}")
    print(f"{'import again (records read and compared)':44} {a_wall:8.3f} {a_cpu:8.3f} {a_wall / b_wall:18.1f}")
    print(f"target: under 5 s: {'met' if max(n_wall, a_wall) < 5 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
