"""The DfE's SSDA903 code lists, as data (codes/<list>.json): each code's label as the
DfE guide words it, the collection year the list comes from, and what the code means for
the case record ('case': the nearest choice of the case form, and flags such as
'adoption' or 'temporary'). Labels are what a person reads; codes stay in the record."""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

LISTS = ("legal_status", "placement", "reason_new_episode", "reason_episode_ceased", "review_participation",
         "reason_place_change", "reason_placed_ceased", "previous_permanence", "sex")


@lru_cache(maxsize=None)
def code_list(name: str) -> dict:
    text = resources.files("permanence.ssda903").joinpath("codes", f"{name}.json").read_text("utf-8")
    return json.loads(text)


def by_field() -> dict[str, str]:
    """Return field (LS, PLACE...) -> list name."""
    return {code_list(n)["field"]: n for n in LISTS}


def entry(name: str, code: str | None) -> dict | None:
    if not code:
        return None
    return code_list(name)["codes"].get(code)


def label(name: str, code: str | None) -> str:
    """'C2' -> 'Full care order'; an unknown code is shown as itself, marked."""
    if not code:
        return ""
    found = entry(name, code)
    if found:
        return found["label"]
    return f"{code} (not a code of the {code_list(name)['collection_year']} return)"


def words(name: str, code: str | None) -> str:
    """'Full care order (C2)': the label a person reads, with the code the return holds."""
    found = entry(name, code)
    return f"{found['label']} ({code})" if found else label(name, code)


def unknown(name: str, code: str) -> str:
    lst = code_list(name)
    return (f"{lst['title']} '{code}' is not a code of the {lst['collection_year']} return "
            f"({lst['source']}); it was kept as written but not used")
