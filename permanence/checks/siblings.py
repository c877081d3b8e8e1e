"""Siblings (S1-S2): placed together on a sibling assessment; those living elsewhere, their carers
heard and their entry complete. Brothers and sisters the sibling section leaves out are found in
permanence/checks/siblings_found.py."""
from __future__ import annotations

import re

from permanence.checks import Result, check
from permanence.checks.people import _sentences, _str, _words
from permanence.checks.text import answered, as_dict, as_list, bare_na, get, parse_date, sentence_case

S_SRC = "seed 003 App. 8 audit form, Siblings"


_TOGETHER_RE = re.compile(r"\b(?:[Pp]laced|[Ss]tay|[Ll]ive|[Kk]ept|[Aa]dopted|[Pp]lacement) together\b|\btogether (?:for adoption|in (?:one|the same) (?:family|placement))\b")
# 'there is no plan for them to live together', 'will not be placed together': no plan to place together.
_NOT_TOGETHER_RE = re.compile(r"\b(?:no|not|never|cannot|can['\u2019]t|won['\u2019]t|nor)\b[^.;!?]*$", re.I)
_SIBLING_ASSESSMENT_RE = re.compile(r"\btogether (?:and|or) apart\b|\bsibling (?:assessment|relationship assessment)\b", re.I)
_DATE_WORD_RE = re.compile(r"\b(?:19|20)\d{2}\b")


def _sentence(text: str, m) -> tuple[int, int]:
    from permanence.checks.text import sentence_bounds

    return sentence_bounds(text, m.start(), m.end())


@check("S1", area="Siblings", question="Where siblings are to be placed together, is the sibling assessment evidenced, with why this is the plan?",
       source=f"{S_SRC} (placed together); App. 8 General guidance 'explain ... placing siblings apart'")
def siblings_together(ctx):
    together = [(i, s) for i, s in enumerate(as_list(ctx.data.get("siblings"))) if get(s, "part_of_this_plan") is True]
    a = as_dict(get(ctx.data, "assessments", "sibling"))
    said_together = [(f, m) for f, m in ctx.finditer(_TOGETHER_RE) if not _NOT_TOGETHER_RE.search(f.text[max(0, m.start() - 40):m.start()])]
    if not together and not said_together:
        return Result("not_applicable", "No sibling is to be placed with the child.")
    conclusions = a.get("conclusions") if answered(a.get("conclusions")) and not bare_na(a.get("conclusions")) else ""
    named = [(f, m) for f, m in ctx.finditer(_SIBLING_ASSESSMENT_RE)]
    # the assessment as the narrative tells it: the sentence naming it and the two after ("... was completed by
    # Lauren Firth on 14 February 2025. It found that Finley and Rosie have a close, warm relationship ...")
    told = [" ".join(_sentences(f.text[_sentence(f.text, m)[0]:])[:3]) for f, m in named]
    if any(_words(t) >= 20 and _DATE_WORD_RE.search(t) and re.search(r"\b(?:found|concluded|recommend\w*|showed|observed)\b", t, re.I) for t in told):
        return Result("yes", "A sibling assessment was completed, and the report says when, by whom and what it found.")
    if (a.get("completed") is True or conclusions or named) and _words(conclusions) >= 20 and (parse_date(a.get("date")) or _DATE_WORD_RE.search(conclusions)):
        return Result("yes", "A sibling assessment was completed and its conclusions explain the plan to place the siblings together.")
    if conclusions or named:
        where = [ctx.evidence(("assessments", "sibling", "conclusions"))] if conclusions else [ctx.evidence(f.path, *_sentence(f.text, m)) for f, m in named[:1]]
        return Result("partial", "A sibling (together and apart) assessment is named, but not when it was done, by whom, or what it found about the brothers' and sisters' relationship.",
                      ["Summarise the together and apart assessment: when and by whom, what it found about the siblings' relationship and needs, and why placing them together follows."], where)
    return Result("no", "Siblings are to be placed together but no sibling assessment, or its conclusions, are in the report.",
                  ["Summarise the together/apart assessment of the siblings (date, by whom) and why placing them together is the plan."],
                  [ctx.evidence(f.path, *_sentence(f.text, m)) for f, m in sorted(said_together, key=lambda fm: "sibling" not in str(fm[0].path[0]))[:1]]
                  + [ctx.evidence(("assessments", "sibling"))])  # the plan as the siblings' section states it, if it does


_CONTACTED_RE = re.compile(r"\b(?:spoke (?:to|with)|contacted|telephone(?:d)? call|met (?:with )?(?:his|her|their)|consulted|agreed|asked|"
                           r"(?:his|her|their) (?:carers?|mother|father|grandmother|guardian) (?:support|agree|said|has said|would))\b", re.I)
_CONTACT_PLAN_RE = re.compile(r"\b(?:family time|contact|letterbox|letters?|meet(?:ing)?s?|see each other|visits?)\b", re.I)


