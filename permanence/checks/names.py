"""Names (G7): spelled the same everywhere, relations capitalised consistently; and the
name helpers other checks use (first_name, names_match)."""
from __future__ import annotations

import re

from permanence.checks import Result, check
from permanence.checks.text import WORD_RE, as_list, get, in_quotes, is_sentence_start, plural

SRC = "seed 003 App. 8 audit form, General"


def first_name(name: str) -> str:
    words = [w for w in WORD_RE.findall(name or "") if w.lower() not in {"dr", "mr", "mrs", "ms", "miss"}]
    return words[0].lower() if words else ""


_KNOWN_AS_RE = re.compile(r"\s*[(\"“‘']([^()\"“”‘’']{2,30})[)\"”’']\s*")


def names_match(a: str, b: str) -> bool:
    """The same person: the first names agree, and the surnames too where both give one. A name
    the person is known by, in brackets or quotes ('Tobenna (Tobi) Okafor'), is theirs too."""
    for x, y in ((a, b), (b, a)):
        known = _KNOWN_AS_RE.search(x) if isinstance(x, str) else None
        if known:
            rest = (x[:known.start()] + " " + x[known.end():]).strip()
            surname = WORD_RE.findall(rest)[-1:] if len(WORD_RE.findall(rest)) >= 2 else []
            return names_match(rest, y) or names_match(" ".join([known.group(1), *surname]), y)
    # a name of the wrong type in a malformed record (true, a number, a list) matches nobody
    wa = WORD_RE.findall(a) if isinstance(a, str) else []
    wb = WORD_RE.findall(b) if isinstance(b, str) else []
    if not wa or not wb or wa[0].lower() != wb[0].lower():
        return False
    if len(wa) >= 2 and len(wb) >= 2:
        return wa[-1].lower() == wb[-1].lower()
    return True


# ---------------------------------------------------------------------------------- G7
def _levenshtein(a: str, b: str, limit: int = 2) -> int:
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        if min(cur) > limit:
            return limit + 1
        prev = cur
    return prev[-1]


def near_miss(word: str, canon: str) -> bool:
    """'Jaden' for 'Jayden', 'Kirstie' for 'Kirsty', 'Thomson' for 'Thompson'."""
    if word == canon or word[0].lower() != canon[0].lower() or min(len(word), len(canon)) < 4:
        return False
    if word.lower() == canon.lower():
        return False
    limit = 1 if min(len(word), len(canon)) <= 5 else 2
    return _levenshtein(word.lower(), canon.lower(), limit) <= limit


_CAP_RE = re.compile(r"\b[A-ZÀ-ÖØ-ÞĀ-Ž][a-zß-öø-ÿĀ-ž]+(?:-[A-ZÀ-ÖØ-ÞĀ-Ž][a-zß-öø-ÿĀ-ž]+)?\b")


