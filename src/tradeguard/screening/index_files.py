"""The matching index of each set of list versions, built once and kept beside the store.

A :class:`~tradeguard.matching.Matcher` over the lists in force takes seconds to build
(minutes at a million entities) and is the same for every process that screens against
the same versions. It is built when a list version is loaded (``lists load``, ``lists
update``) and saved to a folder named after the versions it holds and the matching code
that built it (:meth:`Matcher.save`); every CLI call, server and worker then opens that
folder memory-mapped (:meth:`Matcher.open`), sharing one copy of its pages.

Where the folders live: ``$TRADEGUARD_INDEX_DIR`` when set; otherwise beside a SQLite
store (``tradeguard.db`` -> ``tradeguard.db.index/``), or for a PostgreSQL store under
``~/.cache/tradeguard/index/`` in a folder per database. A folder that is missing,
incomplete or written by other matching code is never used: it is rebuilt, with a message.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import tempfile
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path

from sqlalchemy import Engine

from tradeguard.matching import Matcher
from tradeguard.matching.engine import MANIFEST, StaleIndex, engine_signature
from tradeguard.store.lists import VersionInfo, active_versions, iter_version_entities

log = logging.getLogger("tradeguard.index")

INDEX_DIR_ENV = "TRADEGUARD_INDEX_DIR"
BUILD_LOCK = ".build.lock"
KEEP_FOLDERS = 4  # index folders kept per store (the newest): older version sets are removed


def index_home(engine: Engine) -> Path | None:
    """The folder that holds the store's index folders; None for an in-memory store."""
    configured = os.environ.get(INDEX_DIR_ENV)
    url = engine.url
    if configured:
        return Path(configured).expanduser()
    if url.get_backend_name() == "sqlite":
        if url.database in (None, "", ":memory:"):
            return None
        return Path(f"{url.database}.index")
    plain = url.render_as_string(hide_password=True)
    return Path.home() / ".cache" / "tradeguard" / "index" / hashlib.sha256(plain.encode()).hexdigest()[:16]


def index_name(versions: Sequence[VersionInfo]) -> str:
    """The folder name of the index over ``versions``: their identity and content, and the
    matching code's signature (so an upgrade never reads an older index)."""
    digest = hashlib.sha256(engine_signature().encode())
    for v in sorted(versions, key=lambda v: (v.list_key, v.id)):
        digest.update(f"{v.list_key}|{v.id}|{v.sha256}|{v.entity_count}|{v.loaded_at}\n".encode())
    return "index-" + digest.hexdigest()[:24]


def _build(engine: Engine, versions: Sequence[VersionInfo]) -> Matcher:
    with engine.connect() as conn:
        entities = [e for v in versions for e in iter_version_entities(conn, v.id)]
    return Matcher(entities, reuse=_newest_saved(index_home(engine)))


def _newest_saved(home: Path | None) -> Matcher | None:
    """The most recently saved index that this code can open (its normalised names are
    reused by the next build), or None."""
    if home is None or not home.is_dir():
        return None
    for folder in sorted(home.glob("index-*"), key=lambda p: p.stat().st_mtime, reverse=True):
        try:
            return Matcher.open(folder)
        except (StaleIndex, OSError):
            continue
    return None


def matcher_for(engine: Engine, versions: Sequence[VersionInfo]) -> Matcher:
    """The matcher over ``versions`` of the store behind ``engine``: opened from its index
    folder, or built (and saved there for the next process) when that is missing or stale."""
    home = index_home(engine)
    if home is None:
        return _build(engine, versions)
    folder = home / index_name(versions)
    if folder.exists():
        try:
            return Matcher.open(folder)
        except StaleIndex as exc:
            log.warning("the saved index cannot be used (%s): rebuilding it", exc)
            shutil.rmtree(folder, ignore_errors=True)
    else:
        log.warning("no saved index for the lists in force (%s) yet: building it once (or waiting for the "
                    "process that is), in %s",
                    ", ".join(f"{v.list_key} v{v.id}" for v in versions) or "none", folder)
    return build_index(engine, versions)