_LIVES_RE = re.compile(r"\b(?:lives|living|lived|is living|stays|is placed|was placed|placed) (?:with|in)\b|\b(?:was|has been|is) adopted\b|\bin (?:foster|residential) care\b", re.I)
_CARER_WORDS_RE = re.compile(r"\b(?:grand(?:mother|father|parents?)|nan|nana|aunt(?:ie)?|uncle|carers?|guardians?|mother|father|adopters?)\b"
                             r"|\b[A-Z][a-z]+(?:\s+[A-Z][a-z]+)*\b")  # a run of one capitalised word is a name ('Maureen'), longer runs an order or a place
_SAYS = r"(?:supports?|wants?|agreed|agrees|said|says|told (?:me|us|the social worker))"
_MET = r"\b(?:I|we|the social worker|[A-Z][a-z]+ \(social worker\))\s+(?:have |has |had )?(?:met|visited|spoke to|spoke with|talked (?:to|with)|telephoned|rang)\b"


def carer_heard(lives: str, told: str) -> bool:
    """Whether the sibling's entry tells of their carer (named where the sibling lives: 'his
    paternal grandmother, Maureen') giving their own view ('Maureen supports the plan') or
    being met or spoken to by the social worker ('I met Tyler and his grandmother')."""
    words = {w for w in _CARER_WORDS_RE.findall(lives) if " " not in w and w.lower() not in ("she", "he", "the", "her", "his", "their")}
    if not words:
        return False
    from permanence.checks.text import SENTENCE_END_RE

    for sentence in SENTENCE_END_RE.split(told):
        for w in words:
            said = re.search(rf"\b{re.escape(w)}\s+(?:also\s+|has\s+)?{_SAYS}\b", sentence)  # the carer's own view
            met = (m := re.search(_MET, sentence)) and re.search(rf"\b{re.escape(w)}\b", sentence[m.end():])  # the worker met them
            if said or met:
                return True
    return False


@check("S2", area="Siblings", question="Where siblings live elsewhere, were their carers contacted and is the sibling section complete for each?",
       source=f"{S_SRC} (singleton with siblings); App. 8 General guidance 'Include all siblings'")
def siblings_elsewhere(ctx):
    from permanence.checks.siblings_found import siblings_named_elsewhere

    apart = [(i, as_dict(s)) for i, s in enumerate(as_list(ctx.data.get("siblings"))) if get(s, "part_of_this_plan") is not True]
    unlisted = siblings_named_elsewhere(ctx)
    if not apart and not unlisted:
        return Result("not_applicable", "The child has no siblings living elsewhere.")
    gaps, ev = [], []
    for name, where in unlisted:
        gaps.append(f"{name} is named as the child's brother or sister but has no entry in the sibling section")
        ev.append(where)
    for i, s in apart:
        lives = str(s.get("lives_with") or "")
        with_parent = bool(re.search(r"\b(mother|father|mum|dad|parents?)\b", lives, re.I)) and not re.search(r"adopt|foster|carer|guardian", lives, re.I)
        told = " ".join(str(v) for v in s.values() if isinstance(v, str))
        first = _str(s.get("name")).split()[:1]
        elsewhere = " ".join(f.text for f in ctx.fields if first and f.path[:1] != ("siblings",) and re.search(rf"\b{re.escape(first[0])}\b", f.text))
        if not with_parent and s.get("carers_contacted") is not True and not _CONTACTED_RE.search(told) \
                and not (s.get("carers_contacted") is None and carer_heard(lives, told)):  # a form's explicit 'No' stands
            gaps.append(f"{s.get('name')}'s carers are not recorded as contacted")
            ev.append(ctx.evidence(("siblings", i, "carers_contacted")))
        missing = [lbl for key, lbl in (("lives_with", "where they live"), ("relationship_with_child", "relationship with the child"),
                                        ("family_time_proposed", "family time proposed")) if not answered(s.get(key))
                   and not (key == "family_time_proposed" and _CONTACT_PLAN_RE.search(told + " " + elsewhere))
                   and not (key == "relationship_with_child" and len(told.split()) >= 25)
                   and not (key == "lives_with" and _LIVES_RE.search(told))]  # 'Abena lives with her mother', said in the entry
        if missing:
            gaps.append(f"{s.get('name')}: nothing on " + ", ".join(missing))
            ev.append(ctx.evidence(("siblings", i)))
    if not gaps:
        return Result("yes", f"{'The sibling' if len(apart) == 1 else 'Each of the ' + str(len(apart)) + ' siblings'} living elsewhere has a complete entry and their carers were contacted.")
    actions = ["Contact the carers of each sibling living elsewhere and complete the sibling section for each (where they live, legal status, relationship with the child, family time proposed)."]
    if unlisted:
        actions.insert(0, "Add an entry for " + " and ".join(n for n, _ in unlisted) + " to the sibling section (where they live, "
                       "their carers contacted, contact proposed, a photograph or the reason there is none).")
    return Result("no" if len(gaps) > len(apart) or not apart else "partial", sentence_case("; ".join(gaps)) + ".", actions, ev)
