"""OFAC classic ``sdnList`` XML: ``sdn.xml`` (SDN list) and ``consolidated.xml`` (non-SDN).

Root ``<sdnList>`` in the namespace ``http://tempuri.org/sdnList.xsd`` (files up to 2020) or
``https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XML`` (2024 on);
both are read, as is any other namespace on that root (elements are matched by local name).
``publshInformation/Publish_Date`` (mm/dd/yyyy) -> ``published``; a ``Record_Count`` that
differs from the number of ``sdnEntry`` elements is reported in ``notes`` (e.g. a partial
copy).

**List key.** By file name (:func:`ofac_csv.list_key_from_name`: ``cons*`` ->
``us_ofac_cons``, ``sdn.*`` -> ``us_ofac_sdn``); otherwise by content, with the same rule
as the legacy files: ``us_ofac_cons`` when at least 10% of the entries carry a non-SDN
program (``NS-PLC``, ``FSE-*``, ``561*``, ``CMIC*``, ...) or say "Not on the SDN List".
The haverisenosku mirror's ``ofac.xml`` is OFAC's CONSOLIDATED.XML renamed: its entries are
the NS-PLC / CMIC / SSI (Directive 1-4) / 561 entries, about a third of them non-SDN
programs, so it is ``us_ofac_cons``. ``detect`` applies the rule to the entries in the first
bytes, ``read`` to every entry.

**Mapping** (``sdnEntry``):

* ``uid`` -> source_id. sdnType Individual -> Person, Entity -> Organization, Vessel ->
  Vessel, Aircraft -> Airplane.
* Names are written as in the legacy files: "LASTNAME, First" for people (``family`` /
  ``given`` filled), lastName alone otherwise. ``akaList/aka``: ``category`` weak ->
  ``weak_alias``; else ``type`` f.k.a. -> ``former``, a.k.a. / n.k.a. -> ``alias``.
* ``programList/program`` -> programs; ``title`` -> ``extra["title"]``.
* ``idList/id``: ``idType`` is OFAC's label, read with the label table shared with the
  legacy Remarks (:data:`ofac_csv.LABELS`): passports, national and tax ids (Russian
  INN/OGRN), registration numbers, IMO/MMSI, SWIFT/BIC, crypto addresses, website, email,
  gender, vessel/aircraft data, organisation data ...; ``idCountry`` -> the identifier's
  country, ``issueDate``/``expirationDate`` -> its note. An unknown ``idType`` whose label
  names a number ("... No.", "Number", "ID", "#") becomes an ``other`` identifier; any
  other unknown pair goes to remarks as "idType idNumber".
* ``addressList/address``: address1-3, city, stateOrProvince, postalCode, country joined
  into ``Address.text``; ``city`` and country code kept; codes also go to ``countries``.
* ``nationalityList`` / ``citizenshipList`` -> nationalities (countries for non-persons);
  ``dateOfBirthList`` -> birth_dates (OFAC date spellings, ranges, circa);
  ``placeOfBirthList`` -> birth_places; ``vesselInfo`` -> the same ``extra`` keys as the
  legacy vessel columns (plus a ``vessel_call_sign`` identifier and an ``owned_by``
  relation by name for the owner).
* ``remarks`` is split into items like the legacy Remarks: "(Linked To: NAME)" ->
  ``Relation("linked_to")`` (with ``target_source_id`` when the named entry is in the same
  file); other items stay remarks.

``read`` scans the whole file first (well-formedness, uids, counts, list key, the name
index for links), then streams the entries. Errors name the file and the line / entry.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from lxml import etree

from tradeguard.model import Address, Entity, Name
from tradeguard.sources.base import ParsedList, SourceError, SourceFormat
from tradeguard.sources.common import (
    clean,
    iter_xml,
    parse_date,
    sniff_xml_root,
    xml_children,
    xml_root_info,
    xml_text,
)
from tradeguard.sources.ofac_csv import (
    add,
    add_extra,
    add_identifier,
    add_name,
    add_nationality,
    apply_detail,
    apply_remarks,
    apply_vessel,
    drop_title_remarks,
    is_int,
    is_non_sdn,
    list_key_from_flags,
    list_key_from_name,
    name_key,
    ofac_country,
    parse_ofac_date,
    person_name,
    promote_russian_ids,
    resolve_links,
)

ROOT = "sdnList"
FORMAT_NAME = "ofac_sdnlist_xml"
ENTRY = "sdnEntry"
SCHEMAS = {
    "individual": "Person",
    "entity": "Organization",
    "vessel": "Vessel",
    "aircraft": "Airplane",
}
_NUMBER_LABEL = re.compile(r"(\bNo\.?|\bNumber|\bID|#)\s*:?\s*$", re.I)


def detect(path: Path, head: bytes) -> str | None:
    if sniff_xml_root(head) != ROOT:
        return None
    by_name = list_key_from_name(path)
    if by_name:
        return by_name
    text = head.decode("utf-8", errors="replace")
    flags: list[bool] = []
    for chunk in re.split(r"<(?:\w+:)?sdnEntry>", text)[1:]:
        programs = re.findall(r"<(?:\w+:)?program>([^<]*)<", chunk)
        flags.append(is_non_sdn(programs, chunk))
    return list_key_from_flags(flags)


def _where(index: int, elem: etree._Element, uid: str | None = None) -> str:
    what = f"sdnEntry #{index}"
    if uid:
        what += f" (uid {uid})"
    line = elem.sourceline
    return f"line {line}, {what}" if line else what


def _uid(path: Path, index: int, elem: etree._Element) -> str:
    uid = xml_text(elem, "uid")
    if uid is None or not is_int(uid):
        raise SourceError(path, _where(index, elem), f"sdnEntry uid {uid!r} is not an integer")
    return uid


def _check(path: Path, index: int, elem: etree._Element, uid: str) -> None:
    """An entry's type and name, checked in the first pass so that errors come early."""
    sdn_type = xml_text(elem, "sdnType") or "Entity"
    if sdn_type.lower() not in SCHEMAS:
        raise SourceError(path, _where(index, elem, uid), f"unknown sdnType {sdn_type!r}")
    if xml_text(elem, "lastName") is None and xml_text(elem, "firstName") is None:
        raise SourceError(path, _where(index, elem, uid), "sdnEntry has no lastName")


