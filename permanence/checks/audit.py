"""Run every check over a CPR and build the `cpr-audit` record (one row per item)."""
from __future__ import annotations

import datetime as dt
import logging

from permanence.checks import FLAGGED, Result, load_all_checks
from permanence.checks.outcome import RULE, decide
from permanence.checks.text import AuditContext, as_dict, get, reference

log = logging.getLogger(__name__)
STAGES = {"shobpa": "before_shobpa", "placement_order": "before_shobpa", "matching": "before_matching"}


def run_checks(ctx: AuditContext) -> dict[str, Result]:
    """Every check, in checklist order; a crash becomes that item's Review and the run goes on."""
    checks = load_all_checks()
    for cid, chk in checks.items():
        try:
            result = chk.function(ctx)
            if not isinstance(result, Result):
                raise TypeError("a check must return a Result")
        except Exception as exc:  # noqa: BLE001 - one broken check must not stop the audit
            log.warning("check %s failed (%s)", cid, type(exc).__name__)
            result = Result("review", f"This item could not be checked automatically (internal error: {type(exc).__name__}); the adviser should check it by hand.")
        ctx.results[cid] = result
    return ctx.results


def proofread(ctx: AuditContext, engine) -> None:
    ctx.proofreading_engine = getattr(engine, "name", "none")
    ctx.proofreading_problems = None
    if engine is None or ctx.proofreading_engine == "none":
        return
    known = set(ctx.name_tokens())
    if ctx.wordlists:
        for name in ("domain_words", "acronyms", "services"):
            for term in ctx.wordlists.terms(name):
                known.update(w for w in term.replace("'", " ").split())
    try:
        ctx.proofreading_problems = engine.check(ctx.fields, known)
    except Exception as exc:  # noqa: BLE001 - the rest of the audit still runs
        log.warning("proofreading failed (%s)", type(exc).__name__)
        ctx.proofreading_note = f"The spelling engine failed ({exc}); spelling was not checked."
        ctx.proofreading_problems = None
        ctx.proofreading_engine = "none"


def build_audit(data: dict, *, as_of: dt.date, engine=None, engine_note: str = "", wordlists=None,
                previous: dict | None = None, source_file: str | None = None, auditor: str | None = None) -> dict:
    """The cpr-audit record for one CPR's data."""
    ctx = AuditContext(data=data if isinstance(data, dict) else {}, as_of=as_of, wordlists=wordlists)
    ctx.proofreading_note = ""
    proofread(ctx, engine)
    results = run_checks(ctx)
    checks = load_all_checks()
    items = []
    for cid, chk in checks.items():
        r = results[cid]
        item = {"id": cid, "area": chk.area, "question": chk.question, "answer": r.answer, "source": chk.source[:500]}
        if r.comments:
            item["comments"] = r.comments
        if r.actions:
            item["actions"] = r.actions[:200]
        evidence = []
        for ev in r.evidence[:500]:
            try:
                evidence.append(reference(ctx, ev))
            except Exception:  # noqa: BLE001
                continue
        if evidence:
            item["evidence"] = evidence
        items.append(item)
    outcome, reason = decide(results)
    child = as_dict(data.get("child"))
    report = as_dict(data.get("report"))
    name = " ".join(x for x in (child.get("first_names"), child.get("surname")) if isinstance(x, str)) or "Not stated"
    header = {"child_name": name[:200], "audit_date": as_of.isoformat()}
    for key, value in (("child_date_of_birth", child.get("date_of_birth")), ("child_id", child.get("id")),
                       ("social_worker", get(data, "author", "name")),
                       ("manager", get(data, "manager", "name") or get(data, "supervisor", "name")),
                       ("local_authority", report.get("local_authority")), ("shobpa_date", report.get("shobpa_date")),
                       ("placement_order_date", report.get("placement_order_date")), ("matching_panel_date", report.get("matching_panel_date")),
                       ("report_date", report.get("report_date")), ("source_file", source_file), ("auditor", auditor)):
        if isinstance(value, str) and value:
            header[key] = value[:500]
    purpose = report.get("purpose")
    header["stage"] = STAGES.get(purpose, "other") if isinstance(purpose, str) else "other"
    engine_name = ctx.proofreading_engine
    note = " ".join(x for x in (getattr(engine, "note", ""), engine_note, ctx.proofreading_note) if x).strip()
    audit = {
        "form": "cpr-audit",
        "version": "1.0",
        "header": header,
        "items": items,
        "proofreading": {"engine": engine_name, **({"note": note} if note else {})},
        "privacy": results["G11"].privacy[:500] if "G11" in results else [],
        "outcome": outcome,
        "outcome_reason": (reason + " Rule: " + RULE)[:100000],
    }
    if previous is not None:
        compare_with_previous(audit, previous)
    return audit


def compare_with_previous(audit: dict, previous: dict) -> None:
    """Mark each item resolved / still_open / new / unchanged since the previous audit."""
    items = previous.get("items")
    before = {i.get("id"): i.get("answer") for i in (items if isinstance(items, list) else []) if isinstance(i, dict)}
    for item in audit["items"]:
        was, now = before.get(item["id"]), item["answer"]
        if was in FLAGGED and now in FLAGGED:
            item["since_previous"] = "still_open"
        elif was in FLAGGED:
            item["since_previous"] = "resolved"
        elif now in FLAGGED:
            item["since_previous"] = "new"
        else:
            item["since_previous"] = "unchanged"
    prev_date = get(previous, "header", "audit_date")
    if isinstance(prev_date, str):
        audit["previous_audit_date"] = prev_date
