"""Chronologies (C1-C5) and health (H1)."""
from __future__ import annotations

import re

from permanence.checks import Result, check, grade
from permanence.checks.health import unmatched_findings
from permanence.checks.dates import MONTHS, _TEXT_DATE_RE, chronology_lists, text_date
from permanence.checks.names import names_match
from permanence.checks.text import (WORD_RE, answered, called, as_dict, as_list, bare_na, get, iter_strings, parent_identified, parse_date, plural,
                                    uk, weak_answer)

SRC = "seed 003 App. 8 audit form, Chronologies"
AGENCY_ENTRY_WORDS = 40   # an agency-action entry longer than this is not 'brief'
ENTRY_WORDS = 80          # any chronology entry longer than this holds unnecessary detail
HISTORY_PARTS = [("childhood", "childhood"), ("being_parented", "experience of being parented"), ("school", "school"),
                 ("work", "work"), ("relationships", "relationships")]


HISTORY_TOPICS = {
    "childhood": re.compile(r"\b(?:grew up|childhood|as a child|was born|born in|born at|early years|young)\b", re.I),
    "being_parented": re.compile(r"\b(?:(?:her|his|their) (?:mother|father|mum|dad|parents|grandmother|grandparents|step-?father|step-?mother)|"
                                 r"brought (?:her |him |them )?up|raised by|cared for by|lived with|parented|parenting (?:she|he) received|(?:only |eldest |youngest |elder |younger )?child(?:ren)? of|"
                                 r"(?:stable|happy|difficult|unhappy|chaotic|strict|loving) (?:childhood|upbringing|home)|in (?:foster )?care|foster carers?)\b", re.I),
    "school": re.compile(r"\b(?:school|college|education|GCSEs?|qualifications?|university|academy|exclu(?:ded|sion)|truan\w*)\b", re.I),
    "work": re.compile(r"\b(?:work(?:ed|s|ing)?|job|jobs|employ\w*|unemploy\w*|career|apprentice\w*|benefits|never worked|volunteer\w*)\b", re.I),
    "relationships": re.compile(r"\b(?:relationships?|partners?|married|boyfriend|girlfriend|husband|wife|met (?:her|his|him)|separated|divorced|"
                                r"single|lived together|moved in (?:with|together))\b|\b[Mm](?:et|eets) [A-Z][a-z]+"),
}


def _words(text) -> int:
    return len(WORD_RE.findall(text)) if isinstance(text, str) else 0


# Routine contact and office business: not the agency's key actions and decisions (C1).
_ROUTINE_RE = re.compile(r"\b(?:telephoned|phoned|rang|called|text(?:ed)?(?: message)?|e-?mailed|e-?mail sent|voicemail|no answer|no reply|"
                         r"statutory visits?|(?:tele)?phone call|e-?mail (?:to|from)|birthday card|card sent|visit to (?:the )?placement|"
                         r"left a message|annual leave|on leave|case discussed|discussed (?:in|at) supervision|supervision|to confirm (?:a|the) date|"
                         r"to arrange (?:a|the)|to request an update|requested an update|chased|reminder sent|file (?:reviewed|closed)|case (?:allocated|transferred))\b", re.I)
_DECISION_RE = re.compile(r"\b(?:decided|decision|agreed|approved|recommended|issued|granted|made|application|applied|order|conference|panel|"
                          r"hearing|placed|placement|proceedings|assessment|strategy|child protection plan|looked after|accommodated|letter before|PLO)\b", re.I)
ROUTINE_ENTRIES = 2  # two or more routine entries pad the agency's chronology


def routine_entry(event: str) -> bool:
    """An agency-chronology entry that records routine contact or office business and no decision."""
    m = _ROUTINE_RE.search(event)
    # routine unless it records a decision too; an entry that opens with the routine contact ("Statutory
    # visit to placement", "Email to the IRO with review date") is that contact, whatever it mentions
    return bool(m) and (not _DECISION_RE.search(event) or m.start() <= 2)


@check("C1", area="Chronologies", question="Is the agency-actions chronology brief, holding only the key actions and decisions of the agency's planning?",
       source=f"{SRC} (agency actions); Adoption Agencies Regulations 2005 reg. 17(1)(e)")
