"""Batch jobs and per-line order results live in the store: `POST /screen` keeps its job and
results (`/jobs`), a server SIGKILLed mid-job leaves the job marked interrupted with what it
had screened downloadable, and `tradeguard serve --workers 2` shows every job and every
order screening from either worker and lets one of two simultaneous decisions stand (the
last two on SQLite and on PostgreSQL)."""

from __future__ import annotations

import csv
import io
import json
import random
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.api.live import BACKENDS, LiveServer, kill, live_server, order_server, start, stop
from tests.helpers import run_cli

BOUT = "us_ofac_sdn-8279"
FIRST = ["Anna", "Pavel", "Maria", "Ivan", "Olga", "Sergei", "Elena", "Dmitri", "Hassan", "Li", "Jose", "Fatima"]
LAST = ["Petrova", "Novak", "Garcia", "Kim", "Haddad", "Schmidt", "Rossi", "Tanaka", "Okafor", "Silva", "Larsen"]


def _parties_csv(path: Path, rows: int, seed: int = 7) -> Path:
    rng = random.Random(seed)
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "name", "country"])
        writer.writerow(["bout", "Viktor Bout", "ru"])
        for i in range(rows - 1):
            writer.writerow([f"p{i}", f"{rng.choice(FIRST)} {rng.choice(LAST)} {rng.choice(LAST)}", "de"])
    return path


def _ndjson(text: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def test_screen_keeps_its_job_and_results(server: LiveServer, tmp_path: Path) -> None:
    path = tmp_path / "book.csv"
    path.write_text("id,name\nc1,Viktor Bout\nc2,Northwind Logistics Ltd\nc3,\n", encoding="utf-8")
    with server.client() as client, open(path, "rb") as fh:
        resp = client.post("/screen", files={"file": ("book.csv", fh)})
    assert resp.status_code == 200, resp.text
    job_id = resp.headers["X-Tradeguard-Job"]
    streamed = _ndjson(resp.text)
    assert streamed[-1]["summary"]["job"] == job_id

    with server.client() as client:
        job = client.get(f"/jobs/{job_id}").json()
        assert (job["status"], job["origin"], job["file"], job["rows"], job["done"]) == ("done", "api", "book.csv", 3, 3)
        assert (job["errors"], job["with_matches"]) == (1, 1)
        assert job["summary"]["sha256"] == streamed[-1]["summary"]["sha256"]
        kept = client.get(f"/jobs/{job_id}/results")
        assert kept.status_code == 200 and kept.headers["content-type"].startswith("application/x-ndjson")
        assert _ndjson(kept.text) == streamed[:-1]
        as_csv = list(csv.DictReader(io.StringIO(client.get(f"/jobs/{job_id}/results", params={"format": "csv"}).text)))
        assert as_csv[0]["id"] == "c1" and as_csv[0]["entity_id"] == BOUT and as_csv[0]["rank"] == "1"
        assert [r["id"] for r in as_csv if r["error"]] == ["c3"]
        assert job_id in [j["id"] for j in client.get("/jobs").json()]
    # Another key neither lists nor reads it.
    with server.client("reviewer") as other:
        assert job_id not in [j["id"] for j in other.get("/jobs").json()]
        assert other.get(f"/jobs/{job_id}").status_code == 404
        assert other.get(f"/jobs/{job_id}/results").status_code == 404


@pytest.fixture(scope="module", params=BACKENDS)
def crash_server(request: pytest.FixtureRequest, lists_dir: Path,
                 tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    with live_server(lists_dir, tmp_path_factory.mktemp(f"jobs-crash-{request.param}"), backend=request.param) as srv:
        yield srv


def test_a_job_killed_mid_way_is_marked_interrupted_with_its_results_kept(
        crash_server: LiveServer, tmp_path: Path) -> None:
    server = crash_server
    rows = 20_000
    path = _parties_csv(tmp_path / "book.csv", rows)
    received: list[dict[str, Any]] = []
    with (server.client(timeout=120) as client, open(path, "rb") as fh,
          client.stream("POST", "/screen", files={"file": ("book.csv", fh)}) as resp):
        assert resp.status_code == 200
        job_id = resp.headers["X-Tradeguard-Job"]
        try:
            for line in resp.iter_lines():
                if line.strip():
                    received.append(json.loads(line))
                if len(received) == 2_000:
                    kill(server)  # SIGKILL, mid-stream
        except httpx.HTTPError:
            pass  # the stream broke: expected
    assert 2_000 <= len(received) < rows, "the server was killed mid-job"
    assert json.loads(run_cli("audit", "verify", "--json", db=server.db_url).stdout)["ok"] is True

    start(server)
    try:
        with server.client() as client:
            job = client.get(f"/jobs/{job_id}").json()
            assert job["status"] == "failed" and job["failure"].startswith("interrupted")
            assert 1_500 <= job["done"] <= len(received) and job["rows"] == rows
            kept = _ndjson(client.get(f"/jobs/{job_id}/results").text)
        assert len(kept) == job["done"]
        assert kept == received[:len(kept)]  # what was kept is what was streamed, in order
        assert kept[0]["id"] == "bout" and kept[0]["matches"][0]["entity_id"] == BOUT
        # The restarted server screens again.
        with server.client() as client, open(_parties_csv(tmp_path / "small.csv", 5), "rb") as fh:
            again = client.post("/screen", files={"file": ("small.csv", fh)})
        assert again.status_code == 200 and _ndjson(again.text)[-1]["summary"]["screened"] == 5
    finally:
        stop(server)
    assert json.loads(run_cli("audit", "verify", "--json", db=server.db_url).stdout)["ok"] is True


def _cpu_ticks(pid: int) -> int:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])  # utime + stime


