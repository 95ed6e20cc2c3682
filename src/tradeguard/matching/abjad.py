"""Names written in an abjad (Arabic, Persian, Urdu, Hebrew) against names in Latin letters.

An abjad writes consonants and long vowels, not short vowels: "محمد" is m-h-m-d, which
Latin writes Muhammad, Mohammed, Mohamed ... ICU's transliteration ("mhmd") is a faithful
letter-by-letter rendering that no Latin spelling resembles. Here both sides are reduced to
a string of consonant *classes* (``abjad_classes`` for the abjad word, ``latin_classes``
for the Latin token; vowels and, inside a word, the glides w/y are dropped) and compared
with an edit distance whose cheap operations are the usual alternative spellings of one
letter (``data/abjad.yml``, which cites its sources). ``cross_sim`` turns the cost into a
token similarity on the engine's scale: short consonant strings get less, since two or
three consonants in common are often a coincidence.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np

from tradeguard.matching.reference import load_reference
from tradeguard.matching.spoken import READING_COST_CONSONANTS, spelt_in, spoken_reading

ABJAD_RE = re.compile("[\u05d0-\u05ea\u0620-\u064a\u066e-\u06d5\u06fa-\u06ff\u0750-\u077f]")
ZWNJ = "\u200c"  # the zero-width non-joiner
# Harakat, Quranic marks, tatweel, Hebrew points and the zero-width joiner (_MARKS adds the
# non-joiner): not letters.
_MARK_RANGES = "\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200d"
_MARKS = re.compile(f"[{_MARK_RANGES}{ZWNJ}]")
# Persian writes a word's silent final ha (the -eh of Khameneh, خامنه) before a suffix with
# a zero-width non-joiner: خامنه‌ای, Khamenei, the nisba of the town; مراغه‌ای Maraghei. The
# ha stays final there (class "H": a vowel or h), so split_words keeps that non-joiner in
# the word (``abjad_classes`` reads it) and joins the nisba typed apart (خامنه ای) to it.
_HA = "\u0647"
_MARKS_BUT_SILENT_HA = re.compile(f"[{_MARK_RANGES}]|(?<!{_HA}){ZWNJ}|{ZWNJ}(?![^\\W\\d_])")
_NISBA_APART = re.compile(f"(?<={_HA}) +(?=(?:\u0627\u06cc\u06cc?|\u0626\u06cc)(?![^\\W\\d_]))")  # ای, ایی, ئی
# A dot, gershayim or geresh between two abjad letters: an abbreviation, read as one word
# (a geresh after a letter that takes one is that letter's, see GERESH).
GERESH = "\u05f3"
_GERESH_LETTERS = "\u05d2\u05d6\u05e6\u05ea\u05d3\u05d7\u05e2\u05d8"  # ג ז צ ת ד ח ע ט (abjad.yml "geresh")
_ABBREVIATION = re.compile(
    "(?<=[\u05d0-\u05ea\u0620-\u064a\u066e-\u06d5])"
    f"(?:[.\"\u05f4]|(?<![{_GERESH_LETTERS}])['\u05f3])"
    "(?=[\u05d0-\u05ea\u0620-\u064a\u066e-\u06d5])"
)
# A geresh after one of them, typed as the Hebrew sign, an apostrophe or a right quote.
_GERESH_AFTER_LETTER = re.compile(f"(?<=[{_GERESH_LETTERS}])['\u05f3\u2019]")
_LETTER_RUN = re.compile(f"(?:[^\\W\\d_]|(?<=[{_GERESH_LETTERS}]){GERESH}|(?<={_HA}){ZWNJ})+|\\d+")
_VOWELS = frozenset("aeiou")
_REPEATS = re.compile(r"(.)\1+")
# "abd" + article, sun letters assimilated ("abdur-rahman", "abdul", "abdel", "abdus-salam").
_ABD_ARTICLE = re.compile(r"^abd[aeiou](?:l|([rsdtzn])\1?)(?=[^aeiou]|$)")
# A Slavic surname's -ov/-ev, -ova/-eva after three letters or more (see latin_classes).
_SLAVIC_SURNAME = re.compile(r"(?<=...)[oe]va?$")


@dataclass(frozen=True, slots=True)
class _Tables:
    letters: dict[str, str]
    latin: tuple[tuple[str, str], ...]  # longest spelling first
    sub: dict[tuple[str, str], float]
    gap: dict[str, float]
    fold: dict[int, str]
    alternates: dict[str, str]
    particles: dict[str, str]
    titles: dict[str, str]
    opening_titles: dict[str, str]
    words: dict[str, str]
    geresh: dict[str, str]  # a Hebrew letter -> its class with a geresh
    compound_heads: frozenset[str]
    compound_tails: frozenset[str]
    surname_suffixes: frozenset[str]
    given_heads: frozenset[str]
    given_seconds: frozenset[str]


def _spelling_set(words: Any) -> frozenset[str]:
    return frozenset(unicodedata.normalize("NFKC", str(w)).translate(_SPELLING_FOLD) for w in words)


@lru_cache(maxsize=1)
def tables() -> _Tables:
    data: Any = load_reference("abjad.yml")
    sub: dict[tuple[str, str], float] = {}
    for a, b, cost in data["cheap"]:
        sub[(str(a), str(b))] = sub[(str(b), str(a))] = float(cost)
    latin = sorted(((str(k), str(v)) for k, v in data["latin"].items()), key=lambda kv: -len(kv[0]))
    return _Tables(
        letters={str(k): str(v or "") for k, v in data["letters"].items()},
        latin=tuple(latin),
        sub=sub,
        gap={str(k): float(v) for k, v in data["cheap_gap"].items()},
        fold={ord(str(k)): str(v) for k, v in data["index_fold"].items()},
        alternates={str(k): str(v) for k, v in data["index_alternates"].items()},
        particles={unicodedata.normalize("NFKC", str(k)): str(v) for k, v in data["particles"].items()},
        titles={unicodedata.normalize("NFKC", str(k)): str(v) for k, v in data["titles"].items()},
        opening_titles={unicodedata.normalize("NFKC", str(k)): str(v) for k, v in data["opening_titles"].items()},
        words={unicodedata.normalize("NFKC", str(k)): str(v) for k, v in data["words"].items()},
        geresh={str(k): str(v) for k, v in data["geresh"].items()},
        compound_heads=_spelling_set(data["compound_heads"]),
        compound_tails=_spelling_set(data["compound_tails"]),
        surname_suffixes=_spelling_set(data["surname_suffixes"]),
        given_heads=_spelling_set(data["double_given_names"]["heads"]),
        given_seconds=_spelling_set(data["double_given_names"]["seconds"]),
    )


def has_abjad(text: str) -> bool:
    if text.isascii():
        return False
    if ABJAD_RE.search(text) is not None:
        return True
    # Letters in their presentation forms (text copied out of a PDF: ﻣﻮﺳﻰ), which NFKC
    # makes the letters themselves, as split_words reads them.
    return _PRESENTATION_FORMS.search(text) is not None and ABJAD_RE.search(unicodedata.normalize("NFKC", text)) is not None


_PRESENTATION_FORMS = re.compile("[\ufb1d-\ufdff\ufe70-\ufeff]")  # Hebrew and Arabic


def split_words(name: str) -> list[list[str]]:
    """The written words of ``name`` (NFKC, marks removed), each as its runs of letters or
    digits; punctuation separates runs, white space separates words."""
    text = _MARKS_BUT_SILENT_HA.sub("", _NISBA_APART.sub(ZWNJ, unicodedata.normalize("NFKC", name)))
    text = _GERESH_AFTER_LETTER.sub(GERESH, text)  # (kept in the word: ג'ורג' George)
    text = _ABBREVIATION.sub("", text)  # ذ.م.م -> ذمم, בע"מ -> בעמ
    return [runs for chunk in text.split() if (runs := _LETTER_RUN.findall(chunk))]


def abjad_particle(word: str, opening: bool = False) -> str | None:
    """The Latin particle or title an abjad word stands for (بن -> bin, أبو -> abu,
    ال -> al, الشيخ -> sheikh); ``opening``: the word opens the name (only titles before
    it), where the honorifics that are also family names are read as such too (السيد Mr,
    but "أحمد السيد" is Ahmed El-Sayed; المهندس Eng., but Abu Mahdi al-Muhandis)."""
    t = tables()
    found = t.particles.get(word) or t.titles.get(word) or t.words.get(word)
    return found or (t.opening_titles.get(word) if opening else None)


def is_abjad_title(word: str) -> bool:
    """Whether an abjad word is an honorific or a rank (الشيخ, السيد, جناب)."""
    t = tables()
    return word in t.titles or word in t.opening_titles


# Letters written two ways across Arabic and Persian typing (ya, kaf, alif with hamza or
# madda): one form for the look-up of a word's glosses.
# One spelling for the letters that Arabic, Persian and Urdu write in their own forms (ya,
# kaf, the Urdu he and ta marbuta) and for the hamza seats, to look words up in tables.
_SPELLING_FOLD = str.maketrans({"ي": "ی", "ى": "ی", "ك": "ک", "أ": "ا", "إ": "ا", "آ": "ا", "ؤ": "و", "ئ": "ی",
                                "ہ": "ه", "ۃ": "ة", "ھ": "ه"})


@lru_cache(maxsize=1)
def _gloss_table() -> dict[str, tuple[str, ...]]:
    data: Any = load_reference("abjad_glosses.yml")
    table: dict[str, tuple[str, ...]] = {}
    for word, glosses in data["glosses"].items():
        folded = _MARKS.sub("", unicodedata.normalize("NFKC", str(word))).translate(_SPELLING_FOLD)
        table[folded] = tuple(dict.fromkeys((*table.get(folded, ()), *(str(g) for g in glosses))))
    return table


# Hebrew letters written into a word as the article or a preposition (ה, ל, ו, ב, מ, ש).
_HEBREW_PREFIXES = frozenset("הלובמש")


@lru_cache(maxsize=20_000)
def glosses_of(word: str) -> tuple[str, ...]:
    """The English words an abjad word of an organisation's name is translated as
    (``data/abjad_glosses.yml``): "صناعات" -> ("industries",); the word without a Persian
    ezafe or adjective ending (نیروی, فضایی) or a final ta marbuta (اسلامية) if only that
    form is listed."""
    table = _gloss_table()
    folded = word.replace(ZWNJ, "").translate(_SPELLING_FOLD)
    found = table.get(folded)
    if found is None and len(folded) > 3 and folded[-1] in "یةه":
        found = table.get(folded[:-1])
        if found is None and folded.endswith("یی") and len(folded) > 4:
            found = table.get(folded[:-2])
    if found is None and folded[:1] in _HEBREW_PREFIXES and len(folded) > 3:
        # Hebrew writes the article and the one-letter prepositions into the word:
        # התעשייה "the industry", לישראל "of Israel", והשקעות "and investments".
        found = table.get(folded[1:]) or (table.get(folded[2:]) if folded[1:2] == "ה" and len(folded) > 4 else None)
    return found or ()


# Arabic-script letters that do not join the letter after them: a space left out after one
# of them does not show on the page ("ظاهرعويس" looks like "ظاهر عويس"), so records keep
# such words run together unnoticed.
_NON_JOINING = frozenset("اأإآٱءدذرزژوؤةۀەڈڑړډږۆۇۈۋۅۉ")
MIN_HIDDEN_PART = 3  # letters each side of a hidden break (not an article or a particle)


def hidden_breaks(word: str) -> list[tuple[str, str]]:
    """The ways to read one written abjad word as two whose space does not show: split
    after a letter that does not join the next, each part at least MIN_HIDDEN_PART
    letters ("ظاهرعويس" -> [("ظاهر", "عويس")])."""
    return [
        (word[:k], word[k:])
        for k in range(MIN_HIDDEN_PART, len(word) - MIN_HIDDEN_PART + 1)
        if word[k - 1] in _NON_JOINING and ABJAD_RE.match(word[k])
    ]


def compound_part(word: str, before: str = "") -> str:
    """"head" for the first word of a two-word name ("عبد"), "tail" for the second (after
    its article: "له" of "الله", "دين" of "الدين"), "suffix" for the second word of a
    Persian family name ("نژاد" of "احمدی نژاد"), "second" for the second name of a double
    given name after the word ``before`` it ("رضا" of "محمد رضا"), else ""."""
    t = tables()
    word, before = word.translate(_SPELLING_FOLD), before.translate(_SPELLING_FOLD)  # (الدین, اللہ)
    if word in t.compound_heads:
        return "head"
    if word in t.compound_tails:
        return "tail"
    if word in t.surname_suffixes:
        return "suffix"
    return "second" if word in t.given_seconds and before in t.given_heads else ""


_JOINED_PREFIXES = ("عبد", "ابو", "أبو", "ابن")


def split_article(word: str) -> tuple[str, str] | None:
    """("ال", rest) when an Arabic word starts with the article and a name follows."""
    if len(word) >= 4 and word.startswith("ال"):
        return "ال", word[2:]
    return None


# Prefixes written into the article: "لل" (for the), "بال" (with the), "وال" (and the).
_ARTICLE_PREFIXES = (("وال", ("و", "ال")), ("بال", ("ال",)), ("لل", ("ال",)), ("فال", ("ال",)))


def split_compound(word: str, person: bool = False) -> list[str]:
    """A word written as one with "عبد" (servant of), "أبو" (father of) or "ابن" (son of)
    and a name, as its parts: "عبدالله" -> ["عبد", "ال", "له"], "أبوبكر" -> ["أبو", "بكر"].
    Latin writes these apart or joined (Abd Allah, Abdullah); the matcher joins parts
    again where the other name writes one word. A preposition or "and" written into the
    article ("بالتجارة", with the trade) is split off in a firm's name only: a person's
    name has none, and its words that start so are names (بالدوين Baldwin, فالنتينو
    Valentino, بالحاج Belhadj)."""
    for prefix in _JOINED_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            rest = word[len(prefix) :]
            article = split_article(rest) if len(rest) >= 4 else None
            return [prefix, *(article if article else (rest,))]
    article = split_article(word)
    if article:
        return list(article)
    for prefix, parts in () if person else _ARTICLE_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            return [*parts, word[len(prefix) :]]
    return [word]


# Letters that carry a vowel at the start of an Arabic-script word: alif (all forms), ayn,
# hamza. A waw or ya right after one of them may be read either way.
_VOWEL_SEATS = frozenset("اأإآٱءئؤع")
_HEBREW_VOWEL_LETTERS = frozenset("ויאע")
_HEBREW_DOUBLED = {"ו": "w", "י": "Y"}  # וו and יי (see abjad_classes)
# A word that starts with a vowel starts, in an abjad, with one of these; a word that does
# not starts with a consonant there and in Latin (أحمد Ahmad, not Hamed; حسن Hasan, not
# Ahsan): class "V" on both sides, cheap against a glide, a letter's cost against nothing.
# (Where a glide follows, "W" or "Y" in an abjad, "w" or "y" in Latin, it says as much.)
_INITIAL_VOWEL_SEATS = _VOWEL_SEATS | frozenset("אע")
# Letters of the Kurdish and Uyghur alphabets that write a vowel the other abjads leave out.
_WRITTEN_VOWELS = frozenset("ەۆۇۈێ")
INITIAL_VOWEL = "V"


# A word that follows the article written apart (الله, الدين) may start in Latin with the
# article's vowel (Allah, Eddine) or not (al-Lah, ad-Din): class "O", free against "V".
OPTIONAL_VOWEL = "O"


def after_vowel(classes: str) -> str:
    """The classes of a word that follows the article: an initial vowel optional."""
    return classes if classes[:1] in (INITIAL_VOWEL, "W", "Y") else OPTIONAL_VOWEL + classes


def join_classes(first: str, second: str) -> str:
    """The classes of two words written as one: the second's initial vowel is inside it."""
    return first + (second[1:] if second[:1] in (INITIAL_VOWEL, OPTIONAL_VOWEL) else second)


