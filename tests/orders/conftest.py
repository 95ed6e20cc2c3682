"""Fixtures for order screening: a real SQLite store with real lists (OFAC SDN 2024-05-03 and
the UN list of 2026-08-01, read from ../shared), and the CLI run in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import GOODS, ROOT
from tests.helpers import copy_store, un_and_sdn_store

EXAMPLES = ROOT / "examples"


def cli_module() -> str:
    """`tradeguard` itself once the sub-apps are mounted on it, else `tradeguard.cli_orders`."""
    from tradeguard.cli import app

    names = {group.name for group in app.registered_groups}
    return "tradeguard.cli" if {"orders", "ownership"} <= names else "tradeguard.cli_orders"


def tg(*args: str, db: Path | str, check: bool = True, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run an `orders` / `ownership` command of the real CLI against the store ``db``."""
    full_env = dict(os.environ)
    full_env["TRADEGUARD_DB"] = str(db)
    full_env["COLUMNS"] = "200"
    full_env.pop("TRADEGUARD_CONFIG", None)
    if env:
        full_env.update(env)
    proc = subprocess.run(
        [sys.executable, "-m", cli_module(), *args], capture_output=True, text=True, env=full_env, timeout=600
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"tradeguard {' '.join(args)} exited {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")
    return proc


def tg_json(*args: str, db: Path | str) -> Any:
    return json.loads(tg(*args, "--json", db=db).stdout)


@pytest.fixture(scope="session")
def chpl_file() -> Path:
    path = GOODS / "chpl_hs_codes.csv"
    if not path.is_file():
        pytest.skip(f"Common High Priority List not found at {path} (the ../shared folder is absent)")
    return path


@pytest.fixture(scope="session")
def lists_store(tmp_path_factory: pytest.TempPathFactory, lists_dir: Path) -> Path:
    """A store with the UN list (2026-08-01) and the OFAC SDN list (2024-05-03), loaded once."""
    return un_and_sdn_store(tmp_path_factory, lists_dir)


@pytest.fixture
def store(lists_store: Path, tmp_path: Path, chpl_file: Path) -> Path:
    """A private copy of the loaded store for one test (orders and alerts write to it)."""
    db = tmp_path / "store.db"
    copy_store(lists_store, db)
    return db
