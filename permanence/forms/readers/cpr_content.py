"""What each part of a CPR holds, read into the `cpr` record: narrative, facts, dated
entries, people. Called by cpr_docx.CprReader as it walks the document; tables are read
by cpr_tables.py. Every value is put with its place (Builder keeps the origin)."""
from __future__ import annotations

import re

from permanence.forms.readers import cpr_parse as parse
from permanence.forms.readers.cpr_people import People

NONE_WORDS = re.compile(r"\b(?:no photograph|not available|none available|no photo|has not been identified|not been taken|no picture)\b", re.IGNORECASE)
SIGNED_BY = re.compile(r"\b[Ss]igned(?:\s+by)?\s*:?\s*(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){1,3})")
ROLE_WORDS = [("manager", re.compile(r"\bmanager\b|\bhead of\b|\bservice lead\b", re.IGNORECASE)),
              ("supervisor", re.compile(r"\bsupervisor\b|\bsenior practitioner\b|\bpractice (?:lead|supervisor)\b|\bcountersign", re.IGNORECASE)),
              ("author", re.compile(r"\bauthor\b|\bsocial worker\b|\bwritten by\b|\bcompleted by\b", re.IGNORECASE))]
SHARED_NOT = re.compile(r"\b(?:not (?:been )?shared|not shown|did not (?:attend|receive|respond)|declined|refused|could not be shared|has not seen)\b", re.IGNORECASE)
SHARED = re.compile(r"\b(?:shared|read (?:the|this|relevant|parts)|went through|sent|gave (?:her|him|them) a copy|showed|shown|discussed the report)\b", re.IGNORECASE)
RESPONSE = re.compile(r"\b(?:accepted|declined|refused|agreed|did not|has not|have not|took up|taken up|attend(?:ed|s|ing)?|engag(?:ed|es|ing)|"
                      r"not yet|wants|wanted|said|chose|referral)\b", re.IGNORECASE)
LONG_TERM = re.compile(r"\b(?:long[- ]term|longer term|later|as (?:she|he|they) (?:grows?|gets? older)|adolescen|teenage|in future)\b", re.IGNORECASE)
VIABILITY_OUTCOME = [("negative", r"\bnegative\b|\bnot (?:recommended|approved|suitable)\b|\bruled out\b"),
                     ("withdrew", r"\bwithdrew\b|\bwithdrawn\b|\bdid not (?:wish|want) to (?:be assessed|proceed)\b"),
                     ("positive", r"\bpositive\b")]
HEALTH_ASSESSMENT = re.compile(r"\b(?:initial |review |adoption |annual )?health (?:assessment|check|review)s?\b|\bIHA\b|\bRHA\b", re.IGNORECASE)
ADVISER = re.compile(r"\bmedical adviser\b|\badoption medical\b|\bmedical advisor\b", re.IGNORECASE)
PER_PARENT = ("work_parents", "sharing", "support")  # parts whose text is shared out among the birth parents
COUNCIL = re.compile(r"\b(?:Council|Borough|County|City of|Children's Trust|Regional Adoption Agency)\b")


def _date_near(text: str, m, after: int, before: int) -> str | None:
    """The first date written after a phrase (within `after` characters), else the nearest before it."""
    found = parse.dates(text)
    later = [iso for iso, at in found if m.end() <= at <= m.end() + after]
    if later:
        return later[0]
    earlier = [iso for iso, at in found if m.start() - before <= at < m.start()]
    return earlier[-1] if earlier else None


