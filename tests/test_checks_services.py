"""permanence/checks/services.py (G12): a service whose name or use says what it is needs no description."""
from __future__ import annotations

import datetime as dt

from permanence.checks.audit import build_audit
from permanence.checks.wordlists import load_wordlists


def g12(*texts: str) -> dict:
    cpr = {"form": "cpr", "birth_parents": [{"relationship": "mother", "name": "Ruth Amble",
                                             "support_offered": texts[0], "health": texts[1] if len(texts) > 1 else ""}]}
    return next(i for i in build_audit(cpr, as_of=dt.date(2026, 5, 1), wordlists=load_wordlists([]))["items"] if i["id"] == "G12")


def test_a_regional_adoption_agency_named_adopt_region_says_what_it_is():
    assert g12("Ruth has support from Adopt Fenland Coast for the first year.")["answer"] == "yes"


def test_a_service_named_before_a_noun_saying_what_it_is_is_described():
    item = g12("Ruth has support from Lanterns for the first year.", "Letters will go through the Lanterns letterbox service.")
    assert item["answer"] == "yes", item["comments"]


def test_a_service_never_said_what_it_is_is_still_found():
    item = g12("Ruth was seeing a worker from Lanterns during the pregnancy.", "She stopped going to Lanterns in May.")
    assert item["answer"] == "partial" and "Lanterns" in item["comments"]


def test_g12_a_programme_named_only_as_a_programme_says_not_what_it_is():
    import datetime as dt

    from permanence.checks.audit import build_audit

    def g12(text):
        cpr = {"form": "cpr", "child": {"first_names": "Lana", "surname": "Booth"}, "birth_parents": [{"relationship": "father", "name": "Rebaz Karimi", "summary": text}]}
        return next(i for i in build_audit(cpr, as_of=dt.date(2026, 6, 1))["items"] if i["id"] == "G12")

    assert "Phoenix" in g12("Dad completed the Phoenix programme in January 2025.")["comments"]
    assert g12("Dad completed the Phoenix domestic abuse programme in January 2025.")["answer"] == "yes"
