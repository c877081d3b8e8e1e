"""General items about the report as a document: up to date (G1), the author's
qualification (G2), signatures (G3) and proofreading (G4). Photographs and genogram are
in family_tree.py, names in names.py, dates in dates.py, every question answered in answers.py."""
from __future__ import annotations

import re

from permanence.checks import Result, check, grade
from permanence.checks.text import answered, as_dict, as_list, bare_na, get, parse_date, plural, sentence_bounds, uk, weak_answer, worst
from permanence.checks.names import name_variants

SRC = "seed 003 App. 8 audit form, General"


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
    undone = actions_not_done(ctx)
    for action, f, start, end in undone:
        still = "still answers it only '" + f.text.strip().rstrip(".") + "'" if weak_answer(f.text) or bare_na(f.text) else "still says it is to come"
        problems.append(f"the last audit's action '{action}' is recorded as done, but the report {still}")
        actions.append(f"Complete the action of the last audit ('{action}') or record that it is still outstanding.")
        ev.append(ctx.evidence(f.path, start, end))
    # "Update 1st July 2025: Since the Placement Orders were made, ...": added at the end, not rewritten (App. 8)
    appended = [(f, m) for f, m in ctx.finditer(_APPENDED_RE) if f.path[:1] not in (("chronologies",), ("report",))]
    if appended:
        f, m = appended[0]
        problems.append(f"{plural(len(appended), 'update is', 'updates are')} added to a section ('{m.group(0).strip()}') instead of the section being rewritten")
        actions.append("Rewrite each section with what is now known, rather than adding updates at its end.")
        ev += [ctx.evidence(f.path, m.start(), m.end()) for f, m in appended[:5]]
    previous = as_dict(report.get("previous_audit"))
    if not problems and previous:
        said = " ".join(str(x) for x in (previous.get("summary"), *[get(a, "action") for a in as_list(previous.get("actions"))]) if x)
        return Result("yes", "There was no earlier audit (first version)." if bare_na(said) or _FIRST_VERSION_RE.search(said)
                      else "The actions of the last audit are recorded with what was done, and nothing in the report says one is still to come.")
    if not problems:
        if amended is None and len(as_list(report.get("version_history"))) > 1:
            return Result("review", "The report does not say whether the amendments asked for at the last audit were made; check them against the last audit.",
                          evidence=[ctx.evidence(("report", "version_history"))])
        return Result("yes", "The report is dated and current for its purpose" + (" and the previous amendments are recorded as made." if amended else "."))
    return Result("no" if amended is False or rdate is None or len(problems) > 1 else "partial",
                  "Not up to date: " + "; ".join(problems) + ".", actions, ev)


_APPENDED_RE = re.compile(r"(?m)^\s*(?:update|updated|addendum|postscript|further update)\b[^:\n.]{0,40}:", re.I)
_FIRST_VERSION_RE = re.compile(r"\bfirst version\b|\bno (?:previous|earlier) audit\b|\bnot (?:yet )?(?:been )?audited\b", re.I)
_DONE_RE = re.compile(r"\b(?:done|completed?|added|included|made|updated)\b", re.I)
_PENDING_RE = re.compile(r"\b(?:will be (?:added|included|updated|completed|obtained|sought|recorded)|to be (?:added|included|confirmed|completed|obtained)|"
                         r"not yet (?:been )?(?:added|obtained|received|seen|met|recorded|completed)|once I have|when I have|awaiting|awaited|to follow|outstanding)\b", re.I)
_REQUESTED_RE = re.compile(r"\basked (?:for|that|me)\b|\brequested\b|\bwanted\b|\bwhich (?:i|we) have\b|\b(?:has|have) been\b|\bwas added\b|\bwere added\b")
_GENERIC_WORDS = {"add", "added", "record", "recorded", "describe", "include", "included", "update", "updated", "report", "section", "done",
                  "completed", "complete", "their", "about", "with", "from", "this", "that", "section", "details", "information", "comments"}


