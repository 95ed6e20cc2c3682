"""UN Security Council Consolidated List, official XML (``consolidated.xml``).

Root ``<CONSOLIDATED_LIST dateGenerated="...">`` holding ``INDIVIDUALS/INDIVIDUAL`` and
``ENTITIES/ENTITY`` records; no namespace. ``consolidatedLegacyByPRN.xml`` has the same
schema. List key ``un_sc``; ``source_id`` is the record's ``DATAID``.

Mapping decisions:

* Individual -> Person. ``FIRST_NAME`` .. ``FOURTH_NAME`` joined with spaces is the primary
  name. The UN name fields are positional, not given/family: with exactly two parts,
  ``FIRST_NAME`` is the given and ``SECOND_NAME`` the family name, except on the DPRK
  regime where the list writes the Korean family name first ("KIM" "JONG SIK"); with
  three or four parts (Arabic name chains) only ``Name.given`` (``FIRST_NAME``) is set.
* Entity -> Organization; its name is in ``FIRST_NAME``.
* ``NAME_ORIGINAL_SCRIPT`` -> an ``original_script`` name. Alias ``QUALITY`` "Good" /
  "a.k.a." / empty -> ``alias``, "Low" -> ``weak_alias``, "f.k.a." -> ``former``; empty
  aliases are skipped. Alias-level ``DATE_OF_BIRTH`` / ``CITY_OF_BIRTH`` /
  ``COUNTRY_OF_BIRTH`` (birth data used with that alias) are added to the entity's birth
  dates and places; alias notes go to ``extra["alias_note"]`` as "alias: note".
* Dates of birth: ``EXACT`` ``DATE``/``YEAR`` -> ISO prefix, ``APPROXIMATELY`` -> "~" prefix,
  ``BETWEEN`` ``FROM_YEAR``/``TO_YEAR`` -> "from/to". Timezone suffixes seen in old files
  ("1960-01-01-05:00") are dropped. A ``NOTE`` on a date of birth (e.g. a Hijri date)
  goes to ``extra["birth_date_note"]``.
* Documents: ``TYPE_OF_DOCUMENT`` passport (any language) -> ``passport``, national
  identification -> ``national_id``, else ``other``; ``ISSUING_COUNTRY`` (or
  ``COUNTRY_OF_ISSUE``) -> country; ``TYPE_OF_DOCUMENT2``, issue/expiry dates, city of
  issue and ``NOTE`` -> ``Identifier.note``. A document without ``NUMBER`` becomes a remark.
* ``UN_LIST_TYPE`` (the sanctions regime, e.g. "DPRK") -> ``programs``;
  ``REFERENCE_NUMBER`` (e.g. "KPi.033") -> ``extra["reference_number"]``.
* ``COMMENTS1`` -> remarks; ``TITLE``, ``DESIGNATION``, ``GENDER``, ``SUBMITTED_BY``,
  ``LAST_DAY_UPDATED`` and address/birthplace notes -> ``extra``.

``ParsedList.published`` is ``dateGenerated`` as stated. ``read`` scans the file once before
streaming: malformed XML, a missing ``DATAID`` or an empty list is reported at once, and a
duplicate ``DATAID`` (first record kept) is listed in ``ParsedList.notes``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TypeVar

from lxml import etree

from tradeguard.model import Address, Entity, Identifier, Name
from tradeguard.sources.base import ParsedList, SourceError, SourceFormat
from tradeguard.sources.common import (
    clean,
    clean_all,
    country_code,
    country_or_text,
    iter_xml,
    parse_date,
    sniff_xml_root,
    xml_children,
    xml_root_info,
    xml_text,
)

LIST_KEY = "un_sc"
FORMAT_NAME = "un_sc_xml"
ROOT = "CONSOLIDATED_LIST"
RECORD_TAGS = {"INDIVIDUAL", "ENTITY"}

T = TypeVar("T")

_ISO_DAY = re.compile(r"^(\d{4}-\d{1,2}-\d{1,2})(?:$|[T ]|[+-]\d{2}:\d{2}$|Z$)")
_YEAR = re.compile(r"^\d{4}$")


def detect(path: Path, head: bytes) -> str | None:
    return LIST_KEY if sniff_xml_root(head) == ROOT else None


def _where(index: int, elem: etree._Element, source_id: str | None = None) -> str:
    tag = etree.QName(elem).localname
    where = f"line {elem.sourceline}, record {index} ({tag}"
    return where + (f" DATAID {source_id})" if source_id else ")")


def _scan(path: Path) -> tuple[int, list[str]]:
    """Validate the whole file and find duplicate DATAIDs: (record count, notes)."""
    seen: dict[str, int] = {}
    repeats: dict[str, list[int]] = {}
    count = 0
    for elem in iter_xml(path, RECORD_TAGS):
        count += 1
        source_id = xml_text(elem, "DATAID")
        line = elem.sourceline or 0
        if source_id is None:
            raise SourceError(path, _where(count, elem), "record has no DATAID")
        if source_id in seen:
            repeats.setdefault(source_id, [seen[source_id]]).append(line)
        else:
            seen[source_id] = line
    notes = [
        f"DATAID {sid} appears {len(lines)} times (lines {', '.join(map(str, lines))}); "
        "only the first record is kept"
        for sid, lines in repeats.items()
    ]
    return count, notes


def read(path: Path) -> ParsedList:
    path = Path(path)
    root, attrs = xml_root_info(path)
    if root != ROOT:
        raise SourceError(
            path, "root element", f"expected <{ROOT}> (UN consolidated list), found <{root}>"
        )
    count, notes = _scan(path)
    if count == 0:
        raise SourceError(
            path, "root element", "no INDIVIDUAL or ENTITY records: empty or truncated list"
        )
    published = clean(attrs.get("dateGenerated"))
    if published is None:
        notes.append("no dateGenerated attribute: publication date unknown")
    return ParsedList(
        list_key=LIST_KEY,
        format=FORMAT_NAME,
        files=[path],
        entities=_entities(path),
        published=published,
        notes=notes,
    )


def _entities(path: Path) -> Iterator[Entity]:
    seen: set[str] = set()
    for index, elem in enumerate(iter_xml(path, RECORD_TAGS), start=1):
        source_id = xml_text(elem, "DATAID")
        if source_id is None:
            raise SourceError(path, _where(index, elem), "record has no DATAID")
        if source_id in seen:
            continue
        seen.add(source_id)
        yield _entity(path, index, elem, source_id)


# --- helpers ---------------------------------------------------------------------------


def _date(value: str | None) -> str | None:
    """ISO prefix of a UN date, dropping a timezone suffix ("1960-01-01-05:00")."""
    text = clean(value)
    if text is None:
        return None
    m = _ISO_DAY.match(text)
    return parse_date(m.group(1) if m else text)


def _values(elem: etree._Element, name: str) -> list[str]:
    """Cleaned VALUE children of every ``name`` child (TITLE, DESIGNATION, NATIONALITY...)."""
    out: list[str] = []
    for child in xml_children(elem, name):
        out.extend(clean_all(xml_text(v) for v in xml_children(child, "VALUE")))
    return clean_all(out)


def _add(values: list[T], value: T | None) -> None:
    """Append ``value`` unless it is empty or already there."""
    if value and value not in values:
        values.append(value)


def _add_extra(entity: Entity, key: str, values: Iterable[str | None] | str | None) -> None:
    items: Iterable[str | None] = [values] if isinstance(values, str) or values is None else values
    for value in items:
        text = clean(value)
        if text is None:
            continue
        bucket: list[str] = entity.extra.setdefault(key, [])
        if text not in bucket:
            bucket.append(text)


def _joined(elem: etree._Element, parts: tuple[str, ...]) -> str | None:
    return clean(", ".join(p for p in (xml_text(elem, t) for t in parts) if p)) or None


def _add_name(names: list[Name], name: Name) -> None:
    for existing in names:
        if existing.value == name.value and existing.kind == name.kind:
            return
    names.append(name)


def _dob(elem: etree._Element) -> str | None:
    kind = (xml_text(elem, "TYPE_OF_DATE") or "").upper()
    from_year, to_year = xml_text(elem, "FROM_YEAR"), xml_text(elem, "TO_YEAR")
    if from_year and to_year and _YEAR.match(from_year) and _YEAR.match(to_year):
        return f"{from_year}/{to_year}" if from_year != to_year else from_year
    value = _date(xml_text(elem, "DATE")) or parse_date(xml_text(elem, "YEAR"))
    if value is None and kind == "BETWEEN":
        value = parse_date(from_year or to_year)
    if value is not None and kind == "APPROXIMATELY" and not value.startswith("~"):
        value = "~" + value
    return value


def _doc_type(text: str | None) -> str:
    low = (text or "").lower()
    if "pass" in low:  # Passport, Numéro de passeport, Número de pasaporte
        return "passport"
    if "ident" in low:
        return "national_id"
    return "other"


def _document(entity: Entity, doc: etree._Element) -> None:
    doc_type = xml_text(doc, "TYPE_OF_DOCUMENT")
    detail = xml_text(doc, "TYPE_OF_DOCUMENT2")
    number = xml_text(doc, "NUMBER")
    country_text = xml_text(doc, "ISSUING_COUNTRY") or xml_text(doc, "COUNTRY_OF_ISSUE")
    note_parts: list[str] = []
    if detail:
        note_parts.append(detail)
    issued = _date(xml_text(doc, "DATE_OF_ISSUE"))
    if issued:
        note_parts.append(f"issued {issued}")
    expires = _date(xml_text(doc, "DATE_OF_EXPIRY"))
    if expires:
        note_parts.append(f"expires {expires}")
    city = xml_text(doc, "CITY_OF_ISSUE")
    if city:
        note_parts.append(f"issued in {city}")
    note = xml_text(doc, "NOTE")
    if note:
        note_parts.append(note)
    if number is None:
        if doc_type or note_parts:
            text = "; ".join([p for p in [doc_type, country_text, *note_parts] if p])
            _add(entity.remarks, f"Document: {text}")
        return
    identifier = Identifier(
        type=_doc_type(doc_type),
        value=number,
        country=country_or_text(country_text),
        note="; ".join(
            [p for p in [doc_type if _doc_type(doc_type) == "other" else None, *note_parts] if p]
        )
        or None,
    )
    _add(entity.identifiers, identifier)


def _address(entity: Entity, addr: etree._Element) -> None:
    text = _joined(addr, ("STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "COUNTRY"))
    note = xml_text(addr, "NOTE")
    if note:
        _add_extra(entity, "address_note", f"{text}: {note}" if text else note)
    if text is None:
        return
    country = country_or_text(xml_text(addr, "COUNTRY"))
    address = Address(text=text, country=country, city=xml_text(addr, "CITY"))
    _add(entity.addresses, address)
    code = country_code(xml_text(addr, "COUNTRY"))
    _add(entity.countries, code)


# --- records ---------------------------------------------------------------------------


def _entity(path: Path, index: int, elem: etree._Element, source_id: str) -> Entity:
    tag = etree.QName(elem).localname
    is_person = tag == "INDIVIDUAL"
    entity = Entity(
        list=LIST_KEY, source_id=source_id, schema="Person" if is_person else "Organization"
    )

    parts = [xml_text(elem, t) for t in ("FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME")]
    present = [p for p in parts if p]
    if not present:
        raise SourceError(
            path,
            _where(index, elem, source_id),
            "record has no name (FIRST_NAME..FOURTH_NAME empty)",
        )
    primary = Name(value=" ".join(present), kind="primary")
    if is_person and len(present) == 2 and parts[0] and parts[1]:
        if xml_text(elem, "UN_LIST_TYPE") == "DPRK":  # Korean order: family name first
            primary.family, primary.given = parts[0], parts[1]
        else:
            primary.given, primary.family = parts[0], parts[1]
    elif is_person and len(present) > 2 and parts[0]:
        primary.given = parts[0]
    _add_name(entity.names, primary)
    original = xml_text(elem, "NAME_ORIGINAL_SCRIPT")
    if original:
        _add_name(entity.names, Name(value=original, kind="original_script"))

    for dob in xml_children(elem, "INDIVIDUAL_DATE_OF_BIRTH"):
        _add(entity.birth_dates, _dob(dob))
        _add_extra(entity, "birth_date_note", xml_text(dob, "NOTE"))
    for place in xml_children(elem, "INDIVIDUAL_PLACE_OF_BIRTH"):
        _add(entity.birth_places, _joined(place, ("STREET", "CITY", "STATE_PROVINCE", "COUNTRY")))
        _add_extra(entity, "birth_place_note", xml_text(place, "NOTE"))
    for alias in xml_children(elem, "INDIVIDUAL_ALIAS" if is_person else "ENTITY_ALIAS"):
        value = xml_text(alias, "ALIAS_NAME")
        if value is None:
            continue
        quality = (xml_text(alias, "QUALITY") or "").lower()
        kind = {"low": "weak_alias", "f.k.a.": "former"}.get(quality, "alias")
        if value != primary.value or kind != "alias":
            _add_name(entity.names, Name(value=value, kind=kind))
        alias_note = xml_text(alias, "NOTE")
        if alias_note:
            _add_extra(entity, "alias_note", f"{value}: {alias_note}")
        _add(entity.birth_dates, _date(xml_text(alias, "DATE_OF_BIRTH")))
        _add(entity.birth_places, _joined(alias, ("CITY_OF_BIRTH", "COUNTRY_OF_BIRTH")))

    for nationality in _values(elem, "NATIONALITY"):
        _add(entity.nationalities, country_or_text(nationality))
    for doc in xml_children(elem, "INDIVIDUAL_DOCUMENT"):
        _document(entity, doc)
    for addr in xml_children(elem, "INDIVIDUAL_ADDRESS" if is_person else "ENTITY_ADDRESS"):
        _address(entity, addr)

    _add(entity.programs, xml_text(elem, "UN_LIST_TYPE"))
    _add_extra(entity, "reference_number", xml_text(elem, "REFERENCE_NUMBER"))
    entity.listed_on = _date(xml_text(elem, "LISTED_ON"))
    _add(entity.remarks, xml_text(elem, "COMMENTS1"))
    _add_extra(entity, "title", _values(elem, "TITLE"))
    _add_extra(entity, "designation", _values(elem, "DESIGNATION"))
    _add_extra(entity, "gender", xml_text(elem, "GENDER"))
    _add_extra(entity, "submitted_by", xml_text(elem, "SUBMITTED_BY"))
    _add_extra(entity, "last_updated", [_date(v) for v in _values(elem, "LAST_DAY_UPDATED")])
    return entity


FORMATS: list[SourceFormat] = [
    SourceFormat(
        name=FORMAT_NAME,
        description="UN Security Council Consolidated List, XML (consolidated.xml)",
        detect=detect,
        read=read,
    )
]
