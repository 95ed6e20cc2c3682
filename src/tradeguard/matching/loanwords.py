"""Foreign names written in Japanese kana or Korean Hangul against their Latin spelling.

Japanese writes a foreign name by its sound, in katakana: "Robert" is ロバート (robāto),
"Michael" マイケル (maikeru), "Elizabeth" エリザベス (erizabesu). The kana syllables have
no key in common with the Latin spelling, so the syllable keys that meet Japanese names
(Tanaka, Hiroshi) miss them. Here both sides are reduced to the consonant classes of
:mod:`.abjad` and folded as Japanese hears English: r and l are one sound, v is b, and the
vowels Japanese adds after a consonant (-u, -o, -i) are left out; on the Latin side an r
after a vowel is not pronounced (Peter, pītā) and an h after a letter is silent (John,
jon) unless said between vowels (Muharrem). What is left is compared with an edit distance
of its own: th may be s or t, z may be s, ch may be k or sh, g may be j; anything else
costs a whole letter, and b and p stay apart (バ and パ are two letters). Katakana also
writes the sounds a name has in its own language: a Slavic v as fu or wa (イワノフ Ivanov),
the German ch as h (バッハ Bach), si as shi; the Latin word is heard so too
(``latin_loan_classes``).

Korean writes foreign names by their sound too (the 1986 rules for loanwords: 로버트
Robert, 마이클 Michael, 트럼프 Trump): the same reading with Korean ears, where a word is
all the syllables Hangul writes for it, and b/p/f/v, d/t/th, g/k, j/z/ch are one letter each
(Korean spells them with one letter, plain or aspirated: ㅂ/ㅍ, ㄷ/ㅌ, ㄱ/ㅋ, ㅈ/ㅊ). A
syllable's final ㅂ is a p or a b (필립스 Phillips, 잡스 Jobs), 이 the vowel i (이고르
Igor), and a Japanese name is written by the Korean rules for Japanese (쓰 tsu, 후 fu:
후쿠다 Fukuda). A word of one syllable is read so beside a word only a foreign name writes
(팻 로버트슨, Pat Robertson), and its vowel must be the name's (팻 is not Pete).

Chinese writes a foreign name with characters chosen for their sound (the transcription
tables' characters, ``chinese.transcription_reading``: 普京 pu jing Putin, 默克尔 mo ke er
Merkel): each syllable alone, the vowel left out where the tables write a consonant with
it (布 bu b, 德 de d, 斯 si s, 尔 er r), pinyin's letters as English spells their sounds (x
sh, q ch, zh j), a final ng as n. Mandarin's plain and aspirated stops are one letter each
(b/p, d/t, g/k), as are l and r, and in a word of four consonants or more w, v and f (the
tables write a v with 沃 wo, 维 wei, 瓦 wa and 夫 fu: 瓦加诺娃 Vaganova); a final m is
written n or ng (特朗普 Trump), ti and ki are written ji (普京, 基辛格 Kissinger), sh may
be s or h (希特勒 Hitler), and the h English leaves silent is written (约翰 John).
"""

from __future__ import annotations

import re
from functools import lru_cache

from tradeguard.matching.abjad import (
    INITIAL_VOWEL,
    consonants,
    french_said,
    latin_classes,
    other_reading,
    squeeze,
)
from tradeguard.matching.heard import long_vowel_reading
from tradeguard.matching.spoken import READING_COST_CONSONANTS, spoken_reading

