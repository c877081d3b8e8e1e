"""Benchmark `permanence serve`: concurrent users checking the example caseload against the
real server (`permanence serve`, a subprocess) on a free loopback port.

    python bench/web.py [--users 20] [--rounds 3] [--timeout 300]

Each user is its own browser session (cookies, CSRF token): it opens the Check a draft
page, sends every record of examples/caseload (JSON and YAML) under the Warrington profile
as of 2026-11-23, follows the progress page until the results are there, and checks the
page says how many files were checked. Reported: p50 and p95 of the time from sending the
form to reading the results, errors (must be 0), and the server's peak memory (VmHWM).
Then one PPM record, one user at a time, which must respond in under 0.5 s.
Baseline, measured in the same run: the function `permanence validate` calls
(validate_command.check_paths) on the same files in this process, without the web.
Traffic goes to 127.0.0.1 only; the loops are bounded in count and time.
"""
from __future__ import annotations

import argparse
import datetime as dt
import re
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
CASELOAD = ROOT / "examples" / "caseload"
PPM = CASELOAD / "C1001-ava-thompson" / "ppm-2026-11-11.json"
OPTIONS = {"profile": "warrington", "as_of_day": "23", "as_of_month": "11", "as_of_year": "2026"}


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def peak_memory_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def check_once(client, base: str, files: list[tuple[str, bytes]], deadline: float) -> tuple[float, bool]:
    page = client.get(base + "/check").text
    token = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
    started = time.perf_counter()
    r = client.post(base + "/check", data={"csrf": token, **OPTIONS},
                    files=[("files", (name, data, "application/octet-stream")) for name, data in files])
    while r.status_code == 200 and 'data-job-status="' in r.text and time.monotonic() < deadline:
        time.sleep(0.2)
        r = client.get(str(r.url))
    elapsed = time.perf_counter() - started
    ok = r.status_code == 200 and f"{len(files)} file{'s' if len(files) != 1 else ''} checked" in r.text
    return elapsed, ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3, help="caseload checks per user")
    parser.add_argument("--single", type=int, default=20, help="single-PPM checks, one at a time")
    parser.add_argument("--timeout", type=float, default=300.0, help="stop everything after this many seconds")
    args = parser.parse_args()

    import httpx2 as httpx

    from permanence.validate_command import check_paths

    paths = sorted(p for p in CASELOAD.rglob("*") if p.suffix in (".json", ".yaml", ".yml"))
    files = [(p.name, p.read_bytes()) for p in paths]
    print(f"caseload: {len(files)} records ({sum(len(d) for _, d in files) // 1024} KiB); "
          f"{args.users} users x {args.rounds} rounds; one PPM x {args.single}")

    # Baseline: the command's function, in this process.
    as_of = dt.date(2026, 11, 23)
    check_paths([str(p) for p in paths], "warrington", as_of)  # warm
    direct = []
    for _ in range(3):
        t = time.perf_counter()
        check_paths([str(p) for p in paths], "warrington", as_of)
        direct.append(time.perf_counter() - t)
    direct_one = []
    for _ in range(10):
        t = time.perf_counter()
        check_paths([str(PPM)], "warrington", as_of)
        direct_one.append(time.perf_counter() - t)

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-m", "permanence.cli", "serve", "--port", str(port)],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + args.timeout
    try:
        while True:
            try:
                httpx.get(base + "/", timeout=2)
                break
            except httpx.HTTPError:
                if time.monotonic() > deadline - args.timeout + 20 or server.poll() is not None:
                    print("the server did not start", file=sys.stderr)
                    return 2
                time.sleep(0.2)
        alone = []
        with httpx.Client(timeout=60, follow_redirects=True) as warm:
            check_once(warm, base, files, deadline)  # warm the server: schemas, rules, profile
            for _ in range(3):
                elapsed, ok = check_once(warm, base, files, deadline)
                if ok:
                    alone.append(elapsed)

        latencies: list[float] = []
        errors = [0]
        lock = threading.Lock()

        def user(_: int) -> None:
            with httpx.Client(timeout=120, follow_redirects=True) as client:
                for _ in range(args.rounds):
                    if time.monotonic() > deadline:
                        with lock:
                            errors[0] += 1
                        return
                    try:
                        elapsed, ok = check_once(client, base, files, deadline)
                    except httpx.HTTPError:
                        elapsed, ok = float("nan"), False
                    with lock:
                        if ok:
                            latencies.append(elapsed)
                        else:
                            errors[0] += 1

        wall = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.users) as pool:
            list(pool.map(user, range(args.users)))
        wall = time.perf_counter() - wall

        single = []
        with httpx.Client(timeout=30, follow_redirects=True) as client:
            for _ in range(args.single):
                elapsed, ok = check_once(client, base, files[:0] + [(PPM.name, PPM.read_bytes())], deadline)
                if not ok:
                    errors[0] += 1
                single.append(elapsed)
        memory = peak_memory_mib(server.pid)
    finally:
        server.terminate()
        try:
            server.wait(10)
        except subprocess.TimeoutExpired:
            server.kill()

    base_p50 = statistics.median(direct)
    one_p50 = statistics.median(direct_one)
    print(f"{'':38}{'p50':>9}{'p95':>9}{'baseline':>10}{'ratio':>8}")
    if alone:
        a50, a95 = statistics.median(alone), pct(alone, 0.95)
        print(f"{'caseload check, one user':38}{a50:8.2f}s{a95:8.2f}s{base_p50:9.2f}s{a50 / base_p50:7.1f}x")
    if latencies:
        p50, p95 = statistics.median(latencies), pct(latencies, 0.95)
        print(f"{'caseload check, ' + str(args.users) + ' users at once':38}{p50:8.2f}s{p95:8.2f}s{base_p50:9.2f}s{p50 / base_p50:7.1f}x")
    s50, s95 = statistics.median(single), pct(single, 0.95)
    print(f"{'one PPM record, one user':38}{s50 * 1000:7.0f}ms{s95 * 1000:7.0f}ms{one_p50 * 1000:8.1f}ms{s50 / one_p50:7.0f}x")
    print(f"checks done: {len(latencies)} caseload + {len(single)} single in {wall:.1f} s of load; errors: {errors[0]}")
    print(f"server peak memory (VmHWM): {memory:.0f} MiB")
    print("baseline: validate_command.check_paths on the same files in this process (no web)")
    slow = max(single) >= 0.5
    if errors[0] or slow:
        print(("errors: must be 0. " if errors[0] else "") + ("one PPM record took 0.5 s or more." if slow else ""), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
