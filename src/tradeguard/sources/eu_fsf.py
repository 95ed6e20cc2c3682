"""EU Financial Sanctions Files (FSF): XML 1.1, legacy XML 1.0 and legacy CSV 1.0.

List key ``eu_fsf``; ``source_id`` is the entry's logical id (``sanctionEntity/@logicalId``,
``ENTITY/@Id``, CSV ``Entity_logical_id``). Three formats:

* **XML 1.1** ``<export xmlns="http://eu.europa.ec/fpi/fsd/export" generationDate=...>`` with
  one ``sanctionEntity`` per entry. ``subjectType/@code`` person -> Person, enterprise ->
  Organization. ``nameAlias``: the first strong name without ``nameLanguage`` is primary
  (else the first strong, else the first name); ``strong="false"`` -> ``weak_alias``; a
  name with no Latin letters -> ``original_script``; ``nameLanguage`` -> ``Name.lang``
  (lower case); firstName/lastName -> given/family; ``function``, ``title``, ``gender``
  -> ``extra`` (position/title/gender). ``regulation/@programme`` -> programs;
  ``designationDate`` -> listed_on, else the earliest regulation publication date.
  ``citizenship`` -> nationalities (countries for organisations); ``birthdate`` -> ISO
  prefix from ``birthdate`` or year/month/day, ``yearRangeFrom``/``yearRangeTo`` ->
  "from/to", ``circa="true"`` -> "~"; ``identification/@identificationTypeCode`` ->
  passport, id/ssn -> national_id, regnumber -> registration, fiscalcode -> tax_id,
  swiftbic -> bic, imo -> imo, anything else -> other (the description and the
  known-false/expired/lost/revoked/diplomatic flags go to the note). Every ``remark`` of
  the entry goes to remarks. Country code "00" means unknown.
  **Duplicate logical ids**: the first entry is kept and later ones are dropped, each
  reported in ``ParsedList.notes``. (The staged ``sample_eu.xml`` repeats logicalId 5468:
  the second copy, named "TestOneWord", is a test-suite edit.)
* **Legacy XML 1.0** ``<WHOLE Date="dd/mm/yyyy">`` with ``ENTITY Id Type(P/E) programme
  reg_date remark`` and NAME / ADDRESS / BIRTH / PASSPORT / CITIZEN children. Countries are
  ISO-3166 alpha-3. XML comments inside records ("Comment: ...") carry the FSD remarks and
  are kept as remarks.
* **Legacy CSV 1.0**: semicolon-delimited, header ``Date_file;Entity_logical_id;
  Subject_type;...``; one row per fact (name, address, birth, identification,
  citizenship), grouped by ``Entity_logical_id``; same value conventions as XML 1.0. A
  known mirror artefact, where every line is wrapped in one pair of double quotes (inner
  quotes doubled) and padded with tabs, is unwrapped first. UTF-8 or Windows-1252.

In both legacy formats a birth date "1963 (approximative)" -> "~1963", "1958 - 1963
(approximative)" -> "1958/1963"; an identification "AD001095 (passport-National
passport) (remark)" -> type from the code in brackets, number before it, the rest as note.
The legacy ``listed_on`` is the earliest ``reg_date`` / publication date of the entry.

Files that are not official FSF formats (e.g. mirrors' merged JSON name files) are not
detected. ``read`` checks the whole file (well-formedness, ids) before streaming entities,
so ``ParsedList.notes`` is complete when it is returned.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from lxml import etree
from rigour.text.scripts import is_latin

from tradeguard.model import Address, Entity, Identifier, Name
from tradeguard.sources.base import ParsedList, SourceError, SourceFormat
from tradeguard.sources.common import (
    clean,
    clean_all,
    country_or_text,
    iter_csv,
    iter_xml,
    parse_date,
    read_text,
    sniff_xml_root,
    xml_children,
    xml_root_info,
    xml_text,
)

LIST_KEY = "eu_fsf"
NAMESPACE_MARK = b"fpi/fsd/export"

T = TypeVar("T")

_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")
_APPROX = re.compile(r"\s*\((approximative|approximately|approx\.?|circa)\)\s*$", re.I)
_YEAR_RANGE = re.compile(r"^(\d{4})\s*-\s*(\d{4})$")
_ID_TEXT = re.compile(
    r"^(?P<number>.*?)\s*\((?P<code>[a-z]+)-(?P<desc>[^()]*)\)\s*(?P<rest>.*)$", re.S
)

ID_TYPES = {
    "passport": "passport",
    "id": "national_id",
    "ssn": "national_id",
    "regnumber": "registration",
    "fiscalcode": "tax_id",
    "swiftbic": "bic",
    "imo": "imo",
}


# --- small shared helpers --------------------------------------------------------------


def _add(values: list[T], value: T | None) -> None:
    if value and value not in values:
        values.append(value)


def _name_kind(value: str, strong: bool = True) -> str:
    if not strong:
        return "weak_alias"
    if not is_latin(value) and not _LATIN_LETTER.search(value):
        return "original_script"
    return "alias"


def _join(parts: Iterable[str | None], sep: str = ", ") -> str | None:
    return clean(sep.join(p for p in parts if p)) or None


def _country_name(value: str | None) -> str | None:
    """A country's name for a code ("IRQ" -> "Iraq"), else the cleaned text."""
    text = clean(value)
    if text is None or text == "00":
        return None
    from rigour.territories import lookup_territory

    territory = lookup_territory(text) if len(text) <= 3 else None
    return territory.name if territory is not None else text