def actions_not_done(ctx) -> list[tuple]:
    """Actions of the last audit the report records as done while its text still says the thing
    is to come ('Add maternal grandparents' views – completed.' beside 'their views will be
    added once I have met them'): (action, field, start, end) of the sentence saying so."""
    previous = as_dict(get(ctx.data, "report", "previous_audit"))
    lines = [str(get(a, "action") or "") for a in as_list(previous.get("actions"))]
    if not lines and isinstance(previous.get("summary"), str):
        lines = [x for x in re.split(r"\n|;|\(\d+\)", previous["summary"]) if _DONE_RE.search(x)]
    out = []
    from permanence.checks.text import label

    for line in lines:
        line = re.split(r"(?<=[a-z)])\.\s+(?=[A-Z])", line.strip(), maxsplit=1)[0]  # the action's own sentence
        body = re.sub(r"^\s*(?:action\s*\d+\s*:|\d+[.)])\s*", "", line, flags=re.I)  # "Action 2: ...", "1. ..."
        action = re.split(r"\s[-\u2013\u2014]\s|:\s", body, maxsplit=1)[0].strip(" .:")  # "... – done", "...: Completed"
        names = {n.lower() for n in ctx.name_tokens()}
        words = {w.lower() for w in re.findall(r"[A-Za-z]{4,}", action)} - _GENERIC_WORDS - names
        if not words or not _DONE_RE.search(line):
            continue
        need = min(2, len(words))
        # the part the action names still answered only 'N/A' or 'Not known' ("complete the adoption support section
        # – done" beside an adoption support section of "N/A")
        named = [i for i, p in enumerate(as_list(ctx.data.get("birth_parents"))) if any(
            w.lower() in action.lower() for w in str(get(p, "name") or "").split() if len(w) > 2)]
        weak = next((f for f in ctx.fields if (weak_answer(f.text, f.path[-1] if isinstance(f.path[-1], str) else "") or bare_na(f.text))
                     and sum(1 for w in words if w[:6] in label(f.path).lower()) >= need
                     and (f.path[:1] != ("birth_parents",) or not named or f.path[1] in named)), None)
        if weak is not None:
            out.append((action[:120], weak, 0, len(weak.text)))
            continue
        for f in ctx.fields:
            if f.path[:2] == ("report", "previous_audit"):
                continue
            for m in _PENDING_RE.finditer(f.text):
                s, e = sentence_bounds(f.text, m.start(), m.end())
                sentence = f.text[s:e].lower()
                if _REQUESTED_RE.search(sentence):
                    continue  # 'asked for a sentence to be added, which I have done': a request reported, not work to come
                if any(re.search(rf"\b{re.escape(w)}", sentence) for w in words):
                    out.append((action[:120], f, s, e))
                    break
            else:
                continue
            break
    return out


# ---------------------------------------------------------------------------------- G2
@check("G2", area="General", question="Is the author qualified to write the report under the 2005 reports regulations (and verified), or supervised by a qualified worker?",
       source="Restriction on the Preparation of Adoption Reports Regulations 2005 (SI 2005/1711) reg. 3; seed 003 App. 8 'Who can write a CPR?'")
