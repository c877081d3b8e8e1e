"""Turning a record's data into a template's context (Preparer): each value as the page
shows it (dates written out, codes as their labels, control characters left out), pictures
checked to be the record's own, and what the audit form shows beyond its fields (which
lists an item has, a long excerpt's shown head and hidden tail, the appendix of sources)."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from markupsafe import Markup, escape

from permanence.findings import UserError
from permanence.templates.layout import Arr, Leaf, Obj, block_paths, form_layout, pattern_pointer


FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
MAX_IMAGE_BYTES = 20 * 1024 * 1024
PHOTO_WIDTH_MM = 70
GENOGRAM_WIDTH_MM = 160
LOGO_HEIGHT_MM = 15
# An audit's evidence excerpt is shown up to about this many characters, cut at a word and
# ended with an ellipsis; the rest is hidden text in the same control, so `extract` and a
# re-audit read it whole (and the JSON audit always has it whole).
EXCERPT_SHOWN = 90


def clean_text(value) -> str:
    """Text as it may appear in a Word document: no characters XML forbids, and every
    line break written as a plain newline."""
    text = value if isinstance(value, str) else str(value)
    text = FORBIDDEN.sub("", text)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def format_date(value) -> str:
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            day = dt.date.fromisoformat(value)
        except ValueError:
            return value
        return f"{day.day} {day:%B} {day.year:04d}"  # year 1 as 0001, so extract reads it back as a date
    return "" if value is None else str(value)


def display(leaf: Leaf, value) -> str:
    """How a value reads on the page (extract.py reads it back)."""
    if value is None:
        return ""
    kind = leaf.kind
    if kind == "bool":
        if isinstance(value, bool):
            return "Yes" if value else "No"
        return str(value)
    if kind == "enum":
        labels = leaf.schema.get("x-enum-labels")
        options = leaf.schema.get("enum", [])
        if labels and value in options:
            return labels[options.index(value)]
        return str(value)
    if kind == "date":
        return format_date(value)
    if isinstance(value, (dict, list)):
        return ""  # the wrong shape: left empty (only a --draft render gets here)
    return str(value)


def page_text(text: str, block: bool) -> str:
    """Escaped for XML; braces written as character references so no later step of
    docxtpl can mistake them for its own markers; a newline becomes a new paragraph in a
    block control (docxtpl's \\a) and a line break elsewhere."""
    text = clean_text(text)
    if block:
        text = text.replace("\n", "\a")
    if "{" not in text and "}" not in text:
        return text  # Jinja's autoescape escapes it
    return Markup(str(escape(text)).replace("{", "&#123;").replace("}", "&#125;"))


class _Written(Markup):
    """An empty answer that was written as empty (""), not left out: the control shows
    "Not recorded" like any empty field, in the Empty Answer style (not the placeholder),
    and reads back as "" (extract.Reader.field)."""

    def __bool__(self) -> bool:
        return True


# Closes the control's (empty) text run and adds a grey "Not recorded" run of its own.
EMPTY_ANSWER = _Written('</w:t></w:r><w:r><w:rPr><w:rStyle w:val="EmptyAnswer"/><w:color w:val="666666"/></w:rPr>'
                        '<w:t xml:space="preserve">Not recorded')


class Preparer:
    """Turns a record's data into the template's context."""

    def __init__(self, form: str, tpl, base_dir: Path | None, draft: bool, name: str, blank: bool = False):
        self.form = form
        self.blank = blank
        self.tpl = tpl
        self.base_dir = base_dir
        self.draft = draft
        self.name = name
        self.blocks = block_paths(form)

    def context(self, data: dict) -> dict:
        root = form_layout(self.form)
        prepared = self.obj(root, data if isinstance(data, dict) else {}, ())
        prepared["form"] = page_text(self.form, False)
        return prepared

    def value(self, node, value, pointer: tuple):
        if isinstance(node, Leaf):
            if value == "":
                return EMPTY_ANSWER
            return page_text(display(node, value), node.path in self.blocks)
        if isinstance(node, Obj):
            return self.obj(node, value if isinstance(value, dict) else {}, pointer)
        return self.arr(node, value, pointer)

    def obj(self, node: Obj, data: dict, pointer: tuple) -> dict:
        out = {}
        for child in node.children:
            out[child.key] = self.value(child, data.get(child.key), pointer + (child.key,))
        extra = self.extras(node, data, pointer)
        if extra:
            out.update(extra)
        return out

    def arr(self, node: Arr, value, pointer: tuple) -> list:
        if not isinstance(value, list):
            if node.style == "inline" and not self.blank:
                return []  # a line of text in a table cell: nothing shown when absent
            # absent: one empty entry, ready to be filled in Word
            value, blank = [None], True
        else:
            blank = False
        items = []
        for i, entry in enumerate(value):
            at = pattern_pointer(pointer + (i,))
            if isinstance(node.item, Leaf):
                items.append({"value": self.value(node.item, entry, pointer + (i,)), "at": at})
            else:
                prepared = self.obj(node.item, entry if isinstance(entry, dict) else {}, pointer + (i,))
                prepared["at"] = at
                items.append(prepared)
        return items if items or not blank else []

    # pictures --------------------------------------------------------------
    def extras(self, node: Obj, data: dict, pointer: tuple) -> dict | None:
        if self.form == "cpr-audit":
            return self.audit_extras(node, data)
        if self.form != "cpr":
            return None
        if node.path == ("photographs", "*"):
            who = clean_text(data.get("subject") or "the child")
            when = format_date(data.get("date")) if data.get("date") else "date not recorded"
            alt = clean_text(data.get("description") or f"Photograph of {who}, taken {when}")
            label = f"photograph {pointer[-1] + 1} ({who})"
            return {"picture": self.picture(data.get("file"), alt, PHOTO_WIDTH_MM, label)}
        if node.path == ("genogram",):
            return {"picture": self.picture(data.get("file"), "Genogram: the child's family tree", GENOGRAM_WIDTH_MM, "the genogram")}
        return None

    @staticmethod
    def audit_extras(node: Obj, data: dict) -> dict | None:
        """What the audit form shows (build.Builder.audit_table): a list's heading (such
        as "Actions required:") only for an item that has that list (`present` names
        them); the report section of a piece of evidence only when its field's label does
        not already begin with it (else it is hidden text)."""
        if node.path == ():
            common, entries = audit_sources(data.get("items"))
            return {"sources_common": common, "sources_appendix": entries}
        if node.path == ("items", "*"):
            return {"present": sorted(key for key, value in data.items() if isinstance(value, list))}
        if node.path == ("items", "*", "evidence", "*"):
            section, label = data.get("section"), data.get("field")
            named = isinstance(section, str) and isinstance(label, str) and label.casefold().startswith(section.casefold())
            head, tail = excerpt_parts(data.get("excerpt"))
            return {"section_shown": section is not None and section != "" and not named,
                    "excerpt_head": head, "excerpt_tail": tail}
        return None

    def picture(self, file, alt: str, width_mm: int, label: str):
        if not file or not isinstance(file, str):
            return ""
        path = Path(file)
        if not path.is_absolute() and self.base_dir is not None:
            path = self.base_dir / path
        problem = None
        if self.base_dir is not None and not _inside(path, self.base_dir):
            # A record may only show pictures kept with it, so a record (or a hostile
            # one) cannot pull another child's photograph or any other file into a document.
            problem = (f"the image file '{file}' for {label} is outside the record's folder; keep photographs "
                       "in the record's folder or a subfolder of it")
        elif not path.is_file():
            problem = f"the image file '{file}' for {label} was not found next to the record"
        elif path.stat().st_size > MAX_IMAGE_BYTES:
            problem = f"the image file '{file}' for {label} is larger than {MAX_IMAGE_BYTES // (1024 * 1024)} MiB"
        if problem is None:
            try:
                return AltTextImage(self.tpl, str(path), width_mm, alt)
            except Exception:  # python-docx cannot read it as a picture
                problem = f"the file '{file}' for {label} is not a picture Word can show (use JPEG or PNG)"
        if self.draft:
            return page_text(f"[Picture missing: {problem}.]", False)
        raise UserError(f"{self.name}: {problem}. Add the file or correct the path, or render with --draft to show a placeholder.")


def excerpt_parts(excerpt) -> tuple[str, str]:
    """A long excerpt as (what the page shows, the rest): cut at the last space before
    EXCERPT_SHOWN characters (so no word is split), the rest kept as hidden text."""
    if not isinstance(excerpt, str):
        return "", ""
    text = clean_text(excerpt)
    if len(text) <= EXCERPT_SHOWN + 10:  # a few characters more are not worth an ellipsis
        return page_text(text, False), ""
    cut = text.rfind(" ", 0, EXCERPT_SHOWN)
    cut = cut if cut > EXCERPT_SHOWN // 2 else EXCERPT_SHOWN
    head = text[:cut].rstrip(" ,;:")
    return page_text(head, False), page_text(text[len(head):], False)


def audit_sources(items) -> tuple[str, list[dict]]:
    """The audit's appendix of sources: a sentence naming the procedure most items apply,
    then one entry per source, naming the items that apply it ("G1, G3"), in checklist
    order, with that procedure's title left out of the entries (it is said once, above).
    The entries come in groups, one per area of the checklist, each a paragraph."""
    import re

    from permanence.citations import cite

    grouped: dict[str, list[str]] = {}
    for entry in items if isinstance(items, list) else []:
        if isinstance(entry, dict) and isinstance(entry.get("source"), str) and entry["source"].strip():
            grouped.setdefault(cite(entry["source"]).strip(), []).append(str(entry.get("id") or ""))
    # The document named most often, by the form "<Authority>, <Title> (<year...>)" cite() writes.
    titles: dict[str, int] = {}
    for source in grouped:
        for m in re.finditer(r"\b[A-Z][A-Za-z -]+, [A-Z][^;()]+ \([^()]*\d{4}[^()]*\)", source):
            titles[m.group(0)] = titles.get(m.group(0), 0) + 1
    common = max(titles, key=titles.get) if titles else ""
    groups: list[dict] = []  # one paragraph per area of the checklist (G, C, H...): a compact list
    for source, ids in grouped.items():
        shown = source.replace(common + " ", "").replace(common, "") if common and titles[common] > 1 else source
        ids = [i for i in ids if i]
        area = ids[0][:1] if ids else ""
        if not groups or groups[-1]["area"] != area:
            groups.append({"area": area, "entries": []})
        groups[-1]["entries"].append({"items": page_text(", ".join(ids), False), "source": page_text(shown.strip(" ;,"), False)})
    intro = f"Where a source below names no document, it is a part of {common}." if common and titles[common] > 1 else ""
    return page_text(intro, False), groups


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(folder.resolve())
        return True
    except (ValueError, OSError):
        return False


def AltTextImage(tpl, path: str, width_mm: int | None, alt: str, height_mm: int | None = None):
    """An InlineImage whose drawing carries alternative text (wp:docPr/@descr)."""
    from docx.image.image import Image
    from docx.shared import Mm
    from docxtpl import InlineImage

    Image.from_file(path)  # fails early if it is not a picture

    class _Image(InlineImage):
        def _insert_image(self):
            xml = super()._insert_image()
            safe = str(escape(clean_text(alt))).replace("{", "&#123;").replace("}", "&#125;")
            return xml.replace("<wp:docPr ", f'<wp:docPr descr="{safe}" ', 1)

    return _Image(tpl, path, width=Mm(width_mm) if width_mm else None, height=Mm(height_mm) if height_mm else None)
