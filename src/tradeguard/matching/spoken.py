"""A Latin name read as the language of its spelling says it.

The scripts that write a foreign name by its sound write a French or Spanish name as that
language says it: Жак Ширак, جاك شيراك and ז'אק שיראק are Jacques Chirac, Франсуа Олланд
François Hollande, Лоран Laurent; Хорхе, Хуан, Хосе and Хоакин are Jorge, Juan, José and
Joaquín. Read as English spells them, with the dzh of Jacques and Jorge, the ch of Chirac
and the t of Laurent, they meet nothing. ``spoken_reading`` spells a Latin token by the
letter-to-sound rules of a language (``data/french.yml``, ``data/spanish.yml``): French ch
and j as sh and zh, its nasal vowels, its silent endings and h; Spanish j and a g before
e or i as kh, z as s, h unsaid. The readers of sounds take the readings beside the token's
own (``heard``); the abjads' reader takes the French one (``abjad.other_readings``), the
kana and Hangul reader both (``loanwords``: the French one at a cost, where the spelling
shows French; the Spanish j, said h, as one of a name's own readings).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from tradeguard.matching.reference import load_reference

LANGUAGES = ("french", "spanish")
MIN_LETTERS = 3  # (shorter words are read as spelt)
# A reading by a language's rules is another reading of the spelling than English's: weaker
# evidence than the spelling's own, and a looser one, so the readers of sounds count it this
# much dearer (on their scales of edit costs, where a letter is 1): the alphabets' reader
# (heard.py) checks its vowels too, the abjads' and kana's reader hardly, which costs more
# there (Michael, French "mishael", is no משה; Miles, "mil", no ミラー).
READING_COST = 0.1
READING_COST_CONSONANTS = 0.2


@dataclass(frozen=True, slots=True)
class SpellingRules:
    """Rules that spell a Latin token another way (a language's letter-to-sound rules, or
    another language's romanisation read back: ``national.py``), from a mapping of the
    schema of ``data/french.yml``: ``not_this``, optional ``marks``, ``rules``."""

    foreign: re.Pattern[str]  # marks of a word these rules do not read
    marks: re.Pattern[str] | None  # marks of a word spelt so (for the readers that ask)
    rules: tuple[tuple[re.Pattern[str], str], ...]  # in order

    @classmethod
    def from_data(cls, data: Any) -> SpellingRules:
        rules = tuple((re.compile(pattern), replacement) for pattern, replacement in data["rules"])
        marks = re.compile(data["marks"]) if "marks" in data else None
        return cls(re.compile(data["not_this"]), marks, rules)

    def shows(self, token: str) -> bool:
        """Whether ``token`` shows the ``marks`` of a word spelt so (False where there are
        none)."""
        return self.marks is not None and self.marks.search(token) is not None

    def read(self, token: str) -> str | None:
        """``token`` (lower-case ASCII letters) spelt by these rules, where that differs
        from the token; None otherwise, or for a word of ``foreign`` marks."""
        if len(token) < MIN_LETTERS or not token.isascii() or not token.isalpha() or self.foreign.search(token):
            return None
        said = token
        for pattern, replacement in self.rules:
            said = pattern.sub(replacement, said)
        return said if said and said != token else None


@lru_cache(maxsize=len(LANGUAGES))
def _language(language: str) -> SpellingRules:
    return SpellingRules.from_data(load_reference(f"{language}.yml"))


def spelt_in(language: str, token: str) -> bool:
    """Whether a Latin token's spelling shows ``language`` (the ``marks`` of its data:
    French Jacques, Chirac, Laurent; not Hubert, Suhail)."""
    return _language(language).shows(token)


@lru_cache(maxsize=200_000)
def spoken_reading(language: str, token: str) -> str | None:
    """``token`` (lower-case ASCII letters) spelt as ``language`` says it, where that
    differs from the token: French "jacques" -> "zhak", "laurent" -> "loran", "guillaume"
    -> "giyom"; Spanish "jorge" -> "khorkhe"; None otherwise."""
    return _language(language).read(token)


__all__ = ["LANGUAGES", "READING_COST", "READING_COST_CONSONANTS", "SpellingRules", "spelt_in", "spoken_reading"]
