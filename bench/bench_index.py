"""The persisted index: start-up and end-to-end screening with it, beside the old path.

Default run (the four dev-suite lists from ../shared, loaded into a SQLite store in a
temporary folder with ``tradeguard lists load``, which saves the index):

* open: ``Matcher.open`` of the saved index, beside reading the entities from the store
  and building the index in memory (what every process did before it was saved);
* ``tradeguard screen`` of 1,000 names, wall time end to end (a fresh process), with the
  saved index and, in the same run, the old path (read + build + screen);
* ``tradeguard screen`` of the heavy dev mix (the dev suite ten times over, 51,350
  names) on every core, names/s end to end including start-up, both ways.

``--scale N`` (``make bench-full``): N synthetic entities (bench_match's generator):
build, save, open in a fresh process, ``match`` p50, resident memory of the first
process while screening and the private memory of each further forked worker.

    python bench/bench_index.py [--scale 1000000]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import eval_dev  # noqa: E402
from summary import report  # noqa: E402

HERE = Path(__file__).resolve().parent
TG = [sys.executable, "-m", "tradeguard.cli"]

# The old path, as every screening process ran it before the index was saved: read the
# entities of the lists in force from the store, build the index, screen, write.
OLD_PATH = """
import json, sys
from tradeguard.screening.parties import Screener
from tradeguard.store.db import connect
from tradeguard.store.lists import active_versions, iter_version_entities
engine = connect(sys.argv[1])
with engine.connect() as conn:
    entities = [e for v in active_versions(conn) for e in iter_version_entities(conn, v.id)]
screener = Screener(entities=entities)
records = [json.loads(line) for line in open(sys.argv[2], encoding="utf-8")]
with open(sys.argv[3], "w", encoding="utf-8") as out:
    for res in screener.screen(records):
        out.write(json.dumps({"id": res.id, "matches": [m.entity.entity_id for m in res.matches]}) + "\\n")
"""


def write_queries(path: Path, cases: list[eval_dev.Case], copies: int, limit: int | None = None) -> int:
    n = 0
    with path.open("w", encoding="utf-8") as fh:
        for copy in range(copies):
            for case in cases:
                if limit is not None and n >= limit:
                    return n
                q = case.query
                record = {"id": f"{case.id}-{copy}", "name": q["name"], "schema": q.get("schema"),
                          "birth_date": q.get("birth_date"), "country": q.get("country")}
                fh.write(json.dumps({k: v for k, v in record.items() if v}) + "\n")
                n += 1
    return n


def wall(cmd: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def run_dev(args: argparse.Namespace) -> None:
    from tradeguard.matching import Matcher
    from tradeguard.screening.index_files import index_home, index_name
    from tradeguard.store.db import connect
    from tradeguard.store.lists import active_versions, iter_version_entities

    tmp = Path(tempfile.mkdtemp(prefix="bench_index_"))
    url = f"sqlite:///{tmp / 'store.db'}"
    env = {**os.environ, "TRADEGUARD_DB": url, "COLUMNS": "200"}
    env.pop("TRADEGUARD_INDEX_DIR", None)
    files = [str(args.lists / rel) for rel in eval_dev.LIST_FILES.values()]
    started = time.perf_counter()
    subprocess.run([*TG, "lists", "load", *files], env=env, check=True, stdout=subprocess.DEVNULL)
    print(f"four dev-suite lists loaded (with links and the saved index) in {time.perf_counter() - started:.1f} s")

    engine = connect(url)
    started = time.perf_counter()
    with engine.connect() as conn:
        versions = active_versions(conn)
        entities = [e for v in versions for e in iter_version_entities(conn, v.id)]
    read_s = time.perf_counter() - started
    started = time.perf_counter()
    built = Matcher(entities)
    build_s = time.perf_counter() - started
    folder = index_home(engine) / index_name(versions)  # type: ignore[operator]
    opens = []
    for _ in range(5):
        started = time.perf_counter()
        Matcher.open(folder)
        opens.append(time.perf_counter() - started)
    open_s = statistics.median(opens)
    size_mb = sum(p.stat().st_size for p in folder.iterdir()) / 2**20
    print(f"{len(entities):,} entities, {len(built.index):,} names; index folder {size_mb:.0f} MiB")
    print(f"start-up before: read {read_s:.2f} s + build {build_s:.2f} s = {read_s + build_s:.2f} s; "
          f"open of the saved index: {open_s * 1000:.0f} ms ({(read_s + build_s) / open_s:,.0f}x)")
    report("index: open, four dev lists", "<= 0.5 s", f"{open_s:.3f} s", open_s <= 0.5)
    del built, entities

    cases = eval_dev.load_cases(args.cases)
    small, heavy = tmp / "q1000.jsonl", tmp / "heavy.jsonl"
    write_queries(small, cases, 1, 1000)
    n_heavy = write_queries(heavy, cases, 10)
    old_script = tmp / "old_path.py"
    old_script.write_text(OLD_PATH, encoding="utf-8")
    out = tmp / "out.jsonl"
    rows = []
    for label, path, n in (("1,000 names", small, 1000), (f"{n_heavy:,} names (heavy dev mix)", heavy, n_heavy)):
        new = min(wall([*TG, "screen", str(path), "-o", str(out)], env) for _ in range(args.repeat))
        old = wall([sys.executable, str(old_script), url, str(path), str(out)], env)
        rows.append((label, n, old, new))
        print(f"tradeguard screen, {label}: {new:.2f} s wall ({n / new:,.0f} names/s) with the saved index; "
              f"{old:.2f} s ({n / old:,.0f} names/s) the old way; {old / new:.1f}x")
    report("screen 1,000 names, end to end", "<= 2 s", f"{rows[0][3]:.2f} s", rows[0][3] <= 2.0)
    rate = rows[1][1] / rows[1][3]
    report("screen heavy dev mix, names/s end to end (2 cores)", ">= 6,000", f"{rate:,.0f}", rate >= 6000)


# --- scale ------------------------------------------------------------------------------


def private_mb() -> float:
    """This process's private memory in MiB (what a forked worker does not share)."""
    total = 0
    with open("/proc/self/smaps_rollup", encoding="ascii") as fh:
        for line in fh:
            if line.startswith(("Private_Clean:", "Private_Dirty:")):
                total += int(line.split()[1])
    return total / 1024


