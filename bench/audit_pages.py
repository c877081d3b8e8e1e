"""Benchmark: how many pages the Word audit of each corpus report runs to (issue 8 §5: a
typical audit is at most six pages; its rows may break across pages).

Audits every Word CPR in a folder, writes the Word audit (`permanence audit X.docx
--output audit.docx`), converts it to PDF with LibreOffice headless and counts the pages
with pdfinfo. Prints the pages per report beside the target as a ratio (1.0 or under
meets it). With --baseline REV the same is measured for the code at git revision REV (a
temporary worktree, removed afterwards) in the same run, side by side.
Usage: python bench/audit_pages.py [CORPUS_DIR] [--baseline REV] [--target 6]
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent.parent / "shared" / "corpus" / "cpr"


def pdf_pages(pdf: Path) -> int:
    out = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", out, re.M).group(1))


def to_pdf(docxs: list[Path], outdir: Path) -> None:
    """Convert in one LibreOffice call (a private profile, so a user's LibreOffice is untouched)."""
    profile = outdir / "lo-profile"
    subprocess.run(["soffice", f"-env:UserInstallation=file://{profile}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(outdir), *map(str, docxs)],
                   capture_output=True, check=True, timeout=600)


def measure(code_root: Path, reports: list[Path], work: Path) -> dict[str, int]:
    work.mkdir(parents=True, exist_ok=True)
    python = ROOT / ".venv" / "bin" / "python"
    docxs = []
    for report in reports:
        out = work / f"{report.stem}-audit.docx"
        subprocess.run([str(python), "-m", "permanence.cli", "audit", str(report), "--output", str(out), "--as-of", "2026-11-23", "--force"],
                       cwd=code_root, capture_output=True, env={**os.environ, "PYTHONPATH": str(code_root)})
        if out.exists():
            docxs.append(out)
    to_pdf(docxs, work)
    return {d.stem.removesuffix("-audit"): pdf_pages(d.with_suffix(".pdf")) for d in docxs}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", default=str(DEFAULT_CORPUS))
    ap.add_argument("--baseline", help="git revision to measure beside the working tree")
    ap.add_argument("--target", type=int, default=6)
    args = ap.parse_args()
    reports = sorted(Path(args.corpus).glob("*.docx"))
    if not reports:
        print(f"{args.corpus}: no Word reports found.", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory(prefix="audit-pages-") as tmp:
        tmp = Path(tmp)
        now = measure(ROOT, reports, tmp / "now")
        before = None
        if args.baseline:
            wt = tmp / "baseline"
            subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(wt), args.baseline],
                           capture_output=True, check=True)
            try:
                before = measure(wt, reports, tmp / "before")
            finally:
                subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(wt)], capture_output=True)
    head = f"{'report':8} {'pages':>5} {'/target':>8}"
    if before is not None:
        head += f" {'baseline':>9} {'now/baseline':>13}"
    print(head)
    for name in sorted(now):
        line = f"{name:8} {now[name]:5d} {now[name] / args.target:8.2f}"
        if before is not None:
            b = before.get(name)
            line += f" {b if b is not None else '-':>9} {now[name] / b if b else float('nan'):13.2f}"
        print(line)
    worst = max(now.values())
    print(f"max {worst} pages (target {args.target}); {sum(v > args.target for v in now.values())} over target"
          + (f"; baseline max {max(before.values())}" if before else ""))
    return 0 if worst <= args.target else 1


if __name__ == "__main__":
    sys.exit(main())
