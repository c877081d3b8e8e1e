"""The tracker columns for the checks of tracker/return_checks.py, and the short reason
for the computed RAG that prints on the main sheet ("Second review ...: overdue since
12/10/2026")."""
from __future__ import annotations

from permanence.citations import cite

PRINTED_REASONS = 3  # lines of the printed reason; the rest is in Overdue and Due soon


def printed_reason(row) -> str:
    """Why the computed RAG is what it is, in a few short lines for the printed page."""
    if row.rag == "red":
        lines = [f"{t.description}: overdue since {t.due.strftime('%d/%m/%Y')}" for t in row.overdue]
        rest = "Overdue"
    elif row.rag == "amber":
        lines = [f"{t.description}: due {t.due.strftime('%d/%m/%Y')}" for t in row.due_soon]
        lines += [f.text for f in row.flags if f.amber]
        if any("no contingency" in r for r in row.rag_reasons):
            lines.append("No contingency plan")
        rest = "Due soon and Checks"
    else:
        return "Nothing overdue or due soon"
    more = len(lines) - PRINTED_REASONS
    if more > 0:
        lines = lines[:PRINTED_REASONS] + [f"and {more} more (see {rest})"]
    return "\n".join(lines)


def return_values(row, settings: dict) -> dict:
    from permanence.ssda903 import codes as C

    checks = row.checks
    codes = checks.get("return_codes") or {}
    status = "; ".join(x for x in (C.words("legal_status", codes.get("LS")) if codes.get("LS") else "",
                                   C.words("placement", codes.get("PLACE")) if codes.get("PLACE") else "",
                                   ("on a temporary move: " + C.words("placement", codes["temporary_PLACE"]))
                                   if codes.get("temporary_PLACE") else "") if x)
    return {
        "rag_print": printed_reason(row),
        "return_status": status,
        "moves_12m": checks.get("placement_moves"),
        "s20_weeks": checks.get("section_20_weeks"),
        "checks": "\n".join(f.text for f in row.flags),
        "days_care_placed": checks.get("days_care_to_placed"),
        "days_order_match": checks.get("days_order_to_match"),
    }


def return_sources(row, settings: dict) -> list[str]:
    """Lines for 'Where the due dates come from': each check that found something, and its source."""
    lines = [f"{f.text}: {f.source}" for f in row.flags]
    if row.checks.get("placement_moves") is not None:
        lines.append(f"Placement moves: {cite(settings.get('placement_moves_source', ''))}")
    if "days_care_to_placed" in row.checks or "days_order_to_match" in row.checks:
        lines.append(f"Adoption timeliness (days): {cite(settings.get('adoption_timeliness_source', ''))}")
    return lines
