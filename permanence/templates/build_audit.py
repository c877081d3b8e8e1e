"""The audit form's own parts of its template (a mixin of build.Builder): the checklist
(Section / Issue, Completed, Comments / actions required), each piece of evidence as a
sentence, and the appendix of the checklist's sources."""
from __future__ import annotations

from permanence.templates.columns import CELL_MARGIN
from permanence.templates.layout import Arr, Leaf
from permanence.templates.wordml import (ACTION_PLACEHOLDER, AUDIT_WIDTHS, EVIDENCE_HIDDEN, EVIDENCE_HIDDEN_OPENER,
                                        EVIDENCE_OPENERS, NONE_MARK, Scope, cell, container, esc, field_para, field_sdt,
                                        header_row, heading, item, jpara, jrow, para, table)


class AuditParts:
    """Needs the Builder's form, text_width and array_list."""

    def audit_table(self, arr: Arr, scope: Scope) -> str:
        """The audit form's checklist: Section / Issue, Completed, Comments / actions required.
        A rendered audit shows only what it holds: no "Since previous audit" unless the
        item has one (a re-audit), no actions heading for an item without actions, no
        guidance text in place of a missing comment. A blank form shows every field."""
        fields = {leaf.key: leaf for leaf in arr.item.children if isinstance(leaf, Leaf)}
        lists = {a.key: a for a in arr.item.children if isinstance(a, Arr)}
        widths = AUDIT_WIDTHS
        inner, var = scope.push(arr.path)

        def shown_if(key: str, body: str) -> str:
            """body on a blank form, or when the item has this field."""
            return jpara(f"if doc['blank'] or {inner.expr(arr.path + ('*', key))}") + body + jpara("endif")

        def text(t):
            return f'<w:r><w:t xml:space="preserve">{esc(t)}</w:t></w:r>'

        # The area (General, Chronologies...) is plain from the item's letter: shown on a blank
        # form, hidden text in a filled audit (kept for `extract`), so each row is a line shorter.
        hidden_para = "<w:rPr><w:vanish/></w:rPr>"
        first = (field_para(self.form, fields["id"], inner, "TableHeading")
                 + jpara("if doc['blank']") + field_para(self.form, fields["area"], inner, "TableText") + jpara("else")
                 + para(style="TableText", ppr_extra=hidden_para, runs=field_sdt(fields["area"], inner, block=False, hidden=True))
                 + jpara("endif")
                 + field_para(self.form, fields["question"], inner, "TableQuestion"))
        second = (field_para(self.form, fields["answer"], inner, "TableHeading", compact=True)
                  + shown_if("since_previous", para("Since previous audit:", "TableLabel")
                             + field_para(self.form, fields["since_previous"], inner, "TableText", compact=True)))
        evidence = lists["evidence"]
        ev_scope, ev_var = inner.push(evidence.path)
        ev_value = inner.expr(evidence.path)
        ev_body = (jpara(f"for {ev_var} in {ev_value}")
                   + item("{{ " + ev_var + "['at'] }}", self.evidence_line(evidence, ev_scope, ev_var))
                   + jpara("endfor"))
        actions = lists["actions"]
        third = (shown_if("comments", field_para(self.form, fields["comments"], inner, "TableText"))
                 + jpara(f"if doc['blank'] or 'actions' in {var}['present']")
                 + para("Actions required:", "TableLabel")
                 + self.array_list(actions, inner, "TableBullet", placeholder=ACTION_PLACEHOLDER)
                 + jpara("endif"))
        for extra in arr.item.children:  # fields added to the schema later: labelled, shown when present
            if extra.key in ("id", "area", "question", "answer", "since_previous", "comments", "actions", "evidence", "source"):
                continue
            if isinstance(extra, Arr) and isinstance(extra.item, Leaf):
                third += (jpara(f"if doc['blank'] or '{extra.key}' in {var}['present']") + para(f"{extra.title}:", "TableLabel")
                          + self.array_list(extra, inner, "TableBullet") + jpara("endif"))
            elif isinstance(extra, Leaf):
                third += shown_if(extra.key, para(f"{extra.title}:", "TableLabel")
                                  + field_para(self.form, extra, inner, "TableText", compact=True))
        # The guidance an item applies is shown on a blank form; in a filled audit it is hidden
        # text (kept for `extract`), and the sources are listed once, in the appendix.
        third += (container(inner.tag(evidence.path), evidence.title, ev_body)
                  + jpara("if doc['blank']")
                  + para(style="TableText", runs=text("Guidance: ") + field_sdt(fields["source"], inner, block=False))
                  + jpara(f"elif {inner.expr(arr.path + ('*', 'source'))}")
                  + para(style="TableText", ppr_extra=hidden_para,
                         runs='<w:r><w:rPr><w:vanish/></w:rPr><w:t xml:space="preserve">Guidance: </w:t></w:r>'
                         + field_sdt(fields["source"], inner, block=False, hidden=True))
                  + jpara("endif"))
        cells = cell(widths[0], first) + cell(widths[1], second) + cell(widths[2], third)
        value = scope.expr(arr.path)
        # A checklist row may break across pages (a long row otherwise leaves most of a page empty).
        rows = (jrow(f"for {var} in {value}")
                + item("{{ " + var + "['at'] }}", f"<w:tr>{cells}</w:tr>")
                + jrow("endfor")
                + jrow(f"if not {value}")
                + item(None, f"<w:tr>{cell(self.text_width, para(NONE_MARK, 'TableText'), span=3)}</w:tr>")
                + jrow("endif"))
        body = container(scope.tag(arr.path), arr.title, rows, row_level=True)
        titles = ["Section / Issue", "Completed", "Comments / actions required"]
        return table(widths, body, arr.title, header_row(titles, widths), margin=CELL_MARGIN) + para(style="Spacer")

    def audit_sources(self) -> str:
        """The audit's appendix: how the outcome is decided, and the guidance and regulations
        each checklist item applies, by the documents' own titles, once for the items that
        share them (render.py's audit_extras groups them). Not on a blank form, where each
        row shows its guidance."""
        from permanence.checks.outcome import RULE as OUTCOME_RULE  # the audit's own rule, stated once

        def run(t, bold=False):
            return f'<w:r>{"<w:rPr><w:b/></w:rPr>" if bold else ""}<w:t xml:space="preserve">{t}</w:t></w:r>'

        # At the body text size of tables (10 point), each area's sources one paragraph:
        # "G1: ... · G2: ...", the items in bold.
        group = para(style="TableText", runs=run("{% for s in g['entries'] %}") + run("{{ s['items'] }}: ", bold=True)
                     + run("{{ s['source'] }}{% if not loop.last %} \u00b7 {% endif %}{% endfor %}"))
        return (jpara("if not doc['blank'] and sources_appendix")
                + heading("Appendix: sources of the checklist", 1)
                + para(style="TableText", runs=run(esc("How the outcome is decided: " + OUTCOME_RULE)))
                + jpara("if sources_common") + para(style="TableText", runs=run("{{ sources_common }}"))
                + jpara("endif")
                + jpara("for g in sources_appendix") + group + jpara("endfor")
                + jpara("endif"))

    def evidence_line(self, evidence: Arr, scope: Scope, var: str) -> str:
        """One piece of evidence as a sentence a social worker reads:
        Evidence: The child: Personality and social development: \u201cJaden\u201d
        The report section is shown in brackets only when the field's label does not
        already name it. The JSON pointer and character offsets (and a section the label
        already names) are hidden text: kept for `extract`, never shown or printed. Each
        control follows a fixed opening text, by which a copy whose tags were lost
        (LibreOffice) is still read (extract.LabelReader.evidence)."""
        leaves = {leaf.key: leaf for leaf in evidence.item.children}

        def text(t, hidden=False):
            rpr = "<w:rPr><w:vanish/></w:rPr>" if hidden else ""
            return f'<w:r>{rpr}<w:t xml:space="preserve">{esc(t)}</w:t></w:r>'

        def value(key):
            return scope.expr(evidence.path + ("*", key))

        def when(condition, body):
            return f"{{% if {condition} %}}{body}{{% endif %}}"

        runs = (text(EVIDENCE_OPENERS["field"])
                + when(f"doc['blank'] or {value('field')}", field_sdt(leaves["field"], scope, block=False))
                + when(f"doc['blank'] or {var}['section_shown']",
                       text(EVIDENCE_OPENERS["section"]) + field_sdt(leaves["section"], scope, block=False) + text(")"))
                + when(f"doc['blank'] or {value('excerpt')}",
                       text(EVIDENCE_OPENERS["excerpt"]) + field_sdt(leaves["excerpt"], scope, block=False, tail=True)
                       + when(value("excerpt_tail"), text("\u2026")) + text("\u201d")))
        for key, leaf in leaves.items():
            if key in ("field", "excerpt"):
                continue
            if key == "section":
                condition = f"not doc['blank'] and {value(key)} and not {var}['section_shown']"
            elif key in EVIDENCE_HIDDEN:
                condition = f"doc['blank'] or {value(key)}"
            else:  # a field added to the schema later: shown, labelled, when present
                runs += when(f"doc['blank'] or {value(key)}", text(f" ({leaf.title}: ")
                             + field_sdt(leaf, scope, block=False, compact=True) + text(")"))
                continue
            runs += when(condition, text(EVIDENCE_HIDDEN_OPENER.format(key=key), hidden=True)
                         + field_sdt(leaf, scope, block=False, hidden=True) + text("]", hidden=True))
        return para(style="TableText", runs=runs)
