"""General items of the audit that a machine can decide from the record's structure:
up to date (G1), qualification (G2), signatures (G3), proofreading (G4), photographs (G5),
genogram (G6), names (G7), dates (G8) and every question answered (G13)."""
from __future__ import annotations

import datetime as dt
import re

from permanence.checks import Result, check, grade
from permanence.checks.text import (WORD_RE, age_on, answered, as_dict, as_list, bare_na, plural, get, is_sentence_start, worst,
                                    parse_date, sentence_bounds, uk)

SRC = "seed 003 App. 8 audit form, General"


_worst = worst


def first_name(name: str) -> str:
    words = [w for w in WORD_RE.findall(name or "") if w.lower() not in {"dr", "mr", "mrs", "ms", "miss"}]
    return words[0].lower() if words else ""


def names_match(a: str, b: str) -> bool:
    """The same person: the first names agree, and the surnames too where both give one."""
    wa, wb = WORD_RE.findall(a or ""), WORD_RE.findall(b or "")
    if not wa or not wb or wa[0].lower() != wb[0].lower():
        return False
    if len(wa) >= 2 and len(wb) >= 2:
        return wa[-1].lower() == wb[-1].lower()
    return True


# ---------------------------------------------------------------------------------- G1
@check("G1", area="General", question="Is the report up to date, with the amendments asked for at the last audit made?",
       source=f"{SRC} (first question); App. 8 General guidance 'When updating the report'")
def up_to_date(ctx):
    report = as_dict(ctx.data.get("report"))
    ev, problems, actions = [], [], []
    amended = report.get("previous_amendments_completed")
    if amended is False:
        problems.append("the report says the amendments asked for at the last audit have not all been made")
        actions.append("Make the amendments asked for at the last audit, then tick 'Previous amendments completed'.")
        ev.append(ctx.evidence(("report", "previous_amendments_completed")))
    rdate = ctx.report_date
    purpose = report.get("purpose")
    if rdate is None:
        problems.append("the report has no date")
        actions.append("Add the date this version of the report was completed.")
    else:
        for key, stage in (("shobpa_date", "the agency decision"), ("placement_order_date", "the placement order")):
            when = parse_date(report.get(key))
            if purpose in ("matching", "update") and when and rdate < when:
                problems.append(f"it is dated {uk(rdate)}, before {stage} ({uk(when)}), but is written for {purpose.replace('_', ' ')}")
                actions.append(f"Update the whole report after {stage} and date the new version.")
                ev.append(ctx.evidence(("report", "report_date")))
        decision = parse_date(report.get("matching_panel_date" if purpose == "matching" else "shobpa_date"))
        if (ctx.as_of - rdate).days > 183 and (decision is None or decision >= ctx.as_of):
            problems.append(f"it is dated {uk(rdate)}, more than six months before {uk(ctx.as_of)}, and the decision it is for is still ahead")
            actions.append("Update the report: revise every section (not only additions at the end) and date the new version.")
            ev.append(ctx.evidence(("report", "report_date")))
        versions = [parse_date(get(v, "date")) for v in as_list(report.get("version_history"))]
        versions = [v for v in versions if v]
        if versions and max(versions) > rdate:
            problems.append("the version history holds a version later than the report's date")
            actions.append("Make the report's date that of the latest version.")
            ev.append(ctx.evidence(("report", "version_history")))
    if not problems:
        if amended is None and report.get("version_history"):
            return Result("review", "The report does not say whether the amendments asked for at the last audit were made; check them against the last audit.",
                          evidence=[ctx.evidence(("report", "version_history"))])
        return Result("yes", "The report is dated and current for its purpose" + (" and the previous amendments are recorded as made." if amended else "."))
    return Result("no" if amended is False or rdate is None or len(problems) > 1 else "partial",
                  "Not up to date: " + "; ".join(problems) + ".", actions, ev)


# ---------------------------------------------------------------------------------- G2
@check("G2", area="General", question="Is the author qualified to write the report under the 2005 reports regulations (and verified), or supervised by a qualified worker?",
       source="Restriction on the Preparation of Adoption Reports Regulations 2005 (SI 2005/1711) reg. 3; seed 003 App. 8 'Who can write a CPR?'")
