"""Japanese names written in Cyrillic letters, read back as katakana.

Russian writes a Japanese name by the Polivanov system (``data/polivanov.yml``): Синдзо Абэ
is Shinzo Abe, Сёко Асахара Shoko Asahara. Read as Russian, these are "Sindzo Abe" and
"Syoko Asakhara", which the lists' Hepburn spellings do not resemble closely enough. A
name whose every word is a run of Polivanov syllables, and which holds a letter or pair
that only this system writes (дз, цу, an э inside a word, сё, тя ...: Russian writes ш
and ч there), is also read as katakana (``japanese_reading``), which the kana step
romanises as the lists write Japanese names, and matched that way beside its Russian
reading, as a Chinese name in Russian letters is read as pinyin (:mod:`.palladius`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from tradeguard.matching.normalize import has_cyrillic
from tradeguard.matching.reference import load_reference

MAX_WORDS = 3  # a family name, a given name, and at most one more
_SMALL_TSU = "ッ"
_AFTER_VOWEL_I = "й"  # the second vowel of ai, ei, ui
_SYLLABIC_N = "н"
_VOWELS = frozenset("аиуэояюё")
_WORDS = re.compile(r"[^\W\d_]+")


@lru_cache(maxsize=1)
def _table() -> tuple[dict[str, str], tuple[str, ...]]:
    data: Any = load_reference("polivanov.yml")
    return {str(k): str(v) for k, v in data["syllables"].items()}, tuple(str(m) for m in data["markers"])


@lru_cache(maxsize=10_000)
def word_kana(word: str) -> str | None:
    """A Cyrillic word read as Polivanov syllables, in katakana ("синдзо" -> "シンゾ"), or
    None when it does not read so whole."""
    syllables, _markers = _table()
    word = word.lower()
    out: list[str] = []
    i = 0
    while i < len(word):
        for size in (3, 2, 1):
            kana = syllables.get(word[i : i + size])
            if kana is not None:
                out.append(kana)
                i += size
                break
        else:
            ch = word[i]
            nxt = word[i + 1 : i + 2]
            if ch == _AFTER_VOWEL_I and i and word[i - 1] in _VOWELS:
                out.append("イ")
            elif ch == _SYLLABIC_N and i and nxt not in _VOWELS:
                out.append("ン")  # (before a consonant or last; before a vowel it is нъ)
            elif nxt == ch and ch not in _VOWELS and i + 2 < len(word):
                out.append(_SMALL_TSU)  # a doubled consonant: Хаттори
            else:
                return None
            i += 1
    return "".join(out) or None


def japanese_reading(name: str) -> str | None:
    """``name`` in katakana when it is a Japanese name in Russian letters: one to three
    words, each a run of Polivanov syllables, one of them with a letter or pair that only
    the system writes (``markers``; in a name of two words or more, an э inside a word);
    else None. "Синдзо Абэ" -> "シンゾ アベ"."""
    if not has_cyrillic(name):
        return None
    words = _WORDS.findall(name)
    if not 1 <= len(words) <= MAX_WORDS:
        return None
    _syllables, markers = _table()
    lowered = [w.lower() for w in words]
    if not any(m in w for w in lowered for m in markers) and not (
        len(lowered) > 1 and any("э" in w[1:] for w in lowered)
    ):
        return None  # (an э inside a word is Polivanov's in a full name; alone, maybe a foreign one's: Рэй)
    read = [word_kana(w) for w in lowered]
    if any(r is None for r in read):
        return None
    return " ".join(r for r in read if r)


__all__ = ["japanese_reading", "word_kana"]
