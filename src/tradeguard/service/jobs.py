"""Batch screening jobs: a file of parties screened by the web UI (in a background thread,
its progress polled by the page) or by ``POST /screen`` (streamed to the client as it goes).

Either way the job and its per-row results are written to the store as they come
(:mod:`tradeguard.store.jobs`), so any worker of the service can show a job and its results,
and a server that dies mid-job leaves the job marked interrupted with what it had screened
kept and downloadable. Only the key that started a job can see it.
"""

from __future__ import annotations

import csv
import io
import json
import logging
import tempfile
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from tradeguard.service import screening
from tradeguard.service.state import DEFAULT_DATASET, ServiceState
from tradeguard.store import jobs as store_jobs
from tradeguard.store.jobs import Job

log = logging.getLogger(__name__)

# Results are written a batch at a time: every FLUSH_ROWS rows or FLUSH_SECONDS, whichever
# comes first (so a crash loses at most that much, and the heartbeat stays fresh).
FLUSH_ROWS = 500
FLUSH_SECONDS = 0.5
SHOWN_ROWS = 200  # problem rows and hits shown on the UI's job page


def recorded(engine: Engine, job_id: str, records: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """Pass the records of :func:`screening.screen_batch` through, keeping each in the job.

    The job ends ``done`` when the summary comes (the summary gains the job's id), ``failed``
    when the screening raises, ``stopped`` when the consumer goes away early (a client that
    disconnected); what was screened before is kept in each case."""
    pending: list[dict[str, Any]] = []
    kept = 0
    last = time.monotonic()

    def flush() -> None:
        nonlocal kept, last
        if pending:
            with engine.begin() as conn:
                store_jobs.add_rows(conn, job_id, kept, pending)
            kept += len(pending)
            pending.clear()
        last = time.monotonic()

    def finish(status: str, *, summary: dict[str, Any] | None = None, failure: str | None = None) -> None:
        flush()
        with engine.begin() as conn:
            store_jobs.finish_job(conn, job_id, status, summary=summary, failure=failure)

    try:
        for record in records:
            if "summary" in record:
                record["summary"]["job"] = job_id
                finish("done", summary=record["summary"])
                yield record
                continue
            pending.append(record)
            if len(pending) >= FLUSH_ROWS or time.monotonic() - last >= FLUSH_SECONDS:
                flush()
            yield record
    except GeneratorExit:
        _finish_quietly(finish, "stopped", "the client went away before the end")
        raise
    except Exception as exc:
        _finish_quietly(finish, "failed", f"{type(exc).__name__}: {exc}")
        raise
    finally:
        close = getattr(records, "close", None)
        if close is not None:
            close()


def _finish_quietly(finish: Any, status: str, failure: str) -> None:
    """End the job without hiding the error that ended it (the store may be what failed)."""
    try:
        finish(status, failure=failure)
    except Exception:
        log.exception("could not record the end of a batch job (%s: %s)", status, failure)


def create(state: ServiceState, owner: str, batch: screening.BatchFile, *, origin: str,
           dataset: str = DEFAULT_DATASET, threshold: float | None = None) -> str:
    with state.engine.begin() as conn:
        return store_jobs.create_job(conn, owner=owner, origin=origin, filename=batch.filename,
                                     sha256=batch.sha256, dataset=dataset, threshold=threshold,
                                     total=len(batch.rows))


def start_ui_job(state: ServiceState, owner: str, data: bytes, filename: str, threshold: float | None) -> Job:
    """Read the uploaded file now (BadRequest if it cannot be read at all), screen it in a
    thread; the job as it starts."""
    with tempfile.TemporaryDirectory(prefix="tradeguard-ui-batch-") as tmp:
        path = Path(tmp) / f"upload{screening.suffix_for(filename, data[:8])}"
        path.write_bytes(data)
        batch = screening.read_batch(path, filename)
    job_id = create(state, owner, batch, origin="ui", threshold=threshold)

    def run() -> None:
        records = screening.screen_batch(state, owner, batch, threshold=threshold, endpoint="/ui/batch")
        try:
            for _record in recorded(state.engine, job_id, records):
                pass
        except Exception:  # recorded() kept the failure in the job, shown on its page
            log.exception("batch job %s failed", job_id)

    threading.Thread(target=run, name=f"tradeguard-job-{job_id}", daemon=True).start()
    found = get(state, job_id, owner)
    assert found is not None
    return found


def get(state: ServiceState, job_id: str, owner: str) -> Job | None:
    """``owner``'s job (None when there is none); a job whose server stopped is marked
    interrupted first."""
    with state.engine.begin() as conn:
        store_jobs.mark_interrupted(conn, owner=owner)
        return store_jobs.get_job(conn, job_id, owner)


def recent(state: ServiceState, owner: str, limit: int = 20) -> list[Job]:
    with state.engine.begin() as conn:
        store_jobs.mark_interrupted(conn, owner=owner)
        return store_jobs.list_jobs(conn, owner, limit)


def shown_rows(state: ServiceState, job: Job) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The first problem rows and the first rows with matches, for the job's page."""
    with state.engine.connect() as conn:
        problems = store_jobs.rows_page(conn, job.id, -1, SHOWN_ROWS, kinds=["error"])
        hits = store_jobs.rows_page(conn, job.id, -1, SHOWN_ROWS, kinds=["match"])
    return [r for _, r in problems], [r for _, r in hits]


def rows(engine: Engine, job_id: str, chunk: int = 2000) -> Iterator[dict[str, Any]]:
    """Every kept row of a job in file order, a chunk (and a connection) at a time, so a
    response can stream them from any thread."""
    after = -1
    while True:
        with engine.connect() as conn:
            page = store_jobs.rows_page(conn, job_id, after, chunk)
        for _seq, record in page:
            yield record
        if len(page) < chunk:
            return
        after = page[-1][0]


def results_jsonl(records: Iterable[dict[str, Any]]) -> Iterator[str]:
    for r in records:
        yield json.dumps(r, ensure_ascii=False, default=str) + "\n"


CSV_COLUMNS = ["line", "id", "name", "error", "rank", "score", "list", "entity_id", "listed_name", "matched_name", "name_kind"]


def results_csv(records: Iterable[dict[str, Any]]) -> Iterator[str]:
    """One row per match (a party without matches: one row with empty match columns)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for r in records:
        base = [r.get("line"), r.get("id"), r.get("name", ""), r.get("error", "")]
        matches = r.get("matches") or []
        if not matches:
            writer.writerow([*base, "", "", "", "", "", "", ""])
        for rank, m in enumerate(matches, start=1):
            writer.writerow([*base, rank, m.get("score"), m.get("list"), m.get("entity_id"), m.get("name"),
                             m.get("matched_name"), m.get("name_kind")])
        if out.tell() > 1 << 16:
            yield out.getvalue()
            out.seek(0)
            out.truncate()
    yield out.getvalue()
