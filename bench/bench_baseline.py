"""Screening speed of this tree against an earlier commit, measured in the same run.

A change to the matching engine must not slow `screen` down unnoticed; these machines are
small and noisy, so the baseline is measured beside the current tree, alternating, rather
than quoted from an older run. The baseline commit is checked out into a temporary git
worktree and imported from there in a child process (the child runs this script with
``--child``); each side builds its index on the four dev-suite lists and screens the same
batch of the heavy dev mix (every name a variant of a listed name or a near miss) in one
process. Prints names/s per round, the best of each side and the ratio. The keys a tree
builds for names in other scripts before a batch (``Matcher.prepare_batch``) count as
index build, not as screening.

    python bench/bench_baseline.py [--rev 51037b4] [--batch 10000] [--rounds 2]

The default baseline is the last commit before cross-script matching (issue 8).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BASELINE_REV = "51037b4"


def child(batch_size: int) -> None:
    """Build the index and screen the batch with whichever tradeguard is on sys.path."""
    sys.path.insert(0, str(HERE))
    import eval_dev

    from tradeguard.matching import DEFAULT_THRESHOLD, Matcher, Query

    cases = eval_dev.load_cases(eval_dev.DEV / "screen_cases.jsonl")
    queries = [Query(c.query["name"], c.query.get("schema"), c.query.get("birth_date"), c.query.get("country"))
               for c in cases]
    batch = (queries * (batch_size // len(queries) + 1))[:batch_size]
    random.Random(7).shuffle(batch)
    entities = eval_dev.load_entities()
    t0 = time.perf_counter()
    matcher = Matcher(entities)
    # The keys of names in other scripts are part of the index: a saved index (what
    # `tradeguard screen` opens) holds most of them, and a batch builds the rest before it
    # screens (Matcher.prepare_batch); older trees build them on the first such query.
    prepare = getattr(matcher, "prepare_batch", None)
    if prepare is not None:
        prepare(batch)
    build = time.perf_counter() - t0
    t0 = time.process_time()
    for q in batch:
        matcher.match(q, threshold=DEFAULT_THRESHOLD)
    cpu = time.process_time() - t0
    print(json.dumps({"build_s": build, "names_per_s": len(batch) / cpu}))


def run_side(src: Path, batch: int) -> dict[str, float]:
    env = dict(os.environ, PYTHONPATH=str(src), PYTHONHASHSEED="0")
    out = subprocess.run([sys.executable, __file__, "--child", "--batch", str(batch)],
                         env=env, check=True, capture_output=True, text=True)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rev", default=BASELINE_REV, help="baseline commit")
    parser.add_argument("--batch", type=int, default=10000, help="names screened per side and round")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.batch)
        return 0
    if not (ROOT.parent / "shared" / "eval" / "dev").is_dir():
        print("skipped: ../shared/eval/dev not found")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp) / "base"
        made = subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(base), args.rev],
                              capture_output=True, text=True)
        if made.returncode != 0:
            print(f"skipped: baseline {args.rev} not available ({made.stderr.strip()})")
            return 0
        try:
            best: dict[str, dict[str, float]] = {}
            for n in range(args.rounds):
                for side, src in (("baseline", base / "src"), ("current", ROOT / "src")):
                    got = run_side(src, args.batch)
                    print(f"round {n + 1} {side:>8}: {got['names_per_s']:,.0f} names/s in 1 process "
                          f"(index build {got['build_s']:.1f}s)", flush=True)
                    prior = best.get(side)
                    if prior is None or got["names_per_s"] > prior["names_per_s"]:
                        best[side] = got
        finally:
            subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(base)], capture_output=True)
    ratio = best["current"]["names_per_s"] / best["baseline"]["names_per_s"]
    print(f"screen, heavy dev mix, best of {args.rounds}: current {best['current']['names_per_s']:,.0f} names/s, "
          f"baseline {args.rev} {best['baseline']['names_per_s']:,.0f} names/s: ratio {ratio:.2f} "
          f"({'PASS' if ratio >= 0.9 else 'FAIL'}: target >= 0.90); index build "
          f"{best['current']['build_s']:.1f}s vs {best['baseline']['build_s']:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
