"""Benchmark: audit a long Child's Permanence Report (about 15,000 words, generated from the
exemplary example with realistic narrative and a few defects) on one core; and read and
audit a 15,000-word Word CPR in a template of its own (not our form: bold paragraphs as
questions, a two-column front sheet, Date / Event / Source chronology tables, as an
authority's template has them), generated here from the structure of the shared corpus.

Prints the time with the hunspell engine and with language checks only, the peak memory,
and each time beside the issue's target as a ratio (under 1.0 meets the target).
Usage: python bench/audit.py [--words 15000] [--repeat 3]
"""
from __future__ import annotations

import argparse
import copy
import datetime as dt
import json
import os
import random
import resource
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_HUNSPELL = 3.0   # seconds (issue 3, "Done when")
TARGET_LANGUAGE = 1.0   # seconds

SENTENCES = [
    "Ava was seen by the health visitor, a nurse who checks the health and development of young children, on {d} {m} {y}.",
    "Gemma attended family time at the Bridges Family Centre (a family contact centre) and fed Ava her bottle.",
    "The foster carers reported that Ava slept well and was settled after the visit.",
    "Gemma told me she had been feeling low and had spoken to her doctor about her medication (self-reported).",
    "Ryan phoned to ask how Ava was getting on and said he was pleased she was smiling.",
    "There were historical concerns about the home.",
    "I visited Ava in placement and observed her playing with stacking cups and babbling to her carer.",
    "Mason came to family time with his grandmother and held Ava's hand for most of the session.",
    "Gemma refused to attend the meeting on {d} {m} {y}.",
    "The Independent Reviewing Officer (IRO) chaired the review and agreed the plan.",
    "Ava's weight and length remained on the 50th centile at her review.",
    "Gemma brought a painted card for Ava and talked about her own childhood in Warrington.",
    "The carers noted that Ava was wary of a visitor for a few minutes before warming up.",
    "Gemma has poor mental health.",
    "Ava recieved her twelve-month immunisations without any reaction.",
]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]


def long_cpr(words: int, seed: int = 3) -> dict:
    rnd = random.Random(seed)
    base = json.loads((ROOT / "examples/caseload/C1001-ava-thompson/cpr.json").read_text("utf-8"))
    cpr = copy.deepcopy(base)

    def paragraph(n):
        return " ".join(rnd.choice(SENTENCES).format(d=rnd.randint(1, 28), m=rnd.choice(MONTHS), y=rnd.choice((2025, 2026))) for _ in range(n))

    def count(data):
        from permanence.checks.text import WORD_RE, iter_strings

        return sum(len(WORD_RE.findall(t)) for _, t in iter_strings(data))

    entries = cpr["chronologies"]["child"]
    day = dt.date(2025, 9, 18)
    while count(cpr) < words:
        entries.append({"date": day.isoformat(), "event": paragraph(3), "source": "Case records"})
        day += dt.timedelta(days=2)
        if len(entries) % 10 == 0:
            for key in ("personality", "current_carers_account"):
                cpr["child"][key] += " " + paragraph(4)
    entries.sort(key=lambda e: e["date"])
    cpr["report"]["report_date"] = max(e["date"] for e in entries)
    for who in ("author", "manager"):
        cpr[who]["signed_date"] = cpr["report"]["report_date"]
    return cpr, count(cpr)


FOREIGN_SECTIONS = [  # (heading, what the answer is about), in the order of an authority's own template
    ("Part 1: About me", None), ("My name, date of birth and where I was born", "identity"), ("What I look like", "child"),
    ("My personality and what I enjoy", "child"), ("My health", "health"), ("My development", "child"),
    ("My nursery and education", "child"), ("My identity, culture, religion and language", "child"),
    ("What I think and feel about the plan", "wishes"), ("Work done with me", "work"),
    ("Part 2: My birth family", None), ("My birth mother: Gemma Thompson", "mother"), ("My birth father: Ryan Cole", "father"),
    ("My brothers and sisters", "siblings"), ("Other relatives and viability assessments", "relatives"),
    ("Part 3: My story so far", None), ("Chronology of my life from birth", "chronology"),
    ("Chronology of the agency's actions and decisions", "agency"),
    ("Part 4: Family time", None), ("Family time now", "family"), ("How family time will reduce", "family"),
    ("Family time after I am placed", "family"),
    ("Part 5: Decisions and support", None), ("Expert assessments", "assessment"), ("Adoption support I may need", "support"),
    ("The social worker's recommendation", "recommendation"),
]


