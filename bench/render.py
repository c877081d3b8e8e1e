"""Benchmark: documents per second for `render` over the examples, side by side with bare
docxtpl rendering the same template and context, and the ratio of the two (measured in
the same run). Targets: ratio at most 1.5 (issue 4); render_record at least 25 documents
a second on one core, and on 2 cores `render --jobs 2` at least 1.7 times `--jobs 1` for
500 documents (issue 12).

    python bench/render.py [--rounds 3] [--documents 500] [--jobs N] [FOLDER...]

`render_record` is what `permanence render` runs for each record after validation
(preparing the values, docxtpl with a sandboxed autoescaping environment, document
properties, atomic write). The baseline is `DocxTemplate(template).render(context,
autoescape=True)` and `save()`, given the context already prepared. A third line times
the whole command (`permanence render FOLDER -o OUT`, validation included). The --jobs
comparison renders the example caseload copied to about --documents records with
`--jobs 1` and `--jobs N` (default: every core), alternately, with the CPU time of the
process and its workers and the load average.
"""
from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import resource
import shutil
import sys
import tempfile
import time
from collections import Counter
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from permanence.forms.load import iter_record_paths, load_record  # noqa: E402
from permanence.forms.registry import FORMS  # noqa: E402
from permanence.templates.render import build_context, render_record, template_file  # noqa: E402


def records(folders):
    found = []
    for path in iter_record_paths(folders):
        if path.suffix.lower() != ".json" or "invalid" in path.parts:
            continue
        try:
            record = load_record(path)
        except Exception:  # noqa: BLE001 - not a record: not benchmarked
            continue
        if FORMS[record.form].template_file:
            found.append(record)
    return found


def missing_pictures(record, folder) -> bool:
    """Records naming image files that are not on disk render as drafts (placeholders)."""
    from permanence.findings import UserError

    try:
        render_record(record, folder / "probe.docx", force=True)
        return False
    except UserError:
        return True


CPU = {}


def time_ours(recs, rounds, folder, drafts):
    start, cpu = time.perf_counter(), time.process_time()
    for r in range(rounds):
        for i, record in enumerate(recs):
            render_record(record, folder / f"ours-{r}-{i}.docx", force=True, draft=drafts[i])
    CPU["ours"] = time.process_time() - cpu  # on a busy machine the CPU time is the fairer figure
    return time.perf_counter() - start


def time_ours_uncached(recs, rounds, folder, drafts):
    """The same, forgetting compiled templates before every document: what preparing the
    values, the sandbox and the atomic write cost on top of docxtpl alone."""
    from permanence.templates import render as render_module

    start = time.perf_counter()
    for r in range(rounds):
        for i, record in enumerate(recs):
            render_module.jinja_env()._compiled.clear()
            render_module._PATCHED.clear()
            render_record(record, folder / f"cold-{r}-{i}.docx", force=True, draft=drafts[i])
    return time.perf_counter() - start


def time_bare(recs, rounds, folder, drafts):
    """Bare docxtpl: load the template, render the prepared context, save. The context is
    built with the same DocxTemplate (pictures are bound to the template that renders
    them), and the time spent building it is left out of the bare figure."""
    from docxtpl import DocxTemplate

    total = 0.0
    for r in range(rounds):
        for i, (record, draft) in enumerate(zip(recs, drafts)):
            path = str(template_file(record.form))
            t0 = time.perf_counter()
            tpl = DocxTemplate(path)
            t1 = time.perf_counter()
            context = build_context(record, tpl, draft=draft)
            t2 = time.perf_counter()
            tpl.render(context, autoescape=True)
            tpl.save(folder / f"bare-{r}-{i}.docx")
            t3 = time.perf_counter()
            total += (t1 - t0) + (t3 - t2)
    return total


def time_command(folders, folder, profile):
    from permanence.templates.commands import run_render

    sink = io.StringIO()
    start = time.perf_counter()
    with redirect_stdout(sink), redirect_stderr(sink):
        run_render([str(f) for f in folders], str(folder / "cli"), draft=True, force=True, profile=profile,
                   as_of=dt.date(2026, 11, 23))
    return time.perf_counter() - start


def cpu_seconds() -> tuple[float, float]:
    """User + system time of this process, and of its finished workers."""
    me, workers = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, workers.ru_utime + workers.ru_stime


