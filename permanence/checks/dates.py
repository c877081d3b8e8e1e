"""Dates (G8): dates of birth the same everywhere, ages matching dates, chronologies in
date order, nothing before a birth or after the report; dates written in words."""
from __future__ import annotations

import datetime as dt
import re

from permanence.checks import Result, check
from permanence.checks.text import age_on, as_dict, as_list, get, parse_date, sentence_bounds, uk
from permanence.checks.names import first_name, names_match

SRC = "seed 003 App. 8 audit form, General"


# ---------------------------------------------------------------------------------- G8
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"]
_TEXT_DATE_RE = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(" + "|".join(m.title() for m in MONTHS) + r")\s+(\d{4})\b|\b(\d{1,2})[/.](\d{1,2})[/.](\d{4})\b")  # '14 September 2023', '14/09/2023', '14.09.2023'
_BORN_RE = re.compile(r"\bborn\b(?:\s+(?:on|at\s+\S+\s+on))?\s*", re.I)
# an entry after the report's date that is a meeting, a panel or a hearing yet to come is planned, not a wrong date
_PLANNED_RE = re.compile(r"\b(?:next|planned|due|booked|listed|will|scheduled|expected|earliest|to be held|hearing on|review of|"
                         r"(?:matching|adoption|permanence) panel|panel date|introductions|final hearing)\b", re.I)
_PREBIRTH_RE = re.compile(r"pregnan|antenatal|ante-natal|pre-birth|prebirth|unborn|midwife|conceiv|scan\b|booking|expected|due date|gestation", re.I)


def text_date(m: re.Match) -> dt.date | None:
    try:
        if m.group(1):
            return dt.date(int(m.group(3)), MONTHS.index(m.group(2).lower()) + 1, int(m.group(1)))
        return dt.date(int(m.group(6)), int(m.group(5)), int(m.group(4)))
    except ValueError:
        return None


NUMBER_WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven", "twelve",
                "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty"]
_N = r"(\d{1,2}|" + "|".join(NUMBER_WORDS) + r")"
# "seven weeks old", "three-year-old", "aged 3 years 6 months", "is now 20 months old"
_AGE_RE = re.compile(rf"\b(?P<hedge>(?:nearly|almost|about|around|approximately|just over|just under|over|under)\s+)?{_N}(?P<half>\s+and\s+a\s+half)?[\s-](?P<unit>week|month|year)s?"
                     rf"(?:,?\s+(?:and\s+)?{_N}\s+(?P<unit2>week|month)s?)?(?P<old>[\s-]old)?\b", re.I)
_PRESENT_RE = re.compile(r"\b(?:is|aged|now|turns)\b|['\u2019]s\s+(?:now\s+)?(?:a\s+|an\s+)?\S*$", re.I)
_PAST_RE = re.compile(r"\b(?:was|were|when|at the time|had been|born|until|since|before|after|by the time|will be|would be|until)\b", re.I)


def _number(word: str) -> int:
    return int(word) if word.isdigit() else NUMBER_WORDS.index(word.lower())


def age_in_units(born: dt.date, on: dt.date, unit: str) -> float:
    """How old someone born on `born` is on `on`, in weeks, months or years (with fractions)."""
    if unit == "week":
        return (on - born).days / 7
    months = (on.year - born.year) * 12 + on.month - born.month - (on.day < born.day)
    return months if unit == "month" else months / 12