def qualification(ctx):
    author, sup = as_dict(ctx.data.get("author")), as_dict(ctx.data.get("supervisor"))
    qualified, verified = author.get("qualified_under_2005_regulations"), author.get("qualification_verified")
    if qualified is None:
        qualified = meets_2005_regulations(author)  # what the report says of the author's experience
    if qualified is True and verified is True:
        return Result("yes", "The author is recorded as qualified under the 2005 regulations, and the qualification has been verified.")
    if qualified is True and verified is None:
        # A report cannot show that a manager checked the author's qualification: a person asks.
        return Result("review", "The report shows the author qualified under the 2005 regulations (three years' post-qualifying child care "
                      "experience including adoption work); it cannot show whether the manager verified it. Check with the team manager.",
                      evidence=[ctx.evidence(_first_present(author, ("qualified_under_2005_regulations", "qualifications", "adoption_experience"), "author"))])
    if qualified is True:
        return Result("partial", "The author is recorded as qualified, but the qualification is recorded as not verified.",
                      ["The manager should verify the author's qualification (three years' post-qualifying child care experience including adoption work) and record it."],
                      [ctx.evidence(("author", "qualification_verified"))])
    sup_named = answered(sup.get("name")) and not bare_na(sup.get("name")) and not not_required(sup.get("name"))
    sup_ok = sup_named and (sup.get("qualified_under_2005_regulations") is True or meets_2005_regulations(sup) is True
                            or meets_2005_regulations(_as_told(ctx, sup)) is True)
    if sup_ok and sup.get("signed") is True:
        return Result("yes", "The author is not qualified under the 2005 regulations; a qualified worker supervised the report and signed it.")
    if sup_ok:
        return Result("partial", "A qualified supervisor is named but has not signed the report.",
                      ["The qualified supervisor must sign and date the report."], [ctx.evidence(("supervisor", "signed"))])
    if qualified is None and not sup_named and ctx.asked is not None:  # a template that does not ask it
        return Result("review", "The report does not say what qualification and experience the author has, or who supervised the report. "
                      "Check that the author (or a supervisor) meets the 2005 regulations.", evidence=[ctx.evidence(("author",))])
    what = "is not recorded as qualified" if qualified is None else "is not qualified"
    return Result("no", f"The author {what} under the 2005 reports regulations and no qualified supervisor is named: a report prepared this way is unlawful.",
                  ["Record the author's qualification (and have it verified), or name the qualified social worker who supervised the report and have them sign it."],
                  [ctx.evidence(_first_present(author, ("qualified_under_2005_regulations", "qualifications", "adoption_experience"), "author")),
                   ctx.evidence(("supervisor", "name") if "name" in sup else ("supervisor",))])


_NOT_REQUIRED_RE = re.compile(r"^\s*(?:n/?a|none|nil|not required|not needed|not applicable|no supervisor)\b", re.I)
_YEARS_RE = re.compile(r"\b(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten)\s+years?\b", re.I)
_NO_ADOPTION_RE = re.compile(r"\bno (?:previous |prior |direct )?(?:adoption|experience of adoption)|\bno previous adoption|without adoption", re.I)
_ADOPTION_RE = re.compile(r"\badoption\b", re.I)
_QUALIFIED_SAID_RE = re.compile(r"\bqualified under the (?:2005 )?regulations|meets the requirements of the 2005", re.I)
_NOT_QUALIFIED_RE = re.compile(r"\bnot qualified\b|\bdoes not meet\b", re.I)
_YEAR_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}


def not_required(value) -> bool:
    """'N/A', 'Not required', 'None': no such person (a supervisor the author does not need)."""
    return isinstance(value, str) and bool(_NOT_REQUIRED_RE.match(value))


def meets_2005_regulations(person: dict) -> bool | None:
    """From what the report says of a worker's experience: at least three years' post-qualifying
    child care experience including adoption work (Restriction on the Preparation of Adoption
    Reports Regulations 2005 reg. 3). True, False, or None when the report does not say."""
    text = " ".join(str(person.get(k) or "") for k in ("qualifications", "adoption_experience", "role", "experience"))
    if _NOT_QUALIFIED_RE.search(text):
        return False
    if _QUALIFIED_SAID_RE.search(text):
        return True
    years = person.get("post_qualifying_years")
    if not isinstance(years, int):
        found = [_YEAR_WORDS.get(m.group(1).lower()) or int(m.group(1)) if m.group(1).isdigit() or m.group(1).lower() in _YEAR_WORDS else 0
                 for m in _YEARS_RE.finditer(text)]
        years = max(found) if found else None
    if years is None and not text.strip():
        return None
    adoption = bool(_ADOPTION_RE.search(text)) and not _NO_ADOPTION_RE.search(text)
    if years is None:
        return None
    return years >= 3 and adoption


