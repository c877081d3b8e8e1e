"""The findings workbook: one row per finding per child, sources by their titles, text
never taken for a formula."""
from __future__ import annotations

import datetime as dt
import io

from openpyxl import load_workbook

from permanence.findings import FileReport, Finding, Severity
from permanence.report_xlsx import findings_workbook
from permanence.validate_command import check_paths


def test_one_row_per_finding_with_the_child_and_the_cited_source(examples_dir):
    reports = check_paths([str(examples_dir / "invalid")], "warrington", dt.date(2026, 11, 23))
    ws = load_workbook(io.BytesIO(findings_workbook(reports, "warrington", "2026-11-23"))).active
    rows = list(ws.iter_rows(values_only=True))
    assert len(rows) - 1 == sum(len(r.findings) if not r.error else 1 for r in reports)
    assert all("seed 0" not in (row[10] or "") for row in rows[1:])
    assert any(row[10] and "Securing Permanence" in row[10] for row in rows[1:])
    assert ws.freeze_panes == "A2" and ws.oddHeader.center.text == "OFFICIAL-SENSITIVE"


def test_text_that_looks_like_a_formula_stays_text():
    report = FileReport(path="=cmd|' /C calc'!A0.json", form="ppm-record", child="=HYPERLINK(\"x\")",
                        findings=[Finding("r", Severity.ERROR, "/x", "@label", "+message")])
    ws = load_workbook(io.BytesIO(findings_workbook([report], "england", "2026-01-01"))).active
    cells = [c for c in ws[2]]
    assert cells[0].value == "=cmd|' /C calc'!A0.json" and cells[0].data_type == "s"
    assert cells[1].data_type == "s" and cells[6].value == "+message"
