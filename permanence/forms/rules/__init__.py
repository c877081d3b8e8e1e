"""Business rules: what a schema cannot say. A rule is data plus one small function.

    @rule("plan-contingency", severity="error", forms=["ppm-record"],
          source="seed 003 App. 4 'Contingency Plan'",
          summary="A primary plan and at least one contingency plan until permanence is achieved")
    def plan_contingency(data, ctx):
        if ...:
            yield Issue(["contingency_plans"], "Add at least one contingency plan ...")

A rule yields Issues (a path into the record and a message that says what to do); the
runner adds the severity, the field's label and the source (the Issue's own source, such
as the profile entry a timescale came from, else the rule's). Messages are plain sentences
saying what is wrong and what to do, with no citation in them: the source is shown under
-v and in the JSON, written by permanence.citations.cite. An Issue may lower its rule's severity to "warning" (a timescale whose profile entry is only a warning, an
answer left blank rather than wrong); it never raises it. Rules never print, exit or
touch files, and must survive a record with fields missing.
"""
from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
from dataclasses import dataclass, field
from typing import Callable, Iterable

from permanence.calendar import WorkingDayCalendar
from permanence.findings import Severity


@dataclass
class Issue:
    path: list  # JSON path parts: ["contingency_plans", 0, "option"]
    message: str
    excerpt: str | None = None
    severity: str | None = None  # "warning" to lower the rule's severity for this issue
    source: str | None = None  # this finding's own source (a profile entry), more exact than the rule's


@dataclass
class RuleContext:
    profile: "object"  # permanence.forms.profiles.Profile
    as_of: dt.date
    calendar: WorkingDayCalendar = field(default_factory=WorkingDayCalendar)
    record_dir: "object | None" = None  # the folder of the record being checked (a Path), when it is a file


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    forms: tuple[str, ...]
    source: str
    summary: str
    function: Callable[[dict, RuleContext], Iterable[Issue]]
    profiles: tuple[str, ...] | None = None  # None: every profile

    def applies(self, form: str, profile_chain: list[str]) -> bool:
        if form not in self.forms:
            return False
        return self.profiles is None or any(p in self.profiles for p in profile_chain)


RULES: dict[str, Rule] = {}


def rule(rule_id: str, *, severity: str, forms: list[str], source: str, summary: str, profiles: list[str] | None = None):
    """Register a rule. Ids are unique: a second rule with the same id is refused."""

    def register(function):
        if rule_id in RULES:
            raise ValueError(f"duplicate rule id {rule_id!r}")
        RULES[rule_id] = Rule(
            id=rule_id,
            severity=Severity(severity),
            forms=tuple(forms),
            source=source,
            summary=summary,
            function=function,
            profiles=tuple(profiles) if profiles else None,
        )
        function.rule_id = rule_id
        return function

    return register


_loaded = False


def load_all_rules() -> dict[str, Rule]:
    """Import every module in this package once, so their rules register."""
    global _loaded
    if not _loaded:
        for module in pkgutil.iter_modules(__path__):
            importlib.import_module(f"{__name__}.{module.name}")
        _loaded = True
    return RULES
