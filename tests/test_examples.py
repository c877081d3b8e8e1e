"""The bundled examples: the fictional caseload is valid, every invalid draft fails with the
finding its name describes, and the caseload covers every journey issue 2 asks for.

Files are found by glob when the tests are collected, so records added later (CPRs, case
records, more meetings) are covered without editing this file."""
from __future__ import annotations

import csv
import datetime as dt
import json
import re
from pathlib import Path

import pytest

from permanence.forms.load import load_record
from permanence.validate_command import check_paths

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
CASELOAD = EXAMPLES / "caseload"
INVALID = EXAMPLES / "invalid"
EXPECTED_CSV = INVALID / "expected.csv"
RECORD_SUFFIXES = {".json", ".yaml", ".yml"}
PROFILE = "warrington"
AS_OF = dt.date(2026, 11, 23)  # "today" for the examples (examples/CASELOAD.md)


def _records(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix.lower() in RECORD_SUFFIXES)


CASELOAD_FILES = _records(CASELOAD)
INVALID_FILES = _records(INVALID)


def _rel(path: Path) -> str:
    return path.relative_to(EXAMPLES).as_posix()


def _expected_rows() -> list[dict]:
    with EXPECTED_CSV.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _load(path: Path) -> dict:
    return load_record(path).data


# -- (a) the caseload is valid ---------------------------------------------------------------

def test_caseload_is_not_empty():
    assert len(CASELOAD_FILES) >= 35, f"only {len(CASELOAD_FILES)} records under {CASELOAD}"


@pytest.mark.parametrize("path", CASELOAD_FILES, ids=_rel)
def test_caseload_record_is_valid(path):
    [report] = check_paths([str(path)], PROFILE, AS_OF)
    assert report.error is None, f"{_rel(path)} could not be read: {report.error}"
    errors = [f"{f.rule_id} at {f.pointer or '/'}: {f.message}" for f in report.errors]
    assert not errors, f"{_rel(path)} has errors:\n" + "\n".join(errors)


def test_whole_caseload_through_the_cli_exits_0(cli):
    result = cli(["validate", "--profile", PROFILE, "--as-of", AS_OF.isoformat(), "--format", "json", CASELOAD])
    assert result.exit_code == 0, result.output[-2000:]
    report = json.loads(result.stdout)
    assert report["summary"]["files"] == len(CASELOAD_FILES)
    assert report["summary"]["errors"] == 0


# Filenames say what the record is: the folder is the child, the date is the meeting or panel.
_NAME = re.compile(r"^(ppm|panel-referral|gateway-referral)-(\d{4}-\d{2}-\d{2})\.json$")
_DATED = [p for p in CASELOAD_FILES if _NAME.match(p.name)]


@pytest.mark.parametrize("path", _DATED, ids=_rel)
def test_dated_record_is_named_for_its_child_and_date(path):
    kind, date = _NAME.match(path.name).groups()
    data = _load(path)
    form = {"ppm": "ppm-record"}.get(kind, kind)
    assert data["form"] == form
    folder_id = path.parent.name.split("-")[0]
    if kind == "ppm":
        assert data["meeting"]["date"] == date
        ids = [data["child"]["id"]]
    elif kind == "panel-referral":
        assert data["panel_date"] == date
        ids = [data["child"]["id"]]
    else:
        assert data["panel_date"] == date
        ids = [c["id"] for c in data["children"]]
    assert folder_id in ids, f"{_rel(path)} is filed under {folder_id} but is about {ids}"


def test_every_child_folder_is_named_id_first_surname():
    for folder in sorted(p for p in CASELOAD.iterdir() if p.is_dir()):
        assert re.fullmatch(r"C\d{4}-[a-z]+-[a-z]+", folder.name), folder.name


# -- (b) every invalid draft fails with the finding its name describes --------------------------

def test_invalid_folder_and_expected_csv_list_the_same_files():
    listed = [row["file"] for row in _expected_rows()]
    assert len(listed) == len(set(listed)), "a file is listed twice in expected.csv"
    on_disk = {p.name for p in INVALID_FILES}
    assert set(listed) == on_disk, (
        f"in the folder but not in expected.csv: {sorted(on_disk - set(listed))}; "
        f"in expected.csv but not in the folder: {sorted(set(listed) - on_disk)}"
    )
    assert len(listed) >= 16


