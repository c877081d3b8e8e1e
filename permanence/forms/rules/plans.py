"""The permanence plan: a primary plan with parallel contingencies until permanence is
achieved, a plan by the second review, and what a plan of each kind calls for."""
from __future__ import annotations

from permanence.forms.rules import Issue, rule
from permanence.forms.rules._fields import (
    ADOPTION_OPTIONS, FINAL_ORDER_STATUSES, at, child, date_at, items, missing, missing_at, option_label, option_of, plan_paths,
    plans, schema_requires, text, uk,
)

PLAN_FORMS = ["ppm-record", "panel-referral", "gateway-referral", "case"]


@rule("plan-contingency-required", severity="error", forms=PLAN_FORMS,
      source="seed 003 s.8.7 and App. 4 'Contingency Plan'; seed 004 s.3 and s.6; seed 000 'Parallel Planning'",
      summary="A primary plan and at least one contingency plan until permanence is achieved")
def plan_contingency_required(data, ctx):
    form = data.get("form")
    primary, contingencies, achieved = plans(form, data)
    if achieved or primary is None or contingencies:
        return  # no primary plan at all is the schema's finding
    _, contingency_path, achieved_path = plan_paths(form)
    if missing_at(data, *contingency_path) and schema_requires(form, contingency_path):
        return  # no contingency plans field at all: the schema's "Add the contingency plans" says it
    tick = " If permanence has been achieved, tick Permanence achieved instead." if achieved_path else ""
    yield Issue(list(contingency_path),
                f"The primary plan is '{option_label(primary)}'. Add at least one contingency plan beside it, with its "
                f"crisis preparation: a permanence plan keeps a parallel contingency until permanence is achieved.{tick}")


@rule("plan-contingency-differs", severity="warning", forms=PLAN_FORMS,
      source="seed 003 App. 4 'Contingency Plan' (an alternative to the Permanence Plan); seed 000 'Parallel Planning'",
      summary="A contingency plan is a different option from the primary plan (and from the other contingencies)")
def plan_contingency_differs(data, ctx):
    form = data.get("form")
    primary_path, contingency_path, _ = plan_paths(form)
    primary = option_of(at(data, *primary_path))
    seen: set[str] = set()
    for i, plan in enumerate(items(data, *contingency_path)):
        option = option_of(plan)
        if option is None:
            continue
        path = list(contingency_path) + [i] + (["option"] if isinstance(plan, dict) else [])
        if option == primary:
            yield Issue(path, f"The contingency plan is the same as the primary plan, '{option_label(option)}'. "
                              "Name a different route to permanence for if the primary plan cannot be achieved.")
        elif option in seen:
            yield Issue(path, f"{option_label(option)} is listed twice as a contingency. Remove the repeat, or name a different route.")
        seen.add(option)


@rule("permanence-plan-by-second-review", severity="error", forms=["ppm-record"],
      source="Care Planning, Placement and Case Review (England) Regulations 2010 and statutory guidance (permanence plan by the second review); seed 000 'Second Statutory Child in Care Review'; seed 003 s.3.8 and s.8.7; seed 004 s.7",
      summary="A permanence plan is in place by the second statutory review")
def permanence_plan_by_second_review(data, ctx):
    by = ctx.profile.get("permanence_plan_by_review")  # 2 in the england baseline
    held = data.get("statutory_review_count")
    if not isinstance(by, int) or not isinstance(held, int) or isinstance(held, bool) or held < by:
        return
    primary, _, achieved = plans("ppm-record", data)
    if achieved:
        return
    why = f"the child has had {held} statutory reviews, and the permanence plan must be in the care plan by review {by}"
    if primary is None and missing_at(data, "primary_plan") and not schema_requires("ppm-record", ("primary_plan",)):
        yield Issue(["primary_plan"], f"Record the primary permanence plan: {why}.")
    if missing_at(data, "permanence_plan_date") and not schema_requires("ppm-record", ("permanence_plan_date",)):
        yield Issue(["permanence_plan_date"], f"Add the date of the permanence plan: {why}.")  # else the schema says it
    if at(data, "meeting", "type") == "initial":
        yield Issue(["meeting", "type"], f"This is recorded as the initial PPM, but {why}. If the plan was made earlier, "
                                         "record this as a review and give the date of the plan; if not, escalate the delay to the team manager and IRO.")


