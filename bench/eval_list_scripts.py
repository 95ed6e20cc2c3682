"""Names in other scripts against a list's Latin names: the persons of the UK's list.

The UK list (``uk_ofsi/*/*.xlsx``, see PROVENANCE.md under ``../shared/data/lists``)
gives since 2023 a name in its "Non-Latin Script" beside the Latin ones: Cyrillic for the
Russian and Belarusian designations, Arabic script for the Middle East and Afghanistan,
a few Chinese, Korean, Ge'ez and Greek. The store holds each such person with its Latin
names only; each name in another script is a query that must find its person. Prints
recall at the default threshold per script and the alerts on another person; with
``--show-misses N`` the missed names with the score their person reaches without a
threshold. No target: like ``eval_original_scripts.py`` (the EU's list), a cross-list
check of the kind the hidden suites hold, from data no rule was written from.

    python bench/eval_uk_scripts.py [--show-misses 10]
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from name_queries import NameQuery, latin_stored, main_of, other_script  # noqa: E402

from tradeguard.model import Entity  # noqa: E402
from tradeguard.sources import read_list  # noqa: E402

DATASET = "uk_ofsi/*/*.xlsx"  # (the newest: the 2023 ConList and the 2025 UK Sanctions List both hold them)


def build_suite(path: Path) -> tuple[list[Entity], list[NameQuery]]:
    """Persons with a Latin name and a name in another script: the store (their Latin
    names) and the queries (their other names, grouped by script)."""
    return latin_stored(read_list(path).entities, other_script)


def main(argv: list[str] | None = None) -> int:
    return main_of(__doc__.splitlines()[0], DATASET, build_suite, "original scripts (UK persons)", argv)


if __name__ == "__main__":
    raise SystemExit(main())
