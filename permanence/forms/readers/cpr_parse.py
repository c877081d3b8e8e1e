"""Small readers of what a CPR's text says: dates as the report writes them, dated
chronology lines, people named at the start of a paragraph, lead-in labels, and the
codes of the schema's choices for words a report uses."""
from __future__ import annotations

import datetime as dt
import re

MONTHS = {m.lower(): i for i, m in enumerate(
    ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"], 1)}
MONTHS.update({name[:3]: i for name, i in list(MONTHS.items())})
MONTHS["sept"] = 9
MONTH = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
DAY_MONTH_YEAR = rf"\d{{1,2}}(?:st|nd|rd|th)?\s+{MONTH},?\s+\d{{4}}"
NUMERIC = r"\d{1,2}[/.-]\d{1,2}[/.-]\d{4}|\d{4}-\d{2}-\d{2}"
MONTH_YEAR = rf"{MONTH}\s+\d{{4}}|\d{{1,2}}/\d{{4}}"
YEAR = r"(?:19|20)\d{2}"
ONE_DATE = rf"(?:{DAY_MONTH_YEAR}|{NUMERIC}|{MONTH_YEAR}|{YEAR})"
ANY_DATE = re.compile(rf"\b(?:{DAY_MONTH_YEAR}|{NUMERIC})\b", re.IGNORECASE)
APPROX = r"(?:(?:about|around|circa|c\.|approximately|early|mid|late|summer|spring|autumn|winter|end of|beginning of)\s+)?"
SPAN = rf"{APPROX}(?:{ONE_DATE}|{MONTH})(?:\s*(?:–|—|-|to|until)\s*(?:{ONE_DATE}|present|now|date))?"
DATED_LINE = re.compile(rf"^\s*(?:[•·\-–*]\s*)?(?P<date>{SPAN}|{APPROX}{ONE_DATE})\s*(?::|–|—|-|,)\s+(?P<event>\S.*)$", re.IGNORECASE | re.DOTALL)
# "On 4 May 2025 the health visitor ... (record)", "In May 2023 Elis was christened ...": a
# chronology written as sentences opening with their date.
DATED_SENTENCE = re.compile(rf"^\s*(?:[•·\-–*]\s*)?(?:on|in|during|by|from)\s+(?P<date>{SPAN}|{APPROX}{ONE_DATE}),?\s+(?P<event>[A-Za-z\"“‘'(].*)$",
                            re.IGNORECASE | re.DOTALL)
TRAILING_SOURCE = re.compile(r"\s*\((?P<source>[^()]{2,120})\)\s*[.;]?\s*$")
LEAD_IN = re.compile(r"^\s*(?P<label>[A-Z][^:.?!\n]{1,60}?)\s*(?P<mark>:|\.|–|—)\s+(?P<rest>\S.*)$", re.DOTALL)
QUOTE = re.compile(r"[\"“]([^\"”]{3,})[\"”]")
UP, LO = "A-ZÀ-ÖØ-ÞĀ-Ž", "a-zß-öø-ÿĀ-ž"  # capitals and small letters, accents too: Siobhán, Bríd, Łukasz
NAME_WORD = rf"(?:O['’][{UP}][{LO}]+|Ma?c[{UP}][{LO}]+|[{UP}][{LO}'’]+(?:-[{UP}{LO}][{LO}'’]+)*)"  # Ward, Pennock-Ward, O'Neill, McKay
NAME = rf"{NAME_WORD}(?:\s+(?:{NAME_WORD}|de|van|von|le|la))*"
LEADING_PERSON = re.compile(rf"^\s*(?:[•·\-–*]\s*)?(?P<name>{NAME}(?:\s+and\s+{NAME})?)\s*(?:\((?P<rel1>[^)]{{3,60}})\)|,\s*(?P<rel2>[^,.;:–—]{{3,60}}))")
RELATION_WORDS = re.compile(r"\b(?:brother|sister|sibling|half|grandmother|grandfather|grandparents?|aunt|uncle|cousin|mother|father|"
                            r"friend|step|partner|godparent|great|nan|grandad)\b", re.IGNORECASE)


def to_iso(text: str) -> tuple[str | None, bool]:
    """(YYYY-MM-DD, approximate) for a date as a report writes it; (None, False) if none.
    A month or a year alone, or a span, gives its first day, marked approximate."""
    value = (text or "").strip().rstrip(".,;:")
    approx = bool(re.match(r"^(?:about|around|circa|c\.|approximately|early|mid|late|summer|spring|autumn|winter|end of|beginning of)\b",
                           value, re.IGNORECASE))
    value = re.sub(r"^(?:about|around|circa|c\.|approximately|early|mid|late|summer|spring|autumn|winter|end of|beginning of)\s+", "", value,
                   flags=re.IGNORECASE)
    span = re.split(r"\s*(?:–|—|\bto\b|\buntil\b)\s*|\s+-\s+|(?<=\d)-(?=\d{1,2}/)|(?<=\d{4})-(?=\d{4})|(?<=\d{4})–(?=\d{4})", value, maxsplit=1)
    if len(span) == 2:
        first, second = span
        approx = True
        if re.fullmatch(MONTH, first.strip(), re.IGNORECASE):  # "May – December 2023"
            year = re.search(r"\d{4}", second)
            first = f"{first} {year.group(0)}" if year else first
        value = first
    value = value.strip()
    try:
        m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", value)
        if m:
            return dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat(), approx
        m = re.fullmatch(rf"(\d{{1,2}})(?:st|nd|rd|th)?\s+({MONTH}),?\s+(\d{{4}})", value, re.IGNORECASE)
        if m:
            return dt.date(int(m[3]), MONTHS[m[2].lower().rstrip(".")[:3]], int(m[1])).isoformat(), approx
        m = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", value)
        if m:
            return dt.date(int(m[3]), int(m[2]), int(m[1])).isoformat(), approx
        m = re.fullmatch(rf"({MONTH})\s+(\d{{4}})", value, re.IGNORECASE)
        if m:
            return dt.date(int(m[2]), MONTHS[m[1].lower().rstrip(".")[:3]], 1).isoformat(), True
        m = re.fullmatch(r"(\d{1,2})/(\d{4})", value)
        if m:
            return dt.date(int(m[2]), int(m[1]), 1).isoformat(), True
        m = re.fullmatch(YEAR, value)
        if m:
            return dt.date(int(value), 1, 1).isoformat(), True
    except (ValueError, KeyError):
        return None, False
    return None, False


def first_date(text: str) -> str | None:
    """The first full date (day, month, year) written in a text, as YYYY-MM-DD."""
    for m in ANY_DATE.finditer(text or ""):
        iso, _ = to_iso(m.group(0))
        if iso:
            return iso
    return None


def dates(text: str) -> list[tuple[str, int]]:
    """Every full date in a text: (YYYY-MM-DD, where it starts)."""
    out = []
    for m in ANY_DATE.finditer(text or ""):
        iso, _ = to_iso(m.group(0))
        if iso:
            out.append((iso, m.start()))
    return out


def dated_line(text: str) -> dict | None:
    """A chronology entry from "12/03/2024: event (source)" or "May 2020 – event"; None if the
    line does not start with a date. A line typed as cells ("01/02/2024<tab>event<tab>source") too."""
    text = re.sub(r"^\s*\d{1,3}[.)]\s+(?=\d)", "", text or "")  # "1. 21/11/2014 – Mia born ...": a typed list number
    if "\t" in (text or ""):
        cells = [c.strip() for c in text.split("\t") if c.strip()]
        iso, approx = to_iso(cells[0]) if cells else (None, False)
        if iso and len(cells) >= 2:
            return {"date": iso, **({"date_approximate": True} if approx else {}), "event": cells[1],
                    **({"source": "; ".join(cells[2:])} if len(cells) > 2 else {})}
    m = DATED_LINE.match(text or "") or DATED_SENTENCE.match(text or "")
    if not m:
        return None
    iso, approx = to_iso(m.group("date"))
    if not iso:
        return None
    event = m.group("event").strip()
    entry = {"date": iso}
    if approx:
        entry["date_approximate"] = True
    src = TRAILING_SOURCE.search(event)
    if src and not re.search(r"\d{4}", src.group("source")[:4]):
        entry["source"] = src.group("source").strip()
        event = event[:src.start()].rstrip()
    dash = re.search(r"\s+[-–—]\s+(?P<source>[^-–—]{2,60})$", event)  # "12.03.2024 - event - hospital records"
    if "source" not in entry and dash and len(dash.group("source").split()) <= 6 and not re.search(r"\d{4}", dash.group("source")):
        entry["source"] = dash.group("source").strip().rstrip(".")
        event = event[:dash.start()].rstrip()
    entry["event"] = event
    return entry


def lead_in(text: str) -> tuple[str, str] | None:
    """("Childhood and being parented", rest) for "Childhood and being parented: ...", or a
    label ended by a full stop ("What Danielle looks like. Danielle is..."); None otherwise."""
    m = LEAD_IN.match(text or "")
    if not m or len(m.group("label").split(" / ")[0].split()) > 8:
        return None
    # a bilingual label ("Date of birth / Dyddiad geni") by its first wording
    return m.group("label").split(" / ")[0].strip(), m.group("rest").strip()


def leading_person(text: str) -> tuple[str, str] | None:
    """(name, relationship) for a paragraph starting "Kieran Dawes, paternal half-brother, ..." or
    "Pauline Whitfield (maternal grandmother) ..."; None unless the relationship reads as one."""
    m = LEADING_PERSON.match(text or "")
    if not m:
        return None
    rel = (m.group("rel1") or m.group("rel2") or "").strip()
    if not RELATION_WORDS.search(rel):
        return None
    return m.group("name").strip(), rel


QUESTION_WORDS = re.compile(r"^(?:what|who|where|when|why|how|is|are|has|have|does|do|did|was|were|can|please|describe|tell|give)\b", re.IGNORECASE)
NOT_A_NAME = re.compile(r"^(?:other|all|any|the|my|our|your|his|her|their|older|younger|half|full|step|no|none|about|work|contact|"
                        r"brothers?|sisters?|siblings?|family|children|photographs?|details?|information)\b", re.IGNORECASE)


def person_heading(text: str) -> tuple[str, str] | None:
    """(name, relationship) for a heading naming one person: "Maisie Dobson (maternal
    half-sister)", "Kai – full brother", "Callum Pennock-Ward, paternal half-brother". None for
    a question, a sentence, or words that name a group ("Other siblings", "My brothers")."""
    t = (text or "").strip()
    if not t or t.endswith("?") or QUESTION_WORDS.match(t) or NOT_A_NAME.match(t) or len(t.split()) > 12:
        return None
    found = leading_person(t)
    if found:
        return found
    m = re.match(rf"^(?P<name>{NAME})\s*(?:[–—:]|\s-)\s*(?P<rel>[^.;]{{3,60}})$", t)
    if m and RELATION_WORDS.search(m.group("rel")):
        return m.group("name").strip(), m.group("rel").strip()
    return None


NOT_SUBJECT = re.compile(r"^(?:she|he|they|i|you|we|it|this|that|the|on|in|at|when|after|before|since|both|her|his|their|"
                         r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|" + MONTH.replace("\\.?", "") + r")$", re.IGNORECASE)


def born_of(text: str, name: str) -> str | None:
    """The date of birth a text gives for the person `name` (a full or first name): "Born 5
    June 2001", "Chloe was born on ...", "Tyler Whitfield, born 3 August 2019"; not the birth of
    someone else named nearer the word ("... her son Kai, born 2019")."""
    words = re.findall(r"[A-Za-z'’-]+", name or "")
    own = {w.lower() for w in (words[:-1] if len(words) > 1 else words)}  # first names: a surname is shared in families
    for sentence in re.split(r"(?<=[.;!?])\s+|\n", text or ""):
        label = lead_in(sentence)
        if label is not None and ":" in sentence[:len(label[0]) + 2]:
            sentence = label[1]  # "Identity: Born 5 June 2001 ..."
        for m in re.finditer(r"\bborn\b(?:\s+on)?\s+", sentence, re.IGNORECASE):
            found = [(iso, at) for iso, at in dates(sentence) if m.end() <= at <= m.end() + 12]
            if not found:
                continue
            before = [n.split() for n in re.findall(NAME, sentence[:m.start()])]
            before = [[w for w in n if not NOT_SUBJECT.match(w)] for n in before]
            before = [n for n in before if n]
            if not before or re.sub(r"['’]s$", "", before[-1][0]).lower() in own:
                return found[0][0]
            return None
    return None


PARENT_NAMED = re.compile(rf"^\s*(?P<a>{NAME})\s+(?:is|was)\s+(?:[A-Z][a-z]+['’]s\s+)?(?:birth\s+)?(?P<r1>mother|father)\b|"
                          rf"\b(?:the\s+|[A-Z][a-z]+['’]s\s+)?(?:birth\s+)?(?P<r2>mother|father)(?:['’]s\s+(?:full\s+)?name)?\s+is\s+(?P<b>{NAME})\b")


def parent_named(text: str, relationship: str) -> str | None:
    """The full name a sentence gives a birth parent: "Chloe Ashdown is Poppy's birth mother",
    "Poppy's father is Ryan Lee Carter"; one word is no full name ("Her mother is Polish")."""
    for m in PARENT_NAMED.finditer(text or ""):
        name, rel = (m.group("a"), m.group("r1")) if m.group("a") else (m.group("b"), m.group("r2"))
        if rel == relationship and len(name.split()) >= 2 and not NOT_A_NAME.match(name):
            return name
    return None


def quotes(text: str) -> list[str]:
    return [q.strip() for q in QUOTE.findall(text or "")]


def sentences_with(text: str, pattern: re.Pattern) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-Z\"“])", text or "") if pattern.search(s)]


