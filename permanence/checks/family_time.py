"""Family time (F1-F4): now, its reduction, and after placement."""
from __future__ import annotations

import re

from permanence.checks import Result, check
from permanence.checks.text import answered, as_dict, as_list, bare_na, plural, get

SRC = "seed 003 App. 8 audit form, Family time"
# What explicit family time says: how often, where, who supervises; which way, photographs, who arranges.
_FREQUENCY_RE = re.compile(r"\b(?:once|twice|three times|four times|\d+ times|every|each|weekly|fortnightly|monthly|annually|yearly|a year|"
                           r"a month|a week|per (?:year|month|week)|times a)\b", re.I)
_VENUE_RE = re.compile(r"\b(?:at|in) (?:the )?[A-Z][\w'\u2019-]+|\b(?:centre|home|park|office|venue|school)\b", re.I)
_SUPERVISED_RE = re.compile(r"\bsupervis\w*|\bworker\b|\bsupported by\b|\bunsupervised\b", re.I)
# Which way letters go, however it is put: 'two-way', 'from Ivy's adopters', 'she may write back'.
_DIRECTION_RE = re.compile(r"\b(?:both ways|two-way|two way|one-way|one way|(?:from|to) (?:the |[A-Z]\w+['\u2019]s |his |her |their )?(?:adopters|adoptive (?:parents|family))|"
                           r"each way|in both directions|exchange\w*|reply|replies|writes? back|write to (?:them|the adopters))\b", re.I)
_PHOTO_RE = re.compile(r"\bphoto\w*", re.I)
_FACILITATED_RE = re.compile(r"\b(?:through|via|facilitat\w*|arranged by|supported by|letterbox (?:service|team|coordinator)|service|team|agency)\b", re.I)
_VAGUE_RE = re.compile(r"\bas appropriate\b|\bto be (?:agreed|decided|confirmed|considered)\b|\bwill be considered\b|\bif appropriate\b|"
                       r"\bwith the frequency to be\b|\bonce a family is found\b|\bin due course\b|\bwhen appropriate\b", re.I)


def _vague(text: str) -> list:
    """Where the plan is left open; 'Only adopters who can commit to this plan will be considered' is
    about the adopters, not the plan."""
    out = []
    for m in _VAGUE_RE.finditer(text):
        start = max(text.rfind(".", 0, m.start()), text.rfind("\n", 0, m.start())) + 1
        if not re.search(r"\b(?:adopters|adoptive (?:parents|families)|families|carers) who\b", text[start:m.start()], re.I):
            out.append(m)
    return out


# 'once a month' is a step; 'once a family is found' is only when (a conjunction, not a frequency).
# the steps of a reduction: how often at each step, or from when; a goodbye meeting alone is no plan for reducing
_STEPS_RE = re.compile(r"\b(?:once (?:a|an|every|per) (?:day|week|fortnight|month|term|quarter|year|\w+ (?:days|weeks|months))\b|twice|every|weekly|fortnight\w*|monthly|"
                       r"reduce to|reducing to|reduced to|then|(?:a|one|two|three|four|six|a few) (?:days?|weeks?|months?) before)\b|\d", re.I)


@check("F1", area="Family time", question="Are current family time arrangements explicit: with whom, how often, where, who supervises and how the child's needs are met?",
       source=f"{SRC} (current); Sched. 1 Part 1 (current contact)")
