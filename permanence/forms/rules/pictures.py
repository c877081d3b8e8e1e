"""Pictures a record names: the photographs and genogram of a Child's Permanence Report
are files kept with the record, and `render` needs them. Found here, a missing file is a
finding in `validate`, not a surprise when the document is made."""
from __future__ import annotations

from pathlib import Path

from permanence.forms.rules import Issue, rule
from permanence.forms.rules._fields import at, given, items


def _problem(folder: Path, name: str) -> str | None:
    """Why the picture cannot be shown (None if it can be found)."""
    path = Path(name)
    path = path if path.is_absolute() else folder / path
    try:
        path.resolve().relative_to(folder.resolve())
    except (ValueError, OSError):
        return "is outside the record's folder. Keep photographs in the record's folder or a folder inside it, and give the name from there"
    try:
        if not path.is_file():
            return "is not in the record's folder. Put the picture beside the record, or correct the file name"
    except OSError:
        return "cannot be read. Check the file name"
    return None


@rule("cpr-picture-files", severity="error", forms=["cpr"],
      source="seed 003 App. 8 (photographs of the child in the report, with their dates); render shows the pictures kept with the record",
      summary="Every photograph and the genogram the CPR names is a file in the record's folder")
def cpr_picture_files(data, ctx):
    folder = ctx.record_dir
    if folder is None:
        return  # a record not read from a file (or a Word form, which holds its pictures)
    for i, photo in enumerate(items(data, "photographs")):
        name = photo.get("file") if isinstance(photo, dict) else None
        if given(name):
            problem = _problem(folder, name.strip())
            if problem:
                yield Issue(["photographs", i, "file"], f"The image file '{name.strip()}' {problem}.")
    name = at(data, "genogram", "file")
    if given(name):
        problem = _problem(folder, name.strip())
        if problem:
            yield Issue(["genogram", "file"], f"The genogram's image file '{name.strip()}' {problem}.")
