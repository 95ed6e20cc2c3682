"""Evidence beyond the name: schema, birth date, country and identifiers.

Each comparison returns a JSON-serialisable finding and a function of the name score. The
policy (documented in docs/matching.md):

* schema: one family (person; organisation/company/legal entity; vessel; airplane) agrees;
  a person against an organisation, vessel or airplane is a conflict and scales the score
  down hard enough that an exact name cannot alert on it; ``LegalEntity`` is compatible with
  persons and organisations.
* birth date: exact date agrees strongly (the score moves half-way to 1); same year, or
  day and month swapped, agrees (a quarter of the way); one year off costs a little;
  2-5 years off costs more; further off lowers the score but an exact name still comes
  back (it is never dropped on the date alone).
* country: agreement lifts a little; disagreement costs a little (nationality and residence
  often differ).
* identifiers: an exact normalised match ("IMO 9929429" = "9929429") is strong evidence
  and lifts the score to at least ``ID_MATCH_FLOOR``; a same-type different value lowers it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from tradeguard.matching.normalize import normalize_identifier, schema_kind
from tradeguard.model import Entity

# Schema families; value: factor.
SCHEMA_CONFLICT = {
    frozenset({"person", "org"}): 0.72,
    frozenset({"person", "vessel"}): 0.6,
    frozenset({"person", "airplane"}): 0.6,
    frozenset({"org", "vessel"}): 0.75,
    frozenset({"org", "airplane"}): 0.75,
    frozenset({"vessel", "airplane"}): 0.7,
}
F_LEGAL_ENTITY_PERSON = 0.92

DOB_EXACT_LIFT = 0.5
DOB_YEAR_LIFT = 0.25
F_DOB_ONE_YEAR = 0.97
F_DOB_NEAR = 0.9  # 2-5 years
F_DOB_FAR = 0.88  # more than 5 years
COUNTRY_LIFT = 0.1
F_COUNTRY_CONFLICT = 0.97
ID_MATCH_FLOOR = 0.9
ID_MATCH_LIFT = 0.5
F_ID_CONFLICT = 0.85

_YEAR = re.compile(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


@dataclass(frozen=True, slots=True)
class DateOption:
    year_lo: int
    year_hi: int
    month: int | None
    day: int | None
    text: str


def parse_dates(values: Iterable[str]) -> tuple[DateOption, ...]:
    out: list[DateOption] = []
    for value in values:
        text = value.strip().lstrip("~")
        if "/" in text:
            lo_text, _, hi_text = text.partition("/")
            lo, hi = _YEAR.match(lo_text.strip()), _YEAR.match(hi_text.strip())
            if lo and hi:
                out.append(DateOption(int(lo.group(1)), int(hi.group(1)), None, None, value))
            continue
        m = _YEAR.match(text)
        if not m:
            continue
        year = int(m.group(1))
        month = int(m.group(2)) if m.group(2) else None
        day = int(m.group(3)) if m.group(3) else None
        out.append(DateOption(year, year, month, day, value))
    return tuple(out)


def compare_dates(query: DateOption, listed: tuple[DateOption, ...]) -> tuple[str, int]:
    """Best agreement between a query date and an entity's dates: (result, years apart)."""
    best = ("far", 10_000)
    rank = {"exact": 0, "year": 1, "one_year": 2, "near": 3, "far": 4}
    for opt in listed:
        if opt.year_lo <= query.year_lo <= opt.year_hi:
            gap = 0
        else:
            gap = min(abs(query.year_lo - opt.year_lo), abs(query.year_lo - opt.year_hi))
        if gap == 0:
            if (
                opt.year_lo == opt.year_hi
                and query.month is not None
                and opt.month is not None
                and query.day is not None
                and opt.day is not None
            ):
                if (query.month, query.day) == (opt.month, opt.day):
                    result = "exact"
                elif (query.month, query.day) == (opt.day, opt.month):
                    result = "year"  # day and month swapped (US vs European order)
                else:
                    result = "one_year"  # same year, other day: weak agreement at best
            else:
                result = "year"
        elif gap == 1:
            result = "one_year"
        elif gap <= 5:
            result = "near"
        else:
            result = "far"
        if (rank[result], gap) < (rank[best[0]], best[1]):
            best = (result, gap)
    return best


def apply_dob(score: float, result: str) -> float:
    if result == "exact":
        return score + (1.0 - score) * DOB_EXACT_LIFT
    if result == "year":
        return score + (1.0 - score) * DOB_YEAR_LIFT
    if result == "one_year":
        return score * F_DOB_ONE_YEAR
    if result == "near":
        return score * F_DOB_NEAR
    return score * F_DOB_FAR


