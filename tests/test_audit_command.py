"""`permanence audit` end to end: text report, JSON that validates as a cpr-audit record,
Word output, re-audit against a previous audit, exit codes, and plain errors."""
from __future__ import annotations

import json

from permanence.forms.load import record_from_data
from permanence.forms.validate import make_context, validate_record

AVA = "caseload/C1001-ava-thompson/cpr.json"
OSCAR = "caseload/C1012-oscar-bennett/cpr.json"
FREYA = "caseload/C1013-freya-collins/cpr.json"


def test_text_report_grouped_by_area_with_verdict(cli, examples_dir):
    result = cli(["audit", examples_dir / FREYA, "--as-of", "2026-05-20"])
    assert result.exit_code == 1
    out = result.stdout
    for area in ("GENERAL", "CHRONOLOGIES", "CHILD'S HEALTH", "WISHES AND FEELINGS", "SIBLINGS", "FAMILY TIME", "OTHER RELATIVES", "OTHER ASSESSMENTS", "GENERAL COMMENTS"):
        assert f"\n{area}\n" in out
    assert "G7  No" in out and "'Kirstie'" in out
    assert "PRIVACY: 2 identifying details" in out
    assert out.rstrip().splitlines()[-1].startswith("Outcome: Requires improvement")
    assert "proofreading: hunspell en-GB" in out.splitlines()[0]


def test_exemplary_report_exits_0(cli, examples_dir):
    result = cli(["audit", examples_dir / AVA, "--as-of", "2026-05-26"])
    assert result.exit_code == 0, result.stdout
    header = json.loads(cli(["audit", examples_dir / AVA, "--as-of", "2026-05-26", "--format", "json", "--auditor", "Jo Bright",
                             "--auditor-title", "Adoption panel adviser"]).stdout)["header"]
    assert (header["auditor"], header["auditor_title"], header["stage"]) == ("Jo Bright", "Adoption panel adviser", "before_matching")
    assert "Outcome: Adequate for SHOBPA / matching" in result.stdout


