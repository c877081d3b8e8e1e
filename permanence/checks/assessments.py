"""Other relatives (R1) and other assessments (A1-A2): why each negative viability assessment
was negative, each expert assessment's conclusions, the adoption support the child will need."""
from __future__ import annotations

import re

from permanence.checks import Result, check
from permanence.checks.text import WORD_RE, answered, as_dict, as_list, bare_na, get


def _words(text) -> int:
    return len(WORD_RE.findall(text)) if isinstance(text, str) else 0


# A reason: why the relative could not care for the child, not only that the outcome was negative.
_REASON_GIVEN_RE = re.compile(r"\b(?:because|as (?:she|he|they)|due to|concern\w*|unable|could not|cannot|not able|found that|lack\w*|risk\w*|"
                              r"history|health|age|aged|declined|withdrew|decided|did not|would not|does not|not in a position|space|housing|"
                              r"capacity|own (?:children|needs)|relationship|minimis\w*|understand\w*|room|cares for|caring for|works|work|job|"
                              r"commitments?|elderly|ill|illness|not related|only|too|so|therefore|since)\b", re.I)


@check("R1", area="Other relatives", question="Is it clear why each relative or friend given a viability assessment was found unsuitable?",
       source="seed 003 App. 8 audit form, Other relatives; App. 8 General guidance 'explain ... negative family member assessments'")
def viability(ctx):
    items = [(i, as_dict(v)) for i, v in enumerate(as_list(get(ctx.data, "assessments", "viability")))]
    negative = [(i, v) for i, v in items if v.get("outcome") in ("negative", "withdrew")]
    if not negative:
        return Result("not_applicable", "No negative viability assessment is recorded." if not items else "No viability assessment was negative.")
    missing = [(i, v) for i, v in negative if not answered(v.get("reasons")) or _words(v.get("reasons")) < 12
               or not _gives_why(_why_part(v))]
    if not missing:
        return Result("yes", f"Reasons are given for {'the' if len(negative) == 1 else 'each of the ' + str(len(negative))} negative (or withdrawn) viability {'assessment' if len(negative) == 1 else 'assessments'}.")
    return Result("no" if len(missing) == len(negative) else "partial",
                  "No clear reasons for: " + ", ".join(f"{v.get('name')} ({v.get('relationship')})" for _, v in missing) + ".",
                  ["For each, say who assessed them, when, and why they could not care for the child, sensitively and in plain words."],
                  [ctx.evidence(("assessments", "viability", i, "reasons"), *_outcome_span(v)) for i, v in missing])


# What tells of the assessment rather than why it was negative: who asked, who did it and when,
# the outcome itself, how the relative was told, whether they challenged it.
_PROCESS_RE = re.compile(r"\b(?:viability|assessment (?:was )?(?:completed|carried out|undertaken|dated)|outcome|negative|unsuitable|"
                         r"not suitable|informed|notified|letter|challeng\w*|appeal\w*|asked to be (?:considered|assessed)|"
                         r"put (?:herself|himself|themselves) forward|came forward|request|(?:not )?taken forward|full assessment|"
                         r"did not do so|did not (?:challenge|appeal|contest))\b", re.I)
_BECAUSE_RE = re.compile(r"\b(?:because|due to|as a result|owing to|since|as (?:she|he|they) (?:has|have|had|is|are|was|were|could|can|would)|"
                         r"could not|cannot|can't|unable|not (?:feel )?able|concerns?|risks?|lack\w*|health|condition|illness|capacity|"
                         r"own (?:children|needs)|history|not in a position|would not be)\b", re.I)
_SENTENCE_RE = re.compile(r"[^.!?]+[.!?]*")
_CLAUSE_RE = re.compile(r";|,? but |,? and (?=(?:she|he|they|her|his|their) )", re.I)


def _gives_why(why: str) -> bool:
    """What is left once the process is set aside gives a reason: a word of reason, or a clause
    of its own long enough to say something ('her flat has one bedroom')."""
    return bool(_REASON_GIVEN_RE.search(why)) or _words(why) >= 8


