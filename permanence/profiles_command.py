"""`permanence profiles` and `permanence rules`: what the toolkit knows, with sources."""
from __future__ import annotations

import json

from permanence.calendar import describe_period
from permanence.citations import cite
from permanence.findings import UserError
from permanence.forms.registry import FORMS
from permanence.forms.profiles import available_profiles, load_profile
from permanence.forms.rules import load_all_rules


def _timescale_line(tid: str, entry: dict) -> str:
    period = describe_period(entry["within"]) if entry.get("within") else ""
    if entry.get("kind") == "limit":
        period = f"at most {period}"
    return f"  {tid:<34} {period:<18} {entry.get('description', '')}  [{entry.get('source', '')}]"


def _words(definition: str, values) -> str:
    from permanence.forms.rules._fields import choice_label

    return ", ".join(choice_label(definition, v) for v in values)


def _settings_lines(p) -> list[str]:
    """The settings the business rules read, in plain words, with their sources."""
    lines = []
    ppm = p.get("ppm", default={}) or {}
    if ppm.get("required_roles"):
        by_roles: dict[tuple, list] = {}
        for option, roles in (ppm.get("required_roles_when_plan_includes") or {}).items():
            by_roles.setdefault(tuple(roles), []).append(option)
        extra = "; ".join(f"{_words('attendee_role', roles)} when the plan includes {_words('permanence_option', options).lower()}"
                          for roles, options in by_roles.items())
        lines.append(f"  PPM attendance: {_words('attendee_role', ppm['required_roles'])}"
                     f"{f'; {extra}' if extra else ''}  [{ppm.get('required_roles_source', '')}]")
    if ppm.get("carers_views_in_writing_if_absent"):
        lines.append("  Foster carers who cannot attend give their views in writing  [seed 004 s.6]")
    panel = p.get("panel_referral", default={}) or {}
    if panel.get("min_working_days_before_panel"):
        lines.append(f"  Panel referral: at least {panel['min_working_days_before_panel']} working days before the panel  [{panel.get('source', '')}]")
    elif panel.get("min_days_before_panel"):
        lines.append(f"  Panel referral: at least {panel['min_days_before_panel']} days before the panel  [{panel.get('source', '')}]")
    gateway = p.get("gateway_referral", default={}) or {}
    if gateway.get("required_documents"):
        due = ""
        if gateway.get("papers_due_weekday"):
            due = f"; papers by {gateway.get('papers_due_time', '')} {gateway['papers_due_weekday'].capitalize()}".replace("by  ", "by ")
        lines.append(f"  Gateway documents: {_words('gateway_document', gateway['required_documents'])}{due}  [{gateway.get('source', '')}]")
    if p.get("permanence_plan_by_review"):
        lines.append(f"  Permanence plan by review {p.get('permanence_plan_by_review')}  [Care Planning, Placement and Case Review (England) Regulations 2010]")
    order = p.get("supervision_order", default={}) or {}
    if order:
        lines.append(f"  Supervision order: {order.get('max_months')} months, {order.get('max_total_months')} months in all, "
                     f"never for a child aged {order.get('max_age_at_order')} or over  [{order.get('source', '')}]")
    return lines


def run_profiles(name: str | None, fmt: str) -> str:
    names = [name] if name else available_profiles()
    profiles = [load_profile(n) for n in names]
    if fmt == "json":
        return json.dumps([p.data for p in profiles], indent=2, ensure_ascii=False)
    lines = []
    for p in profiles:
        chain = " -> ".join([p.id] + p.data.get("extends_chain", []))
        lines.append(f"{p.id}: {p.authority}  ({chain})")
        lines.append(f"  source: {p.data.get('source', '')}")
        for tid, entry in sorted(p.timescales.items()):
            if not entry.get("disabled"):
                lines.append(_timescale_line(tid, entry))
        lines.extend(_settings_lines(p))
        if name:
            for key, value in sorted(p.data.items()):
                if key not in {"timescales", "id", "name", "authority", "source", "extends_chain"}:
                    lines.append(f"  {key}: {json.dumps(value, ensure_ascii=False)}")
        lines.append("")
    return cite("\n".join(lines).rstrip())  # every 'seed NNN' as the procedure's own title


def run_rules(form: str | None, fmt: str) -> str:
    if form is not None and form not in FORMS:
        raise UserError(f"unknown form '{form[:80]}'. Known forms: {', '.join(sorted(FORMS))}.")
    rules = [r for r in load_all_rules().values() if form is None or form in r.forms]
    if fmt == "json":
        return json.dumps([{"id": r.id, "severity": r.severity.value, "forms": list(r.forms), "summary": r.summary,
                            "source": cite(r.source), "profiles": list(r.profiles) if r.profiles else None} for r in rules],
                          indent=2, ensure_ascii=False)
    lines = []
    for r in sorted(rules, key=lambda r: r.id):
        only = f" (profiles: {', '.join(r.profiles)})" if r.profiles else ""
        lines.append(f"{r.id:<32} {r.severity.value:<8} {', '.join(r.forms)}{only}")
        lines.append(f"    {r.summary}")
        lines.append(f"    source: {cite(r.source)}")
    return "\n".join(lines)
