"""Fixtures for the service tests: an engine on each backend (see tests/conftest.py store_url)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

import tradeguard.store.service_tables  # noqa: F401  (registers the service tables before connect())
from tradeguard.store.db import connect


@pytest.fixture
def engine(store_url: str) -> Iterator[Engine]:
    eng = connect(store_url)
    try:
        yield eng
    finally:
        eng.dispose()
