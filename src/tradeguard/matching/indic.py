"""Names in the Indic scripts of northern India and Bangladesh (Devanagari, Bengali,
Gurmukhi, Gujarati, Oriya), in Malayalam and in Sinhala, in Latin letters as they are written.

ICU transliterates the northern scripts letter by letter (ISO 15919): every consonant
without a vowel sign keeps its inherent vowel and the sibilants become ś and ṣ, so that
अमित शाह reads "amita śāha" and रहमान "rahamāna", where the name is written Amit Shah and
Rahman. Hindi, Punjabi, Gujarati, Bengali and the other languages written in these scripts
do not pronounce the inherent vowel at the end of a word, nor in the middle of one between
two single consonants that each stand next to a vowel; names are written in Latin letters
as they are said. Here the vowel is dropped where it is not said (by writing the virama the
spelling leaves implicit) before ICU reads the word, and the letters ICU writes with marks
take the spelling names have: ś and ṣ as sh, c as ch, ch (छ) as chh, r̥ as ri, the nasal
before h as ng (सिंह Singh).

The rules are those of Hindi schwa deletion as described by M. Choudhury, A. Basu and
S. Sarkar, "A Diachronic Approach for Schwa Deletion in Indo Aryan Languages" (ACL SIGPHON
2004) and by Ohala (1983): inside a word the vowel goes in the context vowel-consonant _
consonant-vowel, scanning from the end, never in the first syllable nor next to a nasal
mark; at the end of a word it goes unless a consonant cluster precedes it (नरेन्द्र Narendra,
कृष्ण Krishna), and after a cluster too where the cluster ends in a stop after a nasal, r, l
or a sibilant (ट्रम्प Trump, पार्थ Parth).

Malayalam says its inherent vowels; ICU misreads its two-part vowel signs and keeps its
chillu letters, so its letters are read as the Devanagari letters of the same place in the
block. ICU has no transform for Sinhala: ``data/sinhala.yml`` spells it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from tradeguard.matching.reference import load_reference
from tradeguard.matching.romanize import icu_transliterator

__all__ = ["BENGALI_YA_PHALA_AA", "has_indic", "romanize_indic"]

# Offsets in the Unicode blocks, 128 code points each, that share the ISCII layout
# (Devanagari to Oriya, and Malayalam): the same offset is the same kind of letter in each.
_CONSONANTS = frozenset([*range(0x15, 0x3A), *range(0x58, 0x60), 0x70, 0x71])
_INDEPENDENT_VOWELS = frozenset([*range(0x04, 0x15), 0x60, 0x61, 0x72, 0x73])
_VOWEL_SIGNS = frozenset([*range(0x3E, 0x4D), *range(0x55, 0x58), 0x62, 0x63])
_NASAL_MARKS = frozenset([0x01, 0x02, 0x03])  # candrabindu, anusvara, visarga
_VIRAMA = 0x4D
_CANDRABINDU, _ANUSVARA, _NGA, _NA, _HA = 0x01, 0x02, 0x19, 0x28, 0x39
# Stops (with their aspirates and the nukta letters), and what may stand before a stop at
# the end of a word: nasals, r and l, sibilants.
_STOPS = frozenset([*range(0x15, 0x19), *range(0x1A, 0x1E), *range(0x1F, 0x23), *range(0x24, 0x28),
                    *range(0x2A, 0x2E), *range(0x58, 0x5F)])
_CODA_FIRST = frozenset([0x19, 0x1E, 0x23, 0x28, 0x2E, 0x30, 0x32, 0x33, 0x36, 0x37, 0x38])
_SIBILANTS = frozenset([0x36, 0x37, 0x38])  # श ष स
_GURMUKHI = 0x0A00
_TIPPI, _ADDAK = 0x0A70, 0x0A71  # Gurmukhi nasal and gemination marks
_GURMUKHI_BINDI = "\u0a02"
_NG = re.compile("\u1e45(?![kg])")


def _in_scripts(ch: str) -> bool:
    return "\u0900" <= ch <= "\u0b7f" or "\u0d00" <= ch <= "\u0dff"


def has_indic(text: str) -> bool:
    return any(_in_scripts(ch) for ch in text)


@lru_cache(maxsize=1)
def _sinhala() -> tuple[dict[str, str], dict[str, str], dict[str, str], dict[str, str]]:
    data = load_reference("sinhala.yml")
    return data["consonants"], data["vowels"], data["signs"], data["marks"]


_SINHALA_VIRAMA = "\u0dca"


def _romanize_sinhala(word: str) -> str:
    """A Sinhala word as names are written (data/sinhala.yml): a consonant says a unless a
    vowel sign or the al-lakuna follows; the anusvara before h is ng (සිංහ singha)."""
    consonants, vowels, signs, marks = _sinhala()
    out: list[str] = []
    letters = unicodedata.normalize("NFC", word)
    for k, ch in enumerate(letters):
        if ch in consonants:
            out.extend((consonants[ch], "a"))
        elif ch in signs and out and out[-1] == "a":
            out[-1] = signs[ch]
        elif ch == _SINHALA_VIRAMA and out and out[-1] == "a":
            out.pop()
        elif ch in vowels:
            out.append(vowels[ch])
        elif ch in marks:
            following = letters[k + 1 : k + 2]
            out.append("ng" if ch == "\u0d82" and following == "\u0dc4" else marks[ch])
        # (zero-width joiners and anything else: nothing)
    return "".join(out)


# Malayalam shares the layout of the blocks above, but ICU misreads its two-part vowel signs
# (മോ "mēā") and leaves its chillu letters (the consonants written without a vowel: ൻ n,
# ൽ l) as they are. Its letters are read as the Devanagari letters of the same offset, the
# chillus as consonant and virama; Malayalam says its inherent vowels, so none is dropped.
_MALAYALAM = 0x0D00
_CHILLU = {0x7A: 0x23, 0x7B: 0x28, 0x7C: 0x30, 0x7D: 0x32, 0x7E: 0x33, 0x7F: 0x15}


def _malayalam_as_devanagari(word: str) -> str:
    out: list[str] = []
    for ch in word:
        code = ord(ch)
        if not _MALAYALAM <= code < _MALAYALAM + 0x80:
            out.append(ch)
            continue
        off = code - _MALAYALAM
        if off in _CHILLU:
            out.append(chr(0x0900 + _CHILLU[off]) + chr(0x0900 + _VIRAMA))
        elif off == 0x57:  # au length mark (ൗ): the au sign
            out.append("\u094c")
        else:
            out.append(chr(0x0900 + off))
    return "".join(out)


def _offset(ch: str) -> tuple[int, int]:
    """(block start, offset in the block) of a character of the ISCII-layout blocks."""
    code = ord(ch)
    return code & ~0x7F, code & 0x7F


@dataclass
class _Unit:
    """A consonant with what follows it (nukta, vowel sign or virama, marks), or an
    independent vowel."""

    consonant: bool
    chars: list[str] = field(default_factory=list)
    vowel: str = "a"  # "a" (inherent), "sign", "none" (virama) or "dropped"
    nasal: bool = False

    @property
    def says_vowel(self) -> bool:
        """Whether a vowel is said here (an independent vowel, a sign, an inherent a kept)."""
        return not self.consonant or self.vowel in ("a", "sign")


def _units(word: str) -> list[_Unit]:
    units: list[_Unit] = []
    for ch in word:
        block, off = _offset(ch)
        gurmukhi_mark = block == _GURMUKHI and off in (_TIPPI & 0x7F, _ADDAK & 0x7F)
        if off in _CONSONANTS and not gurmukhi_mark:
            units.append(_Unit(True, [ch]))
            continue
        if off in _INDEPENDENT_VOWELS and not gurmukhi_mark:
            units.append(_Unit(False, [ch], vowel="sign"))
            continue
        if not units:
            units.append(_Unit(False, [ch], vowel="sign"))
            continue
        unit = units[-1]
        if gurmukhi_mark and off == _TIPPI & 0x7F:
            unit.chars.append(_GURMUKHI_BINDI)  # ICU leaves the tippi out; the bindi is the same nasal
            unit.nasal = True
            continue
        unit.chars.append(ch)
        if off in _VOWEL_SIGNS and unit.consonant:
            unit.vowel = "sign"
        elif off == _VIRAMA and unit.consonant:
            unit.vowel = "none"
        elif off in _NASAL_MARKS:
            unit.nasal = True
    return units


def _coda(first: _Unit, last: _Unit) -> bool:
    """Whether a word-final cluster ends the word without a vowel: a stop after a nasal, a
    liquid or a sibilant, or a doubled stop (ट्रम्प Trump, पार्थ Parth, भट्ट Bhatt), and any
    cluster that ends in a sibilant (हर्ष Harsh, दक्ष Daksh, and the plurals and -s of
    foreign names: जेम्स James, गेट्स Gates), where the clusters that end in a nasal, a
    liquid or a glide keep it (कृष्ण Krishna, मिश्र Mishra, आदित्य Aditya), as does a stop
    after a stop (गुप्त Gupta)."""
    a, b = _offset(first.chars[0])[1], _offset(last.chars[0])[1]
    return b in _SIBILANTS or (b in _STOPS and (a in _CODA_FIRST or a == b))


def _drop_schwas(units: list[_Unit]) -> None:
    """Mark the inherent vowels that are not said (see the module doc)."""
    n = len(units)
    if n < 2:
        return
    last, before = units[-1], units[-2]
    if last.consonant and last.vowel == "a" and not last.nasal and (
        not (before.consonant and before.vowel == "none") or _coda(before, last)
    ):
        last.vowel = "dropped"
    for i in range(n - 2, 0, -1):
        unit = units[i]
        if not unit.consonant or unit.vowel != "a" or unit.nasal:
            continue
        after = units[i + 1]
        if units[i - 1].says_vowel and after.consonant and after.says_vowel:
            unit.vowel = "dropped"


def _spell(latin: str) -> str:
    """ISO 15919 letters as names are written."""
    text = unicodedata.normalize("NFC", latin)
    text = text.replace("r\u0325", "ri").replace("R\u0325", "Ri")
    text = _NG.sub("ng", text)  # ṅ before a vowel or h (Singh); before k and g it is n (Ganga)
    for mark in ("ś", "ṣ"):
        text = text.replace(mark, "sh").replace(mark.upper(), "Sh")
    # च is c and छ ch in ISO 15919; names write them ch and chh.
    text = text.replace("ch", "\x00").replace("Ch", "\x01")
    text = text.replace("c", "ch").replace("C", "Ch")
    return text.replace("\x00", "chh").replace("\x01", "Chh")


_BENGALI = 0x0980
# Bengali writes English /æ/ first in a word as অ or এ with ya-phala and aa (অ্যা: অ্যাডাম
# Adam, অ্যাঙ্গেলা Angela), a virama after a vowel that ICU cannot read: it is read as আ.
BENGALI_YA_PHALA_AA = "\u09cd\u09af\u09be"  # ্যা, English /æ/ (see heard.sound_readings too)
_BENGALI_AE = re.compile("[\u0985\u098f]" + BENGALI_YA_PHALA_AA)


def _romanize_word(word: str) -> str:
    if "\u0d80" <= word[0] <= "\u0dff":
        return _romanize_sinhala(word)
    word = _BENGALI_AE.sub("\u0986", word)
    if _MALAYALAM <= ord(word[0]) < _MALAYALAM + 0x80:
        return _spell(icu_transliterator("Any-Latin").transliterate(_malayalam_as_devanagari(word)))
    units = _units(word)
    _drop_schwas(units)
    spelt: list[str] = []
    for k, unit in enumerate(units):
        chars = unit.chars
        last = _offset(chars[-1]) if chars else (0, 0)
        following = _offset(units[k + 1].chars[0])[1] if k + 1 < len(units) else -1
        if last[1] == _ANUSVARA and (
            following == _HA or (last[0] == _BENGALI and following not in _SIBILANTS)
        ):
            # The nasal before h is the velar one (सिंह Singh), which ICU would read n, as in
            # सिन्हा Sinha: written out as ङ्, which ICU reads ṅ. Bengali's anusvara is that
            # nasal (বাংলাদেশ Bangladesh, হকিং Hawking), but before a sibilant names write
            # it n as often (অংশুমান Anshuman, হিমাংশু Himanshu), as ICU reads it.
            chars = [*chars[:-1], chr(last[0] + _NGA), chr(last[0] + _VIRAMA)]
        elif last[1] in (_ANUSVARA, _CANDRABINDU) and k + 1 == len(units):
            # A nasal vowel that ends a word is written n (मैक्रों, মাক্রোঁ Macron); ICU
            # writes m.
            chars = [*chars[:-1], chr(last[0] + _NA), chr(last[0] + _VIRAMA)]
        spelt.extend(chars)
        if unit.vowel == "dropped":
            block, _off = _offset(unit.chars[0])
            spelt.append(chr(block + _VIRAMA))
    return _spell(icu_transliterator("Any-Latin").transliterate("".join(spelt)))


def romanize_indic(text: str) -> str:
    """``text`` with each word of these scripts in Latin letters as names are written
    (अमित शाह -> "Amit Shah", lower case as ICU gives it: "amit shah"); other characters
    unchanged."""
    out: list[str] = []
    run: list[str] = []
    for ch in text + " ":
        if _in_scripts(ch) or (run and ch in "\u200c\u200d"):
            run.append(ch)
            continue
        if run:
            out.append(_romanize_word("".join(run)))
            run = []
        out.append(ch)
    return "".join(out[:-1])