PERSIAN_FINAL_YA = "M"  # a final ی after a consonant: -i or -a (data/abjad.yml)
# A Latin word's final -e after a consonant: a final -ah as "H" is (Fateme فاطمه), unsaid
# (Blake بليك), or the e Italian, Spanish and Portuguese say, which Arabic writes ي
# (Dante دانتي, Vicente فيسنتي; data/abjad.yml).
FINAL_E = "e"
# The classes a letter follows when it follows a vowel, not a consonant (the class just
# written in abjad_classes: "" after alif, ayn or hamza).
_AFTER_VOWEL = frozenset({"", "I", "U", "J", "W", "Y"})


@lru_cache(maxsize=100_000)
def abjad_classes(word: str) -> str:
    """Classes of one abjad word: consonants, and "U"/"I" where waw or ya is a long vowel
    inside or at the end of the word ("محمود" -> "mhmUd", "عباسي" -> "bsI")."""
    t = tables()
    letters = t.letters
    if not _WRITTEN_VOWELS.isdisjoint(word):
        word = squeeze(word)  # Kurdish, Uyghur: a doubled letter is a double one (Abdulla)
    out: list[str] = []
    last = ""  # the class just written; "" after a vowel letter (doubles across one are kept)
    end = len(word.rstrip(GERESH)) - 1
    final_alif = len(word.rstrip("ءٔ")) - 1  # (علاء: a final hamza after it is not written in Latin)
    skip = -1  # a letter read with the one before it
    for pos, ch in enumerate(word):
        cls = letters.get(ch)
        if cls is None or pos == skip:
            continue  # a letter of another script or a mark
        following = word[pos + 1 : pos + 2]
        if following == GERESH:
            cls = t.geresh.get(ch, cls)
        elif ch == following and ch in _HEBREW_DOUBLED and (pos == 0 if ch == "ו" else 0 < pos < end - 1):
            # Hebrew spelling without points writes a consonant vav twice (וושינגטון
            # Washington; inside a word the pair stays a "U", which Latin writes as v, w or
            # a vowel: דייוויס Davis, גרוויג Gerwig), and a yod twice inside a word for the
            # diphthong or the consonant y (ג'יימס James, מייקל Michael): a glide that Latin
            # writes as a vowel or not at all.
            skip = pos + 1
            out.append(_HEBREW_DOUBLED[ch])
            last = out[-1]
            continue
        if ch == "ى" and pos != end and not _WRITTEN_VOWELS.isdisjoint(word):
            cls = "i"  # Uyghur: the vowel i anywhere (Arabic writes it only at the end)
        if ch == "ا" and pos == final_alif and last not in _AFTER_VOWEL and word[pos - 1] != "ا":
            # A final alif after a consonant is a final long a, which Latin writes (Nima,
            # Reza, Sana; Alaa of علاء): class "A" like a ta marbuta, so "نیما" is not Naim.
            out.append("A")
            last = "A"
            continue
        if cls in ("w", "y") and not out and pos == 1 and word[0] in "אע":
            continue  # Hebrew alef or ayin + vav/yod at the start: a vowel (Uri, Ohayon, Ilan; Imad עימאד, Oded עודד)
        if pos == 0 and ch == "י" and word[1:2] not in _HEBREW_VOWEL_LETTERS:
            cls = "Y"  # Hebrew yod + a consonant at the start: "Yi" or "I" (Yitzhak, Itzhak)
        if cls in ("w", "y") and not out and pos > 0 and word[pos - 1] in _VOWEL_SEATS:
            # Arabic alif, ayn or hamza + waw/ya at the start: a long vowel or a glide
            # ("عيسى" Isa, "عيد" Eid, "عودة" Odeh; "أيمن" Ayman, "عواد" Awad).
            cls = "W" if cls == "w" else "Y"
        if cls in ("w", "y") and out:
            # A long vowel (or a glide) inside the word; a final ya is "J", often the
            # nisba ending -i (Abbasi, Tikriti), which a Latin name without it lacks.
            cls = "U" if cls == "w" else "J" if pos == end else "I"
        elif cls == "h" and (pos == end or following == ZWNJ) and pos > 0:
            cls = "H"  # a final ha: often a vowel (Persian -eh), else h (Allah, Taha)
        if not cls:
            continue  # alif, ayn, hamza: a vowel or nothing in Latin
        # Doubled consonants are not written twice (shadda): two equal letters are two
        # syllables (ممدوح Mamduh), except a long vowel written twice.
        if cls in ("I", "U", "J") and cls[0] in (last, "J" if last == "I" else ""):
            continue  # a long vowel written twice
        if cls == "J" and ch == "ی" and last not in _AFTER_VOWEL:
            # Persian and Urdu write a final alif maqsura with the ya ی too: after a consonant
            # it is -i (علی Ali, حسینی Hosseini) or -a (موسی Musa, مرتضی Morteza, صغری Soghra).
            cls = PERSIAN_FINAL_YA
        out.append(cls)
        last = cls
    first = next((ch for ch in word if ch in letters), "")
    if first in _INITIAL_VOWEL_SEATS and word[1:2] != GERESH and out[:1] not in (["W"], ["Y"]):
        out.insert(0, INITIAL_VOWEL)  # (an initial glide says that the word starts with a vowel)
    return "".join(out)


