"""Batch screening jobs in the store: a file of parties screened by the web UI or by
``POST /screen``, its progress and its per-row results, written as the job runs.

Keeping them here rather than in a server's memory means every worker of ``tradeguard
serve --workers N`` sees every job, and a server that dies mid-job loses nothing it had
screened: the job is found **interrupted** (status ``failed``, with the reason) by the next
process that reads it, and what was done stays downloadable.

A job is interrupted when the process running it is gone: on the same host its process id
no longer runs (or now belongs to another process of ours, after a restart reused it);
elsewhere, its heartbeat (written with every batch of results) is older than
:data:`STALE_SECONDS`.
"""

from __future__ import annotations

import json
import os
import secrets
import socket
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    Column,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    select,
    update,
)
from sqlalchemy.engine import Connection

from tradeguard.store.db import metadata

STALE_SECONDS = 120.0
STATUSES = ("running", "done", "failed", "stopped")
# What a kept row is, so the UI can show the problem rows and the hits without reading all.
ROW_KINDS = ("error", "match", "clear")

batch_jobs = Table(
    "batch_jobs",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("owner", String(200), nullable=False, index=True),  # the API key id that started it
    Column("origin", String(16), nullable=False),  # "ui" or "api"
    Column("file_name", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("dataset", String(100), nullable=False),
    Column("threshold", Float),
    Column("total", Integer, nullable=False),  # rows in the file
    Column("done", Integer, nullable=False),  # rows with a kept result
    Column("errors", Integer, nullable=False),
    Column("with_matches", Integer, nullable=False),
    Column("status", String(16), nullable=False),  # one of STATUSES
    Column("failure", Text),
    Column("summary", Text),  # JSON, when done
    Column("created_at", String(40), nullable=False),
    Column("finished_at", String(40)),
    Column("runner", String(200), nullable=False),  # host:pid:token of the process running it
    Column("heartbeat", Float, nullable=False),  # epoch seconds of its last write
)

batch_job_rows = Table(
    "batch_job_rows",
    metadata,
    Column("job_id", String(32), ForeignKey("batch_jobs.id"), primary_key=True),
    Column("seq", Integer, primary_key=True, autoincrement=False),  # 0-based, in file order
    Column("kind", String(8), nullable=False),  # one of ROW_KINDS
    Column("record", Text, nullable=False),  # JSON, as the API streams it
)
Index("ix_batch_job_rows_kind", batch_job_rows.c.job_id, batch_job_rows.c.kind, batch_job_rows.c.seq)

_TOKEN = secrets.token_hex(4)  # tells this process from an earlier one that had its pid


def this_runner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{_TOKEN}"


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Job:
    """A job as read from the store."""

    id: str
    owner: str
    origin: str
    filename: str
    sha256: str
    dataset: str
    threshold: float | None
    total: int
    done: int
    errors: int
    with_matches: int
    status: str
    failure: str | None
    summary: dict[str, Any] | None
    created_at: str
    finished_at: str | None

    @property
    def percent(self) -> int:
        return 100 if self.total == 0 else int(100 * self.done / self.total)

    @property
    def has_results(self) -> bool:
        """Finished (well or not) with rows to download."""
        return self.status != "running" and self.done > 0

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "origin": self.origin, "file": self.filename, "sha256": self.sha256,
                "dataset": self.dataset, "threshold": self.threshold, "status": self.status,
                "failure": self.failure, "rows": self.total, "done": self.done, "errors": self.errors,
                "with_matches": self.with_matches, "created_at": self.created_at,
                "finished_at": self.finished_at, "summary": self.summary}


def _job(row: Any) -> Job:
    return Job(row.id, row.owner, row.origin, row.file_name, row.sha256, row.dataset, row.threshold, row.total,
               row.done, row.errors, row.with_matches, row.status, row.failure,
               json.loads(row.summary) if row.summary else None, row.created_at, row.finished_at)


def create_job(conn: Connection, *, owner: str, origin: str, filename: str, sha256: str, dataset: str,
               threshold: float | None, total: int) -> str:
    """A new running job, run by this process; its id."""
    job_id = secrets.token_urlsafe(12)
    conn.execute(batch_jobs.insert().values(
        id=job_id, owner=owner, origin=origin, file_name=filename, sha256=sha256, dataset=dataset,
        threshold=threshold, total=total, done=0, errors=0, with_matches=0, status="running",
        created_at=_now(), runner=this_runner(), heartbeat=time.time(),
    ))
    return job_id


def row_kind(record: dict[str, Any]) -> str:
    return "error" if record.get("error") else "match" if record.get("matches") else "clear"


