"""Readers turn an input file into a Record; one registry, by file kind.

load_record (forms/load.py) asks kind_of(path) which reader a file needs and calls it.
A reader knows nothing of rules, checks or templates. Readers are named here as data
(module and function), imported only when a file of their kind is read, so no reader
module is loaded for files that do not need it and nothing here imports a higher layer.

| kind      | files                                 | reader                                      |
|-----------|---------------------------------------|---------------------------------------------|
| json      | .json                                 | forms/load.py (parsing with its limits)     |
| yaml      | .yaml .yml                            | forms/load.py                               |
| form_docx | .docx made from our forms (controls)  | forms/readers/form_docx.py                  |
| cpr_docx  | any other .docx: a CPR in any template| forms/readers/cpr_docx.py                   |
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class ReaderSpec:
    kind: str
    suffixes: tuple[str, ...]
    module: str
    function: str
    description: str


READERS: dict[str, ReaderSpec] = {}


def register(spec: ReaderSpec) -> None:
    """Add a reader; a kind can be registered once only (ids are unique)."""
    if spec.kind in READERS:
        raise ValueError(f"reader kind {spec.kind!r} is registered twice")
    READERS[spec.kind] = spec


for _spec in (
    ReaderSpec("json", (".json",), "permanence.forms.load", "read_structured", "a record as JSON"),
    ReaderSpec("yaml", (".yaml", ".yml"), "permanence.forms.load", "read_structured", "a record as YAML"),
    ReaderSpec("form_docx", (".docx",), "permanence.forms.readers.form_docx", "read", "a Word document made from one of our forms"),
    ReaderSpec("cpr_docx", (".docx",), "permanence.forms.readers.cpr_docx", "read", "a Child's Permanence Report in any Word template"),
):
    register(_spec)


def kind_of(path: str | Path) -> str | None:
    """The reader kind for a file, or None if no reader takes its suffix. A .docx is ours
    (form_docx) when it carries our Form field or form category, otherwise any CPR (cpr_docx)."""
    suffix = Path(path).suffix.lower()
    kinds = [s.kind for s in READERS.values() if suffix in s.suffixes]
    if len(kinds) > 1 and suffix == ".docx":
        from permanence.forms.readers.form_docx import is_our_form

        return "form_docx" if is_our_form(path) else "cpr_docx"
    return kinds[0] if kinds else None


def reader(kind: str):
    spec = READERS[kind]
    return getattr(importlib.import_module(spec.module), spec.function)


def read(path: str | Path, form: str | None = None, kind: str | None = None):
    """The Record in a file, read by the reader of its kind."""
    kind = kind or kind_of(path)
    if kind is None:
        raise KeyError(Path(path).suffix)
    record = reader(kind)(Path(path), form)
    record.reader = kind
    return record
