"""FCDO "UK Sanctions List" (the Sanctions Act designations), list key ``gb_fcdo``.

``source_id`` is the list's **Unique ID** (e.g. ``RUS0001``). We hold no copy of this
publication (PROVENANCE.md: the XML is ~19.5 MB); the layouts below are documented from
public sources, and the tests build small files from them with invented rows.

Table layout (``UK-Sanctions-List.csv``, and the same table as a spreadsheet, XLSX/ODS):
an optional first line ``Report Date: 13-Feb-2026`` (-> ``published``), then a header of
58 columns, then one row per name / address variant, grouped by ``Unique ID``::

    Last Updated, Unique ID, OFSI Group ID, UN Reference Number, Name 6, Name 1 .. Name 5,
    Name type, Alias strength, Title, Name non-latin script, Non-latin script type,
    Non-latin script language, Regime Name, Designation Type, Designation source,
    Sanctions Imposed, Other Information, UK Statement of Reasons, Address Line 1 .. 6,
    Address Postal Code, Address Country, Phone number, Website, Email address,
    Date Designated, D.O.B, Nationality(/ies), National Identifier number,
    National Identifier additional information, Passport number,
    Passport additional information, Position, Gender, Town of birth, Country of birth,
    Type of entity, Subsidiaries, Parent company, Business registration number (s),
    IMO number, Current owner/operator (s), Previous owner/operator (s),
    Current believed flag of ship, Previous flags, Type of ship, Tonnage of ship,
    Length of ship, Year Built, Hull identification number (HIN)

Sources for the table layout: moov-io/watchman ``pkg/sources/csl_uk/reader_uk_test.go``
(the header with its "Report Date:" line, as published at
https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.csv) and
``pkg/sources/csl_uk/uk_csl.go`` (column positions of the earlier ODS publication, which
agree with the first 30 columns above); the same 58-column header is quoted, "copied from
the file of 8 October 2026", in other public test suites. Name type values ("Primary
name", "Primary name variation", "Alias") and the language names are from OpenSanctions
``datasets/gb/fcdo_sanctions/gb_fcdo_sanctions.yml``.

XML layout (``UK-Sanctions-List.xml``): root ``<Designations>`` (with ``<DateGenerated>``),
one ``<Designation>`` per Unique ID holding ``UniqueID``, ``OFSIGroupID``,
``UNReferenceNumber``, ``LastUpdated``, ``DateDesignated``, ``RegimeName``,
``IndividualEntityShip``, ``DesignationSource``, ``SanctionsImposed`` ("|"-separated),
``OtherInformation``, ``UKStatementofReasons``, ``Names/Name/{Name1..Name6, NameType,
AliasStrength}``, ``NonLatinNames/.../{NameNonLatinScript, NonLatinScriptType,
NonLatinScriptLanguage}``, ``Addresses/Address/{AddressLine1..6, AddressPostalCode,
AddressCountry}``, ``PhoneNumbers/PhoneNumber``, ``EmailAddresses/EmailAddress``,
``IndividualDetails/Individual/{DOBs/DOB, Title, BirthDetails/Location/{TownOfBirth,
CountryOfBirth}, Nationalities/Nationality, Positions/Position}`` and
``ShipDetails/Ship/{IMONumbers/IMONumber, CurrentOwnerOperators/CurrentOwnerOperator,
TypeOfShipDetails/TypeOfShip, CurrentBelievedFlagOfShips/CurrentBelievedFlagOfShip}``.
Source: OpenSanctions ``datasets/gb/fcdo_sanctions/crawler.py`` (the production crawler of
that file). Elements are found by local name anywhere inside a Designation, so a different
nesting still reads. Passport and national-ID elements are not documented there and are
not read from the XML (the table layout has them).

Mapping is the same as ``gb_hmt`` (whose helpers are reused): Name 1..5 given names, Name 6
surname; Primary name -> primary, Primary name variation / Alias -> alias, Alias strength
"Low"/"weak" -> weak_alias; Designation Type Individual/Entity/Ship ->
Person/Organization/Vessel; Regime Name -> programs; Date Designated -> listed_on; OFSI
Group ID -> ``extra["ofsi_group_id"]`` (the ``gb_hmt`` source_id of the same target).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lxml import etree

from tradeguard.model import Address, Entity, Identifier, Name, Relation
from tradeguard.sources.base import ParsedList, SourceError, SourceFormat
from tradeguard.sources.common import (
    cell_text,
    clean,
    clean_all,
    is_xlsx,
    iter_csv,
    iter_xml,
    parse_date,
    parse_dates,
    read_head,
    read_text,
    sniff_xml_root,
    split_enumerated,
    split_multi,
    xlsx_head_rows,
    xlsx_sheets,
)
from tradeguard.sources.gb_hmt import (
    GROUP_TYPES,
    NAME_KIND_ORDER,
    add_all,
    add_extra,
    add_name,
    address_text,
    birth_places,
    group_rows,
    identifiers_with_details,
    language_code,
    uk_country,
)

LIST_KEY = "gb_fcdo"

REQUIRED_COLUMNS = ("unique id", "name 6", "name type", "regime name", "designation type")


def _norm(header: Any) -> str:
    return re.sub(r"\s+", " ", str(header or "")).strip().lower()


class _Builder:
    """Collects one designation's values (from table rows or an XML element)."""

    def __init__(self, unique_id: str, schema: str) -> None:
        self.entity = Entity(list=LIST_KEY, source_id=unique_id, schema=schema)
        self.primaries: list[Name] = []
        self.others: list[Name] = []
        self.listed: list[str] = []
        self.updated: list[str] = []

    def name(self, parts: list[str | None], name_type: str | None, strength: str | None) -> None:
        given = " ".join(p for p in parts[:5] if p) or None
        family = parts[5]
        value = clean(" ".join(p for p in (given, family) if p))
        if not value:
            return
        person = self.entity.schema == "Person"
        name = Name(value=value, given=given if person else None, family=family if person and given else None)
        kind = (name_type or "").strip().lower()
        quality = (strength or "").strip().lower()
        if kind == "primary name":
            name.kind = "primary"
            add_name(self.primaries, name)
            return
        name.kind = "weak_alias" if quality.startswith("low") or "weak" in quality else "alias"
        add_name(self.others, name)

    def script_name(self, value: str | None, language: str | None, script: str | None) -> None:
        if value:
            add_name(self.others, Name(value=value, kind="original_script", lang=language_code(language, script)))

    def address(self, parts: list[str | None], country: str | None) -> None:
        text = address_text([*parts, country])
        if text:
            add_all(self.entity.addresses, [Address(text=text, country=uk_country(country))])

    def dates_of_birth(self, value: str | None) -> None:
        dates, unread = parse_dates(value)
        add_all(self.entity.birth_dates, dates)
        add_extra(self.entity, "birth_date_text", unread)

    def extra(self, key: str, value: str | None, separators: str | None = None) -> None:
        values = split_multi(value, separators) if separators else split_enumerated(value)
        add_extra(self.entity, key, values)

    def relation(self, kind: str, value: str | None, note: str) -> None:
        add_all(self.entity.relations, [Relation(kind=kind, target_name=v, note=note) for v in split_enumerated(value)])

    def identifier(self, kind: str, value: str | None, note: str | None = None) -> None:
        add_all(self.entity.identifiers, [Identifier(type=kind, value=v, note=note) for v in split_enumerated(value)])

    def finish(self) -> Entity:
        names = self.primaries[:1]
        for name in self.primaries[1:]:
            add_name(names, Name(value=name.value, kind="alias", given=name.given, family=name.family))
        for name in self.others:
            add_name(names, name)
        if not self.primaries and names:
            promote = next((n for n in names if n.kind != "original_script"), names[0])
            promote.kind = "primary"
        self.entity.names = sorted(names, key=lambda n: NAME_KIND_ORDER.get(n.kind, 9))
        self.entity.listed_on = min(self.listed) if self.listed else None
        if self.updated:
            self.entity.extra["last_updated"] = [max(self.updated)]
        return self.entity


