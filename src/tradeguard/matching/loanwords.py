"""Foreign names written in Japanese kana or Korean Hangul against their Latin spelling.

Japanese writes a foreign name by its sound, in katakana: "Robert" is ロバート (robāto),
"Michael" マイケル (maikeru), "Elizabeth" エリザベス (erizabesu). The kana syllables have
no key in common with the Latin spelling, so the syllable keys that meet Japanese names
(Tanaka, Hiroshi) miss them. Here both sides are reduced to the consonant classes of
:mod:`.abjad` and folded as Japanese hears English: r and l are one sound, v is b, and the
vowels Japanese adds after a consonant (-u, -o, -i) are left out; on the Latin side an r
after a vowel is not pronounced (Peter, pītā) and an h after a letter is silent (John,
jon). What is left is compared with an edit distance of its own: th may be s or t, z may
be s, ch may be k or sh, g may be j; anything else costs a whole letter, and b and p stay
apart (バ and パ are two letters).

Korean writes foreign names by their sound too (the 1986 rules for loanwords: 로버트
Robert, 마이클 Michael, 트럼프 Trump): the same reading with Korean ears, where a word is
all the syllables Hangul writes for it, and b/p/f/v, d/t/th, g/k, j/z/ch are one letter each
(Korean spells them with one letter, plain or aspirated: ㅂ/ㅍ, ㄷ/ㅌ, ㄱ/ㅋ, ㅈ/ㅊ).
"""

from __future__ import annotations

import re
from functools import lru_cache

from tradeguard.matching.abjad import INITIAL_VOWEL, consonants, latin_classes, squeeze

# Letters each language hears as one, by the prefix of its syllable keys (normalize.py):
# (the fold of the written word's romanisation, the fold of the Latin token). Korean
# writes b and v with ㅂ (romanised p or b), p and f with ㅍ (ph); its velars (ㄱ ㅋ: k, g,
# kh) and dentals (ㄷ ㅌ: t, d, th) are taken as one letter each, l and r as one (ㄹ, and
# ㄹㄹ for an l between vowels: 엘리자베스 el-li-ja-be-seu).
_JAPANESE = str.maketrans({"r": "l", "v": "b"})
_FOLDS = {
    "j": (_JAPANESE, _JAPANESE),
    "k": (
        str.maketrans({"r": "l", "p": "b", "f": "p", "g": "k", "x": "k", "d": "t", "T": "t", "S": "s"}),
        str.maketrans({"r": "l", "v": "b", "f": "p", "g": "k", "x": "k", "q": "k", "d": "t", "D": "t",
                       "z": "j", "Z": "j", "S": "s"}),
    ),
}
_POST_VOCALIC_R = re.compile(r"(?<=[aeiouy])r(?=[^aeiouy]|$)")
_ADDED_VOWELS = "UJIiuHA"  # a final vowel: one Japanese adds after a consonant, or a long one
_VOWEL_CLASSES = frozenset("UJIiuHAEWY")  # ("V", an initial vowel, costs a letter)
_CHEAP = {
    frozenset("Ts"): 0.2, frozenset("Tt"): 0.2, frozenset("Dz"): 0.2, frozenset("Dd"): 0.2,
    frozenset("zs"): 0.2, frozenset("ck"): 0.3, frozenset("cS"): 0.3, frozenset("gj"): 0.3,
    frozenset("xk"): 0.3, frozenset("fh"): 0.3, frozenset("qk"): 0.2, frozenset("Zj"): 0.3,
    frozenset("ct"): 0.3,  # chi for ti (Putin, pūchin)
}
_U_FAMILY = frozenset("Uu")
_LONG_VOWELS = frozenset("UI")


@lru_cache(maxsize=50_000)
def written_loan_classes(romanized: str, language: str = "j") -> str:
    """Classes of a kana or Hangul word's romanisation, heard as a foreign name: "robato"
    -> "lubt". A word that starts with a vowel starts with "V" (kana and Hangul write an
    initial vowel: オマル is Omar, モリ is not)."""
    classes = latin_classes(romanized).removeprefix(INITIAL_VOWEL).rstrip(_ADDED_VOWELS).translate(_FOLDS[language][0])
    return _initial(romanized) + (squeeze(classes) if language == "k" else classes)


def _initial(word: str) -> str:
    return INITIAL_VOWEL if word[:1] in "aeiou" else ""


