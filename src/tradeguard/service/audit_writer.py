"""Group commit for the audit trail.

Every screening request is written to the hash-chained audit log before its response is
sent. Appends lock the chain head, so concurrent requests would each wait for their own
commit in turn; instead one writer thread takes every entry queued while the previous
commit ran and appends them in a single transaction. A request still waits until its
entry is committed (durable, in order), but sixteen concurrent requests cost one or two
commits rather than sixteen.

Writes that end in an audit entry of their own (a screened payment kept with its alerts)
join the same batches through ``run``: a function of the open connection and a list of
requests' items, called once for the items queued one after another with the same
function (sixteen payments: their parties registered and alerts raised in one pass), in
turn with the entries queued around them. If one of them fails, the batch is written
again one item a transaction, so that only the failing request sees the error.

A server's writer commits in a process of its own (``process=True``, see
:mod:`tradeguard.service.keeper`), so that keeping does not take the interpreter lock from
screening. A batch that cannot be sent there (a local function as ``write``), or that it
cannot load, is written in the writer's thread. If that process stops, the batch it held
fails (its requests get the error: whether it committed is unknown) and the writer goes on
in its own thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, Engine

from tradeguard.service.keeper import KeeperProcess, KeeperStopped, NotSendable, Outcome
from tradeguard.store import audit
from tradeguard.store.audit import AuditEntry

log = logging.getLogger(__name__)

MAX_BATCH = 500
# Under concurrent load (the previous batch held several entries), wait this long after the
# first entry for more to arrive: fewer, larger commits cost less CPU per request, which
# matters more than one millisecond when requests are queueing anyway.
LINGER_SECONDS = 0.003


@dataclass(frozen=True)
class _Entry:
    """An audit entry to append (what is sent to the keeper process)."""

    actor: str
    action: str
    subject: str | None
    payload: dict[str, Any]


@dataclass(frozen=True)
class _Write:
    """A ``run`` write: ``write(conn, items)`` returns a result per item (sent as ``_Entry``)."""

    write: Callable[[Connection, list[Any]], list[Any]]
    item: Any


@dataclass
class _Queued:
    """A queued entry or write with the future its request waits on."""

    spec: _Entry | _Write
    future: Future[Any] = field(default_factory=Future)
    # set by ``submit_async`` and ``run_async``: resolved on its event loop, one wake-up per
    # batch and loop
    waiter: asyncio.Future[Any] | None = None


class AuditWriter:
    """Appends audit entries in batches from one thread; ``write`` blocks until committed."""

    def __init__(self, engine: Engine, *, process: bool = False) -> None:
        self.engine = engine
        self._process = process  # commit in a keeper process (started by the first batch)
        self._keeper: KeeperProcess | None = None
        self._queue: queue.Queue[_Queued | None] = queue.Queue()
        self._thread = threading.Thread(target=self._run, name="tradeguard-audit", daemon=True)
        self._started = False
        self._lock = threading.Lock()

    def _ensure_started(self) -> None:
        with self._lock:
            if not self._started:
                self._thread.start()
                self._started = True

    def submit(self, actor: str, action: str, payload: dict[str, Any], subject: str | None = None) -> Future[AuditEntry]:
        self._ensure_started()
        item = _Queued(_Entry(actor, action, subject, payload))
        self._queue.put(item)
        return item.future

    def submit_async(self, actor: str, action: str, payload: dict[str, Any],
                     subject: str | None = None) -> asyncio.Future[AuditEntry]:
        """``submit`` for a coroutine: await the result (the committed entry). The writer
        wakes the event loop once per committed batch rather than once per entry."""
        self._ensure_started()
        waiter: asyncio.Future[AuditEntry] = asyncio.get_running_loop().create_future()
        self._queue.put(_Queued(_Entry(actor, action, subject, payload), waiter=waiter))
        return waiter

    def write(self, actor: str, action: str, payload: dict[str, Any], subject: str | None = None,
              timeout: float = 60.0) -> AuditEntry:
        """Append one entry and wait until it is committed (raises what the commit raised)."""
        return self.submit(actor, action, payload, subject).result(timeout=timeout)

    def run(self, write: Callable[[Connection, list[Any]], list[Any]], item: Any, timeout: float = 60.0) -> Any:
        """Run ``write(conn, [item, ...])`` in the writer's next transaction, with the items
        of other requests queued next to this one for the same ``write``, and wait until
        it is committed; this item's result (or what ``write`` or the commit raised)."""
        self._ensure_started()
        work = _Queued(_Write(write, item))
        self._queue.put(work)
        return work.future.result(timeout=timeout)

    def run_async(self, write: Callable[[Connection, list[Any]], list[Any]], item: Any) -> asyncio.Future[Any]:
        """``run`` for a coroutine: await this item's result, with no thread held waiting."""
        self._ensure_started()
        waiter: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        self._queue.put(_Queued(_Write(write, item), waiter=waiter))
        return waiter

    def _run(self) -> None:
        last_size = 0
        while True:
            first = self._queue.get()
            if first is None:
                return
            if last_size > 1:
                time.sleep(LINGER_SECONDS)
            batch = [first]
            stop = False
            while len(batch) < MAX_BATCH:
                try:
                    more = self._queue.get_nowait()
                except queue.Empty:
                    break
                if more is None:
                    stop = True
                    break
                batch.append(more)
            self._commit(batch)
            last_size = len(batch)
            if stop:
                return

    def _commit(self, batch: list[_Queued]) -> None:
        try:
            outcomes = self._store([item.spec for item in batch])
        except Exception as failure:  # noqa: BLE001 - the requests report it; the thread goes on
            outcomes = [(None, failure)] * len(batch)
        for item, (result, exc) in zip(batch, outcomes, strict=True):
            if exc is not None:
                item.future.set_exception(exc)
            else:
                item.future.set_result(result)
        _settle_waiters([(item, result, exc) for item, (result, exc) in zip(batch, outcomes, strict=True)
                         if item.waiter is not None])

    def _store(self, specs: list[_Entry | _Write]) -> list[Outcome]:
        """Write the batch in the keeper process, or here when it cannot be sent there."""
        if self._process and self._keeper is None:
            try:
                self._keeper = KeeperProcess(self.engine.url.render_as_string(hide_password=False))
            except OSError as exc:  # KeeperNotStarted, or the interpreter could not be run
                log.warning("the audit keeper process could not start (%s); writing in this thread", exc)
                self._process = False
        if self._keeper is not None:
            try:
                return self._keeper.write(specs)
            except NotSendable:
                pass  # a local function, say: nothing of it was written there, write it here
            except KeeperStopped as exc:
                log.warning("%s; the audit writer goes on in its own thread", exc)
                self._keeper, self._process = None, False
                return [(None, exc)] * len(specs)
        return write_batch(self.engine, specs)

    @property
    def keeper_pid(self) -> int | None:
        """The keeper process's id, once started (None: the writer commits in its thread)."""
        return self._keeper.pid if self._keeper is not None else None

    def close(self) -> None:
        """Commit what is queued and stop the thread."""
        with self._lock:
            if not self._started:
                return
        self._queue.put(None)
        self._thread.join(timeout=60)
        if self._keeper is not None:
            self._keeper.close()
            self._keeper = None