class Builder:
    """The record's data as it is read, with the place of each value."""

    def __init__(self):
        self.data: dict = {}
        self.origin: dict[str, str] = {}
        self.unplaced: list[dict] = []

    @staticmethod
    def pointer(path) -> str:
        return "/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in path)

    def node(self, path, make_list_at_end: bool = False):
        cur = self.data
        for i, key in enumerate(path):
            last = i == len(path) - 1
            if isinstance(cur, list):
                cur = cur[key]
                continue
            if key not in cur:
                cur[key] = [] if (last and make_list_at_end) else {}
            cur = cur[key]
        return cur

    def get(self, path):
        cur = self.data
        for key in path:
            try:
                cur = cur[key]
            except (KeyError, IndexError, TypeError):
                return None
        return cur

    def add_text(self, path, text: str, place: str) -> None:
        text = text.strip()
        if not text:
            return
        holder = self.node(path[:-1])
        key = path[-1]
        ptr = self.pointer(path)
        if isinstance(holder.get(key), str) and holder[key]:
            holder[key] += "\n" + text
            self.origin[ptr] += " " + place
        else:
            holder[key] = text
            self.origin[ptr] = place

    def set(self, path, value, place: str, overwrite: bool = False) -> None:
        holder = self.node(path[:-1])
        if overwrite or path[-1] not in holder or holder[path[-1]] in (None, ""):
            holder[path[-1]] = value
            self.origin[self.pointer(path)] = place

    def append(self, path, entry: dict, place: str) -> int:
        items = self.node(path, make_list_at_end=True)
        items.append(entry)
        index = len(items) - 1
        for key, value in entry.items():
            if not isinstance(value, (dict, list)):
                self.origin[self.pointer((*path, index, key))] = place
        return index

    def lost(self, text: str, place: str, under: str | None) -> None:
        self.unplaced.append({"text": text.strip(), "where": place, "under": under or ""})

    def finish(self) -> tuple[dict, dict]:
        data = {"form": "cpr", "version": "1.0"}
        data.update(self.data)
        return data, self.origin


