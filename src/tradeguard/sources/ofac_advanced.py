"""OFAC Advanced Sanctions List Standard XML (``sdn_advanced.xml``, root ``<Sanctions>``).

Namespace ``http://www.un.org/sanctions/1.0`` (schema ``sdn_advanced.xsd``). The file is
a set of tables that refer to each other by numeric ids, in this order: ``DateOfIssue``,
``ReferenceValueSets`` (code tables), ``Locations``, ``IDRegDocuments``, ``DistinctParties``,
``ProfileRelationships``, ``SanctionsEntries``.

**Streaming (two passes).** The real file is about 120 MB, so the parties are never held
all at once. ``read`` makes a first pass with :func:`iter_xml` that keeps only the small
tables: the reference values, every Location (as a short address), every IDRegDocument
(grouped by IdentityID), every SanctionsEntry (programs, list, entry date; by ProfileID),
every ProfileRelationship (by From-ProfileID), and per party its Profile ID -> FixedRef
and primary name (so a relation can name its target). Parties are checked (FixedRef) and
counted but dropped as soon as they are read. The entity iterator then makes a second pass
and builds one Entity per ``DistinctParty`` with these tables at hand. Both passes free
every element once read, so memory holds the tables, not the parties. Errors (malformed
XML, a party without an integer FixedRef) surface in the first pass, before ``read``
returns; so do the notes.

**Mapping.**

* ``source_id`` = ``DistinctParty/@FixedRef`` (= the SDN uid / legacy ent_num). List key
  ``us_ofac_sdn``, or ``us_ofac_cons`` when the file name says "cons"
  (``cons_advanced.xml``). ``published`` = ``DateOfIssue``.
* ``Profile/@PartySubTypeID``: Vessel -> Vessel, Aircraft -> Airplane; otherwise the party
  type: Individual -> Person, Entity (and anything else) -> Organization.
* Names: each ``Identity/Alias/DocumentedName`` is one name; its ``DocumentedNamePart``
  values are typed through the identity's ``NamePartGroups`` (Last / First / Middle Name,
  Patronymic, Entity / Vessel / Aircraft Name ...). A name with a Last Name part is written
  like the legacy files, "Last, First Middle", with ``family`` / ``given`` filled; other
  names are the parts joined by spaces, as listed (the advanced file keeps OFAC's own
  capitalisation, e.g. "Markov" where the legacy files print "MARKOV"). The primary alias's
  first Latin-script name is ``primary``; a name in another script is ``original_script``
  (``lang`` = OFAC's ScriptCode, e.g. "Cyrl"); ``LowQuality="true"`` -> ``weak_alias``;
  AliasType F.K.A. -> ``former``; A.K.A. / N.K.A. -> ``alias``.
* Features, by FeatureType name: Birthdate -> birth_dates (``DatePeriod`` -> ISO prefix;
  a whole year / month collapses, other spans become "from/to", ``Approximate`` -> "~");
  Place of Birth -> birth_places; Nationality / Citizenship Country -> nationalities
  (countries for non-persons); Location -> addresses (and the country code to countries);
  every other type (vessel call sign / flag / type / tonnage / owner, gender, website,
  email, phone, digital currency addresses, organisation data, aircraft data, sanctions
  information ...) goes through the label table shared with the legacy and sdnList formats
  (:data:`ofac_csv.LABELS`). Feature types not in it go to remarks as "Type: value".
* ``IDRegDocuments`` of the party's identities -> identifiers typed by IDRegDocType through
  the same table (Russian INN / OGRN included); IssuedBy-CountryID -> country; issue and
  expiration dates and a "Fraudulent" validity -> the note. Unknown types -> ``other``.
* ``SanctionsEntries`` of the profile: SanctionsMeasure of type Program -> programs (its
  Comment, e.g. "SDGT"); other measure types (e.g. "13662 Sectoral Directive 1") ->
  ``extra["sanctions_measure"]``; the list names -> ``extra["sanctions_list"]``; the
  earliest EntryEvent date -> ``listed_on``.
* ``ProfileRelationships`` from the profile -> ``Relation`` with ``target_source_id`` = the
  other party's FixedRef (the To-ProfileID when that party is not in the file) and its
  primary name as ``target_name``; kind: "Owned or Controlled By" -> ``controlled_by``
  (ownership share unknown), "Owns, controls, or operates" -> ``controls``, "Associate Of"
  -> ``associate``, "Family member of" -> ``family``, anything else (providing support to,
  acting for, leader of ...) -> ``linked_to``; the RelationType text (and "former") -> note.

References that point to nothing in the file (the staged test file is a trimmed copy:
none of its 12 documents, 147 sanctions entries or 3 relationships belong to one of its 37
parties) are counted in ``notes``.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from tradeguard.model import Address, Entity, Name, Relation
from tradeguard.sources.base import ParsedList, SourceError, SourceFormat
from tradeguard.sources.common import (
    clean,
    iter_xml,
    sniff_xml_root,
    xml_children,
    xml_root_info,
    xml_text,
)
from tradeguard.sources.ofac_csv import (
    LIST_CONS,
    LIST_SDN,
    add,
    add_extra,
    add_identifier,
    add_name,
    add_nationality,
    apply_detail,
    is_int,
    ofac_country,
    promote_russian_ids,
)

ROOT = "Sanctions"
NAMESPACE_MARK = b"www.un.org/sanctions/1.0"
FORMAT_NAME = "ofac_advanced_xml"
TAGS = {
    "DateOfIssue",
    "ReferenceValueSets",
    "Location",
    "IDRegDocument",
    "DistinctParty",
    "ProfileRelationship",
    "SanctionsEntry",
}
RELATION_KINDS = {
    "owned or controlled by": "controlled_by",
    "owns, controls, or operates": "controls",
    "associate of": "associate",
    "family member of": "family",
}
LATIN_SCRIPTS = {"latn", "latin"}


def detect(path: Path, head: bytes) -> str | None:
    if sniff_xml_root(head) != ROOT or NAMESPACE_MARK not in head:
        return None
    return _list_key(path)


def _list_key(path: Path) -> str:
    return LIST_CONS if "cons" in path.name.lower() else LIST_SDN


# --- the tables of the first pass ------------------------------------------------------


@dataclass
class _Refs:
    """ReferenceValueSets: value-element local name -> ID -> text / attributes."""

    text: dict[str, dict[str, str]] = field(default_factory=dict)
    attrs: dict[str, dict[str, dict[str, str]]] = field(default_factory=dict)

    def get(self, kind: str, ref: str | None) -> str | None:
        if ref is None:
            return None
        return self.text.get(kind, {}).get(ref)

    def attr(self, kind: str, ref: str | None, name: str) -> str | None:
        if ref is None:
            return None
        return self.attrs.get(kind, {}).get(ref, {}).get(name)

    def country(self, ref: str | None) -> tuple[str | None, str | None]:
        """(ISO code, name) of a Country ID."""
        name = self.get("Country", ref)
        iso = self.attr("Country", ref, "ISO2")
        code = iso.lower() if iso and len(iso) == 2 else ofac_country(name)
        return code, name


@dataclass
class _Loc:
    text: str
    city: str | None
    country: str | None  # ISO code where known, else the name


@dataclass
class _Doc:
    label: str
    number: str
    country: str | None
    note: str | None


@dataclass
class _Entry:
    programs: list[str] = field(default_factory=list)
    measures: list[str] = field(default_factory=list)
    lists: list[str] = field(default_factory=list)
    dates: list[str] = field(default_factory=list)


@dataclass
class _Tables:
    refs: _Refs = field(default_factory=_Refs)
    published: str | None = None
    locations: dict[str, _Loc] = field(default_factory=dict)
    docs: dict[str, list[_Doc]] = field(default_factory=dict)
    entries: dict[str, _Entry] = field(default_factory=dict)
    relations: dict[str, list[tuple[str, str, bool]]] = field(default_factory=dict)
    profile_ref: dict[str, str] = field(default_factory=dict)
    profile_name: dict[str, str] = field(default_factory=dict)
    identities: set[str] = field(default_factory=set)
    location_refs: set[str] = field(default_factory=set)
    parties: int = 0


def _local(elem: etree._Element) -> str:
    return etree.QName(elem).localname


def _where(index: int, elem: etree._Element, what: str = "DistinctParty") -> str:
    line = elem.sourceline
    return f"line {line}, {what} #{index}" if line else f"{what} #{index}"


def _ymd(elem: etree._Element | None) -> tuple[int, int, int] | None:
    if elem is None:
        return None
    parts = [xml_text(elem, "Year"), xml_text(elem, "Month") or "1", xml_text(elem, "Day") or "1"]
    if not all(is_int(p) for p in parts):
        return None
    year, month, day = (int(p or "0") for p in parts)
    if not (1000 <= year <= 2200 and 1 <= month <= 12):
        return None
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return year, month, day


def _iso(point: tuple[int, int, int]) -> str:
    return f"{point[0]:04d}-{point[1]:02d}-{point[2]:02d}"


def _child(elem: etree._Element | None, name: str) -> etree._Element | None:
    if elem is None:
        return None
    found = xml_children(elem, name)
    return found[0] if found else None


def date_period(period: etree._Element | None) -> str | None:
    """A ``DatePeriod`` as an ISO prefix: one day, a whole year or month, or "from/to"."""
    if period is None:
        return None
    start, end = _child(period, "Start"), _child(period, "End")
    first = _ymd(_child(start, "From")) or _ymd(_child(start, "To"))
    last = _ymd(_child(end, "To")) or _ymd(_child(end, "From")) or _ymd(_child(start, "To"))
    if first is None:
        first = last
    if first is None or last is None:
        return None
    approx = any(b is not None and b.get("Approximate") == "true" for b in (start, end))
    prefix = "~" if approx else ""
    if first == last:
        return prefix + _iso(first)
    (y1, m1, d1), (y2, m2, d2) = first, last
    whole_years = (m1, d1) == (1, 1) and (m2, d2) == (12, 31)
    if whole_years and y1 == y2:
        return f"{prefix}{y1:04d}"
    if y1 == y2 and m1 == m2 and d1 == 1 and d2 == calendar.monthrange(y2, m2)[1]:
        return f"{prefix}{y1:04d}-{m1:02d}"
    if whole_years:
        return f"{prefix}{y1:04d}/{y2:04d}"
    return f"{prefix}{_iso(first)}/{_iso(last)}"


def _refs(elem: etree._Element) -> _Refs:
    refs = _Refs()
    for group in elem:
        if not isinstance(group.tag, str):
            continue
        for value in group:
            if not isinstance(value.tag, str):
                continue
            kind = _local(value)
            ref = value.get("ID")
            if ref is None:
                continue
            refs.text.setdefault(kind, {})[ref] = clean(value.text) or ""
            refs.attrs.setdefault(kind, {})[ref] = {str(k): str(v) for k, v in value.attrib.items()}
    return refs


def _location(refs: _Refs, elem: etree._Element) -> _Loc:
    parts: dict[str, list[str]] = {}
    for part in xml_children(elem, "LocationPart"):
        kind = (refs.get("LocPartType", part.get("LocPartTypeID")) or "").upper()
        for value in xml_children(part, "LocationPartValue"):
            text = xml_text(value, "Value")
            if text:
                parts.setdefault(kind, []).append(text)
    code: str | None = None
    name: str | None = None
    for country in xml_children(elem, "LocationCountry"):
        code, name = refs.country(country.get("CountryID"))
        break
    if name is None:
        for area in xml_children(elem, "LocationAreaCode"):
            area_id = area.get("AreaCodeID")
            name = refs.attr("AreaCode", area_id, "Description")
            code, _ = refs.country(refs.attr("AreaCode", area_id, "CountryID"))
            break
    order = (
        "ADDRESS1",
        "ADDRESS2",
        "ADDRESS3",
        "CITY",
        "STATE/PROVINCE",
        "POSTAL CODE",
        "REGION",
        "UNKNOWN",
    )
    pieces = [v for key in order for v in parts.get(key, [])]
    pieces += [v for key, vals in parts.items() if key not in order for v in vals]
    if name:
        pieces.append(name)
    city = ", ".join(parts.get("CITY", [])) or None
    return _Loc(text=", ".join(pieces), city=city, country=code or name)


def _doc(refs: _Refs, elem: etree._Element) -> _Doc | None:
    label = refs.get("IDRegDocType", elem.get("IDRegDocTypeID")) or "Identification"
    number = xml_text(elem, "IDRegistrationNo")
    if number is None:
        return None
    code, name = refs.country(elem.get("IssuedBy-CountryID"))
    notes: list[str] = []
    for date_elem in xml_children(elem, "DocumentDate"):
        kind = (refs.get("IDRegDocDateType", date_elem.get("IDRegDocDateTypeID")) or "date").lower()
        when = date_period(_child(date_elem, "DatePeriod"))
        if when:
            notes.append(
                f"{'issued' if 'issue' in kind else 'expires' if 'expir' in kind else kind} {when}"
            )
    authority = xml_text(elem, "IssuingAuthority")
    if authority:
        notes.append(f"issued by {authority}")
    validity = refs.get("Validity", elem.get("ValidityID"))
    if validity and validity.lower() != "valid":
        notes.append(validity.lower())
    comment = xml_text(elem, "Comment")
    if comment:
        notes.append(comment)
    return _Doc(label=label, number=number, country=code or name, note=" ".join(notes) or None)


def _entry(refs: _Refs, elem: etree._Element) -> _Entry:
    entry = _Entry()
    add(entry.lists, refs.get("List", elem.get("ListID")))
    for event in xml_children(elem, "EntryEvent"):
        point = _ymd(_child(event, "Date"))
        if point:
            add(entry.dates, _iso(point))
    for measure in xml_children(elem, "SanctionsMeasure"):
        kind = refs.get("SanctionsType", measure.get("SanctionsTypeID")) or ""
        comment = xml_text(measure, "Comment")
        if kind.lower() == "program":
            add(entry.programs, comment)
        elif kind and kind.lower() != "block":
            add(entry.measures, f"{kind}: {comment}" if comment else kind)
    return entry


def _merge_entry(into: _Entry, other: _Entry) -> None:
    for name in ("programs", "measures", "lists", "dates"):
        target: list[str] = getattr(into, name)
        for value in getattr(other, name):
            add(target, value)


def _fixed_ref(path: Path, index: int, party: etree._Element) -> str:
    ref = clean(party.get("FixedRef"))
    if ref is None or not is_int(ref):
        raise SourceError(
            path, _where(index, party), f"DistinctParty FixedRef {ref!r} is not an integer"
        )
    return ref


def _scan(path: Path) -> tuple[_Tables, list[str]]:
    """First pass: the small tables, checks and notes."""
    tables = _Tables()
    seen: set[str] = set()
    notes: list[str] = []
    for elem in iter_xml(path, TAGS):
        kind = _local(elem)
        if kind == "DistinctParty":
            tables.parties += 1
            ref = _fixed_ref(path, tables.parties, elem)
            if ref in seen:
                notes.append(
                    f"DistinctParty FixedRef {ref} repeated at {_where(tables.parties, elem)} (first kept)"
                )
                continue
            seen.add(ref)
            for profile in xml_children(elem, "Profile"):
                pid = profile.get("ID")
                if pid:
                    tables.profile_ref[pid] = ref
                    primary = _primary_name(tables.refs, profile)
                    if primary:
                        tables.profile_name[pid] = primary
                for identity in xml_children(profile, "Identity"):
                    if identity.get("ID"):
                        tables.identities.add(str(identity.get("ID")))
                for loc in profile.iter("{*}VersionLocation"):
                    if loc.get("LocationID"):
                        tables.location_refs.add(str(loc.get("LocationID")))
        elif kind == "ReferenceValueSets":
            tables.refs = _refs(elem)
        elif kind == "DateOfIssue":
            point = _ymd(elem)
            tables.published = _iso(point) if point else None
        elif kind == "Location":
            if elem.get("ID"):
                tables.locations[str(elem.get("ID"))] = _location(tables.refs, elem)
        elif kind == "IDRegDocument":
            doc = _doc(tables.refs, elem)
            identity_id = elem.get("IdentityID")
            if doc is not None and identity_id:
                tables.docs.setdefault(identity_id, []).append(doc)
        elif kind == "SanctionsEntry":
            profile_id = elem.get("ProfileID")
            if profile_id:
                entry = _entry(tables.refs, elem)
                if profile_id in tables.entries:
                    _merge_entry(tables.entries[profile_id], entry)
                else:
                    tables.entries[profile_id] = entry
        elif kind == "ProfileRelationship":
            source, target = elem.get("From-ProfileID"), elem.get("To-ProfileID")
            rel_type = tables.refs.get("RelationType", elem.get("RelationTypeID")) or "Related to"
            if source and target:
                tables.relations.setdefault(source, []).append(
                    (rel_type, target, elem.get("Former") == "true")
                )
    _dangling(tables, notes)
    return tables, notes


def _dangling(tables: _Tables, notes: list[str]) -> None:
    profiles = set(tables.profile_ref)
    docs = sum(len(v) for k, v in tables.docs.items() if k not in tables.identities)
    if docs:
        notes.append(f"{docs} IDRegDocument(s) belong to no identity in the file (ignored)")
    entries = sum(1 for k in tables.entries if k not in profiles)
    if entries:
        notes.append(f"{entries} SanctionsEntry profile(s) are not in the file (ignored)")
    rels = sum(len(v) for k, v in tables.relations.items() if k not in profiles)
    if rels:
        notes.append(
            f"{rels} ProfileRelationship(s) start from a profile not in the file (ignored)"
        )
    outside = sum(
        1
        for k, v in tables.relations.items()
        if k in profiles
        for _t, to, _f in v
        if to not in profiles
    )
    if outside:
        notes.append(
            f"{outside} ProfileRelationship(s) point to a profile not in the file (its ID kept)"
        )
    locations = len(tables.location_refs - set(tables.locations))
    if locations:
        notes.append(f"{locations} feature location reference(s) point to no Location (ignored)")


def read(path: Path) -> ParsedList:
    path = Path(path)
    if path.is_file() and path.stat().st_size == 0:
        raise SourceError(path, None, "file is empty (0 bytes): refusing it as a failed download")
    root, _attrs = xml_root_info(path)
    if root != ROOT:
        raise SourceError(
            path,
            "root element",
            f"expected <{ROOT}> (OFAC Advanced Sanctions List XML), found <{root}>",
        )
    tables, notes = _scan(path)
    if not tables.refs.text:
        raise SourceError(
            path, "ReferenceValueSets", "missing: the code tables every record refers to"
        )
    if tables.parties == 0:
        raise SourceError(
            path, "DistinctParties", "no DistinctParty records: empty or truncated list"
        )
    if tables.published is None:
        notes.append("no DateOfIssue: publication date unknown")
    list_key = _list_key(path)
    return ParsedList(
        list_key=list_key,
        format=FORMAT_NAME,
        files=[path],
        entities=_entities(path, list_key, tables),
        published=tables.published,
        notes=notes,
    )


def _entities(path: Path, list_key: str, tables: _Tables) -> Iterator[Entity]:
    seen: set[str] = set()
    index = 0
    for elem in iter_xml(path, TAGS):
        if _local(elem) != "DistinctParty":
            continue
        index += 1
        ref = _fixed_ref(path, index, elem)
        if ref in seen:
            continue
        seen.add(ref)
        yield _party(path, list_key, tables, index, elem, ref)


# --- one party -------------------------------------------------------------------------


def _schema(refs: _Refs, profile: etree._Element) -> str:
    subtype_id = profile.get("PartySubTypeID")
    subtype = (refs.get("PartySubType", subtype_id) or "").lower()
    if subtype == "vessel":
        return "Vessel"
    if subtype == "aircraft":
        return "Airplane"
    party_type = (
        refs.get("PartyType", refs.attr("PartySubType", subtype_id, "PartyTypeID")) or ""
    ).lower()
    return "Person" if party_type == "individual" else "Organization"


def _name_parts(refs: _Refs, identity: etree._Element) -> dict[str, str]:
    """NamePartGroup ID -> NamePartType name ("Last Name", "First Name", ...)."""
    groups: dict[str, str] = {}
    for box in xml_children(identity, "NamePartGroups"):
        for master in xml_children(box, "MasterNamePartGroup"):
            for group in xml_children(master, "NamePartGroup"):
                gid = group.get("ID")
                if gid:
                    groups[gid] = refs.get("NamePartType", group.get("NamePartTypeID")) or ""
    return groups


def _documented_name(
    refs: _Refs, groups: dict[str, str], doc: etree._Element
) -> tuple[str, str | None, str | None, str | None] | None:
    """(value, family, given, script code) of a DocumentedName."""
    parts: list[tuple[str, str]] = []
    script: str | None = None
    for part in xml_children(doc, "DocumentedNamePart"):
        for value in xml_children(part, "NamePartValue"):
            text = clean(value.text)
            if text:
                parts.append((groups.get(value.get("NamePartGroupID") or "", "").lower(), text))
                script = script or refs.attr("Script", value.get("ScriptID"), "ScriptCode")
    if not parts:
        return None
    last = [text for kind, text in parts if kind == "last name"]
    if last:
        rest = [text for kind, text in parts if kind != "last name"]
        family = " ".join(last)
        given = " ".join(rest) or None
        value = f"{family}, {given}" if given else family
        return value, family, given, script
    return " ".join(text for _, text in parts), None, None, script


def _primary_name(refs: _Refs, profile: etree._Element) -> str | None:
    for identity in xml_children(profile, "Identity"):
        groups = _name_parts(refs, identity)
        for alias in xml_children(identity, "Alias"):
            if alias.get("Primary") != "true":
                continue
            for doc in xml_children(alias, "DocumentedName"):
                found = _documented_name(refs, groups, doc)
                if found:
                    return found[0]
    return None


def _names(entity: Entity, refs: _Refs, identity: etree._Element, person: bool) -> None:
    groups = _name_parts(refs, identity)
    for alias in xml_children(identity, "Alias"):
        alias_type = (refs.get("AliasType", alias.get("AliasTypeID")) or "").lower()
        primary = alias.get("Primary") == "true"
        weak = alias.get("LowQuality") == "true"
        for doc in xml_children(alias, "DocumentedName"):
            found = _documented_name(refs, groups, doc)
            if found is None:
                continue
            value, family, given, script = found
            latin = script is None or script.lower() in LATIN_SCRIPTS
            if weak:
                kind = "weak_alias"
            elif not latin:
                kind = "original_script"
            elif primary and not any(n.kind == "primary" for n in entity.names):
                kind = "primary"
            elif alias_type.startswith("f.k.a"):
                kind = "former"
            else:
                kind = "alias"
            name = Name(
                value=value,
                kind=kind,
                lang=None if latin else script,
                family=family if person else None,
                given=given if person else None,
            )
            add_name(entity, name)


def _feature(entity: Entity, tables: _Tables, feature: etree._Element) -> None:
    refs = tables.refs
    label = refs.get("FeatureType", feature.get("FeatureTypeID")) or "Feature"
    key = label.lower().strip(" :-")
    for version in xml_children(feature, "FeatureVersion"):
        when = date_period(_child(version, "DatePeriod"))
        texts: list[str] = []
        for detail in xml_children(version, "VersionDetail"):
            ref_id = detail.get("DetailReferenceID")
            text = refs.get("DetailReference", ref_id) if ref_id else clean(detail.text)
            if text:
                texts.append(text)
        locations = [
            tables.locations[loc_id]
            for loc in xml_children(version, "VersionLocation")
            if (loc_id := loc.get("LocationID")) and loc_id in tables.locations
        ]
        if key == "location":
            for loc in locations:
                if loc.text:
                    address = Address(text=loc.text, country=loc.country, city=loc.city)
                    if address not in entity.addresses:
                        entity.addresses.append(address)
                    add(entity.countries, loc.country)
            continue
        if key == "birthdate":
            add(entity.birth_dates, when)
            continue
        if key == "place of birth":
            for text in texts + [loc.text for loc in locations if loc.text]:
                add(entity.birth_places, text)
            continue
        if key in ("nationality country", "citizenship country"):
            for loc in locations:
                add_nationality(entity, loc.country)
            for text in texts:
                add_nationality(entity, text)
            continue
        values = texts + [loc.country or loc.text for loc in locations if loc.country or loc.text]
        if when:
            values.append(when)
        for value in values:
            if not apply_detail(entity, label, value):
                add(entity.remarks, f"{label.rstrip(' :-')}: {value}")


def _party(
    path: Path, list_key: str, tables: _Tables, index: int, party: etree._Element, ref: str
) -> Entity:
    refs = tables.refs
    profiles = xml_children(party, "Profile")
    if not profiles:
        raise SourceError(path, _where(index, party), f"DistinctParty {ref} has no Profile")
    entity = Entity(list=list_key, source_id=ref, schema=_schema(refs, profiles[0]))
    person = entity.schema == "Person"
    for profile in profiles:
        pid = profile.get("ID") or ""
        identities = xml_children(profile, "Identity")
        identities.sort(key=lambda i: i.get("Primary") != "true")
        for identity in identities:
            _names(entity, refs, identity, person)
        for feature in xml_children(profile, "Feature"):
            _feature(entity, tables, feature)
        for identity in identities:
            for doc in tables.docs.get(identity.get("ID") or "", []):
                if not apply_detail(
                    entity, doc.label, doc.number, country=doc.country, tail=doc.note
                ):
                    add_identifier(entity, "other", doc.label, doc.number, doc.country, doc.note)
        entry = tables.entries.get(pid)
        if entry is not None:
            for program in entry.programs:
                add(entity.programs, program)
            for measure in entry.measures:
                add_extra(entity, "sanctions_measure", measure)
            for list_name in entry.lists:
                add_extra(entity, "sanctions_list", list_name)
            if entry.dates:
                first = min(entry.dates)
                entity.listed_on = min(first, entity.listed_on) if entity.listed_on else first
        for rel_type, target, former in tables.relations.get(pid, []):
            kind = RELATION_KINDS.get(rel_type.lower(), "linked_to")
            note = f"{rel_type} (former)" if former else rel_type
            relation = Relation(
                kind=kind,
                target_source_id=tables.profile_ref.get(target, target),
                target_name=tables.profile_name.get(target),
                note=note,
            )
            if relation not in entity.relations:
                entity.relations.append(relation)
    promote_russian_ids(entity)
    if not entity.names:
        raise SourceError(path, _where(index, party), f"DistinctParty {ref} has no name")
    if not any(n.kind == "primary" for n in entity.names):
        entity.names[0].kind = "primary"
    return entity


FORMATS: list[SourceFormat] = [
    SourceFormat(
        name=FORMAT_NAME,
        description="OFAC Advanced Sanctions List Standard XML (sdn_advanced.xml)",
        detect=detect,
        read=read,
    )
]