def jobs_comparison(folders, folder: Path, profile: str, documents: int, jobs: int, rounds: int) -> None:
    """`permanence render` over copies of the caseload with --jobs 1 and --jobs N, alternately."""
    from permanence.templates.commands import run_render

    per_copy = len(records(folders))
    copies = max(1, -(-documents // max(per_copy, 1)))
    source = folder / "many"
    for i in range(copies):
        for raw in folders:
            shutil.copytree(raw, source / f"copy{i:02d}" / Path(raw).name, ignore=shutil.ignore_patterns("invalid"))
    n = len(records([str(source)]))
    best = {1: (float("inf"), 0.0, 0.0), jobs: (float("inf"), 0.0, 0.0)}
    load = os.getloadavg()[0]
    for r in range(rounds):
        for j in (1, jobs):  # alternately, so both see the same load
            out = folder / f"jobs{j}-{r}"
            sink = io.StringIO()
            (me, workers), start = cpu_seconds(), time.perf_counter()
            with redirect_stdout(sink), redirect_stderr(sink):
                run_render([str(source)], str(out), draft=True, force=True, profile=profile, as_of=dt.date(2026, 11, 23), jobs=j)
            wall = time.perf_counter() - start
            me2, workers2 = cpu_seconds()
            best[j] = min(best[j], (wall, me2 - me, workers2 - workers))
            shutil.rmtree(out)
    from validate import report_jobs  # noqa: E402 - the same lines as bench/validate.py

    report_jobs(f"`permanence render` of {n} documents, validation included", n, "docs", jobs, rounds, load, best)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("folders", nargs="*", default=[str(ROOT / "examples")])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", default="warrington")
    parser.add_argument("--documents", type=int, default=500, help="documents for the --jobs comparison (0: none)")
    parser.add_argument("--jobs", type=int, default=0, help="processes for the --jobs comparison (default: every core)")
    args = parser.parse_args(argv)
    recs = records(args.folders)
    if not recs:
        print("no records with a Word form found")
        return 2
    counts = Counter(r.form for r in recs)
    print(f"records: {len(recs)} ({', '.join(f'{form} {n}' for form, n in sorted(counts.items()))}); rounds: {args.rounds}")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        # warm-up (first use of each template: compiling, caches, imports), and which
        # records name pictures that are not on disk
        drafts = [missing_pictures(r, folder) for r in recs]
        if any(drafts):
            print(f"{sum(drafts)} records name image files that are missing: rendered as drafts with placeholders")
        n = len(recs) * args.rounds
        bare = time_bare(recs, args.rounds, folder, drafts)
        ours = time_ours(recs, args.rounds, folder, drafts)
        cold = time_ours_uncached(recs, args.rounds, folder, drafts)
        from permanence.forms.profiles import available_profiles

        profile = args.profile if args.profile in available_profiles() else "england"
        command = time_command(args.folders, folder, profile)
        if args.documents:
            from permanence.pool import resolve_jobs

            jobs_comparison(args.folders, folder, profile, args.documents, resolve_jobs(args.jobs), max(1, min(args.rounds, 2)))
    ours_rate, bare_rate = n / ours, n / bare
    ratio = ours / bare
    print(f"{'':34}{'docs/s':>10}{'seconds':>10}")
    print(f"{'permanence render_record':34}{ours_rate:10.1f}{ours:10.2f}  ({n / CPU['ours']:.1f} per CPU second; "
          f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs)")
    print(f"{'bare docxtpl (same template+ctx)':34}{bare_rate:10.1f}{bare:10.2f}")
    print(f"{'render_record, no compile cache':34}{n / cold:10.1f}{cold:10.2f}  (ratio to bare {cold / bare:.2f})")
    print(f"{'permanence render FOLDER (CLI)':34}{len(recs) / command:10.1f}{command:10.2f}  (one pass, validation included)")
    print(f"ratio render_record / bare docxtpl (time per document): {ratio:.2f}  (target <= 1.5)")
    print(f"target >= 25 docs/s on one core: {'met' if ours_rate >= 25 else 'NOT met'} ({ours_rate:.1f} wall, "
          f"{n / CPU['ours']:.1f} per CPU second); ratio <= 1.5: {'met' if ratio <= 1.5 else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
