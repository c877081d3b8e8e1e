"""Read a Child's Permanence Report written in any Word template into a `cpr` record.

One reader for every template: sections are found by their headings, whatever makes
them headings (a Word heading style or outline level, numbering such as "B1.3" or
"Section B Part 1", a paragraph in bold, capitals, a label cell of a two-column table,
an italic template question), and which part of the record a heading means is looked
up in the heading vocabulary (forms/vocabularies/cpr_headings.yaml, which an authority
extends: see vocabulary.py). Nothing here knows any one template.

What each part holds is read by cpr_content.py. Every value keeps its place in the
document (Record.origin), and text that could not be put anywhere is kept in
Record.unplaced with the heading it stood under, so it is still language-checked and the
report can say so. A document with too few of a CPR's sections is refused in one line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from permanence.findings import UserError
from permanence.forms.readers import cpr_parse as parse
from permanence.forms.readers import docx_blocks
from permanence.forms.readers.cpr_content import Builder, Content
from permanence.forms.readers.cpr_run_in import RunIns
from permanence.forms.readers.vocabulary import Part, load_vocabulary, numbering_depth, strip_numbering, words
from permanence.forms.record import Record
from permanence.templates.safe_docx import SafeDocx

MIN_SECTIONS = 6  # fewer of a CPR's sections than this and it is not a CPR
MARKINGS = re.compile(r"^\s*(?:OFFICIAL[- ]SENSITIVE|OFFICIAL|CONFIDENTIAL|PROTECT|RESTRICTED)\b[\w\s:-]{0,40}$", re.IGNORECASE)
QUESTION_START = re.compile(r"^(?:what|who|where|when|why|how|is|are|has|have|does|do|did|was|were|can|give|describe|summarise|summarize|"
                            r"explain|include|list|set out|provide|record|outline|comment|please|for each|state|detail|note)\b", re.IGNORECASE)
HEADING_MAX_WORDS = 16
NUMBERED = r"^\s*(?:section\s+)?([A-Z]?\d{1,2}(?:\.\d{1,2}){0,2})"  # a heading's number ("2", "B1.3"), captured
PARENT_WORDS = re.compile(r"\b(?:my|your|the|child's)?\s*(?:birth\s+)?(?:mother|father|mum|dad)(?:['’]s)?\b", re.IGNORECASE)
REPORT_DATED = re.compile(
    rf"(?:\b(?:this|the)\s+(?:version|report|cpr)\b[^.]{{0,40}}?\b(?:dated|completed|written|updated|finalised)\s+(?:on\s+)?"
    rf"|\bdate\s+of\s+(?:this\s+)?(?:report|version)\s*[:–—-]?\s*"
    rf"|(?<=[.)]\s)(?:it\s+was\s+|this\s+version\s+was\s+)?(?:updated|revised)\s+on\s+"  # "...(CPR). ... Updated on 15 January 2026 for ..."
    rf"|^\s*(?:report\s+(?:completed|dated|date)|(?:[A-Z][\w ]{{1,40}}\.\s+)?report\s+completed)\s*:?\s*(?:on\s+)?)"
    rf"(?P<date>{parse.DAY_MONTH_YEAR}|{parse.NUMERIC})", re.IGNORECASE)
CONTAINERS = {"parent", "siblings", "health", "adoption_support"}


@dataclass
class Section:
    part: Part | None  # None: a heading the vocabulary does not know
    level: int
    heading: str
    place: str
    sub: Part | None = None  # a part within a parent's (or health's) section
    sub_level: int = 99
    also: list = field(default_factory=list)  # other parts a compound heading names
    sub_also: list = field(default_factory=list)
    joined: set = field(default_factory=set)  # other parts of a parent its sub-heading joins ("sharing this report, support")
    owner: str | None = None  # the parent a sharing or support heading names ("Birth father – report shared")


class CprReader(RunIns):
    def __init__(self, name: str, vocabulary=None):
        self.name = name
        self.vocab = vocabulary or load_vocabulary()
        self.build = Builder()
        self.content = Content(self.build, self.vocab)
        self.section: Section | None = None
        self.found: dict[str, str] = {}  # counted part target -> first heading
        self.after_heading = False
        self.title_seen = False
        self.numbers_with_children: set[str] = set()
        self.last_heading = ""  # the text of the last heading or question, for the answer below it

    # ---- what makes a heading --------------------------------------------------------------------
    def heading_level(self, p: docx_blocks.Paragraph) -> int | None:
        text = p.text.strip()
        n_words = len(text.split())
        if not text or n_words > HEADING_MAX_WORDS * 2 or re.match(r"^[^\t:]{1,60}:(?:\t+\S|[ \t]*\S[^\t]*\t)", text):
            return None  # "Child's name:<tab>Kayleigh Jade Price" is a fact, not a heading
        if p.level is not None:
            return p.level
        if p.bold and not p.listed and self.bold_question(text):
            depth = numbering_depth(text)
            return depth if depth is not None else 9
        if n_words > HEADING_MAX_WORDS or len(text) > 160:
            return None
        ends_sentence = text.endswith(".") and not re.search(r"\b(?:no|etc|[A-Z])\.$", text)
        depth = numbering_depth(text)
        if depth is not None and not ends_sentence and (p.bold or text.isupper() or self.vocab.match(text, floor=0.75)[0]
                                                        or self.vocab.match(self.by_role(text), floor=0.75)[0]
                                                        or self.numbered_heading(text) or self.vocab.compound(text) >= 2):
            return depth
        if (p.bold or (text.isupper() and n_words <= 10 and re.search(r"[A-Z]{3}", text))) and not ends_sentence and not p.listed:
            return depth if depth is not None else 9
        if n_words <= 8 and not ends_sentence and not p.listed and not text.endswith(("?", ":")) and not p.italic:
            if self.fact_line(text):
                return None  # "Parental responsibility – yes" under the birth mother: her fact, not a heading
            part, score = self.vocab.match(text, floor=0.9)
            if part is not None and score >= 0.95:
                return depth if depth is not None else 9
        return None

    def numbered_heading(self, text: str) -> bool:
        """A short numbered line of a document numbered throughout ("1. About Elis" over
        "1.1 Personal details"): a heading though its words are the template's own. Its
        number must head deeper numbers later in the document."""
        number = re.match(NUMBERED + r"[.)]?\s+[A-Z]", text)
        if not number or len(text.split()) > 8:
            return False
        # its number heads deeper ones, or it is a sub-number ("2.4") in a document numbered so throughout
        return number.group(1) in self.numbers_with_children or ("." in number.group(1) and len(self.numbers_with_children) >= 3)

    def bold_question(self, text: str) -> bool:
        """A form's question or instruction in bold ("Please describe the child's health.",
        "What can you tell us about the birth father?") that names a part: a heading."""
        if len(text) > 240 or "\n" in text:
            return False
        framed = self.vocab.unframe(text)
        if framed == text.strip() and not (text.endswith("?") and QUESTION_START.match(strip_numbering(text))):
            return False
        part, score = self.vocab.match(framed, floor=0.75)
        return part is not None

    def is_question(self, p: docx_blocks.Paragraph) -> bool:
        """A template's question kept above the answer (in italics), not part of the answer."""
        text = p.text.strip()
        return p.italic and len(text.split()) <= 60 and (text.endswith("?") or bool(QUESTION_START.match(text)) or self.after_heading)

    # ---- sections ------------------------------------------------------------------------------------
    def container(self) -> Section | None:
        return self.section if self.section and self.section.part and self.section.part.kind in CONTAINERS else None

    def by_role(self, text: str) -> str:
        """A heading naming a parent or the child by first name ("Work with Chloe", "Work with
        Elis") read with the role instead."""
        for parent in self.build.get(("birth_parents",)) or []:
            first = (parent.get("name") or "").split()[:1]
            if first and parent.get("relationship") in ("mother", "father"):
                # "Work with Chloe" as "Work with mother"; "Hira's chronology" as "the mother's chronology"
                text = re.sub(rf"\b{re.escape(first[0])}['’]s\b", f"the {parent['relationship']}'s", text)
                text = re.sub(rf"\b{re.escape(first[0])}\b(?!['’]s)", parent["relationship"], text)
        child = self.build.get(("child", "known_as")) or self.build.get(("child", "first_names"))
        first = (child if isinstance(child, str) else "").split()[:1]
        if first and len(first[0]) > 1:
            text = re.sub(rf"\b{re.escape(first[0])}(?:['’]s\b|\b)", lambda m: "the child's" if m.group(0) != first[0] else "the child", text)
        return text

    def on_heading(self, text: str, level: int, place: str) -> None:
        text = uncontinued(text)
        self.last_heading = text
        cont = self.container()
        top, top_score = self.vocab.match(text)
        if top is None:
            top, top_score = self.vocab.match(self.by_role(text))
        if cont is not None:  # "Hira's chronology and social history" after the birth mother's rows: her chronology
            sub, sub_score = self.vocab.best((text, self.by_role(text)), within=cont.part.kind)
            deeper = level > cont.level
            if sub is not None and (deeper or (level == cont.level and sub_score >= top_score and (top is None or top.kind != "parent"))):
                cont.sub, cont.sub_level = sub, level
                cont.sub_also = self.vocab.also(text, cont.part.kind, sub)
                self.content.sub_heading(cont, sub, text, place)
                return
            if cont.part.kind == "siblings" and not (top is not None and top_score >= 0.9 and top.id != "siblings"):
                from permanence.forms.readers.cpr_parse import QUESTION_WORDS, person_heading

                plain = self.vocab.unframe(text)  # "What can you tell us about Kai (brother)?" names Kai
                person = person_heading(strip_numbering(plain))
                # under the siblings' heading, a heading naming one person is that sibling's entry
                # (with flat direct-bold headings too); a question or a group's name is the section's text
                other_part = person is None and top is not None and top_score >= 0.75 and top.kind not in ("siblings", "group")
                # ("Grandparents and other relatives" under the siblings' heading is that part, not a sibling)
                if not other_part and (person is not None or (deeper and not QUESTION_WORDS.match(strip_numbering(text))
                                                              and not text.rstrip().endswith("?"))):
                    cont.sub, cont.sub_level = None, level
                    self.content.sibling_heading(plain if person is not None else text, place)
                    return
                if deeper and not other_part:
                    self.content.text(cont, text, place)
                    return
            if deeper and (top is None or (cont.part.kind == "parent" and top_score < 0.9
                                          and top.kind not in ("parent", "sharing", "support", "work_parents"))):
                # a sub-heading the vocabulary does not know, or knows only loosely ("Could she care for me?"
                # under the birth mother): part of the section
                self.content.text(cont, text, place)
                return
        if top is not None:
            current = self.section
            if current and current.part is top and (level > current.level or top.kind in CONTAINERS):
                current.sub = None
                self.compound_sub(top, level, text, place)  # "Birth mother – her wishes": the same parent, another part of her
                return  # a sub-heading naming the same part
            if current and current.part is not None and level > current.level and top.kind == "group":
                return
            self.start(top, level, text, place)
            return
        if self.section is not None and level > self.section.level:
            if self.section.part is not None and self.section.part.kind != "group":
                self.content.text(self.section, text, place)
            return
        self.section = Section(None, level, text, place)

    def start(self, part: Part, level: int, text: str, place: str) -> None:
        previous = self.section
        self.section = Section(part, level, text, place, also=self.vocab.also(text, None, part) or self.vocab.also(self.by_role(text), None, part))
        role = re.search(r"\b(?:birth )?(mother|father|mum|dad)\b", text, re.IGNORECASE)
        if part.kind in ("sharing", "support", "work_parents") and role:  # "BIRTH FATHER - REPORT SHARED": the father's
            self.section.owner = {"mum": "mother", "dad": "father"}.get(role.group(1).lower(), role.group(1).lower())
        elif part.kind in ("sharing", "support", "work_parents") and previous is not None and previous.part is not None \
                and previous.part.kind == "parent" and previous.part.target in ("mother", "father") and level >= previous.level:
            self.section.owner = previous.part.target  # "Has Hira seen this report?" among the birth mother's questions
        if part.kind != "group" and part.counts:
            self.found.setdefault(part.target, text)
        self.content.start(self.section, text, place)
        self.compound_sub(part, level, text, place)

    def compound_sub(self, part: Part, level: int, text: str, place: str) -> None:
        if part.kind in CONTAINERS:  # "Birth mother: wishes and feelings": the part, then what of it
            bits = re.split(r"\s*[:–—]\s*|\s+-\s+", strip_numbering(self.vocab.unframe(text)), maxsplit=1)
            if len(bits) == 1 and part.kind == "parent":  # "My birth mother's chronology": the parent, then what of them
                rest = PARENT_WORDS.sub(" ", bits[0]).strip()
                if rest and rest != bits[0].strip():
                    bits = [bits[0], rest]
            sub = self.vocab.match(bits[1], within=part.kind, floor=0.72)[0] if len(bits) == 2 else None
            if sub is not None:
                self.section.sub, self.section.sub_level = sub, level + 1
                self.section.sub_also = self.vocab.also(bits[1], part.kind, sub)
                self.content.sub_heading(self.section, sub, bits[1], place)
            elif len(bits) == 2 and part.kind == "parent":  # "Birth mother: was this report shared?": the parent's sharing
                other, _ = self.vocab.match(bits[1], floor=0.72)
                if other is not None and other.kind in ("sharing", "support", "work_parents"):
                    self.start(other, level, bits[1], place)
                    if part.target in ("mother", "father"):
                        self.section.owner = part.target  # "Birth father – report shared": the father's

    # ---- walking the body ------------------------------------------------------------------------------
    def walk(self, blocks: list) -> None:
        for block in blocks:  # numbers that head deeper ones ("1" over "1.1"), for numbered_heading
            m = re.match(NUMBERED + r"\.\d{1,2}[.)]?\s+[A-Z]", getattr(block, "text", "") or "")
            if m and len(block.text.split()) <= 10:
                self.numbers_with_children.add(m.group(1))
        # a document whose parts are headed by bold run-ins ("Health. ...") throughout: a run-in the
        # vocabulary knows only loosely still heads its part
        leads = [b.text[:b.lead].strip() for b in blocks if getattr(b, "lead", 0)]
        self.run_in_floor = 0.75 if sum(1 for h in leads if h.endswith(".") and self.vocab.match(h.rstrip("."), floor=0.75)[0]) >= 8 else 0.9
        for block in blocks:
            if isinstance(block, docx_blocks.Table):
                self.after_heading = False
                self.content.table(self.section, block, self)
                continue
            text = block.text.strip()
            if not text or MARKINGS.match(text):
                continue
            level = self.heading_level(block)
            first = level is not None and level <= 1 and not self.title_seen and self.section is None
            if level == 0 or (first and (self.vocab.match(text)[0] is None or self.vocab.match(text)[0].kind == "group")):
                self.title_seen = True  # the document's title
                continue
            if level is not None:
                self.on_heading(text, level, block.place)
                self.after_heading = True
                continue
            if block.lead and self.run_in(block):
                continue
            cont = self.container()
            if cont is not None and text.endswith(":") and len(text.split()) <= 6:
                sub, _ = self.vocab.match(text[:-1], within=cont.part.kind, floor=0.8)
                if sub is not None:  # "Father's chronology:" over the list of its entries
                    self.on_heading(text[:-1], (self.section.level if self.section else 8) + 1, block.place)
                    continue
            listed = self.vocab.match(text[:-1], floor=0.85)[0] if text.endswith(":") and len(text.split()) <= 12 else None
            if listed is not None and listed.kind in ("previous_audit", "chronology"):
                # "Actions from the panel adviser's audit of 3 July 2026:" over the list of them
                self.on_heading(text[:-1], (self.section.level if self.section else 8) + 1, block.place)
                continue
            if self.is_question(block):
                if self.section is None or self.section.part is None:
                    part, _ = self.vocab.match(text, floor=0.7)
                    if part is not None:
                        self.start(part, (self.section.level + 1) if self.section else 9, text, block.place)
                continue
            self.after_heading = False
            self.paragraph(text, block.place)

    def paragraph(self, text: str, place: str) -> None:
        if not self.build.get(("report", "report_date")) and self.last_heading and re.match(rf"^\s*(?:{parse.DAY_MONTH_YEAR}|{parse.NUMERIC})", text) \
                and self.vocab.field(self.last_heading.rstrip("?:. "), ("report",))[1] == "report_date":
            iso = parse.first_date(text)  # "Date this version was completed" over "10 June 2025 (version 1)"
            if iso:
                self.build.set(("report", "report_date"), iso, place)
        if not self.build.get(("report", "report_date")):
            dated = REPORT_DATED.search(text)  # "This version, dated 20 May 2026, ...", "Report completed 20 June 2025."
            if dated and re.search(r"\b(?:version\s+1|first\s+version|previous\s+version|earlier\s+version|original\s+(?:version|report))\b",
                                   text[max(0, dated.start() - 40):dated.end()], re.IGNORECASE):
                dated = None  # "Version 1 of this report was dated 17 January 2025": an earlier version's date
            if dated and "updat" in dated.group(0).lower() and not re.search(r"\b(?:report|cpr)\b", text, re.IGNORECASE):
                dated = None  # "updated on" says the report's date only where the report is what is spoken of
            iso = parse.to_iso(dated.group("date"))[0] if dated else None
            if iso:
                self.build.set(("report", "report_date"), iso, place)
        if self.section is None and not self.found and self.content.preamble(text, place):
            return
        self.content.text(self.section, text, place)

    def row_title(self, label: str, place: str) -> bool:
        """A row across a two-column form (one merged cell) naming a part: a heading over the
        question-and-answer rows below it. True if it names a part."""
        if len(label.split()) > HEADING_MAX_WORDS or "\n" in label.strip():
            return False
        part, _ = self.vocab.match(label, floor=0.72)
        if part is None:
            part, _ = self.vocab.match(self.by_role(label), floor=0.72)
        if part is None:
            return False
        self.on_heading(label, 2, place)
        self.after_heading = True
        return True

    def row_heading(self, label: str, place: str, answer: str = "") -> bool:
        """A two-column table's label cell standing as a heading (a form that is one long
        question-and-answer table): True if it names a part, which is then started. Only a
        question, or a label over a narrative answer, is taken as a heading: a short fact
        ("Child | Oscar") beside a label that happens to be a heading word is not."""
        from permanence.forms.readers.cpr_tables import narrative

        dated = sum(1 for line in answer.split("\n") if parse.dated_line(line.strip())) >= 2  # a chronology in the answer box
        if not (label.rstrip().endswith("?") or len(label.split()) >= 4 or narrative(answer) or dated):
            return False
        part, score = self.vocab.match(label, floor=0.72)
        cont = self.container()
        if cont is not None and cont.part.kind == "siblings" and (part is None or part.kind in ("siblings", "group") or score < 0.9):
            from permanence.forms.readers.cpr_parse import person_heading

            plain = self.vocab.unframe(label)
            if person_heading(strip_numbering(plain)) is not None:  # "Maisie Dobson (half-sister) | ...": her entry
                cont.sub, cont.sub_level = None, cont.level + 1
                self.content.sibling_heading(plain, place)
                return True
        first_fact = re.split(r"\s+and\s+|,\s*", label)[0]
        if cont is not None and cont.part.kind == "parent" and len(first_fact.split()) >= 2 and len(label.split()) <= 8 \
                and (part is None or part.kind != "parent") \
                and self.vocab.field(first_fact, ("parent",), floor=0.9)[1]:
            cont.sub = None  # "Parental responsibility and relationship status" in her rows: her facts, not another part
            return False
        if cont is not None and cont.part.kind == "parent" and (part is None or part.kind not in ("parent", "sharing", "support", "work_parents")):
            parent = self.build.get(("birth_parents", self.content.parent)) if self.content.parent is not None else None
            first = str((parent or {}).get("name") or "").split()[:1]
            if first and re.search(rf"\b{re.escape(first[0])}\b", label):  # "Why Hira decided on adoption" among her rows: hers
                cont.sub = self.vocab.match(self.by_role(label), within="parent", floor=0.72)[0]
                return True
        if cont is not None:
            sub, sub_score = self.vocab.match(self.by_role(label), within=cont.part.kind, floor=0.72)
            if sub is not None and part is cont.part and cont.part.kind == "parent":  # "Birth mother's chronology" in her rows
                rest = PARENT_WORDS.sub(" ", label).strip()
                sub = self.vocab.match(rest, within="parent", floor=0.72)[0] if rest and rest != label.strip() else None
                part = None if sub is not None else part
            if sub is not None and (part is None or part.kind != "parent"):
                cont.sub, cont.sub_level = sub, cont.level + 1
                cont.sub_also = self.vocab.also(label, cont.part.kind, sub)
                self.content.sub_heading(cont, sub, label, place)
                return True
        if part is None or part.kind == "group":
            return False
        level = (self.section.level if self.section else 9)
        if self.section is not None and self.section.part is part:
            if part.kind in CONTAINERS:  # "D1. Birth mother (continued) – background and social history"
                self.section.sub = None
                self.compound_sub(part, level, uncontinued(label), place)
            return True
        self.start(part, level, label, place)
        return True

    # ---- the record ----------------------------------------------------------------------------------
    def record(self) -> Record:
        counted = self.vocab.counted()
        if len(self.found) < MIN_SECTIONS:
            raise UserError(f"{self.name}: this Word document is neither one of our forms nor a Child's Permanence Report: "
                            f"found {len(self.found)} of the {len(counted)} sections a CPR has. "
                            "If it is a CPR, its headings may use words the reader does not know: add them to the heading vocabulary "
                            "(see 'Reading any Word CPR' in the README).")
        if not self.build.get(("report", "report_date")):  # "Version 2, updated for matching panel, 14th July 2025": the report's date
            for key in ("version_label", "version_notes"):
                value = self.build.get(("report", key))
                iso = parse.first_date(value) if isinstance(value, str) else None
                if iso:
                    self.build.set(("report", "report_date"), iso, self.build.origin.get(self.build.pointer(("report", key)), ""))
                    break
        signed = self.build.get(("author", "signed_date"))
        if not self.build.get(("report", "report_date")) and signed:  # the day the author signed it is the report's date
            self.build.set(("report", "report_date"), signed, self.build.origin.get(self.build.pointer(("author", "signed_date")), ""))
        self.content.finish_per_parent()
        self.content.finish_photographs()
        answered_under = self.content.finish_compound()
        data, origin = self.build.finish()
        record = Record(form="cpr", data=data, path=self.name, origin=origin, unplaced=self.build.unplaced)
        record.answered_under = answered_under  # type: ignore[attr-defined]
        record.sections_found = len(self.found)  # type: ignore[attr-defined]
        record.sections_known = len(counted)  # type: ignore[attr-defined]
        return record


