"""Checks of permanence/checks/people.py, on text written for these tests: W2 (the social
worker's view for a young child), W6 (birth-parent support); siblings are in test_checks_siblings.py."""
from __future__ import annotations

import datetime as dt

from permanence.checks.audit import build_audit


def item(cpr: dict, cid: str) -> dict:
    cpr = {"form": "cpr", **cpr}
    return next(i for i in build_audit(cpr, as_of=dt.date(2026, 6, 1))["items"] if i["id"] == cid)


YOUNG = {"report": {"report_date": "2026-06-01"}, "child": {"first_names": "Rosie", "surname": "Tarrant", "date_of_birth": "2024-09-01"}}


def test_w2_the_social_workers_view_in_the_third_person_is_a_view_on_the_childs_behalf():
    text = ("Rosie is too young to say what she wants. Dana has visited her every month at her carers' home. "
            "In Dana's view, Rosie would want to stay with people who know her routines and comfort her quickly.")
    assert item({**YOUNG, "wishes_and_feelings": {"child": {"wishes_and_feelings": text}}}, "W2")["answer"] == "yes"
    text = "Rosie is too young to say what she wants. Dana has visited her every month at her carers' home and she is settled there now."
    assert item({**YOUNG, "wishes_and_feelings": {"child": {"wishes_and_feelings": text}}}, "W2")["answer"] == "partial"


def test_w6_a_parent_the_report_does_not_name_is_called_by_relationship():
    told = ("The social worker met him twice at the office in March and April and talked through the plan with him. "
            "He said he understood why adoption is the plan and that he would not oppose it. He has not been referred anywhere.")
    cpr = {"birth_parents": [{"relationship": "father", "support_offered": "He knows he can call me if he needs to.",
                              "wishes": {"work_done": told}}]}
    w6 = item(cpr, "W6")
    assert w6["answer"] in ("partial", "no") and "for the father" in w6["comments"] and "None" not in w6["comments"]


def test_w1_visits_and_direct_work_told_with_the_childs_wishes_count_and_a_lead_in_is_not_direct_work():
    told = {**YOUNG, "wishes_and_feelings": {"child": {"wishes_and_feelings":
            "Rosie cannot yet say what she wants. I have visited her every four weeks and have done direct work with her on six "
            "occasions using a picture book about her story."}}}
    assert item(told, "W1")["answer"] == "yes"
    visits = {**YOUNG, "child": {**YOUNG["child"], "date_of_birth": "2022-06-30"}, "wishes_and_feelings": {"child": {"wishes_and_feelings":
              "Direct work with Rosie: I have visited Rosie every six weeks for her statutory visits and spoken with her carers. "
              "In my view she needs a family who will help her understand her story."}}}
    assert item(visits, "W1")["answer"] == "partial"


def test_w3_meetings_told_with_a_parents_wishes_are_work_with_the_parent():
    cpr = {**YOUNG, "birth_parents": [{"relationship": "mother", "name": "April Dunmore", "wishes": {"wishes_and_feelings":
           "I have met April every month since September 2025 to explain the plan. She does not agree with adoption."}}]}
    assert item(cpr, "W3")["answer"] == "yes"
    cpr["birth_parents"][0]["wishes"]["wishes_and_feelings"] = "April does not agree with adoption."
    assert item(cpr, "W3")["answer"] == "no"


def test_f4_a_plan_relying_on_reliable_attendance_the_report_contradicts_is_not_realistic():
    cpr = {**YOUNG, "birth_parents": [{"relationship": "mother", "name": "Kirsty Marsh"}],
           "family_time": {"current_summary": "Kirsty Marsh (mother): 9 of 32 sessions attended; 23 cancelled by Ms Marsh.",
                           "proposed_summary": "After adoption: as Ms Marsh has attended family time reliably, it is proposed that she has "
                                               "direct contact with Rosie twice a year, supervised by the adoption agency."}}
    result = item(cpr, "F4")
    assert result["answer"] == "partial"
    assert "relies on Kirsty Marsh attending reliably, but the report records 9 of 32 sessions attended" in result["comments"]
    assert {e["pointer"] for e in result["evidence"]} == {"/family_time/proposed_summary", "/family_time/current_summary"}
    cpr["family_time"]["current_summary"] = "Kirsty Marsh (mother): 30 of 32 sessions attended."
    assert item(cpr, "F4")["answer"] != "partial"


def test_w5_is_judged_for_each_parent():
    """Shown to the mother, nothing said of the father: partial, naming him; what the report
    says in a parent's own entry ('Report shared: I went through the report with Liam') counts."""
    cpr = {**YOUNG, "birth_parents": [
        {"relationship": "mother", "name": "Chantelle Bevan", "report_sharing": {"shared": True, "how": "I went through this report with Chantelle on 13 June 2025."}},
        {"relationship": "father", "name": "Liam Probert", "summary": "Liam works long hours on building sites."}],
        "wishes_and_feelings": {"report_shared_with_parents": True, "report_shared_date": "2025-06-13"}}
    result = item(cpr, "W5")
    assert result["answer"] == "partial"
    assert "Nothing on whether the report was shown to Liam Probert" in result["comments"]
    cpr["birth_parents"][1]["wishes"] = {"work_done": "Work with Liam: I have met Liam monthly. Report shared: I went through the report with him on 2 June 2025."}
    assert item(cpr, "W5")["answer"] == "yes"
    cpr["birth_parents"][1]["wishes"] = {"work_done": "The report has not been shared with Mr Probert."}
    assert "not shown to Liam Probert and no reason is given" in item(cpr, "W5")["comments"]