def _name_value(elem: etree._Element, person: bool) -> tuple[str | None, str | None, str | None]:
    """(value, family, given) from lastName/firstName."""
    last, first = xml_text(elem, "lastName"), xml_text(elem, "firstName")
    if last and first:
        return f"{last}, {first}", last, first
    value = last or first
    return value, (last if person else None), (first if person else None)


def _scan(path: Path) -> tuple[int, list[str], str | None, list[bool], dict[str, tuple[str, str]]]:
    """Check the whole file; return (count, notes, published, non-SDN flags, name index)."""
    count = 0
    notes: list[str] = []
    published: str | None = None
    record_count: str | None = None
    flags: list[bool] = []
    index: dict[str, tuple[str, str]] = {}
    seen: set[str] = set()
    for elem in iter_xml(path, {ENTRY, "publshInformation"}):
        if etree.QName(elem).localname == "publshInformation":
            raw = xml_text(elem, "Publish_Date")
            published = parse_date(raw, dayfirst=False) if raw else None
            if raw and published is None:
                notes.append(f"Publish_Date {raw!r} is not a mm/dd/yyyy date")
            record_count = xml_text(elem, "Record_Count")
            continue
        count += 1
        uid = _uid(path, count, elem)
        if uid in seen:
            notes.append(f"uid {uid} repeated at {_where(count, elem)} (first kept)")
            continue
        seen.add(uid)
        _check(path, count, elem, uid)
        programs = [p for p in (xml_text(c) for c in _list(elem, "programList", "program")) if p]
        text = " ".join(
            filter(None, (xml_text(i, "idNumber") for i in _list(elem, "idList", "id")))
        )
        flags.append(is_non_sdn(programs, text + " " + (xml_text(elem, "remarks") or "")))
        value, _, _ = _name_value(elem, (xml_text(elem, "sdnType") or "").lower() == "individual")
        if value:
            index.setdefault(name_key(value), (uid, value))
    if record_count and is_int(record_count) and int(record_count) != count:
        notes.append(
            f"Record_Count says {record_count} entries but the file holds {count} (a partial copy?)"
        )
    return count, notes, published, flags, index


def read(path: Path) -> ParsedList:
    path = Path(path)
    if path.is_file() and path.stat().st_size == 0:
        raise SourceError(path, None, "file is empty (0 bytes): refusing it as a failed download")
    root, _attrs = xml_root_info(path)
    if root != ROOT:
        raise SourceError(
            path, "root element", f"expected <{ROOT}> (OFAC sdnList XML), found <{root}>"
        )
    count, notes, published, flags, index = _scan(path)
    if count == 0:
        raise SourceError(path, "root element", "no sdnEntry records: empty or truncated list")
    if published is None:
        notes.append("no publshInformation/Publish_Date: publication date unknown")
    list_key = list_key_from_name(path) or list_key_from_flags(flags)
    return ParsedList(
        list_key=list_key,
        format=FORMAT_NAME,
        files=[path],
        entities=_entities(path, list_key, index),
        published=published,
        notes=notes,
    )


def _entities(path: Path, list_key: str, index: dict[str, tuple[str, str]]) -> Iterator[Entity]:
    seen: set[str] = set()
    count = 0
    for elem in iter_xml(path, {ENTRY}):
        count += 1
        uid = _uid(path, count, elem)
        if uid in seen:
            continue
        seen.add(uid)
        entity = _entity(path, list_key, count, elem, uid)
        resolve_links(entity, index)
        yield entity


