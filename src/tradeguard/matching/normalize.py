"""Name normalisation: one pipeline for list names and query names.

``analyse(name, schema)`` turns a name into a :class:`NameForm`: normalised Latin tokens
in their original order, each with a role (distinctive name part, legal form, title,
particle, stopword, number, initial) and a *skeleton* key that folds common romanisation
variants together. The steps, in order:

1. Unicode NFKC; text in another script is transliterated to Latin with ICU (cached
   transliterators: Russian/Ukrainian/Belarusian BGN for Cyrillic, Serbian and Macedonian
   in their Latin alphabets, Han-Latin/Names for Chinese, Hangul-Latin for Korean,
   Arabic-Latin for Arabic and Persian, Greek UNGEGN, Georgian/Armenian/Hebrew BGN,
   Any-Latin for the rest); diacritics are removed. Before ICU: the Cyrillic letters of
   Kazakh, Tajik, Mongolian ... as those names are spelt (``data/cyrillic.yml``), the Indic
   scripts and Sinhala as names are said (:mod:`.indic`), and Hangul, kana, Burmese and
   Thai as the lists write them (:mod:`.romanize`). A word in a script nothing reads
   (Tibetan, Mongolian script ...) becomes a token of its own.
2. Lower case; apostrophes dropped ("Sa'id" -> "said"); dotted acronyms joined
   ("N.P.O.T." -> "npot") except in person names, where "D.V." stays two initials.
3. Split on anything that is not a letter or digit.
4. Roles: legal forms (multi-word, any language, from ``data/legal_forms.yml``) and titles,
   particles and stopwords (``data/titles.yml``); numbers (digits, number words and Roman
   numerals after the first token) become digits.
5. Skeleton (tokens of 3+ letters): ``kh->h, ph->f, sch->sh, ck->k, ou->u, y/j->i, w->v, q->k, -off->-ov``,
   "ye" after a vowel -> "e" (Sergeyev/Sergeev), double
   letters single, and spelling families of common names (``data/name_variants.yml``)
   mapped to one key. Two tokens with one skeleton are "transliteration" variants.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from tradeguard.matching.abjad import (
    GERESH,
    OPTIONAL_VOWEL,
    abjad_classes,
    abjad_particle,
    after_vowel,
    compound_part,
    glosses_of,
    has_abjad,
    hidden_breaks,
    is_abjad_title,
    split_compound,
    split_words,
    squeeze,
)
from tradeguard.matching.chinese import (
    chinese_keys,
    glossed_words,
    han_syllable_key,
    japanese_family_length,
    left_out_glosses,
)
from tradeguard.matching.indic import has_indic, romanize_indic
from tradeguard.matching.reference import load_reference
from tradeguard.matching.romanize import (
    burmese_key,
    icu_transliterator,
    japanese_key,
    korean_key,
    romanize,
    script_family,
    strip_burmese_title,
    thai_letters,
)
from tradeguard.matching.states import state_qualifier

# Token roles.
NAME = 0  # a distinctive name part
LEGAL = 1  # company legal form (LLC, JSC, GmbH, ...)
TITLE = 2  # honorific or rank (Dr, Sheikh, General, ...)
PARTICLE = 3  # name particle (al, bin, van, de, ...)
STOP = 4  # function word in an organisation name (of, the, and, ...)
NUMBER = 5  # digits (also number words and Roman numerals)
INITIAL = 6  # a single letter in a person name

STATE = 7  # the state an organisation's name ends by naming ("of the Russian Federation")
ROLE_NAMES = ("name", "legal_form", "title", "particle", "stopword", "number", "initial", "state")
# Roles whose tokens count only when both names have them.
OPTIONAL_ROLES = frozenset({LEGAL, TITLE, PARTICLE, STOP, STATE})

PERSON_SCHEMAS = frozenset({"Person"})
ORG_SCHEMAS = frozenset({"Organization", "Company", "LegalEntity"})


# --- reference data -------------------------------------------------------------------




# --- transliteration ------------------------------------------------------------------

# Unicode blocks of the scripts we transliterate, with the ICU transform for each.
_SCRIPT_RANGES: tuple[tuple[int, int, str], ...] = (
    (0x0370, 0x03FF, "Greek-Latin/UNGEGN"),
    (0x1F00, 0x1FFF, "Greek-Latin/UNGEGN"),
    (0x0400, 0x052F, "Russian-Latin/BGN"),
    (0x0530, 0x058F, "Armenian-Latin/BGN"),
    (0x0590, 0x05FF, "Hebrew-Latin/BGN"),
    (0x0600, 0x06FF, "Arabic-Latin"),
    (0x0750, 0x077F, "Arabic-Latin"),
    (0xFB50, 0xFDFF, "Arabic-Latin"),
    (0xFE70, 0xFEFF, "Arabic-Latin"),
    (0x10A0, 0x10FF, "Georgian-Latin/BGN"),
    (0x1100, 0x11FF, "Hangul-Latin"),
    (0x3130, 0x318F, "Hangul-Latin"),
    (0xAC00, 0xD7AF, "Hangul-Latin"),
    (0x3400, 0x4DBF, "Han-Latin/Names"),
    (0x4E00, 0x9FFF, "Han-Latin/Names"),
    (0xF900, 0xFAFF, "Han-Latin/Names"),
)
_GREEK_INITIALS = {"Nt": "D", "NT": "D", "nt": "d", "Nk": "G", "NK": "G", "nk": "g"}
_GREEK_INITIAL = re.compile(r"(?<![^\W\d_])(?:Nt|NT|nt|Nk|NK|nk)")
_CYRILLIC_SYSTEMS = ("Russian-Latin/BGN", "Ukrainian-Latin/BGN", "Belarusian-Latin/BGN")
_SOUTH_SLAVIC = ("Serbian-Latin/BGN", "Macedonian-Latin/BGN")
_SOUTH_SLAVIC_SPELLING = (("đ", "dj"), ("Đ", "Dj"), ("ǵ", "gj"), ("Ǵ", "Gj"), ("ḱ", "kj"), ("Ḱ", "Kj"))
_UKRAINIAN = frozenset("іїєґІЇЄҐ")
_SERBIAN = frozenset("ђћџљњјЂЋЏЉЊЈ")
_MACEDONIAN = frozenset("ѓќѕЃЌЅ")
_BELARUSIAN = frozenset("ўЎ")

# Latin letters that do not decompose into base + combining mark.
_LATIN_SPECIAL = {
    "ß": "ss", "ẞ": "SS", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O",
    "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "TH",
    "ı": "i", "ħ": "h", "Ħ": "H", "ŀ": "l", "Ŀ": "L", "ŋ": "n", "ĸ": "k", "ſ": "s",
    "ǝ": "e", "ə": "e", "Ə": "E", "ɨ": "i", "ʉ": "u",
}
_APOSTROPHES = "'’‘`´ʹʺʻʼʽʾʿˈ′″\"«»“”„"
_FOLD_TABLE: dict[int, str | None] = {ord(k): v for k, v in _LATIN_SPECIAL.items()}
_FOLD_TABLE.update({ord(c): None for c in _APOSTROPHES})


def _script_transform(text: str) -> str | None:
    """The ICU transform chain for the non-Latin scripts in ``text`` (None if Latin only)."""
    found: list[str] = []
    for ch in text:
        code = ord(ch)
        if code < 0x0370:
            continue
        for lo, hi, tid in _SCRIPT_RANGES:
            if lo <= code <= hi:
                if tid not in found:
                    found.append(tid)
                break
        else:
            if unicodedata.category(ch).startswith("L") and "Any-Latin" not in found:
                found.append("Any-Latin")
    if not found:
        return None
    if "Russian-Latin/BGN" in found:
        # Macedonian, Serbian, Ukrainian or Belarusian letters decide the system for the
        # whole Cyrillic text (Serbian and Macedonian: their official Latin alphabets).
        letters = set(text)
        if letters & _MACEDONIAN:
            found[found.index("Russian-Latin/BGN")] = "Macedonian-Latin/BGN"
        elif letters & _SERBIAN:
            found[found.index("Russian-Latin/BGN")] = "Serbian-Latin/BGN"
        elif letters & _UKRAINIAN:
            found[found.index("Russian-Latin/BGN")] = "Ukrainian-Latin/BGN"
        elif letters & _BELARUSIAN:
            found[found.index("Russian-Latin/BGN")] = "Belarusian-Latin/BGN"
    return ";".join([*found, "Any-Latin"])


@lru_cache(maxsize=1)
def _cyrillic_tables() -> tuple[dict[int, str], dict[int, str]]:
    """The letters of ``data/cyrillic.yml`` as translate tables: Kazakh, Tajik, Mongolian ...
    letters, and those (і, ў) that are of these languages when one of the first is there."""
    data = load_reference("cyrillic.yml")
    return ({ord(k): v for k, v in data["letters"].items()},
            {ord(k): v for k, v in data["with_letters_above"].items()})


def _spell_extra_cyrillic(text: str) -> str:
    """The Cyrillic letters beyond Russian, Ukrainian and Belarusian spelt in Latin letters
    as the names of these languages are written (Тоқаев -> Tokaev); ICU's transforms drop
    some and split words at others."""
    letters, along = _cyrillic_tables()
    spelt = text.translate(letters)
    return spelt.translate(along) if spelt != text else spelt


def has_cyrillic(text: str) -> bool:
    """Whether ``text`` holds a Cyrillic letter (the Cyrillic and Cyrillic Supplement blocks)."""
    return any("\u0400" <= ch <= "\u052f" for ch in text)


def written_in(word: str, scripts: tuple[str, ...]) -> bool:
    """Whether ``word`` holds a letter of one of ``scripts`` (the first word of the Unicode
    names of their letters: "CYRILLIC", "GREEK", "DEVANAGARI" ...)."""
    return not word.isascii() and any(ch.isalpha() and unicodedata.name(ch, "").startswith(scripts) for ch in word)


# Latin letters that look like Cyrillic ones (Unicode's confusables, TR39), and the Cyrillic
# letter each stands for inside a Cyrillic word: "Cергей" with a Latin C, "ГOBOP" with Latin
# O and B, "Уладзiмiравiч" with Latin i are typed so by mistake, or to slip past screening.
_CYRILLIC_LOOKALIKES = str.maketrans("ABCEHIKMOPTXYaceiopxy", "АВСЕНІКМОРТХУасеіорху")
_WORD = re.compile(r"[^\W\d_]+")


def _cyrillic_lookalike(found: re.Match[str]) -> str:
    word = found.group(0)
    if word.isascii() or not has_cyrillic(word):
        return word
    return word.translate(_CYRILLIC_LOOKALIKES)


_ARMENIAN_VO = re.compile("(?<=[^\\W\\d_]\u2019)v(?=o)")


def to_latin_ascii(text: str) -> str:
    """Transliterate ``text`` to Latin and drop diacritics (ASCII where possible)."""
    if text.isascii():
        return text
    if has_cyrillic(text):
        text = _WORD.sub(_cyrillic_lookalike, text)  # a word of both scripts is Cyrillic
        text = _spell_extra_cyrillic(text)
    if has_indic(text):
        text = romanize_indic(text)  # Devanagari, Bengali ...: the vowels not said left out
    romanised = romanize(text)  # Hangul, kana, Burmese, Thai: as the lists write them
    if romanised is not None:
        text = romanised
    transform = _script_transform(text)
    if transform is not None:
        text = icu_transliterator(transform).transliterate(text)
        if "Greek-Latin" in transform:
            # ντ and γκ begin a word as d and g (Ντόρα Dora, Γκίκας Gikas; ELOT 743 and the
            # passports), which UNGEGN writes nt and nk as inside a word.
            text = _GREEK_INITIAL.sub(lambda m: _GREEK_INITIALS[m.group(0)], text)
        if "Armenian-Latin" in transform:
            # BGN writes ո "vo" first in a word and "o" inside it; ICU takes the apostrophe
            # of an aspirated consonant before it for a word's start (Թոնի "T’voni", Tony;
            # Քլինթոն "K’lint’von", Clinton).
            text = _ARMENIAN_VO.sub("", text)
        if any(system in transform for system in _SOUTH_SLAVIC):
            # Serbian and Macedonian names write đ as dj in English (Đorđe Djordje), where
            # Vietnamese đ is d; Macedonian ǵ and ḱ as gj and kj (Gjorge).
            text = unicodedata.normalize("NFC", text)
            for letter, spelt in _SOUTH_SLAVIC_SPELLING:
                text = text.replace(letter, spelt)
        if any(system in transform for system in _CYRILLIC_SYSTEMS):
            # BGN's Cyrillic systems write a middle dot between letters that would read as
            # one digraph (Хүрэлсүх -> "Khür·elsükh"): within a word, not between words.
            text = text.replace("\u00b7", "")
    text = text.translate(_FOLD_TABLE)
    if text.isascii():
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    if not text.isascii():
        text = icu_transliterator("Any-Latin;Latin-ASCII").transliterate(text)
        text = text.translate(_FOLD_TABLE)
    if not text.isascii():
        text = _UNREAD_RUN.sub(_unread_word, text)
    return text


# A whole word of such letters, not letters inside a word that was read.
_UNREAD_RUN = re.compile("(?<![A-Za-z0-9\u0080-\U0010ffff])[^\x00-\x7f]+(?![A-Za-z0-9\u0080-\U0010ffff])")


def _unread_word(found: re.Match[str]) -> str:
    """A word in a script that nothing here reads (Tibetan, Mongolian script ...) as a token of
    its own: the same written word meets it, and no other. Dropped, it would leave a name
    "ហ៊ុន LLC" as "LLC" alone, which meets every company of that form."""
    run = found.group(0)
    if not any(unicodedata.category(ch) in ("Lo", "Lu", "Ll", "Lt") for ch in run):
        return run  # punctuation, symbols and modifier letters separate words, as before
    digest = hashlib.blake2b(run.encode("utf-8"), digest_size=8).digest()
    return _UNREAD_PREFIX + "".join(chr(ord("a") + b % 26) for b in digest)


_UNREAD_PREFIX = "qq"
_UNREAD_LENGTH = len(_UNREAD_PREFIX) + 8


def is_unread(token: str) -> bool:
    """Whether ``token`` stands for a word of a script nothing here reads (``_unread_word``)."""
    return len(token) == _UNREAD_LENGTH and token.startswith(_UNREAD_PREFIX)


# --- tokens ---------------------------------------------------------------------------

_DOTTED = re.compile(r"(?<![a-z0-9])(?:[a-z]\.){2,}(?:[a-z](?![a-z0-9.]))?")
_SPLIT = re.compile(r"[^a-z0-9]+")
_NUMBER_WORDS = {
    "zero": "0", "one": "1", "two": "2", "three": "3", "four": "4", "five": "5", "six": "6",
    "seven": "7", "eight": "8", "nine": "9", "ten": "10", "eleven": "11", "twelve": "12",
    "thirteen": "13", "fourteen": "14", "fifteen": "15", "sixteen": "16", "seventeen": "17",
    "eighteen": "18", "nineteen": "19", "twenty": "20",
}
_NUMBER_MARKS = frozenset({"no", "nr", "num", "number", "n"})
_ROMAN = {
    "ii": "2", "iii": "3", "iv": "4", "vi": "6", "vii": "7", "viii": "8", "ix": "9",
    "xi": "11", "xii": "12", "xiii": "13", "xiv": "14", "xv": "15", "xvi": "16", "xvii": "17",
    "xviii": "18", "xix": "19", "xx": "20",
}


# Two capitalised words of four letters or more run together in a person's name
# ("АндрейАндреевич", "IvanAleksandrovich": a given name and a patronymic whose space an
# export lost). Shorter first parts are name prefixes (McDonald, MacArthur, DeVito) and
# stay whole; a firm's name is left as written (BlackRock, MasterCard are one word).
_UPPER = "A-ZÀ-ÖØ-ÞА-ЯЁІЇЄҐЎ"
_LOWER = "a-zß-öø-ÿа-яёіїєґў"
_RUN_TOGETHER = re.compile(f"(?<![^\\W\\d_])([{_UPPER}][{_LOWER}]{{3,}})(?=[{_UPPER}][{_LOWER}]{{3,}}(?![^\\W\\d_]))")


def basic_text(name: str, person: bool = False) -> str:
    """NFKC, Latin, ASCII, lower case, no apostrophes; acronym dots joined unless ``person``;
    in a person's name, two capitalised words run together written apart."""
    text = unicodedata.normalize("NFKC", name)
    if person and not text.isupper() and not text.islower():
        text = _RUN_TOGETHER.sub(r"\1 ", text)
    text = to_latin_ascii(text).lower().translate(_FOLD_TABLE)
    if not person and "." in text:
        text = _DOTTED.sub(lambda m: m.group(0).replace(".", ""), text)
    return text.replace("&", " and ")