def agency_actions(ctx):
    entries = as_list(get(ctx.data, "chronologies", "agency_actions"))
    if not entries:
        return Result("no", "There is no chronology of the agency's actions and decisions.",
                      ["Add a brief chronology of the agency's key actions and decisions (meetings, decisions, applications, orders)."],
                      [ctx.evidence(("chronologies", "agency_actions"))])
    long = [(i, e) for i, e in enumerate(entries) if _words(get(e, "event")) > AGENCY_ENTRY_WORDS]
    routine = [(i, e) for i, e in enumerate(entries) if routine_entry(str(get(e, "event") or ""))]
    padded = len(routine) >= ROUTINE_ENTRIES
    if not long and not padded:
        return Result("yes", f"{len(entries)} brief entries of the agency's actions and decisions.")
    comments, actions, ev = [], [], []
    if long:
        comments.append(f"{plural(len(long), 'agency-action entry', 'agency-action entries')} {'is' if len(long) == 1 else 'are'} longer than "
                        f"{AGENCY_ENTRY_WORDS} words: keep to the action or decision itself.")
        actions.append("Shorten the marked entries to the action or decision, its date and who made it; move narrative to the relevant section.")
        ev += [ctx.evidence(("chronologies", "agency_actions", i, "event")) for i, _ in long]
    if padded:
        comments.append(f"{plural(len(routine), 'entry', 'entries')} of the agency's chronology record routine contact or office business "
                        "(calls, messages, e-mails, leave), not key actions and decisions.")
        actions.append("Keep the agency's chronology to key actions and decisions (meetings, assessments, decisions, applications, orders); "
                       "leave out routine calls, messages and office business.")
        ev += [ctx.evidence(("chronologies", "agency_actions", i, "event")) for i, _ in routine]
    return Result(grade(len(long) + (len(routine) > 0) * padded), " ".join(comments), actions, ev)


@check("C2", area="Chronologies", question="Does each birth parent have a full chronology and a social history covering childhood, being parented, school, work and relationships?",
       source=f"{SRC} (parents); Sched. 1 Part 3")
def parents_history(ctx):
    parents = as_list(ctx.data.get("birth_parents"))
    chrons = as_list(get(ctx.data, "chronologies", "parents"))
    gaps, ev, none_at_all = [], [], 0
    checked = 0
    for i, p in enumerate(parents):
        p = as_dict(p)
        if p.get("identified") is False or "not known" in str(p.get("name", "")).lower():
            continue
        if not parent_identified(p) and not any(answered(v) and not weak_answer(v) for _, v in iter_strings(p.get("history"))):
            # a parent the report cannot name: what is known of them, and the efforts, are G13's and W's business
            if all(weak_answer(v) or not answered(v) for _, v in iter_strings(p) if _[-1:] != ("relationship",)):
                gaps.append(f"the {p.get('relationship') or 'parent'}'s section says only 'Not known', with nothing of what was asked or done to find out")
                ev.append(ctx.evidence(("birth_parents", i)))
                checked += 1
            continue
        checked += 1
        history = as_dict(p.get("history"))
        told = " ".join(v for _, v in iter_strings(history) if not weak_answer(v)) + " " + " ".join(
            str(p.get(k) or "") for k in ("summary", "physical_description") if not weak_answer(p.get(k)))
        chron = next((c for c in chrons if names_match(get(c, "parent") or "", p.get("name") or "")), None)
        entries = as_list(get(chron, "entries")) if chron else []
        # Templates join topics under one heading ('Childhood and being parented', 'School and work'), or tell
        # the social history as the parent's chronology ('From 2002 to 2009 she went to the primary school'):
        # a topic is covered wherever the parent's history or chronology tells it.
        told += " " + " ".join(str(get(e, "event") or "") for e in entries)
        missing = [label for key, label in HISTORY_PARTS
                   if (not answered(history.get(key)) or bare_na(history.get(key)) or weak_answer(history.get(key))) and not HISTORY_TOPICS[key].search(told)]
        who = p.get("name") or p.get("relationship") or f"parent {i + 1}"
        if missing:
            gaps.append(f"{who}'s history has nothing on " + ", ".join(missing))
            ev.append(ctx.evidence(("birth_parents", i, "history")))
        # a social history told with its dates ('married Mr Miah in Sylhet in March 2013 ... Rafiq was born in June
        # 2015 ...') is the parent's chronology told in the narrative
        dated = len(set(re.findall(r"\b(?:19|20)\d{2}\b", " ".join(v for _, v in iter_strings(history)))))
        if len(entries) < 3 and dated < 4:
            gaps.append(f"{who} has {'no' if not entries else 'only ' + str(len(entries)) + ' entr' + ('y' if len(entries) == 1 else 'ies') + ' in a'} chronology")
            ev.append(ctx.evidence(("chronologies", "parents")))
        if len(missing) >= 4 and len(entries) < 3:
            none_at_all += 1
    if not checked:
        return Result("review", "No identified birth parent: check that what is known of each parent is recorded.")
    if not gaps:
        return Result("yes", "Each identified parent has a chronology and a social history covering childhood, being parented, school, work and relationships.")
    return Result("no" if none_at_all or len(gaps) > 2 else "partial", "; ".join(gaps) + ".",
                  ["Complete each parent's social history (childhood, being parented, school, work, relationships) and chronology, using historical files, family members and the parent's own account (marked as self-reported)."], ev)


