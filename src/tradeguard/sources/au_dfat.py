"""Australia DFAT Consolidated List (``regulation8_consolidated.xlsx``), list key ``au_dfat``.

``source_id`` is the numeric part of **Reference**: rows ``2``, ``2a``, ``2b`` (and the
rarer ``34c1``) are one person or entity, ``"2"``; the lettered rows carry its aliases and
original-script names. Rows are one per name; the entity's other columns are repeated on
each of them (and are merged, de-duplicated, when they differ).

Two layouts, told apart by header name only (one code path):

- 2024: sheet ``Sheet1``: Reference, Name of Individual or Entity, Type, Name Type, Date of
  Birth, Place of Birth, Citizenship, Address, Additional Information, Listing Information,
  Committees, Control Date (then empty padding columns).
- 2026: sheet ``Consolidated List``: adds Alias Strength, IMO Number, Instrument of
  Designation, Targeted Financial Sanction, Travel Ban, Arms Embargo, Maritime Restriction.

Mapping: Type Individual/Entity/Vessel -> Person/Organization/Vessel (spelling and spaces
vary: "Entity ", "individual"); Name Type Primary Name -> primary, aka/Alias -> alias
(Alias Strength "Weak" -> weak_alias), Original Script -> original_script (names listed
primary, aliases, weak aliases, original script, each in file order); Date of Birth
(a date cell, a year, or text such as "a) 1962 b) 1960" / "1945, 1946" / "Approximately
1963") -> birth_dates; Place of Birth -> birth_places; Citizenship -> nationalities;
Address (one or several: "a) ... b) ...", ";"-separated) -> addresses; Additional
Information -> remarks; Committees -> programs; Listing Information / Instrument of
Designation -> extra; the first "Listed on <date>" found in Listing Information ->
listed_on; IMO Number -> identifier; the four True/False measure columns ->
``extra["measures"]``; Control Date -> ``extra["control_date"]`` (latest).

The file states no list date: ``published`` is None, and the latest Control Date is given
in ``notes``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from tradeguard.model import Address, Entity, Identifier, Name
from tradeguard.sources.base import ParsedList, SourceError, SourceFormat
from tradeguard.sources.common import (
    cell_text,
    clean,
    clean_all,
    country_code,
    is_xlsx,
    parse_date,
    parse_dates,
    split_enumerated,
    split_multi,
    xlsx_head_rows,
    xlsx_sheets,
)
from tradeguard.sources.gb_hmt import NAME_KIND_ORDER, add_all, add_extra, add_name

LIST_KEY = "au_dfat"

REFERENCE = "reference"
NAME = "name of individual or entity"
REQUIRED_COLUMNS = (REFERENCE, NAME, "type", "name type", "committees", "control date")

TYPES = {"individual": "Person", "entity": "Organization", "vessel": "Vessel"}
MEASURES = ("targeted financial sanction", "travel ban", "arms embargo", "maritime restriction")

_REF = re.compile(r"^\s*(\d+)(?:\.0)?\s*([a-z]*\d*)\s*$", re.I)
# "Listed on 25 Jan. 2001", "Listed by UN 1267 Committee 8 Mar. 2001", "Designated under
# ... Regulations 2011 on 2 March 2012": the first full date after "listed"/"designated".
_LISTED = re.compile(
    r"\b(?:listed|designated).{0,80}?\b(\d{1,2}\s+[A-Za-z]{3,9}\.?,?\s+\d{4}|\d{1,2}/\d{1,2}/\d{4})",
    re.I | re.S,
)


def _norm(header: Any) -> str:
    return re.sub(r"\s+", " ", str(header or "")).strip().lower()


def _is_header(row: list[Any]) -> bool:
    return len(row) > 1 and _norm(row[0]) == REFERENCE and _norm(row[1]) == NAME


def detect(path: Path, head: bytes) -> str | None:
    if not is_xlsx(head):
        return None
    for rows in xlsx_head_rows(path, 1).values():
        if rows and _is_header(rows[0]):
            return LIST_KEY
    return None


def read(path: Path) -> ParsedList:
    for sheet_name, sheet in xlsx_sheets(path).items():
        if sheet and _is_header(sheet[0]):
            return _read_sheet(path, sheet_name, sheet)
    raise SourceError(path, None, "no sheet whose first row is the DFAT header (Reference, Name of Individual or Entity, ...)")


def _read_sheet(path: Path, sheet_name: str, sheet: list[list[Any]]) -> ParsedList:
    names = [_norm(h) for h in sheet[0]]
    while names and not names[-1]:
        names.pop()
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    if missing:
        raise SourceError(path, f"sheet '{sheet_name}' row 1", f"missing required column(s): {', '.join(missing)}")
    groups: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    count = 0
    for number, row in enumerate(sheet[1:], 2):
        where = f"sheet '{sheet_name}' row {number}"
        if not any(cell_text(c) for c in row):
            continue
        if any(cell_text(c) for c in row[len(names) :]):
            raise SourceError(path, where, f"values beyond the {len(names)} named columns")
        record = dict(zip(names, row, strict=False))
        reference = cell_text(record.get(REFERENCE))
        m = _REF.match(reference or "")
        if not m:
            raise SourceError(path, where, f"Reference {reference!r} is not a number with an optional letter suffix")
        if not cell_text(record.get(NAME)):
            raise SourceError(path, where, "missing name")
        groups.setdefault(m.group(1), []).append((where, record))
        count += 1
    notes = [f"{count} rows grouped into {len(groups)} entries by Reference number"]
    control_dates: list[str] = []
    entities = [_entity(path, ref, rows, notes, control_dates) for ref, rows in groups.items()]
    if control_dates:
        notes.append(f"no list date inside the file; latest Control Date is {max(control_dates)}")
    else:
        notes.append("no list date inside the file")
    layout = "2026 layout (19 columns)" if "alias strength" in names else "2024 layout (12 columns)"
    notes.insert(0, f"sheet '{sheet_name}', {layout}")
    return ParsedList(LIST_KEY, "au_dfat_xlsx", [path], iter(entities), published=None, notes=notes)


def _texts(rows: list[tuple[str, dict[str, Any]]], column: str) -> list[str]:
    return clean_all(cell_text(r.get(column)) for _where, r in rows)


def _entity(
    path: Path, ref: str, rows: list[tuple[str, dict[str, Any]]], notes: list[str], control_dates: list[str]
) -> Entity:
    where, first = rows[0]
    type_text = cell_text(first.get("type")) or ""
    schema = TYPES.get(type_text.lower())
    if schema is None:
        if not type_text:
            raise SourceError(path, where, "missing Type (Individual/Entity/Vessel)")
        schema = "LegalEntity"
        notes.append(f"{where}: unknown Type {type_text!r}, read as LegalEntity")
    entity = Entity(list=LIST_KEY, source_id=ref, schema=schema)
    primaries: list[Name] = []
    others: list[Name] = []
    for _where, r in rows:
        value = cell_text(r.get(NAME))
        if not value:
            continue
        kind = (cell_text(r.get("name type")) or "").lower()
        strength = (cell_text(r.get("alias strength")) or "").lower()
        if kind == "primary name":
            add_name(primaries, Name(value=value, kind="primary"))
        elif kind == "original script":
            add_name(others, Name(value=value, kind="original_script"))
        else:
            add_name(others, Name(value=value, kind="weak_alias" if strength == "weak" else "alias"))
    names = primaries[:1]
    for name in primaries[1:]:
        add_name(names, Name(value=name.value, kind="alias"))
    for name in others:
        add_name(names, name)
    if not primaries and names:
        names[0].kind = "primary"
    entity.names = sorted(names, key=lambda n: NAME_KIND_ORDER.get(n.kind, 9))

    for value in _texts(rows, "date of birth"):
        dates, unread = parse_dates(value)
        add_all(entity.birth_dates, dates)
        add_extra(entity, "birth_date_text", unread)
    for value in _texts(rows, "place of birth"):
        add_all(entity.birth_places, _items(value))
    for value in _texts(rows, "citizenship"):
        add_all(entity.nationalities, _citizenships(value))
    for value in _texts(rows, "address"):
        add_all(entity.addresses, [_address(a) for a in _items(value)])
    add_all(entity.remarks, _texts(rows, "additional information"))
    add_all(entity.programs, _texts(rows, "committees"))
    listing = _texts(rows, "listing information")
    add_extra(entity, "listing_information", listing)
    add_extra(entity, "instrument_of_designation", _texts(rows, "instrument of designation"))
    for imo in _texts(rows, "imo number"):
        add_all(entity.identifiers, [Identifier(type="imo", value=imo)])
    for measure in MEASURES:
        if any(_truthy(r.get(measure)) for _where, r in rows):
            add_extra(entity, "measures", [measure])
    listed = clean_all(_listed_on(text) for text in listing)
    entity.listed_on = min(listed) if listed else None
    controls = clean_all(parse_date(cell_text(r.get("control date"))) for _where, r in rows)
    if controls:
        entity.extra["control_date"] = [max(controls)]
        control_dates.append(max(controls))
    return entity


def _items(value: str) -> list[str]:
    """One or several values: "a) x b) y", "x;\\ny", "x; y"."""
    out: list[str] = []
    for item in split_enumerated(value):
        add_all(out, split_multi(item, ";\n"))
    return out


def _country(text: str) -> str | None:
    return country_code(text) or country_code(re.sub(r"\s*\(.*?\)\s*", " ", text))


def _citizenships(value: str) -> list[str]:
    """"Russia;Ukraine", "a) Iraqi b) Syrian", "Russian and Ukrainian", "German, Moroccan"."""
    out: list[str] = []
    for item in _items(value):
        code = _country(item)
        if code is None:
            parts = clean_all(re.split(r",|\band\b", item))
            codes = [_country(p) for p in parts]
            if len(parts) > 1 and all(codes):
                add_all(out, codes)
                continue
        add_all(out, [code or item])
    return out


def _address(text: str) -> Address:
    last = text.rstrip(" .,;").rsplit(",", 1)[-1]
    return Address(text=text, country=_country(last) if last else None)


def _listed_on(text: str) -> str | None:
    m = _LISTED.search(text)
    return parse_date(m.group(1)) if m else None


def _truthy(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    return (clean(value) or "").lower() in ("true", "yes", "y", "1")


FORMATS: list[SourceFormat] = [
    SourceFormat(
        name="au_dfat_xlsx",
        description="Australia DFAT Consolidated List, XLSX (2024 12-column and 2026 19-column layouts)",
        detect=detect,
        read=read,
    )
]