def _common_words(words: set[str]) -> set[str]:
    """Of capitalised words, those whose lower-case form is an ordinary word (hunspell)."""
    import shutil
    import subprocess

    binary = shutil.which("hunspell")
    if not binary or not words:
        return set()
    asked = sorted({w.lower() for w in words})
    try:
        proc = subprocess.run([binary, "-d", "en_GB", "-i", "UTF-8", "-l"], input="\n".join(asked).encode("utf-8"),
                              capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return set()
    unknown = set(proc.stdout.decode("utf-8", "replace").split())
    return {w for w in words if w.lower() not in unknown}


# The words a child calls family by, written with a capital as names ("Mum", "Nan").
FAMILIAR = {"mum", "mam", "mummy", "dad", "daddy", "nan", "nana", "nanny", "gran", "granny", "grandma", "grandad", "grandpa"}


def relation_capitals(ctx):
    """Relations written both as 'Mother' and 'mother' (mid-sentence)."""
    pattern = ctx.wordlists.pattern("relations") if ctx.wordlists else None
    if pattern is None:
        return [], []
    upper, lower = [], []
    # a relation the report gives as what the child calls someone ('Poppy's "Nan"') is a name there
    as_names = {m.group(0) for f, m in ctx.finditer(pattern) if m.group(0)[0].isupper() and in_quotes(f.text, m.start())}
    for f, m in ctx.finditer(pattern):
        word = m.group(0)
        if is_sentence_start(f.text, m.start()) or word in as_names:
            continue
        if word[0].isupper() and word.lower() in FAMILIAR and not re.search(r"\b(?:her|his|their|your|my|the|a|our)\s+$", f.text[max(0, m.start() - 8):m.start()], re.I):
            continue  # "Dad said", "Mum loves you": what the child calls them, a name; "your Dad" would not be
        if word[0].isupper() and re.match(r"\s+[A-Z][a-z]", f.text[m.end():m.end() + 3]):
            continue  # a relation used as a title before a name ('Auntie Sue', 'Nanny Jean'), capitalised as a name is
        (upper if word[0].isupper() else lower).append((f, m))
    return upper, lower


_TITLE_BEFORE = re.compile(r"\b(?:Dr|Mr|Mrs|Ms|Miss|Mx|Prof(?:essor)?|PC|DC|DS|Judge|HHJ|Sister|Nurse)\.?\s+$")
_SURNAME_AFTER = re.compile(r"^\s+([A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b")


def _someone_else(text: str, m: re.Match, canon: set) -> bool:
    """A word standing as another person's name: after a title ('Dr Marek Nowak') or before a surname
    the report's family does not have ('Marek Nowak, forensic psychologist'), not a misspelt family name."""
    after = _SURNAME_AFTER.match(text[m.end():m.end() + 40])
    return bool(_TITLE_BEFORE.search(text[max(0, m.start() - 12):m.start()])) or bool(after and after.group(1) not in canon)


def name_variants(ctx) -> dict:
    """Words that look like misspellings of a name in the name fields: word -> (name, evidence)."""
    cached = getattr(ctx, "_name_variants", None)
    if cached is not None:
        return cached
    canon = ctx.name_tokens()
    canon_list = sorted(canon)
    variants: dict[str, tuple[str, list]] = {}
    # Name fields outside the people list: genogram, photographs, parents' chronologies, siblings' carers.
    name_fields = [(("genogram", "people", i), p) for i, p in enumerate(as_list(get(ctx.data, "genogram", "people")))]
    name_fields += [(("photographs", i, "subject"), get(p, "subject")) for i, p in enumerate(as_list(ctx.data.get("photographs")))]
    name_fields += [(("chronologies", "parents", i, "parent"), get(p, "parent")) for i, p in enumerate(as_list(get(ctx.data, "chronologies", "parents")))]
    candidates: dict[str, list] = {}
    for path, value in name_fields:
        if isinstance(value, str):
            for m in WORD_RE.finditer(value):
                if m.group(0) not in canon and m.group(0)[:1].isupper():
                    candidates.setdefault(m.group(0), []).append(ctx.evidence(path, m.start(), m.end()))
    for f in ctx.fields:
        for m in _CAP_RE.finditer(f.text):
            w = m.group(0)
            if w not in canon and not _someone_else(f.text, m, canon):
                candidates.setdefault(w, []).append(ctx.evidence(f.path, m.start(), m.end()))
    not_names = {t.lower() for t in (ctx.wordlists.terms("not_names") if ctx.wordlists else {})}
    near = {}
    for w in candidates:
        if w.lower() in not_names:
            continue  # a month, a day or a faith is no misspelt name ('June' beside 'Jane', 'Christian' beside 'Christina')
        for c in canon_list:
            if near_miss(w, c):
                near[w] = c
                break
    common = _common_words(set(near)) if near else set()
    for w, c in near.items():
        if w in common and not any(e.path[0] in ("genogram", "photographs", "chronologies") and e.path[-1] in ("people", "subject", "parent")
                                   or isinstance(e.path[-1], int) and e.path[0] == "genogram" for e in candidates[w]):
            continue
        variants[w] = (c, candidates[w])
    ctx._name_variants = variants
    return variants


@check("G7", area="General", question="Are the child's and family members' names spelled accurately and consistently, and relations capitalised consistently?",
       source=f"{SRC} (names); App. 8 General guidance 'names are spelt correctly' and 'if you use capital for Mother ...'")
def names(ctx):
    canon = ctx.name_tokens()
    variants = name_variants(ctx)
    comments, actions, ev = [], [], []
    for w, (c, evs) in sorted(variants.items()):
        comments.append(f"'{w}' ({plural(len(evs), 'time')}) looks like a misspelling of '{c}'.")
        actions.append(f"Spell '{c}' the same way throughout: change '{w}' to '{c}' (or correct the name fields if '{w}' is right).")
        ev += evs[:10]
    upper, lower = relation_capitals(ctx)
    caps = bool(upper and lower)
    if caps:
        ups = sorted({m.group(0) for _, m in upper})
        comments.append(f"Relations are capitalised inconsistently: {', '.join(ups[:6])} ({plural(len(upper), 'time')}) beside lower case ({plural(len(lower), 'time')}).")
        actions.append("Write relations the same way throughout, preferably in lower case (mother, father, brother).")
        few = upper if len(upper) <= len(lower) else lower
        ev += [ctx.evidence(f.path, m.start(), m.end()) for f, m in few[:10]]
    if not comments:
        return Result("yes", f"The {len(canon)} name words in the report's name fields are used consistently; relations are capitalised consistently.")
    return Result("no" if variants else "partial", " ".join(comments), actions, ev)
