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

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from name_queries import NameQuery, latin_stored, main_of, other_script  # noqa: E402

from tradeguard.model import Entity, Name  # noqa: E402

DATASET = "eu_fsf/*_DERIVED_names_*/all.json"


def build_suite(path: Path) -> tuple[list[Entity], list[NameQuery]]:
    """Persons with a Latin name and a name in another script: the store (their Latin
    names) and the queries (their other names, grouped by script)."""
    persons = [Entity("eu_derived", str(k), "Person",
                      names=[Name(n) for n in dict.fromkeys([record["name"], *record.get("aliases", [])])])
               for k, record in enumerate(json.loads(path.read_text(encoding="utf-8"))["entities"])
               if record.get("type") == "individual"]
    return latin_stored(persons, other_script)


def main(argv: list[str] | None = None) -> int:
    return main_of(__doc__.splitlines()[0], {"original scripts (EU persons)": DATASET}, build_suite, argv)


if __name__ == "__main__":
    raise SystemExit(main())
