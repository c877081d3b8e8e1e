"""Sources as a person reads them: the procedure by its own authority and title.

Rules, checks and profiles cite a local procedure as "seed 003 s.8.1", our shorthand for
a file of ../shared/seeds. Nothing a user reads (messages, Word documents, the web page,
`-v` sources, JSON sources) shows that shorthand: cite() writes it as "Warrington,
Securing Permanence (2019, reviewed 2023) s.8.1". The titles are data
(forms/procedures.json).
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources

# "seed 003", "seeds 003", optionally followed by a bracket that only restates which
# document it is ("seed 003 (Warrington: Securing Permanence, 2019 ...)").
_SEED = re.compile(r"\bseeds? (\d{3})\b(?:\s*\(([^()]*)\))?")


@lru_cache(maxsize=1)
def procedures() -> dict[str, dict]:
    text = resources.files("permanence.forms").joinpath("procedures.json").read_text("utf-8")
    return json.loads(text)["procedures"]


def procedure_title(number: str) -> str:
    """'003' -> 'Warrington, Securing Permanence (2019, reviewed 2023)'."""
    entry = procedures().get(number)
    if entry is None:
        return "the local procedure"
    return f"{entry['authority']}, {entry['title']}"


def _replace(match: re.Match) -> str:
    number, bracket = match.group(1), match.group(2)
    title = procedure_title(number)
    entry = procedures().get(number, {})
    if bracket is None:
        return title
    # A bracket naming the document again is dropped; any other bracket is kept.
    if entry and entry["authority"].split()[0].lower() in bracket.lower():
        return title
    return f"{title} ({bracket})"


def cite(source: str | None) -> str:
    """The source with every 'seed NNN' written as the procedure's own title."""
    if not source:
        return ""
    return _SEED.sub(_replace, source)