# Letters each language hears as one, by the prefix of its syllable keys (normalize.py):
# (the fold of the written word's romanisation, the fold of the Latin token). Korean
# writes b and v with ㅂ (romanised p or b), p and f with ㅍ (ph); its velars (ㄱ ㅋ: k, g,
# kh) and dentals (ㄷ ㅌ: t, d, th) are taken as one letter each, l and r as one (ㄹ, and
# ㄹㄹ for an l between vowels: 엘리자베스 el-li-ja-be-seu).
# The v of a Slavic -ov, -ev ("F", latin_classes) is said f, as both write it (イワノフ,
# 이바노프 Ivanov).
_JAPANESE = str.maketrans({"r": "l", "v": "b", "F": "f"})
_FOLDS = {
    "j": (_JAPANESE, _JAPANESE),
    "k": (
        str.maketrans({"r": "l", "p": "b", "f": "p", "g": "k", "x": "k", "d": "t", "T": "t", "S": "s"}),
        str.maketrans({"r": "l", "v": "b", "f": "p", "F": "P", "g": "k", "x": "k", "q": "k", "d": "t", "D": "t",
                       "z": "j", "Z": "j", "S": "s"}),
    ),
    "c": (
        str.maketrans({"r": "l", "b": "p", "d": "t", "g": "k", "I": "i", "U": "u"}),
        str.maketrans({"r": "l", "v": "f", "F": "f", "b": "p", "d": "t", "D": "t", "g": "k", "q": "k",
                       "x": "k", "Z": "j"}),
    ),
}
_LATIN_NG = re.compile(r"ng(?![aeiouy])")
_POST_VOCALIC_R = re.compile(r"(?<=[aeiouy])r(?=[^aeiouy]|$)")
_VOWEL_W = re.compile(r"(?<=[aeiouy])w(?=[aeiou])")
_ADDED_VOWELS = "UJIiuHAe"  # a final vowel: one Japanese adds after a consonant, or a long one
_VOWEL_CLASSES = frozenset("UJIiuHAEWYe")  # ("V", an initial vowel, costs a letter)
_CHEAP = {
    frozenset("Ts"): 0.2, frozenset("Tt"): 0.2, frozenset("Dz"): 0.2, frozenset("Dd"): 0.2,
    frozenset("zs"): 0.2, frozenset("ck"): 0.3, frozenset("cS"): 0.3, frozenset("gj"): 0.3,
    frozenset("xk"): 0.3, frozenset("fh"): 0.3, frozenset("qk"): 0.2, frozenset("Zj"): 0.3,
    frozenset("ct"): 0.3,  # chi for ti (Putin, pūchin)
}
# Chinese adds the pairs its transcriptions join: ji for ti and ki (普京 Putin, 基辛格
# Kissinger), x for s and h (希特勒 Hitler), a final n or ng for m, y and q for j (约翰
# John, 乔布斯 Jobs), w for v (free from four consonants), h for kh (哈梅内伊 Khamenei), and
# a syllable's final n.
# Japanese adds the letters katakana writes for sounds it lacks: a v as wa or fu (イワノフ
# Ivanov, フセスラフ Vseslav), kh as h (マラホフ Malakhov), a German j as y (ヤーコプ Jakob),
# the sh of a German st, sp and of a Slavic š that ASCII lost (シュターデルマン Stadelmann),
# the j of a z, and the ts of a German or Italian z (モーツァルト Mozart).
_CHEAP_JAPANESE = {**_CHEAP, frozenset("wb"): 0.3, frozenset("fb"): 0.3, frozenset("xh"): 0.2, frozenset("jy"): 0.3,
                   frozenset("Ss"): 0.3, frozenset("jz"): 0.3, frozenset("cz"): 0.3}
# Korean writes an English th as ㅅ, s (Roth 로스, Smith 스미스), a voiced s as ㅈ (킹즐리
# Kingsley), and a German or Italian z, said ts, as ㅊ (프란츠 Franz), where its fold reads j.
# It writes an English th as ㄷ, d, too (Heather 헤더, Rutherford 러더퍼드), and the j that
# German and the Slavic languages say y as one (Johann 요한). A syllable's final ㅂ writes a
# p or a b alike (필립스 Phillips, 제이콥스 Jacobs), as the v of a Slavic -ov, -ova is written
# ㅍ or ㅂ (이바노프 Ivanov, 이바노바 Ivanova): each is a letter of its own (P_OR_B).
P_OR_B = "P"
_CHEAP_KOREAN = {**_CHEAP, frozenset("Ts"): 0.1, frozenset("Tt"): 0.1, frozenset("js"): 0.3, frozenset("cj"): 0.3,
                 frozenset("jy"): 0.3, frozenset(P_OR_B + "p"): 0.0, frozenset(P_OR_B + "b"): 0.0}
_CHEAP_BY_LANGUAGE = {
    "j": _CHEAP_JAPANESE, "k": _CHEAP_KOREAN,
    "c": {**_CHEAP, frozenset("jt"): 0.3, frozenset("jk"): 0.3, frozenset("Ss"): 0.1, frozenset("Sh"): 0.3,
          frozenset("nm"): 0.3, frozenset("yj"): 0.2, frozenset("wf"): 0.3, frozenset("cj"): 0.2,
          frozenset("hk"): 0.3, frozenset("Nn"): 0.0, frozenset("Nm"): 0.3},
}
_U_FAMILY = frozenset("Uu")
_LONG_VOWELS = frozenset("UI")