_TURKISH_C = re.compile("(?<=[aeiou])c(?![hk])|c(?=[aeiou])")  # (next to a vowel: not an acronym's)
_SOFT_G = re.compile("g?g(?=[eiy])")
# The glide of an oi, oy, ui or uy before a consonant, which an abjad writes as a ya after
# the waw (Shoigu شويغو, Boyko بويكو, Moiseev مويسييف) and latin_classes leaves in the u.
_DIPHTHONG_GLIDE = re.compile("(?<=[ou])[iy](?=[^aeiouy])")
_SLAVIC_IC = re.compile("(?<=..)[^aeiou]ic$")  # Serbian, Croatian, Bosnian -ić, -vić written in ASCII
_C_AS_CH = re.compile("c(?![hk])")
# Polish spelling, told by its digraphs or its -wicz, -wski (Olszewski, Krzyzewski,
# Moszkowicz; Belarusian names in Polish-style Latin): sz sh, cz ch, rz zh, ch kh, w v, j y,
# c ts, as other scripts write the sounds (אולשבסקי, أولشيفسكي). Source: Polish
# orthography (the letters' values in the Polish alphabet).
_POLISH = re.compile("[sc]z|(?<=.)rz|w(?:icz|sk)")
_POLISH_LETTERS = re.compile("szcz|sz|cz|rz|ch|c|w|j")
_POLISH_SOUNDS = {"szcz": "shch", "sz": "sh", "cz": "ch", "rz": "zh", "ch": "kh", "c": "ts", "w": "v", "j": "y"}


