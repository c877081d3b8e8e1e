"""The findings of `validate` as an Excel workbook: one row per finding, per child, as the
SSDA903 validator's error report has it, for a team to sort, filter and share out."""
from __future__ import annotations

import io

from permanence.findings import FileReport

COLUMNS = [  # (heading, width)
    ("File", 28), ("Child", 24), ("Form", 26), ("Severity", 10), ("Section", 24), ("Field", 34),
    ("What to do", 80), ("Found", 30), ("Rule", 30), ("Where in the record", 24), ("Source", 50),
]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def section_of(form: str | None, pointer: str) -> str:
    """The form's own title for the top-level section a finding's pointer is in."""
    from permanence.forms.registry import FORMS
    from permanence.forms.schema import subschema_at

    first = pointer.lstrip("/").split("/", 1)[0] if pointer else ""
    if not form or form not in FORMS:
        return first.replace("_", " ") or "The whole record"
    if not first:
        return "The whole record"
    node = subschema_at(form, [first.replace("~1", "/").replace("~0", "~")])
    return (node or {}).get("title") or first.replace("_", " ")


def rows(reports: list[FileReport]) -> list[list[str]]:
    from permanence.citations import cite
    from permanence.forms.registry import FORMS

    out = []
    for r in reports:
        form = FORMS[r.form].title if r.form in FORMS else (r.form or "")
        if r.error:
            out.append([r.path, r.child or "", form, "Could not be read", "", "", r.error, "", "", "", ""])
            continue
        for f in r.findings:
            out.append([r.path, r.child or "", form, f.severity.value.capitalize(), section_of(r.form, f.pointer), f.label,
                        f.message, f.excerpt or "", f.rule_id, f.pointer or "/", cite(f.source) if f.source else ""])
    return out


def findings_workbook(reports: list[FileReport], profile: str, as_of: str) -> bytes:
    """The workbook as bytes (nothing is written to disk)."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    wb = Workbook()
    ws = wb.active
    ws.title = "Findings"
    wb.properties.title = "Findings"
    wb.properties.subject = "OFFICIAL-SENSITIVE"
    wb.properties.creator = "permanence validate"
    ws.append([h for h, _ in COLUMNS])
    bold = Font(bold=True)
    for cell in ws[1]:
        cell.font = bold
        cell.fill = PatternFill("solid", fgColor="DDDDDD")
    for row in rows(reports):
        ws.append(row)
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
                cell.data_type = "s"  # text, never a formula
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for i, (_, width) in enumerate(COLUMNS, start=1):
        ws.column_dimensions[ws.cell(row=1, column=i).column_letter].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = ws.dimensions
    ws.oddHeader.center.text = "OFFICIAL-SENSITIVE"
    ws.oddFooter.center.text = "OFFICIAL-SENSITIVE"
    ws.oddFooter.right.text = f"Profile {profile}, as of {as_of}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.print_title_rows = "1:1"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
