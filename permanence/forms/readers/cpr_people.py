"""The parts of a CPR about particular people, read once the whole report is known:
photographs (one entry per person a photograph line names), what was done with each
birth parent (work on the plan, sharing the report, support offered and their response),
and parts a compound heading answers ("Childhood and being parented")."""
from __future__ import annotations

import re

from permanence.forms.readers import cpr_parse as parse

PHOTO_FACT = re.compile(r"\bphoto(?:graph)?s?\b[^.]*\b(?:dated|taken|provided|attached|given|supplied|shared|available)\b|\bno photo|"
                        r"\bphotographed\b[^.]*\b(?:on|in) (?:\d|[A-Z][a-z]+ \d{4})|"
                        r"\bphotograph of \w+ (?:is|was|has)\b|\bdid not (?:agree|consent|want)\b[^.]*\bphoto", re.IGNORECASE)
NONE_WORDS = re.compile(r"\b(?:no (?:recent |current )?photo(?:graph)?s?|did not (?:agree|consent|want)|not agreed|not available|none available|has not been identified|not been taken|"
                        r"no picture|not (?:been )?possible to (?:take|obtain)|refused (?:to have )?(?:a |her |his )?photo|declined)\b", re.IGNORECASE)
SHARED_NOT = re.compile(r"\b(?:not (?:been )?shared|not shown|did not (?:attend|receive|respond|come)|declined|refused|could not be shared|has not seen|"
                        r"not (?:yet )?been able to)\b", re.IGNORECASE)
SHARED = re.compile(r"\b(?:shared|read (?:the|this|relevant|parts|it|through)|went through|sent|posted|emailed|gave (?:her|him|them) a copy|showed|shown|"
                    r"discussed the report|easy[- ]read)\b", re.IGNORECASE)
RESPONSE = re.compile(r"\b(?:accepted|declined|refused|agreed|did not|has not|have not|took up|taken up|attend(?:ed|s|ing)?|engag(?:ed|es|ing)|"
                      r"not yet|wants|wanted|said|chose|referral|referred)\b", re.IGNORECASE)
GROUP = re.compile(r"\b(?:both|all|each|every|neither)\b|\b(?:parents|siblings|brothers|sisters|relatives|family members)\b", re.IGNORECASE)
ALL_PARENTS = re.compile(r"^(?:both|the (?:birth )?parents|they|neither|each parent)\b|\bboth parents\b|\beach parent\b", re.IGNORECASE)