def qualification(ctx):
    author, sup = as_dict(ctx.data.get("author")), as_dict(ctx.data.get("supervisor"))
    qualified, verified = author.get("qualified_under_2005_regulations"), author.get("qualification_verified")
    if qualified is True and verified is True:
        return Result("yes", "The author is recorded as qualified under the 2005 regulations, and the qualification has been verified.")
    if qualified is True:
        return Result("partial", "The author is recorded as qualified, but the qualification is not recorded as verified.",
                      ["The manager should verify the author's qualification (three years' post-qualifying child care experience including adoption work) and record it."],
                      [ctx.evidence(("author", "qualification_verified"))])
    sup_ok = answered(sup.get("name")) and not bare_na(sup.get("name")) and sup.get("qualified_under_2005_regulations") is True
    if sup_ok and sup.get("signed") is True:
        return Result("yes", "The author is not qualified under the 2005 regulations; a qualified worker supervised the report and signed it.")
    if sup_ok:
        return Result("partial", "A qualified supervisor is named but has not signed the report.",
                      ["The qualified supervisor must sign and date the report."], [ctx.evidence(("supervisor", "signed"))])
    what = "is not recorded as qualified" if qualified is None else "is not qualified"
    return Result("no", f"The author {what} under the 2005 reports regulations and no qualified supervisor is named: a report prepared this way is unlawful.",
                  ["Record the author's qualification (and have it verified), or name the qualified social worker who supervised the report and have them sign it."],
                  [ctx.evidence(("author", "qualified_under_2005_regulations")), ctx.evidence(("supervisor",))])


# ---------------------------------------------------------------------------------- G3
def _signature(ctx, key: str, who: str):
    person = as_dict(ctx.data.get(key))
    problems, actions, ev = [], [], []
    if person.get("signed") is not True:
        problems.append(f"not signed by the {who}")
        actions.append(f"The {who} must sign the report.")
        ev.append(ctx.evidence((key, "signed")))
    elif not parse_date(person.get("signed_date")):
        problems.append(f"the {who}'s signature is not dated")
        actions.append(f"Add the date the {who} signed.")
        ev.append(ctx.evidence((key, "signed_date")))
    else:
        signed = parse_date(person.get("signed_date"))
        if ctx.report_date and signed < ctx.report_date:
            problems.append(f"the {who} signed on {uk(signed)}, before the report's date ({uk(ctx.report_date)})")
            actions.append(f"The {who} should sign this version of the report (signed on or after its date).")
            ev.append(ctx.evidence((key, "signed_date")))
    return problems, actions, ev


@check("G3", area="General", question="Is the report signed and dated by the author and the line manager (and the supervisor where one is needed)?",
       source=f"{SRC} (signatures); Adoption Agencies Regulations 2005 reg. 17")
def signatures(ctx):
    parties = [("author", "author"), ("manager", "manager")]
    if as_dict(ctx.data.get("author")).get("qualified_under_2005_regulations") is not True and answered(get(ctx.data, "supervisor", "name")) \
            and not bare_na(get(ctx.data, "supervisor", "name")):
        parties.append(("supervisor", "supervisor"))
    problems, actions, ev, unsigned = [], [], [], 0
    for key, who in parties:
        p, a, e = _signature(ctx, key, who)
        unsigned += any(x.startswith("not signed") for x in p)
        problems += p
        actions += a
        ev += e
    if not problems:
        return Result("yes", "Signed and dated by " + ", ".join(w for _, w in parties) + ".")
    answer = "no" if unsigned == len(parties) or as_dict(ctx.data.get("author")).get("signed") is not True else "partial"
    return Result(answer, "Signatures: " + "; ".join(problems) + ".", actions, ev)


# ---------------------------------------------------------------------------------- G4
@check("G4", area="General", question="Has the report been proofread (spelling and grammar in British English) and signed by the worker and the manager?",
       source=f"{SRC}; App. 8 General guidance 'grammatically correct and free from spelling mistakes'")
