"""A rebuild never silently loses what the meeting typed: sheets it added, typed columns on
the sub-sheets, values typed over computed cells, meeting RAG values off the list; and the
plain messages for a missing caseload folder and a first build with a bad record."""
from __future__ import annotations

import datetime as dt
import json

import pytest
from openpyxl import load_workbook

from permanence.tracker import workbook as W
from tests.test_tracker_workbook import AS_OF, _case, _rows, _write_caseload


def _pre_proceedings_case(cid: str, name: str) -> dict:
    case = _case(cid, name)
    case["child"]["legal_status"] = "not_looked_after"
    case["child"]["placement_type"] = "with_parents"
    case["events"] = [{"type": "pre_proceedings_start", "date": "2026-10-05"}]
    return case


def _col(ws, header: str) -> int:
    return [c.value for c in ws[1]].index(header) + 1


def _row_of(ws, cid: str) -> int:
    return next(r for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=1).value == cid)


def test_rebuild_keeps_added_sheets_typed_sub_columns_and_typed_over_values(tmp_path, cli):
    caseload = _write_caseload(tmp_path / "caseload", [_case("A1", "Amy One"), _pre_proceedings_case("B2", "Ben Two")])
    out = tmp_path / "tracker.xlsx"
    assert cli(["tracker", caseload, "--as-of", AS_OF, "-o", out]).exit_code == 0

    wb = load_workbook(out)
    notes = wb.create_sheet("Meeting notes")
    notes.append(["Date", "Note"])
    notes.append([dt.datetime(2026, 11, 20), "Chair asked for the SGO assessment for A1"])
    notes.append(["Total", "=1+1"])
    main = wb[W.MAIN]
    a1, b2 = _row_of(main, "A1"), _row_of(main, "B2")
    main.cell(row=a1, column=_col(main, "Next review due"), value="TBC")
    main.cell(row=a1, column=_col(main, "RAG (meeting)"), value="red")
    main.cell(row=b2, column=_col(main, "RAG (meeting)"), value="Purple")
    pre = wb["Pre-proceedings"]
    pb2 = _row_of(pre, "B2")
    pre.cell(row=pb2, column=_col(pre, "Gateway review booked"), value=dt.datetime(2026, 12, 14))
    pre.cell(row=pb2, column=_col(pre, "Week 16 (target)"), value="not needed")
    wb.save(out)

    result = cli(["tracker", caseload, "--as-of", AS_OF, "-o", out])
    assert result.exit_code == 0, result.output
    err = result.stderr
    new = load_workbook(out)
    # The sheet the meeting added: carried over, values, dates and formulas, with a note.
    assert "Meeting notes" in new.sheetnames
    kept = [list(r) for r in new["Meeting notes"].iter_rows(values_only=True)]
    assert kept == [["Date", "Note"], [dt.datetime(2026, 11, 20), "Chair asked for the SGO assessment for A1"], ["Total", "=1+1"]]
    assert new["Meeting notes"]["A2"].number_format == "dd/mm/yyyy"
    assert "'Meeting notes'" in err and "formatting" in err
    # A value typed over a computed date: the date is worked out again, the text kept in Notes.
    rows = _rows(out)
    assert isinstance(rows["A1"]["Next review due"].value, dt.datetime)
    assert "[23/11/2026] 'TBC' was typed in Next review due" in rows["A1"]["Notes"].value
    assert "A1: 'TBC' typed in 'Next review due' was moved to 'Notes'" in err
    # Meeting RAG: the obvious normalised, the rest kept and reported.
    assert rows["A1"]["RAG (meeting)"].value == "Red"
    assert rows["B2"]["RAG (meeting)"].value == "Purple" and "B2: RAG (meeting) 'Purple' is not Red, Amber or Green" in err
    assert "'red'" not in err
    # Pre-proceedings: the booked gateway review the case record does not know is kept; text
    # typed over a worked-out week goes to that sheet's notes.
    pre_row = _rows(out, "Pre-proceedings")["B2"]
    assert pre_row["Gateway review booked"].value == dt.datetime(2026, 12, 14)
    assert pre_row["Gateway review booked"].protection.locked is False
    assert isinstance(pre_row["Week 16 (target)"].value, dt.datetime)
    assert "'not needed' was typed in Week 16 (target)" in pre_row["Notes (this tracker)"].value
    assert "Pre-proceedings, B2: 'not needed' typed in 'Week 16 (target)'" in err

    # Once moved, a value is not moved again: a third build changes nothing and says nothing new.
    again = cli(["tracker", caseload, "--as-of", AS_OF, "-o", out])
    assert again.exit_code == 0
    assert "TBC" not in again.stderr and "not needed" not in again.stderr
    assert _rows(out)["A1"]["Notes"].value == rows["A1"]["Notes"].value
    assert _rows(out, "Pre-proceedings")["B2"]["Notes (this tracker)"].value == pre_row["Notes (this tracker)"].value
    assert [list(r) for r in load_workbook(out)["Meeting notes"].iter_rows(values_only=True)] == kept

    # When the case record books the gateway review, the record's date is shown.
    booked = _pre_proceedings_case("B2", "Ben Two")
    booked["events"].append({"type": "gateway_review", "date": "2027-01-11", "planned": True})
    (caseload / "B2" / "case.json").write_text(json.dumps(booked), "utf-8")
    assert cli(["tracker", caseload, "--as-of", AS_OF, "-o", out]).exit_code == 0
    assert _rows(out, "Pre-proceedings")["B2"]["Gateway review booked"].value == dt.datetime(2027, 1, 11)