_QUALIFIED_IN_RE = re.compile(r"\bqualified (?:as a social worker )?in (?:\w+ )?((?:19|20)\d{2})\b", re.I)


def _as_told(ctx, person: dict) -> dict:
    """A worker's experience as the narrative tells it ('under the supervision of Angela Firth, Senior
    Practitioner, who qualified in 2009 and has worked in adoption since 2014'), with the years since
    qualifying counted to the report's date."""
    from permanence.checks.text import sentence_bounds

    names = [w for w in str(person.get("name") or "").split() if len(w) > 2 and w[0].isupper()]
    told = []
    for f in ctx.fields:
        for m in re.finditer("|".join(rf"\b{re.escape(w)}\b" for w in names) or r"(?!)", f.text):
            a, b = sentence_bounds(f.text, m.start(), m.end())
            clause = f.text[m.start():b]
            if _QUALIFIED_IN_RE.search(clause) or _QUALIFIED_SAID_RE.search(clause):
                told.append(clause)
    text = " ".join(dict.fromkeys(told))
    year = _QUALIFIED_IN_RE.search(text)
    on = (ctx.report_date or ctx.as_of).year
    return {"qualifications": text, **({"post_qualifying_years": on - int(year.group(1))} if year else {})}


def _first_present(person: dict, keys, who: str) -> tuple:
    return next(((who, k) for k in keys if k in person), (who,))


# ---------------------------------------------------------------------------------- G3
def sign_off_line(ctx, pattern: re.Pattern, field: tuple) -> list:
    """Evidence for a missing signature or proofreading: the line of the report's sign-off
    (report.sign_off_notes: the signature and proofreading lines as written) that matches
    pattern, where an adviser points, then the missing tick-box itself (field)."""
    text = get(ctx.data, "report", "sign_off_notes")
    lines, pos = [], 0
    for line in text.split("\n") if isinstance(text, str) else []:
        if line.strip() and pattern.search(line):
            lines.append((pos, line))
        pos += len(line) + 1
    # the person's signature line ('Signed (team manager) –') before a proofreading line that names them
    lines.sort(key=lambda x: (not re.search(r"\bsign|\bdate\b", x[1], re.I) or bool(re.search(r"\bproof", x[1], re.I))))
    if lines:
        at, line = lines[0]
        return [ctx.evidence(("report", "sign_off_notes"), at, at + len(line)), ctx.evidence(field)]
    return [ctx.evidence(field)]


def _party_re(person: dict, who: str) -> re.Pattern:
    names = [w for w in re.findall(r"[A-Z][a-z'-]+", str(person.get("name") or "")) if len(w) > 2]
    return re.compile("|".join([rf"\b{re.escape(w)}\b" for w in names] + [rf"^\W*(?:team )?{who}\b", rf"\((?:team |line )?{who}\)"]), re.I)


SIGNED_BEFORE_DAYS = 31  # a signature this long before the report's date is an earlier version's (G3)


def _signature(ctx, key: str, who: str):
    person = as_dict(ctx.data.get(key))
    problems, actions, ev = [], [], []
    if person.get("signed") is not True:
        problems.append(f"not signed by the {who}")
        actions.append(f"The {who} must sign the report.")
        ev += sign_off_line(ctx, _party_re(person, who), (key, "signed"))
    elif not parse_date(person.get("signed_date")):
        problems.append(f"the {who}'s signature is not dated")
        actions.append(f"Add the date the {who} signed.")
        ev += sign_off_line(ctx, _party_re(person, who), (key, "signed_date"))
    else:
        signed = parse_date(person.get("signed_date"))
        # signed in the weeks before the date the report was finished is this version's signature;
        # months before, it is an earlier version's
        if ctx.report_date and (ctx.report_date - signed).days > SIGNED_BEFORE_DAYS:
            problems.append(f"the {who} signed on {uk(signed)}, more than a month before the report's date ({uk(ctx.report_date)})")
            actions.append(f"The {who} should sign this version of the report (signed on or after its date).")
            ev.append(ctx.evidence((key, "signed_date")))
    return problems, actions, ev


