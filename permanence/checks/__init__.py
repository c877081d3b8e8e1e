"""The CPR quality-assurance audit: one check per checklist item of seed 003 App. 8.

A check is data plus one small function, registered by a decorator holding its id,
area, question (in our own words) and the guidance it applies:

    @check("G6", area="General", question="Is there a genogram naming every full and half sibling?",
           source="seed 003 App. 8 audit form, General; Sched. 1 Part 3 (family tree)")
    def genogram(ctx):
        ...
        return Result("partial", comments="...", actions=["..."], evidence=[ctx.evidence(path)])

A check returns a Result: an answer (yes / no / partial / review / not_applicable),
comments, actions a social worker can act on, and evidence (places in the report, with
character spans that permanence.checks.text turns into references in one place).
Checks never print, exit or touch files, and must survive a CPR with fields missing; a
crash in one check is reported by the runner as that check's "review" and the run goes on.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from typing import Callable

ANSWERS = ("yes", "no", "partial", "review", "not_applicable")
FLAGGED = ("no", "partial")

# The checklist of seed 003 App. 8, in the order of the audit form (ids are ours; DOMAIN.md).
CHECKLIST_IDS = (
    [f"G{i}" for i in range(1, 14)]
    + [f"C{i}" for i in range(1, 6)]
    + ["H1"]
    + [f"W{i}" for i in range(1, 7)]
    + ["S1", "S2"]
    + [f"F{i}" for i in range(1, 5)]
    + ["R1", "A1", "A2", "X1"]
)

# Modules holding the checks, imported once by load_all_checks().
_MODULES = ("general", "family_tree", "names", "dates", "answers", "language", "services", "chronologies", "people", "siblings", "assessments", "family_time", "outcome")


@dataclass
class Evidence:
    """A place in the report: a path into the CPR and, for narrative, a character span."""

    path: tuple
    start: int | None = None
    end: int | None = None
    excerpt: str | None = None  # only when the words are not simply text[start:end]


@dataclass
class Result:
    answer: str
    comments: str = ""
    actions: list[str] = field(default_factory=list)
    evidence: list[Evidence] = field(default_factory=list)
    privacy: list[str] = field(default_factory=list)  # third-party identifying details (G11)

    def __post_init__(self):
        if self.answer not in ANSWERS:
            raise ValueError(f"unknown answer {self.answer!r}")


@dataclass(frozen=True)
class Check:
    id: str
    area: str
    question: str
    source: str
    function: Callable


CHECKS: dict[str, Check] = {}


def check(check_id: str, *, area: str, question: str, source: str):
    """Register a check. Ids are unique: a second check with the same id is refused."""

    def register(function):
        if check_id in CHECKS:
            raise ValueError(f"duplicate check id {check_id!r}")
        CHECKS[check_id] = Check(check_id, area, question, source, function)
        function.check_id = check_id
        return function

    return register


_loaded = False


def load_all_checks() -> dict[str, Check]:
    """Import the check modules once, so their checks register; in checklist order."""
    global _loaded
    if not _loaded:
        for name in _MODULES:
            importlib.import_module(f"{__name__}.{name}")
        _loaded = True
    order = {cid: i for i, cid in enumerate(CHECKLIST_IDS)}
    return dict(sorted(CHECKS.items(), key=lambda kv: order.get(kv[0], 999)))


def grade(count: int, *, partial_up_to: int = 2) -> str:
    """The usual answer for a count of defects: none yes, a few partial, more no."""
    if count <= 0:
        return "yes"
    return "partial" if count <= partial_up_to else "no"
