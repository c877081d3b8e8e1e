"""permanence/checks/text.py: where a finding about an absence points (stand_in, reference),
so that every No/Partial finding carries words of the report an adviser would point at and
`audit --annotate` has somewhere to anchor its comment."""
from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import pytest

from permanence.checks import Evidence
from permanence.checks.audit import build_audit
from permanence.checks.text import AuditContext, reference, stand_in

CPR = {
    "form": "cpr",
    "manager": {"name": "Rosa Penhaligon", "role": "Team Manager"},
    "birth_parents": [{"relationship": "mother", "name": "Tamsin Orr",
                       "support_offered": "Tamsin was given a leaflet about the drop-in. She has not used it.",
                       "history": {"school": "Not known.", "childhood": "Tamsin grew up in Leeds. She was the eldest of four."}}],
    "chronologies": {"child": [{"date": "2025-03-02", "event": "Theo born at the county hospital."}]},
    "adoption_support": {"short_term": "No needs have been identified yet."},
}


def ctx():
    return AuditContext(data=CPR, as_of=dt.date(2026, 1, 5))


def test_a_missing_tick_box_points_at_the_person_it_belongs_to():
    ref = reference(ctx(), Evidence(("manager", "signed")))
    assert ref["pointer"] == "/manager/signed" and ref["excerpt"] == "Rosa Penhaligon" and "start" not in ref


def test_a_missing_field_points_at_the_field_beside_it_on_the_same_subject():
    ref = reference(ctx(), Evidence(("birth_parents", 0, "support_referral_date")))
    assert ref["excerpt"] == "Tamsin was given a leaflet about the drop-in."
    assert reference(ctx(), Evidence(("adoption_support", "long_term")))["excerpt"] == "No needs have been identified yet."


def test_a_part_the_report_holds_points_at_its_first_sentence_with_its_span():
    ref = reference(ctx(), Evidence(("birth_parents", 0, "history")))
    assert ref["pointer"] == "/birth_parents/0/history/school" and ref["excerpt"] == "Not known."
    ref = reference(ctx(), Evidence(("chronologies", "child")))
    assert ref["pointer"] == "/chronologies/child/0/event" and ref["excerpt"] == "Theo born at the county hospital."
    assert (ref["start"], ref["end"]) == (0, len("Theo born at the county hospital."))


def test_nothing_near_an_absent_section_gives_no_invented_place():
    assert stand_in(CPR, ("family_time",)) is None
    assert stand_in(CPR, ("assessments", "sibling")) is None
    assert "excerpt" not in reference(ctx(), Evidence(("assessments", "sibling")))
    # text that is there is quoted as it always was
    assert reference(ctx(), Evidence(("manager", "name")))["excerpt"] == "Rosa Penhaligon"


def test_every_flagged_finding_about_an_absence_now_quotes_the_report():
    audit = build_audit(CPR, as_of=dt.date(2026, 1, 5))
    g3 = next(i for i in audit["items"] if i["id"] == "G3")
    assert g3["answer"] in ("no", "partial")
    assert any(ev.get("excerpt") == "Rosa Penhaligon" for ev in g3["evidence"])


CORPUS = Path("/work/shared/corpus/cpr")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _commented_rows(path: Path) -> dict[str, str]:
    """Item id -> the text of the table row (or paragraph) its first comment is anchored in."""
    document = docx.Document(str(path))
    body = document.element.body
    where = {}
    for el in body.iter(W + "commentRangeStart"):
        node = el.getparent()
        while node is not None and node.tag not in (W + "tr",) and node.getparent() is not body:
            node = node.getparent()
        where[el.get(W + "id")] = "".join(t.text or "" for t in node.iter(W + "t"))
    out: dict[str, str] = {}
    for c in document.comments:
        out.setdefault(c.text.split(" ", 1)[0], where.get(str(c.comment_id), ""))
    return out


