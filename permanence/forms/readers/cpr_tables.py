"""Tables of a CPR, recognised by their column headings (data: `fields: columns` of the
heading vocabulary) and read into the record: chronologies (Date / Event / Source),
the options analysis, version history, sign-off, genogram people, and two-column tables
of facts or of questions and answers (the label cell is the heading)."""
from __future__ import annotations

import re

from permanence.forms.readers import cpr_parse as parse
from permanence.forms.readers.cpr_fields import Fields

def narrative(answer: str) -> bool:
    """An answer written as sentences, not a fact: a dozen words, or a sentence of six or more."""
    n = len(answer.split())
    return n >= 12 or (n >= 6 and answer.rstrip().endswith((".", "!", "?", '"', "”")))


class Tables(Fields):
    def __init__(self, content):
        self.c = content
        self.b = content.b
        self.vocab = content.vocab

    def columns(self, row: list[str]) -> dict[str, int]:
        out: dict[str, int] = {}
        for i, cell in enumerate(row):
            if len(cell.split()) > 6:  # "Action from the audit of 24th February 2025": its first words name the column
                cell = " ".join(re.split(r"\s+(?:of|on|dated)\s+\d", cell, maxsplit=1)[0].split()[:5])
            _, name = self.vocab.field(cell, ("columns",), floor=0.8)
            if name and name not in out:
                out[name] = i
        return out

    def read(self, section, table, reader) -> None:
        rows = [r for r in table.rows if any(c.strip() for c in r)]
        if not rows:
            return
        index = {id(r): i for i, r in enumerate(table.rows)}
        if len(rows) == 1 and len(rows[0]) == 1 and not table.nested and 0 < len(rows[0][0].split()) <= 12 and "\n" not in rows[0][0].strip():
            # a one-cell shaded banner ("SECTION 4: THE CHILD'S HEALTH") is the heading of what follows
            reader.on_heading(rows[0][0].strip(), 1, table.cell_place(index[id(rows[0])], 0))
            return
        head = self.columns(rows[0])
        kind = section.part.kind if section and section.part else None
        if head.get("label") == 0 and 1 in (head.get("value"), head.get("event")) and "source" in head and "date" not in head and len(rows[0]) == 3:
            # "Item | Details | Verified by": facts, each with how it was checked (not itself a fact)
            return self.read(section, without_column(table, head["source"], header=index[id(rows[0])]), reader)
        if "guidance" in head and max(len(r) for r in rows) >= 3:
            # "Section | What to include | Response": the template's guidance is no part of the answer
            return self.read(section, without_column(table, head["guidance"], header=index[id(rows[0])]), reader)
        if "date" in head and "event" in head:
            return self.chronology(section, table, rows[1:], head, index)
        if "option" in head and ("advantages" in head or "disadvantages" in head):
            return self.options(table, rows[1:], head, index)
        if "version" in head and ("date" in head or "changes" in head):
            return self.versions(table, rows[1:], head, index)
        if ("signature" in head or kind in ("signatures",)) and ("name" in head or "role" in head or "date" in head):
            return self.signatures(table, rows, head, index)
        if kind == "genogram" and ("name" in head or "relationship" in head):
            return self.genogram(table, rows[1:], head, index)
        if kind == "signatures" and "qualifications" in head:
            return self.authors(table, rows[1:], head, index)
        if "with_whom" in head and len(head) >= 2 and kind in ("text", None) and section and section.part and section.part.target.startswith("family_time"):
            return self.family_time(section, table, rows[1:], head, index)
        if "action" in head and "response" in head:
            return self.audit_actions(table, rows[1:], head, index)
        if kind == "photographs" and max(len(r) for r in rows) >= 2:
            # "Who | Date taken | Notes": each row one photograph line, its date with its subject
            body = rows[1:] if head else rows
            for r in body:
                line = " – ".join(c.strip() for c in r if c.strip())
                if line:
                    self.c.on_photographs(section, line, table.cell_place(index[id(r)], 0))
            return
        widths = [len([c for c in r if c.strip()]) for r in rows]
        most = max(len(r) for r in rows)
        if most == 4 and self.side_by_side(section, rows):  # "Label | value | Label | value": two tables of facts
            from permanence.forms.readers.docx_blocks import Table

            for off in (0, 2):
                half = Table(place=table.place, rows=[r[off:off + 2] if len(r) >= off + 2 else ["", ""] for r in table.rows],
                             element=table.element, anchor=table.anchor)
                half.cell_place = (lambda r, c, off=off: table.cell_place(r, c + off))
                self.pairs(section, half, [r for r in half.rows if any(x.strip() for x in r)], {id(r): i for i, r in enumerate(half.rows)}, reader)
            return
        labelled = sum(1 for r in rows if len(r[0].split()) <= 8 and self.vocab.field(r[0], self.c.contexts(section))[1])
        if most >= 2 and sum(1 for w in widths if w >= 2) >= max(1, len(rows) // 2) and (most == 2 or labelled >= len(rows) // 2):
            return self.pairs(section, table, rows, index, reader)
        self.cells(table, rows, index, reader)

    def side_by_side(self, section, rows) -> bool:
        """A front sheet of two label-value pairs a row: most rows' first and third cells are
        short labels, and the labels name fields of the record."""
        quads = [r for r in rows if len(r) == 4 and len(r[0].split()) <= 6 and len(r[2].split()) <= 6 and r[0].strip() and r[2].strip()]
        if len(quads) < max(2, len(rows) // 2):
            return False
        contexts = self.c.contexts(section)
        known = sum(1 for r in quads for label in (r[0], r[2]) if self.vocab.field(label, contexts)[1])
        return known >= len(quads)

    def cells(self, table, rows, index, reader) -> None:
        """A table of no known kind: each cell's lines are the section's text, in reading order."""
        for r in rows:
            for ci, cell in enumerate(r):
                self.cell_into(reader, table, index[id(r)], ci, cell)

    def cell_into(self, reader, table, ri: int, ci: int, text: str) -> None:
        """A cell's text read as the current section's, line by line; a table inside the cell
        (a chronology in an answer box, a fact table wrapped in a frame) is read as a table."""
        nested = table.nested.get((ri, ci))
        if nested is None and (ri, ci) in table.headed:
            for block in table.headed[(ri, ci)]:  # a bold line in the box heads the lines below it
                if block.bold and reader.heading_level(block) is not None:
                    reader.on_heading(block.text.strip(), (reader.section.level + 1) if reader.section else 9, block.place)
                else:
                    for line in block.text.split("\n"):
                        if line.strip():
                            reader.paragraph(line.strip(), block.place)
            return
        if nested is None:
            for line in text.split("\n"):
                if line.strip():
                    reader.paragraph(line.strip(), table.cell_place(ri, ci))
            return
        for block in nested:
            if hasattr(block, "rows"):
                self.read(reader.section, block, reader)
            else:
                for line in block.text.split("\n"):
                    if line.strip():
                        reader.paragraph(line.strip(), block.place)

    # ---- kinds of table ----------------------------------------------------------------------
    def chronology(self, section, table, rows, head, index) -> None:
        kind = section.part.kind if section and section.part else None
        if kind == "parent":
            target = self.c.parent_chronology(table.place)
        elif kind == "chronology":
            target = self.c.path(section.part.target)
        else:
            target = ("chronologies", "child")
        for r in rows:
            get = lambda name: r[head[name]].strip() if name in head and head[name] < len(r) else ""  # noqa: E731
            event = get("event")
            if not event and not get("date"):
                continue
            iso, approx = parse.to_iso(get("date"))
            trailing = None if "source" in head else parse.TRAILING_SOURCE.search(event)  # "Skye was born (birth record)."
            entry = {"date": iso or get("date"), "event": event[:trailing.start()].rstrip() if trailing else event}
            if trailing:
                entry["source"] = trailing.group("source").strip()
            if approx:
                entry["date_approximate"] = True
            if get("source"):
                entry["source"] = get("source")[:500]
            i = self.b.append(target, entry, table.cell_place(index[id(r)], head["event"]))
            self.b.origin[self.b.pointer((*target, i, "date"))] = table.cell_place(index[id(r)], head["date"])
            if "source" in entry:
                self.b.origin[self.b.pointer((*target, i, "source"))] = table.cell_place(index[id(r)], head.get("source", head["event"]))

    def family_time(self, section, table, rows, head, index) -> None:
        proposed = "proposed" in section.part.target
        target = ("family_time", "proposed" if proposed else "current")
        keys = ("with_whom", "kind", "direction", "frequency", "photos", "facilitated_by") if proposed else \
               ("with_whom", "frequency", "venue", "supervised_by")
        for r in rows:
            ri = index[id(r)]
            get = lambda name: r[head[name]].strip() if name in head and head[name] < len(r) else ""  # noqa: E731
            entry = {k: get(k)[:500] for k in keys if get(k)}
            if proposed and "kind" in entry:
                word = entry["kind"].lower()
                entry["kind"] = "none" if re.search(r"\bnone\b|\bno (?:contact|family time)\b", word) else \
                    "direct" if re.search(r"meet|direct|in person|visit|video", word) else "indirect" if re.search(r"letter|indirect|card|box|email", word) else entry["kind"]
            if entry:
                i = self.b.append(target, entry, table.cell_place(ri, 0))
                for k in entry:
                    self.b.origin[self.b.pointer((*target, i, k))] = table.cell_place(ri, head[k])
            used = set(head[k] for k in keys if k in head)
            for ci, cell in enumerate(r):
                if ci not in used and cell.strip():  # attendance and the like, kept with whom the row is about
                    who = entry.get("with_whom")
                    self.c.text(section, f"{who}: {cell}" if who and not proposed else cell, table.cell_place(ri, ci))

    def audit_actions(self, table, rows, head, index) -> None:
        base = ("report", "previous_audit", "actions")
        for r in rows:
            ri = index[id(r)]
            get = lambda name: r[head[name]].strip() if name in head and head[name] < len(r) else ""  # noqa: E731
            if not get("action"):
                continue
            entry = {"action": get("action")}
            if get("response"):
                entry["done"] = get("response")
            i = self.b.append(base, entry, table.cell_place(ri, head["action"]))
            if "done" in entry:
                self.b.origin[self.b.pointer((*base, i, "done"))] = table.cell_place(ri, head["response"])

    def options(self, table, rows, head, index) -> None:
        for r in rows:
            get = lambda name: r[head[name]].strip() if name in head and head[name] < len(r) else ""  # noqa: E731
            option = get("option")
            if not option:
                continue
            entry = {"option": parse.code_for(option, parse.OPTIONS) or option, "option_as_written": option[:500]}
            for key in ("advantages", "disadvantages"):
                if get(key):
                    entry[key] = get(key)
            ri = index[id(r)]
            i = self.b.append(("options_analysis",), entry, table.cell_place(ri, head["option"]))
            for key in ("advantages", "disadvantages"):
                if key in entry:
                    self.b.origin[self.b.pointer(("options_analysis", i, key))] = table.cell_place(ri, head[key])

    def versions(self, table, rows, head, index) -> None:
        for r in rows:
            get = lambda name: r[head[name]].strip() if name in head and head[name] < len(r) else ""  # noqa: E731
            if not any(get(k) for k in ("version", "date", "changes")):
                continue
            entry = {"version": get("version")[:500] or "?"}
            iso, _ = parse.to_iso(get("date"))
            if get("date"):
                entry["date"] = iso or get("date")
            if get("author"):
                entry["author"] = get("author")[:200]
            if get("changes"):
                entry["changes"] = get("changes")
            i = self.b.append(("report", "version_history"), entry, table.cell_place(index[id(r)], head.get("changes", 0)))
            for key, column in (("version", "version"), ("date", "date"), ("author", "author"), ("changes", "changes")):
                if key in entry and column in head:
                    self.b.origin[self.b.pointer(("report", "version_history", i, key))] = table.cell_place(index[id(r)], head[column])

    def signatures(self, table, rows, head, index) -> None:
        from permanence.forms.readers.cpr_content import ROLE_WORDS

        body = rows[1:] if head else rows
        for r in body:
            ri = index[id(r)]
            label = " ".join(r[:1] + ([r[head["role"]]] if "role" in head and head["role"] < len(r) else []))
            role = next((name for name, pattern in ROLE_WORDS if pattern.search(label)), None)
            get = lambda name: r[head[name]].strip() if name in head and head[name] < len(r) else ""  # noqa: E731
            if role is None and re.search(r"\bproof[- ]?read", label, re.I):  # "Proofread by | Angela Firth | A. Firth | 11 July 2025"
                who = get("name") or (r[1].strip() if len(r) > 1 else "")
                for person in ("author", "supervisor", "manager"):
                    known = str(self.b.get((person, "name")) or "")
                    if who and known and (who in known or known.split(",")[0] in who):
                        self.b.set((person, "proofread"), True, table.cell_place(ri, 0))
                self.b.add_text(("report", "sign_off_notes"), " – ".join(c.strip() for c in r if c.strip()), table.cell_place(ri, 0))
                continue
            if role is None:
                continue
            name = get("name") or (r[1].strip() if len(r) > 1 else "")
            signed_in_name = re.search(r"\s*[(\[]?\b(?:signed|e-?signed|signature)\b[)\]]?\s*$", name, re.I)  # "Grace Adeyemi (signed)"
            if signed_in_name:
                name = name[:signed_in_name.start()].strip()
                self.b.set((role, "signed"), True, table.cell_place(ri, head.get("name", 1)))
            if name:
                self.b.set((role, "name"), name[:200], table.cell_place(ri, head.get("name", 1)))
            if get("role"):
                self.b.set((role, "role"), get("role")[:500], table.cell_place(ri, head["role"]))
            if get("signature"):
                self.b.set((role, "signed"), True, table.cell_place(ri, head["signature"]))
            elif name:  # an empty signature cell: its row is where the audit points for 'not signed'
                self.b.origin.setdefault(self.b.pointer((role, "signed")), table.cell_place(ri, head.get("name", 1)))
            when, _ = parse.to_iso(get("date"))
            if when:
                self.b.set((role, "signed_date"), when, table.cell_place(ri, head["date"]))

    def genogram(self, table, rows, head, index) -> None:
        col = head.get("name", 0)
        for r in rows:
            if col < len(r) and r[col].strip():
                self.b.node(("genogram",))
                people = self.b.node(("genogram", "people"), make_list_at_end=True)
                people.append(r[col].strip()[:200])
                self.b.origin[self.b.pointer(("genogram", "people", len(people) - 1))] = table.cell_place(index[id(r)], col)
        self.b.set(("genogram", "included"), True, table.place)

    def authors(self, table, rows, head, index) -> None:
        for r in rows[:1]:
            ri = index[id(r)]
            self.put_field(None, "author", "name", r[0], table.cell_place(ri, 0))
            if "role" in head and head["role"] < len(r):
                self.b.set(("author", "role"), r[head["role"]].strip()[:500], table.cell_place(ri, head["role"]))
            if head["qualifications"] < len(r):
                self.put_field(None, "author", "qualifications", r[head["qualifications"]], table.cell_place(ri, head["qualifications"]))
        for r in rows[1:]:
            for ci, cell in enumerate(r):
                if cell.strip():
                    self.b.lost(cell, table.cell_place(index[id(r)], ci), "the authors' table")

    def pairs(self, section, table, rows, index, reader) -> None:
        """Label | value rows: facts where the label is a field; otherwise, where the label
        names a part of the report, that part's heading and its answer."""
        contexts = self.c.contexts(section)
        head = self.columns(rows[0])
        if head.get("label") == 0 and len(rows[0]) == 2 and len(rows[0][1].split()) <= 3:
            rows = rows[1:]  # "Item | Detail": the table's own column headings
        if rows and all(len(v.split()) <= 3 for v in rows[0][1:]):
            part, pscore = self.vocab.match(rows[0][0], floor=0.9)
            if part is not None and not self.vocab.field(rows[0][0], contexts)[1]:
                rows = rows[1:]  # "Essential information | Amara | Kai": the table's title row
        most = max((len(r) for r in rows), default=0)
        for r in rows:
            ri = index[id(r)]
            label = r[0].strip()
            values = [v for v in r[1:]]
            first = next((v for v in values if v.strip()), "")
            if not label:
                for ci, v in enumerate(r):
                    self.cell_into(reader, table, ri, ci, v)
                continue
            if len(r) == 1 and most >= 2 and (ri, 0) not in table.nested and reader.row_title(label, table.cell_place(ri, 0)):
                continue  # a row across the form ("Birth mother") heads the rows below it
            contexts = self.c.contexts(reader.section)  # a long form moves from section to section
            context, name, fscore = self.vocab.field_scored(label, contexts) if len(label.split()) <= 14 else (None, None, 0.0)
            if name is None and len(label.split()) <= 14 and "," in label:
                # "Name, date of birth, ethnicity | Chloe Anne Bennett, born ...": a list of facts, read by its first
                context, name, fscore = self.vocab.field_scored(re.split(r"\s*,\s*", label)[0], contexts, floor=0.8)
            if any((ri, ci) in table.nested for ci in range(1, len(r))):
                name = None  # an answer holding a table is a section's answer, not one fact
            in_facts = reader.section is not None and reader.section.part is not None and reader.section.part.kind == "fields"
            if name and narrative(first) and not in_facts:  # "Legal status | Sam is subject to a care order made ...": a question and its answer
                part, pscore = self.vocab.match(label, floor=0.72)
                if part is not None and part.kind != "group" and pscore >= fscore - 0.05:
                    name = None
            if name and first.strip() and self.put_field(reader.section, context, name, first, table.cell_place(ri, 1 + values.index(first)), label):
                for ci, extra in enumerate(values[values.index(first) + 1:], start=2 + values.index(first)):
                    if extra.strip():
                        self.b.lost(f"{label}: {extra}", table.cell_place(ri, ci), (reader.section.heading if reader.section else None))
                continue
            if not first.strip():
                continue  # a heading row ("Essential information |") or an unanswered question
            if reader.row_heading(label, table.cell_place(ri, 0), first):
                for ci, v in enumerate(r[1:], start=1):
                    self.cell_into(reader, table, ri, ci, v)
                continue
            current = reader.section
            for ci, v in enumerate(r[1:], start=1):
                if not v.strip():
                    continue
                if (ri, ci) in table.nested:
                    self.cell_into(reader, table, ri, ci, v)
                    continue
                if current is not None and current.part is not None and current.part.kind != "group":
                    self.c.labelled(current, label, v, f"{table.cell_place(ri, 0)} {table.cell_place(ri, ci)}")  # a fact of the section it stands in
                else:
                    self.b.lost(f"{label}: {v}", table.cell_place(ri, ci), current.heading if current else None)


def without_column(table, drop: int, header: int | None = None):
    """The table without one column (and without its header row), every place still the original cell's."""
    from permanence.forms.readers.docx_blocks import Table

    keep = lambda c: c if c < drop else c + 1  # noqa: E731 - a column of the view, as a column of the table
    rows = [([] if r == header else [x for c, x in enumerate(row) if c != drop]) for r, row in enumerate(table.rows)]
    view = Table(place=table.place, rows=rows, element=table.element, anchor=table.anchor,
                 nested={(r, c if c < drop else c - 1): v for (r, c), v in table.nested.items() if c != drop and r != header},
                 headed={(r, c if c < drop else c - 1): v for (r, c), v in table.headed.items() if c != drop and r != header})
    view.cell_place = lambda r, c: table.cell_place(r, keep(c))
    return view