@check("G3", area="General", question="Is the report signed and dated by the author and the line manager (and the supervisor where one is needed)?",
       source=f"{SRC} (signatures); Adoption Agencies Regulations 2005 reg. 17")
def signatures(ctx):
    parties = [("author", "author"), ("manager", "manager")]
    sup_name = get(ctx.data, "supervisor", "name")
    if as_dict(ctx.data.get("author")).get("qualified_under_2005_regulations") is not True and answered(sup_name) \
            and not bare_na(sup_name) and not not_required(sup_name):
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
    author, manager, sup = (as_dict(ctx.data.get(k)) for k in ("author", "manager", "supervisor"))
    said = proofread_by(ctx)
    # The manager (or the supervisor) must have proofread and signed; the author by signing owns
    # the text, unless the report says the author did not proofread it.
    # Where the report says in words who proofread it, its words stand over a tick-box read
    # beside them ('This report has been proofread by the author' is not the manager's proofreading).
    manager_ok = any((who in said if said else p.get("proofread") is True) and p.get("signed") is True
                     for who, p in (("manager", manager), ("supervisor", sup)))
    author_ok = author.get("signed") is True and (author.get("proofread") is True or "author" in said
                                                   or (author.get("proofread") is None and manager_ok))
    flags = [w for w, ok in (("author", author_ok), ("manager", manager_ok)) if ok]
    comments, actions, ev = [], [], []
    flag_answer = "yes" if len(flags) == 2 else "partial" if flags else "no"
    if flag_answer != "yes":
        missing = [w for w in ("author", "manager") if w not in flags]
        comments.append("Not recorded as proofread and signed by the " + " and ".join(missing) + ".")
        actions.append("The " + " and the ".join(missing) + " should proofread the report, sign it and tick 'Proofread'.")
        people = {"author": author, "manager": manager}
        ev += [e for e in sign_off_line(ctx, _PROOFREAD_RE, ()) if e.path]  # who the report says proofread it
        for w in missing:  # and the missing party's own line
            ev += sign_off_line(ctx, _party_re(people[w], w), (w, "proofread"))
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
    return Result(worst(flag_answer, spell_answer) if spell_answer != "review" else ("review" if flag_answer == "yes" else flag_answer),
                  " ".join(comments), actions, ev)


_PROOFREAD_RE = re.compile(r"\bproof-?read\w*\s+(?:by\s+)?(?P<who>[^.;\n]{2,120})", re.I)


def proofread_by(ctx) -> set[str]:
    """Who the report says proofread it ('Proofread by Imran Siddiqui, Team Manager'): a set
    of 'author', 'manager', 'supervisor', matched by their names."""
    people = {key: [w for w in re.findall(r"[A-Z][a-z'-]+", str(get(ctx.data, key, "name") or "")) if len(w) > 2]
              for key in ("author", "manager", "supervisor")}
    out = set()
    for f in ctx.fields:
        for m in _PROOFREAD_RE.finditer(f.text):
            who = m.group("who")
            for key, words in people.items():
                if words and any(re.search(rf"\b{re.escape(w)}\b", who) for w in words):
                    out.add(key)
            if re.search(r"\bthe author\b", who, re.I):
                out.add("author")
            if re.search(r"\b(?:team |line |both |the )?managers?\b", who, re.I):
                out.add("manager")
    return out


def ctx_text(ctx, problem) -> str:
    value = get(ctx.data, *problem.path)
    return value[problem.start:problem.end] if isinstance(value, str) else ""