def stated_ages(ctx):
    """(field, match, person, stated, actual, unit) for each present-tense age in words that
    follows the name of a person whose date of birth the report gives ('Ivy is now seven
    weeks old'), where the stated age does not fit the date of birth on the report's date."""
    on = ctx.report_date or ctx.as_of
    people = [(first_name(p.name), p) for p in ctx.people if p.date_of_birth and p.role in ("child", "sibling")]
    out = []
    for f, m in ctx.finditer(_AGE_RE):
        if f.path[:1] == ("chronologies",):
            continue  # a chronology tells what happened then ('Amara, aged 10 months, placed with ...')
        if not (m.group("old") or f.text[max(0, m.start() - 6):m.start()].lower().strip().endswith("aged")):
            continue
        s, _ = sentence_bounds(f.text, m.start(), m.end())
        before = f.text[s:m.start()]
        names = [(mm.start(), p) for fn, p in people if fn for mm in re.finditer(rf"\b{re.escape(fn)}\b", before, re.I)]
        if not names:
            continue
        at, person = max(names, key=lambda x: x[0])
        between = before[at:]
        if _PAST_RE.search(between + " " + f.text[m.end():m.end() + 40].split(".")[0]) or not _PRESENT_RE.search(between):
            continue
        unit = m.group("unit").lower()
        stated = _number(m.group(2))
        if m.group("unit2") and m.group(5):
            extra = _number(m.group(5))
            if unit == "year" and m.group("unit2").lower() == "month":
                stated, unit = stated * 12 + extra, "month"
        actual = age_in_units(person.date_of_birth, on, unit)
        hedge = (m.group("hedge") or "").lower().strip()
        low, high = (stated - 1, stated + 1) if hedge else (stated, stated + 1)
        if m.group("half"):  # "three and a half years old": from three and a half to four
            low, high = (stated, stated + 1.25) if hedge else (stated + 0.5, stated + 1)
        if unit == "week":
            low, high = low - 0.5, high + 0.5
        if not (low <= actual < high):
            out.append((f, m, person, m.group(0), actual, unit))
    return out


def chronology_lists(ctx):
    chron = as_dict(ctx.data.get("chronologies"))
    out = [(("chronologies", "agency_actions"), as_list(chron.get("agency_actions")), None),
           (("chronologies", "child"), as_list(chron.get("child")), ctx.child_dob)]
    parents = as_list(ctx.data.get("birth_parents"))
    for i, c in enumerate(as_list(chron.get("parents"))):
        dob = None
        for p in parents:
            if names_match(get(p, "name") or "", get(c, "parent") or ""):
                dob = parse_date(get(p, "date_of_birth"))
        out.append((("chronologies", "parents", i, "entries"), as_list(get(c, "entries")), dob))
    return out


# Where a report states a birth: 'Poppy Rose Smith, born 17 July 2025', 'Kai was born on ...',
# 'Kai (born ...)'; and, in a chronology entry, the person the entry says was born.
_NAME = r"(?P<name>[A-Z][a-z'\u2019-]+)(?:\s+[A-Z][a-z'\u2019-]+){0,3}"
_STATED_BIRTH_RE = re.compile(_NAME + r"(?:,|\s+\()?\s*(?:who\s+)?(?:was\s+)?born(?:\s+on)?\s+(?=\d)")
_ENTRY_BIRTH_RES = (re.compile(r"^\W*" + _NAME + r"(?:,?\s+(?:you|he|she)\s+(?:were|was))?\s+(?:was\s+)?born\b"),
                    re.compile(r"\bbirth of\s+" + _NAME), re.compile(r"^\W*" + _NAME + r"['\u2019]s birth\b"))
_NOT_A_NAME = {"she", "he", "you", "they", "baby", "the", "a", "an", "when", "after", "before", "was", "who", "his", "her"}


def stated_births(ctx) -> dict:
    """First name -> {date: first place (path, start, end)} for every birth the report states in
    its narrative or its chronologies, for people named in the report (its name fields, or a
    full name written beside 'born')."""
    known = {first_name(p.name) for p in ctx.people} - {""}
    out: dict = {}
    for f in ctx.fields:
        if f.path[:1] == ("chronologies",):
            continue
        for m in _STATED_BIRTH_RE.finditer(f.text):
            d = _TEXT_DATE_RE.match(f.text, m.end())
            name = m.group("name").lower()
            if not d or not text_date(d) or name in _NOT_A_NAME or (name not in known and len(m.group(0).split()) < 3):
                continue
            known.add(name)
            out.setdefault(name, {}).setdefault(text_date(d), (f.path, d.start(), d.end()))
    for path, entries, _ in chronology_lists(ctx):
        for i, e in enumerate(entries):
            when, event = parse_date(get(e, "date")), str(get(e, "event") or "")
            m = next((m for rx in _ENTRY_BIRTH_RES for m in [rx.search(event)] if m), None)
            name = m.group("name").lower() if m else ""
            if when and not get(e, "date_approximate") and name in known:
                out.setdefault(name, {}).setdefault(when, (path + (i, "date"), None, None))
    for p in ctx.people:
        if p.date_of_birth and first_name(p.name):
            out.setdefault(first_name(p.name), {}).setdefault(p.date_of_birth, (p.path, None, None))
    return out


