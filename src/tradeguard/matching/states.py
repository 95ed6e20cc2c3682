"""The state an organisation's name ends by naming: "of Iran", "of the Islamic Republic of
Iran", "of the Russian Federation", and the Persian or Arabic "جمهوری اسلامی ایران"
(republic, Islamic, Iran, as its words translate).

A state body is written with its state or without it ("Defense Industries Organization of
the Islamic Republic of Iran"; the SDN list: DEFENSE INDUSTRIES ORGANIZATION), so a name
that leaves it out is the same name; two names that each name a state must name the same
one (Central Bank of Iran is not Central Bank of Iraq, one letter apart). A state is read
only where the name says it is one: after "of" in Latin letters, or after a word of a
state's title (republic, federation, kingdom ...) in translated words; a bare country word
("Bank Melli Iran", "Air India") stays a word of the name.

Source of the country names: rigour's territories (the OpenSanctions reference data): each
current country's name, full name and name in a sentence.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from rigour.territories import get_territories

# Words of a state's title that a translated word may stand for (the full names hold them:
# Islamic Republic of Iran, Syrian Arab Republic, Russian Federation, United Kingdom).
STATE_TITLE_WORDS = frozenset({
    "republic", "federation", "kingdom", "emirate", "emirates", "state", "states", "sultanate",
    "principality", "commonwealth", "confederation",
})
# ... and the words beside them in a title.
STATE_TITLE_ADJECTIVES = frozenset({
    "islamic", "arab", "democratic", "people", "peoples", "popular", "socialist", "federal",
    "united", "bolivarian", "plurinational", "hashemite", "federative", "cooperative",
})
MIN_NAME_TOKENS = 2  # a state is a qualifier of a name, never most of it ("Bank of China")


@lru_cache(maxsize=1)
def _countries() -> dict[tuple[str, ...], str]:
    """Each spelling of a current country's name, as normalised tokens -> its code."""
    from tradeguard.matching.normalize import tokenize  # (normalize reads this module)

    names: dict[tuple[str, ...], str] = {}
    for territory in get_territories():
        if not territory.is_country or territory.is_historical:
            continue
        for spelling in (territory.name, territory.full_name, territory.in_sentence):
            tokens = tuple(t for t in tokenize(spelling) if t != "the")
            if tokens:
                names.setdefault(tokens, territory.code)
    return names


@lru_cache(maxsize=1)
def _longest_country() -> int:
    return max(len(tokens) for tokens in _countries())


def state_qualifier(
    tokens: Sequence[str], optional: Sequence[bool], glosses: Sequence[tuple[str, ...]],
) -> tuple[int, str] | None:
    """The position where a name's closing state qualifier starts and the state's code
    (rigour's), or None. ``optional``: per token, whether it is a word that does not
    identify a party (a function word, a legal form); ``glosses``: per token, the English
    words a word in another script translates as (or none)."""
    n = len(tokens)
    countries = _countries()
    for length in range(min(_longest_country(), n - 1), 0, -1):
        code = countries.get(tuple(tokens[n - length:]))
        if code is None:
            continue
        start = n - length
        k = start
        while k > 0 and tokens[k - 1] == "the":
            k -= 1
        if k > 0 and tokens[k - 1] == "of":
            return _enough_left(optional, k - 1, code)
    return _translated_qualifier(optional, glosses)


def _translated_qualifier(optional: Sequence[bool], glosses: Sequence[tuple[str, ...]]) -> tuple[int, str] | None:
    """A closing run of translated words, a country's name last and a word of a state's
    title before it (جمهوری اسلامی ایران: republic, Islamic, Iran)."""
    n = len(glosses)
    if not n or not glosses[-1]:
        return None
    countries = _countries()
    code = next((countries[(word,)] for word in glosses[-1] if (word,) in countries), None)
    if code is None:
        return None
    k = n - 1
    titled = False
    while k > 0 and glosses[k - 1]:
        words = set(glosses[k - 1])
        if words & STATE_TITLE_WORDS:
            titled = True
        elif not words & STATE_TITLE_ADJECTIVES:
            break
        k -= 1
    return _enough_left(optional, k, code) if titled else None


def _enough_left(optional: Sequence[bool], start: int, code: str) -> tuple[int, str] | None:
    """The qualifier from ``start``, if the name keeps enough words before it."""
    if sum(1 for k in range(start) if not optional[k]) < MIN_NAME_TOKENS:
        return None
    return start, code


__all__ = ["state_qualifier"]
