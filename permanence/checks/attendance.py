"""A family-time plan against a parent's real attendance (F4): the plan for after adoption
rests on a parent attending "reliably" or "consistently", while the report records that
they came to 9 of 32 sessions.

Source: seed 003 App. 8 audit form, Family time: "Is the post-adoption family time plan
realistic and achievable?" (a plan is not realistic if the attendance it relies on is
not what the report records).
"""
from __future__ import annotations

import re

from permanence.checks.text import as_list, get, name_words, sentence_bounds

WORDS = {"no": 0, "none": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
         "ten": 10, "eleven": 11, "twelve": 12, "fifteen": 15, "twenty": 20}
NUMBER = r"\d{1,3}|" + "|".join(WORDS)
# "attended 9 of 32 sessions", "has come to 41 of 44 sessions", "9 of 32 sessions attended", "4 of the 9 sessions offered"
RECORD = re.compile(rf"\b(?P<a>{NUMBER})\s+(?:of|out of)\s+(?:the\s+)?(?P<b>{NUMBER})\s+(?:\w+\s+)?(?:sessions?|contacts?|visits?|meetings?)\b", re.I)
# what a plan says of attendance it relies on
CLAIM = re.compile(r"\b(?:attended|attends|attending)\b[^.;]{0,40}?\b(?:reliabl\w*|consistent\w*|regular\w*|without fail|every time)\b|"
                   r"\b(?:reliable|consistent|regular|good|excellent|full)\s+attendance\b|\bhas (?:always|never missed)\b|\bnever miss(?:es|ed)\b", re.I)
RELIABLE = 0.6  # attending fewer than this share of sessions is not reliable attendance
LOW = 0.5  # below this, direct family time after adoption needs its reasons given
DIRECT = re.compile(r"\b(?:direct (?:family time|contact)|face[- ]to[- ]face|meet(?:ings?)?|visits?)\b", re.I)
# a plan that says why it is realistic despite the attendance, or makes it depend on it
REASONED = re.compile(r"\b(?:although|despite|even though|because|provided|as long as|only if|if (?:she|he|they) attends?|"
                      r"on condition|review(?:ed)? (?:after|if)|will stop if|subject to)\b", re.I)


def _number(text: str) -> int | None:
    text = text.lower()
    return int(text) if text.isdigit() else WORDS.get(text)



def contradicted_claims(ctx) -> list[tuple[str, object, object, int, int, str]]:
    """(parent, plan evidence, record evidence, attended, offered, kind) for each plan for after
    adoption that relies on a parent's reliable attendance where the report records under 60%
    ("claim"), or proposes direct family time with a parent who came to under half the
    sessions, without saying why it is realistic ("direct")."""
    parents = [p for p in as_list(ctx.data.get("birth_parents")) if isinstance(p, dict) and p.get("name")]
    records: dict[str, tuple] = {}
    for f in ctx.fields:
        for m in RECORD.finditer(f.text):
            a, b = _number(m.group("a")), _number(m.group("b"))
            if a is None or not b or a > b:
                continue
            s, e = sentence_bounds(f.text, m.start(), m.end())
            line_start = f.text.rfind("\n", 0, m.start()) + 1
            around = f.text[min(s, line_start):e]
            for p in parents:
                if any(re.search(rf"\b{re.escape(w)}\b", around) for w in name_words(p)) and p["name"] not in records:
                    records[p["name"]] = (ctx.evidence(f.path, m.start(), m.end()), a, b)
    out = []
    plans = [("family_time", "proposed_summary"), ("family_time", "post_adoption_plan")]
    plans += [("family_time", "proposed", i, k) for i, _ in enumerate(as_list(get(ctx.data, "family_time", "proposed")))
              for k in ("frequency", "facilitated_by", "notes")]
    for path in plans:
        text = get(ctx.data, *path)
        if not isinstance(text, str):
            continue
        for m in CLAIM.finditer(text):
            s, e = sentence_bounds(text, m.start(), m.end())
            for p in parents:
                record = records.get(p["name"])
                if record and any(re.search(rf"\b{re.escape(w)}\b", text[s:e]) for w in name_words(p)) and record[1] < RELIABLE * record[2]:
                    out.append((p["name"], ctx.evidence(path, m.start(), m.end()), record[0], record[1], record[2], "claim"))
        # direct family time proposed with a parent who comes to fewer than half the sessions, no reason given
        for m in DIRECT.finditer(text):
            s, e = sentence_bounds(text, m.start(), m.end())
            clause = text[s:e]
            for p in parents:
                record = records.get(p["name"])
                named = [re.search(rf"\b{re.escape(w)}\b", clause) for w in name_words(p)]
                near = any(n and abs(n.start() - (m.start() - s)) <= 60 for n in named)
                if record and near and record[1] < LOW * record[2] and not REASONED.search(clause) \
                        and not any(o[0] == p["name"] for o in out):
                    out.append((p["name"], ctx.evidence(path, s, e), record[0], record[1], record[2], "direct"))
    return out