def uncontinued(text: str) -> str:
    """A form's continuation heading without its "(continued)": "D1. Birth mother (continued) – background"."""
    return re.sub(r"\s*\((?:continued|cont[’'.d]*)\)|\s+continued\b(?=\s*[–—:-])", "", text, flags=re.IGNORECASE)


def read_blocks(path: Path) -> list:
    with SafeDocx(path) as package:
        body = package.document()
        try:
            styles = docx_blocks.read_styles(package.xml("word/styles.xml"))
        except UserError:
            styles = docx_blocks.Styles()
    return docx_blocks.blocks(body, styles)


def read(path: Path, form: str | None = None, vocabulary=None) -> Record:
    """The `cpr` record a Word CPR in any template holds."""
    name = str(path)
    if form and form != "cpr":
        raise UserError(f"{name}: this Word document is read as a Child's Permanence Report ('cpr'), but a '{form}' record is needed here.")
    reader = CprReader(name, vocabulary)
    reader.walk(read_blocks(path))
    return reader.record()


def unplaced_summary(unplaced: list[dict]) -> list[str]:
    """One plain line per heading whose text could not be placed: "2 paragraphs under
    'Update May 2026' were not matched to a section"."""
    groups: dict[str, int] = {}
    for item in unplaced:
        groups[item.get("under") or ""] = groups.get(item.get("under") or "", 0) + 1
    lines = []
    for under, count in groups.items():
        what = f"{count} paragraph{'s' if count != 1 else ''}"
        where = f"under '{under}'" if under else "before the first heading"
        lines.append(f"{what} {where} {'were' if count != 1 else 'was'} not matched to a section of the report")
    return lines


__all__ = ["read", "CprReader", "unplaced_summary", "strip_numbering", "words"]
