"""A Latin name read as French says it.

The scripts that write a foreign name by its sound write a French name as French says
it: Жак Ширак, جاك شيراك and ז'אק שיראק are Jacques Chirac, Франсуа Олланд François
Hollande, Лоран Laurent, Юбер Hubert. Read as English spells them, with the dzh of
Jacques, the ch of Chirac and the t of Laurent, they meet nothing. ``french_reading`` spells
a Latin token by the letter-to-sound rules of French (``data/french.yml``): its ch and j
as sh and zh, its nasal vowels, its silent endings and h. The readers of sounds take the
reading beside the token's own (``heard``, and the abjad and kana readings through
``abjad.other_readings``).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from tradeguard.matching.reference import load_reference

MIN_LETTERS = 3  # (shorter words are read as spelt)
# A reading by French rules is another language's reading of the spelling: weaker evidence
# than the spelling's own, and a looser one, so the readers of sounds count it this much
# dearer (on their scales of edit costs, where a letter is 1): the alphabets' reader
# (heard.py) checks its vowels too, the abjads' and kana's reader hardly, which costs more
# there (Michael, "mishael", is no משה; Miles, "mil", no ミラー).
FRENCH_COST = 0.1
FRENCH_COST_CONSONANTS = 0.2


@lru_cache(maxsize=1)
def _data() -> Any:
    return load_reference("french.yml")


@lru_cache(maxsize=1)
def _rules() -> tuple[re.Pattern[str], tuple[tuple[re.Pattern[str], str], ...]]:
    """The marks of a word that is not French, and the rules, in order."""
    rules = tuple((re.compile(pattern), replacement) for pattern, replacement in _data()["rules"])
    return re.compile(_data()["not_french"]), rules


@lru_cache(maxsize=1)
def _french_marks() -> re.Pattern[str]:
    return re.compile(_data()["french_marks"])


def spelt_french(token: str) -> bool:
    """Whether a Latin token's spelling shows French (``french_marks`` of the data: Jacques,
    Chirac, Laurent; not Hubert, Suhail)."""
    return _french_marks().search(token) is not None


@lru_cache(maxsize=200_000)
def french_reading(token: str) -> str | None:
    """``token`` (lower-case ASCII letters) spelt as French says it, where that differs
    from the token: "jacques" -> "zhak", "laurent" -> "loran", "guillaume" -> "giyom";
    None otherwise."""
    if len(token) < MIN_LETTERS or not token.isascii() or not token.isalpha():
        return None
    not_french, rules = _rules()
    if not_french.search(token):
        return None
    said = token
    for pattern, replacement in rules:
        said = pattern.sub(replacement, said)
    return said if said and said != token else None


__all__ = ["FRENCH_COST", "FRENCH_COST_CONSONANTS", "french_reading", "spelt_french"]
