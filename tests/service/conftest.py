"""Fixtures for the service tests: a fresh store on SQLite and, when
TRADEGUARD_TEST_PG_URL is set, the same on a throwaway PostgreSQL database."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, make_url, text

import tradeguard.store.service_tables  # noqa: F401  (registers the service tables before connect())
from tradeguard.store.db import connect

PG_ENV = "TRADEGUARD_TEST_PG_URL"
BACKENDS = ["sqlite", "postgresql"]


@contextmanager
def temp_store(backend: str, folder: Path) -> Iterator[str]:
    """The URL of an empty store: a SQLite file in ``folder``, or a new PostgreSQL database
    (dropped afterwards)."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'store.db'}"
        return
    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"{PG_ENV} is not set: no PostgreSQL server for this run")
    name = f"tg_svc_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with temp_store(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def engine(store_url: str) -> Iterator[Engine]:
    eng = connect(store_url)
    try:
        yield eng
    finally:
        eng.dispose()
