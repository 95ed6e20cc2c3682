"""`make bench`: run every benchmark under bench/ in turn, each in its own process."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent

BENCHES = [
    ["bench_load.py"],
    ["eval_dev.py", "--compare-logic-v2"],
    ["eval_xscript.py"],
    ["eval_pairs.py"],
    ["bench_baseline.py", "--rounds", "1"],
    ["bench_match.py"],
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


def main() -> None:
    failed = []
    for args in BENCHES:
        script = HERE / args[0]
        if not script.exists():
            continue
        print(f"\n===== {' '.join(args)} =====", flush=True)
        code = subprocess.call([sys.executable, str(script), *args[1:]])
        if code != 0:
            failed.append(args[0])
    if failed:
        sys.exit(f"benchmarks failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
