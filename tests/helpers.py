"""Test helpers: run the real CLI in a subprocess, serve files over real HTTP on 127.0.0.1."""

from __future__ import annotations

import functools
import http.server
import json
import os
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

PG_ENV = "TRADEGUARD_TEST_PG_URL"
BACKENDS = ["sqlite", "postgresql"]


@contextmanager
def temp_store(backend: str, folder: Path) -> Iterator[str]:
    """The URL of an empty store: a real SQLite file in ``folder``, or a fresh database on
    the real PostgreSQL server named by $TRADEGUARD_TEST_PG_URL (dropped afterwards; the
    test skips with a message where no server is set)."""
    if backend == "sqlite":
        yield f"sqlite:///{folder / 'store.db'}"
        return
    import uuid

    import pytest
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"no PostgreSQL server: set {PG_ENV} (scripts/pg_start.sh starts one)")
    name = f"tg_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def assert_source_error(reader: Any, path: Path, *fragments: str) -> Any:
    """Reading ``path`` with ``reader`` fails with a SourceError that names the file and
    contains every fragment; returns the error."""
    return assert_refused(lambda: list(reader(path).entities), path, *fragments)


def assert_refused(action: Callable[[], object], path: Path, *fragments: str) -> Any:
    """``action`` (reading ``path`` one way or another) fails with a SourceError that names
    the file and contains every fragment; returns the error."""
    import pytest

    from tradeguard.sources.base import SourceError

    with pytest.raises(SourceError) as info:
        action()
    message = str(info.value)
    assert str(path) in message
    for fragment in fragments:
        assert fragment in message, message
    return info.value


def run_cli(*args: str, db: Path | str, check: bool = True, cwd: Path | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run `python -m tradeguard.cli ARGS` against the store ``db``."""
    full_env = dict(os.environ)
    full_env["TRADEGUARD_DB"] = str(db)
    full_env["COLUMNS"] = "200"
    full_env.pop("TRADEGUARD_CONFIG", None)
    if env:
        full_env.update(env)
    proc = subprocess.run(
        [sys.executable, "-m", "tradeguard.cli", *args],
        capture_output=True, text=True, env=full_env, cwd=cwd, timeout=600,
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"tradeguard {' '.join(args)} exited {proc.returncode}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}")
    return proc


def cli_json(*args: str, db: Path | str) -> Any:
    return json.loads(run_cli(*args, "--json", db=db).stdout)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass


@contextmanager
def serve_directory(root: Path) -> Iterator[str]:
    """A real HTTP server on 127.0.0.1 serving ``root``; yields its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
