"""One summary table for `make bench`: each benchmark reports its figures here.

``report(figure, target, measured, ok)`` prints the figure and, when run under
``bench/run_all.py`` (which sets ``TRADEGUARD_BENCH_SUMMARY`` to a file), appends it to
that file; run_all prints every figure of every benchmark in one table at the end.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

SUMMARY_ENV = "TRADEGUARD_BENCH_SUMMARY"


def report(figure: str, target: str, measured: str, ok: bool | None) -> None:
    """One figure: what is measured, its target, the measured value, and whether it meets
    it (None where the figure has no target and is printed for reference)."""
    verdict = "info" if ok is None else ("pass" if ok else "FAIL")
    print(f"[{verdict}] {figure}: {measured} (target {target})", flush=True)
    path = os.environ.get(SUMMARY_ENV)
    if path:
        with Path(path).open("a", encoding="utf-8") as fh:
            fh.write(json.dumps({"figure": figure, "target": target, "measured": measured, "verdict": verdict}) + "\n")


def read_reports(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