def _unparen(value: str | None) -> str | None:
    """Drop brackets wrapping a whole legacy remark: "((as at Jan. 2015))" -> "as at Jan. 2015"."""
    text = clean(value)
    while text and text.startswith("(") and text.endswith(")"):
        depth = 0
        for i, ch in enumerate(text):
            depth += 1 if ch == "(" else -1 if ch == ")" else 0
            if depth == 0 and i < len(text) - 1:
                return text
        text = clean(text[1:-1])
    return text


def _legacy_date(value: str | None) -> tuple[str | None, str | None]:
    """(ISO prefix, unparsed text) for legacy dates such as "1963 (approximative)"."""
    text = clean(value)
    if text is None:
        return None, None
    approx = bool(_APPROX.search(text))
    core = _APPROX.sub("", text).strip()
    m = _YEAR_RANGE.match(core)
    if m:
        return f"{m.group(1)}/{m.group(2)}", None
    parsed = parse_date(core)
    if parsed is None:
        return None, text
    if approx and not parsed.startswith("~") and "/" not in parsed:
        parsed = "~" + parsed
    return parsed, None


class _Builder:
    """Collects one entry's facts, de-duplicating as it goes."""

    def __init__(self, source_id: str, schema: str) -> None:
        self.source_id = source_id
        self.schema = schema
        self.names: list[Name] = []
        self.birth_dates: list[str] = []
        self.birth_places: list[str] = []
        self.nationalities: list[str] = []
        self.countries: list[str] = []
        self.identifiers: list[Identifier] = []
        self.addresses: list[Address] = []
        self.programs: list[str] = []
        self.listed_dates: list[str] = []
        self.designation_date: str | None = None
        self.remarks: list[str] = []
        self.extra: dict[str, list[str]] = {}

    def name(self, name: Name) -> None:
        for existing in self.names:
            if existing.value == name.value and existing.kind == name.kind:
                return
        self.names.append(name)

    def add_extra(self, key: str, value: str | None) -> None:
        text = clean(value)
        if text is not None:
            _add(self.extra.setdefault(key, []), text)

    def remark(self, value: str | None) -> None:
        _add(self.remarks, clean(value))

    def listed(self, value: str | None) -> None:
        _add(self.listed_dates, parse_date(value))

    def citizenship(self, value: str | None) -> None:
        code = country_or_text(value) if value != "00" else None
        _add(self.nationalities if self.schema == "Person" else self.countries, code)

    def address(self, text: str | None, country: str | None, city: str | None) -> None:
        if text is None:
            return
        _add(self.addresses, Address(text=text, country=country, city=city))
        if country is not None and len(country) == 2:
            _add(self.countries, country)

    def build(self) -> Entity:
        # Primary: the first name flagged primary by the reader, else the first name.
        if self.names and not any(n.kind == "primary" for n in self.names):
            self.names[0].kind = "primary"
        primary = next(n for n in self.names if n.kind == "primary") if self.names else None
        names = [primary] if primary is not None else []
        names += [
            n
            for n in self.names
            if primary is None or (n is not primary and n.value != primary.value)
        ]
        listed = self.designation_date or (min(self.listed_dates) if self.listed_dates else None)
        return Entity(
            list=LIST_KEY,
            source_id=self.source_id,
            schema=self.schema,
            names=names,
            birth_dates=self.birth_dates,
            birth_places=self.birth_places,
            nationalities=self.nationalities,
            countries=self.countries,
            identifiers=self.identifiers,
            addresses=self.addresses,
            programs=self.programs,
            listed_on=listed,
            remarks=self.remarks,
            extra=self.extra,
        )