def _why_part(v: dict) -> str:
    """The reasons text less what only tells of the person (name, relationship, age) or of the
    assessment's process: what is left has to say why the outcome was negative."""
    text = str(v.get("reasons") or "")
    known = {w.lower() for w in WORD_RE.findall(f"{v.get('name') or ''} {v.get('relationship') or ''}")} | {"aged"}
    kept = []
    for m in _SENTENCE_RE.finditer(text):
        sentence = m.group(0)
        if len([w for w in WORD_RE.findall(sentence) if w.lower() not in known]) < 3:
            continue  # 'Kerry Smith (maternal aunt), aged 38.'
        # judged clause by clause: 'she asked to be assessed ... but her home has room for one'
        kept += [c for c in _CLAUSE_RE.split(sentence) if not (_PROCESS_RE.search(c) and not _BECAUSE_RE.search(c))]
    return " ".join(kept)


def _outcome_span(v: dict) -> tuple:
    """(start, end) of the sentence giving the negative outcome, for the adviser to point at."""
    text = str(v.get("reasons") or "")
    for m in _SENTENCE_RE.finditer(text):
        if re.search(r"\b(?:negative|unsuitable|not suitable|outcome|withdr\w+)\b", m.group(0), re.I):
            lead = len(m.group(0)) - len(m.group(0).lstrip())
            return m.start() + lead, m.end()
    return None, None


_CONCLUDED_RE = re.compile(r"\b(?:found|finds|conclud\w*|recommend\w*|assessed (?:that|as)|diagnos\w*|showed|shows|identified|advised|"
                           r"opinion|view (?:was|is)|considered that|could not|would not|was not able|unable|negative|positive|results?|"
                           r"consistent with|levels?|tested|detected|no evidence|supported|supports|opposed|opposes|agreed with)\b", re.I)


@check("A1", area="Other assessments", question="Are the conclusions of each expert assessment summarised?",
       source="seed 003 App. 8 audit form, Other assessments/plans")
def expert(ctx):
    items = [(i, as_dict(e)) for i, e in enumerate(as_list(get(ctx.data, "assessments", "expert")))]
    items = [(i, e) for i, e in items if not (bare_na(e.get("kind")) or re.match(r"\s*(?:n/?a|not applicable|none)\b", str(e.get("kind") or e.get("conclusions") or ""), re.I))]
    listed = " ".join(str(e.get(k) or "") for _, e in items for k in ("author", "kind", "conclusions"))
    told = _unsummarised_mentions(ctx, listed)  # an expert's assessment told of in the narrative, not in the list
    if not items and not told:
        return Result("not_applicable", "No expert assessment is listed; confirm none was commissioned in the proceedings.")
    missing = [(i, e) for i, e in items if not _summarised(e.get("conclusions")) and not _summarised_elsewhere(ctx, e)]
    if not missing and not told:
        return Result("yes", f"The conclusions of {'the expert assessment are' if len(items) == 1 else 'each of the ' + str(len(items)) + ' expert assessments are'} summarised.")
    names = [re.split(r"\s*\(", str(e.get("kind")))[0] for _, e in missing] + [what for what, *_ in told]
    return Result("no" if len(missing) + len(told) >= len(items) + len(told) else "partial", "No summary of conclusions for: " + ", ".join(names) + ".",
                  ["Summarise each expert assessment's conclusions (who, when, what they found and recommended) in plain words."],
                  [ctx.evidence(("assessments", "expert", i, "conclusions")) for i, _ in missing]
                  + [ctx.evidence(path, start, end) for _, path, start, end in told])


# a pointer to the report's own sections ("see Sections 8 and 9", "see the parents' health sections",
# "see BROTHERS AND SISTERS"), not to a document outside it
_OWN_SECTION_RE = re.compile(r"\bsee\b(?!\s+(?:the\s+)?(?:appendix|appendices|attached|enclosed|full report|report of|file|bundle|court bundle)\b)", re.I)


def _summarised_elsewhere(ctx, entry: dict) -> bool:
    """'Hair strand testing of both parents in November 2024: see Sections 8 and 9': the findings are
    in the report's own sections, where a sentence naming the test says what it found."""
    from permanence.checks.text import sentence_bounds

    said = str(entry.get("conclusions") or "")
    words = [w for w in re.findall(r"[A-Za-z]{4,}", str(entry.get("kind") or said))[:2]]
    if not _OWN_SECTION_RE.search(said) or not words:
        return False
    pattern = re.compile(r"\b" + r"\W+".join(map(re.escape, words)), re.I)
    for f in ctx.fields:
        if f.path[:2] == ("assessments", "expert"):
            continue
        for m in pattern.finditer(f.text):
            a, b = sentence_bounds(f.text, m.start(), m.end())
            if _CONCLUDED_RE.search(f.text[a:b]):
                return True
    return False


