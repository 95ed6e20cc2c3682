"""Shared fixtures. Real list files are read from ../shared (never copied into the project)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.helpers import BACKENDS, temp_store

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


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty store on each backend: a real SQLite file and a fresh PostgreSQL database."""
    with temp_store(request.param, tmp_path) as url:
        yield url
