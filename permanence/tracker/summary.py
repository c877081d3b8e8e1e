"""The Summary sheet: counts by RAG, plan, legal status and team, and everything overdue,
laid out to print legibly on A4 landscape (about 140 characters across: long text wraps
in its own column instead of stretching the page until the print shrinks)."""
from __future__ import annotations

from collections import Counter

from permanence.citations import cite
from permanence.tracker import workbook as W

# Everything overdue: Child, Days overdue, What is due, Due, Source (widths in characters).
WIDTHS = (30, 10, 44, 11, 46)


def write_summary(wb, rows, kept: list[dict], meeting_rag: dict, engine, profile, problems: list[str]) -> None:
    ws = wb.create_sheet(W.SUMMARY)
    for letter, width in zip("ABCDE", WIDTHS):
        ws.column_dimensions[letter].width = width
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = False
    ws.oddHeader.center.text = W.PRINT_MARKING
    ws.oddHeader.center.font = "Arial,Bold"
    ws.oddHeader.right.text = "&A"
    ws.oddFooter.center.text = W.PRINT_MARKING
    ws.oddFooter.right.text = "Page &P of &N"
    bold = W.Font(bold=True)
    line_no = [0]

    out = W.FastRows(ws, {})  # rows straight into the sheet, one shared style a kind of cell

    def cell(value, wrap=False, fmt=None, font=None):
        key = f"{int(wrap)}{fmt or ''}{int(font is not None)}"
        if key not in out.ids:
            t = W.WriteOnlyCell(ws, value=None)
            t.alignment = W.WRAP if wrap else W.TOP
            if fmt:
                t.number_format = fmt
            if font:
                t.font = font
            out.add_style(key, t)
        value = W.clean_text(value) if isinstance(value, str) else value
        return (key, value, isinstance(value, str) and value.startswith(W._FORMULA_START))  # text, never a formula

    def put(cells, height_lines: int = 1):
        line_no[0] += 1
        out.row(cells, height=15 * min(height_lines, W.MAX_ROW_LINES) if height_lines > 1 else None)

    def heading(text):
        put([cell(text, font=bold)])

    heading(f"Permanence tracker: {profile.name}, as of {engine.as_of.strftime('%d/%m/%Y')}")
    put([cell("RAG shown: the meeting's RAG where set, else the computed RAG.")])
    for part in engine.rag_rule.split("; "):
        put([cell(f"Computed {part}.", wrap=True)], W._lines(part, sum(WIDTHS)))
        ws.merged_cells.add(f"A{line_no[0]}:E{line_no[0]}")
    put([])
    shown = Counter((meeting_rag.get(r.id) or r.rag.capitalize()) for r in rows)
    heading("Children by RAG (in caseload)")
    for label in W.RAG_LABELS:
        put([cell(label), cell(shown.get(label, 0))])
    put([cell("Total"), cell(len(rows))])
    put([cell("No longer in caseload (kept)"), cell(sum(1 for k in kept if k.get("Status") == W.GONE))])
    for title, counts in (
        ("Children by primary plan", Counter(W._plan_label(r.primary_plan) for r in rows)),
        ("Children by legal status", Counter(W.LEGAL_STATUS.get(r.situation.legal_status, r.situation.legal_status or "") for r in rows)),
        ("Children by team", Counter(r.team for r in rows)),
    ):
        put([])
        heading(title)
        for key, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
            label = key or "(not recorded)"
            put([cell(label, wrap=True), cell(count)], W._lines(label, WIDTHS[0] - 2))
    put([])
    heading("Everything overdue, oldest first")
    put([cell(h, font=bold, wrap=True) for h in ("Child", "Days overdue", "What is due", "Due", "Source")], 2)
    overdue = sorted(((t, r) for r in rows for t in r.overdue), key=lambda tr: (tr[0].due, tr[1].id, tr[0].id))
    for t, r in overdue:
        who = f"{r.id} {r.name}".strip()
        source = cite(t.source)
        lines = max(W._lines(who, WIDTHS[0]), W._lines(t.description, WIDTHS[2]), W._lines(source, WIDTHS[4]))
        put([cell(who, wrap=True), cell((engine.as_of - t.due).days), cell(t.description, wrap=True),
             cell(t.due, fmt=W.DATE_FORMAT), cell(source, wrap=True)], lines)
    if not overdue:
        put([cell("Nothing is overdue.")])
    if problems:
        put([])
        heading("Case records not used in this run")
        for line in problems:  # one line across the page (A to E merged), wrapped
            put([cell(line, wrap=True)], W._lines(line, sum(WIDTHS)))
            ws.merged_cells.add(f"A{line_no[0]}:E{line_no[0]}")
    ws.print_area = f"A1:E{max(line_no[0], 1)}"