@check("C3", area="Chronologies", question="Where a parent was in care, were their care files obtained and used in the chronology?",
       source=f"{SRC} (parents who were in care)")
def parents_care_files(ctx):
    parents = [(i, as_dict(p)) for i, p in enumerate(as_list(ctx.data.get("birth_parents")))]
    in_care = [(i, p) for i, p in parents if p.get("was_in_care") is True]
    unknown = [(i, p) for i, p in parents if p.get("was_in_care") is None and p.get("identified") is not False
               and "not known" not in str(p.get("name", "")).lower()]
    if in_care:
        missing = [(i, p) for i, p in in_care if p.get("care_files_obtained") is not True]
        if not missing:
            return Result("yes", "The care files of each parent who was in care were obtained and used.")
        return Result("no", "Care files not obtained for: " + ", ".join(called(p) for _, p in missing) + ".",
                      ["Request the parent's care files and add the relevant detail to their chronology and history."],
                      [ctx.evidence(("birth_parents", i, "care_files_obtained")) for i, _ in missing])
    in_care_text = [(i, p) for i, p in unknown if _said_in_care(_history_text(p))]
    if in_care_text:
        # The report says a parent was in care without the flag: were the files read?
        if _FILES_RE.search(" ".join(t for _, t in iter_strings(ctx.data))):
            return Result("yes", "The report says " + ", ".join(called(p) for _, p in in_care_text)
                          + " was in care as a child, and that the care files were read.")
        return Result("no", "The report says " + ", ".join(called(p) for _, p in in_care_text)
                      + " was in care as a child, but not that the care files were obtained; the history rests on other accounts.",
                      ["Request the parent's childhood care files, read them, and add what is relevant to their chronology and history (with the source)."],
                      [ctx.evidence(("birth_parents", i, "history")) for i, _ in in_care_text])
    return Result("not_applicable", "Nothing in the report says a parent was in care as a child.")


_IN_CARE_RE = re.compile(r"\b(?:went into|was in|were in|taken into|came into|placed in) (?:foster )?care\b|\bchildren's home\b|"
                         r"\bfoster (?:care|families|family|placements?)\b|\bin care as a (?:child|teenager)\b|\bleaving care\b|\bcare leaver\b", re.I)
def _said_in_care(text: str) -> bool:
    """The text says the parent was in care ('Neither parent was in care as a child' does not)."""
    for m in _IN_CARE_RE.finditer(text):
        start = max(text.rfind(".", 0, m.start()), text.rfind("\n", 0, m.start())) + 1
        if not re.search(r"\b(?:neither|not|never|no|nor|wasn['’]t)\b", text[start:m.start()], re.I):
            return True
    return False


_FILES_RE = re.compile(r"\bcare (?:files|records)\b|\b(?:read|obtained|requested|saw|seen) (?:his|her|their) (?:childhood |care )?(?:files|records)\b|"
                       r"\bfiles (?:were|was|have been) (?:read|obtained|seen)\b", re.I)


def _history_text(parent: dict) -> str:
    return " ".join(v for _, v in iter_strings({k: parent.get(k) for k in ("history", "summary")}))


_CARE_RE = re.compile(r"looked after|foster|accommodat|interim care order|emergency protection|police protection|\bplaced\b|placement|came into care", re.I)
_COURT_RE = re.compile(r"court|proceedings|hearing|care order|interim care order|judge|magistrate", re.I)
_PLAN_RE = re.compile(r"adoption|placed for adoption|placement order|should be placed|agency decision", re.I)
_NO_PROCEEDINGS_RE = re.compile(r"\bno (?:care )?proceedings\b|\bwithout (?:care )?proceedings\b|\bsection 19\b|\bs\.?\s?19\b|\brelinquish\w*|"
                                r"\bconsent(?:ed)? to (?:adoption|her being placed|his being placed|placement)\b|\bconsent to the placement\b", re.I)
