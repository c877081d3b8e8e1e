"""Services described (G12): every service or organisation the report names says what it
does. Services on the list (wordlists/services.txt) and services the list does not know,
found by how a report introduces them ('referred to Pathways', 'attended the Beacon',
'a worker from Bridges'), are both checked."""
from __future__ import annotations

import re

from permanence.checks import Result, check, grade
from permanence.checks.text import sentence_bounds

SRC = "seed 003 App. 8 audit form, General"
_DESCRIBED_AFTER_RE = re.compile(r"^['\u2019]?s?\s*(\(|,\s*(a|an|the|which|who|where)\b|\s+is\s+an?\b|\s*[-\u2013\u2014]\s|\s+\((?:a|an|the)\b)", re.I)
# How a report brings in a service it then names: 'was referred to Pathways', 'attended the
# Beacon', 'seeing a worker from Bridges', 'support from Harbour', 'a place at Oakwood'.
_INTRODUCED_RE = re.compile(
    r"\b(?:referred (?:back )?to|referral to|attend(?:s|ed|ing)?|engag(?:ed|es|ing) with|worker from|workers from|support from|"
    r"supported by|a place at|a course (?:at|with|run by)|a programme (?:at|with|run by)|sessions? (?:at|with)|went to|goes to|"
    r"signposted to|self-referred to|joined|completed (?:a|the) (?:course|programme) (?:at|with|run by)|completed)\s+(?:the\s+)?"
    r"(?P<name>[A-Z][\w'\u2019&-]*(?:\s+(?:of|for|and|&)?\s*[A-Z][\w'\u2019&-]*){0,3})")
# A name that says what it is needs no description ('Brookfield Primary School'; England's
# regional adoption agencies are mostly named 'Adopt <region>', as Adopt London, Adopt North
# East, Adopt Coast to Coast: Adoption England's list of regional adoption agencies).
_SELF_DESCRIBING = re.compile(
    r"\b(?:Adopt|School|Academy|College|University|Nursery|Pre-School|Preschool|Playgroup|Hospital|Infirmary|Clinic|Surgery|Practice|"
    r"Service|Services|Centre|Center|Team|Council|Court|Unit|Programme|Program|Course|Group|Charity|Trust|Agency|Prison|HMP|"
    r"Police|Constabulary|Health|NHS|Partnership|Board|Panel|Church|Mosque|Temple|Synagogue|Library|Club|Association|Society|"
    r"Refuge|Hub|Project|Foundation|Counselling|Therapy|Therapies|Recovery|Adoption|Fostering|Housing|Support|Meeting|Conference|"
    r"Hearing|Review|Assessment|Plan|Order|Department|Ward|Office|Station|Home|Hall|Park|Street|Road|Primary|Secondary|Infant|Junior|"
    r"Social Care|Mass|Chapel|Parish|Cathedral|Gurdwara|Mandir|Leisure|Sports|Swimming|Pool|Gym|Playgroup|Toddlers?|Stay and Play)\b")
_NOT_SERVICES = {"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
                 "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "Mr", "Mrs", "Ms", "Miss", "Dr", "A", "An",
                 "The", "Her", "His", "Their", "Year", "Reception", "Christmas", "Easter", "Mass", "Eid", "Diwali", "Ramadan"}


# The name used before a noun saying what it is: 'the Harbour letterbox service', 'a Harbour family support worker'.
# ('the Phoenix programme' alone says no more than that it is a programme: of what, for whom?)
_DESCRIBED_BY_NOUN_RE = re.compile(r"^['\u2019]?s?(?:\s+[a-z]+){0,2}\s+(?:service|worker|team|group|charity|project|centre|helpline|line)s?\b"
                                   r"|^['\u2019]?s?(?:\s+[a-z]+){1,2}\s+(?:programme|course)s?\b")


def _described(ctx, name: str, text: str, end: int) -> bool:
    return bool(_DESCRIBED_AFTER_RE.match(text[end:end + 16]) or _DESCRIBED_BY_NOUN_RE.match(text[end:end + 40]))


def unlisted_services(ctx, listed: set[str]):
    """(field, start, end, name) of services the list does not know, at their first mention,
    where no mention of them says what they are."""
    people = ctx.name_tokens()
    first, described = {}, set()
    for f in ctx.fields:
        for m in _INTRODUCED_RE.finditer(f.text):
            name = re.sub(r"['\u2019]s$", "", m.group("name")).strip()
            words = name.split()
            if not words or words[0] in _NOT_SERVICES or words[0] in people or name in listed or _SELF_DESCRIBING.search(name) \
                    or name.replace("&", "").isupper():  # an acronym is G11's business
                continue
            if any(w in people for w in words) or len(name) < 3:
                continue
            first.setdefault(name, (f, m.start("name"), m.start("name") + len(name)))
    if not first:
        return []
    pattern = re.compile(r"(?<![\w-])(?:the\s+)?(" + "|".join(re.escape(n) for n in sorted(first, key=len, reverse=True)) + r")(?![\w-])")
    for f in ctx.fields:
        for m in pattern.finditer(f.text):
            if _described(ctx, m.group(1), f.text, m.end(1)):
                described.add(m.group(1))
    return [(f, s, e, n) for n, (f, s, e) in first.items() if n not in described]


# ---------------------------------------------------------------------------------- G12
@check("G12", area="General", question="Does every service or resource named in the report say what it does (e.g. 'St John's Care (Substance Misuse Service)')?",
       source=f"{SRC} (resources described)")
def services(ctx):
    terms = ctx.wordlists.terms("services") if ctx.wordlists else {}
    pattern = ctx.wordlists.pattern("services", case_sensitive=True) if terms else None
    seen, missing = set(), []
    for f, m in (ctx.finditer(pattern) if pattern else []):
        name = m.group(0).replace("\u2019", "'")
        if name in seen:
            continue
        seen.add(name)
        if _DESCRIBED_AFTER_RE.match(f.text[m.end():m.end() + 14]):
            continue
        note = ctx.wordlists.note("services", name)
        s, e = sentence_bounds(f.text, m.start(), m.end())
        key = [w for w in re.findall(r"[a-z]+", note.lower()) if len(w) > 3][:2]
        if key and all(w in f.text[s:e].lower() for w in key):
            continue
        missing.append((f, m.start(), m.end(), m.group(0), note))
    found = unlisted_services(ctx, set(terms))
    missing += [(f, s, e, name, "") for f, s, e, name in found]
    named = len(seen) + len(found)
    if not named and not missing:
        return Result("yes", "No service is named without saying what it does.")
    if not missing:
        return Result("yes", f"Each of the {len(seen)} listed services named is described at its first mention.")
    return Result(grade(len(missing)), "Services named without saying what they do: " + ", ".join(n for _, _, _, n, _ in missing) + ".",
                  [f"Describe {n} at its first mention, for example '{n} ({note})'." if note else
                   f"Say what {n} is at its first mention, for example '{n} (a drug and alcohol service)'." for _, _, _, n, note in missing],
                  [ctx.evidence(f.path, s, e) for f, s, e, _, _ in missing])