def _polish_sound(found: re.Match[str]) -> str:
    return _POLISH_SOUNDS[found.group(0)]


# English says z for an s between vowels or before n, and the abjads and Cyrillic write it
# so (Joseph جوزيف, ג'וזף, Джозеф; Disney ديزني); but so do Arabic names spelt in Latin
# letters write a sin (Hasan, Osama, Musa). Read so only in a word that English spelling
# marks as its own: a ph, a final -ey or -ie, a final e after a consonant.
_VOICED_MEDIAL_S = re.compile(r"(?<=[aeiouy])s(?=[aeiouy]|n)")
_ENGLISH_SPELLING = re.compile(r"ph|(?:ey|ie|[^aeiou]e)$")
_SILENT_INITIAL = re.compile("^(?:k(?=n)|w(?=r))")
_SILENT_GH = re.compile("igh(?![aeiou])")  # English: Wright, Knight, Leigh (not an Arabic gh: Maghribi)
# German spelling, told by its sch, tz, dt, an ie inside the word, or its -mann, -berg,
# -burg, -stein, -feld, -dl (Stresemann, Seidl, Steinmeier): an s before a vowel at the
# start or between vowels is said z, an initial st or sp and the st of -stein sht or shp,
# w v, as Hebrew, the abjads and Cyrillic write them (שטרזמן, זיידל, Штайнмайер). Source:
# German orthography.
_GERMAN_SPELLING = re.compile(r"sch|tz|dt|ie(?!$)|mann$|berg$|burg$|stein|feld$|dl$")
_GERMAN_SOUNDS = (
    (re.compile(r"^s(?=[tp])|(?<=.)s(?=tein)"), "sh"),
    (re.compile(r"^s(?=[aeiouy])|(?<=[aeiouy])s(?=[aeiouy])"), "z"),
    (re.compile("w"), "v"),
)
# French leaves the final d or t of -ond, -ont, -ard, -ert unsaid, and the abjads, Hebrew
# and Cyrillic write the sound (Raymond ريمون, Bernard برنار, Entremont אנטרמון, Lambert
# لامبير, Robert روبير). (Not -and: Friedland is German, and not Fridman فريدمان.)
_FRENCH_SILENT_END = re.compile("(?<=on|ar|er)[dt]$")
# ... and the final consonants after the o French writes o, au, eau: Renault, Thibault,
# Arnaud, Rimbaud, Bardot, Devaux, Vernoux (Рено, Тибо, Арно, ランボー, Бардо, Верну). Not
# the d or t after ou: Mahmoud, Massoud, Daoud are Maghrebi spellings that say it.
_FRENCH_SILENT_AFTER_O = re.compile("(?<=au)(?:lt|[dtx])$|(?<=[eo]u)x$|(?<=[^aeiou]o)t$")
# French says a final -et and -ier é (Monet, Basset, Rouget, Champetier), which Arabic
# writes يه and Hebrew ה (مونيه, מונה; روجيه; شانبتييه): read "ieh", a short i the abjad
# may write or not and the final h of a vowel. Not after two consonants French does not
# write there: Mehmet, Hikmet, Cevdet are Turkish and say their t.
_FRENCH_FINAL_E = re.compile("(?<=[aeiou][^aeiouy]|ch|qu|ss|ll|rr|tt|nn)et$|(?<=[^aeiou])ier$")


@lru_cache(maxsize=100_000)
def other_reading(token: str) -> str | None:
    """A Latin token read as the other spellings that write its letters do, where that
    differs from the token; None otherwise. Turkish spelling of a name of Arabic or Persian
    origin (c is j, a final p is b: Cemil جميل, Cafer جعفر, Recep رجب, Tayyip طيب): Turkish
    and Kurdish names in it stand on the lists beside the Arabic-script ones (Öcalan,
    أوجلان). And x as ks, as European names write it (Alexei أليكسي, Maxim ماكسيم), where
    ``latin_classes`` reads it as kha, which is cheaply ha, as Somali spelling writes ha
    (Maxamed, Xasan). And a g before e, i or y as the j English, French and Italian say
    there (George جورج and ג'ורג', Luigi, Page): an abjad writes the sound, not the letter.
    A name ending in -ic is a South Slavic -ić (or a Turkish -iç) whose diacritics ASCII
    lost: its c is ch (Mladic ملاديتش, Vucic فوتشيتش, Kilic). A Polish name is read by
    Polish letter values (Olszewski: "olshevski"). And the glide of oi, oy before a
    consonant as a ya (Shoigu: "shoyigu"). And the k of an English kn, the w of a wr and
    the gh of igh, unsaid (Knox נוקס, Wright رايت), the s English says z in a word of
    English spelling (Joseph جوزيف, Disney ديزني), the final d or t French leaves
    unsaid (Raymond ريمون, Bernard برنار), and a word of German spelling as German says it
    (Stresemann שטרזמן, Seidl זיידל)."""
    said = _SILENT_INITIAL.sub("", token) if len(token) > 3 else token
    said = _SILENT_GH.sub("i", said)
    if _POLISH.search(said):
        reading = _POLISH_LETTERS.sub(_polish_sound, said)
    elif _SLAVIC_IC.search(said):
        reading = _SOFT_G.sub("j", _C_AS_CH.sub("ch", said))
    elif _GERMAN_SPELLING.search(said) and not _FRENCH_FINAL_E.search(said):  # (its ie: Olivier)
        reading = said
        for letters, sound in _GERMAN_SOUNDS:
            reading = letters.sub(sound, reading)
    else:
        if len(said) > 4 and not _TURKISH_C.search(said):  # (Cevdet is Turkish: جودت)
            said = _FRENCH_FINAL_E.sub("ieh", said)
        reading = _SOFT_G.sub("j", _TURKISH_C.sub("j", said))
        if len(reading) > 5:  # (not a Polish or South Slavic name's: Ryszard)
            reading = _FRENCH_SILENT_END.sub("", reading)
        if len(reading) > 4:
            reading = _FRENCH_SILENT_AFTER_O.sub("", reading)
    if _ENGLISH_SPELLING.search(said):
        reading = _VOICED_MEDIAL_S.sub("z", reading)
    if len(reading) > 3 and reading.endswith("p"):
        reading = reading[:-1] + "b"
    reading = _DIPHTHONG_GLIDE.sub("yi", reading.replace("x", "ks"))
    return reading if reading != token else None


# The shortest word read as French says it for the abjads and kana: a shorter one leaves
# too few letters to tell a French word (GICT, an acronym, is no "zhikt", زحيكة).
MIN_FRENCH_LETTERS = 5


def french_said(token: str) -> str | None:
    """``spoken.spoken_reading`` in French of a Latin token long enough, and spelt French enough
    (``spoken.spelt_in``), to be read so (Jacques Chirac is جاك شيراك, ז'אק שיראק,
    ジャック・シラク; François فرانسوا)."""
    return spoken_reading("french", token) if len(token) >= MIN_FRENCH_LETTERS and spelt_in("french", token) else None


@lru_cache(maxsize=100_000)
def other_readings(token: str) -> tuple[str, ...]:
    """The other readings of a Latin token for the index of the scripts that write a name by
    its sound: ``other_reading`` and the token as French says it (``french_said``; its
    similarity is ``french_cross_sim``)."""
    return tuple(dict.fromkeys(r for r in (other_reading(token), french_said(token)) if r))


