"""The audit's view of a CPR: its narrative fields, the people it names, and the one
place where a character span becomes a reference (section, field label, pointer, excerpt)."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import lru_cache

from permanence.checks import Evidence

DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
LETTER = "A-Za-zÀ-ÖØ-öø-ÿĀ-ž"  # Latin letters with their accents: Siobhán, Bríd, Zoë, Łukasz
WORD_RE = re.compile(rf"[{LETTER}][{LETTER}'’\-]*[{LETTER}]|[{LETTER}]")
SENTENCE_END_RE = re.compile(r"[.!?](?:['\"”’)\]]*)\s+|\n+")
NA_RE = re.compile(r"^\s*(n/?a|not applicable|-+|tbc|to follow)\s*[.!]?\s*$", re.I)
NA_START_RE = re.compile(r"^\s*(n/?a|not applicable)\b", re.I)

# Keys whose values are not narrative (enumerations, flags, ids, file names, dates).
_NOT_NARRATIVE = {"form", "version", "id", "sex", "legal_status", "placement_type", "purpose", "relationship",
                  "outcome", "option", "kind", "recommendation", "file", "date"}


def pointer(parts) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def get(data, *path, default=None):
    """The value at a path, or default when any step is missing or the wrong type."""
    node = data
    for part in path:
        if isinstance(part, int):
            if not isinstance(node, list) or part >= len(node):
                return default
        elif not isinstance(node, dict) or part not in node:
            return default
        node = node[part]
    return node


def as_list(value) -> list:
    return value if isinstance(value, list) else []


def as_dict(value) -> dict:
    return value if isinstance(value, dict) else {}


def answered(value) -> bool:
    """Text that says something (not blank, not a bare N/A)."""
    return isinstance(value, str) and bool(value.strip()) and not NA_RE.match(value)


def bare_na(value) -> bool:
    """'N/A' with no reason after it."""
    if not isinstance(value, str):
        return False
    if NA_RE.match(value):
        return True
    m = NA_START_RE.match(value)
    return bool(m) and len(WORD_RE.findall(value[m.end():])) < 3


def worst(*answers: str) -> str:
    """The most serious of some answers (No over Partial over Review over Yes over N/A)."""
    order = ["not_applicable", "yes", "review", "partial", "no"]
    return max(answers, key=order.index) if answers else "yes"


def plural(n: int, singular: str, plural: str | None = None) -> str:
    """'1 time', '3 times', '2 entries': a number with its noun, as a person writes it."""
    return f"{n} {singular if n == 1 else plural or singular + 's'}"


def sentence_case(text: str) -> str:
    """The first letter a capital, the rest as written (names keep their capitals)."""
    return text[:1].upper() + text[1:]


_WEAK_LINE_RE = re.compile(r"^\s*(?:[A-Z][\w ,'\u2019/()-]{0,60}:\s*)?(?:not known|unknown|to be confirmed|tbc|to follow|none|nil|n/?a|"
                           r"not applicable|not recorded|not available|awaited|pending|-+)"
                           r"(?:\s+(?:at (?:this|the moment|present)|at this (?:time|stage)|yet|currently|for now))?\s*[.!]?\s*$", re.I)
# Fields where "None" is a whole answer (no religion, no other children, no special needs).
NONE_IS_AN_ANSWER = {"religion", "other_children", "special_educational_needs", "relationship_status", "first_language",
                     "known_as", "medication", "allergies"}


def weak_answer(value, key: str = "") -> bool:
    """'Not known.', 'To be confirmed', 'None', a bare 'N/A' (each line, 'Identity: Not known.'
    too): words standing for an answer without saying anything, or why."""
    if not isinstance(value, str) or not value.strip():
        return False
    lines = [line for line in value.splitlines() if line.strip()]
    if key in NONE_IS_AN_ANSWER and all(re.match(r"^\s*(?:none|nil|no)\b", line, re.I) for line in lines):
        return False
    return all(_WEAK_LINE_RE.match(line) for line in lines)


def called(person: dict, fallback: str = "a birth parent") -> str:
    """How a finding names a person: their name, else their relationship ("the father")."""
    name = person.get("name") if isinstance(person, dict) else None
    if isinstance(name, str) and name.strip():
        return name.strip()
    relation = person.get("relationship") if isinstance(person, dict) else None
    return f"the {relation}" if isinstance(relation, str) and relation.strip() else fallback


def name_words(person: dict) -> list[str]:
    """The words a report may call a person by: first name and surname ('Kirsty', 'Ms Marsh')."""
    name = str(person.get("name") or "").split() if isinstance(person, dict) else []
    return [w for w in dict.fromkeys(name[:1] + name[-1:]) if len(w) > 1]


def parent_identified(parent: dict) -> bool:
    """A birth parent the report can name: not marked unidentified, not 'not known', not nameless."""
    name = parent.get("name") if isinstance(parent, dict) else None
    if not isinstance(parent, dict) or parent.get("identified") is False:
        return False
    if isinstance(name, str) and name.strip():
        return not re.search(r"\b(?:not known|unknown|not identified)\b", name, re.I)
    # No name read: a parent the report tells of at length, and does not call unknown, is known.
    told = " ".join(v for _, v in iter_strings(parent) if not weak_answer(v))
    if parent.get("relationship") == "mother":
        return len(told.split()) >= 30  # a mother told of at length is known, whatever else is not known
    return len(told.split()) >= 30 and not re.search(r"\b(?:not (?:been )?identified|not known|unknown|has not named|not named)\b", told, re.I)


def parse_date(value) -> dt.date | None:
    if isinstance(value, str) and DATE_RE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def uk(value) -> str:
    """A date as people in England write it, dd/mm/yyyy (the JSON record keeps ISO dates)."""
    when = value if isinstance(value, dt.date) else parse_date(value)
    return when.strftime("%d/%m/%Y") if when else str(value)


def age_on(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


@dataclass
class TextField:
    path: tuple
    text: str


@dataclass
class Person:
    name: str
    role: str  # child, mother, father, sibling, relative, professional, viability
    path: tuple
    date_of_birth: dt.date | None = None


def iter_strings(node, path=()):
    if isinstance(node, dict):
        for key, value in node.items():
            yield from iter_strings(value, path + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from iter_strings(value, path + (i,))
    elif isinstance(node, str):
        yield path, node


def sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around a span (by full stops and line breaks)."""
    left = 0
    for m in SENTENCE_END_RE.finditer(text, 0, start):
        left = m.end()
    m = SENTENCE_END_RE.search(text, end)
    right = m.start() + 1 if m else len(text)
    return left, min(right, len(text))