_BIRTH_RE = re.compile(r"\bborn\b|\bbirth\b", re.I)


@check("C4", area="Chronologies", question="Does the child's chronology start at birth and reach being parented, the concerns and support, entry to care and placements, court and why adoption became the plan?",
       source=f"{SRC} (child); Sched. 1 Part 1 (chronology of care)")
def child_chronology(ctx):
    entries = [as_dict(e) for e in as_list(get(ctx.data, "chronologies", "child"))]
    if not entries:
        return Result("no", "There is no chronology of the child's life.",
                      ["Add the child's chronology from birth: parenting, concerns and support, entry to care, placements, court and why adoption became the plan."],
                      [ctx.evidence(("chronologies", "child"))])
    text = " ".join(str(e.get("event", "")) for e in entries)
    dob = ctx.child_dob
    dates = [parse_date(e.get("date")) for e in entries]
    dates = [d for d in dates if d]
    missing = []
    starts_at_birth = bool(_BIRTH_RE.search(text)) and (not dob or (dates and min(dates) <= dob.replace(day=min(dob.day, 28)) or any(d == dob for d in dates)))
    if not starts_at_birth:
        missing.append("the child's birth")
    everything = " ".join(v for _, v in iter_strings(ctx.data))
    for label, rx in (("entry to care and placements", _CARE_RE), ("the court process", _COURT_RE), ("why adoption became the plan", _PLAN_RE)):
        if label == "the court process" and _NO_PROCEEDINGS_RE.search(everything):
            continue  # a relinquished baby, or consent to adoption: no court process to tell
        if not rx.search(text):
            missing.append(label)
    if not missing:
        return Result("yes", f"The child's chronology ({len(entries)} entries) runs from birth through entry to care, court and the adoption plan.")
    return Result("no" if len(missing) > 1 or "the child's birth" in missing else "partial", "The child's chronology does not cover: " + ", ".join(missing) + ".",
                  ["Add to the child's chronology: " + ", ".join(missing) + "."], [ctx.evidence(("chronologies", "child"))])


_GRAPHIC_RE = re.compile(r"\b(blood(?:y|ied)?|graphic|naked|vomit\w*|faeces|urine-soaked|maggots|overdosed? on|slashed|stabbed|strangled)\b", re.I)


@check("C5", area="Chronologies", question="Do the chronologies keep to what each heading asks for, without unnecessary or graphic detail?",
       source=f"{SRC} (relevance); App. 8 General guidance 'every entry being relevant and factual, but concise'")
def relevant_chronologies(ctx):
    long, graphic, dupes = [], [], []
    for path, entries, _ in chronology_lists(ctx):
        seen = set()
        for i, e in enumerate(entries):
            event = str(get(e, "event") or "")
            if _words(event) > ENTRY_WORDS:
                long.append(ctx.evidence(path + (i, "event")))
            for m in _GRAPHIC_RE.finditer(event):
                graphic.append(ctx.evidence(path + (i, "event"), m.start(), m.end()))
            key = (str(get(e, "date")), event.strip().lower())  # a malformed date (a list, an object) is still a key
            if key in seen:
                dupes.append(ctx.evidence(path + (i,)))
            seen.add(key)
    count = len(long) + len(graphic) + len(dupes)
    if not count:
        return Result("yes", "No over-long, duplicated or graphic chronology entries were found.")
    parts = []
    if long:
        parts.append(f"{plural(len(long), 'entry', 'entries')} over {ENTRY_WORDS} words")
    if graphic:
        parts.append(plural(len(graphic), "graphic detail"))
    if dupes:
        parts.append(plural(len(dupes), "repeated entry", "repeated entries"))
    return Result(grade(count), "Chronologies: " + ", ".join(parts) + ".",
                  ["Keep each entry to the fact, its date and its source; remove graphic detail and repeated entries."], long + graphic + dupes)


def _date_mentioned(text: str, when) -> bool:
    if not when or not isinstance(text, str):
        return False
    if when.isoformat() in text:
        return True
    for m in _TEXT_DATE_RE.finditer(text):
        if text_date(m) == when:
            return True
    month_year = f"{MONTHS[when.month - 1]} {when.year}"
    return month_year in text.lower()


