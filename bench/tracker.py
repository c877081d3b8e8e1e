"""Benchmark: build the tracker for a generated caseload of 10,000 children, side by side
with openpyxl writing the same cells with no formatting in write-only mode (the baseline).

    python bench/tracker.py [--children 10000] [--profile warrington] [--jobs N]

Each measurement runs in its own process so its peak memory (ru_maxrss) is its own; the
read-and-compute step runs on --jobs processes (default: every core), as `permanence
tracker` does, and CPU time counts the workers too. The workbook is written by one process.
Targets (issue 12): 10,000 children under 10 s and under 400 MiB; 50,000 children under
1 GiB; writing at most 2 times the baseline.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

AS_OF = dt.date(2026, 11, 23)
PLANS = ["adoption", "long_term_fostering", "special_guardianship", "reunification", "connected_carer_fostering",
         "remain_at_home", "foster_for_adoption", "long_term_residential"]
STATUSES = [("interim_care_order", "foster_care"), ("care_order", "foster_care"), ("placement_order", "foster_care"),
            ("section_20", "foster_care"), ("care_order", "residential"), ("supervision_order", "not_placed"),
            ("not_looked_after", "not_placed"), ("interim_care_order", "connected_carer")]


def _d(day: dt.date) -> str:
    return day.isoformat()


def generate(folder: Path, n: int, seed: int = 5) -> None:
    """n children with plausible journeys (fictional, random), one case.json each, plus a
    PPM record for every fourth child."""
    rnd = random.Random(seed)
    for i in range(n):
        cid = f"G{i:05d}"
        start = AS_OF - dt.timedelta(days=rnd.randint(30, 900))
        dob = start - dt.timedelta(days=rnd.randint(0, 17 * 365))
        legal, placement = rnd.choice(STATUSES)
        primary = rnd.choice(PLANS)
        contingency = [p for p in rnd.sample(PLANS, 2) if p != primary][:1]
        events = [{"type": "gateway_decision", "date": _d(start - dt.timedelta(days=10)), "outcome": "threshold met: issue_proceedings"},
                  {"type": "proceedings_issued", "date": _d(start - dt.timedelta(days=3))},
                  {"type": "became_looked_after", "date": _d(start), "legal_status": "interim_care_order"},
                  {"type": "placement_start", "date": _d(start), "placement_type": placement}]
        day = start
        while True:
            day += dt.timedelta(weeks=rnd.randint(4, 8))
            if day > AS_OF:
                break
            events.append({"type": rnd.choice(["ppm", "ppm", "cla_review", "permanence_panel"]), "date": _d(day)})
        if legal == "supervision_order":
            made = AS_OF - dt.timedelta(days=rnd.randint(10, 300))
            events.append({"type": "supervision_order", "date": _d(made), "legal_status": legal, "expiry_date": _d(made + dt.timedelta(days=364))})
        elif legal not in ("interim_care_order", "not_looked_after", "section_20"):
            events.append({"type": legal, "date": _d(start + dt.timedelta(days=150)) if start + dt.timedelta(days=150) <= AS_OF else _d(AS_OF), "legal_status": legal})
        if primary in ("adoption", "foster_for_adoption"):
            events += [{"type": "family_finder_allocated", "date": _d(start)}, {"type": "shobpa", "date": _d(min(start + dt.timedelta(days=120), AS_OF))}]
        case = {"form": "case", "version": "1.0",
                "child": {"id": cid, "name": f"Child {i} Example", "date_of_birth": _d(dob), "legal_status": legal, "placement_type": placement},
                "team": rnd.choice(["Permanence Team", "Children in Care 1", "Children in Care 2", "Adoption Team"]),
                "social_worker": rnd.choice(["Amira Khan", "Ben Carter", "Chloe Davies", "Daniel Price"]),
                "iro": rnd.choice(["Sarah Lindqvist", "Tom Ashworth"]),
                "primary_plan": primary, "contingency_plans": contingency, "events": events,
                "actions": [{"decision": "Update the plan and book the next review", "responsible": "Team manager", "target_date": _d(AS_OF + dt.timedelta(days=14))}]}
        d = folder / cid
        d.mkdir(parents=True)
        (d / "case.json").write_text(json.dumps(case), "utf-8")


def run_ours(caseload: str, out: str, profile: str, jobs: int) -> dict:
    from permanence.tracker.build import build_tracker
    from permanence.tracker.command import compute_rows

    t0 = time.perf_counter()
    rows, engine, profile_obj, caseload_obj = compute_rows(caseload, profile, AS_OF, jobs=jobs)
    t1, c1 = time.perf_counter(), time.process_time()
    build_tracker(rows, engine, profile_obj, Path(out), backup=False, problems=caseload_obj.problems)
    t2, c2 = time.perf_counter(), time.process_time()
    return {"read_and_compute_s": t1 - t0, "write_s": t2 - t1, "write_cpu_s": c2 - c1, "total_s": t2 - t0, "children": len(rows)}


def run_baseline(caseload: str, out: str, profile: str, jobs: int) -> dict:
    """The same cells (values only) on the same sheets, write-only, no formatting."""
    from openpyxl import Workbook

    from permanence.tracker import workbook as W
    from permanence.tracker.command import compute_rows

    rows, engine, *_ = compute_rows(caseload, profile, AS_OF, jobs=jobs)  # not timed: the baseline writes only
    values = {r.id: W.child_values(r, engine.settings) for r in rows}
    members = {r.id: W.sheet_members(r, engine.settings) for r in rows}
    t0, c0 = time.perf_counter(), time.process_time()
    wb = Workbook(write_only=True)
    for title, columns in W.SHEETS.items():
        ws = wb.create_sheet(title)
        ws.append([c.header for c in columns])
        for r in rows:
            if title in members[r.id]:
                v = values[r.id]
                ws.append([v.get(c.key) if c.kind != "rag_shown" else v.get("rag_computed") for c in columns])
    ws = wb.create_sheet(W.DUE_DATES)
    ws.append([c.header for c in W.DUE_COLUMNS])
    for r in rows:
        for t in (t for t in r.timescales if t.status in ("overdue", "due soon", "upcoming")):
            ws.append([r.id, r.name, t.id, t.description, f"{t.rule} ({t.anchor_date})", t.due, t.status, t.met_on, t.booked, t.source])
    wb.save(out)
    return {"write_s": time.perf_counter() - t0, "write_cpu_s": time.process_time() - c0, "children": len(rows)}


def child(mode: str, caseload: str, out: str, profile: str, jobs: int) -> None:
    result = (run_ours if mode == "ours" else run_baseline)(caseload, out, profile, jobs)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    result["peak_rss_mib"] = usage.ru_maxrss / 1024  # the main process (a worker holds a few files at a time)
    result["worker_peak_rss_mib"] = workers.ru_maxrss / 1024
    result["cpu_s"] = usage.ru_utime + usage.ru_stime + workers.ru_utime + workers.ru_stime  # imports and workers included
    result["file_mib"] = os.path.getsize(out) / (1024 * 1024)
    print(json.dumps(result))


def measure(mode: str, caseload: str, out: str, profile: str, jobs: int) -> dict:
    proc = subprocess.run([sys.executable, __file__, "--child", mode, "--caseload", caseload, "--out", out, "--profile", profile,
                           "--jobs", str(jobs)], capture_output=True, text=True, check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--children", type=int, default=10_000)
    ap.add_argument("--profile", default="warrington")
    ap.add_argument("--child", choices=["ours", "baseline"])
    ap.add_argument("--caseload")
    ap.add_argument("--out")
    ap.add_argument("--jobs", type=int, default=0, help="processes for reading and computing (default: every core)")
    args = ap.parse_args()
    if args.child:
        child(args.child, args.caseload, args.out, args.profile, args.jobs)
        return
    from permanence.pool import resolve_jobs

    jobs = resolve_jobs(args.jobs)
    with tempfile.TemporaryDirectory() as tmp:
        caseload = Path(tmp) / "caseload"
        t = time.perf_counter()
        generate(caseload, args.children)
        print(f"generated {args.children} case records in {time.perf_counter() - t:.1f} s (profile {args.profile}, as of {AS_OF}); "
              f"--jobs {jobs}; load average (1 min) at the start {os.getloadavg()[0]:.2f}")
        base = measure("baseline", str(caseload), str(Path(tmp) / "baseline.xlsx"), args.profile, jobs)
        ours = measure("ours", str(caseload), str(Path(tmp) / "tracker.xlsx"), args.profile, jobs)
    print(f"{'':34}{'tracker':>12}{'baseline':>12}{'ratio':>8}")
    print(f"{'write the workbook (s)':34}{ours['write_s']:12.2f}{base['write_s']:12.2f}{ours['write_s'] / base['write_s']:8.2f}")
    print(f"{'write the workbook, CPU (s)':34}{ours['write_cpu_s']:12.2f}{base['write_cpu_s']:12.2f}{ours['write_cpu_s'] / base['write_cpu_s']:8.2f}")
    print(f"{'read, compute and write (s)':34}{ours['total_s']:12.2f}{'':>12}{'':>8}")
    print(f"{'  of which read and compute (s)':34}{ours['read_and_compute_s']:12.2f}")
    print(f"{'CPU time, process + workers (s)':34}{ours['cpu_s']:12.2f}{base['cpu_s']:12.2f}{'':>8}  (baseline also reads and computes, untimed)")
    print(f"{'load average (1 min) at the end':34}{os.getloadavg()[0]:12.2f}  on {os.cpu_count()} CPUs (other work slows wall-clock times)")
    print(f"{'peak memory, main process (MiB)':34}{ours['peak_rss_mib']:12.0f}{base['peak_rss_mib']:12.0f}{ours['peak_rss_mib'] / base['peak_rss_mib']:8.2f}")
    print(f"{'peak memory, largest worker (MiB)':34}{ours['worker_peak_rss_mib']:12.0f}{base['worker_peak_rss_mib']:12.0f}")
    print(f"{'file size (MiB)':34}{ours['file_mib']:12.1f}{base['file_mib']:12.1f}")
    ratio = ours["write_s"] / base["write_s"]
    if args.children <= 10_000:
        ok = ours["total_s"] < 10 and ours["peak_rss_mib"] < 400 and ratio <= 2
        print(f"targets (total under 10 s, under 400 MiB, write ratio at most 2): {'met' if ok else 'NOT met'}")
    else:
        ok = ours["peak_rss_mib"] < 1024 and ratio <= 2
        print(f"targets ({args.children:,} children under 1 GiB, write ratio at most 2): {'met' if ok else 'NOT met'}")


if __name__ == "__main__":
    main()
