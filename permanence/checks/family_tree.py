"""Photographs (G5) and the genogram (G6): the child, each parent and each sibling."""
from __future__ import annotations

import re

from permanence.checks import Result, check
from permanence.checks.text import answered, as_dict, as_list, get, parse_date
from permanence.checks.names import names_match

SRC = "seed 003 App. 8 audit form, General"


# ---------------------------------------------------------------------------------- G5
_PHOTO_WORD_RE = re.compile(r"\bphoto(?:graph)?(?:s|ed)?\b", re.I)
_DATED_RE = re.compile(r"\b(?:19|20)\d{2}\b|\bdated\b")
_NO_PHOTO_RE = re.compile(r"\bno (?:photo|photograph)|\bnot (?:wish|agree|want|consent)|\bdeclined\b|\brefused\b|\bnot available\b|\bnone (?:is )?available\b", re.I)


def photo_place(ctx, photos, people):
    """Where the fix for a missing photograph goes: the photograph of another brother or sister, else
    a sentence that speaks of the photographs, else the photographs list."""
    from permanence.checks.text import sentence_bounds

    siblings = [n for n, role, _ in people if role == "sibling" and n]
    for i, p in enumerate(photos):
        subject = str(p.get("subject") or "")
        if _SIBLING_WORD_RE.search(subject) or any(names_match(subject, n) for n in siblings):
            return ctx.evidence(("photographs", i))
    for f in ctx.fields:
        m = None if f.path[:1] in (("photographs",), ("family_time",)) else _PHOTO_WORD_RE.search(f.text)
        if m:
            return ctx.evidence(f.path, *sentence_bounds(f.text, m.start(), m.end()))
    return ctx.evidence(("photographs",))


_SIBLING_WORD_RE = re.compile(r"\b(?:brother|sister|sibling|half-(?:brother|sister|sibling))s?\b", re.I)


def photo_sentences(ctx) -> list[str]:
    """Every sentence of the report about photographs ('Photographs: Jacob and Poppy together,
    taken ... on 25 October 2026'), and each photograph entry's own words."""
    from permanence.checks.text import sentence_bounds

    out = []
    for p in as_list(ctx.data.get("photographs")):
        p = as_dict(p)
        out.append(" ".join(str(p.get(k) or "") for k in ("subject", "description", "reason_none", "date")))
    for f in ctx.fields:
        if f.path[:1] in (("photographs",), ("family_time",)):
            continue
        for m in _PHOTO_WORD_RE.finditer(f.text):
            s, e = sentence_bounds(f.text, m.start(), m.end())
            out.append(f.text[s:e])
    return out


def own_photo_sentences(ctx, path: tuple) -> list[str]:
    """Sentences about photographs in a person's own entry (a sibling's paragraph): there they
    are about that person even when they say 'she' ('her mother did not wish to share a photograph')."""
    from permanence.checks.text import sentence_bounds

    out = []
    for f in ctx.fields:
        if len(path) > 1 and f.path[:len(path)] == tuple(path):
            out += [f.text[slice(*sentence_bounds(f.text, m.start(), m.end()))] for m in _PHOTO_WORD_RE.finditer(f.text)]
    return out


def required_people(ctx) -> list[tuple[str, str, tuple]]:
    """(name, role, path) of the child, each parent and each sibling."""
    out = []
    child = as_dict(ctx.data.get("child"))
    name = " ".join(x for x in (child.get("first_names"), child.get("surname")) if isinstance(x, str))
    if name:
        out.append((name, "the child", ("child",)))
    for i, p in enumerate(as_list(ctx.data.get("birth_parents"))):
        p = as_dict(p)
        out.append((p.get("name") or "", p.get("relationship") or "parent", ("birth_parents", i)))
    for i, s in enumerate(as_list(ctx.data.get("siblings"))):
        s = as_dict(s)
        out.append((s.get("name") or "", "sibling", ("siblings", i)))
    from permanence.checks.siblings_found import siblings_named_elsewhere

    for name, where in siblings_named_elsewhere(ctx):  # a brother or sister the sibling section leaves out
        out.append((name, "sibling", tuple(where.path)))
    return out


@check("G5", area="General", question="Are there dated, good-quality photographs of the child, each parent and each sibling, or the reason and efforts made where there is none?",
       source=f"{SRC}; App. 8 General guidance on photographs; Sched. 1 Parts 1 and 3 (photographs)")