def _scan_ids(path: Path, tag: str, attr: str) -> tuple[int, list[str]]:
    """Parse the whole file once: (record count, notes on duplicate ids); errors name the line."""
    first_line: dict[str, int] = {}
    repeats: dict[str, list[int]] = {}
    count = 0
    for elem in iter_xml(path, {tag}):
        count += 1
        source_id = clean(elem.get(attr))
        line = elem.sourceline or 0
        if source_id is None:
            raise SourceError(path, f"line {line}, record {count} ({tag})", f"record has no {attr}")
        if source_id in first_line:
            repeats.setdefault(source_id, [first_line[source_id]]).append(line)
        else:
            first_line[source_id] = line
    notes = [
        f"{attr} {sid} appears {len(lines)} times (lines {', '.join(map(str, lines))}); "
        "only the first entry is kept"
        for sid, lines in repeats.items()
    ]
    return count, notes


def _check_root(path: Path, expected: str, what: str) -> dict[str, str]:
    root, attrs = xml_root_info(path)
    if root != expected:
        raise SourceError(path, "root element", f"expected <{expected}> ({what}), found <{root}>")
    return attrs


# --- XML 1.1 ---------------------------------------------------------------------------


def detect_xml(path: Path, head: bytes) -> str | None:
    if sniff_xml_root(head) == "export" and NAMESPACE_MARK in head:
        return LIST_KEY
    return None


def read_xml(path: Path) -> ParsedList:
    path = Path(path)
    attrs = _check_root(path, "export", "EU FSF XML 1.1")
    count, notes = _scan_ids(path, "sanctionEntity", "logicalId")
    if count == 0:
        raise SourceError(
            path, "root element", "no sanctionEntity records: empty or truncated list"
        )
    published = clean(attrs.get("generationDate"))
    return ParsedList(
        list_key=LIST_KEY,
        format="eu_fsf_xml",
        files=[path],
        entities=_xml_entities(path),
        published=published,
        notes=notes,
    )


def _keyed_entities(
    path: Path, tag: str, id_attr: str, build: Callable[[etree._Element, str], Entity], name_element: str
) -> Iterator[Entity]:
    """Entities from the ``tag`` records of an XML file, keyed by their ``id_attr``; a
    repeated id keeps its first record; a record without id or name is an error."""
    seen: set[str] = set()
    for index, elem in enumerate(iter_xml(path, {tag}), start=1):
        source_id = clean(elem.get(id_attr))
        where = f"line {elem.sourceline}, record {index} ({tag} {id_attr} {source_id})"
        if source_id is None:
            raise SourceError(path, where, f"record has no {id_attr}")
        if source_id in seen:
            continue
        seen.add(source_id)
        entity = build(elem, source_id)
        if not entity.names:
            raise SourceError(path, where, f"entry has no {name_element} with a name")
        yield entity


def _xml_entities(path: Path) -> Iterator[Entity]:
    return _keyed_entities(path, "sanctionEntity", "logicalId", _xml_entity, "nameAlias")


def _attr(elem: etree._Element, name: str) -> str | None:
    return clean(elem.get(name))


