"""`make bench` / `make bench-full`: run the benchmarks under bench/ in turn, each in its
own process, then print one table of every figure they reported (bench/summary.py).

`make bench` runs the set that fits in about ten minutes on a 2-core machine;
`make bench-full` (``--full``) adds the long runs: the synthetic 1M-entity scale runs,
logic-v2 beside our engine on the whole dev suite, the soak test.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from summary import SUMMARY_ENV, read_reports  # noqa: E402

BENCHES = [
    ["bench_index.py"],
    ["eval_dev.py"],
    ["eval_xscript.py", "--no-logic-v2"],
    ["eval_pairs.py"],
    ["eval_cyrillic.py"],
    ["eval_original_scripts.py"],
    ["eval_list_scripts.py"],
    ["eval_national.py"],
    ["eval_eu_aliases.py"],
    ["bench_load.py"],
    ["bench_match.py", "--logic-v2-sample", "200"],
    ["bench_ownership.py"],
    ["bench_orders.py"],
    ["bench_benign_orders.py"],
    ["bench_shipments.py"],
    ["bench_rescreen.py"],
    ["bench_api_load.py"],
    ["bench_links.py"],
    ["bench_payment_text.py"],
    ["bench_payments.py"],
]
FULL_ONLY = [
    ["bench_index.py", "--scale", "1000000"],
    ["bench_match.py", "--scale"],
    ["eval_dev.py", "--compare-logic-v2"],
    ["eval_xscript.py"],
    ["eval_pairs.py", "--pairs", str(HERE / "data" / "wikidata_pairs.jsonl")],
    ["probe_wikidata_people.py"],
    ["bench_baseline.py", "--rounds", "1"],
    ["bench_soak.py"],
    ["bench_spark.py", "--names", "1000000"],
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="also the long runs (make bench-full)")
    args = parser.parse_args()
    summary = Path(tempfile.mkstemp(prefix="bench_summary_", suffix=".jsonl")[1])
    env = {**os.environ, SUMMARY_ENV: str(summary)}
    runs: list[tuple[str, str, float]] = []
    for bench in [*BENCHES, *(FULL_ONLY if args.full else [])]:
        script = HERE / bench[0]
        if not script.exists():
            continue
        name = " ".join(bench)
        print(f"\n===== {name} =====", flush=True)
        started = time.perf_counter()
        code = subprocess.call([sys.executable, str(script), *bench[1:]], env=env)
        runs.append((name, "ok" if code == 0 else f"exit {code}", time.perf_counter() - started))
    reports = read_reports(summary)
    summary.unlink(missing_ok=True)
    width = max([len(r["figure"]) for r in reports] + [20])
    print("\n===== summary =====")
    print(f"{'figure':<{width}}  {'target':<16} {'measured':<18} verdict")
    for r in reports:
        print(f"{r['figure']:<{width}}  {r['target']:<16} {r['measured']:<18} {r['verdict']}")
    print()
    for name, status, seconds in runs:
        print(f"{name:<50} {status:<8} {seconds:6.0f} s")
    print(f"{'total':<50} {'':<8} {sum(s for _n, _st, s in runs):6.0f} s")
    failed = [name for name, status, _s in runs if status != "ok"]
    if failed:
        sys.exit(f"benchmarks failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
