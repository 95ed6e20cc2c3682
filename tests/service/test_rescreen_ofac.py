"""Rescreening on the real OFAC SDN history: the 2022-02-24 -> 2022-02-25 change (+91
designations) raises alerts citing the 2022-02-25 version; 2024-05-02 -> 2024-05-03
(8 delistings) closes the alerts on the delisted entities."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from tests.helpers import BACKENDS, temp_store
from tradeguard.matching import DEFAULT_THRESHOLD, Matcher, Query
from tradeguard.model import Entity
from tradeguard.screening.monitor import delta_matcher, register_parties, rescreen_loaded
from tradeguard.sources import read_list
from tradeguard.store import audit
from tradeguard.store.alerts import list_alerts
from tradeguard.store.db import connect
from tradeguard.store.lists import (
    diff_versions,
    iter_version_entities,
    load_file,
    version_entity_rows,
)
from tradeguard.store.parties import party_from_record

SDN = "ofac_sdn/history/{}/sdn.csv"
LIST_KEY = "us_ofac_sdn"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module", params=BACKENDS)
def ofac_engine(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    with temp_store(request.param, tmp_path_factory.mktemp("ofac")) as url:
        engine = connect(url)
        try:
            yield engine
        finally:
            engine.dispose()


def _new_entities(engine: Engine, version_id: int, path: Path) -> list[Entity]:
    """Entities of the file at ``path`` that are absent from stored version ``version_id``."""
    with engine.connect() as conn:
        stored = {row.entity_id for row in version_entity_rows(conn, version_id)}
    return [e for e in read_list(path).entities if e.entity_id not in stored]


def _removed_entities(engine: Engine, version_id: int, path: Path) -> list[Entity]:
    """Entities of stored version ``version_id`` that the file at ``path`` no longer has."""
    keep = {e.entity_id for e in read_list(path).entities}
    with engine.connect() as conn:
        return [e for e in iter_version_entities(conn, version_id) if e.entity_id not in keep]


def _pick(entities: list[Entity], n_people: int, n_orgs: int) -> list[Entity]:
    people = sorted((e for e in entities if e.schema == "Person"), key=lambda e: e.source_id)
    others = sorted((e for e in entities if e.schema != "Person"), key=lambda e: e.source_id)
    return people[:n_people] + others[:n_orgs]


def test_ofac_daily_delta_raises_alerts_citing_the_new_version(ofac_engine: Engine, lists_dir: Path) -> None:
    engine = ofac_engine
    first = load_file(engine, lists_dir / SDN.format("2022-02-24"))
    assert first.status == "loaded" and first.version.entity_count == 9123
    rescreen_loaded(engine, first)
    v24 = first.version

    path25 = lists_dir / SDN.format("2022-02-25")
    added = _new_entities(engine, v24.id, path25)
    assert len(added) == 91
    designees = _pick(added, 4, 4)
    assert len(designees) == 8
    with engine.connect() as conn:
        old_entity = next(e for e in iter_version_entities(conn, v24.id)
                          if e.schema != "Person" and len(e.caption) > 20 and e.caption.count(" ") >= 2)
    parties = [
        party_from_record({"id": f"new-{e.source_id}", "name": e.caption.title(), "schema": e.schema, "kind": "customer"})
        for e in designees
    ] + [
        party_from_record({"id": "old-designee", "name": old_entity.caption}),
        party_from_record({"id": "clean-1", "name": "Annelise Vandermeer", "schema": "Person"}),
        party_from_record({"id": "clean-2", "name": "Quietwater Garden Supplies Ltd", "schema": "Company"}),
    ]
    registered = register_parties(engine, parties, actor="cli:tester")
    assert registered.screened == len(parties)
    old_alerts = [a for a in registered.alerts.raised if a.party_id == "old-designee"]
    assert old_alerts and all(a.version_id == v24.id for a in old_alerts)
    assert old_entity.entity_id in {a.entity_id for a in old_alerts}

    second = load_file(engine, path25)
    v25 = second.version
    assert second.status == "loaded" and v25.list_date == "2022-02-25"
    result = rescreen_loaded(engine, second, actor="system")
    assert result is not None
    assert (result.from_version, result.to_version, result.added, result.removed) == (v24.id, v25.id, 91, 0)
    assert result.parties == len(parties)
    new_alerts = result.alerts.raised
    assert new_alerts and all(a.version_id == v25.id for a in new_alerts)
    added_ids = {e.entity_id for e in added}
    by_party: dict[str, set[str]] = {}
    for a in new_alerts:
        by_party.setdefault(a.party_id, set()).add(a.entity_id)
    for e in designees:
        assert e.entity_id in by_party.get(f"new-{e.source_id}", set()), (e.caption, by_party.get(f"new-{e.source_id}"))
    # Only the changed entities were screened: every alert is on an added or changed entity;
    # the clean parties and the party matching an older designation got nothing new.
    with engine.connect() as conn:
        diff = diff_versions(conn, v24, v25)
    delta_ids = {item["entity_id"] for item in diff.added + diff.changed}
    assert {item["entity_id"] for item in diff.added} == added_ids
    assert all(a.entity_id in delta_ids for a in new_alerts)
    assert not by_party.get("clean-1") and not by_party.get("clean-2")
    assert old_entity.entity_id not in by_party.get("old-designee", set())
    with engine.connect() as conn:
        entry = audit.entries(conn, action="rescreen")[-1]
        assert entry.payload["to_version"] == v25.id and entry.payload["delta"]["added"] == 91
        assert entry.payload["list_versions"][0]["list_date"] == "2022-02-25"
        assert audit.verify(conn).ok


def test_ofac_delisting_closes_alerts(ofac_engine: Engine, lists_dir: Path) -> None:
    engine = ofac_engine
    load02 = load_file(engine, lists_dir / SDN.format("2024-05-02"))
    assert load02.status == "loaded"
    rescreen_loaded(engine, load02)
    v02 = load02.version
    path03 = lists_dir / SDN.format("2024-05-03")
    removed = _removed_entities(engine, v02.id, path03)
    assert len(removed) == 8
    parties = [party_from_record({"id": f"delisted-{e.source_id}", "name": e.caption, "schema": e.schema}) for e in removed]
    registered = register_parties(engine, parties, actor="cli:tester")
    raised_on = {a.entity_id for a in registered.alerts.raised if a.party_id.startswith("delisted-")}
    removed_ids = {e.entity_id for e in removed}
    assert removed_ids <= raised_on
    assert all(a.version_id == v02.id for a in registered.alerts.raised)

    load03 = load_file(engine, path03)
    v03 = load03.version
    result = rescreen_loaded(engine, load03)
    assert result is not None and result.removed == 8 and result.added == 0
    closed_entities = {a.entity_id for a in result.closed}
    assert closed_entities == removed_ids
    with engine.connect() as conn:
        for e in removed:
            for alert in list_alerts(conn, entity_id=e.entity_id, limit=None):
                assert alert.status == "closed" and alert.closed_by_version == v03.id
        # Alerts on entities still listed stay open.
        still = list_alerts(conn, status="open", limit=None)
        assert all(a.entity_id not in removed_ids for a in still)
        assert audit.verify(conn).ok


def test_delta_matcher_scores_like_full_screening(lists_dir: Path) -> None:
    """Rescreening only the changed entities must alert exactly where screening against the
    whole list would (same token weights): checked on name variants of the 91 designees."""
    old = {e.entity_id for e in read_list(lists_dir / SDN.format("2022-02-24")).entities}
    new = list(read_list(lists_dir / SDN.format("2022-02-25")).entities)
    added = [e for e in new if e.entity_id not in old]
    assert len(added) == 91
    added_ids = {e.entity_id for e in added}
    full = Matcher(new)
    small = delta_matcher(added, full)
    extras = ["Mohammed", "Ali", "Ivan", "Bank", "Limited", "Trading", "Group", "Sergey", "Co"]
    compared = agreed_alerts = 0
    for i, entity in enumerate(added):
        tokens = entity.caption.replace(",", " ").split()
        extra = extras[i % len(extras)]
        for name in (entity.caption, f"{entity.caption} {extra}", f"{extra} {entity.caption}", " ".join(reversed(tokens))):
            query = Query(name=name, schema=entity.schema)
            want = {m.entity.entity_id: m.score for m in full.match(query, limit=100, threshold=DEFAULT_THRESHOLD)
                    if m.entity.entity_id in added_ids}
            got = {m.entity.entity_id: m.score for m in small.match(query, limit=100, threshold=DEFAULT_THRESHOLD)}
            compared += 1
            for entity_id, score in want.items():
                assert entity_id in got, (name, entity_id, score)
                assert got[entity_id] == pytest.approx(score, abs=1e-4), (name, entity_id)
                agreed_alerts += 1
    assert compared == 364 and agreed_alerts >= 200  # 254 when written
