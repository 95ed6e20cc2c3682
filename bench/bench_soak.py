"""Soak: the service under mixed load for minutes, with list loads and decisions meanwhile.

The store holds the OFAC SDN list of 2024-05-03 and the UN list of 2024-09-26 (real files
from ../shared, in a temporary SQLite file), and parties registered with listed names (so
alerts exist). `tradeguard serve` runs on 127.0.0.1; ``--clients`` threads (16) each send
their next request as soon as the previous one is answered, mixing yente-style
``POST /match/default`` (7 in 10), ``POST /screen`` of a ten-party CSV (2 in 10) and
reviewers' decisions on open alerts (1 in 10). Meanwhile a loader runs `tradeguard lists
load` on the next dated UN file every ``--load-every`` seconds (each a new version in force:
the server rebuilds its index and rescreens the parties), and decisions go on.

Prints per endpoint the requests, errors, p50/p99 latency, then the server's resident memory
after the warm-up and at the end, and its growth. Targets (issue 12): zero errors, server
memory growth <= 10%. The full run is five minutes (``make bench-full``-sized); ``--seconds``
shortens it.

    .venv/bin/python bench/bench_soak.py [--seconds 300] [--clients 16] [--load-every 45]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_api_load import free_port, percentile, wait_ready  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
LISTS = ROOT.parent / "shared" / "data" / "lists"
SDN = "ofac_sdn/history/2024-05-03/sdn.csv"
UN_VERSIONS = ["un/2024-09-26_xd-mau5/consolidated.xml", "un/2024-11-30_Stanux/consolidated.xml",
               "un/2025-04-19_kebalkhadka/UN.xml", "un/2025-08-02_nizaranandkn/consolidatedLegacyByPRN.xml",
               "un/2025-11-20_Mkweli/un_consolidated.xml",
               "un/2025-12-09_haverisenosku/un.xml", "un/2025-12-10_haverisenosku/un.xml",
               "un/2025-12-11_haverisenosku/un.xml", "un/2026-08-01_zr101/un.xml"]
WARM_UP_SECONDS = 20


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def cli(db_url: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, TRADEGUARD_DB=db_url)
    return subprocess.run([sys.executable, "-m", "tradeguard.cli", *args], env=env, capture_output=True, text=True,
                          check=False)


def prepare(db_url: str) -> tuple[dict[str, str], list[str]]:
    """The store: lists, keys, parties with alerts; the keys and names to query with."""
    from tradeguard.store.db import connect
    from tradeguard.store.keys import create_key
    from tradeguard.store.lists import iter_active_entities, load_file

    engine = connect(db_url)
    for rel in (SDN, UN_VERSIONS[0]):
        load_file(engine, LISTS / rel)
    with engine.begin() as conn:
        keys = {role: create_key(conn, role, f"soak {role}")[1] for role in ("screener", "reviewer")}
    with engine.connect() as conn:
        names = [e.caption for e in iter_active_entities(conn) if e.schema in ("Person", "Organization")]
    engine.dispose()
    random.Random(3).shuffle(names)
    names = names[:2000]
    parties = Path(db_url.removeprefix("sqlite:///")).with_name("parties.csv")
    parties.write_text("id,name\n" + "".join(f'soak-{i},"{n}"\n' for i, n in enumerate(names[:1500])),
                       encoding="utf-8")
    cli(db_url, "parties", "import", str(parties))  # monitored parties, nearly all with an alert
    return keys, names


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seconds", type=float, default=300.0)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--load-every", type=float, default=45.0, help="seconds between list loads")
    args = parser.parse_args()
    if not all((LISTS / rel).is_file() for rel in (SDN, *UN_VERSIONS)):
        sys.exit(f"real list files not found under {LISTS}: this benchmark needs ../shared")

    with tempfile.TemporaryDirectory(prefix="tradeguard-soak-") as tmp:
        db_url = f"sqlite:///{tmp}/soak.db"
        keys, names = prepare(db_url)
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        env = {k: v for k, v in os.environ.items() if k != "TRADEGUARD_DB"}
        with open(Path(tmp) / "server.log", "wb") as log:
            server = subprocess.Popen([sys.executable, "-m", "tradeguard.cli", "--db", db_url, "serve", "--host",
                                       "127.0.0.1", "--port", str(port), "--log-level", "warning"],
                                      stdout=log, stderr=subprocess.STDOUT, env=env)
        screener = {"Authorization": f"ApiKey {keys['screener']}"}
        reviewer = {"Authorization": f"ApiKey {keys['reviewer']}"}
        try:
            wait_ready(url, screener, server)
            latencies: dict[str, list[float]] = defaultdict(list)
            errors: dict[str, list[str]] = defaultdict(list)
            skipped: dict[str, int] = defaultdict(int)
            lock = threading.Lock()
            deadline = time.monotonic() + WARM_UP_SECONDS + args.seconds
            loads: list[str] = []

            def client_loop(index: int) -> None:
                rng = random.Random(index)
                with httpx.Client(base_url=url, timeout=120) as http:
                    while time.monotonic() < deadline:
                        r = rng.random()
                        started = time.perf_counter()
                        try:
                            if r < 0.7:
                                endpoint = "POST /match/default"
                                resp = http.post("/match/default", headers=screener, json={"queries": {"q": {
                                    "schema": "LegalEntity", "properties": {"name": [rng.choice(names)]}}}})
                            elif r < 0.9:
                                endpoint = "POST /screen"
                                rows = "".join(f'p{i},"{rng.choice(names)}"\n' for i in range(10))
                                resp = http.post("/screen", headers=screener,
                                                 files={"file": ("batch.csv", "id,name\n" + rows)})
                            else:
                                endpoint = "POST /alerts/{id}/decision"
                                listed = http.get("/alerts", headers=reviewer, params={"status": ["open"], "limit": 20})
                                if listed.status_code != 200:
                                    resp = listed
                                else:
                                    open_alerts = listed.json()["alerts"]
                                    if not open_alerts:
                                        with lock:
                                            skipped["no open alert left to decide"] += 1
                                        continue
                                    alert = rng.choice(open_alerts)["id"]
                                    resp = http.post(f"/alerts/{alert}/decision", headers=reviewer, json={
                                        "decision": rng.choice(["true_match", "false_positive"]), "reason": "soak"})
                                    if resp.status_code == 409:  # another client decided it first: expected
                                        with lock:
                                            skipped["decided by another client first (409)"] += 1
                                        continue
                            elapsed = time.perf_counter() - started
                            with lock:
                                if resp.status_code == 200:
                                    latencies[endpoint].append(elapsed)
                                else:
                                    errors[endpoint].append(f"HTTP {resp.status_code}: {resp.text[:160]}")
                        except httpx.HTTPError as exc:
                            with lock:
                                errors[endpoint].append(f"{type(exc).__name__}: {exc}")

            def loader() -> None:
                next_load = time.monotonic() + WARM_UP_SECONDS
                for rel in UN_VERSIONS[1:]:
                    while time.monotonic() < min(next_load, deadline):
                        time.sleep(0.5)
                    if time.monotonic() >= deadline:
                        return
                    done = cli(db_url, "lists", "load", str(LISTS / rel))
                    loads.append(f"{rel}: exit {done.returncode}")
                    next_load += args.load_every

            threads = [threading.Thread(target=client_loop, args=(i,)) for i in range(args.clients)]
            threads.append(threading.Thread(target=loader))
            for t in threads:
                t.start()
            time.sleep(WARM_UP_SECONDS)
            with lock:  # the window measured starts after the warm-up
                latencies.clear()
                errors.clear()
            rss_start = rss_mb(server.pid)
            for t in threads:
                t.join()
            rss_end = rss_mb(server.pid)
            alive = server.poll() is None
        finally:
            server.terminate()
            server.wait(timeout=30)

    print(f"\nsoak: {args.clients} clients for {args.seconds:.0f} s after a {WARM_UP_SECONDS} s warm-up; "
          f"list loads meanwhile: {len(loads)} ({'; '.join(loads) or 'none'})")
    print(f"{'endpoint':28} {'ok':>7} {'errors':>7} {'p50 ms':>8} {'p99 ms':>8} {'mean ms':>8}")
    total_errors = 0
    for endpoint in sorted(set(latencies) | set(errors)):
        ms = [x * 1000 for x in latencies[endpoint]]
        total_errors += len(errors[endpoint])
        p50 = percentile(ms, 50) if ms else float("nan")
        p99 = percentile(ms, 99) if ms else float("nan")
        mean = statistics.fmean(ms) if ms else float("nan")
        print(f"{endpoint:28} {len(ms):7d} {len(errors[endpoint]):7d} {p50:8.1f} {p99:8.1f} {mean:8.1f}")
        for e in errors[endpoint][:3]:
            print(f"    error: {e}")
    if skipped:
        print("not counted: " + "; ".join(f"{why}: {n}" for why, n in skipped.items()))
    growth = (rss_end - rss_start) / rss_start if rss_start else float("nan")
    print(f"server memory: {rss_start:.0f} MB after warm-up, {rss_end:.0f} MB at the end: growth {growth:+.1%} "
          f"(target <= +10%); errors {total_errors} (target 0); server alive: {alive}")


if __name__ == "__main__":
    main()
