"""The tracker workbook: its settings for the meeting, formula injection, keeping the
meeting's typed work across rebuilds, refusing files that are not trackers, hostile
workbooks, and LibreOffice opening and converting it."""
from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from permanence.tracker import workbook as W

AS_OF = "2026-11-23"


def _case(cid: str, name: str, **extra) -> dict:
    data = {
        "form": "case", "version": "1.0",
        "child": {"id": cid, "name": name, "date_of_birth": "2018-03-01", "legal_status": "care_order", "placement_type": "foster_care"},
        "team": "Permanence Team", "social_worker": "Ben Carter", "iro": "Tom Ashworth",
        "primary_plan": "long_term_fostering", "contingency_plans": ["special_guardianship"],
        "events": [
            {"type": "became_looked_after", "date": "2026-01-05", "legal_status": "interim_care_order"},
            {"type": "cla_review", "date": "2026-01-30"},
            {"type": "care_order", "date": "2026-06-01", "legal_status": "care_order"},
        ],
    }
    data.update(extra)
    return data


def _write_caseload(folder: Path, cases: list[dict]) -> Path:
    if folder.exists():
        shutil.rmtree(folder)
    for case in cases:
        d = folder / case["child"]["id"]
        d.mkdir(parents=True)
        (d / "case.json").write_text(json.dumps(case), "utf-8")
    return folder


def _rows(path: Path, sheet: str = W.MAIN) -> dict[str, dict]:
    wb = load_workbook(path)
    ws = wb[sheet]
    headers = [c.value for c in ws[1]]
    out = {}
    for row in ws.iter_rows(min_row=2):
        if row[0].value:
            out[row[0].value] = {h: c for h, c in zip(headers, row)}
    return out


def _col_letter_before(ws, header: str) -> str:
    from openpyxl.utils import get_column_letter
    return get_column_letter([c.value for c in ws[1]].index(header))