def _xml_entity(elem: etree._Element, source_id: str) -> Entity:
    subject = next(iter(xml_children(elem, "subjectType")), None)
    code = (_attr(subject, "code") or "").lower() if subject is not None else ""
    schema = {"person": "Person", "enterprise": "Organization"}.get(code, "LegalEntity")
    b = _Builder(source_id, schema)
    if schema == "LegalEntity" and code:
        b.add_extra("subject_type", code)

    b.designation_date = parse_date(_attr(elem, "designationDate"))
    b.add_extra("eu_reference_number", _attr(elem, "euReferenceNumber"))
    b.add_extra("un_id", _attr(elem, "unitedNationId"))
    b.add_extra("designation_details", _attr(elem, "designationDetails"))
    for remark in xml_children(elem, "remark"):
        b.remark(xml_text(remark))
    for reg in xml_children(elem, "regulation"):
        _add(b.programs, _attr(reg, "programme"))
        b.listed(_attr(reg, "publicationDate"))
        b.add_extra("regulation", _attr(reg, "numberTitle"))

    aliases = xml_children(elem, "nameAlias")
    primary_idx = _primary_index(aliases)
    for i, alias in enumerate(aliases):
        first, middle, last = (
            _attr(alias, "firstName"),
            _attr(alias, "middleName"),
            _attr(alias, "lastName"),
        )
        value = _attr(alias, "wholeName") or _join([first, middle, last], " ")
        _details(b, alias)
        if value is None:
            continue
        strong = (_attr(alias, "strong") or "true").lower() != "false"
        lang = _attr(alias, "nameLanguage")
        b.name(
            Name(
                value=value,
                kind="primary" if i == primary_idx else _name_kind(value, strong),
                lang=lang.lower() if lang else None,
                given=_join([first, middle], " ") if last else None,
                family=last if first else None,
            )
        )
        b.add_extra("position", _attr(alias, "function"))
        b.add_extra("title", _attr(alias, "title"))
        b.add_extra("gender", _attr(alias, "gender"))

    for cit in xml_children(elem, "citizenship"):
        _details(b, cit)
        b.citizenship(_iso2(cit) or _attr(cit, "countryDescription"))
    for birth in xml_children(elem, "birthdate"):
        _details(b, birth)
        value = _xml_birthdate(birth)
        if value is None:
            b.add_extra("birth_date_text", _attr(birth, "birthdate"))
        _add(b.birth_dates, value)
        place = _join(
            [
                _attr(birth, "place"),
                _attr(birth, "city"),
                _attr(birth, "region"),
                _attr(birth, "zipCode"),
                _country_text(birth),
            ]
        )
        _add(b.birth_places, place)
    for ident in xml_children(elem, "identification"):
        _details(b, ident)
        _xml_identifier(b, ident)
    for addr in xml_children(elem, "address"):
        _details(b, addr)
        text = _join(
            [
                _attr(addr, "street"),
                _attr(addr, "poBox"),
                _attr(addr, "zipCode"),
                _attr(addr, "city"),
                _attr(addr, "place"),
                _attr(addr, "region"),
                _country_text(addr),
            ]
        )
        country = _iso2(addr) or country_or_text(_attr(addr, "countryDescription"))
        b.address(text, country, _attr(addr, "city"))
    return b.build()


def _primary_index(aliases: list[etree._Element]) -> int:
    def ok(alias: etree._Element) -> bool:
        return bool(
            _attr(alias, "wholeName") or _attr(alias, "lastName") or _attr(alias, "firstName")
        )

    strong = [
        i
        for i, a in enumerate(aliases)
        if ok(a) and (_attr(a, "strong") or "true").lower() != "false"
    ]
    for i in strong:
        if not _attr(aliases[i], "nameLanguage"):
            return i
    if strong:
        return strong[0]
    return next((i for i, a in enumerate(aliases) if ok(a)), -1)


def _details(b: _Builder, elem: etree._Element) -> None:
    """Remarks and regulation dates attached to a sub-element."""
    for remark in xml_children(elem, "remark"):
        b.remark(xml_text(remark))
    for summary in xml_children(elem, "regulationSummary"):
        b.listed(_attr(summary, "publicationDate"))


