"""Labelled lines in a Word CPR (for permanence/forms/readers/cpr_content.py): a "Label: value" fact
above the first section or inside a narrative one, a parent's own "Report shared –" line, and a
paragraph typed with soft returns read part by part."""
from __future__ import annotations

import re

from permanence.forms.readers import cpr_parse as parse

PER_PARENT = ("work_parents", "sharing", "support")  # parts whose text is shared out among the birth parents


class Lines:
    """Mixed into Content: uses its builder, vocabulary, tables and parents."""

    def fact_in_text(self, section, text: str, place: str) -> None:
        """A "Label: value" line in a narrative section ("Full name: Osian Rhys Lloyd. His Nain calls him
        cariad ...") also gives the fact its label names; the line stays in the section's text."""
        label = parse.lead_in(text)
        if label is None or not label[1] or len(label[0].split()) > 6 or not label[0][:1].isupper():
            return
        context, name = self.vocab.field(label[0], ("child",), floor=0.9)
        first = re.split(r"(?<=[.;])\s+(?=[A-Z])", label[1])[0].rstrip(".;")
        if name and len(first.split()) <= 12 and self.b.get(("child", name)) is None:
            self.tables.put_field(section, context, name, first, place, label[0])

    def front_fact(self, section, text: str, place: str) -> bool:
        """A "Label – value" line outside any section ("Date of birth – 3 September 2023" under the
        report's title): the report's or the child's fact its label names."""
        label = parse.lead_in(text)
        if label is None or not label[1] or len(label[0].split()) > 5:
            return False
        context, name = self.vocab.field(label[0], ("child", "report", "author"), floor=0.9)
        return bool(name) and self.tables.put_field(section, context, name, label[1], place, label[0])

    def parent_lead_in(self, section, label: tuple[str, str], text: str, place: str) -> bool:
        """In a parent's entry, "Parental responsibility – yes" is her fact, and "Report shared – ..." or
        "Support offered – ..." is the sharing or support of this parent, whoever the sentence names."""
        context, name = self.vocab.field(label[0], ("parent",), floor=0.9)
        if name and label[1] and self.tables.put_field(section, context, name, label[1], place, label[0]):
            return True
        if self.vocab.match(self.as_role(label[0]), within="parent", floor=0.9)[0] is not None:
            return False
        other, _ = self.vocab.match(label[0], floor=0.9)
        if other is None or other.kind not in PER_PARENT or self.parent is None:
            return False
        section.sub = None
        self.per_parent.append((other.kind, section, text, place, self.parent))
        return True


def soft_line_groups(text: str, signatures: bool = False) -> list[str]:
    """The parts of a paragraph typed with soft returns: a blank line, or a "Label: value" line, starts
    a new one; a signature block's lines ("Social worker: Hannah Okafor / Signed: H Okafor / Date: ...")
    stay together as one line of sentences."""
    groups: list[list[str]] = [[]]
    for line in text.split("\n"):
        line = line.strip()
        if not line:
            if groups[-1]:
                groups.append([])
            continue
        label = parse.lead_in(line)
        if not signatures and groups[-1] and label is not None and len(label[0].split()) <= 5 and ":" in line[:60]:
            groups.append([])
        groups[-1].append(line)
    joiner = ". " if signatures else " "
    return [joiner.join(x.rstrip(".") if signatures else x for x in g) + ("." if signatures else "") for g in groups if g]

