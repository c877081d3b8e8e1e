"""docs/forms: the field reference generated from the schemas stays in step with them, and
each form's small YAML example passes validation (people copy it to start a record)."""
from __future__ import annotations

import datetime as dt

import pytest

from permanence.forms import schema as schemas
from permanence.forms.load import load_record
from permanence.forms.reference import DOCS, EXAMPLES, pages
from permanence.forms.registry import FORMS
from permanence.forms.validate import make_context, validate_record

ROOT = DOCS.parent.parent


def test_the_field_reference_matches_the_schemas():
    """Regenerate and compare: a schema change without `python -m permanence.forms.reference` fails here."""
    for name, text in pages().items():
        path = DOCS / name
        assert path.is_file(), f"{path} is missing: run python -m permanence.forms.reference"
        assert path.read_text("utf-8") == text, f"{path} is out of date: run python -m permanence.forms.reference"


@pytest.mark.parametrize("form", list(FORMS))
def test_every_field_and_choice_is_in_the_reference(form):
    text = (DOCS / f"{form}.md").read_text("utf-8")
    schema = schemas.schema_for(form)
    seen = 0

    def walk(node, base, path, depth=0):
        nonlocal seen
        node, base = schemas.resolve(node, base)
        if depth > 20 or not isinstance(node, dict):
            return
        for name, sub in node.get("properties", {}).items():
            full = f"{path}.{name}" if path else name
            resolved, _ = schemas.resolve(sub, base)
            assert f"| `{full}` | {resolved.get('title', name)} |" in text, full
            seen += 1
            for code, label in zip(resolved.get("enum", []), resolved.get("x-enum-labels", [])):
                assert f"| `{code}` | {label} |" in text, (full, code)
            walk(sub, base, full, depth + 1)
        if "items" in node:
            walk(node["items"], base, path + "[]", depth + 1)

    walk(schema, schema["$id"], "")
    assert seen >= 5
    assert "seed " not in text  # procedures by their own names, not our file names


@pytest.mark.parametrize("form", list(FORMS))
def test_the_yaml_example_of_each_form_validates(form):
    path = EXAMPLES / f"{form}.yaml"
    record = load_record(path)
    assert record.form == form
    ctx = make_context("england", dt.date(2026, 11, 23))
    errors = [f"{f.label}: {f.message}" for f in validate_record(record, ctx) if f.severity.value == "error"]
    assert errors == []
    assert f"```yaml\n{path.read_text('utf-8').rstrip()}\n```" in (DOCS / f"{form}.md").read_text("utf-8")


def test_the_readme_links_the_reference():
    readme = (ROOT / "README.md").read_text("utf-8")
    assert "docs/forms/README.md" in readme
    for form in FORMS:
        assert f"({form}.md)" in (DOCS / "README.md").read_text("utf-8")
