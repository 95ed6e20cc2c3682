"""US Consolidated Screening List (trade.gov CSL), CSV; list key ``us_csl``.

The CSV has one row per entry of one of the merged sub-lists (OFAC SDN and non-SDN lists,
BIS Entity List / Denied Persons / Unverified / Military End User, State ISN / DTC).
Header (27 columns)::

    source, entity_number, type, programs, name, title, addresses,
    federal_register_notice, start_date, end_date, standard_order, license_requirement,
    license_policy, call_sign, vessel_type, gross_tonnage, gross_registered_tonnage,
    vessel_flag, vessel_owner, remarks, source_list_url, alt_names, citizenships,
    dates_of_birth, nationalities, places_of_birth, source_information_url

Columns are found by name, so the later ``consolidated.csv`` (which adds ``_id`` and
``ids``) is read by the same code. Multi-valued cells are ``; ``-separated; addresses end
in an ISO-2 country code ("..., Kinshasa, CD").

``source_id``: the ``entity_number`` when the row has one (OFAC entries; rows of two
Treasury sub-lists with the same number are one entry, merged); otherwise trade.gov's own
``_id`` when the file has that column; otherwise (BIS/State lists in older files) a stable
hash: ``<sub-list code>-<first 16 hex of sha1("code|name|addresses|start_date")>``, e.g.
``EL-3f9c0c2b1d7e5a44``. Identical rows get the same id and are merged.

The sub-list is kept as the first program under its official name (the short code of old
files, "EL", is expanded to "Entity List (EL) - Bureau of Industry and Security"), followed
by the row's own programs; the code is also in ``extra["csl_source"]``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from pathlib import Path

from tradeguard.model import Address, Entity, Identifier, Name, Relation
from tradeguard.sources.base import ParsedList, SourceError, SourceFormat
from tradeguard.sources.common import (
    clean,
    country_code,
    country_or_text,
    iter_csv,
    parse_dates,
    split_multi,
)
from tradeguard.sources.gb_hmt import add_all, add_extra, add_name

LIST_KEY = "us_csl"

REQUIRED_COLUMNS = ("source", "entity_number", "type", "programs", "name", "addresses", "alt_names")

# Official names of the sub-lists, as the CSL spells them in its "source" column.
SOURCES = {
    "SDN": "Specially Designated Nationals (SDN) - Treasury Department",
    "EL": "Entity List (EL) - Bureau of Industry and Security",
    "DPL": "Denied Persons List (DPL) - Bureau of Industry and Security",
    "UVL": "Unverified List (UVL) - Bureau of Industry and Security",
    "MEU": "Military End User (MEU) List - Bureau of Industry and Security",
    "DTC": "ITAR Debarred (DTC) - State Department",
    "ISN": "Nonproliferation Sanctions (ISN) - State Department",
    "SSI": "Sectoral Sanctions Identifications List (SSI) - Treasury Department",
    "PLC": "Palestinian Legislative Council List (PLC) - Treasury Department",
    "CMIC": "Non-SDN Chinese Military-Industrial Complex Companies List (CMIC) - Treasury Department",
    "NS-MBS": "Non-SDN Menu-Based Sanctions List (NS-MBS List) - Treasury Department",
    "CAP": "Capta List (CAP) - Treasury Department",
    "FSE": "Foreign Sanctions Evaders (FSE) - Treasury Department",
}

TYPES = {"individual": "Person", "entity": "Organization", "vessel": "Vessel", "aircraft": "Airplane"}

ID_TYPES = {
    "passport": "passport",
    "national id": "national_id",
    "national id no.": "national_id",
    "cedula no.": "national_id",
    "tax id no.": "tax_id",
    "registration id": "registration",
    "registration number": "registration",
    "vessel registration identification": "imo",
    "imo": "imo",
    "mmsi": "mmsi",
    "swift/bic": "bic",
    "inn": "inn",
    "ogrn": "ogrn",
    "kpp": "kpp",
    "d-u-n-s number": "duns",
    "aircraft manufacturer's serial number (msn)": "aircraft_serial",
    "aircraft tail number": "aircraft_tail",
}

_LINKED_TO = re.compile(r"Linked To:\s*([^;)]+)", re.I)
_TRAILING_CODE = re.compile(r",\s*([A-Z]{2})\s*$")


def _source_code(source: str) -> str:
    """'Entity List (EL) - Bureau of Industry and Security' -> 'EL'; 'EL' -> 'EL'."""
    m = re.search(r"\(([^)]+)\)", source)
    code = m.group(1) if m else source
    return code.replace(" List", "").strip()


def detect(path: Path, head: bytes) -> str | None:
    line = head.removeprefix(b"\xef\xbb\xbf").split(b"\n", 1)[0].strip()
    if not line or line[:1] in (b"{", b"[", b"<"):
        return None
    try:
        columns = {c.strip().lower() for c in next(csv.reader([line.decode("utf-8", errors="replace")]))}
    except (csv.Error, StopIteration):
        return None
    return LIST_KEY if all(c in columns for c in REQUIRED_COLUMNS) else None


def read(path: Path) -> ParsedList:
    rows = iter_csv(path)
    try:
        line, header = next(rows)
    except StopIteration:
        raise SourceError(path, "line 1", "file has no header row") from None
    names = [h.strip().lower().lstrip("\ufeff") for h in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    if missing:
        raise SourceError(path, f"line {line}", f"missing required column(s): {', '.join(missing)}")
    entities: dict[str, Entity] = {}
    per_source: dict[str, int] = {}
    count = 0
    for line, row in rows:
        if not any(c.strip() for c in row):
            continue
        if len(row) != len(names):
            raise SourceError(path, f"line {line}", f"expected {len(names)} fields, found {len(row)}")
        r = {k: clean(v) for k, v in zip(names, row, strict=True)}
        if not r.get("name"):
            raise SourceError(path, f"line {line}", "missing name")
        if not r.get("source"):
            raise SourceError(path, f"line {line}", "missing source (sub-list)")
        count += 1
        code = _source_code(r["source"] or "")
        per_source[code] = per_source.get(code, 0) + 1
        source_id = _source_id(r, code)
        entity = entities.get(source_id)
        if entity is None:
            entity = entities[source_id] = Entity(list=LIST_KEY, source_id=source_id, schema=_schema(r))
        elif entity.schema == "LegalEntity":
            entity.schema = _schema(r)
        _merge(entity, r, code)
    summary = ", ".join(f"{code} {n}" for code, n in sorted(per_source.items(), key=lambda kv: -kv[1]))
    notes = [f"{count} rows, {len(entities)} entries; rows per sub-list: {summary}", "the CSV states no list date"]
    return ParsedList(LIST_KEY, "us_csl_csv", [path], iter(list(entities.values())), published=None, notes=notes)


def _source_id(r: dict[str, str | None], code: str) -> str:
    if r.get("entity_number"):
        return r["entity_number"] or ""
    if r.get("_id"):
        return r["_id"] or ""
    key = "|".join([code, r.get("name") or "", r.get("addresses") or "", r.get("start_date") or ""])
    return f"{code}-{hashlib.sha1(key.lower().encode('utf-8')).hexdigest()[:16]}"


def _schema(r: dict[str, str | None]) -> str:
    return TYPES.get((r.get("type") or "").lower(), "LegalEntity")


def _merge(entity: Entity, r: dict[str, str | None], code: str) -> None:
    name = r.get("name") or ""
    person = entity.schema == "Person"
    add_name(entity.names, _name(name, "primary" if not entity.names else "alias", person))
    for alias in split_multi(r.get("alt_names")):
        add_name(entity.names, _name(alias, "alias", person))
    add_all(entity.programs, [SOURCES.get(code, r.get("source"))])
    add_all(entity.programs, split_multi(r.get("programs")))
    add_extra(entity, "csl_source", [code])
    add_extra(entity, "title", split_multi(r.get("title")))
    for text in split_multi(r.get("addresses")):
        m = _TRAILING_CODE.search(text)
        country = m.group(1).lower() if m else (country_code(text) if len(text) == 2 else None)
        add_all(entity.addresses, [Address(text=text, country=country)])
    for value in split_multi(r.get("dates_of_birth")):
        dates, unread = parse_dates(value)
        add_all(entity.birth_dates, dates)
        add_extra(entity, "birth_date_text", unread)
    add_all(entity.birth_places, split_multi(r.get("places_of_birth")))
    add_all(entity.nationalities, [country_or_text(c) for c in split_multi(r.get("citizenships"))])
    add_all(entity.nationalities, [country_or_text(c) for c in split_multi(r.get("nationalities"))])
    start = parse_dates(r.get("start_date"))[0]
    if start and (entity.listed_on is None or start[0] < entity.listed_on):
        entity.listed_on = start[0]
    remarks = r.get("remarks")
    add_all(entity.remarks, [remarks])
    for target in _LINKED_TO.findall(remarks or ""):
        add_all(entity.relations, [Relation(kind="linked_to", target_name=target.strip())])
    call_sign = r.get("call_sign")
    if call_sign:
        add_all(entity.identifiers, [Identifier(type="vessel_call_sign", value=call_sign)])
    add_all(entity.identifiers, _ids(r.get("ids")))
    for column, key in _EXTRA:
        add_extra(entity, key, [r.get(column)])


_EXTRA = (
    ("federal_register_notice", "federal_register_notice"),
    ("end_date", "end_date"),
    ("standard_order", "standard_order"),
    ("license_requirement", "license_requirement"),
    ("license_policy", "license_policy"),
    ("vessel_type", "vessel_type"),
    ("gross_tonnage", "tonnage"),
    ("gross_registered_tonnage", "gross_registered_tonnage"),
    ("vessel_flag", "flag"),
    ("vessel_owner", "vessel_owner"),
    ("source_list_url", "source_list_url"),
    ("source_information_url", "source_information_url"),
)


def _name(value: str, kind: str, person: bool) -> Name:
    """OFAC-style "FAMILY, Given" names of persons keep their parts."""
    if person and value.count(",") == 1:
        family, given = (clean(p) for p in value.split(","))
        return Name(value=value, kind=kind, given=given, family=family)
    return Name(value=value, kind=kind)


def _ids(value: str | None) -> list[Identifier]:
    """The ``ids`` column of newer files: "Type, Number, Country; Type, Number"."""
    out: list[Identifier] = []
    for item in split_multi(value):
        parts = [p.strip() for p in next(csv.reader(io.StringIO(item), skipinitialspace=True), [])]
        if len(parts) < 2 or not parts[1]:
            continue
        kind = ID_TYPES.get(parts[0].lower(), "other")
        country = country_code(parts[2]) if len(parts) > 2 and parts[2] else None
        note = parts[0] if kind == "other" else None
        add_all(out, [Identifier(type=kind, value=parts[1], country=country, note=note)])
    return out


FORMATS: list[SourceFormat] = [
    SourceFormat(
        name="us_csl_csv",
        description="US Consolidated Screening List (trade.gov), CSV",
        detect=detect,
        read=read,
    )
]