def tokenize(name: str, person: bool = False) -> list[str]:
    """The normalised tokens of ``name``, in order."""
    return [t for t in _SPLIT.split(basic_text(name, person)) if t]


def tokenize_words(name: str, person: bool = False) -> tuple[list[str], list[int], list[str]]:
    """Tokens with the index of the written word each came from ("Song-Chol" is one word
    of two tokens), and each token's cross-script key: for a word written in an abjad
    (Arabic, Persian, Urdu, Hebrew) its consonant classes (:mod:`.abjad`), else "".

    In Arabic script the article written into a word is split off ("التكريتي" -> "al
    tkryty"), as Latin renderings write it apart, and particles become their Latin form
    (بن -> bin, أبو -> abu)."""
    tokens, words, xkeys, _marks, _glosses, _natives = _tokenize_marked(name, person)
    return tokens, words, xkeys


Tokenized = tuple[list[str], list[int], list[str], list[str], list[tuple[str, ...]], list[str]]


def _tokenize_marked(name: str, person: bool) -> Tokenized:
    """``tokenize_words`` and, per token, its part of a two-word abjad name ("head",
    "tail" or "", see ``abjad.compound_part``), outside person names the English words an
    abjad word translates as (``abjad.glosses_of``), and the word as written when it is in
    another script than Latin ("" otherwise; :mod:`.symbols`)."""
    if has_abjad(name):
        return _tokenize_abjad(name, person)
    if not name.isascii() and script_family(name) is not None:
        syllables, positions, xkeys, written_as, glosses = _tokenize_syllabic(name, person)
        return syllables, positions, xkeys, [""] * len(syllables), glosses, written_as
    tokens: list[str] = []
    words: list[int] = []
    chunks = basic_text(name, person).split()
    for w, chunk in enumerate(chunks):
        for tok in _SPLIT.split(chunk):
            if tok:
                tokens.append(tok)
                words.append(w)
    natives: list[str] = []
    if not name.isascii():
        written = name.split()
        if len(written) == len(chunks) and any(_other_script(word) for word in written):
            natives = [written[w] if _other_script(written[w]) else "" for w in words]
    return tokens, words, [""] * len(tokens), [""] * len(tokens), [], natives


