"""Render a record to a Word document with its docxtpl template.

The record's values are prepared for the page first (prepare.py: enumerated codes become their
labels, booleans Yes/No, dates "14 March 2026", characters XML forbids are dropped,
line breaks become paragraphs) and then handed to docxtpl with autoescape on, in a
sandboxed Jinja environment: user text is data, never template code.

The output is written to a temporary file in the same folder and renamed into place, so
a failed render never leaves half a document; an existing file is only replaced with
force=True. This module validates nothing (the `render` command does that first).
"""
from __future__ import annotations

import datetime as dt
import logging
import os
import tempfile
import threading
from collections import OrderedDict
from functools import lru_cache
from pathlib import Path

from permanence.findings import UserError
from permanence.forms.load import Record
from permanence.forms.registry import FORMS
from permanence.templates.prepare import (FORBIDDEN, MAX_IMAGE_BYTES, PHOTO_WIDTH_MM, GENOGRAM_WIDTH_MM,
                                          LOGO_HEIGHT_MM, EXCERPT_SHOWN, clean_text, format_date, display, page_text,
                                          _Written, EMPTY_ANSWER, Preparer, excerpt_parts, audit_sources, _inside,
                                          AltTextImage)  # noqa: F401 (re-exported)

log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
CACHE_SIZE = 64


@lru_cache(maxsize=1)
def jinja_env():
    """A sandboxed, autoescaping Jinja environment that compiles each template source
    once. docxtpl calls from_string() on every render; the source (the patched template
    XML) is the same each time, so the compiled template is kept (a pure cache)."""
    from jinja2.sandbox import SandboxedEnvironment

    class CompilingOnce(SandboxedEnvironment):
        def __init__(self):
            super().__init__(autoescape=True)
            self._compiled: OrderedDict = OrderedDict()
            self._lock = threading.Lock()

        def from_string(self, source, globals=None, template_class=None):
            if globals or template_class or not isinstance(source, str):
                return super().from_string(source, globals, template_class)
            with self._lock:
                template = self._compiled.get(source)
                if template is not None:
                    self._compiled.move_to_end(source)
                    return template
            template = super().from_string(source)
            with self._lock:
                self._compiled[source] = template
                while len(self._compiled) > CACHE_SIZE:
                    self._compiled.popitem(last=False)
            return template

    return CompilingOnce()


_PATCHED: OrderedDict = OrderedDict()
_PATCHED_LOCK = threading.Lock()
_PARSED: dict = {}  # template path -> (modified time, size, the parsed python-docx Document)
_PARSED_LOCK = threading.Lock()


def parsed_template(path: Path):
    """A fresh copy of the template's parsed Word package: the file is read and its XML
    parsed once per process (per change of the file), and each document renders into a
    deep copy, which costs about a third of parsing it again."""
    import copy

    from docx import Document

    try:
        info = path.stat()
        stamp = (info.st_mtime_ns, info.st_size)
    except OSError:
        stamp = None
    with _PARSED_LOCK:
        found = _PARSED.get(str(path))
    if found is None or found[0] != stamp or stamp is None:
        document = Document(str(path))
        found = (stamp, document, document.styles.element)
        with _PARSED_LOCK:
            _PARSED[str(path)] = found
    # The style definitions (styles.xml, the largest part: more than half the copying) are
    # read, never changed, by rendering, so every copy shares the one parsed tree.
    _, document, styles = found
    return copy.deepcopy(document, {id(styles): styles})


def form_template(path: Path):
    """A DocxTemplate whose patch_xml (pure regex work on the template's XML) is done
    once per distinct template part and then reused, rendering into a copy of the
    template parsed once (parsed_template)."""
    from docxtpl import DocxTemplate

    class FormTemplate(DocxTemplate):
        def patch_xml(self, src_xml):
            with _PATCHED_LOCK:
                done = _PATCHED.get(src_xml)
            if done is None:
                done = DocxTemplate.patch_xml(self, src_xml)
                with _PATCHED_LOCK:
                    _PATCHED[src_xml] = done
                    while len(_PATCHED) > CACHE_SIZE:
                        _PATCHED.popitem(last=False)
            return done

    tpl = FormTemplate(str(path))
    tpl.docx = parsed_template(path)  # docxtpl renders into this rather than opening the file again
    return tpl