def _iso2(elem: etree._Element) -> str | None:
    code = _attr(elem, "countryIso2Code")
    if code is None or code == "00" or len(code) != 2:
        return None
    return code.lower()


def _country_text(elem: etree._Element) -> str | None:
    if _attr(elem, "countryIso2Code") == "00":
        return None
    return _attr(elem, "countryDescription")


def _xml_birthdate(elem: etree._Element) -> str | None:
    value = parse_date(_attr(elem, "birthdate"))
    if value is None:
        year, month, day = (
            _attr(elem, "year"),
            _attr(elem, "monthOfYear"),
            _attr(elem, "dayOfMonth"),
        )
        if year and year.isdecimal():
            text = year
            if month and month.isdecimal() and int(month):
                text += f"-{int(month):02d}"
                if day and day.isdecimal() and int(day):
                    text += f"-{int(day):02d}"
            value = parse_date(text)
    if value is None:
        low, high = _attr(elem, "yearRangeFrom"), _attr(elem, "yearRangeTo")
        if low and high:
            return f"{low}/{high}"
        value = parse_date(low or high)
    if (
        value is not None
        and (_attr(elem, "circa") or "").lower() == "true"
        and not value.startswith("~")
    ):
        value = "~" + value
    return value


def _xml_identifier(b: _Builder, elem: etree._Element) -> None:
    number = _attr(elem, "number") or _attr(elem, "latinNumber")
    if number is None:
        return
    code = (_attr(elem, "identificationTypeCode") or "").lower()
    id_type = ID_TYPES.get(code, "other")
    notes: list[str | None] = [_attr(elem, "identificationTypeDescription")]
    if id_type == "other" and code and code != "other":
        notes.insert(0, code)
    for flag, label in (
        ("diplomatic", "diplomatic"),
        ("knownExpired", "known expired"),
        ("knownFalse", "known false"),
        ("reportedLost", "reported lost"),
        ("revokedByIssuer", "revoked by issuer"),
    ):
        if (_attr(elem, flag) or "").lower() == "true":
            notes.append(label)
    issued_by = _attr(elem, "issuedBy")
    if issued_by:
        notes.append(f"issued by {issued_by}")
    name_on_doc = _attr(elem, "nameOnDocument")
    if name_on_doc:
        notes.append(f"name on document: {name_on_doc}")
    for key, label in (("validFrom", "valid from"), ("validTo", "valid to")):
        date = parse_date(_attr(elem, key))
        if date:
            notes.append(f"{label} {date}")
    latin = _attr(elem, "latinNumber")
    if latin and latin != number:
        notes.append(f"latin number {latin}")
    country = _iso2(elem) or country_or_text(_country_text(elem))
    _add(
        b.identifiers,
        Identifier(type=id_type, value=number, country=country, note=_join(notes, "; ")),
    )


# --- legacy 1.0 facts (shared by XML 1.0 and CSV 1.0) ----------------------------------


@dataclass
class _LegacyName:
    whole: str | None
    first: str | None = None
    middle: str | None = None
    last: str | None = None
    gender: str | None = None
    title: str | None = None
    function: str | None = None
    language: str | None = None


@dataclass
class _Legacy:
    """Facts of one legacy entry, in file order."""

    source_id: str
    subject: str | None = None
    names: list[_LegacyName] = field(default_factory=list)

    def build_into(self, b: _Builder) -> None:
        primary = next(
            (i for i, n in enumerate(self.names) if n.language is None and n.whole), None
        )
        if primary is None:
            primary = next((i for i, n in enumerate(self.names) if n.whole), -1)
        for i, n in enumerate(self.names):
            if n.whole is None:
                continue
            b.name(
                Name(
                    value=n.whole,
                    kind="primary" if i == primary else _name_kind(n.whole),
                    lang=n.language.lower() if n.language else None,
                    given=_join([n.first, n.middle], " ") if n.last else None,
                    family=n.last if n.first else None,
                )
            )
            b.add_extra("gender", n.gender)
            b.add_extra("title", n.title)
            b.add_extra("position", n.function)