def in_quotes(text: str, index: int) -> bool:
    """Whether a place in the text lies inside quotation marks on its line: a person's own
    words, quoted, are theirs and not the author's wording."""
    left = text.rfind("\n", 0, index) + 1
    before = text[left:index]
    if before.count('"') % 2 == 1:
        return True
    return before.rfind("\u201c") > before.rfind("\u201d")


def is_sentence_start(text: str, index: int) -> bool:
    """Whether text[index] begins a sentence: after a full stop and the like, or at the start
    of a line (a table cell, list item or paragraph read into the same field)."""
    gap = re.search(r"[\s'\"“‘(]*$", text[:index])  # any space, a no-break space too ('2021.\u00a0Mother')
    before = text[:gap.start()]
    return not before or "\n" in gap.group(0) or before[-1] in ".!?:\n;•-*"


@lru_cache(maxsize=4096)
def _label(parts: tuple) -> str:
    from permanence.forms.schema import label_for

    try:
        return label_for("cpr", list(parts))
    except Exception:  # noqa: BLE001 - a label is a nicety; never fail the audit for it
        return " ".join(str(p).replace("_", " ") for p in parts)


def _normalise(parts: tuple) -> tuple:
    return tuple(0 if isinstance(p, int) else p for p in parts)


UNPLACED = "Text not matched to a section"  # a Word CPR's paragraphs under headings the reader did not know


def label(parts: tuple) -> str:
    """The field's own label from the schema, with item numbers ('Siblings, item 2: Name')."""
    if parts[:1] == ("unplaced",):
        return UNPLACED + (f", item {parts[1] + 1}" if len(parts) > 1 and isinstance(parts[1], int) else "")
    # labels are cached by shape; item numbers are put back afterwards
    base = _label(_normalise(parts))
    for p in (p for p in parts if isinstance(p, int)):  # a list's entries are items, a table's are rows
        base = re.sub(r", (item|row) 1(?!\d)", lambda m, p=p: f", {m.group(1)}# {p + 1}", base, count=1)
    return base.replace("item# ", "item ").replace("row# ", "row ")