def test_expected_csv_rows_are_complete():
    for row in _expected_rows():
        assert set(row) == {"file", "profile", "as_of", "rule_id", "severity"}
        assert row["profile"] and row["rule_id"] and row["severity"] in ("error", "warning"), row
        dt.date.fromisoformat(row["as_of"])


def test_invalid_drafts_include_yaml_and_every_form():
    names = [row["file"] for row in _expected_rows()]
    assert any(n.endswith((".yaml", ".yml")) for n in names)
    for form in ("ppm-", "panel-referral-", "gateway-referral-"):
        assert any(n.startswith(form) for n in names), form


def test_invalid_drafts_cover_schema_and_business_rules():
    from permanence.forms.rules import load_all_rules

    known = set(load_all_rules())
    ids = {row["rule_id"] for row in _expected_rows()}
    for rule_id in ids:
        assert rule_id.startswith("schema-") or rule_id in known, f"expected.csv names an unknown rule {rule_id!r}"
    assert len([i for i in ids if not i.startswith("schema-")]) >= 12


@pytest.mark.parametrize("row", _expected_rows() if EXPECTED_CSV.exists() else [], ids=lambda r: r["file"])
def test_invalid_draft_fails_with_its_finding(cli, row):
    path = INVALID / row["file"]
    result = cli(["validate", "--profile", row["profile"], "--as-of", row["as_of"], "--format", "json", path])
    # A meeting held late is a fact, not an error: it is caught as a warning, and the
    # record still passes (it can be submitted and rendered without DRAFT).
    severity = row["severity"]
    assert result.exit_code == (1 if severity == "error" else 0), f"{row['file']}: exit {result.exit_code}\n{result.output[-2000:]}"
    [file_report] = json.loads(result.stdout)["files"]
    assert file_report["error"] is None, file_report["error"]
    if severity == "warning":
        assert not [f for f in file_report["findings"] if f["severity"] == "error"], file_report["findings"]
    errors = [f for f in file_report["findings"] if f["severity"] == severity]
    found = sorted({f["rule_id"] for f in errors})
    assert row["rule_id"] in found, f"{row['file']}: expected {severity} {row['rule_id']}, got {found}"
    # One mistake, one kind of finding: no unrelated error hides behind the expected one.
    if severity == "error":  # (a valid record may carry other warnings)
        assert found == [row["rule_id"]], f"{row['file']}: more than the one mistake is reported: {found}"
    for finding in errors:
        assert finding["message"] and finding["label"], finding


def _differences(a, b) -> int:
    """How many fields differ: a field added, removed or changed counts once, and so does a
    list that gained or lost entries."""
    if isinstance(a, dict) and isinstance(b, dict):
        return sum(1 if (key in a) != (key in b) else _differences(a[key], b[key]) for key in set(a) | set(b))
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return sum(_differences(x, y) for x, y in zip(a, b))
    return 0 if a == b else 1


@pytest.mark.parametrize("row", _expected_rows() if EXPECTED_CSV.exists() else [], ids=lambda r: r["file"])
def test_invalid_draft_is_a_caseload_record_with_one_mistake(row):
    """Each draft is a copy of a valid caseload record with one mistake: at most two fields
    differ (one mistake can touch two, e.g. the IRO did not attend and sent apologies)."""
    draft = _load(INVALID / row["file"])
    ids = {c.get("id") for c in draft["children"]} if draft["form"] == "gateway-referral" else {draft["child"]["id"]}
    candidates = [r for r in _all_records() if r.get("form") == draft["form"] and (
        {c.get("id") for c in r["children"]} if r["form"] == "gateway-referral" else {r["child"]["id"]}) == ids]
    assert candidates, f"{row['file']} is not about a child in the caseload ({sorted(ids)})"
    nearest = min(_differences(draft, r) for r in candidates)
    assert 1 <= nearest <= 2, f"{row['file']} differs from the nearest caseload record in {nearest} fields"


# -- (c) the caseload covers the journeys of issue 2 -------------------------------------------

def _all_records() -> list[dict]:
    return [_load(p) for p in CASELOAD_FILES]