@rule("early-family-finding-considered", severity="warning", forms=["ppm-record"],
      source="seed 003 s.8.4; seed 000 'Care Planning Meetings'; seed 004 s.6 (early family finding court permission must be considered for adoption and permanent fostering)",
      summary="Adoption or long-term fostering in the plan: seeking the court's permission for early family finding has been considered")
def early_family_finding_considered(data, ctx):
    primary, contingencies, achieved = plans("ppm-record", data)
    wanted = ADOPTION_OPTIONS | {"long_term_fostering"}
    routes = [o for o in [primary, *contingencies] if o in wanted]
    if not routes or achieved or data.get("early_family_finding_considered") is True:
        return
    kid = child("ppm-record", data)
    if text(kid.get("legal_status")) in FINAL_ORDER_STATUSES or kid.get("matched") is True:
        return  # the court's permission is only needed while proceedings run
    yield Issue(["early_family_finding_considered"],
                f"Consider whether to ask the court for permission to start early family finding "
                f"({option_label(routes[0]).lower()} is in the plan), and tick Early family finding considered.")


@rule("matched-date", severity="error", forms=["ppm-record"],
      source="seed 003 App. 4 'Is this child/young person matched?' and 'Date Long Term Matched'",
      summary="A child recorded as matched has the date long-term matched (and a date goes with Matched ticked)")
def matched_date(data, ctx):
    kid = child("ppm-record", data)
    matched = kid.get("matched")
    day = date_at(kid, "date_long_term_matched")
    if matched is True and missing(kid.get("date_long_term_matched")):  # a date not written YYYY-MM-DD is the schema's
        yield Issue(["child", "date_long_term_matched"], "Add the date long-term matched: the child is recorded as matched.")
    elif day is not None and matched is not True:
        yield Issue(["child", "matched"], f"A date long-term matched is given ({uk(day)}) but Matched is not ticked. "
                                          "Tick Matched, or remove the date.", severity="warning")


@rule("gcp2-considered", severity="warning", forms=["ppm-record"],
      source="seed 003 App. 4 (if reunification is the permanence plan and neglect was previously an issue, does a Graded Care Profile 2 need to be completed?)",
      summary="Reunification in the plan: the form says whether a Graded Care Profile 2 is needed")
def gcp2_considered(data, ctx):
    primary, contingencies, achieved = plans("ppm-record", data)
    if achieved or not ({"reunification", "remain_at_home"} & {primary, *contingencies}):
        return
    if not isinstance(data.get("neglect_gcp2_needed"), bool):
        yield Issue(["neglect_gcp2_needed"], "Say whether a Graded Care Profile 2 needs to be completed: reunification is in "
                                             "the plan, and the form asks this where neglect was previously an issue (answer no if it was not).")


@rule("plan-update-reason", severity="error", forms=["ppm-record"],
      source="seed 003 App. 4 'What is the reason for updating the Permanence Plan now and what assessment has informed the planning?'; seed 003 s.8.8",
      summary="An updated plan says why it was updated now and what assessment informed it")
def plan_update_reason(data, ctx):
    if data.get("plan_updated") is True and missing(data.get("reason_for_update")):
        yield Issue(["reason_for_update"], "Say why the permanence plan is being updated now and which assessment informed it "
                                           "(give the assessment, its date and its recommendations).")


@rule("crisis-preparation", severity="warning", forms=["ppm-record"],
      source="seed 003 App. 4 'Contingency Plan' (the Permanence Plan should include contingency and crisis preparation for both predictable and unforeseen situations)",
      summary="The plan says what will happen in a predictable or unforeseen crisis")
def crisis_preparation(data, ctx):
    plans_ = [p for p in [data.get("primary_plan"), *items(data, "contingency_plans")] if isinstance(p, dict)]
    if not plans_ or plans("ppm-record", data)[2]:
        return
    if all(missing(p.get("crisis_preparation")) for p in plans_):  # written but not text is the schema's finding
        yield Issue(["primary_plan", "crisis_preparation"],
                    "Add the crisis preparation: what will happen if a predictable or unforeseen crisis arises, "
                    "for example the placement coming under strain (short-term support, or the alternative care arrangement).")
