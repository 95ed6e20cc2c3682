"""What one running service holds: the store engine, the screeners, the audit writer.

The screener for the dataset ``default`` (every active list) is built once and rebuilt
when the set of active list versions changes; each request checks that with one small
query (the ids and dates of the stored versions). A screener for a single list (a list key
used as a dataset) is built on first use and dropped on the same change. While a rebuild
runs, requests wait for it: nothing is screened against a superseded version once the
store holds a newer one, and every response names the versions it was screened against.
"""

from __future__ import annotations

import contextlib
import gc
import threading
import time
from dataclasses import dataclass

from sqlalchemy import Engine, select

import tradeguard.store.service_tables  # noqa: F401  (registers the service tables before connect())
from tradeguard.screening.parties import Screener
from tradeguard.screening.payments import PaymentScreener
from tradeguard.service.audit_writer import AuditWriter
from tradeguard.service.throttle import LoginThrottle
from tradeguard.store.db import connect, list_versions
from tradeguard.store.links import ensure_links
from tradeguard.store.lists import VersionInfo, active_versions

DEFAULT_DATASET = "default"
# The hot path (POST /match) re-reads the active versions at most this often: a new list
# version is in force for the service within this many seconds of its load.
RECHECK_SECONDS = 1.0


# A full collection walks every object the collector tracks and has not frozen: a server's
# caches of entities, names and parties, filled by its traffic, tens of thousands of objects.
# With the default (a full pass after 10 middle ones) one ran about once a second under
# load and stopped every request in flight for 30-60 ms on these 2-core machines: 6 or 7
# times in a 10-second payment benchmark. Ten times rarer: young garbage is still
# collected as often, and the long-lived objects are caches that reference counting frees.
FULL_COLLECTION_AFTER = 100  # middle-generation collections between full ones (default 10)


def _freeze_long_lived() -> None:
    """Keep what was just built (an index: a million or more objects; a payment screener's
    indexes and word frequencies) out of the cyclic garbage collector, whose full passes
    over them would stall every request in flight, for tens of milliseconds to over half a
    second, at random. They are still freed by reference counting when replaced."""
    gc.collect()
    gc.freeze()


class UnknownDataset(LookupError):
    """No active list has this key (and it is not ``default``)."""


@dataclass(frozen=True)
class Fingerprint:
    """The active version id of each list: what the screeners were built from."""

    active: tuple[tuple[str, int], ...]

    @property
    def list_keys(self) -> list[str]:
        return [key for key, _id in self.active]


def read_fingerprint(engine: Engine) -> Fingerprint:
    """The active version of every list, from one query (newest list date, later load on a tie)."""
    best: dict[str, tuple[str, int]] = {}
    with engine.connect() as conn:
        for row in conn.execute(select(list_versions.c.id, list_versions.c.list_key, list_versions.c.list_date)):
            key = (row.list_date, row.id)
            if row.list_key not in best or key > best[row.list_key]:
                best[row.list_key] = key
    return Fingerprint(tuple(sorted((k, v[1]) for k, v in best.items())))


def in_memory(engine: Engine) -> bool:
    """A SQLite store held in this process's memory (no file)."""
    return engine.dialect.name == "sqlite" and engine.url.database in (None, "", ":memory:")


def use_wal(engine: Engine) -> None:
    """Put a SQLite store in write-ahead-log mode (kept in the file): the audit trail is
    written on every request, and in the default rollback-journal mode each commit locks
    readers out, so concurrent requests would queue behind it. Commits stay fully synced."""
    if engine.dialect.name != "sqlite" or in_memory(engine):
        return
    with engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA journal_mode=WAL")


