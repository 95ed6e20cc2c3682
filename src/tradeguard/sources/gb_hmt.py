"""HM Treasury / OFSI "Consolidated List of Financial Sanctions Targets in the UK" (ConList).

List key ``gb_hmt``; ``source_id`` is the OFSI **Group ID**.

Two layouts, both one row per name variant (a person with three spellings and two dates
of birth can fill six rows), grouped by ``Group ID``. Rows of one group are NOT adjacent
(the file is sorted by name), so the whole file is read before any entity is built.

- Row 1 is ``Last Updated,<dd/mm/yyyy>`` (-> ``ParsedList.published``); row 2 is the header.
- ``gb_hmt_csv``: ``sanctionsconlist.csv`` / ``ConList.csv`` (2014-2020: 29 columns,
  Windows-1252 text). The 2022+ CSV with the 36-column header is read the same way.
- ``gb_hmt_xlsx``: ``ConList.xlsx``, sheet ``Data`` (2023+: 36 columns, adding the
  non-Latin script name/type/language, Passport Number, National Identification
  Number/Details, Alias Quality and "UK Sanctions List Date Designated").

Columns are found by header name, so either layout (and column re-ordering) is read by one
code path. Mapping:

- Name 1..5 are given names, Name 6 the surname (or the whole name of an entity/ship).
  Alias Type "Primary name" / "Prime Alias" -> primary (the first one; any further distinct
  primary rows become aliases), "Primary name variation" / "AKA" -> alias, "FKA" -> former;
  Alias Quality "Low quality" -> weak_alias. A group with no primary row gets its first
  name as primary. "Name Non-Latin Script" -> original_script with the ISO 639-1 code of
  "Non-Latin Script Language" (or the script type as given).
- Group Type Individual/Entity/Ship -> Person/Organization/Vessel (anything else:
  LegalEntity, with a note).
- DOB (dd/mm/yyyy, ``00`` for unknown parts, possibly several per cell), Town/Country of
  Birth, Nationality ("(1) x (2) y" lists are split), Passport / NI numbers, Position,
  Title, Address 1-6 + Post/Zip Code + Country, Other Information (-> remarks), Regime
  (-> programs), Listed On (-> listed_on, the earliest), Last Updated (-> extra).
- 2022+ "Other Information" holds tagged fields, ``(UK Sanctions List Ref):RUS0001
  (Gender):Male (IMO number):7408873 ...``; the known tags are lifted into identifiers,
  relations and ``extra`` (the full text stays in remarks). ``uk_sanctions_list_ref`` is
  the FCDO UK Sanctions List "Unique ID" of the same designation (see ``gb_fcdo``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from tradeguard.model import Address, Entity, Identifier, Name, Relation
from tradeguard.sources.base import ParsedList, SourceError, SourceFormat
from tradeguard.sources.common import (
    cell_text,
    clean,
    clean_all,
    country_code,
    is_xlsx,
    iter_csv,
    parse_date,
    parse_dates,
    read_head,
    split_enumerated,
    xlsx_head_rows,
    xlsx_sheets,
)

LIST_KEY = "gb_hmt"
SHEET = "Data"

REQUIRED_COLUMNS = ("Name 6", "Group Type", "Alias Type", "Regime", "Group ID")

GROUP_TYPES = {"individual": "Person", "entity": "Organization", "ship": "Vessel"}

# Names are listed in this order of kind (stable within a kind: the order of the file).
NAME_KIND_ORDER = {"primary": 0, "alias": 1, "former": 2, "weak_alias": 3, "original_script": 4}

# English language names (as OFSI/FCDO spell them) -> ISO 639-1.
LANGUAGES = {
    "arabic": "ar",
    "armenian": "hy",
    "azerbaijani": "az",
    "belarusian": "be",
    "bosnian": "bs",
    "bulgarian": "bg",
    "burmese": "my",
    "chinese": "zh",
    "farsi": "fa",
    "georgian": "ka",
    "greek": "el",
    "hebrew": "he",
    "japanese": "ja",
    "kazakh": "kk",
    "korean": "ko",
    "kyrgyz": "ky",
    "macedonian": "mk",
    "moldovan": "ro",
    "mongolian": "mn",
    "pashto": "ps",
    "persian": "fa",
    "persian/farsi": "fa",
    "romanian": "ro",
    "romanian; moldavian; moldovan": "ro",
    "russia": "ru",
    "russian": "ru",
    "serbian": "sr",
    "spanish": "es",
    "tajik": "tg",
    "thai": "th",
    "turkish": "tr",
    "ukraine": "uk",
    "ukrainian": "uk",
    "urdu": "ur",
    "uzbek": "uz",
}

# Tags of the 2022+ "Other Information" text: "(Tag):value (Tag):value ...".
INFO_TAGS = (
    "UK Sanctions List Ref",
    "UK Statement of Reasons",
    "UN Ref",
    "Gender",
    "Phone number",
    "Email address",
    "Website",
    "Type of entity",
    "Parent company",
    "Subsidiaries",
    "Business Reg No",
    "IMO number",
    "Current owners",
    "Flag of ship",
    "Previous flags",
    "Type of ship",
    "Tonnage of ship",
    "Length of ship",
    "Year built",
    "Fax",
)
_INFO_TAG = re.compile(r"\((" + "|".join(re.escape(t) for t in INFO_TAGS) + r")\)\s*:", re.I)
# Reference-like values are cut to the references themselves ("DPR0100. Pursuant to ...").
_INFO_REFS = {
    "uk sanctions list ref": ("uk_sanctions_list_ref", re.compile(r"\b[A-Z]{3}\d{4}\b")),
    "un ref": ("un_ref", re.compile(r"\b[A-Z]{2}[a-z]\.\d{3}\b")),
}
_INFO_EXTRA = {
    "gender": "gender",
    "phone number": "phone",
    "fax": "fax",
    "email address": "email",
    "website": "website",
    "type of entity": "entity_type",
    "flag of ship": "flag",
    "previous flags": "previous_flags",
    "type of ship": "vessel_type",
    "tonnage of ship": "tonnage",
    "length of ship": "length",
}

# An identifier-like token inside free text: "Passport No: 592667 (Qatari ...)" -> 592667.
_ID_TOKEN = re.compile(r"(?<![\w/.-])(?=[A-Z0-9/-]*\d{3})[A-Z0-9][A-Z0-9/-]{3,}[A-Z0-9](?![\w/.-])", re.I)


# --- shared with gb_fcdo ---------------------------------------------------------------


def language_code(language: str | None, script: str | None = None) -> str | None:
    """ISO 639-1 code for an English language name; else the language (or script) as given."""
    lang = clean(language)
    if lang is not None:
        code = LANGUAGES.get(lang.lower())
        if code:
            return code
        if lang.lower() not in ("cyrillic", "latin"):
            return lang
    return clean(script)


def id_token(text: str) -> str | None:
    """The identifier number inside a free-text passport/ID detail, if one stands out."""
    m = _ID_TOKEN.search(text)
    return m.group(0) if m else None


def identifiers_from_text(kind: str, text: str | None) -> list[Identifier]:
    """Identifiers from a free-text cell listing one or more ("(1) X (2) Y") documents."""
    out: list[Identifier] = []
    for item in split_enumerated(text):
        token = id_token(item)
        ident = Identifier(type=kind, value=token or item, note=item if token and token != item else None)
        if ident not in out:
            out.append(ident)
    return out


def identifiers_with_details(kind: str, numbers: str | None, details: str | None) -> list[Identifier]:
    """Identifiers from a number cell and its details cell, paired item by item when the
    counts agree ("(1) A1 (2) B2" with "(1) Libyan (2) British"), else with the whole note."""
    values = split_enumerated(numbers)
    notes = split_enumerated(details)
    if not values:
        return identifiers_from_text(kind, details) if details and id_token(details) else []
    out: list[Identifier] = []
    for i, value in enumerate(values):
        note = notes[i] if len(notes) == len(values) else clean(details)
        ident = Identifier(type=kind, value=value, note=note)
        if ident not in out:
            out.append(ident)
    return out


def birth_places(towns: str | None, countries: str | None) -> list[str]:
    """Town(s) and country(ies) of birth as "town, country" where they pair up."""
    town_list = split_enumerated(towns)
    country_list = split_enumerated(countries)
    if not town_list:
        return country_list
    if not country_list:
        return town_list
    if len(country_list) == 1:
        return clean_all(f"{t}, {country_list[0]}" for t in town_list)
    if len(country_list) == len(town_list):
        return clean_all(f"{t}, {c}" for t, c in zip(town_list, country_list, strict=True))
    return clean_all(town_list + country_list)


def add_name(names: list[Name], name: Name) -> None:
    """Add a name unless the same value is there already (the stronger kind wins)."""
    for i, existing in enumerate(names):
        if existing.value == name.value:
            if NAME_KIND_ORDER.get(name.kind, 9) < NAME_KIND_ORDER.get(existing.kind, 9):
                names[i] = name
            return
    names.append(name)


def add_all(items: list[Any], new: Iterable[Any]) -> None:
    for item in new:
        if item is not None and item not in items:
            items.append(item)


def add_extra(entity: Entity, key: str, values: Iterable[str | None]) -> None:
    for value in values:
        text = clean(value)
        if text is None:
            continue
        bucket: list[str] = list(entity.extra.get(key, ()))
        if text not in bucket:
            entity.extra[key] = [*bucket, text]


def info_fields(text: str | None) -> list[tuple[str, str]]:
    """The tagged fields of a 2022+ "Other Information" text, as (lower-case tag, value)."""
    if not text:
        return []
    marks = list(_INFO_TAG.finditer(text))
    out: list[tuple[str, str]] = []
    for i, mark in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        value = clean(text[mark.end() : end])
        if value:
            out.append((mark.group(1).lower(), value))
    return out


def apply_info_fields(entity: Entity, text: str | None) -> None:
    """Lift the tagged fields of "Other Information" into identifiers, relations and extra."""
    for tag, value in info_fields(text):
        if tag == "uk statement of reasons":
            continue  # stays in remarks, as part of the full text
        short = value.rstrip(" .")
        if tag in _INFO_REFS:
            key, pattern = _INFO_REFS[tag]
            first_sentence = re.split(r"\.\s", value, maxsplit=1)[0]
            add_extra(entity, key, pattern.findall(first_sentence) or short.split()[:1])
        elif tag in _INFO_EXTRA:
            add_extra(entity, _INFO_EXTRA[tag], split_enumerated(short))
        elif tag == "imo number":
            add_all(entity.identifiers, [Identifier(type="imo", value=short)])
        elif tag == "business reg no":
            add_all(entity.identifiers, [Identifier(type="registration", value=v) for v in split_enumerated(short)])
        elif tag == "current owners":
            add_all(entity.relations, [Relation(kind="owned_by", target_name=v, note="current owner") for v in split_enumerated(short)])
        elif tag == "parent company":
            add_all(entity.relations, [Relation(kind="owned_by", target_name=v, note="parent company") for v in split_enumerated(short)])
        elif tag == "subsidiaries":
            add_all(entity.relations, [Relation(kind="owner_of", target_name=v, note="subsidiary") for v in split_enumerated(short)])
        elif tag == "year built":
            add_all(entity.birth_dates, [parse_date(short)])


def address_text(parts: Iterable[str | None]) -> str | None:
    return clean(", ".join(p for p in (clean(x) for x in parts) if p)) or None


# UK spellings rigour does not resolve.
UK_COUNTRIES = {
    "congo (democratic republic)": "cd",
    "occupied palestinian territories": "ps",
    "bosnia-herzegovina": "ba",
}


def uk_country(country: str | None) -> str | None:
    """ISO code of a UK-list country ("Afghanistan (since 2009)" -> "af"), else as listed."""
    text = clean(country)
    if not text:
        return None
    code = (
        country_code(text)
        or UK_COUNTRIES.get(text.lower())
        or country_code(re.sub(r"\s*\(.*?\)\s*", " ", text))
    )
    return code or text


# --- ConList ---------------------------------------------------------------------------

Row = tuple[str, dict[str, str | None]]


def group_rows(
    path: Path, rows: Sequence[tuple[str, Sequence[str | None]]], names: Sequence[str], key: str, label: str
) -> tuple[dict[str, list[Row]], int]:
    """Rows (one per name variant) grouped by their ``key`` column, and the row count.

    Rows may be far apart in the file. A row with more cells than the header or without a
    key is an error naming its line.
    """
    groups: dict[str, list[Row]] = {}
    count = 0
    for where, row in rows:
        if not any(row):
            continue
        if len(row) < len(names) or any(row[len(names) :]):
            raise SourceError(path, where, f"expected {len(names)} fields, found {len(row)}")
        record = dict(zip(names, row, strict=False))
        group_key = record.get(key)
        if not group_key:
            raise SourceError(path, where, f"missing {label}")
        groups.setdefault(group_key, []).append((where, record))
        count += 1
    return groups, count


def _header_ok(row: list[Any]) -> bool:
    cells = [cell_text(c) for c in row]
    return bool(cells) and cells[0] == "Name 6" and "Group ID" in cells


class _CellCache:
    """cell_text() with memory: ConList repeats each group's long texts on every row."""

    def __init__(self) -> None:
        self._seen: dict[Any, str | None] = {}

    def get(self, value: Any) -> str | None:
        if value is None or value == "":
            return None
        if not isinstance(value, str):
            return cell_text(value)
        if value not in self._seen:
            self._seen[value] = cell_text(value)
        return self._seen[value]


