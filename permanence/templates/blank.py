"""Blank forms: the form's template rendered with no record, so every field is an empty
content control showing its description, and every list has one empty entry to fill."""
from __future__ import annotations

from pathlib import Path

from permanence.forms.load import Record
from permanence.forms.registry import FORMS
from permanence.templates.render import render_record, template_file

CURRENT_VERSION = "1.0"  # the form version a new blank form is written for


def blank_record(form: str) -> Record:
    template_file(form)  # refuses a form without a template, naming the ones that have one
    return Record(form=form, data={"form": form, "version": CURRENT_VERSION}, path="<blank>")


def write_blank(form: str, out_path=None, *, force: bool = False, profile=None) -> Path:
    out = Path(out_path) if out_path else Path(f"{form}-blank.docx")
    return render_record(blank_record(form), out, profile=profile, force=force, blank=True)


def known_forms() -> list[str]:
    return sorted(name for name, f in FORMS.items() if f.template_file)