def long_docx(path: Path, words: int, seed: int = 5) -> int:
    """A Word CPR in a template of its own, of about `words` words; returns the word count."""
    import docx

    rnd = random.Random(seed)
    doc = docx.Document()
    total = 0

    def sentence():
        return rnd.choice(SENTENCES).format(d=rnd.randint(1, 28), m=rnd.choice(MONTHS), y=rnd.choice((2025, 2026)))

    def text(n):
        nonlocal total
        out = " ".join(sentence() for _ in range(n))
        total += len(out.split())
        return out

    def bold(line):  # typed in Word: direct bold, no heading style
        doc.add_paragraph().add_run(line).bold = True

    doc.add_paragraph().add_run("Child's Permanence Report").bold = True
    front = doc.add_table(rows=0, cols=2)
    for label, value in (("Child's name", "Ava Grace Thompson"), ("Date of birth", "14 September 2025"), ("Report date", "1 June 2027"),
                         ("Author", "Amira Khan, Social Worker"), ("Team Manager", "Fiona Reid"),
                         ("Purpose of this report", "For the Agency Decision Maker and the placement order application"),
                         ("Legal status", "Interim care order, Family Court at Warrington, 3 March 2026")):
        row = front.add_row().cells
        row[0].text, row[1].text = label, value
    body_sections = [s for s in FOREIGN_SECTIONS if s[1] not in (None, "chronology", "agency")]
    day = dt.date(2025, 9, 14)
    sections = FOREIGN_SECTIONS
    while total < words:
        for heading, kind in sections:
            if total >= words:
                break
            bold(heading)
            if kind in ("chronology", "agency"):
                table = doc.add_table(rows=1, cols=3)
                table.rows[0].cells[0].text, table.rows[0].cells[1].text, table.rows[0].cells[2].text = "Date", "Event", "Source"
                for _ in range(12):
                    day += dt.timedelta(days=rnd.randint(1, 9))
                    cells = table.add_row().cells
                    cells[0].text, cells[1].text, cells[2].text = day.strftime("%d/%m/%Y"), text(1), "Case records"
            elif kind is not None:
                for _ in range(rnd.randint(1, 3)):
                    doc.add_paragraph(text(rnd.randint(3, 7)))
        sections = body_sections  # after the first pass, only narrative grows
    doc.add_paragraph().add_run("Signed").bold = True
    sign = doc.add_table(rows=2, cols=3)
    for row, who in zip(sign.rows, ("Social worker: Amira Khan", "Team Manager: Fiona Reid")):
        row.cells[0].text, row.cells[1].text, row.cells[2].text = who, "Signed", "1 June 2027"
    doc.save(str(path))
    return total


def timed_docx(path: Path, repeat: int):
    """Best time to read the .docx through the normal loading path and audit it with hunspell."""
    from permanence.checks.audit import build_audit
    from permanence.checks.proofreading import make_engine
    from permanence.checks.wordlists import load_wordlists
    from permanence.findings import UserError
    from permanence.forms.load import load_record

    best, audit, error = None, None, None
    for _ in range(repeat):
        start = time.perf_counter()
        try:
            record = load_record(path)
        except UserError as exc:
            return None, None, str(exc)
        engine, note = make_engine(prefer="hunspell")
        audit = build_audit(record.data, as_of=dt.date(2027, 6, 1), engine=engine, engine_note=note, wordlists=load_wordlists([]))
        engine.close()
        took = time.perf_counter() - start
        best = took if best is None else min(best, took)
    return best, audit, error


def timed(cpr, engine_choice, repeat):
    from permanence.checks.audit import build_audit
    from permanence.checks.proofreading import make_engine
    from permanence.checks.wordlists import load_wordlists

    best = None
    for _ in range(repeat):
        start = time.perf_counter()
        engine, note = make_engine(prefer=engine_choice)
        audit = build_audit(cpr, as_of=dt.date(2027, 6, 1), engine=engine, engine_note=note, wordlists=load_wordlists([]))
        engine.close()
        took = time.perf_counter() - start
        best = took if best is None else min(best, took)
    return best, audit


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=15000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core
    cpr, n = long_cpr(args.words)
    t_cold, _ = timed(cpr, "hunspell", 1)  # first audit in this process: imports (jsonschema) and schema caches included
    t_hun, audit_h = timed(cpr, "hunspell", args.repeat)
    t_lang, audit_l = timed(cpr, "none", args.repeat)
    tracemalloc.start()
    timed(cpr, "hunspell", 1)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    flagged = sum(i["answer"] in ("no", "partial") for i in audit_h["items"])
    print(f"Long CPR: {n} words, {len(cpr['chronologies']['child'])} chronology entries; one core; best of {args.repeat} after the first audit")
    print(f"{'measure':<34}{'time (s)':>10}{'target (s)':>12}{'ratio':>8}")
    print(f"{'audit, hunspell engine':<34}{t_hun:>10.3f}{TARGET_HUNSPELL:>12.1f}{t_hun / TARGET_HUNSPELL:>8.2f}")
    print(f"{'audit, language checks only':<34}{t_lang:>10.3f}{TARGET_LANGUAGE:>12.1f}{t_lang / TARGET_LANGUAGE:>8.2f}")
    print(f"{'hunspell / language-only':<34}{t_hun / t_lang:>10.2f}x")
    print(f"{'first audit in a fresh process':<34}{t_cold:>10.3f}{TARGET_HUNSPELL:>12.1f}{t_cold / TARGET_HUNSPELL:>8.2f}  (includes imports and schema caches)")
    print(f"peak Python memory (tracemalloc) during one audit: {peak / 1e6:.1f} MB; process peak RSS: {rss:.0f} MB")
    print(f"engines: {audit_h['proofreading']['engine']} / {audit_l['proofreading']['engine']}; items flagged No/Partial: {flagged}; outcome: {audit_h['outcome']}")
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "long-foreign-template.docx"
        n_docx = long_docx(path, args.words)
        timed_docx(path, 1)  # warm: imports and caches
        t_docx, audit_d, error = timed_docx(path, args.repeat)
    print()
    print(f"Word CPR in a foreign template: {n_docx} words (bold paragraphs as headings, two-column front sheet, chronology tables)")
    if error:
        print(f"  could not be read: {error}")
    else:
        flagged_d = sum(i["answer"] in ("no", "partial") for i in audit_d["items"])
        print(f"{'read + audit, hunspell engine':<34}{t_docx:>10.3f}{TARGET_HUNSPELL:>12.1f}{t_docx / TARGET_HUNSPELL:>8.2f}"
              f"  (items flagged No/Partial: {flagged_d})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
