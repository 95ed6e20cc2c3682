"""Backing a store up, and restoring it.

* SQLite: SQLite's online backup API copies the store page by page into a new SQLite file
  while the server keeps running (a consistent snapshot: writers wait only for each step).
  The copy is written beside its destination and renamed into place, so a failed backup
  never leaves half a file under the backup's name.
* PostgreSQL: ``pg_dump --format=custom`` (restored with ``pg_restore``; the file is what
  PostgreSQL's own tools read, so an operator can also restore it by hand). The client tools
  come with Debian's PostgreSQL packages.

A backup is checked as it is made: its audit chain is verified (on the copy for SQLite, on
the store as dumped for PostgreSQL) and reported with its head. A restore refuses a file
that is not a tradeguard backup, or whose audit chain is broken, and refuses to replace a
store that holds data unless told to (``force``); after it, the restored chain is verified.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, func, inspect, select
from sqlalchemy.engine import Engine, make_url

from tradeguard.store import audit
from tradeguard.store.db import list_versions, resolve_url

SQLITE_HEADER = b"SQLite format 3\x00"
PG_DUMP_HEADER = b"PGDMP"
# Tables a tradeguard store always has: a SQLite file without them is not a backup of one.
REQUIRED_TABLES = ("list_versions", "audit_log")
STEP_PAGES = 1024  # pages copied per step of SQLite's online backup


class BackupError(RuntimeError):
    """A backup or a restore that cannot be done, with the reason (nothing was changed)."""


@dataclass(frozen=True)
class BackupReport:
    """What a backup or a restore did: the file, the store, and the state of the copy."""

    path: Path
    url: str  # the store, password hidden
    backend: str  # sqlite | postgresql
    size: int  # bytes of the backup file
    list_versions: int
    audit_entries: int
    audit_head: str | None
    audit_ok: bool
    audit_reason: str
    seconds: float

    def to_dict(self) -> dict[str, object]:
        return {"path": str(self.path), "store": self.url, "backend": self.backend, "bytes": self.size,
                "list_versions": self.list_versions, "audit_entries": self.audit_entries,
                "audit_head": self.audit_head, "audit_ok": self.audit_ok, "audit": self.audit_reason,
                "seconds": round(self.seconds, 2)}


def _shown(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def _sqlite_path(url: str) -> Path:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError(f"{_shown(url)}: an in-memory SQLite store cannot be backed up or restored")
    return Path(database)


def _pg_uri(url: str) -> str:
    """The URL as libpq (pg_dump, pg_restore) reads it: without SQLAlchemy's driver name."""
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _state(engine: Engine) -> tuple[int, int, str | None, bool, str]:
    """(list versions, audit entries, audit head hash, chain ok, what verify says)."""
    names = set(inspect(engine).get_table_names())
    missing = [t for t in REQUIRED_TABLES if t not in names]
    if missing:
        raise BackupError(f"not a tradeguard store: no table {', '.join(missing)}")
    with engine.connect() as conn:
        versions = int(conn.execute(select(func.count()).select_from(list_versions)).scalar_one())
        result = audit.verify(conn)
        seq, head = audit.head(conn)
    return versions, int(seq), head, result.ok, result.reason


def _report(path: Path, url: str, backend: str, engine: Engine, started: float) -> BackupReport:
    versions, entries, head, ok, reason = _state(engine)
    return BackupReport(path, _shown(url), backend, path.stat().st_size, versions, entries, head, ok, reason,
                        time.perf_counter() - started)


def _run(command: list[str], what: str) -> None:
    tool = command[0]
    if shutil.which(tool) is None:
        raise BackupError(f"{what} needs `{tool}` (PostgreSQL's client tools: Debian package postgresql-client)")
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()
        raise BackupError(f"{what}: {tool} failed: {detail[-1] if detail else f'exit code {done.returncode}'}")


# --- backup ---------------------------------------------------------------------------------