class ServiceState:
    def __init__(self, db_url: str | None = None, *, four_eyes: bool | None = None) -> None:
        self.engine: Engine = connect(db_url)
        use_wal(self.engine)
        young, middle, full = gc.get_threshold()
        gc.set_threshold(young, middle, max(FULL_COLLECTION_AFTER, full))
        # None: the store's default ($TRADEGUARD_FOUR_EYES); never set by a client.
        self.four_eyes = four_eyes
        # Keeping commits in a process of its own, beside screening (service/keeper.py);
        # an in-memory store exists in this process only.
        self.audit = AuditWriter(self.engine, process=not in_memory(self.engine))
        self._lock = threading.Lock()
        self._fingerprint: Fingerprint | None = None
        self._screeners: dict[str, Screener] = {}
        self._seen: tuple[float, Fingerprint] | None = None  # (monotonic time, fingerprint read)
        self.warming = False  # the start-up warm-up is running (see ``warm``)
        self.build_seconds: float | None = None
        self.build_error: str | None = None
        self.started_at = time.time()
        # Payment screeners (BIC/LEI indexes, caches) per (screener, threshold).
        self.payment_screeners: dict[tuple[int, float | None], PaymentScreener] = {}
        self.payment_screeners_lock = threading.Lock()  # built once, not by each concurrent request
        self.login_throttle = LoginThrottle()

    # --- screeners ----------------------------------------------------------------------

    def _build(self, fingerprint: Fingerprint, lists: list[str] | None) -> Screener:
        """A screener over the active versions (or those of ``lists``) of ``fingerprint``."""
        wanted = dict(fingerprint.active)
        with self.engine.connect() as conn:
            versions: list[VersionInfo] = [
                v for v in active_versions(conn)
                if wanted.get(v.list_key) == v.id and (lists is None or v.list_key in lists)
            ]
        # The engine also gives the listed parties of its matches (store.links).
        screener = Screener.over_versions(self.engine, versions)
        _freeze_long_lived()
        return screener

    def built_payment_screener(self, screener: Screener, threshold: float | None = None) -> PaymentScreener | None:
        """The PaymentScreener for this screener and threshold if it is built, else None."""
        found = self.payment_screeners.get((id(screener), threshold))
        return found if found is not None and found.screener is screener else None

    def payment_screener(self, screener: Screener, threshold: float | None = None) -> PaymentScreener:
        """One PaymentScreener per screener and threshold, kept while the screener is in
        force (its BIC and LEI indexes and caches are built once)."""
        with self.payment_screeners_lock:
            found = self.built_payment_screener(screener, threshold)
            if found is None:
                if len(self.payment_screeners) > 8:
                    self.payment_screeners.clear()
                found = self.payment_screeners[(id(screener), threshold)] = PaymentScreener(screener, threshold=threshold)
                _freeze_long_lived()
        return found

    def screener(self, dataset: str = DEFAULT_DATASET) -> Screener:
        """The screener for a dataset as the store stands now (rebuilt when it changed)."""
        current = read_fingerprint(self.engine)
        if dataset != DEFAULT_DATASET and dataset not in current.list_keys:
            raise UnknownDataset(dataset)
        with self._lock:
            if current != self._fingerprint:
                started = time.perf_counter()
                try:
                    built = self._build(current, None)
                except Exception as exc:
                    self.build_error = f"{type(exc).__name__}: {exc}"
                    raise
                self._screeners = {DEFAULT_DATASET: built}
                self._fingerprint = current
                self.build_seconds = time.perf_counter() - started
                self.build_error = None
            found = self._screeners.get(dataset)
            if found is None:
                found = self._build(current, [dataset])
                self._screeners[dataset] = found
            return found

    def recent_fingerprint(self) -> Fingerprint:
        """The active versions, read from the store at most every RECHECK_SECONDS."""
        now = time.monotonic()
        seen = self._seen
        if seen is not None and now - seen[0] < RECHECK_SECONDS:
            return seen[1]
        current = read_fingerprint(self.engine)
        self._seen = (now, current)
        return current

    def cached(self, dataset: str = DEFAULT_DATASET) -> Screener | None:
        """The screener for a dataset if it is built for the versions in force (as read at
        most RECHECK_SECONDS ago), else None. No building, at most one small query."""
        current = self.recent_fingerprint()
        if dataset != DEFAULT_DATASET and dataset not in current.list_keys:
            raise UnknownDataset(dataset)
        if current != self._fingerprint:
            return None
        return self._screeners.get(dataset)

    def warm(self) -> None:
        """Build the default screener (with the keys its names are looked up by from other
        scripts: ``NameIndex.prepare_other_scripts``)
        and its payment screener now, and link the listings in force if no load has (called
        at start-up, in a thread): not in the first requests that screen a payment, a name
        written in Cyrillic or raise alerts. Not ready until the screeners are built."""
        self.warming = True
        try:
            with contextlib.suppress(Exception):  # reported by /readyz through build_error
                screener = self.screener(DEFAULT_DATASET)
                screener.matcher.index.prepare_other_scripts()  # (else built by the first such query)
                self.payment_screener(screener)
        finally:
            self.warming = False
        with contextlib.suppress(Exception):  # a request that needs the links reports the error
            ensure_links(self.engine)

    @property
    def ready(self) -> bool:
        """Whether the default screener is built for the versions in force now (and the
        start-up warm-up is over: requests would wait for the interpreter meanwhile)."""
        if self._fingerprint is None or self.warming:
            return False
        return read_fingerprint(self.engine) == self._fingerprint

    @property
    def fingerprint(self) -> Fingerprint | None:
        return self._fingerprint

    def datasets(self) -> list[str]:
        return read_fingerprint(self.engine).list_keys

    def close(self) -> None:
        self.audit.close()
        self.engine.dispose()