# A court order or protection made once, whose date the report gives twice: the kinds, and the words
# that say it was made (not renewed, applied for or listed) (G8).
ORDER_KINDS = (("interim care order", r"(?i:\binterim care order\b)|\bICO\b"), ("emergency protection order", r"(?i:\bemergency protection order\b)|\bEPO\b"),
               ("placement order", r"(?i:\bplacement order\b)"), ("care order", r"(?i:(?<!interim )\bcare order\b)"),
               ("special guardianship order", r"(?i:\bspecial guardianship order\b)|\bSGO\b"), ("police protection", r"(?i:\bpolice protection\b)"))
_MADE_RE = re.compile(r"\b(?:made|granted|issued|obtained|taken into|used|were taken|was taken|placed under)\b", re.I)
_NOT_MADE_RE = re.compile(r"\b(?:renew\w*|extend\w*|applica\w*|appl(?:y|ied|ying)|listed|will|would|seek\w*|sought|discharg\w*|ask\w*|"
                          r"plan(?:s|ned)? to|consider\w*|next|review\w*|ended|expire\w*)\b", re.I)
_PLACED_WITH_RE = re.compile(r"\b(?:placed|moved to live|came to live|went to live|(?:has|have) lived|(?:has|have) been living)(?: together)? with (?:(?:her|his|their) foster carers,? )?(?P<carers>[A-Z][a-z]+(?: and [A-Z][a-z]+)?)\b")
SAME_EVENT_DAYS = 31  # two dates this close for an order made once are one order dated twice


def order_dates(ctx) -> dict:
    """Order kind -> {date: first place} for each order the report says was made, in the narrative and the
    chronologies; entries about another child (a brother's order) are left out."""
    others = {first_name(p.name) for p in ctx.people if p.role == "sibling"} - {""}
    out: dict = {}

    def add(kind, when, place):
        if when and when <= (ctx.report_date or ctx.as_of):
            out.setdefault(kind, {}).setdefault(when, place)

    for path, entries, _ in chronology_lists(ctx):
        for i, e in enumerate(entries):
            event, when = str(get(e, "event") or ""), parse_date(get(e, "date"))
            if get(e, "date_approximate") or _NOT_MADE_RE.search(event) or any(re.search(rf"\b{re.escape(o)}\b", event, re.I) for o in others):
                continue
            for kind, rx in ORDER_KINDS:
                if re.search(rx, event):
                    add(kind, when, (path + (i, "date"), None, None))
                    break
    for path, entries, _ in chronology_lists(ctx):  # 'placed with Jo and Martin': the move to those carers, made once
        for i, e in enumerate(entries):
            m = _PLACED_WITH_RE.search(str(get(e, "event") or ""))
            if m and not get(e, "date_approximate"):
                add(f"move to {m.group('carers')}", parse_date(get(e, "date")), (path + (i, "date"), None, None))
    for f in ctx.fields:
        if f.path[:1] == ("chronologies",):
            continue
        for m in _PLACED_WITH_RE.finditer(f.text):
            kind = f"move to {m.group('carers')}"
            end = f.text.find(".", m.end())
            d = _TEXT_DATE_RE.search(f.text, m.end(), end if end > 0 else len(f.text))
            if kind in out and d and text_date(d) and not _NOT_MADE_RE.search(f.text[m.start():d.start()]):
                add(kind, text_date(d), (f.path, d.start(), d.end()))
        for clause in re.finditer(r"(?:[^.;]|\.(?=\d))+", f.text):  # a clause ('14.09.2023' is a date, not a full stop)
            text = clause.group(0)
            if not _MADE_RE.search(text) or _NOT_MADE_RE.search(text) or any(re.search(rf"\b{re.escape(o)}\b", text, re.I) for o in others):
                continue
            found = [m for m in _TEXT_DATE_RE.finditer(text)]
            for kind, rx in ORDER_KINDS:
                if re.search(rx, text) and len(found) == 1:
                    d = found[0]
                    add(kind, text_date(d), (f.path, clause.start() + d.start(), clause.start() + d.end()))
                    break
    return out


