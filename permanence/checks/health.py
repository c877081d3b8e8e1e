"""The health narrative against the medical adviser's own summary (H1).

Seed 003 App. 8 asks that the health section match the medical adviser's report. A report
often gives the adviser's summary apart (its own heading or paragraph) and a narrative of
the social worker's beside it; the narrative then leaves out, or denies ("no health
concerns"), a condition, a referral or an outstanding test the adviser names. This is the
data (what a finding of the adviser's looks like, what a denial looks like) and one
function that sets the two side by side.
"""
from __future__ import annotations

import re

from permanence.checks.text import as_dict, get

# A condition a medical adviser names: the words a narrative that mentions it would use.
# Each entry: (pattern in the adviser's text, words any one of which in the narrative covers it).
CONDITIONS = (
    (r"glue ear|otitis media", ("glue ear", "otitis", "grommet")),
    (r"hearing (?:loss|impairment)|deaf(?:ness)?", ("hearing loss", "hearing impairment", "deaf", "glue ear")),
    (r"(?:visual|sight) impairment|squint|strabismus|long-sighted|short-sighted", ("squint", "strabismus", "sighted", "glasses", "visual impairment", "sight impairment")),
    (r"(?:[a-z]+ ){0,2}delay(?:ed)?", ("delay",)),
    (r"autis(?:m|tic)|autistic spectrum|\bASD\b", ("autis", "asd")),
    (r"\bADHD\b|attention deficit", ("adhd", "attention deficit")),
    (r"foetal alcohol|fetal alcohol|\bFASD\b", ("alcohol", "fasd")),
    (r"cerebral palsy|epilep(?:sy|tic)|seizures?|hypotonia|muscle tone", ("cerebral palsy", "epilep", "seizure", "hypotonia", "muscle tone")),
    (r"eczema|asthma|diabetes|anaemia|allerg(?:y|ies|ic)|heart murmur|reflux|hip dysplasia|talipes|plagiocephaly|sickle cell disease|cystic fibrosis",
     ()),  # covered by the condition's own name
    (r"learning (?:disability|difficulties|needs)|special educational needs", ("learning", "special educational")),
    (r"(?:[a-z]+ )?(?:disorder|syndrome|impairment)", ()),
)
# A referral or a test still to come: the words after it name what it is for.
PENDING = (
    r"referred (?:back )?(?:to|for)\s+(?P<what>[^,;.]{3,80})",
    r"referral (?:to|for)\s+(?P<what>[^,;.]{3,80})",
    r"under (?:review|the care|the care of|follow-up)\s+(?:of|by|with|at)?\s*(?P<what>[^,;.]{3,80})",
    r"(?P<what>(?:an? |the |his |her |their )?[\w' -]{3,60}?)\s+(?:is|are|remains?|was)\s+(?:still\s+)?(?:awaited|outstanding|pending)\b",
    r"waiting (?:list )?for\s+(?P<what>[^,;.]{3,80})",
)
# Words too general to show that the narrative tells of the same referral.
GENERAL = {"the", "a", "an", "his", "her", "their", "for", "to", "of", "at", "by", "with", "and", "in", "on", "support",
           "service", "services", "team", "department", "clinic", "assessment", "test", "testing", "review", "appointment",
           "community", "paediatrician", "doctor", "nurse", "gp", "hospital", "local", "child", "children", "health",
           "further", "repeat", "follow-up", "which", "this", "that", "specialist", "is", "are", "be", "been", "has",
           "next", "routine", "visitor", "immunisation", "immunisations", "dentist", "dental", "optician", "check", "checks",
           "surgery", "practice", "medical", "registered", "results", "result"}
# A clause that is not a present finding about the child: negated, hypothetical, past, or about family.
NOT_A_FINDING = re.compile(
    r"\b(?:no|not|nothing|never|without|none|(?-i:may)|might|could|would|should|likely|possible|possibly|if|unless|risk|"
    r"recovered|resolved|ruled out|excluded|previously|as a baby|mother|father|mum|dad|parents?|grand(?:mother|father|parents?)|"
    r"family history|maternal|paternal|brother|sister|sibling|aunt|uncle|adopters?|carers?)\b", re.I)
# The narrative saying the child has no health needs at all.
ADVISER_QUOTE = re.compile(r"\b(?:Dr\.? [A-Z][\w'’-]+|[Tt]he medical adviser)(?: [^.\"“]{0,40})? (?:summarises|writes|says|said|notes|noted|advises|advised|reports|reported)"
                           r"(?: that)?:?\s*[\"“](?P<said>[^\"”]{10,1500})[\"”]")
DENIAL = re.compile(r"\b(?:no|without any)\s+(?:current\s+|known\s+|significant\s+|ongoing\s+|other\s+|particular\s+)?"
                    r"(?:health\s+|medical\s+)(?:concerns?|needs?|problems?|issues?|difficulties|conditions?)\b"
                    r"|\bno\s+(?:concerns?|needs?|problems?|issues?)\s+(?:about|with|regarding)\s+(?:\w+\s+)?health\b", re.I)
# What a finding is about, and the narrative calling that part of the child's health fine.
SUBJECTS = (("hearing", "ear", "ears", "audiolog\\w*"), ("sight", "vision", "eyes", "eyesight", "ophthalm\\w*", "orthopt\\w*"), ("development", "developmental", "milestones"),
            ("speech", "language", "talking"), ("growth", "weight"))
