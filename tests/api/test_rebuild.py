"""The running service follows the store: when a new list version becomes active, the next
requests are screened against it (and say so), never against the version it replaced."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.api.live import LiveServer, live_server
from tests.service.unxml import person, write_un_xml
from tradeguard.store.db import connect
from tradeguard.store.lists import load_file


@pytest.fixture(scope="module")
def rebuild_server(lists_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(lists_dir, tmp_path_factory.mktemp("rebuild-server")) as srv:
        yield srv


def _match(server: LiveServer, name: str) -> dict:
    with server.client() as client:
        resp = client.post("/match/default", json={"queries": {"q": {"schema": "Person", "properties": {"name": [name]}}}})
    assert resp.status_code == 200, resp.text
    return dict(resp.json())


def test_new_active_version_is_screened_at_once(rebuild_server: LiveServer, tmp_path: Path) -> None:
    server = rebuild_server
    before = _match(server, "Mohammad Qannadi")
    un_before = next(v for v in before["list_versions"] if v["list"] == "un_sc")
    assert before["responses"]["q"]["results"][0]["id"] == "un_sc-110418"
    assert _match(server, "Zebulon Quattlebaum Okonkwo")["responses"]["q"]["results"] == []

    # a newer UN list (hand-made, in the official format) that lists a new person and no longer
    # lists Qannadi, loaded into the store while the server runs (as `tradeguard lists load` does)
    path = write_un_xml(tmp_path / "2030-01-01" / "un.xml", "2030-01-01",
                        [person("990001", "ZEBULON", "QUATTLEBAUM OKONKWO", dob="1971-03-04")])
    engine = connect(server.db_url)
    loaded = load_file(engine, path, force=True)
    engine.dispose()
    assert loaded.status == "loaded"

    deadline = time.monotonic() + 60
    while True:
        after = _match(server, "Zebulon Quattlebaum Okonkwo")
        un_after = next(v for v in after["list_versions"] if v["list"] == "un_sc")
        if un_after["version"] == loaded.version.id or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    assert un_after["version"] == loaded.version.id
    assert un_after["list_date"] == "2030-01-01"
    assert un_after["version"] != un_before["version"]
    assert after["responses"]["q"]["results"][0]["id"] == "un_sc-990001"
    # the replaced version is not screened any more
    gone = _match(server, "Mohammad Qannadi")["responses"]["q"]["results"]
    assert "un_sc-110418" not in [r["id"] for r in gone]
    with server.client() as client:
        catalog = client.get("/catalog").json()
        un = next(d for d in catalog["datasets"] if d["name"] == "un_sc")
        assert un["entity_count"] == 1 and un["index_current"] is True
        assert client.get("/readyz").status_code == 200
    # and the audit trail names the version each request was screened against
    with server.client("reviewer") as reviewer:
        entries = reviewer.get("/audit", params={"action": "match", "limit": 5}).json()
    newest = {v["list"]: v["version"] for v in entries[0]["payload"]["list_versions"]}
    assert newest["un_sc"] == loaded.version.id
