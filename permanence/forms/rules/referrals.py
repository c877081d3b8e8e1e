"""Referrals to the Permanence Panel and the Legal Gateway Panel: in on time, with the
documents the authority asks for, and with early permanence and assessments thought through.
Periods, weekdays and document lists come from the profile."""
from __future__ import annotations

import datetime as dt

from permanence.calendar import add_period, describe_period
from permanence.forms.rules import Issue, rule
from permanence.forms.rules._fields import (
    ADOPTION_OPTIONS, FINAL_ORDER_STATUSES, at, choice_label, cite, date_at, given, items, matching, missing, missing_at,
    plans, profile_name, text, timescale_words, uk,
)
from permanence.timescales import Situation, due_date

WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]


@rule("panel-referral-notice", severity="error", forms=["panel-referral"],
      source="seed 001 'Referral Process for Panel' (at least three working days before the panel date, else deferred); seed 002 'Permanence Panel' (two days); the profile's panel_referral.min_working_days_before_panel or min_days_before_panel",
      summary="The referral was submitted at least the profile's number of working days (bank holidays excluded), or days, before the panel")
def panel_referral_notice(data, ctx):
    setting = ctx.profile.get("panel_referral", default={}) or {}
    needed = setting.get("min_working_days_before_panel")
    days = setting.get("min_days_before_panel")
    panel = date_at(data, "panel_date")
    submitted = date_at(data, "submitted_date")
    if panel is None or submitted is None or submitted > panel:
        return  # a referral dated after its panel is dates-in-order's finding
    if not isinstance(needed, int) and isinstance(days, int):
        latest = panel - dt.timedelta(days=days)
        if submitted > latest:
            yield Issue(["submitted_date"],
                        f"The referral was submitted on {uk(submitted)}, {(panel - submitted).days} day(s) before the panel on {uk(panel)}: "
                        f"{profile_name(ctx)} needs the paperwork at least {days} days before, that is by {uk(latest)}. "
                        "Ask the panel administrator, or refer to a later panel.", source=setting.get("source", ""))
        return
    if not isinstance(needed, int):
        return
    latest = ctx.calendar.add_working_days(panel, -needed)
    if submitted > latest:
        gap = ctx.calendar.working_days_between(submitted, panel)
        yield Issue(["submitted_date"],
                    f"The referral was submitted on {uk(submitted)}, only {gap} working day{'' if gap == 1 else 's'} before the panel on "
                    f"{uk(panel)}: {profile_name(ctx)} needs it at least {needed} working days before, that is by {uk(latest)}. "
                    "Late referrals may be deferred: ask the panel administrator, or refer to a later panel.", source=setting.get("source", ""))


def _weekday_before(day: dt.date, weekday: int) -> dt.date:
    """The last given weekday strictly before `day`."""
    back = (day.weekday() - weekday) % 7 or 7
    return day - dt.timedelta(days=back)


@rule("gateway-papers-deadline", severity="error", forms=["gateway-referral"],
      source="seed 003 App. 1 'Referral to Legal Gateway' (all paperwork by 5pm on Wednesday; late referrals not considered); applies where the profile sets gateway_referral.papers_due_weekday (warrington)",
      summary="The papers were in by the profile's weekday (Warrington: Wednesday) before the gateway panel")
def gateway_papers_deadline(data, ctx):
    setting = ctx.profile.get("gateway_referral", default={}) or {}
    weekday = setting.get("papers_due_weekday")
    panel = date_at(data, "panel_date")
    submitted = date_at(data, "submitted_date")
    if not isinstance(weekday, str) or weekday.lower() not in WEEKDAYS or panel is None or submitted is None:
        return
    deadline = _weekday_before(panel, WEEKDAYS.index(weekday.lower()))
    if submitted > deadline:
        time = setting.get("papers_due_time")
        by = f"{time} on " if isinstance(time, str) and time else ""
        yield Issue(["submitted_date"],
                    f"The papers were submitted on {uk(submitted)}, after the deadline of {by}{weekday.capitalize()} {uk(deadline)} "
                    f"for the gateway panel on {uk(panel)}. {profile_name(ctx)} does not consider a late referral: "
                    "send the papers in time, or refer to the next panel.", source=setting.get("source", ""))


