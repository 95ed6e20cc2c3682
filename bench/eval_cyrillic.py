"""Cyrillic names against a list's Latin names: OpenSanctions' Ukraine-war persons.

The dataset ``ua_war_sanctions`` (``../shared/data/lists/opensanctions/ua_war_sanctions_*/
targets.simple.csv``, see PROVENANCE.md there) gives most persons a Latin name and two
Cyrillic ones, spelt the Russian way and the Ukrainian way ("IVAKHA Denis Vladimirovich",
"ИВАХА Денис Владимирович", "ІВАХА Денис Володимирович"). The store holds each person
with its Latin names only; each Cyrillic name is a query that must find its person (a
Ukrainian-spelt name when it holds і, ї, є or ґ, else a Russian-spelt one). Prints recall
at the default threshold per spelling, the alerts on another person, and with
``--show-misses N`` the missed names with the score their person reaches without a
threshold. No target: the issue names none; the figures are for reference.

    python bench/eval_cyrillic.py [--show-misses 20]
"""

from __future__ import annotations

import argparse
import sys
import time
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from eval_dev import LISTS  # noqa: E402
from summary import report  # noqa: E402

from tradeguard.matching import DEFAULT_THRESHOLD, Matcher, Query  # noqa: E402
from tradeguard.model import Entity  # noqa: E402
from tradeguard.sources import read_list  # noqa: E402

DATASET = "opensanctions/ua_war_sanctions_*/targets.simple.csv"
UKRAINIAN_LETTERS = frozenset("ІіЇїЄєҐґ")


@dataclass(frozen=True)
class CyrillicCase:
    spelling: str  # "russian" or "ukrainian"
    name: str
    target: str  # source_id of the person


def _scripts(text: str) -> set[str]:
    return {unicodedata.name(ch, "UNKNOWN ?").split()[0] for ch in text if ch.isalpha()}


def build_suite(path: Path) -> tuple[list[Entity], list[CyrillicCase]]:
    """The store (persons with a Latin and a Cyrillic name, their Latin names only) and the
    queries (their Cyrillic names)."""
    entities: list[Entity] = []
    cases: list[CyrillicCase] = []
    for entity in read_list(path).entities:
        if entity.schema != "Person":
            continue
        latin = [n for n in entity.names if _scripts(n.value) == {"LATIN"}]
        cyrillic = [n.value for n in entity.names if "CYRILLIC" in _scripts(n.value)]
        if not latin or not cyrillic:
            continue
        entities.append(replace(entity, names=latin))
        for name in dict.fromkeys(cyrillic):
            spelling = "ukrainian" if UKRAINIAN_LETTERS & set(name) else "russian"
            cases.append(CyrillicCase(spelling, name, entity.source_id))
    return entities, cases


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lists", type=Path, default=LISTS, help="the shared lists folder")
    parser.add_argument("--show-misses", type=int, default=0, metavar="N", help="print N missed names per spelling")
    args = parser.parse_args(argv)
    found = sorted(args.lists.glob(DATASET))
    if not found:
        print(f"skipped: no {DATASET} under {args.lists}")
        return 0
    entities, cases = build_suite(found[0])
    started = time.perf_counter()
    matcher = Matcher(entities)
    names = {e.source_id: [n.value for n in e.names] for e in entities}
    hits: dict[str, int] = {}
    totals: dict[str, int] = {}
    wrong: dict[str, int] = {}
    misses: dict[str, list[tuple[float, CyrillicCase]]] = {}
    for case in cases:
        query = Query(case.name, "Person")
        results = matcher.match(query, threshold=DEFAULT_THRESHOLD)
        totals[case.spelling] = totals.get(case.spelling, 0) + 1
        ok = any(m.entity.source_id == case.target for m in results)
        hits[case.spelling] = hits.get(case.spelling, 0) + ok
        wrong[case.spelling] = wrong.get(case.spelling, 0) + sum(m.entity.source_id != case.target for m in results)
        if not ok and args.show_misses:
            best = matcher.match(query, threshold=0.0, limit=50)
            score = next((m.score for m in best if m.entity.source_id == case.target), 0.0)
            misses.setdefault(case.spelling, []).append((score, case))
    seconds = time.perf_counter() - started
    print(f"{len(entities)} persons in the store (Latin names only), {len(cases)} Cyrillic queries; {seconds:.0f} s")
    for spelling in ("russian", "ukrainian"):
        n = totals.get(spelling, 0)
        if not n:
            continue
        recall = hits[spelling] / n
        report(f"cyrillic: {spelling}-spelt names, recall @{DEFAULT_THRESHOLD:.2f} (n={n})", "-", f"{recall:.1%}", None)
        report(f"cyrillic: {spelling}-spelt names, alerts on another person", "-", str(wrong[spelling]), None)
    for spelling, missed in misses.items():
        print(f"\nmissed {spelling}-spelt names (score of their person without a threshold), up to {args.show_misses}:")
        for score, case in sorted(missed, key=lambda x: -x[0])[: args.show_misses]:
            print(f"  {score:.3f}  {case.name}  ->  {'; '.join(names[case.target][:3])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