def _schema(value: str | None, path: Path, where: str, notes: list[str]) -> str:
    text = (value or "").strip()
    if not text:
        raise SourceError(path, where, "missing designation type (Individual/Entity/Ship)")
    schema = GROUP_TYPES.get(text.lower())
    if schema is None:
        notes.append(f"{where}: unknown designation type {text!r}, read as LegalEntity")
        return "LegalEntity"
    return schema


def _report_date(value: Any) -> str | None:
    text = clean(value)
    if not text or not text.lower().startswith("report date"):
        return None
    dates, _unread = parse_dates(text.split(":", 1)[-1])
    return dates[0] if dates else None


# --- table: CSV / XLSX / ODS -------------------------------------------------------------


def _is_header(cells: list[Any]) -> bool:
    names = {_norm(c) for c in cells}
    return "unique id" in names and "name 6" in names


def detect_csv(path: Path, head: bytes) -> str | None:
    if is_xlsx(head) or sniff_xml_root(head) is not None:
        return None
    lines = head.removeprefix(b"\xef\xbb\xbf").splitlines()[:2]
    if not lines:
        return None
    header = lines[1] if lines[0].lower().startswith(b"report date") and len(lines) > 1 else lines[0]
    text = header.decode("utf-8", errors="replace")
    return LIST_KEY if _is_header(text.split(",")) else None


