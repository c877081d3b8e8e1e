"""Wishes and feelings (W1-W6); siblings (S1-S2) are in permanence/checks/siblings.py, other relatives and other assessments
(R1, A1, A2) are in permanence/checks/assessments.py."""
from __future__ import annotations

import re

from permanence.checks import Result, check
from permanence.checks.text import (WORD_RE, answered, called, as_dict, as_list, get, iter_strings, parent_identified, parse_date,
                                    name_words, sentence_case, uk, weak_answer)

W_SRC = "seed 003 App. 8 audit form, Wishes and feelings"
_REGULAR_RE = re.compile(r"\b(weekly|fortnightly|monthly|every|each (?:week|month|fortnight)|once|twice|times|regularly|\d+)\b", re.I)
_EFFORT_RE = re.compile(r"\b(letters?|wrote|texts?|texted|phoned|telephoned|called|invited|offered|tried|attempts?|attempted|e-?mails?|messages?)\b", re.I)
# The social worker's view on a young child's behalf, in the first person or the third ('In Rebecca's view, Mia would want ...').
_VIEW_RE = re.compile(r"\b(my view|in my view|(?:the )?social worker['\u2019]s view|in (?:the|our|[A-Z]\w+['\u2019]s) (?:view|opinion)|on (?:his|her|their|your|\w+'s) behalf|I believe|I think|"
                      r"would (?:want|wish|choose|like) to|"
                      r"(?:the social worker|we) (?:believes?|thinks?|considers?)|I consider|I have observed|observ\w+|appears?|seems?|my assessment)\b", re.I)
_VOICE_RE = re.compile(r"[\"“”‘’]|\b(said|says|told|tells|drew|asked|chose|wants|wishes)\b", re.I)


# Direct work with a child is what was done with them, not that they were visited (W1). A
# baby's or toddler's social worker works by seeing and observing them; from about three a
# child can take part in the work about the plan.
DIRECT_WORK_AGE = 2  # from two, play, a photo book or a story can be direct work about the plan
PLAN_WORK_MONTHS = 30  # from two and a half, the work must be about the plan, not play at visits alone
_NO_WORDS_RE = re.compile(r"\b(?:non-?verbal|pre-?verbal|language is (?:too |very )?limited|has (?:few|no) words|not yet (?:talking|speaking))\b", re.I)
_DIRECT_WORK_RE = re.compile(r"\b(?:life[- ]story|direct work|play(?:ed|ing)?|draw(?:ing|ings)?|drew|talk(?:ed|ing)? (?:with|to|about|through)|"
                             r"explain(?:ed|ing)?|stor(?:y|ies|ybook)|book|workbook|worksheet|games?|puppets?|small-world|three houses|feelings|"
                             r"wishes|memory box|activit(?:y|ies)|sessions?)\b", re.I)


# work that is about the plan by what it is, or play and talk in a sentence about the plan ('we played
# with the small-world family and talked about moving to a new family'); play at visits alone is not
_PLAN_WORK_RE = re.compile(r"\b(?:life[- ]story|direct work|three houses|memory box|workbook|worksheet|storybook|photo ?book|"
                           r"(?:sessions?|work) (?:about|on|with)|explain(?:ed|ing)?)\b", re.I)
_PLAN_WORDS_RE = re.compile(r"\b(?:adopt\w*|new (?:family|home|mummy|daddy|parents)|forever|mov(?:e|ed|es|ing)|plan|why|future|"
                            r"birth (?:family|mum|dad|parents)|past|who (?:is|are) (?:in )?(?:your|his|her) family|goodbye|court|judge)\b", re.I)


def _about_the_plan(text: str) -> bool:
    return bool(_PLAN_WORK_RE.search(text)) or any(_DIRECT_WORK_RE.search(x) and _PLAN_WORDS_RE.search(x) for x in _sentences(text))


def _str(value) -> str:
    """Text, or '' for a value of the wrong type (a malformed record: a number, a list)."""
    return value if isinstance(value, str) else ""


