"""The audit writer's group commit (service/audit_writer.py), on SQLite and PostgreSQL:
writes of many threads share transactions, keep one chain, and a failing write fails alone."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sys
import threading
import time
import types
from typing import Any

import pytest
from sqlalchemy import Connection, Engine

from tradeguard.service import keeper
from tradeguard.service.audit_writer import AuditWriter
from tradeguard.service.keeper import KeeperStopped
from tradeguard.store import audit


def test_concurrent_writes_share_commits_and_a_failing_one_fails_alone(engine: Engine) -> None:
    writer = AuditWriter(engine)
    results: dict[int, Any] = {}
    errors: dict[int, BaseException] = {}
    start = threading.Barrier(12)

    def in_transaction(conn: Connection, items: list[int]) -> list[int]:
        seqs = [audit.append(conn, f"client{n}", "payments_screen", {"n": n}).seq for n in items]
        if 5 in items:
            raise ValueError("payment 5 cannot be kept")  # rolls back its own entry only
        return seqs

    def write(n: int) -> None:
        start.wait()
        try:
            if n % 3 == 0:  # plain entries interleaved with the writes
                results[n] = writer.write(f"client{n}", "match", {"n": n}).seq
            else:
                results[n] = writer.run(in_transaction, n)
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



def test_writes_queued_together_are_one_call(engine: Engine) -> None:
    """Items queued while the writer is busy reach their function in one call, in order,
    each request getting its own result."""
    writer = AuditWriter(engine)
    calls: list[list[str]] = []
    busy, release = threading.Event(), threading.Event()

    def keep(conn: Connection, items: list[str]) -> list[str]:
        calls.append(list(items))
        if items == ["first"]:
            busy.set()
            assert release.wait(30)
        return [f"kept {item}" for item in items]

    results: dict[str, str] = {}

    def request(item: str) -> None:
        results[item] = writer.run(keep, item)

    first = threading.Thread(target=request, args=("first",))
    first.start()
    assert busy.wait(30)
    others = []
    for item in ("b", "c", "d"):  # queued one after another while "first" is being written
        others.append(threading.Thread(target=request, args=(item,)))
        others[-1].start()
        deadline = time.monotonic() + 30
        while writer._queue.qsize() < len(others) and time.monotonic() < deadline:
            time.sleep(0.01)
    release.set()
    for t in [first, *others]:
        t.join()
    writer.close()
    assert calls == [["first"], ["b", "c", "d"]]
    assert results == {item: f"kept {item}" for item in ("first", "b", "c", "d")}


def test_awaited_writes_get_their_results_and_a_failing_one_fails_alone(engine: Engine) -> None:
    """``run_async`` (what POST /payments/screen awaits): each coroutine gets its own
    result from the writer thread, and a failing item's error reaches only its caller."""
    writer = AuditWriter(engine)

    def keep(conn: Connection, items: list[str]) -> list[int]:
        seqs = [audit.append(conn, "k", "payments_screen", {"item": item}).seq for item in items]
        if "bad" in items:
            raise ValueError("bad cannot be kept")
        return seqs

    async def requests() -> list[Any]:
        return await asyncio.gather(*(writer.run_async(keep, item) for item in ("a", "bad", "c")),
                                    return_exceptions=True)

    results = asyncio.run(requests())
    writer.close()
    assert isinstance(results[1], ValueError) and "bad cannot be kept" in str(results[1])
    assert sorted([results[0], results[2]]) == [1, 2]
    with engine.connect() as conn:
        assert {e.payload["item"] for e in audit.entries(conn, limit=10)} == {"a", "c"}
        assert audit.verify(conn).ok


def _keep_with_pid(conn: Connection, items: list[str]) -> list[tuple[int, int]]:
    """A ``run`` write that says which process wrote it (module level: it can be sent)."""
    seqs = [audit.append(conn, "k", "payments_screen", {"item": item}).seq for item in items]
    if "bad" in items:
        raise ValueError("bad cannot be kept")
    return [(seq, os.getpid()) for seq in seqs]