# Persian (and Urdu) syllables do not start with two consonants: a foreign word that does
# is written with an alif before it, said e (اسمیت Esmit, Smith; استالین Stalin; اشمیت
# Schmidt; اسکات Scott), and the Latin spelling has no vowel there to meet it. Only an s or
# sh cluster takes one (پرویز, Parviz, is no prosthesis: a p cluster is written without).
# Source: the Persian spellings of foreign names in the Persian press; Persian syllable
# structure (CV(C)(C), no initial clusters).
_S_CLUSTER = re.compile(r"^(?:sch|sh|s)[^aeiouyh]")


def prosthesis_free(classes: str, latin: str) -> str | None:
    """The classes of an abjad word without its first alif, where that alif stands before an
    s or sh and a consonant and the Latin token ``latin`` starts with such a cluster (see
    _S_CLUSTER); None otherwise."""
    if (classes[:1] == INITIAL_VOWEL and classes[1:2] in ("s", "S") and classes[2:3]
            and classes[2] not in _INDEX_VOWELS and _S_CLUSTER.match(latin)):
        return classes[1:]
    return None


# English says a final s after a voiced consonant as z (Charles, James, Jones, Adams), and the
# Persian press writes it so (چارلز, جیمز, جونز, آدامز); Arabic writes س (جيمس).
_VOICED_S = re.compile(r"[^aeiouysptkfh]e?s$")


def voiced_s_free(classes: str, latin: str) -> str | None:
    """The classes of an abjad word with its final z read s, where the Latin token
    ``latin`` ends with an s that English says z (see _VOICED_S); None otherwise."""
    if classes[-1:] == "z" and len(classes) > 2 and _VOICED_S.search(latin):
        return classes[:-1] + "s"
    return None


_BARE_ABD = re.compile(r"^abd(?:[aeiou](?:l|([rsdtzn])\1?))?$")


def bare_abd(token: str) -> bool:
    """A Latin token that is "abd" with or without the article and nothing more ("abd",
    "abdul", "abdel", "abdur"): the first half of a compound ("Abdul Rahman"), which stands
    for عبد, not for a whole name with the same consonants (عبده Abdo, عبدي Abdi)."""
    return _BARE_ABD.match(token) is not None


def _first_of_run(found: re.Match[str]) -> str:
    return found.group(1)


def squeeze(text: str) -> str:
    """``text`` with each run of one character written once: "mohammed" -> "mohamed"."""
    return _REPEATS.sub(_first_of_run, text)  # (a callable is quicker than the template r"\1")


_LONG_I = frozenset({"ee", "ei", "ey", "ay", "ai", "ii", "iy", "yy", "ayy", "iyy", "eey"})
_LONG_U = frozenset({"ou", "oo", "uu", "ow", "aw", "uw", "ww", "aww", "oua"})
_U_LETTERS, _I_LETTERS = frozenset("ouw"), frozenset("iey")


def _vowel_mark(group: str, final: bool) -> str:
    """The class of a run of Latin vowels (with y/w inside a word): a long vowel that an
    abjad writes ("I" for ee/ei/ay/final i, "U" for ou/oo/aw/final u), or a short one
    ("i", "u": written or not), or nothing for a; a final e is FINAL_E."""
    if final:
        if group[-1] in "iy" or group == "ee":
            return "J"
        if group[-1] in "uow":
            return "U"
        if group == "e":
            return FINAL_E
        if len(group) == 1 or group == "aa":
            return "H"  # a final -a or -aa: as a final -ah (a ta marbuta, a final alif or ha)
    if group in _LONG_I:
        return "I"
    if group in _LONG_U:
        return "U"
    # A short vowel, or two vowels around an unwritten ayn or hamza (Ra'ed, Su'ad).
    if not _U_LETTERS.isdisjoint(group):
        return "u"
    return "i" if not _I_LETTERS.isdisjoint(group) else ""


# A y or w between two vowels, or a French "ou" between two vowels (Zarkaoui: -a-w-i).
_GLIDE = re.compile("(?<=[aeiou])(y+|w+|ou)(?=[aeiou])")
_FINAL_AYI = re.compile("[ae]yi+|[ae]yee|[ae]yie")
_HIATUS = re.compile("[ie][aou]|[uo][aei]")


def _vowel_marks(group: str, final: bool) -> list[str]:
    """The classes of a run of Latin vowels with y/w inside a word: one vowel mark, or,
    where a y or w stands between two vowels, the marks of the vowels around it and the
    glide as the ya or waw an abjad writes ("ouya" of Bouyahia -> "U", "I", ""; "aoui" of
    Zarkaoui -> "", "U", "J")."""
    glide = _GLIDE.search(group)
    if glide is None and _HIATUS.match(group) and group not in _LONG_I and group not in _LONG_U:
        # Two vowels said apart (Antonio, Violante, Manuel): a foreign name in an abjad
        # writes the first as a long vowel and the second too (أنطونيو, فيولانتي, مانويل).
        return ["i" if group[0] in "ie" else "u", *_vowel_marks(group[1:], final)]
    if glide is None or (final and _FINAL_AYI.fullmatch(group)):
        # (A final "ayi" is the Persian -ایی of "aei", "ai": Rezayi, Rezaei.)
        return [_vowel_mark(group, final)]
    before, after = group[: glide.start()], group[glide.end() :]
    return [_vowel_mark(before, False), "I" if glide.group(1)[0] == "y" else "U", *_vowel_marks(after, final)]


@lru_cache(maxsize=200_000)
def latin_classes(token: str, vowel_after_glide: bool = True) -> str:
    """Classes of a normalised Latin token: consonants, long vowels ("I", "U") and short
    ones ("i", "u"): "mohammed" -> "muhmid", "mahmoud" -> "mhmUd", "hussein" -> "husIn".
    ``vowel_after_glide``: the vowel after the glide of an initial vowel is read ("ayoub"
    -> "yUb", as an abjad writes it: أيوب); the loan readings of loanwords.py, which leave
    short vowels to the syllables, read "yb"."""
    spellings = tables().latin
    compound = _ABD_ARTICLE.match(token)
    if compound:
        # "abdul", "abdur", "abdel" + name: the article of "Abd al-X" written into the word.
        rest = token[compound.end() :]
        return join_classes(INITIAL_VOWEL + "bd", latin_classes(rest, vowel_after_glide) if len(rest) >= 2 else "")
    out: list[str] = []
    last = ""
    last_single = ""  # the letter just read on its own (not in a digraph)
    i = 0
    n = len(token)
    # The v of a Slavic surname's -ov/-ev (-ova/-eva) is a consonant other scripts write
    # (fa in لافروف Lavrov, bet in איבנוב Ivanov: class "F"), not a waw read as v that one
    # side may leave out.
    ending = _SLAVIC_SURNAME.search(token)
    slavic_v = ending.start() + 1 if ending else -1
    while i < n:
        ch = token[i]
        if ch.isdigit():
            i += 1
            continue
        if ch in _VOWELS or (ch in "yw" and i > 0):
            j = i + 1
            while j < n and (token[j] in _VOWELS or token[j] in "yw"):
                j += 1
            group = token[i:j]
            if i == 0:  # an initial vowel: nothing in an abjad but alif or ayn, or a glide
                marks = ["w" if ("w" in group or "ou" in group) else "y" if "y" in group else ""]
                if not marks[0]:
                    out.append(INITIAL_VOWEL)  # (a glide says that the word starts with a vowel)
                elif vowel_after_glide and len(group) > 2 and group[1] in "yw" and (after := group[2:].lstrip(group[1])):
                    # A vowel, the glide, and the vowel after it (Ayyub, Ayoub أيوب, Awad):
                    # the glide is the word's first consonant and the vowel after it is read.
                    marks = [group[1], *_vowel_marks(after, j == n)]
            else:
                marks = _vowel_marks(group, j == n)
            for mark in marks:
                if mark and mark != last:
                    out.append(mark)
                last = mark
            i = j
            continue
        cls = ch
        step = 1
        if ch == "c" and i + 1 < n and token[i + 1] in "eiy":
            cls = "s"  # French and Spanish c before e, i: Hocine, Belgacem
        else:
            for spelling, value in spellings:
                if token.startswith(spelling, i):
                    cls, step = value, len(spelling)
                    break
        if cls == "v" and i == slavic_v:
            cls = "F"
        if step > 1 and last_single == ch == token[i - 1]:
            out.pop()  # a doubled letter before its digraph is the digraph once (Matthias, Zucchi)
            last = out[-1] if out else ""
        last_single = ch if step == 1 else ""
        i += step
        if cls == "h" and i == n and last in ("", "i", "u") and i > 1 and token[i - 2] in _VOWELS:
            cls = "H"  # "-ah", "-eh", "-uh": ta marbuta or a final ha
        if cls != last:
            out.append(cls)
        last = cls
    return "".join(out)