def identified_parents(ctx):
    """Each parent the report can name and who is alive (a parent who has died is not asked
    for wishes, work or support)."""
    for i, p in enumerate(as_list(ctx.data.get("birth_parents"))):
        p = as_dict(p)
        if not parent_identified(p) or _died(ctx, p):
            continue
        yield i, p


def _died(ctx, parent: dict) -> bool:
    first = _str(parent.get("name")).split()[:1]
    if not first:
        return False
    pattern = re.compile(rf"\b{re.escape(first[0])}\b(?:['\u2019]s death| (?:\w+ ){{0,2}}(?:died|passed away)\b| \(died)")
    return any(pattern.search(f.text) for f in ctx.fields) or bool(pattern.search(_str(parent.get("name"))))


def _about(ctx, p: dict, key: str) -> tuple[str, tuple | None]:
    """A parent's answer to a question, or, where their own entry has none, what another
    parent's entry says of them by name or of both parents ('I referred each of them ...')."""
    own = p.get(key) if "/" not in key else get(p, *key.split("/"))
    if answered(own):
        return own, None
    first = _str(p.get("name")).split()[:1]
    for j, other in enumerate(as_list(ctx.data.get("birth_parents"))):
        other = as_dict(other)
        if other is p:
            continue
        text = other.get(key) if "/" not in key else get(other, *key.split("/"))
        if answered(text) and (first and re.search(rf"\b{re.escape(first[0])}\b", text) or _BOTH_RE.search(text)):
            return text, ("birth_parents", j) + tuple(key.split("/"))
    return "", None


# The social worker meeting or reaching a parent, in the first person or the third.
_MET_RE = re.compile(r"\b(?:I|we|the social worker|the worker)\s+(?:have\s+|had\s+|has\s+)?(?:\w+ly\s+)?(?:met|visited|seen|saw|spoke|spoken|talked|"
                     r"offered|explained|went through|wrote|written|phoned|telephoned|invited)\b|\b(?:told|asked|showed) me\b", re.I)
# A parent's own wishes about the plan, told in their entry ("She wants Theo home", "He does not oppose adoption").
_WISHES_RE = re.compile(r"\b(?:she|he|they|[A-Z][a-z]+)\s+(?:\w+\s+)?(?:wants?|wanted|would like|does not (?:agree|oppose|want)|"
                        r"agrees? with|opposes?|hopes?|wishes)\b[^.]{0,80}\b(?:adopt\w*|home|plan|placed|care for|live with|contact|letters?|"
                        r"photographs?|know)\b")
_BOTH_RE = re.compile(r"\b(?:both parents|both of them|each of them|each parent|the parents|either parent|them both)\b", re.I)


def _sentences(text: str, lines: bool = False) -> list[str]:
    """A text's sentences (and, with lines, its lines too)."""
    return [x for x in re.split(r"(?<=[.!?])\s+" + (r"|\n" if lines else ""), text or "") if x.strip()]


def _words(text) -> int:
    return len(WORD_RE.findall(text)) if isinstance(text, str) else 0


@check("W1", area="Wishes and feelings", question="Is there evidence that the social worker worked regularly with the child on the plan for adoption?",
       source=f"{W_SRC} (child); Adoption and Children Act 2002 s.1(4)(a)")