@check("G8", area="General", question="Are dates correct and consistent: dates of birth the same everywhere, ages matching dates, chronologies in date order, no event before a birth or after the report?",
       source=f"{SRC} (dates); App. 8 General guidance 'Check that dates are accurate'")
def dates(ctx):
    serious, minor, actions, ev = [], [], [], []
    rdate = ctx.report_date or ctx.as_of
    for path, entries, born in chronology_lists(ctx):
        last = None
        for i, e in enumerate(entries):
            when = parse_date(get(e, "date"))
            if when is None or get(e, "date_approximate") is True:
                continue  # 'May - December 2023', 'About 2008': no day to put in order or to compare
            if last and when < last:
                minor.append(f"{path[-1] if path[-1] != 'entries' else 'a parent'}'s chronology entry {i + 1} ({uk(when)}) comes after a later date ({uk(last)})")
                ev.append(ctx.evidence(path + (i, "date")))
            last = max(last, when) if last else when
            if when > rdate and not _PLANNED_RE.search(str(get(e, "event") or "")):
                serious.append(f"an entry dated {uk(when)} is after the report's date ({uk(rdate)})")
                ev.append(ctx.evidence(path + (i, "date")))
            if born and when < born and not _PREBIRTH_RE.search(str(get(e, "event") or "")) and path[1] != "agency_actions":
                serious.append(f"an entry dated {uk(when)} is before the person was born ({uk(born)})")
                ev.append(ctx.evidence(path + (i, "date")))
    if minor:
        actions.append("Put each chronology in date order.")
    # The child's birth in the chronology, and the stated age.
    dob = ctx.child_dob
    for i, e in enumerate(as_list(get(ctx.data, "chronologies", "child"))):
        when = parse_date(get(e, "date"))
        event = str(get(e, "event") or "")
        others = [p for p in ctx.people if p.role != "child" and first_name(p.name) and re.search(rf"\b{re.escape(first_name(p.name))}\b", event, re.I)]
        first, known = (v if isinstance(v, str) else "" for v in (get(ctx.data, "child", "first_names"), get(ctx.data, "child", "known_as")))
        child_names = {w.lower() for w in (first.split()[:1] + [known]) if w}  # a malformed record: true, a number
        # whose birth it is: 'Kai born at ...', 'Kai was born', and 'Kai, you were born' (written to the child)
        subject = re.search(r"([A-Z][a-z'-]+),?\s+(?:\w+\s+){0,2}(?:was\s+|were\s+)?born\b", event)
        if subject and child_names and subject.group(1).lower() not in child_names and subject.group(1).lower() not in ("she", "he", "baby"):
            continue  # 'Kai born at ...': another child's birth in a shared chronology
        if others and not re.search(rf"\b{re.escape(first_name(ctx.people[0].name) if ctx.people else '')}\b", event, re.I):
            continue  # a brother's or sister's birth in a shared chronology
        if when and dob and re.search(r"\bwas born\b|\bbirth of\b|\bborn at\b|\bborn\b", event, re.I) and when != dob and not get(e, "date_approximate"):
            serious.append(f"the child's chronology gives the birth as {uk(when)} but the date of birth is {uk(dob)}")
            ev.append(ctx.evidence(("chronologies", "child", i, "date")))
    stated = get(ctx.data, "child", "age_stated")
    if isinstance(stated, int) and dob and ctx.report_date and age_on(dob, ctx.report_date) != stated:
        serious.append(f"the age stated ({stated}) does not match the date of birth ({age_on(dob, ctx.report_date)} at the report's date)")
        ev.append(ctx.evidence(("child", "age_stated")))
    # "X was born on <date>" in the narrative, against the person's date of birth.
    people = [(first_name(p.name), p) for p in ctx.people if p.date_of_birth]
    for f, m in ctx.finditer(_BORN_RE):
        d = _TEXT_DATE_RE.match(f.text, m.end())
        if not d:
            continue
        when = text_date(d)
        s, _ = sentence_bounds(f.text, m.start(), m.end())
        before = f.text[s:m.start()].lower()
        near = before[-60:]  # the person born is named just before 'born'
        # "Chinedu is Emeka's older brother, born on ...": a name owning a relation is not the one born
        named = [(mm.start(), p) for fn, p in people if fn for mm in re.finditer(rf"\b{re.escape(fn)}\b(?!['’]s\b)", near)]
        firsts = {fn for fn, _ in people if fn}
        # a first name standing as another person's middle name ("Mason Stephen Cole was born") is not that person
        named = [(at, p) for at, p in named if not any(near[:at].rstrip().endswith(other) for other in firsts - {first_name(p.name)})]
        closer = _STATED_BIRTH_RE.search(f.text[s:m.end()] + "1")  # a full name nearer 'born' is the one born
        if named and closer and closer.group("name").lower() not in {fn for fn, _ in people}:
            continue
        if when and named and max(named, key=lambda x: x[0])[1].date_of_birth != when:
            p = max(named, key=lambda x: x[0])[1]
            serious.append(f"the text gives {p.name}'s birth as {uk(when)} but their date of birth is {uk(p.date_of_birth)}")
            ev.append(ctx.evidence(f.path, d.start(), d.end()))
    # An age in words against the date of birth ("Ivy is now seven weeks old").
    for f, m, person, stated, actual, unit in stated_ages(ctx):
        serious.append(f"the text says {person.name.split()[0]} is {stated.strip()}, but by the date of birth ({uk(person.date_of_birth)}) "
                       f"they are {int(actual)} {unit}{'' if int(actual) == 1 else 's'} old on {uk(ctx.report_date or ctx.as_of)}")
        ev.append(ctx.evidence(f.path, m.start(), m.end()))
    # The same person's birth given on two dates (front sheet, narrative, any chronology).
    said = " ".join(serious)
    for name, when in stated_births(ctx).items():
        if len(when) > 1 and not all(uk(d) in said for d in when):
            serious.append(f"{name.title()}'s birth is given as " + " and as ".join(uk(d) for d in sorted(when)))
            ev += [ctx.evidence(*place) for place in when.values()]
    for kind, when in order_dates(ctx).items():
        days = sorted(when)
        close = [(a, b) for a, b in zip(days, days[1:]) if (b - a).days <= SAME_EVENT_DAYS]
        for a, b in close[:1]:
            serious.append(f"the {kind} is dated {uk(a)} in one place and {uk(b)} in another")
            ev += [ctx.evidence(*when[a]), ctx.evidence(*when[b])]
    # Signatures dated after the as-of date.
    for key in ("author", "manager", "supervisor"):
        signed = parse_date(get(ctx.data, key, "signed_date"))
        # Signed after the audit's date and well after the report's own date: a mistyped date
        # (a manager who signs a few days after the author is usual).
        if signed and signed > ctx.as_of and (ctx.report_date is None or ctx.report_date > ctx.as_of or (signed - ctx.report_date).days > 31):
            serious.append(f"the {key}'s signature is dated in the future ({uk(signed)})")
            ev.append(ctx.evidence((key, "signed_date")))
    if serious:
        actions.insert(0, "Correct the dates marked in the evidence, so each date is the same wherever it appears.")
    if not serious and not minor:
        return Result("yes", "Dates of birth, ages and chronology dates are consistent and in order.")
    return Result("no" if serious else "partial", "Dates: " + "; ".join(serious + minor) + ".", actions, ev)
