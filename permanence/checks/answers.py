"""Every question answered (G13), N/A with a reason where a question does not apply."""
from __future__ import annotations

import re

from permanence.checks import Result, check, grade
from permanence.checks.text import answered, as_dict, as_list, bare_na, get, iter_strings, parse_date, pointer, weak_answer

SRC = "seed 003 App. 8 audit form, General"


# ---------------------------------------------------------------------------------- G13
CHILD_QUESTIONS = ["place_of_birth", "nationality", "ethnicity", "culture_and_language", "religion", "identity_analysis",
                   "physical_description", "personality", "interests", "current_carers_account"]
PARENT_QUESTIONS = ["date_of_birth", "nationality", "ethnicity", "religion", "physical_description", "personality", "health",
                    "relationship_status", "parenting_capacity", "other_children"]
OTHER_QUESTIONS = [("health", "summary"), ("health", "birth_history"), ("health", "future_needs"), ("education", "setting"),
                   ("development", "emotional_and_behavioural"), ("development", "relationships"), ("development", "needs"),
                   ("family_time", "reduction_plan"), ("family_time", "post_adoption_plan"), ("agency_decision", "recommendation"),
                   ("adoption_support", "short_term"), ("adoption_support", "long_term")]


# Words that give the reason for a weak answer, or the efforts made ("Not known: Jess would not name him").
_REASON_RE = re.compile(r"\b(?:because|as a result|asked|tried|attempt\w*|enquir\w*|search\w*|contacted|wrote|written to|letters?|texts?|"
                        r"would not|will not|does not know|did not know|declined|refused|not been identified|has not named|"
                        r"has not (?:shared|replied|responded|engaged|given)|no contact|no information|not possible|could not be|efforts?)\b", re.I)


# A sentence about finding something out: where a reason word ('asked', 'letter') in another
# field of the same person counts as the effort behind a 'Not known' (not 'asked for the report').
_ABOUT_KNOWING = re.compile(r"\b(?:know\w*|name[sd]?|naming|identif\w*|information|details|whereabouts|trac(?:e|ed|ing)|find|found|"
                            r"locat\w+|who (?:he|she|they) (?:is|are|was))\b", re.I)
# The fields beside an answer that give the reason for it ("None" here, the reason there).
_REASON_FIELDS = {"efforts_to_identify", "reason", "reasons", "reason_none", "notes", "summary", "why_not_known"}


def weak_answers(ctx) -> list[tuple]:
    """Paths of answers such as 'Not known.' or 'To be confirmed' given with no reason or effort,
    neither in the answer nor in the other fields of the same part (a parent, a sibling)."""
    out = []
    for path, value in iter_strings(ctx.data):
        if not path or path[0] in ("unplaced", "form", "version") or not isinstance(path[-1], str):
            continue
        if not weak_answer(value, path[-1]):
            continue
        owner = path[:2] if isinstance(path[1:2] and path[1], int) else path[:1]
        if "report_sharing" in path or "support" in path[-1:]:
            owner = path[:-1]  # whether the report was shown, the support offered: the reason is given there or not at all
        if owner[0] in ("birth_parents", "siblings", "other_relatives") and any(
                _REASON_RE.search(sentence) and (p[-1] in _REASON_FIELDS or _ABOUT_KNOWING.search(sentence))
                for p, v in iter_strings(get(ctx.data, *owner)) if not weak_answer(v) for sentence in re.split(r"(?<=[.!?])\s+|\n", v)):
            continue  # the reason or effort is given beside it, in a sentence about finding out
        out.append(path)
    return out


def _exempt_sections(ctx) -> set[str]:
    out = set()
    for entry in as_list(get(ctx.data, "report", "not_applicable")):
        if answered(get(entry, "reason")) and isinstance(get(entry, "section"), str):
            out.add(re.sub(r"[\s-]+", "_", entry["section"].strip().lower()))
    return out


@check("G13", area="General", question="Is every question answered, with N/A and a reason where a question does not apply?",
       source=f"{SRC} (last General question); App. 8 General guidance 'If a section is not relevant, state N/A, with reasons'")
def all_answered(ctx):
    exempt = _exempt_sections(ctx)
    questions = [("child", q) for q in CHILD_QUESTIONS] + OTHER_QUESTIONS
    for i, p in enumerate(as_list(ctx.data.get("birth_parents"))):
        p = as_dict(p)
        if p.get("identified") is False or "not known" in str(p.get("name", "")).lower():
            questions.append(("birth_parents", i, "efforts_to_identify"))
        else:
            questions += [("birth_parents", i, q) for q in PARENT_QUESTIONS]
    for i, _ in enumerate(as_list(ctx.data.get("options_analysis"))):
        questions += [("options_analysis", i, "advantages"), ("options_analysis", i, "disadvantages")]
    blank, bare, ev = [], [], []
    from permanence.checks.text import label

    asked = ctx.asked
    for path in questions:
        if path[0] in exempt or (len(path) > 1 and path[1] in exempt):
            continue
        if asked is not None and pointer(path) not in asked:
            continue  # the report's own template does not ask it (or answers it under a heading read elsewhere)
        value = get(ctx.data, *path)
        if path[-1] == "date_of_birth":
            if not parse_date(value):
                blank.append(label(path))
                ev.append(ctx.evidence(path))
            continue
        if value is None or (isinstance(value, str) and not value.strip()):
            blank.append(label(path))
            ev.append(ctx.evidence(path))
        elif bare_na(value):
            bare.append(label(path))
            ev.append(ctx.evidence(path))
    weak = [path for path in weak_answers(ctx) if path[0] not in exempt and not bare_na(get(ctx.data, *path))]
    for path in weak:
        ev.append(ctx.evidence(path))
    if not blank and not bare and not weak:
        return Result("yes", f"All {len(questions)} questions checked are answered (N/A with a reason where they do not apply).")
    comments, actions = [], []
    if blank:
        comments.append(f"Not answered ({len(blank)}): " + "; ".join(blank[:15]) + ("; ..." if len(blank) > 15 else "") + ".")
        actions.append("Answer every question; where one does not apply write N/A and the reason.")
    if bare:
        comments.append(f"N/A without a reason ({len(bare)}): " + "; ".join(bare[:15]) + ".")
        actions.append("After each N/A, say why the question does not apply.")
    if weak:
        comments.append(f"Answered only 'Not known', 'To be confirmed' or the like, with no reason or effort described ({len(weak)}): "
                        + "; ".join(label(p) for p in weak[:15]) + ".")
        actions.append("Where something is not known, say what was done to find out (who was asked, when, what they said) or why it cannot be known.")
    return Result(grade(len(blank) + len(bare) + len(weak), partial_up_to=2), " ".join(comments), actions, ev)