def detect_sheet(path: Path, head: bytes) -> str | None:
    if not is_xlsx(head):
        return None
    for rows in xlsx_head_rows(path, 4).values():
        if any(_is_header(row) for row in rows[:3]):
            return LIST_KEY
    return None


def read_csv(path: Path) -> ParsedList:
    text = read_text(path)
    rows = [(f"line {n}", [clean(c) if c else None for c in row]) for n, row in iter_csv(path, text=text)]
    return _read_table(path, "gb_fcdo_csv", rows)


def read_sheet(path: Path) -> ParsedList:
    for name, sheet in xlsx_sheets(path).items():
        if any(_is_header(row) for row in sheet[:3]):
            rows = [(f"sheet '{name}' row {i}", [cell_text(c) for c in row]) for i, row in enumerate(sheet, 1)]
            return _read_table(path, "gb_fcdo_sheet", rows)
    raise SourceError(path, None, "no sheet with the UK Sanctions List header (Unique ID, Name 6, ...)")


def _read_table(path: Path, fmt: str, rows: list[tuple[str, list[str | None]]]) -> ParsedList:
    published = None
    start = 0
    while start < len(rows) and start < 3 and not _is_header(rows[start][1]):
        published = published or _report_date(rows[start][1][0] if rows[start][1] else None)
        start += 1
    if start >= len(rows) or not _is_header(rows[start][1]):
        where = rows[0][0] if rows else "line 1"
        raise SourceError(path, where, "no UK Sanctions List header row (with 'Unique ID' and 'Name 6') in the first 3 rows")
    where, header = rows[start]
    names = [_norm(h) for h in header]
    while names and not names[-1]:
        names.pop()
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    if missing:
        raise SourceError(path, where, f"missing required column(s): {', '.join(missing)}")
    groups, count = group_rows(path, rows[start + 1 :], names, "unique id", "Unique ID")
    notes = [f"{count} rows grouped into {len(groups)} designations by Unique ID"]
    if published is None:
        notes.append("no 'Report Date' line: publication date unknown")
    entities = [_table_entity(path, uid, group, notes) for uid, group in groups.items()]
    return ParsedList(LIST_KEY, fmt, [path], iter(entities), published=published, notes=notes)


