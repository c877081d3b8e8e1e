"""The overall outcome (X1), by a stated rule over the other items."""
from __future__ import annotations

from permanence.checks import FLAGGED, Result, check

# Items without which the report cannot support an adoption decision: an unlawful author
# (G2), an unsigned report (G3), unanswered questions (G13), no child's chronology (C4),
# no health summary (H1), no child's or parents' wishes (W2, W4), no support plan (A2).
CRITICAL = ("G2", "G3", "G13", "C4", "H1", "W2", "W4", "A2")
SIGNIFICANT_NO_COUNT = 5

RULE = (f"Requires significant improvement when any of {', '.join(CRITICAL)} is No, or {SIGNIFICANT_NO_COUNT} or more items are No; "
        "requires improvement when any other item is No or Partial; otherwise adequate (items marked Review are left to the adviser).")

OUTCOME_ANSWER = {"adequate": "yes", "requires_improvement": "partial", "requires_significant_improvement": "no"}
OUTCOME_LABEL = {"adequate": "Adequate for SHOBPA / matching", "requires_improvement": "Requires improvement",
                 "requires_significant_improvement": "Requires significant improvement"}


def decide(results: dict) -> tuple[str, str]:
    """(outcome, reason) from the answers of every item but X1."""
    answers = {cid: r.answer for cid, r in results.items() if cid != "X1"}
    nos = sorted(cid for cid, a in answers.items() if a == "no")
    partials = sorted(cid for cid, a in answers.items() if a == "partial")
    critical = [cid for cid in nos if cid in CRITICAL]
    reviews = sorted(cid for cid, a in answers.items() if a == "review")
    tail = f" Review by the adviser: {', '.join(reviews)}." if reviews else ""
    if critical or len(nos) >= SIGNIFICANT_NO_COUNT:
        why = f"No on critical item(s) {', '.join(critical)}" if critical else f"{len(nos)} items answered No"
        return "requires_significant_improvement", f"{why} (No: {', '.join(nos)}; Partial: {', '.join(partials) or 'none'}).{tail}"
    if nos or partials:
        return "requires_improvement", f"No: {', '.join(nos) or 'none'}; Partial: {', '.join(partials) or 'none'}.{tail}"
    return "adequate", f"No item answered No or Partial.{tail}"


@check("X1", area="General comments", question="Is the report adequate for SHOBPA / matching, or does it require (significant) improvement?",
       source=f"seed 003 App. 8 audit form, General comments; rule: {RULE}")
def outcome(ctx):
    verdict, reason = decide(ctx.results)
    actions = [] if verdict == "adequate" else ["Make the actions listed against each item answered No or Partial, then ask for the report to be audited again."]
    return Result(OUTCOME_ANSWER[verdict], f"{OUTCOME_LABEL[verdict]}. {reason}", actions)