def current(ctx):
    items = [(i, as_dict(c)) for i, c in enumerate(as_list(get(ctx.data, "family_time", "current")))]
    summary = get(ctx.data, "family_time", "current_summary")
    if not items and isinstance(summary, str) and re.match(r"\s*(?:n/?a|none|not applicable)\b", summary, re.I) and not bare_na(summary):
        return Result("not_applicable", "There is no current family time, and the report says why.")
    if not items and answered(summary):
        missing = [lbl for rx, lbl in ((_FREQUENCY_RE, "how often"), (_VENUE_RE, "where"), (_SUPERVISED_RE, "who supervises")) if not rx.search(summary)]
        if not missing:
            return Result("yes", "Current family time is described: how often, where and who supervises it.")
        return Result("partial", "Current family time does not say " + ", ".join(missing) + ".",
                      ["Set out current family time with each parent and sibling: how often, where, who supervises and how it meets the child's needs."],
                      [ctx.evidence(("family_time", "current_summary"))])
    if not items:
        if answered(get(ctx.data, "family_time", "reduction_plan")) and not bare_na(get(ctx.data, "family_time", "reduction_plan")):
            return Result("review", "No current family time is listed; check the report says why (for example it has ended).",
                          evidence=[ctx.evidence(("family_time", "reduction_plan"))])
        return Result("no", "No current family time arrangements are given.", ["Set out current family time with each parent and sibling: how often, where, who supervises and how it meets the child's needs, or say there is none and why."],
                      [ctx.evidence(("family_time", "current"))])
    gaps, ev = [], []
    for i, c in items:
        row = " ".join(str(v) for v in c.values() if isinstance(v, str))  # "Family centre, Hereford, supervised by a worker" says both
        told = {"frequency": _FREQUENCY_RE, "venue": _VENUE_RE, "supervised_by": _SUPERVISED_RE}
        missing = [lbl for key, lbl in (("frequency", "how often"), ("venue", "where"), ("supervised_by", "who supervises"), ("how_needs_met", "how it meets the child's needs"))
                   if not answered(c.get(key)) and not (key in told and told[key].search(row))
                   and not (key == "how_needs_met" and answered(summary) and len(summary.split()) >= 20)]
        if missing:
            gaps.append(f"with {c.get('with_whom')}: nothing on " + ", ".join(missing))
            ev.append(ctx.evidence(("family_time", "current", i)))
    if not gaps:
        return Result("yes", f"The {plural(len(items), 'current arrangement')} {'says' if len(items) == 1 else 'say'} how often, where, who supervises and how they meet the child's needs.")
    return Result("no" if len(gaps) == len(items) and len(gaps) > 1 else "partial", "Current family time " + "; ".join(gaps) + ".",
                  ["For each arrangement say how often, where (no addresses), who supervises and how it meets the child's needs."], ev)


_NO_NEED_RE = re.compile(r"\bno (?:reduction |plan |reduction plan )(?:is )?needed\b|\bnot needed\b|\bhas ended\b|\bended\b|\bno family time\b|\bno current\b", re.I)


@check("F2", area="Family time", question="Is the plan for reducing family time before placement clearly stated?",
       source=f"{SRC} (reduction)")
def reduction(ctx):
    plan = get(ctx.data, "family_time", "reduction_plan")
    if answered(plan) and not bare_na(plan) and (_STEPS_RE.search(plan) or _NO_NEED_RE.search(plan)):
        return Result("yes", "The reduction plan is stated.")
    if answered(plan) and not bare_na(plan):
        return Result("partial", "The reduction plan gives no steps: how often family time will be, from when, and the goodbye.",
                      ["Set out how family time will reduce before placement: the steps, how often at each step, from when, and the farewell meeting."],
                      [ctx.evidence(("family_time", "reduction_plan"))])
    return Result("no", "The plan for reducing family time is " + ("N/A without a reason." if bare_na(plan) else "missing."),
                  ["State how family time will reduce before placement (steps, dates, farewell meeting), or N/A with the reason."],
                  [ctx.evidence(("family_time", "reduction_plan"))])


@check("F3", area="Family time", question="Is proposed future family time explicit: with whom, one way or both ways, how often, with photographs, and how facilitated?",
       source=f"{SRC} (proposed); Adoption Agencies Regulations 2005 reg. 17(1)(f)")
