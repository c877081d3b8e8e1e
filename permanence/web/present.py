"""How results read on the page: findings grouped by the form's own sections, sources cited
by the procedure's title, audit answers as tags."""
from __future__ import annotations

from functools import lru_cache

from permanence.citations import cite
from permanence.findings import FileReport
from permanence.report_xlsx import section_of

ANSWER_TAG = {"yes": ("Yes", "green"), "no": ("No", "red"), "partial": ("Partial", "orange"),
              "review": ("Review", "blue"), "not_applicable": ("N/A", "grey")}


@lru_cache(maxsize=None)
def _section_order(form: str | None) -> list[str]:
    from permanence.forms.registry import FORMS
    from permanence.forms.schema import resolve, schema_for

    if form not in FORMS:
        return []
    schema = schema_for(form)
    node, _ = resolve(schema, schema["$id"])
    return ["The whole record"] + [section_of(form, "/" + key) for key in node.get("properties", {})]


def file_view(report: FileReport, index: int) -> dict:
    from permanence.forms.registry import FORMS

    order = _section_order(report.form)
    sections: dict[str, list[dict]] = {}
    findings = sorted(report.findings, key=lambda f: f.severity.value != "error")
    for n, f in enumerate(findings):
        sections.setdefault(section_of(report.form, f.pointer), []).append({
            "id": f"file-{index}-finding-{n}", "severity": f.severity.value, "label": f.label, "message": f.message,
            "excerpt": f.excerpt, "rule_id": f.rule_id, "pointer": f.pointer or "/", "source": cite(f.source) if f.source else "",
        })
    ordered = sorted(sections.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else len(order))
    return {"id": f"file-{index}", "name": report.path, "child": report.child,
            "form": FORMS[report.form].title if report.form in FORMS else report.form, "error": report.error,
            "errors": len(report.errors), "warnings": len(report.warnings),
            "sections": [{"title": t, "findings": fs} for t, fs in ordered]}


def audit_view(audit: dict) -> dict:
    from permanence.checks.outcome import OUTCOME_LABEL

    areas: dict[str, list[dict]] = {}
    for item in audit["items"]:
        text, colour = ANSWER_TAG.get(item["answer"], (item["answer"], "grey"))
        areas.setdefault(item["area"], []).append({**item, "tag": text, "colour": colour,
                                                    "since": (item.get("since_previous") or "").replace("_", " "),
                                                    "source": cite(item["source"]) if item.get("source") else ""})
    counts = {a: sum(i["answer"] == a for i in audit["items"] if i["id"] != "X1") for a in ANSWER_TAG}
    header = audit.get("header", {})
    return {"areas": list(areas.items()), "outcome": OUTCOME_LABEL[audit["outcome"]], "outcome_code": audit["outcome"],
            "counts": counts, "header": header, "privacy": audit.get("privacy") or [],
            "proofreading": audit.get("proofreading", {})}