@lru_cache(maxsize=50_000)
def written_loan_classes(romanized: str, language: str = "j") -> str:
    """Classes of a kana or Hangul word's romanisation, heard as a foreign name: "robato"
    -> "lubt"; for Chinese (``language`` "c"), of its pinyin syllables apart ("pu jing").
    A word that starts with a vowel starts with "V" (kana and Hangul write an initial
    vowel: オマル is Omar, モリ is not)."""
    if language == "c":
        return _pinyin_classes(romanized)
    if language == "j":
        romanized = _KANA_WA.sub("va", romanized)
    classes = latin_classes(romanized, vowel_after_glide=False).removeprefix(INITIAL_VOWEL).rstrip(_ADDED_VOWELS).translate(_FOLDS[language][0])
    if language == "j":
        classes = _LABIAL_N.sub("n", classes)
    return _initial(romanized) + (squeeze(classes) if language == "k" else classes)


# ワ after a vowel is the consonant w, or the v Japanese writes so (イワノフ Ivanov, シマコワ
# Simakova), never the glide that a Latin w between vowels may be.
_KANA_WA = re.compile("(?<=[aeiou])wa")

# Kana has one n, which Hepburn writes m before b, m and p (ランベール rambēru, Lambert;
# アウエンブルッガー auemburuggā, Auenbrugger); Japanese readings take both as n there.
_LABIAL_N = re.compile("m(?=[bp])")


# A syllable's final n, which the tables also write where the name has none (詹 zhan in
# 詹姆斯 James, 安 an for A-): a letter the other side may leave out at less than a whole one.
FINAL_N = "N"

# A pinyin syllable whose vowel the transcription tables add to a consonant alone (布 bu,
# 德 de, 斯 si), and pinyin initials as English spells their sounds.
_CONSONANT_ALONE = re.compile(r"[bpmf]u|[dtgkhln]e|(?:zh|ch|sh|[zcsr])i")
_PINYIN_SPELLINGS = (("zh", "j"), ("ch", "ch"), ("sh", "sh"), ("x", "sh"), ("q", "ch"), ("c", "ts"))
_PINYIN_VOWEL_GLIDES = ("yi", "wu")  # (yi, yin, ying, wu write the vowels i and u)
# A syllable of a vowel alone (阿 a, 埃 ai, 奥 ao; not 尔 er, an r): the syllable before it
# says its vowel (穆阿迈尔 mu a mai er, Muammar), which a consonant alone would not.
_VOWEL_SYLLABLE = re.compile("[aeo](?!r$)")


def _pinyin_classes(syllables: str) -> str:
    """Loan classes of the pinyin syllables of a transcribed name ("pu jing" -> "pujin")."""
    out = ""
    parts = syllables.split()
    for n, syllable in enumerate(parts):
        if syllable == "er":
            syllable = "r"
        elif _CONSONANT_ALONE.fullmatch(syllable) and not _VOWEL_SYLLABLE.match(parts[n + 1] if n + 1 < len(parts) else ""):
            syllable = syllable[:-1]
        elif syllable.startswith(_PINYIN_VOWEL_GLIDES) or (n and syllable.startswith("y")):
            syllable = syllable[1:]  # (亚 ya after a syllable: -ia, Garcia)
        for pinyin, english in _PINYIN_SPELLINGS:
            if syllable.startswith(pinyin):
                syllable = english + syllable[len(pinyin) :]
                break
        if syllable.endswith("ng"):
            syllable = syllable[:-1]
        classes = latin_classes(syllable, vowel_after_glide=False)
        if syllable.endswith("n") and len(syllable) > 1:
            classes = classes[:-1] + FINAL_N
        out += classes if n == 0 else classes.removeprefix(INITIAL_VOWEL)
    return squeeze(out.replace(FINAL_N + "n", "n").rstrip(_ADDED_VOWELS).translate(_FOLDS["c"][0]))


def _initial(word: str) -> str:
    return INITIAL_VOWEL if word[:1] in "aeiou" else ""


