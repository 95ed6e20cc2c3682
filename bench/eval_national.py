"""Russian names as other languages romanise them: the EU's persons' own aliases.

The EU's list (``../shared/data/lists/eu_fsf/*_DERIVED_names_*/all.json``, see
PROVENANCE.md) gives many Russian, Ukrainian and Belarusian persons aliases spelt the way
German, Polish, Dutch, Swedish, Czech or Slovak write their names ("Sergej
Wladilenowitsch Kirijenko", "Jevgenij Ševčenko") beside the English one. An alias is a
query here when one of its words holds a letter with a caron (č, š, ž ...) or a letter
group the English romanisation never writes (w, sch, sz, cz, sj, zj), the two groups the
figures are given for, and its person has another name of a Slavic ending (-ov, -ev, -in,
-ko, -sky, -ich ...) that holds none of them; the store holds every EU person with its
names that are not queries. Prints recall at the default threshold and the alerts on
another person.
The selection is by letters, not by tradeguard's readings (``national.py``), so that both
trees of a comparison screen the same queries. No target: the figures are for reference.

    python bench/eval_national.py [--show-misses 20]
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))

from name_queries import NameQuery, eu_persons_latin, main_of  # noqa: E402

from tradeguard.model import Entity, Name  # noqa: E402

DATASET = "eu_fsf/*_DERIVED_names_*/all.json"
# The groups of queries: a name with a letter of a caron (Czech, Slovak, the South Slavic
# and Baltic alphabets, Polish ż) first, else one with the other languages' letter groups.
_GROUPS = (
    ("letters with a caron", re.compile(r"[čćšžżđřěňťľ]")),
    ("w, sch, sz, cz, sj, zj", re.compile(r"w|sch|sz|cz|sj|zj")),
)
_SLAVIC_ENDING = re.compile(r"(ov|ev|in|ko|ij|ich|sky|skiy|ova|eva|ina)$")


def _group(name: str) -> str | None:
    """The group of a name written with another language's letters, None for another name."""
    words = name.lower().split()
    return next((label for label, letters in _GROUPS if any(letters.search(w) for w in words)), None)


def build_suite(path: Path) -> tuple[list[Entity], list[NameQuery]]:
    """The store (the EU's persons, without the names that are queries) and the queries."""
    store: list[Entity] = []
    cases: list[NameQuery] = []
    for k, names in eu_persons_latin(path):
        english = [n for n in names if _group(n) is None]
        slavic = any(_SLAVIC_ENDING.search(n.lower()) for n in english)
        queries = {n: group for n in names if (group := _group(n)) is not None} if slavic else {}
        kept = [n for n in names if n not in queries]
        if not kept:
            continue
        sid = f"eu-{k}"
        store.append(Entity(list="eu", source_id=sid, schema="Person",
                            names=[Name(n, "primary" if i == 0 else "alias") for i, n in enumerate(kept)]))
        cases.extend(NameQuery(group, n, sid) for n, group in queries.items())
    return store, cases


def main(argv: list[str] | None = None) -> int:
    return main_of(__doc__.splitlines()[0], {"EU persons' national spellings": DATASET}, build_suite, argv)


if __name__ == "__main__":
    raise SystemExit(main())