def backup(url: str | None, path: Path, *, overwrite: bool = False) -> BackupReport:
    """Back the store at ``url`` (default: ``$TRADEGUARD_DB``) up into ``path``."""
    url = resolve_url(url)
    path = Path(path)
    if path.exists() and not overwrite:
        raise BackupError(f"{path}: exists already (choose a new name, or overwrite it)")
    if not path.parent.is_dir():
        raise BackupError(f"{path}: no folder {path.parent}")
    started = time.perf_counter()
    partial = path.with_name(f".{path.name}.partial")
    backend = make_url(url).get_backend_name()
    try:
        if backend == "sqlite":
            source_path = _sqlite_path(url)
            if not source_path.is_file():
                raise BackupError(f"{_shown(url)}: no such store")
            partial.unlink(missing_ok=True)
            source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True)
            target = sqlite3.connect(partial)
            try:
                source.backup(target, pages=STEP_PAGES)
            finally:
                target.close()
                source.close()
            os.replace(partial, path)
            copy = create_engine(f"sqlite:///{path}")
            try:
                return _report(path, url, backend, copy, started)
            finally:
                copy.dispose()
        if backend == "postgresql":
            _run(["pg_dump", "--format=custom", "--no-owner", f"--file={partial}", f"--dbname={_pg_uri(url)}"],
                 f"backing up {_shown(url)}")
            os.replace(partial, path)
            live = create_engine(url)
            try:
                return _report(path, url, backend, live, started)
            finally:
                live.dispose()
        raise BackupError(f"{_shown(url)}: backups are made of SQLite and PostgreSQL stores only")
    finally:
        partial.unlink(missing_ok=True)


# --- restore --------------------------------------------------------------------------------


def _kind_of(path: Path) -> str:
    if not path.is_file():
        raise BackupError(f"{path}: no such backup file")
    with open(path, "rb") as fh:
        head = fh.read(len(SQLITE_HEADER))
    if head.startswith(SQLITE_HEADER):
        return "sqlite"
    if head.startswith(PG_DUMP_HEADER):
        return "postgresql"
    raise BackupError(f"{path}: not a tradeguard backup (neither a SQLite file nor a pg_dump custom-format file)")


def _holds_data(engine: Engine) -> bool:
    names = set(inspect(engine).get_table_names())
    if not names & set(REQUIRED_TABLES):
        return False
    versions, entries, _head, _ok, _reason = _state(engine)
    return versions > 0 or entries > 0


def restore(url: str | None, path: Path, *, force: bool = False) -> BackupReport:
    """Replace the store at ``url`` with the backup at ``path`` (made by :func:`backup` for
    the same kind of store). Refused when the store holds data and ``force`` is not set."""
    url = resolve_url(url)
    path = Path(path)
    kind = _kind_of(path)
    backend = make_url(url).get_backend_name()
    if kind != backend:
        raise BackupError(f"{path}: a {kind} backup cannot be restored into a {backend} store ({_shown(url)})")
    started = time.perf_counter()
    if backend == "sqlite":
        copy = create_engine(f"sqlite:///{path}")
        try:
            _versions, _entries, _head, ok, reason = _state(copy)
        finally:
            copy.dispose()
        if not ok:
            raise BackupError(f"{path}: its audit chain is broken ({reason}): not restored")
        target_path = _sqlite_path(url)
        if not target_path.parent.is_dir():
            raise BackupError(f"{_shown(url)}: no folder {target_path.parent}")
        target = create_engine(url)
        try:
            if target_path.is_file() and _holds_data(target) and not force:
                raise BackupError(f"{_shown(url)} holds data: restoring would replace it (use force to do so)")
        finally:
            target.dispose()
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        destination = sqlite3.connect(target_path, timeout=30)
        try:
            source.backup(destination)  # one step: the store changes at once, or not at all
        finally:
            destination.close()
            source.close()
    elif backend == "postgresql":
        target = create_engine(url)
        try:
            if _holds_data(target) and not force:
                raise BackupError(f"{_shown(url)} holds data: restoring would replace it (use force to do so)")
        finally:
            target.dispose()
        _run(["pg_restore", "--list", str(path)], f"reading {path}")
        _run(["pg_restore", "--clean", "--if-exists", "--no-owner", "--single-transaction",
              f"--dbname={_pg_uri(url)}", str(path)], f"restoring {path} into {_shown(url)}")
    else:
        raise BackupError(f"{_shown(url)}: backups are restored into SQLite and PostgreSQL stores only")
    restored = create_engine(url)
    try:
        report = _report(path, url, backend, restored, started)
    finally:
        restored.dispose()
    if not report.audit_ok:
        raise BackupError(f"{_shown(url)}: restored, but its audit chain does not verify: {report.audit_reason}")
    return report
