"""Human-readable rendering of match explanations (for CLI tables and reports)."""

from __future__ import annotations

from typing import Any


def explain_text(explanation: dict[str, Any]) -> str:
    """A short summary: which name hit, how the tokens met, and the attribute findings."""
    name = explanation.get("name") or {}
    parts: list[str] = []
    kind = name.get("kind")
    matched = name.get("matched")
    if matched:
        parts.append(f"hit {kind + ' ' if kind else ''}name {matched!r}")
    for side in ("query_part", "list_part"):
        part = name.get(side)
        if part:
            who = "query" if side == "query_part" else "list"
            parts.append(f"{who} {part['label']} name {part['name']!r}" + (f" ({part['marker']})" if part.get("marker") else ""))
    tokens = name.get("tokens") or []
    if tokens:
        aligned = ", ".join(
            t["query"] if t["how"] == "exact" else f"{t['query']}\u2192{t['list']} ({t['how']})"
            for t in tokens
        )
        parts.append(f"tokens: {aligned}")
    missing_q = name.get("unmatched_query") or []
    missing_l = name.get("unmatched_list") or []
    if missing_q:
        parts.append("query only: " + " ".join(missing_q))
    if missing_l:
        parts.append("list only: " + " ".join(missing_l))
    if name.get("truncated_after"):
        parts.append("query cut after: " + str(name["truncated_after"]))
    legal = name.get("legal_form")
    if legal and legal.get("agree") is not None:
        parts.append(
            "legal form " + ("agrees" if legal["agree"] else "differs")
            + f" ({'/'.join(legal['query'])} vs {'/'.join(legal['list'])})"
        )
    for penalty in name.get("penalties") or []:
        parts.append(f"{penalty['what'].replace('_', ' ')} x{penalty['factor']}")
    schema = explanation.get("schema")
    if schema and schema.get("result") == "conflict":
        parts.append(f"schema conflict {schema['query']} vs {schema['list']} x{schema.get('factor')}")
    dob = explanation.get("birth_date")
    if dob:
        parts.append(f"birth date {dob['result'].replace('_', ' ')} ({dob['query']} vs {', '.join(dob['list'])})")
    country = explanation.get("country")
    if country:
        parts.append(f"country {country['result']} ({country['query']})")
    ids = explanation.get("identifiers")
    if ids:
        parts.append(f"identifier {ids['result']}")
    return "; ".join(parts)