@pytest.fixture(scope="module")
def example_tracker(tmp_path_factory) -> Path:
    from click.testing import CliRunner

    from permanence.cli import main

    out = tmp_path_factory.mktemp("tracker") / "tracker.xlsx"
    root = Path(__file__).resolve().parent.parent
    result = CliRunner().invoke(main, ["tracker", str(root / "examples" / "caseload"), "--profile", "warrington",
                                       "--as-of", AS_OF, "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_workbook_is_made_for_the_meeting(example_tracker):
    wb = load_workbook(example_tracker)
    assert wb.sheetnames[:7] == [W.MAIN, "Pre-proceedings", "Adoption", "Care orders", "Long-term matching", "16 plus", "Due dates"]
    assert "Summary" in wb.sheetnames and wb["Lists"].sheet_state == "hidden"
    ws = wb[W.MAIN]
    assert ws.freeze_panes == "C2"  # header row and the ID (and name) columns
    assert ws.auto_filter.ref.startswith("A1:")
    assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == "9"
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows == "$1:$1"
    assert W.PRINT_MARKING in ws.oddHeader.center.text
    rows = _rows(example_tracker)
    ava = rows["C1001"]
    assert ava["Date of birth"].value == dt.datetime(2025, 9, 14) and ava["Date of birth"].number_format == "dd/mm/yyyy"
    assert ava["Next PPM due"].value == dt.datetime(2026, 12, 23)
    # Plain timescale names in the reading columns; the sources in their own column at the far right.
    sources = ava["Where the due dates come from"]
    assert "Next PPM: Permanence Planning Meetings at least every 6 weeks — Warrington, Securing Permanence (2019, reviewed 2023) s.8.3" in sources.value
    assert sources.column == ws.max_column - 1  # then only the hidden check column
    assert ws.cell(row=1, column=ws.max_column).value == W.CHECK_HEADER and ws.column_dimensions[ws.cell(row=1, column=ws.max_column).column_letter].hidden
    assert ws.print_area == f"'{W.MAIN}'!$A$1:${ava['Actions'].column_letter}${ws.max_row}"
    assert [c.value for c in ws[1]][:12] == ["ID", "Child", "Legal status", "Placement", "Primary plan", "Contingency plans",
                                             "Next PPM due", "Next review due", "Next panel due", "RAG",
                                             "Why (computed RAG)", "Actions"]
    assert ava["Actions"].value is None and "Adoption support plan" in ava["Open actions (case record)"].value
    meeting, computed = (ava["RAG (meeting)"].column_letter, ava["RAG (computed)"].column_letter)
    assert ava["RAG"].value == f'=IF({meeting}2<>"",{meeting}2,{computed}2)'  # the meeting's RAG wins on screen
    mia = rows["C1003"]
    assert mia["Supervision order expires"].value == dt.datetime(2027, 5, 10)
    assert rows["C1004"]["Proceedings week 26"].value == dt.datetime(2026, 11, 4)
    assert rows["C1004"]["RAG (computed)"].value == "Red" and "Care proceedings" in rows["C1004"]["Overdue"].value
    assert "(by 16/12/2026)" in ava["Open actions (case record)"].value  # UK dates in text
    assert rows["C1004"]["Weeks in proceedings"].value == 28
    # Drop-downs for RAG, plan and legal status; RAG colours by conditional formatting.
    dvs = {str(dv.sqref).split(":")[0][:1]: dv.formula1 for dv in ws.data_validations.dataValidation}
    assert '"Red,Amber,Green"' in dvs.values()
    assert any("Lists!$B$2" in f for f in dvs.values()) and any("Lists!$C$2" in f for f in dvs.values())
    fills = [r.dxf.fill.fgColor.rgb for cf in ws.conditional_formatting for r in cf.rules if r.dxf and r.dxf.fill]
    assert any(str(f).endswith("F4B6B6") for f in fills) and any(str(f).endswith("D9D9D9") for f in fills)
    assert ws.column_dimensions[ava["Actions"].column_letter].alignment.wrap_text  # what is typed there wraps
    # Computed columns locked, the meeting's columns open; filtering and sorting still allowed.
    assert ws.protection.sheet and not ws.protection.autoFilter and not ws.protection.sort
    assert ws.column_dimensions[ava["RAG (meeting)"].column_letter].protection.locked is False
    assert ava["Next PPM due"].protection.locked is True
    assert rows["C1004"]["Overdue"].alignment.wrap_text
    # Sub-trackers hold the right children.
    assert set(_rows(example_tracker, "Pre-proceedings")) == {"C1010"}
    assert set(_rows(example_tracker, "16 plus")) == {"C1005"}
    assert {"C1002", "C1012"} <= set(_rows(example_tracker, "Long-term matching"))
    assert "C1011" not in _rows(example_tracker, "Long-term matching")  # matched
    assert {"C1002", "C1005"} <= set(_rows(example_tracker, "Care orders"))
    adoption = _rows(example_tracker, "Adoption")["C1001"]
    assert adoption["Profiling due"].value == dt.datetime(2026, 2, 4)
    assert "Child profiled for family finding within 2 weeks of SHOBPA — Warrington, Securing Permanence (2019, reviewed 2023) App. 6" in adoption["Where the due dates come from"].value
    pre = _rows(example_tracker, "Pre-proceedings")["C1010"]
    assert "Warrington, Securing Permanence (2019, reviewed 2023) App. 1" in pre["Where the dates come from"].value
    assert wb["Adoption"].page_setup.fitToWidth == 2 and wb["Adoption"].print_title_cols == "$A:$B"  # wide: two pages across
    assert wb["Care orders"].page_setup.fitToWidth == 1
    assert wb["Pre-proceedings"].print_area.endswith(f"$A$1:${_col_letter_before(wb['Pre-proceedings'], 'Where the dates come from')}$2")
    # No internal ids or status codes in any sheet the meeting reads.
    for title in wb.sheetnames:
        text = " ".join(str(v) for r in wb[title].iter_rows(values_only=True) for v in r if isinstance(v, str))
        for code in ("subsequent_ppm", "care_proceedings", "profiling_after_shobpa", "cla_review", "gateway_decision"):
            assert code not in text, (title, code)
    due = [r for r in wb["Due dates"].iter_rows(values_only=True)]
    assert "Timescale" not in due[0] and {r[due[0].index("Status")] for r in due[1:]} <= {"Upcoming", "Due soon", "Overdue"}
    assert any(r[due[0].index("Status")] == "Upcoming" for r in due[1:])
    counted = {r[due[0].index("Counted from")] for r in due[1:] if r[0] == "C1003"}
    assert "6 weeks after Permanence Planning Meeting (11/11/2026)" in counted
    assert "3 months before the expiry date (Supervision order made: 10/05/2027)" in counted
    assert pre["Weeks in pre-proceedings"].value == 7 and pre["Week 16 (target)"].value == dt.datetime(2027, 1, 20)
    summary = [r for r in wb["Summary"].iter_rows(values_only=True)]
    flat = [v for r in summary for v in r if v is not None]
    assert "Everything overdue, oldest first" in flat
    overdue_rows = [r for r in summary if len(r) > 3 and isinstance(r[3], dt.datetime)]
    assert [r[3] for r in overdue_rows] == sorted(r[3] for r in overdue_rows) and overdue_rows


def test_formula_injection_and_bad_text_stored_as_text(tmp_path, cli):
    nasty = ['=HYPERLINK("http://evil.invalid","click")', "+44 1234", "-1+2", "@SUM(A1)", "\tstarts with a tab"]
    case = _case("X1", nasty[0], social_worker=nasty[1], iro=nasty[2], team=nasty[3])
    case["actions"] = [{"decision": nasty[4] + " and a bell\x07 here", "responsible": "Ben Carter", "target_date": "2026-12-01"},
                       {"decision": "x" * 4000, "responsible": "=cmd()", "target_date": "2026-12-01"}]
    caseload = _write_caseload(tmp_path / "caseload", [case])
    out = tmp_path / "t.xlsx"
    result = cli(["tracker", str(caseload), "--as-of", AS_OF, "-o", str(out)])
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(out) as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml").decode()
    assert "HYPERLINK" in sheet and "<f>HYPERLINK" not in sheet and "<f>cmd" not in sheet
    row = _rows(out)["X1"]
    for header, value in (("Child", nasty[0]), ("Social worker", nasty[1]), ("IRO", nasty[2]), ("Team", nasty[3])):
        assert row[header].value == value and row[header].data_type == "s"
    actions = row["Open actions (case record)"].value
    assert actions.startswith("\tstarts with a tab") and "\x07" not in actions and "bell here" in actions


def test_round_trip_keeps_everything_typed(tmp_path, cli):
    caseload = _write_caseload(tmp_path / "caseload", [_case("A1", "Amy One"), _case("B2", "Ben Two"), _case("C3", "Cat Three")])
    out = tmp_path / "tracker.xlsx"
    assert cli(["tracker", str(caseload), "--as-of", AS_OF, "-o", str(out)]).exit_code == 0

    # The meeting types into the workbook (openpyxl stands in for Excel).
    wb = load_workbook(out)
    ws = wb[W.MAIN]
    headers = [c.value for c in ws[1]]
    col = {h: i + 1 for i, h in enumerate(headers)}
    typed = {}
    extra_col = len(headers) + 1
    ws.cell(row=1, column=extra_col, value="Chair's follow-up")
    for r in range(2, ws.max_row + 1):
        cid = ws.cell(row=r, column=1).value
        typed[cid] = {"RAG (meeting)": "Red" if cid == "A1" else "Amber", "IRO view": f"IRO view for {cid}",
                      "Actions": f"=Action for {cid}", "Notes": f"Notes\nfor {cid}",
                      "Chair's follow-up": dt.datetime(2026, 12, 1) if cid == "B2" else f"follow {cid}"}
        for header, value in typed[cid].items():
            ws.cell(row=r, column=col.get(header, extra_col), value=value)
        if cid == "B2":
            ws.cell(row=r, column=col["Legal status"], value="Placement order")  # chosen from the drop-down
    lm = wb["Care orders"]
    lm_headers = [c.value for c in lm[1]]
    lm.cell(row=2, column=lm_headers.index("Is the order still needed?") + 1, value="Yes: review at next meeting")
    lm_id = lm.cell(row=2, column=1).value
    wb.save(out)

    # C3 leaves the caseload, D4 joins; rebuild.
    _write_caseload(caseload, [_case("A1", "Amy One"), _case("B2", "Ben Two"), _case("D4", "Dan Four")])
    result = cli(["tracker", str(caseload), "--as-of", AS_OF, "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert "1 no longer in the caseload" in result.output
    assert (tmp_path / "tracker.previous.xlsx").exists()
    rows = _rows(out)
    assert set(rows) == {"A1", "B2", "C3", "D4"}
    for cid in ("A1", "B2", "C3"):
        for header, value in typed[cid].items():
            if cid == "B2" and header == "Notes":  # the drop-down choice was added to the notes
                assert rows[cid][header].value.startswith(value + "\n[23/11/2026] Legal status in the tracker read 'Placement order'")
                continue
            assert rows[cid][header].value == value, (cid, header)
    assert rows["A1"]["Actions"].data_type == "s"  # typed '=' text stays text
    assert rows["B2"]["Chair's follow-up"].number_format == "dd/mm/yyyy"  # a typed date stays a date
    assert rows["A1"]["IRO view"].protection.locked is False and rows["C3"]["Notes"].protection.locked is False
    assert rows["C3"]["Status"].value == W.GONE and rows["C3"]["Child"].value == "Cat Three"
    assert rows["D4"]["Status"].value == W.IN_CASELOAD and rows["D4"]["IRO view"].value is None
    assert "Placement order" in rows["B2"]["Notes"].value and rows["B2"]["Legal status"].value == "Care order"
    assert _rows(out, "Care orders")[lm_id]["Is the order still needed?"].value == "Yes: review at next meeting"
    # The meeting's RAG feeds the Summary counts and the sub-sheets' RAG.
    assert _rows(out, "Care orders")["A1"]["RAG"].value == "Red"

    # A third build changes nothing typed (idempotent) and keeps the gone child greyed.
    assert cli(["tracker", str(caseload), "--as-of", AS_OF, "-o", str(out)]).exit_code == 0
    again = _rows(out)
    assert {k: {h: c.value for h, c in v.items() if h != "RAG"} for k, v in again.items()} == \
           {k: {h: c.value for h, c in v.items() if h != "RAG"} for k, v in rows.items()}


def test_bad_case_record_is_skipped_and_named_and_its_row_kept(tmp_path, cli):
    caseload = _write_caseload(tmp_path / "caseload", [_case("A1", "Amy One"), _case("B2", "Ben Two")])
    out = tmp_path / "tracker.xlsx"
    assert cli(["tracker", str(caseload), "--as-of", AS_OF, "-o", str(out)]).exit_code == 0
    bad = _case("B2", "Ben Two")
    bad["events"][0]["date"] = "2026-02-30"
    (caseload / "B2" / "case.json").write_text(json.dumps(bad), "utf-8")
    result = cli(["tracker", str(caseload), "--as-of", AS_OF, "-o", str(out)])
    assert result.exit_code == 1
    assert "B2" in result.stderr and "case.json" in result.stderr and "/events/0/date" in result.stderr and "Skipped" in result.stderr
    assert "Traceback" not in result.output + result.stderr
    rows = _rows(out)
    assert rows["B2"]["Status"].value == W.NOT_UPDATED and rows["B2"]["Child"].value == "Ben Two"


def test_refuses_to_overwrite_what_is_not_a_tracker(tmp_path, cli):
    caseload = _write_caseload(tmp_path / "caseload", [_case("A1", "Amy One")])
    text = tmp_path / "budget.xlsx"
    text.write_text("not a workbook")
    result = cli(["tracker", str(caseload), "--as-of", AS_OF, "-o", str(text)])
    assert result.exit_code == 2 and "not an Excel workbook" in result.stderr and text.read_text() == "not a workbook"
    from openpyxl import Workbook

    other = tmp_path / "other.xlsx"
    wb = Workbook()
    wb.active.title = "Budget"
    wb.save(other)
    before = other.read_bytes()
    result = cli(["tracker", str(caseload), "--as-of", AS_OF, "-o", str(other)])
    assert result.exit_code == 2 and "not a permanence tracker" in result.stderr and other.read_bytes() == before


def test_zip_bomb_is_not_opened(tmp_path, cli):
    caseload = _write_caseload(tmp_path / "caseload", [_case("A1", "Amy One")])
    bomb = tmp_path / "tracker.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/worksheets/sheet1.xml", b"\0" * (20 * 1024 * 1024))
    # It says it unpacks to 600 MiB (the bound is the expanded size, not the ratio: a
    # tracker's own repetitive sheets compress 300:1).
    data = bytearray(bomb.read_bytes())
    real = (20 * 1024 * 1024).to_bytes(4, "little")
    assert data.count(real) == 2
    bomb.write_bytes(bytes(data.replace(real, (600 * 1024 * 1024).to_bytes(4, "little"))))
    before = bomb.read_bytes()
    result = cli(["tracker", str(caseload), "--as-of", AS_OF, "-o", str(bomb)])
    assert result.exit_code == 2 and "zip bomb" in result.stderr and bomb.read_bytes() == before


def test_xml_entity_bomb_is_refused(tmp_path, cli, example_tracker):
    caseload = _write_caseload(tmp_path / "caseload", [_case("A1", "Amy One")])
    bomb = tmp_path / "tracker.xlsx"
    with zipfile.ZipFile(example_tracker) as zin, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                entities = b'<!DOCTYPE x [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
                data = data.replace(b"<worksheet ", entities + b"<worksheet ", 1).replace(b">C1001<", b">&b;<", 1)
            zout.writestr(item, data)
    before = bomb.read_bytes()
    result = cli(["tracker", str(caseload), "--as-of", AS_OF, "-o", str(bomb)])
    assert result.exit_code == 2 and "damaged or unsafe" in result.stderr and bomb.read_bytes() == before


def test_no_backup_and_json_output(tmp_path, cli):
    caseload = _write_caseload(tmp_path / "caseload", [_case("A1", "Amy One")])
    out = tmp_path / "t.xlsx"
    assert cli(["tracker", str(caseload), "--as-of", AS_OF, "-o", str(out)]).exit_code == 0
    assert cli(["tracker", str(caseload), "--as-of", AS_OF, "-o", str(out), "--no-backup"]).exit_code == 0
    assert not (tmp_path / "t.previous.xlsx").exists()
    assert not list(tmp_path.glob(".tracker-*"))  # no temporary file left behind
    out.chmod(0o640)
    assert cli(["tracker", str(caseload), "--as-of", AS_OF, "-o", str(out)]).exit_code == 0
    assert out.stat().st_mode & 0o777 == 0o640  # a shared tracker keeps its permissions
    result = cli(["tracker", str(caseload), "--as-of", AS_OF, "--format", "json", "--amber-days", "3"])
    data = json.loads(result.stdout)
    assert data["amber_working_days"] == 3 and data["children"][0]["id"] == "A1"
    assert all("source" in t and t["due"] for t in data["children"][0]["timescales"])
    assert cli(["tracker", str(tmp_path / "missing"), "-o", str(out)]).exit_code == 2


def test_a_profile_edit_changes_the_tracker_without_code(tmp_path):
    """The engine reads timescales as data: changing a period in the profile moves the due date."""
    from permanence.forms.profiles import Profile, load_profile
    from permanence.tracker.engine import Engine

    base = load_profile("warrington")
    data = json.loads(json.dumps(base.data))
    data["timescales"]["subsequent_ppm"]["within"] = {"weeks": 4}
    data["tracker"]["amber_working_days"] = 20
    edited = Profile(id="edited", data=data)
    case = _case("A1", "Amy One")
    case["events"].append({"type": "ppm", "date": "2026-11-02"})
    as_of = dt.date(2026, 11, 23)
    before = {t.id: t for t in Engine(base, as_of).child_row(case, [], "x").timescales}
    after = {t.id: t for t in Engine(edited, as_of).child_row(case, [], "x").timescales}
    assert before["subsequent_ppm"].due == dt.date(2026, 12, 14) and before["subsequent_ppm"].status == "upcoming"
    assert after["subsequent_ppm"].due == dt.date(2026, 11, 30) and after["subsequent_ppm"].status == "due soon"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_and_converts(example_tracker, tmp_path):
    """One batched conversion: LibreOffice Calc reads the workbook and prints it to PDF."""
    src = tmp_path / "tracker.xlsx"
    shutil.copy(example_tracker, src)
    profile_dir = tmp_path / "lo-profile"
    result = subprocess.run(["soffice", f"-env:UserInstallation=file://{profile_dir}", "--headless", "--convert-to", "pdf",
                             "--outdir", str(tmp_path), str(src)], capture_output=True, text=True, timeout=180)
    pdf = tmp_path / "tracker.pdf"
    assert result.returncode == 0 and pdf.exists() and pdf.stat().st_size > 10_000, result.stderr
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, timeout=60).stdout
    assert "OFFICIAL-SENSITIVE" in text and "Ava Thompson" in text and "23/12/2026" in text
    assert "Err:" not in text and "#NAME?" not in text  # the RAG formula computed
    # The main sheet prints its core columns, every child on one A4 landscape page; the
    # sources and the hidden check column stay on screen only.
    first = text.split("\f")[0]
    assert "Actions" in first and "Ava Thompson" in first and "Archie Doyle" in first and "Page 1 of" in first
    assert "Where the due dates come from" not in first and "seed 003" not in first and "Why this RAG" not in first
    assert W.CHECK_HEADER not in text
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, timeout=60).stdout
    assert "841.89 x 595" in info and "(A4)" in info  # A4, landscape (wider than tall)


@pytest.mark.parametrize("profile", ["warrington", "south-east", "walsall"])
def test_sources_name_the_procedure_never_our_file_shorthand(tmp_path, profile):
    """Business support read the sources: 'Warrington, Securing Permanence ... s.8.3', never
    'seed 003' (64 cells of the example tracker said it) or our DOMAIN.md."""
    from click.testing import CliRunner
    from openpyxl import load_workbook

    from permanence.cli import main

    root = Path(__file__).resolve().parent.parent
    out = tmp_path / "tracker.xlsx"
    args = ["tracker", str(root / "examples" / "caseload"), "--profile", profile, "--as-of", AS_OF]
    written = CliRunner().invoke(main, args + ["-o", str(out)])
    assert written.exit_code == 0, written.output
    as_json = CliRunner().invoke(main, args + ["--format", "json"])
    assert as_json.exit_code == 0 and "seed 0" not in as_json.output and "DOMAIN.md" not in as_json.output
    cited = 0
    for ws in load_workbook(out, read_only=True):
        for row in ws.iter_rows(values_only=True):
            for value in row:
                if isinstance(value, str):
                    assert "seed 0" not in value and "DOMAIN.md" not in value, (ws.title, value[:120])
                    cited += "Securing Permanence" in value or "Practice Guidance" in value or "Care Planning and Permanence" in value
    assert cited > 0
