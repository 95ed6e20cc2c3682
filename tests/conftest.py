"""Shared fixtures. Real list files are read from ../shared (never copied into the project)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
LISTS = SHARED / "data" / "lists"
EVAL_DEV = SHARED / "eval" / "dev"
GOODS = SHARED / "data" / "goods"


@pytest.fixture(scope="session")
def lists_dir() -> Path:
    if not LISTS.is_dir():
        pytest.skip(f"real list files not found at {LISTS} (the ../shared folder is absent)")
    return LISTS


@pytest.fixture(scope="session")
def eval_dir() -> Path:
    if not EVAL_DEV.is_dir():
        pytest.skip(f"dev screening suite not found at {EVAL_DEV} (the ../shared folder is absent)")
    return EVAL_DEV


PG_ENV = "TRADEGUARD_TEST_PG_URL"


def _fresh_pg_database(admin_url: str) -> tuple[str, object]:
    """Create an empty database on the test PostgreSQL server; return its URL and a dropper."""
    import uuid

    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"tg_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url, drop


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty store: a real SQLite file, and a fresh database on a real PostgreSQL server.

    The PostgreSQL variant runs where $TRADEGUARD_TEST_PG_URL names a server (CI starts one
    with scripts/pg_start.sh) and skips with a message elsewhere.
    """
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store.db'}"
        return
    admin_url = os.environ.get(PG_ENV)
    if not admin_url:
        pytest.skip(f"no PostgreSQL server: set {PG_ENV} (scripts/pg_start.sh starts one)")
    url, drop = _fresh_pg_database(admin_url)
    try:
        yield url
    finally:
        from sqlalchemy import create_engine

        create_engine(url).dispose()
        drop()  # type: ignore[operator]