def proofread(ctx):
    author, manager = as_dict(ctx.data.get("author")), as_dict(ctx.data.get("manager"))
    flags = [who for who, p in (("author", author), ("manager", manager)) if p.get("proofread") is True and p.get("signed") is True]
    comments, actions, ev = [], [], []
    flag_answer = "yes" if len(flags) == 2 else "partial" if flags else "no"
    if flag_answer != "yes":
        missing = [w for w in ("author", "manager") if w not in flags]
        comments.append("Not recorded as proofread and signed by the " + " and ".join(missing) + ".")
        actions.append("The " + " and the ".join(missing) + " should proofread the report, sign it and tick 'Proofread'.")
        ev += [ctx.evidence((w, "proofread")) for w in missing]
    problems = getattr(ctx, "proofreading_problems", None)
    engine = getattr(ctx, "proofreading_engine", "none")
    spell_answer = "yes"
    if problems is None or engine == "none":
        comments.append("No spelling engine ran (language checks only); spelling and grammar need a person's read.")
        spell_answer = "review"
    else:
        variants = name_variants(ctx)  # misspelt names are reported once, under G7
        problems = [p for p in problems if not (p.kind == "spelling" and ctx_text(ctx, p) in variants)]
    if spell_answer == "review":
        pass
    elif problems:
        spelling = [p for p in problems if p.kind == "spelling"]
        grammar = [p for p in problems if p.kind == "grammar"]
        hints = {}
        for p in spelling:
            hints.setdefault(ctx_text(ctx, p), tuple(getattr(p, "suggestions", ()) or ()))
        words = [w + (f" (perhaps {' or '.join(repr(x) for x in hints[w][:2])})" if hints[w] else "") for w in sorted(hints)]
        comments.append(f"{engine}: {plural(len(spelling), 'possible spelling mistake')}" + (f": {'; '.join(words[:12])}{'; ...' if len(words) > 12 else ''}" if words else "")
                        + (f" and {plural(len(grammar), 'grammar point')}" if grammar else "") + ".")
        actions.append("Correct the spelling and grammar marked in the evidence (add real words such as local place names to the authority's domain word list).")
        ev += [ctx.evidence(p.path, p.start, p.end) for p in problems[:100]]
        spell_answer = grade(len(problems), partial_up_to=4)
    else:
        comments.append(f"{engine}: no spelling or grammar problems found.")
    return Result(_worst(flag_answer, spell_answer) if spell_answer != "review" else ("review" if flag_answer == "yes" else flag_answer),
                  " ".join(comments), actions, ev)


def ctx_text(ctx, problem) -> str:
    value = get(ctx.data, *problem.path)
    return value[problem.start:problem.end] if isinstance(value, str) else ""


# ---------------------------------------------------------------------------------- G5
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
    return out


@check("G5", area="General", question="Are there dated, good-quality photographs of the child, each parent and each sibling, or the reason and efforts made where there is none?",
       source=f"{SRC}; App. 8 General guidance on photographs; Sched. 1 Parts 1 and 3 (photographs)")
def photographs(ctx):
    photos = [as_dict(p) for p in as_list(ctx.data.get("photographs"))]
    missing, undated, ev = [], [], []
    for name, role, path in required_people(ctx):
        unknown = "not known" in (name or "").lower() or (role in ("father", "mother") and as_dict(get(ctx.data, *path)).get("identified") is False)
        matches = [(i, p) for i, p in enumerate(photos) if names_match(p.get("subject", ""), name)
                   or (unknown and role in (p.get("subject", "") or "").lower())]
        if not matches:
            missing.append(f"{name or role} ({role})")
            ev.append(ctx.evidence(path))
            continue
        ok = False
        for i, p in matches:
            if p.get("file") and parse_date(p.get("date")):
                ok = True
            elif answered(p.get("reason_none")):
                ok = True
        if not ok:
            undated.append(f"{name} ({role})")
            ev.append(ctx.evidence(("photographs", matches[0][0])))
    if not photos:
        return Result("no", "There are no photographs and no reasons given.",
                      ["Add dated photographs of the child, each parent and each sibling, or say for each why there is none and what was done to get one."],
                      [ctx.evidence(("photographs",))])
    problems = len(missing) + len(undated)
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
    missing, ev = [], []
    for i, s in enumerate(as_list(ctx.data.get("siblings"))):
        s = as_dict(s)
        if s.get("relationship") == "step" or not isinstance(s.get("name"), str):
            continue
        if not any(names_match(p, s["name"]) for p in shown):
            missing.append(s["name"])
            ev.append(ctx.evidence(("siblings", i, "name")))
    if not shown:
        return Result("partial", "A genogram is said to be included but the people on it are not listed, so it cannot be checked against the siblings.",
                      ["List the people shown on the genogram, so it can be checked against the siblings."], [ctx.evidence(("genogram",))])
    if missing:
        return Result("partial" if len(missing) == 1 else "no", "The genogram does not show: " + ", ".join(missing) + ".",
                      ["Add " + ", ".join(missing) + " to the genogram (every full and half sibling, including those not part of this plan)."], ev)
    return Result("yes", "The genogram shows every full and half sibling named in the report.")


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