def proposed(ctx):
    items = [(i, as_dict(c)) for i, c in enumerate(as_list(get(ctx.data, "family_time", "proposed")))]
    summary = get(ctx.data, "family_time", "proposed_summary")
    if not items and answered(summary):
        missing = [lbl for rx, lbl in ((_DIRECTION_RE, "one way or both ways"), (_FREQUENCY_RE, "how often"), (_PHOTO_RE, "photographs"),
                                       (_FACILITATED_RE, "who arranges it")) if not rx.search(summary)]
        vague = [m.group(0) for m in _vague(summary)]
        if not missing and not vague:
            return Result("yes", "Proposed family time is explicit: which way, how often, photographs and who arranges it.")
        bits = (["it does not say " + ", ".join(missing)] if missing else []) + ([f"it is left open ('{vague[0]}')"] if vague else [])
        return Result("partial", "Proposed family time is not explicit: " + "; ".join(bits) + ".",
                      ["For each parent and sibling, set out proposed family time after placement: direct or indirect, one way or both ways, how often, photographs, who facilitates."],
                      [ctx.evidence(("family_time", "proposed_summary"), m.start(), m.end()) for m in _vague(summary)] or [ctx.evidence(("family_time", "proposed_summary"))])
    if not items:
        return Result("no", "No proposed family time after placement is set out.",
                      ["For each parent and sibling, set out proposed family time after placement: direct or indirect, one way or both ways, how often, photographs, who facilitates."],
                      [ctx.evidence(("family_time", "proposed"))])
    gaps, ev = [], []
    for i, c in items:
        if c.get("kind") == "none":
            if not answered(c.get("reasons")):
                gaps.append(f"no family time with {c.get('with_whom')} and no reason")
                ev.append(ctx.evidence(("family_time", "proposed", i, "reasons")))
            continue
        missing = [lbl for key, lbl in (("kind", "direct or indirect"), ("direction", "one way or both ways"), ("frequency", "how often"),
                                        ("photos", "photographs"), ("facilitated_by", "how facilitated")) if not answered(c.get(key))]
        if missing:
            gaps.append(f"with {c.get('with_whom')}: nothing on " + ", ".join(missing))
            ev.append(ctx.evidence(("family_time", "proposed", i)))
    if not gaps:
        return Result("yes", f"The {plural(len(items), 'proposed arrangement')} {'is' if len(items) == 1 else 'are'} explicit.")
    return Result("no" if len(gaps) == len(items) and len(gaps) > 1 else "partial", "Proposed family time " + "; ".join(gaps) + ".",
                  ["Make each proposed arrangement explicit: direct or indirect, one way or both ways, how often, whether photographs are exchanged and who facilitates it."], ev)


@check("F4", area="Family time", question="Is the post-adoption family time plan realistic and achievable?",
       source=f"{SRC} (post-adoption plan)")
def post_adoption(ctx):
    from permanence.checks.attendance import contradicted_claims

    plan = get(ctx.data, "family_time", "post_adoption_plan")
    summary = get(ctx.data, "family_time", "proposed_summary")
    contradicted = contradicted_claims(ctx)
    if contradicted:
        said = "; ".join(f"it relies on {who} attending reliably, but the report records {a} of {b} sessions attended" if kind == "claim"
                         else f"it proposes direct family time with {who}, who came to {a} of {b} sessions, without saying why that is realistic"
                         for who, _, _, a, b, kind in contradicted)
        return Result("partial", f"The plan for family time after adoption is not shown to be realistic: {said}.",
                      ["Base the plan for family time after adoption on the attendance the report records, or explain why it "
                       "is still realistic (what has changed, who will support the parent to attend)."],
                      [e for _, claim, record, _, _, _ in contradicted for e in (claim, record)])
    if (not answered(plan) or bare_na(plan)) and answered(summary) and len(summary.split()) >= 12:
        if _vague(summary):
            return Result("review", "The plan for family time after adoption is left partly open; whether it is realistic and achievable needs the adviser's judgement.",
                          evidence=[ctx.evidence(("family_time", "proposed_summary"))])
        return Result("yes", "The plan for family time after adoption is set out with who arranges it.")
    if not answered(plan) or bare_na(plan):
        return Result("no", "There is no post-adoption family time plan saying why the arrangements are realistic and achievable.",
                      ["Explain why the proposed family time after adoption is realistic and achievable for the child, the adopters and the birth family."],
                      [ctx.evidence(("family_time", "post_adoption_plan"))])
    if len(plan.split()) < 12:
        return Result("no", "The post-adoption plan is too brief to show why the arrangements are realistic and achievable.",
                      ["Explain why the proposed family time after adoption is realistic and achievable: who has agreed to it, who supports it and how it will be reviewed."],
                      [ctx.evidence(("family_time", "post_adoption_plan"))])
    unfacilitated = [(i, c) for i, c in enumerate(as_list(get(ctx.data, "family_time", "proposed")))
                     if get(c, "kind") == "direct" and not answered(get(c, "facilitated_by"))]
    if unfacilitated:
        return Result("partial", "Direct family time is proposed after adoption without saying who will arrange it.",
                      ["Say who will arrange and support direct family time after adoption."],
                      [ctx.evidence(("family_time", "proposed", i)) for i, _ in unfacilitated])
    if _vague(plan):
        return Result("review", "A post-adoption plan is given but left partly open; whether it is realistic and achievable needs the adviser's judgement.",
                      evidence=[ctx.evidence(("family_time", "post_adoption_plan"))])
    return Result("yes", "A post-adoption plan is given, with who will arrange and support it.")
