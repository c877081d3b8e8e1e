"""Language items: generalisations (G9), judgemental wording (G10), difficult information
explained and third parties protected (G11); services described (G12) are in services.py. The terms are data
(permanence/checks/wordlists/*.txt, extendable by the local authority)."""
from __future__ import annotations

import re

from permanence.checks import Result, check, grade
from permanence.checks.text import as_dict, as_list, in_quotes, iter_strings, plural, sentence_bounds

SRC = "seed 003 App. 8 audit form, General"
_DIGIT_RE = re.compile(r"\d")


_CLAUSE_RE = re.compile(r"[;,]\s|\s(?:and|but|while|whereas)\s", re.I)


def clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The clause around a span: the sentence, cut at commas, semicolons and 'and' / 'but'."""
    s, e = sentence_bounds(text, start, end)
    left, right = s, e
    for m in _CLAUSE_RE.finditer(text, s, start):
        left = m.end()
    m = _CLAUSE_RE.search(text, end, e)
    if m:
        right = m.start()
    return left, right


_EXPLAINED_BY_RE = re.compile(r"^\s*,?\s*(such as|including|for example|e\.g\.|namely|in particular|because|:|\()", re.I)


def _has_specifics(ctx, text: str, start: int, end: int) -> bool:
    if _EXPLAINED_BY_RE.match(text[end:end + 40]):
        return True
    s, e = clause_bounds(text, start, end)
    sentence = text[s:e]
    rest = sentence[:start - s] + " " + sentence[end - s:]
    if _DIGIT_RE.search(rest) or "(" in rest or ":" in rest:
        return True
    pattern = ctx.wordlists.pattern("specifics")
    return bool(pattern and pattern.search(rest))


def _hits(ctx, name: str, *, case_sensitive=False, unless=None, quoted=False):
    """Matches of a word list in the narrative; words inside quotation marks (a person's own
    words) are left out unless quoted=True."""
    pattern = ctx.wordlists.pattern(name, case_sensitive=case_sensitive) if ctx.wordlists else None
    if pattern is None:
        return []
    out = []
    for f, m in ctx.finditer(pattern):
        if not quoted and in_quotes(f.text, m.start()):
            continue
        if unless and unless(f, m):
            continue
        out.append((f, m))
    return out


# ---------------------------------------------------------------------------------- G9
@check("G9", area="General", question="Are generalisations avoided: is it clear what is meant by phrases like 'historical concerns' or 'poor mental health'?",
       source=f"{SRC} (generalisations)")
def generalisations(ctx):
    hits = _hits(ctx, "generalisations", unless=lambda f, m: _has_specifics(ctx, f.text, m.start(), m.end()))
    if not hits:
        return Result("yes", "None of the listed generalisations is used without specifics in the same sentence.")
    found = sorted({m.group(0).lower() for _, m in hits})
    actions = [f"Replace '{t}' with specifics: {ctx.wordlists.note('generalisations', t) or 'say what happened, when, and the source'}." for t in found]
    return Result(grade(len(hits)), f"{plural(len(hits), 'generalisation')} without specifics: " + ", ".join(f"'{t}'" for t in found) + ".",
                  actions, [ctx.evidence(f.path, m.start(), m.end()) for f, m in hits])


# ---------------------------------------------------------------------------------- G10
@check("G10", area="General", question="Is the report non-judgemental and balanced, without loaded wording or graphic detail?",
       source=f"{SRC} (non-judgemental); App. 8 General guidance 'non-judgemental language' and 'avoid graphic details'")
def judgemental(ctx):
    hits = _hits(ctx, "judgemental")
    if not hits:
        unbalanced = parents_without_strengths(ctx)
        if not unbalanced:
            return Result("yes", "No judgemental or loaded wording was found, and the report gives each parent's strengths as well as the difficulties.")
        return Result("review", "No judgemental or loaded wording was found. The report says little that is positive about "
                      + " and ".join(unbalanced) + "; check that the account is balanced.")
    found = sorted({re.sub(r"\s+", " ", m.group(0).lower()) for _, m in hits})
    actions = [f"Reword '{t}': {ctx.wordlists.note('judgemental', t) or 'describe what happened, neutrally'}." for t in found]
    return Result(grade(len(hits)), f"{plural(len(hits), 'judgemental or loaded expression')}: " + ", ".join(f"'{t}'" for t in found) + ".",
                  actions, [ctx.evidence(f.path, m.start(), m.end()) for f, m in hits])


_STRENGTH_RE = re.compile(r"\b(?:lov(?:e|es|ed|ing)|warm|affectionate|caring|kind|gentle|funny|humour|playful|attentive|proud|committed|"
                          r"consistent(?:ly)?|good (?:at|with|sense)|strengths?|positive|tender|cares|enjoy\w*|talented|hard-?working|"
                          r"attended|reliable|honest|open|insight|sensitive)\b", re.I)


def parents_without_strengths(ctx) -> list[str]:
    """Identified parents of whom the report says nothing positive (a balanced account gives
    strengths as well as difficulties; seed 003 App. 8 'balanced')."""
    out = []
    for i, p in enumerate(as_list(ctx.data.get("birth_parents"))):
        p = as_dict(p)
        if p.get("identified") is False or not isinstance(p.get("name"), str) or "not known" in p["name"].lower():
            continue
        text = " ".join(v for _, v in iter_strings(p))
        if len(text.split()) >= 40 and not _STRENGTH_RE.search(text):
            out.append(p["name"])
    return out


# ---------------------------------------------------------------------------------- G11
# An explanation right after a term, or after the noun or two it qualifies ('the pre-proceedings
# process, which gives parents...', 'a core group meeting (the meeting of...)').
_HEAD_NOUNS = r"process|procedure|stage|phase|period|meeting|conference|discussion|hearing|review|letter|plan|order|assessment|framework|programme|work"
_EXPLAINED_AFTER_RE = re.compile(rf"^(?:\s+(?:{_HEAD_NOUNS})s?)?\s*(\(|,\s*(which|that is|meaning|where|when|a |an |the )|\s*-\s|\s*–\s)", re.I)


def _expansion_near(text: str, start: int, end: int, expansion: str) -> bool:
    key = re.sub(r"\(.*?\)", "", expansion).strip().lower()
    key_words = [w for w in re.findall(r"[a-z]+", key) if len(w) > 2][:3]
    window = text[max(0, start - 120):end + 160].lower()
    return bool(key_words) and all(w in window for w in key_words)


def acronym_entry(note: str) -> tuple[str, bool]:
    """(expansion, everyday) from an acronyms.txt note 'expansion' or 'expansion | everyday'."""
    expansion, _, flag = (note or "").partition("|")
    return expansion.strip(), flag.strip().lower() == "everyday"


_APPOSITION_RE = re.compile(r"^\s*(?:,|\s[-\u2013\u2014])\s*(?:a|an|the|which|who|our|their)\b", re.I)
_CAPS_RE = re.compile(r"(?<![\w&-])[A-Z][A-Z&]{1,5}s?(?![\w&-])")
_NOT_ACRONYMS = {"OK", "TV", "DNA", "UK", "USA", "EU", "NHS", "BBC", "PE", "ID", "OFFICIAL", "SENSITIVE", "CV", "PIN", "AM", "PM", "II", "III",
                 "IV", "VI", "VII", "VIII", "IX", "XI", "XII", "DIY", "CD", "DVD", "PC", "HIV", "MRI", "CT", "ECG", "BMI", "IQ", "RSVP", "PS",
                 "GCSE", "GCSEs", "NVQ", "BTEC", "ASAP", "MP", "PTA", "SATs", "SAT", "ICT", "IT", "DJ", "PhD", "MA", "BA", "MSc", "BSc"}


def _initials_before(text: str, start: int, acronym: str) -> bool:
    """'Independent Reviewing Officer (IRO)': the words just before an acronym spell it."""
    letters = acronym.rstrip("s").replace("&", "")
    words = re.findall(r"[A-Za-z][\w'’-]*", text[max(0, start - 160):start])
    words = [w for w in words if w.lower() not in ("and", "of", "for", "the", "in", "to", "with", "on")]
    tail = words[-len(letters):] if len(words) >= len(letters) else []
    return bool(tail) and "".join(w[0].upper() for w in tail) == letters.upper()


def _explained(text: str, start: int, end: int, expansion: str) -> bool:
    after = text[end:end + 3]
    if after.startswith(" (") or after.startswith("("):
        return True  # ACR (expansion)
    if _APPOSITION_RE.match(text[end:end + 12]):
        return True  # 'PAMS, a parenting assessment for ...'
    before = text[max(0, start - 2):start]
    if before.endswith("(") and _initials_before(text, start - 1, text[start:end]):
        return True  # 'Independent Reviewing Officer (IRO)'
    return bool(expansion) and _expansion_near(text, start, end, expansion)


def acronym_findings(ctx, *, everyday: bool = False):
    """The first use of each acronym, when it is not spelled out or explained there or before:
    the acronyms that count against G11, or (everyday=True) those nearly every adult knows
    (GP). Acronyms on the list (with their expansion) and any other run of capitals that the
    report never spells out ('the SMS worker') are both found."""
    terms = ctx.wordlists.terms("acronyms") if ctx.wordlists else {}
    known = {t: acronym_entry(n) for t, n in terms.items()}
    seen, out = set(), []
    explained_anywhere = set()
    candidates = []
    for f in ctx.fields:
        for m in _CAPS_RE.finditer(f.text):
            acr = m.group(0)
            if acr in _NOT_ACRONYMS or (acr not in known and (len(acr.rstrip("s")) < 2 or acr.isdigit())):
                continue
            expansion = known.get(acr, ("", False))[0]
            if _explained(f.text, m.start(), m.end(), expansion) or _initials_before(f.text, m.start(), acr):
                explained_anywhere.add(acr)
            candidates.append((f, m))
    unknown = {m.group(0) for _, m in candidates if m.group(0) not in known}
    words = _dictionary_words(unknown)  # 'NOT', 'THE', shouted words: not acronyms
    names = {t.lower() for t in ctx.name_tokens()}
    words |= {w for w in unknown if w.lower().rstrip("s") in names or w.lower() in names}  # 'JAYDEN:' is a name in capitals
    for f, m in candidates:
        acr = m.group(0)
        if acr in seen:
            continue
        seen.add(acr)
        if (acr not in known and acr in words) or acr in explained_anywhere:
            continue  # spelled out somewhere: a record read from a document does not keep the document's order
        expansion, common = known.get(acr, ("", False))
        if common != everyday:
            continue
        if _explained(f.text, m.start(), m.end(), expansion):
            continue
        if f.path[:2] == ("chronologies", "agency_actions") and acr not in known:
            continue
        out.append((f, m, expansion))
    return out


def _dictionary_words(words: set[str]) -> set[str]:
    """Of words in capitals, those hunspell knows in lower case (an ordinary word typed in capitals)."""
    import shutil
    import subprocess

    binary = shutil.which("hunspell")
    if not binary or not words:
        return set()
    try:
        proc = subprocess.run([binary, "-d", "en_GB", "-i", "UTF-8", "-l"], input="\n".join(sorted(w.lower() for w in words)).encode("utf-8"),
                              capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return set()
    unknown = set(proc.stdout.decode("utf-8", "replace").split())
    return {w for w in words if w.lower() not in unknown}


def jargon_findings(ctx):
    out, seen = [], set()
    for f, m in _hits(ctx, "jargon", unless=lambda f, m: f.path[:1] == ("chronologies",) or f.path[-1] == "source"):
        term = re.sub(r"\s+", " ", m.group(0).lower())
        if term in seen:
            continue
        seen.add(term)
        if _EXPLAINED_AFTER_RE.match(f.text[m.end():m.end() + 40]):
            continue
        out.append((f, m, ctx.wordlists.note("jargon", term)))
    return out


_SOURCE_RE = re.compile(r"self-report|unverified|not (been )?verified|could not be (confirmed|verified)|not confirmed|not been confirmed|source|"
                        r"according to (the |a |her |his )?\w+ (record|report|notes|file|assessment)|police (record|report)|medical record|GP record|confirmed by", re.I)


def unverified_findings(ctx):
    out = []
    for f, m in _hits(ctx, "unverified"):
        s, e = sentence_bounds(f.text, m.start(), m.end())
        if _SOURCE_RE.search(f.text[s:e]):
            continue
        out.append((f, m))
    return out


_POSTCODE_RE = re.compile(r"\b[A-Z]{1,2}[0-9][A-Z0-9]?\s?[0-9][A-Z]{2}\b")
_PHONE_RE = re.compile(r"(?<![\w/])(?:\+44\s?\(?0?\)?\s?|0)(?:\d[\s-]?){9,10}\b")
_EMAIL_RE = re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.-]+\b")
_STREET_RE = re.compile(r"\b\d{1,4}[a-zA-Z]?,?\s+(?:[A-Z][a-z']+\s+){1,3}(?:Road|Street|Avenue|Close|Lane|Drive|Way|Crescent|Court|Gardens|Place|Grove|Terrace|Walk|Rise|Mews|Square|Row|Parade|Hill)\b")
_TITLE_RE = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx)\.?\s+(?:and\s+(?:Mr|Mrs|Ms|Miss)\.?\s+)?([A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b")
_THIRD_PARTY_RE = re.compile(r"\b(?:foster carers?|carers?|adopters?|adoptive (?:parents?|mother|father|mum|dad)|prospective adopters?|"
                             r"(?:new |current )?(?:partner|boyfriend|girlfriend|husband|wife|fiancée?)),?\s+(?:(?:is|are|was|were|named|called)\s+)?"
                             r"([A-Z][a-z]+)\s+(?:and\s+[A-Z][a-z]+\s+)?([A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b")
_RELATIONSHIP_RE = re.compile(r"\b(?:relationship|lives|living|married|engaged)\s+(?:with|to)\s+([A-Z][a-z]+)\s+([A-Z][a-z]+(?:-[A-Z][a-z]+)?)\b")


_THIRD_PARTY_WORDS = re.compile(r"\b(?:foster carers?|carers?|adopters?|adoptive|prospective adopters?|partner|boyfriend|girlfriend|husband|wife|"
                                r"fianc\u00e9e?|neighbours?|lodger)\b", re.I)
_PROFESSIONAL_WORDS = re.compile(r"\b(?:worker|service|line|office|team|social worker|adviser|advocate|officer|duty|helpline|charity|agency|"
                                 r"independent|psychologist|doctor|dr|paediatrician|judge|guardian|solicitor|barrister)\b", re.I)


def _about_third_party(text: str, start: int, end: int) -> bool:
    """Whether a detail in a sentence is about a carer, an adopter or a new partner (not a
    professional or a service, whose numbers and names may be given)."""
    s, e = sentence_bounds(text, start, end)
    sentence = text[s:e]
    return bool(_THIRD_PARTY_WORDS.search(sentence)) and not _PROFESSIONAL_WORDS.search(text[max(s, start - 60):min(e, end + 40)])


_MONTH_BEFORE_RE = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s*$", re.I)
_COURT_OF_LAW_RE = re.compile(r"\b(?:Family|Crown|County|Magistrates'?|High|Youth|Combined|Appeal)\s+Court$")


def _not_an_address(text: str, m: re.Match) -> bool:
    """A match of the street pattern that is no address: the year of a date before a name
    ('7 September 2026, Family Court'), or a court of law ('the Family Court')."""
    return bool(_MONTH_BEFORE_RE.search(text[max(0, m.start() - 12):m.start()]) or _COURT_OF_LAW_RE.search(m.group(0)))


def _carers_field(path) -> bool:
    """A field about the child's carers or placement, where any detail is the carers'."""
    return any(isinstance(p, str) and ("carer" in p or "placement" in p or "adopter" in p) for p in path)


def privacy_findings(ctx):
    """(field, start, end, kind, words) for each identifying detail of a third party."""
    family = ctx.family_surnames()
    out = []
    for f in ctx.fields:
        for kind, rx in (("postcode", _POSTCODE_RE), ("phone number", _PHONE_RE), ("email address", _EMAIL_RE), ("street address", _STREET_RE)):
            for m in rx.finditer(f.text):
                if kind in ("phone number", "email address") and not (_carers_field(f.path) or _about_third_party(f.text, m.start(), m.end())):
                    continue  # a service's or a worker's number is no one's private detail
                if kind == "street address" and _not_an_address(f.text, m):
                    continue
                out.append((f, m.start(), m.end(), kind, m.group(0)))
        for m in _TITLE_RE.finditer(f.text):
            if m.group(1) not in family and (_carers_field(f.path) or _about_third_party(f.text, m.start(), m.end())):
                out.append((f, m.start(), m.end(), "surname", m.group(0)))
        for m in list(_THIRD_PARTY_RE.finditer(f.text)) + list(_RELATIONSHIP_RE.finditer(f.text)):
            if m.group(2) not in family and not any(o[0] is f and o[1] <= m.start(2) < o[2] for o in out):
                out.append((f, m.start(1), m.end(2), "full name", m.group(0)))
    return out


@check("G11", area="General", question="Is difficult information written clearly and sensitively for the adopted adult: acronyms and jargon explained, unverified information marked, no identifying details of third parties?",
       source=f"{SRC} (difficult information); App. 8 General guidance on acronyms, jargon, self-reported information and third parties' identifying information")
def difficult_information(ctx):
    from permanence.checks.text import label

    from permanence.checks.disputed import disputed_as_fact, unsourced_crimes

    acronyms, jargon, unverified, private = acronym_findings(ctx), jargon_findings(ctx), unverified_findings(ctx), privacy_findings(ctx)
    disputed = disputed_as_fact(ctx)
    crimes = [c for c in unsourced_crimes(ctx) if not any(c[0] is d[0] and c[1] == d[1] for d in disputed)]
    everyday = acronym_findings(ctx, everyday=True)
    comments, actions, ev, privacy = [], [], [], []
    if acronyms:
        comments.append(f"Acronyms not spelled out at first use: {', '.join(m.group(0) for _, m, _ in acronyms)}.")
        actions += [f"Spell out {m.group(0)} at its first use: '{x} ({m.group(0)})'." if x else
                    f"Spell out {m.group(0)} at its first use, or say what it is." for _, m, x in acronyms]
        ev += [ctx.evidence(f.path, m.start(), m.end()) for f, m, _ in acronyms]
    if jargon:
        comments.append(f"Jargon without explanation: {', '.join(repr(m.group(0)) for _, m, _ in jargon)}.")
        actions += [f"Explain or replace '{m.group(0)}': {note}." for _, m, note in jargon if note]
        ev += [ctx.evidence(f.path, m.start(), m.end()) for f, m, _ in jargon]
    if unverified:
        comments.append(f"{plural(len(unverified), 'statement')} of hearsay or unverified information without its source or status.")
        actions.append("For each statement marked, say where the information came from and whether it was verified or is self-reported, or leave it out if it is not significant.")
        ev += [ctx.evidence(f.path, m.start(), m.end()) for f, m in unverified]
    if disputed:
        who = sorted({w for *_, w in disputed})
        comments.append(f"{plural(len(disputed), 'allegation')} written as fact although the report says {' and '.join(who)} "
                        f"{'denies' if len(who) == 1 else 'deny'} it.")
        actions.append("Attribute each allegation marked to its source (who said it, and whether a court or an assessment "
                       "found it proven) and give the parent's own account beside it.")
        ev += [ctx.evidence(f.path, s, e) for f, s, e, _ in disputed]
    if crimes:
        comments.append(f"{plural(len(crimes), 'allegation')} of a crime written as fact with no source, finding or conviction.")
        actions.append("For each allegation marked, say where it comes from (a police record, a court's finding, a conviction, "
                       "who reported it) or write it as an allegation, with the person's own account.")
        ev += [ctx.evidence(f.path, s, e) for f, s, e, _ in crimes]
    if private:
        comments.append(f"{plural(len(private), 'identifying detail')} of third parties (carers, adopters, new partners): " + ", ".join(sorted({k for *_, k, _ in private})) + ".")
        actions.append("Remove the identifying details of foster carers, adopters and parents' new partners (addresses, postcodes, phone numbers, e-mail addresses, surnames); describe them by role, for example 'the foster carers'.")
        ev += [ctx.evidence(f.path, s, e) for f, s, e, _, _ in private]
        privacy = [f"{label(f.path)}: {kind} '{words}'" for f, s, e, kind, words in private]
    # Everyday acronyms (GP) do not count against the item; spelling them out is only suggested.
    suggestion = (f"Widely understood, so not counted: {', '.join(m.group(0) for _, m, _ in everyday)}; an adult reading the report "
                  "years later may still find " + ", ".join(f"'{x} ({m.group(0)})'" for _, m, x in everyday) + " clearer at first use.") if everyday else ""
    if not comments:
        return Result("yes", "No unexplained acronyms or jargon, no unmarked hearsay, no disputed allegation written as fact and no "
                      "third-party identifying details were found."
                      + (" " + suggestion if suggestion else ""))
    if suggestion:
        comments.append(suggestion)
    count = len(acronyms) + len(jargon) + len(unverified) + len(disputed) + len(crimes)
    answer = "no" if private else grade(count, partial_up_to=3)
    return Result(answer, " ".join(comments), actions, ev, privacy)
