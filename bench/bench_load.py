"""Benchmark: load the newest file of every list format in ../shared into an empty store.

Prints, per file, the format, entity count, seconds and entities/s; then the total time and
the peak resident memory of this process. Target (issue 2): all lists < 30 s, < 1 GB.

    .venv/bin/python bench/bench_load.py [--lists DIR]
"""

from __future__ import annotations

import argparse
import resource
import sys
import tempfile
import time
from pathlib import Path

from tradeguard.sources import detect
from tradeguard.store.db import connect
from tradeguard.store.lists import date_in_path, load_file

sys.path.insert(0, str(Path(__file__).resolve().parent))
from summary import report  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]


def newest_files(folder: Path) -> list[tuple[str, str, Path]]:
    best: dict[tuple[str, str], tuple[str, Path]] = {}
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.stat().st_size == 0:
            continue
        found = detect(path)
        if found is None:
            continue
        fmt, key = found
        when = date_in_path(path) or ""
        if (key, fmt.name) not in best or when >= best[(key, fmt.name)][0]:
            best[(key, fmt.name)] = (when, path)
    return sorted((key, name, path) for (key, name), (_when, path) in best.items())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lists", type=Path, default=ROOT.parent / "shared" / "data" / "lists")
    args = parser.parse_args()
    if not args.lists.is_dir():
        sys.exit(f"no list folder at {args.lists}")
    files = newest_files(args.lists)
    with tempfile.TemporaryDirectory() as tmp:
        engine = connect(f"sqlite:///{tmp}/bench.db")
        print(f"{'list':14} {'format':24} {'entities':>9} {'seconds':>8} {'entities/s':>11}  file")
        total_entities = 0
        start_all = time.perf_counter()
        for key, fmt, path in files:
            start = time.perf_counter()
            result = load_file(engine, path, force=True)
            seconds = time.perf_counter() - start
            n = result.version.entity_count
            total_entities += n
            print(f"{key:14} {fmt:24} {n:9d} {seconds:8.2f} {n / seconds:11.0f}  {path.relative_to(args.lists)}")
        total = time.perf_counter() - start_all
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nall {len(files)} files: {total_entities} entities in {total:.1f} s "
          f"({total_entities / total:.0f} entities/s); target < 30 s: {'MET' if total < 30 else 'MISSED'}")
    print(f"peak resident memory: {peak_mb:.0f} MB; target < 1024 MB: {'MET' if peak_mb < 1024 else 'MISSED'}")
    report("load: every shared list file", "< 30 s", f"{total:.1f} s", total < 30)
    report("load: peak resident memory", "< 1,024 MB", f"{peak_mb:,.0f} MB", peak_mb < 1024)


if __name__ == "__main__":
    main()
