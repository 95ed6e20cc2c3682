"""Chinese names written in Cyrillic letters, read back as pinyin.

Russian writes a Chinese name by the Palladius system (``data/palladius.yml``): ЦАО Лянь is
Cao Lian, ЧЖАО Инкуй Zhao Yingkui, Си Цзиньпин Xi Jinping. Read as Russian, these are
"Tsao Lyan'" and "Chzhao Inkuy", which no list's pinyin spelling resembles. A name whose
every word is a run of Palladius syllables, as a Chinese name is (two words of one to
three syllables, one of them a single syllable: the family name), is also read as pinyin
(``chinese_reading``), and matched that way beside its Russian reading. A Russian name
rarely parses so: most hold a cluster (Петров), an ending (-ов, -ий) or a letter (ы, ь
after another than н) that no syllable has.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from tradeguard.matching.normalize import has_cyrillic
from tradeguard.matching.reference import load_reference

LABIALS = frozenset("bpmf")  # the initials after which о is o (bo, po, mo, fo), not uo
APICAL = frozenset({"z", "c", "s"})  # the initials ы follows (zi, ci, si)
MAX_WORD_SYLLABLES = 3  # a Chinese family or given name written as one word
MAX_WORDS = 2  # a family name and a given name (a given name split by a hyphen is one)


@dataclass(frozen=True, slots=True)
class _Table:
    initials: dict[str, str]
    palatal: dict[str, str]
    finals: dict[str, tuple[str, bool]]
    alone: dict[str, str]
    longest: int  # the longest initial plus final, in letters


@lru_cache(maxsize=1)
def _table() -> _Table:
    data: Any = load_reference("palladius.yml")
    finals = {str(k): (str(v[0]), v[1] == "palatal") for k, v in data["finals"].items()}
    initials = {str(k): str(v) for k, v in data["initials"].items()}
    alone = {str(k): str(v) for k, v in data["alone"].items()}
    longest = max(len(i) for i in initials) + max(len(f) for f in finals)
    return _Table(initials, {str(k): str(v) for k, v in data["palatal_initials"].items()}, finals, alone,
                  max(longest, max(len(a) for a in alone)))


def _syllable(text: str) -> str | None:
    """The pinyin of one Palladius syllable written ``text``, or None."""
    t = _table()
    if text in t.alone:
        return t.alone[text]
    for size in (2, 1):
        initial, final = text[:size], text[size:]
        if initial not in t.initials or final not in t.finals:
            continue
        pinyin, palatal = t.finals[final]
        head = t.palatal.get(initial, t.initials[initial]) if palatal else t.initials[initial]
        if final == "ы" and head not in APICAL:
            return None
        if final == "о" and head not in LABIALS:
            pinyin = "uo"
        return head + pinyin
    return None


@lru_cache(maxsize=10_000)
def word_syllables(word: str) -> tuple[str, ...] | None:
    """The pinyin syllables of a Cyrillic word read as Palladius syllables (fewest first),
    or None when it does not read so whole."""
    word = word.lower().replace("ъ", "")  # (ъ marks a syllable break: Сиъань)
    if not word or not all("а" <= ch <= "я" for ch in word):
        return None
    longest = _table().longest
    best: list[tuple[str, ...] | None] = [None] * (len(word) + 1)
    best[0] = ()
    for start in range(len(word)):
        done = best[start]
        if done is None:
            continue
        for end in range(min(len(word), start + longest), start, -1):
            pinyin = _syllable(word[start:end])
            if pinyin is not None:
                found = best[end]
                if found is None or len(found) > len(done) + 1:
                    best[end] = (*done, pinyin)
    return best[-1]


_WORDS = re.compile(r"[^\W\d_]+")
_UKRAINIAN_ONLY = frozenset("іїєґ")
_AS_PALLADIUS = str.maketrans({"и": "ы", "і": "и", "ї": "и", "е": "э", "є": "е", "ґ": "г"})


def chinese_reading(name: str) -> str | None:
    """``name`` in pinyin when it is a Chinese name in Russian (or Ukrainian) letters: two
    words, a family name and a given name (hyphens split none), each of one to three
    Palladius syllables and one a single syllable; else None. "ЧЖАО Инкуй" -> "Zhao
    Yingkui"."""
    if not has_cyrillic(name):
        return None
    words = _WORDS.findall(name.replace("-", ""))  # (Мао Цзэ-дун: one given name)
    if not 2 <= len(words) <= MAX_WORDS:
        return None
    if any(ch in _UKRAINIAN_ONLY for ch in name.lower()):
        # Ukrainian writes the system's и as і, its ы as и and its э as е (Сі Цзіньпін, Лі Кецян).
        words = [word.lower().translate(_AS_PALLADIUS) for word in words]
    read: list[tuple[str, ...]] = []
    for word in words:
        syllables = word_syllables(word)
        if not syllables or len(syllables) > MAX_WORD_SYLLABLES:
            return None
        read.append(syllables)
    if not any(len(s) == 1 for s in read):
        return None
    return " ".join("".join(s).capitalize() for s in read)


__all__ = ["chinese_reading", "word_syllables"]
