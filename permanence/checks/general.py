"""General items about the report as a document: up to date (G1), the author's
qualification (G2), signatures (G3) and proofreading (G4). Photographs and genogram are
in family_tree.py, names in names.py, dates in dates.py, every question answered in answers.py."""
from __future__ import annotations

from permanence.checks import Result, check, grade
from permanence.checks.text import answered, as_dict, as_list, bare_na, get, parse_date, plural, uk, worst
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
    return Result(worst(flag_answer, spell_answer) if spell_answer != "review" else ("review" if flag_answer == "yes" else flag_answer),
                  " ".join(comments), actions, ev)


def ctx_text(ctx, problem) -> str:
    value = get(ctx.data, *problem.path)
    return value[problem.start:problem.end] if isinstance(value, str) else ""
