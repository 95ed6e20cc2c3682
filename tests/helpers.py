"""Test helpers: run the real CLI in a subprocess, serve files over real HTTP on 127.0.0.1."""

from __future__ import annotations

import fcntl
import functools
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

PG_ENV = "TRADEGUARD_TEST_PG_URL"
UN_2026 = "un/2026-08-01_zr101/un.xml"
SDN_2024 = "ofac_sdn/history/2024-05-03/sdn.csv"  # lists the Alabuga companies
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


def link_index(saved: Path | str, home: Path | str) -> None:
    """Saved index folders (a store's index home, see tradeguard.screening.index_files)
    hard-linked into another home: saved indexes are never written in place (a new one
    goes to a new folder), so copies can share their files. Not the build lock: each
    home's builders take turns among themselves."""
    shutil.copytree(saved, home, copy_function=os.link, ignore=shutil.ignore_patterns(".*"))


def copy_store(src: Path, dst: Path) -> Path:
    """A private copy ``dst`` of the SQLite store ``src``, with the matching index that
    `lists load` saved beside it: a test's CLI calls open it instead of each building one."""
    shutil.copyfile(src, dst)
    if Path(f"{src}.index").is_dir():
        link_index(f"{src}.index", f"{dst}.index")
    return dst


def shared_store(base_temp: Path, name: str, build: Callable[[Path], object]) -> Path:
    """A SQLite store (with its saved index) that ``build`` makes at the path it is given,
    made once per test session; callers copy it (``copy_store``) before they write to it.
    Under pytest-xdist the first worker that asks builds it, in the folder that holds every
    worker's base temporary folder (``base_temp``), and the others wait for it on a lock
    file."""
    root = base_temp.parent if os.environ.get("PYTEST_XDIST_WORKER") else base_temp
    folder = root / f"shared-{name}"
    folder.mkdir(exist_ok=True)
    built = folder / "store.db"
    with open(folder / ".lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not built.is_file():
            scratch = folder / f"building-{os.getpid()}.db"
            build(scratch)
            if Path(f"{scratch}.index").is_dir():
                os.rename(f"{scratch}.index", f"{built}.index")
            os.rename(scratch, built)
    return built


def un_and_sdn_store(tmp_path_factory: Any, lists_dir: Path) -> Path:
    """A store with the UN list of 2026-08-01 and OFAC's SDN list of 2024-05-03, loaded by
    `tradeguard lists load` once per session (``shared_store``: copy it to write to it)."""
    return shared_store(tmp_path_factory.getbasetemp(), "un-sdn", lambda db: run_cli(
        "lists", "load", str(lists_dir / UN_2026), str(lists_dir / SDN_2024), db=db))


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
