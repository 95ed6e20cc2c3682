"""Spark beside the single machine: the same names through `tradeguard spark screen
--master local[2]` and through `tradeguard screen` (every core), in the same run.

The names are synthetic customers (bench_match's generator over the dev-suite lists'
name parts: mostly clean names, as a customer book is) screened against the four
dev-suite lists loaded into a SQLite store with its saved index. Prints both rates, the
ratio (target: Spark >= 80 % of the single-machine path) and the peak resident memory of
the Spark Python workers, and the sizing that follows from the measured names/s per core.

    python bench/bench_spark.py [--names 1000000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import bench_match
import eval_dev
from summary import report

TG = [sys.executable, "-m", "tradeguard.cli"]


def worker_peak_mb(stop: threading.Event, found: list[float]) -> None:
    """The largest resident memory of a Spark Python worker (pyspark.daemon / worker) seen."""
    while not stop.is_set():
        for status in Path("/proc").glob("[0-9]*/status"):
            try:
                cmd = (status.parent / "cmdline").read_bytes()
                if b"pyspark" not in cmd or b"daemon" not in cmd and b"worker" not in cmd:
                    continue
                for line in status.read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        found.append(int(line.split()[1]) / 1024)
            except OSError:
                continue
        stop.wait(0.5)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--names", type=int, default=1_000_000)
    parser.add_argument("--lists", type=Path, default=eval_dev.LISTS)
    args = parser.parse_args()
    try:
        import pyspark  # noqa: F401
    except ImportError:
        print("skipped: pyspark is not installed (pip install 'tradeguard[spark]')")
        return 0
    tmp = Path(tempfile.mkdtemp(prefix="bench_spark_"))
    env = {**os.environ, "TRADEGUARD_DB": f"sqlite:///{tmp / 'store.db'}", "PYSPARK_PYTHON": sys.executable}
    files = [str(args.lists / rel) for rel in eval_dev.LIST_FILES.values()]
    subprocess.run([*TG, "lists", "load", *files], env=env, check=True, stdout=subprocess.DEVNULL)
    entities = eval_dev.load_entities(args.lists)
    pools = bench_match.token_pools(entities)
    rng = random.Random(5)
    # One synthetic party per name, so that (as in a real book) few names repeat: the
    # single-machine path screens a repeated name once, which would flatter it.
    synthetic = bench_match.synthetic(args.names, pools, seed=3)
    del entities
    names = tmp / "names.csv"
    with names.open("w", encoding="utf-8") as fh:
        fh.write("id,name,schema\n")
        for i, e in enumerate(synthetic):
            name = bench_match.perturb(e.names[0].value, rng).replace('"', "")
            fh.write(f'{i},"{name}",{e.schema}\n')
    distinct = len({line.split(",", 1)[1] for line in names.read_text(encoding="utf-8").splitlines()[1:]})
    print(f"{args.names:,} synthetic names written ({distinct:,} distinct)")

    # The saved index is ready before either path is timed (both open it).
    subprocess.run([*TG, "match", "warm up"], env=env, check=True, stdout=subprocess.DEVNULL)
    started = time.perf_counter()
    subprocess.run([*TG, "screen", str(names), "-o", str(tmp / "single.jsonl")], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    single = args.names / (time.perf_counter() - started)
    stop, peaks = threading.Event(), []
    watcher = threading.Thread(target=worker_peak_mb, args=(stop, peaks), daemon=True)
    watcher.start()
    started = time.perf_counter()
    subprocess.run([*TG, "spark", "screen", str(names), str(tmp / "spark.jsonl"), "--master", "local[2]"], env=env,
                   check=True, stdout=subprocess.DEVNULL)
    on_spark = args.names / (time.perf_counter() - started)
    stop.set()
    same = (tmp / "single.jsonl").read_text(encoding="utf-8").count("\n") == \
        (tmp / "spark.jsonl").read_text(encoding="utf-8").count("\n")
    ratio = on_spark / single
    print(f"tradeguard screen (2 cores): {single:,.0f} names/s; spark local[2]: {on_spark:,.0f} names/s "
          f"= {ratio:.2f} of it; Spark Python worker peak {max(peaks, default=0):,.0f} MiB; same row count: {same}")
    per_core = on_spark / 2
    print(f"sizing: {per_core:,.0f} names/s per core -> 10^8 names in one hour needs "
          f"{1e8 / 3600 / per_core:,.0f} cores")
    report(f"spark local[2] vs tradeguard screen, {args.names:,} names", ">= 0.80", f"{ratio:.2f}", ratio >= 0.8)
    report("spark: Python worker peak memory", "printed", f"{max(peaks, default=0):,.0f} MiB", None)
    print(json.dumps({"names": args.names, "single_per_s": single, "spark_per_s": on_spark}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