# Other readings of a Latin name, each heard beside the plain one: the ch German says after a
# vowel, which Japanese and Korean write with h (Bach バッハ, 바흐), and the w of wo, wu, which
# kana and Hangul write as the vowel u (Woodville ウッドヴィル, 우드빌).
_GERMAN_CH = re.compile(r"(?<=[aeiou])ch")
_INITIAL_W = re.compile(r"^w(?=[ou])")
# The c Italian says ch before e and i (Cervi 체르비, Cellini チェッリーニ; abjad's classes
# read it s, as French and Spanish say it); the z Spanish and Portuguese say s (Cruz
# 크루스).
_SOFT_C = re.compile(r"c(?=[ei])")

# Kana has no si or zi: it writes shi and ji (ヴァシリキ Vassiliki, ウジエル Uziel).
_SI = re.compile(r"s+(?=i)|c(?=i)")
_ZI = re.compile(r"z(?=i)")
# Korean writes a Japanese name's tsu and fu (Hepburn) as 쓰 ssu and 후 hu (쓰카모토
# Tsukamoto, 후지모토 Fujimoto).
_JAPANESE_TSU_FU = re.compile(r"tsu|fu")


def _korean_tsu_fu(found: re.Match[str]) -> str:
    return "su" if found.group(0) == "tsu" else "hu"


# A t and an s before a vowel, two letters (Robertson 로버트슨, ロバートソン) where the
# classes read ts as one (Tsukamoto); _APART keeps them apart in a reading.
_TS_APART = re.compile(r"ts(?=[aeiou])")
_APART = "|"
# Letters said otherwise than English says them, each read so too: a final b, d, g said
# p, t, k as German says them (Spiegelburg シュピーゲルブルク, Gottlieb ゴットリープ, Hamburg
# 함부르크); the dz and dzh of the Slavic languages, one sound (Dzerzhinsky ジェルジンスキー);
# an initial w said v by German (Wulz ヴルツ, Wagner 바그너); the Greek ch before r or l said
# k (Christiansen クリスチャンセン, Chloe).
_GERMAN_AND_SLAVIC = (
    (re.compile(r"b$"), "p"), (re.compile(r"d$"), "t"), (re.compile(r"g$"), "k"),
    (re.compile(r"dzh?"), "j"), (re.compile(r"^w(?=[aeiou])"), "v"), (re.compile(r"^ch(?=[rl])"), "k"),
)
# The l English leaves unsaid in -alk (Walker ウォーカー, 워커).
_UNSAID_L = re.compile(r"(?<=a)l(?=k)")
# A final r after a vowel, which German leaves unsaid where it says the r before a
# consonant (Asperger アスペルガー, 아스페르거; Schroeder 슈뢰더).
_FINAL_R = re.compile(r"(?<=[aeiouy])r$")
_SAID_H = re.compile(r"(?<=[aeiou])h(?=[aeiou])")  # an h between vowels is said (Muharrem, Batuhan)
_H_AFTER_VOWEL = re.compile(r"(?<=[aeiou])h(?=[^aeiouy])")
# An h after l, m, n or r, before a vowel: said by German (Gerhard 게르하르트) or not (Durham).
_H_AFTER_SONORANT = re.compile(r"(?<=[lmnr])h(?=[aeiou])")


@lru_cache(maxsize=200_000)
def latin_loan_classes(token: str, language: str = "j") -> tuple[str, ...]:
    """Classes of a Latin token as Japanese (or Korean, or Chinese) hears it: its own
    readings (``_own_loan_classes``), then those of the token as French says it
    (``_french_loan_classes``)."""
    return _own_loan_classes(token, language) + _french_loan_classes(token, language)


@lru_cache(maxsize=200_000)
def _french_loan_classes(token: str, language: str) -> tuple[str, ...]:
    """The classes of a Latin token read as French says it (``abjad.french_said``: Hubert
    ユベール, Jacques 자크) that its own readings do not give; not for Chinese, whose
    tables write foreign names by English sounds."""
    said = french_said(token) if language != "c" else None
    if not said:
        return ()
    own = set(_own_loan_classes(token, language))
    return tuple(c for c in _own_loan_classes(said, language) if c not in own)