def _build_and_save(size: int, lists: Path, folder: Path, queue: Any) -> None:
    import bench_match

    from tradeguard.matching import Matcher

    pools = bench_match.token_pools(eval_dev.load_entities(lists))
    data = bench_match.synthetic(size, pools, 1)
    started = time.perf_counter()
    matcher = Matcher(data)
    build = time.perf_counter() - started
    started = time.perf_counter()
    matcher.save(folder)
    save = time.perf_counter() - started
    rng = random.Random(2)
    queries = []
    for _ in range(2000):
        e = data[rng.randrange(len(data))]
        queries.append((bench_match.perturb(e.names[0].value, rng), e.schema))
    queue.put({"build_s": build, "save_s": save, "build_peak_mb": bench_match.peak_mb(), "queries": queries})


def _worker(args: tuple[str, str | None]) -> float:
    from tradeguard.matching import Query

    assert _OPENED is not None
    for _ in range(50):
        _OPENED.match(Query(args[0], args[1]))
    return private_mb()


_OPENED: Any = None


def run_scale(args: argparse.Namespace) -> None:
    import bench_match

    from tradeguard.matching import DEFAULT_THRESHOLD, Matcher, Query

    global _OPENED
    folder = Path(tempfile.mkdtemp(prefix="bench_index_scale_")) / "index"
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    proc = ctx.Process(target=_build_and_save, args=(args.scale, args.lists, folder, queue))
    proc.start()
    built = queue.get()
    proc.join()
    base = bench_match.rss_mb()
    started = time.perf_counter()
    _OPENED = Matcher.open(folder)
    open_s = time.perf_counter() - started
    queries = [Query(name, schema) for name, schema in built["queries"]]
    lat = bench_match.latencies(_OPENED, queries, DEFAULT_THRESHOLD)
    p50 = bench_match.percentile(lat, 0.5) * 1000
    first_mb = bench_match.rss_mb() - base
    with ctx.Pool(2) as pool:
        workers = pool.map(_worker, [(q.name, q.schema) for q in queries[:2]])
    size_mb = sum(p.stat().st_size for p in folder.iterdir()) / 2**20
    print(f"{args.scale:,} synthetic entities: build {built['build_s']:.1f} s (peak {built['build_peak_mb']:,.0f} MiB), "
          f"save {built['save_s']:.1f} s, folder {size_mb:,.0f} MiB; open {open_s:.2f} s; match p50 {p50:.2f} ms; "
          f"first process +{first_mb:,.0f} MiB resident after {len(queries):,} queries; "
          f"forked workers {', '.join(f'{w:,.0f}' for w in workers)} MiB private")
    n = f"{args.scale:,}"
    report(f"index at {n}: build", "<= 60 s", f"{built['build_s']:.1f} s", built["build_s"] <= 60)
    report(f"index at {n}: open", "<= 5 s", f"{open_s:.2f} s", open_s <= 5)
    report(f"index at {n}: first process resident", "<= 1,536 MiB", f"{first_mb:,.0f} MiB", first_mb <= 1536)
    report(f"index at {n}: each further worker", "<= 200 MiB", f"{max(workers):,.0f} MiB", max(workers) <= 200)
    report(f"index at {n}: match p50", "<= 1 ms", f"{p50:.2f} ms", p50 <= 1.0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lists", type=Path, default=eval_dev.LISTS)
    parser.add_argument("--cases", type=Path, default=eval_dev.DEV / "screen_cases.jsonl")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each new-path screen (the best counts)")
    parser.add_argument("--scale", type=int, help="synthetic entities for the scale run (e.g. 1000000)")
    args = parser.parse_args(argv)
    if not args.lists.is_dir():
        print(f"skipped: the list files are not at {args.lists}")
        return 0
    if args.scale:
        run_scale(args)
    else:
        run_dev(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