def _other_script(word: str) -> bool:
    """Whether a written word holds letters of a script that writes foreign names by ear
    (Cyrillic, Hebrew, Greek, Indic, Georgian ...): where its spelling meets no list token,
    such a word may meet a name by its sound (:mod:`.heard`: Джон and John) or, outside
    Cyrillic, by its Wikidata items (:mod:`.symbols`)."""
    return written_in(word, _BY_EAR)


_BY_EAR = (
    "HEBREW", "GREEK", "DEVANAGARI", "BENGALI", "TAMIL", "TELUGU", "KANNADA", "MALAYALAM", "GUJARATI",
    "GURMUKHI", "ORIYA", "SINHALA", "GEORGIAN", "ARMENIAN", "ETHIOPIC", "KHMER", "LAO", "TIBETAN",
    "MONGOLIAN", "CYRILLIC",
)


# Cross-script key prefixes of syllable-written scripts, and the Latin-side key of each.
SYLLABLE_KEYS = {"hangul": "k", "burmese": "m", "kana": "j", "han": "c"}
BURMESE_HONORIFICS = frozenset({"u", "daw"})


def _tokenize_syllabic(
    name: str, person: bool,
) -> tuple[list[str], list[int], list[str], list[str], list[tuple[str, ...]]]:
    """Hangul, Burmese, kana, Thai and Chinese, romanised as the lists write them
    (:mod:`.romanize`). A Hangul or Burmese word gives one token per syllable; each token
    keeps a syllable key ("k:..", "m:..", "j:..") that folds the other spellings of that
    syllable. In a Korean name the family name (first syllable) is a word of its own and the
    given name another. Outside a person's name, a word of Chinese characters that
    ``chinese.glossed_words`` translates (技术: technology) is one token, its syllables
    joined ("jishu", as pinyin registrations write it), with its English words as glosses."""
    tokens: list[str] = []
    words: list[int] = []
    xkeys: list[str] = []
    natives: list[str] = []  # the written word (run) of each syllable
    glosses: list[tuple[str, ...]] = []
    word = -1
    runs = [run for chunk in unicodedata.normalize("NFC", name).split() for run in _mark_runs(chunk)]
    for r, run in enumerate(runs):
        family = script_family(run)
        prefix = SYLLABLE_KEYS.get(family or "")
        if family == "burmese" and not tokens:
            run = strip_burmese_title(run)  # Senior General, Doctor: not part of the name
        particle = reference().kana_particles.get(run) if family == "kana" and person and len(runs) > 1 else None
        if particle is not None:
            # A particle in katakana (ド de, アル al): the Latin particle, a word of its own,
            # with no syllable key and no written word.
            family = prefix = None
            parts = [particle]
        else:
            text = romanize(run) if family else None
            parts = [t for t in _SPLIT.split(basic_text(text if text is not None else run, person)) if t]
        honorific = family == "burmese" and not tokens and bool(parts) and parts[0] in BURMESE_HONORIFICS
        if honorific and (len(parts) > 1 or r + 1 < len(runs)):
            parts = parts[1:]  # U, Daw (Mr, Mrs), written apart or not: not part of the name
        if family == "han" and not person and len(parts) == len(run):  # a syllable per character
            spans = glossed_words(run)
            if spans:
                _add_glossed(parts, spans, run, tokens, words, xkeys, natives, glosses)
                word = words[-1]
                continue
        # A Japanese name as one run (安倍晋三) is two written words, its family name and its
        # given name, which may meet a Latin name by their Wikidata items (symbols.py).
        cut = japanese_family_length(run) if family == "han" and person and len(runs) == 1 else 0
        for k, tok in enumerate(parts):
            if family == "hangul" and tok == "i":
                tok = "yi"  # 이 as a family name: written Lee, Yi, Ri; never a lone letter
            elif family == "burmese" and tok == "u" and (k > 0 or tokens):
                tok = "oo"  # ဦး inside a name is a name syllable, written Oo (Tin Oo), not U
            if k == 0 or family == "burmese" or (family == "hangul" and k == 1) or family not in ("hangul", "burmese"):
                word += 1
            key = syllable_key(prefix, tok) if prefix else None
            tokens.append(tok)
            words.append(word)
            xkeys.append(f"{prefix}:{key}" if prefix and key else "")
            written = run if family else ""
            if cut and len(parts) == len(run):  # a syllable per character
                written = run[:cut] if k < cut else run[cut:]
            natives.append(written)
            glosses.append(())
    return tokens, words, xkeys, natives, glosses if any(glosses) else []


