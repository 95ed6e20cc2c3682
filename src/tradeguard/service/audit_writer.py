"""Group commit for the audit trail.

Every screening request is written to the hash-chained audit log before its response is
sent. Appends lock the chain head, so concurrent requests would each wait for their own
commit in turn; instead one writer thread takes every entry queued while the previous
commit ran and appends them in a single transaction. A request still waits until its
entry is committed (durable, in order), but sixteen concurrent requests cost one or two
commits rather than sixteen.
"""

from __future__ import annotations

import asyncio
import contextlib
import queue
import threading
import time
from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine

from tradeguard.store import audit
from tradeguard.store.audit import AuditEntry

MAX_BATCH = 500
# Under concurrent load (the previous batch held several entries), wait this long after the
# first entry for more to arrive: fewer, larger commits cost less CPU per request, which
# matters more than one millisecond when requests are queueing anyway.
LINGER_SECONDS = 0.003


@dataclass
class _Item:
    actor: str
    action: str
    subject: str | None
    payload: dict[str, Any]
    future: Future[AuditEntry] = field(default_factory=Future)
    # set by ``submit_async``: resolved on its event loop, one wake-up per batch and loop
    waiter: asyncio.Future[AuditEntry] | None = None


class AuditWriter:
    """Appends audit entries in batches from one thread; ``write`` blocks until committed."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._queue: queue.Queue[_Item | None] = queue.Queue()
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
        item = _Item(actor, action, subject, payload)
        self._queue.put(item)
        return item.future

    def submit_async(self, actor: str, action: str, payload: dict[str, Any],
                     subject: str | None = None) -> asyncio.Future[AuditEntry]:
        """``submit`` for a coroutine: await the result (the committed entry). The writer
        wakes the event loop once per committed batch rather than once per entry."""
        self._ensure_started()
        waiter: asyncio.Future[AuditEntry] = asyncio.get_running_loop().create_future()
        self._queue.put(_Item(actor, action, subject, payload, waiter=waiter))
        return waiter

    def write(self, actor: str, action: str, payload: dict[str, Any], subject: str | None = None,
              timeout: float = 60.0) -> AuditEntry:
        """Append one entry and wait until it is committed (raises what the commit raised)."""
        return self.submit(actor, action, payload, subject).result(timeout=timeout)

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

    def _commit(self, batch: list[_Item]) -> None:
        try:
            with self.engine.begin() as conn:
                written = audit.append_many(conn, [(i.actor, i.action, i.subject, i.payload) for i in batch])
        except Exception as exc:  # the requests waiting on this commit report the failure
            for item in batch:
                item.future.set_exception(exc)
            _settle_waiters([(item, None, exc) for item in batch if item.waiter is not None])
            return
        for item, entry in zip(batch, written, strict=True):
            item.future.set_result(entry)
        _settle_waiters([(item, entry, None) for item, entry in zip(batch, written, strict=True)
                         if item.waiter is not None])

    def close(self) -> None:
        """Commit what is queued and stop the thread."""
        with self._lock:
            if not self._started:
                return
        self._queue.put(None)
        self._thread.join(timeout=60)


_Outcome = tuple[_Item, AuditEntry | None, BaseException | None]


def _resolve(outcomes: list[_Outcome]) -> None:
    """On the event loop: hand each waiting request its entry (or the commit's error)."""
    for item, entry, exc in outcomes:
        waiter = item.waiter
        if waiter is None or waiter.done():
            continue
        if exc is not None:
            waiter.set_exception(exc)
        elif entry is not None:
            waiter.set_result(entry)


def _settle_waiters(outcomes: list[_Outcome]) -> None:
    by_loop: dict[asyncio.AbstractEventLoop, list[_Outcome]] = {}
    for outcome in outcomes:
        waiter = outcome[0].waiter
        if waiter is not None:
            by_loop.setdefault(waiter.get_loop(), []).append(outcome)
    for loop, group in by_loop.items():
        with contextlib.suppress(RuntimeError):  # a closed loop (shutdown): nobody waits any more
            loop.call_soon_threadsafe(_resolve, group)
