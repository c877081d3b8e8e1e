"""Reader for Word documents made from our forms (content controls tagged with JSON
pointers). The reading itself is the template layer's (templates/extract.py knows the
layout the form was built with); this module only tells such documents apart and hands
them over, so forms/ never imports templates/ at import time."""
from __future__ import annotations

from pathlib import Path

from permanence.forms.registry import FORMS
from permanence.templates.safe_docx import W_NS, SafeDocx

W = "{%s}" % W_NS


def is_our_form(path: str | Path) -> bool:
    """True if the document carries our Form field (tag "/form") or a form name as its
    category (a form whose tags a program dropped). A file that cannot be opened safely is
    left to the reader, which gives the refusal."""
    from permanence.findings import UserError

    try:
        with SafeDocx(path) as package:
            body = package.document()
            for tag in body.iter(W + "tag"):
                value = tag.get(W + "val") or ""
                if value == "/form" or value.startswith("/form"):
                    return True
            category = package.core_category()
    except UserError:
        return True  # the form reader refuses it in its own words
    return bool(category) and category in FORMS and bool(FORMS[category].template_file)


def read(path: Path, form: str | None = None):
    from permanence.findings import UserError
    from permanence.templates.extract import extract_record  # the layout lives with the templates

    record = extract_record(path)
    if form and record.form != form:
        raise UserError(f"{path}: this is a '{record.form}' record, but a '{form}' record is needed here.")
    return record
