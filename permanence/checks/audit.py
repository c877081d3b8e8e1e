"""Run every check over a CPR and build the `cpr-audit` record (one row per item)."""
from __future__ import annotations

import datetime as dt
import logging
import os
import re

from permanence.checks import FLAGGED, Result, load_all_checks
from permanence.checks.outcome import decide
from permanence.checks.text import AuditContext, as_dict, plural, get, reference, uk, worst as _worst

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
            log.warning("check %s failed (%s)", cid, type(exc).__name__, exc_info=bool(os.environ.get("PERMANENCE_DEBUG")))
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
        log.info("proofreading failed (%s)", type(exc).__name__)  # the reader is told in proofreading.note
        ctx.proofreading_problems = None
        ctx.proofreading_engine = "none"
        from permanence.checks.proofreading import HunspellEngine

        if not isinstance(engine, HunspellEngine):  # a LanguageTool server gone away mid-run: try hunspell
            try:
                fallback = HunspellEngine()
                ctx.proofreading_problems = fallback.check(ctx.fields, known)
                ctx.proofreading_engine = fallback.name
                ctx.proofreading_note = (f"{getattr(engine, 'name', 'The spelling engine')} stopped working during the audit, "
                                         "so spelling was checked with hunspell instead and grammar was not checked.")
                return
            except Exception:  # noqa: BLE001
                ctx.proofreading_problems, ctx.proofreading_engine = None, "none"
        ctx.proofreading_note = "The spelling engine stopped working during the audit, so spelling and grammar were not checked: a person should proofread the report."


def _item(ctx: AuditContext, chk, r: Result) -> dict:
    from permanence.citations import cite

    item = {"id": chk.id, "area": chk.area, "question": chk.question, "answer": r.answer, "source": cite(chk.source)[:500]}
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
    return item


def build_audit(data: dict, *, as_of: dt.date, engine=None, engine_note: str = "", wordlists=None,
                previous: dict | None = None, source_file: str | None = None, auditor: str | None = None,
                asked: set | None = None) -> dict:
    """The cpr-audit record for one CPR's data. asked: for a report read from its own Word
    template, the pointers of the fields its headings held (None for our own forms)."""
    ctx = AuditContext(data=data if isinstance(data, dict) else {}, as_of=as_of, wordlists=wordlists, asked=asked)
    ctx.proofreading_note = ""
    proofread(ctx, engine)
    results = run_checks(ctx)
    checks = load_all_checks()
    items = [_item(ctx, chk, results[cid]) for cid, chk in checks.items()]
    if previous is not None:
        # G1 asks whether the amendments asked for at the last audit were made: findings of the
        # last audit still present say they were not. G1 and the outcome (X1) are then re-decided.
        statuses = {i["id"]: compare_item(_previous_items(previous).get(i["id"]), i) for i in items}
        extra = amendments_outstanding(previous, items, statuses)
        if extra is not None and "G1" in results:
            results["G1"] = _merge_g1(results["G1"], *extra, _when(previous), ctx)
            if "X1" in checks:
                results["X1"] = checks["X1"].function(ctx)
            items = [_item(ctx, chk, results[cid]) for cid, chk in checks.items()]
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
    # What went wrong with the engine first (a plain sentence), then what the engine is.
    note = " ".join(x for x in (engine_note, ctx.proofreading_note, getattr(engine, "note", "")) if x).strip()
    audit = {
        "form": "cpr-audit",
        "version": "1.0",
        "header": header,
        "items": items,
        "proofreading": {"engine": engine_name, **({"note": note} if note else {})},
        "privacy": results["G11"].privacy[:500] if "G11" in results else [],
        "outcome": outcome,
        "outcome_reason": reason[:100000],  # the rule itself is stated once, in the Word audit's appendix and under -v
    }
    if previous is not None:
        compare_with_previous(audit, previous)
    return audit


# ------------------------------------------------------------------ re-audit
def _previous_items(previous: dict) -> dict:
    items = previous.get("items") if isinstance(previous, dict) else None
    return {i.get("id"): i for i in (items if isinstance(items, list) else []) if isinstance(i, dict)}