def test_a_date_typed_over_a_worked_out_date_is_kept_but_a_changed_record_is_not_a_note(tmp_path, cli):
    caseload = _write_caseload(tmp_path / "caseload", [_case("A1", "Amy One"), _case("B2", "Ben Two")])
    out = tmp_path / "tracker.xlsx"
    assert cli(["tracker", caseload, "--as-of", AS_OF, "-o", out]).exit_code == 0
    wb = load_workbook(out)
    main = wb[W.MAIN]
    worked_out = main.cell(row=_row_of(main, "A1"), column=_col(main, "Next review due")).value
    main.cell(row=_row_of(main, "A1"), column=_col(main, "Next review due"), value=dt.datetime(2027, 3, 1))
    wb.save(out)
    # B2's case record changes legal status: last month's value was the tracker's, not typed.
    changed = _case("B2", "Ben Two")
    changed["child"]["legal_status"] = "placement_order"
    (caseload / "B2" / "case.json").write_text(json.dumps(changed), "utf-8")
    result = cli(["tracker", caseload, "--as-of", AS_OF, "-o", out])
    assert result.exit_code == 0, result.output
    rows = _rows(out)
    assert rows["A1"]["Next review due"].value == worked_out
    assert "'01/03/2027' was typed in Next review due" in rows["A1"]["Notes"].value
    assert "A1: '01/03/2027' typed in 'Next review due'" in result.stderr
    assert rows["B2"]["Legal status"].value == "Placement order" and rows["B2"]["Notes"].value is None
    assert "B2" not in result.stderr


def test_columns_moved_by_the_meeting_are_not_taken_for_typing(tmp_path, cli):
    caseload = _write_caseload(tmp_path / "caseload", [_case("A1", "Amy One")])
    out = tmp_path / "tracker.xlsx"
    assert cli(["tracker", caseload, "--as-of", AS_OF, "-o", out]).exit_code == 0
    wb = load_workbook(out)
    main = wb[W.MAIN]
    team, worker = _col(main, "Team"), _col(main, "Social worker")
    for r in range(1, main.max_row + 1):  # the two columns swapped, headings and all
        a, b = main.cell(row=r, column=team).value, main.cell(row=r, column=worker).value
        main.cell(row=r, column=team, value=b)
        main.cell(row=r, column=worker, value=a)
    main.cell(row=2, column=_col(main, "Next review due"), value="TBC")
    wb.save(out)
    result = cli(["tracker", caseload, "--as-of", AS_OF, "-o", out])
    assert result.exit_code == 0, result.output
    row = _rows(out)["A1"]
    assert row["Team"].value == "Permanence Team" and row["Social worker"].value == "Ben Carter"
    assert "Team" not in result.stderr and "Social worker" not in result.stderr
    assert "'TBC' was typed in Next review due" in row["Notes"].value  # still found by its kind


def test_no_such_caseload_folder_is_named(tmp_path, cli):
    result = cli(["tracker", tmp_path / "nosuch"])
    assert result.exit_code != 0
    assert f"{tmp_path / 'nosuch'}: no such folder" in result.stderr
    assert "say where to write" not in result.stderr and "Traceback" not in result.output


def test_skip_note_speaks_of_a_last_row_only_when_there_is_one(tmp_path, cli):
    bad = _case("B2", "Ben Two")
    bad["events"][0]["date"] = "2026-02-30"
    caseload = _write_caseload(tmp_path / "caseload", [_case("A1", "Amy One"), bad])
    out = tmp_path / "tracker.xlsx"
    first = cli(["tracker", caseload, "--as-of", AS_OF, "-o", out])
    assert first.exit_code == 1
    assert "last row unchanged" not in first.stderr and "not in the tracker until the record is put right" in first.stderr
    assert "B2" not in _rows(out)

    # Once the child has a row, a bad record keeps it and says so.
    (caseload / "B2" / "case.json").write_text(json.dumps(_case("B2", "Ben Two")), "utf-8")
    assert cli(["tracker", caseload, "--as-of", AS_OF, "-o", out]).exit_code == 0
    (caseload / "B2" / "case.json").write_text(json.dumps(bad), "utf-8")
    third = cli(["tracker", caseload, "--as-of", AS_OF, "-o", out])
    assert third.exit_code == 1 and "keeps this child's last row unchanged" in third.stderr
    assert _rows(out)["B2"]["Status"].value == W.NOT_UPDATED


