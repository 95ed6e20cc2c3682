"""Batch jobs in the store (SQLite and PostgreSQL): rows kept in order with their counters,
and a running job found interrupted exactly when the process running it is gone."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from sqlalchemy import update

from tradeguard.store import jobs
from tradeguard.store.db import connect


def _new_job(conn: object, total: int = 4) -> str:
    return jobs.create_job(conn, owner="k1", origin="api", filename="book.csv", sha256="0" * 64,  # type: ignore[arg-type]
                           dataset="default", threshold=None, total=total)


def test_rows_are_kept_in_order_with_their_counts(store_url: str) -> None:
    engine = connect(store_url)
    with engine.begin() as conn:
        job_id = _new_job(conn)
        jobs.add_rows(conn, job_id, 0, [{"line": 2, "id": "a", "matches": [{"entity_id": "x"}]},
                                        {"line": 3, "id": "b", "error": "no name"}])
        jobs.add_rows(conn, job_id, 2, [{"line": 4, "id": "c", "matches": []}])
    with engine.connect() as conn:
        job = jobs.get_job(conn, job_id, "k1")
        assert job is not None and (job.status, job.done, job.errors, job.with_matches) == ("running", 3, 1, 1)
        assert job.percent == 75 and not job.has_results
        assert [r["id"] for _, r in jobs.rows_page(conn, job_id, -1, 10)] == ["a", "b", "c"]
        assert [r["id"] for _, r in jobs.rows_page(conn, job_id, 0, 1)] == ["b"]
        assert [r["id"] for _, r in jobs.rows_page(conn, job_id, -1, 10, kinds=["match"])] == ["a"]
        assert jobs.get_job(conn, job_id, "someone else") is None
    with engine.begin() as conn:
        jobs.finish_job(conn, job_id, "done", summary={"rows": 4})
        jobs.finish_job(conn, job_id, "failed", failure="too late")  # an ended job stays as it ended
    with engine.connect() as conn:
        job = jobs.get_job(conn, job_id)
        assert job is not None and job.status == "done" and job.summary == {"rows": 4} and job.failure is None
        assert [j.id for j in jobs.list_jobs(conn, "k1")] == [job_id]
    with pytest.raises(ValueError, match="not 'running'"), engine.begin() as conn:
        jobs.finish_job(conn, job_id, "running")
    engine.dispose()


def test_a_job_is_interrupted_only_when_its_process_is_gone(store_url: str) -> None:
    engine = connect(store_url)
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True)
    host = jobs.this_runner().split(":")[0]
    with engine.begin() as conn:
        mine, dead_pid, earlier_me, remote_fresh, remote_stale = (_new_job(conn) for _ in range(5))
        runners = {
            dead_pid: (f"{host}:{dead.stdout.strip()}:abcd", time.time()),
            earlier_me: (jobs.this_runner().rsplit(":", 1)[0] + ":notme", time.time()),  # our pid, another process
            remote_fresh: ("elsewhere:123:abcd", time.time()),
            remote_stale: ("elsewhere:123:abcd", time.time() - jobs.STALE_SECONDS - 5),
        }
        for job_id, (runner, beat) in runners.items():
            conn.execute(update(jobs.batch_jobs).where(jobs.batch_jobs.c.id == job_id)
                         .values(runner=runner, heartbeat=beat))
        jobs.add_rows(conn, dead_pid, 0, [{"line": 2, "id": "a", "matches": []}])
    with engine.begin() as conn:
        assert jobs.mark_interrupted(conn, owner="k1") == 3
        assert jobs.mark_interrupted(conn) == 0
    with engine.connect() as conn:
        status = {j: jobs.get_job(conn, j) for j in (mine, dead_pid, earlier_me, remote_fresh, remote_stale)}
    assert {j: s.status for j, s in status.items() if s} == {
        mine: "running", dead_pid: "failed", earlier_me: "failed", remote_fresh: "running", remote_stale: "failed"}
    failed = status[dead_pid]
    assert failed is not None and failed.failure is not None
    assert failed.failure.startswith("interrupted") and "after 1 of 4 rows" in failed.failure and failed.has_results
    engine.dispose()
