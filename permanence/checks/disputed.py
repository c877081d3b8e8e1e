"""Allegations written as fact (G11): the report says a person denies or disputes something,
and elsewhere states that very thing about them as fact, with no source and no word of the
dispute ("Marcus was violent towards Jade throughout their relationship" beside "Marcus
denies ever being violent towards Jade"); or it states a crime of a named person as fact
with no source, finding, charge or conviction ("Mr Okafor assaulted Ms Marsh").

Source: seed 003 App. 8 General guidance: "Where unverified information is used make sure
that it is clearly stated as such"; the report must be balanced, giving the parent's own
view (App. 8 audit form, General, non-judgemental and balanced).
"""
from __future__ import annotations

import re

from permanence.checks.text import get, in_quotes, sentence_bounds

# "<Name> denies ...", "<Name> has always disputed ...": who denies, and what.
DENIAL_RE = re.compile(
    r"\b(?P<who>[A-Z][a-z]+(?:-[A-Z][a-z]+)?)\s+(?:has\s+|had\s+)?(?:always\s+|consistently\s+|strongly\s+|firmly\s+)?"
    r"(?:denies|denied|disputes|disputed|refutes|refuted|rejects|rejected)\s+(?P<what>[^.;:\n]{3,160})")
# Where the denied claim ends: the next thing the person says or does.
_WHAT_END_RE = re.compile(r",|\s(?:and|but|although|though|saying|says|said|because|as)\s")
# Words of a denial that say nothing of what is denied.
_EMPTY = {"ever", "being", "having", "that", "this", "these", "those", "allegation", "allegations", "claim", "claims",
          "suggestion", "there", "were", "was", "with", "towards", "toward", "against", "about", "them", "their", "his",
          "her", "him", "she", "they", "what", "when", "anything", "everything", "any", "all", "the", "of", "to", "and"}
# A sentence that gives its source, reports what someone said, or keeps the dispute open.
ATTRIBUTED_RE = re.compile(
    r"\b(?:said|says|say|told|tells|alleg\w*|report\w*|according|disclos\w*|claim\w*|believ\w*|concern\w*|view\w*|"
    r"found|finding\w*|conclu\w*|court|police|record\w*|account\w*|described|stated|states|accept\w*|admit\w*|"
    r"den\w+|disput\w*|refut\w*|reject\w*|may|might|possibly|perhaps|thought|suggest\w*|evidence|witness\w*)\b", re.I)


def _stems(what: str, who: str) -> set[str]:
    """The stems (first five letters) of the content words of a denied claim."""
    cut = _WHAT_END_RE.search(what)
    what = what[:cut.start()] if cut else what
    return {w.lower()[:5] for w in re.findall(r"[A-Za-z]{5,}", what) if w.lower() not in _EMPTY and w != who
            and not w[0].isupper()}


def disputed_as_fact(ctx) -> list[tuple]:
    """(field, start, end, who) for each sentence stating as fact what the report says the
    person denies."""
    denials = []
    for f, m in ctx.finditer(DENIAL_RE):
        if in_quotes(f.text, m.start()):
            continue
        stems = _stems(m.group("what"), m.group("who"))
        if stems:
            denials.append((m.group("who"), stems, f, sentence_bounds(f.text, m.start(), m.end())))
    out, seen = [], set()
    for who, stems, df, (ds, de) in denials:
        name = re.compile(rf"\b{re.escape(who)}\b")
        for f in ctx.fields:
            for nm in name.finditer(f.text):
                s, e = sentence_bounds(f.text, nm.start(), nm.end())
                if (f is df and s == ds) or (f.path, s) in seen:
                    continue
                sentence = f.text[s:e]
                words = {w.lower()[:5] for w in re.findall(r"[A-Za-z]{5,}", sentence)}
                if not stems & words or ATTRIBUTED_RE.search(sentence) or in_quotes(f.text, nm.start()):
                    continue
                seen.add((f.path, s))
                out.append((f, s, e, who))
    return out


# A crime told of a named person ("Mr Okafor assaulted Ms Marsh", "Tunde was dealing cannabis from the flat").
CRIME_RE = re.compile(
    r"\b(?P<who>(?:Mr|Mrs|Ms|Miss)\s+[A-Z][a-z]+|[A-Z][a-z]+)\s+(?:had\s+|has\s+)?(?:was\s+|were\s+)?(?:repeatedly\s+|regularly\s+)?"
    r"(?:assaulted|attacked|raped|stabbed|strangled|punched|kicked|hit|beat|abused|sexually abused|dealing|dealt|sold drugs|"
    r"supplying|supplied drugs|stole|burgled|threatened to kill)\b")
# What makes such a sentence sourced or tested: who said it, a finding, a charge, a conviction.
SOURCED_RE = re.compile(r"\b(?:convict\w*|charged|cautioned|pleaded|sentenced|court|finding|found|police|records?|reported|alleg\w*|said|says|told|"
                        r"according|disclosed|admitted|accepts?|accepted|denies|denied|disputes?|claims?|account|source|believed)\b", re.I)


def unsourced_crimes(ctx) -> list[tuple]:
    """(field, start, end, who) for each sentence stating a crime of a named person as fact,
    with no source, finding, charge or conviction."""
    out = []
    for f, m in ctx.finditer(CRIME_RE):
        if in_quotes(f.text, m.start()) or m.group("who") in ("She", "He", "They", "It", "The", "This"):
            continue
        s, e = sentence_bounds(f.text, m.start(), m.end())
        sentence = f.text[s:e]
        if SOURCED_RE.search(sentence) or re.search(r"\([^)]*\)\s*[.;]?\s*$", sentence):
            continue  # sourced in the sentence, or its source in brackets at the end (a chronology's)
        if f.path[:1] == ("chronologies",) and get(ctx.data, *f.path[:-1], "source"):
            continue  # a chronology entry with its source
        out.append((f, s, e, m.group("who")))
    return out
