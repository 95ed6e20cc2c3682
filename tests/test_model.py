"""The entity as plain data: the content hash that list diffs compare is stable."""

from __future__ import annotations

import dataclasses

from tradeguard.model import Address, Entity, Identifier, Name, Relation


def _full_entity() -> Entity:
    return Entity(
        list="us_ofac_sdn", source_id="36216", schema="Organization",
        names=[Name("ALABUGA SEZ", "primary"), Name("OEZ ALABUGA", "alias", "ru", None, None),
               Name("Ivan Petrov", "former", given="Ivan", family="Petrov")],
        birth_dates=["1970-05"], birth_places=["Kazan"], nationalities=["ru"], countries=["ru"],
        identifiers=[Identifier("inn", "1646019914", "ru", "Tax ID No.")],
        addresses=[Address("Yelabuga, Tatarstan", "ru", "Yelabuga")],
        programs=["RUSSIA-EO14024"], listed_on="2023-05-19", remarks=["drone production"],
        relations=[Relation("linked_to", "12345", None, "50", "owner")],
        extra={"website": ["alabuga.ru"], "title": []},
    )


def test_to_dict_is_the_dataclass_fields_in_order_with_the_entity_id() -> None:
    entity = _full_entity()
    expected = dataclasses.asdict(entity) | {"entity_id": "us_ofac_sdn-36216"}
    got = entity.to_dict()
    assert got == expected
    assert list(got) == list(expected)
    assert [list(n) for n in got["names"]] == [list(n) for n in expected["names"]]
    got["names"][0]["value"] = "changed"
    got["extra"]["website"].append("x")
    assert entity.names[0].value == "ALABUGA SEZ" and entity.extra["website"] == ["alabuga.ru"]  # a copy


def test_content_hash_is_the_one_stored_versions_hold() -> None:
    # (As computed before to_dict was written out: a store's hashes stay comparable.)
    assert _full_entity().content_hash() == "fc98920792eace48c5d125933c6541d299857520c1765eb300858b962e887523"