@pytest.mark.skipif(not (CORPUS / "D05.docx").exists(), reason="needs the shared CPR corpus")
def test_annotated_corpus_report_has_its_absence_comments_where_an_adviser_points(tmp_path):
    out = tmp_path / "D05-reviewed.docx"
    proc = subprocess.run([sys.executable, "-m", "permanence.cli", "audit", str(CORPUS / "D05.docx"), "--annotate", str(out),
                           "--as-of", "2026-10-19", "--engine", "none"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1, proc.stderr
    rows = _commented_rows(out)
    # G3 (no manager's signature): on the signature block's manager row, not the front sheet
    assert rows["G3"].startswith("Team Manager") and "Early Permanence" not in rows["G3"]
    # G4 (proofread by the author only): on the proofreading statement
    assert "proofread by the author" in rows["G4"]
    # W6 (no referral for independent support): on the support the mother was offered
    assert "duty line" in rows["W6"]


def test_a_sentence_starts_after_a_no_break_space_too():
    from permanence.checks.text import is_sentence_start

    text = "It has worked since 2021.\u00a0Mother will be helped to write. She met her Mother."
    assert is_sentence_start(text, text.index("Mother"))
    assert not is_sentence_start(text, text.rindex("Mother"))


def test_a_line_of_a_table_read_into_a_field_starts_a_sentence():
    """A table's cells read into one field stand on lines of their own: a cell's first word
    is capitalised as a sentence's is, so 'Mother' there is no inconsistent capital (G7)."""
    from permanence.checks.text import is_sentence_start

    text = "With whom\nType\nFacilitated by\nMother and father (separately)\nLetter sent to her Mother"
    assert is_sentence_start(text, text.index("Mother"))
    assert not is_sentence_start(text, text.rindex("Mother"))
    assert not is_sentence_start("seen by her  Mother", len("seen by her  "))


def test_a_person_without_a_name_is_called_by_their_relationship():
    from permanence.checks.text import called

    assert called({"name": "Chloe Ashdown", "relationship": "mother"}) == "Chloe Ashdown"
    assert called({"name": None, "relationship": "father"}) == "the father"
    assert called({}) == "a birth parent"


def test_c1_statutory_visits_calls_and_cards_pad_the_agency_chronology():
    from permanence.checks.chronologies import routine_entry

    for routine in ("Statutory visit to placement. Lily-Mae settled and well.", "Telephone call to foster carer to arrange visit.",
                    "Email to the IRO (Independent Reviewing Officer) with review date", "Birthday card sent to Kayleigh"):
        assert routine_entry(routine), routine
    for key in ("Interim Care Order made.", "Legal gateway meeting agreed to start pre-proceedings; letter before proceedings sent.",
                "Placement with foster carers", "ADM decision"):
        assert not routine_entry(key), key


def test_g7_a_relation_the_report_gives_as_a_name_keeps_its_capital():
    """'Poppy's "Nan"' is what the child calls her grandmother: 'her Nan bakes' is that name,
    and 'her nan' elsewhere is no inconsistency (G7)."""
    import datetime as dt

    from permanence.checks.audit import build_audit
    from permanence.checks.wordlists import load_wordlists

    text = ('Carys Dunmore, maternal grandmother (Poppy\'s "Nan"), lives in Grimsby. Poppy loves the bread her Nan bakes. '
            "Her mother and her father visit her nan on Sundays.")
    cpr = {"form": "cpr", "child": {"first_names": "Poppy", "surname": "Dunmore"}, "assessments": {"viability": [{"name": "Carys Dunmore", "reasons": text}]}}
    g7 = next(i for i in build_audit(cpr, as_of=dt.date(2026, 6, 1), wordlists=load_wordlists())["items"] if i["id"] == "G7")
    assert "capitalised inconsistently" not in g7.get("comments", "")


def test_not_known_at_this_time_is_a_weak_answer():
    from permanence.checks.text import weak_answer

    for text in ("Not known at this time.", "To be confirmed.", "Unknown at present", "TBC", "Not known yet."):
        assert weak_answer(text), text
    assert not weak_answer("Not known: Jess would not name him when asked on 3 May 2026.")


def test_g7_mum_and_dad_as_the_child_calls_them_are_names():
    import datetime as dt

    from permanence.checks.audit import build_audit
    from permanence.checks.wordlists import load_wordlists

    text = "Dad took you to the park on Sundays and Mum sang to you. Your dad works on the docks and your mum loves music."
    cpr = {"form": "cpr", "child": {"first_names": "Kai", "surname": "Robson"}, "wishes_and_feelings": {"child": {"wishes_and_feelings": text}}}
    g7 = next(i for i in build_audit(cpr, as_of=dt.date(2026, 6, 1), wordlists=load_wordlists())["items"] if i["id"] == "G7")
    assert "capitalised inconsistently" not in g7.get("comments", "")
    cpr["wishes_and_feelings"]["child"]["wishes_and_feelings"] = text + " Your Dad phones on Fridays."
    g7 = next(i for i in build_audit(cpr, as_of=dt.date(2026, 6, 1), wordlists=load_wordlists())["items"] if i["id"] == "G7")
    assert "capitalised inconsistently" in g7.get("comments", "")


def test_a_finding_names_the_row_of_a_table_it_points_at():
    from permanence.checks.text import label

    assert label(("chronologies", "agency_actions", 4, "event")).endswith("row 5: What happened")
    assert "item 2" in label(("birth_parents", 1, "health")) and "row 3" in label(("chronologies", "parents", 1, "entries", 2, "event"))


def test_g7_another_persons_name_is_no_misspelt_family_name():
    """'Dr Marek Nowak' is a psychologist, not 'Mark' misspelt; 'Marek' alone beside 'Mark Kowalski' still is."""
    import datetime as dt

    from permanence.checks.audit import build_audit
    from permanence.checks.wordlists import load_wordlists

    def g7(text):
        cpr = {"form": "cpr", "child": {"first_names": "Ruby", "surname": "Kowalski"},
               "birth_parents": [{"relationship": "father", "name": "Mark Kowalski"}],
               "assessments": {"viability": [{"name": "Agnieszka Kowalski", "reasons": text}]}}
        return next(i for i in build_audit(cpr, as_of=dt.date(2026, 6, 1), wordlists=load_wordlists())["items"] if i["id"] == "G7")

    assert "Marek" not in g7("Risk assessment by Dr Marek Nowak, forensic psychologist, in August 2024. Mark came to every session.").get("comments", "")
    assert "'Marek'" in g7("Mark came to every session. Marek said he would move to Leeds.")["comments"]
