"""A record may only show pictures kept in its own folder: a record cannot pull another
child's photograph, or any other file, into a Word document."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "caseload" / "C1001-ava-thompson"


def _copy_cpr(tmp_path: Path, photo_file: str) -> Path:
    folder = tmp_path / "child"
    shutil.copytree(EXAMPLE, folder)
    cpr = folder / "cpr.json"
    data = json.loads(cpr.read_text("utf-8"))
    data["photographs"][0]["file"] = photo_file
    cpr.write_text(json.dumps(data), "utf-8")
    return cpr


def _document_text(path: Path) -> str:
    import zipfile

    with zipfile.ZipFile(path) as z:
        return z.read("word/document.xml").decode("utf-8")


def test_a_picture_in_a_subfolder_renders(cli, tmp_path):
    cpr = _copy_cpr(tmp_path, "photos/ava-2026-05.png")
    result = cli(["render", cpr, "-o", tmp_path / "out.docx"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out.docx").is_file()


def test_a_picture_outside_the_record_folder_is_refused(cli, tmp_path):
    other = tmp_path / "another-child"
    other.mkdir()
    shutil.copy(EXAMPLE / "photos" / "ava-2026-05.png", other / "photo.png")
    # the record sits in tmp_path/<n>/child/, so ../../another-child escapes its folder
    for n, escape in enumerate(("../../another-child/photo.png", str(other / "photo.png"))):
        folder = tmp_path / str(n)
        folder.mkdir()
        cpr = _copy_cpr(folder, escape)
        out = folder / "out.docx"
        assert (cpr.parent / escape).resolve() == (other / "photo.png").resolve()
        result = cli(["render", cpr, "-o", out])
        # validate (which render runs first) already finds it: refused as an error, exit 1
        assert result.exit_code == 1, result.output
        assert "outside the record's folder" in result.output
        draft = folder / "draft.docx"
        drafted = cli(["render", cpr, "-o", draft, "--draft"])  # and the picture is still never shown
        assert drafted.exit_code == 0 and "outside the record's folder" in _document_text(draft)
        assert not out.exists()
        assert "Traceback" not in result.output