def section(parts: tuple) -> str:
    if parts[:1] == ("unplaced",):
        return UNPLACED
    return _label(parts[:1]) if parts else "Report"


_GENERIC_KEY_WORDS = {"date", "of", "the", "by", "and", "is", "has"}


def _first_text(node, path: tuple):
    """(path, start, end) of the first sentence of the first narrative text in a part of the record."""
    for sub, text in iter_strings(node, path):
        key = next((p for p in reversed(sub) if isinstance(p, str)), "")
        if key in _NOT_NARRATIVE or key.endswith("_date") or DATE_RE.match(text) or not text.strip():
            continue
        start = len(text) - len(text.lstrip())
        _, end = sentence_bounds(text, start, start)
        return sub, start, min(end, start + 160)
    return None


def stand_in(data: dict, parts: tuple):
    """For a finding about something absent (a tick-box not ticked, a field or a whole part the
    report leaves out): the place an adviser would point at instead, as (path, start, end).
    Inside a part the report holds, its first sentence; for a field it lacks, a field beside
    it on the same subject ('support_referral_date' -> 'support_offered'), else the name of
    the person or part it belongs to (the manager's name in the signature block). None when
    nothing near it is written (a whole section missing: the finding has no place)."""
    value = get(data, *parts)
    if isinstance(value, str):
        return None
    if isinstance(value, (dict, list)) and (found := _first_text(value, parts)):
        return found
    parent = get(data, *parts[:-1]) if len(parts) >= 2 else None
    if not isinstance(parent, dict):
        return None
    words = set(str(parts[-1]).split("_")) - _GENERIC_KEY_WORDS
    related = [k for k in parent if k != parts[-1] and words & set(str(k).split("_"))]
    for key in related + [k for k in ("name", "role") if k in parent]:
        if found := _first_text(parent[key], parts[:-1] + (key,)):
            return found
    return None


def reference(ctx: "AuditContext", ev: Evidence) -> dict:
    """The one place a span becomes a reference: section, field label, pointer, excerpt, span.
    Evidence of an absence (no text at its path) is given the words of stand_in(): inside a
    part the report holds, its place; for a field it lacks, its own pointer (where the reader
    saw the empty row, if it did) with the words beside it."""
    parts = tuple(ev.path)
    value = get(ctx.data, *parts)
    if ev.excerpt is None and not isinstance(value, str) and (near := stand_in(ctx.data, parts)):
        if isinstance(value, (dict, list)):  # a place inside the part: point at it
            parts, ev = near[0], Evidence(near[0], near[1], near[2])
            value = get(ctx.data, *parts)
        else:  # a field the report lacks: its own pointer, with the words beside it
            ev = Evidence(parts, excerpt=get(ctx.data, *near[0])[near[1]:near[2]])
    out = {"section": section(parts), "field": label(parts), "pointer": pointer(parts)}
    if ev.excerpt is not None:
        out["excerpt"] = ev.excerpt
    elif isinstance(value, str) and ev.start is not None and ev.end is not None:
        out["excerpt"] = value[ev.start:ev.end]
    elif isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) and parse_date(value):
        when = parse_date(value)  # a date as the report writes it ('4 October 2024'), not as the record keeps it
        out["excerpt"] = f"{when.day} {when:%B %Y}"
    elif isinstance(value, str):
        out["excerpt"] = value if len(value) <= 160 else value[:157] + "..."
    if ev.start is not None and ev.end is not None:
        out["start"], out["end"] = ev.start, ev.end
    return out