def _paste_rows_in_order(path, order: list[str], with_check: bool) -> None:
    """What a meeting does to reorder without Excel's sort: copy the rows' values and paste
    them back in another order (the formatting, and a hidden column skipped in the
    selection, stay where they were)."""
    wb = load_workbook(path)
    ws = wb[W.MAIN]
    headers = [c.value for c in ws[1]]
    last = len(headers) if with_check else headers.index(W.CHECK_HEADER)
    rows = {ws.cell(row=r, column=1).value: [ws.cell(row=r, column=c).value for c in range(1, last + 1)]
            for r in range(2, ws.max_row + 1) if ws.cell(row=r, column=1).value}
    for r, cid in enumerate(order, 2):
        for c, value in enumerate(rows[cid], 1):
            ws.cell(row=r, column=c, value=value)
    wb.save(path)


@pytest.mark.parametrize("with_check", [False, True], ids=["check-column-left-behind", "check-column-pasted-too"])
def test_a_reorder_by_pasting_values_is_not_taken_for_typing(tmp_path, cli, with_check):
    """Failure 8: pasting the rows back in another order made false 'typed over' notes for
    several children. A value typed in the same run is still caught."""
    cases = [_case(cid, f"Child {cid}") for cid in ("A1", "B2", "C3", "D4")]
    cases[1]["events"].append({"type": "cla_review", "date": "2026-07-30"})  # rows differ in their dates
    cases[2]["child"]["date_of_birth"] = "2012-05-05"
    caseload = _write_caseload(tmp_path / "caseload", cases)
    out = tmp_path / "tracker.xlsx"
    assert cli(["tracker", caseload, "--as-of", AS_OF, "-o", out]).exit_code == 0
    _paste_rows_in_order(out, ["D4", "C3", "A1", "B2"], with_check)
    wb = load_workbook(out)
    main = wb[W.MAIN]
    main.cell(row=_row_of(main, "A1"), column=_col(main, "Next review due"), value="TBC")  # really typed
    wb.save(out)
    result = cli(["tracker", caseload, "--as-of", AS_OF, "-o", out])
    assert result.exit_code == 0, result.output
    typed = [line for line in result.stderr.splitlines() if "typed in" in line]
    assert typed == [f"permanence: {W.MAIN}, A1: 'TBC' typed in 'Next review due' was moved to 'Notes' "
                     "(the column is worked out from the case record: put the fact there)."]
    rows = _rows(out)
    assert all(not (rows[cid]["Notes"].value or "") for cid in ("B2", "C3", "D4"))


def test_comments_and_rows_without_an_id_are_kept_and_said(tmp_path, cli):
    """Failure 3: a rebuild dropped cell comments and rows the meeting inserted with notes
    but no child ID, without a word. They go to the 'Kept from the last tracker' sheet; a
    second rebuild keeps what that sheet holds."""
    from openpyxl.comments import Comment

    from permanence.tracker.keep import KEPT_HEADERS, KEPT_SHEET

    caseload = _write_caseload(tmp_path / "caseload", [_case("A1", "Amy One"), _case("B2", "Ben Two")])
    out = tmp_path / "tracker.xlsx"
    assert cli(["tracker", caseload, "--as-of", AS_OF, "-o", out]).exit_code == 0
    wb = load_workbook(out)
    main = wb[W.MAIN]
    a1 = _row_of(main, "A1")
    main.cell(row=a1, column=_col(main, "Next review due")).comment = Comment("Chair: check the date with the IRO", "Jo Bloggs")
    main.insert_rows(a1 + 1)  # a row the meeting inserted for a sibling not yet on the caseload
    main.cell(row=a1 + 1, column=_col(main, "Child"), value="Baby Smith (sibling, not yet allocated)")
    main.cell(row=a1 + 1, column=_col(main, "Notes"), value="=Discuss at next meeting")
    wb.save(out)

    result = cli(["tracker", caseload, "--as-of", AS_OF, "-o", out])
    assert result.exit_code == 0, result.output
    assert (f"permanence: {out}: 1 cell comment and 1 row without a child ID from the last tracker could not be kept "
            f"in place; they are on the '{KEPT_SHEET}' sheet, with where they were.") in result.stderr
    kept = [list(r) for r in load_workbook(out)[KEPT_SHEET].iter_rows(values_only=True)]
    assert kept[0] == list(KEPT_HEADERS)
    ref = f"{main.cell(row=a1, column=_col(main, 'Next review due')).column_letter}{a1}"
    assert kept[1][6].endswith("Chair: check the date with the IRO")
    assert kept[1][:6] == ["23/11/2026", W.MAIN, ref, "A1", "Next review due", "Comment by Jo Bloggs"]
    assert kept[2][:4] == ["23/11/2026", W.MAIN, f"row {a1 + 1}", None]
    assert kept[2][5:] == ["Row without a child ID", "Child: Baby Smith (sibling, not yet allocated)\nNotes: =Discuss at next meeting"]

    again = cli(["tracker", caseload, "--as-of", AS_OF, "-o", out])
    assert again.exit_code == 0
    assert "could not be kept in place" not in again.stderr  # nothing new to say
    assert [list(r) for r in load_workbook(out)[KEPT_SHEET].iter_rows(values_only=True)] == kept
