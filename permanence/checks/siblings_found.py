"""Brothers and sisters the report names outside its sibling section (S2): in the genogram,
a parent's entry or chronology, or the narrative ("Liam has a son, Kayden", "Amira Adeyemi
– paternal half-sister", "her half-brother Kayden"), with no entry of their own.

Source: seed 003 App. 8 General guidance 'Include all siblings' (full and half, wherever
they live); Adoption Agencies Regulations 2005 Sch. 1 Part 1 (the child's siblings).
"""
from __future__ import annotations

import re

from permanence.checks.names import names_match
from permanence.checks.text import as_list, get

NAME = r"[A-Z][a-z'’]+(?:-[A-Z][a-z'’]+)?(?:\s+[A-Z][a-z'’]+(?:-[A-Z][a-z'’]+)?)?"
REL = r"(?:(?:maternal|paternal|older|younger|full|big|little)\s+)?(?:half[- ])?(?:brother|sister|sibling)"


def _patterns(child: str) -> list[re.Pattern]:
    """Each pattern captures a brother's or sister's name; whose sibling is said (the child's,
    by name or as 'the child'), so a parent's brother or sister is not taken for the child's."""
    owner = rf"(?:the child's|{re.escape(child)}['’]s)" if child else r"(?:the child's)"
    subject = rf"(?:the child|{re.escape(child)})" if child else r"(?:the child)"
    return [
        re.compile(rf"\b{owner}\s+{REL},?\s+(?P<name>{NAME})"),                                    # "Lily-Mae's half-brother, Kayden"
        re.compile(rf"\b{subject}\s+(?:has|had)\s+(?:one|a|an|another)\s+{REL},?\s+(?P<name>{NAME})"),  # "Leo has one brother, Mason"
        re.compile(rf"\b(?P<name>{NAME}),\s+born\b[^.;]{{0,40}},\s+is\s+(?:his|her|{owner})\s+{REL}"),  # "Mason Bennett, born ..., is his half-brother"
    ]


# In the genogram: "Amira Adeyemi – paternal half-sister – born 2021", "shows Kai, his half-sister Skye" (relationships
# there are the child's).
GENOGRAM_LINE = [re.compile(rf"^\s*(?P<name>{NAME})\s*(?:–|—|-|,|\(|:)\s*{REL}\b", re.M),
                 re.compile(rf"\b(?:his|her|their)\s+{REL},?\s+(?P<name>{NAME})")]
# In a parent's own chronology, another child's birth ("Skye was born (birth record)").
BORN_IN_PARENT_CHRONOLOGY = re.compile(rf"^\s*(?P<name>{NAME})\s+(?:was|is)\s+born\b")
# A parent's other child, told in the parent's entry or chronology: the child's half-brother or sister.
PARENTS_CHILD = [
    re.compile(rf"\b(?:has|had)\s+(?:a|one|another|an older|a younger)\s+(?:son|daughter),?\s+(?P<name>{NAME})"),
    re.compile(rf"\b(?:his|her|[Ss]on|[Dd]aughter)\s+(?:son\s+|daughter\s+)?(?P<name>{NAME})\s+(?:is\s+|was\s+)?born\b"),
    re.compile(rf"\b(?:[Bb]irth of|[Bb]orn:?)\s+(?:his|her)\s+(?:son|daughter),?\s+(?P<name>{NAME})"),
]
NOT_A_NAME = {"The", "She", "He", "They", "His", "Her", "Their", "Who", "Born", "Mother", "Father", "Mum", "Dad", "Nan", "Baby"}


def _parent_field(path: tuple) -> bool:
    return path[:1] == ("birth_parents",) or path[:2] == ("chronologies", "parents") or path[:1] == ("genogram",)


def siblings_named_elsewhere(ctx) -> list[tuple[str, object]]:
    """(name, evidence) for each brother or sister named outside the sibling section and
    not in it, first place only."""
    listed = [str(get(s, "name") or "") for s in as_list(ctx.data.get("siblings"))]
    known = listed + [str(get(p, "name") or "") for p in as_list(ctx.data.get("birth_parents"))]
    child = " ".join(str(get(ctx.data, "child", k) or "") for k in ("known_as", "first_names", "surname", "full_name"))
    first_name = next((w for w in child.split() if w), "")
    found: dict[str, object] = {}
    # the sibling section's own text, read into entries or not: a brother or sister it tells of is there
    section = " ".join(f.text for f in ctx.fields if tuple(f.path)[:1] in (("siblings",), ("siblings_summary",)))
    fields = [(tuple(f.path), f.text) for f in ctx.fields if tuple(f.path)[:1] not in (("siblings",), ("siblings_summary",))]
    fields += [(("genogram", "people", i), p) for i, p in enumerate(as_list(get(ctx.data, "genogram", "people"))) if isinstance(p, str)]
    for path, text in fields:
        patterns = _patterns(first_name) + (PARENTS_CHILD if _parent_field(path) else []) + (GENOGRAM_LINE if path[:1] == ("genogram",) else []) \
            + ([BORN_IN_PARENT_CHRONOLOGY] if path[:2] == ("chronologies", "parents") else [])
        for pattern in patterns:
            for m in pattern.finditer(text):
                name = m.group("name").strip()
                first = name.split()[0]
                if first in NOT_A_NAME or first in child.split() or name in found:
                    continue
                if any(names_match(name, k) or (k and first == k.split()[0]) for k in known if k) or re.search(rf"\b{re.escape(first)}\b", section):
                    continue
                found[name] = ctx.evidence(path, m.start("name"), m.end("name"))
    # "Kayden" and "Kayden Probert" are one person
    return [(n, e) for n, e in found.items() if not any(o != n and o.startswith(n + " ") for o in found)]