def _legacy_birth(b: _Builder, date: str | None, place: str | None, country: str | None) -> None:
    value, unparsed = _legacy_date(date)
    _add(b.birth_dates, value)
    b.add_extra("birth_date_text", unparsed)
    _add(b.birth_places, _join([clean(place), _country_name(country)]))


def _legacy_identifier(b: _Builder, text: str | None, country: str | None) -> None:
    raw = clean(text)
    if raw is None:
        return
    m = _ID_TEXT.match(raw)
    if m:
        number = clean(m.group("number"))
        code = m.group("code").lower()
        desc = clean(m.group("desc"))
        rest = _unparen(m.group("rest"))
    else:
        number, code, desc, rest = raw, "other", None, None
    if number is None:
        return
    id_type = ID_TYPES.get(code, "other")
    notes = [code if id_type == "other" and code != "other" else None, desc, rest]
    _add(
        b.identifiers,
        Identifier(
            type=id_type, value=number, country=country_or_text(country), note=_join(notes, "; ")
        ),
    )


def _legacy_address(
    b: _Builder,
    number: str | None,
    street: str | None,
    zipcode: str | None,
    city: str | None,
    country: str | None,
    other: str | None,
) -> None:
    text = _join([_join([number, street], " "), zipcode, city, _country_name(country)])
    b.address(text, country_or_text(country), clean(city))
    b.remark(_unparen(other))


# --- legacy XML 1.0 --------------------------------------------------------------------


def detect_xml_v1(path: Path, head: bytes) -> str | None:
    return LIST_KEY if sniff_xml_root(head) == "WHOLE" else None


def read_xml_v1(path: Path) -> ParsedList:
    path = Path(path)
    attrs = _check_root(path, "WHOLE", "EU FSF legacy XML 1.0")
    count, notes = _scan_ids(path, "ENTITY", "Id")
    if count == 0:
        raise SourceError(path, "root element", "no ENTITY records: empty or truncated list")
    return ParsedList(
        list_key=LIST_KEY,
        format="eu_fsf_xml_v1",
        files=[path],
        entities=_v1_entities(path),
        published=parse_date(attrs.get("Date")),
        notes=notes,
    )


def _comments(elem: etree._Element) -> list[str]:
    out: list[str] = []
    for node in elem:
        if isinstance(node, etree._Comment):
            text = re.sub(r"^\s*Comment:\s*", "", html.unescape(node.text or ""))
            out.append(" ".join(clean_all(text.splitlines())))
    return clean_all(out)


def _v1_entities(path: Path) -> Iterator[Entity]:
    return _keyed_entities(path, "ENTITY", "Id", _v1_entity, "NAME")


def _v1_entity(elem: etree._Element, source_id: str) -> Entity:
    subject = clean(elem.get("Type"))
    schema = {"P": "Person", "E": "Organization"}.get((subject or "").upper(), "LegalEntity")
    b = _Builder(source_id, schema)
    legacy = _Legacy(source_id, subject)
    _add(b.programs, clean(elem.get("programme")))
    b.listed(elem.get("reg_date"))
    b.add_extra("regulation", clean(elem.get("legal_basis")))
    b.remark(_unparen(elem.get("remark")))
    for child in elem:
        if not isinstance(child.tag, str):
            continue
        tag = etree.QName(child).localname
        b.listed(child.get("reg_date"))
        for comment in _comments(child):
            b.remark(comment)
        if tag == "NAME":
            first, middle, last = (
                xml_text(child, "FIRSTNAME"),
                xml_text(child, "MIDDLENAME"),
                xml_text(child, "LASTNAME"),
            )
            legacy.names.append(
                _LegacyName(
                    whole=xml_text(child, "WHOLENAME") or _join([first, middle, last], " "),
                    first=first,
                    middle=middle,
                    last=last,
                    gender=xml_text(child, "GENDER"),
                    title=xml_text(child, "TITLE"),
                    function=xml_text(child, "FUNCTION"),
                    language=xml_text(child, "LANGUAGE"),
                )
            )
        elif tag == "BIRTH":
            _legacy_birth(
                b, xml_text(child, "DATE"), xml_text(child, "PLACE"), xml_text(child, "COUNTRY")
            )
        elif tag == "PASSPORT":
            _legacy_identifier(b, xml_text(child, "NUMBER"), xml_text(child, "COUNTRY"))
        elif tag == "CITIZEN":
            b.citizenship(xml_text(child, "COUNTRY"))
        elif tag == "ADDRESS":
            _legacy_address(
                b,
                xml_text(child, "NUMBER"),
                xml_text(child, "STREET"),
                xml_text(child, "ZIPCODE"),
                xml_text(child, "CITY"),
                xml_text(child, "COUNTRY"),
                xml_text(child, "OTHER"),
            )
    legacy.build_into(b)
    return b.build()


