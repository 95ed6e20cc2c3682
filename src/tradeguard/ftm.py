"""FollowTheMoney at the edges: our entities written as FtM entities.

Used by ``tradeguard export --format ftm`` and by the yente-compatible API. Values are
cleaned by followthemoney's own property types, so what we write is what FtM reads.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from followthemoney import model
from followthemoney.proxy import EntityProxy

from tradeguard.model import Entity

NAME_PROPS = {
    "primary": "name",
    "alias": "alias",
    "weak_alias": "weakAlias",
    "former": "previousName",
    "original_script": "alias",
}

IDENTIFIER_PROPS = {
    "passport": "passportNumber",
    "tax_id": "taxNumber",
    "inn": "innCode",
    "ogrn": "ogrnCode",
    "kpp": "kppCode",
    "registration": "registrationNumber",
    "imo": "imoNumber",
    "mmsi": "mmsi",
    "bic": "swiftBic",
    "lei": "leiCode",
    "duns": "dunsCode",
    "vessel_call_sign": "callSign",
    "aircraft_serial": "serialNumber",
    "aircraft_tail": "registrationNumber",
}

EXTRA_PROPS = {"gender": "gender", "title": "title", "position": "position"}


def _dates(value: str) -> list[str]:
    """FtM dates have no 'circa' or ranges: '~1970' -> 1970, '1970/1975' -> both ends."""
    value = value.lstrip("~")
    return [part for part in value.split("/") if part]


def to_proxy(entity: Entity) -> EntityProxy:
    proxy = model.make_entity(entity.schema)
    proxy.id = entity.entity_id
    for name in entity.names:
        proxy.add(NAME_PROPS.get(name.kind, "alias"), name.value, quiet=True)
    prop_date = "birthDate" if entity.schema == "Person" else "buildDate"
    for value in entity.birth_dates:
        for part in _dates(value):
            proxy.add(prop_date, part, quiet=True)
    proxy.add("birthPlace", entity.birth_places, quiet=True)
    nationality = "nationality" if entity.schema == "Person" else "country"
    proxy.add(nationality, entity.nationalities, quiet=True)
    proxy.add("country", entity.countries, quiet=True)
    for ident in entity.identifiers:
        prop = IDENTIFIER_PROPS.get(ident.type, "idNumber")
        if prop not in proxy.schema.properties:
            prop = "idNumber" if "idNumber" in proxy.schema.properties else "registrationNumber"
        proxy.add(prop, ident.value, quiet=True)
    for address in entity.addresses:
        proxy.add("address", address.text, quiet=True)
        if address.country:
            proxy.add("country", address.country, quiet=True)
    proxy.add("programId", entity.programs, quiet=True)
    proxy.add("notes", entity.remarks, quiet=True)
    proxy.add("createdAt", entity.listed_on, quiet=True)
    proxy.add("topics", "sanction", quiet=True)
    for key, prop in EXTRA_PROPS.items():
        proxy.add(prop, entity.extra.get(key, []), quiet=True)
    return proxy


def to_ftm_dict(entity: Entity, datasets: Iterable[str] | None = None) -> dict[str, Any]:
    data = to_proxy(entity).to_dict()
    data["caption"] = entity.caption
    data["datasets"] = list(datasets) if datasets is not None else [entity.list]
    return data


def iter_ftm(entities: Iterable[Entity]) -> Iterator[dict[str, Any]]:
    for entity in entities:
        yield to_ftm_dict(entity)
