"""What the fact-bearing parts of a CPR hold, read into the `cpr` record: sign-off and
signatures, health, legal status, placement, genogram, viability and expert assessments,
adoption support, the previous audit, versions and options (a mixin of
cpr_content.Content, which holds the builder `b`, the vocabulary and the parents)."""
from __future__ import annotations

import re

from permanence.forms.readers import cpr_parse as parse

SIGNED_BY = re.compile(r"\b[Ss]igned(?:\s+by)?\s*:?\s*(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){1,3})")
ROLE_WORDS = [("manager", re.compile(r"\bmanager\b|\bhead of\b|\bservice lead\b", re.IGNORECASE)),
              ("supervisor", re.compile(r"\bsupervisor\b|\bsenior practitioner\b|\bpractice (?:lead|supervisor)\b|\bcountersign", re.IGNORECASE)),
              ("author", re.compile(r"\bauthor\b|\bsocial worker\b|\bwritten by\b|\bcompleted by\b", re.IGNORECASE))]
LONG_TERM = re.compile(r"\b(?:long[- ]term|longer term|later|as (?:she|he|they) (?:grows?|gets? older)|adolescen|teenage|in future)\b", re.IGNORECASE)
VIABILITY_OUTCOME = [("negative", r"\bnegative\b|\bnot (?:recommended|approved|suitable)\b|\bruled out\b"),
                     ("withdrew", r"\bwithdrew\b|\bwithdrawn\b|\bdid not (?:wish|want) to (?:be assessed|proceed)\b"),
                     ("positive", r"\bpositive\b")]
HEALTH_ASSESSMENT = re.compile(r"\b(?:initial |review |adoption |annual )?health (?:assessment|check|review)s?\b|\bIHA\b|\bRHA\b", re.IGNORECASE)
ADVISER = re.compile(r"\bmedical adviser\b|\badoption medical\b|\bmedical advisor\b", re.IGNORECASE)

def _date_near(text: str, m, after: int, before: int) -> str | None:
    """The first date written after a phrase (within `after` characters), else the nearest before it."""
    found = parse.dates(text)
    later = [iso for iso, at in found if m.end() <= at <= m.end() + after]
    if later:
        return later[0]
    earlier = [iso for iso, at in found if m.start() - before <= at < m.start()]
    return earlier[-1] if earlier else None



