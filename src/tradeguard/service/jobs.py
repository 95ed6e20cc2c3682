"""Batch screening jobs for the web UI: a file screened in a background thread, its
progress polled by the page, its results downloaded as JSON lines or CSV.

Jobs live in memory (results too) for an hour after they finish, and only the key that
started a job can see it. The API's ``POST /screen`` streams instead and keeps nothing.
"""

from __future__ import annotations

import csv
import io
import json
import secrets
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tradeguard.service import screening
from tradeguard.service.state import ServiceState

KEEP_SECONDS = 3600
MAX_JOBS = 50


@dataclass
class Job:
    id: str
    owner: str
    filename: str
    total: int
    threshold: float | None
    done: int = 0
    errors: int = 0
    with_matches: int = 0
    status: str = "running"  # running | done | failed
    failure: str | None = None
    records: list[dict[str, Any]] = field(default_factory=list)
    summary: dict[str, Any] | None = None
    created: float = field(default_factory=time.time)
    finished: float | None = None

    @property
    def percent(self) -> int:
        return 100 if self.total == 0 else int(100 * self.done / self.total)


class JobRegistry:
    def __init__(self) -> None:
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()

    def _prune(self) -> None:
        now = time.time()
        for job_id, job in list(self._jobs.items()):
            if job.finished is not None and now - job.finished > KEEP_SECONDS:
                del self._jobs[job_id]
        while len(self._jobs) >= MAX_JOBS:
            oldest = min(self._jobs.values(), key=lambda j: j.created)
            del self._jobs[oldest.id]

    def get(self, job_id: str, owner: str) -> Job | None:
        with self._lock:
            job = self._jobs.get(job_id)
        return job if job is not None and job.owner == owner else None

    def start(self, state: ServiceState, owner: str, data: bytes, filename: str, threshold: float | None) -> Job:
        """Read the file now (BadRequest if it cannot be read at all), screen it in a thread."""
        tmp = tempfile.TemporaryDirectory(prefix="tradeguard-ui-batch-")
        try:
            path = Path(tmp.name) / f"upload{screening.suffix_for(filename, data[:8])}"
            path.write_bytes(data)
            batch = screening.read_batch(path, filename)
        finally:
            tmp.cleanup()
        job = Job(secrets.token_urlsafe(12), owner, filename, len(batch.rows), threshold)
        with self._lock:
            self._prune()
            self._jobs[job.id] = job

        def run() -> None:
            try:
                for record in screening.screen_batch(state, owner, batch, threshold=threshold, endpoint="/ui/batch"):
                    if "summary" in record:
                        job.summary = record["summary"]
                        continue
                    job.records.append(record)
                    job.done += 1
                    if record.get("error"):
                        job.errors += 1
                    elif record.get("matches"):
                        job.with_matches += 1
                job.status = "done"
            except Exception as exc:  # shown on the page
                job.status = "failed"
                job.failure = f"{type(exc).__name__}: {exc}"
            finally:
                job.finished = time.time()

        threading.Thread(target=run, name=f"tradeguard-job-{job.id}", daemon=True).start()
        return job


def results_jsonl(job: Job) -> str:
    return "".join(json.dumps(r, ensure_ascii=False, default=str) + "\n" for r in job.records)


CSV_COLUMNS = ["line", "id", "name", "error", "rank", "score", "list", "entity_id", "listed_name", "matched_name", "name_kind"]


def results_csv(job: Job) -> str:
    """One row per match (a party without matches: one row with empty match columns)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for r in job.records:
        base = [r.get("line"), r.get("id"), r.get("name", ""), r.get("error", "")]
        matches = r.get("matches") or []
        if not matches:
            writer.writerow([*base, "", "", "", "", "", "", ""])
        for rank, m in enumerate(matches, start=1):
            writer.writerow([*base, rank, m.get("score"), m.get("list"), m.get("entity_id"), m.get("name"),
                             m.get("matched_name"), m.get("name_kind")])
    return out.getvalue()