def detect_csv(path: Path, head: bytes) -> str | None:
    text = head.removeprefix(b"\xef\xbb\xbf")
    if not text.startswith(b"Last Updated,"):
        return None
    lines = text.splitlines()
    if len(lines) < 2 or not lines[1].startswith(b"Name 6,") or b"Group ID" not in lines[1]:
        return None
    return LIST_KEY


def detect_xlsx(path: Path, head: bytes) -> str | None:
    if not is_xlsx(head):
        return None
    rows = xlsx_head_rows(path, 3).get(SHEET)
    if not rows or len(rows) < 2 or cell_text(rows[0][0] if rows[0] else None) != "Last Updated":
        return None
    return LIST_KEY if _header_ok(rows[1]) else None


def read_csv(path: Path) -> ParsedList:
    cells = _CellCache()
    rows = [(f"line {n}", [cells.get(c) for c in row]) for n, row in iter_csv(path)]
    return _read(path, "gb_hmt_csv", rows)


def read_xlsx(path: Path) -> ParsedList:
    sheets = xlsx_sheets(path)
    if SHEET not in sheets:
        raise SourceError(path, None, f"no sheet named '{SHEET}' (sheets: {', '.join(sheets) or 'none'})")
    cells = _CellCache()
    rows = [(f"sheet '{SHEET}' row {i}", [cells.get(c) for c in row]) for i, row in enumerate(sheets[SHEET], 1)]
    return _read(path, "gb_hmt_xlsx", rows)