def _plan_options(record: dict) -> set[str]:
    form = record.get("form")
    if form == "panel-referral":
        plans = [record["current_plan"].get("primary_plan"), *record["current_plan"].get("contingency_plans", [])]
    elif form == "gateway-referral":
        plans = [record.get("initial_plan"), *record.get("contingency_plans", [])]
    elif form == "ppm-record":
        plans = [record.get("primary_plan"), *record.get("contingency_plans", [])]
    else:
        return set()
    return {p["option"] for p in plans if isinstance(p, dict) and "option" in p}


def _ppms() -> list[dict]:
    return [r for r in _all_records() if r.get("form") == "ppm-record"]


def _age(dob: str, on: str) -> int:
    born, day = dt.date.fromisoformat(dob), dt.date.fromisoformat(on)
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def test_caseload_has_at_least_eight_children():
    ids = set()
    for record in _all_records():
        if record.get("form") == "gateway-referral":
            ids.update(c["id"] for c in record["children"])
        elif isinstance(record.get("child"), dict):
            ids.add(record["child"].get("id"))
    assert len(ids - {None}) >= 8, sorted(ids)


def test_journey_adoption_with_early_permanence():
    early = {"foster_for_adoption", "concurrent_planning"}
    assert any(_plan_options(r) & early for r in _all_records())
    assert any(r["child"]["placement_type"] == "foster_for_adoption" for r in _ppms() + [
        r for r in _all_records() if r.get("form") == "panel-referral"])
    assert any("adoption" in _plan_options(r) for r in _ppms())


def test_journey_long_term_fostering():
    assert any(r["primary_plan"]["option"] == "long_term_fostering" and r["child"]["legal_status"] == "care_order" for r in _ppms())


def test_journey_reunification_under_a_supervision_order():
    supervised = [r for r in _ppms() if r["child"]["legal_status"] == "supervision_order"]
    assert supervised
    assert all("made_date" in r.get("supervision_order", {}) for r in supervised)
    assert any(r.get("form") == "gateway-referral" and any(c["legal_status"] == "supervision_order" for c in r["children"])
               for r in _all_records()), "no supervision order review at the Legal Gateway"


def test_journey_special_guardianship_with_a_connected_carer():
    assert any(r["primary_plan"]["option"] == "special_guardianship" and r["child"]["placement_type"] == "connected_carer"
               for r in _ppms())


def test_journey_older_child_in_residential_care():
    assert any(r["child"]["placement_type"] == "residential" and _age(r["child"]["date_of_birth"], r["meeting"]["date"]) >= 16
               and r["meeting"].get("format") == "pathway" for r in _ppms())
    assert any(r.get("form") == "panel-referral" and "residential_placement" in r["reasons"] for r in _all_records())


def test_journey_section_20():
    assert any(r["child"]["legal_status"] == "section_20" for r in _ppms())
    assert any(r.get("form") == "gateway-referral" and r["request"] == "review_section_20" for r in _all_records())


def test_journey_sibling_group_shares_a_gateway_referral():
    folders = {p.name.split("-")[0] for p in CASELOAD.iterdir() if p.is_dir()}
    shared = [r for r in _all_records() if r.get("form") == "gateway-referral" and len(r["children"]) >= 2]
    assert shared
    assert any({c["id"] for c in r["children"]} <= folders for r in shared), "each sibling needs a folder of their own"


def test_journey_unborn_baby_in_pre_proceedings():
    assert any(r.get("form") == "gateway-referral" and r["request"] == "enter_pre_proceedings"
               and any(c.get("unborn") for c in r["children"]) for r in _all_records())
    assert any(r["child"].get("unborn") and r["meeting"]["type"] == "initial" for r in _ppms())


def test_meeting_kinds_and_referral_reasons_are_varied():
    ppms = _ppms()
    assert {r["meeting"]["type"] for r in ppms} == {"initial", "review", "final"}
    assert {r["meeting"].get("format") for r in ppms} >= {"permanence", "pathway"}
    reasons = {reason for r in _all_records() if r.get("form") == "panel-referral" for reason in r["reasons"]}
    assert {"week_10_of_proceedings", "residential_placement", "iro_concern_drift"} <= reasons
    requests = {r["request"] for r in _all_records() if r.get("form") == "gateway-referral"}
    assert {"enter_pre_proceedings", "issue_proceedings"} <= requests


def test_nothing_has_happened_after_today_in_meeting_records():
    for record in _ppms():
        assert record["meeting"]["date"] <= AS_OF.isoformat(), record["meeting"]
