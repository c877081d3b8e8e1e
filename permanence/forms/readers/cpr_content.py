"""What each part of a CPR holds, read into the `cpr` record: narrative, facts, dated
entries, people. Called by cpr_docx.CprReader as it walks the document; tables are read
by cpr_tables.py. Every value is put with its place (Builder keeps the origin)."""
from __future__ import annotations

import re

from permanence.forms.readers import cpr_parse as parse
from permanence.forms.readers.cpr_facts import ROLE_WORDS, Facts  # noqa: F401 - ROLE_WORDS for cpr_tables
from permanence.forms.readers.cpr_lines import PER_PARENT, Lines, soft_line_groups
from permanence.forms.readers.cpr_people import People

NONE_WORDS = re.compile(r"\b(?:no photograph|not available|none available|no photo|has not been identified|not been taken|no picture)\b", re.IGNORECASE)
SHARED_NOT = re.compile(r"\b(?:not (?:been )?shared|not shown|did not (?:attend|receive|respond)|declined|refused|could not be shared|has not seen)\b", re.IGNORECASE)
SHARED = re.compile(r"\b(?:shared|read (?:the|this|relevant|parts)|went through|sent|gave (?:her|him|them) a copy|showed|shown|discussed the report)\b", re.IGNORECASE)
RESPONSE = re.compile(r"\b(?:accepted|declined|refused|agreed|did not|has not|have not|took up|taken up|attend(?:ed|s|ing)?|engag(?:ed|es|ing)|"
                      r"not yet|wants|wanted|said|chose|referral)\b", re.IGNORECASE)
# Where each fact of a paragraph of run-in facts begins ("Name: ... Date of birth: ... Gender: ...").
RUN_IN_FACT = re.compile(r"(?:^|(?<=[.;])\s+)([A-Z][a-z]+(?: [a-z]+){0,3}):\s")
# A sentence saying the genogram is there, wherever it stands.
GENOGRAM_SAID = re.compile(r"\b(?:genogram|family tree)\b[^.]{0,80}\b(?:is attached|attached|appendix|is included|included|shows|below|enclosed)\b", re.I)
# A parent's heading joining parts ("His wishes and feelings, sharing this report, support"): the parts it names,
# and the words that say a paragraph under it is about that part.
JOINED_PARTS = (("sharing", re.compile(r"\bshar(?:e|ed|ing)\b|\bseen (?:this|the) report\b", re.IGNORECASE)),
                ("support", re.compile(r"\bsupport\b", re.IGNORECASE)))
JOINED_TEXT = (("sharing", re.compile(r"\b(?:shared|went through|read through|read|showed|gave (?:her|him|them) a copy)\b[^.]{0,40}\b(?:this|the) report\b|"
                                      r"\b(?:this|the) report (?:was|has been|has not been|was not) (?:shared|shown|read)", re.IGNORECASE)),
               ("support", re.compile(r"\b(?:referr\w*|support (?:is |was )?(?:available|offered)|support service|counselling|birth parent support|"
                                      r"independent (?:support|service|counselling))\b", re.IGNORECASE)))  # parts whose text is shared out among the birth parents
COUNCIL = re.compile(r"\b(?:Council|Borough|County|City of|Children's Trust|Regional Adoption Agency)\b")


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


