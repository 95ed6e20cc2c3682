"""Canada: Consolidated Canadian Autonomous Sanctions List (SEMA / JVCFOR), XML.

``<data-set><record>`` with Country (the regime, often bilingual "Belarus / Bélarus"),
LastName + GivenName (a person) or Entity / EntityOrShip (an entity or a ship), Aliases,
DateOfBirth / DateOfBirthOrShipBuildDate, Title / TitleOrShip, ShipIMONumber, Schedule,
Item and (2025) DateOfListing. List key ``ca_sema``. Both the 2020 field names (Entity,
DateOfBirth, Title) and the 2025 ones are read.

**source_id.** The list has no id of its own. A record is identified by its regime, its
place in the regulation's schedule and its item number, written
``<regime>[-s<schedule>][p<part>]-<item>``:

* ``regime``: the ISO-3166 code of the Country field's English part where it names a
  country ("Russia / Russie" -> ``ru``, "Myanmar (Burma) / ..." and "Burma / ..." -> ``mm``);
  else the abbreviation in brackets ("... (JVCFOR) / ..." -> ``jvcfor``); else a slug of
  the English part ("Hamas Terrorist Attacks" -> ``hamas_terrorist_attacks``).
* ``schedule`` / ``part``: the Schedule field read as (schedule, part), both defaulting to
  "1", and omitted from the id when "1". "1, Part 2" -> (1, 2); "Part 2" -> (1, 2);
  "1.1" -> (1.1, 1); "N/A" or absent -> (1, 1). A bare number is ambiguous between files:
  the 2020 file writes "2" for Part 2 of Iran's or Syria's single schedule, but "2" for
  Russia's Schedule 2 next to "1, Part 2". So a bare number is read as a *part* unless the
  same Country also uses "Part" wording in the same file, in which case it is a
  *schedule*. This keeps ids stable between the 2020 and 2025 files for the same record
  where the list kept its item number (e.g. "Iran" "2" item 5 in 2020 and "Iran"
  "1, Part 2" item 5 in 2025 are both ``ir-p2-5``).
* ``item``: the Item field. When it is missing, a 12-hex-digit SHA-1 of the record's
  name stands in (``<regime>[...]-h<hash>``).

Ids are unique within each staged file (checked by the tests); should a file still repeat
one, later records get ``~2``, ``~3``... appended and a note says so.

Mapping: a record with ShipIMONumber, or with EntityOrShip and a vessel-type TitleOrShip
("Oil Tanker"...), is a Vessel with an ``imo`` identifier, its type in ``extra["vessel_type"]``
and its build date in ``extra["build_date"]``; LastName/GivenName -> Person (title in
``extra["title"]``); else Organization. Aliases are split on ";" "," " / " and " or " (and " and " for a person)
(a legal form such as ", LLC", or a non-Latin piece starting in lower case, stays
attached to the name before it), "Russian:"-style prefixes become
``Name.lang``; a name with no Latin letters is ``original_script``; a one-word alias of a
person is a ``weak_alias``. Dates of birth "1970-01-02 or 1971-01-02" give both; text that
is not a date goes to ``extra["birth_date_text"]``. Country -> ``programs`` (as stated)
and, when it names a country, ``countries``. Schedule and Item -> ``extra``.

``published`` is None (the file states no list date); the latest DateOfListing is given
in ``ParsedList.notes``.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from lxml import etree
from rigour.text.scripts import is_latin

from tradeguard.model import Entity, Identifier, Name
from tradeguard.sources.base import ParsedList, SourceError, SourceFormat
from tradeguard.sources.common import (
    clean,
    country_code,
    iter_xml,
    parse_date,
    sniff_xml_root,
    xml_root_info,
    xml_text,
)

LIST_KEY = "ca_sema"
FORMAT_NAME = "ca_sema_xml"
ROOT = "data-set"

_LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")
_PART = re.compile(r"^(?:(?P<schedule>[\d.]+)\s*,\s*)?part\s*(?P<part>[\d.]+)$", re.I)
_NUMBER = re.compile(r"^[\d.]+$")
_SHIP_TYPES = re.compile(
    r"tanker|cargo|carrier|vessel|ro-ro|container|bulk|fso|fpso|tug|barge|ship", re.I
)
_LEGAL_FORM = re.compile(
    r"^(llc|l\.l\.c\.|ltd\.?|limited|inc\.?|corp\.?|co\.?|jsc|ojsc|cjsc|pjsc|ao|oao|zao|pao|ooo|"
    r"ооо|ао|пао|оао|зао|s\.a\.?|sa|sarl|gmbh|ag|plc|llp|lp|fze|fzco|fzc|dmcc|pte\.? ltd\.?)$",
    re.I,
)
_LANG_NAMES = r"belarus+ian|russian|ukrainian|english|french|arabic|persian|farsi|chinese"
_LANG_PREFIX = re.compile(rf"^({_LANG_NAMES})\s*:\s*", re.I)
_LANG_INSIDE = re.compile(rf"\s+(?=(?:{_LANG_NAMES})\s*:)", re.I)
_LANGS = {
    "belarusian": "be",
    "belarussian": "be",
    "russian": "ru",
    "ukrainian": "uk",
    "english": "en",
    "french": "fr",
    "arabic": "ar",
    "persian": "fa",
    "farsi": "fa",
    "chinese": "zh",
}


def detect(path: Path, head: bytes) -> str | None:
    if sniff_xml_root(head) == ROOT and (b"<record" in head or b"<Country" in head):
        return LIST_KEY
    return None


# --- the source_id rules ---------------------------------------------------------------


def regime_key(country: str | None) -> str:
    """Short stable key for the Country field (see the module docstring)."""
    text = clean(country) or ""
    english = text.split(" / ")[0].strip()
    code = country_code(english)
    if code:
        return code
    m = re.search(r"\(([A-Z]{2,})\)", english)
    if m:
        return m.group(1).lower()
    slug = re.sub(r"[^a-z0-9]+", "_", english.lower()).strip("_")
    return slug or "unknown"


def _uses_parts(schedule: str | None) -> bool:
    return bool(schedule and "part" in schedule.lower())


def schedule_key(schedule: str | None, country_uses_parts: bool) -> tuple[str, str]:
    """(schedule, part) of a Schedule field, both defaulting to "1"."""
    text = clean(schedule)
    if text is None or text.upper() == "N/A":
        return "1", "1"
    text = re.sub(r"\s+", " ", text)
    m = _PART.match(text)
    if m:
        return m.group("schedule") or "1", m.group("part")
    if _NUMBER.match(text):
        return (text, "1") if country_uses_parts else ("1", text)
    return re.sub(r"[^a-z0-9.]+", "_", text.lower()).strip("_") or "1", "1"


def make_source_id(
    country: str | None, schedule: tuple[str, str], item: str | None, name: str
) -> str:
    parts = [regime_key(country)]
    sched, part = schedule
    tag = ("" if sched == "1" else f"s{sched}") + ("" if part == "1" else f"p{part}")
    if tag:
        parts.append(tag)
    item_text = clean(item)
    if item_text:
        parts.append(re.sub(r"[^A-Za-z0-9.]+", "_", item_text))
    else:
        parts.append("h" + hashlib.sha1(name.encode("utf-8")).hexdigest()[:12])
    return "-".join(parts)


# --- reading ---------------------------------------------------------------------------


@dataclass
class _Scan:
    count: int
    part_countries: set[str]
    max_listing: str | None


def _field(elem: etree._Element, *names: str) -> str | None:
    for name in names:
        value = xml_text(elem, name)
        if value is not None:
            return value
    return None


def _scan(path: Path) -> _Scan:
    count = 0
    part_countries: set[str] = set()
    max_listing: str | None = None
    for elem in iter_xml(path, {"record"}):
        count += 1
        country = _field(elem, "Country")
        if _uses_parts(_field(elem, "Schedule")):
            part_countries.add(regime_key(country))
        listed = parse_date(_field(elem, "DateOfListing"))
        if listed and (max_listing is None or listed > max_listing):
            max_listing = listed
    return _Scan(count, part_countries, max_listing)


def read(path: Path) -> ParsedList:
    path = Path(path)
    root, _attrs = xml_root_info(path)
    if root != ROOT:
        raise SourceError(
            path, "root element", f"expected <{ROOT}> (Canada SEMA list), found <{root}>"
        )
    scan = _scan(path)
    if scan.count == 0:
        raise SourceError(path, "root element", "no <record> elements: empty or truncated list")
    notes = ["the file states no publication date"]
    if scan.max_listing:
        notes.append(f"latest DateOfListing in the file: {scan.max_listing}")
    return ParsedList(
        list_key=LIST_KEY,
        format=FORMAT_NAME,
        files=[path],
        entities=_entities(path, scan, notes),
        published=None,
        notes=notes,
    )


def _entities(path: Path, scan: _Scan, notes: list[str]) -> Iterator[Entity]:
    used: dict[str, int] = {}
    for index, elem in enumerate(iter_xml(path, {"record"}), start=1):
        where = f"line {elem.sourceline}, record {index}"
        entity = _entity(path, where, elem, scan)
        base = entity.source_id
        if base in used:
            used[base] += 1
            entity.source_id = f"{base}~{used[base]}"
            notes.append(f"{where}: id {base} is repeated; this record is {entity.source_id}")
        else:
            used[base] = 1
        yield entity


def _add(values: list[str], value: str | None) -> None:
    if value and value not in values:
        values.append(value)


def _split_aliases(text: str, person: bool) -> list[tuple[str, str | None]]:
    """Alias strings with their language hint, split on ; , / and " or " (and " and " for
    a person); "Russian:"-style labels, also mid-text, give the language."""
    out: list[tuple[str, str | None]] = []
    text = _LANG_INSIDE.sub(", ", text)
    separators = r";|\s+/\s*|\s*/\s+|\sor\s" + (r"|\sand\s" if person else "")
    for chunk in re.split(separators, text):
        lang: str | None = None  # a "Russian:" label holds until the end of its chunk
        pieces: list[tuple[str, str | None]] = []
        for raw in chunk.split(","):
            piece = raw.strip()
            m = _LANG_PREFIX.match(piece)
            if m:
                lang = _LANGS[m.group(1).lower()]
                piece = piece[m.end() :].strip()
            if not piece:
                continue
            # "NGO Izhbs, LLC" and "Агентство ..., соотечественников, ..." stay one name
            continued = piece[0].islower() and not _LATIN_LETTER.search(piece)
            if pieces and (_LEGAL_FORM.match(piece) or continued):
                previous, previous_lang = pieces[-1]
                pieces[-1] = (f"{previous}, {piece}", previous_lang)
                continue
            pieces.append((piece, lang))
        for piece, piece_lang in pieces:
            # "Акционерное Общество ... and НИИ ..., АО": an English "and" between
            # non-Latin names separates two names
            if not _LATIN_LETTER.search(re.sub(r"(^|\s)and\s", " ", piece)):
                parts = re.split(r"(?:^|\s)and\s", piece)
            else:
                parts = [piece]
            for part in parts:
                value = clean(part)
                if value and value.count('"') % 2:  # a stray quote from a split quoted name
                    value = clean(value.strip('" '))
                if value:
                    out.append((value, piece_lang))
    return out


def _entity(path: Path, where: str, elem: etree._Element, scan: _Scan) -> Entity:
    country = _field(elem, "Country")
    last, given = _field(elem, "LastName"), _field(elem, "GivenName")
    org_name = _field(elem, "EntityOrShip", "Entity")
    title = _field(elem, "TitleOrShip", "Title")
    imo = _field(elem, "ShipIMONumber")
    dob = _field(elem, "DateOfBirthOrShipBuildDate", "DateOfBirth")
    schedule = _field(elem, "Schedule")
    item = _field(elem, "Item")

    if imo or (org_name and title and _SHIP_TYPES.search(title)):
        schema = "Vessel"
        primary = Name(value=org_name or " ".join(p for p in (given, last) if p), kind="primary")
    elif last or given:
        schema = "Person"
        primary = Name(
            value=" ".join(p for p in (given, last) if p), kind="primary", given=given, family=last
        )
    elif org_name:
        schema = "Organization"
        primary = Name(value=org_name, kind="primary")
    else:
        raise SourceError(
            path, where, "record has no name (LastName/GivenName/Entity/EntityOrShip)"
        )

    names = [primary]
    for value, lang in _split_aliases(_field(elem, "Aliases") or "", schema == "Person"):
        if value == primary.value:
            continue
        if not is_latin(value) and not _LATIN_LETTER.search(value):
            kind = "original_script"
        elif schema == "Person" and " " not in value and "-" not in value:
            kind = "weak_alias"  # a single word ("Sergei") split off a person's alias list
        else:
            kind = "alias"
        if not any(n.value == value and n.kind == kind for n in names):
            names.append(Name(value=value, kind=kind, lang=lang))

    extra: dict[str, list[str]] = {}
    dates: list[str] = []
    unparsed: list[str] = []
    for piece in re.split(r"\s+or\s+", dob or "", flags=re.I):
        parsed = parse_date(piece)
        if parsed:
            _add(dates, parsed)
        else:
            _add(unparsed, clean(piece))
    identifiers: list[Identifier] = []
    birth_dates: list[str] = []
    if schema == "Vessel":
        if dates:
            extra["build_date"] = dates
        if title:
            extra["vessel_type"] = [title]
        if imo:
            identifiers.append(Identifier(type="imo", value=imo))
    else:
        birth_dates = dates
        if title:
            extra["title"] = [title]
    if unparsed:
        extra["build_date_text" if schema == "Vessel" else "birth_date_text"] = unparsed
    if schedule:
        extra["schedule"] = [schedule]
    if item:
        extra["item"] = [item]

    code = country_code(country) if country else None
    sched = schedule_key(schedule, regime_key(country) in scan.part_countries)
    return Entity(
        list=LIST_KEY,
        source_id=make_source_id(country, sched, item, primary.value),
        schema=schema,
        names=names,
        birth_dates=birth_dates,
        countries=[code] if code else [],
        identifiers=identifiers,
        programs=[country] if country else [],
        listed_on=parse_date(_field(elem, "DateOfListing")),
        extra=extra,
    )


FORMATS: list[SourceFormat] = [
    SourceFormat(
        name=FORMAT_NAME,
        description="Canada Consolidated Autonomous Sanctions List (SEMA), XML (sema-lmes.xml)",
        detect=detect,
        read=read,
    )
]
