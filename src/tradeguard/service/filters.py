"""yente's result filters and facets on tradeguard's entities.

yente narrows `/match` and `/search` results with query parameters (``include_dataset``,
``exclude_dataset``, ``exclude_schema``, ``exclude_entity_ids``, ``topics``, ``countries``,
``datasets``, ``filter=field:value``, ``target``, ``filter_op``) and counts facets over the
results. tradeguard's engine scores candidates first and these rules are applied to what it
found, on the entity itself: the fields have the meaning yente's index gives them
(``countries`` is every country-typed value, ``topics`` the FtM topics, ``datasets`` the
list key). Parameters tradeguard cannot honour are refused by the routes, never ignored.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from followthemoney import model
from followthemoney.types import registry

from tradeguard.model import Entity

# Every entity tradeguard holds comes from a sanctions list.
TOPICS = ("sanction",)
FACETS = ("datasets", "schema", "countries", "identifiers", "topics", "genders")
DEFAULT_FACETS = ("countries", "topics", "datasets")
FACET_LABELS = {
    "datasets": "Data sources", "schema": "Entity types", "countries": "Countries",
    "identifiers": "Identifiers", "topics": "Topics", "genders": "Genders",
}


class FilterError(ValueError):
    """A filter tradeguard cannot apply (the message says which and why)."""


def _countries(entity: Entity) -> set[str]:
    found = {c.lower() for c in (*entity.nationalities, *entity.countries) if c}
    found.update(a.country.lower() for a in entity.addresses if a.country)
    return found


_FIELDS: dict[str, Callable[[Entity], Iterable[str]]] = {
    "datasets": lambda e: (e.list,),
    "schema": lambda e: (e.schema,),
    "countries": _countries,
    "topics": lambda e: TOPICS,
    "identifiers": lambda e: {i.value for i in e.identifiers},
    "genders": lambda e: {g.lower() for g in e.extra.get("gender", [])},
    "target": lambda e: ("true",),
}


def field_values(entity: Entity, name: str, ftm: dict[str, Any] | None = None) -> set[str]:
    """The values of one filter field of ``entity``: a yente index field, or an FtM
    property (``properties.birthDate`` or ``birthDate``) read from its FtM form ``ftm``."""
    reader = _FIELDS.get(name)
    if reader is not None:
        return {v.lower() if name != "identifiers" else v for v in reader(entity)}
    prop = name.removeprefix("properties.")
    if ftm is None:
        return set()
    return {str(v).lower() for v in ftm.get("properties", {}).get(prop, [])}


def _is_a(schema: str, parent: str) -> bool:
    child, ancestor = model.get(schema), model.get(parent)
    return child is not None and ancestor is not None and child.is_a(ancestor)


def _check_field(name: str) -> None:
    if name in _FIELDS:
        return
    prop = name.removeprefix("properties.")
    if not any(prop in schema.properties for schema in model.schemata.values()):
        raise FilterError(f"Invalid filter field: {name!r} (use countries, topics, datasets, schema, "
                          "identifiers, genders, target or an FtM property such as properties.birthDate)")


@dataclass(frozen=True)
class ResultFilter:
    """Which entities a request keeps. Empty: keep everything."""

    include_datasets: frozenset[str] = frozenset()
    exclude_datasets: frozenset[str] = frozenset()
    exclude_schemata: frozenset[str] = frozenset()
    exclude_ids: frozenset[str] = frozenset()
    # field -> the values asked for; one must be present (OR) or all of them (AND).
    fields: tuple[tuple[str, frozenset[str]], ...] = ()
    require_all: bool = False
    needs_ftm: bool = field(default=False, compare=False)
    schema: str | None = None  # keep entities of this FtM schema or a narrower one

    @property
    def active(self) -> bool:
        return bool(self.include_datasets or self.exclude_datasets or self.exclude_schemata
                    or self.exclude_ids or self.fields or self.schema)

    def describe(self) -> dict[str, Any]:
        """The filter as the audit trail records it (only what is set)."""
        out: dict[str, Any] = {}
        for key in ("include_datasets", "exclude_datasets", "exclude_schemata", "exclude_ids"):
            values = getattr(self, key)
            if values:
                out[key] = sorted(values)
        if self.schema:
            out["schema"] = self.schema
        if self.fields:
            out["fields"] = {name: sorted(values) for name, values in self.fields}
            out["op"] = "AND" if self.require_all else "OR"
        return out

    def accepts(self, entity: Entity, ftm: dict[str, Any] | None = None) -> bool:
        if self.include_datasets and entity.list not in self.include_datasets:
            return False
        if entity.list in self.exclude_datasets or entity.schema in self.exclude_schemata:
            return False
        if entity.entity_id in self.exclude_ids:
            return False
        if self.schema is not None and not _is_a(entity.schema, self.schema):
            return False
        for name, wanted in self.fields:
            have = field_values(entity, name, ftm)
            if self.require_all and not wanted <= have:
                return False
            if not self.require_all and not wanted & have:
                return False
        return True


def build_filter(
    *,
    include_dataset: Iterable[str] = (),
    exclude_dataset: Iterable[str] = (),
    exclude_schema: Iterable[str] = (),
    exclude_entity_ids: Iterable[str] = (),
    topics: Iterable[str] = (),
    countries: Iterable[str] = (),
    datasets: Iterable[str] = (),
    filters: Iterable[str] = (),
    target: bool | None = None,
    filter_op: str = "OR",
) -> ResultFilter:
    """A ResultFilter from yente's parameters; FilterError names a bad one."""
    if filter_op.upper() not in ("AND", "OR"):
        raise FilterError(f"Invalid filter_op: {filter_op!r} (AND or OR)")
    for name in exclude_schema:
        if model.get(name) is None:
            raise FilterError(f"Invalid schema in exclude_schema: {name!r}")
    wanted: dict[str, set[str]] = {}
    for name, values in (("topics", topics), ("countries", countries), ("datasets", datasets)):
        for value in values:
            wanted.setdefault(name, set()).add(value.lower())
    for item in filters:
        name, sep, value = item.partition(":")
        if not sep or not name.strip() or not value.strip():
            raise FilterError(f"Invalid filter: {item!r} (use field:value, e.g. countries:ru or properties.birthDate:1967)")
        name = name.strip()
        _check_field(name)
        wanted.setdefault(name, set()).add(value.strip() if name == "identifiers" else value.strip().lower())
    if target is not None:
        wanted.setdefault("target", set()).add(str(bool(target)).lower())
    fields = tuple((name, frozenset(values)) for name, values in sorted(wanted.items()))
    return ResultFilter(
        include_datasets=frozenset(include_dataset),
        exclude_datasets=frozenset(exclude_dataset),
        exclude_schemata=frozenset(exclude_schema),
        exclude_ids=frozenset(exclude_entity_ids),
        fields=fields,
        require_all=filter_op.upper() == "AND",
        needs_ftm=any(name not in _FIELDS for name, _ in fields),
    )


def facet_counts(entities: Iterable[Entity], facets: Iterable[str]) -> dict[str, Any]:
    """yente's ``facets``: per facet asked for, its values and how many entities have each."""
    names = list(dict.fromkeys(facets))
    counters: dict[str, Counter[str]] = {name: Counter() for name in names}
    for entity in entities:
        for name in names:
            counters[name].update(field_values(entity, name))
    out: dict[str, Any] = {}
    for name in names:
        values = []
        for value, count in counters[name].most_common():
            label = value
            if name == "countries":
                label = registry.country.caption(value) or value
            values.append({"name": value, "label": label, "count": count})
        out[name] = {"label": FACET_LABELS[name], "values": values}
    return out
