"""Benchmark: the HTTP API under load, on loopback.

Loads the newest file of every list in ../shared into a fresh SQLite store, starts
`tradeguard serve` on 127.0.0.1, then runs 16 concurrent clients posting yente-style
queries to ``POST /match/default`` (one query per request, as a screening integration
sends them) for a bounded time and number of requests. Every request goes through the
whole service: key check, the active-version check, matching, FtM shaping and the audit
trail (each request is committed to the hash-chained log before it is answered).

Then the same clients post one-transaction pacs.008 payment messages (built by the
project's builder, one creditor name each) to ``POST /payments/screen`` for
``--payments-seconds`` (0: skipped).

Prints p50/p90/p99/max latency, throughput and the error count per endpoint.
Targets (issues 4 and 10): p99 <= 50 ms, zero errors, on this 2-core machine.

    .venv/bin/python bench/bench_api_load.py [--lists DIR] [--clients 16] [--seconds 20]
        [--requests 4000] [--workers 1] [--payments-seconds 10]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx
from summary import report  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CLEAN_NAMES = [
    "Acme Industrial Supplies GmbH", "Northwind Logistics Ltd", "María González Ruiz", "Hans-Peter Müller",
    "Blue Sky Bakery", "Oceanic Freight Forwarding BV", "Jean-Luc Martin", "Sakura Trading KK",
    "Li Wei", "Anna Kowalska", "Fjord Seafood AS", "Giulia Rossi", "Pacific Rim Electronics Pte Ltd",
]


def newest_per_list(folder: Path) -> list[tuple[str, Path]]:
    """The newest non-empty file of each list key (by the date in its path)."""
    from tradeguard.sources import SourceError, detect
    from tradeguard.store.lists import date_in_path

    best: dict[str, tuple[str, Path]] = {}
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.stat().st_size == 0:
            continue
        try:
            found = detect(path)
        except (SourceError, OSError):
            continue
        if found is None:
            continue
        _fmt, key = found
        when = date_in_path(path) or ""
        if key not in best or when >= best[key][0]:
            best[key] = (when, path)
    return sorted((key, path) for key, (_when, path) in best.items())


def build_store(lists: Path, db_url: str) -> tuple[str, list[str]]:
    """Load the lists; return a screener key and sample names to query with."""
    import tradeguard.store.service_tables  # noqa: F401
    from tradeguard.sources import SourceError
    from tradeguard.store.db import connect
    from tradeguard.store.keys import create_key
    from tradeguard.store.links import ensure_links
    from tradeguard.store.lists import (
        LoadRefused,
        active_versions,
        iter_version_entities,
        load_file,
    )

    engine = connect(db_url)
    print(f"{'list':16} {'entities':>9} {'seconds':>8}  file")
    for key, path in newest_per_list(lists):
        started = time.perf_counter()
        try:
            result = load_file(engine, path, force=True)
        except (SourceError, LoadRefused) as exc:
            print(f"{key:16} {'-':>9} {'-':>8}  {path.relative_to(lists)}: skipped: {exc}")
            continue
        print(f"{key:16} {result.version.entity_count:9d} {time.perf_counter() - started:8.2f}  {path.relative_to(lists)}")
    ensure_links(engine)  # as `tradeguard lists load` does: the listings of one party linked
    rng = random.Random(4)
    names: list[str] = []
    with engine.begin() as conn:
        _id, plaintext = create_key(conn, "screener", "bench_api_load")
        for version in active_versions(conn):
            entities = list(iter_version_entities(conn, version.id))
            for entity in rng.sample(entities, min(60, len(entities))):
                names.append(entity.caption)
    engine.dispose()
    # listed names as given, reordered, with a dropped letter; and names that are not listed
    queries = []
    for name in names:
        tokens = name.replace(",", " ").split()
        variant = rng.choice(["as listed", "reordered", "typo"])
        if variant == "reordered" and len(tokens) > 1:
            tokens = tokens[1:] + tokens[:1]
        elif variant == "typo" and tokens and len(tokens[0]) > 4:
            i = rng.randrange(1, len(tokens[0]) - 1)
            tokens[0] = tokens[0][:i] + tokens[0][i + 1:]
        queries.append(" ".join(tokens))
    queries.extend(CLEAN_NAMES * 10)
    rng.shuffle(queries)
    return plaintext, queries


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_ready(url: str, headers: dict[str, str], proc: subprocess.Popen[bytes], timeout: float = 300) -> float:
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if proc.poll() is not None:
            sys.exit(f"the server exited with code {proc.returncode}")
        try:
            if httpx.get(f"{url}/readyz", headers=headers, timeout=5).status_code == 200:
                return time.perf_counter() - started
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    sys.exit(f"the server was not ready after {timeout} s")


def body_for(name: str) -> dict[str, Any]:
    return {"queries": {"q": {"schema": "LegalEntity", "properties": {"name": [name]}}}}


class HttpConnection:
    """A minimal HTTP/1.1 client on one keep-alive TCP connection (asyncio streams).

    The benchmark client shares the machine's two cores with the server, so it must cost
    as little as it can: httpx spends about a millisecond of CPU per request, which on a
    single client event loop serving 16 in-flight requests adds up to more than the
    server's own work. This one sends pre-encoded requests and reads Content-Length or
    chunked responses; anything else is an error.
    """

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def connect(self) -> None:
        self.reader, self.writer = await asyncio.open_connection(self.host, self.port)

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            with contextlib.suppress(OSError):
                await self.writer.wait_closed()

    async def request(self, raw: bytes) -> tuple[int, bytes]:
        """Send one pre-encoded request; return (status, body)."""
        if self.reader is None or self.writer is None:
            await self.connect()
        assert self.reader is not None and self.writer is not None
        self.writer.write(raw)
        head = await self.reader.readuntil(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        parts = lines[0].split(" ", 2)
        if len(parts) < 2 or not parts[0].startswith("HTTP/1."):
            raise ValueError(f"bad status line {lines[0]!r}")
        status = int(parts[1])
        length: int | None = None
        chunked = close = False
        for line in lines[1:]:
            name, _, value = line.partition(":")
            name = name.strip().lower()
            if name == "content-length":
                length = int(value.strip())
            elif name == "transfer-encoding" and "chunked" in value.lower():
                chunked = True
            elif name == "connection" and value.strip().lower() == "close":
                close = True
        if chunked:
            pieces = []
            while True:
                size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0].strip(), 16)
                if size == 0:
                    await self.reader.readuntil(b"\r\n")
                    break
                pieces.append(await self.reader.readexactly(size + 2))
            body = b"".join(p[:-2] for p in pieces)
        elif length is not None:
            body = await self.reader.readexactly(length)
        else:
            raise ValueError("response without Content-Length or chunked encoding")
        if close:
            await self.close()
            self.reader = self.writer = None
        return status, body


def encode_request(host: str, port: int, headers: dict[str, str], name: str) -> bytes:
    """``POST /match/default`` with a yente query for ``name``, as bytes on the wire."""
    body = json.dumps(body_for(name), ensure_ascii=False).encode("utf-8")
    return _raw("/match/default", "application/json", host, port, headers, body)


def encode_payment(host: str, port: int, headers: dict[str, str], name: str) -> bytes:
    """``POST /payments/screen`` with a one-transaction pacs.008 paying ``name``."""
    from tradeguard.payments import builder as b

    debtor = b.PartySpec("Harbour Components GmbH", country="DE", town="Hamburg", iban="DE89370400440532013000")
    tx = b.TxSpec(f"E2E-{abs(hash(name)) % 10**8}", "1250.00", "EUR", debtor,
                  b.PartySpec(name, country="PT", town="Lisboa"), b.PartySpec(bic="DEUTDEFFXXX"),
                  b.PartySpec(bic="BCOMPTPLXXX"), remittance=("INV 2231 MACHINE TOOLS AND SPARE PARTS",))
    body = b.to_xml(b.pacs008("MSG-BENCH", [tx], instructing_agent=b.PartySpec(bic="DEUTDEFFXXX")))
    return _raw("/payments/screen", "application/xml", host, port, headers, body)


def _raw(path: str, content_type: str, host: str, port: int, headers: dict[str, str], body: bytes) -> bytes:
    lines = [f"POST {path} HTTP/1.1", f"Host: {host}:{port}", "Accept: application/json",
             f"Content-Type: {content_type}", f"Content-Length: {len(body)}",
             *(f"{k}: {v}" for k, v in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("utf-8") + body


async def run_load(url: str, headers: dict[str, str], names: list[str], clients: int, seconds: float,
                   max_requests: int, payments: bool = False) -> tuple[list[float], list[str], float]:
    """``clients`` independent clients (each its own keep-alive connection, as separate
    integrations would be), each sending its next request as soon as the previous one is
    answered."""
    host, _, port_text = url.removeprefix("http://").partition(":")
    port = int(port_text)
    encode = encode_payment if payments else encode_request
    requests = [encode(host, port, headers, name) for name in names]
    answer = "results" if payments else "responses"
    latencies: list[float] = []
    errors: list[str] = []
    counter = {"sent": 0}
    start = asyncio.Event()
    all_ready = asyncio.Event()
    ready: list[int] = []
    window: dict[str, float] = {}

    async def client(index: int) -> None:
        http = HttpConnection(host, port)
        try:
            await http.connect()
            await http.request(requests[index % len(requests)])  # connect, warm up
            ready.append(index)
            if len(ready) == clients:
                all_ready.set()
            await start.wait()
            # A fresh connection: the warm-up one may have sat idle past the server's keep-alive
            # timeout while slower clients were still warming up.
            await http.close()
            http = HttpConnection(host, port)
            await http.connect()
            i = index
            while time.perf_counter() < window["deadline"] and counter["sent"] < max_requests:
                counter["sent"] += 1
                raw = requests[i % len(requests)]
                i += clients
                started = time.perf_counter()
                try:
                    status, body = await http.request(raw)
                    elapsed = time.perf_counter() - started
                    if status != 200:
                        errors.append(f"HTTP {status}: {body[:200]!r}")
                        continue
                    json.loads(body)[answer]
                    latencies.append(elapsed)
                except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, KeyError, ValueError) as exc:
                    errors.append(f"{type(exc).__name__}: {exc}")
                    await http.close()
                    http = HttpConnection(host, port)
        finally:
            await http.close()

    tasks = [asyncio.create_task(client(i)) for i in range(clients)]
    await asyncio.wait_for(all_ready.wait(), timeout=120)  # every client connected and warmed up
    started = time.perf_counter()
    window["deadline"] = started + seconds
    start.set()
    await asyncio.gather(*tasks)
    return latencies, errors, time.perf_counter() - started


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(pct / 100 * len(ordered) + 0.5) - 1))
    return ordered[k]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lists", type=Path, default=ROOT.parent / "shared" / "data" / "lists")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--seconds", type=float, default=20.0, help="stop after this long")
    parser.add_argument("--requests", type=int, default=4000, help="stop after this many requests")
    parser.add_argument("--workers", type=int, default=1, help="server worker processes")
    parser.add_argument("--payments-seconds", type=float, default=10.0, help="POST /payments/screen for this long (0: skip)")
    args = parser.parse_args()
    if not args.lists.is_dir():
        sys.exit(f"no list folder at {args.lists}")
    with tempfile.TemporaryDirectory(prefix="tradeguard-bench-api-") as tmp:
        db_url = f"sqlite:///{tmp}/bench.db"
        key, names = build_store(args.lists, db_url)
        headers = {"Authorization": f"ApiKey {key}"}
        port = free_port()
        url = f"http://127.0.0.1:{port}"
        env = dict(os.environ)
        env.pop("TRADEGUARD_DB", None)
        with open(Path(tmp) / "server.log", "wb") as log:
            proc = subprocess.Popen(
                [sys.executable, "-m", "tradeguard.cli", "--db", db_url, "serve", "--host", "127.0.0.1",
                 "--port", str(port), "--workers", str(args.workers), "--log-level", "warning"],
                stdout=log, stderr=subprocess.STDOUT, env=env,
            )
        try:
            ready = wait_ready(url, headers, proc)
            catalog = httpx.get(f"{url}/catalog", headers=headers, timeout=30).json()
            total = catalog["datasets"][0]["entity_count"]
            print(f"\nserver ready in {ready:.1f} s ({args.workers} worker(s)), {total} entities in "
                  f"{len(catalog['datasets']) - 1} lists; {args.clients} clients on POST /match/default "
                  f"for up to {args.seconds:.0f} s / {args.requests} requests")
            runs = {"POST /match/default": asyncio.run(
                run_load(url, headers, names, args.clients, args.seconds, args.requests))}
            if args.payments_seconds > 0:
                runs["POST /payments/screen"] = asyncio.run(
                    run_load(url, headers, names, args.clients, args.payments_seconds, args.requests, payments=True))
            alive = httpx.get(f"{url}/healthz", timeout=5).status_code == 200
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        log_tail = (Path(tmp) / "server.log").read_text(errors="replace")[-2000:]
    print(f"\n{'endpoint':22} {'requests':>9} {'errors':>7} {'req/s':>7} {'p50 ms':>7} {'p90 ms':>7} {'p99 ms':>7} "
          f"{'max ms':>7} {'mean ms':>8}  target p99 <= 50 ms, no errors")
    for endpoint, (latencies, errors, wall) in runs.items():
        if not latencies:
            sys.exit(f"{endpoint}: no successful request; errors: {errors[:5]}\n{log_tail}")
        ms = [x * 1000 for x in latencies]
        p50, p90, p99 = percentile(ms, 50), percentile(ms, 90), percentile(ms, 99)
        ok = p99 <= 50.0 and not errors
        report(f"API {endpoint}: p99, no errors", "<= 50 ms, 0", f"{p99:.1f} ms, {len(errors)}", ok)
        print(f"{endpoint:22} {len(ms) + len(errors):9d} {len(errors):7d} {len(ms) / wall:7.1f} {p50:7.1f} {p90:7.1f} "
              f"{p99:7.1f} {max(ms):7.1f} {statistics.fmean(ms):8.1f}  {'MET' if ok else 'NOT MET'}")
        for e in errors[:5]:
            print(f"  error: {e}")
        if errors:
            print("  server log (end):\n" + "\n".join("    " + line for line in log_tail.splitlines()[-12:]))
    if not alive:
        print("the server did not answer after the run")


if __name__ == "__main__":
    main()
