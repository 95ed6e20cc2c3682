"""SIGKILL of a live server while reviewers decide and parties are registered, then a
restart on the same store (a real SQLite file): no half-written row (every decision has
its audit entry and its alert's status, every registered party its screening), the audit
chain verifies, and the restarted server goes on deciding."""

from __future__ import annotations

import json
import signal
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.api.live import LiveServer, live_server, start, stop
from tests.helpers import run_cli

NAMES = ["Viktor Bout", "Igor Sechin", "Mahan Air", "Bank Melli Iran", "Qods Aeronautics Industries",
         "Korea Mining Development Trading Corporation"]


@pytest.fixture(scope="module")
def crash_server(lists_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(lists_dir, tmp_path_factory.mktemp("crash-server")) as srv:
        yield srv


def _busy(server: LiveServer, stop_at: float, alert_ids: list[int], errors: list[str], worker: int) -> None:
    """Register parties and decide alerts until the server dies or ``stop_at``."""
    with server.client("reviewer", timeout=10) as reviewer, server.client(timeout=10) as screener:
        i = 0
        while time.monotonic() < stop_at:
            i += 1
            try:
                screener.post("/parties", json={"id": f"crash-{worker}-{i}", "name": NAMES[i % len(NAMES)]})
                if alert_ids:
                    alert = alert_ids.pop()
                    reviewer.post(f"/alerts/{alert}/decision", json={
                        "decision": "false_positive" if alert % 2 else "true_match", "reason": f"worker {worker}"})
            except httpx.TransportError as exc:  # the server was killed: expected
                errors.append(type(exc).__name__)
                return


def test_a_killed_server_leaves_no_half_written_row(crash_server: LiveServer) -> None:
    server = crash_server
    with server.client() as client:
        for i in range(24):
            client.post("/parties", json={"id": f"seed-{i}", "name": NAMES[i % len(NAMES)]})
        alert_ids = [a["id"] for a in client.get("/alerts", params={"limit": 1000}).json()["alerts"]]
    assert len(alert_ids) >= 20
    errors: list[str] = []
    stop_at = time.monotonic() + 30
    threads = [threading.Thread(target=_busy, args=(server, stop_at, alert_ids, errors, w)) for w in range(4)]
    for t in threads:
        t.start()
    time.sleep(1.5)  # decisions and registrations in flight
    assert server.proc is not None
    server.proc.send_signal(signal.SIGKILL)
    server.proc.wait(timeout=10)
    for t in threads:
        t.join(timeout=30)
    assert errors, "the server was killed while requests were in flight"

    # The store as the killed process left it (SQLite rolls back its unfinished transaction).
    verify = run_cli("audit", "verify", "--json", db=server.db_url)
    assert json.loads(verify.stdout)["ok"] is True
    with sqlite3.connect(server.db_path) as db:
        decisions = db.execute("SELECT id, alert_id, effect FROM alert_decisions").fetchall()
        audited = [json.loads(p)["alert"] for (p,) in db.execute(
            "SELECT payload FROM audit_log WHERE action = 'decision'")]
        assert sorted(a for _id, a, _e in decisions) == sorted(audited)  # each decision with its entry
        assert len(decisions) > 0
        for _id, alert_id, effect in decisions:
            (status,) = db.execute("SELECT status FROM alerts WHERE id = ?", (alert_id,)).fetchone()
            assert status == effect  # no decision without its alert's new status
        registered = {r for (r,) in db.execute("SELECT id FROM parties WHERE id LIKE 'crash-%'")}
        screened = {r for (r,) in db.execute("SELECT party_id FROM screenings WHERE party_id LIKE 'crash-%'")}
        audited_parties = {r for (r,) in db.execute(
            "SELECT subject FROM audit_log WHERE action = 'party_register' AND subject LIKE 'crash-%'")}
        assert registered and registered == screened == audited_parties

    # Restarted on the same store, it goes on.
    start(server)
    try:
        with server.client() as client:
            open_alerts = client.get("/alerts", params={"status": ["open"], "limit": 1}).json()["alerts"]
        assert open_alerts
        with server.client("reviewer") as reviewer:
            done = reviewer.post(f"/alerts/{open_alerts[0]['id']}/decision",
                                 json={"decision": "true_match", "reason": "after the restart"})
        assert done.status_code == 200, done.text
    finally:
        stop(server)
    assert json.loads(run_cli("audit", "verify", "--json", db=server.db_url).stdout)["ok"] is True
