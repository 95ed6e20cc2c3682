"""The EU's persons found by each of their own aliases, held out in turn.

The EU's list (``../shared/data/lists/eu_fsf/*_DERIVED_names_*/all.json``, see
PROVENANCE.md) gives most persons several names in Latin letters: the English spelling,
the Belarusian and Ukrainian ones, other languages' romanisations ("Sergej
Wladilenowitsch Kirijenko", "Dmitrij Vladimirovitj CHOLIN"), other orders, kunyas. Each
alias of a sample (every person with two Latin names or more, a seeded sample of their
aliases) is a query against the EU's persons stored without it, so that its person must be
found by the other names: a real cross-spelling suite of one list, where the other suites
take names in other scripts. Rounds of matchers, each holding one alias of each person
out. Prints recall at the default threshold, the alerts on another person, and the misses
whose person scores at or above the threshold without it (index misses: the scorer finds
them, retrieval did not). No target: many aliases are another name (a kunya, a nom de
guerre) no spelling reaches; the figures are for comparing trees. In ``make bench``
(about 30 s).

    python bench/eval_eu_aliases.py [--sample 3000] [--show-misses 20]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from eval_dev import LISTS  # noqa: E402
from name_queries import eu_persons_latin  # noqa: E402
from summary import report  # noqa: E402

from tradeguard.matching import DEFAULT_THRESHOLD, Matcher, Query  # noqa: E402
from tradeguard.model import Entity, Name  # noqa: E402

DATASET = "eu_fsf/*_DERIVED_names_*/all.json"
SUITE = "EU aliases held out"


def load_persons(path: Path) -> list[Entity]:
    """The EU's persons with two names or more in Latin letters, each with those names."""
    return [Entity(list="eu", source_id=f"eu-{k}", schema="Person", names=[Name(n, "alias") for n in names])
            for k, names in eu_persons_latin(path) if len(names) >= 2]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lists", type=Path, default=LISTS, help="the shared lists folder")
    parser.add_argument("--sample", type=int, default=3000, help="aliases queried (seeded sample)")
    parser.add_argument("--show-misses", type=int, default=0, metavar="N",
                        help="print N index misses and N other misses")
    args = parser.parse_args(argv)
    found = sorted(args.lists.glob(DATASET))
    if not found:
        print(f"skipped: no {DATASET} under {args.lists}")
        return 0
    started = time.perf_counter()
    persons = load_persons(found[-1])
    aliases = [(e.source_id, n.value) for e in persons for n in e.names]
    random.Random(3).shuffle(aliases)
    held: dict[str, list[str]] = {}
    for sid, name in aliases[: args.sample]:
        held.setdefault(sid, []).append(name)
    total = hits = wrong = 0
    index_misses: list[tuple[float, str, list[str]]] = []
    other_misses: list[tuple[float, str, list[str]]] = []
    for turn in range(max((len(v) for v in held.values()), default=0)):
        out = {sid: names[turn] for sid, names in held.items() if len(names) > turn}
        store = [Entity(list="eu", source_id=e.source_id, schema="Person",
                        names=[n for n in e.names if n.value != out.get(e.source_id)]) for e in persons]
        matcher = Matcher(store)
        others = {e.source_id: [n.value for n in e.names] for e in store if e.source_id in out}
        for sid, name in out.items():
            total += 1
            query = Query(name, "Person")
            results = matcher.match(query, threshold=DEFAULT_THRESHOLD)
            wrong += sum(m.entity.source_id != sid for m in results)
            if any(m.entity.source_id == sid for m in results):
                hits += 1
                continue
            best = matcher.match(query, threshold=0.0, limit=50)
            score = next((m.score for m in best if m.entity.source_id == sid), 0.0)
            (index_misses if score >= DEFAULT_THRESHOLD else other_misses).append((score, name, others[sid]))
    print(f"{SUITE}: {len(persons)} persons, {total} aliases queried; {time.perf_counter() - started:.0f} s")
    report(f"{SUITE}: recall @{DEFAULT_THRESHOLD:.2f} (n={total})", "-", f"{hits / max(total, 1):.1%}", None)
    report(f"{SUITE}: alerts on another person", "-", str(wrong), None)
    report(f"{SUITE}: misses its person scores >= {DEFAULT_THRESHOLD:.2f} without a threshold", "-",
           str(len(index_misses)), None)
    for label, missed in (("index misses", index_misses), ("other misses", other_misses)):
        if args.show_misses:
            print(f"\n{label} (score of the person without a threshold; its other names), up to {args.show_misses}:")
            for score, name, names in sorted(missed, key=lambda x: -x[0])[: args.show_misses]:
                print(f"  {score:.3f}  {name}  ->  {' / '.join(names[:4])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