# Vowel classes: long and short vowels, a final h, ta marbuta ("A"), alif maqsura ("E")
# and the Persian final ya ("M").
_VOWEL_CLASSES = "IJUiuHAEVOMe"
_NO_VOWELS = {ord(ch): None for ch in _VOWEL_CLASSES}
# Retrieval keys also leave out an initial waw or ya that may be a vowel ("W", "Y"; the
# consonant reading is looked up as an alternate, see index_keys).
_INDEX_VOWELS = _VOWEL_CLASSES + "WY"
_NO_VOWELS_INDEX = {ord(ch): None for ch in _INDEX_VOWELS}


def consonants(classes: str) -> int:
    """How many consonant classes (not vowels, not a final h) a class string holds."""
    return len(classes.translate(_NO_VOWELS))


@lru_cache(maxsize=200_000)
def index_key(classes: str) -> str:
    """Classes folded further for retrieval: the cheapest alternative spellings share a key
    (vowels and a final h are left out)."""
    return squeeze(classes.translate(tables().fold).translate(_NO_VOWELS_INDEX))


MAX_ALTERNATE_LETTERS = 3  # the keys of a word double with each: 8 at most
# A substitution this cheap still gives a word of two consonants a similarity (_BANDS):
# the letters it joins are each other's neighbours in retrieval (near_keys).
NEAR_COST = 0.45


@lru_cache(maxsize=1)
def _near_letters() -> dict[str, frozenset[str]]:
    """Each letter of an index key and the letters of other keys that a cheap substitution
    (data/abjad.yml ``cheap``, at most NEAR_COST) makes it: kaf k and gaf g (كل Gul)."""
    t = tables()
    near: dict[str, set[str]] = {}
    for (a, b), cost in t.sub.items():
        x, y = index_key(a), index_key(b)
        if cost <= NEAR_COST and len(x) == len(y) == 1 and x != y:
            near.setdefault(x, set()).add(y)
    return {x: frozenset(ys) for x, ys in near.items()}


@lru_cache(maxsize=100_000)
def near_keys(key: str) -> tuple[str, ...]:
    """The index keys one cheap substitution away from ``key`` (``_near_letters``), which
    the fold does not merge with it."""
    near = _near_letters()
    keys = {key[:i] + y + key[i + 1:] for i, x in enumerate(key) for y in near.get(x, ())}
    # A letter read another way is read so wherever the word holds it (جرجس Gerges: jim as
    # g twice).
    keys.update(key.replace(x, y) for x in set(key) if key.count(x) > 1 for y in near.get(x, ()))
    return tuple(sorted(keys))


@lru_cache(maxsize=100_000)
def index_keys(classes: str) -> tuple[str, ...]:
    """The index keys an abjad word's classes may be looked up under: ``index_key``, and
    the keys with the letters that have two common readings read the other way (dad and
    dhal as z in Persian and Urdu, tha as t, a medial waw as the consonant v), each also
    with its digraph pairs read as one letter (``as_digraphs``), and with a final h that
    joining put inside the word read as h (``medial_h_readings``). A word of two letters,
    a consonant and a final h (طه Taha; not the لله of الله, whose Latin spellings end in
    the h too), is also looked up with the h read as the consonant: its key would
    otherwise be that one letter, which a Latin spelling that writes the h (key "th")
    does not share and which is too short to be reached by a deleted letter."""
    readings = {r for reading in (classes, as_digraphs(classes)) for r in medial_h_readings(reading)}
    if len(classes) == 2 and classes[1] == "H" and consonants(classes) == 1:
        readings.add(classes[:-1] + "h")
    if len(readings) > 1:
        return tuple(sorted({key for reading in readings for key in _index_keys(reading)}))
    return _index_keys(classes)


def medial_h_readings(classes: str) -> tuple[str, ...]:
    """``classes``, and where two words written as one (``join_classes``) put the first
    one's final h inside the word, the reading with it as the consonant h: Latin writes it
    there (ذبیح پور Zabihpour, Allah-Karam اللهکرم) or not (Zabiollah), and retrieval keys
    leave a final h out."""
    inner = classes[:-1]
    if "H" not in inner:
        return (classes,)
    return (classes, inner.replace("H", "h") + classes[-1])


def _index_keys(classes: str) -> tuple[str, ...]:
    alternates = tables().alternates
    positions = [i for i, ch in enumerate(classes) if ch in alternates][:MAX_ALTERNATE_LETTERS]
    keys = {index_key(classes)}
    for mask in range(1, 1 << len(positions)):
        chars = list(classes)
        for bit, pos in enumerate(positions):
            if mask >> bit & 1:
                chars[pos] = alternates[chars[pos]]
        keys.add(index_key("".join(chars)))
    keys.discard("")
    return tuple(sorted(keys))


_NO_SUBSTITUTIONS: dict[str, float] = {}


@lru_cache(maxsize=1)
def _substitution_rows() -> dict[str, dict[str, float]]:
    """The substitution costs by the first class: {a: {b: cost}} (a look-up per cell of
    ``class_distance`` without building a pair)."""
    rows: dict[str, dict[str, float]] = {}
    for (a, b), cost in tables().sub.items():
        rows.setdefault(a, {})[b] = cost
    return rows


_COST_CACHE: dict[tuple[str, str], float] = {}
MAX_COST = 1.5  # beyond this two class strings are not the same name (see cross_sim)
# Costs are decimals (data/abjad.yml): a sum is rounded so that float noise (0.1 + 0.7 is
# 0.7999999999999999) decides no band edge, and a distance computed by rows of numpy
# (_batch_distances) equals the one computed pair by pair.
COST_DECIMALS = 9


def class_distance(a: str, b: str, limit: float = MAX_COST) -> float:
    """Weighted edit distance between two class strings (costs from ``data/abjad.yml``);
    any distance over ``limit`` is returned as ``limit + 1`` (the search stops early)."""
    key = (a, b)
    cached = _COST_CACHE.get(key)
    if cached is not None:
        return cached
    gap = tables().gap
    rows = _substitution_rows()
    gaps_b = [gap.get(ch, 1.0) for ch in b]
    prev = [0.0]
    for g in gaps_b:
        prev.append(prev[-1] + g)
    result = -1.0
    for ca in a:
        ga = gap.get(ca, 1.0)
        row = rows.get(ca, _NO_SUBSTITUTIONS)
        left = prev[0] + ga
        cur = [left]
        best = left
        for j, cb in enumerate(b):
            up = prev[j + 1] + ga
            diagonal = prev[j] + (0.0 if ca == cb else row.get(cb, 1.0))
            left = left + gaps_b[j]
            if up < left:
                left = up
            if diagonal < left:
                left = diagonal
            cur.append(left)
            if left < best:
                best = left
        if best > limit:
            result = limit + 1.0  # every alignment already costs more
            break
        prev = cur
    if result < 0:
        result = round(prev[-1], COST_DECIMALS)
    if len(_COST_CACHE) > 500_000:
        _COST_CACHE.clear()
    _COST_CACHE[key] = result
    return result


