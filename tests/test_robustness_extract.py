"""`extract` (and so `validate` and `audit` of a .docx) on forms edited to be hostile
inside well-formed XML: a table cell claiming to span a billion columns was a memory
bomb (gigabytes for a 50 KiB file), a span in words an internal error. Word writes
1 to 63. The files are made here from a rendered record."""
from __future__ import annotations

import json
import tracemalloc
import zipfile

import pytest

from permanence.templates.extract import extract_record

PPM = "caseload/C1002-leo-campbell/ppm-2026-11-19.json"
MEMORY_LIMIT = 60 * 1024 * 1024


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    from click.testing import CliRunner

    from permanence.cli import main
    from tests.conftest import EXAMPLES

    out = tmp_path_factory.mktemp("extract") / "ppm.docx"
    result = CliRunner().invoke(main, ["render", "--draft", str(EXAMPLES / PPM), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def _with_document(source, target, edit):
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            zout.writestr(item.filename, edit(data) if item.filename == "word/document.xml" else data)
    return target


def _span_in_header_row(value: bytes):
    def edit(document: bytes) -> bytes:
        header = document.find(b"<w:tblHeader")
        cell = document.find(b"<w:tc>", header)
        assert header > 0 and cell > 0
        return document[:cell] + b'<w:tc><w:tcPr><w:gridSpan w:val="' + value + b'"/></w:tcPr><w:p/></w:tc>' + document[cell:]
    return edit


def _span_in_body_row(value: bytes):
    def edit(document: bytes) -> bytes:
        header = document.find(b"<w:tblHeader")
        row_end = document.find(b"</w:tr>", header)
        cell = document.find(b"<w:tc>", row_end)
        return document[:cell] + b'<w:tc><w:tcPr><w:gridSpan w:val="' + value + b'"/></w:tcPr><w:p/></w:tc>' + document[cell:]
    return edit


@pytest.mark.parametrize("edit", [
    _span_in_header_row(b"999999999"), _span_in_header_row(b"abc"), _span_in_header_row(b"-5"),
    _span_in_body_row(b"abc"), _span_in_body_row(b"9" * 5000),
], ids=["header-billion", "header-words", "header-negative", "body-words", "body-5000-digits"])
def test_a_hostile_column_span_is_read_as_one_column_in_bounded_memory(rendered, tmp_path, examples_dir, edit):
    hostile = _with_document(rendered, tmp_path / "hostile.docx", edit)
    tracemalloc.start()
    try:
        record = extract_record(hostile)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < MEMORY_LIMIT, f"{peak} bytes"
    original = json.loads((examples_dir / PPM).read_text(encoding="utf-8"))
    assert record.data["child"] == original["child"]


def test_the_hostile_span_through_the_commands(cli, rendered, tmp_path):
    hostile = _with_document(rendered, tmp_path / "hostile.docx", _span_in_header_row(b"999999999"))
    for args in (["extract", hostile], ["validate", hostile]):
        result = cli(args)
        assert result.exit_code in (0, 1), (args, result.output)
        assert "internal error" not in result.output