def build_index(engine: Engine, versions: Sequence[VersionInfo]) -> Matcher:
    """Build the matcher over ``versions`` and save it. Builders take turns (a lock file in
    the index folder's home): a process that needs the index another is building (a server
    that sees a list version that ``lists load`` is still indexing) waits for it and opens
    it, rather than building a second copy in its own memory. The index is written to a
    temporary folder and renamed into place, so a reader sees either no folder or a whole one."""
    home = index_home(engine)
    if home is None:
        return _build(engine, versions)
    folder = home / index_name(versions)
    with _builders_turn(home):
        if folder.exists():
            try:
                return Matcher.open(folder)
            except StaleIndex:
                shutil.rmtree(folder, ignore_errors=True)
        matcher = _build(engine, versions)
        started = time.perf_counter()
        scratch = home / f".building-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        try:
            matcher.save(scratch)
            os.rename(scratch, folder)
        except OSError as exc:
            shutil.rmtree(scratch, ignore_errors=True)
            if not folder.exists():
                log.warning("the index could not be saved in %s (%s): this process uses it unsaved", home, exc)
            return matcher
    log.info("index saved in %s (%.1f s)", folder, time.perf_counter() - started)
    prune(home, keep=folder)
    return matcher


def indexing(engine: Engine) -> AbstractContextManager[None]:
    """Hold the build lock of the store's index home: ``lists load`` holds it from before a
    new version is in force until its index is saved, so that a server which sees the new
    version waits for that index and opens it (instead of building a copy of its own)."""
    home = index_home(engine)
    return _builders_turn(home) if home is not None else nullcontext()


_turns = threading.local()  # the homes whose build lock this thread holds, with their depth


@contextmanager
def _builders_turn(home: Path) -> Iterator[None]:
    """Hold the build lock of ``home`` (``.build.lock``, flock: released when the process
    dies), re-entrant within a thread. Without a writable home or flock, builders do not
    wait for each other."""
    held: dict[Path, int] = _turns.__dict__.setdefault("held", {})
    if held.get(home):
        held[home] += 1
        try:
            yield
        finally:
            held[home] -= 1
        return
    try:
        home.mkdir(parents=True, exist_ok=True)
        handle = open(home / BUILD_LOCK, "a+b")  # noqa: SIM115 (held across the build)
    except OSError:
        yield
        return
    try:
        try:
            import fcntl

            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        except (ImportError, OSError):
            pass
        held[home] = 1
        yield
    finally:
        held.pop(home, None)
        handle.close()  # releases the lock


def saved_index(engine: Engine, versions: Sequence[VersionInfo]) -> Path:
    """The folder of the saved index over ``versions`` (built and saved first when it is
    missing or stale), for processes that open it elsewhere (Spark executors). An in-memory
    store's index is saved to a temporary folder."""
    home = index_home(engine)
    if home is None:
        folder = Path(tempfile.mkdtemp(prefix="tradeguard-index-")) / index_name(versions)
        _build(engine, versions).save(folder)
        return folder
    folder = home / index_name(versions)
    try:
        Matcher.open(folder)
    except StaleIndex:
        shutil.rmtree(folder, ignore_errors=True)
        build_index(engine, versions)
    if not (folder / MANIFEST).is_file():
        raise OSError(f"the index could not be saved in {home}")
    return folder


def ensure_index(engine: Engine) -> tuple[Path | None, float]:
    """After list loads: the index over the lists now in force, built and saved unless it
    is already (the folder, or None for an in-memory store or when it could not be saved;
    the seconds it took)."""
    started = time.perf_counter()
    if index_home(engine) is None:
        return None, 0.0
    with engine.connect() as conn:
        versions = active_versions(conn)
    try:
        folder: Path | None = saved_index(engine, versions)
    except OSError:
        folder = None  # build_index said why
    return folder, time.perf_counter() - started


def prune(home: Path, keep: Path, count: int = KEEP_FOLDERS) -> None:
    """Remove all but the newest ``count`` index folders (never ``keep``), and scratch
    folders of builders that died. A process that still has a removed index open keeps
    reading it: its files live on until it closes them."""
    folders = sorted((p for p in home.glob("index-*") if p.is_dir()), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in [p for p in folders if p != keep][count - 1:]:
        shutil.rmtree(old, ignore_errors=True)
    for scratch in home.glob(".building-*"):
        pid = scratch.name.split("-")[1]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(scratch, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