_HEALTH_ASSESSMENT_RE = re.compile(r"\b(?:health assessment|health review|medical|paediatric (?:review|assessment))\b", re.I)


def _assessment_date_in(text: str):
    """The latest date written near 'health assessment' in the health section's own words."""
    found = []
    for m in _HEALTH_ASSESSMENT_RE.finditer(text):
        for d in _TEXT_DATE_RE.finditer(text, max(0, m.start() - 80), m.end() + 80):
            when = text_date(d)
            if when:
                found.append(when)
    return max(found) if found else None


@check("H1", area="Child's health", question="Does the health section match the last health assessment and the medical adviser's report (dated, current, and referred to)?",
       source="seed 003 App. 8 audit form, Child's Health; Adoption Agencies Regulations 2005 reg. 17(1)(b); Care Planning, Placement and Case Review (England) Regulations 2010 reg. 7 (health assessments every 6 months under 5)")
def health(ctx):
    h = as_dict(ctx.data.get("health"))
    summary = h.get("summary")
    last, ma = parse_date(h.get("last_health_assessment_date")), parse_date(h.get("medical_adviser_report_date"))
    problems, actions, ev = [], [], []
    if not answered(summary):
        return Result("no", "There is no health summary.", ["Add the medical adviser's summary of the child's health, health history and likely future needs."],
                      [ctx.evidence(("health", "summary"))])
    if not last:
        last = _assessment_date_in(" ".join(v for _, v in iter_strings(h)))
    if not last:
        problems.append("the date of the last health assessment is missing")
        actions.append("Add the date of the last health assessment.")
        ev.append(ctx.evidence(("health", "last_health_assessment_date")))
    if not ma:
        problems.append("the date of the medical adviser's report is missing")
        actions.append("Add the date of the medical adviser's report and make the summary match it.")
        ev.append(ctx.evidence(("health", "medical_adviser_report_date")))
    if not problems:
        rdate = ctx.report_date or ctx.as_of
        age = ctx.child_age()
        limit = 183 if age is None or age < 5 else 365
        if (rdate - last).days > limit:
            problems.append(f"the last health assessment ({uk(last)}) is more than {'six' if limit == 183 else 'twelve'} months before the report")
            actions.append("Use the latest health assessment (or ask for one) and update the health section.")
            ev.append(ctx.evidence(("health", "last_health_assessment_date")))
        if last > rdate or ma > rdate:
            problems.append("a health date is after the report's date")
            ev.append(ctx.evidence(("health",)))
        # the health section's own text: its summary, or the paragraphs it gives the assessment and the adviser's report
        text = " ".join(str(h.get(k) or "") for k in ("summary", "future_needs", "birth_history")) + " " + " ".join(
            str(get(h, k, "summary") or "") for k in ("last_health_assessment", "medical_adviser_report"))
        if not (_date_mentioned(text, last) or _date_mentioned(text, ma)):
            problems.append("the summary does not refer to the health assessment or the medical adviser's report by date")
            actions.append("Say in the summary which health assessment and medical adviser's report (with dates) it is based on.")
            ev.append(ctx.evidence(("health", "summary")))
    answer = "no" if not last or not ma else "partial"
    denials, omissions = unmatched_findings(ctx)  # the narrative against the adviser's own summary
    if denials:  # a shorter narrative beside the adviser's summary is not wrong; one that contradicts it is
        said = get(ctx.data, *denials[0][0])[denials[0][1]:denials[0][2]]
        problems.append(f"the health narrative says '{said}', but the medical adviser's summary names "
                        + "; ".join(f for *_, f in omissions[:6]))
        actions.append("Make the health narrative match the medical adviser's summary: say what it names and what is being done about each.")
        ev = [ctx.evidence(p, s, e) for p, s, e in denials] + [ctx.evidence(p, s, e) for p, s, e, _ in omissions] + ev
        answer = "no"
    if not problems:
        also = (" The medical adviser's summary also names, and the narrative does not repeat: "
                + "; ".join(f for *_, f in omissions[:6]) + ".") if omissions else ""
        return Result("yes", f"The health section refers to the health assessment of {uk(last)} and the medical adviser's report of {uk(ma)}." + also)
    return Result(answer, "Health: " + "; ".join(problems) + ".", actions, ev)