class Content(People):
    def __init__(self, build: Builder, vocab):
        self.b = build
        self.vocab = vocab
        self.parent: int | None = None
        self.sibling: int | None = None
        self.last: dict[str, int] = {}  # list path -> index of the entry last added
        self.photo_lines: list = []  # (text, place, owner) read at the end, when everyone is known
        self.compound: dict = {}  # main path -> paths a compound heading also answers
        self.per_parent: list = []  # (kind, section, text, place) of parts said of each parent, read at the end
        from permanence.forms.readers.cpr_tables import Tables

        self.tables = Tables(self)

    # ---- helpers ---------------------------------------------------------------------------------
    def contexts(self, section) -> tuple[str, ...]:
        kind = section.part.kind if section and section.part else None
        if kind == "parent":
            return ("parent",)
        if section is None or (section.part and section.part.id in ("report_details", "authors")):
            return ("report", "child", "author")
        if kind == "signatures":
            return ("author",)
        return ("child", "report", "author")

    @staticmethod
    def path(target: str) -> tuple:
        return tuple(target.split("."))

    def parent_path(self) -> tuple:
        if self.parent is None:
            self.parent = self.b.append(("birth_parents",), {"relationship": "other"}, "")
        return ("birth_parents", self.parent)

    def parents(self) -> list[dict]:
        return self.b.get(("birth_parents",)) or []

    # ---- sections start --------------------------------------------------------------------------
    def start(self, section, heading: str, place: str) -> None:
        part = section.part
        self.sibling = None
        if part.kind == "parent":
            rel = part.target if part.target in ("mother", "father") else "other"
            from permanence.forms.readers.vocabulary import strip_numbering

            bits = re.split(r"\s*[:–—]\s*|\s+-\s+", strip_numbering(self.vocab.unframe(heading)), maxsplit=1)
            same = [i for i, p in enumerate(self.parents()) if p.get("relationship") == rel]
            named = len(bits) == 2 and re.match(r"^[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){1,4}$", re.sub(r"\s*\([^)]*\)", "", bits[1]).strip())
            known = (self.b.get(("birth_parents", same[-1], "name")) or "") if same else ""
            other_person = named and known and not set(named.group(0).split()) & set(known.split())
            if same and rel != "other" and not other_person:
                # "Birth mother: chronology" after "Birth mother: identity", "What are my birth mother's wishes
                # for me?" after "My birth mother": the same mother, unless the heading names someone else
                self.parent = same[-1]
                if named and not known:
                    self.b.set(("birth_parents", self.parent, "name"), re.sub(r"\s*\([^)]*\)", "", bits[1]).strip(), place)
                return
            self.parent = self.b.append(("birth_parents",), {"relationship": rel}, place)
            name = re.sub(r"\s*\([^)]*\)", "", bits[1]).strip().rstrip("?.!:;,") if len(bits) == 2 else ""
            if re.match(r"^[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){1,4}$", name):
                self.b.set(("birth_parents", self.parent, "name"), name, place)
        elif part.kind == "genogram":
            self.b.set(("genogram", "included"), bool(re.search(r"genogram|family tree", heading, re.IGNORECASE)) or None, place)
            if self.b.get(("genogram", "included")) is None:
                self.b.node(("genogram",)).pop("included", None)

    def sub_heading(self, cont, sub, heading: str, place: str) -> None:
        if sub.target == "chronology" and cont.part.kind == "parent":
            self.parent_chronology(place)

    def parent_chronology(self, place: str) -> tuple:
        ppath = self.parent_path()
        key = f"parentchron{ppath[1]}"
        if key not in self.last:
            name = self.b.get((*ppath, "name")) or self.b.get((*ppath, "relationship")) or "parent"
            self.last[key] = self.b.append(("chronologies", "parents"), {"parent": name, "entries": []}, place)
        return ("chronologies", "parents", self.last[key], "entries")

    def sibling_heading(self, heading: str, place: str) -> None:
        from permanence.forms.readers.vocabulary import strip_numbering

        text = strip_numbering(heading)
        m = re.match(r"^(?P<name>[^()–—:,]+?)\s*(?:\((?P<rel>[^)]+)\)|[,:–—]\s*(?P<rel2>.+))?$", text)
        name = (m.group("name") if m else text).strip()
        rel_text = (m.group("rel") or m.group("rel2") or "") if m else ""
        entry = {"name": name}
        code = parse.relationship(rel_text)
        if code:
            entry["relationship"] = code
        self.sibling = self.b.append(("siblings",), entry, place)

    def preamble(self, text: str, place: str) -> bool:
        """Lines before the first section: the authority's name is the local authority."""
        if len(text.split()) <= 14 and COUNCIL.search(text) and not self.b.get(("report", "local_authority")):
            self.b.set(("report", "local_authority"), re.split(r"\s+[–—-]\s+|,\s*", text, maxsplit=1)[0].strip(), place)
            return True
        return False

    # ---- text ------------------------------------------------------------------------------------
    def text(self, section, text: str, place: str) -> None:
        if self.family_time_lead_in(section, text, place):
            return
        if section is None or section.part is None or section.part.kind == "group":
            self.b.lost(text, place, section.heading if section else None)
            return
        part = section.part
        kind = part.kind
        if kind == "parent":
            self.parent_facts(text, place)
        if kind in ("parent", "health", "adoption_support") or (kind == "siblings"):
            label = parse.lead_in(text)
            if label is not None:
                sub, score = self.vocab.match(self.as_role(label[0]), within=kind, floor=0.7)
                if sub is not None:
                    section.sub = sub
                    section.sub_also = self.vocab.also(label[0], kind, sub)
                    return self.sub_text(section, sub, label[1] if sub.kind != "photographs" else text, place, whole=text)
            if section.sub is not None:
                return self.sub_text(section, section.sub, text, place, whole=text)
        if kind in PER_PARENT:  # read at the end, when every parent is known, whatever the sections' order
            self.per_parent.append((kind, section, text, place))
            return
        handler = getattr(self, f"on_{kind}", None)
        if handler is not None:
            return handler(section, text, place)
        self.b.add_text(self.path(part.target), text, place)
        self.note_compound(self.path(part.target), [self.path(a.target) for a in getattr(section, "also", [])])

    def as_role(self, label: str) -> str:
        """A label naming a parent by first name ("Work with Liam") read with the role."""
        for p in self.parents():
            first = str(p.get("name") or "").split()[:1]
            if first and p.get("relationship") in ("mother", "father"):
                label = re.sub(rf"\b{re.escape(first[0])}\b(?!['’]s)", f"the {p['relationship']}", label)
        return label

    def family_time_lead_in(self, section, text: str, place: str) -> bool:
        """"Reduction: ...", "After adoption: ...", "Now: ..." under a family-time heading (or
        "Keeping in touch"): each to the part of family time its label names."""
        if section is None or (section.part and section.part.kind not in ("text", "group")):
            return False
        about = (section.part.id if section.part else "") + " " + (section.heading or "")
        if not re.search(r"family_time|family time|contact|keeping in touch", about, re.IGNORECASE):
            return False
        label = parse.lead_in(text)
        if label is None or len(label[0].split()) > 7:
            return False
        part, _ = self.vocab.match(f"{label[0]} family time", floor=0.85)
        if part is None or not part.id.startswith("family_time") or part.kind != "text" or part is section.part:
            return False
        self.b.add_text(self.path(part.target), text, place)
        return True

    def parent_facts(self, text: str, place: str) -> None:
        """A parent's full name and date of birth written in the section's sentences ("Chloe
        Ashdown is Poppy's birth mother", "Identity: Born 5 June 2001"), where no heading or
        table gave them; a birth the sentence gives someone else is not the parent's."""
        ppath = self.parent_path()
        parent = self.b.get(ppath) or {}
        rel = parent.get("relationship")
        if not parent.get("name") and rel in ("mother", "father"):
            name = parse.parent_named(text, rel)
            lead = re.match(rf"^\s*({parse.NAME}),?\s+(?:\(?born|was born)\b", text)
            if not name and lead and len(lead.group(1).split()) >= 2 and not parse.NOT_A_NAME.match(lead.group(1)):
                name = lead.group(1)  # "April Louise Dunmore, born 3 September 2001 in Grimsby." opening her identity
            if name:
                self.b.set((*ppath, "name"), name, place)
        if not parent.get("date_of_birth"):
            born = parse.born_of(text, self.b.get((*ppath, "name")) or "")
            if born:
                self.b.set((*ppath, "date_of_birth"), born, place)

    def sub_text(self, section, sub, text: str, place: str, whole: str) -> None:
        kind = section.part.kind
        if kind == "parent":
            ppath = self.parent_path()
            if sub.kind == "chronology":
                return self.chronology_line(self.parent_chronology(place), whole, place, fallback=(*ppath, "summary"))
            if sub.kind == "photographs":
                return self.on_photographs(section, whole, place)
            if sub.kind == "fields":
                return self.fields_line(section, whole, place, fallback=(*ppath, "physical_description"))
            target = (*ppath, *self.path(sub.target))
            if sub.target == "efforts_to_identify":
                self.b.set((*ppath, "identified"), False, place)
            self.note_compound(target, [(*ppath, *self.path(a.target)) for a in getattr(section, "sub_also", []) if a is not sub])
            return self.b.add_text(target, text, place)
        if kind == "health":
            return self.on_health(section, whole, place, sub=sub)
        self.b.add_text(self.path(sub.target), text, place)

    def fields_line(self, section, text: str, place: str, fallback) -> None:
        label = parse.lead_in(text)
        if label is not None and len(label[0].split()) <= 4:
            part, score = self.vocab.match(label[0], floor=0.97)
            if part is not None and part.kind == "photographs":
                return self.on_photographs(section, text, place)
        if label is not None and label[1] and len(label[0].split()) <= 5:
            context, name = self.vocab.field(label[0], self.contexts(section))
            if name and self.tables.put_field(section, context, name, label[1], place):
                return
        self.b.add_text(fallback, text, place)

    def labelled(self, section, label: str, value: str, place: str) -> None:
        """A "Label | value" row of no known field, in a section: kept as "Label: value" where
        the section keeps its narrative."""
        kind = section.part.kind
        if kind == "parent":
            return self.b.add_text((*self.parent_path(), "summary"), f"{label}: {value}", place)
        if kind == "fields":
            fallback = {"report": ("report", "purpose_description")}.get(section.part.target, ("child", "summary"))
            return self.b.add_text(fallback, f"{label}: {value}", place)
        self.text(section, f"{label}: {value}", place)

    # ---- by kind -----------------------------------------------------------------------------------
    def on_fields(self, section, text: str, place: str) -> None:
        fallback = {"report": ("report", "purpose_description"), "child": ("child", "summary")}.get(section.part.target, ("child", "summary"))
        self.fields_line(section, text, place, fallback)

    def on_parent(self, section, text: str, place: str) -> None:
        ppath = self.parent_path()
        entry = parse.dated_line(text)
        if entry and ("chronology" in (section.heading or "").lower()):
            return self.chronology_line(self.parent_chronology(place), text, place, fallback=(*ppath, "summary"))
        self.fields_line(section, text, place, fallback=(*ppath, "summary"))

    def chronology_line(self, target, text: str, place: str, fallback) -> None:
        entry = parse.dated_line(text)
        if entry is None:
            items = self.b.get(target)
            # a continuation of the entry above: a short line, or one going on in lower case; a paragraph
            # of its own is the narrative the section holds beside its entries ("chronology and social history")
            if items and (len(text.split()) < 25 or text[:1].islower()):
                index = len(items) - 1
                self.b.add_text((*target, index, "event"), text, place)
                return
            self.b.add_text(fallback, text, place)
            return
        self.b.append(target, entry, place)

    def on_chronology(self, section, text: str, place: str) -> None:
        self.chronology_line(self.path(section.part.target), text, place, fallback=("chronologies", "notes"))

    def on_siblings(self, section, text: str, place: str) -> None:
        person = parse.leading_person(text)
        if person is not None and (self.sibling is None or person[0] != (self.b.get(("siblings", self.sibling, "name")) or "")):
            entry = {"name": person[0]}
            code = parse.relationship(person[1])
            if code:
                entry["relationship"] = code
            self.sibling = self.b.append(("siblings",), entry, place)
        if self.sibling is None:
            return self.b.add_text(("siblings_summary",), text, place)
        spath = ("siblings", self.sibling)
        from permanence.forms.readers.cpr_people import PHOTO_FACT

        for sentence in re.split(r"(?<=[.;])\s+(?=[A-Z])", text):
            if PHOTO_FACT.search(sentence):
                self.photo_lines.append((sentence, place, spath))
        born = parse.born_of(text, self.b.get((*spath, "name")) or "")
        if born and not self.b.get((*spath, "date_of_birth")):
            self.b.set((*spath, "date_of_birth"), born, place)
        lives = re.search(r"\blives with ([^.;]+)", text)
        if lives and not self.b.get((*spath, "lives_with")):
            self.b.set((*spath, "lives_with"), lives.group(1).strip()[:200], place)
        self.b.add_text((*spath, "relationship_with_child"), text, place)

    def on_signatures(self, section, text: str, place: str) -> None:
        proof = re.search(r"\bproof[- ]?read(?:ing)?\b", text, re.IGNORECASE)
        signer = SIGNED_BY.search(text)
        if proof and signer:  # "I have proofread this report ... Signed: Ffion Edwards, 17 June 2025."
            self.signed_line(section, text, place, signer)
        if proof:
            by = re.search(r"\bby ([A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+)+)", text)
            who = by.group(1) if by else ""
            for role in ("author", "supervisor", "manager"):
                name = self.b.get((role, "name")) or ""
                if who and name and (who in name or name in who):
                    self.b.set((role, "proofread"), True, place) if role != "supervisor" else None
            if not who or not any(who in (self.b.get((r, "name")) or "") for r in ("author", "manager")):
                self.b.set(("manager", "proofread"), True, place)
            self.b.add_text(("report", "sign_off_notes"), text, place)
            return
        role = next((r for r, pattern in ROLE_WORDS if pattern.search(text.split(":")[0] if ":" in text else text[:40])), None)
        label = parse.lead_in(text)
        self.b.add_text(("report", "sign_off_notes"), text, place)  # the line as written, for evidence to point at
        if role is not None and signer and signer.start() > 30:  # "Manager: I have read this report ... Signed: Sarah Pugh, ..."
            return self.signed_line(section, text, place, signer, role)
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
        key = "long_term" if LONG_TERM.search(text) else "short_term"
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
    def table(self, section, table, reader) -> None:
        self.tables.read(section, table, reader)
