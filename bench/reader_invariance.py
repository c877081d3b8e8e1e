"""Benchmark: does the Word CPR reader carry over to templates it has never seen?

Each development report in the folder (D01-D08 of the shared corpus, E01-E06 of bench/corpus) is
rewritten in eight other template shapes by
bench/template_variants.py (direct bold headings, one long question/answer table, bold
questions, italic template prompts, sections reordered, headings reworded, a messy
document) and audited through `permanence audit`'s own path, as the original is. Per
transformation it prints, beside the originals' own figures measured in the same run:

- fields: of the values the original's record holds (each line of a text, each fact,
  lists compared as bags so order does not matter), how many the variant's record holds at
  the same place in the record;
- verdicts: checklist items whose verdict differs from the original's audit;
- agreement with the adviser's keys (recall, precision, evidence hits), scored by
  bench/audit_agreement.py's own functions.

Only development reports are rewritten (D09-D12 are the check half and are never opened here).

Usage: python bench/reader_invariance.py CORPUS_DIR [--cases D01,D05] [--only bold,messy] [--details]
"""
from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import audit_agreement as agreement  # noqa: E402
import template_variants as variants  # noqa: E402

SKIP_KEYS = {"form", "version"}


def clean(value) -> str:
    text = str(value).replace("\u00a0", " ").replace("\t", " ")
    return " ".join(text.split()).strip(" :")


def leaves(node, path: str = ""):
    """(place in the record, value) for every value: list positions as '*', each line of a text apart."""
    if isinstance(node, dict):
        for key, value in node.items():
            if path == "" and key in SKIP_KEYS:
                continue
            yield from leaves(value, f"{path}/{key}")
    elif isinstance(node, list):
        for value in node:
            yield from leaves(value, f"{path}/*")
    elif isinstance(node, str):
        for line in node.split("\n"):
            if clean(line):
                yield path, clean(line)
    elif node is not None:
        yield path, str(node)


def same_place(original: dict, variant: dict) -> tuple[int, int, Counter]:
    """(values of the original found at the same place in the variant, values of the original, missing ones)."""
    a, b = Counter(leaves(original)), Counter(leaves(variant))
    kept = a & b
    return sum(kept.values()), sum(a.values()), a - b


def verdicts(audit: dict | None) -> dict[str, str]:
    return {i["id"]: i.get("answer", "") for i in (audit or {}).get("items", [])}