_CAP_RE = re.compile(r"\b[A-Z][a-z]+(?:-[A-Z][a-z]+)?\b")


def _common_words(words: set[str]) -> set[str]:
    """Of capitalised words, those whose lower-case form is an ordinary word (hunspell)."""
    import shutil
    import subprocess

    binary = shutil.which("hunspell")
    if not binary or not words:
        return set()
    lower = sorted({w.lower() for w in words})
    try:
        proc = subprocess.run([binary, "-d", "en_GB", "-i", "UTF-8", "-l"], input="\n".join(lower).encode("utf-8"),
                              capture_output=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return set()
    unknown = set(proc.stdout.decode("utf-8", "replace").split())
    return {w for w in words if w.lower() not in unknown}


def relation_capitals(ctx):
    """Relations written both as 'Mother' and 'mother' (mid-sentence)."""
    pattern = ctx.wordlists.pattern("relations") if ctx.wordlists else None
    if pattern is None:
        return [], []
    upper, lower = [], []
    for f, m in ctx.finditer(pattern):
        word = m.group(0)
        if is_sentence_start(f.text, m.start()):
            continue
        (upper if word[0].isupper() else lower).append((f, m))
    return upper, lower


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
            if w not in canon:
                candidates.setdefault(w, []).append(ctx.evidence(f.path, m.start(), m.end()))
    near = {}
    for w in candidates:
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


# ---------------------------------------------------------------------------------- G8
MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"]
_TEXT_DATE_RE = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)?\s+(" + "|".join(m.title() for m in MONTHS) + r")\s+(\d{4})\b|\b(\d{1,2})/(\d{1,2})/(\d{4})\b")
_BORN_RE = re.compile(r"\bborn\b(?:\s+(?:on|at\s+\S+\s+on))?\s*", re.I)
_PREBIRTH_RE = re.compile(r"pregnan|antenatal|ante-natal|pre-birth|prebirth|unborn|midwife|conceiv|scan\b|booking|expected|due date|gestation", re.I)


def text_date(m: re.Match) -> dt.date | None:
    try:
        if m.group(1):
            return dt.date(int(m.group(3)), MONTHS.index(m.group(2).lower()) + 1, int(m.group(1)))
        return dt.date(int(m.group(6)), int(m.group(5)), int(m.group(4)))
    except ValueError:
        return None


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


@check("G8", area="General", question="Are dates correct and consistent: dates of birth the same everywhere, ages matching dates, chronologies in date order, no event before a birth or after the report?",
       source=f"{SRC} (dates); App. 8 General guidance 'Check that dates are accurate'")
def dates(ctx):
    serious, minor, actions, ev = [], [], [], []
    rdate = ctx.report_date or ctx.as_of
    for path, entries, born in chronology_lists(ctx):
        last = None
        for i, e in enumerate(entries):
            when = parse_date(get(e, "date"))
            if when is None:
                continue
            if last and when < last:
                minor.append(f"{path[-1] if path[-1] != 'entries' else 'a parent'}'s chronology entry {i + 1} ({uk(when)}) comes after a later date ({uk(last)})")
                ev.append(ctx.evidence(path + (i, "date")))
            last = max(last, when) if last else when
            if when > rdate:
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
        if when and dob and re.search(r"\bwas born\b|\bbirth of\b|\bborn at\b", str(get(e, "event") or ""), re.I) and when != dob:
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
        named = [p for fn, p in people if fn and re.search(rf"\b{re.escape(fn)}\b", before)]
        if when and len({p.date_of_birth for p in named}) == 1 and named[-1].date_of_birth != when:
            p = named[-1]
            serious.append(f"the text gives {p.name}'s birth as {uk(when)} but their date of birth is {uk(p.date_of_birth)}")
            ev.append(ctx.evidence(f.path, d.start(), d.end()))
    # Signatures dated after the as-of date.
    for key in ("author", "manager", "supervisor"):
        signed = parse_date(get(ctx.data, key, "signed_date"))
        if signed and signed > ctx.as_of:
            serious.append(f"the {key}'s signature is dated in the future ({uk(signed)})")
            ev.append(ctx.evidence((key, "signed_date")))
    if serious:
        actions.insert(0, "Correct the dates marked in the evidence, so each date is the same wherever it appears.")
    if not serious and not minor:
        return Result("yes", "Dates of birth, ages and chronology dates are consistent and in order.")
    return Result("no" if serious else "partial", "Dates: " + "; ".join(serious + minor) + ".", actions, ev)