_SIM_CACHE: dict[tuple[str, str], float] = {}


@lru_cache(maxsize=1)
def _cost_arrays() -> tuple[dict[str, int], Any, Any]:
    """The costs as arrays over the class alphabet: substitution matrix and gap vector."""
    t = tables()
    alphabet = sorted({*"abcdefghijklmnopqrstuvwxyz", *t.gap, *(ch for pair in t.sub for ch in pair),
                       *(v for v in t.letters.values() if v), "?"})  # "?": any other class
    code = {ch: i for i, ch in enumerate(alphabet)}
    size = len(alphabet) + 1  # the last code pads shorter strings
    sub = np.ones((size, size))
    np.fill_diagonal(sub, 0.0)
    for (x, y), cost in t.sub.items():
        sub[code[x], code[y]] = cost
    gap = np.ones(size)
    for ch, cost in t.gap.items():
        gap[code[ch]] = cost
    gap[-1] = 0.0
    return code, sub, gap


@lru_cache(maxsize=1)
def _ascii_codes() -> Any:
    """The code of each ASCII character in the cost arrays ("?" for one that is no class)."""
    code, _sub, _gap = _cost_arrays()
    table = np.full(128, code["?"], dtype=np.int64)
    for ch, i in code.items():
        table[ord(ch)] = i
    return table


def cross_sims(abjad: str, latins: list[str]) -> list[float]:
    """``cross_sim(abjad, latin)`` for many Latin class strings at once (the look-up of an
    abjad word meets dozens of Latin spellings): see ``prepare_cross_sims``."""
    prepare_cross_sims(abjad, latins)
    return [cross_sim(abjad, latin) for latin in latins]


def prepare_cross_sims(abjad: str, latins: Iterable[str]) -> None:
    """Compute ``cross_sim(abjad, latin)`` for every Latin class string not yet met,
    together, so that the pairs a look-up or a scorer then asks for one by one are found
    ready: the edit distances one numpy row per abjad class (``_batch_distances``), and
    their similarities by array (``_class_sims``), the same as pair by pair (a test checks).
    One by one, the Python overhead of each pair cost more than its distance."""
    todo = [latin for latin in dict.fromkeys(latins) if latin and (abjad, latin) not in _SIM_CACHE]
    if len(todo) <= 3 or not abjad:
        return  # (cheaper pair by pair)
    sims = _class_sims(abjad, todo, _costs(abjad, todo), 0.0)
    merged = as_digraphs(abjad)
    if merged != abjad:  # read so only against a Latin token that writes the digraph
        digraphs = _digraph_classes(abjad)
        written = [k for k, latin in enumerate(todo) if not digraphs.isdisjoint(latin)]
        if written:
            spellings = [todo[k] for k in written]
            read = _class_sims(merged, spellings, _costs(merged, spellings), DIGRAPH_COST)
            sims[written] = np.maximum(sims[written], read)
    if len(_SIM_CACHE) > 500_000:
        _SIM_CACHE.clear()
    for latin, sim in zip(todo, sims.tolist(), strict=True):
        _SIM_CACHE[(abjad, latin)] = sim


def _costs(abjad: str, latins: list[str]) -> Any:
    """``class_distance(abjad, latin)`` for each of ``latins``, as an array: those not
    cached computed together (and cached)."""
    known = [_COST_CACHE.get((abjad, latin)) for latin in latins]
    missing = list(dict.fromkeys(latin for latin, cost in zip(latins, known, strict=True) if cost is None))
    if missing:
        if len(_COST_CACHE) > 500_000:
            _COST_CACHE.clear()  # (the costs read above are kept in ``known``)
        computed = dict(zip(missing, _batch_distances(abjad, missing).tolist(), strict=True))
        for latin, cost in computed.items():
            _COST_CACHE[(abjad, latin)] = cost
        known = [computed[latin] if cost is None else cost for latin, cost in zip(latins, known, strict=True)]
    return np.asarray(known, dtype=np.float64)


def _batch_distances(a: str, bs: list[str]) -> Any:
    """``class_distance(a, b)`` for each of ``bs`` (not stopped early at a limit), one
    numpy row per class of ``a``. Within a row, a cell is the best of the cell it came from
    (from above or diagonally) and the cell to its left plus a gap, a running minimum:
    with ``G`` the cumulative gaps of ``b``, ``cur = G + minimum.accumulate(x - G)``."""
    code, sub, gap = _cost_arrays()
    lengths = np.fromiter(map(len, bs), dtype=np.int64, count=len(bs))
    # Every class is one ASCII letter: the strings are coded all at once ("?" for any other).
    flat = _ascii_codes()[np.frombuffer("".join(bs).encode("ascii", "replace"), dtype=np.uint8)]
    rows = np.repeat(np.arange(len(bs)), lengths)
    columns = np.arange(flat.shape[0]) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    codes = np.full((len(bs), int(lengths.max())), len(gap) - 1, dtype=np.int64)  # padded
    codes[rows, columns] = flat
    gaps_b = gap[codes]  # (K, width)
    cumulative = np.concatenate([np.zeros((len(bs), 1)), np.cumsum(gaps_b, axis=1)], axis=1)
    prev = cumulative
    reached = np.empty_like(prev)
    for ca in a:
        ia = code.get(ca, code["?"])
        ga = gap[ia]
        reached[:, 0] = prev[:, 0] + ga
        np.minimum(prev[:, :-1] + sub[ia][codes], prev[:, 1:] + ga, out=reached[:, 1:])
        prev = cumulative + np.minimum.accumulate(reached - cumulative, axis=1)
    return np.round(prev[np.arange(len(bs)), lengths], COST_DECIMALS)


def cross_sim(abjad: str, latin: str) -> float:
    """Similarity (0..1, the engine's token scale) of an abjad word's classes and a Latin
    token's classes (cached; see ``_cross_sim``)."""
    key = (abjad, latin)
    cached = _SIM_CACHE.get(key)
    if cached is None:
        if len(_SIM_CACHE) > 500_000:
            _SIM_CACHE.clear()
        cached = _SIM_CACHE[key] = _cross_sim(abjad, latin)
    return cached


# Two abjad letters that Latin spelling runs together into one digraph: s + h (اسحاق
# Ishaq, not "Isaq"), t + h (فتحي Fathi), d + h (أدهم Adham), k + h, g + h, z + h, t + s,
# and the Urdu aspirates written with do-chashmi he (پھ ph, چھ chh); t + sh, the ch that
# Arabic writes تش (تشرشل Churchill, أبراموفيتش Abramovich, سيتشين Sechin); t + z, the
# German tz and z Arabic writes تز (هيرتزوغ Hertzog, موزارت Mozart). Latin "sh",
# "th", "ts", "ch" ... are read as one letter (latin_classes), so the abjad word is also
# read with the pair as that letter.
_DIGRAPH_PAIRS = re.compile("[stdkgzcp]h|t[szS]")
_DIGRAPH_OF = {"sh": "S", "th": "T", "dh": "D", "kh": "x", "gh": "g", "zh": "Z", "ch": "c", "ph": "f", "ts": "c", "tz": "c", "tS": "c"}
DIGRAPH_COST = 0.1  # reading two letters as a Latin digraph's one


