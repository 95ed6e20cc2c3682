"""The audit writer's group commit (service/audit_writer.py), on SQLite and PostgreSQL:
writes of many threads share transactions, keep one chain, and a failing write fails alone."""

from __future__ import annotations

import threading
from typing import Any

from sqlalchemy import Connection, Engine

from tradeguard.service.audit_writer import AuditWriter
from tradeguard.store import audit


def test_concurrent_writes_share_commits_and_a_failing_one_fails_alone(engine: Engine) -> None:
    writer = AuditWriter(engine)
    results: dict[int, Any] = {}
    errors: dict[int, BaseException] = {}
    start = threading.Barrier(12)

    def write(n: int) -> None:
        def in_transaction(conn: Connection) -> int:
            entry = audit.append(conn, f"client{n}", "payments_screen", {"n": n})
            if n == 5:
                raise ValueError("payment 5 cannot be kept")  # rolls back its own entry only
            return entry.seq

        start.wait()
        try:
            if n % 3 == 0:  # plain entries interleaved with the writes
                results[n] = writer.write(f"client{n}", "match", {"n": n}).seq
            else:
                results[n] = writer.run(in_transaction)
        except BaseException as exc:  # noqa: BLE001 - checked below
            errors[n] = exc

    threads = [threading.Thread(target=write, args=(n,)) for n in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    writer.close()
    assert set(errors) == {5} and "payment 5 cannot be kept" in str(errors[5])
    assert sorted(results.values()) == list(range(1, 12))  # eleven entries, no gap, no duplicate
    with engine.connect() as conn:
        kept = {e.payload["n"] for e in audit.entries(conn, limit=100)}
        assert kept == set(range(12)) - {5}
        assert audit.verify(conn).ok

