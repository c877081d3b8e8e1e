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