def _digraph_of(found: re.Match[str]) -> str:
    return _DIGRAPH_OF[found.group(0)]


@lru_cache(maxsize=100_000)
def as_digraphs(classes: str) -> str:
    """``classes`` with each pair that Latin writes as a digraph read as its one class
    ("shq" -> "Sq"); ``classes`` itself when it holds none."""
    return _DIGRAPH_PAIRS.sub(_digraph_of, classes) if "h" in classes or "t" in classes else classes


@lru_cache(maxsize=100_000)
def _digraph_classes(classes: str) -> frozenset[str]:
    """The classes ``as_digraphs`` brings into ``classes``."""
    return frozenset(_DIGRAPH_OF[pair] for pair in _DIGRAPH_PAIRS.findall(classes))


def _cross_sim(abjad: str, latin: str, extra: float = 0.0) -> float:
    """Similarity (0..1, the engine's token scale) of an abjad word's classes and a Latin
    token's classes, read as written or, where the Latin token writes a digraph, with the
    abjad word's digraph pairs read as one letter (never as another letter close to it:
    فتحي is Fathi, not Fasi); at ``extra`` more cost (a reading of the Latin token by
    another language's rules)."""
    if not abjad or not latin:
        return 0.0
    sim = _class_sim(abjad, latin, extra)
    merged = as_digraphs(abjad)
    if merged != abjad and not _digraph_classes(abjad).isdisjoint(latin):
        sim = max(sim, _class_sim(merged, latin, DIGRAPH_COST + extra))
    return sim


@lru_cache(maxsize=200_000)
def french_cross_sim(abjad: str, token: str) -> float:
    """``cross_sim`` of an abjad word's classes and a Latin token read as French says it
    (``french_said``), at ``spoken.READING_COST_CONSONANTS`` more: another language's
    reading of the spelling is weaker evidence than its own."""
    said = french_said(token)
    return _cross_sim(abjad, latin_classes(said), READING_COST_CONSONANTS) if said else 0.0


# A cost this low is one letter read its other usual way (Hebrew bet b/v, kaf k/kh, shin
# sh/s; a final ha or ya as a vowel): the same letters, not a difference.
SAME_LETTERS_COST = 0.1 + 1e-9


# The similarity of two class strings by their edit distance and their size in consonants:
# per band of cost (the most it may be), the least size for each similarity, best first.
# Equal strings of 3+ consonants score as a transliteration does; short strings and costlier
# differences score less, and nothing below 0.7 counts.
_BANDS: tuple[tuple[float, tuple[tuple[int, float], ...]], ...] = (
    (SAME_LETTERS_COST, ((3, 0.95), (2, 0.88), (0, 0.75))),
    (0.45, ((4, 0.92), (3, 0.88), (2, 0.82))),
    (0.8, ((4, 0.86), (3, 0.78))),
    (1.0, ((5, 0.8), (4, 0.72))),
    (MAX_COST, ((6, 0.72),)),
)
MAX_CONSONANTS_APART = 2  # three consonants one side lacks cost more than MAX_COST


# Beyond this cost two class strings are one name only if they may start alike
# (``_same_start``): a consonant put for a vowel at a word's start makes another name
# (أحمد Ahmad is not Muhammad, one letter apart).
SAME_START_FROM = 0.45


def _alike(a: str, b: str) -> bool:
    """The same class, or two that a romanisation writes for one letter."""
    return a == b or _substitution_rows().get(a, _NO_SUBSTITUTIONS).get(b, 1.0) < 1.0


def _first_consonant(classes: str) -> str:
    return next((ch for ch in classes if ch not in _VOWEL_CLASSES), "")


def _same_start(abjad: str, latin: str) -> bool:
    """Whether two class strings may start alike: with alike classes, with alike
    consonants where one side leaves an initial vowel out (إبراهيم, Maghrebi Brahim), or
    both with a consonant (a letter lost at the start of a word cut short is left to the
    cost). Not a vowel against another consonant: أحمد (Ahmad) is not Muhammad."""
    # (A word after the article may start with its vowel, written into a Latin word with
    # its l, "الدين" Eldin, or not: "الطیف" of a misspelt عبدالطیف, Latif.)
    bare = abjad.lstrip(OPTIONAL_VOWEL)
    for start in dict.fromkeys((abjad, bare)):
        if _alike(start[:1], latin[:1]) or _alike(_first_consonant(start), _first_consonant(latin)):
            return True
    return (bare[:1] in _VOWEL_CLASSES) == (latin[:1] in _VOWEL_CLASSES)


def _class_sim(abjad: str, latin: str, extra: float) -> float:
    """Similarity of two class strings at their edit distance plus ``extra`` (``_BANDS``)."""
    na, nl = consonants(abjad), consonants(latin)
    if abs(na - nl) > MAX_CONSONANTS_APART:
        return 0.0
    size = max(na, nl)
    cost = class_distance(abjad, latin) + extra
    for most, steps in _BANDS:
        if cost <= most:
            sim = next((sim for least, sim in steps if size >= least), 0.0)
            return 0.0 if sim and cost > SAME_START_FROM and not _same_start(abjad, latin) else sim
    return 0.0


@lru_cache(maxsize=1)
def _consonant_table() -> Any:
    """1 for each ASCII character that is a consonant class, 0 for a vowel class."""
    table = np.ones(128, dtype=np.int64)
    for ch in _VOWEL_CLASSES:
        table[ord(ch)] = 0
    return table


def _consonant_counts(latins: list[str]) -> Any:
    """``consonants`` of each of ``latins`` (class strings, none empty), as an array."""
    lengths = np.fromiter(map(len, latins), dtype=np.int64, count=len(latins))
    codes = np.frombuffer("".join(latins).encode("ascii", "replace"), dtype=np.uint8)
    starts = np.cumsum(lengths) - lengths
    return np.add.reduceat(_consonant_table()[codes], starts)


def _class_sims(abjad: str, latins: list[str], costs: Any, extra: float) -> Any:
    """``_class_sim(abjad, latin, extra)`` for each of ``latins`` (``costs``: their
    distances from ``abjad``), as an array."""
    na = consonants(abjad)
    nl = _consonant_counts(latins)
    size = np.maximum(nl, na)
    cost = costs + extra
    sims = np.zeros(len(latins))
    banded = np.zeros(len(latins), dtype=bool)
    for most, steps in _BANDS:
        band = ~banded & (cost <= most)
        value = np.zeros(len(latins))
        for least, sim in reversed(steps):  # (the best step a size reaches last)
            value[size >= least] = sim
        sims[band] = value[band]
        banded |= band
    sims[np.abs(nl - na) > MAX_CONSONANTS_APART] = 0.0
    costly = np.flatnonzero((cost > SAME_START_FROM) & (sims > 0))
    if costly.shape[0]:
        starts = np.fromiter((not _same_start(abjad, latins[k]) for k in costly.tolist()), dtype=bool,
                             count=costly.shape[0])
        sims[costly[starts]] = 0.0
    return sims


__all__ = [
    "GERESH",
    "abjad_classes",
    "abjad_particle",
    "after_vowel",
    "is_abjad_title",
    "bare_abd",
    "class_distance",
    "compound_part",
    "consonants",
    "cross_sim",
    "cross_sims",
    "prepare_cross_sims",
    "glosses_of",
    "has_abjad",
    "join_classes",
    "index_key",
    "latin_classes",
    "near_keys",
    "split_article",
    "split_compound",
    "split_words",
    "french_cross_sim",
    "french_said",
    "other_reading",
    "other_readings",
]