@lru_cache(maxsize=200_000)
def _own_loan_classes(token: str, language: str) -> tuple[str, ...]:
    """Classes of a Latin token as Japanese (or Korean, or Chinese) hears it, its final vowel
    left out (Taylor, teirā): an r after a vowel left out as English does (Robert, robāto;
    "lubit"), kept as German does (Merkel, merukeru), or kept but for a final one (Asperger,
    asuperugā); with a long vowel before a final e (Dave, deibu), a Spanish j said h
    (James ハメス as Spanish says it: ``spoken.spoken_reading``), t and s apart (Robertson),
    the l of -alk unsaid (Walker), and a Japanese name's tsu and fu as Korean writes them
    (Tsukamoto 쓰카모토); also as ``abjad.other_reading`` reads it (George as Jorj, Mladic
    as Mladich) and with the readings above."""
    spelt = token.replace("x", "ks")
    if language == "c":
        spelt = _VOWEL_W.sub("v", spelt)  # a w between vowels is a consonant Chinese writes (维 wei: Makewell)
        spelt = _LATIN_NG.sub("n", spelt)  # (pinyin's final ng is read n: 林 lin for -ling)
    spellings = [spelt]
    if language != "c":
        other = other_reading(token)
        spellings += [other] if other else []
        spellings += [_GERMAN_CH.sub("kh" if language == "j" else "h", spelt)] if _GERMAN_CH.search(spelt) else []
        spellings += [_INITIAL_W.sub("", spelt)] if _INITIAL_W.match(spelt) else []
        spellings += [_SOFT_C.sub("ch", spelt)] if _SOFT_C.search(spelt) else []
        if "z" in spelt:
            spellings.append(spelt.replace("z", "s"))
        if language == "j" and (_SI.search(spelt) or _ZI.search(spelt)):
            spellings.append(_ZI.sub("j", _SI.sub("sh", spelt)))
        if language == "k" and _JAPANESE_TSU_FU.search(spelt):
            spellings.append(_JAPANESE_TSU_FU.sub(_korean_tsu_fu, spelt))
        if language == "k" and "kh" in spelt:
            # Korean writes the kh of Russian, Arabic and Persian names ㅎ, h (하메네이
            # Khamenei, 흐루쇼프 Khrushchev), an English one ㅋ (칸 Khan).
            spellings.append(spelt.replace("kh", "h"))
        spellings += [_UNSAID_L.sub("", spelt)] if _UNSAID_L.search(spelt) else []
        spanish = spoken_reading("spanish", spelt)
        spellings += [spanish.replace("kh", "h")] if spanish else []
        for pattern, said in _GERMAN_AND_SLAVIC:
            spellings += [pattern.sub(said, spelt)] if pattern.search(spelt) else []
        spellings += [_TS_APART.sub("t" + _APART + "s", spelt)] if _TS_APART.search(spelt) else []
        long = long_vowel_reading(spelt)
        spellings += [long] if long else []
    readings = dict.fromkeys(r for s in spellings for r in (_POST_VOCALIC_R.sub("", s), s))
    readings[_FINAL_R.sub("", spelt)] = None
    return tuple(dict.fromkeys(heard for reading in readings for heard in _heard(reading, language)))


def _heard(token: str, language: str) -> tuple[str, ...]:
    """The classes of one reading: an h after a letter left out as English leaves it (John),
    and kept where it is said, between vowels, or where a name may say it after one
    (Ahmad アフマド, 아흐마드)."""
    read = "".join(latin_classes(part, vowel_after_glide=False) for part in token.split(_APART))
    classes = read.removeprefix(INITIAL_VOWEL).rstrip(_ADDED_VOWELS).translate(_FOLDS[language][1])
    if language == "c":
        return (_initial(token) + classes,)  # (Chinese writes the h: 约翰 John)
    if language == "j":
        classes = _LABIAL_N.sub("n", classes)
    said = _initial(token) + classes
    if _SAID_H.search(token):
        return (said,)
    if _H_AFTER_SONORANT.search(token):
        return (_initial(token) + classes.replace("h", ""), said)
    first = 0 if _initial(token) else 1  # (an h after an initial vowel is after a letter: Ohtani)
    silent = _initial(token) + classes[:first] + classes[first:].replace("h", "")
    return (silent, said) if _H_AFTER_VOWEL.search(token) else (silent,)


_GAPS = {"h": 0.5, "w": 0.6, "y": 0.6}  # an h one side writes (ハ against a silent h); glides


def _gap(ch: str) -> float:
    if ch in _LONG_VOWELS or ch == FINAL_N:
        return 0.45  # a long vowel the other does not write (James, jeimuzu), or Chinese's final n
    if ch in _VOWEL_CLASSES:
        return 0.0
    return _GAPS.get(ch, 1.0)