FINE = re.compile(r"\b(?:fine|normal|normally|passed|good|age[- ]appropriate|within (?:the )?normal (?:limits|range)|no concerns?|caught up|on track|clear)\b", re.I)
NARRATIVE_KEYS = ("summary", "birth_history", "future_needs")
SOURCE_PATHS = (("health", "medical_adviser_report", "summary"), ("health", "last_health_assessment", "summary"))
_CLAUSE_RE = re.compile(r"[.;:!?]\s+|,\s*|\s+(?:but|although|though|whereas|while)\s+|\(|\)|\n"
                        r"|\s+and\s+(?=(?:has|have|had|is|are|was|were|he|she|they|it|this|there|a|an|the|his|her|their)\b)")


def _fold(text: str) -> str:
    return " ".join(text.replace("\u2019", "'").lower().split())


def unmatched_findings(ctx):
    """(denials, omissions): (path, start, end) of the narrative's words saying the child has no
    health needs or calling fine what the adviser finds a need (given only with an omission), and (path, start, end, finding) for each condition, referral or outstanding test in the
    medical adviser's or health assessment summary that the narrative does not mention.
    A summary the narrative already holds word for word is the narrative's own."""
    h = as_dict(ctx.data.get("health"))
    # the adviser's own words quoted in the narrative ('Dr Rao summarises: "Kezia did not pass ..."') are the adviser's, not the narrative's
    quoted = [(("health", k), m.start("said"), m.group("said")) for k in NARRATIVE_KEYS if isinstance(h.get(k), str)
              for m in ADVISER_QUOTE.finditer(h[k])]
    narrative = "\n".join(h[k] for k in NARRATIVE_KEYS if isinstance(h.get(k), str))
    for *_, said in quoted:
        narrative = narrative.replace(said, " ")
    told = _fold(" ".join(x for x in re.findall(r"[^.!?\n]+", narrative) if not _all_fine(x)))  # 'hearing is fine' tells of no hearing loss
    omissions, seen = [], set()
    sources = [(path, 0, as_dict(h.get(path[1])).get("summary")) for path in SOURCE_PATHS] + quoted
    for path, offset, node in sources:
        if not isinstance(node, str) or not node.strip() or _fold(node) in told:
            continue
        starts = [0] + [m.end() for m in _CLAUSE_RE.finditer(node)]
        ends = [m.start() for m in _CLAUSE_RE.finditer(node)] + [len(node)]
        for s, e in zip(starts, ends):
            clause = node[s:e]
            if not clause.strip() or NOT_A_FINDING.search(clause):
                continue
            for pattern, cover in CONDITIONS:
                for m in re.finditer(r"\b(?:" + pattern + r")\b", clause, re.I):
                    words = cover or (m.group(0).lower(),)
                    if not any(w in told for w in words) and m.group(0).lower() not in seen:
                        seen.add(m.group(0).lower())
                        omissions.append((path, offset + s + m.start(), offset + s + m.end(), m.group(0)))
            for pattern in PENDING:
                for m in re.finditer(pattern, clause, re.I):
                    what = m.group("what")
                    words = [w for w in re.findall(r"[a-z][a-z'-]+", what.lower()) if w not in GENERAL and len(w) > 2]
                    if words and not any(re.search(r"\b" + re.escape(w), told) for w in words) and _fold(what) not in seen:
                        seen.add(_fold(what))
                        omissions.append((path, offset + s + m.start(), offset + s + m.end(), m.group(0).strip()))
    if not omissions:
        return [], []
    # what each finding is about, from its sentence ('did not show a clear response in her left ear ... and was referred to audiology')
    about = {w for p, s, e, _ in omissions for words in SUBJECTS
             if re.search(r"\b(?:" + "|".join(words) + r")", _sentence_of(get(ctx.data, *p), s, e), re.I) for w in words}
    denials = []
    for k in NARRATIVE_KEYS:
        text = h.get(k) if isinstance(h.get(k), str) else ""
        denials += [(("health", k), m.start(), m.end()) for m in DENIAL.finditer(text)]
        for m in re.finditer(r"[^.!?\n]+", text):  # a sentence calling fine what the adviser finds a need
            if about and _all_fine(m.group(0)) and re.search(r"\b(?:" + "|".join(about) + r")\b", m.group(0), re.I) \
                    and not DENIAL.search(m.group(0)):
                denials.append((("health", k), m.start() + len(m.group(0)) - len(m.group(0).lstrip()), m.end()))
    return denials, omissions


def _sentence_of(text: str, start: int, end: int) -> str:
    left = max(text.rfind(". ", 0, start), text.rfind("\n", 0, start)) + 1
    right = min([i for i in (text.find(". ", end), text.find("\n", end)) if i >= 0] or [len(text)])
    return text[left:right]


def _clause(text: str, start: int, end: int) -> str:
    left = max([m.end() for m in _CLAUSE_RE.finditer(text, 0, start)] or [0])
    right = next((m.start() for m in _CLAUSE_RE.finditer(text, end)), len(text))
    return text[left:right]


def _all_fine(sentence: str) -> bool:
    """A sentence calling part of the child's health fine, naming no condition in it."""
    return bool(FINE.search(sentence)) and not any(re.search(r"\b(?:" + p + r")\b", sentence, re.I) for p, _ in CONDITIONS)