# --- legacy CSV 1.0 --------------------------------------------------------------------

CSV_REQUIRED = (
    "Entity_logical_id",
    "Subject_type",
    "Naal_logical_id",
    "Naal_wholename",
    "Birt_logical_id",
    "Birt_date",
    "Iden_logical_id",
    "Iden_number",
    "Citi_logical_id",
    "Citi_country",
    "Addr_logical_id",
)


def _csv_first_line(text: str) -> str:
    first = text.lstrip("\ufeff").split("\n", 1)[0]
    return first.rstrip("\r")


def _is_wrapped(header: str) -> bool:
    """True for the mirror artefact: the whole line is one quoted field holding the ';'s."""
    line = header.rstrip(" \t")
    if not line.startswith('"'):
        return False
    closing = line.find('"', 1)
    return closing == -1 or ";" in line[1:closing]


def _unwrap(line: str) -> str:
    text = line.rstrip("\r").rstrip(" \t")
    if len(text) >= 2 and text.startswith('"') and text.endswith('"'):
        text = text[1:-1].rstrip(" \t").replace('""', '"')
    return text


def detect_csv(path: Path, head: bytes) -> str | None:
    text = head.lstrip(b"\xef\xbb\xbf").decode("cp1252", errors="replace")
    line = _csv_first_line(text).strip().strip('"\t ')
    if line.startswith("Date_file") and ";Entity_logical_id;" in line:
        return LIST_KEY
    return None


def read_csv(path: Path) -> ParsedList:
    path = Path(path)
    try:
        text = read_text(path)
    except SourceError as exc:  # name the line as well as the byte of an undecodable byte
        m = re.fullmatch(r"byte (\d+)", exc.where or "")
        if m is None:
            raise
        line = path.read_bytes()[: int(m.group(1))].count(b"\n") + 1
        raise SourceError(path, f"line {line} ({exc.where})", exc.problem) from exc
    header_line = _csv_first_line(text)
    notes: list[str] = []
    if _is_wrapped(header_line):
        text = "\n".join(_unwrap(line) for line in text.split("\n"))
        notes.append(
            "every line was wrapped in double quotes and padded with tabs (mirror artefact): unwrapped"
        )
    rows = iter_csv(path, delimiter=";", text=text)
    try:
        _, header = next(rows)
    except StopIteration:
        raise SourceError(path, "line 1", "no header row") from None
    header = [h.strip().strip("\t") for h in header]
    if not header or not header[0].startswith("Date_file"):
        raise SourceError(
            path, "line 1", f"not an EU FSF CSV 1.0 header (starts {header[0][:30]!r})"
        )
    cols: dict[str, int] = {}
    for i, name in enumerate(header):
        cols.setdefault(name, i)
    missing = [c for c in CSV_REQUIRED if c not in cols]
    if missing:
        raise SourceError(path, "line 1", f"header lacks column(s) {', '.join(missing)}")

    groups: dict[str, list[tuple[int, dict[str, str]]]] = {}
    published: str | None = None
    for line_no, row in rows:
        if not row or all(not c.strip() for c in row):
            continue
        if len(row) != len(header):
            raise SourceError(
                path, f"line {line_no}", f"expected {len(header)} fields, found {len(row)}"
            )
        record = {name: row[i] for name, i in cols.items()}
        source_id = clean(record["Entity_logical_id"])
        if source_id is None:
            raise SourceError(path, f"line {line_no}", "row has no Entity_logical_id")
        if published is None:
            published = parse_date(record[header[0]])
        groups.setdefault(source_id, []).append((line_no, record))
    if not groups:
        raise SourceError(path, "line 2", "no data rows: empty or truncated list")
    return ParsedList(
        list_key=LIST_KEY,
        format="eu_fsf_csv",
        files=[path],
        entities=_csv_entities(path, groups),
        published=published,
        notes=notes,
    )