def work_with_child(ctx):
    done = get(ctx.data, "wishes_and_feelings", "child", "work_done")
    path, span = ("wishes_and_feelings", "child", "work_done"), ()
    if not answered(done):  # the visits and direct work told with the child's wishes and feelings ('I have visited her every four weeks ...')
        views = _str(get(ctx.data, "wishes_and_feelings", "child", "wishes_and_feelings"))
        told = [x for x in _sentences(views) if _MET_RE.search(x)]
        if told:
            done, path = " ".join(told), ("wishes_and_feelings", "child", "wishes_and_feelings")
            first = next((x for x in told if re.search(r"\bvisit|direct work", x, re.I)), told[0])
            at = views.find(first)
            span = (at, at + len(first)) if at >= 0 else ()
    if not answered(done):
        return Result("no", "The report does not describe the work done with the child about the plan.",
                      ["Describe how often and how you saw the child about the plan (visits, direct work, observations), with dates."], [ctx.evidence(path, *span)])
    if not _REGULAR_RE.search(done):
        return Result("partial", "The work with the child is described but not how often it happened.",
                      ["Say how often you saw the child and over what period."], [ctx.evidence(path, *span)])
    age = ctx.child_age()
    # what the work was, not what the template calls it: a lead-in "Direct work with Kayleigh:" names the
    # question, and the child's wishes and feelings are not work done with the child
    described = re.sub(r"(?m)^\s*[A-Z][^:.\n]{0,60}:\s*", "", done)
    described = re.sub(r"\b(?:wishes|feelings|direct work)\b", "", described, flags=re.I)  # the question's words, not the work
    dob, on = ctx.child_dob, ctx.report_date or ctx.as_of
    months = (on.year - dob.year) * 12 + on.month - dob.month - (on.day < dob.day) if dob and on >= dob else None
    # from two and a half, unless the report says the child has no words yet, the work must be about the plan
    plan_work = months is not None and months >= PLAN_WORK_MONTHS and not _NO_WORDS_RE.search(done + " " + _str(get(ctx.data, "wishes_and_feelings", "child", "wishes_and_feelings")))
    if age is not None and age >= DIRECT_WORK_AGE and not (_about_the_plan(described) if plan_work else _DIRECT_WORK_RE.search(described)):
        return Result("partial", f"The child is {age}; the section records visits but no direct work about the plan (life-story work, play, "
                      "talking the plan through in a way the child understands).",
                      ["Describe the direct work done with the child about the plan: what you did, when, and how the child responded."], [ctx.evidence(path, *span)])
    return Result("yes", "The work done with the child, and how often, is described.")


@check("W2", area="Wishes and feelings", question="Are the child's wishes and feelings in the report, or, for a young or non-verbal child, the social worker's view on their behalf?",
       source=f"{W_SRC} (child); Adoption Agencies Regulations 2005 reg. 17(1)(c)")
def child_wishes(ctx):
    text = get(ctx.data, "wishes_and_feelings", "child", "wishes_and_feelings")
    path = ("wishes_and_feelings", "child", "wishes_and_feelings")
    if not answered(text) and answered(get(ctx.data, "wishes_and_feelings", "child", "work_done")):
        # a template with one section for the work with the child and their wishes and feelings
        text, path = get(ctx.data, "wishes_and_feelings", "child", "work_done"), ("wishes_and_feelings", "child", "work_done")
    age = ctx.child_age()
    young = age is not None and age < 4
    if not answered(text) or _words(text) < 15:
        return Result("no", "The child's wishes and feelings are missing or too brief to tell the reader anything.",
                      ["Write the child's wishes and feelings" + (" — for a young child, your view on their behalf, based on what you have observed" if young else " in their own words where possible") + "."],
                      [ctx.evidence(path)])
    if young and not _VIEW_RE.search(text):
        return Result("partial", "The child is young; the section does not give the social worker's own view on the child's behalf or what it is based on.",
                      ["Give your view on the child's behalf and the observations it rests on."], [ctx.evidence(path)])
    if not young and not _VOICE_RE.search(text):
        return Result("partial", "The section does not show the child's own words or how their views were gathered.",
                      ["Add what the child said or showed, in their own words where possible."], [ctx.evidence(path)])
    return Result("yes", "The child's wishes and feelings are recorded" + (" through the social worker's view on the child's behalf." if young else "."))


@check("W3", area="Wishes and feelings", question="Is there evidence that the social worker worked regularly with each parent on the plan, and tried to where a parent disengaged?",
       source=f"{W_SRC} (parents)")
