"""A case record: who holds it and what the plan is. A record started from the SSDA903
return (it has 'ssda903') may wait for people to add them; a typed record may not."""
from __future__ import annotations

from permanence.forms.rules import Issue, rule
from permanence.forms.rules._fields import missing

# What people add to a case record (the return never holds them): field -> words.
PERSON_FIELDS = (("child", "name", "the child's name"), (None, "team", "the team"),
                 (None, "social_worker", "the allocated social worker"), (None, "primary_plan", "the primary permanence plan"),
                 (None, "contingency_plans", "the contingency plans"))


@rule("case-details-recorded", severity="error", forms=["case"],
      source="seed 003 s.10-11 (the tracker lists each child with the worker and the plan); seed 000 'Permanence Panels and Tracking'",
      summary="A case record names the child, the team, the social worker and the plans (a record started from the SSDA903 return is reminded, not refused)")
def case_details_recorded(data, ctx):
    from_return = isinstance(data.get("ssda903"), dict)
    for parent, name, words in PERSON_FIELDS:
        holder = data.get(parent) if parent else data
        if not isinstance(holder, dict):
            continue
        if name == "contingency_plans":
            if name in holder:
                continue
        elif not missing(holder.get(name)):
            continue
        path = [parent, name] if parent else [name]
        if from_return:
            yield Issue(path, f"Add {words}: the record was started from the SSDA903 return, which does not hold it.",
                        severity="warning")
        else:
            yield Issue(path, f"Add {words}.")
