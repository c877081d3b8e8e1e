"""The forms the toolkit knows: form name -> schema, Word template, title."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Form:
    name: str
    schema_file: str
    template_file: str | None
    title: str


FORMS: dict[str, Form] = {
    f.name: f
    for f in (
        Form("ppm-record", "ppm-record.schema.json", "ppm-record.docx", "Permanence Planning Meeting record"),
        Form("panel-referral", "panel-referral.schema.json", "panel-referral.docx", "Permanence Panel referral"),
        Form("gateway-referral", "gateway-referral.schema.json", "gateway-referral.docx", "Legal Gateway referral"),
        Form("cpr", "cpr.schema.json", "cpr.docx", "Child's Permanence Report"),
        Form("cpr-audit", "cpr-audit.schema.json", "cpr-audit.docx", "CPR quality-assurance audit"),
        Form("case", "case.schema.json", None, "Child's permanence journey"),
    )
}


def get_form(name: str) -> Form:
    from permanence.findings import UserError

    try:
        return FORMS[name]
    except KeyError:
        known = ", ".join(sorted(FORMS))
        raise UserError(f"'{name}' is not a form this toolkit knows. Known forms: {known}.") from None