def _add_glossed(
    syllables: list[str],
    spans: list[tuple[int, int, tuple[str, ...]]],
    run: str,
    tokens: list[str],
    words: list[int],
    xkeys: list[str],
    natives: list[str],
    glosses: list[tuple[str, ...]],
) -> None:
    """The tokens of a run of Chinese characters (a pinyin syllable each) with the words of
    ``spans`` joined into one token that keeps their English glosses ("c:" + the joined
    syllables is its key: a word, which no syllable key spells). A place name the run starts
    with, before its division (深圳 of 深圳市, 广东 of 广东省深圳市), is left out as its
    division is: English names of companies rarely write it."""
    at = {start: (end, found) for start, end, found in spans}
    left_out = left_out_glosses()
    place: dict[int, tuple[str, ...]] = {}  # syllable -> the glosses of its place's division
    pos = 0
    for start, end, found in spans:
        if not set(found) <= left_out or not 2 <= start - pos <= 3:
            break
        place.update({k: found for k in range(pos, start)})
        pos = end
    word = words[-1] if words else -1
    k = 0
    while k < len(syllables):
        word += 1
        end, found = at.get(k, (k + 1, place.get(k, ())))
        tok = "".join(syllables[k:end])
        key = syllable_key("c", tok) if end == k + 1 else None
        tokens.append(tok)
        words.append(word)
        xkeys.append(f"c:{key}" if key else f"c:{tok}")
        natives.append(run)
        glosses.append(found)
        k = end


def _mark_runs(chunk: str) -> list[str]:
    """Runs of letters, digits and combining marks (Burmese and Thai vowel signs are marks)."""
    runs: list[str] = []
    current: list[str] = []
    for ch in chunk:
        if unicodedata.category(ch)[0] in "LMN":
            current.append(ch)
        elif current:
            runs.append("".join(current))
            current = []
    if current:
        runs.append("".join(current))
    return runs


@lru_cache(maxsize=200_000)
def syllable_key(prefix: str, token: str) -> str | None:
    """The syllable key of a token romanised from Korean (k), Burmese (m), Japanese (j) or
    Chinese (c, a pinyin syllable)."""
    if prefix == "c":
        return han_syllable_key(token)
    return _latin_syllable_key(prefix, token)


def latin_syllable_keys(prefix: str, token: str) -> tuple[str, ...]:
    """The keys of the syllables a Latin token may spell in Korean (k), Burmese (m),
    Japanese (j) or Chinese (c: as pinyin or as Wade–Giles, so possibly two)."""
    if prefix == "c":
        return chinese_keys(token)
    key = _latin_syllable_key(prefix, token)
    return (key,) if key else ()


def _latin_syllable_key(prefix: str, token: str) -> str | None:
    if prefix == "k":
        return korean_key(token)
    if prefix == "m":
        return burmese_key(token)
    if prefix == "j":
        return japanese_key(token)
    return None


# Letters only Persian (and Urdu, Pashto) write: a name holding one is read as Persian, in
# which dhal, dad and za are z and tha s (Reza, Ramazan, Osman), where Arabic has dh, d, th.
_PERSIAN_LETTERS = frozenset("پچژگکی")
_PERSIAN_READING = str.maketrans({"D": "z", "T": "s"})


# Urdu letters ICU's Arabic-Latin leaves as they are (and the token would lose): read as the
# Arabic letters they are typed for or come from, for the word's Latin spelling only (its
# letter classes read them themselves): do-chashmi he and gol he as he (بھٹو bhtw, طھ th),
# the retroflex tte, dde, rre as ta, dal, ra, noon ghunna as noon, barree ye as ya.
_URDU_AS_ARABIC = str.maketrans({"ھ": "ه", "ہ": "ه", "ۃ": "ة", "ٹ": "ت", "ڈ": "د", "ڑ": "ر", "ں": "ن", "ے": "ي"})


def _glossed_compounds(written: list[list[str]]) -> list[list[str]]:
    """Two written words of an organisation's name that are one word of the glossary typed
    with a space where Persian puts a zero-width non-joiner ("بین المللی" for بین‌المللی,
    international), as that word; the word after it is left empty (word positions keep
    counting the words as written)."""
    out = [list(runs) for runs in written]
    for w in range(len(out) - 1):
        first, second = out[w], out[w + 1]
        if len(first) == 1 and len(second) == 1 and has_abjad(first[0]) and has_abjad(second[0]):
            joined = first[0] + second[0]
            if glosses_of(joined) and not glosses_of(first[0]):
                out[w], out[w + 1] = [joined], []
    return out


