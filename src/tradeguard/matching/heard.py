"""Foreign names written by their sound in an alphabet, against their Latin spelling.

Cyrillic, Greek, Armenian, Georgian and the Indic scripts write a foreign name letter by
letter as it sounds: "John Smith" is Джон Смит (dzhon smit), "Michael Jackson" Майкл
Джексон (maykl dzhekson), "George" Джордж (dzhordzh), "Hillary Clinton" हिलेरी क्लिंटन
(hileri klintan). The romanisation of such a word is a phonetic spelling; the Latin name is
English spelling, with its soft g, its silent h and final e, its ch that may be k. Both
are read here into one sound spelling:

* consonants as heard: dzh, dj, j and a soft g are one sound (J); zh (Z); sh, sch, shch
  (S); ch, tch (C), with ch also read as k (Michael, Christopher); kh is h; ph f; th t;
  ck, q and a hard c k; x ks; w u (Уильям, William); a doubled letter once; Mc- Mak-;
* vowels as runs (ey, ai, ou): each run one unit, y a vowel; on the English side a silent
  h after a letter, a final e (or -es) after a consonant (George, James) are left out,
  an -el after a consonant may be a bare l (Michael, Майкл), oo is u, ew yu (Andrew,
  Эндрю), a final ey or ie i (Downey, Дауни) and z ts (Scholz, Шольц).

Two readings compare only when their consonants are the same or near (s/z, f/v, h/g as
Гарри writes Harry, ch/sh, j/zh, t/d), in the same order: a consonant more or less costs more
than a match allows, so the near ones folded together are the retrieval key. The runs of
vowels around the consonants cost little: a run against a run that holds it 0.2; a
against e, o or u, e against i, o against u 0.3 (English says an unstressed o as a schwa
and a short u as a, both written a in Russian and Hindi: Jackson, जैक्सन jaiksan; Musk,
Маск); any other 0.5; a run against none 0.4. Native
names differ in their vowels where English spellings do not (Burkov is not Barakov: 0.9),
so a reading that needs more than about half a vowel of change stays apart.

Only a query word of such an alphabet whose spelling met no token of the list name
closely is read so (``score._heard_candidates``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from tradeguard.matching.abjad import other_reading
from tradeguard.matching.indic import BENGALI_YA_PHALA_AA
from tradeguard.matching.normalize import has_cyrillic, tokenize, written_in
from tradeguard.matching.romanize import icu_transliterator, thai_letters
from tradeguard.matching.spoken import LANGUAGES, READING_COST, spoken_reading

# (spelling, sound) longest first; single letters map to themselves unless listed.
_DIGRAPHS: tuple[tuple[str, str], ...] = (
    ("shch", "S"), ("tch", "C"), ("sch", "S"), ("dzh", "J"), ("dg", "J"),
    ("dj", "J"), ("zh", "Z"), ("sh", "S"), ("ch", "C"), ("kh", "h"), ("ph", "f"), ("th", "t"),
    ("ck", "k"), ("qu", "kv"), ("q", "k"), ("c", "k"), ("x", "ks"), ("j", "J"), ("w", "u"), ("oo", "u"), ("ee", "i"),
    ("y", "i"),
)
_VOWELS = frozenset("aeiou")
_SOFT = re.compile(r"g(?=[eiy])")  # English g before e, i, y: George, Angela
_SOFT_C = re.compile(r"c(?=[eiy])")  # ... and c: Lawrence, Cecil
# A final e after a consonant, and the e of a-consonant-e-s: not said (George, Jane, James).
_SILENT_E = re.compile(r"(?<=[^aeiouy])e(?=s?$)")
_SCHWA_L = re.compile(r"(?<=[^aeiouy])[aeiou]+(?=l$)")  # Michael, Samuel: a final -el said "-l"
_SILENT_H = re.compile(r"(?<=[^csptkzd])h")  # John, Sarah: an h after a letter (not of sh, ch ...)
# Consonants that are one sound heard through another alphabet, and what telling them apart costs.
_NEAR = {frozenset("sz"): 0.3, frozenset("hg"): 0.4, frozenset("CS"): 0.5, frozenset("JZ"): 0.3,
         frozenset("Jg"): 0.5, frozenset("td"): 0.6, frozenset("fv"): 0.3}
_KEY_FOLD = str.maketrans({"z": "s", "Z": "J", "g": "J", "h": "J", "C": "S", "d": "t", "v": "f"})  # near ones as one
_CLOSE_VOWELS = (frozenset("ae"), frozenset("ei"), frozenset("ou"), frozenset("ie"), frozenset("ao"), frozenset("au"))
_EW = re.compile(r"ew(?![aeiou])")  # Andrew, Matthew: said yu (Эндрю, Мэттью)
_W_AFTER_CONSONANT = re.compile(r"(?<=[bcdfgjklmnpqrstvxz])w(?=[aeiou])")  # Darwin, Edward: written v
_VOWEL_GAP = 0.4
# English says a vowel before one consonant and a final e (or -es) long: a as ey, i and y
# as ay, o as ou, u as yu, and leaves the e unsaid (Jane Джейн, James Джеймс, White Уайт,
# Lyle Лайл, Stone Стоун, Duke Дюк); the a after a w as o before l, r, t, s, and the l of
# -alk unsaid (Walter Уолтер, Wallace Уоллес, Warren Уоррен, Watson Уотсон, Walker Уокер);
# a final -all as -oll (Hall Холл, Ball Болл); au as o (Paul Пол, Austen Остин, Shaun
# Шон); ea as i (Dean Дин, Read Рид). Source: English spelling (the "magic e", the
# w-modified a, au, ea), as Russian and the other alphabets transcribe it.
_MAGIC_E = re.compile(r"([aiouy])([bcdfgklmnprstvz])es?$")
_LONG_VOWEL = {"a": "ey", "i": "ay", "y": "ay", "o": "ou", "u": "yu"}
_ENGLISH_VOWELS = (
    (re.compile(r"(?<![aeiou])wal(?=k)|(?<![aeiou])wa(?=[lrts])"), "wo"),
    (re.compile(r"(?<=[^aeiouw])all$"), "oll"),
    (re.compile(r"(?<![aeiou])au(?![aeiou])"), "o"),
    (re.compile(r"(?<![aeiou])ea(?![aeiou])"), "i"),
)


_SOUND_OF = dict(_DIGRAPHS)
_SPELLINGS = re.compile("|".join(spelling for spelling, _sound in _DIGRAPHS) + "|.")


def _units(text: str) -> tuple[str, ...]:
    """A phonetic spelling split into units: one per consonant, one per run of vowels."""
    out: list[str] = []
    for spelling in _SPELLINGS.findall(text):
        for ch in _SOUND_OF.get(spelling, spelling):
            if ch in _VOWELS:
                if out and out[-1][0] in _VOWELS:
                    out[-1] += ch
                    continue
            elif out and out[-1] == ch:
                continue  # a doubled letter is said once
            out.append(ch)
    return tuple(out)


# The alphabets read so: their romanisation spells each sound (Thai's does not: its
# consonant clusters and tones leave too little of a name).
_GEORGIAN = "ი"  # the nominative ending, as written
SOUND_ALPHABETS = ("CYRILLIC", "GREEK", "ARMENIAN", "GEORGIAN", "DEVANAGARI", "BENGALI", "GURMUKHI",
                   "GUJARATI", "ORIYA", "TAMIL", "TELUGU", "KANNADA", "MALAYALAM", "SINHALA", "THAI",
                   "ETHIOPIC", "KHMER", "LAO")


@lru_cache(maxsize=100_000)
def sound_readings(word: str, romanized: str) -> tuple[str, ...]:
    """The romanisations to read by sound of a written word (one of its tokens,
    ``romanized``): none unless ``word`` is in an alphabet whose romanisation spells a
    foreign name by its sound; in Georgian, which adds the nominative -i to a name that
    ends in a consonant (ბუში, Bush), also the token without it; in Greek, also the token
    with ντ, μπ, γκ, τζ, τσ and a first χ read d, b, g, j, ch and h; in Cyrillic read the
    Ukrainian way, also the token read the Russian way (``_russian_reading``); in Tamil,
    also read with its stops voiced (``_tamil_readings``); in Tamil and the Indic scripts
    of the north, each reading
    with its a as a schwa and also with the letters written for English sounds read as
    English spells them (``_schwa_readings``); in Ethiopic, as Ethiopian names are spelt
    (``_ethiopic_reading``); in Thai, whose romanisation (RTGS) reads a word as a Thai one,
    the word read letter by letter as a foreign name's transcription
    (``romanize.thai_letters``: ทรัมป์ is "sam" in RTGS, Trump by its letters)."""
    if not written_in(word, SOUND_ALPHABETS):
        return ()
    if written_in(word, ("TAMIL",)):
        return _schwa_readings((romanized, *_tamil_readings(word)))
    if written_in(word, ("ETHIOPIC",)):
        said = _ethiopic_reading(word)
        return (romanized, said) if said and said != romanized else (romanized,)
    if written_in(word, _INHERENT_VOWEL_SCRIPTS):
        if BENGALI_YA_PHALA_AA in word:
            # (Bengali writes English /æ/ after a consonant with ya-phala and aa: ক্যামেরন
            # kyameran, Cameron; জ্যাকসন Jackson.)
            return _schwa_readings((romanized, _YA_AFTER_CONSONANT.sub("a", romanized)))
        return _schwa_readings((romanized,))
    if written_in(word, ("THAI",)):
        # (ช writes both the ch and the sh of a foreign name: Charles, Bush บุช; ว both its
        # w and v: William, David เดวิด.)
        letters = thai_letters(word)
        if not letters:
            return (romanized,)
        return tuple(dict.fromkeys((romanized, letters, letters.replace("ch", "sh"), letters.replace("w", "v"))))
    if len(romanized) > 3 and romanized.endswith("i") and romanized[-2] not in _VOWELS and _GEORGIAN in word[-1:]:
        return romanized, romanized[:-1]
    if _GREEK_FOREIGN.search(romanized) and "GREEK" in unicodedata.name(word[0], ""):
        return romanized, _GREEK_FOREIGN.sub(_greek_sound, romanized)
    russian = _russian_reading(word, romanized)
    return (romanized, russian) if russian else (romanized,)


# The scripts of northern India write every consonant with an inherent vowel, a schwa,
# that romanises as "a" (``indic.py`` leaves out the ones not said): the vowel English says
# in its unstressed syllables, whatever letter English spells it with (Anderson एंडरसन
# endarsan, Cameron कैमरन kaimran, Zuckerberg ज़करबर्ग zakarbarg). Such a reading's "a"
# runs are marked SCHWA, which any one vowel of the Latin name meets at SCHWA_COST. Hindi
# writes English /æ/ with ै (ai) and, first in a word, with ए (e), and w with व (v), व्ह
# for wh (Jackson जैक्सन, Adam एडम, Wilson विल्सन, White व्हाइट): a word is also read with
# those letters as English spells them (``_as_english``). Sources: the Hindi spellings of
# English names in the Hindi press; R. Ohala, "Aspects of Hindi Phonology" (1983) on the
# schwa.
_INHERENT_VOWEL_SCRIPTS = ("DEVANAGARI", "BENGALI", "GURMUKHI", "GUJARATI", "ORIYA")  # (and Tamil: see below)
SCHWA = "\u0259"  # (first in a reading: its "a" runs are schwas)
SCHWA_COST = 0.15
_ENGLISH_FIRST = (("vh", "w"), ("v", "w"), ("e", "a"))
_YA_AFTER_CONSONANT = re.compile("(?<=[^aeiou])ya")


def _schwa_readings(readings: tuple[str, ...]) -> tuple[str, ...]:
    """Each reading of a word of a script with an inherent vowel, as written and with the
    letters Hindi and Tamil write for English sounds read as English spells them, its "a"
    a schwa (see SCHWA)."""
    return tuple(dict.fromkeys(SCHWA + form for reading in readings for form in (reading, _as_english(reading))))


def _as_english(romanized: str) -> str:
    """A romanised Indic or Tamil word with the letters Hindi (and Tamil) writes for
    English sounds it lacks read as English spells them: ai a; first in the word e a, v
    and vh w (see SCHWA). (A v after a consonant stays: तन्वी is Tanvi, not a Tony.)"""
    romanized = romanized.replace("ai", "a")
    for written, english in _ENGLISH_FIRST:
        if romanized.startswith(written):
            return english + romanized[len(written):]
    return romanized


# ICU's Ethiopic romanisation writes every sixth-order letter with ǝ, which is most often
# not said (ዶናልድ ትራምፕ donālǝd tǝrāmǝp, Donald Trump), the first order ä as a, and the
# consonants with the scholarly letters. Names are written in Latin with the first order
# as e (Gebre, Tesfaye, Afewerki), the fourth as a, ጸ/ፀ as ts (Tsegaye), ኘ as gn
# (Desalegn), ቸ as ch. Source: ICU's Ethiopic-Latin transform for the letters; common
# Ethiopian and Eritrean practice in passports for the spellings.
_ETHIOPIC_SAID = str.maketrans({"ǝ": "", "a": "e", "ā": "a", "ṣ": "ts", "ḍ": "ts", "č": "ch", "ñ": "gn",
                                "š": "sh", "ž": "zh", "ś": "s", "ḥ": "h", "ḫ": "h", "ʾ": "", "ʿ": ""})


def _ethiopic_reading(word: str) -> str | None:
    """An Ethiopic word as Ethiopian names are spelt in Latin (see _ETHIOPIC_SAID)."""
    tokens = tokenize(icu_transliterator("Any-Latin").transliterate(word).translate(_ETHIOPIC_SAID))
    return tokens[0] if len(tokens) == 1 else None


# Tamil writes one letter for a voiceless stop and its voiced twin (க k/g, ச c/j/s, ட and
# த t/d, ப p/b): the stop is voiced between vowels and after a nasal (முருகன் Murugan,
# ஒபாமா Obama), and a foreign name's voiced stop is written so anywhere (பராக் Barack,
# டொனால்ட் Donald), while a doubled one is voiceless (வேலுப்பிள்ளை Velupillai) and
# Sanskrit names keep theirs (ராஜபக்ச Rajapaksa). A word is read voiceless, voiced as
# Tamil says it, and with every single stop voiced; ச is s (j after ñ, ch doubled).
# Source: ICU's Tamil-Latin transform (ISO 15919) for the letters; the voicing rules of
# Tamil phonology (H. F. Schiffman, "A Reference Grammar of Spoken Tamil", 1999).
_TAMIL_LETTERS = str.maketrans({"ḷ": "l", "ḻ": "l", "ṟ": "r", "ṉ": "n", "ṇ": "n", "ṅ": "n", "ñ": "n", "ṭ": "t", "ś": "sh"})
_TAMIL_VOICED = {"k": "g", "c": "s", "t": "d", "p": "b"}
_TAMIL_STOP = re.compile(r"(?<![kctp])([kctp])(?![kctp])")
_TAMIL_SAID = re.compile(r"(?<=[aeiou])([kctp])(?=[aeiou])|(?<=[nm])([kctp])")
_TAMIL_FIRST = re.compile(r"^([kctp])(?![kctp])")
_TAMIL_CLUSTER = re.compile(r"^([kctpgdb])i(?=[rl])")
_TAMIL_NG = re.compile("\u1e45(?![kg])")  # ங் not before க: the ng of Hawking, Washington


def _voiced(found: re.Match[str]) -> str:
    return _TAMIL_VOICED[found.group(found.lastindex or 1)]


def _tamil_readings(word: str) -> tuple[str, ...]:
    """A Tamil word read with its stops voiceless, voiced as Tamil says them, that and a
    voiced first stop (a foreign name's), and with every single stop voiced (see
    _TAMIL_VOICED); ச as s (ch doubled, j after n), ஷ as sh (s after k: Rajapaksa)."""
    romanized = icu_transliterator("Any-Latin").transliterate(word).replace("kṣ", "ks").replace("ṣ", "sh")
    romanized = _TAMIL_NG.sub("ng", romanized)
    letters = icu_transliterator("Latin-ASCII").transliterate(romanized.translate(_TAMIL_LETTERS)).lower()
    said = _TAMIL_SAID.sub(_voiced, letters)
    readings = [letters, said, _TAMIL_FIRST.sub(_voiced, said), _TAMIL_STOP.sub(_voiced, letters)]
    # A foreign name's initial cluster takes a vowel Tamil adds (டிரம்ப் tiramp, Trump;
    # கிளின்டன் kilintan, Clinton);
    # an initial ச is ch as often as s (சந்திரிகா Chandrika).
    readings += [_TAMIL_CLUSTER.sub(r"\1", r) for r in readings if _TAMIL_CLUSTER.match(r)]
    out = []
    for reading in readings:
        spelt = reading.replace("cc", "ch").replace("nc", "nj").replace("c", "s")
        for form in (spelt, "ch" + spelt[1:]) if reading[:1] == "c" and reading[1:2] != "c" else (spelt,):
            tokens = tokenize(form)
            if len(tokens) == 1:
                out.append(tokens[0])
    return tuple(dict.fromkeys(out))


# Ukrainian letters as the Russian letters a Russian name written in Ukrainian stands for.
_AS_RUSSIAN = str.maketrans("іІїЇєЄґҐ", "иИиИеЕгГ")
# Russian ё, which the lists write e (Kovalev, Fedorov), is Ukrainian ьо after a consonant
# (КОВАЛЬОВА, ФЬОДОРОВ) and о after ж, ч, ш, щ (ЧЕРНИШОВ Chernyshev, ГОРЛАЧОВ): read e, the
# latter only in the surname endings -ов, -ова, where it is all but always ё.
_HUSHING_OV = re.compile(r"(?<=[жчшщ])о(?=ва?$)")


def _russian_reading(word: str, romanized: str) -> str | None:
    """A Cyrillic word of a name read the Ukrainian way (г as h, и as y: "ГРИГОР'ЄВ",
    Hryhoryev) read as a Russian name spells the same letters (Grigorev), where the two
    differ: lists often write a Russian person's name in Ukrainian letters, or a Ukrainian's
    the Russian way. One-token words only."""
    if not has_cyrillic(word):
        return None
    tokens = tokenize(_HUSHING_OV.sub("е", word.lower().translate(_AS_RUSSIAN).replace("ьо", "е")))
    if len(tokens) != 1 or tokens[0] == romanized:
        return None
    return tokens[0]


# Greek has no letter for d, b, g or j: a foreign name writes them ντ, μπ, γκ and τζ
# (Ντέιβιντ David, Τζέιμς James), which read nt, mp, gk and tz inside a word.
# Greek writes a foreign name's d, b, g, j as ντ, μπ, γκ, τζ, its ch as τσ (Τσόρτσιλ
# Churchill) and its h, which Greek lacks, as χ first in the word (Χίλαρι Hillary).
_GREEK_FOREIGN = re.compile("nt|mp|gk|tz|ts|^ch")
_GREEK_SOUNDS = {"nt": "d", "mp": "b", "gk": "g", "tz": "j", "ts": "ch", "ch": "h"}


def _greek_sound(found: re.Match[str]) -> str:
    return _GREEK_SOUNDS[found.group()]


# A Latin name's nominative ending, which Russian leaves out or writes -ий, -ей (Brutus Брут,
# Julius Юлий, Vitellius Вителлий, Mazaeus Мазей), as it does Greek names read through Latin.
_LATIN_NOMINATIVE = re.compile("(?:(?<=[^aeiouy])|i|ae)us$")
_NOMINATIVE_AS = {"ius": "iy", "aeus": "ey", "us": ""}
_LATIN_SOFT_C = re.compile("c(?=[eiy])")


def _long_vowel(found: re.Match[str]) -> str:
    return _LONG_VOWEL[found.group(1)] + found.group(2) + found.group(0)[3:]  # (the s of -es kept: James)


def long_vowel_reading(token: str) -> str | None:
    """``token`` with the vowel before one consonant and a final e said long, as English
    says it ("dave" -> "deyv", "james" -> "jeyms"); None where it has no such ending."""
    return _MAGIC_E.sub(_long_vowel, token) if len(token) > 3 and _MAGIC_E.search(token) else None


def _latin_units(token: str, nominative: bool = True) -> tuple[tuple[str, ...], ...]:
    """Units of the ways an English-spelt Latin token may sound: with its soft g and c,
    without its silent h and e, its vowel long before a final e (Jane, White), its a after
    a w o (Walter, Walker), -all -oll, au o (Paul) and ea i (Dean), with ch read as k too
    (Michael), ew as yu (Andrew), a final ey or ie as i (Downey), z as ts (Scholz), a w
    after a consonant as v (Darwin, Edward), and Mc- as Mak-; a Latin name without its
    nominative ending (``_LATIN_NOMINATIVE``)."""
    ending = _LATIN_NOMINATIVE.search(token) if nominative else None
    if ending is not None and ending.start() >= 3:
        # (and its c before e or i, which Russian writes ц: Minucius Минуций)
        stem = _LATIN_SOFT_C.sub("ts", token[: ending.start()] + _NOMINATIVE_AS[ending.group()])
        return tuple(dict.fromkeys((*_latin_units(token, False), *_latin_units(stem, False))))
    if token.startswith("mc") and len(token) > 4:
        token = "mak" + token[2:]  # McCain, Маккейн
    said = _SILENT_H.sub("", _SOFT_C.sub("s", _SOFT.sub("j", token)))
    spelt = _SILENT_E.sub("", said) if len(said) > 3 else said
    readings = dict.fromkeys((spelt, _SCHWA_L.sub("", spelt), token))
    long = long_vowel_reading(said)  # a long vowel before a final e
    if long:
        readings[long] = None
    for pattern, sound in _ENGLISH_VOWELS:
        if pattern.search(token):
            readings.update(dict.fromkeys(pattern.sub(sound, r) for r in list(readings)))
    if token.endswith(("ey", "ie")):  # said i (Downey, Дауни; Freddie)
        readings.update(dict.fromkeys(r[:-2] + "i" for r in list(readings) if r.endswith(("ey", "ie"))))
    if "ew" in token:
        readings.update(dict.fromkeys(_EW.sub("yu", r) for r in list(readings)))
    if "ch" in token:
        readings.update(dict.fromkeys(r.replace("ch", "k") for r in list(readings)))
    if "z" in token:  # a German z is ts (Scholz, Шольц; Zuckerberg, Цукерберг)
        readings.update(dict.fromkeys(r.replace("z", "ts") for r in list(readings)))
    if _W_AFTER_CONSONANT.search(token):  # a w after a consonant is written v (Darwin, Дарвин, დარვინი)
        readings.update(dict.fromkeys(_W_AFTER_CONSONANT.sub("v", r) for r in list(readings)))
    other = other_reading(token)
    if other:
        # Read by the letter values of its own language (abjad.other_reading): a South Slavic
        # -ić whose háček ASCII lost, its dž too (Vucic Вучич, Hadzic Хаджич), Polish letters
        # (Olszewski Ольшевский), a Turkish c (Cemil Джемиль).
        readings[other] = None
        if token.endswith("ic") and "dz" in other:
            readings[other.replace("dz", "dzh")] = None
    return tuple(dict.fromkeys(_units(r) for r in readings))


def _vowel_cost(a: str, b: str) -> float:
    """Two runs of vowels: one inside the other, or the same but for a glide (the y of
    Russian е after a vowel: Goreyeva, Goreeva) 0.2, close ones 0.3, others 0.5, one
    against none 0.4."""
    if a == b:
        return 0.0
    if SCHWA in (a, b):
        other = b if a == SCHWA else a
        if other == "a":
            return 0.0
        return _VOWEL_GAP if not other else SCHWA_COST if len(other) <= 2 else 0.3
    if not a or not b:
        return _VOWEL_GAP
    if a in b or b in a or a.replace("i", "") == b.replace("i", ""):
        return 0.2
    if frozenset((a[-1], b[-1])) in _CLOSE_VOWELS or frozenset((a[0], b[0])) in _CLOSE_VOWELS:
        return 0.3
    return 0.5


Reading = tuple[tuple[str, ...], tuple[str, ...]]  # (consonants, the vowel run before, between and after them)


def _reading(units: tuple[str, ...]) -> Reading:
    consonants: list[str] = []
    runs = [""]
    for unit in units:
        if unit[0] in _VOWELS:
            runs[-1] += unit
        else:
            consonants.append(unit)
            runs.append("")
    return tuple(consonants), tuple(runs)


def _cost(a: Reading, b: Reading) -> float:
    """What telling two readings with one key apart costs: their consonants pair in turn
    (a whole consonant more or less costs more than a match allows), and so do the runs
    of vowels around them."""
    total = sum(0.0 if x == y else _NEAR.get(frozenset((x, y)), 1.0) for x, y in zip(a[0], b[0], strict=True))
    return total + sum(_vowel_cost(x, y) for x, y in zip(a[1], b[1], strict=True))


def _key(reading: Reading) -> str:
    return "".join(reading[0]).translate(_KEY_FOLD)


# A name is also read as French and as Spanish say it (spoken.py: Jacques Жак, Laurent
# Лоран, Hubert Юбер; Jorge Хорхе, Juan Хуан), at READING_COST more.
@lru_cache(maxsize=200_000)
def _latin_readings(token: str) -> tuple[tuple[str, Reading, float], ...]:
    """(key, reading, extra cost) of each way a Latin token may sound."""
    readings = {r: 0.0 for r in map(_reading, _latin_units(token))}
    for language in LANGUAGES:
        said = spoken_reading(language, token)
        if said:
            readings.setdefault(_reading(_units(said)), READING_COST)
    return tuple((_key(r), r, extra) for r, extra in readings.items())


@lru_cache(maxsize=100_000)
def _written_reading(romanized: str) -> tuple[str, Reading]:
    """(key, reading) of the romanisation of a word written by its sound ("dzhordzh":
    J o r J)."""
    if romanized[:1] == SCHWA:
        consonants, runs = _reading(_units(romanized[1:]))
        reading = consonants, tuple(SCHWA if run == "a" else run for run in runs)
    else:
        reading = _reading(_units(romanized))
    return _key(reading), reading


SIM_HEARD = 0.92  # the most a reading by sound scores: the same sounds, three consonants or more
SIM_HEARD_SHORT = 0.82  # the same sounds around one consonant


@lru_cache(maxsize=200_000)
def heard_sim(romanized: str, latin: str) -> float:
    """Similarity (the engine's token scale) of a word written by its sound (its
    romanisation) and a Latin token it may write: the same sounds 0.92 (0.85 with two
    consonants, 0.82 with one: Joe, Джо); a near vowel or consonant 0.88 (0.82); a little
    more 0.85 from three consonants, about half a vowel more 0.82 from four; else 0. Below a spelling's 0.95:
    a sound is weaker evidence."""
    key, a = _written_reading(romanized)
    # (The scripts with an inherent vowel write foreign names as English says them, and
    # their schwa meets any vowel already: a French or Spanish reading would only loosen them.)
    schwa = romanized[:1] == SCHWA
    costs = [_cost(a, b) + extra for b_key, b, extra in _latin_readings(latin)
             if b_key == key and not (schwa and extra)]
    if not costs:
        return 0.0
    cost, size = min(costs), len(a[0])
    if size < 2:
        # A one-consonant name (Joe, Джо, जो; Lee, Ли) said the same: too little alone to
        # alert (SIM_HEARD_SHORT), but a partner beside a family name that meets.
        return SIM_HEARD_SHORT if size == 1 and cost <= 0.2 else 0.0
    if cost <= 0.1:
        return SIM_HEARD if size >= 3 else 0.85
    if cost <= 0.35:
        return 0.88 if size >= 3 else 0.82
    if cost <= 0.45 and size >= 3:
        return 0.85
    if cost <= 0.65 and size >= 4:
        return 0.82
    return 0.0


def heard_keys(latin: str) -> frozenset[str]:
    """The retrieval keys of a Latin token's readings: their consonants, near ones as one
    ("JrJ" for George). Readings compare only under one key."""
    return frozenset(key for key, _reading, _extra in _latin_readings(latin))


def written_key(romanized: str) -> str:
    """The retrieval key of a word written by its sound (its romanisation)."""
    return _written_reading(romanized)[0]


__all__ = ["heard_keys", "heard_sim", "long_vowel_reading", "sound_readings", "written_key"]