def photographs(ctx):
    photos = [as_dict(p) for p in as_list(ctx.data.get("photographs"))]
    said = photo_sentences(ctx)
    missing, undated, ev = [], [], []
    for name, role, path in required_people(ctx):
        name = name if isinstance(name, str) else ""  # a malformed record: true, a number, a list
        unknown = "not known" in name.lower() or (role in ("father", "mother") and as_dict(get(ctx.data, *path)).get("identified") is False)
        matches = [(i, p) for i, p in enumerate(photos) if names_match(p.get("subject", ""), name)
                   or (unknown and role in str(p.get("subject", "") or "").lower())]
        first = (name or "").split()[0] if name else ""
        words = [w for w in (first, *(["you"] if role == "the child" else [])) if w]
        mentioned = [t for t in said if any(re.search(rf"\b{re.escape(w)}\b", t, re.I if w == "you" else 0) for w in words)]
        if not matches and any(_DATED_RE.search(t) or _NO_PHOTO_RE.search(t) for t in own_photo_sentences(ctx, path)):
            continue  # a dated photograph, or the reason there is none, in the person's own entry
        if not matches and not mentioned:
            if unknown or not name:
                continue  # an unknown parent's photograph cannot be asked for
            missing.append(f"{name or role} ({role})")
            ev.append(ctx.evidence(path))
            continue
        ok = any((p.get("file") or p.get("description")) and parse_date(p.get("date")) or answered(p.get("reason_none")) for _, p in matches)
        ok = ok or any(_DATED_RE.search(t) or _NO_PHOTO_RE.search(t) for t in mentioned)
        if not ok:
            undated.append(f"{name} ({role})")
            ev.append(ctx.evidence(("photographs", matches[0][0]) if matches else path))
    if not photos and not said:
        return Result("no", "There are no photographs and no reasons given.",
                      ["Add dated photographs of the child, each parent and each sibling, or say for each why there is none and what was done to get one."],
                      [ctx.evidence(("photographs",))])
    problems = len(missing) + len(undated)
    if missing and (photos or said):  # where the photographs are listed is where the fix goes: point there first
        ev.insert(0, photo_place(ctx, photos, required_people(ctx)))
    if not problems:
        return Result("yes", "A dated photograph, or the reason there is none, for the child, each parent and each sibling.")
    comments, actions = [], []
    if missing:
        comments.append("No photograph or reason for: " + ", ".join(missing) + ".")
        actions.append("Add a dated photograph of " + ", ".join(missing) + ", or say why there is none and what efforts were made.")
    if undated:
        comments.append("Photograph without a date (or without the image) for: " + ", ".join(undated) + ".")
        actions.append("Date each photograph (when it was taken) and attach the image.")
    return Result("no" if len(missing) > 2 else "partial", " ".join(comments), actions, ev)


# ---------------------------------------------------------------------------------- G6
@check("G6", area="General", question="Is there a genogram naming every full and half sibling?",
       source=f"{SRC}; Sched. 1 Part 3 (family tree)")
def genogram(ctx):
    gen = as_dict(ctx.data.get("genogram"))
    if gen.get("included") is not True:
        return Result("no", "No genogram is included.", ["Add a genogram showing the child's parents and every full and half sibling."],
                      [ctx.evidence(("genogram", "included"))])
    shown = [p for p in as_list(gen.get("people")) if isinstance(p, str)]
    described = gen.get("description") if isinstance(gen.get("description"), str) else ""
    missing, ev = [], []
    for i, s in enumerate(as_list(ctx.data.get("siblings"))):
        s = as_dict(s)
        if s.get("relationship") == "step" or not isinstance(s.get("name"), str):
            continue
        first = s["name"].split()[0] if s["name"].split() else ""
        if not any(names_match(p, s["name"]) for p in shown) and not (first and re.search(rf"\b{re.escape(first)}\b", described)):
            missing.append(s["name"])
            ev.append(ctx.evidence(("siblings", i, "name")))
    if not shown and len(described.split()) < 8:
        return Result("partial", "A genogram is said to be included but the people on it are not listed, so it cannot be checked against the siblings.",
                      ["List the people shown on the genogram, so it can be checked against the siblings."], [ctx.evidence(("genogram",))])
    if missing:  # the genogram itself first (where the adviser points), then each sibling it leaves out
        return Result("partial" if len(missing) == 1 else "no", "The genogram does not show: " + ", ".join(missing) + ".",
                      ["Add " + ", ".join(missing) + " to the genogram (every full and half sibling, including those not part of this plan)."],
                      [ctx.evidence(("genogram",))] + ev)
    return Result("yes", "The genogram shows every full and half sibling named in the report.")