_Settled = tuple[_Queued, Any, BaseException | None]


def write_batch(engine: Engine, specs: list[_Entry | _Write]) -> list[Outcome]:
    """Write a batch in one transaction; if it fails and holds a ``run`` write, each item
    again in a transaction of its own, so that only the failing one gets the error."""
    try:
        with engine.begin() as conn:
            return [(result, None) for result in _write(conn, specs)]
    except Exception as exc:  # the requests waiting on this commit report the failure
        if len(specs) > 1 and any(isinstance(spec, _Write) for spec in specs):
            return [outcome for spec in specs for outcome in write_batch(engine, [spec])]
        return [(None, exc)] * len(specs)


def _write(conn: Connection, batch: list[_Entry | _Write]) -> list[Any]:
    """Each item's result, in order: runs of audit entries appended together."""
    out: list[Any] = []
    entries: list[_Entry] = []

    def flush() -> None:
        out.extend(audit.append_many(conn, [(e.actor, e.action, e.subject, e.payload) for e in entries]))
        entries.clear()

    works: list[_Write] = []

    def run_works() -> None:
        results = works[0].write(conn, [w.item for w in works]) if works else []
        if len(results) != len(works):
            raise RuntimeError(f"{works[0].write.__name__} returned {len(results)} results for {len(works)} items")
        out.extend(results)
        works.clear()

    for item in batch:
        if isinstance(item, _Entry):
            run_works()
            entries.append(item)
            continue
        flush()
        if works and works[0].write is not item.write:
            run_works()
        works.append(item)
    run_works()
    flush()
    return out


def _resolve(outcomes: list[_Settled]) -> None:
    """On the event loop: hand each waiting request its entry (or the commit's error)."""
    for item, entry, exc in outcomes:
        waiter = item.waiter
        if waiter is None or waiter.done():
            continue
        if exc is not None:
            waiter.set_exception(exc)
        else:
            waiter.set_result(entry)


def _settle_waiters(outcomes: list[_Settled]) -> None:
    by_loop: dict[asyncio.AbstractEventLoop, list[_Settled]] = {}
    for outcome in outcomes:
        waiter = outcome[0].waiter
        if waiter is not None:
            by_loop.setdefault(waiter.get_loop(), []).append(outcome)
    for loop, group in by_loop.items():
        with contextlib.suppress(RuntimeError):  # a closed loop (shutdown): nobody waits any more
            loop.call_soon_threadsafe(_resolve, group)