def work_with_parents(ctx):
    gaps, ev, checked = [], [], 0
    for i, p in identified_parents(ctx):
        checked += 1
        done, _ = _about(ctx, p, "wishes/work_done")
        if not answered(done):  # the meetings told where the parent's views are ('I have met April every month since ...')
            told = " ".join(_str(v) for _, v in iter_strings(p))  # wherever the parent's entry tells it
            done = " ".join(x for x in _sentences(told) if _MET_RE.search(x))
        if not answered(done):
            gaps.append(f"nothing on the work done with {called(p)}")
            ev.append(ctx.evidence(("birth_parents", i, "wishes", "work_done")))
        elif not (_REGULAR_RE.search(done) or _EFFORT_RE.search(done)):
            gaps.append(f"the work with {called(p)} does not say how often or what was tried")
            ev.append(ctx.evidence(("birth_parents", i, "wishes", "work_done")))
    if not checked:
        return Result("review", "No identified parent; check what was done to identify and reach the parents.")
    if not gaps:
        return Result("yes", "The work done with each parent, and how often or what was tried, is described.")
    blank = sum(g.startswith("nothing") for g in gaps)
    return Result("no" if blank == checked else "partial", sentence_case("; ".join(gaps)) + ".",
                  ["Describe how often you met each parent about the plan, and where a parent disengaged, what you did to reach them (letters, calls, invitations), with dates."], ev)


@check("W4", area="Wishes and feelings", question="Are each parent's wishes and feelings about the plan included?",
       source=f"{W_SRC} (parents); Adoption Agencies Regulations 2005 reg. 17(1)(d)")
def parents_wishes(ctx):
    missing, ev, checked = [], [], 0
    for i, p in identified_parents(ctx):
        checked += 1
        told = " ".join(_str(v) for _, v in iter_strings(p))  # a template may give them under another heading
        if not answered(get(p, "wishes", "wishes_and_feelings")) and not _WISHES_RE.search(told):
            missing.append(called(p))
            ev.append(ctx.evidence(("birth_parents", i, "wishes", "wishes_and_feelings")))
    if not checked:
        return Result("review", "No identified parent; check that the wishes of anyone with parental responsibility are recorded.")
    if not missing:
        return Result("yes", "Each identified parent's wishes and feelings are included.")
    return Result("no" if len(missing) == checked else "partial", "No wishes and feelings recorded for: " + ", ".join(missing) + ".",
                  ["Record each parent's wishes and feelings about the plan, in their own words where possible; if a parent would not give them, say so and what was tried."], ev)


@check("W5", area="Wishes and feelings", question="Has the report (or part of it) been shown to the parents, or is the reason it was not given?",
       source=f"{W_SRC} (report shared); Adoption Agencies Regulations 2005 reg. 17(2)")
def report_shared(ctx):
    w = as_dict(ctx.data.get("wishes_and_feelings"))
    shared = w.get("report_shared_with_parents")
    per_parent = [(i, p, _sharing_of(ctx, i, p)) for i, p in identified_parents(ctx)]
    told = [x for x in per_parent if x[2] is not None]
    if told:  # what the report says of each parent decides
        gaps = [(i, p, state) for i, p, state in per_parent if state != "ok"]
        if not gaps:
            return Result("yes", "The report says for each parent whether it was shown to them (or why not).")
        said = "; ".join(f"nothing on whether the report was shown to {called(p)}" if state is None
                         else f"the report was not shown to {called(p)} and no reason is given" for _, p, state in gaps)
        return Result("no" if len(gaps) == len(per_parent) else "partial", sentence_case(said) + ".",
                      ["For each parent, record when and how the report (or the relevant parts) was shown to them and their "
                       "comments, or why it was not and when it will be."],
                      [ctx.evidence(("birth_parents", i, "report_sharing")) for i, _, _ in gaps])
    if shared is True:
        if parse_date(w.get("report_shared_date")):
            return Result("yes", "The report was shown to the parents on " + uk(w["report_shared_date"]) + ".")
        return Result("partial", "The report was shown to the parents but the date is not given.", ["Add the date the report was shown to the parents."],
                      [ctx.evidence(("wishes_and_feelings", "report_shared_date"))])
    if shared is False and answered(w.get("report_not_shared_reason")):
        return Result("yes", "The report was not shown to the parents and the reason is given.")
    return Result("no", "The report does not say whether it was shown to the parents" + (", nor why not." if shared is False else "."),
                  ["Show the report (or the relevant parts) to the parents and record the date, or explain why it has not been shown."],
                  [ctx.evidence(("wishes_and_feelings", "report_shared_with_parents"))])


