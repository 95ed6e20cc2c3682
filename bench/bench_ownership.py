"""Benchmark: the 50 percent rule on a random ownership graph of 1,000,000 edges.

The graph has cycles (random edges), unknown shares, ranges, one-sided shares, joint and
control edges, and about 1% of nodes listed. Prints, per regime, the fixed-point time (both
bounds plus one result per node), the status counts, the time to render paths for a sample,
and the process's peak RSS. Target: each regime under 30 s.

    python bench/bench_ownership.py [--edges 1000000] [--nodes 300000] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import resource
import sys
import time
from collections import Counter

from summary import report

from tradeguard.screening.ownership import (
    UNKNOWN_SHARE,
    Edge,
    OwnershipGraph,
    Share,
    above_share,
    below_share,
    compute_blocked,
    exact_share,
    parse_share,
    range_share,
)


def peak_rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux, bytes on macOS.
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return rss / (1024 * 1024) if sys.platform == "darwin" else rss / 1024


def make_edges(n_edges: int, n_nodes: int, seed: int) -> tuple[list[Edge], set[str]]:
    rng = random.Random(seed)
    names = [f"node-{i}" for i in range(n_nodes)]
    # A few hundred shared Share objects, as a real load would intern repeated values.
    exact = [exact_share(v) for v in (1, 5, 10, 15, 20, 25, 30, 33.33, 40, 49.99, 50, 51, 60, 75, 100)]
    ranges = [range_share(a, a + 25) for a in (0, 10, 25, 40, 50)]
    one_sided = [above_share(50, inclusive=False), below_share(25, inclusive=False), above_share(25, True)]
    edges: list[Edge] = []
    for _ in range(n_edges):
        owner = names[rng.randrange(n_nodes)]
        owned = names[rng.randrange(n_nodes)]
        r = rng.random()
        share: Share
        if r < 0.60:
            share = rng.choice(exact)
        elif r < 0.75:
            share = UNKNOWN_SHARE
        elif r < 0.90:
            share = rng.choice(ranges)
        else:
            share = rng.choice(one_sided)
        edges.append(
            Edge(owner, owned, share, joint=rng.random() < 0.03, control=rng.random() < 0.02,
                 source="bench")
        )
    listed = {names[i] for i in rng.sample(range(n_nodes), max(1, n_nodes // 100))}
    return edges, listed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--edges", type=int, default=1_000_000)
    ap.add_argument("--nodes", type=int, default=300_000)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()

    t0 = time.perf_counter()
    samples = ["50", "50%", "0.5", "25-50", "25% to 50%", ">50", "<25", "majority", "unknown", ""]
    for _ in range(10_000):
        for text in samples:
            parse_share(text)
    t_parse = (time.perf_counter() - t0) / (10_000 * len(samples))
    print(f"parse_share: {t_parse * 1e6:.1f} µs per share")

    t0 = time.perf_counter()
    edges, listed = make_edges(args.edges, args.nodes, args.seed)
    print(f"generated {len(edges):,} edges, {args.nodes:,} nodes, {len(listed):,} listed "
          f"in {time.perf_counter() - t0:.1f} s")

    t0 = time.perf_counter()
    graph = OwnershipGraph.build(edges)
    t_build = time.perf_counter() - t0
    print(f"graph build (dedupe pairs, adjacency): {t_build:.1f} s — {len(graph):,} nodes, "
          f"{graph.edge_count:,} distinct stakes")

    worst = 0.0
    for regime in ("ofac", "eu", "uk"):
        t0 = time.perf_counter()
        results = compute_blocked(graph, listed, regime)
        t_fix = time.perf_counter() - t0
        counts = Counter(r.status for r in results)
        flagged = sum(1 for r in results if r.caution)
        derived = [r for r in results if r.status == "blocked" and not r.listed][:1000]
        t0 = time.perf_counter()
        steps = sum(len(chain) for r in derived for chain in r.paths)
        t_paths = time.perf_counter() - t0
        worst = max(worst, t_fix)
        print(
            f"{regime}: fixed point + results {t_fix:.1f} s "
            f"(with build {t_fix + t_build:.1f} s); "
            + ", ".join(f"{k} {counts.get(k, 0):,}" for k in ("blocked", "cannot_exclude", "not_blocked"))
            + f"; caution {flagged:,}; paths for {len(derived)} derived blocks "
            f"({steps:,} steps) {t_paths:.2f} s"
        )
        del results, derived
    report("ownership: slowest regime incl. build", "< 30 s", f"{worst + t_build:.1f} s", worst + t_build < 30)
    print(f"slowest regime incl. build: {worst + t_build:.1f} s (target < 30 s); "
          f"peak RSS {peak_rss_mb():,.0f} MB")


if __name__ == "__main__":
    main()
