"""render.py's template cache: each form's template parsed once per process and copied
for each document, with the same documents as parsing it afresh, and the shared style
definitions never changed by a render."""
from __future__ import annotations

import zipfile

from permanence.forms.load import load_record
from permanence.templates import render as R
from templates_support import record_files


def _parts(path):
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}  # (core.xml holds the time)


def test_a_cached_template_renders_the_same_document_as_a_fresh_one(tmp_path):
    records = [load_record(p) for p in record_files()]
    assert records
    for i, record in enumerate(records):
        R._PARSED.clear()
        fresh = R.render_record(record, tmp_path / f"fresh-{i}.docx", draft=True)
        cached = R.render_record(record, tmp_path / f"cached-{i}.docx", draft=True)
        again = R.render_record(record, tmp_path / f"again-{i}.docx", draft=True)
        assert _parts(fresh) == _parts(cached) == _parts(again), record.path


def test_rendering_never_changes_the_shared_style_definitions(tmp_path):
    from docx import Document
    from docx.opc.oxml import serialize_part_xml

    records = [load_record(p) for p in record_files()]
    R._PARSED.clear()
    for i, record in enumerate(records):
        R.render_record(record, tmp_path / f"{i}.docx", draft=True)
    assert len(R._PARSED) == len({r.form for r in records})
    for path, (_, document, styles) in R._PARSED.items():
        assert document.styles.element is styles
        assert serialize_part_xml(styles) == serialize_part_xml(Document(path).styles.element)