def read(path: Path) -> ParsedList:
    """Read either layout (for callers that bypass detection)."""
    return read_xlsx(path) if is_xlsx(read_head(path, 8)) else read_csv(path)


def _read(path: Path, fmt: str, rows: list[tuple[str, list[str | None]]]) -> ParsedList:
    if not rows:
        raise SourceError(path, "line 1", "file has no rows")
    where, first = rows[0]
    if not first or first[0] != "Last Updated":
        raise SourceError(path, where, f"expected 'Last Updated,<dd/mm/yyyy>' as the first row, found {_preview(first)}")
    published = parse_date(first[1] if len(first) > 1 else None)
    if len(rows) < 2:
        raise SourceError(path, "line 2", "header row missing")
    where, header = rows[1]
    names = [h or "" for h in header]
    while names and not names[-1]:
        names.pop()
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    if missing:
        raise SourceError(path, where, f"missing required column(s): {', '.join(missing)}")
    groups, count = group_rows(path, rows[2:], names, "Group ID", "Group ID")
    notes = [f"{count} rows grouped into {len(groups)} entries by Group ID"]
    entities = [_entity(group_id, group, notes) for group_id, group in groups.items()]
    return ParsedList(
        list_key=LIST_KEY,
        format=fmt,
        files=[path],
        entities=iter(entities),
        published=published,
        notes=notes,
    )


