"""The field reference of each form, for people who write records by hand or with their
own tools: `python -m permanence.forms.reference` writes docs/forms/<form>.md from the
schemas (every field with its label, type, whether it is required, its choices with
their labels, its description) with the form's YAML example (docs/forms/examples/).

The pages are generated, never edited by hand; tests/test_forms_reference.py checks
they are in step with the schemas.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from permanence.forms import schema as schemas
from permanence.forms.registry import FORMS

ROOT = Path(__file__).resolve().parent.parent.parent
DOCS = ROOT / "docs" / "forms"
EXAMPLES = DOCS / "examples"


def _kind(node: dict) -> str:
    """The type of a single field, in words."""
    if "const" in node:
        return f"always `{node['const']}`"
    if "enum" in node:
        return "choice"
    kind = node.get("type")
    if kind == "boolean":
        return "yes/no (`true` or `false`)"
    if kind in ("integer", "number"):
        word = "whole number" if kind == "integer" else "number"
        low, high = node.get("minimum"), node.get("maximum")
        if low is not None and high is not None:
            return f"{word}, {low} to {high}"
        if low is not None:
            return f"{word}, at least {low}"
        return word
    if node.get("format") == "date":
        return "date, YYYY-MM-DD"
    if kind == "string":
        limit = node.get("maxLength")
        if node.get("pattern") and not limit:
            return "text in a set form"
        return f"text, up to {limit:,} characters" if limit else "text"
    return str(kind or "any")


def _is_group(node: dict) -> bool:
    return node.get("type") == "object" or "properties" in node


def _is_list(node: dict) -> bool:
    return node.get("type") == "array" or "items" in node


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


class _Page:
    def __init__(self, form: str):
        self.form = form
        self.rows: list[str] = []
        self.choices: dict[str, tuple[str, dict]] = {}  # first field path -> (label, enum node)

    def walk(self, node: dict, base: str, path: str, required: bool, depth: int = 0) -> None:
        node, base = schemas.resolve(node, base)
        if depth > 20:
            return
        title = node.get("title", path.rsplit(".", 1)[-1])
        about = node.get("description", "")
        need = "yes" if required else "no"
        if _is_list(node):
            item, item_base = schemas.resolve(node.get("items", {}), base)
            bounds = []
            if node.get("minItems"):
                bounds.append(f"at least {node['minItems']}")
            if node.get("maxItems"):
                bounds.append(f"at most {node['maxItems']}")
            extra = f" ({', '.join(bounds)})" if bounds else ""
            if _is_group(item):
                self.rows.append(f"| `{path}` | {_cell(title)} | list of groups{extra}: one entry per {_cell(item.get('title', 'item')).lower()} "
                                 f"| {need} | {_cell(about)} |")
                self.group(item, item_base, path + "[]", depth + 1)
            else:
                kind = _kind(item)
                if "enum" in item:
                    self.note_choice(path + "[]", title, item)
                    kind = f"list of choices (see [{title}](#{self.anchor(path + '[]')}))"
                else:
                    kind = f"list of {kind}"
                self.rows.append(f"| `{path}` | {_cell(title)} | {kind}{extra} | {need} | {_cell(about)} |")
            return
        if _is_group(node):
            self.rows.append(f"| `{path}` | {_cell(title)} | group of fields | {need} | {_cell(about)} |")
            self.group(node, base, path, depth + 1)
            return
        kind = _kind(node)
        if "enum" in node:
            self.note_choice(path, title, node)
            kind = f"choice (see [{_cell(title)}](#{self.anchor(path)}))"
        self.rows.append(f"| `{path}` | {_cell(title)} | {kind} | {need} | {_cell(about)} |")

    def group(self, node: dict, base: str, prefix: str, depth: int) -> None:
        needed = set(node.get("required", ()))
        for name, sub in node.get("properties", {}).items():
            self.walk(sub, base, f"{prefix}.{name}" if prefix else name, name in needed, depth)

    def note_choice(self, path: str, title: str, node: dict) -> None:
        self.choices.setdefault(path, (title, node))

    @staticmethod
    def anchor(path: str) -> str:
        return "choices-" + path.replace("[]", "").replace(".", "-").replace("_", "-").lower()

    def choice_sections(self) -> list[str]:
        out = []
        for path, (title, node) in self.choices.items():
            out.append(f'<a id="{self.anchor(path)}"></a>')
            out.append(f"### {title} (`{path}`)")
            out.append("")
            abbreviations: dict[str, list[str]] = {}
            for short, entry in (node.get("x-enum-abbreviations") or {}).items():
                if isinstance(entry, dict):
                    abbreviations.setdefault(entry.get("code"), []).append(short)
            labels = node.get("x-enum-labels") or node["enum"]
            out.append("| Write | Means | Also read as |")
            out.append("|---|---|---|")
            for code, label in zip(node["enum"], labels):
                also = ", ".join(f"`{s}`" for s in abbreviations.get(code, []))
                out.append(f"| `{code}` | {_cell(label)} | {also} |")
            out.append("")
        return out


def page(form: str) -> str:
    """The Markdown field reference of one form."""
    info = FORMS[form]
    schema = schemas.schema_for(form)
    p = _Page(form)
    p.group(schema, schema["$id"], "", 0)
    example = EXAMPLES / f"{form}.yaml"
    lines = [
        f"# {info.title} (`{form}`)",
        "",
        "<!-- Generated from permanence/schemas/" + info.schema_file + " by `python -m permanence.forms.reference`. "
        "Do not edit: change the schema and run it again. -->",
        "",
        f"How to write a {info.title} by hand, in YAML or JSON, without the Word form. "
        f"Check it with `permanence validate FILE`; "
        + (f"make the Word document with `permanence render FILE`." if info.template_file else "it has no Word form."),
        "",
        "- Start the record with `form: " + form + "` and `version: \"1.0\"`.",
        "- Dates are written year-month-day: `2026-03-14`.",
        "- A choice is written as its code (the first column of its table below); its label "
        "or an everyday abbreviation is also read as the code, and `validate` says which it read that way.",
        "- A field that is not required may be left out. Fields not listed here are refused "
        "(`validate` suggests the nearest field name).",
        "",
        "## Example",
        "",
        f"A small {info.title} that passes `permanence validate` "
        f"([examples/{form}.yaml](examples/{form}.yaml)):",
        "",
        "```yaml",
        example.read_text("utf-8").rstrip() if example.is_file() else f"# no example yet: add docs/forms/examples/{form}.yaml",
        "```",
        "",
        "## Fields",
        "",
        "A name such as `meeting.date` is the field `date` inside the group `meeting`; `attendees[].name` is "
        "the `name` of each entry of the list `attendees`.",
        "",
        "| Field | Label on the form | Type | Required | What to write |",
        "|---|---|---|---|---|",
        *p.rows,
        "",
    ]
    if p.choices:
        lines += ["## Choices", ""] + p.choice_sections()
    return "\n".join(lines).rstrip() + "\n"


def index_page() -> str:
    lines = ["# Forms: field reference", "",
             "<!-- Generated by `python -m permanence.forms.reference`. Do not edit. -->", "",
             "Every form the toolkit checks, with every field, its label, type and choices, and a small YAML example:", ""]
    for name, info in FORMS.items():
        lines.append(f"- [{info.title}]({name}.md) (`form: {name}`)")
    return "\n".join(lines) + "\n"


def pages() -> dict[str, str]:
    """{file name under docs/forms: its text}."""
    found = {f"{name}.md": page(name) for name in FORMS}
    found["README.md"] = index_page()
    return found


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Write docs/forms/<form>.md from the schemas.")
    parser.add_argument("--out", default=str(DOCS), help="folder to write to (default: docs/forms)")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name, text in pages().items():
        (out / name).write_text(text, encoding="utf-8")
        print(out / name)
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
