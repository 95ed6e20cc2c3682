"""Name symbols: one given or family name across scripts, from rigour's Wikidata data.

rigour (the OpenSanctions name library, a dependency already) tags a name word with the
Wikidata items of the given and family names it may be: "Donald", "ドナルド", "Дональд" and
"دونالد" all carry Q13422248 (the given name Donald). Two words written in different
scripts that share such an item are one name, whatever their spelling says: "マイケル"
(maikeru) is Michael, "Γιάννης" Yannis. The engine uses it only for a query word in a
script it spells least well that no list token is spelt like (``NameIndex.spelling_gaps``,
``score._symbol_candidates``); Latin against Latin stays with the spelling rules.

The data takes a few seconds and a few hundred MB to load, so it is loaded on the first
such word, never for a Latin-only workload (or before a batch that will need it, see
``load_items``).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from tradeguard.matching.normalize import has_cyrillic

MIN_LATIN_LENGTH = 3  # shorter Latin words ("al", "bin", "un") carry noisy symbols


@lru_cache(maxsize=1)
def _tagger() -> Any:
    from rigour.names import NameTypeTag, analyze_names

    def tag(word: str) -> frozenset[str]:
        names = analyze_names(NameTypeTag.PER, [word], consolidate=False, phonetics=False, numerics=False)
        found: set[str] = set()
        for name in names:
            if len(name.parts) != 1:
                return frozenset()  # a word rigour reads as several: no symbol of the word
            found.update(s.id for s in name.symbols if s.category.value == "NAME")
        return frozenset(found)

    return tag


@lru_cache(maxsize=200_000)
def word_symbols(word: str) -> frozenset[str]:
    """The Wikidata name items (ids) of one written word; empty when it has none."""
    if not word or (word.isascii() and len(word) < MIN_LATIN_LENGTH) or word.isdigit() or not has_items(word):
        return frozenset()
    tagged: frozenset[str] = _tagger()(word)
    return tagged


def load_items() -> None:
    """Load the items now rather than on the first word that asks for them: before a
    batch's workers are forked (``NameIndex.prepare_other_scripts``), so that they share
    one copy."""
    _tagger()("name")


def has_items(word: str) -> bool:
    """Whether a word may carry items: not a Cyrillic one. The transliteration rules read
    Russian names well, a foreign name's sound is read by :mod:`.heard`, and the items would
    cost every workload with Russian names a few seconds and about 400 MB."""
    return not has_cyrillic(word)


__all__ = ["MIN_LATIN_LENGTH", "has_items", "load_items", "word_symbols"]