def test_json_is_a_valid_cpr_audit_record(cli, examples_dir):
    result = cli(["audit", examples_dir / OSCAR, "--as-of", "2026-08-07", "--format", "json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    record = record_from_data(data, "<audit>")
    findings = validate_record(record, make_context("warrington", __import__("datetime").date(2026, 11, 23)))
    assert [f for f in findings if f.severity.value == "error"] == []
    assert data["outcome"] == "requires_significant_improvement"
    assert data["proofreading"]["engine"] == "hunspell en-GB"
    assert any("telephone" in p or "phone number" in p for p in data["privacy"])
    g2 = next(i for i in data["items"] if i["id"] == "G2")
    assert g2["answer"] == "no" and g2["actions"] and "2005" in g2["source"]


def test_language_checks_only(cli, examples_dir):
    result = cli(["audit", examples_dir / FREYA, "--as-of", "2026-05-20", "--engine", "none", "--format", "json"])
    data = json.loads(result.stdout)
    assert data["proofreading"]["engine"] == "none"
    assert next(i for i in data["items"] if i["id"] == "G4")["answer"] == "review"


def test_reaudit_marks_resolved_still_open_and_new(cli, examples_dir, tmp_path):
    first = tmp_path / "before-shobpa.json"
    result = cli(["audit", examples_dir / FREYA, "--as-of", "2026-05-20", "--output", first])
    assert result.exit_code == 1 and first.is_file()
    cpr = json.loads((examples_dir / FREYA).read_text("utf-8"))
    cpr["birth_parents"][0]["history"]["childhood"] = "Kirsty grew up in Warrington with her parents and two sisters."  # G7 name fixed
    cpr["siblings"][0]["lives_with"] = "His adoptive parents"                                                          # G11 privacy fixed
    cpr["wishes_and_feelings"]["report_shared_with_parents"] = False                                                 # W5 now wrong
    cpr["development"]["relationships"] = cpr["development"]["relationships"].replace("Mother", "mother")
    second = tmp_path / "cpr-v2.json"
    second.write_text(json.dumps(cpr), "utf-8")
    result = cli(["audit", second, "--as-of", "2026-06-01", "--previous", first, "--format", "json"])
    data = json.loads(result.stdout)
    since = {i["id"]: i["since_previous"] for i in data["items"]}
    assert since["G7"] == "resolved" and since["S2"] == "still_open" and since["W5"] == "new"
    # G11: the carers' postcode and surname are gone, the unmarked hearsay is still there.
    assert since["G11"] == "partly_resolved"
    # G1 (amendments of the last audit made?) is now Partial: G5, G6, G9, G11 and S2 were not done.
    g1 = next(i for i in data["items"] if i["id"] == "G1")
    assert g1["answer"] == "partial" and since["G1"] == "new" and "5 of them still have findings outstanding" in g1["comments"]
    still = {a.split("(", 1)[1].split(")", 1)[0] for a in g1["actions"] if a.startswith("Still outstanding from the audit of 20/05/2026")}
    assert still == {"G5", "G6", "G9", "G11", "S2"}
    assert data["previous_audit_date"] == "2026-05-20"
    text = cli(["audit", second, "--as-of", "2026-06-01", "--previous", first]).stdout
    assert "G7  Partial" not in text and "[resolved]" in text and "Since the audit of 20/05/2026: items: 1 resolved, 1 partly resolved" in text


def test_word_output(cli, examples_dir, tmp_path):
    out = tmp_path / "audit.docx"
    result = cli(["audit", examples_dir / FREYA, "--as-of", "2026-05-20", "--output", out])
    assert result.exit_code == 1
    from permanence.templates.extract import extract_record

    back = extract_record(out).data
    assert back["outcome"] == "requires_improvement"
    assert {i["id"]: i["answer"] for i in back["items"]}["G7"] == "no"
    again = cli(["audit", examples_dir / FREYA, "--as-of", "2026-05-20", "--output", out])
    assert again.exit_code == 2 and "already exists" in again.stderr


def test_folder_audits_only_cprs(cli, examples_dir):
    result = cli(["audit", examples_dir / "caseload", "--as-of", "2026-11-23", "--format", "json"])
    data = json.loads(result.stdout)
    assert isinstance(data, list) and len(data) == 6 and all(d["form"] == "cpr-audit" for d in data)
    assert result.exit_code == 1


def test_could_not_run_is_exit_2_without_traceback(cli, examples_dir, tmp_path):
    missing = cli(["audit", tmp_path / "nope.json"])
    assert missing.exit_code == 2 and "no such file" in missing.stderr and "Traceback" not in missing.stderr
    case = cli(["audit", examples_dir / "caseload/C1001-ava-thompson/case.json"])
    assert case.exit_code == 2 and "Child's Permanence Reports" in case.stderr
    bad = tmp_path / "cpr.json"
    bad.write_text("{not json", "utf-8")
    broken = cli(["audit", bad])
    assert broken.exit_code == 2 and "not valid JSON" in broken.stderr
    prev = cli(["audit", examples_dir / AVA, "--previous", examples_dir / AVA])
    assert prev.exit_code == 2 and "cpr-audit" in prev.stderr
    ext = cli(["audit", examples_dir / AVA, "--output", tmp_path / "audit.pdf"])
    assert ext.exit_code == 2 and ".docx" in ext.stderr


def test_audits_a_filled_word_cpr_like_its_json(cli, examples_dir, tmp_path):
    from permanence.forms.load import Record
    from permanence.templates.render import render_record

    data = json.loads((examples_dir / FREYA).read_text("utf-8"))
    docx = tmp_path / "cpr.docx"
    render_record(Record(form="cpr", data=data), docx, draft=True)  # draft: the example's photographs are not bundled
    from_word = json.loads(cli(["audit", docx, "--as-of", "2026-05-20", "--format", "json"]).stdout)
    from_json = json.loads(cli(["audit", examples_dir / FREYA, "--as-of", "2026-05-20", "--format", "json"]).stdout)
    assert [(i["id"], i["answer"]) for i in from_word["items"]] == [(i["id"], i["answer"]) for i in from_json["items"]]
    g7 = next(i for i in from_word["items"] if i["id"] == "G7")
    assert g7["evidence"][0]["pointer"] == "/birth_parents/0/history/childhood" and g7["evidence"][0]["excerpt"] == "Kirstie"