def _table_entity(path: Path, unique_id: str, rows: list[tuple[str, dict[str, str | None]]], notes: list[str]) -> Entity:
    where, first = rows[0]
    b = _Builder(unique_id, _schema(first.get("designation type"), path, where, notes))
    e = b.entity
    for _where, r in rows:
        b.name([r.get(f"name {i}") for i in range(1, 7)], r.get("name type"), r.get("alias strength"))
        b.script_name(r.get("name non-latin script"), r.get("non-latin script language"), r.get("non-latin script type"))
        b.address([r.get(f"address line {i}") for i in range(1, 7)] + [r.get("address postal code")], r.get("address country"))
        b.dates_of_birth(r.get("d.o.b"))
        add_all(e.birth_places, birth_places(r.get("town of birth"), r.get("country of birth")))
        add_all(e.nationalities, [uk_country(n) for n in split_enumerated(r.get("nationality(/ies)"))])
        add_all(e.identifiers, identifiers_with_details("passport", r.get("passport number"), r.get("passport additional information")))
        add_all(
            e.identifiers,
            identifiers_with_details(
                "national_id", r.get("national identifier number"), r.get("national identifier additional information")
            ),
        )
        b.identifier("registration", r.get("business registration number (s)"))
        b.identifier("imo", r.get("imo number"))
        b.identifier("other", r.get("hull identification number (hin)"), note="hull identification number (HIN)")
        add_all(e.programs, [r.get("regime name")])
        add_all(e.remarks, [r.get("other information"), r.get("uk statement of reasons")])
        b.relation("owned_by", r.get("parent company"), "parent company")
        b.relation("owner_of", r.get("subsidiaries"), "subsidiary")
        b.relation("owned_by", r.get("current owner/operator (s)"), "current owner/operator")
        add_all(b.listed, [parse_date(r.get("date designated"))])
        add_all(b.updated, [parse_date(r.get("last updated"))])
        year_built = parse_date(r.get("year built"))
        if year_built:
            add_all(e.birth_dates, [year_built])
        for column, key in _TABLE_EXTRA:
            b.extra(key, r.get(column))
        b.extra("sanctions_imposed", r.get("sanctions imposed"), "|")
    return b.finish()


_TABLE_EXTRA = (
    ("ofsi group id", "ofsi_group_id"),
    ("un reference number", "un_ref"),
    ("title", "title"),
    ("designation source", "designation_source"),
    ("phone number", "phone"),
    ("website", "website"),
    ("email address", "email"),
    ("position", "position"),
    ("gender", "gender"),
    ("type of entity", "entity_type"),
    ("previous owner/operator (s)", "previous_owners"),
    ("current believed flag of ship", "flag"),
    ("previous flags", "previous_flags"),
    ("type of ship", "vessel_type"),
    ("tonnage of ship", "tonnage"),
    ("length of ship", "length"),
)


# --- XML -----------------------------------------------------------------------------------


def _local(elem: etree._Element) -> str:
    return etree.QName(elem).localname if isinstance(elem.tag, str) else ""


def _find_all(elem: etree._Element, name: str) -> list[etree._Element]:
    return [e for e in elem.iter() if isinstance(e.tag, str) and _local(e) == name]


def _text(elem: etree._Element | None) -> str | None:
    if elem is None:
        return None
    return clean("".join(elem.itertext()))


def _texts(elem: etree._Element, name: str) -> list[str]:
    return clean_all(_text(e) for e in _find_all(elem, name))


def _child_text(elem: etree._Element, name: str) -> str | None:
    for child in elem:
        if isinstance(child.tag, str) and _local(child) == name:
            return _text(child)
    return None


def detect_xml(path: Path, head: bytes) -> str | None:
    return LIST_KEY if sniff_xml_root(head) == "Designations" else None


def read_xml(path: Path) -> ParsedList:
    published = None
    for elem in iter_xml(path, {"DateGenerated", "Designation"}):
        if _local(elem) == "DateGenerated":
            published = parse_date(_text(elem))
        break
    notes: list[str] = []
    if published is None:
        notes.append("no <DateGenerated> before the first designation: publication date unknown")
    return ParsedList(LIST_KEY, "gb_fcdo_xml", [path], _xml_entities(path, notes), published=published, notes=notes)


def _xml_entities(path: Path, notes: list[str]) -> Iterator[Entity]:
    seen: set[str] = set()
    for number, elem in enumerate(iter_xml(path, {"Designation"}), 1):
        where = f"Designation #{number} (line {elem.sourceline})"
        unique_id = _child_text(elem, "UniqueID")
        if not unique_id:
            raise SourceError(path, where, "missing <UniqueID>")
        if unique_id in seen:
            raise SourceError(path, where, f"duplicate UniqueID {unique_id!r}")
        seen.add(unique_id)
        yield _xml_entity(path, elem, unique_id, where, notes)


