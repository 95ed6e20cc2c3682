"""The store's version logic on both backends: SQLite and PostgreSQL (same code, by URL)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from tradeguard.sources import SourceError
from tradeguard.store.db import connect, list_versions, version_entities
from tradeguard.store.lists import (
    LoadRefused,
    active_version,
    diff_versions,
    get_entity,
    load_file,
    versions,
)

HISTORY = "ofac_sdn/history/{}/sdn.csv"


def test_versions_diff_and_guards(store_url: str, lists_dir: Path) -> None:
    engine = connect(store_url)
    first = load_file(engine, lists_dir / HISTORY.format("2022-02-24"))
    second = load_file(engine, lists_dir / HISTORY.format("2022-02-25"))
    assert (first.status, second.status) == ("loaded", "loaded")
    assert second.version.entity_count == 9214
    again = load_file(engine, lists_dir / HISTORY.format("2022-02-25"))
    assert again.status == "unchanged" and again.version.id == second.version.id

    with engine.connect() as conn:
        assert active_version(conn, "us_ofac_sdn").id == second.version.id  # type: ignore[union-attr]
        diff = diff_versions(conn, first.version, second.version)
        assert len(diff.added) == 91 and diff.removed == []
        added_id = diff.added[0]["entity_id"]
        assert get_entity(conn, added_id) is not None

    with pytest.raises(SourceError):
        load_file(engine, lists_dir / "ofac_sdn/history/2024-05-04_EMPTY_download/sdn.csv")
    with pytest.raises(LoadRefused):
        load_file(engine, lists_dir / "ofac_sdn/xml_partial_2020-04-22_deriv-com/sdn.xml", list_date="2030-01-01")
    with engine.connect() as conn:
        assert [v.id for v in versions(conn, "us_ofac_sdn")] == [first.version.id, second.version.id]
        assert conn.execute(select(func.count()).select_from(list_versions)).scalar_one() == 2
        rows = conn.execute(select(func.count()).select_from(version_entities)).scalar_one()
        assert rows == 9123 + 9214
    engine.dispose()
