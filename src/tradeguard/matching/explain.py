"""Human-readable rendering of match explanations (for CLI tables, reports and the API)."""

from __future__ import annotations

from typing import Any


def _name_text(name: dict[str, Any]) -> list[str]:
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
    return parts


def _schema_text(schema: dict[str, Any]) -> str:
    return f"schema conflict {schema['query']} vs {schema['list']} x{schema.get('factor')}"


def _dob_text(dob: dict[str, Any]) -> str:
    return f"birth date {dob['result'].replace('_', ' ')} ({dob['query']} vs {', '.join(dob['list'])})"


def _country_text(country: dict[str, Any]) -> str:
    return f"country {country['result']} ({country['query']})"


def _ids_text(ids: dict[str, Any]) -> str:
    return f"identifier {ids['result']}"


def explain_text(explanation: dict[str, Any]) -> str:
    """A short summary: which name hit, how the tokens met, and the attribute findings."""
    parts = _name_text(explanation.get("name") or {})
    schema = explanation.get("schema")
    if schema and schema.get("result") == "conflict":
        parts.append(_schema_text(schema))
    if explanation.get("birth_date"):
        parts.append(_dob_text(explanation["birth_date"]))
    if explanation.get("country"):
        parts.append(_country_text(explanation["country"]))
    if explanation.get("identifiers"):
        parts.append(_ids_text(explanation["identifiers"]))
    return "; ".join(parts)


def _joined(values: Any) -> str | None:
    if values is None:
        return None
    if isinstance(values, (list, tuple)):
        return ", ".join(str(v) for v in values) or None
    return str(values)


def feature_results(explanation: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The explanation as one result per scoring feature, in the shape of nomenklatura's
    ``FeatureResult`` (``score``, a one-line ``detail``, the ``query`` and ``candidate``
    values that met): the yente API's ``explanations``. Keys are the feature names of
    ``features`` (``name``, ``birth_date_exact``, ``country_differ``, ...); the scores are
    theirs too: the name similarity, and 1.0 for an attribute finding that applied."""
    features: dict[str, float] = explanation.get("features") or {}
    out: dict[str, dict[str, Any]] = {}
    for feature, score in features.items():
        detail: str | None
        query: str | None
        candidate: str | None
        if feature == "name":
            name = explanation.get("name") or {}
            detail = "; ".join(_name_text(name)) or None
            query, candidate = name.get("query"), name.get("matched")
        elif feature.startswith("birth_date_") and explanation.get("birth_date"):
            dob = explanation["birth_date"]
            detail, query, candidate = _dob_text(dob), dob.get("query"), _joined(dob.get("list"))
        elif feature.startswith("country_") and explanation.get("country"):
            country = explanation["country"]
            detail, query, candidate = _country_text(country), country.get("query"), _joined(country.get("list"))
        elif feature.startswith("identifier_") and explanation.get("identifiers"):
            ids = explanation["identifiers"]
            hits = _joined(ids.get("values"))
            detail = _ids_text(ids) + (f" ({hits})" if hits else "")
            query, candidate = hits, hits if hits else _joined(ids.get("list"))
        elif feature == "schema_conflict" and explanation.get("schema"):
            schema = explanation["schema"]
            detail, query, candidate = _schema_text(schema), schema.get("query"), schema.get("list")
        else:
            detail = query = candidate = None
        out[feature] = {"score": float(score), "detail": detail, "query": query, "candidate": candidate}
    return out
