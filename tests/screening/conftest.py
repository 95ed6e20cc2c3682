"""A store loaded with real lists, shared by the matching and screening CLI tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import run_cli

UN_2026 = "un/2026-08-01_zr101/un.xml"
SDN_2024 = "ofac_sdn/history/2024-05-03/sdn.csv"  # lists the Alabuga companies


@pytest.fixture(scope="session")
def store(tmp_path_factory: pytest.TempPathFactory, lists_dir: Path) -> Path:
    """A SQLite store with the UN list of 2026-08-01 and OFAC's SDN list of 2024-05-03."""
    db = tmp_path_factory.mktemp("screen") / "screen.db"
    run_cli("lists", "load", str(lists_dir / UN_2026), str(lists_dir / SDN_2024), db=db)
    return db