# ---- codes of the schema's choices, from the words reports use -------------------------------------

LEGAL_STATUS = [  # the strongest order a text says was made, first
    ("placement_order", r"\bplacement orders?\b"), ("adoption_order", r"\badoption order\b"),
    ("special_guardianship_order", r"\bspecial guardianship order\b"), ("care_order", r"(?<!interim )\bcare order\b|\bfull care order\b"),
    ("interim_care_order", r"\binterim care order\b|\bICO\b"), ("emergency_protection_order", r"\bemergency protection order\b|\bEPO\b"),
    ("police_protection", r"\bpolice protection\b"), ("section_20", r"\bsection 20\b|\bs\.?\s?20\b|\baccommodated\b"),
    ("child_arrangements_order", r"\bchild arrangements order\b"), ("supervision_order", r"\bsupervision order\b"),
]
PLACEMENT_TYPE = [
    ("foster_for_adoption", r"\bfoster(?:ing|er)? (?:to|for) adopt(?:ion)?\b|\bFfA\b"), ("concurrent_planning", r"\bconcurrent\b"),
    ("adoptive_placement", r"\bprospective adopters?\b|\badoptive placement\b"), ("long_term_foster_care", r"\blong[- ]term foster"),
    ("connected_carer", r"\bconnected (?:person|carer)s?\b|\bkinship\b|\bfamily and friends? carers?\b"),
    ("parent_and_child", r"\bparent and (?:child|baby)\b|\bmother and baby\b"), ("residential", r"\bresidential\b|\bchildren's home\b"),
    ("foster_care", r"\bfoster(?:ing)? carers?\b|\bfoster (?:home|placement|care)\b"), ("with_parents", r"\bplaced with (?:her|his) parents\b"),
]
OPTIONS = [
    ("foster_for_adoption", r"foster(?:ing)? for adoption"), ("concurrent_planning", r"concurrent"),
    ("special_guardianship", r"special guardian|\bSGO\b"), ("child_arrangements_order", r"child arrangements"),
    ("long_term_fostering", r"long[- ]term foster|permanent foster|foster care"), ("connected_carer_fostering", r"connected|kinship|famil(?:y|ies) and friends|grandparent|grandmother|aunt|uncle|relative"),
    ("long_term_residential", r"residential"), ("reunification", r"return|reunifi|rehabilitat|home to|go home"),
    ("remain_at_home", r"remain at home|stay at home|with (?:the|her|his|both) parents?|birth parents?\b|mother|father"),
    ("adoption", r"adopt"), ("independence", r"independen"),
]