def _norm(text) -> str:
    return " ".join(str(text or "").replace("’", "'").lower().split())


def _finding_keys(item: dict | None) -> list[tuple[str, str]]:
    """One key per piece of evidence: the field's pointer and the words found. Character
    offsets are left out (they move when the text around them is edited)."""
    evidence = (item or {}).get("evidence")
    out = []
    for ev in evidence if isinstance(evidence, list) else []:
        if isinstance(ev, dict):
            out.append((str(ev.get("pointer") or ev.get("field") or ""), _norm(ev.get("excerpt"))))
    return out


def _shape(key: tuple[str, str]) -> tuple[str, str]:
    return (re.sub(r"/\d+(?=/|$)", "/#", key[0]), key[1])  # a list item moved by an insertion above it


def _match(old: list, new: list) -> tuple[list[int], list[int]]:
    """Which old findings are still present (indices into old) and which new ones were there before (into new)."""
    kept_old, kept_new = set(), set()
    for keyfn in (lambda k: k, _shape):
        pool: dict = {}
        for i, k in enumerate(old):
            if i not in kept_old:
                pool.setdefault(keyfn(k), []).append(i)
        for j, k in enumerate(new):
            if j in kept_new:
                continue
            bucket = pool.get(keyfn(k))
            if bucket:
                kept_old.add(bucket.pop(0))
                kept_new.add(j)
    return sorted(kept_old), sorted(kept_new)


def _describe(ev: dict) -> str:
    excerpt = str(ev.get("excerpt") or "").strip()
    where = str(ev.get("field") or ev.get("pointer") or "the report")
    if excerpt:
        excerpt = excerpt if len(excerpt) <= 60 else excerpt[:57] + "..."
        return f"'{excerpt}' in {where}"
    return where


def compare_item(before: dict | None, item: dict) -> dict:
    """The item's status since the previous audit, at the level of the evidence:
    resolved (no longer flagged), partly_resolved (still flagged, but some findings of the
    last audit are gone), still_open (flagged both times, every earlier finding still there),
    new (flagged now, not then), unchanged (flagged neither time). 'new_evidence' are the
    indices of evidence found only now; 'fixed' describes findings of the last audit gone now."""
    was = (before or {}).get("answer")
    now = item["answer"]
    old_ev = [e for e in ((before or {}).get("evidence") or []) if isinstance(e, dict)]
    new_ev = item.get("evidence", [])
    old, new = _finding_keys(before), _finding_keys(item)
    if was in FLAGGED and now in FLAGGED:
        kept_old, kept_new = _match(old, new)
        fixed = [_describe(old_ev[i]) for i in range(len(old)) if i not in kept_old]
        added = [j for j in range(len(new)) if j not in kept_new]
        if old and new and fixed:
            status = "partly_resolved"
        else:
            status = "still_open"
            fixed = fixed if new else []  # no evidence now: cannot tell which earlier finding stands
        return {"status": status, "new_evidence": added if old else [], "fixed": fixed, "kept": bool(kept_old) or not old or not new}
    if was in FLAGGED:
        return {"status": "resolved", "new_evidence": [], "fixed": [_describe(e) for e in old_ev], "kept": False}
    if now in FLAGGED:
        return {"status": "new", "new_evidence": list(range(len(new))), "fixed": [], "kept": False}
    return {"status": "unchanged", "new_evidence": [], "fixed": [], "kept": False}


def amendments_outstanding(previous: dict, items: list[dict], statuses: dict) -> tuple[list[str], int] | None:
    """The amendments asked for at the last audit that are still to make: for each item flagged
    then whose findings are (partly) still there, the earlier actions still asked for now; and
    how many items the last audit flagged. None when the last audit flagged nothing."""
    before = _previous_items(previous)
    now = {i["id"]: i for i in items}
    asked = [cid for cid, b in before.items() if cid not in ("G1", "X1") and b.get("answer") in FLAGGED]
    if not asked:
        return None
    out = []
    for cid in asked:
        st = statuses.get(cid)
        if not st or st["status"] not in ("still_open", "partly_resolved") or not st["kept"]:
            continue
        earlier = [a for a in (before[cid].get("actions") or []) if isinstance(a, str)]
        current = {_norm(a) for a in now.get(cid, {}).get("actions", [])}
        standing = [a for a in earlier if _norm(a) in current] or earlier[:1] or [str(now.get(cid, {}).get("question", ""))]
        out += [f"{cid}: {a.strip().rstrip('.')}" for a in standing]
    return out, len(asked)