def _xml_entity(path: Path, elem: etree._Element, unique_id: str, where: str, notes: list[str]) -> Entity:
    b = _Builder(unique_id, _schema(_child_text(elem, "IndividualEntityShip"), path, where, notes))
    e = b.entity
    for name in _find_all(elem, "Name"):
        if len(name):  # the <Name> holding Name1..Name6 (not a text-only element)
            parts = [_child_text(name, f"Name{i}") for i in range(1, 7)]
            b.name(parts, _child_text(name, "NameType"), _child_text(name, "AliasStrength"))
    for script in _find_all(elem, "NameNonLatinScript"):
        parent = script.getparent()
        language = _child_text(parent, "NonLatinScriptLanguage") if parent is not None else None
        kind = _child_text(parent, "NonLatinScriptType") if parent is not None else None
        b.script_name(_text(script), language, kind)
    for address in _find_all(elem, "Address"):
        parts = [_child_text(address, f"AddressLine{i}") for i in range(1, 7)]
        b.address([*parts, _child_text(address, "AddressPostalCode")], _child_text(address, "AddressCountry"))
    for dob in _texts(elem, "DOB"):
        b.dates_of_birth(dob)
    for location in _find_all(elem, "Location"):
        add_all(e.birth_places, birth_places(_child_text(location, "TownOfBirth"), _child_text(location, "CountryOfBirth")))
    add_all(e.nationalities, [uk_country(n) for n in _texts(elem, "Nationality")])
    for imo in _texts(elem, "IMONumber"):
        b.identifier("imo", imo)
    for owner in _texts(elem, "CurrentOwnerOperator"):
        b.relation("owned_by", owner, "current owner/operator")
    add_all(e.programs, _texts(elem, "RegimeName"))
    add_all(e.remarks, _texts(elem, "OtherInformation") + _texts(elem, "UKStatementofReasons"))
    add_all(b.listed, [parse_date(v) for v in _texts(elem, "DateDesignated")])
    add_all(b.updated, [parse_date(v) for v in _texts(elem, "LastUpdated")])
    for tag, key in _XML_EXTRA:
        for value in _texts(elem, tag):
            b.extra(key, value)
    for value in _texts(elem, "SanctionsImposed"):
        b.extra("sanctions_imposed", value, "|")
    for value in _texts(elem, "EmailAddress"):
        b.extra("email", value, "; ")
    return b.finish()


_XML_EXTRA = (
    ("OFSIGroupID", "ofsi_group_id"),
    ("UNReferenceNumber", "un_ref"),
    ("Title", "title"),
    ("DesignationSource", "designation_source"),
    ("PhoneNumber", "phone"),
    ("Website", "website"),
    ("Position", "position"),
    ("Gender", "gender"),
    ("TypeOfShip", "vessel_type"),
    ("CurrentBelievedFlagOfShip", "flag"),
)


def read(path: Path) -> ParsedList:
    """Read any of the layouts (for callers that bypass detection)."""
    head = read_head(path, 4096)
    if is_xlsx(head):
        return read_sheet(path)
    if sniff_xml_root(head) is not None:
        return read_xml(path)
    return read_csv(path)


FORMATS: list[SourceFormat] = [
    SourceFormat(
        name="gb_fcdo_csv",
        description="FCDO UK Sanctions List, CSV (Report Date line + 58-column header)",
        detect=detect_csv,
        read=read_csv,
    ),
    SourceFormat(
        name="gb_fcdo_sheet",
        description="FCDO UK Sanctions List, spreadsheet (XLSX/ODS) with the CSV's columns",
        detect=detect_sheet,
        read=read_sheet,
    ),
    SourceFormat(
        name="gb_fcdo_xml",
        description="FCDO UK Sanctions List, XML (<Designations>/<Designation>)",
        detect=detect_xml,
        read=read_xml,
    ),
]