def _workers(server: LiveServer) -> list[int]:
    assert server.proc is not None
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            # uvicorn's workers are spawned processes (its resource tracker is not a worker).
            if int(fields[1]) == server.proc.pid and b"spawn_main" in (entry / "cmdline").read_bytes():
                found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/stat").is_file(), reason="needs Linux /proc to tell the workers apart")
@pytest.mark.parametrize("backend", BACKENDS)
def test_every_worker_sees_every_job_and_order_screening(backend: str, lists_dir: Path,
                                                          tmp_path_factory: pytest.TempPathFactory,
                                                          tmp_path: Path) -> None:
    with order_server(lists_dir, tmp_path_factory.mktemp(f"two-workers-{backend}"), workers=2,
                      backend=backend) as server:
        workers = _workers(server)
        assert len(workers) == 2, f"uvicorn started {len(workers)} workers"
        with server.client() as client, open(_parties_csv(tmp_path / "book.csv", 50), "rb") as fh:
            job_id = client.post("/screen", files={"file": ("book.csv", fh)}).headers["X-Tradeguard-Job"]
        order = tmp_path / "order.csv"
        order.write_text("line,buyer_name,buyer_country,ship_to_country,description,hs_code,quantity,value\n"
                         "1,Viktor Bout,ru,ru,GNSS receiver module,852692,10,500\n"
                         "2,Northwind Logistics Ltd,de,de,office chairs,940130,4,800\n", encoding="utf-8")
        with server.client() as client, open(order, "rb") as fh:
            screened = _ndjson(client.post("/orders/screen", files={"file": ("order.csv", fh)}).text)
        screening_id = screened[-1]["summary"]["screening_id"]

        before = {pid: _cpu_ticks(pid) for pid in workers}
        failures: list[str] = []
        lock = threading.Lock()

        def ask(i: int) -> None:
            # A new connection each time, so the kernel hands it to either worker.
            with httpx.Client(base_url=server.url, headers=server.headers(), timeout=60) as client:
                url = f"/jobs/{job_id}/results" if i % 2 else f"/orders/{screening_id}/results"
                resp = client.get(url)
                expected = 50 if i % 2 else 2
                if resp.status_code != 200 or len(_ndjson(resp.text)) != expected:
                    with lock:
                        failures.append(f"{url}: {resp.status_code} {resp.text[:200]}")

        with ThreadPoolExecutor(max_workers=8) as pool:
            list(pool.map(ask, range(160)))
        assert not failures, failures[:5]
        used = {pid: _cpu_ticks(pid) - before[pid] for pid in workers}
        assert all(ticks > 0 for ticks in used.values()), f"one worker answered nothing: CPU ticks {used}"

        # Two reviewers decide one alert at the same moment, each on a connection of its own
        # (so, often, in the two workers): one decision stands, the other gets 409 naming it.
        with server.client() as client:
            reg = client.post("/parties", json={"id": "two-workers-bout", "name": "Viktor Bout", "schema": "Person",
                                                "birth_date": "1967-01-13"}).json()
        alert_id = reg["alerts"]["raised"][0]
        barrier = threading.Barrier(2)
        answers: dict[str, httpx.Response] = {}

        def decide(role: str, decision: str) -> None:
            with server.client(role) as reviewer:
                barrier.wait()
                answers[role] = reviewer.post(f"/alerts/{alert_id}/decision", json={
                    "decision": decision, "reason": f"{role} at the same moment", "seen_decisions": 0})

        threads = [threading.Thread(target=decide, args=args)
                   for args in (("reviewer", "true_match"), ("reviewer2", "false_positive"))]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        codes = sorted(r.status_code for r in answers.values())
        assert codes == [200, 409], {k: (r.status_code, r.text[:200]) for k, r in answers.items()}
        winner = next(k for k, r in answers.items() if r.status_code == 200)
        loser = next(r for r in answers.values() if r.status_code == 409)
        assert f"{server.key_ids[winner]} decided" in loser.json()["detail"]
        assert json.loads(run_cli("audit", "verify", "--json", db=server.db_url).stdout)["ok"] is True