def _list(elem: etree._Element, container: str, item: str) -> list[etree._Element]:
    out: list[etree._Element] = []
    for box in xml_children(elem, container):
        out.extend(xml_children(box, item))
    return out


def _entity(path: Path, list_key: str, index: int, elem: etree._Element, uid: str) -> Entity:
    _check(path, index, elem, uid)
    schema = SCHEMAS[(xml_text(elem, "sdnType") or "Entity").lower()]
    person = schema == "Person"
    entity = Entity(list=list_key, source_id=uid, schema=schema)
    value, family, given = _name_value(elem, person)
    entity.names.append(Name(value=value or uid, kind="primary", family=family, given=given))
    for aka in _list(elem, "akaList", "aka"):
        _aka(entity, aka, person)
    for program in _list(elem, "programList", "program"):
        add(entity.programs, xml_text(program))
    add_extra(entity, "title", xml_text(elem, "title"))
    for ident in _list(elem, "idList", "id"):
        _id(entity, ident)
    for addr in _list(elem, "addressList", "address"):
        _address(entity, addr)
    for nat in _list(elem, "nationalityList", "nationality"):
        add_nationality(entity, xml_text(nat, "country"))
    for cit in _list(elem, "citizenshipList", "citizenship"):
        add_nationality(entity, xml_text(cit, "country"))
    for dob in _list(elem, "dateOfBirthList", "dateOfBirthItem"):
        raw = xml_text(dob, "dateOfBirth")
        if raw:
            parsed = parse_ofac_date(raw)
            if parsed:
                add(entity.birth_dates, parsed)
            else:
                add(entity.remarks, f"DOB {raw}")
    for pob in _list(elem, "placeOfBirthList", "placeOfBirthItem"):
        add(entity.birth_places, xml_text(pob, "placeOfBirth"))
    for vessel in xml_children(elem, "vesselInfo"):
        apply_vessel(
            entity,
            call_sign=xml_text(vessel, "callSign"),
            vessel_type=xml_text(vessel, "vesselType"),
            tonnage=xml_text(vessel, "tonnage"),
            grt=xml_text(vessel, "grossRegisteredTonnage"),
            flag=xml_text(vessel, "vesselFlag"),
            owner=xml_text(vessel, "vesselOwner"),
        )
    apply_remarks(entity, xml_text(elem, "remarks"))
    drop_title_remarks(entity)
    promote_russian_ids(entity)
    return entity


def _aka(entity: Entity, aka: etree._Element, person: bool) -> None:
    value, _, _ = _name_value(aka, person)
    if value is None:
        return
    category = (xml_text(aka, "category") or "strong").lower()
    aka_type = (xml_text(aka, "type") or "a.k.a.").lower()
    if category == "weak":
        kind = "weak_alias"
    elif aka_type.startswith("f"):
        kind = "former"
    else:
        kind = "alias"
    add_name(entity, person_name(value, kind, person))


def _id(entity: Entity, ident: etree._Element) -> None:
    label = xml_text(ident, "idType")
    number = xml_text(ident, "idNumber")
    if label is None or number is None:
        return
    country = xml_text(ident, "idCountry")
    tail_parts = []
    issued, expires = xml_text(ident, "issueDate"), xml_text(ident, "expirationDate")
    if issued:
        tail_parts.append(f"issued {issued}")
    if expires:
        tail_parts.append(f"expires {expires}")
    tail = " ".join(tail_parts) or None
    if apply_detail(entity, label, number, country=country, tail=tail, parse_country=True):
        return
    if _NUMBER_LABEL.search(label):
        add_identifier(
            entity, "other", label, number, ofac_country(country) or clean(country), tail
        )
    else:
        add(entity.remarks, f"{label.rstrip(' :-')}: {number}")


def _address(entity: Entity, addr: etree._Element) -> None:
    parts = [
        xml_text(addr, name)
        for name in (
            "address1",
            "address2",
            "address3",
            "city",
            "stateOrProvince",
            "postalCode",
            "country",
        )
    ]
    text = ", ".join(p for p in parts if p)
    if not text:
        return
    country = xml_text(addr, "country")
    code = ofac_country(country)
    address = Address(text=text, country=code or country, city=xml_text(addr, "city"))
    if address not in entity.addresses:
        entity.addresses.append(address)
    add(entity.countries, code or country)


FORMATS: list[SourceFormat] = [
    SourceFormat(
        name=FORMAT_NAME,
        description="OFAC sdnList XML: SDN sdn.xml and Consolidated (non-SDN) consolidated.xml",
        detect=detect,
        read=read,
    )
]
