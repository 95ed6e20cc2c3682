"""The hash-chained audit trail: intact chains verify; direct edits, deletions and
insertions made in the database (sqlite3 / psycopg, bypassing tradeguard) are caught."""

from __future__ import annotations

import sqlite3
import threading
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, text

from tradeguard.store import audit


def _fill(engine: Engine, n: int = 10) -> None:
    with engine.begin() as conn:
        for i in range(1, n + 1):
            audit.append(conn, "cli:tester", "screen", {"query": {"name": f"Party {i}"}, "n": i}, subject=f"p{i % 3}")


def _tamper(store_url: str, *statements: tuple[str, dict[str, Any]]) -> None:
    """Run SQL directly on the database file / server, outside tradeguard."""
    if store_url.startswith("sqlite:///"):
        con = sqlite3.connect(store_url.removeprefix("sqlite:///"))
        try:
            for sql, params in statements:
                con.execute(sql.replace("%(", ":").replace(")s", ""), params)
            con.commit()
        finally:
            con.close()
        return
    eng = create_engine(store_url)
    try:
        with eng.begin() as conn:
            for sql, params in statements:
                conn.execute(text(sql.replace("%(", ":").replace(")s", "")), params)
    finally:
        eng.dispose()


def _row(engine: Engine, seq: int) -> Any:
    with engine.connect() as conn:
        return conn.execute(text("SELECT * FROM audit_log WHERE seq = :s"), {"s": seq}).one()


def _verify(engine: Engine) -> audit.VerifyResult:
    with engine.connect() as conn:
        return audit.verify(conn)


def test_intact_chain_verifies(engine: Engine) -> None:
    assert _verify(engine).ok  # empty log
    _fill(engine)
    ok, bad, reason = _verify(engine)
    assert ok and bad is None and "10 entries" in reason
    with engine.connect() as conn:
        found = audit.entries(conn, subject="p1")
        assert [e.payload["n"] for e in found] == [1, 4, 7, 10]
        assert audit.head(conn)[0] == 10
        last = audit.entries(conn, limit=1, newest_first=True)[0]
        assert last.seq == 10 and last.hash == audit.head(conn)[1]
        assert last.prev_hash == _row(engine, 9).hash


def test_edited_row_is_detected(engine: Engine, store_url: str) -> None:
    _fill(engine)
    _tamper(store_url, ("UPDATE audit_log SET payload = %(p)s WHERE seq = 4", {"p": '{"n":4,"query":{"name":"Someone else"}}'}))
    ok, bad, reason = _verify(engine)
    assert not ok and bad == 4 and "edited" in reason


def test_edited_actor_is_detected(engine: Engine, store_url: str) -> None:
    _fill(engine)
    _tamper(store_url, ("UPDATE audit_log SET actor = %(a)s WHERE seq = 7", {"a": "cli:someone-else"}))
    assert _verify(engine)[:2] == (False, 7)


def test_deleted_row_is_detected(engine: Engine, store_url: str) -> None:
    _fill(engine)
    _tamper(store_url, ("DELETE FROM audit_log WHERE seq = 4", {}))
    ok, bad, reason = _verify(engine)
    assert not ok and bad == 4 and "missing" in reason and "deleted" in reason


def test_deleted_and_renumbered_rows_are_detected(engine: Engine, store_url: str) -> None:
    _fill(engine)
    _tamper(
        store_url,
        ("DELETE FROM audit_log WHERE seq = 4", {}),
        ("UPDATE audit_log SET seq = -seq WHERE seq > 4", {}),
        ("UPDATE audit_log SET seq = -seq - 1 WHERE seq < 0", {}),
    )
    ok, bad, reason = _verify(engine)
    assert not ok and bad == 4 and "prev_hash" in reason


def test_deleted_last_row_is_detected(engine: Engine, store_url: str) -> None:
    _fill(engine)
    _tamper(store_url, ("DELETE FROM audit_log WHERE seq = 10", {}))
    ok, bad, reason = _verify(engine)
    assert not ok and bad == 10 and "deleted from the end" in reason