def template_file(form: str) -> Path:
    entry = FORMS.get(form)
    if entry is None or not entry.template_file:
        known = ", ".join(sorted(f for f, e in FORMS.items() if e.template_file))
        what = "has no Word template" if entry else "is not a form this toolkit knows"
        raise UserError(f"'{form}' {what}. Known forms with a Word template: {known}.")
    return HERE / entry.template_file


def document_parts(profile, tpl, draft: bool, blank: bool) -> dict:
    """The template's `doc`: the authority's name and logo (from the profile), and the draft and blank flags."""
    from permanence.forms.profiles import load_profile

    profile = load_profile(profile or "england") if not hasattr(profile, "data") else profile
    logo = ""
    logo_file = profile.data.get("logo")
    if logo_file:
        path = Path(logo_file)
        if not path.is_absolute():
            path = HERE.parent / "forms" / "profiles" / path
        try:
            if not path.is_file() or path.stat().st_size > MAX_IMAGE_BYTES:
                raise FileNotFoundError(path)
            logo = AltTextImage(tpl, str(path), None, f"Logo of {profile.authority}", height_mm=LOGO_HEIGHT_MM)
        except Exception:
            log.warning("the profile's logo could not be used")
            logo = ""
    return {"authority": page_text(profile.authority, False), "logo": logo, "draft": draft, "blank": blank}


def build_context(record: Record, tpl, *, profile=None, draft: bool = False, blank: bool = False) -> dict:
    base = Path(record.path).parent if record.path and record.path != "<memory>" else None
    context = Preparer(record.form, tpl, base, draft, record.path, blank).context(record.data)
    context["doc"] = document_parts(profile, tpl, draft, blank)
    return context


def set_properties(document, record: Record, draft: bool, blank: bool) -> None:
    form = FORMS[record.form]
    data = record.data if isinstance(record.data, dict) else {}
    child = data.get("child") if isinstance(data.get("child"), dict) else {}
    name = child.get("name") or " ".join(str(child.get(k, "")) for k in ("first_names", "surname")).strip()
    if not name and record.form == "cpr-audit" and isinstance(data.get("header"), dict):
        name = data["header"].get("child_name", "")
    if not name and record.form == "gateway-referral" and isinstance(data.get("children"), list):
        name = ", ".join(str(c.get("name", "")) for c in data["children"] if isinstance(c, dict))
    title = form.title if blank or not name else f"{form.title}: {name}"
    if draft:
        title = f"DRAFT {title}"
    props = document.core_properties
    props.title = clean_text(title)[:250]
    props.subject = form.title
    props.category = record.form
    props.version = clean_text(str(data.get("version", "")))[:50]
    props.keywords = "OFFICIAL-SENSITIVE"
    props.content_status = "Draft" if draft else ("Blank form" if blank else "Final")
    props.comments = "Rendered by permanence" + (" (DRAFT: not validated)" if draft else "")
    now = dt.datetime.now(dt.timezone.utc).replace(tzinfo=None, microsecond=0)
    props.modified = now
    props.created = now
    props.last_modified_by = "permanence"
    props.author = "permanence"