def test_a_process_writer_commits_in_its_keeper_and_a_failing_write_fails_alone(engine: Engine) -> None:
    """What a server uses: the batches are written by the keeper process, in one chain,
    and a failing item's error (raised there) reaches only its caller."""
    writer = AuditWriter(engine, process=True)
    results: dict[str, Any] = {}
    start = threading.Barrier(9)

    def request(item: str) -> None:
        start.wait()
        try:
            results[item] = writer.run(_keep_with_pid, item) if item[0] != "e" else writer.write("k", "match", {})
        except BaseException as exc:  # noqa: BLE001 - checked below
            results[item] = exc

    items = ["a", "b", "bad", "c", "d", "e1", "e2", "f", "g"]
    threads = [threading.Thread(target=request, args=(item,)) for item in items]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    keeper = writer.keeper_pid
    writer.close()
    assert isinstance(results["bad"], ValueError) and "bad cannot be kept" in str(results["bad"])
    kept = {item: results[item] for item in items if item not in ("bad", "e1", "e2")}
    assert keeper is not None and keeper != os.getpid()
    assert {pid for _seq, pid in kept.values()} == {keeper}
    seqs = sorted([seq for seq, _pid in kept.values()] + [results["e1"].seq, results["e2"].seq])
    assert seqs == list(range(1, 9))
    with engine.connect() as conn:
        assert audit.verify(conn).ok


def test_a_process_writer_writes_what_its_keeper_cannot_take_in_its_thread(engine: Engine) -> None:
    writer = AuditWriter(engine, process=True)

    def keep(conn: Connection, items: list[str]) -> list[int]:  # cannot be pickled
        return [os.getpid() for _item in items]

    here_only = types.ModuleType("tradeguard_test_here_only")  # importable here, not in the keeper
    exec("import os\ndef keep(conn, items):\n    return [os.getpid() for _ in items]\n", here_only.__dict__)
    sys.modules[here_only.__name__] = here_only
    try:
        assert writer.run(keep, "x") == os.getpid()
        assert writer.run(_keep_with_pid, "y")[1] == writer.keeper_pid != os.getpid()
        assert writer.run(here_only.keep, "z") == os.getpid()  # the keeper could not load it
        assert writer.run(_keep_with_pid, "w")[1] == writer.keeper_pid  # and it is still there
    finally:
        writer.close()
        del sys.modules[here_only.__name__]


def test_a_stopped_keeper_fails_its_batch_and_the_writer_goes_on(engine: Engine) -> None:
    """A keeper killed between batches: the next batch fails with an error that says so
    (fail closed: its requests learn nothing was confirmed), later ones are written in the
    writer's thread, and the chain stays whole."""
    writer = AuditWriter(engine, process=True)
    try:
        first_seq, keeper = writer.run(_keep_with_pid, "a")
        assert keeper == writer.keeper_pid != os.getpid()
        os.kill(keeper, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                os.kill(keeper, 0)
            except ProcessLookupError:
                break
            with contextlib.suppress(ChildProcessError):
                os.waitpid(keeper, os.WNOHANG)
            time.sleep(0.02)
        with pytest.raises(KeeperStopped, match="keeper process stopped"):
            writer.run(_keep_with_pid, "b")
        seq, pid = writer.run(_keep_with_pid, "c")
        assert pid == os.getpid() and writer.keeper_pid is None and seq == first_seq + 1
    finally:
        writer.close()
    with engine.connect() as conn:
        assert {e.payload["item"] for e in audit.entries(conn, limit=10)} == {"a", "c"}  # b never reached it
        assert audit.verify(conn).ok


def test_a_keeper_that_cannot_start_leaves_the_writing_to_the_thread(
        engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """An interpreter that exits at once (a broken install, say): the first batch is
    written in the writer's thread, not lost, and so are the next ones."""
    monkeypatch.setattr(keeper.sys, "executable", "/bin/false")
    writer = AuditWriter(engine, process=True)
    try:
        assert writer.run(_keep_with_pid, "a")[1] == os.getpid()
        assert writer.write("k", "match", {}).seq == 2 and writer.keeper_pid is None
    finally:
        writer.close()
    with engine.connect() as conn:
        assert audit.verify(conn).ok


def test_the_keeper_outlives_a_sigterm_to_its_process_group(engine: Engine) -> None:
    """A service manager's SIGTERM reaches the keeper too: it stays, so that the server can
    commit what is queued as it stops, and stops when the server closes it."""
    writer = AuditWriter(engine, process=True)
    try:
        keeper_pid = writer.run(_keep_with_pid, "a")[1]
        os.kill(keeper_pid, signal.SIGTERM)
        time.sleep(0.3)
        assert writer.run(_keep_with_pid, "b")[1] == keeper_pid
    finally:
        writer.close()
    with pytest.raises(ChildProcessError):
        os.waitpid(keeper_pid, os.WNOHANG)  # closed and reaped
