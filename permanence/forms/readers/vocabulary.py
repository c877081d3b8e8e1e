"""The heading vocabulary (forms/vocabularies/cpr_headings.yaml, extended by the
authority's folders) and matching a heading's words against it."""
from __future__ import annotations

import difflib
import os
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path

from permanence.findings import UserError

FILE = "cpr_headings.yaml"
STOP = {"the", "a", "an", "of", "and", "or", "for", "to", "my", "your", "our", "his", "her", "their", "this", "these",
        "is", "are", "in", "on", "at", "with", "by", "from", "s", "any", "all", "its", "including", "about"}
WORD_GROUPS = "word_groups.yaml"  # words a heading may use for one another, each read as its group's first word
NUMBERING = [
    re.compile(r"^(?:section|part|appendix|annex|schedule)\s+[a-z0-9]{1,3}\b[.:)]?\s*", re.IGNORECASE),
    re.compile(r"^(?:part|section)\s+[a-z0-9]{1,3}\b[.:)]?\s*", re.IGNORECASE),
    re.compile(r"^[a-z]?\d{1,2}(?:\.\d{1,2}){0,3}[a-z]?[.):]?\s+", re.IGNORECASE),
    re.compile(r"^\(?[a-z]\)\s+|^[a-z]\.\s+", re.IGNORECASE),
    re.compile(r"^\(?(?:i|ii|iii|iv|v|vi|vii|viii|ix|x)\)\s+", re.IGNORECASE),
    re.compile(r"^[\-–—•·*]\s*"),
]
NUMBER_DEPTH = re.compile(r"^(?:section\s+)?([a-z]?)(\d{1,2}(?:\.\d{1,2}){0,3})\b", re.IGNORECASE)


def strip_numbering(text: str) -> str:
    out = text.strip()
    for _ in range(4):
        before = out
        for pattern in NUMBERING:
            out = pattern.sub("", out, count=1).strip()
        out = out.lstrip(":.-–— ").strip()
        if out == before:
            break
    return out


def numbering_depth(text: str) -> int | None:
    """2 for "B3" or "3.", 3 for "B3.1", 4 for "B3.1.2"; None for an unnumbered heading."""
    match = NUMBER_DEPTH.match(text.strip())
    if not match or not re.match(r"^(?:section\s+)?[a-z]?\d{1,2}(?:\.\d{1,2}){0,3}[.):]?\s+\S", text.strip(), re.IGNORECASE):
        return None
    return 2 + match.group(2).count(".")


def _plural(word: str) -> str:
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


@lru_cache(maxsize=1)
def same_words() -> dict[str, str]:
    """word -> the word it is read as, from the shipped word groups (forms/vocabularies/word_groups.yaml)."""
    import yaml

    raw = yaml.safe_load(resources.files("permanence.forms").joinpath("vocabularies", WORD_GROUPS).read_text("utf-8"))
    out: dict[str, str] = {}
    for group in raw.get("groups") or []:
        head, *others = [str(w).lower() for w in group]
        for w in others:
            out[w] = head
            out.setdefault(_plural(w), head)
    return out


def _fold(word: str) -> str:
    same = same_words()
    word = _plural(same.get(word, word))
    return same.get(word, word)


def words(text: str) -> tuple[str, ...]:
    """The words that carry a heading's meaning, numbering and small words taken away."""
    text = strip_numbering(text).lower().replace("’", "'")
    text = re.sub(r"'s\b", "", text)
    tokens = [t for t in re.findall(r"[a-z0-9]+", text) if not t.isdigit()]  # "the audit of 3 March 2025": not its date's numbers
    folded = [_fold(t) for t in tokens if t not in STOP and _fold(t) not in STOP]
    return tuple(dict.fromkeys(folded))  # once each: "brothers and sisters" is one word, sibling


@lru_cache(maxsize=1 << 16)
def _same_word(a: str, b: str) -> bool:
    if a == b:
        return True
    if len(a) < 6 or len(b) < 6:
        return False
    if a.startswith(b[:6]):
        return True
    # ratio() is at most 2 * shorter / (both lengths): words of very different lengths
    # cannot reach 0.86, so difflib need not be asked (the same answer, far sooner).
    if 2 * min(len(a), len(b)) < 0.86 * (len(a) + len(b)) or a[0] != b[0]:
        return False  # a misspelling keeps its first letter ('reduction' is not 'education')
    return difflib.SequenceMatcher(None, a, b).ratio() >= 0.86


