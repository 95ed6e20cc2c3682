"""A Russian name as another language romanises it, read back to the English spelling.

German writes Чернышенко "Tschernyschenko" and Ельцин "Jelzin", Polish "Jelcyn", Dutch
"Chroesjtsjov" for Хрущёв, French "Khrouchtchev"; the lists write Chernyshenko, Yeltsin,
Khrushchev. ``national_readings`` spells a Latin token by each language's system whose
marks it shows, read back (``data/national_romanisations.yml``): "tschernyschenko" ->
"chernyshenko", "jelzin" -> "yeltsin", "chroesjtsjov" -> "khrushchov". The scorer compares
the readings' skeletons as it compares two romanisations of one name, at ``READING_COST``
below (``score.token_sim``), and retrieval looks them up beside the token's own key
(``index.lookup``).
"""

from __future__ import annotations

import re
from functools import lru_cache

from tradeguard.matching.normalize import skeleton
from tradeguard.matching.reference import load_reference
from tradeguard.matching.spoken import SpellingRules

# A reading by another language's system is a sure reading of its letters, but one more
# step from the spelling than a romanisation variant of the skeleton: so much below it.
READING_COST = 0.05


@lru_cache(maxsize=1)
def _systems() -> tuple[tuple[SpellingRules, tuple[tuple[re.Pattern[str], str], ...]], ...]:
    """Each system's rules, and its ``either`` rules: letters it writes for two sounds
    (German s, initial, for с or з), each read the other way too, into a second reading."""
    return tuple(
        (SpellingRules.from_data(data), tuple((re.compile(p), r) for p, r in data.get("either", ())))
        for data in load_reference("national_romanisations.yml")["systems"].values()
    )


@lru_cache(maxsize=200_000)
def national_readings(token: str) -> tuple[str, ...]:
    """The English spellings of a Latin token (lower-case ASCII) read by each system whose
    marks it shows and whose ``not_this`` it does not, where the skeleton differs from the
    token's own: "jelzin" -> ("yeltsin",), "chruschtschow" -> ("khrushchov",); () for most."""
    own = skeleton(token)
    found: dict[str, None] = {}
    for system, either in _systems():
        if system.marks is None or system.marks.search(token) is None:
            continue
        spellings = [token, *(pattern.sub(other, token) for pattern, other in either if pattern.search(token))]
        for spelling in spellings:
            reading = system.read(spelling)
            if reading is not None and skeleton(reading) != own:
                found[reading] = None
    return tuple(found)


__all__ = ["READING_COST", "national_readings"]
