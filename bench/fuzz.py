"""The long run of the suite's fault finders: the property-based tests
(tests/test_properties.py: records of every form, valid and mutated, through validate,
render and extract, audit and the tracker) with fresh randomness and many more examples,
and the kill test (tests/test_tracker_safety.py: tracker and render killed at random
points of the write) with many more kills and a fresh seed.

    python bench/fuzz.py [--examples 300] [--kills 30] [--seed N]

Figures: examples (and kills) run, the time, and examples a second, side by side with
the suite's own fixed budget measured in the same run (the baseline), as a ratio. A
failure prints hypothesis's smallest failing record and exits 1: add it as a test case
(tests/test_robustness_*.py) when mending the kind of mistake.
"""
from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROPERTIES = "tests/test_properties.py"
KILLS = "tests/test_tracker_safety.py::test_a_run_killed_at_random_points_leaves_the_old_file_or_the_new_one"
SUITE_EXAMPLES = (40 + 4 * 15)  # tests/test_properties.py: FAST once, SLOW four times
SUITE_KILLS = 2 * 4


def _pytest(target: str, env: dict) -> tuple[int, float, str]:
    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", target],
                          cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True)
    return proc.returncode, time.monotonic() - start, proc.stdout[-6000:]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=300, help="examples for each property (default 300)")
    parser.add_argument("--kills", type=int, default=30, help="kills of each of tracker and render (default 30)")
    parser.add_argument("--seed", type=int, default=random.randrange(1 << 30), help="the kill test's seed")
    args = parser.parse_args()

    print(f"fuzz: kill seed {args.seed}")
    code, base_t, _ = _pytest(PROPERTIES, {})
    if code:
        print("fuzz: the suite's own property tests fail; run them first")
        return 1
    code, long_t, out = _pytest(PROPERTIES, {"PERMANENCE_FUZZ_EXAMPLES": str(args.examples)})
    examples = args.examples * 5
    print(f"properties  suite budget: {SUITE_EXAMPLES:>6} examples {base_t:7.1f} s {SUITE_EXAMPLES / base_t:6.1f}/s")
    print(f"properties  long run:     {examples:>6} examples {long_t:7.1f} s {examples / long_t:6.1f}/s"
          f"   ratio {examples / SUITE_EXAMPLES:.1f}x the examples, {long_t / base_t:.1f}x the time")
    failed = code != 0
    if failed:
        print(out)
    code, kill_t, out = _pytest(KILLS, {"PERMANENCE_FAULT_KILLS": str(args.kills), "PERMANENCE_FAULT_SEED": str(args.seed)})
    print(f"kills       long run:     {2 * args.kills:>6} kills    {kill_t:7.1f} s   ratio {2 * args.kills / SUITE_KILLS:.1f}x the suite's kills")
    if code:
        print(out)
        failed = True
    print("fuzz: " + ("FAILED (see above)" if failed else "no failure found"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