def _preview(row: list[str | None]) -> str:
    text = ",".join(c or "" for c in row[:3])
    return repr(text[:60])


def _distinct(rows: list[Row], *columns: str) -> list[tuple[str | None, ...]]:
    """The distinct value combinations of ``columns`` over a group's rows, in order."""
    seen: dict[tuple[str | None, ...], None] = {}
    for _where, r in rows:
        key = tuple(r.get(c) for c in columns)
        if any(key):
            seen.setdefault(key, None)
    return list(seen)


def _values(rows: list[Row], column: str) -> list[str]:
    return [v[0] for v in _distinct(rows, column) if v[0]]


def _entity(group_id: str, rows: list[Row], notes: list[str]) -> Entity:
    first = rows[0][1]
    group_type = (first.get("Group Type") or "").strip()
    schema = GROUP_TYPES.get(group_type.lower())
    if schema is None:
        schema = "LegalEntity"
        notes.append(f"Group ID {group_id} ({rows[0][0]}): unknown Group Type {group_type!r}, read as LegalEntity")
    entity = Entity(list=LIST_KEY, source_id=group_id, schema=schema)
    _names(entity, rows)
    for dob in _values(rows, "DOB"):
        dates, unread = parse_dates(dob)
        add_all(entity.birth_dates, dates)
        add_extra(entity, "birth_date_text", unread)
    for town, country in _distinct(rows, "Town of Birth", "Country of Birth"):
        add_all(entity.birth_places, birth_places(town, country))
    for value in _values(rows, "Nationality"):
        add_all(entity.nationalities, [uk_country(n) for n in split_enumerated(value)])
    if "Passport Number" in first:
        for number, details in _distinct(rows, "Passport Number", "Passport Details"):
            add_all(entity.identifiers, identifiers_with_details("passport", number, details))
        for number, details in _distinct(rows, "National Identification Number", "National Identification Details"):
            add_all(entity.identifiers, identifiers_with_details("national_id", number, details))
    else:
        for value in _values(rows, "Passport Details"):
            add_all(entity.identifiers, identifiers_from_text("passport", value))
        for value in _values(rows, "NI Number"):
            add_all(entity.identifiers, identifiers_from_text("national_id", value))
    for value in _values(rows, "Title"):
        add_extra(entity, "title", split_enumerated(value))
    for value in _values(rows, "Position"):
        add_extra(entity, "position", split_enumerated(value))
    address_columns = [f"Address {i}" for i in range(1, 7)] + ["Post/Zip Code", "Country"]
    for parts in _distinct(rows, *address_columns):
        text = address_text(parts)
        if text:
            add_all(entity.addresses, [Address(text=text, country=uk_country(parts[-1]))])
    for info in _values(rows, "Other Information"):
        add_all(entity.remarks, [info])
        apply_info_fields(entity, info)
    add_all(entity.programs, _values(rows, "Regime"))
    listed = clean_all(parse_date(v) for v in _values(rows, "Listed On"))
    updated = clean_all(parse_date(v) for v in _values(rows, "Last Updated"))
    add_extra(entity, "date_designated", [parse_date(v) for v in _values(rows, "UK Sanctions List Date Designated")])
    entity.listed_on = min(listed) if listed else None
    if updated:
        entity.extra["last_updated"] = [max(updated)]
    return entity


