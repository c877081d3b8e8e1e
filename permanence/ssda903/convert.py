"""One child's rows of the return -> a `case` record and data-quality findings.

The return supplies dates and statuses: periods of care (an episode whose reason for new
episode is S, or that follows an episode that ceased), legal status changes, placements,
reviews, the decision that the child should be placed for adoption, the placement for
adoption, the match, leaving care and previous permanence. Each event it supplies
carries `ssda903` (the table and codes it came from), so a later import can tell the
return's events from what people typed. A value that cannot be used is a finding in
plain words; the rest of the child's data is still used.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from permanence.ssda903 import codes as C
from permanence.ssda903.read import TABLE_WORDS, Extract, Row

CHILD_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{0,31}$")  # the case form's child ID
DATE = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")
OLDEST = dt.date(1900, 1, 1)


@dataclass
class Finding:
    """One data-quality problem, where it came from, in plain words."""

    child: str
    table: str
    file: str
    row: str
    field: str
    value: str
    message: str

    def line(self) -> str:
        where = f"{self.file} row {self.row}" if self.row.isdigit() else f"{self.file}, {self.row}"
        return f"{self.child}: {TABLE_WORDS.get(self.table, self.table)} ({where}): {self.message}"


@dataclass
class Child:
    id: str
    record: dict | None  # None: nothing usable to write (no valid ID or date of birth)
    findings: list[Finding] = field(default_factory=list)
    earliest: dt.date | None = None  # the earliest date this extract holds for the child


def group(extract: Extract) -> dict[str, dict[str, list[Row]]]:
    """Child ID -> table -> rows, in the order the extract holds them."""
    out: dict[str, dict[str, list[Row]]] = {}
    for table, rows in extract.tables.items():
        for r in rows:
            out.setdefault(r.get("CHILD"), {}).setdefault(table, []).append(r)
    return out


def convert_all(extract: Extract, as_of: dt.date) -> list[Child]:
    return [convert_child(cid, tables, as_of) for cid, tables in sorted(group(extract).items(), key=lambda kv: kv[0])]


class _Child:
    def __init__(self, cid: str, as_of: dt.date):
        self.cid = cid or "(no ID)"
        self.as_of = as_of
        self.findings: list[Finding] = []
        self.dates: list[dt.date] = []
        self.first_is_start = True  # the first episode in the return starts a period of care (S)

    def find(self, r: Row, field_name: str, message: str) -> None:
        self.findings.append(Finding(self.cid, r.table, r.file, r.row, field_name, r.get(field_name), message))

    def date(self, r: Row, name: str, what: str, required: bool = False) -> dt.date | None:
        raw = r.get(name)
        if not raw:
            if required:
                self.find(r, name, f"{what} ({name}) is missing, so the row was not used.")
            return None
        m = DATE.match(raw)
        when = None
        if m:
            try:
                when = dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
            except ValueError:
                self.find(r, name, f"{what} ({name}) '{raw}' is not a real date (no such day), so it was not used.")
                return None
        if when is None:
            self.find(r, name, f"{what} ({name}) '{raw}' is not a date written DD/MM/YYYY, so it was not used.")
            return None
        if when < OLDEST:
            self.find(r, name, f"{what} ({name}) '{raw}' is before 1900, so it was not used.")
            return None
        self.dates.append(when)
        return when

    def code(self, r: Row, name: str, list_name: str) -> str | None:
        raw = r.get(name)
        if not raw:
            return None
        code = raw.upper()
        if C.entry(list_name, code) is None:
            self.find(r, name, C.unknown(list_name, raw) + ".")
            return None
        return code


def _iso(d: dt.date | None) -> str | None:
    return d.isoformat() if d else None


def _uk(d: dt.date) -> str:
    return d.strftime("%d/%m/%Y")


def convert_child(cid: str, tables: dict[str, list[Row]], as_of: dt.date) -> Child:
    c = _Child(cid, as_of)
    headers = tables.get("Header", [])
    episodes_rows = tables.get("Episodes", [])
    if not cid:
        for rows in tables.values():
            for r in rows:
                c.find(r, "CHILD", "the row has no child ID (CHILD), so it cannot be matched to a child and was not used.")
        return Child("(no ID)", None, c.findings)
    valid_id = bool(CHILD_ID.match(cid))
    if not valid_id:
        first = next(r for rows in tables.values() for r in rows)
        c.find(first, "CHILD", f"the child ID '{cid[:40]}' has characters a case record ID cannot hold (letters, digits and "
                               "hyphens, at most 32): the child's rows were checked but no case record was written.")
    dob = gender = None
    if not headers:
        if episodes_rows:
            c.find(episodes_rows[0], "CHILD", "the child has episodes but no Header row (date of birth, sex): "
                                               "add the child to the Header table.")
        else:
            first = next(r for rows in tables.values() for r in rows)
            c.find(first, "CHILD", "the child is in neither the Header nor the Episodes table, so this row was checked "
                                   "but no case record was made.")
            valid_id = False
    else:
        if len(headers) > 1:
            c.find(headers[1], "CHILD", f"the child has {len(headers)} Header rows; the first was used.")
        h = headers[0]
        dob = c.date(h, "DOB", "Date of birth", required=True)
        if dob and dob > as_of:
            c.find(h, "DOB", f"Date of birth {_uk(dob)} is in the future.")
        sex = c.code(h, "SEX", "sex")
        gender = (C.entry("sex", sex) or {}).get("case") if sex else None
    for table, rows in tables.items():  # the date of birth repeated in other tables should agree
        if table == "Header" or not dob:
            continue
        for r in rows:
            raw = r.get("DOB")
            if raw and DATE.match(raw) and raw.strip() != headers[0].get("DOB").strip():
                c.find(r, "DOB", f"Date of birth {raw} differs from the Header's {headers[0].get('DOB')}.")
    if dob is None:
        dob = _dob_elsewhere(tables)

    events: list[dict] = []
    extra: dict = {}
    periods = _episodes(c, episodes_rows, dob, events, extra)
    _reviews(c, tables.get("Reviews", []), dob, periods, events)
    _adoption(c, tables, events)
    _previous_permanence(c, tables.get("PrevPerm", []), extra)
    _uasc(c, tables.get("UASC", []), dob, extra)
    _missing(c, tables.get("Missing", []))
    earliest = min(c.dates) if c.dates else None
    if not valid_id:
        return Child(cid, None, c.findings, earliest)
    if dob is None:
        where = headers[0] if headers else next(r for rows in tables.values() for r in rows)
        c.find(where, "DOB", "no usable date of birth for the child anywhere in the return, so no case record was written "
                             "(a case record needs one).")
        return Child(cid, None, c.findings, earliest)
    child = {"id": cid, "date_of_birth": dob.isoformat()}
    if gender:
        child["gender"] = gender
    current = extra.get("current") or {}
    child["legal_status"] = current.get("case_legal_status") or "not_looked_after"
    child["placement_type"] = current.get("case_placement_type") or "not_placed"
    events.sort(key=event_order)
    record = {"form": "case", "version": "1.0", "child": child, "events": events,
              "ssda903": {k: v for k, v in extra.items() if k != "current" and v} | (
                  {"current": current["codes"]} if current.get("codes") else {})}
    return Child(cid, record, c.findings, earliest)


_ORDER = {"became_looked_after": 0, "legal_status_change": 1, "care_order": 2, "placement_order": 2, "placement_start": 3,
          "placement_change": 3, "placed_for_adoption": 4, "cla_review": 5, "ceased_looked_after": 9}


def event_order(e: dict) -> tuple:
    """Events by date, and on one day in the order they happen (care starts, then the order, the placement...)."""
    return (str(e.get("date")), _ORDER.get(e.get("type"), 50))


def _dob_elsewhere(tables) -> dt.date | None:
    for table in ("Reviews", "PlacedAdoption", "AD1", "PrevPerm", "UASC", "OC2", "OC3", "Missing", "SWEpisodes"):
        for r in tables.get(table, []):
            m = DATE.match(r.get("DOB"))
            if m:
                try:
                    return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
                except ValueError:
                    continue
    return None


def _event(type_: str, when: dt.date, table: str, codes: dict | None = None, **more) -> dict:
    e = {"type": type_, "date": when.isoformat()}
    e.update({k: v for k, v in more.items() if v not in (None, "")})
    e["ssda903"] = {"table": table} | ({"codes": codes} if codes else {})
    return e


def _episodes(c: _Child, rows: list[Row], dob, events: list[dict], extra: dict) -> list[tuple[dt.date, dt.date | None]]:
    """Episodes in date order -> periods of care and their events. Returns the periods."""
    usable = []
    for r in rows:
        start = c.date(r, "DECOM", "Episode start date", required=True)
        if start is None:
            continue
        end = c.date(r, "DEC", "Episode end date")
        if end and end < start:
            c.find(r, "DEC", f"the episode ends ({_uk(end)}) before it starts ({_uk(start)}); the end date was not used.")
            end = None
        if start > c.as_of:
            c.find(r, "DECOM", f"the episode starts in the future ({_uk(start)}), so it was not used.")
            continue
        if end and end > c.as_of:
            c.find(r, "DEC", f"the episode ends in the future ({_uk(end)}); it was taken as still open.")
            end = None
        if dob and start < dob:
            c.find(r, "DECOM", f"the episode starts ({_uk(start)}) before the child's date of birth ({_uk(dob)}).")
        usable.append((start, end, r))
    usable.sort(key=lambda t: t[0])
    periods: list[list] = []
    prev = None
    current: dict = {}
    for start, end, r in usable:
        rne = c.code(r, "RNE", "reason_new_episode")
        ls = c.code(r, "LS", "legal_status")
        place = c.code(r, "PLACE", "placement")
        rec = c.code(r, "REC", "reason_episode_ceased")
        c.code(r, "REASON_PLACE_CHANGE", "reason_place_change")
        codes = {k: v for k, v in (("RNE", rne), ("LS", ls), ("PLACE", place), ("REC", rec)) if v}
        new_period = prev is None
        if prev is not None:
            p_start, p_end, p_r, p_rec = prev
            if p_end is None or start < p_end:
                c.find(r, "DECOM", f"the episode starting {_uk(start)} overlaps the one starting {_uk(p_start)}"
                                   + (f" (which ends {_uk(p_end)})" if p_end else " (which has no end date)") + ".")
            elif p_rec and not (C.entry("reason_episode_ceased", p_rec) or {}).get("continues"):
                new_period = True  # the previous episode ceased: a new period of care
            elif p_rec == "X1" and start != p_end:
                c.find(r, "DECOM", f"the episode before ended {_uk(p_end)} with 'a new episode begins the same day' (X1), "
                                   f"but this one starts {_uk(start)}.")
            if rne == "S" and not new_period and p_end == start:
                c.find(r, "RNE", "the reason for new episode is 'started to be looked after' (S), but the episode before "
                                 "ended the same day with 'a new episode begins' (X1): taken as a new period of care.")
                new_period = True
        elif rne and rne != "S":
            c.first_is_start = False
            c.find(r, "RNE", f"the child's first episode in the return has reason for new episode '{rne}' "
                             f"({C.label('reason_new_episode', rne)}), not 'started to be looked after' (S): "
                             "the period of care may have started before the extract.")
        ls_entry = C.entry("legal_status", ls) or {}
        pl_entry = C.entry("placement", place) or {}
        case_ls = ls_entry.get("case")
        case_pl = pl_entry.get("case")
        if new_period:
            periods.append([start, None])
            events.append(_event("became_looked_after", start, "Episodes", codes, legal_status=case_ls))
            if case_pl:
                events.append(_event("placement_start", start, "Episodes", {"PLACE": place}, placement_type=case_pl))
            current = {}
        else:
            if ls and ls != current.get("LS"):
                events.append(_event("legal_status_change", start, "Episodes", {"LS": ls, "RNE": rne} if rne else {"LS": ls},
                                     legal_status=case_ls))
            if place and place != current.get("PLACE") and case_pl:
                moved = (C.entry("reason_new_episode", rne) or {}).get("move") or (rne is None)
                e = _event("placement_change", start, "Episodes", {k: v for k, v in (("PLACE", place), ("RNE", rne)) if v},
                           placement_type=case_pl)
                if not moved:
                    e["ssda903"]["move"] = False  # the reason for new episode says the placement did not change
                events.append(e)
        if ls in ("E1", "D1") and current.get("LS") not in ("E1", "D1"):
            events.append(_event("placement_order", start, "Episodes", {"LS": ls}, legal_status="placement_order"))
        if ls == "C2" and current.get("LS") != "C2":
            events.append(_event("care_order", start, "Episodes", {"LS": ls}, legal_status="care_order"))
        if pl_entry.get("adoption") and not (C.entry("placement", current.get("PLACE")) or {}).get("adoption"):
            events.append(_event("placed_for_adoption", start, "Episodes", {"PLACE": place}, placement_type="adoptive_placement"))
        if ls:
            current["LS"] = ls
        if place and not pl_entry.get("temporary"):
            current["PLACE"] = place
        current["TEMP"] = place if pl_entry.get("temporary") else None
        if end and rec and not (C.entry("reason_episode_ceased", rec) or {}).get("continues"):
            periods[-1][1] = end
            events.append(_event("ceased_looked_after", end, "Episodes", {"REC": rec}, legal_status="not_looked_after"))
            order = (C.entry("reason_episode_ceased", rec) or {}).get("order")
            if order:
                events.append(_event(order, end, "Episodes", {"REC": rec}))
        elif end and not rec:
            c.find(r, "REC", f"the episode ends {_uk(end)} but has no reason episode ceased (REC): taken as continuing.")
        elif rec and not end:
            c.find(r, "DEC", f"the episode has a reason episode ceased ({rec}) but no end date (DEC): taken as still open.")
        prev = (start, end, r, rec)
    if periods and periods[-1][1] is None:  # looked after now
        ls, place = current.get("LS"), current.get("PLACE")
        extra["current"] = {"codes": {k: v for k, v in (("LS", ls), ("PLACE", place), ("temporary_PLACE", current.get("TEMP"))) if v},
                            "case_legal_status": (C.entry("legal_status", ls) or {}).get("case"),
                            "case_placement_type": (C.entry("placement", place) or {}).get("case")}
    extra["periods_of_care"] = [{"start": s.isoformat(), **({"end": e.isoformat()} if e else {})} for s, e in periods]
    return [(s, e) for s, e in periods]


def _reviews(c: _Child, rows: list[Row], dob, periods, events: list[dict]) -> None:
    seen = set()
    for r in rows:
        when = c.date(r, "REVIEW", "Review date", required=True)
        if when is None:
            continue
        code = c.code(r, "REVIEW_CODE", "review_participation")
        if when > c.as_of:
            c.find(r, "REVIEW", f"the review date {_uk(when)} is in the future, so the review was not used.")
            continue
        if dob and when < dob:
            c.find(r, "REVIEW", f"the review date {_uk(when)} is before the child's date of birth ({_uk(dob)}), "
                                "so the review was not used.")
            continue
        started_before = periods and when < periods[0][0] and not c.first_is_start  # the extract begins mid-period
        if periods and not started_before and not any(s <= when and (e is None or when <= e) for s, e in periods):
            c.find(r, "REVIEW", f"the review on {_uk(when)} falls outside every period of care in the return.")
        if when in seen:
            c.find(r, "REVIEW", f"a second review on the same day ({_uk(when)}); counted once.")
            continue
        seen.add(when)
        events.append(_event("cla_review", when, "Reviews", {"REVIEW_CODE": code} if code else None))


def _adoption(c: _Child, tables, events: list[dict]) -> None:
    decisions = set()
    for r in tables.get("PlacedAdoption", []):
        when = c.date(r, "DATE_PLACED", "Date of the decision that the child should be placed for adoption", required=True)
        ceased = c.date(r, "DATE_PLACED_CEASED", "Date the decision ceased")
        reason = c.code(r, "REASON_PLACED_CEASED", "reason_placed_ceased")
        if when is None:
            continue
        if when > c.as_of:
            c.find(r, "DATE_PLACED", f"the decision date {_uk(when)} is in the future, so it was not used.")
            continue
        if ceased and ceased < when:
            c.find(r, "DATE_PLACED_CEASED", f"the decision ceased ({_uk(ceased)}) before it was made ({_uk(when)}); "
                                            "the date it ceased was not used.")
            ceased = None
        if ceased and ceased > c.as_of:
            c.find(r, "DATE_PLACED_CEASED", f"the date the decision ceased ({_uk(ceased)}) is in the future; not used.")
            ceased = None
        info = {k: v for k, v in (("REASON_PLACED_CEASED", reason),) if v}
        e = _event("shobpa", when, "PlacedAdoption", info or None)
        if ceased:
            e["ssda903"]["ceased"] = ceased.isoformat()
        decisions.add(when)
        events.append(e)
    for r in tables.get("AD1", []):
        decided = c.date(r, "DATE_INT", "Date of the decision that the child should be placed for adoption")
        matched = c.date(r, "DATE_MATCH", "Date matched with prospective adopters")
        if decided and decided > c.as_of:
            c.find(r, "DATE_INT", f"the decision date {_uk(decided)} is in the future; not used.")
            decided = None
        if matched and matched > c.as_of:
            c.find(r, "DATE_MATCH", f"the match date {_uk(matched)} is in the future; not used.")
            matched = None
        if decided and matched and matched < decided:
            c.find(r, "DATE_MATCH", f"the match ({_uk(matched)}) is before the decision that the child should be placed "
                                    f"for adoption ({_uk(decided)}).")
        if decided and decided not in decisions:
            events.append(_event("shobpa", decided, "AD1"))
            decisions.add(decided)
        if matched:
            events.append(_event("matching_panel", matched, "AD1"))  # the date matched with prospective adopters


def _previous_permanence(c: _Child, rows: list[Row], extra: dict) -> None:
    for r in rows[:1]:
        code = c.code(r, "PREV_PERM", "previous_permanence")
        if not code:
            continue
        entry = {"code": code}
        raw = r.get("DATE_PERM")
        if raw:  # the return allows an unknown day or month written zz
            if re.match(r"^(\d{1,2}|zz)/(\d{1,2}|zz)/\d{4}$", raw.strip(), re.IGNORECASE):
                entry["date"] = raw.strip()
            else:
                c.find(r, "DATE_PERM", f"Date of the previous permanence order ({raw}) is not written DD/MM/YYYY "
                                       "(zz for an unknown day or month); not used.")
        if r.get("LA_PERM"):
            entry["local_authority"] = r.get("LA_PERM")[:40]
        extra["previous_permanence"] = entry


def _uasc(c: _Child, rows: list[Row], dob, extra: dict) -> None:
    for r in rows[:1]:
        when = c.date(r, "DUC", "Date the child ceased to be an unaccompanied asylum-seeking child")
        if when and dob and when < dob:
            c.find(r, "DUC", f"the date {_uk(when)} is before the child's date of birth.")
            continue
        if when:
            extra["uasc_ceased"] = when.isoformat()


def _missing(c: _Child, rows: list[Row]) -> None:
    for r in rows:
        start = c.date(r, "MIS_START", "Start of the missing or away episode", required=True)
        end = c.date(r, "MIS_END", "End of the missing or away episode")
        if start and end and end < start:
            c.find(r, "MIS_END", f"the missing episode ends ({_uk(end)}) before it starts ({_uk(start)}).")
        if start and start > c.as_of:
            c.find(r, "MIS_START", f"the missing episode starts in the future ({_uk(start)}).")