@dataclass
class AuditContext:
    data: dict
    as_of: dt.date
    wordlists: "object" = None  # permanence.checks.wordlists.WordLists
    proofreader: "object" = None  # permanence.checks.proofreading engine, or None for language checks only
    results: dict = field(default_factory=dict)  # id -> Result, filled as checks run
    # For a report read from its own Word template: the pointers of the fields its headings held
    # (a question its template does not ask is not 'unanswered'); None for our own forms.
    asked: set | None = None
    _fields: list | None = None
    _people: list | None = None

    # ---- narrative -------------------------------------------------------------------
    @property
    def fields(self) -> list[TextField]:
        """Every narrative text field (not dates, enumerations, ids or file names)."""
        if self._fields is None:
            out = []
            for path, text in iter_strings(self.data):
                key = next((p for p in reversed(path) if isinstance(p, str)), "")
                if key in _NOT_NARRATIVE or key.endswith("_date") or DATE_RE.match(text) or not text.strip():
                    continue
                if path and path[0] == "genogram" or path[:1] == ("photographs",) and key == "subject":
                    continue
                out.append(TextField(path, text))
            self._fields = out
        return self._fields

    def evidence(self, path, start=None, end=None, excerpt=None) -> Evidence:
        return Evidence(tuple(path), start, end, excerpt)

    def finditer(self, pattern: re.Pattern):
        """(field, match) for every match of a pattern in every narrative field."""
        for f in self.fields:
            for m in pattern.finditer(f.text):
                yield f, m

    # ---- dates -----------------------------------------------------------------------
    @property
    def report_date(self) -> dt.date | None:
        return parse_date(get(self.data, "report", "report_date"))

    @property
    def child_dob(self) -> dt.date | None:
        return parse_date(get(self.data, "child", "date_of_birth"))

    def child_age(self) -> int | None:
        dob, on = self.child_dob, self.report_date or self.as_of
        return age_on(dob, on) if dob and on >= dob else None

    # ---- people ----------------------------------------------------------------------
    @property
    def people(self) -> list[Person]:
        """Everyone the report names in a name field."""
        if self._people is None:
            d, out = self.data, []
            child = as_dict(d.get("child"))
            full = " ".join(x for x in (child.get("first_names"), child.get("surname")) if isinstance(x, str))
            if full:
                out.append(Person(full, "child", ("child", "first_names"), parse_date(child.get("date_of_birth"))))
            if isinstance(child.get("known_as"), str):
                out.append(Person(child["known_as"], "child", ("child", "known_as"), parse_date(child.get("date_of_birth"))))
            for i, p in enumerate(as_list(d.get("birth_parents"))):
                p = as_dict(p)
                if isinstance(p.get("name"), str) and p.get("identified", True) is not False and "not known" not in p["name"].lower():
                    out.append(Person(p["name"], p.get("relationship") or "parent", ("birth_parents", i, "name"), parse_date(p.get("date_of_birth"))))
            for i, s in enumerate(as_list(d.get("siblings"))):
                s = as_dict(s)
                if isinstance(s.get("name"), str):
                    out.append(Person(s["name"], "sibling", ("siblings", i, "name"), parse_date(s.get("date_of_birth"))))
            for i, r in enumerate(as_list(d.get("other_relatives"))):
                r = as_dict(r)
                if isinstance(r.get("name"), str):
                    out.append(Person(r["name"], "relative", ("other_relatives", i, "name")))
            for i, v in enumerate(as_list(get(d, "assessments", "viability"))):
                v = as_dict(v)
                if isinstance(v.get("name"), str):
                    out.append(Person(v["name"], "relative", ("assessments", "viability", i, "name")))
            for key in ("author", "supervisor", "manager"):
                name = get(d, key, "name")
                if isinstance(name, str) and not bare_na(name):
                    out.append(Person(name, "professional", (key, "name")))
            name = get(d, "health", "medical_adviser")
            if isinstance(name, str):
                out.append(Person(name, "professional", ("health", "medical_adviser")))
            for i, v in enumerate(as_list(get(d, "report", "version_history"))):
                if isinstance(get(v, "author"), str):
                    out.append(Person(v["author"], "professional", ("report", "version_history", i, "author")))
            for i, e in enumerate(as_list(get(d, "assessments", "expert"))):
                if isinstance(get(e, "author"), str):
                    out.append(Person(e["author"].split(",")[0], "professional", ("assessments", "expert", i, "author")))
            self._people = out
        return self._people

    def name_tokens(self) -> set[str]:
        """Every word of every name in a name field (Dr, Mr and the like left out)."""
        tokens = set()
        for person in self.people:
            for w in WORD_RE.findall(person.name):
                if len(w) > 1 and w.lower() not in {"dr", "mr", "mrs", "ms", "miss", "not", "known"}:
                    tokens.add(w)
        return tokens

    def family_surnames(self) -> set[str]:
        out = set()
        for person in self.people:
            words = WORD_RE.findall(person.name)
            if len(words) >= 2:
                out.add(words[-1])
        return out
