"""Alerts on notable people's names in other scripts: a probe with names we did not write.

Screens the other-script side of every true pair of ``data/wikidata_pairs.jsonl`` (Wikidata
people's names in Hebrew and Hangul, and single words in Arabic, katakana, Chinese and
Russian: see ``data/README.md``) against the four dev-suite lists at the default threshold,
and prints the alerts per category (``--show`` lists them). A few of these people are
listed (Saddam Hussein, Joseph Kony, Arkady Rotenberg): read the list, do not only count
it. Unlike ``probe_clean_scripts.py`` it needs nothing beyond the project's own files:

    python bench/probe_wikidata_people.py [--show]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path

import eval_dev
from probe_clean_scripts import print_alerts

PAIRS = Path(__file__).resolve().parent / "data" / "wikidata_pairs.jsonl"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show", action="store_true", help="print every alert")
    args = parser.parse_args()
    from tradeguard.matching import Matcher, Query

    matcher = Matcher(eval_dev.load_entities())
    alerts: Counter[str] = Counter()
    total: Counter[str] = Counter()
    shown: list[str] = []
    for line in PAIRS.read_text(encoding="utf-8").splitlines():
        pair = json.loads(line)
        if not pair["label"]:
            continue
        category = str(pair["category"])
        total[category] += 1
        found = matcher.match(Query(str(pair["query"]), "Person"), limit=1)
        if found:
            alerts[category] += 1
            shown.append(f"{category} {pair['query']!r} ({pair['list']}) -> {found[0].matched_name!r} {found[0].score:.3f}")
    print_alerts(sorted(total), alerts, total, shown if args.show else [])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