@lru_cache(maxsize=1 << 16)
def score(heading: tuple[str, ...], wording: tuple[str, ...]) -> float:
    """How well a heading's words fit a wording's, from 0 to 1."""
    if not heading or not wording:
        return 0.0
    if heading == wording:
        return 1.0
    hit_w = sum(1 for w in wording if any(_same_word(w, h) for h in heading))
    hit_h = sum(1 for h in heading if any(_same_word(h, w) for w in wording))
    if hit_w == 0:
        return 0.0
    dice = (hit_w + hit_h) / (len(wording) + len(heading))
    if hit_w == len(wording) and hit_h == len(heading):
        return 0.97
    if hit_w == len(wording):  # the heading holds every word of the wording, and more
        return max(dice, 0.62 + 0.3 * len(wording) / len(heading))
    if hit_h == len(heading) and len(heading) >= 2:  # a short heading inside a longer wording
        return max(dice, 0.55 + 0.3 * len(heading) / len(wording))
    return dice * 0.9


@dataclass
class Part:
    id: str
    kind: str
    target: str
    within: str | None
    counts: bool
    headings: list[str]
    keys: list[tuple[str, ...]] = field(default_factory=list)


@dataclass
class Vocabulary:
    parts: dict[str, Part]
    fields: dict[str, dict[str, list[tuple[str, ...]]]]  # context -> field -> label words
    frames: tuple = ((), ())  # (start patterns, end patterns): a question's wording around the part's name
    spread: dict = field(default_factory=dict)  # word -> how many parts have it in a wording

    def tie_rank(self, heading: tuple[str, ...], key: tuple[str, ...]) -> tuple:
        """Between wordings that fit a heading equally: the one whose words come first in the
        heading, where its subject stands ("Photographs of Leo, his parents and his brother"
        are photographs), then the one with the more telling words."""
        at = min((i for i, h in enumerate(heading) if any(_same_word(h, w) for w in key)), default=len(heading))
        return (at, -round(self.rarity(key), 6))

    def rarity(self, key: tuple[str, ...]) -> float:
        """How telling a wording's words are: 1 for words of one part only, less for words
        many parts share ("contact", "family")."""
        return sum(1 / self.spread.get(w, 1) for w in key) / len(key) if key else 0.0

    def unframe(self, text: str) -> str:
        """A heading with its question or instruction taken away ("What can you tell us about
        the child's health?" -> "the child's health"); numbering in front is kept."""
        stripped = strip_numbering(text)
        lead = text.strip()[: len(text.strip()) - len(stripped)] if text.strip().endswith(stripped) else ""
        out = stripped
        for _ in range(2):
            before = out
            for pattern in self.frames[1]:
                out = pattern.sub("", out).strip()
            for pattern in self.frames[0]:
                m = pattern.match(out)
                if m and m.end() < len(out):
                    out = out[m.end():].strip()
            if out == before:
                break
        return (lead + out) if out else text.strip()

    def compound(self, text: str) -> int:
        """How many pieces of a heading joined by commas and 'and' each name a part closely
        ("Author, signatures and proofreading": 3)."""
        head = re.split(r"\s*[:(–—]\s*", strip_numbering(text), maxsplit=1)[0]
        pieces = [words(p) for p in re.split(r"\s*(?:,|&|\band\b|/)\s*", head) if p.strip()]
        return sum(1 for key in pieces if key and any(score(key, k) >= 0.95 for part in self.parts.values() for k in part.keys))

    def sections(self, within: str | None = None) -> list[Part]:
        return [p for p in self.parts.values() if p.within == within]

    def counted(self) -> list[Part]:
        """The parts a CPR has (the "30 sections"): top level, not groups, one per target."""
        seen, out = set(), []
        for p in self.parts.values():
            if p.within is None and p.counts and p.kind != "group" and p.target not in seen:
                seen.add(p.target)
                out.append(p)
        return out

    def match(self, text: str, within: str | None = None, floor: float = 0.6) -> tuple[Part | None, float]:
        """The part a heading names, and how sure: the best wording's score, if at least floor.
        A heading "Birth mother: Kerry Pennock" is also tried without what follows its colon."""
        best, best_score = None, 0.0
        candidates = {words(text)}
        heads = set()
        forms = {text, self.unframe(text)}
        forms |= {side for form in list(forms) if " / " in form for side in form.split(" / ") if side.strip()}  # "Part B / Rhan B"
        for form in forms:
            candidates.add(words(form))
            head = re.split(r"\s*[:(–—]\s*|\s+-\s+", strip_numbering(form), maxsplit=1)[0]
            if head and head != strip_numbering(form):
                heads.add(words(head))
        heads -= candidates
        candidates |= heads
        candidates.discard(())
        # what precedes a colon or dash is tried alone ("Birth mother: Kerry Pennock"), but the whole
        # heading wins where it names a part nearly as well ("Family time – plan for reduction")
        best_key: tuple = ()
        best_cand: tuple = ()
        best_eff = 0.0
        for part in self.sections(within):
            for key in part.keys:
                for cand in candidates:
                    s = score(cand, key)
                    eff = s * 0.88 if cand in heads else s
                    if eff == best_eff and best is not None and best.kind == "group" and part.kind != "group":
                        best, best_score, best_key, best_cand = part, s, key, cand
                    elif eff > best_eff or (eff == best_eff and best is not None and part.kind != "group"
                                            and self.tie_rank(cand, key) < self.tie_rank(best_cand, best_key)):
                        best, best_score, best_eff, best_key, best_cand = part, s, eff, key, cand
        return (best, best_score) if best_score >= floor else (None, best_score)

    def best(self, texts, within: str | None = None, floor: float = 0.6) -> tuple[Part | None, float]:
        """The best of match() over several readings of one heading (as written, and with names read as roles)."""
        return max((self.match(t, within=within, floor=floor) for t in texts), key=lambda m: m[1] if m[0] is not None else -1)

    def also(self, text: str, within: str | None, best: Part | None) -> list[Part]:
        """The other parts a compound heading names ("Childhood and being parented", "School and
        work", "Work with you, and your wishes and feelings"): each part or pair of neighbouring
        parts between "and", "&" and commas that is itself a close match."""
        head = re.split(r"\s*[:(–—]\s*", strip_numbering(text), maxsplit=1)[0]
        pieces = [p for p in re.split(r"\s*(?:,|&|\band\b|/)\s*", head) if p.strip()]
        if len(pieces) < 2:
            return []
        candidates = pieces + [f"{a} and {b}" for a, b in zip(pieces, pieces[1:])]
        found: list[Part] = []
        for piece in candidates:
            key = words(piece)
            if not key:
                continue
            for part in self.sections(within):
                if part is best or part in found or part.kind != "text" or (best is not None and part.target == best.target):
                    continue
                if any(score(key, k) >= 0.97 for k in part.keys):
                    found.append(part)
        return found

    def field(self, label: str, contexts: tuple[str, ...], floor: float = 0.8) -> tuple[str | None, str | None]:
        """(context, field) a table label or lead-in names, or (None, None)."""
        return self.field_scored(label, contexts, floor)[:2]

    def field_scored(self, label: str, contexts: tuple[str, ...], floor: float = 0.8) -> tuple[str | None, str | None, float]:
        if " / " in label:  # a bilingual label ("Date of report / Dyddiad yr adroddiad"): either wording names it
            return max((self.field_scored(side, contexts, floor) for side in label.split(" / ") if side.strip()),
                       key=lambda r: r[2], default=(None, None, 0.0))
        key = words(label)
        best, best_score = (None, None), 0.0
        for context in contexts:
            for name, wordings in self.fields.get(context, {}).items():
                for wording in wordings:
                    s = score(key, wording)
                    if s > best_score:
                        best, best_score = (context, name), s
        return (*best, best_score) if best_score >= floor else (None, None, best_score)