def _abjad_key(word: str, persian: bool) -> str:
    """The cross-script key of an abjad word: its letter classes, read the Persian way in a
    name written with Persian letters."""
    classes = abjad_classes(word)
    return classes.translate(_PERSIAN_READING) if persian else classes


def _tokenize_abjad(name: str, person: bool) -> Tokenized:
    persian = not _PERSIAN_LETTERS.isdisjoint(name)
    tokens: list[str] = []
    words: list[int] = []
    xkeys: list[str] = []
    marks: list[str] = []
    glosses: list[tuple[str, ...]] = []
    natives: list[str] = []
    written = split_words(name)
    if not person:
        written = _glossed_compounds(written)
    opening = True  # nothing but titles so far
    before = ""  # the abjad name word just before (a double given name's first, see compound_part)
    for w, runs in enumerate(written):
        for run in runs:
            if not has_abjad(run):
                before = ""
                for tok in _SPLIT.split(basic_text(run, person)):
                    if tok:
                        opening = False
                        tokens.append(tok)
                        words.append(w)
                        xkeys.append("")
                        marks.append("")
                        glosses.append(())
                        natives.append("")
                continue
            after_article = False
            for part in [run] if abjad_particle(run, opening) else split_compound(run, person):
                particle = abjad_particle(part, opening)
                after, after_article = after_article, particle == "al" and part.startswith("ال")
                opening = opening and is_abjad_title(part)
                if particle is not None:
                    before = ""
                    tokens.append(particle)
                    words.append(w)
                    xkeys.append("")
                    marks.append("")
                    glosses.append(())
                    natives.append("")
                    continue
                plain = part.replace(GERESH, "")  # (read by abjad_classes; ICU leaves a final one)
                latin = "".join(_SPLIT.split(basic_text(plain.translate(_URDU_AS_ARABIC), person)))
                if latin:
                    tokens.append(latin)
                    words.append(w)
                    xkeys.append(after_vowel(_abjad_key(part, persian)) if after else _abjad_key(part, persian))
                    marks.append(compound_part(part, before))
                    before = part
                    glosses.append(() if person else glosses_of(part))
                    natives.append(plain if _other_script(part) else "")  # Hebrew; Arabic script: abjad.py reads it
    return tokens, words, xkeys, marks, glosses if any(glosses) else [], natives


def _compounds(tokens: list[str], roles: list[int], marks: list[str]) -> tuple[tuple[int, int], ...]:
    """Pairs of token positions that are one name written as two words in an abjad person
    name: "عبد" + the next name ("عبد العزيز": abd, al, aziz), a name + "ال" + a tail
    ("نصر الله", "صلاح الدين"), a Persian family name + its suffix word ("احمدی نژاد"), a
    double given name ("محمد رضا")."""
    out: list[tuple[int, int]] = []
    n = len(tokens)
    for i, mark in enumerate(marks):
        if roles[i] != NAME:
            continue
        if mark == "head":
            j = i + 1
            if j < n and roles[j] == PARTICLE and tokens[j] == "al":
                j += 1
            if j < n and roles[j] == NAME and marks[j] != "head":
                out.append((i, j))
        elif (
            mark == "tail" and i >= 2 and tokens[i - 1] == "al" and roles[i - 2] == NAME
            and not (out and (out[-1] == (i - 2, i) or out[-1][1] == i - 2))
        ):
            out.append((i - 2, i))  # unless already the second half of one
        elif mark == "suffix" and i >= 1 and roles[i - 1] == NAME and not (out and out[-1][1] == i - 1):
            out.append((i - 1, i))  # a Persian family name and its suffix word (احمدی نژاد)
        elif (
            mark == "second" and roles[i - 1] == NAME and not (out and out[-1][1] == i - 1)
            and not (i + 1 < n and marks[i + 1] == "suffix")
        ):
            out.append((i - 1, i))  # a double given name (محمد رضا), unless a family name
            # with its suffix word starts at it (علی حسن زاده: Ali Hassanzadeh)
    return tuple(out)


# --- skeleton (romanisation-variant folding) -------------------------------------------

_SKELETON_RULES: tuple[tuple[str, str], ...] = (
    ("shch", "sh"),
    ("sch", "sh"),
    ("tch", "ch"),
    ("dzh", "j"),
    ("kh", "h"),
    ("gh", "g"),
    ("ph", "f"),
    ("th", "t"),
    ("dh", "d"),
    ("ck", "k"),
    ("q", "k"),
    ("x", "ks"),
    ("w", "v"),
    ("ou", "u"),
    ("oo", "u"),
    ("ee", "i"),
    ("y", "i"),
    ("j", "i"),
)
_ENDINGS: tuple[tuple[str, str], ...] = (("off", "ov"), ("eff", "ev"))


_SINGLE_RULES = str.maketrans({old: new for old, new in _SKELETON_RULES if len(old) == 1 and len(new) == 1})
_MULTI_RULES = tuple((old, new) for old, new in _SKELETON_RULES if not (len(old) == 1 and len(new) == 1))
_DOUBLE_CHECK = re.compile(r"(.)\1")


_VOWEL_YE = re.compile(r"(?<=[aeiou])y(?=e)")  # Russian "е" after a vowel: Sergeyev/Sergeev
# Russian "е" starting a word, ye to BGN and e to the passports' ICAO system (Yermakov,
# Ermakov; Yevgeny, Evgeny), before a consonant in a word of six letters or more.
_INITIAL_YE = re.compile(r"^y(?=e[^aeiouy].{3})")


def _fold_rules(token: str) -> str:
    text = token
    if "ye" in text:
        text = _INITIAL_YE.sub("", _VOWEL_YE.sub("", text))
    for suffix, repl in _ENDINGS:
        if text.endswith(suffix) and len(text) > len(suffix) + 2:
            text = text[: -len(suffix)] + repl
    for old, new in _MULTI_RULES:
        if old in text:
            text = text.replace(old, new)
    text = text.translate(_SINGLE_RULES)
    return squeeze(text) if _DOUBLE_CHECK.search(text) else text


@lru_cache(maxsize=1)
def _variant_keys() -> dict[str, str]:
    """Folded token -> "~" + family key, for spelling families of names
    (``name_variants.yml``) and classes of business words (``business_words.yml``)."""
    groups = list(load_reference("name_variants.yml")["groups"])
    groups.extend(load_reference("business_words.yml")["classes"].values())
    out: dict[str, str] = {}
    for group in groups:
        canonical = "~" + _fold_rules(str(group[0]))
        for member in group:
            for tok in tokenize(str(member)):
                out.setdefault(_fold_rules(tok) if len(tok) >= 3 else tok, canonical)
    return out


def variant_of(folded: str) -> str | None:
    """The spelling-family key of an already folded token, if it belongs to one."""
    return _variant_keys().get(folded)


