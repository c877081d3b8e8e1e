"""Family time (F1-F4): now, its reduction, and after placement."""
from __future__ import annotations

from permanence.checks import Result, check
from permanence.checks.text import answered, as_dict, as_list, bare_na, plural, get

SRC = "seed 003 App. 8 audit form, Family time"


@check("F1", area="Family time", question="Are current family time arrangements explicit: with whom, how often, where, who supervises and how the child's needs are met?",
       source=f"{SRC} (current); Sched. 1 Part 1 (current contact)")
def current(ctx):
    items = [(i, as_dict(c)) for i, c in enumerate(as_list(get(ctx.data, "family_time", "current")))]
    if not items:
        if answered(get(ctx.data, "family_time", "reduction_plan")) and not bare_na(get(ctx.data, "family_time", "reduction_plan")):
            return Result("review", "No current family time is listed; check the report says why (for example it has ended).",
                          evidence=[ctx.evidence(("family_time", "reduction_plan"))])
        return Result("no", "No current family time arrangements are given.", ["Set out current family time with each parent and sibling: how often, where, who supervises and how it meets the child's needs, or say there is none and why."],
                      [ctx.evidence(("family_time", "current"))])
    gaps, ev = [], []
    for i, c in items:
        missing = [lbl for key, lbl in (("frequency", "how often"), ("venue", "where"), ("supervised_by", "who supervises"), ("how_needs_met", "how it meets the child's needs"))
                   if not answered(c.get(key))]
        if missing:
            gaps.append(f"with {c.get('with_whom')}: nothing on " + ", ".join(missing))
            ev.append(ctx.evidence(("family_time", "current", i)))
    if not gaps:
        return Result("yes", f"The {plural(len(items), 'current arrangement')} {'says' if len(items) == 1 else 'say'} how often, where, who supervises and how they meet the child's needs.")
    return Result("no" if len(gaps) == len(items) and len(gaps) > 1 else "partial", "Current family time " + "; ".join(gaps) + ".",
                  ["For each arrangement say how often, where (no addresses), who supervises and how it meets the child's needs."], ev)


@check("F2", area="Family time", question="Is the plan for reducing family time before placement clearly stated?",
       source=f"{SRC} (reduction)")
def reduction(ctx):
    plan = get(ctx.data, "family_time", "reduction_plan")
    if answered(plan) and not bare_na(plan):
        return Result("yes", "The reduction plan is stated.")
    return Result("no", "The plan for reducing family time is " + ("N/A without a reason." if bare_na(plan) else "missing."),
                  ["State how family time will reduce before placement (steps, dates, farewell meeting), or N/A with the reason."],
                  [ctx.evidence(("family_time", "reduction_plan"))])


@check("F3", area="Family time", question="Is proposed future family time explicit: with whom, one way or both ways, how often, with photographs, and how facilitated?",
       source=f"{SRC} (proposed); Adoption Agencies Regulations 2005 reg. 17(1)(f)")
def proposed(ctx):
    items = [(i, as_dict(c)) for i, c in enumerate(as_list(get(ctx.data, "family_time", "proposed")))]
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
    plan = get(ctx.data, "family_time", "post_adoption_plan")
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
    return Result("review", "A post-adoption plan is given; whether it is realistic and achievable needs the adviser's judgement.",
                  evidence=[ctx.evidence(("family_time", "post_adoption_plan"))])
