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

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from name_queries import NameQuery, latin_stored, main_of, scripts_of  # noqa: E402

from tradeguard.model import Entity  # noqa: E402
from tradeguard.sources import read_list  # noqa: E402

DATASET = "opensanctions/ua_war_sanctions_*/targets.simple.csv"
UKRAINIAN_LETTERS = frozenset("ІіЇїЄєҐґ")


def build_suite(path: Path) -> tuple[list[Entity], list[NameQuery]]:
    """The store (persons with a Latin and a Cyrillic name, their Latin names only) and the
    queries (their Cyrillic names, grouped "russian" or "ukrainian" by their letters)."""
    def spelling(name: str) -> str | None:
        if "CYRILLIC" not in scripts_of(name):
            return None
        return "ukrainian" if UKRAINIAN_LETTERS & set(name) else "russian"

    return latin_stored(read_list(path).entities, spelling)


def main(argv: list[str] | None = None) -> int:
    return main_of(__doc__.splitlines()[0], {"cyrillic (Ukraine war persons)": DATASET}, build_suite, argv)


if __name__ == "__main__":
    raise SystemExit(main())
