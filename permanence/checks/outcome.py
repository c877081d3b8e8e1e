"""The overall outcome (X1), by a stated rule over the other items."""
from __future__ import annotations

from permanence.checks import FLAGGED, Result, check

# Items without which the report cannot support an adoption decision: an unlawful author
# (G2), an unsigned report (G3), unanswered questions (G13), no child's chronology (C4),
# no health summary (H1), no child's or parents' wishes (W2, W4), no support plan (A2).
CRITICAL = ("G2", "G3", "G13", "C4", "H1", "W2", "W4", "A2")
SIGNIFICANT_NO_COUNT = 5

# What each item is about, in a few words, for sentences such as "the author's
# qualification (G2) is answered No" (seed 003 App. 8 audit form; ids as in DOMAIN.md).
ITEM_NAMES = {
    "G1": "the report being up to date", "G2": "the author's qualification", "G3": "the signatures",
    "G4": "proofreading", "G5": "the photographs", "G6": "the genogram", "G7": "the spelling of names",
    "G8": "the dates", "G9": "generalisations", "G10": "balanced, non-judgemental wording",
    "G11": "difficult information explained", "G12": "services described", "G13": "every question answered",
    "C1": "the agency's chronology", "C2": "the parents' chronologies and histories", "C3": "the parents' care files",
    "C4": "the child's chronology", "C5": "relevant chronologies", "H1": "the health section",
    "W1": "work with the child", "W2": "the child's wishes and feelings", "W3": "work with the parents",
    "W4": "the parents' wishes and feelings", "W5": "the report shared with the parents",
    "W6": "support for the parents", "S1": "the sibling assessment", "S2": "siblings living elsewhere",
    "F1": "current family time", "F2": "the reduction of family time", "F3": "proposed family time",
    "F4": "the post-adoption plan", "R1": "relatives' viability assessments", "A1": "expert assessments",
    "A2": "adoption support", "X1": "the overall outcome",
}

RULE = ("A report requires significant improvement when any item it cannot do without is answered No ("
        + ", ".join(f"{ITEM_NAMES[c]}" for c in CRITICAL[:-1]) + f" or {ITEM_NAMES[CRITICAL[-1]]}), "
        f"or when {SIGNIFICANT_NO_COUNT} or more items are answered No. It requires improvement when any other item "
        "is answered No or Partial, and is otherwise adequate. Items marked Review are left to the adviser.")

OUTCOME_ANSWER = {"adequate": "yes", "requires_improvement": "partial", "requires_significant_improvement": "no"}
OUTCOME_LABEL = {"adequate": "Adequate for SHOBPA / matching", "requires_improvement": "Requires improvement",
                 "requires_significant_improvement": "Requires significant improvement"}


def named(ids) -> str:
    """'the dates (G8)', 'the dates (G8) and the genogram (G6)', 'a, b and c'."""
    parts = [f"{ITEM_NAMES.get(cid, cid)} ({cid})" for cid in ids]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


def _is_are(ids) -> str:
    return "is" if len(ids) == 1 else "are"


def decide(results: dict) -> tuple[str, str]:
    """(outcome, reason in sentences) from the answers of every item but X1."""
    order = list(ITEM_NAMES)
    answers = {cid: r.answer for cid, r in results.items() if cid != "X1"}
    pick = lambda a: sorted((c for c, x in answers.items() if x == a), key=lambda c: order.index(c) if c in order else 99)  # noqa: E731
    nos, partials, reviews = pick("no"), pick("partial"), pick("review")
    critical = [cid for cid in nos if cid in CRITICAL]
    others = [cid for cid in nos if cid not in critical]
    tail = f" Left to the adviser to judge: {named(reviews)}." if reviews else ""
    if critical:
        it = "it" if len(critical) == 1 else "them"
        why = (f"{named(critical)[0].upper()}{named(critical)[1:]} {_is_are(critical)} answered No, and a report cannot support "
               f"an adoption decision without {it}.")
        more = (f" Also answered No: {named(others)}." if others else "") + (f" Partly met: {named(partials)}." if partials else "")
        return "requires_significant_improvement", why + more + tail
    if len(nos) >= SIGNIFICANT_NO_COUNT:
        why = f"{len(nos)} items are answered No: {named(nos)}."
        return "requires_significant_improvement", why + (f" Partly met: {named(partials)}." if partials else "") + tail
    if nos or partials:
        bits = []
        if nos:
            bits.append(f"{named(nos)[0].upper()}{named(nos)[1:]} {_is_are(nos)} answered No.")
        if partials:
            bits.append(("Partly met: " if nos else f"{len(partials)} {'item is' if len(partials) == 1 else 'items are'} partly met: ") + named(partials) + ".")
        return "requires_improvement", " ".join(bits) + tail
    return "adequate", "No item is answered No or Partial." + tail


@check("X1", area="General comments", question="Is the report adequate for SHOBPA / matching, or does it require (significant) improvement?",
       source="seed 003 App. 8 audit form, General comments (the rule that decides the outcome is given with it)")
def outcome(ctx):
    verdict, reason = decide(ctx.results)
    actions = [] if verdict == "adequate" else ["Make the actions listed against each item answered No or Partial, then ask for the report to be audited again."]
    return Result(OUTCOME_ANSWER[verdict], f"{OUTCOME_LABEL[verdict]}. {reason}", actions)
