"""Put what the return says into the case record already in the caseload, keeping what
people wrote.

The return owns: the child's date of birth, gender, legal status and placement type (the
statuses it records), the events it supplied (those carrying `ssda903`) and the record's
`ssda903` block. Everything else (name, team, plans, actions, notes, the events people
typed, the notes or outcome someone added to an event the return supplied) is never
overwritten. An event from an earlier import that this extract no longer holds is removed
only when it falls within the dates this extract covers for the child (the return
corrected it); older history stays.
"""
from __future__ import annotations

import datetime as dt

from permanence.ssda903.convert import Child, event_order

RETURN_CHILD_FIELDS = ("date_of_birth", "gender", "legal_status", "placement_type")
PERSON_EVENT_FIELDS = ("notes", "outcome", "planned", "expiry_date")


def _key(e: dict) -> tuple:
    return (e.get("type"), e.get("date"))


def merge(existing: dict | None, child: Child, words) -> tuple[dict, list[str]]:
    """The record to write and the changes in words. `words(kind, code)` names a code."""
    new = child.record
    if existing is None:
        return new, ["new case record"]  # the converted record is the caller's own
    out = dict(existing)  # the parts changed below are copied; the rest is shared, never changed
    changes: list[str] = []
    person = out["child"] = dict(out.get("child") or {})
    for name in RETURN_CHILD_FIELDS:
        was, now = person.get(name), new["child"].get(name)
        if now is not None and was != now:
            person[name] = now
            changes.append(f"{_field_words(name)}: {words(name, was) or 'not recorded'} → {words(name, now)}")
    events = [e for e in out.get("events") or []]
    typed = {_key(e) for e in events if isinstance(e, dict) and "ssda903" not in e}
    incoming = {}
    for e in new["events"]:
        if _key(e) not in typed:  # already recorded by a person: not counted twice
            incoming.setdefault(_key(e), e)
    since = child.earliest.isoformat() if child.earliest else None
    kept, removed = [], []
    for e in events:  # in the record's own order
        if not (isinstance(e, dict) and "ssda903" in e):
            kept.append(e)
            continue
        now = incoming.pop(_key(e), None)
        if now is not None:
            merged = dict(now)
            for f in PERSON_EVENT_FIELDS:  # what someone added to the event stays
                if f in e and (f not in now or f in ("notes", "outcome")):
                    merged[f] = e[f]
            kept.append(merged)
        elif since and isinstance(e.get("date"), str) and e["date"] >= since:
            removed.append(e)  # within the extract's dates but no longer in it: the return corrected it
        else:
            kept.append(e)  # history from an earlier extract
    added = list(incoming.values())
    if added:
        kept.extend(added)
        kept.sort(key=event_order)
    out["events"] = kept
    if added:
        changes.append(f"{len(added)} event{'s' if len(added) > 1 else ''} added ({_list(added, words)})")
    if removed:
        changes.append(f"{len(removed)} event{'s' if len(removed) > 1 else ''} from an earlier import no longer in the return, "
                       f"removed ({_list(removed, words)})")
    if out.get("ssda903") != new.get("ssda903"):
        out["ssda903"] = new["ssda903"]
        if not changes:
            changes.append("periods of care or other details from the return updated")
    return out, changes


def _field_words(name: str) -> str:
    return {"date_of_birth": "Date of birth", "gender": "Gender", "legal_status": "Legal status",
            "placement_type": "Placement type"}[name]


def _list(events: list[dict], words, most: int = 4) -> str:
    shown = [f"{words('event', e['type'])} {_uk(e['date'])}" for e in events[:most]]
    more = len(events) - most
    return ", ".join(shown) + (f" and {more} more" if more > 0 else "")


def _uk(iso: str) -> str:
    try:
        return dt.date.fromisoformat(iso).strftime("%d/%m/%Y")
    except (TypeError, ValueError):
        return str(iso)