NOT_MADE = re.compile(r"\b(?:application|apply|applied|applying|will (?:ask|apply|seek|be|request)|would be|to be (?:sought|made)|intends?|plan(?:s|ned)? to|seek|sought|"
                      r"ask(?:s|ed|ing)? (?:the court )?for|listed|if the court|discharged|ended)\b", re.IGNORECASE)


def order_in_force(text: str) -> str | None:
    """The strongest order a text says was made (sentences about an application or a plan
    for an order do not count)."""
    # each clause alone: "ICO made 12 January 2024; final hearing listed 7 April, when the council will ask for a placement order"
    kept = " ".join(s for s in re.split(r"(?<=[.;])\s+|,\s+(?=(?:when|where|at which|and|but)\b)", text or "") if not NOT_MADE.search(s))
    return code_for(kept, LEGAL_STATUS)


def code_for(text: str, table: list) -> str | None:
    for code, pattern in table:
        if re.search(pattern, text or "", re.IGNORECASE):
            return code
    return None


def gender(text: str) -> str:
    word = (text or "").strip().lower()
    if word in {"male", "m", "boy", "man"}:
        return "male"
    if word in {"female", "f", "girl", "woman"}:
        return "female"
    if word in {"not known", "unknown"}:
        return "not_known"
    return text.strip()