@rule("gateway-documents", severity="error", forms=["gateway-referral"],
      source="The profile's gateway_referral.required_documents: seed 000 'Legal Gateway Panel' (documentation); seed 003 s.7.1 and App. 1 'Referral to Legal Gateway'",
      summary="The referral lists every document the profile requires for what is sought (first referral or review)")
def gateway_documents(data, ctx):
    setting = ctx.profile.get("gateway_referral", default={}) or {}
    by_request = setting.get("required_documents_by_request") or {}
    request = data.get("request")
    is_review = isinstance(request, str) and request in by_request
    required = [d for d in (by_request[request] if is_review else setting.get("required_documents", [])) if isinstance(d, str)]
    attached = {d for d in items(data, "documents") if isinstance(d, str)}
    if "cultural_genogram" in attached:
        attached.add("genogram")  # a cultural genogram is a genogram
    for document in required:
        if document not in attached:
            yield Issue(["documents"], f"Attach the {choice_label('gateway_document', document).lower()} and list it under "
                                       f"Documents attached: {profile_name(ctx)} asks for it with "
                                       + (f"a {choice_label('gateway_request', request).lower()}." if is_review else "every first gateway referral."),
                        source=setting.get("required_documents_by_request_source" if is_review else "source", ""))


@rule("gateway-early-permanence", severity="error", forms=["gateway-referral"],
      source="seed 003 s.5.4.1 (where adoption is a likely outcome, consideration must be given to an early permanence placement); seed 000 'Permanence Panels and Tracking'; DOMAIN.md 'Legal Gateway referral'",
      summary="Where adoption is possible, early permanence (fostering for adoption or concurrent planning) has been considered")
def gateway_early_permanence(data, ctx):
    primary, contingencies, _ = plans("gateway-referral", data)
    options = {primary, *contingencies}
    if options & {"foster_for_adoption", "concurrent_planning"}:
        return  # early permanence is already the plan
    if data.get("adoption_possible") is not True and not options & ADOPTION_OPTIONS:
        return
    if data.get("early_permanence_considered") is not True:
        yield Issue(["early_permanence_considered"],
                    "Adoption is a possible outcome: consider early permanence (fostering for adoption or concurrent planning), "
                    "say what was decided under Why now or the plan, and tick Early permanence considered.")


@rule("gateway-pams-for-learning-needs", severity="warning", forms=["gateway-referral"],
      source="seed 000 'Legal Gateway Panel' (a comprehensive parenting assessment, including a PAMS assessment if required); seed 003 s.7.1",
      summary="A parent with learning needs has a PAMS parenting assessment proposed")
def gateway_pams_for_learning_needs(data, ctx):
    proposed = {text(a.get("type")) for a in items(data, "proposed_assessments") if isinstance(a, dict)}
    if "pams" in proposed:
        return
    for i, parent in enumerate(items(data, "family", "parents")):
        if isinstance(parent, dict) and parent.get("learning_needs") is True:
            name = parent.get("name") if given(parent.get("name")) else "this parent"
            yield Issue(["family", "parents", i, "learning_needs"],
                        f"{name} has learning needs: propose a parenting assessment for parents with learning needs (PAMS), or explain why not.")


@rule("gateway-assessment-timescales", severity="warning", forms=["gateway-referral"],
      source="seed 000 'Legal Gateway Panel' (the assessments and timescales for completion are agreed at panel); seed 003 App. 1 (clear and realistic timescales)",
      summary="Every proposed assessment has a timescale (a due date or a number of weeks)")
def gateway_assessment_timescales(data, ctx):
    for i, assessment in enumerate(items(data, "proposed_assessments")):
        if not isinstance(assessment, dict):
            continue
        if missing(assessment.get("due_date")) and assessment.get("weeks") is None:
            kind = choice_label("proposed_assessment_type", text(assessment.get("type"))).lower() if text(assessment.get("type")) else "assessment"
            yield Issue(["proposed_assessments", i], f"Give the timescale for the {kind}: a due date, or how many weeks it will take.")