@lru_cache(maxsize=200_000)
def latin_loan_classes(token: str, language: str = "j") -> tuple[str, ...]:
    """Classes of a Latin token as Japanese (or Korean) hears it, its final vowel left out
    (Taylor, teirā): an r after a vowel left out as English does (Robert, robāto;
    "lubit"), and kept as German does (Merkel, merukeru)."""
    spelt = token.replace("x", "ks")
    readings = dict.fromkeys((_POST_VOCALIC_R.sub("", spelt), spelt))
    return tuple(_heard(reading, language) for reading in readings)


def _heard(token: str, language: str) -> str:
    classes = latin_classes(token).removeprefix(INITIAL_VOWEL).rstrip(_ADDED_VOWELS).translate(_FOLDS[language][1])
    return _initial(token) + classes[:1] + classes[1:].replace("h", "")


_GAPS = {"h": 0.5, "w": 0.6, "y": 0.6}  # an h one side writes (ハ against a silent h); glides


def _gap(ch: str) -> float:
    if ch in _LONG_VOWELS:
        return 0.45  # a long vowel the other does not write (James, jeimuzu)
    if ch in _VOWEL_CLASSES:
        return 0.0
    return _GAPS.get(ch, 1.0)


def _vowel_sub(a: str, b: str) -> float:
    """Two vowels: free within the u or the i family, else half a letter (Brown, Brain)."""
    return 0.0 if (a in _U_FAMILY) == (b in _U_FAMILY) else 0.6


def _distance(a: str, b: str) -> float:
    prev = [0.0]
    for ch in b:
        prev.append(prev[-1] + _gap(ch))
    for i, ca in enumerate(a):
        ga = _gap(ca)
        cur = [prev[0] + ga]
        for j, cb in enumerate(b):
            if ca == cb:
                sub = 0.0
            elif ca in _VOWEL_CLASSES and cb in _VOWEL_CLASSES:
                sub = _vowel_sub(ca, cb)
            elif i == j == 0 and {ca, cb} == {"c", "k"}:
                sub = 1.0  # an initial ch is ch (Chandy, not Kondo); k only inside (Michael)
            else:
                sub = _CHEAP.get(frozenset((ca, cb)), 1.0)
            cur.append(min(prev[j] + sub, prev[j + 1] + ga, cur[j] + _gap(cb)))
        prev = cur
    return prev[-1]


@lru_cache(maxsize=200_000)
def loan_sim(romanized: str, latin: str, language: str = "j") -> float:
    """Similarity (the engine's token scale) of a kana word (its romanisation) and a Latin
    token read as the foreign name it may write: equal folded classes of three or more
    consonants 0.92, of two 0.82; a cheap difference 0.88 from four, 0.85 for three; a whole
    letter 0.78 from five consonants; else 0. (Less than a syllable key's 0.95: a sound
    heard through another language's ears is weaker evidence, and one short word alone
    stays under the threshold.)"""
    a = written_loan_classes(romanized, language)
    if not a:
        return 0.0
    cost, size = min(
        ((_distance(a, b), max(consonants(a), consonants(b))) for b in latin_loan_classes(latin, language) if b),
        default=(99.0, 0),
    )
    if size < 2:
        return 0.0
    if cost <= 0.1:
        return 0.92 if size >= 3 else 0.82
    if cost <= 0.45:
        return 0.88 if size >= 4 else 0.85 if size == 3 else 0.0
    if cost <= 1.0 and size >= 5:
        return 0.78
    return 0.0


# Index keys: consonants only, the cheap pairs folded together (th is looked up as t and
# as s).
_KEY_FOLD = str.maketrans({"c": "k", "x": "k", "q": "k", "z": "s", "D": "d", "Z": "j", "S": "s"})
_KEY_DROP = str.maketrans({ch: None for ch in "UJIiuHAEWYhwy"})


def loan_keys(classes: str) -> tuple[str, ...]:
    """Retrieval keys of loan classes (``kana_loan_classes`` or ``latin_loan_classes``)."""
    bare = squeeze(classes.translate(_KEY_DROP).translate(_KEY_FOLD))
    if "T" not in bare:
        return (bare,) if bare else ()
    return tuple(dict.fromkeys(squeeze(bare.replace("T", x)) for x in "ts"))


__all__ = ["latin_loan_classes", "loan_keys", "loan_sim", "written_loan_classes"]