def _extra_folders() -> list[Path]:
    """Folders named in configuration ([reader] vocabularies) and PERMANENCE_VOCABULARIES."""
    from permanence.config import load_config

    folders: list[Path] = []
    cfg = load_config()
    if cfg.path:
        try:
            data = tomllib.loads(Path(cfg.path).read_text("utf-8"))
        except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
            data = {}
        extra = data.get("reader", {}).get("vocabularies", []) if isinstance(data.get("reader"), dict) else []
        if isinstance(extra, str):
            extra = [extra]
        if not isinstance(extra, list):
            raise UserError(f"{cfg.path}: [reader] vocabularies must be a list of folders, for example vocabularies = [\"/srv/permanence/vocabularies\"].")
        folders += [Path(cfg.path).parent / p for p in extra if isinstance(p, str)]
    env = os.environ.get("PERMANENCE_VOCABULARIES")
    if env:
        folders += [Path(p) for p in env.split(os.pathsep) if p]
    return folders


def _merge(raw: dict, parts: dict, fields: dict, name: str) -> None:
    if not isinstance(raw, dict):
        raise UserError(f"{name}: a heading vocabulary is a mapping with 'sections' and 'fields'; see the shipped cpr_headings.yaml.")
    for entry in raw.get("sections") or []:
        if not isinstance(entry, dict) or not isinstance(entry.get("id"), str):
            raise UserError(f"{name}: each entry under 'sections' needs an 'id' (and 'headings'); see the shipped cpr_headings.yaml.")
        headings = [h for h in entry.get("headings") or [] if isinstance(h, str)]
        if entry["id"] in parts:
            parts[entry["id"]].headings.extend(headings)
            continue
        if not isinstance(entry.get("kind"), str) or not isinstance(entry.get("target", "."), str):
            raise UserError(f"{name}: the new part '{entry['id']}' needs a 'kind' and a 'target'; see the shipped cpr_headings.yaml.")
        parts[entry["id"]] = Part(entry["id"], entry["kind"], entry.get("target", "."), entry.get("within"),
                                  entry.get("counts", True) is not False, headings)
    for context, names in (raw.get("fields") or {}).items():
        if not isinstance(names, dict):
            raise UserError(f"{name}: 'fields: {context}' must map each field to a list of labels.")
        for fname, labels in names.items():
            fields.setdefault(context, {}).setdefault(fname, []).extend(words(x) for x in labels or [] if isinstance(x, str))