_SIBLING_WORDS = re.compile(r"\b(?:brother|sister|sibling|twin)s?\b|half-", re.IGNORECASE)
_RELATIVE_WORDS = re.compile(r"\b(?:grand\w*|great-\w+|nan|nana|aunt\w*|uncle|cousin|niece|nephew|godparent|godmother|godfather|"
                             r"family friend|friend|partner|step-?(?:mother|father)|(?:maternal|paternal) (?:relative|family))\b", re.IGNORECASE)


def not_a_sibling(relation: str) -> bool:
    """A relationship that names a relative who is no brother or sister ("maternal grandmother", "paternal uncle")."""
    return bool(relation) and not _SIBLING_WORDS.search(relation) and bool(_RELATIVE_WORDS.search(relation))


def relationship(text: str) -> str | None:
    """The sibling relationship code for words like "maternal half-sister"."""
    t = (text or "").lower()
    if "step" in t:
        return "step"
    if "maternal" in t and "half" in t:
        return "maternal_half"
    if "paternal" in t and "half" in t:
        return "paternal_half"
    if "full" in t or re.search(r"\b(?:brother|sister)\b", t) and "half" not in t:
        return "full"
    return None


_RELATIVE = r"(?:(?:maternal|paternal) )?(?:grandmother|grandfather|grandparents|great-\w+|aunt|uncle|cousin|sister|brother|family friend|friend|relatives?)"
_VIABILITY_OF = re.compile(rf"\bviability assessment (?:of|for|on) (?:(?:Mr|Mrs|Ms|Miss|Mx)\.? )?(?P<name>{NAME})(?:,\s*(?:the child's |her |his )?(?P<rel>{_RELATIVE}))?", re.IGNORECASE)
_VIABILITY_OWNER = re.compile(rf"\b(?:the )?(?P<rel>{_RELATIVE})['’]s? viability assessment", re.IGNORECASE)


def viability_subject(text: str) -> tuple[str, str] | None:
    """(name, relationship) of the relative a viability sentence is about ("A viability assessment of Ms
    Rehana Begum, maternal aunt, was ...", "The maternal grandparents' viability assessment ..."); None if none."""
    m = _VIABILITY_OF.search(text or "")
    if m and not NOT_A_NAME.match(m.group("name")):
        return m.group("name"), (m.group("rel") or "")
    m = _VIABILITY_OWNER.search(text or "")
    if m:
        return m.group("rel")[:1].upper() + m.group("rel")[1:], m.group("rel")
    return None

