"""The Record every reader returns: a form's data, and where each value stood in the input."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Record:
    """A form's data as plain dicts and lists, and where it came from.

    origin maps a JSON pointer to where its value stood: for our Word forms the content
    control's tag; for any other Word CPR the places, space-separated, in reading order
    ("p45" is the body's block 45, a paragraph; "t22r3c1" is row 3, cell 1 of the table
    that is block 22). unplaced holds the text a reader found but could not put in the
    form ({"text", "where", "under"}): it is still there to be language-checked.
    """

    form: str
    data: dict
    path: str = "<memory>"
    origin: dict[str, str] = field(default_factory=dict)
    unplaced: list[dict] = field(default_factory=list)
    reader: str = ""  # the kind of reader that read it (json, yaml, form_docx, cpr_docx)