def _csv_entities(
    path: Path, groups: dict[str, list[tuple[int, dict[str, str]]]]
) -> Iterator[Entity]:
    for source_id, rows in groups.items():
        entity = _csv_entity(source_id, rows)
        if not entity.names:
            lines = ", ".join(str(n) for n, _ in rows[:5])
            raise SourceError(
                path, f"line(s) {lines} (Entity_logical_id {source_id})", "entry has no name row"
            )
        yield entity


def _csv_entity(source_id: str, rows: list[tuple[int, dict[str, str]]]) -> Entity:
    first = rows[0][1]
    subject = clean(first.get("Subject_type"))
    schema = {"P": "Person", "E": "Organization"}.get((subject or "").upper(), "LegalEntity")
    b = _Builder(source_id, schema)
    legacy = _Legacy(source_id, subject)

    def get(record: dict[str, str], key: str) -> str | None:
        return clean(record.get(key))

    for _line, r in rows:
        _add(b.programs, get(r, "Programme"))
        b.listed(get(r, "Leba_publication_date"))
        b.add_extra("regulation", get(r, "Leba_numtitle"))
        b.add_extra("eu_reference_number", get(r, "EU_ref_num"))
        remark = r.get("Entity_remark") or ""
        b.remark(_unparen(remark.replace("\\n", " ")))
        if get(r, "Naal_logical_id"):
            b.listed(get(r, "Naal_leba_publication_date"))
            f, m, la = get(r, "Naal_firstname"), get(r, "Naal_middlename"), get(r, "Naal_lastname")
            legacy.names.append(
                _LegacyName(
                    whole=get(r, "Naal_wholename") or _join([f, m, la], " "),
                    first=f,
                    middle=m,
                    last=la,
                    gender=get(r, "Naal_gender"),
                    title=get(r, "Naal_title"),
                    function=get(r, "Naal_function"),
                    language=get(r, "Naal_language"),
                )
            )
        if get(r, "Birt_logical_id"):
            b.listed(get(r, "Birt_leba_publication_date"))
            _legacy_birth(b, get(r, "Birt_date"), get(r, "Birt_place"), get(r, "Birt_country"))
        if get(r, "Iden_logical_id"):
            b.listed(get(r, "Iden_leba_publication_date"))
            _legacy_identifier(
                b, (r.get("Iden_number") or "").replace("\\n", " "), get(r, "Iden_country")
            )
        if get(r, "Citi_logical_id"):
            b.listed(get(r, "Citi_leba_publication_date"))
            b.citizenship(get(r, "Citi_country"))
        if get(r, "Addr_logical_id"):
            b.listed(get(r, "Addr_leba_publication_date"))
            _legacy_address(
                b,
                get(r, "Addr_number"),
                get(r, "Addr_street"),
                get(r, "Addr_zipcode"),
                get(r, "Addr_city"),
                get(r, "Addr_country"),
                (r.get("Addr_other") or "").replace("\\n", " "),
            )
    legacy.build_into(b)
    return b.build()


FORMATS: list[SourceFormat] = [
    SourceFormat(
        name="eu_fsf_xml",
        description="EU Financial Sanctions Files, XML 1.1 (<export> sanctionEntity)",
        detect=detect_xml,
        read=read_xml,
    ),
    SourceFormat(
        name="eu_fsf_xml_v1",
        description="EU Financial Sanctions Files, legacy XML 1.0 (<WHOLE> ENTITY)",
        detect=detect_xml_v1,
        read=read_xml_v1,
    ),
    SourceFormat(
        name="eu_fsf_csv",
        description="EU Financial Sanctions Files, legacy CSV 1.0 (semicolon-delimited)",
        detect=detect_csv,
        read=read_csv,
    ),
]
