"""A real tradeguard server for the API and UI tests.

A real SQLite store is loaded once per test session (by the first xdist worker that needs
it) with real lists from ../shared (the UN consolidated list of 2026-08-01 and OFAC's SDN
list of 2024-05-02 then 2024-05-03, so the SDN list has a real diff: 8 removals), and its
matching index saved beside it, as `tradeguard lists load` leaves a store; each server gets
its own copy of that store (the saved index hard-linked) and its own API keys, and runs
`tradeguard serve` (uvicorn) in a subprocess on a free port of 127.0.0.1.

With ``backend="postgresql"`` the same lists are loaded once per test process into a
template database on the real PostgreSQL server of $TRADEGUARD_TEST_PG_URL, and each server
gets a database copied from it (``CREATE DATABASE ... TEMPLATE``), dropped when it stops,
and the template's saved index in its own $TRADEGUARD_INDEX_DIR.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.helpers import UN_2026, copy_store, link_index, shared_store

SDN_0502 = Path("ofac_sdn/history/2024-05-02/sdn.csv")
SDN_0503 = Path("ofac_sdn/history/2024-05-03/sdn.csv")
UN_ENTITIES = 1011  # PROVENANCE.md: 736 individuals + 275 entities
SDN_0502_RECORDS = 14973
SDN_0503_RECORDS = 14965

_TEMPLATE: dict[str, Path] = {}
_PG_TEMPLATE: dict[str, tuple[str, Path]] = {}  # the template database and its index home


# The stores a live-server test runs on: each PostgreSQL one in one xdist group, so one test
# process loads the PostgreSQL template (make test runs pytest with --dist loadgroup).
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.xdist_group("pg-live"))]


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _load_lists(lists_dir: Path, url: str, index_dir: Path | None = None) -> None:
    """Load the lists into the store at ``url`` and save its matching index (in
    ``index_dir``, else beside the SQLite file), as `tradeguard lists load` does: every
    server copied from this store opens that index instead of building its own."""
    from tradeguard.screening.index_files import INDEX_DIR_ENV, build_index
    from tradeguard.store.db import connect
    from tradeguard.store.links import ensure_links
    from tradeguard.store.lists import active_versions, load_file

    paths = [lists_dir / UN_2026, lists_dir / SDN_0502, lists_dir / SDN_0503]
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        pytest.skip(f"real list files missing: {', '.join(missing)}")
    engine = connect(url)
    for p in paths:
        load_file(engine, p)
    # Link the listings of each party now (tradeguard.store.links), once for every server
    # copied from this store: a server would otherwise do it in its first screening request.
    ensure_links(engine)
    with pytest.MonkeyPatch.context() as env:
        if index_dir is not None:
            env.setenv(INDEX_DIR_ENV, str(index_dir))
        with engine.connect() as conn:
            versions = active_versions(conn)
        build_index(engine, versions)
    engine.dispose()


def template_store(lists_dir: Path, base_temp: Path) -> Path:
    """The loaded SQLite file with its saved index, built once per session (see
    ``shared_store``); each server gets a copy of it."""
    if "db" not in _TEMPLATE:
        _TEMPLATE["db"] = shared_store(base_temp, "live-template", lambda path: _load_lists(lists_dir, f"sqlite:///{path}"))
    return _TEMPLATE["db"]


def _pg_admin() -> Any:
    from sqlalchemy import create_engine

    from tests.helpers import PG_ENV

    base = os.environ.get(PG_ENV)
    if not base:
        pytest.skip(f"no PostgreSQL server: set {PG_ENV} (scripts/pg_start.sh starts one)")
    return create_engine(base, isolation_level="AUTOCOMMIT")


def _pg_url(admin: Any, name: str) -> str:
    return str(admin.url.set(database=name).render_as_string(hide_password=False))


def _pg_template(lists_dir: Path, folder: Path) -> tuple[str, Path]:
    """The template database holding the loaded lists, and its saved index's home (built
    once per test process)."""
    if "pg" in _PG_TEMPLATE:
        return _PG_TEMPLATE["pg"]
    from sqlalchemy import text

    name = f"tg_live_template_{os.getpid()}"
    admin = _pg_admin()
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    index_dir = folder / "pg-template-index"
    try:
        _load_lists(lists_dir, _pg_url(admin, name), index_dir)
    finally:
        admin.dispose()
    _PG_TEMPLATE["pg"] = (name, index_dir)
    return name, index_dir


@contextmanager
def _pg_copy(lists_dir: Path, folder: Path, index_home: Path) -> Iterator[str]:
    """A database copied from the template, dropped afterwards; the template's saved index
    is linked into ``index_home`` (the copy's versions are the template's)."""
    from sqlalchemy import text

    template, template_index = _pg_template(lists_dir, folder)
    link_index(template_index, index_home)
    name = f"tg_live_{uuid.uuid4().hex[:12]}"
    admin = _pg_admin()
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}" TEMPLATE "{template}"'))
    try:
        yield _pg_url(admin, name)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def store_copy(lists_dir: Path, folder: Path, backend: str) -> Iterator[tuple[str, Path | None]]:
    """(URL, SQLite file or None) of a fresh copy of the loaded store on ``backend``, with
    the saved index of its lists: beside the SQLite file, or for PostgreSQL in
    ``folder/index`` (where the server is pointed by $TRADEGUARD_INDEX_DIR)."""
    if backend == "sqlite":
        template = template_store(lists_dir, folder.parent)
        db_path = folder / "store.db"
        copy_store(template, db_path)
        yield f"sqlite:///{db_path}", db_path
        return
    with _pg_copy(lists_dir, folder.parent / "template", folder / "index") as url:
        yield url, None


@dataclass
class LiveServer:
    url: str
    db_url: str
    keys: dict[str, str]
    key_ids: dict[str, str]
    log: Path
    db_path: Path | None = None  # the SQLite file (None on PostgreSQL)
    workers: int = 1
    env: dict[str, str] = field(default_factory=dict)  # for every start of its process
    proc: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def backend(self) -> str:
        return "sqlite" if self.db_url.startswith("sqlite") else "postgresql"

    def headers(self, role: str = "screener", scheme: str = "ApiKey") -> dict[str, str]:
        return {"Authorization": f"{scheme} {self.keys[role]}"}

    def client(self, role: str = "screener", timeout: float = 60.0) -> httpx.Client:
        return httpx.Client(base_url=self.url, headers=self.headers(role), timeout=timeout)

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.is_file() else ""


def _wait(server: LiveServer, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        if server.proc is not None and server.proc.poll() is not None:
            raise AssertionError(f"server exited with {server.proc.returncode}:\n{server.log_text()}")
        try:
            resp = httpx.get(f"{server.url}/readyz", headers=server.headers("screener"), timeout=5)
            if resp.status_code == 200:
                return
            last = resp.text
        except httpx.TransportError as exc:
            last = exc
        time.sleep(0.2)
    raise AssertionError(f"server not ready after {timeout} s ({last}):\n{server.log_text()}")


@contextmanager
def live_server(lists_dir: Path, folder: Path, env: dict[str, str] | None = None,
                workers: int = 1, backend: str = "sqlite") -> Iterator[LiveServer]:
    """Copy the loaded store (SQLite file or PostgreSQL database) for a server of its own,
    add keys, run `tradeguard serve` on it (with ``workers`` processes)."""
    import tradeguard.store.service_tables  # noqa: F401
    from tradeguard.store.db import connect
    from tradeguard.store.keys import create_key

    folder.mkdir(parents=True, exist_ok=True)
    with store_copy(lists_dir, folder, backend) as (db_url, db_path):
        engine = connect(db_url)
        keys: dict[str, str] = {}
        key_ids: dict[str, str] = {}
        with engine.begin() as conn:
            for role in ("screener", "reviewer", "admin"):
                key_ids[role], keys[role] = create_key(conn, role, f"test {role}")
            key_ids["reviewer2"], keys["reviewer2"] = create_key(conn, "reviewer", "test second reviewer")
        engine.dispose()
        port = _free_port()
        if db_path is None:  # a PostgreSQL store's saved index would otherwise go under ~/.cache
            env = {"TRADEGUARD_INDEX_DIR": str(folder / "index"), **(env or {})}
        server = LiveServer(f"http://127.0.0.1:{port}", db_url, keys, key_ids, folder / "server.log",
                            db_path=db_path, workers=workers, env=env or {})
        try:
            start(server)
            yield server
        finally:
            stop(server)


def start(server: LiveServer, env: dict[str, str] | None = None) -> None:
    """Run `tradeguard serve` on the server's store and port (again, after a crash or a
    stop) and wait until it is ready."""
    full_env = dict(os.environ)
    full_env.pop("TRADEGUARD_DB", None)
    full_env.pop("TRADEGUARD_FOUR_EYES", None)
    full_env.update(server.env)
    full_env.update(env or {})
    port = server.url.rsplit(":", 1)[1]
    with open(server.log, "ab") as log:
        server.proc = subprocess.Popen(
            [sys.executable, "-m", "tradeguard.cli", "--db", server.db_url, "serve",
             "--host", "127.0.0.1", "--port", port, "--log-level", "warning", "--workers", str(server.workers)],
            stdout=log, stderr=subprocess.STDOUT, env=full_env, start_new_session=True,
        )
    _wait(server, timeout=120)


def stop(server: LiveServer) -> None:
    if server.proc is None or server.proc.poll() is not None:
        return
    server.proc.terminate()
    try:
        server.proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        kill(server)


def kill(server: LiveServer) -> None:
    """SIGKILL the server and every worker process it started (its process group)."""
    assert server.proc is not None
    with suppress(ProcessLookupError):
        os.killpg(server.proc.pid, signal.SIGKILL)
    server.proc.wait(timeout=10)


@contextmanager
def order_server(lists_dir: Path, folder: Path, workers: int = 1, backend: str = "sqlite") -> Iterator[LiveServer]:
    """:func:`live_server` for order and shipment screening, which needs the Common High
    Priority List from ../shared (the test is skipped without it)."""
    from tests.conftest import GOODS

    if not (GOODS / "chpl_hs_codes.csv").is_file():
        pytest.skip(f"Common High Priority List not found in {GOODS} (the ../shared folder is absent)")
    with live_server(lists_dir, folder, workers=workers, backend=backend) as srv:
        yield srv