_REPORT = r"(?:report|version \d+|easy-read (?:summary|version))"
_SHARED_RE = re.compile(rf"\b(?:read|went through|go through|shared|showed|shown|sent|gave|given|discussed|explained)\b[^.;]{{0,60}}\b{_REPORT}\b|"
                        rf"\b{_REPORT}\b[^.;]{{0,60}}\b(?:shared|shown|sent|read|went through|given|posted|seen)\b", re.I)
_NOT_SHARED_RE = re.compile(r"\bnot (?:been |yet )?(?:shared|shown|sent|seen)\b|\bhas not seen\b|\bcould not be (?:shared|told|shown)\b|\bdeclined\b|\brefused\b", re.I)
_WHY_RE = re.compile(r"\b(?:because|as (?:he|she|they)|due to|could not|unable|declined|refused|reason|not known|whereabouts|not been identified|"
                     r"will be|plan(?:ned)? to|arranged for|risk)\b", re.I)


def _sharing_of(ctx, index: int, p: dict) -> str | None:
    """'ok' where the report says the parent saw it (or why not), 'no reason' where it says they
    did not and not why, None where it says nothing of them."""
    rs = as_dict(p.get("report_sharing"))
    own = " ".join(_str(rs.get(k)) for k in ("how", "comments", "reason"))
    words = name_words(p)
    sentences = [x for x in _sentences(own) if not weak_answer(x)]
    for f in ctx.fields:
        if f.path[:1] == ("birth_parents",) and (f.path[1:2] != (index,) or f.path[2:3] == ("report_sharing",)):
            continue  # another parent's entry, or this one's sharing (read above)
        mine = f.path[:2] == ("birth_parents", index)
        for x in _sentences(f.text, lines=True):
            if _SHARED_RE.search(x) and not _ASKED_TO_RE.search(x) and (mine or any(re.search(rf"\b{re.escape(w)}\b", x) for w in words)):
                sentences.append(x)  # ('asked me to read letters and this report to him' is a wish, not the report shared)
    if rs.get("shared") is True and not any(_NOT_SHARED_RE.search(x) for x in sentences):
        return "ok"
    if not sentences:
        return None if rs.get("shared") is not False else "no reason"
    if any(_SHARED_RE.search(x) and not _NOT_SHARED_RE.search(x) for x in sentences):
        return "ok"
    return "ok" if any(_WHY_RE.search(x) for x in sentences) else "no reason"


_ASKED_TO_RE = re.compile(r"\b(?:asked|asks|wants?|would like|will)\s+(?:me\s+|us\s+|the social worker\s+)?to\s+(?:read|go through|share|show)\b", re.I)
_REFERRAL_RE = re.compile(r"\b(referr\w*|independent)\b", re.I)
# Independent support offered counts whether or not the parent has taken it up yet (W6).
_INDEPENDENT_RE = re.compile(r"\bindependent\b|birth[- ](?:parent|family) support|support (?:service )?for birth (?:parents|families)", re.I)
_NO_SUPPORT_RE = re.compile(r"\bno (?:referral|independent)\b|\bnot (?:been )?referred\b", re.I)
_OFFERED_RE = re.compile(r"\b(?:offer\w*|referr\w*|gave|given|told|explained|leaflet|details|not yet|has not (?:yet )?(?:decided|taken))", re.I)