def _vowel_sub(a: str, b: str) -> float:
    """Two vowels: free within the u or the i family, else half a letter (Brown, Brain)."""
    return 0.0 if (a in _U_FAMILY) == (b in _U_FAMILY) else 0.6


# Three consonants heard through Chinese may differ by one of the closest pairs only (y/j,
# q/j, x/s: one sound spelt two ways), not by a looser one (ji for ti or ki, a final n for
# m, w for v): 宁莉 ning li, a Chinese name, is not Nimr.
_CHINESE_THREE = 0.2


def _distance(a: str, b: str, cheap: dict[frozenset[str], float], initial_ch: bool) -> float:
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
            elif initial_ch and i == j == 0 and {ca, cb} == {"c", "k"}:
                # An initial ch is ch (Chandy, not Kondo); k only inside (Michael). (Not for
                # Chinese, which writes the ch that English says k with 克: 克里斯托弗.)
                sub = 1.0
            else:
                sub = cheap.get(frozenset((ca, cb)), 1.0)
            cur.append(min(prev[j] + sub, prev[j + 1] + ga, cur[j] + _gap(cb)))
        prev = cur
    return prev[-1]


# A name that ends in a vowel is written with it (Golani 골라니, ゴラニ): a kana or Hangul
# word that ends in a consonant (칼론, its n or batchim) writes no such name, nor one that
# ends in another vowel (마쓰이 Matsui is not Matsuo). (A final e or y may be unsaid or said
# i: Jane 제인, Kelly 켈리; an i may be written e, an a as ㅓ, romanised o (Mónika 모니커), an
# o as u, as Portuguese says it (Tiago 티아구).)
_SAID_LAST_VOWELS = frozenset("aiou")
_WRITTEN_AS = {"a": "ao", "i": "ie", "o": "ou", "u": "uo"}


def _ends_apart(romanized: str, latin: str) -> bool:
    """Whether a Latin name's said final vowel is not the written word's last letter."""
    said = latin[-1:]
    return said in _SAID_LAST_VOWELS and romanized[-1:] not in _WRITTEN_AS[said]


# The vowel of a Hangul word of one syllable (its romanisation, ㅓ and ㅗ both o) and the
# letters that write it first in an English-spelt name: a word of two consonants at most
# has little else to tell a name by (팻 Pat is not Pete, 댄 Dan not Don). Korean writes an
# English short a with ㅐ and a short e with ㅔ (Pat 팻, Ben 벤), an American short o
# with ㅏ as well (Bob 밥), and an u, er or ir with ㅓ (Bud 버드, Bert 버트).
_ONE_SYLLABLE = re.compile(r"[^aeiou]*([aeiou]+)[^aeiou]*")
_SYLLABLE_VOWEL_WRITES = {"a": "ao", "ae": "a", "e": "e", "o": "aeiou", "u": "ou", "i": "iey"}


def _vowel_apart(romanized: str, latin: str) -> bool:
    """Whether a Hangul word of one syllable writes another vowel than a Latin name starts
    with (``_SYLLABLE_VOWEL_WRITES``)."""
    found = _ONE_SYLLABLE.fullmatch(romanized)
    written = _SYLLABLE_VOWEL_WRITES.get(found.group(1)) if found else None
    first = next((ch for ch in latin if ch in "aeiouy"), "")
    return written is not None and first != "" and first not in written


# Two consonants heard alike: too little for a word alone to alert (0.76 as a name), but a
# name of two such words, each met, is two pieces of evidence (루크 켈리, Luke Kelly):
# there each counts as SIM_TWO_IN_NAME.
SIM_TWO_CONSONANTS = 0.82
SIM_TWO_IN_NAME = 0.85