def schema_factor(query_schema: str | None, entity_schema: str) -> tuple[str, float]:
    qk, ek = schema_kind(query_schema), schema_kind(entity_schema)
    if qk is None or ek is None or qk == ek:
        return ("agree" if qk == ek else "unknown"), 1.0
    if {query_schema, entity_schema} & {"LegalEntity"}:
        other = ek if query_schema == "LegalEntity" else qk
        if other in ("person", "org"):
            return "compatible", (F_LEGAL_ENTITY_PERSON if other == "person" else 1.0)
    return "conflict", SCHEMA_CONFLICT.get(frozenset({qk, ek}), 0.7)


@lru_cache(maxsize=4096)
def country_of(value: str) -> str | None:
    text = value.strip()
    if len(text) == 2 and text.isalpha():
        return text.lower()
    from tradeguard.sources.common import country_code

    try:
        return country_code(text)
    except Exception:  # noqa: BLE001 - reference lookup must never break a match
        return None


_ID_TYPE = re.compile(r"^\s*([A-Za-z][A-Za-z .\-]{1,20}?)[\s:#.\-]+(?=[0-9A-Za-z]*\d)")
_ID_TYPES = {
    "imo": "imo", "mmsi": "mmsi", "inn": "inn", "ogrn": "ogrn", "ogrnip": "ogrn", "kpp": "kpp",
    "lei": "lei", "bic": "bic", "swift": "bic", "swift/bic": "bic", "duns": "duns",
    "passport": "passport", "passport no": "passport", "national id": "national_id",
    "tax id": "tax_id", "tin": "tax_id", "vat": "tax_id", "registration": "registration",
    "reg": "registration", "call sign": "vessel_call_sign", "edrpou": "registration",
}


def parse_identifier(text: str) -> tuple[str | None, str]:
    """("IMO 9929429") -> ("imo", "9929429"); untyped values give (None, value)."""
    m = _ID_TYPE.match(text)
    id_type = None
    if m:
        id_type = _ID_TYPES.get(m.group(1).strip().lower().rstrip("."))
    return id_type, normalize_identifier(text)


@dataclass(frozen=True, slots=True)
class EntityFacts:
    """What matching needs of an entity beyond its names, precomputed."""

    dates: tuple[DateOption, ...]
    countries: frozenset[str]
    identifiers: tuple[tuple[str, str], ...]  # (type, normalised value)

    @classmethod
    def of(cls, entity: Entity) -> EntityFacts:
        countries = {c.lower() for c in [*entity.nationalities, *entity.countries] if c}
        countries.update(a.country.lower() for a in entity.addresses if a.country)
        ids = tuple(
            (i.type, v) for i in entity.identifiers if len(v := normalize_identifier(i.value)) >= 4
        )
        return cls(parse_dates(entity.birth_dates), frozenset(countries), ids)


def apply_attributes(
    score: float,
    query_schema: str | None,
    query_dob: DateOption | None,
    query_country: str | None,
    query_ids: list[tuple[str | None, str]],
    entity: Entity,
    facts: EntityFacts,
) -> tuple[float, dict[str, Any]]:
    """Adjust a name score with the query's other attributes; findings for the explanation."""
    found: dict[str, Any] = {}
    result, factor = schema_factor(query_schema, entity.schema)
    found["schema"] = {"query": query_schema, "list": entity.schema, "result": result}
    if factor != 1.0:
        found["schema"]["factor"] = factor
        score *= factor
    if query_ids and facts.identifiers:
        listed_values = {v for _t, v in facts.identifiers}
        hits = [v for _t, v in query_ids if v in listed_values]
        if hits:
            score = max(score, ID_MATCH_FLOOR)
            score = score + (1.0 - score) * ID_MATCH_LIFT
            found["identifiers"] = {"result": "match", "values": hits}
        else:
            typed = {t for t, _v in query_ids if t}
            clash = [v for t, v in facts.identifiers if t in typed]
            if clash:
                score *= F_ID_CONFLICT
                found["identifiers"] = {"result": "conflict", "list": clash, "factor": F_ID_CONFLICT}
    if query_dob is not None and facts.dates:
        dob_result, gap = compare_dates(query_dob, facts.dates)
        score = apply_dob(score, dob_result)
        found["birth_date"] = {
            "query": query_dob.text,
            "list": [d.text for d in facts.dates],
            "result": dob_result,
            "years_apart": gap,
        }
    if query_country and facts.countries:
        agree = query_country in facts.countries
        score = score + (1.0 - score) * COUNTRY_LIFT if agree else score * F_COUNTRY_CONFLICT
        found["country"] = {
            "query": query_country,
            "list": sorted(facts.countries),
            "result": "agree" if agree else "differ",
        }
    return min(1.0, score), found


def min_name_score(threshold: float, has_dob: bool, has_country: bool) -> float:
    """The lowest name score that attributes could still lift to ``threshold`` (identifier
    matches aside, which are handled apart): candidates below it need not be scored."""
    t = threshold
    if has_country:
        t = (t - COUNTRY_LIFT) / (1.0 - COUNTRY_LIFT)
    if has_dob:
        t = (t - DOB_EXACT_LIFT) / (1.0 - DOB_EXACT_LIFT)
    return max(0.0, t)