def _names(entity: Entity, rows: list[Row]) -> None:
    primaries: list[Name] = []
    others: list[Name] = []
    name_columns = [f"Name {i}" for i in range(1, 7)] + ["Alias Type", "Alias Quality"]
    for *parts, alias_type, quality in _distinct(rows, *name_columns):
        _row_name(entity, parts, (alias_type or "").lower(), (quality or "").lower(), primaries, others)
    script_columns = ("Name Non-Latin Script", "Non-Latin Script Language", "Non-Latin Script Type")
    for script_name, language, script in _distinct(rows, *script_columns):
        if script_name:
            add_name(others, Name(value=script_name, kind="original_script", lang=language_code(language, script)))
    names = primaries[:1]
    for name in primaries[1:]:
        add_name(names, Name(value=name.value, kind="alias", lang=name.lang, given=name.given, family=name.family))
    for name in others:
        add_name(names, name)
    if not primaries and names:
        promote = next((n for n in names if n.kind != "original_script"), names[0])
        promote.kind = "primary"
    entity.names = sorted(names, key=lambda n: NAME_KIND_ORDER.get(n.kind, 9))


def _row_name(
    entity: Entity,
    parts: list[str | None],
    alias_type: str,
    quality: str,
    primaries: list[Name],
    others: list[Name],
) -> None:
    given = " ".join(p for p in parts[:5] if p) or None
    family = parts[5]
    value = clean(" ".join(p for p in (given, family) if p))
    if not value:
        return
    person = entity.schema == "Person"
    name = Name(value=value, given=given if person else None, family=family if person and given else None)
    if alias_type in ("primary name", "prime alias"):
        name.kind = "primary"
        add_name(primaries, name)
        return
    if alias_type == "fka":
        name.kind = "former"
    elif quality.startswith("low"):
        name.kind = "weak_alias"
    else:
        name.kind = "alias"
    add_name(others, name)


FORMATS: list[SourceFormat] = [
    SourceFormat(
        name="gb_hmt_csv",
        description="HM Treasury / OFSI Consolidated List (ConList), CSV (Windows-1252; 29 or 36 columns)",
        detect=detect_csv,
        read=read_csv,
    ),
    SourceFormat(
        name="gb_hmt_xlsx",
        description="HM Treasury / OFSI Consolidated List (ConList), XLSX sheet 'Data' (2022+ layout)",
        detect=detect_xlsx,
        read=read_xlsx,
    ),
]
