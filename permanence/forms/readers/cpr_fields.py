"""One labelled fact of a CPR put where the `cpr` record keeps it ("Date of birth | 14
November 2008", "Name: Liam Michael Hughes, born ..."): a mixin of cpr_tables.Tables,
which holds the builder `b` and the content reader `c`."""
from __future__ import annotations

import re

from permanence.forms.readers import cpr_parse as parse

PURPOSE = [("matching", r"\bmatch"), ("placement_order", r"\bplacement order\b"),
           ("shobpa", r"\bshould be placed\b|\bagency decision maker\b|\bADM\b|\bshobpa\b"), ("update", r"\bupdat")]
YES = {"yes", "y", "true", "✓", "☒", "x"}
NO = {"no", "n", "false", "☐"}


def _with_label(place: str) -> str:
    """The places of a "Label: value" text: the label's cell, then the value's."""
    m = re.match(r"^(t\d+r\d+)c(\d+)$", place)
    return f"{m.group(1)}c0 {place}" if m and m.group(2) != "0" else place


class Fields:
    """Labelled facts put where the record keeps them."""

    def put_field(self, section, context: str, name: str, value: str, place: str, label: str = "") -> bool:
        """Put a labelled fact where the record keeps it; False if the record has no place for it."""
        value = value.strip()
        if not value:
            return False
        if value.endswith(".") and value.count(".") == 1 and len(value.split()) <= 6:
            value = value[:-1]  # a fact written as a sentence ("Name: Elis Morgan.")
        b = self.b
        if context == "parent":
            ppath = self.c.parent_path()
            named = re.match(rf"^\s*({parse.NAME}),?\s+born\b", value)
            if named and name != "name" and not b.get((*ppath, "name")):  # "Name, date of birth | Chloe Anne Bennett, born ..."
                b.set((*ppath, "name"), named.group(1), place)
            if name in ("date_of_birth",):
                iso, approx = parse.to_iso(value)  # "14 November 2008 (aged 17 when Poppy was born)": the date
                b.set((*ppath, name), iso if iso and not approx else (parse.first_date(value) or value), place)
            elif name == "parental_responsibility":
                word = value.lower().split()[0].strip(".,;") if value.split() else ""
                b.set((*ppath, name), True if word in YES else False if word in NO else value, place)
            elif name == "date_of_death":
                b.add_text((*ppath, "summary"), f"Date of death: {value}", _with_label(place))
            elif name == "occupation":
                b.add_text((*ppath, "history", "work"), value, place)
            elif name == "address":
                b.add_text((*ppath, "summary"), f"Address: {value}", _with_label(place))
            elif name == "name":
                lead = re.match(rf"^\s*({parse.NAME})(?=\s*(?:$|[,.;(]|\s+born\b|\s+[–—-]\s))", value)
                b.set((*ppath, name), (lead.group(1) if lead else value)[:200], place)
                if lead and value[lead.end():].strip(" ,.;"):  # "Chloe Anne Bennett, born 11 January 2002, White British, ..."
                    rest = value[lead.end():].strip(" ,.;")
                    born = re.search(r"\bborn\b(?:\s+on)?\s+(\S[^,;]*)", rest)
                    iso = parse.first_date(born.group(1)) if born else None
                    if iso and not b.get((*ppath, "date_of_birth")):
                        b.set((*ppath, "date_of_birth"), iso, place)
                    b.add_text((*ppath, "summary"), value, _with_label(place))
            else:
                b.set((*ppath, name), value[:500], place)
            return True
        if context == "report":
            if name.endswith("_date"):
                iso, _ = parse.to_iso(value)
                planned = re.search(r"\b(?:listed|due|planned|scheduled|to be|expected|awaited|booked)\b", value, re.I)
                # "10 June 2025 (version 1)" is that date; "Listed for 3 December 2026" is not a decision made
                b.set(("report", name), iso or (None if planned else parse.first_date(value)) or value, place)
            elif name == "purpose_description":
                b.add_text(("report", "purpose_description"), value, place)
                code = parse.code_for(value, PURPOSE)
                if code:
                    b.set(("report", "purpose"), code, place)
            else:
                b.set(("report", name), value[:500], place)
            return True
        if context == "author":
            signed = re.match(r"^\s*(?:signed|signature)\s*[:–—-]?\s*", value, re.IGNORECASE)
            if signed and name in ("name", "supervisor", "manager"):  # "Signed: Amelia Thornton, Senior Social Worker. Date: 14 March 2025."
                role = "author" if name == "name" else name
                value = value[signed.end():]
                when = parse.first_date(value)
                b.set((role, "signed"), True, place)
                if when:
                    b.set((role, "signed_date"), when, place)
                value = re.split(r"\.\s+(?=Date\b)|\s*\bDate\s*:", value, maxsplit=1)[0].strip().rstrip(".")
            if name in ("supervisor", "manager"):
                b.set((name, "name"), value.split(",")[0].strip()[:200], place)
                if "," in value:
                    b.set((name, "role"), value.split(",", 1)[1].strip()[:500], place)
            elif name == "name":
                b.set(("author", "name"), value.split(",")[0].strip()[:200], place)
                if "," in value:
                    b.set(("author", "role"), value.split(",", 1)[1].strip()[:500], place)
            elif name == "qualified_under_2005_regulations":
                word = re.match(r"^\s*(yes|no|not)\b", value, re.IGNORECASE)
                if word:
                    b.set(("author", name), word.group(1).lower() == "yes", place)
                b.add_text(("author", "qualifications"), value, place)
            elif name == "qualifications":
                b.add_text(("author", "qualifications"), value, place)
                years = re.search(r"\b(\d{1,2})\s+years?\b(?:[^.]{0,40}\b(?:qualif|post[- ]qualif|experience|practi))", value, re.IGNORECASE)
                if years:
                    b.set(("author", "post_qualifying_years"), int(years.group(1)), place)
                adoption = parse.sentences_with(value, re.compile(r"adopt|permanence", re.IGNORECASE))
                if adoption:
                    b.set(("author", "adoption_experience"), " ".join(adoption)[:5000], place)
            else:
                b.set(("author", name), value[:500], place)
            return True
        # the child; a report for brothers and sisters together gives each child's fact in turn
        # ("Children's names | Lana Karimi-Booth; Aram Karimi-Booth", "Sex | Lana: female. Aram: male"): the first child's
        each = re.match(r"^\s*([A-Z][\w'’-]+):\s*(.+?)(?:[.;]\s+[A-Z][\w'’-]+:\s|$)", value)
        if each and not re.match(r"^(?:Both|All|Each)\b", value):
            value = each.group(2).strip().rstrip(".")
        if name == "full_name" and re.search(r";|\s+and\s+[A-Z]", value):
            value = re.split(r"\s*;\s*|\s+and\s+(?=[A-Z])", value)[0]
        if name == "full_name":
            parts = value.split()
            if len(parts) >= 2:
                b.set(("child", "first_names"), " ".join(parts[:-1])[:200], place)
                b.set(("child", "surname"), parts[-1][:200], place)
            else:
                b.set(("child", "first_names"), value[:200], place)
        elif name == "sex":
            b.set(("child", "sex"), parse.gender(value), place)
        elif name in ("date_of_birth", "date_became_looked_after"):
            iso, approx = parse.to_iso(value)
            b.set(("child", name), iso if iso and not approx else (parse.first_date(value) or value), place)
        elif name == "age_stated":
            years = re.match(r"^\s*(\d{1,2})\b(?!\s*(?:-\s*)?(?:months?|weeks?|days?|mths?|wks?)\b)", value, re.IGNORECASE)  # "3 months" is no age in years
            if years:
                b.set(("child", "age_stated"), int(years.group(1)), place)
            else:
                b.add_text(("child", "summary"), f"{label or 'Age'}: {value}", _with_label(place))
        elif name == "legal_status":
            b.set(("child", "legal_order", "order"), value[:500], place)
            code = parse.order_in_force(value)
            if code:
                b.set(("child", "legal_status"), code, place)
            when = parse.first_date(value)
            if when:
                b.set(("child", "legal_order", "date_made"), when, place)
        elif name == "placement":
            b.set(("child", "placement_description"), value[:500], place)
            code = parse.code_for(value, parse.PLACEMENT_TYPE)
            if code:
                b.set(("child", "placement_type"), code, place)
            since = re.search(r"\bsince (.+?\d{4})", value)
            iso, approx = parse.to_iso(since.group(1)) if since else (None, False)
            if iso and not approx:
                b.set(("child", "placement_since"), iso, place)
        elif name == "social_worker":
            b.set(("author", "name"), value.split(",")[0].strip()[:200], place)
        elif name == "school":
            b.add_text(("education", "setting"), value, place)
        elif name == "placement_since":
            iso = parse.first_date(value)
            b.set(("child", "placement_since"), iso or value[:60], place)
        elif name == "parental_responsibility":
            b.add_text(("child", "summary"), f"Parental responsibility: {value}", _with_label(place))
        elif name == "disability":
            b.add_text(("development", "needs"), value, place)
        elif name == "id":
            b.set(("child", "id"), value[:60], place)
        else:
            b.set(("child", name), value[:500], place)
        return True
