"""Names in other scripts against a list's Latin names: the persons of the UK's, Australia's and Canada's lists.

Three lists give a person's name in the script of their country beside the Latin ones
(see PROVENANCE.md under ``../shared/data/lists``): the UK's "Non-Latin Script" column
(``uk_ofsi``, since 2023), Australia's "Original Script" names (``australia_dfat``) and
Canada's names written in another script (``canada_sema``): Cyrillic for the Russian and
Belarusian designations, Arabic script (Arabic, Persian, Pashto, Urdu) for the Middle
East, Iran and Afghanistan, a few Hebrew, Chinese, Korean, Ge'ez and Greek. Each list is a
suite of its own: the store holds its persons with their Latin names only; each name in
another script is a query that must find its person. Prints recall at the default
threshold per script and the alerts on another person; with ``--show-misses N`` the
missed names with the score their person reaches without a threshold. No target: like
``eval_original_scripts.py`` (the EU's list), a cross-list check of the kind the hidden
suites hold, from data no rule was written from (Australia's and Canada's showed the
Persian names that Latin writes as one word: docs/matching.md, section 1b).

    python bench/eval_list_scripts.py [--only UK|Australia|Canada] [--show-misses 10]
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

# The newest file of each is read (the UK's 2023 ConList and 2025 UK Sanctions List both
# hold such names; Australia's 2026 file; Canada's 2025 file).
DATASETS = {
    "UK": "uk_ofsi/*/*.xlsx",
    "Australia": "australia_dfat/*/*.xlsx",
    "Canada": "canada_sema/*/*.xml",
}


def build_suite(path: Path) -> tuple[list[Entity], list[NameQuery]]:
    """Persons with a Latin name and a name in another script: the store (their Latin
    names) and the queries (their other names, grouped by script)."""
    return latin_stored(read_list(path).entities, other_script)


def main(argv: list[str] | None = None) -> int:
    suites = {f"original scripts ({name} persons)": dataset for name, dataset in DATASETS.items()}
    return main_of(__doc__.splitlines()[0], suites, build_suite, argv)


if __name__ == "__main__":
    raise SystemExit(main())