@lru_cache(maxsize=200_000)
def loan_sim(romanized: str, latin: str, language: str = "j") -> float:
    """Similarity (the engine's token scale) of a kana word (its romanisation) and a Latin
    token read as the foreign name it may write: equal folded classes of three or more
    consonants 0.92, of two 0.82; a cheap difference 0.88 from four, 0.85 for three; a whole
    letter other than the last 0.78 from five consonants; else 0, and 0 for a word that
    does not end in the vowel a name ends in (a, i, o or u: ``_ends_apart``) or, of one
    Hangul syllable, writes another vowel than the name's (``_vowel_apart``). (Less than a
    syllable key's 0.95: a sound heard through another language's ears is weaker evidence,
    and one short word alone stays under the threshold.)"""
    a = written_loan_classes(romanized, language)
    if not a or (language != "c" and _ends_apart(romanized, latin)):
        return 0.0
    if language == "k" and _vowel_apart(romanized, latin):
        return 0.0
    cheap = _CHEAP_BY_LANGUAGE[language]
    french = [(cost + READING_COST_CONSONANTS, size, b) for cost, size, b in
              (_pair_cost(a, b, language, cheap) for b in _french_loan_classes(latin, language) if b)]
    cost, size, b = min(
        (*(_pair_cost(a, b, language, cheap) for b in _own_loan_classes(latin, language) if b), *french),
        default=(99.0, 0, ""),
    )
    if size < 2:
        return 0.0
    if cost <= 0.1:
        return 0.92 if size >= 3 else SIM_TWO_CONSONANTS
    if cost <= 0.45:
        if size == 3 and language == "c" and cost > _CHINESE_THREE:
            return 0.0
        return 0.88 if size >= 4 else 0.85 if size == 3 else 0.0
    if cost <= 1.0 and size >= 5 and _last_consonant(a) == _last_consonant(b):
        return 0.78  # (a letter other than the last: Patrushev's is not Petrushin's)
    return 0.0


def _pair_cost(a: str, b: str, language: str, cheap: dict[frozenset[str], float]) -> tuple[float, int, str]:
    """The cost of two loan readings, the consonants of the longer, and ``b`` itself."""
    size = max(consonants(a), consonants(b))
    if language == "c" and size >= 4:
        # The tables write a v with 瓦 wa, 沃 wo, 维 wei (瓦加诺娃 Vaganova): one letter with w
        # and f in a word of four consonants or more; in three, the cheap pair, which the
        # three-consonant rule refuses (文凯, Wen Kai, is not Vink).
        return _distance(a.replace("w", "f"), b.replace("w", "f"), cheap, False), size, b
    return _distance(a, b, cheap, language != "c"), size, b


def _last_consonant(classes: str) -> str:
    return classes.rstrip(_VOWEL_LETTERS)[-1:]


_VOWEL_LETTERS = "".join(sorted(_VOWEL_CLASSES))  # (for str.rstrip)

# Index keys: consonants only, the cheap pairs folded together (th is looked up as t and
# as s).
_KEY_FOLD = str.maketrans({"c": "k", "x": "k", "q": "k", "z": "s", "D": "d", "Z": "j", "S": "s"})
_KEY_DROP = str.maketrans({ch: None for ch in "UJIiuHAEWYhwy"})
# Chinese also folds the letters its cheap pairs join: ji for ti and ki, sh for s, a final
# n for m, y for j.
_CHINESE_KEY_FOLD = str.maketrans({"j": "t", "k": "t", "m": "n", FINAL_N: "n"})
# Letters looked up as either of two: a th as t and as s; a Korean final ㅂ as b and as p.
_KEY_EITHER = {"T": "ts", P_OR_B: "bp"}


def loan_keys(classes: str, language: str = "j", written: bool = False) -> tuple[str, ...]:
    """Retrieval keys of loan classes (``written_loan_classes``, ``written`` True, or
    ``latin_loan_classes``); a letter of ``_KEY_EITHER`` gives a key for each reading. A
    Chinese w is looked up as the glide and as the v the tables also write with it
    (``_pair_cost``)."""
    if language == "c" and written and "w" in classes:
        return tuple(dict.fromkeys(k for spelt in (classes, classes.replace("w", "f")) for k in loan_keys(spelt, language)))
    bare = squeeze(classes.translate(_KEY_DROP).translate(_KEY_FOLD))
    if language == "c":
        bare = squeeze(bare.translate(_CHINESE_KEY_FOLD))
    keys = [bare] if bare else []
    for letter, readings in _KEY_EITHER.items():
        if letter in bare:
            keys = [squeeze(key.replace(letter, x)) for key in keys for x in readings]
    return tuple(dict.fromkeys(keys))


__all__ = ["P_OR_B", "SIM_TWO_CONSONANTS", "SIM_TWO_IN_NAME", "latin_loan_classes", "loan_keys", "loan_sim", "written_loan_classes"]
