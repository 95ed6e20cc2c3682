"""The service's start-up warm-up: what the first requests would otherwise build."""

from __future__ import annotations

from pathlib import Path

from tests.service.unxml import organisation, person, write_un_xml
from tradeguard.service.state import ServiceState
from tradeguard.store.db import connect
from tradeguard.store.lists import load_file


def test_warm_builds_the_screeners_and_the_sound_keys(store_url: str, tmp_path: Path) -> None:
    load_file(connect(store_url), write_un_xml(tmp_path / "un.xml", "2025-01-01", [
        person("2001", "JOHN", "SMITHERS"),
        organisation("2002", "BLUE HORIZON TRADING"),
    ]))
    state = ServiceState(store_url)
    try:
        state.warm()
        assert state.ready
        screener = state.screener()
        assert state.built_payment_screener(screener) is not None
        # The keys a word written by its sound is looked up under (Джон, John) are built,
        # and serve the first such query.
        assert screener.matcher.index.heard is not None
        found = screener.match("Джон Смитерс", "Person")
        assert [m.entity.source_id for m in found] == ["2001"], found
    finally:
        state.audit.close()
        state.engine.dispose()
