"""A store loaded with real lists, shared by the matching and screening CLI tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import copy_store, un_and_sdn_store


@pytest.fixture(scope="session")
def store(tmp_path_factory: pytest.TempPathFactory, lists_dir: Path) -> Path:
    """A SQLite store with the UN list of 2026-08-01 and OFAC's SDN list of 2024-05-03."""
    return copy_store(un_and_sdn_store(tmp_path_factory, lists_dir), tmp_path_factory.mktemp("screen") / "screen.db")