def _panel_situation(data, on) -> Situation:
    kid = at(data, "child") if isinstance(at(data, "child"), dict) else {}
    primary, contingencies, achieved = plans("panel-referral", data)
    issued = date_at(data, "proceedings_issued_date")
    return Situation(
        legal_status=kid.get("legal_status") if isinstance(kid.get("legal_status"), str) else None,
        placement_type=kid.get("placement_type") if isinstance(kid.get("placement_type"), str) else None,
        primary_plan=primary, contingency_plans=contingencies, permanence_achieved=achieved,
        in_proceedings=issued is not None and (on is None or issued <= on) and text(kid.get("legal_status")) not in FINAL_ORDER_STATUSES,
    )


PANEL_ANCHORS = {
    "became_looked_after": ("child", "date_became_looked_after"),
    "placement_start": ("child", "placement_start_date"),
    "placement_change": ("child", "placement_start_date"),
    "proceedings_issued": ("proceedings_issued_date",),
}


@rule("panel-timescale", severity="warning", forms=["panel-referral"],
      source="The profile's timescales with due_event 'permanence_panel' (seed 001 b), f) and 'Frequency' (residential within 28 days); seed 002 'Permanence Panel' (4 to 6 weeks into care))",
      summary="A child's first Permanence Panel falls within the profile's timescale of becoming looked after, a residential placement or proceedings")
def panel_timescale(data, ctx):
    panel = date_at(data, "panel_date")
    if panel is None or items(data, "previous_panel_dates"):
        return  # only a first presentation is measured from these events
    situation = _panel_situation(data, panel)
    for tid, entry in matching(ctx.profile, "permanence_panel", situation):
        if entry.get("recurring") or entry.get("nth_due_event", 1) != 1 or entry.get("direction") == "before":
            continue
        for event in entry.get("from_event") if isinstance(entry.get("from_event"), list) else [entry.get("from_event")]:
            path = PANEL_ANCHORS.get(event)
            anchor = date_at(data, *path) if path else None
            if anchor is None or anchor > panel:
                continue
            due = due_date(entry, anchor, ctx.calendar)
            why = timescale_words(ctx, entry)
            if panel > due:
                yield Issue(["panel_date"], f"The panel on {uk(panel)} is after {uk(due)}, when the child was due at panel: {why}. "
                                            "If the child was presented earlier, add the date under Previous panel dates; if not, record the reason for the delay.",
                            source=cite(entry))
            elif isinstance(entry.get("not_before"), dict) and panel < add_period(ctx.calendar, anchor, entry["not_before"]):
                yield Issue(["panel_date"], f"The panel on {uk(panel)} is earlier than {describe_period(entry['not_before'])} after "
                                            f"{uk(anchor)}: {why}. Check the panel date is the right one.", source=cite(entry))
            break


REVIEW_REQUESTS = {"review_pre_proceedings": {"in_pre_proceedings": True}, "review_section_20": {"legal_status": "section_20"}}


@rule("gateway-review-timescale", severity="error", forms=["gateway-referral"],
      source="The profile's recurring gateway_review timescales (seed 000 'Legal Gateway Panel': pre-proceedings and section 20 reviewed every 12 weeks)",
      summary="A gateway review of pre-proceedings or section 20 comes within the profile's interval of the previous gateway")
def gateway_review_timescale(data, ctx):
    request = text(data.get("request"))
    previous = date_at(data, "previous_gateway_date")
    panel = date_at(data, "panel_date")
    if request not in REVIEW_REQUESTS or previous is None or panel is None or panel <= previous:
        return
    situation = Situation(**REVIEW_REQUESTS[request])
    dues = []
    for tid, entry in matching(ctx.profile, "gateway_review", situation, from_event="gateway_review", recurring=True):
        dues.append((due_date(entry, previous, ctx.calendar), tid, entry))
    if not dues:
        return
    due, _, entry = min(dues, key=lambda d: (d[0], d[1]))
    if panel > due:
        yield Issue(["panel_date"], f"This review is at the gateway panel on {uk(panel)}, after {uk(due)} when it was due "
                                    f"({describe_period(entry['within'])} after the previous gateway on {uk(previous)}). "
                                    f"{timescale_words(ctx, entry)}. Bring the review to an earlier panel.", source=cite(entry))


@rule("pre-proceedings-duration", severity="warning", forms=["gateway-referral"],
      source="The profile's timescales from pre_proceedings_start (seed 003 App. 1: target 16 weeks, maximum 26 weeks, exception report and agreed extension beyond)",
      summary="Pre-proceedings reviewed at the gateway after the profile's maximum are flagged for an exception report")
