"""`permanence profiles` and `permanence rules`: what the toolkit knows, with sources."""
from __future__ import annotations

import json

from permanence.calendar import describe_period
from permanence.forms.profiles import available_profiles, load_profile
from permanence.forms.rules import load_all_rules


def _timescale_line(tid: str, entry: dict) -> str:
    period = describe_period(entry["within"]) if entry.get("within") else ""
    return f"  {tid:<34} {period:<18} {entry.get('description', '')}  [{entry.get('source', '')}]"


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
        if name:
            for key, value in sorted(p.data.items()):
                if key not in {"timescales", "id", "name", "authority", "source", "extends_chain"}:
                    lines.append(f"  {key}: {json.dumps(value, ensure_ascii=False)}")
        lines.append("")
    return "\n".join(lines).rstrip()


def run_rules(form: str | None, fmt: str) -> str:
    rules = [r for r in load_all_rules().values() if form is None or form in r.forms]
    if fmt == "json":
        return json.dumps([{"id": r.id, "severity": r.severity.value, "forms": list(r.forms), "summary": r.summary,
                            "source": r.source, "profiles": list(r.profiles) if r.profiles else None} for r in rules],
                          indent=2, ensure_ascii=False)
    lines = []
    for r in sorted(rules, key=lambda r: r.id):
        only = f" (profiles: {', '.join(r.profiles)})" if r.profiles else ""
        lines.append(f"{r.id:<32} {r.severity.value:<8} {', '.join(r.forms)}{only}")
        lines.append(f"    {r.summary}")
        lines.append(f"    source: {r.source}")
    return "\n".join(lines)
