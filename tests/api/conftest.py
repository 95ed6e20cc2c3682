"""One live server (real uvicorn, real SQLite store, real lists) for the API tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.api.live import LiveServer, live_server


@pytest.fixture(scope="session")
def server(lists_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(lists_dir, tmp_path_factory.mktemp("api-server")) as srv:
        yield srv
