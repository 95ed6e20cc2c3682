"""PostgreSQL stopped and started under a running service (a PostgreSQL server of this
test's own, on 127.0.0.1): while it is down, requests get 503 with a clear message; once
it is back, they succeed again without restarting tradeguard."""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from tests.api.live import _free_port
from tests.conftest import ROOT

UN = "un/2026-08-01_zr101/un.xml"
QUERY = {"queries": {"q": {"schema": "Person", "properties": {"name": ["Viktor Bout"]}}}}


def _as_postgres(command: str) -> None:
    full = ["su", "postgres", "-s", "/bin/sh", "-c", command] if os.getuid() == 0 else ["sh", "-c", command]
    subprocess.run(full, check=True, capture_output=True, timeout=120)


@pytest.fixture
def own_pg() -> Iterator[tuple[str, Callable[[str], None]]]:
    """A PostgreSQL server of this test's own: its URL and a control (``stop``/``start``)."""
    if not glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"):
        pytest.skip("PostgreSQL server binaries not installed (make test installs them)")
    pg_ctl = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))[-1]
    data = Path(tempfile.mkdtemp(prefix="tradeguard-pg-outage-", dir="/tmp"))
    data.chmod(0o755)  # the postgres user must reach its data folder inside
    port = _free_port()
    env = dict(os.environ, PG_PORT=str(port), PG_DATA=str(data / "data"))
    options = f"-p {port} -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off"

    def control(action: str) -> None:
        if action == "stop":
            _as_postgres(f"{pg_ctl} -D {data / 'data'} -m fast -w stop")
        else:
            _as_postgres(f"{pg_ctl} -D {data / 'data'} -l {data / 'data' / 'server.log'} -o '{options}' -w start")

    try:
        url = subprocess.run(["bash", str(ROOT / "scripts" / "pg_start.sh")], env=env, check=True,
                             capture_output=True, text=True, timeout=300).stdout.strip()
        yield url, control
    finally:
        subprocess.run(["su", "postgres", "-s", "/bin/sh", "-c", f"{pg_ctl} -D {data / 'data'} -m immediate stop"]
                       if os.getuid() == 0 else ["sh", "-c", f"{pg_ctl} -D {data / 'data'} -m immediate stop"],
                       capture_output=True, timeout=60)
        shutil.rmtree(data, ignore_errors=True)


def test_postgresql_stopped_and_started_under_the_service(own_pg: tuple[str, Callable[[str], None]],
                                                           lists_dir: Path, tmp_path: Path) -> None:
    from tradeguard.store.db import connect
    from tradeguard.store.keys import create_key
    from tradeguard.store.lists import load_file

    url, control = own_pg
    engine = connect(url)
    load_file(engine, lists_dir / UN)
    with engine.begin() as conn:
        _key_id, key = create_key(conn, "screener", "outage test")
    engine.dispose()
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k != "TRADEGUARD_DB"}
    log = open(tmp_path / "server.log", "wb")  # noqa: SIM115 (closed below)
    server = subprocess.Popen([sys.executable, "-m", "tradeguard.cli", "--db", url, "serve", "--host", "127.0.0.1",
                               "--port", str(port), "--log-level", "warning"], stdout=log, stderr=subprocess.STDOUT,
                              env=env)
    headers = {"Authorization": f"ApiKey {key}"}
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", headers=headers, timeout=30) as client:
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline:
                try:
                    if client.get("/readyz").status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                time.sleep(0.3)
            assert client.post("/match/default", json=QUERY).status_code == 200

            control("stop")
            time.sleep(1.2)  # past the key check's one-second cache
            down = client.post("/match/default", json=QUERY)
            assert down.status_code == 503, down.text
            assert down.json()["detail"].startswith("the store is unavailable, try again shortly: ")
            assert down.headers["retry-after"] == "5"
            assert client.get("/alerts").status_code == 503

            control("start")
            statuses = []
            for _ in range(20):
                statuses.append(client.post("/match/default", json=QUERY).status_code)
                if statuses[-1] == 200:
                    break
                time.sleep(0.5)
            assert statuses[-1] == 200, statuses
            assert client.get("/alerts").status_code == 200
        assert server.poll() is None  # the same process all along
    finally:
        server.terminate()
        server.wait(timeout=15)
        log.close()