def run(corpus: Path, cases: list[str], kinds: list[str], details: bool) -> int:
    started = time.perf_counter()
    keys = {cid: agreement.load_key(corpus / f"{cid}.key.yaml") for cid in cases}
    originals = {}
    results: dict[str, dict] = {"original": {}}
    with tempfile.TemporaryDirectory(prefix="permanence-invariance-") as tmp:
        for cid in cases:
            src = corpus / f"{cid}.docx"
            as_of = dt.date.fromisoformat(str(keys[cid]["report_date"]))
            data, audit, error, _ = agreement.audit_one(src, as_of)
            originals[cid] = (data or {}, audit)
            results["original"][cid] = {"data": data or {}, "audit": audit, "error": error,
                                        "scored": agreement.score_case(keys[cid], audit, data or {}, agreement.docx_blocks(src))}
        for kind in kinds:
            results[kind] = {}
            for cid in cases:
                target = Path(tmp) / f"{cid}-{kind}.docx"
                variants.write_variant(corpus / f"{cid}.docx", kind, target)
                as_of = dt.date.fromisoformat(str(keys[cid]["report_date"]))
                data, audit, error, _ = agreement.audit_one(target, as_of)
                results[kind][cid] = {"data": data or {}, "audit": audit, "error": error,
                                      "scored": agreement.score_case(keys[cid], audit, data or {}, agreement.docx_blocks(target))}
    print(f"Reader invariance over {len(cases)} reports ({', '.join(cases)}): each rewritten in another template shape")
    print(f"{'':12}{'fields kept':>18}{'verdicts same':>16}{'recall':>13}{'precision':>13}{'evidence':>13}  errors")
    for kind, per in results.items():
        kept = total = same = compared = 0
        changed = []
        errors = [cid for cid, r in per.items() if r["error"] or r["audit"] is None]
        for cid, r in per.items():
            k, t, _ = same_place(originals[cid][0], r["data"])
            kept, total = kept + k, total + t
            va, vb = verdicts(originals[cid][1]), verdicts(r["audit"])
            for item, answer in va.items():
                compared += 1
                if vb.get(item) == answer:
                    same += 1
                else:
                    changed.append(f"{cid}:{item} {answer}->{vb.get(item, 'none')}")
            r["changed"] = changed
        t = agreement.totals({cid: {"id": cid, **r["scored"]} for cid, r in per.items()}, set(per), x1=True)
        h, n = t["evidence_counts"]
        print(f"{kind:12}{kept:>8}/{total:<5} {kept / total if total else 1:.2f}{same:>7}/{compared:<4} {same / compared if compared else 1:.2f}"
              f"{t['recall']:>6.2f} {t['tp']:>2}/{t['tp'] + t['fn']:<3}{t['precision']:>6.2f} {t['tp']:>2}/{t['tp'] + t['fp']:<3}"
              f"{t['evidence']:>6.2f} {h:>2}/{n:<3}  {', '.join(errors) or '-'}")
    print("(fields kept: values of the original's record at the same place; verdicts: checklist items, X1 included;"
          " recall, precision and evidence against the adviser's keys, with X1)")
    print("\nPer report, fields kept / verdicts changed:")
    for kind, per in results.items():
        if kind == "original":
            continue
        bits = []
        for cid, r in per.items():
            k, t, _ = same_place(originals[cid][0], r["data"])
            n_changed = sum(1 for c in r["changed"] if c.startswith(cid + ":"))
            bits.append(f"{cid} {k / t if t else 1:.2f}/{n_changed}")
        print(f"  {kind:10} " + "  ".join(bits))
    if details:
        for kind, per in results.items():
            if kind == "original":
                continue
            print(f"\n{kind}:")
            for cid, r in per.items():
                if r["error"]:
                    print(f"  {cid} ERROR: {r['error']}")
                _, _, missing = same_place(originals[cid][0], r["data"])
                places = Counter(re.sub(r"/\*", "[]", p) for p, _ in missing.elements())
                if places:
                    print(f"  {cid} values not at the original's place: " + ", ".join(f"{p} {n}" for p, n in places.most_common(12)))
                changed = [c for c in r["changed"] if c.startswith(cid + ":")]
                if changed:
                    print(f"  {cid} verdicts changed: " + ", ".join(c.split(":", 1)[1] for c in changed))
    print(f"\n{len(cases) * (len(kinds) + 1)} audits in {time.perf_counter() - started:.1f} s.")
    return 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpus", type=Path, help="folder of <ID>.docx and <ID>.key.yaml (the shared corpus's cpr/)")
    parser.add_argument("--cases", help="development reports to rewrite (default: every development report in the folder)")
    parser.add_argument("--only", default=",".join(variants.TRANSFORMS), help="transformations to run: " + ", ".join(variants.TRANSFORMS))
    parser.add_argument("--details", action="store_true", help="list, per report, where values went missing and which verdicts changed")
    args = parser.parse_args(argv)
    cases = [c.strip() for c in args.cases.split(",") if c.strip()] if args.cases else \
        sorted(c for c in agreement.DEVELOPMENT if (args.corpus / f"{c}.docx").is_file())
    kinds = [k.strip() for k in args.only.split(",") if k.strip()]
    bad = [c for c in cases if c not in agreement.DEVELOPMENT] + [k for k in kinds if k not in variants.TRANSFORMS]
    if bad:
        print(f"reader_invariance: {', '.join(bad)} is not a development report (D01-D08, E01-E06) or a known transformation.", file=sys.stderr)
        return 2
    missing = [c for c in cases if not (args.corpus / f"{c}.docx").is_file() or not (args.corpus / f"{c}.key.yaml").is_file()]
    if missing:
        print(f"{args.corpus}: {', '.join(missing)} has no .docx or no .key.yaml here.", file=sys.stderr)
        return 2
    return run(args.corpus, cases, kinds, args.details)


if __name__ == "__main__":
    sys.exit(main())