# What says an assessment exists without saying what it found.
_NO_FINDINGS_RE = re.compile(r"\b(?:see|attached|appendix|enclosed|awaited|to follow|outstanding|not yet|on file|available|"
                             r"completed|undertaken|carried out|filed|dated)\b", re.I)


def _summarised(conclusions) -> bool:
    """An expert assessment's conclusions are given: in a sentence saying what it found, or as
    the findings after its title ("Hair-strand alcohol tests of Kieran (June 2025): excessive
    then moderate drinking")."""
    if not answered(conclusions):
        return False
    head, colon, after = conclusions.partition(":")
    if colon and len(head) <= 160 and _words(after) >= 4 and not _NO_FINDINGS_RE.search(after):
        return True
    return _words(conclusions) >= 15 and bool(_CONCLUDED_RE.search(conclusions))


# An expert's assessment told of in the narrative: its kind, and an expert's title in the same sentence.
_EXPERT_KIND_RE = re.compile(r"\b(?:psychological|psychiatric|cognitive|neuropsychological|psychometric|parenting|PAMS|forensic|"
                             r"risk|attachment|neurodevelopmental|adult mental health)\s+(?:assessment|report|evaluation)\b", re.I)
_EXPERT_RE = re.compile(r"\b(?:Dr\.? [A-Z][\w'\u2019-]+(?: [A-Z][\w'\u2019-]+)?|Professor [A-Z][\w'\u2019-]+|Consultant|"
                        r"(?:Clinical |Forensic |Counselling )?Psychologist|Psychiatrist|Independent Social Worker|ISW)\b")


def _unsummarised_mentions(ctx, listed: str) -> list[tuple]:
    """(what, path, start, end) of each expert assessment the narrative tells of, by an expert the
    list does not hold, with no finding or conclusion in its sentence or the two after it."""
    found, summarised = {}, set()
    for f in ctx.fields:
        if f.path[:2] == ("assessments", "expert"):
            continue
        sentences = list(re.finditer(r"[^.!?\n]+[.!?]*", f.text))
        for n, m in enumerate(sentences):
            kind, who = _EXPERT_KIND_RE.search(m.group(0)), _EXPERT_RE.search(m.group(0))
            if not kind or not who or (who.group(0).startswith(("Dr", "Professor")) and who.group(0).split()[-1] in listed):
                continue
            what = f"{kind.group(0).lower()} ({who.group(0)})"
            window = " ".join(x.group(0) for x in sentences[n:n + 3])
            if _CONCLUDED_RE.search(window) or re.search(r"\bconfirm\w*", window, re.I):
                summarised.add(what)
                continue
            end = sentences[min(n + 1, len(sentences) - 1)].end()
            found.setdefault(what, (f.path, m.start() + len(m.group(0)) - len(m.group(0).lstrip()), end))
    return [(what, *place) for what, place in found.items() if what not in summarised]


@check("A2", area="Other assessments", question="Does the adoption support section set out the support the child is likely to need, short and long term?",
       source="seed 003 App. 8 audit form, Other assessments/plans (adoption support section); Adoption Support Services Regulations 2005")
def adoption_support(ctx):
    s = as_dict(ctx.data.get("adoption_support"))
    short, long_ = answered(s.get("short_term")) and not bare_na(s.get("short_term")), answered(s.get("long_term")) and not bare_na(s.get("long_term"))
    if short and long_:
        return Result("yes", "Short- and long-term adoption support needs are set out.")
    missing = [w for w, ok in (("short-term", short), ("long-term", long_)) if not ok]
    return Result("partial" if short or long_ else "no", "No " + " or ".join(missing) + " adoption support needs are set out.",
                  ["Set out the " + " and ".join(missing) + " support the child and family are likely to need, based on the child's history and current functioning (for example life-story work, therapeutic support, education support, help with family time)."],
                  [ctx.evidence(("adoption_support", "short_term" if not short else "long_term"))])