def pre_proceedings_duration(data, ctx):
    started = date_at(data, "pre_proceedings_start_date")
    panel = date_at(data, "panel_date")
    if started is None or panel is None or panel <= started:
        return
    situation = Situation(in_pre_proceedings=True)
    dues = []
    for tid, entry in matching(ctx.profile, "proceedings_issued", situation, from_event="pre_proceedings_start"):
        dues.append((due_date(entry, started, ctx.calendar), tid, entry))
    if not dues:
        return
    due, _, entry = min(dues, key=lambda d: (d[0], d[1]))
    if panel > due:
        weeks = (panel - started).days // 7
        yield Issue(["pre_proceedings_start_date"],
                    f"Pre-proceedings began on {uk(started)} and will have run {weeks} weeks by the panel on {uk(panel)}, past "
                    f"{uk(due)} ({timescale_words(ctx, entry)}). Attach the exception report and the agreed extension, or ask the panel to decide whether to issue.",
                    source=cite(entry))



REASON_FACTS = {
    "week_10_of_proceedings": [(("proceedings_issued_date",), "the date care proceedings were issued")],
    "residential_placement": [(("child", "placement_start_date"), "the date the residential placement started")],
    "new_to_care": [(("child", "date_became_looked_after"), "the date the child became looked after")],
    "before_second_review": [(("child", "placement_start_date"), "the date the current placement started")],
}


@rule("panel-referral-reason-details", severity="warning", forms=["panel-referral"],
      source="seed 001 'The Permanence Panel will review children in the following circumstances' b), d), f) and 'Frequency' (residential placement within 28 days)",
      summary="Each reason for referral comes with the dates the panel needs to judge it (proceedings issued, placement started, became looked after)")
def panel_referral_reason_details(data, ctx):
    reasons = [r for r in items(data, "reasons") if isinstance(r, str)]
    for reason in reasons:
        for path, words in REASON_FACTS.get(reason, []):
            if missing_at(data, *path):  # a date written another way is the schema's finding
                yield Issue(list(path), f"Add {words}: the referral gives '{choice_label('referral_reason', reason)}' as a reason.")
    placement = text(at(data, "child", "placement_type"))
    if "residential_placement" in reasons and placement and placement != "residential":
        yield Issue(["child", "placement_type"], f"The referral is for a residential placement, but the placement type is "
                                                 f"{choice_label('placement_type', placement)}. Correct one of them.")


REVIEW_FACTS = {
    "review_pre_proceedings": [(("previous_gateway_date",), "the date of the previous gateway"),
                               (("pre_proceedings_start_date",), "the date pre-proceedings started")],
    "review_section_20": [(("previous_gateway_date",), "the date of the previous gateway"),
                          (("section_20_start_date",), "the date section 20 accommodation began")],
}


@rule("gateway-review-details", severity="warning", forms=["gateway-referral"],
      source="seed 000 'Legal Gateway Panel' (pre-proceedings and section 20 reviewed at Legal Gateway every 12 weeks); seed 003 App. 1 'Legal Gateway Review of the pre-proceedings process'",
      summary="A review at the gateway gives the previous gateway date and when pre-proceedings or section 20 began")
def gateway_review_details(data, ctx):
    for path, words in REVIEW_FACTS.get(text(data.get("request")), []):
        if missing_at(data, *path):  # a date written another way is the schema's finding
            yield Issue(list(path), f"Add {words}: this referral asks the panel to review, and the review is timed from it.")


@rule("gateway-sibling-assessment", severity="warning", forms=["gateway-referral"],
      source="seed 000 'Legal Gateway Panel' and seed 003 s.7.1 (sibling assessments, together or apart, if required); seed 002 ('If there are siblings, have you completed a sibling assessment?')",
      summary="A referral about brothers and sisters proposes a sibling together/apart assessment, or it is considered")
def gateway_sibling_assessment(data, ctx):
    children = [c for c in items(data, "children") if isinstance(c, dict)]
    proposed = {text(a.get("type")) for a in items(data, "proposed_assessments") if isinstance(a, dict)}
    if len(children) >= 2 and "sibling_together_apart" not in proposed:
        yield Issue(["proposed_assessments"], f"The referral is about {len(children)} brothers and sisters: propose a sibling "
                                              "together/apart assessment, or say under Why now why one is not needed.")