# East Slavic patronymics: the father's name and an ending that says the gender, Russian
# (-ovich/-evich, -ovna/-evna), Ukrainian (-ovych/-evych, -ivna) or Belarusian (-avich,
# -auna); Swedish and Finnish spellings write -vich as -vitj, French and older English ones
# -vitch, German ones -witsch and -owna (Jakovlevitch, Achmatowitsch). The father's name is
# the stem, itself or with the ending its patronymic drops or changes (Nikolai ->
# Nikolaevich, Mykola -> Mykolaiovych, Hryhorii -> Hryhorovych, Dmytro -> Dmytrovych).
_PATRONYMIC_ENDINGS_GENDER = (
    ("ovich", "m"), ("evich", "m"), ("ovych", "m"), ("evych", "m"), ("avich", "m"),
    ("ovitj", "m"), ("evitj", "m"), ("avitj", "m"), ("ovitch", "m"), ("evitch", "m"),
    ("owitsch", "m"), ("ewitsch", "m"),
    ("ovna", "f"), ("evna", "f"), ("ivna", "f"), ("auna", "f"), ("owna", "f"), ("ewna", "f"),
)
_FATHER_NAME_ENDINGS = ("", "i", "y", "a", "o", "ii", "iy")
# A father's name with -ich (-ych) added whole: Yakov -> Yakovich (Ukrainian Yakovych, beside
# the Russian Yakovlevich), Ilya -> Ilyich, Foma -> Fomich. Tried after the endings above,
# and only where the father's name is a spelling family's (an -ich alone makes no
# patronymic: Heinrich, Ulrich).
_PATRONYMIC_SHORT_ENDINGS = (("ich", "m"), ("ych", "m"))
_BELARUSIAN_U = re.compile("(?<=[aeo])u(?=[^aeiouy])")  # ў, Russian в before a consonant


@lru_cache(maxsize=100_000)
def _patronymic_key(token: str) -> str | None:
    """One key for the Russian and the Ukrainian form of a patronymic whose father's name
    is in a spelling family (``name_variants.yml``): the family and the gender.
    "nikolaevich" and "mykolaiovych" are "~nikolay:m"; "aleksandrovna" and "oleksandrivna"
    "~alexander:f". None for any other token."""
    for ending, gender in (*_PATRONYMIC_ENDINGS_GENDER, *_PATRONYMIC_SHORT_ENDINGS):
        if not token.endswith(ending) or len(token) - len(ending) < 3:
            continue
        stem = token[: -len(ending)]
        # (Russian Yakov -> Yakovlevich: an l the Ukrainian Yakovych has not; Belarusian
        # writes the в of a stem before a consonant ў, u: Paval -> Paulavich, Pavlovich)
        for base in dict.fromkeys((stem, stem.rstrip("iyj"), stem.removesuffix("l"), _BELARUSIAN_U.sub("v", stem))):
            for tail in _FATHER_NAME_ENDINGS:
                family = _variant_keys().get(_fold_rules(base + tail))
                if family is not None:
                    return f"{family}:{gender}"
    return None


_SKELETON_CACHE: dict[str, str] = {}


def skeleton(token: str) -> str:
    """The romanisation-folded key of a normalised token (digits are kept as they are)."""
    cached = _SKELETON_CACHE.get(token)
    if cached is not None:
        return cached
    if token.isdigit() or len(token) < 3:
        # (A final y of a two-letter name is its i, as in longer words: Ly and Li, Sy and Si.)
        key = token[0] + "i" if len(token) == 2 and token[1] == "y" and token[0] not in "aeiouy" else token
    else:
        key = _fold_rules(token)
        key = _variant_keys().get(key) or _patronymic_key(token) or key
    if len(_SKELETON_CACHE) < 2_000_000:
        _SKELETON_CACHE[token] = key
    return key


# --- roles ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Phrases:
    """Multi-token phrases (legal forms, titles) as a dict keyed by their first token."""

    by_first: dict[str, list[tuple[tuple[str, ...], str]]]

    def longest(self, tokens: list[str], start: int) -> tuple[int, str] | None:
        options = self.by_first.get(tokens[start])
        if not options:
            return None
        for phrase, label in options:  # longest first
            end = start + len(phrase)
            if end <= len(tokens) and tuple(tokens[start:end]) == phrase:
                return len(phrase), label
        return None


def _phrases(entries: list[tuple[tuple[str, ...], str]]) -> _Phrases:
    by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    seen: set[tuple[str, ...]] = set()
    for toks, label in entries:
        if not toks or toks in seen:
            continue
        seen.add(toks)
        by_first.setdefault(toks[0], []).append((toks, label))
    for options in by_first.values():
        options.sort(key=lambda item: -len(item[0]))
    return _Phrases(by_first)


@dataclass(frozen=True, slots=True)
class _Reference:
    legal: _Phrases  # on skeleton keys
    legal_long: _Phrases  # forms of more than 3 letters: read anywhere in names of unknown schema
    legal_words: frozenset[str]  # skeleton keys of every word of every legal form
    legal_fuzzy: dict[str, frozenset[str]]  # one-letter deletions of long legal words -> words
    joinable_prefix: dict[str, tuple[str, ...]]  # legal words names run into, by first letter
    joinable_suffix: tuple[str, ...]
    titles: _Phrases
    particles: frozenset[str]  # anywhere in a person name (al, bin, abu, ...)
    inner_particles: frozenset[str]  # only inside a person name (de, van, von, ...)
    stopwords: frozenset[str]
    kana_particles: dict[str, str]  # a particle's katakana word -> its Latin token (ド de)


@lru_cache(maxsize=1)
def reference() -> _Reference:
    legal_data = load_reference("legal_forms.yml")
    entries: list[tuple[tuple[str, ...], str]] = []
    long_entries: list[tuple[tuple[str, ...], str]] = []
    for cls, variants in legal_data["classes"].items():
        for variant in variants:
            toks = tokenize(str(variant))
            keys = tuple(skeleton(t) for t in toks)
            entries.append((keys, str(cls)))
            if len("".join(toks)) > 3:
                long_entries.append((keys, str(cls)))
    words = frozenset(k for keys, _c in entries for k in keys)
    fuzzy: dict[str, set[str]] = {}
    for word in words:
        if len(word) >= 6:
            for d in deletes(word) | {word}:
                fuzzy.setdefault(d, set()).add(word)
    joinable: dict[str, list[str]] = {}
    for word in legal_data.get("joinable_prefix", []):
        for tok in tokenize(str(word)):
            joinable.setdefault(tok[0], []).append(tok)
    suffixes = sorted({t for w in legal_data.get("joinable_suffix", []) for t in tokenize(str(w))}, key=len, reverse=True)
    title_data = load_reference("titles.yml")
    return _Reference(
        legal=_phrases(entries),
        legal_long=_phrases(long_entries),
        legal_words=words,
        legal_fuzzy={k: frozenset(v) for k, v in fuzzy.items()},
        joinable_prefix={k: tuple(sorted(v, key=len, reverse=True)) for k, v in joinable.items()},
        joinable_suffix=tuple(suffixes),
        titles=_phrases([(tuple(tokenize(str(t), person=True)), "title") for t in title_data["titles"]]),
        particles=frozenset(tokenize(" ".join(map(str, title_data["particles"])))),
        inner_particles=frozenset(tokenize(" ".join(map(str, title_data["inner_particles"])))),
        stopwords=frozenset(tokenize(" ".join(map(str, title_data["stopwords"])))),
        kana_particles={str(k): str(v) for k, v in title_data["kana_particles"].items()},
    )