def _merge_g1(result: Result, outstanding: list[str], asked: int, when: str, ctx: AuditContext) -> Result:
    """G1 with the amendments of the last audit still outstanding: a count in the comments and
    one action per amendment still to make. No when none of the items flagged then has been
    dealt with, Partial when some have."""
    from permanence.checks.outcome import ITEM_NAMES

    if not outstanding:
        if result.answer == "yes":
            gone = "item" if asked == 1 else f"{asked} items"
            return Result("yes", f"{result.comments} The {gone} flagged at {when} {'is' if asked == 1 else 'are'} no longer found.".strip(),
                          result.actions, result.evidence, result.privacy)
        return result
    items = list(dict.fromkeys(a.split(":", 1)[0] for a in outstanding))
    answer = "no" if len(items) >= asked else "partial"
    said_done = as_dict(ctx.data.get("report")).get("previous_amendments_completed") is True
    open_items = ("it still has" if asked == 1 else f"all {asked} still have") if len(items) >= asked \
        else f"{len(items)} of them still {'has' if len(items) == 1 else 'have'}"
    comment = (f"{asked} {'item was' if asked == 1 else 'items were'} flagged at {when}; {open_items} findings outstanding "
               f"({len(outstanding)} {'amendment' if len(outstanding) == 1 else 'amendments'} still to make, listed as actions)."
               + (" The report says the previous amendments were made, but these findings are still there." if said_done else ""))
    comments = " ".join(x for x in (result.comments if result.answer in FLAGGED else "", comment) if x)
    actions = list(result.actions)
    for line in outstanding[:50]:
        cid, _, action = line.partition(": ")
        actions.append(f"Still outstanding from {when}, {ITEM_NAMES.get(cid, cid)} ({cid}): {action}.")
    if len(outstanding) > 50:
        actions.append(f"And {len(outstanding) - 50} more amendments from {when}: see the items flagged again below.")
    evidence = list(result.evidence)
    if "previous_amendments_completed" in as_dict(ctx.data.get("report")):
        evidence.append(ctx.evidence(("report", "previous_amendments_completed")))
    return Result(_worst(result.answer if result.answer in FLAGGED else "yes", answer), comments, actions, evidence, result.privacy)


def _when(previous: dict) -> str:
    prev_date = get(previous, "header", "audit_date")
    return f"the audit of {uk(prev_date)}" if isinstance(prev_date, str) else "the previous audit"


def compare_with_previous(audit: dict, previous: dict) -> None:
    """Mark each item (and each piece of its evidence) against the previous audit."""
    before = _previous_items(previous)
    prev_date = get(previous, "header", "audit_date")
    when = _when(previous)
    for item in audit["items"]:
        st = compare_item(before.get(item["id"]), item)
        item["since_previous"] = st["status"]
        if item["answer"] in FLAGGED:
            new = set(st["new_evidence"])
            for j, ev in enumerate(item.get("evidence", [])):
                ev["since_previous"] = "new" if j in new else "still_open"
        if st["fixed"]:
            item["resolved_since_previous"] = [f[:1000] for f in st["fixed"][:500]]
        if st["status"] == "partly_resolved" or (st["status"] == "still_open" and st["new_evidence"]):
            fixed, added = len(st["fixed"]), len(st["new_evidence"])
            bits = [plural(fixed, "finding") + " resolved" if fixed else "", plural(added, "new finding") if added else ""]
            note = f"Since {when}: " + ", ".join(b for b in bits if b) + "."
            item["comments"] = (item.get("comments", "") + " " + note).strip()
    if isinstance(prev_date, str):
        audit["previous_audit_date"] = prev_date
