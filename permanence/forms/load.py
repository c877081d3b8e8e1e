"""Load records from JSON, YAML or Word, refusing bad input with one plain sentence (a
UserError) instead of a traceback. The reader is picked by the file's kind from the
registry in forms/readers/; the JSON and YAML parsing, with its limits, is here."""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import stat
from pathlib import Path

from permanence.findings import UserError
from permanence.forms.record import Record  # noqa: F401 - Record is imported from here too
from permanence.forms.registry import FORMS

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_DEPTH = 64
MAX_KEY_CHARS = 200  # a field name; the schemas' longest is about 40
MAX_TEXT_CHARS = 1_000_000  # one text value; a whole 15,000-word CPR is about 100,000 characters
MAX_NODES = 50_000  # values in one record; the largest example has about 400, a 15,000-word CPR a few thousand
RECORD_SUFFIXES = {".json", ".yaml", ".yml", ".docx"}


def iter_record_paths(paths: list[str | os.PathLike]) -> list[Path]:
    """Files named, and every record file below folders named, in a stable order."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            below: list[Path] = []
            for folder, subfolders, files in os.walk(path):
                # hidden folders (.git, .venv, .Trash) hold no records: not searched at all
                subfolders[:] = [d for d in subfolders if not d.startswith(".")]
                below.extend(Path(folder, f) for f in files
                             if os.path.splitext(f)[1].lower() in RECORD_SUFFIXES and not f.startswith((".", "~$")))
            found.extend(sub for sub in sorted(below) if sub.is_file())
        elif path.exists():
            found.append(path)
        else:
            raise UserError(f"{path}: no such file or folder. Check the path and try again.")
    return found


def _plain(value, depth: int = 0, counter: list | None = None):
    """Dates from YAML become ISO strings; depth and size are bounded."""
    counter = counter if counter is not None else [0, 0]
    counter[0] += 1
    if counter[0] > MAX_NODES:
        raise UserError("the file holds too many values to be a form; is it the right file?")
    if isinstance(value, str):
        if _SURROGATE.search(value):
            raise _NotUnicode()
        if len(value) > MAX_TEXT_CHARS:
            raise UserError(f"one text in the file is {len(value):,} characters long, more than any form field holds "
                            f"({MAX_TEXT_CHARS:,} at most). Is it the right file?")
        # YAML aliases (*name) repeat one text many times: bound the text as expanded,
        # so a small file cannot become gigabytes in a Word document.
        counter[1] += len(value)
        if counter[1] > MAX_FILE_BYTES:
            raise UserError(f"the file's text, with YAML aliases (*name) written out, is more than {MAX_FILE_BYTES // (1024 * 1024)} million "
                            "characters; no form holds that much. Is it the right file?")
    if depth > MAX_DEPTH:
        raise UserError(f"the data is nested more than {MAX_DEPTH} levels deep; no form is shaped like that.")
    if isinstance(value, dict):
        for key in value:
            if isinstance(key, str) and _SURROGATE.search(key):
                raise _NotUnicode()
            if len(str(key)) > MAX_KEY_CHARS:
                raise UserError(f"a field name in the file is {len(str(key)):,} characters long; no form has a name longer "
                                f"than {MAX_KEY_CHARS}. Is it the right file?")
        return {str(k): _plain(v, depth + 1, counter) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v, depth + 1, counter) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    return value


class _NotUnicode(Exception):
    """A lone surrogate (JSON's "\\ud800" escape without its pair): not a character."""


_SURROGATE = re.compile("[\ud800-\udfff]")


class _DuplicateKey(Exception):
    pass


def _no_duplicates(pairs: list) -> dict:
    """object_pairs_hook: an object naming a key twice is refused (json keeps the last
    silently, so a second "form" would quietly win)."""
    found = dict(pairs)
    if len(found) != len(pairs):
        seen: set = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return found


def _duplicate_line(text: str, key: str) -> int | None:
    """The line of the second use of key in the first object that repeats it (parsed again,
    slowly, only when a duplicate was found; None if it cannot be placed)."""
    from json import decoder as json_decoder, scanner as json_scanner

    class _Found(Exception):
        pass

    def parse_object(s_and_end, strict, scan_once, object_hook, object_pairs_hook, memo=None):
        s, start = s_and_end
        pairs, end = json_decoder.JSONObject(s_and_end, strict, scan_once, None, list, memo)
        names = [k for k, _ in pairs]
        if key in names and names.count(key) > 1:
            depth, i, uses = 0, start, 0
            while i < end:
                ch = s[i]
                if ch == '"':
                    word, after = json_decoder.scanstring(s, i + 1, strict)
                    if depth == 0 and word == key and s[after:end].lstrip().startswith(":"):
                        uses += 1
                        if uses == 2:
                            raise _Found(s.count("\n", 0, i) + 1)
                    i = after
                    continue
                depth += ch in "{["
                depth -= ch in "}]"
                i += 1
        return dict(pairs), end

    parser = json.JSONDecoder()
    parser.parse_object = parse_object
    parser.scan_once = json_scanner.py_make_scanner(parser)
    try:
        parser.decode(text)
    except _Found as found:
        return found.args[0]
    except (ValueError, RecursionError):
        return None
    return None


def _check_limits_first(text: str, suffix: str, name: str) -> None:
    """The toolkit's limits, from the text itself, before a parser can apply its own."""
    from permanence.forms.limits import nesting_too_deep

    found = nesting_too_deep(text, suffix, MAX_DEPTH, MAX_NODES)
    if found == "depth":
        raise UserError(f"{name}: the data is nested more than {MAX_DEPTH} levels deep; no form is shaped like that. Is it the right file?")
    if found == "values":
        raise UserError(f"{name}: the file holds too many values to be a form; is it the right file?")


def parse_text(text: str, suffix: str, name: str):
    _check_limits_first(text, suffix, name)
    if suffix == ".json":
        try:
            return json.loads(text, object_pairs_hook=_no_duplicates)
        except _DuplicateKey as exc:
            key = str(exc.args[0])
            line = _duplicate_line(text, key)
            where = f" (the second is at line {line})" if line else ""
            raise UserError(f'{name}: "{key[:60]}" is given twice in the same part of the record{where}; only one can count. '
                            "Keep the right one, delete the other, and try again.") from None
        except json.JSONDecodeError as exc:
            raise UserError(f"{name}: not valid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}. Fix the file and try again.") from None
        except RecursionError:
            raise UserError(f"{name}: the data is nested too deeply to be a form.") from None
        except ValueError:  # an integer of thousands of digits (Python's int_max_str_digits)
            raise UserError(f"{name}: a number in the file is thousands of digits long; no form holds such a number. Fix the file and try again.") from None
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        _check_yaml_depth(yaml, text, loader, name)
        return yaml.load(text, Loader=loader)  # noqa: S506 - a safe loader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        if "nesting depth" in str(exc.problem):  # libyaml's own limit (PyYAML >= 6.0.4): ours is lower
            raise UserError(f"{name}: the data is nested more than {MAX_DEPTH} levels deep; no form is shaped like that. Is it the right file?") from None
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        hint = ""
        if "mapping values are not allowed" in str(exc.problem):  # "reason: Update: new assessment"
            hint = ' Put text that contains a colon in quotes, for example reason: "Update: a new assessment".'
        raise UserError(f"{name}: not valid YAML{where}: {exc.problem}.{hint} Fix the file and try again.") from None
    except (yaml.YAMLError, RecursionError) as exc:
        raise UserError(f"{name}: not valid YAML ({type(exc).__name__}). Fix the file and try again.") from None
    except ValueError as exc:
        if "digits" in str(exc):  # an integer of thousands of digits (Python's int_max_str_digits)
            raise UserError(f"{name}: a number in the file is thousands of digits long; no form holds such a number. Fix the file and try again.") from None
        raise UserError(f"{name}: a value in the file could not be read ({exc}). Fix the file and try again.") from None


def _bad_timestamp(yaml, event) -> str | None:
    """Why a plain YAML scalar that looks like a date or time is not a real one, else None."""
    from yaml.constructor import SafeConstructor

    if event.style or not event.value[:1].isdigit() or not SafeConstructor.timestamp_regexp.match(event.value):
        return None
    try:
        SafeConstructor().construct_yaml_timestamp(yaml.ScalarNode("tag:yaml.org,2002:timestamp", event.value))
    except (ValueError, OverflowError) as exc:
        return str(exc)
    return None


def _check_yaml_depth(yaml, text: str, loader, name: str) -> None:
    """Refuse deep nesting from the event stream (flat, no recursion) before composing:
    libyaml's composer recurses in C and crashes the process on a few thousand levels.
    A key given twice in one mapping is refused too (YAML would keep the last silently)."""
    depth = 0
    frames: list = []  # per open collection: [keys seen, next node is a key, last key] for a mapping, None for a list
    node_events = (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent, yaml.AliasEvent)
    for event in yaml.parse(text, Loader=loader):
        if isinstance(event, yaml.ScalarEvent) and (why := _bad_timestamp(yaml, event)):
            field = next((f[2] for f in reversed(frames) if f is not None and f[2]), None)
            where = f'"{field[:60]}" ' if field else ""
            raise UserError(f'{name}: {where}at line {event.start_mark.line + 1}: "{event.value[:40]}" is not a real date or time ({why}). '
                            "Write dates as YYYY-MM-DD, for example 2026-11-23, and try again.")
        if isinstance(event, node_events) and frames and frames[-1] is not None:
            frame = frames[-1]
            if frame[1] and isinstance(event, yaml.ScalarEvent) and event.value != "<<":
                if event.value in frame[0]:
                    raise UserError(f'{name}: "{event.value[:60]}" is given twice in the same part of the record '
                                    f"(the second is at line {event.start_mark.line + 1}); only one can count. "
                                    "Keep the right one, delete the other, and try again.")
                frame[0].add(event.value)
                frame[2] = event.value
            frame[1] = not frame[1]
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise UserError(f"{name}: the data is nested more than {MAX_DEPTH} levels deep; no form is shaped like that. Is it the right file?")
            frames.append([set(), True, None] if isinstance(event, yaml.MappingStartEvent) else None)
        elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
            frames.pop()


def _utf16(raw: bytes) -> str | None:
    """The encoding of text saved as UTF-16 or UTF-32 (Windows Notepad's "Unicode"), by its
    byte order mark, or by the zero bytes of plain-ASCII UTF-16 without one; else None."""
    if raw.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        return "utf-32"
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    head = raw[:512 if len(raw) % 2 == 0 or len(raw) > 512 else len(raw) - 1]
    if len(head) >= 4 and len(raw) % 2 == 0:  # mostly ASCII: one byte of each pair is zero, the other not
        odd, even = head[1::2].count(0), head[0::2].count(0)
        if odd >= 0.9 * len(head) // 2 and even == 0:
            return "utf-16-le"
        if even >= 0.9 * len(head) // 2 and odd == 0:
            return "utf-16-be"
    return None


def load_record(path: str | os.PathLike, form: str | None = None) -> Record:
    """Read one record file. form, if given, is what the caller expects."""
    path = Path(path)
    name = str(path)
    suffix = path.suffix.lower()
    if suffix in {".docm", ".dotm", ".xlsm"}:
        raise UserError(f"{name}: macro-enabled files are not accepted. Save it as a .docx (Word Document) and try again.")
    from permanence.forms import readers

    kind = readers.kind_of(path)
    if kind is None:
        raise UserError(f"{name}: cannot read a '{suffix or 'no extension'}' file. Records are .json, .yaml or .docx.")
    return readers.read(path, form, kind)


def read_structured(path: Path, form: str | None = None) -> Record:
    """The json and yaml readers: one record file, parsed within the limits above."""
    name = str(path)
    suffix = path.suffix.lower()
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):  # a pipe or a device would block or never end
            raise UserError(f"{name}: is not an ordinary file (a folder, pipe or device). Give the record file itself.")
        size = info.st_size
        if size > MAX_FILE_BYTES:
            raise UserError(f"{name}: the file is {size // (1024 * 1024)} MiB, larger than any form ({MAX_FILE_BYTES // (1024 * 1024)} MiB at most). Is it the right file?")
        with open(path, "rb") as handle:
            # The file's own size (and a byte more, to see it grew meanwhile): asking for the
            # whole limit made Python allocate 20 MiB for every file, several times the
            # work of reading a record. Bounded even if the file grows meanwhile.
            raw = handle.read(size + 1)
            if len(raw) > size:
                raw += handle.read(MAX_FILE_BYTES + 1 - len(raw))
        if len(raw) > MAX_FILE_BYTES:
            raise UserError(f"{name}: the file is larger than any form ({MAX_FILE_BYTES // (1024 * 1024)} MiB at most). Is it the right file?")
    except OSError as exc:
        raise UserError(f"{name}: cannot read the file ({exc.strerror}).") from None
    if not raw.strip():
        raise UserError(f"{name}: the file is empty. Fill in the form, or remove the file.")
    encoding = _utf16(raw)
    if encoding is None and b"\x00" in raw[:8192]:
        raise UserError(f"{name}: this is a binary file, not a JSON or YAML record.")
    try:
        text = raw.decode(encoding or "utf-8-sig")
    except UnicodeDecodeError as exc:
        if encoding:
            raise UserError(f"{name}: the file looks like UTF-16 text (as Notepad saves it) but cannot be read as such. Save it as UTF-8 and try again.") from None
        raise UserError(f"{name}: the file is not UTF-8 text (bad byte at position {exc.start}). Save it as UTF-8 and try again.") from None
    if encoding:
        text = text.lstrip("\ufeff")
    parsed = parse_text(text, suffix, name)
    try:
        data = _plain(parsed)
    except UserError as exc:
        raise UserError(f"{name}: {exc}") from None
    except RecursionError:
        raise UserError(f"{name}: the data is nested too deeply to be a form.") from None
    except _NotUnicode:
        from permanence.forms.limits import find_surrogate

        pointer, code = find_surrogate(parsed, MAX_NODES)
        where = f"the text at {pointer}" if pointer else "a text in the file"
        raise UserError(f"{name}: {where} holds {code}, which is half of a character, not text (a program wrote it "
                        "by mistake, often when text was cut short). Retype that text and try again.") from None
    return record_from_data(data, name, form)


def record_from_data(data, name: str, form: str | None = None) -> Record:
    if not isinstance(data, dict):
        raise UserError(f"{name}: a record must be an object with named fields, not a {type(data).__name__}.")
    found = data.get("form")
    if found is None:
        hint = f' Add "form": "{form}".' if form else ' Add a "form" field, for example "form": "ppm-record".'
        raise UserError(f"{name}: the record does not say which form it is.{hint}")
    if not isinstance(found, str):
        raise UserError(f"{name}: the \"form\" field must be the form's name as text, for example \"form\": \"ppm-record\".")
    if found not in FORMS:
        known = ", ".join(sorted(FORMS))
        raise UserError(f"{name}: unknown form '{found}'. Known forms: {known}.")
    if form and found != form:
        raise UserError(f"{name}: this is a '{found}' record, but a '{form}' record is needed here.")
    return Record(form=found, data=data, path=name)