def write_atomically(out_path: Path, save, force: bool) -> Path:
    """Write via a temporary file in the same folder, then rename into place."""
    out_path = Path(out_path)
    folder = out_path.parent if str(out_path.parent) else Path(".")
    if out_path.is_dir():
        raise UserError(f"{out_path}: is a folder; give the name of a file to write instead.")
    if out_path.exists() and not force:
        raise UserError(f"{out_path}: the file already exists. Use --force to replace it, or choose another name with -o.")
    if not folder.is_dir():
        raise UserError(f"{out_path}: the folder '{folder}' does not exist. Create it first.")
    _sweep_stale(out_path, folder)
    try:
        handle, tmp = tempfile.mkstemp(prefix=f".{out_path.name}.{os.getpid()}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise UserError(cannot_write(out_path, exc)) from None
    os.close(handle)
    from permanence.writing import quiet_cleanup

    try:
        with quiet_cleanup():
            save(tmp)
        if force:
            os.replace(tmp, out_path)
        else:
            try:
                os.link(tmp, out_path)  # fails if the file appeared meanwhile: never clobber
            except FileExistsError:
                raise UserError(f"{out_path}: the file already exists. Use --force to replace it.") from None
            except OSError:
                os.replace(tmp, out_path)
    except OSError as exc:  # disk full, the folder made read-only meanwhile: nothing is left behind
        raise UserError(cannot_write(out_path, exc)) from None
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return out_path


def _sweep_stale(out_path: Path, folder: Path) -> None:
    """Remove the temporaries an earlier render of this name left when it was killed
    (.NAME.PID.*.tmp whose process has ended): they hold the case's text. Said on stderr."""
    import click

    prefix = f".{out_path.name}."
    try:
        entries = [p for p in folder.iterdir() if p.name.startswith(prefix) and p.name.endswith(".tmp")]
    except OSError:
        return
    for entry in entries:
        pid = entry.name[len(prefix):].split(".", 1)[0]
        if not pid.isdigit() or int(pid) == os.getpid() or _alive(int(pid)) or not entry.is_file() or entry.is_symlink():
            continue
        try:
            entry.unlink()
        except OSError:
            continue
        click.echo(f"permanence: removed {entry}, a temporary file left by an earlier render that was stopped.", err=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True
    return True


def cannot_write(out_path, exc: OSError) -> str:
    """One line for an output that cannot be written (read-only folder, disk full, no permission)."""
    return (f"{out_path}: cannot be written ({exc.strerror or type(exc).__name__}); nothing was written. "
            "Choose a folder you can write to, or free some space, and try again.")


def render_document(record: Record, *, profile=None, draft: bool = False, blank: bool = False):
    """The rendered python-docx Document (not yet saved)."""
    tpl = form_template(template_file(record.form))
    context = build_context(record, tpl, profile=profile, draft=draft, blank=blank)
    tpl.render(context, jinja_env=jinja_env(), autoescape=True)
    set_properties(tpl.docx, record, draft, blank)
    return tpl


def render_record(record: Record, out_path, *, profile=None, draft: bool = False, force: bool = False, blank: bool = False) -> Path:
    """Render one record to out_path (.docx). Returns the path written."""
    out_path = Path(out_path)
    if record.path and record.path != "<memory>":
        try:
            if Path(record.path).resolve() == out_path.resolve():
                raise UserError(f"{out_path}: this is the record itself; choose another output name with -o.")
        except OSError:
            pass
    tpl = render_document(record, profile=profile, draft=draft, blank=blank)
    return write_atomically(out_path, lambda tmp: save_checked(tpl, tmp, out_path), force)


def save_checked(tpl, tmp, out_path) -> None:
    """Save the document into memory, check it against the limits `extract` and `validate`
    read Word files with (whatever render writes, read accepts), then write it with one
    plain write: a disk that fills half-way through a zip written in place left python-docx's
    ZipFile unclosed, and its clean-up printed a traceback before our message."""
    import io

    from permanence.templates.safe_docx import check_own_output

    buffer = io.BytesIO()
    tpl.save(buffer)
    check_own_output(buffer, out_path)
    with open(tmp, "wb") as handle:
        handle.write(buffer.getbuffer())


def removed_characters(data, label=None) -> str | None:
    """What clean_text will leave out of this record's text (characters a Word document
    cannot hold: control characters, lone surrogates), said once per file; else None."""
    found: dict[str, int] = {}
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, str):
            for ch in FORBIDDEN.findall(item):
                found[ch] = found.get(ch, 0) + 1
    if not found:
        return None
    names = ", ".join(f"U+{ord(ch):04X}{' ' + _CONTROL_NAMES[ch] if ch in _CONTROL_NAMES else ''} \u00d7{n}"
                      for ch, n in sorted(found.items())[:6])
    more = ", ..." if len(found) > 6 else ""
    total = sum(found.values())
    return (f"{total} character{'s' if total != 1 else ''} that a Word document cannot hold "
            f"({names}{more}) {'were' if total != 1 else 'was'} left out of the document; the rest of the text is as written.")


_CONTROL_NAMES = {"\x00": "(null)", "\x07": "(bell)", "\x08": "(backspace)", "\x0b": "(vertical tab)",
                  "\x0c": "(form feed)", "\x1b": "(escape)"}
