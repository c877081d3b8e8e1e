"""Re-audit (`permanence audit CPR --previous AUDIT`): the previous audit must be of the same
child; items and their evidence are compared finding by finding; G1 reflects the amendments
of the last audit still outstanding; dates read dd/mm/yyyy (the JSON stays ISO)."""
from __future__ import annotations

import json
import re

import pytest

ALFIE = "caseload/C1009-alfie-walsh/cpr.json"
OSCAR = "caseload/C1012-oscar-bennett/cpr.json"
FREYA = "caseload/C1013-freya-collins/cpr.json"


@pytest.fixture
def alfie_first(cli, examples_dir, tmp_path):
    first = tmp_path / "audit-1.json"
    result = cli(["audit", examples_dir / ALFIE, "--as-of", "2026-05-20", "--output", first])
    assert result.exit_code == 1 and first.is_file()
    return first


def _items(stdout: str) -> dict:
    return {i["id"]: i for i in json.loads(stdout)["items"]}


def test_previous_audit_of_another_child_is_refused_in_one_line(cli, examples_dir, tmp_path, alfie_first):
    result = cli(["audit", examples_dir / OSCAR, "--as-of", "2026-06-01", "--previous", alfie_first])
    assert result.exit_code == 2 and result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr
    line = lines[0]
    assert str(alfie_first) in line and "oscar-bennett/cpr.json" in line
    assert "Alfie James Walsh (child ID C1009" in line and "Oscar Bennett (child ID C1012" in line
    assert "Give this child's earlier audit as --previous, or leave --previous out." in line


def test_without_child_ids_the_name_and_date_of_birth_decide(cli, examples_dir, tmp_path, alfie_first):
    previous = json.loads(alfie_first.read_text("utf-8"))
    del previous["header"]["child_id"]
    no_id = tmp_path / "audit-no-id.json"
    no_id.write_text(json.dumps(previous), "utf-8")
    other = cli(["audit", examples_dir / OSCAR, "--as-of", "2026-06-01", "--previous", no_id])
    assert other.exit_code == 2 and "Alfie James Walsh (born" in other.stderr and "Oscar Bennett" in other.stderr
    same = cli(["audit", examples_dir / ALFIE, "--as-of", "2026-06-01", "--previous", no_id, "--format", "json"])
    assert same.exit_code == 1 and json.loads(same.stdout)["previous_audit_date"] == "2026-05-20"


def test_evidence_level_comparison_reports_fixed_and_new_findings(cli, examples_dir, tmp_path, alfie_first):
    """The trial's case: 'failed to' reworded, 'manipulative' added. G10 is no longer 'still open
    with 0 new': the old finding is resolved, the new one is marked new, and the counts say so."""
    text = (examples_dir / ALFIE).read_text("utf-8")
    assert text.count("failed to") == 1
    second = tmp_path / "cpr-v2.json"
    second.write_text(text.replace("failed to", "was manipulative and did not"), "utf-8")
    data = json.loads(cli(["audit", second, "--as-of", "2026-06-01", "--previous", alfie_first, "--format", "json"]).stdout)
    g10 = next(i for i in data["items"] if i["id"] == "G10")
    assert g10["answer"] == "partial" and g10["since_previous"] == "partly_resolved"
    assert [(e["excerpt"], e["since_previous"]) for e in g10["evidence"]] == [("manipulative", "new")]
    assert [r for r in g10["resolved_since_previous"] if r.startswith("'failed to' in ")]
    assert "1 finding resolved, 1 new finding." in g10["comments"]
    # An item whose findings are all still there is still open, its evidence marked so.
    g9 = next(i for i in data["items"] if i["id"] == "G9")
    assert g9["since_previous"] == "still_open" and {e["since_previous"] for e in g9["evidence"]} == {"still_open"}
    from permanence.forms.load import record_from_data
    from permanence.forms.validate import schema_findings

    assert schema_findings(record_from_data(data, "<audit>")) == []
    out = cli(["audit", second, "--as-of", "2026-06-01", "--previous", alfie_first]).stdout
    assert "[partly resolved]" in out and 'New evidence: Birth parents, item 1' in out and "Resolved since the previous audit: 'failed to'" in out
    summary = next(line for line in out.splitlines() if line.startswith("Since the audit of"))
    assert summary.startswith("Since the audit of 20/05/2026: items: 0 resolved, 1 partly resolved, 5 still open, 1 new;")
    assert "findings: 1 resolved," in summary and not summary.endswith(" 0 new.")


