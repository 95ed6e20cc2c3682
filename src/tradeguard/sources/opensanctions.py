"""OpenSanctions dataset exports, list key ``opensanctions``; ``source_id`` is the entity id.

Two of the export files are read; the others in an export folder (``index.json``,
``statistics.json``, ``names.txt``, ``senzing.json``, ``targets.nested.json``, ...) are not
claimed by ``detect``.

``opensanctions_ftm``: ``entities.ftm.json``, one FollowTheMoney entity per line
(``{"id", "schema", "properties": {prop: [str, ...]}, "target", "last_seen", ...}``).
The file is read twice, streaming: a first pass validates every line and collects what
other entities say about an entity; the second yields the entities.

- Kept schemata: Person, Organization, Company, LegalEntity, Vessel, Airplane, plus their
  FtM sub-schemata folded into the nearest one (e.g. PublicBody -> Organization).
- Ownership (owner, asset, percentage) -> ``Relation("owned_by", target_source_id=owner,
  share=percentage)`` on the asset. Family / Associate -> ``Relation("family" /
  "associate")`` on both people; UnknownLink -> ``Relation("linked_to")`` on the subject.
  Sanction entities are folded into the sanctioned entity (programId/program -> programs,
  listingDate/startDate -> listed_on, reason -> remarks, authority -> extra). Other
  schemata (Occupancy, Position, Address, Directorship, ...) are skipped and counted in
  ``notes``.
- Non-target entities (relatives, owners: ``"target": false``) are kept, with
  ``extra["target"] == ["false"]``.
- Property mapping: name (the caption first) -> primary, alias/abbreviation -> alias,
  weakAlias -> weak_alias, previousName -> former (firstName/lastName give the primary's
  parts); birthDate (buildDate for vessels and aircraft) -> birth_dates; birthPlace ->
  birth_places; nationality/citizenship -> nationalities; country/jurisdiction/mainCountry
  -> countries; passportNumber, idNumber, taxNumber, vatCode, innCode, ogrnCode, kppCode,
  registrationNumber, imoNumber, mmsi, swiftBic, leiCode, dunsCode, callSign, serialNumber
  -> identifiers (other identifier properties -> type "other", noted by property name);
  address -> addresses; programId/program -> programs; notes/description/summary ->
  remarks; any other non-reference property -> ``extra`` under its snake_case name.
- ``published`` is the latest ``last_seen``.

``opensanctions_simple_csv``: ``targets.simple.csv`` (targets only). Columns: id, schema,
name, aliases, birth_date, countries, addresses, identifiers, sanctions, phones, emails,
[program_ids,] dataset, first_seen, last_seen, last_change -- 16 columns, or 15 in older
exports without program_ids. Multi-values are ``;``-separated. The identifiers column has
lost its types, so they are typed where the value proves itself: ``IMO`` + 7 digits ->
imo, a checksum-valid Russian INN / OGRN -> inn / ogrn, 9 digits on a vessel -> mmsi, a
Wikidata QID -> other (noted); the rest (call signs, foreign tax numbers) -> other. The sanctions column holds ``;``-joined quoted texts ->
remarks. ``published`` is the latest ``last_seen``.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from followthemoney import model as ftm_model

from tradeguard.model import SCHEMAS, Address, Entity, Identifier, Name, Relation
from tradeguard.sources.base import ParsedList, SourceError, SourceFormat
from tradeguard.sources.common import clean, clean_all, iter_csv, parse_date, read_text, split_multi
from tradeguard.sources.gb_hmt import add_all, add_extra, add_name

LIST_KEY = "opensanctions"

SIMPLE_COLUMNS = (
    "id",
    "schema",
    "name",
    "aliases",
    "birth_date",
    "countries",
    "addresses",
    "identifiers",
    "sanctions",
    "phones",
    "emails",
    "dataset",
    "first_seen",
    "last_seen",
    "last_change",
)

NAME_PROPS = {
    "name": "primary",
    "alias": "alias",
    "abbreviation": "alias",
    "weakAlias": "weak_alias",
    "previousName": "former",
}
IDENTIFIER_PROPS = {
    "passportNumber": "passport",
    "taxNumber": "tax_id",
    "vatCode": "tax_id",
    "innCode": "inn",
    "ogrnCode": "ogrn",
    "kppCode": "kpp",
    "registrationNumber": "registration",
    "imoNumber": "imo",
    "mmsi": "mmsi",
    "swiftBic": "bic",
    "leiCode": "lei",
    "dunsCode": "duns",
    "callSign": "vessel_call_sign",
    "serialNumber": "aircraft_serial",
}
COUNTRY_PROPS = ("country", "jurisdiction", "mainCountry")
NATIONALITY_PROPS = ("nationality", "citizenship")
REMARK_PROPS = ("notes", "description", "summary")
# Handled elsewhere, or of no use on a list entry.
SKIP_PROPS = {"firstName", "lastName", "indexText", "alephUrl", "topics"}

_IMO = re.compile(r"^IMO\d{7}$", re.I)
_QID = re.compile(r"^Q\d+$")
_MMSI = re.compile(r"^[2-7]\d{8}$")  # 9 digits, maritime identification digits 201-775


def _schema(name: str) -> str | None:
    """The modelled schema for an FtM schema name (sub-schemata folded), else None."""
    if name in SCHEMAS:
        return name
    schema = ftm_model.get(name)
    if schema is None:
        return None
    for target in ("Person", "Vessel", "Airplane", "Company", "Organization", "LegalEntity"):
        if schema.is_a(target):
            return target
    return None


def _snake(prop: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", prop).lower()


# --- FollowTheMoney JSON lines ---------------------------------------------------------------


def _ftm_line_ok(data: Any) -> bool:
    if not isinstance(data, dict) or not isinstance(data.get("id"), str):
        return False
    if not isinstance(data.get("schema"), str) or not isinstance(data.get("properties"), dict):
        return False
    return all(
        isinstance(values, list) and all(isinstance(v, str) for v in values) for values in data["properties"].values()
    )


def detect_ftm(path: Path, head: bytes) -> str | None:
    if not head.lstrip().startswith(b"{") or b'"schema"' not in head or b'"properties"' not in head:
        return None
    try:
        with open(path, "rb") as fh:
            lines = [fh.readline(2_000_000) for _ in range(3)]
        parsed = [json.loads(line) for line in lines if line.strip()]
    except (OSError, ValueError):
        return None
    if parsed and all(_ftm_line_ok(d) for d in parsed):
        return LIST_KEY
    return None


@dataclass
class _Links:
    relations: dict[str, list[Relation]] = field(default_factory=dict)
    programs: dict[str, list[str]] = field(default_factory=dict)
    listed: dict[str, list[str]] = field(default_factory=dict)
    remarks: dict[str, list[str]] = field(default_factory=dict)
    authorities: dict[str, list[str]] = field(default_factory=dict)
    schemata: dict[str, int] = field(default_factory=dict)
    kept: int = 0
    non_targets: int = 0
    last_seen: str | None = None

    def relate(self, entity_id: str, relation: Relation) -> None:
        add_all(self.relations.setdefault(entity_id, []), [relation])


def _iter_json_lines(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    try:
        with open(path, "rb") as fh:
            yield from _json_lines(path, fh)
    except OSError as exc:
        raise SourceError(path, None, f"cannot read file: {exc.strerror}") from exc


def _json_lines(path: Path, fh: io.BufferedReader) -> Iterator[tuple[int, dict[str, Any]]]:
    for number, raw in enumerate(fh, 1):
        try:
            line = raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            raise SourceError(path, f"line {number}", f"text is not UTF-8 (byte {exc.start + 1} of the line)") from exc
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except ValueError as exc:
            raise SourceError(path, f"line {number}", f"malformed JSON: {exc}") from exc
        if not _ftm_line_ok(data):
            raise SourceError(path, f"line {number}", _ftm_problem(data))
        yield number, data


def _ftm_problem(data: Any) -> str:
    if isinstance(data, dict) and isinstance(data.get("properties"), dict):
        for prop, values in data["properties"].items():
            if isinstance(values, list) and any(isinstance(v, dict) for v in values):
                return f"property {prop!r} holds a nested entity: this is a targets.nested.json export, which is not read"
    return "not a FollowTheMoney entity (needs id, schema and properties of string lists)"


def read_ftm(path: Path) -> ParsedList:
    links = _Links()
    for _number, data in _iter_json_lines(path):
        _collect(data, links)
    skipped = {k: v for k, v in sorted(links.schemata.items()) if _schema(k) is None}
    notes = [f"{links.kept} entities of the modelled schemata"]
    if links.non_targets:
        notes.append(f"{links.non_targets} of them are not targets (related parties): extra['target'] == ['false']")
    if skipped:
        notes.append("skipped schemata (folded into relations/sanctions or not modelled): " + ", ".join(f"{k} {v}" for k, v in skipped.items()))
    return ParsedList(LIST_KEY, "opensanctions_ftm", [path], _ftm_entities(path, links), published=links.last_seen, notes=notes)


def _collect(data: dict[str, Any], links: _Links) -> None:
    schema = data["schema"]
    props: dict[str, list[str]] = data["properties"]
    links.schemata[schema] = links.schemata.get(schema, 0) + 1
    seen = data.get("last_seen")
    if isinstance(seen, str) and (links.last_seen is None or seen > links.last_seen):
        links.last_seen = seen
    if _schema(schema) is not None:
        links.kept += 1
        if data.get("target") is False:
            links.non_targets += 1
        return
    if schema == "Ownership":
        note = clean_all(props.get("role", []) + props.get("ownershipType", []))
        for asset in props.get("asset", []):
            for owner in props.get("owner", []):
                share = next(iter(clean_all(props.get("percentage", []))), None)
                links.relate(asset, Relation(kind="owned_by", target_source_id=owner, share=share, note="; ".join(note) or None))
    elif schema in ("Family", "Associate"):
        kind = "family" if schema == "Family" else "associate"
        other_prop = "relative" if schema == "Family" else "associate"
        relationship = "; ".join(clean_all(props.get("relationship", []))) or None
        for person in props.get("person", []):
            for other in props.get(other_prop, []):
                links.relate(person, Relation(kind=kind, target_source_id=other, note=relationship))
                links.relate(other, Relation(kind=kind, target_source_id=person))
    elif schema == "UnknownLink":
        role = "; ".join(clean_all(props.get("role", []))) or None
        for subject in props.get("subject", []):
            for obj in props.get("object", []):
                links.relate(subject, Relation(kind="linked_to", target_source_id=obj, note=role))
    elif schema == "Sanction":
        for target in props.get("entity", []):
            add_all(links.programs.setdefault(target, []), clean_all(props.get("programId", []) or props.get("program", [])))
            dates = [parse_date(d) for d in props.get("listingDate", []) + props.get("startDate", [])]
            add_all(links.listed.setdefault(target, []), [d for d in dates if d])
            add_all(links.remarks.setdefault(target, []), clean_all(props.get("reason", [])))
            add_all(links.authorities.setdefault(target, []), clean_all(props.get("authority", [])))


def _ftm_entities(path: Path, links: _Links) -> Iterator[Entity]:
    for _number, data in _iter_json_lines(path):
        schema = _schema(data["schema"])
        if schema is None:
            continue
        entity = _ftm_entity(data, schema)
        entity_id = data["id"]
        add_all(entity.relations, links.relations.get(entity_id, []))
        add_all(entity.programs, links.programs.get(entity_id, []))
        add_all(entity.remarks, links.remarks.get(entity_id, []))
        add_extra(entity, "sanction_authority", links.authorities.get(entity_id, []))
        listed = links.listed.get(entity_id)
        if listed:
            entity.listed_on = min(listed)
        yield entity


def _ftm_entity(data: dict[str, Any], schema: str) -> Entity:
    props: dict[str, list[str]] = data["properties"]
    entity = Entity(list=LIST_KEY, source_id=data["id"], schema=schema)
    ftm_schema = ftm_model.get(data["schema"])
    caption = clean(data.get("caption"))
    primary_values = clean_all(props.get("name", []))
    if caption in primary_values:
        primary_values.remove(caption)
        primary_values.insert(0, caption)
    first = clean_all(props.get("firstName", []))
    last = clean_all(props.get("lastName", []))
    names: list[Name] = []
    for i, value in enumerate(primary_values):
        name = Name(value=value, kind="primary" if i == 0 else "alias")
        if i == 0 and schema == "Person" and len(first) == 1 and len(last) == 1:
            name.given, name.family = first[0], last[0]
        add_name(names, name)
    for prop, kind in NAME_PROPS.items():
        if prop != "name":
            for value in clean_all(props.get(prop, [])):
                add_name(names, Name(value=value, kind=kind))
    if names and not any(n.kind == "primary" for n in names):
        names[0].kind = "primary"
    entity.names = names
    date_props = ("birthDate",) if schema == "Person" else ("buildDate",) if schema in ("Vessel", "Airplane") else ()
    for prop in date_props:
        add_all(entity.birth_dates, [parse_date(v) or clean(v) for v in props.get(prop, [])])
    add_all(entity.birth_places, clean_all(props.get("birthPlace", [])))
    for prop in NATIONALITY_PROPS:
        add_all(entity.nationalities, clean_all(props.get(prop, [])))
    for prop in COUNTRY_PROPS:
        add_all(entity.countries, clean_all(props.get(prop, [])))
    add_all(entity.addresses, [Address(text=a) for a in clean_all(props.get("address", []))])
    add_all(entity.programs, clean_all(props.get("programId", []) + props.get("program", [])))
    for prop in REMARK_PROPS:
        add_all(entity.remarks, clean_all(props.get(prop, [])))
    handled = set(NAME_PROPS) | set(IDENTIFIER_PROPS) | set(COUNTRY_PROPS) | set(NATIONALITY_PROPS)
    handled |= set(REMARK_PROPS) | set(date_props) | {"birthPlace", "address", "programId", "program"}
    for prop, values in props.items():
        if prop in handled or prop in SKIP_PROPS:
            continue
        prop_type = ftm_schema.properties[prop].type.name if ftm_schema and prop in ftm_schema.properties else "string"
        if prop_type == "entity":
            continue
        if prop_type == "identifier" or prop == "idNumber":
            kind = "national_id" if prop == "idNumber" and schema == "Person" else "other"
            note = None if kind != "other" else prop
            add_all(entity.identifiers, [Identifier(type=kind, value=v, note=note) for v in clean_all(values)])
        else:
            add_extra(entity, _snake(prop), values)
    for prop, kind in IDENTIFIER_PROPS.items():
        if prop == "registrationNumber" and schema == "Airplane":
            kind = "aircraft_tail"
        add_all(entity.identifiers, [Identifier(type=kind, value=v) for v in clean_all(props.get(prop, []))])
    add_extra(entity, "topics", props.get("topics", []))
    add_extra(entity, "datasets", data.get("datasets") or [])
    if isinstance(data.get("target"), bool):
        entity.extra["target"] = ["true" if data["target"] else "false"]
    return entity


# --- targets.simple.csv ------------------------------------------------------------------


def detect_simple(path: Path, head: bytes) -> str | None:
    line = head.removeprefix(b"\xef\xbb\xbf").split(b"\n", 1)[0]
    if not line.startswith((b'"id",', b"id,")):
        return None
    try:
        columns = next(csv.reader([line.decode("utf-8", errors="replace").strip()]))
    except (csv.Error, StopIteration):
        return None
    return LIST_KEY if all(c in columns for c in SIMPLE_COLUMNS) else None


def read_simple(path: Path) -> ParsedList:
    text = read_text(path)
    rows = iter_csv(path, text=text)
    try:
        line, header = next(rows)
    except StopIteration:
        raise SourceError(path, "line 1", "file has no header row") from None
    missing = [c for c in SIMPLE_COLUMNS if c not in header]
    if missing:
        raise SourceError(path, f"line {line}", f"missing required column(s): {', '.join(missing)}")
    last_seen: str | None = None
    kept = 0
    skipped: dict[str, int] = {}
    for line, row in rows:
        if not row:
            continue
        if len(row) != len(header):
            raise SourceError(path, f"line {line}", f"expected {len(header)} fields, found {len(row)}")
        record = dict(zip(header, row, strict=True))
        if not clean(record["id"]):
            raise SourceError(path, f"line {line}", "missing id")
        if not clean(record["schema"]):
            raise SourceError(path, f"line {line}", "missing schema")
        if _schema(record["schema"]) is None:
            skipped[record["schema"]] = skipped.get(record["schema"], 0) + 1
        else:
            kept += 1
        seen = clean(record["last_seen"])
        if seen and (last_seen is None or seen > last_seen):
            last_seen = seen
    layout = "16-column layout" if "program_ids" in header else "15-column layout (no program_ids)"
    notes = [f"{kept} targets ({layout})"]
    if skipped:
        notes.append("skipped schemata: " + ", ".join(f"{k} {v}" for k, v in sorted(skipped.items())))
    return ParsedList(
        LIST_KEY, "opensanctions_simple_csv", [path], _simple_entities(path, text, header), published=last_seen, notes=notes
    )


def _simple_entities(path: Path, text: str, header: list[str]) -> Iterator[Entity]:
    rows = iter_csv(path, text=text)
    next(rows)
    for _line, row in rows:
        if not row:
            continue
        r = dict(zip(header, row, strict=True))
        schema = _schema(r["schema"])
        if schema is not None:
            yield _simple_entity(r, schema)


def _simple_entity(r: dict[str, str], schema: str) -> Entity:
    entity = Entity(list=LIST_KEY, source_id=r["id"].strip(), schema=schema)
    names: list[Name] = []
    name = clean(r["name"])
    if name:
        add_name(names, Name(value=name, kind="primary"))
    for alias in split_multi(r["aliases"]):
        add_name(names, Name(value=alias, kind="alias"))
    if names and names[0].kind != "primary":
        names[0].kind = "primary"
    entity.names = names
    add_all(entity.birth_dates, [parse_date(v) or v for v in split_multi(r["birth_date"])])
    add_all(entity.countries, split_multi(r["countries"]))
    add_all(entity.addresses, [Address(text=a) for a in split_multi(r["addresses"])])
    add_all(entity.identifiers, [_typed_identifier(v, schema) for v in split_multi(r["identifiers"])])
    add_all(entity.remarks, _sanction_texts(r["sanctions"]))
    add_all(entity.programs, split_multi(r.get("program_ids")))
    add_extra(entity, "phone", split_multi(r["phones"]))
    add_extra(entity, "email", split_multi(r["emails"]))
    add_extra(entity, "datasets", split_multi(r["dataset"]))
    add_extra(entity, "first_seen", [r["first_seen"]])
    add_extra(entity, "last_change", [r["last_change"]])
    return entity


def _typed_identifier(value: str, schema: str) -> Identifier:
    from rigour.ids import INN, OGRN

    if _IMO.match(value):
        return Identifier(type="imo", value=value)
    if _QID.match(value):
        return Identifier(type="other", value=value, note="Wikidata QID")
    if value.isdigit():
        if schema == "Vessel" and _MMSI.match(value):
            return Identifier(type="mmsi", value=value)
        if len(value) in (10, 12) and INN.is_valid(value):
            return Identifier(type="inn", value=value)
        if len(value) in (13, 15) and OGRN.is_valid(value):
            return Identifier(type="ogrn", value=value)
    return Identifier(type="other", value=value)


def _sanction_texts(value: str) -> list[str]:
    """The sanctions cell: ';'-joined, each part CSV-quoted ('"text ""with"" quotes";"x"')."""
    if not clean(value):
        return []
    try:
        parts = next(csv.reader(io.StringIO(value), delimiter=";"), [])
    except csv.Error:
        parts = [value]
    return clean_all(parts)


FORMATS: list[SourceFormat] = [
    SourceFormat(
        name="opensanctions_ftm",
        description="OpenSanctions export: entities.ftm.json (FollowTheMoney JSON lines)",
        detect=detect_ftm,
        read=read_ftm,
    ),
    SourceFormat(
        name="opensanctions_simple_csv",
        description="OpenSanctions export: targets.simple.csv (15 or 16 columns)",
        detect=detect_simple,
        read=read_simple,
    ),
]