# 'PAC-UK (an independent charity that supports birth parents ...)': a service the report explains as independent
_INDEPENDENT_SERVICE_RE = re.compile(r"\b([A-Z][\w&'-]*(?:[ -](?:[A-Z][\w&'-]*|of|for|and))*)\s*(?:\(|,\s+)(?:an?|the)\s+(?:[\w-]+\s+){0,3}"
                                     r"(?:independent|birth[- ](?:parent|family)|support for birth)")


def independent_services(ctx) -> list[str]:
    """Names of services the report explains as independent birth-parent support."""
    found = getattr(ctx, "_independent_services", None)
    if found is None:
        found = sorted({m.group(1) for f in ctx.fields for m in _INDEPENDENT_SERVICE_RE.finditer(f.text) if len(m.group(1)) >= 3})
        ctx._independent_services = found
    return found


_SUPPORT_WORDS_RE = re.compile(r"\b(?:independent|birth[- ](?:parent|family) support|counselling|support service|support worker|referr\w*)\b", re.I)


def _support_said(ctx, parent: dict) -> str:
    """Sentences elsewhere in the report on support for this parent (by first name) or for
    both parents: a template may give birth-parent support a section of its own."""
    from permanence.checks.text import sentence_bounds

    first = _str(parent.get("name")).split()[:1]
    own = {id(v) for _, v in iter_strings(parent)}
    out = []
    for f in ctx.fields:
        for m in _SUPPORT_WORDS_RE.finditer(f.text):
            a, b = sentence_bounds(f.text, m.start(), m.end())
            sentence = f.text[a:b]
            if id(f.text) in own and re.search(r"\b(?:she|he|they)\b", sentence, re.I) or (first and re.search(rf"\b{re.escape(first[0])}\b", sentence)) or _BOTH_RE.search(sentence) or \
                    re.search(r"\b(?:your|the) (?:birth )?parents\b|\bbirth (?:mother|father|parents)\b", sentence, re.I):
                out.append(sentence)
    return " ".join(dict.fromkeys(out))


@check("W6", area="Wishes and feelings", question="Were the parents told of the support available, and was a referral made for independent birth-parent support?",
       source=f"{W_SRC} (support); Adoption Support Services Regulations 2005 reg. 3")
def parent_support(ctx):
    gaps, ev, checked, none = [], [], 0, 0
    for i, p in identified_parents(ctx):
        checked += 1
        who = _str(p.get("name")) or f"the {_str(p.get('relationship')) or 'parent'}"  # a parent the report does not name
        offered, _ = _about(ctx, p, "support_offered")
        if not answered(offered):
            offered = _support_said(ctx, p)
        response = p.get("support_response") if isinstance(p.get("support_response"), str) else ""
        offered = (offered + " " + response).strip()
        if not answered(offered):
            gaps.append(f"no support recorded for {who}")
            ev.append(ctx.evidence(("birth_parents", i, "support_offered")))
            none += 1
        elif not ((parse_date(p.get("support_referral_date")) and not _NO_SUPPORT_RE.search(offered))
                  or (_REFERRAL_RE.search(offered) and re.search(r"declin|did not want|refus", offered, re.I))
                  or ((_INDEPENDENT_RE.search(offered) or any(n in offered for n in independent_services(ctx))) and _OFFERED_RE.search(offered))):
            gaps.append(f"no referral for independent support recorded for {who}")
            ev.append(ctx.evidence(("birth_parents", i, "support_referral_date")))
    if not checked:
        return Result("review", "No identified parent.")
    if not gaps:
        return Result("yes", "Each parent was told of the support available and referred for independent birth-parent support (or declined).")
    return Result("no" if none == checked else "partial", sentence_case("; ".join(gaps)) + ".",
                  ["Tell each parent about the support available, refer them to independent birth-parent support and record the date (or that they declined)."], ev)