def test_g1_on_a_reaudit_lists_amendments_still_outstanding(cli, examples_dir, tmp_path, alfie_first):
    # Nothing changed since the last audit: none of its amendments were made, so G1 is No,
    # even though the report says the previous amendments were completed.
    same = _items(cli(["audit", examples_dir / ALFIE, "--as-of", "2026-06-01", "--previous", alfie_first, "--format", "json"]).stdout)
    assert same["G1"]["answer"] == "no" and same["G1"]["since_previous"] == "new"
    # A count in the comments, and one action line per amendment still outstanding.
    assert "6 items were flagged at the audit of 20/05/2026; all 6 still have findings outstanding" in same["G1"]["comments"]
    outstanding = [a for a in same["G1"]["actions"] if a.startswith("Still outstanding from the audit of 20/05/2026")]
    assert {a.split("(", 1)[1].split(")", 1)[0] for a in outstanding} == {"G5", "G7", "G8", "G9", "G10", "G11"}
    assert any("(G10): Reword 'failed to'" in a for a in outstanding)
    assert "(G" not in same["G1"]["comments"].split("findings outstanding", 1)[0]
    # Some amendments made (G10 reworded): Partial, and G10 is no longer in the list.
    text = (examples_dir / ALFIE).read_text("utf-8").replace("failed to", "did not")
    second = tmp_path / "cpr-v2.json"
    second.write_text(text, "utf-8")
    part = _items(cli(["audit", second, "--as-of", "2026-06-01", "--previous", alfie_first, "--format", "json"]).stdout)
    assert part["G1"]["answer"] == "partial" and "6 items were flagged at the audit of 20/05/2026; 5 of them still have" in part["G1"]["comments"]
    assert not any("(G10)" in a for a in part["G1"]["actions"])
    assert part["G10"]["since_previous"] == "resolved"
    # The outcome follows the new G1 answer (X1 is re-decided).
    assert "(G1)" in part["X1"]["comments"]


def test_first_audit_g1_unaffected_by_the_comparison(cli, examples_dir):
    g1 = _items(cli(["audit", examples_dir / ALFIE, "--as-of", "2026-05-20", "--format", "json"]).stdout)["G1"]
    assert "since_previous" not in g1 and "Amendments asked for" not in g1.get("comments", "")


_ISO = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def test_dates_in_comments_actions_and_text_report_are_uk_format(cli, examples_dir, alfie_first):
    data = json.loads(cli(["audit", examples_dir / ALFIE, "--as-of", "2026-05-20", "--format", "json"]).stdout)
    assert data["header"]["audit_date"] == "2026-05-20"  # the record keeps ISO dates
    g8 = next(i for i in data["items"] if i["id"] == "G8")
    assert "the author's signature is dated in the future (28/09/2026)" in g8["comments"]
    for item in data["items"]:
        for text in [item.get("comments", "")] + item.get("actions", []):
            assert not _ISO.search(text), f"{item['id']}: {text}"
    for folder in ("C1011-isla-morgan", "C1012-oscar-bennett", "C1013-freya-collins", "C1014-archie-doyle"):
        out = cli(["audit", examples_dir / "caseload" / folder / "cpr.json", "--as-of", "2026-11-23"]).stdout
        ours = [line for line in out.splitlines() if "Evidence" not in line and '"' not in line]
        assert not [line for line in ours if _ISO.search(line)], folder


def test_g1_says_so_when_every_earlier_finding_is_gone(examples_dir):
    import datetime as dt

    from permanence.checks.audit import build_audit
    from permanence.checks.wordlists import load_wordlists

    cpr = json.loads((examples_dir / "caseload/C1001-ava-thompson/cpr.json").read_text("utf-8"))
    previous = {"form": "cpr-audit", "header": {"child_name": "Ava Thompson", "audit_date": "2026-05-01"},
                "items": [{"id": "G9", "area": "General", "question": "?", "answer": "partial", "actions": ["Replace 'historical concerns'."],
                           "evidence": [{"pointer": "/birth_parents/0/health", "excerpt": "historical concerns"}]}]}
    audit = build_audit(cpr, as_of=dt.date(2026, 5, 26), wordlists=load_wordlists([]), previous=previous)
    g1, g9 = audit["items"][0], next(i for i in audit["items"] if i["id"] == "G9")
    assert g1["answer"] == "yes" and "The item flagged at the audit of 01/05/2026 is no longer found." in g1["comments"]
    assert g9["since_previous"] == "resolved" and g9["resolved_since_previous"] == ["'historical concerns' in /birth_parents/0/health"]
    assert audit["outcome"] == "adequate"


def test_an_earlier_audit_of_an_unnamed_report_is_not_taken_for_another_child(cli, examples_dir, tmp_path, alfie_first):
    previous = json.loads(alfie_first.read_text("utf-8"))
    for key in ("child_id", "child_date_of_birth"):
        del previous["header"][key]
    previous["header"]["child_name"] = "Not stated"  # what the audit writes for a report without the child's name
    unnamed = tmp_path / "audit-unnamed.json"
    unnamed.write_text(json.dumps(previous), "utf-8")
    result = cli(["audit", examples_dir / ALFIE, "--as-of", "2026-06-01", "--previous", unnamed, "--format", "json"])
    assert result.exit_code == 1 and "previous_audit_date" in json.loads(result.stdout)
