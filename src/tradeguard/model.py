"""The listed entity: one shape for every source, the store, matching and the API.

Every parser in ``tradeguard.sources`` turns its official format into :class:`Entity`
objects. Values are kept as the list states them (trimmed, nulls dropped); matching does
its own normalisation. Dates are ISO-8601 prefixes ("1970", "1970-05", "1970-05-02"); a
range is "1970/1975" and an approximate date is prefixed with "~" ("~1970").
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Literal

Schema = Literal["Person", "Organization", "Company", "LegalEntity", "Vessel", "Airplane"]
SCHEMAS: tuple[str, ...] = ("Person", "Organization", "Company", "LegalEntity", "Vessel", "Airplane")

NameKind = Literal["primary", "alias", "weak_alias", "former", "original_script"]
NAME_KINDS: tuple[str, ...] = ("primary", "alias", "weak_alias", "former", "original_script")

# Identifier types used across sources (free text is allowed, but prefer these keys).
IDENTIFIER_TYPES: tuple[str, ...] = (
    "passport",
    "national_id",
    "tax_id",
    "inn",
    "ogrn",
    "kpp",
    "registration",
    "imo",
    "mmsi",
    "bic",
    "crypto",
    "lei",
    "duns",
    "vessel_call_sign",
    "aircraft_serial",
    "aircraft_tail",
    "other",
)


@dataclass(slots=True)
class Name:
    value: str
    kind: str = "primary"  # one of NAME_KINDS
    lang: str | None = None  # ISO 639 code or script hint where the list gives one
    # Name parts, where the list gives them separately (e.g. given/family).
    given: str | None = None
    family: str | None = None


@dataclass(slots=True)
class Identifier:
    type: str  # one of IDENTIFIER_TYPES where possible
    value: str
    country: str | None = None
    note: str | None = None


@dataclass(slots=True)
class Address:
    text: str  # full address as one line
    country: str | None = None  # ISO-3166 alpha-2, lower case, where known; else as listed
    city: str | None = None


@dataclass(slots=True)
class Relation:
    """A link the list itself states between two of its entries (or to a free-text party)."""

    kind: str  # "linked_to", "owned_by", "controlled_by", "owner_of", "associate", ...
    target_source_id: str | None = None  # the other entry's source_id on the same list
    target_name: str | None = None  # when the list names the party but gives no id
    share: str | None = None  # ownership share as stated ("50", "majority", ...)
    note: str | None = None


# ``Entity.list`` (the list key) shadows the builtin inside the class body.
_List = list


@dataclass(slots=True)
class Entity:
    list: str  # list key, e.g. "us_ofac_sdn"
    source_id: str  # the list's own id for the entry
    schema: str  # one of SCHEMAS
    names: _List[Name] = field(default_factory=_List)
    birth_dates: _List[str] = field(default_factory=_List)
    birth_places: _List[str] = field(default_factory=_List)
    nationalities: _List[str] = field(default_factory=_List)
    countries: _List[str] = field(default_factory=_List)
    identifiers: _List[Identifier] = field(default_factory=_List)
    addresses: _List[Address] = field(default_factory=_List)
    programs: _List[str] = field(default_factory=_List)
    listed_on: str | None = None
    remarks: _List[str] = field(default_factory=_List)
    relations: _List[Relation] = field(default_factory=_List)
    # Anything else the list states that has no field above (title, position, gender,
    # vessel flag/tonnage, call sign, ...), keyed by a short snake_case name.
    extra: dict[str, _List[str]] = field(default_factory=dict)

    @property
    def entity_id(self) -> str:
        return make_entity_id(self.list, self.source_id)

    @property
    def caption(self) -> str:
        for name in self.names:
            if name.kind == "primary":
                return name.value
        return self.names[0].value if self.names else self.source_id

    def to_dict(self) -> dict[str, Any]:
        """The entity as plain data (what ``dataclasses.asdict`` gives, with its id),
        written out: asdict's generic recursion was half of a list load's hashing."""
        return {
            "list": self.list,
            "source_id": self.source_id,
            "schema": self.schema,
            "names": [_plain(n) for n in self.names],
            "birth_dates": list(self.birth_dates),
            "birth_places": list(self.birth_places),
            "nationalities": list(self.nationalities),
            "countries": list(self.countries),
            "identifiers": [_plain(i) for i in self.identifiers],
            "addresses": [_plain(a) for a in self.addresses],
            "programs": list(self.programs),
            "listed_on": self.listed_on,
            "remarks": list(self.remarks),
            "relations": [_plain(r) for r in self.relations],
            "extra": {k: list(v) for k, v in self.extra.items()},
            "entity_id": self.entity_id,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Entity:
        return cls(
            list=data["list"],
            source_id=data["source_id"],
            schema=data["schema"],
            names=[Name(**n) for n in data.get("names", [])],
            birth_dates=list(data.get("birth_dates", [])),
            birth_places=list(data.get("birth_places", [])),
            nationalities=list(data.get("nationalities", [])),
            countries=list(data.get("countries", [])),
            identifiers=[Identifier(**i) for i in data.get("identifiers", [])],
            addresses=[Address(**a) for a in data.get("addresses", [])],
            programs=list(data.get("programs", [])),
            listed_on=data.get("listed_on"),
            remarks=list(data.get("remarks", [])),
            relations=[Relation(**r) for r in data.get("relations", [])],
            extra={k: list(v) for k, v in data.get("extra", {}).items()},
        )

    def canonical_json(self) -> str:
        """Stable serialisation: the basis of the content hash used for diffs."""
        data = self.to_dict()
        return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))

    def content_hash(self) -> str:
        return hashlib.sha256(self.canonical_json().encode("utf-8")).hexdigest()


def _plain(part: Name | Identifier | Address | Relation) -> dict[str, str | None]:
    """A part of an entity (its fields are plain strings) as a dict, fields in order."""
    return {f: getattr(part, f) for f in part.__slots__}


def make_entity_id(list_key: str, source_id: str) -> str:
    """Stable id: list key and the list's own id. List keys never contain '-'."""
    return f"{list_key}-{source_id}"


def split_entity_id(entity_id: str) -> tuple[str, str]:
    list_key, _, source_id = entity_id.partition("-")
    return list_key, source_id