def test_inserted_row_in_the_middle_is_detected(engine: Engine, store_url: str) -> None:
    _fill(engine)
    before = _row(engine, 4)
    at = before.at
    payload = '{"n":99}'
    forged = audit.row_hash(before.hash, 5, at, "cli:intruder", "decision", "p1", payload)
    _tamper(
        store_url,
        ("UPDATE audit_log SET seq = -seq WHERE seq >= 5", {}),
        ("UPDATE audit_log SET seq = -seq + 1 WHERE seq < 0", {}),
        ("INSERT INTO audit_log (seq, at, actor, action, subject, payload, prev_hash, hash) "
         "VALUES (5, %(at)s, 'cli:intruder', 'decision', 'p1', %(p)s, %(prev)s, %(h)s)",
         {"at": at, "p": payload, "prev": before.hash, "h": forged}),
    )
    ok, bad, reason = _verify(engine)
    # The forged row itself links correctly; the row after it no longer does.
    assert not ok and bad == 6 and "prev_hash" in reason


def test_row_appended_outside_tradeguard_is_detected(engine: Engine, store_url: str) -> None:
    _fill(engine)
    last = _row(engine, 10)
    payload = '{"n":11}'
    forged = audit.row_hash(last.hash, 11, last.at, "cli:intruder", "decision", "p2", payload)
    _tamper(
        store_url,
        ("INSERT INTO audit_log (seq, at, actor, action, subject, payload, prev_hash, hash) "
         "VALUES (11, %(at)s, 'cli:intruder', 'decision', 'p2', %(p)s, %(prev)s, %(h)s)",
         {"at": last.at, "p": payload, "prev": last.hash, "h": forged}),
    )
    ok, bad, reason = _verify(engine)
    assert not ok and bad == 11 and "after the recorded chain head" in reason


def test_inserted_row_with_a_made_up_hash_is_detected(engine: Engine, store_url: str) -> None:
    _fill(engine, 3)
    _tamper(
        store_url,
        ("INSERT INTO audit_log (seq, at, actor, action, subject, payload, prev_hash, hash) "
         "VALUES (4, '2020-01-01T00:00:00+00:00', 'cli:intruder', 'decision', NULL, '{}', %(h)s, %(h)s)",
         {"h": "f" * 64}),
    )
    ok, bad, _reason = _verify(engine)
    assert not ok and bad == 4


def test_concurrent_appends_keep_one_chain(engine: Engine) -> None:
    errors: list[BaseException] = []

    def worker(n: int) -> None:
        try:
            for i in range(15):
                with engine.begin() as conn:
                    audit.append(conn, f"worker{n}", "screen", {"i": i})
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    ok, _bad, reason = _verify(engine)
    assert ok, reason
    assert "60 entries" in reason


def test_append_rolls_back_with_its_transaction(engine: Engine) -> None:
    _fill(engine, 2)
    with pytest.raises(RuntimeError), engine.begin() as conn:
        audit.append(conn, "cli:tester", "screen", {"n": 3})
        raise RuntimeError("the screening failed")
    with engine.connect() as conn:
        assert audit.head(conn)[0] == 2
    ok, _bad, reason = _verify(engine)
    assert ok and "2 entries" in reason


def test_record_screening_payload(engine: Engine) -> None:
    with engine.begin() as conn:
        entry = audit.record_screening(
            conn, "key123", [{"name": "Viktor Bout", "schema": "Person"}],
            [{"list": "us_ofac_sdn", "version": 3, "list_date": "2024-05-03", "sha256": "ab"}], 0.8,
            [{"entity_id": "us_ofac_sdn-123", "score": 0.97}],
        )
    assert entry.action == "screen" and entry.actor == "key123"
    with engine.connect() as conn:
        (stored,) = audit.entries(conn, action="screen")
    assert stored.payload["engine_version"] and stored.payload["threshold"] == 0.8
    assert stored.payload["list_versions"][0]["version"] == 3
    assert stored.payload["results"][0]["entity_id"] == "us_ofac_sdn-123"
    assert stored.hash == entry.hash
