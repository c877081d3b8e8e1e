"""Write the full test records of tests/cases/templates/ (run once; the output is committed).

Every field of every form is filled, every list has two entries, and some text holds what
must survive a round trip: template syntax, XML's special characters, paragraphs, tabs.
The children and dates are from examples/CASELOAD.md.
Run: python tests/cases/templates/make_cases.py
"""
from __future__ import annotations

import itertools
import json
from pathlib import Path

from permanence.templates.layout import Leaf, Obj, form_layout, template_forms

HERE = Path(__file__).resolve().parent
TRICKY = [
    "Ava is settled and thriving with her carers.\n\nShe enjoys music & songs; she reaches for <toys> and smiles at {{ x }} as written.",
    "A literal {% for item in items %} stays as typed, with a\ttab.\nSecond line of the same answer.",
    "Plain answer written by the social worker.",
]
NAMES = ["Ava Thompson", "Amira Khan", "Helen Marsh", "Sarah Lindqvist", "Fiona Reid", "Dr Ruth Allen"]
DATES = ["2025-09-14", "2026-03-10", "2026-06-17", "2026-01-21", "2025-09-17", "2026-11-23"]


def values():
    counter = itertools.count()
    def nxt():
        return next(counter)
    return nxt


def leaf_value(leaf: Leaf, n: int):
    key = leaf.key
    if leaf.kind == "const":
        return leaf.schema["const"]
    if leaf.kind == "bool":
        return n % 2 == 0
    if leaf.kind == "int":
        return [0, 3, 7][n % 3] if leaf.schema.get("maximum", 100) >= 7 else 0
    if leaf.kind == "enum":
        options = leaf.schema["enum"]
        return options[n % len(options)]
    if leaf.kind == "date":
        return DATES[n % len(DATES)]
    if key == "version" and leaf.path == ("version",):
        return "1.0"
    if key in ("id", "child_id"):
        if leaf.path[:1] == ("items",):
            return ["G1", "C4", "X1"][n % 3]
        return "C1001"
    if key == "pointer":
        return "/child/first_names"
    if leaf.kind == "short":
        if "name" in key or key in ("chair", "author", "manager", "auditor", "subject", "parent", "with_whom", "decision_maker", "medical_adviser", "responsible", "social_worker"):
            return NAMES[n % len(NAMES)]
        if key == "file":
            return ""
        return f"Short answer {n} for {leaf.title.lower()} (A & B <c>)"
    return TRICKY[n % len(TRICKY)]


def fill(node, n):
    if isinstance(node, Leaf):
        return leaf_value(node, n())
    if isinstance(node, Obj):
        out = {}
        for child in node.children:
            value = fill(child, n)
            if value not in ("", None):
                out[child.key] = value
        return out
    count = 2
    if isinstance(node.item, Leaf) and node.item.kind == "enum":
        options = node.item.schema["enum"]
        return options[:count]
    return [fill(node.item, n) for _ in range(count)]


def main():
    for form in template_forms():
        data = fill(form_layout(form), values())
        (HERE / f"full-{form}.json").write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(form)


if __name__ == "__main__":
    main()