def test_g1_an_action_marked_done_whose_part_still_says_only_na_is_not_done():
    cpr = {**YOUNG, "report": {**YOUNG["report"], "previous_audit": {"summary":
           "Action 1: add dates to the photographs – done.\nAction 2: complete the adoption support section – done."}},
           "adoption_support": {"short_term": "N/A", "long_term": "N/A"}}
    result = item(cpr, "G1")
    assert result["answer"] in ("partial", "no")
    assert "the last audit's action 'complete the adoption support section' is recorded as done, but the report still answers it only 'N/A'" in result["comments"]
    assert any(e["pointer"].startswith("/adoption_support/") for e in result["evidence"])
    cpr["adoption_support"] = {"short_term": "Help with the move from her foster carers, who will visit twice.",
                               "long_term": "Life story work and a later life letter; therapeutic parenting training for the adopters."}
    assert "adoption support section" not in item(cpr, "G1").get("comments", "")


def test_f4_direct_family_time_proposed_with_a_parent_who_came_to_few_sessions_needs_its_reasons():
    cpr = {**YOUNG, "birth_parents": [{"relationship": "father", "name": "Connor Walsh"}],
           "family_time": {"current_summary": "Connor (father): once a week, 90 minutes. Connor attended 3 of 18 sessions.",
                           "proposed_summary": "Direct family time with Connor twice a year after adoption, supervised by the adoption support team."}}
    result = item(cpr, "F4")
    assert result["answer"] == "partial"
    assert "proposes direct family time with Connor Walsh, who came to 3 of 18 sessions" in result["comments"]
    cpr["family_time"]["proposed_summary"] = ("Direct family time with Connor twice a year after adoption, only if he attends the "
                                              "next three sessions, supervised by the adoption support team.")
    assert "3 of 18" not in item(cpr, "F4").get("comments", "")


def test_w6_a_service_the_report_explains_as_independent_counts_by_its_name():
    """'PAC-UK (an independent charity that supports birth parents ...)' explained once; 'told Dean
    about PAC-UK and how to refer himself' is independent support offered."""
    cpr = {**YOUNG, "birth_parents": [
        {"relationship": "mother", "name": "Kayleigh Stone", "support_offered": "On 4 March 2025 I offered Kayleigh a referral to PAC-UK "
         "(an independent charity that supports birth parents whose children may be adopted). She has not yet taken this up."},
        {"relationship": "father", "name": "Dean Mercer", "support_offered": "A letter to his last known address on 2 April 2025 told Dean "
         "about PAC-UK and how to refer himself. No response has been received."}]}
    assert item(cpr, "W6")["answer"] == "yes"
    cpr["birth_parents"][1]["support_offered"] = "A letter on 2 April 2025 told Dean about the Family Hub. No response has been received."
    assert "Dean Mercer" in item(cpr, "W6")["comments"]


def test_w1_from_two_and_a_half_play_at_visits_is_not_work_about_the_plan():
    """A child of 2 years 9 months: 'we have played together' at statutory visits is not direct work
    about the plan; play about moving to a new family is. Younger, or with no words yet, play counts."""
    def w1(dob, text):
        cpr = {**YOUNG, "child": {**YOUNG["child"], "date_of_birth": dob}, "wishes_and_feelings": {"child": {"wishes_and_feelings": text}}}
        return item(cpr, "W1")

    visits = "You are too young to tell us what you think. I have seen you at every statutory visit (every six weeks) and we have played together each time."
    found = w1("2023-09-01", visits)
    assert found["answer"] == "partial" and found["evidence"][0]["excerpt"].startswith("I have seen you at every statutory visit")
    assert w1("2023-09-01", visits + " I visited you every month and we played with a small-world family about moving to a new family.")["answer"] == "yes"
    assert w1("2024-02-01", visits)["answer"] == "yes"  # 2 years 4 months: play is the work
    assert w1("2023-09-01", "Rosie is non-verbal. " + visits)["answer"] == "yes"


def test_w5_a_parent_asking_to_have_the_report_read_to_him_is_not_the_report_shared():
    cpr = {**YOUNG, "birth_parents": [
        {"relationship": "mother", "name": "Chloe Marchant", "report_sharing": {"shared": True, "how": "Chloe read the report with me on 5 September 2024."}},
        {"relationship": "father", "name": "Nelson Loveridge", "report_sharing": {"shared": False, "how": "Date shared: Not shared"},
         "summary": "Nelson says he does not read well, and asked me to read letters and this report to him."}]}
    w5 = item(cpr, "W5")
    assert w5["answer"] == "partial" and "Nelson Loveridge" in w5["comments"]