class People:
    """Mixed into cpr_content.Content: self.b is the Builder."""

    # ---- who is who --------------------------------------------------------------------------
    def people(self) -> list[tuple[str, str, tuple]]:
        """(full name, how the text may name them, path) for the child, the parents and siblings."""
        out = []
        child = self.b.get(("child",)) or {}
        name = " ".join(x for x in (child.get("first_names"), child.get("surname")) if x)
        if name:
            out.append((name, child.get("known_as") or name.split()[0], ("child",)))
        for i, parent in enumerate(self.parents()):
            full = parent.get("name") or ""
            out.append((full or parent.get("relationship", "parent"), full.split()[0] if full else parent.get("relationship", "parent"), ("birth_parents", i)))
        for i, sib in enumerate(self.b.get(("siblings",)) or []):
            full = sib.get("name") or ""
            if full:
                out.append((full, full.split()[0], ("siblings", i)))
        return out

    def parent_named_in(self, text: str) -> list[int]:
        found = []
        for i, parent in enumerate(self.parents()):
            name = parent.get("name") or ""
            first = name.split()[0] if name else ""
            rel = parent.get("relationship")
            named = first and re.search(rf"\b{re.escape(first)}\b", text)
            by_role = rel in ("mother", "father") and re.search(rf"\b(?:birth )?{rel}\b|\b{'mum' if rel == 'mother' else 'dad'}\b", text, re.IGNORECASE)
            if named or (by_role and not first):
                found.append(i)
        return found

    def _parents_for(self, text: str) -> list[int]:
        if getattr(self, "owner", None) is not None:
            return [self.owner]
        named = self.parent_named_in(text)
        if ALL_PARENTS.search(text) or (not named and self.parents()):
            return list(range(len(self.parents())))
        return named

    @staticmethod
    def _segment(text: str, name: str, others: list[str]) -> str:
        """The part of text about one person: from their name to the next other person's."""
        m = re.search(rf"\b{re.escape(name)}\b", text) if name else None
        if not m:
            return text
        ends = [o.start() for other in others if other and other != name for o in [re.search(rf"\b{re.escape(other)}\b", text[m.end():])] if o]
        return text[m.start(): m.end() + min(ends)] if ends else text[m.start():]

    # ---- photographs ---------------------------------------------------------------------------------
    def on_photographs(self, section, text: str, place: str) -> None:
        owner = ("birth_parents", self.parent) if section and section.part and section.part.kind == "parent" and self.parent is not None else None
        self.photo_lines.append((text, place, owner))

    def _mentions(self, sentence: str, people: list) -> list[tuple[int, tuple]]:
        """Where a sentence names each person, first time not as an owner ("Callum's mother" does
        not name Callum); an unnamed parent by "mother"/"father", not "her father"."""
        found = []
        for person in people:
            short = person[1]
            if not short:
                continue
            is_role = short in ("mother", "father")
            for m in re.finditer(rf"\b{re.escape(short)}\b", sentence, re.IGNORECASE if is_role else 0):
                if re.match(r"['’]s\b", sentence[m.end():]):
                    continue
                if is_role and re.search(r"\b(?:her|his|their|my|your|whose|a|the child's)\s+$", sentence[:m.start()], re.IGNORECASE):
                    continue
                found.append((m.start(), person))
                break
        return sorted(found, key=lambda x: x[0])

    def finish_photographs(self) -> None:
        people = self.people()
        for text, place, owner in self.photo_lines:
            for sentence in re.split(r"(?<=[.;])\s+(?=[A-Z])", text):
                named = self._mentions(sentence, people)
                if owner is not None and any(person[2] == owner for _, person in named):
                    named = [next(x for x in named if x[1][2] == owner)]  # a parent's own photograph, whoever else is in it
                if not named:
                    who = next((p for p in people if p[2] == owner), None) if owner else None
                    label = parse.lead_in(sentence)
                    if who is None and label and not re.match(r"photo", label[0], re.IGNORECASE):
                        # "Kai: photograph dated ..." names Kai; "Other siblings: none available" names a
                        # group, kept in lower case so that it is never read as a person's name
                        person = label[0] if re.match(rf"^{parse.NAME}$", label[0]) and not parse.NOT_A_NAME.match(label[0]) else label[0].lower()
                        who = (person, person, None)
                    if who is None and not re.search(r"\bphoto", sentence, re.IGNORECASE):
                        continue
                    if who is None and GROUP.search(sentence):
                        continue  # "Both parents agreed to their photographs being used": of no one person
                    named = [(0, who or people[0])] if (who or people) else []
                for n, (at, person) in enumerate(named):
                    end = named[n + 1][0] if n + 1 < len(named) else len(sentence)
                    segment = (sentence if len(named) == 1 else sentence[0 if n == 0 else at:end]).strip(" ,;")
                    entry = {"subject": person[0][:200]}
                    if NONE_WORDS.search(segment):
                        entry["reason_none"] = segment
                    else:
                        entry["description"] = segment[:500]
                        when = parse.first_date(segment) or parse.first_date(sentence[at:])
                        if not when:
                            month = re.search(rf"\b{parse.MONTH}\s+\d{{4}}\b", segment, re.IGNORECASE)
                            when = parse.to_iso(month.group(0))[0] if month else None
                        if when:
                            entry["date"] = when
                    self.b.append(("photographs",), entry, place)

    # ---- work with each birth parent -----------------------------------------------------------------
    def finish_per_parent(self) -> None:
        """The parts said of each birth parent, read once every parent is known (a report may
        put "Sharing this report" before the parents' sections)."""
        for kind, section, text, place, owner in self.per_parent:
            if isinstance(owner, str):  # a heading naming the role: the first parent of that role
                owner = next((i for i, p in enumerate(self.parents()) if p.get("relationship") == owner), None)
            self.owner = owner  # said in one parent's own entry: that parent's, whoever it names
            getattr(self, f"on_{kind}")(section, text, place)
        self.owner = None
        self.per_parent = []

    def on_work_parents(self, section, text: str, place: str) -> None:
        who = self._parents_for(text)
        if not who:
            return self.b.add_text(("work_with_birth_parents",), text, place)
        for i in who:
            self.b.add_text(("birth_parents", i, "wishes", "work_done"), text, place)

    def on_sharing(self, section, text: str, place: str) -> None:
        who = self._parents_for(text)
        if not who:
            key = "report_not_shared_reason" if SHARED_NOT.search(text) else "report_sharing_notes"
            return self.b.add_text(("wishes_and_feelings", key), text, place)
        names = [(self.parents()[i].get("name") or "").split()[0] if self.parents()[i].get("name") else "" for i in range(len(self.parents()))]
        for i in who:
            part = self._segment(text, names[i], names) if len(who) > 1 else text
            path = ("birth_parents", i, "report_sharing")
            shared = bool(SHARED.search(part) or SHARED.search(text)) and not SHARED_NOT.search(part)
            self.b.set((*path, "shared"), shared, place)
            self.b.add_text((*path, "how"), text, place)
            said = parse.quotes(part)
            if said:
                self.b.set((*path, "comments"), " ".join(said)[:5000], place)
            when = parse.first_date(part)
            if when:
                self.b.set((*path, "date"), when, place)
            if shared:
                self.b.set(("wishes_and_feelings", "report_shared_with_parents"), True, place, overwrite=True)
                if when:
                    self.b.set(("wishes_and_feelings", "report_shared_date"), when, place)
            elif self.b.get(("wishes_and_feelings", "report_shared_with_parents")) is None:
                self.b.set(("wishes_and_feelings", "report_shared_with_parents"), False, place)

    def on_support(self, section, text: str, place: str) -> None:
        who = self._parents_for(text)
        if not who:
            return self.b.add_text(("birth_parent_support",), text, place)
        names = [(p.get("name") or "").split()[0] if p.get("name") else "" for p in self.parents()]
        for i in who:
            path = ("birth_parents", i)
            self.b.add_text((*path, "support_offered"), text, place)
            response = [s for s in parse.sentences_with(text, RESPONSE)
                        if len(who) == 1 or not names[i] or re.search(rf"\b{re.escape(names[i])}\b|\bboth\b|\bthey\b", s, re.IGNORECASE)]
            if response:
                self.b.set((*path, "support_response"), " ".join(response)[:5000], place)
            for iso, at in parse.dates(text):
                if re.search(r"referr", text[max(0, at - 80):at + 40], re.IGNORECASE):
                    self.b.set((*path, "support_referral_date"), iso, place)
                    break

    # ---- compound headings ---------------------------------------------------------------------------
    def note_compound(self, main: tuple, also_paths: list[tuple]) -> None:
        if also_paths:
            self.compound.setdefault(main, set()).update(also_paths)

    def finish_compound(self) -> dict[str, str]:
        """A part a compound heading answers holds the same text as the main part (its place
        is the same), and answered_under says so: {pointer of the part: pointer of the text}."""
        under: dict[str, str] = {}
        for main, alsos in self.compound.items():
            value = self.b.get(main)
            if not isinstance(value, str):
                continue
            for also in sorted(alsos, key=str):
                if self.b.get(also) in (None, ""):
                    self.b.set(also, value, self.b.origin.get(self.b.pointer(main), ""))
                    under[self.b.pointer(also)] = self.b.pointer(main)
        return under
