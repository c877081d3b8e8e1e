"""Hostile .docx input is refused with one clear sentence, quickly and in bounded memory:
nothing is expanded, resolved or run. The files are made here, never committed."""
from __future__ import annotations

import io
import tracemalloc
import zipfile

import pytest

from permanence.findings import UserError
from permanence.templates.blank import write_blank
from permanence.templates.extract import extract_record

MEMORY_LIMIT = 30 * 1024 * 1024  # bytes Python may allocate while refusing a file

CONTENT_TYPES = (b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                 b'<Default Extension="xml" ContentType="application/xml"/>'
                 b'<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')


def refuse(path) -> str:
    tracemalloc.start()
    try:
        with pytest.raises(UserError) as info:
            extract_record(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    message = str(info.value)
    assert message.startswith(f"{path}: ")
    assert "\n" not in message
    assert peak < MEMORY_LIMIT, f"{peak} bytes used"
    return message


def test_zip_bomb(tmp_path):
    """A document part that inflates 1000 times over (60 MiB from about 60 KiB)."""
    path = tmp_path / "bomb.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        with z.open("word/document.xml", "w", force_zip64=True) as part:
            part.write(b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>')
            block = b" " * (1024 * 1024)
            for _ in range(60):
                part.write(block)
            part.write(b"</w:body></w:document>")
    assert path.stat().st_size < 1024 * 1024
    assert "zip bomb" in refuse(path)


def test_zip_bomb_lying_about_its_size(tmp_path):
    """The directory claims a small part; reading stops at the claim all the same."""
    path = tmp_path / "liar.docx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("word/document.xml", b"<w:document>" + b" " * (30 * 1024 * 1024) + b"</w:document>")
    data = bytearray(path.read_bytes())
    # rewrite the declared uncompressed size (local header and central directory) to 1000 bytes
    real = (30 * 1024 * 1024 + len(b"<w:document></w:document>")).to_bytes(4, "little")
    assert data.count(real) == 2
    data = data.replace(real, (1000).to_bytes(4, "little"))
    path.write_bytes(bytes(data))
    message = refuse(path)
    assert "damaged" in message or "declared size" in message


def test_entity_expansion(tmp_path):
    """Billion laughs: a DOCTYPE declaring nested entities."""
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol" + (str(i - 1) if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    document = (f'<?xml version="1.0"?><!DOCTYPE w:document [{entities}]>'
                '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
                '<w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>')
    path = tmp_path / "laughs.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("word/document.xml", document)
    assert "DOCTYPE" in refuse(path)


def test_external_entity(tmp_path):
    document = ('<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
                '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
                '<w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>')
    path = tmp_path / "xxe.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("word/document.xml", document)
    message = refuse(path)
    assert "root:" not in message


def test_macro_document_renamed(tmp_path):
    """A .docm (macro-enabled) renamed .docx: refused, nothing is run."""
    blank = write_blank("ppm-record", tmp_path / "blank.docx")
    path = tmp_path / "macro.docx"
    with zipfile.ZipFile(blank) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(b"wordprocessingml.document.main+xml", b"ms-word.document.macroEnabled.main+xml")
            dst.writestr(info, data)
        dst.writestr("word/vbaProject.bin", b"\xd0\xcf\x11\xe0" + b"\x00" * 512)
    assert "macro" in refuse(path)


def test_truncated_file(tmp_path):
    blank = write_blank("cpr", tmp_path / "blank.docx")
    path = tmp_path / "cut.docx"
    data = blank.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    assert "damaged or incomplete" in refuse(path)


def test_not_a_zip(tmp_path):
    path = tmp_path / "notes.docx"
    path.write_text("These are my notes, not a Word document.", encoding="utf-8")
    assert "not a Word document" in refuse(path)


def test_old_word_or_encrypted(tmp_path):
    path = tmp_path / "old.docx"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024)
    assert "97-2003" in refuse(path)


def test_zip_that_is_not_a_form(tmp_path):
    path = tmp_path / "other.docx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("readme.txt", "hello")
    path.write_bytes(buffer.getvalue())
    assert "not a Word document" in refuse(path)


def test_word_document_that_is_not_a_form(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("Minutes of a meeting.")
    path = tmp_path / "plain.docx"
    document.save(path)
    assert "not a permanence form" in refuse(path)


def test_validate_and_audit_refuse_through_the_loader(tmp_path, cli):
    path = tmp_path / "cut.docx"
    path.write_bytes(write_blank("ppm-record", tmp_path / "b.docx").read_bytes()[:3000])
    result = cli(["validate", path])
    assert result.exit_code == 2
    assert "damaged or incomplete" in result.output
    assert "Traceback" not in result.output