def add_rows(conn: Connection, job_id: str, first_seq: int, records: list[dict[str, Any]]) -> None:
    """Keep the next results of a job (``first_seq`` is the job's ``done`` before them) and
    move its counters and heartbeat on, in the caller's transaction."""
    if not records:
        return
    kinds = [row_kind(r) for r in records]
    conn.execute(batch_job_rows.insert(), [
        {"job_id": job_id, "seq": first_seq + i, "kind": kind,
         "record": json.dumps(r, ensure_ascii=False, default=str)}
        for i, (r, kind) in enumerate(zip(records, kinds, strict=True))
    ])
    conn.execute(update(batch_jobs).where(batch_jobs.c.id == job_id).values(
        done=batch_jobs.c.done + len(records),
        errors=batch_jobs.c.errors + kinds.count("error"),
        with_matches=batch_jobs.c.with_matches + kinds.count("match"),
        heartbeat=time.time(),
    ))


def finish_job(conn: Connection, job_id: str, status: str, *, summary: dict[str, Any] | None = None,
               failure: str | None = None) -> None:
    if status not in STATUSES or status == "running":
        raise ValueError(f"a job finishes done, failed or stopped, not {status!r}")
    conn.execute(update(batch_jobs).where(batch_jobs.c.id == job_id, batch_jobs.c.status == "running").values(
        status=status, failure=failure, finished_at=_now(), heartbeat=time.time(),
        summary=json.dumps(summary, ensure_ascii=False, sort_keys=True, default=str) if summary else None,
    ))


def _gone(runner: str, heartbeat: float, now: float, stale_seconds: float) -> bool:
    """Whether the process that ran a job is no longer running it."""
    host, _, rest = runner.partition(":")
    pid_text, _, token = rest.partition(":")
    if host == socket.gethostname() and pid_text.isdigit():
        pid = int(pid_text)
        if pid == os.getpid():
            return token != _TOKEN
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        except PermissionError:  # a process of another user has that pid now
            return True
    return now - heartbeat > stale_seconds


def mark_interrupted(conn: Connection, *, owner: str | None = None, stale_seconds: float = STALE_SECONDS) -> int:
    """Mark the running jobs whose process is gone as failed (what they did is kept); how
    many. Only ``owner``'s jobs when given."""
    query = select(batch_jobs.c.id, batch_jobs.c.runner, batch_jobs.c.heartbeat, batch_jobs.c.done,
                   batch_jobs.c.total).where(batch_jobs.c.status == "running")
    if owner is not None:
        query = query.where(batch_jobs.c.owner == owner)
    now = time.time()
    marked = 0
    for row in conn.execute(query).all():
        if not _gone(row.runner, row.heartbeat, now, stale_seconds):
            continue
        result = conn.execute(
            update(batch_jobs)
            .where(batch_jobs.c.id == row.id, batch_jobs.c.status == "running", batch_jobs.c.runner == row.runner)
            .values(status="failed", finished_at=_now(),
                    failure=(f"interrupted: the server running it stopped after {row.done} of {row.total} rows "
                             "(their results are kept; screen the file again for the rest)"))
        )
        marked += result.rowcount or 0
    return marked


def get_job(conn: Connection, job_id: str, owner: str | None = None) -> Job | None:
    """The job (None when there is none, or it is not ``owner``'s)."""
    row = conn.execute(select(batch_jobs).where(batch_jobs.c.id == job_id)).first()
    if row is None or (owner is not None and row.owner != owner):
        return None
    return _job(row)


def list_jobs(conn: Connection, owner: str | None = None, limit: int = 20) -> list[Job]:
    """Jobs, newest first (``owner``'s only when given)."""
    query = select(batch_jobs)
    if owner is not None:
        query = query.where(batch_jobs.c.owner == owner)
    rows = conn.execute(query.order_by(batch_jobs.c.created_at.desc(), batch_jobs.c.id).limit(limit))
    return [_job(r) for r in rows]


def rows_page(conn: Connection, job_id: str, after: int, limit: int, kinds: Iterable[str] | None = None,
              ) -> list[tuple[int, dict[str, Any]]]:
    """Up to ``limit`` kept results of a job after row ``after`` (-1: from the start) in file
    order, as (seq, record); only rows of ``kinds`` when given."""
    query = select(batch_job_rows.c.seq, batch_job_rows.c.record).where(
        batch_job_rows.c.job_id == job_id, batch_job_rows.c.seq > after)
    if kinds is not None:
        query = query.where(batch_job_rows.c.kind.in_(list(kinds)))
    rows = conn.execute(query.order_by(batch_job_rows.c.seq).limit(limit))
    return [(int(r.seq), json.loads(r.record)) for r in rows]
