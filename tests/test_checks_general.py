"""permanence/checks/general.py: G3 and G4 point at the sign-off line an adviser would point at."""
from __future__ import annotations

import datetime as dt

from permanence.checks.audit import build_audit

SIGN_OFF = ("Written by: Owen Trask, Social Worker. Signed: O. Trask. Date: 2 March 2026.\n"
            "Team Manager: Priti Kaur. Signed: Date:\n"
            "Proofread by Owen Trask, 2 March 2026.")


def item(cpr, cid):
    return next(i for i in build_audit(cpr, as_of=dt.date(2026, 3, 9))["items"] if i["id"] == cid)


def cpr():
    return {"form": "cpr", "report": {"report_date": "2026-03-02", "sign_off_notes": SIGN_OFF},
            "author": {"name": "Owen Trask", "signed": True, "signed_date": "2026-03-02", "proofread": True},
            "manager": {"name": "Priti Kaur", "signed": True}}


def test_an_undated_manager_signature_points_at_the_managers_sign_off_line():
    g3 = item(cpr(), "G3")
    assert g3["answer"] == "partial" and g3["evidence"][0]["excerpt"] == "Team Manager: Priti Kaur. Signed: Date:"
    assert g3["evidence"][1]["pointer"] == "/manager/signed_date"  # and the missing date itself


def test_proofreading_by_the_author_only_points_at_the_proofreading_line():
    g4 = item(cpr(), "G4")
    assert g4["answer"] in ("partial", "no")
    assert "Proofread by Owen Trask, 2 March 2026." in [e.get("excerpt") for e in g4["evidence"]]


def test_without_sign_off_lines_the_missing_signature_still_names_its_field():
    data = cpr()
    del data["report"]["sign_off_notes"]
    data["manager"].pop("signed")
    g3 = item(data, "G3")
    assert g3["answer"] == "partial" and g3["evidence"][0]["pointer"] == "/manager/signed" and g3["evidence"][0]["excerpt"] == "Priti Kaur"


def test_a_statement_that_the_author_proofread_it_stands_over_a_managers_tick():
    data = cpr()
    data["report"]["sign_off_notes"] = "This report has been proofread by the author on 2 March 2026."
    data["manager"].update({"signed": True, "signed_date": "2026-03-03", "proofread": True})
    g4 = item(data, "G4")
    assert g4["answer"] == "partial" and "manager" in g4["comments"]
    data["report"]["sign_off_notes"] = "Proofread by Priti Kaur, Team Manager, 3 March 2026."
    assert "Not recorded as proofread" not in item(data, "G4")["comments"]


def test_g1_an_update_added_at_the_end_of_a_section_is_not_a_rewrite():
    record = cpr()
    record["family_time"] = {"current_summary": "Mum sees the children weekly at the centre.\n"
                             "Update 1st July 2025: Since the Placement Orders were made, family time has reduced to once a fortnight."}
    g1 = item(record, "G1")
    assert g1["answer"] == "partial" and "instead of the section being rewritten" in g1["comments"]
    assert g1["evidence"][0]["excerpt"] == "Update 1st July 2025:"
    record["family_time"]["current_summary"] = "Since the Placement Orders were made, family time has reduced to once a fortnight."
    assert item(record, "G1")["answer"] == "yes"


def test_g2_a_supervisors_qualification_told_in_the_narrative_counts():
    record = cpr()
    record["author"]["qualifications"] = "I qualified in September 2023, so I do not yet have three years' post-qualifying experience."
    record["supervisor"] = {"name": "Angela Firth", "role": "Senior Practitioner", "signed": True}
    record["report"]["purpose_description"] = ("I have written this report under the supervision of Angela Firth, Senior Practitioner, "
                                               "who qualified in 2009 and has worked in adoption since 2014.")
    assert item(record, "G2")["answer"] == "yes"
    record["report"]["purpose_description"] = "I have written this report under the supervision of Angela Firth."
    assert item(record, "G2")["answer"] == "no"
