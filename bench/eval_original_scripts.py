"""Names in other scripts against a list's Latin names: the persons of the EU's list.

``eu_fsf/*_DERIVED_names_*/all.json`` (see PROVENANCE.md under ``../shared/data/lists``)
merges the EU, UN and OFAC entries; many persons carry their name in the script of their
country (Cyrillic, Arabic, Greek, Hangul, Hebrew, Chinese) beside Latin ones. The store holds
each such person with its Latin names only; each name in another script is a query that
must find its person. Prints recall at the default threshold per script and the alerts on
another person; ``--show-misses N`` lists the missed names with the score their person
reaches without a threshold. No target: the figures are for reference (a cross-list check
of the kind the hidden suites hold, from data no rule was written from).

    python bench/eval_original_scripts.py [--show-misses 10]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from eval_dev import LISTS  # noqa: E402
from summary import report  # noqa: E402

from tradeguard.matching import DEFAULT_THRESHOLD, Matcher, Query  # noqa: E402
from tradeguard.model import Entity, Name  # noqa: E402

DATASET = "eu_fsf/*_DERIVED_names_*/all.json"


@dataclass(frozen=True)
class ScriptCase:
    script: str  # the first word of the Unicode names of its letters: "CYRILLIC", "ARABIC" ...
    name: str
    target: str


def _scripts(text: str) -> set[str]:
    return {unicodedata.name(ch, "UNKNOWN ?").split()[0] for ch in text if ch.isalpha()}


def build_suite(path: Path) -> tuple[list[Entity], list[ScriptCase]]:
    """Persons with a Latin name and a name in another script: the store (their Latin
    names) and the queries (their other names)."""
    entities: list[Entity] = []
    cases: list[ScriptCase] = []
    for k, record in enumerate(json.loads(path.read_text(encoding="utf-8"))["entities"]):
        if record.get("type") != "individual":
            continue
        names = list(dict.fromkeys([record["name"], *record.get("aliases", [])]))
        latin = [n for n in names if _scripts(n) == {"LATIN"}]
        other = [n for n in names if _scripts(n) - {"LATIN"}]
        if not latin or not other:
            continue
        entities.append(Entity("eu_derived", str(k), "Person", names=[Name(n) for n in latin]))
        cases.extend(ScriptCase(min(_scripts(n) - {"LATIN"}), n, str(k)) for n in other)
    return entities, cases


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lists", type=Path, default=LISTS, help="the shared lists folder")
    parser.add_argument("--show-misses", type=int, default=0, metavar="N", help="print N missed names per script")
    args = parser.parse_args(argv)
    found = sorted(args.lists.glob(DATASET))
    if not found:
        print(f"skipped: no {DATASET} under {args.lists}")
        return 0
    entities, cases = build_suite(found[-1])
    started = time.perf_counter()
    matcher = Matcher(entities)
    names = {e.source_id: [n.value for n in e.names] for e in entities}
    totals: dict[str, int] = {}
    hits: dict[str, int] = {}
    wrong: dict[str, int] = {}
    misses: dict[str, list[tuple[float, ScriptCase]]] = {}
    for case in cases:
        query = Query(case.name, "Person")
        results = matcher.match(query, threshold=DEFAULT_THRESHOLD)
        ok = any(m.entity.source_id == case.target for m in results)
        totals[case.script] = totals.get(case.script, 0) + 1
        hits[case.script] = hits.get(case.script, 0) + ok
        wrong[case.script] = wrong.get(case.script, 0) + sum(m.entity.source_id != case.target for m in results)
        if not ok and args.show_misses:
            best = matcher.match(query, threshold=0.0, limit=50)
            score = next((m.score for m in best if m.entity.source_id == case.target), 0.0)
            misses.setdefault(case.script, []).append((score, case))
    seconds = time.perf_counter() - started
    print(f"{found[-1].parent.name}: {len(entities)} persons in the store (Latin names only), "
          f"{len(cases)} queries in other scripts; {seconds:.0f} s")
    for script in sorted(totals, key=lambda s: -totals[s]):
        n = totals[script]
        report(f"original scripts (EU persons): {script.lower()} recall @{DEFAULT_THRESHOLD:.2f} (n={n})", "-",
               f"{hits[script] / n:.1%}", None)
        report(f"original scripts (EU persons): {script.lower()} alerts on another person", "-", str(wrong[script]), None)
    for script, missed in misses.items():
        print(f"\nmissed {script.lower()} names (score of their person without a threshold), up to {args.show_misses}:")
        for score, case in sorted(missed, key=lambda x: -x[0])[: args.show_misses]:
            print(f"  {score:.3f}  {case.name}  ->  {'; '.join(names[case.target][:3])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