def optional_word(word: str) -> bool:
    """A word a name may carry besides its name words: a legal form ("LIMITED"), a
    particle ("BIN") or a stop word ("OF")."""
    ref = reference()
    tokens = tokenize(word)
    return bool(tokens) and all(
        skeleton(t) in ref.legal_words or t in ref.particles or t in ref.inner_particles or t in ref.stopwords
        for t in tokens
    )


def could_be_particle(tokens: Sequence[str], i: int) -> bool:
    """Token ``i`` would be a particle (al, bin, van, de ...) in a person's name."""
    ref = reference()
    return tokens[i] in ref.particles or (tokens[i] in ref.inner_particles and 0 < i < len(tokens) - 1)


def deletes(word: str) -> set[str]:
    """``word`` with one letter left out, each way."""
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _legal_key(key: str, ref: _Reference) -> str:
    """``key``, or the legal-form word it is one typo away from (long words only)."""
    if key in ref.legal_words or len(key) < 6:
        return key
    found: set[str] = set(ref.legal_fuzzy.get(key, ()))
    for d in deletes(key):
        found.update(ref.legal_fuzzy.get(d, ()))
    if len(found) == 1:
        return next(iter(found))
    return key


def _split_joined_legal(
    tokens: list[str],
    words: list[int],
    xkeys: list[str],
    glosses: list[tuple[str, ...]],
    natives: list[str],
    ref: _Reference,
) -> tuple[list[str], list[int], list[str], list[tuple[str, ...]], list[str]]:
    """Separate legal forms run into a name: "companytekstilprom" -> "company tekstilprom"."""
    out: list[str] = []
    out_words: list[int] = []
    out_x: list[str] = []
    out_g: list[tuple[str, ...]] = []
    out_n: list[str] = []
    last = len(tokens) - 1
    for i, tok in enumerate(tokens):
        parts: tuple[str, ...] = (tok,)
        if len(tok) >= 6 and not tok.isdigit() and not xkeys[i]:
            form = next(
                (f for f in ref.joinable_prefix.get(tok[0], ()) if len(tok) - len(f) >= 3 and tok.startswith(f)),
                None,
            )
            if form is not None:
                parts = (form, tok[len(form) :])
            elif i == last and tok.endswith(ref.joinable_suffix):
                form = next(
                    (f for f in ref.joinable_suffix if len(tok) - len(f) >= 3 and tok.endswith(f)), None
                )
                if form is not None:
                    parts = (tok[: -len(form)], form)
        out.extend(parts)
        out_words.extend([words[i]] * len(parts))
        out_x.extend([xkeys[i]] * len(parts))
        if glosses:
            out_g.extend([glosses[i]] * len(parts))
        if natives:
            out_n.extend([natives[i]] * len(parts))
    return out, out_words, out_x, out_g, out_n


# (those of _PATRONYMIC_ENDINGS_GENDER, and Russian -ichna and the Turkic ones, which name
# no father's name a spelling family holds)
_PATRONYMIC_ENDINGS = (*(ending for ending, _gender in _PATRONYMIC_ENDINGS_GENDER), "ichna", "ogly", "oglu", "kyzy", "qizi")


def is_patronymic(token: str) -> bool:
    """Whether a (normalised) token reads as an East Slavic or Turkic patronymic."""
    return len(token) >= 7 and token.endswith(_PATRONYMIC_ENDINGS)


def is_patronymic_key(key: str) -> bool:
    """Whether a skeleton key is a patronymic's: one of a spelling family's
    (``_patronymic_key``: "~nikolai:m"), or a key that reads as one."""
    return key.endswith((":m", ":f")) or is_patronymic(key)


def holds_patronymic(keys: tuple[str, ...]) -> bool:
    """Whether a name (its skeleton keys) holds a patronymic (``is_patronymic_key``). A
    name's first word is never its patronymic, which follows a given name: "KESKEVICH
    Sergey" is a family name and a given name (Belarusian, Serbian and Croatian family
    names end as patronymics do)."""
    return any(is_patronymic_key(key) for key in keys[1:])


@dataclass(frozen=True, slots=True)
class NameForm:
    """A normalised name: tokens in order with their role and skeleton key."""

    text: str  # the name as given
    tokens: tuple[str, ...]
    roles: tuple[int, ...]
    keys: tuple[str, ...]  # skeleton per token
    legal: tuple[str, ...]  # legal-form classes found (in order)
    person: bool
    words: tuple[int, ...] = ()  # written word per token (hyphenated parts share one)
    family: frozenset[int] = frozenset()  # positions of the family name, where known
    xkeys: tuple[str, ...] = ()  # cross-script key per token ("" for Latin-written words); () if none
    # One name written as two words in an abjad person name (عبد العزيز, نصر الله): the
    # positions of its two name tokens.
    compounds: tuple[tuple[int, int], ...] = ()
    # The English words each abjad word of an organisation's name translates as ("صناعات":
    # industries), () per token without; () if none.
    glosses: tuple[tuple[str, ...], ...] = ()
    # The word as written, per token, when it is in another script than Latin ("" for a
    # Latin-written token); () if none. A syllable's word is its whole written word.
    native: tuple[str, ...] = ()
    # The code of the state an organisation's name ends by naming (its words have the
    # role STATE; :mod:`.states`), "" if none.
    state: str = ""

    @property
    def core(self) -> list[int]:
        """Positions of the tokens that identify the party."""
        return [i for i, r in enumerate(self.roles) if r not in OPTIONAL_ROLES]

    def normalized(self) -> str:
        return " ".join(self.tokens)


def schema_kind(schema: str | None) -> str | None:
    """person / org / vessel / airplane, or None for unknown/any."""
    if schema is None:
        return None
    if schema in PERSON_SCHEMAS:
        return "person"
    if schema in ORG_SCHEMAS:
        return "org"
    if schema == "Vessel":
        return "vessel"
    if schema == "Airplane":
        return "airplane"
    return None


def _linking_letter(tokens: list[str], words: list[int], i: int) -> bool:
    """Whether the one-letter token ``i`` links two longer parts of one written word
    ("Chan-o-cha"): a letter inside a hyphenated name is no initial."""
    return (
        0 < i < len(tokens) - 1
        and words[i - 1] == words[i] == words[i + 1]
        and len(tokens[i - 1]) > 1
        and len(tokens[i + 1]) > 1
    )