def _frames(raw, name: str) -> tuple:
    """(start patterns, end patterns) of question_frames, compiled; a pattern that is not a
    regular expression is refused in one line."""
    if not isinstance(raw, dict):
        raise UserError(f"{name}: 'question_frames' must have 'start' and 'end' lists of patterns.")
    out = []
    for end in ("start", "end"):
        compiled = []
        for pattern in raw.get(end) or []:
            try:
                compiled.append(re.compile(pattern if end == "end" else f"^(?:{pattern})", re.IGNORECASE))
            except (re.error, TypeError):
                raise UserError(f"{name}: the question frame {str(pattern)[:60]!r} is not a regular expression; correct or remove it.") from None
        out.append(tuple(compiled))
    return tuple(out)


@lru_cache(maxsize=8)
def _load(folders: tuple[str, ...]) -> Vocabulary:
    import yaml

    parts: dict[str, Part] = {}
    fields: dict = {}
    shipped = resources.files("permanence.forms").joinpath("vocabularies", FILE)
    raw = yaml.safe_load(shipped.read_text("utf-8"))
    _merge(raw, parts, fields, FILE)
    frames = _frames(raw.get("question_frames") or {}, FILE)
    for folder in folders:
        path = Path(folder) / FILE
        if path.is_file():
            try:
                raw = yaml.safe_load(path.read_text("utf-8"))
            except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
                raise UserError(f"{path}: cannot read the heading vocabulary ({type(exc).__name__}). Save it as UTF-8 YAML like the shipped one.") from None
            _merge(raw, parts, fields, str(path))
            extra = _frames((raw or {}).get("question_frames") or {}, str(path)) if isinstance(raw, dict) else ((), ())
            frames = (frames[0] + extra[0], frames[1] + extra[1])
    spread: dict[str, int] = {}
    for part in parts.values():
        part.keys = sorted({words(h) for h in part.headings} - {()})
        for w in {w for key in part.keys for w in key}:
            spread[w] = spread.get(w, 0) + 1
    return Vocabulary(parts, fields, frames, spread)


def load_vocabulary(folders: list[Path] | None = None) -> Vocabulary:
    """The shipped vocabulary, extended by the authority's folders (configuration when None)."""
    chosen = _extra_folders() if folders is None else folders
    return _load(tuple(str(f) for f in chosen))
