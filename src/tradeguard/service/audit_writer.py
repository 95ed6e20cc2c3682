"""Group commit for the audit trail.

Every screening request is written to the hash-chained audit log before its response is
sent. Appends lock the chain head, so concurrent requests would each wait for their own
commit in turn; instead one writer thread takes every entry queued while the previous
commit ran and appends them in a single transaction. A request still waits until its
entry is committed (durable, in order), but sixteen concurrent requests cost one or two
commits rather than sixteen.
"""

from __future__ import annotations

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
            return
        for item, entry in zip(batch, written, strict=True):
            item.future.set_result(entry)

    def close(self) -> None:
        """Commit what is queued and stop the thread."""
        with self._lock:
            if not self._started:
                return
        self._queue.put(None)
        self._thread.join(timeout=60)
