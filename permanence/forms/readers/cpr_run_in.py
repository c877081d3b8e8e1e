"""Lines of a Word CPR that are not what their look first says (for permanence/forms/readers/cpr_docx.py):
a bold run-in heading opening a paragraph ("Health. Amara had ..."), and a plain "Label – value" line
that is a fact, not a heading."""
from __future__ import annotations

import re

from permanence.forms.readers import cpr_parse as parse


class RunIns:
    """Mixed into CprReader: uses its vocabulary, sections and content."""

    def fact_line(self, text: str) -> bool:
        """A plain "Label – value" line whose label is a fact of the section it stands in, or a label
        left unanswered ("Signed (team manager) –", "Date –")."""
        if re.search(r"\s[–—-]\s*$", text):
            return True
        label = parse.lead_in(text)
        cont = self.container()
        return bool(label and label[1] and cont is not None
                    and self.vocab.field(label[0], self.content.contexts(cont), floor=0.9)[1])

    def run_in(self, block) -> bool:
        """A paragraph opened by a bold run-in heading ("Health. Amara had her last health assessment
        ..."): the heading, then its text, where it names another part of the report. A lead the
        section itself reads ("Identity:" under the birth mother, "Medical adviser's summary:" under
        health) or a labelled fact ("Date of this report. 12 May 2025.") is read as "Label: text"."""
        raw = block.text[:block.lead].rstrip()
        head = raw.rstrip(".:?").strip()
        rest = block.text[block.lead:].strip()
        cont, current = self.container(), self.section
        if raw.endswith(":") and self.vocab.field(head, ("child", "report", "author", "parent"), floor=0.9)[1]:
            return False  # "Child's name / Enw'r plentyn: Osian Rhys Lloyd" in bold and plain is a fact
        if re.fullmatch(r"[A-Z][\w'’-]+", head) and self.by_role(head) != head:
            return False  # "Amara. Amara is healthy ...": a child's part of the section, not a heading
        person = parse.leading_person(head)
        if person is not None and (cont is None or cont.part.kind != "siblings" or parse.not_a_sibling(person[1])):
            return False  # "Lorraine Ashdown (maternal grandmother), aged 44.": a person's entry in the section
        top, score = self.vocab.best((head, self.by_role(head)), floor=0.75)  # "Amara's wishes and feelings" as the child's
        other_parent = cont is not None and top is not None and top.kind == "parent" and top is not cont.part
        own = cont is not None and self.vocab.match(self.by_role(head), within=cont.part.kind, floor=0.75)[0] is not None
        context, fact = self.vocab.field(head, tuple(dict.fromkeys(self.content.contexts(current) + ("report",))), floor=0.9)
        outside = current is None or current.part is None or current.part.kind == "group"
        capitals = head.isupper() and len(re.findall(r"[A-Z]", head)) >= 4  # "HEALTH:", "MIA'S WISHES AND FEELINGS:"
        numbered = bool(re.match(r"^(?:[A-Z]\d{1,2}|\d{1,2}(?:\.\d{1,2})*)[.)]?\s", raw))  # "E5 Adoption support:" is a section's heading
        heading = top is not None and (other_parent or not (own or (fact and score < 1.0)) and (
            outside or ((numbered or capitals or not raw.endswith(":")) and top is not current.part and score >= self.run_in_floor)))
        if heading:
            self.on_heading(head, 9, block.place)
            self.after_heading = False
            self.paragraph(rest, block.place)
            return True
        if raw.endswith(".") and (own or fact):  # "Date of this report. 12 May 2025." as "Date of this report: 12 May 2025."
            self.after_heading = False
            if fact and len(rest.split()) <= 12 and self.content.tables.put_field(current, context, fact, rest, block.place, head):
                return True
            self.paragraph(f"{head}: {rest}", block.place)
            return True
        return False