def analyse(name: str, schema: str | None = None, family: str | None = None) -> NameForm:
    """Normalise ``name`` (of a party of ``schema``; None = unknown) into a NameForm.

    ``family``: the family-name part of a person name, where the list states it.
    """
    kind = schema_kind(schema)
    person = kind == "person"
    ref = reference()
    tokens, words, xkeys, marks, glosses, natives = _tokenize_marked(name, person)
    if not person:
        tokens, words, xkeys, glosses, natives = _split_joined_legal(tokens, words, xkeys, glosses, natives, ref)
    n = len(tokens)
    roles = [NAME] * n
    legal: list[str] = []
    if not person:
        lkeys = [_legal_key(skeleton(t), ref) for t in tokens]
        i = 0
        while i < n:
            hit = ref.legal.longest(lkeys, i)
            if hit is not None and kind is None and i > 0 and i + hit[0] < n:
                # Unknown schema: a short form counts only at the start or end of a name.
                hit = ref.legal_long.longest(lkeys, i)
            if hit is not None and hit[0] == 1 and lkeys[i] != skeleton(tokens[i]) and len(tokens[i]) < 7:
                hit = None  # a misspelt short word is not taken for a legal form on its own
            if hit is None:
                i += 1
                continue
            length, cls = hit
            for j in range(i, i + length):
                roles[j] = LEGAL
            legal.append(cls)
            i += length
    i = 0
    while i < n:
        tok = tokens[i]
        if roles[i] != NAME:
            i += 1
            continue
        # A word written in another script is read against that script's own titles and
        # particles (abjad.yml): its romanisation may spell a Latin one by chance (عمر, Umar,
        # is "mr" in consonants).
        latin = not xkeys[i]
        if kind in (None, "person") and latin:
            hit = ref.titles.longest(tokens, i)
            # A title is never the whole name, nor the last word of a person's name.
            if hit is not None and i + hit[0] < n:
                for j in range(i, i + hit[0]):
                    roles[j] = TITLE
                i += hit[0]
                continue
        if tok.isdigit():
            roles[i] = NUMBER
        elif tok in _NUMBER_MARKS and i + 1 < n and tokens[i + 1].isdigit():
            roles[i] = STOP
        elif tok in _NUMBER_WORDS and not person and latin:  # (덴 reads "then", not ten)
            tokens[i] = _NUMBER_WORDS[tok]
            roles[i] = NUMBER
        elif tok in _ROMAN and i > 0 and not person and latin:
            tokens[i] = _ROMAN[tok]
            roles[i] = NUMBER
        elif len(tok) == 1 and tok.isalpha() and person and latin and not _linking_letter(tokens, words, i):
            roles[i] = INITIAL  # (an abjad word is never an initial: طه)
        elif person and latin and could_be_particle(tokens, i) and not _rtgs_particle(natives[i] if natives else "", tok):
            roles[i] = PARTICLE
        elif not person and (tok in ref.stopwords if latin else _translates_to_stopword(glosses, i, ref)):
            roles[i] = STOP
        i += 1
    # A name must keep at least one distinctive token: if everything is optional, the
    # optional words are the name ("Trust", "The Company").
    if n and all(r in OPTIONAL_ROLES for r in roles):
        roles = [NAME if r in OPTIONAL_ROLES else r for r in roles]
    state = ""
    if kind in (None, "org"):
        qualifier = state_qualifier(tokens, [r in OPTIONAL_ROLES for r in roles], glosses or [()] * n)
        if qualifier is not None:
            start, state = qualifier
            roles[start:] = [STATE if r == NAME else r for r in roles[start:]]
    keys = tuple(skeleton(t) for t in tokens)
    fam: frozenset[int] = frozenset()
    if person and family:
        fam = _locate(tokens, tokenize_words(family, person=True)[0])
    elif person:
        fam = _upper_family(name, words)
    cross = tuple(xkeys) if any(xkeys) else ()
    compounds = _compounds(tokens, roles, marks) if person and cross else ()
    return NameForm(
        name, tuple(tokens), tuple(roles), keys, tuple(legal), person, tuple(words), fam, cross, compounds,
        tuple(glosses), tuple(natives) if any(natives) else (), state,
    )


def hidden_break_classes(form: NameForm, i: int) -> tuple[tuple[str, str], ...]:
    """The letter classes of the two parts of abjad token ``i``, for each way its written
    word may be two words run together (``abjad.hidden_breaks``); () when the token is
    not a whole written word (a compound's part, a word cut at punctuation)."""
    if not (form.xkeys and form.xkeys[i]) or form.words.count(form.words[i]) != 1:
        return ()
    return _break_classes(form.text, form.words[i], form.xkeys[i])


@lru_cache(maxsize=50_000)
def _break_classes(text: str, w: int, xkey: str) -> tuple[tuple[str, str], ...]:
    written = split_words(text)
    if w >= len(written) or len(written[w]) != 1:
        return ()
    word = written[w][0]
    persian = not _PERSIAN_LETTERS.isdisjoint(text)  # (as _tokenize_abjad reads the name)
    if _abjad_key(word, persian) != xkey.removeprefix(OPTIONAL_VOWEL):
        return ()  # (not the word the token was read from)
    return tuple((_abjad_key(head, persian), _abjad_key(tail, persian)) for head, tail in hidden_breaks(word))


def _rtgs_particle(native: str, token: str) -> bool:
    """Whether a Thai word reads as a particle only by RTGS, which says a final ล as n:
    บิล (Bill) is "bin", not the bin of a nasab (its letters read "bil")."""
    return bool(native) and written_in(native, ("THAI",)) and thai_letters(native) != token


def _translates_to_stopword(glosses: list[tuple[str, ...]], i: int, ref: _Reference) -> bool:
    """Whether every English word token ``i`` (in an abjad or Chinese characters) translates
    as is a stopword (في: in), or a word English names leave out (市: city)."""
    left_out = left_out_glosses()
    return bool(glosses and glosses[i]) and all(g in ref.stopwords or g in left_out for g in glosses[i])


def _upper_family(name: str, words: list[int]) -> frozenset[int]:
    """Family-name positions from the lists' convention of writing the family name in
    capitals in an otherwise mixed-case name ("Oleg Viktorovich ZARUBIN", "ZARUBINA
    Irina"); empty when the name does not follow it."""
    chunks = name.split()
    if len(chunks) < 2 or not words or words[-1] != len(chunks) - 1:
        return frozenset()
    upper = [c.isupper() and sum(ch.isalpha() for ch in c) >= 2 for c in chunks]
    if all(upper) or not any(upper):
        return frozenset()
    return frozenset(i for i, w in enumerate(words) if upper[w])


def _locate(tokens: list[str], part: list[str]) -> frozenset[int]:
    """Positions of ``part`` as a contiguous run in ``tokens`` (last occurrence)."""
    size = len(part)
    if not size:
        return frozenset()
    for start in range(len(tokens) - size, -1, -1):
        if tokens[start : start + size] == part:
            return frozenset(range(start, start + size))
    return frozenset()


def normalize_identifier(value: str) -> str:
    """Identifier value for exact comparison: alphanumerics only, upper case, no type prefix."""
    text = re.sub(r"[^0-9A-Za-z]", "", to_latin_ascii(unicodedata.normalize("NFKC", value))).upper()
    for prefix in _ID_PREFIXES:
        if text.startswith(prefix) and len(text) > len(prefix) + 3 and text[len(prefix)].isdigit():
            return text[len(prefix):]
    return text


_ID_PREFIXES = ("IMO", "MMSI", "INN", "OGRNIP", "OGRN", "KPP", "LEI", "BIC", "SWIFT", "DUNS", "EDRPOU", "OKPO", "TIN", "VAT", "REG", "NO")