class Content(People, Facts, Lines):
    def __init__(self, build: Builder, vocab):
        self.b = build
        self.vocab = vocab
        self.parent: int | None = None
        self.sibling: int | None = None
        self.relative: int | None = None  # a relative's entry begun under the siblings' heading ("Bríd Gallagher (maternal grandmother)")
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
        self.sibling = self.relative = None
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
        # "her wishes and feelings, sharing this report, support": the other parts of this parent it names
        cont.joined = {k for k, rx in JOINED_PARTS if rx.search(heading)} if cont.part.kind == "parent" else set()
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
        if parse.not_a_sibling(rel_text):  # a grandmother or an aunt under the siblings' heading is a relative
            self.sibling = None
            self.relative = self.b.append(("assessments", "viability"), {"name": name, "relationship": rel_text[:200]}, place)
            return
        entry = {"name": name}
        code = parse.relationship(rel_text)
        if code:
            entry["relationship"] = code
        self.sibling, self.relative = self.b.append(("siblings",), entry, place), None

    def preamble(self, text: str, place: str) -> bool:
        """Lines before the first section: the authority's name is the local authority."""
        if len(text.split()) <= 14 and COUNCIL.search(text) and not self.b.get(("report", "local_authority")):
            self.b.set(("report", "local_authority"), re.split(r"\s+[–—-]\s+|,\s*", text, maxsplit=1)[0].strip(), place)
            return True
        return False

    # ---- text ------------------------------------------------------------------------------------
    def text(self, section, text: str, place: str) -> None:
        if "\n" in text.strip() and section is not None and section.part is not None and section.part.kind not in ("chronology",):
            groups = soft_line_groups(text, signatures=section.part.kind == "signatures")
            if len(groups) > 1:  # a paragraph typed with soft returns: each fact, or each signature block, on its own
                for group in groups:
                    self.text(section, group, place)
                return
        if self.family_time_lead_in(section, text, place):
            return
        if section is not None and section.part is not None and section.part.kind != "genogram" and not self.b.get(("genogram", "included")) \
                and GENOGRAM_SAID.search(text):
            self.on_genogram(section, text, place)  # "A genogram is attached as Appendix A ..." under "Photographs and genogram"
        if section is None or section.part is None or section.part.kind == "group":
            if not self.front_fact(section, text, place):
                self.b.lost(text, place, section.heading if section else None)
            return
        part = section.part
        kind = part.kind
        if kind == "parent":
            self.parent_facts(text, place)
        if part.target in ("child", "child.identity_analysis", "child.physical_description") and not self.b.get(("child", "first_names")):
            named = re.match(rf"^\s*({parse.NAME})(?:,\s+|\s+\(|\s+(?:was|were)\s+)born\b", text)
            if named and len(named.group(1).split()) >= 2 and not parse.NOT_A_NAME.match(named.group(1)):
                self.tables.put_field(section, "child", "full_name", named.group(1), place)  # "Amara Chiamaka Okafor was born on ..."

        if kind == "adoption_support":  # "Short term: ... Long term: ...": each part to its own field
            split = re.search(r"(?<=[.;])\s+(?=(?:Long[- ]term|In the long(?:er)? term|Longer term)\s*[:–—,-])", text)
            if split:
                self.text(section, text[:split.start()], place)
                return self.text(section, text[split.end():], place)
        if kind in ("parent", "health", "adoption_support") or (kind == "siblings"):
            label = parse.lead_in(text)
            if label is not None and kind == "parent" and self.parent_lead_in(section, label, text, place):
                return
            if label is not None:
                sub, score = self.vocab.match(self.as_role(label[0]), within=kind, floor=0.7)
                if sub is not None:
                    section.sub = sub
                    section.sub_also = self.vocab.also(label[0], kind, sub)
                    return self.sub_text(section, sub, label[1] if sub.kind != "photographs" else text, place, whole=text)
            if section.sub is not None:
                return self.sub_text(section, section.sub, text, place, whole=text)
        if kind not in ("parent", "chronology", "siblings", "photographs", "genogram"):
            self.fact_in_text(section, text, place)  # "CHILD'S FULL NAME: Mia Kaur Dhillon. ..." wherever it stands
        if kind in PER_PARENT:  # read at the end, when every parent is known, whatever the sections' order
            self.per_parent.append((kind, section, text, place, getattr(section, "owner", None)))
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
            lead = re.match(rf"^\s*(?:[A-Z][a-z]+(?: [a-z]+){{0,3}}:\s*)?({parse.NAME}),?\s+(?:\(?born|was born)\b", text)
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
            joined = getattr(section, "joined", set())
            said = next((k for k, rx in JOINED_TEXT if k in joined and rx.search(whole)), None)
            if said is not None and self.parent is not None:  # under a heading joining several parts, each paragraph to its own
                self.per_parent.append((said, section, whole, place, self.parent))
                return
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
        starts = [m.start(1) for m in RUN_IN_FACT.finditer(text)]
        if len(starts) >= 3 and starts[0] == 0:  # "Name: Finley Hartigan. Date of birth: 2 July 2022. Gender: male. ..."
            for a, b in zip(starts, starts[1:] + [len(text)]):
                self.fields_line(section, text[a:b].strip(), place, fallback)
            return
        label = parse.lead_in(text)
        if label is not None and len(label[0].split()) <= 4:
            part, score = self.vocab.match(label[0], floor=0.97)
            if part is not None and part.kind == "photographs":
                return self.on_photographs(section, text, place)
        if label is not None and label[1] and len(label[0].split()) <= 5:
            context, name = self.vocab.field(label[0], self.contexts(section))
            if name and self.tables.put_field(section, context, name, label[1], place, label[0]):
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
        if "\n" in text.strip():  # entries typed one to a line, with soft returns, in one paragraph
            for line in text.split("\n"):
                if line.strip():
                    self.chronology_line(target, line.strip(), place, fallback)
            return
        if re.match(r"^\s*date\s*\t", text, re.IGNORECASE):
            return  # "Date<tab>Event<tab>Source": the columns' headings
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
        label = parse.lead_in(text)
        if person is None and label and re.fullmatch(r"[A-Z][A-Za-z'’-]+", label[0]) and label[0].title() in label[1] \
                and not self.vocab.match(label[0], floor=0.75)[0]:
            person = (label[0].title(), "")  # "JAYDEN: Jayden was born on 03/08/2018 ...": his entry
        if person is not None and parse.not_a_sibling(person[1]):
            self.sibling = None
            self.relative = None
            return self.on_viability(section, text, place)  # "Bríd Gallagher (maternal grandmother). Bríd was born ..."
        if person is None and self.relative is not None:
            return self.b.add_text(("assessments", "viability", self.relative, "reasons"), text, place)
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
        lives = re.search(r"\blives with:?\s+([^.;]+)", text, re.IGNORECASE)  # "lives with her mother", "Lives with: Nelson and his partner"
        if lives and not self.b.get((*spath, "lives_with")):
            self.b.set((*spath, "lives_with"), lives.group(1).strip()[:200], place)
        self.b.add_text((*spath, "relationship_with_child"), text, place)

    def table(self, section, table, reader) -> None:
        self.tables.read(section, table, reader)
