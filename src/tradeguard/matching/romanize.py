"""Romanisation of Korean, Japanese kana, Burmese, Thai and Chinese names as the lists write them.

ICU's transforms for these scripts are transliterations (Revised Romanization run
together for Hangul: 최룡해 -> "choelyonghae"; an academic letter-by-letter scheme for
Burmese; ISO 11940 with diacritics for Thai) that no list spelling resembles. Here:

* ``romanize(text)`` rewrites the runs of Hangul, kana, Myanmar and Thai letters in
  ``text`` into the Latin spelling the lists use, and leaves every other character alone
  (the caller transliterates other scripts afterwards):

  - Hangul: one token per syllable, McCune-Reischauer without diacritics in the DPRK's
    form (김정은 -> "kim jong un", 최룡해 -> "choe ryong hae", 리병철 -> "ri pyong chol");
    tables in ``data/hangul.yml``.
  - Kana: Hepburn as in Japanese passports (long vowels not written: たなか たろう ->
    "tanaka taro"; m before b, m, p), ICU's Hiragana/Katakana-Latin corrected. Kanji are
    left as they are.
  - Burmese: one token per syllable, in the customary spelling of Myanmar names
    (မင်းအောင်လှိုင် -> "min aung hlaing"), from a syllable parser and the tables of
    ``data/burmese.yml`` (initials, medials, rhymes, tones).
  - Thai: RTGS (ประยุทธ์ จันทร์โอชา -> "prayut chanocha"), one token per written word,
    from a heuristic syllable reader over ``data/thai.yml``.
  - Chinese characters: pinyin, one token per syllable (ICU's Han-Latin/Names; the
    Wade–Giles keys of the syllables are in :mod:`.chinese`).

* Keys that fold the Latin spellings of one syllable, so that a token written by someone
  else is recognised as the same syllable: ``korean_key`` (MR, RR, DPRK and customary
  South Korean spellings: Jeong/Jong/Chung/Jung, Lee/Ri/Yi, Park/Pak/Bak, Choi/Choe) with
  ``hangul_syllable_key`` for a Hangul syllable, ``burmese_key`` with
  ``burmese_syllable_key``, and ``japanese_key`` for Hepburn/Kunrei/wāpuro spellings.
  Each returns None for a token that does not read as one syllable (one word for
  Japanese) of that language.

* ``script_family(text)``: which of these scripts a word is written in.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from tradeguard.matching.reference import load_reference

__all__ = [
    "burmese_key",
    "burmese_syllable_key",
    "hangul_syllable_key",
    "strip_burmese_title",
    "icu_transliterator",
    "japanese_key",
    "korean_key",
    "romanize",
    "romanize_burmese_syllable",
    "romanize_hangul_syllable",
    "script_family",
    "starts_korean_name",
]




@lru_cache(maxsize=64)
def icu_transliterator(transform_id: str) -> Any:
    """An ICU transliterator, made once per transform id (shared: making one costs more
    than most of what it transliterates)."""
    import icu  # PyICU; imported lazily so that pure-ASCII use never pays for it

    return icu.Transliterator.createInstance(transform_id)


# --- scripts ---------------------------------------------------------------------------

_HANGUL_SYLLABLE_FIRST = 0xAC00
_HANGUL_SYLLABLE_LAST = 0xD7A3
_KANA_MARKS = "ー・"  # long-vowel mark and middle dot: kana only next to kana


def _family_of(ch: str) -> str | None:
    code = ord(ch)
    if (
        _HANGUL_SYLLABLE_FIRST <= code <= 0xD7AF
        or 0x1100 <= code <= 0x11FF
        or 0x3130 <= code <= 0x318F
    ):
        return "hangul"
    if 0x3041 <= code <= 0x30FF or 0x31F0 <= code <= 0x31FF or 0xFF66 <= code <= 0xFF9F:
        return "kana"
    if 0x1000 <= code <= 0x109F:
        return "burmese"
    if 0x0E01 <= code <= 0x0E5B:
        return "thai"
    if 0x1780 <= code <= 0x17DD:
        return "khmer"
    if 0x0E81 <= code <= 0x0EDF:
        return "lao"
    if 0x4E00 <= code <= 0x9FFF or 0x3400 <= code <= 0x4DBF or 0xF900 <= code <= 0xFAFF:
        return "han"
    return None


# The first code point of the scripts romanised here (Thai): text below it has none of them.
_FIRST_ROMANISED = "\u0e01"


def script_family(text: str) -> str | None:
    """Which of the scripts romanised here ``text`` is written in: "hangul", "kana",
    "burmese", "thai", "khmer", "lao" or "han" (the first one met among its letters), else None."""
    if max(text, default="") < _FIRST_ROMANISED:
        return None
    for ch in text:
        family = _family_of(ch)
        if family is not None and ch not in _KANA_MARKS:
            return family
    return None


def romanize(text: str) -> str | None:
    """``text`` with its Hangul, kana, Burmese, Thai, Khmer, Lao and Chinese runs romanised as the lists
    write names (other characters unchanged), or None when it has none of these scripts."""
    if max(text, default="") < _FIRST_ROMANISED:
        return None  # (NFC composes no letter of these scripts from letters below them)
    text = unicodedata.normalize("NFC", text)
    runs: list[tuple[str | None, str]] = []
    for ch in text:
        family = _family_of(ch)
        if ch in _KANA_MARKS and (not runs or runs[-1][0] != "kana"):
            family = None  # a long-vowel mark or middle dot outside kana
        if runs and runs[-1][0] == family:
            runs[-1] = (family, runs[-1][1] + ch)
        else:
            runs.append((family, ch))
    if not any(family for family, _ in runs):
        return None
    parts: list[str] = []
    for family, run in runs:
        if family == "hangul":
            latin = _romanize_hangul_run(run)
        elif family == "kana":
            latin = _romanize_kana_run(run)
        elif family == "burmese":
            latin = _romanize_burmese_run(run)
        elif family == "thai":
            latin = _romanize_thai_run(run)
        elif family == "khmer":
            latin = _romanize_khmer_run(run)
        elif family == "lao":
            latin = _romanize_lao_run(run)
        elif family == "han":
            latin = _romanize_han_run(run)
        else:
            latin = run
        # Keep a romanised run apart from letters or digits next to it.
        if parts and parts[-1][-1:].isalnum() and latin[:1].isalnum():
            parts.append(" ")
        parts.append(latin)
    return "".join(parts)


def _romanize_han_run(run: str) -> str:
    """Chinese characters as pinyin syllables, one token each, without tone marks (ICU's
    Han-Latin/Names, which reads the family-name characters as family names)."""
    return " ".join(icu_transliterator("Han-Latin/Names; Latin-ASCII").transliterate(run).lower().split())


def _latin_token(token: str) -> str:
    """Lower case ASCII letters of a Latin token (diacritics, apostrophes and hyphens
    dropped); "" when the token has a letter or digit that is not a Latin letter."""
    decomposed = unicodedata.normalize("NFKD", token.lower())
    letters = "".join(ch for ch in decomposed if "a" <= ch <= "z")
    if any(ch.isalnum() and not "a" <= ch <= "z" for ch in decomposed):
        return ""
    return letters


# --- Hangul ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Hangul:
    initials: tuple[tuple[str, str], ...]  # (spelling, key class) in Unicode order
    medials: tuple[tuple[str, str], ...]
    finals: tuple[tuple[str, str], ...]
    drop_initials: frozenset[str]
    drop_before: frozenset[str]
    latin_initials: dict[str, str]
    latin_vowels: dict[str, str]
    latin_finals: dict[str, str]
    silent: tuple[str, ...]
    family_names: frozenset[str]


@lru_cache(maxsize=1)
def _hangul() -> _Hangul:
    data = load_reference("hangul.yml")

    def rows(key: str, count: int) -> tuple[tuple[str, str], ...]:
        out = tuple((str(row[1] or ""), str(row[2] or "")) for row in data[key])
        if len(out) != count:
            raise ValueError(f"hangul.yml: {key} must have {count} rows")
        return out

    latin = data["latin"]
    return _Hangul(
        initials=rows("initials", 19),
        medials=rows("medials", 21),
        finals=rows("finals", 28),
        drop_initials=frozenset(str(x) for x in data["drop_initials"]),
        drop_before=frozenset(str(x) for x in data["drop_before"]),
        latin_initials={str(k or ""): str(v or "") for k, v in latin["initials"].items()},
        latin_vowels={str(k): str(v) for k, v in latin["vowels"].items()},
        latin_finals={str(k or ""): str(v or "") for k, v in latin["finals"].items()},
        silent=tuple(str(x) for x in latin["silent_after_vowel"]),
        family_names=frozenset(str(x) for x in data["family_names"]),
    )


def starts_korean_name(word: str) -> bool:
    """Whether a Hangul word starts with a Korean family name (data/hangul.yml), the way a
    Korean name written as one word does (김정은); a foreign name written by its sound
    mostly does not (스미스 Smith)."""
    return word[:1] in _hangul().family_names


def writes_loanword_syllable(word: str) -> bool:
    """Whether a Hangul word holds a syllable Korean writes only in a foreign word: a
    consonant with the vowel ㅡ and nothing after it (스, 드, 츠, 트: the vowel Korean adds
    to a consonant alone, 리처드 Richard). No Sino-Korean syllable, the syllables of Korean
    names, is one (their ㅡ always closes: 은, 근, 득)."""
    for syllable in word:
        if _HANGUL_SYLLABLE_FIRST <= ord(syllable) <= _HANGUL_SYLLABLE_LAST:
            initial, vowel, final = _jamo_indexes(syllable)
            if vowel == _JUNG_EU and final == 0 and initial != _CHO_IEUNG:
                return True
    return False


_JUNG_EU, _CHO_IEUNG = 18, 11  # (ㅡ among the vowels, ㅇ among the initials, in Unicode's order)


def _jamo_indexes(syllable: str) -> tuple[int, int, int]:
    if len(syllable) != 1 or not _HANGUL_SYLLABLE_FIRST <= ord(syllable) <= _HANGUL_SYLLABLE_LAST:
        raise ValueError(f"not a Hangul syllable: {syllable!r}")
    index = ord(syllable) - _HANGUL_SYLLABLE_FIRST
    return index // (21 * 28), index // 28 % 21, index % 28


def romanize_hangul_syllable(syllable: str) -> str:
    """One precomposed Hangul syllable in McCune-Reischauer without diacritics (DPRK form)."""
    tables = _hangul()
    i, m, f = _jamo_indexes(syllable)
    return tables.initials[i][0] + tables.medials[m][0] + tables.finals[f][0]


def _hangul_key(initial: str, vowel: str, final: str) -> str:
    tables = _hangul()
    if initial in tables.drop_initials and vowel in tables.drop_before:
        initial = ""
    return initial + vowel + final


def hangul_syllable_key(syllable: str) -> str:
    """The coarse key of a Hangul syllable (equal to ``korean_key`` of its romanisations)."""
    tables = _hangul()
    i, m, f = _jamo_indexes(syllable)
    return _hangul_key(tables.initials[i][1], tables.medials[m][1], tables.finals[f][1])


@lru_cache(maxsize=65536)
def korean_key(token: str) -> str | None:
    """The coarse key of a Latin token read as ONE Korean syllable (MR, RR, DPRK or a
    customary spelling), or None when it does not read as one."""
    word = _latin_token(token)
    if not word or len(word) > 8:
        return None
    tables = _hangul()
    for ilen in range(min(4, len(word)), -1, -1):
        initial = tables.latin_initials.get(word[:ilen])
        if initial is None:
            continue
        rest = word[ilen:]
        for vlen in range(min(4, len(rest)), 0, -1):
            vowel = tables.latin_vowels.get(rest[:vlen])
            if vowel is None:
                continue
            tail = rest[vlen:]
            final = tables.latin_finals.get(tail)
            if final is None:
                for silent in tables.silent:
                    if tail.startswith(silent):
                        final = tables.latin_finals.get(tail[len(silent) :])
                        if final is not None:
                            break
            if final is not None:
                return _hangul_key(initial, vowel, final)
    return None


def _romanize_hangul_run(run: str) -> str:
    out: list[str] = []
    pending = ""  # jamo or other characters of the run that are not syllables
    for ch in run:
        if _HANGUL_SYLLABLE_FIRST <= ord(ch) <= _HANGUL_SYLLABLE_LAST:
            if pending:
                out.append(pending)
                pending = ""
            out.append(romanize_hangul_syllable(ch))
        else:
            pending += ch
    if pending:
        out.append(pending)
    return " ".join(out)


# --- Japanese kana ---------------------------------------------------------------------

_KANA_FIXES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"vu~([aeio])"), r"v\1"),  # ヴィ
    (re.compile(r"(?<![a-z])u~([aeio])|(?<=[aeiou])u~([aeio])"), r"w\1\2"),  # ウィ ウェ ウォ
    (re.compile(r"([kgt])u~([aeio])"), r"\1w\2"),  # クァ
    (re.compile(r"fu~([aeio])"), r"f\1"),
    (re.compile(r"i~e"), "ye"),  # イェ
    (re.compile(r"~"), ""),
    (re.compile(r"dzu"), "zu"),  # づ
    (re.compile(r"dji"), "ji"),  # ぢ
    (re.compile(r"dj([auo])"), r"j\1"),
    (re.compile(r"(?<![a-z])wo(?![a-z])"), "o"),  # を as a word
    (re.compile(r"n'"), "n"),
    (re.compile(r"n(?=[bmp])"), "m"),  # passport Hepburn: Namba, Homma
    (re.compile(r"ou|oo|ō|ô"), "o"),
    (re.compile(r"uu|ū|û"), "u"),
    (re.compile(r"ā|â"), "a"),
    (re.compile(r"ī|î"), "i"),
    (re.compile(r"ē|ê"), "e"),
)


def _romanize_kana_run(run: str) -> str:
    text = unicodedata.normalize("NFKC", run)  # half-width katakana
    text = text.replace("・", " ")
    text = icu_transliterator("Katakana-Latin;Hiragana-Latin").transliterate(text)
    text = text.lower()
    for pattern, repl in _KANA_FIXES:
        text = pattern.sub(repl, text)
    return text


_JAPANESE_FOLDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"t?cch|tch"), "tty"),
    (re.compile(r"sh(?=[aiueo])"), "sy"),
    (re.compile(r"sh"), "syu"),
    (re.compile(r"ch(?=[aiueo])"), "ty"),
    (re.compile(r"tyy"), "ty"),
    (re.compile(r"tsu"), "tu"),
    (re.compile(r"ts(?=[aieo])"), "t"),
    (re.compile(r"fu"), "hu"),
    (re.compile(r"j(?=[aiueo])"), "zy"),
    (re.compile(r"dz"), "z"),
    (re.compile(r"d(?=[iu])"), "z"),
    (re.compile(r"syi|sy(?=e)"), "si"),
    (re.compile(r"tyi"), "ti"),
    (re.compile(r"zyi"), "zi"),
    (re.compile(r"oh(?![aiueoy])"), "o"),
    (re.compile(r"o[ou]"), "o"),
    (re.compile(r"uu"), "u"),
    (re.compile(r"aa"), "a"),
    (re.compile(r"ii"), "i"),
    (re.compile(r"ee"), "e"),
    (re.compile(r"m(?=[bpm])"), "n"),
    (re.compile(r"nn(?![aiueoy])"), "n"),
)
_JAPANESE_WORD = re.compile(
    r"(?:(?:[kgsztdnhbpmrfv]y?|[yw]|)[aiueo]|n(?![aiueoy])|([kgstdhbpmf])(?=\1))+"
)


@lru_cache(maxsize=65536)
def japanese_key(token: str) -> str | None:
    """The key of a Latin token read as a Japanese word (Hepburn, Kunrei or typed
    spellings: ou/oo/oh/o, uu/u, shi/si, chi/ti, tsu/tu, fu/hu, ji/zi, n/m before b p m),
    or None when it does not read as Japanese morae."""
    word = _latin_token(token)
    if not word:
        return None
    for pattern, repl in _JAPANESE_FOLDS:
        word = pattern.sub(repl, word)
    if not _JAPANESE_WORD.fullmatch(word):
        return None
    return word


# --- Burmese ---------------------------------------------------------------------------

_MY_ASAT = "\u103a"
_MY_VIRAMA = "\u1039"
_MY_DOT = "\u1037"  # dot below: creaky tone
_MY_VISARGA = "\u1038"  # high tone
_MY_ANUSVARA = "\u1036"
_MY_MEDIAL_Y = "\u103b\u103c"
_MY_MEDIAL_W = "\u103d"
_MY_MEDIAL_H = "\u103e"
_MY_VOWEL_SIGNS = "\u102b\u102c\u102d\u102e\u102f\u1030\u1031\u1032"
_MY_BODY = (
    _MY_VOWEL_SIGNS
    + _MY_MEDIAL_Y
    + _MY_MEDIAL_W
    + _MY_MEDIAL_H
    + _MY_ANUSVARA
    + _MY_DOT
    + _MY_VISARGA
    + _MY_ASAT
)


@dataclass(frozen=True, slots=True)
class _Burmese:
    consonants: dict[str, tuple[str, str]]
    independent: dict[str, str]
    y_medial: dict[str, str]
    h_medial: dict[str, str]
    h_medial_letters: frozenset[str]
    rhymes: dict[str, str]
    vocalic_wa: frozenset[str]
    fallback_finals: dict[str, str]
    creaky_t: frozenset[str]
    high_tone: dict[str, str]
    high_tone_not_after: dict[str, tuple[str, ...]]
    null_initial: dict[str, str]
    initial_by_rhyme: dict[str, dict[str, str]]
    latin_initials: frozenset[str]
    initial_fold: tuple[tuple[str, str], ...]
    latin_rhymes: dict[str, str]
    abbreviations: dict[str, str]
    titles: tuple[str, ...]  # longest first


@lru_cache(maxsize=1)
def _burmese() -> _Burmese:
    data = load_reference("burmese.yml")

    def strs(mapping: dict[Any, Any]) -> dict[str, str]:
        return {str(k): str(v or "") for k, v in mapping.items()}

    base = [str(x or "") for x in data["latin_initials"]]
    initials = set()
    for b in base:
        for y in ("", "y"):
            for w in ("", "w"):
                initials.add(b + y + w)
    return _Burmese(
        consonants={
            str(k): (str(v[0] or ""), str(v[1] or "")) for k, v in data["consonants"].items()
        },
        independent=strs(data["independent_vowels"]),
        y_medial=strs(data["y_medial"]),
        h_medial=strs(data["h_medial"]),
        h_medial_letters=frozenset(str(x) for x in data["h_medial_letters"]),
        rhymes=strs(data["rhymes"]),
        vocalic_wa=frozenset(str(x) for x in data["vocalic_wa_finals"]),
        fallback_finals=strs(data["fallback_finals"]),
        creaky_t=frozenset(str(x) for x in data["creaky_t"]),
        high_tone=strs(data["high_tone"]),
        high_tone_not_after={
            str(k): tuple(str(x) for x in v) for k, v in data["high_tone_not_after"].items()
        },
        null_initial=strs(data["null_initial"]),
        initial_by_rhyme={str(k): strs(v) for k, v in data["initial_by_rhyme"].items()},
        latin_initials=frozenset(initials),
        initial_fold=tuple((str(a), str(b)) for a, b in data["initial_fold"]),
        latin_rhymes=strs(data["latin_rhymes"]),
        abbreviations=strs(data["abbreviations"]),
        titles=tuple(sorted((unicodedata.normalize("NFC", str(t)) for t in data["titles"]), key=len, reverse=True)),
    )


def strip_burmese_title(run: str) -> str:
    """A run of Myanmar script without the rank or title it starts with (Senior General,
    Doctor; ``burmese.yml``), when a name follows it."""
    for title in _burmese().titles:
        if run.startswith(title) and len(run) > len(title):
            return run[len(title) :]
    return run


@dataclass(frozen=True, slots=True)
class _MySyllable:
    base: str  # consonant letter (အ for an independent vowel)
    signs: str  # medials, vowel signs, anusvara and tone marks, in text order
    final: str  # killed consonant letter ("" for none)


def _my_syllables(run: str) -> list[_MySyllable | str]:
    """Split a Myanmar run into syllables (and the characters that are not part of one)."""
    tables = _burmese()
    out: list[_MySyllable | str] = []
    i, n = 0, len(run)
    while i < n:
        ch = run[i]
        if ch in tables.independent:
            base, signs = "အ", tables.independent[ch]
        elif ch in tables.consonants:
            base, signs = ch, ""
        else:
            if ch not in _MY_BODY and ch not in _MY_VIRAMA:
                out.append(ch)  # digits, punctuation, letters of other languages
            i += 1  # a stray sign without a letter is dropped
            continue
        i += 1
        while i < n and run[i] in _MY_BODY:
            signs += run[i]
            i += 1
        final = ""
        if i < n and run[i] in tables.consonants:
            j = i + 1
            while j < n and run[j] == _MY_DOT:
                j += 1
            if j < n and run[j] == _MY_ASAT:
                final = run[i]
                signs += run[i + 1 : j]
                i = j + 1
                if i < n and run[i] == _MY_VIRAMA:  # kinzi: ng of this syllable
                    i += 1
                while i < n and run[i] in _MY_DOT + _MY_VISARGA + _MY_ASAT:
                    signs += run[i]
                    i += 1
            elif j < n and run[j] == _MY_VIRAMA:  # stacked: upper letter closes this syllable
                final = run[i]
                i = j + 1
        out.append(_MySyllable(base, signs, final))
    return out


def _my_vowel_id(signs: str) -> str:
    if "\u1031" in signs:
        return "aw" if "\u102c" in signs or "\u102b" in signs else "e"
    if "\u102d" in signs and "\u102f" in signs:
        return "o"
    if "\u102d" in signs or "\u102e" in signs:
        return "i"
    if "\u102f" in signs or "\u1030" in signs:
        return "u"
    if "\u1032" in signs:
        return "ai"
    if "\u102c" in signs or "\u102b" in signs:
        return "aa"
    return "a"


def _my_parts(syl: _MySyllable) -> tuple[str, str]:
    """The (initial, rhyme) spellings of a Myanmar syllable."""
    tables = _burmese()
    initial = tables.consonants[syl.base][0]
    signs = syl.signs
    vowel = _my_vowel_id(signs)
    final_class = tables.consonants[syl.final][1] if syl.final else ""
    if not final_class and _MY_ANUSVARA in signs:
        final_class = "m"
    medial_w = _MY_MEDIAL_W in signs
    if medial_w and vowel == "a" and final_class in tables.vocalic_wa:
        vowel, medial_w = "wu", False
    if any(m in signs for m in _MY_MEDIAL_Y):
        initial = tables.y_medial.get(initial, initial + "y")
    if _MY_MEDIAL_H in signs and syl.base in tables.h_medial_letters:
        initial = tables.h_medial.get(initial, "h" + initial)
    if medial_w:
        initial += "w"
    if final_class:
        rhyme = tables.rhymes.get(f"{vowel} {final_class}")
        if rhyme is None:
            rhyme = tables.rhymes.get(vowel, "a") + tables.fallback_finals.get(final_class, "")
        if _MY_DOT in signs and rhyme in tables.creaky_t:
            rhyme += "t"
    else:
        rhyme = tables.rhymes[vowel]
        if _MY_VISARGA in signs and vowel in tables.high_tone:
            not_after = tables.high_tone_not_after.get(vowel, ())
            if not (initial and initial.endswith(not_after)):
                rhyme = tables.high_tone[vowel]
    if not initial:
        rhyme = tables.null_initial.get(rhyme, rhyme)
    override = tables.initial_by_rhyme.get(initial, {}).get(rhyme)
    if override is not None:
        initial = override
    return initial, rhyme


def _my_syllable_of(syllable: str) -> _MySyllable:
    parts = _my_syllables(unicodedata.normalize("NFC", syllable))
    if len(parts) != 1 or not isinstance(parts[0], _MySyllable):
        raise ValueError(f"not one Myanmar syllable: {syllable!r}")
    return parts[0]


def romanize_burmese_syllable(syllable: str) -> str:
    """One Myanmar-script syllable in the customary spelling of names (မင်း -> "min")."""
    initial, rhyme = _my_parts(_my_syllable_of(syllable))
    return initial + rhyme


def _burmese_initial_key(initial: str) -> str:
    for prefix, repl in _burmese().initial_fold:
        if initial.startswith(prefix):
            return repl + initial[len(prefix) :]
    return initial


def burmese_syllable_key(syllable: str) -> str:
    """The coarse key of a Myanmar-script syllable (equal to ``burmese_key`` of its usual
    spellings)."""
    tables = _burmese()
    initial, rhyme = _my_parts(_my_syllable_of(syllable))
    rhyme_class = tables.latin_rhymes.get(rhyme, rhyme)
    return _burmese_initial_key(initial) + rhyme_class


@lru_cache(maxsize=65536)
def burmese_key(token: str) -> str | None:
    """The coarse key of a Latin token read as ONE Burmese syllable in the customary
    spellings (Oo/U, Htun/Tun, Hsan/San, Myint/Myin, Thein/Thien, Aung/Aong, Mg for
    Maung ...), or None when it does not read as one."""
    tables = _burmese()
    word = _latin_token(token)
    word = tables.abbreviations.get(word, word)
    if not word or len(word) > 10:
        return None
    for ilen in range(min(5, len(word)), -1, -1):
        initial = word[:ilen]
        if initial not in tables.latin_initials:
            continue
        rhyme = tables.latin_rhymes.get(word[ilen:])
        if rhyme is not None:
            return _burmese_initial_key(initial) + rhyme
    return None


def _romanize_burmese_run(run: str) -> str:
    """Syllables apart; other characters (spaces, digits, punctuation) kept in place."""
    text = ""
    after_syllable = False
    for part in _my_syllables(run):
        syllable = isinstance(part, _MySyllable)
        token = "".join(_my_parts(part)) if isinstance(part, _MySyllable) else part
        if text and (syllable or after_syllable) and not text[-1].isspace() and not token.isspace():
            text += " "
        text += token
        after_syllable = syllable
    return text


# --- Thai ------------------------------------------------------------------------------

_TH_LEADING = "เแโใไ"
_TH_TONES = "\u0e48\u0e49\u0e4a\u0e4b"
_TH_KARAN = "\u0e4c"  # thanthakhat: the letter is silent
_TH_SIGNS_AFTER = (
    "\u0e30\u0e31\u0e32\u0e33\u0e34\u0e35\u0e36\u0e37\u0e38\u0e39\u0e47\u0e45"  # ะ ั า ำ ิ ี ึ ื ุ ู ็ ๅ
)


@dataclass(frozen=True, slots=True)
class _Thai:
    consonants: dict[str, tuple[str, str]]
    clusters: dict[str, str]
    silent_vowel_finals: frozenset[str]
    leading_h: frozenset[str]
    heard_consonants: dict[str, str]
    heard_vowels: dict[str, str]


@lru_cache(maxsize=1)
def _thai() -> _Thai:
    data = load_reference("thai.yml")
    return _Thai(
        consonants={
            str(k): (str(v[0] or ""), str(v[1] or "")) for k, v in data["consonants"].items()
        },
        clusters={str(k): str(v) for k, v in data["clusters"].items()},
        silent_vowel_finals=frozenset(str(x) for x in data["silent_vowel_finals"]),
        leading_h=frozenset(str(x) for x in data["leading_h"]),
        heard_consonants={str(k): str(v) for k, v in data["heard_consonants"].items()},
        heard_vowels={str(k): str(v) for k, v in data["heard_vowels"].items()},
    )


_TH_CARRIER = "อ"
_TH_SILENT = "\u0e4c"  # thanthakhat: its letter is not said, so it makes no cluster (แมร์เคิล Merkel)
_TH_CLUSTER_SECOND = frozenset("รลว")


@lru_cache(maxsize=20_000)
def thai_letters(word: str) -> str:
    """A Thai word read letter by letter as the transcription of a foreign name
    (``heard_consonants`` in data/thai.yml): "ทรัมป์" -> "tramp", "จอร์จ" -> "jorj", where
    RTGS reads "sam" and "chot". "" for a word with no Thai letter."""
    t = _thai()
    consonants, vowels = t.heard_consonants, t.heard_vowels
    out: list[str] = []
    leading = ""  # a vowel written before the consonant it follows
    after_consonant = False
    for k, ch in enumerate(word):
        if ch in _TH_LEADING:
            leading = vowels[ch]
        elif ch == _TH_CARRIER:
            # A carrier at the start of a syllable; the vowel o after a consonant (จอร์จ).
            out.append(leading if leading or not after_consonant else "o")
            leading, after_consonant = "", False
        elif ch in consonants:
            sound = consonants[ch]
            if ch == "ก" and not leading and (k + 1 == len(word) or word[k + 1] in consonants
                                              or word[k + 1] == _TH_SILENT):
                sound = "k"  # ก ends a syllable as k (แจ็กสัน Jackson, บารัก Barack, มัสก์ Musk)
            if (leading and word[k - 1] in _TH_LEADING and word[k + 1 : k + 2] in _TH_CLUSTER_SECOND
                    and word[k + 2 : k + 3] not in vowels and word[k + 2 : k + 3] != _TH_SILENT):
                out.append(sound)  # a leading vowel comes after a cluster (แบลร์ Blair)
            else:
                out.append(sound + leading)
                leading = ""
            after_consonant = True
        elif ch in vowels:
            out.append(vowels[ch])
            after_consonant = False
    return "".join(out)


def _thai_word(word: str) -> str:
    """One written Thai word in RTGS, read syllable by syllable (heuristic)."""
    t = _thai()
    cons = t.consonants
    w = "".join(ch for ch in word if ch not in _TH_TONES)
    n = len(w)

    def at(k: int) -> str:
        return w[k] if 0 <= k < n else ""

    def starts_syllable(k: int) -> bool:
        """A consonant at k with a vowel after it (a sign, or อ read as o) or before it."""
        after = at(k + 1)
        return (
            bool(after)
            and (after in _TH_SIGNS_AFTER or after == "อ")
            or bool(at(k - 1))
            and at(k - 1) in _TH_LEADING
        )

    def marked(k: int) -> bool:
        """Letter at k carries the cancellation mark (after an optional i or u sign)."""
        return (
            at(k + 1) == _TH_KARAN
            or bool(at(k + 1))
            and at(k + 1) in "\u0e34\u0e38"
            and at(k + 2) == _TH_KARAN
        )

    def silent_at(k: int) -> bool:
        """Letter at k silenced by the cancellation mark, on it or on the letter after it."""
        return marked(k) or at(k + 1) in cons and marked(k + 1)

    def can_close(k: int, written_vowel: bool, short: bool = False) -> bool:
        """Consonant at k can end the syllable before it (``short``: after a short vowel,
        which a final r is silent after: มิตร mit, but ธนาธร tha-na-thon)."""
        if not at(k) or at(k) not in cons or starts_syllable(k) or marked(k):
            return False
        # A last letter after it would be left without a vowel: ภูมิพล is mi-phon.
        last = at(k + 1)
        if written_vowel and last in cons and not (last == "ร" and short) and k + 2 == n:
            return False
        return not (at(k + 1) == "ร" and at(k + 2) == "ร")  # รร: k starts a syllable

    out: list[str] = []
    i = 0
    while i < n:
        ch = w[i]
        if ch == "ฤ":
            out.append("rue")
            i += 2 if at(i + 1) == "ๅ" else 1
            continue
        lead = ""
        if ch in _TH_LEADING:
            lead = ch
            i += 1
            ch = at(i)
        if ch not in cons:
            i += 1
            continue
        if silent_at(i) and not lead and out:
            i += 2 if at(i + 1) == _TH_KARAN else 3 if at(i + 2) == _TH_KARAN else 1
            continue
        initial = cons[ch][0]
        i += 1
        nxt = at(i)
        if ch == "ห" and nxt in t.leading_h:
            initial = cons[nxt][0]
            i += 1
        elif ch == "อ" and nxt == "ย" and at(i + 1) not in _TH_SIGNS_AFTER:
            initial = "y"
            i += 1
        elif ch + nxt in t.clusters and not (nxt == "ร" and at(i + 1) == "ร"):
            vowel_follows = bool(at(i + 1)) and at(i + 1) in _TH_SIGNS_AFTER
            closes = nxt != "ว" and can_close(i + 1, False)
            if vowel_follows or lead and bool(at(i + 1)) or closes:
                initial = t.clusters[ch + nxt]
                i += 1
        # vowel
        signs = ""
        while at(i) in _TH_SIGNS_AFTER and at(i) != "":
            signs += w[i]
            i += 1
        vowel = ""
        may_close = True
        if lead == "เ":
            if "\u0e32" in signs:  # เา / เาะ
                vowel, may_close = ("o" if "\u0e30" in signs else "ao"), False
            elif "\u0e35" in signs and at(i) == "ย":  # เีย
                vowel = "ia"
                i += 1
                if at(i) == "ว" and not starts_syllable(i):
                    vowel, may_close = "iao", False
                    i += 1
            elif "\u0e37" in signs and at(i) == "อ":  # เือ
                vowel = "uea"
                i += 1
            elif "\u0e34" in signs:  # เิ
                vowel = "oe"
            elif not signs and at(i) == "อ" and not starts_syllable(i):  # เอ
                vowel = "oe"
                i += 1
            else:
                vowel = "e"
                may_close = "\u0e30" not in signs
        elif lead == "แ":
            vowel, may_close = "ae", "\u0e30" not in signs
        elif lead == "โ":
            vowel, may_close = "o", "\u0e30" not in signs
        elif lead:  # ใ ไ
            vowel, may_close = "ai", at(i) == "ย"
            if may_close:  # ไทย: the y adds nothing
                i += 1
                may_close = False
        elif "\u0e31" in signs and at(i) == "ว":  # ัว
            vowel = "ua"
            i += 1
        elif "\u0e33" in signs:
            vowel, may_close = "am", False
        elif "\u0e30" in signs:
            vowel, may_close = "a", False
        elif "\u0e31" in signs or "\u0e32" in signs:
            vowel = "a"
        elif "\u0e34" in signs or "\u0e35" in signs:
            vowel = "i"
        elif "\u0e36" in signs:
            vowel = "ue"
        elif "\u0e37" in signs:
            vowel = "ue"
            if at(i) == "อ":
                i += 1
        elif "\u0e38" in signs or "\u0e39" in signs:
            vowel = "u"
        elif "\u0e47" in signs:
            vowel = "o" if at(i) == "อ" else "e"
        elif at(i) == "อ" and not starts_syllable(i):
            vowel = "o"
            i += 1
        elif at(i) == "ว" and at(i + 1) in cons and at(i + 1) != "" and not starts_syllable(i + 1):
            vowel = "ua"
            i += 1
        elif at(i) == "ร" and at(i + 1) == "ร":  # รร: an, or a before another final
            i += 2
            if can_close(i, False):
                vowel = "a"
            else:
                vowel, may_close = "an", False
        elif can_close(i, False):
            vowel = "o"  # closed syllable with no written vowel: คน khon
        else:
            vowel, may_close = "a", False
        final = ""
        short = bool(signs) and signs in "\u0e31\u0e34\u0e38\u0e47" and not lead
        pali_final = (
            may_close
            and at(i) in t.silent_vowel_finals
            and at(i + 1) in ("\u0e34", "\u0e38")
            and (i + 2 == n or at(i + 2) in cons and starts_syllable(i + 2))
            and bool(signs)
            and signs in "\u0e31\u0e32"
        )
        if pali_final:  # ชาติ chat, สมบัติ sombat: the written i/u is not read
            out.append(initial + vowel + cons[w[i]][1])
            i += 2
            continue
        if may_close and can_close(i, bool(signs or lead), short):
            final = cons[w[i]][1]
            if final == "i" and vowel.endswith("i"):
                final = ""
            i += 1
            # Letters after the final that are silent: under the mark, or a cluster of the
            # final (จันทร์, ลักษณ์), or r after the final (มิตร mit).
            while i < n:
                silent_r = at(i) == "ร" and not starts_syllable(i)
                if at(i) == _TH_KARAN or at(i) in cons and (silent_at(i) or silent_r):
                    i += 1
                elif at(i) in "\u0e34\u0e38" and at(i + 1) == _TH_KARAN:
                    i += 2
                else:
                    break
        out.append(initial + vowel + final)
        while at(i) == _TH_KARAN:
            i += 1
    return "".join(out)


def _romanize_thai_run(run: str) -> str:
    parts = re.split(r"(\s+|[^\u0e01-\u0e4e]+)", run)
    return "".join(_thai_word(p) if p and "\u0e01" <= p[0] <= "\u0e4e" else p for p in parts)


# --- Khmer ------------------------------------------------------------------------------

_KM_COENG = "\u17d2"  # the next consonant is written below: a cluster (ស្រ sr) or the next onset
_KM_TO_SECOND = "\u17ca"  # triisap ៊: the letter says the vowels of the second series
_KM_TO_FIRST = "\u17c9"  # muusikatoan ៉: ... of the first series
_KM_BANTOC = "\u17cb"  # the syllable's vowel is short (គន់ kun)
_KM_SILENT = "\u17cd"  # toandakhiat: the letter is not said
_KM_REAHMUK = "\u17c7"  # a final h


@dataclass(frozen=True, slots=True)
class _Khmer:
    consonants: dict[str, tuple[str, str, str]]  # series ("a" or "o"), initial, final
    vowels: dict[str, tuple[str, str]]  # per series
    independent: dict[str, str]


@lru_cache(maxsize=1)
def _khmer() -> _Khmer:
    data = load_reference("khmer.yml")
    return _Khmer(
        consonants={str(k): (str(v[0]), str(v[1] or ""), str(v[2] or "")) for k, v in data["consonants"].items()},
        vowels={str(k): (str(v[0]), str(v[1])) for k, v in data["vowels"].items()},
        independent={str(k): str(v) for k, v in data["independent"].items()},
    )


@dataclass(slots=True)
class _KmLetter:
    """A consonant letter with what is written on it: letters below, vowel signs, marks."""

    base: str
    below: list[str]
    signs: str
    series: str | None  # moved by ៊ or ៉; None: the letter's own
    short: bool
    silent: bool
    final_h: bool


def _km_letters(run: str) -> list[_KmLetter | str]:
    """A Khmer run as its consonant letters with their signs, and independent vowels (str)."""
    t = _khmer()
    out: list[_KmLetter | str] = []
    i, n = 0, len(run)
    while i < n:
        ch = run[i]
        i += 1
        if ch in t.independent:
            out.append(t.independent[ch])
            continue
        if ch not in t.consonants:
            continue
        letter = _KmLetter(ch, [], "", None, False, False, False)
        while i < n and run[i] not in t.consonants and run[i] not in t.independent:
            sign = run[i]
            if sign == _KM_COENG and i + 1 < n and run[i + 1] in t.consonants:
                letter.below.append(run[i + 1])
                i += 2
                continue
            if sign == _KM_TO_SECOND:
                letter.series = "o"
            elif sign == _KM_TO_FIRST:
                letter.series = "a"
            elif sign == _KM_BANTOC:
                letter.short = True
            elif sign == _KM_SILENT:
                letter.silent = True
            elif sign == _KM_REAHMUK:
                letter.final_h = True
            else:
                letter.signs += sign
            i += 1
        out.append(letter)
    return out


@dataclass(slots=True)
class _KmSyllable:
    onset: str
    series: str
    signs: str
    final_h: bool
    final: str = ""
    short: bool = False
    vowel: str = ""  # an independent vowel letter's value (ឯក aek)


def _km_said(syllable: _KmSyllable) -> str:
    t = _khmer()
    k = 0 if syllable.series == "a" else 1
    if syllable.vowel:
        vowel = syllable.vowel
    elif syllable.signs:
        vowel = t.vowels[syllable.signs][k] if syllable.signs in t.vowels else "".join(
            t.vowels[s][k] for s in syllable.signs if s in t.vowels)
    else:
        vowel = t.vowels["short" if syllable.short else "closed" if syllable.final else "inherent"][k]
    final = t.consonants[syllable.final][2] if syllable.final else ""
    return syllable.onset + vowel + final + ("h" if syllable.final_h else "")


def _romanize_khmer_run(run: str) -> str:
    """A written Khmer word as Cambodian names spell it (data/khmer.yml): syllable by
    syllable, a consonant without a vowel sign after an open syllable its final."""
    t = _khmer()
    said: list[str] = []
    current: _KmSyllable | None = None

    def initial(letters: list[str]) -> str:
        return "".join(t.consonants[c][1] for c in letters)

    for letter in _km_letters(run):
        if isinstance(letter, str):  # an independent vowel: a syllable of its own
            if current is not None:
                said.append(_km_said(current))
            current = _KmSyllable("", "a", "", False, vowel=letter)
            continue
        if letter.silent:
            continue
        open_before = current is not None and not current.final
        if current is not None and open_before and not (letter.signs or letter.below or letter.final_h):
            current.final, current.short = letter.base, letter.short  # ends the syllable before it
            continue
        onset = [letter.base, *letter.below]
        if current is not None and open_before and letter.below:
            # A letter with one below it after an open syllable: it ends that syllable and
            # the one below starts the next (រង្ស៊ី rang-si).
            current.final = letter.base
            onset = letter.below
        if current is not None:
            said.append(_km_said(current))
        series = letter.series or t.consonants[onset[0]][0]
        current = _KmSyllable(initial(onset), series, letter.signs, letter.final_h, short=letter.short)
    if current is not None:
        said.append(_km_said(current))
    return "".join(said)


# --- Lao -------------------------------------------------------------------------------

_LO_LEADING = "ເແໂໄໃ"
_LO_CARRIER = "ອ"
_LO_SILENT_H = frozenset("ງຍນມລວຣ")  # ຫ before these marks the tone: not said (ຫລວງ luang)


@dataclass(frozen=True, slots=True)
class _Lao:
    consonants: dict[str, tuple[str, str]]
    vowels: dict[str, str]


@lru_cache(maxsize=1)
def _lao() -> _Lao:
    data = load_reference("lao.yml")
    return _Lao(
        consonants={str(k): (str(v[0] or ""), str(v[1] or "")) for k, v in data["consonants"].items()},
        vowels={str(k): str(v) for k, v in data["vowels"].items()},
    )


def _romanize_lao_run(run: str) -> str:
    """A written Lao word as Lao names are spelt (data/lao.yml): a consonant after a vowel
    and before another consonant (or the end) ends the syllable; a leading vowel is read
    after its consonant; ອ carries a vowel at the start of a syllable and is o elsewhere."""
    t = _lao()
    cons, vowels = t.consonants, t.vowels
    run = run.replace("ໍາ", "ຳ")  # (am typed as two signs)
    out: list[str] = []
    leading = ""
    after_vowel = False  # the syllable so far has its vowel: a consonant may end it
    n = len(run)
    for k, ch in enumerate(run):
        nxt = run[k + 1] if k + 1 < n else ""
        if ch in _LO_LEADING:
            leading = vowels[ch]
            after_vowel = False
        elif ch == _LO_CARRIER:
            if leading or not out or after_vowel:
                out.append(leading)  # a carrier (ອາ a, ໂອ o)
                after_vowel = bool(leading)
            else:
                out.append("o")  # between consonants (ທອງ thong)
                after_vowel = True
            leading = ""
        elif ch in cons:
            if ch == "ຫ" and nxt in _LO_SILENT_H:
                continue
            if ch == "ວ" and out and not after_vowel and not leading and run[k - 1] in cons and nxt in cons:
                out.append("ua")  # ວ between two consonants is the vowel ua (ຫລວງ luang)
                after_vowel = True
                continue
            ends = after_vowel and not leading and (not nxt or (nxt in cons and nxt != _LO_CARRIER) or nxt in _LO_LEADING)
            if ends:
                out.append(cons[ch][1])
                after_vowel = False
            else:
                out.append(cons[ch][0] + leading)
                after_vowel = bool(leading)
                leading = ""
        elif ch in vowels:
            out.append(vowels[ch])
            after_vowel = True
    return "".join(out)
