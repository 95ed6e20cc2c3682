"""Chinese syllables in Hanyu Pinyin and in Wade–Giles.

A name in Chinese characters is read as pinyin syllables (``romanize``: "毛澤東" -> "mao ze
dong"), which meets a list that writes pinyin ("MAO Zedong") but not one that writes
Wade–Giles ("MAO Tse-tung"), as Taiwanese and many older entries do. Each syllable has a
key, its Wade–Giles spelling (with the aspiration apostrophe, without the diaeresis:
``han_syllable_key``), and a Latin token has the keys of the syllables it may spell, read
as pinyin, as Wade–Giles and as a customary surname spelling (``chinese_keys``: "chi" is
池 chi, or 吉 ji / 齊 qi written the Wade–Giles way; "Lee" is 李 li; "Wong" 黃 huang or 王
wang). Tables and sources in ``data/chinese.yml``.

The common words of company names (技术 technology, 电子 electronics, 集团 group) are also
read as the English words registries translate them into (``glossed_words``,
``data/chinese_glosses.yml``).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from tradeguard.matching.reference import load_reference
from tradeguard.matching.romanize import icu_transliterator


@lru_cache(maxsize=1)
def _data() -> Any:
    return load_reference("chinese.yml")


@lru_cache(maxsize=1)
def _wade_giles() -> dict[str, str]:
    """Every pinyin syllable -> its Wade–Giles spelling (with the aspiration apostrophe)."""
    data = _data()
    initials: dict[str, str] = {str(k): str(v) for k, v in data["initials"].items()}
    by_length = sorted(initials, key=len, reverse=True)
    finals = [(str(f), after, str(wg)) for f, after, wg in data["finals"]]
    whole = {str(k): str(v) for k, v in data["whole"].items()}

    def spell(syllable: str) -> str:
        if syllable in whole:
            return whole[syllable]
        initial = next((i for i in by_length if syllable.startswith(i) and len(syllable) > len(i)), "")
        final = syllable[len(initial) :]
        for f, after, wg in finals:
            if final == f and (after == "*" or initial in after):
                final = wg
                break
        return initials.get(initial, initial) + final

    return {str(s): spell(str(s)) for s in data["syllables"]}


@lru_cache(maxsize=1)
def _spellings() -> dict[str, tuple[str, ...]]:
    """Latin token -> the keys of the syllables it spells (pinyin first)."""
    wade_giles = _wade_giles()
    out: dict[str, list[str]] = {}
    for pinyin, wg in wade_giles.items():
        out.setdefault(pinyin, []).insert(0, wg)
        out.setdefault(wg.replace("'", ""), []).append(wg)  # as lists write it: no apostrophe
    customary = _data()["customary"]
    for token, syllables in customary.items():
        out.setdefault(str(token), []).extend(wade_giles[str(p)] for p in syllables)
    return {token: tuple(dict.fromkeys(keys)) for token, keys in out.items()}


def han_syllable_key(pinyin: str) -> str | None:
    """The key of a syllable read from Chinese characters (given in pinyin)."""
    return _wade_giles().get(pinyin)


def chinese_keys(token: str) -> tuple[str, ...]:
    """The keys of the Chinese syllables a Latin token may spell (empty if none)."""
    return _spellings().get(token, ())


@lru_cache(maxsize=1)
def _gloss_data() -> Any:
    return load_reference("chinese_glosses.yml")


@lru_cache(maxsize=1)
def _glosses() -> dict[str, tuple[str, ...]]:
    return {str(word): tuple(str(g) for g in found) for word, found in _gloss_data()["glosses"].items()}


@lru_cache(maxsize=1)
def left_out_glosses() -> frozenset[str]:
    """Glosses of words that English names leave out (深圳市: "city" of Shenzhen City)."""
    return frozenset(str(w) for w in _gloss_data()["left_out"])


@lru_cache(maxsize=1)
def _longest_gloss_word() -> int:
    return max(len(word) for word in _glosses())


def glossed_words(run: str) -> list[tuple[int, int, tuple[str, ...]]]:
    """The words of ``run`` (Chinese characters) that ``data/chinese_glosses.yml``
    translates, as (start, end, English words), read left to right, longest word first."""
    simplified = _simplified(run)
    table, longest = _glosses(), _longest_gloss_word()
    out: list[tuple[int, int, tuple[str, ...]]] = []
    start = 0
    while start < len(simplified):
        for end in range(min(len(simplified), start + longest), start, -1):
            found = table.get(simplified[start:end])
            if found is not None:
                out.append((start, end, found))
                start = end
                break
        else:
            start += 1
    return out


@lru_cache(maxsize=1)
def _transcription() -> tuple[frozenset[str], frozenset[str], dict[str, str]]:
    data = _data()
    readings = {str(ch): str(pinyin) for ch, pinyin in data["transcription_readings"].items()}
    characters, family_names = ("".join(str(data[key]).split()) for key in ("transcription_characters", "family_names"))
    return frozenset(characters), frozenset(family_names), readings


MAX_TRANSCRIBED = 8  # characters of one word of a foreign name (默克尔, 施瓦辛格, 波利特科夫斯卡娅)


def transcription_reading(word: str, syllables: Sequence[str], in_dotted_name: bool = False) -> str:
    """The pinyin syllables, apart ("pu jing"), of a word of Chinese characters
    (``syllables``: its romanisation, a syllable each) that may write a foreign name by its
    sound (``writes_foreign_name``), read as the transcription tables read them; else ""."""
    if len(syllables) != len(word) or not writes_foreign_name(word, in_dotted_name):
        return ""
    simplified = _simplified(word)
    readings = _transcription()[2]
    return " ".join(readings.get(ch, syllable) for ch, syllable in zip(simplified, syllables, strict=True))


# The middle dot Chinese and Japanese write between the words of a foreign name
# (弗拉基米尔·普京, Vladimir Putin; a Uyghur name's too): a name so written is a foreign one.
NAME_DOTS = frozenset("\u00b7\u30fb\u2027\u2022")


def dotted(text: str) -> bool:
    """Whether ``text`` writes its words apart with a middle dot (``NAME_DOTS``)."""
    return not NAME_DOTS.isdisjoint(text)


@lru_cache(maxsize=20_000)
def writes_foreign_name(word: str, in_dotted_name: bool = False) -> bool:
    """Whether a word of two to eight Chinese characters may write a foreign name by its
    sound: every character one of the transcription tables' (``data/chinese.yml``), and not
    two characters that start with a common family name (马林 Ma Lin), unless the word is
    one of a name written with the middle dot (伊戈尔·谢钦, Igor Sechin: 谢 is also the
    family name Xie). (习近平: 习 and 近 are not the tables'.)"""
    if not 2 <= len(word) <= MAX_TRANSCRIBED:
        return False
    simplified = _simplified(word)
    characters, family_names, _readings = _transcription()
    if len(simplified) != len(word) or any(ch not in characters for ch in simplified):
        return False
    return in_dotted_name or not (len(simplified) == 2 and simplified[0] in family_names)


def foreign_name_start(run: str, longest: int = MAX_TRANSCRIBED) -> int:
    """The length of the longest start of ``run``, of two characters or more and at most
    ``longest``, that may write a foreign name by its sound (``writes_foreign_name``: 4 for
    摩托罗拉公司, Motorola); 0 if none."""
    for end in range(min(len(run), longest, MAX_TRANSCRIBED), 1, -1):
        if writes_foreign_name(run[:end]):
            return end
    return 0


def _simplified(word: str) -> str:
    """``word`` in simplified characters, where ICU writes it character for character."""
    simplified = icu_transliterator("Traditional-Simplified").transliterate(word)
    return simplified if len(simplified) == len(word) else word


def japanese_family_length(run: str) -> int:
    """The length of the family name of a person's name written as one run of Chinese
    characters when it reads as Japanese: 2 for four or five characters (安倍晋三,
    小泉純一郎: a family name of two, a given name of two or three), unless the run starts
    with a Chinese compound surname (欧阳) or may write a foreign name (伊丽莎白 Elizabeth:
    ``writes_foreign_name``); else 0 (a Chinese or Korean name, read by its syllables:
    习近平)."""
    if len(run) not in (4, 5) or run[:2] in _data()["compound_surnames"] or writes_foreign_name(run):
        return 0
    return 2


__all__ = [
    "chinese_keys", "glossed_words", "han_syllable_key", "japanese_family_length", "left_out_glosses",
    "NAME_DOTS", "dotted", "foreign_name_start", "transcription_reading", "writes_foreign_name",
]