# ---------------------------------------------------------------------------------- G13
CHILD_QUESTIONS = ["place_of_birth", "nationality", "ethnicity", "culture_and_language", "religion", "identity_analysis",
                   "physical_description", "personality", "interests", "current_carers_account"]
PARENT_QUESTIONS = ["date_of_birth", "nationality", "ethnicity", "religion", "physical_description", "personality", "health",
                    "relationship_status", "parenting_capacity", "other_children"]
OTHER_QUESTIONS = [("health", "summary"), ("health", "birth_history"), ("health", "future_needs"), ("education", "setting"),
                   ("development", "emotional_and_behavioural"), ("development", "relationships"), ("development", "needs"),
                   ("family_time", "reduction_plan"), ("family_time", "post_adoption_plan"), ("agency_decision", "recommendation"),
                   ("adoption_support", "short_term"), ("adoption_support", "long_term")]


def _exempt_sections(ctx) -> set[str]:
    out = set()
    for entry in as_list(get(ctx.data, "report", "not_applicable")):
        if answered(get(entry, "reason")) and isinstance(get(entry, "section"), str):
            out.add(re.sub(r"[\s-]+", "_", entry["section"].strip().lower()))
    return out


@check("G13", area="General", question="Is every question answered, with N/A and a reason where a question does not apply?",
       source=f"{SRC} (last General question); App. 8 General guidance 'If a section is not relevant, state N/A, with reasons'")
def all_answered(ctx):
    exempt = _exempt_sections(ctx)
    questions = [("child", q) for q in CHILD_QUESTIONS] + OTHER_QUESTIONS
    for i, p in enumerate(as_list(ctx.data.get("birth_parents"))):
        p = as_dict(p)
        if p.get("identified") is False or "not known" in str(p.get("name", "")).lower():
            questions.append(("birth_parents", i, "efforts_to_identify"))
        else:
            questions += [("birth_parents", i, q) for q in PARENT_QUESTIONS]
    for i, _ in enumerate(as_list(ctx.data.get("options_analysis"))):
        questions += [("options_analysis", i, "advantages"), ("options_analysis", i, "disadvantages")]
    blank, bare, ev = [], [], []
    from permanence.checks.text import label

    for path in questions:
        if path[0] in exempt or (len(path) > 1 and path[1] in exempt):
            continue
        value = get(ctx.data, *path)
        if path[-1] == "date_of_birth":
            if not parse_date(value):
                blank.append(label(path))
                ev.append(ctx.evidence(path))
            continue
        if value is None or (isinstance(value, str) and not value.strip()):
            blank.append(label(path))
            ev.append(ctx.evidence(path))
        elif bare_na(value):
            bare.append(label(path))
            ev.append(ctx.evidence(path))
    if not blank and not bare:
        return Result("yes", f"All {len(questions)} questions checked are answered (N/A with a reason where they do not apply).")
    comments, actions = [], []
    if blank:
        comments.append(f"Not answered ({len(blank)}): " + "; ".join(blank[:15]) + ("; ..." if len(blank) > 15 else "") + ".")
        actions.append("Answer every question; where one does not apply write N/A and the reason.")
    if bare:
        comments.append(f"N/A without a reason ({len(bare)}): " + "; ".join(bare[:15]) + ".")
        actions.append("After each N/A, say why the question does not apply.")
    return Result(grade(len(blank) + len(bare), partial_up_to=2), " ".join(comments), actions, ev)