class Facts:
    """The parts of a CPR whose text holds facts the record keeps in their own fields."""

    def on_signatures(self, section, text: str, place: str) -> None:
        several = [m.start() for m in re.finditer(r"(?:^|(?<=[.;]\s))Signed\s*:", text)]
        if len(several) > 1:  # "Signed: Rachel Gilmour, ..., 20/06/2025. Signed: Joanne Pryce, Registered Manager, ...": each on its own
            for a, b in zip(several, several[1:] + [len(text)]):
                self.on_signatures(section, text[a:b].strip(), place)
            return
        proof = re.search(r"\bproof[- ]?read(?:ing)?\b", text, re.IGNORECASE)
        signer = SIGNED_BY.search(text)
        role = next((r for r, pattern in ROLE_WORDS if pattern.search(text.split(":")[0] if ":" in text else text[:40])), None)
        if proof and signer:  # "I have proofread this report ... Signed: Ffion Edwards, 17 June 2025."
            # "Line manager: Dawn Fairley, ... I have read and proofread this report. Signed: Dawn Fairley." is the manager's
            self.signed_line(section, text, place, signer, role if ":" in text[:signer.start()] and signer.start() > 30 else None)
        if proof:
            by = re.search(r"\bby ([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)+)", text)
            who = by.group(1) if by else ""
            if re.search(r"\bby (?:the|its) author\b", text, re.IGNORECASE):
                self.b.set(("author", "proofread"), True, place)  # "proofread by the author on 9 May 2025"
            for role in ("author", "supervisor", "manager"):
                name = self.b.get((role, "name")) or ""
                if who and name and (who in name or name in who):
                    self.b.set((role, "proofread"), True, place) if role != "supervisor" else None
            if not who or not any(who in (self.b.get((r, "name")) or "") for r in ("author", "manager")):
                self.b.set(("manager", "proofread"), True, place)
            self.b.add_text(("report", "sign_off_notes"), text, place)
            return
        label = parse.lead_in(text)
        self.b.add_text(("report", "sign_off_notes"), text, place)  # the line as written, for evidence to point at
        if role is not None and signer and signer.start() > 30:  # "Manager: I have read this report ... Signed: Sarah Pugh, ..."
            return self.signed_line(section, text, place, signer, role)
        if role is None and signer:  # "Signed: Rachel Gilmour, Senior Practitioner, 20/06/2025."
            return self.signed_line(section, text, place, signer)
        if role is None or label is None:
            return
        bits = [x.strip() for x in re.split(r"\.\s+|;\s*|\t+", label[1]) if x.strip()]  # "Joanne Whitby<tab>Date: 12 October 2026"
        name_role = bits[0].split(",", 1) if bits else [""]
        if re.fullmatch(r"n/?a|none|not applicable", name_role[0].strip().rstrip("."), re.IGNORECASE):
            return
        self.b.set((role, "name"), name_role[0].strip().rstrip("."), place)
        if len(name_role) > 1 and role != "manager" or len(name_role) > 1:
            self.b.set((role, "role"), name_role[1].strip().rstrip("."), place)
        when = parse.first_date(text)
        # a name and a date under a signatures heading are a typed signature ("Author: Hannah Osei. Date: 20 May 2026.")
        if re.search(r"\bsigned\b|\bsignature\b", text, re.IGNORECASE) or (when and re.search(r"\bsign", section.heading or "", re.IGNORECASE)):
            self.b.set((role, "signed"), True, place)
        if when:
            self.b.set((role, "signed_date"), when, place)

    def signed_line(self, section, text: str, place: str, signer: re.Match, role: str | None = None) -> None:
        """'Signed: <name>, <role>, <date>': that person (the role the line names, or whose name
        it is) signed on that date."""
        name = signer.group("name")
        if role is None:
            role = next((r for r in ("author", "manager", "supervisor") if (self.b.get((r, "name")) or "") and
                         (name in self.b.get((r, "name")) or self.b.get((r, "name")) in name)), None)
            if role is None:
                role = next((r for r, pattern in ROLE_WORDS if pattern.search(text[signer.end():signer.end() + 80])), "author")
                if role == "supervisor" and not self.b.get(("author", "name")) and not self.b.get(("author", "signed")):
                    role = "author"  # the first to sign, by job title a senior practitioner, is the report's author
        if not self.b.get((role, "name")):
            self.b.set((role, "name"), name, place)
        self.b.set((role, "signed"), True, place)
        when = parse.first_date(text[signer.start():])
        if when:
            self.b.set((role, "signed_date"), when, place)

    def on_health(self, section, text: str, place: str, sub=None) -> None:
        """Narrative to the health summary, or the medical adviser's summary when the paragraph
        is that; the dates of health assessments and of the adviser's report, wherever given."""
        is_adviser = (sub is not None and "medical_adviser" in sub.target) or \
            re.search(r"^\W*(?:the )?(?:agency(?:'s)? )?(?:medical adviser|adoption medical)", text[:60], re.IGNORECASE)
        self.b.add_text(("health", "medical_adviser_report", "summary") if is_adviser else ("health", "summary"), text, place)
        for m in HEALTH_ASSESSMENT.finditer(text):
            when = _date_near(text, m, after=80, before=40)
            current = self.b.get(("health", "last_health_assessment", "date"))
            if when and (not current or when > current):
                sentence = next((x for x in parse.sentences_with(text, HEALTH_ASSESSMENT) if m.group(0) in x), text)
                self.b.set(("health", "last_health_assessment", "date"), when, place, overwrite=True)
                self.b.set(("health", "last_health_assessment_date"), when, place, overwrite=True)
                self.b.set(("health", "last_health_assessment", "summary"), sentence[:2000], place, overwrite=True)
        for m in ADVISER.finditer(text):
            when = _date_near(text, m, after=120, before=40)
            if when and not self.b.get(("health", "medical_adviser_report", "date")):
                self.b.set(("health", "medical_adviser_report", "date"), when, place)
                self.b.set(("health", "medical_adviser_report_date"), when, place)
            doctor = re.search(r"\b(Dr\.? [A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?)", text[max(0, m.start() - 60):m.end() + 60])
            if doctor:
                self.b.set(("health", "medical_adviser"), doctor.group(1), place)
            if not is_adviser and not self.b.get(("health", "medical_adviser_report", "summary")):
                sentence = next((x for x in parse.sentences_with(text, ADVISER)), None)
                if sentence:
                    self.b.set(("health", "medical_adviser_report", "summary"), sentence[:2000], place)

    def on_legal(self, section, text: str, place: str) -> None:
        self.b.add_text(("child", "legal_order", "summary"), text, place)
        code = parse.order_in_force(text)
        if code and not self.b.get(("child", "legal_status")):
            self.b.set(("child", "legal_status"), code, place)
        court = re.search(r"\b((?:the )?Family Court(?: sitting)? at [A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?|[A-Z][\w'’-]+ (?:Family|County|Crown) Court)", text)
        if court:
            self.b.set(("child", "legal_order", "court"), re.sub(r"^the ", "", court.group(1)), place)
        for iso, at in parse.dates(text):
            before = text[max(0, at - 60):at].lower()
            if re.search(r"next hearing|final hearing|hearing (?:is|on)|listed for", before):
                self.b.set(("child", "legal_order", "next_hearing"), iso, place)
            elif re.search(r"order|made|granted", before) and not self.b.get(("child", "legal_order", "date_made")):
                self.b.set(("child", "legal_order", "date_made"), iso, place)
        order = re.search(r"\b((?:interim )?care order|placement order|special guardianship order|child arrangements order|supervision order|"
                          r"emergency protection order|section 20)\b", text, re.IGNORECASE)
        if order and not self.b.get(("child", "legal_order", "order")):
            self.b.set(("child", "legal_order", "order"), order.group(1), place)

    def on_placement(self, section, text: str, place: str) -> None:
        self.b.add_text(("child", "current_carers_account"), text, place)
        since = re.search(r"\bsince (?:the )?([^,.;]*?\d{4}|\d{1,2}/\d{1,2}/\d{4})", text)
        if since and not self.b.get(("child", "placement_since")):
            iso, approx = parse.to_iso(since.group(1))
            if iso and not approx:
                self.b.set(("child", "placement_since"), iso, place)
        code = parse.code_for(text, parse.PLACEMENT_TYPE)
        if code and not self.b.get(("child", "placement_type")):
            self.b.set(("child", "placement_type"), code, place)

    def on_genogram(self, section, text: str, place: str) -> None:
        self.b.add_text(("genogram", "description"), text, place)
        if re.search(r"\bgenogram\b|\bfamily tree\b", text, re.IGNORECASE) and not re.search(r"\bno genogram\b|\bnot (?:yet )?(?:been )?(?:attached|completed|included)\b", text, re.IGNORECASE):
            self.b.set(("genogram", "included"), True, place)
        when = parse.first_date(text)
        if when:
            self.b.set(("genogram", "date"), when, place)

    def on_viability(self, section, text: str, place: str) -> None:
        person = parse.leading_person(text)
        if person is None and re.search(r"\b(?:negative|positive|withdr\w+|unsuitable|not suitable)\b", text, re.IGNORECASE):
            person = parse.viability_subject(text)  # "A viability assessment of Ms Rehana Begum, maternal aunt, ... was negative."
            if person is None and (label := parse.lead_in(text)) and re.search(r"\bviability\b", text, re.IGNORECASE) \
                    and re.search(r"\b(?:maternal|paternal|family|relatives?|grand\w+|aunt|uncle)\b", label[0], re.IGNORECASE):
                person = (label[0], label[0])  # "Paternal family: ... A viability assessment was carried out ... negative"
        if person is None:
            items = self.b.get(("assessments", "viability"))
            if items and not re.match(r"^(?:no|none|n/a)\b", text, re.IGNORECASE):
                return self.b.add_text(("assessments", "viability", len(items) - 1, "reasons"), text, place)
            return self.b.add_text(("assessments", "viability_summary"), text, place)
        entry = {"name": person[0], "relationship": person[1][:200]}
        when = parse.first_date(text)
        if when:
            entry["date"] = when
        outcome = parse.code_for(text, VIABILITY_OUTCOME)
        if outcome:
            entry["outcome"] = outcome
        entry["reasons"] = text
        self.b.append(("assessments", "viability"), entry, place)

    def on_expert(self, section, text: str, place: str) -> None:
        kind = re.split(r"\s+[–—-]\s+|:\s+|,\s+", text, maxsplit=1)[0]
        entry = {"kind": kind[:200], "conclusions": text}
        when = parse.first_date(text)
        if when:
            entry["date"] = when
        self.b.append(("assessments", "expert"), entry, place)

    def on_adoption_support(self, section, text: str, place: str) -> None:
        # "In the short term, ..." says which, whatever later words it uses
        short = re.match(r"^\W*(?:in the )?(?:short[- ]term|immediate(?:ly)?|now|at (?:first|placement))\b", text, re.IGNORECASE)
        key = "short_term" if short else "long_term" if LONG_TERM.search(text) else "short_term"
        self.b.add_text(("adoption_support", key), text, place)

    def on_previous_audit(self, section, text: str, place: str) -> None:
        base = ("report", "previous_audit")
        self.b.add_text((*base, "summary"), text, place)
        when = parse.first_date(text)
        if when:
            self.b.set((*base, "date"), when, place)
        by = re.search(r"\baudited by ([A-Z][\w'’-]+(?: [A-Z][\w'’-]+)+)", text)
        if by:
            self.b.set((*base, "auditor"), by.group(1), place)
        for m in re.finditer(r"\(\d{1,2}\)\s*([^()]+?)(?=\s*\(\d{1,2}\)|$)", text):
            action = m.group(1).strip().rstrip(";,")
            done = re.search(r"(?:[–—-]|;)\s*((?:now |this )?(?:done|completed|added|updated|included|amended|corrected|see)\b.*)$", action, re.IGNORECASE)
            entry = {"action": action[:2000]}
            if done:
                entry["done"] = done.group(1)[:2000]
            self.b.append((*base, "actions"), entry, place)

    def on_versions(self, section, text: str, place: str) -> None:
        if re.search(r"\baudit", text, re.IGNORECASE):
            return self.on_previous_audit(section, text, place)
        self.b.add_text(("report", "version_notes"), text, place)

    def on_options(self, section, text: str, place: str) -> None:
        self.b.add_text(("options_summary",), text, place)

    # ---- tables --------------------------------------------------------------------------------------
